/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_raw MODEL IN.raw OUT.raw: runs rfdn_upscale (default settings) on
 * a raw image written by pngtool.py decode and writes the result in the same
 * raw format, so the CLI's files can be compared with the engine's pixels
 * through an independent PNG decoder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfdn.h"
#include "testutil.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: engine_raw MODEL IN.raw OUT.raw\n");
        return 2;
    }
    char err[512];
    rfdn_model *m;
    if (rfdn_model_load(argv[1], &m, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    size_t n;
    uint8_t *raw = read_file(argv[2], &n);
    int32_t hdr[4];
    if (!raw || n < 20 || memcmp(raw, "RAW1", 4)) {
        fprintf(stderr, "%s: not a raw image\n", argv[2]);
        return 1;
    }
    memcpy(hdr, raw + 4, 16);
    const int w = hdr[0], h = hdr[1], c = hdr[2], b = hdr[3] / 8;
    if (n != 20 + (size_t)w * h * c * b) {
        fprintf(stderr, "%s: wrong size\n", argv[2]);
        return 1;
    }
    int ow, oh;
    rfdn_context *ctx;
    rfdn_settings st;
    rfdn_settings_default(&st);
    if (rfdn_output_size(m, w, h, &ow, &oh) || rfdn_context_create(m, &st, &ctx)) {
        fprintf(stderr, "cannot set up the engine\n");
        return 1;
    }
    uint8_t *out = malloc(20 + (size_t)ow * oh * c * b);
    rfdn_image in = {w, h, c, b == 2 ? RFDN_SAMPLE_U16 : RFDN_SAMPLE_U8, (size_t)w * c * b,
                     raw + 20};
    rfdn_image o = {ow, oh, c, in.format, (size_t)ow * c * b, out + 20};
    if (!out || rfdn_upscale(ctx, &in, &o) != RFDN_OK) {
        fprintf(stderr, "upscale failed: %s\n", rfdn_context_error(ctx));
        return 1;
    }
    int32_t oh4[4] = {ow, oh, c, b * 8};
    memcpy(out, "RAW1", 4);
    memcpy(out + 4, oh4, 16);
    FILE *f = fopen(argv[3], "wb");
    if (!f || fwrite(out, 1, 20 + (size_t)ow * oh * c * b, f) != 20 + (size_t)ow * oh * c * b ||
        fclose(f)) {
        fprintf(stderr, "%s: cannot write\n", argv[3]);
        return 1;
    }
    free(out);
    free(raw);
    rfdn_context_free(ctx);
    rfdn_model_unref(m);
    return 0;
}
