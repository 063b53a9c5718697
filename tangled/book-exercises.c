#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "data.h"
#include "formula.h"
#include "glm.h"
#include "glmm.h"
#include "lmm.h"
#include "ols.h"
#include "jsonr.h"
#include "bookfit.h"

typedef book_fit ex_fit;

static int fit_ols(const char *formula, const char *data, ex_fit *b)
{
    return book_ols_fit("book-exercises", formula, data, b);
}

static void free_ols(ex_fit *b)
{
    book_fit_free(b);
}

static int coef_index(const frm_model *m, const char *name)
{
    for (int j = 0; j < m->p; j++)
        if (strcmp(m->colnames[j], name) == 0)
            return j;
    fprintf(stderr, "book-exercises: no coefficient %s\n", name);
    return -1;
}
static int regression_numbers(void)
{
    ex_fit raw, adj, big, small;
    if (fit_ols("mpg ~ factor(cyl)", "mtcars", &raw) != ST_OK)
        return 1;
    if (fit_ols("mpg ~ wt + factor(cyl)", "mtcars", &adj) != ST_OK)
        return free_ols(&raw), 1;
    int j = coef_index(raw.m, "factor(cyl)8"), k = coef_index(adj.m, "factor(cyl)8");
    if (j < 0 || k < 0)
        return free_ols(&raw), free_ols(&adj), 1;
    printf("\\newcommand{\\exRawCylEight}{%.2f}\n", raw.r->beta[j]);
    printf("\\newcommand{\\exAdjCylEight}{%.2f}\n", adj.r->beta[k]);
    printf("\\newcommand{\\exWtSlope}{%.2f}\n", adj.r->beta[coef_index(adj.m, "wt")]);
    free_ols(&raw);
    free_ols(&adj);
    if (fit_ols("mpg ~ wt + hp", "mtcars", &big) != ST_OK)
        return 1;
    if (fit_ols("mpg ~ wt", "mtcars", &small) != ST_OK)
        return free_ols(&big), 1;
    int h = coef_index(big.m, "hp");
    double F = (small.r->rss - big.r->rss) / (big.r->rss / big.r->df_residual);
    printf("\\newcommand{\\exRssWt}{%.4f}\n", small.r->rss);
    printf("\\newcommand{\\exRssWtHp}{%.4f}\n", big.r->rss);
    printf("\\newcommand{\\exFHp}{%.6f}\n", F);
    printf("\\newcommand{\\exTHpSquared}{%.6f}\n", big.r->statistic[h] * big.r->statistic[h]);
    printf("\\newcommand{\\exFHpP}{%.6f}\n", pf(F, 1, big.r->df_residual, 0, 0));
    printf("\\newcommand{\\exTHpP}{%.6f}\n", big.r->p_value[h]);
    free_ols(&big);
    free_ols(&small);
    return 0;
}
static int bootstrap_numbers(void)
{
    double alpha = 0.05, u = alpha / 2, phi = dnorm(qnorm(u, 0, 1, 1, 0), 0, 1, 0);
    double B = u * (1 - u) / (0.01 * phi * 0.01 * phi);
    printf("\\newcommand{\\exBootDensity}{%.4f}\n", phi);
    printf("\\newcommand{\\exBootHowMany}{%.0f}\n", ceil(B / 1000) * 1000);
    ex_fit f;
    if (fit_ols("mpg ~ wt + factor(cyl)", "mtcars", &f) != ST_OK)
        return 1;
    int n = f.r->n, six = 0;
    int c = df_column_index(f.df, "cyl");
    for (int i = 0; i < f.df->nrow; i++)
        six += f.df->col[c].num[i] == 6;
    double miss = pow(1 - (double)six / n, n);
    printf("\\newcommand{\\exBootSix}{%d}\n", six);
    printf("\\newcommand{\\exBootN}{%d}\n", n);
    printf("\\newcommand{\\exBootMiss}{%.1e}\n", miss);
    int reps = 2000;
    printf("\\newcommand{\\exBootMissB}{%d}\n", reps);
    printf("\\newcommand{\\exBootMissPerThousand}{%.2f}\n", reps * miss);
    free_ols(&f);
    return 0;
}
static int logistic_numbers(void)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    glm_response resp = { 0, NULL, NULL, 0, { GLM_BINOMIAL, GLM_LOGIT }, NULL, 0, 0 };
    glm_result *r = NULL;
    int status = frm_parse(&e, "cbind(incidence, size - incidence) ~ factor(period)", &f);
    if (status == ST_OK) status = df_read(&e, "cbpp", &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_BINOMIAL, &m);
    if (status == ST_OK) status = glm_response_make(&e, m, df, &resp);
    if (status == ST_OK) status = glm_fit(&e, m, &resp, 0.95, &r);
    if (status == ST_OK) {
        printf("\\newcommand{\\exGlmOddsPeriodTwo}{%.2f}\n", exp(r->beta[1]));
        printf("\\newcommand{\\exGlmTypicalProb}{%.3f}\n", 1 / (1 + exp(-r->beta[0])));
    } else
        fprintf(stderr, "book-exercises: %s\n", e.msg);
    glm_free(r);
    if (resp.y != NULL)
        glm_response_free(&resp);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
static int distinct(const df_frame *df, const char *name)
{
    int c = df_column_index(df, name), k = 0;
    const df_column *col = &df->col[c];
    if (col->kind == DF_FACTOR)
        return col->nlevels;
    for (int i = 0; i < df->nrow; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = col->num[j] == col->num[i];
        k += !seen;
    }
    return k;
}

