/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parity with the PyTorch reference: every golden fixture of tests/fixtures
 * (made by tools/reference.py fixtures) through the C network, and through
 * the public API with float pixels.  Tolerance: 1e-3 on the [0, 255] scale.
 *
 *   test_parity FIXTURE_DIR MODEL_STEM...
 */
#include <math.h>

#include "internal.h"
#include "testutil.h"

static const int sizes[][2] = {{1, 1}, {7, 13}, {15, 15}, {16, 17}, {64, 48}};

static double max_abs_diff(const float *a, const float *b, size_t n, size_t *where)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (!(d <= m)) { /* also catches NaN */
            m = isnan(d) ? INFINITY : d;
            *where = i;
        }
    }
    return m;
}

static void check_model(const char *dir, const char *stem)
{
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/%s.safetensors", dir, stem);
    rfdn_model *m = NULL;
    rfdn_status st = rfdn_model_load(path, &m, err, sizeof err);
    CHECK(st == RFDN_OK, "%s", err);
    if (!m)
        return;
    rfdn_context *ctx = NULL;
    CHECK(rfdn_context_create(m, NULL, &ctx) == RFDN_OK, "context");

    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        fixture fx;
        snprintf(path, sizeof path, "%s/%s_%dx%d.bin", dir, stem, sizes[k][0], sizes[k][1]);
        if (fixture_read(path, &fx)) {
            CHECK(0, "cannot read fixture %s", path);
            fixture_free(&fx);
            continue;
        }
        CHECK(fx.scale == m->info.scale, "%s: scale", path);
        const size_t nx = 3 * (size_t)fx.w * fx.h, ny = nx * fx.scale * fx.scale;

        /* 1. the network itself, unclamped */
        float *S = malloc(sizeof(float) * rfdn_net_scratch_floats(m, fx.w, fx.h));
        float *y = malloc(sizeof(float) * ny);
        st = rfdn_net_forward(m, S, fx.x, fx.w, fx.h, y, NULL);
        size_t at = 0;
        double d = max_abs_diff(y, fx.y, ny, &at);
        printf("%-10s %3dx%-3d max |C - PyTorch| = %.2e\n", stem, fx.w, fx.h, d);
        CHECK(st == RFDN_OK && d <= 1e-3, "%s: max abs diff %g at %zu (C %f, ref %f)", path,
              d, at, y[at], fx.y[at]);

        /* 2. the public API with float RGB pixels (clamped, range 0..1) */
        float *in = malloc(sizeof(float) * nx), *out = malloc(sizeof(float) * ny);
        const int ow = fx.w * fx.scale, oh = fx.h * fx.scale;
        for (int yy = 0; yy < fx.h; yy++)
            for (int xx = 0; xx < fx.w; xx++)
                for (int c = 0; c < 3; c++)
                    in[((size_t)yy * fx.w + xx) * 3 + c] =
                        fx.x[(size_t)c * fx.w * fx.h + (size_t)yy * fx.w + xx] / 255.0f;
        rfdn_image a = {fx.w, fx.h, 3, RFDN_SAMPLE_F32, (ptrdiff_t)fx.w * 12, in};
        rfdn_image b = {ow, oh, 3, RFDN_SAMPLE_F32, (ptrdiff_t)ow * 12, out};
        st = rfdn_upscale(ctx, &a, &b);
        CHECK(st == RFDN_OK, "rfdn_upscale: %s", rfdn_context_error(ctx));
        double worst = 0;
        for (int yy = 0; yy < oh; yy++)
            for (int xx = 0; xx < ow; xx++)
                for (int c = 0; c < 3; c++) {
                    float r = fx.y[(size_t)c * ow * oh + (size_t)yy * ow + xx];
                    r = r < 0 ? 0 : r > 255 ? 255 : r;
                    double e = fabs(out[((size_t)yy * ow + xx) * 3 + c] * 255.0 - r);
                    worst = e > worst ? e : worst;
                }
        printf("%-10s %3dx%-3d public API (%s kernels): max |engine - PyTorch| = %.2e\n", stem,
               fx.w, fx.h, rfdn_kernels_select(RFDN_CPU_ALL)->name, worst);
        CHECK(worst <= 1e-3, "%s: public API differs by %g", path, worst);
        free(in);
        free(out);
        free(S);
        free(y);
        fixture_free(&fx);
    }
    rfdn_context_free(ctx);
    rfdn_model_unref(m);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_parity FIXTURE_DIR MODEL_STEM...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++)
        check_model(argv[1], argv[i]);
    if (test_failures)
        fprintf(stderr, "%d check(s) failed\n", test_failures);
    return test_failures ? 1 : 0;
}
