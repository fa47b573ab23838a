/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A model's convolutions packed for the chosen kernels, once per context:
 * the numbering of rfdn_block_conv and rfdn_net_conv maps to the model's
 * convolutions here, and nowhere else.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "exec.h"

static const rfdn_conv *block_conv(const rfdn_block *b, int i)
{
    const rfdn_conv *v[RFDN_BLK_CONVS] = {&b->c1_d,     &b->c1_r,       &b->c2_d, &b->c2_r,
                                          &b->c3_d,     &b->c3_r,       &b->c4,   &b->c5,
                                          &b->esa_conv1, &b->esa_conv_f, &b->esa_conv4,
                                          NULL /* RFDN_BLK_ESA2: see rfdn_exec_init */,
                                          &b->esa_conv_max, &b->esa_conv3, &b->esa_conv3_};
    return v[i];
}

static int n_pconv(const rfdn_model *m)
{
    return 4 + m->info.blocks * RFDN_BLK_CONVS;
}

static const rfdn_conv *pconv_source(const rfdn_model *m, int i)
{
    const int nb = m->info.blocks * RFDN_BLK_CONVS;
    if (i == 0)
        return &m->fea;
    if (i <= nb)
        return block_conv(&m->block[(i - 1) / RFDN_BLK_CONVS], (i - 1) % RFDN_BLK_CONVS);
    return i == nb + 1 ? &m->c0 : i == nb + 2 ? &m->lr : &m->up;
}

/* ESA's conv2 (3x3, stride 2, no padding, 12 channels) as a stride-1
 * convolution with padding 1, for kernels with Winograd: computed
 * everywhere and subsampled, it still costs less than the strided
 * portable loop (attention.c picks the odd rows and columns). */
static bool init_esa2(rfdn_exec *ex)
{
    const rfdn_model *m = ex->m;
    if (!ex->k->winograd || m->info.attention != RFDN_ATTENTION_ESA)
        return true;
    ex->esa2 = rfdn_calloc((size_t)m->info.blocks, sizeof *ex->esa2);
    if (!ex->esa2)
        return false;
    for (int b = 0; b < m->info.blocks; b++) {
        ex->esa2[b] = m->block[b].esa_conv2;
        ex->esa2[b].stride = 1;
        ex->esa2[b].pad = 1;
    }
    return true;
}

bool rfdn_exec_init(rfdn_exec *ex, const rfdn_model *m, const rfdn_kernels *k, rfdn_pool *pool)
{
    memset(ex, 0, sizeof *ex);
    ex->m = m;
    ex->k = k;
    ex->pool = pool;
    ex->npc = n_pconv(m);
    ex->pc = rfdn_calloc((size_t)ex->npc, sizeof *ex->pc);
    if (!ex->pc)
        return false;
    if (!init_esa2(ex)) {
        rfdn_exec_free(ex);
        return false;
    }
    for (int i = 0; i < ex->npc; i++) {
        const bool esa2 = i >= 1 && i <= m->info.blocks * RFDN_BLK_CONVS &&
                          (i - 1) % RFDN_BLK_CONVS == RFDN_BLK_ESA2;
        const rfdn_conv *cv = esa2 ? (ex->esa2 ? &ex->esa2[(i - 1) / RFDN_BLK_CONVS] : NULL)
                                   : pconv_source(m, i);
        if (!cv || !cv->w) /* the attention this model does not have */
            continue;
        if (!rfdn_pconv_init_full(&ex->pc[i], cv, k)) {
            rfdn_exec_free(ex);
            return false;
        }
    }
    return true;
}

void rfdn_exec_free(rfdn_exec *ex)
{
    if (ex->pc)
        for (int i = 0; i < ex->npc; i++)
            rfdn_pconv_free(&ex->pc[i]);
    free(ex->pc);
    free(ex->esa2);
    ex->pc = NULL;
    ex->esa2 = NULL;
}

const rfdn_pconv *rfdn_exec_block_pc(const rfdn_exec *ex, int block, rfdn_block_conv which)
{
    return &ex->pc[1 + block * RFDN_BLK_CONVS + which];
}

const rfdn_pconv *rfdn_exec_net_pc(const rfdn_exec *ex, rfdn_net_conv which)
{
    const int nb = ex->m->info.blocks * RFDN_BLK_CONVS;
    return &ex->pc[which == RFDN_NET_FEA ? 0 : nb + (int)which];
}
