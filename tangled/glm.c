#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "glm.h"
#include "json.h"
#include "numutil.h"
#include "ols.h"
#include "rformat.h"

#define GLM_THRESH 30.0         /* |eta| beyond which R's logit functions clamp */
#define GLM_EPSILON 1e-8        /* glm.control(epsilon): criterion (eq:glm-converged) */
#define GLM_MAXIT 25            /* glm.control(maxit) */
#define GLM_RANK_TOL 1e-11      /* min(1e-7, epsilon / 1000): glm.fit's rank tolerance */
#define GLM_MAX_COUNT 9007199254740992.0   /* 2^53: larger counts are not exact in doubles */
typedef struct irls_work {
    double *eta, *mu;       /* n: linear predictor and mean of the current step */
    double *z, *w;          /* ng: working response and square root of the weight */
    double *beta, *beta_old;    /* p: coefficients of this step and the one before */
    int *good, ng;          /* the ng observations with m_i > 0 */
    ols_workspace *ws;      /* the QR decomposition of the last weighted regression */
    double dev;             /* the deviance after the last step */
} irls_work;

static int wls_step(st_error *e, const frm_model *m, const glm_response *resp,
                    irls_work *W);
static int update_step(st_error *e, const frm_model *m, const glm_response *resp,
                       const glm_control *ctl, int iteration, irls_work *W, double *devp);
static double linear_predictor(const frm_model *m, const glm_response *resp,
                               const double *beta, double *eta, double *mu);
static double null_intercept(const frm_model *m, const glm_response *resp,
                             const glm_control *ctl, double b0);

