/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Engine internals shared by model loading, the network and the public API. */
#ifndef RFDN_INTERNAL_H
#define RFDN_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rfdn.h"

/* Largest input side the engine accepts, and largest input pixel count.
 * Far beyond any photograph; they keep every size computation in range. */
#define RFDN_MAX_SIDE (1 << 20)
#define RFDN_MAX_PIXELS ((size_t)1 << 32)

/* ESA's 7x7 max-pool on the stride-2 map needs inputs of at least 15x15;
 * smaller inputs are replicate-padded at the bottom/right (tools/reference.py
 * does the same). */
#define RFDN_ESA_MIN_SIZE 15

#define RFDN_LRELU_SLOPE 0.05f

/* One convolution: weights OIHW float32, one bias per output channel. */
typedef struct rfdn_conv {
    int cout, cin, k;
    int stride, pad;
    const float *w;
    const float *b;
} rfdn_conv;

typedef struct rfdn_block {
    rfdn_conv c1_d, c1_r, c2_d, c2_r, c3_d, c3_r, c4, c5;
    /* ESA */
    rfdn_conv esa_conv1, esa_conv_f, esa_conv_max, esa_conv2, esa_conv3, esa_conv3_, esa_conv4;
    /* CCA */
    rfdn_conv cca_du0, cca_du2;
} rfdn_block;

typedef struct rfdn_meta_entry {
    char *key;
    char *value;
} rfdn_meta_entry;

struct rfdn_model {
    atomic_int refs;
    rfdn_model_info info;
    rfdn_conv fea, c0, lr, up;
    rfdn_block *block;
    float *weights; /* one allocation holding every tensor */
    rfdn_meta_entry *meta;
    size_t n_meta;
};

/* ------------------------------------------------------------------------ */
/* Feature maps: planar, each channel plane with a one-pixel zero halo so that
 * 3x3 convolutions read without bounds checks.  Element (c, y, x), for
 * -1 <= y <= h and -1 <= x <= w, is p[c * cs + y * rs + x]. */
typedef struct rfdn_fmap {
    float *p;
    int c, h, w;
    ptrdiff_t rs; /* row stride, floats */
    size_t cs;    /* channel stride, floats */
} rfdn_fmap;

/* Row stride for width w: w plus both halo columns, rounded up to 16. */
static inline ptrdiff_t rfdn_fmap_rs(int w)
{
    return ((ptrdiff_t)w + 2 + 15) & ~(ptrdiff_t)15;
}

/* Floats a c x h x w map occupies. */
static inline size_t rfdn_fmap_floats(int c, int h, int w)
{
    return (size_t)c * (size_t)(h + 2) * (size_t)rfdn_fmap_rs(w);
}

/* A map over `base` (rfdn_fmap_floats(c, h, w) floats). */
static inline rfdn_fmap rfdn_fmap_at(float *base, int c, int h, int w)
{
    rfdn_fmap m = {NULL, c, h, w, rfdn_fmap_rs(w), 0};
    m.cs = (size_t)(h + 2) * (size_t)m.rs;
    m.p = base + m.rs + 1;
    return m;
}

/* Channels [c0, c0 + n) of a map, as a map. */
static inline rfdn_fmap rfdn_fmap_slice(const rfdn_fmap *m, int c0, int n)
{
    rfdn_fmap s = *m;
    s.p = m->p + (size_t)c0 * m->cs;
    s.c = n;
    return s;
}

/* ------------------------------------------------------------------------ */
/* Convolution kernels */

/* What a convolution does with its result o, given the value a of `aux` at
 * the same place (channel, row, column). */
typedef enum rfdn_epilogue {
    RFDN_EP_NONE,        /* o */
    RFDN_EP_LRELU,       /* lrelu(o) */
    RFDN_EP_ADD,         /* o + a */
    RFDN_EP_ADD_LRELU,   /* lrelu(o + a) */
    RFDN_EP_SIGMOID_MUL, /* a * sigmoid(o) */
} rfdn_epilogue;

/* A convolution's weights repacked for one kernel family: output channels in
 * blocks of n <= block_max, each block's weights laid out [cin][k*k][n]. */
