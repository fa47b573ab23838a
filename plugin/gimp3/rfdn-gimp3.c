/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GIMP 3 plug-in: Filters > Enhance > Super-Resolution (RFDN).
 *
 * The same procedure as the GIMP 2.10 plug-in (plug-in-rfdn-upscale: model,
 * scale, output, alpha, tile-size, threads -> new-image) on libgimp 3's
 * GimpPlugIn / GimpImageProcedure, with a GTK 3 dialog.  Everything below
 * the GIMP API is in ../common/plugin-core.c, shared with the 2.10 plug-in.
 *
 * The engine runs in a worker thread; only the main thread talks to
 * libgimp.  The image is changed only after every result is computed, in
 * one undo group, so a cancel, an error or running out of memory leaves it
 * as it was.
 */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include <glib/gi18n-lib.h>

#include "options.h"
#include "plugin-core.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

#define RFDN_TYPE_PLUGIN (rfdn_plugin_get_type())
G_DECLARE_FINAL_TYPE(RfdnPlugin, rfdn_plugin, RFDN, PLUGIN, GimpPlugIn)

struct _RfdnPlugin {
    GimpPlugIn parent_instance;
};

G_DEFINE_TYPE(RfdnPlugin, rfdn_plugin, GIMP_TYPE_PLUG_IN)

static GimpValueArray *run(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                           GimpDrawable **drawables, GimpProcedureConfig *config,
                           gpointer run_data);

static GList *query_procedures(GimpPlugIn *plug_in)
{
    return g_list_append(NULL, g_strdup(RFDN_PROC_NAME));
}

/* GIMP 3 only accepts a catalog folder relative to the plug-in's own
 * folder; the translations are installed in the system's locale folder, so
 * the plug-in binds its domain itself (in run()) and GIMP's handling is off. */
static gboolean set_i18n(GimpPlugIn *plug_in, const gchar *procedure_name, gchar **gettext_domain,
                         gchar **catalog_dir)
{
    return FALSE;
}

