/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RFDN Upscaler, the desktop app: drop or open an image, see the result
 * next to the original as it is made, save it; several images or a folder
 * become a batch queue.  The parts: application.c (actions, settings, the
 * model store), window.c (what is shown), document.c (the image and its
 * result), batch.c and batch-row.c (the queue), preferences.c, compare.c
 * (the view), display.c (pixels for GTK); the runs are common/job.c's.
 */
#include <locale.h>

#include <glib/gi18n.h>

#include "application.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* RFDN_LOCALEDIR: the build's catalogs, for running uninstalled */
    const char *localedir = g_getenv("RFDN_LOCALEDIR");
    bindtextdomain(GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
    g_set_application_name(_("RFDN Upscaler"));
    RfdnApplication *app = rfdn_application_new();
    const int r = g_application_run(G_APPLICATION(app), argc, argv);
    g_object_unref(app);
    return r;
}
