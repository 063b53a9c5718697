#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "booktex.h"
#include "compare.h"
#include "formula.h"
#include "glm.h"
#include "jsonr.h"
#include "rng.h"

static FILE *open_dat(const char *dir, const char *what, const char *header)
{
    return cmp_open_dat(dir, "glm", what, header);
}
typedef struct book_fit {
    df_frame *df;
    frm_formula *f;
    frm_model *m;
    glm_response resp;
    glm_result *r;
} book_fit;

static int fit_case(const char *formula, const char *data, double level, book_fit *b)
{
    st_error e = { 0 };
    memset(b, 0, sizeof *b);
    int status = frm_parse(&e, formula, &b->f);
    if (status == ST_OK) status = df_read(&e, data, &b->df);
    if (status == ST_OK) status = frm_model_frame(&e, b->f, b->df, FRM_BINOMIAL, &b->m);
    if (status == ST_OK) status = glm_response_make(&e, b->m, b->df, &b->resp);
    if (status == ST_OK) status = glm_fit(&e, b->m, &b->resp, level, &b->r);
    if (status != ST_OK)
        fprintf(stderr, "book-glm: %s %s: %s\n", formula, data, e.msg);
    return status;
}

static void free_fit(book_fit *b)
{
    glm_free(b->r);
    if (b->resp.y != NULL)
        glm_response_free(&b->resp);
    frm_model_free(b->m);
    frm_free(b->f);
    df_free(b->df);
}
static int fit_text(const char *formula, const char *csv, book_fit *b)
{
    st_error e = { 0 };
    size_t len = strlen(csv);
    char *buf = malloc(len + 1);
    memset(b, 0, sizeof *b);
    if (buf == NULL)
        return fprintf(stderr, "book-glm: out of memory\n"), ST_EFIT;
    memcpy(buf, csv, len + 1);
    int status = frm_parse(&e, formula, &b->f);
    if (status == ST_OK) status = df_parse(&e, "exercise", buf, len, &b->df);
    if (status == ST_OK) status = frm_model_frame(&e, b->f, b->df, FRM_BINOMIAL, &b->m);
    if (status == ST_OK) status = glm_response_make(&e, b->m, b->df, &b->resp);
    if (status == ST_OK) status = glm_fit(&e, b->m, &b->resp, 0.95, &b->r);
    free(buf);
    if (status != ST_OK)
        fprintf(stderr, "book-glm: %s: %s\n", formula, e.msg);
    return status;
}

static int cbpp_kappa(void);
static int wald_coverage(void);
static int control_numbers(void);

static int exercise_numbers(void)
{
    book_fit a, b;
    if (fit_text("y ~ x", "x,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n", &a) != ST_OK)
        return 1;
    if (fit_text("y ~ x", "x,y\n1,0\n2,0\n3,1\n4,0\n5,1\n6,1\n", &b) != ST_OK)
        return free_fit(&a), 1;
    printf("\\newcommand{\\glmSepSeparated}{%s}\n", a.r->separated ? "warns" : "does not warn");
    free_fit(&a);
    free_fit(&b);
    double b0 = 3, mu0 = glm_linkinv(b0), step0 = (1 - 2 * mu0) / (2 * mu0 * (1 - mu0));
    double b1 = b0 + step0, mu1 = glm_linkinv(b1);
    printf("\\newcommand{\\glmOvershootMu}{%.3f}\n", mu0);
    printf("\\newcommand{\\glmOvershootStep}{%.2f}\n", step0);
    printf("\\newcommand{\\glmOvershootLand}{%.2f}\n", b1);
    printf("\\newcommand{\\glmOvershootNext}{%.0f}\n", b1 + (1 - 2 * mu1) / (2 * mu1 * (1 - mu1)));
    double mu = 0.75, w = glm_mu_eta(log(mu / (1 - mu)));
    printf("\\newcommand{\\glmStartWeight}{%.4f}\n", w);
    printf("\\newcommand{\\glmStartZ}{%.4f}\n", log(mu / (1 - mu)) + (1 - mu) / w);
    {
        double avg = 0, h = 0.001;
        for (int k = -10000; k <= 10000; k++) {
            double x = k * h;
            avg += (k == -10000 || k == 10000 ? 0.5 : 1.0) * h * glm_linkinv(-2 + x)
                   * exp(-x * x / 2) / sqrt(2 * 3.14159265358979323846);
        }
        printf("\\newcommand{\\glmWaldMeanProb}{%.2f}\n", avg);
    }
    return cbpp_kappa() || wald_coverage();
}
static void tex_power_of_ten(const char *name, double x)
{
    int k = (int)lround(log10(x));
    if (fabs(x / pow(10, k) - 1) < 1e-12)    /* a power of ten, to rounding */
        printf("\\newcommand{\\%s}{10^{%d}}\n", name, k);
    else
        printf("\\newcommand{\\%s}{%g}\n", name, x);
}

