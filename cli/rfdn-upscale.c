/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rfdn-upscale: the command-line upscaler.
 *
 *   rfdn-upscale --model-file FILE INPUT -o OUTPUT
 *   rfdn-upscale eval --model-file FILE [--check-lr DIR] HR...
 *
 * 8-bit PNG and JPEG through GdkPixbuf for now.  Outputs are written to a
 * temporary file in the output's directory and renamed into place, so a
 * failure or an interrupt never leaves a partial file behind, and an input is
 * never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "imageops.h"
#include "rfdn.h"

#define PROG "rfdn-upscale"

static rfdn_context *volatile g_ctx; /* for the SIGINT handler */

static void on_sigint(int sig)
{
    (void)sig;
    if (g_ctx)
        rfdn_cancel(g_ctx);
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTIONS] INPUT -o OUTPUT\n"
            "       " PROG " eval [OPTIONS] HR-IMAGE-OR-DIR...\n"
            "\n"
            "Upscales an image with RFDN or E-RFDN on the CPU.\n"
            "\n"
            "Options:\n"
            "  -m, --model-file FILE   model file (.safetensors); --model FILE is the same\n"
            "  -o, --output FILE       output image (.png, .jpg or .jpeg)\n"
            "  -a, --alpha MODE        alpha upscaling: network (default) or bicubic\n"
            "  -t, --threads N         worker threads (0 = all cores)\n"
            "  -T, --tile N            tile edge in input pixels (0 = automatic)\n"
            "  -M, --memory MIB        scratch memory budget in MiB (default 1024)\n"
            "  -y, --overwrite         replace OUTPUT if it exists (never an input)\n"
            "  -q, --quiet             print nothing but errors\n"
            "  -h, --help              this help\n"
            "  -V, --version           the version\n"
            "\n"
            "eval: downscales each HR image with MATLAB-compatible bicubic by the\n"
            "model's scale, upscales it, and prints Y-PSNR / SSIM (border = scale).\n"
            "  --check-lr DIR          also compare each generated LR image with\n"
            "                          DIR/<name> and fail if any byte differs\n");
}

/* ------------------------------------------------------------------------ */

static int progress_cb(void *user, uint64_t done, uint64_t total)
{
    (void)user;
    fprintf(stderr, "\r%3d%%", (int)(100 * done / (total ? total : 1)));
    if (done == total)
        fputc('\n', stderr);
    return 0;
}

static rfdn_model *load_model(const char *path)
{
    if (!path) {
        fprintf(stderr, PROG ": no model given (use --model-file FILE)\n");
        return NULL;
    }
    char err[512];
    rfdn_model *m = NULL;
    if (rfdn_model_load(path, &m, err, sizeof err) != RFDN_OK) {
        fprintf(stderr, PROG ": cannot load the model: %s\n", err);
        return NULL;
    }
    return m;
}

static GdkPixbuf *load_image(const char *path)
{
    GError *err = NULL;
    GdkPixbuf *pb = gdk_pixbuf_new_from_file(path, &err);
    if (!pb) {
        fprintf(stderr, PROG ": %s: %s\n", path, err ? err->message : "cannot read the image");
        g_clear_error(&err);
        return NULL;
    }
    if (gdk_pixbuf_get_bits_per_sample(pb) != 8 ||
        gdk_pixbuf_get_colorspace(pb) != GDK_COLORSPACE_RGB) {
        fprintf(stderr, PROG ": %s: unsupported pixel format\n", path);
        g_object_unref(pb);
        return NULL;
    }
    /* Apply the EXIF orientation, as image viewers do. */
    GdkPixbuf *o = gdk_pixbuf_apply_embedded_orientation(pb);
    g_object_unref(pb);
    return o;
}

static rfdn_image image_of(GdkPixbuf *pb)
{
    rfdn_image im = {
        .width = gdk_pixbuf_get_width(pb),
        .height = gdk_pixbuf_get_height(pb),
        .channels = gdk_pixbuf_get_n_channels(pb),
        .format = RFDN_SAMPLE_U8,
        .stride = gdk_pixbuf_get_rowstride(pb),
        .data = gdk_pixbuf_get_pixels(pb),
    };
    return im;
}

