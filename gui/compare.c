/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The compare view of compare.h: panes side by side (or one split by a
 * divider), one zoom and one centre in output pixels for all. */
#include "compare.h"

#include <math.h>

struct _RfdnCompare {
    GtkDrawingArea parent;
    cairo_surface_t *original, *result, *second; /* second: a third pane, or NULL */
    char *labels[3];                              /* each pane's, or NULL */
    int out_w, out_h, in_w, in_h;
    double zoom;     /* screen pixels per output pixel */
    double cx, cy;   /* output point at the centre of each pane */
    gboolean fit;    /* zoom follows the size */
    gboolean split;  /* one pane with a divider, else two panes */
    double divider;  /* split position, 0..1 of the width */
    gboolean smooth; /* original drawn smooth, else nearest */
    double shown_zoom; /* the last zoom-changed's */
    guint zoom_idle;   /* its idle, pending */
    /* drag */
    gboolean dragging, moving_divider;
    double drag_x, drag_y, drag_cx, drag_cy;
};

G_DEFINE_TYPE(RfdnCompare, rfdn_compare, GTK_TYPE_DRAWING_AREA)

enum { SIG_ZOOM_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

double rfdn_compare_get_zoom(RfdnCompare *c);

static gboolean emit_zoom_changed(gpointer data)
{
    RfdnCompare *c = data;
    c->zoom_idle = 0;
    c->shown_zoom = rfdn_compare_get_zoom(c);
    g_signal_emit(c, signals[SIG_ZOOM_CHANGED], 0);
    return G_SOURCE_REMOVE;
}

/* The zoom shown may have changed: the window's readout follows, from an
 * idle (not within a size allocation or a draw), and only on a change. */
static void zoom_changed(RfdnCompare *c)
{
    if (c->zoom_idle || rfdn_compare_get_zoom(c) == c->shown_zoom)
        return;
    c->zoom_idle = g_idle_add(emit_zoom_changed, c);
}

#define GAP 4 /* screen pixels between panes */

/* side by side: the original, the result and the second result if any */
static int panes(RfdnCompare *c)
{
    return c->split ? 1 : c->second ? 3 : 2;
}

static void pane_size(RfdnCompare *c, double *pw, double *ph)
{
    const int w = gtk_widget_get_allocated_width(GTK_WIDGET(c));
    const int h = gtk_widget_get_allocated_height(GTK_WIDGET(c));
    const int n = panes(c);
    *pw = floor((w - GAP * (n - 1)) / (double)n); /* (whole pixels: no seams) */
    *ph = h;
}

static double fit_zoom(RfdnCompare *c);

/* The least zoom: the whole image in a pane (or 100 % for an image
 * smaller than the pane), so zooming out stops where the image fits. */
static double min_zoom(RfdnCompare *c)
{
    return fmin(fit_zoom(c), 1.0);
}

#define MAX_ZOOM 64.0

/* Panning stops at the image's edges: on each axis the view stays on the
 * image, and an image smaller than the pane stays centred on that axis. */
static void clamp_axis(double *centre, double extent, double half_view)
{
    if (extent <= 2 * half_view)
        *centre = extent / 2;
    else
        *centre = fmax(half_view, fmin(extent - half_view, *centre));
}

static void clamp_centre(RfdnCompare *c)
{
    double pw, ph;
    pane_size(c, &pw, &ph);
    if (c->zoom <= 0)
        return;
    clamp_axis(&c->cx, c->out_w, pw / 2 / c->zoom);
    clamp_axis(&c->cy, c->out_h, ph / 2 / c->zoom);
}

static double fit_zoom(RfdnCompare *c)
{
    double pw, ph;
    pane_size(c, &pw, &ph);
    if (c->out_w <= 0 || c->out_h <= 0 || pw <= 0 || ph <= 0)
        return 1;
    return fmin(pw / c->out_w, ph / c->out_h);
}

/* A pane's label in its top left corner, on a dark plate. */
static void draw_label(RfdnCompare *c, cairo_t *cr, double x0, const char *text)
{
    if (!text || !*text)
        return;
    PangoLayout *l = gtk_widget_create_pango_layout(GTK_WIDGET(c), text);
    int tw, th;
    pango_layout_get_pixel_size(l, &tw, &th);
    cairo_save(cr);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
    cairo_rectangle(cr, x0 + 6, 6, tw + 12, th + 6);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x0 + 12, 9);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
    g_object_unref(l);
}

