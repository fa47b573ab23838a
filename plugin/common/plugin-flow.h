/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The procedure's run, written once for both GIMPs over plugin-host.h:
 * the checks of the image and drawable, the choice of the clean or photo
 * model (content.h's rule on what GIMP kept and the layer's pixels), the
 * inputs read on the main thread, the engine in the worker thread
 * (plugin-core.h), and the image changed only after every result is
 * computed, so a cancel, an error or running out of memory leaves it as
 * it was.
 */
#ifndef RFDN_PLUGIN_FLOW_H
#define RFDN_PLUGIN_FLOW_H

#include <libgimp/gimp.h>

#include "modelstore.h"
#include "plugin-host.h"
#include "plugin-params.h"

G_BEGIN_DECLS

/* What the procedure refuses before any dialog: an indexed image, a mask
 * or channel for a new image.  FALSE with a message. */
gboolean rfdn_plug_check_target(const rfdn_plug_host *h, const rfdn_plug_params *p,
                                GError **error);

/* The context (owned by `store`) of the model and variant for the
 * parameters and the host's drawable, with the parameters' settings; *why
 * (g_free) says which variant and why, and that the clean model stands in
 * when the photo one is missing.  NULL with a message. */
rfdn_context *rfdn_plug_context(const rfdn_plug_host *h, rfdn_model_store *store,
                                const rfdn_plug_params *p, char **why, GError **error);

/* The whole run: the drawable into a new image (*new_image) or the image
 * scaled in place (*new_image NULL).  `poll` (may be NULL: a
 * non-interactive run) is called on this thread as the engine works and
 * returns TRUE to cancel; GIMP's progress is updated either way.
 * Interactive runs show the new image; runs that are not a script's flush
 * the displays. */
GimpPDBStatusType rfdn_plug_upscale(const rfdn_plug_host *h, rfdn_model_store *store,
                                    const rfdn_plug_params *p, GimpRunMode mode,
                                    rfdn_plug_poll_fn poll, gpointer user, gpointer *new_image,
                                    GError **error);

G_END_DECLS

#endif
