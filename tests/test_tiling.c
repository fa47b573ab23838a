/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Seams: an image upscaled in tiles must match the same image upscaled whole.
 *
 *   test_tiling MODEL TILE MEMORY_MIB MAX_DIFF MIN_PSNR [WIDTH HEIGHT]
 *
 * Upscales a synthetic 8-bit RGBA image (texture, edges and a transparent
 * region) whole and in tiles (TILE pixels, or 0: as many as a MEMORY_MIB
 * budget asks for), with network then bicubic alpha, and
 * checks that no sample differs by more than MAX_DIFF levels and that the
 * PSNR between them is at least MIN_PSNR dB.  Also: the tile count shows in
 * the progress total (plus one run for RFDN's shared channel statistics),
 * the scratch memory estimate keeps to the budget, and neither the order of
 * the tiles nor the thread count (one thread: tiles one after the other; two:
 * side by side when there are enough) changes a byte.
 */
#include <math.h>

#include "internal.h"
#include "testutil.h"

static int progress_total(void *user, uint64_t done, uint64_t total)
{
    (void)done;
    *(uint64_t *)user = total;
    return 0;
}

static void make_input(uint8_t *p, int w, int h)
{
    uint32_t r = 12345;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *q = p + ((size_t)y * w + x) * 4;
            r = r * 1103515245u + 12345u;
            const int noise = (int)(r >> 27) - 16;
            const double v = 128 + 90 * sin(x * 0.21 + y * 0.05) * cos(y * 0.13 - x * 0.02);
            for (int c = 0; c < 3; c++) {
                int s = (int)v + noise + c * 20 + ((x / 17 + y / 13) % 2) * 40 - 20;
                q[c] = (uint8_t)(s < 0 ? 0 : s > 255 ? 255 : s);
            }
            const double d = hypot(x - w * 0.6, y - h * 0.4);
            q[3] = d < h * 0.3 ? 0 : d < h * 0.3 + 3 ? 128 : 255;
        }
}

static int run(rfdn_model *m, int tile, size_t budget, int threads, rfdn_alpha_mode alpha,
               const rfdn_image *in, const rfdn_image *out, uint64_t *total, size_t *mem)
{
    rfdn_settings st;
    rfdn_settings_default(&st);
    st.tile_size = tile;
    st.threads = threads;
    if (budget)
        st.memory_budget = budget;
    st.alpha = alpha;
    rfdn_context *ctx;
    if (rfdn_context_create(m, &st, &ctx) != RFDN_OK)
        return -1;
    rfdn_context_set_progress(ctx, progress_total, total);
    *mem = rfdn_context_memory_needed(ctx, in->width, in->height);
    rfdn_status s = rfdn_upscale(ctx, in, out);
    if (s != RFDN_OK)
        fprintf(stderr, "upscale: %s\n", rfdn_context_error(ctx));
    rfdn_context_free(ctx);
    return s == RFDN_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 8) {
        fprintf(stderr, "usage: test_tiling MODEL TILE MEMORY_MIB MAX_DIFF MIN_PSNR [W H]\n");
        return 2;
    }
    const int tile = atoi(argv[2]);
    const size_t budget = (size_t)atoi(argv[3]) << 20;
    const double max_diff = atof(argv[4]), min_psnr = atof(argv[5]);
    char err[512];
    rfdn_model *m;
    if (rfdn_model_load(argv[1], &m, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    rfdn_model_info info;
    rfdn_model_get_info(m, &info);
    /* by default not multiples of the tile or of 6 */
    const int w = argc == 8 ? atoi(argv[6]) : 171, h = argc == 8 ? atoi(argv[7]) : 113;
    const int s = info.scale;
    uint8_t *src = malloc((size_t)w * h * 4);
    uint8_t *a = malloc((size_t)w * h * 4 * s * s), *b = malloc((size_t)w * h * 4 * s * s);
    make_input(src, w, h);
    const rfdn_image in = {w, h, 4, RFDN_SAMPLE_U8, w * 4, src};
    const rfdn_image oa = {w * s, h * s, 4, RFDN_SAMPLE_U8, w * s * 4, a};
    const rfdn_image ob = {w * s, h * s, 4, RFDN_SAMPLE_U8, w * s * 4, b};

    for (int mode = 0; mode < 2; mode++) {
        const rfdn_alpha_mode am = mode ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
        uint64_t t_whole = 0, t_tiled = 0;
        size_t m_whole = 0, m_tiled = 0;
        CHECK(run(m, 0, 0, 0, am, &in, &oa, &t_whole, &m_whole) == 0, "whole run");
        CHECK(run(m, tile, budget, 2, am, &in, &ob, &t_tiled, &m_tiled) == 0, "tiled run");
        /* runs of the network: one per tile (+ 1 for RFDN's statistics) */
        const uint64_t runs = t_tiled / t_whole;
        const int tiles = (int)runs - (info.attention == RFDN_ATTENTION_CCA);
        CHECK(t_tiled % t_whole == 0 && tiles > 1, "progress total %llu, whole %llu",
              (unsigned long long)t_tiled, (unsigned long long)t_whole);
        if (tile)
            CHECK(tiles == ((w + tile - 1) / tile) * ((h + tile - 1) / tile), "%d tiles", tiles);
        if (!tile) /* a budget: the estimate keeps to it */
            CHECK(m_tiled <= budget && m_tiled < m_whole, "tiles need %zu bytes (budget %zu)",
                  m_tiled, budget);

        double se = 0, worst = 0;
        const size_t n = (size_t)w * h * 4 * s * s;
        for (size_t i = 0; i < n; i++) {
            const double d = fabs((double)a[i] - b[i]);
            se += d * d;
            worst = d > worst ? d : worst;
        }
        const double psnr = se ? 10 * log10(255.0 * 255.0 / (se / (double)n)) : INFINITY;
        /* the same tiles, last to first: the same bytes */
        uint64_t t_rev;
        size_t m_rev;
        rfdn_test_reverse_tiles(true);
        CHECK(run(m, tile, budget, 2, am, &in, &oa, &t_rev, &m_rev) == 0, "reversed run");
        rfdn_test_reverse_tiles(false);
        CHECK(!memcmp(oa.data, ob.data, n), "tile order changed the result");
        /* one thread: the same tiles one after the other */
        CHECK(run(m, tile, budget, 1, am, &in, &oa, &t_rev, &m_rev) == 0, "1-thread run");
        CHECK(!memcmp(oa.data, ob.data, n), "thread count changed the tiled result");
        printf("%s alpha, tile %d (%d tiles): max diff %.0f, PSNR %.2f dB\n",
               mode ? "bicubic" : "network", tile, tiles, worst, psnr);
        CHECK(worst <= max_diff, "max diff %.0f > %.0f", worst, max_diff);
        CHECK(psnr >= min_psnr, "PSNR %.2f < %.2f", psnr, min_psnr);
    }
    free(src);
    free(a);
    free(b);
    rfdn_model_unref(m);
    return test_failures ? 1 : 0;
}
