#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include <cblas.h>
#include "boot.h"
#include "data.h"
#include "formula.h"
#include "jsonr.h"
#include "numutil.h"
#include "ols.h"
#include "rng.h"
#include "runner.h"
#include "testing.h"

static frm_model *fit_model(const char *formula, const char *data)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    if (frm_parse(&e, formula, &f) == ST_OK && df_read(&e, data, &df) == ST_OK)
        frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
    if (m == NULL)
        tst_check(0, "model %s on %s: %s", formula, data, e.msg);
    df_free(df);
    frm_free(f);
    return m;
}

static boot_result *run_f(const double *X, const double *y, int n, int p, boot_type type,
                          long long B, uint64_t seed, int threads, double level,
                          boot_f_null f_null)
{
    st_error e = { 0 };
    boot_spec spec = { type, B, seed, threads, level, f_null };
    boot_result *r = NULL;
    if (boot_run(&e, X, y, n, p, &spec, &r) != ST_OK)
        tst_check(0, "boot_run: %s", e.msg);
    return r;
}

static boot_result *run(const double *X, const double *y, int n, int p, boot_type type,
                        long long B, uint64_t seed, int threads, double level)
{
    return run_f(X, y, n, p, type, B, seed, threads, level, BOOT_F_MEAN);
}

static int same_result(const boot_result *a, const boot_result *b)
{
    size_t np = (size_t)a->p, B = (size_t)a->spec.replicates;
    return memcmp(a->star, b->star, B * np * sizeof(double)) == 0
        && memcmp(a->percentile, b->percentile, 2 * np * sizeof(double)) == 0
        && memcmp(a->basic, b->basic, 2 * np * sizeof(double)) == 0
        && memcmp(a->bca, b->bca, 2 * np * sizeof(double)) == 0
        && memcmp(a->se_star, b->se_star, B * np * sizeof(double)) == 0
        && memcmp(a->studentized, b->studentized, 2 * np * sizeof(double)) == 0
        && (a->f_star == NULL) == (b->f_star == NULL)
        && (a->f_star == NULL || memcmp(a->f_star, b->f_star, B * sizeof(double)) == 0)
        && a->f_exceed == b->f_exceed && a->rank_deficient == b->rank_deficient;
}
typedef struct tb_runner {
    double *slot;        /* count: item i's square */
    int *blas;           /* threads: the BLAS's threads while block k ran */
} tb_runner;

