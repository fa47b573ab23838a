/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preview and the dialog's run of plugin-preview.h (GTK 2 and 3). */
#include "plugin-preview.h"

#include <libgimp/gimpui.h>

#include <glib/gi18n-lib.h>

/* the preview shows this many output pixels square: a region of
 * PREVIEW_OUT / scale input pixels */
#define PREVIEW_OUT 256

struct rfdn_plug_preview {
    const rfdn_plug_host *h;
    const rfdn_plug_params *p;
    rfdn_model_store *store;
    GtkWidget *images, *before, *after, *status, *size_label, *note, *bar;
    GtkWidget *dialog; /* while a screenshot is due */
    guint shot;        /* its timeout */
    gboolean busy, dirty, cancel, closed;
};

static GtkWidget *box(gboolean vertical, int spacing)
{
#if GTK_CHECK_VERSION(3, 0, 0)
    return gtk_box_new(vertical ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL,
                       spacing);
#else
    return vertical ? gtk_vbox_new(FALSE, spacing) : gtk_hbox_new(FALSE, spacing);
#endif
}

static GtkWidget *left_label(void)
{
    GtkWidget *l = gtk_label_new("");
#if GTK_CHECK_VERSION(3, 16, 0)
    gtk_label_set_xalign(GTK_LABEL(l), 0.0);
#else
    gtk_misc_set_alignment(GTK_MISC(l), 0.0, 0.5);
#endif
    return l;
}

rfdn_plug_preview *rfdn_plug_preview_new(const rfdn_plug_host *h, const rfdn_plug_params *p,
                                         rfdn_model_store *store)
{
    rfdn_plug_preview *pv = g_new0(rfdn_plug_preview, 1);
    pv->h = h;
    pv->p = p;
    pv->store = store;
    pv->images = box(FALSE, 12);
    const char *titles[] = {N_("Before (enlarged pixels)"), N_("After")};
    GtkWidget **imgs[] = {&pv->before, &pv->after};
    for (int i = 0; i < 2; i++) {
        GtkWidget *frame = gimp_frame_new(_(titles[i]));
        *imgs[i] = gtk_image_new();
        gtk_widget_set_size_request(*imgs[i], PREVIEW_OUT, PREVIEW_OUT);
        gtk_container_add(GTK_CONTAINER(frame), *imgs[i]);
        gtk_box_pack_start(GTK_BOX(pv->images), frame, TRUE, TRUE, 0);
    }
    pv->status = box(TRUE, 6);
    pv->size_label = left_label();
    pv->note = left_label();
    gtk_label_set_line_wrap(GTK_LABEL(pv->note), TRUE);
    pv->bar = gtk_progress_bar_new();
#if GTK_CHECK_VERSION(3, 0, 0)
    gtk_progress_bar_set_show_text(GTK_PROGRESS_BAR(pv->bar), TRUE);
#endif
    gtk_box_pack_start(GTK_BOX(pv->status), pv->size_label, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(pv->status), pv->note, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(pv->status), pv->bar, FALSE, FALSE, 0);
    /* the widgets stay alive with the dialog they are packed in */
    g_object_ref_sink(pv->images);
    g_object_ref_sink(pv->status);
    return pv;
}

void rfdn_plug_preview_free(rfdn_plug_preview *pv)
{
    if (!pv)
        return;
    if (pv->shot)
        g_source_remove(pv->shot);
    g_object_unref(pv->images);
    g_object_unref(pv->status);
    g_free(pv);
}

GtkWidget *rfdn_plug_preview_images(rfdn_plug_preview *pv)
{
    return pv->images;
}

GtkWidget *rfdn_plug_preview_status(rfdn_plug_preview *pv)
{
    return pv->status;
}

static void pump_events(void)
{
    while (g_main_context_pending(NULL))
        g_main_context_iteration(NULL, FALSE);
}

/* the job's poll: the bar, the dialog kept responsive, the cancel asked */
static gboolean poll_bar(gpointer user, double f)
{
    rfdn_plug_preview *pv = user;
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(pv->bar), f);
    char *t = g_strdup_printf("%d %%", (int)(f * 100));
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(pv->bar), t);
    g_free(t);
    pump_events();
    return pv->cancel;
}

static GdkPixbuf *checkered(const guint8 *rgba, int w, int h, int zoom)
{
    GdkPixbuf *pb =
        gdk_pixbuf_new_from_data(rgba, GDK_COLORSPACE_RGB, TRUE, 8, w, h, w * 4, NULL, NULL);
    GdkPixbuf *o = gdk_pixbuf_composite_color_simple(pb, w * zoom, h * zoom, GDK_INTERP_NEAREST,
                                                     255, 8, 0xcccccc, 0x999999);
    g_object_unref(pb);
    return o;
}

static void set_image(GtkWidget *image, const void *rgba, int w, int h, int zoom)
{
    GdkPixbuf *pb = checkered(rgba, w, h, zoom);
    gtk_image_set_from_pixbuf(GTK_IMAGE(image), pb);
    g_object_unref(pb);
}

