/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RFDN Upscaler, the desktop app: drop or open an image, see the result
 * next to the original as it is made, save it.  Several images or a folder
 * become a batch queue.
 *
 * Threads: the engine (and, for batches, the image files) run in one worker
 * thread; the main loop polls its progress 20 times a second, copies the
 * output tiles the engine reports as final into the displayed surface, and
 * notices the end.  Nothing but the main thread touches GTK.
 *
 * Everything a person does goes through GActions on the application, so
 * tests (and scripts) can drive the app over D-Bus with `gapplication
 * action org.rfdn.Upscaler ...`.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "batchplan.h"
#include "compare.h"
#include "content.h"
#include "imageio.h"
#include "modelpath.h"
#include "options.h"
#include "rfdn.h"

#define APP_ID "org.rfdn.Upscaler"
#define FIRST_PASS_PIXELS 100000 /* input pixels upscaled first (~0.5 s at x4, 2 threads) */

/* ------------------------------------------------------------------------ */
/* The window template */

#define RFDN_TYPE_WINDOW (rfdn_window_get_type())
G_DECLARE_FINAL_TYPE(RfdnWindow, rfdn_window, RFDN, WINDOW, GtkApplicationWindow)

struct _RfdnWindow {
    GtkApplicationWindow parent;
    GtkWidget *header, *model_combo, *scale_combo, *content_combo, *stack, *compare_box, *status_label;
    GtkWidget *progress, *cancel_button, *message_revealer, *message_label;
    GtkWidget *batch_folder, *batch_list, *upscale_button, *save_button;
    GtkWidget *compare;
};

G_DEFINE_TYPE(RfdnWindow, rfdn_window, GTK_TYPE_APPLICATION_WINDOW)

static void rfdn_window_class_init(RfdnWindowClass *k)
{
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(k);
    gtk_widget_class_set_template_from_resource(wc, "/org/rfdn/Upscaler/window.ui");
#define CHILD(n) gtk_widget_class_bind_template_child(wc, RfdnWindow, n)
    CHILD(header);
    CHILD(model_combo);
    CHILD(scale_combo);
    CHILD(content_combo);
    CHILD(stack);
    CHILD(compare_box);
    CHILD(status_label);
    CHILD(progress);
    CHILD(cancel_button);
    CHILD(message_revealer);
    CHILD(message_label);
    CHILD(batch_folder);
    CHILD(batch_list);
    CHILD(upscale_button);
    CHILD(save_button);
#undef CHILD
}

static void rfdn_window_init(RfdnWindow *w)
{
    gtk_widget_init_template(GTK_WIDGET(w));
    w->compare = rfdn_compare_new();
    gtk_container_add(GTK_CONTAINER(w->compare_box), w->compare);
    gtk_widget_show(w->compare);
}

/* ------------------------------------------------------------------------ */
/* State */

typedef enum { JOB_IMAGE, JOB_BATCH } job_kind;

typedef struct batch_item {
    char *input, *output;
    char *rel;        /* the input's path under the batch's folder (mirrored) */
    GtkWidget *row, *state_label, *bar, *cancel;
    gint cancel_flag; /* atomic */
    gint progress;    /* atomic, per mille */
    gint state;       /* atomic: 0 queued, 1 running, 2 done, 3 failed, 4 cancelled */
    char *message;    /* set by the worker before state becomes 3 */
} batch_item;

typedef struct {
    GtkApplication *gapp;
    RfdnWindow *win;
    GSettings *settings;
    GtkWidget *prefs;
    /* the image */
    char *path;            /* NULL for a pasted image */
    char *name;
    rfdn_io_image *src;
    cairo_surface_t *orig; /* for display */
    rfdn_io_image *dst;    /* the result, written by the engine */
    cairo_surface_t *res;  /* for display */
    gboolean result_done;
    char *model;           /* "e-rfdn" / "rfdn" */
    int scale;
    char *content_why;     /* which variant upscaled the image, and why */
    gboolean populating;   /* combos being filled: no reaction */
    /* the job */
    job_kind kind;
    GThread *thread;
    rfdn_context *ctx;
    rfdn_context *ctx_photo; /* a batch's photo model, when it may need one */
    rfdn_content batch_content; /* the Content setting when the batch started */
    rfdn_context *running;      /* atomic: the batch's context running, for a cancel */
    gint done;          /* atomic: worker finished */
    gint progress;      /* atomic: per million */
    gint cancel;        /* atomic */
    rfdn_status status; /* of the last run */
    char *error;
    double t0;
    GMutex lock;        /* guards `tiles` and `first` */
    GArray *tiles;      /* GdkRectangle: output rectangles final, to show */
    rfdn_io_image *first; /* the first pass' result, to show */
    GdkRectangle first_rect;
    int job_scale;         /* the scale the running image job was sized for */
    double first_shown_ms; /* since the start: when the first pass was drawn */
    guint timer;
    /* batch */
    GPtrArray *batch;   /* batch_item* */
    const char *state;  /* for tests: idle, running, done, cancelled, error */
    char *message;      /* the banner's text, for tests */
} App;

static App A;

static void set_state(const char *state)
{
    A.state = state;
    const char *f = g_getenv("RFDN_APP_STATE_FILE");
    if (f && *f) {
        char *s = g_strdup_printf(
            "state=%s\nimage=%s\nmodel=%s\nscale=%d\nzoom=%.4f\nupscale-label=%s\n"
            "page=%s\nfirst-pass-ms=%.0f\nmessage=%s\ncontent-why=%s\n",
            state, A.name ? A.name : "", A.model, A.scale,
            A.win ? rfdn_compare_get_zoom(RFDN_COMPARE(A.win->compare)) : 0.0,
            A.win ? gtk_button_get_label(GTK_BUTTON(A.win->upscale_button)) : "",
            A.win ? gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)) : "",
            A.first_shown_ms, A.message ? A.message : "", A.content_why ? A.content_why : "");
        char *tmp = g_strconcat(f, ".tmp", NULL);
        if (g_file_set_contents(tmp, s, -1, NULL))
            g_rename(tmp, f);
        g_free(tmp);
        g_free(s);
    }
}

static void show_message(const char *text)
{
    g_free(A.message);
    A.message = g_strdup(text);
    gtk_label_set_text(GTK_LABEL(A.win->message_label), text ? text : "");
    gtk_revealer_set_reveal_child(GTK_REVEALER(A.win->message_revealer), text && *text);
}

static void error_dialog(const char *primary, const char *secondary)
{
    GtkWidget *d = gtk_message_dialog_new(GTK_WINDOW(A.win), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                          GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
    if (secondary)
        gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s", secondary);
    g_signal_connect(d, "response", G_CALLBACK(gtk_widget_destroy), NULL);
    gtk_widget_show(d);
}

static gboolean busy(void)
{
    return A.thread != NULL;
}

static void update_actions(void);

/* ------------------------------------------------------------------------ */
/* Pixels for display */

static inline double sample01(const rfdn_io_image *im, size_t i)
{
    return im->bits == 16 ? ((const uint16_t *)im->pixels)[i] / 65535.0
                          : ((const uint8_t *)im->pixels)[i] / 255.0;
}

/* Copies rect (x, y, w, h) of `im` into the ARGB32 surface at (dx, dy). */
static void to_surface(const rfdn_io_image *im, int x, int y, int w, int h, cairo_surface_t *s,
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

/* ------------------------------------------------------------------------ */
/* Models */

static gboolean model_exists(const char *name, int scale)
{
    return rfdn_model_available(name, scale);
}

static void fill_scales(void)
{
    A.populating = TRUE;
    GtkComboBoxText *c = GTK_COMBO_BOX_TEXT(A.win->scale_combo);
    gtk_combo_box_text_remove_all(c);
    int first = 0, keep = 0;
    for (int s = 2; s <= 4; s++)
        if (model_exists(A.model, s)) {
            char id[4], label[8];
            g_snprintf(id, sizeof id, "%d", s);
            g_snprintf(label, sizeof label, "%d\303\227", s);
            gtk_combo_box_text_append(c, id, label);
            if (!first)
                first = s;
            if (s == A.scale)
                keep = s;
        }
    if (!keep)
        A.scale = first ? first : A.scale;
    char id[4];
    g_snprintf(id, sizeof id, "%d", A.scale);
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), id);
    A.populating = FALSE;
}

