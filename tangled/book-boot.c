#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "booktex.h"
#include "boot.h"
#include "driver.h"         /* drv_rerun: the options bin/ols prints */
#include "data.h"
#include "formula.h"
#include "jsonr.h"
#include "numutil.h"
#include "ols.h"
#include "rng.h"
#include "compare.h"

static FILE *open_dat(const char *dir, const char *what, const char *header)
{
    return cmp_open_dat(dir, "boot", what, header);
}
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return 1e3 * (double)ts.tv_sec + 1e-6 * (double)ts.tv_nsec;
}

static void tex_millis(const char *name, double ms)
{
    printf("\\newcommand{\\%s}{%.*f}\n", name, ms >= 10 ? 0 : ms >= 1 ? 1 : 2, ms);
}
static frm_model *model(const char *formula, const char *data)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    if (frm_parse(&e, formula, &f) == ST_OK && df_read(&e, data, &df) == ST_OK)
        frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
    if (m == NULL)
        fprintf(stderr, "book-boot: %s\n", e.msg);
    df_free(df);
    frm_free(f);
    return m;
}

static int demo(void)
{
    frm_model *m = model("mpg ~ wt + hp", "mtcars");
    st_error e = { 0 };
    ols_workspace *w = NULL;
    ols_result *fit = NULL;
    boot_result *r = NULL;
    boot_spec spec = { BOOT_PAIRS, 2000, 1, 2, 0.95, BOOT_F_MEAN };
    int status = m ? ST_OK : ST_EINPUT;
    double t0 = now_ms();
    if (status == ST_OK)
        status = boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r);
    tex_count("bootDemoB", spec.replicates);
    printf("\\newcommand{\\bootDemoSeed}{%llu}\n", (unsigned long long)spec.seed);
    printf("\\newcommand{\\bootDemoThreads}{%d}\n", spec.threads);
    tex_millis("bootDemoMillis", now_ms() - t0);
    if (status == ST_OK && ols_workspace_new(&e, m->n, m->p, NULL, &w) == ST_OK)
        status = ols_fit(&e, w, m->X, m->y, m->intercept, 0.95, &fit);
    if (status == ST_OK && fit != NULL) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        char rerun[96];             /* what bin/ols prints: the options that repeat the run */
        drv_rerun(rerun, sizeof rerun, spec.replicates, boot_type_name[spec.type],
                  (unsigned long long)spec.seed);
        boot_print(out, r, (const char *const *)m->colnames, fit->conf_low, fit->conf_high,
                   rerun);
        fclose(out);
        printf("\\newcommand{\\bootDemo}{");
        tex_verbatim(stdout, buf);
        printf("}\n");
        free(buf);
    } else
        fprintf(stderr, "book-boot: %s\n", e.msg);
    ols_result_free(fit);
    ols_workspace_free(w);
    boot_result_free(r);
    frm_model_free(m);
    return status == ST_OK && fit != NULL ? 0 : 1;
}
static void tex_coefs(const char *name, const double *v, int p)
{
    printf("\\newcommand{\\%s}{(", name);
    for (int j = 0; j < p; j++)
        printf("%s%.4g", j ? ", " : "", v[j]);
    printf(")'}\n");
}

static int replicate_example(void)
{
    frm_model *m = model("mpg ~ wt + hp", "mtcars");
    st_error e = { 0 };
    boot_result *r = NULL;
    ols_workspace *w = NULL;
    boot_spec spec = { BOOT_PAIRS, 2000, 1, 1, 0.95, BOOT_F_NONE };
    if (m == NULL || m->p > 8 || boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r) != ST_OK
        || ols_workspace_new(&e, m->n, m->p, NULL, &w) != ST_OK)
        return fprintf(stderr, "book-boot: replicate example: %s\n", e.msg), 1;
    int n = m->n, p = m->p, status = ST_OK;
    int *idx = malloc(sizeof(int) * (size_t)n), *seen = calloc((size_t)n, sizeof(int));
    double *y = malloc(sizeof(double) * (size_t)n), coef[8];
    if (idx == NULL || seen == NULL || y == NULL)
        status = st_fail(&e, ST_ENOMEM, "out of memory");
    if (status == ST_OK)
        {
            rng_state g;
            rng_stream(&g, spec.seed, 0);
            for (int i = 0; i < n; i++)
                idx[i] = (int)rng_below(&g, (uint32_t)n);
            for (int j = 0; j < p; j++)
                for (int i = 0; i < n; i++)
                    w->qr[i + (size_t)j * n] = m->X[idx[i] + (size_t)j * n];
            for (int i = 0; i < n; i++)
                y[i] = m->y[idx[i]];
            status = ols_decompose(&e, w, w->qr, n);
            if (status == ST_OK)
                status = ols_solve(&e, w, y, coef, NULL);
        }
    if (status == ST_OK)
        for (int j = 0; j < p; j++)
            if (coef[j] != r->star[j])
                status = st_fail(&e, ST_EFIT, "coefficient %d: %.17g, boot_run stored %.17g", j,
                                 coef[j], r->star[j]);
    if (status == ST_OK) {
        int distinct = 0, most = 0;
        printf("\\newcommand{\\bootRepRows}{");
        for (int i = 0; i < n; i++) {
            printf("%s%d", i ? ",\\allowbreak\n" : "", idx[i] + 1);
            distinct += seen[idx[i]]++ == 0;
            most = seen[idx[i]] > most ? seen[idx[i]] : most;
        }
        printf("}\n\\newcommand{\\bootRepN}{%d}\n\\newcommand{\\bootRepDistinct}{%d}\n", n, distinct);
        printf("\\newcommand{\\bootRepExpected}{%.1f}\n", n * (1 - pow(1 - 1.0 / n, n)));
        printf("\\newcommand{\\bootRepAbsent}{%d}\n", n - distinct);
        printf("\\newcommand{\\bootRepLimit}{%.1f}\n", 100 * (1 - exp(-1.0)));
        printf("\\newcommand{\\bootRepMost}{%d}\n", most);
        tex_coefs("bootRepCoef", coef, p);
        tex_coefs("bootRepEstimate", r->estimate, p);
    } else
        fprintf(stderr, "book-boot: replicate example: %s\n", e.msg);
    free(idx);
    free(seen);
    free(y);
    ols_workspace_free(w);
    boot_result_free(r);
    frm_model_free(m);
    return status != ST_OK;
}
#define HIST_BINS 30
#define HIST_METHODS 5
static const char *const hist_style[HIST_METHODS] = { "solid", "dashed", "dotted", "dash dot",
                                                      "dash dot dot" };

