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
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "imageio.h"
#include "imageops.h"
#include "modelpath.h"
#include "options.h"
#include "batchplan.h"
#include "choose.h"
#include "eval.h"
#include "rfdn.h"

#define PROG "rfdn-upscale"


static rfdn_context *volatile g_ctx; /* for the signal handler */
static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    g_interrupted = 1;
    if (g_ctx)
        rfdn_cancel(g_ctx);
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTIONS] INPUT... (-o OUTPUT | -d OUTDIR)\n"
            "       " PROG " eval [OPTIONS] HR-IMAGE-OR-DIR...\n"
            "       " PROG " models\n"
            "\n"
            "Upscales images with RFDN or E-RFDN on the CPU.  Reads and writes PNG\n"
            "(8/16-bit), JPEG, WebP and TIFF (8/16-bit); keeps the bit depth, alpha,\n"
            "ICC profile, EXIF, XMP and resolution.\n"
            "\n"
            "Model:\n"
            "  -n, --model NAME        rfdn or e-rfdn (default e-rfdn)\n"
            "  -s, --scale N           2, 3 or 4 (default 4)\n"
            "  -m, --model-file FILE   any compatible model file instead (.safetensors,\n"
            "                          or a PyTorch .pth state_dict)\n"
            "      --official FILE     the authors' E-RFDN x4 weights (RFDN_AIM.pth) for\n"
            "                          --model e-rfdn --scale 4\n"
            "      --content MODE      auto (default), clean or photo: clean models for\n"
            "                          lossless images (renders, screenshots), photo models\n"
            "                          for JPEG, camera and web pictures; auto picks photo\n"
            "                          for a JPEG file up to quality 97 or an image with\n"
            "                          JPEG block edges, else clean (-v says which and why)\n"
            "Output:\n"
            "  -o, --output FILE       output file (one input); \"-\" writes to stdout\n"
            "  -d, --output-dir DIR    output folder for any number of inputs\n"
            "  -r, --recursive         with -d: take folders' subfolders too, mirroring\n"
            "                          the tree in DIR\n"
            "  -f, --format FMT        png, jpg, webp or tif (default: from OUTPUT's\n"
            "                          name, or with -d the input's type)\n"
            "  -Q, --quality N         JPEG and WebP quality 1-100 (default 92 / 90)\n"
            "      --suffix TEXT       with -d: append TEXT to each output's name\n"
            "  -y, --overwrite         replace existing outputs (never an input)\n"
            "Engine:\n"
            "  -a, --alpha MODE        alpha upscaling: network (default) or bicubic\n"
            "  -t, --threads N         worker threads (0 = all cores)\n"
            "  -T, --tile N            tile edge in input pixels (0 = automatic)\n"
            "  -M, --memory MIB        scratch memory budget in MiB (default 1024)\n"
            "Other:\n"
            "  -q, --quiet             print nothing but errors\n"
            "  -v, --verbose           one line per file, with the model variant and why,\n"
            "                          also when stdout is not a terminal (on stderr)\n"
            "  -h, --help              this help\n"
            "  -V, --version           the version\n"
            "\n"
            "eval: downscales each HR image with MATLAB-compatible bicubic by the\n"
            "model's scale, upscales it, and prints Y-PSNR / SSIM (border = scale).\n"
            "  --check-lr DIR          also compare each generated LR image with\n"
            "                          DIR/<name> and fail if any byte differs\n"
            "  --jpeg Q                save each LR image as JPEG at quality Q (libjpeg,\n"
            "                          4:2:0 chroma) and upscale the decoded JPEG\n"
            "  --bicubic               upscale with MATLAB bicubic (the baseline) instead\n"
            "                          of a model, by --scale\n"
            "\n"
            "  --content photo         measure the photo model (auto and clean: the clean one)\n"
            "\n"
            "models: lists the model files found (clean and photo) and where they are\n"
            "looked for.\n"
            "\n"
            "The models are looked for in $RFDN_MODEL_DIR, ~/.local/share/rfdn-upscaler/models\n"
            "and the installed data folder (see '" PROG " models').  The official E-RFDN x4\n"
            "file can also\n"
            "be set with $RFDN_OFFICIAL_MODEL or \"official = FILE\" in the [models]\n"
            "group of ~/.config/rfdn-upscaler/config.\n"
            "\n"
            "Exit status: 0 when every image was written, 1 when any failed, 2 for a\n"
            "usage error, 130 when interrupted.\n");
}

