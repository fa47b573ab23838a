/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pixels in and out of a run (engine/src/pixels.c). */
#ifndef RFDN_PIXELS_H
#define RFDN_PIXELS_H

#include <stdbool.h>

#include "rfdn.h"
#include "pool.h"

/* Where a tile's result goes: the output rectangle (ox, oy, ow, oh) comes
 * from the tile's planes (width pw, height ph) at (sx, sy). */
typedef struct out_rect {
    int ox, oy, ow, oh;
    int sx, sy, pw, ph;
} out_rect;

/* Whether a view is usable: size, channels, format, stride, data. */
bool rfdn_px_image_valid(const rfdn_image *im);

/* Runs of narrow, tall images see them transposed (transpose.c): where a
 * function takes `t`, its coordinates and sizes are of the transposed
 * image when it is true. */

/* A rectangle of an image: colour planes (gray replicated) into rgb[3][P]
 * and alpha (if any) into a[P], P = rw * rh. */
void rfdn_px_read_planes(const rfdn_image *im, bool t, int x0, int y0, int rw, int rh,
                         float *rgb, float *a);

/* Whether the image has an alpha channel that is not fully opaque. */
bool rfdn_px_translucent(const rfdn_image *im);

/* Colour under fully transparent pixels replaced by the mean colour of
 * visible (or already filled) neighbours, up to a few pixels out, so that
 * it does not bleed into visible edges (pixels.c says how); `tmp` holds
 * 3 * w * h floats + w * h bytes. */
void rfdn_px_fill_transparent(float *rgb, const float *a, int w, int h, float *tmp);

/* The whole image reduced by box averaging to fit tw x th (planar, values
 * 0..255, colour or the alpha channel), for the statistics of RFDN's channel
 * attention.  Returns the reduced size. */
void rfdn_px_thumbnail(const rfdn_image *im, bool t, bool alpha, int tw, int th, float *dst,
                       int *rw, int *rh);

/* A tile's result (colour planes, or the alpha plane) written to the
 * output rectangle r, by rows across the pool when it is large. */
void rfdn_px_write_rows(rfdn_pool *pool, const rfdn_image *im, bool t, const float *planes,
                        const out_rect *r, bool alpha);

#endif
