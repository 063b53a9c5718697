#ifndef RNAMES_H
#define RNAMES_H
/* R's coefficient names: {formula, names joined by |} on the small data set of the formula
   tests, and {data set, formula, names} on the shipped data sets; each list ends with NULLs. */
extern const char *const r_names[][2];
extern const char *const r_dataset_names[][3];
#endif
