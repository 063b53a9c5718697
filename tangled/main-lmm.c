#line 753 "chunks/lmm-program.nw"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "lmm.h"

int main(int argc, char **argv)
{
    int ml = 0, ranef = 0, verbose = 0, satterthwaite = 0;
    const char *trace_path = NULL;
    FILE *trace = NULL;
    
#line 864 "chunks/lmm-program.nw"
static const char *const confint_methods[] = { "wald", "boot", NULL };
const char *confint = NULL;
int quiet = 0;
long long boot_b = 0, boot_seed = -1, boot_threads = 0;
#line 767 "chunks/lmm-program.nw"
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
        
#line 871 "chunks/lmm-program.nw"
{ "boot", CLI_INTEGER, &boot_b, "B", "parametric bootstrap from B replicates", 1, 1e8, 0,
  "an integer from 1 to 100000000", NULL },
{ "seed", CLI_INTEGER, &boot_seed, "N", "seed of the bootstrap (default: from the clock)",
  0, 4294967295.0, 0, "an integer from 0 to 4294967295", NULL },
{ "threads", CLI_INTEGER, &boot_threads, "N", "threads of the bootstrap (default: one per "
  "core)", 1, 1024, 0, "an integer from 1 to 1024", NULL },
{ "confint", CLI_WORD, &confint, "M", "print confint()'s intervals by method M: wald "
  "or boot", 0, 0, 0, "wald or boot", confint_methods },
{ "quiet", CLI_FLAG, &quiet, NULL, "no progress lines on standard error", 0, 0, 0, NULL,
  NULL },
#line 779 "chunks/lmm-program.nw"
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
    
#line 884 "chunks/lmm-program.nw"
if (status == ST_OK && !a.help && !a.version)
    status = ci_check_options(&e, boot_b, boot_seed, boot_threads, confint);
#line 798 "chunks/lmm-program.nw"
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
    if (status == ST_OK) {
        lmm_options opt = { !ml, a.level, satterthwaite, trace };
        status = lmm_fit(&e, m, &opt, &r);
    }
    
#line 889 "chunks/lmm-program.nw"
if (status == ST_OK && boot_b > 0) {
    lmm_boot_spec spec = { boot_b, boot_seed >= 0 ? (unsigned long long)boot_seed
                                                  : ci_clock_seed(),
                           boot_threads > 0 ? (int)boot_threads : ci_cores(), a.level,
                           ci_progress_wanted(quiet, a.json) ? "lmm" : NULL };
    status = lmm_bootstrap(&e, m, r, &spec, &r->boot);
}
if (status == ST_OK && confint != NULL && strcmp(confint, "wald") == 0)
    status = lmm_confint_wald(&e, r, &r->confint);
if (status == ST_OK && confint != NULL && strcmp(confint, "boot") == 0)
    status = ci_from_boot(&e, r->boot, &r->confint);
#line 813 "chunks/lmm-program.nw"
    if (trace != NULL) {
        int closed = cli_close_output(&e, "trace", trace_path, trace);
        if (status == ST_OK)
            status = closed;
    }
    if (status == ST_OK) {
        
#line 831 "chunks/lmm-program.nw"
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
    
#line 903 "chunks/lmm-program.nw"
if (r->boot != NULL)
    ci_boot_print(stdout, r->boot);
if (r->confint != NULL) {
    fputc('\n', stdout);
    ci_print(stdout, r->confint);
}
#line 852 "chunks/lmm-program.nw"
}
#line 820 "chunks/lmm-program.nw"
    } else
        fprintf(stderr, "lmm: %s\n", e.msg);
    lmm_free(r);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