static const double *hist_interval(const boot_result *r, const ols_result *fit, int k, int j,
                                   double tci[2])
{
    tci[0] = fit->conf_low[j];
    tci[1] = fit->conf_high[j];
    return k == 0 ? tci : k == 1 ? r->percentile + 2 * j : k == 2 ? r->basic + 2 * j
                    : k == 3 ? r->bca + 2 * j : r->studentized + 2 * j;
}

static int hist_figure(const char *dir)
{
    frm_model *m = model("mpg ~ wt + hp", "mtcars");
    st_error e = { 0 };
    ols_workspace *w = NULL;
    ols_result *fit = NULL;
    boot_result *r[3] = { NULL, NULL, NULL };
    int status = m != NULL && m->p <= 8 ? ST_OK : ST_EINPUT;
    if (status == ST_OK && (status = ols_workspace_new(&e, m->n, m->p, NULL, &w)) == ST_OK)
        status = ols_fit(&e, w, m->X, m->y, m->intercept, 0.95, &fit);
    for (int t = 0; t < 3 && status == ST_OK; t++) {
        boot_spec spec = { (boot_type)t, 2000, 1, 1, 0.95, BOOT_F_NONE };
        status = boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r[t]);
    }
    FILE *hist = NULL;
    if (status == ST_OK) {
        char head[2048];
        int len = 0;
        for (int j = 0; j < m->p; j++)
            len += snprintf(head + len, sizeof head - (size_t)len, "%sx%d", j ? " " : "", j);
        for (int t = 0; t < 3; t++)
            for (int j = 0; j < m->p; j++)
                len += snprintf(head + len, sizeof head - (size_t)len, " %s%d", boot_type_name[t], j);
        hist = open_dat(dir, "hist", head);
        if (hist == NULL)
            status = ST_EFIT;
    }
    if (status == ST_OK) {
        tex_count("bootHistB", r[0]->spec.replicates);
        int p = m->p;
        long long B = r[0]->spec.replicates;
        double lo[8], width[8], tci[2];
        long count[3][8][HIST_BINS];
        memset(count, 0, sizeof count);
        for (int j = 0; j < p; j++) {
            double a = INFINITY, z = -INFINITY;
            for (int t = 0; t < 3; t++) {
                for (long long b = 0; b < B; b++) {
                    double v = r[t]->star[b * p + j];
                    if (isfinite(v)) { a = fmin(a, v); z = fmax(z, v); }
                }
                for (int k = 0; k < HIST_METHODS; k++) {
                    const double *end = hist_interval(r[t], fit, k, j, tci);
                    a = fmin(a, end[0]);
                    z = fmax(z, end[1]);
                }
            }
            lo[j] = a;
            width[j] = (z - a) / HIST_BINS;
            for (int t = 0; t < 3; t++)
                for (long long b = 0; b < B; b++) {
                    double v = r[t]->star[b * p + j];
                    if (isfinite(v)) {
                        int bin = (int)((v - a) / width[j]);
                        count[t][j][bin < HIST_BINS ? bin : HIST_BINS - 1]++;
                    }
                }
        }
        for (int k = 0; k <= HIST_BINS; k++) {
            for (int j = 0; j < p; j++)
                fprintf(hist, "%s%.6g", j ? " " : "", lo[j] + k * width[j]);
            for (int t = 0; t < 3; t++)
                for (int j = 0; j < p; j++)
                    fprintf(hist, " %.5f", (double)count[t][j][k < HIST_BINS ? k : HIST_BINS - 1]
                                               * fit->se[j] / ((double)r[t]->used[j] * width[j]));
            fprintf(hist, "\n");
        }
        for (int t = 0; t < 3; t++)
            for (int j = 0; j < p; j++) {
                printf("\\expandafter\\def\\csname bootLadder %s%d\\endcsname{", boot_type_name[t], j);
                for (int k = 0; k < HIST_METHODS; k++) {
                    const double *end = hist_interval(r[t], fit, k, j, tci);
                    printf("\\draw[thick, %s, {Bar[width=5pt]}-{Bar[width=5pt]}] (axis cs:%.6g,%.2f) -- "
                           "(axis cs:%.6g,%.2f);\n", hist_style[k], end[0], -0.08 * (k + 1), end[1],
                           -0.08 * (k + 1));
                }
                printf("}\n");
            }
    }
    if (status != ST_OK)
        fprintf(stderr, "book-boot: histograms: %s\n", e.msg);
    if (hist != NULL && fclose(hist) != 0)
        status = ST_EFIT;
    for (int t = 0; t < 3; t++)
        boot_result_free(r[t]);
    ols_result_free(fit);
    ols_workspace_free(w);
    frm_model_free(m);
    return status != ST_OK;
}
static double mc_sd(double u, double B)
{
    return sqrt(u * (1 - u) / B) / dnorm(qnorm(u, 0, 1, 1, 0), 0, 1, 0);
}

