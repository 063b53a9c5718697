#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "nested.h"
#include "rformat.h"

#define NEST_SPAN_TOL 1e-7

static int same_group(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    int na = 1, nb = 1;
    for (const char *s = a; *s; s++) na += *s == ':';
    for (const char *s = b; *s; s++) nb += *s == ':';
    if (na != nb || strlen(a) != strlen(b))
        return 0;
    for (const char *p = a; ; ) {            /* each part of a is a part of b */
        size_t len = strcspn(p, ":");
        int found = 0;
        for (const char *q = b; !found; ) {
            size_t lq = strcspn(q, ":");
            found = lq == len && strncmp(p, q, len) == 0;
            if (q[lq] == '\0')
                break;
            q += lq + 1;
        }
        if (!found)
            return 0;
        if (p[len] == '\0')
            return 1;
        p += len + 1;
    }
}

static int columns_in_span(st_error *e, const char *formula0, const frm_model *m0,
                           const frm_model *m1);
static int terms_in_larger(st_error *e, const char *formula0, const frm_model *m0,
                           const frm_model *m1);

static int nest_check(st_error *e, const char *formula0, const frm_model *m0,
                      const frm_model *m1)
{
    if (strcmp(m0->response, m1->response) != 0)
        return st_fail(e, ST_EINPUT, "formula0: \"%s\" has the response %s and the model "
                       "%s: the two models must have the same response", formula0,
                       m0->response, m1->response);
    int same = m0->n == m1->n;
    for (int i = 0; same && i < m0->n; i++)
        same = m0->row[i] == m1->row[i];
    if (!same)
        return st_fail(e, ST_EINPUT, "formula0: \"%s\" uses %d rows of the data and the "
                       "model %d (missing values in a variable of one but not the other): "
                       "the two models must be fitted to the same rows", formula0, m0->n,
                       m1->n);
    if (m0->p > 0 && columns_in_span(e, formula0, m0, m1) != ST_OK)
        return e->status;
    return terms_in_larger(e, formula0, m0, m1);
}
static int columns_in_span(st_error *e, const char *formula0, const frm_model *m0,
                           const frm_model *m1)
{
    int n = m1->n, p1 = m1->p, p0 = m0->p, ld = n > p1 ? n : p1, rank = 0, bad = -1;
    double *A = malloc(((size_t)n * (p1 > 0 ? p1 : 1)) * sizeof *A);
    double *B = malloc(((size_t)ld * p0) * sizeof *B);
    int *jpvt = calloc((size_t)(p1 > 0 ? p1 : 1), sizeof *jpvt);
    if (A == NULL || B == NULL || jpvt == NULL) {
        free(A); free(B); free(jpvt);
        return st_fail(e, ST_ENOMEM, "out of memory");
    }
    memcpy(A, m1->X, (size_t)n * p1 * sizeof *A);
    for (int j = 0; j < p0; j++)
        memcpy(B + (size_t)j * ld, m0->X + (size_t)j * n, (size_t)n * sizeof *B);
    if (p1 > 0)
        LAPACKE_dgelsy(LAPACK_COL_MAJOR, n, p1, p0, A, n, B, ld, jpvt, 1e-10, &rank);
    for (int j = 0; j < p0 && bad < 0; j++) {
        double norm = 0, res = 0;
        for (int i = 0; i < n; i++)
            norm += m0->X[i + (size_t)j * n] * m0->X[i + (size_t)j * n];
        if (p1 == 0)
            res = norm;
        else {
            for (int i = 0; i < n; i++) {
                double fit = 0;
                for (int c = 0; c < p1; c++)
                    fit += m1->X[i + (size_t)c * n] * B[c + (size_t)j * ld];
                double d = m0->X[i + (size_t)j * n] - fit;
                res += d * d;
            }
        }
        if (norm > 0 && sqrt(res) > NEST_SPAN_TOL * sqrt(norm))
            bad = j;
    }
    free(A); free(B); free(jpvt);
    if (bad >= 0)
        return st_fail(e, ST_EINPUT, "formula0: \"%s\" is not nested in the model: its "
                       "column %s is not a combination of the model's columns", formula0,
                       m0->colnames[bad]);
    return ST_OK;
}
static int terms_in_larger(st_error *e, const char *formula0, const frm_model *m0,
                           const frm_model *m1)
{
    for (int k = 0; k < m0->nre; k++) {
        const frm_reterm *t0 = &m0->re[k];
        int found = 0;
        for (int l = 0; l < m1->nre && !found; l++) {
            const frm_reterm *t1 = &m1->re[l];
            if (!same_group(t0->group, t1->group))
                continue;
            found = 1;
            for (int c = 0; c < t0->q && found; c++) {
                int has = 0;
                for (int d = 0; d < t1->q && !has; d++)
                    has = strcmp(t0->colnames[c], t1->colnames[d]) == 0;
                found = has;
            }
        }
        if (!found)
            return st_fail(e, ST_EINPUT, "formula0: \"%s\" is not nested in the model: its "
                           "random effects for %s are not among the model's", formula0,
                           t0->group);
    }
    return ST_OK;
}
static int anova_pvalues(rf_text *c, double *col, const double *xj, int nrow, int *stars);

