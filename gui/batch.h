/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The batch queue's run: its rows (batch-row.h) planned as the CLI plans
 * (common/batchplan.h: subfolders mirrored, an existing output or an input
 * failing its row before any work), then each a file job (common/job.h)
 * in turn with the clean or photo model its content calls for, from the
 * session's model store (one context alive: one memory budget).
 * Signals: "progress" (gdouble: the running row's), "finished" (the run
 * ended; rfdn_batch_count() tells how).
 */
#ifndef RFDN_BATCH_H
#define RFDN_BATCH_H

#include "batch-row.h"
#include "options.h"
#include "content.h"
#include "modelstore.h"

G_BEGIN_DECLS

#define RFDN_TYPE_BATCH (rfdn_batch_get_type())
G_DECLARE_FINAL_TYPE(RfdnBatch, rfdn_batch, RFDN, BATCH, GObject)

/* `store`: kept by the caller, not used by it while the batch runs. */
RfdnBatch *rfdn_batch_new(rfdn_model_store *store);

/* The rows, in their order (the batch holds references). */
void rfdn_batch_add(RfdnBatch *b, RfdnBatchRow *row);
guint rfdn_batch_get_size(RfdnBatch *b);

/* The outputs under `outdir` with `suffix`, an existing one treated as
 * `existing` says (common/batchplan.c); every row queued, skipped, or
 * failed with its problem.  Returns how many outputs exist already. */
guint rfdn_batch_plan(RfdnBatch *b, const char *outdir, const char *suffix,
                      rfdn_existing existing);
/* Runs the queued rows with model `name` x`scale` for `content` (AUTO:
 * content.h's rule per file).  FALSE with a message when the model cannot
 * be had. */
gboolean rfdn_batch_start(RfdnBatch *b, const char *name, int scale, rfdn_content content,
                          GError **error);
/* The running row and every queued one cancelled. */
void rfdn_batch_cancel(RfdnBatch *b);
/* Cancels and waits for the end (the main loop runs meanwhile). */
void rfdn_batch_stop(RfdnBatch *b);
gboolean rfdn_batch_is_running(RfdnBatch *b);
/* After a run: the rows done, failed and skipped, and whether it was
 * cancelled. */
void rfdn_batch_count(RfdnBatch *b, int *done, int *failed, int *skipped, gboolean *cancelled);

G_END_DECLS

#endif
