/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AVX-512 convolution: 16 pixels per vector, 6 output channels x 4 vectors
 * = 24 accumulators.  Compiled with AVX-512 flags only for this file. */
#include <immintrin.h>

#include "../internal.h"

typedef __m512 V;
typedef __mmask16 M;
#define VL 16
#ifndef NMAX
#define NMAX 6
#define NV 4
#endif
#define V_SET1 _mm512_set1_ps
#define V_LOAD _mm512_loadu_ps
#define V_LOADM(p, m) _mm512_maskz_loadu_ps(m, p)
#define V_STORE _mm512_storeu_ps
#define V_STOREM(p, m, v) _mm512_mask_storeu_ps(p, m, v)
#define V_FMA _mm512_fmadd_ps
#define V_MUL _mm512_mul_ps
#define V_ADD _mm512_add_ps
#define V_SUB _mm512_sub_ps
#define V_MAX _mm512_max_ps
#define V_MIN _mm512_min_ps
#define V_DIV _mm512_div_ps
#define V_ROUND(v) _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define V_SCALE2(v, n) _mm512_scalef_ps(v, n)
#define MASK_OF(n) ((M)((1u << (n)) - 1u))

#include "conv_simd.h"

const int rfdn_avx512_block_max = NMAX;

/* ------------------------------------------------------------------------ */
/* Winograd F(2x2, 3x3): each 2x2 output tile from a 4x4 input tile with 16
 * multiplications per channel pair instead of 36.  Tiles are anchored at
 * even rows and columns of the image, whatever rows a call computes, so the
 * result never depends on how rows are split between threads.
 *
 * Per pair of output rows and segment of WT tiles: (1) the input tiles of
 * every channel are transformed (V = B^T d B) into vb[16][cin][WT]; (2) for
 * each of the 16 points, a 1x1 convolution cin -> cout over the tiles (the
 * same register-blocked kernel as above) gives mb[16][cout][WT]; (3) the
 * output transform (Y = A^T m A), the bias and the epilogue write the rows. */

#define WT (NV * VL) /* tiles per segment */

static inline __m512i idx_even(void)
{
    return _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}

static inline __m512i idx_odd(void)
{
    return _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
}

/* 16 floats of a row from column x (>= -1); columns beyond w read as 0 */
static inline V load_cols(const float *row, int x, int w)
{
    const int n = w + 1 - x;
    return V_LOADM(row + x, MASK_OF(n <= 0 ? 0 : n > VL ? VL : n));
}