static void irls_work_free(irls_work *W)
{
    ols_workspace_free(W->ws);
    free(W->eta); free(W->mu); free(W->z); free(W->w); free(W->good); free(W->beta);
    free(W->beta_old);
}
static int irls(st_error *e, const frm_model *m, const glm_response *resp,
                const glm_control *ctl, irls_work *W, glm_result *r)
{
    int n = m->n, p = m->p;
    double *eta = W->eta, *mu = W->mu, *beta = W->beta, *beta_old = W->beta_old;
    double dev_old = 0, dev = 0;
    for (int i = 0; i < n; i++) {
        double trials = resp->pw && resp->pw[i] > 0 ? resp->m[i] / resp->pw[i] : resp->m[i];
        double mustart = glm_fam_mustart(resp->fam, resp->y[i], trials);
        eta[i] = glm_fam_linkfun(resp->fam, mustart);
        mu[i] = glm_fam_linkinv(resp->fam, eta[i]);
        dev_old += glm_fam_dev_resid(resp->fam, resp->y[i], mu[i], resp->m[i]);
    }
    r->trace[0] = dev_old;
    r->converged = 0;
    for (r->iterations = 1; r->iterations <= ctl->maxit; r->iterations++) {
        if (wls_step(e, m, resp, W) != ST_OK
            || update_step(e, m, resp, ctl, r->iterations, W, &dev) != ST_OK)
            return e->status;
        if (r->iterations <= GLM_TRACE_STEPS)
            r->trace[r->iterations] = dev;
        if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < ctl->epsilon) {
            r->converged = 1;
            break;
        }
        dev_old = dev;
        memcpy(beta_old, beta, (size_t)p * sizeof *beta);
    }
    if (!r->converged)
        r->iterations = ctl->maxit;
    W->dev = dev;
    return ST_OK;
}
static int wls_step(st_error *e, const frm_model *m, const glm_response *resp,
                    irls_work *W)
{
    int n = m->n, p = m->p, ng = W->ng;
    const int *good = W->good;
    const double *eta = W->eta, *mu = W->mu;
    double *z = W->z, *w = W->w, *beta = W->beta;
    ols_workspace *ws = W->ws;
    for (int a = 0; a < ng; a++) {
        int i = good[a];
        /* weight and working response (eq:glm-family-irls); (eq:glm-newton) for the logit */
        double d = glm_fam_mu_eta(resp->fam, eta[i]), var = glm_fam_variance(resp->fam, mu[i]);
        double sw = sqrt(resp->m[i] * d * d / var);
        w[a] = sw;
        z[a] = sw * (eta[i] - (m->offset ? m->offset[i] : 0.0) + (resp->y[i] - mu[i]) / d);
        for (int j = 0; j < p; j++)
            ws->qr[a + (size_t)j * ng] = sw * m->X[i + (size_t)j * n];
    }
    if (ols_decompose(e, ws, ws->qr, ng) != ST_OK || ols_solve(e, ws, z, beta, NULL) != ST_OK)
        return e->status;
    for (int j = 0; j < p; j++)
        if (isnan(beta[j]))
            beta[j] = 0.0;
    return ST_OK;
}
static int update_step(st_error *e, const frm_model *m, const glm_response *resp,
                       const glm_control *ctl, int iteration, irls_work *W, double *devp)
{
    int p = m->p;
    double *beta = W->beta, dev;
    const double *beta_old = W->beta_old;
    for (int halvings = 0;; halvings++) {
        dev = linear_predictor(m, resp, beta, W->eta, W->mu);
        if (isfinite(dev))
            break;
        if (iteration == 1 || halvings == ctl->maxit) {
            st_fail(e, ST_EFIT, "no valid set of coefficients found: the deviance is not "
                    "finite");
            return e->status;
        }
        for (int j = 0; j < p; j++)
            beta[j] = 0.5 * (beta[j] + beta_old[j]);
    }
    *devp = dev;
    return ST_OK;
}
static double linear_predictor(const frm_model *m, const glm_response *resp,
                               const double *beta, double *eta, double *mu)
{
    int n = m->n;
    double dev = 0;
    for (int i = 0; i < n; i++)
        eta[i] = m->offset ? m->offset[i] : 0.0;      /* (eq:glm-offset) */
    for (int j = 0; j < m->p; j++) {
        const double *x = m->X + (size_t)j * n;
        for (int i = 0; i < n; i++)
            eta[i] += x[i] * beta[j];
    }
    for (int i = 0; i < n; i++) {
        mu[i] = glm_fam_linkinv(resp->fam, eta[i]);
        dev += glm_fam_dev_resid(resp->fam, resp->y[i], mu[i], resp->m[i]);
    }
    return dev;
}
static double null_intercept(const frm_model *m, const glm_response *resp,
                             const glm_control *ctl, double b0)
{
    glm_family fam = resp->fam;
    double dev_old = HUGE_VAL;
    for (int it = 0; it < ctl->null_maxit; it++) {
        double sw = 0, swz = 0, dev = 0;
        for (int i = 0; i < m->n; i++) {
            if (resp->m[i] <= 0)
                continue;
            double eta = b0 + m->offset[i], mu = glm_fam_linkinv(fam, eta);
            double d = glm_fam_mu_eta(fam, eta);
            double w = resp->m[i] * d * d / glm_fam_variance(fam, mu);
            sw += w;
            swz += w * (b0 + (resp->y[i] - mu) / d);
        }
        b0 = swz / sw;
        for (int i = 0; i < m->n; i++)
            dev += glm_fam_dev_resid(fam, resp->y[i], glm_fam_linkinv(fam, b0 + m->offset[i]),
                                     resp->m[i]);
        if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < ctl->null_epsilon)
            break;
        dev_old = dev;
    }
    return b0;
}
static void deviances(const frm_model *m, const glm_response *resp, const glm_control *ctl,
                      const irls_work *W, glm_result *r)
{
    int n = m->n, ng = W->ng;
    const double *mu = W->mu, dev = W->dev;
    const ols_workspace *ws = W->ws;
    {
        double sy = 0, sm = 0, ll = 0, dev0 = 0;
        for (int i = 0; i < n; i++) {
            sy += resp->m[i] * resp->y[i];
            sm += resp->m[i];
        }
        glm_family fam = resp->fam;
        double mu0 = r->intercept ? sy / sm : glm_fam_linkinv(fam, 0.0), b0 = 0.0;
        if (m->offset && r->intercept)
            b0 = null_intercept(m, resp, ctl, glm_fam_linkfun(fam, mu0));
        for (int i = 0; i < n; i++) {
            double d = glm_fam_dev_resid(fam, resp->y[i], mu[i], resp->m[i]);
            if (m->offset)     /* the null model's mean with the offset (eq:glm-offset) */
                mu0 = glm_fam_linkinv(fam, b0 + m->offset[i]);
            dev0 += glm_fam_dev_resid(fam, resp->y[i], mu0, resp->m[i]);
            ll += glm_response_log_density(resp, i, mu[i]);
            r->mu[i] = mu[i];
            r->dev_resid[i] = (resp->y[i] > mu[i] ? 1 : -1) * sqrt(fmax(d, 0.0));
            if (mu[i] < 10 * DBL_EPSILON
                || (fam.family == GLM_BINOMIAL && mu[i] > 1 - 10 * DBL_EPSILON))
                r->separated = 1;
        }
        r->fam = fam;
        r->rank = ws->rank;
        r->n = ng;
        r->deviance = dev;
        r->null_deviance = dev0;
        r->loglik = ll;
        r->aic = -2 * ll + 2 * r->rank;
        r->bic = -2 * ll + log((double)(ng + resp->nzero)) * r->rank;   /* R's nobs for BIC */
        r->df_residual = ng - r->rank;
        r->df_null = ng - r->intercept;
    }
}
static int covariance(st_error *e, const irls_work *W, int p, double level, glm_result *r)
{
    const ols_workspace *ws = W->ws;
    const double *beta = W->beta;
    int ng = W->ng;
    {
        int k = ws->rank;
        double *C = st_alloc(e, (size_t)k * k + 1, sizeof *C);
        if (C == NULL)
            return e->status;
        for (int b = 0; b < k; b++)
            memcpy(C + (size_t)b * k, ws->qr + (size_t)b * ng, (size_t)(b + 1) * sizeof *C);
        int info = k > 0 ? LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'U', k, C, k) : 0;
        if (info != 0) {
            free(C);
            st_fail(e, ST_EFIT, "LAPACK dpotri failed (info %d)", info);
            return e->status;
        }
        double q = qnorm(1 - (1 - level) / 2, 0, 1, 1, 0);
        for (int j = 0; j < p; j++)
            r->aliased[ws->pivot[j]] = j >= k;
        for (int s = 0; s < k; s++) {
            for (int t = 0; t < k; t++)
                r->vcov[ws->pivot[s] + (size_t)ws->pivot[t] * p] =
                    s <= t ? C[s + (size_t)t * k] : C[t + (size_t)s * k];
            int j = ws->pivot[s];
            r->beta[j] = beta[j];
            r->se[j] = sqrt(C[s + (size_t)s * k]);
            r->statistic[j] = r->beta[j] / r->se[j];
            r->p_value[j] = 2 * pnorm(-fabs(r->statistic[j]), 0, 1, 1, 0);
            r->conf_low[j] = r->beta[j] - q * r->se[j];
            r->conf_high[j] = r->beta[j] + q * r->se[j];
        }
        free(C);
    }
    return ST_OK;
}
static glm_result *result_new(st_error *e, const frm_model *m, double level)
{
    int p = m->p, n = m->n;
    glm_result *r = st_alloc(e, 1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->p = p;
    r->nrow = n;
    r->n_dropped = m->n_dropped;
    r->intercept = m->intercept;
    r->level = level;
    r->formula = st_strdup(e, m->formula);
    r->coef_names = st_alloc(e, (size_t)p + 1, sizeof *r->coef_names);
    r->aliased = st_alloc(e, (size_t)p + 1, sizeof *r->aliased);
    double **v[] = { &r->beta, &r->se, &r->statistic, &r->p_value, &r->conf_low, &r->conf_high };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if ((*v[k] = st_alloc(e, (size_t)p + 1, sizeof(double))) != NULL)
            for (int j = 0; j < p; j++)
                (*v[k])[j] = NAN;
    r->vcov = st_alloc(e, (size_t)p * p + 1, sizeof *r->vcov);
    r->mu = st_alloc(e, (size_t)n + 1, sizeof *r->mu);
    r->dev_resid = st_alloc(e, (size_t)n + 1, sizeof *r->dev_resid);
    if (!r->formula || !r->coef_names || !r->aliased || !r->beta || !r->se || !r->statistic
        || !r->p_value || !r->conf_low || !r->conf_high || !r->vcov || !r->mu || !r->dev_resid) {
        glm_free(r);
        return NULL;
    }
    for (size_t c = 0; c < (size_t)p * p; c++)
        r->vcov[c] = NAN;
    for (int j = 0; j < p; j++)
        if ((r->coef_names[j] = st_strdup(e, m->colnames[j])) == NULL) {
            glm_free(r);
            return NULL;
        }
    return r;
}
double glm_linkinv(double eta)
{
    double t = eta < -GLM_THRESH ? DBL_EPSILON
             : eta > GLM_THRESH ? 1.0 / DBL_EPSILON : exp(eta);
    return t / (1.0 + t);
}

double glm_mu_eta(double eta)
{
    double opexp = 1.0 + exp(eta);
    return eta > GLM_THRESH || eta < -GLM_THRESH ? DBL_EPSILON : exp(eta) / (opexp * opexp);
}

static double y_log_y(double y, double mu)
{
    return y != 0.0 ? y * log(y / mu) : 0.0;
}

double glm_dev_resid(double y, double mu, double m)
{
    return 2.0 * m * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu));
}
double glm_log_density(double y, double mu, double m)
{
    if (m <= 0)
        return 0.0;
    return dbinom(nearbyint(m * y), nearbyint(m), mu, 1);
}

