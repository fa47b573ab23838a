/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where an image shows the most detail: the window a preview is placed on
 * first (the GIMP dialogs), so that it tells the user something about the
 * network rather than showing flat sky at the image's centre (issue 28).
 */
#ifndef RFDN_DETAIL_H
#define RFDN_DETAIL_H

#include <stddef.h>
#include <stdint.h>

/* Of the w x h windows of an 8-bit image (c channels, the first three
 * averaged; alpha ignored), the one whose pixels differ most from their
 * right and lower neighbours, searched on a grid of a quarter window;
 * among equals the one nearest the centre.  *x, *y: its top-left corner
 * (0 where the image is not larger than the window). */
void rfdn_detail_window(const uint8_t *px, int iw, int ih, int c, size_t stride, int w, int h,
                        int *x, int *y);

#endif
