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
    int ok, failed, skipped;
    gboolean cancelled;
    rfdn_batch_count(b, &ok, &failed, &skipped, &cancelled);
    const double secs = (g_get_monotonic_time() - w->batch_t0) / 1e6;
    char *t = g_strdup_printf(_("%d of %u images upscaled, %d failed (%.1f s)"), ok,
                              rfdn_batch_get_size(b), failed, secs);
    if (skipped) {
        char *s = g_strdup_printf(ngettext("%s; %d skipped: its result exists",
                                           "%s; %d skipped: their results exist", skipped),
                                  t, skipped);
        g_free(t);
        t = s;
    }
    window_set_status(w, t);
    g_free(t);
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), !cancelled);
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), cancelled ? "" : _("Done"));
    window_set_state(w, cancelled ? "cancelled" : failed ? "error" : "done");
    window_update_actions(w);
}

/* Whether `input` is queued already (added twice, it would be one output
 * written by two rows). */
static gboolean queued(RfdnWindow *w, const char *input)
{
    GList *rows = gtk_container_get_children(GTK_CONTAINER(w->batch_list));
    gboolean found = FALSE;
    for (GList *l = rows; l && !found; l = l->next)
        found = !strcmp(rfdn_batch_row_get_input(l->data), input);
    g_list_free(rows);
    return found;
}

void rfdn_window_open_batch(RfdnWindow *w, char **paths, int n)
{
    /* a queue not started yet grows (images dropped or opened one lot
     * after another); one that has run is replaced */
    const gboolean grow = w->batch && !window_busy(w) && !w->stopping &&
                          !strcmp(window_page(w), "batch") && w->state &&
                          !strcmp(w->state, "idle");
    if (!rfdn_window_stop(w))
        return; /* (asked for while a stop waits) */
    window_second_drop(w);
    /* common/batchplan.c: folders' images in name order, subfolders
     * mirrored under the output folder, as the CLI's -r does */
    GPtrArray *files = rfdn_plan_new();
    for (int i = 0; i < n; i++)
        rfdn_plan_add(files, paths[i], TRUE);
    if (!grow) {
        g_clear_object(&w->batch);
        w->batch = rfdn_batch_new(w->store);
        g_signal_connect(w->batch, "progress", G_CALLBACK(on_batch_progress), w);
        g_signal_connect(w->batch, "finished", G_CALLBACK(on_batch_finished), w);
        GList *rows = gtk_container_get_children(GTK_CONTAINER(w->batch_list));
        for (GList *l = rows; l; l = l->next)
            gtk_widget_destroy(l->data);
        g_list_free(rows);
        rfdn_show_output_folder(w->settings, GTK_FILE_CHOOSER(w->batch_folder));
    }
    for (guint i = 0; i < files->len; i++) {
        const rfdn_plan_item *pi = files->pdata[i];
        if (grow && queued(w, pi->input))
            continue;
        GtkWidget *row = rfdn_batch_row_new(pi->input, pi->rel);
        gtk_list_box_insert(GTK_LIST_BOX(w->batch_list), row, -1);
        rfdn_batch_add(w->batch, RFDN_BATCH_ROW(row));
    }
    const guint total = rfdn_batch_get_size(w->batch);
    char *t = g_strdup_printf(ngettext("%u image to upscale", "%u images to upscale", total),
                              total);
    window_set_status(w, t);
    g_free(t);
    g_ptr_array_free(files, TRUE);
    gtk_stack_set_visible_child_name(GTK_STACK(w->stack), "batch");
    gtk_header_bar_set_subtitle(GTK_HEADER_BAR(w->header), _("Batch"));
    window_set_state(w, "idle");
    window_update_actions(w);
}

/* The rows' outputs planned as the CLI plans them (an output that is an
 * input or another input's fails its row before any work; one that exists
 * is treated as `existing` says).  Returns how many exist. */
static guint plan_batch(RfdnWindow *w, rfdn_existing existing, char **folder)
{
    char *dir = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(w->batch_folder));
    char *suffix = window_expand_suffix(w);
    const guint n = rfdn_batch_plan(w->batch, dir, suffix, existing);
    g_free(suffix);
    if (folder)
        *folder = dir;
    else
        g_free(dir);
    return n;
}

