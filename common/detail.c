/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where an image shows the most detail (detail.h). */
#include "detail.h"

#include <glib.h>

static int luma(const uint8_t *p, int c)
{
    return c >= 3 ? (p[0] + p[1] + p[2]) / 3 : p[0];
}

/* sum[(y) * (iw + 1) + x]: the detail of the pixels above and left of (x, y) */
static double *integral(const uint8_t *px, int iw, int ih, int c, size_t stride)
{
    double *sum = g_try_new0(double, (size_t)(iw + 1) * (ih + 1));
    if (!sum)
        return NULL;
    for (int y = 0; y < ih; y++) {
        const uint8_t *row = px + y * stride, *below = y + 1 < ih ? row + stride : row;
        double line = 0;
        for (int x = 0; x < iw; x++) {
            const int l = luma(row + (size_t)x * c, c);
            const int r = x + 1 < iw ? luma(row + (size_t)(x + 1) * c, c) : l;
            const int b = luma(below + (size_t)x * c, c);
            line += abs(r - l) + abs(b - l);
            sum[(size_t)(y + 1) * (iw + 1) + x + 1] = sum[(size_t)y * (iw + 1) + x + 1] + line;
        }
    }
    return sum;
}

void rfdn_detail_window(const uint8_t *px, int iw, int ih, int c, size_t stride, int w, int h,
                        int *x, int *y)
{
    *x = iw > w ? (iw - w) / 2 : 0;
    *y = ih > h ? (ih - h) / 2 : 0;
    if ((iw <= w && ih <= h) || w <= 0 || h <= 0)
        return;
    w = MIN(w, iw);
    h = MIN(h, ih);
    double *sum = integral(px, iw, ih, c, stride);
    if (!sum)
        return; /* (the centre, as before) */
    const int sx = MAX(1, w / 4), sy = MAX(1, h / 4);
    double best = 0, best_d = 0; /* (no detail anywhere: the centre) */
    for (int wy = 0; wy + h <= ih; wy = wy + h == ih ? ih : MIN(wy + sy, ih - h))
        for (int wx = 0; wx + w <= iw; wx = wx + w == iw ? iw : MIN(wx + sx, iw - w)) {
            const size_t W = (size_t)iw + 1;
            const double e = sum[(wy + h) * W + wx + w] - sum[wy * W + wx + w] -
                             sum[(wy + h) * W + wx] + sum[wy * W + wx];
            const double dx = wx + w / 2.0 - iw / 2.0, dy = wy + h / 2.0 - ih / 2.0;
            const double d = dx * dx + dy * dy;
            if (e > best || (e == best && e > 0 && d < best_d)) {
                best = e, best_d = d;
                *x = wx, *y = wy;
            }
        }
    g_free(sum);
}
