/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "modelpath.h"

#include <string.h>

#ifndef RFDN_MODELS_DIR
#define RFDN_MODELS_DIR "/usr/local/share/rfdn-upscaler/models"
#endif

GPtrArray *rfdn_model_dirs(void)
{
    GPtrArray *d = g_ptr_array_new_with_free_func(g_free);
    const char *env = g_getenv("RFDN_MODEL_DIR");
    if (env && *env)
        g_ptr_array_add(d, g_strdup(env));
    g_ptr_array_add(d, g_build_filename(g_get_user_data_dir(), "rfdn-upscaler", "models", NULL));
    g_ptr_array_add(d, g_strdup(RFDN_MODELS_DIR));
    return d;
}

char *rfdn_official_model_path(void)
{
    const char *env = g_getenv("RFDN_OFFICIAL_MODEL");
    if (env && *env)
        return g_strdup(env);
    char *path = g_build_filename(g_get_user_config_dir(), "rfdn-upscaler", "config", NULL);
    GKeyFile *kf = g_key_file_new();
    char *v = NULL;
    if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
        v = g_key_file_get_string(kf, "models", "official", NULL);
    g_key_file_free(kf);
    g_free(path);
    if (v && !*v)
        g_clear_pointer(&v, g_free);
    return v;
}

char *rfdn_model_file_name(const char *name, int scale, gboolean photo)
{
    return g_strdup_printf("%s-x%d%s.safetensors", name, scale, photo ? "-photo" : "");
}

static char *search(const char *name, int scale, gboolean photo, GPtrArray *dirs)
{
    char *file = rfdn_model_file_name(name, scale, photo), *found = NULL;
    for (guint i = 0; !found && i < dirs->len; i++) {
        char *p = g_build_filename(dirs->pdata[i], file, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
            found = p;
        else
            g_free(p);
    }
    g_free(file);
    return found;
}

char *rfdn_find_model(const char *name, int scale, const char *official, GError **error)
{
    const gboolean off = !strcmp(name, "e-rfdn") && scale == 4;
    if (off) {
        char *o = official ? g_strdup(official) : rfdn_official_model_path();
        if (o)
            return o;
    }
    GPtrArray *dirs = rfdn_model_dirs();
    char *found = search(name, scale, FALSE, dirs);
    if (!found) {
        GString *s = g_string_new(NULL);
        g_string_printf(s, "model %s x%d is not installed (no %s-x%d.safetensors in", name,
                        scale, name, scale);
        for (guint i = 0; i < dirs->len; i++)
            g_string_append_printf(s, "%s %s", i ? "," : "", (char *)dirs->pdata[i]);
        g_string_append(s, off ? "); the authors' weights can be used: rfdn-fetch-official "
                                 "downloads them"
                               : ")");
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, s->str);
        g_string_free(s, TRUE);
    }
    g_ptr_array_unref(dirs);
    return found;
}

char *rfdn_installed_model(const char *name, int scale)
{
    return rfdn_installed_variant(name, scale, FALSE);
}

char *rfdn_installed_variant(const char *name, int scale, gboolean photo)
{
    GPtrArray *dirs = rfdn_model_dirs();
    char *found = search(name, scale, photo, dirs);
    g_ptr_array_unref(dirs);
    return found;
}

gboolean rfdn_model_available(const char *name, int scale)
{
    char *p = rfdn_find_model(name, scale, NULL, NULL);
    gboolean ok = p && g_file_test(p, G_FILE_TEST_IS_REGULAR);
    g_free(p);
    return ok;
}
