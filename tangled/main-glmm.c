#line 217 "chunks/glmm-program.nw"
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "glm.h"
#include "glmm.h"

int main(int argc, char **argv)
{
    long long nagq = 1;
    const char *trace_path = NULL;
    FILE *trace = NULL;
    
#line 300 "chunks/glmm-program.nw"
const char *family_word = NULL, *link_word = NULL, *weights_column = NULL;
static const char *const family_words[] = { "binomial", "poisson", NULL };
static const char *const link_words[] = { "logit", "probit", "cloglog", "log", NULL };
#line 231 "chunks/glmm-program.nw"
    const cli_option options[] = {
        { "nagq", CLI_INTEGER, &nagq, "N", "adaptive Gauss-Hermite quadrature with N nodes "
          "(1, the default: the Laplace approximation)", 1, GLMM_MAX_NAGQ, 0,
          "an integer from 1 to 100", NULL },
        { "trace", CLI_WORD, &trace_path, "FILE", "write one CSV row per evaluation of the "
          "deviance to FILE (mixed models)", 0, 0, 0, "a file name", NULL },
        
#line 306 "chunks/glmm-program.nw"
{ "family", CLI_WORD, &family_word, "F", "binomial (the default) or poisson, as glm's "
  "family argument", 0, 0, 0, "binomial or poisson", family_words },
{ "link", CLI_WORD, &link_word, "L", "logit (the default), probit or cloglog for the "
  "binomial family; log for the poisson", 0, 0, 0, "logit, probit, cloglog or log",
  link_words },
{ "weights", CLI_WORD, &weights_column, "COLUMN", "prior weights from COLUMN, as glm's and "
  "glmer's weights", 0, 0, 0, "a column name", NULL },
#line 238 "chunks/glmm-program.nw"
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "glmm", "fit a logistic regression, as glm(family = binomial) "
                               "does, or a logistic mixed model, as lme4::glmer does",
                               options };
    st_error e = { 0, "" };
    cli_args a;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    glm_response resp = { 0, NULL, NULL, 0, { GLM_BINOMIAL, GLM_LOGIT }, NULL, 0, 0 };
    glm_family fam = { GLM_BINOMIAL, GLM_LOGIT };
    glm_result *g = NULL;
    glmm_result *r = NULL;
    int status = cli_parse(&e, &prog, argc, argv, &a);
    if (status == ST_OK && a.help) {
        cli_usage(stdout, &prog);
        return 0;
    }
    if (status == ST_OK && a.version) {
        cli_version(stdout, &prog);
        return 0;
    }
    if (status == ST_OK && trace_path != NULL)
        status = cli_open_output(&e, "trace", trace_path, &trace);
    if (status == ST_OK) status = glm_family_parse(&e, family_word, link_word, &fam);
    if (status == ST_OK) status = frm_parse(&e, a.formula, &f);
    if (status == ST_OK) status = df_read(&e, a.data, &df);
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, fam.family == GLM_BINOMIAL ? FRM_BINOMIAL : 0, &m);
    if (status == ST_OK) status = glm_response_make_family(&e, m, df, fam, &resp);
    if (status == ST_OK && weights_column != NULL)
        status = glm_response_weigh(&e, m, df, weights_column, &resp);
    if (status == ST_OK) {
        if (m->nre == 0)
            
#line 316 "chunks/glmm-program.nw"
{
    if (nagq > 1)
        status = st_fail(&e, ST_EINPUT, "--nagq %lld: adaptive Gauss-Hermite quadrature "
                         "integrates over random effects, and the formula has no "
                         "random-effects term such as (1 | g)", nagq);
    if (status == ST_OK && trace != NULL)
        status = st_fail(&e, ST_EINPUT, "--trace: a logistic regression is fitted by IRLS, "
                         "with no optimizer to trace; the formula has no random-effects "
                         "term such as (1 | g)");
    if (status == ST_OK)
        status = glm_fit(&e, m, &resp, a.level, &g);
    if (status == ST_OK) {
        glm_warn(stderr, g, "glmm");
        if (a.json)
            glm_write_json(stdout, g);
        else
            glm_print(stdout, g, a.data);
    }
}
#line 273 "chunks/glmm-program.nw"
        else
            
#line 338 "chunks/glmm-program.nw"
{
    glmm_options opt = { (int)nagq, a.level, trace };
    status = glmm_fit(&e, m, &resp, &opt, &r);
    if (status == ST_OK) {
        glmm_warn(stderr, r, "glmm");
        if (a.json)
            glmm_write_json(stdout, r);
        else
            glmm_print(stdout, r, a.data);
    }
}
#line 275 "chunks/glmm-program.nw"
    }
    if (trace != NULL) {
        int closed = cli_close_output(&e, "trace", trace_path, trace);
        if (status == ST_OK)
            status = closed;
    }
    if (status != ST_OK)
        fprintf(stderr, "glmm: %s\n", e.msg);
    glmm_free(r);
    glm_free(g);
    glm_response_free(&resp);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
