/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PyTorch checkpoints (.pth) without Python: the state_dict of a file
 * torch.save wrote (read by pthfile.c and pickle.c) turned into the
 * project's safetensors layout in memory, with the architecture inferred
 * from the tensors as tools/pth2safetensors.py does; it then goes through
 * exactly the validation of any model file (model.c).  A state_dict entry
 * that is not a tensor is an error.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "alloc.h"
#include "pickle.h"
#include "pth.h"
#include "pthfile.h"

/* How deep the state_dict may sit in wrapper dicts ("state_dict", "model",
 * ...); the largest block number, scale, tensor side and tensor size
 * accepted. */
#define MAX_WRAPPERS 4
#define MAX_BLOCK_NUMBER 999
#define MAX_SCALE 8
#define MAX_TENSOR_SIDE (1 << 24)
#define MAX_TENSOR_NUMEL ((int64_t)1 << 30)

static pk_val *dict_get(pk_val *d, const char *key)
{
    for (size_t i = 0; d && d->t == PK_DICT && i + 1 < d->n; i += 2)
        if (rfdn_pk_str_is(d->items[i], key))
            return d->items[i + 1];
    return NULL;
}

static pk_val *state_dict(pk_val *obj)
{
    static const char *wrappers[] = {"state_dict", "model", "params", "params_ema", "net"};
    for (int depth = 0; depth < MAX_WRAPPERS && obj && obj->t == PK_DICT; depth++) {
        pk_val *inner = NULL;
        for (size_t k = 0; !inner && k < sizeof wrappers / sizeof *wrappers; k++) {
            pk_val *v = dict_get(obj, wrappers[k]);
            if (v && v->t == PK_DICT)
                inner = v;
        }
        if (!inner)
            break;
        obj = inner;
    }
    return obj && obj->t == PK_DICT && obj->n ? obj : NULL;
}

static const char *key_name(const pk_val *k)
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

/* What the tensors say about the network. */
typedef struct arch {
    pk_val *fea, *up; /* fea_conv.weight, upsampler.0.weight */
    int blocks;
    bool esa;
    int scale;
} arch;

/* The architecture, inferred as tools/pth2safetensors.py does; every entry
 * must be a tensor with a string key. */
static rfdn_status infer_arch(const pk_val *sd, arch *ar, char *err, size_t errn)
{
    memset(ar, 0, sizeof *ar);
    for (size_t i = 0; i < sd->n; i += 2) {
        pk_val *k = sd->items[i], *t = sd->items[i + 1];
        if (k->t != PK_STR)
            return pfail(err, errn, "PyTorch file: a state_dict key is not a string");
        if (t->t != PK_TENSOR)
            return pfail(err, errn, "PyTorch file: entry \"%s\" is not a tensor", k->s);
        const char *name = key_name(k);
        if (!strcmp(name, "fea_conv.weight"))
            ar->fea = t;
        if (!strcmp(name, "upsampler.0.weight"))
            ar->up = t;
        int b;
        if (sscanf(name, "B%d.", &b) == 1 && b > ar->blocks && b <= MAX_BLOCK_NUMBER)
            ar->blocks = b;
        if (strstr(name, ".esa."))
            ar->esa = true;
    }
    if (!ar->fea || !ar->up || ar->fea->ndim != 4 || ar->up->ndim != 4)
        return pfail(err, errn, "PyTorch file: not an RFDN state_dict (no fea_conv / upsampler.0)");
    const int64_t ups = ar->up->size[0] / 3;
    for (int s = 1; s <= MAX_SCALE; s++)
        if (s * s == ups && ar->up->size[0] == 3 * ups)
            ar->scale = s;
    return RFDN_OK;
}