static int anova_column(rf_text *c, double *col, const double *xj, int nrow,
                        const char *name, int is_p, int *stars)
{
    size_t len = strlen(name);
    int tst = strcmp(name, "F") == 0 || strcmp(name, "Chisq") == 0;
    int isdf = len >= 2 && strcmp(name + len - 2, "Df") == 0;
    for (int i = 0; i < nrow; i++)     /* R's NA, which prints as NA, not NaN */
        col[i] = isnan(xj[i]) ? rf_na() : xj[i];
    if (is_p) {
        if (anova_pvalues(c, col, xj, nrow, stars) != 0)
            return -1;
    } else {
        if (tst)
            for (int i = 0; i < nrow; i++)
                col[i] = isnan(col[i]) ? col[i] : fround(col[i], 4);
        else if (!isdf)
            rf_zapsmall(col, nrow, 5);
        rf_format(c, col, nrow, 5);
    }
    for (int i = 0; i < nrow; i++)
        if (isnan(xj[i]))
            c[0 + i].s[0] = '\0';
    return 0;
}
static int anova_pvalues(rf_text *c, double *col, const double *xj, int nrow, int *stars)
{
    int k = 0;
    for (int i = 0; i < nrow; i++)
        if (!isnan(col[i]))
            col[k++] = col[i];
    rf_text *pt = calloc((size_t)(k > 0 ? k : 1), sizeof *pt);
    if (pt == NULL)
        return -1;
    if (rf_format_pval(pt, col, k, 4, 0x1p-52) != 0) {
        free(pt);
        return -1;
    }
    for (int i = 0, a = 0; i < nrow; i++)
        if (!isnan(xj[i])) {
            c[i] = pt[a++];
            if (xj[i] < 0.1)
                *stars = 1;
        }
    free(pt);
    return 0;
}
int nest_model_frame(st_error *e, const char *formula0, const frm_model *m1,
                     const df_frame *df, int flags, frm_model **out)
{
    assert(e != NULL);
    assert(formula0 != NULL);
    assert(m1 != NULL);
    assert(df != NULL);
    assert(out != NULL);
    frm_formula *f0 = NULL;
    frm_model *m0 = NULL;
    st_error sub = { 0 };
    *out = NULL;
    if (frm_parse(&sub, formula0, &f0) != ST_OK
        || frm_model_frame(&sub, f0, df, flags, &m0) != ST_OK) {
        frm_free(f0);
        return st_fail(e, sub.status == ST_EFIT || sub.status == ST_ENOMEM ? sub.status
                       : ST_EINPUT, "formula0: %s", sub.msg);
    }
    frm_free(f0);
    int status = nest_check(e, formula0, m0, m1);
    if (status != ST_OK) {
        frm_model_free(m0);
        return status;
    }
    *out = m0;
    return ST_OK;
}
void nest_json(js_writer *w, const nest_test *t)
{
    assert(w != NULL);
    assert(t != NULL);
    js_key(w, "compare");
    js_object_begin(w, 0);
    js_key_string(w, "formula0", t->formula0);
    js_key_number(w, "df0", t->df0);
    js_key_number(w, "df1", t->df1);
    js_key_number(w, "statistic", t->statistic);
    js_key_number(w, "df", t->df);
    js_key_number(w, "p_value", t->p_value);
    js_key_string(w, "test", t->test);
    if (t->boot_replicates > 0) {
        js_key(w, "bootstrap");
        js_object_begin(w, 1);
        js_key_integer(w, "replicates", t->boot_replicates);
        js_key_integer(w, "seed", (long long)t->boot_seed);
        js_key_integer(w, "failed", t->boot_failed);
        js_key_integer(w, "exceed", t->boot_exceed);
        js_key_number(w, "p_value", t->boot_p_value);
        js_object_end(w);
    }
    js_object_end(w);
}
void nest_set_boot(nest_test *t, long long replicates, unsigned long long seed,
                   long long failed, long long exceed, double p_value)
{
    assert(t != NULL);
    t->boot_replicates = replicates;
    t->boot_seed = seed;
    t->boot_failed = failed;
    t->boot_exceed = exceed;
    t->boot_p_value = p_value;
}

