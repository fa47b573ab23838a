/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Work split by rows over an exec's pool (par.c): a convolution, a short
 * group of convolutions chunk by chunk, any row function.  Each row is
 * computed the same way whatever the number of threads. */
#ifndef RFDN_PAR_H
#define RFDN_PAR_H

#include "conv.h"
#include "exec.h"
#include "fmap.h"

/* out = ep(pc(in), aux), rows in parallel. */
void rfdn_par_conv(const rfdn_exec *ex, const rfdn_pconv *pc, const rfdn_fmap *in,
                   const rfdn_fmap *out, rfdn_epilogue ep, const rfdn_fmap *aux);

/* Convolutions that run row chunk by row chunk together: in each chunk,
 * every step after the first reads only rows the chunk's earlier steps have
 * just written (a 1x1 convolution of their output) or a map complete before
 * the group, so a chunk's maps are still in the caches when the next step
 * reads them.  Each row is computed exactly as by rfdn_par_conv(). */
typedef struct rfdn_conv_step {
    const rfdn_pconv *pc;
    const rfdn_fmap *in, *out, *aux;
    rfdn_epilogue ep;
} rfdn_conv_step;

void rfdn_par_conv_group(const rfdn_exec *ex, const rfdn_conv_step *st, int n);

/* fn(ctx, y0, y1) over row ranges of [0, h), in parallel; skipped once the
 * exec is stopped. */
void rfdn_par_rows(const rfdn_exec *ex, int h, void (*fn)(void *ctx, int y0, int y1),
                   void *ctx);

#endif
