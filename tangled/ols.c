#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "numutil.h"
#include "ols.h"
#include "rformat.h"

static int quantiles(const double *x, int n, double q[5]);
static int ask_lwork(double answer, int lwork)
{
    int k = answer > 1e9 ? 1000000000 : (int)answer;
    return k > lwork ? k : lwork;
}
static int factor_block(st_error *e, ols_workspace *w, int j, int active)
{
    int n = w->n;
    if (active <= j)
        return ST_OK;
    int info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, n - j, active - j,
                                   w->qr + j + (size_t)j * n, n, w->tau + j,
                                   w->work, w->lwork);
    if (info != 0)
        return st_fail(e, ST_EFIT, "LAPACK dgeqrf failed (info %d)", info);
    return ST_OK;
}
double ols_norm(const double *a, int m)        /* (eq:scaled-norm) */
{
    assert(a != NULL || m == 0);
    double big = 0;
    for (int i = 0; i < m; i++)
        if (fabs(a[i]) > big)
            big = fabs(a[i]);
    if (big == 0 || !isfinite(big))
        return big;
    int ex;
    frexp(big, &ex);
    double s = 0;
    for (int i = 0; i < m; i++) {
        double t = ldexp(a[i], -ex);
        s += t * t;
    }
    return ldexp(sqrt(s), ex);
}
static int move_to_end(st_error *e, ols_workspace *w, int j, int active)
{
    int n = w->n, m = n - j, c = active - j, k = m < c ? m : c;
    double *A = w->qr;
    double *B = st_alloc(e, (size_t)m * c, sizeof *B);
    if (B == NULL)
        return e->status;
    for (int t = 0; t < c; t++)
        for (int i = 0; i <= t && i < m; i++)
            B[i + (size_t)t * m] = A[(j + i) + (size_t)(j + t) * n];
    int info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'N', m, c, k,
                                   A + j + (size_t)j * n, n, w->tau + j, B, m,
                                   w->work, w->lwork);
    if (info != 0) {
        free(B);
        return st_fail(e, ST_EFIT, "LAPACK dormqr failed (info %d)", info);
    }
    memcpy(w->qty, A + (size_t)j * n, (size_t)j * sizeof *A);
    int moved = w->pivot[j];
    for (int t = j; t < active - 1; t++) {
        memcpy(A + (size_t)t * n, A + (size_t)(t + 1) * n, (size_t)j * sizeof *A);
        memcpy(A + j + (size_t)t * n, B + (size_t)(t - j + 1) * m, (size_t)m * sizeof *A);
        w->pivot[t] = w->pivot[t + 1];
    }
    memcpy(A + (size_t)(active - 1) * n, w->qty, (size_t)j * sizeof *A);
    memcpy(A + j + (size_t)(active - 1) * n, B, (size_t)m * sizeof *A);
    w->pivot[active - 1] = moved;
    free(B);
    return ST_OK;
}
static ols_result *result_new(st_error *e, int n, int p)
{
    ols_result *r = st_alloc(e, 1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->n = n;
    r->p = p;
    r->aliased = st_alloc(e, (size_t)p, sizeof *r->aliased);
    r->beta = st_alloc(e, (size_t)p, sizeof *r->beta);
    r->se = st_alloc(e, (size_t)p, sizeof *r->se);
    r->statistic = st_alloc(e, (size_t)p, sizeof *r->statistic);
    r->p_value = st_alloc(e, (size_t)p, sizeof *r->p_value);
    r->conf_low = st_alloc(e, (size_t)p, sizeof *r->conf_low);
    r->conf_high = st_alloc(e, (size_t)p, sizeof *r->conf_high);
    r->vcov = st_alloc(e, (size_t)p * p, sizeof *r->vcov);
    r->resid = st_alloc(e, (size_t)n, sizeof *r->resid);
    r->fitted = st_alloc(e, (size_t)n, sizeof *r->fitted);
    if (!r->aliased || !r->beta || !r->se || !r->statistic || !r->p_value || !r->conf_low
        || !r->conf_high || !r->vcov || !r->resid || !r->fitted) {
        ols_result_free(r);
        return NULL;
    }
    return r;
}
static void two_sum(double a, double b, double *s, double *err)
{
    double t = a + b, bb = t - a;
    *s = t;
    *err = (a - (t - bb)) + (b - bb);
}

static double dot2(const double *a, const double *b, int n)
{
    double hi = 0, lo = 0;
    for (int i = 0; i < n; i++) {
        double prod = a[i] * b[i], perr = fma(a[i], b[i], -prod), serr;
        two_sum(hi, prod, &hi, &serr);
        lo += serr + perr;
    }
    return hi + lo;
}

static int refine(st_error *e, ols_workspace *w, const double *X, const double *y,
                  ols_result *r)      /* one step of (eq:refine-res), (eq:refine-solve) */
{
    int n = w->n, k = w->rank, info;
    double *f = r->fitted, *lo = w->qty, *res = r->resid, *g = r->se, *dx = w->beta;
    if (k == 0)
        return ST_OK;
    for (int i = 0; i < n; i++) {
        double err;
        two_sum(y[i], -res[i], &f[i], &err);
        lo[i] = err;
    }
    for (int t = 0; t < k; t++) {
        double b = r->beta[w->pivot[t]], serr;
        const double *x = X + (size_t)w->pivot[t] * n;
        for (int i = 0; i < n; i++) {
            double prod = x[i] * b, perr = fma(x[i], b, -prod);
            two_sum(f[i], -prod, &f[i], &serr);
            lo[i] += serr - perr;
        }
    }
    for (int i = 0; i < n; i++)
        f[i] += lo[i];
    for (int t = 0; t < k; t++)
        g[t] = -dot2(X + (size_t)w->pivot[t] * n, res, n);
    info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', n, 1, k, w->qr, n, w->tau,
                               f, n, w->work, w->lwork);
    if (info == 0)
        info = LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, 'U', 'T', 'N', k, 1, w->qr, n, g, k);
    for (int t = 0; t < k; t++) {
        dx[t] = f[t] - g[t];
        f[t] = g[t];
    }
    if (info == 0)
        info = LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, 'U', 'N', 'N', k, 1, w->qr, n, dx, k);
    if (info == 0)
        info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'N', n, 1, k, w->qr, n, w->tau,
                                   f, n, w->work, w->lwork);
    if (info != 0)
        return st_fail(e, ST_EFIT, "LAPACK failed in the refinement (info %d)", info);
    for (int t = 0; t < k; t++)
        r->beta[w->pivot[t]] += dx[t];
    for (int i = 0; i < n; i++)
        res[i] += f[i];
    return ST_OK;
}
static void decide_perfect_fit(int n, double resvar, double fbar, ols_result *r)
{
    {
        double fvar = 0;
        for (int i = 0; i < n; i++)
            fvar += (r->fitted[i] - fbar) * (r->fitted[i] - fbar);
        fvar /= n - 1;
        r->perfect_fit = isfinite(resvar) && resvar < (fbar * fbar + fvar) * 1e-30;
    }
}
static void log_likelihood(int n, double rss, ols_result *r)
{
    r->log_lik = 0.5 * (-n * (log(2 * M_PI) + 1 - log((double)n) + log(rss)));
    r->aic = -2 * r->log_lik + 2 * (r->rank + 1);
    r->bic = -2 * r->log_lik + log((double)n) * (r->rank + 1);
}
static int unscale_rows(st_error *e, const double *X, const double *y, const double *wt,
                        int nall, ols_result *r, double *sumwp, double *slogwp);
