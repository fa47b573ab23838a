/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `rfdn-upscale eval`: a model's Y-PSNR / SSIM on HR images (cli/eval.c). */
#ifndef RFDN_CLI_EVAL_H
#define RFDN_CLI_EVAL_H

#include <signal.h>
#include <stdbool.h>

#include "rfdn.h"

typedef struct rfdn_eval_options {
    int scale;              /* the model's, or -s's with `bicubic` */
    bool bicubic;           /* the baseline: MATLAB bicubic instead of a model */
    int jpeg_quality;       /* 0, or the LR saved as JPEG at this quality first */
    const char *check_lr;   /* compare each LR made with DIR/<name> */
    bool quiet;             /* only the average */
    const char *model;      /* what is measured, for the heading (NULL with bicubic) */
    volatile sig_atomic_t *interrupted;
} rfdn_eval_options;

/* Evaluates `ctx`'s model (NULL with `bicubic`) on the HR images and
 * folders of args[0..n-1] and prints a table.  Returns the exit status: 0,
 * 1 when any image failed or none was found, 130 when interrupted. */
int rfdn_cmd_eval(rfdn_context *ctx, char **args, int n, const rfdn_eval_options *o);

#endif
