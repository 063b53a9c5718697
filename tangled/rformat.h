#ifndef RFORMAT_H
#define RFORMAT_H
#include <stdio.h>

/* R's NA_real_, a NaN with payload 1954 */
double rf_na(void);
/* 1 when x is R's NA (not any NaN), else 0 */
int rf_is_na(double x);

typedef struct rf_text { char s[64]; } rf_text;
typedef struct rf_spec { int w, d, e; } rf_spec;

/* R's formatReal: width, digits, exponent for the n values x at digits, scipen */
rf_spec rf_format_info(const double *x, int n, int digits, int scipen);
/* x in the format s (as encodeReal) into out, at most 63 characters */
void rf_encode(rf_text *out, double x, rf_spec s);
/* The n values x formatted with a common format at digits (as format) into out[n] */
void rf_format(rf_text *out, const double *x, int n, int digits);
/* As rf_format with scipen; trim: no common width */
void rf_format_ext(rf_text *out, const double *x, int n, int digits, int scipen, int trim);
/* x as formatC(x, digits, format = "g") into out */
void rf_formatC(rf_text *out, double x, int digits);
/* The n p-values pv as format.pval with digits and eps into out[n]; 0, or -1 when out of
   memory (never when n <= RF_PVAL_STACK) */
int rf_format_pval(rf_text *out, const double *pv, int n, int digits, double eps);
#define RF_PVAL_STACK 8
/* Round the n values x in place as zapsmall(x, digits) */
void rf_zapsmall(double *x, int n, int digits);
/* Display width of the UTF-8 string s (non-NULL): its code points */
int rf_width(const char *s);
/* Print the n values x with their names as R prints a named vector on out */
void rf_print_named(FILE *out, const double *x, const char *const *names, int n, int digits);
/* Print x (nrow x ncol, column-major) with the names (NULL: none) as R does; 0 or -1 */
int rf_print_matrix(FILE *out, const double *x, int nrow, int ncol,
                    const char *const *rownames, const char *const *colnames, int digits);
/* Print the formatted cells (nrow x ncol) with the names, right-aligned if right; 0 or -1 */
int rf_print_text_matrix(FILE *out, const rf_text *cell, int nrow, int ncol,
                         const char *const *rownames, const char *const *colnames, int right);
/* Print x (nrow x ncol) as printCoefmat (has_p, stars) on out; 0, or -1 out of memory */
int rf_print_coefmat(FILE *out, const double *x, int nrow, int ncol,
                     const char *const *rownames, const char *const *colnames,
                     int digits, int has_p, int stars);
/* The significance stars of p ("***" ... "" for NaN): a static string */
const char *rf_stars(double p);
/* The stars of the n p-values pv into out[n], left-justified to the widest */
void rf_star_column(rf_text *out, const double *pv, int n);
extern const char rf_signif_legend[];   /* the line "0 '***' 0.001 ... 1" under the table */
/* R's deparse of fun(formula = ..., data = data), lines broken: caller frees; NULL if OOM */
char *rf_deparse_call(const char *fun, const char *formula, const char *data);
/* R's deparse of formula: a string the caller frees; NULL when out of memory */
char *rf_deparse_formula(const char *formula);
#endif