/* The "__metadata__" object of the architecture, added to root. */
static bool add_metadata(json_object *root, const arch *ar)
{
    json_object *meta = json_object_new_object();
    if (!meta)
        return false;
    json_object_object_add(root, "__metadata__", meta);
    char num[32];
#define META(k, v) json_object_object_add(meta, k, json_object_new_string(v))
    META("format", "rfdn-upscaler");
    META("format_version", "1");
    META("architecture", ar->esa ? "e-rfdn" : "rfdn");
    snprintf(num, sizeof num, "%d", ar->scale);
    META("scale", num);
    snprintf(num, sizeof num, "%lld", (long long)ar->fea->size[0]);
    META("nf", num);
    snprintf(num, sizeof num, "%d", ar->blocks);
    META("blocks", num);
    META("attention", ar->esa ? "esa" : "cca");
    META("block_residual", ar->esa ? "false" : "true");
    META("input_range", "255");
    META("converted_from", "PyTorch state_dict (.pth)");
#undef META
    return true;
}

/* Elements of tensor t, if it is a contiguous view of its storage within
 * the limits; -1 if not. */
static int64_t contiguous_numel(const pk_val *t)
{
    int64_t numel = 1, expect = 1;
    bool ok = t->offset >= 0;
    for (int d = t->ndim - 1; ok && d >= 0; d--) {
        ok = t->size[d] >= 0 && t->size[d] <= MAX_TENSOR_SIDE &&
             (t->size[d] <= 1 || t->stride[d] == expect);
        numel *= t->size[d];
        expect *= t->size[d];
        ok = ok && numel <= MAX_TENSOR_NUMEL;
    }
    if (!ok || t->offset > t->storage->numel || numel > t->storage->numel - t->offset)
        return -1;
    return numel;
}

/* The header entry of a tensor of `bytes` bytes at data offset `at`. */
static json_object *tensor_entry(const pk_val *t, uint64_t at, uint64_t bytes)
{
    json_object *jt = json_object_new_object(), *shape = json_object_new_array(),
                *offs = json_object_new_array();
    if (!jt || !shape || !offs) {
        json_object_put(jt);
        json_object_put(shape);
        json_object_put(offs);
        return NULL;
    }
    for (int d = 0; d < t->ndim; d++)
        json_object_array_add(shape, json_object_new_int64(t->size[d]));
    json_object_array_add(offs, json_object_new_int64((int64_t)at));
    json_object_array_add(offs, json_object_new_int64((int64_t)(at + bytes)));
    json_object_object_add(jt, "dtype", json_object_new_string(t->storage->dtype));
    json_object_object_add(jt, "shape", shape);
    json_object_object_add(jt, "data_offsets", offs);
    return jt;
}

/* Every tensor's header entry, in state_dict order; *total: their bytes,
 * at most `limit` (what the file's storages hold: keys that name the same
 * bytes again cannot make the copy larger than the file). */
static rfdn_status add_tensors(json_object *root, const pk_val *sd, uint64_t limit,
                               uint64_t *total, char *err, size_t errn)
{
    *total = 0;
    for (size_t i = 0; i < sd->n; i += 2) {
        const pk_val *t = sd->items[i + 1];
        const char *name = key_name(sd->items[i]);
        const int64_t numel = contiguous_numel(t);
        if (numel < 0)
            return pfail(err, errn, "PyTorch file: tensor \"%s\" is not a contiguous view of its "
                                    "storage",
                         name);
        const uint64_t bytes = (uint64_t)numel * t->storage->dsize;
        if (bytes > limit - *total)
            return pfail(err, errn,
                         "PyTorch file: its tensors take more than the %llu bytes of "
                         "storage it holds (at \"%s\": keys sharing one storage?)",
                         (unsigned long long)limit, name);
        json_object *jt = tensor_entry(t, *total, bytes);
        if (!jt)
            return RFDN_ERROR_NO_MEMORY;
        if (json_object_object_get_ex(root, name, NULL)) {
            json_object_put(jt);
            return pfail(err, errn, "PyTorch file: tensor \"%s\" appears twice", name);
        }
        json_object_object_add(root, name, jt);
        *total += bytes;
    }
    return RFDN_OK;
}

