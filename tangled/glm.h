#line 411 "chunks/glm.nw"
#ifndef GLM_H
#define GLM_H
#include <stdio.h>
#include "confint.h"
#include "data.h"
#include "formula.h"

#line 438 "chunks/glm.nw"
typedef struct glm_response {
    int n;
    double *y;          /* n: observed proportions k_i / m_i (0 where m_i = 0) */
    double *m;          /* n: trials m_i, 1 for a binary response */
    int counts;         /* 1 for cbind(successes, failures) */
} glm_response;
#line 455 "chunks/glm.nw"
int glm_response_make(st_error *e, const frm_model *m, const df_frame *df,
                      glm_response *r);
void glm_response_free(glm_response *r);
double glm_linkinv(double eta);
double glm_mu_eta(double eta);
double glm_dev_resid(double y, double mu, double m);
double glm_log_density(double y, double mu, double m);
double glm_saturated(double y, double m);
#line 475 "chunks/glm.nw"
typedef struct glm_result {
    char *formula;
    int n, n_dropped;        /* observations used (m_i > 0); rows dropped for NA */
    int p, rank, intercept;
    char **coef_names;       /* p names, as R prints them */
    int *aliased;            /* p flags */
    double *beta, *se, *zval, *pval, *conf_low, *conf_high;   /* p each */
    double *vcov;            /* p x p */
    double level;
    double deviance, null_deviance, loglik, aic, bic;
    int df_residual, df_null;
    int iterations, converged, separated;
    double trace[26];        /* deviance after each step of IRLS, trace[0] at the start */
    int nrow;                /* rows of the model frame (n plus rows with m_i = 0) */
    double *mu, *dev_resid;  /* nrow each: fitted probability, signed deviance residual */
    ci_table *confint;       /* --confint's table, attached by the program, or NULL */
} glm_result;
#line 503 "chunks/glm.nw"
int glm_fit(st_error *e, const frm_model *m, const glm_response *resp, double level,
            glm_result **out);
void glm_free(glm_result *r);
int glm_print(FILE *out, const glm_result *r, const char *data_name);
void glm_write_json(FILE *out, const glm_result *r);
int glm_warn(FILE *out, const glm_result *r, const char *prog);
#line 422 "chunks/glm.nw"
#endif
