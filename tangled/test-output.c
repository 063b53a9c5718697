#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "coeftab.h"
#include "json.h"
#include "rformat.h"
#include "testing.h"

#define SHOW_IF_BAD(got, want) \
    (strcmp(got, want) == 0 ? "" : ", got:\n"), (strcmp(got, want) == 0 ? "" : got)

static void test_json(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    js_writer w;
    js_init(&w, f);
    js_object_begin(&w, 0);
    js_key_string(&w, "s", "a\"b\\c\n\t\x01\xC3\xA9\xFF");
    js_key_number(&w, "x", 0.1);
    js_key_number(&w, "nan", NAN);
    js_key_number(&w, "inf", -INFINITY);
    js_key(&w, "a");
    js_array_begin(&w, 0);
    js_object_begin(&w, 1);
    js_key_integer(&w, "i", -3);
    js_key_bool(&w, "b", 1);
    js_key(&w, "v");
    js_array_begin(&w, 1);
    js_number(&w, 1e300);
    js_null(&w);
    js_array_end(&w);
    js_object_end(&w);
    js_array_end(&w);
    js_key(&w, "empty");
    js_array_begin(&w, 0);
    js_array_end(&w);
    js_object_end(&w);
    fclose(f);
    const char *want =
        "{\n"
        "  \"s\": \"a\\\"b\\\\c\\n\\t\\u0001\xC3\xA9\\ufffd\",\n"
        "  \"x\": 0.10000000000000001,\n"
        "  \"nan\": null,\n"
        "  \"inf\": null,\n"
        "  \"a\": [\n"
        "    {\"i\": -3, \"b\": true, \"v\": [1.0000000000000001e+300, null]}\n"
        "  ],\n"
        "  \"empty\": []\n"
        "}\n";
    tst_check(strcmp(buf, want) == 0, "JSON writer: layout, escapes, null for NaN%s%s",
              SHOW_IF_BAD(buf, want));
    free(buf);
}
static void check_format(const double *x, int n, int digits, const char *const *want,
                         const char *what)
{
    rf_text t[16];
    rf_format(t, x, n, digits);
    int ok = 1;
    for (int i = 0; i < n; i++)
        ok &= strcmp(t[i].s, want[i]) == 0;
    tst_check(ok, "%s gives \"%s\"%s (got \"%s\")", what, want[0], n > 1 ? ", ..." : "",
              t[0].s);
}

