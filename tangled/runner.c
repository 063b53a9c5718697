#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <cblas.h>
#include "runner.h"

typedef struct run_slot {
    run_work *work;
    void *shared;
    long long from, to;
    int index;
    int started;         /* a thread of its own runs it */
    st_error e;
    int status;
} run_slot;

static void *run_slot_main(void *arg)
{
    run_slot *w = arg;
    w->status = w->work(&w->e, w->shared, w->from, w->to, w->index);
    return NULL;
}

static int run_start(st_error *e, run_slot *w, pthread_t *tid, int T, int run_unstarted,
                     const char *task)
{
    for (int k = 1; k < T; k++) {
        w[k].started = pthread_create(&tid[k], NULL, run_slot_main, &w[k]) == 0;
        if (!w[k].started && !run_unstarted)
            return st_fail(e, ST_EFIT, "cannot start a thread of the %s", task);
    }
    return ST_OK;
}
static void run_join(run_slot *w, const pthread_t *tid, int T, int run)
{
    for (int k = 1; k < T; k++) {
        if (w[k].started)
            pthread_join(tid[k], NULL);
        else if (run)
            run_slot_main(&w[k]);
    }
}
static int run_first_error(st_error *e, const run_slot *w, int T, int status)
{
    for (int k = 0; status == ST_OK && k < T; k++)
        if (w[k].status != ST_OK)
            status = st_fail(e, w[k].status, "%s", w[k].e.msg);
    return status;
}

int run_threads(st_error *e, int threads, long long count, run_work *work, void *shared,
                const char *task)
{
    return run_threads_with(e, threads, count, work, shared, task, &(run_options){ 0 });
}
int run_threads_with(st_error *e, int threads, long long count, run_work *work,
                     void *shared, const char *task, const run_options *options)
{
    assert(options != NULL);
    int T = threads < 1 ? 1 : threads, blas_threads = 0;
    if (count >= 1 && T > count)
        T = (int)count;
    run_slot *w = st_alloc(e, (size_t)T, sizeof *w);
    pthread_t *tid = st_alloc(e, (size_t)T, sizeof *tid);
    if (w == NULL || tid == NULL) {
        free(w);
        free(tid);
        return e->status;
    }
    for (int k = 0; k < T; k++)
        w[k] = (run_slot){ .work = work, .shared = shared, .from = count * k / T,
                           .to = count * (k + 1) / T, .index = k, .status = ST_OK };
    if (options->serial_blas) {
        blas_threads = openblas_get_num_threads();
        openblas_set_num_threads(1);
    }
    int status = run_start(e, w, tid, T, options->run_unstarted, task);
    if (status == ST_OK)
        run_slot_main(&w[0]);
    run_join(w, tid, T, status == ST_OK);
    if (options->serial_blas)
        openblas_set_num_threads(blas_threads);
    status = run_first_error(e, w, T, status);
    free(w);
    free(tid);
    return status;
}
