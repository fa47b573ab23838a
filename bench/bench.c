/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rfdn-bench: times whole upscales through the public API.
 *
 *   rfdn-bench [--sizes 128,256,4x4096] [--threads 1,2] [--reps 7] [--cpu-mask N]
 *              [--memory MiB] MODEL...
 *
 * For every model, input size (N: square; WxH, as a narrow one against its
 * transpose; RGB 8-bit) and thread count: one
 * warm-up run, then the median of --reps runs, and the effective GFLOP/s
 * (2 x multiply-adds of the network / time).  Configurations are interleaved
 * (all of them once, then all again ...) so that a noisy neighbour hurts
 * them alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rfdn.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Multiply-adds per input pixel, from docs/MODELS.md. */
static double macs_per_pixel(const rfdn_model_info *i)
{
    const double nf = i->nf, dc = (int)(i->nf / 2), fc = (int)(i->nf / 4), s = i->scale;
    double block = 3 * nf * dc + 3 * nf * nf * 9 + nf * dc * 9 + 4 * dc * nf;
    if (i->attention == RFDN_ATTENTION_ESA)
        block += nf * fc + fc * fc + fc * nf + fc * fc * 9 / 4.0 + 3 * fc * fc * 9 / 36.0;
    return 3 * nf * 9 + i->blocks * block + i->blocks * nf * nf + nf * nf * 9 +
           nf * 3 * s * s * 9;
}

/* "128,4x4096": sizes, each N (square) or WxH */
static int parse_sizes(const char *s, int (*v)[2], int max)
{
    int n = 0;
    while (*s && n < max) {
        char *end;
        v[n][0] = (int)strtol(s, &end, 10);
        v[n][1] = *end == 'x' ? (int)strtol(end + 1, &end, 10) : v[n][0];
        if (v[n][0] < 1 || v[n][1] < 1)
            return 0;
        n++;
        s = strchr(s, ',');
        if (!s)
            break;
        s++;
    }
    return n;
}

static int parse_list(const char *s, int *v, int max)
{
    int n = 0;
    while (*s && n < max) {
        v[n++] = atoi(s);
        s = strchr(s, ',');
        if (!s)
            break;
        s++;
    }
    return n;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct cfg {
    const char *model_path;
    rfdn_model *model;
    rfdn_context *ctx;
    int w, h, threads;
    rfdn_image in, out;
    double *t;
} cfg;

int main(int argc, char **argv)
{
    int sizes[8][2] = {{128, 128}, {256, 256}}, nsizes = 2, threads[8] = {1, 2}, nthreads = 2, reps = 7;
    unsigned mask = RFDN_CPU_ALL;
    size_t memory_mib = 0; /* 0: the engine's default budget */
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--sizes") && i + 1 < argc)
            nsizes = parse_sizes(argv[++i], sizes, 8);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nthreads = parse_list(argv[++i], threads, 8);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--cpu-mask") && i + 1 < argc)
            mask = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--memory") && i + 1 < argc)
            memory_mib = (size_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: rfdn-bench [--sizes N,WxH] [--threads A,B] [--reps N] "
                            "[--cpu-mask N] [--memory MiB] MODEL...\n");
            return 2;
        }
    }
    if (i == argc || reps < 1) {
        fprintf(stderr, "rfdn-bench: no model given\n");
        return 2;
    }
    const int nmodels = argc - i, ncfg = nmodels * nsizes * nthreads;
    cfg *c = calloc((size_t)ncfg, sizeof *c);
    int k = 0;
    for (int mi = 0; mi < nmodels; mi++) {
        char err[512];
        rfdn_model *m;
        if (rfdn_model_load(argv[i + mi], &m, err, sizeof err) != RFDN_OK) {
            fprintf(stderr, "rfdn-bench: %s\n", err);
            return 1;
        }
        for (int si = 0; si < nsizes; si++)
            for (int ti = 0; ti < nthreads; ti++, k++) {
                rfdn_settings st;
                rfdn_settings_default(&st);
                st.threads = threads[ti];
                st.cpu_mask = mask;
                if (memory_mib)
                    st.memory_budget = memory_mib << 20;
                c[k].model_path = argv[i + mi];
                c[k].model = m;
                c[k].w = sizes[si][0];
                c[k].h = sizes[si][1];
                c[k].threads = threads[ti];
                if (rfdn_context_create(m, &st, &c[k].ctx) != RFDN_OK)
                    return 1;
                rfdn_model_info info;
                rfdn_model_get_info(m, &info);
                const int w = c[k].w, h = c[k].h, ow = w * info.scale, oh = h * info.scale;
                c[k].in = (rfdn_image){w, h, 3, RFDN_SAMPLE_U8, 3 * w, malloc((size_t)3 * w * h)};
                c[k].out = (rfdn_image){ow, oh, 3, RFDN_SAMPLE_U8, 3 * ow,
                                        malloc((size_t)3 * ow * oh)};
                unsigned r = 1;
                for (size_t p = 0; p < (size_t)3 * w * h; p++)
                    ((unsigned char *)c[k].in.data)[p] = (unsigned char)((r = r * 1103515245 + 12345) >> 24);
                c[k].t = calloc((size_t)reps, sizeof(double));
            }
        rfdn_model_unref(m); /* the contexts hold it */
    }
    for (k = 0; k < ncfg; k++) /* warm-up: memory faulted in, weights packed */
        if (rfdn_upscale(c[k].ctx, &c[k].in, &c[k].out) != RFDN_OK) {
            fprintf(stderr, "rfdn-bench: %s\n", rfdn_context_error(c[k].ctx));
            return 1;
        }
    for (int r = 0; r < reps; r++)
        for (k = 0; k < ncfg; k++) {
            double t0 = now();
            rfdn_upscale(c[k].ctx, &c[k].in, &c[k].out);
            c[k].t[r] = now() - t0;
        }
    printf("%-34s %11s %7s %10s %9s\n", "model", "size", "threads", "median ms", "GFLOP/s");
    for (k = 0; k < ncfg; k++) {
        qsort(c[k].t, (size_t)reps, sizeof(double), cmp_d);
        const double med = c[k].t[reps / 2];
        rfdn_model_info info;
        rfdn_model_get_info(rfdn_context_get_model(c[k].ctx), &info);
        const double flop = 2.0 * macs_per_pixel(&info) * c[k].w * c[k].h;
        const char *name = strrchr(c[k].model_path, '/');
        char size[32];
        snprintf(size, sizeof size, "%dx%d", c[k].w, c[k].h);
        printf("%-34s %11s %7d %10.1f %9.1f\n", name ? name + 1 : c[k].model_path, size,
               c[k].threads, med * 1e3, flop / med * 1e-9);
        rfdn_context_free(c[k].ctx);
        free(c[k].in.data);
        free(c[k].out.data);
        free(c[k].t);
    }
    free(c);
    return 0;
}
