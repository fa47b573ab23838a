/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The network's feature maps laid out over one scratch area (maps.c), and
 * the sizes they have for an input. */
#ifndef RFDN_MAPS_H
#define RFDN_MAPS_H

#include <stddef.h>

#include "exec.h"
#include "fmap.h"
#include "model.h"

/* ESA's 7x7 max-pool on the stride-2 map needs inputs of at least 15x15;
 * smaller inputs are replicate-padded at the bottom/right (tools/reference.py
 * does the same). */
#define RFDN_ESA_MIN_SIZE 15

typedef struct rfdn_maps {
    rfdn_fmap x, fea, bout, ta, tb, tc, dcat, f, up;
    rfdn_fmap c1_, c3up, s; /* ESA, full size */
    float *c1;              /* ESA, after conv2 (dense) */
    rfdn_fmap v, t1, t2;    /* ESA, after the max-pool */
    size_t total;           /* floats */
} rfdn_maps;

/* The size of ESA's maps for a w x h input: after conv2 (wc x hc) and after
 * the max-pool (wp x hp). */
void rfdn_esa_dims(int w, int h, int *wc, int *hc, int *wp, int *hp);

/* The size the network runs at for a w x h input (padded for ESA). */
void rfdn_maps_padded_size(const rfdn_model *m, int w, int h, int *pw, int *ph);

/* Lays the maps of a run at the padded size w x h out over `base`; NULL:
 * only counts, M->total, and leaves the maps empty. */
void rfdn_maps_layout(const rfdn_model *m, int w, int h, float *base, rfdn_maps *M);

/* Zeroes the halos of every map the model uses, channels across the pool. */
void rfdn_maps_zero_halos(const rfdn_exec *ex, const rfdn_maps *M);

#endif
