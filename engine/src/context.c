/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public API: settings, contexts, pixel conversion and the run itself. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "resample.h"

#define ERR_SIZE 512
#define PROGRESS_INTERVAL_NS 50000000ull /* at most ~20 calls a second */

struct rfdn_context {
    rfdn_model *model;
    rfdn_settings settings;
    char error[ERR_SIZE];
    atomic_bool cancel;
    rfdn_progress_fn progress;
    void *progress_user;
    float *scratch; /* kept between runs: refaulting memory is expensive */
    size_t scratch_floats;
    rfdn_pool *pool;
    rfdn_exec exec; /* the model's weights packed for the chosen kernels */
};

/* ------------------------------------------------------------------------ */
/* Small utilities */

void rfdn_format(char *buf, size_t size, const char *fmt, ...)
{
    if (!buf || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static atomic_ulong alloc_count, alloc_fail_at;

unsigned long rfdn_test_fail_alloc_at(unsigned long n)
{
    unsigned long made = atomic_exchange(&alloc_count, 0);
    atomic_store(&alloc_fail_at, n);
    return made;
}

static bool alloc_should_fail(void)
{
    unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
    return n == atomic_load(&alloc_fail_at);
}

void *rfdn_malloc(size_t size)
{
    return alloc_should_fail() ? NULL : malloc(size);
}

void *rfdn_calloc(size_t n, size_t size)
{
    return alloc_should_fail() ? NULL : calloc(n, size);
}

void *rfdn_aligned_alloc(size_t size)
{
    void *p = NULL;
    if (alloc_should_fail() || posix_memalign(&p, 64, size ? size : 64))
        return NULL;
    return p;
}

void rfdn_aligned_free(void *p)
{
    free(p);
}

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

/* Floats of scratch a run needs: the network's own, plus planar input and
 * output images, plus an alpha plane in and out.  0 on overflow. */
static size_t run_floats(const rfdn_model *m, int w, int h)
{
    const size_t P = (size_t)w * h, s2 = (size_t)m->info.scale * m->info.scale;
    const size_t net = rfdn_net_scratch_floats(m, w, h);
    const size_t planes = 3 * P + 3 * s2 * P + P + s2 * P;
    if (net > SIZE_MAX / 8 || planes > SIZE_MAX / 8 - net)
        return 0;
    return net + planes;
}

size_t rfdn_context_memory_needed(const rfdn_context *ctx, int w, int h)
{
    int ow, oh;
    if (!ctx || rfdn_output_size(ctx->model, w, h, &ow, &oh) != RFDN_OK)
        return 0;
    size_t n = run_floats(ctx->model, w, h);
    return n > SIZE_MAX / sizeof(float) ? 0 : n * sizeof(float);
}

/* ------------------------------------------------------------------------ */
/* Pixel conversion */

static size_t sample_size(rfdn_sample_format f)
{
    return f == RFDN_SAMPLE_U8 ? 1 : f == RFDN_SAMPLE_U16 ? 2 : 4;
}

static bool image_valid(const rfdn_image *im)
{
    if (!im || !im->data || im->width < 1 || im->height < 1 || im->channels < 1 ||
        im->channels > 4 ||
        (im->format != RFDN_SAMPLE_U8 && im->format != RFDN_SAMPLE_U16 &&
         im->format != RFDN_SAMPLE_F32))
        return false;
    const size_t row = (size_t)im->width * im->channels * sample_size(im->format);
    return im->stride > 0 && (size_t)im->stride >= row;
}

/* One sample as a value in [0, 255]. */
static inline float read_sample(const rfdn_image *im, int x, int y, int c)
{
    const uint8_t *row = (const uint8_t *)im->data + (size_t)y * (size_t)im->stride;
    const size_t i = (size_t)x * im->channels + c;
    switch (im->format) {
    case RFDN_SAMPLE_U8:
        return row[i];
    case RFDN_SAMPLE_U16: {
        uint16_t v;
        memcpy(&v, row + 2 * i, 2);
        return (float)v * (255.0f / 65535.0f);
    }
    default: {
        float v;
        memcpy(&v, row + 4 * i, 4);
        if (!(v > 0.0f)) /* also NaN */
            v = 0.0f;
        return v >= 1.0f ? 255.0f : v * 255.0f;
    }
    }
}

/* Writes a value in [0, 255] (clamped here) as one sample. */
static inline void write_sample(const rfdn_image *im, int x, int y, int c, float v)
{
    uint8_t *row = (uint8_t *)im->data + (size_t)y * (size_t)im->stride;
    const size_t i = (size_t)x * im->channels + c;
    v = v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v;
    switch (im->format) {
    case RFDN_SAMPLE_U8:
        row[i] = (uint8_t)lrintf(v);
        break;
    case RFDN_SAMPLE_U16: {
        uint16_t u = (uint16_t)lrintf(v * (65535.0f / 255.0f));
        memcpy(row + 2 * i, &u, 2);
        break;
    }
    default: {
        float f = v / 255.0f;
        memcpy(row + 4 * i, &f, 4);
        break;
    }
    }
}

/* Colour planes (gray replicated) into rgb[3][P]; alpha into a[P].  Returns
 * true when there is an alpha channel that is not fully opaque. */
static bool read_planes(const rfdn_image *im, float *rgb, float *a)
{
    const int w = im->width, h = im->height, nc = im->channels;
    const bool gray = nc <= 2, has_alpha = nc == 2 || nc == 4;
    const size_t P = (size_t)w * h;
    bool translucent = false;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const size_t p = (size_t)y * w + x;
            for (int c = 0; c < 3; c++)
                rgb[c * P + p] = read_sample(im, x, y, gray ? 0 : c);
            if (has_alpha) {
                a[p] = read_sample(im, x, y, nc - 1);
                translucent |= a[p] < 255.0f;
            }
        }
    return translucent;
}

static void write_colour(const rfdn_image *im, const float *rgb)
{
    const int w = im->width, h = im->height, nc = im->channels;
    const size_t P = (size_t)w * h;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const size_t p = (size_t)y * w + x;
            if (nc <= 2)
                write_sample(im, x, y, 0, (rgb[p] + rgb[P + p] + rgb[2 * P + p]) / 3.0f);
            else
                for (int c = 0; c < 3; c++)
                    write_sample(im, x, y, c, rgb[c * P + p]);
        }
}

