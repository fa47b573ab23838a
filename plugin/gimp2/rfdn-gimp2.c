/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GIMP 2.10 plug-in: Filters > Enhance > Super-Resolution (RFDN).
 *
 * Procedure plug-in-rfdn-upscale (run-mode, image, drawable, model, scale,
 * output, alpha, tile-size, threads) -> new-image.  Everything below the
 * GIMP API (parameters, model lookup, pixel layout, the worker thread) is
 * in ../common/plugin-core.c, shared with the GIMP 3 plug-in.
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

static void query(void);
static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals);

const GimpPlugInInfo PLUG_IN_INFO = {NULL, NULL, query, run};

MAIN()

static void query(void)
{
    static const GimpParamDef args[] = {
        {GIMP_PDB_INT32, "run-mode",
         "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1), RUN-WITH-LAST-VALS (2) }"},
        {GIMP_PDB_IMAGE, "image", "Input image"},
        {GIMP_PDB_DRAWABLE, "drawable", "Input drawable (the layer for a new image)"},
        {GIMP_PDB_INT32, "model", "Network { E-RFDN (0), RFDN (1) }"},
        {GIMP_PDB_INT32, "scale", "Scale factor { 2, 3, 4 }"},
        {GIMP_PDB_INT32, "output",
         "Result { NEW-IMAGE (0): the drawable upscaled in a new image, IN-PLACE (1): the "
         "whole image scaled, every layer upscaled, in one undo step }"},
        {GIMP_PDB_INT32, "alpha", "Alpha upscaling { NETWORK (0), BICUBIC (1) }"},
        {GIMP_PDB_INT32, "tile-size", "Tile edge in input pixels (0 = automatic)"},
        {GIMP_PDB_INT32, "threads", "Worker threads (0 = all cores)"},
        /* (the content choice is the dialog's and the last values'; scripts
         * get automatic: the PDB signature of GIMP 2.10 stays as it was) */
    };
    static const GimpParamDef rets[] = {
        {GIMP_PDB_IMAGE, "new-image", "The new image (-1 when the image was scaled in place)"},
    };
    gimp_plugin_domain_register(RFDN_GETTEXT_DOMAIN, LOCALEDIR);
    gimp_install_procedure(
        RFDN_PROC_NAME, N_("Enlarge with a super-resolution network (RFDN / E-RFDN)"),
        "Upscales the drawable (or every layer of the image) 2, 3 or 4 times with the RFDN or "
        "E-RFDN super-resolution network on the CPU. 8- and 16-bit images keep their "
        "integers; linear and floating-point images are processed in float.",
        "RFDN Upscaler developers", "GPL-3.0-or-later", "2026", N_("_Super-Resolution (RFDN)..."),
        "RGB*, GRAY*", GIMP_PLUGIN, G_N_ELEMENTS(args), G_N_ELEMENTS(rets), args, rets);
    gimp_plugin_menu_register(RFDN_PROC_NAME, "<Image>/Filters/Enhance");
    gimp_plugin_icon_register(RFDN_PROC_NAME, GIMP_ICON_TYPE_ICON_NAME,
                              (const guint8 *)GIMP_ICON_OBJECT_RESIZE);
}

/* ------------------------------------------------------------------------ */
/* Layout of an image's pixels */

static rfdn_plug_layout layout_of(gint32 image, gint32 drawable)
{
    const GimpPrecision prec = gimp_image_get_precision(image);
    const int bits = prec == GIMP_PRECISION_U8_GAMMA ? 8 : prec == GIMP_PRECISION_U16_GAMMA ? 16 : 32;
    return rfdn_plug_layout_for(gimp_drawable_is_gray(drawable), gimp_drawable_has_alpha(drawable),
                                bits, bits == 32, gimp_drawable_get_format(drawable));
}

