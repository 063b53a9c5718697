#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "jsonr.h"
#include "compare.h"
#include "testing.h"

static jr_value *json_parse(const char *text, size_t len, st_error *e)
{
    jr_value *v = NULL;
    *e = (st_error){ 0 };
    jr_parse(e, "t.json", text, len, &v);
    return v;
}
#define PARSE(text, e) json_parse(text, sizeof text - 1, e)

static char *json_quotes(const char *text)
{
    size_t n = strlen(text);
    char *s = malloc(n + 1);
    if (s == NULL)
        abort();
    for (size_t i = 0; i <= n; i++)
        s[i] = text[i] == '\'' ? '"' : text[i];
    return s;
}
static cmp_report compare(const char *ours_text, const char *ref_text)
{
    cmp_report r = { 0, 0, 0, 0, NULL };
    st_error e;
    char *o = json_quotes(ours_text), *f = json_quotes(ref_text);
    jr_value *ours = json_parse(o, strlen(o), &e);
    tst_check(ours != NULL, "our fixture parses (%s)", e.msg);
    jr_value *ref = json_parse(f, strlen(f), &e);
    tst_check(ref != NULL, "R's fixture parses (%s)", e.msg);
    if (ours != NULL && ref != NULL)
        tst_check(cmp_json(&e, &r, "t", ours, ref) == ST_OK, "the comparison runs");
    jr_free(ours);
    jr_free(ref);
    free(o);
    free(f);
    return r;
}

static int has_line(const cmp_report *r, const char *line)
{
    for (size_t i = 0; i < r->nline; i++)
        if (strcmp(r->line[i], line) == 0)
            return 1;
    return 0;
}

static void expect_line(const cmp_report *r, const char *line)
{
    if (!tst_check(has_line(r, line), "the report says: %s", line))
        for (size_t i = 0; i < r->nline; i++)
            printf("#   %s\n", r->line[i]);
}
static void test_json_good(void)
{
    st_error e;
    double x;
    int b;
    jr_value *v = PARSE(" {\"a\": [1, 2.5, -0, 1e-320, 1e-400, true, false, null, \"x\"],\n"
                        "  \"b\": {\"c\": \"d\"}, \"e\": {}, \"f\": [ ]} \n", &e);
    tst_check(v != NULL && v->type == JR_OBJECT && jr_len(v) == 4,
              "an object with four members parses (%s)", e.msg);
    const jr_value *a = jr_get(v, "a");
    tst_check(jr_len(a) == 9 && jr_number(jr_at(a, 0), &x) && x == 1, "a[0] is 1");
    tst_check(jr_number(jr_at(a, 1), &x) && x == 2.5, "a[1] is 2.5");
    tst_check(jr_number(jr_at(a, 2), &x) && x == 0 && signbit(x), "-0 keeps its sign");
    tst_check(jr_number(jr_at(a, 3), &x) && x == strtod("1e-320", NULL) && x > 0,
              "1e-320 is the subnormal strtod makes");
    tst_check(jr_number(jr_at(a, 4), &x) && x == 0 && !signbit(x), "1e-400 underflows to 0");
    tst_check(jr_bool(jr_at(a, 5), &b) && b == 1 && jr_bool(jr_at(a, 6), &b) && b == 0,
              "true and false");
    tst_check(jr_is_null(jr_at(a, 7)) && !jr_is_null(jr_at(a, 6)), "null");
    tst_check(jr_string(jr_at(a, 8)) != NULL && strcmp(jr_string(jr_at(a, 8)), "x") == 0,
              "\"x\"");
    tst_check(strcmp(jr_string(jr_get(jr_get(v, "b"), "c")), "d") == 0, "nested objects");
    tst_check(jr_get(v, "e")->type == JR_OBJECT && jr_len(jr_get(v, "e")) == 0
              && jr_get(v, "f")->type == JR_ARRAY && jr_len(jr_get(v, "f")) == 0,
              "empty object and array");
    tst_check(strcmp(jr_key(v, 1), "b") == 0 && jr_key(v, 4) == NULL && jr_key(a, 0) == NULL,
              "names in the order of the text");
    tst_check(jr_get(v, "zz") == NULL && jr_at(a, 9) == NULL && jr_get(a, "x") == NULL
              && !jr_number(jr_get(v, "b"), &x) && jr_string(NULL) == NULL
              && !jr_bool(NULL, &b) && jr_len(NULL) == 0 && jr_at(NULL, 0) == NULL,
              "lookups of what is not there answer nothing");
    tst_check(strcmp(jr_type_name(NULL), "nothing") == 0
              && strcmp(jr_type_name(a), "an array") == 0
              && strcmp(jr_type_name(jr_at(a, 7)), "null") == 0, "type names");
    jr_free(v);
    {
        static const char want[] = "\"\\/\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\0z";
        v = PARSE("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\"", &e);
        tst_check(v != NULL && v->type == JR_STRING && v->len == sizeof want - 1
                  && memcmp(v->str, want, sizeof want) == 0,
                  "escapes, \\u, a surrogate pair and \\u0000 decode to UTF-8 (%s)", e.msg);
        jr_free(v);
        v = PARSE("\xEF\xBB\xBF[\"caf\xC3\xA9 \xF0\x9F\x98\x80\"]", &e);
        tst_check(v != NULL && strcmp(jr_string(jr_at(v, 0)), "caf\xC3\xA9 \xF0\x9F\x98\x80") == 0,
                  "a byte-order mark is skipped and UTF-8 is kept (%s)", e.msg);
        jr_free(v);
        v = PARSE("[1.7976931348623157e308, -4.9e-324, 123456789012345678901234567890, 0.1e1]", &e);
        tst_check(v != NULL && jr_number(jr_at(v, 0), &x) && x == 1.7976931348623157e308
                  && jr_number(jr_at(v, 1), &x) && x == -4.9e-324
                  && jr_number(jr_at(v, 2), &x) && x == 123456789012345678901234567890.0
                  && jr_number(jr_at(v, 3), &x) && x == 1, "extreme numbers (%s)", e.msg);
        jr_free(v);
    }
    {
        char deep[2 * JR_MAX_DEPTH + 3];
        memset(deep, '[', JR_MAX_DEPTH);
        memset(deep + JR_MAX_DEPTH, ']', JR_MAX_DEPTH);
        v = json_parse(deep, 2 * JR_MAX_DEPTH, &e);
        tst_check(v != NULL, "%d nested arrays parse (%s)", JR_MAX_DEPTH, e.msg);
        jr_free(v);
    }
}
static void expect_error(const char *text, size_t len, const char *msg)
{
    st_error e;
    jr_value *v = json_parse(text, len, &e);
    tst_check(v == NULL && e.status == ST_EINPUT && strcmp(e.msg, msg) == 0,
              "error \"%s\" (got \"%s\")", msg, e.msg);
    jr_free(v);
}
#define EXPECT_ERROR(text, msg) expect_error(text, sizeof text - 1, msg)

