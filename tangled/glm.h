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
/* Binomial-logit response of m (rows from df for messages) into r (glm_response_free) */
int glm_response_make(st_error *e, const frm_model *m, const df_frame *df,
                      glm_response *r);
/* As glm_response_make for the family and link fam */
int glm_response_make_family(st_error *e, const frm_model *m, const df_frame *df,
                             glm_family fam, glm_response *r);
/* Attach df's column as prior weights to r (made from m); ST_EINPUT for bad weights */
int glm_response_weigh(st_error *e, const frm_model *m, const df_frame *df,
                       const char *column, glm_response *r);
/* log f(y_i | mu) of row i (0 <= i < r->n) with r's trials and prior weight */
double glm_response_log_density(const glm_response *r, int i, double mu);
/* Free r's arrays (not r itself) and clear them; r non-NULL */
void glm_response_free(glm_response *r);
/* The logit link's inverse at eta */
double glm_linkinv(double eta);
/* d mu / d eta of the logit link at eta */
double glm_mu_eta(double eta);
/* Binomial deviance contribution d_i of proportion y, fitted mu, m trials (0 when m is 0) */
double glm_dev_resid(double y, double mu, double m);
/* Binomial log density of proportion y given mu and m trials */
double glm_log_density(double y, double mu, double m);
/* Binomial log-likelihood of the saturated model at proportion y, m trials */
double glm_saturated(double y, double m);
/* Parse --family and --link (NULL: defaults) into *out; ST_EINPUT for unknown words */
int glm_family_parse(st_error *e, const char *family, const char *link, glm_family *out);
/* "binomial" or "poisson": a static string */
const char *glm_family_name(glm_family f);
/* "logit", "probit", "cloglog" or "log": a static string */
const char *glm_link_name(glm_family f);
/* The link of f at mu */
double glm_fam_linkfun(glm_family f, double mu);
/* The inverse link of f at eta */
double glm_fam_linkinv(glm_family f, double eta);
/* d mu / d eta of f's link at eta */
double glm_fam_mu_eta(glm_family f, double eta);
/* The variance function of f at mu */
double glm_fam_variance(glm_family f, double mu);
/* f's deviance contribution d_i of y given mu and m trials */
double glm_fam_dev_resid(glm_family f, double y, double mu, double m);
/* f's log density of y given mu and m trials */
double glm_fam_log_density(glm_family f, double y, double mu, double m);
/* f's log-likelihood of the saturated model at y, m trials */
double glm_fam_saturated(glm_family f, double y, double m);
/* R's starting mu of f for y and m trials (family$initialize) */
double glm_fam_mustart(glm_family f, double y, double m);
#define GLM_TRACE_STEPS 25      /* the steps that glm_result's trace keeps: glm.control's maxit */
typedef struct glm_result {
    char *formula;
    int n, n_dropped;        /* observations used (m_i > 0); rows dropped for NA */
    int p, rank, intercept;
    char **coef_names;       /* p names, as R prints them */
    int *aliased;            /* p flags */
    double *beta, *se, *statistic, *p_value, *conf_low, *conf_high;   /* p each */
    double *vcov;            /* p x p */
    double level;
    double deviance, null_deviance, loglik, aic, bic;
    int df_residual, df_null;
    int iterations, converged, separated;
    double trace[GLM_TRACE_STEPS + 1];  /* deviance after each step of IRLS, [0] at the start */
    int nrow;                /* rows of the model frame (n plus rows with m_i = 0) */
    double *mu, *dev_resid;  /* nrow each: fitted probability, signed deviance residual */
    glm_family fam;          /* the family and link of the response */
    ci_table *confint;       /* --confint's table, attached by the program, or NULL */
} glm_result;
typedef struct glm_control {
    double epsilon;     /* convergence criterion of IRLS (eq:glm-converged) */
    int maxit;          /* most steps of IRLS, and most halvings of a step */
    double rank_tol;    /* tolerance of the rank of the weighted QR */
    double null_epsilon;    /* criterion of the null model's intercept with an offset */
    int null_maxit;     /* most steps for that intercept */
} glm_control;
/* R's glm.control() and glm.fit's rank tolerance (Section sec:glm-control) */
glm_control glm_control_default(void);
/* glm_fit with the tolerances and limits of ctl (maxit >= 1) */
int glm_fit_control(st_error *e, const frm_model *m, const glm_response *resp, double level,
                    const glm_control *ctl, glm_result **out);
/* IRLS fit of resp (m->n rows) on m's X at level into *out (glm_free); *out NULL on error */
int glm_fit(st_error *e, const frm_model *m, const glm_response *resp, double level,
            glm_result **out);
/* Free r and everything it owns (its confint table too); NULL is a no-op */
void glm_free(glm_result *r);
/* Print r as R's summary(glm) with data_name; 0, or -1 when out of memory */
int glm_print(FILE *out, const glm_result *r, const char *data_name);
/* Write r's JSON object on out */
void glm_write_json(FILE *out, const glm_result *r);
/* Print glm's warnings for r on out, prefixed prog; the number of lines printed */
int glm_warn(FILE *out, const glm_result *r, const char *prog);
#include "coeftab.h"
ct_table glm_coeftab(const glm_result *r);
#endif
