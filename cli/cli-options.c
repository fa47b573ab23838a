/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CLI's command line: its help, and its options parsed into one struct
 * with the ranges and messages of the settings table (common/options.c),
 * usage errors found before any work.
 */
#include "cli-options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

void cli_usage(FILE *f)
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
            "                          JPEG block edges, else clean (-v says which and why);\n"
            "                          -m and --official use their file for every input\n"
            "Output:\n"
            "  -o, --output FILE       output file (one input); \"-\" writes to stdout\n"
            "  -d, --output-dir DIR    output folder for any number of inputs\n"
            "  -r, --recursive         with -d: take folders' subfolders too, mirroring\n"
            "                          the tree in DIR\n"
            "  -f, --format FMT        png, jpg, webp or tif (default: from OUTPUT's\n"
            "                          name, or with -d the input's type)\n"
            "  -Q, --quality N         JPEG and WebP quality 1-100 (default 92 / 90)\n"
            "      --suffix TEXT       with -d: append TEXT to each output's name\n"
            "  -y, --overwrite         replace existing outputs (never an input):\n"
            "                          --existing replace\n"
            "      --existing MODE     an output that exists: skip (leave it, its input\n"
            "                          not processed), replace, or rename (keep both: the\n"
            "                          new one as NAME (2).EXT); by default it is refused\n"
            "      --shard K/N         with -d: only part K of N of the batch (the inputs\n"
            "                          dealt out in order), so N runs of the same command\n"
            "                          on other hosts or job slots write every output once\n"
            "Engine:\n"
            "  -a, --alpha MODE        alpha upscaling: network (default) or bicubic\n"
            "  -t, --threads N         worker threads (0 = all cores)\n"
            "  -T, --tile N            tile edge in input pixels, 16-100000 (0 = automatic)\n"
            "  -M, --memory MIB        scratch memory budget in MiB, 64-1048576 (default\n"
            "                          1024)\n"
            "Other:\n"
            "  -q, --quiet             print nothing but errors\n"
            "  -v, --verbose           one line per file, with the model variant and why,\n"
            "                          also when stdout is not a terminal (on stderr)\n"
            "  -h, --help              this help\n"
            "  -V, --version           the version\n"
            "\n"
            "eval: downscales each HR image with MATLAB-compatible bicubic by the\n"
            "model's scale, upscales it, and prints Y-PSNR / SSIM (border = scale).\n"
            "  --check-lr DIR          also compare each generated LR image (with --jpeg:\n"
            "                          the decoded JPEG) with DIR/<name> and fail if any\n"
            "                          byte differs\n"
            "  --jpeg Q                save each LR image as JPEG at quality Q (libjpeg,\n"
            "                          4:2:0 chroma) and upscale the decoded JPEG\n"
            "  --bicubic               upscale with MATLAB bicubic (the baseline) instead\n"
            "                          of a model, by --scale\n"
            "\n"
            "  --content photo         measure the photo model (auto and clean: the clean\n"
            "                          one)\n"
            "\n"
            "models: lists the model files found (clean and photo) and where they are\n"
            "looked for.\n"
            "\n"
            "The models are looked for in $RFDN_MODEL_DIR,\n"
            "~/.local/share/rfdn-upscaler/models and the installed data folder (see\n"
            "'" PROG " models').  The official E-RFDN x4 file can also be set with\n"
            "$RFDN_OFFICIAL_MODEL or \"official = FILE\" in the [models] group of\n"
            "~/.config/rfdn-upscaler/config.\n"
            "\n"
            "Exit status: 0 when every image was written, 1 when any failed, 2 for a\n"
            "usage error, 130 when interrupted.\n");
}

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

/* --shard K/N */
#define SHARDS_MAX 1000000
static bool parse_shard(const char *s, int *k, int *n)
{
    const char *slash = strchr(s, '/');
    char ks[16];
    long kv, nv;
    if (!slash || slash == s || (size_t)(slash - s) >= sizeof ks)
        return false;
    memcpy(ks, s, (size_t)(slash - s));
    ks[slash - s] = 0;
    if (!parse_int(ks, 1, SHARDS_MAX, &kv) || !parse_int(slash + 1, 1, SHARDS_MAX, &nv) ||
        kv > nv)
        return false;
    *k = (int)kv;
    *n = (int)nv;
    return true;
}

