/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model for transposed runs (engine/src/transpose.c). */
#ifndef RFDN_TRANSPOSE_H
#define RFDN_TRANSPOSE_H

#include <stdbool.h>

#include "model.h"

/* Images narrower than this, and taller than wide, run transposed. */
#define RFDN_TRANSPOSE_BELOW 64

/* Whether a w x h input runs transposed (context.c). */
static inline bool rfdn_runs_transposed(int w, int h)
{
    return w < RFDN_TRANSPOSE_BELOW && h > w;
}

/* A copy of `m` whose output, for the transposed input, is the transposed
 * output of `m` (NULL when out of memory; rfdn_model_unref frees it). */
rfdn_model *rfdn_model_transposed(const rfdn_model *m);

#endif
