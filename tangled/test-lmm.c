#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#include <nlopt.h>
#include "blocked.h"
#include "data.h"
#include "lmm.h"
#include "numutil.h"
#include "optim.h"
#include "runner.h"
#include "testing.h"
#include "testalloc.h"       /* replaces malloc: tst_check_allocations */

static unsigned long long rng_state = 88172645463325252ULL;
static double uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double rel_diff(double a, double b)
{
    return fabs(a - b) / (fabs(b) > 1e-300 ? fabs(b) : 1.0);
}
static frm_model *make_model(const df_frame *df, const char *yname, const char *xname,
                             const char *gname, int slope, int uncorrelated)
{
    int n = df->nrow, iy = df_column_index(df, yname), ix = df_column_index(df, xname);
    int ig = df_column_index(df, gname);
    frm_model *m = calloc(1, sizeof *m);
    m->formula = strdup("test");
    m->response = strdup(yname);
    m->ycols = 1;
    m->n = n;
    m->p = 2;
    m->y = malloc(n * sizeof(double));
    m->X = malloc(2 * (size_t)n * sizeof(double));
    m->colnames = malloc(2 * sizeof(char *));
    m->colnames[0] = strdup("(Intercept)");
    m->colnames[1] = strdup(xname);
    m->intercept = 1;
    m->row = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) {
        m->y[i] = df->col[iy].num[i];
        m->X[i] = 1;
        m->X[i + n] = df->col[ix].num[i];
        m->row[i] = i;
    }
    m->nre = 1;
    m->re = calloc(1, sizeof *m->re);
    frm_reterm *t = &m->re[0];
    t->group = strdup(gname);
    t->q = slope ? 2 : 1;
    t->uncorrelated = uncorrelated;
    t->Z = malloc((size_t)n * t->q * sizeof(double));
    t->colnames = malloc(t->q * sizeof(char *));
    t->colnames[0] = strdup("(Intercept)");
    if (slope)
        t->colnames[1] = strdup(xname);
    for (int i = 0; i < n; i++) {
        t->Z[i] = 1;
        if (slope)
            t->Z[i + n] = df->col[ix].num[i];
    }
    t->g = malloc(n * sizeof(int));
    if (df->col[ig].kind == DF_FACTOR) {
        t->nlevels = df->col[ig].nlevels;
        t->levels = malloc(t->nlevels * sizeof(char *));
        for (int l = 0; l < t->nlevels; l++)
            t->levels[l] = strdup(df->col[ig].levels[l]);
        memcpy(t->g, df->col[ig].code, n * sizeof(int));
    } else {
        double *v = malloc(n * sizeof(double));
        memcpy(v, df->col[ig].num, n * sizeof(double));
        qsort(v, n, sizeof(double), st_cmp_double);
        int nl = 0;
        for (int i = 0; i < n; i++)
            if (i == 0 || v[i] != v[i - 1])
                v[nl++] = v[i];
        t->nlevels = nl;
        t->levels = malloc(nl * sizeof(char *));
        for (int l = 0; l < nl; l++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%g", v[l]);
            t->levels[l] = strdup(buf);
        }
        for (int i = 0; i < n; i++) {
            int lo = 0, hi = nl - 1;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (v[mid] < df->col[ig].num[i]) lo = mid + 1; else hi = mid;
            }
            t->g[i] = lo;
        }
        free(v);
    }
    return m;
}

static void free_model(frm_model *m)
{
    for (int k = 0; k < m->nre; k++) {
        frm_reterm *t = &m->re[k];
        for (int l = 0; l < t->nlevels; l++)
            free(t->levels[l]);
        for (int c = 0; c < t->q; c++)
            free(t->colnames[c]);
        free(t->group); free(t->levels); free(t->g); free(t->Z); free(t->colnames);
    }
    for (int j = 0; j < m->p; j++)
        free(m->colnames[j]);
    free(m->re); free(m->colnames); free(m->X); free(m->y); free(m->row);
    free(m->formula); free(m->response); free(m);
}
static int print_summary(FILE *out, const void *r)
{
    return lmm_print(out, r, "sleepstudy");
}

