/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run_fixture MODEL IN.bin OUT.bin: runs the C network on a fixture's input
 * and writes a fixture with the C output (used by test_official.py). */
#include "internal.h"
#include "testutil.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: run_fixture MODEL IN.bin OUT.bin\n");
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
    if (!raw || n < 24 || memcmp(raw, "RFDNFIX1", 8)) {
        fprintf(stderr, "%s: not a fixture\n", argv[2]);
        return 1;
    }
    memcpy(hdr, raw + 8, 16);
    const int w = hdr[0], h = hdr[1], s = m->info.scale;
    const size_t nx = 3 * (size_t)w * h, ny = nx * s * s;
    if (n < 24 + 4 * nx) {
        fprintf(stderr, "%s: truncated\n", argv[2]);
        return 1;
    }
    float *x = malloc(4 * nx), *y = malloc(4 * ny);
    float *S = malloc(sizeof(float) * rfdn_net_scratch_floats(m, w, h));
    memcpy(x, raw + 24, 4 * nx);
    rfdn_net_forward(m, S, x, w, h, y, NULL);
    FILE *f = fopen(argv[3], "wb");
    int32_t oh[4] = {w, h, 3, s};
    int ok = f && fwrite("RFDNFIX1", 1, 8, f) == 8 && fwrite(oh, 4, 4, f) == 4 &&
             fwrite(x, 4, nx, f) == nx && fwrite(y, 4, ny, f) == ny;
    if (f)
        ok &= fclose(f) == 0;
    free(x);
    free(y);
    free(S);
    free(raw);
    rfdn_model_unref(m);
    return ok ? 0 : 1;
}
