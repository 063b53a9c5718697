#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nlopt.h>
#include "glmm.h"
#include "jsonr.h"
#include "testing.h"
#include "testalloc.h"       /* replaces malloc: tst_check_allocations */

static int close_to(double got, double want, double tol)
{
    return fabs(got - want) <= tol * fmax(fabs(want), 1e-300) || got == want;
}

typedef struct test_model {
    df_frame *df;
    frm_formula *f;
    frm_model *m;
    glm_response resp;
} test_model;

static int load(st_error *e, const char *formula, const char *data, test_model *t)
{
    memset(t, 0, sizeof *t);
    int status = df_read(e, data, &t->df);
    if (status == ST_OK) status = frm_parse(e, formula, &t->f);
    if (status == ST_OK) status = frm_model_frame(e, t->f, t->df, FRM_BINOMIAL, &t->m);
    if (status == ST_OK) status = glm_response_make(e, t->m, t->df, &t->resp);
    return status;
}

static void unload(test_model *t)
{
    glm_response_free(&t->resp);
    frm_model_free(t->m);
    frm_free(t->f);
    df_free(t->df);
}
static void test_gauss_hermite(void)
{
    st_error e = { 0 };
    double z[GLMM_MAX_NAGQ], w[GLMM_MAX_NAGQ];
    tst_check(glmm_gauss_hermite(&e, 1, z, w) == ST_OK && z[0] == 0 && close_to(w[0], 1, 1e-15),
              "Gauss-Hermite, 1 node: 0 with weight 1");
    glmm_gauss_hermite(&e, 3, z, w);
    tst_check(close_to(z[0], -sqrt(3), 1e-14) && fabs(z[1]) < 1e-15
              && close_to(z[2], sqrt(3), 1e-14)
              && close_to(w[0], 1.0 / 6, 1e-14) && close_to(w[1], 2.0 / 3, 1e-14),
              "Gauss-Hermite, 3 nodes: 0 and +-sqrt(3), weights 2/3 and 1/6");
    glmm_gauss_hermite(&e, 5, z, w);
    tst_check(close_to(z[3], 1.3556261799742659, 1e-14) && close_to(z[4], 2.8569700138728056, 1e-14)
              && close_to(w[2], 0.53333333333333333, 1e-14)
              && close_to(w[3], 0.22207592200561263, 1e-13)
              && close_to(w[4], 0.011257411327720689, 1e-12),
              "Gauss-Hermite, 5 nodes: lme4's GHrule(5)");
    for (int k = 10; k <= 25; k += 15) {
        glmm_gauss_hermite(&e, k, z, w);
        double worst = 0, dfact = 1;
        for (int j = 0; 2 * j <= 2 * k - 1; j++) {
            double s = 0;
            for (int i = 0; i < k; i++)
                s += w[i] * pow(z[i], 2 * j);
            worst = fmax(worst, fabs(s / dfact - 1));
            dfact *= 2 * j + 1;
        }
        tst_check(worst < 1e-11, "Gauss-Hermite, %d nodes: the even moments of the normal up "
                  "to degree %d (%.2g)", k, 2 * k - 2, worst);
    }
    glmm_gauss_hermite(&e, GLMM_MAX_NAGQ, z, w);
    double s = 0;
    for (int i = 0; i < GLMM_MAX_NAGQ; i++)
        s += w[i];
    tst_check(close_to(s, 1, 1e-13), "Gauss-Hermite, %d nodes: the weights sum to 1",
              GLMM_MAX_NAGQ);
    tst_check(glmm_gauss_hermite(&e, 0, z, w) == ST_EINPUT
              && glmm_gauss_hermite(&e, GLMM_MAX_NAGQ + 1, z, w) == ST_EINPUT,
              "Gauss-Hermite: 0 and %d nodes are refused", GLMM_MAX_NAGQ + 1);
}
static void test_deviance(void)
{
    const char *formula = "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)";
    struct { const char *file; int nagq; } ref[] = {
        { "tests/reference/glmm/cbpp_laplace.json", 1 },
        { "tests/reference/glmm/cbpp_agq25.json", 25 } };
    st_error e = { 0 };
    test_model t;
    if (!tst_check(load(&e, formula, "cbpp", &t) == ST_OK, "load cbpp (%s)", e.msg)) {
        unload(&t);
        return;
    }
    for (size_t k = 0; k < sizeof ref / sizeof ref[0]; k++) {
        jr_value *v = NULL;
        double theta[1], beta[4], want = NAN, got = NAN;
        int ok = jr_read(&e, ref[k].file, &v) == ST_OK;
        ok = ok && jr_number(jr_at(jr_get(v, "theta"), 0), &theta[0])
             && jr_number(jr_get(v, "deviance"), &want);
        for (int j = 0; ok && j < 4; j++)
            ok = jr_number(jr_get(jr_at(jr_get(v, "coefficients"), (size_t)j), "estimate"),
                           &beta[j]);
        ok = ok && glmm_evaluate(&e, t.m, &t.resp, ref[k].nagq, theta, beta, &got) == ST_OK;
        tst_check(ok && fabs(got - want) < 1e-9, "cbpp, %d node%s: the deviance at R's optimum is "
                  "R's (%.12f, R %.12f)", ref[k].nagq, ref[k].nagq > 1 ? "s" : "", got, want);
        jr_free(v);
    }
    unload(&t);
}
static int print_summary(FILE *out, const void *r)
{
    return glmm_print(out, r, "cbpp");
}