static GimpProcedure *create_procedure(GimpPlugIn *plug_in, const gchar *name)
{
    if (strcmp(name, RFDN_PROC_NAME))
        return NULL;
    GimpProcedure *p =
        gimp_image_procedure_new(plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN, run, NULL, NULL);
    gimp_procedure_set_image_types(p, "RGB*, GRAY*");
    gimp_procedure_set_sensitivity_mask(p, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
    gimp_procedure_set_menu_label(p, _("_Super-Resolution (RFDN)..."));
    gimp_procedure_add_menu_path(p, "<Image>/Filters/Enhance");
    gimp_procedure_set_icon_name(p, GIMP_ICON_OBJECT_RESIZE);
    gimp_procedure_set_documentation(
        p, _("Enlarge with a super-resolution network (RFDN / E-RFDN)"),
        "Upscales the drawable (or every layer of the image) 2, 3 or 4 times with the RFDN or "
        "E-RFDN super-resolution network on the CPU. 8- and 16-bit images keep their "
        "integers; linear and floating-point images are processed in float.",
        name);
    gimp_procedure_set_attribution(p, "RFDN Upscaler developers", "GPL-3.0-or-later", "2026");
    gimp_procedure_add_int_argument(p, "model", _("Model"), "Network { E-RFDN (0), RFDN (1) }",
                                    0, 1, 0, G_PARAM_READWRITE);
    /* ranges and defaults from the settings table every front end shares */
    const rfdn_option *sc = rfdn_option_get(RFDN_OPT_SCALE);
    const rfdn_option *ti = rfdn_option_get(RFDN_OPT_TILE);
    const rfdn_option *th = rfdn_option_get(RFDN_OPT_THREADS);
    gimp_procedure_add_int_argument(p, "scale", _("Scale"), "Scale factor { 2, 3, 4 }", sc->min,
                                    sc->max, sc->def, G_PARAM_READWRITE);
    gimp_procedure_add_int_argument(
        p, "output", _("Result"),
        "Result { NEW-IMAGE (0): the drawable upscaled in a new image, IN-PLACE (1): the whole "
        "image scaled, every layer upscaled, in one undo step }",
        0, 1, 0, G_PARAM_READWRITE);
    gimp_procedure_add_int_argument(p, "alpha", _("Transparency"),
                                    "Alpha upscaling { NETWORK (0), BICUBIC (1) }", 0, 1, 0,
                                    G_PARAM_READWRITE);
    gimp_procedure_add_int_argument(p, ti->key, _(ti->label), ti->summary, ti->min, ti->max,
                                    ti->def, G_PARAM_READWRITE);
    gimp_procedure_add_int_argument(p, th->key, _(th->label), th->summary, th->min, th->max,
                                    th->def, G_PARAM_READWRITE);
    /* a choice: scripts pass "auto", "clean" or "photo" */
    gimp_procedure_add_choice_argument(
        p, "content", _("Content"),
        "Model variant: auto (photo for a JPEG, from the quality GIMP kept, or for JPEG block "
        "edges in the pixels, else clean), clean (lossless images) or photo (JPEG, camera and "
        "web pictures)",
        gimp_choice_new_with_values("auto", RFDN_CONTENT_AUTO, _("Automatic"), NULL, "clean",
                                    RFDN_CONTENT_CLEAN, _("Clean"), NULL, "photo",
                                    RFDN_CONTENT_PHOTO, _("Photo"), NULL, NULL),
        "auto", G_PARAM_READWRITE);
    gimp_procedure_add_image_return_value(p, "new-image", _("New image"),
                                          "The new image (none when scaled in place)", TRUE,
                                          G_PARAM_READWRITE);
    return p;
}

static void rfdn_plugin_class_init(RfdnPluginClass *klass)
{
    GimpPlugInClass *c = GIMP_PLUG_IN_CLASS(klass);
    c->query_procedures = query_procedures;
    c->create_procedure = create_procedure;
    c->set_i18n = set_i18n;
}

static void rfdn_plugin_init(RfdnPlugin *self)
{
}

/* ------------------------------------------------------------------------ */

static rfdn_plug_layout layout_of(GimpImage *image, GimpDrawable *d)
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

typedef struct {
    GtkWidget *bar;
    gboolean cancel;
} run_ui;

static gboolean poll_progress(gpointer user, double f)
{
    run_ui *ui = user;
    gimp_progress_update(f);
    if (ui && ui->bar) {
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(ui->bar), f);
        char *t = g_strdup_printf("%d %%", (int)(f * 100));
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(ui->bar), t);
        g_free(t);
        while (g_main_context_pending(NULL))
            g_main_context_iteration(NULL, FALSE);
    }
    return ui && ui->cancel;
}

/* The context for the variant the content calls for (content.h's rule on
 * the JPEG quality GIMP kept and the layer's pixels); *why (g_free) says
 * which variant and why. */
static rfdn_context *context_for(const rfdn_plug_params *p, GimpImage *image,
                                 GimpDrawable *drawable, char **why_out, GError **error)
{
    GimpParasite *par = gimp_image_get_parasite(image, "jpeg-settings");
    guint32 len = 0;
    gconstpointer data = par ? gimp_parasite_get_data(par, &len) : NULL;
    GeglBuffer *buf = gimp_drawable_get_buffer(drawable);
    rfdn_context *ctx = rfdn_plug_context_for(p, data, len, buf, why_out, error);
    g_object_unref(buf);
    if (par)
        gimp_parasite_free(par);
    return ctx;
}

