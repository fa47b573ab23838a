/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Thread pool (pool.c): persistent workers that run numbered tasks. */
#ifndef RFDN_POOL_H
#define RFDN_POOL_H

typedef struct rfdn_pool rfdn_pool;

rfdn_pool *rfdn_pool_create(int threads); /* threads >= 1, including the caller */
void rfdn_pool_free(rfdn_pool *pool);
int rfdn_pool_threads(const rfdn_pool *pool);
/* Runs fn(arg, i) for i in [0, n) on the pool and the calling thread; returns
 * when all are done.  NULL pool: runs them on the caller. */
void rfdn_pool_run(rfdn_pool *pool, int n, void (*fn)(void *arg, int i), void *arg);

#endif