/* The alpha channel (if the image has one) from a[P], or opaque when a is
 * NULL. */
static void write_alpha(const rfdn_image *im, const float *a)
{
    const int w = im->width, h = im->height, nc = im->channels;
    if (nc != 2 && nc != 4)
        return;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            write_sample(im, x, y, nc - 1, a ? a[(size_t)y * w + x] : 255.0f);
}

/* ------------------------------------------------------------------------ */
/* The run */

typedef struct run_state {
    rfdn_context *ctx;
    uint64_t base, total; /* progress units before this pass, and in all */
    uint64_t last_ns;
    bool cancelled;
} run_state;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool run_tick(void *user, uint64_t done, uint64_t pass_total)
{
    (void)pass_total;
    run_state *rs = user;
    rfdn_context *ctx = rs->ctx;
    if (atomic_load(&ctx->cancel))
        rs->cancelled = true;
    const uint64_t d = rs->base + done, t = now_ns();
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

rfdn_status rfdn_upscale(rfdn_context *ctx, const rfdn_image *in, const rfdn_image *out)
{
    if (!ctx)
        return RFDN_ERROR_INVALID_ARGUMENT;
    ctx->error[0] = 0;
    atomic_store(&ctx->cancel, false);
    const rfdn_model *m = ctx->model;
    const int s = m->info.scale;

    if (!image_valid(in))
        return set_error(ctx, RFDN_ERROR_INVALID_ARGUMENT,
                         "invalid input image (size, channels, format, stride or data)");
    if (!image_valid(out))
        return set_error(ctx, RFDN_ERROR_INVALID_ARGUMENT,
                         "invalid output image (size, channels, format, stride or data)");
    int ow, oh;
    rfdn_status st = rfdn_output_size(m, in->width, in->height, &ow, &oh);
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

    const int w = in->width, h = in->height;
    const size_t P = (size_t)w * h, s2 = (size_t)s * s;
    const size_t need = run_floats(m, w, h);
    if (!need || need > SIZE_MAX / sizeof(float))
        return set_error(ctx, RFDN_ERROR_TOO_LARGE, "input of %d x %d pixels is too large", w,
                         h);
    if (!ensure_scratch(ctx, need))
        return set_error(ctx, RFDN_ERROR_NO_MEMORY,
                         "out of memory: a %d x %d input needs %.0f MiB of scratch memory", w,
                         h, (double)need * sizeof(float) / 1048576.0);

    float *S = ctx->scratch;
    float *net = S, *rgb_in = S + rfdn_net_scratch_floats(m, w, h);
    float *rgb_out = rgb_in + 3 * P, *a_in = rgb_out + 3 * s2 * P, *a_out = a_in + P;

    const bool translucent = read_planes(in, rgb_in, a_in);
    const bool alpha_net = translucent && ctx->settings.alpha == RFDN_ALPHA_NETWORK;
    const uint64_t units = rfdn_net_work_units(m);
    /* last_ns = 0: the first tick reports at once, later ones are throttled */
    run_state rs = {.ctx = ctx, .base = 0, .total = units * (alpha_net ? 2 : 1), .last_ns = 0};
    const rfdn_run_hooks hooks = {run_tick, &rs};

    st = rfdn_net_run(&ctx->exec, net, rgb_in, w, h, rgb_out, &hooks);
    if (st == RFDN_OK) {
        write_colour(out, rgb_out);
        if (alpha_net) {
            /* The alpha plane through the network as a gray image; the mean
             * of the three output planes is the new alpha.  The colour
             * planes are free for it now. */
            for (int c = 0; c < 3; c++)
                memcpy(rgb_in + c * P, a_in, P * sizeof(float));
            rs.base = units;
            st = rfdn_net_run(&ctx->exec, net, rgb_in, w, h, rgb_out, &hooks);
            const size_t oP = s2 * P;
            for (size_t i = 0; i < oP; i++)
                a_out[i] = (rgb_out[i] + rgb_out[oP + i] + rgb_out[2 * oP + i]) / 3.0f;
        } else if (translucent) {
            rfdn_bicubic_upscale(a_in, w, h, s, a_out);
        }
    }
    if (st == RFDN_CANCELLED)
        return set_error(ctx, RFDN_CANCELLED, "cancelled");
    if (st != RFDN_OK)
        return set_error(ctx, st, "%s", rfdn_status_string(st));
    write_alpha(out, translucent ? a_out : NULL);
    return RFDN_OK;
}