enum { OPT_CHECK_LR = 256, OPT_OFFICIAL, OPT_SUFFIX, OPT_JPEG, OPT_BICUBIC, OPT_CONTENT,
       OPT_SHARD, OPT_EXISTING };
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
    {"shard", required_argument, 0, OPT_SHARD},
    {"existing", required_argument, 0, OPT_EXISTING},
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

/* The options of each group into `o`: -1 to go on, an exit status, or -3
 * when `c` is not one of the group's. */
static int model_option(int c, const char *arg, cli_options *o)
{
    const rfdn_option *model_opt = rfdn_option_get(RFDN_OPT_MODEL);
    int iv;
    switch (c) {
    case 'n':
        if (!table_choice(RFDN_OPT_MODEL, "--model", arg, &iv,
                          "; a model file goes with --model-file"))
            return 2;
        o->model_name = model_opt->choices[iv];
        return -1;
    case 's':
        if (!table_int(RFDN_OPT_SCALE, "--scale", arg, &o->scale))
            return 2;
        o->scale_given = true;
        return -1;
    case 'm':
        o->model_file = arg;
        return -1;
    case OPT_OFFICIAL:
        o->official = arg;
        return -1;
    case OPT_CONTENT:
        if (!table_choice(RFDN_OPT_CONTENT, "--content", arg, &iv, NULL))
            return 2;
        o->content = (rfdn_content)iv;
        return -1;
    case 'a':
        if (!table_choice(RFDN_OPT_ALPHA, "--alpha", arg, &iv, NULL))
            return 2;
        o->settings.alpha = iv ? RFDN_ALPHA_BICUBIC : RFDN_ALPHA_NETWORK;
        return -1;
    case 't':
        if (!table_int(RFDN_OPT_THREADS, "--threads", arg, &o->settings.threads))
            return 2;
        return -1;
    case 'T':
        if (!table_int(RFDN_OPT_TILE, "--tile", arg, &o->settings.tile_size))
            return 2;
        return -1;
    case 'M':
        if (!table_int(RFDN_OPT_MEMORY, "--memory", arg, &iv))
            return 2;
        o->settings.memory_budget = (size_t)iv << 20;
        return -1;
    default:
        return -3; /* not one of these */
    }
}

static int output_option(int c, const char *arg, cli_options *o)
{
    long v;
    switch (c) {
    case 'o':
        o->output = arg;
        return -1;
    case 'd':
        o->outdir = arg;
        return -1;
    case 'r':
        o->recursive = true;
        return -1;
    case 'f':
        o->save.format = rfdn_io_format_from_name(arg);
        if (!o->save.format) {
            fprintf(stderr, PROG ": --format must be png, jpg, webp or tif\n");
            return 2;
        }
        return -1;
    case 'Q':
        if (!parse_int(arg, 1, 100, &v)) {
            fprintf(stderr, PROG ": --quality must be a number from 1 to 100\n");
            return 2;
        }
        o->save.quality = (int)v;
        return -1;
    case OPT_SUFFIX:
        if (strchr(arg, '/')) {
            fprintf(stderr, PROG ": --suffix cannot contain '/'\n");
            return 2;
        }
        o->suffix = arg;
        return -1;
    case 'y':
        o->existing = RFDN_EXISTING_REPLACE;
        return -1;
    case OPT_EXISTING: {
        int iv;
        if (!table_choice(RFDN_OPT_EXISTING, "--existing", arg, &iv, NULL))
            return 2;
        if (iv == RFDN_EXISTING_ASK) {
            fprintf(stderr, PROG ": --existing: the command line cannot ask; skip, replace or "
                            "rename\n");
            return 2;
        }
        o->existing = (rfdn_existing)iv;
        return -1;
    }
    case OPT_SHARD:
        if (!parse_shard(arg, &o->shard, &o->shards)) {
            fprintf(stderr, PROG ": --shard must be K/N with 1 <= K <= N <= %d (as 2/8)\n",
                    SHARDS_MAX);
            return 2;
        }
        return -1;
    case 'q':
        o->quiet = o->eval.quiet = true;
        return -1;
    default:
        return -3; /* not one of these */
    }
}