static void test_fit(void)
{
    st_error e = { 0 };
    test_model t;
    glmm_result *r = NULL;
    glmm_options opt = { 1, 0.95, NULL };
    int status = load(&e, "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)",
                      "cbpp", &t);
    if (status == ST_OK)
        status = glmm_fit(&e, t.m, &t.resp, &opt, &r);
    if (tst_check(status == ST_OK && r->converged && !r->singular && r->vcov_from_hessian,
                  "cbpp: the fit converges, with standard errors from the Hessian (%s)", e.msg)) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        glmm_print(f, r, "cbpp");
        fclose(f);
        tst_check(strstr(buf, "Generalized linear mixed model fit by maximum likelihood (Laplace\n"
                              "  Approximation) [glmerMod]\n Family: binomial  ( logit )\n") == buf
                  && strstr(buf, "\nNumber of obs: 56, groups:  herd, 15\n") != NULL
                  && strstr(buf, "\n     AIC      BIC   logLik deviance df.resid \n") != NULL,
                  "cbpp: the summary has lme4's heading, table of criteria and groups");
        free(buf);
        tst_check_allocations("glmm_print of cbpp", print_summary, r);
    }
    glmm_free(r);
    unload(&t);
    struct { const char *formula; const char *message; } bad[] = {
        { "y ~ x + (1 | g) + (0 + x | g)", "nagq 5: adaptive Gauss-Hermite quadrature needs a single "
          "scalar random-effects term such as (1 | g), and the formula has 2 terms" },
        { "y ~ x + (x | g)", "nagq 5: adaptive Gauss-Hermite quadrature needs a single scalar "
          "random-effects term such as (1 | g), and the term for \"g\" has 2 columns" },
        { "y ~ x", "formula y ~ x has no random-effects term such as (1 | g) (for a regression "
          "without random effects use glm_fit)" } };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        r = NULL;
        e.msg[0] = '\0';
        opt.nagq = 5;
        status = load(&e, bad[k].formula, "tests/data/glmm/slope.csv", &t);
        if (status == ST_OK)
            status = glmm_fit(&e, t.m, &t.resp, &opt, &r);
        tst_check(status == ST_EINPUT && strcmp(e.msg, bad[k].message) == 0, "refused: %s", e.msg);
        glmm_free(r);
        unload(&t);
    }
}
static void test_control(void)
{
    st_error e = { 0 };
    test_model t;
    glmm_result *r[4] = { NULL, NULL, NULL, NULL };
    glmm_options opt = { 1, 0.95, NULL };
    glmm_control c[3] = { glmm_control_default(), glmm_control_default(),
                          glmm_control_default() };
    c[0].stage2.ftol_abs = 1e-2;
    c[0].stage2.xtol_rel = 1e-2;
    c[1].pirls_maxit = 1;
    c[2].stage2.maxeval = 1;
    int status = load(&e, "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)",
                      "cbpp", &t);
    if (status == ST_OK)
        status = glmm_fit(&e, t.m, &t.resp, &opt, &r[0]);
    for (int k = 0; k < 3 && status == ST_OK; k++)
        status = glmm_fit_control(&e, t.m, &t.resp, &opt, &c[k], &r[k + 1]);
    glmm_control d = glmm_control_default();
    int used = status == ST_OK && r[0]->control.stage2.ftol_abs == d.stage2.ftol_abs
               && r[0]->control.stage2.xtol_rel == d.stage2.xtol_rel
               && r[0]->control.pirls_maxit == d.pirls_maxit
               && r[1]->control.stage2.ftol_abs == c[0].stage2.ftol_abs
               && r[1]->control.stage2.xtol_rel == c[0].stage2.xtol_rel
               && r[1]->evaluations[1] < r[0]->evaluations[1]
               && r[1]->deviance >= r[0]->deviance
               && memcmp(r[0]->beta, r[1]->beta, (size_t)r[0]->p * sizeof *r[0]->beta) != 0;
    tst_check(used, "cbpp: a loose stage 2 stops sooner (%ld < %ld evaluations), no lower, "
              "and each fit keeps its control (%s)", status == ST_OK ? r[1]->evaluations[1] : -1,
              status == ST_OK ? r[0]->evaluations[1] : -1, e.msg);
    tst_check(status == ST_OK && r[2]->pirls_failures > 0 && !r[2]->converged,
              "cbpp: PIRLS limited to one step fails (%d failures)",
              status == ST_OK ? r[2]->pirls_failures : -1);
    tst_check(status == ST_OK && r[3]->nlopt_status[1] == NLOPT_MAXEVAL_REACHED
              && !r[3]->converged && r[3]->evaluations[1] == r[3]->npar,
              "cbpp: stage 2 limited to one evaluation per parameter stops at the limit");
    for (int k = 0; k < 4; k++)
        glmm_free(r[k]);
    unload(&t);
}

int main(void)
{
    tst_plan(19);
    test_gauss_hermite();
    test_deviance();
    test_fit();
    test_control();
    return tst_done();
}
