/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CLI's progress bar: one line on a terminal's stderr, the current file
 * and, in a batch, the whole batch, with time left from the megapixels done.
 */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

double cli_now(void)
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

int cli_progress_cb(void *user, uint64_t done, uint64_t total)
{
    cli_progress *p = user;
    const double t = cli_now();
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

void cli_progress_clear(const cli_progress *p)
{
    if (p->bar) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

