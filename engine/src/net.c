/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The RFDN / E-RFDN forward pass, step by step as docs/MODELS.md (and
 * tools/reference.py) define it, on feature maps with zero halos (maps.c):
 * each block's convolutions in one sweep (sweep.c), then its attention
 * (attention.c), then the tail.  Every output element is computed the same
 * way whatever the thread count.
 */
#include <stdint.h>

#include "attention.h"
#include "maps.h"
#include "net.h"
#include "par.h"
#include "sweep.h"

/* Context each side of a tile.  ESA's pooled branch sees far (its 7x7
 * max-pool on the stride-2 map, then three 3x3 convolutions on the pooled
 * map); RFDN sees 27 pixels through its 3x3 convolutions (its channel
 * statistics are shared between the tiles, see rfdn_upscale). */
#define ESA_TILE_HALO 48
#define CCA_TILE_HALO 30
_Static_assert(ESA_TILE_HALO % RFDN_TILE_ALIGN == 0 && CCA_TILE_HALO % RFDN_TILE_ALIGN == 0,
               "tile halos on the ESA grid");

rfdn_tiling rfdn_net_tiling(const rfdn_model *m)
{
    const int halo = m->info.attention == RFDN_ATTENTION_ESA ? ESA_TILE_HALO : CCA_TILE_HALO;
    return (rfdn_tiling){halo, RFDN_TILE_ALIGN};
}

size_t rfdn_net_scratch_floats(const rfdn_model *m, int w, int h)
{
    int pw, ph;
    rfdn_maps M;
    rfdn_maps_padded_size(m, w, h, &pw, &ph);
    rfdn_maps_layout(m, pw, ph, NULL, &M);
    return M.total;
}

uint64_t rfdn_net_work_units(const rfdn_model *m)
{
    return (uint64_t)m->info.blocks + 2;
}

/* ------------------------------------------------------------------------ */
/* The blocks */

/* Block bi's convolutions up to its attention, in one sweep, from its input
 * x.  x is written first in the same sweep: by the network's first
 * convolution before block 0, by the previous block's ESA gate before the
 * others where the gate is deferred. */
static void block_sweep(const rfdn_exec *ex, int bi, const rfdn_maps *M, const rfdn_fmap *x)
{
    const rfdn_model *m = ex->m;
    const int dc = m->info.nf / 2;
    const rfdn_fmap d1 = rfdn_fmap_slice(&M->dcat, 0, dc), d2 = rfdn_fmap_slice(&M->dcat, dc, dc);
    const rfdn_fmap d3 = rfdn_fmap_slice(&M->dcat, 2 * dc, dc);
    const rfdn_fmap d4 = rfdn_fmap_slice(&M->dcat, 3 * dc, dc);
    const rfdn_fmap *r1 = &M->ta, *r2 = &M->tb, *r3 = &M->tc;
    rfdn_sweep sw;
    rfdn_sweep_init(&sw);
    if (bi == 0)
        rfdn_sweep_add(&sw, rfdn_exec_net_pc(ex, RFDN_NET_FEA), &M->x, x, RFDN_EP_NONE, NULL);
    else if (rfdn_esa_gate_deferred(m))
        rfdn_esa_gate_steps(&sw, ex, bi - 1, M, x);
#define PC(which) rfdn_exec_block_pc(ex, bi, RFDN_BLK_##which)
    const int c1_r = rfdn_sweep_add(&sw, PC(C1_R), x, r1, RFDN_EP_ADD_LRELU, x);
    rfdn_sweep_pace(&sw, rfdn_sweep_add(&sw, PC(C1_D), x, &d1, RFDN_EP_LRELU, NULL), c1_r);
    rfdn_sweep_pace(&sw, rfdn_sweep_add(&sw, PC(C2_D), r1, &d2, RFDN_EP_LRELU, NULL), c1_r);
    const int c2_r = rfdn_sweep_add(&sw, PC(C2_R), r1, r2, RFDN_EP_ADD_LRELU, r1);
    rfdn_sweep_pace(&sw, rfdn_sweep_add(&sw, PC(C3_D), r2, &d3, RFDN_EP_LRELU, NULL), c2_r);
    rfdn_sweep_add(&sw, PC(C3_R), r2, r3, RFDN_EP_ADD_LRELU, r2);
    rfdn_sweep_add(&sw, PC(C4), r3, &d4, RFDN_EP_LRELU, NULL);
    rfdn_sweep_add(&sw, PC(C5), &M->dcat, &M->f, RFDN_EP_NONE, NULL);
    if (m->info.attention == RFDN_ATTENTION_ESA) {
        rfdn_sweep_add(&sw, PC(ESA1), &M->f, &M->c1_, RFDN_EP_NONE, NULL);
        /* ESA's conv2 as a stride-1 convolution, where the kernels have it */
        if (PC(ESA2)->w)
            rfdn_sweep_add(&sw, PC(ESA2), &M->c1_, &M->s, RFDN_EP_NONE, NULL);
    }
#undef PC
    rfdn_sweep_run(ex, &sw);
}

static void rfdb(const rfdn_exec *ex, int bi, const rfdn_maps *M, const rfdn_fmap *x,
                 const rfdn_fmap *out, const rfdn_region *reg)
{
    block_sweep(ex, bi, M, x);
    if (ex->m->info.attention == RFDN_ATTENTION_ESA)
        rfdn_esa(ex, bi, M, out, reg); /* E-RFDN has no block residual in MODELS.md */
    else
        rfdn_cca(ex, bi, &M->f, x, out, reg);
    if (ex->m->info.attention == RFDN_ATTENTION_ESA && ex->m->info.block_residual)
        rfdn_map_add(ex, out, x);
}

