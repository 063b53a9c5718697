#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "data.h"
#include "driver.h"
#include "formula.h"
#include "glm.h"
#include "glmm.h"
static const char *const family_words[] = { "binomial", "poisson", NULL };
static const char *const link_words[] = { "logit", "probit", "cloglog", "log", NULL };
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
                v[i] = glm_fam_linkinv(r->fam, fx + re_predict_random(&r->re, mn, i));
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

typedef struct glmm_program {
    drv_options o;                  /* the options shared with the other programs */
    long long nagq;                 /* --nagq N */
    const char *family_word, *link_word;    /* --family, --link, or NULL */
    glm_family fam;                         /* the family and link they give */
    glm_response resp;              /* the response, with its family and weights */
    glm_result *g;                  /* the fit without random effects, or NULL */
    glmm_result *r;                 /* the fit with them, or NULL */
    glmm_comparison comparison;     /* --compare's test */
} glmm_program;

static int glmm_program_check(st_error *e, void *state, const cli_args *a)
{
    glmm_program *s = state;
    (void)a;
    return glm_family_parse(e, s->family_word, s->link_word, &s->fam);
}

static int glmm_flags(const void *state)
{
    const glmm_program *s = state;
    return s->fam.family == GLM_BINOMIAL ? FRM_BINOMIAL : 0;
}

