/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One upscale run on a worker thread, as a GObject over GTask, for the
 * front ends that run the engine while their main loop goes on (the app):
 * the engine's progress and the output tiles that became final are
 * reported as signals on the main context of the caller of
 * rfdn_job_run_async(), a GCancellable stops the engine, the end comes as
 * the GAsyncReadyCallback.  One type for a single image shown as it is
 * made (an image in memory, optionally a region upscaled first) and for a
 * batch item (a file loaded, upscaled with the context chosen for it, and
 * its result saved, all in the worker).
 *
 * Signals (main context):
 *   "progress"   (gdouble fraction)                 at most one pending
 *   "tile-ready" (gint x, gint y, gint w, gint h)   output pixels now final
 *   "first-pass" (gpointer rfdn_io_image *region, gint x, gint y): the
 *                first region's result at output position (x, y), valid
 *                during the emission
 */
#ifndef RFDN_JOB_H
#define RFDN_JOB_H

#include <gio/gio.h>

#include "imageio.h"
#include "rfdn.h"

G_BEGIN_DECLS

#define RFDN_TYPE_JOB (rfdn_job_get_type())
G_DECLARE_FINAL_TYPE(RfdnJob, rfdn_job, RFDN, JOB, GObject)

/* A job on `in` into `out` (sized for the context's model), both kept by
 * the caller and left alone by it until the end; `ctx` likewise. */
RfdnJob *rfdn_job_new_image(rfdn_context *ctx, const rfdn_io_image *in, rfdn_io_image *out);
/* The region (input pixels) upscaled and reported ("first-pass") before
 * the whole image: what the user looks at, quickly. */
void rfdn_job_set_first_pass(RfdnJob *job, int x, int y, int w, int h);

/* The context for a file's image, called in the worker once the file is
 * loaded (so a batch picks the clean or photo model per item); NULL with
 * `error` set.  `*why` (g_free, may stay NULL) says which and why. */
typedef rfdn_context *(*rfdn_job_context_fn)(gpointer user, const char *path,
                                             const rfdn_io_image *image, char **why,
                                             GError **error);
/* A job that loads `input`, upscales it and saves the result as `output`
 * (folders made; an existing file is not overwritten unless
 * rfdn_job_set_replace() says so). */
RfdnJob *rfdn_job_new_file(const char *input, const char *output, rfdn_job_context_fn choose,
                           gpointer user);

/* A file job replaces an output that exists (else such an output fails
 * the save and is left as it is). */
void rfdn_job_set_replace(RfdnJob *j, gboolean replace);

void rfdn_job_run_async(RfdnJob *job, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user);
/* RFDN_OK, RFDN_CANCELLED, or another status with `error` set. */
rfdn_status rfdn_job_finish(RfdnJob *job, GAsyncResult *result, GError **error);

/* For a file job, after the end: why its context was chosen, or NULL. */
const char *rfdn_job_get_why(RfdnJob *job);

G_END_DECLS

#endif
