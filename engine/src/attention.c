/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The attention of each block: ESA (E-RFDN) and CCA (RFDN), as
 * docs/MODELS.md defines them.  Their large convolutions run through the
 * selected kernels like the others; ESA's max-pool and resize and CCA's
 * per-channel statistics run in portable C, split by rows or channels.
 */
#include <math.h>
#include <string.h>

#include "attention.h"
#include "par.h"

static inline float sigmoidf(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

static void relu(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] < 0.0f ? 0.0f : x[i];
}

static void relu_map(const rfdn_fmap *a)
{
    for (int c = 0; c < a->c; c++)
        for (int y = 0; y < a->h; y++)
            relu(a->p + (size_t)c * a->cs + (ptrdiff_t)y * a->rs, (size_t)a->w);
}

/* max-pool 7, stride 3, of the dense (c, ih, iw) into the rows [y0, y1) of
 * a map */
typedef struct pool_job {
    const float *in;
    int iw, ih;
    const rfdn_fmap *out;
} pool_job;

static void max_pool_rows(void *arg, int y0, int y1)
{
    const pool_job *j = arg;
    const int k = 7, s = 3;
    for (int ch = 0; ch < j->out->c; ch++) {
        const float *p = j->in + (size_t)ch * j->iw * j->ih;
        for (int y = y0; y < y1; y++) {
            float *o = j->out->p + (size_t)ch * j->out->cs + (ptrdiff_t)y * j->out->rs;
            for (int x = 0; x < j->out->w; x++) {
                float v = -INFINITY;
                for (int dy = 0; dy < k; dy++)
                    for (int dx = 0; dx < k; dx++) {
                        float t = p[(size_t)(y * s + dy) * j->iw + x * s + dx];
                        v = t > v ? t : v;
                    }
                o[x] = v;
            }
        }
    }
}

/* PyTorch's bilinear resize, align_corners = False, size given (not scale),
 * from dense (c, ih, iw) to the rows [y0, y1) of a map.
 *
 * For a tile of a larger image (`reg`), the sample positions are those of
 * the whole image's resize: the whole image's pooled map is what the tile's
 * would be if the tile covered everything, and the tile's origin lies on the
 * pooled grid (a multiple of 6 pixels), so pooled cell k of the whole image
 * is cell k - origin / 6 of the tile's. */
typedef struct resize_job {
    const rfdn_fmap *in;
    const rfdn_fmap *out;
    const rfdn_region *reg;
} resize_job;

/* Source index pair and weight of output position x for one axis. */
static void bilinear_axis(int x, int in_len, int out_len, int origin, int full_out,
                          int local_len, int *a, int *b, float *l)
{
    int full_in = in_len;
    if (full_out) { /* the whole image's geometry along this axis */
        int wc = (full_out - 3) / 2 + 1;
        full_in = (wc - 7) / 3 + 1;
        out_len = full_out;
        x += origin;
    }
    float f = ((float)x + 0.5f) * ((float)full_in / (float)out_len) - 0.5f;
    if (f < 0)
        f = 0;
    int ia = (int)f, ib = ia + (ia < full_in - 1);
    *l = f - (float)ia;
    if (full_out) {
        ia -= origin / RFDN_TILE_ALIGN;
        ib -= origin / RFDN_TILE_ALIGN;
        ia = ia < 0 ? 0 : ia >= local_len ? local_len - 1 : ia;
        ib = ib < 0 ? 0 : ib >= local_len ? local_len - 1 : ib;
    }
    *a = ia;
    *b = ib;
}

static void resize_rows(void *arg, int y0, int y1)
{
    const resize_job *j = arg;
    const rfdn_fmap *in = j->in, *out = j->out;
    const int iw = in->w, ih = in->h, ow = out->w, oh = out->h;
    const rfdn_region *r = j->reg;
    enum { XS = 256 }; /* columns per pass: their source columns and weights */
    int xa[XS], xb[XS];
    float lx[XS];
    for (int x0 = 0; x0 < ow; x0 += XS) {
        const int n = ow - x0 < XS ? ow - x0 : XS;
        for (int i = 0; i < n; i++)
            bilinear_axis(x0 + i, iw, ow, r ? r->x : 0, r ? r->full_w : 0, iw, &xa[i], &xb[i],
                          &lx[i]);
        for (int y = y0; y < y1; y++) {
            int ya, yb;
            float ly;
            bilinear_axis(y, ih, oh, r ? r->y : 0, r ? r->full_h : 0, ih, &ya, &yb, &ly);
            const float hy = 1.0f - ly;
            for (int c = 0; c < out->c; c++) {
                const float *pa = in->p + (size_t)c * in->cs + (ptrdiff_t)ya * in->rs;
                const float *pb = in->p + (size_t)c * in->cs + (ptrdiff_t)yb * in->rs;
                float *o = out->p + (size_t)c * out->cs + (ptrdiff_t)y * out->rs + x0;
                for (int i = 0; i < n; i++) {
                    const float hx = 1.0f - lx[i];
                    o[i] = hy * (hx * pa[xa[i]] + lx[i] * pa[xb[i]]) +
                           ly * (hx * pb[xa[i]] + lx[i] * pb[xb[i]]);
                }
            }
        }
    }
}

