#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lapacke.h>
#include "data.h"
#include "formula.h"
#include "ols.h"

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    ols_workspace *w = NULL;
    ols_result *r = NULL;
    if (argc != 3) {
        fprintf(stderr, "usage: tool-olsbench FORMULA FILE\n");
        return 2;
    }
    double t0 = seconds();
    int status = frm_parse(&e, argv[1], &f);
    if (status == ST_OK)
        status = df_read(&e, argv[2], &df);
    double t1 = seconds();
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
    double t2 = seconds();
    double *copy = NULL;
    if (status == ST_OK && (copy = st_alloc(&e, (size_t)m->n * (size_t)m->p, sizeof *copy)) == NULL)
        status = e.status;
    if (status == ST_OK)
        memcpy(copy, m->X, (size_t)m->n * (size_t)m->p * sizeof *copy);
    double t3 = seconds();
    if (status == ST_OK)
        status = ols_workspace_new(&e, m->n, m->p, m->X, &w);
    if (status == ST_OK)
        status = ols_fit(&e, w, m->X, m->y, m->intercept, 0.95, &r);
    double t4 = seconds();
    double tq = 0;
    if (status == ST_OK) {
        double query, *tau = st_alloc(&e, (size_t)m->p, sizeof *tau), *work = NULL;
        double t5 = seconds();
        LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m->n, m->p, copy, m->n, tau, &query, -1);
        work = st_alloc(&e, (size_t)query, sizeof *work);
        if (tau != NULL && work != NULL)
            LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m->n, m->p, copy, m->n, tau, work, (int)query);
        tq = seconds() - t5;
        free(tau);
        free(work);
    }
    if (status == ST_OK)
        printf("n = %d, p = %d: read %.3f s, model matrix %.3f s, fit %.3f s, "
               "one dgeqrf %.3f s (fit / dgeqrf = %.2f)\n", m->n, m->p, t1 - t0, t2 - t1,
               t4 - t3, tq, (t4 - t3) / tq);
    else
        fprintf(stderr, "tool-olsbench: %s\n", e.msg);
    free(copy);
    ols_result_free(r);
    ols_workspace_free(w);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
