#ifndef NUMUTIL_H
#define NUMUTIL_H
#include <stdint.h>

/* The order of two doubles for qsort and bsearch: -1, 0 or 1 (NaN compares equal to all). */
int st_cmp_double(const void *a, const void *b);
/* R's quantile of type 7 (the default of quantile()) at prob in [0, 1] of the n >= 1 values
   of sorted, which are in increasing order. */
double st_quantile7(const double *sorted, int n, double prob);
/* The minimum, the three quartiles (type 7) and the maximum of the n >= 1 values x[i] * scale,
   into q[0..4]: 0, or -1 (and NaNs) when out of memory. */
int st_quartiles(const double *x, int n, double scale, double q[5]);
/* The 64-bit FNV-1a hash of the string s. */
uint64_t st_hash(const char *s);
/* Reorder t[0..m) so that t[k] (0 <= k < m) is its (k+1)th smallest value, the smaller
   before it and the larger after (defined in the bootstrap chapter). */
void st_select(double *t, long long m, long long k);
#endif
