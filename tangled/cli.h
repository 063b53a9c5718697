#ifndef CLI_H
#define CLI_H
#include <stdio.h>
#include "util.h"
#include "data.h"

#define CLI_PROJECT "Regression and Mixed Models from First Principles"
#define CLI_VERSION "0.1"

typedef enum { CLI_FLAG, CLI_NUMBER, CLI_INTEGER, CLI_WORD } cli_kind;

typedef struct cli_option {
    const char *name;           /* "boot" for --boot; NULL ends a table */
    cli_kind kind;
    void *value;                /* int *, double *, long long * or const char ** */
    const char *metavar;        /* "B" in "--boot B" */
    const char *help;           /* one line for --help */
    double lo, hi;              /* numbers and integers: the accepted range */
    int open;                   /* numbers: lo and hi themselves are excluded */
    const char *expect;         /* "an integer >= 1": what an error message says */
    const char *const *words;   /* words: the accepted ones, NULL-terminated */
} cli_option;

typedef struct cli_program {
    const char *name;           /* "ols" */
    const char *purpose;        /* one line for --help */
    const cli_option *options;  /* the program's own options, or NULL */
} cli_program;

typedef struct cli_args {
    const char *formula, *data; /* the positional arguments */
    int json, help, version;
    double level;               /* default 0.95 */
    const char *contrasts;      /* --contrasts: "treatment" (default), "sum", "helmert" */
    const char *sep, *dec;      /* --sep, --dec: default "," and "." */
    double max_input;           /* --max-input, in MB */
} cli_args;

/* Parse argv (argc >= 1) by prog's options into a (pointers into argv); ST_EINPUT on bad usage */
int cli_parse(st_error *e, const cli_program *prog, int argc, char *const *argv,
              cli_args *a);
/* Print prog's --help text on out */
void cli_usage(FILE *out, const cli_program *prog);
/* Print prog's --version line on out */
void cli_version(FILE *out, const cli_program *prog);
/* Open path for writing (option names it in messages) into *out, fclosed by cli_close_output */
int cli_open_output(st_error *e, const char *option, const char *path, FILE **out);
/* Close f (from cli_open_output) and report a write error: ST_OK or ST_EINPUT */
int cli_close_output(st_error *e, const char *option, const char *path, FILE *f);
#define CLI_NDATA_OPTIONS 3     /* the common options above */
/* Read a's DATA with --sep, --dec and --max-input into *out (df_free it) */
int cli_read_data(st_error *e, const cli_args *a, df_frame **out);
/* Add a's non-default sep and dec to the "read.csv(...)" call in call[size], in place */
void cli_call_read_options(char *call, size_t size, const cli_args *a);
#endif
