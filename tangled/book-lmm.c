#line 559 "chunks/lmm-tests.nw"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "compare.h"
#include "data.h"
#include "formula.h"
#include "jsonr.h"
#include "lmm.h"

#line 611 "chunks/lmm-tests.nw"
static int fit_case(const char *formula, const char *data, int reml, lmm_result **r)
{
    st_error e = { 0, "" };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    int status = frm_parse(&e, formula, &f);
    if (status == ST_OK)
        status = df_read(&e, data, &df);
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, FRM_NEED_RANDOM, &m);
    if (status == ST_OK)
        status = lmm_check_finite(&e, m, df);
    if (status == ST_OK) {
        lmm_options opt = { reml, 0.95, 0, NULL };
        status = lmm_fit(&e, m, &opt, r);
    }
    if (status != ST_OK)
        fprintf(stderr, "book-lmm: %s, %s: %s\n", formula, data, e.msg);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
#line 642 "chunks/lmm-tests.nw"
enum { BIAS_REPS = 2000, BIAS_GROUPS = 6, BIAS_SIZE = 5 };
#define BIAS_VARB 1.0
#define BIAS_VAR 1.0

static int bias_table(void)
{
    enum { N = BIAS_GROUPS * BIAS_SIZE };
    double y[N], X[N], Z[N], sum[2][2] = { { 0, 0 }, { 0, 0 } };
    int g[N], singular[2] = { 0, 0 };
    char *levels[BIAS_GROUPS], names[BIAS_GROUPS][16];
    char *cn[1] = { "(Intercept)" };
    for (int l = 0; l < BIAS_GROUPS; l++) {
        snprintf(names[l], sizeof names[l], "g%d", l + 1);
        levels[l] = names[l];
    }
    frm_reterm re = { "g", BIAS_GROUPS, levels, g, 1, Z, cn, 0 };
    frm_model m = { 0 };
    m.formula = "y ~ 1 + (1 | g)";
    m.response = "y";
    m.ycols = 1;
    m.y = y;
    m.n = N;
    m.p = 1;
    m.X = X;
    m.colnames = cn;
    m.intercept = 1;
    m.nre = 1;
    m.re = &re;
    set_seed(20240501, 4711);
    for (int rep = 0; rep < BIAS_REPS; rep++) {
        
#line 693 "chunks/lmm-tests.nw"
for (int l = 0; l < BIAS_GROUPS; l++) {
    double b = sqrt(BIAS_VARB) * norm_rand();
    for (int j = 0; j < BIAS_SIZE; j++) {
        int i = l * BIAS_SIZE + j;
        g[i] = l;
        X[i] = Z[i] = 1.0;
        y[i] = 10.0 + b + sqrt(BIAS_VAR) * norm_rand();
    }
}
#line 673 "chunks/lmm-tests.nw"
        for (int reml = 0; reml < 2; reml++) {
            st_error e = { 0, "" };
            lmm_options opt = { reml, 0.95, 0, NULL };
            lmm_result *r;
            if (lmm_fit(&e, &m, &opt, &r) != ST_OK) {
                fprintf(stderr, "book-lmm: simulation: %s\n", e.msg);
                return 1;
            }
            sum[reml][0] += lmm_covariance(r, 0, 0, 0);
            sum[reml][1] += r->sigma * r->sigma;
            singular[reml] += r->singular;
            lmm_free(r);
        }
    }
    
#line 705 "chunks/lmm-tests.nw"
printf("\\newcommand{\\lmmBiasReps}{%d}\n\\newcommand{\\lmmBiasGroups}{%d}\n"
       "\\newcommand{\\lmmBiasSize}{%d}\n\\newcommand{\\lmmBiasVarB}{%g}\n"
       "\\newcommand{\\lmmBiasVar}{%g}\n", BIAS_REPS, BIAS_GROUPS, BIAS_SIZE, BIAS_VARB,
       BIAS_VAR);
printf("\\newcommand{\\lmmBiasTable}{\\begin{tabular}{lrrr}\n\\toprule\n"
       "& $\\hat\\sigma_b^2$ & $\\hat\\sigma^2$ & singular fits\\\\\n\\midrule\n"
       "truth & %.3f & %.3f & \\\\\n", BIAS_VARB, BIAS_VAR);
for (int reml = 0; reml < 2; reml++)
    printf("%s & %.3f & %.3f & %.1f\\%%\\\\\n", reml ? "REML" : "ML",
           sum[reml][0] / BIAS_REPS, sum[reml][1] / BIAS_REPS,
           100.0 * singular[reml] / BIAS_REPS);
printf("\\bottomrule\n\\end{tabular}}\n");
#line 688 "chunks/lmm-tests.nw"
    return 0;
}
#line 725 "chunks/lmm-tests.nw"
static void tex_tt_line(const char *s, size_t len)
{
    printf("\\texttt{");
    for (size_t i = 0; i < len; i++)
        switch (s[i]) {
        case ' ': printf("~"); break;
        case '\\': printf("\\textbackslash{}"); break;
        case '{': case '}': case '$': case '&': case '#': case '_': case '%':
            printf("\\%c", s[i]);
            break;
        case '^': printf("\\^{}"); break;
        case '~': printf("\\textasciitilde{}"); break;
        case '\'': printf("\\textquotesingle{}"); break;
        default: putchar(s[i]);
        }
    printf("}\\\\\n");
}