static void test_json_bad(void)
{
    EXPECT_ERROR("", "t.json:1:1: expected a JSON value, found the end of the text");
    EXPECT_ERROR(" \n  ", "t.json:2:3: expected a JSON value, found the end of the text");
    EXPECT_ERROR("[", "t.json:1:2: expected a JSON value, found the end of the text");
    EXPECT_ERROR("@", "t.json:1:1: expected a JSON value, found '@'");
    EXPECT_ERROR("\x01", "t.json:1:1: expected a JSON value, found byte 0x01");
    EXPECT_ERROR("tru", "t.json:1:1: expected a JSON value, found \"tru\"");
    EXPECT_ERROR("[NaN]", "t.json:1:2: expected a JSON value, found \"NaN\"");
    EXPECT_ERROR("nullify", "t.json:1:1: expected a JSON value, found \"nullify\"");
    EXPECT_ERROR("[1,]", "t.json:1:4: expected a JSON value, found ']'");
    EXPECT_ERROR("[\n  1,\r\n  ]", "t.json:3:3: expected a JSON value, found ']'");
    EXPECT_ERROR("{\"\xC3\xA9\": x}", "t.json:1:7: expected a JSON value, found 'x'");
    EXPECT_ERROR("[1 2]",
                 "t.json:1:4: expected ',' or ']' after an element of an array, found '2'");
    EXPECT_ERROR("{\"a\":1,}", "t.json:1:8: expected a name in double quotes, found '}'");
    EXPECT_ERROR("{1:2}", "t.json:1:2: expected a name in double quotes, found '1'");
    EXPECT_ERROR("{\"a\" 1}", "t.json:1:6: expected ':' after a name, found '1'");
    EXPECT_ERROR("{\"a\":1 \"b\":2}",
                 "t.json:1:8: expected ',' or '}' after a member of an object, found '\"'");
    EXPECT_ERROR("{\"a\":1",
                 "t.json:1:7: expected ',' or '}' after a member of an object, "
                 "found the end of the text");
    EXPECT_ERROR("{\"a\":1,\"b\":2,\"a\":3}",
                 "t.json:1:14: expected each name once in an object, found \"a\" again");
    EXPECT_ERROR("{\"a\\u0000\":1}", "t.json:1:4: expected a name without \\u0000");
    EXPECT_ERROR("[1] x",
                 "t.json:1:5: expected the end of the text after the JSON value, found 'x'");
    EXPECT_ERROR("1 2",
                 "t.json:1:3: expected the end of the text after the JSON value, found '2'");
    EXPECT_ERROR("[1]\0", "t.json:1:4: expected the end of the text after the JSON value, "
                 "found byte 0x00");
    EXPECT_ERROR("01", "t.json:1:1: expected a number without leading zeros, found \"01\"");
    EXPECT_ERROR("-", "t.json:1:2: expected a digit after '-', found the end of the text");
    EXPECT_ERROR("-x", "t.json:1:2: expected a digit after '-', found 'x'");
    EXPECT_ERROR("1.",
                 "t.json:1:3: expected a digit after the decimal point, found the end of the text");
    EXPECT_ERROR("1.e5", "t.json:1:3: expected a digit after the decimal point, found \"e5\"");
    EXPECT_ERROR("1e+", "t.json:1:4: expected a digit in the exponent, found the end of the text");
    EXPECT_ERROR("1e400",
                 "t.json:1:1: expected a number within the range of a double, found \"1e400\"");
    EXPECT_ERROR("[-1e400]",
                 "t.json:1:2: expected a number within the range of a double, found \"-1e400\"");
    EXPECT_ERROR("\"abc", "t.json:1:1: expected '\"' to close the string that begins here, "
                 "found the end of the text");
    EXPECT_ERROR("\"\\", "t.json:1:1: expected '\"' to close the string that begins here, "
                 "found the end of the text");
    EXPECT_ERROR("\"a\nb\"", "t.json:1:3: expected a printable character or an escape in a string, "
                 "found byte 0x0a");
    EXPECT_ERROR("\"\\q\"", "t.json:1:2: expected one of \" \\ / b f n r t u after a backslash, "
                 "found 'q'");
    EXPECT_ERROR("\"\\u12G4\"", "t.json:1:2: expected 4 hexadecimal digits after \\u");
    EXPECT_ERROR("\"\\u12\"", "t.json:1:2: expected 4 hexadecimal digits after \\u");
    EXPECT_ERROR("\"\\ud83d\"",
                 "t.json:1:8: expected a low surrogate (\\uDC00 to \\uDFFF) after \\uD83D");
    EXPECT_ERROR("\"\\ud83dx\"",
                 "t.json:1:8: expected a low surrogate (\\uDC00 to \\uDFFF) after \\uD83D");
    EXPECT_ERROR("\"\\ud83d\\u0041\"",
                 "t.json:1:8: expected a low surrogate (\\uDC00 to \\uDFFF) after \\uD83D");
    EXPECT_ERROR("\"\\ude00\"",
                 "t.json:1:2: expected a high surrogate (\\uD800 to \\uDBFF) before \\uDE00");
    EXPECT_ERROR("\"\xFF\"", "t.json:1:2: expected UTF-8 text, found byte 0xff");
    EXPECT_ERROR("\"\xC3\"", "t.json:1:2: expected UTF-8 text, found byte 0xc3");
    EXPECT_ERROR("\"\xC0\xAF\"", "t.json:1:2: expected UTF-8 text, found byte 0xc0");
    EXPECT_ERROR("\"\xED\xA0\x80\"", "t.json:1:2: expected UTF-8 text, found byte 0xed");
    EXPECT_ERROR("\"\xF4\x90\x80\x80\"", "t.json:1:2: expected UTF-8 text, found byte 0xf4");
    {
        char deep[3 * JR_MAX_DEPTH];
        char msg[128];
        memset(deep, '[', sizeof deep);
        snprintf(msg, sizeof msg, "t.json:1:%d: expected at most %d nested arrays and objects",
                 JR_MAX_DEPTH + 1, JR_MAX_DEPTH);
        expect_error(deep, sizeof deep, msg);
    }
}
static void test_json_damaged(void)
{
    static const char text[] =
        "{\"a\": [1, -2.5e-3, true, false, null, \"x\\u00e9\\ud83d\\ude00\\n\xC3\xA9\"],"
        " \"b\": {\"c\": {}, \"d\": [[]]}, \"\xC3\xA9\": 0E+1}";
    static const char bad[] = "\"\\{}[],:0eE-+.u \0\xFF\x80\xC3\xED";
    size_t n = sizeof text - 1, clean = 0, tried = 0;
    char buf[sizeof text];
    st_error e;
    for (size_t k = 0; k < n; k++) {
        jr_value *v = json_parse(text, k, &e);
        clean += v == NULL && e.status == ST_EINPUT && strncmp(e.msg, "t.json:", 7) == 0;
        tried++;
        jr_free(v);
    }
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < sizeof bad - 1; j++) {
            memcpy(buf, text, n);
            buf[k] = bad[j];
            jr_value *v = json_parse(buf, n, &e);
            clean += (v != NULL && e.status == ST_OK)
                  || (v == NULL && e.status == ST_EINPUT && strncmp(e.msg, "t.json:", 7) == 0);
            tried++;
            jr_free(v);
        }
    tst_check(clean == tried, "%zu of %zu damaged texts parse or fail with a message",
              clean, tried);
}
#define OLS_HEAD "{'model': 'ols', 'formula': 'y ~ a + b + c', 'n_obs': 10, 'n_dropped': 1, "
#define COEF_I "{'term': '(Intercept)', 'estimate': 1.5, 'std_error': 0.25, 'statistic': 6, " \
               "'p_value': 1e-310, 'conf_low': 0.9, 'conf_high': 2.1}"
