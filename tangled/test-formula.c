#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "formula.h"
#include "rnames.h"
#include "testing.h"

static st_error last;

static df_frame *csv(const char *text)
{
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    df_frame *df = NULL;
    memcpy(buf, text, len);
    last.status = 0;
    if (df_parse(&last, "t.csv", buf, len, &df) != ST_OK)
        fprintf(stderr, "test-formula: %s\n", last.msg);
    free(buf);
    return df;
}

static frm_model *fit(const char *formula, const df_frame *df, int flags)
{
    frm_formula *f;
    frm_model *m = NULL;
    last.status = 0;
    last.msg[0] = '\0';
    if (frm_parse(&last, formula, &f) != ST_OK)
        return NULL;
    frm_model_frame(&last, f, df, flags, &m);
    frm_free(f);
    return m;
}

static const char *joined(char *const *names, int k)
{
    static char buf[4096];
    buf[0] = '\0';
    for (int j = 0; j < k; j++) {
        if (j > 0)
            strncat(buf, "|", sizeof buf - strlen(buf) - 1);
        strncat(buf, names[j], sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

static void expect_names(const char *formula, const df_frame *df, int flags, const char *want)
{
    frm_model *m = fit(formula, df, flags);
    const char *got = m ? joined(m->colnames, m->p) : last.msg;
    tst_check(m != NULL && strcmp(got, want) == 0, "%s: columns %s (got %s)", formula, want, got);
    frm_model_free(m);
}

static void expect_error(const char *formula, const df_frame *df, int flags, const char *want)
{
    frm_formula *f = NULL;
    frm_model *m = NULL;
    last.msg[0] = '\0';
    int status = frm_parse(&last, formula, &f);
    if (status == ST_OK && df != NULL)
        status = frm_model_frame(&last, f, df, flags, &m);
    tst_check(status == ST_EINPUT && strcmp(last.msg, want) == 0,
              "error \"%s\" (got %d, \"%s\")", want, status, last.msg);
    frm_model_free(m);
    frm_free(f);
}
static void expect_at(const char *formula, const df_frame *df, int flags, int pos,
                      const char *msg)
{
    char want[1024];
    if (pos > 0)
        snprintf(want, sizeof want, "formula \"%s\": at character %d: %s", formula, pos, msg);
    else
        snprintf(want, sizeof want, "formula \"%s\": %s", formula, msg);
    expect_error(formula, df, flags, want);
}

static const char small_csv[] =
    "y,x,z,f,g,n,k\n"
    "1,1.5,2,a,u,10,3\n2,2,1,b,u,2,1\n3,3,4,c,v,3.5,4\n4,4,3,a,v,10,2\n"
    "5,5,6,b,w,2,5\n6,6,5,c,w,3.5,3\n7,7,8,a,u,10,6\n8,9,7,b,v,2,2\n";
static void test_names(void)
{
    df_frame *df = csv(small_csv);
    for (int i = 0; r_names[i][0] != NULL; i++)
        expect_names(r_names[i][0], df, 0, r_names[i][1]);
    df_free(df);
    for (int i = 0; r_dataset_names[i][0] != NULL; i++) {
        st_error e = { 0 };
        if (df_read(&e, r_dataset_names[i][0], &df) != ST_OK) {
            tst_check(0, "read %s (%s)", r_dataset_names[i][0], e.msg);
            continue;
        }
        expect_names(r_dataset_names[i][1], df, 0, r_dataset_names[i][2]);
        df_free(df);
    }
}
static void expect_terms(const char *formula, const char *want)
{
    frm_formula *f;
    char got[2048] = "";
    if (frm_parse(&last, formula, &f) != ST_OK) {
        tst_check(0, "%s parses (%s)", formula, last.msg);
        return;
    }
    strcat(got, f->fixed.intercept ? "1" : "0");
    for (int j = 0; j < f->fixed.nterm && strlen(got) < 1900; j++) {
        strcat(got, "|");
        strcat(got, f->fixed.label[j]);
    }
    tst_check(strcmp(got, want) == 0, "%s: terms %s (got %s)", formula, want, got);
    frm_free(f);
}

static void test_terms(void)
{
    expect_terms("y ~ b:a + a", "1|a|b:a");
    expect_terms("y ~ a + (b + c)/d", "1|a|b|c|b:c:d");
    expect_terms("y ~ a/(b + c)", "1|a|a:b|a:c");
    expect_terms("y ~ (a + b)^3", "1|a|b|a:b");
    expect_terms("y ~ (a + b:c + d + e)^2", "1|a|d|e|a:d|a:e|b:c|d:e|a:b:c|b:c:d|b:c:e");
    expect_terms("y ~ (a + b:c + d + e)^4", "1|a|d|e|a:d|a:e|b:c|d:e|a:b:c|a:d:e|b:c:d|b:c:e|"
                 "a:b:c:d|a:b:c:e|b:c:d:e|a:b:c:d:e");
    expect_terms("y ~ (a + b)^1000000", "1|a|b|a:b");
    expect_terms("y ~ a*b - 1 + 1", "1|a|b|a:b");
    expect_terms("y ~ (a + b) - (a)", "1|b");
    expect_terms("y ~ a + b + a:b - a", "1|b|a:b");
    expect_terms("y ~ a %in% (b + c)", "1|a:b:c");
    expect_terms("y ~ (a + b) %in% c", "1|a:c|b:c");
    expect_terms("y ~ 0 + 1", "1");
    expect_terms("y ~ -0", "1");
    expect_terms("y ~ x - 1 - 0", "1|x");
    expect_terms("y ~ x + 0", "0|x");
    expect_terms("y ~ -1 + x", "0|x");
    expect_terms("y ~ 1:x", "1");
    expect_terms("y ~ x*x + x:x:x", "1|x");
    expect_terms("y ~ log(x) + log( x ) + I(x*2) + I(x * 2.0)", "1|log(x)|I(x * 2)");
    expect_terms("y ~ (1 | g)", "1");
    expect_terms("y ~ 0 + (x | g)", "0");
    expect_terms("y ~ (1 | g) - 1", "1");
    expect_terms("y ~ (1 | g) + x - 1", "0|x");
    {
        frm_formula *f;
        if (frm_parse(&last, "y ~ f*g + f:x", &f) == ST_OK) {
            const frm_terms *T = &f->fixed;
            char got[64] = "";
            for (int c = 0; c < T->start[T->nterm]; c++)
                got[c] = (char)('0' + T->code[c]);
            tst_check(T->nterm == 4 && strcmp(got, "111121") == 0
                      && strcmp(T->label[3], "f:x") == 0, "codes of y ~ f*g + f:x are R's (%s)", got);
            frm_free(f);
        }
    }
    {
        static const struct { const char *formula; int nterm, ncode; const char *twos; } big[] = {
            { "y ~ a:b:c + (d+e+f+g+h+i+j)^7 + a:d", 129, 453, "50,51,52,53," },
            { "y ~ (a+b+c+d+e+f+g)^7 - a:b + a:b:h", 127, 449, "49,152,153," } };
        for (int k = 0; k < 2; k++) {
            frm_formula *f;
            if (frm_parse(&last, big[k].formula, &f) != ST_OK) {
                tst_check(0, "%s: parses (%s)", big[k].formula, last.msg);
                continue;
            }
            const frm_terms *T = &f->fixed;
            char twos[64] = "";
            int ncode = T->start[T->nterm];
            for (int c = 0; c < ncode && strlen(twos) < 50; c++)
                if (T->code[c] == 2)
                    snprintf(twos + strlen(twos), sizeof twos - strlen(twos), "%d,", c);
            tst_check(T->nterm == big[k].nterm && ncode == big[k].ncode
                      && strcmp(twos, big[k].twos) == 0, "%s: %d terms, codes 2 at %s as R's "
                      "(got %d terms, %d codes, 2 at %s)", big[k].formula, big[k].nterm, big[k].twos,
                      T->nterm, ncode, twos);
            frm_free(f);
        }
    }
}
static void test_values(void)
{
    df_frame *df = csv(small_csv);
    frm_model *m;
    static const double fx[8][6] = {
        { 1, 0, 0, 1.5, 0, 0 }, { 1, 1, 0, 0, 2, 0 }, { 1, 0, 1, 0, 0, 3 }, { 1, 0, 0, 4, 0, 0 },
        { 1, 1, 0, 0, 5, 0 }, { 1, 0, 1, 0, 0, 6 }, { 1, 0, 0, 7, 0, 0 }, { 1, 1, 0, 0, 9, 0 } };
    if ((m = fit("y ~ f + f:x", df, 0)) != NULL) {
        int same = m->n == 8 && m->p == 6 && m->intercept && m->n_dropped == 0;
        for (int i = 0; same && i < 8; i++)
            for (int j = 0; j < 6; j++)
                same &= m->X[(size_t)j * m->n + i] == fx[i][j];
        tst_check(same, "y ~ f + f:x: X is R's model matrix");
        tst_check(m->nterm == 2 && strcmp(m->term[1], "f:x") == 0 && m->assign[0] == 0
                  && m->assign[2] == 1 && m->assign[5] == 2, "terms and assign as R's");
        frm_model_free(m);
    }
    if ((m = fit("log(y) ~ I(x^2) + I(x - z) + exp(-z) + sqrt(k) + abs(z - 4) + log(x, 2)",
                 df, 0)) != NULL) {
        double x = 9, z = 7, k = 2;
        const double *X = m->X;
        int n = m->n;
        tst_check(strcmp(m->response, "log(y)") == 0 && m->y[7] == log(8.0)
                  && X[1 * n + 7] == x * x && X[2 * n + 7] == x - z && X[3 * n + 7] == exp(-z)
                  && X[4 * n + 7] == sqrt(k) && X[5 * n + 7] == fabs(z - 4)
                  && X[6 * n + 7] == log(x) / log(2.0), "arithmetic as in R");
        frm_model_free(m);
    }
    if ((m = fit("cbind(k, n - k) ~ x", df, FRM_BINOMIAL)) != NULL) {
        tst_check(m->ycols == 2 && strcmp(m->response, "cbind(k, n - k)") == 0 && m->y[0] == 3
                  && m->y[8] == 7 && m->y[15] == 0, "cbind(k, n - k): two columns");
        frm_model_free(m);
    } else
        tst_check(0, "cbind(k, n - k) ~ x fits (%s)", last.msg);
    if ((m = fit("f ~ x", df, FRM_BINOMIAL)) != NULL) {
        tst_check(m->ycols == 1 && m->y[0] == 0 && m->y[1] == 1 && m->y[2] == 1 && m->y[3] == 0,
                  "a factor response is 0 on its first level, 1 on the others");
        frm_model_free(m);
    } else
        tst_check(0, "f ~ x fits as binomial (%s)", last.msg);
    df_free(df);
    {
        df_frame *mdf = csv("y,x,f,g,w\n1,1,a,u,1\n2,NA,b,u,0\n3,3,,v,-1\n4,4,c,v,2\n"
                            "5,5,b,,3\n6,0,a,u,4\n7,2,d,u,\n");
        if ((m = fit("y ~ x + f + w", mdf, 0)) != NULL) {
            tst_check(m->n == 4 && m->n_dropped == 3 && m->row[0] == 0 && m->row[1] == 3
                      && m->row[2] == 4 && m->row[3] == 5, "y ~ x + f + w drops rows 2, 3 and 7");
            tst_check(strcmp(joined(m->colnames, m->p), "(Intercept)|x|fb|fc|w") == 0,
                      "level d, used only by a dropped row, is dropped (%s)",
                      joined(m->colnames, m->p));
            frm_model_free(m);
        }
        if ((m = fit("y ~ x + w - w", mdf, 0)) != NULL) {
            tst_check(m->n == 5 && m->n_dropped == 2 && m->p == 2,
                      "a deleted term's variable still drops rows (n = %d)", m->n);
            frm_model_free(m);
        }
        if ((m = fit("y ~ sqrt(w)", mdf, 0)) != NULL) {
            tst_check(m->n == 5 && m->n_dropped == 2, "sqrt(-1) is NaN, a missing value");
            frm_model_free(m);
        }
        if ((m = fit("y ~ factor(w)", mdf, 0)) != NULL) {
            tst_check(strcmp(joined(m->colnames, m->p),
                             "(Intercept)|factor(w)0|factor(w)1|factor(w)2|factor(w)3|"
                             "factor(w)4") == 0,
                      "factor(w) of numbers has numeric levels (%s)", joined(m->colnames, m->p));
            frm_model_free(m);
        }
        df_free(mdf);
    }
}
static void expect_re(const char *data, const char *formula, int flags, int nre,
                      const char *const *want)
{
    st_error e = { 0 };
    df_frame *df;
    frm_model *m;
    if ((data[0] == '!' ? (df = csv(data + 1)) == NULL : df_read(&e, data, &df) != ST_OK)
        || (m = fit(formula, df, flags)) == NULL) {
        tst_check(0, "%s fits (%s%s)", formula, e.msg, last.msg);
        return;
    }
    tst_check(m->nre == nre, "%s: %d random-effect terms (got %d)", formula, nre, m->nre);
    for (int k = 0; k < m->nre && k < nre; k++) {
        char got[512];
        frm_reterm *r = &m->re[k];
        snprintf(got, sizeof got, "%s/%d/%s/%s", r->group, r->nlevels, r->levels[0],
                 joined(r->colnames, r->q));
        tst_check(strcmp(got, want[k]) == 0, "%s: term %d is %s (got %s)", formula, k + 1,
                  want[k], got);
    }
    frm_model_free(m);
    df_free(df);
}
static const char grouped_csv[] =
    "!y,x,f,g,h\n1,1,a,10,1\n2,2,b,10,2\n3,3,c,10,1\n4,4,a,10,2\n5,5,b,2,1\n6,6,c,2,2\n"
    "7,7,a,2,1\n8,8,b,2,2\n9,9,c,3.5,1\n10,10,a,3.5,2\n11,11,b,3.5,1\n12,12,c,3.5,2\n";

static void test_random(void)
{
    const int R = FRM_NEED_RANDOM;
    expect_re("sleepstudy", "Reaction ~ Days + (Days | Subject)", R, 1,
              (const char *const[]){ "Subject/18/308/(Intercept)|Days" });
    expect_re("sleepstudy", "Reaction ~ Days + (Days || Subject)", R, 2,
              (const char *const[]){ "Subject/18/308/(Intercept)", "Subject/18/308/Days" });
    expect_re("sleepstudy", "Reaction ~ (0 + Days | Subject) + (1 | Subject)", R, 2,
              (const char *const[]){ "Subject/18/308/Days", "Subject/18/308/(Intercept)" });
    expect_re("Pastes", "strength ~ (1 | batch/cask)", R, 2,
              (const char *const[]){ "cask:batch/30/a:A/(Intercept)", "batch/10/A/(Intercept)" });
    expect_re("Pastes", "strength ~ (1 | cask:batch)", R, 1,
              (const char *const[]){ "cask:batch/30/a:A/(Intercept)" });
    expect_re("Penicillin", "diameter ~ (1 | plate) + (1 | sample)", R, 2,
              (const char *const[]){ "plate/24/a/(Intercept)", "sample/6/A/(Intercept)" });
    expect_re("cbpp", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)",
              R | FRM_BINOMIAL, 1, (const char *const[]){ "herd/15/1/(Intercept)" });
    expect_re(grouped_csv, "y ~ (f || g)", R, 2,
              (const char *const[]){ "g/3/2/(Intercept)", "g/3/2/fa|fb|fc" });
    expect_re(grouped_csv, "y ~ (x * f || g)", R, 4,
              (const char *const[]){ "g/3/2/(Intercept)", "g/3/2/x", "g/3/2/fa|fb|fc",
                                     "g/3/2/x:fa|x:fb|x:fc" });
    expect_re(grouped_csv, "y ~ (f | g)", R, 1,
              (const char *const[]){ "g/3/2/(Intercept)|fb|fc" });
    expect_re(grouped_csv, "y ~ (1 | g:h)", R, 1,
              (const char *const[]){ "g:h/6/2:1/(Intercept)" });
    expect_re(grouped_csv, "y ~ (1 | h/g)", R, 2,
              (const char *const[]){ "g:h/6/2:1/(Intercept)", "h/2/1/(Intercept)" });
    expect_re(grouped_csv, "y ~ (1 | g/h/f)", R, 3,
              (const char *const[]){ "f:(h:g)/12/a:1:2/(Intercept)", "h:g/6/1:2/(Intercept)",
                                     "g/3/2/(Intercept)" });
    expect_re(grouped_csv, "y ~ (x || g/h)", R, 4,
              (const char *const[]){ "h:g/6/1:2/(Intercept)", "g/3/2/(Intercept)",
                                     "h:g/6/1:2/x", "g/3/2/x" });
    {
        st_error e = { 0 };
        df_frame *df;
        frm_model *m;
        if (df_read(&e, "sleepstudy", &df) == ST_OK) {
            if ((m = fit("Reaction ~ Days + (Days | Subject)", df, R)) != NULL) {
                frm_reterm *r = &m->re[0];
                int same = r->q == 2 && m->n == 180 && !r->uncorrelated;
                for (int i = 0; same && i < m->n; i++)
                    same = r->Z[i] == 1 && r->Z[m->n + i] == m->X[m->n + i]
                           && strcmp(r->levels[r->g[i]], r->levels[i / 10]) == 0;
                tst_check(same && strcmp(r->levels[17], "372") == 0,
                          "(Days | Subject): Z is [1, Days], ten rows per subject");
                frm_model_free(m);
            }
            df_free(df);
        }
    }
}
static void test_syntax_errors(void)
{
    static const struct { const char *formula; int pos; const char *msg; } cases[] = {
        { "", 0, "empty; expected a formula such as y ~ x" },
        { "y", 2, "expected '~' and the right-hand side after the response" },
        { "y ~", 4, "expected a term after '~', found the end of the formula" },
        { "~ x", 1, "missing response before '~'" },
        { "y ~ x +", 8, "expected a term after '+', found the end of the formula" },
        { "y ~ x + (1 | g", 15, "expected ')' to close the '(' at character 9, found the "
          "end of the formula" },
        { "y ~ x)", 6, "')' with no '(' to close" },
        { "y ~ x ~ z", 7, "a second '~' (a formula has one)" },
        { "y ~ x z", 7, "expected an operator such as '+' before 'z'" },
        { "y x ~ z", 3, "expected '~' or an operator before 'x'" },
        { "y ~ ns(x, 2)", 5, "unknown function ns() (a formula may use I, factor, relevel, "
          "C, poly, scale, log, exp, sqrt, abs, log2, log10, log1p, expm1)" },
        { "y ~ relevel(f)", 5, "relevel() takes 2 arguments, found 1 argument" },
        { "y ~ relevel(f, g)", 16, "relevel() needs the reference level, as a string (\"M\") or "
          "a number" },
        { "y ~ relevel(f, reff = \"a\")", 23, "relevel() has no argument named reff" },
        { "y ~ factor(f, levels = c(\"a\", x))", 31, "the levels of factor() are strings or "
          "numbers, as in c(\"L\", \"M\", \"H\")" },
        { "y ~ factor(f, levels = c(\"a\", \"b\", \"a\"))", 36, "level 3 of factor() is a "
          "duplicate of level 1" },
        { "y ~ C(f, contr.treatment(base = 2))", 10, "C() takes the contrasts function, not a "
          "call of it: write C(f, contr.treatment, base = 2)" },
        { "y ~ C(f, contr.poly)", 10, "C() needs contrasts: contr.treatment, contr.sum or "
          "contr.helmert" },
        { "y ~ C(f, contr.sum, base = 2)", 28, "base = k is for contr.treatment, and k is a "
          "level's number (1, 2, ...)" },
        { "y ~ poly(x, 0)", 13, "the degree of poly() must be a whole number of at least 1" },
        { "y ~ poly(x, 2.5)", 13, "the degree of poly() must be a whole number of at least 1" },
        { "y ~ poly(x, 2, raw = 1)", 22, "raw must be TRUE or FALSE" },
        { "y ~ poly(x, 2, 3, 4)", 5, "poly() takes 1 to 3 arguments, found 4 arguments" },
        { "y ~ scale(x, centre = TRUE)", 23, "scale() has no argument named centre" },
        { "y ~ scale(x, center = 0)", 23, "center and scale of scale() must be TRUE or FALSE" },
        { "y ~ I(x > 1 > 2)", 13, "comparisons cannot be chained; put one in parentheses" },
        { "y ~ I(\"a\" == \"b\")", 11, "a string can only be compared with == or != to a "
          "factor, as in f == \"a\"" },
        { "y ~ I(f < \"b\")", 9, "a string can only be compared with == or != to a factor, as "
          "in f == \"a\"" },
        { "y ~ x + \"a\"", 9, "a string is not a term" },
        { "y ~ log(\"a\")", 9, "a string is not a value here" },
        { "y ~ I(!x)", 7, "unexpected character '!' (negation is not part of a formula; write x "
          "== 0 or x != 0)" },
        { "y ~ relevel(f, \"a)", 16, "a string with no closing \"" },
        { "y ~ log(x, bass = 2)", 19, "log() has no argument named bass here" },
        { "y ~ log()", 5, "log() takes 1 or 2 arguments, found 0" },
        { "y ~ I(x, z)", 5, "I() takes 1 argument, found 2" },
        { "y ~ 2", 5, "the number 2 is not a term (0 and 1 stand for no intercept and the "
          "intercept)" },
        { "y ~ (x+z)^1", 11, "expected a whole number of at least 2 after '^' in a formula" },
        { "y ~ x^z", 7, "expected a whole number of at least 2 after '^' in a formula" },
        { "y ~ x | g", 7, "a random-effect term must be in parentheses, as in (1 | g)" },
        { "y ~ x + (1 | g | f)", 16, "expected ')' after the grouping factor, found '|'" },
        { "y ~ x*(1|g)", 9, "a random-effect term must stand on its own in parentheses, "
          "added with '+', as in y ~ x + (1 | g)" },
        { "y ~ x - (1|g)", 7, "a random-effect term is added with '+', not subtracted" },
        { "(1|g) ~ x", 3, "a random-effect term must stand on its own in parentheses, "
          "added with '+', as in y ~ x + (1 | g)" },
        { "y ~ I(x:z)", 8, "':' is not arithmetic; in a function or a response use + - * / "
          "^" },
        { "y ~ cbind(x, z)", 5, "cbind() may only be the whole response, as in cbind(k, n "
          "- k) ~ x" },
        { "cbind(k) ~ x", 1, "cbind() takes 2 arguments, found 1" },
        { "y ~ x + y", 9, "the response y also appears on the right-hand side" },
        { "y ~ (1 | g/f:x)", 10, "a grouping factor is a column name, an interaction such "
          "as g1:g2, or a nesting such as g1/g2" },
        { "y ~ (1 | log(g))", 10, "a grouping factor is a column name, an interaction such "
          "as g1:g2, or a nesting such as g1/g2" },
        { "y ~ (0 | g)", 5, "the random-effect term has no columns: its left side has "
          "neither an intercept nor a variable" },
        { "y ~ x $ z", 7, "unexpected character '$'" },
        { "y ~ x %o% z", 7, "unknown operator %o% (the only one of its kind in a formula "
          "is %in%)" },
        { "y ~ log(.)", 9, "'.' stands for all the other columns, as a term; it cannot be a "
          "value" },
        { "(y ~ x)", 4, "expected ')' to close the '(' at character 1, found '~'" },
        { "y ~ log(x", 10, "expected ',' or ')' to close the '(' of log( at character 8, "
          "found the end of the formula" },
        { "y ~ x^", 7, "expected a term after '^', found the end of the formula" },
        { "y ~ a, b", 6, "expected an operator such as '+' before ','" },
        { "y ~ 0 + I(2)", 9, "I(2) uses no column of the data" },
        { "y ~ x + log(1e5):x", 9, "log(1e+05) uses no column of the data" },
        { "1 ~ x", 1, "the response uses no column of the data" },
        { NULL, 0, NULL } };
    for (int i = 0; cases[i].formula != NULL; i++)
        expect_at(cases[i].formula, NULL, 0, cases[i].pos, cases[i].msg);
    expect_error(" \t\n", NULL, 0,
                 "formula \"   \": empty; expected a formula such as y ~ x");
    expect_error("y ~ x + \x01", NULL, 0,
                 "formula \"y ~ x +  \": at character 9: unexpected byte 0x01");
    expect_error("y ~\nx +", NULL, 0,
                 "formula \"y ~ x +\": at character 8: expected a term after '+', found "
                 "the end of the formula");
}
static void test_data_errors(void)
{
    df_frame *df = csv(small_csv);
    df_frame *bad = csv("y,x,f,w\n1,1,a,1\n2,abc,a,0\n3,3,a,-1\n4,NA,b,2\n");
    df_frame *none = csv("y,x\nNA,1\n2,NA\n");
    expect_at("y ~ x + w", df, 0, 9, "no column \"w\" in t.csv");
    expect_at("y ~ X", df, 0, 5, "no column \"X\" in t.csv (did you mean \"x\"?)");
    expect_error("f ~ x", df, 0,
                 "t.csv:2: response \"f\" is a factor (found \"a\"); a linear model needs "
                 "a numeric response");
    expect_at("factor(y) ~ x", df, 0, 1,
              "the response factor(y) is a factor; a linear model needs a numeric response");
    expect_error("y ~ log(f)", df, 0,
                 "t.csv:2: column \"f\": expected a number, found \"a\"");
    expect_at("y ~ log(factor(x))", df, 0, 9, "factor(x) is a factor, not a number");
    expect_error("y ~ I(x - w)", bad, 0,
                 "t.csv:3: column \"x\": expected a number, found \"abc\"");
    expect_error("y ~ log(w)", bad, 0,
                 "t.csv:3: log(w) is -Inf; a model needs finite values");
    expect_error("y ~ I(1/w)", bad, 0,
                 "t.csv:3: I(1/w) is Inf; a model needs finite values");
    expect_at("y ~ w + f + x", bad, 0, 9,
              "factor f has only one level (\"a\") in the 3 rows used; a model needs two "
              "or more");
    expect_error("y ~ x", none, 0,
                 "t.csv: no rows left: each of the 2 rows has a missing value in a "
                 "variable of the formula");
    expect_at("y ~ relevel(f, \"d\")", df, 0, 16,
              "\"d\" is not a level of f (its levels are a, b, c)");
    expect_at("y ~ relevel(f, 4)", df, 0, 16, "4 is not a level of f (its levels are a, b, c)");
    expect_at("y ~ relevel(x, 1)", df, 0, 5, "relevel() is for a factor, and its argument is "
              "numbers (write relevel(factor(x), ...))");
    expect_at("y ~ poly(n, 3)", df, 0, 13, "the degree of poly() must be less than the 3 "
              "distinct values of its argument");
    expect_at("y ~ C(f, contr.treatment, base = 4)", df, 0, 34,
              "base = 4, but the factor has 3 levels");
    expect_at("y ~ log(poly(x, 2))", df, 0, 9, "poly() gives several columns; it cannot be "
              "used in arithmetic");
    expect_at("y ~ I(n == \"a\")", df, 0, 7, "only a factor can be compared with a string");
    expect_error("y ~ poly(x, 1)", none, 0, "t.csv:3: poly() of a missing value (R's poly "
                 "refuses them too: drop the row or impute it)");
    expect_at("y ~ x + (1 | g)", df, FRM_FIXED_ONLY, 9,
              "random-effect term (1 | g) in a model without random effects (fit it with "
              "lmm or glmm)");
    expect_at("y ~ x", df, FRM_NEED_RANDOM, 0,
              "no random-effect term such as (1 | g); a mixed model needs at least one");
    expect_at("cbind(k, n - k) ~ x", df, 0, 1,
              "a cbind(successes, failures) response is for binomial models (glmm)");
    expect_error("cbind(f, n) ~ x", df, FRM_BINOMIAL,
                 "t.csv:2: column \"f\": expected a number, found \"a\"");
    df_free(df);
    df_free(bad);
    df_free(none);
}
static int fitted_values(const frm_model *m, double *fit)
{
    int n = m->n, p = m->p;
    double A[16 * 17];
    if (p > 16)
        return -1;
    for (int a = 0; a < p; a++) {
        for (int b = 0; b <= p; b++) {
            double s = 0;
            const double *xb = b < p ? m->X + (size_t)b * n : m->y;
            for (int i = 0; i < n; i++)
                s += m->X[(size_t)a * n + i] * xb[i];
            A[a * 17 + b] = s;
        }
    }
    for (int k = 0; k < p; k++) {                /* Gauss-Jordan, no pivoting needed */
        double d = A[k * 17 + k];
        if (fabs(d) < 1e-12)
            return -1;
        for (int r = 0; r < p; r++)
            if (r != k) {
                double f = A[r * 17 + k] / d;
                for (int c = k; c <= p; c++)
                    A[r * 17 + c] -= f * A[k * 17 + c];
            }
    }
    for (int i = 0; i < n; i++) {
        fit[i] = 0;
        for (int k = 0; k < p; k++)
            fit[i] += m->X[(size_t)k * n + i] * A[k * 17 + p] / A[k * 17 + k];
    }
    return 0;
}

static void test_contrast_bases(void)
{
    static const char *const formulas[] = { "breaks ~ wool * tension",
                                            "breaks ~ tension + tension:wool" };
    static const char *const words[] = { "treatment", "sum", "helmert" };
    st_error e = { 0 };
    df_frame *df;
    if (df_read(&e, "warpbreaks", &df) != ST_OK) {
        tst_check(0, "read warpbreaks (%s)", e.msg);
        return;
    }
    for (int k = 0; k < 2; k++) {
        double fit0[54], fit1[54], worst = 0;
        for (int c = 0; c < 3; c++) {
            frm_formula *f;
            frm_model *m = NULL;
            if (frm_parse(&e, formulas[k], &f) != ST_OK)
                continue;
            tst_check(frm_set_contrasts(f, words[c]) == 0, "--contrasts %s", words[c]);
            if (frm_model_frame(&e, f, df, 0, &m) == ST_OK && m->n == 54
                && fitted_values(m, c == 0 ? fit0 : fit1) == 0)
                for (int i = 0; c > 0 && i < 54; i++)
                    worst = fmax(worst, fabs(fit1[i] - fit0[i]));
            else
                worst = INFINITY;
            frm_model_free(m);
            frm_free(f);
        }
        tst_check(worst < 1e-10, "%s: the same fitted values with treatment, sum and "
                  "helmert contrasts (largest difference %g)", formulas[k], worst);
    }
    frm_model *m = fit("breaks ~ C(tension, contr.helmert)", df, 0);
    static const double want[3][2] = { { -1, -1 }, { 1, -1 }, { 0, 2 } };
    int ok = m != NULL && m->p == 3;
    for (int l = 0; ok && l < 3; l++)         /* rows 1, 10, 19 are L, M, H */
        for (int j = 0; j < 2; j++)
            ok = ok && m->X[(size_t)(j + 1) * m->n + 9 * l] == want[l][j];
    tst_check(ok, "C(tension, contr.helmert) has R's contr.helmert(3) columns");
    frm_model_free(m);
    df_free(df);
}
typedef struct sbuf_t {
    char *s;
    size_t len, cap;
} sbuf_t;

static void csv_append(sbuf_t *b, const char *piece)
{
    size_t k = strlen(piece);
    if (b->len + k + 1 > b->cap) {
        size_t cap = 2 * (b->len + k + 1);
        char *t = realloc(b->s, cap);
        if (t == NULL)
            return;
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, piece, k + 1);
    b->len += k;
}

static char *repeat(const char *head, const char *piece, int k, const char *tail, int numbered)
{
    size_t cap = strlen(head) + (strlen(piece) + 12) * (size_t)k + strlen(tail) + 1;
    char *s = malloc(cap), *w = s;
    w += sprintf(w, "%s", head);
    for (int i = 0; i < k; i++)
        w += numbered ? sprintf(w, "%s%d", i ? piece : "x", i + 1) : sprintf(w, "%s", piece);
    sprintf(w, "%s", tail);
    return s;
}

static void test_degenerate(void)
{
    frm_formula *f;
    char *s = repeat("y ~ ", " + x", 3000, "", 1);
    tst_check(frm_parse(&last, s, &f) == ST_OK && f->fixed.nterm == 3000 && f->nvar == 3000
              && strcmp(f->fixed.label[2999], "x3000") == 0, "3000 variables (%s)", last.msg);
    if (last.status == ST_OK)
        frm_free(f);
    free(s);
    s = repeat("y ~ x", " + x", 100000, "", 0);
    tst_check(frm_parse(&last, s, &f) == ST_OK && f->fixed.nterm == 1,
              "a sum of 100000 x is x (%s)", last.msg);
    if (last.status == ST_OK)
        frm_free(f);
    free(s);
    {
        df_frame *df = csv(small_csv);
        frm_model *m;
        s = repeat("y ~ I(x", " + x", 19999, ")", 0);
        m = fit(s, df, 0);
        tst_check(m != NULL && m->p == 2 && m->X[8] == 20000 * 1.5, "I(x + x + ...) of 20000 x");
        frm_model_free(m);
        free(s);
        df_free(df);
    }
    s = repeat("y ~ ", "(", 150, "x", 0);
    {
        char *want = repeat("formula \"...", "(", 140, "...\": at character 105: parentheses, "
                            "calls and operators nested more than 100 deep", 0);
        expect_error(s, NULL, 0, want);
        free(want);
    }
    free(s);
    s = repeat("y ~ (", " + x", 200, " + z)^3", 1);
    tst_check(frm_parse(&last, s, &f) == ST_EINPUT && strstr(last.msg, "the formula expands to "
              "more than 10000 terms") != NULL, "(x1 + ... + x201)^3 is too many terms");
    free(s);
    s = repeat("y ~ ", "*x", 14, "*x15", 1);
    tst_check(frm_parse(&last, s, &f) == ST_EINPUT && strstr(last.msg, "more than 10000 terms")
              != NULL, "x1*x2*...*x15 is too many terms (%s)", last.msg);
    free(s);
    s = repeat("y ~ ", "+x", 600000, "", 0);
    s[4] = 'z';
    tst_check(frm_parse(&last, s, &f) == ST_EINPUT
              && strncmp(last.msg, "formula \"y ~ zx+x+x", 18) == 0
              && strcmp(last.msg + 149, "...\": longer than 1048576 bytes") == 0,
              "a formula over a megabyte (%s)", last.msg + 140);
    free(s);
    {
        char *big = repeat("y ~ ", ":(a+b+c+d+e+f+g+h+i+j+k)^11", 4600, "", 0);
        big[4] = '(';                     /* the first copy has no ':' before it */
        memmove(big + 4, big + 5, strlen(big + 5) + 1);
        tst_check(strlen(big) > 120000 && frm_parse(&last, big, &f) == ST_EINPUT
                  && strstr(last.msg, "expanding the interactions takes more than 50000000 "
                            "products of terms (the limit FRM_MAX_WORK of the formula chapter)"),
                  "4600 copies of (a + ... + k)^11 joined by ':' stop at FRM_MAX_WORK (%s)",
                  last.msg);
        free(big);
        sbuf_t csvtext = { NULL, 0, 0 };
        csv_append(&csvtext, "y,a,b,c,d,e,f,g,h,i\n");
        for (int r = 0; r < 27; r++) {
            char line[64];
            snprintf(line, sizeof line, "%d,%c,%c,%c,%c,%c,%c,%c,%c,%c\n", r, 'p' + r % 3,
                     'p' + r / 3 % 3, 'p' + r / 9 % 3, 'p' + (r + 1) % 3, 'p' + (r + 2) % 3,
                     'p' + r / 3 % 3, 'p' + (r / 9 + 1) % 3, 'p' + r % 3, 'p' + (r + 1) / 3 % 3);
            csv_append(&csvtext, line);
        }
        df_frame *nine = csv(csvtext.s);
        expect_error("y ~ a*b*c*d*e*f*g*h*i", nine, 0, "formula \"y ~ a*b*c*d*e*f*g*h*i\": the "
                     "model matrix would have 19683 columns, more than 5000 (the limit "
                     "FRM_MAX_COLUMNS of the formula chapter: a fit needs p x p matrices); a "
                     "factor with that many levels is a grouping factor, (1 | g), in lmm or glmm");
        df_free(nine);
        csvtext.len = 0;
        csv_append(&csvtext, "y,f\n");
        for (int r = 0; r < 1000000; r++) {
            char line[32];
            snprintf(line, sizeof line, "%d,L%d\n", r % 7, r);
            csv_append(&csvtext, line);
        }
        df_frame *million = csv(csvtext.s);
        expect_error("y ~ f", million, 0, "formula \"y ~ f\": the model matrix would have "
                     "1000000 columns, more than 5000 (the limit FRM_MAX_COLUMNS of the formula "
                     "chapter: a fit needs p x p matrices); a factor with that many levels is a "
                     "grouping factor, (1 | g), in lmm or glmm");
        df_free(million);
        free(csvtext.s);
    }
    {
        df_frame *df = csv("y,\xC3\xA9t\xC3\xA9\n1,2\n2,1\n3,5\n");
        frm_model *m = fit("y ~ \xC3\xA9t\xC3\xA9", df, 0);
        tst_check(m != NULL && strcmp(m->colnames[1], "\xC3\xA9t\xC3\xA9") == 0,
                  "a UTF-8 column name (%s)", last.msg);
        frm_model_free(m);
        df_free(df);
    }
}
static void test_labels(void)
{
    static const struct { double x; const char *r; } cases[] = {
        { 6, "6" }, { 0.5, "0.5" }, { 1e5, "1e+05" }, { 123456, "123456" }, { 1e-4, "1e-04" },
        { 0.001, "0.001" }, { 1.0 / 3, "0.333333333333333" }, { 2.0 / 3, "0.666666666666667" },
        { 0.1 + 0.2, "0.3" }, { 1e15, "1e+15" }, { 1e16, "1e+16" },
        { 123456789012345678.0, "123456789012345680" }, { -0.5, "-0.5" }, { 100, "100" },
        { 1234567, "1234567" }, { 0.00012345, "0.00012345" }, { 1e-300, "1e-300" },
        { 1152921504606846976.0, "1152921504606846976" }, { 3.14159265358979, "3.14159265358979" },
        { 100000.1, "100000.1" }, { 12345678.9, "12345678.9" }, { 0.1, "0.1" }, { 1e22, "1e+22" },
        { 4.9406564584124654e-324, "4.94065645841247e-324" }, { -1e5, "-1e+05" },
        { 1.5e-5, "1.5e-05" }, { 25, "25" }, { 3e5, "3e+05" }, { 314159.26535, "314159.26535" },
        { 0, "0" }, { -0.0, "0" }, { INFINITY, "Inf" }, { -INFINITY, "-Inf" } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[32];
        frm_number_label(cases[i].x, got);
        tst_check(strcmp(got, cases[i].r) == 0, "%.17g is \"%s\" (got \"%s\")", cases[i].x,
                  cases[i].r, got);
    }
}

int main(void)
{
    tst_plan(297);
    test_names();
    test_terms();
    test_values();
    test_random();
    test_syntax_errors();
    test_data_errors();
    test_contrast_bases();
    test_degenerate();
    test_labels();
    return tst_done();
}
