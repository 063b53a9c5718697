#line 811 "chunks/boot-tests.nw"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "boot.h"
#include "data.h"
#include "formula.h"
#include "jsonr.h"
#include "ols.h"
#include "rng.h"

#line 842 "chunks/boot-tests.nw"
static frm_model *model(const char *formula, const char *data)
{
    st_error e = { 0, "" };
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

static void tex_tt(const char *text)
{
    printf("\\par\\smallskip{\\small\\ttfamily\\noindent\\mbox{}");
    for (const char *s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') printf("\\mbox{}\\\\\n\\mbox{}");
        else if (c == ' ') printf("~");
        else if (strchr("#$%&_{}", c)) printf("\\%c", c);
        else if (c == '\\') printf("\\textbackslash{}");
        else if (c == '^') printf("\\textasciicircum{}");
        else if (c == '~') printf("\\textasciitilde{}");
        else if (c == '\'') printf("\\textquotesingle{}");
        else if (c == '<' || c == '>' || c == '|' || c == '-') printf("{\\char%d}", c);
        else putchar(c);
    }
    printf("\\par}\\smallskip\n");
}
#line 880 "chunks/boot-tests.nw"
static int demo(void)
{
    frm_model *m = model("mpg ~ wt + hp", "mtcars");
    st_error e = { 0, "" };
    ols_workspace *w = NULL;
    ols_result *fit = NULL;
    boot_result *r = NULL;
    boot_spec spec = { BOOT_PAIRS, 2000, 1, 2, 0.95, BOOT_F_MEAN };
    int status = m ? ST_OK : ST_EINPUT;
    if (status == ST_OK)
        status = boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r);
    if (status == ST_OK && ols_workspace_new(&e, m->n, m->p, NULL, &w) == ST_OK)
        status = ols_fit(&e, w, m->X, m->y, m->intercept, 0.95, &fit);
    if (status == ST_OK && fit != NULL) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        boot_print(out, r, (const char *const *)m->colnames, fit->conf_low, fit->conf_high);
        fclose(out);
        printf("\\newcommand{\\bootDemo}{");
        tex_tt(buf);
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
#line 917 "chunks/boot-tests.nw"
static double mc_sd(double alpha, double B)
{
    return sqrt(alpha * (1 - alpha) / B) / dnorm(qnorm(alpha, 0, 1, 1, 0), 0, 1, 0);
}

static int mc_table(void)
{
    static const double B[] = { 200, 1000, 2000, 10000, 200000 };
    printf("\\newcommand{\\bootMCTable}{\\begin{tabular}{rrr}\n\\toprule\n"
           "$B$ & $\\alpha = 0.025$ & $\\alpha = 0.005$ \\\\\n\\midrule\n");
    for (int k = 0; k < 5; k++)
        printf("%.0f & %.4f & %.4f \\\\\n", B[k], mc_sd(0.025, B[k]), mc_sd(0.005, B[k]));
    printf("\\bottomrule\n\\end{tabular}}\n");
    return 0;
}
#line 940 "chunks/boot-tests.nw"
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
#line 970 "chunks/boot-tests.nw"
static int versus_r_case(const char *name, int print, double *worst, double *worst_accel,
                         double *worst_reg, double *basic_vs_perc, int *endpoints)
{
    char path[256];
    snprintf(path, sizeof path, "tests/reference/boot/%s.json", name);
    st_error e = { 0, "" };
    jr_value *ref = NULL;
    if (jr_read(&e, path, &ref) != ST_OK) {
        fprintf(stderr, "book-boot: %s\n", e.msg);
        return 1;
    }
    const char *type = jr_string(jr_get(ref, "type"));
    double level = 0.95, reps = 0;
    jr_number(jr_get(ref, "level"), &level);
    jr_number(jr_get(ref, "replicates"), &reps);
    frm_model *m = model(jr_string(jr_get(ref, "formula")), jr_string(jr_get(ref, "data")));
    boot_spec spec = { strcmp(type, "pairs") == 0 ? BOOT_PAIRS : strcmp(type, "residual") == 0
                       ? BOOT_RESIDUAL : BOOT_WILD, (long long)reps, 20261123, 2, level,
                       m && m->intercept ? BOOT_F_MEAN : BOOT_F_ZERO };
    boot_result *r = NULL;
    if (m == NULL || boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r) != ST_OK) {
        fprintf(stderr, "book-boot: %s: %s\n", name, e.msg);
        frm_model_free(m);
        jr_free(ref);
        return 1;
    }
    const jr_value *coefs = jr_get(ref, "coefficients");
    for (int j = 0; j < m->p && j < (int)jr_len(coefs); j++)
        
#line 1007 "chunks/boot-tests.nw"
{
    const jr_value *c = jr_at(coefs, (size_t)j);
    static const char *const kind[3] = { "percentile", "basic", "bca" };
    static const char *const label[3] = { "percentile", "basic", "BCa" };
    const double *ours[3] = { r->percentile + 2 * j, r->basic + 2 * j, r->bca + 2 * j };
    double se = 1, a, lo, hi;
    jr_number(jr_get(c, "std_error"), &se);
    for (int k = 0; k < 3; k++) {
        const jr_value *pair = jr_get(c, kind[k]);
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
    if (jr_number(jr_get(c, "acceleration"), &a) == 1)
        *worst_accel = fmax(*worst_accel, fabs(a - r->accel[j]));
    if (print)
        *basic_vs_perc = fmax(*basic_vs_perc, fmax(fabs(ours[1][0] - ours[0][0]),
                                                   fabs(ours[1][1] - ours[0][1])) / se);
    const jr_value *reg = jr_get(c, "bca_regression"), *bca = jr_get(c, "bca");
    double rlo, rhi;
    if (jr_number(jr_at(reg, 0), &rlo) == 1 && jr_number(jr_at(reg, 1), &rhi) == 1
        && jr_number(jr_at(bca, 0), &lo) == 1 && jr_number(jr_at(bca, 1), &hi) == 1 && print)
        *worst_reg = fmax(*worst_reg, fmax(fabs(rlo - lo), fabs(rhi - hi)) / se);
}
#line 999 "chunks/boot-tests.nw"
    boot_result_free(r);
    frm_model_free(m);
    jr_free(ref);
    return 0;
}
#line 1049 "chunks/boot-tests.nw"
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
    char path[256];
    snprintf(path, sizeof path, "tests/reference/boot/%s.json", name);
    st_error e = { 0, "" };
    jr_value *ref = NULL;
    if (jr_read(&e, path, &ref) != ST_OK) {
        fprintf(stderr, "book-boot: %s\n", e.msg);
        return 1;
    }
    const char *type = jr_string(jr_get(ref, "type"));
    double level = 0.95, reps = 0, f = NAN, pf_r = NAN, pb = NAN;
    jr_number(jr_get(ref, "level"), &level);
    jr_number(jr_get(ref, "replicates"), &reps);
    jr_number(jr_get(ref, "f_statistic"), &f);
    jr_number(jr_get(ref, "f_p_value"), &pf_r);
    jr_number(jr_get(ref, "boot_f_p_value"), &pb);
    frm_model *m = model(jr_string(jr_get(ref, "formula")), jr_string(jr_get(ref, "data")));
    boot_spec spec = { strcmp(type, "pairs") == 0 ? BOOT_PAIRS : strcmp(type, "residual") == 0
                       ? BOOT_RESIDUAL : BOOT_WILD, (long long)reps, 20261123, 2, level,
                       m && m->intercept ? BOOT_F_MEAN : BOOT_F_ZERO };
    boot_result *r = NULL;
    double *t = malloc(sizeof(double) * (size_t)(reps + 1));
    if (m == NULL || t == NULL || boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r) != ST_OK) {
        fprintf(stderr, "book-boot: %s: %s\n", name, e.msg);
        frm_model_free(m);
        jr_free(ref);
        free(t);
        return 1;
    }
    const jr_value *coefs = jr_get(ref, "coefficients");
    for (int j = 0; j < m->p && j < (int)jr_len(coefs); j++)
        
