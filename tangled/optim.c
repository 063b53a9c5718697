#include <math.h>
#include <nlopt.h>
#include "optim.h"

typedef struct opt_call {
    opt_objective *f;
    void *data;
    long evaluations;
} opt_call;

static double opt_trampoline(unsigned n, const double *x, double *grad, void *data)
{
    opt_call *c = data;
    (void)n;
    (void)grad;
    c->evaluations++;
    return c->f(c->data, x);
}

int opt_bobyqa(st_error *e, const opt_control *c, opt_objective *f, void *data, int n,
               const double *lower, const double *upper, const double *step, double *x,
               opt_outcome *out)
{
    opt_call call = { f, data, 0 };
    double fmin = HUGE_VAL;
    *out = (opt_outcome){ .code = NLOPT_OUT_OF_MEMORY, .fmin = HUGE_VAL, .evaluations = 0 };
    nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, (unsigned)n);
    if (opt == NULL)
        return st_fail(e, ST_ENOMEM, "cannot set up the optimizer: out of memory");
    if (lower != NULL)
        nlopt_set_lower_bounds(opt, lower);
    if (upper != NULL)
        nlopt_set_upper_bounds(opt, upper);
    nlopt_set_min_objective(opt, opt_trampoline, &call);
    nlopt_set_ftol_abs(opt, c->ftol_abs);
    nlopt_set_ftol_rel(opt, c->ftol_rel);
    nlopt_set_xtol_abs1(opt, c->xtol_abs);
    nlopt_set_xtol_rel(opt, c->xtol_rel);
    if (step != NULL)
        nlopt_set_initial_step(opt, step);
    else if (c->initial_step > 0)
        nlopt_set_initial_step1(opt, c->initial_step);
    nlopt_set_maxeval(opt, c->maxeval);
    out->code = (int)nlopt_optimize(opt, x, &fmin);
    nlopt_destroy(opt);
    out->fmin = fmin;
    out->evaluations = call.evaluations;
    return ST_OK;
}