double glm_saturated(double y, double m)
{
    return -2.0 * glm_log_density(y, y, m);
}
int glm_response_make(st_error *e, const frm_model *m, const df_frame *df,
                      glm_response *r)
{
    glm_family binomial = { GLM_BINOMIAL, GLM_LOGIT };
    return glm_response_make_family(e, m, df, binomial, r);     /* which asserts */
}

static int counts_row(st_error *e, const frm_model *m, const df_frame *df, int i,
                      glm_response *r)
{
    int n = m->n;
    long line = df->line[m->row[i]];
    double s = m->y[i], f = m->y[i + (size_t)n];
    for (int c = 0; c < 2; c++) {
        double v = c == 0 ? s : f;
        if (v < 0 || v != floor(v) || !isfinite(v)) {
            glm_response_free(r);
            return st_fail(e, ST_EINPUT, "%s:%ld: response %s: the %s count is %.15g; counts "
                           "must be whole numbers, 0 or more", df->source, line, m->response,
                           c == 0 ? "successes" : "failures", v);
        }
    }
    r->m[i] = s + f;
    if (r->m[i] > GLM_MAX_COUNT) {
        glm_response_free(r);
        return st_fail(e, ST_EINPUT, "%s:%ld: response %s: the number of trials is %.15g; "
                       "successes plus failures must be at most 2^53 = 9007199254740992, "
                       "where doubles count exactly", df->source, line, m->response, s + f);
    }
    r->y[i] = r->m[i] > 0 ? s / r->m[i] : 0.0;
    return ST_OK;
}
static int poisson_row(st_error *e, const frm_model *m, const df_frame *df, int i,
                       glm_response *r)
{
    long line = df->line[m->row[i]];
    double v = m->y[i];
    if (v < 0 || v != floor(v) || !isfinite(v) || v > GLM_MAX_COUNT) {
        glm_response_free(r);
        return st_fail(e, ST_EINPUT, "%s:%ld: response %s is %.15g; a Poisson count must be "
                       "a whole number from 0 to 2^53 = 9007199254740992", df->source, line,
                       m->response, v);
    }
    r->m[i] = 1.0;
    r->y[i] = v;
    return ST_OK;
}
static int binary_row(st_error *e, const frm_model *m, const df_frame *df, int i,
                      glm_response *r)
{
    long line = df->line[m->row[i]];
    double v = m->y[i];
    if (v != 0.0 && v != 1.0) {
        glm_response_free(r);
        st_fail(e, ST_EINPUT, "%s:%ld: response %s is %.15g; a binary response must be 0 or "
                "1 (for successes out of trials, write cbind(successes, failures); for counts "
                "with no upper limit, fit the Poisson family)", df->source, line, m->response, v);
        e->advice = "family=poisson";
        return e->status;
    }
    r->m[i] = 1.0;
    r->y[i] = v;
    return ST_OK;
}
static int refuse_constant(st_error *e, const frm_model *m, glm_family fam,
                           double successes, double failures, glm_response *r)
{
    if (fam.family == GLM_POISSON && successes == 0) {
        glm_response_free(r);
        return st_fail(e, ST_EFIT, "the response %s is 0 in every row: the rate's estimate "
                       "would be 0, and a Poisson model with a log link cannot be fitted",
                       m->response);
    }
    if (fam.family != GLM_POISSON && (successes == 0 || failures == 0)) {
        glm_response_free(r);
        return st_fail(e, ST_EFIT, "the response %s has no %s: every observation is a %s, and "
                       "a logistic model cannot be fitted", m->response,
                       successes == 0 ? "successes" : "failures",
                       successes == 0 ? "failure" : "success");
    }
    return ST_OK;
}
int glm_response_make_family(st_error *e, const frm_model *m, const df_frame *df,
                             glm_family fam, glm_response *r)
{
    assert(e != NULL);
    assert(m != NULL);
    assert(df != NULL);
    assert(r != NULL);
    int n = m->n;
    memset(r, 0, sizeof *r);
    r->n = n;
    r->fam = fam;
    r->counts = m->ycols == 2;
    r->y = st_alloc(e, (size_t)n, sizeof *r->y);
    r->m = st_alloc(e, (size_t)n, sizeof *r->m);
    if (r->y == NULL || r->m == NULL) {
        glm_response_free(r);
        return e->status;
    }
    double successes = 0, failures = 0;
    for (int i = 0; i < n; i++) {
        int status = fam.family == GLM_POISSON ? poisson_row(e, m, df, i, r)
                     : r->counts ? counts_row(e, m, df, i, r) : binary_row(e, m, df, i, r);
        if (status != ST_OK)
            return status;
        successes += r->m[i] * r->y[i];
        failures += r->m[i] * (1 - r->y[i]);
    }
    return refuse_constant(e, m, fam, successes, failures, r);
}

