#include <math.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "boot.h"
#include "confint.h"
#include "numutil.h"
#include "ols.h"
#include "rformat.h"
#include "rng.h"
#include "runner.h"

const char *const boot_type_name[3] = { "pairs", "residual", "wild" };

typedef struct boot_null {
    double *c;          /* p: diagonal of (X'X)^{-1} by column of X, NaN if aliased */
    double *resid0;     /* n: residuals of the F test's null model, or NULL */
    double fitted0;     /* its fitted value: the mean, or zero */
    int d;              /* columns of the null model: 1 (the mean) or 0 */
} boot_null;
typedef struct boot_problem {
    const double *X, *y, *fitted, *resid;
    int n, p, rank;              /* rank: of the original fit */
    boot_type type;
    uint64_t seed;
    double *star;                /* B x p, each worker writing its own rows */
    double *se_star;             /* B x p, likewise */
    const boot_null *null;       /* c, and the F test's null model */
    double *f_star;              /* B, or NULL: no F test */
    const char *progress;        /* NULL, or the program's name for progress lines */
    atomic_long *done;           /* replicates done, by all workers */
    long long total;             /* B */
    struct timespec start;       /* when the replicates started */
} boot_problem;

typedef struct boot_task {
    const boot_problem *pb;
    ols_workspace *w;            /* pairs: for refits; residual, wild: a copy of base */
    double *ys;                  /* n: the resampled response */
    uint32_t *idx;               /* n: the resampled rows */
    double *rinv, *cbuf, *coef0; /* p x p, p, p: scratch of the standard errors, F test */
    ols_workspace *w0;           /* the F test's copy of base (w itself unless pairs) */
    long long deficient;         /* replicates that lost rank */
    st_error e;                  /* a failure inside the worker */
} boot_task;
#define BOOT_PROGRESS_AFTER 2.0   /* seconds */

static double boot_elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec)
           + 1e-9 * (double)(now.tv_nsec - start->tv_nsec);
}
static int task_new(st_error *e, boot_task *t, const boot_problem *pb,
                    const ols_workspace *base);
static void task_free(boot_task *t);
static int worker(st_error *e, void *shared, long long from, long long to, int index);
static int replicate_se(st_error *e, const ols_workspace *w, const double *c, double *rinv,
                        double *cbuf, double *se);
static int refit_without(st_error *e, const double *X, const double *y, int n, int p,
                         int i, ols_workspace **w, double **yd, double *coef);