#line 791 "chunks/lmm-tests.nw"
static int lme4_record(const char *name, int ev[2], double sec[2])
{
    FILE *f = fopen("tests/reference/lmm/lme4.tsv", "r");
    char line[512], key[128];
    int found = 0;
    if (f == NULL)
        return 1;
    while (!found && fgets(line, sizeof line, f))
        found = line[0] != '#' && sscanf(line, "%127s %d %lf %d %lf", key, &ev[0], &sec[0],
                                         &ev[1], &sec[1]) == 5 && strcmp(key, name) == 0;
    fclose(f);
    return !found;
}

#line 745 "chunks/lmm-tests.nw"
static int sleep_summary(void)
{
    lmm_result *r;
    if (fit_case("Reaction ~ Days + (Days | Subject)", "sleepstudy", 1, &r) != ST_OK)
        return 1;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return 1;
    lmm_print(f, r, "sleepstudy");
    fclose(f);
    printf("\\newcommand{\\lmmSleepSummary}{\\begin{tabular}{@{}l@{}}\n");
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (nl == NULL)
            nl = line + strlen(line) - 1;
        tex_tt_line(line, (size_t)(nl - line));
    }
    printf("\\end{tabular}}\n");
    free(text);
    int ev[2];
    double sec[2];
    jr_value *ref = NULL;
    st_error e = { 0, "" };
    double crit_default = NAN;
    if (lme4_record("sleep_slope", ev, sec) != 0
        || jr_read(&e, "tests/reference/lmm/default/sleep_slope.json", &ref) != ST_OK
        || !jr_number(jr_get(ref, "reml_criterion"), &crit_default)) {
        fprintf(stderr, "book-lmm: no lme4 record for sleep_slope %s\n", e.msg);
        jr_free(ref);
        lmm_free(r);
        return 1;
    }
    printf("\\newcommand{\\lmmSleepEvals}{%ld}\n\\newcommand{\\lmmSleepEvalsDefault}{%d}\n"
           "\\newcommand{\\lmmSleepEvalsTight}{%d}\n\\newcommand{\\lmmSleepCritGap}{",
           r->evaluations, ev[0], ev[1]);
    cmp_tex_number(stdout, crit_default - r->criterion, 2);
    printf("}\n");
    jr_free(ref);
    lmm_free(r);
    return 0;
}
#line 813 "chunks/lmm-tests.nw"
typedef struct lmm_gap { double crit, beta, se, var; } lmm_gap;

static double max_gap(double old, double d)
{
    return isnan(d) ? old : fmax(old, d);
}

