#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "data.h"
#include "formula.h"
#include "nist.h"
#include "ols.h"

#define NIST_POLY5 "y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)"
const nist_set nist_sets[NIST_SETS] = {
    { "Norris", "y ~ x", 13.5, 13.5 },
    { "Pontius", "y ~ x + I(x^2)", 13.0, 13.5 },
    { "NoInt1", "y ~ 0 + x", 14.5, 14.5 },
    { "NoInt2", "y ~ 0 + x", 14.5, 14.5 },
    { "Filip", "y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5) + I(x^6) + I(x^7) + I(x^8) "
               "+ I(x^9) + I(x^10)", 0, 0 },
    { "Longley", "y ~ x1 + x2 + x3 + x4 + x5 + x6", 14.0, 12.5 },
    { "Wampler1", NIST_POLY5, 14.5, 14.5 },
    { "Wampler2", NIST_POLY5, 13.0, 14.5 },
    { "Wampler3", NIST_POLY5, 14.5, 13.0 },
    { "Wampler4", NIST_POLY5, 14.5, 13.0 },
    { "Wampler5", NIST_POLY5, 14.5, 13.0 },
};

static double nist_lre(double b, double c)
{
    double d = c == 0 ? fabs(b) : fabs(b - c) / fabs(c);
    if (isnan(d))
        return 0;
    if (d == 0)
        return 15;
    double l = -log10(d);
    return l < 0 ? 0 : l > 15 ? 15 : l;
}
static int nist_read(const char *file, const char *set, double *est, double *se, int max)
{
    FILE *fp = fopen(file, "r");
    char line[512], name[64], index[16], a[64], b[64];
    int k = 0;
    if (fp == NULL)
        return -1;
    while (fgets(line, sizeof line, fp) != NULL)
        if (line[0] != '#' && sscanf(line, "%63s %15s %63s %63s", name, index, a, b) == 4
            && strcasecmp(name, set) == 0 && strcmp(index, "sigma") != 0 && k < max) {
            est[k] = strcmp(a, "NA") == 0 ? NAN : strtod(a, NULL);
            se[k] = strcmp(b, "NA") == 0 ? NAN : strtod(b, NULL);
            k++;
        }
    fclose(fp);
    return k;
}
static int nist_fit(const frm_model *m, int in_place, ols_result **r)
{
    st_error e = { 0 };
    ols_workspace *w = NULL;
    int status = ols_workspace_new(&e, m->n, m->p, in_place ? m->X : NULL, &w);
    if (status == ST_OK)
        status = ols_fit(&e, w, m->X, m->y, m->intercept, 0.95, r);
    ols_workspace_free(w);
    return status;
}

int nist_measure(const nist_set *s, nist_digits *d)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    ols_result *r[2] = { NULL, NULL };
    char path[128], lower[32];
    double cc[16], cs[16], rc[16], rs[16];
    size_t k;
    for (k = 0; s->name[k] && k + 1 < sizeof lower; k++)
        lower[k] = (char)(s->name[k] >= 'A' && s->name[k] <= 'Z' ? s->name[k] + 32 : s->name[k]);
    lower[k] = '\0';
    snprintf(path, sizeof path, "tests/data/nist/%s.csv", lower);
    int status = frm_parse(&e, s->formula, &f);
    if (status == ST_OK) status = df_read(&e, path, &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
    if (status == ST_OK) status = nist_fit(m, 0, &r[1]);
    if (status == ST_OK) status = nist_fit(m, 1, &r[0]);
    int p = status == ST_OK ? m->p : 0;
    if (status == ST_OK && (p > 16
        || nist_read("tests/reference/nist/certified.tsv", lower, cc, cs, 16) != p
        || nist_read("tests/reference/nist/r.tsv", lower, rc, rs, 16) != p))
        status = ST_EINPUT;
    if (status == ST_OK) {
        d->p = p;
        d->aliased = d->r_aliased = -1;
        for (int v = 0; v < 3; v++)
            d->coef[v] = d->se[v] = 15;
        for (int j = 0; j < p; j++) {
            if (r[1]->aliased[j])
                d->aliased = j;
            if (isnan(rc[j]))
                d->r_aliased = j;
            double b[3] = { r[0]->beta[j], r[1]->beta[j], rc[j] };
            double t[3] = { r[0]->se[j], r[1]->se[j], rs[j] };
            for (int v = 0; v < 3; v++) {
                double lb = nist_lre(b[v], cc[j]), ls = nist_lre(t[v], cs[j]);
                d->coef[v] = lb < d->coef[v] ? lb : d->coef[v];
                d->se[v] = ls < d->se[v] ? ls : d->se[v];
            }
        }
    }
    ols_result_free(r[0]);
    ols_result_free(r[1]);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
