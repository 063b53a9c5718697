#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "booktex.h"
#include "compare.h"
#include "formula.h"
#include "glmm.h"
#include "jsonr.h"
#include "rng.h"

typedef struct book_fit {
    df_frame *df;
    frm_formula *f;
    frm_model *m;
    glm_response resp;
    glmm_result *r;
} book_fit;

static int load_case(const char *formula, const char *data, book_fit *b)
{
    st_error e = { 0 };
    memset(b, 0, sizeof *b);
    int status = frm_parse(&e, formula, &b->f);
    if (status == ST_OK) status = df_read(&e, data, &b->df);
    if (status == ST_OK) status = frm_model_frame(&e, b->f, b->df, FRM_BINOMIAL, &b->m);
    if (status == ST_OK) status = glm_response_make(&e, b->m, b->df, &b->resp);
    if (status != ST_OK)
        fprintf(stderr, "book-glmm: %s %s: %s\n", formula, data, e.msg);
    return status;
}

static int fit_case(const char *formula, const char *data, int nagq, double level,
                    book_fit *b)
{
    st_error e = { 0 };
    glmm_options opt = { nagq, level, NULL };
    int status = load_case(formula, data, b);
    if (status == ST_OK && (status = glmm_fit(&e, b->m, &b->resp, &opt, &b->r)) != ST_OK)
        fprintf(stderr, "book-glmm: %s %s: %s\n", formula, data, e.msg);
    return status;
}

static void free_fit(book_fit *b)
{
    glmm_free(b->r);
    glm_response_free(&b->resp);
    frm_model_free(b->m);
    frm_free(b->f);
    df_free(b->df);
}

static double number(const jr_value *obj, const char *key)
{
    double x = NAN;
    jr_number(jr_get(obj, key), &x);
    return x;
}
static int nagq_numbers(void)
{
    const int nodes[3] = { 1, 5, 25 };
    book_fit b[3];
    for (int k = 0; k < 3; k++)
        if (fit_case("cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
                     nodes[k], 0.95, &b[k]) != ST_OK) {
            while (k-- > 0)
                free_fit(&b[k]);
            return 1;
        }
    double dbeta = 0;
    for (int k = 1; k < 3; k++)
        for (int j = 0; j < b[0].r->p; j++)
            dbeta = fmax(dbeta, fabs(b[k].r->beta[j] - b[0].r->beta[j]) / b[0].r->se[j]);
    double sb0 = b[0].r->re.theta[0], dsb = 0;
    for (int k = 1; k < 3; k++)
        dsb = fmax(dsb, fabs(b[k].r->re.theta[0] - sb0) / sb0);
    printf("\\newcommand{\\glmmNagqBetaSe}{%.3f}\n", dbeta);
    printf("\\newcommand{\\glmmNagqSigmaPercent}{%.1f}\n", 100 * dsb);
    printf("\\newcommand{\\glmmNagqDevDrop}{%.3f}\n", b[0].r->deviance - b[1].r->deviance);
    printf("\\newcommand{\\glmmNagqDevDropTwentyFive}{%.3f}\n",
           b[0].r->deviance - b[2].r->deviance);
    for (int k = 0; k < 3; k++)
        free_fit(&b[k]);
    return 0;
}

static int verbagg_numbers(void)
{
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    jr_value *ref = NULL;
    double dev = NAN;
    int status = frm_parse(&e, "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", &f);
    if (status == ST_OK) status = df_read(&e, "VerbAgg", &df);
    if (status == ST_OK) status = frm_model_frame(&e, f, df, FRM_BINOMIAL, &m);
    if (status == ST_OK)
        status = jr_read(&e, "tests/reference/glmm/verbagg_crossed.json", &ref);
    if (status == ST_OK && (m->nre != 2 || !jr_number(jr_get(ref, "deviance"), &dev)))
        status = ST_EFIT;
    if (status == ST_OK) {
        int a = strcmp(m->re[0].group, "id") == 0 ? 0 : 1;
        printf("\\newcommand{\\glmmVerbAggN}{%d}\n\\newcommand{\\glmmVerbAggPersons}{%d}\n"
               "\\newcommand{\\glmmVerbAggItems}{%d}\n\\newcommand{\\glmmVerbAggQ}{%d}\n"
               "\\newcommand{\\glmmVerbAggDev}{%.0f}\n",
               m->n, m->re[a].nlevels, m->re[1 - a].nlevels,
               m->re[0].nlevels + m->re[1].nlevels, dev);
    } else
        fprintf(stderr, "book-glmm: VerbAgg's crossed model: %s\n", e.msg);
    jr_free(ref);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status != ST_OK;
}
enum { LB_SETS = 100, LB_GROUPS = 200, LB_SIZE = 3, LB_NODES = 25 };
#define LB_SIGMA 2.0

