/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tile planning (tiles.c): a memory budget and the network's tiling
 * contract turned into a grid of tiles, and where each tile lies. */
#ifndef RFDN_TILES_H
#define RFDN_TILES_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

typedef struct rfdn_tile_plan {
    int core;  /* core edge, a multiple of the network's alignment; 0: whole image */
    int halo;
    int nx, ny;
    int tw, th;    /* the largest tile's input size (core plus halo, clipped) */
    size_t floats; /* scratch for the largest tile, rounded up to 16 */
    int workers;   /* tiles run at once, each on one thread (1: each tile on all) */
} rfdn_tile_plan;

/* The plan for a w x h input: tile_size 0 picks the largest tiles whose
 * scratch fits budget_bytes, else tiles of that core size; with `threads`
 * > 1, a fixed tile size and at least two tiles per thread, the tiles run
 * side by side.  Returns false when the sizes overflow. */
bool rfdn_tiles_plan(const rfdn_model *m, int w, int h, int tile_size, size_t budget_bytes,
                     int threads, rfdn_tile_plan *tp);

/* Tile t of a plan for a w x h input: its core [cx0, cx1) x [cy0, cy1) and
 * the input it reads, core plus halo clipped to the image, [ix0, ix1) x
 * [iy0, iy1). */
typedef struct rfdn_tile_rect {
    int cx0, cy0, cx1, cy1;
    int ix0, iy0, ix1, iy1;
} rfdn_tile_rect;

rfdn_tile_rect rfdn_tiles_rect(const rfdn_tile_plan *tp, int w, int h, int t);

/* Floats of scratch one tile of tw x th input pixels needs: the network's
 * own, plus planar input and output, plus an alpha plane in and out.  0 on
 * overflow.  Laid out in that order. */
size_t rfdn_tiles_floats(const rfdn_model *m, int tw, int th);

/* Test hook (not exported from librfdn.so): process tiles last to first
 * (the result must not change). */
void rfdn_test_reverse_tiles(bool on);
bool rfdn_tiles_reversed(void);

#endif
