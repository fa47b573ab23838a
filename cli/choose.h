/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which model upscales each input of the CLI (cli/choose.c). */
#ifndef RFDN_CLI_CHOOSE_H
#define RFDN_CLI_CHOOSE_H

#include <stdbool.h>

#include "content.h"
#include "imageio.h"
#include "modelstore.h"

typedef struct rfdn_chooser {
    rfdn_model_store *store;
    const char *name;     /* --model */
    int scale;            /* --scale, or the model file's */
    const char *file;     /* --model-file or --official: every input, no choice */
    bool scale_given;     /* --scale given: a file of another scale is an error */
    bool official;        /* `file` is --official's: it must be E-RFDN x4 */
    rfdn_content content; /* --content */
    bool quiet;
    bool noted;           /* the missing-photo-model note was printed */
    const char *used;     /* the file of the context returned last (the store's) */
} rfdn_chooser;

/* The context for the clean model (the photo one with --content photo, or
 * the file), loaded before any input so that a missing or bad model is
 * reported first; sets c->scale from the model.  NULL after printing the
 * error. */
rfdn_context *rfdn_choose_first(rfdn_chooser *c);

/* The context for one input: the file's, or the variant --content asks for
 * (auto: content.h's rule on the file and its pixels).  *why (g_free; NULL
 * with a model file) says which variant and why.  NULL after printing the
 * error. */
rfdn_context *rfdn_choose(rfdn_chooser *c, const char *input, const rfdn_io_image *in,
                          char **why);

#endif
