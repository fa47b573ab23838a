/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Image files on libvips, writing (see imageio.h): encoding with the
 * source's metadata, and the temporary file renamed into place. */
#include <errno.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <vips/vips.h>
#include <glib/gi18n-lib.h>

#include "imageio.h"
#include "imageio-private.h"

static char *vips_message(void)
{
    return rfdn_io_vips_message_or("unknown error");
}

/* The pixels the saver gets: 16-bit rounded to 8 for formats without 16
 * bits, alpha flattened onto white for JPEG.  Returns `im`'s own buffer
 * when nothing changes, else a new one (*owned set). */
static void *saveable_pixels(const rfdn_io_image *im, rfdn_io_format f, int *bands, int *bits,
                             gboolean *owned)
{
    const int c = im->channels;
    const gboolean to8 = im->bits == 16 && !rfdn_io_format_has_16bit(f);
    const gboolean flatten = f == RFDN_IO_JPEG && (c == 2 || c == 4);
    *bands = flatten ? c - 1 : c;
    *bits = to8 ? 8 : im->bits;
    *owned = FALSE;
    if (!to8 && !flatten)
        return im->pixels;
    const size_t n = (size_t)im->width * im->height;
    const int oc = *bands, ob = *bits / 8;
    uint8_t *out = g_try_malloc(n * oc * ob);
    if (!out)
        return NULL;
    *owned = TRUE;
    const uint32_t max = im->bits == 16 ? 65535 : 255;
    for (size_t i = 0; i < n; i++) {
        uint32_t v[4];
        for (int k = 0; k < c; k++)
            v[k] = im->bits == 16 ? ((const uint16_t *)im->pixels)[i * c + k]
                                  : ((const uint8_t *)im->pixels)[i * c + k];
        if (flatten) {
            const uint32_t a = v[c - 1];
            for (int k = 0; k < oc; k++)
                v[k] = (v[k] * a + max * (max - a) + max / 2) / max;
        }
        for (int k = 0; k < oc; k++) {
            uint32_t x = v[k];
            if (im->bits == 16 && *bits == 8)
                x = (x * 255 + 32767) / 65535;
            if (ob == 2)
                ((uint16_t *)out)[i * oc + k] = (uint16_t)x;
            else
                out[i * oc + k] = (uint8_t)x;
        }
    }
    return out;
}

/* libvips's progress on the image being encoded: the fraction done, and a
 * cancelled save killed (the encoder then fails at its next strip). */
static void on_encode_eval(VipsImage *image, VipsProgress *p, gpointer data)
{
    const rfdn_io_save_options *o = data;
    if (o->cancellable && g_cancellable_is_cancelled(o->cancellable))
        vips_image_set_kill(image, TRUE);
    else if (o->progress)
        o->progress(p->percent / 100.0, o->progress_user);
}

/* The source's profile, EXIF, XMP, IPTC, orientation and resolution unit. */
static void set_metadata(VipsImage *img, const rfdn_io_meta *m)
{
    GBytes *blobs[] = {m->icc, m->exif, m->xmp, m->iptc};
    const char *names[] = {VIPS_META_ICC_NAME, VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME,
                           VIPS_META_IPTC_NAME};
    for (int i = 0; i < 4; i++)
        if (blobs[i]) {
            size_t len;
            const void *d = g_bytes_get_data(blobs[i], &len);
            vips_image_set_blob_copy(img, names[i], d, len);
        }
    if (m->orientation)
        vips_image_set_int(img, VIPS_META_ORIENTATION, m->orientation);
    if (m->res_unit)
        vips_image_set_string(img, VIPS_META_RESOLUTION_UNIT, m->res_unit);
}

