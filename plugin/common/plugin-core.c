/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The layouts, items, variant choice and worker of plugin-core.h. */
#include "plugin-core.h"

#include <string.h>

#include <glib/gi18n-lib.h>


rfdn_content rfdn_plug_content(const rfdn_plug_params *p, const void *jpeg_settings,
                               size_t len, GeglBuffer *buffer, char **why)
{
    if (p->content != RFDN_CONTENT_AUTO) {
        *why = g_strdup_printf("%s model (content %s)", rfdn_content_name(p->content),
                               rfdn_content_name(p->content));
        return p->content;
    }
    const int q = rfdn_jpeg_settings_quality(jpeg_settings, len);
    if (!buffer || (q > 0 && q <= RFDN_CONTENT_JPEG_MAX_QUALITY))
        return rfdn_content_guess(q, NULL, why);
    /* the pixels: the middle of the layer, at most 1024 x 1024 and on the
     * 8-pixel grid of its origin, so the preview and the run decide alike */
    const GeglRectangle *e = gegl_buffer_get_extent(buffer);
    GeglRectangle r = {0, 0, MIN(e->width, 1024), MIN(e->height, 1024)};
    r.x = e->x + (e->width - r.width) / 2 / 8 * 8;
    r.y = e->y + (e->height - r.height) / 2 / 8 * 8;
    guint8 *px = g_try_malloc((gsize)r.width * r.height * 3 + 1);
    if (!px)
        return rfdn_content_guess(q, NULL, why);
    /* R'G'B': the luma is then the CLI's and the app's (content.c) */
    gegl_buffer_get(buffer, &r, 1.0, babl_format("R'G'B' u8"), px, r.width * 3,
                    GEGL_ABYSS_CLAMP);
    const rfdn_image im = {r.width, r.height, 3, RFDN_SAMPLE_U8, r.width * 3, px};
    const rfdn_content v = rfdn_content_guess(q, &im, why);
    g_free(px);
    return v;
}

rfdn_plug_layout rfdn_plug_layout_for(gboolean is_gray, gboolean has_alpha, int bits,
                                      gboolean linear_or_float, const Babl *space)
{
    rfdn_plug_layout l;
    const char *type = linear_or_float || (bits != 8 && bits != 16) ? "float"
                       : bits == 16                                ? "u16"
                                                                   : "u8";
    l.sample = !strcmp(type, "float") ? RFDN_SAMPLE_F32
               : !strcmp(type, "u16") ? RFDN_SAMPLE_U16
                                      : RFDN_SAMPLE_U8;
    l.channels = (is_gray ? 1 : 3) + (has_alpha ? 1 : 0);
    char name[32];
    g_snprintf(name, sizeof name, "%s %s",
               is_gray ? (has_alpha ? "Y'A" : "Y'") : (has_alpha ? "R'G'B'A" : "R'G'B'"), type);
    l.format = space ? babl_format_with_space(name, space) : babl_format(name);
    l.bpp = l.channels * (l.sample == RFDN_SAMPLE_U8 ? 1 : l.sample == RFDN_SAMPLE_U16 ? 2 : 4);
    return l;
}

rfdn_plug_item *rfdn_plug_item_new(GeglBuffer *buffer, const GeglRectangle *rect,
                                   const rfdn_plug_layout *layout, int scale, GError **error)
{
    rfdn_plug_item *it = g_new0(rfdn_plug_item, 1);
    it->layout = *layout;
    it->w = rect->width;
    it->h = rect->height;
    it->ow = rect->width * scale;
    it->oh = rect->height * scale;
    const gsize in_bytes = (gsize)it->w * it->h * layout->bpp;
    const gsize out_bytes = (gsize)it->ow * it->oh * layout->bpp;
    it->in = g_try_malloc(in_bytes ? in_bytes : 1);
    it->out = g_try_malloc(out_bytes ? out_bytes : 1);
    if (!it->in || !it->out) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                    _("Not enough memory for a %d x %d result"), it->ow, it->oh);
        rfdn_plug_item_free(it);
        return NULL;
    }
    gegl_buffer_get(buffer, rect, 1.0, layout->format, it->in, (gint)it->w * layout->bpp,
                    GEGL_ABYSS_NONE);
    return it;
}

