/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the reading (imageio.c) and writing (imagesave.c) halves of the
 * image files layer share: the metadata carried from a source file to its
 * result, and libvips' error message. */
#ifndef RFDN_IMAGEIO_PRIVATE_H
#define RFDN_IMAGEIO_PRIVATE_H

#include <glib.h>

struct rfdn_io_meta {
    gint refs;
    GBytes *icc, *exif, *xmp, *iptc;
    int orientation;   /* 0: absent */
    double xres, yres; /* pixels per millimetre, 0: absent */
    char *res_unit;    /* "in" or "cm" or NULL */
    char *note;        /* what was changed on reading (rfdn_io_note), or NULL */
};

/* libvips' last error as one short line, and clears it: the system's
 * message where there is one ("No space left on device"), else libvips'
 * first line, else `fallback`. */
char *rfdn_io_vips_message_or(const char *fallback);

#endif