/* which: 0 the original, 1 the result, 2 the second result; results of
 * another size (another scale) drawn at the first result's */
static void draw_pane(RfdnCompare *c, cairo_t *cr, double x0, double pw, double ph, int which)
{
    const gboolean original = which == 0;
    cairo_save(cr);
    cairo_rectangle(cr, x0, 0, pw, ph);
    cairo_clip(cr);
    /* checkerboard under the image only (transparency shows through) */
    /* the image on whole screen pixels, its edges not blended with the
     * checkerboard (the 1-pixel light line at the panes' edges) */
    const double ix = round(x0 + pw / 2 - c->cx * c->zoom), iy = round(ph / 2 - c->cy * c->zoom);
    cairo_save(cr);
    cairo_rectangle(cr, ix, iy, round(c->out_w * c->zoom), round(c->out_h * c->zoom));
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    for (int y = 0; y < ph; y += 16)
        for (int x = (y / 16) % 2 * 16; x < pw; x += 32)
            cairo_rectangle(cr, x0 + x, y, 16, 16);
    cairo_fill(cr);
    cairo_restore(cr);
    /* screen = pane centre + (output - centre) * zoom, clipped as above */
    cairo_rectangle(cr, ix, iy, round(c->out_w * c->zoom), round(c->out_h * c->zoom));
    cairo_clip(cr);
    cairo_translate(cr, ix, iy);
    cairo_scale(cr, c->zoom, c->zoom);
    cairo_surface_t *s = which == 0 ? c->original : which == 1 ? c->result : c->second;
    if (s) {
        if (original) {
            cairo_scale(cr, (double)c->out_w / c->in_w, (double)c->out_h / c->in_h);
            cairo_set_source_surface(cr, s, 0, 0);
            cairo_pattern_set_filter(cairo_get_source(cr),
                                     c->smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST);
        } else {
            const int sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
            if (sw != c->out_w || sh != c->out_h)
                cairo_scale(cr, (double)c->out_w / sw, (double)c->out_h / sh);
            cairo_set_source_surface(cr, s, 0, 0);
            cairo_pattern_set_filter(cairo_get_source(cr), c->zoom >= 1 ? CAIRO_FILTER_NEAREST
                                                                        : CAIRO_FILTER_GOOD);
        }
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
        cairo_paint(cr);
    }
    cairo_restore(cr);
}

static gboolean on_draw(GtkWidget *w, cairo_t *cr)
{
    RfdnCompare *c = RFDN_COMPARE(w);
    const int width = gtk_widget_get_allocated_width(w);
    const int height = gtk_widget_get_allocated_height(w);
    cairo_set_source_rgb(cr, 0.18, 0.18, 0.18);
    cairo_paint(cr);
    if (!c->original)
        return TRUE;
    if (c->fit)
        c->zoom = fit_zoom(c), c->cx = c->out_w / 2.0, c->cy = c->out_h / 2.0;
    double pw, ph;
    pane_size(c, &pw, &ph);
    if (c->split) {
        const double dx = c->divider * width;
        cairo_save(cr);
        cairo_rectangle(cr, 0, 0, dx, height);
        cairo_clip(cr);
        draw_pane(c, cr, 0, pw, ph, 0);
        cairo_restore(cr);
        cairo_save(cr);
        cairo_rectangle(cr, dx, 0, width - dx, height);
        cairo_clip(cr);
        draw_pane(c, cr, 0, pw, ph, 1);
        cairo_restore(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, dx - 1, 0, 2, height);
        cairo_fill(cr);
        cairo_arc(cr, dx, height / 2.0, 9, 0, 2 * G_PI);
        cairo_fill(cr);
        draw_label(c, cr, 0, c->labels[0]);
        draw_label(c, cr, dx, c->labels[1]);
    } else {
        for (int i = 0; i < panes(c); i++) {
            draw_pane(c, cr, i * (pw + GAP), pw, ph, i);
            draw_label(c, cr, i * (pw + GAP), c->labels[i]);
        }
    }
    return TRUE;
}

