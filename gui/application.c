/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application of application.h: its actions, accelerators and life. */
#include "application.h"

#include <glib/gi18n.h>

#include "imageio.h"
#include "modelstore.h"
#include "window.h"

struct _RfdnApplication {
    GtkApplication parent;
    GSettings *settings;
    rfdn_model_store *store;
    RfdnWindow *win;
};

G_DEFINE_TYPE(RfdnApplication, rfdn_application, GTK_TYPE_APPLICATION)

#define WIN(d) (RFDN_APPLICATION(d)->win)

static void act_open(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_choose_files(WIN(d), FALSE);
}

static void act_open_folder(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_choose_files(WIN(d), TRUE);
}

static void act_open_file(GSimpleAction *a, GVariant *p, gpointer d)
{
    char *v[] = {(char *)g_variant_get_string(p, NULL)};
    rfdn_window_open_paths(WIN(d), v, 1);
}

static void act_open_batch(GSimpleAction *a, GVariant *p, gpointer d)
{
    gsize n;
    const char **v = g_variant_get_strv(p, &n);
    rfdn_window_open_batch(WIN(d), (char **)v, (int)n);
    g_free(v);
}

static void act_upscale(GSimpleAction *a, GVariant *p, gpointer d) { rfdn_window_upscale(WIN(d)); }
static void act_batch_start(GSimpleAction *a, GVariant *p, gpointer d) { rfdn_window_start_batch(WIN(d)); }
static void act_cancel(GSimpleAction *a, GVariant *p, gpointer d) { rfdn_window_cancel(WIN(d)); }

static void act_answer_existing(GSimpleAction *a, GVariant *p, gpointer d)
{
    const char *choice;
    gboolean remember;
    g_variant_get(p, "(&sb)", &choice, &remember);
    rfdn_window_answer_existing(WIN(d), choice, remember);
}
static void act_save_as(GSimpleAction *a, GVariant *p, gpointer d) { rfdn_window_save_as(WIN(d)); }
static void act_paste(GSimpleAction *a, GVariant *p, gpointer d) { rfdn_window_paste(WIN(d)); }
static void act_copy(GSimpleAction *a, GVariant *p, gpointer d) { rfdn_window_copy(WIN(d)); }

static void act_save_to(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_save_to(WIN(d), g_variant_get_string(p, NULL));
}

static void act_save_second_to(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_save_second_to(WIN(d), g_variant_get_string(p, NULL));
}

static void act_set_model(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_set_model(WIN(d), g_variant_get_string(p, NULL));
}

static void act_set_scale(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_set_scale(WIN(d), g_variant_get_int32(p));
}

/* set-content ("auto", "clean" or "photo"), checked by the settings table */
static void act_set_content(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_set_content(WIN(d), g_variant_get_string(p, NULL));
}

static void act_zoom(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_zoom(WIN(d), g_action_get_name(G_ACTION(a)));
}

static void on_toggle_changed(GSimpleAction *a, GVariant *v, gpointer d)
{
    g_simple_action_set_state(a, v);
    const char *name = g_action_get_name(G_ACTION(a));
    if (!strcmp(name, "split"))
        rfdn_window_set_split(WIN(d), g_variant_get_boolean(v));
    else if (!strcmp(name, "compare-variants"))
        rfdn_window_set_compare(WIN(d), g_variant_get_boolean(v));
    else
        rfdn_window_set_smooth(WIN(d), g_variant_get_boolean(v));
}

/* Test hook and a feature for bug reports: the window (or the preferences,
 * when open) as a PNG file. */
static void act_screenshot(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_screenshot(WIN(d), g_variant_get_string(p, NULL));
}

static void act_preferences(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_show_preferences(WIN(d));
}

static void act_close_preferences(GSimpleAction *a, GVariant *p, gpointer d)
{
    rfdn_window_close_preferences(WIN(d));
}

/* set-preference (key, value): what typing the value into the preferences
 * does, for scripts and tests */
static void act_set_preference(GSimpleAction *a, GVariant *p, gpointer d)
{
    const char *key, *value;
    g_variant_get(p, "(&s&s)", &key, &value);
    rfdn_window_set_preference(WIN(d), key, value);
}

static void act_about(GSimpleAction *a, GVariant *p, gpointer d)
{
    const char *authors[] = {"RFDN Upscaler developers", NULL};
    gtk_show_about_dialog(GTK_WINDOW(WIN(d)), "program-name", _("RFDN Upscaler"), "version",
                          RFDN_UPSCALER_VERSION, "comments",
                          _("Image super-resolution on the CPU with RFDN and E-RFDN.\n"
                            "Networks: Jie Liu, Jie Tang, Gangshan Wu, \"Residual Feature "
                            "Distillation Network for Lightweight Image Super-Resolution\" "
                            "(AIM 2020)."),
                          "license-type", GTK_LICENSE_GPL_3_0, "logo-icon-name", RFDN_APP_ID,
                          "authors", authors, NULL);
}

