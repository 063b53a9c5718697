#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "data.h"
#include "driver.h"
#include "formula.h"
#include "json.h"
#include "ols.h"
#include <time.h>
#include "boot.h"
#include "rng.h"
#include "nested.h"
#include "rformat.h"
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include <math.h>
#include "confint.h"
#include "augment.h"
#include "predict.h"
static int scale_rows_by_weights(st_error *e, const df_frame *df, const char *column,
                                 frm_model *m, boot_spec *spec);

typedef struct ols_program {
    drv_options o;                  /* the options shared with the other programs */
    ols_workspace *w;               /* the fit's workspace, or NULL */
    ols_result *r;                  /* the fit */
    const char *boot_type;          /* --boot-type */
    boot_result *boot;              /* the bootstrap's result, or NULL */
    nest_test cmp_test;             /* --compare's F test */
    double cmp_tab[12];             /* and its table, as anova prints it */
    ci_table *ci;                   /* --confint's table, or NULL */
    double *wt;                     /* --weights's prior weights, or NULL */
} ols_program;

static int check_model(st_error *e, const frm_model *m, const df_frame *df)
{
    if (m->ycols != 1)
        return st_fail(e, ST_EINPUT, "formula \"%s\": the response must be one numeric "
                       "variable", m->formula);
    if (m->n == 0)
        return st_fail(e, ST_EINPUT, "%s: no rows left to fit", df->source);
    return ST_OK;
}
static int fit_model(st_error *e, ols_program *s, const cli_args *a, const df_frame *df,
                     const frm_model *m)
{
    const drv_options *o = &s->o;
    int status = ST_OK;
    if (status == ST_OK && o->weights != NULL)
        status = frm_weights(e, m, df, o->weights, &s->wt);
    if (status == ST_OK && s->wt != NULL)
        status = ols_fit_weighted(e, m->X, m->y, s->wt, m->n, m->p, m->intercept, a->level,
                                  &s->r);
    if (status == ST_OK && s->r == NULL)
        status = ols_workspace_new(e, m->n, m->p, NULL, &s->w);
    if (status == ST_OK && s->r == NULL)
        status = ols_fit(e, s->w, m->X, m->y, m->intercept, a->level, &s->r);
    return status;
}
static void call_data(char *buf, size_t size, const char *arg)
{
    if (strcmp(arg, "-") == 0)
        snprintf(buf, size, "read.csv(file(\"stdin\"))");
    else if (strchr(arg, '/') == NULL && access(arg, F_OK) != 0)
        snprintf(buf, size, "%s", arg);
    else {
        size_t k = 0;
        k += (size_t)snprintf(buf, size, "read.csv(\"");
        for (const char *s = arg; *s && k + 8 < size; s++) {
            if (*s == '"' || *s == '\\')
                buf[k++] = '\\';
            buf[k++] = *s;
        }
        snprintf(buf + k, size - k, "\")");
    }
}
static int write_output(st_error *e, const cli_args *a, const frm_model *m,
                        const char *weights_column,
                        const ols_result *r, const boot_result *boot
                                           , const nest_test *cmp, const double *cmp_tab
                                           , const ci_table *ci)
{
    char data[4200];
    call_data(data, sizeof data, a->data);
    cli_call_read_options(data, sizeof data, a);
    if (r->weights != NULL && weights_column != NULL)     /* lm(..., weights = w) */
        snprintf(data + strlen(data), sizeof data - strlen(data), ", weights = %.100s",
                 weights_column);
    ols_labels l = { m->formula, data, (const char *const *)m->colnames, m->row,
                     m->n_dropped };
    if (a->json) {
        js_writer jw;
        js_init(&jw, stdout);
        js_object_begin(&jw, 0);
        ols_json_members(&jw, r, &l);
        if (boot != NULL)
            boot_json_member(&jw, boot, (const char *const *)m->colnames);
        if (cmp != NULL)
            nest_json(&jw, cmp);
        if (ci != NULL)
            ci_json(&jw, ci);
        js_object_end(&jw);
    } else {
        if (ols_print_summary(stdout, r, &l) != 0 || ols_print_confint(stdout, r, &l) != 0)
            return st_fail(e, ST_ENOMEM, "out of memory");
        if (boot != NULL) {
            char rerun[96];
            drv_rerun(rerun, sizeof rerun, boot->spec.replicates, boot_type_name[boot->spec.type],
                      (unsigned long long)boot->spec.seed);
            if (boot_print(stdout, boot, (const char *const *)m->colnames, r->conf_low, r->conf_high,
                           rerun) != 0)
                return st_fail(e, ST_ENOMEM, "out of memory");
        }
        if (cmp != NULL) {
            static const char *const rows[] = { "1", "2" };
            static const char *const cols[] = { "Res.Df", "RSS", "Df", "Sum of Sq", "F", "Pr(>F)" };
            char *f0 = rf_deparse_formula(cmp->formula0), *f1 = rf_deparse_formula(m->formula);
            printf("\nAnalysis of Variance Table\n\nModel 1: %s\nModel 2: %s\n",
                   f0 ? f0 : cmp->formula0, f1 ? f1 : m->formula);
            free(f0);
            free(f1);
            if (nest_print_anova(stdout, cmp_tab, 2, 6, rows, cols) != 0)
                return st_fail(e, ST_ENOMEM, "out of memory");
        }
        if (ci != NULL && strcmp(ci->method, "boot") == 0) {
            fprintf(stdout, "\nBootstrap percentile intervals (--confint boot):\n");
            if (ci_print(stdout, ci) != 0)
                return st_fail(e, ST_ENOMEM, "out of memory");
        }
    }
    return ST_OK;
}
static const char *const boot_types[] = { "pairs", "residual", "wild", NULL };
static uint64_t clock_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_sec * UINT64_C(1000000007) + (uint64_t)ts.tv_nsec
                 + (uint64_t)getpid();
    return rng_splitmix64(&x) >> 32;
}

