/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The model for transposed runs.  The kernels vectorise along rows, so an
 * image one or a few pixels wide and thousands tall uses a fraction of each
 * vector and runs many times slower per pixel than the same image lying
 * down (issue 26).  Such images run transposed instead (context.c): every
 * operation of both networks commutes with transposition once each
 * spatial kernel is transposed (convolutions, ESA's strided convolution,
 * max pooling and bilinear resize, CCA's whole-map statistics), and the
 * pixel shuffle once the sub-pixel offsets of the upsampling convolution's
 * outputs are swapped.  The arithmetic is the same; only the order of the
 * sums differs, so results agree with the upright run to rounding.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "transpose.h"

/* `c` of the copy: pointed into the copy's weights, its kernels transposed. */
static void transpose_conv(rfdn_conv *c, const rfdn_model *from, rfdn_model *to)
{
    if (!c->w)
        return;
    float *w = to->weights + (c->w - from->weights);
    c->w = w;
    if (c->b)
        c->b = to->weights + (c->b - from->weights);
    const int k = c->k;
    for (long f = 0; k > 1 && f < (long)c->cout * c->cin; f++) {
        float *kk = w + f * k * k;
        for (int y = 0; y < k; y++)
            for (int x = y + 1; x < k; x++) {
                const float t = kk[y * k + x];
                kk[y * k + x] = kk[x * k + y];
                kk[x * k + y] = t;
            }
    }
}

/* The upsampling convolution's outputs: channel c * s^2 + i * s + j makes
 * the sub-pixel (row i, column j) of colour c; transposed, (j, i). */
static void swap_subpixels(rfdn_conv *up, int s)
{
    const size_t per = (size_t)up->cin * up->k * up->k;
    float *w = (float *)up->w, *b = (float *)up->b;
    for (int c = 0; c * s * s < up->cout; c++)
        for (int i = 0; i < s; i++)
            for (int j = i + 1; j < s; j++) {
                const int p = c * s * s + i * s + j, q = c * s * s + j * s + i;
                for (size_t e = 0; e < per; e++) {
                    const float t = w[p * per + e];
                    w[p * per + e] = w[q * per + e];
                    w[q * per + e] = t;
                }
                if (b) {
                    const float t = b[p];
                    b[p] = b[q];
                    b[q] = t;
                }
            }
}

rfdn_model *rfdn_model_transposed(const rfdn_model *m)
{
    rfdn_model *t = rfdn_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    *t = *m;
    atomic_init(&t->refs, 1);
    t->meta = NULL;
    t->n_meta = 0;
    t->block = rfdn_calloc((size_t)m->info.blocks, sizeof *t->block);
    t->weights = rfdn_aligned_alloc(m->info.parameters * sizeof(float));
    if (!t->block || !t->weights) {
        free(t->block);
        rfdn_aligned_free(t->weights);
        free(t);
        return NULL;
    }
    memcpy(t->block, m->block, (size_t)m->info.blocks * sizeof *t->block);
    memcpy(t->weights, m->weights, m->info.parameters * sizeof(float));
    rfdn_conv *outer[] = {&t->fea, &t->c0, &t->lr, &t->up};
    for (size_t i = 0; i < sizeof outer / sizeof *outer; i++)
        transpose_conv(outer[i], m, t);
    for (int b = 0; b < m->info.blocks; b++) {
        rfdn_block *k = &t->block[b];
        rfdn_conv *in_block[] = {&k->c1_d,       &k->c1_r,      &k->c2_d,       &k->c2_r,
                                 &k->c3_d,       &k->c3_r,      &k->c4,         &k->c5,
                                 &k->esa_conv1,  &k->esa_conv_f, &k->esa_conv_max,
                                 &k->esa_conv2,  &k->esa_conv3, &k->esa_conv3_, &k->esa_conv4,
                                 &k->cca_du0,    &k->cca_du2};
        for (size_t i = 0; i < sizeof in_block / sizeof *in_block; i++)
            transpose_conv(in_block[i], m, t);
    }
    swap_subpixels(&t->up, m->info.scale);
    return t;
}
