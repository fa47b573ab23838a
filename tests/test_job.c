/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common/job.c, the app's runs, on a GLib main loop: an image job's result
 * equals a direct rfdn_upscale, its "tile-ready" rectangles cover the
 * output exactly once and all arrive before the end, its progress ends at
 * 1, its first pass is reported at the region's place; a cancel from the
 * main loop ends it CANCELLED; a file job loads, asks for its context in
 * the worker, saves, refuses to overwrite, and reports a corrupt file as
 * an error.  Threaded: also run under ThreadSanitizer.
 *   test_job MODEL.safetensors TMPDIR [--image-only]
 * --image-only (the ThreadSanitizer run): no file jobs, whose libvips and
 * libpng threads synchronise through GLib's futexes, which ThreadSanitizer
 * does not see (reports inside those libraries, not about this code).
 */
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "job.h"
#include "okcheck.h"

typedef struct {
    GMainLoop *loop;
    rfdn_status status;
    char *error;
    guint8 *covered; /* per output pixel: how many tiles covered it */
    int ow;
    int tiles, first_x, first_y, first_w;
    double last_progress;
    gboolean progress_after_end, cancel_at_tile;
    GCancellable *cancel;
    gboolean ended;
} run;

static void on_tile(RfdnJob *j, int x, int y, int w, int h, gpointer data)
{
    run *r = data;
    r->tiles++;
    r->progress_after_end |= r->ended;
    for (int yy = y; yy < y + h; yy++)
        for (int xx = x; xx < x + w; xx++)
            r->covered[(size_t)yy * r->ow + xx]++;
    if (r->cancel_at_tile)
        g_cancellable_cancel(r->cancel);
}

static void on_first(RfdnJob *j, gpointer region, int x, int y, gpointer data)
{
    run *r = data;
    r->first_x = x;
    r->first_y = y;
    r->first_w = ((const rfdn_io_image *)region)->width;
}

static void on_progress(RfdnJob *j, double f, gpointer data)
{
    ((run *)data)->last_progress = f;
}

static void on_done(GObject *src, GAsyncResult *res, gpointer data)
{
    run *r = data;
    GError *err = NULL;
    r->status = rfdn_job_finish(RFDN_JOB(src), res, &err);
    r->error = err ? g_strdup(err->message) : NULL;
    g_clear_error(&err);
    r->ended = TRUE;
    g_main_loop_quit(r->loop);
}

static void run_job(RfdnJob *job, run *r)
{
    r->loop = g_main_loop_new(NULL, FALSE);
    if (!r->cancel)
        r->cancel = g_cancellable_new();
    rfdn_job_run_async(job, r->cancel, on_done, r);
    g_main_loop_run(r->loop);
    g_main_loop_unref(r->loop);
}

static rfdn_io_image *noise(int w, int h)
{
    rfdn_io_image *im = rfdn_io_new(w, h, 3, 8, NULL);
    guint32 s = 7;
    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        ((guint8 *)im->pixels)[i] = (guint8)((s = s * 1103515245u + 12345u) >> 24);
    return im;
}

static void image_jobs(rfdn_model *m)
{
    rfdn_settings set;
    rfdn_settings_default(&set);
    set.tile_size = 24;
    set.threads = 2;
    rfdn_context *ctx;
    rfdn_context_create(m, &set, &ctx);
    rfdn_model_info info;
    rfdn_model_get_info(m, &info);
    const int w = 70, h = 50, s = info.scale;
    rfdn_io_image *in = noise(w, h), *out = rfdn_io_new(w * s, h * s, 3, 8, NULL);
    rfdn_io_image *ref = rfdn_io_new(w * s, h * s, 3, 8, NULL);
    const rfdn_image ri = rfdn_io_engine_image(in), ro = rfdn_io_engine_image(ref);
    rfdn_upscale(ctx, &ri, &ro);

    run r = {.ow = w * s, .covered = g_malloc0((size_t)w * s * h * s)};
    RfdnJob *job = rfdn_job_new_image(ctx, in, out);
    rfdn_job_set_first_pass(job, 10, 8, 20, 16);
    g_signal_connect(job, "tile-ready", G_CALLBACK(on_tile), &r);
    g_signal_connect(job, "first-pass", G_CALLBACK(on_first), &r);
    g_signal_connect(job, "progress", G_CALLBACK(on_progress), &r);
    run_job(job, &r);
    CHECK(r.status == RFDN_OK, "image job: ends OK (%d)", r.status);
    CHECK(!memcmp(out->pixels, ref->pixels, (size_t)w * s * h * s * 3),
          "... its result equals a direct rfdn_upscale");
    gboolean once = TRUE;
    for (size_t i = 0; i < (size_t)w * s * h * s; i++)
        once &= r.covered[i] == 1;
    CHECK(once && r.tiles > 1, "... its %d tiles cover the output exactly once", r.tiles);
    CHECK(!r.progress_after_end, "... all reported before the end");
    CHECK(r.last_progress == 1.0, "... progress ends at 1 (%.3f)", r.last_progress);
    CHECK(r.first_x == 10 * s && r.first_y == 8 * s && r.first_w == 20 * s,
          "... the first pass at the region's place (%d, %d, width %d)", r.first_x, r.first_y,
          r.first_w);
    g_object_unref(job);
    g_object_unref(r.cancel);

    run c = {.ow = w * s, .covered = g_malloc0((size_t)w * s * h * s), .cancel_at_tile = TRUE};
    job = rfdn_job_new_image(ctx, in, out);
    g_signal_connect(job, "tile-ready", G_CALLBACK(on_tile), &c);
    run_job(job, &c);
    CHECK(c.status == RFDN_CANCELLED && c.tiles < r.tiles,
          "cancelled at its first tile: ends CANCELLED (%d) after %d of %d tiles", c.status,
          c.tiles, r.tiles);
    g_object_unref(job);
    g_object_unref(c.cancel);

    /* a job whose cancellable is cancelled before it starts */
    run p = {.cancel = g_cancellable_new()};
    g_cancellable_cancel(p.cancel);
    job = rfdn_job_new_image(ctx, in, out);
    run_job(job, &p);
    CHECK(p.status == RFDN_CANCELLED, "cancelled before the start: CANCELLED (%d)", p.status);
    g_object_unref(job);
    g_object_unref(p.cancel);
    g_free(r.covered);
    g_free(c.covered);
    rfdn_io_image_free(in);
    rfdn_io_image_free(out);
    rfdn_io_image_free(ref);
    rfdn_context_free(ctx);
}

