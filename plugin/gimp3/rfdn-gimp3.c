/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GIMP 3 plug-in: Filters > Enhance > Super-Resolution (RFDN).
 *
 * The procedure plug-in-rfdn-upscale on libgimp 3's GimpPlugIn /
 * GimpImageProcedure: its arguments made from the parameter table
 * (../common/plugin-params.h; model, output, alpha and content are choice
 * arguments, so scripts pass names such as "e-rfdn"), its dialog a
 * GimpProcedureDialog over them with the shared preview, and its run the
 * shared flow (../common/plugin-flow.h) over host3.c.
 */
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include <glib/gi18n-lib.h>

#include "host3.h"
#include "plugin-preview.h"

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

/* One argument from the table: a choice by name, or an integer; its nick
 * (the dialog's label) the table's mnemonic without the colon. */
static void add_argument(GimpProcedure *proc, const rfdn_plug_param *d)
{
    const rfdn_option *o = rfdn_plug_param_option(d);
    char *nick = g_strdup(_(d->mnemonic));
    const size_t n = strlen(nick);
    if (n && nick[n - 1] == ':')
        nick[n - 1] = '\0';
    if (!o->choices) {
        gimp_procedure_add_int_argument(proc, o->key, nick, _(o->summary), o->min, o->max,
                                        o->def, G_PARAM_READWRITE);
        g_free(nick);
        return;
    }
    GimpChoice *c = gimp_choice_new();
    for (int i = 0; o->choices[i]; i++)
        gimp_choice_add(c, o->choices[i], i, _(d->labels[i]), NULL);
    gimp_procedure_add_choice_argument(proc, o->key, nick, _(o->summary), c,
                                       o->choices[o->def], G_PARAM_READWRITE);
    g_free(nick);
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
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++)
        add_argument(p, rfdn_plug_param_get(i));
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

/* The parameters from the config (GIMP checked choices and ranges). */
static void read_config(GimpProcedureConfig *config, rfdn_plug_params *p)
{
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++) {
        const rfdn_plug_param *d = rfdn_plug_param_get(i);
        const rfdn_option *o = rfdn_plug_param_option(d);
        gint32 *v = rfdn_plug_param_field(p, d);
        if (o->choices)
            *v = gimp_procedure_config_get_choice_id(config, o->key);
        else
            g_object_get(config, o->key, v, NULL);
    }
}

typedef struct {
    GimpProcedureConfig *config;
    rfdn_plug_params *p;
    rfdn_plug_preview *pv;
} dialog_state;

static void on_notify(GObject *config, GParamSpec *pspec, gpointer data)
{
    dialog_state *s = data;
    read_config(s->config, s->p);
    rfdn_plug_preview_changed(s->pv, rfdn_plug_param_find(pspec->name));
}

/* The dialog made from the procedure's arguments: the preview above, the
 * drop-downs, tile size and threads under Advanced, the status below. */
static GtkWidget *make_dialog(GimpProcedure *procedure, GimpProcedureConfig *config,
                              rfdn_plug_preview *pv)
{
    GtkWidget *dlg = gimp_procedure_dialog_new(procedure, config, _("Super-Resolution (RFDN)"));
    GimpProcedureDialog *pd = GIMP_PROCEDURE_DIALOG(dlg);
    GtkWidget *content = gtk_dialog_get_content_area(GTK_DIALOG(dlg));
    gtk_box_pack_start(GTK_BOX(content), rfdn_plug_preview_images(pv), TRUE, TRUE, 0);
    /* the scale as a drop-down of its values, from the table's labels */
    const rfdn_plug_param *sc = rfdn_plug_param_find("scale");
    GimpIntStore *store = GIMP_INT_STORE(gimp_int_store_new_array(0, NULL));
    for (int i = 0; sc->labels[i]; i++) {
        GtkTreeIter it;
        gtk_list_store_append(GTK_LIST_STORE(store), &it);
        gtk_list_store_set(GTK_LIST_STORE(store), &it, GIMP_INT_STORE_VALUE,
                           rfdn_plug_param_option(sc)->min + i, GIMP_INT_STORE_LABEL,
                           sc->labels[i], -1);
    }
    gimp_procedure_dialog_get_int_combo(pd, "scale", store);
    g_object_unref(store);
    gimp_procedure_dialog_fill_box(pd, "advanced-box", "tile-size", "threads", NULL);
    gimp_procedure_dialog_get_label(pd, "advanced-title", _("_Advanced"), FALSE, TRUE);
    gimp_procedure_dialog_fill_expander(pd, "advanced", "advanced-title", FALSE, "advanced-box");
    gimp_procedure_dialog_fill_box(pd, "controls", "model", "scale", "output", "alpha",
                                   "content", "advanced", NULL);
    gimp_procedure_dialog_fill(pd, "controls", NULL);
    gtk_box_pack_start(GTK_BOX(content), rfdn_plug_preview_status(pv), FALSE, FALSE, 0);
    return dlg;
}

static GimpPDBStatusType dialog_run(GimpProcedure *procedure, GimpProcedureConfig *config,
                                    const rfdn_plug_host *h, rfdn_model_store *models,
                                    rfdn_plug_params *p, gpointer *new_image, GError **error)
{
    gimp_ui_init(RFDN_PLUGIN_BINARY);
    rfdn_plug_preview *pv = rfdn_plug_preview_new(h, p, models);
    GtkWidget *dlg = make_dialog(procedure, config, pv);
    dialog_state s = {config, p, pv};
    const gulong id = g_signal_connect(config, "notify", G_CALLBACK(on_notify), &s);
    gtk_widget_show_all(dlg);
    while (g_main_context_pending(NULL))
        g_main_context_iteration(NULL, FALSE);
    rfdn_plug_preview_changed(pv, NULL);
    rfdn_plug_preview_screenshot_later(pv, dlg);
    GimpPDBStatusType status = GIMP_PDB_CANCEL;
    gboolean again = TRUE;
    while (again && gimp_procedure_dialog_run(GIMP_PROCEDURE_DIALOG(dlg))) {
        read_config(config, p);
        GtkWidget *controls = gimp_procedure_dialog_get_widget(GIMP_PROCEDURE_DIALOG(dlg),
                                                               "controls", G_TYPE_NONE);
        status = rfdn_plug_preview_run(pv, dlg, controls, new_image, &again, error);
    }
    g_signal_handler_disconnect(config, id);
    gtk_widget_destroy(dlg);
    rfdn_plug_preview_free(pv);
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
    gpointer new_image = NULL;
    /* GIMP fills the config with the arguments, or for interactive and
     * last-values runs with the values of the last run */
    rfdn_plug_params p;
    read_config(config, &p);
    GimpDrawable *drawable = drawables ? drawables[0] : NULL;
    const rfdn_plug_host h = rfdn_plug_host3(image, drawable);
    if (!drawable || drawables[1]) {
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    _("Select exactly one layer"));
    } else if (rfdn_plug_params_validate(&p, &error) && rfdn_plug_check_target(&h, &p, &error)) {
        /* one store for the preview and the run: the model loads once */
        rfdn_model_store *models = rfdn_model_store_new(NULL, NULL);
        if (run_mode == GIMP_RUN_INTERACTIVE)
            status = dialog_run(procedure, config, &h, models, &p, &new_image, &error);
        else
            status = rfdn_plug_upscale(&h, models, &p, run_mode, NULL, NULL, &new_image, &error);
        rfdn_model_store_free(models);
    }
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
