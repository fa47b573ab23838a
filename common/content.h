/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Clean or photo: which model variant suits an input (issue 23).  Clean
 * models are trained for lossless images shrunk with bicubic (renders,
 * screenshots, scans kept as PNG); photo models for JPEG, camera and web
 * pictures, where a clean model sharpens the 8x8 block grid and the ringing.
 * Every front end offers the two and an automatic choice made here, by one
 * rule, with a sentence saying why.
 *
 * The rule (RFDN_CONTENT_AUTO):
 *  1. a JPEG file whose quantisation tables estimate a quality of at most
 *     RFDN_CONTENT_JPEG_MAX_QUALITY is photo ("JPEG quality about 70");
 *  2. otherwise (any other file, a JPEG above that quality, or pixels with
 *     no file) the pixels decide: a blockiness of at least
 *     RFDN_CONTENT_BLOCKINESS_PHOTO is photo (a PNG that once was a JPEG),
 *     anything below is clean.
 * Blockiness: on the luma, for pixels whose neighbours on both sides are
 * flat (steps of at most 2 levels), the mean step across the 8-pixel grid
 * lines of the image's origin divided by the largest of: the mean step at
 * the other seven phases, the step at phase 3, and the mean at phases 1
 * and 5 (so that patterns of period 2 or 4 do not count), in both
 * directions, their geometric mean.  JPEG leaves flat blocks with steps
 * at their edges.  On the Set5/Set14 HR images that never were JPEG or
 * video frames, saved by libjpeg (4:2:0): 0.91-1.23 lossless, 0.92-1.36 at
 * quality 95, 1.26-1.98 at 85, 1.77-2.73 at 70, 2.39-3.71 at 50 (this
 * formula in numpy, 2026-12-01); Set14's former video frames (foreman,
 * coastguard) measure 1.6-3.9 as they are.
 */
#ifndef RFDN_CONTENT_H
#define RFDN_CONTENT_H

#include <glib.h>

#include "rfdn.h"

G_BEGIN_DECLS

typedef enum {
    RFDN_CONTENT_AUTO = 0,
    RFDN_CONTENT_CLEAN,
    RFDN_CONTENT_PHOTO,
} rfdn_content;

#define RFDN_CONTENT_JPEG_MAX_QUALITY 97
#define RFDN_CONTENT_BLOCKINESS_PHOTO 1.4

/* "auto", "clean", "photo" <-> the enum; from_name returns -1 for
 * anything else. */
const char *rfdn_content_name(rfdn_content c);
int rfdn_content_from_name(const char *name);

/* The quality (1-100) whose libjpeg standard luminance table is nearest to
 * the file's first quantisation table, or 0 when `path` is not a readable
 * JPEG with one.  Reads the file's markers only, up to the first scan. */
int rfdn_jpeg_file_quality(const char *path);

/* The same from the "jpeg-settings" parasite GIMP's JPEG loader attaches
 * to the image: its IJG quality, or for other tables the nearest quality to
 * its first table; 0 when absent or malformed. */
int rfdn_jpeg_settings_quality(const void *data, size_t len);

/* The blockiness above of an image (any engine sample format, 1-4
 * channels; colour as BT.601 luma, alpha ignored); 1.0 when the image is
 * smaller than two blocks.  Large images are sampled (about 2048 rows and
 * columns), so the cost stays small. */
double rfdn_blockiness(const rfdn_image *im);

/* The automatic choice for an input: `jpeg_quality` from
 * rfdn_jpeg_file_quality() (0 when not a JPEG or unknown) and its pixels
 * (NULL: not looked at, then clean unless the JPEG rule applies).  Returns
 * RFDN_CONTENT_CLEAN or RFDN_CONTENT_PHOTO and sets *why (g_free) to a
 * sentence such as "JPEG quality about 70: photo model". */
/* A choice's reason with the model store's note when it has one ("why;
 * note"; g_free), as every front end shows it. */
char *rfdn_content_explain(const char *why, const char *note);

rfdn_content rfdn_content_guess(int jpeg_quality, const rfdn_image *pixels, char **why);

G_END_DECLS

#endif