typedef struct {
    rfdn_context *ctx;
    int calls;
    GThread *caller;
} chooser;

static rfdn_context *choose(gpointer user, const char *path, const rfdn_io_image *im, char **why,
                            GError **error)
{
    chooser *c = user;
    c->calls++;
    c->caller = g_thread_self();
    *why = g_strdup("chosen");
    return c->ctx;
}

static void file_jobs(rfdn_model *m, const char *dir)
{
    rfdn_context *ctx;
    rfdn_context_create(m, NULL, &ctx);
    char *in = g_build_filename(dir, "in.png", NULL);
    char *out = g_build_filename(dir, "sub", "out.png", NULL);
    char *bad = g_build_filename(dir, "bad.png", NULL);
    rfdn_io_image *im = noise(30, 20);
    const rfdn_io_save_options so = {.overwrite = TRUE};
    rfdn_io_save(im, in, &so, NULL);
    g_file_set_contents(bad, "\x89PNG\r\n\x1a\n broken", 16, NULL);
    g_unlink(out);

    chooser ch = {.ctx = ctx};
    run r = {0};
    RfdnJob *job = rfdn_job_new_file(in, out, choose, &ch);
    run_job(job, &r);
    rfdn_io_image *got = rfdn_io_load(out, 0, NULL);
    rfdn_model_info info;
    rfdn_model_get_info(m, &info);
    CHECK(r.status == RFDN_OK && got && got->width == 30 * info.scale,
          "file job: loads, upscales, saves (folder made) (%d)", r.status);
    CHECK(ch.calls == 1 && ch.caller != g_thread_self() &&
              !g_strcmp0(rfdn_job_get_why(job), "chosen"),
          "... its context chosen once, in the worker, its reason kept");
    rfdn_io_image_free(got);
    g_object_unref(job);
    g_object_unref(r.cancel);

    run again = {0};
    job = rfdn_job_new_file(in, out, choose, &ch);
    run_job(job, &again);
    CHECK(again.status != RFDN_OK && again.error, "an existing output is not overwritten: %s",
          again.error ? again.error : "(no message)");
    g_object_unref(job);
    g_object_unref(again.cancel);

    run broken = {0};
    job = rfdn_job_new_file(bad, out, choose, &ch);
    run_job(job, &broken);
    CHECK(broken.status != RFDN_OK && broken.error && ch.calls == 2,
          "a corrupt file: an error, no context asked for: %s",
          broken.error ? broken.error : "(no message)");
    g_object_unref(job);
    g_object_unref(broken.cancel);
    g_free(r.error);
    g_free(again.error);
    g_free(broken.error);
    rfdn_io_image_free(im);
    rfdn_context_free(ctx);
    g_free(in);
    g_free(out);
    g_free(bad);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--image-only"))) {
        fprintf(stderr, "usage: test_job MODEL.safetensors TMPDIR [--image-only]\n");
        return 2;
    }
    if (!rfdn_io_init(argv[0], NULL))
        return 1;
    rfdn_model *m;
    char err[256];
    if (rfdn_model_load(argv[1], &m, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    image_jobs(m);
    if (argc == 3)
        file_jobs(m, argv[2]);
    rfdn_model_unref(m);
    rfdn_io_shutdown();
    return fails ? 1 : 0;
}
