/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window of window.h.  Threads: none here; the document's and the
 * batch's jobs run the engine (and a batch's files) in worker threads and
 * report on the main loop.  RFDN_APP_STATE_FILE (tests) receives what the
 * window shows after every change.
 */
#include "window-private.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "compare.h"
#include "modelpath.h"
#include "options.h"
#include "preferences.h"

G_DEFINE_TYPE(RfdnWindow, rfdn_window, GTK_TYPE_APPLICATION_WINDOW)

static void on_model_changed(RfdnWindow *w, GtkComboBox *c);
static void on_scale_changed(RfdnWindow *w, GtkComboBox *c);
static void on_drop(RfdnWindow *w, GdkDragContext *ctx, gint x, gint y, GtkSelectionData *sel,
                    guint info, guint time);

static void rfdn_window_dispose(GObject *o)
{
    RfdnWindow *w = RFDN_WINDOW(o);
    window_save_wait(w, TRUE); /* (the window goes: its widgets with it) */
    rfdn_window_stop(w);
    g_clear_object(&w->doc);
    g_clear_object(&w->second);
    g_clear_object(&w->batch);
    g_clear_object(&w->settings);
    G_OBJECT_CLASS(rfdn_window_parent_class)->dispose(o);
}

static void rfdn_window_finalize(GObject *o)
{
    RfdnWindow *w = RFDN_WINDOW(o);
    g_free(w->model);
    g_free(w->message);
    g_free(w->dialog);
    G_OBJECT_CLASS(rfdn_window_parent_class)->finalize(o);
}

static void rfdn_window_class_init(RfdnWindowClass *k)
{
    G_OBJECT_CLASS(k)->dispose = rfdn_window_dispose;
    G_OBJECT_CLASS(k)->finalize = rfdn_window_finalize;
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(k);
    gtk_widget_class_set_template_from_resource(wc, "/org/rfdn/Upscaler/window.ui");
#define CHILD(n) gtk_widget_class_bind_template_child(wc, RfdnWindow, n)
    CHILD(header);
    CHILD(model_combo);
    CHILD(scale_combo);
    CHILD(content_combo);
    CHILD(stack);
    CHILD(compare_box);
    CHILD(status_label);
    CHILD(zoom_label);
    CHILD(progress);
    CHILD(cancel_button);
    CHILD(message_revealer);
    CHILD(message_label);
    CHILD(batch_folder);
    CHILD(batch_list);
    CHILD(upscale_button);
    CHILD(save_button);
#undef CHILD
}

/* The zoom readout under the panes. */
static void on_zoom_changed(RfdnWindow *w)
{
    char t[32];
    g_snprintf(t, sizeof t, "%.0f %%", rfdn_compare_get_zoom(RFDN_COMPARE(w->compare)) * 100);
    gtk_label_set_text(GTK_LABEL(w->zoom_label), t);
    if (w->state)
        window_refresh_state(w); /* (the state file shows it) */
}

static void rfdn_window_init(RfdnWindow *w)
{
    gtk_widget_init_template(GTK_WIDGET(w));
    w->compare = rfdn_compare_new();
    gtk_box_pack_start(GTK_BOX(w->compare_box), w->compare, TRUE, TRUE, 0);
    gtk_box_reorder_child(GTK_BOX(w->compare_box), w->compare, 0); /* (the zoom bar below) */
    g_signal_connect_swapped(w->compare, "zoom-changed", G_CALLBACK(on_zoom_changed), w);
    gtk_widget_show(w->compare);
}

/* ------------------------------------------------------------------------ */
/* What the window shows */

const char *window_page(RfdnWindow *w)
{
    const char *p = gtk_stack_get_visible_child_name(GTK_STACK(w->stack));
    return p ? p : "";
}

