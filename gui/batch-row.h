/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One image of the batch queue (a GtkListBoxRow from batch-row.ui): its
 * input, its path under the batch's folder (mirrored under the output
 * folder), its planned output, its state as an enum property, its progress
 * and its own Cancel (a GCancellable the row's button cancels).
 */
#ifndef RFDN_BATCH_ROW_H
#define RFDN_BATCH_ROW_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
    RFDN_BATCH_QUEUED,
    RFDN_BATCH_RUNNING,
    RFDN_BATCH_DONE,
    RFDN_BATCH_FAILED,
    RFDN_BATCH_CANCELLED,
    RFDN_BATCH_SKIPPED, /* its result there already, left as it is */
} RfdnBatchState;

#define RFDN_TYPE_BATCH_STATE (rfdn_batch_state_get_type())
GType rfdn_batch_state_get_type(void);

#define RFDN_TYPE_BATCH_ROW (rfdn_batch_row_get_type())
G_DECLARE_FINAL_TYPE(RfdnBatchRow, rfdn_batch_row, RFDN, BATCH_ROW, GtkListBoxRow)

GtkWidget *rfdn_batch_row_new(const char *input, const char *rel);

const char *rfdn_batch_row_get_input(RfdnBatchRow *r);
const char *rfdn_batch_row_get_rel(RfdnBatchRow *r);
const char *rfdn_batch_row_get_output(RfdnBatchRow *r);
void rfdn_batch_row_set_output(RfdnBatchRow *r, const char *output);

RfdnBatchState rfdn_batch_row_get_state(RfdnBatchRow *r);
/* `message` (may be NULL): why it failed, shown with FAILED. */
void rfdn_batch_row_set_state(RfdnBatchRow *r, RfdnBatchState state, const char *message);
void rfdn_batch_row_set_fraction(RfdnBatchRow *r, double fraction);

/* The row's cancellable for its next run: new (not cancelled) when the row
 * is queued again; its button cancels it. */
GCancellable *rfdn_batch_row_get_cancellable(RfdnBatchRow *r);

G_END_DECLS

#endif
