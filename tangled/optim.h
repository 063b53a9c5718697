#ifndef OPTIM_H
#define OPTIM_H
#include "util.h"

typedef struct opt_control {
    double ftol_abs;        /* stop when a step changes f by less than this (0: no test) */
    double ftol_rel;        /* ... by less than this fraction of |f| (0: no test) */
    double xtol_abs;        /* stop when a step changes every x_i by less than this */
    double xtol_rel;        /* ... by less than this fraction of |x_i| */
    int maxeval;            /* at most this many evaluations (0: no limit) */
    double initial_step;    /* > 0: the first step of every x_i; 0: NLopt's own */
} opt_control;

typedef double opt_objective(void *data, const double *x);

typedef struct opt_outcome {
    int code;               /* NLopt's result code: > 0 stopped normally */
    double fmin;            /* the best value of f found */
    long evaluations;       /* the evaluations of f made by this run */
} opt_outcome;

/* Minimizes f(data, x) over n parameters within [lower, upper] (NULL: unbounded) by
   BOBYQA with the settings c, from x, which it overwrites with the best point;
   step (NULL: c->initial_step) is the first step of each parameter.  Returns ST_OK
   with the outcome in out, or an error in e when NLopt cannot be set up. */
int opt_bobyqa(st_error *e, const opt_control *c, opt_objective *f, void *data, int n,
               const double *lower, const double *upper, const double *step, double *x,
               opt_outcome *out);
#endif
