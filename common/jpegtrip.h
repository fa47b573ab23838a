/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A JPEG round trip in memory: what `rfdn-upscale eval --jpeg Q` does to
 * each LR image so that the models can be measured on compressed input
 * (issue 23), and what tools/train/train.py's validation does with Pillow
 * (the same libjpeg, the same settings, so the same pixels).
 */
#ifndef RFDN_JPEGTRIP_H
#define RFDN_JPEGTRIP_H

#include <stdint.h>

#include <glib.h>

/*
 * Encodes an 8-bit image (1 = grey or 3 = RGB channels, packed rows) as a
 * baseline JPEG at `quality` (1-100; libjpeg's standard tables scaled by it)
 * with 4:2:0 chroma subsampling at every quality, decodes it, and writes the
 * decoded pixels to `out` (the same size and layout; may be `in`).  Needs
 * rfdn_io_init().  Returns FALSE with `error` set when libvips fails.
 */
gboolean rfdn_jpeg_roundtrip(const uint8_t *in, int w, int h, int channels, int quality,
                             uint8_t *out, GError **error);

#endif