static int gap(const lmm_result *r, const char *path, lmm_gap *d)
{
    st_error e = { 0, "" };
    jr_value *ref;
    double x, rx, sigma;
    if (jr_read(&e, path, &ref) != ST_OK) {
        fprintf(stderr, "book-lmm: %s\n", e.msg);
        return 1;
    }
    *d = (lmm_gap){ NAN, 0, 0, 0 };
    if (jr_number(jr_get(ref, r->reml ? "reml_criterion" : "deviance"), &x))
        d->crit = r->criterion - x;
    if (!jr_number(jr_get(ref, "sigma"), &sigma))
        sigma = r->sigma;
    const jr_value *co = jr_get(ref, "coefficients");
    for (size_t i = 0; i < jr_len(co) && (int)i < r->p; i++) {
        double se;
        if (jr_number(jr_get(jr_at(co, i), "estimate"), &x)
            && jr_number(jr_get(jr_at(co, i), "std_error"), &se)) {
            d->beta = max_gap(d->beta, fabs(r->beta[i] - x) / fmax(fabs(x), se));
            d->se = max_gap(d->se, fabs(r->se[i] - se) / se);
        }
    }
    
#line 850 "chunks/lmm-tests.nw"
const jr_value *re = jr_get(ref, "random_effects");
for (size_t i = 0; i < jr_len(re); i++) {
    const char *grp = jr_string(jr_get(jr_at(re, i), "group"));
    const char *term = jr_string(jr_get(jr_at(re, i), "term"));
    if (grp == NULL || term == NULL || !jr_number(jr_get(jr_at(re, i), "variance"), &rx))
        continue;
    for (int k = 0; k < r->nterms; k++)
        for (int c = 0; c < r->term[k].q; c++)
            if (strcmp(r->term[k].group, grp) == 0 && strcmp(r->term[k].names[c], term) == 0)
                d->var = max_gap(d->var, fabs(lmm_covariance(r, k, c, c) - rx)
                                 / fmax(fabs(rx), 0.01 * sigma * sigma));
}
#line 844 "chunks/lmm-tests.nw"
    jr_free(ref);
    return 0;
}
#line 865 "chunks/lmm-tests.nw"
static void tex_gap(double x)
{
    printf(" & ");
    if (x == 0)
        printf("0");
    else
        cmp_tex_number(stdout, x, 1);
}