static int laplace_bias_fit(const char *csv, size_t len, int nagq, double *sigma)
{
    st_error e = { 0 };
    book_fit b;
    glmm_options opt = { nagq, 0.95, NULL };
    memset(&b, 0, sizeof b);
    char *buf = malloc(len + 1);
    if (buf == NULL)
        return fprintf(stderr, "book-glmm: out of memory\n"), 1;
    memcpy(buf, csv, len + 1);
    int status = frm_parse(&e, "y ~ 1 + (1 | g)", &b.f);
    if (status == ST_OK) status = df_parse(&e, "simulated", buf, len, &b.df);
    if (status == ST_OK) status = frm_model_frame(&e, b.f, b.df, FRM_BINOMIAL, &b.m);
    if (status == ST_OK) status = glm_response_make(&e, b.m, b.df, &b.resp);
    if (status == ST_OK) status = glmm_fit(&e, b.m, &b.resp, &opt, &b.r);
    if (status == ST_OK)
        *sigma = b.r->re.theta[0];
    else
        fprintf(stderr, "book-glmm: Laplace bias: %s\n", e.msg);
    free(buf);
    free_fit(&b);
    return status != ST_OK;
}

static int laplace_bias(void)
{
    enum { ROW = 16, LEN = 8 + LB_GROUPS * LB_SIZE * ROW };
    static char csv[LEN];
    double sum[2] = { 0, 0 }, sumsq[2] = { 0, 0 };
    const int nodes[2] = { 1, LB_NODES };
    rng_state g;
    rng_stream(&g, 20261129, 7);
    for (int set = 0; set < LB_SETS; set++) {
        size_t len = (size_t)snprintf(csv, LEN, "g,y\n");
        for (int j = 0; j < LB_GROUPS; j++) {
            double u1 = 1 - rng_uniform(&g), u2 = rng_uniform(&g);
            double b = LB_SIGMA * sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2);
            for (int k = 0; k < LB_SIZE; k++)
                len += (size_t)snprintf(csv + len, LEN - len, "%d,%d\n", j,
                                        rng_uniform(&g) < 1 / (1 + exp(-b)));
        }
        for (int a = 0; a < 2; a++) {
            double sigma;
            if (laplace_bias_fit(csv, len, nodes[a], &sigma) != 0)
                return 1;
            sum[a] += sigma;
            sumsq[a] += sigma * sigma;
        }
    }
    const char *name[2] = { "Laplace", "Agq" };
    for (int a = 0; a < 2; a++) {
        double mean = sum[a] / LB_SETS;
        double se = sqrt((sumsq[a] / LB_SETS - mean * mean) / (LB_SETS - 1));
        printf("\\newcommand{\\glmmLaplaceBias%s}{%.3f}\n", name[a], mean);
        printf("\\newcommand{\\glmmLaplaceBias%sSE}{%.3f}\n", name[a], se);
    }
    printf("\\newcommand{\\glmmLaplaceBiasPercent}{%.0f}\n",
           100 * (1 - sum[0] / LB_SETS / LB_SIGMA));
    return 0;
}
static int meaning_numbers(void)
{
    book_fit b;
    enum { K = 40 };
    double z[K], w[K];
    st_error e = { 0 };
    if (fit_case("cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
                 1, 0.95, &b) != ST_OK)
        return 1;
    if (glmm_gauss_hermite(&e, K, z, w) != ST_OK)
        return fprintf(stderr, "book-glmm: %s\n", e.msg), free_fit(&b), 1;
    double sb = b.r->re.theta[0], b0 = b.r->beta[0], mbar = 0;
    for (int k = 0; k < K; k++)
        mbar += w[k] / (1 + exp(-(b0 + sb * z[k])));
    double c = 16 * sqrt(3.0) / (15 * 3.14159265358979323846);
    printf("\\newcommand{\\glmmOddsPeriodTwo}{%.2f}\n", exp(b.r->beta[1]));
    printf("\\newcommand{\\glmmOddsPeriodTwoLow}{%.2f}\n", exp(b.r->conf_low[1]));
    printf("\\newcommand{\\glmmOddsPeriodTwoHigh}{%.2f}\n", exp(b.r->conf_high[1]));
    printf("\\newcommand{\\glmmSigmaB}{%.3f}\n", sb);
    printf("\\newcommand{\\glmmOddsOneSd}{%.2f}\n", exp(sb));
    printf("\\newcommand{\\glmmMedianOddsRatio}{%.2f}\n", exp(sqrt(2.0) * sb * 0.6744897501960817));
    printf("\\newcommand{\\glmmTypicalProb}{%.3f}\n", 1 / (1 + exp(-b0)));
    printf("\\newcommand{\\glmmMarginalProb}{%.3f}\n", mbar);
    printf("\\newcommand{\\glmmAttenuation}{%.2f}\n", 1 / sqrt(1 + c * c * sb * sb));
    printf("\\newcommand{\\glmmMarginalNodes}{%d}\n", K);
    free_fit(&b);
    return nagq_numbers() || verbagg_numbers() || laplace_bias();
}
static int summation_numbers(void)
{
    enum { N = 1000000 };
    rng_state g;
    rng_stream(&g, 20261129, 0);
    uint64_t hi = 0, lo = 0;
    double plain = 0, ks = 0, kc = 0;
    long double ld = 0;
    for (int i = 0; i < N; i++) {
        uint64_t k = rng_next(&g) >> 11;
        double x = (double)k * 0x1.0p-53;
        uint64_t l = lo + k;
        hi += l < lo;
        lo = l;
        plain += x;
        ld += x;
        double t = ks + x;
        kc += fabs(ks) >= fabs(x) ? (ks - t) + x : (x - t) + ks;
        ks = t;
    }
    long double exact = ((long double)hi * 0x1.0p64L + (long double)lo) * 0x1.0p-53L;
    printf("\\newcommand{\\glmmSumExact}{%.6f}\n", (double)exact);
    printf("\\newcommand{\\glmmSumPlainErr}{%.1e}\n", fabs((double)((long double)plain - exact)));
    printf("\\newcommand{\\glmmSumKahanErr}{%.1e}\n",
           fabs((double)((long double)(ks + kc) - exact)));
    printf("\\newcommand{\\glmmSumLongErr}{%.1e}\n", fabs((double)(ld - exact)));
    printf("\\newcommand{\\glmmSumPredicted}{%.1e}\n",
           0x1.0p-53 * (double)exact * sqrt(N / 3.0));
    printf("\\newcommand{\\glmmSumUlp}{%.1e}\n", 0x1.0p-52 * pow(2, floor(log2((double)exact))));
    return 0;
}
static int control_numbers(void)
{
    glmm_control c = glmm_control_default();
    const struct { const char *name; double x; } v[] = {
        { "PirlsMaxit", c.pirls_maxit }, { "PirlsTol", c.pirls_tol },
        { "PirlsTolScoring", c.pirls_tol_scoring }, { "PirlsSafe", c.pirls_safe },
        { "PirlsHalvings", c.pirls_halvings }, { "HalvingRel", c.halving_rel },
        { "HalvingAbs", c.halving_abs }, { "StageOneFtol", c.stage1.ftol_abs },
        { "StageOneXtol", c.stage1.xtol_abs }, { "StageOneMaxeval", c.stage1.maxeval },
        { "StageOneStep", c.stage1_step }, { "StageOneStepOff", c.stage1_step_offdiag },
        { "StageTwoFtol", c.stage2.ftol_abs }, { "StageTwoXtol", c.stage2.xtol_rel },
        { "StageTwoMaxeval", c.stage2.maxeval }, { "StageTwoStepTheta", c.stage2_step_theta },
        { "StageTwoStepSe", c.stage2_step_se }, { "StageTwoSeMax", c.stage2_se_max },
        { "HessianDelta", c.hessian_delta }, { "RankTol", c.rank_tol },
        { "BoundaryTol", c.boundary_tol }, { "SingularTol", c.singular_tol },
        { "ScaleRatio", c.scale_ratio }, { "StageTwoStepBeta", c.stage2_step_beta },
        { "ProfileStepRel", c.profile_step_rel }, { "ProfileStepRange", c.profile_step_range },
        { "ProfileStepSe", c.profile_step_se }
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "glmmCtl%s", v[k].name);
        tex_setting(name, v[k].x);
    }
    printf("\\newcommand{\\glmmCtlPirlsTolPlot}{%g}\n", c.pirls_tol);
    printf("\\newcommand{\\glmmCtlSeparationTol}{\\ensuremath{%g\\epsilon}}\n",
           c.separation_tol / DBL_EPSILON);
    return 0;
}
static jr_value *as_json(const glmm_result *r)
{
    book_capture c;
    FILE *f = book_capture_open(&c);
    if (f != NULL)
        glmm_write_json(f, r);
    return book_capture_json(&c, "book-glmm");
}
static int demo(void)
{
    book_fit b;
    const char *formula = "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)";
    st_error e = { 0 };
    jr_value *ours = NULL, *ref = NULL, *agq = NULL;
    if (fit_case(formula, "cbpp", 1, 0.95, &b) != ST_OK)
        return 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "$ bin/glmm '%s' cbpp\n", formula);
    glmm_print(f, b.r, "cbpp");
    fclose(f);
    printf("\\newcommand{\\glmmDemoSummary}{");
    tex_verbatim(stdout, buf);
    printf("}\n");
    free(buf);
    int status = (ours = as_json(b.r)) == NULL
                 || jr_read(&e, "tests/reference/glmm/cbpp_laplace.json", &ref) != ST_OK
                 || jr_read(&e, "tests/reference/glmm/cbpp_agq5.json", &agq) != ST_OK;
    if (status == 0) {
        printf("\\newcommand{\\glmmCbppTable}{");
        status = cmp_tex(&e, stdout, ours, ref);
        printf("}\n");
        double sat = 0;
        for (int i = 0; i < b.m->n; i++)
            sat += glm_saturated(b.resp.y[i], b.resp.m[i]);
        double ll5 = number(agq, "log_lik");
        printf("\\newcommand{\\glmmCbppSat}{%.2f}\n", sat);
        printf("\\newcommand{\\glmmCbppLogLik}{%.1f}\n", b.r->loglik);
        printf("\\newcommand{\\glmmCbppAgqLogLik}{%.2f}\n", ll5);
        printf("\\newcommand{\\glmmCbppLmeAgqLogLik}{%.1f}\n", ll5 + sat / 2);
    } else
        fprintf(stderr, "book-glmm: %s\n", e.msg);
    jr_free(ours);
    jr_free(ref);
    jr_free(agq);
    free_fit(&b);
    return status;
}
static int fit_case_params(book_fit *b, double *theta, double *beta)
{
    st_error e = { 0 };
    jr_value *v = NULL;
    if (jr_read(&e, "tests/reference/glmm/cbpp_laplace.json", &v) != ST_OK)
        return fprintf(stderr, "book-glmm: %s\n", e.msg), 1;
    int ok = jr_number(jr_at(jr_get(v, "theta"), 0), &theta[0]);
    for (int j = 0; ok && j < b->m->p; j++)
        ok = jr_number(jr_get(jr_at(jr_get(v, "coefficients"), (size_t)j), "estimate"), &beta[j]);
    jr_free(v);
    return !ok;
}
static int agq_figure(void)
{
    book_fit b;
    st_error e = { 0 };
    double dev[26], theta[8], beta[8];
    if (load_case("cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
                  &b) != ST_OK || fit_case_params(&b, theta, beta) != 0)
        return 1;
    for (int k = 1; k <= 25; k++)
        if (glmm_evaluate(&e, b.m, &b.resp, k, theta, beta, &dev[k]) != ST_OK)
            return fprintf(stderr, "book-glmm: %s\n", e.msg), 1;
    printf("\\newcommand{\\glmmAgqLaplaceError}{%.2f}\n", dev[1] - dev[25]);
    printf("\\newcommand{\\glmmAgqExactNodes}{%d}\n", 25);
    printf("\\newcommand{\\glmmAgqFiveError}{");
    cmp_tex_number(stdout, fabs(dev[5] - dev[25]), 1);
    printf("}\n\\newcommand{\\glmmAgqFigure}{\\begin{tikzpicture}[x=4mm,y=5mm]\n");
    printf("\\draw[->] (0,0) -- (25,0) node[below left] {$K$};\n");
    printf("\\draw[->] (0,0) -- (0,14.5) node[above] {$|D_K - D_{25}|$};\n");
    for (int d = 0; d <= 14; d += 2)
        printf("\\draw (0,%d) -- (-0.2,%d) node[left] {\\scriptsize $10^{%d}$};\n", d, d, d - 14);
    for (int k = 1; k <= 25; k += 4)
        printf("\\draw (%d,0) -- (%d,-0.2) node[below] {\\scriptsize %d};\n", k, k, k);
    for (int k = 1; k < 25; k++) {
        double err = fabs(dev[k] - dev[25]);
        if (err > 1e-14)
            printf("\\fill (%d,%.3f) circle (2pt);\n", k, log10(err) + 14);
    }
    printf("\\end{tikzpicture}}\n");
    {
        double sk = 0, sy = 0, skk = 0, sky = 0;
        int cnt = 0;
        for (int k = 5; k < 25; k++) {
            double err = fabs(dev[k] - dev[25]);
            if (err > 1e-14) {
                double yk = log10(err);
                sk += k, sy += yk, skk += (double)k * k, sky += k * yk;
                cnt++;
            }
        }
        double slope = (cnt * sky - sk * sy) / (cnt * skk - sk * sk);
        printf("\\newcommand{\\glmmAgqDigitsPerNode}{%.1f}\n", -slope);
    }
    free_fit(&b);
    return 0;
}
typedef struct herds {
    int n, nl;
    const int *g;           /* herd of each row */
    const double *y, *m;    /* proportions, trials */
    double *off;            /* n: X beta-hat */
    double theta;
    char **levels;          /* herd labels */
    double u[64], L2[64];   /* per herd: mode, and L_jj^2 at the mode */
} herds;

