/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Thread stress (issue 26): several contexts sharing one model, each run
 * over and over on a thread of its own (each context with its own worker
 * pool), while another thread cancels them at seeded random moments.
 * Every run that finishes must equal a single-thread run of the same image
 * bit for bit; a cancelled one must say so; nothing may race (run under
 * ThreadSanitizer in the threads suite).
 *   test_stress MODEL.safetensors
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "rfdn.h"
#include "testutil.h"

enum { WORKERS = 3, ROUNDS = 8, W = 37, H = 29 };

typedef struct {
    rfdn_context *ctx;
    const uint8_t *in, *ref;
    int scale, done, cancelled, wrong;
    rfdn_status other;
} worker;

static atomic_int running;
/* the canceller's mean pause: a few runs' time, measured (so that some runs
 * finish and some are cancelled, whatever the machine or sanitizer) */
static long pause_us;

static void *work(void *p)
{
    worker *k = p;
    const size_t n = (size_t)W * k->scale * H * k->scale * 3;
    uint8_t *out = malloc(n);
    const rfdn_image i = {W, H, 3, RFDN_SAMPLE_U8, W * 3, (void *)k->in};
    const rfdn_image o = {W * k->scale, H * k->scale, 3, RFDN_SAMPLE_U8, W * k->scale * 3, out};
    for (int r = 0; r < ROUNDS; r++) {
        const rfdn_status st = rfdn_upscale(k->ctx, &i, &o);
        if (st == RFDN_OK) {
            k->done++;
            k->wrong += memcmp(out, k->ref, n) != 0;
        } else if (st == RFDN_CANCELLED) {
            k->cancelled++;
        } else {
            k->other = st;
        }
    }
    free(out);
    atomic_fetch_sub(&running, 1);
    return NULL;
}

/* Cancels a random context after a random pause while any worker runs. */
static void *canceller(void *p)
{
    rfdn_context **ctxs = p;
    unsigned seed = 2026;
    while (atomic_load(&running) > 0) {
        const long us = rand_r(&seed) % (2 * pause_us + 1);
        const struct timespec t = {us / 1000000, us % 1000000 * 1000};
        nanosleep(&t, NULL);
        rfdn_cancel(ctxs[rand_r(&seed) % WORKERS]);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_stress MODEL.safetensors\n");
        return 2;
    }
    rfdn_model *m;
    char err[256];
    if (rfdn_model_load(argv[1], &m, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    rfdn_model_info info;
    rfdn_model_get_info(m, &info);
    const int s = info.scale;
    const size_t n = (size_t)W * s * H * s * 3;
    uint8_t *in[WORKERS], *ref[WORKERS];
    worker k[WORKERS];
    rfdn_context *ctxs[WORKERS];
    rfdn_settings one;
    rfdn_settings_default(&one);
    one.threads = 1;
    rfdn_context *single;
    rfdn_context_create(m, &one, &single);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int w = 0; w < WORKERS; w++) {
        in[w] = malloc((size_t)W * H * 3);
        for (size_t i = 0; i < (size_t)W * H * 3; i++)
            in[w][i] = (uint8_t)((i * 31 + (size_t)w * 97) % 251);
        ref[w] = malloc(n);
        const rfdn_image i = {W, H, 3, RFDN_SAMPLE_U8, W * 3, in[w]};
        const rfdn_image o = {W * s, H * s, 3, RFDN_SAMPLE_U8, W * s * 3, ref[w]};
        CHECK(rfdn_upscale(single, &i, &o) == RFDN_OK, "single-thread reference %d", w);
        rfdn_settings set;
        rfdn_settings_default(&set);
        set.threads = 2;
        set.tile_size = 16 + 8 * w; /* several tiles, planned differently */
        CHECK(rfdn_context_create(m, &set, &ctxs[w]) == RFDN_OK, "context %d", w);
        k[w] = (worker){.ctx = ctxs[w], .in = in[w], .ref = ref[w], .scale = s};
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* one single-thread run's time, times two: a worker is cancelled in
     * about one run in six */
    pause_us = ((t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000) * 2 /
               WORKERS;
    rfdn_context_free(single);
    rfdn_model_unref(m); /* the contexts hold it */
    atomic_store(&running, WORKERS);
    pthread_t t[WORKERS], c;
    for (int w = 0; w < WORKERS; w++)
        pthread_create(&t[w], NULL, work, &k[w]);
    pthread_create(&c, NULL, canceller, ctxs);
    for (int w = 0; w < WORKERS; w++)
        pthread_join(t[w], NULL);
    pthread_join(c, NULL);
    int done = 0, cancelled = 0;
    for (int w = 0; w < WORKERS; w++) {
        CHECK(k[w].wrong == 0, "worker %d: %d of %d finished results differ from one thread's",
              w, k[w].wrong, k[w].done);
        CHECK(k[w].other == RFDN_OK, "worker %d: a run failed (%d)", w, k[w].other);
        CHECK(k[w].done + k[w].cancelled == ROUNDS, "worker %d: %d runs accounted for", w,
              k[w].done + k[w].cancelled);
        done += k[w].done;
        cancelled += k[w].cancelled;
        rfdn_context_free(ctxs[w]);
        free(in[w]);
        free(ref[w]);
    }
    printf("%d runs finished (all equal to one thread's), %d cancelled\n", done, cancelled);
    CHECK(done > 0, "no run finished: the stress checks nothing");
    return test_failures ? 1 : 0;
}
