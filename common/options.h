/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The settings every front end offers, defined once: name, range, default
 * and the message for a bad value.  The CLI's options, the GIMP procedures'
 * arguments and their validation, the app's preferences and its GSettings
 * schema (generated from this table at build time) all read it, so they
 * accept and refuse the same values with the same words.
 */
#ifndef RFDN_OPTIONS_H
#define RFDN_OPTIONS_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    RFDN_OPT_MODEL = 0, /* choice: e-rfdn, rfdn */
    RFDN_OPT_SCALE,     /* 2..4 */
    RFDN_OPT_CONTENT,   /* choice: auto, clean, photo (content.h) */
    RFDN_OPT_ALPHA,     /* choice: network, bicubic */
    RFDN_OPT_EXISTING,  /* choice: ask, skip, replace, rename (rfdn_existing) */
    RFDN_OPT_THREADS,   /* 0 (all cores) .. 1024 */
    RFDN_OPT_TILE,      /* 0 (automatic) or 16 .. 100000 */
    RFDN_OPT_MEMORY,    /* MiB, 64 .. 1048576 */
    RFDN_OPT_COUNT
} rfdn_option_id;

typedef struct {
    const char *key;      /* GSettings key and GIMP argument name ("tile-size") */
    const char *label;    /* short, for dialogs (N_, translated by the caller) */
    const char *summary;  /* one line: what it is, its special values (N_) */
    int min, max, def;    /* integers: the range and default; choices: indexes */
    int min_nonzero;      /* > 0: besides 0, values start here (tile: 16) */
    const char *const *choices; /* NULL for integers; else NULL-terminated names */
    const char *message;  /* the one message for a bad value (N_; printf: the value) */
} rfdn_option;

/* What a batch does with a result that exists already (the choices of
 * RFDN_OPT_EXISTING, in their order; common/batchplan.c applies them).  The
 * CLI, which cannot ask, refuses such an output and says how to choose. */
typedef enum {
    RFDN_EXISTING_ASK = 0,
    RFDN_EXISTING_SKIP,    /* left as it is; its input not processed */
    RFDN_EXISTING_REPLACE, /* written over */
    RFDN_EXISTING_RENAME,  /* both kept: the new result as "NAME (2).png" */
} rfdn_existing;

/* The table, indexed by rfdn_option_id. */
const rfdn_option *rfdn_option_get(rfdn_option_id id);

/* Whether an integer is accepted; FALSE with the table's message (its
 * value quoted, translated in the GETTEXT_PACKAGE domain). */
gboolean rfdn_option_check_int(rfdn_option_id id, long value, GError **error);

/* The same for an option defined by a front end itself in this form (the
 * GIMP plug-ins' "output"). */
gboolean rfdn_option_check_value(const rfdn_option *o, long value, GError **error);

/* Parses a decimal integer (the CLI, the GIMP 2.10 dialog) and checks it:
 * the same message for text that is no number. */
gboolean rfdn_option_parse_int(rfdn_option_id id, const char *text, int *value, GError **error);

/* How the dialogs name a network: "E-RFDN" for "e-rfdn", "RFDN" for
 * "rfdn" (the paper's names). */
const char *rfdn_model_label(const char *name);

/* The index of a choice by name, or -1 with the table's message. */
int rfdn_option_choice(rfdn_option_id id, const char *name, GError **error);

G_END_DECLS

#endif