static int check_table(void)
{
    FILE *f = fopen("tests/reference/lmm/cases.tsv", "r");
    char line[1024];
    int ncases = 0;
    lmm_gap worst[2] = { { -HUGE_VAL, 0, 0, 0 }, { -HUGE_VAL, 0, 0, 0 } };
    if (f == NULL) {
        fprintf(stderr, "book-lmm: cannot open tests/reference/lmm/cases.tsv\n");
        return 1;
    }
    printf("\\newcommand{\\lmmCheckTable}{\\begin{tabular}{lrrrrrrrrrr}\n\\toprule\n"
           "& \\multicolumn{4}{c}{lme4 to full precision} & \\multicolumn{3}{c}{lme4's "
           "default} & \\multicolumn{3}{c}{evaluations}\\\\\n"
           "\\cmidrule(lr){2-5}\\cmidrule(lr){6-8}\\cmidrule(lr){9-11}\n"
           "case & $\\Delta d$ & $\\beta$ & se & var & $\\beta$ & se & var & ours & lme4 "
           "& full\\\\\n\\midrule\n");
    while (fgets(line, sizeof line, f)) {
        
#line 901 "chunks/lmm-tests.nw"
if (line[0] == '#' || line[0] == '\n')
    continue;
line[strcspn(line, "\n")] = '\0';
char *name = strtok(line, "\t"), *formula = strtok(NULL, "\t"), *data = strtok(NULL, "\t");
char *options = strtok(NULL, "\t");
if (name == NULL || formula == NULL || data == NULL)
    continue;
int reml = options == NULL || strstr(options, "--ml") == NULL, ev[2];
double sec[2];
char path[2][512];
lmm_result *r;
lmm_gap d[2];
snprintf(path[0], sizeof path[0], "tests/reference/lmm/%s.json", name);
snprintf(path[1], sizeof path[1], "tests/reference/lmm/default/%s.json", name);
if (fit_case(formula, data, reml, &r) != ST_OK || gap(r, path[0], &d[0]) != 0
    || gap(r, path[1], &d[1]) != 0 || lme4_record(name, ev, sec) != 0) {
    fprintf(stderr, "book-lmm: case %s failed\n", name);
    fclose(f);
    return 1;
}
ncases++;
for (int k = 0; k < 2; k++) {
    worst[k].crit = fmax(worst[k].crit, d[k].crit);
    worst[k].beta = fmax(worst[k].beta, d[k].beta);
    worst[k].se = fmax(worst[k].se, d[k].se);
    worst[k].var = fmax(worst[k].var, d[k].var);
}
printf("\\texttt{");
cmp_tex_escape(stdout, name);
printf("} & ");
cmp_tex_number(stdout, d[0].crit, 1);
tex_gap(d[0].beta); tex_gap(d[0].se); tex_gap(d[0].var);
tex_gap(d[1].beta); tex_gap(d[1].se); tex_gap(d[1].var);
printf(" & %ld & %d & %d\\\\\n", r->evaluations, ev[0], ev[1]);
lmm_free(r);
#line 892 "chunks/lmm-tests.nw"
    }
    fclose(f);
    printf("\\bottomrule\n\\end{tabular}}\n\\newcommand{\\lmmCheckCases}{%d}\n", ncases);
    
#line 939 "chunks/lmm-tests.nw"
static const char *const names[2][4] = {
    { "lmmWorstCrit", "lmmWorstBeta", "lmmWorstSE", "lmmWorstVar" },
    { "lmmWorstDefaultCrit", "lmmWorstDefaultBeta", "lmmWorstDefaultSE",
      "lmmWorstDefaultVar" } };
for (int k = 0; k < 2; k++) {
    double v[4] = { worst[k].crit, worst[k].beta, worst[k].se, worst[k].var };
    for (int j = 0; j < 4; j++) {
        printf("\\newcommand{\\%s}{", names[k][j]);
        if (j == 0 && v[j] <= 0)
            printf("0");
        else
            cmp_tex_number(stdout, v[j], 1);
        printf("}\n");
    }
}
#line 896 "chunks/lmm-tests.nw"
    return 0;
}
#line 592 "chunks/lmm-tests.nw"
static int shrinkage_numbers(void)
{
    lmm_result *r;
    if (fit_case("Yield ~ 1 + (1 | Batch)", "Dyestuff", 1, &r) != ST_OK)
        return 1;
    double t2 = r->theta[0] * r->theta[0], nj = (double)r->n / r->group_levels[0];
    double rho = t2 / (t2 + 1);
    printf("\\newcommand{\\lmmDyeGroups}{%d}\n", r->group_levels[0]);
    printf("\\newcommand{\\lmmDyeSize}{%g}\n", nj);
    printf("\\newcommand{\\lmmDyeTheta}{%.4f}\n", r->theta[0]);
    printf("\\newcommand{\\lmmDyeIcc}{%.3f}\n", rho);
    printf("\\newcommand{\\lmmDyeIccPercent}{%.0f\\,\\%%}\n", 100 * rho);
    printf("\\newcommand{\\lmmDyeLambda}{%.3f}\n", nj * rho / (1 + (nj - 1) * rho));
    lmm_free(r);
    return 0;
}

#line 577 "chunks/lmm-tests.nw"
int main(void)
{
    printf("%% Generated by book-lmm: do not edit.\n");
    if (bias_table() != 0 || sleep_summary() != 0 || check_table() != 0
        || shrinkage_numbers() != 0)
        return 1;
    return 0;
}