static int mc_table(void)
{
    static const double B[] = { 200, 1000, 2000, 10000, 200000 }, alpha[] = { 0.05, 0.01 };
    printf("\\newcommand{\\bootMCTable}{\\begin{tabular}{rrr}\n\\toprule\n"
           "$B$ & $\\alpha = %g$ (%g\\%%) & $\\alpha = %g$ (%g\\%%) \\\\\n\\midrule\n",
           alpha[0], 100 * (1 - alpha[0]), alpha[1], 100 * (1 - alpha[1]));
    for (int k = 0; k < 5; k++)
        printf("%.0f & %.4f & %.4f \\\\\n", B[k], mc_sd(alpha[0] / 2, B[k]),
               mc_sd(alpha[1] / 2, B[k]));
    printf("\\bottomrule\n\\end{tabular}}\n");
    printf("\\newcommand{\\bootMCTwoSdThousand}{%.2f}\n", 2 * mc_sd(alpha[0] / 2, 1000));
    tex_count("bootMCRefB", (long long)B[4]);
    printf("\\newcommand{\\bootMCSdRef}{%.3f}\n", mc_sd(alpha[0] / 2, B[4]));
    printf("\\newcommand{\\bootMCDiffRef}{%.3f}\n", sqrt(2) * mc_sd(alpha[0] / 2, B[4]));
    return 0;
}
#define MC_TOTAL 200000
static int mc_figure(const char *dir)
{
    static const int size[] = { 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
    frm_model *m = model("mpg ~ wt + hp", "mtcars");
    st_error e = { 0 };
    boot_result *r = NULL;
    boot_spec spec = { BOOT_PAIRS, MC_TOTAL, 7, 1, 0.95, BOOT_F_NONE };
    double lo = (1 - spec.level) / 2;    /* alpha/2: the level of the lower end */
    double *v = malloc(sizeof(double) * MC_TOTAL), *batch = malloc(sizeof(double) * MC_TOTAL);
    FILE *dat = open_dat(dir, "mc", "B endpoint se endtheory setheory");
    int status = m && v && batch && dat ? boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r) : ST_EFIT;
    if (status == ST_OK) {
        double mean = 0, m2 = 0, m4 = 0;
        for (int b = 0; b < MC_TOTAL; b++) {
            v[b] = r->star[(size_t)b * m->p + 1];
            mean += v[b] / MC_TOTAL;
        }
        for (int b = 0; b < MC_TOTAL; b++) {
            double d = (v[b] - mean) * (v[b] - mean);
            m2 += d / MC_TOTAL;
            m4 += d * d / MC_TOTAL;
        }
        double se = sqrt(m2), kurt = m4 / (m2 * m2);
        double log_ratio = 0;
        int count = (int)(sizeof size / sizeof size[0]);
        for (int s = 0; s < count; s++) {
            int B = size[s], nb = MC_TOTAL / B;
            double s1 = 0, s2 = 0, t1 = 0, t2 = 0;
            for (int k = 0; k < nb; k++) {
                double bm = 0, bv = 0;
                memcpy(batch, v + (size_t)k * B, sizeof(double) * (size_t)B);
                for (int b = 0; b < B; b++)
                    bm += batch[b] / B;
                for (int b = 0; b < B; b++)
                    bv += (batch[b] - bm) * (batch[b] - bm) / (B - 1);
                double q = boot_quantile(batch, B, lo) / se, sb = sqrt(bv) / se;
                s1 += q; s2 += q * q; t1 += sb; t2 += sb * sb;
            }
            double sd_end = sqrt((s2 - s1 * s1 / nb) / (nb - 1)), sd_se = sqrt((t2 - t1 * t1 / nb) / (nb - 1));
            fprintf(dat, "%d %.6g %.6g %.6g %.6g\n", B, sd_end, sd_se, mc_sd(lo, B),
                    sqrt((kurt - 1) / (4.0 * B)));
            log_ratio += log(sd_end / mc_sd(lo, B)) / count;
        }
        printf("\\newcommand{\\bootMCRatio}{%.1f}\n", exp(log_ratio));
        tex_count("bootMCTotal", MC_TOTAL);
        printf("\\newcommand{\\bootMCKurtosis}{%.1f}\n", kurt);
    } else
        fprintf(stderr, "book-boot: Monte Carlo figure: %s\n", e.msg);
    if (dat != NULL && fclose(dat) != 0)
        status = ST_EFIT;
    free(v);
    free(batch);
    boot_result_free(r);
    frm_model_free(m);
    return status != ST_OK;
}
static const char *const ref_case[4] = { "mtcars_pairs", "mtcars_residual", "mtcars_wild",
                                         "iris_pairs_90" };
