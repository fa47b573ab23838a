/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The dialogs' shared part, written once for GTK 2 (GIMP 2.10) and GTK 3
 * (GIMP 3): a before/after preview of the drawable's middle computed by
 * the engine in the worker thread (the dialog stays responsive), the size
 * the result will have, which model variant the content calls for and
 * why, a progress bar, and the run after OK with the dialog's Cancel
 * stopping the engine.  Each GIMP builds its controls (GIMP 2.10 by hand,
 * GIMP 3 with GimpProcedureDialog) and tells the preview what changed.
 */
#ifndef RFDN_PLUGIN_PREVIEW_H
#define RFDN_PLUGIN_PREVIEW_H

#include <gtk/gtk.h>

#include "plugin-flow.h"

G_BEGIN_DECLS

typedef struct rfdn_plug_preview rfdn_plug_preview;

/* `p` is the dialog's parameters, read at each update; `store` makes the
 * contexts (the preview's and the run's: one model load). */
rfdn_plug_preview *rfdn_plug_preview_new(const rfdn_plug_host *h, const rfdn_plug_params *p,
                                         rfdn_model_store *store);
void rfdn_plug_preview_free(rfdn_plug_preview *pv);

/* The before/after images, to pack above the controls. */
GtkWidget *rfdn_plug_preview_images(rfdn_plug_preview *pv);
/* The result's size, the variant note and the progress bar, below them. */
GtkWidget *rfdn_plug_preview_status(rfdn_plug_preview *pv);

/* A parameter changed (d: its entry, NULL for all): the size and, for a
 * parameter that changes the result, the preview recomputed. */
void rfdn_plug_preview_changed(rfdn_plug_preview *pv, const rfdn_plug_param *d);

/* For tests ($RFDN_PLUGIN_SCREENSHOT): saves the dialog once the preview
 * is computed, then cancels it. */
void rfdn_plug_preview_screenshot_later(rfdn_plug_preview *pv, GtkWidget *dialog);

/* After OK: the controls made insensitive, the dialog's Cancel stops the
 * engine, and the run (plugin-flow.h) with the dialog's progress bar.
 * *again: the run was stopped by Cancel and the dialog is ready for another
 * (its controls back; run it again), rather than closed. */
GimpPDBStatusType rfdn_plug_preview_run(rfdn_plug_preview *pv, GtkWidget *dialog,
                                        GtkWidget *controls, gpointer *new_image,
                                        gboolean *again, GError **error);

G_END_DECLS

#endif