/* ------------------------------------------------------------------------ */
/* Models */

static int cmd_models(void)
{
    GPtrArray *dirs = rfdn_model_dirs();
    const char *names[] = {"rfdn", "e-rfdn"};
    printf("Model folders, in search order:\n");
    for (guint i = 0; i < dirs->len; i++)
        printf("  %s\n", (char *)dirs->pdata[i]);
    printf("\n");
    for (int n = 0; n < 2; n++)
        for (int s = 2; s <= 4; s++)
            for (int photo = 0; photo < 2; photo++) {
                char *found = rfdn_installed_variant(names[n], s, photo);
                printf("  %-7s x%d %-6s %s\n", names[n], s, photo ? "photo" : "clean",
                       found ? found : "(not installed)");
                g_free(found);
            }
    char *off = rfdn_official_model_path();
    printf("  official e-rfdn x4: %s\n", off ? off : "(not set)");
    g_free(off);
    g_ptr_array_free(dirs, TRUE);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Progress */

typedef struct {
    bool bar;          /* draw a progress bar (stderr is a terminal) */
    bool chatty;       /* one line per file (stdout is a terminal) */
    bool verbose;      /* -v: one line per file on stderr otherwise */
    int index, count;  /* current file (1-based), number of files */
    const char *name;  /* current file */
    double file_mpx;   /* current file's output megapixels */
    double done_mpx;   /* output megapixels of the files before it */
    double total_mpx;  /* of all files */
    double t0, tfile;  /* start of the batch and of the file */
    double last_draw;
} progress;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void fmt_time(char *buf, size_t n, double s)
{
    if (!(s >= 0) || s > 359999)
        snprintf(buf, n, "--:--");
    else if (s >= 3600)
        snprintf(buf, n, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
    else
        snprintf(buf, n, "%d:%02d", (int)s / 60, (int)s % 60);
}

static int progress_cb(void *user, uint64_t done, uint64_t total)
{
    progress *p = user;
    const double t = now();
    if (done < total && t - p->last_draw < 0.1)
        return 0;
    p->last_draw = t;
    const double f = total ? (double)done / total : 1;
    const double el = t - p->tfile, mpx = f * p->file_mpx;
    const double all_done = p->done_mpx + mpx;
    const double all_el = t - p->t0;
    const double speed = el > 0 ? mpx / el : 0;
    char left[32], all_left[32];
    fmt_time(left, sizeof left, f > 0.02 ? el * (1 - f) / f : -1);
    fmt_time(all_left, sizeof all_left,
             all_done > 0 && all_el > 1 ? all_el * (p->total_mpx - all_done) / all_done : -1);
    char bar[21];
    const int filled = (int)(f * 20 + 0.5);
    for (int i = 0; i < 20; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[20] = 0;
    /* name shortened to keep the line on one terminal row */
    const char *base = strrchr(p->name, '/') ? strrchr(p->name, '/') + 1 : p->name;
    fprintf(stderr, "\r\033[K%.28s [%s] %3d%%  %.2f MP/s  %s left", base, bar,
            (int)(f * 100), speed, left);
    if (p->count > 1)
        fprintf(stderr, "  | file %d/%d, all %3d%%, %s left", p->index, p->count,
                (int)(100 * all_done / (p->total_mpx > 0 ? p->total_mpx : 1)), all_left);
    fflush(stderr);
    return 0;
}

static void progress_clear(const progress *p)
{
    if (p->bar) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

/* ------------------------------------------------------------------------ */
/* Upscaling one file */

typedef struct {
    char *input;   /* path */
    char *output;  /* path, or "-" */
    int w, h;      /* from the header; 0 if unreadable */
    bool make_dir; /* create the output's folder (-d) */
} job;

static void job_free(gpointer p)
{
    job *j = p;
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
static int upscale_file(rfdn_chooser *mc, const job *j, const rfdn_io_save_options *so,
                        progress *pr)
{
    GError *err = NULL;
    int w, h, ch, bits;
    if (!rfdn_io_probe(j->input, &w, &h, &ch, &bits, &err)) {
        fprintf(stderr, PROG ": %s: %s\n", j->input, err->message);
        g_error_free(err);
        return 1;
    }
    /* Refuse before allocating what could never fit: the input and output
     * pixels must fit in this machine's memory. */
    int ow, oh;
    const uint64_t px_bytes = (uint64_t)ch * (bits / 8);
    const uint64_t need = (uint64_t)w * h * px_bytes * (1 + (uint64_t)mc->scale * mc->scale);
    if ((uint64_t)w * mc->scale > INT32_MAX || (uint64_t)h * mc->scale > INT32_MAX ||
        need > physical_memory()) {
        fprintf(stderr,
                PROG ": %s: the image is too large: %d x %d pixels would need %.1f GiB for "
                     "the input and output pixels (this machine has %.1f GiB)\n",
                j->input, w, h, need / 1073741824.0, physical_memory() / 1073741824.0);
        return 1;
    }
    rfdn_io_image *in = rfdn_io_load(j->input, (uint64_t)w * h, &err);
    if (!in) {
        fprintf(stderr, PROG ": %s: %s\n", j->input, err->message);
        g_error_free(err);
        return 1;
    }
    int ret = 1;
    rfdn_io_image *out = NULL;
    char *why = NULL;
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
    pr->tfile = now();
    pr->last_draw = 0;
    pr->file_mpx = (double)ow * oh / 1e6;
    rfdn_image src = rfdn_io_engine_image(in), dst = rfdn_io_engine_image(out);
    if (pr->bar)
        rfdn_context_set_progress(ctx, progress_cb, pr);
    g_ctx = ctx;
    rfdn_status st = g_interrupted ? RFDN_CANCELLED : rfdn_upscale(ctx, &src, &dst);
    progress_clear(pr);
    if (st == RFDN_CANCELLED || g_interrupted) {
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
               oh, now() - pr->tfile, why ? "; " : "", why ? why : "");
    else if (pr->verbose)
        fprintf(stderr, "%s -> %s%s%s\n", j->input, j->output, why ? ": " : "", why ? why : "");
    ret = 0;
done:
    g_free(why);
    rfdn_io_image_free(out);
    rfdn_io_image_free(in);
    return ret;
}

/* ------------------------------------------------------------------------ */

/* An option of the settings table (options.h): its value, or its message. */
static bool table_int(rfdn_option_id id, const char *flag, const char *arg, int *v)
{
    GError *e = NULL;
    if (rfdn_option_parse_int(id, arg, v, &e))
        return true;
    fprintf(stderr, PROG ": %s: %s\n", flag, e->message);
    g_error_free(e);
    return false;
}

static bool table_choice(rfdn_option_id id, const char *flag, const char *arg, int *v,
                         const char *hint)
{
    GError *e = NULL;
    if ((*v = rfdn_option_choice(id, arg, &e)) >= 0)
        return true;
    fprintf(stderr, PROG ": %s: %s%s\n", flag, e->message, hint ? hint : "");
    g_error_free(e);
    return false;
}

static bool parse_int(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return *s && !*end && !errno && *v >= lo && *v <= hi;
}

int main(int argc, char **argv)
{
    enum { CMD_UPSCALE, CMD_EVAL, CMD_MODELS } cmd = CMD_UPSCALE;
    if (argc > 1 && !strcmp(argv[1], "eval"))
        cmd = CMD_EVAL;
    else if (argc > 1 && !strcmp(argv[1], "models"))
        cmd = CMD_MODELS;
    if (cmd != CMD_UPSCALE) {
        argv++;
        argc--;
    }
    enum { OPT_CHECK_LR = 256, OPT_OFFICIAL, OPT_SUFFIX, OPT_JPEG, OPT_BICUBIC, OPT_CONTENT };
    static const struct option opts[] = {
        {"model", required_argument, 0, 'n'},
        {"scale", required_argument, 0, 's'},
        {"model-file", required_argument, 0, 'm'},
        {"official", required_argument, 0, OPT_OFFICIAL},
        {"output", required_argument, 0, 'o'},
        {"output-dir", required_argument, 0, 'd'},
        {"recursive", no_argument, 0, 'r'},
        {"format", required_argument, 0, 'f'},
        {"quality", required_argument, 0, 'Q'},
        {"suffix", required_argument, 0, OPT_SUFFIX},
        {"alpha", required_argument, 0, 'a'},
        {"threads", required_argument, 0, 't'},
        {"tile", required_argument, 0, 'T'},
        {"memory", required_argument, 0, 'M'},
        {"overwrite", no_argument, 0, 'y'},
        {"quiet", no_argument, 0, 'q'},
        {"check-lr", required_argument, 0, OPT_CHECK_LR},
        {"jpeg", required_argument, 0, OPT_JPEG},
        {"bicubic", no_argument, 0, OPT_BICUBIC},
        {"content", required_argument, 0, OPT_CONTENT},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    const rfdn_option *model_opt = rfdn_option_get(RFDN_OPT_MODEL);
    const char *model_name = model_opt->choices[model_opt->def];
    const char *model_file = NULL, *output = NULL, *outdir = NULL;
    const char *suffix = NULL;
    rfdn_eval_options eo = {.interrupted = &g_interrupted};
    rfdn_content content = RFDN_CONTENT_AUTO;
    bool verbose = false;
    char *official = NULL;
    int scale = rfdn_option_get(RFDN_OPT_SCALE)->def;
    bool overwrite = false, quiet = false, recursive = false, official_arg = false;
    rfdn_io_save_options so = {0};
    rfdn_settings settings;
    rfdn_settings_default(&settings);
    int c, iv;
    long v;
    while ((c = getopt_long(argc, argv, "n:s:m:o:d:rf:Q:a:t:T:M:yqvhV", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!table_choice(RFDN_OPT_MODEL, "--model", optarg, &iv,
                              "; a model file goes with --model-file"))
                return 2;
            model_name = model_opt->choices[iv];
            break;
        case 's':
            if (!table_int(RFDN_OPT_SCALE, "--scale", optarg, &scale))
                return 2;
            break;
        case 'm':
            model_file = optarg;
            break;
        case OPT_OFFICIAL:
            g_free(official);
            official = g_strdup(optarg);
            official_arg = true;
            break;
        case 'o':
            output = optarg;
            break;
        case 'd':
            outdir = optarg;
            break;
        case 'r':
            recursive = true;
            break;
        case 'f':
            so.format = rfdn_io_format_from_name(optarg);
            if (!so.format) {
                fprintf(stderr, PROG ": --format must be png, jpg, webp or tif\n");
                return 2;
            }
            break;
        case 'Q':
            if (!parse_int(optarg, 1, 100, &v)) {
                fprintf(stderr, PROG ": --quality must be a number from 1 to 100\n");
                return 2;
            }
            so.quality = (int)v;
            break;
        case OPT_SUFFIX:
            if (strchr(optarg, '/')) {
                fprintf(stderr, PROG ": --suffix cannot contain '/'\n");
                return 2;
            }
            suffix = optarg;
            break;
        case 'a':
            if (!table_choice(RFDN_OPT_ALPHA, "--alpha", optarg, &iv, NULL))
                return 2;
            settings.alpha = iv ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
            break;
        case 't':
            if (!table_int(RFDN_OPT_THREADS, "--threads", optarg, &settings.threads))
                return 2;
            break;
        case 'T':
            if (!table_int(RFDN_OPT_TILE, "--tile", optarg, &settings.tile_size))
                return 2;
            break;
        case 'M':
            if (!table_int(RFDN_OPT_MEMORY, "--memory", optarg, &iv))
                return 2;
            settings.memory_budget = (size_t)iv << 20;
            break;
        case 'y':
            overwrite = true;
            break;
        case 'q':
            quiet = eo.quiet = true;
            break;
        case OPT_CHECK_LR:
            eo.check_lr = optarg;
            break;
        case OPT_JPEG:
            if (!parse_int(optarg, 1, 100, &v)) {
                fprintf(stderr, PROG ": --jpeg must be a JPEG quality from 1 to 100\n");
                return 2;
            }
            eo.jpeg_quality = (int)v;
            break;
        case OPT_BICUBIC:
            eo.bicubic = true;
            break;
        case OPT_CONTENT:
            if (!table_choice(RFDN_OPT_CONTENT, "--content", optarg, &iv, NULL))
                return 2;
            content = (rfdn_content)iv;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf(PROG " %s (engine %s)\n", RFDN_UPSCALER_VERSION, rfdn_version());
            return 0;
        default:
            fprintf(stderr, "Try '" PROG " --help'.\n");
            return 2;
        }
    }
    so.overwrite = overwrite;
    if (cmd != CMD_EVAL && (eo.check_lr || eo.jpeg_quality || eo.bicubic)) {
        fprintf(stderr, PROG ": --check-lr, --jpeg and --bicubic go with eval\n");
        return 2;
    }
    if (cmd == CMD_MODELS)
        return cmd_models();
    const int nin = argc - optind;
    if (nin < 1 || (cmd == CMD_UPSCALE && !output == !outdir)) {
        fprintf(stderr, cmd == CMD_EVAL ? PROG ": eval needs HR images or folders\n"
                                        : PROG ": give INPUT... and either -o OUTPUT or -d "
                                               "OUTDIR\n");
        fprintf(stderr, "Try '" PROG " --help'.\n");
        return 2;
    }
    if (output && nin > 1) {
        fprintf(stderr, PROG ": -o takes one input; use -d OUTDIR for several\n");
        return 2;
    }
    if (output && !so.format && !rfdn_io_format_from_path(output)) {
        fprintf(stderr, PROG ": %s: unknown output type (use .png, .jpg, .webp or .tif, or "
                        "--format)\n",
                output);
        return 2;
    }
    if (official_arg && (model_file || strcmp(model_name, "e-rfdn") || scale != 4)) {
        fprintf(stderr, PROG ": --official is the E-RFDN x4 model: it goes with --model "
                        "e-rfdn --scale 4\n");
        return 2;
    }

    /* The list of jobs, before the model is loaded, so usage errors come
     * first (common/batchplan.c: outputs must not be inputs, nor the same
     * path twice, nor existing files unless --overwrite). */
    GPtrArray *jobs = g_ptr_array_new_with_free_func(job_free);
    int failed = 0;
    if (cmd == CMD_UPSCALE) {
        GPtrArray *items = rfdn_plan_new();
        for (int i = 0; i < nin; i++) {
            const char *in = argv[optind + i];
            if (g_file_test(in, G_FILE_TEST_IS_DIR) && !outdir) {
                fprintf(stderr, PROG ": %s: is a folder; use -d OUTDIR\n", in);
                failed++;
            } else {
                rfdn_plan_add(items, in, recursive);
            }
        }
        const rfdn_plan_options po = {.output = output, .outdir = outdir, .format = so.format,
                                      .suffix = suffix, .overwrite = overwrite,
                                      .exists_hint = " (use --overwrite to replace it)"};
        failed += rfdn_plan_outputs(items, &po);
        for (guint k = 0; k < items->len; k++) {
            rfdn_plan_item *it = items->pdata[k];
            if (it->problem) {
                fprintf(stderr, PROG ": %s\n", it->problem);
                continue;
            }
            job *j = g_new0(job, 1);
            j->input = g_strdup(it->input);
            j->output = g_strdup(it->output);
            j->make_dir = outdir != NULL;
            g_ptr_array_add(jobs, j);
        }
        g_ptr_array_free(items, TRUE);
        if (!jobs->len && !failed) {
            fprintf(stderr, PROG ": no images found (PNG, JPEG, WebP or TIFF files)\n");
            failed++;
        }
    }

    int ret = 1;
    char *photo_file = NULL;
    rfdn_chooser mc = {
        .name = model_name,
        .scale = scale,
        .file = model_file ? model_file : official_arg ? official : NULL,
        .content = content,
        .quiet = quiet,
    };
    mc.store = rfdn_model_store_new(&settings, NULL);
    GError *err = NULL;
    if (!rfdn_io_init(argv[0], &err)) {
        fprintf(stderr, PROG ": %s\n", err->message);
        g_error_free(err);
        goto out;
    }
    if (cmd == CMD_UPSCALE && !jobs->len)
        goto out;
    if (cmd == CMD_EVAL && eo.bicubic) { /* the baseline needs no model */
        eo.scale = scale;
        ret = rfdn_cmd_eval(NULL, argv + optind, nin, &eo);
        goto out;
    }
    if (cmd == CMD_EVAL && !mc.file && content == RFDN_CONTENT_PHOTO) {
        /* measuring the photo model: it must be there (no fallback) */
        if (!(photo_file = rfdn_installed_variant(model_name, scale, TRUE))) {
            char *want = rfdn_model_file_name(model_name, scale, TRUE);
            fprintf(stderr, PROG ": no photo model %s is installed (see '" PROG " models')\n",
                    want);
            g_free(want);
            goto out;
        }
        mc.file = photo_file;
    }
    rfdn_context *ctx = rfdn_choose_first(&mc);
    if (!ctx)
        goto out;
    g_ctx = ctx;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a file size limit makes write() fail with EFBIG (then cleaned up)
     * instead of killing the process mid-write */
    signal(SIGXFSZ, SIG_IGN);

    if (cmd == CMD_EVAL) {
        rfdn_model_info mi;
        rfdn_model_get_info(rfdn_context_get_model(ctx), &mi);
        eo.scale = mi.scale;
        ret = rfdn_cmd_eval(ctx, argv + optind, nin, &eo);
        goto out;
    }
    progress pr = {
        .bar = !quiet && isatty(STDERR_FILENO),
        .chatty = !quiet && isatty(STDOUT_FILENO),
        .verbose = verbose && !quiet,
        .count = (int)jobs->len,
        .t0 = now(),
    };
    double *mpx = g_new0(double, jobs->len);
    for (guint k = 0; k < jobs->len; k++) {
        job *j = jobs->pdata[k];
        int ch, bits;
        if (rfdn_io_probe(j->input, &j->w, &j->h, &ch, &bits, NULL))
            mpx[k] = (double)j->w * j->h * mc.scale * mc.scale / 1e6;
        pr.total_mpx += mpx[k];
    }
    int interrupted = 0;
    for (guint k = 0; k < jobs->len && !interrupted; k++) {
        pr.index = (int)k + 1;
        int r = upscale_file(&mc, jobs->pdata[k], &so, &pr);
        if (r == 130 || g_interrupted)
            interrupted = 1;
        else if (r)
            failed++;
        pr.done_mpx += mpx[k];
    }
    g_free(mpx);
    if (jobs->len > 1 && !quiet && (failed || interrupted))
        fprintf(stderr, PROG ": %d of %u images failed%s\n", failed, jobs->len,
                interrupted ? "; interrupted" : "");
    ret = interrupted ? 130 : failed ? 1 : 0;
out:
    g_ctx = NULL;
    rfdn_model_store_free(mc.store);
    g_free(photo_file);
    g_free(official);
    g_ptr_array_free(jobs, TRUE);
    rfdn_io_shutdown();
    return ret;
}
