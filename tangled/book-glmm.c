#line 213 "chunks/glmm-tests.nw"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "compare.h"
#include "formula.h"
#include "glmm.h"
#include "jsonr.h"
#include "rng.h"

#line 237 "chunks/glmm-tests.nw"
typedef struct book_fit {
    df_frame *df;
    frm_formula *f;
    frm_model *m;
    glm_response resp;
    glmm_result *r;
} book_fit;

static int load_case(const char *formula, const char *data, book_fit *b)
{
    st_error e = { 0, "" };
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
    st_error e = { 0, "" };
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
#line 291 "chunks/glmm-tests.nw"
static int meaning_numbers(void)
{
    book_fit b;
    enum { K = 40 };
    double z[K], w[K];
    st_error e = { 0, "" };
    if (fit_case("cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
                 1, 0.95, &b) != ST_OK)
        return 1;
    if (glmm_gauss_hermite(&e, K, z, w) != ST_OK)
        return fprintf(stderr, "book-glmm: %s\n", e.msg), free_fit(&b), 1;
    double sb = b.r->re->theta[0], b0 = b.r->beta[0], mbar = 0;
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
    free_fit(&b);
    return 0;
}
#line 328 "chunks/glmm-tests.nw"
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
#line 365 "chunks/glmm-tests.nw"
static void tex_tt(const char *text)
{
    printf("\\par\\smallskip{\\small\\ttfamily\\noindent\\mbox{}");
    for (const char *s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            printf(s[1] ? "\\mbox{}\\\\\n\\mbox{}" : "");
        else if (c == ' ') printf("~");
        else if (strchr("#$%&_{}", c)) printf("\\%c", c);
        else if (c == '\\') printf("\\textbackslash{}");
        else if (c == '^') printf("\\textasciicircum{}");
        else if (c == '~') printf("\\textasciitilde{}");
        else if (c == '\'') printf("\\textquotesingle{}");
        else if (c == '<' || c == '>' || c == '|' || c == '-') printf("{\\char%d}", c);
        else if (c == 0xE2 && (unsigned char)s[1] == 0x80
                 && ((unsigned char)s[2] == 0x98 || (unsigned char)s[2] == 0x99)) {
            printf("%s", (unsigned char)s[2] == 0x98 ? "`" : "'");
            s += 2;
        } else putchar(c);
    }
    printf("\\par}\\smallskip\n");
}

static jr_value *as_json(const glmm_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    st_error e = { 0, "" };
    jr_value *v = NULL;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    glmm_write_json(f, r);
    fclose(f);
    if (jr_parse(&e, "ours", buf, len, &v) != ST_OK)
        fprintf(stderr, "book-glmm: %s\n", e.msg);
    free(buf);
    return v;
}
#line 411 "chunks/glmm-tests.nw"
static int demo(void)
{
    book_fit b;
    const char *formula = "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)";
    st_error e = { 0, "" };
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
    tex_tt(buf);
    printf("}\n");
    free(buf);
    int status = (ours = as_json(b.r)) == NULL
                 || jr_read(&e, "tests/reference/glmm/cbpp_laplace.json", &ref) != ST_OK
                 || jr_read(&e, "tests/reference/glmm/cbpp_agq5.json", &agq) != ST_OK;
    if (status == 0) {
        printf("\\newcommand{\\glmmCbppTable}{");
        status = cmp_tex(&e, stdout, ours, ref);
        printf("}\n");
        
#line 448 "chunks/glmm-tests.nw"
double sat = 0;
for (int i = 0; i < b.m->n; i++)
    sat += glm_saturated(b.resp.y[i], b.resp.m[i]);
double ll5 = number(agq, "log_lik");
printf("\\newcommand{\\glmmCbppSat}{%.2f}\n", sat);
printf("\\newcommand{\\glmmCbppLogLik}{%.1f}\n", b.r->loglik);
printf("\\newcommand{\\glmmCbppAgqLogLik}{%.2f}\n", ll5);
printf("\\newcommand{\\glmmCbppLmeAgqLogLik}{%.1f}\n", ll5 + sat / 2);
#line 437 "chunks/glmm-tests.nw"
    } else
        fprintf(stderr, "book-glmm: %s\n", e.msg);
    jr_free(ours);
    jr_free(ref);
    jr_free(agq);
    free_fit(&b);
    return status;
}
#line 462 "chunks/glmm-tests.nw"
static int fit_case_params(book_fit *b, double *theta, double *beta)
{
    st_error e = { 0, "" };
    jr_value *v = NULL;
    if (jr_read(&e, "tests/reference/glmm/cbpp_laplace.json", &v) != ST_OK)
        return fprintf(stderr, "book-glmm: %s\n", e.msg), 1;
    int ok = jr_number(jr_at(jr_get(v, "theta"), 0), &theta[0]);
    for (int j = 0; ok && j < b->m->p; j++)
        ok = jr_number(jr_get(jr_at(jr_get(v, "coefficients"), (size_t)j), "estimate"), &beta[j]);
    jr_free(v);
    return !ok;
}
#line 481 "chunks/glmm-tests.nw"
static int agq_figure(void)
{
    book_fit b;
    st_error e = { 0, "" };
    double dev[26], theta[8], beta[8];
    if (load_case("cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
                  &b) != ST_OK || fit_case_params(&b, theta, beta) != 0)
        return 1;
    for (int k = 1; k <= 25; k++)
        if (glmm_evaluate(&e, b.m, &b.resp, k, theta, beta, &dev[k]) != ST_OK)
            return fprintf(stderr, "book-glmm: %s\n", e.msg), 1;
    printf("\\newcommand{\\glmmAgqLaplaceError}{%.2f}\n", dev[1] - dev[25]);
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
    free_fit(&b);
    return 0;
}
#line 517 "chunks/glmm-tests.nw"
static int default_table(void)
{
    FILE *in = fopen("tests/reference/glmm/glmer-default.tsv", "r");
    char line[1024];
    double cbpp[7] = { NAN }, verbagg[7] = { NAN };
    if (in == NULL || fgets(line, sizeof line, in) == NULL)
        return fprintf(stderr, "book-glmm: cannot read tests/reference/glmm/glmer-default.tsv\n"), 1;
    printf("\\newcommand{\\glmmDefaultTable}{\\begin{tabular}{lrrrrrrr}\n\\toprule\n"
           "& \\multicolumn{3}{c}{deviance} & \\multicolumn{2}{c}{default} & \\multicolumn{2}{c}{tight} \\\\\n"
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
    
#line 555 "chunks/glmm-tests.nw"
printf("\\newcommand{\\glmmDefaultCbppDev}{");
cmp_tex_number(stdout, cbpp[0] - cbpp[2], 2);
printf("}\n\\newcommand{\\glmmDefaultCbppBeta}{");
cmp_tex_number(stdout, cbpp[3], 1);
printf("}\n\\newcommand{\\glmmDefaultCbppSe}{%.1f\\%%}\n", 100 * cbpp[4]);
printf("\\newcommand{\\glmmTightVerbaggDev}{");
cmp_tex_number(stdout, verbagg[1] - verbagg[2], 2);
printf("}\n");
#line 550 "chunks/glmm-tests.nw"
    return 0;
}
#line 569 "chunks/glmm-tests.nw"
static int cases(void)
{
    FILE *in = fopen("tests/reference/glmm/cases.tsv", "r");
    char line[2048];
    if (in == NULL)
        return fprintf(stderr, "book-glmm: cannot open tests/reference/glmm/cases.tsv\n"), 1;
    printf("\\newcommand{\\glmmCasesTable}{\\begin{tabular}{lrrrr}\n\\toprule\ncase & "
           "estimates & std.\\ errors & $\\boldsymbol\\theta$ & deviance \\\\\n\\midrule\n");
    int status = 0;
    while (status == 0 && fgets(line, sizeof line, in) != NULL) {
        char *name = strtok(line, "\t\n"), *formula = strtok(NULL, "\t\n");
        char *data = strtok(NULL, "\t\n"), *options = strtok(NULL, "\t\n");
        if (name == NULL || name[0] == '#' || strncmp(name, "glm_", 4) == 0 || data == NULL)
            continue;
        int nagq = options && strstr(options, "--nagq") ? atoi(strstr(options, "--nagq") + 7) : 1;
        double level = options && strstr(options, "--level") ? atof(strstr(options, "--level") + 8)
                                                             : 0.95;
        
#line 595 "chunks/glmm-tests.nw"
book_fit b;
st_error e = { 0, "" };
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
for (size_t k = 0; k < jr_len(theta) && k < (size_t)b.r->re->ntheta; k++) {
    double rt = NAN;
    jr_number(jr_at(theta, k), &rt);
    dt = fmax(dt, fabs(b.r->re->theta[k] - rt) / fmax(fabs(rt), 0.1));
}
printf("\\texttt{");
cmp_tex_escape(stdout, name);
printf("} & ");
cmp_tex_number(stdout, de, 2);
printf(" & ");
cmp_tex_number(stdout, ds, 2);
printf(" & ");
cmp_tex_number(stdout, dt, 2);
printf(" & ");
cmp_tex_number(stdout, b.r->deviance - number(ref, "deviance"), 2);
printf(" \\\\\n");
jr_free(ref);
free_fit(&b);
#line 587 "chunks/glmm-tests.nw"
    }
    fclose(in);
    printf("\\bottomrule\n\\end{tabular}}\n");
    return status;
}

#line 226 "chunks/glmm-tests.nw"
int main(void)
{
    printf("%% Generated by book-glmm: do not edit.\n");
    if (demo() != 0 || agq_figure() != 0 || default_table() != 0 || cases() != 0
        || summation_numbers() != 0 || meaning_numbers() != 0)
        return 1;
    return 0;
}
