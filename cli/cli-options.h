/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CLI's command line (cli/cli-options.c). */
#ifndef RFDN_CLI_OPTIONS_H
#define RFDN_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "content.h"
#include "eval.h"
#include "imageio.h"
#include "options.h"
#include "rfdn.h"

#define PROG "rfdn-upscale"

typedef enum { CLI_UPSCALE, CLI_EVAL, CLI_MODELS } cli_command;

typedef struct {
    cli_command cmd;
    const char *model_name;  /* --model */
    int scale;               /* --scale */
    bool scale_given;        /* --scale was on the command line */
    const char *model_file;  /* --model-file, or NULL */
    const char *official;    /* --official, or NULL */
    rfdn_content content;    /* --content */
    const char *output;      /* -o, or NULL */
    const char *outdir;      /* -d, or NULL */
    const char *suffix;      /* --suffix, or NULL */
    bool recursive, quiet, verbose;
    int shard, shards;       /* --shard K/N, or 0, 0 */
    rfdn_existing existing;  /* --existing, --overwrite (replace) */
    rfdn_io_save_options save; /* --format, --quality, --overwrite */
    rfdn_settings settings;    /* --alpha, --threads, --tile, --memory */
    rfdn_eval_options eval;    /* eval's --check-lr, --jpeg, --bicubic */
    char **inputs;             /* the arguments after the options */
    int ninputs;
} cli_options;

/* Parses argv into `o` (pointing into argv); prints the help, the version
 * or a usage error.  Returns -1 to go on, else the exit status (0 after
 * --help / --version, 2 for a usage error). */
int cli_parse(int argc, char **argv, cli_options *o);

void cli_usage(FILE *f);

#endif