static int cores(void)
{
    long k = sysconf(_SC_NPROCESSORS_ONLN);
    return k < 1 ? 1 : k > 1024 ? 1024 : (int)k;
}
static int run_bootstrap(st_error *e, const frm_formula *f, const df_frame *df,
                         long long B, const char *type, long long seed, long long threads,
                         double level, const char *weights_column, const char *progress,
                         boot_result **out)
{
    frm_model *m = NULL;
    if (frm_model_frame(e, f, df, FRM_FIXED_ONLY, &m) != ST_OK)
        return e->status;
    frm_subtract_offset(m);     /* an offset: resample y - o (eq:ols-offset) */
    boot_spec spec = { BOOT_PAIRS, B, seed >= 0 ? (uint64_t)seed : clock_seed(),
                       threads > 0 ? (int)threads : cores(), level,
                       m->intercept ? BOOT_F_MEAN : BOOT_F_ZERO };
    for (int t = BOOT_PAIRS; t <= BOOT_WILD; t++)
        if (strcmp(type, boot_type_name[t]) == 0)
            spec.type = (boot_type)t;
    int status = weights_column != NULL ? scale_rows_by_weights(e, df, weights_column, m, &spec)
                                        : ST_OK;
    if (status == ST_OK)
        status = boot_run_progress(e, m->X, m->y, m->n, m->p, &spec, progress, out);
    frm_model_free(m);
    return status;
}
static int bootstrap_model(st_error *e, ols_program *s, const cli_args *a,
                           const frm_formula *f, const df_frame *df, const frm_model *m)
{
    const drv_options *o = &s->o;
    const ols_result *r = s->r;
    int status = ST_OK;
    if (status == ST_OK)
        status = ci_check_boot_memory(e, o->boot, 2.0 * m->p + 2, o->max_boot_mb);
    if (status == ST_OK && o->boot > 0 && m->n < 2)
        status = st_fail(e, ST_EINPUT, "--boot: the data have one row: every resample is that "
                         "row, so there is nothing to resample");
    if (status == ST_OK && o->boot > 0)
        status = run_bootstrap(e, f, df, o->boot, s->boot_type, o->seed, o->threads, a->level,
                               o->weights,
                               ci_progress_wanted(o->quiet, a->json) ? "ols" : NULL, &s->boot);
    if (status == ST_OK && s->boot != NULL) {
        if (r->perfect_fit)
            fprintf(stderr, "ols: warning: bootstrap: an essentially perfect fit, which every "
                    "replicate fits exactly too: the intervals measure only rounding error\n");
        boot_warn(stderr, "ols", s->boot, (const char *const *)m->colnames);
    }
    return status;
}
static int ols_compare(st_error *e, const char *formula0, const frm_formula *f,
                       const df_frame *df, const ols_result *r, double level,
                       const char *weights_column, nest_test *t, double *tab)
{
    frm_model *m1 = NULL, *m0 = NULL;
    ols_workspace *w0 = NULL;
    ols_result *r0 = NULL;
    double *wt0 = NULL;
    int status = frm_model_frame(e, f, df, FRM_FIXED_ONLY, &m1);
    if (status == ST_OK)
        status = nest_model_frame(e, formula0, m1, df, FRM_FIXED_ONLY, &m0);
    if (status == ST_OK)
        frm_subtract_offset(m0);
    if (status == ST_OK && weights_column != NULL
        && (status = frm_weights(e, m0, df, weights_column, &wt0)) == ST_OK)
        status = ols_fit_weighted(e, m0->X, m0->y, wt0, m0->n, m0->p, m0->intercept, level,
                                  &r0);            /* the same weights (eq:ols-weights) */
    free(wt0);
    if (status == ST_OK && r0 == NULL)
        status = ols_workspace_new(e, m0->n, m0->p, NULL, &w0);
    if (status == ST_OK && r0 == NULL)
        status = ols_fit(e, w0, m0->X, m0->y, m0->intercept, level, &r0);
    if (status == ST_OK && r0->df_residual <= r->df_residual)
        status = st_fail(e, ST_EINPUT, "--compare: \"%s\" has %d residual degrees of freedom "
                         "and the model %d: the formula to compare with must be the smaller "
                         "model", formula0, r0->df_residual, r->df_residual);
    if (status == ST_OK) {
        double d = r0->df_residual - r->df_residual, ss = r0->rss - r->rss;
        double F = (ss / d) / (r->rss / r->df_residual);
        *t = (nest_test){ .formula0 = formula0, .test = "F", .df0 = r0->df_residual,
                          .df1 = r->df_residual, .statistic = F, .df = d,
                          .p_value = pf(F, d, r->df_residual, 0, 0) };
        double x[12] = { r0->df_residual, r->df_residual, r0->rss, r->rss, NAN, d,
                         NAN, ss, NAN, F, NAN, t->p_value };
        memcpy(tab, x, sizeof x);
    }
    ols_result_free(r0);
    ols_workspace_free(w0);
    frm_model_free(m0);
    frm_model_free(m1);
    return status;
}
static const char *const confint_methods[] = { "wald", "boot", NULL };
static int confint_table(st_error *e, const char *method, const ols_result *r,
                         const boot_result *boot, const frm_model *m, double level,
                         ci_table **out)
{
    int status = ci_table_new(e, r->p, method, level, out);
    ci_table *ci = *out;
    for (int j = 0; j < r->p && status == ST_OK; j++) {
        int wald = strcmp(method, "wald") == 0;
        ci->low[j] = r->aliased[j] ? NAN : wald ? r->conf_low[j] : boot->percentile[2 * j];
        ci->high[j] = r->aliased[j] ? NAN : wald ? r->conf_high[j]
                                                 : boot->percentile[2 * j + 1];
        if ((ci->names[j] = st_strdup(e, m->colnames[j])) == NULL)
            status = e->status;
    }
    return status;
}
static int write_augment(st_error *e, const char *path, const cli_args *a,
                         const df_frame *df, const frm_model *m, const ols_result *r)
{
    static const char *const names[] = { ".fitted", ".resid" };
    double *cols = st_alloc(e, 2 * (size_t)m->n + 1, sizeof *cols);
    if (cols == NULL)
        return e->status;
    memcpy(cols, r->fitted, (size_t)m->n * sizeof *cols);
    memcpy(cols + m->n, r->resid, (size_t)m->n * sizeof *cols);
    int status = aug_write(e, path, a->formula, df, m->row, m->n, 2, names, cols);
    free(cols);
    return status;
}
static int write_predictions(st_error *e, const char *newdata, const char *path,
                             const cli_args *a, const frm_formula *f, const df_frame *df,
                             const ols_result *r)
{
    df_frame *comb = NULL;
    frm_model *m1 = NULL, *mn = NULL;
    int offset = 0, nnew = 0;
    int status = frm_model_frame(e, f, df, FRM_FIXED_ONLY, &m1);
    if (status == ST_OK)
        status = pred_frame(e, a->formula, df, m1, newdata, FRM_FIXED_ONLY, &comb, &mn,
                            &offset, &nnew);
    if (status == ST_OK) {
        static const char *const names[] = { ".fitted" };
        double *v = st_alloc(e, (size_t)mn->n + 1, sizeof *v);
        if (v == NULL)
            status = e->status;
        else {
            for (int i = 0; i < mn->n; i++)
                v[i] = pred_fixed(mn, i, r->beta);
            status = pred_write(e, path, a->formula, comb, offset, nnew, mn, 1, names, v);
            free(v);
        }
    }
    frm_model_free(mn);
    frm_model_free(m1);
    df_free(comb);
    return status;
}
static int scale_rows_by_weights(st_error *e, const df_frame *df, const char *column,
                                 frm_model *m, boot_spec *spec)
{
    double *w = NULL;
    if (frm_weights(e, m, df, column, &w) != ST_OK)
        return e->status;
    int n = m->n, k = 0;
    for (int i = 0; i < n; i++) {
        if (!(w[i] > 0))
            continue;
        double sw = sqrt(w[i]);
        for (int c = 0; c < m->p; c++)
            m->X[k + (size_t)c * n] = sw * m->X[i + (size_t)c * n];
        m->y[k++] = sw * m->y[i];
    }
    free(w);
    if (k == 0)
        return st_fail(e, ST_EFIT, "--weights: every weight is 0: no observation to fit");
    for (int c = 1; c < m->p; c++)          /* close up the columns: leading dimension k */
        memmove(m->X + (size_t)c * k, m->X + (size_t)c * n, (size_t)k * sizeof *m->X);
    m->n = k;
    spec->f_null = BOOT_F_NONE;
    return ST_OK;
}
static int ols_flags(const void *state)
{
    (void)state;
    return FRM_FIXED_ONLY;
}

