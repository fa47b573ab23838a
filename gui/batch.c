/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The batch run of batch.h. */
#include "batch.h"

#include "batchplan.h"
#include "job.h"

enum { SIG_PROGRESS, SIG_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _RfdnBatch {
    GObject parent;
    rfdn_model_store *store;
    GPtrArray *rows; /* RfdnBatchRow*, referenced */
    /* the run */
    char *model;
    int scale;
    rfdn_content content;
    gboolean replace;    /* existing outputs replaced (the plan's choice) */
    guint next;          /* the row to look at next */
    RfdnBatchRow *row;   /* running */
    RfdnJob *job;        /* running */
    gboolean cancelled;
};

G_DEFINE_TYPE(RfdnBatch, rfdn_batch, G_TYPE_OBJECT)

static void rfdn_batch_finalize(GObject *o)
{
    RfdnBatch *b = RFDN_BATCH(o);
    g_ptr_array_free(b->rows, TRUE);
    g_free(b->model);
    G_OBJECT_CLASS(rfdn_batch_parent_class)->finalize(o);
}

static void rfdn_batch_class_init(RfdnBatchClass *k)
{
    G_OBJECT_CLASS(k)->finalize = rfdn_batch_finalize;
    signals[SIG_PROGRESS] = g_signal_new("progress", RFDN_TYPE_BATCH, G_SIGNAL_RUN_LAST, 0, NULL,
                                         NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
    signals[SIG_FINISHED] = g_signal_new("finished", RFDN_TYPE_BATCH, G_SIGNAL_RUN_LAST, 0, NULL,
                                         NULL, NULL, G_TYPE_NONE, 0);
}

static void rfdn_batch_init(RfdnBatch *b)
{
    b->rows = g_ptr_array_new_with_free_func(g_object_unref);
}

RfdnBatch *rfdn_batch_new(rfdn_model_store *store)
{
    RfdnBatch *b = g_object_new(RFDN_TYPE_BATCH, NULL);
    b->store = store;
    return b;
}

void rfdn_batch_add(RfdnBatch *b, RfdnBatchRow *row)
{
    g_ptr_array_add(b->rows, g_object_ref(row));
}

guint rfdn_batch_get_size(RfdnBatch *b)
{
    return b->rows->len;
}

gboolean rfdn_batch_is_running(RfdnBatch *b)
{
    return b->job != NULL;
}

guint rfdn_batch_plan(RfdnBatch *b, const char *outdir, const char *suffix,
                      rfdn_existing existing)
{
    guint existed = 0;
    GPtrArray *plan = rfdn_plan_new();
    for (guint i = 0; i < b->rows->len; i++) {
        RfdnBatchRow *r = b->rows->pdata[i];
        rfdn_plan_item *pi = g_new0(rfdn_plan_item, 1);
        pi->input = g_strdup(rfdn_batch_row_get_input(r));
        pi->rel = g_strdup(rfdn_batch_row_get_rel(r));
        g_ptr_array_add(plan, pi);
    }
    const rfdn_plan_options po = {.outdir = outdir, .suffix = suffix, .existing = existing};
    rfdn_plan_outputs(plan, &po);
    for (guint i = 0; i < b->rows->len; i++) {
        RfdnBatchRow *r = b->rows->pdata[i];
        const rfdn_plan_item *pi = plan->pdata[i];
        existed += pi->existed;
        rfdn_batch_row_set_output(r, pi->output);
        rfdn_batch_row_set_state(r, pi->problem ? RFDN_BATCH_FAILED
                                    : pi->skip  ? RFDN_BATCH_SKIPPED
                                                : RFDN_BATCH_QUEUED,
                                 pi->problem);
    }
    g_ptr_array_free(plan, TRUE);
    b->replace = existing == RFDN_EXISTING_REPLACE;
    return existed;
}

/* In the worker, once a file is loaded: its variant's context.  The main
 * thread leaves the store alone while the batch runs. */
static rfdn_context *choose(gpointer user, const char *path, const rfdn_io_image *im,
                            char **why, GError **error)
{
    RfdnBatch *b = user;
    rfdn_content v = b->content;
    if (v == RFDN_CONTENT_AUTO) {
        const rfdn_image px = rfdn_io_engine_image(im);
        v = rfdn_content_guess(rfdn_jpeg_file_quality(path), &px, why);
    }
    return rfdn_model_store_get(b->store, b->model, b->scale, v, NULL, NULL, error);
}

static void run_next(RfdnBatch *b);

static void on_progress(RfdnJob *job, double f, gpointer data)
{
    RfdnBatch *b = data;
    if (job != b->job)
        return;
    rfdn_batch_row_set_fraction(b->row, f);
    g_signal_emit(b, signals[SIG_PROGRESS], 0, f);
}

static void on_item_done(GObject *source, GAsyncResult *res, gpointer data)
{
    RfdnBatch *b = data;
    GError *err = NULL;
    const rfdn_status st = rfdn_job_finish(RFDN_JOB(source), res, &err);
    g_signal_handlers_disconnect_by_data(source, b);
    rfdn_batch_row_set_state(b->row, st == RFDN_OK          ? RFDN_BATCH_DONE
                                     : st == RFDN_CANCELLED ? RFDN_BATCH_CANCELLED
                                                            : RFDN_BATCH_FAILED,
                             err ? err->message : NULL);
    g_clear_error(&err);
    g_clear_object(&b->job);
    b->row = NULL;
    run_next(b);
    g_object_unref(b); /* the item's reference */
}

/* The next queued row, or the end: the rest cancelled when asked. */
static void run_next(RfdnBatch *b)
{
    while (b->next < b->rows->len) {
        RfdnBatchRow *r = b->rows->pdata[b->next++];
        if (rfdn_batch_row_get_state(r) != RFDN_BATCH_QUEUED)
            continue;
        if (b->cancelled || g_cancellable_is_cancelled(rfdn_batch_row_get_cancellable(r))) {
            rfdn_batch_row_set_state(r, RFDN_BATCH_CANCELLED, NULL);
            continue;
        }
        b->row = r;
        rfdn_batch_row_set_state(r, RFDN_BATCH_RUNNING, NULL);
        b->job = rfdn_job_new_file(rfdn_batch_row_get_input(r), rfdn_batch_row_get_output(r),
                                   choose, b);
        rfdn_job_set_replace(b->job, b->replace);
        g_signal_connect(b->job, "progress", G_CALLBACK(on_progress), b);
        rfdn_job_run_async(b->job, rfdn_batch_row_get_cancellable(r), on_item_done,
                           g_object_ref(b));
        return;
    }
    g_signal_emit(b, signals[SIG_FINISHED], 0);
}

gboolean rfdn_batch_start(RfdnBatch *b, const char *name, int scale, rfdn_content content,
                          GError **error)
{
    g_return_val_if_fail(!b->job, FALSE);
    /* the clean model at least, before any work */
    if (!rfdn_model_store_get(b->store, name, scale, RFDN_CONTENT_CLEAN, NULL, NULL, error))
        return FALSE;
    g_free(b->model);
    b->model = g_strdup(name);
    b->scale = scale;
    b->content = content;
    b->next = 0;
    b->cancelled = FALSE;
    run_next(b);
    return TRUE;
}

void rfdn_batch_cancel(RfdnBatch *b)
{
    if (!b->job)
        return;
    b->cancelled = TRUE;
    g_cancellable_cancel(rfdn_batch_row_get_cancellable(b->row));
}

void rfdn_batch_stop(RfdnBatch *b)
{
    /* (as rfdn_document_stop: held, and cancelled on every turn) */
    g_object_ref(b);
    while (b->job) {
        rfdn_batch_cancel(b);
        g_main_context_iteration(NULL, TRUE);
    }
    g_object_unref(b);
}

void rfdn_batch_count(RfdnBatch *b, int *done, int *failed, int *skipped, gboolean *cancelled)
{
    *done = *failed = *skipped = 0;
    for (guint i = 0; i < b->rows->len; i++) {
        const RfdnBatchState st = rfdn_batch_row_get_state(b->rows->pdata[i]);
        *done += st == RFDN_BATCH_DONE;
        *failed += st == RFDN_BATCH_FAILED;
        *skipped += st == RFDN_BATCH_SKIPPED;
    }
    *cancelled = b->cancelled;
}
