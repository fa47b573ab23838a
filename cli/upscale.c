/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CLI's upscale command: the jobs planned from the inputs (the batch
 * planner of common/batchplan.c), then each file loaded, upscaled by the
 * model its content calls for (cli/choose.c) and written through a
 * temporary file renamed into place.
 */
#include "upscale.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "batchplan.h"


static void job_free(gpointer p)
{
    cli_job *j = p;
    g_free(j->input);
    g_free(j->output);
    g_free(j);
}

static uint64_t physical_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : UINT64_MAX;
}

/* Returns 0, 1 on failure (message printed), or 130 when interrupted. */
/* The input's pixels, refused before allocating what could never fit (the
 * input and output pixels must fit in this machine's memory).  NULL after
 * printing why. */
static rfdn_io_image *load_input(const cli_job *j, int scale)
{
    GError *err = NULL;
    int w, h, ch, bits;
    if (!rfdn_io_probe(j->input, &w, &h, &ch, &bits, &err)) {
        fprintf(stderr, PROG ": %s: %s\n", j->input, err->message);
        g_error_free(err);
        return NULL;
    }
    const uint64_t px_bytes = (uint64_t)ch * (bits / 8);
    const uint64_t need = (uint64_t)w * h * px_bytes * (1 + (uint64_t)scale * scale);
    if ((uint64_t)w * scale > INT32_MAX || (uint64_t)h * scale > INT32_MAX ||
        need > physical_memory()) {
        fprintf(stderr,
                PROG ": %s: the image is too large: %d x %d pixels would need %.1f GiB for "
                     "the input and output pixels (this machine has %.1f GiB)\n",
                j->input, w, h, need / 1073741824.0, physical_memory() / 1073741824.0);
        return NULL;
    }
    rfdn_io_image *in = rfdn_io_load(j->input, (uint64_t)w * h, &err);
    if (!in) {
        fprintf(stderr, PROG ": %s: %s\n", j->input, err->message);
        g_error_free(err);
    }
    return in;
}

static int upscale_file(const cli_run *run, const cli_job *j, cli_progress *pr)
{
    rfdn_chooser *mc = run->chooser;
    const rfdn_io_save_options *so = &run->options->save;
    rfdn_io_image *in = load_input(j, mc->scale);
    if (!in)
        return 1;
    if (rfdn_io_note(in) && !run->options->quiet)
        fprintf(stderr, PROG ": %s: %s\n", j->input, rfdn_io_note(in));
    GError *err = NULL;
    const int w = in->width, h = in->height;
    int ow, oh, ret = 1;
    rfdn_io_image *out = NULL;
    char *why = NULL;
    *run->current = NULL; /* the store may free the context it replaces */
    rfdn_context *ctx = rfdn_choose(mc, j->input, in, &why);
    if (!ctx)
        goto done;
    if (rfdn_output_size(rfdn_context_get_model(ctx), w, h, &ow, &oh) != RFDN_OK) {
        fprintf(stderr, PROG ": %s: the image is too large: %d x %d pixels\n", j->input, w, h);
        goto done;
    }
    out = rfdn_io_new_like(in, ow, oh, &err);
    if (!out) {
        fprintf(stderr, PROG ": %s: %s\n", j->input, err->message);
        g_error_free(err);
        goto done;
    }
    pr->name = j->input;
    pr->tfile = cli_now();
    pr->last_draw = 0;
    pr->file_mpx = (double)ow * oh / 1e6;
    rfdn_image src = rfdn_io_engine_image(in), dst = rfdn_io_engine_image(out);
    if (pr->bar)
        rfdn_context_set_progress(ctx, cli_progress_cb, pr);
    *run->current = ctx;
    rfdn_status st = *run->interrupted ? RFDN_CANCELLED : rfdn_upscale(ctx, &src, &dst);
    cli_progress_clear(pr);
    if (st == RFDN_CANCELLED || *run->interrupted) {
        fprintf(stderr, PROG ": %s: interrupted; nothing written\n", j->input);
        ret = 130;
        goto done;
    }
    if (st != RFDN_OK) {
        fprintf(stderr, PROG ": %s: %s\n", j->input, rfdn_context_error(ctx));
        goto done;
    }
    if (j->make_dir) {
        char *dir = g_path_get_dirname(j->output);
        const int r = g_mkdir_with_parents(dir, 0777);
        if (r != 0)
            fprintf(stderr, PROG ": %s: cannot create the folder: %s\n", dir, g_strerror(errno));
        g_free(dir);
        if (r != 0)
            goto done;
    }
    if (!rfdn_io_save(out, j->output, so, &err)) {
        fprintf(stderr, PROG ": %s: %s\n", j->output, err->message);
        g_error_free(err);
        goto done;
    }
    if (pr->chatty)
        printf("%s -> %s (%d x %d -> %d x %d, %.1f s%s%s)\n", j->input, j->output, w, h, ow,
               oh, cli_now() - pr->tfile, why ? "; " : "", why ? why : "");
    else if (pr->verbose)
        fprintf(stderr, "%s -> %s%s%s\n", j->input, j->output, why ? ": " : "", why ? why : "");
    ret = 0;
done:
    g_free(why);
    rfdn_io_image_free(out);
    rfdn_io_image_free(in);
    return ret;
}

