/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Image files on libvips: see imageio.h.  Reading here, writing in
 * imagesave.c. */
#include "imageio.h"

#include "imageio-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <vips/vips.h>
#include <glib/gi18n-lib.h>

G_DEFINE_QUARK(rfdn-io-error-quark, rfdn_io_error)

static rfdn_io_meta *meta_ref(rfdn_io_meta *m)
{
    if (m)
        g_atomic_int_inc(&m->refs);
    return m;
}

static void meta_unref(rfdn_io_meta *m)
{
    if (!m || !g_atomic_int_dec_and_test(&m->refs))
        return;
    g_clear_pointer(&m->icc, g_bytes_unref);
    g_clear_pointer(&m->exif, g_bytes_unref);
    g_clear_pointer(&m->xmp, g_bytes_unref);
    g_clear_pointer(&m->iptc, g_bytes_unref);
    g_free(m->res_unit);
    g_free(m->note);
    g_free(m);
}

char *rfdn_io_vips_message_or(const char *fallback)
{
    const char *buf = vips_error_buffer();
    const char *unix_err = strstr(buf, "unix error: ");
    char *s = unix_err ? g_strndup(unix_err + 12, strcspn(unix_err + 12, "\n"))
                       : g_strndup(buf, strcspn(buf, "\n"));
    vips_error_clear();
    g_strstrip(s);
    if (!*s) {
        g_free(s);
        s = g_strdup(fallback);
    }
    return s;
}

static char *vips_message(void)
{
    return rfdn_io_vips_message_or("unknown error");
}

/* libvips' warnings (a truncated file's "not enough data" ...) would go to
 * stderr beside our own message; they are shown with RFDN_DEBUG set. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                      gpointer data)
{
    if (g_getenv("RFDN_DEBUG"))
        g_log_default_handler(domain, level, message, data);
}

gboolean rfdn_io_init(const char *argv0, GError **error)
{
    static gsize done;
    static gboolean ok;
    if (g_once_init_enter(&done)) {
        ok = vips_init(argv0 ? argv0 : "rfdn") == 0;
        if (ok) {
            /* Only the loaders that are fuzzed and meant for untrusted
             * files; and no operation cache: each file is read once. */
            vips_block_untrusted_set(TRUE);
            g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, quiet_log,
                              NULL);
            vips_cache_set_max(0);
        }
        g_once_init_leave(&done, 1);
    }
    if (!ok) {
        char *m = vips_message();
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_UNSUPPORTED,
                    "cannot start the image library: %s", m);
        g_free(m);
    }
    return ok;
}

void rfdn_io_shutdown(void)
{
    vips_shutdown();
}

/* ------------------------------------------------------------------------ */
/* Formats */

rfdn_io_format rfdn_io_format_from_name(const char *n)
{
    if (!n)
        return RFDN_IO_FORMAT_NONE;
    if (!g_ascii_strcasecmp(n, "png"))
        return RFDN_IO_PNG;
    if (!g_ascii_strcasecmp(n, "jpg") || !g_ascii_strcasecmp(n, "jpeg"))
        return RFDN_IO_JPEG;
    if (!g_ascii_strcasecmp(n, "webp"))
        return RFDN_IO_WEBP;
    if (!g_ascii_strcasecmp(n, "tif") || !g_ascii_strcasecmp(n, "tiff"))
        return RFDN_IO_TIFF;
    return RFDN_IO_FORMAT_NONE;
}

rfdn_io_format rfdn_io_format_from_path(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        return RFDN_IO_FORMAT_NONE;
    return rfdn_io_format_from_name(dot + 1);
}

const char *rfdn_io_format_extension(rfdn_io_format f)
{
    switch (f) {
    case RFDN_IO_PNG:
        return "png";
    case RFDN_IO_JPEG:
        return "jpg";
    case RFDN_IO_WEBP:
        return "webp";
    case RFDN_IO_TIFF:
        return "tif";
    default:
        return NULL;
    }
}

gboolean rfdn_io_format_has_16bit(rfdn_io_format f)
{
    return f == RFDN_IO_PNG || f == RFDN_IO_TIFF;
}

/* Which of our formats a libvips loader class is, from its name
 * (VipsForeignLoadPngFile, VipsForeignLoadJpegFile, ...). */
/* The format from the file's first bytes.  Only our four formats are ever
 * handed to libvips, each to its own loader: libvips' search through every
 * loader would run other libraries' detection on hostile bytes (fuzzing
 * found OpenSlide's asking for 16 GB on a broken TIFF). */
