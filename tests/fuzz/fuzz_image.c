/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: an image file's bytes through what the front ends do
 * with a file (common/imageio.c): probe, load (a pixel limit, as the app
 * sets one), and when it loads, save in every format we write and load the
 * PNG back.  libvips is restricted to our trusted loaders (rfdn_io_init),
 * so this is the attack surface a hostile file meets.
 *   meson setup build-fuzz -Dfuzz=true ... (see tests/fuzz/README.md)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "imageio.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the target's folder for its files, made once (a fuzzing process's
 * one-time setup: libFuzzer calls the target from one thread) */
static char *dir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (!rfdn_io_init((*argv)[0], NULL))
        abort();
    dir = g_dir_make_tmp("rfdn-fuzz-image-XXXXXX", NULL);
    if (!dir)
        abort();
    return 0;
}

static void save_as(const rfdn_io_image *im, const char *name)
{
    char *p = g_build_filename(dir, name, NULL);
    const rfdn_io_save_options so = {.overwrite = TRUE};
    rfdn_io_save(im, p, &so, NULL);
    g_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = g_build_filename(dir, "input", NULL);
    if (!g_file_set_contents(in, (const char *)data, (gssize)size, NULL))
        abort();
    int w, h, c, bits;
    rfdn_io_probe(in, &w, &h, &c, &bits, NULL);
    rfdn_io_image *im = rfdn_io_load(in, (uint64_t)1 << 20, NULL);
    if (im) {
        static const char *const outs[] = {"o.png", "o.jpg", "o.webp", "o.tif"};
        for (size_t i = 0; i < G_N_ELEMENTS(outs); i++)
            save_as(im, outs[i]);
        char *png = g_build_filename(dir, "o.png", NULL);
        rfdn_io_image *back = rfdn_io_load(png, 0, NULL);
        if (back && (back->width != im->width || back->height != im->height))
            abort(); /* what we wrote must read back at its size */
        rfdn_io_image_free(back);
        g_free(png);
        rfdn_io_image_free(im);
    }
    g_free(in);
    return 0;
}
