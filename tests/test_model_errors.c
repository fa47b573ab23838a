/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Bad model files: truncated, corrupt, wrong shapes, wrong metadata, NaNs,
 * random damage, allocation failures.  Each must be refused with
 * RFDN_ERROR_BAD_MODEL (or IO / NO_MEMORY) and a message naming the problem;
 * nothing may crash or read out of bounds (the suite runs under ASan/UBSan).
 *
 *   test_model_errors GOOD_MODEL.safetensors
 */
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

static uint8_t *good;
static size_t good_size;
static char *header; /* the JSON header of the good file, NUL-terminated */
static size_t hlen;

/* Loads bytes; checks the status and that the message contains `needle`. */
static void expect(const uint8_t *buf, size_t n, rfdn_status want, const char *needle,
                   const char *what)
{
    char err[512] = "unset";
    rfdn_model *m = (rfdn_model *)1;
    rfdn_status st = rfdn_model_load_memory(buf, n, &m, err, sizeof err);
    CHECK(st == want, "%s: status %d (%s), expected %d; message: %s", what, st,
          rfdn_status_string(st), want, err);
    if (want != RFDN_OK) {
        CHECK(m == NULL, "%s: model not NULL on failure", what);
        CHECK(strstr(err, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what, err,
              needle);
    }
    rfdn_model_unref(st == RFDN_OK ? m : NULL);
}

/* The good file with its header text replaced: `from` -> `to` (first
 * occurrence), header length fixed up. */
static uint8_t *with_header_edit(const char *from, const char *to, size_t *n)
{
    const char *at = strstr(header, from);
    if (!at) {
        CHECK(0, "fixture header lacks %s", from);
        return NULL;
    }
    size_t pre = (size_t)(at - header), fl = strlen(from), tl = strlen(to);
    size_t nh = hlen - fl + tl, data = good_size - 8 - hlen;
    uint8_t *b = malloc(8 + nh + data);
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)nh >> (8 * i));
    memcpy(b + 8, header, pre);
    memcpy(b + 8 + pre, to, tl);
    memcpy(b + 8 + pre + tl, at + fl, hlen - pre - fl);
    memcpy(b + 8 + nh, good + 8 + hlen, data);
    *n = 8 + nh + data;
    return b;
}