/* Runs the model on a pixbuf; returns a new pixbuf or NULL (message printed). */
static GdkPixbuf *upscale_pixbuf(rfdn_context *ctx, GdkPixbuf *in, const char *name)
{
    const rfdn_model *m = rfdn_context_get_model(ctx);
    rfdn_image src = image_of(in);
    int ow, oh;
    if (rfdn_output_size(m, src.width, src.height, &ow, &oh) != RFDN_OK) {
        fprintf(stderr, PROG ": %s: image too large (%d x %d)\n", name, src.width,
                src.height);
        return NULL;
    }
    GdkPixbuf *out =
        gdk_pixbuf_new(GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha(in), 8, ow, oh);
    if (!out) {
        fprintf(stderr, PROG ": %s: out of memory for a %d x %d output\n", name, ow, oh);
        return NULL;
    }
    rfdn_image dst = image_of(out);
    rfdn_status st = rfdn_upscale(ctx, &src, &dst);
    if (st != RFDN_OK) {
        fprintf(stderr, PROG ": %s: %s\n", name,
                st == RFDN_CANCELLED ? "interrupted" : rfdn_context_error(ctx));
        g_object_unref(out);
        return NULL;
    }
    return out;
}

/* ------------------------------------------------------------------------ */
/* Safe output */

static const char *output_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (!g_ascii_strcasecmp(dot, ".png"))
        return "png";
    if (!g_ascii_strcasecmp(dot, ".jpg") || !g_ascii_strcasecmp(dot, ".jpeg"))
        return "jpeg";
    return NULL;
}

static gboolean write_cb(const gchar *buf, gsize count, GError **error, gpointer data)
{
    if (fwrite(buf, 1, count, data) != count) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s",
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

/* JPEG has no alpha: composite over white. */
static GdkPixbuf *flatten(GdkPixbuf *pb)
{
    int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
    GdkPixbuf *o = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, w, h);
    if (!o)
        return NULL;
    gdk_pixbuf_fill(o, 0xffffffff);
    gdk_pixbuf_composite(pb, o, 0, 0, w, h, 0, 0, 1, 1, GDK_INTERP_NEAREST, 255);
    return o;
}

/* Saves to a temporary file beside `path`, then renames it into place. */
static int save_image(GdkPixbuf *pb, const char *path)
{
    const char *type = output_type(path);
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int ret = -1;
    GError *err = NULL;
    GdkPixbuf *flat = NULL;
    FILE *f = NULL;
    int fd = g_mkstemp_full(tmp, O_WRONLY, 0600);
    if (fd < 0) {
        fprintf(stderr, PROG ": %s: cannot create the output: %s\n", path, g_strerror(errno));
        goto out;
    }
    f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        fprintf(stderr, PROG ": %s: %s\n", path, g_strerror(errno));
        goto out_unlink;
    }
    if (!strcmp(type, "jpeg") && gdk_pixbuf_get_has_alpha(pb)) {
        flat = flatten(pb);
        if (!flat) {
            fprintf(stderr, PROG ": %s: out of memory\n", path);
            goto out_unlink;
        }
        pb = flat;
    }
    gboolean ok = !strcmp(type, "jpeg")
                      ? gdk_pixbuf_save_to_callback(pb, write_cb, f, type, &err, "quality",
                                                    "95", NULL)
                      : gdk_pixbuf_save_to_callback(pb, write_cb, f, type, &err, NULL);
    if (!ok) {
        fprintf(stderr, PROG ": %s: cannot write: %s\n", path,
                err ? err->message : "unknown error");
        goto out_unlink;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        fprintf(stderr, PROG ": %s: cannot write: %s\n", path, g_strerror(errno));
        goto out_unlink;
    }
    int rc = fclose(f);
    f = NULL;
    if (rc != 0) {
        fprintf(stderr, PROG ": %s: cannot write: %s\n", path, g_strerror(errno));
        goto out_unlink;
    }
    /* mkstemp made the file 0600; give it the usual permissions */
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0666 & ~mask);
    if (rename(tmp, path) != 0) {
        fprintf(stderr, PROG ": %s: cannot write: %s\n", path, g_strerror(errno));
        goto out_unlink;
    }
    ret = 0;
    goto out;
