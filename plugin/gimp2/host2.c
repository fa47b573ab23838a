/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plugin-host.h over libgimp 2.10: images and drawables are integer IDs,
 * carried in the handles. */
#include "host2.h"

#define ID(handle) GPOINTER_TO_INT(handle)

static void drawable_size(gpointer d, int *w, int *h)
{
    *w = gimp_drawable_width(ID(d));
    *h = gimp_drawable_height(ID(d));
}

static GeglBuffer *drawable_buffer(gpointer d)
{
    return gimp_drawable_get_buffer(ID(d));
}

static rfdn_plug_layout drawable_layout(gpointer image, gpointer d)
{
    const GimpPrecision prec = gimp_image_get_precision(ID(image));
    const int bits = prec == GIMP_PRECISION_U8_GAMMA ? 8 : prec == GIMP_PRECISION_U16_GAMMA ? 16 : 32;
    return rfdn_plug_layout_for(gimp_drawable_is_gray(ID(d)), gimp_drawable_has_alpha(ID(d)),
                                bits, bits == 32, gimp_drawable_get_format(ID(d)));
}

static gboolean is_layer(gpointer d)
{
    return gimp_item_is_layer(ID(d));
}

static void image_size(gpointer image, int *w, int *h)
{
    *w = gimp_image_width(ID(image));
    *h = gimp_image_height(ID(image));
}

static gboolean is_indexed(gpointer image)
{
    return gimp_image_base_type(ID(image)) == GIMP_INDEXED;
}

static void collect_layers(const gint32 *ids, gint n, GPtrArray *out)
{
    for (gint i = 0; i < n; i++) {
        if (gimp_item_is_group(ids[i])) {
            gint m;
            gint32 *children = gimp_item_get_children(ids[i], &m);
            collect_layers(children, m, out);
            g_free(children);
        } else {
            g_ptr_array_add(out, GINT_TO_POINTER(ids[i]));
        }
    }
}

static GPtrArray *image_layers(gpointer image)
{
    GPtrArray *out = g_ptr_array_new();
    gint n;
    gint32 *ids = gimp_image_get_layers(ID(image), &n);
    collect_layers(ids, n, out);
    g_free(ids);
    return out;
}

static GBytes *jpeg_settings(gpointer image)
{
    GimpParasite *par = gimp_image_get_parasite(ID(image), "jpeg-settings");
    if (!par)
        return NULL;
    GBytes *b = g_bytes_new(gimp_parasite_data(par), gimp_parasite_data_size(par));
    gimp_parasite_free(par);
    return b;
}

static gpointer new_image(gpointer image, int w, int h)
{
    const gint32 img = gimp_image_new_with_precision(w, h, gimp_image_base_type(ID(image)),
                                                     gimp_image_get_precision(ID(image)));
    gimp_image_undo_disable(img);
    return GINT_TO_POINTER(img);
}

static gpointer new_layer(gpointer img, gpointer drawable, int w, int h)
{
    const gint32 d = ID(drawable);
    const gint32 layer = gimp_layer_new(ID(img), gimp_item_get_name(d), w, h,
                                        gimp_drawable_type(d),
                                        gimp_item_is_layer(d) ? gimp_layer_get_opacity(d) : 100,
                                        GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(ID(img), layer, 0, 0);
    return GINT_TO_POINTER(layer);
}

static void copy_resolution(gpointer from, gpointer to)
{
    gdouble x, y;
    if (gimp_image_get_resolution(ID(from), &x, &y))
        gimp_image_set_resolution(ID(to), x, y);
}

static void copy_profile(gpointer from, gpointer to)
{
    GimpColorProfile *p = gimp_image_get_color_profile(ID(from));
    if (p)
        gimp_image_set_color_profile(ID(to), p);
    g_clear_object(&p);
}

static void finish_new_image(gpointer img, gboolean display)
{
    gimp_image_undo_enable(ID(img));
    if (display)
        gimp_display_new(ID(img));
}

static void begin_in_place(gpointer image, int scale)
{
    gimp_image_undo_group_start(ID(image));
    gimp_image_scale(ID(image), gimp_image_width(ID(image)) * scale,
                     gimp_image_height(ID(image)) * scale);
}

static void fit_layer(gpointer d, int w, int h)
{
    if (gimp_drawable_width(ID(d)) != w || gimp_drawable_height(ID(d)) != h)
        gimp_layer_scale(ID(d), w, h, FALSE);
}

static void drawable_update(gpointer d, int w, int h)
{
    gimp_drawable_update(ID(d), 0, 0, w, h);
}

static void end_in_place(gpointer image, gboolean flush)
{
    gimp_image_undo_group_end(ID(image));
    if (flush)
        gimp_displays_flush();
}

static const rfdn_plug_host_ops ops = RFDN_PLUG_HOST_OPS;

rfdn_plug_host rfdn_plug_host2(gint32 image, gint32 drawable)
{
    return (rfdn_plug_host){&ops, GINT_TO_POINTER(image), GINT_TO_POINTER(drawable)};
}
