#ifndef DRIVER_H
#define DRIVER_H
#include <stdio.h>
#include "cli.h"
#include "confint.h"
#include "formula.h"

typedef struct drv_options {
    long long boot, seed, threads;  /* --boot B (0: none), --seed N (-1: from the clock),
                                       --threads N (0: one per core) */
    double max_boot_mb;             /* --max-boot-memory MB */
    const char *confint, *boot_ci;  /* --confint M, --boot-ci T, or NULL */
    int quiet, ranef;               /* --quiet, --ranef */
    const char *compare, *augment;  /* --compare FORMULA0, --augment FILE, or NULL */
    const char *predict, *out;      /* --predict NEWDATA, --out FILE, or NULL */
    const char *weights, *trace;    /* --weights COLUMN, --trace FILE, or NULL */
    FILE *trace_file;               /* --trace's file: open from the checks to the fit's end */
} drv_options;

#define DRV_OPTIONS_DEFAULT { .seed = -1, .max_boot_mb = CI_MAX_BOOT_MB }
#define DRV_END { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL }

/* The entry of the shared option NAME, its value stored in o; help NULL: the catalogue's. */
cli_option drv_option(drv_options *o, const char *name, const char *help);

typedef struct drv_program {
    const char *name, *purpose;     /* "lmm" and its line of --help */
    const cli_option *options;      /* the program's table, ended by DRV_END */
    drv_options *common;            /* the shared options the table points into */
    void *state;                    /* the program's own option variables and results */
    /* after the shared options' checks, before the formula; NULL: none */
    int (*check)(st_error *e, void *state, const cli_args *a);
    int (*flags)(const void *state);                /* frm_model_frame's flags */
    int (*fit)(st_error *e, void *state, const cli_args *a, const frm_formula *f,
               const df_frame *df, frm_model *m);
    int (*write)(st_error *e, void *state, const cli_args *a, const frm_model *m);
    void (*free)(void *state);
} drv_program;

/* The program p run on argv: its exit status, ST_OK, ST_EFIT, ST_EINPUT or ST_ENOMEM (0-3) */
int drv_main(const drv_program *p, int argc, char **argv);
/* ST_EINPUT when boot replicates of numbers values would take more than max_mb */
int ci_check_boot_memory(st_error *e, long long boot, double numbers, double max_mb);
/* "--boot B --seed S" (with "--boot-type TYPE" unless type is NULL) into buf[size]: buf */
const char *drv_rerun(char *buf, size_t size, long long boot, const char *type,
                      unsigned long long seed);
#include "lmm.h"
/* The bootstrap's specification from the options; draws the seed from the clock once
   and keeps it in o->seed, so that every bootstrap of a run has the same seed. */
lmm_boot_spec drv_boot_spec(drv_options *o, double level, int json, const char *program);
#include "nested.h"
/* Print what the options of a mixed model add to its summary: --ranef's modes of re,
   --compare's table tab (2 x 8) and test t (refitted: by ML), and the bootstrap boot and the
   intervals ci (NULL when not asked for); 0, or -1 when out of memory */
int drv_print_mixed_extras(const drv_options *o, const cli_args *a, const re_terms *re,
                           const double *tab, const nest_test *t, int refitted,
                           const ci_boot *boot, const ci_table *ci);
#endif