static int other_option(int c, const char *arg, cli_options *o)
{
    long v;
    switch (c) {
    case OPT_CHECK_LR:
        o->eval.check_lr = arg;
        return -1;
    case OPT_JPEG:
        if (!parse_int(arg, 1, 100, &v)) {
            fprintf(stderr, PROG ": --jpeg must be a JPEG quality from 1 to 100\n");
            return 2;
        }
        o->eval.jpeg_quality = (int)v;
        return -1;
    case OPT_BICUBIC:
        o->eval.bicubic = true;
        return -1;
    case 'v':
        o->verbose = true;
        return -1;
    case 'h':
        cli_usage(stdout);
        return 0;
    case 'V':
        printf(PROG " %s (engine %s)\n", RFDN_UPSCALER_VERSION, rfdn_version());
        return 0;
    default:
        return -3;
    }
}


/* One option into `o`: -1 to go on, else the exit status. */
static int parse_option(int c, const char *arg, cli_options *o)
{
    int r = model_option(c, arg, o);
    if (r == -3)
        r = output_option(c, arg, o);
    if (r == -3)
        r = other_option(c, arg, o);
    if (r == -3) {
        fprintf(stderr, "Try '" PROG " --help'.\n");
        r = 2;
    }
    return r;
}

int cli_parse(int argc, char **argv, cli_options *o)
{
    memset(o, 0, sizeof *o);
    o->cmd = CLI_UPSCALE;
    if (argc > 1 && !strcmp(argv[1], "eval"))
        o->cmd = CLI_EVAL;
    else if (argc > 1 && !strcmp(argv[1], "models"))
        o->cmd = CLI_MODELS;
    if (o->cmd != CLI_UPSCALE) {
        argv++;
        argc--;
    }
    const rfdn_option *model_opt = rfdn_option_get(RFDN_OPT_MODEL);
    o->model_name = model_opt->choices[model_opt->def];
    o->scale = rfdn_option_get(RFDN_OPT_SCALE)->def;
    o->content = (rfdn_content)rfdn_option_get(RFDN_OPT_CONTENT)->def;
    rfdn_settings_default(&o->settings);
    int c;
    while ((c = getopt_long(argc, argv, "n:s:m:o:d:rf:Q:a:t:T:M:yqvhV", opts, NULL)) != -1) {
        const int r = parse_option(c, optarg, o);
        if (r >= 0)
            return r;
    }
    if (o->cmd != CLI_EVAL && (o->eval.check_lr || o->eval.jpeg_quality || o->eval.bicubic)) {
        fprintf(stderr, PROG ": --check-lr, --jpeg and --bicubic go with eval\n");
        return 2;
    }
    o->inputs = argv + optind;
    o->ninputs = argc - optind;
    if (o->cmd == CLI_MODELS)
        return -1;
    const int nin = o->ninputs;
    if (nin < 1 || (o->cmd == CLI_UPSCALE && !o->output == !o->outdir)) {
        fprintf(stderr, o->cmd == CLI_EVAL ? PROG ": eval needs HR images or folders\n"
                                        : PROG ": give INPUT... and either -o OUTPUT or -d "
                                               "OUTDIR\n");
        fprintf(stderr, "Try '" PROG " --help'.\n");
        return 2;
    }
    o->save.overwrite = o->existing == RFDN_EXISTING_REPLACE;
    if (o->shards && !o->outdir) {
        fprintf(stderr, PROG ": --shard goes with -d OUTDIR (a batch)\n");
        return 2;
    }
    if (o->output && nin > 1) {
        fprintf(stderr, PROG ": -o takes one input; use -d OUTDIR for several\n");
        return 2;
    }
    if (o->output && !o->save.format && !rfdn_io_format_from_path(o->output)) {
        fprintf(stderr, PROG ": %s: unknown output type (use .png, .jpg, .webp or .tif, or "
                        "--format)\n",
                o->output);
        return 2;
    }
    if (o->official && (o->model_file || strcmp(o->model_name, "e-rfdn") || o->scale != 4)) {
        fprintf(stderr, PROG ": --official is the E-RFDN x4 model: it goes with --model "
                        "e-rfdn --scale 4\n");
        return 2;
    }

    return -1;
}