static int control_numbers(void)
{
    glm_control c = glm_control_default();
    tex_power_of_ten("glmCtlRankTol", c.rank_tol);
    tex_power_of_ten("glmCtlNullEpsilon", c.null_epsilon);
    tex_power_of_ten("glmCtlNullRatio", c.null_epsilon / c.epsilon);
    printf("\\newcommand{\\glmCtlNullMaxit}{%d}\n", c.null_maxit);
    return 0;
}
enum { WC_SETS = 1000 };

static int wald_coverage(void)
{
    enum { NMAX = 300, ROW = 40 };
    static char csv[16 + NMAX * ROW];
    const int sizes[2] = { 30, 300 };
    const char *name[2] = { "Thirty", "ThreeHundred" };
    rng_state g;
    rng_stream(&g, 20261129, 11);
    for (int a = 0; a < 2; a++) {
        int cover = 0, separated = 0, failed = 0, none = 0;
        for (int set = 0; set < WC_SETS; set++) {
            size_t len = (size_t)snprintf(csv, sizeof csv, "x,y\n");
            int successes = 0;
            for (int i = 0; i < sizes[a]; i++) {
                double u1 = 1 - rng_uniform(&g), u2 = rng_uniform(&g);
                double x = sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2);
                int y = rng_uniform(&g) < glm_linkinv(-2 + x);
                successes += y;
                len += (size_t)snprintf(csv + len, sizeof csv - len, "%.17g,%d\n", x, y);
            }
            if (successes == 0) {       /* bin/glmm refuses such data, with a message */
                none++;
                continue;
            }
            book_fit b;
            if (fit_text("y ~ x", csv, &b) != ST_OK) {
                failed++;
                free_fit(&b);
                continue;
            }
            separated += b.r->separated;
            cover += b.r->conf_low[1] <= 1 && 1 <= b.r->conf_high[1];
            free_fit(&b);
        }
        printf("\\newcommand{\\glmWaldCover%s}{%.1f}\n", name[a],
               100.0 * cover / (WC_SETS - none));
        printf("\\newcommand{\\glmWaldSeparated%s}{%d}\n", name[a], separated);
        printf("\\newcommand{\\glmWaldNoSuccess%s}{%d}\n", name[a], none);
        if (failed > 0)
            return fprintf(stderr, "book-glm: Wald coverage: %d fits failed\n", failed), 1;
    }
    printf("\\newcommand{\\glmWaldCoverSE}{%.1f}\n", 100 * sqrt(0.95 * 0.05 / WC_SETS));
    return 0;
}
static int cbpp_kappa(void)
{
    book_fit b;
    if (fit_case("cbind(incidence, size - incidence) ~ factor(period)", "cbpp", 0.95, &b) != ST_OK)
        return 1;
    int n = b.m->n, p = b.m->p, ok = b.r->nrow == n && p <= 8;
    double *A = ok ? malloc(sizeof(double) * (size_t)n * (size_t)p) : NULL, s[8];
    if (A != NULL) {
        for (int j = 0; j < p; j++)
            for (int i = 0; i < n; i++)
                A[i + (size_t)j * n] = sqrt(b.resp.m[i] * b.r->mu[i] * (1 - b.r->mu[i]))
                                       * b.m->X[i + (size_t)j * n];
        ok = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', n, p, A, n, s, NULL, 1, NULL, 1) == 0;
    }
    if (A == NULL || !ok)
        fprintf(stderr, "book-glm: the condition number of cbpp's weighted model matrix\n");
    else
        printf("\\newcommand{\\glmCbppKappa}{%.1f}\n", s[0] / s[p - 1]);
    free(A);
    free_fit(&b);
    return A == NULL || !ok;
}
static jr_value *as_json(const glm_result *r)
{
    book_capture c;
    FILE *f = book_capture_open(&c);
    if (f != NULL)
        glm_write_json(f, r);
    return book_capture_json(&c, "book-glm");
}
static int demo(void)
{
    book_fit b;
    const char *formula = "cbind(incidence, size - incidence) ~ factor(period)";
    if (fit_case(formula, "cbpp", 0.95, &b) != ST_OK)
        return 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "$ bin/glmm '%s' cbpp\n", formula);
    glm_print(f, b.r, "cbpp");
    fclose(f);
    printf("\\newcommand{\\glmDemoSummary}{");
    tex_verbatim(stdout, buf);
    printf("}\n");
    free(buf);
    st_error e = { 0 };
    jr_value *ours = as_json(b.r), *ref = NULL;
    if (ours == NULL || jr_read(&e, "tests/reference/glmm/glm_trials.json", &ref) != ST_OK) {
        fprintf(stderr, "book-glm: %s\n", e.msg);
        jr_free(ours);
        free_fit(&b);
        return 1;
    }
    printf("\\newcommand{\\glmCbppTable}{");
    int status = cmp_tex(&e, stdout, ours, ref);
    printf("}\n");
    printf("\\newcommand{\\glmTraceTable}{\\begin{tabular}{rrr}\n\\toprule\nstep & deviance "
           "& change \\\\\n\\midrule\n");
    for (int k = 0; k <= b.r->iterations; k++) {
        printf("%d & $%.12f$ & ", k, b.r->trace[k]);
        if (k > 0)
            cmp_tex_number(stdout, b.r->trace[k] - b.r->trace[k - 1], 2);
        printf(" \\\\\n");
    }
    printf("\\bottomrule\n\\end{tabular}}\n");
    jr_free(ours);
    jr_free(ref);
    free_fit(&b);
    return status;
}
static const char *word(int k)
{
    static const char *w[] = { "no", "one", "two", "three", "four", "five", "six", "seven",
                               "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                               "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                               "nineteen", "twenty" };
    return k >= 0 && k <= 20 ? w[k] : "many";
}

