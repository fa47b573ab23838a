/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Portable convolution on feature maps (the reference for the SIMD kernels)
 * and the weight packing they all share.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../alloc.h"
#include "../conv.h"

static inline float lrelu(float x)
{
    return x < 0.0f ? x * RFDN_LRELU_SLOPE : x;
}

void rfdn_conv_rows_c(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out, int y0,
                      int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    const rfdn_conv *cv = pc->cv;
    const int k = cv->k, pad = k / 2, w = out->w, kk = k * k;
    for (int b = 0; b < pc->nblk; b++) {
        const float *wb = pc->w + pc->blk_off[b];
        const int n = pc->blk_n[b];
        for (int j = 0; j < n; j++) {
            const int co = pc->blk_co[b] + j;
            for (int y = y0; y < y1; y++) {
                float *o = out->p + (size_t)co * out->cs + (ptrdiff_t)y * out->rs;
                for (int x = 0; x < w; x++)
                    o[x] = cv->b[co];
                for (int ci = 0; ci < cv->cin; ci++)
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            const float wv = wb[((size_t)ci * kk + ky * k + kx) * n + j];
                            const float *ip = in->p + (size_t)ci * in->cs +
                                              (ptrdiff_t)(y + ky - pad) * in->rs + (kx - pad);
                            for (int x = 0; x < w; x++)
                                o[x] += wv * ip[x];
                        }
                const float *a = aux ? aux->p + (size_t)co * aux->cs + (ptrdiff_t)y * aux->rs
                                     : NULL;
                switch (ep) {
                case RFDN_EP_NONE:
                    break;
                case RFDN_EP_LRELU:
                    for (int x = 0; x < w; x++)
                        o[x] = lrelu(o[x]);
                    break;
                case RFDN_EP_ADD:
                    for (int x = 0; x < w; x++)
                        o[x] += a[x];
                    break;
                case RFDN_EP_ADD_LRELU:
                    for (int x = 0; x < w; x++)
                        o[x] = lrelu(o[x] + a[x]);
                    break;
                case RFDN_EP_SIGMOID_MUL:
                    for (int x = 0; x < w; x++)
                        o[x] = a[x] / (1.0f + expf(-o[x]));
                    break;
                }
            }
        }
    }
}

bool rfdn_pconv_init(rfdn_pconv *pc, const rfdn_conv *cv, const rfdn_kernels *kern)
{
    memset(pc, 0, sizeof *pc);
    pc->cv = cv;
    const int bm = kern->block_max, kk = cv->k * cv->k;
    /* as few blocks as possible, sizes as even as possible (50 = 6*5 + 5*4) */
    int nblk = (cv->cout + bm - 1) / bm;
    if (nblk > RFDN_PCONV_MAX_BLOCKS)
        return false;
    pc->w = rfdn_aligned_alloc(sizeof(float) * (size_t)cv->cout * cv->cin * kk);
    if (!pc->w)
        return false;
    pc->nblk = nblk;
    int co = 0;
    size_t off = 0;
    for (int b = 0; b < nblk; b++) {
        const int n = cv->cout / nblk + (b < cv->cout % nblk);
        pc->blk_co[b] = co;
        pc->blk_n[b] = n;
        pc->blk_off[b] = off;
        for (int ci = 0; ci < cv->cin; ci++)
            for (int t = 0; t < kk; t++)
                for (int j = 0; j < n; j++)
                    pc->w[off + ((size_t)ci * kk + t) * n + j] =
                        cv->w[((size_t)(co + j) * cv->cin + ci) * kk + t];
        off += (size_t)n * cv->cin * kk;
        co += n;
    }
    return true;
}

/* U = G g G^T for the (m+2)^2 points of F(m x m, 3x3): as many pseudo 1x1
 * convolutions cin -> cout.  F(2x2): G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1].
 * F(4x4) (interpolation points 0, 1, -1, 2, -2, infinity; Lavin & Gray):
 * G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6;
 * 1/24 -1/12 1/6; 0 0 1].  The products of F(4x4) are packed in blocks of
 * kern->wino_block_max output channels. */
static bool wino_init(rfdn_pconv *pc, const rfdn_conv *cv, const rfdn_kernels *kern, int m)
{
    static const double G2[4][3] = {{1, 0, 0}, {.5, .5, .5}, {.5, -.5, .5}, {0, 0, 1}};
    static const double G4[6][3] = {{1. / 4, 0, 0},           {-1. / 6, -1. / 6, -1. / 6},
                                    {-1. / 6, 1. / 6, -1. / 6}, {1. / 24, 1. / 12, 1. / 6},
                                    {1. / 24, -1. / 12, 1. / 6}, {0, 0, 1}};
    const int n = m + 2, np = n * n;
    const double(*G)[3] = m == 4 ? G4 : G2;
    const size_t per = (size_t)cv->cout * cv->cin;
    pc->wino_m = m;
    pc->wino = rfdn_calloc((size_t)np, sizeof *pc->wino);
    pc->wino_cv = rfdn_calloc((size_t)np, sizeof *pc->wino_cv);
    pc->wino_w = rfdn_aligned_alloc(sizeof(float) * ((size_t)np * per + (size_t)cv->cout));
    if (!pc->wino || !pc->wino_cv || !pc->wino_w)
        return false;
    float *zero = pc->wino_w + np * per;
    memset(zero, 0, sizeof(float) * (size_t)cv->cout);
    for (int co = 0; co < cv->cout; co++)
        for (int ci = 0; ci < cv->cin; ci++) {
            const float *g = cv->w + ((size_t)co * cv->cin + ci) * 9;
            double t[6][3]; /* G g, in double so that U is the rounded exact value */
            for (int i = 0; i < n; i++)
                for (int b = 0; b < 3; b++)
                    t[i][b] = G[i][0] * g[b] + G[i][1] * g[3 + b] + G[i][2] * g[6 + b];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    pc->wino_w[(size_t)(i * n + j) * per + (size_t)co * cv->cin + ci] =
                        (float)(t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2]);
        }
    rfdn_kernels pk = *kern;
    if (m == 4)
        pk.block_max = kern->wino_block_max;
    for (int p = 0; p < np; p++) {
        pc->wino_cv[p] = (rfdn_conv){cv->cout, cv->cin, 1, 1, 0, pc->wino_w + p * per, zero};
        if (!rfdn_pconv_init(&pc->wino[p], &pc->wino_cv[p], &pk))
            return false;
    }
    return true;
}

bool rfdn_pconv_init_full(rfdn_pconv *pc, const rfdn_conv *cv, const rfdn_kernels *kern)
{
    if (!rfdn_pconv_init(pc, cv, kern))
        return false;
    if (kern->winograd && cv->k == 3 && cv->stride == 1 && cv->cin >= RFDN_WINO_MIN_CIN &&
        cv->cin <= RFDN_WINO_MAX_C && cv->cout <= RFDN_WINO_MAX_C &&
        !wino_init(pc, cv, kern, kern->winograd)) {
        rfdn_pconv_free(pc);
        return false;
    }
    return true;
}

void rfdn_pconv_free(rfdn_pconv *pc)
{
    if (pc->wino)
        for (int p = 0; p < (pc->wino_m + 2) * (pc->wino_m + 2); p++)
            rfdn_pconv_free(&pc->wino[p]);
    free(pc->wino);
    free(pc->wino_cv);
    rfdn_aligned_free(pc->wino_w);
    rfdn_aligned_free(pc->w);
    pc->wino = NULL;
    pc->wino_cv = NULL;
    pc->wino_w = NULL;
    pc->w = NULL;
}
