#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lapacke.h>
#include <nlopt.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "glmm.h"
#include "blocked.h"
#include "nested.h"
#include "json.h"
#include "ols.h"
#include "rformat.h"
#include "rng.h"
#include "runner.h"

typedef struct glmm_work {
    int n, p, K, nq, ntheta;
    const double *X;            /* n x p: the estimated columns of X */
    const double *y, *m;        /* proportions and trials (counts and 1 for Poisson) */
    const double *offset;       /* n, or NULL: the formula's offset (eq:glmm-offset) */
    glm_family fam;             /* the family and link (Section sec:glm-families) */
    const lmm_term *term;       /* the K terms, lme4's order */
    const re_terms *re;         /* the record's terms, for their layout (re_lambda_u) */
    blk_system *sx, *s0;        /* with X (beta in PIRLS) and without (beta fixed) */
    double sat;                 /* sum of c_i (eq:glm-saturated) */
    double *u, *b, *beta;       /* current modes and coefficients (warm start) */
    double *eta, *mu, *off;     /* n each: linear predictor, probability, X beta */
    double *w, *z;              /* n each: PIRLS weights and working response */
    double *u1, *b1, *beta1;    /* the step being tried */
    double *dsum;               /* per-level sums for quadrature, nq */
    double *base;               /* per-level -2 log f at the mode, nq */
    double *mult;               /* per-level quadrature sums, nq */
    int nagq;
    double ghz[GLMM_MAX_NAGQ], ghw[GLMM_MAX_NAGQ];
    int fails;                  /* PIRLS failures */
    long evals;
    FILE *trace;                /* NULL, or the trace: stages 1 and 2, not the Hessian */
    long traced;                /* rows written to it */
    glmm_control ctl;           /* the tolerances and limits (Section sec:glmm-control) */
} glmm_work;
glmm_control glmm_control_default(void)
{
    return (glmm_control){
        .pirls_maxit = 60, .pirls_tol = 1e-7, .pirls_tol_scoring = 1e-11,
        .pirls_safe = 1e-3, .pirls_halvings = 10, .halving_rel = 1e-14, .halving_abs = 1e-12,
        .stage1 = { .ftol_abs = 1e-6, .xtol_abs = 1e-5, .maxeval = 1000 },
        .stage1_step = 0.2, .stage1_step_offdiag = 0.1,
        .stage2 = { .ftol_abs = 1e-10, .xtol_rel = 1e-9, .maxeval = 2000 },
        .stage2_step_theta = 0.02, .stage2_step_se = 0.2, .stage2_se_max = 10.0,
        .stage2_step_beta = 0.1,
        .hessian_delta = 1e-4,               /* lme4's deriv12 */
        .rank_tol = 1e-7,                    /* lme4's chkRank.drop.cols */
        .boundary_tol = 1e-5,                /* glmerControl(boundary.tol) */
        .singular_tol = 1e-4,                /* lme4's isSingular */
        .separation_tol = 10 * DBL_EPSILON,  /* glm.fit's */
        .scale_ratio = 1e3,                  /* lme4's checkScaleX */
        .profile_step_rel = 0.01, .profile_step_range = 0.25, .profile_step_se = 0.1
    };
}

static opt_control per_parameter(opt_control c, int n)
{
    c.maxeval *= n;
    return c;
}
static int work_alloc(st_error *e, glmm_work *w)
{
    int n = w->n, nq = w->nq, p = w->p;
    double **v[] = { &w->eta, &w->mu, &w->off, &w->w, &w->z };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if ((*v[k] = st_alloc(e, (size_t)n + 1, sizeof(double))) == NULL)
            return e->status;
    double **q[] = { &w->u, &w->b, &w->u1, &w->b1, &w->dsum, &w->base, &w->mult };
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++)
        if ((*q[k] = st_alloc(e, (size_t)nq + 1, sizeof(double))) == NULL)
            return e->status;
    if ((w->beta = st_alloc(e, (size_t)p + 1, sizeof(double))) == NULL
        || (w->beta1 = st_alloc(e, (size_t)p + 1, sizeof(double))) == NULL)
        return e->status;
    return ST_OK;
}

static void work_free(glmm_work *w)
{
    blk_free(w->sx);
    blk_free(w->s0);
    free(w->eta); free(w->mu); free(w->off); free(w->w); free(w->z);
    free(w->u); free(w->b); free(w->u1); free(w->b1); free(w->dsum); free(w->base);
    free(w->mult); free(w->beta); free(w->beta1);
}
typedef struct ksum { double s, c; } ksum;