static gboolean on_scroll(GtkWidget *w, GdkEventScroll *e)
{
    RfdnCompare *c = RFDN_COMPARE(w);
    if (!c->original)
        return FALSE;
    double dy = 0;
    if (e->direction == GDK_SCROLL_UP)
        dy = -1;
    else if (e->direction == GDK_SCROLL_DOWN)
        dy = 1;
    else if (e->direction == GDK_SCROLL_SMOOTH)
        gdk_event_get_scroll_deltas((GdkEvent *)e, NULL, &dy);
    if (e->state & GDK_CONTROL_MASK) {
        /* zoom at the pointer: the output point under it stays there */
        double pw, ph;
        pane_size(c, &pw, &ph);
        const double px = c->split ? e->x : fmod(e->x, pw + GAP);
        const double ox = c->cx + (px - pw / 2) / c->zoom, oy = c->cy + (e->y - ph / 2) / c->zoom;
        const double f = pow(1.25, -dy);
        c->fit = FALSE;
        c->zoom = fmax(min_zoom(c), fmin(MAX_ZOOM, c->zoom * f));
        c->cx = ox - (px - pw / 2) / c->zoom;
        c->cy = oy - (e->y - ph / 2) / c->zoom;
    } else {
        /* scroll pans */
        c->fit = FALSE;
        if (e->state & GDK_SHIFT_MASK)
            c->cx += dy * 60 / c->zoom;
        else
            c->cy += dy * 60 / c->zoom;
    }
    clamp_centre(c);
    zoom_changed(c);
    gtk_widget_queue_draw(w);
    return TRUE;
}

static gboolean on_press(GtkWidget *w, GdkEventButton *e)
{
    RfdnCompare *c = RFDN_COMPARE(w);
    if (e->button != 1 || !c->original)
        return FALSE;
    const int width = gtk_widget_get_allocated_width(w);
    c->moving_divider = c->split && fabs(e->x - c->divider * width) < 12;
    c->dragging = TRUE;
    c->drag_x = e->x;
    c->drag_y = e->y;
    c->drag_cx = c->cx;
    c->drag_cy = c->cy;
    return TRUE;
}

static gboolean on_motion(GtkWidget *w, GdkEventMotion *e)
{
    RfdnCompare *c = RFDN_COMPARE(w);
    if (!c->dragging)
        return FALSE;
    if (c->moving_divider) {
        const int width = gtk_widget_get_allocated_width(w);
        c->divider = fmax(0, fmin(1, e->x / width));
    } else {
        c->fit = FALSE;
        c->cx = c->drag_cx - (e->x - c->drag_x) / c->zoom;
        c->cy = c->drag_cy - (e->y - c->drag_y) / c->zoom;
        clamp_centre(c);
    }
    gtk_widget_queue_draw(w);
    return TRUE;
}

static gboolean on_release(GtkWidget *w, GdkEventButton *e)
{
    RFDN_COMPARE(w)->dragging = FALSE;
    return TRUE;
}

/* A new size: the fit zoom (and the least one) change with it. */
static void on_size_allocate(GtkWidget *w, GtkAllocation *a)
{
    GTK_WIDGET_CLASS(rfdn_compare_parent_class)->size_allocate(w, a);
    RfdnCompare *c = RFDN_COMPARE(w);
    if (!c->fit && c->original && c->zoom < min_zoom(c))
        c->fit = TRUE;
    zoom_changed(c);
}

static void finalize(GObject *o)
{
    RfdnCompare *c = RFDN_COMPARE(o);
    if (c->zoom_idle)
        g_source_remove(c->zoom_idle);
    g_clear_pointer(&c->original, cairo_surface_destroy);
    g_clear_pointer(&c->result, cairo_surface_destroy);
    g_clear_pointer(&c->second, cairo_surface_destroy);
    for (int i = 0; i < 3; i++)
        g_free(c->labels[i]);
    G_OBJECT_CLASS(rfdn_compare_parent_class)->finalize(o);
}

