/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Image operations for evaluation and training data, shared by the CLI and
 * the tests: MATLAB-compatible bicubic down- and upscaling and the Y-PSNR / SSIM
 * measures of docs/MODELS.md.  Plain C; interleaved 8-bit pixels.
 */
#ifndef RFDN_IMAGEOPS_H
#define RFDN_IMAGEOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Downscales an 8-bit image (channels interleaved, rows of `stride` bytes) by
 * the integer factor `s` exactly as MATLAB's imresize(img, 1/s, 'bicubic'):
 * antialiasing cubic kernel (a = -0.5) widened by s, mirrored borders, rows
 * (vertical) first then columns, each pass rounded and clipped to uint8.
 * w and h must be multiples of s; `out` holds (w/s) x (h/s) pixels, packed.
 * Returns 0, or -1 when memory runs out.
 */
int rfdn_imresize_down(const uint8_t *in, int w, int h, int channels, size_t stride, int s,
                       uint8_t *out);

/*
 * Upscales by the integer factor `s` exactly as MATLAB's imresize(img, s,
 * 'bicubic') (the "bicubic" baseline of SR papers): cubic kernel (a = -0.5),
 * mirrored borders, vertical first, each pass rounded and clipped.  `out`
 * holds (w*s) x (h*s) pixels, packed.  Returns 0, or -1 when memory runs out.
 */
int rfdn_imresize_up(const uint8_t *in, int w, int h, int channels, size_t stride, int s,
                     uint8_t *out);

/* The luma of docs/MODELS.md: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255
 * for a colour image; for a grayscale image (`gray`: the first sample of
 * each pixel is the gray value) the value itself.  `channels` is the number
 * of samples per pixel.  `y` holds w x h doubles. */
void rfdn_luma(const uint8_t *in, int w, int h, int channels, size_t stride, bool gray,
               double *y);

/* PSNR (peak 255) between two w x h planes, ignoring `border` pixels at every
 * edge.  Returns INFINITY for identical planes. */
double rfdn_psnr(const double *a, const double *b, int w, int h, int border);

/* SSIM (11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, L 255, valid
 * region) between two planes after cropping `border` pixels at every edge.
 * Returns NAN when memory runs out or the cropped planes are under 11x11. */
double rfdn_ssim(const double *a, const double *b, int w, int h, int border);

#endif
