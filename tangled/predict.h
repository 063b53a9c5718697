#ifndef PREDICT_H
#define PREDICT_H
#include "formula.h"

/* Frame of train + newdata: *comb (df_free), *mn (frm_model_free); new rows from *offset */
int pred_frame(st_error *e, const char *formula, const df_frame *train, const frm_model *m1,
               const char *newdata, int flags, df_frame **comb, frm_model **mn,
               int *offset, int *nnew);
/* X beta of row i (0 <= i < mn->n) of mn; beta has mn->p entries, NaN (aliased) ones skipped */
double pred_fixed(const frm_model *mn, int i, const double *beta);
/* Write predictions vals (mn->n x ncol) for comb's nnew new rows from offset as CSV to path */
int pred_write(st_error *e, const char *path, const char *formula, const df_frame *comb,
               int offset, int nnew, const frm_model *mn, int ncol,
               const char *const *names, const double *vals);
#endif
