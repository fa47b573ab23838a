/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clean or photo: the rule of content.h (JPEG tables, blockiness). */
#include "content.h"


#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

static const char *const names[] = {"auto", "clean", "photo"};

const char *rfdn_content_name(rfdn_content c)
{
    return c >= RFDN_CONTENT_AUTO && c <= RFDN_CONTENT_PHOTO ? names[c] : "auto";
}

int rfdn_content_from_name(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, names[i]))
            return i;
    return -1;
}

/* ------------------------------------------------------------------------ */
/* JPEG quality from the quantisation tables */

/* libjpeg's std_luminance_quant_tbl (natural order) and the zigzag order
 * in which DQT segments store coefficients */
static const uint8_t std_luma[64] = {
    16, 11, 10,  16,  24,  40,  51,  61,  12, 12, 14, 19,  26,  58,  60,  55,
    14, 13, 16,  24,  40,  57,  69,  56,  14, 17, 22, 29,  51,  87,  80,  62,
    18, 22, 37,  56,  68,  109, 103, 77,  24, 35, 55, 64,  81,  104, 113, 92,
    49, 64, 78,  87,  103, 121, 120, 101, 72, 92, 95, 98,  112, 100, 103, 99,
};
static const uint8_t zigzag[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

/* libjpeg's jpeg_quality_scaling + jpeg_add_quant_table (baseline) */
static int scaled(int basic, int q)
{
    const long f = q < 50 ? 5000 / q : 200 - q * 2;
    long t = (basic * f + 50) / 100;
    return t < 1 ? 1 : t > 255 ? 255 : (int)t;
}

/* `table` in zigzag order (a DQT segment's) or natural order (libjpeg's
 * quantval, GIMP's parasite) */
static int nearest_quality(const int table[64], gboolean natural)
{
    int best = 0;
    long best_err = -1;
    for (int q = 1; q <= 100; q++) {
        long err = 0;
        for (int k = 0; k < 64; k++)
            err += labs((long)table[k] - scaled(std_luma[natural ? k : zigzag[k]], q));
        if (best_err < 0 || err < best_err) {
            best_err = err;
            best = q;
        }
    }
    return best;
}

static int read_full(int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Table 0 of a DQT segment's payload into `table` (zigzag order). */
static gboolean dqt_table0(const uint8_t *p, size_t n, int table[64])
{
    size_t i = 0;
    while (i < n) {
        const int pq = p[i] >> 4, tq = p[i] & 15;
        const size_t len = pq ? 128 : 64;
        if (pq > 1 || i + 1 + len > n)
            return FALSE;
        if (tq == 0) {
            for (int k = 0; k < 64; k++)
                table[k] = pq ? p[i + 1 + 2 * k] << 8 | p[i + 2 + 2 * k] : p[i + 1 + k];
            return TRUE;
        }
        i += 1 + len;
    }
    return FALSE;
}

int rfdn_jpeg_file_quality(const char *path)
{
    /* non-blocking, and regular files only: a FIFO must not hang us */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    uint8_t b[4];
    int quality = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || read_full(fd, b, 2) ||
        b[0] != 0xFF || b[1] != 0xD8)
        goto out;
    for (int seg = 0; seg < 1024; seg++) {
        if (read_full(fd, b, 4) || b[0] != 0xFF)
            break;
        if (b[1] == 0xFF) { /* fill byte: step one back */
            if (lseek(fd, -3, SEEK_CUR) < 0)
                break;
            continue;
        }
        const size_t len = (size_t)(b[2] << 8 | b[3]);
        if (b[1] == 0xDA || b[1] == 0xD9 || len < 2)
            break; /* the scan (no table before it) or the end */
        if (b[1] == 0xDB) {
            uint8_t *p = g_malloc(len);
            int table[64];
            if (read_full(fd, p, len - 2) == 0 && dqt_table0(p, len - 2, table))
                quality = nearest_quality(table, FALSE);
            g_free(p);
            if (quality)
                break;
        } else if (lseek(fd, (off_t)len - 2, SEEK_CUR) < 0) {
            break;
        }
    }
out:
    close(fd);
    return quality;
}

int rfdn_jpeg_settings_quality(const void *data, size_t len)
{
    /* colour space, quality, components, tables, 2 bytes per component,
     * then 128 bytes per table (16-bit big-endian, natural order) */
    const uint8_t *p = data;
    if (!p || len < 4 || p[1] > 100)
        return 0;
    if (p[1] > 0)
        return p[1];
    const size_t at = 4 + (size_t)p[2] * 2;
    if (p[3] < 1 || len < at + 128)
        return 0;
    int table[64];
    for (int k = 0; k < 64; k++)
        table[k] = p[at + 2 * k] << 8 | p[at + 2 * k + 1];
    return nearest_quality(table, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Blockiness */

static double luma_at(const rfdn_image *im, int x, int y)
{
    const uint8_t *row = (const uint8_t *)im->data + (ptrdiff_t)y * im->stride;
    const int c = im->channels;
    double v[3];
    const int n = c >= 3 ? 3 : 1;
    for (int k = 0; k < n; k++) {
        const size_t i = (size_t)x * c + k;
        v[k] = im->format == RFDN_SAMPLE_U8    ? row[i]
               : im->format == RFDN_SAMPLE_U16 ? ((const uint16_t *)row)[i] / 257.0
                                               : ((const float *)row)[i] * 255.0;
    }
    return n == 3 ? 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2] : v[0];
}

/* One direction: the steps along lines (`along` pixels each, `lines` of
 * them, every `step`-th), as the ratio of content.h. */
static double direction(const rfdn_image *im, gboolean vertical)
{
    const int along = vertical ? im->height : im->width;
    const int lines = vertical ? im->width : im->height;
    const int step = lines > 2048 ? lines / 2048 : 1;
    double sum[8] = {0}, cnt[8] = {0};
    double *l = g_new(double, along);
    for (int j = 0; j < lines; j += step) {
        for (int i = 0; i < along; i++)
            l[i] = vertical ? luma_at(im, j, i) : luma_at(im, i, j);
        /* the step between i and i + 1, with flat neighbours on both sides */
        for (int i = 1; i + 2 < along; i++) {
            const double left = fabs(l[i] - l[i - 1]), right = fabs(l[i + 2] - l[i + 1]);
            if (left <= 2.0 && right <= 2.0) {
                sum[i % 8] += fabs(l[i + 1] - l[i]);
                cnt[i % 8] += 1;
            }
        }
    }
    g_free(l);
    double m[8], others = 0;
    for (int p = 0; p < 8; p++)
        m[p] = (sum[p] + 1) / (cnt[p] + 1);
    for (int p = 0; p < 7; p++)
        others += m[p] / 7;
    /* patterns of period 2 or 4 (integer ramps, dithering, pixel art) step
     * at phase 7 as often as at 3, or at 1 and 5: only a period of 8 counts */
    double ref = others > m[3] ? others : m[3];
    ref = ref > (m[1] + m[5]) / 2 ? ref : (m[1] + m[5]) / 2;
    return m[7] / (ref > 1e-3 ? ref : 1e-3);
}

double rfdn_blockiness(const rfdn_image *im)
{
    if (!im || !im->data || im->width < 16 || im->height < 16)
        return 1.0;
    return sqrt(direction(im, FALSE) * direction(im, TRUE));
}

rfdn_content rfdn_content_guess(int jpeg_quality, const rfdn_image *pixels, char **why)
{
    if (jpeg_quality > 0 && jpeg_quality <= RFDN_CONTENT_JPEG_MAX_QUALITY) {
        *why = g_strdup_printf(_("JPEG quality about %d: photo model"), jpeg_quality);
        return RFDN_CONTENT_PHOTO;
    }
    char jq[48] = "";
    if (jpeg_quality > 0)
        snprintf(jq, sizeof jq, _("JPEG quality about %d, "), jpeg_quality);
    if (!pixels) {
        *why = g_strdup_printf(_("%sno sign of JPEG compression: clean model"), jq);
        return RFDN_CONTENT_CLEAN;
    }
    const double b = rfdn_blockiness(pixels);
    if (b >= RFDN_CONTENT_BLOCKINESS_PHOTO) {
        *why = g_strdup_printf(_("%sJPEG block edges in the pixels (blockiness %.2f): photo model"),
                               jq, b);
        return RFDN_CONTENT_PHOTO;
    }
    *why = g_strdup_printf(_("%sno JPEG block edges (blockiness %.2f): clean model"), jq, b);
    return RFDN_CONTENT_CLEAN;
}

char *rfdn_content_explain(const char *why, const char *note)
{
    return g_strdup_printf("%s%s%s", why ? why : "", note ? "; " : "", note ? note : "");
}
