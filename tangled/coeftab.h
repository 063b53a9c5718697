#ifndef COEFTAB_H
#define COEFTAB_H
#include <stdio.h>
#include "json.h"

typedef enum ct_dist { CT_T, CT_Z } ct_dist;   /* the statistic's law under beta = 0 */

typedef struct ct_table {
    int p;                          /* rows: the coefficients, in R's order */
    const char *const *names;       /* p names, as R prints them */
    const int *aliased;             /* p flags: 1 for a coefficient dropped for rank */
    const double *estimate, *std_error, *statistic;   /* p each; NaN where aliased */
    ct_dist dist;                   /* CT_T: t value; CT_Z: z value */
    const double *df;               /* p: each row's df (Satterthwaite), printed; or NULL */
    double df_common;               /* every row's df when df is NULL (n - r); NaN: none */
    const double *p_value;          /* p two-sided p-values, or NULL where none is given */
    const double *conf_low, *conf_high;   /* p each, or NULL */
    double level;                   /* of the intervals */
    const char *interval;           /* "t" (confint.lm) or "wald" (normal quantile) */
} ct_table;

double ct_df(const ct_table *t, int j);
int ct_estimated(const ct_table *t);
int ct_estimated_names(const ct_table *t, const char **names);
int ct_print(FILE *out, const ct_table *t, int digits, int all_rows);
int ct_print_coefficients(FILE *out, const ct_table *t, int digits);
int ct_print_fixed_effects(FILE *out, const ct_table *t, int digits);
void ct_json(js_writer *w, const ct_table *t);
#endif
