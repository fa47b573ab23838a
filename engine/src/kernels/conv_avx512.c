/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AVX-512 convolution: 16 pixels per vector, 6 output channels x 4 vectors
 * = 24 accumulators.  Compiled with AVX-512 flags only for this file. */
#include <immintrin.h>

#include "../conv.h"

typedef __m512 V;
typedef __mmask16 M;
#define VL 16
#define NMAX RFDN_AVX512_NMAX
#define NV 4
/* Winograd F(4x4) products: 1 vector of tiles x up to 12 output channels
 * (two vectors: twice the tile buffers in L2, no faster) */
#define NVP 1
#define NMAXP RFDN_AVX512_NMAXP
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
/* even and odd elements of the 2*VL floats a:b; interleaving e and o back */
#define V_EVEN(a, b)                                                                         \
    _mm512_permutex2var_ps(a, _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22,   \
                                                 24, 26, 28, 30), b)
#define V_ODD(a, b)                                                                          \
    _mm512_permutex2var_ps(a, _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23,   \
                                                 25, 27, 29, 31), b)
#define V_ZIP_LO(e, o)                                                                       \
    _mm512_permutex2var_ps(e, _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, \
                                                 22, 7, 23), o)
#define V_ZIP_HI(e, o)                                                                       \
    _mm512_permutex2var_ps(e, _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13,    \
                                                 29, 14, 30, 15, 31), o)

/* a1 .. a15 b0 */
#define V_SHIFT1(a, b)                                                                       \
    _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(b), _mm512_castps_si512(a), 1))

#include "conv_simd.h"

void rfdn_conv_rows_avx512(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                           int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    conv_rows_any(pc, in, out, y0, y1, ep, aux);
}
