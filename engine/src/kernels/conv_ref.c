/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A portable dense convolution, any stride and padding, planar layout
 * (channel x height x width): for maps too small for the feature-map kernels
 * (ESA's pooled maps, CCA's channel statistics).
 */
#include "../internal.h"

void rfdn_conv2d_ref(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                     size_t cs, float *out)
{
    const int k = cv->k, s = cv->stride, pad = cv->pad;
    const int ho = (h + 2 * pad - k) / s + 1, wo = (w + 2 * pad - k) / s + 1;
    const size_t howo = (size_t)ho * wo;

    for (int co = 0; co < cv->cout; co++) {
        float *restrict o = out + (size_t)co * howo;
        for (size_t p = 0; p < howo; p++)
            o[p] = cv->b[co];
        for (int ci = 0; ci < cv->cin; ci++) {
            const float *x = in + (size_t)ci * cs;
            const float *wt = cv->w + ((size_t)co * cv->cin + ci) * k * k;
            for (int ky = 0; ky < k; ky++) {
                for (int oy = 0; oy < ho; oy++) {
                    const int iy = oy * s + ky - pad;
                    if (iy < 0 || iy >= h)
                        continue;
                    const float *restrict xr = x + (ptrdiff_t)iy * rs;
                    float *restrict orow = o + (size_t)oy * wo;
                    for (int kx = 0; kx < k; kx++) {
                        const float wv = wt[ky * k + kx];
                        /* output columns whose input column ox*s+kx-pad is inside */
                        int ox0 = 0, ox1 = wo;
                        while (ox0 < wo && ox0 * s + kx - pad < 0)
                            ox0++;
                        while (ox1 > ox0 && (ox1 - 1) * s + kx - pad >= w)
                            ox1--;
                        const int off = kx - pad;
                        if (s == 1) {
                            for (int ox = ox0; ox < ox1; ox++)
                                orow[ox] += wv * xr[ox + off];
                        } else {
                            for (int ox = ox0; ox < ox1; ox++)
                                orow[ox] += wv * xr[ox * s + off];
                        }
                    }
                }
            }
        }
    }
}