static int glmm_fit_regression(st_error *e, glmm_program *s, const cli_args *a,
                               const df_frame *df, frm_model *m)
{
    const drv_options *o = &s->o;
    int status = ST_OK;
    if (s->nagq > 1)
        status = st_fail(e, ST_EINPUT, "--nagq %lld: adaptive Gauss-Hermite quadrature "
                         "integrates over random effects, and the formula has no "
                         "random-effects term such as (1 | g)", s->nagq);
    if (s->nagq == 0)
        status = st_fail(e, ST_EINPUT, "--nagq 0: optimizes the random effects' parameters "
                         "with the fixed effects in PIRLS, and the formula has no "
                         "random-effects term such as (1 | g)");
    if (status == ST_OK && o->trace_file != NULL)
        status = st_fail(e, ST_EINPUT, "--trace: a logistic regression is fitted by IRLS, "
                         "with no optimizer to trace; the formula has no random-effects "
                         "term such as (1 | g)");
    if (status == ST_OK && o->ranef)
        status = st_fail(e, ST_EINPUT, "--ranef: the formula has no random-effects term "
                         "such as (1 | g)");
    if (status == ST_OK && o->compare != NULL)
        status = st_fail(e, ST_EINPUT, "--compare: the likelihood-ratio test of glmm compares "
                         "mixed models, and the formula has no random-effects term such as (1 | g)");
    if (status == ST_OK && o->predict != NULL)
        status = st_fail(e, ST_EINPUT, "--predict: glmm predicts for mixed models, and the "
                         "formula has no random-effects term such as (1 | g)");
    if (status == ST_OK)
        status = glm_fit(e, m, &s->resp, a->level, &s->g);
    glm_result *g = s->g;
    if (status == ST_OK && o->boot > 0)
        status = st_fail(e, ST_EINPUT, "--boot: the parametric bootstrap simulates random "
                         "effects, and the formula has no random-effects term such as (1 | g)");
    if (status == ST_OK && o->confint != NULL) {
        if (strcmp(o->confint, "wald") != 0)
            status = st_fail(e, ST_EINPUT, "--confint %s: a logistic regression has Wald "
                             "intervals only (--confint wald)", o->confint);
        else if ((status = ci_table_new(e, g->p, "wald", g->level, &g->confint)) == ST_OK)
            for (int j = 0; j < g->p && status == ST_OK; j++) {
                g->confint->low[j] = g->aliased[j] ? NAN : g->conf_low[j];
                g->confint->high[j] = g->aliased[j] ? NAN : g->conf_high[j];
                if ((g->confint->names[j] = st_strdup(e, g->coef_names[j])) == NULL)
                    status = e->status;
            }
    }
    if (status == ST_OK && o->augment != NULL)
        status = glmm_augment(e, o->augment, a->formula, m, df, &s->resp, g->nrow, g->mu,
                              NULL, NULL, NULL);
    return status;
}
static int glmm_fit_mixed(st_error *e, glmm_program *s, const cli_args *a,
                          const df_frame *df, frm_model *m)
{
    drv_options *o = &s->o;
    glmm_options opt = { (int)s->nagq, a->level, o->trace_file };
    int status = glmm_fit(e, m, &s->resp, &opt, &s->r);
    glmm_result *r = s->r;
    if (status == ST_OK && o->ranef)
        status = re_condvar(e, &r->re, 1.0, r->weights);
    if (status == ST_OK && o->augment != NULL)
        status = glmm_augment(e, o->augment, a->formula, m, df, &s->resp, r->n, r->mu, r->eta,
                              r->beta, r->aliased);
    if (status == ST_OK && o->predict != NULL)
        status = glmm_predict(e, o->predict, o->out, a->formula, m, df, r);
    if (status == ST_OK && o->compare != NULL) {
        lmm_boot_spec lrt_spec = drv_boot_spec(o, a->level, a->json, "glmm");
        status = glmm_compare(e, o->compare, m, df, r, &opt, o->weights, &s->resp,
                              o->boot > 0 ? &lrt_spec : NULL, &s->comparison);
        if (status == ST_OK)
            r->compare = &s->comparison.t;
    }
    if (status == ST_OK && o->boot_ci != NULL && strcmp(o->boot_ci, "basic") == 0)
        ci_use_basic(r->confint, r->boot);
    if (status == ST_OK)
        status = ci_check_boot_memory(e, o->boot, re_varpar_count(&r->re, 0) + r->rank + 2.0,
                                      o->max_boot_mb);
    if (status == ST_OK && o->boot > 0
        && (s->resp.fam.family != GLM_BINOMIAL || s->resp.fam.link != GLM_LOGIT))
        status = st_fail(e, ST_EINPUT, "--boot: the parametric bootstrap simulates binomial "
                         "responses with the logit link only, not the %s family with the %s link",
                         glm_family_name(s->resp.fam), glm_link_name(s->resp.fam));
    if (status == ST_OK && o->boot > 0) {
        lmm_boot_spec spec = drv_boot_spec(o, a->level, a->json, "glmm");
        status = glmm_bootstrap(e, m, &s->resp, r, &spec, &r->boot);
    }
    if (status == ST_OK && o->confint != NULL && strcmp(o->confint, "boot") == 0)
        status = ci_from_boot(e, r->boot, &r->confint);
    if (status == ST_OK && o->confint != NULL && strcmp(o->confint, "profile") == 0)
        status = glmm_confint_profile(e, m, &s->resp, r, a->level,
                                      ci_progress_wanted(o->quiet, a->json) ? "glmm" : NULL,
                                      &r->confint);
    if (status == ST_OK && o->confint != NULL && strcmp(o->confint, "wald") == 0) {
        status = re_confint_table(e, &r->re, 0, r->p, r->coef_names, r->aliased, "wald",
                                  r->level, &r->confint);
        for (int j = 0, i = re_varpar_count(&r->re, 0); status == ST_OK && j < r->p; j++)
            if (!r->aliased[j]) {
                r->confint->low[i] = r->conf_low[j];
                r->confint->high[i++] = r->conf_high[j];
            }
    }
    return status;
}

static int glmm_program_fit(st_error *e, void *state, const cli_args *a,
                            const frm_formula *f, const df_frame *df, frm_model *m)
{
    glmm_program *s = state;
    (void)f;
    int status = glm_response_make_family(e, m, df, s->fam, &s->resp);
    if (status == ST_OK && s->o.weights != NULL)
        status = glm_response_weigh(e, m, df, s->o.weights, &s->resp);
    if (status == ST_OK)
        status = m->nre == 0 ? glmm_fit_regression(e, s, a, df, m)
                             : glmm_fit_mixed(e, s, a, df, m);
    return status;
}