static rfdn_io_format sniff_format(const char *path)
{
    unsigned char b[12] = {0};
    const int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    const ssize_t n = fd >= 0 ? read(fd, b, sizeof b) : -1;
    if (fd >= 0)
        close(fd);
    if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
        return RFDN_IO_PNG;
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
        return RFDN_IO_JPEG;
    if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
        return RFDN_IO_WEBP;
    /* classic and BigTIFF, either byte order */
    if (n >= 4 && (!memcmp(b, "II*\0", 4) || !memcmp(b, "MM\0*", 4) || !memcmp(b, "II+\0", 4) ||
                   !memcmp(b, "MM\0+", 4)))
        return RFDN_IO_TIFF;
    return RFDN_IO_FORMAT_NONE;
}

/* The header of a file of format f, by that format's loader alone. */
static VipsImage *load_header(const char *path, rfdn_io_format f)
{
    VipsImage *im = NULL;
    int r = -1;
#define OPTS "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL
    switch (f) {
    case RFDN_IO_PNG: r = vips_pngload(path, &im, OPTS); break;
    case RFDN_IO_JPEG: r = vips_jpegload(path, &im, OPTS); break;
    case RFDN_IO_WEBP: r = vips_webpload(path, &im, OPTS); break;
    case RFDN_IO_TIFF: r = vips_tiffload(path, &im, OPTS); break;
    default: break;
    }
#undef OPTS
    return r ? NULL : im;
}

/* ------------------------------------------------------------------------ */
/* Reading */

static GBytes *get_blob(VipsImage *im, const char *name)
{
    const void *data;
    size_t len;
    if (vips_image_get_typeof(im, name) && !vips_image_get_blob(im, name, &data, &len) &&
        len > 0)
        return g_bytes_new(data, len);
    return NULL;
}

/* A resolution (pixels per millimetre, > 0) brought into the range every
 * writer takes; *changed set when it was not in it. */
static double clamp_resolution(double res, gboolean *changed)
{
    const double lo = RFDN_IO_MIN_DPI / 25.4, hi = RFDN_IO_MAX_DPI / 25.4;
    if (res <= 0)
        return 0;
    *changed |= res < lo || res > hi;
    return res < lo ? lo : res > hi ? hi : res;
}

/* The file's resolution, clamped (a PNG may say 4294967295 pixels per
 * metre, which libvips' writers refuse), with a note when it was. */
static void read_resolution(rfdn_io_meta *m, VipsImage *im)
{
    const double x = vips_image_get_xres(im), y = vips_image_get_yres(im);
    gboolean changed = FALSE;
    m->xres = clamp_resolution(x, &changed);
    m->yres = clamp_resolution(y, &changed);
    if (!changed)
        return;
    char was[2][G_ASCII_DTOSTR_BUF_SIZE], now[2][G_ASCII_DTOSTR_BUF_SIZE];
    const double v[4] = {x, y, m->xres, m->yres};
    for (int i = 0; i < 4; i++) /* whole dpi, or 3 digits below 1 */
        g_ascii_formatd(i < 2 ? was[i] : now[i - 2], G_ASCII_DTOSTR_BUF_SIZE,
                        v[i] * 25.4 >= 1 ? "%.0f" : "%.3g", v[i] * 25.4);
    m->note = g_strdup_printf("the resolution (%s x %s dpi) is out of range (%g to %g dpi): "
                              "written as %s x %s dpi",
                              was[0], was[1], RFDN_IO_MIN_DPI, RFDN_IO_MAX_DPI, now[0], now[1]);
}

static rfdn_io_meta *meta_from(VipsImage *im, gboolean keep_icc)
{
    rfdn_io_meta *m = g_new0(rfdn_io_meta, 1);
    m->refs = 1;
    if (keep_icc)
        m->icc = get_blob(im, VIPS_META_ICC_NAME);
    m->exif = get_blob(im, VIPS_META_EXIF_NAME);
    m->xmp = get_blob(im, VIPS_META_XMP_NAME);
    m->iptc = get_blob(im, VIPS_META_IPTC_NAME);
    int o;
    if (vips_image_get_typeof(im, VIPS_META_ORIENTATION) &&
        !vips_image_get_int(im, VIPS_META_ORIENTATION, &o) && o >= 1 && o <= 8)
        m->orientation = o;
    const char *unit;
    if (vips_image_get_typeof(im, VIPS_META_RESOLUTION_UNIT) &&
        !vips_image_get_string(im, VIPS_META_RESOLUTION_UNIT, &unit))
        m->res_unit = g_strdup(unit);
    read_resolution(m, im);
    vips_error_clear();
    return m;
}

