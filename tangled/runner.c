#include <pthread.h>
#include <stdlib.h>
#include "runner.h"

typedef struct run_slot {
    run_work *work;
    void *shared;
    long long from, to;
    int index;
    st_error e;
    int status;
} run_slot;

static void *run_slot_main(void *arg)
{
    run_slot *w = arg;
    w->status = w->work(&w->e, w->shared, w->from, w->to, w->index);
    return NULL;
}

int run_threads(st_error *e, int threads, long long count, run_work *work, void *shared,
                const char *task)
{
    int T = threads < 1 ? 1 : threads, started = 0, status = ST_OK;
    if (count >= 1 && T > count)
        T = (int)count;
    run_slot *w = st_alloc(e, (size_t)T, sizeof *w);
    pthread_t *tid = st_alloc(e, (size_t)T, sizeof *tid);
    if (w == NULL || tid == NULL) {
        free(w);
        free(tid);
        return e->status;
    }
    for (int k = 0; k < T; k++) {
        w[k] = (run_slot){ .work = work, .shared = shared, .from = count * k / T,
                           .to = count * (k + 1) / T, .index = k, .status = ST_OK };
        if (k > 0 && pthread_create(&tid[k], NULL, run_slot_main, &w[k]) != 0) {
            status = st_fail(e, ST_EFIT, "cannot start a thread of the %s", task);
            break;
        }
        started = k + 1;
    }
    if (status == ST_OK)
        run_slot_main(&w[0]);
    for (int k = 1; k < started; k++)
        pthread_join(tid[k], NULL);
    for (int k = 0; status == ST_OK && k < started; k++)
        if (w[k].status != ST_OK)
            status = st_fail(e, w[k].status, "%s", w[k].e.msg);
    free(w);
    free(tid);
    return status;
}