static int weighted_r_squared(st_error *e, const double *wt, double sumw, int n1, int nall,
                              ols_result *r);

static int unscale_weighted(st_error *e, const double *X, const double *y, const double *wt,
                            int nall, ols_result *r)
{
    int n1 = r->n;
    double sumw = 0, slogw = 0;
    if (unscale_rows(e, X, y, wt, nall, r, &sumw, &slogw) != ST_OK
        || weighted_r_squared(e, wt, sumw, n1, nall, r) != ST_OK)
        return e->status;
    log_likelihood(n1, r->rss, r);  /* over the rows of positive weight, with its Jacobian */
    r->log_lik += 0.5 * slogw;
    r->aic = -2 * r->log_lik + 2 * (r->rank + 1);
    r->bic = -2 * r->log_lik + log((double)n1) * (r->rank + 1);
    {   /* summary.lm's test, on the unweighted fitted values of all rows (eq:perfect-fit) */
        double resvar = r->rss / r->df_residual, fbar = 0;
        for (int i = 0; i < nall; i++)
            fbar += r->fitted[i];
        fbar /= nall;
        decide_perfect_fit(nall, resvar, fbar, r);
    }
    return ST_OK;
}

static int unscale_rows(st_error *e, const double *X, const double *y, const double *wt,
                        int nall, ols_result *r, double *sumwp, double *slogwp)
{
    int n1 = r->n, p = r->p;
    double *resid = st_alloc(e, (size_t)nall + 1, sizeof *resid),
           *fitted = st_alloc(e, (size_t)nall + 1, sizeof *fitted),
           *weights = st_alloc(e, (size_t)nall + 1, sizeof *weights);
    if (resid == NULL || fitted == NULL || weights == NULL) {
        free(resid); free(fitted); free(weights);
        return e->status;
    }
    double sumw = 0, slogw = 0;
    for (int i = 0, k = 0; i < nall; i++) {
        weights[i] = wt[i];
        if (wt[i] > 0) {
            fitted[i] = y[i] - r->resid[k++] / sqrt(wt[i]);
            sumw += wt[i];
            slogw += log(wt[i]);
        } else {
            double f = 0;
            for (int c = 0; c < p; c++)
                if (!r->aliased[c])
                    f += X[i + (size_t)c * nall] * r->beta[c];
            fitted[i] = f;
        }
        resid[i] = y[i] - fitted[i];
    }
    free(r->resid); free(r->fitted);
    r->resid = resid;
    r->fitted = fitted;
    r->weights = weights;
    r->n = nall;
    r->n_zero = nall - n1;
    *sumwp = sumw;
    *slogwp = slogw;
    return ST_OK;
}