static double minus2logf(const herds *h, int i, double u, double theta)
{
    return -2 * glm_log_density(h->y[i], glm_linkinv(h->off[i] + theta * u), h->m[i]);
}

/* d_j(u) of (eq:glmm-factor) for herd l */
static double herd_d(const herds *h, int l, double u)
{
    double d = u * u;
    for (int i = 0; i < h->n; i++)
        if (h->g[i] == l)
            d += minus2logf(h, i, u, h->theta);
    return d;
}
static void herd_mode(herds *h, int l)
{
    double u = 0, hess = 1;
    for (int it = 0; it < 100; it++) {
        double grad = u;
        hess = 1;
        for (int i = 0; i < h->n; i++)
            if (h->g[i] == l) {
                double mu = glm_linkinv(h->off[i] + h->theta * u);
                grad -= h->theta * h->m[i] * (h->y[i] - mu);
                hess += h->theta * h->theta * h->m[i] * mu * (1 - mu);
            }
        u -= grad / hess;
        if (fabs(grad / hess) < 1e-14)
            break;
    }
    h->u[l] = u;
    h->L2[l] = hess;
}

/* -2 log L_j by adaptive quadrature with k nodes (eq:glmm-agq-dev); k = 1 is Laplace */
static double herd_agq(const herds *h, int l, int k)
{
    double z[GLMM_MAX_NAGQ], w[GLMM_MAX_NAGQ], s = 1 / sqrt(h->L2[l]), sum = 0;
    st_error e;
    double d0 = herd_d(h, l, h->u[l]);
    if (glmm_gauss_hermite(&e, k, z, w) != ST_OK)
        return NAN;
    for (int j = 0; j < k; j++)
        sum += w[j] * exp(-0.5 * (herd_d(h, l, h->u[l] + s * z[j]) - d0) + 0.5 * z[j] * z[j]);
    return d0 + log(h->L2[l]) - 2 * log(sum);
}

