#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lapacke.h>
#include <cblas.h>
#include "booktex.h"
#include "data.h"
#include "formula.h"
#include "jsonr.h"
#include "nist.h"
#include "ols.h"
#include "compare.h"
#include "bookfit.h"

static FILE *open_dat(const char *dir, const char *what, const char *header)
{
    return cmp_open_dat(dir, "ols", what, header);
}
#define NPOLY 21

static void poly_design(int d, double *X, double *y)
{
    for (int i = 0; i < NPOLY; i++) {
        double x = i / (NPOLY - 1.0), v = 1;
        y[i] = 0;
        for (int j = 0; j <= d; j++) {
            X[i + j * NPOLY] = v;
            y[i] += v;
            v *= x;
        }
    }
}

static double rel_error(const double *b, int p)
{
    double s = 0;
    for (int j = 0; j < p; j++)
        s += (b[j] - 1) * (b[j] - 1);
    return sqrt(s / p);
}

static void tex_sci(double x)
{
    int ex = (int)floor(log10(x));
    double m = x / pow(10, ex);
    if (m >= 9.95) { m /= 10; ex++; }
    printf("$%.1f\\times10^{%d}$", m, ex);
}
static int accuracy_table(const char *dir)
{
    FILE *dat = open_dat(dir, "accuracy", "d kappa qr normal kappau kappa2u");
    int failed = 0;
    double kappa_failed = 0;
    if (dat == NULL)
        return 1;
    printf("\\newcommand{\\olsAccuracyTable}{\\begin{tabular}{rrrrrr}\n\\toprule\n"
           "$d$ & $\\kappa(\\mathbf{X})$ & QR error & normal equations & $\\kappa u$ & "
           "$\\kappa^2u$ \\\\\n\\midrule\n");
    for (int d = 2; d <= 12; d++) {
        int p = d + 1;
        double X[NPOLY * 13], Xs[NPOLY * 13], y[NPOLY], b[13], A[13 * 13], s[13];
        st_error e = { 0 };
        ols_workspace *w = NULL;
        poly_design(d, X, y);
        memcpy(Xs, X, sizeof(double) * NPOLY * p);
        if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', NPOLY, p, Xs, NPOLY, s, NULL, 1, NULL, 1) != 0)
            return fprintf(stderr, "book-ols: dgesdd failed\n"), 1;
        double kappa = s[0] / s[p - 1];
        if (ols_workspace_new(&e, NPOLY, p, NULL, &w) != ST_OK
            || ols_decompose(&e, w, X, NPOLY) != ST_OK || ols_solve(&e, w, y, b, NULL) != ST_OK)
            return fprintf(stderr, "book-ols: %s\n", e.msg), 1;
        ols_workspace_free(w);
        double eqr = rel_error(b, p);
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, p, NPOLY, 1.0, X, NPOLY, 0.0, A, p);
        cblas_dgemv(CblasColMajor, CblasTrans, NPOLY, p, 1.0, X, NPOLY, y, 1, 0.0, b, 1);
        int chol = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', p, A, p) == 0
                   && LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'U', p, 1, A, p, b, p) == 0;
        printf("%d & ", d);
        tex_sci(kappa);
        printf(" & ");
        tex_sci(eqr);
        printf(" & ");
        if (chol) tex_sci(rel_error(b, p)); else printf("fails");
        printf(" & ");
        tex_sci(kappa * 0x1p-53);
        printf(" & ");
        tex_sci(kappa * kappa * 0x1p-53);
        printf(" \\\\\n");
        fprintf(dat, "%d %.6g %.6g %.6g %.6g %.6g\n", d, kappa, eqr,
                chol ? rel_error(b, p) : NAN, kappa * 0x1p-53, kappa * kappa * 0x1p-53);
        if (!chol && !failed) {
            failed = 1;
            kappa_failed = kappa;
        }
    }
    printf("\\bottomrule\n\\end{tabular}}\n");
    printf("\\newcommand{\\olsAccuracyFailNote}{");
    if (failed) {
        printf("  Where $\\kappa(\\mathbf{X})$ is ");
        tex_sci(kappa_failed);
        printf(", Cholesky's method found the rounded $\\mathbf{X}'\\mathbf{X}$ not positive "
               "definite, and the normal equations have no point.");
    }
    printf("}\n");
    return fclose(dat) != 0;
}
static int fit_case(const char *formula, const char *data, book_fit *b)
{
    return book_ols_fit("book-ols", formula, data, b);
}