static int ols_program_fit(st_error *e, void *state, const cli_args *a,
                           const frm_formula *f, const df_frame *df, frm_model *m)
{
    ols_program *s = state;
    const drv_options *o = &s->o;
    int status = check_model(e, m, df);
    if (status == ST_OK)
        frm_subtract_offset(m);     /* an offset: fit y - o (eq:ols-offset) */
    if (status == ST_OK)
        status = fit_model(e, s, a, df, m);
    if (status == ST_OK)
        status = bootstrap_model(e, s, a, f, df, m);
    if (status == ST_OK && o->compare != NULL)
        status = ols_compare(e, o->compare, f, df, s->r, a->level, o->weights, &s->cmp_test,
                             s->cmp_tab);
    if (status == ST_OK && o->confint != NULL)
        status = confint_table(e, o->confint, s->r, s->boot, m, a->level, &s->ci);
    if (status == ST_OK && o->augment != NULL)
        status = write_augment(e, o->augment, a, df, m, s->r);
    if (status == ST_OK && o->predict != NULL)
        status = write_predictions(e, o->predict, o->out, a, f, df, s->r);
    return status;
}

static int ols_program_write(st_error *e, void *state, const cli_args *a,
                             const frm_model *m)
{
    const ols_program *s = state;
    const drv_options *o = &s->o;
    const ols_result *r = s->r;
    if (r->perfect_fit)
        fprintf(stderr, "ols: warning: essentially perfect fit: summary may be unreliable\n");
    return write_output(e, a, m, o->weights,
                        r, s->boot
                         , o->compare != NULL ? &s->cmp_test : NULL, s->cmp_tab
                         , s->ci);
}