void glm_response_free(glm_response *r)
{
    assert(r != NULL);
    free(r->y);
    free(r->m);
    free(r->pw);
    r->y = r->m = r->pw = NULL;
}
int glm_response_weigh(st_error *e, const frm_model *m, const df_frame *df,
                       const char *column, glm_response *r)
{
    assert(e != NULL);
    assert(m != NULL);
    assert(df != NULL);
    assert(column != NULL);
    assert(r != NULL);
    int n = r->n, keep = r->counts && r->fam.family == GLM_BINOMIAL;
    double *pw = NULL;
    if (frm_weights(e, m, df, column, &pw) != ST_OK)    /* checked (Section sec:frm-weights) */
        return e->status;
    for (int i = 0; i < n; i++) {
        r->pw_apart |= keep && r->m[i] > 1;
        r->nzero += pw[i] == 0 && r->m[i] > 0;
        r->m[i] *= pw[i];
    }
    if (keep)
        r->pw = pw;
    else
        free(pw);
    return ST_OK;
}

double glm_response_log_density(const glm_response *r, int i, double mu)
{
    assert(r != NULL);
    assert(i >= 0);
    assert(i < r->n);
    if (r->pw == NULL || !r->pw_apart)
        return glm_fam_log_density(r->fam, r->y[i], mu, r->m[i]);
    if (r->pw[i] == 0)
        return 0.0;
    return r->pw[i] * glm_fam_log_density(r->fam, r->y[i], mu, r->m[i] / r->pw[i]);
}
double glm_fam_linkfun(glm_family f, double mu)
{
    switch (f.link) {
    case GLM_PROBIT: return qnorm(mu, 0, 1, 1, 0);
    case GLM_CLOGLOG: return log(-log(1.0 - mu));
    case GLM_LOG: return log(mu);
    default: return log(mu / (1.0 - mu));
    }
}