static void free_fit(book_fit *b)
{
    book_fit_free(b);
}
static double kappa_of(int n, int p, const double *X)
{
    double Xs[NPOLY * 13], s[13];
    memcpy(Xs, X, sizeof(double) * (size_t)(n * p));
    if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', n, p, Xs, n, s, NULL, 1, NULL, 1) != 0)
        return NAN;
    return s[0] / s[p - 1];
}

static void tex_fixed(const char *name, const char *fmt, double x)
{
    printf("\\newcommand{\\%s}{", name);
    printf(fmt, x);
    printf("}\n");
}

static int exercise_numbers(void)
{
    {
        double X[NPOLY * 5], y[NPOLY];
        poly_design(4, X, y);
        double k0 = kappa_of(NPOLY, 5, X);
        for (int i = 0; i < NPOLY; i++) {
            double x = i / 20.0 - 0.5, v = 1;
            for (int j = 0; j <= 4; j++, v *= x)
                X[i + j * NPOLY] = v;
        }
        double k1 = kappa_of(NPOLY, 5, X);
        printf("\\newcommand{\\olsKappaRaw}{"); tex_sci(k0); printf("}\n");
        printf("\\newcommand{\\olsKappaCentred}{"); tex_sci(k1); printf("}\n");
        tex_fixed("olsCentringFactor", "%.1f", k0 / k1);
    }
    {
        double X[15], tau[3];
        lapack_int jpvt[3] = { 0, 0, 0 };
        for (int i = 0; i < 5; i++) {
            X[i] = 1;
            X[i + 5] = i + 1;
            X[i + 10] = 10.0 * (i + 1) - 1;
        }
        st_error e = { 0 };
        ols_workspace *w = NULL;
        if (ols_workspace_new(&e, 5, 3, NULL, &w) != ST_OK || ols_decompose(&e, w, X, 5) != ST_OK)
            return fprintf(stderr, "book-ols: %s\n", e.msg), 1;
        ols_workspace_free(w);
        if (LAPACKE_dgeqp3(LAPACK_COL_MAJOR, 5, 3, X, 5, jpvt, tau) != 0)
            return fprintf(stderr, "book-ols: dgeqp3 failed\n"), 1;
        int rank = 0;
        for (int j = 0; j < 3; j++)
            rank += fabs(X[j + 5 * j]) > 1e-7 * fabs(X[0]);
        printf("\\newcommand{\\olsPivotOrder}{$\\mathbf{x}_%d, \\mathbf{x}_%d, \\mathbf{x}_%d$}\n",
               (int)jpvt[0], (int)jpvt[1], (int)jpvt[2]);
        printf("\\newcommand{\\olsPivotDropped}{$\\mathbf{x}_%d$}\n", (int)jpvt[rank]);
        printf("\\newcommand{\\olsPivotRank}{%d}\n", rank);
    }
    {
        book_fit a, b;
        if (fit_case("mpg ~ wt", "mtcars", &a) != ST_OK)
            return 1;
        if (fit_case("mpg ~ 0 + wt", "mtcars", &b) != ST_OK)
            return free_fit(&a), 1;
        double ybar = 0, tss = 0;
        for (int i = 0; i < b.r->n; i++)
            ybar += b.m->y[i] / b.r->n;
        for (int i = 0; i < b.r->n; i++)
            tss += (b.m->y[i] - ybar) * (b.m->y[i] - ybar);
        tex_fixed("olsRsqIntercept", "%.3f", a.r->r_squared);
        tex_fixed("olsRsqOrigin", "%.3f", b.r->r_squared);
        tex_fixed("olsRsqOriginCentred", "%.2f", 1 - b.r->rss / tss);
        tex_fixed("olsRssIntercept", "%.1f", a.r->rss);
        tex_fixed("olsRssOrigin", "%.1f", b.r->rss);
        free_fit(&a);
        free_fit(&b);
    }
    return 0;
}
static int demo_summary(void)
{
    book_fit b;
    if (fit_case("mpg ~ wt + factor(cyl)", "mtcars", &b) != ST_OK)
        return 1;
    ols_labels l = { b.m->formula, "mtcars", (const char *const *)b.m->colnames, b.m->row,
                     b.m->n_dropped };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "$ bin/ols 'mpg ~ wt + factor(cyl)' mtcars\n");
    ols_print_summary(f, b.r, &l);
    ols_print_confint(f, b.r, &l);
    fclose(f);
    printf("\\newcommand{\\olsDemoSummary}{");
    tex_verbatim(stdout, buf);
    printf("}\n");
    free(buf);
    free_fit(&b);
    return 0;
}
static double rel_diff(double ours, const jr_value *v, int *mismatch)
{
    double theirs;
    if (jr_is_null(v)) {
        *mismatch |= !isnan(ours);
        return 0;
    }
    if (!jr_number(v, &theirs) || isnan(ours)) {
        *mismatch = 1;
        return 0;
    }
    if (theirs == ours)
        return 0;
    return theirs != 0 ? fabs(ours - theirs) / fabs(theirs) : fabs(ours);
}

