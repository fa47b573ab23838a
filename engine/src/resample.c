/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stddef.h>

#include "resample.h"

static void cubic_weights(float t, float wt[4])
{
    const float a = -0.5f;
    const float x[4] = {t + 1.0f, t, 1.0f - t, 2.0f - t};
    for (int i = 0; i < 4; i++) {
        const float d = x[i];
        wt[i] = d <= 1.0f ? ((a + 2.0f) * d - (a + 3.0f)) * d * d + 1.0f
                          : ((a * d - 5.0f * a) * d + 8.0f * a) * d - 4.0f * a;
    }
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void rfdn_bicubic_upscale(const float *in, int w, int h, int s, float *out)
{
    const int ow = w * s, oh = h * s;
    for (int y = 0; y < oh; y++) {
        const float sy = ((float)y + 0.5f) / (float)s - 0.5f;
        const int iy = (int)floorf(sy);
        float wy[4];
        cubic_weights(sy - (float)iy, wy);
        for (int x = 0; x < ow; x++) {
            const float sx = ((float)x + 0.5f) / (float)s - 0.5f;
            const int ix = (int)floorf(sx);
            float wx[4], acc = 0.0f;
            cubic_weights(sx - (float)ix, wx);
            for (int j = 0; j < 4; j++) {
                const float *row = in + (size_t)clampi(iy - 1 + j, 0, h - 1) * w;
                float r = 0.0f;
                for (int i = 0; i < 4; i++)
                    r += wx[i] * row[clampi(ix - 1 + i, 0, w - 1)];
                acc += wy[j] * r;
            }
            out[(size_t)y * ow + x] = acc;
        }
    }
}
