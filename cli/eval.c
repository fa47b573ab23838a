/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `rfdn-upscale eval`: each HR image is modcropped, downscaled with MATLAB
 * bicubic by the scale (the LR of the evaluation sets, checked with
 * --check-lr), optionally saved as JPEG and decoded again (--jpeg Q: the
 * compressed input people really have), upscaled by the model or by MATLAB
 * bicubic (--bicubic, the baseline), and scored against the clean HR on
 * Y-PSNR / SSIM with a border of the scale (docs/MODELS.md).
 */
#include "eval.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "imageio.h"
#include "imageops.h"
#include "jpegtrip.h"
#include "batchplan.h"

#define PROG "rfdn-upscale"

/* Keeps the first `c` channels of an 8-bit image, cropped to w x h. */
static uint8_t *crop_channels(const rfdn_io_image *im, int c, int w, int h)
{
    uint8_t *o = g_try_malloc((size_t)w * h * c + 1);
    if (!o)
        return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            memcpy(o + ((size_t)y * w + x) * c,
                   (const uint8_t *)im->pixels + y * im->stride + (size_t)x * im->channels, c);
    return o;
}

/* Whether the LR made from `path` equals DIR/<name> byte for byte. */
static bool same_as_reference(const char *path, const char *dir, const uint8_t *lr, int lw,
                              int lh, int c)
{
    GError *err = NULL;
    char *base = g_path_get_basename(path);
    char *ref = g_build_filename(dir, base, NULL);
    rfdn_io_image *lref = rfdn_io_load(ref, 0, &err);
    bool same = lref && lref->bits == 8 && lref->width == lw && lref->height == lh &&
                (lref->channels >= 3 ? 3 : 1) == c;
    uint8_t *lc = same ? crop_channels(lref, c, lw, lh) : NULL;
    same = same && lc && !memcmp(lc, lr, (size_t)lw * lh * c);
    if (!lref) /* nothing to compare with: not a difference */
        fprintf(stderr, PROG ": %s: --check-lr: cannot read %s: %s\n", path, ref, err->message);
    else if (!same)
        fprintf(stderr, PROG ": %s: the generated LR image differs from %s\n", path, ref);
    g_clear_error(&err);
    g_free(lc);
    rfdn_io_image_free(lref);
    g_free(ref);
    g_free(base);
    return same;
}

/* The LR -> SR step: the model, or the bicubic baseline.  0 or -1. */
static int upscale(rfdn_context *ctx, const rfdn_eval_options *o, const char *path,
                   uint8_t *lr, int lw, int lh, int c, uint8_t *sr)
{
    const int s = o->scale;
    if (o->bicubic) {
        if (rfdn_imresize_up(lr, lw, lh, c, (size_t)lw * c, s, sr) == 0)
            return 0;
        fprintf(stderr, PROG ": %s: out of memory\n", path);
        return -1;
    }
    rfdn_image li = {lw, lh, c, RFDN_SAMPLE_U8, (size_t)lw * c, lr};
    rfdn_image si = {lw * s, lh * s, c, RFDN_SAMPLE_U8, (size_t)lw * s * c, sr};
    rfdn_status st = rfdn_upscale(ctx, &li, &si);
    if (st == RFDN_OK)
        return 0;
    fprintf(stderr, PROG ": %s: %s\n", path,
            st == RFDN_CANCELLED ? "interrupted" : rfdn_context_error(ctx));
    return -1;
}

/* Y-PSNR / SSIM of image `path`; *bic (when not NULL) the bicubic
 * baseline's Y-PSNR on the same LR. */