static int cbpp_design(void)
{
    st_error e = { 0 };
    df_frame *df = NULL;
    frm_formula *f = NULL;
    frm_model *m = NULL;
    int status = frm_parse(&e, "incidence ~ 1 + (1 | herd)", &f);
    if (status == ST_OK) status = df_read(&e, "cbpp", &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_NEED_RANDOM, &m);
    if (status != ST_OK || m->nre != 1 || m->re[0].nlevels > 64) {
        fprintf(stderr, "book-glm: cbpp's herds: %s\n", e.msg);
        frm_model_free(m); frm_free(f); df_free(df);
        return 1;
    }
    const frm_reterm *t = &m->re[0];
    int visits[64] = { 0 }, most = 0, full = 0;
    for (int i = 0; i < m->n; i++)
        most = visits[t->g[i]]++ >= most ? visits[t->g[i]] : most;
    for (int l = 0; l < t->nlevels; l++)
        full += visits[l] == most;
    printf("\\newcommand{\\glmCbppRows}{%d}\n\\newcommand{\\glmCbppHerds}{%s}\n", m->n,
           word(t->nlevels));
    printf("\\newcommand{\\glmCbppVisits}{%s}\n\\newcommand{\\glmCbppFull}{%s}\n", word(most),
           word(full));
    printf("\\newcommand{\\glmCbppOthers}{");
    for (int l = 0, k = 0; l < t->nlevels; l++)
        if (visits[l] != most) {
            k++;
            printf("%sherd~%s %s", k == 1 ? "" : k == t->nlevels - full ? " and " : ", ",
                   t->levels[l], visits[l] == 1 ? "once" : visits[l] == 2 ? "twice" : "");
            if (visits[l] > 2)
                printf("%s times", word(visits[l]));
        }
    printf("}\n");
    printf("\\newcommand{\\glmCbppHerdsN}{%d}\n\\newcommand{\\glmCbppVisitsN}{%d}\n",
           t->nlevels, most);
    frm_model_free(m); frm_free(f); df_free(df);
    m = NULL; f = NULL; df = NULL;
    status = frm_parse(&e, "incidence ~ 1 + (1 | period)", &f);
    if (status == ST_OK) status = df_read(&e, "cbpp", &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_NEED_RANDOM, &m);
    if (status != ST_OK || m->nre != 1) {
        fprintf(stderr, "book-glm: cbpp's periods: %s\n", e.msg);
        frm_model_free(m); frm_free(f); df_free(df);
        return 1;
    }
    printf("\\newcommand{\\glmCbppPeriods}{%s}\n\\newcommand{\\glmCbppIndicators}{%s}\n"
           "\\newcommand{\\glmCbppP}{%d}\n", word(m->re[0].nlevels), word(m->re[0].nlevels - 1),
           m->re[0].nlevels);
    frm_model_free(m); frm_free(f); df_free(df);
    return 0;
}
#define SHOWN 4
static int irls_step(void)
{
    book_fit b;
    if (fit_case("cbind(incidence, size - incidence) ~ factor(period)", "cbpp", 0.95, &b) != ST_OK)
        return 1;
    int n = b.m->n, p = b.m->p, status = 0;
    double A[64] = { 0 }, c[8] = { 0 }, beta[8], dev0 = 0, dev1 = 0;
    double row[SHOWN][5];    /* mu, eta, w, z at the start, eta after the step */
    if (p > 8 || n < SHOWN) {
        free_fit(&b);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        double y = b.resp.y[i], m = b.resp.m[i];
        double mu = (m * y + 0.5) / (m + 1), eta = log(mu / (1 - mu));
        double w = m * mu * (1 - mu), z = eta + (y - mu) / (mu * (1 - mu));
        dev0 += glm_dev_resid(y, mu, m);
        for (int j = 0; j < p; j++) {
            double xj = b.m->X[i + (size_t)j * n];
            c[j] += w * xj * z;
            for (int k = 0; k < p; k++)
                A[j + k * p] += w * xj * b.m->X[i + (size_t)k * n];
        }
        if (i < SHOWN) {
            row[i][0] = mu; row[i][1] = eta; row[i][2] = w; row[i][3] = z;
        }
    }
    for (int j = 0; j < p; j++) {
        for (int k = 0; k < j; k++)
            A[j + j * p] -= A[j + k * p] * A[j + k * p];
        A[j + j * p] = sqrt(A[j + j * p]);
        for (int i = j + 1; i < p; i++) {
            for (int k = 0; k < j; k++)
                A[i + j * p] -= A[i + k * p] * A[j + k * p];
            A[i + j * p] /= A[j + j * p];
        }
    }
    for (int j = 0; j < p; j++) {
        beta[j] = c[j];
        for (int k = 0; k < j; k++)
            beta[j] -= A[j + k * p] * beta[k];
        beta[j] /= A[j + j * p];
    }
    for (int j = p - 1; j >= 0; j--) {
        for (int k = j + 1; k < p; k++)
            beta[j] -= A[k + j * p] * beta[k];
        beta[j] /= A[j + j * p];
    }
    for (int i = 0; i < n; i++) {
        double eta = 0;
        for (int j = 0; j < p; j++)
            eta += b.m->X[i + (size_t)j * n] * beta[j];
        dev1 += glm_dev_resid(b.resp.y[i], glm_linkinv(eta), b.resp.m[i]);
        if (i < SHOWN)
            row[i][4] = eta;
    }
    printf("\\newcommand{\\glmIrlsTable}{\\begin{tabular}{rcrrrrrrr}\n\\toprule\n$i$ & "
           "$\\vect x_i^\\top$ & $k_i$ & $m_i$ & $\\mu_i^{(0)}$ & $\\eta_i^{(0)}$ & $w_i$ & "
           "$z_i$ & $\\eta_i^{(1)}$ \\\\\n\\midrule\n");
    for (int i = 0; i < SHOWN; i++) {
        printf("%d & $(", i + 1);
        for (int j = 0; j < p; j++)
            printf("%s%g", j ? "," : "", b.m->X[i + (size_t)j * n]);
        printf(")$ & %.0f & %.0f", b.resp.y[i] * b.resp.m[i], b.resp.m[i]);
        for (int k = 0; k < 5; k++)
            printf(" & $%.4f$", row[i][k]);
        printf(" \\\\\n");
    }
    printf("\\bottomrule\n\\end{tabular}}\n\\newcommand{\\glmIrlsBeta}{(");
    for (int j = 0; j < p; j++)
        printf("%s%.4f", j ? ",\\ " : "", beta[j]);
    printf(")}\n\\newcommand{\\glmIrlsBetaHat}{(");
    for (int j = 0; j < p; j++)
        printf("%s%.4f", j ? ",\\ " : "", b.r->beta[j]);
    printf(")}\n\\newcommand{\\glmIrlsDevZero}{%.4f}\n\\newcommand{\\glmIrlsDevOne}{%.4f}\n",
           dev0, dev1);
    printf("\\newcommand{\\glmIrlsDevHat}{%.4f}\n\\newcommand{\\glmCbppSteps}{%s}\n",
           b.r->deviance, word(b.r->iterations));
    if (fabs(dev0 - b.r->trace[0]) > 1e-9 * dev0 || fabs(dev1 - b.r->trace[1]) > 1e-9 * dev1) {
        fprintf(stderr, "book-glm: the written-out IRLS step (%.12g, %.12g) is not glm_fit's "
                "(%.12g, %.12g)\n", dev0, dev1, b.r->trace[0], b.r->trace[1]);
        status = 1;
    }
    free_fit(&b);
    return status;
}
static int logistic_figure(const char *dir)
{
    book_fit b;
    FILE *f = open_dat(dir, "logistic", "eta mu tangent"), *g = NULL;
    if (f == NULL)
        return 1;
    for (int k = -60; k <= 60; k++)
        fprintf(f, "%.2f %.6f %.6f\n", k / 10.0, glm_linkinv(k / 10.0), 0.5 + k / 40.0);
    fclose(f);
    if (fit_case("cbind(incidence, size - incidence) ~ factor(period)", "cbpp", 0.95, &b) != ST_OK
        || (g = open_dat(dir, "periods", "eta mu")) == NULL) {
        free_fit(&b);
        return 1;
    }
    for (int j = 0; j < b.r->p; j++) {
        double eta = b.r->beta[0] + (j > 0 ? b.r->beta[j] : 0.0);
        fprintf(g, "%.6f %.6f\n", eta, glm_linkinv(eta));
    }
    fclose(g);
    free_fit(&b);
    return 0;
}
static double binary_loglik(const double *x, const double *y, int n, double b0, double b1,
                            double *score, double *info)
{
    double ll = 0;
    *score = *info = 0;
    for (int i = 0; i < n; i++) {
        double eta = b0 + b1 * x[i], mu = 1 / (1 + exp(-eta));
        ll += y[i] * eta - (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)));
        *score += y[i] - mu;
        *info += mu * (1 - mu);
    }
    return ll;
}

