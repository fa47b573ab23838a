/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's image: opened from a file or the clipboard, upscaled with
 * the model variant its content calls for (its visible region first),
 * shown as the result arrives, saved, copied.
 */
#include "window-private.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "batchplan.h"
#include "compare.h"
#include "display.h"
#include "options.h"
#include "preferences.h"
#include "weights.h"

#define FIRST_PASS_PIXELS 100000 /* input pixels upscaled first (~0.5 s at x4, 2 threads) */

/* The document's context for the Content setting (for automatic,
 * content.h's rule on the file's JPEG tables and the pixels); *why says
 * which and why. */
static rfdn_context *window_document_context(RfdnWindow *w, char **why, GError **error)
{
    const rfdn_content set = window_content_setting(w);
    const char *path = rfdn_document_get_path(w->doc);
    char *reason = NULL, *note = NULL;
    rfdn_content v = set;
    if (set == RFDN_CONTENT_CLEAN || set == RFDN_CONTENT_PHOTO) {
        reason = g_strdup(set == RFDN_CONTENT_PHOTO ? _("photo model (chosen)")
                                                    : _("clean model (chosen)"));
    } else {
        const rfdn_image px = rfdn_io_engine_image(rfdn_document_get_source(w->doc));
        v = rfdn_content_guess(path ? rfdn_jpeg_file_quality(path) : 0, &px, &reason);
    }
    window_apply_settings(w);
    const char *file = NULL;
    rfdn_context *ctx = rfdn_model_store_get(w->store, w->model, w->scale, v, &file, &note, error);
    w->weights = window_weights(ctx, file);
    /* (a photo model not installed: the clean one made it) */
    w->variant = v == RFDN_CONTENT_PHOTO && !note ? RFDN_CONTENT_PHOTO : RFDN_CONTENT_CLEAN;
    *why = rfdn_content_explain(reason, note);
    g_free(reason);
    g_free(note);
    return ctx;
}

/* ------------------------------------------------------------------------ */
/* The image */

static void on_doc_damaged(RfdnDocument *d, int x, int y, int w_, int h, gpointer data)
{
    RfdnWindow *w = data;
    rfdn_compare_damage(RFDN_COMPARE(w->compare), 0, 0, 0, 0);
    if (rfdn_document_get_first_pass_ms(d) > 0 && !w->first_shown) {
        w->first_shown = TRUE;
        window_refresh_state(w); /* (the first region's time, for tests) */
    }
}

static void on_doc_progress(RfdnDocument *d, double f, gpointer data)
{
    RfdnWindow *w = data;
    window_show_progress(w, f, rfdn_document_get_seconds(d));
}

static void on_doc_finished(RfdnDocument *d, gpointer data)
{
    RfdnWindow *w = data;
    const RfdnDocumentState st = rfdn_document_get_state(d);
    rfdn_compare_damage(RFDN_COMPARE(w->compare), 0, 0, 0, 0);
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), st == RFDN_DOCUMENT_DONE);
    if (st == RFDN_DOCUMENT_DONE) {
        const rfdn_io_image *s = rfdn_document_get_source(d), *r = rfdn_document_get_result(d);
        const char *why = rfdn_document_get_why(d);
        char *t = g_strdup_printf(
            _("%s: %d \303\227 %d \342\206\222 %d \303\227 %d pixels in %.1f s (%s)"),
            rfdn_document_get_name(d), s->width, s->height, r->width, r->height,
            rfdn_document_get_seconds(d), why ? why : "");
        window_set_status(w, t);
        g_free(t);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), _("Done"));
        window_set_state(w, "done");
        char *label = window_result_label(w, d, w->variant, w->weights);
        rfdn_compare_set_label(RFDN_COMPARE(w->compare), 1, label);
        g_free(label);
        if (w->comparing)
            window_second_start(w);
    } else if (st == RFDN_DOCUMENT_CANCELLED) {
        /* what the view shows is partly the enlarged original */
        rfdn_compare_set_label(RFDN_COMPARE(w->compare), 1, _("Unfinished (cancelled)"));
        window_set_status(w, _("Cancelled"));
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(w->progress), "");
        window_set_state(w, "cancelled");
    } else {
        const char *e = rfdn_document_get_error(d);
        rfdn_compare_set_label(RFDN_COMPARE(w->compare), 1, _("Unfinished (failed)"));
        window_show_message(w, e ? e : _("The upscale failed"));
        window_set_state(w, "error");
    }
    window_update_actions(w);
}