static void act_quit(GSimpleAction *a, GVariant *p, gpointer d)
{
    /* (a quit during another quit's stop: that one destroys the window) */
    if (WIN(d) && rfdn_window_stop(WIN(d)) && WIN(d))
        gtk_widget_destroy(GTK_WIDGET(WIN(d)));
}

static const GActionEntry entries[] = {
    {"open", act_open},
    {"open-folder", act_open_folder},
    {"open-file", act_open_file, "s"},
    {"open-batch", act_open_batch, "as"},
    {"upscale", act_upscale},
    {"batch-start", act_batch_start},
    {"answer-existing", act_answer_existing, "(sb)"},
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
    {"compare-variants", NULL, NULL, "false", on_toggle_changed},
    {"save-second-to", act_save_second_to, "s"},
    {"screenshot", act_screenshot, "s"},
    {"preferences", act_preferences},
    {"close-preferences", act_close_preferences},
    {"set-preference", act_set_preference, "(ss)"},
    {"about", act_about},
    {"quit", act_quit},
};

static void set_accels(GtkApplication *app)
{
    static const struct {
        const char *action, *accels[4];
    } accels[] = {
        {"app.open", {"<Primary>o", NULL}},
        {"app.open-folder", {"<Primary><Shift>o", NULL}},
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
        gtk_application_set_accels_for_action(app, accels[i].action, accels[i].accels);
}

static void rfdn_application_startup(GApplication *app)
{
    G_APPLICATION_CLASS(rfdn_application_parent_class)->startup(app);
    RfdnApplication *self = RFDN_APPLICATION(app);
    GError *err = NULL;
    if (!rfdn_io_init("rfdn-upscaler", &err)) {
        g_printerr("%s\n", err->message);
        g_error_free(err);
    }
    self->settings = g_settings_new(RFDN_APP_ID);
    self->store = rfdn_model_store_new(NULL, NULL);
    g_action_map_add_action_entries(G_ACTION_MAP(app), entries, G_N_ELEMENTS(entries), app);
    set_accels(GTK_APPLICATION(app));
    self->win = rfdn_window_new(GTK_APPLICATION(app), self->settings, self->store);
    /* NULL once the window is gone (quit destroys it) */
    g_object_add_weak_pointer(G_OBJECT(self->win), (gpointer *)&self->win);
    /* the toggles' states from the settings the window applied */
    g_action_change_state(g_action_map_lookup_action(G_ACTION_MAP(app), "split"),
                          g_variant_new_boolean(g_settings_get_boolean(self->settings,
                                                                       "split-view")));
    g_action_change_state(g_action_map_lookup_action(G_ACTION_MAP(app), "smooth"),
                          g_variant_new_boolean(g_settings_get_boolean(self->settings,
                                                                       "smooth-original")));
}

static void rfdn_application_activate(GApplication *app)
{
    gtk_window_present(GTK_WINDOW(RFDN_APPLICATION(app)->win));
}

static void rfdn_application_open(GApplication *app, GFile **files, gint n, const gchar *hint)
{
    RfdnApplication *self = RFDN_APPLICATION(app);
    gtk_window_present(GTK_WINDOW(self->win));
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n; i++) {
        char *p = g_file_get_path(files[i]);
        if (p)
            g_ptr_array_add(paths, p);
    }
    rfdn_window_open_paths(self->win, (char **)paths->pdata, (int)paths->len);
    g_ptr_array_free(paths, TRUE);
}

static void rfdn_application_shutdown(GApplication *app)
{
    RfdnApplication *self = RFDN_APPLICATION(app);
    /* the window (destroyed by quit, or here) stops its runs first */
    if (self->win)
        gtk_widget_destroy(GTK_WIDGET(self->win));
    rfdn_model_store_free(self->store);
    self->store = NULL;
    g_clear_object(&self->settings);
    rfdn_io_shutdown();
    G_APPLICATION_CLASS(rfdn_application_parent_class)->shutdown(app);
}

static void rfdn_application_class_init(RfdnApplicationClass *k)
{
    GApplicationClass *ac = G_APPLICATION_CLASS(k);
    ac->startup = rfdn_application_startup;
    ac->activate = rfdn_application_activate;
    ac->open = rfdn_application_open;
    ac->shutdown = rfdn_application_shutdown;
}

static void rfdn_application_init(RfdnApplication *self)
{
}

RfdnApplication *rfdn_application_new(void)
{
    return g_object_new(RFDN_TYPE_APPLICATION, "application-id", RFDN_APP_ID, "flags",
                        G_APPLICATION_HANDLES_OPEN, NULL);
}
