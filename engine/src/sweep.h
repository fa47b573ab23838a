/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Convolution sweeps (sweep.c): a chain of convolutions swept down the map
 * together, a few rows at a time, instead of each over the whole map before
 * the next, so that a map is read back by the later steps while it is still
 * in the caches.  A sweep is built step by step with rfdn_sweep_add, which
 * finds what each step waits for from the maps it reads, and run with
 * rfdn_sweep_run.  The output does not depend on the number of threads.
 */
#ifndef RFDN_SWEEP_H
#define RFDN_SWEEP_H

#include <stdbool.h>

#include "conv.h"
#include "exec.h"
#include "fmap.h"

/* Most steps in a sweep, and most earlier steps one step reads. */
#define RFDN_SWEEP_MAX_STEPS 12
#define RFDN_SWEEP_MAX_DEPS 4

/* out = ep(pc(in), aux) */
typedef struct rfdn_sweep_step {
    const rfdn_pconv *pc;
    rfdn_fmap in, out, aux;
    bool has_aux;
    rfdn_epilogue ep;
    int ndep, dep[RFDN_SWEEP_MAX_DEPS]; /* the earlier steps whose output it reads */
    int like; /* 1 + an earlier step whose lead this one takes, or 0 */
} rfdn_sweep_step;

typedef struct rfdn_sweep {
    rfdn_sweep_step st[RFDN_SWEEP_MAX_STEPS];
    int n;
} rfdn_sweep;

/* An empty sweep. */
void rfdn_sweep_init(rfdn_sweep *sw);

/* Appends the step out = ep(pc(in), aux) (aux may be NULL) and returns its
 * index.  The step reads the rows of every earlier step whose output
 * overlaps `in` or `aux` (a slice of a map overlaps the map), and maps
 * complete before the sweep.  An earlier step may read or write `out`
 * only if the new step depends on it, directly or through its inputs. */
int rfdn_sweep_add(rfdn_sweep *sw, const rfdn_pconv *pc, const rfdn_fmap *in,
                   const rfdn_fmap *out, rfdn_epilogue ep, const rfdn_fmap *aux);

/* Step `step`, a 1x1 convolution reading what step `with` wrote or read,
 * runs with it (at least as far ahead), while those rows are in the caches. */
void rfdn_sweep_pace(rfdn_sweep *sw, int step, int with);

/* Runs the sweep on the exec's pool; every step's output is complete when
 * it returns (or the exec was stopped). */
void rfdn_sweep_run(const rfdn_exec *ex, const rfdn_sweep *sw);

#endif
