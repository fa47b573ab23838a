/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The RFDN / E-RFDN forward pass, step by step as docs/MODELS.md (and
 * tools/reference.py) define it, on feature maps with zero halos.  The
 * convolutions run through the selected kernels, split into row ranges
 * over the thread pool; ESA's max-pool and resize and the per-channel
 * statistics of CCA run in portable C.  Every output element is computed the
 * same way whatever the thread count.
 */
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Convolutions packed per exec: fea, then per block BLK_CONVS, then c0, lr, up. */
enum { BLK_C1_D, BLK_C1_R, BLK_C2_D, BLK_C2_R, BLK_C3_D, BLK_C3_R, BLK_C4, BLK_C5,
       BLK_ESA1, BLK_ESA_F, BLK_ESA4, BLK_ESA2, BLK_ESA_MAX, BLK_ESA3, BLK_ESA3B, BLK_CONVS };

static const rfdn_conv *block_conv(const rfdn_block *b, int i)
{
    const rfdn_conv *v[BLK_CONVS] = {&b->c1_d,     &b->c1_r,       &b->c2_d, &b->c2_r,
                                     &b->c3_d,     &b->c3_r,       &b->c4,   &b->c5,
                                     &b->esa_conv1, &b->esa_conv_f, &b->esa_conv4,
                                     NULL /* BLK_ESA2: see rfdn_exec_init */,
                                     &b->esa_conv_max, &b->esa_conv3, &b->esa_conv3_};
    return v[i];
}

static int n_pconv(const rfdn_model *m)
{
    return 4 + m->info.blocks * BLK_CONVS;
}

static const rfdn_conv *pconv_source(const rfdn_model *m, int i)
{
    const int nb = m->info.blocks * BLK_CONVS;
    if (i == 0)
        return &m->fea;
    if (i <= nb)
        return block_conv(&m->block[(i - 1) / BLK_CONVS], (i - 1) % BLK_CONVS);
    return i == nb + 1 ? &m->c0 : i == nb + 2 ? &m->lr : &m->up;
}

bool rfdn_exec_init(rfdn_exec *ex, const rfdn_model *m, const rfdn_kernels *k, rfdn_pool *pool)
{
    memset(ex, 0, sizeof *ex);
    ex->m = m;
    ex->k = k;
    ex->pool = pool;
    ex->npc = n_pconv(m);
    ex->pc = rfdn_calloc((size_t)ex->npc, sizeof *ex->pc);
    if (!ex->pc)
        return false;
    /* ESA's conv2 (3x3, stride 2, no padding, 12 channels) as a stride-1
     * convolution with padding 1, for kernels with Winograd: computed
     * everywhere and subsampled, it still costs less than the strided
     * portable loop (esa() picks the odd rows and columns). */
    if (k->winograd && m->info.attention == RFDN_ATTENTION_ESA) {
        ex->esa2 = rfdn_calloc((size_t)m->info.blocks, sizeof *ex->esa2);
        if (!ex->esa2) {
            rfdn_exec_free(ex);
            return false;
        }
        for (int b = 0; b < m->info.blocks; b++) {
            ex->esa2[b] = m->block[b].esa_conv2;
            ex->esa2[b].stride = 1;
            ex->esa2[b].pad = 1;
        }
    }
    for (int i = 0; i < ex->npc; i++) {
        const bool esa2 = i >= 1 && i <= m->info.blocks * BLK_CONVS &&
                          (i - 1) % BLK_CONVS == BLK_ESA2;
        const rfdn_conv *cv = esa2 ? (ex->esa2 ? &ex->esa2[(i - 1) / BLK_CONVS] : NULL)
                                   : pconv_source(m, i);
        if (!cv || !cv->w) /* the attention this model does not have */
            continue;
        if (!rfdn_pconv_init_full(&ex->pc[i], cv, k)) {
            rfdn_exec_free(ex);
            return false;
        }
    }
    return true;
}

void rfdn_exec_free(rfdn_exec *ex)
{
    if (ex->pc)
        for (int i = 0; i < ex->npc; i++)
            rfdn_pconv_free(&ex->pc[i]);
    free(ex->pc);
    free(ex->esa2);
    ex->pc = NULL;
    ex->esa2 = NULL;
}

static const rfdn_pconv *blk_pc(const rfdn_exec *ex, int block, int which)
{
    return &ex->pc[1 + block * BLK_CONVS + which];
}

/* ------------------------------------------------------------------------ */
/* Sizes and scratch layout */

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

