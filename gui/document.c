/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The document of document.h. */
#include "document.h"

#include <string.h>

#include <glib/gi18n.h>

#include "display.h"
#include "job.h"

enum { PROP_0, PROP_STATE, N_PROPS };
enum { SIG_DAMAGED, SIG_PROGRESS, SIG_FINISHED, N_SIGNALS };
static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

struct _RfdnDocument {
    GObject parent;
    char *path, *name;
    rfdn_io_image *src;
    cairo_surface_t *orig;
    rfdn_io_image *dst;   /* the result, written by the engine */
    cairo_surface_t *res; /* shown */
    RfdnDocumentState state;
    char *why, *error;
    RfdnJob *job; /* while running */
    GCancellable *cancel;
    gint64 t0, t1; /* monotonic µs: the run's start and end */
    double first_ms;
};

G_DEFINE_TYPE(RfdnDocument, rfdn_document, G_TYPE_OBJECT)

GType rfdn_document_state_get_type(void)
{
    static gsize type;
    static const GEnumValue values[] = {
        {RFDN_DOCUMENT_LOADED, "RFDN_DOCUMENT_LOADED", "loaded"},
        {RFDN_DOCUMENT_RUNNING, "RFDN_DOCUMENT_RUNNING", "running"},
        {RFDN_DOCUMENT_DONE, "RFDN_DOCUMENT_DONE", "done"},
        {RFDN_DOCUMENT_CANCELLED, "RFDN_DOCUMENT_CANCELLED", "cancelled"},
        {RFDN_DOCUMENT_FAILED, "RFDN_DOCUMENT_FAILED", "failed"},
        {0, NULL, NULL},
    };
    if (g_once_init_enter(&type))
        g_once_init_leave(&type, g_enum_register_static("RfdnDocumentState", values));
    return type;
}

static void set_state(RfdnDocument *d, RfdnDocumentState st)
{
    d->state = st;
    g_object_notify_by_pspec(G_OBJECT(d), props[PROP_STATE]);
}

static void rfdn_document_get_property(GObject *o, guint id, GValue *v, GParamSpec *p)
{
    if (id == PROP_STATE)
        g_value_set_enum(v, RFDN_DOCUMENT(o)->state);
    else
        G_OBJECT_WARN_INVALID_PROPERTY_ID(o, id, p);
}

static void rfdn_document_finalize(GObject *o)
{
    RfdnDocument *d = RFDN_DOCUMENT(o);
    /* (the window stops a run before it lets its document go) */
    g_clear_object(&d->job);
    g_clear_object(&d->cancel);
    rfdn_io_image_free(d->src);
    rfdn_io_image_free(d->dst);
    g_clear_pointer(&d->orig, cairo_surface_destroy);
    g_clear_pointer(&d->res, cairo_surface_destroy);
    g_free(d->path);
    g_free(d->name);
    g_free(d->why);
    g_free(d->error);
    G_OBJECT_CLASS(rfdn_document_parent_class)->finalize(o);
}

