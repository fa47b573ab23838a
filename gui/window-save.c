/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Saving a result on a worker thread (issue 28): a 384-megapixel PNG takes
 * tens of seconds, and the window must stay responsive meanwhile, say
 * "Saving…" with a progress bar, and offer Cancel, after which nothing is
 * left on disk (common/imagesave.c writes to a temporary file).  While a
 * save runs the window counts as busy: nothing that could free the result
 * being encoded starts, and what stops the window (another image, another
 * model) waits for the save to finish; only Cancel, or the window going
 * away, cancels it.  The save holds the document whose image it encodes.
 */
#include "window-private.h"

#include <string.h>

#include <glib/gi18n.h>

struct window_save {
    RfdnWindow *w; /* (a reference) */
    GObject *owner; /* (a reference) the document holding `image` */
    const rfdn_io_image *image; /* its result, unchanged while busy */
    char *path;
    int quality; /* JPEG and WebP; 0: the default */
    GCancellable *cancellable;
    gint permille; /* encoded so far (atomic: written by the worker) */
    guint poll;    /* the main loop's progress timer */
};

static void save_free(window_save *s)
{
    if (s->poll)
        g_source_remove(s->poll);
    g_object_unref(s->cancellable);
    g_object_unref(s->owner);
    g_free(s->path);
    g_object_unref(s->w);
    g_free(s);
}

static void on_progress(double f, gpointer data)
{
    window_save *s = data;
    g_atomic_int_set(&s->permille, (gint)(f * 1000));
}

static gboolean poll_progress(gpointer data)
{
    window_save *s = data;
    const double f = g_atomic_int_get(&s->permille) / 1000.0;
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(s->w->progress), f);
    char *t = g_strdup_printf(_("Saving\342\200\246 %d %%"), (int)(f * 100));
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(s->w->progress), t);
    g_free(t);
    return G_SOURCE_CONTINUE;
}

static void save_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    window_save *s = data;
    const rfdn_io_save_options so = {.overwrite = TRUE, .quality = s->quality, .cancellable = c,
                                     .progress = on_progress, .progress_user = s};
    GError *err = NULL;
    if (rfdn_io_save(s->image, s->path, &so, &err))
        g_task_return_boolean(task, TRUE);
    else
        g_task_return_error(task, err);
}

static void on_saved(GObject *source, GAsyncResult *res, gpointer data)
{
    window_save *s = data;
    RfdnWindow *w = s->w;
    GError *err = NULL;
    const gboolean ok = g_task_propagate_boolean(G_TASK(res), &err);
    w->saving = NULL;
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), ok);
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), ok ? _("Done") : "");
    char *base = g_path_get_basename(s->path);
    if (ok) {
        char *t = g_strdup_printf(_("Saved %s"), s->path);
        window_set_status(w, t);
        g_free(t);
        window_set_state(w, "saved");
    } else if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        char *t = g_strdup_printf(_("Saving %s cancelled: nothing was written"), base);
        window_set_status(w, t);
        g_free(t);
        window_set_state(w, "cancelled");
    } else {
        char *t = g_strdup_printf(_("Cannot save %s"), base);
        window_set_status(w, "");
        window_error_dialog(w, t, err->message);
        g_free(t);
        window_set_state(w, "error");
    }
    g_free(base);
    g_clear_error(&err);
    save_free(s);
    window_update_actions(w);
}

gboolean window_save_start(RfdnWindow *w, RfdnDocument *owner, const char *path, int quality)
{
    const char *orig = w->doc ? rfdn_document_get_path(w->doc) : NULL;
    const rfdn_io_image *image = owner ? rfdn_document_get_result(owner) : NULL;
    if (!image || w->saving || w->stopping)
        return FALSE;
    if (orig && !strcmp(orig, path)) {
        window_error_dialog(w, _("The original cannot be overwritten"), _("Choose another name."));
        return FALSE;
    }
    window_save *s = g_new0(window_save, 1);
    s->w = g_object_ref(w);
    s->owner = g_object_ref(G_OBJECT(owner));
    s->image = image;
    s->path = g_strdup(path);
    s->quality = quality;
    s->cancellable = g_cancellable_new();
    w->saving = s;
    char *base = g_path_get_basename(path);
    char *t = g_strdup_printf(_("Saving %s\342\200\246"), base);
    window_set_status(w, t);
    g_free(t);
    g_free(base);
    poll_progress(s);
    s->poll = g_timeout_add(100, poll_progress, s);
    GTask *task = g_task_new(NULL, s->cancellable, on_saved, s);
    /* (the save's own answer: a cancel after the last strip was written
     * comes back as a success, the file then complete) */
    g_task_set_check_cancellable(task, FALSE);
    g_task_set_task_data(task, s, NULL);
    g_task_run_in_thread(task, save_thread);
    g_object_unref(task);
    window_set_state(w, "saving");
    window_update_actions(w);
    return TRUE;
}

void window_save_cancel(RfdnWindow *w)
{
    if (w->saving)
        g_cancellable_cancel(w->saving->cancellable);
}

void window_save_wait(RfdnWindow *w, gboolean cancel)
{
    /* (on_saved clears w->saving; the loop runs the main loop) */
    g_object_ref(w);
    while (w->saving) {
        if (cancel)
            window_save_cancel(w);
        g_main_context_iteration(NULL, TRUE);
    }
    g_object_unref(w);
}
