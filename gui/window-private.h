/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's parts (window.c: the class, what it shows, models, the
 * view, preferences; window-image.c: the image and its files and
 * clipboard; window-batch.c: the batch queue) share its state and these
 * helpers; nothing outside the window uses them.
 */
#ifndef RFDN_WINDOW_PRIVATE_H
#define RFDN_WINDOW_PRIVATE_H

#include "batch.h"
#include "content.h"
#include "document.h"
#include "window.h"

G_BEGIN_DECLS

struct _RfdnWindow {
    GtkApplicationWindow parent;
    GtkWidget *header, *model_combo, *scale_combo, *content_combo, *stack, *compare_box;
    GtkWidget *status_label, *progress, *cancel_button, *message_revealer, *message_label;
    GtkWidget *batch_folder, *batch_list, *upscale_button, *save_button;
    GtkWidget *compare, *prefs;
    GSettings *settings;
    rfdn_model_store *store;
    char *model; /* "e-rfdn" / "rfdn" */
    int scale;
    gboolean populating; /* combos being filled: no reaction */
    gboolean stopping;     /* rfdn_window_stop() waits: no new work meanwhile */
    gboolean first_shown;  /* the first region's time written to the state file */
    RfdnDocument *doc;
    rfdn_content variant;  /* the variant that made doc's result (after a fallback) */
    const char *weights;   /* whose weights made it (weights.h: static, translated) */
    gboolean comparing;    /* a second result of the other variant beside it */
    RfdnDocument *second;  /* that result's document */
    rfdn_content second_variant;
    const char *second_weights;
    RfdnBatch *batch;
    gint64 batch_t0;
    GtkWidget *question; /* the batch's "results exist" question, while asked */
    struct window_save *saving; /* a result being saved (window-save.c), or NULL */
    const char *state; /* for tests: idle, running, done, cancelled, error, saved, copied */
    char *message;     /* the banner's text, for tests */
    GtkWidget *zoom_label; /* the compare view's zoom, "37 %" */
    char *dialog;      /* the last error dialog's text, for tests */
};

const char *window_page(RfdnWindow *w);
void window_set_state(RfdnWindow *w, const char *state);
void window_refresh_state(RfdnWindow *w);
void window_show_message(RfdnWindow *w, const char *text);
void window_error_dialog(RfdnWindow *w, const char *primary, const char *secondary);
void window_set_status(RfdnWindow *w, const char *text);
gboolean window_busy(RfdnWindow *w);
gboolean window_result_done(RfdnWindow *w);
void window_update_actions(RfdnWindow *w);
void window_show_progress(RfdnWindow *w, double f, double seconds);
void window_apply_settings(RfdnWindow *w);
rfdn_content window_content_setting(RfdnWindow *w);
char *window_expand_suffix(RfdnWindow *w);
void window_restart_upscale(RfdnWindow *w);
void window_start_upscale(RfdnWindow *w);
void window_open_path(RfdnWindow *w, const char *path);
/* "E-RFDN x4 photo · 1.2 s": a result's pane label (g_free). */
/* window-save.c: the result of `owner` (the shown document or the second
 * one, held meanwhile) saved to `path` on a worker, with progress and
 * Cancel; FALSE when it cannot start (a save runs, or `path` is the
 * original's, said in a dialog).  quality: JPEG and WebP, 0 the default. */
typedef struct window_save window_save;
gboolean window_save_start(RfdnWindow *w, RfdnDocument *owner, const char *path, int quality);
void window_save_cancel(RfdnWindow *w);
/* Waits for a save to end (the main loop runs meanwhile), cancelling it
 * first when `cancel`. */
void window_save_wait(RfdnWindow *w, gboolean cancel);

/* "E-RFDN x4 photo · own weights · 2.1 s": a result pane's label */
char *window_result_label(RfdnWindow *w, RfdnDocument *d, rfdn_content variant,
                          const char *weights);

/* Whose weights the store's context from `path` holds (weights.h). */
const char *window_weights(rfdn_context *ctx, const char *path);
/* window-second.c: the second result, after the first when comparing. */
void window_second_start(RfdnWindow *w);
void window_second_drop(RfdnWindow *w);
gboolean window_second_busy(RfdnWindow *w);

G_END_DECLS

#endif