static boot_result *result_new(st_error *e, int n, int p, const boot_spec *spec)
{
    boot_result *r = st_alloc(e, 1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->spec = *spec;
    r->n = n;
    r->p = p;
    size_t B = (size_t)spec->replicates;
    if (p > 0 && B > SIZE_MAX / sizeof(double) / (size_t)p) {
        st_fail(e, ST_ENOMEM, "out of memory");
        free(r);
        return NULL;
    }
    r->star = st_alloc_large(e, B * (size_t)p, sizeof *r->star);
    r->estimate = st_alloc(e, (size_t)p, sizeof *r->estimate);
    r->used = st_alloc(e, (size_t)p, sizeof *r->used);
    r->z0 = st_alloc(e, (size_t)p, sizeof *r->z0);
    r->accel = st_alloc(e, (size_t)p, sizeof *r->accel);
    r->percentile = st_alloc(e, 2 * (size_t)p, sizeof *r->percentile);
    r->basic = st_alloc(e, 2 * (size_t)p, sizeof *r->basic);
    r->bca = st_alloc(e, 2 * (size_t)p, sizeof *r->bca);
    r->studentized = st_alloc(e, 2 * (size_t)p, sizeof *r->studentized);
    r->se = st_alloc(e, (size_t)p, sizeof *r->se);
    r->se_star = st_alloc_large(e, B * (size_t)p, sizeof *r->se_star);
    r->f_star = spec->f_null != BOOT_F_NONE ? st_alloc_large(e, B, sizeof *r->f_star) : NULL;
    r->f_stat = r->f_df[0] = r->f_df[1] = r->f_p_value = NAN;
    if (!r->star || !r->estimate || !r->used || !r->z0 || !r->accel || !r->percentile
        || !r->basic || !r->bca || !r->studentized || !r->se || !r->se_star
        || (spec->f_null != BOOT_F_NONE && !r->f_star)) {
        boot_result_free(r);
        return NULL;
    }
    return r;
}
static int fit_data(st_error *e, const double *X, const double *y, boot_result *r,
                    ols_workspace **base, double **fitted, double **resid)
{
    int n = r->n, p = r->p;
    for (int i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return st_fail(e, ST_EINPUT, "NA/NaN/Inf in the response (row %d)", i + 1);
    *fitted = st_alloc(e, (size_t)n, sizeof **fitted);
    *resid = st_alloc(e, (size_t)n, sizeof **resid);
    if (*fitted == NULL || *resid == NULL)
        return e->status;
    if (ols_workspace_new(e, n, p, NULL, base) != ST_OK
        || ols_decompose(e, *base, X, n) != ST_OK
        || ols_solve(e, *base, y, r->estimate, *resid) != ST_OK)
        return e->status;
    for (int i = 0; i < n; i++)
        (*fitted)[i] = y[i] - (*resid)[i];
    return ST_OK;
}
static int fit_null(st_error *e, const double *y, const ols_workspace *base, boot_result *r,
                    boot_null *null)
{
    int n = r->n, p = r->p, k = base->rank;
    double *rinv = st_alloc(e, (size_t)p * p + 1, sizeof *rinv);
    null->c = st_alloc(e, (size_t)p + 1, sizeof *null->c);
    int status = rinv && null->c ? ST_OK : e->status;
    if (status == ST_OK)
        status = replicate_se(e, base, NULL, rinv, null->c, r->se);
    free(rinv);
    if (status != ST_OK || r->spec.f_null == BOOT_F_NONE)
        return status;
    null->d = r->spec.f_null == BOOT_F_MEAN;
    if (null->d && (k == 0 || base->pivot[0] != 0))
        return st_fail(e, ST_EINPUT, "bootstrap: the F test's null model is the mean, but "
                       "column 1 is not the intercept");
    r->f_stat = boot_f_from_qty(base->qty, n, k, null->d);
    r->f_df[0] = k - null->d;
    r->f_df[1] = n - k;
    if ((null->resid0 = st_alloc(e, (size_t)n, sizeof *null->resid0)) == NULL)
        return e->status;
    double mean = 0;
    for (int i = 0; null->d && i < n; i++)
        mean += y[i] / n;
    null->fitted0 = mean;
    for (int i = 0; i < n; i++)
        null->resid0[i] = y[i] - mean;
    return ST_OK;
}
static int replicate_se(st_error *e, const ols_workspace *w, const double *c, double *rinv,
                        double *cbuf, double *se)
{
    (void)e;
    int n = w->n, p = w->p, k = w->rank;
    if (c == NULL) {
        for (int j = 0; j < p; j++)
            cbuf[j] = NAN;
        if (k > 0) {
            for (size_t s = 0; s < (size_t)k * k; s++)
                rinv[s] = 0;
            for (int s = 0; s < k; s++)
                rinv[s + (size_t)s * k] = 1;
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, k, k,
                        1.0, w->qr, n, rinv, k);
        }
        for (int s = 0; s < k; s++) {
            double cs = 0;
            for (int t = s; t < k; t++)
                cs += rinv[s + (size_t)t * k] * rinv[s + (size_t)t * k];
            cbuf[w->pivot[s]] = cs;
        }
        c = cbuf;
    }
    double rss = 0;
    for (int i = k; i < n; i++)
        rss += w->qty[i] * w->qty[i];
    double s2 = rss / (n - k);
    for (int j = 0; j < p; j++)
        se[j] = sqrt(c[j] * s2);
    return ST_OK;
}
static int draw_replicates(st_error *e, const double *X, const double *y,
                           const double *fitted, const double *resid, const boot_null *null,
                           const ols_workspace *base, boot_result *r)
{
    long long B = r->spec.replicates;
    int T = r->spec.threads < B ? r->spec.threads : (int)B;
    atomic_long done;
    atomic_init(&done, 0);
    boot_problem pb = { X, y, fitted, resid, r->n, r->p, base->rank, r->spec.type,
                        r->spec.seed, r->star, r->se_star, null, r->f_star, r->progress,
                        &done, B, { 0, 0 } };
    clock_gettime(CLOCK_MONOTONIC, &pb.start);
    boot_task *task = st_alloc(e, (size_t)T, sizeof *task);
    int status = task ? ST_OK : e->status;
    for (int t = 0; t < T && status == ST_OK; t++)
        status = task_new(e, &task[t], &pb, base);
    if (status == ST_OK) {
        run_options serial = { .run_unstarted = 1, .serial_blas = 1 };
        status = run_threads_with(e, T, B, worker, task, "bootstrap", &serial);
        if (pb.progress != NULL && boot_elapsed(&pb.start) >= BOOT_PROGRESS_AFTER)
            ci_progress(stderr, pb.progress, "bootstrap", (long)B, (long)B);
        r->rank_deficient = 0;
        for (int t = 0; t < T; t++)
            r->rank_deficient += task[t].deficient;
    }
    for (int t = 0; task && t < T; t++)
        task_free(&task[t]);
    free(task);
    return status;
}
static int task_new(st_error *e, boot_task *t, const boot_problem *pb,
                    const ols_workspace *base)
{
    t->pb = pb;
    t->e.status = ST_OK;
    t->e.msg[0] = '\0';
    t->ys = st_alloc(e, (size_t)pb->n, sizeof *t->ys);
    t->idx = st_alloc(e, (size_t)pb->n, sizeof *t->idx);
    t->rinv = st_alloc(e, (size_t)pb->p * pb->p + 1, sizeof *t->rinv);
    t->cbuf = st_alloc(e, (size_t)pb->p + 1, sizeof *t->cbuf);
    t->coef0 = st_alloc(e, (size_t)pb->p + 1, sizeof *t->coef0);
    if (t->ys == NULL || t->idx == NULL || t->rinv == NULL || t->cbuf == NULL
        || t->coef0 == NULL)
        return e->status;
    if (pb->type != BOOT_PAIRS) {
        if (ols_workspace_copy(e, base, &t->w) != ST_OK)
            return e->status;
        t->w0 = t->w;
        return ST_OK;
    }
    if (pb->f_star != NULL && ols_workspace_copy(e, base, &t->w0) != ST_OK)
        return e->status;
    return ols_workspace_new(e, pb->n, pb->p, NULL, &t->w);
}

static void task_free(boot_task *t)
{
    if (t->w0 != t->w)
        ols_workspace_free(t->w0);
    ols_workspace_free(t->w);
    free(t->ys);
    free(t->idx);
    free(t->rinv);
    free(t->cbuf);
    free(t->coef0);
}
static int pairs_replicate(boot_task *t, rng_state *g, double *theta)
{
    const boot_problem *pb = t->pb;
    int n = pb->n, p = pb->p, status;
    double *A = t->w->qr;
    for (int i = 0; i < n; i++)
        t->idx[i] = rng_below(g, (uint32_t)n);
    for (int j = 0; j < p; j++) {
        const double *x = pb->X + (size_t)j * n;
        double *a = A + (size_t)j * n;
        for (int i = 0; i < n; i++)
            a[i] = x[t->idx[i]];
    }
    for (int i = 0; i < n; i++)
        t->ys[i] = pb->y[t->idx[i]];
    status = ols_decompose(&t->e, t->w, A, n);
    if (status == ST_OK)
        status = ols_solve(&t->e, t->w, t->ys, theta, NULL);
    if (status == ST_OK && t->w->rank < pb->rank)
        t->deficient++;
    return status;
}
static void residual_response(boot_task *t, rng_state *g)
{
    const boot_problem *pb = t->pb;
    int n = pb->n;
    for (int i = 0; i < n; i++)
        t->ys[i] = pb->fitted[i] + pb->resid[rng_below(g, (uint32_t)n)];
}

static void wild_response(boot_task *t, rng_state *g)
{
    const boot_problem *pb = t->pb;
    int n = pb->n;
    uint64_t bits = 0;
    for (int i = 0; i < n; i++) {
        if (i % 64 == 0)
            bits = rng_next(g);
        t->ys[i] = pb->fitted[i] + ((bits & 1) ? pb->resid[i] : -pb->resid[i]);
        bits >>= 1;
    }
}
static int null_replicate(boot_task *t, long long b)
{
    const boot_problem *pb = t->pb;
    int n = pb->n, status;
    rng_state g;
    const boot_null *null = pb->null;
    rng_stream(&g, pb->seed, (UINT64_C(1) << 61) + (uint64_t)b);
    for (int i = 0; i < n; i++)
        t->ys[i] = null->fitted0 + null->resid0[rng_below(&g, (uint32_t)n)];
    status = ols_solve(&t->e, t->w0, t->ys, t->coef0, NULL);
    if (status == ST_OK)
        pb->f_star[b] = boot_f_from_qty(t->w0->qty, n, t->w0->rank, null->d);
    return status;
}
static int replicate(boot_task *t, long long b)
{
    const boot_problem *pb = t->pb;
    int p = pb->p;
    rng_state g;
    rng_stream(&g, pb->seed, (uint64_t)b);
    double *theta = pb->star + (size_t)b * p, *se = pb->se_star + (size_t)b * p;
    int status;
    if (pb->type == BOOT_PAIRS) {
        status = pairs_replicate(t, &g, theta);
        if (status == ST_OK)
            status = replicate_se(&t->e, t->w, NULL, t->rinv, t->cbuf, se);
    } else {
        if (pb->type == BOOT_RESIDUAL)
            residual_response(t, &g);
        else
            wild_response(t, &g);
        status = ols_solve(&t->e, t->w, t->ys, theta, NULL);
        if (status == ST_OK)
            status = replicate_se(&t->e, t->w, pb->null->c, t->rinv, t->cbuf, se);
    }
    if (status == ST_OK && pb->f_star != NULL)
        status = null_replicate(t, b);
    return status;
}

static int worker(st_error *e, void *shared, long long from, long long to, int index)
{
    boot_task *t = (boot_task *)shared + index;
    const boot_problem *pb = t->pb;
    for (long long b = from; b < to; b++) {
        if (replicate(t, b) != ST_OK) {
            *e = t->e;
            return e->status;
        }
        if (pb->progress != NULL) {
            long d = atomic_fetch_add(pb->done, 1) + 1;
            long long step = pb->total / 100 > 0 ? pb->total / 100 : 1;
            if (index == 0 && d % step == 0 && d < pb->total
                && boot_elapsed(&pb->start) >= BOOT_PROGRESS_AFTER)
                ci_progress(stderr, pb->progress, "bootstrap", d, (long)pb->total);
        }
    }
    return ST_OK;
}
static int jackknife(st_error *e, const double *X, const double *y, const double *resid,
                     const ols_workspace *base, boot_result *r)
{
    int n = r->n, p = r->p, k = base->rank;
    double *jack = st_alloc(e, (size_t)n * p + 1, sizeof *jack);
    double *q = st_alloc(e, (size_t)p + 1, sizeof *q);
    double *col = st_alloc(e, (size_t)n, sizeof *col);
    ols_workspace *w = NULL;
    double *yd = NULL;
    int status = jack && q && col ? ST_OK : e->status;
    for (int i = 0; i < n && status == ST_OK; i++) {
        double *ji = jack + (size_t)i * p;
        for (int s = 0; s < k; s++)
            q[s] = X[i + (size_t)base->pivot[s] * n];
        double h = 0;
        if (k > 0) {
            cblas_dtrsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, k, base->qr, n, q, 1);
            for (int s = 0; s < k; s++)
                h += q[s] * q[s];
            cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, k, base->qr, n, q, 1);
        }
        if (1 - h >= OLS_TOL) {
            for (int j = 0; j < p; j++)
                ji[j] = NAN;
            for (int s = 0; s < k; s++)
                ji[base->pivot[s]] = r->estimate[base->pivot[s]] - q[s] * resid[i] / (1 - h);
        } else
            status = refit_without(e, X, y, n, p, i, &w, &yd, ji);
    }
    if (status == ST_OK)
        for (int j = 0; j < p; j++) {
            int finite = 1;
            for (int i = 0; i < n; i++) {
                col[i] = jack[(size_t)i * p + j];
                finite &= isfinite(col[i]) != 0;
            }
            r->accel[j] = finite ? boot_acceleration(col, n, r->estimate[j]) : NAN;
        }
    ols_workspace_free(w);
    free(yd);
    free(jack);
    free(q);
    free(col);
    return status;
}
static int refit_without(st_error *e, const double *X, const double *y, int n, int p,
                         int i, ols_workspace **w, double **yd, double *coef)
{
    if (*w == NULL && (ols_workspace_new(e, n - 1, p, NULL, w) != ST_OK
                       || (*yd = st_alloc(e, (size_t)n, sizeof **yd)) == NULL))
        return e->status;
    double *A = (*w)->qr;
    for (int j = 0; j < p; j++)
        for (int s = 0, t = 0; s < n; s++)
            if (s != i)
                A[t++ + (size_t)j * (n - 1)] = X[s + (size_t)j * n];
    for (int s = 0, t = 0; s < n; s++)
        if (s != i)
            (*yd)[t++] = y[s];
    if (ols_decompose(e, *w, A, n - 1) != ST_OK || ols_solve(e, *w, *yd, coef, NULL) != ST_OK)
        return e->status;
    return ST_OK;
}
static int intervals(st_error *e, boot_result *r)
{
    long long B = r->spec.replicates;
    int p = r->p;
    double *t = st_alloc_large(e, (size_t)B, sizeof *t);
    if (t == NULL)
        return e->status;
    double lo = (1 - r->spec.level) / 2, hi = (1 + r->spec.level) / 2;
    for (int j = 0; j < p; j++) {
        double est = r->estimate[j], *perc = r->percentile + 2 * j, *basic = r->basic + 2 * j,
               *bca = r->bca + 2 * j;
        long long m = 0, below = 0;
        for (long long b = 0; b < B; b++) {
            double x = r->star[(size_t)b * p + j];
            if (isfinite(x)) {
                t[m++] = x;
                below += x < est;
            }
        }
        r->used[j] = m;
        double *stud = r->studentized + 2 * j;
        perc[0] = perc[1] = basic[0] = basic[1] = bca[0] = bca[1] = r->z0[j] = NAN;
        stud[0] = stud[1] = NAN;
        if (m == 0 || !isfinite(est))
            continue;
        perc[0] = boot_quantile(t, m, lo);
        perc[1] = boot_quantile(t, m, hi);
        basic[0] = 2 * est - boot_quantile(t, m, hi);
        basic[1] = 2 * est - boot_quantile(t, m, lo);
        r->z0[j] = qnorm((double)below / (double)m, 0, 1, 1, 0);
        if (isfinite(r->z0[j]) && isfinite(r->accel[j])) {
            bca[0] = boot_quantile(t, m, boot_bca_level(r->z0[j], r->accel[j], lo));
            bca[1] = boot_quantile(t, m, boot_bca_level(r->z0[j], r->accel[j], hi));
        }
        long long ms = boot_t_star(r, j, t);
        if (ms > 0 && isfinite(r->se[j]))
            boot_studentized(t, ms, est, r->se[j], r->spec.level, stud);
    }
    free(t);
    return ST_OK;
}
static double smallest(const double *t, long long m)
{
    double x = t[0];
    for (long long i = 1; i < m; i++)
        x = t[i] < x ? t[i] : x;
    return x;
}
static void f_test(boot_result *r)
{
    r->f_exceed = r->f_used = 0;
    if (r->f_star == NULL || !isfinite(r->f_stat))
        return;
    for (long long b = 0; b < r->spec.replicates; b++)
        if (!isnan(r->f_star[b])) {
            r->f_used++;
            r->f_exceed += r->f_star[b] >= r->f_stat;
        }
    r->f_p_value = (1.0 + (double)r->f_exceed) / ((double)r->f_used + 1.0);
}
int boot_run_progress(st_error *e, const double *X, const double *y, int n, int p,
                      const boot_spec *spec, const char *progress, boot_result **out)
{
    assert(e != NULL);
    assert(X != NULL);
    assert(y != NULL);
    assert(spec != NULL);
    assert(out != NULL);
    *out = NULL;
    if (n < 1 || p < 0)
        return st_fail(e, ST_EINPUT, "bootstrap: bad dimensions %d x %d", n, p);
    if (spec->replicates < 1 || spec->threads < 1 || !(spec->level > 0 && spec->level < 1)
        || (unsigned)spec->type > BOOT_WILD || (unsigned)spec->f_null > BOOT_F_MEAN)
        return st_fail(e, ST_EINPUT, "bootstrap: bad specification (B = %lld, threads = %d, "
                       "level = %g)", spec->replicates, spec->threads, spec->level);
    boot_result *r = result_new(e, n, p, spec);
    if (r != NULL)
        r->progress = progress;
    ols_workspace *base = NULL;
    double *fitted = NULL, *resid = NULL;
    boot_null null = { NULL, NULL, 0, 0 };
    int status = r ? ST_OK : e->status;
    if (status == ST_OK)
        status = fit_data(e, X, y, r, &base, &fitted, &resid);
    if (status == ST_OK)
        status = fit_null(e, y, base, r, &null);
    if (status == ST_OK)
        status = draw_replicates(e, X, y, fitted, resid, &null, base, r);
    if (status == ST_OK)
        status = jackknife(e, X, y, resid, base, r);
    if (status == ST_OK)
        status = intervals(e, r);
    if (status == ST_OK)
        f_test(r);
    ols_workspace_free(base);
    free(fitted);
    free(resid);
    free(null.c);
    free(null.resid0);
    if (status != ST_OK) {
        boot_result_free(r);
        return status;
    }
    *out = r;
    return ST_OK;
}
void boot_result_free(boot_result *r)
{
    if (r == NULL)
        return;
    free(r->estimate); free(r->star); free(r->used); free(r->z0); free(r->accel);
    free(r->percentile); free(r->basic); free(r->bca);
    free(r->studentized); free(r->se); free(r->se_star); free(r->f_star);
    free(r);
}
double boot_f_from_qty(const double *qty, int n, int k, int d)
{
    assert(qty != NULL);
    if (k <= d || k >= n)
        return NAN;
    double mss = 0, rss = 0;
    for (int s = d; s < k; s++)
        mss += qty[s] * qty[s];
    for (int i = k; i < n; i++)
        rss += qty[i] * qty[i];
    return (mss / (k - d)) / (rss / (n - k));
}
int boot_run(st_error *e, const double *X, const double *y, int n, int p,
             const boot_spec *spec, boot_result **out)
{
    return boot_run_progress(e, X, y, n, p, spec, NULL, out);   /* which asserts */
}
double boot_acceleration(const double *jack, int n, double theta)
{
    assert(jack != NULL || n == 0);
    double s2 = 0, s3 = 0;
    for (int i = 0; i < n; i++) {
        double d = theta - jack[i];
        s2 += d * d;
        s3 += d * d * d;
    }
    return s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : NAN;
}
double boot_quantile(double *t, long long m, double u)
{
    double rk = (double)(m + 1) * u;
    long long k = (long long)rk;
    if (k <= 0)
        return smallest(t, m);
    if (k >= m) {
        st_select(t, m, m - 1);
        return t[m - 1];
    }
    st_select(t, m, k - 1);
    if ((double)k == rk)
        return t[k - 1];
    double tk = t[k - 1], tk1 = smallest(t + k, m - k);
    double z = qnorm(u, 0, 1, 1, 0), zk = qnorm((double)k / (double)(m + 1), 0, 1, 1, 0),
           zk1 = qnorm((double)(k + 1) / (double)(m + 1), 0, 1, 1, 0);
    return tk + (z - zk) / (zk1 - zk) * (tk1 - tk);
}