static GimpPDBStatusType upscale(const rfdn_plug_params *p, GimpImage *image,
                                 GimpDrawable *drawable, GimpRunMode mode, run_ui *ui,
                                 GimpImage **new_image, GError **error)
{
    *new_image = NULL;
    /* the dialog's entries too: the settings table's ranges and messages */
    if (!rfdn_plug_params_validate(p, error))
        return GIMP_PDB_CALLING_ERROR;
    rfdn_context *ctx = NULL;
    GPtrArray *layers = g_ptr_array_new();
    if (p->output == RFDN_PLUG_IN_PLACE) {
        GimpLayer **ls = gimp_image_get_layers(image);
        collect_layers((GimpItem **)ls, layers);
        g_free(ls);
    } else {
        g_ptr_array_add(layers, drawable);
    }
    const int n = (int)layers->len;
    rfdn_plug_item **items = g_new0(rfdn_plug_item *, n ? n : 1);
    GimpPDBStatusType status = GIMP_PDB_EXECUTION_ERROR;
    gimp_progress_init_printf(_("Super-resolution (%s x%d)"), rfdn_plug_model_label(p->model),
                              p->scale);
    for (int i = 0; i < n; i++) {
        GimpDrawable *d = layers->pdata[i];
        GeglBuffer *buf = gimp_drawable_get_buffer(d);
        GeglRectangle r = {0, 0, gimp_drawable_get_width(d), gimp_drawable_get_height(d)};
        rfdn_plug_layout l = layout_of(image, d);
        items[i] = rfdn_plug_item_new(buf, &r, &l, p->scale, error);
        g_object_unref(buf);
        if (!items[i])
            goto out;
    }
    char *why = NULL;
    ctx = context_for(p, image, drawable, &why, error);
    gimp_progress_set_text_printf(_("Super-resolution (%s x%d): %s"),
                                  rfdn_plug_model_label(p->model), p->scale, why);
    g_free(why);
    if (!ctx)
        goto out;
    rfdn_plug_job *job = rfdn_plug_job_start(ctx, items, n);
    rfdn_status st = rfdn_plug_job_wait(job, poll_progress, ui, error);
    if (st == RFDN_CANCELLED) {
        status = GIMP_PDB_CANCEL;
        goto out;
    }
    if (st != RFDN_OK)
        goto out;

    if (p->output == RFDN_PLUG_NEW_IMAGE) {
        const rfdn_plug_item *it = items[0];
        GimpImage *img = gimp_image_new_with_precision(
            it->ow, it->oh, gimp_image_get_base_type(image), gimp_image_get_precision(image));
        gimp_image_undo_disable(img);
        GimpLayer *layer = gimp_layer_new(
            img, gimp_item_get_name(GIMP_ITEM(drawable)), it->ow, it->oh,
            gimp_drawable_type(drawable),
            GIMP_IS_LAYER(drawable) ? gimp_layer_get_opacity(GIMP_LAYER(drawable)) : 100,
            GIMP_LAYER_MODE_NORMAL);
        gimp_image_insert_layer(img, layer, NULL, 0);
        GeglBuffer *buf = gimp_drawable_get_buffer(GIMP_DRAWABLE(layer));
        rfdn_plug_item_write(it, buf);
        g_object_unref(buf);
        gdouble xr, yr;
        if (gimp_image_get_resolution(image, &xr, &yr))
            gimp_image_set_resolution(img, xr, yr);
        GimpColorProfile *prof = gimp_image_get_color_profile(image);
        if (prof) {
            gimp_image_set_color_profile(img, prof);
            g_object_unref(prof);
        }
        gimp_image_undo_enable(img);
        if (mode == GIMP_RUN_INTERACTIVE)
            gimp_display_new(img);
        *new_image = img;
    } else {
        gimp_image_undo_group_start(image);
        const int w = gimp_image_get_width(image), h = gimp_image_get_height(image);
        gimp_image_scale(image, w * p->scale, h * p->scale);
        for (int i = 0; i < n; i++) {
            GimpDrawable *d = layers->pdata[i];
            const rfdn_plug_item *it = items[i];
            if (gimp_drawable_get_width(d) != it->ow || gimp_drawable_get_height(d) != it->oh)
                gimp_layer_scale(GIMP_LAYER(d), it->ow, it->oh, FALSE);
            GeglBuffer *buf = gimp_drawable_get_buffer(d);
            rfdn_plug_item_write(it, buf);
            g_object_unref(buf);
            gimp_drawable_update(d, 0, 0, it->ow, it->oh);
        }
        gimp_image_undo_group_end(image);
        if (mode != GIMP_RUN_NONINTERACTIVE)
            gimp_displays_flush();
    }
    status = GIMP_PDB_SUCCESS;
out:
    gimp_progress_end();
    for (int i = 0; i < n; i++)
        rfdn_plug_item_free(items[i]);
    g_free(items);
    g_ptr_array_free(layers, TRUE);
    rfdn_context_free(ctx);
    return status;
}