static int versus_r_case(const char *name, int print, double *worst, double *worst_accel,
                         double *worst_reg, double *basic_vs_perc, int *endpoints);

static int versus_r(void)
{
    double worst = 0, worst_accel = 0, worst_reg = 0, basic_vs_perc = 0;
    int endpoints = 0;
    printf("\\newcommand{\\bootVersusR}{\\begin{tabular}{llrrrrr}\n\\toprule\n"
           "& & \\multicolumn{2}{c}{R} & \\multicolumn{2}{c}{ours} & \\\\\n"
           "coefficient & interval & lower & upper & lower & upper & difference \\\\\n"
           "\\midrule\n");
    for (int k = 0; k < 4; k++)
        if (versus_r_case(ref_case[k], k == 0, &worst, &worst_accel, &worst_reg,
                          &basic_vs_perc, &endpoints) != 0)
            return 1;
    printf("\\bottomrule\n\\end{tabular}}\n");
    printf("\\newcommand{\\bootWorstDiff}{%.3f}\n", worst);
    printf("\\newcommand{\\bootNumEndpoints}{%d}\n", endpoints);
    int ex = (int)floor(log10(fmax(worst_accel, 1e-17)));
    printf("\\newcommand{\\bootAccelDiff}{$%.0f\\times10^{%d}$}\n",
           fmax(worst_accel, 1e-17) / pow(10, ex), ex);
    printf("\\newcommand{\\bootRegDiff}{%.2f}\n", worst_reg);
    printf("\\newcommand{\\bootBasicVsPerc}{%.2f}\n", basic_vs_perc);
    return 0;
}
typedef struct ref_run {
    jr_value *ref;       /* the reference file */
    frm_model *m;        /* the model of its formula and data */
    boot_result *r;      /* our bootstrap of it */
    double level, reps;  /* its level and number of replicates */
} ref_run;

static void ref_run_close(ref_run *c)
{
    boot_result_free(c->r);
    frm_model_free(c->m);
    jr_free(c->ref);
}

static int ref_run_open(const char *name, ref_run *c)
{
    char path[256];
    snprintf(path, sizeof path, "tests/reference/boot/%s.json", name);
    st_error e = { 0 };
    *c = (ref_run){ NULL, NULL, NULL, 0.95, 0 };
    if (jr_read(&e, path, &c->ref) != ST_OK) {
        fprintf(stderr, "book-boot: %s\n", e.msg);
        return 1;
    }
    const char *type = jr_string(jr_get(c->ref, "type"));
    jr_number(jr_get(c->ref, "level"), &c->level);
    jr_number(jr_get(c->ref, "replicates"), &c->reps);
    c->m = model(jr_string(jr_get(c->ref, "formula")), jr_string(jr_get(c->ref, "data")));
    boot_spec spec = { type && strcmp(type, "residual") == 0 ? BOOT_RESIDUAL
                       : type && strcmp(type, "wild") == 0 ? BOOT_WILD : BOOT_PAIRS,
                       (long long)c->reps, 20261123, 2, c->level,
                       c->m && c->m->intercept ? BOOT_F_MEAN : BOOT_F_ZERO };
    if (c->m == NULL || boot_run(&e, c->m->X, c->m->y, c->m->n, c->m->p, &spec, &c->r) != ST_OK) {
        fprintf(stderr, "book-boot: %s: %s\n", name, e.msg);
        ref_run_close(c);
        return 1;
    }
    return 0;
}
static int versus_r_case(const char *name, int print, double *worst, double *worst_accel,
                         double *worst_reg, double *basic_vs_perc, int *endpoints)
{
    ref_run c;
    if (ref_run_open(name, &c) != 0)
        return 1;
    const frm_model *m = c.m;
    const boot_result *r = c.r;
    const jr_value *coefs = jr_get(c.ref, "coefficients");
    for (int j = 0; j < m->p && j < (int)jr_len(coefs); j++)
        {
            const jr_value *rc = jr_at(coefs, (size_t)j);
            static const char *const kind[3] = { "percentile", "basic", "bca" };
            static const char *const label[3] = { "percentile", "basic", "BCa" };
            const double *ours[3] = { r->percentile + 2 * j, r->basic + 2 * j, r->bca + 2 * j };
            double se = 1, a, lo, hi;
            jr_number(jr_get(rc, "std_error"), &se);
            for (int k = 0; k < 3; k++) {
                const jr_value *pair = jr_get(rc, kind[k]);
                if (jr_number(jr_at(pair, 0), &lo) != 1 || jr_number(jr_at(pair, 1), &hi) != 1)
                    continue;
                double d = fmax(fabs(ours[k][0] - lo), fabs(ours[k][1] - hi)) / se;
                *worst = fmax(*worst, d);
                *endpoints += 2;
                int dec = 2 - (int)floor(log10(se));
                dec = dec < 0 ? 0 : dec;
                if (print)
                    printf("\\texttt{%s} & %s & %.*f & %.*f & %.*f & %.*f & %.3f \\\\\n",
                           m->colnames[j], label[k], dec, lo, dec, hi, dec, ours[k][0], dec,
                           ours[k][1], d);
            }
            if (jr_number(jr_get(rc, "acceleration"), &a) == 1)
                *worst_accel = fmax(*worst_accel, fabs(a - r->accel[j]));
            if (print)
                *basic_vs_perc = fmax(*basic_vs_perc, fmax(fabs(ours[1][0] - ours[0][0]),
                                                           fabs(ours[1][1] - ours[0][1])) / se);
            const jr_value *reg = jr_get(rc, "bca_regression"), *bca = jr_get(rc, "bca");
            double rlo, rhi;
            if (jr_number(jr_at(reg, 0), &rlo) == 1 && jr_number(jr_at(reg, 1), &rhi) == 1
                && jr_number(jr_at(bca, 0), &lo) == 1 && jr_number(jr_at(bca, 1), &hi) == 1 && print)
                *worst_reg = fmax(*worst_reg, fmax(fabs(rlo - lo), fabs(rhi - hi)) / se);
        }
    ref_run_close(&c);
    return 0;
}
static const char *const new_case[8] = { "mtcars_pairs", "mtcars_residual",
    "mtcars_wild", "iris_pairs_90", "qsec_wild", "toothgrowth_pairs", "iris_width_residual",
    "mtcars_zero" };

