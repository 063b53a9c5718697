#line 296 "chunks/ols-program.nw"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "json.h"
#include "ols.h"
#line 678 "chunks/ols-program.nw"
#include <time.h>
#include "boot.h"
#include "rng.h"

#line 369 "chunks/ols-program.nw"
static int check_model(st_error *e, const frm_model *m, const df_frame *df)
{
    if (m->ycols != 1)
        return st_fail(e, ST_EINPUT, "formula \"%s\": the response must be one numeric "
                       "variable", m->formula);
    if (m->n == 0)
        return st_fail(e, ST_EINPUT, "%s: no rows left to fit", df->source);
    return ST_OK;
}
#line 422 "chunks/ols-program.nw"
static void call_data(char *buf, size_t size, const char *arg)
{
    if (strcmp(arg, "-") == 0)
        snprintf(buf, size, "read.csv(file(\"stdin\"))");
    else if (strchr(arg, '/') == NULL && access(arg, F_OK) != 0)
        snprintf(buf, size, "%s", arg);
    else {
        size_t k = 0;
        k += (size_t)snprintf(buf, size, "read.csv(\"");
        for (const char *s = arg; *s && k + 8 < size; s++) {
            if (*s == '"' || *s == '\\')
                buf[k++] = '\\';
            buf[k++] = *s;
        }
        snprintf(buf + k, size - k, "\")");
    }
}
#line 446 "chunks/ols-program.nw"
static int write_output(st_error *e, const cli_args *a, const frm_model *m,
                        const ols_result *r
#line 742 "chunks/ols-program.nw"
, const boot_result *boot
#line 447 "chunks/ols-program.nw"
                                                                                                     )
{
    char data[4200];
    call_data(data, sizeof data, a->data);
    ols_labels l = { m->formula, data, (const char *const *)m->colnames, m->row,
                     m->n_dropped };
    if (a->json) {
        js_writer jw;
        js_init(&jw, stdout);
        js_object_begin(&jw, 0);
        ols_json_members(&jw, r, &l);
        
#line 756 "chunks/ols-program.nw"
if (boot != NULL)
    boot_json_member(&jw, boot, (const char *const *)m->colnames);
#line 459 "chunks/ols-program.nw"
        js_object_end(&jw);
    } else {
        if (ols_print_summary(stdout, r, &l) != 0 || ols_print_confint(stdout, r, &l) != 0)
            return st_fail(e, ST_EFIT, "out of memory");
        
#line 750 "chunks/ols-program.nw"
if (boot != NULL && boot_print(stdout, boot, (const char *const *)m->colnames, r->conf_low,
                               r->conf_high) != 0)
    return st_fail(e, ST_EFIT, "out of memory");
#line 464 "chunks/ols-program.nw"
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return st_fail(e, ST_EFIT, "cannot write the output");
    return ST_OK;
}
#line 671 "chunks/ols-program.nw"
static const char *const boot_types[] = { "pairs", "residual", "wild", NULL };
#line 688 "chunks/ols-program.nw"
static uint64_t clock_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_sec * UINT64_C(1000000007) + (uint64_t)ts.tv_nsec
                 + (uint64_t)getpid();
    return rng_splitmix64(&x) >> 32;
}

static int cores(void)
{
    long k = sysconf(_SC_NPROCESSORS_ONLN);
    return k < 1 ? 1 : k > 1024 ? 1024 : (int)k;
}
#line 717 "chunks/ols-program.nw"
static int run_bootstrap(st_error *e, const frm_formula *f, const df_frame *df,
                         long long B, const char *type, long long seed, long long threads,
                         double level, boot_result **out)
{
    frm_model *m = NULL;
    if (frm_model_frame(e, f, df, FRM_FIXED_ONLY, &m) != ST_OK)
        return e->status;
    frm_subtract_offset(m);     /* an offset: resample y - o (eq:ols-offset) */
    boot_spec spec = { BOOT_PAIRS, B, seed >= 0 ? (uint64_t)seed : clock_seed(),
                       threads > 0 ? (int)threads : cores(), level,
                       m->intercept ? BOOT_F_MEAN : BOOT_F_ZERO };
    for (int t = BOOT_PAIRS; t <= BOOT_WILD; t++)
        if (strcmp(type, boot_type_name[t]) == 0)
            spec.type = (boot_type)t;
    int status = boot_run(e, m->X, m->y, m->n, m->p, &spec, out);
    frm_model_free(m);
    return status;
}