double boot_bca_level(double z0, double a, double u)
{
    double z = z0 + qnorm(u, 0, 1, 1, 0);
    return pnorm(z0 + z / (1 - a * z), 0, 1, 1, 0);
}
long long boot_t_star(const boot_result *r, int j, double *t)
{
    assert(r != NULL);
    assert(t != NULL);
    assert(j >= 0 && j < r->p);
    long long ms = 0;
    for (long long b = 0; b < r->spec.replicates; b++) {
        double x = r->star[(size_t)b * r->p + j], sx = r->se_star[(size_t)b * r->p + j];
        if (isfinite(x) && isfinite(sx))
            t[ms++] = (x - r->estimate[j]) / sx;
    }
    return ms;
}
double boot_quantile_sd(double *t, long long m, double u)
{
    double s = sqrt(u * (1 - u) / (double)m);
    double lo = u - s > 0 ? u - s : u / 2;
    double hi = u + s < 1 ? u + s : (1 + u) / 2;
    return (boot_quantile(t, m, hi) - boot_quantile(t, m, lo)) * s / (hi - lo);
}

void boot_studentized(double *t, long long m, double theta, double se, double level,
                      double out[2])
{
    assert(t != NULL);
    assert(out != NULL);
    double lo = (1 - level) / 2, hi = (1 + level) / 2;
    out[0] = theta - se * boot_quantile(t, m, hi);
    out[1] = theta - se * boot_quantile(t, m, lo);
}
static int extreme_end(long long m, double u)
{
    double rk = (double)(m + 1) * u;
    return !(rk > 1 && rk < (double)m);
}

