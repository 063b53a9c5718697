#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "data.h"
#include "formula.h"
#include "nist.h"
#include "ols.h"
#include "testing.h"
#include "testalloc.h"       /* replaces malloc: tst_check_allocations */

static int close_to(double got, double want, double tol)
{
    return fabs(got - want) <= tol * fabs(want) || (got == want);
}

static ols_result *fit(int n, int p, const double *X, const double *y, int intercept)
{
    st_error e = { 0 };
    ols_workspace *w = NULL;
    ols_result *r = NULL;
    if (ols_workspace_new(&e, n, p, NULL, &w) == ST_OK)
        ols_fit(&e, w, X, y, intercept, 0.95, &r);
    if (r == NULL)
        printf("# fit failed: %s\n", e.msg);
    ols_workspace_free(w);
    return r;
}
static int print_summary(FILE *out, const void *fit_labels)
{
    const void *const *pair = fit_labels;
    return ols_print_summary(out, pair[0], pair[1]);
}
static void test_nist(void)
{
    for (int s = 0; s < NIST_SETS; s++) {
        const nist_set *t = &nist_sets[s];
        nist_digits d;
        if (nist_measure(t, &d) != ST_OK) {
            tst_check(0, "nist_strd_accuracy: %s: the data, the model or the reference values "
                      "could not be read", t->name);
            continue;
        }
        if (t->floor_coef == 0) {
            tst_check(d.aliased >= 0 && d.aliased == d.r_aliased, "nist_strd_accuracy: %s: "
                      "column %d dropped as aliased, as R drops column %d", t->name,
                      d.aliased, d.r_aliased);
            continue;
        }
        tst_check(d.aliased < 0 && d.coef[1] >= t->floor_coef && d.coef[1] >= d.coef[2] - 0.05,
                  "nist_strd_accuracy: %s: coefficients to %.1f digits (floor %.1f; R %.1f; "
                  "%.1f without refinement)", t->name, d.coef[1], t->floor_coef, d.coef[2],
                  d.coef[0]);
        tst_check(d.se[1] >= t->floor_se, "nist_strd_accuracy: %s: standard errors to %.1f "
                  "digits (floor %.1f; R %.1f; %.1f without refinement)", t->name, d.se[1],
                  t->floor_se, d.se[2], d.se[0]);
    }
}
static void test_simple(void)
{
    double X[14], y[7] = { 1, 2, 4, 3, 5, 7, 8 };
    for (int i = 0; i < 7; i++) {
        X[i] = 1;
        X[7 + i] = i + 1;
    }
    ols_result *r = fit(7, 2, X, y, 1);
    if (r == NULL) {
        tst_check(0, "simple regression fits");
        return;
    }
    const double tol = 1e-13;
    tst_check(close_to(r->beta[0], -0.28571428571428475, tol)
              && close_to(r->beta[1], 1.1428571428571428, tol), "coefficients as lm()");
    tst_check(close_to(r->se[0], 0.63887656499993961, tol)
              && close_to(r->se[1], 0.14285714285714282, tol), "standard errors as summary()");
    tst_check(close_to(r->p_value[0], 0.67342843553755483, tol)
              && close_to(r->p_value[1], 0.00049290666057244374, tol), "p-values as summary()");
    tst_check(close_to(r->sigma, 0.7559289460184544, tol)
              && close_to(r->r_squared, 0.92753623188405809, tol)
              && close_to(r->adj_r_squared, 0.91304347826086973, tol)
              && close_to(r->f_statistic, 64, tol) && r->f_df_num == 1 && r->f_df_den == 5,
              "sigma, R-squared, adjusted R-squared and F as summary()");
    tst_check(close_to(r->log_lik, -6.7962616464844841, tol)
              && close_to(r->aic, 19.59252329296897, tol)
              && close_to(r->bic, 19.430253740134908, tol), "logLik, AIC, BIC");
    tst_check(close_to(r->conf_low[0], -1.9279987789168518, tol)
              && close_to(r->conf_low[1], 0.7756311663376696, tol)
              && close_to(r->conf_high[0], 1.3565702074882824, tol)
              && close_to(r->conf_high[1], 1.510083119376616, tol), "confint()");
    double dot = 0;
    for (int i = 0; i < 7; i++)
        dot += r->resid[i] * X[7 + i];
    tst_check(fabs(dot) < 1e-13, "residuals are orthogonal to x (%g)", dot);
    ols_result_free(r);
}
static void check_rank(const char *what, int n, int p, const double *X, const double *y,
                       const int *want_pivot, int want_rank, const double *want_coef)
{
    st_error e = { 0 };
    ols_workspace *w = NULL;
    double coef[8];
    int ok = ols_workspace_new(&e, n, p, NULL, &w) == ST_OK
             && ols_decompose(&e, w, X, n) == ST_OK && ols_solve(&e, w, y, coef, NULL) == ST_OK;
    ok = ok && w->rank == want_rank;
    for (int j = 0; ok && j < p; j++)
        ok = w->pivot[j] == want_pivot[j] - 1;
    tst_check(ok, "%s: rank %d and pivot as R's (got rank %d)", what, want_rank,
              w ? w->rank : -1);
    if (want_coef != NULL) {
        int cok = 1;
        for (int j = 0; j < p; j++)
            cok &= isnan(want_coef[j]) ? isnan(coef[j]) : close_to(coef[j], want_coef[j], 1e-12);
        tst_check(cok, "%s: coefficients as R's, NA where R has NA", what);
    }
    ols_workspace_free(w);
}
static void test_rank(void)
{
    const double x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, z[8] = { 2, 1, 4, 3, 6, 5, 8, 9 };
    const double v[8] = { 1, 0, 0, 1, 1, 0, 1, 0 }, y[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };
    double X[8 * 5];
    for (int i = 0; i < 8; i++) {
        X[i] = 1; X[8 + i] = x[i]; X[16 + i] = z[i]; X[24 + i] = x[i] + z[i]; X[32 + i] = v[i];
    }
    check_rank("X = [1, x, z, x + z, v]", 8, 5, X, y, (const int[]){ 1, 2, 3, 5, 4 }, 4,
               (const double[]){ 2.7893081761006311, 0.1981132075471698, 0.26729559748427639,
                                 NAN, -2.1509433962264155 });
    {
        st_error e = { 0 };
        ols_workspace *w1 = NULL, *w2 = NULL, *w3 = NULL;
        double *Xc = malloc(sizeof X), c1[5], c2[5], c3[5], r1[8], r3[8], y2[8];
        memcpy(Xc, X, sizeof X);
        for (int i = 0; i < 8; i++)
            y2[i] = y[7 - i];
        int ok = ols_workspace_new(&e, 8, 5, NULL, &w1) == ST_OK
                 && ols_workspace_new(&e, 8, 5, Xc, &w2) == ST_OK
                 && ols_decompose(&e, w1, X, 8) == ST_OK && ols_decompose(&e, w2, Xc, 8) == ST_OK
                 && ols_solve(&e, w1, y, c1, r1) == ST_OK && ols_solve(&e, w2, y, c2, NULL) == ST_OK
                 && ols_workspace_copy(&e, w1, &w3) == ST_OK
                 && ols_solve(&e, w3, y2, c3, r3) == ST_OK;
        int same = ok;
        for (int j = 0; ok && j < 5; j++)
            same &= (isnan(c1[j]) && isnan(c2[j])) || c1[j] == c2[j];
        tst_check(same, "factoring in place gives the same coefficients as copying");
        double dot = 0;
        for (int i = 0; ok && i < 8; i++)
            dot += r3[i] * X[32 + i];
        tst_check(ok && fabs(dot) < 1e-13 && !isnan(c3[0]) && isnan(c3[3]),
                  "a second response solved with a copied decomposition");
        ols_workspace_free(w1);
        ols_workspace_free(w2);
        ols_workspace_free(w3);
        free(Xc);
    }
    for (int i = 0; i < 8; i++) {
        X[i] = 1; X[8 + i] = x[i]; X[16 + i] = 0; X[24 + i] = z[i];
    }
    check_rank("X = [1, x, 0, z]", 8, 4, X, y, (const int[]){ 1, 2, 4, 3 }, 3,
               (const double[]){ 1.460784313725493, 0.58823529411764686, NAN,
                                 -0.049019607843137483 });
    for (int i = 0; i < 3; i++) {
        X[i] = 1; X[3 + i] = x[i]; X[6 + i] = z[i]; X[9 + i] = v[i]; X[12 + i] = x[i] * z[i];
    }
    check_rank("3 rows, 5 columns", 3, 5, X, y, (const int[]){ 1, 2, 3, 4, 5 }, 3,
               (const double[]){ 1.2499999999999989, -0.74999999999999956, 1.25, NAN, NAN });
    for (double d = 1e-8; d < 2e-6; d *= 100) {
        double len = sqrt(204.0 / 8);
        for (int i = 0; i < 8; i++) {
            X[i] = 1; X[8 + i] = x[i]; X[16 + i] = x[i] + d * (i % 2 ? -1 : 1) * len;
        }
        char what[64];
        snprintf(what, sizeof what, "x and x + %g of its length", d);
        check_rank(what, 8, 3, X, y, (const int[]){ 1, 2, 3 }, d < 1e-7 ? 2 : 3, NULL);
    }
}
static void test_saturated(void)
{
    const double X[4] = { 1, 1, 1, 2 }, y[2] = { 1, 2 };
    ols_result *r = fit(2, 2, X, y, 1);
    tst_check(r && r->df_residual == 0 && r->resid[0] == 0 && r->resid[1] == 0
              && close_to(r->beta[1], 1, 1e-14) && isnan(r->se[0]) && isnan(r->p_value[1])
              && isnan(r->sigma) && r->r_squared == 1 && isnan(r->adj_r_squared)
              && isnan(r->f_statistic) && isnan(r->conf_low[0]),
              "no residual degrees of freedom: fits, with NaN standard errors as R");
    ols_result_free(r);
}
static void test_summary(void)
{
    double X[14], y[7] = { 1, 3, 4, 3, 5, 7, 8 };
    for (int i = 0; i < 7; i++) {
        X[i] = 1;
        X[7 + i] = i + 1;
    }
    ols_result *r = fit(7, 2, X, y, 1);
    const char *terms[] = { "(Intercept)", "x" };
    ols_labels l = { "y~x", "d", terms, NULL, 0 };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (r != NULL) {
        ols_print_summary(f, r, &l);
        ols_print_confint(f, r, &l);
    }
    fclose(f);
    const char *want =
        "\nCall:\nlm(formula = y ~ x, data = d)\n\n"
        "Residuals:\n"
        "      1       2       3       4       5       6       7 \n"
        "-0.2143  0.7143  0.6429 -1.4286 -0.5000  0.4286  0.3571 \n\n"
        "Coefficients:\n"
        "            Estimate Std. Error t value Pr(>|t|)   \n"
        "(Intercept)   0.1429     0.7143   0.200  0.84936   \n"
        "x             1.0714     0.1597   6.708  0.00111 **\n"
        "---\n"
        "Signif. codes:  0 \xe2\x80\x98***\xe2\x80\x99 0.001 \xe2\x80\x98**\xe2\x80\x99 0.01 "
        "\xe2\x80\x98*\xe2\x80\x99 0.05 \xe2\x80\x98.\xe2\x80\x99 0.1 "
        "\xe2\x80\x98 \xe2\x80\x99 1\n\n"
        "Residual standard error: 0.8452 on 5 degrees of freedom\n"
        "Multiple R-squared:    0.9,\tAdjusted R-squared:   0.88 \n"
        "F-statistic:    45 on 1 and 5 DF,  p-value: 0.001114\n\n"
        "                 2.5 %   97.5 %\n"
        "(Intercept) -1.6932727 1.978987\n"
        "x            0.6608574 1.482000\n";
    int ok = buf && strcmp(buf, want) == 0;
    tst_check(ok, "summary and confint print as R's%s%s", ok ? "" : ", got:\n",
              ok || buf == NULL ? "" : buf);
    free(buf);
    const void *fit_labels[2] = { r, &l };
    if (r != NULL)
        tst_check_allocations("ols_print_summary", print_summary, fit_labels);
    ols_result_free(r);
}
static void test_control(void)
{
    st_error e = { 0 };
    ols_control def = ols_control_default(), fine = { .tol = 1e-12 };
    double X[15];
    int rank[2] = { -1, -1 };
    for (int i = 0; i < 5; i++) {
        X[i] = 1;
        X[5 + i] = i + 1;
        X[10 + i] = X[5 + i] + 1e-8 * (i == 0 ? 7 : i == 1 ? -7 : 0);
    }
    tst_check(def.tol == 1e-7, "ols_control_default: R's lm.fit tol = 1e-07 (%g)", def.tol);
    for (int k = 0; k < 2; k++) {
        ols_workspace *w = NULL;
        if (ols_workspace_new(&e, 5, 3, NULL, &w) == ST_OK) {
            if (k == 1)
                ols_workspace_control(w, &fine);
            if (ols_decompose(&e, w, X, 5) == ST_OK)
                rank[k] = w->rank;
        }
        ols_workspace_free(w);
    }
    tst_check(rank[0] == 2, "a column 1e-8 from the span of the others is dropped under the "
              "default tolerance (rank %d)", rank[0]);
    tst_check(rank[1] == 3, "and kept under tol = 1e-12 (rank %d)", rank[1]);
}

int main(void)
{
    tst_plan(44);
    test_control();
    test_simple();
    test_rank();
    test_saturated();
    test_summary();
    test_nist();
    return tst_done();
}