GPtrArray *cli_plan_jobs(const cli_options *o, int *failed)
{
    /* The list of jobs, before the model is loaded, so usage errors come
     * first (common/batchplan.c: outputs must not be inputs, nor the same
     * path twice, nor existing files unless --overwrite). */
    GPtrArray *jobs = g_ptr_array_new_with_free_func(job_free);
    {
        GPtrArray *items = rfdn_plan_new();
        for (int i = 0; i < o->ninputs; i++) {
            const char *in = o->inputs[i];
            if (g_file_test(in, G_FILE_TEST_IS_DIR) && !o->outdir) {
                fprintf(stderr, PROG ": %s: is a folder; use -d OUTDIR\n", in);
                (*failed)++;
            } else {
                rfdn_plan_add(items, in, o->recursive);
            }
        }
        const rfdn_plan_options po = {.output = o->output, .outdir = o->outdir,
                                      .format = o->save.format, .suffix = o->suffix,
                                      .existing = o->existing,
                                      .exists_hint = " (use --overwrite to replace it, or "
                                                     "--existing skip or rename)",
                                      .shard = o->shard, .shards = o->shards};
        *failed += rfdn_plan_outputs(items, &po);
        guint mine = 0, skipped = 0;
        for (guint k = 0; k < items->len; k++) {
            rfdn_plan_item *it = items->pdata[k];
            if (it->elsewhere)
                continue;
            mine++;
            if (it->problem) {
                fprintf(stderr, PROG ": %s\n", it->problem);
                continue;
            }
            if (it->skip) {
                if (!o->quiet)
                    fprintf(stderr, PROG ": %s: exists; left as it is (--existing skip)\n",
                            it->output);
                skipped++;
                continue;
            }
            cli_job *j = g_new0(cli_job, 1);
            j->input = g_strdup(it->input);
            j->output = g_strdup(it->output);
            j->make_dir = o->outdir != NULL;
            g_ptr_array_add(jobs, j);
        }
        const guint all = items->len;
        g_ptr_array_free(items, TRUE);
        if (skipped && !jobs->len && !*failed) {
            ; /* every output there already: nothing to do */
        } else if (!mine && all && !*failed) {
            /* more parts than images: this one has nothing to do */
            if (!o->quiet)
                fprintf(stderr, PROG ": --shard %d/%d: no image in this part (%u in all)\n",
                        o->shard, o->shards, all);
        } else if (!jobs->len && !*failed) {
            fprintf(stderr, PROG ": no images found (PNG, JPEG, WebP or TIFF files)\n");
            (*failed)++;
        }
    }
    return jobs;

}

int cli_upscale_all(const cli_run *run, GPtrArray *jobs, int failed)
{
    const cli_options *o = run->options;
    cli_progress pr = {
        .bar = !o->quiet && isatty(STDERR_FILENO),
        .chatty = !o->quiet && isatty(STDOUT_FILENO),
        .verbose = o->verbose && !o->quiet,
        .count = (int)jobs->len,
        .t0 = cli_now(),
    };
    const int planned_failed = failed;
    double *mpx = g_new0(double, jobs->len);
    for (guint k = 0; k < jobs->len; k++) {
        cli_job *j = jobs->pdata[k];
        int ch, bits;
        if (rfdn_io_probe(j->input, &j->w, &j->h, &ch, &bits, NULL))
            mpx[k] = (double)j->w * j->h * run->chooser->scale * run->chooser->scale / 1e6;
        pr.total_mpx += mpx[k];
    }
    int interrupted = 0;
    for (guint k = 0; k < jobs->len && !interrupted; k++) {
        pr.index = (int)k + 1;
        int r = upscale_file(run, jobs->pdata[k], &pr);
        if (r == 130 || *run->interrupted)
            interrupted = 1;
        else if (r)
            failed++;
        pr.done_mpx += mpx[k];
    }
    g_free(mpx);
    /* of every input: those refused while planning count too */
    const unsigned all = jobs->len + (unsigned)planned_failed;
    if (all > 1 && !o->quiet && (failed || interrupted))
        fprintf(stderr, PROG ": %d of %u images failed%s\n", failed, all,
                interrupted ? "; interrupted" : "");
    return interrupted ? 130 : failed ? 1 : 0;
}