static double profile(const double *x, const double *y, int n, double b1)
{
    double b0 = -3.5 * b1, s, h, ll = 0;
    for (int it = 0; it < 100; it++) {
        ll = binary_loglik(x, y, n, b0, b1, &s, &h);
        if (h <= 0 || fabs(s / h) < 1e-12)
            break;
        b0 += s / h;
    }
    return ll;
}

static int separation_figure(const char *dir)
{
    static const char *csv[2] = { "x,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n",
                                  "x,y\n1,0\n2,0\n3,1\n4,0\n5,1\n6,1\n" };
    double x[6] = { 1, 2, 3, 4, 5, 6 }, y[2][6] = { { 0, 0, 0, 1, 1, 1 }, { 0, 0, 1, 0, 1, 1 } };
    FILE *f = open_dat(dir, "separation", "slope separated overlapping"), *g = NULL;
    if (f == NULL)
        return 1;
    for (int k = 0; k <= 240; k++)
        fprintf(f, "%.2f %.6e %.6e\n", k / 4.0, -2 * profile(x, y[0], 6, k / 4.0),
                -2 * profile(x, y[1], 6, k / 4.0));
    fclose(f);
    if ((g = open_dat(dir, "separation-fits", "slope deviance")) == NULL)
        return 1;
    for (int d = 0; d < 2; d++) {
        st_error e = { 0 };
        book_fit b;
        size_t len = strlen(csv[d]);
        char buf[64];
        memset(&b, 0, sizeof b);
        memcpy(buf, csv[d], len + 1);
        int status = df_parse(&e, "six.csv", buf, len, &b.df);
        if (status == ST_OK) status = frm_parse(&e, "y ~ x", &b.f);
        if (status == ST_OK) status = frm_model_frame(&e, b.f, b.df, FRM_BINOMIAL, &b.m);
        if (status == ST_OK) status = glm_response_make(&e, b.m, b.df, &b.resp);
        if (status == ST_OK) status = glm_fit(&e, b.m, &b.resp, 0.95, &b.r);
        if (status != ST_OK) {
            fprintf(stderr, "book-glm: the six observations: %s\n", e.msg);
            free_fit(&b);
            fclose(g);
            return 1;
        }
        fprintf(g, "%.6f %.6e\n", b.r->beta[1], -2 * b.r->loglik);
        printf(d ? "\\newcommand{\\glmOverlapSlope}{%.2f}\n"
                 : "\\newcommand{\\glmSepSlope}{%.1f}\n", b.r->beta[1]);
        printf(d ? "\\newcommand{\\glmOverlapSe}{%.2f}\n"
                 : "\\newcommand{\\glmSepSe}{%.0f}\n", b.r->se[1]);
        printf("\\newcommand{\\glm%sLogLik}{", d ? "Overlap" : "Sep");
        cmp_tex_number(stdout, b.r->loglik, 2);
        printf("}\n\\newcommand{\\glm%sSteps}{%d}\n", d ? "Overlap" : "Sep", b.r->iterations);
        free_fit(&b);
    }
    fclose(g);
    return 0;
}
static double number(const jr_value *obj, const char *key)
{
    double x = NAN;
    jr_number(jr_get(obj, key), &x);
    return x;
}

