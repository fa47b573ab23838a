/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preview and the dialog's run of plugin-preview.h (GTK 2 and 3). */
#include "plugin-preview.h"

#include <math.h>

#include <libgimp/gimpui.h>

#include <glib/gi18n-lib.h>

#include "detail.h"

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
    gint response; /* the dialog's answer that cancelled the run */
    /* the region shown (issue 28): its top-left in input pixels, first
     * placed on the drawable's most detailed part; the zoom (screen pixels
     * per output pixel: 2 magnifies, 0.5 shows four times the area);
     * dragged with the mouse, zoomed with the wheel */
    int rx, ry;
    gboolean placed, dragging;
    double zoom, drag_x, drag_y;
};

#define MIN_ZOOM 0.5
#define MAX_ZOOM 4.0
#define MARGIN 3 /* input pixels read around the region for GIMP's scaling */

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

/* The region's edge in input pixels at the current zoom. */
static int region_edge(const rfdn_plug_preview *pv)
{
    return MAX(1, (int)(PREVIEW_OUT / pv->zoom / pv->p->scale));
}

static gboolean on_press(GtkWidget *w, GdkEventButton *e, gpointer data)
{
    rfdn_plug_preview *pv = data;
    if (e->button != 1)
        return FALSE;
    pv->dragging = TRUE;
    pv->drag_x = e->x;
    pv->drag_y = e->y;
    return TRUE;
}

/* A drag moves the region by what the pointer moved (the image follows the
 * pointer); the preview is computed again where it ends. */
static gboolean on_release(GtkWidget *w, GdkEventButton *e, gpointer data)
{
    rfdn_plug_preview *pv = data;
    if (e->button != 1 || !pv->dragging)
        return FALSE;
    pv->dragging = FALSE;
    const double per_input = pv->zoom * pv->p->scale; /* screen pixels */
    const int dx = (int)lround((pv->drag_x - e->x) / per_input);
    const int dy = (int)lround((pv->drag_y - e->y) / per_input);
    if (dx || dy) {
        pv->rx += dx;
        pv->ry += dy;
        rfdn_plug_preview_changed(pv, NULL);
    }
    return TRUE;
}

/* The wheel zooms about the region's centre. */
static gboolean on_scroll(GtkWidget *w, GdkEventScroll *e, gpointer data)
{
    rfdn_plug_preview *pv = data;
    const double z = e->direction == GDK_SCROLL_UP     ? pv->zoom * 2
                     : e->direction == GDK_SCROLL_DOWN ? pv->zoom / 2
                                                       : pv->zoom;
    if (z < MIN_ZOOM || z > MAX_ZOOM || z == pv->zoom)
        return TRUE;
    const int old = region_edge(pv);
    pv->zoom = z;
    pv->rx += (old - region_edge(pv)) / 2;
    pv->ry += (old - region_edge(pv)) / 2;
    rfdn_plug_preview_changed(pv, NULL);
    return TRUE;
}

/* An image of the preview in a box that takes the mouse. */
static GtkWidget *grab_area(rfdn_plug_preview *pv, GtkWidget *image)
{
    GtkWidget *eb = gtk_event_box_new();
    gtk_widget_add_events(eb, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK | GDK_SCROLL_MASK);
    g_signal_connect(eb, "button-press-event", G_CALLBACK(on_press), pv);
    g_signal_connect(eb, "button-release-event", G_CALLBACK(on_release), pv);
    g_signal_connect(eb, "scroll-event", G_CALLBACK(on_scroll), pv);
    gtk_widget_set_tooltip_text(eb, _("Drag to move the preview, scroll to zoom"));
    gtk_container_add(GTK_CONTAINER(eb), image);
    return eb;
}

