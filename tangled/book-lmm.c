#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "booktex.h"
#include "blocked.h"
#include "compare.h"
#include "data.h"
#include "formula.h"
#include "jsonr.h"
#include "lmm.h"

typedef struct book_fit {
    frm_formula *f;
    df_frame *df;
    frm_model *m;
    lmm_result *r;
} book_fit;

static void close_fit(book_fit *b)
{
    lmm_free(b->r);
    frm_model_free(b->m);
    df_free(b->df);
    frm_free(b->f);
}

static int open_fit(const char *formula, const char *data, int reml, book_fit *b)
{
    st_error e = { 0 };
    *b = (book_fit){ NULL, NULL, NULL, NULL };
    int status = frm_parse(&e, formula, &b->f);
    if (status == ST_OK)
        status = df_read(&e, data, &b->df);
    if (status == ST_OK)
        status = frm_model_frame(&e, b->f, b->df, FRM_NEED_RANDOM, &b->m);
    if (status == ST_OK)
        status = lmm_check_finite(&e, b->m, b->df);
    if (status == ST_OK) {
        lmm_options opt = { reml, 0.95, 0, NULL };
        status = lmm_fit(&e, b->m, &opt, &b->r);
    }
    if (status != ST_OK) {
        fprintf(stderr, "book-lmm: %s, %s: %s\n", formula, data, e.msg);
        close_fit(b);
    }
    return status;
}

static int fit_case(const char *formula, const char *data, int reml, lmm_result **r)
{
    book_fit b;
    int status = open_fit(formula, data, reml, &b);
    if (status == ST_OK) {
        *r = b.r;
        b.r = NULL;
        close_fit(&b);
    }
    return status;
}
static FILE *open_dat(const char *dir, const char *name, const char *header)
{
    return cmp_open_dat(dir, "lmm", name, header);
}
enum { BIAS_REPS = 2000, BIAS_GROUPS = 6, BIAS_SIZE = 5 };
#define BIAS_VARB 1.0
#define BIAS_VAR 1.0

static int bias_table(const char *dir)
{
    enum { N = BIAS_GROUPS * BIAS_SIZE };
    double y[N], X[N], Z[N], sum[2][2] = { { 0, 0 }, { 0, 0 } };
    static double est[2][BIAS_REPS];
    double anova[2] = { 0, 0 }, gap = 0;
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
        for (int l = 0; l < BIAS_GROUPS; l++) {
            double b = sqrt(BIAS_VARB) * norm_rand();
            for (int j = 0; j < BIAS_SIZE; j++) {
                int i = l * BIAS_SIZE + j;
                g[i] = l;
                X[i] = Z[i] = 1.0;
                y[i] = 10.0 + b + sqrt(BIAS_VAR) * norm_rand();
            }
        }
        for (int reml = 0; reml < 2; reml++) {
            st_error e = { 0 };
            lmm_options opt = { reml, 0.95, 0, NULL };
            lmm_result *r;
            if (lmm_fit(&e, &m, &opt, &r) != ST_OK) {
                fprintf(stderr, "book-lmm: simulation: %s\n", e.msg);
                return 1;
            }
            est[reml][rep] = re_covariance(&r->re, r->sigma, 0, 0, 0);
            sum[reml][0] += est[reml][rep];
            sum[reml][1] += r->sigma * r->sigma;
            singular[reml] += r->singular;
            lmm_free(r);
        }
        {
            double grand = 0, ssa = 0, sse = 0;
            for (int i = 0; i < N; i++)
                grand += y[i] / N;
            for (int l = 0; l < BIAS_GROUPS; l++) {
                double mean = 0;
                for (int j = 0; j < BIAS_SIZE; j++)
                    mean += y[l * BIAS_SIZE + j] / BIAS_SIZE;
                ssa += BIAS_SIZE * (mean - grand) * (mean - grand);
                for (int j = 0; j < BIAS_SIZE; j++)
                    sse += (y[l * BIAS_SIZE + j] - mean) * (y[l * BIAS_SIZE + j] - mean);
            }
            double mse = sse / (BIAS_GROUPS * (BIAS_SIZE - 1));
            for (int reml = 0; reml < 2; reml++) {
                double a = (ssa / (BIAS_GROUPS - reml) - mse) / BIAS_SIZE;
                anova[reml] += a;
                gap = fmax(gap, fabs(est[reml][rep] - fmax(a, 0.0)));
            }
        }
    }
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
    printf("\\newcommand{\\lmmBiasML}{%.3f}\n\\newcommand{\\lmmBiasREML}{%.3f}\n"
           "\\newcommand{\\lmmBiasMLFree}{%.3f}\n\\newcommand{\\lmmBiasREMLFree}{%.3f}\n"
           "\\newcommand{\\lmmBiasMLExpect}{%.3f}\n\\newcommand{\\lmmBiasMLFactor}{%.3f}\n"
           "\\newcommand{\\lmmBiasMLShift}{%.3f}\n\\newcommand{\\lmmBiasSingularML}{%.1f}\n"
           "\\newcommand{\\lmmBiasClosedGap}{",
           sum[0][0] / BIAS_REPS, sum[1][0] / BIAS_REPS, anova[0] / BIAS_REPS,
           anova[1] / BIAS_REPS,
           (BIAS_GROUPS - 1.0) / BIAS_GROUPS * BIAS_VARB - BIAS_VAR / (BIAS_GROUPS * BIAS_SIZE),
           (BIAS_GROUPS - 1.0) / BIAS_GROUPS * BIAS_VARB, BIAS_VAR / (BIAS_GROUPS * BIAS_SIZE),
           100.0 * singular[0] / BIAS_REPS);
    cmp_tex_number(stdout, gap, 1);
    printf("}\n");
    for (int reml = 0; reml < 2; reml++) {
        double mean = sum[reml][0] / BIAS_REPS, ss = 0;
        for (int rep = 0; rep < BIAS_REPS; rep++)
            ss += (est[reml][rep] - mean) * (est[reml][rep] - mean);
        printf("\\newcommand{\\lmmBias%sSE}{%.3f}\n", reml ? "REML" : "ML",
               sqrt(ss / (BIAS_REPS - 1) / BIAS_REPS));
    }
    {
        enum { BINS = 64 };
        double width = 0.2 * BIAS_VARB, count[2][BINS] = { { 0 } };
        int nb = 1;
        for (int reml = 0; reml < 2; reml++)
            for (int rep = 0; rep < BIAS_REPS; rep++) {
                int bin = (int)(est[reml][rep] / width);
                bin = bin < 0 ? 0 : bin >= BINS ? BINS - 1 : bin;
                count[reml][bin] += 1.0 / (BIAS_REPS * width);
                nb = bin + 1 > nb ? bin + 1 : nb;
            }
        printf("\\newcommand{\\lmmBiasBin}{%g}\n", width);
        FILE *f = open_dat(dir, "bias-hist", "left ml reml");
        if (f == NULL)
            return 1;
        for (int bin = 0; bin <= nb; bin++)
            fprintf(f, "%g %g %g\n", bin * width, bin < nb ? count[0][bin] : 0.0,
                    bin < nb ? count[1][bin] : 0.0);
        fclose(f);
    }
    return 0;
}
static void tex_tt_line(const char *s, size_t len)
{
    printf("\\texttt{");
    tex_escape(stdout, s, len, 1);
    printf("}\\\\\n");
}

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
    st_error e = { 0 };
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
    const jr_value *re0 = jr_at(jr_get(ref, "random_effects"), 0);
    double var_default = NAN, sd_default = NAN;
    jr_number(jr_get(re0, "variance"), &var_default);
    jr_number(jr_get(re0, "std_dev"), &sd_default);
    printf("\\newcommand{\\lmmSleepLmeVarInt}{%.2f}\n\\newcommand{\\lmmSleepLmeSdInt}{%.3f}\n",
           var_default, sd_default);
    jr_free(ref);
    lmm_free(r);
    return 0;
}
typedef struct lmm_gap { double crit, beta, se, var; } lmm_gap;