static void tex_p(double p)
{
    if (p >= 1e-3)
        printf("%.4f", p);
    else {
        int ex = (int)floor(log10(p));
        printf("$%.1f\\times10^{%d}$", p / pow(10, ex), ex);
    }
}

static int versus_r_new_case(const char *name, double *worst_stud, int *endpoints,
                             double *worst_f, double *f_vs_theory)
{
    ref_run c;
    if (ref_run_open(name, &c) != 0)
        return 1;
    const frm_model *m = c.m;
    const boot_result *r = c.r;
    double level = c.level, reps = c.reps, pf_r = NAN, pb = NAN;
    jr_number(jr_get(c.ref, "f_p_value"), &pf_r);
    jr_number(jr_get(c.ref, "boot_f_p_value"), &pb);
    double *t = malloc(sizeof(double) * (size_t)(reps + 1));
    if (t == NULL) {
        ref_run_close(&c);
        return 1;
    }
    const jr_value *coefs = jr_get(c.ref, "coefficients");
    for (int j = 0; j < m->p && j < (int)jr_len(coefs); j++)
        {
            const jr_value *pair = jr_get(jr_at(coefs, (size_t)j), "studentized");
            double lo, hi;
            if (jr_number(jr_at(pair, 0), &lo) == 1 && jr_number(jr_at(pair, 1), &hi) == 1) {
                long long ms = boot_t_star(r, j, t);
                double half = (1 - level) / 2;    /* alpha/2 */
                double sd_lo = sqrt(2) * r->se[j] * boot_quantile_sd(t, ms, 1 - half),
                       sd_hi = sqrt(2) * r->se[j] * boot_quantile_sd(t, ms, half);
                *worst_stud = fmax(*worst_stud, fmax(fabs(r->studentized[2 * j] - lo) / sd_lo,
                                                     fabs(r->studentized[2 * j + 1] - hi) / sd_hi));
                *endpoints += 2;
            }
        }
    double pbar = (pb + r->f_p_value) / 2, sd = sqrt(2 * pbar * (1 - pbar) / reps),
           z = fabs(r->f_p_value - pb) / sd;
    *worst_f = fmax(*worst_f, z);
    if (pf_r > 1e-3)
        *f_vs_theory = fmax(*f_vs_theory, fabs(pb / pf_r - 1));
    printf("\\texttt{");
    tex_escape(stdout, name, strlen(name), 0);
    printf("} & %.3f & %.0f, %.0f & ", r->f_stat, r->f_df[0], r->f_df[1]);
    tex_p(pf_r);
    printf(" & ");
    tex_p(pb);
    printf(" & ");
    tex_p(r->f_p_value);
    printf(" & %.2f \\\\\n", z);
    ref_run_close(&c);
    free(t);
    return 0;
}
static int versus_r_new(void)
{
    double worst_stud = 0, worst_f = 0, f_vs_theory = 0;
    int endpoints = 0;
    printf("\\newcommand{\\bootFTable}{\\begin{tabular}{lrrrrrr}\n\\toprule\n"
           "& & & & \\multicolumn{2}{c}{bootstrap} & \\\\\n"
           "case & $F$ & df & $F$ distribution & R & ours & difference \\\\\n"
           "\\midrule\n");
    for (int k = 0; k < 8; k++)
        if (versus_r_new_case(new_case[k], &worst_stud, &endpoints, &worst_f,
                              &f_vs_theory) != 0)
            return 1;
    printf("\\bottomrule\n\\end{tabular}}\n");
    printf("\\newcommand{\\bootNewCases}{%d}\n", 8);
    printf("\\newcommand{\\bootStudEndpoints}{%d}\n", endpoints);
    printf("\\newcommand{\\bootStudWorst}{%.2f}\n", worst_stud);
    printf("\\newcommand{\\bootFWorst}{%.2f}\n", worst_f);
    printf("\\newcommand{\\bootFVsTheory}{%.0f\\%%}\n", 100 * f_vs_theory);
    double alarm = 2 * pnorm(-4, 0, 1, 1, 0);
    int ex = (int)floor(log10(alarm));
    printf("\\newcommand{\\bootFourSdAlarm}{$%.0f\\times10^{%d}$}\n", alarm / pow(10, ex),
           ex);
    double p5 = 0.05, b1 = 1000, b2 = 10000;
    printf("\\newcommand{\\bootFSdAtFive}{%.4f}\n", sqrt(p5 * (1 - p5) / b1));
    printf("\\newcommand{\\bootFSdAtFiveMore}{%.4f}\n", sqrt(p5 * (1 - p5) / b2));
    tex_count("bootFSdMoreB", (long long)b2);
    return 0;
}
#define COV_M 1000
#define COV_B 999
#define COV_LEVEL 0.95   /* the intervals' confidence level */
#define COV_SIZES 3
#define COV_TABLE_1 1    /* the sizes of the table: n = 20 */
#define COV_TABLE_2 2    /* and n = 60 */
static const int cov_size[COV_SIZES] = { 10, 20, 60 };
static const char *const cov_name[] = { "t", "res", "pp", "pb", "pbca", "wp", "wbca" };
enum { COV_T, COV_RES_PERC, COV_PAIRS_PERC, COV_PAIRS_BASIC, COV_PAIRS_BCA, COV_WILD_PERC,
       COV_WILD_BCA, COV_N };