static void ols_program_free(void *state)
{
    ols_program *s = state;
    ols_result_free(s->r);
    ols_workspace_free(s->w);
    boot_result_free(s->boot);
    ci_table_free(s->ci);
    free(s->wt);
}

int main(int argc, char **argv)
{
    ols_program s = { .o = DRV_OPTIONS_DEFAULT };
    drv_options *o = &s.o;
    s.boot_type = "pairs";
    const cli_option options[] = {
        drv_option(o, "boot", "add bootstrap intervals from B replicates"),
        { "boot-type", CLI_WORD, &s.boot_type, "T", "resample pairs (the default), residual or wild",
          0, 0, 0, "pairs, residual or wild", boot_types },
        drv_option(o, "seed", NULL),
        drv_option(o, "threads", NULL),
        drv_option(o, "max-boot-memory", NULL),
        drv_option(o, "compare", "also fit the smaller model FORMULA0 to the same rows and give "
                   "the F test of FORMULA against it, as anova(lm0, lm1)"),
        { "confint", CLI_WORD, &o->confint, "M", "add confint()'s intervals by method M to the JSON "
          "(wald) or print the bootstrap's (boot)", 0, 0, 0, "wald or boot", confint_methods },
        drv_option(o, "quiet", NULL),
        drv_option(o, "augment", NULL),
        drv_option(o, "predict", NULL),
        drv_option(o, "out", NULL),
        drv_option(o, "weights", "prior weights from COLUMN: weighted least squares, as lm's "
                   "weights"),
        DRV_END };
    const drv_program prog = {
        .name = "ols", .purpose = "Multiple linear regression by least squares, as R's "
        "lm(), summary() and confint().", .options = options, .common = o, .state = &s,
        .flags = ols_flags, .fit = ols_program_fit, .write = ols_program_write,
        .free = ols_program_free };
    return drv_main(&prog, argc, argv);
}