/* ------------------------------------------------------------------------ */
/* Dialog */

#define PREVIEW_OUT 256

typedef struct {
    rfdn_plug_params *p;
    GimpImage *image;
    GimpDrawable *drawable;
    GtkWidget *dialog, *before, *after, *size_label, *note, *controls;
    run_ui ui;
    gboolean busy, dirty;
} dialog_state;

static GdkPixbuf *checkered(const guint8 *rgba, int w, int h, int zoom)
{
    GdkPixbuf *pb =
        gdk_pixbuf_new_from_data(rgba, GDK_COLORSPACE_RGB, TRUE, 8, w, h, w * 4, NULL, NULL);
    GdkPixbuf *o = gdk_pixbuf_composite_color_simple(pb, w * zoom, h * zoom, GDK_INTERP_NEAREST,
                                                     255, 8, 0xcccccc, 0x999999);
    g_object_unref(pb);
    return o;
}

static void update_size(dialog_state *s)
{
    const gboolean whole = s->p->output == RFDN_PLUG_IN_PLACE;
    const int w = whole ? gimp_image_get_width(s->image) : gimp_drawable_get_width(s->drawable);
    const int h = whole ? gimp_image_get_height(s->image) : gimp_drawable_get_height(s->drawable);
    char *t = g_strdup_printf(_("%d x %d pixels \342\206\222 %d x %d pixels"), w, h,
                              w * s->p->scale, h * s->p->scale);
    gtk_label_set_text(GTK_LABEL(s->size_label), t);
    g_free(t);
}

static void update_preview(dialog_state *s)
{
    update_size(s);
    if (s->busy) {
        s->dirty = TRUE;
        return;
    }
    s->busy = TRUE;
    do {
        s->dirty = FALSE;
        const int dw = gimp_drawable_get_width(s->drawable);
        const int dh = gimp_drawable_get_height(s->drawable);
        const int edge = PREVIEW_OUT / s->p->scale;
        GeglRectangle r = {0, 0, MIN(dw, edge), MIN(dh, edge)};
        r.x = (dw - r.width) / 2;
        r.y = (dh - r.height) / 2;
        rfdn_plug_layout l = rfdn_plug_layout_for(FALSE, TRUE, 8, FALSE, NULL);
        GError *err = NULL;
        GeglBuffer *buf = gimp_drawable_get_buffer(s->drawable);
        rfdn_plug_item *it = rfdn_plug_item_new(buf, &r, &l, s->p->scale, &err);
        g_object_unref(buf);
        char *why = NULL;
        rfdn_context *ctx = it ? context_for(s->p, s->image, s->drawable, &why, &err) : NULL;
        if (!ctx)
            g_clear_pointer(&it, rfdn_plug_item_free);
        if (it) {
            GdkPixbuf *b = checkered(it->in, it->w, it->h, s->p->scale);
            gtk_image_set_from_pixbuf(GTK_IMAGE(s->before), b);
            g_object_unref(b);
            rfdn_plug_job *job = rfdn_plug_job_start(ctx, &it, 1);
            s->ui.cancel = FALSE;
            if (rfdn_plug_job_wait(job, poll_progress, &s->ui, &err) == RFDN_OK) {
                GdkPixbuf *a = checkered(it->out, it->ow, it->oh, 1);
                gtk_image_set_from_pixbuf(GTK_IMAGE(s->after), a);
                g_object_unref(a);
            }
            gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(s->ui.bar), 0);
            gtk_progress_bar_set_text(GTK_PROGRESS_BAR(s->ui.bar), "");
        }
        gtk_label_set_text(GTK_LABEL(s->note), err ? err->message : why ? why : "");
        g_free(why);
        g_clear_error(&err);
        rfdn_plug_item_free(it);
        rfdn_context_free(ctx);
    } while (s->dirty && s->dialog);
    s->busy = FALSE;
}

