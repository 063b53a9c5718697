#line 243 "chunks/glm-tests.nw"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "compare.h"
#include "formula.h"
#include "glm.h"
#include "jsonr.h"

#line 266 "chunks/glm-tests.nw"
typedef struct book_fit {
    df_frame *df;
    frm_formula *f;
    frm_model *m;
    glm_response resp;
    glm_result *r;
} book_fit;

static int fit_case(const char *formula, const char *data, double level, book_fit *b)
{
    st_error e = { 0, "" };
    memset(b, 0, sizeof *b);
    int status = frm_parse(&e, formula, &b->f);
    if (status == ST_OK) status = df_read(&e, data, &b->df);
    if (status == ST_OK) status = frm_model_frame(&e, b->f, b->df, FRM_BINOMIAL, &b->m);
    if (status == ST_OK) status = glm_response_make(&e, b->m, b->df, &b->resp);
    if (status == ST_OK) status = glm_fit(&e, b->m, &b->resp, level, &b->r);
    if (status != ST_OK)
        fprintf(stderr, "book-glm: %s %s: %s\n", formula, data, e.msg);
    return status;
}

static void free_fit(book_fit *b)
{
    glm_free(b->r);
    if (b->resp.y != NULL)
        glm_response_free(&b->resp);
    frm_model_free(b->m);
    frm_free(b->f);
    df_free(b->df);
}
#line 305 "chunks/glm-tests.nw"
static int fit_text(const char *formula, const char *csv, book_fit *b)
{
    st_error e = { 0, "" };
    size_t len = strlen(csv);
    char *buf = malloc(len + 1);
    memset(b, 0, sizeof *b);
    if (buf == NULL)
        return fprintf(stderr, "book-glm: out of memory\n"), ST_EFIT;
    memcpy(buf, csv, len + 1);
    int status = frm_parse(&e, formula, &b->f);
    if (status == ST_OK) status = df_parse(&e, "exercise", buf, len, &b->df);
    if (status == ST_OK) status = frm_model_frame(&e, b->f, b->df, FRM_BINOMIAL, &b->m);
    if (status == ST_OK) status = glm_response_make(&e, b->m, b->df, &b->resp);
    if (status == ST_OK) status = glm_fit(&e, b->m, &b->resp, 0.95, &b->r);
    free(buf);
    if (status != ST_OK)
        fprintf(stderr, "book-glm: %s: %s\n", formula, e.msg);
    return status;
}

static int exercise_numbers(void)
{
    book_fit a, b;
    if (fit_text("y ~ x", "x,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n", &a) != ST_OK)
        return 1;
    if (fit_text("y ~ x", "x,y\n1,0\n2,0\n3,1\n4,0\n5,1\n6,1\n", &b) != ST_OK)
        return free_fit(&a), 1;
    printf("\\newcommand{\\glmSepSlope}{%.1f}\n", a.r->beta[1]);
    printf("\\newcommand{\\glmSepSe}{%.0f}\n", a.r->se[1]);
    printf("\\newcommand{\\glmSepSteps}{%d}\n", a.r->iterations);
    printf("\\newcommand{\\glmSepSeparated}{%s}\n", a.r->separated ? "warns" : "does not warn");
    printf("\\newcommand{\\glmOverlapSlope}{%.2f}\n", b.r->beta[1]);
    printf("\\newcommand{\\glmOverlapSe}{%.2f}\n", b.r->se[1]);
    printf("\\newcommand{\\glmOverlapSteps}{%d}\n", b.r->iterations);
    free_fit(&a);
    free_fit(&b);
    double b0 = 3, mu0 = glm_linkinv(b0), step0 = (1 - 2 * mu0) / (2 * mu0 * (1 - mu0));
    double b1 = b0 + step0, mu1 = glm_linkinv(b1);
    printf("\\newcommand{\\glmOvershootMu}{%.3f}\n", mu0);
    printf("\\newcommand{\\glmOvershootStep}{%.2f}\n", step0);
    printf("\\newcommand{\\glmOvershootLand}{%.2f}\n", b1);
    printf("\\newcommand{\\glmOvershootNext}{%.0f}\n", b1 + (1 - 2 * mu1) / (2 * mu1 * (1 - mu1)));
    double mu = 0.75, w = glm_mu_eta(log(mu / (1 - mu)));
    printf("\\newcommand{\\glmStartWeight}{%.4f}\n", w);
    printf("\\newcommand{\\glmStartZ}{%.4f}\n", log(mu / (1 - mu)) + (1 - mu) / w);
    return 0;
}
#line 358 "chunks/glm-tests.nw"
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