static int glmm_program_write(st_error *e, void *state, const cli_args *a,
                              const frm_model *m)
{
    const glmm_program *s = state;
    const drv_options *o = &s->o;
    int printed = 0;                /* 0, or -1 when a printer ran out of memory */
    (void)m;
    if (s->g != NULL) {
        const glm_result *g = s->g;
        glm_warn(stderr, g, "glmm");
        if (a->json)
            glm_write_json(stdout, g);
        else {
            printed |= glm_print(stdout, g, a->data);
            if (g->confint != NULL) {
                fputc('\n', stdout);
                printed |= ci_print(stdout, g->confint);
            }
        }
    } else {
        const glmm_result *r = s->r;
        glmm_warn(stderr, r, "glmm");
        if (a->json)
            glmm_write_json(stdout, r);
        else {
            printed |= glmm_print(stdout, r, a->data);
            printed |= drv_print_mixed_extras(o, a, &r->re, s->comparison.tab, &s->comparison.t, 0,
                                              r->boot, r->confint);       /* Section sec:lmm-main */
        }
    }
    return printed == 0 ? ST_OK : st_fail(e, ST_ENOMEM, "out of memory");
}

static void glmm_program_free(void *state)
{
    glmm_program *s = state;
    glmm_free(s->r);
    lmm_lrt_boot_free(&s->comparison.boot);
    glm_free(s->g);
    glm_response_free(&s->resp);
}

int main(int argc, char **argv)
{
    glmm_program s = { .o = DRV_OPTIONS_DEFAULT, .nagq = 1,
                       .fam = { GLM_BINOMIAL, GLM_LOGIT },
                       .resp = { .fam = { GLM_BINOMIAL, GLM_LOGIT } } };
    drv_options *o = &s.o;
    const cli_option options[] = {
        { "nagq", CLI_INTEGER, &s.nagq, "N", "adaptive Gauss-Hermite quadrature with N nodes "
          "(1, the default: the Laplace approximation; 0: glmer's nAGQ = 0, theta alone "
          "optimized with beta in PIRLS)", 0, GLMM_MAX_NAGQ, 0,
          "an integer from 0 to 100", NULL },
        drv_option(o, "trace", "write one CSV row per evaluation of the deviance to FILE "
                   "(mixed models)"),
        { "family", CLI_WORD, &s.family_word, "F", "binomial (the default) or poisson, as glm's "
          "family argument", 0, 0, 0, "binomial or poisson", family_words },
        { "link", CLI_WORD, &s.link_word, "L", "logit (the default), probit or cloglog for the "
          "binomial family; log for the poisson", 0, 0, 0, "logit, probit, cloglog or log",
          link_words },
        drv_option(o, "weights", "prior weights from COLUMN, as glm's and glmer's weights"),
        drv_option(o, "ranef", NULL),
        drv_option(o, "compare", NULL),
        drv_option(o, "augment", "write the rows used, with .fitted, .resid, (.fixed,) .eta, "
                   ".pearson and .deviance, to FILE as CSV"),
        drv_option(o, "predict", "write predicted probabilities for the rows of the CSV file "
                   "NEWDATA to the file of --out (mixed models)"),
        drv_option(o, "out", NULL),
        drv_option(o, "boot-ci", NULL),
        drv_option(o, "boot", "parametric bootstrap from B replicates (mixed models)"),
        drv_option(o, "seed", NULL),
        drv_option(o, "threads", NULL),
        drv_option(o, "confint", NULL),
        drv_option(o, "quiet", NULL),
        drv_option(o, "max-boot-memory", NULL),
        DRV_END };
    const drv_program prog = {
        .name = "glmm", .purpose = "fit a logistic regression, as glm(family = binomial) "
        "does, or a logistic mixed model, as lme4::glmer does", .options = options,
        .common = o, .state = &s, .check = glmm_program_check, .flags = glmm_flags,
        .fit = glmm_program_fit, .write = glmm_program_write, .free = glmm_program_free };
    return drv_main(&prog, argc, argv);
}
