/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The smallest program on the installed engine (scripts/test-debs.sh builds
 * it with `pkg-config --cflags --libs rfdn`): a gray 8x6 image upscaled by
 * the model given; prints the output's size. */
#include <rfdn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    rfdn_model *m;
    rfdn_context *c;
    char err[256];
    unsigned char in[8 * 6], out[8 * 6 * 16];
    for (int i = 0; i < 8 * 6; i++)
        in[i] = (unsigned char)(i * 5);
    if (argc < 2 || rfdn_model_load(argv[1], &m, err, sizeof err) != RFDN_OK ||
        rfdn_context_create(m, NULL, &c) != RFDN_OK)
        return fprintf(stderr, "cannot load the model: %s\n", argc < 2 ? "none given" : err), 1;
    int w, h;
    rfdn_output_size(m, 8, 6, &w, &h);
    const rfdn_image a = {8, 6, 1, RFDN_SAMPLE_U8, 8, in}, b = {w, h, 1, RFDN_SAMPLE_U8, w, out};
    const rfdn_status s = w * h <= (int)sizeof out ? rfdn_upscale(c, &a, &b) : RFDN_ERROR_TOO_LARGE;
    printf("%s %dx%d (engine %s)\n", rfdn_status_string(s), w, h, rfdn_version());
    rfdn_context_free(c);
    rfdn_model_unref(m);
    return s != RFDN_OK;
}
