/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The job of job.h.  The worker reports through a queue under a mutex
 * (pthreads', which ThreadSanitizer sees; GLib's GMutex is a bare futex):
 * tiles and the first pass are appended, the progress is an atomic, and
 * one idle callback at a time on the caller's main context empties the
 * queue into signals.  The end drains the queue before the caller's
 * callback runs, so every tile is reported before "finished".
 */
#include "job.h"

#include <pthread.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

enum { SIG_PROGRESS, SIG_TILE, SIG_FIRST, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
    int x, y, w, h;
} rect;

struct _RfdnJob {
    GObject parent;
    /* set before the run, read by the worker */
    rfdn_context *ctx; /* an image job's; a file job's once chosen (atomic) */
    const rfdn_io_image *in;
    rfdn_io_image *out;
    rect first;
    char *input, *output;
    gboolean replace; /* the file job's output, when it exists */
    rfdn_job_context_fn choose;
    gpointer choose_user;
    GCancellable *cancellable;
    gulong cancel_id;
    GMainContext *main;
    /* worker -> main */
    pthread_mutex_t lock;
    GArray *tiles;            /* rect, under lock */
    rfdn_io_image *first_out; /* under lock */
    gint progress;            /* atomic, parts per million */
    gint idle_pending;        /* atomic */
    char *why;                /* a file job's, set by the worker */
};

G_DEFINE_TYPE(RfdnJob, rfdn_job, G_TYPE_OBJECT)

static void rfdn_job_finalize(GObject *o)
{
    RfdnJob *j = RFDN_JOB(o);
    if (j->cancel_id)
        g_cancellable_disconnect(j->cancellable, j->cancel_id);
    g_clear_object(&j->cancellable);
    g_array_free(j->tiles, TRUE);
    rfdn_io_image_free(j->first_out);
    g_free(j->input);
    g_free(j->output);
    g_free(j->why);
    if (j->main)
        g_main_context_unref(j->main);
    pthread_mutex_destroy(&j->lock);
    G_OBJECT_CLASS(rfdn_job_parent_class)->finalize(o);
}