/* For the state file: the enabled ones of the window's actions. */
static char *enabled_actions(RfdnWindow *w)
{
    static const char *const names[] = {"upscale", "save-as", "copy", "cancel", "batch-start"};
    GActionMap *map = G_ACTION_MAP(gtk_window_get_application(GTK_WINDOW(w)));
    GString *s = g_string_new(NULL);
    for (size_t i = 0; map && i < G_N_ELEMENTS(names); i++) {
        GAction *a = g_action_map_lookup_action(map, names[i]);
        if (a && g_action_get_enabled(a))
            g_string_append_printf(s, "%s%s", s->len ? "," : "", names[i]);
    }
    return g_string_free(s, FALSE);
}

static const char *second_state(RfdnDocument *d)
{
    GEnumClass *k = g_type_class_ref(RFDN_TYPE_DOCUMENT_STATE);
    const char *nick = g_enum_get_value(k, rfdn_document_get_state(d))->value_nick;
    g_type_class_unref(k);
    return nick;
}

void window_set_state(RfdnWindow *w, const char *state)
{
    w->state = state;
    const char *f = g_getenv("RFDN_APP_STATE_FILE");
    if (!f || !*f)
        return;
    const char *why = w->doc ? rfdn_document_get_why(w->doc) : NULL;
    char *enabled = enabled_actions(w);
    const char *result_label = rfdn_compare_get_label(RFDN_COMPARE(w->compare), 1);
    char *second_label = w->second && rfdn_document_get_result(w->second)
                             ? window_result_label(w, w->second, w->second_variant, w->second_weights)
                             : NULL;
    char *s = g_strdup_printf(
        "state=%s\nimage=%s\nmodel=%s\nscale=%d\nzoom=%.4f\nupscale-label=%s\n"
        "page=%s\nfirst-pass-ms=%.0f\nmessage=%s\ncontent-why=%s\nsecond=%s\n"
        "second-why=%s\nsecond-label=%s\nenabled=%s\nupscale-suggested=%d\n"
        "result-label=%s\ntitle=%s\nicon=%s %d\nstatus=%s\ndialog=%s\nzoom-label=%s\n",
        state, w->doc ? rfdn_document_get_name(w->doc) : "", w->model, w->scale,
        rfdn_compare_get_zoom(RFDN_COMPARE(w->compare)),
        gtk_button_get_label(GTK_BUTTON(w->upscale_button)), window_page(w),
        w->doc ? rfdn_document_get_first_pass_ms(w->doc) : 0.0, w->message ? w->message : "",
        why ? why : "", !w->second ? "none" : second_state(w->second),
        w->second && rfdn_document_get_why(w->second) ? rfdn_document_get_why(w->second) : "",
        second_label ? second_label : "", enabled,
        gtk_style_context_has_class(gtk_widget_get_style_context(w->upscale_button),
                                    "suggested-action"),
        result_label ? result_label : "", gtk_header_bar_get_title(GTK_HEADER_BAR(w->header)),
        /* the window's icon and whether the icon theme has it (installed) */
        gtk_window_get_icon_name(GTK_WINDOW(w)),
        gtk_icon_theme_has_icon(gtk_icon_theme_get_default(),
                                gtk_window_get_icon_name(GTK_WINDOW(w))),
        gtk_label_get_text(GTK_LABEL(w->status_label)), w->dialog ? w->dialog : "",
        gtk_label_get_text(GTK_LABEL(w->zoom_label)));
    g_free(second_label);
    g_free(enabled);
    char *tmp = g_strconcat(f, ".tmp", NULL);
    if (g_file_set_contents(tmp, s, -1, NULL))
        g_rename(tmp, f);
    g_free(tmp);
    g_free(s);
}

/* The same state again: the file rewritten with what changed. */
void window_refresh_state(RfdnWindow *w)
{
    window_set_state(w, w->state ? w->state : "idle");
}

void window_show_message(RfdnWindow *w, const char *text)
{
    g_free(w->message);
    w->message = g_strdup(text);
    gtk_label_set_text(GTK_LABEL(w->message_label), text ? text : "");
    gtk_revealer_set_reveal_child(GTK_REVEALER(w->message_revealer), text && *text);
}

/* A refused value: the banner, the state file. */
static void window_refuse(RfdnWindow *w, const char *message)
{
    window_show_message(w, message);
    window_refresh_state(w);
}