double glm_fam_linkinv(glm_family f, double eta)
{
    switch (f.link) {
    case GLM_PROBIT: {
        double thresh = -qnorm(DBL_EPSILON, 0, 1, 1, 0);
        return pnorm(fmin(fmax(eta, -thresh), thresh), 0, 1, 1, 0);
    }
    case GLM_CLOGLOG:
        return fmax(fmin(-expm1(-exp(eta)), 1.0 - DBL_EPSILON), DBL_EPSILON);
    case GLM_LOG: return fmax(exp(eta), DBL_EPSILON);
    default: return glm_linkinv(eta);
    }
}

double glm_fam_mu_eta(glm_family f, double eta)
{
    switch (f.link) {
    case GLM_PROBIT: return fmax(dnorm(eta, 0, 1, 0), DBL_EPSILON);
    case GLM_CLOGLOG: {
        double t = fmin(eta, 700.0);
        return fmax(exp(t) * exp(-exp(t)), DBL_EPSILON);
    }
    case GLM_LOG: return fmax(exp(eta), DBL_EPSILON);
    default: return glm_mu_eta(eta);
    }
}

double glm_fam_variance(glm_family f, double mu)
{
    return f.family == GLM_POISSON ? mu : mu * (1.0 - mu);
}
double glm_fam_dev_resid(glm_family f, double y, double mu, double m)
{
    if (f.family != GLM_POISSON)
        return glm_dev_resid(y, mu, m);
    /* d_i of (eq:glm-poisson) */
    return y > 0 ? 2.0 * m * (y * log(y / mu) - (y - mu)) : 2.0 * m * mu;
}

