/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CLI's upscale command (cli/upscale.c). */
#ifndef RFDN_CLI_UPSCALE_H
#define RFDN_CLI_UPSCALE_H

#include <signal.h>

#include <glib.h>

#include "choose.h"
#include "cli-options.h"
#include "progress.h"

typedef struct {
    char *input;   /* path */
    char *output;  /* path, or "-" */
    int w, h;      /* from the header; 0 if unreadable */
    bool make_dir; /* create the output's folder (-d) */
} cli_job;

/* What a run shares with the signal handler and the model choice. */
typedef struct {
    const cli_options *options;
    rfdn_chooser *chooser;
    volatile sig_atomic_t *interrupted;
    rfdn_context *volatile *current; /* the context running, for a cancel */
} cli_run;

/* The jobs (cli_job*, freed with the array) for the inputs; *failed counts
 * the inputs refused (messages printed). */
GPtrArray *cli_plan_jobs(const cli_options *o, int *failed);

/* Runs the jobs; `failed` are the inputs refused before.  Returns the exit
 * status: 0, 1 when any failed, 130 when interrupted. */
int cli_upscale_all(const cli_run *run, GPtrArray *jobs, int failed);

#endif
