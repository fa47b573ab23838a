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

/* Planar float network I/O: `in` is 3 x h x w in the network's [0, 255]
 * range; `out` is 3 x (s*h) x (s*w), before the final clamp. */
typedef struct rfdn_run_hooks {
    /* Called between layers; returns true when the run must stop. */
    bool (*tick)(void *user, uint64_t done, uint64_t total);
    void *user;
} rfdn_run_hooks;

/* Floats of scratch memory rfdn_net_forward needs for an h x w input. */
size_t rfdn_net_scratch_floats(const rfdn_model *m, int w, int h);

/* Runs the network with `scratch` of rfdn_net_scratch_floats(m, w, h) floats.
 * Returns RFDN_OK or RFDN_CANCELLED (when hooks->tick asked to stop). */
rfdn_status rfdn_net_forward(const rfdn_model *m, float *scratch, const float *in, int w, int h,
                             float *out, const rfdn_run_hooks *hooks);

/* Units of work rfdn_net_forward reports through hooks->tick for one run. */
uint64_t rfdn_net_work_units(const rfdn_model *m);

/* Portable kernels (engine/src/kernels/). Planar layout, c x h x w. */
void rfdn_conv2d_ref(const rfdn_conv *cv, const float *in, int w, int h, float *out);
void rfdn_lrelu_ref(float *x, size_t n);

/* Bounded string formatting into a caller buffer (NULL allowed). */
void rfdn_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Allocation wrappers: every allocation of the engine goes through them so
 * that tests can make the i-th one fail (see rfdn_test_fail_alloc_at). */
void *rfdn_malloc(size_t size);
void *rfdn_calloc(size_t n, size_t size);
void *rfdn_aligned_alloc(size_t size);
void rfdn_aligned_free(void *p);
/* Test hook: make the n-th allocation from now fail (0 = never).  Returns the
 * number of allocations made since the last call. */
RFDN_API unsigned long rfdn_test_fail_alloc_at(unsigned long n);

#endif
