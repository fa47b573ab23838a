/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A persistent thread pool: workers sleep on a condition variable between
 * jobs; a job is n numbered tasks claimed with an atomic counter by the
 * workers and the calling thread.  Which thread runs a task never changes its
 * result: tasks write disjoint outputs.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"
#include "pool.h"
#include "rfdn.h"

struct rfdn_pool {
    int nthreads; /* including the caller */
    pthread_t *th;
    pthread_mutex_t mu;
    pthread_cond_t wake, done;
    unsigned long gen; /* job generation */
    bool quit;
    void (*fn)(void *, int);
    void *arg;
    int n;
    atomic_int next;     /* next task to claim */
    int busy;            /* workers still in the current job */
};

static void run_tasks(rfdn_pool *p)
{
    int i;
    while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
        p->fn(p->arg, i);
}

static void *worker(void *arg)
{
    rfdn_pool *p = arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->gen == seen)
            pthread_cond_wait(&p->wake, &p->mu);
        if (p->quit)
            break;
        seen = p->gen;
        pthread_mutex_unlock(&p->mu);
        run_tasks(p);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

rfdn_pool *rfdn_pool_create(int threads)
{
    rfdn_pool *p = rfdn_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->nthreads = 1;
    if (threads <= 1)
        return p;
    p->th = rfdn_calloc((size_t)threads - 1, sizeof *p->th);
    if (!p->th || pthread_mutex_init(&p->mu, NULL)) {
        free(p->th);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    atomic_init(&p->next, 0);
    /* the kernels keep their Winograd tiles on the stack (under 1 MiB): a
     * stack size of our own, not the system's default (128 KiB on musl) */
    pthread_attr_t attr;
    const bool attr_init = !pthread_attr_init(&attr);
    const bool attr_ok = attr_init && !pthread_attr_setstacksize(&attr, RFDN_WORKER_STACK);
    for (int i = 0; i < threads - 1; i++) {
        if (pthread_create(&p->th[i], attr_ok ? &attr : NULL, worker, p))
            break; /* run with the threads we got */
        p->nthreads++;
    }
    if (attr_init)
        pthread_attr_destroy(&attr);
    return p;
}

void rfdn_pool_free(rfdn_pool *p)
{
    if (!p)
        return;
    if (p->th) {
        pthread_mutex_lock(&p->mu);
        p->quit = true;
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < p->nthreads - 1; i++)
            pthread_join(p->th[i], NULL);
        pthread_cond_destroy(&p->wake);
        pthread_cond_destroy(&p->done);
        pthread_mutex_destroy(&p->mu);
        free(p->th);
    }
    free(p);
}

int rfdn_pool_threads(const rfdn_pool *p)
{
    return p ? p->nthreads : 1;
}

void rfdn_pool_run(rfdn_pool *p, int n, void (*fn)(void *, int), void *arg)
{
    if (!p || p->nthreads == 1 || n <= 1) {
        for (int i = 0; i < n; i++)
            fn(arg, i);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->arg = arg;
    p->n = n;
    atomic_store(&p->next, 0);
    p->busy = p->nthreads - 1;
    p->gen++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    run_tasks(p);
    pthread_mutex_lock(&p->mu);
    while (p->busy)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