void rfdn_plug_item_write(const rfdn_plug_item *it, GeglBuffer *buffer)
{
    GeglRectangle r = {0, 0, it->ow, it->oh};
    gegl_buffer_set(buffer, &r, 0, it->layout.format, it->out, (gint)it->ow * it->layout.bpp);
}

void rfdn_plug_item_free(rfdn_plug_item *it)
{
    if (!it)
        return;
    g_free(it->in);
    g_free(it->out);
    g_free(it);
}

/* ------------------------------------------------------------------------ */
/* Worker */

struct rfdn_plug_job {
    rfdn_context *ctx;
    rfdn_plug_item **items;
    int n;
    GThread *thread;
    gint done;          /* atomic: the worker finished */
    gint progress;      /* atomic: parts per million of the whole job */
    double base, weight; /* worker-side: fraction before the current item, its share */
    rfdn_status status;
    char *message;
};

static int job_progress(void *user, uint64_t done, uint64_t total)
{
    rfdn_plug_job *j = user;
    const double f = j->base + j->weight * (total ? (double)done / total : 1.0);
    g_atomic_int_set(&j->progress, (gint)(f * 1e6));
    return 0;
}

static gpointer job_thread(gpointer data)
{
    rfdn_plug_job *j = data;
    double total = 0;
    for (int i = 0; i < j->n; i++)
        total += (double)j->items[i]->ow * j->items[i]->oh;
    rfdn_context_set_progress(j->ctx, job_progress, j);
    j->status = RFDN_OK;
    for (int i = 0; i < j->n && j->status == RFDN_OK; i++) {
        const rfdn_plug_item *it = j->items[i];
        j->weight = total > 0 ? (double)it->ow * it->oh / total : 1.0 / j->n;
        rfdn_image in = {it->w, it->h, it->layout.channels, it->layout.sample,
                         (ptrdiff_t)it->w * it->layout.bpp, it->in};
        rfdn_image out = {it->ow, it->oh, it->layout.channels, it->layout.sample,
                          (ptrdiff_t)it->ow * it->layout.bpp, it->out};
        j->status = rfdn_upscale(j->ctx, &in, &out);
        if (j->status != RFDN_OK && j->status != RFDN_CANCELLED)
            j->message = g_strdup(rfdn_context_error(j->ctx));
        j->base += j->weight;
    }
    rfdn_context_set_progress(j->ctx, NULL, NULL);
    g_atomic_int_set(&j->done, 1);
    return NULL;
}

rfdn_plug_job *rfdn_plug_job_start(rfdn_context *ctx, rfdn_plug_item **items, int n)
{
    rfdn_plug_job *j = g_new0(rfdn_plug_job, 1);
    j->ctx = ctx;
    j->items = items;
    j->n = n;
    j->thread = g_thread_new("rfdn-upscale", job_thread, j);
    return j;
}

rfdn_status rfdn_plug_job_wait(rfdn_plug_job *j, rfdn_plug_poll_fn poll, gpointer user,
                               GError **error)
{
    gboolean cancelled = FALSE;
    while (!g_atomic_int_get(&j->done)) {
        const double f = g_atomic_int_get(&j->progress) / 1e6;
        if (poll && !cancelled && poll(user, f)) {
            cancelled = TRUE;
            rfdn_cancel(j->ctx);
        }
        g_usleep(40000);
    }
    g_thread_join(j->thread);
    if (poll && !cancelled)
        poll(user, 1.0);
    rfdn_status st = j->status;
    if (st != RFDN_OK && st != RFDN_CANCELLED)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s",
                    j->message ? j->message : rfdn_status_string(st));
    g_free(j->message);
    g_free(j);
    return st;
}

const char *rfdn_plug_screenshot_path(void)
{
    const char *p = g_getenv("RFDN_PLUGIN_SCREENSHOT");
    return p && *p ? p : NULL;
}
