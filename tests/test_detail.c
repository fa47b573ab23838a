/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common/detail.c: where a preview is placed first.  On made images: a
 * flat image with one textured patch (the window covers the patch, at every
 * channel count, wherever the patch is), a flat image (the centre), images
 * no larger than the window (0, 0), ties between two equal patches (the
 * one nearer the centre).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "okcheck.h"

#define IW 400
#define IH 300

/* flat grey, a checkerboard patch of p x p at (px, py) */
static void make(uint8_t *im, int c, int px, int py, int p)
{
    memset(im, 128, (size_t)IW * IH * c);
    for (int y = py; y < py + p; y++)
        for (int x = px; x < px + p; x++)
            for (int k = 0; k < c; k++)
                im[((size_t)y * IW + x) * c + k] = ((x / 2 + y / 2) % 2) ? 230 : 20;
}

static int covers(int x, int y, int w, int h, int px, int py, int p)
{
    return x <= px && x + w >= px + p && y <= py && y + h >= py + p;
}

int main(void)
{
    uint8_t *im = malloc((size_t)IW * IH * 4);
    const int W = 64, H = 64;
    const int spots[][2] = {{300, 50}, {10, 10}, {340, 240}, {180, 130}};
    for (int c = 1; c <= 4; c++)
        for (int i = 0; i < 4; i++) {
            int x, y;
            make(im, c, spots[i][0], spots[i][1], 40);
            rfdn_detail_window(im, IW, IH, c, (size_t)IW * c, W, H, &x, &y);
            CHECK(covers(x, y, W, H, spots[i][0], spots[i][1], 40),
                  "%d channel(s): the window at %d,%d covers the patch at %d,%d", c, x, y,
                  spots[i][0], spots[i][1]);
        }
    int x, y;
    memset(im, 90, (size_t)IW * IH * 3);
    rfdn_detail_window(im, IW, IH, 3, (size_t)IW * 3, W, H, &x, &y);
    CHECK(x == (IW - W) / 2 && y == (IH - H) / 2, "a flat image: the centre (%d,%d)", x, y);
    rfdn_detail_window(im, 50, 40, 3, (size_t)IW * 3, W, H, &x, &y);
    CHECK(x == 0 && y == 0, "an image smaller than the window: 0,0 (%d,%d)", x, y);
    /* two equal patches: the one nearer the centre */
    make(im, 3, 20, 20, 40);
    uint8_t *two = malloc((size_t)IW * IH * 3);
    make(two, 3, 200, 140, 40);
    for (int py = 20; py < 60; py++)
        memcpy(two + ((size_t)py * IW + 20) * 3, im + ((size_t)py * IW + 20) * 3, 40 * 3);
    rfdn_detail_window(two, IW, IH, 3, (size_t)IW * 3, W, H, &x, &y);
    CHECK(covers(x, y, W, H, 200, 140, 40), "two equal patches: the one nearer the centre (%d,%d)",
          x, y);
    free(two);
    free(im);
    return fails != 0;
}
