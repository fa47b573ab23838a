/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pickle reader of PyTorch files (pickle.c): the values it builds and
 * the machine that runs one pickle.  It runs no code (see pickle.c). */
#ifndef RFDN_PICKLE_H
#define RFDN_PICKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Limits on what a pickle may build: stack depth, memo entries, tensor
 * dimensions. */
#define RFDN_PK_MAX_STACK 100000
#define RFDN_PK_MAX_MEMO 1000000
#define RFDN_PK_MAX_DIMS 8

typedef enum pk_type {
    PK_NONE,
    PK_BOOL,
    PK_INT,
    PK_FLOAT,
    PK_STR, /* unicode or bytes */
    PK_TUPLE,
    PK_LIST,
    PK_DICT, /* items: key, value, key, value ... */
    PK_GLOBAL,
    PK_STORAGE,
    PK_TENSOR,
    PK_OBJ,
    PK_MARK,
} pk_type;

typedef struct pk_val pk_val;
struct pk_val {
    pk_type t;
    int64_t i;
    const char *s; /* PK_STR, PK_GLOBAL ("module.name"), PK_STORAGE (key) */
    size_t slen;
    pk_val **items;
    size_t n, cap;
    /* PK_STORAGE */
    int dsize;     /* bytes per element; 0: unsupported type */
    const char *dtype; /* "F32", "F16", "BF16" */
    int64_t numel;
    const uint8_t *data; /* resolved after the pickle */
    /* PK_TENSOR */
    pk_val *storage;
    int64_t offset;
    int ndim;
    int64_t size[RFDN_PK_MAX_DIMS], stride[RFDN_PK_MAX_DIMS];
};

typedef struct pk_vm {
    rfdn_arena *a;
    const uint8_t *p, *end;
    pk_val **stack;
    size_t sp;
    pk_val **memo;
    size_t nmemo;      /* capacity */
    size_t memo_len;   /* highest index stored + 1 (what MEMOIZE appends at) */
    pk_val *storages; /* list of PK_STORAGE seen (linked through items[0]) */
    const char *why;
} pk_vm;

/* Runs one pickle from m->p; returns its value (m->p after the STOP), or
 * NULL with m->why set.  m->stack holds RFDN_PK_MAX_STACK entries. */
pk_val *rfdn_unpickle(pk_vm *m);

/* Whether n more bytes are left to read (m->why set if not). */
bool rfdn_pk_need(pk_vm *m, size_t n);

/* An n-byte little-endian unsigned number at p. */
uint64_t rfdn_pk_le(const uint8_t *p, int n);

/* Whether v is the string (or global name) s. */
bool rfdn_pk_str_is(const pk_val *v, const char *s);

#endif