/* -2 log L_j by the trapezoidal rule on 20 001 points over 12 scales each side */
static double herd_exact(const herds *h, int l)
{
    double s = 1 / sqrt(h->L2[l]), d0 = herd_d(h, l, h->u[l]), step = 24 * s / 20000, sum = 0;
    for (int k = 0; k <= 20000; k++)
        sum += (k == 0 || k == 20000 ? 0.5 : 1.0)
               * exp(-0.5 * (herd_d(h, l, h->u[l] - 12 * s + k * step) - d0));
    return d0 - 2 * log(sum * step / sqrt(2 * acos(-1.0)));
}
static FILE *open_dat(const char *dir, const char *what, const char *header)
{
    return cmp_open_dat(dir, "glmm", what, header);
}
static int integrand_figure(const char *dir, herds *h)
{
    int worst = 0, ks[] = { 1, 3, 5, 9, 25 };
    double err = -1;
    for (int l = 0; l < h->nl; l++) {
        double d = fabs(herd_agq(h, l, 1) - herd_exact(h, l));
        if (d > err)
            err = d, worst = l;
    }
    double u0 = h->u[worst], s = 1 / sqrt(h->L2[worst]), d0 = herd_d(h, worst, u0);
    double exact = herd_exact(h, worst), z[5], w[5];
    st_error e;
    FILE *f = open_dat(dir, "integrand", "u integrand gaussian ratio"), *g = NULL;
    if (f == NULL || glmm_gauss_hermite(&e, 5, z, w) != ST_OK)
        return 1;
    for (int k = -200; k <= 200; k++) {
        double u = u0 + k * 5 * s / 200;
        double in = exp(-0.5 * (herd_d(h, worst, u) - d0));
        double gauss = exp(-0.5 * (u - u0) * (u - u0) / (s * s));
        fprintf(f, "%.6f %.6e %.6e %.6e\n", u, in, gauss, in / gauss);
    }
    fclose(f);
    if ((g = open_dat(dir, "nodes", "u integrand ratio")) == NULL)
        return 1;
    for (int k = 0; k < 5; k++) {
        double in = exp(-0.5 * (herd_d(h, worst, u0 + s * z[k]) - d0));
        fprintf(g, "%.6f %.6e %.6e\n", u0 + s * z[k], in, in * exp(0.5 * z[k] * z[k]));
    }
    fclose(g);
    printf("\\newcommand{\\glmmHerdName}{%s}\n\\newcommand{\\glmmHerdData}{", h->levels[worst]);
    for (int i = 0, k = 0; i < h->n; i++)
        if (h->g[i] == worst)
            printf("%s%.0f/%.0f", k++ ? ", " : "", h->y[i] * h->m[i], h->m[i]);
    printf("}\n\\newcommand{\\glmmHerdMode}{%.4f}\n\\newcommand{\\glmmHerdD}{%.4f}\n", u0, d0);
    printf("\\newcommand{\\glmmHerdLTwo}{%.4f}\n\\newcommand{\\glmmHerdScale}{%.4f}\n",
           h->L2[worst], s);
    printf("\\newcommand{\\glmmHerdExact}{%.6f}\n", exact);
    printf("\\newcommand{\\glmmHerdUmin}{%.3f}\n\\newcommand{\\glmmHerdUmax}{%.3f}\n", u0 - 5 * s,
           u0 + 5 * s);
    printf("\\newcommand{\\glmmHerdLaplaceError}{%.4f}\n", herd_agq(h, worst, 1) - exact);
    printf("\\newcommand{\\glmmHerdTable}{\\begin{tabular}{lrr}\n\\toprule\nnodes $K$ & "
           "$-2\\log L_j$ & error \\\\\n\\midrule\n");
    for (size_t k = 0; k < sizeof ks / sizeof ks[0]; k++) {
        double v = herd_agq(h, worst, ks[k]);
        printf("%d%s & $%.6f$ & ", ks[k], ks[k] == 1 ? " (Laplace)" : "", v);
        cmp_tex_number(stdout, v - exact, 2);
        printf(" \\\\\n");
    }
    printf("exact & $%.6f$ & \\\\\n\\bottomrule\n\\end{tabular}}\n", exact);
    return 0;
}
static double pdev_at(const herds *h, const double *u, double theta)
{
    double d = 0;
    for (int i = 0; i < h->n; i++)
        d += glm_dev_resid(h->y[i], glm_linkinv(h->off[i] + theta * u[h->g[i]]), h->m[i]);
    for (int l = 0; l < h->nl; l++)
        d += u[l] * u[l];
    return d;
}

