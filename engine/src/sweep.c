/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sweep scheduler: stripes of rows claimed step by step by the threads
 * (see below), and the builder that turns the maps each step reads into the
 * steps it waits for.
 */
#include <assert.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "sweep.h"

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
 * rfdn_par_conv() would: the output does not depend on the number of
 * stripes or on where they met. */

/* Most stripes a sweep is cut into; rows a stripe advances per chunk; rows
 * of the map per stripe at least. */
enum { SWEEP_MAX_STRIPES = 16, SWEEP_CHUNK = 8, SWEEP_MIN_ROWS = 16 };

typedef struct sweep_stripe {
    int y0, y1; /* the region, shared with the partner stripe; y0 a multiple of 4 */
    bool up;    /* swept from y1 upwards */
    int e;      /* chunks swept (by the thread holding `busy`) */
    atomic_bool busy;
    atomic_bool complete;
    atomic_int edge[RFDN_SWEEP_MAX_STEPS]; /* rows done: [y0, edge) down, [edge, y1) up */
} sweep_stripe;

/* The rows a region's two stripes have claimed per step: [y0, down) by
 * the downward stripe, [up, y1) by the upward one (y1 where it has none),
 * packed as down | up << 32 so that both move in one compare-exchange. */
typedef struct sweep_region {
    _Atomic uint64_t claim[RFDN_SWEEP_MAX_STEPS];
} sweep_region;

typedef struct sweep_job {
    const rfdn_exec *ex;
    const rfdn_sweep_step *st;
    int n, h, ns;
    int lead[RFDN_SWEEP_MAX_STEPS];
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
    const rfdn_sweep_step *st = &j->st[s];
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
        const rfdn_sweep_step *st = &j->st[s];
        const int target = p->up ? align4_down(p->y1 - e - j->lead[s]) : p->y0 + e + j->lead[s];
        int a, b;
        all &= sweep_claim(j, i, s, target, &a, &b);
        if (a < b) {
            j->ex->k->conv_rows(st->pc, &st->in, &st->out, a, b, st->ep,
                                st->has_aux ? &st->aux : NULL);
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
        if (!left || rfdn_exec_stopped(j->ex))
            return;
        if (!any)
            sched_yield();
    }
}

/* Step s runs lead[s] rows ahead of the last step: four more rows for each
 * 3x3 convolution on the way to it; a step that keeps pace with another
 * takes the other's lead where it is larger. */
static void sweep_leads(sweep_job *j)
{
    const rfdn_sweep_step *st = j->st;
    const int n = j->n;
    for (int s = n - 1; s >= 0; s--)
        for (int c = s + 1; c < n; c++)
            for (int d = 0; d < st[c].ndep; d++)
                if (st[c].dep[d] == s) {
                    const int l = j->lead[c] + (st[c].pc->cv->k == 3 ? 4 : 0);
                    j->lead[s] = l > j->lead[s] ? l : j->lead[s];
                }
    for (int s = 0; s < n; s++)
        if (st[s].like && j->lead[st[s].like - 1] > j->lead[s])
            j->lead[s] = j->lead[st[s].like - 1];
}

/* Region k: stripes 2k (down) and 2k + 1 (up), a share of the rows for
 * each; a last stripe without a partner sweeps its region alone. */
static void sweep_stripes(sweep_job *j, int threads)
{
    const int h = j->h, n = j->n;
    int ns = h / SWEEP_MIN_ROWS;
    ns = ns > threads ? threads : ns < 1 ? 1 : ns;
    ns = ns > SWEEP_MAX_STRIPES ? SWEEP_MAX_STRIPES : ns;
    j->ns = ns;
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
}

void rfdn_sweep_run(const rfdn_exec *ex, const rfdn_sweep *sw)
{
    const int h = sw->st[0].out.h;
    sweep_job job = {.ex = ex, .st = sw->st, .n = sw->n, .h = h}, *j = &job; /* ~2 KB */
    sweep_leads(j);
    sweep_stripes(j, rfdn_pool_threads(ex->pool));
    if (j->ns == 1)
        sweep_task(j, 0);
    else
        rfdn_pool_run(ex->pool, j->ns, sweep_task, j);
}

/* ------------------------------------------------------------------------ */
/* The builder */

void rfdn_sweep_init(rfdn_sweep *sw)
{
    sw->n = 0;
}

/* Whether two maps share memory (maps of one scratch area, or slices of
 * one map: channel planes are contiguous). */
static bool maps_overlap(const rfdn_fmap *a, const rfdn_fmap *b)
{
    const float *a1 = a->p + (size_t)a->c * a->cs, *b1 = b->p + (size_t)b->c * b->cs;
    return a->p < b1 && b->p < a1;
}

int rfdn_sweep_add(rfdn_sweep *sw, const rfdn_pconv *pc, const rfdn_fmap *in,
                   const rfdn_fmap *out, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    assert(sw->n < RFDN_SWEEP_MAX_STEPS);
    rfdn_sweep_step *st = &sw->st[sw->n];
    *st = (rfdn_sweep_step){.pc = pc, .in = *in, .out = *out, .has_aux = aux != NULL, .ep = ep};
    if (aux)
        st->aux = *aux;
    for (int t = 0; t < sw->n; t++) {
        const rfdn_fmap *w = &sw->st[t].out;
        if (maps_overlap(w, in) || (aux && maps_overlap(w, aux))) {
            assert(st->ndep < RFDN_SWEEP_MAX_DEPS);
            st->dep[st->ndep++] = t;
        }
    }
    return sw->n++;
}

void rfdn_sweep_pace(rfdn_sweep *sw, int step, int with)
{
    assert(with < step && step < sw->n);
    sw->st[step].like = with + 1;
}