static void test_format(void)
{
    double a[] = { 37.22727, -3.87783, -0.03177, 1.59879, 0.63273, 0.00903 };
    check_format(a, 6, 4, (const char *[]){ "37.22727", "-3.87783", "-0.03177", " 1.59879",
                 " 0.63273", " 0.00903" }, "format(c(37.22727, ...), digits = 4)");
    double b[] = { 1.429e-01, -6.870e-16, 8.571e-01 };
    check_format(b, 3, 4, (const char *[]){ " 1.429e-01", "-6.870e-16", " 8.571e-01" },
                 "format(c(0.1429, -6.87e-16, 0.8571), digits = 4)");
    double c[] = { 123456789 };
    check_format(c, 1, 7, (const char *[]){ "123456789" }, "format(123456789)");
    double d[] = { 1234567890123.0 };
    check_format(d, 1, 7, (const char *[]){ "1.234568e+12" }, "format(1234567890123)");
    double e[] = { 9996 };
    check_format(e, 1, 3, (const char *[]){ "9996" }, "format(9996, digits = 3)");
    double f[] = { 0.1 + 0.2, rf_na(), NAN, -INFINITY };
    check_format(f, 4, 7, (const char *[]){ " 0.3", "  NA", " NaN", "-Inf" },
                 "format(c(0.1 + 0.2, NA, NaN, -Inf))");
    double g[] = { 2.220446e-16 };
    check_format(g, 1, 2, (const char *[]){ "2.2e-16" }, "format(.Machine$double.eps, digits = 2)");
    double h[] = { 1e-300 * 1e-20 };
    check_format(h, 1, 7, (const char *[]){ "9.999889e-321" }, "format(1e-320)");
    double k[] = { 100, 1e5, 123456 };
    check_format(k, 3, 7, (const char *[]){ "   100", "100000", "123456" },
                 "format(c(100, 1e5, 123456))");
    {
        double v1[] = { 1, 1e4 }, v2[] = { 1, 1e5 }, v3[] = { 1.5, 1e4 }, v4[] = { 1.5, 1e5 };
        check_format(v1, 2, 7, (const char *[]){ "    1", "10000" }, "format(c(1, 1e4))");
        check_format(v2, 2, 7, (const char *[]){ "1e+00", "1e+05" }, "format(c(1, 1e5))");
        check_format(v3, 2, 7, (const char *[]){ "    1.5", "10000.0" }, "format(c(1.5, 1e4))");
        check_format(v4, 2, 7, (const char *[]){ "1.5e+00", "1.0e+05" }, "format(c(1.5, 1e5))");
    }
    {
        rf_text t[4];
        double pv[] = { 1e-20, 1.12e-06, 0.00145 };
        rf_format_pval(t, pv, 3, 3, DBL_EPSILON);
        tst_check(strcmp(t[0].s, "< 2e-16") == 0 && strcmp(t[1].s, "1.12e-06") == 0
                  && strcmp(t[2].s, "0.00145") == 0,
                  "format.pval(c(1e-20, 1.12e-06, 0.00145), 3) (got %s, %s, %s)",
                  t[0].s, t[1].s, t[2].s);
        double pv2[] = { 1e-20, 0.141 };
        rf_format_pval(t, pv2, 2, 3, DBL_EPSILON);
        tst_check(strcmp(t[0].s, "<2e-16") == 0, "format.pval(c(1e-20, 0.141), 3) (got %s)",
                  t[0].s);
        double pv3 = 1e-30, pv4 = 9.109e-12, pv5 = NAN;
        rf_format_pval(t, &pv3, 1, 4, DBL_EPSILON);
        rf_format_pval(t + 1, &pv4, 1, 4, DBL_EPSILON);
        rf_format_pval(t + 2, &pv5, 1, 4, DBL_EPSILON);
        tst_check(strcmp(t[0].s, "< 2.2e-16") == 0 && strcmp(t[1].s, "9.109e-12") == 0
                  && strcmp(t[2].s, "NA") == 0,
                  "format.pval(1e-30 | 9.109e-12 | NaN, 4) (got %s, %s, %s)", t[0].s, t[1].s, t[2].s);
        rf_formatC(&t[0], 0.826785, 4);
        rf_formatC(&t[1], 27, 4);
        rf_formatC(&t[2], NAN, 4);
        tst_check(strcmp(t[0].s, "0.8268") == 0 && strcmp(t[1].s, "   27") == 0
                  && strcmp(t[2].s, "  NaN") == 0, "formatC(c(0.826785, 27, NaN), digits = 4)");
        double z[] = { -3.9413, -6.870e-16, 5.854 };
        rf_zapsmall(z, 3, 5);
        tst_check(z[0] == -3.9413 && z[1] == 0 && z[2] == 5.854, "zapsmall(c(-3.9413, -6.87e-16, "
                  "5.854), 5)");
        tst_check(rf_is_na(rf_na()) && !rf_is_na(NAN) && isnan(rf_na()), "NA is a NaN, not every "
                  "NaN is NA");
    }
}

