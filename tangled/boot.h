#ifndef BOOT_H
#define BOOT_H
#include <stdint.h>
#include <stdio.h>
#include "json.h"
#include "util.h"

typedef enum { BOOT_PAIRS, BOOT_RESIDUAL, BOOT_WILD } boot_type;
extern const char *const boot_type_name[3];    /* "pairs", "residual", "wild" */
typedef enum { BOOT_F_NONE, BOOT_F_ZERO, BOOT_F_MEAN } boot_f_null;

typedef struct boot_spec {
    boot_type type;
    long long replicates;    /* B >= 1 */
    uint64_t seed;
    int threads;             /* >= 1 */
    double level;            /* confidence level, in (0, 1) */
    boot_f_null f_null;      /* the F test's null model: none (no test), zero, the mean */
} boot_spec;

typedef struct boot_result {
    boot_spec spec;
    int n, p;
    double *estimate;         /* p: the coefficients of the data, NaN if aliased */
    double *star;             /* B x p: star[b * p + j], NaN if not estimable */
    long long rank_deficient; /* replicates whose design lost rank */
    long long *used;          /* p: replicates in which coefficient j is finite */
    double *z0, *accel;       /* p: BCa's bias correction and acceleration */
    double *se;               /* p: standard errors of the data's fit, NaN if aliased */
    double *se_star;          /* B x p: the replicates' standard errors, NaN as in star */
    double *percentile, *basic, *bca, *studentized;   /* 2p: [2j] lower, [2j+1] upper end */
    double f_stat, f_df[2];   /* the data's F statistic and its degrees of freedom */
    double *f_star;           /* B: F of the null model's replicates (NULL without a test) */
    long long f_exceed, f_used;   /* replicates with F* >= F; replicates with finite F* */
    double f_p_value;         /* (1 + f_exceed) / (f_used + 1); NaN without a test */
    const char *progress;     /* NULL, or the program's name for progress lines */
} boot_result;
/* The bootstrap of ols on X (n x p), y by spec into *out (boot_result_free); *out NULL on error */
int boot_run(st_error *e, const double *X, const double *y, int n, int p,
             const boot_spec *spec, boot_result **out);
/* As boot_run; progress NULL or the program's name for progress lines on standard error */
int boot_run_progress(st_error *e, const double *X, const double *y, int n, int p,
                      const boot_spec *spec, const char *progress, boot_result **out);
/* Free r and everything it owns; NULL is a no-op */
void boot_result_free(boot_result *r);
/* The u-quantile (0 < u < 1) of t[0..m) as boot.ci's norm.inter takes it; reorders t, m >= 1 */
double boot_quantile(double *t, long long m, double u);
/* BCa's acceleration from the n jackknife values jack around theta; NaN if they are all equal */
double boot_acceleration(const double *jack, int n, double theta);
/* BCa's adjusted level for bias correction z0, acceleration a and level u in (0, 1) */
double boot_bca_level(double z0, double a, double u);
/* Bootstrap-t interval into out[2] from the m t-values t (reordered), theta, se, level */
void boot_studentized(double *t, long long m, double theta, double se, double level,
                      double out[2]);
/* The t*_b of coefficient j (0 <= j < r->p) of r into t (B values); returns how many */
long long boot_t_star(const boot_result *r, int j, double *t);
/* The F statistic of columns d..k-1 from Q'y (qty, n values); NaN unless d < k < n */
double boot_f_from_qty(const double *qty, int n, int k, int d);
/* Standard deviation of boot_quantile(t, m, u) by the Maritz-Jarrett band; reorders t */
double boot_quantile_sd(double *t, long long m, double u);
/* Print normal-t ends t_low, t_high (p each) and r's intervals, p names terms, with rerun
   (the options that repeat the run, or NULL) after the seed; 0, or -1 when out of memory */
int boot_print(FILE *out, const boot_result *r, const char *const *terms,
               const double *t_low, const double *t_high, const char *rerun);
/* The fewest replicates for which the order statistics of level are not extreme */
long long boot_min_replicates(double level);
/* Print boot.ci's warnings for r on err, prefixed program; the number of lines printed */
int boot_warn(FILE *err, const char *program, const boot_result *r,
              const char *const *terms);
/* Write the "bootstrap" member of r with the p names terms to w */
void boot_json_member(js_writer *w, const boot_result *r, const char *const *terms);
#endif