static gboolean any_model(void)
{
    const char *names[] = {"e-rfdn", "rfdn"};
    for (int n = 0; n < 2; n++)
        for (int s = 2; s <= 4; s++)
            if (model_exists(names[n], s))
                return TRUE;
    return FALSE;
}

static void fill_models(void)
{
    A.populating = TRUE;
    GtkComboBoxText *c = GTK_COMBO_BOX_TEXT(A.win->model_combo);
    gtk_combo_box_text_remove_all(c);
    const char *names[] = {"e-rfdn", "rfdn"}, *labels[] = {"E-RFDN", "RFDN"};
    gboolean have_current = FALSE;
    const char *first = NULL;
    for (int n = 0; n < 2; n++) {
        gboolean any = FALSE;
        for (int s = 2; s <= 4; s++)
            any |= model_exists(names[n], s);
        if (any) {
            gtk_combo_box_text_append(c, names[n], labels[n]);
            have_current |= !strcmp(A.model, names[n]);
            if (!first)
                first = names[n];
        }
    }
    if (!have_current && first) {
        g_free(A.model);
        A.model = g_strdup(first);
    }
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), A.model);
    A.populating = FALSE;
    fill_scales();
    if (!any_model())
        show_message(_("No model is installed. Install the project's models, or the authors' "
                       "E-RFDN x4 weights with the command rfdn-fetch-official."));
}

/* The variant the Content setting asks for an input: clean, photo, or for
 * automatic content.h's rule on the file's JPEG tables and the pixels;
 * *why (g_free) says which and why. */
static rfdn_content input_variant(const char *path, const rfdn_io_image *im, char **why)
{
    char *c = g_settings_get_string(A.settings, "content");
    const int set = rfdn_content_from_name(c);
    g_free(c);
    if (set == RFDN_CONTENT_CLEAN || set == RFDN_CONTENT_PHOTO) {
        *why = g_strdup_printf(set == RFDN_CONTENT_PHOTO ? _("photo model (chosen)")
                                                         : _("clean model (chosen)"));
        return (rfdn_content)set;
    }
    const rfdn_image px = rfdn_io_engine_image(im);
    return rfdn_content_guess(path ? rfdn_jpeg_file_quality(path) : 0, &px, why);
}

/* A context for the chosen model in `variant`; a photo model that is not
 * installed falls back to the clean one, *note (may be NULL) saying so. */
static rfdn_context *make_context(rfdn_content variant, char **note, GError **error)
{
    char *path = variant == RFDN_CONTENT_PHOTO ? rfdn_installed_variant(A.model, A.scale, TRUE)
                                               : NULL;
    if (note)
        *note = variant == RFDN_CONTENT_PHOTO && !path
                    ? g_strdup(_("no photo model is installed: the clean model is used"))
                    : NULL;
    if (!path)
        path = rfdn_find_model(A.model, A.scale, NULL, error);
    if (!path)
        return NULL;
    char err[512];
    rfdn_model *m = NULL;
    if (rfdn_model_load(path, &m, err, sizeof err) != RFDN_OK) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot load the model: %s"),
                    err);
        g_free(path);
        return NULL;
    }
    g_free(path);
    rfdn_settings s;
    rfdn_settings_default(&s);
    s.threads = g_settings_get_int(A.settings, "threads");
    s.tile_size = g_settings_get_int(A.settings, "tile-size");
    s.memory_budget = (size_t)g_settings_get_int(A.settings, "memory-mib") << 20;
    char *alpha = g_settings_get_string(A.settings, "alpha");
    s.alpha = !strcmp(alpha, "bicubic") ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
    g_free(alpha);
    rfdn_context *ctx = NULL;
    rfdn_status st = rfdn_context_create(m, &s, &ctx);
    rfdn_model_unref(m);
    if (st != RFDN_OK) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s", rfdn_status_string(st));
        return NULL;
    }
    return ctx;
}

/* ------------------------------------------------------------------------ */
/* The worker */

/* `user`: the batch item running, or NULL for the image job */
static int on_progress(void *user, uint64_t done, uint64_t total)
{
    const batch_item *it = user;
    g_atomic_int_set(&A.progress, (gint)(total ? 1e6 * done / total : 1e6));
    return g_atomic_int_get(&A.cancel) || (it && g_atomic_int_get(&it->cancel_flag));
}

static void on_tile(void *user, int x, int y, int w, int h)
{
    GdkRectangle r = {x, y, w, h};
    g_mutex_lock(&A.lock);
    g_array_append_val(A.tiles, r);
    g_mutex_unlock(&A.lock);
}

/* The image job: the visible region first (small, fast), then the whole. */
static gpointer image_worker(gpointer data)
{
    const GdkRectangle *vis = data; /* input pixels */
    rfdn_status st = RFDN_OK;
    if (vis->width > 0 && vis->height > 0 &&
        (vis->width < A.src->width || vis->height < A.src->height)) {
        GError *err = NULL;
        rfdn_io_image *crop = rfdn_io_new(vis->width, vis->height, A.src->channels, A.src->bits, &err);
        rfdn_io_image *out = crop ? rfdn_io_new(vis->width * A.job_scale, vis->height * A.job_scale,
                                                A.src->channels, A.src->bits, &err)
                                  : NULL;
        if (out) {
            const size_t bpp = (size_t)A.src->channels * (A.src->bits / 8);
            for (int y = 0; y < vis->height; y++)
                memcpy((uint8_t *)crop->pixels + y * crop->stride,
                       (const uint8_t *)A.src->pixels + (size_t)(vis->y + y) * A.src->stride +
                           vis->x * bpp,
                       vis->width * bpp);
            rfdn_image i = rfdn_io_engine_image(crop), o = rfdn_io_engine_image(out);
            st = rfdn_upscale(A.ctx, &i, &o);
            if (st == RFDN_OK) {
                g_mutex_lock(&A.lock);
                A.first = out;
                A.first_rect = *vis;
                g_mutex_unlock(&A.lock);
                out = NULL;
            }
        }
        g_clear_error(&err);
        rfdn_io_image_free(crop);
        rfdn_io_image_free(out);
    }
    if (st != RFDN_CANCELLED) {
        rfdn_context_set_progress(A.ctx, on_progress, NULL);
        rfdn_context_set_tile_callback(A.ctx, on_tile, NULL);
        rfdn_image i = rfdn_io_engine_image(A.src), o = rfdn_io_engine_image(A.dst);
        st = rfdn_upscale(A.ctx, &i, &o);
        if (st != RFDN_OK && st != RFDN_CANCELLED)
            A.error = g_strdup(rfdn_context_error(A.ctx));
    }
    A.status = st;
    g_atomic_int_set(&A.done, 1);
    return NULL;
}


