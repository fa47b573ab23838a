/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plugin-host.h over libgimp 3: images and drawables are GimpImage and
 * GimpDrawable objects. */
#include "host3.h"

static void drawable_size(gpointer d, int *w, int *h)
{
    *w = gimp_drawable_get_width(d);
    *h = gimp_drawable_get_height(d);
}

static GeglBuffer *drawable_buffer(gpointer d)
{
    return gimp_drawable_get_buffer(d);
}

static rfdn_plug_layout drawable_layout(gpointer image, gpointer d)
{
    const GimpPrecision prec = gimp_image_get_precision(image);
    const int bits = prec == GIMP_PRECISION_U8_NON_LINEAR || prec == GIMP_PRECISION_U8_PERCEPTUAL
                         ? 8
                     : prec == GIMP_PRECISION_U16_NON_LINEAR ||
                             prec == GIMP_PRECISION_U16_PERCEPTUAL
                         ? 16
                         : 32;
    return rfdn_plug_layout_for(gimp_drawable_is_gray(d), gimp_drawable_has_alpha(d), bits,
                                bits == 32, gimp_drawable_get_format(d));
}

static gboolean is_layer(gpointer d)
{
    return GIMP_IS_LAYER(d);
}

static void image_size(gpointer image, int *w, int *h)
{
    *w = gimp_image_get_width(image);
    *h = gimp_image_get_height(image);
}

static gboolean is_indexed(gpointer image)
{
    return gimp_image_get_base_type(image) == GIMP_INDEXED;
}

static void collect_layers(GimpItem **items, GPtrArray *out)
{
    for (int i = 0; items && items[i]; i++) {
        if (gimp_item_is_group(items[i])) {
            GimpItem **children = gimp_item_get_children(items[i]);
            collect_layers(children, out);
            g_free(children);
        } else {
            g_ptr_array_add(out, items[i]);
        }
    }
}

static GPtrArray *image_layers(gpointer image)
{
    GPtrArray *out = g_ptr_array_new();
    GimpLayer **ls = gimp_image_get_layers(image);
    collect_layers((GimpItem **)ls, out);
    g_free(ls);
    return out;
}

static GBytes *jpeg_settings(gpointer image)
{
    GimpParasite *par = gimp_image_get_parasite(image, "jpeg-settings");
    if (!par)
        return NULL;
    guint32 len = 0;
    gconstpointer data = gimp_parasite_get_data(par, &len);
    GBytes *b = g_bytes_new(data, len);
    gimp_parasite_free(par);
    return b;
}

static gpointer new_image(gpointer image, int w, int h)
{
    GimpImage *img = gimp_image_new_with_precision(w, h, gimp_image_get_base_type(image),
                                                   gimp_image_get_precision(image));
    gimp_image_undo_disable(img);
    return img;
}

static gpointer new_layer(gpointer img, gpointer drawable, int w, int h)
{
    const gdouble opacity =
        GIMP_IS_LAYER(drawable) ? gimp_layer_get_opacity(GIMP_LAYER(drawable)) : 100;
    GimpLayer *layer = gimp_layer_new(img, gimp_item_get_name(GIMP_ITEM(drawable)), w, h,
                                      gimp_drawable_type(drawable), opacity,
                                      GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(img, layer, NULL, 0);
    return layer;
}

static void copy_resolution(gpointer from, gpointer to)
{
    gdouble x, y;
    if (gimp_image_get_resolution(from, &x, &y))
        gimp_image_set_resolution(to, x, y);
}

static void copy_profile(gpointer from, gpointer to)
{
    GimpColorProfile *p = gimp_image_get_color_profile(from);
    if (p)
        gimp_image_set_color_profile(to, p);
    g_clear_object(&p);
}

static void finish_new_image(gpointer img, gboolean display)
{
    gimp_image_undo_enable(img);
    if (display)
        gimp_display_new(img);
}

static void begin_in_place(gpointer image, int scale)
{
    gimp_image_undo_group_start(image);
    gimp_image_scale(image, gimp_image_get_width(image) * scale,
                     gimp_image_get_height(image) * scale);
}

static void fit_layer(gpointer d, int w, int h)
{
    if (gimp_drawable_get_width(d) != w || gimp_drawable_get_height(d) != h)
        gimp_layer_scale(GIMP_LAYER(d), w, h, FALSE);
}

static void drawable_update(gpointer d, int w, int h)
{
    gimp_drawable_update(d, 0, 0, w, h);
}

static void end_in_place(gpointer image, gboolean flush)
{
    gimp_image_undo_group_end(image);
    if (flush)
        gimp_displays_flush();
}

static const rfdn_plug_host_ops ops = RFDN_PLUG_HOST_OPS;

rfdn_plug_host rfdn_plug_host3(GimpImage *image, GimpDrawable *drawable)
{
    return (rfdn_plug_host){&ops, image, drawable};
}
