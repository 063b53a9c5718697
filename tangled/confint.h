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

/* A table of n >= 0 rows (names NULL, NaN ends) into *out (ci_table_free); method not copied */
int ci_table_new(st_error *e, int n, const char *method, double level, ci_table **out);
/* Free t, its names and ends; NULL is a no-op */
void ci_table_free(ci_table *t);
/* Print t as R's confint prints it on out; 0, or -1 when out of memory */
int ci_print(FILE *out, const ci_table *t);
/* Write t's "confint" and "confint_method" members to w */
void ci_json(js_writer *w, const ci_table *t);
/* A bootstrap summary of n >= 0 parameters into *out (ci_boot_free) */
int ci_boot_new(st_error *e, int n, ci_boot **out);
/* Free b and its arrays; NULL is a no-op */
void ci_boot_free(ci_boot *b);
/* Write b's "bootstrap" member to w */
void ci_boot_json(js_writer *w, const ci_boot *b);
/* The percentile intervals of b as a new table into *out (ci_table_free) */
int ci_from_boot(st_error *e, const ci_boot *b, ci_table **out);
/* The default limit of the bootstrap's replicates' memory, in megabytes */
#define CI_MAX_BOOT_MB 1024
/* Replace t's ends by b's basic intervals, row by row while both have rows; NULLs: no-op */
void ci_use_basic(ci_table *t, const ci_boot *b);
/* 1 when progress lines go to standard error: not quiet, not json, and it is a terminal */
int ci_progress_wanted(int quiet, int json);
/* Print b's bootstrap table on out, with rerun (the options that repeat it, or NULL); 0, or
   -1 when out of memory */
int ci_boot_print(FILE *out, const ci_boot *b, const char *rerun);
/* A seed from the clock, for --boot without --seed */
unsigned long long ci_clock_seed(void);
/* The number of processor cores online, at least 1 */
int ci_cores(void);
/* After 2 s of processor time, "\rprog: what done/total" on err (a newline when done) */
void ci_progress(FILE *err, const char *prog, const char *what, long done, long total);
#endif