static double max_gap(double old, double d)
{
    return isnan(d) ? old : fmax(old, d);
}

static int gap(const lmm_result *r, const char *path, lmm_gap *d)
{
    st_error e = { 0 };
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
    const jr_value *re = jr_get(ref, "random_effects");
    for (size_t i = 0; i < jr_len(re); i++) {
        const char *grp = jr_string(jr_get(jr_at(re, i), "group"));
        const char *term = jr_string(jr_get(jr_at(re, i), "term"));
        if (grp == NULL || term == NULL || !jr_number(jr_get(jr_at(re, i), "variance"), &rx))
            continue;
        for (int k = 0; k < r->re.nterms; k++)
            for (int c = 0; c < r->re.term[k].q; c++)
                if (strcmp(r->re.term[k].group, grp) == 0
                    && strcmp(r->re.term[k].names[c], term) == 0)
                    d->var = max_gap(d->var, fabs(re_covariance(&r->re, r->sigma, k, c, c) - rx)
                                     / fmax(fabs(rx), 0.01 * sigma * sigma));
    }
    jr_free(ref);
    return 0;
}
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
    }
    fclose(f);
    printf("\\bottomrule\n\\end{tabular}}\n\\newcommand{\\lmmCheckCases}{%d}\n", ncases);
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
    return 0;
}
static int shrinkage_numbers(void)
{
    lmm_result *r;
    if (fit_case("Yield ~ 1 + (1 | Batch)", "Dyestuff", 1, &r) != ST_OK)
        return 1;
    double t2 = r->re.theta[0] * r->re.theta[0], nj = (double)r->n / r->re.group_levels[0];
    double rho = t2 / (t2 + 1);
    printf("\\newcommand{\\lmmDyeGroups}{%d}\n", r->re.group_levels[0]);
    printf("\\newcommand{\\lmmDyeSize}{%g}\n", nj);
    printf("\\newcommand{\\lmmDyeTheta}{%.4f}\n", r->re.theta[0]);
    printf("\\newcommand{\\lmmDyeIcc}{%.3f}\n", rho);
    printf("\\newcommand{\\lmmDyeIccPercent}{%.0f\\,\\%%}\n", 100 * rho);
    printf("\\newcommand{\\lmmDyeLambda}{%.3f}\n", nj * rho / (1 + (nj - 1) * rho));
    lmm_free(r);
    return 0;
}
typedef struct book_system {
    blk_system *s;
    int n, p, q;
    double *beta, *u, *b;
} book_system;

static void system_close(book_system *bs)
{
    blk_free(bs->s);
    free(bs->beta);
    free(bs->u);
    free(bs->b);
}

static int system_open(const book_fit *bf, book_system *bs)
{
    enum { MAXTERMS = 8 };
    st_error e = { 0 };
    const lmm_result *r = bf->r;
    blk_term bt[MAXTERMS];
    *bs = (book_system){ NULL, r->n, r->p, r->re.nre, NULL, NULL, NULL };
    if (r->re.nterms > MAXTERMS || r->rank != r->p || r->n != bf->m->n) {
        fprintf(stderr, "book-lmm: %s: not a design for the figures\n", r->formula);
        return 1;
    }
    re_blk_terms(&r->re, bt);
    bs->beta = malloc((size_t)r->p * sizeof *bs->beta);
    bs->u = malloc((size_t)r->re.nre * sizeof *bs->u);
    bs->b = malloc((size_t)r->re.nre * sizeof *bs->b);
    if (bs->beta == NULL || bs->u == NULL || bs->b == NULL
        || blk_create(&e, r->n, r->re.nterms, bt, r->p, &bs->s) != ST_OK
        || blk_crossprod(&e, bs->s, bf->m->X, bf->m->y, NULL) != ST_OK) {
        fprintf(stderr, "book-lmm: %s: %s\n", r->formula, e.msg);
        system_close(bs);
        return 1;
    }
    return 0;
}

