/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The app as a GtkApplication: one instance per session (a second launch
 * hands its files over), its settings, its model store, and every action
 * a person or a script can take (`gapplication action org.rfdn.Upscaler
 * ...`), carried out by the window.
 */
#ifndef RFDN_APPLICATION_H
#define RFDN_APPLICATION_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RFDN_APP_ID "org.rfdn.Upscaler"

#define RFDN_TYPE_APPLICATION (rfdn_application_get_type())
G_DECLARE_FINAL_TYPE(RfdnApplication, rfdn_application, RFDN, APPLICATION, GtkApplication)

RfdnApplication *rfdn_application_new(void);

G_END_DECLS

#endif