static void update_size(rfdn_plug_preview *pv)
{
    int w, h;
    if (pv->p->output == RFDN_PLUG_IN_PLACE)
        pv->h->ops->image_size(pv->h->image, &w, &h);
    else
        pv->h->ops->drawable_size(pv->h->drawable, &w, &h);
    const int s = pv->p->scale;
    char *t = g_strdup_printf(_("%d x %d pixels \342\206\222 %d x %d pixels"), w, h, w * s, h * s);
    gtk_label_set_text(GTK_LABEL(pv->size_label), t);
    g_free(t);
}

/* One before/after of the drawable's middle, sRGB 8-bit with alpha. */
static void compute(rfdn_plug_preview *pv)
{
    int dw, dh;
    pv->h->ops->drawable_size(pv->h->drawable, &dw, &dh);
    const int edge = PREVIEW_OUT / pv->p->scale;
    GeglRectangle r = {0, 0, MIN(dw, edge), MIN(dh, edge)};
    r.x = (dw - r.width) / 2;
    r.y = (dh - r.height) / 2;
    const rfdn_plug_layout l = rfdn_plug_layout_for(FALSE, TRUE, 8, FALSE, NULL);
    GError *err = NULL;
    GeglBuffer *buf = pv->h->ops->drawable_buffer(pv->h->drawable);
    rfdn_plug_item *it = rfdn_plug_item_new(buf, &r, &l, pv->p->scale, &err);
    g_object_unref(buf);
    char *why = NULL;
    rfdn_context *ctx = it ? rfdn_plug_context(pv->h, pv->store, pv->p, &why, &err) : NULL;
    if (ctx) {
        set_image(pv->before, it->in, it->w, it->h, pv->p->scale);
        pv->cancel = FALSE;
        if (rfdn_plug_job_wait(rfdn_plug_job_start(ctx, &it, 1), poll_bar, pv, &err) == RFDN_OK)
            set_image(pv->after, it->out, it->ow, it->oh, 1);
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(pv->bar), 0);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(pv->bar), "");
    }
    gtk_label_set_text(GTK_LABEL(pv->note), err ? err->message : why ? why : "");
    g_free(why);
    g_clear_error(&err);
    rfdn_plug_item_free(it);
}

void rfdn_plug_preview_changed(rfdn_plug_preview *pv, const rfdn_plug_param *d)
{
    if (pv->closed)
        return; /* the run has the context */
    update_size(pv);
    if (d && !d->preview)
        return;
    /* a change while the preview computes (its poll runs the dialog's
     * events) is taken up when it ends */
    if (pv->busy) {
        pv->dirty = TRUE;
        return;
    }
    pv->busy = TRUE;
    do {
        pv->dirty = FALSE;
        compute(pv);
    } while (pv->dirty && !pv->closed);
    pv->busy = FALSE;
}

static gboolean take_screenshot(gpointer data)
{
    rfdn_plug_preview *pv = data;
    if (pv->busy)
        return TRUE; /* the preview first */
    GdkWindow *win = gtk_widget_get_window(pv->dialog);
#if GTK_CHECK_VERSION(3, 0, 0)
    GdkPixbuf *pb = gdk_pixbuf_get_from_window(win, 0, 0, gdk_window_get_width(win),
                                               gdk_window_get_height(win));
#else
    gint w, h;
    gdk_drawable_get_size(win, &w, &h);
    GdkPixbuf *pb = gdk_pixbuf_get_from_drawable(NULL, win, NULL, 0, 0, 0, 0, w, h);
#endif
    if (pb) {
        gdk_pixbuf_save(pb, rfdn_plug_screenshot_path(), "png", NULL, NULL);
        g_object_unref(pb);
    }
    pv->shot = 0;
    gtk_dialog_response(GTK_DIALOG(pv->dialog), GTK_RESPONSE_CANCEL);
    return FALSE;
}

void rfdn_plug_preview_screenshot_later(rfdn_plug_preview *pv, GtkWidget *dialog)
{
    if (!rfdn_plug_screenshot_path())
        return;
    pv->dialog = dialog;
    pv->shot = g_timeout_add(500, take_screenshot, pv);
}

static void on_response(GtkWidget *dialog, gint response, gpointer data)
{
    rfdn_plug_preview *pv = data;
    if (response != GTK_RESPONSE_OK)
        pv->cancel = TRUE;
}

GimpPDBStatusType rfdn_plug_preview_run(rfdn_plug_preview *pv, GtkWidget *dialog,
                                        GtkWidget *controls, gpointer *new_image,
                                        GError **error)
{
    pv->closed = TRUE; /* no more previews */
    gtk_widget_set_sensitive(controls, FALSE);
    gtk_dialog_set_response_sensitive(GTK_DIALOG(dialog), GTK_RESPONSE_OK, FALSE);
    const gulong id = g_signal_connect(dialog, "response", G_CALLBACK(on_response), pv);
    pv->cancel = FALSE;
    const GimpPDBStatusType st = rfdn_plug_upscale(pv->h, pv->store, pv->p, GIMP_RUN_INTERACTIVE,
                                                   poll_bar, pv, new_image, error);
    g_signal_handler_disconnect(dialog, id);
    return st;
}