long long boot_min_replicates(double level)
{
    double lo = (1 - level) / 2, hi = (1 + level) / 2;
    long long m = (long long)(1 / lo) - 2;
    if (m < 1)
        m = 1;
    while (extreme_end(m, lo) || extreme_end(m, hi))
        m++;
    return m;
}
static void add_name(char *list, size_t size, const char *name)
{
    size_t n = strlen(list);
    if (n + 1 >= size || (n > 0 && list[n - 1] == '.'))
        return;
    char esc[256];
    st_escape(esc, sizeof esc, name);
    if (n + strlen(esc) + 8 >= size) {
        snprintf(list + n, size - n, ", ...");
        return;
    }
    snprintf(list + n, size - n, "%s%s", n > 0 ? ", " : "", esc);
}

int boot_warn(FILE *err, const char *program, const boot_result *r,
              const char *const *terms)
{
    double level = r->spec.level, lo = (1 - level) / 2, hi = (1 + level) / 2;
    char w_inf[400] = "", a_na[400] = "", bca_extreme[400] = "";
    int plain = 0, lines = 0, fewest = -1;
    for (int j = 0; j < r->p; j++) {
        long long m = r->used[j];
        if (m == 0 || !isfinite(r->estimate[j]))
            continue;
        if (extreme_end(m, lo) || extreme_end(m, hi)) {
            plain = 1;
            if (m < r->spec.replicates && (fewest < 0 || m < r->used[fewest]))
                fewest = j;
        }
        if (!isfinite(r->z0[j]))
            add_name(w_inf, sizeof w_inf, terms[j]);
        else if (!isfinite(r->accel[j]))
            add_name(a_na, sizeof a_na, terms[j]);
        else if (extreme_end(m, boot_bca_level(r->z0[j], r->accel[j], lo))
                 || extreme_end(m, boot_bca_level(r->z0[j], r->accel[j], hi)))
            add_name(bca_extreme, sizeof bca_extreme, terms[j]);
    }
    if (plain) {
        char esc[256] = "";
        if (fewest >= 0)
            st_escape(esc, sizeof esc, terms[fewest]);
        lines++, fprintf(err, "%s: warning: bootstrap: extreme order statistics used as endpoints "
                         "of the percentile, basic and studentized intervals (at level %g they "
                         "need %lld replicates or more; there were %lld", program, level,
                         boot_min_replicates(level), r->spec.replicates);
        if (fewest >= 0)
            fprintf(err, ", of which %lld estimate %s", r->used[fewest], esc);
        fputs(")\n", err);
    }
    if (bca_extreme[0] != '\0')
        lines++, fprintf(err, "%s: warning: bootstrap: extreme order statistics used as endpoints "
                         "of the BCa intervals of %s (use more replicates)\n", program,
                         bca_extreme);
    if (w_inf[0] != '\0')
        lines++, fprintf(err, "%s: warning: bootstrap: no BCa interval for %s: every replicate "
                         "lies on one side of the estimate (R's boot.ci: estimated adjustment "
                         "'w' is infinite)\n", program, w_inf);
    if (a_na[0] != '\0')
        lines++, fprintf(err, "%s: warning: bootstrap: no BCa interval for %s: the jackknife "
                         "gives no acceleration (R's boot.ci: estimated adjustment 'a' is NA)\n",
                         program, a_na);
    return lines;
}
int boot_print(FILE *out, const boot_result *r, const char *const *terms,
               const double *t_low, const double *t_high, const char *rerun)
{
    assert(out != NULL);
    assert(r != NULL);
    assert(terms != NULL);
    assert(t_low != NULL);
    assert(t_high != NULL);
    static const char *const kind[5] = { "t", "percentile", "basic", "BCa", "studentized" };
    int p = r->p;
    rf_text *cell = malloc((size_t)(5 * p + 1) * sizeof *cell);
    if (cell == NULL)
        return -1;
    for (int j = 0; j < p; j++) {
        double x[10] = { t_low[j], t_high[j], r->percentile[2 * j], r->percentile[2 * j + 1],
                         r->basic[2 * j], r->basic[2 * j + 1], r->bca[2 * j], r->bca[2 * j + 1],
                         r->studentized[2 * j], r->studentized[2 * j + 1] };
        rf_text f[10];
        rf_format_ext(f, x, 10, 4, 0, 1);
        for (int c = 0; c < 5; c++) {
            rf_text *t = &cell[c + (size_t)j * 5];
            if (isnan(x[2 * c]) || isnan(x[2 * c + 1]))
                snprintf(t->s, sizeof t->s, "NA");
            else
                snprintf(t->s, sizeof t->s, "(%.28s, %.28s)", f[2 * c].s, f[2 * c + 1].s);
        }
    }
    fprintf(out, "\nBootstrap: %lld %s replicates, seed %llu%s%s%s\n", r->spec.replicates,
            boot_type_name[r->spec.type], (unsigned long long)r->spec.seed, rerun ? " (" : "",
            rerun ? rerun : "", rerun ? ")" : "");
    fprintf(out, "%.15g%% confidence intervals:\n", 100 * r->spec.level);
    int status = rf_print_text_matrix(out, cell, 5, p, kind, terms, 1);
    if (r->rank_deficient > 0)
        fprintf(out, "%lld of the %lld resamples were rank-deficient; a coefficient that a "
                "resample\ncould not estimate was left out of that coefficient's intervals.\n",
                r->rank_deficient, r->spec.replicates);
    if (r->f_star != NULL && isfinite(r->f_p_value)) {
        double pv[2] = { r->f_p_value, pf(r->f_stat, r->f_df[0], r->f_df[1], 0, 0) };
        rf_text ft[2];
        rf_format_pval(&ft[0], &pv[0], 1, 4, 0x1p-52);      /* one p-value each: cannot fail */
        rf_format_pval(&ft[1], &pv[1], 1, 4, 0x1p-52);
        fprintf(out, "Overall F test, p-value: F distribution %s, bootstrap %s%s\n", ft[1].s,
                r->f_exceed == 0 ? "<= " : "", ft[0].s);
    }
    free(cell);
    return status;
}
static void json_pair(js_writer *w, const char *key, const double *x)
{
    js_key(w, key);
    js_array_begin(w, 1);
    js_number(w, x[0]);
    js_number(w, x[1]);
    js_array_end(w);
}

void boot_json_member(js_writer *w, const boot_result *r, const char *const *terms)
{
    assert(w != NULL);
    assert(r != NULL);
    assert(terms != NULL);
    js_key(w, "bootstrap");
    js_object_begin(w, 0);
    js_key_integer(w, "replicates", r->spec.replicates);
    js_key_string(w, "type", boot_type_name[r->spec.type]);
    js_key_integer(w, "seed", (long long)r->spec.seed);
    js_key_integer(w, "rank_deficient", r->rank_deficient);
    js_key_number(w, "f_p_value", r->f_p_value);
    js_key(w, "intervals");
    js_array_begin(w, 0);
    for (int j = 0; j < r->p; j++) {
        js_object_begin(w, 1);
        js_key_string(w, "term", terms[j]);
        json_pair(w, "percentile", r->percentile + 2 * j);
        json_pair(w, "basic", r->basic + 2 * j);
        json_pair(w, "bca", r->bca + 2 * j);
        json_pair(w, "studentized", r->studentized + 2 * j);
        js_object_end(w);
    }
    js_array_end(w);
    js_object_end(w);
}
