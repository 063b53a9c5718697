#ifndef BOOKFIT_H
#define BOOKFIT_H
#include "data.h"
#include "formula.h"
#include "ols.h"

typedef struct book_fit {
    df_frame *df;
    frm_model *m;
    ols_result *r;
} book_fit;

/* Read data, fit formula by ols into b (book_fit_free it); ST_OK, or a status after a message */
int book_ols_fit(const char *prog, const char *formula, const char *data, book_fit *b);
/* Free what b holds (not b itself); b non-NULL */
void book_fit_free(book_fit *b);
#endif