/* the weighted MSS, and R^2 and F from it (eq:r-squared, eq:f-test) */
static int weighted_r_squared(st_error *e, const double *wt, double sumw, int n1, int nall,
                              ols_result *r)
{
    const double *fitted = r->fitted;
    int n = n1;
    double rss = r->rss, resvar = rss / r->df_residual, mss = 0, m = 0;
    for (int i = 0; i < nall; i++)
        m += wt[i] * fitted[i] / sumw;
    for (int i = 0; i < nall; i++) {
        double d = r->intercept ? fitted[i] - m : fitted[i];
        mss += wt[i] * d * d;
    }
    int df_int = r->intercept;
    r->has_f = r->rank != df_int;
    r->f_statistic = r->f_df_num = r->f_df_den = r->f_p_value = NAN;
    if (r->has_f) {
        r->r_squared = mss / (mss + rss);
        r->adj_r_squared = 1 - (1 - r->r_squared) * ((double)(n - df_int) / r->df_residual);
        r->f_df_num = r->rank - df_int;
        r->f_df_den = r->df_residual;
        r->f_statistic = (mss / r->f_df_num) / resvar;
        r->f_p_value = pf(r->f_statistic, r->f_df_num, r->f_df_den, 0, 0);
    } else
        r->r_squared = r->adj_r_squared = 0;
    (void)e;        /* used by the stub of the lab qr */
    (void)n;        /* used by the chunk above (not by the stub of the lab qr) */
    (void)resvar;
    return ST_OK;
}
ols_control ols_control_default(void)
{
    return (ols_control){ .tol = OLS_TOL };
}

void ols_workspace_control(ols_workspace *w, const ols_control *c)
{
    w->tol = c->tol;
}

