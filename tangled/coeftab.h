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

/* The degrees of freedom of row j (0 <= j < t->p): df[j], or df_common; NaN: none */
double ct_df(const ct_table *t, int j);
/* The number of rows that are not aliased */
int ct_estimated(const ct_table *t);
/* The names of the rows not aliased into names (room for t->p, borrowed); their count */
int ct_estimated_names(const ct_table *t, const char **names);
/* Print t as printCoefmat on out, aliased rows as NA if all_rows, else left out; 0 or -1 */
int ct_print(FILE *out, const ct_table *t, int digits, int all_rows);
/* summary.lm's and summary.glm's heading and table on out; 0, or -1 out of memory */
int ct_print_coefficients(FILE *out, const ct_table *t, int digits);
/* lme4's "Fixed effects:" and table (nothing without estimates) on out; 0 or -1 */
int ct_print_fixed_effects(FILE *out, const ct_table *t, int digits);
/* Write t's member "coefficients" to w */
void ct_json(js_writer *w, const ct_table *t);
#endif