static gpointer batch_worker(gpointer data)
{
    for (guint i = 0; i < A.batch->len && !g_atomic_int_get(&A.cancel); i++) {
        batch_item *it = A.batch->pdata[i];
        if (g_atomic_int_get(&it->state) != 0 || g_atomic_int_get(&it->cancel_flag)) {
            if (g_atomic_int_get(&it->state) == 0)
                g_atomic_int_set(&it->state, 4);
            continue;
        }
        g_atomic_int_set(&it->state, 1);
        GError *err = NULL;
        rfdn_io_image *in = rfdn_io_load(it->input, 0, &err), *out = NULL;
        /* this item's variant (content.h's rule when automatic) */
        rfdn_context *ctx = A.ctx;
        if (in && A.ctx_photo) {
            char *why = NULL;
            const rfdn_image px = rfdn_io_engine_image(in);
            const rfdn_content v = A.batch_content != RFDN_CONTENT_AUTO
                                       ? A.batch_content
                                       : rfdn_content_guess(rfdn_jpeg_file_quality(it->input),
                                                            &px, &why);
            g_free(why);
            if (v == RFDN_CONTENT_PHOTO)
                ctx = A.ctx_photo;
        }
        g_atomic_pointer_set(&A.running, ctx);
        int ow = 0, oh = 0;
        if (in && rfdn_output_size(rfdn_context_get_model(ctx), in->width, in->height, &ow,
                                   &oh) != RFDN_OK)
            g_set_error(&err, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("The image is too large"));
        if (in && !err)
            out = rfdn_io_new_like(in, ow, oh, &err);
        rfdn_status st = RFDN_ERROR_IO;
        if (out) {
            rfdn_context_set_progress(ctx, on_progress, it);
            g_atomic_int_set(&A.progress, 0);
            rfdn_image ii = rfdn_io_engine_image(in), oo = rfdn_io_engine_image(out);
            /* a row's Cancel while its file loaded: its flag, seen here and
             * by on_progress */
            st = g_atomic_int_get(&it->cancel_flag) ? RFDN_CANCELLED
                                                      : rfdn_upscale(ctx, &ii, &oo);
            if (st == RFDN_OK) {
                char *dir = g_path_get_dirname(it->output);
                g_mkdir_with_parents(dir, 0777);
                g_free(dir);
                rfdn_io_save_options so = {0};
                if (!rfdn_io_save(out, it->output, &so, &err))
                    st = RFDN_ERROR_IO;
            } else if (st != RFDN_CANCELLED) {
                g_set_error(&err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s",
                            rfdn_context_error(ctx));
            }
        }
        g_atomic_pointer_set(&A.running, NULL);
        if (err)
            it->message = g_strdup(err->message);
        g_clear_error(&err);
        rfdn_io_image_free(in);
        rfdn_io_image_free(out);
        g_atomic_int_set(&it->state, st == RFDN_OK ? 2 : st == RFDN_CANCELLED ? 4 : 3);
        g_atomic_int_set(&it->cancel_flag, 0);
    }
    for (guint i = 0; i < A.batch->len; i++) {
        batch_item *it = A.batch->pdata[i];
        if (g_atomic_int_get(&it->state) == 0)
            g_atomic_int_set(&it->state, 4);
    }
    A.status = g_atomic_int_get(&A.cancel) ? RFDN_CANCELLED : RFDN_OK;
    g_atomic_int_set(&A.done, 1);
    return NULL;
}

static void show_tiles(void)
{
    g_mutex_lock(&A.lock);
    rfdn_io_image *first = A.first;
    GdkRectangle fr = A.first_rect;
    A.first = NULL;
    GArray *tiles = A.tiles;
    A.tiles = g_array_new(FALSE, FALSE, sizeof(GdkRectangle));
    g_mutex_unlock(&A.lock);
    if (first && A.res) {
        to_surface(first, 0, 0, first->width, first->height, A.res, fr.x * A.job_scale,
                   fr.y * A.job_scale);
        A.first_shown_ms = (g_get_monotonic_time() / 1e6 - A.t0) * 1000;
        set_state(A.state ? A.state : "running");
        rfdn_io_image_free(first);
    }
    for (guint i = 0; i < tiles->len && A.res; i++) {
        const GdkRectangle *r = &g_array_index(tiles, GdkRectangle, i);
        to_surface(A.dst, r->x, r->y, r->width, r->height, A.res, r->x, r->y);
    }
    if (first || tiles->len)
        rfdn_compare_damage(RFDN_COMPARE(A.win->compare), 0, 0, 0, 0);
    g_array_free(tiles, TRUE);
}

static void update_batch_rows(void)
{
    static const char *names[] = {N_("Queued"), N_("Upscaling…"), N_("Done"), N_("Failed"),
                                  N_("Cancelled")};
    for (guint i = 0; A.batch && i < A.batch->len; i++) {
        batch_item *it = A.batch->pdata[i];
        const int st = g_atomic_int_get(&it->state);
        if (st == 3 && it->message) {
            char *t = g_strdup_printf("%s: %s", _(names[3]), it->message);
            gtk_label_set_text(GTK_LABEL(it->state_label), t);
            g_free(t);
        } else {
            gtk_label_set_text(GTK_LABEL(it->state_label), _(names[st]));
        }
        const double f = st == 2 ? 1 : st == 1 ? g_atomic_int_get(&A.progress) / 1e6 : 0;
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(it->bar), f);
        gtk_widget_set_sensitive(it->cancel, st <= 1);
    }
}

static void job_finished(void)
{
    g_thread_join(A.thread);
    A.thread = NULL;
    show_tiles();
    rfdn_context_free(A.ctx);
    A.ctx = NULL;
    g_clear_pointer(&A.ctx_photo, rfdn_context_free);
    const double secs = g_get_monotonic_time() / 1e6 - A.t0;
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(A.win->progress), A.status == RFDN_OK ? 1 : 0);
    if (A.kind == JOB_BATCH) {
        update_batch_rows();
        int ok = 0, failed = 0;
        for (guint i = 0; i < A.batch->len; i++) {
            const int st = ((batch_item *)A.batch->pdata[i])->state;
            ok += st == 2;
            failed += st == 3;
        }
        char *t = g_strdup_printf(_("%d of %u images upscaled, %d failed (%.1f s)"), ok,
                                  A.batch->len, failed, secs);
        gtk_label_set_text(GTK_LABEL(A.win->status_label), t);
        g_free(t);
        set_state(A.status == RFDN_CANCELLED ? "cancelled" : failed ? "error" : "done");
    } else if (A.status == RFDN_OK) {
        A.result_done = TRUE;
        char *t = g_strdup_printf(_("%s: %d \303\227 %d \342\206\222 %d \303\227 %d pixels in %.1f s (%s)"),
                                  A.name, A.src->width, A.src->height, A.dst->width,
                                  A.dst->height, secs, A.content_why ? A.content_why : "");
        gtk_label_set_text(GTK_LABEL(A.win->status_label), t);
        g_free(t);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(A.win->progress), _("Done"));
        set_state("done");
    } else if (A.status == RFDN_CANCELLED) {
        gtk_label_set_text(GTK_LABEL(A.win->status_label), _("Cancelled"));
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(A.win->progress), "");
        set_state("cancelled");
    } else {
        show_message(A.error ? A.error : _("The upscale failed"));
        set_state("error");
    }
    g_clear_pointer(&A.error, g_free);
    update_actions();
}

static gboolean on_timer(gpointer data)
{
    const double f = g_atomic_int_get(&A.progress) / 1e6;
    const double el = g_get_monotonic_time() / 1e6 - A.t0;
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(A.win->progress), f);
    char *t;
    if (f > 0.02 && f < 1) {
        const int left = (int)(el * (1 - f) / f);
        t = g_strdup_printf(_("%d %% \342\200\224 %d:%02d left"), (int)(f * 100), left / 60,
                            left % 60);
    } else {
        t = g_strdup_printf("%d %%", (int)(f * 100));
    }
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(A.win->progress), t);
    g_free(t);
    if (A.kind == JOB_IMAGE)
        show_tiles();
    else
        update_batch_rows();
    if (g_atomic_int_get(&A.done)) {
        A.timer = 0;
        job_finished();
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static void start_thread(GThreadFunc fn, gpointer data)
{
    g_atomic_int_set(&A.done, 0);
    g_atomic_int_set(&A.cancel, 0);
    g_atomic_int_set(&A.progress, 0);
    A.t0 = g_get_monotonic_time() / 1e6;
    A.first_shown_ms = 0;
    A.thread = g_thread_new("rfdn-upscale", fn, data);
    A.timer = g_timeout_add(50, on_timer, NULL);
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(A.win->progress), 0);
    set_state("running");
    update_actions();
}

/* Waits for the worker after asking it to stop (prompt: the engine checks
 * between layers). */
static void stop_job(void)
{
    if (!A.thread)
        return;
    g_atomic_int_set(&A.cancel, 1);
    rfdn_cancel(A.ctx); /* (NULL does nothing; an idle context forgets it) */
    rfdn_cancel(A.ctx_photo);
    while (!g_atomic_int_get(&A.done))
        g_usleep(5000);
    if (A.timer) {
        g_source_remove(A.timer);
        A.timer = 0;
    }
    job_finished();
}

/* ------------------------------------------------------------------------ */
/* The image */

