#ifndef NESTED_H
#define NESTED_H
#include <stdio.h>
#include "formula.h"
#include "json.h"

typedef struct nest_test {
    const char *formula0;    /* the smaller model's formula, as given */
    const char *test;        /* "F" or "Chisq" */
    double df0, df1;         /* residual df (F) or numbers of parameters (Chisq) */
    double statistic, df, p_value;
    long long boot_replicates;   /* 0: no bootstrap; else the test's parametric bootstrap */
    unsigned long long boot_seed;
    long long boot_failed, boot_exceed;
    double boot_p_value;
} nest_test;

/* Model frame of formula0 on df, checked nested in m1, into *out (frm_model_free) */
int nest_model_frame(st_error *e, const char *formula0, const frm_model *m1,
                     const df_frame *df, int flags, frm_model **out);
/* Write t's "compare" member to w */
void nest_json(js_writer *w, const nest_test *t);
/* Print R's anova table x (nrow x ncol, column-major) with the names on out; 0 or -1 */
int nest_print_anova(FILE *out, const double *x, int nrow, int ncol,
                     const char *const *rownames, const char *const *colnames);
/* Print the lme4 anova table tab (2 x 8) of formula0 against formula on out; 0, or -1 when
   out of memory */
int nest_print_lrt(FILE *out, const double *tab, const char *formula0,
                   const char *formula, const char *data, int refitted);
/* Record a bootstrap of the test in t */
void nest_set_boot(nest_test *t, long long replicates, unsigned long long seed,
                   long long failed, long long exceed, double p_value);
/* Print t's bootstrap p-value line on out, with rerun (the options that repeat it, or NULL) */
void nest_print_boot(FILE *out, const nest_test *t, const char *rerun);
#endif
