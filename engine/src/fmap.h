/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feature maps, the network's activations: planar, each channel plane with
 * a one-pixel zero halo so that 3x3 convolutions read without bounds
 * checks. */
#ifndef RFDN_FMAP_H
#define RFDN_FMAP_H

#include <stddef.h>

/* Element (c, y, x), for -1 <= y <= h and -1 <= x <= w, is
 * p[c * cs + y * rs + x]. */
typedef struct rfdn_fmap {
    float *p;
    int c, h, w;
    ptrdiff_t rs; /* row stride, floats */
    size_t cs;    /* channel stride, floats */
} rfdn_fmap;

/* Row stride for width w: w plus both halo columns, rounded up to 16. */
static inline ptrdiff_t rfdn_fmap_rs(int w)
{
    return ((ptrdiff_t)w + 2 + 15) & ~(ptrdiff_t)15;
}

/* Floats a c x h x w map occupies. */
static inline size_t rfdn_fmap_floats(int c, int h, int w)
{
    return (size_t)c * (size_t)(h + 2) * (size_t)rfdn_fmap_rs(w);
}

/* A map over `base` (rfdn_fmap_floats(c, h, w) floats, not NULL). */
static inline rfdn_fmap rfdn_fmap_at(float *base, int c, int h, int w)
{
    rfdn_fmap m = {NULL, c, h, w, rfdn_fmap_rs(w), 0};
    m.cs = (size_t)(h + 2) * (size_t)m.rs;
    m.p = base + m.rs + 1;
    return m;
}

/* Channels [c0, c0 + n) of a map, as a map. */
static inline rfdn_fmap rfdn_fmap_slice(const rfdn_fmap *m, int c0, int n)
{
    rfdn_fmap s = *m;
    s.p = m->p + (size_t)c0 * m->cs;
    s.c = n;
    return s;
}

#endif