static int capstone_numbers(void)
{
    const char *rhs = "factor(YEAR) + cHEIGHT + (1 | BROOD) + (1 | LOCATION)";
    char formula[256];
    st_error e = { 0 };
    ex_fit o;
    if (fit_ols("log(TICKS + 1) ~ factor(YEAR) + cHEIGHT", "grouseticks", &o) != ST_OK)
        return 1;
    printf("\\newcommand{\\exGrouseRows}{%d}\n", o.df->nrow);
    printf("\\newcommand{\\exGrouseBroods}{%d}\n", distinct(o.df, "BROOD"));
    printf("\\newcommand{\\exGrouseLocations}{%d}\n", distinct(o.df, "LOCATION"));
    printf("\\newcommand{\\exGrouseYears}{%d}\n", distinct(o.df, "YEAR"));
    double se_ols = o.r->se[coef_index(o.m, "cHEIGHT")];
    {
        frm_formula *f = NULL;
        frm_model *m = NULL;
        lmm_result *r = NULL;
        lmm_options opt = { 1, 0.95, 0, NULL };
        snprintf(formula, sizeof formula, "log(TICKS + 1) ~ %s", rhs);
        int status = frm_parse(&e, formula, &f);
        if (status == ST_OK) status = frm_model_frame(&e, f, o.df, FRM_NEED_RANDOM, &m);
        if (status == ST_OK) status = lmm_fit(&e, m, &opt, &r);
        if (status != ST_OK) {
            fprintf(stderr, "book-exercises: %s: %s\n", formula, e.msg);
            return free_ols(&o), 1;
        }
        double total = r->sigma * r->sigma;
        for (int k = 0; k < r->re.nterms; k++)
            total += re_covariance(&r->re, r->sigma, k, 0, 0);
        for (int k = 0; k < r->re.nterms; k++)
            printf("\\newcommand{\\exGrouseShare%s}{%.0f\\,\\%%}\n",
                   strcmp(r->re.term[k].group, "BROOD") == 0 ? "Brood" : "Location",
                   100 * re_covariance(&r->re, r->sigma, k, 0, 0) / total);
        printf("\\newcommand{\\exGrouseShareResidual}{%.0f\\,\\%%}\n",
               100 * r->sigma * r->sigma / total);
        printf("\\newcommand{\\exGrouseSeOls}{%.5f}\n", se_ols);
        printf("\\newcommand{\\exGrouseSeLmm}{%.5f}\n", r->se[coef_index(m, "cHEIGHT")]);
        printf("\\newcommand{\\exGrouseSeRatio}{%.1f}\n", r->se[coef_index(m, "cHEIGHT")] / se_ols);
        {
            jr_value *ref = NULL;
            double worst = 0;
            if (jr_read(&e, "tests/reference/lmm/default/grouse_log.json", &ref) != ST_OK) {
                fprintf(stderr, "book-exercises: %s\n", e.msg);
                lmm_free(r), frm_model_free(m), frm_free(f);
                return free_ols(&o), 1;
            }
            const jr_value *coefs = jr_get(ref, "coefficients");
            for (size_t j = 0; j < jr_len(coefs) && j < (size_t)r->p; j++) {
                double est = NAN, se = NAN;
                jr_number(jr_get(jr_at(coefs, j), "estimate"), &est);
                jr_number(jr_get(jr_at(coefs, j), "std_error"), &se);
                worst = fmax(worst, fabs(r->beta[j] - est) / fmax(fabs(est), se));
                worst = fmax(worst, fabs(r->se[j] - se) / se);
            }
            jr_free(ref);
            printf("\\newcommand{\\exGrouseLmmDigits}{%.0f}\n", floor(-log10(worst)));
        }
        lmm_free(r);
        frm_model_free(m);
        frm_free(f);
    }
    {
        frm_formula *f = NULL;
        frm_model *m = NULL;
        glm_response resp = { 0, NULL, NULL, 0, { GLM_BINOMIAL, GLM_LOGIT }, NULL, 0, 0 };
        glmm_result *r = NULL;
        glmm_options opt = { 1, 0.95, NULL };
        df_column *ticks = &o.df->col[df_column_index(o.df, "TICKS")];
        for (int i = 0; i < o.df->nrow; i++)
            ticks->num[i] = ticks->num[i] > 0;
        snprintf(formula, sizeof formula, "TICKS ~ %s", rhs);
        int status = frm_parse(&e, formula, &f);
        if (status == ST_OK) status = frm_model_frame(&e, f, o.df, FRM_BINOMIAL, &m);
        if (status == ST_OK) status = glm_response_make(&e, m, o.df, &resp);
        if (status == ST_OK) status = glmm_fit(&e, m, &resp, &opt, &r);
        if (status != ST_OK) {
            fprintf(stderr, "book-exercises: %s: %s\n", formula, e.msg);
            return free_ols(&o), 1;
        }
        printf("\\newcommand{\\exGrouseOddsHundred}{%.3f}\n",
               exp(100 * r->beta[coef_index(m, "cHEIGHT")]));
        for (int k = 0; k < r->re.nterms; k++)
            printf("\\newcommand{\\exGrouseMor%s}{%.2f}\n",
                   strcmp(r->re.term[k].group, "BROOD") == 0 ? "Brood" : "Location",
                   exp(sqrt(2.0) * sqrt(re_covariance(&r->re, 1.0, k, 0, 0))
                       * 0.6744897501960817));
        glmm_free(r);
        glm_response_free(&resp);
        frm_model_free(m);
        frm_free(f);
    }
    free_ols(&o);
    return 0;
}

int main(void)
{
    printf("%% Generated by book-exercises: do not edit.\n");
    if (regression_numbers() != 0 || bootstrap_numbers() != 0 || logistic_numbers() != 0
        || capstone_numbers() != 0)
        return 1;
    return 0;
}