typedef struct rfdn_pconv {
    const rfdn_conv *cv;
    int nblk;
    int blk_co[64]; /* first output channel of each block */
    int blk_n[64];  /* channels in it */
    float *w;       /* packed weights, block after block */
    size_t blk_off[64];
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

/* ------------------------------------------------------------------------ */
/* Thread pool: persistent workers that run numbered tasks. */
typedef struct rfdn_pool rfdn_pool;
rfdn_pool *rfdn_pool_create(int threads); /* threads >= 1, including the caller */
void rfdn_pool_free(rfdn_pool *pool);
int rfdn_pool_threads(const rfdn_pool *pool);
/* Runs fn(arg, i) for i in [0, n) on the pool and the calling thread; returns
 * when all are done.  NULL pool: runs them on the caller. */
void rfdn_pool_run(rfdn_pool *pool, int n, void (*fn)(void *arg, int i), void *arg);

/* ------------------------------------------------------------------------ */
/* The network */

typedef struct rfdn_run_hooks {
    /* Called between layers; returns true when the run must stop. */
    bool (*tick)(void *user, uint64_t done, uint64_t total);
    void *user;
} rfdn_run_hooks;

/* A model's convolutions packed for one set of kernels, with a pool. */
typedef struct rfdn_exec {
    const rfdn_model *m;
    const rfdn_kernels *k;
    rfdn_pool *pool;
    rfdn_pconv *pc; /* one per convolution of the model, see net.c */
    int npc;
    rfdn_conv *esa2; /* per block, ESA's conv2 at stride 1 (net.c), or NULL */
    /* When set (by rfdn_cancel, from any thread), the remaining work of a
     * run is skipped: checked before every row range of every layer.  NULL:
     * never. */
    const atomic_bool *stop;
} rfdn_exec;

bool rfdn_exec_init(rfdn_exec *ex, const rfdn_model *m, const rfdn_kernels *k, rfdn_pool *pool);
void rfdn_exec_free(rfdn_exec *ex);

/* Where a tile lies in the whole image (input pixels): x and y of its
 * top-left corner, multiples of RFDN_TILE_ALIGN, and the image's size. */
typedef struct rfdn_region {
    int x, y, full_w, full_h;
    /* CCA (RFDN): when set, the channel gains of every block (blocks x nf)
     * come from here instead of from the tile's own statistics, so that all
     * tiles of an image scale their channels alike. */
    const float *cca_gain;
    /* When set, the gains a run computes are stored here. */
    float *cca_gain_out;
} rfdn_region;

/* ESA's stride-2 convolution and stride-3 max-pool make a 6-pixel grid;
 * tiles start on it so that their pooled cells are the whole image's. */
#define RFDN_TILE_ALIGN 6

/* Floats of scratch memory rfdn_net_forward needs for an h x w input. */
size_t rfdn_net_scratch_floats(const rfdn_model *m, int w, int h);

/* Runs the network: `in` is 3 x h x w planar in the [0, 255] range; `out`
 * is 3 x (s*h) x (s*w) planar, before the final clamp.  `scratch` holds
 * rfdn_net_scratch_floats(m, w, h) floats.  `region`: NULL for a whole
 * image, else the tile's place in it (ESA then resamples on the whole
 * image's grid).  Returns RFDN_OK or RFDN_CANCELLED (when hooks->tick asked
 * to stop or the exec's stop flag is set). */
rfdn_status rfdn_net_run(const rfdn_exec *ex, float *scratch, const float *in, int w, int h,
                         float *out, const rfdn_region *region, const rfdn_run_hooks *hooks);

/* The same with portable kernels on one thread (tests, tools). */
rfdn_status rfdn_net_forward(const rfdn_model *m, float *scratch, const float *in, int w, int h,
                             float *out, const rfdn_run_hooks *hooks);

/* Units of work rfdn_net_run reports through hooks->tick for one run. */
uint64_t rfdn_net_work_units(const rfdn_model *m);

/* Portable convolution (any stride and padding) into a dense (c, ho, wo)
 * array, input element (c, y, x) at in[c * cs + y * rs + x]: for ESA's
 * stride-2 convolution and small pooled maps, and CCA's 1x1 on the channel
 * statistics (engine/src/kernels/conv_ref.c). */
void rfdn_conv2d_ref(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                     size_t cs, float *out);
void rfdn_conv2d_ref_rows(const rfdn_conv *cv, const float *in, int w, int h, ptrdiff_t rs,
                          size_t cs, float *out, int oy0, int oy1);

/* Bounded string formatting into a caller buffer (NULL allowed). */
void rfdn_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Allocation wrappers: every allocation of the engine goes through them so
 * that tests can make the i-th one fail (see rfdn_test_fail_alloc_at). */
/* pth.c: a PyTorch state_dict file converted to safetensors bytes (malloc'd). */
rfdn_status rfdn_pth_to_safetensors(const uint8_t *buf, size_t size, uint8_t **out,
                                    size_t *out_size, char *err, size_t errn);

void *rfdn_malloc(size_t size);
void *rfdn_calloc(size_t n, size_t size);
void *rfdn_aligned_alloc(size_t size);
void rfdn_aligned_free(void *p);
/* Test hooks, for the tests that link the static engine (rfdn_core): not
 * exported from librfdn.so.  Make the n-th allocation from now fail (0 =
 * never); returns the number of allocations made since the last call. */
unsigned long rfdn_test_fail_alloc_at(unsigned long n);
/* Process tiles last to first (the result must not change). */
void rfdn_test_reverse_tiles(bool on);

#endif