static double system_criterion(book_system *bs, const double *theta, int reml)
{
    if (blk_factor(bs->s, theta) != 0)
        return NAN;
    double r2 = blk_solve(bs->s, bs->beta, bs->u, bs->b), df = reml ? bs->n - bs->p : bs->n;
    return blk_logdet(bs->s) + (reml ? blk_logdet_x(bs->s) : 0.0)
           + df * (1.0 + 2 * M_LN_SQRT_2PI + log(r2 / df));
}
static int dense_factor(const book_fit *bf, const double *theta, double **Aout,
                        double **Lout)
{
    const lmm_result *r = bf->r;
    int n = r->n, q = r->re.nre, p = r->p, m = q + p + 1;
    double *M = calloc((size_t)n * m, sizeof *M), *A = calloc((size_t)m * m, sizeof *A),
           *L = calloc((size_t)m * m, sizeof *L);
    if (M == NULL || A == NULL || L == NULL) {
        free(M); free(A); free(L);
        return 1;
    }
    for (int k = 0; k < r->re.nterms; k++) {
        const lmm_term *t = &r->re.term[k];
        double lam[64] = { 0 };
        for (int c = 0; c < t->q && t->q <= 8; c++)
            for (int a = c; a < t->q; a++)      /* the layout of (eq:re-theta-at) */
                lam[a + c * t->q] = theta[t->theta0 + re_theta_at(t->q, a, c)];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < t->q; c++) {
                double sum = 0;
                for (int a = c; a < t->q; a++)
                    sum += t->Z[i + (size_t)a * n] * lam[a + c * t->q];
                M[i + (size_t)(t->re0 + t->g[i] * t->q + c) * n] = sum;
            }
    }
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < p; c++)
            M[i + (size_t)(q + c) * n] = bf->m->X[i + (size_t)c * n];
        M[i + (size_t)(q + p) * n] = bf->m->y[i];
    }
    for (int a = 0; a < m; a++)
        for (int b = 0; b <= a; b++) {
            double sum = a == b && a < q ? 1.0 : 0.0;
            for (int i = 0; i < n; i++)
                sum += M[i + (size_t)a * n] * M[i + (size_t)b * n];
            A[a + (size_t)b * m] = L[a + (size_t)b * m] = sum;
        }
    free(M);
    if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', m, L, m) != 0) {
        free(A); free(L);
        return 1;
    }
    *Aout = A;
    *Lout = L;
    return 0;
}
static void line_fit(const double *x, const double *y, const int *g, int n, int level,
                     double *a, double *b)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
    for (int i = 0; i < n; i++)
        if (level < 0 || g[i] == level) {
            sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; k++;
        }
    *b = (sxy - sx * sy / k) / (sxx - sx * sx / k);
    *a = (sy - *b * sx) / k;
}

static double sd_of(const double *x, int n)
{
    double mean = 0, ss = 0;
    for (int i = 0; i < n; i++)
        mean += x[i] / n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    return sqrt(ss / (n - 1));
}