static void collect_layers(gint32 *ids, gint n, GArray *out)
{
    for (gint i = 0; i < n; i++) {
        if (gimp_item_is_group(ids[i])) {
            gint m;
            gint32 *children = gimp_item_get_children(ids[i], &m);
            collect_layers(children, m, out);
            g_free(children);
        } else {
            g_array_append_val(out, ids[i]);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Progress */

typedef struct {
    GtkWidget *dialog;   /* NULL when non-interactive */
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
        while (gtk_events_pending())
            gtk_main_iteration();
    }
    return ui && ui->cancel;
}

/* ------------------------------------------------------------------------ */
/* The upscale */

/* The context for the variant the content calls for (content.h's rule on
 * the JPEG quality GIMP kept and the layer's pixels); *why (g_free) says
 * which variant and why. */
static rfdn_context *context_for(const rfdn_plug_params *p, gint32 image, gint32 drawable,
                                 char **why_out, GError **error)
{
    GimpParasite *par = gimp_image_get_parasite(image, "jpeg-settings");
    GeglBuffer *buf = gimp_drawable_get_buffer(drawable);
    rfdn_context *ctx = rfdn_plug_context_for(p, par ? gimp_parasite_data(par) : NULL,
                                              par ? gimp_parasite_data_size(par) : 0, buf,
                                              why_out, error);
    g_object_unref(buf);
    if (par)
        gimp_parasite_free(par);
    return ctx;
}

static GimpPDBStatusType upscale(const rfdn_plug_params *p, gint32 image, gint32 drawable,
                                 GimpRunMode mode, run_ui *ui, gint32 *new_image,
                                 GError **error)
{
    *new_image = -1;
    /* the dialog's entries too: the settings table's ranges and messages */
    if (!rfdn_plug_params_validate(p, error))
        return GIMP_PDB_CALLING_ERROR;
    rfdn_context *ctx = NULL;
    GArray *layers = g_array_new(FALSE, FALSE, sizeof(gint32));
    if (p->output == RFDN_PLUG_IN_PLACE) {
        gint n;
        gint32 *ids = gimp_image_get_layers(image, &n);
        collect_layers(ids, n, layers);
        g_free(ids);
    } else {
        g_array_append_val(layers, drawable);
    }
    const int n = (int)layers->len;
    rfdn_plug_item **items = g_new0(rfdn_plug_item *, n ? n : 1);
    GimpPDBStatusType status = GIMP_PDB_EXECUTION_ERROR;
    gimp_progress_init_printf(_("Super-resolution (%s x%d)"), rfdn_plug_model_label(p->model),
                              p->scale);
    /* read every input first (main thread) */
    for (int i = 0; i < n; i++) {
        const gint32 id = g_array_index(layers, gint32, i);
        GeglBuffer *buf = gimp_drawable_get_buffer(id);
        GeglRectangle r = {0, 0, gimp_drawable_width(id), gimp_drawable_height(id)};
        rfdn_plug_layout l = layout_of(image, id);
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

    /* every result is there: now change the images */
    if (p->output == RFDN_PLUG_NEW_IMAGE) {
        const rfdn_plug_item *it = items[0];
        gint32 img = gimp_image_new_with_precision(it->ow, it->oh, gimp_image_base_type(image),
                                                   gimp_image_get_precision(image));
        gimp_image_undo_disable(img);
        gint32 layer = gimp_layer_new(img, gimp_item_get_name(drawable), it->ow, it->oh,
                                      gimp_drawable_type(drawable),
                                      gimp_item_is_layer(drawable) ? gimp_layer_get_opacity(drawable) : 100,
                                      GIMP_LAYER_MODE_NORMAL);
        gimp_image_insert_layer(img, layer, 0, 0);
        GeglBuffer *buf = gimp_drawable_get_buffer(layer);
        rfdn_plug_item_write(it, buf);
        g_object_unref(buf);
        /* as Image > Scale Image: same resolution (the print size grows)
         * and the same colour profile */
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
        const int w = gimp_image_width(image), h = gimp_image_height(image);
        /* scales every layer, mask, channel and path and the offsets by
         * exactly the factor; the layers' pixels are then replaced */
        gimp_image_scale(image, w * p->scale, h * p->scale);
        for (int i = 0; i < n; i++) {
            const gint32 id = g_array_index(layers, gint32, i);
            const rfdn_plug_item *it = items[i];
            if (gimp_drawable_width(id) != it->ow || gimp_drawable_height(id) != it->oh)
                gimp_layer_scale(id, it->ow, it->oh, FALSE);
            GeglBuffer *buf = gimp_drawable_get_buffer(id);
            rfdn_plug_item_write(it, buf);
            g_object_unref(buf);
            gimp_drawable_update(id, 0, 0, it->ow, it->oh);
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
    g_array_free(layers, TRUE);
    rfdn_context_free(ctx);
    return status;
}

/* ------------------------------------------------------------------------ */
/* Dialog */

/* the preview shows this many output pixels square: a region of
 * PREVIEW_OUT / scale input pixels */
#define PREVIEW_OUT 256

typedef struct {
    rfdn_plug_params *p;
    gint32 image, drawable;
    GtkWidget *dialog, *before, *after, *size_label, *note, *bar;
    GtkWidget *controls;
    run_ui ui;
    gboolean busy, dirty;
} dialog_state;

static GdkPixbuf *checkered(const guint8 *rgba, int w, int h, int zoom)
{
    GdkPixbuf *pb = gdk_pixbuf_new_from_data(rgba, GDK_COLORSPACE_RGB, TRUE, 8, w, h, w * 4,
                                             NULL, NULL);
    GdkPixbuf *o = gdk_pixbuf_composite_color_simple(pb, w * zoom, h * zoom, GDK_INTERP_NEAREST,
                                                     255, 8, 0xcccccc, 0x999999);
    g_object_unref(pb);
    return o;
}

static void update_size(dialog_state *s)
{
    const gboolean whole = s->p->output == RFDN_PLUG_IN_PLACE;
    const int w = whole ? gimp_image_width(s->image) : gimp_drawable_width(s->drawable);
    const int h = whole ? gimp_image_height(s->image) : gimp_drawable_height(s->drawable);
    char *t = g_strdup_printf(_("%d x %d pixels \342\206\222 %d x %d pixels"), w, h,
                              w * s->p->scale, h * s->p->scale);
    gtk_label_set_text(GTK_LABEL(s->size_label), t);
    g_free(t);
}

/* Before/after of a region at the drawable's centre, computed by the
 * engine in the worker thread (the dialog stays responsive). */
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
        const int dw = gimp_drawable_width(s->drawable), dh = gimp_drawable_height(s->drawable);
        const int edge = PREVIEW_OUT / s->p->scale;
        GeglRectangle r = {0, 0, MIN(dw, edge), MIN(dh, edge)};
        r.x = (dw - r.width) / 2;
        r.y = (dh - r.height) / 2;
        rfdn_plug_layout l = rfdn_plug_layout_for(FALSE, TRUE, 8, FALSE, NULL); /* sRGB u8 */
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
            rfdn_status st = rfdn_plug_job_wait(job, poll_progress, &s->ui, &err);
            if (st == RFDN_OK) {
                GdkPixbuf *a = checkered(it->out, it->ow, it->oh, 1);
                gtk_image_set_from_pixbuf(GTK_IMAGE(s->after), a);
                g_object_unref(a);
            }
            gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(s->bar), 0);
            gtk_progress_bar_set_text(GTK_PROGRESS_BAR(s->bar), "");
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

static GtkWidget *combo(dialog_state *s, GtkWidget *table, int row, const char *label,
                        gint32 *field, gboolean preview, ...)
{
    va_list ap;
    va_start(ap, preview);
    GtkWidget *c = g_object_new(GIMP_TYPE_INT_COMBO_BOX, NULL);
    const char *text;
    while ((text = va_arg(ap, const char *))) {
        gint v = va_arg(ap, gint);
        gimp_int_combo_box_append(GIMP_INT_COMBO_BOX(c), GIMP_INT_STORE_VALUE, v,
                                  GIMP_INT_STORE_LABEL, text, -1);
    }
    va_end(ap);
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(c), *field);
    g_object_set_data(G_OBJECT(c), "state", s);
    g_object_set_data(G_OBJECT(c), "preview", GINT_TO_POINTER(preview));
    g_signal_connect(c, "changed", G_CALLBACK(on_combo), field);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, row, label, 0.0, 0.5, c, 1, FALSE);
    return c;
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
        return TRUE; /* the preview first */
    GdkWindow *win = gtk_widget_get_window(s->dialog);
    gint w, h;
    gdk_drawable_get_size(win, &w, &h);
    GdkPixbuf *pb = gdk_pixbuf_get_from_drawable(NULL, win, NULL, 0, 0, 0, 0, w, h);
    if (pb) {
        gdk_pixbuf_save(pb, rfdn_plug_screenshot_path(), "png", NULL, NULL);
        g_object_unref(pb);
    }
    gtk_dialog_response(GTK_DIALOG(s->dialog), GTK_RESPONSE_CANCEL);
    return FALSE;
}

/* Shows the dialog; on OK runs the upscale with the dialog's progress bar
 * and Cancel.  Returns the run's status (CANCEL when dismissed). */
static GimpPDBStatusType dialog_run(rfdn_plug_params *p, gint32 image, gint32 drawable,
                                    gint32 *new_image, GError **error)
{
    gimp_ui_init(RFDN_PLUGIN_BINARY, FALSE);
    dialog_state s = {.p = p, .image = image, .drawable = drawable};
    s.dialog = gimp_dialog_new(_("Super-Resolution (RFDN)"), "rfdn-upscale", NULL, 0,
                               gimp_standard_help_func, RFDN_PROC_NAME, _("_Cancel"),
                               GTK_RESPONSE_CANCEL, _("_OK"), GTK_RESPONSE_OK, NULL);
    gimp_window_set_transient(GTK_WINDOW(s.dialog));
    GtkWidget *vbox = gtk_vbox_new(FALSE, 12);
    gtk_container_set_border_width(GTK_CONTAINER(vbox), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(s.dialog))), vbox, TRUE,
                       TRUE, 0);

    /* before / after */
    GtkWidget *hbox = gtk_hbox_new(FALSE, 12);
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

    GtkWidget *table = gtk_table_new(5, 2, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(table), 6);
    gtk_table_set_row_spacings(GTK_TABLE(table), 6);
    gtk_box_pack_start(GTK_BOX(vbox), table, FALSE, FALSE, 0);
    s.controls = table;
    combo(&s, table, 0, _("_Model:"), &p->model, TRUE, _("E-RFDN (faster, AIM 2020 winner)"),
          RFDN_PLUG_E_RFDN, _("RFDN"), RFDN_PLUG_RFDN, NULL);
    combo(&s, table, 1, _("_Scale:"), &p->scale, TRUE, "2\303\227", 2, "3\303\227", 3,
          "4\303\227", 4, NULL);
    combo(&s, table, 2, _("_Result:"), &p->output, FALSE, _("New image from this layer"),
          RFDN_PLUG_NEW_IMAGE, _("Scale the whole image (every layer)"), RFDN_PLUG_IN_PLACE,
          NULL);
    combo(&s, table, 3, _("_Transparency:"), &p->alpha, TRUE,
          _("Network (sharp edges)"), 0, _("Bicubic (smooth)"), 1, NULL);
    combo(&s, table, 4, _("_Content:"), &p->content, TRUE, _("Automatic"), RFDN_CONTENT_AUTO,
          _("Clean (lossless images, renders)"), RFDN_CONTENT_CLEAN,
          _("Photo (JPEG, camera and web pictures)"), RFDN_CONTENT_PHOTO, NULL);

    GtkWidget *adv = gtk_expander_new_with_mnemonic(_("_Advanced"));
    GtkWidget *t2 = gtk_table_new(2, 3, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(t2), 6);
    gtk_table_set_row_spacings(GTK_TABLE(t2), 6);
    /* the sliders cover the usual values; the entries take the settings
     * table's whole range */
    const rfdn_option *ti = rfdn_option_get(RFDN_OPT_TILE), *th = rfdn_option_get(RFDN_OPT_THREADS);
    GtkObject *adj = gimp_scale_entry_new(GTK_TABLE(t2), 0, 0, _("T_ile size:"), 160, 6, p->tile,
                                          0, 4096, 16, 128, 0, FALSE, ti->min, ti->max,
                                          _("Tile edge in pixels (0 = automatic)"), NULL);
    g_signal_connect(adj, "value-changed", G_CALLBACK(gimp_int_adjustment_update), &p->tile);
    adj = gimp_scale_entry_new(GTK_TABLE(t2), 0, 1, _("T_hreads:"), 160, 6, p->threads, 0, 64, 1,
                               4, 0, FALSE, th->min, th->max, _("Worker threads (0 = all cores)"),
                               NULL);
    g_signal_connect(adj, "value-changed", G_CALLBACK(gimp_int_adjustment_update), &p->threads);
    gtk_container_add(GTK_CONTAINER(adv), t2);
    gtk_box_pack_start(GTK_BOX(vbox), adv, FALSE, FALSE, 0);

    s.size_label = gtk_label_new("");
    gtk_misc_set_alignment(GTK_MISC(s.size_label), 0.0, 0.5);
    gtk_box_pack_start(GTK_BOX(vbox), s.size_label, FALSE, FALSE, 0);
    s.note = gtk_label_new("");
    gtk_label_set_line_wrap(GTK_LABEL(s.note), TRUE);
    gtk_misc_set_alignment(GTK_MISC(s.note), 0.0, 0.5);
    gtk_box_pack_start(GTK_BOX(vbox), s.note, FALSE, FALSE, 0);
    s.bar = gtk_progress_bar_new();
    gtk_box_pack_start(GTK_BOX(vbox), s.bar, FALSE, FALSE, 0);
    s.ui.dialog = s.dialog;
    s.ui.bar = s.bar;

    gtk_widget_show_all(s.dialog);
    while (gtk_events_pending())
        gtk_main_iteration();
    update_preview(&s);
    if (rfdn_plug_screenshot_path())
        g_timeout_add(500, take_screenshot, &s);

    GimpPDBStatusType status = GIMP_PDB_CANCEL;
    if (gimp_dialog_run(GIMP_DIALOG(s.dialog)) == GTK_RESPONSE_OK) {
        /* the run: controls off, the dialog's Cancel stops the engine */
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

static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals)
{
    static GimpParam values[2];
    *nreturn_vals = 1;
    *return_vals = values;
    values[0].type = GIMP_PDB_STATUS;
    values[0].data.d_status = GIMP_PDB_CALLING_ERROR;

    bindtextdomain(RFDN_GETTEXT_DOMAIN, LOCALEDIR);
    bind_textdomain_codeset(RFDN_GETTEXT_DOMAIN, "UTF-8");
    textdomain(RFDN_GETTEXT_DOMAIN);
    gegl_init(NULL, NULL);

    const GimpRunMode mode = nparams > 0 ? param[0].data.d_int32 : GIMP_RUN_NONINTERACTIVE;
    GError *error = NULL;
    GimpPDBStatusType status = GIMP_PDB_CALLING_ERROR;
    rfdn_plug_params p;
    rfdn_plug_params_default(&p);
    gint32 image = nparams > 1 ? param[1].data.d_image : -1;
    gint32 drawable = nparams > 2 ? param[2].data.d_drawable : -1;
    gint32 new_image = -1;

    if (strcmp(name, RFDN_PROC_NAME) || nparams < 3 ||
        (mode == GIMP_RUN_NONINTERACTIVE && nparams != 9)) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Wrong number of arguments (%d; expected 9)"), nparams);
        goto done;
    }
    if (!gimp_image_is_valid(image) || !gimp_item_is_valid(drawable) ||
        gimp_item_get_image(drawable) != image) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Invalid image or drawable"));
        goto done;
    }
    if (mode == GIMP_RUN_NONINTERACTIVE) {
        p.model = param[3].data.d_int32;
        p.scale = param[4].data.d_int32;
        p.output = param[5].data.d_int32;
        p.alpha = param[6].data.d_int32;
        p.tile = param[7].data.d_int32;
        p.threads = param[8].data.d_int32;
        if (!rfdn_plug_params_validate(&p, &error))
            goto done;
    } else {
        /* the values of the last run; for a first interactive run, the
         * arguments when a script passed valid ones */
        rfdn_plug_params last;
        if (gimp_get_data_size(RFDN_PROC_NAME) == sizeof last) {
            gimp_get_data(RFDN_PROC_NAME, &last);
            if (rfdn_plug_params_validate(&last, NULL))
                p = last;
        } else if (mode == GIMP_RUN_INTERACTIVE && nparams == 9) {
            last.model = param[3].data.d_int32;
            last.scale = param[4].data.d_int32;
            last.output = param[5].data.d_int32;
            last.alpha = param[6].data.d_int32;
            last.tile = param[7].data.d_int32;
            last.threads = param[8].data.d_int32;
            last.content = RFDN_CONTENT_AUTO;
            if (rfdn_plug_params_validate(&last, NULL))
                p = last;
        }
    }
    if (gimp_image_base_type(image) == GIMP_INDEXED) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Indexed images cannot be upscaled by a network: convert the image "
                      "with Image > Mode > RGB first"));
        goto done;
    }
    if (p.output == RFDN_PLUG_NEW_IMAGE && !gimp_item_is_layer(drawable)) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Select a layer (not a mask or channel) to upscale into a new image"));
        goto done;
    }
    if (mode == GIMP_RUN_INTERACTIVE)
        status = dialog_run(&p, image, drawable, &new_image, &error);
    else
        status = upscale(&p, image, drawable, mode, NULL, &new_image, &error);
    if (status == GIMP_PDB_SUCCESS && mode != GIMP_RUN_NONINTERACTIVE)
        gimp_set_data(RFDN_PROC_NAME, &p, sizeof p);

done:
    values[0].data.d_status = status;
    if (status == GIMP_PDB_SUCCESS) {
        *nreturn_vals = 2;
        values[1].type = GIMP_PDB_IMAGE;
        values[1].data.d_image = new_image;
    } else if (error) {
        if (mode == GIMP_RUN_INTERACTIVE)
            gimp_message(error->message);
        *nreturn_vals = 2;
        values[1].type = GIMP_PDB_STRING;
        values[1].data.d_string = g_strdup(error->message);
        g_error_free(error);
    }
}
