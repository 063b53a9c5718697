#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glm.h"
#include "testing.h"

typedef struct test_fit {
    df_frame *df;
    frm_formula *f;
    frm_model *m;
    glm_response resp;
    glm_result *r;
} test_fit;

static int load_fit(st_error *e, const char *formula, const char *csv, test_fit *t)
{
    memset(t, 0, sizeof *t);
    size_t len = strlen(csv);
    char *buf = malloc(len + 1);
    if (buf == NULL)
        return ST_EFIT;
    memcpy(buf, csv, len + 1);
    int status = df_parse(e, "t.csv", buf, len, &t->df);
    free(buf);
    if (status == ST_OK) status = frm_parse(e, formula, &t->f);
    if (status == ST_OK) status = frm_model_frame(e, t->f, t->df, FRM_BINOMIAL, &t->m);
    if (status == ST_OK) status = glm_response_make(e, t->m, t->df, &t->resp);
    if (status == ST_OK) status = glm_fit(e, t->m, &t->resp, 0.95, &t->r);
    return status;
}

static void free_fit(test_fit *t)
{
    glm_free(t->r);
    if (t->resp.y != NULL)
        glm_response_free(&t->resp);
    frm_model_free(t->m);
    frm_free(t->f);
    df_free(t->df);
}

static int close_to(double got, double want, double tol)
{
    return fabs(got - want) <= tol * fmax(fabs(want), 1e-300) || got == want;
}
static void test_family(void)
{
    tst_check(glm_linkinv(0) == 0.5, "glm_linkinv(0) is 1/2");
    tst_check(glm_linkinv(-40) == DBL_EPSILON / (1 + DBL_EPSILON)
              && glm_linkinv(40) == (1 / DBL_EPSILON) / (1 + 1 / DBL_EPSILON),
              "glm_linkinv clamps beyond |eta| = 30 as R does");
    tst_check(glm_mu_eta(31) == DBL_EPSILON
              && close_to(glm_mu_eta(1), exp(1) / pow(1 + exp(1), 2), 1e-15),
              "glm_mu_eta is e^eta / (1 + e^eta)^2, clamped beyond 30");
    tst_check(close_to(glm_dev_resid(1, 0.25, 1), -2 * log(0.25), 1e-15)
              && close_to(glm_dev_resid(0, 0.25, 1), -2 * log(0.75), 1e-15),
              "the deviance of a binary observation is -2 log of its probability");
    tst_check(glm_saturated(1, 1) == 0 && glm_saturated(0, 1) == 0,
              "the saturated term of a binary observation is 0");
    double c = -2 * log(10 * 0.4 * 0.4 * 0.6 * 0.6 * 0.6);
    tst_check(close_to(glm_saturated(0.4, 5), c, 1e-14),
              "the saturated term of 2 successes in 5 trials is -2 log(10 0.4^2 0.6^3)");
    tst_check(close_to(glm_log_density(0.4, 0.3, 5), log(10 * 0.09 * 0.343), 1e-14),
              "glm_log_density includes the binomial coefficient");
}
static void test_closed_form(void)
{
    st_error e = { 0 };
    test_fit t;
    const char *csv = "y,x\n1,0\n0,0\n0,0\n0,0\n1,1\n1,1\n0,1\n1,1\n1,1\n0,1\n";
    if (!tst_check(load_fit(&e, "y ~ x", csv, &t) == ST_OK, "fit y ~ x (%s)", e.msg)) {
        free_fit(&t);
        return;
    }
    const glm_result *r = t.r;
    double b0 = log(0.25 / 0.75), b1 = log(2.0) - b0;
    double s0 = sqrt(1 / (4 * 0.25 * 0.75)), s1 = sqrt(s0 * s0 + 1 / (6 * (2.0 / 3) * (1.0 / 3)));
    tst_check(close_to(r->beta[0], b0, 1e-9) && close_to(r->beta[1], b1, 1e-9),
              "a binary predictor: the estimates are the logits (%.12g, %.12g)", r->beta[0],
              r->beta[1]);
    tst_check(close_to(r->se[0], s0, 1e-5) && close_to(r->se[1], s1, 1e-5),
              "a binary predictor: the standard errors are sqrt(1/(n p (1-p))) (%.3g, %.3g)",
              r->se[0] / s0 - 1, r->se[1] / s1 - 1);
    tst_check(r->converged && r->df_residual == 8 && r->df_null == 9 && r->rank == 2,
              "a binary predictor: converged, with 8 and 9 degrees of freedom");
    free_fit(&t);
}
static void test_score(void)
{
    st_error e = { 0 };
    test_fit t;
    memset(&t, 0, sizeof t);
    int status = df_read(&e, "cbpp", &t.df);
    if (status == ST_OK)
        status = frm_parse(&e, "cbind(incidence, size - incidence) ~ factor(period)", &t.f);
    if (status == ST_OK) status = frm_model_frame(&e, t.f, t.df, FRM_BINOMIAL, &t.m);
    if (status == ST_OK) status = glm_response_make(&e, t.m, t.df, &t.resp);
    if (status == ST_OK) status = glm_fit(&e, t.m, &t.resp, 0.95, &t.r);
    if (!tst_check(status == ST_OK, "fit cbpp (%s)", e.msg)) {
        free_fit(&t);
        return;
    }
    double worst = 0;
    for (int j = 0; j < t.m->p; j++) {
        double s = 0, size = 0;
        for (int i = 0; i < t.m->n; i++) {
            double k = t.resp.m[i] * t.resp.y[i], mmu = t.resp.m[i] * t.r->mu[i];
            s += t.m->X[i + (size_t)j * t.m->n] * (k - mmu);
            size += fabs(t.m->X[i + (size_t)j * t.m->n]) * k;
        }
        worst = fmax(worst, fabs(s) / size);
    }
    tst_check(worst < 1e-9, "cbpp: the score X'(k - m mu) is zero at the estimate (%.2g)", worst);
    int down = 1;
    for (int k = 2; k <= t.r->iterations; k++)
        down &= t.r->trace[k] <= t.r->trace[k - 1] * (1 + 1e-14);
    tst_check(t.r->iterations == 5 && down, "cbpp: five steps of IRLS, as R, each after the "
              "first lowering the deviance (%d)", t.r->iterations);
    free_fit(&t);
}
static void test_problems(void)
{
    st_error e = { 0 };
    test_fit t;
    int status = load_fit(&e, "y ~ x", "y,x\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n", &t);
    tst_check(status == ST_OK && t.r->separated, "separated data: fitted, and flagged");
    if (status == ST_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        int n = glm_warn(f, t.r, "glmm");
        fclose(f);
        tst_check(n == 1 && strstr(buf, "glmm: warning: fitted probabilities numerically 0 or 1")
                  == buf, "separated data: one warning");
        free(buf);
    }
    free_fit(&t);
    status = load_fit(&e, "y ~ x + z", "y,x,z\n0,1,2\n1,2,4\n0,3,6\n1,4,8\n1,5,10\n0,6,12\n", &t);
    tst_check(status == ST_OK && t.r->rank == 2 && t.r->aliased[2] && isnan(t.r->beta[2])
              && !t.r->aliased[1], "z = 2x: z is aliased, x is not");
    free_fit(&t);
    struct { const char *formula, *csv, *message; int status; } bad[] = {
        { "y ~ x", "y,x\n0,1\n2,2\n1,3\n", "t.csv:3: response y is 2; a binary response must "
          "be 0 or 1 (for successes out of trials, write cbind(successes, failures); for "
          "counts with no upper limit, fit the Poisson family)", ST_EINPUT },
        { "cbind(s, n - s) ~ x", "s,n,x\n1,3,1\n4,3,2\n", "t.csv:3: response cbind(s, n - s): "
          "the failures count is -1; counts must be whole numbers, 0 or more", ST_EINPUT },
        { "cbind(s, f) ~ x", "s,f,x\n1.5,3,1\n2,3,2\n", "t.csv:2: response cbind(s, f): the "
          "successes count is 1.5; counts must be whole numbers, 0 or more", ST_EINPUT },
        { "y ~ x", "y,x\n0,1\n0,2\n0,3\n", "the response y has no successes: every observation "
          "is a failure, and a logistic model cannot be fitted", ST_EFIT } };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        e.msg[0] = '\0';
        status = load_fit(&e, bad[k].formula, bad[k].csv, &t);
        tst_check(status == bad[k].status && strcmp(e.msg, bad[k].message) == 0
                  && (e.advice != NULL) == (k == 0)
                  && (k > 0 || strcmp(e.advice, "family=poisson") == 0),
                  "refused: %s (advice %s)", bad[k].message, e.advice ? e.advice : "none");
        free_fit(&t);
    }
}
static void test_control(void)
{
    st_error e = { 0 };
    test_fit t;
    glm_control def = glm_control_default(), one = def;
    one.maxit = 1;
    tst_check(def.epsilon == 1e-8 && def.maxit == 25 && def.rank_tol == 1e-11,
              "glm_control_default: R's glm.control(epsilon = 1e-8, maxit = 25), "
              "glm.fit's rank tolerance 1e-11");
    const char *csv = "y,x\n1,0\n0,0\n0,0\n0,0\n1,1\n1,1\n0,1\n1,1\n1,1\n0,1\n";
    if (!tst_check(load_fit(&e, "y ~ x", csv, &t) == ST_OK, "fit y ~ x (%s)", e.msg)) {
        free_fit(&t);
        return;
    }
    glm_result *a = NULL, *b = NULL;
    int sa = glm_fit_control(&e, t.m, &t.resp, 0.95, &def, &a);
    int sb = glm_fit_control(&e, t.m, &t.resp, 0.95, &one, &b);
    tst_check(sa == ST_OK && a->iterations == t.r->iterations && a->beta[0] == t.r->beta[0]
              && a->beta[1] == t.r->beta[1] && a->deviance == t.r->deviance,
              "glm_fit_control with the defaults is glm_fit");
    tst_check(sb == ST_OK && b->iterations == 1 && !b->converged,
              "glm_fit_control with maxit = 1: one step, not converged");
    char warning[512] = "";
    FILE *f = fmemopen(warning, sizeof warning, "w");
    if (f != NULL) {
        if (sb == ST_OK)
            glm_warn(f, b, "glm");
        fclose(f);
    }
    tst_check(strstr(warning, "did not converge in 1 iterations;") != NULL,
              "glm_warn gives the control's limit of steps: %s", warning);
    glm_free(a);
    glm_free(b);
    free_fit(&t);
}

int main(void)
{
    tst_plan(26);
    test_control();
    test_family();
    test_closed_form();
    test_score();
    test_problems();
    return tst_done();
}
