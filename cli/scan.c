/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The image files of input folders, in a stable (sorted) order, for the
 * CLI's batches and its eval.
 */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "imageio.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_image_name(const char *name)
{
    return name[0] != '.' && rfdn_io_format_from_path(name) != RFDN_IO_FORMAT_NONE;
}

void rfdn_scan_dir(const char *dir, const char *rel, bool recursive, GPtrArray *out)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(e));
    g_dir_close(d);
    qsort(names->pdata, names->len, sizeof(char *), cmp_str);
    for (guint i = 0; i < names->len; i++) {
        const char *n = names->pdata[i];
        char *p = g_build_filename(dir, n, NULL);
        char *r = rel ? g_build_filename(rel, n, NULL) : g_strdup(n);
        if (g_file_test(p, G_FILE_TEST_IS_DIR)) {
            if (recursive && n[0] != '.')
                rfdn_scan_dir(p, r, recursive, out);
            g_free(p);
            g_free(r);
        } else if (is_image_name(n)) {
            g_ptr_array_add(out, p);
            g_ptr_array_add(out, r);
        } else {
            g_free(p);
            g_free(r);
        }
    }
    g_ptr_array_free(names, TRUE);
}

