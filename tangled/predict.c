#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict.h"
#include "augment.h"

static const char *label_of(const df_column *c, int i, char buf[32])
{
    if (c->kind == DF_FACTOR)
        return c->code[i] < 0 ? NULL : c->levels[c->code[i]];
    if (isnan(c->num[i]))
        return NULL;
    frm_number_label(c->num[i], buf);
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int lhs_only(const char *formula, const char *name)
{
    const char *tilde = strchr(formula, '~');
    if (tilde == NULL)
        return 0;
    size_t k = (size_t)(tilde - formula);
    char *lhs = malloc(k + 1);
    if (lhs == NULL)
        return 0;
    memcpy(lhs, formula, k);
    lhs[k] = '\0';
    int r = aug_uses_name(lhs, name) && !aug_uses_name(tilde + 1, name);
    free(lhs);
    return r;
}
static int append_column(st_error *e, const char *formula, const df_column *tc,
                         const df_frame *nd, int nt, df_frame *c);

static int combined_frame(st_error *e, const char *formula, const df_frame *train,
                          const df_frame *nd, df_frame **out)
{
    int nt = train->nrow, nn = nd->nrow, n = nt + nn;
    df_frame *c = calloc(1, sizeof *c);
    *out = NULL;
    if (c == NULL || (c->col = calloc((size_t)train->ncol + 1, sizeof *c->col)) == NULL
        || (c->line = calloc((size_t)n + 1, sizeof *c->line)) == NULL
        || (c->source = malloc(strlen(nd->source) + 1)) == NULL) {
        df_free(c);
        return st_fail(e, ST_ENOMEM, "out of memory");
    }
    strcpy(c->source, nd->source);
    c->nrow = n;
    for (int i = 0; i < nn; i++)
        c->line[nt + i] = nd->line[i];
    for (int j = 0; j < train->ncol; j++) {
        const df_column *tc = &train->col[j];
        if (!aug_uses_name(formula, tc->name))
            continue;
        if (append_column(e, formula, tc, nd, nt, c) != ST_OK) {
            df_free(c);
            return e->status;
        }
    }
    *out = c;
    return ST_OK;
}
static int append_factor(st_error *e, const df_column *tc, const df_column *ncol, int nt,
                         int nn, df_column *cc);

static int append_column(st_error *e, const char *formula, const df_column *tc,
                         const df_frame *nd, int nt, df_frame *c)
{
    int nn = nd->nrow, n = nt + nn;
    df_column *cc = &c->col[c->ncol];
    int k = df_column_index(nd, tc->name), resp = lhs_only(formula, tc->name);
    if ((cc->name = malloc(strlen(tc->name) + 1)) == NULL)
        return st_fail(e, ST_ENOMEM, "out of memory");
    strcpy(cc->name, tc->name);
    c->ncol++;
    cc->kind = tc->kind;
    if (k < 0 && !resp)
        return st_fail(e, ST_EINPUT, "newdata: %s: no column \"%s\", which the formula uses",
                       nd->source, tc->name);
    if (tc->kind != DF_NUMERIC)
        return append_factor(e, tc, k >= 0 && !resp ? &nd->col[k] : NULL, nt, nn, cc);
    const df_column *ncol = k >= 0 ? &nd->col[k] : NULL;
    if (ncol != NULL && !resp && ncol->kind != DF_NUMERIC)
        return st_fail(e, ST_EINPUT, "newdata: %s:%ld: column \"%s\": expected a number, found "
                       "\"%s\"", nd->source, ncol->text_line, tc->name, ncol->text);
    if ((cc->num = malloc((size_t)n * sizeof *cc->num)) == NULL)
        return st_fail(e, ST_ENOMEM, "out of memory");
    memcpy(cc->num, tc->num, (size_t)nt * sizeof *cc->num);
    for (int i = 0; i < nn; i++)
        cc->num[nt + i] = resp ? 1.0 : ncol->num[i];
    return ST_OK;
}
static int append_factor(st_error *e, const df_column *tc, const df_column *ncol, int nt,
                         int nn, df_column *cc)
{
    int n = nt + nn;
    char **lv = malloc(((size_t)tc->nlevels + nn + 1) * sizeof *lv);
    int nl = 0;
    cc->code = malloc((size_t)n * sizeof *cc->code);
    if (lv == NULL || cc->code == NULL) {
        free(lv);
        return st_fail(e, ST_ENOMEM, "out of memory");
    }
    cc->levels = lv;
    for (int l = 0; l < tc->nlevels; l++) {
        if ((lv[nl] = malloc(strlen(tc->levels[l]) + 1)) == NULL)
            return st_fail(e, ST_ENOMEM, "out of memory");
        strcpy(lv[nl++], tc->levels[l]);
        cc->nlevels = nl;
    }
    for (int i = 0; ncol != NULL && i < nn; i++) {
        char buf[32];
        const char *s = label_of(ncol, i, buf);
        if (s == NULL)
            continue;
        int seen = 0;
        for (int l = 0; l < nl && !seen; l++)
            seen = strcmp(lv[l], s) == 0;
        if (seen)
            continue;
        if ((lv[nl] = malloc(strlen(s) + 1)) == NULL)
            return st_fail(e, ST_ENOMEM, "out of memory");
        strcpy(lv[nl++], s);
        cc->nlevels = nl;
    }
    qsort(lv, (size_t)nl, sizeof *lv, cmp_str);
    for (int i = 0; i < n; i++) {
        char buf[32];
        const char *s = i < nt ? (tc->code[i] < 0 ? NULL : tc->levels[tc->code[i]])
                      : ncol != NULL ? label_of(ncol, i - nt, buf) : tc->levels[0];
        cc->code[i] = -1;
        for (int l = 0; s != NULL && l < nl && cc->code[i] < 0; l++)
            if (strcmp(lv[l], s) == 0)
                cc->code[i] = l;
    }
    return ST_OK;
}
static int same_columns(st_error *e, const frm_model *m, const frm_model *m1,
                        const char *source)
{
    int same = m->p == m1->p;
    for (int j = 0; same && j < m->p; j++)
        same = strcmp(m->colnames[j], m1->colnames[j]) == 0;
    if (same)
        return ST_OK;
    for (int j = 0; j < m->p; j++) {
        int found = 0;
        for (int l = 0; l < m1->p && !found; l++)
            found = strcmp(m->colnames[j], m1->colnames[l]) == 0;
        if (!found)
            return st_fail(e, ST_EINPUT, "newdata: %s: the new data give the fixed effects a "
                           "column %s that the fitted model does not have (a level of a factor "
                           "that the data do not have)", source, m->colnames[j]);
    }
    return st_fail(e, ST_EINPUT, "newdata: %s: the new data do not give the fixed effects the "
                   "fitted model's columns", source);
}
int pred_frame(st_error *e, const char *formula, const df_frame *train, const frm_model *m1,
               const char *newdata, int flags, df_frame **comb, frm_model **mn,
               int *offset, int *nnew)
{
    df_frame *nd = NULL, *c = NULL;
    frm_formula *f = NULL;
    frm_model *m = NULL;
    *comb = NULL;
    *mn = NULL;
    st_error sub = { 0 };
    if (strstr(formula, "poly(") != NULL || strstr(formula, "scale(") != NULL)
        return st_fail(e, ST_EINPUT, "newdata: the formula uses poly() or scale(), whose "
                       "columns are computed from the data: predictions for new data with "
                       "them are not made");
    if (df_read(&sub, newdata, &nd) != ST_OK)
        return st_fail(e, sub.status, "newdata: %s", sub.msg);
    int status = ST_EFIT;
    if (combined_frame(e, formula, train, nd, &c) == ST_OK
        && frm_parse(e, formula, &f) == ST_OK
        && frm_model_frame(e, f, c, flags, &m) == ST_OK
        && same_columns(e, m, m1, nd->source) == ST_OK) {
        *offset = train->nrow;
        *nnew = nd->nrow;
        *comb = c;
        *mn = m;
        c = NULL;
        m = NULL;
        status = ST_OK;
    }
    frm_model_free(m);
    frm_free(f);
    df_free(c);
    df_free(nd);
    return status == ST_OK ? ST_OK : e->status;
}
double pred_fixed(const frm_model *mn, int i, const double *beta)
{
    assert(mn != NULL);
    assert(beta != NULL);
    assert(i >= 0);
    assert(i < mn->n);
    double s = 0;
    for (int j = 0; j < mn->p; j++)
        if (!isnan(beta[j]))
            s += mn->X[i + (size_t)j * mn->n] * beta[j];
    return s;
}

int pred_write(st_error *e, const char *path, const char *formula, const df_frame *comb,
               int offset, int nnew, const frm_model *mn, int ncol,
               const char *const *names, const double *vals)
{
    assert(e != NULL);
    assert(path != NULL);
    assert(formula != NULL);
    assert(comb != NULL);
    assert(mn != NULL);
    int *rows = malloc(((size_t)nnew + 1) * sizeof *rows);
    double *out = malloc(((size_t)nnew * ncol + 1) * sizeof *out);
    if (rows == NULL || out == NULL) {
        free(rows); free(out);
        return st_fail(e, ST_ENOMEM, "out of memory");
    }
    for (int i = 0; i < nnew; i++)
        rows[i] = offset + i;
    for (size_t i = 0; i < (size_t)nnew * ncol; i++)
        out[i] = NAN;
    for (int i = 0; i < mn->n; i++)
        if (mn->row[i] >= offset)
            for (int c = 0; c < ncol; c++)
                out[(mn->row[i] - offset) + (size_t)c * nnew] = vals[i + (size_t)c * mn->n];
    const char *rhs = strchr(formula, '~');     /* the response's columns are not written */
    int status = aug_write_as(e, "out", path, rhs ? rhs + 1 : formula, comb, rows, nnew, ncol,
                              names, out);
    free(rows); free(out);
    return status;
}