char *window_result_label(RfdnWindow *w, RfdnDocument *d, rfdn_content variant,
                          const char *weights)
{
    /* TRANSLATORS: network, scale, "clean" or "photo", whose weights, seconds */
    return g_strdup_printf(_("%s x%d %s \302\267 %s \302\267 %.1f s"), rfdn_model_label(w->model),
                           w->scale, variant == RFDN_CONTENT_PHOTO ? _("photo") : _("clean"),
                           weights ? weights : "", rfdn_document_get_seconds(d));
}

const char *window_weights(rfdn_context *ctx, const char *path)
{
    return ctx ? rfdn_weights_whose(rfdn_context_get_model(ctx),
                                    rfdn_weights_is_official_path(path))
               : NULL;
}
/* The region the view shows (input pixels), at most FIRST_PASS_PIXELS
 * around its centre: upscaled first. */
static GdkRectangle first_region(RfdnWindow *w)
{
    const rfdn_io_image *src = rfdn_document_get_source(w->doc);
    int vx, vy, vw, vh;
    rfdn_compare_visible(RFDN_COMPARE(w->compare), &vx, &vy, &vw, &vh);
    const int s = w->scale;
    GdkRectangle v = {vx / s, vy / s, (vw + s - 1) / s, (vh + s - 1) / s};
    while ((double)v.width * v.height > FIRST_PASS_PIXELS) {
        v.x += v.width / 8;
        v.y += v.height / 8;
        v.width -= v.width / 4;
        v.height -= v.height / 4;
    }
    v.width = MIN(v.width, src->width - v.x);
    v.height = MIN(v.height, src->height - v.y);
    return v;
}

void window_start_upscale(RfdnWindow *w)
{
    if (!w->doc || window_busy(w) || w->stopping)
        return;
    /* a compared result of an earlier run is stale */
    window_second_drop(w);
    w->first_shown = FALSE;
    window_show_message(w, NULL);
    GError *err = NULL;
    char *why = NULL;
    rfdn_context *ctx = window_document_context(w, &why, &err);
    RfdnCompare *cmp = RFDN_COMPARE(w->compare);
    const rfdn_io_image *src = rfdn_document_get_source(w->doc);
    int ow, oh;
    if (ctx && rfdn_output_size(rfdn_context_get_model(ctx), src->width, src->height, &ow, &oh))
        g_set_error(&err, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    _("The image is too large for this scale"));
    else if (ctx)
        /* the view at the result's size first: its visible region is
         * upscaled first */
        rfdn_compare_set_images(cmp, rfdn_document_get_original(w->doc), ow, oh);
    const GdkRectangle first = err ? (GdkRectangle){0} : first_region(w);
    if (err || !rfdn_document_upscale(w->doc, ctx, why, &first, &err)) {
        window_show_message(w, err->message);
        g_error_free(err);
        g_free(why);
        window_set_state(w, "error");
        window_update_actions(w);
        return;
    }
    g_free(why);
    /* the view takes its own reference */
    rfdn_compare_set_result(cmp, rfdn_document_get_result_surface(w->doc));
    rfdn_compare_set_label(cmp, 0, _("Original"));
    rfdn_compare_set_label(cmp, 1, NULL);
    window_set_status(w, rfdn_document_get_name(w->doc));
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(w->progress), 0);
    window_set_state(w, "running");
    window_update_actions(w);
}

/* The shown image is upscaled again (model, scale or content changed). */
void window_restart_upscale(RfdnWindow *w)
{
    if (!rfdn_window_stop(w))
        return; /* (within a stop: its caller goes on) */
    window_second_drop(w);
    if (w->doc && !strcmp(window_page(w), "compare"))
        window_start_upscale(w);
    window_refresh_state(w);
}

static void set_document(RfdnWindow *w, RfdnDocument *doc)
{
    if (!rfdn_window_stop(w)) {
        /* opened while a stop waits (it would free what it stops) */
        g_object_unref(doc);
        return;
    }
    window_second_drop(w);
    if (w->doc)
        g_signal_handlers_disconnect_by_data(w->doc, w);
    g_clear_object(&w->doc);
    w->doc = doc;
    g_signal_connect(doc, "damaged", G_CALLBACK(on_doc_damaged), w);
    g_signal_connect(doc, "progress", G_CALLBACK(on_doc_progress), w);
    g_signal_connect(doc, "finished", G_CALLBACK(on_doc_finished), w);
    const rfdn_io_image *im = rfdn_document_get_source(doc);
    gtk_header_bar_set_subtitle(GTK_HEADER_BAR(w->header), rfdn_document_get_name(doc));
    gtk_stack_set_visible_child_name(GTK_STACK(w->stack), "compare");
    RfdnCompare *cmp = RFDN_COMPARE(w->compare);
    rfdn_compare_set_images(cmp, rfdn_document_get_original(doc), im->width * w->scale,
                            im->height * w->scale);
    rfdn_compare_set_result(cmp, NULL);
    /* let the view get its size, so the visible region is known */
    while (gtk_events_pending())
        gtk_main_iteration_do(FALSE);
    window_start_upscale(w);
}

