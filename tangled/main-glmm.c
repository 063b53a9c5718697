#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "glm.h"
#include "glmm.h"
#include <math.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "nested.h"

typedef struct glmm_comparison {
    nest_test t;
    double tab[16];          /* 2 x 8, column-major: lme4's anova table */
    lmm_lrt_boot boot;       /* with --boot: the parametric bootstrap of the test */
} glmm_comparison;

static int glmm_compare(st_error *e, const char *formula0, const frm_model *m,
                        const df_frame *df, const glmm_result *r, const glmm_options *opt,
                        const char *weights_column, const glm_response *resp,
                        const lmm_boot_spec *spec, glmm_comparison *c)
{
    frm_model *m0 = NULL;
    glm_response resp0 = { 0, NULL, NULL, 0, { GLM_BINOMIAL, GLM_LOGIT }, NULL, 0, 0 };
    glmm_result *r0 = NULL;
    glm_result *g0 = NULL;
    glmm_options o = *opt;
    o.trace = NULL;
    int status = nest_model_frame(e, formula0, m, df,
                                  r->fam.family == GLM_BINOMIAL ? FRM_BINOMIAL : 0, &m0);
    if (status == ST_OK)
        status = glm_response_make_family(e, m0, df, r->fam, &resp0);
    if (status == ST_OK && weights_column != NULL)
        status = glm_response_weigh(e, m0, df, weights_column, &resp0);
    if (status == ST_OK && m0->nre == 0)
        status = glm_fit(e, m0, &resp0, o.level, &g0);
    else if (status == ST_OK)
        status = glmm_fit(e, m0, &resp0, &o, &r0);
    double ll0 = r0 != NULL ? r0->loglik : g0 != NULL ? g0->loglik : NAN;
    int npar0 = r0 != NULL ? r0->npar : g0 != NULL ? g0->rank : 0;
    if (status == ST_OK && npar0 >= r->npar)
        status = st_fail(e, ST_EINPUT, "--compare: \"%s\" has %d parameters and the model "
                         "%d: the formula to compare with must be the smaller model",
                         formula0, npar0, r->npar);
    if (status == ST_OK) {
        double chisq = 2 * (r->loglik - ll0), d = r->npar - npar0;
        if (chisq < 0)
            chisq = 0;
        c->t = (nest_test){ .formula0 = formula0, .test = "Chisq", .df0 = npar0,
                            .df1 = r->npar, .statistic = chisq, .df = d,
                            .p_value = pchisq(chisq, d, 0, 0) };
        double ll[2] = { ll0, r->loglik }, np[2] = { npar0, r->npar },
               aic[2] = { r0 != NULL ? r0->aic : g0->aic, r->aic },
               bic[2] = { r0 != NULL ? r0->bic : g0->bic, r->bic };
        for (int i = 0; i < 2; i++) {
            c->tab[i] = np[i];
            c->tab[2 + i] = aic[i];
            c->tab[4 + i] = bic[i];
            c->tab[6 + i] = ll[i];
            c->tab[8 + i] = -2 * ll[i];
        }
        c->tab[10] = c->tab[12] = c->tab[14] = NAN;
        c->tab[11] = chisq;
        c->tab[13] = d;
        c->tab[15] = c->t.p_value;
    }
    if (status == ST_OK && spec != NULL
        && (r->fam.family != GLM_BINOMIAL || r->fam.link != GLM_LOGIT))
        status = st_fail(e, ST_EINPUT, "--boot: the parametric bootstrap simulates binomial "
                         "responses with the logit link only, not the %s family with the %s "
                         "link", glm_family_name(r->fam), glm_link_name(r->fam));
    if (status == ST_OK && spec != NULL
        && (status = glmm_boot_lrt(e, m0, r0, g0, m, resp, opt->nagq, c->t.statistic, spec,
                                   &c->boot)) == ST_OK)
        nest_set_boot(&c->t, c->boot.replicates, c->boot.seed, c->boot.failed,
                      c->boot.exceed, c->boot.p_value);
    glm_free(g0);
    glmm_free(r0);
    glm_response_free(&resp0);
    frm_model_free(m0);
    return status;
}
#include <stdlib.h>
#include "augment.h"

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
        double d = glm_fam_dev_resid(resp->fam, y, p, w);
        cols[i] = p;
        cols[n + i] = y - p;
        if (beta != NULL) {
            double x = m->offset != NULL ? m->offset[i] : 0;
            for (int j = 0; j < m->p; j++)
                if (!aliased[j])
                    x += m->X[i + (size_t)j * n] * beta[j];
            cols[2 * n + i] = glm_fam_linkinv(resp->fam, x);
            c = 1;
        }
        cols[(size_t)(2 + c) * n + i] = eta != NULL ? eta[i] : glm_fam_linkfun(resp->fam, p);
        cols[(size_t)(3 + c) * n + i] = (y - p) * sqrt(w / glm_fam_variance(resp->fam, p));
        cols[(size_t)(4 + c) * n + i] = (y > p ? 1 : y < p ? -1 : 0) * sqrt(d > 0 ? d : 0);
    }
    int status = aug_write(e, path, formula, df, m->row, n, nc, beta != NULL ? mixed : plain,
                           cols);
    free(cols);
    return status;
}
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
                if (mn->offset != NULL)
                    fx += mn->offset[i];
                v[i] = glm_fam_linkinv(r->fam, fx + lmm_predict_random(r->re, mn, i));
                v[mn->n + i] = glm_fam_linkinv(r->fam, fx);
            }
            status = pred_write(e, out, formula, comb, offset, nnew, mn, 2, names, v);
            free(v);
        }
    }
    frm_model_free(mn);
    df_free(comb);
    return status;
}

