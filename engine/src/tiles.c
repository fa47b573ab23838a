/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tile planning: the largest tiles whose scratch fits the budget, cores on
 * the network's alignment, each tile reading its core plus the network's
 * halo (clamped at the image's edges).
 */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "net.h"
#include "tiles.h"

static atomic_bool reverse_tiles;

void rfdn_test_reverse_tiles(bool on)
{
    atomic_store(&reverse_tiles, on);
}

bool rfdn_tiles_reversed(void)
{
    return atomic_load(&reverse_tiles);
}

size_t rfdn_tiles_floats(const rfdn_model *m, int tw, int th)
{
    const size_t P = (size_t)tw * th, s2 = (size_t)m->info.scale * m->info.scale;
    const size_t net = rfdn_net_scratch_floats(m, tw, th);
    const size_t planes = 3 * P + 3 * s2 * P + P + s2 * P;
    if (net > SIZE_MAX / 8 || planes > SIZE_MAX / 8 - net)
        return 0;
    return net + planes;
}

/* The largest core whose tile fits `budget` floats. */
static int largest_core(const rfdn_model *m, int w, int h, size_t budget)
{
    const rfdn_tiling tl = rfdn_net_tiling(m);
    int lo = tl.align, hi = (w > h ? w : h) + tl.align;
    while (hi - lo > tl.align) {
        const int mid = (lo + hi) / 2 / tl.align * tl.align;
        const int e = mid + 2 * tl.halo;
        const size_t f = rfdn_tiles_floats(m, e, e);
        if (f && f <= budget)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool plan_grid(const rfdn_model *m, int w, int h, int core, size_t budget_bytes,
                      rfdn_tile_plan *tp)
{
    const rfdn_tiling tl = rfdn_net_tiling(m);
    const size_t budget = budget_bytes / sizeof(float);
    memset(tp, 0, sizeof *tp);
    tp->nx = tp->ny = 1;
    tp->tw = w;
    tp->th = h;
    if (core == 0) {
        tp->floats = rfdn_tiles_floats(m, w, h);
        if (tp->floats && tp->floats <= budget)
            return true; /* the whole image at once: nothing to stitch */
        core = largest_core(m, w, h, budget);
    }
    core = (core + tl.align - 1) / tl.align * tl.align;
    if (core >= w && core >= h) {
        tp->floats = rfdn_tiles_floats(m, w, h);
        return tp->floats != 0;
    }
    tp->core = core;
    tp->halo = tl.halo;
    tp->nx = (w + core - 1) / core;
    tp->ny = (h + core - 1) / core;
    tp->tw = core + 2 * tp->halo < w ? core + 2 * tp->halo : w;
    tp->th = core + 2 * tp->halo < h ? core + 2 * tp->halo : h;
    tp->floats = rfdn_tiles_floats(m, tp->tw, tp->th);
    return tp->floats != 0;
}

/* Tiles from the budget run one after the other, each layer split between
 * the threads, so that the tiles, and so the output bytes, do not depend
 * on the thread count.  (Side by side, one tile per thread with its share
 * of the budget, the smaller tiles recompute more halo than the barriers
 * between layers cost: 768 to 1536 px at x4, 2 threads, 18-23 % slower,
 * bench/README.md.)  A fixed tile size does not depend on the threads:
 * with at least two tiles per thread they run side by side, each on one
 * thread, without barriers. */
bool rfdn_tiles_plan(const rfdn_model *m, int w, int h, int tile_size, size_t budget_bytes,
                     int threads, rfdn_tile_plan *tp)
{
    if (!plan_grid(m, w, h, tile_size, budget_bytes, tp))
        return false;
    tp->workers = 1;
    if (threads > 1 && tile_size && tp->nx * tp->ny >= 2 * threads)
        tp->workers = threads;
    tp->floats = (tp->floats + 15) & ~(size_t)15;
    return true;
}

rfdn_tile_rect rfdn_tiles_rect(const rfdn_tile_plan *tp, int w, int h, int t)
{
    const int core = tp->core ? tp->core : (w > h ? w : h);
    rfdn_tile_rect r;
    r.cx0 = t % tp->nx * core;
    r.cy0 = t / tp->nx * core;
    r.cx1 = r.cx0 + core < w ? r.cx0 + core : w;
    r.cy1 = r.cy0 + core < h ? r.cy0 + core : h;
    r.ix0 = r.cx0 - tp->halo > 0 ? r.cx0 - tp->halo : 0;
    r.iy0 = r.cy0 - tp->halo > 0 ? r.cy0 - tp->halo : 0;
    r.ix1 = r.cx1 + tp->halo < w ? r.cx1 + tp->halo : w;
    r.iy1 = r.cy1 + tp->halo < h ? r.cy1 + tp->halo : h;
    return r;
}
