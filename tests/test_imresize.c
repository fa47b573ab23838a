/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MATLAB-compatible bicubic downscaling in C (common/imageops.c) must
 * reproduce the LR images of ../shared/datasets/eval byte for byte, at x2, x3
 * and x4, for Set5 and Set14.  Skips (77) where the dataset is absent.
 *   test_imresize EVAL_DIR
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <string.h>

#include "imageops.h"

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    if (!g_file_test(argv[1], G_FILE_TEST_IS_DIR)) {
        printf("SKIP: %s not found\n", argv[1]);
        return 77;
    }
    int failures = 0, checked = 0;
    const char *sets[] = {"Set5", "Set14"};
    for (int si = 0; si < 2; si++)
        for (int s = 2; s <= 4; s++) {
            char *hrdir = g_build_filename(argv[1], sets[si], "HR", NULL);
            GDir *d = g_dir_open(hrdir, 0, NULL);
            const char *name;
            while (d && (name = g_dir_read_name(d))) {
                char *hp = g_build_filename(hrdir, name, NULL);
                char *lrdir = g_strdup_printf("LR_x%d", s);
                char *lp = g_build_filename(argv[1], sets[si], lrdir, name, NULL);
                GdkPixbuf *hr = gdk_pixbuf_new_from_file(hp, NULL);
                GdkPixbuf *lr = gdk_pixbuf_new_from_file(lp, NULL);
                int ok = hr && lr;
                if (ok) {
                    const int w = gdk_pixbuf_get_width(hr) / s * s;
                    const int h = gdk_pixbuf_get_height(hr) / s * s;
                    const int nc = gdk_pixbuf_get_n_channels(hr);
                    guchar *out = g_malloc((size_t)(w / s) * (h / s) * nc);
                    ok = rfdn_imresize_down(gdk_pixbuf_read_pixels(hr), w, h, nc,
                                            gdk_pixbuf_get_rowstride(hr), s, out) == 0 &&
                         gdk_pixbuf_get_width(lr) == w / s && gdk_pixbuf_get_height(lr) == h / s &&
                         gdk_pixbuf_get_n_channels(lr) == nc;
                    for (int y = 0; ok && y < h / s; y++)
                        ok = !memcmp(out + (size_t)y * (w / s) * nc,
                                     gdk_pixbuf_read_pixels(lr) +
                                         (size_t)y * gdk_pixbuf_get_rowstride(lr),
                                     (size_t)(w / s) * nc);
                    g_free(out);
                }
                printf("%-5s %-6s x%d %-16s %s\n", ok ? "ok" : "FAIL", sets[si], s, name,
                       ok ? "identical" : "differs");
                failures += !ok;
                checked++;
                if (hr)
                    g_object_unref(hr);
                if (lr)
                    g_object_unref(lr);
                g_free(hp);
                g_free(lp);
                g_free(lrdir);
            }
            if (d)
                g_dir_close(d);
            g_free(hrdir);
        }
    if (!checked) {
        printf("FAIL: no images found\n");
        return 1;
    }
    return failures ? 1 : 0;
}