static void rfdn_compare_class_init(RfdnCompareClass *k)
{
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(k);
    wc->draw = on_draw;
    wc->scroll_event = on_scroll;
    wc->button_press_event = on_press;
    wc->motion_notify_event = on_motion;
    wc->button_release_event = on_release;
    wc->size_allocate = on_size_allocate;
    G_OBJECT_CLASS(k)->finalize = finalize;
    signals[SIG_ZOOM_CHANGED] = g_signal_new("zoom-changed", RFDN_TYPE_COMPARE,
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
    gtk_widget_class_set_accessible_role(wc, ATK_ROLE_IMAGE);
}

static void rfdn_compare_init(RfdnCompare *c)
{
    c->zoom = 1;
    c->fit = TRUE;
    c->divider = 0.5;
    gtk_widget_add_events(GTK_WIDGET(c), GDK_SCROLL_MASK | GDK_SMOOTH_SCROLL_MASK |
                                             GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK |
                                             GDK_POINTER_MOTION_MASK);
    gtk_widget_set_hexpand(GTK_WIDGET(c), TRUE);
    gtk_widget_set_vexpand(GTK_WIDGET(c), TRUE);
}

GtkWidget *rfdn_compare_new(void)
{
    return g_object_new(RFDN_TYPE_COMPARE, NULL);
}

void rfdn_compare_set_images(RfdnCompare *c, cairo_surface_t *original, int out_w, int out_h)
{
    g_clear_pointer(&c->original, cairo_surface_destroy);
    g_clear_pointer(&c->result, cairo_surface_destroy);
    g_clear_pointer(&c->second, cairo_surface_destroy);
    c->original = original ? cairo_surface_reference(original) : NULL;
    c->in_w = original ? cairo_image_surface_get_width(original) : 0;
    c->in_h = original ? cairo_image_surface_get_height(original) : 0;
    c->out_w = out_w;
    c->out_h = out_h;
    c->fit = TRUE;
    zoom_changed(c);
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_set_result(RfdnCompare *c, cairo_surface_t *result)
{
    g_clear_pointer(&c->result, cairo_surface_destroy);
    c->result = result ? cairo_surface_reference(result) : NULL;
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_set_second(RfdnCompare *c, cairo_surface_t *second)
{
    g_clear_pointer(&c->second, cairo_surface_destroy);
    c->second = second ? cairo_surface_reference(second) : NULL;
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_set_label(RfdnCompare *c, int pane, const char *label)
{
    g_return_if_fail(pane >= 0 && pane < 3);
    g_free(c->labels[pane]);
    c->labels[pane] = g_strdup(label);
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

const char *rfdn_compare_get_label(RfdnCompare *c, int pane)
{
    return pane >= 0 && pane < 3 ? c->labels[pane] : NULL;
}

void rfdn_compare_damage(RfdnCompare *c, int x, int y, int w, int h)
{
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_zoom_fit(RfdnCompare *c)
{
    c->fit = TRUE;
    zoom_changed(c);
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_zoom_to(RfdnCompare *c, double zoom)
{
    if (c->fit) {
        c->cx = c->out_w / 2.0;
        c->cy = c->out_h / 2.0;
    }
    c->fit = FALSE;
    c->zoom = fmax(min_zoom(c), fmin(MAX_ZOOM, zoom));
    c->fit = c->zoom == fit_zoom(c); /* (zoomed out to the least: fit, and it follows) */
    clamp_centre(c);
    zoom_changed(c);
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_zoom_by(RfdnCompare *c, double f)
{
    rfdn_compare_zoom_to(c, (c->fit ? fit_zoom(c) : c->zoom) * f);
}

double rfdn_compare_get_zoom(RfdnCompare *c)
{
    return c->fit ? fit_zoom(c) : c->zoom;
}

void rfdn_compare_set_split(RfdnCompare *c, gboolean split)
{
    c->split = split;
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_set_smooth(RfdnCompare *c, gboolean smooth)
{
    c->smooth = smooth;
    gtk_widget_queue_draw(GTK_WIDGET(c));
}

void rfdn_compare_visible(RfdnCompare *c, int *x, int *y, int *w, int *h)
{
    double pw, ph;
    pane_size(c, &pw, &ph);
    const double z = rfdn_compare_get_zoom(c);
    const double cx = c->fit ? c->out_w / 2.0 : c->cx, cy = c->fit ? c->out_h / 2.0 : c->cy;
    double x0 = fmax(0, cx - pw / 2 / z), y0 = fmax(0, cy - ph / 2 / z);
    double x1 = fmin(c->out_w, cx + pw / 2 / z), y1 = fmin(c->out_h, cy + ph / 2 / z);
    *x = (int)x0;
    *y = (int)y0;
    *w = (int)ceil(x1) - *x;
    *h = (int)ceil(y1) - *y;
}