/* The safetensors bytes: header length, header, each tensor's data. */
static rfdn_status write_safetensors(json_object *root, const pk_val *sd, uint64_t total,
                                     uint8_t **out, size_t *out_size)
{
    size_t hlen;
    const char *hdr = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN, &hlen);
    uint8_t *o = hdr ? rfdn_malloc(8 + hlen + total) : NULL;
    if (!o)
        return RFDN_ERROR_NO_MEMORY;
    for (int i = 0; i < 8; i++)
        o[i] = (uint8_t)((uint64_t)hlen >> (8 * i));
    memcpy(o + 8, hdr, hlen);
    uint8_t *d = o + 8 + hlen;
    for (size_t i = 0; i < sd->n; i += 2) {
        const pk_val *t = sd->items[i + 1];
        int64_t numel = 1;
        for (int k = 0; k < t->ndim; k++)
            numel *= t->size[k];
        const size_t bytes = (size_t)numel * t->storage->dsize;
        memcpy(d, t->storage->data + (size_t)t->offset * t->storage->dsize, bytes);
        d += bytes;
    }
    *out = o;
    *out_size = 8 + hlen + total;
    return RFDN_OK;
}

/* The bytes of the file's storages, and no more than the file's size
 * (zip entries could share their data too). */
static uint64_t storage_bytes(const pk_vm *m, size_t file_size)
{
    uint64_t sum = 0;
    for (const pk_val *s = m->storages; s && sum < file_size; s = s->storage)
        sum += (uint64_t)s->numel * (uint64_t)s->dsize;
    return sum < file_size ? sum : file_size;
}

/* The state_dict sd as safetensors bytes, no more tensor bytes than
 * `limit`. */
static rfdn_status convert(const pk_val *sd, uint64_t limit, uint8_t **out, size_t *out_size,
                           char *err, size_t errn)
{
    arch ar;
    rfdn_status st = infer_arch(sd, &ar, err, errn);
    if (st != RFDN_OK)
        return st;
    json_object *root = json_object_new_object();
    uint64_t total = 0;
    if (!root || !add_metadata(root, &ar))
        st = RFDN_ERROR_NO_MEMORY;
    if (st == RFDN_OK)
        st = add_tensors(root, sd, limit, &total, err, errn);
    if (st == RFDN_OK)
        st = write_safetensors(root, sd, total, out, out_size);
    json_object_put(root);
    return st;
}

/* The state_dict the file holds, or NULL with an error status in *st. */
static pk_val *load_state_dict(pk_vm *m, const uint8_t *buf, size_t size, rfdn_status *st,
                               char *err, size_t errn)
{
    const char *why = NULL;
    pk_val *obj = rfdn_pth_load(m, buf, size, &why);
    if (m->a->oom) {
        *st = rfdn_arena_at_cap(m->a) ? pfail(err, errn, "the pickle is too large")
                                      : RFDN_ERROR_NO_MEMORY;
        return NULL;
    }
    if (!obj) {
        *st = pfail(err, errn, "PyTorch file: %s", why ? why : "cannot read it");
        return NULL;
    }
    pk_val *sd = state_dict(obj);
    if (!sd)
        *st = pfail(err, errn, "PyTorch file: no state_dict in it");
    return sd;
}

rfdn_status rfdn_pth_to_safetensors(const uint8_t *buf, size_t size, uint8_t **out,
                                    size_t *out_size, char *err, size_t errn)
{
    *out = NULL;
    *out_size = 0;
    rfdn_arena a = {0};
    pk_vm m = {.a = &a, .p = buf, .end = buf + size};
    rfdn_status st = RFDN_ERROR_NO_MEMORY;
    m.stack = rfdn_malloc(RFDN_PK_MAX_STACK * sizeof *m.stack);
    const pk_val *sd = m.stack ? load_state_dict(&m, buf, size, &st, err, errn) : NULL;
    if (sd)
        st = convert(sd, storage_bytes(&m, size), out, out_size, err, errn);
    if (st == RFDN_ERROR_NO_MEMORY)
        rfdn_format(err, errn, "out of memory while reading the PyTorch file");
    free(m.stack);
    rfdn_arena_free(&a);
    return st;
}
