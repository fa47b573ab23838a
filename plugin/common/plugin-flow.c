/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The run of plugin-flow.h. */
#include "plugin-flow.h"

#include <glib/gi18n-lib.h>

#define FAIL(...) g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, __VA_ARGS__)

gboolean rfdn_plug_check_target(const rfdn_plug_host *h, const rfdn_plug_params *p,
                                GError **error)
{
    if (h->ops->is_indexed(h->image)) {
        FAIL(_("Indexed images cannot be upscaled by a network: convert the image with "
               "Image > Mode > RGB first"));
        return FALSE;
    }
    if (p->output == RFDN_PLUG_NEW_IMAGE && !h->ops->is_layer(h->drawable)) {
        FAIL(_("Select a layer (not a mask or channel) to upscale into a new image"));
        return FALSE;
    }
    return TRUE;
}

rfdn_context *rfdn_plug_context(const rfdn_plug_host *h, rfdn_model_store *store,
                                const rfdn_plug_params *p, char **why_out, GError **error)
{
    GBytes *jpeg = h->ops->jpeg_settings(h->image);
    GeglBuffer *buf = h->ops->drawable_buffer(h->drawable);
    gsize len = 0;
    const void *data = jpeg ? g_bytes_get_data(jpeg, &len) : NULL;
    char *why = NULL, *note = NULL;
    const rfdn_content v = rfdn_plug_content(p, data, len, buf, &why);
    g_object_unref(buf);
    if (jpeg)
        g_bytes_unref(jpeg);
    rfdn_settings s;
    rfdn_settings_default(&s);
    s.tile_size = p->tile;
    s.threads = p->threads;
    s.alpha = p->alpha ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
    rfdn_model_store_set_settings(store, &s);
    rfdn_context *ctx = rfdn_model_store_get(store, rfdn_plug_model_name(p->model), p->scale, v,
                                             NULL, &note, error);
    *why_out = rfdn_content_explain(why, note);
    g_free(why);
    g_free(note);
    return ctx;
}

typedef struct {
    rfdn_plug_poll_fn poll;
    gpointer user;
} poll_chain;

static gboolean poll_gimp(gpointer user, double f)
{
    const poll_chain *c = user;
    gimp_progress_update(f);
    return c->poll && c->poll(c->user, f);
}

static void write_item(const rfdn_plug_host *h, gpointer drawable, const rfdn_plug_item *it)
{
    GeglBuffer *buf = h->ops->drawable_buffer(drawable);
    rfdn_plug_item_write(it, buf);
    g_object_unref(buf);
}

/* The result in a new image, as Image > Scale Image would make it: the
 * same resolution (the print size grows) and colour profile. */
static gpointer to_new_image(const rfdn_plug_host *h, const rfdn_plug_item *it,
                             gboolean display)
{
    const rfdn_plug_host_ops *o = h->ops;
    gpointer img = o->new_image(h->image, it->ow, it->oh);
    write_item(h, o->new_layer(img, h->drawable, it->ow, it->oh), it);
    o->copy_resolution(h->image, img);
    o->copy_profile(h->image, img);
    o->finish_new_image(img, display);
    return img;
}

/* The image scaled and every layer's pixels replaced, in one undo step. */
static void in_place(const rfdn_plug_host *h, GPtrArray *layers, rfdn_plug_item *const *items,
                     int scale, gboolean flush)
{
    const rfdn_plug_host_ops *o = h->ops;
    o->begin_in_place(h->image, scale);
    for (guint i = 0; i < layers->len; i++) {
        const rfdn_plug_item *it = items[i];
        o->fit_layer(layers->pdata[i], it->ow, it->oh);
        write_item(h, layers->pdata[i], it);
        o->drawable_update(layers->pdata[i], it->ow, it->oh);
    }
    o->end_in_place(h->image, flush);
}

/* The inputs: the drawable's or every layer's pixels, read now. */
static gboolean read_items(const rfdn_plug_host *h, GPtrArray *layers, int scale,
                           rfdn_plug_item **items, GError **error)
{
    for (guint i = 0; i < layers->len; i++) {
        gpointer d = layers->pdata[i];
        GeglBuffer *buf = h->ops->drawable_buffer(d);
        GeglRectangle r = {0, 0, 0, 0};
        h->ops->drawable_size(d, &r.width, &r.height);
        const rfdn_plug_layout l = h->ops->drawable_layout(h->image, d);
        items[i] = rfdn_plug_item_new(buf, &r, &l, scale, error);
        g_object_unref(buf);
        if (!items[i])
            return FALSE;
    }
    return TRUE;
}

GimpPDBStatusType rfdn_plug_upscale(const rfdn_plug_host *h, rfdn_model_store *store,
                                    const rfdn_plug_params *p, GimpRunMode mode,
                                    rfdn_plug_poll_fn poll, gpointer user, gpointer *new_image,
                                    GError **error)
{
    *new_image = NULL;
    /* the dialog's entries too: the settings table's ranges and messages */
    if (!rfdn_plug_params_validate(p, error) || !rfdn_plug_check_target(h, p, error))
        return GIMP_PDB_CALLING_ERROR;
    GPtrArray *layers = p->output == RFDN_PLUG_IN_PLACE ? h->ops->image_layers(h->image)
                                                        : g_ptr_array_new();
    if (p->output != RFDN_PLUG_IN_PLACE)
        g_ptr_array_add(layers, h->drawable);
    const int n = (int)layers->len;
    rfdn_plug_item **items = g_new0(rfdn_plug_item *, n ? n : 1);
    GimpPDBStatusType status = GIMP_PDB_EXECUTION_ERROR;
    const char *label = rfdn_plug_model_label(p->model);
    gimp_progress_init_printf(_("Super-resolution (%s x%d)"), label, p->scale);
    if (!read_items(h, layers, p->scale, items, error))
        goto out;
    char *why = NULL;
    rfdn_context *ctx = rfdn_plug_context(h, store, p, &why, error);
    gimp_progress_set_text_printf(_("Super-resolution (%s x%d): %s"), label, p->scale, why);
    g_free(why);
    if (!ctx)
        goto out;
    poll_chain chain = {poll, user};
    const rfdn_status st =
        rfdn_plug_job_wait(rfdn_plug_job_start(ctx, items, n), poll_gimp, &chain, error);
    if (st != RFDN_OK) {
        status = st == RFDN_CANCELLED ? GIMP_PDB_CANCEL : GIMP_PDB_EXECUTION_ERROR;
        goto out;
    }
    /* every result is there: now change the images */
    if (p->output == RFDN_PLUG_NEW_IMAGE)
        *new_image = to_new_image(h, items[0], mode == GIMP_RUN_INTERACTIVE);
    else
        in_place(h, layers, items, p->scale, mode != GIMP_RUN_NONINTERACTIVE);
    status = GIMP_PDB_SUCCESS;
out:
    gimp_progress_end();
    for (int i = 0; i < n; i++)
        rfdn_plug_item_free(items[i]);
    g_free(items);
    g_ptr_array_free(layers, TRUE);
    return status;
}
