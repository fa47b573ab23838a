/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The batch planner of batchplan.h. */
#include "batchplan.h"


#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>

static void item_free(gpointer p)
{
    rfdn_plan_item *it = p;
    g_free(it->input);
    g_free(it->rel);
    g_free(it->output);
    g_free(it->problem);
    g_free(it);
}

GPtrArray *rfdn_plan_new(void)
{
    return g_ptr_array_new_with_free_func(item_free);
}

static void add_item(GPtrArray *items, const char *input, const char *rel)
{
    rfdn_plan_item *it = g_new0(rfdn_plan_item, 1);
    it->input = g_strdup(input);
    it->rel = g_strdup(rel);
    g_ptr_array_add(items, it);
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean scan(GPtrArray *items, const char *dir, const char *rel, gboolean recursive,
                     int depth)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return FALSE;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d)))
        if (e[0] != '.')
            g_ptr_array_add(names, g_strdup(e));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_str);
    for (guint i = 0; i < names->len; i++) {
        const char *n = names->pdata[i];
        char *p = g_build_filename(dir, n, NULL);
        char *r = rel ? g_build_filename(rel, n, NULL) : g_strdup(n);
        if (g_file_test(p, G_FILE_TEST_IS_DIR)) {
            if (recursive && depth < 16)
                scan(items, p, r, recursive, depth + 1);
        } else if (rfdn_io_format_from_path(n) != RFDN_IO_FORMAT_NONE) {
            add_item(items, p, r);
        }
        g_free(p);
        g_free(r);
    }
    g_ptr_array_free(names, TRUE);
    return TRUE;
}

gboolean rfdn_plan_add(GPtrArray *items, const char *path, gboolean recursive)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR))
        return scan(items, path, NULL, recursive, 0);
    char *base = g_path_get_basename(path);
    add_item(items, path, base);
    g_free(base);
    return TRUE;
}

char *rfdn_plan_output_name(const char *outdir, const char *rel, rfdn_io_format format,
                            const char *suffix)
{
    char *stem = g_strdup(rel);
    char *dot = strrchr(stem, '.'), *slash = strrchr(stem, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    rfdn_io_format f = format ? format : rfdn_io_format_from_path(rel);
    char *name = g_strdup_printf("%s%s.%s", stem, suffix ? suffix : "",
                                 rfdn_io_format_extension(f ? f : RFDN_IO_PNG));
    char *out = g_build_filename(outdir, name, NULL);
    g_free(name);
    g_free(stem);
    return out;
}

static gboolean same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* A regular file there now. */
static gboolean file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* "NAME (2).EXT", "(3)" ...: the first name that is neither on disk, nor
 * planned, nor any input's own output name (another input's result, in
 * this part of a sharded batch or in another, keeps its name) (g_free). */
static char *free_name(const char *path, GHashTable *outs, GHashTable *own)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    const size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    for (int n = 2;; n++) {
        char *p = g_strdup_printf("%.*s (%d)%s", (int)stem, path, n, path + stem);
        if (!file_exists(p) && !g_hash_table_contains(outs, p) && !g_hash_table_contains(own, p))
            return p;
        g_free(p);
    }
}

static gboolean is_an_input(GPtrArray *items, const char *out)
{
    for (guint l = 0; l < items->len; l++) {
        const rfdn_plan_item *o = items->pdata[l];
        if (!strcmp(out, o->input) || same_file(out, o->input))
            return TRUE;
    }
    return FALSE;
}

int rfdn_plan_outputs(GPtrArray *items, const rfdn_plan_options *o)
{
    GHashTable *outs = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *own = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int bad = 0;
    for (guint k = 0; k < items->len; k++) {
        rfdn_plan_item *it = items->pdata[k];
        g_clear_pointer(&it->problem, g_free);
        g_free(it->output);
        it->output = o->output ? g_strdup(o->output)
                               : rfdn_plan_output_name(o->outdir, it->rel, o->format, o->suffix);
        g_hash_table_add(own, g_strdup(it->output));
    }
    for (guint k = 0; k < items->len; k++) {
        rfdn_plan_item *it = items->pdata[k];
        char *why = NULL;
        it->skip = it->existed = FALSE;
        it->elsewhere = o->shards > 0 && (int)(k % (guint)o->shards) != o->shard - 1;
        if (!strcmp(it->output, "-"))
            ; /* standard output */
        else if (is_an_input(items, it->output))
            why = g_strdup_printf(_("%s: refusing to overwrite an input"), it->output);
        else if (g_hash_table_contains(outs, it->output))
            why = g_strdup_printf(_("%s: two inputs would be written to %s; skipped"), it->input,
                                  it->output);
        else if (!it->elsewhere && (it->existed = file_exists(it->output))) {
            if (o->existing == RFDN_EXISTING_ASK)
                why = g_strdup_printf("%s: exists%s", it->output,
                                      o->exists_hint ? o->exists_hint : "");
            else if (o->existing == RFDN_EXISTING_SKIP)
                it->skip = TRUE;
            else if (o->existing == RFDN_EXISTING_RENAME) {
                char *n = free_name(it->output, outs, own);
                g_free(it->output);
                it->output = n;
            }
        }
        if (why && it->elsewhere) {
            g_free(why); /* that part's run reports it */
            continue;
        }
        if (why) {
            it->problem = why;
            bad++;
            continue;
        }
        g_hash_table_add(outs, it->output);
    }
    g_hash_table_destroy(outs);
    g_hash_table_destroy(own);
    return bad;
}
