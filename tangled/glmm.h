#ifndef GLMM_H
#define GLMM_H
#include <stdio.h>
#include "formula.h"
#include "glm.h"
#include "lmm.h"

#define GLMM_MAX_NAGQ 100

typedef struct glmm_options {
    int nagq;           /* 1: Laplace (the default); > 1: adaptive Gauss-Hermite nodes */
    double level;       /* confidence level of the Wald intervals, 0.95 */
    FILE *trace;        /* NULL, or where to write the trace of the deviance as CSV */
} glmm_options;
typedef struct glmm_result {
    char *formula;
    int n, n_dropped, nagq;
    int p, rank;             /* columns of X; those estimated */
    char **coef_names;       /* p names */
    int *aliased;            /* p flags */
    double *beta, *se, *zval, *pval, *conf_low, *conf_high;   /* p each; NaN if aliased */
    double *vcov;            /* rank x rank, in the order of the estimated columns (re's) */
    double level;
    lmm_result *re;          /* the random effects: terms, theta, modes, groups */
    double deviance, loglik, aic, bic;   /* -2 log-likelihood, binomial constants included */
    int npar, df_residual;   /* rank + ntheta; n - npar */
    double *mu, *pearson;    /* n each: fitted probabilities, Pearson residuals (re's) */
    int converged, singular, separated, vcov_from_hessian;
    int pirls_failures;      /* evaluations where PIRLS did not converge */
    int nlopt_status[2];     /* of the two stages */
    long evaluations[3];     /* of the deviance in stage 1, stage 2, the Hessian */
    int bad_scale;           /* columns of X on very different scales */
    double scale_min, scale_max;   /* the smallest and largest standard deviations */
    int nwarn_levels;        /* grouping-factor levels whose responses are all 0 or all 1 */
    char warn_levels[512];   /* a description of them */
    glm_family fam;          /* the family and link of the response */
    double *eta, *weights;   /* n each: linear predictor and PIRLS weights at the optimum */
    const struct nest_test *compare;   /* --compare's test, or NULL (not owned) */
} glmm_result;
int glmm_fit(st_error *e, const frm_model *m, const glm_response *resp,
             const glmm_options *opt, glmm_result **out);
void glmm_free(glmm_result *r);
int glmm_print(FILE *out, const glmm_result *r, const char *data_name);
void glmm_write_json(FILE *out, const glmm_result *r);
int glmm_warn(FILE *out, const glmm_result *r, const char *prog);
int glmm_gauss_hermite(st_error *e, int k, double *z, double *w);
int glmm_evaluate(st_error *e, const frm_model *m, const glm_response *resp, int nagq,
                  const double *theta, const double *beta, double *deviance);
int glmm_bootstrap(st_error *e, const frm_model *m, const glm_response *resp,
                   const glmm_result *r, const lmm_boot_spec *spec, ci_boot **out);
int glmm_confint_profile(st_error *e, const frm_model *m, const glm_response *resp,
                         const glmm_result *r, double level, const char *progress,
                         ci_table **out);
int glmm_boot_lrt(st_error *e, const frm_model *m0, const glmm_result *r0,
                  const glm_result *g0, const frm_model *m1, const glm_response *resp,
                  int nagq, double observed, const lmm_boot_spec *spec, lmm_lrt_boot *out);
#endif
