/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rfdn-fma-peak: the FP32 fused multiply-add throughput of one core, with
 * 256-bit (AVX2) and 512-bit (AVX-512) vectors, the ceiling the engine's
 * GFLOP/s are measured against.  24 (resp. 12) independent chains hide the
 * latency.  Built only for x86-64; run one copy per core to see all cores.
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx512f"))) static double zmm(long n)
{
    __m512 a[24], b = _mm512_set1_ps(1.0000001f), c = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < 24; i++)
        a[i] = _mm512_set1_ps((float)i);
    double t = now();
    for (long k = 0; k < n; k++)
#pragma GCC unroll 24
        for (int i = 0; i < 24; i++)
            a[i] = _mm512_fmadd_ps(a[i], b, c);
    t = now() - t;
    float s = 0;
    for (int i = 0; i < 24; i++)
        s += _mm512_reduce_add_ps(a[i]);
    if (s == 42.0f) /* keep the results alive */
        puts("");
    return 2.0 * 16 * 24 * n / t * 1e-9;
}

__attribute__((target("avx2,fma"))) static double ymm(long n)
{
    __m256 a[12], b = _mm256_set1_ps(1.0000001f), c = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++)
        a[i] = _mm256_set1_ps((float)i);
    double t = now();
    for (long k = 0; k < n; k++)
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++)
            a[i] = _mm256_fmadd_ps(a[i], b, c);
    t = now() - t;
    float s = 0, q[8];
    for (int i = 0; i < 12; i++) {
        _mm256_storeu_ps(q, a[i]);
        s += q[0];
    }
    if (s == 42.0f)
        puts("");
    return 2.0 * 8 * 12 * n / t * 1e-9;
}

int main(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        printf("AVX2 (256-bit) FMA:    %6.1f GFLOP/s per core\n", ymm(40000000));
    if (__builtin_cpu_supports("avx512f"))
        printf("AVX-512 (512-bit) FMA: %6.1f GFLOP/s per core\n", zmm(20000000));
    return 0;
}
