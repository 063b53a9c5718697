#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <math.h>
#include "augment.h"
#include "cli.h"

static int name_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_';
}

int aug_uses_name(const char *formula, const char *name)
{
    assert(formula != NULL);
    assert(name != NULL);
    size_t len = strlen(name);
    for (const char *p = strstr(formula, name); p != NULL; p = strstr(p + 1, name))
        if ((p == formula || !name_char(p[-1])) && !name_char(p[len]))
            return 1;
    return 0;
}

static void write_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_number(FILE *f, double x)
{
    if (isnan(x))
        fputs("NA", f);
    else if (isinf(x))
        fputs(x > 0 ? "Inf" : "-Inf", f);
    else
        fprintf(f, "%.17g", x);
}

int aug_write(st_error *e, const char *path, const char *formula, const df_frame *df,
              const int *row, int n, int ncol, const char *const *names,
              const double *cols)
{
    assert(e != NULL);
    assert(path != NULL);
    assert(formula != NULL);
    assert(df != NULL);
    return aug_write_as(e, "augment", path, formula, df, row, n, ncol, names, cols);
}

int aug_write_as(st_error *e, const char *option, const char *path, const char *formula,
                 const df_frame *df, const int *row, int n, int ncol,
                 const char *const *names, const double *cols)
{
    assert(e != NULL);
    assert(option != NULL);
    assert(path != NULL);
    assert(formula != NULL);
    assert(df != NULL);
    FILE *f = NULL;
    if (cli_open_output(e, option, path, &f) != ST_OK)
        return e->status;
    int first = 1;
    for (int j = 0; j < df->ncol; j++)
        if (aug_uses_name(formula, df->col[j].name)) {
            fputs(first ? "" : ",", f);
            write_text(f, df->col[j].name);
            first = 0;
        }
    for (int c = 0; c < ncol; c++) {
        fputs(first ? "" : ",", f);
        fputs(names[c], f);
        first = 0;
    }
    fputc('\n', f);
    for (int i = 0; i < n; i++) {
        first = 1;
        for (int j = 0; j < df->ncol; j++) {
            const df_column *col = &df->col[j];
            if (!aug_uses_name(formula, col->name))
                continue;
            fputs(first ? "" : ",", f);
            first = 0;
            if (col->kind == DF_NUMERIC)
                write_number(f, col->num[row[i]]);
            else if (col->code[row[i]] < 0)
                fputs("NA", f);
            else
                write_text(f, col->levels[col->code[row[i]]]);
        }
        for (int c = 0; c < ncol; c++) {
            fputs(first ? "" : ",", f);
            first = 0;
            write_number(f, cols[i + (size_t)c * n]);
        }
        fputc('\n', f);
    }
    return cli_close_output(e, option, path, f);
}