static void on_combo(GtkWidget *w, gpointer data)
{
    gint32 *field = data;
    gint v;
    if (gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(w), &v))
        *field = v;
    dialog_state *s = g_object_get_data(G_OBJECT(w), "state");
    if (s && g_object_get_data(G_OBJECT(w), "preview"))
        update_preview(s);
    else if (s)
        update_size(s);
}

static void combo(dialog_state *s, GtkWidget *grid, int row, const char *label, gint32 *field,
                  gboolean preview, GtkWidget *c)
{
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(c), *field);
    g_object_set_data(G_OBJECT(c), "state", s);
    g_object_set_data(G_OBJECT(c), "preview", GINT_TO_POINTER(preview));
    g_signal_connect(c, "changed", G_CALLBACK(on_combo), field);
    GtkWidget *l = gtk_label_new_with_mnemonic(label);
    gtk_label_set_xalign(GTK_LABEL(l), 0.0);
    gtk_label_set_mnemonic_widget(GTK_LABEL(l), c);
    gtk_widget_set_hexpand(c, TRUE);
    gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
    gtk_grid_attach(GTK_GRID(grid), c, 1, row, 1, 1);
}

static void spin(GtkWidget *grid, int row, const char *label, gint32 *field, int max,
                 const char *tip)
{
    GtkWidget *l = gtk_label_new_with_mnemonic(label);
    gtk_label_set_xalign(GTK_LABEL(l), 0.0);
    GtkAdjustment *adj = gtk_adjustment_new(*field, 0, max, 1, 16, 0);
    GtkWidget *sp = gtk_spin_button_new(adj, 1, 0);
    gtk_widget_set_tooltip_text(sp, tip);
    gtk_label_set_mnemonic_widget(GTK_LABEL(l), sp);
    g_signal_connect(adj, "value-changed", G_CALLBACK(gimp_int_adjustment_update), field);
    gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
    gtk_grid_attach(GTK_GRID(grid), sp, 1, row, 1, 1);
}

static void on_response(GtkWidget *dialog, gint response, gpointer data)
{
    dialog_state *s = data;
    if (response != GTK_RESPONSE_OK)
        s->ui.cancel = TRUE;
}

static gboolean take_screenshot(gpointer data)
{
    dialog_state *s = data;
    if (s->busy)
        return TRUE;
    GdkWindow *win = gtk_widget_get_window(s->dialog);
    GdkPixbuf *pb = gdk_pixbuf_get_from_window(win, 0, 0, gdk_window_get_width(win),
                                               gdk_window_get_height(win));
    if (pb) {
        gdk_pixbuf_save(pb, rfdn_plug_screenshot_path(), "png", NULL, NULL);
        g_object_unref(pb);
    }
    gtk_dialog_response(GTK_DIALOG(s->dialog), GTK_RESPONSE_CANCEL);
    return FALSE;
}