static void start_upscale(void)
{
    if (!A.src || busy())
        return;
    show_message(NULL);
    GError *err = NULL;
    char *why = NULL, *note = NULL;
    const rfdn_content variant = input_variant(A.path, A.src, &why);
    A.ctx = make_context(variant, &note, &err);
    g_free(A.content_why);
    A.content_why = g_strdup_printf("%s%s%s", why, note ? "; " : "", note ? note : "");
    g_free(why);
    g_free(note);
    if (!A.ctx) {
        show_message(err->message);
        g_error_free(err);
        set_state("error");
        return;
    }
    int ow, oh;
    if (rfdn_output_size(rfdn_context_get_model(A.ctx), A.src->width, A.src->height, &ow, &oh)) {
        show_message(_("The image is too large for this scale"));
        rfdn_context_free(A.ctx);
        A.ctx = NULL;
        return;
    }
    rfdn_io_image_free(A.dst);
    g_clear_pointer(&A.res, cairo_surface_destroy);
    A.dst = rfdn_io_new_like(A.src, ow, oh, &err);
    if (A.dst)
        A.res = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, ow, oh);
    if (!A.dst || cairo_surface_status(A.res) != CAIRO_STATUS_SUCCESS) {
        show_message(err ? err->message : _("Not enough memory for the result"));
        g_clear_error(&err);
        g_clear_pointer(&A.res, cairo_surface_destroy);
        rfdn_context_free(A.ctx);
        A.ctx = NULL;
        return;
    }
    /* until the network's pixels arrive, the original smoothly enlarged */
    cairo_t *cr = cairo_create(A.res);
    cairo_scale(cr, (double)ow / A.src->width, (double)oh / A.src->height);
    cairo_set_source_surface(cr, A.orig, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    RfdnCompare *cmp = RFDN_COMPARE(A.win->compare);
    rfdn_compare_set_images(cmp, A.orig, ow, oh);
    rfdn_compare_set_result(cmp, A.res); /* the view takes its own reference */
    A.result_done = FALSE;
    /* the visible region (input pixels), at most FIRST_PASS_PIXELS around
     * its centre */
    static GdkRectangle vis;
    int vx, vy, vw, vh;
    rfdn_compare_visible(cmp, &vx, &vy, &vw, &vh);
    vis.x = vx / A.scale;
    vis.y = vy / A.scale;
    vis.width = (vw + A.scale - 1) / A.scale;
    vis.height = (vh + A.scale - 1) / A.scale;
    while ((double)vis.width * vis.height > FIRST_PASS_PIXELS) {
        vis.x += vis.width / 8;
        vis.y += vis.height / 8;
        vis.width -= vis.width / 4;
        vis.height -= vis.height / 4;
    }
    vis.width = MIN(vis.width, A.src->width - vis.x);
    vis.height = MIN(vis.height, A.src->height - vis.y);
    A.kind = JOB_IMAGE;
    A.job_scale = A.scale;
    gtk_label_set_text(GTK_LABEL(A.win->status_label), A.name);
    start_thread(image_worker, &vis);
}

static void set_image(rfdn_io_image *im, const char *path, const char *name)
{
    stop_job();
    rfdn_io_image_free(A.src);
    rfdn_io_image_free(A.dst);
    A.dst = NULL;
    g_clear_pointer(&A.orig, cairo_surface_destroy);
    g_clear_pointer(&A.res, cairo_surface_destroy);
    A.src = im;
    g_free(A.path);
    g_free(A.name);
    A.path = g_strdup(path);
    A.name = g_strdup(name);
    A.orig = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, im->width, im->height);
    to_surface(im, 0, 0, im->width, im->height, A.orig, 0, 0);
    gtk_header_bar_set_subtitle(GTK_HEADER_BAR(A.win->header), name);
    gtk_stack_set_visible_child_name(GTK_STACK(A.win->stack), "compare");
    RfdnCompare *cmp = RFDN_COMPARE(A.win->compare);
    rfdn_compare_set_images(cmp, A.orig, im->width * A.scale, im->height * A.scale);
    /* let the view get its size, so the visible region is known */
    while (gtk_events_pending())
        gtk_main_iteration_do(FALSE);
    start_upscale();
}

static gboolean open_path(const char *path)
{
    GError *err = NULL;
    rfdn_io_image *im = rfdn_io_load(path, (uint64_t)1 << 28, &err);
    if (!im) {
        char *base = g_path_get_basename(path);
        char *t = g_strdup_printf(_("Cannot open %s"), base);
        error_dialog(t, err->message);
        show_message(NULL);
        g_free(t);
        g_free(base);
        g_error_free(err);
        set_state("error");
        return FALSE;
    }
    char *base = g_path_get_basename(path);
    set_image(im, path, base);
    g_free(base);
    return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Batches */

static char *expand_suffix(void)
{
    char *suffix = g_settings_get_string(A.settings, "suffix");
    GString *s = g_string_new(NULL);
    for (const char *p = suffix; *p; p++) {
        if (g_str_has_prefix(p, "{scale}")) {
            g_string_append_printf(s, "%d", A.scale);
            p += 6;
        } else if (g_str_has_prefix(p, "{model}")) {
            g_string_append(s, A.model);
            p += 6;
        } else if (*p != '/') {
            g_string_append_c(s, *p);
        }
    }
    g_free(suffix);
    return g_string_free(s, FALSE);
}

static char *output_folder(void)
{
    char *f = g_settings_get_string(A.settings, "output-folder");
    if (!*f) {
        g_free(f);
        const char *pics = g_get_user_special_dir(G_USER_DIRECTORY_PICTURES);
        f = g_build_filename(pics ? pics : g_get_home_dir(), _("Upscaled"), NULL);
    }
    return f;
}

static void batch_item_free(gpointer p)
{
    batch_item *it = p;
    g_free(it->input);
    g_free(it->output);
    g_free(it->rel);
    g_free(it->message);
    g_free(it);
}

static void on_item_cancel(GtkButton *b, batch_item *it)
{
    g_atomic_int_set(&it->cancel_flag, 1);
    if (g_atomic_int_get(&it->state) == 1) {
        rfdn_context *running = g_atomic_pointer_get(&A.running);
        rfdn_cancel(running ? running : A.ctx);
    }
}

static void open_batch(char **paths, int n)
{
    stop_job();
    /* common/batchplan.c: folders' images in name order, subfolders
     * mirrored under the output folder, as the CLI's -r does */
    GPtrArray *files = rfdn_plan_new();
    for (int i = 0; i < n; i++)
        rfdn_plan_add(files, paths[i], TRUE);
    if (A.batch)
        g_ptr_array_free(A.batch, TRUE);
    A.batch = g_ptr_array_new_with_free_func(batch_item_free);
    GList *rows = gtk_container_get_children(GTK_CONTAINER(A.win->batch_list));
    for (GList *l = rows; l; l = l->next)
        gtk_widget_destroy(l->data);
    g_list_free(rows);
    char *dir = output_folder();
    g_mkdir_with_parents(dir, 0777);
    gtk_file_chooser_set_filename(GTK_FILE_CHOOSER(A.win->batch_folder), dir);
    for (guint i = 0; i < files->len; i++) {
        const rfdn_plan_item *pi = files->pdata[i];
        batch_item *it = g_new0(batch_item, 1);
        it->input = g_strdup(pi->input);
        it->rel = g_strdup(pi->rel);
        GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
        g_object_set(box, "margin", 6, NULL);
        GtkWidget *name = gtk_label_new(it->rel);
        gtk_label_set_xalign(GTK_LABEL(name), 0);
        gtk_label_set_ellipsize(GTK_LABEL(name), PANGO_ELLIPSIZE_MIDDLE);
        gtk_widget_set_hexpand(name, TRUE);
        it->state_label = gtk_label_new(_("Queued"));
        gtk_label_set_ellipsize(GTK_LABEL(it->state_label), PANGO_ELLIPSIZE_END);
        gtk_label_set_max_width_chars(GTK_LABEL(it->state_label), 40);
        it->bar = gtk_progress_bar_new();
        gtk_widget_set_valign(it->bar, GTK_ALIGN_CENTER);
        gtk_widget_set_size_request(it->bar, 160, -1);
        it->cancel = gtk_button_new_from_icon_name("process-stop-symbolic", GTK_ICON_SIZE_BUTTON);
        gtk_widget_set_tooltip_text(it->cancel, _("Cancel this image"));
        g_signal_connect(it->cancel, "clicked", G_CALLBACK(on_item_cancel), it);
        gtk_box_pack_start(GTK_BOX(box), name, TRUE, TRUE, 0);
        gtk_box_pack_start(GTK_BOX(box), it->state_label, FALSE, FALSE, 0);
        gtk_box_pack_start(GTK_BOX(box), it->bar, FALSE, FALSE, 0);
        gtk_box_pack_start(GTK_BOX(box), it->cancel, FALSE, FALSE, 0);
        gtk_widget_show_all(box);
        gtk_list_box_insert(GTK_LIST_BOX(A.win->batch_list), box, -1);
        it->row = box;
        g_ptr_array_add(A.batch, it);
    }
    g_free(dir);
    char *t = g_strdup_printf(ngettext("%u image to upscale", "%u images to upscale", files->len),
                              files->len);
    gtk_label_set_text(GTK_LABEL(A.win->status_label), t);
    g_free(t);
    g_ptr_array_free(files, TRUE);
    gtk_stack_set_visible_child_name(GTK_STACK(A.win->stack), "batch");
    gtk_header_bar_set_subtitle(GTK_HEADER_BAR(A.win->header), _("Batch"));
    set_state("idle");
    update_actions();
}

/* What a drop, a command line or the Open dialog hands over: one image
 * opens it, several images or a folder make a batch. */
static void open_paths(char **paths, int n)
{
    if (n == 1 && !g_file_test(paths[0], G_FILE_TEST_IS_DIR))
        open_path(paths[0]);
    else if (n > 0)
        open_batch(paths, n);
}

static void start_batch(void)
{
    if (!A.batch || !A.batch->len || busy())
        return;
    GError *err = NULL;
    A.ctx = make_context(RFDN_CONTENT_CLEAN, NULL, &err);
    if (!A.ctx) {
        show_message(err->message);
        g_error_free(err);
        return;
    }
    /* the photo model too, unless Content is Clean (each item then picks
     * its variant in the worker); none installed: the clean one for all */
    char *content = g_settings_get_string(A.settings, "content");
    A.batch_content = (rfdn_content)MAX(0, rfdn_content_from_name(content));
    if (A.batch_content != RFDN_CONTENT_CLEAN) {
        char *photo = rfdn_installed_variant(A.model, A.scale, TRUE);
        if (photo)
            A.ctx_photo = make_context(RFDN_CONTENT_PHOTO, NULL, NULL);
        g_free(photo);
    }
    g_free(content);
    char *dir = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(A.win->batch_folder));
    if (!dir)
        dir = output_folder();
    /* the outputs planned as the CLI plans them: an output that exists, is
     * an input or is another input's fails its row before any work */
    GPtrArray *plan = rfdn_plan_new();
    for (guint i = 0; i < A.batch->len; i++) {
        const batch_item *it = A.batch->pdata[i];
        rfdn_plan_item *pi = g_new0(rfdn_plan_item, 1);
        pi->input = g_strdup(it->input);
        pi->rel = g_strdup(it->rel);
        g_ptr_array_add(plan, pi);
    }
    char *suffix = expand_suffix();
    const rfdn_plan_options po = {.outdir = dir, .suffix = suffix};
    rfdn_plan_outputs(plan, &po);
    for (guint i = 0; i < A.batch->len; i++) {
        batch_item *it = A.batch->pdata[i];
        const rfdn_plan_item *pi = plan->pdata[i];
        g_free(it->output);
        it->output = g_strdup(pi->output);
        g_clear_pointer(&it->message, g_free);
        it->message = g_strdup(pi->problem);
        it->state = pi->problem ? 3 : 0;
        it->cancel_flag = 0;
    }
    g_ptr_array_free(plan, TRUE);
    g_free(suffix);
    g_free(dir);
    A.kind = JOB_BATCH;
    start_thread(batch_worker, NULL);
}

