/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pickle reader's bump allocator: chunks of RFDN_ARENA_CHUNK bytes,
 * at most RFDN_ARENA_CAP in all, so that a hostile file cannot make the
 * reader take more. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"

void *rfdn_arena_alloc(rfdn_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!a->head || a->head->size - a->head->used < n) {
        size_t size = n > RFDN_ARENA_CHUNK ? n : RFDN_ARENA_CHUNK;
        if (a->total + size > RFDN_ARENA_CAP) {
            a->oom = true;
            return NULL;
        }
        chunk *c = rfdn_malloc(sizeof *c + size);
        if (!c) {
            a->oom = true;
            return NULL;
        }
        c->next = a->head;
        c->used = 0;
        c->size = size;
        a->head = c;
        a->total += size;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

void rfdn_arena_free(rfdn_arena *a)
{
    while (a->head) {
        chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

