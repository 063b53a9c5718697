#line 21 "chunks/formula-tests.nw"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "booktex.h"
#include "formula.h"

static const char small_csv[] =
    "y,x,z,f,g,n,k\n"
    "1,1.5,2,a,u,10,3\n2,2,1,b,u,2,1\n3,3,4,c,v,3.5,4\n4,4,3,a,v,10,2\n"
    "5,5,6,b,w,2,5\n6,6,5,c,w,3.5,3\n7,7,8,a,u,10,6\n8,9,7,b,v,2,2\n";

#line 186 "chunks/formula-tests.nw"
static void tt(const char *s)
{
    printf("\\texttt{");
    tex_escape(stdout, s, strlen(s), 0);
    printf("}");
}
#line 198 "chunks/formula-tests.nw"
static int print_codes(const df_frame *df)
{
    st_error e = { 0, "" };
    frm_formula *f;
    frm_model *m;
    const char *text = "y ~ f*g + f:x";
    if (frm_parse(&e, text, &f) != ST_OK || frm_model_frame(&e, f, df, 0, &m) != ST_OK) {
        fprintf(stderr, "book-formula: %s\n", e.msg);
        return 1;
    }
    const frm_terms *T = &f->fixed;
    printf("\\begin{tabular}{l");
    for (int j = 0; j < T->nterm; j++)
        printf("c");
    printf("}\n\\toprule\nvariable");
    for (int j = 0; j < T->nterm; j++) {
        printf(" & ");
        tt(T->label[j]);
    }
    printf(" \\\\\n\\midrule\n");
    for (int v = 0; v < T->nvar; v++) {
        tt(f->var[T->var[v]].name);
        for (int j = 0; j < T->nterm; j++) {
            const uint64_t *w = T->bits + (size_t)j * T->nwords;
            int c = T->start[j], in = w[v / 64] >> (v % 64) & 1;
            for (int u = 0; u < v; u++)
                c += w[u / 64] >> (u % 64) & 1;
            printf(" & %s", in ? (T->code[c] == 1 ? "1" : "2") : "");
        }
        printf(" \\\\\n");
    }
    printf("\\midrule\ncolumns");
    for (int j = 0; j < T->nterm; j++) {
        printf(" & \\begin{tabular}[t]{@{}c@{}}");
        for (int k = 0, first = 1; k < m->p; k++)
            if (m->assign[k] == j + 1) {
                printf("%s", first ? "" : "\\\\ ");
                tt(m->colnames[k]);
                first = 0;
            }
        printf("\\end{tabular}");
    }
    printf(" \\\\\n\\bottomrule\n\\end{tabular}\n");
    frm_model_free(m);
    frm_free(f);
    return 0;
}
#line 248 "chunks/formula-tests.nw"
static int print_names(const df_frame *df)
{
    static const char *const formulas[] = {
        "y ~ x + f", "y ~ 0 + f", "y ~ f*g", "y ~ f:g", "y ~ x + x:f", "y ~ f + x:f",
        "y ~ g:f + f", "y ~ (x + z + f)^2", "y ~ factor(n) + I(x^2)", "y ~ log(x + 1) + I(x/z)",
        "log(y) ~ 0 + x:factor(n)", NULL };
    printf("\\begin{tabular}{lp{0.62\\textwidth}}\n\\toprule\n"
           "formula & columns of $X$ \\\\\n\\midrule\n");
    for (int i = 0; formulas[i] != NULL; i++) {
        st_error e = { 0, "" };
        frm_formula *f;
        frm_model *m;
        if (frm_parse(&e, formulas[i], &f) != ST_OK
            || frm_model_frame(&e, f, df, 0, &m) != ST_OK) {
            fprintf(stderr, "book-formula: %s\n", e.msg);
            return 1;
        }
        tt(formulas[i]);
        printf(" & \\raggedright ");
        for (int k = 0; k < m->p; k++) {
            printf("%s", k ? ", " : "");
            tt(m->colnames[k]);
        }
        printf(" \\tabularnewline\n");
        frm_model_free(m);
        frm_free(f);
    }
    printf("\\bottomrule\n\\end{tabular}\n");
    return 0;
}
#line 429 "chunks/formula-tests.nw"
static const char *const r_names[][2] = {
    { "y ~ x", "(Intercept)|x" },
    { "y ~ x + z", "(Intercept)|x|z" },
    { "y ~ f", "(Intercept)|fb|fc" },
    { "y ~ 0 + f", "fa|fb|fc" },
    { "y ~ f - 1", "fa|fb|fc" },
    { "y ~ -1 + f", "fa|fb|fc" },
    { "y ~ x + f", "(Intercept)|x|fb|fc" },
    { "y ~ f + x", "(Intercept)|fb|fc|x" },
    { "y ~ x*f", "(Intercept)|x|fb|fc|x:fb|x:fc" },
    { "y ~ f*x", "(Intercept)|fb|fc|x|fb:x|fc:x" },
    { "y ~ f*g", "(Intercept)|fb|fc|gv|gw|fb:gv|fc:gv|fb:gw|fc:gw" },
    { "y ~ f:g", "(Intercept)|fa:gu|fb:gu|fc:gu|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ 0 + f:g", "fa:gu|fb:gu|fc:gu|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ g:f + f", "(Intercept)|fb|fc|gv:fa|gw:fa|gv:fb|gw:fb|gv:fc|gw:fc" },
    { "y ~ x + x:f", "(Intercept)|x|x:fb|x:fc" },
    { "y ~ x:f", "(Intercept)|x:fa|x:fb|x:fc" },
    { "y ~ f + x:f", "(Intercept)|fb|fc|fa:x|fb:x|fc:x" },
    { "y ~ f/x", "(Intercept)|fb|fc|fa:x|fb:x|fc:x" },
    { "y ~ f/g", "(Intercept)|fb|fc|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ x:z + x", "(Intercept)|x|x:z" },
    { "y ~ z:x", "(Intercept)|z:x" },
    { "y ~ (x + z + f)^2", "(Intercept)|x|z|fb|fc|x:z|x:fb|x:fc|z:fb|z:fc" },
    { "y ~ x*z*f - x:z:f", "(Intercept)|x|z|fb|fc|x:z|x:fb|x:fc|z:fb|z:fc" },
    { "y ~ 0 + x + f", "x|fa|fb|fc" },
    { "y ~ x - 0", "(Intercept)|x" },
    { "y ~ 0 + x + 1", "(Intercept)|x" },
    { "y ~ x:x", "(Intercept)|x" },
    { "y ~ x + x", "(Intercept)|x" },
    { "y ~ f + g + f:g:x",
      "(Intercept)|fb|fc|gv|gw|fa:gu:x|fb:gu:x|fc:gu:x|fa:gv:x|fb:gv:x|fc:gv:x|fa:gw:x|"
      "fb:gw:x|fc:gw:x" },
    { "y ~ 1:x", "(Intercept)" },
    { "y ~ x %in% f", "(Intercept)|x:fa|x:fb|x:fc" },
    { "y ~ factor(n)", "(Intercept)|factor(n)3.5|factor(n)10" },
    { "y ~ factor(n) + x", "(Intercept)|factor(n)3.5|factor(n)10|x" },
    { "y ~ x:factor(n)", "(Intercept)|x:factor(n)2|x:factor(n)3.5|x:factor(n)10" },
    { "y ~ I(x^2) + log(x) + exp(z) + sqrt(x) + abs(x)",
      "(Intercept)|I(x^2)|log(x)|exp(z)|sqrt(x)|abs(x)" },
    { "y ~ I(x - z) + I(x * z) + I(x/z) + I(-x) + I(x^-1)",
      "(Intercept)|I(x - z)|I(x * z)|I(x/z)|I(-x)|I(x^-1)" },
    { "y ~ log(x + 1) + I((x + z)^2) + I(2^x)",
      "(Intercept)|log(x + 1)|I((x + z)^2)|I(2^x)" },
    { "y ~ I(1e5 * x) + I(x * 0.0001) + I(x/1e3)",
      "(Intercept)|I(1e+05 * x)|I(x * 1e-04)|I(x/1000)" },
    { "log(y) ~ x", "(Intercept)|x" },
    { "y ~ 1", "(Intercept)" },
    { "y ~ 0", "" },
    { "y ~ x - x", "(Intercept)" },
    { "y ~ 0 + f + g", "fa|fb|fc|gv|gw" },
    { "y ~ 0 + x:f + g", "gu|gv|gw|x:fa|x:fb|x:fc" },
    { "y ~ f*g*x",
      "(Intercept)|fb|fc|gv|gw|x|fb:gv|fc:gv|fb:gw|fc:gw|fb:x|fc:x|gv:x|gw:x|fb:gv:x|"
      "fc:gv:x|fb:gw:x|fc:gw:x" },
    { "y ~ (f + g)/x",
      "(Intercept)|fb|fc|gv|gw|fa:gu:x|fb:gu:x|fc:gu:x|fa:gv:x|fb:gv:x|fc:gv:x|fa:gw:x|"
      "fb:gw:x|fc:gw:x" },
    { "y ~ x/(f + g)", "(Intercept)|x|x:fb|x:fc|x:gv|x:gw" },
    { "y ~ f %in% g", "(Intercept)|fa:gu|fb:gu|fc:gu|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ I(f)", "(Intercept)|I(f)b|I(f)c" },
    { "y ~ factor(f)", "(Intercept)|factor(f)b|factor(f)c" },
    { "y ~ factor(n*2)", "(Intercept)|factor(n * 2)7|factor(n * 2)20" },
    { "y ~ factor(x) + 0",
      "factor(x)1.5|factor(x)2|factor(x)3|factor(x)4|factor(x)5|factor(x)6|factor(x)7|"
      "factor(x)9" },
    { "y ~ g + x:f:g",
      "(Intercept)|gv|gw|gu:x:fa|gv:x:fa|gw:x:fa|gu:x:fb|gv:x:fb|gw:x:fb|gu:x:fc|"
      "gv:x:fc|gw:x:fc" },
    { "y ~ (x + f)^3", "(Intercept)|x|fb|fc|x:fb|x:fc" },
    { "y ~ x + z + f + x:z - 1", "x|z|fa|fb|fc|x:z" },
    { "y ~ -x + z", "(Intercept)|z" },
    { "y ~ (x + z) - x", "(Intercept)|z" },
    { "y ~ exp(-x) + sqrt(abs(z - 4))", "(Intercept)|exp(-x)|sqrt(abs(z - 4))" },
    { "y ~ I(x^2):f", "(Intercept)|I(x^2):fa|I(x^2):fb|I(x^2):fc" },
    { "y ~ f:I(x^2)", "(Intercept)|fa:I(x^2)|fb:I(x^2)|fc:I(x^2)" },
    { "y ~ I(+x) + I(x - -z) + I(2 * -x) + I((x))",
      "(Intercept)|I(+x)|I(x - -z)|I(2 * -x)|I((x))" },
    { "y ~ f + g + n", "(Intercept)|fb|fc|gv|gw|n" },
    { "y ~ log(x, 2)", "(Intercept)|log(x, 2)" },
    { NULL, NULL }
};
#line 519 "chunks/formula-tests.nw"
static const char *const r_dataset_names[][3] = {
    { "mtcars", "mpg ~ wt + factor(cyl)", "(Intercept)|wt|factor(cyl)6|factor(cyl)8" },
    { "mtcars", "mpg ~ wt:factor(cyl)",
      "(Intercept)|wt:factor(cyl)4|wt:factor(cyl)6|wt:factor(cyl)8" },
    { "mtcars", "mpg ~ wt*factor(cyl)",
      "(Intercept)|wt|factor(cyl)6|factor(cyl)8|wt:factor(cyl)6|wt:factor(cyl)8" },
    { "mtcars", "log(mpg) ~ I(wt^2) + hp", "(Intercept)|I(wt^2)|hp" },
    { "mtcars", "mpg ~ factor(cyl):factor(gear)",
      "(Intercept)|factor(cyl)4:factor(gear)3|factor(cyl)6:factor(gear)3|"
      "factor(cyl)8:factor(gear)3|factor(cyl)4:factor(gear)4|factor(cyl)6:factor(gear)4|"
      "factor(cyl)8:factor(gear)4|factor(cyl)4:factor(gear)5|factor(cyl)6:factor(gear)5|"
      "factor(cyl)8:factor(gear)5" },
    { "mtcars", "mpg ~ 0 + factor(am)", "factor(am)0|factor(am)1" },
    { "iris", "Sepal.Length ~ Species", "(Intercept)|Speciesversicolor|Speciesvirginica" },
    { "iris", "Sepal.Length ~ Petal.Width*Species",
      "(Intercept)|Petal.Width|Speciesversicolor|Speciesvirginica|"
      "Petal.Width:Speciesversicolor|Petal.Width:Speciesvirginica" },
    { "iris", "Sepal.Length ~ Species/Petal.Width",
      "(Intercept)|Speciesversicolor|Speciesvirginica|Speciessetosa:Petal.Width|"
      "Speciesversicolor:Petal.Width|Speciesvirginica:Petal.Width" },
    { "warpbreaks", "breaks ~ wool*tension",
      "(Intercept)|woolB|tensionM|tensionH|woolB:tensionM|woolB:tensionH" },
    { "warpbreaks", "breaks ~ wool:tension",
      "(Intercept)|woolA:tensionL|woolB:tensionL|woolA:tensionM|woolB:tensionM|"
      "woolA:tensionH|woolB:tensionH" },
    { "warpbreaks", "breaks ~ tension:wool",
      "(Intercept)|tensionL:woolA|tensionM:woolA|tensionH:woolA|tensionL:woolB|"
      "tensionM:woolB|tensionH:woolB" },
    { "warpbreaks", "breaks ~ 0 + wool:tension",
      "woolA:tensionL|woolB:tensionL|woolA:tensionM|woolB:tensionM|woolA:tensionH|"
      "woolB:tensionH" },
    { "swiss", "Fertility ~ Infant.Mortality + Education",
      "(Intercept)|Infant.Mortality|Education" },
    { "ToothGrowth", "len ~ supp*factor(dose)",
      "(Intercept)|suppVC|factor(dose)1|factor(dose)2|suppVC:factor(dose)1|"
      "suppVC:factor(dose)2" },
    { NULL, NULL, NULL }
};
#line 101 "chunks/formula-tests.nw"
static int print_error_example(void)
{
    st_error e = { 0, "" };
    frm_formula *f = NULL;
    if (frm_parse(&e, "y ~ x + (1 | g", &f) == ST_OK) {
        frm_free(f);
        fprintf(stderr, "book-formula: an unclosed term parsed\n");
        return 1;
    }
    size_t cut = 0;
    for (size_t i = 0; e.msg[i] != '\0' && i < 64; i++)
        if (e.msg[i] == ' ')
            cut = i;
    e.msg[cut] = '\0';
    printf("\\newcommand{\\FormulaErrorFirst}{");
    tt(e.msg);
    printf("}\n\\newcommand{\\FormulaErrorSecond}{");
    tt(e.msg + cut + 1);
    printf("}\n");
    return 0;
}
#line 125 "chunks/formula-tests.nw"
static int print_expansion_terms(void)
{
    enum { K = 140 };
    char text[K * 8 + 16] = "y ~ (x1";
    for (int k = 2; k <= K; k++)
        sprintf(text + strlen(text), " + x%d", k);
    strcat(text, ")^2");
    st_error e = { 0, "" };
    frm_formula *f;
    if (frm_parse(&e, text, &f) != ST_OK) {
        fprintf(stderr, "book-formula: %s\n", e.msg);
        return 1;
    }
    printf("\\newcommand{\\FormulaSquareVars}{%d}\n", K);
    printf("\\newcommand{\\FormulaSquareTerms}{%d}\n", f->fixed.nterm);
    frm_free(f);
    return 0;
}
#line 148 "chunks/formula-tests.nw"
static int variance_parameters(const df_frame *df, const char *text, int *q_last)
{
    st_error e = { 0, "" };
    frm_formula *f = NULL;
    frm_model *m = NULL;
    if (frm_parse(&e, text, &f) != ST_OK
        || frm_model_frame(&e, f, df, FRM_NEED_RANDOM, &m) != ST_OK || m->nre == 0) {
        fprintf(stderr, "book-formula: %s: %s\n", text, e.msg);
        frm_model_free(m);
        frm_free(f);
        return -1;
    }
    int count = 0;
    for (int k = 0; k < m->nre; k++)
        count += m->re[k].q * (m->re[k].q + 1) / 2;
    *q_last = m->re[m->nre - 1].q;
    frm_model_free(m);
    frm_free(f);
    return count;
}

