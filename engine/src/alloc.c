/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The engine's allocations and message formatting, a leaf every other
 * engine file calls (it calls none of them): every allocation goes through
 * here so that tests can make the i-th one fail (rfdn_test_fail_alloc_at).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"

void rfdn_format(char *buf, size_t size, const char *fmt, ...)
{
    if (!buf || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static atomic_ulong alloc_count, alloc_fail_at;

unsigned long rfdn_test_fail_alloc_at(unsigned long n)
{
    unsigned long made = atomic_exchange(&alloc_count, 0);
    atomic_store(&alloc_fail_at, n);
    return made;
}

static bool alloc_should_fail(void)
{
    unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
    return n == atomic_load(&alloc_fail_at);
}

void *rfdn_malloc(size_t size)
{
    return alloc_should_fail() ? NULL : malloc(size);
}

void *rfdn_calloc(size_t n, size_t size)
{
    return alloc_should_fail() ? NULL : calloc(n, size);
}

void *rfdn_aligned_alloc(size_t size)
{
    void *p = NULL;
    if (alloc_should_fail() || posix_memalign(&p, 64, size ? size : 64))
        return NULL;
    return p;
}

void rfdn_aligned_free(void *p)
{
    free(p);
}