rfdn_plug_preview *rfdn_plug_preview_new(const rfdn_plug_host *h, const rfdn_plug_params *p,
                                         rfdn_model_store *store)
{
    rfdn_plug_preview *pv = g_new0(rfdn_plug_preview, 1);
    pv->h = h;
    pv->p = p;
    pv->store = store;
    pv->zoom = 1;
    pv->images = box(FALSE, 12);
    const char *titles[] = {N_("Before (GIMP's scaling)"), N_("After")};
    GtkWidget **imgs[] = {&pv->before, &pv->after};
    for (int i = 0; i < 2; i++) {
        GtkWidget *frame = gimp_frame_new(_(titles[i]));
        *imgs[i] = gtk_image_new();
        gtk_widget_set_size_request(*imgs[i], PREVIEW_OUT, PREVIEW_OUT);
        gtk_container_add(GTK_CONTAINER(frame), grab_area(pv, *imgs[i]));
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

/* An output-sized image on a checkerboard, at the preview's zoom (pixels
 * magnified as they are, or reduced smoothly). */
static GdkPixbuf *checkered(const guint8 *rgba, int w, int h, double zoom)
{
    GdkPixbuf *pb =
        gdk_pixbuf_new_from_data(rgba, GDK_COLORSPACE_RGB, TRUE, 8, w, h, w * 4, NULL, NULL);
    GdkPixbuf *o = gdk_pixbuf_composite_color_simple(
        pb, MAX(1, (int)(w * zoom)), MAX(1, (int)(h * zoom)),
        zoom >= 1 ? GDK_INTERP_NEAREST : GDK_INTERP_BILINEAR, 255, 8, 0xcccccc, 0x999999);
    g_object_unref(pb);
    return o;
}

static void set_image(GtkWidget *image, const void *rgba, int w, int h, double zoom)
{
    GdkPixbuf *pb = checkered(rgba, w, h, zoom);
    gtk_image_set_from_pixbuf(GTK_IMAGE(image), pb);
    g_object_unref(pb);
}

static GeglSamplerType sampler_of(GimpInterpolationType t)
{
    switch (t) {
    case GIMP_INTERPOLATION_NONE:
        return GEGL_SAMPLER_NEAREST;
    case GIMP_INTERPOLATION_LINEAR:
        return GEGL_SAMPLER_LINEAR;
    case GIMP_INTERPOLATION_NOHALO:
        return GEGL_SAMPLER_NOHALO;
    case GIMP_INTERPOLATION_LOHALO:
        return GEGL_SAMPLER_LOHALO;
    default:
        return GEGL_SAMPLER_CUBIC;
    }
}

/* "Before": region r of the drawable enlarged by the scale with the
 * interpolation GIMP's own scaling uses (the context's: Image > Scale
 * Image would give the same), its edges from pixels around it, not from
 * transparency.  NULL when out of memory (g_free). */
static guint8 *gimp_scaled(GeglBuffer *buf, const GeglRectangle *r, const Babl *f, int s)
{
    const GeglRectangle m = {r->x - MARGIN, r->y - MARGIN, r->width + 2 * MARGIN,
                             r->height + 2 * MARGIN};
    guint8 *in = g_try_malloc((gsize)m.width * m.height * 4);
    guint8 *out = g_try_malloc((gsize)r->width * s * r->height * s * 4);
    if (!in || !out) {
        g_free(in);
        g_free(out);
        return NULL;
    }
    gegl_buffer_get(buf, &m, 1.0, f, in, m.width * 4, GEGL_ABYSS_CLAMP);
    const GeglRectangle extent = {0, 0, m.width, m.height};
    GeglBuffer *src = gegl_buffer_linear_new_from_data(in, f, &extent, m.width * 4, NULL, NULL);
    GeglNode *g = gegl_node_new();
    GeglNode *from = gegl_node_new_child(g, "operation", "gegl:buffer-source", "buffer", src, NULL);
    GeglNode *scale = gegl_node_new_child(
        g, "operation", "gegl:scale-ratio", "x", (gdouble)s, "y", (gdouble)s, "sampler",
        sampler_of(gimp_context_get_interpolation()), NULL);
    gegl_node_link(from, scale);
    const GeglRectangle roi = {MARGIN * s, MARGIN * s, r->width * s, r->height * s};
    gegl_node_blit(scale, 1.0, &roi, f, out, r->width * s * 4, GEGL_BLIT_DEFAULT);
    g_object_unref(g);
    g_object_unref(src);
    g_free(in);
    return out;
}

/* The region first shown: where a reduced copy of the drawable shows the
 * most detail (common/detail.c). */
static void place_on_detail(rfdn_plug_preview *pv, GeglBuffer *buf, const Babl *f, int dw,
                            int dh, int edge)
{
    const double t = MIN(1.0, 256.0 / MAX(dw, dh));
    const int tw = MAX(1, (int)(dw * t)), th = MAX(1, (int)(dh * t));
    guint8 *thumb = g_try_malloc((gsize)tw * th * 4);
    pv->placed = TRUE;
    pv->rx = (dw - edge) / 2;
    pv->ry = (dh - edge) / 2;
    if (!thumb)
        return;
    const GeglRectangle r = {0, 0, tw, th};
    gegl_buffer_get(buf, &r, t, f, thumb, tw * 4, GEGL_ABYSS_CLAMP);
    int x, y;
    const int e = MAX(1, (int)lround(edge * t));
    rfdn_detail_window(thumb, tw, th, 4, (size_t)tw * 4, e, e, &x, &y);
    if (dw > edge || dh > edge) {
        pv->rx = (int)(x / t);
        pv->ry = (int)(y / t);
    }
    g_free(thumb);
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

/* One before/after of the region, sRGB 8-bit with alpha. */
static void compute(rfdn_plug_preview *pv)
{
    int dw, dh;
    pv->h->ops->drawable_size(pv->h->drawable, &dw, &dh);
    const int edge = region_edge(pv), s = pv->p->scale;
    const double zoom = pv->zoom; /* (the wheel may turn while this computes) */
    const rfdn_plug_layout l = rfdn_plug_layout_for(FALSE, TRUE, 8, FALSE, NULL);
    GeglBuffer *buf = pv->h->ops->drawable_buffer(pv->h->drawable);
    if (!pv->placed)
        place_on_detail(pv, buf, l.format, dw, dh, edge);
    GeglRectangle r = {0, 0, MIN(dw, edge), MIN(dh, edge)};
    pv->rx = r.x = CLAMP(pv->rx, 0, dw - r.width);
    pv->ry = r.y = CLAMP(pv->ry, 0, dh - r.height);
    GError *err = NULL;
    rfdn_plug_item *it = rfdn_plug_item_new(buf, &r, &l, s, &err);
    guint8 *before = it ? gimp_scaled(buf, &r, l.format, s) : NULL;
    g_object_unref(buf);
    char *why = NULL;
    rfdn_context *ctx = it ? rfdn_plug_context(pv->h, pv->store, pv->p, &why, &err) : NULL;
    if (ctx) {
        if (before)
            set_image(pv->before, before, it->ow, it->oh, zoom);
        pv->cancel = FALSE;
        if (rfdn_plug_job_wait(rfdn_plug_job_start(ctx, &it, 1), poll_bar, pv, &err) == RFDN_OK)
            set_image(pv->after, it->out, it->ow, it->oh, zoom);
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(pv->bar), 0);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(pv->bar), "");
    }
    gtk_label_set_text(GTK_LABEL(pv->note), err ? err->message : why ? why : "");
    g_free(why);
    g_free(before);
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
    if (response != GTK_RESPONSE_OK) {
        pv->cancel = TRUE;
        pv->response = response;
    }
}

GimpPDBStatusType rfdn_plug_preview_run(rfdn_plug_preview *pv, GtkWidget *dialog,
                                        GtkWidget *controls, gpointer *new_image,
                                        gboolean *again, GError **error)
{
    pv->closed = TRUE; /* no more previews */
    gtk_widget_set_sensitive(controls, FALSE);
    gtk_dialog_set_response_sensitive(GTK_DIALOG(dialog), GTK_RESPONSE_OK, FALSE);
    const gulong id = g_signal_connect(dialog, "response", G_CALLBACK(on_response), pv);
    pv->cancel = FALSE;
    pv->response = GTK_RESPONSE_NONE;
    const GimpPDBStatusType st = rfdn_plug_upscale(pv->h, pv->store, pv->p, GIMP_RUN_INTERACTIVE,
                                                   poll_bar, pv, new_image, error);
    g_signal_handler_disconnect(dialog, id);
    /* Cancel stopped the run: the dialog stays, as it was, for another
     * try (closing the window still closes it); the image is untouched */
    *again = st == GIMP_PDB_CANCEL && pv->response == GTK_RESPONSE_CANCEL;
    if (*again) {
        pv->closed = FALSE;
        gtk_widget_set_sensitive(controls, TRUE);
        gtk_dialog_set_response_sensitive(GTK_DIALOG(dialog), GTK_RESPONSE_OK, TRUE);
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(pv->bar), 0);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(pv->bar), "");
        gtk_label_set_text(GTK_LABEL(pv->note), _("Stopped: the image is unchanged"));
    }
    return st;
}
