/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The scratch layout of a run: one map after another, full-size maps first,
 * ESA's maps only for ESA models, and their zero halos.
 */
#include <string.h>

#include "maps.h"

void rfdn_esa_dims(int w, int h, int *wc, int *hc, int *wp, int *hp)
{
    *wc = (w - 3) / 2 + 1; /* conv2: 3x3, stride 2, no padding */
    *hc = (h - 3) / 2 + 1;
    *wp = (*wc - 7) / 3 + 1; /* max-pool 7, stride 3 */
    *hp = (*hc - 7) / 3 + 1;
}

void rfdn_maps_padded_size(const rfdn_model *m, int w, int h, int *pw, int *ph)
{
    *pw = w;
    *ph = h;
    if (m->info.attention == RFDN_ATTENTION_ESA) {
        if (*pw < RFDN_ESA_MIN_SIZE)
            *pw = RFDN_ESA_MIN_SIZE;
        if (*ph < RFDN_ESA_MIN_SIZE)
            *ph = RFDN_ESA_MIN_SIZE;
    }
}

/* The next c x h x w map at *off floats into base (an empty map when base
 * is NULL: no arithmetic on a null pointer). */
static rfdn_fmap place_map(float *base, size_t *off, int c, int h, int w)
{
    rfdn_fmap m = {NULL, c, h, w, 0, 0};
    if (base)
        m = rfdn_fmap_at(base + *off, c, h, w);
    *off += rfdn_fmap_floats(c, h, w);
    return m;
}

static void layout_esa(const rfdn_model *m, int w, int h, float *base, size_t *off,
                       rfdn_maps *M)
{
    const int fc = m->info.nf / 4;
    int wc, hc, wp, hp;
    rfdn_esa_dims(w, h, &wc, &hc, &wp, &hp);
    M->c1_ = place_map(base, off, fc, h, w);
    M->c3up = place_map(base, off, fc, h, w);
    M->s = place_map(base, off, fc, h, w);
    M->c1 = base ? base + *off : NULL; /* dense */
    *off += (size_t)fc * wc * hc;
    M->v = place_map(base, off, fc, hp, wp);
    M->t1 = place_map(base, off, fc, hp, wp);
    M->t2 = place_map(base, off, fc, hp, wp);
}

void rfdn_maps_layout(const rfdn_model *m, int w, int h, float *base, rfdn_maps *M)
{
    const rfdn_model_info *in = &m->info;
    const int nf = in->nf, dc = nf / 2, s2 = in->scale * in->scale;
    size_t off = 0;
    memset(M, 0, sizeof *M);
    M->x = place_map(base, &off, 3, h, w);
    M->fea = place_map(base, &off, nf, h, w);
    M->bout = place_map(base, &off, in->blocks * nf, h, w);
    M->ta = place_map(base, &off, nf, h, w);
    M->tb = place_map(base, &off, nf, h, w);
    M->tc = place_map(base, &off, nf, h, w);
    M->dcat = place_map(base, &off, 4 * dc, h, w);
    M->f = place_map(base, &off, nf, h, w);
    M->up = place_map(base, &off, 3 * s2, h, w);
    if (in->attention == RFDN_ATTENTION_ESA)
        layout_esa(m, w, h, base, &off, M);
    M->total = off;
}

/* Zeroes the halo (and the row padding) of channel c of a map. */
static void zero_halo_channel(const rfdn_fmap *a, int c)
{
    float *p = a->p + (size_t)c * a->cs;
    memset(p - a->rs - 1, 0, sizeof(float) * (size_t)a->rs);
    memset(p + (ptrdiff_t)a->h * a->rs - 1, 0, sizeof(float) * (size_t)a->rs);
    for (int y = 0; y < a->h; y++) {
        float *r = p + (ptrdiff_t)y * a->rs;
        r[-1] = 0.0f;
        memset(r + a->w, 0, sizeof(float) * (size_t)(a->rs - 1 - a->w));
    }
}

typedef struct halo_job {
    const rfdn_fmap *const *maps;
    int n;
} halo_job;

/* task i: the i-th channel counting through all the maps */
static void halo_task(void *arg, int i)
{
    const halo_job *j = arg;
    for (int m = 0; m < j->n; i -= j->maps[m++]->c)
        if (i < j->maps[m]->c) {
            zero_halo_channel(j->maps[m], i);
            return;
        }
}

void rfdn_maps_zero_halos(const rfdn_exec *ex, const rfdn_maps *M)
{
    const rfdn_fmap *all[] = {&M->x,   &M->fea,  &M->bout, &M->ta, &M->tb, &M->tc, &M->dcat,
                              &M->f,   &M->up,   &M->c1_,  &M->c3up, &M->s, &M->v,  &M->t1,
                              &M->t2};
    /* the last six are ESA's */
    halo_job hj = {all, ex->m->info.attention == RFDN_ATTENTION_ESA ? 15 : 9};
    int nch = 0;
    for (int i = 0; i < hj.n; i++)
        nch += all[i]->c;
    rfdn_pool_run(ex->pool, nch, halo_task, &hj);
}
