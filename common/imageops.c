/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "imageops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double cubic(double x)
{
    const double ax = fabs(x), ax2 = ax * ax, ax3 = ax2 * ax;
    if (ax <= 1.0)
        return 1.5 * ax3 - 2.5 * ax2 + 1.0;
    if (ax <= 2.0)
        return -0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0;
    return 0.0;
}

/* MATLAB's contributions(): for each output index, `taps` input indices
 * (0-based, mirrored at the borders) and normalised weights.  `scale` is
 * out_len / in_len: below 1 (downscaling) the kernel is widened by 1/scale
 * (antialiasing), above 1 it is the plain cubic. */
typedef struct contrib {
    int taps;
    int *idx;
    double *wt;
} contrib;

static int contributions(int in_len, double scale, int out_len, contrib *c)
{
    const bool down = scale < 1.0;
    const double kw = down ? 4.0 / scale : 4.0;
    c->taps = (int)ceil(kw) + 2;
    c->idx = malloc(sizeof(int) * (size_t)out_len * c->taps);
    c->wt = malloc(sizeof(double) * (size_t)out_len * c->taps);
    if (!c->idx || !c->wt) {
        free(c->idx);
        free(c->wt);
        return -1;
    }
    for (int i = 0; i < out_len; i++) {
        const double u = (i + 1) / scale + 0.5 * (1.0 - 1.0 / scale); /* 1-based */
        const int left = (int)floor(u - kw / 2.0);
        double sum = 0.0;
        for (int t = 0; t < c->taps; t++) {
            const int j = left + t; /* 1-based input index */
            const double w = down ? scale * cubic(scale * (u - j)) : cubic(u - j);
            int m = (j - 1) % (2 * in_len); /* mirror: [1..n, n..1] repeated */
            if (m < 0)
                m += 2 * in_len;
            c->idx[i * c->taps + t] = m < in_len ? m : 2 * in_len - 1 - m;
            c->wt[i * c->taps + t] = w;
            sum += w;
        }
        for (int t = 0; t < c->taps; t++)
            c->wt[i * c->taps + t] /= sum;
    }
    return 0;
}

static uint8_t round_clip(double v)
{
    v = round(v); /* half away from zero, like MATLAB */
    return (uint8_t)(v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v);
}

/* MATLAB's imresize for uint8: rows (vertical) first, then columns, each
 * pass rounded and clipped. */
static int imresize(const uint8_t *in, int w, int h, int nc, size_t stride, int ow, int oh,
                    uint8_t *out)
{
    contrib cv = {0}, ch = {0};
    uint8_t *mid = malloc((size_t)w * oh * nc + 1);
    if (!mid || contributions(h, (double)oh / h, oh, &cv) ||
        contributions(w, (double)ow / w, ow, &ch)) {
        free(mid);
        free(cv.idx);
        free(cv.wt);
        return -1;
    }
    /* vertical pass: h -> oh rows */
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < nc; c++) {
                double acc = 0.0;
                for (int t = 0; t < cv.taps; t++)
                    acc += cv.wt[y * cv.taps + t] *
                           in[(size_t)cv.idx[y * cv.taps + t] * stride + (size_t)x * nc + c];
                mid[((size_t)y * w + x) * nc + c] = round_clip(acc);
            }
    /* horizontal pass: w -> ow columns */
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
            for (int c = 0; c < nc; c++) {
                double acc = 0.0;
                for (int t = 0; t < ch.taps; t++)
                    acc += ch.wt[x * ch.taps + t] *
                           mid[((size_t)y * w + ch.idx[x * ch.taps + t]) * nc + c];
                out[((size_t)y * ow + x) * nc + c] = round_clip(acc);
            }
    free(mid);
    free(cv.idx);
    free(cv.wt);
    free(ch.idx);
    free(ch.wt);
    return 0;
}

int rfdn_imresize_down(const uint8_t *in, int w, int h, int nc, size_t stride, int s,
                       uint8_t *out)
{
    return imresize(in, w, h, nc, stride, w / s, h / s, out);
}

int rfdn_imresize_up(const uint8_t *in, int w, int h, int nc, size_t stride, int s,
                     uint8_t *out)
{
    return imresize(in, w, h, nc, stride, w * s, h * s, out);
}

void rfdn_luma(const uint8_t *in, int w, int h, int nc, size_t stride, bool gray, double *y)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            const uint8_t *p = in + (size_t)j * stride + (size_t)i * nc;
            y[(size_t)j * w + i] =
                !gray ? 16.0 + (65.481 * p[0] + 128.553 * p[1] + 24.966 * p[2]) / 255.0
                        : (double)p[0];
        }
}

double rfdn_psnr(const double *a, const double *b, int w, int h, int border)
{
    double se = 0.0;
    size_t n = 0;
    for (int j = border; j < h - border; j++)
        for (int i = border; i < w - border; i++) {
            const double d = a[(size_t)j * w + i] - b[(size_t)j * w + i];
            se += d * d;
            n++;
        }
    if (!n)
        return NAN;
    if (se == 0.0)
        return INFINITY;
    return 10.0 * log10(255.0 * 255.0 / (se / (double)n));
}

double rfdn_ssim(const double *a, const double *b, int w, int h, int border)
{
    const int cw = w - 2 * border, chh = h - 2 * border, R = 5;
    if (cw < 11 || chh < 11)
        return NAN;
    double g[11], gs = 0.0;
    for (int i = 0; i < 11; i++) {
        g[i] = exp(-((i - R) * (i - R)) / (2.0 * 1.5 * 1.5));
        gs += g[i];
    }
    for (int i = 0; i < 11; i++)
        g[i] /= gs;
    const double C1 = (0.01 * 255) * (0.01 * 255), C2 = (0.03 * 255) * (0.03 * 255);
    /* separable filtering of a, b, a^2, b^2, ab over the valid region */
    const int vw = cw - 10, vh = chh - 10;
    double *tmp = malloc(sizeof(double) * 5 * (size_t)cw * vh);
    if (!tmp)
        return NAN;
    for (int j = 0; j < vh; j++)
        for (int i = 0; i < cw; i++) {
            double s[5] = {0};
            for (int k = 0; k < 11; k++) {
                const size_t p = (size_t)(j + k + border) * w + (size_t)(i + border);
                const double x = a[p], y = b[p];
                s[0] += g[k] * x;
                s[1] += g[k] * y;
                s[2] += g[k] * x * x;
                s[3] += g[k] * y * y;
                s[4] += g[k] * x * y;
            }
            for (int q = 0; q < 5; q++)
                tmp[((size_t)q * vh + j) * cw + i] = s[q];
        }
    double total = 0.0;
    for (int j = 0; j < vh; j++)
        for (int i = 0; i < vw; i++) {
            double s[5] = {0};
            for (int q = 0; q < 5; q++)
                for (int k = 0; k < 11; k++)
                    s[q] += g[k] * tmp[((size_t)q * vh + j) * cw + i + k];
            const double m1 = s[0], m2 = s[1];
            const double v1 = s[2] - m1 * m1, v2 = s[3] - m2 * m2, cov = s[4] - m1 * m2;
            total += ((2 * m1 * m2 + C1) * (2 * cov + C2)) /
                     ((m1 * m1 + m2 * m2 + C1) * (v1 + v2 + C2));
        }
    free(tmp);
    return total / ((double)vw * vh);
}
