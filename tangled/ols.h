#ifndef OLS_H
#define OLS_H
#include <stdio.h>
#include "json.h"
#include "util.h"

#define OLS_TOL 1e-7    /* R's lm(): tol of the rank decision (eq:rank-test) */

typedef struct ols_workspace {
    int n, p;           /* the dimensions it was made for */
    double *qr;         /* n x p: R on and above the diagonal, reflections below */
    int own_qr;         /* qr was allocated here (not lent by the caller) */
    double *tau;        /* p: the scalars tau_j of the reflections */
    int *pivot;         /* p: pivot[j] is the column of X at position j */
    double *norm;       /* p: ||x_j|| for column j of X (1 for a zero column) */
    int rank;           /* columns kept */
    double tol;         /* OLS_TOL */
    double *qty;        /* n: Q'y, then scratch */
    double *beta;       /* p: scratch for the coefficients in pivoted order */
    double *work;       /* LAPACK's workspace, lwork doubles */
    int lwork;
} ols_workspace;

/* Workspace for n x p (n, p >= 0) into *out (ols_workspace_free); storage: n x p lent, or NULL */
int ols_workspace_new(st_error *e, int n, int p, double *storage, ols_workspace **out);
/* A copy of src (its own storage) into *out (ols_workspace_free) */
int ols_workspace_copy(st_error *e, const ols_workspace *src, ols_workspace **out);
/* Free w (not lent storage); NULL is a no-op */
void ols_workspace_free(ols_workspace *w);
/* Pivoted QR of X (n x p, leading dimension ldx >= n) into w; X may be w's lent storage */
int ols_decompose(st_error *e, ols_workspace *w, const double *X, int ldx);
/* Coefficients (p, NaN aliased) and residuals (n, or NULL: none) of y after ols_decompose */
int ols_solve(st_error *e, ols_workspace *w, const double *y, double *coef, double *resid);
/* The Euclidean norm of a[0..m) without overflow or underflow */
double ols_norm(const double *a, int m);
typedef struct ols_control {
    double tol;         /* of the rank decision (eq:rank-test): R's lm.fit tol = 1e-07 */
} ols_control;

ols_control ols_control_default(void);
void ols_workspace_control(ols_workspace *w, const ols_control *c);
typedef struct ols_result {
    int n, p, rank, df_residual;
    int intercept;               /* 1 when the model has an intercept (d in the text) */
    double level;                /* of the confidence intervals */
    int *aliased;                /* p: 1 for a coefficient dropped for rank deficiency */
    double *beta, *se, *statistic, *p_value, *conf_low, *conf_high;   /* p each; NaN if aliased */
    double *vcov;                /* p x p: sigma^2 (R'R)^{-1}, NaN in aliased rows, columns */
    double *resid, *fitted;      /* n each */
    double rss, sigma, r_squared, adj_r_squared;
    int has_f;                   /* there is an overall F test */
    double f_statistic, f_df_num, f_df_den, f_p_value;   /* NaN unless has_f */
    double log_lik, aic, bic;
    int perfect_fit;             /* summary.lm's "essentially perfect fit" (eq:perfect-fit) */
    double *weights;             /* n prior weights of a weighted fit (eq:ols-weights), or NULL */
    int n_zero;                  /* rows of weight 0: out of the fit, in resid and fitted */
} ols_result;

/* Fit y on X (w's n x p, may be w's storage) at level into *out (ols_result_free); uses w */
int ols_fit(st_error *e, ols_workspace *w, const double *X, const double *y, int intercept,
            double level, ols_result **out);
/* Free r and its arrays (weights included); NULL is a no-op */
void ols_result_free(ols_result *r);
/* Weighted fit of y on X (n x p) with wt (n, >= 0) into *out (ols_result_free) */
int ols_fit_weighted(st_error *e, const double *X, const double *y, const double *wt, int n,
                     int p, int intercept, double level, ols_result **out);
typedef struct ols_labels {
    const char *formula;        /* as the user gave it */
    const char *data;           /* how an R user would name the data: "mtcars" */
    const char *const *terms;   /* p coefficient names */
    const int *row;             /* n: the data-frame row of each observation, from 0 */
    int n_dropped;              /* rows dropped for missing values */
} ols_labels;

/* Print r as R's summary(lm) with labels l on out; 0, or -1 when out of memory */
int ols_print_summary(FILE *out, const ols_result *r, const ols_labels *l);
/* Print r's intervals as R's confint(lm) with l's names on out; 0, or -1 */
int ols_print_confint(FILE *out, const ols_result *r, const ols_labels *l);
/* Write r's members of the JSON object with l's names to w */
void ols_json_members(js_writer *w, const ols_result *r, const ols_labels *l);
#include "coeftab.h"
ct_table ols_coeftab(const ols_result *r, const ols_labels *l);
#endif
