/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The RFDN / E-RFDN forward pass on planar float maps, step by step as
 * docs/MODELS.md (and tools/reference.py) define it.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

/* Sizes of the ESA's reduced maps for an h x w input. */
static void esa_dims(int w, int h, int *wc, int *hc, int *wp, int *hp)
{
    *wc = (w - 3) / 2 + 1; /* conv2: 3x3, stride 2, no padding */
    *hc = (h - 3) / 2 + 1;
    *wp = (*wc - 7) / 3 + 1; /* max-pool 7, stride 3 */
    *hp = (*hc - 7) / 3 + 1;
}

static void padded_dims(const rfdn_model *m, int w, int h, int *pw, int *ph)
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

/* Scratch layout, in floats, for a (padded) w x h map. */
typedef struct layout {
    size_t P;
    size_t in, fea, bout, ta, tb, dcat, f, up;
    size_t esa_a, esa_b, esa_c, esa_c1, esa_v, esa_t1, esa_t2;
    size_t total;
} layout;

static void make_layout(const rfdn_model *m, int w, int h, layout *L)
{
    const rfdn_model_info *in = &m->info;
    const size_t P = (size_t)w * h, nf = (size_t)in->nf, dc = nf / 2, fc = nf / 4;
    const size_t s2 = (size_t)in->scale * in->scale;
    size_t off = 0;
#define TAKE(field, n) (L->field = off, off += (n))
    L->P = P;
    TAKE(in, 3 * P);
    TAKE(fea, nf * P);
    TAKE(bout, (size_t)in->blocks * nf * P);
    TAKE(ta, nf * P);
    TAKE(tb, nf * P);
    TAKE(dcat, 4 * dc * P);
    TAKE(f, nf * P);
    TAKE(up, 3 * s2 * P);
    if (in->attention == RFDN_ATTENTION_ESA) {
        int wc, hc, wp, hp;
        esa_dims(w, h, &wc, &hc, &wp, &hp);
        TAKE(esa_a, fc * P);
        TAKE(esa_b, fc * P);
        TAKE(esa_c, fc * P);
        TAKE(esa_c1, fc * (size_t)wc * hc);
        TAKE(esa_v, fc * (size_t)wp * hp);
        TAKE(esa_t1, fc * (size_t)wp * hp);
        TAKE(esa_t2, fc * (size_t)wp * hp);
    }
#undef TAKE
    L->total = off;
}

size_t rfdn_net_scratch_floats(const rfdn_model *m, int w, int h)
{
    int pw, ph;
    layout L;
    padded_dims(m, w, h, &pw, &ph);
    make_layout(m, pw, ph, &L);
    return L.total;
}

uint64_t rfdn_net_work_units(const rfdn_model *m)
{
    return (uint64_t)m->info.blocks + 2;
}

static inline float sigmoidf(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

static void add_inplace(float *x, const float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] += y[i];
}

/* PyTorch's bilinear resize, align_corners = False, size given (not scale). */
static void resize_bilinear(const float *in, int iw, int ih, int c, float *out, int ow, int oh)
{
    const float sy = (float)ih / oh, sx = (float)iw / ow;
    for (int y = 0; y < oh; y++) {
        float fy = ((float)y + 0.5f) * sy - 0.5f;
        if (fy < 0)
            fy = 0;
        const int y0 = (int)fy, y1 = y0 + (y0 < ih - 1);
        const float ly = fy - (float)y0, hy = 1.0f - ly;
        for (int x = 0; x < ow; x++) {
            float fx = ((float)x + 0.5f) * sx - 0.5f;
            if (fx < 0)
                fx = 0;
            const int x0 = (int)fx, x1 = x0 + (x0 < iw - 1);
            const float lx = fx - (float)x0, hx = 1.0f - lx;
            for (int ch = 0; ch < c; ch++) {
                const float *p = in + (size_t)ch * iw * ih;
                out[(size_t)ch * ow * oh + (size_t)y * ow + x] =
                    hy * (hx * p[(size_t)y0 * iw + x0] + lx * p[(size_t)y0 * iw + x1]) +
                    ly * (hx * p[(size_t)y1 * iw + x0] + lx * p[(size_t)y1 * iw + x1]);
            }
        }
    }
}

