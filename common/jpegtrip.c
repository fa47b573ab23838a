/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JPEG round trip of jpegtrip.h, through libvips' jpegsave/jpegload. */
#include "jpegtrip.h"

#include <string.h>

#include <vips/vips.h>

static gboolean fail(GError **error, const char *what)
{
    const char *m = vips_error_buffer();
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "JPEG %s: %s", what,
                m && *m ? m : "unknown error");
    vips_error_clear();
    return FALSE;
}

gboolean rfdn_jpeg_roundtrip(const uint8_t *in, int w, int h, int channels, int quality,
                             uint8_t *out, GError **error)
{
    const size_t size = (size_t)w * h * channels;
    VipsImage *mem = vips_image_new_from_memory(in, size, w, h, channels, VIPS_FORMAT_UCHAR);
    VipsImage *img = NULL, *back = NULL;
    void *buf = NULL, *px = NULL;
    size_t len = 0, got = 0;
    gboolean ok = FALSE;
    if (!mem ||
        vips_copy(mem, &img, "interpretation",
                  channels == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, NULL) ||
        vips_jpegsave_buffer(img, &buf, &len, "Q", quality, "subsample_mode",
                             VIPS_FOREIGN_SUBSAMPLE_ON, NULL)) {
        fail(error, "encoding");
        goto out;
    }
    if (vips_jpegload_buffer(buf, len, &back, NULL) || !(px = vips_image_write_to_memory(back, &got))) {
        fail(error, "decoding");
        goto out;
    }
    if (got != size) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    "JPEG decoding: %zu bytes instead of %zu", got, size);
        goto out;
    }
    memcpy(out, px, size);
    ok = TRUE;
out:
    g_free(px);
    g_free(buf);
    if (back)
        g_object_unref(back);
    if (img)
        g_object_unref(img);
    if (mem)
        g_object_unref(mem);
    return ok;
}
