/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public API: settings, contexts, tile planning and the run itself
 * (the pixels in and out: pixels.c). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

#include "alloc.h"
#include "exec.h"
#include "model.h"
#include "net.h"
#include "pixels.h"
#include "pool.h"
#include "resample.h"
#include "tiles.h"
#include "transpose.h"

#define ERR_SIZE 512
#define PROGRESS_INTERVAL_NS 50000000ull /* at most ~20 calls a second */

struct rfdn_context {
    rfdn_model *model;
    rfdn_settings settings;
    char error[ERR_SIZE];
    atomic_bool cancel;
    rfdn_progress_fn progress;
    void *progress_user;
    rfdn_tile_fn tile_done;
    void *tile_user;
    float *scratch; /* kept between runs: refaulting memory is expensive */
    size_t scratch_floats;
    rfdn_pool *pool;
    rfdn_exec exec; /* the model's weights packed for the chosen kernels */
    /* for narrow, tall inputs (transpose.c): the transposed model, packed,
     * made at the first such run */
    rfdn_model *model_t;
    rfdn_exec exec_t;
    /* CCA gains of a tiled run (colour, alpha): blocks x nf each */
    float cca_gain[2][RFDN_MAX_BLOCKS * RFDN_MAX_NF];
};

/* ------------------------------------------------------------------------ */
/* Small utilities */

const char *rfdn_status_string(rfdn_status st)
{
    switch (st) {
    case RFDN_OK:
        return "success";
    case RFDN_CANCELLED:
        return "cancelled";
    case RFDN_ERROR_INVALID_ARGUMENT:
        return "invalid argument";
    case RFDN_ERROR_IO:
        return "input/output error";
    case RFDN_ERROR_BAD_MODEL:
        return "invalid or unsupported model file";
    case RFDN_ERROR_NO_MEMORY:
        return "out of memory";
    case RFDN_ERROR_TOO_LARGE:
        return "image too large";
    case RFDN_ERROR_INTERNAL:
        return "internal error";
    }
    return "unknown status";
}

#define STR2(x) #x
#define STR(x) STR2(x)
const char *rfdn_version(void)
{
    return STR(RFDN_VERSION_MAJOR) "." STR(RFDN_VERSION_MINOR) "." STR(RFDN_VERSION_MICRO);
}

/* ------------------------------------------------------------------------ */
/* Settings and contexts */

void rfdn_settings_default(rfdn_settings *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    s->threads = 0;
    s->tile_size = 0;
    s->memory_budget = (size_t)1 << 30;
    s->cpu_mask = RFDN_CPU_ALL;
    s->alpha = RFDN_ALPHA_NETWORK;
}

rfdn_status rfdn_context_create(rfdn_model *model, const rfdn_settings *settings,
                                rfdn_context **out)
{
    if (!out)
        return RFDN_ERROR_INVALID_ARGUMENT;
    *out = NULL;
    if (!model)
        return RFDN_ERROR_INVALID_ARGUMENT;
    rfdn_settings s;
    if (settings)
        s = *settings;
    else
        rfdn_settings_default(&s);
    if (s.threads < 0 || s.tile_size < 0 ||
        (s.alpha != RFDN_ALPHA_NETWORK && s.alpha != RFDN_ALPHA_BICUBIC))
        return RFDN_ERROR_INVALID_ARGUMENT;
    rfdn_context *ctx = rfdn_calloc(1, sizeof *ctx);
    if (!ctx)
        return RFDN_ERROR_NO_MEMORY;
    ctx->model = rfdn_model_ref(model);
    ctx->settings = s;
    atomic_init(&ctx->cancel, false);
    int threads = s.threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n < 1 ? 1 : n > 256 ? 256 : (int)n;
    }
    const rfdn_kernels *k = rfdn_kernels_select(s.cpu_mask);
    ctx->pool = rfdn_pool_create(threads);
    if (!ctx->pool || !rfdn_exec_init(&ctx->exec, model, k, ctx->pool)) {
        rfdn_context_free(ctx);
        return RFDN_ERROR_NO_MEMORY;
    }
    ctx->exec.stop = &ctx->cancel;
    if (s.log) {
        char msg[128];
        snprintf(msg, sizeof msg, "kernels %s, %d thread(s)", k->name,
                 rfdn_pool_threads(ctx->pool));
        s.log(s.log_user, RFDN_LOG_INFO, msg);
    }
    *out = ctx;
    return RFDN_OK;
}

