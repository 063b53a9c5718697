#ifndef GLM_H
#define GLM_H
#include <stdio.h>
#include "confint.h"
#include "data.h"
#include "formula.h"

typedef enum glm_family_kind { GLM_BINOMIAL = 0, GLM_POISSON = 1 } glm_family_kind;
typedef enum glm_link_kind { GLM_LOGIT = 0, GLM_PROBIT, GLM_CLOGLOG, GLM_LOG } glm_link_kind;
typedef struct glm_family {
    glm_family_kind family;
    glm_link_kind link;
} glm_family;
typedef struct glm_response {
    int n;
    double *y;          /* n: observed proportions k_i / m_i (0 where m_i = 0) */
    double *m;          /* n: trials m_i, 1 for a binary response */
    int counts;         /* 1 for cbind(successes, failures) */
    glm_family fam;     /* the family and link: {0, 0} is binomial with the logit */
    double *pw;         /* n prior weights of --weights for cbind counts, or NULL */
    int pw_apart;       /* some count has n_i > 1: log f is w_i log f(k_i | n_i) (eq:glm-weights) */
    int nzero;          /* rows of weight 0 (which R's BIC still counts) */
} glm_response;
int glm_response_make(st_error *e, const frm_model *m, const df_frame *df,
                      glm_response *r);
int glm_response_make_family(st_error *e, const frm_model *m, const df_frame *df,
                             glm_family fam, glm_response *r);
int glm_response_weigh(st_error *e, const frm_model *m, const df_frame *df,
                       const char *column, glm_response *r);
double glm_response_log_density(const glm_response *r, int i, double mu);
void glm_response_free(glm_response *r);
double glm_linkinv(double eta);
double glm_mu_eta(double eta);
double glm_dev_resid(double y, double mu, double m);
double glm_log_density(double y, double mu, double m);
double glm_saturated(double y, double m);
int glm_family_parse(st_error *e, const char *family, const char *link, glm_family *out);
const char *glm_family_name(glm_family f);
const char *glm_link_name(glm_family f);
double glm_fam_linkfun(glm_family f, double mu);
double glm_fam_linkinv(glm_family f, double eta);
double glm_fam_mu_eta(glm_family f, double eta);
double glm_fam_variance(glm_family f, double mu);
double glm_fam_dev_resid(glm_family f, double y, double mu, double m);
double glm_fam_log_density(glm_family f, double y, double mu, double m);
double glm_fam_saturated(glm_family f, double y, double m);
double glm_fam_mustart(glm_family f, double y, double m);
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
    glm_family fam;          /* the family and link of the response */
    ci_table *confint;       /* --confint's table, attached by the program, or NULL */
} glm_result;
int glm_fit(st_error *e, const frm_model *m, const glm_response *resp, double level,
            glm_result **out);
void glm_free(glm_result *r);
int glm_print(FILE *out, const glm_result *r, const char *data_name);
void glm_write_json(FILE *out, const glm_result *r);
int glm_warn(FILE *out, const glm_result *r, const char *prog);
#endif
