/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pickle reader: it runs no code.  It knows the opcodes torch.save
 * emits and the handful of callables that rebuild a state_dict
 * (OrderedDict, the tensor rebuild functions); anything else becomes an
 * opaque object.  Every read is bounds checked and all memory comes from
 * one arena with a hard cap.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pickle.h"


static pk_val *mk(pk_vm *m, pk_type t)
{
    pk_val *v = rfdn_arena_alloc(m->a, sizeof *v);
    if (v)
        v->t = t;
    return v;
}

static bool seq_push(pk_vm *m, pk_val *seq, pk_val *x)
{
    if (seq->n == seq->cap) {
        size_t cap = seq->cap ? seq->cap * 2 : 8;
        pk_val **items = rfdn_arena_alloc(m->a, cap * sizeof *items);
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

static bool push(pk_vm *m, pk_val *v)
{
    if (!v)
        return false;
    if (m->sp >= RFDN_PK_MAX_STACK) {
        m->why = "pickle stack too deep";
        return false;
    }
    m->stack[m->sp++] = v;
    return true;
}

static pk_val *pop(pk_vm *m)
{
    if (!m->sp || m->stack[m->sp - 1]->t == PK_MARK) {
        m->why = "pickle stack underflow";
        return NULL;
    }
    return m->stack[--m->sp];
}

static pk_val *top(pk_vm *m)
{
    if (!m->sp || m->stack[m->sp - 1]->t == PK_MARK) {
        m->why = "pickle stack underflow";
        return NULL;
    }
    return m->stack[m->sp - 1];
}

/* Index of the topmost mark, or -1. */
static long find_mark(pk_vm *m)
{
    for (size_t i = m->sp; i-- > 0;)
        if (m->stack[i]->t == PK_MARK)
            return (long)i;
    m->why = "pickle mark missing";
    return -1;
}

bool rfdn_pk_need(pk_vm *m, size_t n)
{
    if ((size_t)(m->end - m->p) < n) {
        m->why = "truncated pickle";
        return false;
    }
    return true;
}

uint64_t rfdn_pk_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static pk_val *mk_str(pk_vm *m, const uint8_t *s, size_t n)
{
    pk_val *v = mk(m, PK_STR);
    char *c = v ? rfdn_arena_alloc(m->a, n + 1) : NULL;
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = 0;
    v->s = c;
    v->slen = n;
    return v;
}

bool rfdn_pk_str_is(const pk_val *v, const char *s)
{
    return v && (v->t == PK_STR || v->t == PK_GLOBAL) && !strcmp(v->s, s);
}

/* storage type -> dtype */
static void storage_type(pk_val *st, const pk_val *type)
{
    static const struct {
        const char *name, *dtype;
        int size;
    } map[] = {{"torch.FloatStorage", "F32", 4},
               {"torch.HalfStorage", "F16", 2},
               {"torch.BFloat16Storage", "BF16", 2}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (rfdn_pk_str_is(type, map[i].name)) {
            st->dtype = map[i].dtype;
            st->dsize = map[i].size;
        }
}

static bool int_of(const pk_val *v, int64_t *out)
{
    if (!v || (v->t != PK_INT && v->t != PK_BOOL))
        return false;
    *out = v->i;
    return true;
}

/* callable(args) for the callables a state_dict needs. */
static pk_val *reduce(pk_vm *m, pk_val *fn, pk_val *args)
{
    if (args->t != PK_TUPLE) {
        m->why = "REDUCE without an argument tuple";
        return NULL;
    }
    if (rfdn_pk_str_is(fn, "collections.OrderedDict") || rfdn_pk_str_is(fn, "builtins.dict"))
        return mk(m, PK_DICT);
    if ((rfdn_pk_str_is(fn, "torch._utils._rebuild_tensor_v2") ||
         rfdn_pk_str_is(fn, "torch._utils._rebuild_tensor")) &&
        args->n >= 4) {
        pk_val *st = args->items[0], *size = args->items[2], *stride = args->items[3];
        pk_val *t = mk(m, PK_TENSOR);
        if (!t)
            return NULL;
        if (st->t != PK_STORAGE || !int_of(args->items[1], &t->offset) ||
            size->t != PK_TUPLE || stride->t != PK_TUPLE || size->n != stride->n ||
            size->n > RFDN_PK_MAX_DIMS) {
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
    if (rfdn_pk_str_is(fn, "torch._utils._rebuild_parameter") && args->n >= 1 &&
        args->items[0]->t == PK_TENSOR)
        return args->items[0];
    return mk(m, PK_OBJ);
}

static pk_val *persistent_load(pk_vm *m, pk_val *pid)
{
    /* ('storage', type, key, location, numel[, view_metadata]) */
    if (pid->t != PK_TUPLE || pid->n < 5 || !rfdn_pk_str_is(pid->items[0], "storage") ||
        pid->items[2]->t != PK_STR) {
        m->why = "unknown persistent id";
        return NULL;
    }
    /* one PK_STORAGE per key */
    for (pk_val *s = m->storages; s; s = s->storage)
        if (!strcmp(s->s, pid->items[2]->s))
            return s;
    pk_val *st = mk(m, PK_STORAGE);
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

static bool memo_put(pk_vm *m, uint64_t idx)
{
    pk_val *v = top(m);
    if (!v)
        return false;
    if (idx >= RFDN_PK_MAX_MEMO) {
        m->why = "pickle memo index too large";
        return false;
    }
    if (idx >= m->nmemo) {
        size_t n = m->nmemo ? m->nmemo : 64;
        while (n <= idx)
            n *= 2;
        pk_val **memo = rfdn_arena_alloc(m->a, n * sizeof *memo);
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

static bool memo_get(pk_vm *m, uint64_t idx)
{
    if (idx >= m->nmemo || !m->memo[idx]) {
        m->why = "pickle memo entry missing";
        return false;
    }
    return push(m, m->memo[idx]);
}

/* Pops everything above the topmost mark into a new sequence of type t. */
static pk_val *collect(pk_vm *m, pk_type t)
{
    long k = find_mark(m);
    if (k < 0)
        return NULL;
    pk_val *v = mk(m, t);
    if (!v)
        return NULL;
    for (size_t i = (size_t)k + 1; i < m->sp; i++)
        if (!seq_push(m, v, m->stack[i]))
            return NULL;
    m->sp = (size_t)k;
    return v;
}

/* Runs one pickle from m->p; returns its value (m->p after the STOP). */
pk_val *rfdn_unpickle(pk_vm *m)
{
    m->sp = 0;
    m->nmemo = 0;
    m->memo_len = 0;
    m->memo = NULL;
    static pk_val mark = {.t = PK_MARK};
    for (;;) {
        if (!rfdn_pk_need(m, 1))
            return NULL;
        const uint8_t op = *m->p++;
        pk_val *v, *w, *x;
        uint64_t n;
        switch (op) {
        case 0x80: /* PROTO */
            if (!rfdn_pk_need(m, 1))
                return NULL;
            m->p++;
            break;
        case 0x95: /* FRAME */
            if (!rfdn_pk_need(m, 8))
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
            if (!push(m, mk(m, PK_DICT)))
                return NULL;
            break;
        case ']':
            if (!push(m, mk(m, PK_LIST)))
                return NULL;
            break;
        case ')':
            if (!push(m, mk(m, PK_TUPLE)))
                return NULL;
            break;
        case 'N':
            if (!push(m, mk(m, PK_NONE)))
                return NULL;
            break;
        case 0x88:
        case 0x89:
            if (!(v = mk(m, PK_BOOL)))
                return NULL;
            v->i = op == 0x88;
            if (!push(m, v))
                return NULL;
            break;
        case 'J':
        case 'K':
        case 'M': {
            const int len = op == 'J' ? 4 : op == 'K' ? 1 : 2;
            if (!rfdn_pk_need(m, len) || !(v = mk(m, PK_INT)))
                return NULL;
            n = rfdn_pk_le(m->p, len);
            v->i = op == 'J' ? (int32_t)(uint32_t)n : (int64_t)n;
            m->p += len;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 0x8a:   /* LONG1 */
        case 0x8b: { /* LONG4 */
            const int lenlen = op == 0x8a ? 1 : 4;
            if (!rfdn_pk_need(m, lenlen))
                return NULL;
            n = rfdn_pk_le(m->p, lenlen);
            m->p += lenlen;
            if (!rfdn_pk_need(m, n) || !(v = mk(m, PK_INT)))
                return NULL;
            /* little-endian two's complement; only values that fit 64 bits
             * are kept exactly (torch's magic number does not, nor matter) */
            uint64_t u = n ? rfdn_pk_le(m->p, n > 8 ? 8 : (int)n) : 0;
            if (n && n < 8 && (m->p[n - 1] & 0x80))
                u |= ~(uint64_t)0 << (8 * n);
            v->i = (int64_t)u;
            m->p += n;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 'G': /* BINFLOAT */
            if (!rfdn_pk_need(m, 8) || !(v = mk(m, PK_FLOAT)))
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
            if (!rfdn_pk_need(m, lenlen))
                return NULL;
            n = rfdn_pk_le(m->p, lenlen);
            m->p += lenlen;
            if (!rfdn_pk_need(m, n) || !push(m, mk_str(m, m->p, n)))
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
            v->t = PK_GLOBAL;
            m->p = b + 1;
            if (!push(m, v))
                return NULL;
            break;
        }
        case 0x93: { /* STACK_GLOBAL */
            if (!(w = pop(m)) || !(v = pop(m)))
                return NULL;
            if (v->t != PK_STR || w->t != PK_STR) {
                m->why = "malformed STACK_GLOBAL";
                return NULL;
            }
            x = mk(m, PK_GLOBAL);
            char *s = x ? rfdn_arena_alloc(m->a, v->slen + w->slen + 2) : NULL;
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
            if (!rfdn_pk_need(m, op == 'q' ? 1 : 4))
                return NULL;
            n = rfdn_pk_le(m->p, op == 'q' ? 1 : 4);
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
            if (!rfdn_pk_need(m, op == 'h' ? 1 : 4))
                return NULL;
            n = rfdn_pk_le(m->p, op == 'h' ? 1 : 4);
            m->p += op == 'h' ? 1 : 4;
            if (!memo_get(m, n))
                return NULL;
            break;
        case 't':
            if (!push(m, collect(m, PK_TUPLE)))
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
            if (!(v = mk(m, PK_TUPLE)))
                return NULL;
            for (int i = k; i > 0; i--) {
                if (m->stack[m->sp - i]->t == PK_MARK) {
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
            if (!(w = pop(m)) || !(v = pop(m)) || !push(m, mk(m, PK_OBJ)))
                return NULL;
            break;
        case 'b': /* BUILD: the state is not needed */
            if (!pop(m) || !top(m))
                return NULL;
            break;
        case 'a': /* APPEND */
            if (!(w = pop(m)) || !(v = top(m)))
                return NULL;
            if (v->t == PK_LIST && !seq_push(m, v, w))
                return NULL;
            break;
        case 'e': { /* APPENDS */
            long k = find_mark(m);
            if (k < 1)
                return NULL;
            v = m->stack[k - 1];
            for (size_t i = (size_t)k + 1; v->t == PK_LIST && i < m->sp; i++)
                if (!seq_push(m, v, m->stack[i]))
                    return NULL;
            m->sp = (size_t)k;
            break;
        }
        case 's': /* SETITEM */
            if (!(x = pop(m)) || !(w = pop(m)) || !(v = top(m)))
                return NULL;
            if (v->t == PK_DICT && (!seq_push(m, v, w) || !seq_push(m, v, x)))
                return NULL;
            break;
        case 'u': { /* SETITEMS */
            long k = find_mark(m);
            if (k < 1 || (m->sp - (size_t)k - 1) % 2) {
                m->why = "malformed SETITEMS";
                return NULL;
            }
            v = m->stack[k - 1];
            for (size_t i = (size_t)k + 1; v->t == PK_DICT && i < m->sp; i++)
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

