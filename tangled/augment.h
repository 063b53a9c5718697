#ifndef AUGMENT_H
#define AUGMENT_H
#include "data.h"

/* Write --augment's CSV to path: df's used columns at row[0..n), then the n x ncol cols */
int aug_write(st_error *e, const char *path, const char *formula, const df_frame *df,
              const int *row, int n, int ncol, const char *const *names,
              const double *cols);
/* As aug_write, with option (e.g. "augment") naming the file in messages */
int aug_write_as(st_error *e, const char *option, const char *path, const char *formula,
                 const df_frame *df, const int *row, int n, int ncol,
                 const char *const *names, const double *cols);
/* 1 if the name occurs as a whole name in formula, else 0; both non-NULL */
int aug_uses_name(const char *formula, const char *name);
#endif