static const char *const cov_label[COV_N] = { "$t$", "residual, percentile",
    "pairs, percentile", "pairs, basic", "pairs, BCa", "wild, percentile", "wild, BCa" };

static void simulate(rng_state *g, int n, double *X, double *y)
{
    for (int i = 0; i < n; i++) {
        double x = -log(1 - rng_uniform(g)), eps = -log(1 - rng_uniform(g)) - 1;
        X[i] = 1;
        X[i + n] = x;
        y[i] = 1 + x + sqrt(x) * eps;
    }
}

static int tally(long miss[COV_N][2], int k, double lo, double hi)
{
    if (isnan(lo) || isnan(hi))
        return 1;
    if (hi < 1)
        miss[k][0]++;
    else if (lo > 1)
        miss[k][1]++;
    return 0;
}
static int coverage_of(int n, long miss[COV_N][2])
{
    double *X = malloc(sizeof(double) * 2 * (size_t)n), *y = malloc(sizeof(double) * (size_t)n);
    st_error e = { 0 };
    ols_workspace *w = NULL;
    int status = X && y ? ols_workspace_new(&e, n, 2, NULL, &w) : ST_EFIT;
    for (int k = 0; k < COV_M && status == ST_OK; k++) {
        rng_state g;
        rng_stream(&g, 1000 + (uint64_t)n, (uint64_t)k);
        simulate(&g, n, X, y);
        ols_result *fit = NULL;
        boot_result *r[3] = { NULL, NULL, NULL };
        status = ols_fit(&e, w, X, y, 1, COV_LEVEL, &fit);
        for (int t = 0; t < 3 && status == ST_OK; t++) {
            boot_spec spec = { (boot_type)t, COV_B, (uint64_t)k, 1, COV_LEVEL, BOOT_F_NONE };
            status = boot_run(&e, X, y, n, 2, &spec, &r[t]);
        }
        if (status == ST_OK
            && (tally(miss, COV_T, fit->conf_low[1], fit->conf_high[1])
                | tally(miss, COV_RES_PERC, r[BOOT_RESIDUAL]->percentile[2],
                        r[BOOT_RESIDUAL]->percentile[3])
                | tally(miss, COV_PAIRS_PERC, r[BOOT_PAIRS]->percentile[2],
                        r[BOOT_PAIRS]->percentile[3])
                | tally(miss, COV_PAIRS_BASIC, r[BOOT_PAIRS]->basic[2], r[BOOT_PAIRS]->basic[3])
                | tally(miss, COV_PAIRS_BCA, r[BOOT_PAIRS]->bca[2], r[BOOT_PAIRS]->bca[3])
                | tally(miss, COV_WILD_PERC, r[BOOT_WILD]->percentile[2],
                        r[BOOT_WILD]->percentile[3])
                | tally(miss, COV_WILD_BCA, r[BOOT_WILD]->bca[2], r[BOOT_WILD]->bca[3])))
            status = st_fail(&e, ST_EFIT, "an interval of data set %d (n = %d) is NA", k, n);
        ols_result_free(fit);
        for (int t = 0; t < 3; t++)
            boot_result_free(r[t]);
    }
    if (status != ST_OK)
        fprintf(stderr, "book-boot: coverage: %s\n", e.msg);
    ols_workspace_free(w);
    free(X);
    free(y);
    return status;
}

