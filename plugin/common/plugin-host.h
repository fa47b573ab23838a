/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the upscale flow and the dialog's preview (plugin-flow.c,
 * plugin-preview.c, written once) need from GIMP where the two libgimps
 * differ: GIMP 2.10 names images and drawables by integer IDs, GIMP 3 by
 * objects.  One implementation per GIMP API (gimp2/host2.c,
 * gimp3/host3.c); the handles are opaque here (an ID in a pointer, or the
 * object).  The operations are thin: what to do with them is the flow's.
 * Progress (gimp_progress_*) is called directly: it is the same in both.
 */
#ifndef RFDN_PLUGIN_HOST_H
#define RFDN_PLUGIN_HOST_H

#include <gegl.h>
#include <glib.h>

#include "plugin-core.h"

G_BEGIN_DECLS

typedef struct rfdn_plug_host_ops {
    void (*drawable_size)(gpointer drawable, int *w, int *h);
    /* the drawable's pixels (g_object_unref) */
    GeglBuffer *(*drawable_buffer)(gpointer drawable);
    /* how its pixels go to the engine: its image's precision, its format */
    rfdn_plug_layout (*drawable_layout)(gpointer image, gpointer drawable);
    gboolean (*is_layer)(gpointer drawable); /* not a mask or channel */
    void (*image_size)(gpointer image, int *w, int *h);
    gboolean (*is_indexed)(gpointer image);
    /* every layer of the image, the layers inside groups instead of the
     * groups (g_ptr_array_free) */
    GPtrArray *(*image_layers)(gpointer image);
    /* the image's "jpeg-settings" parasite (the JPEG quality GIMP kept),
     * or NULL (g_bytes_unref) */
    GBytes *(*jpeg_settings)(gpointer image);
    /* a new image of `image`'s base type and precision, its undo off */
    gpointer (*new_image)(gpointer image, int w, int h);
    /* a layer named, typed and as opaque as `drawable`, on top of `img` */
    gpointer (*new_layer)(gpointer img, gpointer drawable, int w, int h);
    void (*copy_resolution)(gpointer from, gpointer to);
    void (*copy_profile)(gpointer from, gpointer to); /* the colour profile */
    /* its undo on, and shown in a display when `display` */
    void (*finish_new_image)(gpointer img, gboolean display);
    /* in place: an undo group begun and the image scaled (as Image > Scale
     * Image: every layer, mask, channel, path and offset by the factor) */
    void (*begin_in_place)(gpointer image, int scale);
    /* a layer brought to exactly w x h (a size the scaling rounded) */
    void (*fit_layer)(gpointer drawable, int w, int h);
    void (*drawable_update)(gpointer drawable, int w, int h);
    /* the undo group ended; the displays flushed when `flush` */
    void (*end_in_place)(gpointer image, gboolean flush);
} rfdn_plug_host_ops;

/* The operations' table of a host file that defines them under these
 * names (static): `static const rfdn_plug_host_ops ops = RFDN_PLUG_HOST_OPS;` */
#define RFDN_PLUG_HOST_OPS                                                                    \
    {                                                                                         \
        drawable_size, drawable_buffer, drawable_layout, is_layer, image_size, is_indexed,    \
            image_layers, jpeg_settings, new_image, new_layer, copy_resolution, copy_profile, \
            finish_new_image, begin_in_place, fit_layer, drawable_update, end_in_place,       \
    }

/* A run's image and drawable with their GIMP's operations. */
typedef struct {
    const rfdn_plug_host_ops *ops;
    gpointer image, drawable;
} rfdn_plug_host;

G_END_DECLS

#endif
