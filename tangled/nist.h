#ifndef NIST_H
#define NIST_H
/* NIST's linear-regression data sets: the name, the model, and the digits the tests demand. */
#define NIST_SETS 11
typedef struct nist_set {
    const char *name, *formula;
    double floor_coef, floor_se;     /* digits the tests demand of our refined fit */
} nist_set;
extern const nist_set nist_sets[NIST_SETS];

typedef struct nist_digits {
    double coef[3], se[3];           /* before refinement, after, R's */
    int p, aliased, r_aliased;       /* columns; the one we drop (-1: none); R's */
} nist_digits;

/* Fit s (tests/data/nist/NAME.csv) without and with refinement and count the digits that agree
   with the certified values, and R's (tests/reference/nist/), into d: ST_OK, or an error status
   when a file cannot be read or the model cannot be fitted. */
int nist_measure(const nist_set *s, nist_digits *d);
#endif