typedef struct maps {
    rfdn_fmap x, fea, bout, ta, tb, tc, dcat, f, up;
    rfdn_fmap c1_, c3up, s; /* ESA, full size */
    float *c1;                 /* ESA, after conv2 (dense) */
    rfdn_fmap v, t1, t2;       /* ESA, after the max-pool */
    size_t total;            /* floats */
} maps;

/* Lays the maps out over `base` (NULL: only count). */
static void make_maps(const rfdn_model *m, int w, int h, float *base, maps *M)
{
    const rfdn_model_info *in = &m->info;
    const int nf = in->nf, dc = nf / 2, fc = nf / 4, s2 = in->scale * in->scale;
    size_t off = 0;
#define MAP(field, c)                                                                        \
    (M->field = rfdn_fmap_at(base ? base + off : NULL, c, h, w),                            \
     off += rfdn_fmap_floats(c, h, w))
    MAP(x, 3);
    MAP(fea, nf);
    MAP(bout, in->blocks * nf);
    MAP(ta, nf);
    MAP(tb, nf);
    MAP(tc, nf);
    MAP(dcat, 4 * dc);
    MAP(f, nf);
    MAP(up, 3 * s2);
    if (in->attention == RFDN_ATTENTION_ESA) {
        int wc, hc, wp, hp;
        esa_dims(w, h, &wc, &hc, &wp, &hp);
        MAP(c1_, fc);
        MAP(c3up, fc);
        MAP(s, fc);
#define DENSE(field, n) (M->field = base ? base + off : NULL, off += (n))
        DENSE(c1, (size_t)fc * wc * hc);
#undef DENSE
#define SMALL(field)                                                                         \
    (M->field = rfdn_fmap_at(base ? base + off : NULL, fc, hp, wp),                         \
     off += rfdn_fmap_floats(fc, hp, wp))
        SMALL(v);
        SMALL(t1);
        SMALL(t2);
#undef SMALL
    }
#undef MAP
    M->total = off;
}

size_t rfdn_net_scratch_floats(const rfdn_model *m, int w, int h)
{
    int pw, ph;
    maps M;
    padded_dims(m, w, h, &pw, &ph);
    make_maps(m, pw, ph, NULL, &M);
    return M.total;
}

