/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plug-in procedure's parameters, declared once: both GIMP
 * registrations (GIMP 2.10's PDB arguments, GIMP 3's int and choice
 * arguments), both dialogs' controls and the validation are made from this
 * table.  Names, ranges, defaults and messages come from the settings table
 * every front end shares (common/options.h); only "output" is the
 * plug-ins' own.
 */
#ifndef RFDN_PLUGIN_PARAMS_H
#define RFDN_PLUGIN_PARAMS_H

#include <stddef.h>

#include <glib.h>

#include "options.h"

G_BEGIN_DECLS

enum { RFDN_PLUG_E_RFDN = 0, RFDN_PLUG_RFDN = 1 };
enum { RFDN_PLUG_NEW_IMAGE = 0, RFDN_PLUG_IN_PLACE = 1 };

/* The procedure's arguments after run-mode, image and drawable; also the
 * values remembered between runs (plain data: GIMP 2.10 stores its bytes). */
typedef struct {
    gint32 model;   /* RFDN_PLUG_E_RFDN or RFDN_PLUG_RFDN */
    gint32 scale;   /* 2, 3 or 4 */
    gint32 output;  /* RFDN_PLUG_NEW_IMAGE or RFDN_PLUG_IN_PLACE */
    gint32 alpha;   /* 0 network, 1 bicubic */
    gint32 tile;    /* tile edge in input pixels, 0 automatic */
    gint32 threads; /* 0 automatic */
    gint32 content; /* RFDN_CONTENT_AUTO, _CLEAN or _PHOTO (content.h) */
} rfdn_plug_params;

typedef struct {
    int option;    /* rfdn_option_id, or -1 for the plug-ins' own "output" */
    size_t offset;              /* its field in rfdn_plug_params */
    const char *mnemonic;      /* the dialogs' label ("_Model:", N_) */
    /* the dialogs' drop-down: one label per choice, or for an integer per
     * value from option->min (N_); NULL: a spin button */
    const char *const *labels;
    gboolean gimp2;   /* in GIMP 2.10's PDB signature (content is not) */
    gboolean preview; /* a change redraws the dialog's preview */
} rfdn_plug_param;

#define RFDN_PLUG_N_PARAMS 7

/* The table, in the procedure's argument order. */
const rfdn_plug_param *rfdn_plug_param_get(int i);
/* Its name (option->key), range, default and message. */
const rfdn_option *rfdn_plug_param_option(const rfdn_plug_param *d);
/* The entry of an argument name, or NULL. */
const rfdn_plug_param *rfdn_plug_param_find(const char *name);

gint32 *rfdn_plug_param_field(rfdn_plug_params *p, const rfdn_plug_param *d);
gint32 rfdn_plug_param_value(const rfdn_plug_params *p, const rfdn_plug_param *d);

void rfdn_plug_params_default(rfdn_plug_params *p);
/* FALSE with the settings table's message for the first bad argument. */
gboolean rfdn_plug_params_validate(const rfdn_plug_params *p, GError **error);

const char *rfdn_plug_model_name(gint32 model);  /* "e-rfdn" / "rfdn" */
const char *rfdn_plug_model_label(gint32 model); /* "E-RFDN" / "RFDN" */

/* GIMP 2.10's description of an argument: the option's summary and, for a
 * choice, its integer codes ("... { E-RFDN (0), RFDN (1) }"); g_free. */
char *rfdn_plug_param_gimp2_blurb(const rfdn_plug_param *d);

G_END_DECLS

#endif