static void pirls_update(const herds *h, const double *u, double theta, double *unew,
                         double *L2)
{
    double sw[64] = { 0 }, swz[64] = { 0 };
    for (int i = 0; i < h->n; i++) {
        int l = h->g[i];
        double mu = glm_linkinv(h->off[i] + theta * u[l]), var = mu * (1 - mu);
        sw[l] += h->m[i] * var;
        swz[l] += h->m[i] * var * (theta * u[l] + (h->y[i] - mu) / var);
    }
    for (int l = 0; l < h->nl; l++) {
        L2[l] = 1 + theta * theta * sw[l];
        unew[l] = theta * swz[l] / L2[l];
    }
}
static int pirls_figure(const char *dir, const herds *h)
{
    double u[64] = { 0 }, u1[64], L2[64], pdev = pdev_at(h, u, h->theta);
    int glmer = 0, ours = 0;
    FILE *f = open_dat(dir, "pirls", "step du dpdev");
    if (f == NULL)
        return 1;
    for (int t = 1; t <= 12; t++) {
        pirls_update(h, u, h->theta, u1, L2);
        double du = 0, pdev1 = pdev_at(h, u1, h->theta), rel = fabs(pdev - pdev1) / pdev1;
        for (int l = 0; l < h->nl; l++)
            du = fmax(du, fabs(u1[l] - u[l]));
        if (du < 1e-16)
            break;
        fprintf(f, "%d %.6e ", t, du);
        fprintf(f, rel > 1e-16 ? "%.6e\n" : "nan\n", rel);
        if (!glmer && rel < 1e-7)
            glmer = t;
        if (!ours && du < 1e-7)
            ours = t + 1;
        memcpy(u, u1, sizeof u);
        pdev = pdev1;
    }
    fclose(f);
    printf("\\newcommand{\\glmmPirlsGlmer}{%d}\n\\newcommand{\\glmmPirlsOurs}{%d}\n", glmer, ours);
    return 0;
}
static double loose_laplace(const herds *h, double theta, double tol, double sat)
{
    double u[64] = { 0 }, u1[64], L2[64], pdev = pdev_at(h, u, theta), logdet = 0;
    for (int it = 0; it < 100; it++) {
        pirls_update(h, u, theta, u1, L2);
        double pdev1 = pdev_at(h, u1, theta);
        for (int k = 0; k < 10 && pdev1 > pdev; k++) {
            for (int l = 0; l < h->nl; l++)
                u1[l] = 0.5 * (u1[l] + u[l]);
            pdev1 = pdev_at(h, u1, theta);
        }
        memcpy(u, u1, sizeof u);
        double rel = fabs(pdev - pdev1) / pdev1;
        pdev = pdev1;
        if (rel < tol || rel == 0)
            break;
    }
    for (int l = 0; l < h->nl; l++)
        logdet += log(L2[l]);
    return pdev + sat + logdet;
}

