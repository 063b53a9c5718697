#ifndef CONFINT_H
#define CONFINT_H
#include <stdio.h>
#include "json.h"
#include "util.h"

typedef struct ci_table {
    const char *method;     /* "wald", "profile" or "boot", as given to --confint */
    double level;
    int n;                  /* rows */
    char **names;           /* n parameter names */
    double *low, *high;     /* n each; NaN where there is no interval */
} ci_table;

typedef struct ci_boot {
    long replicates, failed, singular;
    unsigned long long seed;
    double level;
    int n;                  /* parameters */
    char **names;
    double *estimate;       /* n */
    double *percentile;     /* 2n: low, high of parameter j at 2j, 2j + 1 */
    double *basic;          /* 2n */
} ci_boot;

int ci_table_new(st_error *e, int n, const char *method, double level, ci_table **out);
void ci_table_free(ci_table *t);
int ci_print(FILE *out, const ci_table *t);
void ci_json(js_writer *w, const ci_table *t);
int ci_boot_new(st_error *e, int n, ci_boot **out);
void ci_boot_free(ci_boot *b);
void ci_boot_json(js_writer *w, const ci_boot *b);
int ci_from_boot(st_error *e, const ci_boot *b, ci_table **out);
int ci_check_options(st_error *e, long long boot, long long seed, long long threads,
                     const char *confint);
#define CI_MAX_BOOT_MB 1024
int ci_check_boot_memory(st_error *e, long long boot, double numbers, double max_mb);
int ci_check_boot_ci(st_error *e, const char *boot_ci, const char *confint);
void ci_use_basic(ci_table *t, const ci_boot *b);
int ci_progress_wanted(int quiet, int json);
int ci_boot_print(FILE *out, const ci_boot *b);
unsigned long long ci_clock_seed(void);
int ci_cores(void);
void ci_progress(FILE *err, const char *prog, const char *what, long done, long total);
#endif
