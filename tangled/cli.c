#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "data.h"

static void common_options(cli_option *opt, cli_args *a)
{
    static const char *const cli_contrast_words[] = { "treatment", "sum", "helmert", NULL };
    cli_option o[] = {
        { "json", CLI_FLAG, &a->json, NULL,
          "print the result as JSON instead of an R-style summary", 0, 0, 0, NULL, NULL },
        { "level", CLI_NUMBER, &a->level, "L",
          "confidence level of the intervals (default 0.95)", 0, 1, 1,
          "a number in (0, 1)", NULL },
        { "help", CLI_FLAG, &a->help, NULL, "print this help and exit", 0, 0, 0, NULL, NULL },
        { "version", CLI_FLAG, &a->version, NULL, "print the version and exit",
          0, 0, 0, NULL, NULL },
        { "contrasts", CLI_WORD, &a->contrasts, "C", "contrasts of unordered factors: treatment "
          "(R's default), sum or helmert", 0, 0, 0, "treatment, sum or helmert",
          cli_contrast_words },
        { "sep", CLI_WORD, &a->sep, "C", "the field separator of the CSV file (default ,)",
          0, 0, 0, "one character (or '\\t')", NULL },
        { "dec", CLI_WORD, &a->dec, "C", "the decimal point of its numbers (default .)",
          0, 0, 0, "one character", NULL },
        { "max-input", CLI_NUMBER, &a->max_input, "MB",
          "the most input read, in megabytes (default 1024)", 0, 1e9, 1,
          "a number of megabytes in (0, 1e9)", NULL },
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    memcpy(opt, o, sizeof o);
}
#define CLI_NCOMMON (6 + CLI_NDATA_OPTIONS)

static const cli_option *find_option(const cli_option *common, const cli_program *prog,
                                     const char *name, size_t len)
{
    for (const cli_option *o = common; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    for (const cli_option *o = prog->options; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}
static int set_value(st_error *e, const cli_option *o, const char *value)
{
    const char *expect = o->expect ? o->expect : "a value";
    char *end;
    if (o->kind == CLI_NUMBER) {
        double x = strtod(value, &end);
        if (end == value || *end != '\0' || !isfinite(x)
            || (o->open ? (x <= o->lo || x >= o->hi) : (x < o->lo || x > o->hi)))
            return st_fail(e, ST_EINPUT, "--%s: expected %s, found \"%s\"", o->name, expect,
                           value);
        *(double *)o->value = x;
    } else if (o->kind == CLI_INTEGER) {
        errno = 0;
        long long x = strtoll(value, &end, 10);
        if (end == value || *end != '\0' || errno == ERANGE
            || (double)x < o->lo || (double)x > o->hi)
            return st_fail(e, ST_EINPUT, "--%s: expected %s, found \"%s\"", o->name, expect,
                           value);
        *(long long *)o->value = x;
    } else {
        int ok = o->words == NULL;
        for (const char *const *w = o->words; w && *w; w++)
            ok |= strcmp(*w, value) == 0;
        if (!ok)
            return st_fail(e, ST_EINPUT, "--%s: expected %s, found \"%s\"", o->name, expect,
                           value);
        *(const char **)o->value = value;
    }
    return ST_OK;
}
int cli_parse(st_error *e, const cli_program *prog, int argc, char *const *argv,
              cli_args *a)
{
    cli_option common[CLI_NCOMMON];
    const char *pos[2];
    int npos = 0, options_done = 0;
    a->formula = a->data = NULL;
    a->json = a->help = a->version = 0;
    a->level = 0.95;
    a->contrasts = "treatment";
    a->sep = ",";
    a->dec = ".";
    a->max_input = DF_MAX_INPUT_MB;
    common_options(common, a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            const char *name = arg[1] == '-' ? arg + 2 : arg + 1;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const cli_option *o = arg[1] == '-' ? find_option(common, prog, name, len) : NULL;
            if (o == NULL)
                return st_fail(e, ST_EINPUT, "unknown option \"%s\" (see %s --help)", arg, prog->name);
            const char *value = NULL;
            if (o->kind == CLI_FLAG) {
                if (eq != NULL)
                    return st_fail(e, ST_EINPUT, "--%s: takes no value, found \"%s\"", o->name, eq + 1);
                *(int *)o->value = 1;
                continue;
            }
            if (eq != NULL)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            if (value == NULL)
                return st_fail(e, ST_EINPUT, "--%s: expected %s, found nothing", o->name,
                               o->expect ? o->expect : "a value");
            if (set_value(e, o, value) != ST_OK)
                return e->status;
            continue;
        }
        if (npos == 2)
            return st_fail(e, ST_EINPUT, "unexpected argument \"%s\" (usage: %s [options] "
                           "FORMULA DATA)", arg, prog->name);
        pos[npos++] = arg;
    }
    if (a->help || a->version)
        return ST_OK;
    if (npos < 2)
        return st_fail(e, ST_EINPUT, "missing %s (usage: %s [options] FORMULA DATA)",
                       npos == 0 ? "arguments FORMULA and DATA" : "argument DATA", prog->name);
    a->formula = pos[0];
    a->data = pos[1];
    return ST_OK;
}
void cli_usage(FILE *out, const cli_program *prog)
{
    cli_args a;
    cli_option common[CLI_NCOMMON];
    common_options(common, &a);
    fprintf(out, "Usage: %s [options] FORMULA DATA\n%s\n\n", prog->name, prog->purpose);
    fprintf(out, "  FORMULA  a model formula in R's syntax, e.g. 'y ~ x + factor(g)'\n"
                 "  DATA     a CSV file, - for standard input, or a data set that ships\n"
                 "           with the programs:");
    int col = 30;
    for (const df_dataset *d = df_datasets; d->name != NULL; d++) {
        int len = (int)strlen(d->name) + 1;
        if (col + len > 78) {
            fprintf(out, "\n          ");
            col = 10;
        }
        fprintf(out, " %s", d->name);
        col += len;
    }
    fprintf(out, "\n\nOptions (before or after the arguments):\n");
    for (int pass = 0; pass < 2; pass++)
        for (const cli_option *o = pass ? common : prog->options; o && o->name; o++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
            fprintf(out, "  %-16s %s\n", left, o->help);
        }
}

void cli_version(FILE *out, const cli_program *prog)
{
    fprintf(out, "%s (%s) %s\n", prog->name, CLI_PROJECT, CLI_VERSION);
}
int cli_open_output(st_error *e, const char *option, const char *path, FILE **out)
{
    if ((*out = fopen(path, "w")) == NULL)
        return st_fail(e, ST_EINPUT, "--%s: cannot open \"%s\" for writing: %s", option,
                       path, strerror(errno));
    return ST_OK;
}

int cli_close_output(st_error *e, const char *option, const char *path, FILE *f)
{
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad)
        return st_fail(e, ST_EINPUT, "--%s: cannot write \"%s\"", option, path);
    return ST_OK;
}
static int data_character(const char *value, char *c)
{
    if (strcmp(value, "\\t") == 0 || strcmp(value, "tab") == 0 || strcmp(value, "\t") == 0) {
        *c = '\t';
        return 1;
    }
    *c = value[0];
    return value[0] != '\0' && value[1] == '\0';
}

int cli_read_data(st_error *e, const cli_args *a, df_frame **out)
{
    df_options opt = DF_OPTIONS_DEFAULT;
    char sep, dec;
    *out = NULL;
    if (!data_character(a->sep, &sep) || strchr("\"\n\r", sep) != NULL
        || isalnum((unsigned char)sep))
        return st_fail(e, ST_EINPUT, "--sep: expected one character (or '\\t'), found \"%s\"",
                       a->sep);
    if (!data_character(a->dec, &dec) || strchr("\"\n\r+-eE", dec) != NULL
        || isdigit((unsigned char)dec) || dec == sep)
        return st_fail(e, ST_EINPUT, "--dec: expected one character other than the "
                       "separator, found \"%s\"", a->dec);
    opt.sep = sep;
    opt.dec = dec;
    opt.max_mb = a->max_input;
    return df_read_with(e, a->data, &opt, out);
}
void cli_call_read_options(char *call, size_t size, const cli_args *a)
{
    size_t len = strlen(call);
    char sep, dec, more[64] = "";
    if (strncmp(call, "read.csv(", 9) != 0 || len == 0 || call[len - 1] != ')'
        || !data_character(a->sep, &sep) || !data_character(a->dec, &dec))
        return;
    if (sep != ',')
        snprintf(more, sizeof more, ", sep = \"%s\"", sep == '\t' ? "\\t" : a->sep);
    if (dec != '.')
        snprintf(more + strlen(more), sizeof more - strlen(more), ", dec = \"%s\"", a->dec);
    if (more[0] != '\0' && len + strlen(more) < size)
        snprintf(call + len - 1, size - len + 1, "%s)", more);
}