static int tolerance_figure(const char *dir, book_fit *b, const herds *h)
{
    st_error e = { 0 };
    double sat = 0, maxdiff = 0, tight, th = h->theta;
    for (int i = 0; i < h->n; i++)
        sat += glm_saturated(h->y[i], h->m[i]);
    if (glmm_evaluate(&e, b->m, &b->resp, 1, &th, b->r->beta, &tight) != ST_OK
        || fabs(loose_laplace(h, th, 0, sat) - tight) > 1e-8)
        return fprintf(stderr, "book-glmm: the loose PIRLS does not converge to the "
                       "library's deviance %.12g %s\n", tight, e.msg), 1;
    FILE *f = open_dat(dir, "tolerance", "theta default tight diff");
    if (f == NULL)
        return 1;
    for (int k = 0; k <= 300; k++) {
        th = 0.01 + k * 0.005;          /* the range of \glmmTolThetaMin and \glmmTolThetaMax */
        double loose = loose_laplace(h, th, 1e-7, sat);
        if (glmm_evaluate(&e, b->m, &b->resp, 1, &th, b->r->beta, &tight) != ST_OK) {
            fclose(f);
            return fprintf(stderr, "book-glmm: %s\n", e.msg), 1;
        }
        fprintf(f, "%.4f %.10f %.10f %.6e\n", th, loose, tight, loose - tight);
        maxdiff = fmax(maxdiff, fabs(loose - tight));
    }
    fclose(f);
    printf("\\newcommand{\\glmmTolMaxDiff}{");
    cmp_tex_number(stdout, maxdiff, 1);
    printf("}\n\\newcommand{\\glmmThetaHat}{%.4f}\n", h->theta);
    printf("\\newcommand{\\glmmTolThetaMin}{0.01}\n\\newcommand{\\glmmTolThetaMax}{%.2f}\n",
           th);
    return 0;
}
static int caterpillar_figure(const char *dir, const herds *h, const lmm_term *t)
{
    int order[64], excl = 0;
    for (int l = 0; l < h->nl; l++)
        order[l] = l;
    for (int a = 1; a < h->nl; a++)
        for (int c = a; c > 0 && h->u[order[c]] < h->u[order[c - 1]]; c--) {
            int tmp = order[c];
            order[c] = order[c - 1];
            order[c - 1] = tmp;
        }
    FILE *f = open_dat(dir, "herds", "rank herd mode halfwidth");
    if (f == NULL)
        return 1;
    for (int r = 0; r < h->nl; r++) {
        int l = order[r];
        double bmode = h->theta * h->u[l], half = 1.96 * h->theta / sqrt(h->L2[l]);
        fprintf(f, "%d %s %.6f %.6f\n", r + 1, t->levels[l], bmode, half);
        excl += fabs(bmode) > half;
    }
    fclose(f);
    printf("\\newcommand{\\glmmHerdsExcludingZero}{%s}\n", excl == 0 ? "none" : excl == 1 ?
           "one" : excl == 2 ? "two" : excl == 3 ? "three" : excl == 4 ? "four" : "several");
    return 0;
}
static int herd_figures(const char *dir)
{
    book_fit b;
    herds h;
    st_error e = { 0 };
    int status = 1;
    if (fit_case("cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp", 1,
                 0.95, &b) != ST_OK)
        return 1;
    const lmm_term *t = &b.r->re.term[0];
    memset(&h, 0, sizeof h);
    h.n = b.m->n;
    h.nl = t->nlevels;
    h.g = t->g;
    h.y = b.resp.y;
    h.m = b.resp.m;
    h.theta = b.r->re.theta[0];
    h.levels = t->levels;
    if (h.nl > 64 || (h.off = calloc((size_t)h.n, sizeof *h.off)) == NULL)
        goto done;
    for (int j = 0; j < b.m->p; j++)
        for (int i = 0; i < h.n; i++)
            h.off[i] += b.m->X[i + (size_t)j * h.n] * b.r->beta[j];
    {
        double laplace = 0, agq5 = 0, dev1, dev5, maxdu = 0;
        for (int l = 0; l < h.nl; l++) {
            herd_mode(&h, l);
            laplace += herd_agq(&h, l, 1);
            agq5 += herd_agq(&h, l, 5);
            maxdu = fmax(maxdu, fabs(h.u[l] - b.r->re.u[l]));
        }
        if (glmm_evaluate(&e, b.m, &b.resp, 1, &h.theta, b.r->beta, &dev1) != ST_OK
            || glmm_evaluate(&e, b.m, &b.resp, 5, &h.theta, b.r->beta, &dev5) != ST_OK
            || fabs(laplace - dev1) > 1e-8 || fabs(agq5 - dev5) > 1e-8 || maxdu > 1e-6) {
            fprintf(stderr, "book-glmm: the herds disagree with the library: %.12g %.12g, "
                    "%.12g %.12g, %g %s\n", laplace, dev1, agq5, dev5, maxdu, e.msg);
            goto done;
        }
    }
    if (integrand_figure(dir, &h) != 0 || pirls_figure(dir, &h) != 0
        || tolerance_figure(dir, &b, &h) != 0 || caterpillar_figure(dir, &h, t) != 0)
        goto done;
    status = 0;
done:
    free(h.off);
    free_fit(&b);
    return status;
}
static int default_table(void)
{
    FILE *in = fopen("tests/reference/glmm/glmer-default.tsv", "r");
    char line[1024];
    double cbpp[7] = { NAN }, verbagg[7] = { NAN };
    if (in == NULL || fgets(line, sizeof line, in) == NULL)
        return fprintf(stderr, "book-glmm: cannot read "
                       "tests/reference/glmm/glmer-default.tsv\n"), 1;
    printf("\\newcommand{\\glmmDefaultTable}{\\begin{tabular}{lrrrrrrr}\n\\toprule\n"
           "& \\multicolumn{3}{c}{deviance} & \\multicolumn{2}{c}{default}"
           " & \\multicolumn{2}{c}{tight} \\\\\n"
           "\\cmidrule(lr){2-4}\\cmidrule(lr){5-6}\\cmidrule(l){7-8}\n"
           "case & default & tight & exact & $\\beta$ & se & $\\beta$ & se \\\\\n\\midrule\n");
    while (fgets(line, sizeof line, in) != NULL) {
        char name[128];
        double v[7];
        if (sscanf(line, "%127s %lf %lf %lf %lf %lf %lf %lf", name, &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6]) != 8 || strcmp(name, "cbpp_level_99") == 0)
            continue;
        printf("\\texttt{");
        cmp_tex_escape(stdout, name);
        printf("} & $%.4f$ & $%.4f$ & $%.4f$", v[0], v[1], v[2]);
        for (int k = 3; k < 7; k++) {
            printf(" & ");
            cmp_tex_number(stdout, v[k], 2);
        }
        printf(" \\\\\n");
        if (strcmp(name, "cbpp_laplace") == 0)
            memcpy(cbpp, v, sizeof cbpp);
        if (strcmp(name, "verbagg_crossed") == 0)
            memcpy(verbagg, v, sizeof verbagg);
    }
    printf("\\bottomrule\n\\end{tabular}}\n");
    fclose(in);
    printf("\\newcommand{\\glmmDefaultCbppDev}{");
    cmp_tex_number(stdout, cbpp[0] - cbpp[2], 2);
    printf("}\n\\newcommand{\\glmmDefaultCbppBeta}{");
    cmp_tex_number(stdout, cbpp[3], 1);
    printf("}\n\\newcommand{\\glmmDefaultCbppSe}{%.1f\\%%}\n", 100 * cbpp[4]);
    printf("\\newcommand{\\glmmTightVerbaggDev}{");
    cmp_tex_number(stdout, verbagg[1] - verbagg[2], 2);
    printf("}\n");
    return 0;
}
static int cases(void)
{
    FILE *in = fopen("tests/reference/glmm/cases.tsv", "r");
    char line[2048];
    if (in == NULL)
        return fprintf(stderr, "book-glmm: cannot open tests/reference/glmm/cases.tsv\n"), 1;
    printf("\\newcommand{\\glmmCasesTable}{\\begin{tabular}{lrrrr}\n\\toprule\ncase & "
           "estimates & std.\\ errors & $\\boldsymbol\\theta$ & deviance \\\\\n\\midrule\n");
    int status = 0, ncases = 0;
    double worst[4] = { 0, 0, 0, 0 };   /* largest differences over the cases */
    while (status == 0 && fgets(line, sizeof line, in) != NULL) {
        char *name = strtok(line, "\t\n"), *formula = strtok(NULL, "\t\n");
        char *data = strtok(NULL, "\t\n"), *options = strtok(NULL, "\t\n");
        if (name == NULL || name[0] == '#' || strncmp(name, "glm_", 4) == 0 || data == NULL)
            continue;
        int nagq = options && strstr(options, "--nagq") ? atoi(strstr(options, "--nagq") + 7) : 1;
        ncases++;
        double level = options && strstr(options, "--level") ? atof(strstr(options, "--level") + 8)
                                                             : 0.95;
        book_fit b;
        st_error e = { 0 };
        char path[512];
        jr_value *ref = NULL;
        snprintf(path, sizeof path, "tests/reference/glmm/%s.json", name);
        if (fit_case(formula, data, nagq, level, &b) != ST_OK || jr_read(&e, path, &ref) != ST_OK) {
            fprintf(stderr, "book-glmm: %s: %s\n", name, e.msg);
            free_fit(&b);
            status = 1;
            break;
        }
        const jr_value *coefs = jr_get(ref, "coefficients"), *theta = jr_get(ref, "theta");
        double de = 0, ds = 0, dt = 0;
        for (size_t j = 0; j < jr_len(coefs) && j < (size_t)b.r->p; j++) {
            const jr_value *c = jr_at(coefs, j);
            double re = number(c, "estimate"), rs = number(c, "std_error");
            if (isnan(re))
                continue;
            de = fmax(de, fabs(b.r->beta[j] - re) / fmax(fabs(re), rs));
            ds = fmax(ds, fabs(b.r->se[j] - rs) / rs);
        }
        for (size_t k = 0; k < jr_len(theta) && k < (size_t)b.r->re.ntheta; k++) {
            double rt = NAN;
            jr_number(jr_at(theta, k), &rt);
            dt = fmax(dt, fabs(b.r->re.theta[k] - rt) / fmax(fabs(rt), 0.1));
        }
        const double row[4] = { de, ds, dt, b.r->deviance - number(ref, "deviance") };
        cmp_tex_case_row(stdout, name, row, 4, 2);
        worst[0] = fmax(worst[0], de);
        worst[1] = fmax(worst[1], ds);
        worst[2] = fmax(worst[2], dt);
        worst[3] = fmax(worst[3], fabs(b.r->deviance - number(ref, "deviance")));
        jr_free(ref);
        free_fit(&b);
    }
    fclose(in);
    printf("\\bottomrule\n\\end{tabular}}\n\\newcommand{\\glmmCasesCount}{%d}\n", ncases);
    const char *name[] = { "Beta", "Se", "Theta", "Dev" };
    for (int k = 0; k < 4; k++) {
        printf("\\newcommand{\\glmmCases%s}{", name[k]);
        cmp_tex_number(stdout, worst[k], 2);
        printf("}\n");
    }
    return status;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "build/numbers";
    printf("%% Generated by book-glmm: do not edit.\n");
    if (demo() != 0 || agq_figure() != 0 || herd_figures(dir) != 0
        || default_table() != 0 || cases() != 0 || summation_numbers() != 0
        || meaning_numbers() != 0 || control_numbers() != 0)
        return 1;
    return 0;
}
