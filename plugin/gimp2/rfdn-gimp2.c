/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GIMP 2.10 plug-in: Filters > Enhance > Super-Resolution (RFDN).
 *
 * Procedure plug-in-rfdn-upscale (run-mode, image, drawable, model, scale,
 * output, alpha, tile-size, threads) -> new-image, its arguments made from
 * the parameter table (../common/plugin-params.h) as integer codes; the
 * content choice is the dialog's and the last values' (scripts get
 * automatic), so the PDB signature of GIMP 2.10 stays as it was.  The
 * dialog is built by hand (GTK 2) around the shared preview; the run is the
 * shared flow (../common/plugin-flow.h) over host2.c.
 */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include <glib/gi18n-lib.h>

#include "host2.h"
#include "plugin-preview.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/* run-mode, image, drawable, then the table's GIMP 2.10 arguments */
#define N_FIXED 3
#define N_ARGS (N_FIXED + RFDN_PLUG_N_PARAMS - 1)

static void query(void);
static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals);

const GimpPlugInInfo PLUG_IN_INFO = {NULL, NULL, query, run};

MAIN()

static void query(void)
{
    GimpParamDef args[N_ARGS] = {
        {GIMP_PDB_INT32, "run-mode",
         "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1), RUN-WITH-LAST-VALS (2) }"},
        {GIMP_PDB_IMAGE, "image", "Input image"},
        {GIMP_PDB_DRAWABLE, "drawable", "Input drawable (the layer for a new image)"},
    };
    int n = N_FIXED;
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++) {
        const rfdn_plug_param *d = rfdn_plug_param_get(i);
        if (d->gimp2)
            args[n++] = (GimpParamDef){GIMP_PDB_INT32, (gchar *)rfdn_plug_param_option(d)->key,
                                       rfdn_plug_param_gimp2_blurb(d)};
    }
    static const GimpParamDef rets[] = {
        {GIMP_PDB_IMAGE, "new-image", "The new image (-1 when the image was scaled in place)"},
    };
    gimp_plugin_domain_register(RFDN_GETTEXT_DOMAIN, LOCALEDIR);
    gimp_install_procedure(
        RFDN_PROC_NAME, N_("Enlarge with a super-resolution network (RFDN / E-RFDN)"),
        "Upscales the drawable (or every layer of the image) 2, 3 or 4 times with the RFDN or "
        "E-RFDN super-resolution network on the CPU. 8- and 16-bit images keep their integers; "
        "linear and floating-point images are processed in float.",
        "RFDN Upscaler developers", "GPL-3.0-or-later", "2026", N_("_Super-Resolution (RFDN)..."),
        "RGB*, GRAY*", GIMP_PLUGIN, n, G_N_ELEMENTS(rets), args, rets);
    gimp_plugin_menu_register(RFDN_PROC_NAME, "<Image>/Filters/Enhance");
    gimp_plugin_icon_register(RFDN_PROC_NAME, GIMP_ICON_TYPE_ICON_NAME,
                              (const guint8 *)GIMP_ICON_OBJECT_RESIZE);
    for (int i = N_FIXED; i < n; i++)
        g_free(args[i].description);
}

/* The table's GIMP 2.10 arguments from a call (content: automatic). */
static void read_args(const GimpParam *param, rfdn_plug_params *p)
{
    rfdn_plug_params_default(p);
    int k = N_FIXED;
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++) {
        const rfdn_plug_param *d = rfdn_plug_param_get(i);
        if (d->gimp2)
            *rfdn_plug_param_field(p, d) = param[k++].data.d_int32;
    }
}

/* ------------------------------------------------------------------------ */
/* Dialog */

typedef struct {
    rfdn_plug_preview *pv;
    const rfdn_plug_param *d;
} control;

static void on_combo(GtkWidget *w, gpointer data)
{
    control *c = data;
    gint v;
    if (gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(w), &v))
        *rfdn_plug_param_field(g_object_get_data(G_OBJECT(w), "params"), c->d) = v;
    rfdn_plug_preview_changed(c->pv, c->d);
}

