#ifndef LMM_H
#define LMM_H
#include <stdio.h>
#include "json.h"
#include "formula.h"
#include "confint.h"

typedef struct lmm_options {
    int reml;           /* 1: REML (the default); 0: maximum likelihood */
    double level;       /* confidence level of the Wald intervals, 0.95 */
    int satterthwaite;  /* 1: also Satterthwaite's degrees of freedom and p-values */
    FILE *trace;        /* NULL, or where to write the trace of the criterion as CSV */
} lmm_options;

typedef struct lmm_term {
    char *group;        /* the grouping factor as written: "Subject", "g1:g2" */
    int q;              /* columns of the term */
    char **names;       /* their names: "(Intercept)", "Days" */
    int nlevels;        /* levels present in the data used */
    char **levels;      /* their labels */
    int *g;             /* g[i]: the level of observation i */
    double *Z;          /* n x q model matrix, column-major */
    int theta0, re0;    /* first parameter in theta, first random effect in b */
} lmm_term;
typedef struct lmm_result {
    char *formula;
    int reml, n, n_dropped;
    int p, rank;             /* columns of X; those estimated */
    char **coef_names;       /* p names */
    int *aliased;            /* p flags */
    double *beta, *se, *tval, *conf_low, *conf_high;   /* p each; NaN if aliased */
    int satterthwaite;       /* df and p_value were computed */
    double *df, *p_value;    /* p each: Satterthwaite's; NaN if not computed */
    double *vcov;            /* rank x rank */
    double level;
    int nterms;
    lmm_term *term;          /* in lme4's order */
    int ntheta;
    double *theta, *lower;
    int nre;
    double *u, *b;           /* spherical and conditional modes */
    double criterion;        /* REML criterion or deviance at the optimum */
    double sigma, loglik, aic, bic;
    int npar;                /* p + ntheta + 1 */
    double *resid;           /* y - X beta - Z b */
    double *condvar;         /* nre: Var(b | y) (eq:lmm-condvar), NULL until lmm_condvar */
    const struct nest_test *compare;   /* --compare's test, or NULL (not owned) */
    int ngroups;             /* distinct grouping factors, lme4's order */
    char **group_names;
    int *group_levels;
    int converged, singular, nlopt_status;
    int unbounded;           /* the criterion decreases without bound: no optimum */
    long evaluations;        /* of the criterion */
    double seconds;          /* in the optimizer */
    int glmer_checks;        /* set by glmm before lmm_make_terms: glmer's checks, not lmer's */
    ci_table *confint;       /* --confint's table, attached by the program, or NULL */
    ci_boot *boot;           /* --boot's summary, attached by the program, or NULL */
    double *weights;         /* n prior weights (eq:lmm-weights), or NULL */
    const char *weights_name;   /* their column, for the summary (set by the program) */
} lmm_result;
int lmm_condvar(st_error *e, lmm_result *r, const double *w);
int lmm_fit(st_error *e, const frm_model *m, const lmm_options *opt, lmm_result **out);
void lmm_free(lmm_result *r);
void lmm_print(FILE *out, const lmm_result *r, const char *data_name);
void lmm_print_ranef(FILE *out, const lmm_result *r);
int lmm_make_terms(st_error *e, const frm_model *m, lmm_result *r);
void lmm_print_criterion(FILE *out, const lmm_result *r);
void lmm_print_scaled_residuals(FILE *out, const lmm_result *r);
void lmm_print_varcorr(FILE *out, const lmm_result *r, int residual);
void lmm_print_groups(FILE *out, const lmm_result *r);
void lmm_print_fixef_correlation(FILE *out, const lmm_result *r, const char **names);
void lmm_write_json(FILE *out, const lmm_result *r);
void lmm_json_varcorr(js_writer *w, const lmm_result *r);
double lmm_covariance(const lmm_result *r, int k, int i, int j);
double lmm_correlation(const lmm_result *r, int k, int i, int j);
void lmm_trace_header(FILE *f, int ntheta, int nbeta);
void lmm_trace_row(FILE *f, long evaluation, const double *x, int nx, int nempty,
                   double criterion);
typedef struct lmm_boot_spec {
    long long replicates;
    unsigned long long seed;
    int threads;
    double level;
    const char *progress;    /* NULL, or the program's name for progress lines */
} lmm_boot_spec;

int lmm_bootstrap(st_error *e, const frm_model *m, const lmm_result *r,
                  const lmm_boot_spec *spec, ci_boot **out);
int lmm_boot_summary(st_error *e, const double *t, const signed char *state, long long B,
                     int np, const double *est, ci_table *names, const lmm_boot_spec *spec,
                     ci_boot **out);
typedef struct lmm_profile lmm_profile;
int lmm_profile_new(st_error *e, const frm_model *m, const lmm_result *r,
                    lmm_profile **out);
void lmm_profile_free(lmm_profile *pr);
int lmm_profile_npar(const lmm_profile *pr);
double lmm_profile_estimate(const lmm_profile *pr, int w);
double lmm_profile_zeta(lmm_profile *pr, int w, double x);
void lmm_profile_interval(lmm_profile *pr, int w, double level, double *low, double *high);
long lmm_profile_evaluations(const lmm_profile *pr);
int lmm_confint_profile(st_error *e, const frm_model *m, const lmm_result *r, double level,
                        const char *progress, ci_table **out);
int lmm_sdcor_theta(const lmm_result *r, const double *s, double sigma, double *theta);
typedef double (*lmm_zeta_fn)(void *ctx, int w, double x);
double lmm_zeta_end(lmm_zeta_fn zeta, void *ctx, int w, double est, double bound,
                    double t, double first, double scale);
typedef struct lmm_lrt_boot {
    long long replicates, failed, exceed;   /* exceed: replicates with statistic >= observed */
    unsigned long long seed;
    double observed, p_value;               /* (exceed + 1) / (replicates - failed + 1) */
    double *lrt;             /* replicates: each statistic, NaN where a fit failed */
} lmm_lrt_boot;

int lmm_boot_lrt(st_error *e, const frm_model *m0, const lmm_result *r0,
                 const frm_model *m1, double observed, const lmm_boot_spec *spec,
                 lmm_lrt_boot *out);
void lmm_lrt_boot_free(lmm_lrt_boot *b);
void lmm_json_ranef(js_writer *w, const lmm_result *r);
int lmm_varpar_count(const lmm_result *r, int with_sigma);
void lmm_varpar_values(const lmm_result *r, int with_sigma, double *v);
int lmm_confint_table(st_error *e, const lmm_result *r, int with_sigma, int p,
                      char *const *coef_names, const int *aliased, const char *method,
                      double level, ci_table **out);
int lmm_confint_wald(st_error *e, const lmm_result *r, ci_table **out);
int lmm_check_finite(st_error *e, const frm_model *m, const df_frame *df);
double lmm_predict_random(const lmm_result *r, const frm_model *mn, int i);
#endif
