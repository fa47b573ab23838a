/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The conversions of display.h. */
#include "display.h"

#include <math.h>
#include <string.h>

static inline double sample01(const rfdn_io_image *im, size_t i)
{
    return im->bits == 16 ? ((const uint16_t *)im->pixels)[i] / 65535.0
                          : ((const uint8_t *)im->pixels)[i] / 255.0;
}

void rfdn_display_copy(const rfdn_io_image *im, int x, int y, int w, int h, cairo_surface_t *s,
                       int dx, int dy)
{
    cairo_surface_flush(s);
    uint8_t *d = cairo_image_surface_get_data(s);
    const int ds = cairo_image_surface_get_stride(s);
    const int c = im->channels;
    for (int yy = 0; yy < h; yy++) {
        uint32_t *row = (uint32_t *)(d + (size_t)(dy + yy) * ds) + dx;
        for (int xx = 0; xx < w; xx++) {
            const size_t i = ((size_t)(y + yy) * im->width + (x + xx)) * c;
            double r, g, b, a = 1;
            if (c >= 3) {
                r = sample01(im, i);
                g = sample01(im, i + 1);
                b = sample01(im, i + 2);
            } else {
                r = g = b = sample01(im, i);
            }
            if (c == 2 || c == 4)
                a = sample01(im, i + c - 1);
            row[xx] = (uint32_t)lround(a * 255) << 24 | (uint32_t)lround(r * a * 255) << 16 |
                      (uint32_t)lround(g * a * 255) << 8 | (uint32_t)lround(b * a * 255);
        }
    }
    cairo_surface_mark_dirty_rectangle(s, dx, dy, w, h);
}

cairo_surface_t *rfdn_display_surface(const rfdn_io_image *im)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, im->width, im->height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    rfdn_display_copy(im, 0, 0, im->width, im->height, s, 0, 0);
    return s;
}

GdkPixbuf *rfdn_display_pixbuf(const rfdn_io_image *im)
{
    GdkPixbuf *pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, TRUE, 8, im->width, im->height);
    if (!pb)
        return NULL;
    guint8 *px = gdk_pixbuf_get_pixels(pb);
    const int rs = gdk_pixbuf_get_rowstride(pb), c = im->channels;
    for (int y = 0; y < im->height; y++)
        for (int x = 0; x < im->width; x++) {
            const size_t i = ((size_t)y * im->width + x) * c;
            guint8 *o = px + (size_t)y * rs + 4 * (size_t)x;
            for (int k = 0; k < 4; k++) {
                const int src = k < 3 ? (c >= 3 ? k : 0) : (c == 2 || c == 4 ? c - 1 : -1);
                o[k] = src < 0 ? 255 : (guint8)lround(sample01(im, i + src) * 255);
            }
        }
    return pb;
}

rfdn_io_image *rfdn_display_from_pixbuf(GdkPixbuf *pb, GError **error)
{
    const int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
    const int c = gdk_pixbuf_get_n_channels(pb);
    rfdn_io_image *im = rfdn_io_new(w, h, c, 8, error);
    if (!im)
        return NULL;
    for (int y = 0; y < h; y++)
        memcpy((uint8_t *)im->pixels + y * im->stride,
               gdk_pixbuf_read_pixels(pb) + (size_t)y * gdk_pixbuf_get_rowstride(pb),
               (size_t)w * c);
    return im;
}
