/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The models of one front-end session: found by name, scale and variant
 * (modelpath.h), each loaded once, and one context alive at a time made
 * from the session's settings (so a batch mixing clean and photo inputs
 * loads each model once and keeps one memory budget): asking for another
 * model frees the context returned before.  A photo variant that is not
 * installed falls back to the clean model with a note, never an error
 * (issue 23).  Not thread-safe: one thread uses a store (the contexts it
 * returns follow rfdn.h's rules).
 */
#ifndef RFDN_MODELSTORE_H
#define RFDN_MODELSTORE_H

#include <glib.h>

#include "content.h"
#include "rfdn.h"

G_BEGIN_DECLS

typedef struct rfdn_model_store rfdn_model_store;

/* `official`: the authors' E-RFDN x4 file for the clean e-rfdn x4, or NULL
 * for the configured one (modelpath.h). */
rfdn_model_store *rfdn_model_store_new(const rfdn_settings *settings, const char *official);
void rfdn_model_store_free(rfdn_model_store *s);

/* New settings for the contexts made from now on: the context alive is
 * freed when they differ from its own (a dialog's tile size or threads
 * changed between its preview and its run). */
void rfdn_model_store_set_settings(rfdn_model_store *s, const rfdn_settings *settings);

/*
 * The context of model `name` x`scale`, variant RFDN_CONTENT_CLEAN or
 * RFDN_CONTENT_PHOTO (AUTO counts as clean), owned by the store and valid
 * until the next call for another model.  When the photo model is not installed, the clean one is
 * returned and *note (when not NULL) set to a sentence saying so (g_free);
 * otherwise *note is NULL.  NULL with `error` set when the model cannot be
 * found (G_FILE_ERROR_NOENT, naming the folders) or loaded.  *path (when
 * not NULL) is set to the file used (owned by the store).
 */
rfdn_context *rfdn_model_store_get(rfdn_model_store *s, const char *name, int scale,
                                   rfdn_content variant, const char **path, char **note,
                                   GError **error);

/* The context of a model file given by path (--model-file), the same way. */
rfdn_context *rfdn_model_store_get_file(rfdn_model_store *s, const char *path, GError **error);

G_END_DECLS

#endif
