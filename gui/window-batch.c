/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's batch queue: several images or folders planned and run
 * (batch.h), each row's state shown, the summary at the end.
 */
#include "window-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "batchplan.h"
#include "preferences.h"

/* ------------------------------------------------------------------------ */
/* Batches */

/* The name suffix with {scale} and {model} replaced (no folders). */
char *window_expand_suffix(RfdnWindow *w)
{
    char *suffix = g_settings_get_string(w->settings, "suffix");
    GString *s = g_string_new(NULL);
    for (const char *p = suffix; *p; p++) {
        if (g_str_has_prefix(p, "{scale}")) {
            g_string_append_printf(s, "%d", w->scale);
            p += 6;
        } else if (g_str_has_prefix(p, "{model}")) {
            g_string_append(s, w->model);
            p += 6;
        } else if (*p != '/') {
            g_string_append_c(s, *p);
        }
    }
    g_free(suffix);
    return g_string_free(s, FALSE);
}

static void on_batch_progress(RfdnBatch *b, double f, gpointer data)
{
    RfdnWindow *w = data;
    if (rfdn_batch_is_running(b))
        window_show_progress(w, f, (g_get_monotonic_time() - w->batch_t0) / 1e6);
}

static void on_batch_finished(RfdnBatch *b, gpointer data)
{
    RfdnWindow *w = data;
    int ok, failed;
    gboolean cancelled;
    rfdn_batch_count(b, &ok, &failed, &cancelled);
    const double secs = (g_get_monotonic_time() - w->batch_t0) / 1e6;
    char *t = g_strdup_printf(_("%d of %u images upscaled, %d failed (%.1f s)"), ok,
                              rfdn_batch_get_size(b), failed, secs);
    window_set_status(w, t);
    g_free(t);
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), !cancelled);
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), cancelled ? "" : _("Done"));
    window_set_state(w, cancelled ? "cancelled" : failed ? "error" : "done");
    window_update_actions(w);
}

void rfdn_window_open_batch(RfdnWindow *w, char **paths, int n)
{
    if (!rfdn_window_stop(w))
        return; /* (asked for while a stop waits) */
    window_second_drop(w);
    /* common/batchplan.c: folders' images in name order, subfolders
     * mirrored under the output folder, as the CLI's -r does */
    GPtrArray *files = rfdn_plan_new();
    for (int i = 0; i < n; i++)
        rfdn_plan_add(files, paths[i], TRUE);
    g_clear_object(&w->batch);
    w->batch = rfdn_batch_new(w->store);
    g_signal_connect(w->batch, "progress", G_CALLBACK(on_batch_progress), w);
    g_signal_connect(w->batch, "finished", G_CALLBACK(on_batch_finished), w);
    GList *rows = gtk_container_get_children(GTK_CONTAINER(w->batch_list));
    for (GList *l = rows; l; l = l->next)
        gtk_widget_destroy(l->data);
    g_list_free(rows);
    char *dir = rfdn_output_folder(w->settings);
    g_mkdir_with_parents(dir, 0777);
    gtk_file_chooser_set_filename(GTK_FILE_CHOOSER(w->batch_folder), dir);
    g_free(dir);
    for (guint i = 0; i < files->len; i++) {
        const rfdn_plan_item *pi = files->pdata[i];
        GtkWidget *row = rfdn_batch_row_new(pi->input, pi->rel);
        gtk_list_box_insert(GTK_LIST_BOX(w->batch_list), row, -1);
        rfdn_batch_add(w->batch, RFDN_BATCH_ROW(row));
    }
    char *t = g_strdup_printf(ngettext("%u image to upscale", "%u images to upscale", files->len),
                              files->len);
    window_set_status(w, t);
    g_free(t);
    g_ptr_array_free(files, TRUE);
    gtk_stack_set_visible_child_name(GTK_STACK(w->stack), "batch");
    gtk_header_bar_set_subtitle(GTK_HEADER_BAR(w->header), _("Batch"));
    window_set_state(w, "idle");
    window_update_actions(w);
}

void rfdn_window_start_batch(RfdnWindow *w)
{
    if (!w->batch || !rfdn_batch_get_size(w->batch) || window_busy(w) || w->stopping)
        return;
    window_show_message(w, NULL);
    /* the model first: without it the rows stay as they were */
    GError *err = NULL;
    window_apply_settings(w);
    if (!rfdn_model_store_get(w->store, w->model, w->scale, RFDN_CONTENT_CLEAN, NULL, NULL,
                              &err)) {
        window_show_message(w, err->message);
        g_error_free(err);
        window_set_state(w, "error");
        return;
    }
    char *dir = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(w->batch_folder));
    if (!dir)
        dir = rfdn_output_folder(w->settings);
    /* the outputs planned as the CLI plans them: an output that exists, is
     * an input or is another input's fails its row before any work */
    char *suffix = window_expand_suffix(w);
    rfdn_batch_plan(w->batch, dir, suffix);
    g_free(suffix);
    g_free(dir);
    w->batch_t0 = g_get_monotonic_time();
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), 0);
    window_set_state(w, "running");
    if (!rfdn_batch_start(w->batch, w->model, w->scale, window_content_setting(w), &err)) {
        window_show_message(w, err->message);
        g_error_free(err);
        window_set_state(w, "error");
    }
    window_update_actions(w);
}

void rfdn_window_open_paths(RfdnWindow *w, char **paths, int n)
{
    if (n == 1 && !g_file_test(paths[0], G_FILE_TEST_IS_DIR))
        window_open_path(w, paths[0]);
    else if (n > 0)
        rfdn_window_open_batch(w, paths, n);
}