static int print_ranef(FILE *out, const void *re)
{
    return re_print_ranef(out, re);
}
enum { TB_N = 300, TB_K = 3, TB_P = 3 };

static void dense_reference(const blk_term *t, const double *theta, const double *X,
                            const double *y, const double *w, double *ld, double *ldx,
                            double *r2, double *beta, double *u)
{
    int q = 0, n = TB_N, p = TB_P;
    int off[TB_K + 1] = { 0 }, thoff[TB_K + 1] = { 0 };
    for (int k = 0; k < TB_K; k++) {
        off[k + 1] = off[k] + t[k].nlevels * t[k].q;
        thoff[k + 1] = thoff[k] + t[k].q * (t[k].q + 1) / 2;
    }
    q = off[TB_K];
    int m = q + p + 1;
    double *M = calloc((size_t)n * m, sizeof *M), *A = calloc((size_t)m * m, sizeof *A);
    for (int i = 0; i < n; i++) {
        double sw = sqrt(w ? w[i] : 1.0);
        for (int k = 0; k < TB_K; k++) {
            int qk = t[k].q;
            double lam[16] = { 0 };
            for (int c = 0, x = thoff[k]; c < qk; c++)
                for (int r = c; r < qk; r++)
                    lam[r + c * qk] = theta[x++];
            for (int c = 0; c < qk; c++) {
                double sum = 0;
                for (int r = 0; r < qk; r++)
                    sum += t[k].Z[i + r * n] * lam[r + c * qk];
                M[i + (size_t)(off[k] + t[k].g[i] * qk + c) * n] = sw * sum;
            }
        }
        for (int c = 0; c < p; c++)
            M[i + (size_t)(q + c) * n] = sw * X[i + c * n];
        M[i + (size_t)(q + p) * n] = sw * y[i];
    }
    for (int a = 0; a < m; a++)
        for (int b = 0; b <= a; b++) {
            double sum = a == b && a < q ? 1.0 : 0.0;
            for (int i = 0; i < n; i++)
                sum += M[i + (size_t)a * n] * M[i + (size_t)b * n];
            A[a + (size_t)b * m] = sum;
        }
    LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', m, A, m);
    *ld = *ldx = 0;
    for (int a = 0; a < q; a++)
        *ld += 2 * log(A[a + (size_t)a * m]);
    for (int a = q; a < q + p; a++)
        *ldx += 2 * log(A[a + (size_t)a * m]);
    *r2 = A[(m - 1) + (size_t)(m - 1) * m] * A[(m - 1) + (size_t)(m - 1) * m];
    double *sol = malloc((size_t)(m - 1) * sizeof *sol);
    for (int a = 0; a < m - 1; a++)
        sol[a] = A[(m - 1) + (size_t)a * m];
    for (int a = m - 2; a >= 0; a--) {
        for (int b = a + 1; b < m - 1; b++)
            sol[a] -= A[b + (size_t)a * m] * sol[b];
        sol[a] /= A[a + (size_t)a * m];
    }
    memcpy(u, sol, (size_t)q * sizeof *u);
    memcpy(beta, sol + q, (size_t)p * sizeof *beta);
    free(sol); free(M); free(A);
}

