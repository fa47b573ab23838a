/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PyTorch checkpoints (.pth) without Python: a state_dict saved by
 * torch.save, in the legacy format (a series of pickles followed by the raw
 * storages, like the authors' RFDN_AIM.pth) or the zip format (torch >= 1.6:
 * data.pkl plus one stored entry per storage).  It is turned into the
 * project's safetensors layout in memory, with the architecture inferred
 * from the tensors as tools/pth2safetensors.py does, and then goes through
 * exactly the validation of any model file.
 *
 * The pickle reader runs no code: it knows the opcodes torch.save emits and
 * the handful of callables that rebuild a state_dict (OrderedDict, the
 * tensor rebuild functions); anything else becomes an opaque object, and a
 * state_dict entry that is not a tensor is an error.  Every read is bounds
 * checked and all memory comes from one arena with a hard cap.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

#define ARENA_CAP ((size_t)256 << 20)
#define MAX_STACK 100000
#define MAX_MEMO 1000000
#define MAX_DIMS 8

/* ------------------------------------------------------------------------ */
/* Arena */

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
} chunk;

typedef struct {
    chunk *head;
    size_t total;
    bool oom;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!a->head || a->head->size - a->head->used < n) {
        size_t size = n > 65536 ? n : 65536;
        if (a->total + size > ARENA_CAP) {
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

static void arena_free(arena *a)
{
    while (a->head) {
        chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

/* ------------------------------------------------------------------------ */
/* Pickle values */

typedef enum {
    V_NONE,
    V_BOOL,
    V_INT,
    V_FLOAT,
    V_STR, /* unicode or bytes */
    V_TUPLE,
    V_LIST,
    V_DICT, /* items: key, value, key, value ... */
    V_GLOBAL,
    V_STORAGE,
    V_TENSOR,
    V_OBJ,
    V_MARK,
} vtype;

typedef struct val val;
struct val {
    vtype t;
    int64_t i;
    const char *s; /* V_STR, V_GLOBAL ("module.name"), V_STORAGE (key) */
    size_t slen;
    val **items;
    size_t n, cap;
    /* V_STORAGE */
    int dsize;     /* bytes per element; 0: unsupported type */
    const char *dtype; /* "F32", "F16", "BF16" */
    int64_t numel;
    const uint8_t *data; /* resolved after the pickle */
    /* V_TENSOR */
    val *storage;
    int64_t offset;
    int ndim;
    int64_t size[MAX_DIMS], stride[MAX_DIMS];
};

typedef struct {
    arena *a;
    const uint8_t *p, *end;
    val **stack;
    size_t sp;
    val **memo;
    size_t nmemo;      /* capacity */
    size_t memo_len;   /* highest index stored + 1 (what MEMOIZE appends at) */
    val *storages; /* list of V_STORAGE seen (linked through items[0]) */
    const char *why;
} vm;

static val *mk(vm *m, vtype t)
{
    val *v = arena_alloc(m->a, sizeof *v);
    if (v)
        v->t = t;
    return v;
}

static bool seq_push(vm *m, val *seq, val *x)
{
    if (seq->n == seq->cap) {
        size_t cap = seq->cap ? seq->cap * 2 : 8;
        val **items = arena_alloc(m->a, cap * sizeof *items);
        if (!items)
            return false;
        if (seq->n)
            memcpy(items, seq->items, seq->n * sizeof *items);
        seq->items = items;
        seq->cap = cap;
    }
    seq->items[seq->n++] = x;
    return true;
}

static bool push(vm *m, val *v)
{
    if (!v)
        return false;
    if (m->sp >= MAX_STACK) {
        m->why = "pickle stack too deep";
        return false;
    }
    m->stack[m->sp++] = v;
    return true;
}

static val *pop(vm *m)
{
    if (!m->sp || m->stack[m->sp - 1]->t == V_MARK) {
        m->why = "pickle stack underflow";
        return NULL;
    }
    return m->stack[--m->sp];
}

static val *top(vm *m)
{
    if (!m->sp || m->stack[m->sp - 1]->t == V_MARK) {
        m->why = "pickle stack underflow";
        return NULL;
    }
    return m->stack[m->sp - 1];
}

/* Index of the topmost mark, or -1. */
static long find_mark(vm *m)
{
    for (size_t i = m->sp; i-- > 0;)
        if (m->stack[i]->t == V_MARK)
            return (long)i;
    m->why = "pickle mark missing";
    return -1;
}

static bool need(vm *m, size_t n)
{
    if ((size_t)(m->end - m->p) < n) {
        m->why = "truncated pickle";
        return false;
    }
    return true;
}

static uint64_t rd_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static val *mk_str(vm *m, const uint8_t *s, size_t n)
{
    val *v = mk(m, V_STR);
    char *c = v ? arena_alloc(m->a, n + 1) : NULL;
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = 0;
    v->s = c;
    v->slen = n;
    return v;
}

static bool str_is(const val *v, const char *s)
{
    return v && (v->t == V_STR || v->t == V_GLOBAL) && !strcmp(v->s, s);
}

/* storage type -> dtype */
static void storage_type(val *st, const val *type)
{
    static const struct {
        const char *name, *dtype;
        int size;
    } map[] = {{"torch.FloatStorage", "F32", 4},
               {"torch.HalfStorage", "F16", 2},
               {"torch.BFloat16Storage", "BF16", 2}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (str_is(type, map[i].name)) {
            st->dtype = map[i].dtype;
            st->dsize = map[i].size;
        }
}

static bool int_of(const val *v, int64_t *out)
{
    if (!v || (v->t != V_INT && v->t != V_BOOL))
        return false;
    *out = v->i;
    return true;
}

/* callable(args) for the callables a state_dict needs. */
static val *reduce(vm *m, val *fn, val *args)
{
    if (args->t != V_TUPLE) {
        m->why = "REDUCE without an argument tuple";
        return NULL;
    }
    if (str_is(fn, "collections.OrderedDict") || str_is(fn, "builtins.dict"))
        return mk(m, V_DICT);
    if ((str_is(fn, "torch._utils._rebuild_tensor_v2") ||
         str_is(fn, "torch._utils._rebuild_tensor")) &&
        args->n >= 4) {
        val *st = args->items[0], *size = args->items[2], *stride = args->items[3];
        val *t = mk(m, V_TENSOR);
        if (!t)
            return NULL;
        if (st->t != V_STORAGE || !int_of(args->items[1], &t->offset) ||
            size->t != V_TUPLE || stride->t != V_TUPLE || size->n != stride->n ||
            size->n > MAX_DIMS) {
            m->why = "malformed tensor";
            return NULL;
        }
        t->storage = st;
        t->ndim = (int)size->n;
        for (int d = 0; d < t->ndim; d++)
            if (!int_of(size->items[d], &t->size[d]) ||
                !int_of(stride->items[d], &t->stride[d])) {
                m->why = "malformed tensor";
                return NULL;
            }
        return t;
    }
    if (str_is(fn, "torch._utils._rebuild_parameter") && args->n >= 1 &&
        args->items[0]->t == V_TENSOR)
        return args->items[0];
    return mk(m, V_OBJ);
}

static val *persistent_load(vm *m, val *pid)
{
    /* ('storage', type, key, location, numel[, view_metadata]) */
    if (pid->t != V_TUPLE || pid->n < 5 || !str_is(pid->items[0], "storage") ||
        pid->items[2]->t != V_STR) {
        m->why = "unknown persistent id";
        return NULL;
    }
    /* one V_STORAGE per key */
    for (val *s = m->storages; s; s = s->storage)
        if (!strcmp(s->s, pid->items[2]->s))
            return s;
    val *st = mk(m, V_STORAGE);
    if (!st)
        return NULL;
    st->s = pid->items[2]->s;
    storage_type(st, pid->items[1]);
    if (!int_of(pid->items[4], &st->numel) || st->numel < 0) {
        m->why = "malformed storage";
        return NULL;
    }
    st->storage = m->storages;
    m->storages = st;
    return st;
}

static bool memo_put(vm *m, uint64_t idx)
{
    val *v = top(m);
    if (!v)
        return false;
    if (idx >= MAX_MEMO) {
        m->why = "pickle memo index too large";
        return false;
    }
    if (idx >= m->nmemo) {
        size_t n = m->nmemo ? m->nmemo : 64;
        while (n <= idx)
            n *= 2;
        val **memo = arena_alloc(m->a, n * sizeof *memo);
        if (!memo)
            return false;
        if (m->nmemo)
            memcpy(memo, m->memo, m->nmemo * sizeof *memo);
        m->memo = memo;
        m->nmemo = n;
    }
    m->memo[idx] = v;
    if (idx + 1 > m->memo_len)
        m->memo_len = idx + 1;
    return true;
}

static bool memo_get(vm *m, uint64_t idx)
{
    if (idx >= m->nmemo || !m->memo[idx]) {
        m->why = "pickle memo entry missing";
        return false;
    }
    return push(m, m->memo[idx]);
}

/* Pops everything above the topmost mark into a new sequence of type t. */
static val *collect(vm *m, vtype t)
{
    long k = find_mark(m);
    if (k < 0)
        return NULL;
    val *v = mk(m, t);
    if (!v)
        return NULL;
    for (size_t i = (size_t)k + 1; i < m->sp; i++)
        if (!seq_push(m, v, m->stack[i]))
            return NULL;
    m->sp = (size_t)k;
    return v;
}

/* Runs one pickle from m->p; returns its value (m->p after the STOP). */
static val *unpickle(vm *m)
{
    m->sp = 0;
    m->nmemo = 0;
    m->memo_len = 0;
    m->memo = NULL;
    static val mark = {.t = V_MARK};
    for (;;) {
        if (!need(m, 1))
            return NULL;
        const uint8_t op = *m->p++;
        val *v, *w, *x;
        uint64_t n;
        switch (op) {
        case 0x80: /* PROTO */
            if (!need(m, 1))
                return NULL;
            m->p++;
            break;
        case 0x95: /* FRAME */
            if (!need(m, 8))
                return NULL;
            m->p += 8;
            break;
        case '.': /* STOP */
            return pop(m);
        case '(':
            if (!push(m, &mark))
                return NULL;
            break;
        case '}':
            if (!push(m, mk(m, V_DICT)))
                return NULL;
            break;
        case ']':
            if (!push(m, mk(m, V_LIST)))
                return NULL;
            break;
        case ')':
            if (!push(m, mk(m, V_TUPLE)))
                return NULL;
            break;
        case 'N':
            if (!push(m, mk(m, V_NONE)))
                return NULL;
            break;
        case 0x88:
        case 0x89:
            if (!(v = mk(m, V_BOOL)))
                return NULL;
            v->i = op == 0x88;
            if (!push(m, v))
                return NULL;
            break;
        case 'J':
        case 'K':
        case 'M': {
            const int len = op == 'J' ? 4 : op == 'K' ? 1 : 2;
            if (!need(m, len) || !(v = mk(m, V_INT)))
                return NULL;
            n = rd_le(m->p, len);
            v->i = op == 'J' ? (int32_t)(uint32_t)n : (int64_t)n;
            m->p += len;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 0x8a:   /* LONG1 */
        case 0x8b: { /* LONG4 */
            const int lenlen = op == 0x8a ? 1 : 4;
            if (!need(m, lenlen))
                return NULL;
            n = rd_le(m->p, lenlen);
            m->p += lenlen;
            if (!need(m, n) || !(v = mk(m, V_INT)))
                return NULL;
            /* little-endian two's complement; only values that fit 64 bits
             * are kept exactly (torch's magic number does not, nor matter) */
            uint64_t u = n ? rd_le(m->p, n > 8 ? 8 : (int)n) : 0;
            if (n && n < 8 && (m->p[n - 1] & 0x80))
                u |= ~(uint64_t)0 << (8 * n);
            v->i = (int64_t)u;
            m->p += n;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 'G': /* BINFLOAT */
            if (!need(m, 8) || !(v = mk(m, V_FLOAT)))
                return NULL;
            m->p += 8;
            if (!push(m, v))
                return NULL;
            break;
        case 'X':    /* BINUNICODE */
        case 'T':    /* BINSTRING */
        case 'B':    /* BINBYTES */
        case 'U':    /* SHORT_BINSTRING */
        case 'C':    /* SHORT_BINBYTES */
        case 0x8c: { /* SHORT_BINUNICODE */
            const int lenlen = op == 'X' || op == 'T' || op == 'B' ? 4 : 1;
            if (!need(m, lenlen))
                return NULL;
            n = rd_le(m->p, lenlen);
            m->p += lenlen;
            if (!need(m, n) || !push(m, mk_str(m, m->p, n)))
                return NULL;
            m->p += n;
            break;
        }
        case 'c': { /* GLOBAL "module\nname\n" */
            const uint8_t *a = memchr(m->p, '\n', (size_t)(m->end - m->p));
            const uint8_t *b = a ? memchr(a + 1, '\n', (size_t)(m->end - a - 1)) : NULL;
            if (!b) {
                m->why = "truncated pickle";
                return NULL;
            }
            if (!(v = mk_str(m, m->p, (size_t)(b - m->p))))
                return NULL;
            ((char *)v->s)[a - m->p] = '.';
            v->t = V_GLOBAL;
            m->p = b + 1;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 0x93: { /* STACK_GLOBAL */
            if (!(w = pop(m)) || !(v = pop(m)))
                return NULL;
            if (v->t != V_STR || w->t != V_STR) {
                m->why = "malformed STACK_GLOBAL";
                return NULL;
            }
            x = mk(m, V_GLOBAL);
            char *s = x ? arena_alloc(m->a, v->slen + w->slen + 2) : NULL;
            if (!s)
                return NULL;
            snprintf(s, v->slen + w->slen + 2, "%s.%s", v->s, w->s);
            x->s = s;
            if (!push(m, x))
                return NULL;
            break;
        }
        case 'q':
        case 'r':
            if (!need(m, op == 'q' ? 1 : 4))
                return NULL;
            n = rd_le(m->p, op == 'q' ? 1 : 4);
            m->p += op == 'q' ? 1 : 4;
            if (!memo_put(m, n))
                return NULL;
            break;
        case 0x94: /* MEMOIZE */
            if (!memo_put(m, m->memo_len))
                return NULL;
            break;
        case 'h':
        case 'j':
            if (!need(m, op == 'h' ? 1 : 4))
                return NULL;
            n = rd_le(m->p, op == 'h' ? 1 : 4);
            m->p += op == 'h' ? 1 : 4;
            if (!memo_get(m, n))
                return NULL;
            break;
        case 't':
            if (!push(m, collect(m, V_TUPLE)))
                return NULL;
            break;
        case 0x85:
        case 0x86:
        case 0x87: {
            const int k = op - 0x84;
            if (m->sp < (size_t)k) {
                m->why = "pickle stack underflow";
                return NULL;
            }
            if (!(v = mk(m, V_TUPLE)))
                return NULL;
            for (int i = k; i > 0; i--) {
                if (m->stack[m->sp - i]->t == V_MARK) {
                    m->why = "pickle stack underflow";
                    return NULL;
                }
                if (!seq_push(m, v, m->stack[m->sp - i]))
                    return NULL;
            }
            m->sp -= k;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 'Q': /* BINPERSID */
            if (!(v = pop(m)) || !push(m, persistent_load(m, v)))
                return NULL;
            break;
        case 'R': /* REDUCE */
            if (!(w = pop(m)) || !(v = pop(m)) || !push(m, reduce(m, v, w)))
                return NULL;
            break;
        case 0x81: /* NEWOBJ */
            if (!(w = pop(m)) || !(v = pop(m)) || !push(m, mk(m, V_OBJ)))
                return NULL;
            break;
        case 'b': /* BUILD: the state is not needed */
            if (!pop(m) || !top(m))
                return NULL;
            break;
        case 'a': /* APPEND */
            if (!(w = pop(m)) || !(v = top(m)))
                return NULL;
            if (v->t == V_LIST && !seq_push(m, v, w))
                return NULL;
            break;
        case 'e': { /* APPENDS */
            long k = find_mark(m);
            if (k < 1)
                return NULL;
            v = m->stack[k - 1];
            for (size_t i = (size_t)k + 1; v->t == V_LIST && i < m->sp; i++)
                if (!seq_push(m, v, m->stack[i]))
                    return NULL;
            m->sp = (size_t)k;
            break;
        }
        case 's': /* SETITEM */
            if (!(x = pop(m)) || !(w = pop(m)) || !(v = top(m)))
                return NULL;
            if (v->t == V_DICT && (!seq_push(m, v, w) || !seq_push(m, v, x)))
                return NULL;
            break;
        case 'u': { /* SETITEMS */
            long k = find_mark(m);
            if (k < 1 || (m->sp - (size_t)k - 1) % 2) {
                m->why = "malformed SETITEMS";
                return NULL;
            }
            v = m->stack[k - 1];
            for (size_t i = (size_t)k + 1; v->t == V_DICT && i < m->sp; i++)
                if (!seq_push(m, v, m->stack[i]))
                    return NULL;
            m->sp = (size_t)k;
            break;
        }
        default:
            m->why = "unsupported pickle opcode";
            return NULL;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Containers */

/* The legacy format: magic, protocol, sys_info, the object, the storage
 * keys, then each storage as (int64 count, data), in key order. */
static val *load_legacy(vm *m, const char **why)
{
    val *magic = unpickle(m);
    /* 0x1950a86a20f9469cfc6c, of which LONG1 keeps the low 64 bits */
    if (!magic || magic->t != V_INT || (uint64_t)magic->i != 0xa86a20f9469cfc6cULL) {
        *why = m->why ? m->why : "not a PyTorch file (bad magic number)";
        return NULL;
    }
    val *proto = unpickle(m);
    if (!proto || proto->t != V_INT || proto->i != 1001) {
        *why = m->why ? m->why : "unsupported PyTorch file version";
        return NULL;
    }
    if (!unpickle(m)) { /* sys_info */
        *why = m->why;
        return NULL;
    }
    val *obj = unpickle(m);
    val *keys = obj ? unpickle(m) : NULL;
    if (!keys || keys->t != V_LIST) {
        *why = m->why ? m->why : "malformed storage key list";
        return NULL;
    }
    for (size_t i = 0; i < keys->n; i++) {
        val *k = keys->items[i], *s = m->storages;
        if (k->t != V_STR) {
            *why = "malformed storage key list";
            return NULL;
        }
        while (s && strcmp(s->s, k->s))
            s = s->storage;
        if (!need(m, 8)) {
            *why = "truncated storage data";
            return NULL;
        }
        const uint64_t count = rd_le(m->p, 8);
        m->p += 8;
        const uint64_t esize = s && s->dsize ? (uint64_t)s->dsize : 0;
        if (!s || !esize || count > (uint64_t)(m->end - m->p) / esize) {
            *why = !s ? "storage data for an unknown key"
                      : !esize ? "storage of an unsupported type (float32, float16, "
                                 "bfloat16 are)"
                               : "truncated storage data";
            return NULL;
        }
        s->data = m->p;
        s->numel = (int64_t)count;
        m->p += count * esize;
    }
    for (val *s = m->storages; s; s = s->storage)
        if (!s->data) {
            *why = "a storage has no data";
            return NULL;
        }
    return obj;
}

/* A stored (uncompressed) zip entry whose name ends with `suffix` (after the
 * archive's top folder). */
static const uint8_t *zip_find(const uint8_t *buf, size_t size, const char *suffix,
                               uint64_t *len, const char **why)
{
    if (size < 22)
        return NULL;
    size_t eocd = size - 22;
    const size_t stop = size > 22 + 65535 ? size - 22 - 65535 : 0;
    while (memcmp(buf + eocd, "PK\5\6", 4)) {
        if (eocd == stop) {
            *why = "zip directory not found (truncated?)";
            return NULL;
        }
        eocd--;
    }
    const uint64_t count = rd_le(buf + eocd + 10, 2), cd_off = rd_le(buf + eocd + 16, 4);
    uint64_t p = cd_off;
    const size_t sl = strlen(suffix);
    for (uint64_t i = 0; i < count; i++) {
        if (p + 46 > size || memcmp(buf + p, "PK\1\2", 4)) {
            *why = "corrupt zip directory";
            return NULL;
        }
        const uint64_t method = rd_le(buf + p + 10, 2), csize = rd_le(buf + p + 20, 4),
                       usize = rd_le(buf + p + 24, 4), nlen = rd_le(buf + p + 28, 2),
                       elen = rd_le(buf + p + 30, 2), clen = rd_le(buf + p + 32, 2),
                       loff = rd_le(buf + p + 42, 4);
        if (p + 46 + nlen > size) {
            *why = "corrupt zip directory";
            return NULL;
        }
        const char *name = (const char *)buf + p + 46;
        const char *slash = memchr(name, '/', nlen);
        if (slash && (size_t)(name + nlen - slash - 1) == sl && !memcmp(slash + 1, suffix, sl)) {
            if (method != 0 || csize != usize) {
                *why = "compressed zip entry (torch.save stores them uncompressed)";
                return NULL;
            }
            if (loff + 30 > size || memcmp(buf + loff, "PK\3\4", 4)) {
                *why = "corrupt zip entry";
                return NULL;
            }
            const uint64_t data = loff + 30 + rd_le(buf + loff + 26, 2) + rd_le(buf + loff + 28, 2);
            if (data > size || usize > size - data) {
                *why = "truncated zip entry";
                return NULL;
            }
            *len = usize;
            return buf + data;
        }
        p += 46 + nlen + elen + clen;
    }
    return NULL;
}

static val *load_zip(vm *m, const uint8_t *buf, size_t size, const char **why)
{
    uint64_t len;
    const uint8_t *pkl = zip_find(buf, size, "data.pkl", &len, why);
    if (!pkl) {
        if (!*why)
            *why = "no data.pkl in the zip file";
        return NULL;
    }
    m->p = pkl;
    m->end = pkl + len;
    val *obj = unpickle(m);
    if (!obj) {
        *why = m->why;
        return NULL;
    }
    for (val *s = m->storages; s; s = s->storage) {
        char name[300];
        snprintf(name, sizeof name, "data/%s", s->s);
        const uint8_t *d = zip_find(buf, size, name, &len, why);
        if (!d) {
            if (!*why)
                *why = "a storage's data is missing from the zip file";
            return NULL;
        }
        if (!s->dsize) {
            *why = "storage of an unsupported type (float32, float16, bfloat16 are)";
            return NULL;
        }
        if (len / s->dsize < (uint64_t)s->numel) {
            *why = "truncated storage data";
            return NULL;
        }
        s->data = d;
    }
    return obj;
}

/* ------------------------------------------------------------------------ */
/* state_dict -> safetensors */

static val *dict_get(val *d, const char *key)
{
    for (size_t i = 0; d && d->t == V_DICT && i + 1 < d->n; i += 2)
        if (str_is(d->items[i], key))
            return d->items[i + 1];
    return NULL;
}

static val *state_dict(val *obj)
{
    static const char *wrappers[] = {"state_dict", "model", "params", "params_ema", "net"};
    for (int depth = 0; depth < 4 && obj && obj->t == V_DICT; depth++) {
        val *inner = NULL;
        for (size_t k = 0; !inner && k < sizeof wrappers / sizeof *wrappers; k++) {
            val *v = dict_get(obj, wrappers[k]);
            if (v && v->t == V_DICT)
                inner = v;
        }
        if (!inner)
            break;
        obj = inner;
    }
    return obj && obj->t == V_DICT && obj->n ? obj : NULL;
}

static const char *key_name(const val *k)
{
    return strncmp(k->s, "module.", 7) ? k->s : k->s + 7;
}

__attribute__((format(printf, 3, 4))) static rfdn_status pfail(char *err, size_t n,
                                                               const char *fmt, ...)
{
    if (err && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, n, fmt, ap);
        va_end(ap);
    }
    return RFDN_ERROR_BAD_MODEL;
}

rfdn_status rfdn_pth_to_safetensors(const uint8_t *buf, size_t size, uint8_t **out,
                                    size_t *out_size, char *err, size_t errn)
{
    *out = NULL;
    *out_size = 0;
    arena a = {0};
    vm m = {.a = &a, .p = buf, .end = buf + size};
    const char *why = NULL;
    rfdn_status st = RFDN_ERROR_BAD_MODEL;
    json_object *root = NULL;
    m.stack = rfdn_malloc(MAX_STACK * sizeof *m.stack);
    if (!m.stack) {
        st = RFDN_ERROR_NO_MEMORY;
        goto done;
    }
    val *obj = size >= 4 && !memcmp(buf, "PK\3\4", 4) ? load_zip(&m, buf, size, &why)
                                                      : load_legacy(&m, &why);
    if (a.oom) {
        st = a.total + 65536 > ARENA_CAP ? pfail(err, errn, "the pickle is too large")
                                         : RFDN_ERROR_NO_MEMORY;
        goto done;
    }
    if (!obj) {
        st = pfail(err, errn, "PyTorch file: %s", why ? why : "cannot read it");
        goto done;
    }
    val *sd = state_dict(obj);
    if (!sd) {
        st = pfail(err, errn, "PyTorch file: no state_dict in it");
        goto done;
    }
    /* infer the architecture as tools/pth2safetensors.py does */
    val *fea = NULL, *up = NULL;
    int blocks = 0;
    bool esa = false;
    for (size_t i = 0; i < sd->n; i += 2) {
        val *k = sd->items[i], *t = sd->items[i + 1];
        if (k->t != V_STR) {
            st = pfail(err, errn, "PyTorch file: a state_dict key is not a string");
            goto done;
        }
        if (t->t != V_TENSOR) {
            st = pfail(err, errn, "PyTorch file: entry \"%s\" is not a tensor", k->s);
            goto done;
        }
        const char *name = key_name(k);
        if (!strcmp(name, "fea_conv.weight"))
            fea = t;
        if (!strcmp(name, "upsampler.0.weight"))
            up = t;
        int b;
        if (sscanf(name, "B%d.", &b) == 1 && b > blocks && b < 1000)
            blocks = b;
        if (strstr(name, ".esa."))
            esa = true;
    }
    if (!fea || !up || fea->ndim != 4 || up->ndim != 4) {
        st = pfail(err, errn, "PyTorch file: not an RFDN state_dict (no fea_conv / upsampler.0)");
        goto done;
    }
    const int64_t ups = up->size[0] / 3;
    int scale = 0;
    for (int s = 1; s <= 8; s++)
        if (s * s == ups && up->size[0] == 3 * ups)
            scale = s;
    root = json_object_new_object();
    json_object *meta = json_object_new_object();
    if (!root || !meta) {
        json_object_put(meta);
        st = RFDN_ERROR_NO_MEMORY;
        goto done;
    }
    json_object_object_add(root, "__metadata__", meta);
    char num[32];
#define META(k, v) json_object_object_add(meta, k, json_object_new_string(v))
    META("format", "rfdn-upscaler");
    META("format_version", "1");
    META("architecture", esa ? "e-rfdn" : "rfdn");
    snprintf(num, sizeof num, "%d", scale);
    META("scale", num);
    snprintf(num, sizeof num, "%lld", (long long)fea->size[0]);
    META("nf", num);
    snprintf(num, sizeof num, "%d", blocks);
    META("blocks", num);
    META("attention", esa ? "esa" : "cca");
    META("block_residual", esa ? "false" : "true");
    META("input_range", "255");
    META("converted_from", "PyTorch state_dict (.pth)");
#undef META
    /* tensors: contiguous views of their storage */
    uint64_t total = 0;
    for (size_t i = 0; i < sd->n; i += 2) {
        val *t = sd->items[i + 1];
        const char *name = key_name(sd->items[i]);
        int64_t numel = 1, expect = 1;
        bool ok = t->offset >= 0;
        for (int d = t->ndim - 1; ok && d >= 0; d--) {
            ok = t->size[d] >= 0 && t->size[d] <= (1 << 24) &&
                 (t->size[d] <= 1 || t->stride[d] == expect);
            numel *= t->size[d];
            expect *= t->size[d];
            ok = ok && numel <= ((int64_t)1 << 30);
        }
        if (!ok || t->offset > t->storage->numel || numel > t->storage->numel - t->offset) {
            st = pfail(err, errn, "PyTorch file: tensor \"%s\" is not a contiguous view of its "
                                  "storage",
                       name);
            goto done;
        }
        json_object *jt = json_object_new_object(), *shape = json_object_new_array(),
                    *offs = json_object_new_array();
        if (!jt || !shape || !offs) {
            json_object_put(jt);
            json_object_put(shape);
            json_object_put(offs);
            st = RFDN_ERROR_NO_MEMORY;
            goto done;
        }
        for (int d = 0; d < t->ndim; d++)
            json_object_array_add(shape, json_object_new_int64(t->size[d]));
        const uint64_t bytes = (uint64_t)numel * t->storage->dsize;
        json_object_array_add(offs, json_object_new_int64((int64_t)total));
        json_object_array_add(offs, json_object_new_int64((int64_t)(total + bytes)));
        json_object_object_add(jt, "dtype", json_object_new_string(t->storage->dtype));
        json_object_object_add(jt, "shape", shape);
        json_object_object_add(jt, "data_offsets", offs);
        if (json_object_object_get_ex(root, name, NULL)) {
            json_object_put(jt);
            st = pfail(err, errn, "PyTorch file: tensor \"%s\" appears twice", name);
            goto done;
        }
        json_object_object_add(root, name, jt);
        total += bytes;
    }
    size_t hlen;
    const char *hdr = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN, &hlen);
    uint8_t *o = hdr ? rfdn_malloc(8 + hlen + total) : NULL;
    if (!o) {
        st = RFDN_ERROR_NO_MEMORY;
        goto done;
    }
    for (int i = 0; i < 8; i++)
        o[i] = (uint8_t)((uint64_t)hlen >> (8 * i));
    memcpy(o + 8, hdr, hlen);
    uint8_t *d = o + 8 + hlen;
    for (size_t i = 0; i < sd->n; i += 2) {
        val *t = sd->items[i + 1];
        int64_t numel = 1;
        for (int k = 0; k < t->ndim; k++)
            numel *= t->size[k];
        const size_t bytes = (size_t)numel * t->storage->dsize;
        memcpy(d, t->storage->data + (size_t)t->offset * t->storage->dsize, bytes);
        d += bytes;
    }
    *out = o;
    *out_size = 8 + hlen + total;
    st = RFDN_OK;
done:
    if (st == RFDN_ERROR_NO_MEMORY)
        rfdn_format(err, errn, "out of memory while reading the PyTorch file");
    json_object_put(root);
    free(m.stack);
    arena_free(&a);
    return st;
}
