/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RFDN_RESAMPLE_H
#define RFDN_RESAMPLE_H

/* Bicubic (a = -0.5) upscaling of one plane by an integer factor, pixel
 * centres aligned (align_corners = False), edges clamped.  `out` holds
 * (s*w) x (s*h) floats. */
void rfdn_bicubic_upscale(const float *in, int w, int h, int s, float *out);

#endif
