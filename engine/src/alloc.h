/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's allocations and message formatting (alloc.c): every
 * allocation goes through these so that tests can make the i-th one fail. */
#ifndef RFDN_ALLOC_H
#define RFDN_ALLOC_H

#include <stddef.h>

/* Bounded string formatting into a caller buffer (NULL allowed). */
void rfdn_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void *rfdn_malloc(size_t size);
void *rfdn_calloc(size_t n, size_t size);
void *rfdn_aligned_alloc(size_t size); /* 64-byte aligned, freed by rfdn_aligned_free */
void rfdn_aligned_free(void *p);

/* Test hook, for the tests that link the static engine (rfdn_core): not
 * exported from librfdn.so.  Makes the n-th allocation from now fail (0 =
 * never); returns the number of allocations made since the last call. */
unsigned long rfdn_test_fail_alloc_at(unsigned long n);

#endif
