#line 1254 "chunks/ols.nw"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "data.h"
#include "formula.h"
#include "json.h"
#include "ols.h"


#line 1325 "chunks/ols.nw"
static int check_model(st_error *e, const frm_model *m, const df_frame *df)
{
    if (m->ycols != 1)
        return st_fail(e, ST_EINPUT, "formula \"%s\": the response must be one numeric "
                       "variable", m->formula);
    if (m->n == 0)
        return st_fail(e, ST_EINPUT, "%s: no rows left to fit", df->source);
    return ST_OK;
}
#line 1375 "chunks/ols.nw"
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
#line 1399 "chunks/ols.nw"
static int write_output(st_error *e, const cli_args *a, const frm_model *m,
                        const ols_result *r)
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
        
        js_object_end(&jw);
    } else {
        if (ols_print_summary(stdout, r, &l) != 0 || ols_print_confint(stdout, r, &l) != 0)
            return st_fail(e, ST_EFIT, "out of memory");
        
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return st_fail(e, ST_EFIT, "cannot write the output");
    return ST_OK;
}

#line 1267 "chunks/ols.nw"
int main(int argc, char **argv)
{
    st_error e = { 0, "" };
    cli_args a;
    
    const cli_option options[] = {
        
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
    
#line 1307 "chunks/ols.nw"
if (status == ST_OK)
    status = frm_parse(&e, a.formula, &f);
if (status == ST_OK)
    status = df_read(&e, a.data, &df);
if (status == ST_OK)
    status = frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
if (status == ST_OK)
    status = check_model(&e, m, df);
#line 1289 "chunks/ols.nw"
    
#line 1341 "chunks/ols.nw"
if (status == ST_OK)
    status = ols_workspace_new(&e, m->n, m->p, m->X, &w);
if (status == ST_OK)
    status = ols_fit(&e, w, m->X, m->y, m->intercept, a.level, &r);
#line 1290 "chunks/ols.nw"
    
    if (status == ST_OK)
        status = write_output(&e, &a, m, r);
    
#line 1425 "chunks/ols.nw"
ols_result_free(r);
ols_workspace_free(w);
frm_model_free(m);
df_free(df);
frm_free(f);
#line 1294 "chunks/ols.nw"
    if (status != ST_OK)
        fprintf(stderr, "ols: %s\n", e.msg);
    return status;
}