static void ksum_add(ksum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static double ksum_value(const ksum *k)
{
    return k->s + k->c;
}
static void set_b(const glmm_work *w, const double *theta, const double *u, double *b)
{
    re_lambda_u(w->re, theta, 1.0, u, b);
}

static void set_offset(glmm_work *w, const double *beta)
{
    int n = w->n;
    for (int i = 0; i < n; i++)
        w->off[i] = w->offset ? w->offset[i] : 0.0;    /* (eq:glmm-offset) */
    for (int j = 0; j < w->p; j++) {
        const double *x = w->X + (size_t)j * n;
        double bj = beta[j];
        for (int i = 0; i < n; i++)
            w->off[i] += x[i] * bj;
    }
}

static void set_eta(glmm_work *w, const double *b)
{
    int n = w->n;
    for (int i = 0; i < n; i++)
        w->eta[i] = w->off[i];
    for (int k = 0; k < w->K; k++) {
        const lmm_term *t = &w->term[k];
        int q = t->q;
        const double *bk = b + t->re0;
        for (int c = 0; c < q; c++) {
            const double *zc = t->Z + (size_t)c * n;
            for (int i = 0; i < n; i++)
                w->eta[i] += zc[i] * bk[(size_t)t->g[i] * q + c];
        }
    }
    for (int i = 0; i < n; i++)
        w->mu[i] = glm_fam_linkinv(w->fam, w->eta[i]);
}

static double penalized_deviance(const glmm_work *w, const double *u)
{
    ksum dev = { 0, 0 };
    for (int i = 0; i < w->n; i++)
        ksum_add(&dev, glm_fam_dev_resid(w->fam, w->y[i], w->mu[i], w->m[i]));
    for (int j = 0; j < w->nq; j++)
        ksum_add(&dev, u[j] * u[j]);
    return ksum_value(&dev);
}
static int pirls_step(glmm_work *w, const double *theta, int joint)
{
    int n = w->n;
    int logit = w->fam.family == GLM_BINOMIAL && w->fam.link == GLM_LOGIT;
    for (int i = 0; i < n; i++) {      /* (eq:glmm-family-pwls) */
        double var = glm_fam_variance(w->fam, w->mu[i]);
        double d = logit && fabs(w->eta[i]) <= 30 ? var : glm_fam_mu_eta(w->fam, w->eta[i]);
        w->w[i] = w->m[i] * d * d / var;
        double known = joint ? (w->offset ? w->offset[i] : 0.0) : w->off[i];
        w->z[i] = w->eta[i] - known + (w->y[i] - w->mu[i]) / d;
    }
    st_error e;
    blk_system *s = joint ? w->sx : w->s0;
    if (blk_crossprod(&e, s, joint ? w->X : NULL, w->z, w->w) != ST_OK)
        return -1;
    int f = blk_factor(s, theta);
    if (f != 0 && !(f == w->K + 1 && !joint))
        return -1;
    if (joint)
        blk_beta(s, w->beta1);
    blk_modes(s, w->beta1, w->u1, w->b1);
    return 0;
}
static double pirls(glmm_work *w, const double *theta, int joint)
{
    int nq = w->nq, p = w->p, converged = 0;
    int canonical = w->fam.link == (w->fam.family == GLM_POISSON ? GLM_LOG : GLM_LOGIT);
    if (joint)
        set_offset(w, w->beta);
    set_b(w, theta, w->u, w->b);
    set_eta(w, w->b);
    double pdev = NAN;
    for (int it = 0; it < w->ctl.pirls_maxit; it++) {
        if (pirls_step(w, theta, joint) != 0)
            return HUGE_VAL;
        double change = 0;
        for (int j = 0; j < nq; j++)
            change = fmax(change, fabs(w->u1[j] - w->u[j]));
        for (int j = 0; joint && j < p; j++)
            change = fmax(change, fabs(w->beta1[j] - w->beta[j]) / (1.0 + fabs(w->beta[j])));
        if (change > w->ctl.pirls_safe && isnan(pdev))
            pdev = penalized_deviance(w, w->u);
        if (joint)
            set_offset(w, w->beta1);
        set_eta(w, w->b1);
        double pdev1 = NAN;
        if (change > w->ctl.pirls_safe)
            {
                pdev1 = penalized_deviance(w, w->u1);
                const glmm_control *c = &w->ctl;
                for (int h = 0; h < c->pirls_halvings
                                && !(pdev1 <= pdev * (1 + c->halving_rel) + c->halving_abs); h++) {
                    for (int j = 0; j < nq; j++)
                        w->u1[j] = 0.5 * (w->u1[j] + w->u[j]);
                    for (int j = 0; joint && j < p; j++)
                        w->beta1[j] = 0.5 * (w->beta1[j] + w->beta[j]);
                    set_b(w, theta, w->u1, w->b1);
                    if (joint)
                        set_offset(w, w->beta1);
                    set_eta(w, w->b1);
                    pdev1 = penalized_deviance(w, w->u1);
                }
            }
        memcpy(w->u, w->u1, (size_t)nq * sizeof *w->u);
        memcpy(w->b, w->b1, (size_t)nq * sizeof *w->b);
        if (joint)
            memcpy(w->beta, w->beta1, (size_t)p * sizeof *w->beta);
        pdev = pdev1;
        if (converged)
            return isnan(pdev) ? penalized_deviance(w, w->u) : pdev;
        converged = change < (canonical ? w->ctl.pirls_tol : w->ctl.pirls_tol_scoring);
    }
    w->fails++;
    return isnan(pdev) ? penalized_deviance(w, w->u) : pdev;
}
static double laplace(glmm_work *w, const double *theta, int joint)
{
    double pdev = pirls(w, theta, joint);
    if (!isfinite(pdev))
        return HUGE_VAL;
    return pdev + w->sat + blk_logdet(joint ? w->sx : w->s0);
}
static double agq(glmm_work *w, const double *theta)
{
    double pdev = pirls(w, theta, 0);
    if (!isfinite(pdev))
        return HUGE_VAL;
    const lmm_term *t = &w->term[0];
    int n = w->n, nl = t->nlevels;
    double th = theta[0];
    for (int l = 0; l < nl; l++) {
        w->dsum[l] = 0;
        w->base[l] = w->u[l] * w->u[l];
        w->mult[l] = 0;
    }
    for (int i = 0; i < n; i++) {
        int l = t->g[i];
        w->dsum[l] += w->w[i] * t->Z[i] * t->Z[i];
        w->base[l] += glm_fam_dev_resid(w->fam, w->y[i], w->mu[i], w->m[i]);
    }
    ksum dev = { w->sat, 0 };
    for (int l = 0; l < nl; l++) {
        double L2 = 1.0 + th * th * w->dsum[l];
        w->dsum[l] = 1.0 / sqrt(L2);
        ksum_add(&dev, w->base[l] + log(L2));
    }
    for (int k = 0; k < w->nagq; k++) {
        double zk = w->ghz[k];
        for (int l = 0; l < nl; l++) {
            w->b1[l] = w->u[l] + zk * w->dsum[l];
            w->u1[l] = w->b1[l] * w->b1[l];
        }
        for (int i = 0; i < n; i++) {
            int l = t->g[i];
            double mu = glm_fam_linkinv(w->fam, w->off[i] + t->Z[i] * th * w->b1[l]);
            w->u1[l] += glm_fam_dev_resid(w->fam, w->y[i], mu, w->m[i]);
        }
        for (int l = 0; l < nl; l++)
            w->mult[l] += w->ghw[k] * exp(-0.5 * (w->u1[l] - w->base[l]) + 0.5 * zk * zk);
    }
    for (int l = 0; l < nl; l++)
        ksum_add(&dev, -2 * log(w->mult[l]));
    return ksum_value(&dev);
}
static double stage1_objective(void *data, const double *x)
{
    glmm_work *w = data;
    w->evals++;
    double f = laplace(w, x, 1);
    if (w->trace)
        lmm_trace_row(w->trace, ++w->traced, x, w->ntheta, w->p, f);
    return f;
}

static double deviance_at(glmm_work *w, const double *x)
{
    w->evals++;
    set_offset(w, x + w->ntheta);
    double f = w->nagq > 1 ? agq(w, x) : laplace(w, x, 0);
    if (w->trace)
        lmm_trace_row(w->trace, ++w->traced, x, w->ntheta + w->p, 0, f);
    return f;
}

static double stage2_objective(void *data, const double *x)
{
    return deviance_at(data, x);
}
static int make_terms(st_error *e, const frm_model *m, glmm_result *r)
{
    return re_make_terms(e, m, 1, &r->re);
}
static int check_nagq(st_error *e, int nagq, const re_terms *re)
{
    if (nagq > 1 && (re->nterms != 1 || re->term[0].q != 1)) {
        if (re->nterms != 1)
            st_fail(e, ST_EINPUT, "nagq %d: adaptive Gauss-Hermite quadrature needs a single "
                    "scalar random-effects term such as (1 | g), and the formula has %d terms",
                    nagq, re->nterms);
        else
            st_fail(e, ST_EINPUT, "nagq %d: adaptive Gauss-Hermite quadrature needs a single "
                    "scalar random-effects term such as (1 | g), and the term for \"%s\" has "
                    "%d columns", nagq, re->term[0].group, re->term[0].q);
        return e->status;
    }
    return ST_OK;
}
static int find_aliased(st_error *e, const frm_model *m, const glmm_control *ctl,
                        glmm_result *r, double **Xout)
{
    int n = m->n, p = m->p;
    r->p = p;
    r->coef_names = st_alloc(e, (size_t)p + 1, sizeof *r->coef_names);
    r->aliased = st_alloc(e, (size_t)p + 1, sizeof *r->aliased);
    double **v[] = { &r->beta, &r->se, &r->statistic, &r->p_value, &r->conf_low, &r->conf_high };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if ((*v[k] = st_alloc(e, (size_t)p + 1, sizeof(double))) != NULL)
            for (int j = 0; j < p; j++)
                (*v[k])[j] = NAN;
    if (!r->coef_names || !r->aliased || !r->beta || !r->se || !r->statistic || !r->p_value
        || !r->conf_low || !r->conf_high)
        return e->status;
    for (int j = 0; j < p; j++)
        if ((r->coef_names[j] = st_strdup(e, m->colnames[j])) == NULL)
            return e->status;
    ols_workspace *ws = NULL;
    if (ols_workspace_new(e, n, p, NULL, &ws) != ST_OK)
        return e->status;
    ws->tol = ctl->rank_tol;
    if (ols_decompose(e, ws, m->X, n) != ST_OK) {
        ols_workspace_free(ws);
        return e->status;
    }
    r->rank = ws->rank;
    for (int j = 0; j < p; j++)
        r->aliased[ws->pivot[j]] = j >= ws->rank;
    ols_workspace_free(ws);
    double *X = st_alloc(e, (size_t)n * r->rank + 1, sizeof *X);
    if (X == NULL)
        return e->status;
    for (int j = 0, c = 0; j < p; j++)
        if (!r->aliased[j])
            memcpy(X + (size_t)(c++) * n, m->X + (size_t)j * n, (size_t)n * sizeof *X);
    *Xout = X;
    return ST_OK;
}
static int state_setup(st_error *e, const frm_model *m, const glm_response *resp, int nagq,
                       glmm_result *r, const double *X, glmm_work *W)
{
    int n = m->n, K = r->re.nterms;
    W->n = n;
    W->p = r->rank;
    W->K = K;
    W->X = X;
    W->y = resp->y;
    W->m = resp->m;
    W->offset = m->offset;
    W->fam = resp->fam;
    r->fam = resp->fam;
    W->term = r->re.term;
    W->re = &r->re;
    W->nagq = nagq;
    blk_term *bt = st_alloc(e, (size_t)K, sizeof *bt);
    if (bt == NULL)
        return e->status;
    re_blk_terms(&r->re, bt);
    int status = blk_create(e, n, K, bt, W->p, &W->sx);
    if (status == ST_OK)
        status = blk_create(e, n, K, bt, 0, &W->s0);
    free(bt);
    if (status != ST_OK)
        return e->status;
    W->ntheta = blk_ntheta(W->sx);
    W->nq = blk_nre(W->sx);
    if (work_alloc(e, W) != ST_OK)
        return e->status;
    for (int i = 0; i < n; i++)
        W->sat += -2.0 * glm_response_log_density(resp, i, W->y[i]);   /* (eq:glm-weights) */
    if (W->nagq > 1 && glmm_gauss_hermite(e, W->nagq, W->ghz, W->ghw) != ST_OK)
        return e->status;
    return ST_OK;
}
static int re_vectors(st_error *e, const glmm_work *W, re_terms *re)
{
    if (re_layout(e, re) != ST_OK)
        return e->status;
    assert(re->ntheta == W->ntheta && re->nre == W->nq);
    return ST_OK;
}
static int parameters_alloc(st_error *e, const glmm_work *W, const re_terms *re,
                            double **x, double **lower, double **step, double **H)
{
    int np = W->ntheta + W->p;
    *x = st_alloc(e, (size_t)np + 1, sizeof **x);
    *lower = st_alloc(e, (size_t)np + 1, sizeof **lower);
    *step = st_alloc(e, (size_t)np + 1, sizeof **step);
    *H = st_alloc(e, (size_t)np * np + 1, sizeof **H);
    if (!*x || !*lower || !*step || !*H)
        return e->status;
    memcpy(*x, re->theta, (size_t)W->ntheta * sizeof **x);
    memcpy(*lower, re->lower, (size_t)W->ntheta * sizeof **x);
    for (int k = W->ntheta; k < np; k++)
        (*lower)[k] = -HUGE_VAL;
    return ST_OK;
}
static int find_one_sided_levels(st_error *e, const frm_model *m, const glm_response *resp,
                                 glmm_result *r)
{
    const re_terms *re = &r->re;
    char *msg = r->warn_levels;
    size_t size = sizeof r->warn_levels;
    double *succ = st_alloc(e, (size_t)m->n + 1, sizeof *succ);
    double *fail = st_alloc(e, (size_t)m->n + 1, sizeof *fail);
    if (succ == NULL || fail == NULL) {
        free(succ); free(fail);
        return e->status;
    }
    for (int gi = 0; gi < re->ngroups && resp->fam.family == GLM_BINOMIAL; gi++) {
        int k = 0;
        while (strcmp(re->term[k].group, re->group_names[gi]) != 0)
            k++;
        const lmm_term *t = &re->term[k];
        for (int l = 0; l < t->nlevels; l++)
            succ[l] = fail[l] = 0;
        for (int i = 0; i < m->n; i++) {
            succ[t->g[i]] += resp->m[i] * resp->y[i];
            fail[t->g[i]] += resp->m[i] * (1 - resp->y[i]);
        }
        int none = 0, all = 0;
        char first[128] = "";
        for (int l = 0; l < t->nlevels; l++)
            if (succ[l] == 0 || fail[l] == 0) {
                if (succ[l] == 0) none++; else all++;
                if (none + all <= 3) {
                    size_t len = strlen(first);
                    snprintf(first + len, sizeof first - len, "%s%s", len ? ", " : "", t->levels[l]);
                }
            }
        if (none + all > 0) {
            size_t len = strlen(msg);
            snprintf(msg + len, size - len, "%s%d of the %d levels of \"%s\" (%s%s) have %s",
                     len ? "; " : "", none + all, t->nlevels, t->group, first,
                     none + all > 3 ? ", ..." : "",
                     all == 0 ? "only failures" : none == 0 ? "only successes"
                              : "only failures or only successes");
            r->nwarn_levels += none + all;
        }
    }
    free(succ); free(fail);
    return ST_OK;
}
static void check_scales(const glmm_work *W, glmm_result *r)
{
    for (int j = 0; j < W->p; j++) {
        const double *xj = W->X + (size_t)j * W->n;
        double s1 = 0, s2 = 0;
        int indicator = 1;
        for (int i = 0; i < W->n; i++) {
            indicator &= xj[i] == 0 || xj[i] == 1;
            s1 += xj[i];
        }
        if (indicator || W->n < 2)
            continue;
        for (int i = 0; i < W->n; i++)
            s2 += (xj[i] - s1 / W->n) * (xj[i] - s1 / W->n);
        double sd = sqrt(s2 / (W->n - 1));
        if (!(sd > 0))
            continue;
        if (r->scale_min == 0 || sd < r->scale_min)
            r->scale_min = sd;
        if (sd > r->scale_max)
            r->scale_max = sd;
    }
    double big = W->ctl.scale_ratio;
    r->bad_scale = r->scale_max > 0
                   && (r->scale_max / r->scale_min > big || r->scale_max > big
                       || r->scale_min < 1 / big);
}
static void start_trace(glmm_work *W, FILE *trace)
{
    W->trace = trace;
    if (W->trace)
        lmm_trace_header(W->trace, W->ntheta, W->p);
}
static int initial_steps(st_error *e, const glmm_work *W, double *step)
{
    int nt = W->ntheta;
    double *rxt = st_alloc(e, (size_t)W->p * W->p + 1, sizeof *rxt);
    if (rxt == NULL)
        return e->status;
    blk_rx(W->sx, rxt);
    for (int k = 0; k < nt; k++)
        step[k] = W->ctl.stage2_step_theta;
    if (W->p > 0 && LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'L', 'N', W->p, rxt, W->p) == 0)
        for (int j = 0; j < W->p; j++) {
            double s = 0;
            for (int i = j; i < W->p; i++)
                s += rxt[i + (size_t)j * W->p] * rxt[i + (size_t)j * W->p];
            step[nt + j] = W->ctl.stage2_step_se * fmin(sqrt(s), W->ctl.stage2_se_max);
        }
    else
        for (int j = 0; j < W->p; j++)
            step[nt + j] = W->ctl.stage2_step_beta;
    free(rxt);
    return ST_OK;
}
static void to_boundary(glmm_work *W, const double *lower, double *x)
{
    double f0 = deviance_at(W, x);
    for (int k = 0; k < W->ntheta; k++)
        if (lower[k] == 0 && x[k] > 0 && x[k] < W->ctl.boundary_tol) {
            double keep = x[k];
            x[k] = 0;
            double f1 = deviance_at(W, x);
            if (f1 < f0)
                f0 = f1;
            else
                x[k] = keep;
        }
}
static int hessian(st_error *e, glmm_work *w, const double *x0, int np, double *H)
{
    double *x = st_alloc(e, (size_t)np, sizeof *x), *fp = st_alloc(e, (size_t)np, sizeof *fp),
           *fm = st_alloc(e, (size_t)np, sizeof *fm);
    if (x == NULL || fp == NULL || fm == NULL) {
        free(x); free(fp); free(fm);
        return e->status;
    }
    double d = w->ctl.hessian_delta, fx = deviance_at(w, x0);
    memcpy(x, x0, (size_t)np * sizeof *x);
    for (int j = 0; j < np; j++) {
        x[j] = x0[j] + d;
        fp[j] = deviance_at(w, x);
        x[j] = x0[j] - d;
        fm[j] = deviance_at(w, x);
        x[j] = x0[j];
        H[j + (size_t)j * np] = (fp[j] - 2 * fx + fm[j]) / (d * d);
    }
    for (int j = 0; j < np; j++)
        for (int i = 0; i < j; i++) {
            x[i] = x0[i] + d;
            x[j] = x0[j] + d;
            double fpp = deviance_at(w, x);
            x[i] = x0[i] - d;
            x[j] = x0[j] - d;
            double fmm = deviance_at(w, x);
            x[i] = x0[i];
            x[j] = x0[j];
            H[i + (size_t)j * np] = H[j + (size_t)i * np] =
                (fpp + fmm - fp[i] - fm[i] - fp[j] - fm[j] + 2 * fx) / (2 * d * d);
        }
    free(x); free(fp); free(fm);
    return ST_OK;
}