#define COEF_A "{'term': 'a', 'estimate': 1e-12, 'std_error': 0.5, 'statistic': 2e-12, " \
               "'p_value': 1, 'conf_low': -1.1, 'conf_high': 1.1}"
#define COEF_B "{'term': 'b', 'estimate': -2, 'std_error': 0.5, 'statistic': -4, " \
               "'p_value': 0.004, 'conf_low': -3.2, 'conf_high': -0.8}"
#define COEF_C "{'term': 'c', 'estimate': null, 'std_error': null, 'statistic': null, " \
               "'p_value': null, 'conf_low': null, 'conf_high': null}"
#define OLS_TAIL ", 'sigma': 3.04, 'r_squared': 0.5, 'adj_r_squared': 0.4, " \
                 "'f_statistic': 4.2, 'f_df': [2, 7], 'f_p_value': 0.063, 'df_residual': 7, " \
                 "'log_lik': -20.5, 'aic': 49, 'bic': 50.2, 'converged': true, " \
                 "'bootstrap': {'replicates': 99, 'type': 'pairs'}}"
#define OLS(coefs) OLS_HEAD "'coefficients': [" coefs "]" OLS_TAIL
static const char ols_ref[] = OLS(COEF_I ", " COEF_A ", " COEF_B ", " COEF_C);

