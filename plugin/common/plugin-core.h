/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the GIMP 2.10 and GIMP 3 plug-ins share below the GIMP API: the
 * pixel layout for a drawable (read and written through GEGL in a
 * perceptual format of the image's own precision), the choice of the model
 * variant, and the engine runs in a worker thread with progress and cancel
 * for the main thread.
 */
#ifndef RFDN_PLUGIN_CORE_H
#define RFDN_PLUGIN_CORE_H

#include <gegl.h>
#include <glib.h>

#include "content.h"
#include "plugin-params.h"
#include "rfdn.h"

G_BEGIN_DECLS

#define RFDN_PROC_NAME "plug-in-rfdn-upscale"
#define RFDN_PLUGIN_BINARY "rfdn-upscale-gimp"
#define RFDN_GETTEXT_DOMAIN "rfdn-upscaler"

/* How a drawable's pixels are handed to the engine. */
typedef struct {
    const Babl *format;        /* perceptual ("R'G'B'A u8", "Y' float", ...) */
    rfdn_sample_format sample; /* U8, U16 or F32 */
    int channels;              /* 1..4 */
    int bpp;                   /* bytes per pixel */
} rfdn_plug_layout;

/* 8- and 16-bit perceptual images keep their integers (so 8-bit results
 * equal the CLI's); linear and floating-point images go through float. */
/* `space`: a format in the image's colour space (the drawable's own
 * format), so pixels are read in the image's profile and not converted;
 * NULL for sRGB. */
rfdn_plug_layout rfdn_plug_layout_for(gboolean is_gray, gboolean has_alpha, int bits,
                                      gboolean linear_or_float, const Babl *space);

/* One upscale of a buffer: the input is read on the main thread, the
 * output is allocated for the engine and written back by the caller. */
typedef struct {
    rfdn_plug_layout layout;
    int w, h, ow, oh;
    void *in, *out; /* packed rows */
} rfdn_plug_item;

/* Reads `rect` of `buffer` into a new item for `scale`.  NULL with a message
 * when memory runs out. */
rfdn_plug_item *rfdn_plug_item_new(GeglBuffer *buffer, const GeglRectangle *rect,
                                   const rfdn_plug_layout *layout, int scale, GError **error);
void rfdn_plug_item_write(const rfdn_plug_item *it, GeglBuffer *buffer);
void rfdn_plug_item_free(rfdn_plug_item *it);

/* The variant for the parameters: p->content, or for auto content.h's rule
 * on the JPEG quality GIMP kept for the image (its "jpeg-settings"
 * parasite's bytes, or NULL) and the luma of the middle of `buffer` (the
 * layer's, up to 1024 x 1024).  *why (g_free) says which and why. */
rfdn_content rfdn_plug_content(const rfdn_plug_params *p, const void *jpeg_settings,
                               size_t len, GeglBuffer *buffer, char **why);

/* Runs items[0..n) one after another in a worker thread. */
typedef struct rfdn_plug_job rfdn_plug_job;
rfdn_plug_job *rfdn_plug_job_start(rfdn_context *ctx, rfdn_plug_item **items, int n);
/* Called about 25 times a second on the calling thread with the fraction
 * done; returns TRUE to cancel. */
typedef gboolean (*rfdn_plug_poll_fn)(gpointer user, double fraction);
/* Waits for the end; RFDN_OK, RFDN_CANCELLED or an error (message set). */
rfdn_status rfdn_plug_job_wait(rfdn_plug_job *job, rfdn_plug_poll_fn poll, gpointer user,
                               GError **error);

/* For tests: the file named by $RFDN_PLUGIN_SCREENSHOT, or NULL. */
const char *rfdn_plug_screenshot_path(void);

G_END_DECLS

#endif
