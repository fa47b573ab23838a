/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pixels in and out of a run: samples of any format to float planes on
 * 0-255 and back (rounded, clamped), colour under transparent pixels
 * filled, the reduced copy that RFDN's shared attention gains come from,
 * and a tile's result written by rows across the pool.
 */
#include <math.h>
#include <string.h>

#include "pixels.h"

static size_t sample_size(rfdn_sample_format f)
{
    return f == RFDN_SAMPLE_U8 ? 1 : f == RFDN_SAMPLE_U16 ? 2 : 4;
}

bool rfdn_px_image_valid(const rfdn_image *im)
{
    if (!im || !im->data || im->width < 1 || im->height < 1 || im->channels < 1 ||
        im->channels > 4 ||
        (im->format != RFDN_SAMPLE_U8 && im->format != RFDN_SAMPLE_U16 &&
         im->format != RFDN_SAMPLE_F32))
        return false;
    const size_t row = (size_t)im->width * im->channels * sample_size(im->format);
    return im->stride > 0 && (size_t)im->stride >= row;
}

/* One sample as a value in [0, 255]. */
static inline float read_sample(const rfdn_image *im, int x, int y, int c)
{
    const uint8_t *row = (const uint8_t *)im->data + (size_t)y * (size_t)im->stride;
    const size_t i = (size_t)x * im->channels + c;
    switch (im->format) {
    case RFDN_SAMPLE_U8:
        return row[i];
    case RFDN_SAMPLE_U16: {
        uint16_t v;
        memcpy(&v, row + 2 * i, 2);
        return (float)v * (255.0f / 65535.0f);
    }
    default: {
        float v;
        memcpy(&v, row + 4 * i, 4);
        if (!(v > 0.0f)) /* also NaN */
            v = 0.0f;
        return v >= 1.0f ? 255.0f : v * 255.0f;
    }
    }
}

/* Writes a value in [0, 255] (clamped here) as one sample. */
static inline void write_sample(const rfdn_image *im, int x, int y, int c, float v)
{
    uint8_t *row = (uint8_t *)im->data + (size_t)y * (size_t)im->stride;
    const size_t i = (size_t)x * im->channels + c;
    v = v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v;
    switch (im->format) {
    case RFDN_SAMPLE_U8:
        row[i] = (uint8_t)lrintf(v);
        break;
    case RFDN_SAMPLE_U16: {
        uint16_t u = (uint16_t)lrintf(v * (65535.0f / 255.0f));
        memcpy(row + 2 * i, &u, 2);
        break;
    }
    default: {
        float f = v / 255.0f;
        memcpy(row + 4 * i, &f, 4);
        break;
    }
    }
}

/* A rectangle of an image: colour planes (gray replicated) into rgb[3][P]
 * and alpha (if any) into a[P], P = rw * rh. */
void rfdn_px_read_planes(const rfdn_image *im, bool t, int x0, int y0, int rw, int rh,
                         float *rgb, float *a)
{
    const int nc = im->channels;
    const bool gray = nc <= 2, has_alpha = nc == 2 || nc == 4;
    const size_t P = (size_t)rw * rh;
    for (int y = 0; y < rh; y++)
        for (int x = 0; x < rw; x++) {
            const size_t p = (size_t)y * rw + x;
            const int ix = t ? y0 + y : x0 + x, iy = t ? x0 + x : y0 + y;
            for (int c = 0; c < 3; c++)
                rgb[c * P + p] = read_sample(im, ix, iy, gray ? 0 : c);
            if (has_alpha)
                a[p] = read_sample(im, ix, iy, nc - 1);
        }
}

/* Whether the image has an alpha channel that is not fully opaque. */
bool rfdn_px_translucent(const rfdn_image *im)
{
    if (im->channels != 2 && im->channels != 4)
        return false;
    for (int y = 0; y < im->height; y++)
        for (int x = 0; x < im->width; x++)
            if (read_sample(im, x, y, im->channels - 1) < 255.0f)
                return true;
    return false;
}

/* Colour under fully transparent pixels is invisible but would bleed into
 * visible edges through the network (dark or coloured halos around sprites).
 * Replace it with the mean colour of the visible or already filled
 * neighbours, growing RFDN_FILL_RADIUS pixels out from the visible ones;
 * farther pixels keep their colour.  The result at a pixel depends only on
 * the pixels within the radius, so tiles (whose halo is wider) agree with
 * the whole image.  `tmp` holds 3 * P floats + P bytes. */
#define RFDN_FILL_RADIUS 8

void rfdn_px_fill_transparent(float *rgb, const float *a, int w, int h, float *tmp)
{
    const size_t P = (size_t)w * h;
    uint8_t *known = (uint8_t *)(tmp + 3 * P);
    for (size_t p = 0; p < P; p++)
        known[p] = a[p] > 0.0f;
    for (int it = 0; it < RFDN_FILL_RADIUS; it++) {
        bool any = false;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                const size_t p = (size_t)y * w + x;
                tmp[p] = -1.0f; /* not filled in this pass */
                if (known[p])
                    continue;
                float sum[3] = {0, 0, 0};
                int n = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        const int yy = y + dy, xx = x + dx;
                        if (yy < 0 || yy >= h || xx < 0 || xx >= w)
                            continue;
                        const size_t q = (size_t)yy * w + xx;
                        if (!known[q])
                            continue;
                        for (int c = 0; c < 3; c++)
                            sum[c] += rgb[c * P + q];
                        n++;
                    }
                if (n) {
                    for (int c = 0; c < 3; c++)
                        tmp[c * P + p] = sum[c] / (float)n;
                    any = true;
                }
            }
        for (size_t p = 0; p < P; p++) /* commit the pass: order-independent */
            if (!known[p] && tmp[p] >= 0.0f) {
                for (int c = 0; c < 3; c++)
                    rgb[c * P + p] = tmp[c * P + p];
                known[p] = 1;
            }
        if (!any)
            break;
    }
}