static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!tst_check(at != NULL, "the fixture has \"%s\"", from))
        at = text + strlen(text), from = "";
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    if (s == NULL)
        abort();
    size_t k = (size_t)(at - text);
    memcpy(s, text, k);
    strcpy(s + k, to);
    strcat(s, at + strlen(from));
    return s;
}

static void compare_edited(const char *ref, const char *from, const char *to, const char *line)
{
    char *ours = edit(ref, from, to);
    cmp_report r = compare(ours, ref);
    expect_line(&r, line);
    cmp_report_free(&r);
    free(ours);
}

static void test_compare_ols(void)
{
    cmp_report r = compare(ols_ref, ols_ref);
    tst_check(r.nfail == 0 && r.nok == 41 && r.nline == 41,
              "the ols fixture agrees with itself in 41 lines (%d ok, %d not)", r.nok, r.nfail);
    expect_line(&r, "ok - t: model: \"ols\", as R");
    expect_line(&r, "ok - t: n_obs: 10, as R");
    expect_line(&r, "ok - t: coefficients: 4 terms in R's order");
    expect_line(&r, "ok - t: coefficients[(Intercept)].estimate: relative difference 0 <= 1e-08");
    expect_line(&r, "ok - t: coefficients[(Intercept)].p_value: ours 1e-310, R 1e-310: "
                "both below 1e-300");
    expect_line(&r, "ok - t: coefficients[c].estimate: null (NA) in both");
    expect_line(&r, "ok - t: f_df[2]: 7, as R");
    expect_line(&r, "ok - t: converged: true, as R");
    cmp_report_free(&r);
    compare_edited(ols_ref, "'estimate': -2", "'estimate': -2.0000002",
                   "not ok - t: coefficients[b].estimate: ours -2.0000002, R -2, "
                   "relative difference 1e-07 > tolerance 1e-08");
    compare_edited(ols_ref, "'estimate': -2", "'estimate': -2.000000002",
                   "ok - t: coefficients[b].estimate: relative difference 1e-09 <= 1e-08");
    compare_edited(ols_ref, "'estimate': 1e-12", "'estimate': 3e-12",
                   "ok - t: coefficients[a].estimate: relative difference 4e-12 <= 1e-08");
    compare_edited(ols_ref, "'p_value': 1e-310", "'p_value': 2e-310",
                   "ok - t: coefficients[(Intercept)].p_value: ours 2e-310, R 1e-310: "
                   "both below 1e-300");
    compare_edited(ols_ref, "'p_value': 1e-310", "'p_value': 1e-290",
                   "not ok - t: coefficients[(Intercept)].p_value: ours 1e-290, R 1e-310: "
                   "R's is below 1e-300, ours is not");
    compare_edited(ols_ref, "'p_value': 0.004", "'p_value': 0.0040000004",
                   "not ok - t: coefficients[b].p_value: ours 0.0040000004, R 0.004, "
                   "relative difference 1e-07 > tolerance 1e-08");
    compare_edited(ols_ref, "'p_value': 0.004", "'p_value': -0.004",
                   "not ok - t: coefficients[b].p_value: ours -0.004, R 0.004, "
                   "expected probabilities");
    compare_edited(ols_ref, "'sigma': 3.04", "'sigma': 3.0400001",
                   "not ok - t: sigma: ours 3.0400001, R 3.04, "
                   "relative difference 3.3e-08 > tolerance 1e-08");
    compare_edited(ols_ref, "'estimate': null", "'estimate': 0.5",
                   "not ok - t: coefficients[c].estimate: ours 0.5, R null (NA): expected null");
    compare_edited(ols_ref, "'std_error': 0.5, 'statistic': -4",
                   "'std_error': null, 'statistic': -4",
                   "not ok - t: coefficients[b].std_error: ours null (NA), R 0.5: "
                   "expected a number");
    compare_edited(ols_ref, "'sigma': 3.04, ", "",
                   "not ok - t: sigma: missing from ours (R has 3.04)");
    compare_edited(ols_ref, "'estimate': -2, ", "",
                   "not ok - t: coefficients[b].estimate: missing from ours (R has -2)");
    {
        char *ours = edit(ols_ref, "'converged': true", "'converged': true, 'extra': [1, 2]");
        cmp_report rep = compare(ours, ols_ref);
        tst_check(rep.nfail == 0 && rep.nline == 41, "a field of ours that R lacks is ignored");
        cmp_report_free(&rep);
        free(ours);
        char *ref = edit(ols_ref, "'converged': true", "'converged': true, 'r_version': '4.3'");
        rep = compare(ols_ref, ref);
        expect_line(&rep, "not ok - t: r_version: R's file has this field, "
                    "but model \"ols\" has no rule for it");
        cmp_report_free(&rep);
        free(ref);
    }
    {
        cmp_report rep = compare(OLS(COEF_I ", " COEF_B ", " COEF_A ", " COEF_C), ols_ref);
        expect_line(&rep, "not ok - t: coefficients: term 2 is \"b\" in ours, \"a\" in R "
                    "(expected R's terms in R's order)");
        expect_line(&rep, "ok - t: coefficients[a].estimate: relative difference 0 <= 1e-08");
        expect_line(&rep, "ok - t: coefficients[b].conf_high: relative difference 0 <= 1e-08");
        tst_check(rep.nfail == 1, "terms in another order fail once, and are matched by name");
        cmp_report_free(&rep);
        rep = compare(OLS(COEF_I ", " COEF_A ", " COEF_B), ols_ref);
        expect_line(&rep, "not ok - t: coefficients: ours has 3 terms, R 4");
        expect_line(&rep, "not ok - t: coefficients[c]: missing from ours");
        cmp_report_free(&rep);
    }
    compare_edited(ols_ref, "'model': 'ols'", "'model': 'lmm'",
                   "not ok - t: model: ours \"lmm\", R \"ols\", expected equal");
    compare_edited(ols_ref, "'n_obs': 10", "'n_obs': 11",
                   "not ok - t: n_obs: ours 11, R 10, expected equal");
    compare_edited(ols_ref, "'n_obs': 10", "'n_obs': '10'",
                   "not ok - t: n_obs: ours \"10\", R 10: expected a number");
    compare_edited(ols_ref, "'f_df': [2, 7]", "'f_df': [2, 8]",
                   "not ok - t: f_df[2]: ours 8, R 7, expected equal");
    compare_edited(ols_ref, "'f_df': [2, 7]", "'f_df': [2]",
                   "not ok - t: f_df: ours has 1 elements, R 2");
    compare_edited(ols_ref, "'converged': true", "'converged': false",
                   "not ok - t: converged: ours false, R true, expected equal");
    {
        char *ref = edit(ols_ref, "'converged': true", "'converged': false");
        cmp_report rep = compare(ols_ref, ref);
        expect_line(&rep, "ok - t: converged: ours true, R false (R did not converge)");
        cmp_report_free(&rep);
        free(ref);
        ref = edit(ols_ref, "'model': 'ols'", "'model': 'xyz'");
        rep = compare(ols_ref, ref);
        expect_line(&rep, "not ok - t: model: R's file has \"xyz\", "
                    "expected \"ols\", \"lmm\", \"glmm\" or \"glm\"");
        tst_check(rep.nline == 1, "an unknown model is one line");
        cmp_report_free(&rep);
        free(ref);
        rep = compare(ols_ref, "[1]");
        expect_line(&rep, "not ok - t: R's file holds an array of 1, expected an object");
        cmp_report_free(&rep);
    }
}
#define LMM_HEAD "{'model': 'lmm', 'formula': 'y ~ x + (x | g)', 'n_obs': 180, " \
                 "'n_dropped': 0, 'coefficients': [{'term': '(Intercept)', " \
                 "'estimate': 251.4, 'std_error': 6.8, 'statistic': 36.8, 'p_value': null, " \
                 "'conf_low': 238, 'conf_high': 264.8}], " \
                 "'sigma': 25.6, 'reml_criterion': 1743.6, 'log_lik': -871.8, 'aic': 1755.6, " \
                 "'bic': 1774.8, "
