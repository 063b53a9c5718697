#ifndef RE_H
#define RE_H
#include <stdio.h>
#include "blocked.h"
#include "json.h"
#include "formula.h"
#include "confint.h"
#include "retheta.h"

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
typedef struct re_terms {
    int n;                   /* observations */
    int nterms;
    lmm_term *term;          /* in lme4's order */
    int ntheta;              /* sum of the terms' q(q+1)/2 */
    double *theta, *lower;   /* ntheta each */
    int nre;                 /* sum of the terms' q * nlevels */
    double *u, *b;           /* nre each: spherical and conditional modes */
    double *condvar;         /* nre: Var(b | y) (eq:lmm-condvar), NULL until re_condvar */
    int ngroups;             /* distinct grouping factors, lme4's order */
    char **group_names;      /* the terms' group names (not owned) */
    int *group_levels;
} re_terms;

/* Set re->condvar (nre, owned) to Var(b | y) at re->theta and scale sigma; w or NULL */
int re_condvar(st_error *e, re_terms *re, double sigma, const double *w);
/* Set the terms' offsets, ntheta and nre; allocate theta (at lme4's start), lower, u, b */
int re_layout(st_error *e, re_terms *re);
/* Free what re owns (not re itself); a zeroed re is a no-op */
void re_free(re_terms *re);
/* b = scale Lambda_theta u (nre each; theta ntheta) */
void re_lambda_u(const re_terms *re, const double *theta, double scale, const double *u,
                 double *b);
/* eta plus the random part z_i' b of observation i (0 <= i < n) */
double re_add_zb(const re_terms *re, const double *b, int i, double eta);
/* The blocked factor's view of the terms into bt[0..nterms) (pointers into re) */
void re_blk_terms(const re_terms *re, blk_term *bt);
/* Fill re (zeroed) with m's terms in lme4's order, checked as glmer (glmer != 0) or lmer */
int re_make_terms(st_error *e, const frm_model *m, int glmer, re_terms *re);
/* Covariance of columns i, j of term k, sigma^2 (Lambda_k Lambda_k')_ij; 0 <= i, j < q */
double re_covariance(const re_terms *re, double sigma, int k, int i, int j);
/* Correlation of columns i, j of term k (ranges of re_covariance); NaN if a variance is 0 */
double re_correlation(const re_terms *re, double sigma, int k, int i, int j);
/* The variance parameters at theta and sigma (re_varpar_count of them) into v */
void re_varpar_at(const re_terms *re, const double *theta, double sigma, int with_sigma,
                  double *v);
/* theta (ntheta) from sds and correlations s and sigma; 0, or -1 if not pos. definite */
int re_sdcor_theta(const re_terms *re, const double *s, double sigma, double *theta);
/* Print lme4's "Random effects:" table of re at scale sigma (a Residual row if residual);
   0, or -1 when out of memory */
int re_print_varcorr(FILE *out, const re_terms *re, double sigma, int residual);
/* Print re's "Number of obs: ..., groups: ..." line on out */
void re_print_groups(FILE *out, const re_terms *re);
/* Print the conditional modes of re (and their sds when re->condvar is set) as ranef;
   0, or -1 when out of memory */
int re_print_ranef(FILE *out, const re_terms *re);
/* Write re's "theta" member to w */
void re_json_theta(js_writer *w, const re_terms *re);
/* Write re's random_effects (at scale sigma), correlations and n_groups members to w */
void re_json_varcorr(js_writer *w, const re_terms *re, double sigma);
/* Write re's "ranef" member to w; nothing while re->condvar is NULL */
void re_json_ranef(js_writer *w, const re_terms *re);
/* The number of variance parameters of re (and sigma when with_sigma != 0) */
int re_varpar_count(const re_terms *re, int with_sigma);
/* The lme4 standard deviations and correlations at scale sigma (re_varpar_count) into v */
void re_varpar_values(const re_terms *re, double sigma, int with_sigma, double *v);
/* A table of re's variance parameters then p fixed effects into *out (ci_table_free) */
int re_confint_table(st_error *e, const re_terms *re, int with_sigma, int p,
                     char *const *coef_names, const int *aliased, const char *method,
                     double level, ci_table **out);
/* Z b of row i of the new model mn from re's modes (0 for levels the fit lacks) */
double re_predict_random(const re_terms *re, const frm_model *mn, int i);
#endif
