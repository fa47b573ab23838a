/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a tile lies in the whole image, for the parts of the network that
 * must see the whole image's geometry or statistics (ESA's resampling
 * grid, CCA's shared gains). */
#ifndef RFDN_REGION_H
#define RFDN_REGION_H

/* ESA's stride-2 convolution and stride-3 max-pool make a 6-pixel grid;
 * tiles start on it so that their pooled cells are the whole image's. */
#define RFDN_TILE_ALIGN 6

/* A tile's place (input pixels): x and y of its top-left corner, multiples
 * of RFDN_TILE_ALIGN, and the image's size. */
typedef struct rfdn_region {
    int x, y, full_w, full_h;
    /* CCA (RFDN): when set, the channel gains of every block (blocks x nf)
     * come from here instead of from the tile's own statistics, so that all
     * tiles of an image scale their channels alike. */
    const float *cca_gain;
    /* When set, the gains a run computes are stored here. */
    float *cca_gain_out;
} rfdn_region;

#endif