void window_error_dialog(RfdnWindow *w, const char *primary, const char *secondary)
{
    GtkWidget *d = gtk_message_dialog_new(GTK_WINDOW(w),
                                          GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                          GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
    if (secondary)
        gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s", secondary);
    g_free(w->dialog);
    w->dialog = g_strconcat(primary, secondary ? ": " : "", secondary, NULL);
    g_signal_connect(d, "response", G_CALLBACK(gtk_widget_destroy), NULL);
    gtk_widget_show(d);
}

void window_set_status(RfdnWindow *w, const char *text)
{
    gtk_label_set_text(GTK_LABEL(w->status_label), text);
}

/* Busy: something runs, or the batch's question waits for its answer (its
 * plan would be stale after a change: what stops a run closes it too). */
gboolean window_busy(RfdnWindow *w)
{
    return w->question || w->saving || (w->doc && rfdn_document_get_state(w->doc) == RFDN_DOCUMENT_RUNNING) ||
           window_second_busy(w) ||
           (w->batch && rfdn_batch_is_running(w->batch));
}

gboolean window_result_done(RfdnWindow *w)
{
    return w->doc && rfdn_document_get_result(w->doc) && !window_busy(w);
}

static gboolean window_any_model(void)
{
    const char *const *names = rfdn_option_get(RFDN_OPT_MODEL)->choices;
    for (int n = 0; names[n]; n++)
        for (int s = 2; s <= 4; s++)
            if (rfdn_model_available(names[n], s))
                return TRUE;
    return FALSE;
}

void window_update_actions(RfdnWindow *w)
{
    /* the image's actions on its page only (the batch page has Start) */
    const gboolean image_page = !strcmp(window_page(w), "compare");
    const gboolean result = window_result_done(w) && image_page;
    const struct {
        const char *name;
        gboolean on;
    } s[] = {
        {"upscale", image_page && w->doc && !window_busy(w) && window_any_model()},
        {"save-as", result},
        {"save-to", result},
        {"copy", result},
        {"cancel", window_busy(w)},
        {"batch-start", w->batch && rfdn_batch_get_size(w->batch) && !window_busy(w)},
    };
    GActionMap *map = G_ACTION_MAP(gtk_window_get_application(GTK_WINDOW(w)));
    for (size_t i = 0; i < G_N_ELEMENTS(s); i++)
        g_simple_action_set_enabled(G_SIMPLE_ACTION(g_action_map_lookup_action(map, s[i].name)),
                                    s[i].on);
    /* Upscale is the suggested action until the shown result is made (then
     * it would only make the same again) */
    GtkStyleContext *sc = gtk_widget_get_style_context(w->upscale_button);
    if (result)
        gtk_style_context_remove_class(sc, "suggested-action");
    else
        gtk_style_context_add_class(sc, "suggested-action");
    if (w->state)
        window_refresh_state(w); /* (the state file shows them) */
}


/* The progress bar: percent and, once it can tell, the time left. */
void window_show_progress(RfdnWindow *w, double f, double seconds)
{
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), f);
    char *t;
    if (f > 0.02 && f < 1) {
        const int left = (int)(seconds * (1 - f) / f);
        t = g_strdup_printf(_("%d %% \342\200\224 %d:%02d left"), (int)(f * 100), left / 60,
                            left % 60);
    } else {
        t = g_strdup_printf("%d %%", (int)(f * 100));
    }
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), t);
    g_free(t);
}

/* ------------------------------------------------------------------------ */
/* Models */