#define RE_I "{'group': 'g', 'term': '(Intercept)', 'variance': 612.1, 'std_dev': 24.74}"
#define LMM_TAIL ", 'n_groups': {'g': 18}, 'singular': true, 'converged': true}"
static const char lmm_ref[] = LMM_HEAD "'theta': [0.97, 0.015, 0], 'random_effects': ["
    RE_I ", {'group': 'g', 'term': 'x', 'variance': 0, 'std_dev': 0}], "
    "'correlations': [{'group': 'g', 'term1': '(Intercept)', 'term2': 'x', "
    "'correlation': 0.066}]" LMM_TAIL;
static const char lmm_ours[] = LMM_HEAD "'theta': [0.97, 0.015, 5e-05], 'random_effects': ["
    "{'group': 'g', 'term': 'x', 'variance': 1e-06, 'std_dev': 0.001}, " RE_I "], "
    "'correlations': [{'group': 'g', 'term1': 'x', 'term2': '(Intercept)', "
    "'correlation': 0.066}]" LMM_TAIL;

static void test_compare_mixed(void)
{
    cmp_report r = compare(lmm_ours, lmm_ref);
    tst_check(r.nfail == 0, "the lmm output agrees with the fixture (%d not ok)", r.nfail);
    expect_line(&r, "ok - t: coefficients[(Intercept)].p_value: null (NA) in both");
    expect_line(&r, "ok - t: random_effects: 2 records, as R");
    expect_line(&r, "ok - t: random_effects[g, x].variance: ours 1e-06, R 0: "
                "both below 6.5536e-06, on the boundary (a singular fit)");
    expect_line(&r, "ok - t: random_effects[g, x].std_dev: ours 0.001, R 0: "
                "both below 0.00256, on the boundary (a singular fit)");
    expect_line(&r, "ok - t: theta[3]: ours 5e-05, R 0: both below 0.0001, on the boundary "
                "(a singular fit)");
    expect_line(&r, "ok - t: correlations[g, (Intercept), x].correlation: "
                "absolute difference 0 <= 0.0001");
    expect_line(&r, "ok - t: n_groups.g: 18, as R");
    cmp_report_free(&r);
    compare_edited(lmm_ref, "'reml_criterion': 1743.6", "'reml_criterion': 1743.5",
                   "ok - t: reml_criterion: ours 1743.5, R 1743.6: ours is lower (better) "
                   "by relative difference 5.7e-05");
    compare_edited(lmm_ref, "'reml_criterion': 1743.6", "'reml_criterion': 1743.61",
                   "not ok - t: reml_criterion: ours 1743.61, R 1743.6, "
                   "relative difference 5.7e-06 > tolerance 1e-06 (ours is worse)");
    compare_edited(lmm_ref, "'reml_criterion': 1743.6", "'reml_criterion': 1743.6001",
                   "ok - t: reml_criterion: relative difference 5.7e-08 <= 1e-06");
    compare_edited(lmm_ref, "'log_lik': -871.8", "'log_lik': -871.75",
                   "ok - t: log_lik: ours -871.75, R -871.8: ours is higher (better) "
                   "by relative difference 5.7e-05");
    compare_edited(lmm_ref, "'log_lik': -871.8", "'log_lik': -871.81",
                   "not ok - t: log_lik: ours -871.81, R -871.8, relative difference 1.1e-05 "
                   "> tolerance 1e-06 (ours is worse)");
    compare_edited(lmm_ref, "'variance': 612.1", "'variance': 612.2",
                   "not ok - t: random_effects[g, (Intercept)].variance: ours 612.2, R 612.1, "
                   "relative difference 0.00016 > tolerance 0.0001");
    compare_edited(lmm_ref, "'variance': 0,", "'variance': 0.001,",
                   "not ok - t: random_effects[g, x].variance: ours 0.001, R 0, "
                   "relative difference 0.00015 > tolerance 0.0001");
    compare_edited(lmm_ref, "'term2': 'x'", "'term2': 'z'",
                   "not ok - t: correlations[g, (Intercept), x]: missing from ours");
    compare_edited(lmm_ref, "'term': 'x'", "'term': 'z'",
                   "not ok - t: random_effects[g, x]: missing from ours");
    compare_edited(lmm_ref, "'correlation': 0.066", "'correlation': 0.0662",
                   "not ok - t: correlations[g, (Intercept), x].correlation: ours 0.0662, R 0.066, "
                   "absolute difference 0.0002 > tolerance 0.0001");
    compare_edited(lmm_ref, "{'g': 18}", "{'g': 17}",
                   "not ok - t: n_groups.g: ours 17, R 18, expected equal");
    compare_edited(lmm_ref, "{'g': 18}", "{'h': 18}",
                   "not ok - t: n_groups.g: missing from ours (R has 18)");
    compare_edited(lmm_ref, "'singular': true", "'singular': false",
                   "not ok - t: singular: ours false, R true, expected equal");
    compare_edited(lmm_ref, "'theta': [0.97, 0.015, 0]", "'theta': [0.97, 0.015]",
                   "not ok - t: theta: ours has 2 elements, R 3");
    {
        static const char glmm_ref[] =
            "{'model': 'glmm', 'coefficients': [{'term': '(Intercept)', 'estimate': -1.4, "
            "'std_error': 0.23, 'p_value': 1e-10}], 'deviance': 100}";
        compare_edited(glmm_ref, "'p_value': 1e-10", "'p_value': 0.95e-10",
                       "ok - t: coefficients[(Intercept)].p_value: relative difference in |z| "
                       "0.0012 <= 0.003");
        compare_edited(glmm_ref, "'p_value': 1e-10", "'p_value': 0.5e-10",
                       "not ok - t: coefficients[(Intercept)].p_value: ours 5e-11, R 1e-10, "
                       "relative difference in |z| 0.016 > tolerance 0.003");
        compare_edited(glmm_ref, "'std_error': 0.23", "'std_error': 0.2303",
                       "ok - t: coefficients[(Intercept)].std_error: "
                       "relative difference 0.0013 <= 0.002");
        compare_edited(glmm_ref, "'deviance': 100", "'deviance': 100.00005",
                       "ok - t: deviance: absolute difference 5e-05 <= 0.0001");
        compare_edited(glmm_ref, "'deviance': 100", "'deviance': 100.0002",
                       "not ok - t: deviance: ours 100.0002, R 100, absolute difference 0.0002 "
                       "> tolerance 0.0001 (ours is worse)");
        char *ref = edit(glmm_ref, "'model': 'glmm'", "'model': 'ols'");
        char *ours = edit(ref, "'p_value': 1e-10", "'p_value': 0.95e-10");
        cmp_report rep = compare(ours, ref);
        expect_line(&rep, "not ok - t: coefficients[(Intercept)].p_value: ours 9.5e-11, R 1e-10, "
                    "relative difference 0.05 > tolerance 1e-08");
        cmp_report_free(&rep);
        free(ours);
        free(ref);
    }
}
static void test_compare_files(void)
{
    st_error e = { 0 };
    cmp_report r = { 0, 0, 0, 0, NULL };
    char path[] = "/tmp/test-jsonr-XXXXXX", want[256];
    tst_check(cmp_files(&e, &r, "t", "/nonexistent/ours.json", "/nonexistent/R.json") == ST_OK
              && r.nline == 1 && r.nfail == 1 && strcmp(r.line[0], "not ok - t: "
              "/nonexistent/ours.json: cannot open: No such file or directory") == 0,
              "a missing file is one failed line");
    cmp_report_free(&r);
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!tst_check(f != NULL, "a temporary file"))
        return;
    fputs("{\"model\": }", f);
    fclose(f);
    snprintf(want, sizeof want, "not ok - t: %s:1:11: expected a JSON value, found '}'", path);
    tst_check(cmp_files(&e, &r, "t", "/dev/null", path) == ST_OK && r.nline == 1
              && strcmp(r.line[0], "not ok - t: /dev/null:1:1: expected a JSON value, "
                        "found the end of the text") == 0, "an empty file is one failed line");
    cmp_report_free(&r);
    tst_check(cmp_files(&e, &r, "t", path, path) == ST_OK && r.nline == 1
              && strcmp(r.line[0], want) == 0, "invalid JSON is one failed line");
    cmp_report_free(&r);
    char *json = json_quotes(ols_ref);
    f = fopen(path, "w");
    if (tst_check(f != NULL, "the temporary file reopens")) {
        fputs(json, f);
        fclose(f);
        tst_check(cmp_files(&e, &r, "t", path, path) == ST_OK && r.nfail == 0 && r.nok == 41,
                  "a file agrees with itself");
        cmp_report_free(&r);
    }
    free(json);
    unlink(path);
}
static void test_tex(void)
{
    static const char ref_text[] = "{'coefficients': ["
        "{'term': '(Intercept)', 'estimate': 1.5, 'std_error': 0.25},"
        "{'term': 'x_#$%&{}~^\\\\', 'estimate': -2e-05, 'std_error': 0.5},"
        "{'term': 'c', 'estimate': null, 'std_error': null}]}";
    static const char ours_text[] = "{'coefficients': ["
        "{'term': '(Intercept)', 'estimate': 1.5000003, 'std_error': 0.25},"
        "{'term': 'x_#$%&{}~^\\\\', 'estimate': -2e-05, 'std_error': 0.5},"
        "{'term': 'c', 'estimate': null, 'std_error': null}]}";
    char *o = json_quotes(ours_text), *f = json_quotes(ref_text), *buf = NULL;
    size_t size = 0;
    st_error e = { 0 };
    jr_value *ours = json_parse(o, strlen(o), &e), *ref = json_parse(f, strlen(f), &e);
    FILE *out = open_memstream(&buf, &size);
    tst_check(ours != NULL && ref != NULL && out != NULL
              && cmp_tex(&e, out, ours, ref) == ST_OK, "the table is written (%s)", e.msg);
    fclose(out);
    tst_check(strstr(buf, "\\texttt{(Intercept)} & $1.5000003$ & $1.5$ & $0.25$ & $0.25$ & "
                          "$2\\times10^{-7}$ & $0$ \\\\\n") != NULL, "the intercept's row");
    tst_check(strstr(buf, "\\texttt{x\\_\\#\\$\\%\\&\\{\\}\\textasciitilde{}\\textasciicircum{}"
                          "\\textbackslash{}} & $-2\\times10^{-5}$ &") != NULL,
              "special characters are escaped and exponents are powers of ten");
    tst_check(strstr(buf, "\\texttt{c} & NA & NA & NA & NA & -- & -- \\\\\n") != NULL,
              "an aliased coefficient is NA");
    tst_check(strstr(buf, "{largest relative difference} & $2\\times10^{-7}$ & $0$ \\\\\n")
              != NULL, "the largest differences");
    tst_check(cmp_tex(&e, stdout, ours, ours->item) != ST_OK
              && strcmp(e.msg, "R's file has no array \"coefficients\"") == 0,
              "no coefficients, no table");
    free(buf);
    free(o);
    free(f);
    jr_free(ours);
    jr_free(ref);
}

int main(void)
{
    tst_plan(328);
    test_json_good();
    test_json_bad();
    test_json_damaged();
    test_compare_ols();
    test_compare_mixed();
    test_compare_files();
    test_tex();
    return tst_done();
}
