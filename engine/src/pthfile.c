/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PyTorch files as torch.save writes them: the legacy format (magic,
 * protocol and sys_info pickles, the object, its storage keys, then the raw
 * storages) and the zip format (an uncompressed zip of data.pkl and
 * data/<key> per storage).  Every offset is bounds checked.
 */
#include <stdio.h>
#include <string.h>

#include "pthfile.h"

/* The legacy format: magic, protocol, sys_info, the object, the storage
 * keys, then each storage as (int64 count, data), in key order. */
static pk_val *load_legacy(pk_vm *m, const char **why)
{
    pk_val *magic = rfdn_unpickle(m);
    /* 0x1950a86a20f9469cfc6c, of which LONG1 keeps the low 64 bits */
    if (!magic || magic->t != PK_INT || (uint64_t)magic->i != 0xa86a20f9469cfc6cULL) {
        *why = m->why ? m->why : "not a PyTorch file (bad magic number)";
        return NULL;
    }
    pk_val *proto = rfdn_unpickle(m);
    if (!proto || proto->t != PK_INT || proto->i != 1001) {
        *why = m->why ? m->why : "unsupported PyTorch file version";
        return NULL;
    }
    if (!rfdn_unpickle(m)) { /* sys_info */
        *why = m->why;
        return NULL;
    }
    pk_val *obj = rfdn_unpickle(m);
    pk_val *keys = obj ? rfdn_unpickle(m) : NULL;
    if (!keys || keys->t != PK_LIST) {
        *why = m->why ? m->why : "malformed storage key list";
        return NULL;
    }
    for (size_t i = 0; i < keys->n; i++) {
        pk_val *k = keys->items[i], *s = m->storages;
        if (k->t != PK_STR) {
            *why = "malformed storage key list";
            return NULL;
        }
        while (s && strcmp(s->s, k->s))
            s = s->storage;
        if (!rfdn_pk_need(m, 8)) {
            *why = "truncated storage data";
            return NULL;
        }
        const uint64_t count = rfdn_pk_le(m->p, 8);
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
    for (pk_val *s = m->storages; s; s = s->storage)
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
    const uint64_t count = rfdn_pk_le(buf + eocd + 10, 2), cd_off = rfdn_pk_le(buf + eocd + 16, 4);
    uint64_t p = cd_off;
    const size_t sl = strlen(suffix);
    for (uint64_t i = 0; i < count; i++) {
        if (p + 46 > size || memcmp(buf + p, "PK\1\2", 4)) {
            *why = "corrupt zip directory";
            return NULL;
        }
        const uint64_t method = rfdn_pk_le(buf + p + 10, 2), csize = rfdn_pk_le(buf + p + 20, 4),
                       usize = rfdn_pk_le(buf + p + 24, 4), nlen = rfdn_pk_le(buf + p + 28, 2),
                       elen = rfdn_pk_le(buf + p + 30, 2), clen = rfdn_pk_le(buf + p + 32, 2),
                       loff = rfdn_pk_le(buf + p + 42, 4);
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
            const uint64_t data =
                loff + 30 + rfdn_pk_le(buf + loff + 26, 2) + rfdn_pk_le(buf + loff + 28, 2);
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

static pk_val *load_zip(pk_vm *m, const uint8_t *buf, size_t size, const char **why)
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
    pk_val *obj = rfdn_unpickle(m);
    if (!obj) {
        *why = m->why;
        return NULL;
    }
    for (pk_val *s = m->storages; s; s = s->storage) {
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

pk_val *rfdn_pth_load(pk_vm *m, const uint8_t *buf, size_t size, const char **why)
{
    return size >= 4 && !memcmp(buf, "PK\3\4", 4) ? load_zip(m, buf, size, why)
                                                   : load_legacy(m, why);
}