out_unlink:
    if (f)
        fclose(f);
    unlink(tmp);
out:
    g_clear_error(&err);
    if (flat)
        g_object_unref(flat);
    g_free(tmp);
    g_free(dir);
    g_free(base);
    return ret;
}

/* ------------------------------------------------------------------------ */
/* eval */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands directories into their image files, sorted. */
static GPtrArray *collect_inputs(char **args, int n)
{
    GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n; i++) {
        if (!g_file_test(args[i], G_FILE_TEST_IS_DIR)) {
            g_ptr_array_add(v, g_strdup(args[i]));
            continue;
        }
        GDir *d = g_dir_open(args[i], 0, NULL);
        if (!d) {
            g_ptr_array_add(v, g_strdup(args[i])); /* reported when read */
            continue;
        }
        GPtrArray *names = g_ptr_array_new();
        const char *e;
        while ((e = g_dir_read_name(d)))
            if (g_str_has_suffix(e, ".png") || g_str_has_suffix(e, ".jpg"))
                g_ptr_array_add(names, g_build_filename(args[i], e, NULL));
        g_dir_close(d);
        qsort(names->pdata, names->len, sizeof(char *), cmp_str);
        for (guint j = 0; j < names->len; j++)
            g_ptr_array_add(v, names->pdata[j]);
        g_ptr_array_free(names, TRUE);
    }
    return v;
}

/* Whether a file is a grayscale PNG (colour type 0 or 4 in its IHDR).
 * GdkPixbuf hands every image over as RGB, so this reads the header. */
static bool png_is_gray(const char *path)
{
    unsigned char h[26];
    FILE *f = fopen(path, "rb");
    bool gray = f && fread(h, 1, sizeof h, f) == sizeof h &&
                !memcmp(h, "\x89PNG\r\n\x1a\n", 8) && !memcmp(h + 12, "IHDR", 4) &&
                (h[25] == 0 || h[25] == 4);
    if (f)
        fclose(f);
    return gray;
}

