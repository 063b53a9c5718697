#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include "numutil.h"

void st_select(double *t, long long m, long long k)
{
    assert(t != NULL && 0 <= k && k < m);
    long long lo = 0, hi = m - 1;
    while (lo < hi) {
        double a = t[lo], b = t[lo + (hi - lo) / 2], c = t[hi];
        double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        long long i = lo, j = hi;
        while (i <= j) {
            while (t[i] < pivot)
                i++;
            while (t[j] > pivot)
                j--;
            if (i <= j) {
                double x = t[i];
                t[i++] = t[j];
                t[j--] = x;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

int st_cmp_double(const void *a, const void *b)
{
    assert(a != NULL);
    assert(b != NULL);
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double st_quantile7(const double *sorted, int n, double prob)
{
    assert(sorted != NULL);
    double h = (n - 1) * prob;
    int lo = (int)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

int st_quartiles(const double *x, int n, double scale, double q[5])
{
    double *s = malloc((size_t)n * sizeof *s);
    if (s == NULL) {
        for (int k = 0; k < 5; k++)
            q[k] = NAN;
        return -1;
    }
    for (int i = 0; i < n; i++)
        s[i] = x[i] * scale;
    qsort(s, (size_t)n, sizeof *s, st_cmp_double);
    for (int k = 0; k < 5; k++)
        q[k] = st_quantile7(s, n, k / 4.0);
    free(s);
    return 0;
}

uint64_t st_hash(const char *s)
{
    assert(s != NULL);
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}
