/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Narrow, tall images run transposed (engine/src/transpose.c, issue 26):
 * which ones; tiled, their tiles reported in the image's own coordinates
 * and their pixels those of one tile; their memory that of the transposed
 * run.  Their pixels against the network run upright: test_api (every
 * format and channel count) and test parity (PyTorch; the 7x13 fixtures
 * run transposed).
 *
 *   test_transposed MODEL.safetensors
 */
#include <math.h>
#include <pthread.h>

#include "internal.h"
#include "testimage.h"
#include "testutil.h"

typedef struct cover_log {
    pthread_mutex_t lock;
    int w, h; /* the output's size */
    int *cover;
    int outside, calls;
} cover_log;

static void on_tile(void *user, int x, int y, int w, int h)
{
    cover_log *l = user;
    pthread_mutex_lock(&l->lock);
    l->calls++;
    if (x < 0 || y < 0 || x + w > l->w || y + h > l->h)
        l->outside++;
    else
        for (int yy = y; yy < y + h; yy++)
            for (int xx = x; xx < x + w; xx++)
                l->cover[(size_t)yy * l->w + xx]++;
    pthread_mutex_unlock(&l->lock);
}

/* A tall image, tiled: its tiles reported in its own coordinates, each
 * output pixel once; the same pixels as one tile, to E-RFDN's seams (below
 * one level) or RFDN's shared gains (measured on a reduction). */
static void check_tiles(rfdn_model *m, int threads)
{
    const int s = m->info.scale, w = 5, h = 61;
    rfdn_settings st;
    rfdn_settings_default(&st);
    st.tile_size = 16; /* several tiles */
    st.threads = threads;
    rfdn_context *ctx, *one;
    CHECK(rfdn_context_create(m, &st, &ctx) == RFDN_OK, "context");
    st.tile_size = 0;
    CHECK(rfdn_context_create(m, &st, &one) == RFDN_OK, "context");
    rfdn_image in = random_image(w, h, 3, RFDN_SAMPLE_F32, 26);
    rfdn_image out = make_image(w * s, h * s, 3, RFDN_SAMPLE_F32, 0);
    rfdn_image ref = make_image(w * s, h * s, 3, RFDN_SAMPLE_F32, 0);
    cover_log l = {.w = w * s, .h = h * s};
    pthread_mutex_init(&l.lock, NULL);
    l.cover = calloc((size_t)l.w * l.h, sizeof(int));
    rfdn_context_set_tile_callback(ctx, on_tile, &l);
    CHECK(rfdn_upscale(ctx, &in, &out) == RFDN_OK && rfdn_upscale(one, &in, &ref) == RFDN_OK,
          "runs: %s", rfdn_context_error(ctx));
    int bad = 0, calls = 0;
    for (size_t i = 0; i < (size_t)l.w * l.h; i++)
        bad += l.cover[i] != 1;
    calls = l.calls;
    CHECK(calls > 2 && l.outside == 0 && bad == 0,
          "%d tiles reported: %d outside the output, %d pixels not exactly once", calls,
          l.outside, bad);
    double worst = 0;
    for (int y = 0; y < h * s; y++)
        for (int x = 0; x < w * s; x++)
            for (int c = 0; c < 3; c++) {
                const double d = fabs((double)get(&out, x, y, c) - get(&ref, x, y, c));
                worst = d > worst || isnan(d) ? d : worst;
            }
    printf("%d x %d in %d tiles, %d thread(s): max |tiled - one tile| = %.2e\n", w, h, calls,
           threads, worst);
    CHECK(worst < (m->info.attention == RFDN_ATTENTION_ESA ? 1.0 : 8.0),
          "tiled and untiled differ by %g", worst);
    /* the memory a tall image needs is the transposed run's */
    CHECK(rfdn_context_memory_needed(ctx, 3, 5000) == rfdn_context_memory_needed(ctx, 5000, 3),
          "memory for 3 x 5000: %zu, for 5000 x 3: %zu", rfdn_context_memory_needed(ctx, 3, 5000),
          rfdn_context_memory_needed(ctx, 5000, 3));
    pthread_mutex_destroy(&l.lock);
    free(l.cover);
    free(in.data);
    free(out.data);
    free(ref.data);
    rfdn_context_free(ctx);
    rfdn_context_free(one);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_transposed MODEL\n");
        return 2;
    }
    char err[512];
    rfdn_model *m;
    if (rfdn_model_load(argv[1], &m, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    CHECK(rfdn_runs_transposed(5, 61) && !rfdn_runs_transposed(61, 5) &&
              !rfdn_runs_transposed(RFDN_TRANSPOSE_BELOW, 5000),
          "the rule: narrow and tall only");
    check_tiles(m, 1);
    check_tiles(m, 2);
    rfdn_model_unref(m);
    if (test_failures)
        fprintf(stderr, "%d check(s) failed\n", test_failures);
    return test_failures ? 1 : 0;
}
