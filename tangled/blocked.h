#ifndef BLOCKED_H
#define BLOCKED_H
#include "util.h"

typedef struct blk_term {
    int nlevels;        /* levels of the grouping factor, each present in the data */
    int q;              /* columns of the term's model matrix */
    const int *g;       /* g[i] in 0..nlevels-1: the level of observation i */
    const double *Z;    /* n x q, column-major, leading dimension n */
} blk_term;

typedef struct blk_system blk_system;

/* Analyse the nterms >= 1 terms (copied; each term's g and Z kept by pointer: they must
   outlive *out) into *out (blk_free) */
int blk_create(st_error *e, int n, int nterms, const blk_term *terms, int p,
               blk_system **out);
/* Free s (not the terms it points to); NULL is a no-op */
void blk_free(blk_system *s);
/* Form the weighted cross-products of [Z X y]: X n x p, y n, w n or NULL (ones); kept by copy */
int blk_crossprod(st_error *e, blk_system *s, const double *X, const double *y,
                  const double *w);
/* Scale by Lambda(theta) (blk_ntheta values) and factor: 0, or 1 + the block not pos. definite */
int blk_factor(blk_system *s, const double *theta);
/* The number of covariance parameters theta of s */
int blk_ntheta(const blk_system *s);
/* The number of random effects q of s */
int blk_nre(const blk_system *s);
/* log |L_Z|^2 after a successful blk_factor */
double blk_logdet(const blk_system *s);
/* log |R_X|^2 after a successful blk_factor */
double blk_logdet_x(const blk_system *s);
/* log |W| of the weights given to blk_crossprod */
double blk_logdet_w(const blk_system *s);
/* r^2_theta from the factor (short way) after a successful blk_factor */
double blk_pwrss(const blk_system *s);
/* beta-hat (p values) after a successful blk_factor into beta */
void blk_beta(const blk_system *s, double *beta);
/* Spherical modes u and conditional b (blk_nre each) given beta (p); outputs do not alias beta */
void blk_modes(const blk_system *s, const double *beta, double *u, double *b);
/* beta (p), u, b (blk_nre) and returns r^2_theta the long way; after a successful blk_factor */
double blk_solve(const blk_system *s, double *beta, double *u, double *b);
/* R_X' (p x p lower triangle, column-major, zeros above) into rxt; after blk_factor */
void blk_rx(const blk_system *s, double *rxt);
/* Conditional variances of b into v (blk_nre values), after blk_factor */
int blk_condvar(st_error *e, const blk_system *s, double *v);
#endif