static void window_open_image(RfdnWindow *w, rfdn_io_image *im, const char *path, const char *name)
{
    RfdnDocument *doc = rfdn_document_new(im, path, name);
    if (doc) {
        set_document(w, doc);
    } else {
        window_show_message(w, _("Not enough memory for the result"));
        window_set_state(w, "error");
    }
}

void window_open_path(RfdnWindow *w, const char *path)
{
    GError *err = NULL;
    rfdn_io_image *im = rfdn_io_load(path, (uint64_t)1 << 28, &err);
    char *base = g_path_get_basename(path);
    if (im) {
        window_open_image(w, im, path, base);
    } else {
        char *t = g_strdup_printf(_("Cannot open %s"), base);
        window_error_dialog(w, t, err->message);
        window_show_message(w, NULL);
        g_free(t);
        g_error_free(err);
        window_set_state(w, "error");
    }
    g_free(base);
}

gboolean rfdn_window_save_to(RfdnWindow *w, const char *path)
{
    /* (on a worker: window-save.c) */
    return window_result_done(w) &&
           window_save_start(w, w->doc, path, 0);
}

/* The name with the extension of `format` ("png", ...): an extension the
 * image library knows is replaced, else one is added (g_free). */
static char *with_extension(const char *path, const char *format)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    const gboolean known = dot && (!slash || dot > slash) && rfdn_io_format_from_path(path);
    return g_strdup_printf("%.*s.%s", known ? (int)(dot - path) : (int)strlen(path), path,
                           format);
}

/* "Replace NAME?", asked for a name the dialog did not confirm. */
static gboolean confirm_replace(RfdnWindow *w, const char *path)
{
    char *base = g_path_get_basename(path);
    GtkWidget *d = gtk_message_dialog_new(GTK_WINDOW(w), GTK_DIALOG_MODAL, GTK_MESSAGE_QUESTION,
                                          GTK_BUTTONS_NONE, _("Replace %s?"), base);
    gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d),
                                             _("A file of that name exists already."));
    gtk_dialog_add_buttons(GTK_DIALOG(d), _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Replace"),
                           GTK_RESPONSE_ACCEPT, NULL);
    const gboolean yes = gtk_dialog_run(GTK_DIALOG(d)) == GTK_RESPONSE_ACCEPT;
    gtk_widget_destroy(d);
    g_free(base);
    return yes;
}

static void on_save_response(GtkNativeDialog *d, gint response, gpointer data)
{
    if (response == GTK_RESPONSE_ACCEPT) {
        GtkFileChooser *fc = GTK_FILE_CHOOSER(d);
        char *f = gtk_file_chooser_get_filename(fc);
        const char *format = gtk_file_chooser_get_choice(fc, "format");
        const char *quality = gtk_file_chooser_get_choice(fc, "quality");
        /* the format chosen, or the name's (PNG when it has none) */
        if (f && ((format && strcmp(format, "name")) || !rfdn_io_format_from_path(f))) {
            char *g = with_extension(f, format && strcmp(format, "name") ? format : "png");
            g_free(f);
            f = g;
        }
        RfdnWindow *w = data;
        char *chosen = gtk_file_chooser_get_filename(fc);
        /* the dialog confirmed its name, not one the format changed */
        const gboolean ok = f && (!strcmp(f, chosen ? chosen : "") ||
                                  !g_file_test(f, G_FILE_TEST_EXISTS) || confirm_replace(w, f));
        if (ok && window_result_done(w))
            window_save_start(w, w->doc, f, quality ? atoi(quality) : 0);
        g_free(chosen);
        g_free(f);
    }
    g_object_unref(d);
}

/* The dialog's format and quality (GtkFileChooser choices, shown by the
 * native dialog too). */
static void add_save_choices(GtkFileChooser *fc)
{
    static const char *formats[] = {"name", "png", "jpg", "webp", "tif", NULL};
    const char *format_labels[] = {_("From the name (PNG if none)"), _("PNG (lossless)"),
                                   "JPEG", "WebP", _("TIFF (lossless)"), NULL};
    gtk_file_chooser_add_choice(fc, "format", _("Format:"), formats, format_labels);
    gtk_file_chooser_set_choice(fc, "format", "name");
    static const char *qualities[] = {"0", "98", "95", "85", "75", NULL};
    const char *quality_labels[] = {_("Default (JPEG 92, WebP 90)"), "98", "95", "85", "75",
                                    NULL};
    gtk_file_chooser_add_choice(fc, "quality", _("JPEG and WebP quality:"), qualities,
                                quality_labels);
    gtk_file_chooser_set_choice(fc, "quality", "0");
}