/* The whole image reduced by box averaging to fit tw x th (planar, values
 * 0..255, colour or the alpha channel), for the statistics of RFDN's channel
 * attention.  Returns the reduced size. */
void rfdn_px_thumbnail(const rfdn_image *im, bool t, bool alpha, int tw, int th, float *dst,
                       int *rw, int *rh)
{
    const int w = t ? im->height : im->width, h = t ? im->width : im->height;
    const int nc = im->channels;
    int f = 1;
    while ((w + f - 1) / f > tw || (h + f - 1) / f > th)
        f++;
    const int ow = (w + f - 1) / f, oh = (h + f - 1) / f;
    const size_t P = (size_t)ow * oh;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                int n = 0;
                for (int yy = y * f; yy < y * f + f && yy < h; yy++)
                    for (int xx = x * f; xx < x * f + f && xx < w; xx++, n++)
                        sum += read_sample(im, t ? yy : xx, t ? xx : yy,
                                           alpha ? nc - 1 : nc <= 2 ? 0 : c);
                dst[c * P + (size_t)y * ow + x] = (float)(sum / n);
            }
    *rw = ow;
    *rh = oh;
}


/* Output rows [y0, y1) of r (0 <= y0 <= y1 <= r->oh); with t, r is of the
 * transposed image: its rows are the image's columns. */
static void write_colour(const rfdn_image *im, bool t, const float *rgb, const out_rect *r,
                         int y0, int y1)
{
    const int nc = im->channels;
    const size_t P = (size_t)r->pw * r->ph;
    if (im->format == RFDN_SAMPLE_U8 && nc >= 3 && !t) {
        /* the common case without a call per sample: x4 writes 16 output
         * pixels per input pixel.  Rounding as lrintf (to nearest, ties to
         * even) through the 1.5 * 2^23 trick, exact for 0 <= v <= 255. */
        const float magic = 12582912.0f;
        for (int y = y0; y < y1; y++) {
            uint8_t *row = (uint8_t *)im->data + (size_t)(r->oy + y) * (size_t)im->stride +
                           (size_t)r->ox * (size_t)nc;
            const size_t p0 = (size_t)(r->sy + y) * r->pw + (size_t)r->sx;
            for (int c = 0; c < 3; c++) {
                const float *src = rgb + c * P + p0;
                for (int x = 0; x < r->ow; x++) {
                    float v = src[x];
                    v = v > 0.0f ? (v < 255.0f ? v : 255.0f) : 0.0f; /* NaN: 0 */
                    row[(size_t)x * nc + c] = (uint8_t)(int)((v + magic) - magic);
                }
            }
        }
        return;
    }
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < r->ow; x++) {
            const size_t p = (size_t)(r->sy + y) * r->pw + (size_t)(r->sx + x);
            const int ox = t ? r->oy + y : r->ox + x, oy = t ? r->ox + x : r->oy + y;
            if (nc <= 2)
                write_sample(im, ox, oy, 0, (rgb[p] + rgb[P + p] + rgb[2 * P + p]) / 3.0f);
            else
                for (int c = 0; c < 3; c++)
                    write_sample(im, ox, oy, c, rgb[c * P + p]);
        }
}

/* The alpha channel (if the image has one) from a (planes as in r), or
 * opaque when a is NULL; output rows [y0, y1). */
static void write_alpha(const rfdn_image *im, bool t, const float *a, const out_rect *r,
                        int y0, int y1)
{
    const int nc = im->channels;
    if (nc != 2 && nc != 4)
        return;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < r->ow; x++)
            write_sample(im, t ? r->oy + y : r->ox + x, t ? r->ox + x : r->oy + y, nc - 1,
                         a ? a[(size_t)(r->sy + y) * r->pw + (size_t)(r->sx + x)] : 255.0f);
}

/* Writing a tile's result (the output is scale^2 times the input: not
 * negligible) split by rows across the pool when the tile has it. */
typedef struct write_job {
    const rfdn_image *im;
    const float *planes; /* colour planes, or alpha plane */
    const out_rect *r;
    bool alpha, t;
    int rows;
} write_job;

static void write_task(void *arg, int i)
{
    const write_job *w = arg;
    const int y0 = i * w->rows, y1 = y0 + w->rows < w->r->oh ? y0 + w->rows : w->r->oh;
    if (w->alpha)
        write_alpha(w->im, w->t, w->planes, w->r, y0, y1);
    else
        write_colour(w->im, w->t, w->planes, w->r, y0, y1);
}

void rfdn_px_write_rows(rfdn_pool *pool, const rfdn_image *im, bool transposed,
                        const float *planes, const out_rect *r, bool alpha)
{
    const int t = pool ? rfdn_pool_threads(pool) : 1;
    if (t <= 1 || r->oh < 2 * t) {
        if (alpha)
            write_alpha(im, transposed, planes, r, 0, r->oh);
        else
            write_colour(im, transposed, planes, r, 0, r->oh);
        return;
    }
    int rows = r->oh / (4 * t);
    if (rows < 1)
        rows = 1;
    write_job w = {im, planes, r, alpha, transposed, rows};
    rfdn_pool_run(pool, (r->oh + rows - 1) / rows, write_task, &w);
}

