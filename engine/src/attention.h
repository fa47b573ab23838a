/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The blocks' attention operators (attention.c): ESA for E-RFDN, CCA for
 * RFDN, on the maps of a run. */
#ifndef RFDN_ATTENTION_H
#define RFDN_ATTENTION_H

#include <stdbool.h>

#include "exec.h"
#include "fmap.h"
#include "maps.h"
#include "region.h"
#include "sweep.h"

/* Whether ESA's gate runs in the next sweep (it cannot when the block adds
 * its input after the attention). */
bool rfdn_esa_gate_deferred(const rfdn_model *m);

/* ESA's last two convolutions of block bi as two sweep steps: conv_f (c1_
 * -> s, plus the upsampled c3) and conv4's gate (out = f * sigmoid(conv4(s))).
 * They run in the next sweep (the next block's or the tail's), ahead of the
 * steps that read `out`, so the block's output is read back while in the
 * caches instead of making two more passes over full maps.  The next sweep's
 * own c5, ESA conv1 and conv2 overwrite f, c1_ and s only in rows whose
 * gate is done: each of them depends, through its inputs, on `out` there.
 * They must be the sweep's first steps. */
void rfdn_esa_gate_steps(rfdn_sweep *sw, const rfdn_exec *ex, int bi, const rfdn_maps *M,
                         const rfdn_fmap *out);

/* ESA of block bi, out = f * sigmoid(conv4(up(c3) + conv_f(conv1(f)))), on
 * M->f: from after conv1 (c1_, and conv2 at stride 1 into s where the
 * kernels have it, ran in the block's sweep) up to the gate, and the gate
 * too unless it is deferred.  `reg`: the tile's place, or NULL. */
void rfdn_esa(const rfdn_exec *ex, int bi, const rfdn_maps *M, const rfdn_fmap *out,
              const rfdn_region *reg);

/* CCA of block bi: out = f * sigmoid(du2(relu(du0(mean + std)))) (+ x when
 * the block has a residual), statistics per channel in double precision,
 * in a fixed order; the gains come from or go to `reg` when it says so. */
void rfdn_cca(const rfdn_exec *ex, int bi, const rfdn_fmap *f, const rfdn_fmap *x,
              const rfdn_fmap *out, const rfdn_region *reg);

/* out += x, rows in parallel. */
void rfdn_map_add(const rfdn_exec *ex, const rfdn_fmap *out, const rfdn_fmap *x);

#endif
