#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include "coeftab.h"
#include "rformat.h"

static int coef_columns(const ct_table *t, int j, double *x, int i, int nrow,
                        const char **heads)
{
    int z = t->dist == CT_Z, c = 0;
    double v[5];
    heads[c] = "Estimate";                    v[c++] = t->estimate[j];
    heads[c] = "Std. Error";                  v[c++] = t->std_error[j];
    if (t->df != NULL) {
        heads[c] = "df";                      v[c++] = t->df[j];
    }
    heads[c] = z ? "z value" : "t value";     v[c++] = t->statistic[j];
    if (t->p_value != NULL) {
        heads[c] = z ? "Pr(>|z|)" : "Pr(>|t|)";   v[c++] = t->p_value[j];
    }
    for (int k = 0; k < c; k++)
        x[i + (size_t)k * nrow] = t->aliased[j] ? rf_na() : v[k];
    return c;
}
double ct_df(const ct_table *t, int j)
{
    assert(t != NULL && j >= 0 && j < t->p);
    return t->df != NULL ? t->df[j] : t->df_common;
}

int ct_estimated(const ct_table *t)
{
    assert(t != NULL);
    int k = 0;
    for (int j = 0; j < t->p; j++)
        k += !t->aliased[j];
    return k;
}

int ct_estimated_names(const ct_table *t, const char **names)
{
    assert(t != NULL && names != NULL);
    int k = 0;
    for (int j = 0; j < t->p; j++)
        if (!t->aliased[j])
            names[k++] = t->names[j];
    return k;
}
int ct_print(FILE *out, const ct_table *t, int digits, int all_rows)
{
    assert(out != NULL && t != NULL);
    int nrow = all_rows ? t->p : ct_estimated(t), ncol = 0;
    double *x = malloc(((size_t)nrow * 5 + 1) * sizeof *x);
    const char **rows = malloc(((size_t)nrow + 1) * sizeof *rows);
    const char *heads[5];
    int status = -1;
    if (x != NULL && rows != NULL) {
        for (int j = 0, i = 0; j < t->p; j++)
            if (all_rows || !t->aliased[j]) {
                rows[i] = t->names[j];
                ncol = coef_columns(t, j, x, i++, nrow, heads);
            }
        status = rf_print_coefmat(out, x, nrow, ncol, rows, heads, digits,
                                  t->p_value != NULL, 1);
    }
    free(x); free(rows);
    return status;
}
int ct_print_coefficients(FILE *out, const ct_table *t, int digits)
{
    int nsing = t->p - ct_estimated(t);
    if (t->p == 0) {
        fprintf(out, "\nNo Coefficients\n");
        return 0;
    }
    if (nsing > 0)
        fprintf(out, "\nCoefficients: (%d not defined because of singularities)\n", nsing);
    else
        fprintf(out, "\nCoefficients:\n");
    return ct_print(out, t, digits, 1);
}

int ct_print_fixed_effects(FILE *out, const ct_table *t, int digits)
{
    if (ct_estimated(t) == 0)
        return 0;
    fprintf(out, "\nFixed effects:\n");
    return ct_print(out, t, digits, 0);
}
void ct_json(js_writer *w, const ct_table *t)
{
    assert(w != NULL && t != NULL);
    js_key(w, "coefficients");
    js_array_begin(w, 0);
    for (int j = 0; j < t->p; j++) {
        js_object_begin(w, 1);
        js_key_string(w, "term", t->names[j]);
        js_key_number(w, "estimate", t->estimate[j]);
        js_key_number(w, "std_error", t->std_error[j]);
        js_key_number(w, "statistic", t->statistic[j]);
        js_key_number(w, "p_value", t->p_value != NULL ? t->p_value[j] : NAN);
        if (t->df != NULL)
            js_key_number(w, "df", t->df[j]);
        js_key_number(w, "conf_low", t->conf_low != NULL ? t->conf_low[j] : NAN);
        js_key_number(w, "conf_high", t->conf_high != NULL ? t->conf_high[j] : NAN);
        js_key_bool(w, "aliased", t->aliased[j]);
        js_object_end(w);
    }
    js_array_end(w);
}