static int sleep_figures(const char *dir)
{
    enum { MAXL = 64 };
    book_fit bf;
    if (open_fit("Reaction ~ Days + (Days | Subject)", "sleepstudy", 1, &bf) != ST_OK)
        return 1;
    const lmm_result *r = bf.r;
    const lmm_term *t = &r->re.term[0];
    int n = r->n, nl = t->nlevels, panel[MAXL], status = 0;
    const double *days = bf.m->X + n, *y = bf.m->y;
    double a[MAXL], b[MAXL], am[MAXL], bm[MAXL], a0, b0, dmin = days[0], dmax = days[0];
    if (nl > MAXL || t->q != 2 || r->p != 2) {
        close_fit(&bf);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        dmin = fmin(dmin, days[i]);
        dmax = fmax(dmax, days[i]);
    }
    line_fit(days, y, t->g, n, -1, &a0, &b0);
    for (int l = 0; l < nl; l++) {
        line_fit(days, y, t->g, n, l, &a[l], &b[l]);
        am[l] = r->beta[0] + r->re.b[t->re0 + 2 * l];
        bm[l] = r->beta[1] + r->re.b[t->re0 + 2 * l + 1];
        panel[l] = 0;
    }
    for (int l = 0; l < nl; l++)
        for (int k = 0; k < nl; k++)
            panel[l] += b[k] < b[l] || (b[k] == b[l] && k < l);
    FILE *fp = open_dat(dir, "sleep-points", "panel days reaction"),
         *fl = open_dat(dir, "sleep-lines", "panel days ols pooled mixed"),
         *fs = open_dat(dir, "sleep-shrink", "a0 b0 a1 b1 da db");
    if (fp == NULL || fl == NULL || fs == NULL)
        status = 1;
    for (int i = 0; status == 0 && i < n; i++)
        fprintf(fp, "%d %g %g\n", panel[t->g[i]], days[i], y[i]);
    for (int k = 0; status == 0 && k < nl; k++)
        for (int l = 0; l < nl; l++)
            if (panel[l] == k) {
                fprintf(fl, "%d %g %g %g %g\n", k, dmin, a[l] + b[l] * dmin, a0 + b0 * dmin,
                        am[l] + bm[l] * dmin);
                fprintf(fl, "%d %g %g %g %g\n", k, dmax, a[l] + b[l] * dmax, a0 + b0 * dmax,
                        am[l] + bm[l] * dmax);
                fprintf(fs, "%g %g %g %g %g %g\n", a[l], b[l], am[l], bm[l], am[l] - a[l],
                        bm[l] - b[l]);
            }
    if (fp) fclose(fp);
    if (fl) fclose(fl);
    if (fs) fclose(fs);
    printf("\\newcommand{\\lmmSleepSubject}[1]{\\ifcase#1 ");
    for (int k = 0; k < nl; k++)
        for (int l = 0; l < nl; l++)
            if (panel[l] == k)
                printf("%s%s", k ? "\\or " : "", t->levels[l]);
    printf("\\fi}\n\\newcommand{\\lmmSleepPanelsMax}{%d}\n", nl - 1);
    double ylo = y[0], yhi = y[0];
    for (int i = 0; i < n; i++) {
        ylo = fmin(ylo, y[i]);
        yhi = fmax(yhi, y[i]);
    }
    printf("\\newcommand{\\lmmSleepYmin}{%g}\n\\newcommand{\\lmmSleepYmax}{%g}\n",
           50 * floor(ylo / 50), 50 * ceil(yhi / 50));
    printf("\\newcommand{\\lmmSleepThetaOne}{%.4f}\n\\newcommand{\\lmmSleepThetaTwo}{%.4f}\n"
           "\\newcommand{\\lmmSleepThetaThree}{%.4f}\n\\newcommand{\\lmmSleepSigma}{%.3f}\n"
           "\\newcommand{\\lmmSleepSdInt}{%.3f}\n\\newcommand{\\lmmSleepSdDays}{%.3f}\n"
           "\\newcommand{\\lmmSleepVarInt}{%.2f}\n\\newcommand{\\lmmSleepVarDays}{%.2f}\n"
           "\\newcommand{\\lmmSleepCov}{%.2f}\n\\newcommand{\\lmmSleepCorr}{%.3f}\n",
           r->re.theta[0], r->re.theta[1], r->re.theta[2], r->sigma,
           sqrt(re_covariance(&r->re, r->sigma, 0, 0, 0)),
           sqrt(re_covariance(&r->re, r->sigma, 0, 1, 1)), re_covariance(&r->re, r->sigma, 0, 0, 0),
           re_covariance(&r->re, r->sigma, 0, 1, 1), re_covariance(&r->re, r->sigma, 0, 0, 1),
           re_correlation(&r->re, r->sigma, 0, 0, 1));
    printf("\\newcommand{\\lmmSleepBetaZero}{%.2f}\n\\newcommand{\\lmmSleepBetaOne}{%.3f}\n"
           "\\newcommand{\\lmmSleepPooledZero}{%.2f}\n\\newcommand{\\lmmSleepPooledOne}{%.3f}\n"
           "\\newcommand{\\lmmSleepSdSlopeOLS}{%.2f}\n"
           "\\newcommand{\\lmmSleepSdSlopeMixed}{%.2f}\n"
           "\\newcommand{\\lmmSleepSdIntOLS}{%.1f}\n\\newcommand{\\lmmSleepSdIntMixed}{%.1f}\n",
           r->beta[0], r->beta[1], a0, b0, sd_of(b, nl), sd_of(bm, nl), sd_of(a, nl),
           sd_of(am, nl));
    close_fit(&bf);
    return status;
}
static int dyestuff_at(book_fit *bf, book_system *bs, double theta, const char *tag)
{
    const lmm_result *r = bf->r;
    int q = r->re.nre, m = q + 2;
    double *A, *L;
    if (dense_factor(bf, &theta, &A, &L) != 0)
        return 1;
    double crit = system_criterion(bs, &theta, 1), dev = system_criterion(bs, &theta, 0);
    double r2 = blk_pwrss(bs->s), ld = blk_logdet(bs->s), ldx = blk_logdet_x(bs->s);
    double beta = bs->beta[0], dld = 0, dmax = 0;
    for (int a = 0; a < q; a++) {
        dld += 2 * log(L[a + (size_t)a * m]);
        dmax = fmax(dmax, fabs(L[a + (size_t)a * m] - L[0]));
        dmax = fmax(dmax, fabs(L[q + (size_t)a * m] - L[q]));
    }
    double rtheta = L[(m - 1) + (size_t)(m - 1) * m];
    if (dmax > 1e-12 * L[q] || fabs(dld - ld) > 1e-10 * fabs(ld) + 1e-12
        || fabs(rtheta * rtheta - r2) > 1e-9 * r2) {
        fprintf(stderr, "book-lmm: Dyestuff at theta = %g: the dense and blocked factors "
                "differ\n", theta);
        free(A); free(L);
        return 1;
    }
    printf("\\newcommand{\\lmmDyeLZ%s}{%.4f}\n\\newcommand{\\lmmDyeLXZ%s}{%.4f}\n"
           "\\newcommand{\\lmmDyeRX%s}{%.4f}\n\\newcommand{\\lmmDyeCbeta%s}{%.2f}\n"
           "\\newcommand{\\lmmDyeRtheta%s}{%.3f}\n\\newcommand{\\lmmDyeRsq%s}{%.1f}\n"
           "\\newcommand{\\lmmDyeBeta%s}{%.2f}\n\\newcommand{\\lmmDyeLogdet%s}{%.4f}\n"
           "\\newcommand{\\lmmDyeLogdetX%s}{%.4f}\n\\newcommand{\\lmmDyeCrit%s}{%.4f}\n"
           "\\newcommand{\\lmmDyeDev%s}{%.4f}\n\\newcommand{\\lmmDyeCu%s}{",
           tag, L[0], tag, L[q], tag, L[q + (size_t)q * m], tag, L[(m - 1) + (size_t)q * m],
           tag, rtheta, tag, r2, tag, beta, tag, ld, tag, ldx, tag, crit, tag, dev, tag);
    for (int a = 0; a < q; a++)
        printf("%s%.2f", a ? ",\\ " : "", L[(m - 1) + (size_t)a * m]);
    printf("}\n");
    if (strcmp(tag, "One") == 0) {
        printf("\\newcommand{\\lmmDyeLMatrix}{\\begin{pmatrix}\n");
        for (int a = 0; a < m; a++)
            for (int c = 0; c < m; c++) {
                double x = L[a + (size_t)c * m];
                if (c > a || x == 0)
                    printf("0");
                else
                    printf("%.*f", fabs(x) >= 100 ? 1 : 3, x);
                printf("%s", c < m - 1 ? " & " : a < m - 1 ? "\\\\\n" : "\n");
            }
        printf("\\end{pmatrix}}\n");
    }
    free(A);
    free(L);
    return 0;
}
static int dyestuff(const char *dir)
{
    static const char *const data[2] = { "Dyestuff", "Dyestuff2" }, *tag[2] = { "Dye",
        "DyeTwo" };
    book_fit bf[2][2];
    book_system bs[2][2];
    int status = 0;
    for (int d = 0; d < 2; d++)
        for (int reml = 0; reml < 2; reml++)
            if (open_fit("Yield ~ 1 + (1 | Batch)", data[d], reml, &bf[d][reml]) != ST_OK
                || system_open(&bf[d][reml], &bs[d][reml]) != 0)
                return 1;
    {
        const lmm_result *r = bf[0][1].r;
        double gap = fabs(system_criterion(&bs[0][1], r->re.theta, 1) - r->criterion);
        if (gap > 1e-8 || dyestuff_at(&bf[0][1], &bs[0][1], 1.0, "One") != 0
            || dyestuff_at(&bf[0][1], &bs[0][1], r->re.theta[0], "Hat") != 0) {
            fprintf(stderr, "book-lmm: the worked example of Dyestuff failed (%g)\n", gap);
            status = 1;
        }
        printf("\\newcommand{\\lmmDyeThetaHat}{%.4f}\n\\newcommand{\\lmmDyeSigmaHat}{%.3f}\n"
               "\\newcommand{\\lmmDyeSdBatch}{%.3f}\n\\newcommand{\\lmmDyeN}{%d}\n"
               "\\newcommand{\\lmmDyeCritGap}{", r->re.theta[0], r->sigma,
               r->re.theta[0] * r->sigma, r->n);
        cmp_tex_number(stdout, gap, 1);
        printf("}\n");
    }
    FILE *f = open_dat(dir, "profile", "theta dye_reml dye_ml dye2_reml dye2_ml");
    if (f == NULL)
        status = 1;
    for (int i = 0; f != NULL && i <= 100; i++) {
        double theta = 0.025 * i;
        fprintf(f, "%g", theta);
        for (int d = 0; d < 2; d++)
            for (int reml = 1; reml >= 0; reml--)
                fprintf(f, " %.6g", system_criterion(&bs[d][reml], &theta, reml)
                                    - bf[d][reml].r->criterion);
        fprintf(f, "\n");
    }
    if (f != NULL)
        fclose(f);
    for (int d = 0; d < 2; d++)
        for (int reml = 0; reml < 2; reml++)
            printf("\\newcommand{\\lmmProf%sTheta%s}{%.4f}\n", tag[d], reml ? "REML" : "ML",
                   bf[d][reml].r->re.theta[0]);
    for (int d = 0; d < 2; d++)
        for (int reml = 0; reml < 2; reml++) {
            system_close(&bs[d][reml]);
            close_fit(&bf[d][reml]);
        }
    return status;
}
static void write_bounds(FILE *f, int w, int h, const int *at, int nat, int vertical)
{
    fprintf(f, "%g %g\n%g %g\n%g %g\n%g %g\n%g %g\nnan nan\n", -0.5, -0.5, w - 0.5, -0.5,
            w - 0.5, h - 0.5, -0.5, h - 0.5, -0.5, -0.5);
    for (int k = 0; k < nat; k++) {
        fprintf(f, "%g %g\n%g %g\nnan nan\n", -0.5, at[k] - 0.5, w - 0.5, at[k] - 0.5);
        if (vertical)
            fprintf(f, "%g %g\n%g %g\nnan nan\n", at[k] - 0.5, -0.5, at[k] - 0.5, h - 0.5);
    }
}

