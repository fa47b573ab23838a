/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's comparison of the two variants (issue 23): once the image's
 * result is made, the same image is upscaled by the other variant of the
 * same model and scale (clean beside photo), shown as a third pane with
 * the same zoom and pan, each pane labelled with its model, variant and
 * time.  The runs take turns: the session's model store keeps one context
 * alive.
 */
#include "window-private.h"

#include <glib/gi18n.h>

#include "compare.h"

static void on_second_damaged(RfdnDocument *d, int x, int y, int w_, int h, gpointer data)
{
    RfdnWindow *w = data;
    rfdn_compare_damage(RFDN_COMPARE(w->compare), 0, 0, 0, 0);
}

static void on_second_progress(RfdnDocument *d, double f, gpointer data)
{
    RfdnWindow *w = data;
    window_show_progress(w, f, rfdn_document_get_seconds(d));
}

static void on_second_finished(RfdnDocument *d, gpointer data)
{
    RfdnWindow *w = data;
    const RfdnDocumentState st = rfdn_document_get_state(d);
    rfdn_compare_damage(RFDN_COMPARE(w->compare), 0, 0, 0, 0);
    if (st == RFDN_DOCUMENT_DONE) {
        char *label = window_result_label(w, d, w->second_variant, w->second_weights);
        rfdn_compare_set_label(RFDN_COMPARE(w->compare), 2, label);
        g_free(label);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), _("Done"));
        window_set_state(w, "done");
    } else if (st == RFDN_DOCUMENT_CANCELLED) {
        window_set_state(w, "cancelled");
    } else {
        const char *e = rfdn_document_get_error(d);
        window_show_message(w, e ? e : _("The upscale failed"));
        window_set_state(w, "error");
    }
    window_update_actions(w);
}

void window_second_start(RfdnWindow *w)
{
    /* (busy: a batch's worker uses the store; the comparison comes after
     * the next upscale) */
    if (!w->doc || rfdn_document_get_state(w->doc) != RFDN_DOCUMENT_DONE || w->second ||
        window_busy(w) || w->stopping)
        return;
    const rfdn_content v =
        w->variant == RFDN_CONTENT_PHOTO ? RFDN_CONTENT_CLEAN : RFDN_CONTENT_PHOTO;
    GError *err = NULL;
    char *note = NULL;
    window_apply_settings(w);
    const char *file = NULL;
    rfdn_context *ctx = rfdn_model_store_get(w->store, w->model, w->scale, v, &file, &note, &err);
    w->second_weights = window_weights(ctx, file);
    RfdnDocument *second = ctx ? rfdn_document_new_copy(w->doc) : NULL;
    if (note) {
        /* the other variant is not installed: nothing to compare with */
        window_show_message(w, note);
        g_clear_object(&second);
    } else if (ctx && !second) {
        window_show_message(w, _("Not enough memory for the result"));
    }
    g_free(note);
    char *why = g_strdup_printf(v == RFDN_CONTENT_PHOTO ? _("photo model (compared)")
                                                        : _("clean model (compared)"));
    const GdkRectangle none = {0, 0, 0, 0};
    if (second && !rfdn_document_upscale(second, ctx, why, &none, &err))
        g_clear_object(&second);
    g_free(why);
    if (err) {
        window_show_message(w, err->message);
        g_error_free(err);
    }
    if (!second) {
        window_refresh_state(w);
        return;
    }
    w->second = second;
    w->second_variant = v;
    g_signal_connect(second, "damaged", G_CALLBACK(on_second_damaged), w);
    g_signal_connect(second, "progress", G_CALLBACK(on_second_progress), w);
    g_signal_connect(second, "finished", G_CALLBACK(on_second_finished), w);
    RfdnCompare *cmp = RFDN_COMPARE(w->compare);
    rfdn_compare_set_second(cmp, rfdn_document_get_result_surface(second));
    rfdn_compare_set_label(cmp, 2, NULL);
    window_set_state(w, "running");
    window_update_actions(w);
}

void window_second_drop(RfdnWindow *w)
{
    if (!w->second)
        return;
    rfdn_document_stop(w->second);
    g_signal_handlers_disconnect_by_data(w->second, w);
    g_clear_object(&w->second);
    rfdn_compare_set_second(RFDN_COMPARE(w->compare), NULL);
    rfdn_compare_set_label(RFDN_COMPARE(w->compare), 2, NULL);
}

gboolean window_second_busy(RfdnWindow *w)
{
    return w->second && rfdn_document_get_state(w->second) == RFDN_DOCUMENT_RUNNING;
}

void rfdn_window_set_compare(RfdnWindow *w, gboolean on)
{
    w->comparing = on;
    if (on)
        window_second_start(w);
    else
        window_second_drop(w);
    window_refresh_state(w);
    window_update_actions(w);
}

gboolean rfdn_window_save_second_to(RfdnWindow *w, const char *path)
{
    const rfdn_io_image *r = w->second ? rfdn_document_get_result(w->second) : NULL;
    return r && !window_busy(w) && window_save_start(w, w->second, path, 0);
}