static void wino_rows(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out, int y0,
                      int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    float vb[16 * RFDN_WINO_MAX_C * WT] __attribute__((aligned(64)));
    float mb[16 * RFDN_WINO_MAX_C * WT] __attribute__((aligned(64)));
    const int cin = in->c, cout = out->c, w = out->w, h = out->h;
    const int ntw = (w + 1) / 2;
    const __m512i ie = idx_even(), io = idx_odd();
    const __m512i ilo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i ihi =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    for (int py = y0 & ~1; py < y1; py += 2) {
        for (int t0 = 0; t0 < ntw; t0 += WT) {
            const int nt = ntw - t0 < WT ? ntw - t0 : WT;
            /* (1) input transform */
            for (int ci = 0; ci < cin; ci++) {
                const float *rows[4];
                for (int i = 0; i < 4; i++) {
                    const int r = py - 1 + i; /* rows -1 .. h exist */
                    rows[i] = r <= h ? in->p + (size_t)ci * in->cs + (ptrdiff_t)r * in->rs
                                     : NULL;
                }
                for (int j = 0; j < NV; j++) {
                    const int x = 2 * (t0 + j * VL) - 1;
                    V t[4][4];
                    for (int i = 0; i < 4; i++) {
                        V d0, d1, d2, d3;
                        if (rows[i] && x <= w) {
                            const V a = load_cols(rows[i], x, w);
                            const V b = load_cols(rows[i], x + 16, w);
                            const V c = load_cols(rows[i], x + 2, w);
                            const V d = load_cols(rows[i], x + 18, w);
                            d0 = _mm512_permutex2var_ps(a, ie, b);
                            d1 = _mm512_permutex2var_ps(a, io, b);
                            d2 = _mm512_permutex2var_ps(c, ie, d);
                            d3 = _mm512_permutex2var_ps(c, io, d);
                        } else {
                            d0 = d1 = d2 = d3 = V_SET1(0.0f);
                        }
                        t[i][0] = V_SUB(d0, d2);
                        t[i][1] = V_ADD(d1, d2);
                        t[i][2] = V_SUB(d2, d1);
                        t[i][3] = V_SUB(d1, d3);
                    }
                    for (int l = 0; l < 4; l++) {
                        const V v[4] = {V_SUB(t[0][l], t[2][l]), V_ADD(t[1][l], t[2][l]),
                                        V_SUB(t[2][l], t[1][l]), V_SUB(t[1][l], t[3][l])};
                        for (int k = 0; k < 4; k++)
                            V_STORE(vb + ((size_t)(k * 4 + l) * cin + ci) * WT + j * VL, v[k]);
                    }
                }
            }
            /* (2) the 16 products */
            for (int p = 0; p < 16; p++) {
                const rfdn_fmap vi = {vb + (size_t)p * cin * WT, cin, 1, nt, WT, WT};
                const rfdn_fmap mo = {mb + (size_t)p * cout * WT, cout, 1, nt, WT, WT};
                conv_rows(&pc->wino[p], &vi, &mo, 0, 1, RFDN_EP_NONE, NULL);
            }
            /* (3) output transform, bias, epilogue */
            const int xo = 2 * t0;
            for (int co = 0; co < cout; co++) {
                const V bias = V_SET1(pc->cv->b[co]);
                for (int j = 0; j < NV && j * VL < nt; j++) {
                    V m[4][4], s0[4], s1[4];
                    for (int q = 0; q < 16; q++)
                        m[q / 4][q % 4] = V_LOAD(mb + ((size_t)q * cout + co) * WT + j * VL);
                    for (int k = 0; k < 4; k++) {
                        s0[k] = V_ADD(V_ADD(m[k][0], m[k][1]), m[k][2]);
                        s1[k] = V_SUB(V_SUB(m[k][1], m[k][2]), m[k][3]);
                    }
                    const V y00 = V_ADD(V_ADD(V_ADD(s0[0], s0[1]), s0[2]), bias);
                    const V y01 = V_ADD(V_ADD(V_ADD(s1[0], s1[1]), s1[2]), bias);
                    const V y10 = V_ADD(V_SUB(V_SUB(s0[1], s0[2]), s0[3]), bias);
                    const V y11 = V_ADD(V_SUB(V_SUB(s1[1], s1[2]), s1[3]), bias);
                    for (int r = 0; r < 2; r++) {
                        const int y = py + r;
                        if (y < y0 || y >= y1 || y >= h)
                            continue;
                        const V e = r ? y10 : y00, o = r ? y11 : y01;
                        const V half[2] = {_mm512_permutex2var_ps(e, ilo, o),
                                           _mm512_permutex2var_ps(e, ihi, o)};
                        float *orow = out->p + (size_t)co * out->cs + (ptrdiff_t)y * out->rs;
                        const float *arow =
                            aux ? aux->p + (size_t)co * aux->cs + (ptrdiff_t)y * aux->rs : NULL;
                        for (int hh = 0; hh < 2; hh++) {
                            const int x = xo + 2 * j * VL + hh * VL;
                            const int n = w - x;
                            if (n <= 0)
                                break;
                            const M mk = MASK_OF(n > VL ? VL : n);
                            const V res = epilogue(half[hh], ep, arow ? arow + x : NULL, true, mk);
                            V_STOREM(orow + x, mk, res);
                        }
                    }
                }
            }
        }
    }
}

void rfdn_conv_rows_avx512(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                           int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    if (pc->wino)
        wino_rows(pc, in, out, y0, y1, ep, aux);
    else
        conv_rows(pc, in, out, y0, y1, ep, aux);
}