double glm_fam_log_density(glm_family f, double y, double mu, double m)
{
    if (f.family != GLM_POISSON)
        return glm_log_density(y, mu, m);
    return m * dpois(y, mu, 1);      /* log f of (eq:glm-poisson), log y! included */
}

double glm_fam_saturated(glm_family f, double y, double m)
{
    return -2.0 * glm_fam_log_density(f, y, y, m);
}

double glm_fam_mustart(glm_family f, double y, double m)
{
    return f.family == GLM_POISSON ? y + 0.1 : (m * y + 0.5) / (m + 1.0);
}
const char *glm_family_name(glm_family f)
{
    return f.family == GLM_POISSON ? "poisson" : "binomial";
}

const char *glm_link_name(glm_family f)
{
    static const char *const names[] = { "logit", "probit", "cloglog", "log" };
    return names[f.link];
}

int glm_family_parse(st_error *e, const char *family, const char *link, glm_family *out)
{
    assert(e != NULL);
    assert(out != NULL);
    static const char *const links[] = { "logit", "probit", "cloglog", "log" };
    glm_family f = { GLM_BINOMIAL, GLM_LOGIT };
    if (family != NULL && strcmp(family, "poisson") == 0) {
        f.family = GLM_POISSON;
        f.link = GLM_LOG;
    }
    if (link != NULL)
        for (int k = 0; k < 4; k++)
            if (strcmp(link, links[k]) == 0)
                f.link = (glm_link_kind)k;
    if (f.family == GLM_POISSON && f.link != GLM_LOG)
        return st_fail(e, ST_EINPUT, "link %s: the poisson family takes the log link",
                       link);
    if (f.family == GLM_BINOMIAL && f.link == GLM_LOG)
        return st_fail(e, ST_EINPUT, "link log: the binomial family takes the logit, "
                       "probit or cloglog link (a log link can give probabilities above 1)");
    *out = f;
    return ST_OK;
}
glm_control glm_control_default(void)
{
    return (glm_control){ .epsilon = GLM_EPSILON, .maxit = GLM_MAXIT,
                          .rank_tol = GLM_RANK_TOL, .null_epsilon = GLM_EPSILON * 1e-4,
                          .null_maxit = 100 };
}
int glm_fit(st_error *e, const frm_model *m, const glm_response *resp, double level,
            glm_result **out)
{
    glm_control ctl = glm_control_default();
    return glm_fit_control(e, m, resp, level, &ctl, out);
}