/* A drop-down of the table's labels for a choice or an integer. */
static void add_combo(control *c, rfdn_plug_params *p, GtkWidget *table, int row)
{
    const rfdn_option *o = rfdn_plug_param_option(c->d);
    GtkWidget *w = g_object_new(GIMP_TYPE_INT_COMBO_BOX, NULL);
    for (int i = 0; c->d->labels[i]; i++)
        gimp_int_combo_box_append(GIMP_INT_COMBO_BOX(w), GIMP_INT_STORE_VALUE,
                                  o->choices ? i : o->min + i, GIMP_INT_STORE_LABEL,
                                  _(c->d->labels[i]), -1);
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(w), rfdn_plug_param_value(p, c->d));
    g_object_set_data(G_OBJECT(w), "params", p);
    g_signal_connect(w, "changed", G_CALLBACK(on_combo), c);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, row, _(c->d->mnemonic), 0.0, 0.5, w, 1, FALSE);
}

/* A slider over the usual values with an entry for the table's range. */
static void add_scale(const rfdn_plug_param *d, rfdn_plug_params *p, GtkWidget *table, int row)
{
    const rfdn_option *o = rfdn_plug_param_option(d);
    const gboolean tile = d->option == RFDN_OPT_TILE;
    GtkObject *adj = gimp_scale_entry_new(
        GTK_TABLE(table), 0, row, _(d->mnemonic), 160, 6, rfdn_plug_param_value(p, d), 0,
        tile ? 4096 : 64, tile ? 16 : 1, tile ? 128 : 4, 0, FALSE, o->min, o->max, _(o->summary),
        NULL);
    g_signal_connect(adj, "value-changed", G_CALLBACK(gimp_int_adjustment_update),
                     rfdn_plug_param_field(p, d));
}

/* Shows the dialog; on OK runs the upscale with the dialog's progress bar
 * and Cancel.  Returns the run's status (CANCEL when dismissed). */
static GimpPDBStatusType dialog_run(const rfdn_plug_host *h, rfdn_model_store *models,
                                    rfdn_plug_params *p, gpointer *new_image, GError **error)
{
    gimp_ui_init(RFDN_PLUGIN_BINARY, FALSE);
    GtkWidget *dlg = gimp_dialog_new(_("Super-Resolution (RFDN)"), "rfdn-upscale", NULL, 0,
                                     gimp_standard_help_func, RFDN_PROC_NAME, _("_Cancel"),
                                     GTK_RESPONSE_CANCEL, _("_OK"), GTK_RESPONSE_OK, NULL);
    gimp_window_set_transient(GTK_WINDOW(dlg));
    rfdn_plug_preview *pv = rfdn_plug_preview_new(h, p, models);
    GtkWidget *vbox = gtk_vbox_new(FALSE, 12);
    gtk_container_set_border_width(GTK_CONTAINER(vbox), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(dlg))), vbox, TRUE, TRUE,
                       0);
    gtk_box_pack_start(GTK_BOX(vbox), rfdn_plug_preview_images(pv), TRUE, TRUE, 0);
    GtkWidget *controls = gtk_vbox_new(FALSE, 12);
    int n_combos = 0;
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++)
        n_combos += rfdn_plug_param_get(i)->labels != NULL;
    GtkWidget *table = gtk_table_new(n_combos, 2, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(table), 6);
    gtk_table_set_row_spacings(GTK_TABLE(table), 6);
    GtkWidget *adv = gtk_expander_new_with_mnemonic(_("_Advanced"));
    GtkWidget *t2 = gtk_table_new(RFDN_PLUG_N_PARAMS - n_combos, 3, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(t2), 6);
    gtk_table_set_row_spacings(GTK_TABLE(t2), 6);
    control cs[RFDN_PLUG_N_PARAMS];
    int rows = 0, rows2 = 0;
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++) {
        cs[i] = (control){pv, rfdn_plug_param_get(i)};
        if (cs[i].d->labels)
            add_combo(&cs[i], p, table, rows++);
        else
            add_scale(cs[i].d, p, t2, rows2++);
    }
    gtk_container_add(GTK_CONTAINER(adv), t2);
    gtk_box_pack_start(GTK_BOX(controls), table, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(controls), adv, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(vbox), controls, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(vbox), rfdn_plug_preview_status(pv), FALSE, FALSE, 0);

    gtk_widget_show_all(dlg);
    while (gtk_events_pending())
        gtk_main_iteration();
    rfdn_plug_preview_changed(pv, NULL);
    rfdn_plug_preview_screenshot_later(pv, dlg);
    GimpPDBStatusType status = GIMP_PDB_CANCEL;
    gboolean again = TRUE;
    while (again && gimp_dialog_run(GIMP_DIALOG(dlg)) == GTK_RESPONSE_OK)
        status = rfdn_plug_preview_run(pv, dlg, controls, new_image, &again, error);
    gtk_widget_destroy(dlg);
    rfdn_plug_preview_free(pv);
    return status;
}

