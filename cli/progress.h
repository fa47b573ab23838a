/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CLI's progress bar and per-file lines (cli/progress.c). */
#ifndef RFDN_CLI_PROGRESS_H
#define RFDN_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

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
} cli_progress;


/* Seconds on the monotonic clock. */
double cli_now(void);

/* The engine's progress callback (rfdn_progress_fn): redraws the bar on
 * stderr at most ten times a second; `user` is a cli_progress. */
int cli_progress_cb(void *user, uint64_t done, uint64_t total);

/* Clears the bar's line (when one is drawn). */
void cli_progress_clear(const cli_progress *p);

#endif