static void test_blocked(void)
{
    int n = TB_N, nl[TB_K] = { 40, 9, 5 }, qs[TB_K] = { 2, 1, 3 };
    int *g[TB_K];
    double *Z[TB_K], X[TB_N * TB_P], y[TB_N], w[TB_N];
    blk_term t[TB_K];
    for (int k = 0; k < TB_K; k++) {
        g[k] = malloc(n * sizeof(int));
        Z[k] = malloc((size_t)n * qs[k] * sizeof(double));
        for (int i = 0; i < n; i++) {
            g[k][i] = i < nl[k] ? i : (int)(uniform() * nl[k]);
            Z[k][i] = 1.0;
            for (int c = 1; c < qs[k]; c++)
                Z[k][i + c * n] = uniform() * 4 - 2;
        }
        t[k] = (blk_term){ nl[k], qs[k], g[k], Z[k] };
    }
    for (int i = 0; i < n; i++) {
        X[i] = 1;
        X[i + n] = uniform();
        X[i + 2 * n] = uniform() * uniform();
        y[i] = uniform() * 10 + X[i + n] * 3;
        w[i] = 0.2 + uniform();
    }
    st_error e = { 0 };
    blk_system *s;
    tst_check(blk_create(&e, n, TB_K, t, TB_P, &s) == ST_OK, "blk_create (%s)", e.msg);
    tst_check(blk_ntheta(s) == 3 + 1 + 6 && blk_nre(s) == 80 + 9 + 15,
              "10 parameters and 104 random effects");
    double theta[10] = { 0.9, -0.3, 0.5, 1.3, 0.7, 0.2, -0.4, 0.6, 0.1, 0.8 };
    for (int weighted = 0; weighted < 2; weighted++) {
        const double *wt = weighted ? w : NULL;
        double ld, ldx, r2, beta[TB_P], u[104], bb[TB_P], ub[104], b[104];
        blk_crossprod(&e, s, X, y, wt);
        int status = blk_factor(s, theta);
        dense_reference(t, theta, X, y, wt, &ld, &ldx, &r2, beta, u);
        blk_beta(s, bb);
        blk_modes(s, bb, ub, b);
        double du = 0, db = 0;
        for (int a = 0; a < 104; a++)
            du = fmax(du, fabs(u[a] - ub[a]));
        for (int a = 0; a < TB_P; a++)
            db = fmax(db, rel_diff(bb[a], beta[a]));
        tst_check(status == 0 && rel_diff(blk_logdet(s), ld) < 1e-12
                  && rel_diff(blk_logdet_x(s), ldx) < 1e-12 && rel_diff(blk_pwrss(s), r2) < 1e-11,
                  "%s blocked log-determinants and r^2 agree with the dense factor "
                  "(%.3g %.3g %.3g)", weighted ? "weighted:" : "unweighted:",
                  rel_diff(blk_logdet(s), ld), rel_diff(blk_logdet_x(s), ldx),
                  rel_diff(blk_pwrss(s), r2));
        tst_check(db < 1e-10 && du < 1e-10, "%s blocked beta and modes agree "
                  "(%.3g, %.3g)", weighted ? "weighted:" : "unweighted:", db, du);
    }
    blk_free(s);
    for (int k = 0; k < TB_K; k++) {
        free(g[k]);
        free(Z[k]);
    }
}
static void test_sleepstudy(void)
{
    st_error e = { 0 };
    df_frame *df;
    if (!tst_check(df_read(&e, "sleepstudy", &df) == ST_OK, "read sleepstudy (%s)", e.msg))
        return;
    frm_model *m = make_model(df, "Reaction", "Days", "Subject", 1, 0);
    static const struct { int reml; double crit, theta[3], beta[2], se[2]; } ref[2] = {
        { 1, 1743.6282719584906, { 0.96673289359054138, 0.015169067546048834,
          0.23090959201810426 }, { 251.405104848484, 10.467285959596424 },
          { 6.82455626155296, 1.5457888928884913 } },
        { 0, 1751.939344463198, { 0.92922555514802618, 0.018165725904731686,
          0.22264541593452947 }, { 251.40510484848568, 10.467285959596341 },
          { 6.6322771855193183, 1.5022367467221993 } } };
    for (int c = 0; c < 2; c++) {
        lmm_options opt = { ref[c].reml, 0.95, 0, NULL };
        lmm_result *r;
        if (!tst_check(lmm_fit(&e, m, &opt, &r) == ST_OK, "fit sleepstudy (%s)", e.msg))
            continue;
        double dt = 0, db = 0;
        for (int i = 0; i < 3; i++)
            dt = fmax(dt, fabs(r->re.theta[i] - ref[c].theta[i]));
        for (int i = 0; i < 2; i++)
            db = fmax(db, fmax(rel_diff(r->beta[i], ref[c].beta[i]),
                               rel_diff(r->se[i], ref[c].se[i])));
        tst_check(r->criterion - ref[c].crit < 1e-9 * ref[c].crit
                  && fabs(r->criterion - ref[c].crit) < 1e-6 * ref[c].crit,
                  "%s criterion %.10f as lme4's %.10f", c ? "ML" : "REML", r->criterion,
                  ref[c].crit);
        tst_check(dt < 1e-4 && db < 1e-6, "%s theta, beta and standard errors as lme4's "
                  "(%.2g, %.2g)", c ? "ML" : "REML", dt, db);
        tst_check(r->converged && !r->singular && r->re.ngroups == 1
                  && r->re.group_levels[0] == 18,
                  "converged, not singular, 18 subjects");
        if (c == 0) {
            {
                static const char want[] =
                    "Linear mixed model fit by REML ['lmerMod']\n"
                    "Formula: test\n"
                    "   Data: sleepstudy\n"
                    "\n"
                    "REML criterion at convergence: 1743.6\n"
                    "\n"
                    "Scaled residuals: \n"
                    "    Min      1Q  Median      3Q     Max \n"
                    "-3.9536 -0.4634  0.0231  0.4634  5.1793 \n"
                    "\n"
                    "Random effects:\n"
                    " Groups   Name        Variance Std.Dev. Corr\n"
                    " Subject  (Intercept) 612.09   24.740       \n"
                    "          Days         35.07    5.922   0.07\n"
                    " Residual             654.94   25.592       \n"
                    "Number of obs: 180, groups:  Subject, 18\n"
                    "\n"
                    "Fixed effects:\n"
                    "            Estimate Std. Error t value\n"
                    "(Intercept)  251.405      6.825  36.838\n"
                    "Days          10.467      1.546   6.771\n"
                    "\n"
                    "Correlation of Fixed Effects:\n"
                    "     (Intr)\n"
                    "Days -0.138\n";
                char *text = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&text, &len);
                lmm_print(f, r, "sleepstudy");
                fclose(f);
                size_t k = 0;
                while (k < len && text[k] == want[k])
                    k++;
                tst_check(strcmp(text, want) == 0, "the summary is lme4's, character for character "
                          "(first difference at byte %zu: \"%.40s\")", k, text + k);
                free(text);
            }
            tst_check_allocations("lmm_print of sleepstudy", print_summary, r);
            tst_check_allocations("re_print_ranef of sleepstudy", print_ranef, &r->re);
        }
        lmm_free(r);
    }
    free_model(m);
    df_free(df);
}
static void test_satterthwaite(void)
{
    st_error e = { 0 };
    df_frame *df;
    if (df_read(&e, "sleepstudy", &df) != ST_OK)
        return;
    frm_model *m = make_model(df, "Reaction", "Days", "Subject", 1, 0);
    static const struct { int reml; double df[2], p_days; } ref[2] = {
        { 1, { 17.00000174, 17.00000017 }, 3.2638244699273644e-06 },
        { 0, { 17.99999700, 18.00000100 }, 1.652413502e-06 } };
    for (int c = 0; c < 2; c++) {
        lmm_options opt = { ref[c].reml, 0.95, 1, NULL };
        lmm_result *r;
        if (!tst_check(lmm_fit(&e, m, &opt, &r) == ST_OK, "fit with Satterthwaite (%s)", e.msg))
            continue;
        tst_check(r->satterthwaite && rel_diff(r->df[0], ref[c].df[0]) < 1e-5
                  && rel_diff(r->df[1], ref[c].df[1]) < 1e-5
                  && rel_diff(r->p_value[1], ref[c].p_days) < 1e-4,
                  "%s: Satterthwaite's df %.8f and %.8f and p %.6g as lmerTest's", c ? "ML" : "REML",
                  r->df[0], r->df[1], r->p_value[1]);
        lmm_free(r);
    }
    free_model(m);
    df_free(df);
}
static void test_trace(void)
{
    st_error e = { 0 };
    df_frame *df;
    if (df_read(&e, "sleepstudy", &df) != ST_OK)
        return;
    frm_model *m = make_model(df, "Reaction", "Days", "Subject", 1, 0);
    for (int reml = 1; reml >= 0; reml--) {
        FILE *f = tmpfile();
        lmm_options opt = { reml, 0.95, 0, f };
        lmm_result *r = NULL;
        if (!tst_check(f != NULL && lmm_fit(&e, m, &opt, &r) == ST_OK, "fit with a trace (%s)",
                       e.msg)) {
            if (f)
                fclose(f);
            continue;
        }
        char line[512], header[512] = "";
        long rows = 0, numbered = 1;
        double last = NAN;
        rewind(f);
        if (fgets(header, sizeof header, f) == NULL)
            header[0] = '\0';
        while (fgets(line, sizeof line, f) != NULL) {
            rows++;
            numbered &= strtol(line, NULL, 10) == rows;
            last = strtod(strrchr(line, ',') + 1, NULL);
        }
        fclose(f);
        tst_check(strcmp(header, "evaluation,theta1,theta2,theta3,criterion\n") == 0
                  && rows == r->evaluations && numbered && last == r->criterion,
                  "%s: the trace has its header and %ld rows numbered from 1 for %ld "
                  "evaluations, the last at the criterion %.17g (%.17g)", reml ? "REML" : "ML",
                  rows, r->evaluations, last, r->criterion);
        lmm_free(r);
    }
    free_model(m);
    df_free(df);
}
static void test_control(void)
{
    st_error e = { 0 };
    df_frame *df;
    if (df_read(&e, "sleepstudy", &df) != ST_OK)
        return;
    frm_model *m = make_model(df, "Reaction", "Days", "Subject", 1, 0);
    lmm_options opt = { 1, 0.95, 0, NULL };
    lmm_control few = *lmm_default_control(), loose = *lmm_default_control();
    few.fit.maxeval = 5;
    loose.fit.ftol_rel = 1e-4;
    lmm_result *r[3] = { NULL, NULL, NULL };
    int status = lmm_fit(&e, m, &opt, &r[0]);
    if (status == ST_OK)
        status = lmm_fit_control(&e, m, &opt, &few, &r[1]);
    if (status == ST_OK)
        status = lmm_fit_control(&e, m, &opt, &loose, &r[2]);
    if (tst_check(status == ST_OK, "fits with three controls (%s)", e.msg)) {
        tst_check(!r[1]->converged && r[1]->nlopt_status == NLOPT_MAXEVAL_REACHED
                  && r[1]->control.fit.maxeval == 5 && r[0]->converged,
                  "maxeval 5: not converged, status %d (the defaults: converged)",
                  r[1]->nlopt_status);
        tst_check(r[2]->evaluations < r[0]->evaluations, "ftol_rel 1e-4: %ld evaluations, "
                  "fewer than the defaults' %ld", r[2]->evaluations, r[0]->evaluations);
    }
    for (int k = 0; k < 3; k++)
        lmm_free(r[k]);
    free_model(m);
    df_free(df);
}
static void expect_fit_error(frm_model *m, int status, const char *msg)
{
    st_error e = { 0 };
    lmm_result *r = NULL;
    lmm_options opt = { 1, 0.95, 0, NULL };
    int got = lmm_fit(&e, m, &opt, &r);
    tst_check(got == status && r == NULL && strcmp(e.msg, msg) == 0,
              "error \"%s\" (got %d, \"%s\")", msg, got, e.msg);
    lmm_free(r);
}