/* ------------------------------------------------------------------------ */

/* The parameters of a run that is not a script's: the values of the last
 * run; for a first interactive run, the arguments when a script passed
 * valid ones; else the defaults. */
static void last_values(GimpRunMode mode, gint nparams, const GimpParam *param,
                        rfdn_plug_params *p)
{
    rfdn_plug_params last;
    rfdn_plug_params_default(p);
    if (gimp_get_data_size(RFDN_PROC_NAME) == sizeof last) {
        gimp_get_data(RFDN_PROC_NAME, &last);
        if (rfdn_plug_params_validate(&last, NULL))
            *p = last;
    } else if (mode == GIMP_RUN_INTERACTIVE && nparams == N_ARGS) {
        read_args(param, &last);
        if (rfdn_plug_params_validate(&last, NULL))
            *p = last;
    }
}

static GimpPDBStatusType run_checked(GimpRunMode mode, gint nparams, const GimpParam *param,
                                     gint32 *new_image, GError **error)
{
    const gint32 image = param[1].data.d_image, drawable = param[2].data.d_drawable;
    if (!gimp_image_is_valid(image) || !gimp_item_is_valid(drawable) ||
        gimp_item_get_image(drawable) != image) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Invalid image or drawable"));
        return GIMP_PDB_CALLING_ERROR;
    }
    rfdn_plug_params p;
    if (mode == GIMP_RUN_NONINTERACTIVE) {
        read_args(param, &p);
        if (!rfdn_plug_params_validate(&p, error))
            return GIMP_PDB_CALLING_ERROR;
    } else {
        last_values(mode, nparams, param, &p);
    }
    const rfdn_plug_host h = rfdn_plug_host2(image, drawable);
    if (!rfdn_plug_check_target(&h, &p, error))
        return GIMP_PDB_CALLING_ERROR;
    /* one store for the preview and the run: the model loads once */
    rfdn_model_store *models = rfdn_model_store_new(NULL, NULL);
    gpointer out = NULL;
    GimpPDBStatusType status =
        mode == GIMP_RUN_INTERACTIVE ? dialog_run(&h, models, &p, &out, error)
                                     : rfdn_plug_upscale(&h, models, &p, mode, NULL, NULL, &out,
                                                         error);
    rfdn_model_store_free(models);
    *new_image = out ? GPOINTER_TO_INT(out) : -1;
    if (status == GIMP_PDB_SUCCESS && mode != GIMP_RUN_NONINTERACTIVE)
        gimp_set_data(RFDN_PROC_NAME, &p, sizeof p);
    return status;
}

static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals)
{
    static GimpParam values[2];
    *nreturn_vals = 1;
    *return_vals = values;
    bindtextdomain(RFDN_GETTEXT_DOMAIN, LOCALEDIR);
    bind_textdomain_codeset(RFDN_GETTEXT_DOMAIN, "UTF-8");
    textdomain(RFDN_GETTEXT_DOMAIN);
    gegl_init(NULL, NULL);
    const GimpRunMode mode = nparams > 0 ? param[0].data.d_int32 : GIMP_RUN_NONINTERACTIVE;
    GError *error = NULL;
    GimpPDBStatusType status = GIMP_PDB_CALLING_ERROR;
    gint32 new_image = -1;
    if (strcmp(name, RFDN_PROC_NAME) || nparams < N_FIXED ||
        (mode == GIMP_RUN_NONINTERACTIVE && nparams != N_ARGS))
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Wrong number of arguments (%d; expected %d)"), nparams, N_ARGS);
    else
        status = run_checked(mode, nparams, param, &new_image, &error);
    values[0].type = GIMP_PDB_STATUS;
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