static int encode(const rfdn_io_image *im, rfdn_io_format f, const rfdn_io_save_options *o,
                  int fd, char **message)
{
    const int quality = o->quality;
    int bands, bits;
    gboolean owned;
    void *px = saveable_pixels(im, f, &bands, &bits, &owned);
    if (!px) {
        *message = g_strdup(_("out of memory"));
        return -1;
    }
    const size_t size = (size_t)im->width * im->height * bands * (bits / 8);
    VipsImage *mem =
        vips_image_new_from_memory(px, size, im->width, im->height, bands,
                                   bits == 16 ? VIPS_FORMAT_USHORT : VIPS_FORMAT_UCHAR);
    VipsImage *img = NULL;
    VipsTarget *target = NULL;
    int r = -1;
    if (!mem)
        goto out;
    const VipsInterpretation interp =
        bands >= 3 ? (bits == 16 ? VIPS_INTERPRETATION_RGB16 : VIPS_INTERPRETATION_sRGB)
                   : (bits == 16 ? VIPS_INTERPRETATION_GREY16 : VIPS_INTERPRETATION_B_W);
    const rfdn_io_meta *m = im->meta;
    const double xres = m && m->xres > 0 ? m->xres : 72 / 25.4;
    const double yres = m && m->yres > 0 ? m->yres : xres;
    if (vips_copy(mem, &img, "interpretation", interp, "xres", xres, "yres", yres, NULL))
        goto out;
    if (m)
        set_metadata(img, m);
    target = vips_target_new_to_descriptor(fd);
    if (!target)
        goto out;
    if (o->cancellable || o->progress) {
        vips_image_set_progress(img, TRUE);
        g_signal_connect(img, "eval", G_CALLBACK(on_encode_eval), (gpointer)o);
    }
    if (o->cancellable && g_cancellable_is_cancelled(o->cancellable))
        goto out;
    switch (f) {
    case RFDN_IO_PNG:
        r = vips_pngsave_target(img, target, "compression", 6, "bitdepth", bits, NULL);
        break;
    case RFDN_IO_JPEG:
        r = vips_jpegsave_target(img, target, "Q", quality ? quality : 92, "optimize_coding",
                                 TRUE, NULL);
        break;
    case RFDN_IO_WEBP:
        r = vips_webpsave_target(img, target, "Q", quality ? quality : 90, NULL);
        break;
    case RFDN_IO_TIFF:
        r = vips_tiffsave_target(img, target, "compression",
                                 VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE, "predictor",
                                 VIPS_FOREIGN_TIFF_PREDICTOR_HORIZONTAL, NULL);
        break;
    default:
        break;
    }
out:
    if (r && o->cancellable && g_cancellable_is_cancelled(o->cancellable)) {
        vips_error_clear();
        *message = g_strdup(_("cancelled"));
    } else if (r) {
        *message = vips_message();
    }
    if (target)
        g_object_unref(target);
    if (img)
        g_object_unref(img);
    if (mem)
        g_object_unref(mem);
    if (owned)
        g_free(px);
    return r;
}

/* Devices, FIFOs and stdout are written in place. */
static gboolean save_in_place(const rfdn_io_image *im, rfdn_io_format f,
                              const rfdn_io_save_options *o, const char *path,
                              gboolean to_stdout, GError **error)
{
    int fd = to_stdout ? STDOUT_FILENO : open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, _("cannot open: %s"),
                    g_strerror(errno));
        return FALSE;
    }
    char *msg = NULL;
    int r = encode(im, f, o, fd, &msg);
    if (!to_stdout && close(fd) != 0 && !r) {
        r = -1;
        msg = g_strdup(g_strerror(errno));
    }
    if (r)
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, _("cannot write: %s"), msg);
    g_free(msg);
    return r == 0;
}

/* Permissions: those of the file replaced, else the usual 0666 & ~umask. */
static mode_t new_file_mode(gboolean exists, const struct stat *st)
{
    if (exists)
        return st->st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* The encoded image into fd, which gets `mode` and is synced; non-zero
 * with *msg on failure. */
static int fill_file(const rfdn_io_image *im, rfdn_io_format f, const rfdn_io_save_options *o,
                     int fd, mode_t mode, char **msg)
{
    int r = encode(im, f, o, fd, msg);
    /* cancelled while the encoder ran without progress signals (WebP) or
     * after its last one: the file is not given its name */
    if (!r && o->cancellable && g_cancellable_is_cancelled(o->cancellable)) {
        r = -1;
        *msg = g_strdup(_("cancelled"));
    }
    if (!r && (fchmod(fd, mode) != 0 || fsync(fd) != 0)) {
        r = -1;
        *msg = g_strdup(g_strerror(errno));
    }
    return r;
}

/* fill_file, then fd closed. */
static int write_temp(const rfdn_io_image *im, rfdn_io_format f,
                      const rfdn_io_save_options *o, int fd, mode_t mode, char **msg)
{
    int r = fill_file(im, f, o, fd, mode, msg);
    if (close(fd) != 0 && !r) {
        r = -1;
        *msg = g_strdup(g_strerror(errno));
    }
    return r;
}

/* The finished temporary file renamed to path; non-zero with the error set
 * on failure. */
static int move_into_place(const char *tmp, const char *path, gboolean overwrite,
                           GError **error)
{
    int r;
    if (overwrite) {
        r = rename(tmp, path);
    } else {
        /* never replace a file that appeared meanwhile */
        r = renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
        if (r && errno == EINVAL) { /* file system without it */
            r = link(tmp, path);
            if (!r)
                unlink(tmp);
        }
    }
    if (r) {
        const int e = errno;
        g_set_error(error, RFDN_IO_ERROR, e == EEXIST ? RFDN_IO_ERROR_EXISTS : RFDN_IO_ERROR_WRITE,
                    "%s", e == EEXIST ? _("exists (use --overwrite to replace it)") : g_strerror(e));
    }
    return r;
}

/* A name for the finished unnamed file fd (O_TMPFILE): path itself when
 * there is no file to replace (linkat fails if one appeared meanwhile),
 * else, with `overwrite`, a temporary name renamed over it, which exists
 * only after the data are complete and for as long as a rename takes.
 * Non-zero with the error set on failure. */
static int link_unnamed(int fd, const char *dir, const char *base, const char *path,
                        gboolean overwrite, GError **error)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    const int direct = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
    if (!direct)
        return 0;
    if (!overwrite || errno != EEXIST) {
        const int e = errno;
        g_set_error(error, RFDN_IO_ERROR, e == EEXIST ? RFDN_IO_ERROR_EXISTS : RFDN_IO_ERROR_WRITE,
                    "%s", e == EEXIST ? _("exists (use --overwrite to replace it)") : g_strerror(e));
        return direct;
    }
    int r = -1;
    for (int i = 0; r && i < 100; i++) {
        char *tmp = g_strdup_printf("%s/.%s.%08x", dir, base, g_random_int());
        r = linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
        if (!r && move_into_place(tmp, path, TRUE, error) != 0) {
            g_unlink(tmp);
            g_free(tmp);
            return -1;
        }
        g_free(tmp);
        if (r && errno != EEXIST)
            break;
    }
    if (r)
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, "%s", g_strerror(errno));
    return r;
}