static int tb_square(st_error *e, void *shared, long long from, long long to, int index)
{
    (void)e;
    tb_runner *s = shared;
    s->blas[index] = openblas_get_num_threads();
    for (long long i = from; i < to; i++)
        s->slot[i] = (double)i * (double)i;
    return ST_OK;
}
#define BOOT_REF_LIMIT 0.05    /* standard errors of the coefficient */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static void compare_case(const char *path)
{
    st_error e = { 0 };
    jr_value *ref = NULL;
    if (!tst_check(jr_read(&e, path, &ref) == ST_OK, "%s reads (%s)", path, e.msg))
        return;
    const char *name = jr_string(jr_get(ref, "case")), *type = jr_string(jr_get(ref, "type")),
               *formula = jr_string(jr_get(ref, "formula")), *data = jr_string(jr_get(ref, "data"));
    if (!tst_check(name && type && formula && data, "%s has case, type, formula and data", path)) {
        jr_free(ref);
        return;
    }
    double level = 0, reps = 0;
    jr_number(jr_get(ref, "level"), &level);
    jr_number(jr_get(ref, "replicates"), &reps);
    boot_type bt = strcmp(type, "residual") == 0 ? BOOT_RESIDUAL
                 : strcmp(type, "wild") == 0 ? BOOT_WILD : BOOT_PAIRS;
    frm_model *m = fit_model(formula, data);
    boot_f_null fn = m && m->intercept ? BOOT_F_MEAN : BOOT_F_ZERO;
    boot_result *r = m ? run_f(m->X, m->y, m->n, m->p, bt, (long long)reps, 20261123, 2,
                               level, fn) : NULL;
    const jr_value *coefs = jr_get(ref, "coefficients");
    double *t = r ? malloc(sizeof(double) * (size_t)reps) : NULL;
    if (r != NULL && t != NULL
        && tst_check(jr_len(coefs) == (size_t)m->p, "%s: %d coefficients", name, m->p)) {
        for (int j = 0; j < m->p; j++)
            {
                const jr_value *c = jr_at(coefs, (size_t)j);
                double est = 0, se = 1, accel = 0;
                jr_number(jr_get(c, "estimate"), &est);
                jr_number(jr_get(c, "std_error"), &se);
                tst_check(strcmp(jr_string(jr_get(c, "term")), m->colnames[j]) == 0
                          && fabs(r->estimate[j] - est) <= 1e-10 * fabs(est),
                          "%s: %s: estimate as R's", name, m->colnames[j]);
                static const char *const kind[3] = { "percentile", "basic", "bca" };
                const double *ours[3] = { r->percentile + 2 * j, r->basic + 2 * j, r->bca + 2 * j };
                for (int k = 0; k < 3; k++) {
                    const jr_value *pair = jr_get(c, kind[k]);
                    double lo, hi;
                    if (pair == NULL || jr_number(jr_at(pair, 0), &lo) != 1
                        || jr_number(jr_at(pair, 1), &hi) != 1)
                        continue;
                    double d = fmax(fabs(ours[k][0] - lo), fabs(ours[k][1] - hi)) / se;
                    tst_check(d <= BOOT_REF_LIMIT, "%s: %s: %s (%.5g, %.5g), R (%.5g, %.5g): within %.4f "
                              "<= %g standard errors", name, m->colnames[j], kind[k], ours[k][0],
                              ours[k][1], lo, hi, d, BOOT_REF_LIMIT);
                }
                if (jr_number(jr_get(c, "acceleration"), &accel) == 1)
                    tst_check(fabs(r->accel[j] - accel) <= 1e-9, "%s: %s: jackknife acceleration %.8f "
                              "as R's %.8f", name, m->colnames[j], r->accel[j], accel);
                {
                    const jr_value *pair = jr_get(c, "studentized");
                    double lo, hi;
                    if (pair != NULL && jr_number(jr_at(pair, 0), &lo) == 1
                        && jr_number(jr_at(pair, 1), &hi) == 1) {
                        long long ms = boot_t_star(r, j, t);
                        double half = (1 - level) / 2;    /* alpha/2 */
                        double sd_lo = r->se[j] * boot_quantile_sd(t, ms, 1 - half),
                               sd_hi = r->se[j] * boot_quantile_sd(t, ms, half);
                        const double *stud = r->studentized + 2 * j;
                        double z = fmax(fabs(stud[0] - lo) / (sqrt(2) * sd_lo),
                                        fabs(stud[1] - hi) / (sqrt(2) * sd_hi));
                        tst_check(z <= 4, "%s: %s: studentized (%.5g, %.5g), R (%.5g, %.5g): %.2f <= 4 "
                                  "Monte Carlo standard deviations", name, m->colnames[j], stud[0],
                                  stud[1], lo, hi, z);
                    }
                }
            }
        {
            double f = NAN, pf_r = NAN, pb = NAN;
            if (jr_number(jr_get(ref, "f_statistic"), &f) == 1
                && jr_number(jr_get(ref, "f_p_value"), &pf_r) == 1
                && jr_number(jr_get(ref, "boot_f_p_value"), &pb) == 1) {
                double pf_ours = pf(r->f_stat, r->f_df[0], r->f_df[1], 0, 0);
                tst_check(fabs(r->f_stat / f - 1) < 1e-10 && fabs(pf_ours / pf_r - 1) < 1e-8,
                          "%s: F %.6g, p-value %.4g, as R's", name, r->f_stat, pf_ours);
                double pbar = (pb + r->f_p_value) / 2,
                       sd = sqrt(2 * pbar * (1 - pbar) / r->spec.replicates);
                tst_check(fabs(r->f_p_value - pb) <= 4 * sd, "%s: bootstrap F p-value %.5f, R %.5f: "
                          "within %.5f (4 standard deviations)", name, r->f_p_value, pb, 4 * sd);
            }
        }
    }
    free(t);
    boot_result_free(r);
    frm_model_free(m);
    jr_free(ref);
}
static void test_generator(void)
{
    static const uint64_t splitmix[10] = {
        UINT64_C(1985237415132408290), UINT64_C(2979275885539914483),
        UINT64_C(13511426838097143398), UINT64_C(8488337342461049707),
        UINT64_C(15141737807933549159), UINT64_C(17093170987380407015),
        UINT64_C(16389528042912955399), UINT64_C(13177319091862933652),
        UINT64_C(10841969400225389492), UINT64_C(17094824097954834098) };
    static const uint64_t xoshiro[10] = {
        UINT64_C(11520), UINT64_C(0), UINT64_C(1509978240), UINT64_C(1215971899390074240),
        UINT64_C(1216172134540287360), UINT64_C(607988272756665600),
        UINT64_C(16172922978634559625), UINT64_C(8476171486693032832),
        UINT64_C(10595114339597558777), UINT64_C(2904607092377533576) };
    uint64_t x = UINT64_C(1477776061723855037);
    int ok = 1;
    for (int k = 0; k < 10; k++)
        ok &= rng_splitmix64(&x) == splitmix[k];
    tst_check(ok, "splitmix64 from 1477776061723855037 gives the 10 reference outputs");
    rng_state g = { { 1, 2, 3, 4 } };
    ok = 1;
    for (int k = 0; k < 10; k++)
        ok &= rng_next(&g) == xoshiro[k];
    tst_check(ok, "xoshiro256** from (1, 2, 3, 4) gives the 10 reference outputs");
    {
        uint64_t seed = 42, c = seed;
        int same = 1;
        for (uint64_t r = 0; r < 100; r++) {
            rng_state s;
            rng_stream(&s, seed, r);
            for (int k = 0; k < 4; k++)
                same &= s.s[k] == rng_splitmix64(&c);
        }
        tst_check(same, "rng_stream(seed, r) jumps to splitmix64's outputs 4r+1..4r+4");
        rng_state a, b;
        rng_stream(&a, 1, 0);
        rng_stream(&b, 2, 0);
        tst_check(rng_next(&a) != rng_next(&b), "different seeds start different streams");
    }
    {
        rng_state s;
        rng_stream(&s, 7, 0);
        long count[7] = { 0 };
        int inside = 1;
        for (int k = 0; k < 700000; k++) {
            uint32_t v = rng_below(&s, 7);
            inside &= v < 7;
            count[v < 7 ? v : 0]++;
        }
        double chi2 = 0;
        for (int v = 0; v < 7; v++)
            chi2 += (count[v] - 1e5) * (count[v] - 1e5) / 1e5;
        tst_check(inside && chi2 < 22.5, "rng_below(7): chi-squared %.2f on 6 df (p > 0.001)", chi2);
        uint32_t n = UINT32_C(3) << 30;
        long top = 0, N = 400000;
        inside = 1;
        for (long k = 0; k < N; k++) {
            uint32_t v = rng_below(&s, n);
            inside &= v < n;
            top += v >= (UINT32_C(1) << 31);
        }
        tst_check(inside && fabs((double)top / N - 1.0 / 3) < 0.005,
                  "rng_below(3 * 2^30) puts %.4f of draws in the top third (1/3; x %% n: 1/4)",
                  (double)top / N);
    }
    {
        rng_state s;
        rng_stream(&s, 11, 3);
        double sum = 0, lo = 1, hi = 0;
        for (int k = 0; k < 100000; k++) {
            double u = rng_uniform(&s);
            sum += u;
            lo = u < lo ? u : lo;
            hi = u > hi ? u : hi;
        }
        tst_check(lo >= 0 && hi < 1 && fabs(sum / 1e5 - 0.5) < 0.005,
                  "rng_uniform is in [0, 1) with mean %.4f", sum / 1e5);
    }
}
static void test_formulas(void)
{
    enum { M = 999 };
    static double t[M];
    for (int k = 1; k <= M; k++)
        t[k - 1] = qnorm((double)k / (M + 1), 0, 1, 1, 0);
    static const double u[] = { 0.01, 0.025, 0.1234, 0.5, 0.8, 0.975 };
    double worst = 0;
    for (int k = 0; k < 6; k++)
        worst = fmax(worst, fabs(boot_quantile(t, M, u[k]) - qnorm(u[k], 0, 1, 1, 0)));
    tst_check(worst < 1e-12, "boot_quantile is exact on normal quantiles (error %.1e)", worst);
    tst_check(boot_quantile(t, M, 0.0005) == qnorm(1.0 / (M + 1), 0, 1, 1, 0)
              && boot_quantile(t, M, 0.9995) == qnorm((double)M / (M + 1), 0, 1, 1, 0),
              "boot_quantile takes the extreme replicates beyond them");
    {
        enum { K = 1001 };
        static double v[K], sorted[K];
        rng_state g;
        rng_stream(&g, 99, 0);
        for (int i = 0; i < K; i++)
            v[i] = sorted[i] = round(4 * qnorm(rng_uniform(&g) * 0.998 + 0.001, 0, 1, 1, 0));
        qsort(sorted, K, sizeof *sorted, st_cmp_double);
        int same = 1;
        for (int k = 0; k < 6; k++) {
            double a = u[k] * 0.999, want;
            double rk = (K + 1) * a, w = 0;
            long kk = (long)rk;
            if (kk == rk)
                want = sorted[kk - 1];
            else {
                double zk = qnorm((double)kk / (K + 1), 0, 1, 1, 0),
                       zk1 = qnorm((double)(kk + 1) / (K + 1), 0, 1, 1, 0);
                w = (qnorm(a, 0, 1, 1, 0) - zk) / (zk1 - zk);
                want = sorted[kk - 1] + w * (sorted[kk] - sorted[kk - 1]);
            }
            same &= boot_quantile(v, K, a) == want;
        }
        tst_check(same, "boot_quantile selects the order statistics that a sort finds");
    }
    tst_check(boot_bca_level(0, 0, 0.025) == 0.025 || fabs(boot_bca_level(0, 0, 0.025) - 0.025)
              < 1e-15, "BCa with z0 = a = 0 is the percentile interval");
    double z0 = 0.1, a = 0.05, za = qnorm(0.025, 0, 1, 1, 0);
    double want = pnorm(z0 + (z0 + za) / (1 - a * (z0 + za)), 0, 1, 1, 0);
    tst_check(fabs(boot_bca_level(z0, a, 0.025) - want) < 1e-15,
              "boot_bca_level follows the BCa formula (%.6f)", want);
    {
        static const double y[8] = { 0.2, 0.5, 0.7, 1.1, 1.6, 2.4, 3.9, 9.0 };
        double jack[8], mean = 0, m2 = 0, m3 = 0;
        for (int i = 0; i < 8; i++)
            mean += y[i] / 8;
        for (int i = 0; i < 8; i++) {
            jack[i] = (8 * mean - y[i]) / 7;
            m2 += (y[i] - mean) * (y[i] - mean);
            m3 += (y[i] - mean) * (y[i] - mean) * (y[i] - mean);
        }
        double closed = m3 / (6 * pow(m2, 1.5));
        tst_check(fabs(boot_acceleration(jack, 8, mean) - closed) < 1e-14,
                  "the jackknife acceleration of the mean is its closed form %.6f", closed);
        double flat[3] = { 1, 1, 1 };
        tst_check(isnan(boot_acceleration(flat, 3, 1)), "jackknife values equal to the estimate: "
                  "no acceleration");
    }
    {
        double iv[2], z = qnorm(0.95, 0, 1, 1, 0);
        boot_studentized(t, M, 3.0, 0.5, 0.9, iv);
        tst_check(fabs(iv[0] - (3 - 0.5 * z)) < 1e-12 && fabs(iv[1] - (3 + 0.5 * z)) < 1e-12,
                  "boot_studentized on normal quantiles is theta -/+ z se: (%.6f, %.6f)", iv[0],
                  iv[1]);
    }
}
static void test_machinery(void)
{
    frm_model *m = fit_model("mpg ~ wt + hp", "mtcars");
    if (m == NULL)
        return;
    for (int type = BOOT_PAIRS; type <= BOOT_WILD; type++) {
        boot_result *a = run(m->X, m->y, m->n, m->p, type, 1001, 5, 1, 0.95);
        boot_result *b = run(m->X, m->y, m->n, m->p, type, 1001, 5, 4, 0.95);
        boot_result *c = run(m->X, m->y, m->n, m->p, type, 1001, 6, 3, 0.95);
        if (a && b && c) {
            tst_check(same_result(a, b), "%s: 1 and 4 threads give identical replicates and "
                      "intervals", boot_type_name[type]);
            tst_check(a->star[0] != c->star[0] && a->star[3000] != c->star[3000],
                      "%s: seeds 5 and 6 give different replicates", boot_type_name[type]);
        }
        boot_result_free(a);
        boot_result_free(b);
        boot_result_free(c);
    }
    {
        int n = m->n, p = m->p;
        double *Xd = malloc(sizeof(double) * (size_t)(n - 1) * p), *yd = malloc(sizeof(double) * n),
               *jack = malloc(sizeof(double) * (size_t)n * p), *col = malloc(sizeof(double) * n);
        st_error e = { 0 };
        ols_workspace *w = NULL;
        int ok = ols_workspace_new(&e, n - 1, p, NULL, &w) == ST_OK;
        for (int i = 0; i < n && ok; i++) {
            for (int s = 0, t = 0; s < n; s++)
                if (s != i) {
                    for (int j = 0; j < p; j++)
                        Xd[t + (size_t)j * (n - 1)] = m->X[s + (size_t)j * n];
                    yd[t++] = m->y[s];
                }
            ok = ols_decompose(&e, w, Xd, n - 1) == ST_OK
                 && ols_solve(&e, w, yd, jack + (size_t)i * p, NULL) == ST_OK;
        }
        boot_result *r = run(m->X, m->y, n, p, BOOT_PAIRS, 10, 1, 1, 0.95);
        double worst = 0;
        for (int j = 0; j < p && ok && r; j++) {
            for (int i = 0; i < n; i++)
                col[i] = jack[(size_t)i * p + j];
            worst = fmax(worst, fabs(boot_acceleration(col, n, r->estimate[j]) - r->accel[j]));
        }
        tst_check(ok && r && worst < 1e-10, "the deletion formula's accelerations are the "
                  "refits' (difference %.1e)", worst);
        boot_result_free(r);
        ols_workspace_free(w);
        free(Xd); free(yd); free(jack); free(col);
    }
    {
        enum { N = 20 };
        double ones[N], y[N], mean = 0, m2 = 0, m3 = 0;
        for (int i = 0; i < N; i++) {
            ones[i] = 1;
            y[i] = exp(0.25 * i) / 10;
            mean += y[i] / N;
        }
        for (int i = 0; i < N; i++) {
            m2 += (y[i] - mean) * (y[i] - mean);
            m3 += (y[i] - mean) * (y[i] - mean) * (y[i] - mean);
        }
        double a = m3 / (6 * pow(m2, 1.5));
        boot_result *r = run(ones, y, N, 1, BOOT_PAIRS, 4000, 3, 2, 0.9);
        if (r != NULL) {
            tst_check(fabs(r->accel[0] - a) < 1e-12 && fabs(r->estimate[0] - mean) < 1e-12,
                      "the mean of a skewed sample: acceleration %.6f as in closed form", a);
            double *t = malloc(sizeof(double) * 4000);
            long below = 0;
            for (int b = 0; b < 4000; b++) {
                t[b] = r->star[b];
                below += t[b] < r->estimate[0];
            }
            qsort(t, 4000, sizeof *t, st_cmp_double);
            double z0 = qnorm(below / 4000.0, 0, 1, 1, 0), ar = r->accel[0];
            double lo = boot_quantile(t, 4000, boot_bca_level(z0, ar, (1 - 0.9) / 2)),
                   hi = boot_quantile(t, 4000, boot_bca_level(z0, ar, (1 + 0.9) / 2));
            tst_check(r->bca[0] == lo && r->bca[1] == hi && r->bca[1] > r->percentile[1],
                      "its BCa interval (%.4f, %.4f) is the percentile interval at the adjusted "
                      "levels, shifted right of (%.4f, %.4f)", lo, hi, r->percentile[0],
                      r->percentile[1]);
            free(t);
        }
        boot_result_free(r);
    }
    {
        enum { N = 12 };
        double X[4 * N], y[N];
        for (int i = 0; i < N; i++) {
            X[i] = 1;
            X[i + N] = i;
            X[i + 2 * N] = i == 5;
            X[i + 3 * N] = 2 * i;
            y[i] = 1 + 0.5 * i + (i % 3) - (i == 5) * 2;
        }
        boot_result *r = run(X, y, N, 4, BOOT_PAIRS, 2000, 9, 2, 0.95);
        if (r != NULL) {
            tst_check(r->rank_deficient > 600 && r->rank_deficient < 800
                      && r->used[2] == 2000 - r->rank_deficient && r->used[0] == 2000,
                      "%lld of 2000 resamples lost the single-row column, and only its "
                      "coefficient", r->rank_deficient);
            tst_check(isnan(r->bca[4]) && isfinite(r->percentile[4]) && isfinite(r->bca[0]),
                      "that coefficient has percentile but no BCa interval; the others have both");
            tst_check(isnan(r->estimate[3]) && isnan(r->percentile[6]) && isnan(r->basic[7])
                      && isnan(r->bca[6]) && r->used[3] == 0,
                      "the aliased column 2 * x has no intervals");
        }
        boot_result_free(r);
    }
    {
        int n = m->n, p = m->p;
        st_error e = { 0 };
        ols_workspace *w = NULL;
        ols_result *fit = NULL, *fit1 = NULL;
        double *Xs = malloc(sizeof(double) * (size_t)n * p), *ys = malloc(sizeof(double) * n);
        boot_result *r = run(m->X, m->y, n, p, BOOT_PAIRS, 20, 4, 1, 0.95);
        boot_result *rr = run(m->X, m->y, n, p, BOOT_RESIDUAL, 20, 4, 1, 0.95);
        int ok = Xs && ys && r && rr && ols_workspace_new(&e, n, p, NULL, &w) == ST_OK
                 && ols_fit(&e, w, m->X, m->y, 1, 0.95, &fit) == ST_OK;
        double worst = 0, worst_pairs = 0, worst_ratio = 0;
        if (ok) {
            rng_state g;
            rng_stream(&g, 4, 7);
            uint32_t idx[64];
            for (int i = 0; i < n; i++)
                idx[i] = rng_below(&g, (uint32_t)n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++)
                    Xs[i + (size_t)j * n] = m->X[idx[i] + (size_t)j * n];
                ys[i] = m->y[idx[i]];
            }
            ok = ols_fit(&e, w, Xs, ys, 1, 0.95, &fit1) == ST_OK;
            double ratio0 = rr->se_star[7 * p] / rr->se[0];
            for (int j = 0; ok && j < p; j++) {
                worst = fmax(worst, fabs(r->se[j] / fit->se[j] - 1));
                worst_pairs = fmax(worst_pairs, fabs(r->se_star[7 * p + j] / fit1->se[j] - 1));
                double ratio = rr->se_star[7 * p + j] / rr->se[j];
                worst_ratio = fmax(worst_ratio, fabs(ratio / ratio0 - 1));
            }
        }
        tst_check(ok && n <= 64 && worst < 1e-12, "the data's standard errors are ols_fit's "
                  "(relative difference %.1e)", worst);
        tst_check(ok && worst_pairs < 1e-12, "a pairs replicate's standard errors are "
                  "ols_fit's on its resample (%.1e)", worst_pairs);
        tst_check(ok && worst_ratio < 1e-12, "a residual replicate's standard errors are sigma* "
                  "sqrt(c_jj), one ratio to the data's (%.1e)", worst_ratio);
        ols_result_free(fit);
        ols_result_free(fit1);
        ols_workspace_free(w);
        boot_result_free(r);
        boot_result_free(rr);
        free(Xs);
        free(ys);
    }
    {
        int n = m->n, p = m->p;
        st_error e = { 0 };
        ols_workspace *w = NULL;
        ols_result *fit = NULL, *fit1 = NULL;
        double ys[64], mean = 0;
        boot_result *r = run(m->X, m->y, n, p, BOOT_PAIRS, 500, 3, 2, 0.95);
        boot_result *rw = run(m->X, m->y, n, p, BOOT_WILD, 500, 3, 3, 0.95);
        boot_result *r1 = run(m->X, m->y, n, 1, BOOT_RESIDUAL, 50, 3, 1, 0.95);
        int ok = r && rw && r1 && n <= 64 && ols_workspace_new(&e, n, p, NULL, &w) == ST_OK
                 && ols_fit(&e, w, m->X, m->y, 1, 0.95, &fit) == ST_OK;
        if (ok) {
            for (int i = 0; i < n; i++)
                mean += m->y[i] / n;
            rng_state g;
            rng_stream(&g, 3, (UINT64_C(1) << 61) + 11);
            for (int i = 0; i < n; i++)
                ys[i] = mean + (m->y[rng_below(&g, (uint32_t)n)] - mean);
            ok = ols_fit(&e, w, m->X, ys, 1, 0.95, &fit1) == ST_OK;
        }
        tst_check(ok && fabs(r->f_stat / fit->f_statistic - 1) < 1e-12
                  && r->f_df[0] == fit->f_df_num && r->f_df[1] == fit->f_df_den,
                  "the data's F %.4f on %.0f and %.0f df is "
                  "ols_fit's", ok ? r->f_stat : NAN, ok ? r->f_df[0] : NAN,
                  ok ? r->f_df[1] : NAN);
        tst_check(ok && fabs(r->f_star[11] / fit1->f_statistic - 1) < 1e-10,
                  "null replicate 11's F* %.6f is ols_fit's on its response", ok ? r->f_star[11] : NAN);
        long long exceed = 0;
        for (int b = 0; ok && b < 500; b++)
            exceed += r->f_star[b] >= r->f_stat;
        tst_check(ok && r->f_used == 500 && r->f_exceed == exceed
                  && r->f_p_value == (1.0 + exceed) / 501.0, "p = (1 + %lld)/(B + 1)", exceed);
        tst_check(ok && memcmp(r->f_star, rw->f_star, 500 * sizeof(double)) == 0,
                  "the F test's replicates do not depend on the intervals' scheme");
        tst_check(r1 && isnan(r1->f_stat) && isnan(r1->f_p_value), "a model with only an "
                  "intercept has no F test");
        ols_result_free(fit);
        ols_result_free(fit1);
        ols_workspace_free(w);
        boot_result_free(r);
        boot_result_free(rw);
        boot_result_free(r1);
    }
    {
        st_error e = { 0 };
        boot_result *r = NULL;
        boot_spec bad[4] = { { BOOT_PAIRS, 0, 1, 1, 0.95, BOOT_F_NONE },
                             { BOOT_PAIRS, 10, 1, 0, 0.95, BOOT_F_NONE },
                             { BOOT_WILD, 10, 1, 1, 1.0, BOOT_F_NONE },
                             { BOOT_WILD, 10, 1, 1, 0.9, (boot_f_null)7 } };
        for (int k = 0; k < 4; k++)
            tst_check(boot_run(&e, m->X, m->y, m->n, m->p, &bad[k], &r) == ST_EINPUT && r == NULL,
                      "boot_run refuses a bad specification: %s", e.msg);
    }
    {
        double slot[100], want = 0, sum = 0;
        int blas[4] = { 0, 0, 0, 0 }, before = openblas_get_num_threads();
        tb_runner s = { slot, blas };
        run_options both = { .run_unstarted = 1, .serial_blas = 1 };
        st_error e = { 0 };
        openblas_set_num_threads(2);
        int set = openblas_get_num_threads();
        int st = run_threads_with(&e, 4, 100, tb_square, &s, "test", &both);
        int after = openblas_get_num_threads();
        openblas_set_num_threads(before);
        for (int i = 0; i < 100; i++) {
            want += (double)i * (double)i;
            sum += slot[i];
        }
        tst_check(st == ST_OK && sum == want, "run_threads_with: 100 items on 4 threads (%g)", sum);
        tst_check(set == 2 && blas[0] == 1 && blas[1] == 1 && blas[2] == 1 && blas[3] == 1
                  && after == 2, "run_threads_with: the BLAS had 1 thread in each block "
                  "(%d %d %d %d), %d before and after (%d)", blas[0], blas[1], blas[2], blas[3],
                  set, after);
    }
    frm_model_free(m);
}
static void test_against_r(void)
{
    const char *dir = "tests/reference/boot";
    DIR *d = opendir(dir);
    if (!tst_check(d != NULL, "the reference files are in %s (run from the top directory)", dir))
        return;
    struct dirent *ent;
    char *names[64];
    int nfile = 0;
    while ((ent = readdir(d)) != NULL && nfile < 64) {
        size_t len = strlen(ent->d_name);
        if (len > 5 && strcmp(ent->d_name + len - 5, ".json") == 0)
            names[nfile++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nfile, sizeof *names, cmp_names);
    tst_check(nfile >= 4, "%d reference files", nfile);
    for (int k = 0; k < nfile; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        compare_case(path);
        free(names[k]);
    }
}

int main(void)
{
    tst_plan(185);
    test_generator();
    test_formulas();
    test_machinery();
    test_against_r();
    return tst_done();
}