static void run_batch(RfdnWindow *w, rfdn_existing existing)
{
    GError *err = NULL;
    plan_batch(w, existing, NULL);
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

static void on_existing_answer(GtkDialog *d, int response, gpointer data)
{
    RfdnWindow *w = data;
    GtkToggleButton *remember = g_object_get_data(G_OBJECT(d), "remember");
    const gboolean keep = gtk_toggle_button_get_active(remember);
    gtk_widget_destroy(GTK_WIDGET(d));
    w->question = NULL;
    if (response >= RFDN_EXISTING_SKIP && response <= RFDN_EXISTING_RENAME) {
        if (keep)
            g_settings_set_string(w->settings, "existing",
                                  rfdn_option_get(RFDN_OPT_EXISTING)->choices[response]);
        run_batch(w, (rfdn_existing)response);
        return;
    }
    /* not now: nothing ran (the next start plans again) */
    window_set_state(w, "idle");
    window_update_actions(w);
}

/* Some results exist: the user chooses, once, before any work. */
static void ask_existing(RfdnWindow *w, guint n, const char *dir)
{
    GtkWidget *d = gtk_message_dialog_new(
        GTK_WINDOW(w), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
        GTK_BUTTONS_NONE, ngettext("%u result exists already", "%u results exist already", n),
        n);
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(d),
        _("In %s. Skip leaves them as they are and upscales the rest; Replace writes over "
          "them; Keep Both saves the new ones under another name."),
        dir);
    gtk_dialog_add_buttons(GTK_DIALOG(d), _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Skip"),
                           RFDN_EXISTING_SKIP, _("_Replace"), RFDN_EXISTING_REPLACE,
                           _("_Keep Both"), RFDN_EXISTING_RENAME, NULL);
    gtk_dialog_set_default_response(GTK_DIALOG(d), RFDN_EXISTING_SKIP);
    GtkWidget *remember = gtk_check_button_new_with_mnemonic(_("_Do the same from now on"));
    gtk_box_pack_end(GTK_BOX(gtk_message_dialog_get_message_area(GTK_MESSAGE_DIALOG(d))),
                     remember, FALSE, FALSE, 0);
    g_object_set_data(G_OBJECT(d), "remember", remember);
    g_signal_connect(d, "response", G_CALLBACK(on_existing_answer), w);
    w->question = d;
    gtk_widget_show_all(d);
    window_set_state(w, "asking");
    window_update_actions(w); /* (Cancel on, Start off while asked) */
}

void rfdn_window_answer_existing(RfdnWindow *w, const char *choice, gboolean remember)
{
    if (!w->question)
        return;
    GtkToggleButton *r = g_object_get_data(G_OBJECT(w->question), "remember");
    gtk_toggle_button_set_active(r, remember);
    const int c = rfdn_option_choice(RFDN_OPT_EXISTING, choice, NULL);
    gtk_dialog_response(GTK_DIALOG(w->question),
                        c >= RFDN_EXISTING_SKIP ? c : GTK_RESPONSE_CANCEL);
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
    /* a folder the user chose (or that is there): never one made unasked */
    char *chosen = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(w->batch_folder));
    const gboolean has_folder = chosen != NULL;
    g_free(chosen);
    if (!has_folder) {
        window_show_message(w, _("Choose the output folder first"));
        window_set_state(w, "error");
        return;
    }
    /* existing results: as the preference says, or asked now */
    char *pref = g_settings_get_string(w->settings, "existing");
    int existing = rfdn_option_choice(RFDN_OPT_EXISTING, pref, NULL);
    g_free(pref);
    if (existing < 0)
        existing = RFDN_EXISTING_ASK;
    if (existing == RFDN_EXISTING_ASK) {
        char *dir; /* counted as if replacing: the rows stay queued meanwhile */
        const guint n = plan_batch(w, RFDN_EXISTING_REPLACE, &dir);
        if (n)
            ask_existing(w, n, dir);
        g_free(dir);
        if (n)
            return;
    }
    run_batch(w, (rfdn_existing)existing);
}

void rfdn_window_open_paths(RfdnWindow *w, char **paths, int n)
{
    if (n == 1 && !g_file_test(paths[0], G_FILE_TEST_IS_DIR))
        window_open_path(w, paths[0]);
    else if (n > 0)
        rfdn_window_open_batch(w, paths, n);
}
