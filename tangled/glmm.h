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
#include "optim.h"

typedef struct glmm_control {
    int pirls_maxit;            /* PIRLS steps before it gives up */
    double pirls_tol;           /* largest change of u (and beta) that ends PIRLS */
    double pirls_tol_scoring;   /* the same for a link that is not canonical */
    double pirls_safe;          /* a step that changes nothing by more is checked */
    int pirls_halvings;         /* halvings of a step that raises the deviance */
    double halving_rel, halving_abs;   /* rise tolerated: pdev * rel + abs */
    opt_control stage1;         /* BOBYQA over theta; maxeval per element */
    double stage1_step, stage1_step_offdiag;   /* its first steps of theta */
    opt_control stage2;         /* BOBYQA over theta and beta, and the profiles */
    double stage2_step_theta;   /* stage 2's first step of each theta */
    double stage2_step_se, stage2_se_max;   /* that of beta_j: step_se * min(se, max) */
    double stage2_step_beta;    /* that of beta_j when R_X is singular */
    double hessian_delta;       /* step of the finite differences */
    double rank_tol;            /* tolerance of the QR decomposition of X */
    double boundary_tol;        /* a theta this near its bound of 0 is tried at 0 */
    double singular_tol;        /* a theta below this with a bound of 0: singular */
    double separation_tol;      /* mu within this of 0 or 1: separated */
    double scale_ratio;         /* columns of X whose sd exceed this, or its ratio */
    double profile_step_rel;    /* first step of a variance parameter, relative */
    double profile_step_range;  /* at most this fraction of a correlation's range */
    double profile_step_se;     /* first step of beta_j in standard errors */
} glmm_control;
typedef struct glmm_result {
    char *formula;
    int n, n_dropped, nagq;
    int p, rank;             /* columns of X; those estimated */
    char **coef_names;       /* p names */
    int *aliased;            /* p flags */
    double *beta, *se, *statistic, *p_value, *conf_low, *conf_high;   /* p each; NaN if aliased */
    double *vcov;            /* rank x rank, in the order of the estimated columns */
    double level;
    re_terms re;             /* the random effects: terms, theta, modes, groups */
    double deviance, loglik, aic, bic;   /* -2 log-likelihood, binomial constants included */
    int npar, df_residual;   /* rank + ntheta; n - npar */
    double *mu, *pearson;    /* n each: fitted probabilities, Pearson residuals */
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
    glmm_control control;    /* the tolerances and limits the fit used */
    ci_table *confint;       /* --confint's table, attached by the program, or NULL */
    ci_boot *boot;           /* --boot's summary, attached by the program, or NULL */
} glmm_result;
/* Fit the glmm of resp (m->n rows) on m by opt into *out (glmm_free); NULL on error */
int glmm_fit(st_error *e, const frm_model *m, const glm_response *resp,
             const glmm_options *opt, glmm_result **out);
/* Free r and all it owns (re, confint and boot too; not compare); NULL: no-op */
void glmm_free(glmm_result *r);
/* Print r as lme4's summary with data_name; 0, or -1 when out of memory */
int glmm_print(FILE *out, const glmm_result *r, const char *data_name);
/* Write r's JSON object on out */
void glmm_write_json(FILE *out, const glmm_result *r);
/* Print glmer's warnings for r on out, prefixed prog; the number of lines printed */
int glmm_warn(FILE *out, const glmm_result *r, const char *prog);
/* k nodes z[k] and weights w[k] of Gauss-Hermite quadrature; ST_EINPUT unless 1 <= k <= 100 */
int glmm_gauss_hermite(st_error *e, int k, double *z, double *w);
/* The deviance at theta (ntheta) and beta (p) of the glmm of resp on m with nagq into *deviance */
int glmm_evaluate(st_error *e, const frm_model *m, const glm_response *resp, int nagq,
                  const double *theta, const double *beta, double *deviance);
glmm_control glmm_control_default(void);
int glmm_fit_control(st_error *e, const frm_model *m, const glm_response *resp,
                     const glmm_options *opt, const glmm_control *ctl, glmm_result **out);
/* Parametric bootstrap of the fit r of m, resp by spec into *out (ci_boot_free) */
int glmm_bootstrap(st_error *e, const frm_model *m, const glm_response *resp,
                   const glmm_result *r, const lmm_boot_spec *spec, ci_boot **out);
/* Profile intervals of r at level into *out (ci_table_free); progress NULL or a name */
int glmm_confint_profile(st_error *e, const frm_model *m, const glm_response *resp,
                         const glmm_result *r, double level, const char *progress,
                         ci_table **out);
/* Bootstrap LRT of m0 (fit r0, or g0 without random effects) within m1 into out */
int glmm_boot_lrt(st_error *e, const frm_model *m0, const glmm_result *r0,
                  const glm_result *g0, const frm_model *m1, const glm_response *resp,
                  int nagq, double observed, const lmm_boot_spec *spec, lmm_lrt_boot *out);
#include "coeftab.h"
ct_table glmm_coeftab(const glmm_result *r);
#endif