static int cmd_eval(rfdn_context *ctx, char **files, int n, const char *check_lr, bool quiet)
{
    rfdn_model_info info;
    rfdn_model_get_info(rfdn_context_get_model(ctx), &info);
    const int s = info.scale;
    GPtrArray *inputs = collect_inputs(files, n);
    double sum_psnr = 0, sum_ssim = 0;
    int count = 0, failed = 0;
    if (!quiet)
        printf("%-24s %9s %7s\n", "image", "Y-PSNR", "SSIM");
    for (guint i = 0; i < inputs->len; i++) {
        const char *path = inputs->pdata[i];
        GdkPixbuf *hr = load_image(path);
        if (!hr) {
            failed++;
            continue;
        }
        /* modcrop, drop alpha */
        const int w = gdk_pixbuf_get_width(hr) / s * s, h = gdk_pixbuf_get_height(hr) / s * s;
        GdkPixbuf *hrc = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, w, h);
        GdkPixbuf *lr = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, w / s, h / s);
        GdkPixbuf *sr = NULL;
        bool ok = hrc && lr && w >= s && h >= s;
        if (ok) {
            const int nc = gdk_pixbuf_get_n_channels(hr);
            const guchar *src = gdk_pixbuf_read_pixels(hr);
            guchar *dst = gdk_pixbuf_get_pixels(hrc);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    memcpy(dst + (size_t)y * gdk_pixbuf_get_rowstride(hrc) + 3 * (size_t)x,
                           src + (size_t)y * gdk_pixbuf_get_rowstride(hr) + (size_t)x * nc, 3);
            guchar *packed = g_try_malloc((size_t)(w / s) * (h / s) * 3 + 1);
            ok = packed && rfdn_imresize_down(dst, w, h, 3, gdk_pixbuf_get_rowstride(hrc), s,
                                              packed) == 0;
            if (ok)
                for (int y = 0; y < h / s; y++)
                    memcpy(gdk_pixbuf_get_pixels(lr) + (size_t)y * gdk_pixbuf_get_rowstride(lr),
                           packed + (size_t)y * (w / s) * 3, (size_t)(w / s) * 3);
            g_free(packed);
            if (!ok)
                fprintf(stderr, PROG ": %s: out of memory\n", path);
        } else {
            fprintf(stderr, PROG ": %s: cannot prepare the image\n", path);
        }
        if (ok && check_lr) {
            char *base = g_path_get_basename(path);
            char *ref = g_build_filename(check_lr, base, NULL);
            GdkPixbuf *lref = load_image(ref);
            ok = lref && gdk_pixbuf_get_width(lref) == w / s &&
                 gdk_pixbuf_get_height(lref) == h / s;
            for (int y = 0; ok && y < h / s; y++)
                for (int x = 0; ok && x < w / s; x++)
                    ok = !memcmp(gdk_pixbuf_read_pixels(lref) +
                                     (size_t)y * gdk_pixbuf_get_rowstride(lref) +
                                     (size_t)x * gdk_pixbuf_get_n_channels(lref),
                                 gdk_pixbuf_read_pixels(lr) +
                                     (size_t)y * gdk_pixbuf_get_rowstride(lr) + 3 * (size_t)x,
                                 3);
            if (!ok)
                fprintf(stderr, PROG ": %s: the generated LR image differs from %s\n", path,
                        ref);
            if (lref)
                g_object_unref(lref);
            g_free(ref);
            g_free(base);
        }
        /* A grayscale image goes through the engine as gray (it comes back
         * gray) and is its own Y; colour images are compared on BT.601 Y. */
        const bool gray = png_is_gray(path);
        if (ok)
            ok = (sr = upscale_pixbuf(ctx, lr, path)) != NULL;
        if (ok) {
            double *yh = g_try_malloc(sizeof(double) * (size_t)w * h);
            double *ys = g_try_malloc(sizeof(double) * (size_t)w * h);
            ok = yh && ys;
            if (ok && gray) {
                /* the engine's gray output: the mean of the three channels */
                guchar *g = g_try_malloc((size_t)w * h);
                rfdn_image li = image_of(lr), lg = li, og = {w, h, 1, RFDN_SAMPLE_U8, w, g};
                guchar *lgp = g_try_malloc((size_t)(w / s) * (h / s));
                ok = g && lgp;
                for (int y = 0; ok && y < h / s; y++)
                    for (int x = 0; x < w / s; x++)
                        lgp[(size_t)y * (w / s) + x] =
                            ((guchar *)li.data)[(size_t)y * li.stride + 3 * (size_t)x];
                lg.channels = 1;
                lg.stride = w / s;
                lg.data = lgp;
                ok = ok && rfdn_upscale(ctx, &lg, &og) == RFDN_OK;
                if (ok) {
                    rfdn_luma(gdk_pixbuf_read_pixels(hrc), w, h, 3,
                              gdk_pixbuf_get_rowstride(hrc), true, yh);
                    rfdn_luma(g, w, h, 1, (size_t)w, true, ys);
                } else {
                    fprintf(stderr, PROG ": %s: %s\n", path,
                            g && lgp ? rfdn_context_error(ctx) : "out of memory");
                }
                g_free(g);
                g_free(lgp);
            } else if (ok) {
                rfdn_luma(gdk_pixbuf_read_pixels(hrc), w, h, 3, gdk_pixbuf_get_rowstride(hrc),
                          false, yh);
                rfdn_luma(gdk_pixbuf_read_pixels(sr), w, h, 3, gdk_pixbuf_get_rowstride(sr),
                          false, ys);
            }
            if (ok) {
                const double p = rfdn_psnr(yh, ys, w, h, s), q = rfdn_ssim(yh, ys, w, h, s);
                char *base = g_path_get_basename(path);
                if (!quiet)
                    printf("%-24s %9.4f %7.4f\n", base, p, q);
                g_free(base);
                sum_psnr += p;
                sum_ssim += q;
                count++;
            }
            g_free(yh);
            g_free(ys);
        }
        if (!ok)
            failed++;
        if (sr)
            g_object_unref(sr);
        if (lr)
            g_object_unref(lr);
        if (hrc)
            g_object_unref(hrc);
        g_object_unref(hr);
    }
    if (count)
        printf("%-24s %9.4f %7.4f\n", "average", sum_psnr / count, sum_ssim / count);
    g_ptr_array_free(inputs, TRUE);
    return failed || !count ? 1 : 0;
}

