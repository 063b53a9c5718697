#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "data.h"
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
                double fx = pred_fixed(mn, i, r->beta), fit = fx + lmm_predict_random(r, mn, i);
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

int main(int argc, char **argv)
{
    int ml = 0, ranef = 0, verbose = 0, satterthwaite = 0;
    const char *compare = NULL;
    const char *augment = NULL;
    const char *predict = NULL, *predict_out = NULL;
    lmm_comparison comparison = { .refitted = 0 };
    const char *weights_column = NULL;
    double *wt = NULL;
    const char *trace_path = NULL;
    FILE *trace = NULL;
    static const char *const confint_methods[] = { "wald", "profile", "boot", NULL };
    const char *confint = NULL;
    int quiet = 0;
    long long boot_b = 0, boot_seed = -1, boot_threads = 0;
    double max_boot_mb = CI_MAX_BOOT_MB;
    static const char *const boot_ci_types[] = { "percentile", "basic", "bca", NULL };
    const char *boot_ci = NULL;
    const cli_option options[] = {
        { "ml", CLI_FLAG, &ml, NULL, "fit by maximum likelihood instead of REML",
          0, 0, 0, NULL, NULL },
        { "satterthwaite", CLI_FLAG, &satterthwaite, NULL, "add Satterthwaite's degrees "
          "of freedom and p-values to the t tests, as lmerTest does", 0, 0, 0, NULL, NULL },
        { "ranef", CLI_FLAG, &ranef, NULL, "also print the conditional modes of the "
          "random effects and their conditional standard deviations", 0, 0, 0, NULL, NULL },
        { "verbose", CLI_FLAG, &verbose, NULL, "report the optimizer's work on standard "
          "error", 0, 0, 0, NULL, NULL },
        { "trace", CLI_WORD, &trace_path, "FILE", "write one CSV row per evaluation of the "
          "criterion to FILE", 0, 0, 0, "a file name", NULL },
        { "augment", CLI_WORD, &augment, "FILE", "write the rows used, with .fitted, .resid and "
          ".fixed, to FILE as CSV", 0, 0, 0, "a file name", NULL },
        { "predict", CLI_WORD, &predict, "NEWDATA", "write predictions for the rows of the CSV "
          "file NEWDATA to the file of --out", 0, 0, 0, "a file name", NULL },
        { "out", CLI_WORD, &predict_out, "FILE", "where --predict writes, as CSV", 0, 0, 0,
          "a file name", NULL },
        { "compare", CLI_WORD, &compare, "FORMULA0", "also fit the smaller model FORMULA0 to the "
          "same rows and test it against FORMULA by likelihood ratio, as anova(m0, m1)", 0, 0, 0,
          "a formula", NULL },
        { "weights", CLI_WORD, &weights_column, "COLUMN", "prior weights from COLUMN: residual "
          "variance sigma^2/w, as lmer's weights", 0, 0, 0, "a column name", NULL },
        { "boot", CLI_INTEGER, &boot_b, "B", "parametric bootstrap from B replicates", 1, 1e8, 0,
          "an integer from 1 to 100000000", NULL },
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
        { "boot-ci", CLI_WORD, &boot_ci, "T", "the bootstrap intervals --confint boot prints: "
          "percentile (the default) or basic (bca is refused)", 0, 0, 0,
          "percentile, basic or bca", boot_ci_types },
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "lmm", "fit a linear mixed model by REML or maximum "
                               "likelihood, as lme4::lmer does", options };
    st_error e = { 0, "" };
    cli_args a;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    lmm_result *r = NULL;
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
        status = ci_check_options(&e, boot_b, boot_seed, boot_threads, confint);
    if (status == ST_OK && boot_b == 0 && max_boot_mb != CI_MAX_BOOT_MB)
        status = st_fail(&e, ST_EINPUT, "--max-boot-memory: only the bootstrap keeps "
                         "replicates (add --boot B)");
    if (status == ST_OK && !a.help && !a.version)
        status = ci_check_boot_ci(&e, boot_ci, confint);
    if (status == ST_OK && trace_path != NULL)
        status = cli_open_output(&e, "trace", trace_path, &trace);
    if (status == ST_OK)
        status = frm_parse(&e, a.formula, &f);
    if (status == ST_OK)
        frm_set_contrasts(f, a.contrasts);                /* --contrasts */
    if (status == ST_OK)
        status = cli_read_data(&e, &a, "lmm", &df);
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, FRM_NEED_RANDOM, &m);
    if (status == ST_OK)
        frm_print_warnings(stderr, m, "lmm");            /* the formula's warnings */
    if (status == ST_OK)
        status = lmm_check_finite(&e, m, df);
    if (status == ST_OK)
        frm_subtract_offset(m);     /* an offset: fit y - o (eq:lmm-offset) */
    if (status == ST_OK && weights_column != NULL
        && (boot_b > 0 || (confint != NULL && strcmp(confint, "profile") == 0)))
        status = st_fail(&e, ST_EINPUT, "--weights: not with %s yet (it would ignore the "
                         "weights); fit without it", boot_b > 0 ? "--boot" : "--confint profile");
    if (status == ST_OK && weights_column != NULL
        && (status = frm_weights(&e, m, df, weights_column, &wt)) == ST_OK)
        for (int i = 0; i < m->n; i++)
            if (wt[i] == 0) {
                status = st_fail(&e, ST_EINPUT, "%s:%ld: weight %s is 0; lmm needs weights above "
                                 "0 (lmer's criterion would be infinite): leave the row out "
                                 "instead", df->source, df->line[m->row[i]], weights_column);
                break;
            }
    if (status == ST_OK)
        m->weights = wt;            /* lmm_fit reads them from the model frame */
    if (status == ST_OK) {
        lmm_options opt = { !ml, a.level, satterthwaite, trace };
        status = lmm_fit(&e, m, &opt, &r);
    }
    if (status == ST_OK)
        r->weights_name = weights_column;
    if (status == ST_OK && ranef)
        status = lmm_condvar(&e, r, r->weights);
    if (status == ST_OK && augment != NULL)
        status = lmm_augment(&e, augment, a.formula, m, df, r);
    if (status == ST_OK && (predict != NULL) != (predict_out != NULL))
        status = st_fail(&e, ST_EINPUT, predict != NULL ? "--predict: needs --out FILE, the file "
                         "to write the predictions to" : "--out: goes with --predict NEWDATA");
    if (status == ST_OK && predict != NULL)
        status = lmm_predict(&e, predict, predict_out, a.formula, m, df, r, FRM_NEED_RANDOM, 0);
    if (status == ST_OK && compare != NULL) {
        lmm_options opt = { !ml, a.level, 0, NULL };
        lmm_boot_spec lrt_spec = { boot_b, boot_seed >= 0 ? (unsigned long long)boot_seed
                                                          : ci_clock_seed(),
                                   boot_threads > 0 ? (int)boot_threads : ci_cores(), a.level,
                                   ci_progress_wanted(quiet, a.json) ? "lmm" : NULL };
        if (boot_seed < 0)
            boot_seed = (long long)lrt_spec.seed;   /* the interval bootstrap's seed too */
        status = lmm_compare(&e, compare, m, df, r, &opt, boot_b > 0 ? &lrt_spec : NULL,
                             &comparison);
        if (status == ST_OK)
            r->compare = &comparison.t;
    }
    if (status == ST_OK)
        status = ci_check_boot_memory(&e, boot_b, lmm_varpar_count(r, 1) + r->rank + 2.0,
                                      max_boot_mb);
    if (status == ST_OK && boot_b > 0) {
        lmm_boot_spec spec = { boot_b, boot_seed >= 0 ? (unsigned long long)boot_seed
                                                      : ci_clock_seed(),
                               boot_threads > 0 ? (int)boot_threads : ci_cores(), a.level,
                               ci_progress_wanted(quiet, a.json) ? "lmm" : NULL };
        status = lmm_bootstrap(&e, m, r, &spec, &r->boot);
    }
    if (status == ST_OK && confint != NULL && strcmp(confint, "wald") == 0)
        status = lmm_confint_wald(&e, r, &r->confint);
    if (status == ST_OK && confint != NULL && strcmp(confint, "boot") == 0)
        status = ci_from_boot(&e, r->boot, &r->confint);
    if (status == ST_OK && confint != NULL && strcmp(confint, "profile") == 0)
        status = lmm_confint_profile(&e, m, r, a.level,
                                     ci_progress_wanted(quiet, a.json) ? "lmm" : NULL, &r->confint);
    if (status == ST_OK && boot_ci != NULL && strcmp(boot_ci, "basic") == 0)
        ci_use_basic(r->confint, r->boot);
    if (trace != NULL) {
        int closed = cli_close_output(&e, "trace", trace_path, trace);
        if (status == ST_OK)
            status = closed;
    }
    if (status == ST_OK) {
        if (r->unbounded)
            fprintf(stderr, "lmm: warning: the criterion decreases without bound (the random "
                    "effects fit the response exactly); the optimizer stopped after %ld "
                    "evaluations, and the estimates are not an optimum\n", r->evaluations);
        else if (!r->converged)
            fprintf(stderr, "lmm: warning: the optimizer stopped before converging (NLopt status "
                    "%d, after %ld evaluations); the estimates may not be the optimum\n",
                    r->nlopt_status, r->evaluations);
        if (verbose)
            fprintf(stderr, "lmm: %ld evaluations of the %s criterion in %.3f s, %.3g ms each\n",
                    r->evaluations, r->reml ? "REML" : "ML", r->seconds,
                    r->evaluations > 0 ? 1e3 * r->seconds / (double)r->evaluations : 0.0);
        if (a.json)
            lmm_write_json(stdout, r);
        else {
            lmm_print(stdout, r, a.data);
            if (ranef) {
                fputc('\n', stdout);
                lmm_print_ranef(stdout, r);
            }
            if (compare != NULL)
                nest_print_lrt(stdout, comparison.tab, compare, a.formula, a.data,
                               comparison.refitted);
            if (compare != NULL && comparison.t.boot_replicates > 0)
                nest_print_boot(stdout, &comparison.t);
            if (r->boot != NULL)
                ci_boot_print(stdout, r->boot);
            if (r->confint != NULL) {
                fputc('\n', stdout);
                ci_print(stdout, r->confint);
            }
        }
        if (fflush(stdout) != 0 || ferror(stdout))
            status = st_fail(&e, ST_EFIT, "cannot write the output");
    }
    if (status != ST_OK)
        fprintf(stderr, "lmm: %s\n", e.msg);
    if (compare != NULL)
        lmm_lrt_boot_free(&comparison.boot);
    free(wt);
    lmm_free(r);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
