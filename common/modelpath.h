/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where the models are, for every front end (CLI, GIMP plug-ins, app):
 * <name>-x<scale>.safetensors (and -photo variants) in $RFDN_MODEL_DIR, the user's data folder
 * (~/.local/share/rfdn-upscaler/models) and the installed data folder (for
 * a program run from the build tree: the source tree's models/); the
 * authors' E-RFDN x4 file from --official, $RFDN_OFFICIAL_MODEL or
 * "official = PATH" in the [models] group of ~/.config/rfdn-upscaler/config.
 */
#ifndef RFDN_MODELPATH_H
#define RFDN_MODELPATH_H

#include <glib.h>

G_BEGIN_DECLS

/* The file in the build root that says where the source tree's models are
 * (a key file: [uninstalled] models=DIR), written by meson.build. */
#define RFDN_UNINSTALLED_MARK "rfdn-uninstalled.ini"

/* That folder when the running program is in a build tree, else NULL
 * (g_free); NULL too with RFDN_UNINSTALLED=0 in the environment, for tests
 * of a system without models. */
char *rfdn_uninstalled_models_dir(void);

/* The folders searched, in order (free with g_ptr_array_unref). */
GPtrArray *rfdn_model_dirs(void);

/* The official E-RFDN x4 file from the environment or the config file, or
 * NULL. */
char *rfdn_official_model_path(void);

/* The file for a model name ("rfdn", "e-rfdn") and scale: `official` (or,
 * when NULL, the configured official file) for e-rfdn x4, else the first
 * <name>-x<scale>.safetensors found.  NULL with a message naming the folders
 * when there is none. */
char *rfdn_find_model(const char *name, int scale, const char *official, GError **error);

/* The first <name>-x<scale>.safetensors in the model folders (the official
 * file not considered), or NULL. */
char *rfdn_installed_model(const char *name, int scale);

/* The same for a variant: <name>-x<scale>-photo.safetensors when `photo`
 * (the photo models of issue 23; the official file is never one). */
char *rfdn_installed_variant(const char *name, int scale, gboolean photo);

/* "<name>-x<scale>[-photo].safetensors" (g_free). */
char *rfdn_model_file_name(const char *name, int scale, gboolean photo);

/* Whether the model exists (for menus offering only what is installed). */
gboolean rfdn_model_available(const char *name, int scale);

G_END_DECLS

#endif