static double z_of_p(double p)
{
    return p > 0 ? -qnorm(p / 2, 0, 1, 1, 0) : INFINITY;
}
static int cases(void)
{
    FILE *in = fopen("tests/reference/glmm/cases.tsv", "r");
    char line[2048];
    if (in == NULL)
        return fprintf(stderr, "book-glm: cannot open tests/reference/glmm/cases.tsv\n"), 1;
    printf("\\newcommand{\\glmCasesTable}{\\begin{tabular}{lrrrr}\n\\toprule\ncase & "
           "estimates & std.\\ errors & $p$-values & deviance \\\\\n\\midrule\n");
    int status = 0, ncases = 0;
    while (status == 0 && fgets(line, sizeof line, in) != NULL) {
        char *name = strtok(line, "\t\n"), *formula = strtok(NULL, "\t\n");
        char *data = strtok(NULL, "\t\n"), *options = strtok(NULL, "\t\n");
        if (name == NULL || name[0] == '#' || strncmp(name, "glm_", 4) != 0 || data == NULL)
            continue;
        ncases++;
        double level = options && strstr(options, "--level") ? atof(options + 8) : 0.95;
        book_fit b;
        st_error e = { 0 };
        char path[512];
        jr_value *ref = NULL;
        snprintf(path, sizeof path, "tests/reference/glmm/%s.json", name);
        if (fit_case(formula, data, level, &b) != ST_OK || jr_read(&e, path, &ref) != ST_OK) {
            fprintf(stderr, "book-glm: %s: %s\n", name, e.msg);
            free_fit(&b);
            status = 1;
            break;
        }
        const jr_value *coefs = jr_get(ref, "coefficients");
        double de = 0, ds = 0, dp = 0;
        for (size_t j = 0; j < jr_len(coefs) && j < (size_t)b.r->p; j++) {
            const jr_value *c = jr_at(coefs, j);
            double re = number(c, "estimate"), rs = number(c, "std_error"), rp = number(c, "p_value");
            if (isnan(re))
                continue;
            de = fmax(de, fabs(b.r->beta[j] - re) / fmax(fabs(re), rs));
            ds = fmax(ds, fabs(b.r->se[j] - rs) / rs);
            double zo = z_of_p(b.r->p_value[j]), zr = z_of_p(rp);
            if (isfinite(zr))
                dp = fmax(dp, fabs(zo - zr) / fmax(zr, 1));
        }
        const double row[4] = { de, ds, dp, fabs(b.r->deviance - number(ref, "deviance")) };
        cmp_tex_case_row(stdout, name, row, 4, 2);
        jr_free(ref);
        free_fit(&b);
    }
    fclose(in);
    printf("\\bottomrule\n\\end{tabular}}\n\\newcommand{\\glmCasesCount}{%s}\n",
           word(ncases));
    return status;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "build/numbers";
    printf("%% Generated by book-glm: do not edit.\n");
    if (demo() != 0 || cbpp_design() != 0 || irls_step() != 0 || logistic_figure(dir) != 0
        || separation_figure(dir) != 0 || cases() != 0 || exercise_numbers() != 0
        || control_numbers() != 0)
        return 1;
    return 0;
}