static int pattern(const char *dir, const char *name, const char *formula, const char *data)
{
    book_fit bf;
    if (open_fit(formula, data, 1, &bf) != ST_OK)
        return 1;
    const lmm_result *r = bf.r;
    int n = r->n, q = r->re.nre, m = q + r->p + 1, at[9], nat = 0, status = 0;
    double *A = NULL, *L = NULL;
    char file[6][64];
    static const char *const what[6] = { "zt", "zt-bounds", "lambda", "lambda-bounds", "l",
                                         "l-bounds" };
    static const char *const header[6] = { "obs re", "x y", "col row", "x y",
                                           "col row fill", "x y" };
    FILE *f[6] = { NULL };
    for (int k = 1; k < r->re.nterms && nat < 8; k++)
        at[nat++] = r->re.term[k].re0;
    for (int j = 0; j < 6; j++) {
        snprintf(file[j], sizeof file[j], "%s-%s", name, what[j]);
        if ((f[j] = open_dat(dir, file[j], header[j])) == NULL)
            status = 1;
    }
    if (status == 0 && dense_factor(&bf, r->re.theta, &A, &L) != 0)
        status = 1;
    if (status == 0) {
        int nfill = 0, nnz = 0;
        for (int k = 0; k < r->re.nterms; k++) {
            const lmm_term *t = &r->re.term[k];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < t->q; c++)
                    if (t->Z[i + (size_t)c * n] != 0)
                        fprintf(f[0], "%d %d\n", i, t->re0 + t->g[i] * t->q + c);
            for (int l = 0; l < t->nlevels; l++)
                for (int c = 0; c < t->q; c++)
                    for (int a = c; a < t->q; a++)
                        if (r->re.theta[t->theta0 + re_theta_at(t->q, a, c)] != 0)
                            fprintf(f[2], "%d %d\n", t->re0 + l * t->q + c, t->re0 + l * t->q + a);
        }
        for (int c = 0; c < m; c++)
            for (int a = c; a < m; a++)
                if (L[a + (size_t)c * m] != 0) {
                    int fill = A[a + (size_t)c * m] == 0;
                    fprintf(f[4], "%d %d %d\n", c, a, fill);
                    nfill += fill;
                    nnz++;
                }
        printf("\\newcommand{\\lmmPattern%sFill}{%d}\n\\newcommand{\\lmmPattern%sNonzeros}{%d}\n",
               name, nfill, name, nnz);
        write_bounds(f[1], n, q, at, nat, 0);
        write_bounds(f[3], q, q, at, nat, 1);
        at[nat++] = q;
        write_bounds(f[5], m, m, at, nat, 1);
        printf("\\newcommand{\\lmmPattern%sOrder}{%d}\n", name, m);
    }
    for (int j = 0; j < 6; j++)
        if (f[j] != NULL)
            fclose(f[j]);
    free(A);
    free(L);
    close_fit(&bf);
    return status;
}
static int sparsity(const char *dir)
{
    return pattern(dir, "sleep", "Reaction ~ Days + (Days | Subject)", "sleepstudy")
           || pattern(dir, "pastes", "strength ~ 1 + (1 | batch/cask)", "Pastes")
           || pattern(dir, "penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)",
                      "Penicillin");
}
static int trace_figure(const char *dir)
{
    book_fit bf;
    FILE *t = tmpfile();
    st_error e = { 0 };
    if (t == NULL)
        return 1;
    if (open_fit("Reaction ~ Days + (Days | Subject)", "sleepstudy", 1, &bf) != ST_OK) {
        fclose(t);
        return 1;
    }
    lmm_result *r;
    lmm_options opt = { 1, 0.95, 0, t };
    if (lmm_fit(&e, bf.m, &opt, &r) != ST_OK) {
        fprintf(stderr, "book-lmm: trace: %s\n", e.msg);
        fclose(t);
        close_fit(&bf);
        return 1;
    }
    rewind(t);
    FILE *fg = open_dat(dir, "trace-gap", "eval gap best"),
         *fth = open_dat(dir, "trace-theta", "eval theta1 theta2 theta3");
    char line[1024];
    long k, rows = 0;
    double th[3], crit, best = HUGE_VAL, first = NAN;
    int status = fg == NULL || fth == NULL || fgets(line, sizeof line, t) == NULL;
    while (status == 0 && fgets(line, sizeof line, t))
        if (sscanf(line, "%ld,%lf,%lf,%lf,%lf", &k, &th[0], &th[1], &th[2], &crit) == 5) {
            best = fmin(best, crit);
            first = rows == 0 ? crit : first;
            if (crit - r->criterion > 0)
            {
                fprintf(fg, "%ld %.6g ", k, crit - r->criterion);
                if (best - r->criterion > 0)
                    fprintf(fg, "%.6g\n", best - r->criterion);
                else
                    fprintf(fg, "nan\n");
            }
            fprintf(fth, "%ld %.6g %.6g %.6g\n", k, th[0], th[1], th[2]);
            rows++;
        }
    printf("\\newcommand{\\lmmTraceRows}{%ld}\n\\newcommand{\\lmmTraceFirst}{%.2f}\n"
           "\\newcommand{\\lmmTraceFinal}{%.2f}\n", rows, first, r->criterion);
    if (rows != r->evaluations) {
        fprintf(stderr, "book-lmm: trace: %ld rows for %ld evaluations\n", rows,
                r->evaluations);
        status = 1;
    }
    if (fg) fclose(fg);
    if (fth) fclose(fth);
    fclose(t);
    lmm_free(r);
    close_fit(&bf);
    return status;
}
static int open_model(const char *formula, const char *data, df_frame **df,
                      frm_model **m)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    *df = NULL;
    *m = NULL;
    int status = frm_parse(&e, formula, &f);
    if (status == ST_OK) status = df_read(&e, data, df);
    if (status == ST_OK) status = frm_model_frame(&e, f, *df, FRM_NEED_RANDOM, m);
    frm_free(f);
    if (status != ST_OK) {
        fprintf(stderr, "book-lmm: %s, %s: %s\n", formula, data, e.msg);
        df_free(*df);
        *df = NULL;
    }
    return status;
}

