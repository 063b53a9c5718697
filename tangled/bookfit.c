#include <stdio.h>
#include <string.h>
#include "bookfit.h"

int book_ols_fit(const char *prog, const char *formula, const char *data, book_fit *b)
{
    assert(prog != NULL);
    assert(formula != NULL);
    assert(data != NULL);
    assert(b != NULL);
    st_error e = { 0 };
    frm_formula *f = NULL;
    ols_workspace *w = NULL;
    memset(b, 0, sizeof *b);
    int status = frm_parse(&e, formula, &f);
    if (status == ST_OK) status = df_read(&e, data, &b->df);
    if (status == ST_OK) status = frm_model_frame(&e, f, b->df, FRM_FIXED_ONLY, &b->m);
    if (status == ST_OK) status = ols_workspace_new(&e, b->m->n, b->m->p, NULL, &w);
    if (status == ST_OK)
        status = ols_fit(&e, w, b->m->X, b->m->y, b->m->intercept, 0.95, &b->r);
    ols_workspace_free(w);
    frm_free(f);
    if (status != ST_OK)
        fprintf(stderr, "%s: %s %s: %s\n", prog, formula, data, e.msg);
    return status;
}

void book_fit_free(book_fit *b)
{
    ols_result_free(b->r);
    frm_model_free(b->m);
    df_free(b->df);
}
