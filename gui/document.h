/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The image the window shows: its source (a file or a pasted image), its
 * original for display, and its result while and after it is made by a
 * job (common/job.h): the result surface starts as the original smoothly
 * enlarged and gets the network's pixels as the engine finishes them.
 * Its state is a property; "damaged" tells the view what to redraw.
 */
#ifndef RFDN_DOCUMENT_H
#define RFDN_DOCUMENT_H

#include <gtk/gtk.h>

#include "imageio.h"
#include "rfdn.h"

G_BEGIN_DECLS

typedef enum {
    RFDN_DOCUMENT_LOADED,    /* no result (yet) */
    RFDN_DOCUMENT_RUNNING,
    RFDN_DOCUMENT_DONE,
    RFDN_DOCUMENT_CANCELLED,
    RFDN_DOCUMENT_FAILED,
} RfdnDocumentState;

#define RFDN_TYPE_DOCUMENT_STATE (rfdn_document_state_get_type())
GType rfdn_document_state_get_type(void);

#define RFDN_TYPE_DOCUMENT (rfdn_document_get_type())
G_DECLARE_FINAL_TYPE(RfdnDocument, rfdn_document, RFDN, DOCUMENT, GObject)

/* Takes `image`; `path` NULL for a pasted image.  NULL when memory for
 * its display runs out. */
RfdnDocument *rfdn_document_new(rfdn_io_image *image, const char *path, const char *name);

/* Another document of the same source (its pixels copied), for a second
 * result to compare. */
RfdnDocument *rfdn_document_new_copy(RfdnDocument *d);

const char *rfdn_document_get_path(RfdnDocument *d); /* NULL: pasted */
const char *rfdn_document_get_name(RfdnDocument *d);
const rfdn_io_image *rfdn_document_get_source(RfdnDocument *d);
cairo_surface_t *rfdn_document_get_original(RfdnDocument *d);
RfdnDocumentState rfdn_document_get_state(RfdnDocument *d);
/* The finished result, or NULL unless the state is DONE. */
const rfdn_io_image *rfdn_document_get_result(RfdnDocument *d);
/* The surface shown as the result (NULL before the first upscale). */
cairo_surface_t *rfdn_document_get_result_surface(RfdnDocument *d);
/* Which model variant made the result, and why (NULL before). */
const char *rfdn_document_get_why(RfdnDocument *d);
/* The last run's error message (FAILED), or NULL. */
const char *rfdn_document_get_error(RfdnDocument *d);
/* Seconds the last run took (so far); when its first region was drawn
 * (ms after its start, 0 before). */
double rfdn_document_get_seconds(RfdnDocument *d);
double rfdn_document_get_first_pass_ms(RfdnDocument *d);

/* Starts a run with `ctx` (kept alive by the caller until the state is no
 * longer RUNNING); `first` (input pixels, may be empty): the region
 * upscaled first.  FALSE with a message when the result does not fit in
 * memory or the engine's limits. */
gboolean rfdn_document_upscale(RfdnDocument *d, rfdn_context *ctx, const char *why,
                               const GdkRectangle *first, GError **error);
/* Asks the run to stop (it ends CANCELLED soon after). */
void rfdn_document_cancel(RfdnDocument *d);
/* Stops the run and waits for its end (the main loop runs meanwhile). */
void rfdn_document_stop(RfdnDocument *d);

/* Signals: "damaged" (x, y, w, h: output pixels of the result surface),
 * "progress" (gdouble), "finished" (the run ended; see the state). */

G_END_DECLS

#endif