int ols_workspace_new(st_error *e, int n, int p, double *storage, ols_workspace **out)
{
    assert(e != NULL);
    assert(out != NULL);
    *out = NULL;
    if (n < 0 || p < 0)
        return st_fail(e, ST_EINPUT, "ols: bad dimensions %d x %d", n, p);
    ols_workspace *w = st_alloc(e, 1, sizeof *w);
    if (w == NULL)
        return e->status;
    w->n = n;
    w->p = p;
    w->tol = ols_control_default().tol;
    w->own_qr = storage == NULL;
    w->qr = storage ? storage : st_alloc_large(e, (size_t)n * p, sizeof *w->qr);
    w->tau = st_alloc(e, (size_t)p, sizeof *w->tau);
    w->pivot = st_alloc(e, (size_t)p, sizeof *w->pivot);
    w->norm = st_alloc(e, (size_t)p, sizeof *w->norm);
    w->qty = st_alloc(e, (size_t)n, sizeof *w->qty);
    w->beta = st_alloc(e, (size_t)p, sizeof *w->beta);
    if (w->qr == NULL || w->tau == NULL || w->pivot == NULL || w->norm == NULL
        || w->qty == NULL || w->beta == NULL) {
        ols_workspace_free(w);
        return e->status;
    }
    w->lwork = 1;
    if (n > 0 && p > 0) {
        double answer = 0;
        int k = n < p ? n : p;
        if (LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, n, p, w->qr, n, w->tau, &answer, -1) == 0)
            w->lwork = ask_lwork(answer, w->lwork);
        if (LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'N', n, p, k, w->qr, n, w->tau, w->qr,
                                n, &answer, -1) == 0)
            w->lwork = ask_lwork(answer, w->lwork);
        if (LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', n, 1, k, w->qr, n, w->tau, w->qty,
                                n, &answer, -1) == 0)
            w->lwork = ask_lwork(answer, w->lwork);
    }
    w->work = st_alloc(e, (size_t)w->lwork, sizeof *w->work);
    if (w->work == NULL) {
        ols_workspace_free(w);
        return e->status;
    }
    *out = w;
    return ST_OK;
}
void ols_workspace_free(ols_workspace *w)
{
    if (w == NULL)
        return;
    if (w->own_qr)
        free(w->qr);
    free(w->tau);
    free(w->pivot);
    free(w->norm);
    free(w->qty);
    free(w->beta);
    free(w->work);
    free(w);
}

