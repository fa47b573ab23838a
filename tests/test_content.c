/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common/content.c on what made images cannot reach through the CLI: the
 * JPEG table reader on a FIFO (must not block), truncated and malformed
 * marker streams, 16-bit DQT tables; blockiness on images built block by
 * block against smooth ones, in every sample format.
 *   test_content TMPDIR
 */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "okcheck.h"

static char *write_file(const char *dir, const char *name, const unsigned char *b, size_t n)
{
    char *p = g_build_filename(dir, name, NULL);
    g_file_set_contents(p, (const char *)b, (gssize)n, NULL);
    return p;
}

/* SOI, an APP0 of `app` bytes, a DQT with table 0 all `v` (8- or 16-bit) */
static size_t make_jpeg(unsigned char *b, int app, int v, int sixteen)
{
    size_t n = 0;
    b[n++] = 0xFF, b[n++] = 0xD8;
    b[n++] = 0xFF, b[n++] = 0xE0, b[n++] = (app + 2) >> 8, b[n++] = (app + 2) & 255;
    memset(b + n, 'x', app), n += app;
    const int len = 2 + 1 + 64 * (sixteen ? 2 : 1);
    b[n++] = 0xFF, b[n++] = 0xDB, b[n++] = len >> 8, b[n++] = len & 255;
    b[n++] = sixteen ? 0x10 : 0x00;
    for (int k = 0; k < 64; k++) {
        if (sixteen)
            b[n++] = v >> 8;
        b[n++] = v & 255;
    }
    b[n++] = 0xFF, b[n++] = 0xDA;
    return n;
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "FAIL the JPEG reader blocked on a FIFO\n";
    (void)!write(1, m, sizeof m - 1);
    _exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    const char *dir = argv[1];
    unsigned char b[2048];

    /* all-1 tables are quality 100; 16-bit tables are read too */
    size_t n = make_jpeg(b, 100, 1, 0);
    char *p = write_file(dir, "q100.jpg", b, n);
    CHECK(rfdn_jpeg_file_quality(p) == 100, "all-1 table: quality %d (100)",
          rfdn_jpeg_file_quality(p));
    g_free(p);
    n = make_jpeg(b, 10, 1, 1);
    p = write_file(dir, "q100-16.jpg", b, n);
    CHECK(rfdn_jpeg_file_quality(p) == 100, "16-bit table read: quality %d",
          rfdn_jpeg_file_quality(p));
    /* truncated anywhere: 0 or a value, never a crash (ASan watches) */
    int bad = 0;
    for (size_t cut = 0; cut < n; cut++) {
        char *t = write_file(dir, "cut.jpg", b, cut);
        const int q = rfdn_jpeg_file_quality(t);
        bad += q != 0 && cut < n - 2;
        g_free(t);
    }
    CHECK(bad == 0, "every truncation before the scan: no quality (%d wrong)", bad);
    g_free(p);
    /* a DQT that claims more than it holds, a table id 1 only, a PNG */
    n = make_jpeg(b, 4, 50, 0);
    b[4 + 2 + 4 + 2] = 0x00, b[4 + 2 + 4 + 3] = 40; /* DQT length 40 < 67 */
    p = write_file(dir, "short-dqt.jpg", b, n);
    CHECK(rfdn_jpeg_file_quality(p) == 0, "a DQT shorter than its table: no quality");
    g_free(p);
    n = make_jpeg(b, 4, 50, 0);
    b[4 + 2 + 4 + 4] = 0x01; /* table 1, not 0 */
    p = write_file(dir, "table1.jpg", b, n);
    CHECK(rfdn_jpeg_file_quality(p) == 0, "only a chroma table: no quality");
    g_free(p);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 13, 10, 26, 10};
    p = write_file(dir, "x.png", png, sizeof png);
    CHECK(rfdn_jpeg_file_quality(p) == 0, "a PNG: no quality");
    g_free(p);
    CHECK(rfdn_jpeg_file_quality("/nonexistent/x.jpg") == 0, "a missing file: no quality");

    /* a FIFO with no writer: refused at once, not read */
    char *fifo = g_build_filename(dir, "fifo.jpg", NULL);
    if (mkfifo(fifo, 0600) == 0) {
        signal(SIGALRM, on_alarm);
        alarm(5);
        CHECK(rfdn_jpeg_file_quality(fifo) == 0, "a FIFO: no quality, no wait");
        alarm(0);
        unlink(fifo);
    }
    g_free(fifo);

    /* GIMP's "jpeg-settings" parasite: its quality, or its own tables */
    unsigned char par[4 + 6 + 128] = {3, 70, 3, 0, 2, 2, 1, 1, 1, 1};
    CHECK(rfdn_jpeg_settings_quality(par, 10) == 70, "parasite with quality 70: %d",
          rfdn_jpeg_settings_quality(par, 10));
    par[1] = 0, par[3] = 1;
    static const int std_luma[64] = {16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26,
                                     58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17,
                                     22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103,
                                     77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87,
                                     103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    for (int k = 0; k < 64; k++) { /* libjpeg's table at quality 60: scale 80 % */
        const int v = (std_luma[k] * 80 + 50) / 100;
        par[10 + 2 * k] = (unsigned char)(v >> 8), par[11 + 2 * k] = (unsigned char)v;
    }
    CHECK(rfdn_jpeg_settings_quality(par, sizeof par) == 60, "parasite with tables of quality "
          "60: %d", rfdn_jpeg_settings_quality(par, sizeof par));
    CHECK(rfdn_jpeg_settings_quality(par, sizeof par - 1) == 0 &&
              rfdn_jpeg_settings_quality(par, 3) == 0 && rfdn_jpeg_settings_quality(NULL, 0) == 0,
          "a short parasite: no quality");

    /* blockiness: constant 8x8 blocks of a ramp against the smooth ramp */
    enum { W = 128, H = 96 };
    static unsigned char blocky[W * H * 3], smooth[W * H * 3];
    static unsigned short b16[W * H * 3];
    static float bf[W * H * 3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 3; c++) {
                const size_t i = ((size_t)y * W + x) * 3 + c;
                smooth[i] = (unsigned char)(40 + x + y / 2);
                blocky[i] = (unsigned char)(40 + x / 8 * 8 + y / 16 * 8);
                b16[i] = (unsigned short)(blocky[i] * 257);
                bf[i] = blocky[i] / 255.0f;
            }
    rfdn_image ib = {W, H, 3, RFDN_SAMPLE_U8, W * 3, blocky};
    rfdn_image is = {W, H, 3, RFDN_SAMPLE_U8, W * 3, smooth};
    rfdn_image i16 = {W, H, 3, RFDN_SAMPLE_U16, W * 6, b16};
    rfdn_image i32 = {W, H, 3, RFDN_SAMPLE_F32, W * 12, bf};
    const double vb = rfdn_blockiness(&ib), vs = rfdn_blockiness(&is);
    CHECK(vb >= RFDN_CONTENT_BLOCKINESS_PHOTO, "8x8 blocks: blockiness %.2f", vb);
    CHECK(vs < 1.1, "a smooth ramp: blockiness %.2f", vs);
    CHECK(fabs(rfdn_blockiness(&i16) - vb) < 1e-9 * vb && fabs(rfdn_blockiness(&i32) - vb) < 1e-4 * vb,
          "16-bit and float give the 8-bit value");
    rfdn_image tiny = {8, 8, 3, RFDN_SAMPLE_U8, 24, blocky};
    CHECK(rfdn_blockiness(&tiny) == 1.0, "an image under two blocks: 1.0");
    char *why = NULL;
    CHECK(rfdn_content_guess(0, &ib, &why) == RFDN_CONTENT_PHOTO && strstr(why, "photo model"),
          "blocks: photo (%s)", why);
    g_free(why);
    CHECK(rfdn_content_guess(98, &is, &why) == RFDN_CONTENT_CLEAN &&
              strstr(why, "JPEG quality about 98"),
          "quality 98, smooth: clean (%s)", why);
    g_free(why);
    CHECK(rfdn_content_guess(97, NULL, &why) == RFDN_CONTENT_PHOTO, "quality 97: photo (%s)",
          why);
    g_free(why);
    CHECK(rfdn_content_from_name("photo") == RFDN_CONTENT_PHOTO &&
              rfdn_content_from_name("Photo") == -1 && rfdn_content_from_name(NULL) == -1 &&
              !strcmp(rfdn_content_name(RFDN_CONTENT_CLEAN), "clean"),
          "names");
    return fails ? 1 : 0;
}
