/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Row-parallel helpers: a layer's rows cut into tasks for the pool, enough
 * to balance the threads and few enough to be cheap.
 */
#include "par.h"

/* A group's chunks: at most 16 rows (whole Winograd tiles); 50 channels of
 * 16 rows of a 256-pixel-wide map are 0.9 MB, about one core's L2. */
#define GROUP_MAX_ROWS 16

static int rows_per_task(const rfdn_exec *ex, int h)
{
    const int t = rfdn_pool_threads(ex->pool);
    if (t == 1)
        return h;
    int r = h / (8 * t); /* enough tasks to balance, few enough to be cheap */
    return r < 1 ? 1 : r;
}

typedef struct conv_job {
    const rfdn_exec *ex;
    const rfdn_pconv *pc;
    const rfdn_fmap *in, *out, *aux;
    rfdn_epilogue ep;
    int rows; /* per task */
} conv_job;

static void conv_task(void *arg, int i)
{
    const conv_job *j = arg;
    if (rfdn_exec_stopped(j->ex))
        return;
    const int y0 = i * j->rows, y1 = y0 + j->rows < j->out->h ? y0 + j->rows : j->out->h;
    j->ex->k->conv_rows(j->pc, j->in, j->out, y0, y1, j->ep, j->aux);
}

void rfdn_par_conv(const rfdn_exec *ex, const rfdn_pconv *pc, const rfdn_fmap *in,
                   const rfdn_fmap *out, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    conv_job j = {ex, pc, in, out, aux, ep, rows_per_task(ex, out->h)};
    if (pc->wino) /* whole Winograd tiles per task: no tile computed twice */
        j.rows = (j.rows + pc->wino_m - 1) / pc->wino_m * pc->wino_m;
    rfdn_pool_run(ex->pool, (out->h + j.rows - 1) / j.rows, conv_task, &j);
}

typedef struct group_job {
    const rfdn_exec *ex;
    const rfdn_conv_step *st;
    int n, h, rows;
} group_job;

static void group_task(void *arg, int i)
{
    const group_job *j = arg;
    const int y0 = i * j->rows, y1 = y0 + j->rows < j->h ? y0 + j->rows : j->h;
    for (int s = 0; s < j->n && !rfdn_exec_stopped(j->ex); s++)
        j->ex->k->conv_rows(j->st[s].pc, j->st[s].in, j->st[s].out, y0, y1, j->st[s].ep,
                            j->st[s].aux);
}

void rfdn_par_conv_group(const rfdn_exec *ex, const rfdn_conv_step *st, int n)
{
    const int h = st[0].out->h;
    int rows = rows_per_task(ex, h);
    rows = rows > GROUP_MAX_ROWS ? GROUP_MAX_ROWS : rows;
    rows = (rows + 3) / 4 * 4;
    group_job j = {ex, st, n, h, rows};
    rfdn_pool_run(ex->pool, (h + rows - 1) / rows, group_task, &j);
}

typedef struct rows_job {
    const rfdn_exec *ex;
    void (*fn)(void *ctx, int y0, int y1);
    void *ctx;
    int rows, h;
} rows_job;

static void rows_task(void *arg, int i)
{
    const rows_job *j = arg;
    if (rfdn_exec_stopped(j->ex))
        return;
    const int y0 = i * j->rows, y1 = y0 + j->rows < j->h ? y0 + j->rows : j->h;
    j->fn(j->ctx, y0, y1);
}

void rfdn_par_rows(const rfdn_exec *ex, int h, void (*fn)(void *, int, int), void *ctx)
{
    rows_job j = {ex, fn, ctx, rows_per_task(ex, h), h};
    rfdn_pool_run(ex->pool, (h + j.rows - 1) / j.rows, rows_task, &j);
}
