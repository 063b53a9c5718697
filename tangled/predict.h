#ifndef PREDICT_H
#define PREDICT_H
#include "formula.h"

int pred_frame(st_error *e, const char *formula, const df_frame *train, const frm_model *m1,
               const char *newdata, int flags, df_frame **comb, frm_model **mn,
               int *offset, int *nnew);
double pred_fixed(const frm_model *mn, int i, const double *beta);
int pred_write(st_error *e, const char *path, const char *formula, const df_frame *comb,
               int offset, int nnew, const frm_model *mn, int ncol,
               const char *const *names, const double *vals);
#endif
