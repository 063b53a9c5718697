#ifndef RFORMAT_H
#define RFORMAT_H
#include <stdio.h>

double rf_na(void);
int rf_is_na(double x);

typedef struct rf_text { char s[64]; } rf_text;
typedef struct rf_spec { int w, d, e; } rf_spec;

rf_spec rf_format_info(const double *x, int n, int digits, int scipen);
void rf_encode(rf_text *out, double x, rf_spec s);
void rf_format(rf_text *out, const double *x, int n, int digits);
void rf_format_ext(rf_text *out, const double *x, int n, int digits, int scipen, int trim);
void rf_formatC(rf_text *out, double x, int digits);
void rf_format_pval(rf_text *out, const double *pv, int n, int digits, double eps);
void rf_zapsmall(double *x, int n, int digits);
int rf_width(const char *s);
void rf_print_named(FILE *out, const double *x, const char *const *names, int n, int digits);
int rf_print_matrix(FILE *out, const double *x, int nrow, int ncol,
                    const char *const *rownames, const char *const *colnames, int digits);
int rf_print_text_matrix(FILE *out, const rf_text *cell, int nrow, int ncol,
                         const char *const *rownames, const char *const *colnames, int right);
int rf_print_coefmat(FILE *out, const double *x, int nrow, int ncol,
                     const char *const *rownames, const char *const *colnames,
                     int digits, int has_p, int stars);
const char *rf_stars(double p);
extern const char rf_signif_legend[];
char *rf_deparse_call(const char *fun, const char *formula, const char *data);
char *rf_deparse_formula(const char *formula);
#endif
