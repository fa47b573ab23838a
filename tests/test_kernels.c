/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * checkasm-style kernel tests: every SIMD convolution kernel the machine can
 * run against the portable C kernel, on random data, awkward sizes (widths
 * 1, 7, 15, 16, 17, 33, 65, 100, 129, 130; heights 1 to 10; channel counts
 * not multiples of 8), both kernel sizes, every epilogue, row ranges that
 * begin and end inside Winograd tiles, and on AVX2 and AVX-512 each form of
 * 3x3 convolution (F(4x4, 3x3), F(2x2, 3x3), direct).  Also checks that nothing
 * is written outside the rows asked for or into the halo.
 */
#include <math.h>

#include "internal.h"
#include "testutil.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static float frand(float lo, float hi)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return lo + (hi - lo) * (float)(rng >> 40) / (float)(1ull << 24);
}

static const uint32_t SENTINEL = 0x7fc0dead; /* a NaN nobody computes */

static float sentinel(void)
{
    float f;
    memcpy(&f, &SENTINEL, 4);
    return f;
}

static bool is_sentinel(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u == SENTINEL;
}

static void one(const rfdn_kernels *kern, int k, int cin, int cout, int w, int h,
                rfdn_epilogue ep)
{
    rfdn_conv cv = {cout, cin, k, 1, k / 2, NULL, NULL};
    float *wt = malloc(sizeof(float) * (size_t)cout * cin * k * k), *b = malloc(4 * cout);
    for (int i = 0; i < cout * cin * k * k; i++)
        wt[i] = frand(-0.2f, 0.2f);
    for (int i = 0; i < cout; i++)
        b[i] = frand(-1, 1);
    cv.w = wt;
    cv.b = b;
    static const rfdn_kernels c_kern = {"c", 8, rfdn_conv_rows_c, 0, 0};
    rfdn_pconv pk, pc;
    CHECK(rfdn_pconv_init_full(&pk, &cv, kern) && rfdn_pconv_init(&pc, &cv, &c_kern), "pack");

    const size_t ni = rfdn_fmap_floats(cin, h, w), no = rfdn_fmap_floats(cout, h, w);
    float *ib = calloc(ni, 4), *ab = calloc(no, 4), *o1 = malloc(4 * no), *o2 = malloc(4 * no);
    rfdn_fmap in = rfdn_fmap_at(ib, cin, h, w), aux = rfdn_fmap_at(ab, cout, h, w);
    for (int c = 0; c < cin; c++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                in.p[(size_t)c * in.cs + (ptrdiff_t)y * in.rs + x] = frand(-4, 4);
    for (int c = 0; c < cout; c++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                aux.p[(size_t)c * aux.cs + (ptrdiff_t)y * aux.rs + x] = frand(-4, 4);
    for (size_t i = 0; i < no; i++)
        o1[i] = o2[i] = sentinel();
    rfdn_fmap a = rfdn_fmap_at(o1, cout, h, w), r = rfdn_fmap_at(o2, cout, h, w);

    /* rows [y0, y1) only */
    const int y0 = h > 6 ? 3 : h > 2 ? 1 : 0, y1 = h > 2 ? h - 1 : h;
    const bool need_aux = ep != RFDN_EP_NONE && ep != RFDN_EP_LRELU;
    kern->conv_rows(&pk, &in, &a, y0, y1, ep, need_aux ? &aux : NULL);
    rfdn_conv_rows_c(&pc, &in, &r, y0, y1, ep, need_aux ? &aux : NULL);

    double worst = 0;
    bool outside_ok = true;
    for (size_t i = 0; i < no; i++) {
        const ptrdiff_t off = (ptrdiff_t)i - (a.p - o1);
        const ptrdiff_t ch = off >= 0 ? off / (ptrdiff_t)a.cs : -1;
        const ptrdiff_t rem = off - ch * (ptrdiff_t)a.cs;
        const ptrdiff_t yy = rem >= 0 ? rem / a.rs : -1, xx = rem - yy * a.rs;
        const bool inside = off >= 0 && yy >= y0 && yy < y1 && xx >= 0 && xx < w;
        if (!inside) {
            outside_ok &= is_sentinel(o1[i]);
            continue;
        }
        const double d = fabs((double)o1[i] - o2[i]);
        worst = d > worst || isnan(d) ? (isnan(d) ? INFINITY : d) : worst;
    }
    /* Fused multiply-adds and Winograd's transforms round differently: allow
     * about eight float epsilons of the largest possible sum, cin k^2 |w| |x|
     * (0.2 and 4 here), plus the bias and the aux value. */
    const double tol = 1e-6 * (cin * k * k * 0.2 * 4 + 8);
    CHECK(worst <= tol, "%s k%d %d->%d %dx%d ep %d: max diff %g", kern->name, k, cin, cout, w,
          h, ep, worst);
    CHECK(outside_ok, "%s k%d %d->%d %dx%d ep %d: wrote outside its rows", kern->name, k, cin,
          cout, w, h, ep);
    rfdn_pconv_free(&pk);
    rfdn_pconv_free(&pc);
    free(wt);
    free(b);
    free(ib);
    free(ab);
    free(o1);
    free(o2);
}

int main(void)
{
    /* every level this machine supports: C, then AVX2 and AVX-512, each with
     * each of its forms of 3x3 convolution (RFDN_WINOGRAD) */
    const unsigned masks[] = {0, RFDN_CPU_AVX2, RFDN_CPU_AVX2 | RFDN_CPU_AVX512};
    const char *wino[] = {"4", "2", "0"};
    const char *seen[9] = {NULL};
    int nseen = 0;
    for (int mi = 0; mi < 9; mi++) {
        setenv("RFDN_WINOGRAD", wino[mi % 3], 1);
        const rfdn_kernels *kern = rfdn_kernels_select(masks[mi / 3]);
        bool dup = false;
        for (int i = 0; i < nseen; i++)
            dup |= seen[i] == kern->name;
        if (dup)
            continue;
        seen[nseen++] = kern->name;
        printf("testing %s kernels\n", kern->name);
        static const int widths[] = {1, 7, 15, 16, 17, 33, 65, 100, 129, 130};
        static const int chans[][2] = {{3, 50}, {50, 50}, {50, 25}, {100, 50}, {12, 12},
                                       {50, 12}, {12, 50}, {7, 5},  {1, 1},    {50, 48}};
        for (int k = 1; k <= 3; k += 2)
            for (size_t c = 0; c < sizeof chans / sizeof *chans; c++)
                for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++)
                    for (int ep = RFDN_EP_NONE; ep <= RFDN_EP_SIGMOID_MUL; ep++)
                        one(kern, k, chans[c][0], chans[c][1], widths[wi],
                            1 + (int)((wi + c) % 10), (rfdn_epilogue)ep);
    }
    if (test_failures)
        fprintf(stderr, "%d check(s) failed\n", test_failures);
    else
        printf("all kernel checks passed (%d kernel families)\n", nseen);
    return test_failures ? 1 : 0;
}