static void rfdn_document_class_init(RfdnDocumentClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    oc->get_property = rfdn_document_get_property;
    oc->finalize = rfdn_document_finalize;
    props[PROP_STATE] = g_param_spec_enum("state", "State", "Where the result stands",
                                          RFDN_TYPE_DOCUMENT_STATE, RFDN_DOCUMENT_LOADED,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
    g_object_class_install_properties(oc, N_PROPS, props);
    signals[SIG_DAMAGED] = g_signal_new("damaged", RFDN_TYPE_DOCUMENT, G_SIGNAL_RUN_LAST, 0, NULL,
                                        NULL, NULL, G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT,
                                        G_TYPE_INT, G_TYPE_INT);
    signals[SIG_PROGRESS] = g_signal_new("progress", RFDN_TYPE_DOCUMENT, G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
    signals[SIG_FINISHED] = g_signal_new("finished", RFDN_TYPE_DOCUMENT, G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void rfdn_document_init(RfdnDocument *d)
{
}

RfdnDocument *rfdn_document_new(rfdn_io_image *image, const char *path, const char *name)
{
    cairo_surface_t *orig = rfdn_display_surface(image);
    if (!orig) {
        rfdn_io_image_free(image);
        return NULL;
    }
    RfdnDocument *d = g_object_new(RFDN_TYPE_DOCUMENT, NULL);
    d->src = image;
    d->orig = orig;
    d->path = g_strdup(path);
    d->name = g_strdup(name);
    return d;
}

RfdnDocument *rfdn_document_new_copy(RfdnDocument *d)
{
    rfdn_io_image *im = rfdn_io_new_like(d->src, d->src->width, d->src->height, NULL);
    if (!im)
        return NULL;
    for (int y = 0; y < im->height; y++)
        memcpy((uint8_t *)im->pixels + y * im->stride,
               (const uint8_t *)d->src->pixels + y * d->src->stride,
               MIN(im->stride, d->src->stride));
    return rfdn_document_new(im, d->path, d->name);
}

const char *rfdn_document_get_path(RfdnDocument *d) { return d->path; }
const char *rfdn_document_get_name(RfdnDocument *d) { return d->name; }
const rfdn_io_image *rfdn_document_get_source(RfdnDocument *d) { return d->src; }
cairo_surface_t *rfdn_document_get_original(RfdnDocument *d) { return d->orig; }
RfdnDocumentState rfdn_document_get_state(RfdnDocument *d) { return d->state; }
cairo_surface_t *rfdn_document_get_result_surface(RfdnDocument *d) { return d->res; }
const char *rfdn_document_get_why(RfdnDocument *d) { return d->why; }
const char *rfdn_document_get_error(RfdnDocument *d) { return d->error; }
double rfdn_document_get_first_pass_ms(RfdnDocument *d) { return d->first_ms; }

const rfdn_io_image *rfdn_document_get_result(RfdnDocument *d)
{
    return d->state == RFDN_DOCUMENT_DONE ? d->dst : NULL;
}

double rfdn_document_get_seconds(RfdnDocument *d)
{
    return ((d->t1 ? d->t1 : g_get_monotonic_time()) - d->t0) / 1e6;
}

static void on_tile(RfdnJob *job, int x, int y, int w, int h, gpointer data)
{
    RfdnDocument *d = data;
    rfdn_display_copy(d->dst, x, y, w, h, d->res, x, y);
    g_signal_emit(d, signals[SIG_DAMAGED], 0, x, y, w, h);
}

static void on_first(RfdnJob *job, gpointer region, int x, int y, gpointer data)
{
    RfdnDocument *d = data;
    const rfdn_io_image *r = region;
    rfdn_display_copy(r, 0, 0, r->width, r->height, d->res, x, y);
    d->first_ms = (g_get_monotonic_time() - d->t0) / 1e3;
    g_signal_emit(d, signals[SIG_DAMAGED], 0, x, y, r->width, r->height);
}

static void on_progress(RfdnJob *job, double f, gpointer data)
{
    RfdnDocument *d = data;
    if (job == d->job)
        g_signal_emit(d, signals[SIG_PROGRESS], 0, f);
}

static void on_finished(GObject *source, GAsyncResult *res, gpointer data)
{
    RfdnDocument *d = data;
    GError *err = NULL;
    const rfdn_status st = rfdn_job_finish(RFDN_JOB(source), res, &err);
    g_signal_handlers_disconnect_by_data(source, d);
    g_clear_object(&d->job);
    d->t1 = g_get_monotonic_time();
    g_clear_pointer(&d->error, g_free);
    if (err)
        d->error = g_strdup(err->message);
    g_clear_error(&err);
    set_state(d, st == RFDN_OK          ? RFDN_DOCUMENT_DONE
                 : st == RFDN_CANCELLED ? RFDN_DOCUMENT_CANCELLED
                                        : RFDN_DOCUMENT_FAILED);
    g_signal_emit(d, signals[SIG_FINISHED], 0);
    g_object_unref(d); /* the run's reference */
}

/* The result's memory, painted with the original smoothly enlarged until
 * the network's pixels arrive. */
static gboolean make_result(RfdnDocument *d, int ow, int oh, GError **error)
{
    rfdn_io_image_free(d->dst);
    g_clear_pointer(&d->res, cairo_surface_destroy);
    d->dst = rfdn_io_new_like(d->src, ow, oh, error);
    if (!d->dst)
        return FALSE;
    d->res = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, ow, oh);
    if (cairo_surface_status(d->res) != CAIRO_STATUS_SUCCESS) {
        g_clear_pointer(&d->res, cairo_surface_destroy);
        g_clear_pointer(&d->dst, rfdn_io_image_free);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, _("Not enough memory for the result"));
        return FALSE;
    }
    cairo_t *cr = cairo_create(d->res);
    cairo_scale(cr, (double)ow / d->src->width, (double)oh / d->src->height);
    cairo_set_source_surface(cr, d->orig, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    return TRUE;
}

gboolean rfdn_document_upscale(RfdnDocument *d, rfdn_context *ctx, const char *why,
                               const GdkRectangle *first, GError **error)
{
    g_return_val_if_fail(!d->job, FALSE);
    int ow, oh;
    if (rfdn_output_size(rfdn_context_get_model(ctx), d->src->width, d->src->height, &ow, &oh)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    _("The image is too large for this scale"));
        return FALSE;
    }
    if (!make_result(d, ow, oh, error))
        return FALSE;
    g_free(d->why);
    d->why = g_strdup(why);
    d->job = rfdn_job_new_image(ctx, d->src, d->dst);
    if (first)
        rfdn_job_set_first_pass(d->job, first->x, first->y, first->width, first->height);
    g_signal_connect(d->job, "tile-ready", G_CALLBACK(on_tile), d);
    g_signal_connect(d->job, "first-pass", G_CALLBACK(on_first), d);
    g_signal_connect(d->job, "progress", G_CALLBACK(on_progress), d);
    g_clear_object(&d->cancel);
    d->cancel = g_cancellable_new();
    d->t0 = g_get_monotonic_time();
    d->t1 = 0;
    d->first_ms = 0;
    set_state(d, RFDN_DOCUMENT_RUNNING);
    rfdn_job_run_async(d->job, d->cancel, on_finished, g_object_ref(d));
    return TRUE;
}

void rfdn_document_cancel(RfdnDocument *d)
{
    if (d->job)
        g_cancellable_cancel(d->cancel);
}

void rfdn_document_stop(RfdnDocument *d)
{
    /* prompt: the engine checks between layers.  The loop runs the main
     * loop: the document is held, and a run started meanwhile is
     * cancelled too. */
    g_object_ref(d);
    while (d->job) {
        rfdn_document_cancel(d);
        g_main_context_iteration(NULL, TRUE);
    }
    g_object_unref(d);
}
