#line 213 "chunks/glmm-program.nw"
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "glm.h"
#include "glmm.h"
#line 422 "chunks/glmm-program.nw"
#include <math.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "nested.h"

typedef struct glmm_comparison {
    nest_test t;
    double tab[16];          /* 2 x 8, column-major: lme4's anova table */
} glmm_comparison;

static int glmm_compare(st_error *e, const char *formula0, const frm_model *m,
                        const df_frame *df, const glmm_result *r, const glmm_options *opt,
                        glmm_comparison *c)
{
    frm_model *m0 = NULL;
    glm_response resp0 = { 0, NULL, NULL, 0 };
    glmm_result *r0 = NULL;
    glmm_options o = *opt;
    o.trace = NULL;
    int status = nest_model_frame(e, formula0, m, df, FRM_BINOMIAL, &m0);
    if (status == ST_OK && m0->nre == 0)
        status = st_fail(e, ST_EINPUT, "--compare: \"%s\" has no random-effects term such "
                         "as (1 | g): compare a mixed model with a mixed model", formula0);
    if (status == ST_OK)
        status = glm_response_make(e, m0, df, &resp0);
    if (status == ST_OK)
        status = glmm_fit(e, m0, &resp0, &o, &r0);
    if (status == ST_OK && r0->npar >= r->npar)
        status = st_fail(e, ST_EINPUT, "--compare: \"%s\" has %d parameters and the model "
                         "%d: the formula to compare with must be the smaller model",
                         formula0, r0->npar, r->npar);
    if (status == ST_OK) {
        double chisq = 2 * (r->loglik - r0->loglik), d = r->npar - r0->npar;
        if (chisq < 0)
            chisq = 0;
        c->t = (nest_test){ formula0, "Chisq", r0->npar, r->npar, chisq, d,
                            pchisq(chisq, d, 0, 0) };
        const glmm_result *two[2] = { r0, r };
        for (int i = 0; i < 2; i++) {
            c->tab[i] = two[i]->npar;
            c->tab[2 + i] = two[i]->aic;
            c->tab[4 + i] = two[i]->bic;
            c->tab[6 + i] = two[i]->loglik;
            c->tab[8 + i] = -2 * two[i]->loglik;
        }
        c->tab[10] = c->tab[12] = c->tab[14] = NAN;
        c->tab[11] = chisq;
        c->tab[13] = d;
        c->tab[15] = c->t.p_value;
    }
    glmm_free(r0);
    glm_response_free(&resp0);
    frm_model_free(m0);
    return status;
}
#line 495 "chunks/glmm-program.nw"
#include <stdlib.h>
#include "augment.h"

static double xlogy(double x, double y)
{
    return x > 0 ? x * log(y) : 0.0;
}

static int glmm_augment(st_error *e, const char *path, const char *formula,
                        const frm_model *m, const df_frame *df, const glm_response *resp,
                        int nfit, const double *mu, const double *eta, const double *beta,
                        const int *aliased)
{
    static const char *const mixed[] = { ".fitted", ".resid", ".fixed", ".eta", ".pearson",
                                         ".deviance" };
    static const char *const plain[] = { ".fitted", ".resid", ".eta", ".pearson",
                                         ".deviance" };
    int n = m->n, nc = beta != NULL ? 6 : 5;
    if (nfit != n || resp->n != n)
        return st_fail(e, ST_EINPUT, "--augment: the fit used %d of the %d rows of the model "
                       "frame (rows with no trials are left out)", nfit, n);
    double *cols = st_alloc(e, (size_t)nc * n + 1, sizeof *cols);
    if (cols == NULL)
        return e->status;
    for (int i = 0; i < n; i++) {
        double y = resp->y[i], w = resp->m[i], p = mu[i], c = 0;
        double d = 2 * w * (xlogy(y, y / p) + xlogy(1 - y, (1 - y) / (1 - p)));
        cols[i] = p;
        cols[n + i] = y - p;
        if (beta != NULL) {
            double x = 0;
            for (int j = 0; j < m->p; j++)
                if (!aliased[j])
                    x += m->X[i + (size_t)j * n] * beta[j];
            cols[2 * n + i] = plogis(x, 0, 1, 1, 0);
            c = 1;
        }
        cols[(size_t)(2 + c) * n + i] = eta != NULL ? eta[i] : qlogis(p, 0, 1, 1, 0);
        cols[(size_t)(3 + c) * n + i] = (y - p) * sqrt(w / (p * (1 - p)));
        cols[(size_t)(4 + c) * n + i] = (y > p ? 1 : y < p ? -1 : 0) * sqrt(d > 0 ? d : 0);
    }
    int status = aug_write(e, path, formula, df, m->row, n, nc, beta != NULL ? mixed : plain,
                           cols);
    free(cols);
    return status;
}
#line 550 "chunks/glmm-program.nw"
#include "predict.h"

