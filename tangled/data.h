#ifndef DATA_H
#define DATA_H
#include "util.h"

typedef enum { DF_NUMERIC, DF_FACTOR } df_kind;

typedef struct df_column {
    char *name;          /* as R's make.names would make it */
    df_kind kind;
    double *num;         /* DF_NUMERIC: nrow values, NaN when missing */
    int *code;           /* DF_FACTOR: nrow codes in 0..nlevels-1, -1 when missing */
    int nlevels;
    char **levels;       /* DF_FACTOR: the labels, in byte order */
    long text_line;      /* DF_FACTOR: line of the first field that is not a number */
    char *text;          /*   and that field */
} df_column;

typedef struct df_frame {
    char *source;        /* the file name, "stdin", or the data set's name */
    int nrow, ncol;
    df_column *col;
    long *line;          /* line[i]: the line of the source where row i begins */
} df_frame;

/* Read arg (CSV path, "-" or a shipped data set) into *out (df_free it); NULL on error */
int df_read(st_error *e, const char *arg, df_frame **out);
/* Parse buf[0..len) (room for buf[len] = NUL; modified) as CSV into *out (df_free) */
int df_parse(st_error *e, const char *source, char *buf, size_t len, df_frame **out);
typedef struct df_options {
    char sep;              /* the field separator, as read.csv(sep =) */
    char dec;              /* the decimal point, as read.csv(dec =) */
    double max_mb;         /* the most input read, in megabytes (2^20 bytes) */
} df_options;
#define DF_MAX_INPUT_MB 1024
#define DF_OPTIONS_DEFAULT { ',', '.', DF_MAX_INPUT_MB }
/* As df_read with the options opt (non-NULL: separator, decimal mark, size limit) */
int df_read_with(st_error *e, const char *arg, const df_options *opt, df_frame **out);
/* As df_parse with the options opt; buf is the caller's, df keeps no pointer into it */
int df_parse_with(st_error *e, const char *source, char *buf, size_t len,
                  const df_options *opt, df_frame **out);
/* R's (ICU's) order of two labels, as strcmp: < 0, 0, > 0; a and b non-NULL */
int df_level_compare(const char *a, const char *b);
/* Sort the n label pointers in place in R's order (df_level_compare); labels not copied */
void df_sort_levels(const char **labels, size_t n);
/* Free df and everything it owns; NULL is a no-op */
void df_free(df_frame *df);
/* The index of the column named name in df, or -1; both non-NULL */
int df_column_index(const df_frame *df, const char *name);
/* 1 if row i (0 <= i < nrow) of column c is missing (NaN, or code -1), else 0 */
int df_missing(const df_column *c, int i);
typedef struct df_dataset {
    const char *name;
    const char *const *text;
    const char *const *levels;   /* R's order of its factors' levels, or NULL */
} df_dataset;
extern const df_dataset df_datasets[];
/* Reorder factor levels of df as the "column\tlevel..." lines of levels (NULL-ended) say */
int df_order_levels(st_error *e, df_frame *df, const char *const *levels);
#endif
