/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common/modelstore.c: one context alive and reused while the settings
 * stay, a new one made with the new settings when they change (the GIMP
 * dialogs change tile size and threads between their preview and their
 * run), and the model file loaded once.  The tiles the engine reports show
 * which tile size a context has.
 *   test_modelstore MODEL.safetensors
 */
#include <stdio.h>
#include <string.h>

#include "modelstore.h"
#include "okcheck.h"

static void count_tile(void *user, int x, int y, int w, int h)
{
    ++*(int *)user;
}

/* The tiles one upscale of a 64 x 48 image takes with the store's context. */
static int tiles_of(rfdn_model_store *s, const char *path, rfdn_context **out)
{
    GError *err = NULL;
    rfdn_context *ctx = rfdn_model_store_get_file(s, path, &err);
    *out = ctx;
    if (!ctx) {
        printf("FAIL %s\n", err->message);
        g_error_free(err);
        return -1;
    }
    rfdn_model_info info;
    rfdn_model_get_info(rfdn_context_get_model(ctx), &info);
    const int w = 64, h = 48, sc = info.scale;
    guint8 *in = g_malloc0(w * h * 3), *outp = g_malloc0((gsize)w * sc * h * sc * 3);
    const rfdn_image i = {w, h, 3, RFDN_SAMPLE_U8, w * 3, in};
    const rfdn_image o = {w * sc, h * sc, 3, RFDN_SAMPLE_U8, w * sc * 3, outp};
    int n = 0;
    rfdn_context_set_tile_callback(ctx, count_tile, &n);
    const rfdn_status st = rfdn_upscale(ctx, &i, &o);
    rfdn_context_set_tile_callback(ctx, NULL, NULL);
    g_free(in);
    g_free(outp);
    return st == RFDN_OK ? n : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_modelstore MODEL.safetensors\n");
        return 2;
    }
    rfdn_settings set;
    rfdn_settings_default(&set);
    set.threads = 1;
    rfdn_model_store *s = rfdn_model_store_new(&set, NULL);
    rfdn_context *a, *b, *c;
    const int whole = tiles_of(s, argv[1], &a);
    CHECK(whole == 1, "automatic tile size: the small image in one tile (%d)", whole);
    rfdn_model_store_set_settings(s, &set);
    const int again = tiles_of(s, argv[1], &b);
    CHECK(a == b && again == 1, "the same settings: the same context, kept");
    const rfdn_model *m = rfdn_context_get_model(b);
    set.tile_size = 16;
    rfdn_model_store_set_settings(s, &set);
    const int small = tiles_of(s, argv[1], &c);
    CHECK(small == 12, "tile size 16: a new context with the new tiles (%d, want 4 x 3)", small);
    CHECK(c && rfdn_context_get_model(c) == m, "... over the model loaded before (loaded once)");
    set.tile_size = 0;
    rfdn_model_store_set_settings(s, &set);
    CHECK(tiles_of(s, argv[1], &c) == 1, "and back: automatic again");
    rfdn_model_store_free(s);
    return fails ? 1 : 0;
}