/* Why a file of several frames or pages is refused, in buf. */
static const char *fmt_pages(VipsImage *im, char *buf, size_t n)
{
    const int pages = vips_image_get_n_pages(im);
    const char *loader = NULL;
    vips_image_get_string(im, "vips-loader", &loader);
    vips_error_clear();
    const gboolean anim = loader && strstr(loader, "webp");
    snprintf(buf, n,
             anim ? _("an animation of %d frames (only single images are upscaled; save one "
                      "frame first)")
                  : _("a file of %d pages (only single images are upscaled; save one page "
                      "first)"),
             pages);
    return buf;
}

/* Opens the header; every check that needs no pixels. */
static VipsImage *open_header(const char *path, rfdn_io_format *fmt, GError **error)
{
    GStatBuf st;
    if (g_stat(path, &st) != 0) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_READ, "%s", g_strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_READ, _("is a folder"));
        return NULL;
    }
    /* a FIFO or device has no size and opening it could wait for ever */
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_READ,
                    _("not a regular file (a FIFO, device or socket); images are read from "
                      "files"));
        return NULL;
    }
    if (st.st_size == 0) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_READ, _("the file is empty"));
        return NULL;
    }
    if (access(path, R_OK) != 0) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_READ, "%s", g_strerror(errno));
        return NULL;
    }
    *fmt = sniff_format(path);
    if (*fmt == RFDN_IO_FORMAT_NONE) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_UNSUPPORTED,
                    _("not a PNG, JPEG, WebP or TIFF image"));
        return NULL;
    }
    VipsImage *im = load_header(path, *fmt);
    if (!im) {
        char *m = rfdn_io_vips_message_or("corrupt header");
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_READ, _("cannot read the image (%s)"), m);
        g_free(m);
        return NULL;
    }
    const int bands = vips_image_get_bands(im);
    const VipsBandFormat bf = vips_image_get_format(im);
    const VipsInterpretation in = vips_image_get_interpretation(im);
    const char *why = NULL;
    char pages[128];
    if (vips_image_get_coding(im) != VIPS_CODING_NONE)
        why = _("coded pixels");
    else if (bf != VIPS_FORMAT_UCHAR && bf != VIPS_FORMAT_USHORT)
        why = bf == VIPS_FORMAT_FLOAT || bf == VIPS_FORMAT_DOUBLE
                  ? _("floating-point samples (8- and 16-bit images are supported)")
                  : _("an unusual sample format (8- and 16-bit images are supported)");
    else if (in == VIPS_INTERPRETATION_CMYK ? bands > 5 : bands > 4)
        why = _("more than 4 channels");
    else if (in == VIPS_INTERPRETATION_LAB || in == VIPS_INTERPRETATION_LABS ||
             in == VIPS_INTERPRETATION_LABQ)
        why = _("Lab colour");
    else if (vips_image_get_n_pages(im) > 1) /* libvips would read the first alone */
        why = fmt_pages(im, pages, sizeof pages);
    if (why) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_UNSUPPORTED, _("unsupported image: %s"),
                    why);
        g_object_unref(im);
        return NULL;
    }
    return im;
}

gboolean rfdn_io_probe(const char *path, int *width, int *height, int *channels, int *bits,
                       GError **error)
{
    rfdn_io_format f;
    VipsImage *im = open_header(path, &f, error);
    if (!im)
        return FALSE;
    const int b = vips_image_get_bands(im);
    *width = vips_image_get_width(im);
    *height = vips_image_get_height(im);
    *channels = vips_image_get_interpretation(im) == VIPS_INTERPRETATION_CMYK ? 3 + (b == 5) : b;
    *bits = vips_image_get_format(im) == VIPS_FORMAT_USHORT ? 16 : 8;
    g_object_unref(im);
    return TRUE;
}

