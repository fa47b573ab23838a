/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which weights a model holds (weights.h). */
#include "weights.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "modelpath.h"
#include "options.h"

/* what tools/train/train.py writes into "source" */
#define OWN_SOURCE "RFDN Upscaler project"

const char *rfdn_weights_whose(const rfdn_model *model, gboolean official)
{
    const char *src = rfdn_model_get_metadata(model, "source");
    if (src && g_str_has_prefix(src, OWN_SOURCE))
        return _("own weights");
    return official ? _("the authors' weights") : _("other weights");
}

gboolean rfdn_weights_is_official_path(const char *path)
{
    char *o = rfdn_official_model_path();
    GStatBuf a, b; /* (the same file by another name or a link: the same inode) */
    const gboolean same = o && path &&
                          (!strcmp(o, path) || (g_stat(o, &a) == 0 && g_stat(path, &b) == 0 &&
                                                a.st_dev == b.st_dev && a.st_ino == b.st_ino));
    g_free(o);
    return same;
}

char *rfdn_weights_describe(const rfdn_model *model, gboolean official)
{
    const char *arch = rfdn_model_get_metadata(model, "architecture");
    const char *variant = rfdn_model_get_metadata(model, "variant");
    rfdn_model_info info;
    rfdn_model_get_info(model, &info);
    const gboolean photo = variant && !strcmp(variant, "photo");
    /* TRANSLATORS: network, scale, "clean" or "photo", whose weights */
    return g_strdup_printf(_("%s x%d %s, %s"), rfdn_model_label(arch), info.scale,
                           photo ? _("photo") : _("clean"), rfdn_weights_whose(model, official));
}