/* The output written to an unnamed file in its folder (O_TMPFILE) and
 * given its name once complete: a process killed while writing leaves
 * nothing behind.  FALSE with *tried FALSE where the file system (or a
 * missing /proc) does not allow it. */
static gboolean save_unnamed(const rfdn_io_image *im, rfdn_io_format f,
                             const rfdn_io_save_options *o, const char *dir, const char *base,
                             const char *path, mode_t mode, gboolean *tried, GError **error)
{
    *tried = FALSE;
    if (access("/proc/self/fd", X_OK) != 0)
        return FALSE;
    const int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return FALSE;
    *tried = TRUE;
    char *msg = NULL;
    int r = fill_file(im, f, o, fd, mode, &msg);
    if (!r)
        r = link_unnamed(fd, dir, base, path, o->overwrite, error);
    else
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, _("cannot write: %s"), msg);
    g_free(msg);
    close(fd);
    return r == 0;
}

/* A regular file (new or replaced) through a temporary file beside it, so
 * that a failed write leaves the old file or nothing: an unnamed one where
 * the file system has them, else a hidden named one. */
static gboolean save_via_temp(const rfdn_io_image *im, rfdn_io_format f,
                              const rfdn_io_save_options *o, const char *path, gboolean exists,
                              const struct stat *st, GError **error)
{
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    gboolean tried;
    gboolean ok = save_unnamed(im, f, o, dir, base, path, new_file_mode(exists, st), &tried,
                               error);
    char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd = tried ? -1 : g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
    if (tried) {
        /* done, or failed with the error set */
    } else if (fd < 0) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, _("cannot create the output: %s"),
                    g_strerror(errno));
    } else {
        char *msg = NULL;
        int r = write_temp(im, f, o, fd, new_file_mode(exists, st), &msg);
        if (!r)
            r = move_into_place(tmp, path, o->overwrite, error);
        else
            g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, _("cannot write: %s"), msg);
        g_free(msg);
        if (r)
            g_unlink(tmp);
        ok = r == 0;
    }
    g_free(tmp);
    g_free(dir);
    g_free(base);
    return ok;
}

gboolean rfdn_io_save(const rfdn_io_image *im, const char *path,
                      const rfdn_io_save_options *options, GError **error)
{
    rfdn_io_save_options o = {0};
    if (options)
        o = *options;
    const gboolean to_stdout = !strcmp(path, "-");
    rfdn_io_format f = o.format ? o.format : to_stdout ? RFDN_IO_FORMAT_NONE
                                                        : rfdn_io_format_from_path(path);
    if (f == RFDN_IO_FORMAT_NONE) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_UNSUPPORTED,
                    _("unknown output type (use .png, .jpg, .webp or .tif, or give the format)"));
        return FALSE;
    }
    if (o.quality < 0 || o.quality > 100) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_UNSUPPORTED,
                    _("the quality must be from 1 to 100"));
        return FALSE;
    }
    g_return_val_if_fail(im->stride == (size_t)im->width * im->channels * (im->bits / 8), FALSE);

    struct stat st;
    const gboolean exists = !to_stdout && stat(path, &st) == 0;
    if (to_stdout || (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
        return save_in_place(im, f, &o, path, to_stdout, error);
    if (exists && S_ISDIR(st.st_mode)) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_WRITE, _("is a folder"));
        return FALSE;
    }
    if (exists && !o.overwrite) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_EXISTS,
                    _("exists (use --overwrite to replace it)"));
        return FALSE;
    }
    GError *e = NULL;
    const gboolean ok = save_via_temp(im, f, &o, path, exists, &st, &e);
    if (!ok && o.cancellable && g_cancellable_is_cancelled(o.cancellable)) {
        g_clear_error(&e); /* (nothing was written: the temporary file is gone) */
        g_set_error_literal(&e, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("cancelled"));
    }
    if (e)
        g_propagate_error(error, e);
    return ok;
}