/* ------------------------------------------------------------------------ */
/* Saving */

static gboolean save_to(const char *path)
{
    if (!A.dst || !A.result_done)
        return FALSE;
    rfdn_io_save_options so = {.overwrite = TRUE};
    GError *err = NULL;
    if (A.path && !strcmp(A.path, path)) {
        error_dialog(_("The original cannot be overwritten"), _("Choose another name."));
        return FALSE;
    }
    if (!rfdn_io_save(A.dst, path, &so, &err)) {
        char *base = g_path_get_basename(path);
        char *t = g_strdup_printf(_("Cannot save %s"), base);
        error_dialog(t, err->message);
        g_free(t);
        g_free(base);
        g_error_free(err);
        return FALSE;
    }
    char *t = g_strdup_printf(_("Saved %s"), path);
    gtk_label_set_text(GTK_LABEL(A.win->status_label), t);
    g_free(t);
    set_state("saved");
    return TRUE;
}

static void on_save_response(GtkNativeDialog *d, gint response, gpointer data)
{
    if (response == GTK_RESPONSE_ACCEPT) {
        char *f = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(d));
        if (f && !rfdn_io_format_from_path(f)) {
            char *g = g_strconcat(f, ".png", NULL);
            g_free(f);
            f = g;
        }
        save_to(f);
        g_free(f);
    }
    g_object_unref(d);
}

/* ------------------------------------------------------------------------ */
/* Actions */

static void update_actions(void)
{
    struct {
        const char *name;
        gboolean on;
    } s[] = {
        {"upscale", A.src && !busy() && any_model()},
        {"save-as", A.result_done && !busy()},
        {"save-to", A.result_done && !busy()},
        {"copy", A.result_done && !busy()},
        {"cancel", busy()},
        {"batch-start", A.batch && A.batch->len && !busy()},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(s); i++) {
        GAction *a = g_action_map_lookup_action(G_ACTION_MAP(A.gapp), s[i].name);
        g_simple_action_set_enabled(G_SIMPLE_ACTION(a), s[i].on);
    }
}

static void act_open(GSimpleAction *a, GVariant *p, gpointer d)
{
    GtkFileChooserNative *fc = gtk_file_chooser_native_new(
        _("Open Images"), GTK_WINDOW(A.win), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
    gtk_file_chooser_set_select_multiple(GTK_FILE_CHOOSER(fc), TRUE);
    GtkFileFilter *f = gtk_file_filter_new();
    gtk_file_filter_set_name(f, _("Images (PNG, JPEG, WebP, TIFF)"));
    const char *pats[] = {"*.png", "*.PNG", "*.jpg", "*.JPG", "*.jpeg", "*.JPEG", "*.webp",
                          "*.WEBP", "*.tif", "*.TIF", "*.tiff", "*.TIFF"};
    for (size_t i = 0; i < G_N_ELEMENTS(pats); i++)
        gtk_file_filter_add_pattern(f, pats[i]);
    gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(fc), f);
    if (gtk_native_dialog_run(GTK_NATIVE_DIALOG(fc)) == GTK_RESPONSE_ACCEPT) {
        GSList *files = gtk_file_chooser_get_filenames(GTK_FILE_CHOOSER(fc));
        const guint n = g_slist_length(files);
        char **v = g_new0(char *, n + 1);
        int i = 0;
        for (GSList *l = files; l; l = l->next)
            v[i++] = l->data;
        open_paths(v, (int)n);
        g_free(v);
        g_slist_free_full(files, g_free);
    }
    g_object_unref(fc);
}

static void act_open_file(GSimpleAction *a, GVariant *p, gpointer d)
{
    char *v[] = {(char *)g_variant_get_string(p, NULL)};
    open_paths(v, 1);
}

static void act_open_batch(GSimpleAction *a, GVariant *p, gpointer d)
{
    gsize n;
    const char **v = g_variant_get_strv(p, &n);
    open_batch((char **)v, (int)n);
    g_free(v);
}

static void act_upscale(GSimpleAction *a, GVariant *p, gpointer d)
{
    if (A.batch && gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)) &&
        !strcmp(gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)), "batch"))
        start_batch();
    else
        start_upscale();
}

static void act_batch_start(GSimpleAction *a, GVariant *p, gpointer d)
{
    start_batch();
}