static int eval_one(rfdn_context *ctx, const char *path, const rfdn_eval_options *o,
                    double *psnr, double *ssim, double *bic)
{
    GError *err = NULL;
    rfdn_io_image *hr = rfdn_io_load(path, (uint64_t)1 << 28, &err);
    if (!hr) {
        fprintf(stderr, PROG ": %s: %s\n", path, err->message);
        g_error_free(err);
        return -1;
    }
    int ret = -1;
    uint8_t *hrc = NULL, *lr = NULL, *sr = NULL;
    double *yh = NULL, *ys = NULL;
    /* modcrop; alpha dropped.  A gray image goes through the engine as gray
     * (it comes back gray) and is its own Y; colour images are compared on
     * BT.601 Y. */
    const int s = o->scale;
    const int w = hr->width / s * s, h = hr->height / s * s;
    const int c = hr->channels >= 3 ? 3 : 1;
    if (hr->bits != 8 || w < s || h < s) {
        fprintf(stderr, PROG ": %s: eval needs an 8-bit image of at least %d x %d pixels\n",
                path, s, s);
        goto out;
    }
    hrc = crop_channels(hr, c, w, h);
    lr = g_try_malloc((size_t)(w / s) * (h / s) * c + 1);
    sr = g_try_malloc((size_t)w * h * c + 1);
    yh = g_try_malloc(sizeof(double) * (size_t)w * h);
    ys = g_try_malloc(sizeof(double) * (size_t)w * h);
    if (!hrc || !lr || !sr || !yh || !ys ||
        rfdn_imresize_down(hrc, w, h, c, (size_t)w * c, s, lr) != 0) {
        fprintf(stderr, PROG ": %s: out of memory\n", path);
        goto out;
    }
    if (o->jpeg_quality && !rfdn_jpeg_roundtrip(lr, w / s, h / s, c, o->jpeg_quality, lr, &err)) {
        fprintf(stderr, PROG ": %s: %s\n", path, err->message);
        g_error_free(err);
        goto out;
    }
    if (o->check_lr && !same_as_reference(path, o->check_lr, lr, w / s, h / s, c))
        goto out;
    if (upscale(ctx, o, path, lr, w / s, h / s, c, sr) != 0)
        goto out;
    rfdn_luma(hrc, w, h, c, (size_t)w * c, c == 1, yh);
    rfdn_luma(sr, w, h, c, (size_t)w * c, c == 1, ys);
    *psnr = rfdn_psnr(yh, ys, w, h, s);
    *ssim = rfdn_ssim(yh, ys, w, h, s);
    if (bic) {
        const rfdn_eval_options b = {.scale = s, .bicubic = true};
        if (upscale(NULL, &b, path, lr, w / s, h / s, c, sr) != 0)
            goto out;
        rfdn_luma(sr, w, h, c, (size_t)w * c, c == 1, ys);
        *bic = rfdn_psnr(yh, ys, w, h, s);
    }
    ret = 0;
out:
    g_free(hrc);
    g_free(lr);
    g_free(sr);
    g_free(yh);
    g_free(ys);
    rfdn_io_image_free(hr);
    return ret;
}

int rfdn_cmd_eval(rfdn_context *ctx, char **args, int n, const rfdn_eval_options *o)
{
    GPtrArray *items = rfdn_plan_new(); /* a folder's images, not its subfolders' */
    for (int i = 0; i < n; i++)
        rfdn_plan_add(items, args[i], FALSE);
    double sum_psnr = 0, sum_ssim = 0, sum_bic = 0;
    int count = 0, failed = 0;
    /* what is measured, on what input; beside a model, the bicubic
     * baseline on the same LR (the gain a user sees) */
    const bool with_bic = !o->bicubic;
    if (!o->quiet) {
        if (o->bicubic)
            printf("model: MATLAB bicubic x%d (the baseline)\n", o->scale);
        else
            printf("model: %s\n", o->model ? o->model : "?");
        if (o->jpeg_quality)
            printf("input: each HR reduced x%d with MATLAB bicubic, saved as JPEG quality %d "
                   "(4:2:0)\n", o->scale, o->jpeg_quality);
        else
            printf("input: each HR reduced x%d with MATLAB bicubic\n", o->scale);
        printf("%-24s %9s %7s%s\n", "image", "Y-PSNR", "SSIM", with_bic ? "  bicubic" : "");
    }
    for (guint i = 0; i < items->len && !*o->interrupted; i++) {
        const char *path = ((rfdn_plan_item *)items->pdata[i])->input;
        double p, q, b = 0;
        if (eval_one(ctx, path, o, &p, &q, with_bic ? &b : NULL) != 0) {
            failed++;
            continue;
        }
        char *base = g_path_get_basename(path);
        if (!o->quiet && with_bic)
            printf("%-24s %9.4f %7.4f %8.4f\n", base, p, q, b);
        else if (!o->quiet)
            printf("%-24s %9.4f %7.4f\n", base, p, q);
        g_free(base);
        sum_psnr += p;
        sum_ssim += q;
        sum_bic += b;
        count++;
    }
    if (count && with_bic)
        printf("%-24s %9.4f %7.4f %8.4f\n", "average", sum_psnr / count, sum_ssim / count,
               sum_bic / count);
    else if (count)
        printf("%-24s %9.4f %7.4f\n", "average", sum_psnr / count, sum_ssim / count);
    g_ptr_array_free(items, TRUE);
    return *o->interrupted ? 130 : failed || !count ? 1 : 0;
}