static const frm_reterm *term_named(const frm_model *m, const char *group)
{
    for (int k = 0; k < m->nre; k++)
        if (strcmp(m->re[k].group, group) == 0)
            return &m->re[k];
    fprintf(stderr, "book-lmm: %s: no term for %s\n", m->formula, group);
    return NULL;
}

/* x as $a\times10^{k}$ with two significant digits. */
static void tex_power(const char *name, double x)
{
    int k = (int)floor(log10(x));
    double a = x / pow(10, k);
    if (a >= 9.95) { a /= 10; k++; }
    printf("\\newcommand{\\%s}{\\ensuremath{%.2g\\times10^{%d}}}\n", name, a, k);
}

static int design_sizes(void)
{
    df_frame *df;
    frm_model *m;
    const frm_reterm *t, *u;
    if (open_model("Reaction ~ Days + (Days | Subject)", "sleepstudy", &df, &m) != ST_OK
        || (t = term_named(m, "Subject")) == NULL)
        return 1;
    printf("\\newcommand{\\lmmSleepN}{%d}\n\\newcommand{\\lmmSleepSubjects}{%d}\n"
           "\\newcommand{\\lmmSleepPerSubject}{%d}\n\\newcommand{\\lmmSleepQ}{%d}\n"
           "\\newcommand{\\lmmSleepSubjectsLess}{%d}\n",
           m->n, t->nlevels, m->n / t->nlevels, t->nlevels * t->q, t->nlevels - 1);
    frm_model_free(m);
    df_free(df);
    if (open_model("Yield ~ 1 + (1 | Batch)", "Dyestuff", &df, &m) != ST_OK
        || (t = term_named(m, "Batch")) == NULL)
        return 1;
    printf("\\newcommand{\\lmmDyeGroupsLess}{%d}\n\\newcommand{\\lmmDyeNLess}{%d}\n"
           "\\newcommand{\\lmmDyeGroupsMore}{%d}\n",
           t->nlevels - 1, m->n - 1, t->nlevels + 1);
    frm_model_free(m);
    df_free(df);
    if (open_model("diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin", &df, &m) != ST_OK
        || (t = term_named(m, "plate")) == NULL || (u = term_named(m, "sample")) == NULL)
        return 1;
    printf("\\newcommand{\\lmmPenPlates}{%d}\n\\newcommand{\\lmmPenSamples}{%d}\n",
           t->nlevels, u->nlevels);
    frm_model_free(m);
    df_free(df);
    if (open_model("strength ~ 1 + (1 | batch/cask)", "Pastes", &df, &m) != ST_OK
        || (t = term_named(m, "cask:batch")) == NULL || (u = term_named(m, "batch")) == NULL)
        return 1;
    printf("\\newcommand{\\lmmPastesCasks}{%d}\n\\newcommand{\\lmmPastesBatches}{%d}\n",
           t->nlevels, u->nlevels);
    frm_model_free(m);
    df_free(df);
    if (open_model("y ~ service + (1 | s) + (1 | d) + (1 | dept)", "InstEval", &df, &m) != ST_OK
        || (t = term_named(m, "s")) == NULL || (u = term_named(m, "d")) == NULL)
        return 1;
    const frm_reterm *v = term_named(m, "dept");
    int *stamp = malloc(sizeof(int) * (size_t)u->nlevels), *first = NULL, *next = NULL;
    if (stamp != NULL) first = malloc(sizeof(int) * (size_t)t->nlevels);
    if (first != NULL) next = malloc(sizeof(int) * (size_t)m->n);
    if (v == NULL || next == NULL) {
        fprintf(stderr, "book-lmm: InstEval: out of memory or no dept term\n");
        free(stamp), free(first), frm_model_free(m), df_free(df);
        return 1;
    }
    for (int l = 0; l < u->nlevels; l++) stamp[l] = -1;
    for (int l = 0; l < t->nlevels; l++) first[l] = -1;
    for (int i = m->n - 1; i >= 0; i--) {
        next[i] = first[t->g[i]];
        first[t->g[i]] = i;
    }
    double pairs = 0;
    for (int l = 0; l < t->nlevels; l++) {
        long k = 0;
        for (int i = first[l]; i >= 0; i = next[i])
            if (stamp[u->g[i]] != l) {
                stamp[u->g[i]] = l;
                k++;
            }
        pairs += k * (k + 1) / 2.0;
    }
    int q = t->nlevels + u->nlevels + v->nlevels, dense = u->nlevels + v->nlevels + m->p + 1;
    tex_count("lmmInstN", m->n);
    tex_count("lmmInstStudents", t->nlevels);
    tex_count("lmmInstLecturers", u->nlevels);
    tex_count("lmmInstQ", q);
    printf("\\newcommand{\\lmmInstDepts}{%d}\n\\newcommand{\\lmmInstPOne}{%d}\n"
           "\\newcommand{\\lmmInstDense}{%d}\n\\newcommand{\\lmmInstOrder}{%d}\n"
           "\\newcommand{\\lmmInstLecturersPlain}{%d}\n\\newcommand{\\lmmInstStudentsPlain}{%d}\n"
           "\\newcommand{\\lmmInstQPlain}{%d}\n",
           v->nlevels, m->p + 1, dense, q + m->p + 1, u->nlevels, t->nlevels, q);
    printf("\\newcommand{\\lmmInstPairs}{%.1f}\n", pairs / 1e6);
    tex_power("lmmInstPairsPower", pairs);
    printf("\\newcommand{\\lmmInstTargetMB}{%.0f}\n", 8.0 * u->nlevels * u->nlevels / 1e6);
    double cube_q = pow(q, 3) / 3, cube_d = pow(u->nlevels, 3) / 3, cube_s = pow(t->nlevels, 3) / 3;
    tex_power("lmmInstFlopsFull", cube_q);
    tex_power("lmmInstFlopsLecturers", cube_d);
    printf("\\newcommand{\\lmmInstFlopsRatio}{%.0f}\n\\newcommand{\\lmmInstSwapRatio}{%.0f}\n",
           cube_q / cube_d, cube_s / cube_d);
    free(stamp), free(first), free(next);
    frm_model_free(m);
    df_free(df);
    {
        int l = 6, size = 5;
        printf("\\newcommand{\\lmmSingularShare}{%.2f}\n",
               pf(1.0, l - 1, l * (size - 1), 1, 0));
    }
    return 0;
}
enum { ZETA_GRID = 41, ZETA_MAXPAR = 6 };