static void window_fill_scales(RfdnWindow *w)
{
    w->populating = TRUE;
    GtkComboBoxText *c = GTK_COMBO_BOX_TEXT(w->scale_combo);
    gtk_combo_box_text_remove_all(c);
    int first = 0, keep = 0;
    for (int s = 2; s <= 4; s++)
        if (rfdn_model_available(w->model, s)) {
            char id[4], label[8];
            g_snprintf(id, sizeof id, "%d", s);
            g_snprintf(label, sizeof label, "%d\303\227", s);
            gtk_combo_box_text_append(c, id, label);
            first = first ? first : s;
            keep = s == w->scale ? s : keep;
        }
    if (!first) /* nothing installed: the choices shown all the same, off */
        for (int s = 2; s <= 4; s++) {
            char id[4], label[8];
            g_snprintf(id, sizeof id, "%d", s);
            g_snprintf(label, sizeof label, "%d\303\227", s);
            gtk_combo_box_text_append(c, id, label);
        }
    gtk_widget_set_sensitive(w->scale_combo, first != 0);
    if (!keep)
        w->scale = first ? first : w->scale;
    char id[4];
    g_snprintf(id, sizeof id, "%d", w->scale);
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), id);
    w->populating = FALSE;
}

static void window_fill_models(RfdnWindow *w)
{
    w->populating = TRUE;
    GtkComboBoxText *c = GTK_COMBO_BOX_TEXT(w->model_combo);
    gtk_combo_box_text_remove_all(c);
    const char *const *names = rfdn_option_get(RFDN_OPT_MODEL)->choices;
    gboolean have_current = FALSE;
    const char *first = NULL;
    for (int n = 0; names[n]; n++) {
        gboolean any = FALSE;
        for (int s = 2; s <= 4; s++)
            any |= rfdn_model_available(names[n], s);
        if (any) {
            gtk_combo_box_text_append(c, names[n], rfdn_model_label(names[n]));
            have_current |= !strcmp(w->model, names[n]);
            first = first ? first : names[n];
        }
    }
    if (!first) /* (the same: labelled, off, the banner says why) */
        for (int n = 0; names[n]; n++)
            gtk_combo_box_text_append(c, names[n], rfdn_model_label(names[n]));
    gtk_widget_set_sensitive(w->model_combo, first != NULL);
    if (!have_current && first) {
        g_free(w->model);
        w->model = g_strdup(first);
    }
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), w->model);
    w->populating = FALSE;
    window_fill_scales(w);
    if (!window_any_model())
        window_show_message(w, _("No model is installed. Install the project's models, or the "
                          "authors' E-RFDN x4 weights with the command rfdn-fetch-official."));
}

/* The engine settings the preferences hold, for the store's next context. */
void window_apply_settings(RfdnWindow *w)
{
    rfdn_settings s;
    rfdn_settings_default(&s);
    s.threads = g_settings_get_int(w->settings, "threads");
    s.tile_size = g_settings_get_int(w->settings, "tile-size");
    s.memory_budget = (size_t)g_settings_get_int(w->settings, "memory-mib") << 20;
    char *alpha = g_settings_get_string(w->settings, "alpha");
    s.alpha = !strcmp(alpha, "bicubic") ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
    g_free(alpha);
    rfdn_model_store_set_settings(w->store, &s);
}

rfdn_content window_content_setting(RfdnWindow *w)
{
    char *c = g_settings_get_string(w->settings, "content");
    const int v = rfdn_content_from_name(c);
    g_free(c);
    return (rfdn_content)MAX(0, v);
}

/* ------------------------------------------------------------------------ */
/* Running, saving, the clipboard */

void rfdn_window_upscale(RfdnWindow *w)
{
    if (w->batch && !strcmp(window_page(w), "batch"))
        rfdn_window_start_batch(w);
    else
        window_start_upscale(w);
}

void rfdn_window_cancel(RfdnWindow *w)
{
    if (!window_busy(w))
        return;
    if (w->question) { /* nothing runs yet: answered as Cancel */
        gtk_dialog_response(GTK_DIALOG(w->question), GTK_RESPONSE_CANCEL);
        return;
    }
    if (w->saving) { /* (nothing else runs meanwhile) */
        window_save_cancel(w);
        window_set_status(w, _("Cancelling…"));
        return;
    }
    if (w->doc)
        rfdn_document_cancel(w->doc);
    if (w->second)
        rfdn_document_cancel(w->second);
    if (w->batch)
        rfdn_batch_cancel(w->batch);
    window_set_status(w, _("Cancelling…"));
}