/* The last block's ESA gate first where it is deferred, then c.0 (which
 * overwrites f only in rows the gate is done with), LR_conv + fea, and the
 * upsampler, in one sweep. */
static void tail_sweep(const rfdn_exec *ex, const rfdn_maps *M)
{
    const rfdn_model_info *info = &ex->m->info;
    const rfdn_fmap last = rfdn_fmap_slice(&M->bout, (info->blocks - 1) * info->nf, info->nf);
    rfdn_sweep sw;
    rfdn_sweep_init(&sw);
    if (rfdn_esa_gate_deferred(ex->m))
        rfdn_esa_gate_steps(&sw, ex, info->blocks - 1, M, &last);
    rfdn_sweep_add(&sw, rfdn_exec_net_pc(ex, RFDN_NET_C0), &M->bout, &M->f, RFDN_EP_LRELU, NULL);
    rfdn_sweep_add(&sw, rfdn_exec_net_pc(ex, RFDN_NET_LR), &M->f, &M->ta, RFDN_EP_ADD, &M->fea);
    rfdn_sweep_add(&sw, rfdn_exec_net_pc(ex, RFDN_NET_UP), &M->ta, &M->up, RFDN_EP_NONE, NULL);
    rfdn_sweep_run(ex, &sw);
}

/* ------------------------------------------------------------------------ */
/* Input and output */

typedef struct io_job {
    const rfdn_exec *ex;
    const float *in;
    float *out;
    int w0, h0; /* unpadded size */
    const rfdn_maps *M;
} io_job;

/* planar input -> x map, replicate-padded at the bottom/right when the ESA
 * needs it, scaled to the network's input range */
static void input_rows(void *arg, int y0, int y1)
{
    const io_job *j = arg;
    const rfdn_fmap *x = &j->M->x;
    const float k = j->ex->m->info.input_range / 255.0f;
    for (int c = 0; c < 3; c++)
        for (int y = y0; y < y1; y++) {
            const int sy = y < j->h0 ? y : j->h0 - 1;
            const float *src = j->in + ((size_t)c * j->h0 + sy) * j->w0;
            float *dst = x->p + (size_t)c * x->cs + (ptrdiff_t)y * x->rs;
            for (int i = 0; i < x->w; i++)
                dst[i] = src[i < j->w0 ? i : j->w0 - 1] * k;
        }
}

/* pixel_shuffle(s) of the up map into planar output, cropped */
static void shuffle_rows(void *arg, int y0, int y1)
{
    const io_job *j = arg;
    const rfdn_fmap *up = &j->M->up;
    const int s = j->ex->m->info.scale;
    const float k = 255.0f / j->ex->m->info.input_range;
    const size_t ow = (size_t)s * j->w0, oh = (size_t)s * j->h0;
    for (int c = 0; c < 3; c++)
        for (int y = y0; y < y1 && y < j->h0; y++)
            for (int i = 0; i < s; i++)
                for (int jj = 0; jj < s; jj++) {
                    const float *u = up->p + (size_t)(c * s * s + i * s + jj) * up->cs +
                                     (ptrdiff_t)y * up->rs;
                    float *o = j->out + (size_t)c * ow * oh + ((size_t)y * s + i) * ow + jj;
                    for (int xx = 0; xx < j->w0; xx++)
                        o[(size_t)xx * s] = u[xx] * k;
                }
}

static bool tick(const rfdn_exec *ex, const rfdn_run_hooks *hooks, uint64_t done,
                 uint64_t total)
{
    return (hooks && hooks->tick && hooks->tick(hooks->user, done, total)) || rfdn_exec_stopped(ex);
}

rfdn_status rfdn_net_run(const rfdn_exec *ex, float *S, const float *in, int w0, int h0,
                         float *out, const rfdn_region *reg, const rfdn_run_hooks *hooks)
{
    const rfdn_model_info *info = &ex->m->info;
    const int nf = info->nf;
    const uint64_t total = rfdn_net_work_units(ex->m);
    int w, h;
    rfdn_maps_padded_size(ex->m, w0, h0, &w, &h);
    rfdn_maps M;
    rfdn_maps_layout(ex->m, w, h, S, &M);
    rfdn_maps_zero_halos(ex, &M);

    io_job io = {ex, in, out, w0, h0, &M};
    rfdn_par_rows(ex, h, input_rows, &io);
    /* the first convolution (x -> fea) runs in block 0's sweep */
    if (tick(ex, hooks, 1, total))
        return RFDN_CANCELLED;
    for (int i = 0; i < info->blocks; i++) {
        const rfdn_fmap bin = i ? rfdn_fmap_slice(&M.bout, (i - 1) * nf, nf) : M.fea;
        const rfdn_fmap bo = rfdn_fmap_slice(&M.bout, i * nf, nf);
        rfdb(ex, i, &M, &bin, &bo, reg);
        if (tick(ex, hooks, (uint64_t)i + 2, total))
            return RFDN_CANCELLED;
    }
    tail_sweep(ex, &M);
    rfdn_par_rows(ex, h0, shuffle_rows, &io);
    if (rfdn_exec_stopped(ex))
        return RFDN_CANCELLED;
    tick(ex, hooks, total, total);
    return RFDN_OK;
}

rfdn_status rfdn_net_forward(const rfdn_model *m, float *S, const float *in, int w, int h,
                             float *out, const rfdn_run_hooks *hooks)
{
    rfdn_exec ex;
    if (!rfdn_exec_init(&ex, m, rfdn_kernels_select(0), NULL))
        return RFDN_ERROR_NO_MEMORY;
    rfdn_status st = rfdn_net_run(&ex, S, in, w, h, out, NULL, hooks);
    rfdn_exec_free(&ex);
    return st;
}
