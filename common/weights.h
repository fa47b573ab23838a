/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which weights a model holds, in the words every front end shows (the CLI's
 * `models` and `eval`, the app's result label): the project's own (trained
 * by tools/train, the file's "source" says so), the authors' (the official
 * E-RFDN x4 file, configured or given), or others (a file of the user's).
 * A user comparing results needs to know which of them ran (issue 28).
 */
#ifndef RFDN_WEIGHTS_H
#define RFDN_WEIGHTS_H

#include <glib.h>

#include "rfdn.h"

G_BEGIN_DECLS

/* "own weights", "the authors' weights" or "other weights" (translated,
 * static).  `official`: the file was the official one (--official, or
 * the configured file for e-rfdn x4). */
const char *rfdn_weights_whose(const rfdn_model *model, gboolean official);

/* Whether `path` is the configured official file (modelpath.h). */
gboolean rfdn_weights_is_official_path(const char *path);

/* "E-RFDN x2 photo, own weights" (g_free). */
char *rfdn_weights_describe(const rfdn_model *model, gboolean official);

G_END_DECLS

#endif