gboolean rfdn_window_stop(RfdnWindow *w)
{
    /* the stops run the main loop: an action arriving meanwhile must not
     * stop again or replace what is being stopped (window_stopping()) */
    if (w->stopping)
        return FALSE;
    w->stopping = TRUE;
    g_object_ref(w);
    if (w->question) /* (answered as Cancel: nothing ran) */
        gtk_dialog_response(GTK_DIALOG(w->question), GTK_RESPONSE_CANCEL);
    window_save_wait(w, FALSE); /* (a save in progress is finished, not lost) */
    if (w->doc)
        rfdn_document_stop(w->doc);
    if (w->second)
        rfdn_document_stop(w->second);
    if (w->batch)
        rfdn_batch_stop(w->batch);
    w->stopping = FALSE;
    g_object_unref(w);
    return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Model, scale, content, the view */

static void on_model_changed(RfdnWindow *w, GtkComboBox *c)
{
    if (w->populating || !gtk_combo_box_get_active_id(c))
        return;
    /* (the document's run has its own sizes: restarted after the change) */
    g_free(w->model);
    w->model = g_strdup(gtk_combo_box_get_active_id(c));
    window_fill_scales(w);
    window_restart_upscale(w);
}

static void on_scale_changed(RfdnWindow *w, GtkComboBox *c)
{
    if (w->populating || !gtk_combo_box_get_active_id(c))
        return;
    w->scale = atoi(gtk_combo_box_get_active_id(c));
    window_restart_upscale(w);
}

/* Content changed (the drop-down, set-content, another instance): the
 * shown image is upscaled again with the variant it now calls for. */
static void on_content_changed(GSettings *settings, const char *key, gpointer data)
{
    window_restart_upscale(data);
}

void rfdn_window_set_model(RfdnWindow *w, const char *name)
{
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(w->model_combo), name);
}

void rfdn_window_set_scale(RfdnWindow *w, int scale)
{
    char id[16];
    g_snprintf(id, sizeof id, "%d", scale);
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(w->scale_combo), id);
}

void rfdn_window_set_content(RfdnWindow *w, const char *content)
{
    GError *err = NULL;
    if (rfdn_option_choice(RFDN_OPT_CONTENT, content, &err) >= 0) {
        g_settings_set_string(w->settings, "content", content);
    } else {
        window_refuse(w, err->message);
        g_error_free(err);
    }
}

void rfdn_window_zoom(RfdnWindow *w, const char *how)
{
    RfdnCompare *c = RFDN_COMPARE(w->compare);
    if (!strcmp(how, "zoom-in"))
        rfdn_compare_zoom_by(c, 1.25);
    else if (!strcmp(how, "zoom-out"))
        rfdn_compare_zoom_by(c, 0.8);
    else if (!strcmp(how, "zoom-fit"))
        rfdn_compare_zoom_fit(c);
    else
        rfdn_compare_zoom_to(c, 1.0);
    window_refresh_state(w);
}

void rfdn_window_set_split(RfdnWindow *w, gboolean on)
{
    rfdn_compare_set_split(RFDN_COMPARE(w->compare), on);
    g_settings_set_boolean(w->settings, "split-view", on);
}

void rfdn_window_set_smooth(RfdnWindow *w, gboolean on)
{
    rfdn_compare_set_smooth(RFDN_COMPARE(w->compare), on);
    g_settings_set_boolean(w->settings, "smooth-original", on);
}

void rfdn_window_screenshot(RfdnWindow *w, const char *path)
{
    GtkWidget *t = w->question                                   ? w->question
                   : w->prefs && gtk_widget_get_visible(w->prefs) ? w->prefs
                                                                  : GTK_WIDGET(w);
    /* a few frames' time, so the window shows its last change (a
     * sensitivity or style change is drawn at the next frame) */
    const gint64 until = g_get_monotonic_time() + 100000;
    while (g_get_monotonic_time() < until)
        if (!g_main_context_iteration(NULL, FALSE))
            g_usleep(5000);
    GdkWindow *gw = gtk_widget_get_window(t);
    GdkPixbuf *pb = gw ? gdk_pixbuf_get_from_window(gw, 0, 0, gdk_window_get_width(gw),
                                                    gdk_window_get_height(gw))
                       : NULL;
    if (pb) {
        gdk_pixbuf_save(pb, path, "png", NULL, NULL);
        g_object_unref(pb);
    }
}

