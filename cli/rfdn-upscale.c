/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rfdn-upscale: the command-line upscaler.
 *
 *   rfdn-upscale [OPTIONS] INPUT... (-o OUTPUT | -d OUTDIR)
 *   rfdn-upscale eval [OPTIONS] HR-IMAGE-OR-DIR...
 *   rfdn-upscale models
 *
 * Images go through common/imageio (libvips): PNG, JPEG, WebP, TIFF, 8/16
 * bits, metadata carried over.  Outputs are written to a temporary file in
 * the output's folder and renamed into place, so a failure or an interrupt
 * never leaves a partial file behind, and an input is never overwritten.
 * This file: the commands and the signals; cli-options.c parses, upscale.c
 * upscales, eval.c measures, choose.c picks the model of each input.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "choose.h"
#include "cli-options.h"
#include "eval.h"
#include "imageio.h"
#include "modelpath.h"
#include "modelstore.h"
#include "rfdn.h"
#include "upscale.h"
#include "weights.h"

static rfdn_context *volatile g_ctx; /* for the signal handler */
static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    g_interrupted = 1;
    if (g_ctx)
        rfdn_cancel(g_ctx);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a file size limit makes write() fail with EFBIG (then cleaned up)
     * instead of killing the process mid-write */
    signal(SIGXFSZ, SIG_IGN);
}

static int cmd_models(void)
{
    GPtrArray *dirs = rfdn_model_dirs();
    const char *names[] = {"rfdn", "e-rfdn"};
    char *src = rfdn_uninstalled_models_dir();
    printf("Model folders, in search order:\n");
    for (guint i = 0; i < dirs->len; i++)
        printf("  %s%s\n", (char *)dirs->pdata[i],
               src && !strcmp(src, dirs->pdata[i]) ? "  (the source tree's: run from the build tree)"
                                                   : "");
    g_free(src);
    printf("\n");
    /* the file each name runs (for clean e-rfdn x4 the official one when it
     * is configured), and whose weights it holds */
    for (int n = 0; n < 2; n++)
        for (int s = 2; s <= 4; s++)
            for (int photo = 0; photo < 2; photo++) {
                char *found = photo ? rfdn_installed_variant(names[n], s, TRUE)
                                    : rfdn_find_model(names[n], s, NULL, NULL);
                rfdn_model *m = NULL;
                char err[256] = "";
                if (found && rfdn_model_load(found, &m, err, sizeof err) != RFDN_OK)
                    m = NULL;
                printf("  %-7s x%d %-6s %s%s%s%s%s\n", names[n], s, photo ? "photo" : "clean",
                       found ? found : "(not installed)", found ? "  (" : "",
                       m ? rfdn_weights_whose(m, rfdn_weights_is_official_path(found)) : "",
                       found && !m ? err : "", found ? ")" : "");
                rfdn_model_unref(m);
                g_free(found);
            }
    char *off = rfdn_official_model_path();
    printf("  official e-rfdn x4: %s\n", off ? off : "(not set)");
    g_free(off);
    g_ptr_array_free(dirs, TRUE);
    return 0;
}

/* eval: the model measured (the photo one with --content photo, which
 * must be installed), or the bicubic baseline. */
static int cmd_eval(cli_options *o, rfdn_chooser *mc)
{
    o->eval.interrupted = &g_interrupted;
    if (o->eval.bicubic) { /* the baseline needs no model */
        o->eval.scale = o->scale;
        return rfdn_cmd_eval(NULL, o->inputs, o->ninputs, &o->eval);
    }
    char *photo_file = NULL;
    if (!mc->file && o->content == RFDN_CONTENT_PHOTO) {
        if (!(photo_file = rfdn_installed_variant(o->model_name, o->scale, TRUE))) {
            char *want = rfdn_model_file_name(o->model_name, o->scale, TRUE);
            fprintf(stderr, PROG ": no photo model %s is installed (see '" PROG " models')\n",
                    want);
            g_free(want);
            return 1;
        }
        mc->file = photo_file;
    }
    int ret = 1;
    rfdn_context *ctx = rfdn_choose_first(mc);
    if (ctx) {
        g_ctx = ctx;
        catch_signals();
        o->eval.scale = mc->scale;
        /* which model, and whose weights, above the table */
        char *d = rfdn_weights_describe(rfdn_context_get_model(ctx),
                                        mc->official || rfdn_weights_is_official_path(mc->used));
        char *m = g_strdup_printf("%s (%s)", mc->used, d);
        o->eval.model = m;
        ret = rfdn_cmd_eval(ctx, o->inputs, o->ninputs, &o->eval);
        o->eval.model = NULL;
        g_free(m);
        g_free(d);
    }
    mc->file = NULL;
    g_free(photo_file);
    return ret;
}

static int cmd_upscale(const cli_options *o, rfdn_chooser *mc)
{
    /* the jobs before the model is loaded, so usage errors come first */
    int failed = 0;
    GPtrArray *jobs = cli_plan_jobs(o, &failed);
    int ret = jobs->len || failed ? 1 : 0; /* 0: a --shard part with no image */
    if (jobs->len && rfdn_choose_first(mc)) {
        catch_signals();
        const cli_run run = {.options = o, .chooser = mc, .interrupted = &g_interrupted,
                             .current = &g_ctx};
        ret = cli_upscale_all(&run, jobs, failed);
    }
    g_ptr_array_free(jobs, TRUE);
    return ret;
}

int main(int argc, char **argv)
{
    cli_options o;
    int ret = cli_parse(argc, argv, &o);
    if (ret >= 0)
        return ret;
    if (o.cmd == CLI_MODELS)
        return cmd_models();
    GError *err = NULL;
    if (!rfdn_io_init(argv[0], &err)) {
        fprintf(stderr, PROG ": %s\n", err->message);
        g_error_free(err);
        return 1;
    }
    rfdn_chooser mc = {
        .store = rfdn_model_store_new(&o.settings, NULL),
        .name = o.model_name,
        .scale = o.scale,
        .file = o.model_file ? o.model_file : o.official,
        .scale_given = o.scale_given,
        .official = !o.model_file && o.official,
        .content = o.content,
        .quiet = o.quiet,
    };
    ret = o.cmd == CLI_EVAL ? cmd_eval(&o, &mc) : cmd_upscale(&o, &mc);
    g_ctx = NULL;
    rfdn_model_store_free(mc.store);
    rfdn_io_shutdown();
    return ret;
}
