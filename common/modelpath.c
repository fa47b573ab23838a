/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the models are (modelpath.h); a program run from its build tree
 * takes the source tree's models/ for the installed folder. */
#include "modelpath.h"

#include <string.h>

#ifndef RFDN_MODELS_DIR
#define RFDN_MODELS_DIR "/usr/local/share/rfdn-upscaler/models"
#endif

/* The source tree's models/ when the running program is in a build tree:
 * the build root (up to three folders above the program) holds the file
 * RFDN_UNINSTALLED_MARK that meson writes there, naming that folder.  An
 * installed program has none above it.  No build path is compiled in.
 * RFDN_UNINSTALLED=0 turns it off (tests of a system without models). */
char *rfdn_uninstalled_models_dir(void)
{
    if (!g_strcmp0(g_getenv("RFDN_UNINSTALLED"), "0"))
        return NULL;
    char *exe = g_file_read_link("/proc/self/exe", NULL), *found = NULL;
    char *dir = exe ? g_path_get_dirname(exe) : NULL;
    for (int up = 0; dir && !found && up < 4; up++) {
        char *mark = g_build_filename(dir, RFDN_UNINSTALLED_MARK, NULL);
        GKeyFile *kf = g_key_file_new();
        if (g_key_file_load_from_file(kf, mark, G_KEY_FILE_NONE, NULL))
            found = g_key_file_get_string(kf, "uninstalled", "models", NULL);
        g_key_file_free(kf);
        g_free(mark);
        char *parent = g_path_get_dirname(dir);
        const gboolean top = !strcmp(parent, dir);
        g_free(dir);
        dir = top ? (g_free(parent), NULL) : parent;
    }
    g_free(dir);
    g_free(exe);
    if (found && !*found)
        g_clear_pointer(&found, g_free);
    return found;
}

GPtrArray *rfdn_model_dirs(void)
{
    GPtrArray *d = g_ptr_array_new_with_free_func(g_free);
    const char *env = g_getenv("RFDN_MODEL_DIR");
    if (env && *env)
        g_ptr_array_add(d, g_strdup(env));
    g_ptr_array_add(d, g_build_filename(g_get_user_data_dir(), "rfdn-upscaler", "models", NULL));
    char *src = rfdn_uninstalled_models_dir();
    g_ptr_array_add(d, src ? src : g_strdup(RFDN_MODELS_DIR));
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
