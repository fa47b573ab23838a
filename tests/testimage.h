/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Images for the public API's tests (test_api.c, test_transposed.c): made,
 * filled with seeded random samples, read and written in any format. */
#ifndef RFDN_TESTIMAGE_H
#define RFDN_TESTIMAGE_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rfdn.h"

static inline size_t ssize(rfdn_sample_format f)
{
    return f == RFDN_SAMPLE_U8 ? 1 : f == RFDN_SAMPLE_U16 ? 2 : 4;
}

/* deterministic pseudo-random values in [0, 1) */
static inline float rnd(uint64_t *r)
{
    *r ^= *r << 13, *r ^= *r >> 7, *r ^= *r << 17;
    return (float)(*r >> 40) / (float)(1ull << 24);
}

static inline void put(rfdn_image *im, int x, int y, int c, float v01)
{
    uint8_t *p = (uint8_t *)im->data + (size_t)y * im->stride +
                 ((size_t)x * im->channels + c) * ssize(im->format);
    if (im->format == RFDN_SAMPLE_U8) {
        *p = (uint8_t)lrintf(v01 * 255);
    } else if (im->format == RFDN_SAMPLE_U16) {
        uint16_t u = (uint16_t)lrintf(v01 * 65535);
        memcpy(p, &u, 2);
    } else {
        memcpy(p, &v01, 4);
    }
}

/* a sample as a value in [0, 255] */
static inline float get(const rfdn_image *im, int x, int y, int c)
{
    const uint8_t *p = (const uint8_t *)im->data + (size_t)y * im->stride +
                       ((size_t)x * im->channels + c) * ssize(im->format);
    if (im->format == RFDN_SAMPLE_U8)
        return *p;
    if (im->format == RFDN_SAMPLE_U16) {
        uint16_t u;
        memcpy(&u, p, 2);
        return u * 255.0f / 65535.0f;
    }
    float f;
    memcpy(&f, p, 4);
    return f * 255.0f;
}

static inline rfdn_image make_image(int w, int h, int ch, rfdn_sample_format f, int pad)
{
    rfdn_image im = {w, h, ch, f, (ptrdiff_t)((size_t)w * ch * ssize(f) + (size_t)pad), NULL};
    im.data = malloc((size_t)im.stride * h);
    memset(im.data, 0xA5, (size_t)im.stride * h); /* sentinel in the padding */
    return im;
}

/* An image of random samples (seeded: the same image every run). */
static inline rfdn_image random_image(int w, int h, int ch, rfdn_sample_format f, uint64_t seed)
{
    rfdn_image im = make_image(w, h, ch, f, 0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++)
                put(&im, x, y, c, rnd(&seed));
    return im;
}

#endif
