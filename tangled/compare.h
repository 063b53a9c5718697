#ifndef COMPARE_H
#define COMPARE_H
#include <stdio.h>
#include "jsonr.h"

typedef enum { CMP_OLS, CMP_LMM, CMP_GLMM, CMP_GLM, CMP_NMODELS } cmp_model;
extern const char *const cmp_model_names[CMP_NMODELS];

typedef enum {
    CMP_NONE,           /* not part of this model's output */
    CMP_SKIP,           /* not compared */
    CMP_EQUAL,          /* strings, flags and counts: equal */
    CMP_NUMBER,         /* d <= tol */
    CMP_LOWER_OK,       /* (o - r) / denominator <= tol: lower is better */
    CMP_HIGHER_OK,      /* (r - o) / denominator <= tol: higher is better */
    CMP_PVALUE,         /* d <= tol when r >= 1e-300; below that, both below */
    CMP_PVALUE_Z,       /* the same, but on the |z| scale */
    CMP_CONVERGED,      /* R's true must be true in ours */
    CMP_RECORDS         /* an array of records matched by name */
} cmp_kind;

typedef enum {
    CMP_REL,            /* |r| */
    CMP_ABS,            /* 1 */
    CMP_UNIT,           /* max(|r|, 1) */
    CMP_SE,             /* max(|r|, s), s = R's standard error of the coefficient */
    CMP_THETA,          /* max(|r|, 0.1); both below 1e-4 pass */
    CMP_SD,             /* max(|r|, 0.1 sigma); both below 1e-4 sigma pass */
    CMP_VAR             /* max(|r|, 0.01 sigma^2); both below 1e-8 sigma^2 pass */
} cmp_scale;

typedef struct cmp_spec {
    cmp_kind kind;
    double tol;
    int absolute;       /* the denominator is 1, whatever the scale */
} cmp_spec;

typedef struct cmp_rule {
    const char *field;
    cmp_scale scale;
    cmp_spec spec[CMP_NMODELS];
    const struct cmp_rule *fields;  /* CMP_RECORDS: rules for the fields of a record */
    const char *key[3];             /* CMP_RECORDS: the fields that name a record */
    int ordered;                    /* CMP_RECORDS: records must be in R's order */
    int symmetric;                  /* CMP_RECORDS: key[1] and key[2] may be swapped */
} cmp_rule;

extern const cmp_rule cmp_rules[];  /* ends with a rule whose field is NULL */

typedef struct cmp_report {
    int nok, nfail;
    size_t nline, cap;
    char **line;        /* nline lines, without newlines */
} cmp_report;

/* Free the lines of r (not r itself) and clear it; r non-NULL */
void cmp_report_free(cmp_report *r);
/* Compare ours with R's ref for name's model by cmp_rules, adding lines to r; ST_OK or an error */
int cmp_json(st_error *e, cmp_report *r, const char *name, const jr_value *ours,
             const jr_value *ref);
/* As cmp_json on the JSON files ours_path and ref_path */
int cmp_files(st_error *e, cmp_report *r, const char *name, const char *ours_path,
              const char *ref_path);
/* Write the LaTeX table of ours against ref to out; ST_OK or an error in e */
int cmp_tex(st_error *e, FILE *out, const jr_value *ours, const jr_value *ref);
/* Write x with digits significant digits as LaTeX math ($1.5\times10^{-3}$) to out */
void cmp_tex_number(FILE *out, double x, int digits);
/* Write s (non-NULL) escaped for LaTeX's text mode to out */
void cmp_tex_escape(FILE *out, const char *s);
/* Write the table row "\texttt{name} & x[0] & ... & x[n-1] \\" to out, each by cmp_tex_number */
void cmp_tex_case_row(FILE *out, const char *name, const double *x, int n, int digits);
/* Open dir/prog-what.dat, write header: the stream (caller fcloses), or NULL after a message */
FILE *cmp_open_dat(const char *dir, const char *prog, const char *what, const char *header);
#endif
