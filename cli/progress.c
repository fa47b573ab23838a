/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CLI's progress bar: one line on a terminal's stderr, the current file
 * and, in a batch, the whole batch, with time left from the megapixels done.
 */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

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
    char left[32], all_left[32], speed[24] = "";
    /* a speed only once it means something (the first updates measured
     * a few tiles in milliseconds: "76.46 MP/s") */
    if (el >= 1.0 && f > 0.02)
        snprintf(speed, sizeof speed, "  %.2f MP/s", mpx / el);
    fmt_time(left, sizeof left, f > 0.02 ? el * (1 - f) / f : -1);
    fmt_time(all_left, sizeof all_left,
             all_done > 0 && all_el > 1 ? all_el * (p->total_mpx - all_done) / all_done : -1);
    char bar[21];
    const int filled = (int)(f * 20 + 0.5);
    for (int i = 0; i < 20; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[20] = 0;
    /* the line fits the terminal's width (a longer one wraps, and every
     * update leaves a new row): the file name shrinks (to 8 characters at
     * the least), and what still does not fit is cut at the end */
    struct winsize ws;
    const int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    const char *base = strrchr(p->name, '/') ? strrchr(p->name, '/') + 1 : p->name;
    char batch[64] = "", line[512];
    if (p->count > 1)
        snprintf(batch, sizeof batch, " | %d/%d, all %d%%, %s left", p->index, p->count,
                 (int)(100 * all_done / (p->total_mpx > 0 ? p->total_mpx : 1)), all_left);
    const int fixed = 2 + 20 + 6 + 2 + (int)strlen(left) + 5; /* " [bar] 100%  0:00 left" */
    const int room = cols - 1 - fixed - (int)strlen(speed) - (int)strlen(batch);
    const int name_w = room < 8 ? 8 : room > 28 ? 28 : room;
    snprintf(line, sizeof line, "%.*s [%s] %3d%%%s  %s left%s", name_w, base, bar,
             (int)(f * 100), speed, left, batch);
    if ((int)strlen(line) > cols - 1)
        line[cols > 1 ? cols - 1 : 0] = 0;
    fprintf(stderr, "\r\033[K%s", line);
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