void rfdn_context_free(rfdn_context *ctx)
{
    if (!ctx)
        return;
    rfdn_aligned_free(ctx->scratch);
    rfdn_exec_free(&ctx->exec);
    if (ctx->model_t) {
        rfdn_exec_free(&ctx->exec_t);
        rfdn_model_unref(ctx->model_t);
    }
    rfdn_pool_free(ctx->pool);
    rfdn_model_unref(ctx->model);
    free(ctx);
}

const rfdn_model *rfdn_context_get_model(const rfdn_context *ctx)
{
    return ctx ? ctx->model : NULL;
}

const char *rfdn_context_error(const rfdn_context *ctx)
{
    return ctx ? ctx->error : "no context";
}

void rfdn_context_set_tile_callback(rfdn_context *ctx, rfdn_tile_fn fn, void *user)
{
    if (!ctx)
        return;
    ctx->tile_done = fn;
    ctx->tile_user = user;
}

void rfdn_context_set_progress(rfdn_context *ctx, rfdn_progress_fn fn, void *user)
{
    if (!ctx)
        return;
    ctx->progress = fn;
    ctx->progress_user = user;
}

void rfdn_cancel(rfdn_context *ctx)
{
    if (ctx)
        atomic_store(&ctx->cancel, true);
}

__attribute__((format(printf, 3, 4))) static rfdn_status set_error(rfdn_context *ctx,
                                                                  rfdn_status st,
                                                                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    if (ctx->settings.log)
        ctx->settings.log(ctx->settings.log_user, RFDN_LOG_ERROR, ctx->error);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Sizes */

rfdn_status rfdn_output_size(const rfdn_model *m, int w, int h, int *ow, int *oh)
{
    if (!m || !ow || !oh || w < 1 || h < 1)
        return RFDN_ERROR_INVALID_ARGUMENT;
    const int s = m->info.scale;
    if (w > RFDN_MAX_SIDE || h > RFDN_MAX_SIDE || (size_t)w * h > RFDN_MAX_PIXELS)
        return RFDN_ERROR_TOO_LARGE;
    *ow = w * s;
    *oh = h * s;
    return RFDN_OK;
}

static bool plan_run(const rfdn_context *ctx, int w, int h, rfdn_tile_plan *tp)
{
    return rfdn_tiles_plan(ctx->model, w, h, ctx->settings.tile_size,
                           ctx->settings.memory_budget, rfdn_pool_threads(ctx->pool), tp);
}

size_t rfdn_context_memory_needed(const rfdn_context *ctx, int w, int h)
{
    int ow, oh;
    rfdn_tile_plan tp;
    if (!ctx || rfdn_output_size(ctx->model, w, h, &ow, &oh) != RFDN_OK)
        return 0;
    const bool t = rfdn_runs_transposed(w, h);
    if (!plan_run(ctx, t ? h : w, t ? w : h, &tp) ||
        tp.floats > SIZE_MAX / sizeof(float) / tp.workers)
        return 0;
    return tp.floats * sizeof(float) * tp.workers;
}

/* ------------------------------------------------------------------------ */
/* The run */

typedef struct run_state {
    rfdn_context *ctx;
    uint64_t total; /* progress units of the whole run */
    uint64_t last_ns;
    bool cancelled;
    atomic_ullong done; /* units done, by every network run of every thread */
    pthread_t caller;   /* the only thread that calls the progress callback */
} run_state;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Progress d of rs->total; the callback only on the caller's thread. */
static bool report(run_state *rs, uint64_t d)
{
    rfdn_context *ctx = rs->ctx;
    if (!pthread_equal(pthread_self(), rs->caller))
        return atomic_load(&ctx->cancel);
    if (atomic_load(&ctx->cancel))
        rs->cancelled = true;
    const uint64_t t = now_ns();
    if (!rs->cancelled && ctx->progress &&
        (d == rs->total || t - rs->last_ns >= PROGRESS_INTERVAL_NS)) {
        rs->last_ns = t;
        if (ctx->progress(ctx->progress_user, d, rs->total)) {
            rs->cancelled = true;
            atomic_store(&ctx->cancel, true); /* stops the layers in flight too */
        }
    }
    return rs->cancelled;
}

static bool ensure_scratch(rfdn_context *ctx, size_t floats)
{
    if (floats <= ctx->scratch_floats)
        return true;
    float *p = rfdn_aligned_alloc(floats * sizeof(float));
    if (!p)
        return false;
    rfdn_aligned_free(ctx->scratch);
    ctx->scratch = p;
    ctx->scratch_floats = floats;
    return true;
}

/* One tile's work, shared by the sequential and the parallel schedule. */
typedef struct tile_job {
    rfdn_context *ctx;
    const rfdn_image *in, *out;
    const rfdn_tile_plan *tp;
    rfdn_exec exec; /* the context's, with or without its pool */
    bool alpha, alpha_net, shared_gains, reverse;
    bool transposed; /* the run sees the input transposed (transpose.c) */
    int w, h;        /* the input's size as the run sees it */
    run_state *rs;
    atomic_int next;    /* next tile to claim (parallel schedule) */
    atomic_int status;  /* first failure */
} tile_job;

/* A thread's progress: what its current network run reports is added to the
 * run's shared count (set last = 0 before each network run). */
typedef struct worker_state {
    run_state *rs;
    uint64_t last; /* units of the current network run already counted */
} worker_state;

static bool worker_tick(void *user, uint64_t done, uint64_t pass_total)
{
    (void)pass_total;
    worker_state *ws = user;
    const uint64_t d = atomic_fetch_add(&ws->rs->done, done - ws->last) + (done - ws->last);
    ws->last = done;
    return report(ws->rs, d);
}

static rfdn_status run_tile(tile_job *j, int t, float *S, const rfdn_run_hooks *hooks,
                            worker_state *ws)
{
    rfdn_context *ctx = j->ctx;
    const rfdn_model *m = ctx->model;
    const rfdn_tile_plan *tp = j->tp;
    const int s = m->info.scale, w = j->w, h = j->h;
    const int ntiles = tp->nx * tp->ny;
    /* the tile: its core, and the input it reads (core plus halo) */
    const rfdn_tile_rect tr = rfdn_tiles_rect(tp, w, h, t);
    const int cx0 = tr.cx0, cy0 = tr.cy0, cx1 = tr.cx1, cy1 = tr.cy1;
    const int ix0 = tr.ix0, iy0 = tr.iy0, ix1 = tr.ix1, iy1 = tr.iy1;
    const int tw = ix1 - ix0, th = iy1 - iy0;
    const size_t P = (size_t)tw * th, s2 = (size_t)s * s;
    float *net = S, *rgb_in = S + rfdn_net_scratch_floats(m, tw, th);
    float *rgb_out = rgb_in + 3 * P, *a_in = rgb_out + 3 * s2 * P, *a_out = a_in + P;
    rfdn_region reg = {ix0, iy0, w, h, j->shared_gains ? ctx->cca_gain[0] : NULL, NULL};
    const rfdn_region *regp = ntiles > 1 ? &reg : NULL;
    const out_rect r = {s * cx0, s * cy0, s * (cx1 - cx0), s * (cy1 - cy0),
                        s * (cx0 - ix0), s * (cy0 - iy0), s * tw, s * th};

    rfdn_px_read_planes(j->in, j->transposed, ix0, iy0, tw, th, rgb_in, a_in);
    if (j->alpha)
        rfdn_px_fill_transparent(rgb_in, a_in, tw, th, rgb_out);
    ws->last = 0;
    rfdn_status st = rfdn_net_run(&j->exec, net, rgb_in, tw, th, rgb_out, regp, hooks);
    if (st != RFDN_OK)
        return st;
    rfdn_px_write_rows(j->exec.pool, j->out, j->transposed, rgb_out, &r, false);
    if (j->alpha_net) {
        /* The alpha plane through the network as a gray image; the mean of
         * the three output planes is the new alpha.  The colour planes are
         * free for it now. */
        for (int c = 0; c < 3; c++)
            memcpy(rgb_in + c * P, a_in, P * sizeof(float));
        ws->last = 0;
        reg.cca_gain = j->shared_gains ? ctx->cca_gain[1] : NULL;
        st = rfdn_net_run(&j->exec, net, rgb_in, tw, th, rgb_out, regp, hooks);
        if (st != RFDN_OK)
            return st;
        const size_t oP = s2 * P;
        for (size_t i = 0; i < oP; i++)
            a_out[i] = (rgb_out[i] + rgb_out[oP + i] + rgb_out[2 * oP + i]) / 3.0f;
    } else if (j->alpha) {
        rfdn_bicubic_upscale(a_in, tw, th, s, a_out);
    }
    rfdn_px_write_rows(j->exec.pool, j->out, j->transposed, j->alpha ? a_out : NULL, &r, true);
    if (ctx->tile_done && j->transposed)
        ctx->tile_done(ctx->tile_user, r.oy, r.ox, r.oh, r.ow);
    else if (ctx->tile_done)
        ctx->tile_done(ctx->tile_user, r.ox, r.oy, r.ow, r.oh);
    return RFDN_OK;
}

/* Parallel schedule: task i is worker i with scratch slice i; workers claim
 * tiles until none is left or one fails. */
static void tile_worker(void *arg, int i)
{
    tile_job *j = arg;
    float *S = j->ctx->scratch + (size_t)i * j->tp->floats;
    worker_state ws = {j->rs, 0};
    const rfdn_run_hooks hooks = {worker_tick, &ws};
    const int ntiles = j->tp->nx * j->tp->ny;
    int k;
    while (atomic_load(&j->status) == RFDN_OK && (k = atomic_fetch_add(&j->next, 1)) < ntiles) {
        const rfdn_status st = run_tile(j, j->reverse ? ntiles - 1 - k : k, S, &hooks, &ws);
        if (st != RFDN_OK) {
            int ok = RFDN_OK;
            atomic_compare_exchange_strong(&j->status, &ok, st);
        }
    }
}

/* Whether in and out suit each other and the model (an error set if not). */
static rfdn_status check_images(rfdn_context *ctx, const rfdn_image *in, const rfdn_image *out)
{
    const int s = ctx->model->info.scale;
    if (!rfdn_px_image_valid(in))
        return set_error(ctx, RFDN_ERROR_INVALID_ARGUMENT,
                         "invalid input image (size, channels, format, stride or data)");
    if (!rfdn_px_image_valid(out))
        return set_error(ctx, RFDN_ERROR_INVALID_ARGUMENT,
                         "invalid output image (size, channels, format, stride or data)");
    int ow, oh;
    rfdn_status st = rfdn_output_size(ctx->model, in->width, in->height, &ow, &oh);
    if (st != RFDN_OK)
        return set_error(ctx, st, "input of %d x %d pixels is too large", in->width,
                         in->height);
    if (out->width != ow || out->height != oh)
        return set_error(ctx, RFDN_ERROR_INVALID_ARGUMENT,
                         "output must be %d x %d for a %d x %d input at x%d (got %d x %d)", ow,
                         oh, in->width, in->height, s, out->width, out->height);
    if (out->channels != in->channels)
        return set_error(ctx, RFDN_ERROR_INVALID_ARGUMENT,
                         "output has %d channels, input %d: they must be equal", out->channels,
                         in->channels);
    return RFDN_OK;
}

/* The transposed model, packed like the model (an error set if out of
 * memory); made once per context. */
static rfdn_status ensure_transposed(rfdn_context *ctx)
{
    if (ctx->model_t)
        return RFDN_OK;
    rfdn_model *t = rfdn_model_transposed(ctx->model);
    if (!t || !rfdn_exec_init(&ctx->exec_t, t, ctx->exec.k, ctx->pool)) {
        rfdn_model_unref(t);
        return set_error(ctx, RFDN_ERROR_NO_MEMORY, "out of memory for a narrow image's run");
    }
    ctx->exec_t.stop = &ctx->cancel;
    ctx->model_t = t;
    return RFDN_OK;
}

/* The plan of the run and its scratch memory (an error set if not). */
static rfdn_status prepare(rfdn_context *ctx, int w, int h, rfdn_tile_plan *tp)
{
    if (!plan_run(ctx, w, h, tp) || tp->floats > SIZE_MAX / sizeof(float) / tp->workers)
        return set_error(ctx, RFDN_ERROR_TOO_LARGE, "input of %d x %d pixels is too large", w,
                         h);
    if (!ensure_scratch(ctx, tp->floats * tp->workers))
        return set_error(ctx, RFDN_ERROR_NO_MEMORY,
                         "out of memory: a %d x %d input needs %.0f MiB of scratch memory", w,
                         h, (double)tp->floats * tp->workers * sizeof(float) / 1048576.0);
    return RFDN_OK;
}

/* RFDN's shared channel gains, one pass per plane set (colour, alpha): the
 * network on a reduction of the whole image that fits one tile. */
static rfdn_status measure_gains(rfdn_context *ctx, const tile_job *job, int passes,
                                 const rfdn_run_hooks *hooks, worker_state *ws)
{
    const rfdn_tile_plan *tp = job->tp;
    const rfdn_model *m = ctx->model;
    const int tw = tp->tw, th = tp->th;
    rfdn_status st = RFDN_OK;
    for (int pass = 0; pass < passes && st == RFDN_OK; pass++) {
        int rw, rh;
        float *tin = ctx->scratch + rfdn_net_scratch_floats(m, tw, th);
        float *tout = tin + 3 * (size_t)tw * th;
        rfdn_px_thumbnail(job->in, job->transposed, pass == 1, tw, th, tin, &rw, &rh);
        const rfdn_region g = {0, 0, 0, 0, NULL, ctx->cca_gain[pass]};
        ws->last = 0;
        st = rfdn_net_run(&job->exec, ctx->scratch, tin, rw, rh, tout, &g, hooks);
    }
    return st;
}

/* Every tile: side by side, each on one thread, or one after the other,
 * each on all threads. */
static rfdn_status run_tiles(tile_job *job, const rfdn_run_hooks *hooks, worker_state *ws)
{
    rfdn_context *ctx = job->ctx;
    const int ntiles = job->tp->nx * job->tp->ny;
    rfdn_status st = RFDN_OK;
    if (job->tp->workers > 1) {
        job->exec.pool = NULL; /* each tile on one thread */
        rfdn_pool_run(ctx->pool, job->tp->workers, tile_worker, job);
        st = (rfdn_status)atomic_load(&job->status);
        if (st == RFDN_OK && atomic_load(&ctx->cancel))
            st = RFDN_CANCELLED;
        if (st == RFDN_OK)
            report(job->rs, job->rs->total);
    } else {
        for (int k = 0; k < ntiles && st == RFDN_OK; k++)
            st = run_tile(job, job->reverse ? ntiles - 1 - k : k, ctx->scratch, hooks, ws);
    }
    return st;
}

rfdn_status rfdn_upscale(rfdn_context *ctx, const rfdn_image *in, const rfdn_image *out)
{
    if (!ctx)
        return RFDN_ERROR_INVALID_ARGUMENT;
    ctx->error[0] = 0;
    atomic_store(&ctx->cancel, false);
    const rfdn_model *m = ctx->model;
    rfdn_tile_plan tp;
    rfdn_status st = check_images(ctx, in, out);
    /* narrow and tall: the run sees the image transposed (transpose.c) */
    const bool transposed = st == RFDN_OK && rfdn_runs_transposed(in->width, in->height);
    const int w = st != RFDN_OK ? 0 : transposed ? in->height : in->width;
    const int h = st != RFDN_OK ? 0 : transposed ? in->width : in->height;
    if (st == RFDN_OK && transposed)
        st = ensure_transposed(ctx);
    if (st == RFDN_OK)
        st = prepare(ctx, w, h, &tp);
    if (st != RFDN_OK)
        return st;

    const bool alpha = rfdn_px_translucent(in);
    const bool alpha_net = alpha && ctx->settings.alpha == RFDN_ALPHA_NETWORK;
    const uint64_t units = rfdn_net_work_units(m), passes = alpha_net ? 2 : 1;
    const int ntiles = tp.nx * tp.ny;
    /* RFDN's channel attention takes statistics over the whole map: tiles
     * would each take their own and disagree at their seams.  All tiles use
     * the gains of the whole image instead, measured on a reduction of it
     * that fits one tile (one extra, small run per pass). */
    const bool shared_gains = ntiles > 1 && m->info.attention == RFDN_ATTENTION_CCA;
    const uint64_t runs = (uint64_t)ntiles + (shared_gains ? 1 : 0);
    /* last_ns = 0: the first tick reports at once, later ones are throttled */
    run_state rs = {.ctx = ctx, .total = units * passes * runs, .last_ns = 0,
                    .caller = pthread_self()};
    atomic_init(&rs.done, 0);
    worker_state ws = {&rs, 0};
    const rfdn_run_hooks hooks = {worker_tick, &ws};

    tile_job job = {.ctx = ctx, .in = in, .out = out, .tp = &tp,
                    .exec = transposed ? ctx->exec_t : ctx->exec, .alpha = alpha,
                    .alpha_net = alpha_net, .shared_gains = shared_gains,
                    .reverse = rfdn_tiles_reversed(), .transposed = transposed, .w = w, .h = h,
                    .rs = &rs};
    atomic_init(&job.next, 0);
    atomic_init(&job.status, RFDN_OK);
    if (shared_gains)
        st = measure_gains(ctx, &job, (int)passes, &hooks, &ws);
    if (st == RFDN_OK)
        st = run_tiles(&job, &hooks, &ws);
    if (st == RFDN_CANCELLED)
        return set_error(ctx, RFDN_CANCELLED, "cancelled");
    if (st != RFDN_OK)
        return set_error(ctx, st, "%s", rfdn_status_string(st));
    return RFDN_OK;
}
