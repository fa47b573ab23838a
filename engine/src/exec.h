/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A model's convolutions packed once for one set of kernels, with the pool
 * and the stop flag a run uses (exec.c): what every part of the forward
 * pass (net.c, attention.c, sweep.c) works from. */
#ifndef RFDN_EXEC_H
#define RFDN_EXEC_H

#include <stdatomic.h>
#include <stdbool.h>

#include "conv.h"
#include "model.h"
#include "pool.h"

/* The packed convolutions: fea, then per block RFDN_BLK_CONVS, then c0, lr,
 * up. */
typedef enum rfdn_block_conv {
    RFDN_BLK_C1_D, RFDN_BLK_C1_R, RFDN_BLK_C2_D, RFDN_BLK_C2_R, RFDN_BLK_C3_D, RFDN_BLK_C3_R,
    RFDN_BLK_C4, RFDN_BLK_C5, RFDN_BLK_ESA1, RFDN_BLK_ESA_F, RFDN_BLK_ESA4, RFDN_BLK_ESA2,
    RFDN_BLK_ESA_MAX, RFDN_BLK_ESA3, RFDN_BLK_ESA3B, RFDN_BLK_CONVS
} rfdn_block_conv;

/* The convolutions outside the blocks. */
typedef enum rfdn_net_conv { RFDN_NET_FEA, RFDN_NET_C0, RFDN_NET_LR, RFDN_NET_UP } rfdn_net_conv;

typedef struct rfdn_exec {
    const rfdn_model *m;
    const rfdn_kernels *k;
    rfdn_pool *pool;
    rfdn_pconv *pc; /* one per convolution of the model, in the order above */
    int npc;
    rfdn_conv *esa2; /* per block, ESA's conv2 at stride 1 (exec.c), or NULL */
    /* When set (by rfdn_cancel, from any thread), the remaining work of a
     * run is skipped: checked before every row range of every layer.  NULL:
     * never. */
    const atomic_bool *stop;
} rfdn_exec;

bool rfdn_exec_init(rfdn_exec *ex, const rfdn_model *m, const rfdn_kernels *k, rfdn_pool *pool);
void rfdn_exec_free(rfdn_exec *ex);

/* Convolution `which` of block `block`, packed (its w is NULL when the
 * model or the kernels do not use it). */
const rfdn_pconv *rfdn_exec_block_pc(const rfdn_exec *ex, int block, rfdn_block_conv which);
/* A convolution outside the blocks, packed. */
const rfdn_pconv *rfdn_exec_net_pc(const rfdn_exec *ex, rfdn_net_conv which);

/* Whether the run must stop (the stop flag is set). */
static inline bool rfdn_exec_stopped(const rfdn_exec *ex)
{
    return ex->stop && atomic_load_explicit(ex->stop, memory_order_relaxed);
}

#endif
