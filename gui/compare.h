/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The compare view: the original and the result of the same region, side
 * by side or split by a movable divider, zoomed and panned together; a
 * second result (another variant, model or scale) as a third pane; a label
 * on each pane.  The
 * original is drawn at the output's size (nearest or smooth) so the
 * difference is what the network added.  Coordinates are output pixels.
 */
#ifndef RFDN_COMPARE_H
#define RFDN_COMPARE_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RFDN_TYPE_COMPARE (rfdn_compare_get_type())
G_DECLARE_FINAL_TYPE(RfdnCompare, rfdn_compare, RFDN, COMPARE, GtkDrawingArea)

GtkWidget *rfdn_compare_new(void);
/* The original (input pixels) and the output size it is compared at. */
void rfdn_compare_set_images(RfdnCompare *c, cairo_surface_t *original, int out_w, int out_h);
/* The result surface (out_w x out_h, may be NULL); redrawn on damage. */
void rfdn_compare_set_result(RfdnCompare *c, cairo_surface_t *result);
/* A second result as a third pane (NULL: two panes); another size than
 * the result's is drawn at the result's. */
void rfdn_compare_set_second(RfdnCompare *c, cairo_surface_t *second);
/* Pane 0 the original, 1 the result, 2 the second (NULL: none). */
void rfdn_compare_set_label(RfdnCompare *c, int pane, const char *label);
const char *rfdn_compare_get_label(RfdnCompare *c, int pane); /* NULL: none */
void rfdn_compare_damage(RfdnCompare *c, int x, int y, int w, int h);
void rfdn_compare_zoom_fit(RfdnCompare *c);
void rfdn_compare_zoom_to(RfdnCompare *c, double zoom); /* around the centre */
void rfdn_compare_zoom_by(RfdnCompare *c, double factor);
double rfdn_compare_get_zoom(RfdnCompare *c);
void rfdn_compare_set_split(RfdnCompare *c, gboolean split);
void rfdn_compare_set_smooth(RfdnCompare *c, gboolean smooth);
/* The output region shown (in output pixels), for upscaling it first. */
void rfdn_compare_visible(RfdnCompare *c, int *x, int *y, int *w, int *h);

G_END_DECLS

#endif