#line 1121 "chunks/boot-tests.nw"
{
    const jr_value *pair = jr_get(jr_at(coefs, (size_t)j), "studentized");
    double lo, hi;
    if (jr_number(jr_at(pair, 0), &lo) == 1 && jr_number(jr_at(pair, 1), &hi) == 1) {
        long long ms = 0;
        for (long long b = 0; b < r->spec.replicates; b++) {
            double x = r->star[(size_t)b * m->p + j], sx = r->se_star[(size_t)b * m->p + j];
            if (isfinite(x) && isfinite(sx))
                t[ms++] = (x - r->estimate[j]) / sx;
        }
        double a = (1 - level) / 2;
        double sd_lo = sqrt(2) * r->se[j] * boot_quantile_sd(t, ms, 1 - a),
               sd_hi = sqrt(2) * r->se[j] * boot_quantile_sd(t, ms, a);
        *worst_stud = fmax(*worst_stud, fmax(fabs(r->studentized[2 * j] - lo) / sd_lo,
                                             fabs(r->studentized[2 * j + 1] - hi) / sd_hi));
        *endpoints += 2;
    }
}
#line 1097 "chunks/boot-tests.nw"
    double pbar = (pb + r->f_p_value) / 2, sd = sqrt(2 * pbar * (1 - pbar) / reps),
           z = fabs(r->f_p_value - pb) / sd;
    *worst_f = fmax(*worst_f, z);
    if (pf_r > 1e-3)
        *f_vs_theory = fmax(*f_vs_theory, fabs(pb / pf_r - 1));
    printf("\\texttt{");
    for (const char *c = name; *c; c++)
        printf(*c == '_' ? "\\_" : "%c", *c);
    printf("} & %.3f & %.0f, %.0f & ", r->f_stat, r->f_df[0], r->f_df[1]);
    tex_p(pf_r);
    printf(" & ");
    tex_p(pb);
    printf(" & ");
    tex_p(r->f_p_value);
    printf(" & %.2f \\\\\n", z);
    boot_result_free(r);
    frm_model_free(m);
    jr_free(ref);
    free(t);
    return 0;
}
#line 1142 "chunks/boot-tests.nw"
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
    printf("\\newcommand{\\bootFSdAtFive}{%.4f}\n", sqrt(0.05 * 0.95 / 1000));
    return 0;
}
#line 1176 "chunks/boot-tests.nw"
#define COV_M 1000
#define COV_B 999
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
#line 1206 "chunks/boot-tests.nw"
static int coverage_of(int n, long miss[COV_N][2])
{
    double *X = malloc(sizeof(double) * 2 * (size_t)n), *y = malloc(sizeof(double) * (size_t)n);
    st_error e = { 0, "" };
    ols_workspace *w = NULL;
    int status = X && y ? ols_workspace_new(&e, n, 2, NULL, &w) : ST_EFIT;
    for (int k = 0; k < COV_M && status == ST_OK; k++) {
        rng_state g;
        rng_stream(&g, 1000 + (uint64_t)n, (uint64_t)k);
        simulate(&g, n, X, y);
        ols_result *fit = NULL;
        boot_result *r[3] = { NULL, NULL, NULL };
        status = ols_fit(&e, w, X, y, 1, 0.95, &fit);
        for (int t = 0; t < 3 && status == ST_OK; t++) {
            boot_spec spec = { (boot_type)t, COV_B, (uint64_t)k, 2, 0.95, BOOT_F_NONE };
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

static int coverage(void)
{
    static const int size[2] = { 20, 60 };
    long miss[2][COV_N][2];
    memset(miss, 0, sizeof miss);
    for (int s = 0; s < 2; s++)
        if (coverage_of(size[s], miss[s]) != ST_OK)
            return 1;
    printf("\\newcommand{\\bootCovM}{%d}\n\\newcommand{\\bootCovB}{%d}\n", COV_M, COV_B);
    printf("\\newcommand{\\bootCovSd}{%.1f}\n", 100 * sqrt(0.95 * 0.05 / COV_M));
    printf("\\newcommand{\\bootCoverage}{\\begin{tabular}{lrrrrrr}\n\\toprule\n"
           "& \\multicolumn{3}{c}{$n = %d$} & \\multicolumn{3}{c}{$n = %d$} \\\\\n"
           "interval & covers & below & above & covers & below & above \\\\\n\\midrule\n",
           size[0], size[1]);
    for (int k = 0; k < COV_N; k++) {
        printf("%s", cov_label[k]);
        for (int s = 0; s < 2; s++)
            printf(" & %.1f & %.1f & %.1f", 100.0 * (COV_M - miss[s][k][0] - miss[s][k][1]) / COV_M,
                   100.0 * miss[s][k][0] / COV_M, 100.0 * miss[s][k][1] / COV_M);
        printf(" \\\\\n");
    }
    printf("\\bottomrule\n\\end{tabular}}\n");
    return 0;
}

#line 826 "chunks/boot-tests.nw"
int main(void)
{
    printf("%% Generated by book-boot: do not edit.\n");
    if (demo() != 0 || mc_table() != 0 || versus_r() != 0 || versus_r_new() != 0
        || coverage() != 0)
        return 1;
    return 0;
}
