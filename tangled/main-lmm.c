#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "data.h"
#include "driver.h"
#include "formula.h"
#include "lmm.h"
#include <math.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "nested.h"
#include "rformat.h"

typedef struct lmm_comparison {
    nest_test t;
    int refitted;            /* the model was fitted by REML and refitted by ML */
    double tab[16];          /* 2 x 8, column-major: lme4's anova table */
    lmm_lrt_boot boot;       /* with --boot: the parametric bootstrap of the test */
} lmm_comparison;

static int lmm_compare(st_error *e, const char *formula0, const frm_model *m,
                       const df_frame *df, const lmm_result *r, const lmm_options *opt,
                       const lmm_boot_spec *spec, lmm_comparison *c)
{
    frm_model *m0 = NULL;
    lmm_result *r0 = NULL, *r1 = NULL;
    lmm_options o = *opt;
    o.reml = 0;
    o.satterthwaite = 0;
    o.trace = NULL;
    int status = nest_model_frame(e, formula0, m, df, FRM_NEED_RANDOM, &m0);
    if (status == ST_OK)
        m0->weights = m->weights;        /* the same prior weights: the rows are the same */
    if (status == ST_OK)
        status = lmm_check_finite(e, m0, df);
    if (status == ST_OK)
        status = lmm_fit(e, m0, &o, &r0);
    if (status == ST_OK && r->reml)
        status = lmm_fit(e, m, &o, &r1);
    if (status == ST_OK) {
        const lmm_result *big = r->reml ? r1 : r;
        if (r0->npar >= big->npar)
            status = st_fail(e, ST_EINPUT, "--compare: \"%s\" has %d parameters and the model %d: "
                             "the formula to compare with must be the smaller model", formula0,
                             r0->npar, big->npar);
        else {
            double chisq = 2 * (big->loglik - r0->loglik), d = big->npar - r0->npar;
            if (chisq < 0)
                chisq = 0;
            c->t = (nest_test){ .formula0 = formula0, .test = "Chisq", .df0 = r0->npar,
                                .df1 = big->npar, .statistic = chisq, .df = d,
                                .p_value = pchisq(chisq, d, 0, 0) };
            c->refitted = r->reml;
            const lmm_result *two[2] = { r0, big };
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
        if (status == ST_OK && spec != NULL
            && (status = lmm_boot_lrt(e, m0, r0, m, c->t.statistic, spec, &c->boot)) == ST_OK)
            nest_set_boot(&c->t, c->boot.replicates, c->boot.seed, c->boot.failed,
                          c->boot.exceed, c->boot.p_value);
    }
    lmm_free(r0);
    lmm_free(r1);
    frm_model_free(m0);
    return status;
}
#include "augment.h"

static int lmm_augment(st_error *e, const char *path, const char *formula,
                       const frm_model *m, const df_frame *df, const lmm_result *r)
{
    static const char *const names[] = { ".fitted", ".resid", ".fixed" };
    int n = m->n;
    double *cols = st_alloc(e, 3 * (size_t)n + 1, sizeof *cols);
    if (cols == NULL)
        return e->status;
    for (int i = 0; i < n; i++) {
        double fixed = 0;
        for (int j = 0; j < m->p; j++)
            if (!r->aliased[j])
                fixed += m->X[i + (size_t)j * n] * r->beta[j];
        cols[i] = m->y[i] - r->resid[i];
        cols[n + i] = r->resid[i];
        cols[2 * n + i] = fixed;
    }
    int status = aug_write(e, path, formula, df, m->row, n, 3, names, cols);
    free(cols);
    return status;
}
#include "predict.h"

static int lmm_predict(st_error *e, const char *newdata, const char *out, const char *formula,
                       const frm_model *m, const df_frame *df, const lmm_result *r, int flags,
                       int logistic)
{
    static const char *const names[] = { ".fitted", ".fixed" };
    df_frame *comb = NULL;
    frm_model *mn = NULL;
    int offset = 0, nnew = 0;
    int status = pred_frame(e, formula, df, m, newdata, flags, &comb, &mn, &offset, &nnew);
    if (status == ST_OK) {
        double *v = st_alloc(e, 2 * (size_t)mn->n + 1, sizeof *v);
        if (v == NULL)
            status = e->status;
        else {
            for (int i = 0; i < mn->n; i++) {
                double fx = pred_fixed(mn, i, r->beta);
                double fit = fx + re_predict_random(&r->re, mn, i);
                v[i] = logistic ? plogis(fit, 0, 1, 1, 0) : fit;
                v[mn->n + i] = logistic ? plogis(fx, 0, 1, 1, 0) : fx;
            }
            status = pred_write(e, out, formula, comb, offset, nnew, mn, 2, names, v);
            free(v);
        }
    }
    frm_model_free(mn);
    df_free(comb);
    return status;
}

typedef struct lmm_program {
    drv_options o;                  /* the options shared with the other programs */
    int ml, verbose, satterthwaite; /* --ml, --verbose, --satterthwaite */
    lmm_result *r;                  /* the fit */
    lmm_comparison comparison;      /* --compare's test */
    double *wt;                     /* --weights's prior weights */
} lmm_program;

static int lmm_flags(const void *state)
{
    (void)state;
    return FRM_NEED_RANDOM;
}

static int lmm_program_fit(st_error *e, void *state, const cli_args *a,
                           const frm_formula *f, const df_frame *df, frm_model *m)
{
    lmm_program *s = state;
    drv_options *o = &s->o;
    (void)f;
    int status = lmm_check_finite(e, m, df);
    if (status == ST_OK)
        frm_subtract_offset(m);     /* an offset: fit y - o (eq:lmm-offset) */
    if (status == ST_OK && o->weights != NULL
        && (o->boot > 0 || (o->confint != NULL && strcmp(o->confint, "profile") == 0)))
        status = st_fail(e, ST_EINPUT, "--weights: not with %s yet (it would ignore the "
                         "weights); fit without it", o->boot > 0 ? "--boot" : "--confint profile");
    if (status == ST_OK && o->weights != NULL
        && (status = frm_weights(e, m, df, o->weights, &s->wt)) == ST_OK)
        for (int i = 0; i < m->n; i++)
            if (s->wt[i] == 0) {
                status = st_fail(e, ST_EINPUT, "%s:%ld: weight %s is 0; lmm needs weights above "
                                 "0 (lmer's criterion would be infinite): leave the row out "
                                 "instead", df->source, df->line[m->row[i]], o->weights);
                break;
            }
    if (status == ST_OK)
        m->weights = s->wt;         /* lmm_fit reads them from the model frame */
    if (status == ST_OK) {
        lmm_options opt = { !s->ml, a->level, s->satterthwaite, o->trace_file };
        status = lmm_fit(e, m, &opt, &s->r);
    }
    lmm_result *r = s->r;
    if (status == ST_OK)
        r->weights_name = o->weights;
    if (status == ST_OK && o->ranef)
        status = re_condvar(e, &r->re, r->sigma, r->weights);
    if (status == ST_OK && o->augment != NULL)
        status = lmm_augment(e, o->augment, a->formula, m, df, r);
    if (status == ST_OK && o->predict != NULL)
        status = lmm_predict(e, o->predict, o->out, a->formula, m, df, r, FRM_NEED_RANDOM, 0);
    if (status == ST_OK && o->compare != NULL) {
        lmm_options opt = { !s->ml, a->level, 0, NULL };
        lmm_boot_spec lrt_spec = drv_boot_spec(o, a->level, a->json, "lmm");
        status = lmm_compare(e, o->compare, m, df, r, &opt, o->boot > 0 ? &lrt_spec : NULL,
                             &s->comparison);
        if (status == ST_OK)
            r->compare = &s->comparison.t;
    }
    if (status == ST_OK)
        status = ci_check_boot_memory(e, o->boot, re_varpar_count(&r->re, 1) + r->rank + 2.0,
                                      o->max_boot_mb);
    if (status == ST_OK && o->boot > 0) {
        lmm_boot_spec spec = drv_boot_spec(o, a->level, a->json, "lmm");
        status = lmm_bootstrap(e, m, r, &spec, &r->boot);
    }
    if (status == ST_OK && o->confint != NULL && strcmp(o->confint, "wald") == 0)
        status = lmm_confint_wald(e, r, &r->confint);
    if (status == ST_OK && o->confint != NULL && strcmp(o->confint, "boot") == 0)
        status = ci_from_boot(e, r->boot, &r->confint);
    if (status == ST_OK && o->confint != NULL && strcmp(o->confint, "profile") == 0)
        status = lmm_confint_profile(e, m, r, a->level,
                                     ci_progress_wanted(o->quiet, a->json) ? "lmm" : NULL,
                                     &r->confint);
    if (status == ST_OK && o->boot_ci != NULL && strcmp(o->boot_ci, "basic") == 0)
        ci_use_basic(r->confint, r->boot);
    return status;
}

static int lmm_program_write(st_error *e, void *state, const cli_args *a,
                             const frm_model *m)
{
    lmm_program *s = state;
    const drv_options *o = &s->o;
    const lmm_result *r = s->r;
    int printed = 0;                /* 0, or -1 when a printer ran out of memory */
    (void)m;
    if (r->unbounded)
        fprintf(stderr, "lmm: warning: the criterion decreases without bound (the random "
                "effects fit the response exactly); the optimizer stopped after %ld "
                "evaluations, and the estimates are not an optimum\n", r->evaluations);
    else if (!r->converged)
        fprintf(stderr, "lmm: warning: the optimizer stopped before converging (NLopt status "
                "%d, after %ld evaluations); the estimates may not be the optimum\n",
                r->nlopt_status, r->evaluations);
    if (s->verbose)
        fprintf(stderr, "lmm: %ld evaluations of the %s criterion in %.3f s, %.3g ms each\n",
                r->evaluations, r->reml ? "REML" : "ML", r->seconds,
                r->evaluations > 0 ? 1e3 * r->seconds / (double)r->evaluations : 0.0);
    if (a->json)
        lmm_write_json(stdout, r);
    else {
        printed |= lmm_print(stdout, r, a->data);
        printed |= drv_print_mixed_extras(o, a, &r->re, s->comparison.tab, &s->comparison.t,
                                          s->comparison.refitted, r->boot, r->confint);
    }
    return printed == 0 ? ST_OK : st_fail(e, ST_ENOMEM, "out of memory");
}

static void lmm_program_free(void *state)
{
    lmm_program *s = state;
    if (s->o.compare != NULL)
        lmm_lrt_boot_free(&s->comparison.boot);
    free(s->wt);
    lmm_free(s->r);
}

int main(int argc, char **argv)
{
    lmm_program s = { .o = DRV_OPTIONS_DEFAULT };
    drv_options *o = &s.o;
    const cli_option options[] = {
        { "ml", CLI_FLAG, &s.ml, NULL, "fit by maximum likelihood instead of REML",
          0, 0, 0, NULL, NULL },
        { "satterthwaite", CLI_FLAG, &s.satterthwaite, NULL, "add Satterthwaite's degrees "
          "of freedom and p-values to the t tests, as lmerTest does", 0, 0, 0, NULL, NULL },
        drv_option(o, "ranef", NULL),
        { "verbose", CLI_FLAG, &s.verbose, NULL, "report the optimizer's work on standard "
          "error", 0, 0, 0, NULL, NULL },
        drv_option(o, "trace", NULL),
        drv_option(o, "augment", "write the rows used, with .fitted, .resid and .fixed, to FILE "
                   "as CSV"),
        drv_option(o, "predict", NULL),
        drv_option(o, "out", NULL),
        drv_option(o, "compare", NULL),
        drv_option(o, "weights", "prior weights from COLUMN: residual variance sigma^2/w, as "
                   "lmer's weights"),
        drv_option(o, "boot", NULL),
        drv_option(o, "seed", NULL),
        drv_option(o, "threads", NULL),
        drv_option(o, "confint", NULL),
        drv_option(o, "quiet", NULL),
        drv_option(o, "max-boot-memory", NULL),
        drv_option(o, "boot-ci", NULL),
        DRV_END };
    const drv_program prog = {
        .name = "lmm", .purpose = "fit a linear mixed model by REML or maximum likelihood, "
        "as lme4::lmer does", .options = options, .common = o, .state = &s,
        .flags = lmm_flags, .fit = lmm_program_fit, .write = lmm_program_write,
        .free = lmm_program_free };
    return drv_main(&prog, argc, argv);
}