static void max_pool(const float *in, int iw, int ih, int c, int k, int s, float *out)
{
    const int ow = (iw - k) / s + 1, oh = (ih - k) / s + 1;
    for (int ch = 0; ch < c; ch++) {
        const float *p = in + (size_t)ch * iw * ih;
        float *o = out + (size_t)ch * ow * oh;
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++) {
                float v = -INFINITY;
                for (int dy = 0; dy < k; dy++)
                    for (int dx = 0; dx < k; dx++) {
                        float t = p[(size_t)(y * s + dy) * iw + x * s + dx];
                        v = t > v ? t : v;
                    }
                o[(size_t)y * ow + x] = v;
            }
    }
}

static void relu(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] < 0.0f ? 0.0f : x[i];
}

/* out = f * sigmoid(conv4(up(c3) + conv_f(conv1(f)))) */
static void esa(const rfdn_block *b, float *S, const layout *L, const float *f, int w, int h,
                float *out)
{
    const int fc = b->esa_conv1.cout, nf = b->esa_conv4.cout;
    int wc, hc, wp, hp;
    esa_dims(w, h, &wc, &hc, &wp, &hp);
    float *c1_ = S + L->esa_a, *c3up = S + L->esa_b, *cf = S + L->esa_c;
    float *c1 = S + L->esa_c1, *v = S + L->esa_v, *t1 = S + L->esa_t1, *t2 = S + L->esa_t2;
    const size_t small = (size_t)fc * wp * hp;

    rfdn_conv2d_ref(&b->esa_conv1, f, w, h, c1_);
    rfdn_conv2d_ref(&b->esa_conv2, c1_, w, h, c1);
    max_pool(c1, wc, hc, fc, 7, 3, v);
    rfdn_conv2d_ref(&b->esa_conv_max, v, wp, hp, t1);
    relu(t1, small);
    rfdn_conv2d_ref(&b->esa_conv3, t1, wp, hp, t2);
    relu(t2, small);
    rfdn_conv2d_ref(&b->esa_conv3_, t2, wp, hp, t1);
    resize_bilinear(t1, wp, hp, fc, c3up, w, h);
    rfdn_conv2d_ref(&b->esa_conv_f, c1_, w, h, cf);
    add_inplace(c3up, cf, (size_t)fc * L->P);
    rfdn_conv2d_ref(&b->esa_conv4, c3up, w, h, out);
    for (size_t i = 0; i < (size_t)nf * L->P; i++)
        out[i] = f[i] * sigmoidf(out[i]);
}

/* out = f * sigmoid(du2(relu(du0(mean + std)))), statistics per channel */
static void cca(const rfdn_block *b, const float *f, size_t P, float *out)
{
    const int nf = b->cca_du0.cin, nr = b->cca_du0.cout;
    float stat[2 * 256 + 64] = {0}, *hid = stat + nf, *y = hid + nr;
    for (int c = 0; c < nf; c++) {
        const float *x = f + (size_t)c * P;
        double sum = 0, sq = 0;
        for (size_t i = 0; i < P; i++)
            sum += x[i];
        const double mean = sum / (double)P;
        for (size_t i = 0; i < P; i++)
            sq += (x[i] - mean) * (x[i] - mean);
        stat[c] = (float)(mean + sqrt(sq / (double)P));
    }
    rfdn_conv2d_ref(&b->cca_du0, stat, 1, 1, hid);
    relu(hid, (size_t)nr);
    rfdn_conv2d_ref(&b->cca_du2, hid, 1, 1, y);
    for (int c = 0; c < nf; c++) {
        const float g = sigmoidf(y[c]);
        const float *x = f + (size_t)c * P;
        float *o = out + (size_t)c * P;
        for (size_t i = 0; i < P; i++)
            o[i] = x[i] * g;
    }
}

/* r = lrelu(conv3x3(x) + x) */
static void srb(const rfdn_conv *cv, const float *x, int w, int h, float *r)
{
    const size_t n = (size_t)cv->cout * w * h;
    rfdn_conv2d_ref(cv, x, w, h, r);
    add_inplace(r, x, n);
    rfdn_lrelu_ref(r, n);
}