static void test_errors(void)
{
    st_error e = { 0 };
    df_frame *df;
    if (df_read(&e, "sleepstudy", &df) != ST_OK)
        return;
    frm_model *m = make_model(df, "Reaction", "Days", "Subject", 1, 0);
    int n = m->n, *g = m->re[0].g;
    int *save = malloc(n * sizeof(int));
    memcpy(save, g, n * sizeof(int));
    for (int i = 0; i < n; i++)
        g[i] = 3;
    expect_fit_error(m, ST_EFIT, "grouping factor \"Subject\" has only one level in the data: "
                     "a random effect needs at least two levels");
    for (int i = 0; i < n; i++)
        g[i] = i % 18;
    m->n = 18;
    expect_fit_error(m, ST_EFIT, "grouping factor \"Subject\" has 18 levels for 18 observations: "
                     "it must have fewer levels than observations, or its variance cannot be "
                     "told from the residual variance");
    m->n = 30;
    expect_fit_error(m, ST_EFIT, "the random-effects term for \"Subject\" ((Intercept), ...) has "
                     "36 random effects for 30 observations: its variances cannot be told from "
                     "the residual variance");
    m->n = n;
    memcpy(g, save, n * sizeof(int));
    free(save);
    m->nre = 0;
    expect_fit_error(m, ST_EINPUT, "formula test has no random-effects term such as (1 | g) "
                     "(for a regression without random effects use ols)");
    m->nre = 1;
    double save_y = m->y[7];
    m->y[7] = INFINITY;
    expect_fit_error(m, ST_EINPUT, "observation 8: the response Reaction is not finite (inf)");
    tst_check(lmm_check_finite(&e, m, df) == ST_EINPUT
              && strcmp(e.msg, "sleepstudy:9: Reaction is Inf: a linear mixed model needs "
                        "finite values") == 0, "lmm_check_finite names the line (%s)", e.msg);
    m->y[7] = save_y;
    free_model(m);
    df_free(df);
}
typedef struct ts_quad {
    long calls;
} ts_quad;

