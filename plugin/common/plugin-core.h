/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the GIMP 2.10 and GIMP 3 plug-ins share below the GIMP API: the
 * procedure's parameters and their validation, the model lookup and load,
 * the pixel layout for a drawable (read and written through GEGL in a
 * perceptual format of the image's own precision), and the engine runs in
 * a worker thread with progress and cancel for the main thread.
 */
#ifndef RFDN_PLUGIN_CORE_H
#define RFDN_PLUGIN_CORE_H

#include <gegl.h>
#include <glib.h>

#include "content.h"
#include "rfdn.h"

G_BEGIN_DECLS

#define RFDN_PROC_NAME "plug-in-rfdn-upscale"
#define RFDN_PLUGIN_BINARY "rfdn-upscale-gimp"
#define RFDN_GETTEXT_DOMAIN "rfdn-upscaler"

enum { RFDN_PLUG_E_RFDN = 0, RFDN_PLUG_RFDN = 1 };
enum { RFDN_PLUG_NEW_IMAGE = 0, RFDN_PLUG_IN_PLACE = 1 };

/* The procedure's arguments after run-mode, image and drawable; also the
 * values remembered between runs (plain data). */
typedef struct {
    gint32 model;   /* RFDN_PLUG_E_RFDN or RFDN_PLUG_RFDN */
    gint32 scale;   /* 2, 3 or 4 */
    gint32 output;  /* RFDN_PLUG_NEW_IMAGE or RFDN_PLUG_IN_PLACE */
    gint32 alpha;   /* 0 network, 1 bicubic */
    gint32 tile;    /* tile edge in input pixels, 0 automatic */
    gint32 threads; /* 0 automatic */
    gint32 content; /* RFDN_CONTENT_AUTO, _CLEAN or _PHOTO (content.h) */
} rfdn_plug_params;

void rfdn_plug_params_default(rfdn_plug_params *p);
/* FALSE with a message naming the bad argument. */
gboolean rfdn_plug_params_validate(const rfdn_plug_params *p, GError **error);
const char *rfdn_plug_model_name(gint32 model); /* "e-rfdn" / "rfdn" */
const char *rfdn_plug_model_label(gint32 model); /* "E-RFDN" / "RFDN" */

/* A context for the parameters and a variant (RFDN_CONTENT_CLEAN or
 * _PHOTO; a photo model that is not installed falls back to the clean one,
 * *note (may be NULL) saying so).  The model file is found by name and
 * loaded once per process and kept.  NULL with a message. */
rfdn_context *rfdn_plug_context_new(const rfdn_plug_params *p, rfdn_content variant,
                                    char **note, GError **error);

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

/* rfdn_plug_content() then rfdn_plug_context_new(): the context for the
 * variant the content calls for; *why (g_free) says which variant and why,
 * and that the clean model stands in when the photo one is missing. */
rfdn_context *rfdn_plug_context_for(const rfdn_plug_params *p, const void *jpeg_settings,
                                    size_t len, GeglBuffer *buffer, char **why,
                                    GError **error);

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