int ols_workspace_copy(st_error *e, const ols_workspace *src, ols_workspace **out)
{
    assert(e != NULL);
    assert(src != NULL);
    assert(out != NULL);
    int n = src->n, p = src->p;
    if (ols_workspace_new(e, n, p, NULL, out) != ST_OK)
        return e->status;
    ols_workspace *w = *out;
    memcpy(w->qr, src->qr, (size_t)n * p * sizeof *w->qr);
    memcpy(w->tau, src->tau, (size_t)p * sizeof *w->tau);
    memcpy(w->pivot, src->pivot, (size_t)p * sizeof *w->pivot);
    memcpy(w->norm, src->norm, (size_t)p * sizeof *w->norm);
    w->rank = src->rank;
    w->tol = src->tol;
    return ST_OK;
}
int ols_decompose(st_error *e, ols_workspace *w, const double *X, int ldx)
{
    assert(e != NULL);
    assert(w != NULL);
    assert(X != NULL);
    int n = w->n, p = w->p;
    double *A = w->qr;
    for (int j = 0; j < p; j++) {
        const double *x = X + (size_t)j * ldx;
        double *a = A + (size_t)j * n;
        if (x != a)
            memcpy(a, x, (size_t)n * sizeof *a);
        for (int i = 0; i < n; i++)
            if (!isfinite(a[i]))
                return st_fail(e, ST_EINPUT, "NA/NaN/Inf in the model matrix (row %d, column %d)",
                               i + 1, j + 1);
    }
    for (int j = 0; j < p; j++)
        w->pivot[j] = j;
    w->rank = 0;
    if (p == 0 || n == 0)
        return ST_OK;
    if (factor_block(e, w, 0, p) != ST_OK)
        return e->status;
    for (int j = 0; j < p; j++) {
        double s = ols_norm(A + (size_t)j * n, j + 1 < n ? j + 1 : n);
        w->norm[j] = s > 0 ? s : 1.0;
    }
    int active = p, j = 0;
    for (;;) {
        int limit = active < n ? active : n;
        while (j < limit && fabs(A[j + (size_t)j * n]) >= w->tol * w->norm[w->pivot[j]])
            j++;
        if (j == limit)
            break;
        if (move_to_end(e, w, j, active) != ST_OK)
            return e->status;
        active--;
        if (factor_block(e, w, j, active) != ST_OK)
            return e->status;
    }
    w->rank = active < n ? active : n;
    return ST_OK;
}
int ols_solve(st_error *e, ols_workspace *w, const double *y, double *coef, double *resid)
{
    assert(e != NULL);
    assert(w != NULL);
    assert(y != NULL);
    assert(coef != NULL);
    int n = w->n, p = w->p, k = w->rank, info;
    memcpy(w->qty, y, (size_t)n * sizeof *w->qty);
    if (k > 0) {
        info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', n, 1, k, w->qr, n, w->tau,
                                   w->qty, n, w->work, w->lwork);
        if (info != 0)
            return st_fail(e, ST_EFIT, "LAPACK dormqr failed (info %d)", info);
        memcpy(w->beta, w->qty, (size_t)k * sizeof *w->beta);
        info = LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, 'U', 'N', 'N', k, 1, w->qr, n,
                                   w->beta, k);
        if (info != 0)
            return st_fail(e, ST_EFIT, "LAPACK dtrtrs failed (info %d)", info);
    }
    for (int j = 0; j < p; j++)
        coef[w->pivot[j]] = j < k ? w->beta[j] : NAN;
    if (resid != NULL)
        {
            memcpy(resid, w->qty, (size_t)n * sizeof *resid);
            memset(resid, 0, (size_t)k * sizeof *resid);
            if (k > 0) {
                info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'N', n, 1, k, w->qr, n, w->tau,
                                           resid, n, w->work, w->lwork);
                if (info != 0)
                    return st_fail(e, ST_EFIT, "LAPACK dormqr failed (info %d)", info);
            }
        }
    return ST_OK;
}
static double fitted_and_sums(const double *y, int n, ols_result *r)
{
    double rss = 0, mss = 0, fbar = 0;
    for (int i = 0; i < n; i++) {
        r->fitted[i] = y[i] - r->resid[i];
        rss += r->resid[i] * r->resid[i];
        fbar += r->fitted[i];
    }
    fbar /= n;
    for (int i = 0; i < n; i++) {
        double d = r->intercept ? r->fitted[i] - fbar : r->fitted[i];
        mss += d * d;
    }
    r->rss = rss;
    double resvar = rss / r->df_residual;
    r->sigma = sqrt(resvar);
    decide_perfect_fit(n, resvar, fbar, r);
    return mss;
}
static int coefficients(st_error *e, const ols_workspace *w, double level, double resvar,
                        ols_result *r)
{
    int n = w->n, p = w->p;
    int k = w->rank;
    double *C = st_alloc(e, (size_t)k * k + 1, sizeof *C);
    if (C == NULL)
        return e->status;
    for (int b = 0; b < k; b++)
        memcpy(C + (size_t)b * k, w->qr + (size_t)b * n, (size_t)(b + 1) * sizeof *C);
    int info = k > 0 ? LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'U', k, C, k) : 0;
    if (info != 0) {
        free(C);
        return st_fail(e, ST_EFIT, "LAPACK dpotri failed (info %d)", info);
    }
    double a = (1 - level) / 2, qlo = qt(a, r->df_residual, 1, 0),
           qhi = qt(1 - a, r->df_residual, 1, 0);
    for (size_t c = 0; c < (size_t)p * p; c++)
        r->vcov[c] = NAN;
    for (int j = 0; j < p; j++)
        r->aliased[w->pivot[j]] = j >= k;
    for (int s = 0; s < k; s++) {
        for (int t = 0; t < k; t++) {
            double c = s <= t ? C[s + (size_t)t * k] : C[t + (size_t)s * k];
            r->vcov[w->pivot[s] + (size_t)w->pivot[t] * p] = r->sigma * r->sigma * c;
        }
        int j = w->pivot[s];
        double cjj = C[s + (size_t)s * k];
        r->se[j] = sqrt(cjj * resvar);
        r->statistic[j] = r->beta[j] / r->se[j];
        r->p_value[j] = 2 * pt(fabs(r->statistic[j]), r->df_residual, 0, 0);
        double seci = sqrt(r->vcov[j + (size_t)j * p]);
        r->conf_low[j] = r->beta[j] + seci * qlo;
        r->conf_high[j] = r->beta[j] + seci * qhi;
    }
    for (int j = 0; j < p; j++)
        if (r->aliased[j]) {
            r->beta[j] = r->se[j] = r->statistic[j] = NAN;
            r->p_value[j] = r->conf_low[j] = r->conf_high[j] = NAN;
        }
    free(C);
    return ST_OK;
}
int ols_fit(st_error *e, ols_workspace *w, const double *X, const double *y, int intercept,
            double level, ols_result **out)
{
    int n = w->n, p = w->p;
    *out = NULL;
    if (n == 0)
        return st_fail(e, ST_EFIT, "0 (non-NA) cases: no observation to fit");
    for (int i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return st_fail(e, ST_EINPUT, "NA/NaN/Inf in the response (row %d)", i + 1);
    if (ols_decompose(e, w, X, n) != ST_OK)
        return e->status;
    ols_result *r = result_new(e, n, p);
    if (r == NULL)
        return e->status;
    r->intercept = intercept != 0;
    r->level = level;
    r->rank = w->rank;
    r->df_residual = n - w->rank;
    if (ols_solve(e, w, y, r->beta, r->resid) != ST_OK
        || (X != w->qr && (refine(e, w, X, y, r) != ST_OK || refine(e, w, X, y, r) != ST_OK))) {
        ols_result_free(r);
        return e->status;
    }
    double mss = fitted_and_sums(y, n, r), rss = r->rss, resvar = rss / r->df_residual;
    if (coefficients(e, w, level, resvar, r) != ST_OK) {
        ols_result_free(r);
        return e->status;
    }
    int df_int = r->intercept;
    r->has_f = r->rank != df_int;
    r->f_statistic = r->f_df_num = r->f_df_den = r->f_p_value = NAN;
    if (r->has_f) {
        r->r_squared = mss / (mss + rss);
        r->adj_r_squared = 1 - (1 - r->r_squared) * ((double)(n - df_int) / r->df_residual);
        r->f_df_num = r->rank - df_int;
        r->f_df_den = r->df_residual;
        r->f_statistic = (mss / r->f_df_num) / resvar;
        r->f_p_value = pf(r->f_statistic, r->f_df_num, r->f_df_den, 0, 0);
    } else
        r->r_squared = r->adj_r_squared = 0;
    log_likelihood(n, rss, r);
    *out = r;
    return ST_OK;
}
void ols_result_free(ols_result *r)
{
    if (r == NULL)
        return;
    free(r->aliased); free(r->beta); free(r->se); free(r->statistic); free(r->p_value);
    free(r->conf_low); free(r->conf_high); free(r->vcov); free(r->resid); free(r->fitted);
    free(r->weights);
    free(r);
}
int ols_fit_weighted(st_error *e, const double *X, const double *y, const double *wt, int n,
                     int p, int intercept, double level, ols_result **out)
{
    assert(e != NULL);
    assert(X != NULL);
    assert(y != NULL);
    assert(wt != NULL);
    assert(out != NULL);
    int n1 = 0;
    ols_workspace *ws = NULL;
    ols_result *r = NULL;
    *out = NULL;
    for (int i = 0; i < n; i++)
        n1 += wt[i] > 0;
    if (n1 == 0)
        return st_fail(e, ST_EFIT, "weights: every weight is 0: no observation to fit");
    double *Xs = st_alloc(e, (size_t)n1 * p + (size_t)n1 + 1, sizeof *Xs);
    if (Xs == NULL)
        return e->status;
    double *ys = Xs + (size_t)n1 * p;
    for (int i = 0, k = 0; i < n; i++)
        if (wt[i] > 0) {
            double sw = sqrt(wt[i]);
            for (int c = 0; c < p; c++)
                Xs[k + (size_t)c * n1] = sw * X[i + (size_t)c * n];
            ys[k++] = sw * y[i];
        }
    int status = ols_workspace_new(e, n1, p, NULL, &ws);
    if (status == ST_OK)
        status = ols_fit(e, ws, Xs, ys, intercept, level, &r);
    if (status == ST_OK)
        status = unscale_weighted(e, X, y, wt, n, r);
    free(Xs);
    ols_workspace_free(ws);
    if (status != ST_OK) {
        ols_result_free(r);
        return status;
    }
    *out = r;
    return ST_OK;
}
static int print_residuals(FILE *out, const ols_result *r, const ols_labels *l, int digits)
{
    const double *resid = r->resid;
    double *wres = NULL;
    if (r->weights != NULL) {
        int equal = 1;
        if ((wres = malloc((size_t)r->n * sizeof *wres + 1)) == NULL)
            return -1;
        for (int i = 0; i < r->n; i++) {
            wres[i] = sqrt(r->weights[i]) * r->resid[i];
            equal &= r->weights[i] == r->weights[0];
        }
        resid = wres;
        if (!equal)
            fprintf(out, "Weighted ");
    }
    fprintf(out, "Residuals:\n");
    if (r->df_residual > 5) {
        static const char *const names[] = { "Min", "1Q", "Median", "3Q", "Max" };
        double q[5];
        if (quantiles(resid, r->n, q) != 0) {
            free(wres);
            return -1;
        }
        rf_zapsmall(q, 5, digits + 1);
        rf_print_named(out, q, names, 5, digits);
    } else if (r->df_residual > 0) {
        char (*label)[16] = malloc((size_t)r->n * sizeof *label);
        const char **names = malloc((size_t)r->n * sizeof *names);
        if (label == NULL || names == NULL) {
            free(label);
            free(names);
            free(wres);
            return -1;
        }
        for (int i = 0; i < r->n; i++) {
            snprintf(label[i], sizeof label[i], "%d", (l->row ? l->row[i] : i) + 1);
            names[i] = label[i];
        }
        rf_print_named(out, resid, names, r->n, digits);
        free(label);
        free(names);
    } else
        fprintf(out, "ALL %d residuals are 0: no residual degrees of freedom!\n", r->rank);
    free(wres);
    return 0;
}
static int quantiles(const double *x, int n, double q[5])
{
    double *a = malloc((size_t)n * sizeof *a);
    if (a == NULL)
        return -1;
    memcpy(a, x, (size_t)n * sizeof *a);
    for (int k = 0; k < 5; k++) {
        double h = 1 + (n - 1) * (0.25 * k);
        long long lo = (long long)floor(h), hi = (long long)ceil(h);
        st_select(a, n, lo - 1);
        double xlo = a[lo - 1], xhi = xlo;
        if (hi > lo) {
            st_select(a, n, hi - 1);
            xhi = a[hi - 1];
        }
        double f = h - (double)lo;
        q[k] = (h > (double)lo && xhi != xlo) ? (1 - f) * xlo + f * xhi : xlo;
    }
    free(a);
    return 0;
}
static void print_fit_statistics(FILE *out, const ols_result *r, const ols_labels *l,
                                 int digits)
{
    rf_text s, a, b, f, pv, num, den;
    double sig = fprec(r->sigma, digits);
    rf_format(&s, &sig, 1, 7);
    fprintf(out, "\nResidual standard error: %s on %d degrees of freedom\n", s.s,
            r->df_residual);
    if (l->n_dropped > 0)
        fprintf(out, "  (%d observation%s deleted due to missingness)\n", l->n_dropped,
                l->n_dropped == 1 ? "" : "s");
    if (!r->has_f)
        return;
    rf_formatC(&a, r->r_squared, digits);
    rf_formatC(&b, r->adj_r_squared, digits);
    rf_formatC(&f, r->f_statistic, digits);
    rf_format(&num, &r->f_df_num, 1, 7);
    rf_format(&den, &r->f_df_den, 1, 7);
    rf_format_pval(&pv, &r->f_p_value, 1, digits, 2.220446049250313e-16);  /* n 1: no fail */
    fprintf(out, "Multiple R-squared:  %s,\tAdjusted R-squared:  %s \n"
                 "F-statistic: %s on %s and %s DF,  p-value: %s\n",
            a.s, b.s, f.s, num.s, den.s, pv.s);
}
int ols_print_summary(FILE *out, const ols_result *r, const ols_labels *l)
{
    assert(out != NULL);
    assert(r != NULL);
    assert(l != NULL);
    const int digits = 4;
    char *call = rf_deparse_call("lm", l->formula, l->data);
    if (call == NULL)
        return -1;
    fprintf(out, "\nCall:\n%s\n\n", call);
    free(call);
    if (print_residuals(out, r, l, digits) != 0)
        return -1;
    ct_table coefs = ols_coeftab(r, l);
    if (ct_print_coefficients(out, &coefs, digits) != 0)
        return -1;
    print_fit_statistics(out, r, l, digits);
    fputc('\n', out);
    return 0;
}
ct_table ols_coeftab(const ols_result *r, const ols_labels *l)
{
    return (ct_table){ .p = r->p, .names = l->terms, .aliased = r->aliased,
                       .estimate = r->beta, .std_error = r->se, .statistic = r->statistic,
                       .dist = CT_T, .df = NULL, .df_common = r->df_residual,
                       .p_value = r->p_value, .conf_low = r->conf_low,
                       .conf_high = r->conf_high, .level = r->level, .interval = "t" };
}
int ols_print_confint(FILE *out, const ols_result *r, const ols_labels *l)
{
    assert(out != NULL);
    assert(r != NULL);
    assert(l != NULL);
    double a = (1 - r->level) / 2, pct[2] = { 100 * a, 100 * (1 - a) };
    rf_text t[2];
    char lo[80], hi[80];
    rf_format_ext(t, pct, 2, 3, 100, 1);
    snprintf(lo, sizeof lo, "%s %%", t[0].s);
    snprintf(hi, sizeof hi, "%s %%", t[1].s);
    const char *cols[2] = { lo, hi };
    double *x = malloc(((size_t)r->p * 2 + 1) * sizeof *x);
    if (x == NULL)
        return -1;
    for (int j = 0; j < r->p; j++) {
        x[j] = r->aliased[j] ? rf_na() : r->conf_low[j];
        x[j + r->p] = r->aliased[j] ? rf_na() : r->conf_high[j];
    }
    int status = rf_print_matrix(out, x, r->p, 2, l->terms, cols, 7);
    free(x);
    return status;
}
void ols_json_members(js_writer *w, const ols_result *r, const ols_labels *l)
{
    assert(w != NULL);
    assert(r != NULL);
    assert(l != NULL);
    /* n_obs is R's nobs(): rows of weight 0 left out */
    js_model_members(w, "ols", l->formula, r->n - r->n_zero, l->n_dropped);
    ct_table coefs = ols_coeftab(r, l);
    ct_json(w, &coefs);
    js_key_number(w, "log_lik", r->log_lik);
    js_key_number(w, "aic", r->aic);
    js_key_number(w, "bic", r->bic);
    js_key_bool(w, "converged", 1);
    js_key_number(w, "sigma", r->sigma);
    js_key_number(w, "r_squared", r->r_squared);
    js_key_number(w, "adj_r_squared", r->adj_r_squared);
    js_key_number(w, "f_statistic", r->f_statistic);
    js_key(w, "f_df");
    if (r->has_f) {
        js_array_begin(w, 1);
        js_number(w, r->f_df_num);
        js_number(w, r->f_df_den);
        js_array_end(w);
    } else
        js_null(w);
    js_key_number(w, "f_p_value", r->f_p_value);
    js_key_integer(w, "df_residual", r->df_residual);
    js_key_integer(w, "rank", r->rank);
}
