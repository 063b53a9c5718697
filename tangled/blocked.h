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

int blk_create(st_error *e, int n, int nterms, const blk_term *terms, int p,
               blk_system **out);
void blk_free(blk_system *s);
int blk_crossprod(st_error *e, blk_system *s, const double *X, const double *y,
                  const double *w);
int blk_factor(blk_system *s, const double *theta);
int blk_ntheta(const blk_system *s);
int blk_nre(const blk_system *s);
void blk_bounds(const blk_system *s, double *lower, double *start);
double blk_logdet(const blk_system *s);
double blk_logdet_x(const blk_system *s);
double blk_logdet_w(const blk_system *s);
double blk_pwrss(const blk_system *s);
void blk_beta(const blk_system *s, double *beta);
void blk_modes(const blk_system *s, const double *beta, double *u, double *b);
double blk_solve(const blk_system *s, double *beta, double *u, double *b);
void blk_rx(const blk_system *s, double *rxt);
int blk_condvar(st_error *e, const blk_system *s, double *v);
#endif