#line 309 "chunks/ols-program.nw"
int main(int argc, char **argv)
{
    st_error e = { 0, "" };
    cli_args a;
    
#line 654 "chunks/ols-program.nw"
long long boot_b = 0, boot_seed = -1, boot_threads = 0;
const char *boot_type = "pairs";
boot_result *boot = NULL;
#line 314 "chunks/ols-program.nw"
    const cli_option options[] = {
        
#line 660 "chunks/ols-program.nw"
{ "boot", CLI_INTEGER, &boot_b, "B", "add bootstrap intervals from B replicates", 1, 1e8, 0,
  "an integer from 1 to 100000000", NULL },
{ "boot-type", CLI_WORD, &boot_type, "T", "resample pairs (the default), residual or wild",
  0, 0, 0, "pairs, residual or wild", boot_types },
{ "seed", CLI_INTEGER, &boot_seed, "N", "seed of the bootstrap (default: from the clock)",
  0, 4294967295.0, 0, "an integer from 0 to 4294967295", NULL },
{ "threads", CLI_INTEGER, &boot_threads, "N", "threads of the bootstrap (default: one per "
  "core)", 1, 1024, 0, "an integer from 1 to 1024", NULL },
#line 316 "chunks/ols-program.nw"
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    const cli_program prog = { "ols", "Multiple linear regression by least squares, as R's "
                               "lm(), summary() and confint().", options };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    ols_workspace *w = NULL;
    ols_result *r = NULL;
    int status = cli_parse(&e, &prog, argc, argv, &a);
    if (status == ST_OK && (a.help || a.version)) {
        if (a.help) cli_usage(stdout, &prog);
        else cli_version(stdout, &prog);
        return 0;
    }
    
#line 349 "chunks/ols-program.nw"
if (status == ST_OK)
    status = frm_parse(&e, a.formula, &f);
if (status == ST_OK)
    status = df_read(&e, a.data, &df);
if (status == ST_OK)
    status = frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
if (status == ST_OK)
    status = check_model(&e, m, df);
if (status == ST_OK)
    frm_subtract_offset(m);     /* an offset: fit y - o (eq:ols-offset) */
#line 331 "chunks/ols-program.nw"
    
#line 385 "chunks/ols-program.nw"
if (status == ST_OK)
    status = ols_workspace_new(&e, m->n, m->p, m->X, &w);
if (status == ST_OK)
    status = ols_fit(&e, w, m->X, m->y, m->intercept, a.level, &r);
#line 332 "chunks/ols-program.nw"
    
#line 711 "chunks/ols-program.nw"
if (status == ST_OK && boot_b > 0)
    status = run_bootstrap(&e, f, df, boot_b, boot_type, boot_seed, boot_threads, a.level,
                           &boot);
#line 333 "chunks/ols-program.nw"
    if (status == ST_OK)
        status = write_output(&e, &a, m, r
#line 746 "chunks/ols-program.nw"
, boot
#line 334 "chunks/ols-program.nw"
                                                                                                   );
    
#line 472 "chunks/ols-program.nw"
ols_result_free(r);
ols_workspace_free(w);
frm_model_free(m);
df_free(df);
frm_free(f);
#line 761 "chunks/ols-program.nw"
boot_result_free(boot);
#line 336 "chunks/ols-program.nw"
    if (status != ST_OK)
        fprintf(stderr, "ols: %s\n", e.msg);
    return status;
}
