/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The convolution kernels' interface: epilogues, packed weights, the table
 * of kernels per instruction set (kernels/, chosen by cpu.c) and the
 * portable dense convolution for small maps (kernels/conv_ref.c). */
#ifndef RFDN_CONV_H
#define RFDN_CONV_H

#include <stdbool.h>
#include <stddef.h>

#include "fmap.h"
#include "model.h"

#define RFDN_LRELU_SLOPE 0.05f

/* What a convolution does with its result o, given the value a of `aux` at
 * the same place (channel, row, column). */
typedef enum rfdn_epilogue {
    RFDN_EP_NONE,        /* o */
    RFDN_EP_LRELU,       /* lrelu(o) */
    RFDN_EP_ADD,         /* o + a */
    RFDN_EP_ADD_LRELU,   /* lrelu(o + a) */
    RFDN_EP_SIGMOID_MUL, /* a * sigmoid(o) */
} rfdn_epilogue;

/* Most output-channel blocks a packed convolution has. */
#define RFDN_PCONV_MAX_BLOCKS 64

/* A convolution's weights repacked for one kernel family: output channels in
 * blocks of n <= block_max, each block's weights laid out [cin][k*k][n]. */
typedef struct rfdn_pconv {
    const rfdn_conv *cv;
    int nblk;
    int blk_co[RFDN_PCONV_MAX_BLOCKS]; /* first output channel of each block */
    int blk_n[RFDN_PCONV_MAX_BLOCKS];  /* channels in it */
    float *w;                          /* packed weights, block after block */
    size_t blk_off[RFDN_PCONV_MAX_BLOCKS];
    /* The Winograd F(m x m, 3x3) form of a 3x3 convolution (m = 2 or 4), for
     * kernels that have one: for each of the (m+2)^2 points of a transformed
     * tile, a 1x1 convolution from cin to cout over the tiles.  NULL when not
     * used. */
    int wino_m;
    struct rfdn_pconv *wino; /* (wino_m + 2)^2 */
    rfdn_conv *wino_cv;      /* their weights G g G^T and zero biases */
    float *wino_w;
} rfdn_pconv;

/* Winograd is used for 3x3 convolutions with channel counts in this range. */
#define RFDN_WINO_MIN_CIN 8
#define RFDN_WINO_MAX_C 64

/* Computes output rows [y0, y1) of a 1x1 or 3x3 (stride 1, padding k/2)
 * convolution, all output channels, and applies the epilogue. */
typedef void (*rfdn_conv_rows_fn)(const rfdn_pconv *pc, const rfdn_fmap *in,
                                  const rfdn_fmap *out, int y0, int y1, rfdn_epilogue ep,
                                  const rfdn_fmap *aux);

typedef struct rfdn_kernels {
    const char *name; /* "c", "avx2", "avx512" */
    int block_max;    /* output channels per packed block */
    rfdn_conv_rows_fn conv_rows;
    int winograd;     /* 3x3 convolutions through Winograd F(m x m, 3x3): m = 2 or
                         4, 0 for none */
    int wino_block_max; /* output channels per packed block of F(4x4) products */
} rfdn_kernels;

void rfdn_conv_rows_c(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out, int y0,
                      int y1, rfdn_epilogue ep, const rfdn_fmap *aux);
void rfdn_conv_rows_avx2(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                         int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux);
void rfdn_conv_rows_avx512(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                           int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux);
/* Their register blocking: output channels per block (NMAX), and for the
 * AVX-512 F(4x4) products (NMAXP). */
#define RFDN_AVX2_NMAX 4
#define RFDN_AVX2_NMAXP 6
#define RFDN_AVX512_NMAX 6
#define RFDN_AVX512_NMAXP 12

/* CPU features the machine and its OS support (RFDN_CPU_* bits). */
unsigned rfdn_cpu_detect(void);
/* The best kernels for `mask` (further limited by RFDN_CPU_MASK).  For
 * benchmarks and tests, RFDN_WINOGRAD=0, 2 or 4 picks the Winograd form of
 * kernels that have one (0: direct convolution). */
const rfdn_kernels *rfdn_kernels_select(unsigned mask);

/* Packs cv for kernels k (direct form only).  Returns false when memory
 * runs out.  rfdn_pconv_init_full adds the Winograd form where k uses it. */
bool rfdn_pconv_init(rfdn_pconv *pc, const rfdn_conv *cv, const rfdn_kernels *k);
bool rfdn_pconv_init_full(rfdn_pconv *pc, const rfdn_conv *cv, const rfdn_kernels *k);
void rfdn_pconv_free(rfdn_pconv *pc);

/* Portable convolution (any stride and padding) into a dense (c, ho, wo)
 * array, input element (c, y, x) at in[c * cs + y * rs + x]: for ESA's
 * stride-2 convolution and small pooled maps, and CCA's 1x1 on the channel
 * statistics. */
void rfdn_conv2d_ref(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                     size_t cs, float *out);
void rfdn_conv2d_ref_rows(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                          size_t cs, float *out, int oy0, int oy1);

#endif
