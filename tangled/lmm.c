#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <nlopt.h>
#include <lapacke.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "lmm.h"
#include "rng.h"
#include "blocked.h"
#include "json.h"
#include "rformat.h"
#include "nested.h"
#include "optim.h"
#include "runner.h"

#define LMM_LOG_2PI 1.8378770664093454836   /* log(2 pi) */
static const lmm_control lmm_ctl = {
    .fit = { .ftol_abs = 1e-10, .ftol_rel = 1e-13, .xtol_abs = 1e-10, .xtol_rel = 0.0,
             .maxeval = 100000, .initial_step = 0 },
    .refit = { .ftol_abs = 1e-8, .ftol_rel = 0, .xtol_abs = 1e-8, .xtol_rel = 0,
               .maxeval = 100000, .initial_step = 0.01 },
    .profile = { .ftol_abs = 1e-10, .ftol_rel = 0, .xtol_abs = 1e-10, .xtol_rel = 0,
                 .maxeval = 100000, .initial_step = 0 },
    .boundary_tol = 1e-5,
    .singular_tol = 1e-4,
    .theta_max = 1e6,
    .rank_tol = 1e-7,
    .zeta_tol = 1e-6,
    .zeta_maxstep = 60,
    .sat_d = 1e-4,
    .sat_eps = 1e-4,
    .sat_delta = 1e-1,
    .sat_tries = 8,
    .sat_hmax = 0.5,
    .sat_eigen_tol = 1e-8
};
#define LMM_SAT_R 4             /* numDeriv's r: steps h, h/2, h/4, h/8 */
static int check_input(st_error *e, const frm_model *m, lmm_result *r)
{
    if (m->nre == 0) {
        st_fail(e, ST_EINPUT, "formula %s has no random-effects term such as (1 | g) "
                "(for a regression without random effects use ols)", r->formula);
        goto fail;
    }
    if (m->n < 1) {
        st_fail(e, ST_EFIT, "no observations left to fit");
        goto fail;
    }
    if (m->weights != NULL) {
        for (int i = 0; i < m->n; i++)
            if (!(m->weights[i] > 0) || !isfinite(m->weights[i])) {
                st_fail(e, ST_EINPUT, "observation %d: weight %g; lmm needs prior weights above "
                        "0", i + 1, m->weights[i]);
                goto fail;
            }
        if ((r->weights = st_alloc(e, (size_t)m->n + 1, sizeof *r->weights)) == NULL)
            goto fail;
        memcpy(r->weights, m->weights, (size_t)m->n * sizeof *r->weights);
    }
    for (int i = 0; i < m->n; i++)
        if (!isfinite(m->y[i])) {
            st_fail(e, ST_EINPUT, "observation %d: the response %s is not finite (%g)", i + 1,
                    m->response ? m->response : "", m->y[i]);
            goto fail;
        }
    for (size_t x = 0; x < (size_t)m->n * m->p; x++)
        if (!isfinite(m->X[x])) {
            st_fail(e, ST_EINPUT, "observation %d: column \"%s\" of the fixed effects is not "
                    "finite (%g)", (int)(x % m->n) + 1, m->colnames[x / m->n], m->X[x]);
            goto fail;
        }
    for (int k = 0; k < m->nre; k++)
        for (size_t x = 0; x < (size_t)m->n * m->re[k].q; x++)
            if (!isfinite(m->re[k].Z[x])) {
                st_fail(e, ST_EINPUT, "observation %d: column \"%s\" of the random-effects "
                        "term for \"%s\" is not finite (%g)", (int)(x % m->n) + 1,
                        m->re[k].colnames[x / m->n], m->re[k].group, m->re[k].Z[x]);
                goto fail;
            }
    return ST_OK;
fail:
    return e->status;
}
static int find_aliased(st_error *e, const double *X, const double *y, int n, int p,
                        double tol, int *aliased)
{
    double *W = st_alloc(e, (size_t)n * (p + 1) + (size_t)p + 1, sizeof *W);
    if (W == NULL)
        return e->status;
    memcpy(W, X, (size_t)n * p * sizeof *W);
    memcpy(W + (size_t)n * p, y, (size_t)n * sizeof *W);
    for (int j = 0; j <= p; j++) {
        double *col = W + (size_t)j * n, big = 0.0, s = 0.0;
        for (int i = 0; i < n; i++)
            if (fabs(col[i]) > big)
                big = fabs(col[i]);
        if (big > 0.0) {
            int ex;
            frexp(big, &ex);
            for (int i = 0; i < n; i++) {
                col[i] = ldexp(col[i], -ex);
                s += col[i] * col[i];
            }
        }
        W[(size_t)n * (p + 1) + j] = sqrt(s);
    }
    int k = 0, fitted = 0;
    for (int j = 0; j <= p; j++) {
        double *col = W + (size_t)j * n, norm0 = W[(size_t)n * (p + 1) + j], norm = 0.0;
        for (int i = k; i < n; i++)
            norm += col[i] * col[i];
        norm = sqrt(norm);
        int small = k >= n || norm0 == 0.0 || norm < tol * norm0;
        if (j == p) {
            fitted = small;
            break;
        }
        aliased[j] = small;
        if (aliased[j])
            continue;
        double shift = col[k] >= 0 ? norm : -norm, vv = 0.0;    /* sign(x_k) ||x|| */
        col[k] += shift;
        for (int i = k; i < n; i++)
            vv += col[i] * col[i];
        for (int jj = j + 1; jj <= p; jj++) {
            double *c2 = W + (size_t)jj * n, dot = 0.0;
            for (int i = k; i < n; i++)
                dot += col[i] * c2[i];
            double f = 2.0 * dot / vv;
            for (int i = k; i < n; i++)
                c2[i] -= f * col[i];
        }
        k++;
    }
    free(W);
    if (fitted)
        return st_fail(e, ST_EFIT, "the fixed effects fit the response exactly (it is %s): "
                       "nothing is left to estimate the variances from", p > 0 && k > 0 ?
                       "a linear combination of the fixed-effects columns" : "zero");
    return ST_OK;
}
static int fixed_columns(st_error *e, const frm_model *m, lmm_result *r, double **Xp)
{
    double *X = NULL;
    r->p = m->p;
    r->coef_names = st_alloc(e, (size_t)(m->p > 0 ? m->p : 1), sizeof *r->coef_names);
    r->aliased = st_alloc(e, (size_t)(m->p > 0 ? m->p : 1), sizeof *r->aliased);
    if (r->coef_names == NULL || r->aliased == NULL)
        goto fail;
    for (int j = 0; j < m->p; j++)
        if ((r->coef_names[j] = st_strdup(e, m->colnames[j])) == NULL)
            goto fail;
    if (find_aliased(e, m->X, m->y, m->n, m->p, r->control.rank_tol, r->aliased) != ST_OK)
        goto fail;
    r->rank = 0;
    for (int j = 0; j < m->p; j++)
        r->rank += !r->aliased[j];
    if ((X = st_alloc(e, (size_t)m->n * (r->rank > 0 ? r->rank : 1), sizeof *X)) == NULL)
        goto fail;
    for (int j = 0, c = 0; j < m->p; j++)
        if (!r->aliased[j])
            memcpy(X + (size_t)(c++) * m->n, m->X + (size_t)j * m->n, (size_t)m->n * sizeof *X);
    if (r->rank >= r->n) {
        st_fail(e, ST_EFIT, "%d fixed effects for %d observations: nothing is left to "
                "estimate the variances", r->rank, r->n);
        goto fail;
    }
    *Xp = X;
    return ST_OK;
fail:
    *Xp = X;
    return e->status;
}
static int form_system(st_error *e, const frm_model *m, lmm_result *r, const double *X,
                       blk_system **sysp, double **workp)
{
    blk_system *sys = NULL;
    double *work = NULL;
    {
        blk_term *bt = st_alloc(e, (size_t)r->re.nterms, sizeof *bt);
        if (bt == NULL)
            goto fail;
        re_blk_terms(&r->re, bt);
        int status = blk_create(e, r->n, r->re.nterms, bt, r->rank, &sys);
        free(bt);
        if (status != ST_OK || blk_crossprod(e, sys, X, m->y, m->weights) != ST_OK)
            goto fail;      /* rows scaled by the weights' square roots (eq:lmm-weights) */
        if (re_layout(e, &r->re) != ST_OK)
            goto fail;
        assert(r->re.ntheta == blk_ntheta(sys) && r->re.nre == blk_nre(sys));
        work = st_alloc(e, (size_t)r->rank + 2 * (size_t)r->re.nre + 1, sizeof *work);
        if (work == NULL)
            goto fail;
    }
    *sysp = sys;
    *workp = work;
    return ST_OK;
fail:
    *sysp = sys;
    *workp = work;
    return e->status;
}
typedef struct lmm_objective {
    blk_system *sys;
    int n, p, reml;
    long evaluations;
    double *beta, *u, *b;       /* work space for blk_solve */
    FILE *trace;                /* NULL, or lmm_options's trace file */
    const lmm_control *ctl;     /* the fit's tolerances and limits (r->control) */
} lmm_objective;

