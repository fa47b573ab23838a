/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The RFDN / E-RFDN forward pass (net.c), and what a caller that tiles an
 * image needs to know about it. */
#ifndef RFDN_NET_H
#define RFDN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec.h"
#include "model.h"
#include "region.h"

typedef struct rfdn_run_hooks {
    /* Called between layers; returns true when the run must stop. */
    bool (*tick)(void *user, uint64_t done, uint64_t total);
    void *user;
} rfdn_run_hooks;

/* The network's tiling contract: a tile needs `halo` input pixels of
 * context on each side for its core to come out as in a whole-image run
 * (to below one level), and starts on a multiple of `align` (both in input
 * pixels).  Scratch per tile: rfdn_net_scratch_floats. */
typedef struct rfdn_tiling {
    int halo;  /* a multiple of align */
    int align;
} rfdn_tiling;

rfdn_tiling rfdn_net_tiling(const rfdn_model *m);

/* Floats of scratch memory rfdn_net_run needs for an h x w input. */
size_t rfdn_net_scratch_floats(const rfdn_model *m, int w, int h);

/* Runs the network: `in` is 3 x h x w planar in the [0, 255] range; `out`
 * is 3 x (s*h) x (s*w) planar, before the final clamp.  `scratch` holds
 * rfdn_net_scratch_floats(m, w, h) floats.  `region`: NULL for a whole
 * image, else the tile's place in it (ESA then resamples on the whole
 * image's grid).  Returns RFDN_OK or RFDN_CANCELLED (when hooks->tick asked
 * to stop or the exec's stop flag is set). */
rfdn_status rfdn_net_run(const rfdn_exec *ex, float *scratch, const float *in, int w, int h,
                         float *out, const rfdn_region *region, const rfdn_run_hooks *hooks);

/* The same with portable kernels on one thread (tests, tools). */
rfdn_status rfdn_net_forward(const rfdn_model *m, float *scratch, const float *in, int w, int h,
                             float *out, const rfdn_run_hooks *hooks);

/* Units of work rfdn_net_run reports through hooks->tick for one run. */
uint64_t rfdn_net_work_units(const rfdn_model *m);

#endif
