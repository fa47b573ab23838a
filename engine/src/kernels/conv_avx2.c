/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AVX2 + FMA convolution: 8 pixels per vector, 4 output channels x 3
 * vectors = 12 accumulators of the 16 registers.  Compiled with AVX2 and FMA
 * flags only for this file. */
#include <immintrin.h>

#include "../conv.h"

typedef __m256 V;
typedef __m256i M;
#define VL 8
#define NMAX RFDN_AVX2_NMAX
#define NV 3
#define V_SET1 _mm256_set1_ps
#define V_LOAD _mm256_loadu_ps
#define V_LOADM(p, m) _mm256_maskload_ps(p, m)
#define V_STORE _mm256_storeu_ps
#define V_STOREM(p, m, v) _mm256_maskstore_ps(p, m, v)
#define V_FMA _mm256_fmadd_ps
#define V_MUL _mm256_mul_ps
#define V_ADD _mm256_add_ps
#define V_SUB _mm256_sub_ps
#define V_MAX _mm256_max_ps
#define V_MIN _mm256_min_ps
#define V_DIV _mm256_div_ps
#define V_ROUND(v) _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
/* v * 2^n for integral n in [-127, 127]: build the float 2^n from its bits */
#define V_SCALE2(v, n)                                                                       \
    _mm256_mul_ps(v, _mm256_castsi256_ps(_mm256_slli_epi32(                                  \
                         _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23)))
#define MASK_OF(n)                                                                           \
    _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))
/* Winograd: even / odd elements of a:b, interleaving, a1 .. a7 b0 */
#define V_EVEN(a, b)                                                                         \
    _mm256_castpd_ps(_mm256_permute4x64_pd(                                                  \
        _mm256_castps_pd(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0))), _MM_SHUFFLE(3, 1, 2, 0)))
#define V_ODD(a, b)                                                                          \
    _mm256_castpd_ps(_mm256_permute4x64_pd(                                                  \
        _mm256_castps_pd(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1))), _MM_SHUFFLE(3, 1, 2, 0)))
#define V_ZIP_LO(e, o)                                                                       \
    _mm256_permute2f128_ps(_mm256_unpacklo_ps(e, o), _mm256_unpackhi_ps(e, o), 0x20)
#define V_ZIP_HI(e, o)                                                                       \
    _mm256_permute2f128_ps(_mm256_unpacklo_ps(e, o), _mm256_unpackhi_ps(e, o), 0x31)
#define V_SHIFT1(a, b)                                                                       \
    _mm256_blend_ps(_mm256_permutevar8x32_ps(a, _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 0)),  \
                    _mm256_broadcastss_ps(_mm256_castps256_ps128(b)), 0x80)
/* F(4x4) products: 2 vectors of tiles x up to 6 output channels (12
 * accumulators, 2 pixel vectors and a broadcast in the 16 registers) */
#define NVP 2
#define NMAXP RFDN_AVX2_NMAXP

#include "conv_simd.h"

void rfdn_conv_rows_avx2(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                         int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    conv_rows_any(pc, in, out, y0, y1, ep, aux);
}
