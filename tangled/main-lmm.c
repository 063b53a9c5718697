#line 631 "chunks/lmm-program.nw"
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "lmm.h"

int main(int argc, char **argv)
{
    int ml = 0, ranef = 0, verbose = 0, satterthwaite = 0;
    const char *trace_path = NULL;
    FILE *trace = NULL;
    const cli_option options[] = {
        { "ml", CLI_FLAG, &ml, NULL, "fit by maximum likelihood instead of REML",
          0, 0, 0, NULL, NULL },
        { "satterthwaite", CLI_FLAG, &satterthwaite, NULL, "add Satterthwaite's degrees "
          "of freedom and p-values to the t tests, as lmerTest does", 0, 0, 0, NULL, NULL },
        { "ranef", CLI_FLAG, &ranef, NULL, "also print the conditional modes of the "
          "random effects", 0, 0, 0, NULL, NULL },
        { "verbose", CLI_FLAG, &verbose, NULL, "report the optimizer's work on standard "
          "error", 0, 0, 0, NULL, NULL },
        { "trace", CLI_WORD, &trace_path, "FILE", "write one CSV row per evaluation of the "
          "criterion to FILE", 0, 0, 0, "a file name", NULL },
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "lmm", "fit a linear mixed model by REML or maximum "
                               "likelihood, as lme4::lmer does", options };
    st_error e = { 0, "" };
    cli_args a;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    lmm_result *r = NULL;
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
    if (status == ST_OK)
        status = frm_parse(&e, a.formula, &f);
    if (status == ST_OK)
        status = df_read(&e, a.data, &df);
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, FRM_NEED_RANDOM, &m);
    if (status == ST_OK)
        status = lmm_check_finite(&e, m, df);
    if (status == ST_OK)
        frm_subtract_offset(m);     /* an offset: fit y - o (eq:lmm-offset) */
    if (status == ST_OK) {
        lmm_options opt = { !ml, a.level, satterthwaite, trace };
        status = lmm_fit(&e, m, &opt, &r);
    }
    if (trace != NULL) {
        int closed = cli_close_output(&e, "trace", trace_path, trace);
        if (status == ST_OK)
            status = closed;
    }
    if (status == ST_OK) {
        
#line 706 "chunks/lmm-program.nw"
if (r->unbounded)
    fprintf(stderr, "lmm: warning: the criterion decreases without bound (the random "
            "effects fit the response exactly); the optimizer stopped after %ld "
            "evaluations, and the estimates are not an optimum\n", r->evaluations);
else if (!r->converged)
    fprintf(stderr, "lmm: warning: the optimizer stopped before converging (NLopt status "
            "%d, after %ld evaluations); the estimates may not be the optimum\n",
            r->nlopt_status, r->evaluations);
if (verbose)
    fprintf(stderr, "lmm: %ld evaluations of the %s criterion in %.3f s, %.3g ms each\n",
            r->evaluations, r->reml ? "REML" : "ML", r->seconds,
            r->evaluations > 0 ? 1e3 * r->seconds / (double)r->evaluations : 0.0);
if (a.json)
    lmm_write_json(stdout, r);
else {
    lmm_print(stdout, r, a.data);
    if (ranef) {
        fputc('\n', stdout);
        lmm_print_ranef(stdout, r);
    }
}
#line 695 "chunks/lmm-program.nw"
    } else
        fprintf(stderr, "lmm: %s\n", e.msg);
    lmm_free(r);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