static GimpPDBStatusType dialog_run(GimpProcedure *procedure, rfdn_plug_params *p,
                                    GimpImage *image, GimpDrawable *drawable,
                                    GimpImage **new_image, GError **error)
{
    gimp_ui_init(RFDN_PLUGIN_BINARY);
    dialog_state s = {.p = p, .image = image, .drawable = drawable};
    s.dialog = gimp_dialog_new(_("Super-Resolution (RFDN)"), "rfdn-upscale", NULL, 0,
                               gimp_standard_help_func, RFDN_PROC_NAME, _("_Cancel"),
                               GTK_RESPONSE_CANCEL, _("_OK"), GTK_RESPONSE_OK, NULL);
    gimp_window_set_transient(GTK_WINDOW(s.dialog));
    GtkWidget *vbox = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
    gtk_container_set_border_width(GTK_CONTAINER(vbox), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(s.dialog))), vbox, TRUE,
                       TRUE, 0);

    GtkWidget *hbox = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
    gtk_box_pack_start(GTK_BOX(vbox), hbox, TRUE, TRUE, 0);
    const char *titles[] = {N_("Before (enlarged pixels)"), N_("After")};
    GtkWidget **imgs[] = {&s.before, &s.after};
    for (int i = 0; i < 2; i++) {
        GtkWidget *frame = gimp_frame_new(_(titles[i]));
        *imgs[i] = gtk_image_new();
        gtk_widget_set_size_request(*imgs[i], PREVIEW_OUT, PREVIEW_OUT);
        gtk_container_add(GTK_CONTAINER(frame), *imgs[i]);
        gtk_box_pack_start(GTK_BOX(hbox), frame, TRUE, TRUE, 0);
    }

    GtkWidget *grid = gtk_grid_new();
    gtk_grid_set_column_spacing(GTK_GRID(grid), 6);
    gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
    gtk_box_pack_start(GTK_BOX(vbox), grid, FALSE, FALSE, 0);
    s.controls = grid;
    combo(&s, grid, 0, _("_Model:"), &p->model, TRUE,
          gimp_int_combo_box_new(_("E-RFDN (faster, AIM 2020 winner)"), RFDN_PLUG_E_RFDN,
                                 _("RFDN"), RFDN_PLUG_RFDN, NULL));
    combo(&s, grid, 1, _("_Scale:"), &p->scale, TRUE,
          gimp_int_combo_box_new("2\303\227", 2, "3\303\227", 3, "4\303\227", 4, NULL));
    combo(&s, grid, 2, _("_Result:"), &p->output, FALSE,
          gimp_int_combo_box_new(_("New image from this layer"), RFDN_PLUG_NEW_IMAGE,
                                 _("Scale the whole image (every layer)"), RFDN_PLUG_IN_PLACE,
                                 NULL));
    combo(&s, grid, 3, _("_Transparency:"), &p->alpha, TRUE,
          gimp_int_combo_box_new(_("Network (sharp edges)"), 0, _("Bicubic (smooth)"), 1,
                                 NULL));
    combo(&s, grid, 4, _("_Content:"), &p->content, TRUE,
          gimp_int_combo_box_new(_("Automatic"), RFDN_CONTENT_AUTO,
                                 _("Clean (lossless images, renders)"), RFDN_CONTENT_CLEAN,
                                 _("Photo (JPEG, camera and web pictures)"), RFDN_CONTENT_PHOTO,
                                 NULL));

    GtkWidget *adv = gtk_expander_new_with_mnemonic(_("_Advanced"));
    GtkWidget *g2 = gtk_grid_new();
    gtk_grid_set_column_spacing(GTK_GRID(g2), 6);
    gtk_grid_set_row_spacing(GTK_GRID(g2), 6);
    spin(g2, 0, _("T_ile size:"), &p->tile, rfdn_option_get(RFDN_OPT_TILE)->max,
         _("Tile edge in pixels (0 = automatic)"));
    spin(g2, 1, _("T_hreads:"), &p->threads, rfdn_option_get(RFDN_OPT_THREADS)->max,
         _("Worker threads (0 = all cores)"));
    gtk_container_add(GTK_CONTAINER(adv), g2);
    gtk_box_pack_start(GTK_BOX(vbox), adv, FALSE, FALSE, 0);

    s.size_label = gtk_label_new("");
    gtk_label_set_xalign(GTK_LABEL(s.size_label), 0.0);
    gtk_box_pack_start(GTK_BOX(vbox), s.size_label, FALSE, FALSE, 0);
    s.note = gtk_label_new("");
    gtk_label_set_line_wrap(GTK_LABEL(s.note), TRUE);
    gtk_label_set_xalign(GTK_LABEL(s.note), 0.0);
    gtk_box_pack_start(GTK_BOX(vbox), s.note, FALSE, FALSE, 0);
    s.ui.bar = gtk_progress_bar_new();
    gtk_progress_bar_set_show_text(GTK_PROGRESS_BAR(s.ui.bar), TRUE);
    gtk_box_pack_start(GTK_BOX(vbox), s.ui.bar, FALSE, FALSE, 0);

    gtk_widget_show_all(s.dialog);
    while (g_main_context_pending(NULL))
        g_main_context_iteration(NULL, FALSE);
    update_preview(&s);
    if (rfdn_plug_screenshot_path())
        g_timeout_add(500, take_screenshot, &s);

    GimpPDBStatusType status = GIMP_PDB_CANCEL;
    if (gimp_dialog_run(GIMP_DIALOG(s.dialog)) == GTK_RESPONSE_OK) {
        gtk_widget_set_sensitive(s.controls, FALSE);
        gtk_widget_set_sensitive(adv, FALSE);
        gtk_dialog_set_response_sensitive(GTK_DIALOG(s.dialog), GTK_RESPONSE_OK, FALSE);
        g_signal_connect(s.dialog, "response", G_CALLBACK(on_response), &s);
        s.ui.cancel = FALSE;
        status = upscale(p, image, drawable, GIMP_RUN_INTERACTIVE, &s.ui, new_image, error);
    }
    gtk_widget_destroy(s.dialog);
    s.dialog = NULL;
    return status;
}