static void rfdn_job_class_init(RfdnJobClass *k)
{
    G_OBJECT_CLASS(k)->finalize = rfdn_job_finalize;
    signals[SIG_PROGRESS] = g_signal_new("progress", RFDN_TYPE_JOB, G_SIGNAL_RUN_LAST, 0, NULL,
                                         NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
    signals[SIG_TILE] = g_signal_new("tile-ready", RFDN_TYPE_JOB, G_SIGNAL_RUN_LAST, 0, NULL,
                                     NULL, NULL, G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT,
                                     G_TYPE_INT, G_TYPE_INT);
    signals[SIG_FIRST] = g_signal_new("first-pass", RFDN_TYPE_JOB, G_SIGNAL_RUN_LAST, 0, NULL,
                                      NULL, NULL, G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_INT,
                                      G_TYPE_INT);
}

static void rfdn_job_init(RfdnJob *j)
{
    pthread_mutex_init(&j->lock, NULL);
    j->tiles = g_array_new(FALSE, FALSE, sizeof(rect));
}

RfdnJob *rfdn_job_new_image(rfdn_context *ctx, const rfdn_io_image *in, rfdn_io_image *out)
{
    RfdnJob *j = g_object_new(RFDN_TYPE_JOB, NULL);
    j->ctx = ctx;
    j->in = in;
    j->out = out;
    return j;
}

void rfdn_job_set_first_pass(RfdnJob *j, int x, int y, int w, int h)
{
    j->first = (rect){x, y, w, h};
}

RfdnJob *rfdn_job_new_file(const char *input, const char *output, rfdn_job_context_fn choose,
                           gpointer user)
{
    RfdnJob *j = g_object_new(RFDN_TYPE_JOB, NULL);
    j->input = g_strdup(input);
    j->output = g_strdup(output);
    j->choose = choose;
    j->choose_user = user;
    return j;
}

void rfdn_job_set_replace(RfdnJob *j, gboolean replace)
{
    j->replace = replace;
}

const char *rfdn_job_get_why(RfdnJob *j)
{
    return j->why;
}

/* ------------------------------------------------------------------------ */
/* Worker -> main context */

/* Empties the queue into signals (main context). */
static void drain(RfdnJob *j)
{
    g_atomic_int_set(&j->idle_pending, 0);
    pthread_mutex_lock(&j->lock);
    GArray *tiles = j->tiles;
    j->tiles = g_array_new(FALSE, FALSE, sizeof(rect));
    rfdn_io_image *first = j->first_out;
    j->first_out = NULL;
    pthread_mutex_unlock(&j->lock);
    if (first) {
        const rfdn_model *m = rfdn_context_get_model(j->ctx);
        rfdn_model_info info;
        rfdn_model_get_info(m, &info);
        g_signal_emit(j, signals[SIG_FIRST], 0, first, j->first.x * info.scale,
                      j->first.y * info.scale);
        rfdn_io_image_free(first);
    }
    for (guint i = 0; i < tiles->len; i++) {
        const rect *r = &g_array_index(tiles, rect, i);
        g_signal_emit(j, signals[SIG_TILE], 0, r->x, r->y, r->w, r->h);
    }
    g_array_free(tiles, TRUE);
    g_signal_emit(j, signals[SIG_PROGRESS], 0, g_atomic_int_get(&j->progress) / 1e6);
}

static gboolean on_idle(gpointer data)
{
    drain(data);
    return G_SOURCE_REMOVE;
}

/* From the worker: one idle at a time (it holds a reference). */
static void schedule(RfdnJob *j)
{
    if (g_atomic_int_compare_and_exchange(&j->idle_pending, 0, 1))
        g_main_context_invoke_full(j->main, G_PRIORITY_DEFAULT, on_idle, g_object_ref(j),
                                   g_object_unref);
}

static int on_progress(void *user, uint64_t done, uint64_t total)
{
    RfdnJob *j = user;
    g_atomic_int_set(&j->progress, (gint)(total ? 1e6 * done / total : 1e6));
    schedule(j);
    return g_cancellable_is_cancelled(j->cancellable);
}

static void on_tile(void *user, int x, int y, int w, int h)
{
    RfdnJob *j = user;
    const rect r = {x, y, w, h};
    pthread_mutex_lock(&j->lock);
    g_array_append_val(j->tiles, r);
    pthread_mutex_unlock(&j->lock);
    schedule(j);
}

static void on_cancelled(GCancellable *c, gpointer data)
{
    RfdnJob *j = data;
    /* (NULL does nothing; a context not running forgets it) */
    rfdn_cancel(g_atomic_pointer_get(&j->ctx));
}

/* ------------------------------------------------------------------------ */
/* Worker */

static rfdn_status upscale(RfdnJob *j, rfdn_context *ctx, const rfdn_io_image *in,
                           rfdn_io_image *out, GError **error)
{
    const rfdn_image i = rfdn_io_engine_image(in), o = rfdn_io_engine_image(out);
    const rfdn_status st = rfdn_upscale(ctx, &i, &o);
    if (st != RFDN_OK && st != RFDN_CANCELLED)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s", rfdn_context_error(ctx));
    return st;
}

/* An image job's region, upscaled first into j->first_out. */
static rfdn_status first_pass(RfdnJob *j, GError **error)
{
    const rect *v = &j->first;
    const rfdn_io_image *src = j->in;
    if (v->w <= 0 || v->h <= 0 || (v->w >= src->width && v->h >= src->height))
        return RFDN_OK;
    rfdn_model_info info;
    rfdn_model_get_info(rfdn_context_get_model(j->ctx), &info);
    rfdn_io_image *crop = rfdn_io_new(v->w, v->h, src->channels, src->bits, error);
    rfdn_io_image *out =
        crop ? rfdn_io_new(v->w * info.scale, v->h * info.scale, src->channels, src->bits, error)
             : NULL;
    rfdn_status st = RFDN_ERROR_NO_MEMORY;
    if (out) {
        const size_t bpp = (size_t)src->channels * (src->bits / 8);
        for (int y = 0; y < v->h; y++)
            memcpy((uint8_t *)crop->pixels + y * crop->stride,
                   (const uint8_t *)src->pixels + (size_t)(v->y + y) * src->stride + v->x * bpp,
                   v->w * bpp);
        st = upscale(j, j->ctx, crop, out, error);
    }
    if (st == RFDN_OK) {
        pthread_mutex_lock(&j->lock);
        j->first_out = out;
        pthread_mutex_unlock(&j->lock);
        schedule(j);
        out = NULL;
    }
    rfdn_io_image_free(crop);
    rfdn_io_image_free(out);
    return st;
}

static rfdn_status run_image(RfdnJob *j, GError **error)
{
    /* the first pass without progress (it is not the whole's); a failed
     * one only costs the early view */
    GError *first_err = NULL;
    rfdn_status st = first_pass(j, &first_err);
    g_clear_error(&first_err);
    if (st != RFDN_CANCELLED) {
        rfdn_context_set_progress(j->ctx, on_progress, j);
        rfdn_context_set_tile_callback(j->ctx, on_tile, j);
        st = upscale(j, j->ctx, j->in, j->out, error);
    }
    rfdn_context_set_progress(j->ctx, NULL, NULL);
    rfdn_context_set_tile_callback(j->ctx, NULL, NULL);
    return st;
}

static rfdn_status run_file(RfdnJob *j, GError **error)
{
    rfdn_io_image *in = rfdn_io_load(j->input, 0, error), *out = NULL;
    if (!in)
        return RFDN_ERROR_IO;
    rfdn_status st = RFDN_ERROR_IO;
    rfdn_context *ctx = j->choose(j->choose_user, j->input, in, &j->why, error);
    int ow = 0, oh = 0;
    if (ctx && rfdn_output_size(rfdn_context_get_model(ctx), in->width, in->height, &ow, &oh) !=
                   RFDN_OK)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("The image is too large"));
    else if (ctx)
        out = rfdn_io_new_like(in, ow, oh, error);
    if (out) {
        g_atomic_pointer_set(&j->ctx, ctx);
        rfdn_context_set_progress(ctx, on_progress, j);
        /* a cancel while the file loaded: seen here and by on_progress */
        st = g_cancellable_is_cancelled(j->cancellable) ? RFDN_CANCELLED
                                                         : upscale(j, ctx, in, out, error);
        rfdn_context_set_progress(ctx, NULL, NULL);
        g_atomic_pointer_set(&j->ctx, NULL);
    }
    if (st == RFDN_OK) {
        char *dir = g_path_get_dirname(j->output);
        g_mkdir_with_parents(dir, 0777);
        g_free(dir);
        const rfdn_io_save_options so = {.overwrite = j->replace};
        if (!rfdn_io_save(out, j->output, &so, error))
            st = RFDN_ERROR_IO;
    }
    rfdn_io_image_free(in);
    rfdn_io_image_free(out);
    return st;
}

