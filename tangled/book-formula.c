#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "booktex.h"
#include "formula.h"
#include "rnames.h"

static const char small_csv[] =
    "y,x,z,f,g,n,k\n"
    "1,1.5,2,a,u,10,3\n2,2,1,b,u,2,1\n3,3,4,c,v,3.5,4\n4,4,3,a,v,10,2\n"
    "5,5,6,b,w,2,5\n6,6,5,c,w,3.5,3\n7,7,8,a,u,10,6\n8,9,7,b,v,2,2\n";

static void tt(const char *s)
{
    printf("\\texttt{");
    tex_escape(stdout, s, strlen(s), 0);
    printf("}");
}
static int print_codes(const df_frame *df)
{
    st_error e = { 0 };
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
static int print_names(const df_frame *df)
{
    static const char *const formulas[] = {
        "y ~ x + f", "y ~ 0 + f", "y ~ f*g", "y ~ f:g", "y ~ x + x:f", "y ~ f + x:f",
        "y ~ g:f + f", "y ~ (x + z + f)^2", "y ~ factor(n) + I(x^2)", "y ~ log(x + 1) + I(x/z)",
        "log(y) ~ 0 + x:factor(n)", NULL };
    printf("\\begin{tabular}{lp{0.62\\textwidth}}\n\\toprule\n"
           "formula & columns of $X$ \\\\\n\\midrule\n");
    for (int i = 0; formulas[i] != NULL; i++) {
        st_error e = { 0 };
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
static int print_error_example(void)
{
    st_error e = { 0 };
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
static int print_expansion_terms(void)
{
    enum { K = 140 };
    char text[K * 8 + 16] = "y ~ (x1";
    for (int k = 2; k <= K; k++)
        sprintf(text + strlen(text), " + x%d", k);
    strcat(text, ")^2");
    st_error e = { 0 };
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
static int variance_parameters(const df_frame *df, const char *text, int *q_last)
{
    st_error e = { 0 };
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

int main(void)
{
    st_error e = { 0 };
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
