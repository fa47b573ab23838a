/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model store of modelstore.h: a cache of contexts by model file. */
#include "modelstore.h"

#include "modelpath.h"

struct rfdn_model_store {
    rfdn_settings settings;
    char *official;
    GHashTable *by_path; /* file path -> rfdn_context */
};

static void free_context(gpointer p)
{
    rfdn_context_free(p);
}

rfdn_model_store *rfdn_model_store_new(const rfdn_settings *settings, const char *official)
{
    rfdn_model_store *s = g_new0(rfdn_model_store, 1);
    if (settings)
        s->settings = *settings;
    else
        rfdn_settings_default(&s->settings);
    s->official = g_strdup(official);
    s->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_context);
    return s;
}

void rfdn_model_store_free(rfdn_model_store *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->by_path);
    g_free(s->official);
    g_free(s);
}

/* The context for a file, from the cache or loaded; its key in *key. */
static rfdn_context *context_of(rfdn_model_store *s, const char *path, const char **key,
                                GError **error)
{
    gpointer k, v;
    if (g_hash_table_lookup_extended(s->by_path, path, &k, &v)) {
        if (key)
            *key = k;
        return v;
    }
    char msg[512];
    rfdn_model *m = NULL;
    if (rfdn_model_load(path, &m, msg, sizeof msg) != RFDN_OK) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "cannot load the model: %s", msg);
        return NULL;
    }
    rfdn_context *ctx = NULL;
    rfdn_status st = rfdn_context_create(m, &s->settings, &ctx);
    rfdn_model_unref(m);
    if (st != RFDN_OK) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, rfdn_status_string(st));
        return NULL;
    }
    char *dup = g_strdup(path);
    g_hash_table_insert(s->by_path, dup, ctx);
    if (key)
        *key = dup;
    return ctx;
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
            *note = g_strdup_printf("no photo model for %s x%d is installed (%s): the clean "
                                    "model is used",
                                    name, scale, want);
            g_free(want);
        }
    }
    if (!file)
        file = rfdn_find_model(name, scale, s->official, error);
    if (!file)
        return NULL;
    rfdn_context *ctx = context_of(s, file, path, error);
    g_free(file);
    return ctx;
}

rfdn_context *rfdn_model_store_get_file(rfdn_model_store *s, const char *path, GError **error)
{
    return context_of(s, path, NULL, error);
}
