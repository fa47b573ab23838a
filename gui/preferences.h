/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The preferences dialog (preferences.ui): every control bound to its
 * GSettings key; the integer ones take the settings table's range, and a
 * value the table refuses is not stored: the dialog emits "refused" with
 * the table's message (the one every front end gives).
 */
#ifndef RFDN_PREFERENCES_H
#define RFDN_PREFERENCES_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RFDN_TYPE_PREFERENCES (rfdn_preferences_get_type())
G_DECLARE_FINAL_TYPE(RfdnPreferences, rfdn_preferences, RFDN, PREFERENCES, GtkDialog)

GtkWidget *rfdn_preferences_new(GtkWindow *parent, GSettings *settings);

/* The batch output folder: the setting, or Pictures/Upscaled (g_free). */
char *rfdn_output_folder(GSettings *settings);

/* That folder in a chooser: made first when the user chose it in the
 * preferences, shown when it is there, else none shown (a batch then asks
 * for one: no folder is made that the user did not choose). */
void rfdn_show_output_folder(GSettings *settings, GtkFileChooser *chooser);

G_END_DECLS

#endif
