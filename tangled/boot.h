#line 583 "chunks/boot.nw"
#ifndef BOOT_H
#define BOOT_H
#include <stdint.h>
#include <stdio.h>
#include "json.h"
#include "util.h"

typedef enum { BOOT_PAIRS, BOOT_RESIDUAL, BOOT_WILD } boot_type;
extern const char *const boot_type_name[3];    /* "pairs", "residual", "wild" */

typedef struct boot_spec {
    boot_type type;
    long long replicates;    /* B >= 1 */
    uint64_t seed;
    int threads;             /* >= 1 */
    double level;            /* confidence level, in (0, 1) */
} boot_spec;

#line 619 "chunks/boot.nw"
typedef struct boot_result {
    boot_spec spec;
    int n, p;
    double *estimate;         /* p: the coefficients of the data, NaN if aliased */
    double *star;             /* B x p: star[b * p + j], NaN if not estimable */
    long long rank_deficient; /* replicates whose design lost rank */
    long long *used;          /* p: replicates in which coefficient j is finite */
    double *z0, *accel;       /* p: BCa's bias correction and acceleration */
    double *percentile, *basic, *bca;   /* 2p: [2j] lower and [2j+1] upper end */
} boot_result;
#line 632 "chunks/boot.nw"
int boot_run(st_error *e, const double *X, const double *y, int n, int p,
             const boot_spec *spec, boot_result **out);
void boot_result_free(boot_result *r);
#line 648 "chunks/boot.nw"
double boot_quantile(double *t, long long m, double alpha);
double boot_acceleration(const double *jack, int n, double theta);
double boot_bca_level(double z0, double a, double alpha);
#line 671 "chunks/boot.nw"
int boot_print(FILE *out, const boot_result *r, const char *const *terms,
               const double *t_low, const double *t_high);
void boot_json_member(js_writer *w, const boot_result *r, const char *const *terms);
#line 603 "chunks/boot.nw"
#endif
