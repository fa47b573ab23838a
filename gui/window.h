/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The app's window (window.ui): model, scale and content in the header,
 * the compare view of the document (document.h) or the batch queue
 * (batch.h), the banner, the status line and the progress bar.  What a
 * person does arrives as the application's actions (application.c), which
 * call these functions; the window keeps the actions' enabled states.
 */
#ifndef RFDN_WINDOW_H
#define RFDN_WINDOW_H

#include <gtk/gtk.h>

#include "modelstore.h"

G_BEGIN_DECLS

#define RFDN_TYPE_WINDOW (rfdn_window_get_type())
G_DECLARE_FINAL_TYPE(RfdnWindow, rfdn_window, RFDN, WINDOW, GtkApplicationWindow)

/* `settings` and `store` belong to the application and outlive the window. */
RfdnWindow *rfdn_window_new(GtkApplication *app, GSettings *settings, rfdn_model_store *store);

/* One image opens it; several images or a folder make a batch. */
void rfdn_window_open_paths(RfdnWindow *w, char **paths, int n);
void rfdn_window_open_batch(RfdnWindow *w, char **paths, int n);
void rfdn_window_choose_files(RfdnWindow *w, gboolean folders); /* folders: for a batch */
/* The image again, or the batch when it is shown. */
void rfdn_window_upscale(RfdnWindow *w);
void rfdn_window_start_batch(RfdnWindow *w);
/* The answer to the batch's "results exist" question, as its buttons give
 * it: skip, replace, rename, or anything else for Cancel; `remember` as its
 * check box (tests drive it so, over D-Bus). */
void rfdn_window_answer_existing(RfdnWindow *w, const char *choice, gboolean remember);
void rfdn_window_cancel(RfdnWindow *w);
/* Stops what runs and waits for it (before a change or quitting); FALSE
 * when a stop is already under way (called from within it). */
gboolean rfdn_window_stop(RfdnWindow *w);
void rfdn_window_save_as(RfdnWindow *w);
gboolean rfdn_window_save_to(RfdnWindow *w, const char *path);
void rfdn_window_paste(RfdnWindow *w);
void rfdn_window_copy(RfdnWindow *w);
void rfdn_window_set_model(RfdnWindow *w, const char *name);
void rfdn_window_set_scale(RfdnWindow *w, int scale);
/* "auto", "clean" or "photo", checked by the settings table. */
void rfdn_window_set_content(RfdnWindow *w, const char *content);
/* "zoom-in", "zoom-out", "zoom-fit", "zoom-100". */
void rfdn_window_zoom(RfdnWindow *w, const char *how);
void rfdn_window_set_split(RfdnWindow *w, gboolean on);
void rfdn_window_set_smooth(RfdnWindow *w, gboolean on);
/* Compare the two variants: the other one's result as a third pane. */
void rfdn_window_set_compare(RfdnWindow *w, gboolean on);
/* The compared result to a file (scripts, tests). */
gboolean rfdn_window_save_second_to(RfdnWindow *w, const char *path);
/* The window (or the preferences, when open) as a PNG file. */
void rfdn_window_screenshot(RfdnWindow *w, const char *path);
void rfdn_window_show_preferences(RfdnWindow *w);
void rfdn_window_close_preferences(RfdnWindow *w);
/* What typing `value` into the preferences' field `key` does. */
void rfdn_window_set_preference(RfdnWindow *w, const char *key, const char *value);

G_END_DECLS

#endif