static jr_value *as_json(const glm_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    st_error e = { 0, "" };
    jr_value *v = NULL;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    glm_write_json(f, r);
    fclose(f);
    if (jr_parse(&e, "ours", buf, len, &v) != ST_OK)
        fprintf(stderr, "book-glm: %s\n", e.msg);
    free(buf);
    return v;
}
#line 402 "chunks/glm-tests.nw"
static int demo(void)
{
    book_fit b;
    const char *formula = "cbind(incidence, size - incidence) ~ factor(period)";
    if (fit_case(formula, "cbpp", 0.95, &b) != ST_OK)
        return 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "$ bin/glmm '%s' cbpp\n", formula);
    glm_print(f, b.r, "cbpp");
    fclose(f);
    printf("\\newcommand{\\glmDemoSummary}{");
    tex_tt(buf);
    printf("}\n");
    free(buf);
    st_error e = { 0, "" };
    jr_value *ours = as_json(b.r), *ref = NULL;
    if (ours == NULL || jr_read(&e, "tests/reference/glmm/glm_trials.json", &ref) != ST_OK) {
        fprintf(stderr, "book-glm: %s\n", e.msg);
        jr_free(ours);
        free_fit(&b);
        return 1;
    }
    printf("\\newcommand{\\glmCbppTable}{");
    int status = cmp_tex(&e, stdout, ours, ref);
    printf("}\n");
    printf("\\newcommand{\\glmTraceTable}{\\begin{tabular}{rrr}\n\\toprule\nstep & deviance "
           "& change \\\\\n\\midrule\n");
    for (int k = 0; k <= b.r->iterations; k++) {
        printf("%d & $%.12f$ & ", k, b.r->trace[k]);
        if (k > 0)
            cmp_tex_number(stdout, b.r->trace[k] - b.r->trace[k - 1], 2);
        printf(" \\\\\n");
    }
    printf("\\bottomrule\n\\end{tabular}}\n");
    jr_free(ours);
    jr_free(ref);
    free_fit(&b);
    return status;
}
#line 452 "chunks/glm-tests.nw"
static double number(const jr_value *obj, const char *key)
{
    double x = NAN;
    jr_number(jr_get(obj, key), &x);
    return x;
}

static double z_of_p(double p)
{
    return p > 0 ? -qnorm(p / 2, 0, 1, 1, 0) : INFINITY;
}
#line 466 "chunks/glm-tests.nw"
static int cases(void)
{
    FILE *in = fopen("tests/reference/glmm/cases.tsv", "r");
    char line[2048];
    if (in == NULL)
        return fprintf(stderr, "book-glm: cannot open tests/reference/glmm/cases.tsv\n"), 1;
    printf("\\newcommand{\\glmCasesTable}{\\begin{tabular}{lrrrr}\n\\toprule\ncase & "
           "estimates & std.\\ errors & $p$-values & deviance \\\\\n\\midrule\n");
    int status = 0;
    while (status == 0 && fgets(line, sizeof line, in) != NULL) {
        char *name = strtok(line, "\t\n"), *formula = strtok(NULL, "\t\n");
        char *data = strtok(NULL, "\t\n"), *options = strtok(NULL, "\t\n");
        if (name == NULL || name[0] == '#' || strncmp(name, "glm_", 4) != 0 || data == NULL)
            continue;
        double level = options && strstr(options, "--level") ? atof(options + 8) : 0.95;
        
#line 490 "chunks/glm-tests.nw"
book_fit b;
st_error e = { 0, "" };
char path[512];
jr_value *ref = NULL;
snprintf(path, sizeof path, "tests/reference/glmm/%s.json", name);
if (fit_case(formula, data, level, &b) != ST_OK || jr_read(&e, path, &ref) != ST_OK) {
    fprintf(stderr, "book-glm: %s: %s\n", name, e.msg);
    free_fit(&b);
    status = 1;
    break;
}
const jr_value *coefs = jr_get(ref, "coefficients");
double de = 0, ds = 0, dp = 0;
for (size_t j = 0; j < jr_len(coefs) && j < (size_t)b.r->p; j++) {
    const jr_value *c = jr_at(coefs, j);
    double re = number(c, "estimate"), rs = number(c, "std_error"), rp = number(c, "p_value");
    if (isnan(re))
        continue;
    de = fmax(de, fabs(b.r->beta[j] - re) / fmax(fabs(re), rs));
    ds = fmax(ds, fabs(b.r->se[j] - rs) / rs);
    double zo = z_of_p(b.r->pval[j]), zr = z_of_p(rp);
    if (isfinite(zr))
        dp = fmax(dp, fabs(zo - zr) / fmax(zr, 1));
}
printf("\\texttt{");
cmp_tex_escape(stdout, name);
printf("} & ");
cmp_tex_number(stdout, de, 2);
printf(" & ");
cmp_tex_number(stdout, ds, 2);
printf(" & ");
cmp_tex_number(stdout, dp, 2);
printf(" & ");
cmp_tex_number(stdout, fabs(b.r->deviance - number(ref, "deviance")), 2);
printf(" \\\\\n");
jr_free(ref);
free_fit(&b);
#line 482 "chunks/glm-tests.nw"
    }
    fclose(in);
    printf("\\bottomrule\n\\end{tabular}}\n");
    return status;
}

#line 256 "chunks/glm-tests.nw"
int main(void)
{
    printf("%% Generated by book-glm: do not edit.\n");
    if (demo() != 0 || cases() != 0 || exercise_numbers() != 0)
        return 1;
    return 0;
}