int glm_fit_control(st_error *e, const frm_model *m, const glm_response *resp, double level,
                    const glm_control *ctl, glm_result **out)
{
    assert(e != NULL);
    assert(m != NULL);
    assert(resp != NULL);
    assert(ctl != NULL && ctl->maxit >= 1);
    assert(out != NULL);
    int n = m->n, p = m->p;
    *out = NULL;
    glm_result *r = result_new(e, m, level);
    irls_work W = { 0 };
    if (r == NULL)
        return e->status;
    W.eta = st_alloc(e, (size_t)n, sizeof *W.eta);
    W.mu = st_alloc(e, (size_t)n, sizeof *W.mu);
    W.z = st_alloc(e, (size_t)n, sizeof *W.z);
    W.w = st_alloc(e, (size_t)n, sizeof *W.w);
    W.good = st_alloc(e, (size_t)n, sizeof *W.good);
    W.beta = st_alloc(e, (size_t)p, sizeof *W.beta);
    W.beta_old = st_alloc(e, (size_t)p, sizeof *W.beta_old);
    if (!W.eta || !W.mu || !W.z || !W.w || !W.good || !W.beta || !W.beta_old)
        goto fail;
    for (int i = 0; i < n; i++)
        if (resp->m[i] > 0)
            W.good[W.ng++] = i;
    if (W.ng == 0) {
        st_fail(e, ST_EFIT, "no observation has any trials: nothing to fit");
        goto fail;
    }
    if (ols_workspace_new(e, W.ng, p, NULL, &W.ws) != ST_OK)
        goto fail;
    W.ws->tol = ctl->rank_tol;
    if (irls(e, m, resp, ctl, &W, r) != ST_OK)
        goto fail;
    deviances(m, resp, ctl, &W, r);
    if (covariance(e, &W, p, level, r) != ST_OK)
        goto fail;
    irls_work_free(&W);
    *out = r;
    return ST_OK;
fail:
    irls_work_free(&W);
    glm_free(r);
    return e->status;
}
void glm_free(glm_result *r)
{
    if (r == NULL)
        return;
    if (r->coef_names)
        for (int j = 0; j < r->p; j++)
            free(r->coef_names[j]);
    free(r->coef_names); free(r->formula); free(r->aliased);
    free(r->beta); free(r->se); free(r->statistic); free(r->p_value);
    free(r->conf_low); free(r->conf_high); free(r->vcov);
    free(r->mu); free(r->dev_resid);
    ci_table_free(r->confint);
    free(r);
}
static char *glm_call(const char *formula, const char *data, const char *family)
{
    char *s = rf_deparse_call("glm", formula, data);
    if (s == NULL)
        return NULL;
    char *d = strstr(s, "data = ");
    while (d != NULL && strstr(d + 1, "data = ") != NULL)
        d = strstr(d + 1, "data = ");
    size_t head = d ? (size_t)(d - s) : strlen(s), size = strlen(s) + 64;
    char *t = malloc(size);
    if (t == NULL || d == NULL) {
        free(t);
        return s;
    }
    memcpy(t, s, head);
    t[head] = '\0';
    if (head >= 5 && t[head - 1] == ' ' && t[head - 2] != ',')
        strcat(t, family);
    else {
        const char *last = strrchr(t, '\n');
        size_t col = strlen(last ? last + 1 : t) + strlen(family);
        strcat(t, family);
        if (col > 60)
            strcat(t, "\n    ");
    }
    strcat(t, d);
    free(s);
    return t;
}
static void print_named_gap(FILE *out, const double *x, const char *const *names, int n,
                            int digits, int gap)
{
    rf_text *t = malloc((size_t)(n > 0 ? n : 1) * sizeof *t);
    if (t == NULL)
        return;
    rf_format(t, x, n, digits);
    int w = 0;
    for (int i = 0; i < n; i++) {
        if (rf_width(t[i].s) > w) w = rf_width(t[i].s);
        if (rf_width(names[i]) > w) w = rf_width(names[i]);
    }
    int perline = 80 / (w + gap);
    if (perline < 1)
        perline = 1;
    for (int start = 0; start < n; start += perline) {
        int end = start + perline < n ? start + perline : n;
        for (int i = start; i < end; i++)
            fprintf(out, "%*s%s%*s", w - rf_width(names[i]), "", names[i], gap, "");
        fputc('\n', out);
        for (int i = start; i < end; i++)
            fprintf(out, "%*s%s%*s", w - rf_width(t[i].s), "", t[i].s, gap, "");
        fputc('\n', out);
    }
    free(t);
}