/* ------------------------------------------------------------------------ */
/* Preferences */

static void on_refused(RfdnPreferences *p, const char *message, gpointer data)
{
    window_refuse(data, message);
}

void rfdn_window_show_preferences(RfdnWindow *w)
{
    if (!w->prefs) {
        w->prefs = rfdn_preferences_new(GTK_WINDOW(w), w->settings);
        g_object_add_weak_pointer(G_OBJECT(w->prefs), (gpointer *)&w->prefs);
        g_signal_connect(w->prefs, "refused", G_CALLBACK(on_refused), w);
    }
    gtk_window_present(GTK_WINDOW(w->prefs));
}

void rfdn_window_close_preferences(RfdnWindow *w)
{
    if (w->prefs)
        gtk_widget_destroy(w->prefs);
}

void rfdn_window_set_preference(RfdnWindow *w, const char *key, const char *value)
{
    for (int id = RFDN_OPT_EXISTING; id < RFDN_OPT_COUNT; id++)
        if (!strcmp(key, rfdn_option_get(id)->key)) {
            GError *err = NULL;
            int v;
            if (rfdn_option_get(id)->choices && rfdn_option_choice(id, value, &err) >= 0)
                g_settings_set_string(w->settings, key, value);
            else if (!rfdn_option_get(id)->choices && rfdn_option_parse_int(id, value, &v, &err))
                g_settings_set_int(w->settings, key, v);
            else {
                window_refuse(w, err->message);
                g_error_free(err);
            }
            return;
        }
    g_warning("set-preference: no such preference '%s'", key);
}

/* ------------------------------------------------------------------------ */

static void on_drop(RfdnWindow *w, GdkDragContext *ctx, gint x, gint y, GtkSelectionData *sel,
                    guint info, guint time)
{
    char **uris = gtk_selection_data_get_uris(sel);
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; uris && uris[i]; i++) {
        char *p = g_filename_from_uri(uris[i], NULL, NULL);
        if (p)
            g_ptr_array_add(paths, p);
    }
    rfdn_window_open_paths(w, (char **)paths->pdata, (int)paths->len);
    g_ptr_array_free(paths, TRUE);
    g_strfreev(uris);
    gtk_drag_finish(ctx, TRUE, FALSE, time);
}

RfdnWindow *rfdn_window_new(GtkApplication *app, GSettings *settings, rfdn_model_store *store)
{
    RfdnWindow *w = g_object_new(RFDN_TYPE_WINDOW, "application", app, NULL);
    w->settings = g_object_ref(settings);
    w->store = store;
    w->model = g_settings_get_string(settings, "model");
    w->scale = g_settings_get_int(settings, "scale");
    g_signal_connect_swapped(w->model_combo, "changed", G_CALLBACK(on_model_changed), w);
    g_signal_connect_swapped(w->scale_combo, "changed", G_CALLBACK(on_scale_changed), w);
    g_settings_bind(settings, "content", w->content_combo, "active-id", G_SETTINGS_BIND_DEFAULT);
    g_signal_connect_object(settings, "changed::content", G_CALLBACK(on_content_changed), w, 0);
    gtk_drag_dest_set(GTK_WIDGET(w), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
    gtk_drag_dest_add_uri_targets(GTK_WIDGET(w));
    g_signal_connect_swapped(w, "drag-data-received", G_CALLBACK(on_drop), w);
    rfdn_compare_set_split(RFDN_COMPARE(w->compare),
                           g_settings_get_boolean(settings, "split-view"));
    rfdn_compare_set_smooth(RFDN_COMPARE(w->compare),
                            g_settings_get_boolean(settings, "smooth-original"));
    window_fill_models(w);
    gtk_stack_set_visible_child_name(GTK_STACK(w->stack), "empty");
    window_update_actions(w);
    window_set_state(w, "idle");
    return w;
}