static double compare_case(const ols_result *r, const jr_value *ref, int *mismatch)
{
    const char *scal[] = { "log_lik", "aic", "bic", "sigma", "r_squared", "adj_r_squared",
                           "f_statistic", "f_p_value" };
    const double ours[] = { r->log_lik, r->aic, r->bic, r->sigma, r->r_squared,
                            r->adj_r_squared, r->f_statistic, r->f_p_value };
    double worst = 0;
    for (int k = 0; k < 8; k++)
        worst = fmax(worst, rel_diff(ours[k], jr_get(ref, scal[k]), mismatch));
    const jr_value *coefs = jr_get(ref, "coefficients");
    if (jr_len(coefs) != (size_t)r->p)
        *mismatch = 1;
    for (int j = 0; j < r->p && (size_t)j < jr_len(coefs); j++) {
        const jr_value *c = jr_at(coefs, (size_t)j);
        const char *f[] = { "estimate", "std_error", "statistic", "p_value", "conf_low",
                            "conf_high" };
        const double o[] = { r->beta[j], r->se[j], r->statistic[j], r->p_value[j], r->conf_low[j],
                             r->conf_high[j] };
        for (int k = 0; k < 6; k++)
            worst = fmax(worst, rel_diff(o[k], jr_get(c, f[k]), mismatch));
    }
    return worst;
}
static int versus_r(void)
{
    book_fit b;
    jr_value *ref = NULL;
    st_error e = { 0 };
    if (fit_case("mpg ~ wt + factor(cyl)", "mtcars", &b) != ST_OK)
        return 1;
    if (jr_read(&e, "tests/reference/ols/mtcars_factor_cyl.json", &ref) != ST_OK)
        return fprintf(stderr, "book-ols: %s\n", e.msg), 1;
    const jr_value *coefs = jr_get(ref, "coefficients");
    printf("\\newcommand{\\olsVersusR}{\\begin{tabular}{lrrrr}\n\\toprule\n"
           "& \\multicolumn{2}{c}{estimate} & \\multicolumn{2}{c}{standard error} \\\\\n"
           "term & ours & R & ours & R \\\\\n\\midrule\n");
    for (int j = 0; j < b.r->p; j++) {
        double est = NAN, se = NAN;
        jr_number(jr_get(jr_at(coefs, (size_t)j), "estimate"), &est);
        jr_number(jr_get(jr_at(coefs, (size_t)j), "std_error"), &se);
        printf("\\texttt{%s} & %.15g & %.15g & %.15g & %.15g \\\\\n", b.m->colnames[j],
               b.r->beta[j], est, b.r->se[j], se);
    }
    int mismatch = 0;
    double worst = compare_case(b.r, ref, &mismatch);
    printf("\\midrule\n\\multicolumn{5}{l}{largest relative difference over all numbers: ");
    tex_sci(worst > 0 ? worst : 1e-300);
    printf("%s} \\\\\n\\bottomrule\n\\end{tabular}}\n",
           mismatch ? " (missing values differ!)" : "");
    jr_free(ref);
    free_fit(&b);
    return 0;
}
static int cases_table(void)
{
    FILE *in = fopen("tests/reference/ols/cases.tsv", "r");
    char line[1024];
    if (in == NULL)
        return fprintf(stderr, "book-ols: cannot open tests/reference/ols/cases.tsv\n"), 1;
    double overall = 0;
    printf("\\newcommand{\\olsCasesTable}{\\begin{tabular}{p{0.5\\textwidth}lrr}\n\\toprule\n"
           "formula & data & rank & largest rel.\\ difference \\\\\n\\midrule\n");
    while (fgets(line, sizeof line, in)) {
        char *name = strtok(line, "\t\n"), *formula = strtok(NULL, "\t\n");
        char *data = strtok(NULL, "\t\n"), path[1200];
        if (name == NULL || name[0] == '#' || formula == NULL || data == NULL)
            continue;
        book_fit b;
        jr_value *ref = NULL;
        st_error e = { 0 };
        snprintf(path, sizeof path, "tests/reference/ols/%s.json", name);
        if (fit_case(formula, data, &b) != ST_OK || jr_read(&e, path, &ref) != ST_OK) {
            fclose(in);
            return fprintf(stderr, "book-ols: case %s: %s\n", name, e.msg), 1;
        }
        int mismatch = 0;
        double worst = compare_case(b.r, ref, &mismatch);
        overall = fmax(overall, worst);
        printf("\\texttt{");
        tex_escape(stdout, formula, strlen(formula), 0);
        const char *base = strrchr(data, '/') ? strrchr(data, '/') + 1 : data;
        printf("} & \\texttt{");
        tex_escape(stdout, base, strlen(base), 0);
        printf("} & %d/%d & ", b.r->rank, b.r->p);
        if (worst > 0) tex_sci(worst); else printf("0");
        printf("%s \\\\\n", mismatch ? " (NA differs)" : "");
        jr_free(ref);
        free_fit(&b);
    }
    fclose(in);
    printf("\\bottomrule\n\\end{tabular}}\n\\newcommand{\\olsWorstDiff}{");
    tex_sci(overall > 0 ? overall : 1e-300);
    printf("}\n");
    return 0;
}
static void tex_vec(const char *name, const double *v, int n, const char *fmt, int tikz)
{
    printf("\\newcommand{\\%s}{(", name);
    for (int i = 0; i < n; i++) {
        printf(i ? ", " : "");
        printf(fmt, v[i] == 0 ? 0.0 : v[i]);
    }
    printf(")%s}\n", tikz ? "" : "'");
}