static int glmm_predict(st_error *e, const char *newdata, const char *out,
                        const char *formula, const frm_model *m, const df_frame *df,
                        const glmm_result *r)
{
    static const char *const names[] = { ".fitted", ".fixed" };
    df_frame *comb = NULL;
    frm_model *mn = NULL;
    int offset = 0, nnew = 0;
    int status = pred_frame(e, formula, df, m, newdata, FRM_BINOMIAL, &comb, &mn, &offset,
                            &nnew);
    if (status == ST_OK) {
        double *v = st_alloc(e, 2 * (size_t)mn->n + 1, sizeof *v);
        if (v == NULL)
            status = e->status;
        else {
            for (int i = 0; i < mn->n; i++) {
                double fx = pred_fixed(mn, i, r->beta);
                v[i] = plogis(fx + lmm_predict_random(r->re, mn, i), 0, 1, 1, 0);
                v[mn->n + i] = plogis(fx, 0, 1, 1, 0);
            }
            status = pred_write(e, out, formula, comb, offset, nnew, mn, 2, names, v);
            free(v);
        }
    }
    frm_model_free(mn);
    df_free(comb);
    return status;
}

#line 222 "chunks/glmm-program.nw"
int main(int argc, char **argv)
{
    long long nagq = 1;
    
#line 350 "chunks/glmm-program.nw"
int ranef = 0;
const char *compare = NULL;
const char *augment = NULL;
const char *predict = NULL, *predict_out = NULL;
glmm_comparison comparison;
#line 226 "chunks/glmm-program.nw"
    const char *trace_path = NULL;
    FILE *trace = NULL;
    const cli_option options[] = {
        { "nagq", CLI_INTEGER, &nagq, "N", "adaptive Gauss-Hermite quadrature with N nodes "
          "(1, the default: the Laplace approximation; 0: glmer's nAGQ = 0, theta alone "
          "optimized with beta in PIRLS)", 0, GLMM_MAX_NAGQ, 0,
          "an integer from 0 to 100", NULL },
        { "trace", CLI_WORD, &trace_path, "FILE", "write one CSV row per evaluation of the "
          "deviance to FILE (mixed models)", 0, 0, 0, "a file name", NULL },
        
#line 358 "chunks/glmm-program.nw"
{ "ranef", CLI_FLAG, &ranef, NULL, "also print the conditional modes of the random "
  "effects and their conditional standard deviations", 0, 0, 0, NULL, NULL },
{ "compare", CLI_WORD, &compare, "FORMULA0", "also fit the smaller model FORMULA0 to the "
  "same rows and test it against FORMULA by likelihood ratio, as anova(m0, m1)", 0, 0, 0,
  "a formula", NULL },
{ "augment", CLI_WORD, &augment, "FILE", "write the rows used, with .fitted, .resid, "
  "(.fixed,) .eta, .pearson and .deviance, to FILE as CSV", 0, 0, 0, "a file name", NULL },
{ "predict", CLI_WORD, &predict, "NEWDATA", "write predicted probabilities for the rows "
  "of the CSV file NEWDATA to the file of --out (mixed models)", 0, 0, 0, "a file name", NULL },
{ "out", CLI_WORD, &predict_out, "FILE", "where --predict writes, as CSV", 0, 0, 0,
  "a file name", NULL },
#line 236 "chunks/glmm-program.nw"
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "glmm", "fit a logistic regression, as glm(family = binomial) "
                               "does, or a logistic mixed model, as lme4::glmer does",
                               options };
    st_error e = { 0, "" };
    cli_args a;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    glm_response resp = { 0, NULL, NULL, 0 };
    glm_result *g = NULL;
    glmm_result *r = NULL;
    int status = cli_parse(&e, &prog, argc, argv, &a);
    if (status == ST_OK && a.help) {
        cli_usage(stdout, &prog);
        return 0;
    }
    if (status == ST_OK && a.version) {
        cli_version(stdout, &prog);
        return 0;
    }
    if (status == ST_OK && trace_path != NULL)
        status = cli_open_output(&e, "trace", trace_path, &trace);
    if (status == ST_OK) status = frm_parse(&e, a.formula, &f);
    if (status == ST_OK) status = df_read(&e, a.data, &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_BINOMIAL, &m);
    if (status == ST_OK) status = glm_response_make(&e, m, df, &resp);
    if (status == ST_OK) {
        if (m->nre == 0)
            
#line 289 "chunks/glmm-program.nw"
{
    if (nagq > 1)
        status = st_fail(&e, ST_EINPUT, "--nagq %lld: adaptive Gauss-Hermite quadrature "
                         "integrates over random effects, and the formula has no "
                         "random-effects term such as (1 | g)", nagq);
    if (nagq == 0)
        status = st_fail(&e, ST_EINPUT, "--nagq 0: optimizes the random effects' parameters "
                         "with the fixed effects in PIRLS, and the formula has no "
                         "random-effects term such as (1 | g)");
    if (status == ST_OK && trace != NULL)
        status = st_fail(&e, ST_EINPUT, "--trace: a logistic regression is fitted by IRLS, "
                         "with no optimizer to trace; the formula has no random-effects "
                         "term such as (1 | g)");
    
#line 374 "chunks/glmm-program.nw"
if (status == ST_OK && ranef)
    status = st_fail(&e, ST_EINPUT, "--ranef: the formula has no random-effects term "
                     "such as (1 | g)");
if (status == ST_OK && compare != NULL)
    status = st_fail(&e, ST_EINPUT, "--compare: the likelihood-ratio test of glmm compares "
                     "mixed models, and the formula has no random-effects term such as (1 | g)");
if (status == ST_OK && predict != NULL)
    status = st_fail(&e, ST_EINPUT, "--predict: glmm predicts for mixed models, and the "
                     "formula has no random-effects term such as (1 | g)");
#line 303 "chunks/glmm-program.nw"
    if (status == ST_OK)
        status = glm_fit(&e, m, &resp, a.level, &g);
    if (status == ST_OK && augment != NULL)
        status = glmm_augment(&e, augment, a.formula, m, df, &resp, g->nrow, g->mu, NULL,
                              NULL, NULL);
    if (status == ST_OK) {
        glm_warn(stderr, g, "glmm");
        if (a.json)
            glm_write_json(stdout, g);
        else
            glm_print(stdout, g, a.data);
    }
}
#line 266 "chunks/glmm-program.nw"
        else
            
#line 319 "chunks/glmm-program.nw"
{
    glmm_options opt = { (int)nagq, a.level, trace };
    status = glmm_fit(&e, m, &resp, &opt, &r);
    
#line 386 "chunks/glmm-program.nw"
if (status == ST_OK && ranef)
    status = lmm_condvar(&e, r->re, r->weights);
if (status == ST_OK && augment != NULL)
    status = glmm_augment(&e, augment, a.formula, m, df, &resp, r->n, r->mu, r->eta,
                          r->beta, r->aliased);
if (status == ST_OK && (predict != NULL) != (predict_out != NULL))
    status = st_fail(&e, ST_EINPUT, predict != NULL ? "--predict: needs --out FILE, the file "
                     "to write the predictions to" : "--out: goes with --predict NEWDATA");
if (status == ST_OK && predict != NULL)
    status = glmm_predict(&e, predict, predict_out, a.formula, m, df, r);
if (status == ST_OK && compare != NULL) {
    status = glmm_compare(&e, compare, m, df, r, &opt, &comparison);
    if (status == ST_OK)
        r->compare = &comparison.t;
}
#line 323 "chunks/glmm-program.nw"
    if (status == ST_OK) {
        glmm_warn(stderr, r, "glmm");
        if (a.json)
            glmm_write_json(stdout, r);
        else {
            glmm_print(stdout, r, a.data);
            
#line 404 "chunks/glmm-program.nw"
if (ranef) {
    fputc('\n', stdout);
    lmm_print_ranef(stdout, r->re);
}
#line 417 "chunks/glmm-program.nw"
if (compare != NULL)
    nest_print_lrt(stdout, comparison.tab, compare, a.formula, a.data, 0);
#line 330 "chunks/glmm-program.nw"
        }
    }
}
#line 268 "chunks/glmm-program.nw"
    }
    if (trace != NULL) {
        int closed = cli_close_output(&e, "trace", trace_path, trace);
        if (status == ST_OK)
            status = closed;
    }
    if (status == ST_OK)
        
#line 778 "chunks/lmm-program.nw"
if (fflush(stdout) != 0 || ferror(stdout))
    status = st_fail(&e, ST_EFIT, "cannot write the output");
#line 276 "chunks/glmm-program.nw"
    if (status != ST_OK)
        fprintf(stderr, "glmm: %s\n", e.msg);
    glmm_free(r);
    glm_free(g);
    glm_response_free(&resp);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