static void act_cancel(GSimpleAction *a, GVariant *p, gpointer d)
{
    if (!busy())
        return;
    g_atomic_int_set(&A.cancel, 1);
    rfdn_cancel(A.ctx); /* (NULL does nothing; an idle context forgets it) */
    rfdn_cancel(A.ctx_photo);
    gtk_label_set_text(GTK_LABEL(A.win->status_label), _("Cancelling…"));
}

static void act_save_as(GSimpleAction *a, GVariant *p, gpointer d)
{
    if (!A.result_done)
        return;
    GtkFileChooserNative *fc = gtk_file_chooser_native_new(
        _("Save the Result"), GTK_WINDOW(A.win), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
    gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(fc), TRUE);
    char *dir = A.path ? g_path_get_dirname(A.path) : output_folder();
    char *suffix = expand_suffix();
    char *in = g_path_get_basename(A.path ? A.path : "pasted.png");
    char *name = rfdn_plan_output_name(dir, in, 0, suffix);
    char *base = g_path_get_basename(name);
    g_free(in);
    g_free(suffix);
    gtk_file_chooser_set_current_folder(GTK_FILE_CHOOSER(fc), dir);
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(fc), base);
    g_free(base);
    g_free(name);
    g_free(dir);
    g_signal_connect(fc, "response", G_CALLBACK(on_save_response), NULL);
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(fc));
}

static void act_save_to(GSimpleAction *a, GVariant *p, gpointer d)
{
    save_to(g_variant_get_string(p, NULL));
}

static void on_clipboard_image(GtkClipboard *cb, GdkPixbuf *pb, gpointer d)
{
    if (!pb) {
        show_message(_("The clipboard holds no image"));
        return;
    }
    const int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
    const int c = gdk_pixbuf_get_n_channels(pb);
    GError *err = NULL;
    rfdn_io_image *im = rfdn_io_new(w, h, c, 8, &err);
    if (!im) {
        show_message(err->message);
        g_error_free(err);
        return;
    }
    for (int y = 0; y < h; y++)
        memcpy((uint8_t *)im->pixels + y * im->stride,
               gdk_pixbuf_read_pixels(pb) + (size_t)y * gdk_pixbuf_get_rowstride(pb),
               (size_t)w * c);
    set_image(im, NULL, _("Pasted image"));
}

static void act_paste(GSimpleAction *a, GVariant *p, gpointer d)
{
    gtk_clipboard_request_image(gtk_widget_get_clipboard(GTK_WIDGET(A.win), GDK_SELECTION_CLIPBOARD),
                                on_clipboard_image, NULL);
}

/* The result to the clipboard (8-bit RGBA, as other programs take it). */
static void act_copy(GSimpleAction *a, GVariant *p, gpointer d)
{
    if (!A.result_done || !A.dst)
        return;
    const rfdn_io_image *im = A.dst;
    GdkPixbuf *pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, TRUE, 8, im->width, im->height);
    if (!pb) {
        show_message(_("Not enough memory for the result"));
        return;
    }
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
    gtk_clipboard_set_image(gtk_widget_get_clipboard(GTK_WIDGET(A.win), GDK_SELECTION_CLIPBOARD),
                            pb);
    g_object_unref(pb);
    gtk_label_set_text(GTK_LABEL(A.win->status_label), _("Result copied"));
    set_state("copied");
}

static void act_set_model(GSimpleAction *a, GVariant *p, gpointer d)
{
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(A.win->model_combo), g_variant_get_string(p, NULL));
}

static void act_set_scale(GSimpleAction *a, GVariant *p, gpointer d)
{
    char id[8];
    g_snprintf(id, sizeof id, "%d", g_variant_get_int32(p));
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(A.win->scale_combo), id);
}

static void act_zoom(GSimpleAction *a, GVariant *p, gpointer d)
{
    RfdnCompare *c = RFDN_COMPARE(A.win->compare);
    const char *n = g_action_get_name(G_ACTION(a));
    if (!strcmp(n, "zoom-in"))
        rfdn_compare_zoom_by(c, 1.25);
    else if (!strcmp(n, "zoom-out"))
        rfdn_compare_zoom_by(c, 0.8);
    else if (!strcmp(n, "zoom-fit"))
        rfdn_compare_zoom_fit(c);
    else
        rfdn_compare_zoom_to(c, 1.0);
    set_state(A.state ? A.state : "idle");
}

static void on_toggle_changed(GSimpleAction *a, GVariant *v, gpointer d)
{
    g_simple_action_set_state(a, v);
    const gboolean on = g_variant_get_boolean(v);
    if (!strcmp(g_action_get_name(G_ACTION(a)), "split")) {
        rfdn_compare_set_split(RFDN_COMPARE(A.win->compare), on);
        g_settings_set_boolean(A.settings, "split-view", on);
    } else {
        rfdn_compare_set_smooth(RFDN_COMPARE(A.win->compare), on);
        g_settings_set_boolean(A.settings, "smooth-original", on);
    }
}

/* Test hook and a feature for bug reports: the window (or the preferences,
 * when open) as a PNG file. */
static void act_screenshot(GSimpleAction *a, GVariant *p, gpointer d)
{
    GtkWidget *w = A.prefs && gtk_widget_get_visible(A.prefs) ? A.prefs : GTK_WIDGET(A.win);
    while (gtk_events_pending())
        gtk_main_iteration_do(FALSE);
    GdkWindow *gw = gtk_widget_get_window(w);
    GdkPixbuf *pb = gw ? gdk_pixbuf_get_from_window(gw, 0, 0, gdk_window_get_width(gw),
                                                    gdk_window_get_height(gw))
                       : NULL;
    if (pb) {
        gdk_pixbuf_save(pb, g_variant_get_string(p, NULL), "png", NULL, NULL);
        g_object_unref(pb);
    }
}

static void show_preferences(void);

static void act_preferences(GSimpleAction *a, GVariant *p, gpointer d)
{
    show_preferences();
}

static gboolean set_int_preference(rfdn_option_id id, long v);

/* set-preference (key, value): what typing the value into the preferences
 * does, for scripts and tests */
static void act_set_preference(GSimpleAction *a, GVariant *p, gpointer d)
{
    const char *key, *value;
    g_variant_get(p, "(&s&s)", &key, &value);
    for (int id = RFDN_OPT_THREADS; id < RFDN_OPT_COUNT; id++)
        if (!strcmp(key, rfdn_option_get(id)->key)) {
            GError *err = NULL;
            int v;
            if (rfdn_option_parse_int(id, value, &v, &err))
                set_int_preference(id, v);
            else {
                show_message(err->message);
                set_state(A.state);
                g_error_free(err);
            }
            return;
        }
    g_warning("set-preference: no integer preference '%s'", key);
}

static void act_close_preferences(GSimpleAction *a, GVariant *p, gpointer d)
{
    if (A.prefs)
        gtk_widget_destroy(A.prefs);
}

static void act_about(GSimpleAction *a, GVariant *p, gpointer d)
{
    const char *authors[] = {"RFDN Upscaler developers", NULL};
    gtk_show_about_dialog(GTK_WINDOW(A.win), "program-name", _("RFDN Upscaler"), "version",
                          RFDN_UPSCALER_VERSION, "comments",
                          _("Image super-resolution on the CPU with RFDN and E-RFDN.\n"
                            "Networks: Jie Liu, Jie Tang, Gangshan Wu, \"Residual Feature "
                            "Distillation Network for Lightweight Image Super-Resolution\" "
                            "(AIM 2020)."),
                          "license-type", GTK_LICENSE_GPL_3_0, "logo-icon-name", APP_ID,
                          "authors", authors, NULL);
}

static void act_quit(GSimpleAction *a, GVariant *p, gpointer d)
{
    stop_job();
    gtk_widget_destroy(GTK_WIDGET(A.win));
}

/* ------------------------------------------------------------------------ */
/* Preferences */

static void on_prefs_destroy(GtkWidget *w, gpointer d)
{
    A.prefs = NULL;
}

/* Stores an integer preference after the settings table's check (the
 * message every front end gives for the value); FALSE, with the message in
 * the banner, when refused. */
