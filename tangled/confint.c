#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "confint.h"
#include "rformat.h"

int ci_table_new(st_error *e, int n, const char *method, double level, ci_table **out)
{
    assert(e != NULL);
    assert(out != NULL);
    assert(n >= 0);
    ci_table *t = st_alloc(e, 1, sizeof *t);
    *out = NULL;
    if (t == NULL)
        return e->status;
    t->method = method;
    t->level = level;
    t->n = n;
    t->names = st_alloc(e, (size_t)n + 1, sizeof *t->names);
    t->low = st_alloc(e, (size_t)n + 1, sizeof *t->low);
    t->high = st_alloc(e, (size_t)n + 1, sizeof *t->high);
    if (t->names == NULL || t->low == NULL || t->high == NULL) {
        ci_table_free(t);
        return e->status;
    }
    *out = t;
    return ST_OK;
}

void ci_table_free(ci_table *t)
{
    if (t == NULL)
        return;
    for (int i = 0; t->names != NULL && i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->low);
    free(t->high);
    free(t);
}
int ci_print(FILE *out, const ci_table *t)
{
    assert(out != NULL);
    assert(t != NULL);
    double a = (1 - t->level) / 2, pct[2] = { 100 * a, 100 * (1 - a) };
    rf_text txt[2];
    char lo[80], hi[80];
    rf_format_ext(txt, pct, 2, 3, 100, 1);
    snprintf(lo, sizeof lo, "%s %%", txt[0].s);
    snprintf(hi, sizeof hi, "%s %%", txt[1].s);
    const char *cols[2] = { lo, hi };
    double *x = malloc(((size_t)t->n * 2 + 1) * sizeof *x);
    if (x == NULL)
        return -1;
    for (int j = 0; j < t->n; j++) {
        x[j] = isnan(t->low[j]) ? rf_na() : t->low[j];
        x[j + t->n] = isnan(t->high[j]) ? rf_na() : t->high[j];
    }
    int status = rf_print_matrix(out, x, t->n, 2, (const char *const *)t->names, cols, 7);
    free(x);
    return status;
}

void ci_json(js_writer *w, const ci_table *t)
{
    assert(w != NULL);
    assert(t != NULL);
    js_key_string(w, "confint_method", t->method);
    js_key(w, "confint");
    js_array_begin(w, 0);
    for (int j = 0; j < t->n; j++) {
        js_object_begin(w, 1);
        js_key_string(w, "parameter", t->names[j]);
        js_key_number(w, "low", t->low[j]);
        js_key_number(w, "high", t->high[j]);
        js_object_end(w);
    }
    js_array_end(w);
}
int ci_boot_new(st_error *e, int n, ci_boot **out)
{
    assert(e != NULL);
    assert(out != NULL);
    assert(n >= 0);
    ci_boot *b = st_alloc(e, 1, sizeof *b);
    *out = NULL;
    if (b == NULL)
        return e->status;
    b->n = n;
    b->names = st_alloc(e, (size_t)n + 1, sizeof *b->names);
    b->estimate = st_alloc(e, (size_t)n + 1, sizeof *b->estimate);
    b->percentile = st_alloc(e, 2 * (size_t)n + 1, sizeof *b->percentile);
    b->basic = st_alloc(e, 2 * (size_t)n + 1, sizeof *b->basic);
    if (b->names == NULL || b->estimate == NULL || b->percentile == NULL || b->basic == NULL) {
        ci_boot_free(b);
        return e->status;
    }
    *out = b;
    return ST_OK;
}

void ci_boot_free(ci_boot *b)
{
    if (b == NULL)
        return;
    for (int i = 0; b->names != NULL && i < b->n; i++)
        free(b->names[i]);
    free(b->names);
    free(b->estimate);
    free(b->percentile);
    free(b->basic);
    free(b);
}