static void expect_edit(const char *from, const char *to, const char *needle)
{
    size_t n;
    uint8_t *b = with_header_edit(from, to, &n);
    if (!b)
        return;
    char what[256];
    snprintf(what, sizeof what, "edit %s -> %s", from, to);
    expect(b, n, RFDN_ERROR_BAD_MODEL, needle, what);
    free(b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_model_errors GOOD_MODEL\n");
        return 2;
    }
    good = read_file(argv[1], &good_size);
    if (!good) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | good[i];
    header = malloc(hlen + 1);
    memcpy(header, good + 8, hlen);
    header[hlen] = 0;

    /* the good file loads, and its metadata is readable */
    expect(good, good_size, RFDN_OK, "", "good file");
    {
        rfdn_model *m;
        CHECK(rfdn_model_load(argv[1], &m, NULL, 0) == RFDN_OK, "load from path");
        rfdn_model_info info;
        rfdn_model_get_info(m, &info);
        CHECK(info.arch == RFDN_ARCH_E_RFDN && info.scale == 2 && info.nf == 50 &&
                  info.blocks == 4 && info.attention == RFDN_ATTENTION_ESA &&
                  !info.block_residual && info.parameters == 417212,
              "info %d %d %d %d %zu", info.arch, info.scale, info.nf, info.blocks,
              info.parameters);
        CHECK(rfdn_model_get_metadata(m, "seed") && !rfdn_model_get_metadata(m, "nope"),
              "metadata lookup");
        rfdn_model_unref(m);
    }

    /* files that are not there or not files */
    {
        char err[256];
        rfdn_model *m;
        CHECK(rfdn_model_load("/nonexistent/model.safetensors", &m, err, sizeof err) ==
                      RFDN_ERROR_IO &&
                  strstr(err, "No such file"),
              "missing file: %s", err);
        CHECK(rfdn_model_load("/", &m, err, sizeof err) == RFDN_ERROR_IO, "directory: %s",
              err);
        CHECK(rfdn_model_load(argv[1], NULL, err, sizeof err) == RFDN_ERROR_INVALID_ARGUMENT,
              "NULL out");
    }

    /* truncation at every interesting place, and a sweep through the file */
    expect(good, 0, RFDN_ERROR_BAD_MODEL, "too short", "empty");
    expect(good, 7, RFDN_ERROR_BAD_MODEL, "too short", "7 bytes");
    expect(good, 8, RFDN_ERROR_BAD_MODEL, "header length", "8 bytes");
    expect(good, 8 + hlen / 2, RFDN_ERROR_BAD_MODEL, "header length", "half header");
    expect(good, 8 + hlen, RFDN_ERROR_BAD_MODEL, "data_offsets", "no data");
    expect(good, good_size - 1, RFDN_ERROR_BAD_MODEL, "data_offsets", "one byte short");
    for (size_t n = 0; n < good_size; n += good_size / 97 + 1)
        expect(good, n, RFDN_ERROR_BAD_MODEL, "", "truncation sweep");

    /* header length beyond the file, absurd, or too small */
    {
        uint8_t *b = malloc(good_size);
        memcpy(b, good, good_size);
        b[7] = 0x7f;
        expect(b, good_size, RFDN_ERROR_BAD_MODEL, "header length", "huge header length");
        memcpy(b, good, 8);
        b[0] = 1;
        b[1] = b[2] = b[3] = 0;
        expect(b, good_size, RFDN_ERROR_BAD_MODEL, "header length", "1-byte header");
        free(b);
    }

    /* JSON damage */
    expect_edit("{", "[", "JSON");
    expect_edit("\"__metadata__\":{", "\"__metadata__\":{{", "JSON");
    expect_edit("\"__metadata__\"", "\"__metadata_x\"", "__metadata__");
    expect_edit("\"dtype\"", "\"dtypo\"", "lacks dtype");

    /* wrong metadata */
    expect_edit("\"architecture\":\"e-rfdn\"", "\"architecture\":\"srcnn\"",
                "unknown architecture");
    expect_edit("\"scale\":\"2\"", "\"scale\":\"5\"", "unsupported scale");
    expect_edit("\"scale\":\"2\"", "\"scale\":\"2x\"", "unsupported scale");
    expect_edit("\"scale\":\"2\"", "\"scale\":2", "not a string");
    expect_edit("\"scale\":\"2\"", "\"scale\":\"4\"", "\"upsampler.0.");
    expect_edit("\"nf\":\"50\"", "\"nf\":\"48\"", "wrong shape");
    expect_edit("\"nf\":\"50\"", "\"nf\":\"100000\"", "unsupported nf");
    expect_edit("\"blocks\":\"4\"", "\"blocks\":\"3\"", "unexpected tensor \"B4.");
    expect_edit("\"blocks\":\"4\"", "\"blocks\":\"5\"", "c.0.weight\" has the wrong shape");
    expect_edit("\"blocks\":\"4\"", "\"blocks\":\"-1\"", "block count");
    expect_edit("\"attention\":\"esa\"", "\"attention\":\"cca\"", "unexpected tensor");
    expect_edit("\"attention\":\"esa\"", "\"attention\":\"none\"", "unknown attention");
    expect_edit("\"block_residual\":\"false\"", "\"block_residual\":\"maybe\"",
                "block_residual");
    expect_edit("\"input_range\":\"255\"", "\"input_range\":\"65535\"", "input_range");
    expect_edit("\"architecture\":\"e-rfdn\",", "", "lacks \"architecture\"");

    /* wrong tensors */
    expect_edit("\"fea_conv.bias\"", "\"fea_conv.biaz\"", "unexpected tensor \"fea_conv.biaz\"");
    expect_edit("\"shape\":[50,3,3,3]", "\"shape\":[50,3,3,2]", "fea_conv.weight\" has the wrong shape");
    expect_edit("\"shape\":[50,3,3,3]", "\"shape\":[50,3,9]", "wrong shape");
    expect_edit("\"shape\":[50,3,3,3]", "\"shape\":\"50\"", "lacks dtype, shape");
    expect_edit("\"dtype\":\"F16\"", "\"dtype\":\"I32\"", "unsupported dtype I32");
    expect_edit("\"dtype\":\"F16\"", "\"dtype\":\"F32\"", "data_offsets");
    expect_edit("\"data_offsets\":[0,", "\"data_offsets\":[-2,", "data_offsets");
    expect_edit("\"data_offsets\":[0,", "\"data_offsets\":[99999999999999999999,", "data_offsets");
    expect_edit("\"data_offsets\":[0,", "\"data_offsets\":[1.5,", "data_offsets");
    expect_edit("\"data_offsets\":[0,", "\"data_offsets\":[0,0,", "data_offsets");

    /* a tensor appearing twice: rename another tensor onto an existing name */
    expect_edit("\"B1.c1_d.bias\"", "\"B1.c1_r.bias\"", "");

    /* non-finite weights */
    {
        uint8_t *b = malloc(good_size);
        memcpy(b, good, good_size);
        memset(b + good_size - 64, 0xff, 64); /* F16 0xffff is NaN */
        expect(b, good_size, RFDN_ERROR_BAD_MODEL, "NaN", "NaN weights");
        free(b);
    }

    /* random damage: any result but a crash; most must be refused */
    {
        uint64_t r = 88172645463325252ull;
        uint8_t *b = malloc(good_size);
        for (int it = 0; it < 300; it++) {
            memcpy(b, good, good_size);
            int flips = 1 + (int)(r % 4);
            for (int k = 0; k < flips; k++) {
                r ^= r << 13, r ^= r >> 7, r ^= r << 17;
                size_t pos = it & 1 ? 8 + r % hlen : r % good_size; /* header half the time */
                b[pos] ^= (uint8_t)(1u << (r >> 40) % 8);
            }
            char err[256];
            rfdn_model *m = NULL;
            rfdn_status st = rfdn_model_load_memory(b, good_size, &m, err, sizeof err);
            CHECK(st == RFDN_OK || st == RFDN_ERROR_BAD_MODEL, "fuzz status %d", st);
            CHECK((st == RFDN_OK) == (m != NULL), "fuzz model pointer");
            rfdn_model_unref(m);
        }
        free(b);
    }

    /* every engine allocation failing in turn: NO_MEMORY, no leak, no crash */
    {
        rfdn_test_fail_alloc_at(0);
        rfdn_model *m = NULL;
        CHECK(rfdn_model_load_memory(good, good_size, &m, NULL, 0) == RFDN_OK, "count");
        unsigned long total = rfdn_test_fail_alloc_at(0);
        rfdn_model_unref(m);
        CHECK(total > 3, "only %lu allocations counted", total);
        for (unsigned long i = 1; i <= total; i++) {
            rfdn_test_fail_alloc_at(i);
            char err[256] = "";
            rfdn_status st = rfdn_model_load_memory(good, good_size, &m, err, sizeof err);
            CHECK(st == RFDN_ERROR_NO_MEMORY && !m && strstr(err, "out of memory"),
                  "allocation %lu failing: status %d, %s", i, st, err);
        }
        rfdn_test_fail_alloc_at(0);
    }

    free(header);
    free(good);
    if (test_failures)
        fprintf(stderr, "%d check(s) failed\n", test_failures);
    else
        printf("all model-file checks passed\n");
    return test_failures ? 1 : 0;
}
