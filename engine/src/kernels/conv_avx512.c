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

void rfdn_conv_rows_avx512(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                           int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    conv_rows(pc, in, out, y0, y1, ep, aux);
}
