/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model files: safetensors (8-byte little-endian header length, a JSON header,
 * raw little-endian tensor data) with an "__metadata__" object describing the
 * network.  The JSON is parsed by json-c; everything it says is validated
 * against the architecture before a single weight is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "alloc.h"
#include "model.h"
#include "pth.h"

#define MAX_HEADER_BYTES ((uint64_t)16 << 20)
#define MAX_FILE_BYTES ((uint64_t)1 << 30)

typedef struct tensor_spec {
    char name[48];
    rfdn_conv *conv;
    bool is_bias;
    size_t numel;
    size_t offset; /* in floats, into model->weights */
    bool seen;
} tensor_spec;

typedef struct spec_list {
    tensor_spec *v;
    size_t n, cap;
    size_t total; /* floats */
} spec_list;

static bool conv_init(rfdn_conv *cv, int cin, int cout, int k, int stride, int pad)
{
    cv->cin = cin;
    cv->cout = cout;
    cv->k = k;
    cv->stride = stride;
    cv->pad = pad;
    return true;
}

static bool spec_add1(spec_list *l, const char *name, rfdn_conv *cv, bool bias)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        tensor_spec *v = rfdn_malloc(cap * sizeof *v);
        if (!v)
            return false;
        if (l->n)
            memcpy(v, l->v, l->n * sizeof *v);
        free(l->v);
        l->v = v;
        l->cap = cap;
    }
    tensor_spec *t = &l->v[l->n++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s.%s", name, bias ? "bias" : "weight");
    t->conv = cv;
    t->is_bias = bias;
    t->numel = bias ? (size_t)cv->cout : (size_t)cv->cout * cv->cin * cv->k * cv->k;
    t->offset = l->total;
    l->total += t->numel;
    return true;
}

static bool spec_add(spec_list *l, const char *name, rfdn_conv *cv, int cin, int cout, int k,
                     int stride, int pad)
{
    conv_init(cv, cin, cout, k, stride, pad);
    return spec_add1(l, name, cv, false) && spec_add1(l, name, cv, true);
}

/* The tensors an architecture has, with their shapes (names as in the
 * reference PyTorch state_dict). */
static bool build_specs(rfdn_model *m, spec_list *l)
{
    const rfdn_model_info *in = &m->info;
    int nf = in->nf, dc = nf / 2, fc = nf / 4, s = in->scale;
    char p[32], n[48];
    bool ok = spec_add(l, "fea_conv", &m->fea, 3, nf, 3, 1, 1);
    for (int i = 0; ok && i < in->blocks; i++) {
        rfdn_block *b = &m->block[i];
        snprintf(p, sizeof p, "B%d", i + 1);
#define ADD(field, suffix, ci, co, k, st, pd)                                                \
    (snprintf(n, sizeof n, "%s.%s", p, suffix), spec_add(l, n, &b->field, ci, co, k, st, pd))
        ok = ADD(c1_d, "c1_d", nf, dc, 1, 1, 0) && ADD(c1_r, "c1_r", nf, nf, 3, 1, 1) &&
             ADD(c2_d, "c2_d", nf, dc, 1, 1, 0) && ADD(c2_r, "c2_r", nf, nf, 3, 1, 1) &&
             ADD(c3_d, "c3_d", nf, dc, 1, 1, 0) && ADD(c3_r, "c3_r", nf, nf, 3, 1, 1) &&
             ADD(c4, "c4", nf, dc, 3, 1, 1) && ADD(c5, "c5", 4 * dc, nf, 1, 1, 0);
        if (ok && in->attention == RFDN_ATTENTION_ESA)
            ok = ADD(esa_conv1, "esa.conv1", nf, fc, 1, 1, 0) &&
                 ADD(esa_conv_f, "esa.conv_f", fc, fc, 1, 1, 0) &&
                 ADD(esa_conv_max, "esa.conv_max", fc, fc, 3, 1, 1) &&
                 ADD(esa_conv2, "esa.conv2", fc, fc, 3, 2, 0) &&
                 ADD(esa_conv3, "esa.conv3", fc, fc, 3, 1, 1) &&
                 ADD(esa_conv3_, "esa.conv3_", fc, fc, 3, 1, 1) &&
                 ADD(esa_conv4, "esa.conv4", fc, nf, 1, 1, 0);
        else if (ok)
            ok = ADD(cca_du0, "cca.conv_du.0", nf, nf / 4, 1, 1, 0) &&
                 ADD(cca_du2, "cca.conv_du.2", nf / 4, nf, 1, 1, 0);
#undef ADD
    }
    return ok && spec_add(l, "c.0", &m->c0, nf * in->blocks, nf, 1, 1, 0) &&
           spec_add(l, "LR_conv", &m->lr, nf, nf, 3, 1, 1) &&
           spec_add(l, "upsampler.0", &m->up, nf, 3 * s * s, 3, 1, 1);
}