static int print_variance_parameters(const df_frame *df)
{
    int q_f, q_all;
    int uncorrelated = variance_parameters(df, "y ~ (x + f || g)", &q_f);
    int correlated = variance_parameters(df, "y ~ (x + f | g)", &q_all);
    if (uncorrelated < 0 || correlated < 0)
        return 1;
    printf("\\newcommand{\\FormulaOrOrQ}{%d}\n", q_f);
    printf("\\newcommand{\\FormulaOrOrFParams}{%d}\n", q_f * (q_f + 1) / 2);
    printf("\\newcommand{\\FormulaOrOrParams}{%d}\n", uncorrelated);
    printf("\\newcommand{\\FormulaBarQ}{%d}\n", q_all);
    printf("\\newcommand{\\FormulaBarParams}{%d}\n", correlated);
    return 0;
}

#line 79 "chunks/formula-tests.nw"
static int print_prose_numbers(const df_frame *df)
{
    int status = print_error_example();
    if (status == 0)
        status = print_expansion_terms();
    if (status == 0)
        status = print_variance_parameters(df);
    int n_small = 0, n_shipped = 0;
    while (r_names[n_small][0] != NULL)
        n_small++;
    while (r_dataset_names[n_shipped][0] != NULL)
        n_shipped++;
    printf("\\newcommand{\\FormulaNameTests}{%d}\n", n_small + n_shipped);
    printf("\\newcommand{\\FormulaSmallRows}{%d}\n", df->nrow);
    return status;
}

#line 39 "chunks/formula-tests.nw"
int main(void)
{
    st_error e = { 0, "" };
    df_frame *df;
    size_t len = sizeof small_csv - 1;
    char *buf = malloc(len + 1);
    if (buf == NULL)
        return 1;
    memcpy(buf, small_csv, len);
    if (df_parse(&e, "small", buf, len, &df) != ST_OK) {
        fprintf(stderr, "book-formula: %s\n", e.msg);
        return 1;
    }
    free(buf);
    printf("%% Generated by book-formula: do not edit.\n\\newcommand{\\FormulaCodes}{%%\n");
    int status = print_codes(df);
    printf("}\n\\newcommand{\\FormulaNames}{%%\n");
    if (status == 0)
        status = print_names(df);
    printf("}\n");
    if (status == 0)
        status = print_prose_numbers(df);
    df_free(df);
    return status;
}
