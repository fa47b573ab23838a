/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A portable dense convolution, any stride and padding, planar layout
 * (channel x height x width): for maps too small for the feature-map kernels
 * (ESA's pooled maps, CCA's channel statistics).
 */
#include "../conv.h"

void rfdn_conv2d_ref(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                     size_t cs, float *out)
{
    const int ho = (h + 2 * cv->pad - cv->k) / cv->stride + 1;
    rfdn_conv2d_ref_rows(cv, in, w, h, rs, cs, out, 0, ho);
}

/* Output rows [oy0, oy1) only (of every channel): callers split a
 * convolution across threads by rows; the values do not depend on it. */
/* ESA's conv2 (3x3, stride 2, no padding): the input row split into even
 * and odd columns once for all output channels, so the loops run at stride
 * 1 (and vectorise).  Each output sums bias, then ci, ky, kx in the same
 * order as the general loop of rfdn_conv2d_ref_rows: the same values. */
static void conv3x3s2_rows(const rfdn_conv *cv, const float *in, ptrdiff_t rs, size_t cs,
                           float *out, int wo, size_t howo, int oy0, int oy1)
{
    enum { CH = 256 };
    float ev[CH + 1], od[CH];
    for (int co = 0; co < cv->cout; co++)
        for (size_t p = (size_t)oy0 * wo; p < (size_t)oy1 * wo; p++)
            out[(size_t)co * howo + p] = cv->b[co];
    for (int oy = oy0; oy < oy1; oy++)
        for (int x0 = 0; x0 < wo; x0 += CH) {
            const int n = wo - x0 < CH ? wo - x0 : CH;
            for (int ci = 0; ci < cv->cin; ci++)
                for (int ky = 0; ky < 3; ky++) {
                    const float *xr = in + (size_t)ci * cs + (ptrdiff_t)(oy * 2 + ky) * rs +
                                      2 * (ptrdiff_t)x0;
                    for (int i = 0; i < n; i++) {
                        ev[i] = xr[2 * i];
                        od[i] = xr[2 * i + 1];
                    }
                    ev[n] = xr[2 * n];
                    for (int co = 0; co < cv->cout; co++) {
                        const float *wt = cv->w + (((size_t)co * cv->cin + ci) * 3 + ky) * 3;
                        float *restrict o = out + (size_t)co * howo + (size_t)oy * wo + x0;
                        const float w0 = wt[0], w1 = wt[1], w2 = wt[2];
                        for (int i = 0; i < n; i++)
                            o[i] += w0 * ev[i];
                        for (int i = 0; i < n; i++)
                            o[i] += w1 * od[i];
                        for (int i = 0; i < n; i++)
                            o[i] += w2 * ev[i + 1];
                    }
                }
        }
}

void rfdn_conv2d_ref_rows(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                          size_t cs, float *out, int oy0, int oy1)
{
    const int k = cv->k, s = cv->stride, pad = cv->pad;
    const int ho = (h + 2 * pad - k) / s + 1, wo = (w + 2 * pad - k) / s + 1;
    const size_t howo = (size_t)ho * wo;

    if (k == 3 && s == 2 && pad == 0) {
        conv3x3s2_rows(cv, in, rs, cs, out, wo, howo, oy0, oy1);
        return;
    }

    for (int co = 0; co < cv->cout; co++) {
        float *restrict o = out + (size_t)co * howo;
        for (size_t p = (size_t)oy0 * wo; p < (size_t)oy1 * wo; p++)
            o[p] = cv->b[co];
        for (int ci = 0; ci < cv->cin; ci++) {
            const float *x = in + (size_t)ci * cs;
            const float *wt = cv->w + ((size_t)co * cv->cin + ci) * k * k;
            for (int ky = 0; ky < k; ky++) {
                for (int oy = oy0; oy < oy1; oy++) {
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
