#ifndef LMM_H
#define LMM_H
#include <stdio.h>
#include "json.h"
#include "formula.h"
#include "confint.h"
#include "re.h"

typedef struct lmm_options {
    int reml;           /* 1: REML (the default); 0: maximum likelihood */
    double level;       /* confidence level of the Wald intervals, 0.95 */
    int satterthwaite;  /* 1: also Satterthwaite's degrees of freedom and p-values */
    FILE *trace;        /* NULL, or where to write the trace of the criterion as CSV */
} lmm_options;

#include "optim.h"
typedef struct lmm_control {
    opt_control fit;        /* BOBYQA of the fit */
    opt_control refit;      /* BOBYQA of the bootstrap's refits, from theta-hat */
    opt_control profile;    /* BOBYQA of a profile's nuisance parameters */
    double boundary_tol;    /* theta_i this near its bound is tried on it */
    double singular_tol;    /* a diagonal theta_i below this: a singular fit */
    double theta_max;       /* a diagonal theta_i above this: no minimum, not converged */
    double rank_tol;        /* a column of X whose pivoted-QR norm falls below this fraction */
    double zeta_tol;        /* a profile's end: |zeta - target| below this */
    int zeta_maxstep;       /* a profile's end: at most this many steps */
    double sat_d;           /* Satterthwaite, numDeriv's d: trial step relative to the parameter */
    double sat_eps;         /* numDeriv's eps: the trial step of a parameter near zero */
    double sat_delta;       /* second difference of the deviance over the largest step */
    int sat_tries;          /* rescalings of the trial step at most */
    double sat_hmax;        /* largest step relative to max(|parameter|, 1) */
    double sat_eigen_tol;   /* lmerTest: eigenvalues of the Hessian taken as zero */
} lmm_control;
typedef struct lmm_result {
    char *formula;
    int reml, n, n_dropped;
    int p, rank;             /* columns of X; those estimated */
    char **coef_names;       /* p names */
    int *aliased;            /* p flags */
    double *beta, *se, *statistic, *conf_low, *conf_high;   /* p each; NaN if aliased */
    int satterthwaite;       /* df and p_value were computed */
    double *df, *p_value;    /* p each: Satterthwaite's; NaN if not computed */
    double *vcov;            /* rank x rank */
    double level;
    re_terms re;             /* the terms, theta, the modes, the groups (sec:re-module) */
    double criterion;        /* REML criterion or deviance at the optimum */
    double sigma, loglik, aic, bic;
    int npar;                /* p + ntheta + 1 */
    double *resid;           /* y - X beta - Z b */
    const struct nest_test *compare;   /* --compare's test, or NULL (not owned) */
    int converged, singular, nlopt_status;
    int unbounded;           /* the criterion decreases without bound: no optimum */
    long evaluations;        /* of the criterion */
    double seconds;          /* in the optimizer */
    ci_table *confint;       /* --confint's table, attached by the program, or NULL */
    ci_boot *boot;           /* --boot's summary, attached by the program, or NULL */
    double *weights;         /* n prior weights (eq:lmm-weights), or NULL */
    const char *weights_name;   /* their column, for the summary (set by the program) */
    lmm_control control;     /* the tolerances and limits the fit used (lmm_fit_control) */
} lmm_result;
/* Fit the linear mixed model of m by opt into *out (lmm_free); *out NULL on error */
int lmm_fit(st_error *e, const frm_model *m, const lmm_options *opt, lmm_result **out);
/* lmm_fit with the tolerances and limits ctl (copied into (*out)->control) */
int lmm_fit_control(st_error *e, const frm_model *m, const lmm_options *opt,
                    const lmm_control *ctl, lmm_result **out);
/* Free r and all it owns (confint, boot, weights; not compare, weights_name); NULL: no-op */
void lmm_free(lmm_result *r);
/* Print r as lme4's summary with data_name on out: 0, or -1 when out of memory */
int lmm_print(FILE *out, const lmm_result *r, const char *data_name);
/* Print r's REML criterion or ML table (AIC, BIC, logLik, deviance) on out */
void lmm_print_criterion(FILE *out, const lmm_result *r);
/* Print lme4's table of AIC, BIC, logLik, deviance and df.resid on out */
void lmm_print_aictab(FILE *out, double aic, double bic, double loglik, double deviance,
                      int df_resid);
/* Print the quartiles of r's scaled residuals on out: 0, or -1 when out of memory */
int lmm_print_scaled_residuals(FILE *out, const lmm_result *r);
/* Print the quartiles of the n residuals divided by sigma (lme4's "Scaled residuals"):
   0, or -1 when out of memory */
