/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which inputs a batch holds and where each result goes, for every front
 * end (the CLI's -d and -o, the app's batch): files as given, folders as
 * their images in name order, subfolders mirrored in the output folder; two
 * inputs never written to one output, an input never overwritten, an
 * existing output refused before any work unless replacing is asked for;
 * a batch split into N parts that need no coordination (--shard K/N).
 */
#ifndef RFDN_BATCHPLAN_H
#define RFDN_BATCHPLAN_H

#include <glib.h>

#include "imageio.h"
#include "options.h"

G_BEGIN_DECLS

typedef struct {
    char *input;
    char *rel;    /* the path under the output folder, before the new name */
    char *output; /* after rfdn_plan_outputs() */
    char *problem; /* after rfdn_plan_outputs(): why it must not run, or NULL */
    gboolean elsewhere; /* after rfdn_plan_outputs(): another shard's item */
    gboolean existed;   /* after rfdn_plan_outputs(): its output was there */
    gboolean skip;      /* after rfdn_plan_outputs(): left as it is (existing skip) */
} rfdn_plan_item;

typedef struct {
    const char *output;    /* the one output file (one input), or NULL */
    const char *outdir;    /* the output folder, or NULL */
    rfdn_io_format format; /* 0: each input's own type */
    const char *suffix;    /* appended to each name under outdir, or NULL */
    rfdn_existing existing; /* an existing output: refused (ask), skipped,
                               replaced or the new one renamed (never an input) */
    const char *exists_hint; /* after "exists": how to replace it, or NULL */
    int shard, shards;     /* this run's part K of N (1 <= K <= N), or 0, 0: all */
} rfdn_plan_options;

/* Adds the images of `path` to `items` (rfdn_plan_item*, freed with the
 * array): a file as itself (its name as `rel`), a folder's images in name
 * order, and its subfolders' when `recursive` (their relative paths kept,
 * at most 16 levels; hidden files and folders skipped).  FALSE when `path`
 * is a folder that cannot be read. */
gboolean rfdn_plan_add(GPtrArray *items, const char *path, gboolean recursive);

/* A new array for rfdn_plan_add. */
GPtrArray *rfdn_plan_new(void);

/*
 * Sets each item's output, and the problem of each that must not run: the
 * second of two
 * inputs with one output ("%s: two inputs would be written to %s; skipped"),
 * an output that is an input ("%s: refusing to overwrite an input"), an
 * existing file with `existing` ask ("%s: exists" and the hint; skip: the
 * item's `skip` set instead, rename: the first free "NAME (2).EXT", "(3)"...
 * as its output).  Returns how many have a problem.
 * With `shards` N > 0, the items are dealt out in their order (the k-th,
 * from 0, to part k mod N + 1): an item of another part is marked
 * `elsewhere`, not checked for an existing output (its own run may have
 * written it already) and not counted; the collisions are still found over
 * the whole batch, so every part agrees on which input of two is skipped.
 * Each part of the same command line over the same files so holds every
 * item once, with no coordination between the runs.
 */
int rfdn_plan_outputs(GPtrArray *items, const rfdn_plan_options *o);

/* OUTDIR/REL with the extension of `format` (or REL's own type, PNG when
 * unknown) and `suffix` before it (g_free). */
char *rfdn_plan_output_name(const char *outdir, const char *rel, rfdn_io_format format,
                            const char *suffix);

G_END_DECLS

#endif