static void test_print(void)
{
    char *buf;
    size_t len;
    FILE *f;
    {
        const double q[] = { -3.941, -1.6, -0.182, 1.05, 5.854 };
        const char *names[] = { "Min", "1Q", "Median", "3Q", "Max" };
        f = open_memstream(&buf, &len);
        rf_print_named(f, q, names, 5, 4);
        fclose(f);
        const char *want = "   Min     1Q Median     3Q    Max \n"
                           "-3.941 -1.600 -0.182  1.050  5.854 \n";
        tst_check(strcmp(buf, want) == 0, "print of named quantiles%s%s", SHOW_IF_BAD(buf, want));
        free(buf);
        const double ci[] = { 33.95738245, -5.17191604, -0.05024078,
                              40.49715778, -2.58374544, -0.01330512 };
        const char *rows[] = { "(Intercept)", "wt", "hp" }, *cols[] = { "2.5 %", "97.5 %" };
        f = open_memstream(&buf, &len);
        rf_print_matrix(f, ci, 3, 2, rows, cols, 7);
        fclose(f);
        want = "                  2.5 %      97.5 %\n"
               "(Intercept) 33.95738245 40.49715778\n"
               "wt          -5.17191604 -2.58374544\n"
               "hp          -0.05024078 -0.01330512\n";
        tst_check(strcmp(buf, want) == 0, "print of confint's matrix%s%s", SHOW_IF_BAD(buf, want));
        free(buf);
    }
    {
        const double cm[] = {
            37.22727011644721, -3.877830639932, -0.03177294634047,
            1.598787579528, 0.6327335083036, 0.009029622390628,
            23.28469, -6.128695, -3.518712,
            2.565459e-20, 1.119647e-06, 1.451229e-03 };
        const char *rows[] = { "(Intercept)", "wt", "hp" };
        const char *cols[] = { "Estimate", "Std. Error", "t value", "Pr(>|t|)" };
        f = open_memstream(&buf, &len);
        rf_print_coefmat(f, cm, 3, 4, rows, cols, 4, 1, 1);
        fclose(f);
        const char *want =
            "            Estimate Std. Error t value Pr(>|t|)    \n"
            "(Intercept) 37.22727    1.59879  23.285  < 2e-16 ***\n"
            "wt          -3.87783    0.63273  -6.129 1.12e-06 ***\n"
            "hp          -0.03177    0.00903  -3.519  0.00145 ** \n"
            "---\n"
            "Signif. codes:  0 \xe2\x80\x98***\xe2\x80\x99 0.001 \xe2\x80\x98**\xe2\x80\x99 0.01 "
            "\xe2\x80\x98*\xe2\x80\x99 0.05 \xe2\x80\x98.\xe2\x80\x99 0.1 "
            "\xe2\x80\x98 \xe2\x80\x99 1\n";
        tst_check(strcmp(buf, want) == 0, "printCoefmat of mpg ~ wt + hp%s%s",
                  SHOW_IF_BAD(buf, want));
        free(buf);
    }
    {
        static const char *const cases[][2] = {
            { "y~x*z", "lm(formula = y ~ x * z, data = mtcars)" },
            { "y~x/z+a:b+x^2", "lm(formula = y ~ x/z + a:b + x^2, data = mtcars)" },
            { "y~I(x^2)+log( x )", "lm(formula = y ~ I(x^2) + log(x), data = mtcars)" },
            { "y ~ -1+x", "lm(formula = y ~ -1 + x, data = mtcars)" },
            { "y~x-1", "lm(formula = y ~ x - 1, data = mtcars)" },
            { "y~(x||g)+(1|g1/g2)", "lm(formula = y ~ (x || g) + (1 | g1/g2), data = mtcars)" },
            { "cbind(a,b-a)~f", "lm(formula = cbind(a, b - a) ~ f, data = mtcars)" },
            { "y~2.50*x+I(x*1e3)+1e5+2L", "lm(formula = y ~ 2.5 * x + I(x * 1000) + 1e+05 + 2L, "
              "data = mtcars)" },
            { "y~x %in% g+a%%b+I(x>=2)+poly(x,degree=2)", "lm(formula = y ~ x %in% g + a%%b + "
              "I(x >= 2) + poly(x, degree = 2), \n    data = mtcars)" },
            { "y ~ factor(cyl) + log(disp) + I(hp^2) + wt + qsec + drat + gear + carb + am",
              "lm(formula = y ~ factor(cyl) + log(disp) + I(hp^2) + wt + qsec + \n"
              "    drat + gear + carb + am, data = mtcars)" },
        };
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            char *got = rf_deparse_call("lm", cases[k][0], "mtcars");
            tst_check(got && strcmp(got, cases[k][1]) == 0, "deparse of \"%s\"%s%s", cases[k][0],
                      SHOW_IF_BAD(got ? got : "", cases[k][1]));
            free(got);
        }
    }
}
#define SIGNIF_LEGEND \
    "---\n" \
    "Signif. codes:  0 \xe2\x80\x98***\xe2\x80\x99 0.001 \xe2\x80\x98**\xe2\x80\x99 0.01 " \
    "\xe2\x80\x98*\xe2\x80\x99 0.05 \xe2\x80\x98.\xe2\x80\x99 0.1 " \
    "\xe2\x80\x98 \xe2\x80\x99 1\n"