int lmm_print_residual_quartiles(FILE *out, const double *resid, int n, double sigma);
/* Print the correlations of the fixed effects of vcov (rank x rank) with their names:
   0, or -1 when out of memory */
int lmm_print_fixef_correlation(FILE *out, const double *vcov, int rank,
                                const char **names);
/* Write r's JSON object on out */
void lmm_write_json(FILE *out, const lmm_result *r);
/* The defaults of every tolerance and limit (a pointer to a constant). */
const lmm_control *lmm_default_control(void);
/* Write --trace's CSV header for ntheta and nbeta parameters on f */
void lmm_trace_header(FILE *f, int ntheta, int nbeta);
/* Write one --trace row: evaluation, x[0..nx), nempty empty cells, criterion on f */
void lmm_trace_row(FILE *f, long evaluation, const double *x, int nx, int nempty,
                   double criterion);
typedef struct lmm_boot_spec {
    long long replicates;
    unsigned long long seed;
    int threads;
    double level;
    const char *progress;    /* NULL, or the program's name for progress lines */
} lmm_boot_spec;

/* Parametric bootstrap of the fit r of m by spec into *out (ci_boot_free) */
int lmm_bootstrap(st_error *e, const frm_model *m, const lmm_result *r,
                  const lmm_boot_spec *spec, ci_boot **out);
/* Summary of B x np bootstrap values t with state per replicate into *out (ci_boot_free) */
int lmm_boot_summary(st_error *e, const double *t, const signed char *state, long long B,
                     int np, const double *est, ci_table *names, const lmm_boot_spec *spec,
                     ci_boot **out);
typedef struct lmm_profile lmm_profile;
/* Set up the profile of the fit r of m into *out (lmm_profile_free); r, m must outlive it */
int lmm_profile_new(st_error *e, const frm_model *m, const lmm_result *r,
                    lmm_profile **out);
/* Free pr; NULL is a no-op */
void lmm_profile_free(lmm_profile *pr);
/* The number of profiled parameters of pr */
int lmm_profile_npar(const lmm_profile *pr);
/* The estimate of parameter w (0 <= w < npar) of pr */
double lmm_profile_estimate(const lmm_profile *pr, int w);
/* The signed root deviance zeta of parameter w at x; refits, so pr changes */
double lmm_profile_zeta(lmm_profile *pr, int w, double x);
/* The profile interval of parameter w at level into *low, *high (NaN when none) */
void lmm_profile_interval(lmm_profile *pr, int w, double level, double *low, double *high);
/* The criterion evaluations pr has made so far */
long lmm_profile_evaluations(const lmm_profile *pr);
/* Profile intervals of r at level into *out (ci_table_free); progress NULL or a name */
int lmm_confint_profile(st_error *e, const frm_model *m, const lmm_result *r, double level,
                        const char *progress, ci_table **out);
typedef double (*lmm_zeta_fn)(void *ctx, int w, double x);
/* Where zeta(ctx, w, .) reaches t, searched from est toward bound with a first step */
double lmm_zeta_end(lmm_zeta_fn zeta, void *ctx, int w, double est, double bound,
                    double t, double first, double scale);
typedef struct lmm_lrt_boot {
    long long replicates, failed, exceed;   /* exceed: replicates with statistic >= observed */
    unsigned long long seed;
    double observed, p_value;               /* (exceed + 1) / (replicates - failed + 1) */
    double *lrt;             /* replicates: each statistic, NaN where a fit failed */
} lmm_lrt_boot;

/* Bootstrap LRT of the fit r0 of m0 within m1 into out (lmm_lrt_boot_free) */
int lmm_boot_lrt(st_error *e, const frm_model *m0, const lmm_result *r0,
                 const frm_model *m1, double observed, const lmm_boot_spec *spec,
                 lmm_lrt_boot *out);
/* Free b's statistics (not b itself); b non-NULL */
void lmm_lrt_boot_free(lmm_lrt_boot *b);
/* Count b's failed and exceeding replicates and set its p-value; b's lrt filled */
void lmm_lrt_boot_tally(lmm_lrt_boot *b);
#include "coeftab.h"
ct_table lmm_coeftab(const lmm_result *r);
/* Print the fixed-effects table coefs, then (2 to 12 estimated) their correlations from vcov
   (rank x rank), then the note on dropped columns: 0, or -1 when out of memory */
int lmm_print_fixef_table(FILE *out, const ct_table *coefs, const double *vcov, int rank);
/* The Wald table of r (NA for variance parameters) into *out (ci_table_free) */
int lmm_confint_wald(st_error *e, const lmm_result *r, ci_table **out);
/* ST_EINPUT naming df's line when a response or model value of m is not finite */
int lmm_check_finite(st_error *e, const frm_model *m, const df_frame *df);
#endif
