#line 214 "chunks/glmm-program.nw"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    
#line 341 "chunks/glmm-program.nw"
static const char *const confint_methods[] = { "wald", "boot", NULL };
const char *confint = NULL;
int quiet = 0;
long long boot_b = 0, boot_seed = -1, boot_threads = 0;
#line 230 "chunks/glmm-program.nw"
    const cli_option options[] = {
        { "nagq", CLI_INTEGER, &nagq, "N", "adaptive Gauss-Hermite quadrature with N nodes "
          "(1, the default: the Laplace approximation)", 1, GLMM_MAX_NAGQ, 0,
          "an integer from 1 to 100", NULL },
        { "trace", CLI_WORD, &trace_path, "FILE", "write one CSV row per evaluation of the "
          "deviance to FILE (mixed models)", 0, 0, 0, "a file name", NULL },
        
#line 348 "chunks/glmm-program.nw"
{ "boot", CLI_INTEGER, &boot_b, "B", "parametric bootstrap from B replicates (mixed models)",
  1, 1e8, 0, "an integer from 1 to 100000000", NULL },
{ "seed", CLI_INTEGER, &boot_seed, "N", "seed of the bootstrap (default: from the clock)",
  0, 4294967295.0, 0, "an integer from 0 to 4294967295", NULL },
{ "threads", CLI_INTEGER, &boot_threads, "N", "threads of the bootstrap (default: one per "
  "core)", 1, 1024, 0, "an integer from 1 to 1024", NULL },
{ "confint", CLI_WORD, &confint, "M", "print confint()'s intervals by method M: wald "
  "or boot", 0, 0, 0, "wald or boot", confint_methods },
{ "quiet", CLI_FLAG, &quiet, NULL, "no progress lines on standard error", 0, 0, 0, NULL,
  NULL },
#line 237 "chunks/glmm-program.nw"
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "glmm", "fit a logistic regression, as glm(family = binomial) "
                               "does, or a logistic mixed model, as lme4::glmer does",
                               options };
    st_error e = { 0, "" };
    cli_args a;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    glm_response resp = { 0, NULL, NULL, 0 };
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
    
#line 361 "chunks/glmm-program.nw"
if (status == ST_OK && !a.help && !a.version)
    status = ci_check_options(&e, boot_b, boot_seed, boot_threads, confint);
#line 259 "chunks/glmm-program.nw"
    if (status == ST_OK && trace_path != NULL)
        status = cli_open_output(&e, "trace", trace_path, &trace);
    if (status == ST_OK) status = frm_parse(&e, a.formula, &f);
    if (status == ST_OK) status = df_read(&e, a.data, &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_BINOMIAL, &m);
    if (status == ST_OK) status = glm_response_make(&e, m, df, &resp);
    if (status == ST_OK) {
        if (m->nre == 0)
            
#line 289 "chunks/glmm-program.nw"
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
    
#line 366 "chunks/glmm-program.nw"
if (status == ST_OK && boot_b > 0)
    status = st_fail(&e, ST_EINPUT, "--boot: the parametric bootstrap simulates random "
                     "effects, and the formula has no random-effects term such as (1 | g)");
if (status == ST_OK && confint != NULL) {
    if (strcmp(confint, "wald") != 0)
        status = st_fail(&e, ST_EINPUT, "--confint %s: a logistic regression has Wald "
                         "intervals only (--confint wald)", confint);
    else if ((status = ci_table_new(&e, g->p, "wald", g->level, &g->confint)) == ST_OK)
        for (int j = 0; j < g->p && status == ST_OK; j++) {
            g->confint->low[j] = g->aliased[j] ? NAN : g->conf_low[j];
            g->confint->high[j] = g->aliased[j] ? NAN : g->conf_high[j];
            if ((g->confint->names[j] = st_strdup(&e, g->coef_names[j])) == NULL)
                status = e.status;
        }
}
#line 301 "chunks/glmm-program.nw"
    if (status == ST_OK) {
        glm_warn(stderr, g, "glmm");
        if (a.json)
            glm_write_json(stdout, g);
        else {
            glm_print(stdout, g, a.data);
            
#line 384 "chunks/glmm-program.nw"
if (g->confint != NULL) {
    fputc('\n', stdout);
    ci_print(stdout, g->confint);
}
#line 308 "chunks/glmm-program.nw"
        }
    }
}
#line 268 "chunks/glmm-program.nw"
        else
            
#line 314 "chunks/glmm-program.nw"
{
    glmm_options opt = { (int)nagq, a.level, trace };
    status = glmm_fit(&e, m, &resp, &opt, &r);
    
#line 391 "chunks/glmm-program.nw"
if (status == ST_OK && boot_b > 0) {
    lmm_boot_spec spec = { boot_b, boot_seed >= 0 ? (unsigned long long)boot_seed
                                                  : ci_clock_seed(),
                           boot_threads > 0 ? (int)boot_threads : ci_cores(), a.level,
                           ci_progress_wanted(quiet, a.json) ? "glmm" : NULL };
    status = glmm_bootstrap(&e, m, &resp, r, &spec, &r->re->boot);
}
if (status == ST_OK && confint != NULL && strcmp(confint, "boot") == 0)
    status = ci_from_boot(&e, r->re->boot, &r->re->confint);
if (status == ST_OK && confint != NULL && strcmp(confint, "wald") == 0) {
    status = lmm_confint_table(&e, r->re, 0, r->p, r->coef_names, r->aliased, "wald",
                               r->level, &r->re->confint);
    for (int j = 0, i = lmm_varpar_count(r->re, 0); status == ST_OK && j < r->p; j++)
        if (!r->aliased[j]) {
            r->re->confint->low[i] = r->conf_low[j];
            r->re->confint->high[i++] = r->conf_high[j];
        }
}
#line 318 "chunks/glmm-program.nw"
    if (status == ST_OK) {
        glmm_warn(stderr, r, "glmm");
        if (a.json)
            glmm_write_json(stdout, r);
        else {
            glmm_print(stdout, r, a.data);
            
#line 412 "chunks/glmm-program.nw"
if (r->re->boot != NULL)
    ci_boot_print(stdout, r->re->boot);
if (r->re->confint != NULL) {
    fputc('\n', stdout);
    ci_print(stdout, r->re->confint);
}
#line 325 "chunks/glmm-program.nw"
        }
    }
}
#line 270 "chunks/glmm-program.nw"
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
