/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences dialog of preferences.h. */
#include "preferences.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "options.h"

enum { SIG_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _RfdnPreferences {
    GtkDialog parent;
    GSettings *settings;
    GtkWidget *model_combo, *scale_combo, *alpha_combo, *threads_spin, *memory_spin, *tile_spin;
    GtkWidget *folder_button, *suffix_entry, *existing_combo, *smooth_check;
};

G_DEFINE_TYPE(RfdnPreferences, rfdn_preferences, GTK_TYPE_DIALOG)

char *rfdn_output_folder(GSettings *settings)
{
    char *f = g_settings_get_string(settings, "output-folder");
    if (!*f) {
        g_free(f);
        const char *pics = g_get_user_special_dir(G_USER_DIRECTORY_PICTURES);
        /* the same name in every language: results never land in two
         * folders as the language changes (issue 28) */
        f = g_build_filename(pics ? pics : g_get_home_dir(), "Upscaled", NULL);
    }
    return f;
}

void rfdn_show_output_folder(GSettings *settings, GtkFileChooser *chooser)
{
    char *set = g_settings_get_string(settings, "output-folder");
    char *dir = rfdn_output_folder(settings);
    if (*set)
        g_mkdir_with_parents(dir, 0777); /* chosen in the preferences */
    if (g_file_test(dir, G_FILE_TEST_IS_DIR))
        gtk_file_chooser_set_filename(chooser, dir);
    else
        gtk_file_chooser_unselect_all(chooser);
    g_free(dir);
    g_free(set);
}

static void on_folder_set(RfdnPreferences *p, GtkFileChooserButton *b)
{
    char *f = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(b));
    if (f)
        g_settings_set_string(p->settings, "output-folder", f);
    g_free(f);
}

static void rfdn_preferences_dispose(GObject *o)
{
    g_clear_object(&RFDN_PREFERENCES(o)->settings);
    G_OBJECT_CLASS(rfdn_preferences_parent_class)->dispose(o);
}

static void rfdn_preferences_class_init(RfdnPreferencesClass *k)
{
    G_OBJECT_CLASS(k)->dispose = rfdn_preferences_dispose;
    signals[SIG_REFUSED] = g_signal_new("refused", RFDN_TYPE_PREFERENCES, G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(k);
    gtk_widget_class_set_template_from_resource(wc, "/org/rfdn/Upscaler/preferences.ui");
#define CHILD(n) gtk_widget_class_bind_template_child(wc, RfdnPreferences, n)
    CHILD(model_combo);
    CHILD(scale_combo);
    CHILD(alpha_combo);
    CHILD(threads_spin);
    CHILD(memory_spin);
    CHILD(tile_spin);
    CHILD(folder_button);
    CHILD(suffix_entry);
    CHILD(existing_combo);
    CHILD(smooth_check);
#undef CHILD
    gtk_widget_class_bind_template_callback(wc, on_folder_set);
}

static void rfdn_preferences_init(RfdnPreferences *p)
{
    gtk_widget_init_template(GTK_WIDGET(p));
}

/* The spin buttons: the setting's integer as the adjustment's double, and
 * back only after the settings table's check. */
static gboolean spin_get(GValue *value, GVariant *variant, gpointer d)
{
    g_value_set_double(value, g_variant_get_int32(variant));
    return TRUE;
}

typedef struct {
    RfdnPreferences *p;
    rfdn_option_id id;
} spin_map;

static GVariant *spin_set(const GValue *value, const GVariantType *t, gpointer d)
{
    const spin_map *m = d;
    const long v = (long)g_value_get_double(value);
    GError *err = NULL;
    if (rfdn_option_check_int(m->id, v, &err))
        return g_variant_new_int32((int)v);
    g_signal_emit(m->p, signals[SIG_REFUSED], 0, err->message); /* the setting keeps its value */
    g_error_free(err);
    return NULL;
}

static void bind_spin(RfdnPreferences *p, GtkWidget *spin, rfdn_option_id id)
{
    const rfdn_option *o = rfdn_option_get(id);
    gtk_spin_button_set_range(GTK_SPIN_BUTTON(spin), o->min, o->max);
    gtk_spin_button_set_increments(GTK_SPIN_BUTTON(spin), 1, 16);
    gtk_widget_set_tooltip_text(spin, _(o->summary));
    spin_map *m = g_new(spin_map, 1);
    *m = (spin_map){p, id};
    g_settings_bind_with_mapping(p->settings, o->key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                 spin_get, spin_set, m, g_free);
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
    return g_variant_new_int32(s ? atoi(s) : rfdn_option_get(RFDN_OPT_SCALE)->def);
}

GtkWidget *rfdn_preferences_new(GtkWindow *parent, GSettings *settings)
{
    RfdnPreferences *p = g_object_new(RFDN_TYPE_PREFERENCES, "transient-for", parent,
                                      "use-header-bar", FALSE, NULL);
    p->settings = g_object_ref(settings);
    g_settings_bind(settings, "model", p->model_combo, "active-id", G_SETTINGS_BIND_DEFAULT);
    g_settings_bind_with_mapping(settings, "scale", p->scale_combo, "active-id",
                                 G_SETTINGS_BIND_DEFAULT, scale_get, scale_set, NULL, NULL);
    g_settings_bind(settings, "alpha", p->alpha_combo, "active-id", G_SETTINGS_BIND_DEFAULT);
    bind_spin(p, p->threads_spin, RFDN_OPT_THREADS);
    bind_spin(p, p->memory_spin, RFDN_OPT_MEMORY);
    bind_spin(p, p->tile_spin, RFDN_OPT_TILE);
    rfdn_show_output_folder(settings, GTK_FILE_CHOOSER(p->folder_button));
    g_settings_bind(settings, "suffix", p->suffix_entry, "text", G_SETTINGS_BIND_DEFAULT);
    g_settings_bind(settings, "existing", p->existing_combo, "active-id",
                    G_SETTINGS_BIND_DEFAULT);
    g_settings_bind(settings, "smooth-original", p->smooth_check, "active",
                    G_SETTINGS_BIND_DEFAULT);
    g_signal_connect(p, "response", G_CALLBACK(gtk_widget_destroy), NULL);
    return GTK_WIDGET(p);
}