static int coverage(const char *dir)
{
    long miss[COV_SIZES][COV_N][2];
    memset(miss, 0, sizeof miss);
    for (int s = 0; s < COV_SIZES; s++)
        if (coverage_of(cov_size[s], miss[s]) != ST_OK)
            return 1;
    {
        char head[1024];
        int len = snprintf(head, sizeof head, "n");
        for (int k = 0; k < COV_N; k++)
            len += snprintf(head + len, sizeof head - (size_t)len, " %scov %sbelow %sabove",
                            cov_name[k], cov_name[k], cov_name[k]);
        FILE *dat = open_dat(dir, "coverage", head);
        if (dat == NULL)
            return 1;
        for (int s = 0; s < COV_SIZES; s++) {
            fprintf(dat, "%d", cov_size[s]);
            for (int k = 0; k < COV_N; k++)
                fprintf(dat, " %.1f %.1f %.1f",
                        100.0 * (COV_M - miss[s][k][0] - miss[s][k][1]) / COV_M,
                        100.0 * miss[s][k][0] / COV_M, 100.0 * miss[s][k][1] / COV_M);
            fprintf(dat, "\n");
        }
        if (fclose(dat) != 0)
            return 1;
    }
    printf("\\newcommand{\\bootCovM}{%d}\n\\newcommand{\\bootCovB}{%d}\n", COV_M, COV_B);
    printf("\\newcommand{\\bootCovLevel}{%g}\n", 100 * COV_LEVEL);
    {
        long most = 0;
        for (int s = 0; s < COV_SIZES; s++)
            for (int k = 0; k < COV_N; k++)
                most = miss[s][k][0] + miss[s][k][1] > most ? miss[s][k][0] + miss[s][k][1] : most;
        double low = 1 - (double)most / COV_M;
        printf("\\newcommand{\\bootCovSd}{%.1f}\n", 100 * sqrt(COV_LEVEL * (1 - COV_LEVEL) / COV_M));
        printf("\\newcommand{\\bootCovLowest}{%.0f}\n", 100 * low);
        printf("\\newcommand{\\bootCovSdLowest}{%.1f}\n", 100 * sqrt(low * (1 - low) / COV_M));
        printf("\\newcommand{\\bootCovYmin}{%.0f}\n", 10 * floor(10 * low - 0.5));
    }
    int in_table[2] = { COV_TABLE_1, COV_TABLE_2 };
    printf("\\newcommand{\\bootCovSizes}{");
    for (int s = 0; s < COV_SIZES; s++)
        printf("%s%d", s == 0 ? "" : s == COV_SIZES - 1 ? " and " : ", ", cov_size[s]);
    printf("}\n\\newcommand{\\bootCovSmall}{%d}\n\\newcommand{\\bootCovLarge}{%d}\n",
           cov_size[in_table[0]], cov_size[in_table[1]]);
    printf("\\newcommand{\\bootCoverage}{\\begin{tabular}{lrrrrrr}\n\\toprule\n"
           "& \\multicolumn{3}{c}{$n = %d$} & \\multicolumn{3}{c}{$n = %d$} \\\\\n"
           "interval & covers & below & above & covers & below & above \\\\\n\\midrule\n",
           cov_size[in_table[0]], cov_size[in_table[1]]);
    for (int k = 0; k < COV_N; k++) {
        printf("%s", cov_label[k]);
        for (int c = 0; c < 2; c++) {
            int s = in_table[c];
            printf(" & %.1f & %.1f & %.1f", 100.0 * (COV_M - miss[s][k][0] - miss[s][k][1]) / COV_M,
                   100.0 * miss[s][k][0] / COV_M, 100.0 * miss[s][k][1] / COV_M);
        }
        printf(" \\\\\n");
    }
    printf("\\bottomrule\n\\end{tabular}}\n");
    return 0;
}
static int rng_numbers(void)
{
    int log_k = 30, log_len = 30;
    double bound = ldexp(1, 2 * log_k + log_len - 256);
    int ex = (int)floor(log10(bound));
    printf("\\newcommand{\\bootStreamsLog}{%d}\n\\newcommand{\\bootStreamLenLog}{%d}\n", log_k,
           log_len);
    printf("\\newcommand{\\bootOverlapBound}{$%.0f\\times10^{%d}$}\n", bound / pow(10, ex), ex);
    return 0;
}
#define BOOT_REF_LIMIT 0.05    /* standard errors of the coefficient */

