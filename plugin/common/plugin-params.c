/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter table of plugin-params.h. */
#include "plugin-params.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* the one option only the plug-ins have: where the result goes */
static const char *const outputs[] = {"new-image", "in-place", NULL};
static const rfdn_option output_option = {
    "output", N_("Result"),
    N_("Where the result goes: new-image (the layer upscaled in a new image) or in-place (the "
       "whole image scaled, every layer upscaled, in one undo step)"),
    0, 1, RFDN_PLUG_NEW_IMAGE, 0, outputs,
    N_("result mode '%s' is not one of new-image, in-place")};

static const char *const model_labels[] = {N_("E-RFDN (faster, AIM 2020 winner)"), N_("RFDN"),
                                           NULL};
static const char *const scale_labels[] = {"2\303\227", "3\303\227", "4\303\227", NULL};
static const char *const output_labels[] = {N_("New image from this layer"),
                                            N_("Scale the whole image (every layer)"), NULL};
static const char *const alpha_labels[] = {N_("Network (sharp edges)"), N_("Bicubic (smooth)"),
                                           NULL};
static const char *const content_labels[] = {N_("Automatic"),
                                             N_("Clean (lossless images, renders)"),
                                             N_("Photo (JPEG, camera and web pictures)"), NULL};

#define F(field) offsetof(rfdn_plug_params, field)
static const rfdn_plug_param table[RFDN_PLUG_N_PARAMS] = {
    {RFDN_OPT_MODEL, F(model), N_("_Model:"), model_labels, TRUE, TRUE},
    {RFDN_OPT_SCALE, F(scale), N_("_Scale:"), scale_labels, TRUE, TRUE},
    {-1, F(output), N_("_Result:"), output_labels, TRUE, FALSE},
    {RFDN_OPT_ALPHA, F(alpha), N_("_Transparency:"), alpha_labels, TRUE, TRUE},
    {RFDN_OPT_TILE, F(tile), N_("T_ile size (0 = automatic):"), NULL, TRUE, FALSE},
    {RFDN_OPT_THREADS, F(threads), N_("T_hreads (0 = all cores):"), NULL, TRUE, FALSE},
    {RFDN_OPT_CONTENT, F(content), N_("_Content:"), content_labels, FALSE, TRUE},
};

const rfdn_plug_param *rfdn_plug_param_get(int i)
{
    return i >= 0 && i < RFDN_PLUG_N_PARAMS ? &table[i] : NULL;
}

const rfdn_option *rfdn_plug_param_option(const rfdn_plug_param *d)
{
    return d->option < 0 ? &output_option : rfdn_option_get((rfdn_option_id)d->option);
}

const rfdn_plug_param *rfdn_plug_param_find(const char *name)
{
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++)
        if (name && !strcmp(rfdn_plug_param_option(rfdn_plug_param_get(i))->key, name))
            return rfdn_plug_param_get(i);
    return NULL;
}

gint32 *rfdn_plug_param_field(rfdn_plug_params *p, const rfdn_plug_param *d)
{
    return (gint32 *)((char *)p + d->offset);
}

gint32 rfdn_plug_param_value(const rfdn_plug_params *p, const rfdn_plug_param *d)
{
    return *(const gint32 *)((const char *)p + d->offset);
}

void rfdn_plug_params_default(rfdn_plug_params *p)
{
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++) {
        const rfdn_plug_param *d = rfdn_plug_param_get(i);
        *rfdn_plug_param_field(p, d) = rfdn_plug_param_option(d)->def;
    }
}

gboolean rfdn_plug_params_validate(const rfdn_plug_params *p, GError **error)
{
    /* a choice too (GIMP 2.10 passes its code): the range of its codes, and
     * the message quotes the code */
    for (int i = 0; i < RFDN_PLUG_N_PARAMS; i++) {
        const rfdn_plug_param *d = rfdn_plug_param_get(i);
        if (!rfdn_option_check_value(rfdn_plug_param_option(d), rfdn_plug_param_value(p, d),
                                     error))
            return FALSE;
    }
    return TRUE;
}

const char *rfdn_plug_model_name(gint32 model)
{
    return rfdn_option_get(RFDN_OPT_MODEL)->choices[model == RFDN_PLUG_RFDN];
}

const char *rfdn_plug_model_label(gint32 model)
{
    return rfdn_model_label(rfdn_plug_model_name(model));
}

char *rfdn_plug_param_gimp2_blurb(const rfdn_plug_param *d)
{
    const rfdn_option *o = rfdn_plug_param_option(d);
    GString *s = g_string_new(o->summary);
    for (int i = 0; o->choices && o->choices[i]; i++) {
        char *up = g_ascii_strup(o->choices[i], -1);
        g_string_append_printf(s, "%s%s (%d)", i ? ", " : " { ", up, i);
        g_free(up);
    }
    if (o->choices)
        g_string_append(s, " }");
    return g_string_free(s, FALSE);
}