static int print_deviance_residuals(FILE *out, const glm_result *r, int digits)
{
    int n = 0;
    double *d = malloc((size_t)(r->nrow > 0 ? r->nrow : 1) * sizeof *d);
    char **rownames = malloc((size_t)(r->nrow > 0 ? r->nrow : 1) * sizeof *rownames);
    char (*buf)[16] = malloc((size_t)(r->nrow > 0 ? r->nrow : 1) * sizeof *buf);
    if (d == NULL || rownames == NULL || buf == NULL) {
        free(d); free(rownames); free(buf);
        return -1;
    }
    for (int i = 0; i < r->nrow; i++) {
        snprintf(buf[n], sizeof buf[n], "%d", i + 1);
        rownames[n] = buf[n];
        d[n++] = r->dev_resid[i];
    }
    fprintf(out, "Deviance Residuals: \n");
    if (r->df_residual > 5) {
        static const char *const qnames[] = { "Min", "1Q", "Median", "3Q", "Max" };
        double q[5];
        qsort(d, (size_t)n, sizeof *d, st_cmp_double);
        for (int k = 0; k < 5; k++)
            q[k] = st_quantile7(d, n, k / 4.0);
        rf_zapsmall(q, 5, digits + 1);
        print_named_gap(out, q, qnames, 5, digits, 2);
    } else {
        rf_zapsmall(d, n, digits + 1);
        print_named_gap(out, d, (const char *const *)rownames, n, digits, 2);
    }
    free(d); free(rownames); free(buf);
    return 0;
}
static void print_deviances(FILE *out, const glm_result *r, int digits)
{
    double dev[2] = { r->null_deviance, r->deviance };
    double df[2] = { r->df_null, r->df_residual };
    rf_text td[2], tf[2], ta;
    rf_format(td, dev, 2, digits + 1 > 5 ? digits + 1 : 5);
    rf_format(tf, df, 2, 7);
    fprintf(out, "\n(Dispersion parameter for %s family taken to be 1)\n\n",
            glm_family_name(r->fam));
    fprintf(out, "    Null deviance: %s  on %s  degrees of freedom\n", td[0].s, tf[0].s);
    fprintf(out, "Residual deviance: %s  on %s  degrees of freedom\n", td[1].s, tf[1].s);
    if (r->n_dropped > 0)
        fprintf(out, "  (%d observation%s deleted due to missingness)\n", r->n_dropped,
                r->n_dropped > 1 ? "s" : "");
    rf_format(&ta, &r->aic, 1, digits + 1 > 4 ? digits + 1 : 4);
    fprintf(out, "AIC: %s\n\nNumber of Fisher Scoring iterations: %d\n\n", ta.s,
            r->iterations);
}
int glm_warn(FILE *out, const glm_result *r, const char *prog)
{
    assert(out != NULL);
    assert(r != NULL);
    assert(prog != NULL);
    int count = 0;
    if (!r->converged) {
        fprintf(out, "%s: warning: IRLS did not converge in %d iterations; the estimates "
                "are not the maximum-likelihood estimates\n", prog, r->iterations);
        count++;
    }
    if (r->separated && r->fam.family == GLM_POISSON) {
        fprintf(out, "%s: warning: fitted rates numerically 0 occurred: some estimates are "
                "infinite in truth (a level or direction with only zero counts), and the "
                "reported ones and their standard errors are meaningless\n", prog);
        count++;
    } else if (r->separated) {
        fprintf(out, "%s: warning: fitted probabilities numerically 0 or 1 occurred: the "
                "predictors separate the successes from the failures (completely or "
                "quasi-completely), so some estimates are infinite in truth and the "
                "reported ones and their standard errors are meaningless\n", prog);
        count++;
    }
    return count;
}
int glm_print(FILE *out, const glm_result *r, const char *data_name)
{
    assert(out != NULL);
    assert(r != NULL);
    const int digits = 4;
    char family[64];
    if (r->fam.family == GLM_POISSON)
        snprintf(family, sizeof family, "family = poisson, ");
    else if (r->fam.link != GLM_LOGIT)
        snprintf(family, sizeof family, "family = binomial(link = \"%s\"), ",
                 glm_link_name(r->fam));
    else
        snprintf(family, sizeof family, "family = binomial, ");
    char *call = glm_call(r->formula, data_name, family);
    if (call == NULL)
        return -1;
    fprintf(out, "\nCall:\n%s\n\n", call);
    free(call);
    ct_table coefs = glm_coeftab(r);
    if (print_deviance_residuals(out, r, digits) != 0
        || ct_print_coefficients(out, &coefs, digits) != 0)
        return -1;
    print_deviances(out, r, digits);
    return 0;
}
ct_table glm_coeftab(const glm_result *r)
{
    return (ct_table){ .p = r->p, .names = (const char *const *)r->coef_names,
                       .aliased = r->aliased, .estimate = r->beta, .std_error = r->se,
                       .statistic = r->statistic, .dist = CT_Z, .df = NULL, .df_common = NAN,
                       .p_value = r->p_value, .conf_low = r->conf_low,
                       .conf_high = r->conf_high, .level = r->level, .interval = "wald" };
}
void glm_write_json(FILE *out, const glm_result *r)
{
    assert(out != NULL);
    assert(r != NULL);
    js_writer w;
    js_init(&w, out);
    js_object_begin(&w, 0);
    js_model_members(&w, "glm", r->formula, r->n, r->n_dropped);
    ct_table coefs = glm_coeftab(r);
    ct_json(&w, &coefs);
    js_key_number(&w, "log_lik", r->loglik);
    js_key_number(&w, "aic", r->aic);
    js_key_number(&w, "bic", r->bic);
    js_key_bool(&w, "converged", r->converged);
    js_key_number(&w, "deviance", r->deviance);
    js_key_number(&w, "null_deviance", r->null_deviance);
    js_key_integer(&w, "df_residual", r->df_residual);
    js_key_integer(&w, "df_null", r->df_null);
    js_key_integer(&w, "rank", r->rank);
    js_key_integer(&w, "iterations", r->iterations);
    js_key_string(&w, "family", glm_family_name(r->fam));
    js_key_string(&w, "link", glm_link_name(r->fam));
    if (r->confint != NULL)
        ci_json(&w, r->confint);
    js_object_end(&w);
    fputc('\n', out);
}
