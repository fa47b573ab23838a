/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CLI's model for each input: one model file for all (--model-file,
 * --official), or clean / photo per input from --content (issue 23), each
 * model loaded once by the session's store.
 */
#include "choose.h"

#include <stdio.h>
#include <string.h>

#define PROG "rfdn-upscale"

static void print_error(const rfdn_chooser *c, GError *err)
{
    const bool missing = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    fprintf(stderr, PROG ": %s%s\n", err->message,
            !missing ? ""
            : strcmp(c->name, "e-rfdn") || c->scale != 4
                ? "; use --model-file FILE for another model file"
                : " (or give --official FILE)");
    g_error_free(err);
}

static rfdn_context *get(rfdn_chooser *c, rfdn_content variant, bool *fell_back)
{
    GError *err = NULL;
    char *note = NULL;
    const char *used = c->file;
    rfdn_context *ctx = c->file ? rfdn_model_store_get_file(c->store, c->file, &err)
                                : rfdn_model_store_get(c->store, c->name, c->scale, variant,
                                                       &used, &note, &err);
    c->used = ctx ? used : NULL;
    if (!ctx)
        print_error(c, err);
    if (note && !c->noted && !c->quiet)
        fprintf(stderr, PROG ": %s\n", note);
    c->noted = c->noted || note;
    if (fell_back)
        *fell_back = note != NULL;
    g_free(note);
    return ctx;
}

rfdn_context *rfdn_choose_first(rfdn_chooser *c)
{
    /* --content photo: the photo model (or the clean one, noted); else the
     * clean one, which auto falls back to */
    rfdn_context *ctx = get(c, c->content == RFDN_CONTENT_PHOTO ? RFDN_CONTENT_PHOTO
                                                                 : RFDN_CONTENT_CLEAN, NULL);
    if (ctx) {
        rfdn_model_info info;
        rfdn_model_get_info(rfdn_context_get_model(ctx), &info);
        /* a file is what it is: say so rather than silently give x2 for -s 4 */
        if (c->official && (info.arch != RFDN_ARCH_E_RFDN || info.scale != 4)) {
            fprintf(stderr, PROG ": %s: --official takes the authors' E-RFDN x4 weights; this "
                                 "is an %s x%d model (use --model-file)\n",
                    c->file, info.arch == RFDN_ARCH_E_RFDN ? "E-RFDN" : "RFDN", info.scale);
            return NULL;
        }
        if (c->file && c->scale_given && info.scale != c->scale) {
            fprintf(stderr, PROG ": %s is an x%d model, not x%d (leave out --scale, or "
                                 "give an x%d model)\n",
                    c->file, info.scale, c->scale, c->scale);
            return NULL;
        }
        c->scale = info.scale;
    }
    return ctx;
}

rfdn_context *rfdn_choose(rfdn_chooser *c, const char *input, const rfdn_io_image *in,
                          char **why)
{
    *why = NULL;
    if (c->file)
        return get(c, RFDN_CONTENT_CLEAN, NULL);
    rfdn_content v = c->content;
    if (v == RFDN_CONTENT_AUTO) {
        const rfdn_image px = rfdn_io_engine_image(in);
        v = rfdn_content_guess(rfdn_jpeg_file_quality(input), &px, why);
    } else {
        *why = g_strdup_printf("%s model (--content %s)", rfdn_content_name(v),
                               rfdn_content_name(v));
    }
    bool fell_back = false;
    rfdn_context *ctx = get(c, v, &fell_back);
    if (ctx && fell_back) {
        char *w = g_strdup_printf("%s (not installed: the clean model is used)", *why);
        g_free(*why);
        *why = w;
    }
    return ctx;
}