static double profiled_criterion(lmm_objective *o, const double *theta)
{
    if (blk_factor(o->sys, theta) != 0)
        return HUGE_VAL;
    double r2 = blk_solve(o->sys, o->beta, o->u, o->b), ld = blk_logdet(o->sys);
    if (o->reml) {
        double df = o->n - o->p;
        return ld + blk_logdet_x(o->sys) + df * (1.0 + LMM_LOG_2PI + log(r2 / df))
               - blk_logdet_w(o->sys);                           /* (eq:lmm-weights) */
    }
    return ld - blk_logdet_w(o->sys) + o->n * (1.0 + LMM_LOG_2PI + log(r2 / o->n));
}

static double criterion(lmm_objective *o, const double *theta)
{
    double f = profiled_criterion(o, theta);
    o->evaluations++;
    if (o->trace)
        lmm_trace_row(o->trace, o->evaluations, theta, blk_ntheta(o->sys), 0, f);
    return f;
}

static double opt_criterion(void *data, const double *theta)
{
    return criterion(data, theta);
}
static int bobyqa(lmm_objective *o, const opt_control *c, int ntheta, const double *lower,
                  double *theta, double *fmin)
{
    st_error e = { 0 };
    opt_outcome res;
    opt_bobyqa(&e, c, opt_criterion, o, ntheta, lower, NULL, NULL, theta, &res);
    *fmin = res.fmin;
    return res.code;
}
static void restart_inwards(lmm_objective *obj, lmm_result *r, double *fmin)
{
    double d0 = HUGE_VAL;
    int restart = 0;
    for (int i = 0; i < r->re.ntheta; i++)
        if (r->re.theta[i] == r->re.lower[i]) {
            if (d0 == HUGE_VAL)
                d0 = criterion(obj, r->re.theta);
            double save = r->re.theta[i];
            r->re.theta[i] += r->control.boundary_tol;
            restart |= (criterion(obj, r->re.theta) - d0) / r->control.boundary_tol < 0;
            r->re.theta[i] = save;
        }
    if (restart)
        r->nlopt_status = bobyqa(obj, &r->control.fit, r->re.ntheta, r->re.lower,
                                 r->re.theta, fmin);
}
static void snap_to_bounds(lmm_objective *obj, int ntheta, const double *lower,
                           double *theta, double fmin)
{
    for (int i = 0; i < ntheta; i++) {
        double gap = theta[i] - lower[i];
        if (gap > 0 && gap < obj->ctl->boundary_tol) {
            double save = theta[i];
            theta[i] = lower[i];
            if (!(criterion(obj, theta) < fmin))
                theta[i] = save;
        }
    }
}
static int minimize(st_error *e, lmm_result *r, blk_system *sys, double *work,
                    const lmm_options *opt)
{
    {
        lmm_objective obj = { sys, r->n, r->rank, r->reml, 0, work, work + r->rank,
                              work + r->rank + r->re.nre, opt->trace, &r->control };
        struct timespec t0, t1;
        double fmin = HUGE_VAL;
        if (opt->trace)
            lmm_trace_header(opt->trace, r->re.ntheta, 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        r->nlopt_status = bobyqa(&obj, &r->control.fit, r->re.ntheta, r->re.lower, r->re.theta,
                                 &fmin);
        if (r->nlopt_status == NLOPT_OUT_OF_MEMORY) {
            st_fail(e, ST_ENOMEM, "out of memory");
            goto fail;
        }
        if (r->nlopt_status > 0)
            restart_inwards(&obj, r, &fmin);
        snap_to_bounds(&obj, r->re.ntheta, r->re.lower, r->re.theta, fmin);
        r->criterion = criterion(&obj, r->re.theta);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        r->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        r->evaluations = obj.evaluations;
        r->converged = r->nlopt_status > 0 && r->nlopt_status != NLOPT_MAXEVAL_REACHED;
        for (int i = 0; i < r->re.ntheta; i++)
            if (r->re.lower[i] == 0.0 && r->re.theta[i] > r->control.theta_max)
                r->unbounded = 1;
        if (r->unbounded)
            r->converged = 0;
        if (!isfinite(r->criterion)) {
            st_fail(e, ST_EFIT, "the criterion cannot be evaluated at the optimum: the "
                    "response is fitted exactly, or the fixed effects are not estimable");
            goto fail;
        }
    }
    return ST_OK;
fail:
    return e->status;
}
static int allocate_results(st_error *e, lmm_result *r, double **bkp)
{
    int p = r->p, k = r->rank, n = r->n;
    size_t pp = (size_t)(p > 0 ? p : 1), kk = (size_t)(k > 0 ? k : 1);
    r->beta = st_alloc(e, pp, sizeof(double));
    r->se = st_alloc(e, pp, sizeof(double));
    r->statistic = st_alloc(e, pp, sizeof(double));
    r->conf_low = st_alloc(e, pp, sizeof(double));
    r->conf_high = st_alloc(e, pp, sizeof(double));
    r->df = st_alloc(e, pp, sizeof(double));
    r->p_value = st_alloc(e, pp, sizeof(double));
    r->vcov = st_alloc(e, kk * kk, sizeof(double));
    r->resid = st_alloc(e, (size_t)n, sizeof(double));
    double *bk = st_alloc(e, kk, sizeof(double));
    if (r->beta == NULL || r->se == NULL || r->statistic == NULL || r->conf_low == NULL
        || r->conf_high == NULL || r->df == NULL || r->p_value == NULL || r->vcov == NULL
        || r->resid == NULL || bk == NULL) {
        free(bk);
        goto fail;
    }
    *bkp = bk;
    return ST_OK;
fail:
    return e->status;
}
static void solve_estimates(const frm_model *m, lmm_result *r, blk_system *sys,
                            const double *X, double *bk)
{
    int k = r->rank, n = r->n;
    blk_beta(sys, bk);
    blk_modes(sys, bk, r->re.u, r->re.b);
    for (int i = 0; i < n; i++) {
        double fit = 0.0;
        for (int c = 0; c < k; c++)
            fit += X[i + (size_t)c * n] * bk[c];
        r->resid[i] = m->y[i] - re_add_zb(&r->re, r->re.b, i, fit);   /* y - X beta - Z b */
    }
}
static int wald_table(st_error *e, lmm_result *r, blk_system *sys, double *bk)
{
    int p = r->p, k = r->rank;
    if (k > 0) {
        blk_rx(sys, r->vcov);
        if (LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', k, r->vcov, k) != 0) {
            free(bk);
            st_fail(e, ST_EFIT, "the fixed effects' covariance matrix is singular");
            goto fail;
        }
        for (int c = 0; c < k; c++)
            for (int rr = c; rr < k; rr++) {
                double v = r->sigma * r->sigma * r->vcov[rr + c * k];
                r->vcov[rr + c * k] = r->vcov[c + rr * k] = v;
            }
    }
    double z = qnorm(0.5 + 0.5 * r->level, 0.0, 1.0, 1, 0);
    for (int j = 0, c = 0; j < p; j++) {
        r->df[j] = r->p_value[j] = NAN;
        if (r->aliased[j]) {
            r->beta[j] = r->se[j] = r->statistic[j] = r->conf_low[j] = r->conf_high[j] = NAN;
            continue;
        }
        r->beta[j] = bk[c];
        r->se[j] = sqrt(r->vcov[c + c * k]);
        r->statistic[j] = r->beta[j] / r->se[j];
        r->conf_low[j] = r->beta[j] - z * r->se[j];
        r->conf_high[j] = r->beta[j] + z * r->se[j];
        c++;
    }
    free(bk);
    return ST_OK;
fail:
    return e->status;
}
static double deviance_vp(lmm_objective *o, const double *psi)
{
    int nt = blk_ntheta(o->sys);
    double s2 = psi[nt] * psi[nt];
    if (blk_factor(o->sys, psi) != 0)
        return NAN;
    double r2 = blk_solve(o->sys, o->beta, o->u, o->b);
    double dev = blk_logdet(o->sys) + r2 / s2 + o->n * (LMM_LOG_2PI + log(s2));
    if (o->reml)
        dev += blk_logdet_x(o->sys) - o->p * (LMM_LOG_2PI + log(s2));
    return dev;
}

static int var_beta_vp(lmm_objective *o, const double *psi, double *v, double *work)
{
    int nt = blk_ntheta(o->sys), p = o->p;
    if (blk_factor(o->sys, psi) != 0)
        return 1;
    blk_rx(o->sys, work);
    if (LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', p, work, p) != 0)
        return 1;
    for (int c = 0; c < p; c++)
        v[c] = psi[nt] * psi[nt] * work[c + c * p];
    return 0;
}
static double sat_step(lmm_objective *o, double *x, int i, double f0)
{
    const lmm_control *c = o->ctl;
    double xi = x[i],
           h = fabs(c->sat_d * xi) + c->sat_eps * (fabs(xi) < sqrt(DBL_EPSILON / 7e-7));
    for (int t = 0; t < c->sat_tries; t++) {
        x[i] = xi + h;
        double f1 = deviance_vp(o, x);
        x[i] = xi - h;
        double f2 = deviance_vp(o, x);
        x[i] = xi;
        double delta = f1 - 2.0 * f0 + f2, scale;
        if (!isfinite(delta))
            scale = 0.1;
        else if (!(delta > c->sat_delta * 1e-6))
            scale = 100.0;
        else
            scale = sqrt(c->sat_delta / delta);
        if (scale > 0.7 && scale < 1.4)
            break;
        h = fmin(h * scale, c->sat_hmax * fmax(fabs(xi), 1.0));
    }
    return h;
}

static double extrapolate(double *d)
{
    for (int m = 1; m < LMM_SAT_R; m++) {
        double f = pow(4.0, m);
        for (int k = 0; k < LMM_SAT_R - m; k++)
            d[k] = (d[k + 1] * f - d[k]) / (f - 1.0);
    }
    return d[0];
}
static void sat_hessian(lmm_objective *o, double *x, int m, double *H, double *h0)
{
    double f0 = deviance_vp(o, x), d[LMM_SAT_R];
    for (int i = 0; i < m; i++)
        h0[i] = sat_step(o, x, i, f0);
    for (int i = 0; i < m; i++) {
        double h = h0[i], xi = x[i];
        for (int k = 0; k < LMM_SAT_R; k++, h /= 2) {
            x[i] = xi + h;
            double f1 = deviance_vp(o, x);
            x[i] = xi - h;
            double f2 = deviance_vp(o, x);
            x[i] = xi;
            d[k] = (f1 - 2.0 * f0 + f2) / (h * h);
        }
        H[i + i * m] = extrapolate(d);
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < i; j++) {
            double hi = h0[i], hj = h0[j], xi = x[i], xj = x[j];
            for (int k = 0; k < LMM_SAT_R; k++, hi /= 2, hj /= 2) {
                x[i] = xi + hi;
                x[j] = xj + hj;
                double f1 = deviance_vp(o, x);
                x[i] = xi - hi;
                x[j] = xj - hj;
                double f2 = deviance_vp(o, x);
                x[i] = xi;
                x[j] = xj;
                d[k] = (f1 - 2.0 * f0 + f2 - H[i + i * m] * hi * hi - H[j + j * m] * hj * hj)
                       / (2.0 * hi * hj);
            }
            H[i + j * m] = H[j + i * m] = extrapolate(d);
        }
}
static int sat_jacobian(lmm_objective *o, double *x, int m, const double *h0, double *J,
                        double *work)
{
    int p = o->p;
    double *a = work, *v1 = a + (size_t)LMM_SAT_R * p, *v2 = v1 + p, *w = v2 + p;
    for (int i = 0; i < m; i++) {
        double h = h0[i], xi = x[i];
        for (int k = 0; k < LMM_SAT_R; k++, h /= 2) {
            x[i] = xi + h;
            int bad = var_beta_vp(o, x, v1, w);
            x[i] = xi - h;
            bad |= var_beta_vp(o, x, v2, w);
            x[i] = xi;
            if (bad)
                return 1;
            for (int c = 0; c < p; c++)
                a[k + c * LMM_SAT_R] = (v1[c] - v2[c]) / (2.0 * h);
        }
        for (int c = 0; c < p; c++)
            J[c + (size_t)i * p] = extrapolate(a + c * LMM_SAT_R);
    }
    return 0;
}
static int satterthwaite_df(st_error *e, lmm_result *r, blk_system *sys, double *work,
                         const lmm_options *opt)
{
    int p = r->p, k = r->rank, n = r->n;
    if (opt->satterthwaite && k > 0) {
        lmm_objective obj = { sys, n, k, r->reml, 0, work, work + k, work + k + r->re.nre, NULL,
                              &r->control };
        int npar = r->re.ntheta + 1;
        size_t np = (size_t)npar;
        double *x = st_alloc(e, np, sizeof *x), *H = st_alloc(e, np * np, sizeof *H);
        double *A = st_alloc(e, np * np, sizeof *A), *ev = st_alloc(e, np, sizeof *ev);
        double *J = st_alloc(e, (size_t)k * np, sizeof *J), *h0 = st_alloc(e, np, sizeof *h0);
        size_t nwork = (size_t)(LMM_SAT_R + 2) * k + (size_t)k * k + 3 * np;
        double *satwork = st_alloc(e, nwork, sizeof *satwork);
        int status = x && H && A && ev && J && h0 && satwork ? ST_OK : ST_EFIT;
        if (status == ST_OK) {
            memcpy(x, r->re.theta, (size_t)r->re.ntheta * sizeof *x);
            x[r->re.ntheta] = r->sigma;
            sat_hessian(&obj, x, npar, H, h0);
            if (LAPACKE_dsyev_work(LAPACK_COL_MAJOR, 'V', 'L', npar, H, npar, ev, satwork,
                                   (lapack_int)nwork) != 0)
                status = st_fail(e, ST_EFIT, "Satterthwaite's degrees of freedom: the Hessian of "
                                 "the deviance has no eigendecomposition");
            else
                for (int a = 0; a < npar; a++)
                    for (int b = 0; b < npar; b++) {
                        double sum = 0.0;
                        for (int l = 0; l < npar; l++)
                            if (ev[l] > r->control.sat_eigen_tol)
                                sum += H[a + l * npar] * H[b + l * npar] / ev[l];
                        A[a + b * npar] = 2.0 * sum;
                    }
        }
        if (status == ST_OK && sat_jacobian(&obj, x, npar, h0, J, satwork) != 0)
            status = st_fail(e, ST_EFIT, "Satterthwaite's degrees of freedom: the covariance "
                             "of the fixed effects cannot be computed near the optimum");
        if (status == ST_OK) {
            r->satterthwaite = 1;
            for (int j = 0, c = 0; j < p; j++)
                if (!r->aliased[j]) {
                    double v = r->vcov[c + c * k], denom = 0.0;
                    for (int a = 0; a < npar; a++)
                        for (int b = 0; b < npar; b++)
                            denom += J[c + (size_t)a * k] * A[a + b * npar] * J[c + (size_t)b * k];
                    r->df[j] = 2.0 * v * v / denom;
                    r->p_value[j] = 2.0 * pt(fabs(r->statistic[j]), r->df[j], 0, 0);
                    c++;
                }
        }
        free(x); free(H); free(A); free(ev); free(J); free(h0); free(satwork);
        if (status != ST_OK)
            goto fail;
    }
    return ST_OK;
fail:
    return e->status;
}

static int fit_estimates(st_error *e, const frm_model *m, lmm_result *r, blk_system *sys,
                     const double *X, double *work, const lmm_options *opt)
{
    {
        int k = r->rank, n = r->n;
        double r2 = blk_solve(sys, work, work + r->rank, work + r->rank + r->re.nre);
        r->sigma = sqrt(r2 / (r->reml ? n - k : n));
        r->npar = k + r->re.ntheta + 1;
        r->loglik = -0.5 * r->criterion;
        r->aic = -2.0 * r->loglik + 2.0 * r->npar;
        r->bic = -2.0 * r->loglik + log((double)n) * r->npar;
        r->singular = 0;
        for (int i = 0; i < r->re.ntheta; i++)
            r->singular |= r->re.lower[i] == 0.0 && r->re.theta[i] < r->control.singular_tol;
        double *bk = NULL;
        if (allocate_results(e, r, &bk) != ST_OK)
            goto fail;
        solve_estimates(m, r, sys, X, bk);
        if (wald_table(e, r, sys, bk) != ST_OK
            || satterthwaite_df(e, r, sys, work, opt) != ST_OK)
            goto fail;
    }
    return ST_OK;
fail:
    return e->status;
}
typedef struct pb_shared {
    const lmm_result *r;
    const double *X;         /* n x rank, the estimated columns */
    const double *fixed;     /* n: X beta-hat */
    int n, nv, np;           /* observations; variance parameters; all parameters */
    const lmm_boot_spec *spec;
    double *t;               /* B x np replicates, row b at t + b np */
    signed char *state;      /* B: 0 ok, 1 singular, 2 failed */
    atomic_long done;
} pb_shared;
static void pb_simulate(const lmm_result *r, const double *fixed, rng_state *g, double *u,
                        double *bre, double *y)
{
    for (int j = 0; j < r->re.nre; j++)
        u[j] = rng_normal(g);
    re_lambda_u(&r->re, r->re.theta, r->sigma, u, bre);     /* sigma-hat Lambda u* */
    for (int i = 0; i < r->n; i++)
        y[i] = re_add_zb(&r->re, bre, i, fixed[i]) + r->sigma * rng_normal(g);
}
static int pb_replicate(pb_shared *s, st_error *e, blk_system *sys, long long b, double *y,
                        double *u, double *bre, double *work, double *theta, double *row)
{
    const lmm_result *r = s->r;
    int n = s->n, p = r->rank;
    rng_state g;
    rng_stream(&g, s->spec->seed, (uint64_t)b);
    pb_simulate(r, s->fixed, &g, u, bre, y);
    if (blk_crossprod(e, sys, s->X, y, NULL) != ST_OK)
        return -1;
    memcpy(theta, r->re.theta, (size_t)r->re.ntheta * sizeof *theta);
    lmm_objective obj = { sys, n, p, r->reml, 0, work, work + p, work + p + r->re.nre, NULL,
                          &r->control };
    double fmin = HUGE_VAL;
    int st = bobyqa(&obj, &r->control.refit, r->re.ntheta, r->re.lower, theta, &fmin);
    if (st == NLOPT_OUT_OF_MEMORY) {
        st_fail(e, ST_ENOMEM, "out of memory");
        return -1;
    }
    if (st < 0)
        return 2;
    snap_to_bounds(&obj, r->re.ntheta, r->re.lower, theta, fmin);
    if (blk_factor(sys, theta) != 0)
        return 2;
    double r2 = blk_solve(sys, work, work + p, work + p + r->re.nre);
    double sigma = sqrt(r2 / (r->reml ? n - p : n));
    if (!isfinite(sigma))
        return 2;
    re_varpar_at(&r->re, theta, sigma, 1, row);
    blk_beta(sys, row + s->nv);
    int singular = 0;
    for (int i = 0; i < r->re.ntheta; i++)
        singular |= r->re.lower[i] == 0.0 && theta[i] < r->control.singular_tol;
    return singular;
}
static int pb_thread(st_error *e, void *shared, long long from, long long to, int index)
{
    pb_shared *s = shared;
    const lmm_result *r = s->r;
    int status = ST_OK;
    blk_system *sys = NULL;
    blk_term *bt = st_alloc(e, (size_t)r->re.nterms, sizeof *bt);
    double *buf = st_alloc(e, 2 * (size_t)s->n + 4 * (size_t)r->re.nre + (size_t)r->rank
                           + (size_t)r->re.ntheta + 1, sizeof *buf);
    if (bt == NULL || buf == NULL) {
        status = e->status;
        goto done;
    }
    re_blk_terms(&r->re, bt);
    if (blk_create(e, s->n, r->re.nterms, bt, r->rank, &sys) != ST_OK) {
        status = e->status;
        goto done;
    }
    double *y = buf, *u = y + s->n, *bre = u + r->re.nre, *work = bre + r->re.nre,
           *theta = work + r->rank + 2 * (size_t)r->re.nre;
    long long B = s->spec->replicates, step = B / 100 > 0 ? B / 100 : 1;
    for (long long b = from; b < to; b++) {
        int st = pb_replicate(s, e, sys, b, y, u, bre, work, theta, s->t + (size_t)b * s->np);
        if (st < 0) {
            status = e->status;
            goto done;
        }
        s->state[b] = (signed char)st;
        long d = atomic_fetch_add(&s->done, 1) + 1;
        if (index == 0 && s->spec->progress != NULL && d % step == 0)
            ci_progress(stderr, s->spec->progress, "bootstrap", d, (long)B);
    }
done:
    blk_free(sys);
    free(bt);
    free(buf);
    return status;
}
static double pb_quantile(const double *t, long long m, double a)
{
    double rk = (double)(m + 1) * a;
    long long k = (long long)rk;
    if (m < 1)
        return NAN;
    if (k <= 0)
        return t[0];
    if (k >= m)
        return t[m - 1];
    if ((double)k == rk)
        return t[k - 1];
    double z = qnorm(a, 0, 1, 1, 0), zk = qnorm((double)k / (double)(m + 1), 0, 1, 1, 0),
           zk1 = qnorm((double)(k + 1) / (double)(m + 1), 0, 1, 1, 0);
    return t[k - 1] + (z - zk) / (zk1 - zk) * (t[k] - t[k - 1]);
}
struct lmm_profile {
    const lmm_result *r;     /* the fit as given */
    lmm_result *ml;          /* its refit by ML, or NULL when it was by ML */
    const lmm_result *f;     /* the ML fit: r or ml */
    blk_system *sys;
    double *X;               /* n x p, the estimated columns of X */
    int n, p, ntheta, nv, np;
    double base;             /* the ML deviance at the optimum */
    double *est, *lo, *hi;   /* np estimates; nv bounds each */
    double *start, *full, *theta, *work, *rxt, *sv;
    double *blo, *bhi, *bstep;   /* the optimizer's bounds and first steps */
    int w;                   /* the parameter held fixed */
    double x;                /* at this value */
    long evaluations;
    int last_w;              /* the parameter whose optimum is in start, or -1 */
    double last_x;           /* and its value there */
};
static double pf_deviance_s(lmm_profile *pr, const double *full)
{
    double sigma = full[pr->nv - 1];
    pr->evaluations++;
    if (!(sigma > 0) || re_sdcor_theta(&pr->f->re, full, sigma, pr->theta) != 0
        || blk_factor(pr->sys, pr->theta) != 0)
        return HUGE_VAL;
    double *w = pr->work, r2 = blk_solve(pr->sys, w, w + pr->p, w + pr->p + pr->f->re.nre);
    return blk_logdet(pr->sys) + r2 / (sigma * sigma)
           + pr->n * (LMM_LOG_2PI + log(sigma * sigma));
}
static double pf_deviance_beta(lmm_profile *pr, const double *theta, int j, double x)
{
    int p = pr->p;
    pr->evaluations++;
    if (blk_factor(pr->sys, theta) != 0)
        return HUGE_VAL;
    int q = pr->f->re.nre;
    double *beta = pr->work, r2 = blk_solve(pr->sys, beta, beta + p, beta + p + q);
    blk_rx(pr->sys, pr->rxt);
    double *v = pr->sv, a = 0.0;
    for (int i = 0; i < p; i++)
        v[i] = i == j;
    for (int i = 0; i < p; i++) {                 /* solve R_X^T v = e_j */
        for (int c = 0; c < i; c++)
            v[i] -= pr->rxt[i + (size_t)c * p] * v[c];
        v[i] /= pr->rxt[i + (size_t)i * p];
        a += v[i] * v[i];
    }
    double d = x - beta[j];
    return blk_logdet(pr->sys) + pr->n * (1.0 + LMM_LOG_2PI + log((r2 + d * d / a) / pr->n));
}
static double pf_objective(void *data, const double *y)
{
    lmm_profile *pr = data;
    if (pr->w >= pr->nv)
        return pf_deviance_beta(pr, y, pr->w - pr->nv, pr->x);
    for (int i = 0, c = 0; i < pr->nv; i++)
        pr->full[i] = i == pr->w ? pr->x : y[c++];
    return pf_deviance_s(pr, pr->full);
}
static double pf_optimize(lmm_profile *pr, int w, double x)
{
    int m = w < pr->nv ? pr->nv - 1 : pr->ntheta;
    double *lo = pr->blo, *hi = pr->bhi, *step = pr->bstep, *y = pr->start;
    pr->w = w;
    pr->x = x;
    for (int i = 0, c = 0; i < (w < pr->nv ? pr->nv : 0); i++)
        if (i != w) {
            lo[c] = pr->lo[i];
            hi[c] = pr->hi[i];
            c++;
        }
    for (int i = 0; w >= pr->nv && i < m; i++) {
        lo[i] = pr->f->re.lower[i];
        hi[i] = HUGE_VAL;
    }
    for (int i = 0; i < m; i++) {
        double a = fabs(y[i]) > 0 ? 0.01 * fabs(y[i]) : 0.01;
        if (y[i] < lo[i]) y[i] = lo[i];
        if (y[i] > hi[i]) y[i] = hi[i];
        if (isfinite(hi[i]) && a > 0.25 * (hi[i] - lo[i]))
            a = 0.25 * (hi[i] - lo[i]);
        step[i] = a;
    }
    st_error e = { 0 };
    opt_outcome res;
    const opt_control *ctl = &pr->r->control.profile;
    if (opt_bobyqa(&e, ctl, pf_objective, pr, m, lo, hi, step, y, &res) != ST_OK)
        return NAN;
    int st = res.code;
    return st < 0 && st != NLOPT_ROUNDOFF_LIMITED ? NAN : res.fmin;
}
static void pf_reset(lmm_profile *pr, int w)
{
    if (w < pr->nv) {
        for (int i = 0, c = 0; i < pr->nv; i++)
            if (i != w)
                pr->start[c++] = pr->est[i];
    } else
        memcpy(pr->start, pr->f->re.theta, (size_t)pr->ntheta * sizeof *pr->start);
    pr->last_w = w;
}
static int pf_coef(const lmm_profile *pr, int j)
{
    for (int c = 0, k = 0; c < pr->f->p; c++)
        if (!pr->f->aliased[c] && k++ == j)
            return c;
    return 0;
}
typedef struct zeta_bracket {
    double d;               /* the direction: -1 below the estimate, 1 above */
    double a, za;           /* the inside end of the bracket and its zeta */
    double b, zb;           /* the end beyond the target (NaN until found), its zeta */
    double x;               /* the next point */
    double xprev, zprev;    /* the previous point, for extrapolation */
    int side;               /* the end that moved last: -1 a, 1 b, 0 neither */
} zeta_bracket;

static int zeta_probe(zeta_bracket *s, lmm_zeta_fn zeta, void *ctx, int w, double est,
                      double t, double scale)
{
    double xp = est + s->d * 0.01 * scale, zp = zeta(ctx, w, xp);
    if (isnan(zp))
        return -1;
    if (fabs(zp) > 0)
        s->x = est + (xp - est) * t / zp;
    else
        s->x = est + s->d * scale;
    s->xprev = xp;
    s->zprev = zp;
    if (s->d * (zp - t) >= 0) {                 /* the probe is already beyond */
        s->b = xp;
        s->zb = zp;
    } else {
        s->a = xp;
        s->za = zp;
    }
    return 0;
}

static int zeta_update(zeta_bracket *s, double est, double t, double z)
{
    double x = s->x;
    if (s->d * (z - t) < 0) {                   /* inside: x is the new a */
        if (isnan(s->b)) {                      /* not bracketed yet: extrapolate */
            double xn = (z != s->zprev) ? x + (t - z) * (x - s->xprev) / (z - s->zprev)
                                        : NAN;
            double lim = est + 4.0 * (x - est);
            if (!isfinite(xn) || s->d * (xn - x) <= 0 || s->d * (xn - lim) > 0)
                xn = lim;
            s->xprev = x;
            s->zprev = z;
            s->a = x;
            s->za = z;
            s->x = xn;
            return 1;
        }
        if (s->side == -1)
            s->zb = t + (s->zb - t) / 2;
        s->side = -1;
        s->a = x;
        s->za = z;
    } else {                                    /* beyond: x is the new b */
        if (!isnan(s->b) && s->side == 1)
            s->za = t + (s->za - t) / 2;
        s->side = 1;
        s->b = x;
        s->zb = z;
    }
    s->x = isfinite(s->za) && isfinite(s->zb)
               ? s->a + (t - s->za) * (s->b - s->a) / (s->zb - s->za)
               : 0.5 * (s->a + s->b);
    return 0;
}
static double pf_zeta_cb(void *ctx, int w, double x)
{
    return lmm_profile_zeta(ctx, w, x);
}

static double pf_end(lmm_profile *pr, int w, double t)
{
    double est = pr->est[w], d = t < 0 ? -1.0 : 1.0;
    double bound = w < pr->nv ? (d < 0 ? pr->lo[w] : pr->hi[w]) : d * HUGE_VAL;
    double first = w >= pr->nv ? est + t * pr->f->se[pf_coef(pr, w - pr->nv)] : NAN;
    double scale = fabs(est) > 0 ? fabs(est) : 0.1 * pr->est[pr->nv - 1];
    pf_reset(pr, w);
    return lmm_zeta_end(pf_zeta_cb, pr, w, est, bound, t, first, scale);
}
static int pf_allocate(st_error *e, lmm_profile *pr)
{
    const lmm_result *f = pr->f;
    size_t big = (size_t)pr->np + (size_t)f->re.ntheta + 1;
    pr->X = st_alloc(e, (size_t)pr->n * (pr->p > 0 ? pr->p : 1), sizeof *pr->X);
    pr->est = st_alloc(e, (size_t)pr->np, sizeof *pr->est);
    pr->lo = st_alloc(e, (size_t)pr->nv, sizeof *pr->lo);
    pr->hi = st_alloc(e, (size_t)pr->nv, sizeof *pr->hi);
    pr->start = st_alloc(e, big, sizeof *pr->start);
    pr->full = st_alloc(e, big, sizeof *pr->full);
    pr->theta = st_alloc(e, big, sizeof *pr->theta);
    pr->work = st_alloc(e, (size_t)pr->p + 2 * (size_t)f->re.nre + 1, sizeof *pr->work);
    pr->rxt = st_alloc(e, (size_t)pr->p * pr->p + 1, sizeof *pr->rxt);
    pr->sv = st_alloc(e, (size_t)pr->p + 1, sizeof *pr->sv);
    pr->blo = st_alloc(e, big, sizeof *pr->blo);
    pr->bhi = st_alloc(e, big, sizeof *pr->bhi);
    pr->bstep = st_alloc(e, big, sizeof *pr->bstep);
    if (pr->X == NULL || pr->est == NULL || pr->lo == NULL || pr->hi == NULL
        || pr->start == NULL || pr->full == NULL || pr->theta == NULL || pr->work == NULL
        || pr->rxt == NULL || pr->sv == NULL || pr->blo == NULL || pr->bhi == NULL
        || pr->bstep == NULL)
        return e->status;
    return ST_OK;
}

static int pf_system(st_error *e, const frm_model *m, lmm_profile *pr)
{
    const lmm_result *f = pr->f;
    blk_term *bt = st_alloc(e, (size_t)f->re.nterms, sizeof *bt);
    if (bt == NULL)
        return e->status;
    re_blk_terms(&f->re, bt);
    for (int j = 0, c = 0; j < m->p; j++)
        if (!f->aliased[j])
            memcpy(pr->X + (size_t)pr->n * c++, m->X + (size_t)j * pr->n,
                   (size_t)pr->n * sizeof *pr->X);
    int st = blk_create(e, pr->n, f->re.nterms, bt, pr->p, &pr->sys);
    free(bt);
    if (st != ST_OK || blk_crossprod(e, pr->sys, pr->X, m->y, NULL) != ST_OK)
        return e->status;
    return ST_OK;
}

static void pf_estimates(lmm_profile *pr)
{
    const lmm_result *f = pr->f;
    re_varpar_at(&f->re, f->re.theta, f->sigma, 1, pr->est);
    memcpy(pr->lo, f->re.lower, (size_t)pr->ntheta * sizeof *pr->lo);   /* the bounds */
    for (int i = 0; i < pr->ntheta; i++) {
        pr->hi[i] = pr->lo[i] == 0.0 ? HUGE_VAL : 1.0;
        if (pr->lo[i] != 0.0)
            pr->lo[i] = -1.0;
    }
    pr->lo[pr->nv - 1] = 0.0;
    pr->hi[pr->nv - 1] = HUGE_VAL;
    for (int j = 0, c = pr->nv; j < f->p; j++)
        if (!f->aliased[j])
            pr->est[c++] = f->beta[j];
}
typedef struct lr_shared {
    const frm_model *m0, *m1;
    const lmm_result *r0;
    const double *fixed;     /* n: X0 beta0-hat */
    const lmm_boot_spec *spec;
    double *lrt;
    atomic_long done;
} lr_shared;

static double lr_deviance(const frm_model *m, const double *y, const lmm_control *ctl)
{
    frm_model mm = *m;
    mm.y = (double *)y;
    lmm_options opt = { 0, 0.95, 0, NULL };
    lmm_result *f = NULL;
    st_error e = { 0 };
    double d = NAN;
    if (lmm_fit_control(&e, &mm, &opt, ctl, &f) == ST_OK && f->converged)
        d = -2 * f->loglik;
    lmm_free(f);
    return d;
}

static int lr_thread(st_error *e, void *shared, long long from, long long to, int index)
{
    lr_shared *s = shared;
    int n = s->r0->n, q = s->r0->re.nre;
    double *buf = st_alloc(e, (size_t)n + 2 * (size_t)q + 1, sizeof *buf);
    if (buf == NULL)
        return e->status;
    long long B = s->spec->replicates, step = B / 100 > 0 ? B / 100 : 1;
    for (long long b = from; b < to; b++) {
        rng_state g;
        rng_stream(&g, s->spec->seed, (UINT64_C(1) << 61) + (uint64_t)b);
        pb_simulate(s->r0, s->fixed, &g, buf + n, buf + n + q, buf);
        const lmm_control *c = &s->r0->control;
        double d0 = lr_deviance(s->m0, buf, c), d1 = lr_deviance(s->m1, buf, c);
        s->lrt[b] = isfinite(d0) && isfinite(d1) ? fmax(0.0, d0 - d1) : NAN;
        long d = atomic_fetch_add(&s->done, 1) + 1;
        if (index == 0 && s->spec->progress != NULL && d % step == 0)
            ci_progress(stderr, s->spec->progress, "bootstrap of the LRT", d, (long)B);
    }
    free(buf);
    return ST_OK;
}
#include "numutil.h"      /* st_quartiles: R's type-7 quantiles, as summary() prints them */
static int is_lc_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static void strip_at(char *s, int i)
{
    memmove(s + i, s + i + 1, strlen(s + i + 1) + 1);
}

static void abbreviate1(const char *name, int minlen, char *s, size_t size)
{
    snprintf(s, size, "%s", name);
    if ((int)strlen(s) <= minlen)
        return;
    for (int stage = 0; stage < 5; stage++)
        for (int i = (int)strlen(s) - 1; i > 0; i--) {
            unsigned char c = (unsigned char)s[i];
            int first = s[i - 1] == ' ';
            int last = s[i + 1] == '\0' || s[i + 1] == ' ';
            int drop = stage == 0 ? is_lc_vowel((char)c) && last && !first
                     : stage == 1 ? is_lc_vowel((char)c) && !first
                     : stage == 2 ? (c >= 'a' && c <= 'z') && last && !first
                     : stage == 3 ? (c >= 'a' && c <= 'z') && !first
                     : !first && c != ' ';
            if (drop)
                strip_at(s, i);
            if ((int)strlen(s) <= minlen)
                return;
        }
}

static int abbreviate_all(const char **names, int n, int minlen, char (*out)[64])
{
    int *len = malloc((size_t)n * sizeof *len);
    if (len == NULL)
        return -1;
    for (int a = 0; a < n; a++) {
        len[a] = minlen;
        abbreviate1(names[a], minlen, out[a], sizeof out[a]);
    }
    for (int round = 0, again = 1; again && round < 64; round++) {
        again = 0;
        for (int a = 0; a < n; a++)
            for (int c = a + 1; c < n; c++)
                if (strcmp(out[a], out[c]) == 0 && strcmp(names[a], names[c]) != 0) {
                    again = 1;
                    len[a]++;
                    len[c]++;
                }
        for (int a = 0; again && a < n; a++)
            abbreviate1(names[a], len[a], out[a], sizeof out[a]);
    }
    free(len);
    return 0;
}
int lmm_print_fixef_correlation(FILE *out, const double *vcov, int rank,
                                const char **names)
{
    assert(out != NULL);
    assert(vcov != NULL || rank == 0);
    int k = rank, w = 0, status = -1;
    rf_text *cell = calloc((size_t)k * k, sizeof *cell);
    char (*rn)[64] = calloc((size_t)k, sizeof *rn), (*cn)[64] = calloc((size_t)k, sizeof *cn);
    const char **rp = calloc((size_t)k, sizeof *rp), **cp = calloc((size_t)k, sizeof *cp);
    if (cell && rn && cn && rp && cp) {
        char buf[32];
        for (int a = 0; a < k; a++)
            for (int c = 0; c < k; c++) {
                double v = vcov[a + c * k] / sqrt(vcov[a + a * k] * vcov[c + c * k]);
                snprintf(buf, sizeof buf, "%.3f", a == c ? 1.0 : fround(v, 3));
                if ((int)strlen(buf) > w)
                    w = (int)strlen(buf);
            }
        for (int a = 1; a < k; a++)
            for (int c = 0; c < a; c++) {
                double v = vcov[a + c * k] / sqrt(vcov[a + a * k] * vcov[c + c * k]);
                snprintf(buf, sizeof buf, "%.3f", fround(v, 3));
                snprintf(cell[(a - 1) + (size_t)c * (k - 1)].s, sizeof cell[0].s, "%*s", w, buf);
            }
        for (int a = 0; a < k; a++) {
            rp[a] = rn[a];
            cp[a] = cn[a];
        }
        if (abbreviate_all(names, k, 11, rn) == 0 && abbreviate_all(names, k, 6, cn) == 0) {
            fprintf(out, "\nCorrelation of Fixed Effects:\n");
            status = rf_print_text_matrix(out, cell, k - 1, k - 1, rp + 1, cp, 0);
        }
    }
    free(cell); free(rn); free(cn); free(rp); free(cp);
    return status;
}
int lmm_fit(st_error *e, const frm_model *m, const lmm_options *opt, lmm_result **out)
{
    return lmm_fit_control(e, m, opt, lmm_default_control(), out);
}

int lmm_fit_control(st_error *e, const frm_model *m, const lmm_options *opt,
                    const lmm_control *ctl, lmm_result **out)
{
    *out = NULL;
    lmm_result *r = st_alloc(e, 1, sizeof *r);
    blk_system *sys = NULL;
    double *X = NULL, *work = NULL;
    if (r == NULL)
        return e->status;
    r->control = *ctl;
    r->reml = opt->reml;
    r->level = opt->level;
    r->n = m->n;
    r->n_dropped = m->n_dropped;
    if ((r->formula = st_strdup(e, m->formula ? m->formula : "")) == NULL
        || check_input(e, m, r) != ST_OK
        || re_make_terms(e, m, 0, &r->re) != ST_OK
        || fixed_columns(e, m, r, &X) != ST_OK
        || form_system(e, m, r, X, &sys, &work) != ST_OK
        || minimize(e, r, sys, work, opt) != ST_OK
        || fit_estimates(e, m, r, sys, X, work, opt) != ST_OK)
        goto fail;
    blk_free(sys);
    free(X);
    free(work);
    *out = r;
    return ST_OK;
fail:
    blk_free(sys);
    free(X);
    free(work);
    lmm_free(r);
    return e->status;
}
const lmm_control *lmm_default_control(void)
{
    return &lmm_ctl;
}
void lmm_trace_header(FILE *f, int ntheta, int nbeta)
{
    assert(f != NULL);
    fputs("evaluation", f);
    for (int i = 0; i < ntheta; i++)
        fprintf(f, ",theta%d", i + 1);
    for (int j = 0; j < nbeta; j++)
        fprintf(f, ",beta%d", j + 1);
    fputs(",criterion\n", f);
}

static void trace_number(FILE *f, double x)
{
    if (isnan(x))
        fputs(",NA", f);
    else if (isinf(x))
        fputs(x > 0 ? ",Inf" : ",-Inf", f);
    else
        fprintf(f, ",%.17g", x);
}

void lmm_trace_row(FILE *f, long evaluation, const double *x, int nx, int nempty,
                   double criterion)
{
    fprintf(f, "%ld", evaluation);
    for (int i = 0; i < nx; i++)
        trace_number(f, x[i]);
    for (int i = 0; i < nempty; i++)
        fputc(',', f);
    trace_number(f, criterion);
    fputc('\n', f);
}
void lmm_free(lmm_result *r)
{
    if (r == NULL)
        return;
    free(r->formula);
    for (int j = 0; r->coef_names && j < r->p; j++)
        free(r->coef_names[j]);
    free(r->coef_names);
    free(r->aliased);
    free(r->beta); free(r->se); free(r->statistic); free(r->conf_low); free(r->conf_high);
    free(r->df); free(r->p_value);
    free(r->vcov);
    re_free(&r->re);
    free(r->resid);
    ci_table_free(r->confint);
    ci_boot_free(r->boot);
    free(r->weights);
    free(r);
}
int lmm_boot_summary(st_error *e, const double *t, const signed char *state, long long B,
                     int np, const double *est, ci_table *names, const lmm_boot_spec *spec,
                     ci_boot **out)
{
    double *col = st_alloc(e, (size_t)B, sizeof *col);
    if (col == NULL || ci_boot_new(e, np, out) != ST_OK) {
        free(col);
        return e->status;
    }
    ci_boot *o = *out;
    o->replicates = B;
    o->seed = spec->seed;
    o->level = spec->level;
    for (long long b = 0; b < B; b++) {
        o->failed += state[b] == 2;
        o->singular += state[b] == 1;
    }
    double lo = (1 - spec->level) / 2, hi = (1 + spec->level) / 2;
    for (int j = 0; j < np; j++) {
        long long mm = 0;
        for (long long b = 0; b < B; b++)
            if (state[b] != 2 && isfinite(t[(size_t)b * np + j]))
                col[mm++] = t[(size_t)b * np + j];
        qsort(col, (size_t)mm, sizeof *col, st_cmp_double);
        o->names[j] = names->names[j];
        names->names[j] = NULL;
        o->estimate[j] = est[j];
        o->percentile[2 * j] = pb_quantile(col, mm, lo);
        o->percentile[2 * j + 1] = pb_quantile(col, mm, hi);
        o->basic[2 * j] = 2 * est[j] - o->percentile[2 * j + 1];
        o->basic[2 * j + 1] = 2 * est[j] - o->percentile[2 * j];
    }
    free(col);
    return ST_OK;
}
int lmm_bootstrap(st_error *e, const frm_model *m, const lmm_result *r,
                  const lmm_boot_spec *spec, ci_boot **out)
{
    long long B = spec->replicates;
    int n = r->n, p = r->rank;
    double *X = NULL, *fixed = NULL;
    pb_shared s = { r, NULL, NULL, n, re_varpar_count(&r->re, 1), 0, spec, NULL, NULL, 0 };
    ci_table *names = NULL;
    *out = NULL;
    s.np = s.nv + p;
    X = st_alloc(e, (size_t)n * (p > 0 ? p : 1), sizeof *X);
    fixed = st_alloc(e, (size_t)(n > s.np ? n : s.np), sizeof *fixed);
    s.t = st_alloc_large(e, (size_t)B * s.np, sizeof *s.t);
    s.state = st_alloc(e, (size_t)B, 1);
    if (X == NULL || fixed == NULL || s.t == NULL || s.state == NULL)
        goto fail;
    for (int j = 0, c = 0; j < m->p; j++)
        if (!r->aliased[j]) {
            memcpy(X + (size_t)c * n, m->X + (size_t)j * n, (size_t)n * sizeof *X);
            for (int i = 0; i < n; i++)
                fixed[i] += X[i + (size_t)c * n] * r->beta[j];
            c++;
        }
    s.X = X;
    s.fixed = fixed;
    atomic_init(&s.done, 0);
    if (run_threads(e, spec->threads, B, pb_thread, &s, "bootstrap") != ST_OK)
        goto fail;
    if (re_confint_table(e, &r->re, 1, r->p, r->coef_names, r->aliased, "boot", spec->level,
                         &names) != ST_OK)
        goto fail;
    re_varpar_at(&r->re, r->re.theta, r->sigma, 1, fixed);   /* the estimates */
    for (int j = 0, c = s.nv; j < r->p; j++)
        if (!r->aliased[j])
            fixed[c++] = r->beta[j];
    if (lmm_boot_summary(e, s.t, s.state, B, s.np, fixed, names, spec, out) != ST_OK)
        goto fail;
    ci_table_free(names);
    free(X); free(fixed); free(s.t); free(s.state);
    return ST_OK;
fail:
    ci_table_free(names);
    ci_boot_free(*out);
    *out = NULL;
    free(X); free(fixed); free(s.t); free(s.state);
    return e->status;
}
double lmm_profile_zeta(lmm_profile *pr, int w, double x)
{
    assert(pr != NULL);
    if (w < 0 || w >= pr->np || !isfinite(x))
        return NAN;
    if (w != pr->last_w || fabs(x - pr->est[w]) < fabs(x - pr->last_x))
        pf_reset(pr, w);
    pr->last_x = x;
    double d = pf_optimize(pr, w, x) - pr->base;
    if (isnan(d))
        return NAN;
    return (x < pr->est[w] ? -1.0 : 1.0) * sqrt(d > 0 ? d : 0.0);
}

int lmm_profile_npar(const lmm_profile *pr)
{
    assert(pr != NULL);
    return pr->np;
}

double lmm_profile_estimate(const lmm_profile *pr, int w)
{
    assert(pr != NULL);
    return w >= 0 && w < pr->np ? pr->est[w] : NAN;
}

long lmm_profile_evaluations(const lmm_profile *pr)
{
    assert(pr != NULL);
    return pr->evaluations;
}
double lmm_zeta_end(lmm_zeta_fn zeta, void *ctx, int w, double est, double bound,
                    double t, double first, double scale)
{
    zeta_bracket s = { .d = t < 0 ? -1.0 : 1.0, .a = est, .za = 0.0, .b = NAN, .zb = NAN,
                       .x = first, .xprev = est, .zprev = 0.0, .side = 0 };
    if (!isfinite(est))
        return NAN;
    if (est == bound)
        return bound;
    if (isnan(first) && zeta_probe(&s, zeta, ctx, w, est, t, scale) != 0)
        return NAN;
    for (int it = 0; it < lmm_ctl.zeta_maxstep; it++) {
        if (s.d * (s.x - bound) > 0)
            s.x = bound;
        double z = zeta(ctx, w, s.x);
        if (isnan(z))
            return NAN;
        if (fabs(z - t) < lmm_ctl.zeta_tol)
            return s.x;
        if (s.d * (z - t) < 0 && s.x == bound)
            return bound;
        if (zeta_update(&s, est, t, z))
            continue;
        if (fabs(s.b - s.a) <= 1e-12 * (fabs(s.a) + fabs(s.b)))
            return s.x;
    }
    return s.x;
}
void lmm_profile_interval(lmm_profile *pr, int w, double level, double *low, double *high)
{
    assert(pr != NULL);
    assert(low != NULL);
    assert(high != NULL);
    double z = qnorm(0.5 + 0.5 * level, 0.0, 1.0, 1, 0);
    *low = pf_end(pr, w, -z);
    *high = pf_end(pr, w, z);
}
int lmm_profile_new(st_error *e, const frm_model *m, const lmm_result *r,
                    lmm_profile **out)
{
    lmm_profile *pr = st_alloc(e, 1, sizeof *pr);
    *out = NULL;
    if (pr == NULL)
        return e->status;
    pr->r = pr->f = r;
    pr->last_w = -1;
    if (r->reml) {
        lmm_options o = { .reml = 0, .level = r->level };
        if (lmm_fit_control(e, m, &o, &r->control, &pr->ml) != ST_OK)
            goto fail;
        pr->f = pr->ml;
    }
    const lmm_result *f = pr->f;
    pr->n = f->n;
    pr->p = f->rank;
    pr->ntheta = f->re.ntheta;
    pr->nv = f->re.ntheta + 1;
    pr->np = pr->nv + f->rank;
    pr->base = f->criterion;
    if (pf_allocate(e, pr) != ST_OK || pf_system(e, m, pr) != ST_OK)
        goto fail;
    pf_estimates(pr);
    *out = pr;
    return ST_OK;
fail:
    lmm_profile_free(pr);
    return e->status;
}

void lmm_profile_free(lmm_profile *pr)
{
    if (pr == NULL)
        return;
    lmm_free(pr->ml);
    blk_free(pr->sys);
    free(pr->X); free(pr->est); free(pr->lo); free(pr->hi); free(pr->start);
    free(pr->full); free(pr->theta); free(pr->work); free(pr->rxt); free(pr->sv);
    free(pr->blo); free(pr->bhi); free(pr->bstep);
    free(pr);
}
int lmm_confint_profile(st_error *e, const frm_model *m, const lmm_result *r, double level,
                        const char *progress, ci_table **out)
{
    lmm_profile *pr = NULL;
    struct timespec t0, t1;
    int shown = 0;
    *out = NULL;
    if (lmm_profile_new(e, m, r, &pr) != ST_OK)
        return e->status;
    if (re_confint_table(e, &r->re, 1, r->p, r->coef_names, r->aliased, "profile", level,
                         out) != ST_OK) {
        lmm_profile_free(pr);
        return e->status;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int w = 0; w < pr->np; w++) {
        lmm_profile_interval(pr, w, level, &(*out)->low[w], &(*out)->high[w]);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (progress != NULL && (shown || (double)(t1.tv_sec - t0.tv_sec) > 2.0)) {
            ci_progress(stderr, progress, "profile", w + 1, pr->np);
            shown = 1;
        }
    }
    lmm_profile_free(pr);
    return ST_OK;
}
int lmm_boot_lrt(st_error *e, const frm_model *m0, const lmm_result *r0,
                 const frm_model *m1, double observed, const lmm_boot_spec *spec,
                 lmm_lrt_boot *out)
{
    assert(e != NULL);
    assert(m0 != NULL);
    assert(r0 != NULL);
    assert(m1 != NULL);
    assert(spec != NULL);
    assert(out != NULL);
    long long B = spec->replicates;
    int n = m0->n, status = ST_OK;
    *out = (lmm_lrt_boot){ B, 0, 0, spec->seed, observed, NAN, NULL };
    lr_shared s = { m0, m1, r0, NULL, spec, NULL, 0 };
    double *fixed = st_alloc(e, (size_t)n, sizeof *fixed);
    out->lrt = s.lrt = st_alloc_large(e, (size_t)B, sizeof *s.lrt);
    if (fixed == NULL || s.lrt == NULL)
        status = e->status;
    for (int j = 0; status == ST_OK && j < m0->p; j++)
        if (!r0->aliased[j])
            for (int i = 0; i < n; i++)
                fixed[i] += m0->X[i + (size_t)j * n] * r0->beta[j];
    s.fixed = fixed;
    atomic_init(&s.done, 0);
    if (status == ST_OK)
        status = run_threads(e, spec->threads, B, lr_thread, &s, "bootstrap");
    if (status == ST_OK)
        lmm_lrt_boot_tally(out);
    else
        lmm_lrt_boot_free(out);
    free(fixed);
    return status;
}

void lmm_lrt_boot_tally(lmm_lrt_boot *b)
{
    assert(b != NULL && b->lrt != NULL);
    for (long long k = 0; k < b->replicates; k++) {
        b->failed += isnan(b->lrt[k]);
        b->exceed += b->lrt[k] >= b->observed;
    }
    b->p_value = (double)(b->exceed + 1) / (double)(b->replicates - b->failed + 1);
}

void lmm_lrt_boot_free(lmm_lrt_boot *b)
{
    assert(b != NULL);
    free(b->lrt);
    b->lrt = NULL;
}
int lmm_print(FILE *out, const lmm_result *r, const char *data_name)
{
    assert(out != NULL);
    assert(r != NULL);
    if (!r->satterthwaite)
        fprintf(out, "Linear mixed model fit by %s ['lmerMod']\n",
                r->reml ? "REML" : "maximum likelihood ");
    else if (r->reml)
        fprintf(out, "Linear mixed model fit by REML. t-tests use Satterthwaite's method [\n"
                "lmerModLmerTest]\n");
    else
        fprintf(out, "Linear mixed model fit by maximum likelihood . t-tests use "
                "Satterthwaite's\n  method [lmerModLmerTest]\n");
    char *formula = rf_deparse_formula(r->formula);
    if (formula == NULL)
        return -1;
    fprintf(out, "Formula: %s\n   Data: %s\n", formula, data_name);
    if (r->weights_name != NULL)                   /* lme4's line for lmer(weights = w) */
        fprintf(out, "Weights: %s\n", r->weights_name);
    fputc('\n', out);
    free(formula);
    lmm_print_criterion(out, r);
    if (lmm_print_scaled_residuals(out, r) != 0 || re_print_varcorr(out, &r->re, r->sigma, 1) != 0)
        return -1;
    re_print_groups(out, &r->re);
    {
        ct_table coefs = lmm_coeftab(r);
        if (lmm_print_fixef_table(out, &coefs, r->vcov, r->rank) != 0)
            return -1;
    }
    if (!r->converged || r->singular) {
        if (r->converged)
            fprintf(out, "optimizer (nloptwrap) convergence code: 0 (OK)\n");
        else if (r->unbounded)
            fprintf(out, "no optimum: the criterion decreases without bound (the random effects "
                    "fit the response exactly)\n");
        else
            fprintf(out, "optimizer (nloptwrap) convergence code: %d (%s)\n", r->nlopt_status,
                    nlopt_result_to_string((nlopt_result)r->nlopt_status));
        if (r->singular)
            fprintf(out, "boundary (singular) fit: see help('isSingular')\n");
        fputc('\n', out);
    }
    return 0;
}
void lmm_print_criterion(FILE *out, const lmm_result *r)
{
    assert(out != NULL);
    assert(r != NULL);
    if (r->reml) {
        rf_text t;
        double c = fround(r->criterion, 1);
        rf_format_ext(&t, &c, 1, 7, 0, 1);
        fprintf(out, "REML criterion at convergence: %s\n\n", t.s);
    } else
        lmm_print_aictab(out, r->aic, r->bic, r->loglik, r->criterion, r->n - r->npar);
}

int lmm_print_scaled_residuals(FILE *out, const lmm_result *r)
{
    assert(out != NULL);
    assert(r != NULL);
    if (r->weights == NULL)
        return lmm_print_residual_quartiles(out, r->resid, r->n, r->sigma);
    double *pr = malloc((size_t)r->n * sizeof *pr + 1);
    if (pr == NULL)
        return -1;
    for (int i = 0; i < r->n; i++)      /* Pearson: sqrt(w_i) e_i (eq:lmm-weights) */
        pr[i] = sqrt(r->weights[i]) * r->resid[i];
    int status = lmm_print_residual_quartiles(out, pr, r->n, r->sigma);
    free(pr);
    return status;
}
void lmm_print_aictab(FILE *out, double aic, double bic, double loglik, double deviance,
                      int df_resid)
{
    static const char *const names[] = { "AIC", "BIC", "logLik", "deviance", "df.resid" };
    double v[5] = { fround(aic, 1), fround(bic, 1), fround(loglik, 1),
                    fround(deviance, 1), (double)df_resid };
    rf_text t[5];
    rf_format(t, v, 5, 7);
    rf_format(t + 4, v + 4, 1, 7);
    int w = 0;
    for (int i = 0; i < 5; i++) {
        if (rf_width(t[i].s) > w) w = rf_width(t[i].s);
        if (rf_width(names[i]) > w) w = rf_width(names[i]);
    }
    for (int i = 0; i < 5; i++)
        fprintf(out, "%*s ", w, names[i]);
    fputc('\n', out);
    for (int i = 0; i < 5; i++)
        fprintf(out, "%*s ", w, t[i].s);
    fprintf(out, "\n\n");
}
int lmm_print_residual_quartiles(FILE *out, const double *resid, int n, double sigma)
{
    static const char *const names[] = { "Min", "1Q", "Median", "3Q", "Max" };
    double q[5];
    if (st_quartiles(resid, n, 1.0 / sigma, q) != 0)
        return -1;
    rf_zapsmall(q, 5, 5);
    fprintf(out, "Scaled residuals: \n");
    rf_print_named(out, q, names, 5, 4);
    fputc('\n', out);
    return 0;
}
int lmm_print_fixef_table(FILE *out, const ct_table *coefs, const double *vcov, int rank)
{
    assert(out != NULL && coefs != NULL);
    const char **names = malloc((size_t)(coefs->p > 0 ? coefs->p : 1) * sizeof *names);
    if (names == NULL || ct_print_fixed_effects(out, coefs, 4) != 0) {
        free(names);
        return -1;
    }
    int k = ct_estimated_names(coefs, names), status = 0;
    if (k > 1 && k <= 12)
        status = lmm_print_fixef_correlation(out, vcov, rank, names);
    free(names);
    if (status == 0 && rank < coefs->p) {
        int d = coefs->p - rank;
        fprintf(out, "fit warnings:\nfixed-effect model matrix is rank deficient so dropping "
                "%d column%s / coefficient%s\n", d, d > 1 ? "s" : "", d > 1 ? "s" : "");
    }
    return status;
}
ct_table lmm_coeftab(const lmm_result *r)
{
    int s = r->satterthwaite;
    return (ct_table){ .p = r->p, .names = (const char *const *)r->coef_names,
                       .aliased = r->aliased, .estimate = r->beta, .std_error = r->se,
                       .statistic = r->statistic, .dist = CT_T, .df = s ? r->df : NULL,
                       .df_common = NAN, .p_value = s ? r->p_value : NULL,
                       .conf_low = r->conf_low, .conf_high = r->conf_high,
                       .level = r->level, .interval = "wald" };
}
void lmm_write_json(FILE *out, const lmm_result *r)
{
    js_writer w;
    js_init(&w, out);
    js_object_begin(&w, 0);
    js_key_string(&w, "model", "lmm");
    js_key_string(&w, "formula", r->formula);
    js_key_bool(&w, "reml", r->reml);
    js_key_integer(&w, "n_obs", r->n);
    js_key_integer(&w, "n_dropped", r->n_dropped);
    {
        ct_table coefs = lmm_coeftab(r);
        ct_json(&w, &coefs);
    }
    js_key_integer(&w, "rank", r->rank);
    js_key_number(&w, "sigma", r->sigma);
    js_key_number(&w, r->reml ? "reml_criterion" : "deviance", r->criterion);
    js_key_number(&w, "log_lik", r->loglik);
    js_key_number(&w, "aic", r->aic);
    js_key_number(&w, "bic", r->bic);
    re_json_theta(&w, &r->re);
    re_json_varcorr(&w, &r->re, r->sigma);
    js_key_bool(&w, "singular", r->singular);
    js_key_bool(&w, "converged", r->converged);
    js_key(&w, "optimizer");
    js_object_begin(&w, 1);
    js_key_string(&w, "name", "NLopt LN_BOBYQA");
    js_key_integer(&w, "status", r->nlopt_status);
    js_key_integer(&w, "evaluations", r->evaluations);
    js_object_end(&w);
    re_json_ranef(&w, &r->re);
    if (r->compare != NULL)
        nest_json(&w, r->compare);
    if (r->confint != NULL)
        ci_json(&w, r->confint);
    if (r->boot != NULL)
        ci_boot_json(&w, r->boot);
    js_object_end(&w);
}
int lmm_confint_wald(st_error *e, const lmm_result *r, ci_table **out)
{
    assert(e != NULL);
    assert(r != NULL);
    assert(out != NULL);
    if (re_confint_table(e, &r->re, 1, r->p, r->coef_names, r->aliased, "wald", r->level,
                         out) != ST_OK)
        return e->status;
    int i = re_varpar_count(&r->re, 1);
    for (int j = 0; j < r->p; j++)
        if (!r->aliased[j]) {
            (*out)->low[i] = r->conf_low[j];
            (*out)->high[i++] = r->conf_high[j];
        }
    return ST_OK;
}
int lmm_check_finite(st_error *e, const frm_model *m, const df_frame *df)
{
    assert(e != NULL);
    assert(m != NULL);
    assert(df != NULL);
    for (int i = 0; i < m->n; i++) {
        const char *what = NULL;
        double v = 0;
        if (!isfinite(m->y[i])) {
            what = m->response;
            v = m->y[i];
        }
        for (int j = 0; what == NULL && j < m->p; j++)
            if (!isfinite(m->X[i + (size_t)j * m->n])) {
                what = m->colnames[j];
                v = m->X[i + (size_t)j * m->n];
            }
        for (int k = 0; what == NULL && k < m->nre; k++)
            for (int j = 0; what == NULL && j < m->re[k].q; j++)
                if (!isfinite(m->re[k].Z[i + (size_t)j * m->n])) {
                    what = m->re[k].colnames[j];
                    v = m->re[k].Z[i + (size_t)j * m->n];
                }
        if (what != NULL)
            return st_fail(e, ST_EINPUT, "%s:%ld: %s is %s: a linear mixed model needs "
                           "finite values", df->source, df->line[m->row[i]], what,
                           isnan(v) ? "NaN" : v > 0 ? "Inf" : "-Inf");
    }
    return ST_OK;
}