void ci_boot_json(js_writer *w, const ci_boot *b)
{
    assert(w != NULL);
    assert(b != NULL);
    js_key(w, "bootstrap");
    js_object_begin(w, 0);
    js_key_integer(w, "replicates", b->replicates);
    js_key_integer(w, "seed", (long long)b->seed);
    js_key_integer(w, "failed", b->failed);
    js_key_integer(w, "singular", b->singular);
    js_key(w, "intervals");
    js_array_begin(w, 0);
    for (int j = 0; j < b->n; j++) {
        js_object_begin(w, 1);
        js_key_string(w, "parameter", b->names[j]);
        js_key_number(w, "estimate", b->estimate[j]);
        js_key(w, "percentile");
        js_array_begin(w, 1);
        js_number(w, b->percentile[2 * j]);
        js_number(w, b->percentile[2 * j + 1]);
        js_array_end(w);
        js_key(w, "basic");
        js_array_begin(w, 1);
        js_number(w, b->basic[2 * j]);
        js_number(w, b->basic[2 * j + 1]);
        js_array_end(w);
        js_object_end(w);
    }
    js_array_end(w);
    js_object_end(w);
}
int ci_from_boot(st_error *e, const ci_boot *b, ci_table **out)
{
    assert(e != NULL);
    assert(b != NULL);
    assert(out != NULL);
    if (ci_table_new(e, b->n, "boot", b->level, out) != ST_OK)
        return e->status;
    for (int j = 0; j < b->n; j++) {
        (*out)->low[j] = b->percentile[2 * j];
        (*out)->high[j] = b->percentile[2 * j + 1];
        if (((*out)->names[j] = st_strdup(e, b->names[j])) == NULL) {
            ci_table_free(*out);
            *out = NULL;
            return e->status;
        }
    }
    return ST_OK;
}
int ci_boot_print(FILE *out, const ci_boot *b, const char *rerun)
{
    assert(out != NULL);
    assert(b != NULL);
    double a = (1 - b->level) / 2, pct[2] = { 100 * a, 100 * (1 - a) };
    rf_text txt[2];
    char c[4][96];
    rf_format_ext(txt, pct, 2, 3, 100, 1);
    snprintf(c[0], sizeof c[0], "perc %s %%", txt[0].s);
    snprintf(c[1], sizeof c[1], "perc %s %%", txt[1].s);
    snprintf(c[2], sizeof c[2], "basic %s %%", txt[0].s);
    snprintf(c[3], sizeof c[3], "basic %s %%", txt[1].s);
    const char *cols[5] = { "estimate", c[0], c[1], c[2], c[3] };
    double *x = malloc(((size_t)b->n * 5 + 1) * sizeof *x);
    if (x == NULL)
        return -1;
    for (int j = 0; j < b->n; j++) {
        double v[5] = { b->estimate[j], b->percentile[2 * j], b->percentile[2 * j + 1],
                        b->basic[2 * j], b->basic[2 * j + 1] };
        for (int k = 0; k < 5; k++)
            x[j + (size_t)k * b->n] = isnan(v[k]) ? rf_na() : v[k];
    }
    fprintf(out, "\nParametric bootstrap: %ld replicates, seed %llu%s%s%s; %ld failed, %ld "
            "singular\n", b->replicates, b->seed, rerun ? " (" : "", rerun ? rerun : "",
            rerun ? ")" : "", b->failed, b->singular);
    int status = rf_print_matrix(out, x, b->n, 5, (const char *const *)b->names, cols, 4);
    free(x);
    return status;
}
unsigned long long ci_clock_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long z = (unsigned long long)ts.tv_sec * 1000000007ULL
                           + (unsigned long long)ts.tv_nsec + (unsigned long long)getpid();
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (z ^ (z >> 31)) >> 32;
}

int ci_cores(void)
{
    long k = sysconf(_SC_NPROCESSORS_ONLN);
    return k < 1 ? 1 : k > 1024 ? 1024 : (int)k;
}
void ci_use_basic(ci_table *t, const ci_boot *b)
{
    for (int j = 0; t != NULL && b != NULL && j < t->n && j < b->n; j++) {
        t->low[j] = b->basic[2 * j];
        t->high[j] = b->basic[2 * j + 1];
    }
}
int ci_progress_wanted(int quiet, int json)
{
    return !quiet && !json && isatty(STDERR_FILENO);
}

#define CI_PROGRESS_AFTER 2.0   /* seconds of processor time */
void ci_progress(FILE *err, const char *prog, const char *what, long done, long total)
{
    assert(err != NULL);
    assert(prog != NULL);
    assert(what != NULL);
    struct timespec cpu;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0
        && (double)cpu.tv_sec + 1e-9 * (double)cpu.tv_nsec < CI_PROGRESS_AFTER)
        return;
    fprintf(err, "\r%s: %s %ld/%ld", prog, what, done, total);
    if (done >= total)
        fputc('\n', err);
    fflush(err);
}
