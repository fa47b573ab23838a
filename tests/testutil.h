/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tiny test helpers: checks that count failures, and fixture reading. */
#ifndef RFDN_TESTUTIL_H
#define RFDN_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures __attribute__((unused));

#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);         \
            fprintf(stderr, __VA_ARGS__);                                                    \
            fputc('\n', stderr);                                                             \
            test_failures++;                                                                 \
        }                                                                                    \
    } while (0)

/* Reads a whole file; NULL when it cannot. */
static inline uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* A golden fixture made by tools/reference.py: planar float input 3 x h x w
 * and the reference output 3 x (s*h) x (s*w) before clamping. */
typedef struct fixture {
    int w, h, scale;
    float *x, *y;
    uint8_t *raw;
} fixture;

static inline int fixture_read(const char *path, fixture *fx)
{
    size_t n;
    memset(fx, 0, sizeof *fx);
    fx->raw = read_file(path, &n);
    if (!fx->raw || n < 24 || memcmp(fx->raw, "RFDNFIX1", 8))
        return -1;
    int32_t hdr[4];
    memcpy(hdr, fx->raw + 8, 16);
    fx->w = hdr[0];
    fx->h = hdr[1];
    fx->scale = hdr[3];
    size_t nx = 3 * (size_t)fx->w * fx->h, ny = nx * fx->scale * fx->scale;
    if (hdr[2] != 3 || n != 24 + 4 * (nx + ny))
        return -1;
    fx->x = malloc(4 * nx);
    fx->y = malloc(4 * ny);
    memcpy(fx->x, fx->raw + 24, 4 * nx);
    memcpy(fx->y, fx->raw + 24 + 4 * nx, 4 * ny);
    return 0;
}

static inline void fixture_free(fixture *fx)
{
    free(fx->x);
    free(fx->y);
    free(fx->raw);
}

#endif
