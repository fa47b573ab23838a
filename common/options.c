/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The settings table of options.h. */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

static const char *const models[] = {"e-rfdn", "rfdn", NULL};
static const char *const contents[] = {"auto", "clean", "photo", NULL};
static const char *const alphas[] = {"network", "bicubic", NULL};
static const char *const existings[] = {"ask", "skip", "replace", "rename", NULL};

static const rfdn_option table[RFDN_OPT_COUNT] = {
    [RFDN_OPT_MODEL] = {"model", N_("Model"), N_("Network: e-rfdn or rfdn"), 0, 1, 0, 0, models,
                        N_("unknown model '%s' (e-rfdn or rfdn)")},
    [RFDN_OPT_SCALE] = {"scale", N_("Scale"), N_("Scale factor: 2, 3 or 4"), 2, 4, 4, 0, NULL,
                        N_("scale %s is not supported (2, 3 or 4)")},
    [RFDN_OPT_CONTENT] = {"content", N_("Content"),
                          N_("Model variant: auto (from the input), clean (lossless images) "
                             "or photo (JPEG, camera and web pictures)"),
                          0, 2, 0, 0, contents,
                          N_("content '%s' is not one of auto, clean, photo")},
    [RFDN_OPT_ALPHA] = {"alpha", N_("Transparency"),
                        N_("How transparency is upscaled: network or bicubic"), 0, 1, 0, 0,
                        alphas, N_("transparency mode '%s' is not one of network, bicubic")},
    [RFDN_OPT_EXISTING] = {"existing", N_("Existing results"),
                           N_("A result that exists already: ask, skip (leave it), replace "
                              "it or rename (keep both)"),
                           0, 3, 0, 0, existings,
                           N_("'%s' is not one of ask, skip, replace, rename")},
    [RFDN_OPT_THREADS] = {"threads", N_("Threads"), N_("Worker threads (0 = all cores)"), 0,
                          1024, 0, 0, NULL,
                          N_("thread count %s is out of range (0 = all cores, or 1 to 1024)")},
    [RFDN_OPT_TILE] = {"tile-size", N_("Tile size"),
                       N_("Tile edge in input pixels (0 = from the memory budget)"), 0, 100000, 0,
                       16, NULL,
                       N_("tile size %s is out of range (0 = automatic, or 16 to 100000)")},
    [RFDN_OPT_MEMORY] = {"memory-mib", N_("Memory budget"),
                         N_("Scratch memory budget in MiB"), 64, 1048576, 1024, 0, NULL,
                         N_("memory budget %s MiB is out of range (64 to 1048576)")},
};

const rfdn_option *rfdn_option_get(rfdn_option_id id)
{
    return id >= 0 && id < RFDN_OPT_COUNT ? &table[id] : NULL;
}

static void bad(const rfdn_option *o, const char *text, GError **error)
{
    /* the messages are the table's constants, each with one %s */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                g_dgettext(GETTEXT_PACKAGE, o->message), text);
#pragma GCC diagnostic pop
}

static gboolean in_range(const rfdn_option *o, long v)
{
    if (v == 0 && o->min_nonzero > 0)
        return TRUE;
    const long lo = o->min_nonzero > 0 ? o->min_nonzero : o->min;
    return v >= lo && v <= o->max;
}

gboolean rfdn_option_check_value(const rfdn_option *o, long value, GError **error)
{
    if (in_range(o, value))
        return TRUE;
    char text[24];
    g_snprintf(text, sizeof text, "%ld", value);
    bad(o, text, error);
    return FALSE;
}

gboolean rfdn_option_check_int(rfdn_option_id id, long value, GError **error)
{
    return rfdn_option_check_value(&table[id], value, error);
}

gboolean rfdn_option_parse_int(rfdn_option_id id, const char *text, int *value, GError **error)
{
    char *end;
    errno = 0;
    const long v = text ? strtol(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || !in_range(&table[id], v)) {
        bad(&table[id], text ? text : "", error);
        return FALSE;
    }
    *value = (int)v;
    return TRUE;
}

const char *rfdn_model_label(const char *name)
{
    return name && !strcmp(name, models[1]) ? "RFDN" : "E-RFDN";
}

int rfdn_option_choice(rfdn_option_id id, const char *name, GError **error)
{
    const char *const *c = table[id].choices;
    for (int i = 0; c && c[i]; i++)
        if (name && !strcmp(name, c[i]))
            return i;
    bad(&table[id], name ? name : "", error);
    return -1;
}