/* ------------------------------------------------------------------------ */

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int main(int argc, char **argv)
{
    bool eval = argc > 1 && !strcmp(argv[1], "eval");
    if (eval) {
        argv++;
        argc--;
    }
    static const struct option opts[] = {
        {"model-file", required_argument, 0, 'm'},
        {"model", required_argument, 0, 'm'},
        {"output", required_argument, 0, 'o'},
        {"alpha", required_argument, 0, 'a'},
        {"threads", required_argument, 0, 't'},
        {"tile", required_argument, 0, 'T'},
        {"memory", required_argument, 0, 'M'},
        {"overwrite", no_argument, 0, 'y'},
        {"quiet", no_argument, 0, 'q'},
        {"check-lr", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    const char *model_path = NULL, *output = NULL, *check_lr = NULL;
    bool overwrite = false, quiet = false;
    rfdn_settings settings;
    rfdn_settings_default(&settings);
    int c;
    while ((c = getopt_long(argc, argv, "m:o:a:t:T:M:yqhV", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            model_path = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'a':
            if (!strcmp(optarg, "network"))
                settings.alpha = RFDN_ALPHA_NETWORK;
            else if (!strcmp(optarg, "bicubic"))
                settings.alpha = RFDN_ALPHA_BICUBIC;
            else {
                fprintf(stderr, PROG ": --alpha must be network or bicubic\n");
                return 2;
            }
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 1024) {
                fprintf(stderr, PROG ": --threads must be a number from 0 to 1024\n");
                return 2;
            }
            settings.threads = (int)v;
            break;
        }
        case 'T':
        case 'M': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > (c == 'T' ? 1000000 : 1048576) || (c == 'M' && v == 0)) {
                fprintf(stderr, PROG ": --%s must be a number %s\n", c == 'T' ? "tile" : "memory",
                        c == 'T' ? "from 0 to 1000000" : "of MiB from 1 to 1048576");
                return 2;
            }
            if (c == 'T')
                settings.tile_size = (int)v;
            else
                settings.memory_budget = (size_t)v << 20;
            break;
        }
        case 'y':
            overwrite = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'L':
            check_lr = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf(PROG " %s (engine %s)\n", RFDN_UPSCALER_VERSION, rfdn_version());
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    int nin = argc - optind;
    if (eval ? nin < 1 : (nin != 1 || !output)) {
        usage(stderr);
        return 2;
    }
    const char *input = argv[optind];
    if (!eval) {
        if (!output_type(output)) {
            fprintf(stderr, PROG ": %s: unsupported output type (use .png, .jpg or .jpeg)\n",
                    output);
            return 2;
        }
        if (same_file(input, output)) {
            fprintf(stderr, PROG ": %s: refusing to overwrite the input\n", output);
            return 1;
        }
        if (!overwrite && g_file_test(output, G_FILE_TEST_EXISTS)) {
            fprintf(stderr, PROG ": %s: exists (use --overwrite to replace it)\n", output);
            return 1;
        }
    }

    rfdn_model *model = load_model(model_path);
    if (!model)
        return 1;
    rfdn_context *ctx = NULL;
    rfdn_status st = rfdn_context_create(model, &settings, &ctx);
    rfdn_model_unref(model);
    if (st != RFDN_OK) {
        fprintf(stderr, PROG ": %s\n", rfdn_status_string(st));
        return 1;
    }
    g_ctx = ctx;
    signal(SIGINT, on_sigint);
    signal(SIGTERM, on_sigint);

    int ret = 1;
    if (eval) {
        ret = cmd_eval(ctx, argv + optind, nin, check_lr, quiet);
    } else {
        if (!quiet && isatty(STDERR_FILENO))
            rfdn_context_set_progress(ctx, progress_cb, NULL);
        GdkPixbuf *in = load_image(input);
        GdkPixbuf *out = in ? upscale_pixbuf(ctx, in, input) : NULL;
        if (out && save_image(out, output) == 0)
            ret = 0;
        if (out)
            g_object_unref(out);
        if (in)
            g_object_unref(in);
    }
    g_ctx = NULL;
    rfdn_context_free(ctx);
    return ret;
}