int main(int argc, char **argv)
{
    long long nagq = 1;
    int ranef = 0;
    const char *compare = NULL;
    const char *augment = NULL;
    const char *predict = NULL, *predict_out = NULL;
    glmm_comparison comparison = { .tab = { 0 } };
    const char *trace_path = NULL;
    FILE *trace = NULL;
    const char *family_word = NULL, *link_word = NULL, *weights_column = NULL;
    static const char *const family_words[] = { "binomial", "poisson", NULL };
    static const char *const link_words[] = { "logit", "probit", "cloglog", "log", NULL };
    static const char *const boot_ci_types[] = { "percentile", "basic", "bca", NULL };
    const char *boot_ci = NULL;
    static const char *const confint_methods[] = { "wald", "profile", "boot", NULL };
    const char *confint = NULL;
    int quiet = 0;
    long long boot_b = 0, boot_seed = -1, boot_threads = 0;
    double max_boot_mb = CI_MAX_BOOT_MB;
    const cli_option options[] = {
        { "nagq", CLI_INTEGER, &nagq, "N", "adaptive Gauss-Hermite quadrature with N nodes "
          "(1, the default: the Laplace approximation; 0: glmer's nAGQ = 0, theta alone "
          "optimized with beta in PIRLS)", 0, GLMM_MAX_NAGQ, 0,
          "an integer from 0 to 100", NULL },
        { "trace", CLI_WORD, &trace_path, "FILE", "write one CSV row per evaluation of the "
          "deviance to FILE (mixed models)", 0, 0, 0, "a file name", NULL },
        { "family", CLI_WORD, &family_word, "F", "binomial (the default) or poisson, as glm's "
          "family argument", 0, 0, 0, "binomial or poisson", family_words },
        { "link", CLI_WORD, &link_word, "L", "logit (the default), probit or cloglog for the "
          "binomial family; log for the poisson", 0, 0, 0, "logit, probit, cloglog or log",
          link_words },
        { "weights", CLI_WORD, &weights_column, "COLUMN", "prior weights from COLUMN, as glm's and "
          "glmer's weights", 0, 0, 0, "a column name", NULL },
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
        { "boot-ci", CLI_WORD, &boot_ci, "T", "the bootstrap intervals --confint boot prints: "
          "percentile (the default) or basic (bca is refused)", 0, 0, 0,
          "percentile, basic or bca", boot_ci_types },
        { "boot", CLI_INTEGER, &boot_b, "B", "parametric bootstrap from B replicates (mixed models)",
          1, 1e8, 0, "an integer from 1 to 100000000", NULL },
        { "seed", CLI_INTEGER, &boot_seed, "N", "seed of the bootstrap (default: from the clock)",
          0, 4294967295.0, 0, "an integer from 0 to 4294967295", NULL },
        { "threads", CLI_INTEGER, &boot_threads, "N", "threads of the bootstrap (default: one per "
          "core)", 1, 1024, 0, "an integer from 1 to 1024", NULL },
        { "confint", CLI_WORD, &confint, "M", "print confint()'s intervals by method M: wald, "
          "profile or boot", 0, 0, 0, "wald, profile or boot", confint_methods },
        { "quiet", CLI_FLAG, &quiet, NULL, "no progress lines on standard error", 0, 0, 0, NULL,
          NULL },
        { "max-boot-memory", CLI_NUMBER, &max_boot_mb, "MB", "the most memory the bootstrap's "
          "replicates take, in megabytes (default 1024)", 0, 1e9, 1,
          "a number of megabytes in (0, 1e9)", NULL },
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "glmm", "fit a logistic regression, as glm(family = binomial) "
                               "does, or a logistic mixed model, as lme4::glmer does",
                               options };
    st_error e = { 0, "" };
    cli_args a;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    glm_response resp = { 0, NULL, NULL, 0, { GLM_BINOMIAL, GLM_LOGIT }, NULL, 0, 0 };
    glm_family fam = { GLM_BINOMIAL, GLM_LOGIT };
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
    if (status == ST_OK && !a.help && !a.version)
        status = ci_check_boot_ci(&e, boot_ci, confint);
    if (status == ST_OK && !a.help && !a.version)
        status = ci_check_options(&e, boot_b, boot_seed, boot_threads, confint);
    if (status == ST_OK && boot_b == 0 && max_boot_mb != CI_MAX_BOOT_MB)
        status = st_fail(&e, ST_EINPUT, "--max-boot-memory: only the bootstrap keeps "
                         "replicates (add --boot B)");
    if (status == ST_OK && trace_path != NULL)
        status = cli_open_output(&e, "trace", trace_path, &trace);
    if (status == ST_OK) status = glm_family_parse(&e, family_word, link_word, &fam);
    if (status == ST_OK) status = frm_parse(&e, a.formula, &f);
    if (status == ST_OK)
        frm_set_contrasts(f, a.contrasts);                /* --contrasts */
    if (status == ST_OK) status = cli_read_data(&e, &a, "glmm", &df);
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, fam.family == GLM_BINOMIAL ? FRM_BINOMIAL : 0, &m);
    if (status == ST_OK)
        frm_print_warnings(stderr, m, "glmm");           /* the formula's warnings */
    if (status == ST_OK) status = glm_response_make_family(&e, m, df, fam, &resp);
    if (status == ST_OK && weights_column != NULL)
        status = glm_response_weigh(&e, m, df, weights_column, &resp);
    if (status == ST_OK) {
        if (m->nre == 0)
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
                if (status == ST_OK && ranef)
                    status = st_fail(&e, ST_EINPUT, "--ranef: the formula has no random-effects term "
                                     "such as (1 | g)");
                if (status == ST_OK && compare != NULL)
                    status = st_fail(&e, ST_EINPUT, "--compare: the likelihood-ratio test of glmm compares "
                                     "mixed models, and the formula has no random-effects term such as (1 | g)");
                if (status == ST_OK && predict != NULL)
                    status = st_fail(&e, ST_EINPUT, "--predict: glmm predicts for mixed models, and the "
                                     "formula has no random-effects term such as (1 | g)");
                if (status == ST_OK)
                    status = glm_fit(&e, m, &resp, a.level, &g);
                if (status == ST_OK && boot_b > 0)
                    status = st_fail(&e, ST_EINPUT, "--boot: the parametric bootstrap simulates random "
                                     "effects, and the formula has no random-effects term such as (1 | g)");
                if (status == ST_OK && confint != NULL) {
                    if (strcmp(confint, "wald") != 0)
                        status = st_fail(&e, ST_EINPUT, "--confint %s: a logistic regression has Wald "
                                         "intervals only (--confint wald)", confint);
                    else if ((status = ci_table_new(&e, g->p, "wald", g->level, &g->confint)) == ST_OK)
                        for (int j = 0; j < g->p && status == ST_OK; j++) {
                            g->confint->low[j] = g->aliased[j] ? NAN : g->conf_low[j];
                            g->confint->high[j] = g->aliased[j] ? NAN : g->conf_high[j];
                            if ((g->confint->names[j] = st_strdup(&e, g->coef_names[j])) == NULL)
                                status = e.status;
                        }
                }
                if (status == ST_OK && augment != NULL)
                    status = glmm_augment(&e, augment, a.formula, m, df, &resp, g->nrow, g->mu, NULL,
                                          NULL, NULL);
                if (status == ST_OK) {
                    glm_warn(stderr, g, "glmm");
                    if (a.json)
                        glm_write_json(stdout, g);
                    else {
                        glm_print(stdout, g, a.data);
                        if (g->confint != NULL) {
                            fputc('\n', stdout);
                            ci_print(stdout, g->confint);
                        }
                    }
                }
            }
        else
            {
                glmm_options opt = { (int)nagq, a.level, trace };
                status = glmm_fit(&e, m, &resp, &opt, &r);
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
                    lmm_boot_spec lrt_spec = { boot_b, boot_seed >= 0 ? (unsigned long long)boot_seed
                                                                      : ci_clock_seed(),
                                               boot_threads > 0 ? (int)boot_threads : ci_cores(), a.level,
                                               ci_progress_wanted(quiet, a.json) ? "glmm" : NULL };
                    if (boot_seed < 0)
                        boot_seed = (long long)lrt_spec.seed;   /* the interval bootstrap's seed too */
                    status = glmm_compare(&e, compare, m, df, r, &opt, weights_column, &resp,
                                          boot_b > 0 ? &lrt_spec : NULL, &comparison);
                    if (status == ST_OK)
                        r->compare = &comparison.t;
                }
                if (status == ST_OK && boot_ci != NULL && strcmp(boot_ci, "basic") == 0)
                    ci_use_basic(r->re->confint, r->re->boot);
                if (status == ST_OK)
                    status = ci_check_boot_memory(&e, boot_b, lmm_varpar_count(r->re, 0) + r->rank + 2.0,
                                                  max_boot_mb);
                if (status == ST_OK && boot_b > 0
                    && (resp.fam.family != GLM_BINOMIAL || resp.fam.link != GLM_LOGIT))
                    status = st_fail(&e, ST_EINPUT, "--boot: the parametric bootstrap simulates binomial "
                                     "responses with the logit link only, not the %s family with the %s link",
                                     glm_family_name(resp.fam), glm_link_name(resp.fam));
                if (status == ST_OK && boot_b > 0) {
                    lmm_boot_spec spec = { boot_b, boot_seed >= 0 ? (unsigned long long)boot_seed
                                                                  : ci_clock_seed(),
                                           boot_threads > 0 ? (int)boot_threads : ci_cores(), a.level,
                                           ci_progress_wanted(quiet, a.json) ? "glmm" : NULL };
                    status = glmm_bootstrap(&e, m, &resp, r, &spec, &r->re->boot);
                }
                if (status == ST_OK && confint != NULL && strcmp(confint, "boot") == 0)
                    status = ci_from_boot(&e, r->re->boot, &r->re->confint);
                if (status == ST_OK && confint != NULL && strcmp(confint, "profile") == 0)
                    status = glmm_confint_profile(&e, m, &resp, r, a.level,
                                                  ci_progress_wanted(quiet, a.json) ? "glmm" : NULL,
                                                  &r->re->confint);
                if (status == ST_OK && confint != NULL && strcmp(confint, "wald") == 0) {
                    status = lmm_confint_table(&e, r->re, 0, r->p, r->coef_names, r->aliased, "wald",
                                               r->level, &r->re->confint);
                    for (int j = 0, i = lmm_varpar_count(r->re, 0); status == ST_OK && j < r->p; j++)
                        if (!r->aliased[j]) {
                            r->re->confint->low[i] = r->conf_low[j];
                            r->re->confint->high[i++] = r->conf_high[j];
                        }
                }
                if (status == ST_OK) {
                    glmm_warn(stderr, r, "glmm");
                    if (a.json)
                        glmm_write_json(stdout, r);
                    else {
                        glmm_print(stdout, r, a.data);
                        if (ranef) {
                            fputc('\n', stdout);
                            lmm_print_ranef(stdout, r->re);
                        }
                        if (compare != NULL)
                            nest_print_lrt(stdout, comparison.tab, compare, a.formula, a.data, 0);
                        if (compare != NULL && comparison.t.boot_replicates > 0)
                            nest_print_boot(stdout, &comparison.t);
                        if (r->re->boot != NULL)
                            ci_boot_print(stdout, r->re->boot);
                        if (r->re->confint != NULL) {
                            fputc('\n', stdout);
                            ci_print(stdout, r->re->confint);
                        }
                    }
                }
            }
    }
    if (trace != NULL) {
        int closed = cli_close_output(&e, "trace", trace_path, trace);
        if (status == ST_OK)
            status = closed;
    }
    if (status == ST_OK)
        if (fflush(stdout) != 0 || ferror(stdout))
            status = st_fail(&e, ST_EFIT, "cannot write the output");
    if (status != ST_OK)
        fprintf(stderr, "glmm: %s\n", e.msg);
    glmm_free(r);
    lmm_lrt_boot_free(&comparison.boot);
    glm_free(g);
    glm_response_free(&resp);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
