/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The batch queue's row of batch-row.h. */
#include "batch-row.h"

#include <glib/gi18n.h>

enum { PROP_0, PROP_STATE, N_PROPS };
static GParamSpec *props[N_PROPS];

struct _RfdnBatchRow {
    GtkListBoxRow parent;
    GtkWidget *name_label, *state_label, *bar, *cancel_button;
    char *input, *rel, *output;
    RfdnBatchState state;
    GCancellable *cancellable;
};

G_DEFINE_TYPE(RfdnBatchRow, rfdn_batch_row, GTK_TYPE_LIST_BOX_ROW)

GType rfdn_batch_state_get_type(void)
{
    static gsize type;
    static const GEnumValue values[] = {
        {RFDN_BATCH_QUEUED, "RFDN_BATCH_QUEUED", "queued"},
        {RFDN_BATCH_RUNNING, "RFDN_BATCH_RUNNING", "running"},
        {RFDN_BATCH_DONE, "RFDN_BATCH_DONE", "done"},
        {RFDN_BATCH_FAILED, "RFDN_BATCH_FAILED", "failed"},
        {RFDN_BATCH_CANCELLED, "RFDN_BATCH_CANCELLED", "cancelled"},
        {RFDN_BATCH_SKIPPED, "RFDN_BATCH_SKIPPED", "skipped"},
        {0, NULL, NULL},
    };
    if (g_once_init_enter(&type))
        g_once_init_leave(&type, g_enum_register_static("RfdnBatchState", values));
    return type;
}

static void on_cancel_clicked(RfdnBatchRow *r)
{
    g_cancellable_cancel(r->cancellable);
}

static void rfdn_batch_row_get_property(GObject *o, guint id, GValue *v, GParamSpec *p)
{
    if (id == PROP_STATE)
        g_value_set_enum(v, RFDN_BATCH_ROW(o)->state);
    else
        G_OBJECT_WARN_INVALID_PROPERTY_ID(o, id, p);
}

static void rfdn_batch_row_finalize(GObject *o)
{
    RfdnBatchRow *r = RFDN_BATCH_ROW(o);
    g_free(r->input);
    g_free(r->rel);
    g_free(r->output);
    g_clear_object(&r->cancellable);
    G_OBJECT_CLASS(rfdn_batch_row_parent_class)->finalize(o);
}

static void rfdn_batch_row_class_init(RfdnBatchRowClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    oc->get_property = rfdn_batch_row_get_property;
    oc->finalize = rfdn_batch_row_finalize;
    props[PROP_STATE] = g_param_spec_enum("state", "State", "Where the image stands",
                                          RFDN_TYPE_BATCH_STATE, RFDN_BATCH_QUEUED,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
    g_object_class_install_properties(oc, N_PROPS, props);
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(k);
    gtk_widget_class_set_template_from_resource(wc, "/org/rfdn/Upscaler/batch-row.ui");
    gtk_widget_class_bind_template_child(wc, RfdnBatchRow, name_label);
    gtk_widget_class_bind_template_child(wc, RfdnBatchRow, state_label);
    gtk_widget_class_bind_template_child(wc, RfdnBatchRow, bar);
    gtk_widget_class_bind_template_child(wc, RfdnBatchRow, cancel_button);
    gtk_widget_class_bind_template_callback(wc, on_cancel_clicked);
}

static void rfdn_batch_row_init(RfdnBatchRow *r)
{
    gtk_widget_init_template(GTK_WIDGET(r));
    r->cancellable = g_cancellable_new();
}

GtkWidget *rfdn_batch_row_new(const char *input, const char *rel)
{
    RfdnBatchRow *r = g_object_new(RFDN_TYPE_BATCH_ROW, NULL);
    r->input = g_strdup(input);
    r->rel = g_strdup(rel);
    gtk_label_set_text(GTK_LABEL(r->name_label), rel);
    rfdn_batch_row_set_state(r, RFDN_BATCH_QUEUED, NULL);
    return GTK_WIDGET(r);
}

const char *rfdn_batch_row_get_input(RfdnBatchRow *r) { return r->input; }
const char *rfdn_batch_row_get_rel(RfdnBatchRow *r) { return r->rel; }
const char *rfdn_batch_row_get_output(RfdnBatchRow *r) { return r->output; }
RfdnBatchState rfdn_batch_row_get_state(RfdnBatchRow *r) { return r->state; }
GCancellable *rfdn_batch_row_get_cancellable(RfdnBatchRow *r) { return r->cancellable; }

void rfdn_batch_row_set_output(RfdnBatchRow *r, const char *output)
{
    g_free(r->output);
    r->output = g_strdup(output);
}

void rfdn_batch_row_set_state(RfdnBatchRow *r, RfdnBatchState state, const char *message)
{
    static const char *names[] = {N_("Queued"),    N_("Upscaling…"), N_("Done"), N_("Failed"),
                                  N_("Cancelled"), N_("Skipped: the result exists")};
    if (state == RFDN_BATCH_QUEUED && g_cancellable_is_cancelled(r->cancellable)) {
        g_object_unref(r->cancellable);
        r->cancellable = g_cancellable_new();
    }
    r->state = state;
    if (state == RFDN_BATCH_FAILED && message) {
        char *t = g_strdup_printf("%s: %s", _(names[state]), message);
        gtk_label_set_text(GTK_LABEL(r->state_label), t);
        g_free(t);
    } else {
        gtk_label_set_text(GTK_LABEL(r->state_label), _(names[state]));
    }
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(r->bar),
                                  state == RFDN_BATCH_DONE ? 1 : 0);
    gtk_widget_set_sensitive(r->cancel_button, state <= RFDN_BATCH_RUNNING);
    g_object_notify_by_pspec(G_OBJECT(r), props[PROP_STATE]);
}

void rfdn_batch_row_set_fraction(RfdnBatchRow *r, double fraction)
{
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(r->bar), fraction);
}
