#line 2833 "chunks/output.nw"
#ifndef AUGMENT_H
#define AUGMENT_H
#include "data.h"

int aug_write(st_error *e, const char *path, const char *formula, const df_frame *df,
              const int *row, int n, int ncol, const char *const *names,
              const double *cols);
#endif