static int prose_numbers(void)
{
    double alpha = 0.05, z = qnorm(1 - alpha / 2, 0, 1, 1, 0);
    printf("\\newcommand{\\bootNormalPeak}{%.1f}\n", dnorm(0, 0, 1, 0));
    printf("\\newcommand{\\bootIntervalWidth}{%.1f}\n", 2 * z);
    printf("\\newcommand{\\bootRefLimit}{%g}\n", BOOT_REF_LIMIT);
    {
        frm_model *m = model("mpg ~ wt + hp", "mtcars");
        st_error e = { 0 };
        boot_result *r = NULL;
        boot_spec spec = { BOOT_PAIRS, 100000, 1, 2, 1 - alpha, BOOT_F_NONE };
        double t0 = now_ms();
        if (m == NULL || boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r) != ST_OK) {
            fprintf(stderr, "book-boot: prose numbers: %s\n", e.msg);
            frm_model_free(m);
            return 1;
        }
        double draw = now_ms() - t0, largest = 0;
        long long B = spec.replicates;
        double *v = malloc(sizeof(double) * (size_t)B);
        if (v == NULL) {
            boot_result_free(r);
            frm_model_free(m);
            return 1;
        }
        for (long long b = 0; b < B; b++)
            v[b] = r->star[(size_t)b * m->p + 1];
        t0 = now_ms();
        boot_quantile(v, B, alpha / 2);
        boot_quantile(v, B, 1 - alpha / 2);
        double select = now_ms() - t0;
        t0 = now_ms();
        qsort(v, (size_t)B, sizeof *v, st_cmp_double);
        double sort = now_ms() - t0;
        for (int j = 0; j < m->p; j++)
            largest = fmax(largest, fabs(r->accel[j]));
        tex_count("bootTimedB", B);
        printf("\\newcommand{\\bootTimedThreads}{%d}\n", spec.threads);
        tex_millis("bootTimedMillis", draw);
        tex_millis("bootSortMillis", sort);
        tex_millis("bootSelectMillis", select);
        printf("\\newcommand{\\bootAccelLargest}{%.3f}\n", largest);
        free(v);
        boot_result_free(r);
        frm_model_free(m);
    }
    {
        double reps = 0;
        for (int k = 0; k < 8; k++) {
            char path[256];
            snprintf(path, sizeof path, "tests/reference/boot/%s.json", new_case[k]);
            st_error e = { 0 };
            jr_value *ref = NULL;
            double rk = 0, level = 0;
            if (jr_read(&e, path, &ref) != ST_OK || jr_number(jr_get(ref, "replicates"), &rk) != 1
                || (k > 0 && rk != reps)) {
                fprintf(stderr, "book-boot: %s: no replicates, or not as many as the others\n",
                        path);
                jr_free(ref);
                return 1;
            }
            reps = rk;
            if (strcmp(new_case[k], "iris_pairs_90") == 0 && jr_number(jr_get(ref, "level"), &level))
                printf("\\newcommand{\\bootIrisLevel}{%g}\n", 100 * level);
            jr_free(ref);
        }
        tex_count("bootRefB", (long long)reps);
    }
    printf("\\newcommand{\\bootAccelLimit}{%.2f}\n", 1 / z);
    printf("\\newcommand{\\bootAccelLimitNinetyNine}{%.2f}\n", 1 / qnorm(1 - 0.01 / 2, 0, 1, 1, 0));
    printf("\\newcommand{\\bootMinRepsNinetyFive}{%lld}\n", boot_min_replicates(0.95));
    printf("\\newcommand{\\bootMinRepsNinetyNine}{%lld}\n", boot_min_replicates(0.99));
    {
        int rows = 1000;
        printf("\\newcommand{\\bootLemireRows}{%d}\n", rows);
        printf("\\newcommand{\\bootLemireMillions}{%.1f}\n", ldexp(1, 32) / rows / 1e6);
    }
    {
        frm_model *m = model("mpg ~ wt + hp", "mtcars");
        if (m == NULL)
            return 1;
        double factor = sqrt((double)(m->n - m->p) / m->n);
        printf("\\newcommand{\\bootModN}{%d}\n\\newcommand{\\bootModP}{%d}\n"
               "\\newcommand{\\bootModDf}{%d}\n", m->n, m->p, m->n - m->p);
        printf("\\newcommand{\\bootModFactor}{%.3f}\n", factor);
        printf("\\newcommand{\\bootModShort}{%.0f}\n", 100 * (1 - factor));
        frm_model_free(m);
        double u = alpha / 2, half = dnorm(qnorm(u, 0, 1, 1, 0), 0, 1, 0) / 2;
        printf("\\newcommand{\\bootRepsU}{%g}\n\\newcommand{\\bootRepsUU}{%g}\n", u, u * (1 - u));
        printf("\\newcommand{\\bootRepsZ}{%.2f}\n\\newcommand{\\bootRepsHalfDensity}{%.4f}\n",
               z, half);
        static const double delta[2] = { 0.01, 0.05 };
        static const char *const name[2] = { "bootRepsForOne", "bootRepsForFive" };
        for (int k = 0; k < 2; k++)
            tex_count(name[k], (long long)(100 * ceil(u * (1 - u) / pow(half * delta[k], 2) / 100)));
        printf("\\newcommand{\\bootMammenP}{%.4f}\n", (sqrt(5) + 1) / (2 * sqrt(5)));
        rng_state g = { { 1, 2, 3, 4 } };
        printf("\\newcommand{\\bootXoshiroFirst}{");
        for (int k = 0; k < 3; k++)
            printf("%s%llu", k ? ", " : "", (unsigned long long)rng_next(&g));
        printf("}\n");
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    printf("%% Generated by book-boot: do not edit.\n");
    if (demo() != 0 || replicate_example() != 0 || hist_figure(dir) != 0 || mc_table() != 0
        || mc_figure(dir) != 0 || versus_r() != 0 || versus_r_new() != 0 || coverage(dir) != 0
        || rng_numbers() != 0 || prose_numbers() != 0)
        return 1;
    return 0;
}