void nest_print_boot(FILE *out, const nest_test *t, const char *rerun)
{
    assert(out != NULL);
    assert(t != NULL);
    fprintf(out, "Parametric bootstrap of Chisq%s%s%s: %lld of %lld simulations from m0 at "
            "least as large (%lld failed): p-value %.4g\n", rerun ? " (" : "",
            rerun ? rerun : "", rerun ? ")" : "", t->boot_exceed,
            t->boot_replicates - t->boot_failed, t->boot_failed, t->boot_p_value);
}
int nest_print_anova(FILE *out, const double *x, int nrow, int ncol,
                     const char *const *rownames, const char *const *colnames)
{
    size_t cells = (size_t)nrow * (ncol + 1);
    rf_text *cell = calloc(cells, sizeof *cell);
    double *col = malloc((size_t)nrow * sizeof *col);
    const char **cn = malloc((size_t)(ncol + 1) * sizeof *cn);
    if (cell == NULL || col == NULL || cn == NULL) {
        free(cell); free(col); free(cn);
        return -1;
    }
    int has_p = ncol > 0 && strncmp(colnames[ncol - 1], "Pr(", 3) == 0;
    int stars = 0, status = 0;
    for (int j = 0; j < ncol && status == 0; j++) {
        cn[j] = colnames[j];
        status = anova_column(cell + (size_t)j * nrow, col, x + (size_t)j * nrow, nrow,
                              colnames[j], has_p && j == ncol - 1, &stars);
    }
    int nc = ncol;
    if (status == 0 && stars) {
        rf_star_column(cell + (size_t)ncol * nrow, x + (size_t)(ncol - 1) * nrow, nrow);
        cn[ncol] = "";
        nc = ncol + 1;
    }
    if (status == 0)
        status = rf_print_text_matrix(out, cell, nrow, nc, rownames, cn, 1);
    if (status == 0 && stars)
        fprintf(out, "---\nSignif. codes:  %s\n", rf_signif_legend);
    free(cell); free(col); free(cn);
    return status;
}
int nest_print_lrt(FILE *out, const double *tab, const char *formula0,
                   const char *formula, const char *data, int refitted)
{
    assert(out != NULL);
    assert(tab != NULL);
    assert(formula0 != NULL);
    assert(formula != NULL);
    static const char *const rows[] = { "m0", "m1" };
    static const char *const cols[] = { "npar", "AIC", "BIC", "logLik", "deviance", "Chisq",
                                        "Df", "Pr(>Chisq)" };
    char *f0 = rf_deparse_formula(formula0), *f1 = rf_deparse_formula(formula);
    int status = -1;
    if (f0 != NULL && f1 != NULL) {
        fputc('\n', out);
        if (refitted)
            fprintf(out, "refitting model(s) with ML (instead of REML)\n");
        fprintf(out, "Data: %s\nModels:\nm0: %s\nm1: %s\n", data, f0, f1);
        status = nest_print_anova(out, tab, 2, 8, rows, cols);
    }
    free(f0);
    free(f1);
    return status;
}
