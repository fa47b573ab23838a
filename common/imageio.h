/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Image files for the CLI and the GTK app: a small GLib-level layer on
 * libvips (not part of the engine).
 *
 * Why libvips: one library reads and writes PNG (8/16-bit), JPEG, WebP and
 * TIFF (8/16-bit) with gray, RGB and alpha, and hands over the ICC profile,
 * EXIF, XMP and IPTC blocks and the resolution, so an upscaled file keeps
 * its colour and its metadata.  It reads the header before any pixel, so
 * absurd dimensions are refused before anything is allocated.  GdkPixbuf
 * (the previous choice) is 8-bit only and drops the metadata; libpng +
 * libjpeg + libtiff + libwebp directly would be four APIs to get right.
 *
 * Pixels are kept interleaved in memory as the engine wants them: 8- or
 * 16-bit, 1 to 4 channels (gray, gray+alpha, RGB, RGBA).  The orientation
 * flag is carried, not applied: pixels stay as stored and viewers rotate
 * the result exactly as they rotate the original.
 */
#ifndef RFDN_IMAGEIO_H
#define RFDN_IMAGEIO_H

#include <gio/gio.h>
#include <glib.h>
#include <stdint.h>

#include "rfdn.h"

G_BEGIN_DECLS

#define RFDN_IO_ERROR (rfdn_io_error_quark())
GQuark rfdn_io_error_quark(void);

typedef enum {
    RFDN_IO_ERROR_READ,        /* unreadable, corrupt or truncated */
    RFDN_IO_ERROR_UNSUPPORTED, /* not an image type or pixel layout we handle */
    RFDN_IO_ERROR_TOO_LARGE,   /* dimensions over the caller's limit */
    RFDN_IO_ERROR_NOMEM,
    RFDN_IO_ERROR_EXISTS,      /* the output exists and overwriting was not asked */
    RFDN_IO_ERROR_WRITE,
} rfdn_io_error;

typedef enum {
    RFDN_IO_FORMAT_NONE = 0,
    RFDN_IO_PNG,
    RFDN_IO_JPEG,
    RFDN_IO_WEBP,
    RFDN_IO_TIFF,
} rfdn_io_format;

typedef struct rfdn_io_meta rfdn_io_meta; /* metadata carried from a source file */

typedef struct {
    int width, height;
    int channels;          /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    int bits;              /* 8 or 16 */
    size_t stride;         /* bytes per row */
    void *pixels;          /* owned */
    rfdn_io_format source; /* the file type it was read from (NONE if made) */
    rfdn_io_meta *meta;    /* owned reference; NULL for none */
} rfdn_io_image;

/* Starts libvips (once per process) and restricts it to the trusted
 * loaders.  Returns FALSE with a message if the library cannot start. */
gboolean rfdn_io_init(const char *argv0, GError **error);
void rfdn_io_shutdown(void);

/* Reads an image.  The header is read first; an image over max_pixels
 * (0: no limit but the library's own) is refused before its pixels are
 * decoded.  Truncated or corrupt data is an error, never a partial image. */
rfdn_io_image *rfdn_io_load(const char *path, uint64_t max_pixels, GError **error);

/* Only the header: dimensions, channels and bits of an image file. */
gboolean rfdn_io_probe(const char *path, int *width, int *height, int *channels, int *bits,
                       GError **error);

/* A new image with the same channels, bit depth and metadata as `like`
 * (pixels zeroed).  NULL with an error when memory runs out. */
rfdn_io_image *rfdn_io_new_like(const rfdn_io_image *like, int width, int height,
                                GError **error);

/* A new image without metadata. */
rfdn_io_image *rfdn_io_new(int width, int height, int channels, int bits, GError **error);

void rfdn_io_image_free(rfdn_io_image *im);

/* A view of the pixels for rfdn_upscale(). */
rfdn_image rfdn_io_engine_image(const rfdn_io_image *im);

/* Metadata access, for tests and the app's info panel. */
const void *rfdn_io_icc_profile(const rfdn_io_image *im, size_t *length);
const void *rfdn_io_exif(const rfdn_io_image *im, size_t *length);
int rfdn_io_orientation(const rfdn_io_image *im); /* 1..8; 1 when absent */
double rfdn_io_dpi(const rfdn_io_image *im);      /* horizontal; 0 when absent */
/* A warning about what was changed when the file was read (a resolution
 * out of range, clamped), for the user; NULL when nothing was. */
const char *rfdn_io_note(const rfdn_io_image *im);

/* The resolutions kept (dots per inch); one outside is clamped into the
 * range on reading, with a note. */
#define RFDN_IO_MIN_DPI 1.0
#define RFDN_IO_MAX_DPI 100000.0

/* "png", "jpg"/"jpeg", "webp", "tif"/"tiff" (any case); NONE otherwise. */
rfdn_io_format rfdn_io_format_from_name(const char *name);
/* From the file name's extension; NONE when unknown. */
rfdn_io_format rfdn_io_format_from_path(const char *path);
const char *rfdn_io_format_extension(rfdn_io_format format); /* "png", "jpg", ... */
gboolean rfdn_io_format_has_16bit(rfdn_io_format format);

typedef struct {
    rfdn_io_format format; /* NONE: from the path's extension */
    int quality;           /* JPEG and WebP, 1..100; 0: default (92 / 90) */
    gboolean overwrite;    /* replace an existing regular file */
    /* A save on a worker thread (the app): cancelled, it stops within an
     * encoded strip and fails with G_IO_ERROR_CANCELLED, leaving nothing
     * behind; `progress` (when not NULL) is called on the saving thread
     * with the fraction encoded so far. */
    GCancellable *cancellable;
    void (*progress)(double fraction, gpointer user);
    gpointer progress_user;
} rfdn_io_save_options;

/*
 * Writes an image.  A regular file is written to a temporary file in the
 * same folder (unnamed, O_TMPFILE, where the file system allows: a process
 * killed meanwhile leaves nothing), flushed to disk and linked or renamed
 * into place, so a failure leaves
 * nothing behind and an existing file is replaced whole or not at all
 * (without `overwrite` an existing file is never replaced, atomically).
 * A character device or FIFO (or "-" for stdout) is written in place.
 * 16-bit pixels are kept where the format allows (PNG, TIFF) and rounded to
 * 8 bits otherwise; JPEG has no alpha, so transparent pixels are flattened
 * onto white.  The source's ICC profile, EXIF (with the new dimensions),
 * XMP, IPTC and resolution are written along.
 */
gboolean rfdn_io_save(const rfdn_io_image *im, const char *path,
                      const rfdn_io_save_options *options, GError **error);

G_END_DECLS

#endif