/* d = lrelu(conv(x)) */
static void distill(const rfdn_conv *cv, const float *x, int w, int h, float *d)
{
    rfdn_conv2d_ref(cv, x, w, h, d);
    rfdn_lrelu_ref(d, (size_t)cv->cout * w * h);
}

static void rfdb(const rfdn_model *m, const rfdn_block *b, float *S, const layout *L,
                 const float *x, int w, int h, float *out)
{
    const size_t P = L->P, dcP = (size_t)(m->info.nf / 2) * P, nfP = (size_t)m->info.nf * P;
    float *dcat = S + L->dcat, *r1 = S + L->ta, *r2 = S + L->tb, *f = S + L->f;

    distill(&b->c1_d, x, w, h, dcat);
    srb(&b->c1_r, x, w, h, r1);
    distill(&b->c2_d, r1, w, h, dcat + dcP);
    srb(&b->c2_r, r1, w, h, r2);
    distill(&b->c3_d, r2, w, h, dcat + 2 * dcP);
    srb(&b->c3_r, r2, w, h, r1); /* r3 reuses r1's buffer */
    distill(&b->c4, r1, w, h, dcat + 3 * dcP);
    rfdn_conv2d_ref(&b->c5, dcat, w, h, f);
    if (m->info.attention == RFDN_ATTENTION_ESA)
        esa(b, S, L, f, w, h, out);
    else
        cca(b, f, P, out);
    if (m->info.block_residual)
        add_inplace(out, x, nfP);
}

static bool tick(const rfdn_run_hooks *hooks, uint64_t done, uint64_t total)
{
    return hooks && hooks->tick && hooks->tick(hooks->user, done, total);
}

rfdn_status rfdn_net_forward(const rfdn_model *m, float *S, const float *in, int w0, int h0,
                             float *out, const rfdn_run_hooks *hooks)
{
    const rfdn_model_info *info = &m->info;
    const int s = info->scale, nf = info->nf;
    const uint64_t total = rfdn_net_work_units(m);
    int w, h;
    padded_dims(m, w0, h0, &w, &h);
    layout L;
    make_layout(m, w, h, &L);
    const size_t P = L.P, nfP = (size_t)nf * P;

    /* Input, replicate-padded at the bottom/right when the ESA needs it. */
    float *x = S + L.in;
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < h; y++) {
            const int sy = y < h0 ? y : h0 - 1;
            for (int xx = 0; xx < w; xx++) {
                const int sx = xx < w0 ? xx : w0 - 1;
                x[(size_t)c * P + (size_t)y * w + xx] =
                    in[(size_t)c * w0 * h0 + (size_t)sy * w0 + sx];
            }
        }
    if (info->input_range != 255.0f)
        for (size_t i = 0; i < 3 * P; i++)
            x[i] *= info->input_range / 255.0f;

    float *fea = S + L.fea, *bout = S + L.bout;
    rfdn_conv2d_ref(&m->fea, x, w, h, fea);
    if (tick(hooks, 1, total))
        return RFDN_CANCELLED;

    for (int i = 0; i < info->blocks; i++) {
        rfdb(m, &m->block[i], S, &L, i ? bout + (size_t)(i - 1) * nfP : fea, w, h,
             bout + (size_t)i * nfP);
        if (tick(hooks, (uint64_t)i + 2, total))
            return RFDN_CANCELLED;
    }

    float *fused = S + L.f, *lr = S + L.ta, *up = S + L.up;
    distill(&m->c0, bout, w, h, fused);
    rfdn_conv2d_ref(&m->lr, fused, w, h, lr);
    add_inplace(lr, fea, nfP);
    rfdn_conv2d_ref(&m->up, lr, w, h, up);

    /* pixel_shuffle(s), cropped to the unpadded size */
    const float out_scale = 255.0f / info->input_range;
    const size_t ow = (size_t)s * w0, oh = (size_t)s * h0;
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < s; i++)
            for (int j = 0; j < s; j++) {
                const float *u = up + (size_t)(c * s * s + i * s + j) * P;
                for (int y = 0; y < h0; y++)
                    for (int xx = 0; xx < w0; xx++)
                        out[(size_t)c * ow * oh + ((size_t)y * s + i) * ow + (size_t)xx * s +
                            j] = u[(size_t)y * w + xx] * out_scale;
            }
    tick(hooks, total, total);
    return RFDN_OK;
}
