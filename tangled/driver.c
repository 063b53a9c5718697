#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"
#include "confint.h"

typedef struct drv_entry {
    cli_option option;              /* value: NULL here, the field is at offset */
    size_t offset;
} drv_entry;

#define DRV_FIELD(f) offsetof(drv_options, f)
#define DRV_STR_(x) #x
#define DRV_STR(x) DRV_STR_(x)      /* a number's macro as a string: "1024" */

static const char *const drv_confint_words[] = { "wald", "profile", "boot", NULL };
static const char *const drv_boot_ci_words[] = { "percentile", "basic", "bca", NULL };

static const drv_entry drv_catalogue[] = {
    { { "boot", CLI_INTEGER, NULL, "B", "parametric bootstrap from B replicates", 1, 1e8, 0,
        "an integer from 1 to 100000000", NULL }, DRV_FIELD(boot) },
    { { "seed", CLI_INTEGER, NULL, "N", "seed of the bootstrap (default: from the clock)",
        0, 4294967295.0, 0, "an integer from 0 to 4294967295", NULL }, DRV_FIELD(seed) },
    { { "threads", CLI_INTEGER, NULL, "N", "threads of the bootstrap (default: one per "
        "core)", 1, 1024, 0, "an integer from 1 to 1024", NULL }, DRV_FIELD(threads) },
    { { "max-boot-memory", CLI_NUMBER, NULL, "MB", "the most memory the bootstrap's "
        "replicates take, in megabytes (default " DRV_STR(CI_MAX_BOOT_MB) ")", 0, 1e9, 1,
        "a number of megabytes in (0, 1e9)", NULL }, DRV_FIELD(max_boot_mb) },
    { { "confint", CLI_WORD, NULL, "M", "print confint()'s intervals by method M: wald, "
        "profile or boot", 0, 0, 0, "wald, profile or boot", drv_confint_words },
      DRV_FIELD(confint) },
    { { "boot-ci", CLI_WORD, NULL, "T", "the bootstrap intervals --confint boot prints: "
        "percentile (the default) or basic (bca is refused)", 0, 0, 0,
        "percentile, basic or bca", drv_boot_ci_words }, DRV_FIELD(boot_ci) },
    { { "quiet", CLI_FLAG, NULL, NULL, "no progress lines on standard error", 0, 0, 0, NULL,
        NULL }, DRV_FIELD(quiet) },
    { { "ranef", CLI_FLAG, NULL, NULL, "also print the conditional modes of the random "
        "effects and their conditional standard deviations", 0, 0, 0, NULL, NULL },
      DRV_FIELD(ranef) },
    { { "compare", CLI_WORD, NULL, "FORMULA0", "also fit the smaller model FORMULA0 to the "
        "same rows and test it against FORMULA by likelihood ratio, as anova(m0, m1)", 0, 0,
        0, "a formula", NULL }, DRV_FIELD(compare) },
    { { "augment", CLI_WORD, NULL, "FILE", "write the rows used, with .fitted and .resid, "
        "to FILE as CSV", 0, 0, 0, "a file name", NULL }, DRV_FIELD(augment) },
    { { "predict", CLI_WORD, NULL, "NEWDATA", "write predictions for the rows of the CSV "
        "file NEWDATA to the file of --out", 0, 0, 0, "a file name", NULL },
      DRV_FIELD(predict) },
    { { "out", CLI_WORD, NULL, "FILE", "where --predict writes, as CSV", 0, 0, 0,
        "a file name", NULL }, DRV_FIELD(out) },
    { { "weights", CLI_WORD, NULL, "COLUMN", "prior weights from COLUMN", 0, 0, 0,
        "a column name", NULL }, DRV_FIELD(weights) },
    { { "trace", CLI_WORD, NULL, "FILE", "write one CSV row per evaluation of the "
        "criterion to FILE", 0, 0, 0, "a file name", NULL }, DRV_FIELD(trace) },
};

cli_option drv_option(drv_options *o, const char *name, const char *help)
{
    for (size_t k = 0; k < sizeof drv_catalogue / sizeof *drv_catalogue; k++)
        if (strcmp(drv_catalogue[k].option.name, name) == 0) {
            cli_option c = drv_catalogue[k].option;
            c.value = (char *)o + drv_catalogue[k].offset;
            if (help != NULL)
                c.help = help;
            return c;
        }
    abort();                        /* a name not in the catalogue: a programming error */
}

static int drv_check_boot(st_error *e, long long boot, long long seed, long long threads,
                          const char *confint)
{
    assert(e != NULL);
    if (boot > 0)
        return ST_OK;
    if (seed >= 0)
        return st_fail(e, ST_EINPUT, "--seed: only the bootstrap uses a seed (add --boot B)");
    if (threads > 0)
        return st_fail(e, ST_EINPUT, "--threads: only the bootstrap uses threads "
                       "(add --boot B)");
    if (confint != NULL && strcmp(confint, "boot") == 0)
        return st_fail(e, ST_EINPUT, "--confint boot: needs a bootstrap (add --boot B)");
    return ST_OK;
}