static gboolean set_int_preference(rfdn_option_id id, long v)
{
    GError *err = NULL;
    if (!rfdn_option_check_int(id, v, &err)) {
        show_message(err->message);
        set_state(A.state);
        g_error_free(err);
        return FALSE;
    }
    g_settings_set_int(A.settings, rfdn_option_get(id)->key, (int)v);
    return TRUE;
}

static gboolean spin_get(GValue *value, GVariant *variant, gpointer d)
{
    g_value_set_double(value, g_variant_get_int32(variant));
    return TRUE;
}

static GVariant *spin_set(const GValue *value, const GVariantType *t, gpointer d)
{
    const rfdn_option_id id = GPOINTER_TO_INT(d);
    const long v = (long)g_value_get_double(value);
    GError *err = NULL;
    if (rfdn_option_check_int(id, v, &err))
        return g_variant_new_int32((int)v);
    show_message(err->message); /* refused: the setting keeps its value */
    set_state(A.state);
    g_error_free(err);
    return NULL;
}

static GtkWidget *pref_spin(GtkWidget *grid, int row, const char *label, rfdn_option_id id)
{
    const rfdn_option *o = rfdn_option_get(id);
    GtkWidget *l = gtk_label_new_with_mnemonic(label);
    gtk_label_set_xalign(GTK_LABEL(l), 0);
    GtkWidget *s = gtk_spin_button_new_with_range(o->min, o->max, 1);
    gtk_widget_set_tooltip_text(s, _(o->summary));
    g_settings_bind_with_mapping(A.settings, o->key, s, "value", G_SETTINGS_BIND_DEFAULT,
                                 spin_get, spin_set, GINT_TO_POINTER(id), NULL);
    gtk_label_set_mnemonic_widget(GTK_LABEL(l), s);
    gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
    gtk_grid_attach(GTK_GRID(grid), s, 1, row, 1, 1);
    return s;
}

static void pref_combo(GtkWidget *grid, int row, const char *label, const char *key,
                       const char **ids, const char **labels, int n)
{
    GtkWidget *l = gtk_label_new_with_mnemonic(label);
    gtk_label_set_xalign(GTK_LABEL(l), 0);
    GtkWidget *c = gtk_combo_box_text_new();
    for (int i = 0; i < n; i++)
        gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(c), ids[i], _(labels[i]));
    g_settings_bind(A.settings, key, c, "active-id", G_SETTINGS_BIND_DEFAULT);
    gtk_label_set_mnemonic_widget(GTK_LABEL(l), c);
    gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
    gtk_grid_attach(GTK_GRID(grid), c, 1, row, 1, 1);
}

static gboolean scale_get(GValue *value, GVariant *variant, gpointer d)
{
    char id[8];
    g_snprintf(id, sizeof id, "%d", g_variant_get_int32(variant));
    g_value_set_string(value, id);
    return TRUE;
}

static GVariant *scale_set(const GValue *value, const GVariantType *t, gpointer d)
{
    const char *s = g_value_get_string(value);
    return g_variant_new_int32(s ? atoi(s) : 4);
}

static void on_folder_set(GtkFileChooserButton *b, gpointer d)
{
    char *f = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(b));
    if (f)
        g_settings_set_string(A.settings, "output-folder", f);
    g_free(f);
}

static void show_preferences(void)
{
    if (A.prefs) {
        gtk_window_present(GTK_WINDOW(A.prefs));
        return;
    }
    A.prefs = gtk_dialog_new_with_buttons(_("Preferences"), GTK_WINDOW(A.win),
                                          GTK_DIALOG_DESTROY_WITH_PARENT, _("_Close"),
                                          GTK_RESPONSE_CLOSE, NULL);
    g_signal_connect(A.prefs, "response", G_CALLBACK(gtk_widget_destroy), NULL);
    g_signal_connect(A.prefs, "destroy", G_CALLBACK(on_prefs_destroy), NULL);
    GtkWidget *grid = gtk_grid_new();
    gtk_grid_set_row_spacing(GTK_GRID(grid), 8);
    gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
    g_object_set(grid, "margin", 18, NULL);
    gtk_container_add(GTK_CONTAINER(gtk_dialog_get_content_area(GTK_DIALOG(A.prefs))), grid);
    int row = 0;
    static const char *mids[] = {"e-rfdn", "rfdn"}, *mlabels[] = {"E-RFDN", "RFDN"};
    pref_combo(grid, row++, _("Default _network:"), "model", mids, mlabels, 2);
    {
        GtkWidget *l = gtk_label_new_with_mnemonic(_("Default _scale:"));
        gtk_label_set_xalign(GTK_LABEL(l), 0);
        GtkWidget *c = gtk_combo_box_text_new();
        for (int s = 2; s <= 4; s++) {
            char id[4], lab[8];
            g_snprintf(id, sizeof id, "%d", s);
            g_snprintf(lab, sizeof lab, "%d\303\227", s);
            gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(c), id, lab);
        }
        g_settings_bind_with_mapping(A.settings, "scale", c, "active-id", G_SETTINGS_BIND_DEFAULT,
                                     scale_get, scale_set, NULL, NULL);
        gtk_label_set_mnemonic_widget(GTK_LABEL(l), c);
        gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
        gtk_grid_attach(GTK_GRID(grid), c, 1, row++, 1, 1);
    }
    static const char *aids[] = {"network", "bicubic"};
    static const char *alabels[] = {N_("Network (sharp edges)"), N_("Bicubic (smooth)")};
    pref_combo(grid, row++, _("_Transparency:"), "alpha", aids, alabels, 2);
    pref_spin(grid, row++, _("_Threads (0 = all cores):"), RFDN_OPT_THREADS);
    pref_spin(grid, row++, _("_Memory budget (MiB):"), RFDN_OPT_MEMORY);
    pref_spin(grid, row++, _("T_ile size (0 = automatic):"), RFDN_OPT_TILE);
    {
        GtkWidget *l = gtk_label_new_with_mnemonic(_("_Output folder:"));
        gtk_label_set_xalign(GTK_LABEL(l), 0);
        GtkWidget *b = gtk_file_chooser_button_new(_("Output folder"),
                                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
        char *dir = output_folder();
        g_mkdir_with_parents(dir, 0777);
        gtk_file_chooser_set_filename(GTK_FILE_CHOOSER(b), dir);
        g_free(dir);
        g_signal_connect(b, "file-set", G_CALLBACK(on_folder_set), NULL);
        gtk_label_set_mnemonic_widget(GTK_LABEL(l), b);
        gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
        gtk_grid_attach(GTK_GRID(grid), b, 1, row++, 1, 1);
    }
    {
        GtkWidget *l = gtk_label_new_with_mnemonic(_("Name _suffix:"));
        gtk_label_set_xalign(GTK_LABEL(l), 0);
        GtkWidget *e = gtk_entry_new();
        gtk_widget_set_tooltip_text(e, _("Appended to each result's name; {scale} and {model} "
                                         "are replaced"));
        g_settings_bind(A.settings, "suffix", e, "text", G_SETTINGS_BIND_DEFAULT);
        gtk_label_set_mnemonic_widget(GTK_LABEL(l), e);
        gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
        gtk_grid_attach(GTK_GRID(grid), e, 1, row++, 1, 1);
    }
    {
        GtkWidget *c = gtk_check_button_new_with_mnemonic(_("Draw the original s_mooth"));
        g_settings_bind(A.settings, "smooth-original", c, "active", G_SETTINGS_BIND_DEFAULT);
        gtk_grid_attach(GTK_GRID(grid), c, 0, row++, 2, 1);
    }
    gtk_widget_show_all(A.prefs);
}

/* ------------------------------------------------------------------------ */
/* Drag and drop, combos */

static void on_drop(GtkWidget *w, GdkDragContext *ctx, gint x, gint y, GtkSelectionData *sel,
                    guint info, guint time, gpointer d)
{
    char **uris = gtk_selection_data_get_uris(sel);
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; uris && uris[i]; i++) {
        char *p = g_filename_from_uri(uris[i], NULL, NULL);
        if (p)
            g_ptr_array_add(paths, p);
    }
    open_paths((char **)paths->pdata, (int)paths->len);
    g_ptr_array_free(paths, TRUE);
    g_strfreev(uris);
    gtk_drag_finish(ctx, TRUE, FALSE, time);
}