static int projection_example(void)
{
    double X[6] = { 1, 1, 1, 0, 1, 2 }, y[3] = { 1, 3, 2 }, coef[2], resid[3];
    st_error e = { 0 };
    ols_workspace *w = NULL;
    if (ols_workspace_new(&e, 3, 2, NULL, &w) != ST_OK || ols_decompose(&e, w, X, 3) != ST_OK
        || ols_solve(&e, w, y, coef, resid) != ST_OK)
        return fprintf(stderr, "book-ols: %s\n", e.msg), 1;
    double s1 = w->qr[0] < 0 ? -1 : 1, s2 = w->qr[4] < 0 ? -1 : 1, s3 = w->qty[2] < 0 ? -1 : 1;
    double x1[3] = { s1 * w->qr[0], 0, 0 }, x2[3] = { s1 * w->qr[3], s2 * w->qr[4], 0 };
    double yq[3] = { s1 * w->qty[0], s2 * w->qty[1], s3 * w->qty[2] };
    double fq[3] = { yq[0], yq[1], 0 }, fitted[3];
    {
        double len = sqrt(fq[0] * fq[0] + fq[1] * fq[1]), d = 0.25;
        double a[3] = { fq[0] * (1 - d / len), fq[1] * (1 - d / len), 0 };
        printf("\\newcommand{\\olsProjCorner}{(%.3f,%.3f,0) -- (%.3f,%.3f,%.3f) -- (%.3f,%.3f,%.3f)}\n",
               a[0], a[1], a[0], a[1], d, fq[0], fq[1], d);
    }
    for (int i = 0; i < 3; i++)
        fitted[i] = y[i] - resid[i];
    double ortho = fmax(fabs(resid[0] + resid[1] + resid[2]), fabs(resid[1] + 2 * resid[2]));
    tex_vec("olsProjXone", x1, 3, "%.3f", 1);
    tex_vec("olsProjXtwo", x2, 3, "%.3f", 1);
    tex_vec("olsProjY", yq, 3, "%.3f", 1);
    tex_vec("olsProjFit", fq, 3, "%.3f", 1);
    tex_vec("olsProjy", y, 3, "%g", 0);
    tex_vec("olsProjFitted", fitted, 3, "%.4g", 0);
    tex_vec("olsProjResid", resid, 3, "%.4g", 0);
    tex_vec("olsProjBeta", coef, 2, "%.4g", 0);
    printf("\\newcommand{\\olsProjOrtho}{");
    if (ortho > 0) tex_sci(ortho); else printf("$0$");
    printf("}\n\\newcommand{\\olsProjPlane}{(%.3f,%.3f,0) -- (%.3f,%.3f,0) -- (%.3f,%.3f,0) "
           "-- (%.3f,%.3f,0) -- cycle}\n", -0.3, -0.6, yq[0] + 0.6, -0.6, yq[0] + 0.6,
           fmax(x2[1], yq[1]) + 0.6, -0.3, fmax(x2[1], yq[1]) + 0.6);
    ols_workspace_free(w);
    return 0;
}
static int qr_example(void)
{
    book_fit b;
    st_error e = { 0 };
    ols_workspace *w = NULL;
    double coef[8];
    if (fit_case("mpg ~ wt + factor(cyl)", "mtcars", &b) != ST_OK)
        return 1;
    int n = b.m->n, p = b.m->p;
    if (p > 8 || ols_workspace_new(&e, n, p, NULL, &w) != ST_OK
        || ols_decompose(&e, w, b.m->X, n) != ST_OK
        || ols_solve(&e, w, b.m->y, coef, NULL) != ST_OK)
        return fprintf(stderr, "book-ols: qr example: %s\n", e.msg), free_fit(&b), 1;
    double rss = 0;
    for (int i = p; i < n; i++)
        rss += w->qty[i] * w->qty[i];
    if (fabs(rss - b.r->rss) > 1e-10 * b.r->rss)
        return fprintf(stderr, "book-ols: qr example: RSS %.17g against %.17g\n", rss, b.r->rss),
               free_fit(&b), 1;
    printf("\\newcommand{\\olsQrR}{\\begin{pmatrix}");
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++)
            printf(j < i ? "0 & " : j < p - 1 ? "%.3f & " : i < p - 1 ? "%.3f \\\\ " : "%.3f",
                   w->qr[i + (size_t)j * n]);
    printf("\\end{pmatrix}}\n\\newcommand{\\olsQrC}{\\begin{pmatrix}");
    for (int i = 0; i < p; i++)
        printf("%.3f%s", w->qty[i], i < p - 1 ? " \\\\ " : "");
    printf("\\end{pmatrix}}\n");
    tex_vec("olsQrBeta", coef, p, "%.3f", 0);
    printf("\\newcommand{\\olsQrRss}{%.2f}\n\\newcommand{\\olsQrN}{%d}\n", rss, n);
    printf("\\newcommand{\\olsQrSqrtN}{%.3f}\n", sqrt((double)n));
    ols_workspace_free(w);
    free_fit(&b);
    return 0;
}
static int resid_figure(const char *dir)
{
    book_fit b;
    if (fit_case("mpg ~ wt + factor(cyl)", "mtcars", &b) != ST_OK)
        return 1;
    int n = b.m->n;
    FILE *dat = open_dat(dir, "resid", "fitted resid cyl");
    if (dat == NULL || b.m->p != 4 || strcmp(b.m->colnames[3], "factor(cyl)8") != 0)
        return fprintf(stderr, "book-ols: residual figure: unexpected model\n"), free_fit(&b), 1;
    int big[3] = { -1, -1, -1 }, count[3] = { 0, 0, 0 };
    double ss[3] = { 0, 0, 0 };
    for (int i = 0; i < n; i++) {
        int cyl = 4 + 2 * (int)b.m->X[i + 2 * (size_t)n] + 4 * (int)b.m->X[i + 3 * (size_t)n];
        fprintf(dat, "%.6g %.6g %d\n", b.r->fitted[i], b.r->resid[i], cyl);
        count[(cyl - 4) / 2]++;
        ss[(cyl - 4) / 2] += b.r->resid[i] * b.r->resid[i];
        for (int k = 0; k < 3; k++)
            if (big[k] < 0 || fabs(b.r->resid[i]) > fabs(b.r->resid[big[k]])) {
                for (int l = 2; l > k; l--)
                    big[l] = big[l - 1];
                big[k] = i;
                break;
            }
    }
    int model = df_column_index(b.df, "model");
    if (model < 0 || b.df->col[model].kind != DF_FACTOR)
        return fprintf(stderr, "book-ols: mtcars has no model column\n"), free_fit(&b), 1;
    const df_column *names = &b.df->col[model];
    printf("\\newcommand{\\olsResidLargest}{");
    for (int k = 0; k < 3; k++) {
        printf("%s", k == 0 ? "" : k == 2 ? ", and " : ", ");
        tex_escape(stdout, names->levels[names->code[b.m->row[big[k]]]],
                   strlen(names->levels[names->code[b.m->row[big[k]]]]), 0);
        printf(" ($%.2f$)", b.r->resid[big[k]]);
    }
    printf("}\n");
    static const char *const group[3] = { "Four", "Six", "Eight" };
    for (int g = 0; g < 3; g++)
        printf("\\newcommand{\\olsResidRms%s}{%.1f}\n\\newcommand{\\olsResidCount%s}{%d}\n",
               group[g], sqrt(ss[g] / count[g]), group[g], count[g]);
    free_fit(&b);
    return fclose(dat) != 0;
}
static int prose_numbers(void)
{
    book_fit b;
    if (fit_case("mpg ~ wt + hp", "mtcars", &b) != ST_OK)
        return 1;
    printf("\\newcommand{\\olsIntroWtSlope}{%.1f}\n", -b.r->beta[1]);
    printf("\\newcommand{\\olsIntroWtSe}{%.2f}\n", b.r->se[1]);
    printf("\\newcommand{\\olsCovN}{%d}\n", b.m->n);
    free_fit(&b);
    double u = 0x1p-53;
    int ex = (int)floor(log10(u)), low = 6, high = 8;
    printf("\\newcommand{\\olsUnitRoundoff}{%.1f\\times10^{%d}}\n", u / pow(10, ex), ex);
    printf("\\newcommand{\\olsKappaLow}{%d}\n\\newcommand{\\olsKappaHigh}{%d}\n", low, high);
    printf("\\newcommand{\\olsDigitsNormal}{%.0f}\n", -log10(pow(10, 2 * low) * u));
    printf("\\newcommand{\\olsDigitsData}{%.0f}\n", -log10(pow(10, low) * u));
    printf("\\newcommand{\\olsKappaSqUHigh}{%.1f}\n", pow(10, 2 * high) * u);
    printf("\\newcommand{\\olsAccuracyPoints}{%d}\n", NPOLY);
    printf("\\newcommand{\\olsAccuracyStep}{%g}\n", 1.0 / (NPOLY - 1));
    double level = 0.95, reps = 2000, sd = 100 * sqrt(level * (1 - level) / reps);
    printf("\\newcommand{\\olsCovReps}{%.0f}\n", reps);
    printf("\\newcommand{\\olsCovSd}{%.2f}\n\\newcommand{\\olsCovTwoSd}{%.1f}\n", sd, 2 * sd);
    return 0;
}
static int nist_table(void)
{
    printf("\\newcommand{\\olsNistRows}{%%\n");
    for (int s = 0; s < NIST_SETS; s++) {
        nist_digits d;
        if (nist_measure(&nist_sets[s], &d) != ST_OK) {
            fprintf(stderr, "book-ols: NIST %s: cannot fit or read the reference values\n",
                    nist_sets[s].name);
            return 1;
        }
        if (d.aliased >= 0)
            printf("%s & \\multicolumn{6}{c}{column %d of %d dropped as aliased, by R and by "
                   "us}\\\\\n", nist_sets[s].name, d.aliased + 1, d.p);
        else
            printf("%s & %.1f & %.1f & %.1f & %.1f & %.1f & %.1f\\\\\n", nist_sets[s].name,
                   d.coef[0], d.coef[1], d.coef[2], d.se[0], d.se[1], d.se[2]);
    }
    printf("}\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    printf("%% Generated by book-ols: do not edit.\n");
    if (accuracy_table(dir) != 0 || demo_summary() != 0 || versus_r() != 0
        || cases_table() != 0 || exercise_numbers() != 0 || projection_example() != 0
        || qr_example() != 0 || resid_figure(dir) != 0 || prose_numbers() != 0
        || nist_table() != 0)
        return 1;
    return 0;
}
