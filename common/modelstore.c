/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The model store of modelstore.h: models cached by file, and one context
 * alive at a time, so that a batch switching between clean and photo keeps
 * the session's memory budget instead of one budget per model.
 */
#include "modelstore.h"


#include <string.h>
#include <glib/gi18n-lib.h>

#include "modelpath.h"

struct rfdn_model_store {
    rfdn_settings settings;
    char *official;
    GHashTable *models; /* file path -> rfdn_model */
    rfdn_context *ctx;  /* the context alive, of the model at ctx_path */
    char *ctx_path;
};

static void unref_model(gpointer p)
{
    rfdn_model_unref(p);
}

rfdn_model_store *rfdn_model_store_new(const rfdn_settings *settings, const char *official)
{
    rfdn_model_store *s = g_new0(rfdn_model_store, 1);
    if (settings)
        s->settings = *settings;
    else
        rfdn_settings_default(&s->settings);
    s->official = g_strdup(official);
    s->models = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, unref_model);
    return s;
}

void rfdn_model_store_free(rfdn_model_store *s)
{
    if (!s)
        return;
    rfdn_context_free(s->ctx);
    g_free(s->ctx_path);
    g_hash_table_destroy(s->models);
    g_free(s->official);
    g_free(s);
}

/* every field of rfdn_settings is compared below: a new one must be too */
_Static_assert(sizeof(rfdn_settings) == 2 * sizeof(int) + sizeof(size_t) + sizeof(unsigned) +
                                           sizeof(rfdn_alpha_mode) + 2 * sizeof(void *),
               "rfdn_settings has a new field: compare it in rfdn_model_store_set_settings");

void rfdn_model_store_set_settings(rfdn_model_store *s, const rfdn_settings *settings)
{
    const rfdn_settings *o = &s->settings;
    if (o->threads == settings->threads && o->tile_size == settings->tile_size &&
        o->memory_budget == settings->memory_budget && o->cpu_mask == settings->cpu_mask &&
        o->alpha == settings->alpha && o->log == settings->log && o->log_user == settings->log_user)
        return;
    s->settings = *settings;
    rfdn_context_free(s->ctx);
    s->ctx = NULL;
    g_clear_pointer(&s->ctx_path, g_free);
}

/* The context for a file: the one alive, or a new one (the old one freed)
 * for the model, loaded once. */
static rfdn_context *context_of(rfdn_model_store *s, const char *path, GError **error)
{
    if (s->ctx && !strcmp(s->ctx_path, path))
        return s->ctx;
    rfdn_model *m = g_hash_table_lookup(s->models, path);
    if (!m) {
        char msg[512];
        if (rfdn_model_load(path, &m, msg, sizeof msg) != RFDN_OK) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("cannot load the model: %s"),
                        msg);
            return NULL;
        }
        g_hash_table_insert(s->models, g_strdup(path), m);
    }
    rfdn_context_free(s->ctx);
    g_clear_pointer(&s->ctx_path, g_free);
    s->ctx = NULL;
    rfdn_status st = rfdn_context_create(m, &s->settings, &s->ctx);
    if (st != RFDN_OK) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, rfdn_status_string(st));
        return NULL;
    }
    s->ctx_path = g_strdup(path);
    return s->ctx;
}

rfdn_context *rfdn_model_store_get(rfdn_model_store *s, const char *name, int scale,
                                   rfdn_content variant, const char **path, char **note,
                                   GError **error)
{
    if (note)
        *note = NULL;
    char *file = NULL;
    if (variant == RFDN_CONTENT_PHOTO) {
        file = rfdn_installed_variant(name, scale, TRUE);
        if (!file && note) {
            char *want = rfdn_model_file_name(name, scale, TRUE);
            *note = g_strdup_printf(_("no photo model for %s x%d is installed (%s): the clean "
                                      "model is used"),
                                    name, scale, want);
            g_free(want);
        }
    }
    if (!file)
        file = rfdn_find_model(name, scale, s->official, error);
    if (!file)
        return NULL;
    rfdn_context *ctx = context_of(s, file, error);
    g_free(file);
    if (ctx && path)
        *path = s->ctx_path;
    return ctx;
}

rfdn_context *rfdn_model_store_get_file(rfdn_model_store *s, const char *path, GError **error)
{
    return context_of(s, path, error);
}
