/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A loaded model: its convolutions, metadata and the limits every model
 * file is checked against (model.c loads it, net.c runs it). */
#ifndef RFDN_MODEL_H
#define RFDN_MODEL_H

#include <stdatomic.h>
#include <stddef.h>

#include "rfdn.h"

/* Largest input side the engine accepts, and largest input pixel count.
 * Far beyond any photograph; they keep every size computation in range. */
#define RFDN_MAX_SIDE (1 << 20)
#define RFDN_MAX_PIXELS ((size_t)1 << 32)

/* Largest feature channel count and block count a model may have; CCA's
 * reduction has RFDN_MAX_NF / 4 channels at most. */
#define RFDN_MAX_NF 256
#define RFDN_MAX_BLOCKS 32

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

#endif