/* A small convolution (rfdn_conv2d_ref) split by output rows. */
typedef struct refconv_job {
    const rfdn_conv *cv;
    const float *in;
    int w, h;
    ptrdiff_t rs;
    size_t cs;
    float *out;
} refconv_job;

static void refconv_rows(void *arg, int y0, int y1)
{
    const refconv_job *j = arg;
    rfdn_conv2d_ref_rows(j->cv, j->in, j->w, j->h, j->rs, j->cs, j->out, y0, y1);
}

/* dense out[c][y][x] = map (c, 2y + 1, 2x + 1): a stride-1 convolution with
 * padding 1 at the centres of the stride-2 one without padding */
typedef struct subsample_job {
    const rfdn_fmap *in;
    float *out;
    int wo, ho;
} subsample_job;

static void subsample_rows(void *arg, int y0, int y1)
{
    const subsample_job *j = arg;
    for (int c = 0; c < j->in->c; c++)
        for (int y = y0; y < y1; y++) {
            const float *r = j->in->p + (size_t)c * j->in->cs + (ptrdiff_t)(2 * y + 1) * j->in->rs;
            float *o = j->out + ((size_t)c * j->ho + y) * j->wo;
            for (int x = 0; x < j->wo; x++)
                o[x] = r[2 * x + 1];
        }
}

void rfdn_esa_gate_steps(rfdn_sweep *sw, const rfdn_exec *ex, int bi, const rfdn_maps *M,
                         const rfdn_fmap *out)
{
    rfdn_sweep_add(sw, rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA_F), &M->c1_, &M->s, RFDN_EP_ADD,
                   &M->c3up);
    rfdn_sweep_add(sw, rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA4), &M->s, out,
                   RFDN_EP_SIGMOID_MUL, &M->f);
}

bool rfdn_esa_gate_deferred(const rfdn_model *m)
{
    return m->info.attention == RFDN_ATTENTION_ESA && !m->info.block_residual;
}

void rfdn_esa(const rfdn_exec *ex, int bi, const rfdn_maps *M, const rfdn_fmap *out,
              const rfdn_region *reg)
{
    const rfdn_block *b = &ex->m->block[bi];
    const int w = M->f.w, h = M->f.h;
    int wc, hc, wp, hp;
    rfdn_esa_dims(w, h, &wc, &hc, &wp, &hp);

    /* conv1 (f -> c1_) ran in the block's sweep */
    if (rfdn_exec_stopped(ex))
        return;
    /* the stride-2 convolution of the full-size map: in parallel */
    const rfdn_pconv *c2 = rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA2);
    if (c2->w) { /* ran in the sweep too, everywhere at stride 1 into s */
        subsample_job sj = {&M->s, M->c1, wc, hc};
        rfdn_par_rows(ex, hc, subsample_rows, &sj);
    } else {
        refconv_job rc = {&b->esa_conv2, M->c1_.p, w, h, M->c1_.rs, M->c1_.cs, M->c1};
        rfdn_par_rows(ex, (h - b->esa_conv2.k) / b->esa_conv2.stride + 1, refconv_rows, &rc);
    }
    if (rfdn_exec_stopped(ex))
        return;
    pool_job pj = {M->c1, wc, hc, &M->v};
    rfdn_par_rows(ex, hp, max_pool_rows, &pj);
    /* the three small convolutions through the kernels, as the others */
    rfdn_par_conv(ex, rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA_MAX), &M->v, &M->t1, RFDN_EP_NONE,
                  NULL);
    relu_map(&M->t1);
    rfdn_par_conv(ex, rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA3), &M->t1, &M->t2, RFDN_EP_NONE,
                  NULL);
    relu_map(&M->t2);
    rfdn_par_conv(ex, rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA3B), &M->t2, &M->t1, RFDN_EP_NONE,
                  NULL);
    if (rfdn_exec_stopped(ex))
        return;
    resize_job rj = {&M->t1, &M->c3up, reg};
    rfdn_par_rows(ex, h, resize_rows, &rj);
    if (rfdn_esa_gate_deferred(ex->m))
        return;
    const rfdn_conv_step g[] = {
        {rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA_F), &M->c1_, &M->s, &M->c3up, RFDN_EP_ADD},
        {rfdn_exec_block_pc(ex, bi, RFDN_BLK_ESA4), &M->s, out, &M->f, RFDN_EP_SIGMOID_MUL},
    };
    rfdn_par_conv_group(ex, g, 2);
}