void rfdn_window_save_as(RfdnWindow *w)
{
    if (!window_result_done(w))
        return;
    GtkFileChooserNative *fc =
        gtk_file_chooser_native_new(_("Save the Result"), GTK_WINDOW(w),
                                    GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
    gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(fc), TRUE);
    add_save_choices(GTK_FILE_CHOOSER(fc));
    const char *path = rfdn_document_get_path(w->doc);
    char *dir = path ? g_path_get_dirname(path) : rfdn_output_folder(w->settings);
    char *suffix = window_expand_suffix(w);
    char *in = g_path_get_basename(path ? path : "pasted.png");
    /* PNG by default: a JPEG's result is not compressed again unasked */
    char *name = rfdn_plan_output_name(dir, in, RFDN_IO_PNG, suffix);
    char *base = g_path_get_basename(name);
    gtk_file_chooser_set_current_folder(GTK_FILE_CHOOSER(fc), dir);
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(fc), base);
    g_free(base);
    g_free(name);
    g_free(in);
    g_free(suffix);
    g_free(dir);
    g_signal_connect(fc, "response", G_CALLBACK(on_save_response), w);
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(fc));
}

void rfdn_window_choose_files(RfdnWindow *w, gboolean folders)
{
    GtkFileChooserNative *fc = gtk_file_chooser_native_new(
        folders ? _("Open Folders") : _("Open Images"), GTK_WINDOW(w),
        folders ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN,
        _("_Open"), _("_Cancel"));
    gtk_file_chooser_set_select_multiple(GTK_FILE_CHOOSER(fc), TRUE);
    GtkFileFilter *f = folders ? NULL : gtk_file_filter_new();
    const char *pats[] = {"*.png", "*.PNG", "*.jpg", "*.JPG", "*.jpeg", "*.JPEG", "*.webp",
                          "*.WEBP", "*.tif", "*.TIF", "*.tiff", "*.TIFF"};
    if (f) {
        gtk_file_filter_set_name(f, _("Images (PNG, JPEG, WebP, TIFF)"));
        for (size_t i = 0; i < G_N_ELEMENTS(pats); i++)
            gtk_file_filter_add_pattern(f, pats[i]);
        gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(fc), f);
    }
    if (gtk_native_dialog_run(GTK_NATIVE_DIALOG(fc)) == GTK_RESPONSE_ACCEPT) {
        GSList *files = gtk_file_chooser_get_filenames(GTK_FILE_CHOOSER(fc));
        GPtrArray *v = g_ptr_array_new();
        for (GSList *l = files; l; l = l->next)
            g_ptr_array_add(v, l->data);
        rfdn_window_open_paths(w, (char **)v->pdata, (int)v->len);
        g_ptr_array_free(v, TRUE);
        g_slist_free_full(files, g_free);
    }
    g_object_unref(fc);
}

static void on_clipboard_image(GtkClipboard *cb, GdkPixbuf *pb, gpointer data)
{
    RfdnWindow *w = data;
    GError *err = NULL;
    rfdn_io_image *im = pb ? rfdn_display_from_pixbuf(pb, &err) : NULL;
    if (im)
        window_open_image(w, im, NULL, _("Pasted image"));
    else
        window_show_message(w, err ? err->message : _("The clipboard holds no image"));
    g_clear_error(&err);
    g_object_unref(w);
}

void rfdn_window_paste(RfdnWindow *w)
{
    gtk_clipboard_request_image(gtk_widget_get_clipboard(GTK_WIDGET(w), GDK_SELECTION_CLIPBOARD),
                                on_clipboard_image, g_object_ref(w));
}

/* The result to the clipboard (8-bit RGBA, as other programs take it). */
void rfdn_window_copy(RfdnWindow *w)
{
    if (!window_result_done(w))
        return;
    GdkPixbuf *pb = rfdn_display_pixbuf(rfdn_document_get_result(w->doc));
    if (!pb) {
        window_show_message(w, _("Not enough memory for the result"));
        return;
    }
    gtk_clipboard_set_image(gtk_widget_get_clipboard(GTK_WIDGET(w), GDK_SELECTION_CLIPBOARD), pb);
    g_object_unref(pb);
    window_set_status(w, _("Result copied"));
    window_set_state(w, "copied");
}