int ci_check_boot_memory(st_error *e, long long boot, double numbers, double max_mb)
{
    assert(e != NULL);
    double mb = (double)boot * numbers * 8 / 1048576.0;
    if (boot <= 0 || mb <= max_mb)
        return ST_OK;
    return st_fail(e, ST_EINPUT, "--boot %lld: the replicates would take %lld x %.0f numbers "
                   "x 8 bytes = %.*f MB, more than the limit of %g MB (ask for fewer "
                   "replicates, or raise the limit with --max-boot-memory MB)", boot, boot,
                   numbers, mb >= 10 ? 0 : 3, mb >= 10 ? ceil(mb) : mb, max_mb);
}

const char *drv_rerun(char *buf, size_t size, long long boot, const char *type,
                      unsigned long long seed)
{
    assert(buf != NULL && size > 0);
    snprintf(buf, size, "--boot %lld%s%s --seed %llu", boot, type ? " --boot-type " : "",
             type ? type : "", seed);
    return buf;
}

static int drv_check_boot_ci(st_error *e, const char *boot_ci, const char *confint)
{
    assert(e != NULL);
    if (boot_ci == NULL)
        return ST_OK;
    if (strcmp(boot_ci, "bca") == 0)
        return st_fail(e, ST_EINPUT, "--boot-ci bca: BCa intervals need empirical influence "
                       "values, which a parametric bootstrap does not have (R's boot.ci "
                       "refuses them for bootMer too); use percentile or basic");
    if (confint == NULL || strcmp(confint, "boot") != 0)
        return st_fail(e, ST_EINPUT, "--boot-ci: chooses the intervals of --confint boot "
                       "(add --confint boot)");
    return ST_OK;
}

static int drv_check_options(st_error *e, const drv_options *o)
{
    int status = drv_check_boot(e, o->boot, o->seed, o->threads, o->confint);
    if (status == ST_OK && o->boot == 0 && o->max_boot_mb != CI_MAX_BOOT_MB)
        status = st_fail(e, ST_EINPUT, "--max-boot-memory: only the bootstrap keeps "
                         "replicates (add --boot B)");
    if (status == ST_OK)
        status = drv_check_boot_ci(e, o->boot_ci, o->confint);
    if (status == ST_OK && (o->predict != NULL) != (o->out != NULL))
        status = st_fail(e, ST_EINPUT, o->predict != NULL ? "--predict: needs --out FILE, "
                         "the file to write the predictions to"
                         : "--out: goes with --predict NEWDATA");
    return status;
}
static void drv_print_error(FILE *out, const drv_program *p, const cli_args *a,
                            const st_error *e);

static int drv_flush(st_error *e)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return st_fail(e, ST_EFIT, "cannot write the output");
    return ST_OK;
}

static int drv_read(st_error *e, const drv_program *p, const cli_args *a, frm_formula **f,
                    df_frame **df, frm_model **m)
{
    int status = frm_parse(e, a->formula, f);
    if (status == ST_OK)
        frm_set_contrasts(*f, a->contrasts);              /* --contrasts */
    if (status == ST_OK)
        status = cli_read_data(e, a, df);
    if (status == ST_OK)
        status = frm_model_frame(e, *f, *df, p->flags(p->state), m);
    if (status == ST_OK)
        frm_print_warnings(stderr, *m, p->name);          /* the formula's warnings */
    return status;
}

int drv_main(const drv_program *p, int argc, char **argv)
{
    st_error e = { 0 };
    cli_args a;
    const cli_program prog = { p->name, p->purpose, p->options };
    drv_options *o = p->common;
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    int status = cli_parse(&e, &prog, argc, argv, &a);
    if (status == ST_OK && (a.help || a.version)) {
        if (a.help)
            cli_usage(stdout, &prog);
        else
            cli_version(stdout, &prog);
        status = drv_flush(&e);
        if (status != ST_OK)
            drv_print_error(stderr, p, &a, &e);
        return st_exit_status(&e, status);
    }
    if (status == ST_OK)
        status = drv_check_options(&e, o);
    if (status == ST_OK && o->trace != NULL)
        status = cli_open_output(&e, "trace", o->trace, &o->trace_file);
    if (status == ST_OK && p->check != NULL)
        status = p->check(&e, p->state, &a);
    if (status == ST_OK)
        status = drv_read(&e, p, &a, &f, &df, &m);
    if (status == ST_OK)
        status = p->fit(&e, p->state, &a, f, df, m);
    if (o->trace_file != NULL) {
        int closed = cli_close_output(&e, "trace", o->trace, o->trace_file);
        o->trace_file = NULL;
        if (status == ST_OK)
            status = closed;
    }
    if (status == ST_OK)
        status = p->write(&e, p->state, &a, m);
    if (status == ST_OK)
        status = drv_flush(&e);
    if (status != ST_OK)
        drv_print_error(stderr, p, &a, &e);
    p->free(p->state);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return st_exit_status(&e, status);
}
static const struct {
    const char *param, *option;
} drv_params[] = {
    { "nagq", "--nagq" }, { "link", "--link" }, { "weights", "--weights" },
    { "formula0", "--compare" }, { "newdata", "--predict" } };

