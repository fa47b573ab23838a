/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding the images of a folder (cli/scan.c). */
#ifndef RFDN_CLI_SCAN_H
#define RFDN_CLI_SCAN_H

#include <stdbool.h>

#include <glib.h>

/* Adds the image files (PNG, JPEG, WebP, TIFF by name; no hidden files) of
 * folder `dir`, whose path relative to the input folder is `rel` (NULL at
 * the top), to `out` as pairs (path, relative path), sorted by name;
 * descends into subfolders when `recursive`. */
void rfdn_scan_dir(const char *dir, const char *rel, bool recursive, GPtrArray *out);

#endif
