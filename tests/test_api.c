/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The public API: every sample format and channel count against the network
 * run directly (also for a narrow, tall image, which runs transposed), strides, argument errors, progress, cancellation (from the
 * callback and from another thread), reuse after cancel, allocation failures.
 *
 *   test_api MODEL.safetensors [--cancel-only]
 * (--cancel-only: just the threaded part, for the ThreadSanitizer build)
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "resample.h"
#include "testutil.h"
#include "testimage.h"

static rfdn_model *model;
static int S_;                  /* scale */
/* a run long enough to be cancelled on its way (ThreadSanitizer is slow) */
#ifdef __SANITIZE_THREAD__
static const int big_w = 48, big_h = 40;
#else
static const int big_w = 800, big_h = 600; /* large enough to be tiled */
#endif

static float clamp255(float v)
{
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

/* The network on planar RGB (values 0..255); returns 3 x sh x sw planes. */
static float *net_run(const float *rgb, int w, int h)
{
    float *S = malloc(sizeof(float) * rfdn_net_scratch_floats(model, w, h));
    float *y = malloc(sizeof(float) * 3 * (size_t)w * h * S_ * S_);
    CHECK(rfdn_net_forward(model, S, rgb, w, h, y, NULL) == RFDN_OK, "forward");
    free(S);
    return y;
}

/* w x h; a narrow, tall size runs transposed (engine/src/transpose.c) */
static void test_formats(int w, int h)
{
    const int ow = w * S_, oh = h * S_;
    const size_t P = (size_t)w * h, oP = P * S_ * S_;
    static const rfdn_sample_format fmts[] = {RFDN_SAMPLE_U8, RFDN_SAMPLE_U16, RFDN_SAMPLE_F32};
    for (int alpha_mode = 0; alpha_mode < 2; alpha_mode++) {
        rfdn_settings st;
        rfdn_settings_default(&st);
        st.alpha = alpha_mode ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
        rfdn_context *ctx;
        CHECK(rfdn_context_create(model, &st, &ctx) == RFDN_OK, "context");
        for (int fi = 0; fi < 3; fi++)
            for (int fo = 0; fo < 3; fo++)
                for (int ch = 1; ch <= 4; ch++)
                    for (int opaque = 0; opaque < 2; opaque++) {
                        if (alpha_mode && (ch == 1 || ch == 3))
                            continue;
                        uint64_t r = 1234567 + (uint64_t)ch * 31 + fi;
                        rfdn_image in = make_image(w, h, ch, fmts[fi], 5);
                        rfdn_image out = make_image(ow, oh, ch, fmts[fo], 3);
                        for (int y = 0; y < h; y++)
                            for (int x = 0; x < w; x++)
                                for (int c = 0; c < ch; c++) {
                                    bool a = (ch == 2 || ch == 4) && c == ch - 1;
                                    /* alpha never 0 here: the colour under
                                     * transparent pixels is replaced */
                                    put(&in, x, y, c,
                                        a && opaque ? 1.0f
                                        : a         ? 0.02f + 0.98f * rnd(&r)
                                                    : rnd(&r));
                                }
                        /* expected: the network on what the engine should see */
                        float *rgb = malloc(sizeof(float) * 3 * P), *al = malloc(4 * P);
                        for (int y = 0; y < h; y++)
                            for (int x = 0; x < w; x++) {
                                for (int c = 0; c < 3; c++)
                                    rgb[c * P + (size_t)y * w + x] =
                                        get(&in, x, y, ch <= 2 ? 0 : c);
                                al[(size_t)y * w + x] = get(&in, x, y, ch - 1);
                            }
                        float *ey = net_run(rgb, w, h), *ea = NULL;
                        if ((ch == 2 || ch == 4) && !opaque) {
                            ea = malloc(4 * oP);
                            if (alpha_mode) {
                                rfdn_bicubic_upscale(al, w, h, S_, ea);
                            } else {
                                for (int c = 0; c < 3; c++)
                                    memcpy(rgb + c * P, al, 4 * P);
                                float *t = net_run(rgb, w, h);
                                for (size_t i = 0; i < oP; i++)
                                    ea[i] = (t[i] + t[oP + i] + t[2 * oP + i]) / 3;
                                free(t);
                            }
                        }
                        rfdn_status s = rfdn_upscale(ctx, &in, &out);
                        CHECK(s == RFDN_OK, "upscale fmt %d->%d ch %d: %s", fi, fo, ch,
                              rfdn_context_error(ctx));
                        /* half a quantisation step, plus 1e-3 for the
                         * difference of SIMD kernels and the portable ones */
                        const float tol = fmts[fo] == RFDN_SAMPLE_U8    ? 0.5f + 1e-3f
                                          : fmts[fo] == RFDN_SAMPLE_U16 ? 0.5f * 255 / 65535 + 1e-3f
                                                                        : 1e-3f;
                        float worst = 0;
                        for (int y = 0; y < oh; y++)
                            for (int x = 0; x < ow; x++) {
                                const size_t p = (size_t)y * ow + x;
                                for (int c = 0; c < ch; c++) {
                                    float e;
                                    if ((ch == 2 || ch == 4) && c == ch - 1)
                                        e = ea ? ea[p] : 255.0f;
                                    else if (ch <= 2)
                                        e = (ey[p] + ey[oP + p] + ey[2 * oP + p]) / 3;
                                    else
                                        e = ey[c * oP + p];
                                    float d = fabsf(get(&out, x, y, c) - clamp255(e));
                                    worst = d > worst ? d : worst;
                                }
                            }
                        CHECK(worst <= tol, "fmt %d->%d ch %d opaque %d alpha %d: off by %g",
                              fi, fo, ch, opaque, alpha_mode, worst);
                        /* row padding of the output untouched */
                        const size_t row = (size_t)ow * ch * ssize(fmts[fo]);
                        bool pad_ok = true;
                        for (int y = 0; y < oh; y++)
                            for (size_t b = row; b < (size_t)out.stride; b++)
                                pad_ok &= ((uint8_t *)out.data)[(size_t)y * out.stride + b] ==
                                          0xA5;
                        CHECK(pad_ok, "output row padding was written");
                        free(rgb);
                        free(al);
                        free(ey);
                        free(ea);
                        free(in.data);
                        free(out.data);
                    }
        rfdn_context_free(ctx);
    }
}

static void test_errors(void)
{
    rfdn_context *ctx;
    CHECK(rfdn_context_create(model, NULL, &ctx) == RFDN_OK, "context");
    rfdn_image in = make_image(4, 4, 3, RFDN_SAMPLE_U8, 0);
    rfdn_image out = make_image(4 * S_, 4 * S_, 3, RFDN_SAMPLE_U8, 0);
    rfdn_image bad;

    CHECK(rfdn_upscale(NULL, &in, &out) == RFDN_ERROR_INVALID_ARGUMENT, "NULL ctx");
    CHECK(rfdn_upscale(ctx, NULL, &out) == RFDN_ERROR_INVALID_ARGUMENT, "NULL in");
    CHECK(strstr(rfdn_context_error(ctx), "input"), "message: %s", rfdn_context_error(ctx));
    bad = out;
    bad.width--;
    CHECK(rfdn_upscale(ctx, &in, &bad) == RFDN_ERROR_INVALID_ARGUMENT, "wrong output size");
    CHECK(strstr(rfdn_context_error(ctx), "output must be"), "message: %s",
          rfdn_context_error(ctx));
    bad = out;
    bad.channels = 4;
    CHECK(rfdn_upscale(ctx, &in, &bad) == RFDN_ERROR_INVALID_ARGUMENT, "channel mismatch");
    bad = in;
    bad.channels = 5;
    CHECK(rfdn_upscale(ctx, &bad, &out) == RFDN_ERROR_INVALID_ARGUMENT, "5 channels");
    bad = in;
    bad.stride = 11;
    CHECK(rfdn_upscale(ctx, &bad, &out) == RFDN_ERROR_INVALID_ARGUMENT, "short stride");
    bad = in;
    bad.width = 0;
    CHECK(rfdn_upscale(ctx, &bad, &out) == RFDN_ERROR_INVALID_ARGUMENT, "zero width");
    bad = in;
    bad.format = (rfdn_sample_format)7;
    CHECK(rfdn_upscale(ctx, &bad, &out) == RFDN_ERROR_INVALID_ARGUMENT, "bad format");
    /* absurd sizes are refused before anything is read or allocated */
    rfdn_image huge_in = {1 << 21, 4, 3, RFDN_SAMPLE_U8, (ptrdiff_t)3 << 21, in.data};
    rfdn_image huge_out = {(1 << 21) * S_, 4 * S_, 3, RFDN_SAMPLE_U8, (ptrdiff_t)3 << 23,
                           out.data};
    CHECK(rfdn_upscale(ctx, &huge_in, &huge_out) == RFDN_ERROR_TOO_LARGE, "huge");
    int ow, oh;
    CHECK(rfdn_output_size(model, 60000, 60000, &ow, &oh) == RFDN_OK && ow == 60000 * S_,
          "output size");
    CHECK(rfdn_output_size(model, 1 << 21, 1, &ow, &oh) == RFDN_ERROR_TOO_LARGE, "too wide");
    CHECK(rfdn_output_size(model, 0, 1, &ow, &oh) == RFDN_ERROR_INVALID_ARGUMENT, "zero");
    CHECK(rfdn_context_memory_needed(ctx, 64, 64) > rfdn_context_memory_needed(ctx, 32, 32) &&
              rfdn_context_memory_needed(ctx, 32, 32) > 0,
          "memory estimate grows with size");
    CHECK(rfdn_context_memory_needed(ctx, 0, 5) == 0, "memory estimate of an invalid size");

    /* and the context still works */
    CHECK(rfdn_upscale(ctx, &in, &out) == RFDN_OK, "valid run after errors");
    CHECK(rfdn_context_error(ctx)[0] == 0, "message cleared by a good run");
    rfdn_settings st;
    rfdn_settings_default(&st);
    st.threads = -1;
    rfdn_context *c2 = (rfdn_context *)1;
    CHECK(rfdn_context_create(model, &st, &c2) == RFDN_ERROR_INVALID_ARGUMENT && !c2,
          "negative threads");
    free(in.data);
    free(out.data);
    rfdn_context_free(ctx);
}

typedef struct prog {
    int calls;
    uint64_t last, total;
    bool monotonic;
    int cancel_at; /* cancel on this call (0 = never) */
} prog;

static int on_progress(void *user, uint64_t done, uint64_t total)
{
    prog *p = user;
    p->calls++;
    p->monotonic &= done >= p->last && done <= total;
    p->last = done;
    p->total = total;
    return p->cancel_at && p->calls >= p->cancel_at;
}

typedef struct canceller {
    rfdn_context *ctx;
    atomic_int started; /* set by the progress callback */
    double cancelled_at;
} canceller;

static double now_s(void);

static int on_progress_started(void *user, uint64_t done, uint64_t total)
{
    (void)done;
    (void)total;
    atomic_store(&((canceller *)user)->started, 1);
    return 0;
}

/* Waits until the run is under way, then cancels it. */
static void *cancel_thread(void *arg)
{
    canceller *c = arg;
    while (!atomic_load(&c->started)) {
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
    c->cancelled_at = now_s();
    rfdn_cancel(c->ctx);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void test_progress_cancel(void)
{
    rfdn_context *ctx;
    CHECK(rfdn_context_create(model, NULL, &ctx) == RFDN_OK, "context");
    const int w = 40, h = 30;
    rfdn_image in = random_image(w, h, 4, RFDN_SAMPLE_U8, 99);
    rfdn_image out = make_image(w * S_, h * S_, 4, RFDN_SAMPLE_U8, 0);
    rfdn_image out2 = make_image(w * S_, h * S_, 4, RFDN_SAMPLE_U8, 0);

    prog p = {.monotonic = true};
    rfdn_context_set_progress(ctx, on_progress, &p);
    CHECK(rfdn_upscale(ctx, &in, &out) == RFDN_OK, "run with progress");
    CHECK(p.calls >= 1 && p.monotonic && p.last == p.total && p.total > 0,
          "progress: %d calls, last %llu of %llu", p.calls, (unsigned long long)p.last,
          (unsigned long long)p.total);

    /* cancel from the callback: the first call asks to stop */
    prog pc = {.monotonic = true, .cancel_at = 1};
    rfdn_context_set_progress(ctx, on_progress, &pc);
    /* the first callback may come only after 50 ms; make the run long enough */
    rfdn_image big_in = make_image(big_w, big_h, 3, RFDN_SAMPLE_U8, 0);
    rfdn_image big_out = make_image(big_w * S_, big_h * S_, 3, RFDN_SAMPLE_U8, 0);
    memset(big_in.data, 100, (size_t)big_in.stride * big_h);
    rfdn_status s = rfdn_upscale(ctx, &big_in, &big_out);
    CHECK(s == RFDN_CANCELLED, "cancel from progress: status %d", s);
    CHECK(pc.last < pc.total, "cancelled run reported completion");

    /* cancel from another thread, once the run is under way: it stops
     * promptly */
    canceller c = {.ctx = ctx};
    atomic_init(&c.started, 0);
    rfdn_context_set_progress(ctx, on_progress_started, &c);
    pthread_t th;
    pthread_create(&th, NULL, cancel_thread, &c);
    s = rfdn_upscale(ctx, &big_in, &big_out);
    const double latency = now_s() - c.cancelled_at;
    pthread_join(th, NULL);
    CHECK(s == RFDN_CANCELLED, "cancel from a thread: status %d", s);
    printf("cancelled run returned %.3f s after rfdn_cancel()\n", latency);
    /* a whole 800x600 run takes several seconds (tens under the
     * sanitizers); cancel is checked between layers, typically within
     * milliseconds.  The bound leaves room for a loaded 2-core machine
     * under AddressSanitizer (0.64 s measured once). */
    CHECK(latency < 2.0, "run returned %.3f s after the cancel", latency);
    CHECK(!strcmp(rfdn_context_error(ctx), "cancelled"), "message %s", rfdn_context_error(ctx));
    rfdn_context_set_progress(ctx, NULL, NULL);

    /* a cancel while idle is forgotten; the context is reusable and the
     * result identical to the first run */
    rfdn_cancel(ctx);
    CHECK(rfdn_upscale(ctx, &in, &out2) == RFDN_OK, "run after cancel");
    CHECK(!memcmp(out.data, out2.data, (size_t)out.stride * out.height),
          "same input, different bytes");

    free(in.data);
    free(out.data);
    free(out2.data);
    free(big_in.data);
    free(big_out.data);
    rfdn_context_free(ctx);
}

/* The colour under fully transparent pixels does not reach the result: two
 * images that differ only there upscale to the same bytes (the hidden band
 * is narrower than the fill radius). */
static void test_hidden_colour(void)
{
    const int w = 40, h = 30;
    rfdn_image in[2], out[2];
    for (int k = 0; k < 2; k++) {
        in[k] = make_image(w, h, 4, RFDN_SAMPLE_U8, 0);
        out[k] = make_image(w * S_, h * S_, 4, RFDN_SAMPLE_U8, 0);
        uint64_t r = 777, r2 = 1000 + (uint64_t)k * 999;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                const bool hidden = x >= 33;
                for (int c = 0; c < 3; c++)
                    put(&in[k], x, y, c, hidden ? rnd(&r2) : rnd(&r));
                put(&in[k], x, y, 3, hidden ? 0.0f : 1.0f);
            }
    }
    CHECK(memcmp(in[0].data, in[1].data, (size_t)in[0].stride * h), "inputs differ");
    rfdn_context *ctx;
    CHECK(rfdn_context_create(model, NULL, &ctx) == RFDN_OK, "context");
    for (int k = 0; k < 2; k++)
        CHECK(rfdn_upscale(ctx, &in[k], &out[k]) == RFDN_OK, "upscale");
    CHECK(!memcmp(out[0].data, out[1].data, (size_t)out[0].stride * out[0].height),
          "hidden colour changed the result");
    rfdn_context_free(ctx);
    for (int k = 0; k < 2; k++) {
        free(in[k].data);
        free(out[k].data);
    }
}

/* Output bytes do not depend on the thread count: the whole image at once,
 * and an image cut into tiles by a memory budget (the tiles must not depend
 * on the threads either). */
static void test_threads_at(int w, int h, int budget_div, int max_threads)
{
    rfdn_image in = random_image(w, h, 3, RFDN_SAMPLE_U16, 4242);
    rfdn_image out[5];
    size_t budget = 0;
    for (int t = 1; t <= max_threads; t++) {
        rfdn_settings st;
        rfdn_settings_default(&st);
        st.threads = t;
        rfdn_context *ctx;
        CHECK(rfdn_context_create(model, &st, &ctx) == RFDN_OK, "context");
        if (budget_div > 1) {
            if (!budget) /* a fraction of what the whole image needs */
                budget = rfdn_context_memory_needed(ctx, w, h) / (size_t)budget_div;
            rfdn_context_free(ctx);
            st.memory_budget = budget;
            CHECK(rfdn_context_create(model, &st, &ctx) == RFDN_OK, "context");
            CHECK(rfdn_context_memory_needed(ctx, w, h) <= budget, "%d threads: tiles fit", t);
        }
        out[t - 1] = make_image(w * S_, h * S_, 3, RFDN_SAMPLE_U16, 0);
        CHECK(rfdn_upscale(ctx, &in, &out[t - 1]) == RFDN_OK, "%d threads", t);
        rfdn_context_free(ctx);
    }
    const size_t n = (size_t)out[0].stride * out[0].height;
    for (int t = 2; t <= max_threads; t++)
        CHECK(!memcmp(out[0].data, out[t - 1].data, n),
              "%dx%d: 1 and %d threads give different bytes", w, h, t);
    for (int t = 0; t < max_threads; t++)
        free(out[t].data);
    free(in.data);
}

static void test_threads(void)
{
    test_threads_at(70, 45, 1, 3);
    /* 103 rows: up to 5 stripes of the block's sweep (one per thread, at
     * least 16 rows), swept down and up in turn, so that stripes meet at
     * their first rows as well as at their last */
    test_threads_at(40, 103, 1, 5);
    test_threads_at(240, 200, 3, 2); /* tiles from a third of the memory needed */
}

/* rfdn.h: a caller with 1 MiB of free stack is enough (the calling thread
 * runs Winograd tiles, which live on the stack), with 1 and 2 threads. */
typedef struct stack_run {
    int threads;
    rfdn_status st;
} stack_run;

static void *small_stack_upscale(void *arg)
{
    stack_run *sr = arg;
    const int w = 48, h = 40;
    rfdn_image in = random_image(w, h, 3, RFDN_SAMPLE_U8, 99);
    rfdn_image out = make_image(w * S_, h * S_, 3, RFDN_SAMPLE_U8, 0);
    rfdn_settings st;
    rfdn_settings_default(&st);
    st.threads = sr->threads;
    rfdn_context *ctx;
    sr->st = rfdn_context_create(model, &st, &ctx);
    if (sr->st == RFDN_OK) {
        sr->st = rfdn_upscale(ctx, &in, &out);
        rfdn_context_free(ctx);
    }
    free(in.data);
    free(out.data);
    return NULL;
}

static void test_small_stack(void)
{
    for (int t = 1; t <= 2; t++) {
        stack_run sr = {t, RFDN_ERROR_INVALID_ARGUMENT};
        pthread_attr_t attr;
        pthread_t th;
        CHECK(!pthread_attr_init(&attr) && !pthread_attr_setstacksize(&attr, 1u << 20),
              "stack size attribute");
        CHECK(!pthread_create(&th, &attr, small_stack_upscale, &sr), "thread");
        pthread_join(th, NULL);
        pthread_attr_destroy(&attr);
        CHECK(sr.st == RFDN_OK, "%d thread(s) from a caller with a 1 MiB stack: %s", t,
              rfdn_status_string(sr.st));
    }
}

static void test_alloc_failures(void)
{
    rfdn_image in = make_image(12, 10, 4, RFDN_SAMPLE_U8, 0);
    rfdn_image out = make_image(12 * S_, 10 * S_, 4, RFDN_SAMPLE_U8, 0);
    memset(in.data, 77, (size_t)in.stride * 10);
    for (unsigned long i = 1; i < 100000; i++) { /* every allocation in turn */
        rfdn_test_fail_alloc_at(i);
        rfdn_context *ctx = NULL;
        rfdn_status s = rfdn_context_create(model, NULL, &ctx);
        if (s == RFDN_OK)
            s = rfdn_upscale(ctx, &in, &out);
        unsigned long made = rfdn_test_fail_alloc_at(0);
        if (made < i) { /* every allocation of a run was tried */
            CHECK(s == RFDN_OK, "run with no failing allocation: %d", s);
            CHECK(i > 20, "only %lu allocations were tried", i - 1);
            rfdn_context_free(ctx);
            break;
        }
        CHECK(s == RFDN_ERROR_NO_MEMORY, "allocation %lu failing: status %d", i, s);
        if (ctx)
            CHECK(strstr(rfdn_context_error(ctx), "out of memory"), "message %s",
                  rfdn_context_error(ctx));
        rfdn_context_free(ctx);
    }
    free(in.data);
    free(out.data);
}

/* The tile callback: rectangles cover the output exactly once, and each
 * rectangle's pixels are final when it is reported (a copy taken in the
 * callback equals the finished output).  Forced small tiles, 2 threads
 * (tiles side by side: the callback runs on several threads). */
typedef struct {
    pthread_mutex_t lock;
    const rfdn_image *out;
    uint8_t *snapshot; /* copied in the callback */
    int *cover;        /* per output pixel: times reported */
    int calls;
} tile_log;

static void on_tile(void *user, int x, int y, int w, int h)
{
    tile_log *t = user;
    pthread_mutex_lock(&t->lock);
    t->calls++;
    const int ow = t->out->width;
    for (int yy = y; yy < y + h; yy++) {
        memcpy(t->snapshot + (size_t)yy * t->out->stride + (size_t)x * 3,
               (const uint8_t *)t->out->data + (size_t)yy * t->out->stride + (size_t)x * 3,
               (size_t)w * 3);
        for (int xx = x; xx < x + w; xx++)
            t->cover[(size_t)yy * ow + xx]++;
    }
    pthread_mutex_unlock(&t->lock);
}

static void test_tile_callback(void)
{
    const int w = 100, h = 70;
    rfdn_settings st;
    rfdn_settings_default(&st);
    st.tile_size = 24;
    st.threads = 2;
    rfdn_context *ctx;
    CHECK(rfdn_context_create(model, &st, &ctx) == RFDN_OK, "context");
    rfdn_image in = random_image(w, h, 3, RFDN_SAMPLE_U8, 5);
    rfdn_image out = make_image(w * S_, h * S_, 3, RFDN_SAMPLE_U8, 0);
    tile_log t = {.out = &out};
    pthread_mutex_init(&t.lock, NULL);
    t.snapshot = calloc((size_t)out.stride * out.height, 1);
    t.cover = calloc((size_t)out.width * out.height, sizeof(int));
    rfdn_context_set_tile_callback(ctx, on_tile, &t);
    CHECK(rfdn_upscale(ctx, &in, &out) == RFDN_OK, "tiled run");
    int bad = 0;
    for (size_t i = 0; i < (size_t)out.width * out.height; i++)
        bad += t.cover[i] != 1;
    CHECK(t.calls > 4, "only %d tile callbacks for a tiled run", t.calls);
    CHECK(bad == 0, "%d output pixels reported other than exactly once", bad);
    CHECK(!memcmp(t.snapshot, out.data, (size_t)out.stride * out.height),
          "a reported tile changed after its callback");
    rfdn_context_set_tile_callback(ctx, NULL, NULL);
    const int before = t.calls;
    CHECK(rfdn_upscale(ctx, &in, &out) == RFDN_OK && t.calls == before,
          "callback cleared but still called");
    pthread_mutex_destroy(&t.lock);
    free(t.snapshot);
    free(t.cover);
    free(in.data);
    free(out.data);
    rfdn_context_free(ctx);
}

int main(int argc, char **argv)
{
    const bool cancel_only = argc == 3 && !strcmp(argv[2], "--cancel-only");
    if (argc != 2 && !cancel_only) {
        fprintf(stderr, "usage: test_api MODEL [--cancel-only]\n");
        return 2;
    }
    char err[512];
    if (rfdn_model_load(argv[1], &model, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    S_ = model->info.scale;
    if (!cancel_only) {
        test_formats(9, 7);
        test_formats(4, 19);
        test_errors();
        test_hidden_colour();
        test_tile_callback();
        test_small_stack();
    }
    test_progress_cancel();
    test_threads();
    if (!cancel_only)
        test_alloc_failures();
    rfdn_model_unref(model);
    if (test_failures)
        fprintf(stderr, "%d check(s) failed\n", test_failures);
    else
        printf("all API checks passed\n");
    return test_failures ? 1 : 0;
}