/* The worker hands its end to the main context through GLib (futexes,
 * which ThreadSanitizer does not see); the two sides also meet on j->lock,
 * an order it sees.  (The worker is a thread of its own, not one of GTask's
 * pool, for the same reason: its start is a pthread_create.) */
static void handoff(RfdnJob *j)
{
    pthread_mutex_lock(&j->lock);
    pthread_mutex_unlock(&j->lock);
}

static gpointer worker(gpointer data)
{
    GTask *task = data;
    RfdnJob *j = g_task_get_task_data(task);
    GError *err = NULL;
    const rfdn_status st = j->input ? run_file(j, &err) : run_image(j, &err);
    handoff(j);
    if (err)
        g_task_return_error(task, err);
    else
        g_task_return_int(task, st);
    g_object_unref(task);
    return NULL;
}

/* The end on the main context: the queue emptied, then the caller told.
 * The job's reference is the main thread's (the task, freed by the worker,
 * holds none), so the job is finalized on the main thread. */
typedef struct {
    RfdnJob *job;
    GAsyncReadyCallback callback;
    gpointer user;
} finish_data;

static void on_done(GObject *source, GAsyncResult *res, gpointer data)
{
    finish_data *f = data;
    handoff(f->job);
    drain(f->job);
    f->callback(G_OBJECT(f->job), res, f->user);
    g_object_unref(f->job);
    g_free(f);
}

void rfdn_job_run_async(RfdnJob *j, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user)
{
    j->main = g_main_context_ref_thread_default();
    j->cancellable = cancellable ? g_object_ref(cancellable) : g_cancellable_new();
    j->cancel_id = g_cancellable_connect(j->cancellable, G_CALLBACK(on_cancelled), j, NULL);
    finish_data *f = g_new(finish_data, 1);
    *f = (finish_data){g_object_ref(j), callback, user};
    /* (the task's own cancellable is none: a cancelled job still ends
     * through the engine, with RFDN_CANCELLED, and its queue drained) */
    GTask *task = g_task_new(NULL, NULL, on_done, f);
    g_task_set_task_data(task, j, NULL);
    g_thread_unref(g_thread_new("rfdn-job", worker, task)); /* the task's reference */
}

rfdn_status rfdn_job_finish(RfdnJob *j, GAsyncResult *result, GError **error)
{
    GError *err = NULL;
    const gssize st = g_task_propagate_int(G_TASK(result), &err);
    if (err) {
        /* a cancel that came as an error from the engine is a cancel */
        if (g_cancellable_is_cancelled(j->cancellable)) {
            g_error_free(err);
            return RFDN_CANCELLED;
        }
        g_propagate_error(error, err);
        return RFDN_ERROR_IO;
    }
    return (rfdn_status)st;
}
