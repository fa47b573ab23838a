/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Images (8- or 16-bit, gray or colour, with or without alpha) to what GTK
 * shows and exchanges: cairo surfaces for the compare view, pixbufs for
 * the clipboard; and a pasted pixbuf back to an image.
 */
#ifndef RFDN_DISPLAY_H
#define RFDN_DISPLAY_H

#include <gtk/gtk.h>

#include "imageio.h"

G_BEGIN_DECLS

/* Copies rect (x, y, w, h) of `im` into the ARGB32 surface at (dx, dy). */
void rfdn_display_copy(const rfdn_io_image *im, int x, int y, int w, int h, cairo_surface_t *s,
                       int dx, int dy);
/* The whole image as a new ARGB32 surface (NULL when memory runs out). */
cairo_surface_t *rfdn_display_surface(const rfdn_io_image *im);
/* 8-bit RGBA, as other programs take it from the clipboard; NULL when
 * memory runs out. */
GdkPixbuf *rfdn_display_pixbuf(const rfdn_io_image *im);
/* A pixbuf's pixels as an 8-bit image. */
rfdn_io_image *rfdn_display_from_pixbuf(GdkPixbuf *pb, GError **error);

G_END_DECLS

#endif