rfdn_io_image *rfdn_io_load(const char *path, uint64_t max_pixels, GError **error)
{
    rfdn_io_format fmt;
    VipsImage *im = open_header(path, &fmt, error);
    if (!im)
        return NULL;
    const int w = vips_image_get_width(im), h = vips_image_get_height(im);
    if (max_pixels && (uint64_t)w * (uint64_t)h > max_pixels) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_TOO_LARGE,
                    _("the image is %d x %d pixels, over the limit of %llu pixels"), w, h,
                    (unsigned long long)max_pixels);
        g_object_unref(im);
        return NULL;
    }
    rfdn_io_meta *meta = NULL;
    if (vips_image_get_interpretation(im) == VIPS_INTERPRETATION_CMYK) {
        /* Print colour: to sRGB through its profile (or libvips' default
         * CMYK profile); the CMYK profile no longer applies. */
        meta = meta_from(im, FALSE);
        VipsImage *rgb = NULL, *u8 = NULL;
        if (vips_icc_transform(im, &rgb, "srgb", "input_profile", "cmyk", "embedded", TRUE,
                               "intent", VIPS_INTENT_RELATIVE, NULL) ||
            vips_cast(rgb, &u8, VIPS_FORMAT_UCHAR, NULL)) {
            char *m = vips_message();
            g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_UNSUPPORTED,
                        _("cannot convert CMYK to RGB (%s)"), m);
            g_free(m);
            if (rgb)
                g_object_unref(rgb);
            meta_unref(meta);
            g_object_unref(im);
            return NULL;
        }
        g_object_unref(rgb);
        g_object_unref(im);
        im = u8;
    }
    size_t size = 0;
    void *px = vips_image_write_to_memory(im, &size);
    if (!px) {
        char *m = rfdn_io_vips_message_or("truncated or corrupt data");
        const gboolean oom = strstr(m, "out of memory") != NULL;
        g_set_error(error, RFDN_IO_ERROR, oom ? RFDN_IO_ERROR_NOMEM : RFDN_IO_ERROR_READ,
                    "%s (%s)", oom ? _("out of memory") : _("cannot read the image"), m);
        g_free(m);
        meta_unref(meta);
        g_object_unref(im);
        return NULL;
    }
    rfdn_io_image *out = g_new0(rfdn_io_image, 1);
    out->width = w;
    out->height = h;
    out->channels = vips_image_get_bands(im);
    out->bits = vips_image_get_format(im) == VIPS_FORMAT_USHORT ? 16 : 8;
    out->stride = (size_t)w * out->channels * (out->bits / 8);
    g_assert(size == out->stride * (size_t)h);
    out->pixels = px;
    out->source = fmt;
    out->meta = meta ? meta : meta_from(im, TRUE);
    g_object_unref(im);
    return out;
}

rfdn_io_image *rfdn_io_new(int width, int height, int channels, int bits, GError **error)
{
    g_return_val_if_fail(channels >= 1 && channels <= 4 && (bits == 8 || bits == 16), NULL);
    const size_t stride = (size_t)width * channels * (bits / 8);
    void *px = width > 0 && height > 0 && stride / channels / (bits / 8) == (size_t)width &&
                       (size_t)height <= SIZE_MAX / stride
                   ? g_try_malloc0(stride * (size_t)height)
                   : NULL;
    if (!px) {
        g_set_error(error, RFDN_IO_ERROR, RFDN_IO_ERROR_NOMEM,
                    _("out of memory for a %d x %d image"), width, height);
        return NULL;
    }
    rfdn_io_image *im = g_new0(rfdn_io_image, 1);
    im->width = width;
    im->height = height;
    im->channels = channels;
    im->bits = bits;
    im->stride = stride;
    im->pixels = px;
    return im;
}

rfdn_io_image *rfdn_io_new_like(const rfdn_io_image *like, int width, int height,
                                GError **error)
{
    rfdn_io_image *im = rfdn_io_new(width, height, like->channels, like->bits, error);
    if (im) {
        im->source = like->source;
        im->meta = meta_ref(like->meta);
    }
    return im;
}

void rfdn_io_image_free(rfdn_io_image *im)
{
    if (!im)
        return;
    g_free(im->pixels);
    meta_unref(im->meta);
    g_free(im);
}

rfdn_image rfdn_io_engine_image(const rfdn_io_image *im)
{
    rfdn_image e = {
        .width = im->width,
        .height = im->height,
        .channels = im->channels,
        .format = im->bits == 16 ? RFDN_SAMPLE_U16 : RFDN_SAMPLE_U8,
        .stride = im->stride,
        .data = im->pixels,
    };
    return e;
}

const void *rfdn_io_icc_profile(const rfdn_io_image *im, size_t *length)
{
    *length = 0;
    return im->meta && im->meta->icc ? g_bytes_get_data(im->meta->icc, length) : NULL;
}

const void *rfdn_io_exif(const rfdn_io_image *im, size_t *length)
{
    *length = 0;
    return im->meta && im->meta->exif ? g_bytes_get_data(im->meta->exif, length) : NULL;
}

int rfdn_io_orientation(const rfdn_io_image *im)
{
    return im->meta && im->meta->orientation ? im->meta->orientation : 1;
}

double rfdn_io_dpi(const rfdn_io_image *im)
{
    return im->meta ? im->meta->xres * 25.4 : 0;
}

const char *rfdn_io_note(const rfdn_io_image *im)
{
    return im->meta ? im->meta->note : NULL;
}
