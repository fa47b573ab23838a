/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run-time choice of kernels: what the CPU has, what the OS saves on a
 * context switch (XGETBV), what the caller and RFDN_CPU_MASK allow. */
#include <stdlib.h>

#include "conv.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long xgetbv0(void)
{
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

unsigned rfdn_cpu_detect(void)
{
    unsigned a, b, c, d, flags = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    const bool osxsave = c & (1u << 27), avx = c & (1u << 28), fma = c & (1u << 12);
    if (!osxsave || !avx)
        return 0;
    const unsigned long long xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) /* XMM and YMM state */
        return 0;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    if ((b & (1u << 5)) && fma) /* AVX2 */
        flags |= RFDN_CPU_AVX2;
    /* AVX-512 F, DQ, BW, VL, and the OS saving opmask and ZMM state */
    const unsigned need = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
    if ((flags & RFDN_CPU_AVX2) && (b & need) == need && (xcr0 & 0xe0) == 0xe0)
        flags |= RFDN_CPU_AVX512;
    return flags;
}
#else
unsigned rfdn_cpu_detect(void)
{
    return 0;
}
#endif

const rfdn_kernels *rfdn_kernels_select(unsigned mask)
{
    static const rfdn_kernels c = {"c", 8, rfdn_conv_rows_c, 0, 0};
#ifdef RFDN_HAVE_X86_KERNELS
    /* AVX2: F(4x4, 3x3), or F(2x2, 3x3) or direct when asked (F(2x2) alone
     * measured slower than direct here: 804 vs 752 ms for E-RFDN x4 at 256 px
     * on one Zen 5 core) */
    static const rfdn_kernels avx2[3] = {
        {"avx2", RFDN_AVX2_NMAX, rfdn_conv_rows_avx2, 4, RFDN_AVX2_NMAXP},
        {"avx2-f2", RFDN_AVX2_NMAX, rfdn_conv_rows_avx2, 2, RFDN_AVX2_NMAXP},
        {"avx2-direct", RFDN_AVX2_NMAX, rfdn_conv_rows_avx2, 0, RFDN_AVX2_NMAXP},
    };
    /* AVX-512: F(4x4, 3x3), or F(2x2, 3x3) or direct when asked */
    static const rfdn_kernels avx512[3] = {
        {"avx512", RFDN_AVX512_NMAX, rfdn_conv_rows_avx512, 4, RFDN_AVX512_NMAXP},
        {"avx512-f2", RFDN_AVX512_NMAX, rfdn_conv_rows_avx512, 2, RFDN_AVX512_NMAXP},
        {"avx512-direct", RFDN_AVX512_NMAX, rfdn_conv_rows_avx512, 0, RFDN_AVX512_NMAXP},
    };
#endif
    const char *env = getenv("RFDN_CPU_MASK");
    if (env && *env)
        mask &= (unsigned)strtoul(env, NULL, 0);
    const unsigned have = rfdn_cpu_detect() & mask;
    (void)have;
#ifdef RFDN_HAVE_X86_KERNELS
    const char *wv = getenv("RFDN_WINOGRAD");
    const int wi = wv && *wv == '2' ? 1 : wv && *wv == '0' ? 2 : 0;
    if (have & RFDN_CPU_AVX512)
        return &avx512[wi];
    if (have & RFDN_CPU_AVX2)
        return &avx2[wi];
#endif
    return &c;
}
