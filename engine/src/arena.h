/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bump allocator with a hard cap (arena.c): every value the pickle
 * reader makes comes from one, freed at once. */
#ifndef RFDN_ARENA_H
#define RFDN_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Most bytes an arena holds, and the size of its chunks (larger requests
 * get a chunk of their own). */
#define RFDN_ARENA_CAP ((size_t)256 << 20)
#define RFDN_ARENA_CHUNK ((size_t)65536)

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
} chunk;

typedef struct rfdn_arena {
    chunk *head;
    size_t total;
    bool oom;
} rfdn_arena;

/* n zeroed bytes, aligned for any type; NULL (and a->oom set) when the cap
 * is reached or memory runs out. */
void *rfdn_arena_alloc(rfdn_arena *a, size_t n);
void rfdn_arena_free(rfdn_arena *a);

/* Whether a failed allocation was the cap's doing rather than the
 * system's. */
static inline bool rfdn_arena_at_cap(const rfdn_arena *a)
{
    return a->total + RFDN_ARENA_CHUNK > RFDN_ARENA_CAP;
}

#endif