/* ------------------------------------------------------------------------ */

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

__attribute__((format(printf, 3, 4))) static rfdn_status fail(char *err, size_t n,
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

static rfdn_status parse_metadata(rfdn_model *m, json_object *meta, char *err, size_t errn)
{
    if (!meta)
        return fail(err, errn, "no __metadata__: not an RFDN Upscaler model file");
    if (!json_object_is_type(meta, json_type_object))
        return fail(err, errn, "__metadata__ is not an object");

    size_t n = (size_t)json_object_object_length(meta);
    m->meta = rfdn_calloc(n ? n : 1, sizeof *m->meta);
    if (!m->meta)
        return RFDN_ERROR_NO_MEMORY;
    json_object_object_foreach(meta, key, val)
    {
        if (!json_object_is_type(val, json_type_string))
            return fail(err, errn, "metadata value of \"%s\" is not a string", key);
        rfdn_meta_entry *e = &m->meta[m->n_meta];
        size_t kl = strlen(key), vl = (size_t)json_object_get_string_len(val);
        e->key = rfdn_malloc(kl + 1);
        e->value = rfdn_malloc(vl + 1);
        if (!e->key || !e->value) {
            free(e->key);
            free(e->value);
            return RFDN_ERROR_NO_MEMORY;
        }
        m->n_meta++;
        memcpy(e->key, key, kl + 1);
        memcpy(e->value, json_object_get_string(val), vl);
        e->value[vl] = 0;
    }

    static const char *required[] = {"architecture", "scale",  "nf",
                                     "blocks",       "attention", "block_residual"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!rfdn_model_get_metadata(m, required[i]))
            return fail(err, errn, "metadata lacks \"%s\"", required[i]);

    rfdn_model_info *in = &m->info;
    const char *v = rfdn_model_get_metadata(m, "architecture");
    if (!strcmp(v, "rfdn"))
        in->arch = RFDN_ARCH_RFDN;
    else if (!strcmp(v, "e-rfdn"))
        in->arch = RFDN_ARCH_E_RFDN;
    else
        return fail(err, errn, "unknown architecture \"%s\" (expected rfdn or e-rfdn)", v);

    v = rfdn_model_get_metadata(m, "attention");
    if (!strcmp(v, "esa"))
        in->attention = RFDN_ATTENTION_ESA;
    else if (!strcmp(v, "cca"))
        in->attention = RFDN_ATTENTION_CCA;
    else
        return fail(err, errn, "unknown attention \"%s\" (expected esa or cca)", v);

    v = rfdn_model_get_metadata(m, "block_residual");
    if (!strcmp(v, "true"))
        in->block_residual = 1;
    else if (!strcmp(v, "false"))
        in->block_residual = 0;
    else
        return fail(err, errn, "block_residual is \"%s\", not true or false", v);

    v = rfdn_model_get_metadata(m, "scale");
    if (!parse_int(v, 2, 4, &in->scale))
        return fail(err, errn, "unsupported scale \"%s\" (expected 2, 3 or 4)", v);
    v = rfdn_model_get_metadata(m, "nf");
    if (!parse_int(v, 4, RFDN_MAX_NF, &in->nf))
        return fail(err, errn, "unsupported nf \"%s\" (expected 4 to 256)", v);
    v = rfdn_model_get_metadata(m, "blocks");
    if (!parse_int(v, 1, RFDN_MAX_BLOCKS, &in->blocks))
        return fail(err, errn, "unsupported block count \"%s\" (expected 1 to 32)", v);

    v = rfdn_model_get_metadata(m, "input_range");
    if (!v || !strcmp(v, "255"))
        in->input_range = 255.0f;
    else if (!strcmp(v, "1"))
        in->input_range = 1.0f;
    else
        return fail(err, errn, "unsupported input_range \"%s\" (expected 255 or 1)", v);
    return RFDN_OK;
}

static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 31, man = h & 0x3ff, bits;
    if (exp == 0) {
        if (man == 0) {
            bits = sign;
        } else { /* subnormal: renormalise */
            exp = 127 - 15 + 1;
            while (!(man & 0x400)) {
                man <<= 1;
                exp--;
            }
            bits = sign | (exp << 23) | ((man & 0x3ff) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (man << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* Copies a little-endian tensor into float32, whatever the host's order. */
static void convert_tensor(const uint8_t *src, int dtype_size, bool bf16, size_t n, float *dst)
{
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = src + i * (size_t)dtype_size;
        uint32_t bits;
        if (dtype_size == 4) {
            bits = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
            memcpy(&dst[i], &bits, 4);
        } else if (bf16) {
            bits = ((uint32_t)p[0] | (uint32_t)p[1] << 8) << 16;
            memcpy(&dst[i], &bits, 4);
        } else {
            dst[i] = half_to_float((uint16_t)(p[0] | p[1] << 8));
        }
    }
}

/* The spec of tensor `name`, or NULL. */
static tensor_spec *spec_find(spec_list *specs, const char *name)
{
    for (size_t i = 0; i < specs->n; i++)
        if (!strcmp(specs->v[i].name, name))
            return &specs->v[i];
    return NULL;
}

/* Bytes per element of a dtype ("F32", "F16", "BF16"), 0 if unsupported. */
static int dtype_bytes(const char *dt, bool *bf16)
{
    *bf16 = !strcmp(dt, "BF16");
    return !strcmp(dt, "F32") ? 4 : !strcmp(dt, "F16") || *bf16 ? 2 : 0;
}

/* Whether the JSON shape js is the spec's (error set if not). */
static rfdn_status check_shape(const tensor_spec *sp, const char *name, json_object *js,
                               char *err, size_t errn)
{
    const rfdn_conv *cv = sp->conv;
    int64_t want[4] = {cv->cout, cv->cin, cv->k, cv->k};
    size_t rank = sp->is_bias ? 1 : 4;
    bool shape_ok = json_object_array_length(js) == rank;
    for (size_t i = 0; shape_ok && i < rank; i++) {
        json_object *d = json_object_array_get_idx(js, i);
        shape_ok = json_object_is_type(d, json_type_int) && json_object_get_int64(d) == want[i];
    }
    if (shape_ok)
        return RFDN_OK;
    char w[64];
    if (sp->is_bias)
        snprintf(w, sizeof w, "[%d]", cv->cout);
    else
        snprintf(w, sizeof w, "[%d, %d, %d, %d]", cv->cout, cv->cin, cv->k, cv->k);
    return fail(err, errn, "tensor \"%s\" has the wrong shape (expected %s)", name, w);
}

/* The data offsets jo, checked against the data and the element count. */
static rfdn_status check_offsets(const tensor_spec *sp, const char *name, json_object *jo,
                                 int dsize, uint64_t data_len, int64_t off[2], char *err,
                                 size_t errn)
{
    bool off_ok = json_object_array_length(jo) == 2;
    for (size_t i = 0; off_ok && i < 2; i++) {
        json_object *d = json_object_array_get_idx(jo, i);
        off_ok = json_object_is_type(d, json_type_int);
        off[i] = off_ok ? json_object_get_int64(d) : -1;
    }
    if (!off_ok || off[0] < 0 || off[1] < off[0] || (uint64_t)off[1] > data_len ||
        (uint64_t)(off[1] - off[0]) != (uint64_t)sp->numel * (uint64_t)dsize)
        return fail(err, errn,
                    "tensor \"%s\" has invalid data_offsets (out of the file or not "
                    "matching its shape)",
                    name);
    return RFDN_OK;
}

/* One header entry: checked, its data converted into the model's weights. */
static rfdn_status parse_tensor(rfdn_model *m, spec_list *specs, const char *name,
                                json_object *t, const uint8_t *data, uint64_t data_len,
                                char *err, size_t errn)
{
    tensor_spec *sp = spec_find(specs, name);
    if (!sp)
        return fail(err, errn, "unexpected tensor \"%s\" for this architecture", name);
    if (sp->seen)
        return fail(err, errn, "tensor \"%s\" appears twice", name);
    sp->seen = true;

    json_object *jd, *js, *jo;
    if (!json_object_is_type(t, json_type_object) ||
        !json_object_object_get_ex(t, "dtype", &jd) ||
        !json_object_object_get_ex(t, "shape", &js) ||
        !json_object_object_get_ex(t, "data_offsets", &jo) ||
        !json_object_is_type(jd, json_type_string) || !json_object_is_type(js, json_type_array) ||
        !json_object_is_type(jo, json_type_array))
        return fail(err, errn, "tensor \"%s\" lacks dtype, shape or data_offsets", name);

    const char *dt = json_object_get_string(jd);
    bool bf16;
    const int dsize = dtype_bytes(dt, &bf16);
    if (!dsize)
        return fail(err, errn, "tensor \"%s\" has unsupported dtype %s (F32, F16, BF16)", name,
                    dt);
    int64_t off[2];
    rfdn_status st = check_shape(sp, name, js, err, errn);
    if (st == RFDN_OK)
        st = check_offsets(sp, name, jo, dsize, data_len, off, err, errn);
    if (st != RFDN_OK)
        return st;

    float *dst = m->weights + sp->offset;
    convert_tensor(data + off[0], dsize, bf16, sp->numel, dst);
    for (size_t i = 0; i < sp->numel; i++)
        if (!isfinite(dst[i]))
            return fail(err, errn, "tensor \"%s\" contains NaN or infinite values", name);
    if (sp->is_bias)
        sp->conv->b = dst;
    else
        sp->conv->w = dst;
    return RFDN_OK;
}

static rfdn_status parse_tensors(rfdn_model *m, spec_list *specs, json_object *root,
                                 const uint8_t *data, uint64_t data_len, char *err,
                                 size_t errn)
{
    json_object_object_foreach(root, name, t)
    {
        if (!strcmp(name, "__metadata__"))
            continue;
        const rfdn_status st = parse_tensor(m, specs, name, t, data, data_len, err, errn);
        if (st != RFDN_OK)
            return st;
    }
    for (size_t i = 0; i < specs->n; i++)
        if (!specs->v[i].seen)
            return fail(err, errn, "tensor \"%s\" is missing", specs->v[i].name);
    return RFDN_OK;
}

static void model_destroy(rfdn_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_meta; i++) {
        free(m->meta[i].key);
        free(m->meta[i].value);
    }
    free(m->meta);
    free(m->block);
    rfdn_aligned_free(m->weights);
    free(m);
}

static rfdn_status load_safetensors(const uint8_t *buf, size_t size, rfdn_model **out,
                                    char *err, size_t errn);

/* The safetensors header length at buf (size bytes in the file), checked
 * against the file's size and the limit. */
static rfdn_status check_header_length(const uint8_t *buf, uint64_t size, uint64_t *hlen,
                                       char *err, size_t errn)
{
    if (size < 8)
        return fail(err, errn, "file too short to be a safetensors file");
    *hlen = 0;
    for (int i = 7; i >= 0; i--)
        *hlen = *hlen << 8 | buf[i];
    if (*hlen < 2 || *hlen > size - 8 || *hlen > MAX_HEADER_BYTES)
        return fail(err, errn, "invalid header length: not a safetensors file, or truncated");
    return RFDN_OK;
}

/* Whether the n first bytes of a file of `size` bytes start a PyTorch
 * checkpoint (zip, or legacy pickle starting with PROTO 2 and holding
 * torch's magic number near its start). */
static bool is_pytorch(const uint8_t *buf, uint64_t n)
{
    static const uint8_t torch_magic[10] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                            0x20, 0x6a, 0xa8, 0x50, 0x19};
    /* a safetensors file has its JSON at byte 8 */
    if (n > 8 && buf[8] == '{')
        return false;
    if (n >= 4 && !memcmp(buf, "PK\3\4", 4))
        return true;
    bool legacy = false;
    for (size_t i = 2; n > 1 && buf[0] == 0x80 && i + 10 <= n && i < 32; i++)
        legacy |= !memcmp(buf + i, torch_magic, 10);
    return legacy;
}

/* Whether a file whose first n bytes are buf (of `size` in all) may be a
 * model: what load_bytes would refuse on these bytes alone, with its
 * message.  n is min(size, PREFIX_BYTES), enough for is_pytorch. */
static bool prefix_may_be_model(const uint8_t *buf, size_t n, uint64_t size, char *err,
                                size_t errn)
{
    uint64_t hlen;
    return is_pytorch(buf, n) || check_header_length(buf, size, &hlen, err, errn) == RFDN_OK;
}

/* A safetensors file, or a PyTorch checkpoint converted to one in memory
 * (pth.c). */
static rfdn_status load_bytes(const uint8_t *buf, size_t size, rfdn_model **out, char *err,
                              size_t errn)
{
    if (is_pytorch(buf, size)) {
        uint8_t *st_buf;
        size_t st_size;
        rfdn_status st = rfdn_pth_to_safetensors(buf, size, &st_buf, &st_size, err, errn);
        if (st != RFDN_OK)
            return st;
        st = load_safetensors(st_buf, st_size, out, err, errn);
        free(st_buf);
        return st;
    }
    return load_safetensors(buf, size, out, err, errn);
}

static rfdn_status load_safetensors(const uint8_t *buf, size_t size, rfdn_model **out,
                                    char *err, size_t errn)
{
    uint64_t hlen;
    rfdn_status st = check_header_length(buf, size, &hlen, err, errn);
    if (st != RFDN_OK)
        return st;

    json_tokener *tok = json_tokener_new_ex(8);
    if (!tok)
        return RFDN_ERROR_NO_MEMORY;
    json_object *root = json_tokener_parse_ex(tok, (const char *)buf + 8, (int)hlen);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success) {
        json_object_put(root);
        return fail(err, errn, "the JSON header is invalid (%s)",
                    json_tokener_error_desc(jerr));
    }
    for (size_t i = end; i < hlen; i++) /* the format pads the header with spaces */
        if (buf[8 + i] != ' ') {
            json_object_put(root);
            return fail(err, errn, "garbage after the JSON header");
        }
    if (!json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return fail(err, errn, "the JSON header is not an object");
    }

    st = RFDN_ERROR_NO_MEMORY;
    spec_list specs = {0};
    rfdn_model *m = rfdn_calloc(1, sizeof *m);
    if (!m)
        goto done;
    atomic_init(&m->refs, 1);

    json_object *meta = NULL;
    json_object_object_get_ex(root, "__metadata__", &meta);
    st = parse_metadata(m, meta, err, errn);
    if (st != RFDN_OK)
        goto done;

    st = RFDN_ERROR_NO_MEMORY;
    m->block = rfdn_calloc((size_t)m->info.blocks, sizeof *m->block);
    if (!m->block || !build_specs(m, &specs))
        goto done;
    m->weights = rfdn_aligned_alloc(specs.total * sizeof(float));
    if (!m->weights)
        goto done;
    m->info.parameters = specs.total;

    st = parse_tensors(m, &specs, root, buf + 8 + hlen, size - 8 - hlen, err, errn);

done:
    if (st == RFDN_ERROR_NO_MEMORY)
        rfdn_format(err, errn, "out of memory while loading the model");
    free(specs.v);
    json_object_put(root);
    if (st != RFDN_OK) {
        model_destroy(m);
        m = NULL;
    }
    *out = m;
    return st;
}

rfdn_status rfdn_model_load_memory(const void *data, size_t size, rfdn_model **out, char *err,
                                   size_t errn)
{
    rfdn_format(err, errn, "%s", "");
    if (!out)
        return RFDN_ERROR_INVALID_ARGUMENT;
    *out = NULL;
    if (!data && size) {
        rfdn_format(err, errn, "no data");
        return RFDN_ERROR_INVALID_ARGUMENT;
    }
    return load_bytes(data, size, out, err, errn);
}

/* The start of a file: enough for the safetensors header length and for a
 * legacy torch file's magic number (load_bytes). */
#define PREFIX_BYTES 64

/* Reads n bytes at the file position into buf; an errno value, or 0, or
 * -1 when the file ended early. */
static int read_all(int fd, uint8_t *buf, size_t n)
{
    while (n) {
        const ssize_t r = read(fd, buf, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? errno : -1;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Opens a model file without blocking on a FIFO or a device (their open
 * would wait for a writer): anything but a regular file is refused before
 * a byte is read.  *size: the file's size. */
static int open_regular(const char *path, uint64_t *size, char *err, size_t errn)
{
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        rfdn_format(err, errn, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rfdn_format(err, errn, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    *size = (uint64_t)sb.st_size;
    return fd;
}

/* The file's bytes in *buf, its first bytes checked before the rest is
 * read: a file that cannot be a model costs PREFIX_BYTES, not its size. */
static rfdn_status read_model_file(int fd, uint64_t size, uint8_t **buf, char *err,
                                   size_t errn)
{
    uint8_t head[PREFIX_BYTES];
    const size_t nh = size < PREFIX_BYTES ? (size_t)size : PREFIX_BYTES;
    int e = read_all(fd, head, nh);
    if (e == 0 && !prefix_may_be_model(head, nh, size, err, errn))
        return RFDN_ERROR_BAD_MODEL;
    if (e == 0 && size > MAX_FILE_BYTES)
        return fail(err, errn, "file too large for a model (%llu bytes)",
                    (unsigned long long)size);
    *buf = e == 0 ? rfdn_malloc(size ? (size_t)size : 1) : NULL;
    if (e == 0 && !*buf) {
        rfdn_format(err, errn, "out of memory");
        return RFDN_ERROR_NO_MEMORY;
    }
    if (e == 0) {
        memcpy(*buf, head, nh);
        e = read_all(fd, *buf + nh, (size_t)size - nh);
    }
    if (e != 0) {
        rfdn_format(err, errn, "read error (%s)", e > 0 ? strerror(e) : "the file shrank");
        return RFDN_ERROR_IO;
    }
    return RFDN_OK;
}

rfdn_status rfdn_model_load(const char *path, rfdn_model **out, char *err, size_t errn)
{
    rfdn_format(err, errn, "%s", "");
    if (!out)
        return RFDN_ERROR_INVALID_ARGUMENT;
    *out = NULL;
    if (!path) {
        rfdn_format(err, errn, "no model file given");
        return RFDN_ERROR_INVALID_ARGUMENT;
    }
    uint64_t size;
    const int fd = open_regular(path, &size, err, errn);
    if (fd < 0)
        return RFDN_ERROR_IO;
    uint8_t *buf = NULL;
    char msg[256];
    rfdn_status st = read_model_file(fd, size, &buf, msg, sizeof msg);
    close(fd);
    if (st == RFDN_OK)
        st = load_bytes(buf, (size_t)size, out, msg, sizeof msg);
    if (st != RFDN_OK)
        rfdn_format(err, errn, "%s: %s", path, msg);
    free(buf);
    return st;
}

rfdn_model *rfdn_model_ref(rfdn_model *m)
{
    if (m)
        atomic_fetch_add(&m->refs, 1);
    return m;
}

void rfdn_model_unref(rfdn_model *m)
{
    if (m && atomic_fetch_sub(&m->refs, 1) == 1)
        model_destroy(m);
}

void rfdn_model_get_info(const rfdn_model *m, rfdn_model_info *info)
{
    if (m && info)
        *info = m->info;
}

const char *rfdn_model_get_metadata(const rfdn_model *m, const char *key)
{
    if (!m || !key)
        return NULL;
    for (size_t i = 0; i < m->n_meta; i++)
        if (!strcmp(m->meta[i].key, key))
            return m->meta[i].value;
    return NULL;
}