static int zeta_figure(const char *dir)
{
    book_fit bf;
    st_error e = { 0 };
    lmm_profile *pr = NULL;
    double x[ZETA_MAXPAR][ZETA_GRID], z[ZETA_MAXPAR][ZETA_GRID], l[ZETA_MAXPAR][ZETA_GRID];
    double lo95[ZETA_MAXPAR], hi95[ZETA_MAXPAR];
    if (open_fit("Reaction ~ Days + (Days | Subject)", "sleepstudy", 1, &bf) != ST_OK)
        return 1;
    if (lmm_profile_new(&e, bf.m, bf.r, &pr) != ST_OK
        || lmm_profile_npar(pr) != ZETA_MAXPAR) {
        fprintf(stderr, "book-lmm: profile of sleepstudy: %s\n", e.msg);
        lmm_profile_free(pr);
        close_fit(&bf);
        return 1;
    }
    for (int w = 0; w < ZETA_MAXPAR; w++)
        lmm_profile_interval(pr, w, 0.95, &lo95[w], &hi95[w]);
    long evals = lmm_profile_evaluations(pr);
    for (int w = 0; w < ZETA_MAXPAR; w++) {
        double lo, hi, est = lmm_profile_estimate(pr, w);
        lmm_profile_interval(pr, w, 0.99, &lo, &hi);
        double h = 1e-3 * (hi - lo);
        double slope = (lmm_profile_zeta(pr, w, est + h) - lmm_profile_zeta(pr, w, est - h))
                       / (2 * h);
        for (int i = 0; i < ZETA_GRID; i++) {
            x[w][i] = lo + (hi - lo) * i / (ZETA_GRID - 1);
            z[w][i] = lmm_profile_zeta(pr, w, x[w][i]);
            l[w][i] = slope * (x[w][i] - est);
        }
    }
    FILE *f = open_dat(dir, "zeta", "x1 z1 l1 x2 z2 l2 x3 z3 l3 x4 z4 l4 x5 z5 l5 x6 z6 l6");
    if (f == NULL) {
        lmm_profile_free(pr);
        close_fit(&bf);
        return 1;
    }
    for (int i = 0; i < ZETA_GRID; i++)
        for (int w = 0; w < ZETA_MAXPAR; w++)
            fprintf(f, "%.6g %.6g %.6g%c", x[w][i], z[w][i], l[w][i],
                    w + 1 < ZETA_MAXPAR ? ' ' : '\n');
    fclose(f);
    printf("\\newcommand{\\lmmZetaCorLow}{%.3f}\n\\newcommand{\\lmmZetaCorHigh}{%.3f}\n"
           "\\newcommand{\\lmmZetaCorHat}{%.3f}\n\\newcommand{\\lmmZetaEvals}{%ld}\n",
           lo95[1], hi95[1], lmm_profile_estimate(pr, 1), evals);
    printf("\\newcommand{\\lmmZetaSdLow}{%.2f}\n\\newcommand{\\lmmZetaSdHigh}{%.2f}\n"
           "\\newcommand{\\lmmZetaSdHat}{%.2f}\n", lo95[0], hi95[0], lmm_profile_estimate(pr, 0));
    lmm_profile_free(pr);
    close_fit(&bf);
    return 0;
}
static int lrt_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int lrt_boot_figure(const char *dir)
{
    book_fit b0, b1;
    if (open_fit("Reaction ~ Days + (1 | Subject)", "sleepstudy", 0, &b0) != ST_OK)
        return 1;
    if (open_fit("Reaction ~ Days + (Days | Subject)", "sleepstudy", 0, &b1) != ST_OK) {
        close_fit(&b0);
        return 1;
    }
    st_error e = { 0 };
    lmm_boot_spec spec = { 1000, 1, 2, 0.95, NULL };
    lmm_lrt_boot lb;
    double obs = fmax(0.0, 2 * (b1.r->loglik - b0.r->loglik));
    int status = lmm_boot_lrt(&e, b0.m, b0.r, b1.m, obs, &spec, &lb) == ST_OK ? 0 : 1;
    FILE *f = status == 0 ? open_dat(dir, "lrt-boot", "c boot chisq1 chisq2 mixture") : NULL;
    if (status != 0)
        fprintf(stderr, "book-lmm: the bootstrap of the likelihood ratio: %s\n", e.msg);
    if (f != NULL) {
        long long used = 0;
        for (long long k = 0; k < lb.replicates; k++)
            if (!isnan(lb.lrt[k]))
                lb.lrt[used++] = lb.lrt[k];
        qsort(lb.lrt, (size_t)used, sizeof *lb.lrt, lrt_cmp);
        for (int i = 0; i <= 160; i++) {
            double c = i * 0.05, above = 0;
            for (long long k = 0; k < used; k++)
                above += lb.lrt[k] > c;
            double p1 = pchisq(c, 1, 0, 0), p2 = pchisq(c, 2, 0, 0);
            fprintf(f, "%.2f %.6f %.6f %.6f %.6f\n", c, above / (double)used, p1, p2,
                    0.5 * (p1 + p2));
        }
        fclose(f);
        double q95 = lb.lrt[(long long)ceil(0.95 * (double)used) - 1];
        printf("\\newcommand{\\lmmLrtBootB}{%lld}\n", lb.replicates);
        printf("\\newcommand{\\lmmLrtBootUsed}{%lld}\n", used);
        double lo = 0, hi = 20;   /* the mixture's 95th percentile, by bisection */
        for (int it = 0; it < 100; it++) {
            double mid = 0.5 * (lo + hi);
            if (0.5 * (pchisq(mid, 1, 0, 0) + pchisq(mid, 2, 0, 0)) > 0.05)
                lo = mid;
            else
                hi = mid;
        }
        printf("\\newcommand{\\lmmLrtBootQMix}{%.2f}\n", 0.5 * (lo + hi));
        printf("\\newcommand{\\lmmLrtBootQ}{%.2f}\n", q95);
        printf("\\newcommand{\\lmmLrtBootQChiTwo}{%.2f}\n", qchisq(0.95, 2, 1, 0));
        printf("\\newcommand{\\lmmLrtBootQChiOne}{%.2f}\n", qchisq(0.95, 1, 1, 0));
        printf("\\newcommand{\\lmmLrtBootObs}{%.1f}\n", obs);
        printf("\\newcommand{\\lmmLrtBootExceed}{%lld}\n", lb.exceed);
        printf("\\newcommand{\\lmmLrtBootP}{%.4f}\n", lb.p_value);
    } else
        status = 1;
    lmm_lrt_boot_free(&lb);
    close_fit(&b0);
    close_fit(&b1);
    return status;
}
static void control_table(void)
{
    const lmm_control *c = lmm_default_control();
    tex_setting("lmmCtlFitFtolAbs", c->fit.ftol_abs);
    tex_setting("lmmCtlFitFtolRel", c->fit.ftol_rel);
    tex_setting("lmmCtlFitXtolAbs", c->fit.xtol_abs);
    tex_setting("lmmCtlFitXtolRel", c->fit.xtol_rel);
    tex_setting("lmmCtlFitMaxeval", c->fit.maxeval);
    tex_setting("lmmCtlRefitFtolAbs", c->refit.ftol_abs);
    tex_setting("lmmCtlRefitXtolAbs", c->refit.xtol_abs);
    tex_setting("lmmCtlRefitStep", c->refit.initial_step);
    tex_setting("lmmCtlProfileFtolAbs", c->profile.ftol_abs);
    tex_setting("lmmCtlProfileXtolAbs", c->profile.xtol_abs);
    tex_setting("lmmCtlBoundaryTol", c->boundary_tol);
    tex_setting("lmmCtlSingularTol", c->singular_tol);
    tex_setting("lmmCtlThetaMax", c->theta_max);
    tex_setting("lmmCtlRankTol", c->rank_tol);
    tex_setting("lmmCtlZetaTol", c->zeta_tol);
    tex_setting("lmmCtlZetaMaxstep", c->zeta_maxstep);
    tex_setting("lmmCtlSatD", c->sat_d);
    tex_setting("lmmCtlSatEps", c->sat_eps);
    tex_setting("lmmCtlSatDelta", c->sat_delta);
    tex_setting("lmmCtlSatTries", c->sat_tries);
    tex_setting("lmmCtlSatHmax", c->sat_hmax);
    tex_setting("lmmCtlSatEigenTol", c->sat_eigen_tol);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    printf("%% Generated by book-lmm: do not edit.\n");
    if (bias_table(dir) != 0 || sleep_summary() != 0 || check_table() != 0
        || sleep_figures(dir) != 0 || dyestuff(dir) != 0 || sparsity(dir) != 0
        || trace_figure(dir) != 0 || shrinkage_numbers() != 0)
        return 1;
    if (design_sizes() != 0 || zeta_figure(dir) != 0 || lrt_boot_figure(dir) != 0)
        return 1;
    control_table();
    return 0;
}