typedef struct scale_job {
    const rfdn_fmap *f, *out, *res; /* res: block input to add, or NULL */
    const float *g;                 /* per-channel gain, or NULL */
} scale_job;

/* out = f * g[c] (+ res) over rows */
static void scale_rows(void *arg, int y0, int y1)
{
    const scale_job *j = arg;
    for (int c = 0; c < j->out->c; c++)
        for (int y = y0; y < y1; y++) {
            const float g = j->g ? j->g[c] : 1.0f;
            const float *x = j->f->p + (size_t)c * j->f->cs + (ptrdiff_t)y * j->f->rs;
            float *o = j->out->p + (size_t)c * j->out->cs + (ptrdiff_t)y * j->out->rs;
            if (j->res) {
                const float *r = j->res->p + (size_t)c * j->res->cs + (ptrdiff_t)y * j->res->rs;
                for (int i = 0; i < j->out->w; i++)
                    o[i] = x[i] * g + r[i];
            } else {
                for (int i = 0; i < j->out->w; i++)
                    o[i] = x[i] * g;
            }
        }
}

/* stat[c] = mean + standard deviation of channel c of f, in double, in a
 * fixed order (one channel per task: the same sums whatever the threads) */
typedef struct stat_job {
    const rfdn_exec *ex;
    const rfdn_fmap *f;
    float *stat;
} stat_job;

static void stat_task(void *arg, int c)
{
    const stat_job *j = arg;
    const rfdn_fmap *f = j->f;
    if (rfdn_exec_stopped(j->ex))
        return;
    const double P = (double)f->w * f->h;
    double sum = 0, sq = 0;
    for (int y = 0; y < f->h; y++) {
        const float *r = f->p + (size_t)c * f->cs + (ptrdiff_t)y * f->rs;
        for (int i = 0; i < f->w; i++)
            sum += r[i];
    }
    const double mean = sum / P;
    for (int y = 0; y < f->h; y++) {
        const float *r = f->p + (size_t)c * f->cs + (ptrdiff_t)y * f->rs;
        for (int i = 0; i < f->w; i++)
            sq += (r[i] - mean) * (r[i] - mean);
    }
    j->stat[c] = (float)(mean + sqrt(sq / P));
}

void rfdn_cca(const rfdn_exec *ex, int bi, const rfdn_fmap *f, const rfdn_fmap *x,
              const rfdn_fmap *out, const rfdn_region *reg)
{
    const rfdn_block *b = &ex->m->block[bi];
    const int nf = b->cca_du0.cin, nr = b->cca_du0.cout;
    float stat[2 * RFDN_MAX_NF + RFDN_MAX_NF / 4] = {0}, *hid = stat + nf, *g = hid + nr;
    if (reg && reg->cca_gain) {
        memcpy(g, reg->cca_gain + (size_t)bi * nf, sizeof(float) * (size_t)nf);
        goto apply;
    }
    stat_job sj = {ex, f, stat};
    rfdn_pool_run(ex->pool, nf, stat_task, &sj); /* a channel per task */
    if (rfdn_exec_stopped(ex))
        return;
    rfdn_conv2d_ref(&b->cca_du0, stat, 1, 1, 1, 1, hid);
    relu(hid, (size_t)nr);
    rfdn_conv2d_ref(&b->cca_du2, hid, 1, 1, 1, 1, g);
    for (int c = 0; c < nf; c++)
        g[c] = sigmoidf(g[c]);
    if (reg && reg->cca_gain_out)
        memcpy(reg->cca_gain_out + (size_t)bi * nf, g, sizeof(float) * (size_t)nf);
apply:;
    scale_job j = {f, out, ex->m->info.block_residual ? x : NULL, g};
    rfdn_par_rows(ex, f->h, scale_rows, &j);
}


void rfdn_map_add(const rfdn_exec *ex, const rfdn_fmap *out, const rfdn_fmap *x)
{
    scale_job j = {out, out, x, NULL};
    rfdn_par_rows(ex, out->h, scale_rows, &j);
}
