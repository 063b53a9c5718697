#ifndef AUGMENT_H
#define AUGMENT_H
#include "data.h"

int aug_write(st_error *e, const char *path, const char *formula, const df_frame *df,
              const int *row, int n, int ncol, const char *const *names,
              const double *cols);
int aug_write_as(st_error *e, const char *option, const char *path, const char *formula,
                 const df_frame *df, const int *row, int n, int ncol,
                 const char *const *names, const double *cols);
int aug_uses_name(const char *formula, const char *name);
#endif