static int vcov_from_hessian(st_error *e, const double *H, int np, int nt, double *V)
{
    int p = np - nt;
    double *A = st_alloc(e, (size_t)np * np + 1, sizeof *A);
    if (A == NULL)
        return -1;
    memcpy(A, H, (size_t)np * np * sizeof *A);
    int ok = np > 0 && LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', np, A, np) == 0
             && LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', np, A, np) == 0;
    if (ok)
        for (int j = 0; j < p; j++)
            for (int i = 0; i < p; i++) {
                int a = nt + i, b = nt + j;
                V[i + (size_t)j * p] = 2 * (a <= b ? A[a + (size_t)b * np] : A[b + (size_t)a * np]);
            }
    free(A);
    return ok;
}
static int keep_eta_weights(st_error *e, const glmm_work *W, glmm_result *r)
{
    int n = W->n;
    r->eta = st_alloc(e, (size_t)n + 1, sizeof *r->eta);
    r->weights = st_alloc(e, (size_t)n + 1, sizeof *r->weights);
    if (r->eta == NULL || r->weights == NULL)
        return e->status;
    for (int i = 0; i < n; i++) {      /* (eq:glmm-family-pwls) */
        double d = glm_fam_mu_eta(W->fam, W->eta[i]);
        r->eta[i] = W->eta[i];
        r->weights[i] = W->m[i] * d * d / glm_fam_variance(W->fam, W->mu[i]);
    }
    return ST_OK;
}
static void set_wald(const glmm_work *W, const double *x, glmm_result *r)
{
    int nt = W->ntheta;
    double q = qnorm(1 - (1 - r->level) / 2, 0, 1, 1, 0);
    for (int j = 0, c = 0; j < r->p; j++) {
        if (r->aliased[j])
            continue;
        r->beta[j] = x[nt + c];
        r->se[j] = sqrt(r->vcov[c + (size_t)c * W->p]);
        r->statistic[j] = r->beta[j] / r->se[j];
        r->p_value[j] = 2 * pnorm(-fabs(r->statistic[j]), 0, 1, 1, 0);
        r->conf_low[j] = r->beta[j] - q * r->se[j];
        r->conf_high[j] = r->beta[j] + q * r->se[j];
        c++;
    }
}
static int set_criteria(st_error *e, const glmm_work *W, const double *x, double dev,
                        glmm_result *r)
{
    int nt = W->ntheta, n = W->n;
    r->deviance = dev;
    r->loglik = -dev / 2;
    r->npar = W->p + nt;
    r->df_residual = n - r->npar;
    r->aic = dev + 2 * r->npar;
    r->bic = dev + log((double)n) * r->npar;
    r->mu = st_alloc(e, (size_t)n + 1, sizeof *r->mu);
    r->pearson = st_alloc(e, (size_t)n + 1, sizeof *r->pearson);
    if (r->mu == NULL || r->pearson == NULL)
        return e->status;
    for (int i = 0; i < n; i++) {
        double mu = W->mu[i];
        r->mu[i] = mu;
        r->pearson[i] = (W->y[i] - mu) * sqrt(W->m[i] / glm_fam_variance(W->fam, mu));
        if (mu < W->ctl.separation_tol
            || (W->fam.family == GLM_BINOMIAL && mu > 1 - W->ctl.separation_tol))
            r->separated = 1;
    }
    for (int k = 0; k < nt; k++)
        if (r->re.lower[k] == 0 && x[k] < W->ctl.singular_tol)
            r->singular = 1;
    r->pirls_failures = W->fails;
    r->converged = r->nlopt_status[1] > 0 && r->nlopt_status[1] != NLOPT_MAXEVAL_REACHED
                   && W->fails == 0 && (r->vcov_from_hessian || r->nagq == 0);
    return ST_OK;
}
static void set_modes(const glmm_work *W, const double *x, glmm_result *r)
{
    memcpy(r->re.theta, x, (size_t)W->ntheta * sizeof *x);
    memcpy(r->re.u, W->u, (size_t)W->nq * sizeof *W->u);
    memcpy(r->re.b, W->b, (size_t)W->nq * sizeof *W->b);
}
static int fallback_vcov(st_error *e, glmm_work *W, const double *x, double *V)
{
    int p = W->p, n = W->n;
    double *rxt = st_alloc(e, (size_t)p * p + 1, sizeof *rxt);
    if (rxt == NULL)
        return e->status;
    for (int i = 0; i < n; i++) {
        double d = glm_fam_mu_eta(W->fam, W->eta[i]);
        W->w[i] = W->m[i] * d * d / glm_fam_variance(W->fam, W->mu[i]);
        W->z[i] = 0;
    }
    if (blk_crossprod(e, W->sx, W->X, W->z, W->w) != ST_OK) {
        free(rxt);
        return e->status;
    }
    int f = blk_factor(W->sx, x);      /* the zero response's row may fail: block K + 1 */
    if (f != 0 && f != W->K + 1) {
        free(rxt);
        return st_fail(e, ST_EFIT, "the random effects' factor is not positive definite");
    }
    blk_rx(W->sx, rxt);
    for (int j = 0; j < p; j++)
        for (int i = 0; i < j; i++)
            rxt[i + (size_t)j * p] = 0;
    if (p > 0 && LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', p, rxt, p) == 0)
        for (int j = 0; j < p; j++)
            for (int i = 0; i < p; i++)
                V[i + (size_t)j * p] = i >= j ? rxt[i + (size_t)j * p]
                                              : rxt[j + (size_t)i * p];
    free(rxt);
    return ST_OK;
}
typedef struct gb_shared {
    const frm_model *m;
    const glm_response *resp;
    const glmm_result *r;
    const double *fixed;     /* n: X beta-hat */
    int nv, np;
    const lmm_boot_spec *spec;
    double *t;               /* B x np */
    signed char *state;      /* B: 0 ok, 1 singular, 2 failed */
    atomic_long done;
} gb_shared;
static void simulate_binomial(const re_terms *re, const double *fixed, const double *m,
                              int n, rng_state *g, double *u, double *bre, double *y)
{
    if (re != NULL) {
        for (int j = 0; j < re->nre; j++)
            u[j] = rng_normal(g);
        re_lambda_u(re, re->theta, 1.0, u, bre);
    }
    for (int i = 0; i < n; i++) {
        double mu = re != NULL ? glm_linkinv(re_add_zb(re, bre, i, fixed[i])) : fixed[i];
        long trials = (long)(m[i] + 0.5), k = 0;
        for (long tr = 0; tr < trials; tr++)
            k += rng_uniform(g) < mu;
        y[i] = m[i] > 0 ? (double)k / m[i] : 0.0;
    }
}
static int gb_replicate(st_error *err, gb_shared *s, long long b, double *y, double *u,
                        double *bre, glm_response *rs, double *row)
{
    rng_state g;
    rng_stream(&g, s->spec->seed, (uint64_t)b);
    simulate_binomial(&s->r->re, s->fixed, s->resp->m, s->m->n, &g, u, bre, y);
    glmm_options opt = { s->r->nagq, s->spec->level, NULL };
    glmm_result *f = NULL;
    st_error e = { 0 };
    s->state[b] = 2;
    if (glmm_fit_control(&e, s->m, rs, &opt, &s->r->control, &f) == ST_OK && f->converged) {
        re_varpar_values(&f->re, 1.0, 0, row);
        for (int j = 0, c = s->nv; j < s->r->p; j++)
            if (!s->r->aliased[j])
                row[c++] = f->beta[j];
        s->state[b] = f->singular ? 1 : 0;
    }
    glmm_free(f);
    if (e.status == ST_ENOMEM)      /* not a failed replicate: the run fails */
        *err = e;
    return e.status == ST_ENOMEM ? ST_ENOMEM : ST_OK;
}

static int gb_work(st_error *e, void *shared, long long from, long long to, int index)
{
    gb_shared *s = shared;
    int n = s->m->n, q = s->r->re.nre;
    double *buf = st_alloc(e, (size_t)n + 2 * (size_t)q + 1, sizeof *buf);
    if (buf == NULL)
        return e->status;
    glm_response rs = *s->resp;
    rs.y = buf;
    long long B = s->spec->replicates, step = B / 100 > 0 ? B / 100 : 1;
    for (long long b = from; b < to; b++) {
        if (gb_replicate(e, s, b, buf, buf + n, buf + n + q, &rs,
                         s->t + (size_t)b * s->np) != ST_OK) {
            free(buf);
            return e->status;
        }
        long d = atomic_fetch_add(&s->done, 1) + 1;
        if (index == 0 && s->spec->progress != NULL && d % step == 0)
            ci_progress(stderr, s->spec->progress, "bootstrap", d, (long)B);
    }
    free(buf);
    return ST_OK;
}
typedef struct gp_profile {
    glmm_work W;
    glmm_result *rec;        /* setup's record of the terms */
    double *X;               /* setup's estimated columns */
    const glmm_result *fit;
    int nv, p, np, w, last_w;
    double base, xval, last_x;
    double *est, *lo, *hi, *step, *start, *full, *x, *blo, *bhi, *bstep;
    double *tlo;             /* the bounds of theta, from the blocked factor */
} gp_profile;

static double gp_deviance(gp_profile *g, const double *full)
{
    if (re_sdcor_theta(&g->fit->re, full, 1.0, g->x) != 0)
        return HUGE_VAL;
    memcpy(g->x + g->nv, full + g->nv, (size_t)g->p * sizeof *g->x);
    double f = deviance_at(&g->W, g->x);
    return isfinite(f) ? f : HUGE_VAL;
}

static double gp_objective(void *data, const double *y)
{
    gp_profile *g = data;
    for (int i = 0, c = 0; i < g->np; i++)
        g->full[i] = i == g->w ? g->xval : y[c++];
    return gp_deviance(g, g->full);
}

static void gp_reset(gp_profile *g, int w)
{
    for (int i = 0, c = 0; i < g->np; i++)
        if (i != w)
            g->start[c++] = g->est[i];
    g->last_w = w;
}
static double gp_zeta(void *ctx, int w, double x)
{
    gp_profile *g = ctx;
    int m = g->np - 1;
    double fmin = HUGE_VAL;
    if (w != g->last_w || fabs(x - g->est[w]) < fabs(x - g->last_x))
        gp_reset(g, w);
    g->last_x = x;
    g->w = w;
    g->xval = x;
    for (int i = 0, c = 0; i < g->np; i++)
        if (i != w) {
            g->blo[c] = g->lo[i];
            g->bhi[c] = g->hi[i];
            g->bstep[c] = g->step[i];
            if (g->start[c] < g->blo[c]) g->start[c] = g->blo[c];
            if (g->start[c] > g->bhi[c]) g->start[c] = g->bhi[c];
            c++;
        }
    if (m == 0)
        fmin = gp_objective(g, g->start);
    else {
        st_error e = { 0 };
        opt_control c = per_parameter(g->W.ctl.stage2, m);
        opt_outcome res;
        if (opt_bobyqa(&e, &c, gp_objective, g, m, g->blo, g->bhi, g->bstep, g->start, &res)
            != ST_OK)
            return NAN;
        if (res.code < 0 && res.code != NLOPT_ROUNDOFF_LIMITED)
            return NAN;
        fmin = res.fmin;
    }
    if (!isfinite(fmin))
        return NAN;
    double d = fmin - g->base;
    return (x < g->est[w] ? -1.0 : 1.0) * sqrt(d > 0 ? d : 0.0);
}
static void gp_start(gp_profile *g, const glmm_result *r)
{
    const glmm_control *c = &g->W.ctl;
    re_varpar_values(&r->re, 1.0, 0, g->est);
    memcpy(g->tlo, r->re.lower, (size_t)r->re.ntheta * sizeof *g->tlo);   /* the bounds */
    for (int i = 0; i < g->nv; i++) {
        g->lo[i] = g->tlo[i] == 0.0 ? 0.0 : -1.0;
        g->hi[i] = g->tlo[i] == 0.0 ? HUGE_VAL : 1.0;
        g->step[i] = fabs(g->est[i]) > 0 ? c->profile_step_rel * fabs(g->est[i])
                                         : c->profile_step_rel;
        if (g->step[i] > c->profile_step_range * (g->hi[i] - g->lo[i]))
            g->step[i] = c->profile_step_range * (g->hi[i] - g->lo[i]);
    }
    for (int j = 0, k = g->nv; j < r->p; j++)
        if (!r->aliased[j]) {
            g->est[k] = r->beta[j];
            g->lo[k] = -HUGE_VAL;
            g->hi[k] = HUGE_VAL;
            g->step[k++] = c->profile_step_se * (r->se[j] > 0 ? r->se[j] : 1.0);
        }
}
static int gp_coef(const glmm_result *r, int j)
{
    for (int c = 0, k = 0; c < r->p; c++)
        if (!r->aliased[c] && k++ == j)
            return c;
    return 0;
}
static void gp_ends(gp_profile *g, const glmm_result *r, double level, const char *progress,
                    ci_table *out)
{
    double z = qnorm(0.5 + 0.5 * level, 0.0, 1.0, 1, 0);
    struct timespec t0, t1;
    int shown = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int w = 0; w < g->np; w++) {
        for (int side = 0; side < 2; side++) {
            double t = side ? z : -z, est = g->est[w];
            double bound = w < g->nv ? (side ? g->hi[w] : g->lo[w]) : t * HUGE_VAL;
            double first = w < g->nv ? NAN : est + t * r->se[gp_coef(r, w - g->nv)];
            double scale = fabs(est) > 0 ? fabs(est) : 0.1;
            gp_reset(g, w);
            double end = lmm_zeta_end(gp_zeta, g, w, est, bound, t, first, scale);
            if (side)
                out->high[w] = end;
            else
                out->low[w] = end;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (progress != NULL && (shown || (double)(t1.tv_sec - t0.tv_sec) > 2.0)) {
            ci_progress(stderr, progress, "profile", w + 1, g->np);
            shown = 1;
        }
    }
}
typedef struct gl_shared {
    const frm_model *m0, *m1;
    const glmm_result *r0;
    const glm_result *g0;
    const glm_response *resp;
    const double *fixed;     /* n: X0 beta0-hat, or the regression's fitted probabilities */
    int nagq;
    const lmm_boot_spec *spec;
    double *lrt;
    atomic_long done;
} gl_shared;

static double gl_loglik(const gl_shared *s, const frm_model *m, const glm_response *rs,
                        int mixed)
{
    st_error e = { 0 };
    double ll = NAN;
    if (mixed) {
        glmm_options opt = { s->nagq, s->spec->level, NULL };
        glmm_result *f = NULL;
        if (glmm_fit(&e, m, rs, &opt, &f) == ST_OK && f->converged)
            ll = f->loglik;
        glmm_free(f);
    } else {
        glm_result *f = NULL;
        if (glm_fit(&e, m, rs, s->spec->level, &f) == ST_OK && f->converged)
            ll = f->loglik;
        glm_free(f);
    }
    return ll;
}
static int gl_work(st_error *e, void *shared, long long from, long long to, int index)
{
    gl_shared *s = shared;
    int n = s->m1->n, q = s->r0 != NULL ? s->r0->re.nre : 0;
    double *buf = st_alloc(e, (size_t)n + 2 * (size_t)q + 1, sizeof *buf);
    if (buf == NULL)
        return e->status;
    glm_response rs = *s->resp;
    rs.y = buf;
    long long B = s->spec->replicates, step = B / 100 > 0 ? B / 100 : 1;
    for (long long b = from; b < to; b++) {
        rng_state g;
        rng_stream(&g, s->spec->seed, (UINT64_C(1) << 61) + (uint64_t)b);
        simulate_binomial(s->r0 != NULL ? &s->r0->re : NULL, s->fixed, s->resp->m, n, &g,
                          buf + n, buf + n + q, buf);
        double l0 = gl_loglik(s, s->m0, &rs, s->r0 != NULL), l1 = gl_loglik(s, s->m1, &rs, 1);
        s->lrt[b] = isfinite(l0) && isfinite(l1) ? fmax(0.0, 2 * (l1 - l0)) : NAN;
        long d = atomic_fetch_add(&s->done, 1) + 1;
        if (index == 0 && s->spec->progress != NULL && d % step == 0)
            ci_progress(stderr, s->spec->progress, "bootstrap of the LRT", d, (long)B);
    }
    free(buf);
    return ST_OK;
}
static int setup(st_error *e, const frm_model *m, const glm_response *resp,
                 const glmm_options *opt, const glmm_control *ctl, glmm_result *r,
                 glmm_work *wk, double **Xout)
{
    glmm_work W;
    double *X = NULL;
    memset(&W, 0, sizeof W);
    W.ctl = *ctl;
    r->control = *ctl;
    r->n = m->n;
    r->n_dropped = m->n_dropped;
    r->nagq = opt->nagq;
    r->level = opt->level;
    if ((r->formula = st_strdup(e, m->formula)) == NULL)
        return e->status;
    if (m->nre == 0)        /* glm_fit fits these */
        return st_fail(e, ST_EINPUT, "formula %s has no random-effects term such as (1 | g) "
                       "(for a regression without random effects use glm_fit)", m->formula);
    if (make_terms(e, m, r) != ST_OK
        || check_nagq(e, opt->nagq, &r->re) != ST_OK
        || find_aliased(e, m, ctl, r, &X) != ST_OK
        || state_setup(e, m, resp, opt->nagq, r, X, &W) != ST_OK
        || re_vectors(e, &W, &r->re) != ST_OK) {
        work_free(&W);
        free(X);
        return e->status;
    }
    *wk = W;
    *Xout = X;
    return ST_OK;
}
static int run_stage1(st_error *e, glmm_work *W, int nagq, const double *lower, double *step,
                  double *x, glmm_result *r)
{
    int nt = W->ntheta;
    opt_control c = per_parameter(W->ctl.stage1, nt);
    opt_outcome res;
    if (nagq == 0) {            /* the last stage: stop as stage 2 does */
        c.ftol_abs = W->ctl.stage2.ftol_abs;
        c.xtol_rel = W->ctl.stage2.xtol_rel;
    }
    for (int k = 0; k < nt; k++)
        step[k] = lower[k] == 0 ? W->ctl.stage1_step : W->ctl.stage1_step_offdiag;
    W->evals = 0;
    if (opt_bobyqa(e, &c, stage1_objective, W, nt, lower, NULL, step, x, &res) != ST_OK)
        return e->status;
    r->nlopt_status[0] = res.code;
    r->evaluations[0] = W->evals;
    stage1_objective(W, x);
    memcpy(x + nt, W->beta, (size_t)W->p * sizeof *x);
    return ST_OK;
}
static int skip_stage2(st_error *e, const glmm_work *W, glmm_result *r)
{
    r->nlopt_status[1] = r->nlopt_status[0];
    r->vcov = st_alloc(e, (size_t)W->p * W->p + 1, sizeof *r->vcov);
    if (r->vcov == NULL)
        return e->status;
    r->vcov_from_hessian = 0;       /* finish takes it from R_X, as lme4 does */
    return ST_OK;
}
static int run_stage2(st_error *e, glmm_work *W, const double *lower, double *step, double *x,
                  glmm_result *r)
{
    int np = W->ntheta + W->p;
    opt_control c = per_parameter(W->ctl.stage2, np);
    opt_outcome res;
    if (initial_steps(e, W, step) != ST_OK)
        return e->status;
    W->evals = 0;
    if (opt_bobyqa(e, &c, stage2_objective, W, np, lower, NULL, step, x, &res) != ST_OK)
        return e->status;
    r->nlopt_status[1] = res.code;
    r->evaluations[1] = W->evals;
    to_boundary(W, lower, x);
    return ST_OK;
}
static int standard_errors(st_error *e, glmm_work *W, const double *x, double *H,
                           glmm_result *r)
{
    int nt = W->ntheta, np = nt + W->p;
    FILE *trace = W->trace;
    W->trace = NULL;
    W->evals = 0;
    int status = hessian(e, W, x, np, H);
    r->evaluations[2] = W->evals;
    W->trace = trace;
    if (status != ST_OK)
        return status;
    r->vcov = st_alloc(e, (size_t)W->p * W->p + 1, sizeof *r->vcov);
    if (r->vcov == NULL)
        return e->status;
    int ok = vcov_from_hessian(e, H, np, nt, r->vcov);
    if (ok < 0)
        return e->status;
    r->vcov_from_hessian = ok;
    return ST_OK;
}
static int finish(st_error *e, glmm_work *W, const double *x, glmm_result *r)
{
    double dev = deviance_at(W, x);
    if (!r->vcov_from_hessian && fallback_vcov(e, W, x, r->vcov) != ST_OK)
        return e->status;
    set_wald(W, x, r);
    if (set_criteria(e, W, x, dev, r) != ST_OK)
        return e->status;
    set_modes(W, x, r);
    return keep_eta_weights(e, W, r);
}
static int gp_open(st_error *e, const frm_model *m, const glm_response *resp,
                   const glmm_result *r, double level, gp_profile *g)
{
    glmm_options opt = { .nagq = r->nagq, .level = level };
    g->fit = r;
    g->last_w = -1;
    if ((g->rec = st_alloc(e, 1, sizeof *g->rec)) == NULL)
        return e->status;
    if (setup(e, m, resp, &opt, &r->control, g->rec, &g->W, &g->X) != ST_OK)
        return e->status;
    g->nv = re_varpar_count(&r->re, 0);
    g->p = r->rank;
    g->np = g->nv + g->p;
    size_t np1 = (size_t)g->np + 1;
    double *buf = st_alloc(e, 11 * np1, sizeof *buf);
    if (buf == NULL)
        return e->status;
    g->est = buf; g->lo = buf + np1; g->hi = buf + 2 * np1; g->step = buf + 3 * np1;
    g->start = buf + 4 * np1; g->full = buf + 5 * np1; g->x = buf + 6 * np1;
    g->tlo = buf + 7 * np1;
    g->blo = buf + 8 * np1; g->bhi = buf + 9 * np1; g->bstep = buf + 10 * np1;
    return ST_OK;
}

static void gp_close(gp_profile *g)
{
    free(g->est);
    work_free(&g->W);
    free(g->X);
    glmm_free(g->rec);
}
int glmm_gauss_hermite(st_error *e, int k, double *z, double *w)
{
    assert(e != NULL);
    assert(z != NULL);
    assert(w != NULL);
    if (k < 1 || k > GLMM_MAX_NAGQ)
        return st_fail(e, ST_EINPUT, "the number of quadrature nodes must be 1 to %d",
                       GLMM_MAX_NAGQ);
    double off[GLMM_MAX_NAGQ], vec[GLMM_MAX_NAGQ * GLMM_MAX_NAGQ];
    for (int i = 0; i < k; i++)
        z[i] = 0.0;
    for (int i = 0; i + 1 < k; i++)
        off[i] = sqrt((double)(i + 1));
    int info = LAPACKE_dstev(LAPACK_COL_MAJOR, 'V', k, z, off, vec, k);
    if (info != 0)
        return st_fail(e, ST_EFIT, "LAPACK dstev failed (info %d)", info);
    for (int i = 0; i < k; i++)
        w[i] = vec[(size_t)i * k] * vec[(size_t)i * k];
    return ST_OK;
}
int glmm_fit(st_error *e, const frm_model *m, const glm_response *resp,
             const glmm_options *opt, glmm_result **out)
{
    return glmm_fit_control(e, m, resp, opt, NULL, out);
}

int glmm_fit_control(st_error *e, const frm_model *m, const glm_response *resp,
                     const glmm_options *opt, const glmm_control *ctl, glmm_result **out)
{
    *out = NULL;
    glmm_work W;
    memset(&W, 0, sizeof W);
    glmm_control dflt = glmm_control_default();
    glmm_result *r = st_alloc(e, 1, sizeof *r);
    double *X = NULL, *x = NULL, *lower = NULL, *step = NULL, *H = NULL;
    if (r == NULL)
        return e->status;
    if (setup(e, m, resp, opt, ctl ? ctl : &dflt, r, &W, &X) != ST_OK
        || parameters_alloc(e, &W, &r->re, &x, &lower, &step, &H) != ST_OK
        || find_one_sided_levels(e, m, resp, r) != ST_OK)
        goto fail;
    check_scales(&W, r);
    start_trace(&W, opt->trace);
    if (run_stage1(e, &W, opt->nagq, lower, step, x, r) != ST_OK)
        goto fail;
    if (opt->nagq == 0) {
        if (skip_stage2(e, &W, r) != ST_OK)
            goto fail;
    } else if (run_stage2(e, &W, lower, step, x, r) != ST_OK
               || standard_errors(e, &W, x, H, r) != ST_OK)
        goto fail;
    if (finish(e, &W, x, r) != ST_OK)
        goto fail;
    free(X); free(x); free(lower); free(step); free(H);
    work_free(&W);
    *out = r;
    return ST_OK;
fail:
    free(X); free(x); free(lower); free(step); free(H);
    work_free(&W);
    glmm_free(r);
    return e->status;
}
int glmm_evaluate(st_error *e, const frm_model *m, const glm_response *resp, int nagq,
                  const double *theta, const double *beta, double *deviance)
{
    glmm_options opt = { nagq, 0.95, NULL };
    glmm_control ctl = glmm_control_default();
    glmm_work W;
    double *X = NULL, *x = NULL;
    glmm_result *r = st_alloc(e, 1, sizeof *r);
    if (r == NULL)
        return e->status;
    int status = setup(e, m, resp, &opt, &ctl, r, &W, &X);
    if (status == ST_OK) {
        if ((x = st_alloc(e, (size_t)(W.ntheta + W.p) + 1, sizeof *x)) == NULL)
            status = e->status;
        else {
            memcpy(x, theta, (size_t)W.ntheta * sizeof *x);
            for (int j = 0, c = 0; j < r->p; j++)
                if (!r->aliased[j])
                    x[W.ntheta + c++] = beta[j];
            *deviance = deviance_at(&W, x);
        }
        work_free(&W);
    }
    free(x);
    free(X);
    glmm_free(r);
    return status;
}
void glmm_free(glmm_result *r)
{
    if (r == NULL)
        return;
    if (r->coef_names)
        for (int j = 0; j < r->p; j++)
            free(r->coef_names[j]);
    free(r->coef_names); free(r->formula); free(r->aliased);
    free(r->beta); free(r->se); free(r->statistic); free(r->p_value);
    free(r->conf_low); free(r->conf_high); free(r->mu);
    free(r->eta); free(r->weights);
    free(r->vcov); free(r->pearson);
    re_free(&r->re);
    ci_table_free(r->confint);
    ci_boot_free(r->boot);
    free(r);
}
int glmm_bootstrap(st_error *e, const frm_model *m, const glm_response *resp,
                   const glmm_result *r, const lmm_boot_spec *spec, ci_boot **out)
{
    long long B = spec->replicates;
    int n = m->n;
    int nv = re_varpar_count(&r->re, 0), np = nv + r->rank;
    gb_shared s = { m, resp, r, NULL, nv, np, spec, NULL, NULL, 0 };
    double *fixed = st_alloc(e, (size_t)(n > np ? n : np), sizeof *fixed);
    ci_table *names = NULL;
    *out = NULL;
    s.t = st_alloc_large(e, (size_t)B * np + 1, sizeof *s.t);
    s.state = st_alloc(e, (size_t)B, 1);
    if (fixed == NULL || s.t == NULL || s.state == NULL)
        goto fail;
    for (int j = 0; j < m->p; j++)
        if (!r->aliased[j])
            for (int i = 0; i < n; i++)
                fixed[i] += m->X[i + (size_t)j * n] * r->beta[j];
    s.fixed = fixed;
    atomic_init(&s.done, 0);
    if (run_threads(e, spec->threads, B, gb_work, &s, "bootstrap") != ST_OK
        || re_confint_table(e, &r->re, 0, r->p, r->coef_names, r->aliased, "boot",
                             spec->level, &names) != ST_OK)
        goto fail;
    re_varpar_values(&r->re, 1.0, 0, fixed);
    for (int j = 0, c = nv; j < r->p; j++)
        if (!r->aliased[j])
            fixed[c++] = r->beta[j];
    if (lmm_boot_summary(e, s.t, s.state, B, np, fixed, names, spec, out) != ST_OK)
        goto fail;
    ci_table_free(names);
    free(fixed); free(s.t); free(s.state);
    return ST_OK;
fail:
    ci_table_free(names);
    free(fixed); free(s.t); free(s.state);
    return e->status;
}
int glmm_confint_profile(st_error *e, const frm_model *m, const glm_response *resp,
                         const glmm_result *r, double level, const char *progress,
                         ci_table **out)
{
    gp_profile g;
    memset(&g, 0, sizeof g);
    *out = NULL;
    if (r->nagq == 0)
        return st_fail(e, ST_EINPUT, "nagq 0: the fit has no deviance of the fixed "
                       "effects to profile; profile intervals need 1 or more nodes");
    int status = gp_open(e, m, resp, r, level, &g);
    if (status == ST_OK) {
        gp_start(&g, r);
        g.base = gp_deviance(&g, g.est);
        if (re_confint_table(e, &r->re, 0, r->p, r->coef_names, r->aliased, "profile",
                             level, out) != ST_OK)
            status = e->status;
    }
    if (status == ST_OK)
        gp_ends(&g, r, level, progress, *out);
    gp_close(&g);
    if (status != ST_OK) {
        ci_table_free(*out);
        *out = NULL;
    }
    return status;
}
int glmm_boot_lrt(st_error *e, const frm_model *m0, const glmm_result *r0,
                  const glm_result *g0, const frm_model *m1, const glm_response *resp,
                  int nagq, double observed, const lmm_boot_spec *spec, lmm_lrt_boot *out)
{
    long long B = spec->replicates;
    int n = m1->n, status = ST_OK;
    *out = (lmm_lrt_boot){ B, 0, 0, spec->seed, observed, NAN, NULL };
    gl_shared s = { m0, m1, r0, g0, resp, NULL, nagq, spec, NULL, 0 };
    double *fixed = st_alloc(e, (size_t)n, sizeof *fixed);
    out->lrt = s.lrt = st_alloc_large(e, (size_t)B, sizeof *s.lrt);
    if (fixed == NULL || s.lrt == NULL)
        status = e->status;
    for (int i = 0; status == ST_OK && g0 != NULL && i < n; i++)
        fixed[i] = g0->mu[i];
    for (int j = 0; status == ST_OK && r0 != NULL && j < m0->p; j++)
        if (!r0->aliased[j])
            for (int i = 0; i < n; i++)
                fixed[i] += m0->X[i + (size_t)j * n] * r0->beta[j];
    s.fixed = fixed;
    atomic_init(&s.done, 0);
    if (status == ST_OK)
        status = run_threads(e, spec->threads, B, gl_work, &s, "bootstrap");
    if (status == ST_OK)
        lmm_lrt_boot_tally(out);
    else
        lmm_lrt_boot_free(out);
    free(fixed);
    return status;
}
int glmm_warn(FILE *out, const glmm_result *r, const char *prog)
{
    assert(out != NULL);
    assert(r != NULL);
    assert(prog != NULL);
    int count = 0;
    if (r->separated && r->fam.family == GLM_POISSON) {
        fprintf(out, "%s: warning: fitted rates numerically 0 occurred: some estimates are "
                "infinite in truth, and the reported ones and their standard errors are "
                "meaningless\n", prog);
        count++;
    } else if (r->separated) {
        fprintf(out, "%s: warning: fitted probabilities numerically 0 or 1 occurred: the "
                "predictors separate the successes from the failures (completely or "
                "quasi-completely), so some estimates are infinite in truth and the "
                "reported ones and their standard errors are meaningless\n", prog);
        count++;
    }
    if (r->nwarn_levels > 0) {
        char levels[4 * sizeof r->warn_levels];
        st_escape(levels, sizeof levels, r->warn_levels);
        fprintf(out, "%s: warning: %s: the random effects keep their modes finite (a "
                "fixed effect for such a level would be infinite), but the data say little "
                "about them and many such levels inflate the estimated variance\n", prog,
                levels);
        count++;
    }
    if (r->bad_scale) {
        fprintf(out, "%s: warning: some predictors are on very different scales (standard "
                "deviations from %.3g to %.3g): the finite-difference Hessian, and so the "
                "standard errors, may be inaccurate; consider rescaling them\n", prog,
                r->scale_min, r->scale_max);
        count++;
    }
    if (r->singular) {
        fprintf(out, "%s: warning: singular fit: a variance is estimated as zero or a "
                "correlation as +-1 (theta on its bound; see lme4's ?isSingular)\n", prog);
        count++;
    }
    if (r->pirls_failures > 0) {
        fprintf(out, "%s: warning: PIRLS did not converge in %d evaluation%s of the deviance; "
                "the estimates may be inaccurate\n", prog, r->pirls_failures,
                r->pirls_failures > 1 ? "s" : "");
        count++;
    }
    if (r->nlopt_status[1] <= 0 || r->nlopt_status[1] == NLOPT_MAXEVAL_REACHED) {
        fprintf(out, "%s: warning: the optimizer stopped before converging (NLopt status %d, "
                "%s)\n", prog, r->nlopt_status[1],
                nlopt_result_to_string((nlopt_result)r->nlopt_status[1]));
        count++;
    }
    if (!r->vcov_from_hessian && r->nagq != 0) {
        fprintf(out, "%s: warning: the Hessian of the deviance is not positive definite at the "
                "optimum; the standard errors come from the weighted cross-products instead, "
                "as glmer's fallback\n", prog);
        count++;
    }
    return count;
}
int glmm_print(FILE *out, const glmm_result *r, const char *data_name)
{
    assert(out != NULL);
    assert(r != NULL);
    if (r->nagq != 1)
        fprintf(out, "Generalized linear mixed model fit by maximum likelihood (Adaptive\n"
                "  Gauss-Hermite Quadrature, nAGQ = %d) [glmerMod]\n", r->nagq);
    else
        fprintf(out, "Generalized linear mixed model fit by maximum likelihood (Laplace\n"
                "  Approximation) [glmerMod]\n");
    fprintf(out, " Family: %s  ( %s )\nFormula: %s\n   Data: %s\n\n", glm_family_name(r->fam),
            glm_link_name(r->fam), r->formula, data_name);
    lmm_print_aictab(out, r->aic, r->bic, r->loglik, r->deviance, r->df_residual);
    if (lmm_print_residual_quartiles(out, r->pearson, r->n, 1.0) != 0
        || re_print_varcorr(out, &r->re, 1.0, 0) != 0)
        return -1;
    re_print_groups(out, &r->re);
    {
        ct_table coefs = glmm_coeftab(r);
        if (lmm_print_fixef_table(out, &coefs, r->vcov, r->rank) != 0)
            return -1;
    }
    if (!r->converged || r->singular) {
        fprintf(out, "optimizer (bobyqa) convergence code: %d (%s)\n",
                r->converged ? 0 : r->nlopt_status[1],
                r->converged ? "OK" : nlopt_result_to_string((nlopt_result)r->nlopt_status[1]));
        if (r->singular)
            fprintf(out, "boundary (singular) fit: see help('isSingular')\n");
        fputc('\n', out);
    }
    return 0;
}
ct_table glmm_coeftab(const glmm_result *r)
{
    return (ct_table){ .p = r->p, .names = (const char *const *)r->coef_names,
                       .aliased = r->aliased, .estimate = r->beta, .std_error = r->se,
                       .statistic = r->statistic, .dist = CT_Z, .df = NULL, .df_common = NAN,
                       .p_value = r->p_value, .conf_low = r->conf_low,
                       .conf_high = r->conf_high, .level = r->level, .interval = "wald" };
}
void glmm_write_json(FILE *out, const glmm_result *r)
{
    assert(out != NULL);
    assert(r != NULL);
    const re_terms *re = &r->re;
    js_writer w;
    js_init(&w, out);
    js_object_begin(&w, 0);
    js_model_members(&w, "glmm", r->formula, r->n, r->n_dropped);
    ct_table coefs = glmm_coeftab(r);
    ct_json(&w, &coefs);
    js_key_number(&w, "log_lik", r->loglik);
    js_key_number(&w, "aic", r->aic);
    js_key_number(&w, "bic", r->bic);
    js_key_bool(&w, "converged", r->converged);
    js_key_number(&w, "deviance", r->deviance);
    js_key_integer(&w, "rank", r->rank);
    re_json_theta(&w, re);
    re_json_varcorr(&w, re, 1.0);
    js_key_bool(&w, "singular", r->singular);
    js_key_integer(&w, "nagq", r->nagq);
    js_key_string(&w, "family", glm_family_name(r->fam));
    js_key_string(&w, "link", glm_link_name(r->fam));
    js_key_integer(&w, "evaluations", r->evaluations[0] + r->evaluations[1] + r->evaluations[2]);
    re_json_ranef(&w, re);
    if (r->compare != NULL)
        nest_json(&w, r->compare);
    if (r->confint != NULL)
        ci_json(&w, r->confint);
    if (r->boot != NULL)
        ci_boot_json(&w, r->boot);
    js_object_end(&w);
    fputc('\n', out);
}