/* ------------------------------------------------------------------------ */

static GimpValueArray *run(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                           GimpDrawable **drawables, GimpProcedureConfig *config,
                           gpointer run_data)
{
    bindtextdomain(RFDN_GETTEXT_DOMAIN, LOCALEDIR);
    bind_textdomain_codeset(RFDN_GETTEXT_DOMAIN, "UTF-8");
    textdomain(RFDN_GETTEXT_DOMAIN);
    gegl_init(NULL, NULL);
    GError *error = NULL;
    GimpPDBStatusType status = GIMP_PDB_CALLING_ERROR;
    GimpImage *new_image = NULL;
    rfdn_plug_params p;
    /* GIMP fills the config with the arguments, or for interactive and
     * last-values runs with the values of the last run */
    char *content = NULL;
    g_object_get(config, "model", &p.model, "scale", &p.scale, "output", &p.output, "alpha",
                 &p.alpha, "tile-size", &p.tile, "threads", &p.threads, "content", &content,
                 NULL);
    p.content = rfdn_content_from_name(content); /* GIMP checked it is one of the three */
    g_free(content);
    GimpDrawable *drawable = drawables ? drawables[0] : NULL;
    if (!drawable || drawables[1]) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Select exactly one layer"));
        goto done;
    }
    if (!rfdn_plug_params_validate(&p, &error))
        goto done;
    if (gimp_image_get_base_type(image) == GIMP_INDEXED) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Indexed images cannot be upscaled by a network: convert the image "
                      "with Image > Mode > RGB first"));
        goto done;
    }
    if (p.output == RFDN_PLUG_NEW_IMAGE && !GIMP_IS_LAYER(drawable)) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Select a layer (not a mask or channel) to upscale into a new image"));
        goto done;
    }
    if (run_mode == GIMP_RUN_INTERACTIVE)
        status = dialog_run(procedure, &p, image, drawable, &new_image, &error);
    else
        status = upscale(&p, image, drawable, run_mode, NULL, &new_image, &error);
    if (status == GIMP_PDB_SUCCESS)
        g_object_set(config, "model", p.model, "scale", p.scale, "output", p.output, "alpha",
                     p.alpha, "tile-size", p.tile, "threads", p.threads, "content",
                     rfdn_content_name(p.content), NULL);
done:
    if (status != GIMP_PDB_SUCCESS) {
        if (error && run_mode == GIMP_RUN_INTERACTIVE)
            gimp_message(error->message);
        return gimp_procedure_new_return_values(procedure, status, error);
    }
    GimpValueArray *ret = gimp_procedure_new_return_values(procedure, GIMP_PDB_SUCCESS, NULL);
    GIMP_VALUES_SET_IMAGE(ret, 1, new_image);
    return ret;
}

GIMP_MAIN(RFDN_TYPE_PLUGIN)