static size_t drv_param_length(const char *msg, const char *param)
{
    size_t n = strlen(param);
    if (strncmp(msg, param, n) != 0)
        return 0;
    if (msg[n] == ':' && msg[n + 1] == ' ')
        return n;                   /* "weights: ..." */
    if (msg[n] != ' ')
        return 0;
    size_t k = strcspn(msg + n + 1, " ");
    return k > 1 && msg[n + k] == ':' && msg[n + k + 1] == ' ' ? n : 0;  /* "nagq 5: ..." */
}

static int drv_given(const drv_program *p, const char *option)
{
    for (const cli_option *o = p->options; o->name != NULL; o++)
        if (strcmp(o->name, option + 2) == 0)
            return o->kind != CLI_WORD || *(const char *const *)o->value != NULL;
    return 0;
}

static const struct {
    const char *advice, *option, *words;
} drv_advice[] = {
    { "max_mb", NULL, " with --max-input MB" },          /* NULL: a common option */
    { "sep=;", NULL, " (use --sep ';' (and --dec ',' for R's write.csv2))" },
    { "sep=\t", NULL, " (use --sep '\\t')" },
    { "sep=,", NULL, " (use --sep ',', the default)" },
    { "family=poisson", "--family", " with --family poisson" } };

static int drv_has(const drv_program *p, const char *option)
{
    for (const cli_option *o = p->options; o->name != NULL; o++)
        if (strcmp(o->name, option + 2) == 0)
            return 1;
    return 0;
}

static void drv_advise(char *words, size_t size, const drv_program *p, const cli_args *a,
                       const char *advice)
{
    words[0] = '\0';
    if (advice != NULL && strncmp(advice, "pipe=", 5) == 0) {
        char file[256];
        st_escape(file, sizeof file, strcmp(a->data, "-") == 0 ? "FILE" : a->data);
        snprintf(words, size, " (%s %s | %s FORMULA -)", advice + 5, file, p->name);
        return;
    }
    for (size_t k = 0; advice != NULL && k < sizeof drv_advice / sizeof *drv_advice; k++)
        if (strcmp(advice, drv_advice[k].advice) == 0
            && (drv_advice[k].option == NULL || drv_has(p, drv_advice[k].option)))
            snprintf(words, size, "%s", drv_advice[k].words);
}

static void drv_print_error(FILE *out, const drv_program *p, const cli_args *a,
                            const st_error *e)
{
    const char *option = "", *msg = e->msg;
    for (size_t k = 0; k < sizeof drv_params / sizeof *drv_params; k++) {
        size_t n = drv_param_length(e->msg, drv_params[k].param);
        if (n > 0 && drv_given(p, drv_params[k].option)) {
            option = drv_params[k].option;
            msg = e->msg + n;
            break;
        }
    }
    char words[512];
    drv_advise(words, sizeof words, p, a, e->advice);
    size_t len = strlen(msg);
    int paren = words[0] != '\0' && len > 0 && msg[len - 1] == ')';
    fprintf(out, "%s: %s%.*s%s%s\n", p->name, option, (int)(len - (size_t)paren), msg, words,
            paren ? ")" : "");
}
lmm_boot_spec drv_boot_spec(drv_options *o, double level, int json, const char *program)
{
    if (o->seed < 0)
        o->seed = (long long)ci_clock_seed();
    return (lmm_boot_spec){ .replicates = o->boot, .seed = (unsigned long long)o->seed,
                            .threads = o->threads > 0 ? (int)o->threads : ci_cores(),
                            .level = level,
                            .progress = ci_progress_wanted(o->quiet, json) ? program
                                                                            : NULL };
}
int drv_print_mixed_extras(const drv_options *o, const cli_args *a, const re_terms *re,
                           const double *tab, const nest_test *t, int refitted,
                           const ci_boot *boot, const ci_table *ci)
{
    char rerun[96];
    int printed = 0;                /* 0, or -1 when a printer ran out of memory */
    if (o->ranef) {
        fputc('\n', stdout);
        printed |= re_print_ranef(stdout, re);
    }
    if (o->compare != NULL)
        printed |= nest_print_lrt(stdout, tab, o->compare, a->formula, a->data, refitted);
    if (o->compare != NULL && t->boot_replicates > 0)
        nest_print_boot(stdout, t, drv_rerun(rerun, sizeof rerun, t->boot_replicates, NULL,
                                             t->boot_seed));
    if (boot != NULL)
        printed |= ci_boot_print(stdout, boot, drv_rerun(rerun, sizeof rerun,
                                                         boot->replicates, NULL, boot->seed));
    if (ci != NULL) {
        fputc('\n', stdout);
        printed |= ci_print(stdout, ci);
    }
    return printed;
}