static char *ct_printed(int (*print)(FILE *, const ct_table *, int), const ct_table *t,
                        int *status)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    *status = f != NULL ? print(f, t, 4) : -1;
    if (f == NULL || fclose(f) != 0)
        *status = -1;
    return buf != NULL ? buf : calloc(1, 1);
}

static void test_coeftab(void)
{
    {
        const char *names[] = { "(Intercept)", "I(2 * wt)", "hp" };
        const int aliased[] = { 0, 1, 0 };
        const double est[] = { 37.22727011644721, NAN, -0.03177294634047 },
                     se[] = { 1.598787579528, NAN, 0.009029622390628 },
                     t[] = { 23.28469, NAN, -3.518712 },
                     p[] = { 2.565459e-20, NAN, 1.451229e-03 };
        ct_table tab = { .p = 3, .names = names, .aliased = aliased, .estimate = est,
                         .std_error = se, .statistic = t, .dist = CT_T, .df_common = 29,
                         .p_value = p, .level = 0.95, .interval = "t" };
        int status;
        char *buf = ct_printed(ct_print_coefficients, &tab, &status);
        const char *want =
            "\nCoefficients: (1 not defined because of singularities)\n"
            "            Estimate Std. Error t value Pr(>|t|)    \n"
            "(Intercept) 37.22727    1.59879  23.285  < 2e-16 ***\n"
            "I(2 * wt)         NA         NA      NA       NA    \n"
            "hp          -0.03177    0.00903  -3.519  0.00145 ** \n"
            SIGNIF_LEGEND;
        tst_check(status == 0 && strcmp(buf, want) == 0 && ct_estimated(&tab) == 2
                  && ct_df(&tab, 2) == 29, "summary.lm's table with an aliased row%s%s",
                  SHOW_IF_BAD(buf, want));
        free(buf);
    }
    {
        const char *names[] = { "(Intercept)", "I(2 * Days)", "Days" }, *kept[3];
        const int aliased[] = { 0, 1, 0 };
        const double est[] = { 251.405104848485, NAN, 10.467285959596 },
                     se[] = { 9.7467, NAN, 0.8042 }, df[] = { 22.8102, NAN, 161 },
                     t[] = { 25.79, NAN, 13.02 }, p[] = { 1e-18, NAN, 0.03 };
        ct_table tab = { .p = 3, .names = names, .aliased = aliased, .estimate = est,
                         .std_error = se, .statistic = t, .dist = CT_T, .df = df,
                         .df_common = NAN, .p_value = p, .level = 0.95, .interval = "wald" };
        int status;
        char *buf = ct_printed(ct_print_fixed_effects, &tab, &status);
        const char *want =
            "\nFixed effects:\n"
            "            Estimate Std. Error       df t value Pr(>|t|)    \n"
            "(Intercept) 251.4051     9.7467  22.8102   25.79   <2e-16 ***\n"
            "Days         10.4673     0.8042 161.0000   13.02     0.03 *  \n"
            SIGNIF_LEGEND;
        tst_check(status == 0 && strcmp(buf, want) == 0 && ct_estimated_names(&tab, kept) == 2
                  && strcmp(kept[1], "Days") == 0 && ct_df(&tab, 2) == 161,
                  "lmerTest's table without its aliased row%s%s", SHOW_IF_BAD(buf, want));
        free(buf);
    }
    {
        const char *names[] = { "(Intercept)", "x" };
        const int aliased[] = { 0, 1 };
        const double est[] = { 1.5, NAN }, se[] = { 0.5, NAN }, t[] = { 3, NAN },
                     lo[] = { 0.5, NAN }, hi[] = { 2.5, NAN };
        ct_table tab = { .p = 2, .names = names, .aliased = aliased, .estimate = est,
                         .std_error = se, .statistic = t, .dist = CT_T, .df_common = NAN,
                         .conf_low = lo, .conf_high = hi, .level = 0.95, .interval = "wald" };
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        js_writer w;
        js_init(&w, f);
        js_object_begin(&w, 0);
        ct_json(&w, &tab);
        js_object_end(&w);
        fclose(f);
        const char *want =
            "{\n"
            "  \"coefficients\": [\n"
            "    {\"term\": \"(Intercept)\", \"estimate\": 1.5, \"std_error\": 0.5, "
            "\"statistic\": 3, \"p_value\": null, \"conf_low\": 0.5, \"conf_high\": 2.5, "
            "\"aliased\": false},\n"
            "    {\"term\": \"x\", \"estimate\": null, \"std_error\": null, \"statistic\": null, "
            "\"p_value\": null, \"conf_low\": null, \"conf_high\": null, \"aliased\": true}\n"
            "  ]\n"
            "}\n";
        tst_check(strcmp(buf, want) == 0 && isnan(ct_df(&tab, 0)),
                  "the JSON of lme4's table%s%s", SHOW_IF_BAD(buf, want));
        free(buf);
    }
}
static void test_cli(void)
{
    long long boot = 0;
    const char *type = "pairs";
    static const char *const types[] = { "pairs", "residual", "wild", NULL };
    cli_option opts[] = {
        { "boot", CLI_INTEGER, &boot, "B", "bootstrap replicates", 1, 1e9, 0,
          "an integer >= 1", NULL },
        { "boot-type", CLI_WORD, &type, "T", "pairs, residual or wild", 0, 0, 0,
          "pairs, residual or wild", types },
        { NULL, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0, NULL, NULL } };
    cli_program prog = { "ols", "test", opts };
    cli_args a;
    st_error e = { 0 };
    char *ok1[] = { "ols", "--json", "y ~ x", "--level=0.9", "d.csv", "--boot", "100",
                    "--boot-type", "wild", NULL };
    tst_check(cli_parse(&e, &prog, 9, ok1, &a) == ST_OK && a.json && a.level == 0.9
              && boot == 100 && strcmp(type, "wild") == 0 && strcmp(a.formula, "y ~ x") == 0
              && strcmp(a.data, "d.csv") == 0, "options before, between and after (%s)", e.msg);
    char *ok2[] = { "ols", "y ~ x", "--", "-", NULL };
    tst_check(cli_parse(&e, &prog, 4, ok2, &a) == ST_OK && strcmp(a.data, "-") == 0
              && a.level == 0.95 && !a.json, "-- and a lone dash are positional");
    struct { int argc; char *argv[6]; const char *msg; } bad[] = {
        { 1, { "ols" }, "missing arguments FORMULA and DATA (usage: ols [options] FORMULA DATA)" },
        { 2, { "ols", "y ~ x" }, "missing argument DATA (usage: ols [options] FORMULA DATA)" },
        { 4, { "ols", "a", "b", "c" }, "unexpected argument \"c\" (usage: ols [options] FORMULA DATA)" },
        { 4, { "ols", "--level", "2", "y~x" }, "--level: expected a number in (0, 1), found \"2\"" },
        { 2, { "ols", "--level=abc" }, "--level: expected a number in (0, 1), found \"abc\"" },
        { 2, { "ols", "--level" }, "--level: expected a number in (0, 1), found nothing" },
        { 2, { "ols", "--frobnicate" }, "unknown option \"--frobnicate\" (see ols --help)" },
        { 2, { "ols", "-x" }, "unknown option \"-x\" (see ols --help)" },
        { 2, { "ols", "--json=1" }, "--json: takes no value, found \"1\"" },
        { 3, { "ols", "--boot", "0" }, "--boot: expected an integer >= 1, found \"0\"" },
        { 3, { "ols", "--boot", "1e3" }, "--boot: expected an integer >= 1, found \"1e3\"" },
        { 3, { "ols", "--boot-type", "x" },
          "--boot-type: expected pairs, residual or wild, found \"x\"" },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int status = cli_parse(&e, &prog, bad[k].argc, bad[k].argv, &a);
        tst_check(status == ST_EINPUT && strcmp(e.msg, bad[k].msg) == 0,
                  "command-line error \"%s\" (got %d, \"%s\")", bad[k].msg, status, e.msg);
    }
    char *help[] = { "ols", "--help", "--level", "7", NULL };
    tst_check(cli_parse(&e, &prog, 2, help, &a) == ST_OK && a.help, "--help needs no arguments");
}

int main(void)
{
    tst_plan(51);
    test_json();
    test_format();
    test_print();
    test_coeftab();
    test_cli();
    return tst_done();
}