static void on_model_changed(GtkComboBox *c, gpointer d)
{
    if (A.populating || !gtk_combo_box_get_active_id(c))
        return;
    stop_job();
    g_free(A.model);
    A.model = g_strdup(gtk_combo_box_get_active_id(c));
    fill_scales();
    if (A.src && gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)) &&
        !strcmp(gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)), "compare"))
        start_upscale();
    set_state(A.state ? A.state : "idle");
}

static void on_scale_changed(GtkComboBox *c, gpointer d)
{
    if (A.populating || !gtk_combo_box_get_active_id(c))
        return;
    /* the running job was sized for the old scale: stop it first */
    stop_job();
    A.scale = atoi(gtk_combo_box_get_active_id(c));
    if (A.src && !strcmp(gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)), "compare"))
        start_upscale();
    set_state(A.state ? A.state : "idle");
}

/* Content changed (the drop-down, set-content, another instance): the
 * shown image is upscaled again with the variant it now calls for. */
static void on_content_changed(GSettings *settings, const char *key, gpointer d)
{
    stop_job();
    if (A.src && !strcmp(gtk_stack_get_visible_child_name(GTK_STACK(A.win->stack)), "compare"))
        start_upscale();
    set_state(A.state ? A.state : "idle");
}

/* set-content ("auto", "clean" or "photo"), checked by the settings table */
static void act_set_content(GSimpleAction *a, GVariant *p, gpointer d)
{
    GError *err = NULL;
    const char *v = g_variant_get_string(p, NULL);
    if (rfdn_option_choice(RFDN_OPT_CONTENT, v, &err) >= 0) {
        g_settings_set_string(A.settings, "content", v);
    } else {
        show_message(err->message);
        set_state(A.state);
        g_error_free(err);
    }
}

/* ------------------------------------------------------------------------ */
/* Application */

static void on_activate(GtkApplication *app, gpointer d)
{
    gtk_window_present(GTK_WINDOW(A.win));
}

static void on_open(GApplication *app, GFile **files, gint n, const gchar *hint, gpointer d)
{
    gtk_window_present(GTK_WINDOW(A.win));
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n; i++) {
        char *p = g_file_get_path(files[i]);
        if (p)
            g_ptr_array_add(paths, p);
    }
    open_paths((char **)paths->pdata, (int)paths->len);
    g_ptr_array_free(paths, TRUE);
}

static void on_startup(GApplication *app, gpointer d)
{
    GError *err = NULL;
    if (!rfdn_io_init("rfdn-upscaler", &err)) {
        g_printerr("%s\n", err->message);
        g_error_free(err);
    }
    A.settings = g_settings_new(APP_ID);
    A.model = g_settings_get_string(A.settings, "model");
    A.scale = g_settings_get_int(A.settings, "scale");
    static const GActionEntry entries[] = {
        {"open", act_open},
        {"open-file", act_open_file, "s"},
        {"open-batch", act_open_batch, "as"},
        {"upscale", act_upscale},
        {"batch-start", act_batch_start},
        {"cancel", act_cancel},
        {"save-as", act_save_as},
        {"save-to", act_save_to, "s"},
        {"paste", act_paste},
        {"copy", act_copy},
        {"set-model", act_set_model, "s"},
        {"set-scale", act_set_scale, "i"},
        {"set-content", act_set_content, "s"},
        {"zoom-in", act_zoom},
        {"zoom-out", act_zoom},
        {"zoom-fit", act_zoom},
        {"zoom-100", act_zoom},
        {"split", NULL, NULL, "false", on_toggle_changed},
        {"smooth", NULL, NULL, "false", on_toggle_changed},
        {"screenshot", act_screenshot, "s"},
        {"preferences", act_preferences},
        {"close-preferences", act_close_preferences},
        {"set-preference", act_set_preference, "(ss)"},
        {"about", act_about},
        {"quit", act_quit},
    };
    g_action_map_add_action_entries(G_ACTION_MAP(app), entries, G_N_ELEMENTS(entries), NULL);
    struct {
        const char *action, *accels[4];
    } accels[] = {
        {"app.open", {"<Primary>o", NULL}},
        {"app.paste", {"<Primary>v", NULL}},
        {"app.copy", {"<Primary>c", NULL}},
        {"app.upscale", {"<Primary>Return", NULL}},
        {"app.cancel", {"Escape", NULL}},
        {"app.save-as", {"<Primary>s", "<Primary><Shift>s", NULL}},
        {"app.zoom-in", {"plus", "equal", "KP_Add", NULL}},
        {"app.zoom-out", {"minus", "KP_Subtract", NULL}},
        {"app.zoom-fit", {"0", "KP_0", NULL}},
        {"app.zoom-100", {"1", "KP_1", NULL}},
        {"app.split", {"s", NULL}},
        {"app.preferences", {"<Primary>comma", NULL}},
        {"app.quit", {"<Primary>q", NULL}},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(accels); i++)
        gtk_application_set_accels_for_action(GTK_APPLICATION(app), accels[i].action,
                                              accels[i].accels);

    A.gapp = GTK_APPLICATION(app);
    A.win = g_object_new(RFDN_TYPE_WINDOW, "application", app, NULL);
    A.tiles = g_array_new(FALSE, FALSE, sizeof(GdkRectangle));
    g_mutex_init(&A.lock);
    g_signal_connect(A.win->model_combo, "changed", G_CALLBACK(on_model_changed), NULL);
    g_signal_connect(A.win->scale_combo, "changed", G_CALLBACK(on_scale_changed), NULL);
    g_settings_bind(A.settings, "content", A.win->content_combo, "active-id",
                    G_SETTINGS_BIND_DEFAULT);
    g_signal_connect(A.settings, "changed::content", G_CALLBACK(on_content_changed), NULL);
    gtk_drag_dest_set(GTK_WIDGET(A.win), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
    gtk_drag_dest_add_uri_targets(GTK_WIDGET(A.win));
    g_signal_connect(A.win, "drag-data-received", G_CALLBACK(on_drop), NULL);
    const gboolean split = g_settings_get_boolean(A.settings, "split-view");
    const gboolean smooth = g_settings_get_boolean(A.settings, "smooth-original");
    g_action_change_state(g_action_map_lookup_action(G_ACTION_MAP(app), "split"),
                          g_variant_new_boolean(split));
    g_action_change_state(g_action_map_lookup_action(G_ACTION_MAP(app), "smooth"),
                          g_variant_new_boolean(smooth));
    fill_models();
    gtk_stack_set_visible_child_name(GTK_STACK(A.win->stack), "empty");
    update_actions();
    set_state("idle");
}

static void on_shutdown(GApplication *app, gpointer d)
{
    stop_job();
    rfdn_io_image_free(A.src);
    rfdn_io_image_free(A.dst);
    g_clear_pointer(&A.orig, cairo_surface_destroy);
    g_clear_pointer(&A.res, cairo_surface_destroy);
    if (A.batch)
        g_ptr_array_free(A.batch, TRUE);
    g_clear_object(&A.settings);
    g_free(A.model);
    g_free(A.path);
    g_free(A.name);
    g_free(A.content_why);
    g_free(A.message);
    rfdn_io_shutdown();
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* RFDN_LOCALEDIR: the build's catalogs, for running uninstalled */
    const char *localedir = g_getenv("RFDN_LOCALEDIR");
    bindtextdomain(GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
    g_set_application_name(_("RFDN Upscaler"));
    GtkApplication *app = gtk_application_new(APP_ID, G_APPLICATION_HANDLES_OPEN);
    g_signal_connect(app, "startup", G_CALLBACK(on_startup), NULL);
    g_signal_connect(app, "activate", G_CALLBACK(on_activate), NULL);
    g_signal_connect(app, "open", G_CALLBACK(on_open), NULL);
    g_signal_connect(app, "shutdown", G_CALLBACK(on_shutdown), NULL);
    const int r = g_application_run(G_APPLICATION(app), argc, argv);
    g_object_unref(app);
    return r;
}