uint64_t rfdn_net_work_units(const rfdn_model *m)
{
    return (uint64_t)m->info.blocks + 2;
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

/* ------------------------------------------------------------------------ */
/* Parallel helpers */

typedef struct conv_job {
    const rfdn_exec *ex;
    const rfdn_pconv *pc;
    const rfdn_fmap *in, *out, *aux;
    rfdn_epilogue ep;
    int rows; /* per task */
} conv_job;

static bool stopped(const rfdn_exec *ex)
{
    return ex->stop && atomic_load_explicit(ex->stop, memory_order_relaxed);
}

static void conv_task(void *arg, int i)
{
    const conv_job *j = arg;
    if (stopped(j->ex))
        return;
    const int y0 = i * j->rows, y1 = y0 + j->rows < j->out->h ? y0 + j->rows : j->out->h;
    j->ex->k->conv_rows(j->pc, j->in, j->out, y0, y1, j->ep, j->aux);
}

static int rows_per_task(const rfdn_exec *ex, int h)
{
    const int t = rfdn_pool_threads(ex->pool);
    if (t == 1)
        return h;
    int r = h / (8 * t); /* enough tasks to balance, few enough to be cheap */
    return r < 1 ? 1 : r;
}

static void conv(const rfdn_exec *ex, const rfdn_pconv *pc, const rfdn_fmap *in,
                 const rfdn_fmap *out, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    conv_job j = {ex, pc, in, out, aux, ep, rows_per_task(ex, out->h)};
    if (pc->wino) /* whole Winograd tiles per task: no tile computed twice */
        j.rows = (j.rows + pc->wino_m - 1) / pc->wino_m * pc->wino_m;
    rfdn_pool_run(ex->pool, (out->h + j.rows - 1) / j.rows, conv_task, &j);
}

/* Convolutions that run row chunk by row chunk together: in each chunk,
 * every step after the first reads only rows the chunk's earlier steps have
 * just written (a 1x1 convolution of their output) or a map complete before
 * the group, so a chunk's maps are still in the caches when the next step
 * reads them.  Each row is computed exactly as by conv(). */
typedef struct conv_step {
    const rfdn_pconv *pc;
    const rfdn_fmap *in, *out, *aux;
    rfdn_epilogue ep;
} conv_step;

typedef struct group_job {
    const rfdn_exec *ex;
    const conv_step *st;
    int n, h, rows;
} group_job;

static void group_task(void *arg, int i)
{
    const group_job *j = arg;
    const int y0 = i * j->rows, y1 = y0 + j->rows < j->h ? y0 + j->rows : j->h;
    for (int s = 0; s < j->n && !stopped(j->ex); s++)
        j->ex->k->conv_rows(j->st[s].pc, j->st[s].in, j->st[s].out, y0, y1, j->st[s].ep,
                            j->st[s].aux);
}

static void conv_group(const rfdn_exec *ex, const conv_step *st, int n)
{
    const int h = st[0].out->h;
    /* chunks of 16 rows (whole Winograd tiles): 50 channels of 16 rows of a
     * 256-pixel-wide map are 0.9 MB, about one core's L2 */
    int rows = rows_per_task(ex, h);
    rows = rows > 16 ? 16 : rows;
    rows = (rows + 3) / 4 * 4;
    group_job j = {ex, st, n, h, rows};
    rfdn_pool_run(ex->pool, (h + rows - 1) / rows, group_task, &j);
}

/* A chain of convolutions swept down the map together, a few rows at a
 * time, instead of each over the whole map before the next: a map is read
 * back by the later steps while it is still in the caches.  Step s reads the
 * maps of the steps dep[] (with a 3x3 convolution if its kernel is 3x3) and
 * maps complete before the sweep, and runs `lead` rows ahead of the last
 * step: four more rows for each 3x3 convolution on the way to it.
 *
 * The map is cut into one region per two threads, and each region is swept
 * by two stripes at once, one downwards from its top and one upwards from
 * its bottom.  Where the two meet is not fixed: each stripe claims the rows
 * it computes next, step by step, and a stripe that gets ahead (the other
 * core busy with something else) takes more rows, instead of waiting at a
 * fixed boundary for its partner to finish.  Where a step needs rows the
 * other stripe computes it waits for them (a stripe only advances what is
 * ready; a thread with nothing ready advances another stripe or yields).
 * Each row is computed by one call of the kernel on the same input, as
 * conv() would: the output does not depend on the number of stripes or on
 * where they met. */
typedef struct sweep_step {
    const rfdn_pconv *pc;
    const rfdn_fmap *in, *out, *aux;
    rfdn_epilogue ep;
    int ndep, dep[4];
    int like; /* 1 + a step run just before whose lead this one takes, or 0 */
} sweep_step;

enum { SWEEP_MAX_STEPS = 12, SWEEP_MAX_STRIPES = 16, SWEEP_CHUNK = 8, SWEEP_MIN_ROWS = 16 };

typedef struct sweep_stripe {
    int y0, y1; /* the region, shared with the partner stripe; y0 a multiple of 4 */
    bool up;    /* swept from y1 upwards */
    int e;      /* chunks swept (by the thread holding `busy`) */
    atomic_bool busy;
    atomic_bool complete;
    atomic_int edge[SWEEP_MAX_STEPS]; /* rows done: [y0, edge) down, [edge, y1) up */
} sweep_stripe;

/* The rows a region's two stripes have claimed per step: [y0, down) by
 * the downward stripe, [up, y1) by the upward one (y1 where it has none),
 * packed as down | up << 32 so that both move in one compare-exchange. */
typedef struct sweep_region {
    _Atomic uint64_t claim[SWEEP_MAX_STEPS];
} sweep_region;

typedef struct sweep_job {
    const rfdn_exec *ex;
    const sweep_step *st;
    int n, h, ns;
    int lead[SWEEP_MAX_STEPS];
    sweep_stripe sp[SWEEP_MAX_STRIPES];
    sweep_region rg[SWEEP_MAX_STRIPES / 2];
} sweep_job;

static int align4_down(int y)
{
    return y & ~3;
}

static uint64_t claim_pack(int down, int up)
{
    return (uint64_t)(uint32_t)down | (uint64_t)(uint32_t)up << 32;
}

static int claim_down(uint64_t c)
{
    return (int)(uint32_t)c;
}

static int claim_up(uint64_t c)
{
    return (int)(uint32_t)(c >> 32);
}

/* Whether rows [a, b) of step d's map are done (rows outside the map are
 * its zero halo). */
static bool sweep_rows_done(const sweep_job *j, int d, int a, int b)
{
    a = a < 0 ? 0 : a;
    b = b > j->h ? j->h : b;
    for (int i = 0; i < j->ns && a < b; i += 2) {
        const sweep_stripe *p = &j->sp[i];
        const int lo = a > p->y0 ? a : p->y0, hi = b < p->y1 ? b : p->y1;
        if (lo >= hi)
            continue;
        /* done: [y0, down) and [up, y1); not done: [down, up) */
        const int down = atomic_load_explicit(&p->edge[d], memory_order_acquire);
        const int up = i + 1 < j->ns
                           ? atomic_load_explicit(&j->sp[i + 1].edge[d], memory_order_acquire)
                           : p->y1;
        if ((lo > down ? lo : down) < (hi < up ? hi : up))
            return false;
    }
    return true;
}

/* Whether step s may compute rows [a, b) now. */
static bool sweep_ready(const sweep_job *j, int s, int a, int b)
{
    const sweep_step *st = &j->st[s];
    const bool k3 = st->pc->cv->k == 3;
    for (int k = 0; k < st->ndep; k++) /* a 3x3 band from row y reads rows y-1 .. y+4 */
        if (!sweep_rows_done(j, st->dep[k], k3 ? a - 1 : a, k3 ? ((b + 3) & ~3) + 1 : b))
            return false;
    return true;
}

/* Claims for step s of stripe i the rows toward `target` that no stripe has
 * claimed and whose inputs are ready: returns [*a, *b) (empty if none), and
 * whether the stripe got as far as target or its partner's rows. */
static bool sweep_claim(sweep_job *j, int i, int s, int target, int *a, int *b)
{
    sweep_stripe *p = &j->sp[i];
    _Atomic uint64_t *cl = &j->rg[i / 2].claim[s];
    uint64_t c = atomic_load_explicit(cl, memory_order_relaxed);
    for (;;) {
        const int down = claim_down(c), up = claim_up(c);
        int lo, hi;
        bool reached;
        if (!p->up) {
            const int goal = target < up ? target : up;
            lo = down;
            hi = goal;
            while (hi > lo && !sweep_ready(j, s, lo, hi))
                hi = align4_down(hi - 1) > lo ? align4_down(hi - 1) : lo;
            reached = hi >= goal;
            if (hi <= lo || atomic_compare_exchange_weak_explicit(cl, &c, claim_pack(hi, up),
                                                                  memory_order_relaxed,
                                                                  memory_order_relaxed)) {
                *a = lo;
                *b = hi;
                return reached;
            }
        } else {
            const int goal = target > down ? target : down;
            lo = goal;
            hi = up;
            while (lo < hi && !sweep_ready(j, s, lo, hi))
                lo = align4_down(lo) + 4 < hi ? align4_down(lo) + 4 : hi;
            reached = lo <= goal;
            if (lo >= hi || atomic_compare_exchange_weak_explicit(cl, &c, claim_pack(down, lo),
                                                                  memory_order_relaxed,
                                                                  memory_order_relaxed)) {
                *a = lo;
                *b = hi;
                return reached;
            }
        }
        /* the partner claimed rows meanwhile: again with its new claim */
    }
}

/* One chunk of stripe i: each step as far as its target allows and its
 * inputs are ready.  Returns whether anything was computed. */
static bool sweep_chunk(sweep_job *j, int i)
{
    sweep_stripe *p = &j->sp[i];
    const int e = (p->e + 1) * SWEEP_CHUNK;
    bool any = false, all = true, complete = true;
    for (int s = 0; s < j->n; s++) {
        const sweep_step *st = &j->st[s];
        const int target = p->up ? align4_down(p->y1 - e - j->lead[s]) : p->y0 + e + j->lead[s];
        int a, b;
        all &= sweep_claim(j, i, s, target, &a, &b);
        if (a < b) {
            j->ex->k->conv_rows(st->pc, st->in, st->out, a, b, st->ep, st->aux);
            atomic_store_explicit(&p->edge[s], p->up ? a : b, memory_order_release);
            any = true;
        }
        const uint64_t c = atomic_load_explicit(&j->rg[i / 2].claim[s], memory_order_relaxed);
        complete &= claim_down(c) == claim_up(c);
    }
    if (all)
        p->e++;
    if (complete)
        atomic_store_explicit(&p->complete, true, memory_order_release);
    return any;
}

static void sweep_task(void *arg, int me)
{
    sweep_job *j = arg;
    for (;;) {
        bool any = false, left = false;
        for (int k = 0; k < j->ns && !any; k++) {
            const int i = (me + k) % j->ns;
            sweep_stripe *p = &j->sp[i];
            if (atomic_load_explicit(&p->complete, memory_order_acquire))
                continue;
            left = true;
            if (atomic_exchange_explicit(&p->busy, true, memory_order_acquire))
                continue;
            any = sweep_chunk(j, i);
            atomic_store_explicit(&p->busy, false, memory_order_release);
        }
        if (!left || stopped(j->ex))
            return;
        if (!any)
            sched_yield();
    }
}

static void conv_sweep(const rfdn_exec *ex, const sweep_step *st, int n)
{
    const int h = st[0].out->h, t = rfdn_pool_threads(ex->pool);
    sweep_job job = {.ex = ex, .st = st, .n = n, .h = h}, *j = &job; /* ~2 KB */
    for (int s = n - 1; s >= 0; s--)
        for (int c = s + 1; c < n; c++)
            for (int d = 0; d < st[c].ndep; d++)
                if (st[c].dep[d] == s) {
                    const int l = j->lead[c] + (st[c].pc->cv->k == 3 ? 4 : 0);
                    j->lead[s] = l > j->lead[s] ? l : j->lead[s];
                }
    /* a 1x1 convolution that reads what the step before it wrote (or read)
     * runs with it, while those rows are in the caches */
    for (int s = 0; s < n; s++)
        if (st[s].like && j->lead[st[s].like - 1] > j->lead[s])
            j->lead[s] = j->lead[st[s].like - 1];
    int ns = h / SWEEP_MIN_ROWS;
    ns = ns > t ? t : ns < 1 ? 1 : ns;
    ns = ns > SWEEP_MAX_STRIPES ? SWEEP_MAX_STRIPES : ns;
    j->ns = ns;
    /* region k: stripes 2k (down) and 2k + 1 (up), a share of the rows for
     * each; a last stripe without a partner sweeps its region alone */
    for (int i = 0; i < ns; i += 2) {
        const int y0 = align4_down((int)((int64_t)h * i / ns));
        const int y1 = i + 2 < ns ? align4_down((int)((int64_t)h * (i + 2) / ns)) : h;
        for (int k = i; k < i + 2 && k < ns; k++) {
            sweep_stripe *p = &j->sp[k];
            p->y0 = y0;
            p->y1 = y1;
            p->up = k % 2;
            atomic_init(&p->busy, false);
            atomic_init(&p->complete, false);
            for (int s = 0; s < n; s++)
                atomic_init(&p->edge[s], p->up ? y1 : y0);
        }
        for (int s = 0; s < n; s++)
            atomic_init(&j->rg[i / 2].claim[s], claim_pack(y0, y1));
    }
    if (ns == 1)
        sweep_task(j, 0);
    else
        rfdn_pool_run(ex->pool, ns, sweep_task, j);
}

typedef struct rows_job {
    const rfdn_exec *ex;
    void (*fn)(void *ctx, int y0, int y1);
    void *ctx;
    int rows, h;
} rows_job;

static void rows_task(void *arg, int i)
{
    const rows_job *j = arg;
    if (stopped(j->ex))
        return;
    const int y0 = i * j->rows, y1 = y0 + j->rows < j->h ? y0 + j->rows : j->h;
    j->fn(j->ctx, y0, y1);
}

/* fn(ctx, y0, y1) over row ranges of [0, h), in parallel. */
static void par_rows(const rfdn_exec *ex, int h, void (*fn)(void *, int, int), void *ctx)
{
    rows_job j = {ex, fn, ctx, rows_per_task(ex, h), h};
    rfdn_pool_run(ex->pool, (h + j.rows - 1) / j.rows, rows_task, &j);
}

/* ------------------------------------------------------------------------ */
/* ESA and CCA */

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
        ia -= origin / 6;
        ib -= origin / 6;
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

/* ESA's last two convolutions of block bi as two sweep steps: conv_f (c1_
 * -> s, plus the upsampled c3) and conv4's gate (out = f * sigmoid(conv4(s))).
 * They run in the next sweep (the next block's or the tail's), ahead of the
 * steps that read `out`, so the block's output is read back while in the
 * caches instead of making two more passes over full maps.  The next sweep's
 * own c5, ESA conv1 and conv2 overwrite f, c1_ and s only in rows whose
 * gate is done: each of them depends, through its inputs, on `out` there.
 * They are the sweep's steps 0 and 1 (st points at the sweep's first). */
static void esa_gate_steps(const rfdn_exec *ex, int bi, const maps *M, const rfdn_fmap *out,
                           sweep_step st[2])
{
    st[0] = (sweep_step){blk_pc(ex, bi, BLK_ESA_F), &M->c1_, &M->s, &M->c3up, RFDN_EP_ADD,
                         0, {0}, 0};
    st[1] = (sweep_step){blk_pc(ex, bi, BLK_ESA4), &M->s, out, &M->f, RFDN_EP_SIGMOID_MUL,
                         1, {0}, 0};
}

/* Whether ESA's gate runs in the next sweep (it cannot when the block adds
 * its input after the attention). */
static bool gate_deferred(const rfdn_model *m)
{
    return m->info.attention == RFDN_ATTENTION_ESA && !m->info.block_residual;
}

/* ESA of block bi, out = f * sigmoid(conv4(up(c3) + conv_f(conv1(f)))): up
 * to the gate, and the gate too unless it is deferred */
static void esa(const rfdn_exec *ex, int bi, const maps *M, const rfdn_fmap *out,
                const rfdn_region *reg)
{
    const rfdn_block *b = &ex->m->block[bi];
    const int w = M->f.w, h = M->f.h;
    int wc, hc, wp, hp;
    esa_dims(w, h, &wc, &hc, &wp, &hp);

    /* conv1 (f -> c1_) ran in the block's sweep */
    if (stopped(ex))
        return;
    /* the stride-2 convolution of the full-size map: in parallel */
    const rfdn_pconv *c2 = blk_pc(ex, bi, BLK_ESA2);
    if (c2->w) { /* ran in the sweep too, everywhere at stride 1 into s */
        subsample_job sj = {&M->s, M->c1, wc, hc};
        par_rows(ex, hc, subsample_rows, &sj);
    } else {
        refconv_job rc = {&b->esa_conv2, M->c1_.p, w, h, M->c1_.rs, M->c1_.cs, M->c1};
        par_rows(ex, (h - b->esa_conv2.k) / b->esa_conv2.stride + 1, refconv_rows, &rc);
    }
    if (stopped(ex))
        return;
    pool_job pj = {M->c1, wc, hc, &M->v};
    par_rows(ex, hp, max_pool_rows, &pj);
    /* the three small convolutions through the kernels, as the others */
    conv(ex, blk_pc(ex, bi, BLK_ESA_MAX), &M->v, &M->t1, RFDN_EP_NONE, NULL);
    relu_map(&M->t1);
    conv(ex, blk_pc(ex, bi, BLK_ESA3), &M->t1, &M->t2, RFDN_EP_NONE, NULL);
    relu_map(&M->t2);
    conv(ex, blk_pc(ex, bi, BLK_ESA3B), &M->t2, &M->t1, RFDN_EP_NONE, NULL);
    if (stopped(ex))
        return;
    resize_job rj = {&M->t1, &M->c3up, reg};
    par_rows(ex, h, resize_rows, &rj);
    if (gate_deferred(ex->m))
        return;
    const conv_step g[] = {
        {blk_pc(ex, bi, BLK_ESA_F), &M->c1_, &M->s, &M->c3up, RFDN_EP_ADD},
        {blk_pc(ex, bi, BLK_ESA4), &M->s, out, &M->f, RFDN_EP_SIGMOID_MUL},
    };
    conv_group(ex, g, 2);
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
    if (stopped(j->ex))
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

/* out = f * sigmoid(du2(relu(du0(mean + std)))) (+ x), statistics per
 * channel in double precision, in a fixed order. */
static void cca(const rfdn_exec *ex, int bi, const rfdn_fmap *f, const rfdn_fmap *x,
                const rfdn_fmap *out, const rfdn_region *reg)
{
    const rfdn_block *b = &ex->m->block[bi];
    const int nf = b->cca_du0.cin, nr = b->cca_du0.cout;
    float stat[2 * 256 + 64] = {0}, *hid = stat + nf, *g = hid + nr;
    if (reg && reg->cca_gain) {
        memcpy(g, reg->cca_gain + (size_t)bi * nf, sizeof(float) * (size_t)nf);
        goto apply;
    }
    stat_job sj = {ex, f, stat};
    rfdn_pool_run(ex->pool, nf, stat_task, &sj); /* a channel per task */
    if (stopped(ex))
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
    par_rows(ex, f->h, scale_rows, &j);
}

static void rfdb(const rfdn_exec *ex, int bi, const maps *M, const rfdn_fmap *x,
                 const rfdn_fmap *out, const rfdn_region *reg)
{
    const int dc = ex->m->info.nf / 2;
    const rfdn_fmap d1 = rfdn_fmap_slice(&M->dcat, 0, dc), d2 = rfdn_fmap_slice(&M->dcat, dc, dc);
    const rfdn_fmap d3 = rfdn_fmap_slice(&M->dcat, 2 * dc, dc);
    const rfdn_fmap d4 = rfdn_fmap_slice(&M->dcat, 3 * dc, dc);
    const rfdn_fmap *r1 = &M->ta, *r2 = &M->tb;

    const bool has_esa = ex->m->info.attention == RFDN_ATTENTION_ESA;
    const rfdn_fmap *r3 = &M->tc;
    /* x is written first in the same sweep: by the network's first
     * convolution before block 0, by the previous block's ESA gate (steps 0
     * and 1) before the others where it is deferred */
    sweep_step sw[SWEEP_MAX_STEPS];
    const bool gate = bi > 0 && gate_deferred(ex->m);
    int o = 0; /* index of c1_r */
    if (bi == 0)
        sw[o++] = (sweep_step){&ex->pc[0], &M->x, x, NULL, RFDN_EP_NONE, 0, {0}, 0};
    else if (gate) {
        esa_gate_steps(ex, bi - 1, M, x, sw);
        o = 2;
    }
    const int nx = o ? 1 : 0; /* x's step: o - 1 */
    const sweep_step b[] = {
        {blk_pc(ex, bi, BLK_C1_R), x, r1, x, RFDN_EP_ADD_LRELU, nx, {o - 1}, 0},
        {blk_pc(ex, bi, BLK_C1_D), x, &d1, NULL, RFDN_EP_LRELU, nx, {o - 1}, o + 1},
        {blk_pc(ex, bi, BLK_C2_D), r1, &d2, NULL, RFDN_EP_LRELU, 1, {o}, o + 1},
        {blk_pc(ex, bi, BLK_C2_R), r1, r2, r1, RFDN_EP_ADD_LRELU, 1, {o}, 0},
        {blk_pc(ex, bi, BLK_C3_D), r2, &d3, NULL, RFDN_EP_LRELU, 1, {o + 3}, o + 4},
        {blk_pc(ex, bi, BLK_C3_R), r2, r3, r2, RFDN_EP_ADD_LRELU, 1, {o + 3}, 0},
        {blk_pc(ex, bi, BLK_C4), r3, &d4, NULL, RFDN_EP_LRELU, 1, {o + 5}, 0},
        {blk_pc(ex, bi, BLK_C5), &M->dcat, &M->f, NULL, RFDN_EP_NONE, 4,
         {o + 1, o + 2, o + 4, o + 6}, 0},
        {blk_pc(ex, bi, BLK_ESA1), &M->f, &M->c1_, NULL, RFDN_EP_NONE, 1, {o + 7},
         0}, /* ESA's conv1 */
        /* ESA's conv2 as a stride-1 convolution, where the kernels have it */
        {blk_pc(ex, bi, BLK_ESA2), &M->c1_, &M->s, NULL, RFDN_EP_NONE, 1, {o + 8}, 0},
    };
    _Static_assert(2 + sizeof b / sizeof *b <= SWEEP_MAX_STEPS, "a block's sweep");
    const int nb = has_esa ? (blk_pc(ex, bi, BLK_ESA2)->w ? 10 : 9) : 8;
    memcpy(sw + o, b, sizeof *b * (size_t)nb);
    conv_sweep(ex, sw, o + nb);
    if (has_esa)
        esa(ex, bi, M, out, reg); /* E-RFDN has no block residual in MODELS.md */
    else
        cca(ex, bi, &M->f, x, out, reg);
    if (ex->m->info.attention == RFDN_ATTENTION_ESA && ex->m->info.block_residual) {
        scale_job j = {out, out, x, NULL};
        par_rows(ex, out->h, scale_rows, &j);
    }
}

/* ------------------------------------------------------------------------ */
/* Input and output */

typedef struct io_job {
    const rfdn_exec *ex;
    const float *in;
    float *out;
    int w0, h0; /* unpadded size */
    const maps *M;
} io_job;

/* planar input -> x map, replicate-padded at the bottom/right when the ESA
 * needs it, scaled to the network's input range */
static void input_rows(void *arg, int y0, int y1)
{
    const io_job *j = arg;
    const rfdn_fmap *x = &j->M->x;
    const float k = j->ex->m->info.input_range / 255.0f;
    for (int c = 0; c < 3; c++)
        for (int y = y0; y < y1; y++) {
            const int sy = y < j->h0 ? y : j->h0 - 1;
            const float *src = j->in + ((size_t)c * j->h0 + sy) * j->w0;
            float *dst = x->p + (size_t)c * x->cs + (ptrdiff_t)y * x->rs;
            for (int i = 0; i < x->w; i++)
                dst[i] = src[i < j->w0 ? i : j->w0 - 1] * k;
        }
}

/* pixel_shuffle(s) of the up map into planar output, cropped */
static void shuffle_rows(void *arg, int y0, int y1)
{
    const io_job *j = arg;
    const rfdn_fmap *up = &j->M->up;
    const int s = j->ex->m->info.scale;
    const float k = 255.0f / j->ex->m->info.input_range;
    const size_t ow = (size_t)s * j->w0, oh = (size_t)s * j->h0;
    for (int c = 0; c < 3; c++)
        for (int y = y0; y < y1 && y < j->h0; y++)
            for (int i = 0; i < s; i++)
                for (int jj = 0; jj < s; jj++) {
                    const float *u = up->p + (size_t)(c * s * s + i * s + jj) * up->cs +
                                     (ptrdiff_t)y * up->rs;
                    float *o = j->out + (size_t)c * ow * oh + ((size_t)y * s + i) * ow + jj;
                    for (int xx = 0; xx < j->w0; xx++)
                        o[(size_t)xx * s] = u[xx] * k;
                }
}

static bool tick(const rfdn_exec *ex, const rfdn_run_hooks *hooks, uint64_t done,
                 uint64_t total)
{
    return (hooks && hooks->tick && hooks->tick(hooks->user, done, total)) || stopped(ex);
}

rfdn_status rfdn_net_run(const rfdn_exec *ex, float *S, const float *in, int w0, int h0,
                         float *out, const rfdn_region *reg, const rfdn_run_hooks *hooks)
{
    const rfdn_model *m = ex->m;
    const rfdn_model_info *info = &m->info;
    const int nf = info->nf;
    const uint64_t total = rfdn_net_work_units(m);
    int w, h;
    padded_dims(m, w0, h0, &w, &h);
    maps M;
    make_maps(m, w, h, S, &M);
    const rfdn_fmap *all[] = {&M.x,   &M.fea,  &M.bout, &M.ta, &M.tb, &M.tc, &M.dcat,
                              &M.f,   &M.up,   &M.c1_,  &M.c3up, &M.s, &M.v,  &M.t1,
                              &M.t2};
    /* the last six are ESA's */
    halo_job hj = {all, info->attention == RFDN_ATTENTION_ESA ? 15 : 9};
    int nch = 0;
    for (int i = 0; i < hj.n; i++)
        nch += all[i]->c;
    rfdn_pool_run(ex->pool, nch, halo_task, &hj);

    io_job io = {ex, in, out, w0, h0, &M};
    par_rows(ex, h, input_rows, &io);
    /* the first convolution (x -> fea) runs in block 0's sweep */
    if (tick(ex, hooks, 1, total))
        return RFDN_CANCELLED;

    for (int i = 0; i < info->blocks; i++) {
        const rfdn_fmap bin = i ? rfdn_fmap_slice(&M.bout, (i - 1) * nf, nf) : M.fea;
        const rfdn_fmap bo = rfdn_fmap_slice(&M.bout, i * nf, nf);
        rfdb(ex, i, &M, &bin, &bo, reg);
        if (tick(ex, hooks, (uint64_t)i + 2, total))
            return RFDN_CANCELLED;
    }

    const int nb = info->blocks * BLK_CONVS;
    /* the last block's ESA gate first, then c.0 (which overwrites f only in
     * rows the gate is done with) */
    const bool gate = gate_deferred(m);
    const int o = gate ? 2 : 0, nx = gate ? 1 : 0;
    const rfdn_fmap last = rfdn_fmap_slice(&M.bout, (info->blocks - 1) * nf, nf);
    sweep_step tail[5];
    if (gate)
        esa_gate_steps(ex, info->blocks - 1, &M, &last, tail);
    tail[o] = (sweep_step){&ex->pc[nb + 1], &M.bout, &M.f, NULL, RFDN_EP_LRELU, nx, {1}, 0};
    tail[o + 1] = (sweep_step){&ex->pc[nb + 2], &M.f, &M.ta, &M.fea, RFDN_EP_ADD, 1, {o}, 0};
    tail[o + 2] = (sweep_step){&ex->pc[nb + 3], &M.ta, &M.up, NULL, RFDN_EP_NONE, 1, {o + 1}, 0};
    conv_sweep(ex, tail, o + 3); /* c.0, LR_conv + fea, the upsampler */
    par_rows(ex, h0, shuffle_rows, &io);
    if (stopped(ex))
        return RFDN_CANCELLED;
    tick(ex, hooks, total, total);
    return RFDN_OK;
}

rfdn_status rfdn_net_forward(const rfdn_model *m, float *S, const float *in, int w, int h,
                             float *out, const rfdn_run_hooks *hooks)
{
    rfdn_exec ex;
    if (!rfdn_exec_init(&ex, m, rfdn_kernels_select(0), NULL))
        return RFDN_ERROR_NO_MEMORY;
    rfdn_status st = rfdn_net_run(&ex, S, in, w, h, out, NULL, hooks);
    rfdn_exec_free(&ex);
    return st;
}
