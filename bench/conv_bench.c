/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One convolution layer alone: the selected kernels' conv_rows over a whole
 * map of random data, repeated, best time.  For telling compute from memory:
 * a map a few rows high stays in the caches, a tall one does not.
 *
 *   rfdn-conv-bench K CIN COUT WIDTH HEIGHT [REPS] [CPU_MASK]
 *   e.g. rfdn-conv-bench 3 50 50 256 16 200; rfdn-conv-bench 3 50 50 256 256 20
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: rfdn-conv-bench K CIN COUT WIDTH HEIGHT [REPS] [CPU_MASK]\n");
        return 2;
    }
    const int k = atoi(argv[1]), cin = atoi(argv[2]), cout = atoi(argv[3]);
    const int w = atoi(argv[4]), h = atoi(argv[5]), reps = argc > 6 ? atoi(argv[6]) : 20;
    const unsigned mask = argc > 7 ? (unsigned)strtoul(argv[7], NULL, 0) : ~0u;
    if ((k != 1 && k != 3) || cin < 1 || cout < 1 || cin > 1024 || cout > 1024 || w < 1 ||
        h < 1 || w > 16384 || h > 16384 || reps < 1) {
        fprintf(stderr, "rfdn-conv-bench: bad arguments\n");
        return 2;
    }
    const rfdn_kernels *kern = rfdn_kernels_select(mask);
    float *wt = malloc(sizeof(float) * (size_t)cout * cin * k * k);
    float *b = calloc((size_t)cout, sizeof(float));
    const size_t ni = rfdn_fmap_floats(cin, h, w), no = rfdn_fmap_floats(cout, h, w);
    float *ib = rfdn_aligned_alloc(ni * sizeof(float)), *ob = rfdn_aligned_alloc(no * sizeof(float));
    if (!wt || !b || !ib || !ob) {
        fprintf(stderr, "rfdn-conv-bench: out of memory\n");
        return 1;
    }
    unsigned r = 1;
    for (int i = 0; i < cout * cin * k * k; i++)
        wt[i] = (float)((int)((r = r * 1103515245u + 12345u) >> 24) - 128) / 4096.0f;
    for (size_t i = 0; i < ni; i++)
        ib[i] = (float)((r = r * 1103515245u + 12345u) >> 24) / 256.0f;
    rfdn_conv cv = {cout, cin, k, 1, k / 2, wt, b};
    rfdn_pconv pc;
    if (!rfdn_pconv_init_full(&pc, &cv, kern)) {
        fprintf(stderr, "rfdn-conv-bench: out of memory\n");
        return 1;
    }
    const rfdn_fmap in = rfdn_fmap_at(ib, cin, h, w), out = rfdn_fmap_at(ob, cout, h, w);
    kern->conv_rows(&pc, &in, &out, 0, h, RFDN_EP_NONE, NULL); /* warm-up */
    double best = 1e30;
    for (int i = 0; i < reps; i++) {
        const double t0 = now();
        kern->conv_rows(&pc, &in, &out, 0, h, RFDN_EP_NONE, NULL);
        const double t = now() - t0;
        best = t < best ? t : best;
    }
    const double macs = (double)cin * cout * k * k * w * h;
    printf("%s k%d %d -> %d, %d x %d: %.3f ms, %.1f effective GFLOP/s\n", kern->name, k, cin,
           cout, w, h, best * 1e3, 2 * macs / best * 1e-9);
    rfdn_pconv_free(&pc);
    rfdn_aligned_free(ib);
    rfdn_aligned_free(ob);
    free(wt);
    free(b);
    return 0;
}