static double ts_quadratic(void *data, const double *x)
{
    ((ts_quad *)data)->calls++;
    return (x[0] - 1) * (x[0] - 1) + (x[1] + 2) * (x[1] + 2);
}

typedef struct ts_sum {
    double *slot;
    int fail_from;           /* a thread whose first item is at least this fails */
} ts_sum;

static int ts_square(st_error *e, void *shared, long long from, long long to, int index)
{
    ts_sum *s = shared;
    if (from >= s->fail_from && from < to)
        return st_fail(e, ST_EFIT, "thread %d failed", index);
    for (long long i = from; i < to; i++)
        s->slot[i] = (double)i * (double)i;
    return ST_OK;
}

static double ts_run(int threads, long long count, int fail_from, st_error *e, int *status)
{
    double *slot = calloc((size_t)count, sizeof *slot), sum = 0;
    ts_sum s = { slot, fail_from };
    *status = slot ? run_threads(e, threads, count, ts_square, &s, "test") : ST_EFIT;
    for (long long i = 0; slot && i < count; i++)
        sum += slot[i];
    free(slot);
    return sum;
}

static void test_shared(void)
{
    opt_control c = { .ftol_abs = 1e-14, .xtol_abs = 1e-10, .maxeval = 1000 };
    double x[2] = { 0, 0 }, lower[2] = { -HUGE_VAL, -1 };
    ts_quad q = { 0 };
    opt_outcome out;
    st_error e = { 0 };
    int st = opt_bobyqa(&e, &c, ts_quadratic, &q, 2, lower, NULL, NULL, x, &out);
    tst_check(st == ST_OK && out.code > 0 && fabs(x[0] - 1) < 1e-6 && fabs(x[1] + 1) < 1e-9
              && out.fmin < 1 + 1e-10,
              "opt_bobyqa: minimum at (%g, %g), f %g, code %d", x[0], x[1], out.fmin, out.code);
    tst_check(out.evaluations == q.calls && q.calls > 0,
              "opt_bobyqa: %ld evaluations reported, %ld made", out.evaluations, q.calls);
    double want = 0;
    for (long long i = 0; i < 10000; i++)
        want += (double)i * (double)i;
    int s1, s3, s64, s10;
    double a = ts_run(1, 10000, 1 << 30, &e, &s1), b = ts_run(3, 10000, 1 << 30, &e, &s3),
           d = ts_run(64, 10000, 1 << 30, &e, &s64);
    tst_check(s1 == ST_OK && s3 == ST_OK && s64 == ST_OK && a == want && b == want && d == want,
              "run_threads: the same sum on 1, 3 and 64 threads (%g %g %g)", a, b, d);
    double f = ts_run(64, 10, 1 << 30, &e, &s10);
    double want10 = 285;
    tst_check(s10 == ST_OK && f == want10, "run_threads: 10 items on 64 threads (%g)", f);
    e = (st_error){ 0 };
    ts_run(4, 100, 50, &e, &st);
    tst_check(st == ST_EFIT && strcmp(e.msg, "thread 2 failed") == 0,
              "run_threads: the first failing thread's error (%d, \"%s\")", st, e.msg);
}

int main(void)
{
    tst_plan(40);
    test_blocked();
    test_sleepstudy();
    test_satterthwaite();
    test_trace();
    test_control();
    test_errors();
    test_shared();
    return tst_done();
}
