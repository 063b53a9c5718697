#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "data.h"
#include "testing.h"

static int parse(const char *text, size_t len, df_frame **df, st_error *e)
{
    char *buf = malloc(len + 1);
    memcpy(buf, text, len);
    e->status = 0;
    e->msg[0] = '\0';
    int status = df_parse(e, "t.csv", buf, len, df);
    free(buf);
    return status;
}
#define PARSE(text, df, e) parse(text, sizeof text - 1, df, e)

static void test_good(void)
{
    st_error e;
    df_frame *df;
    tst_check(PARSE("x,g,y\n1,b,\"2.5\"\n,a,NA\n3,\"a\",4e1\n", &df, &e) == ST_OK,
              "a small mixed file parses (%s)", e.msg);
    tst_check(df->nrow == 3 && df->ncol == 3, "3 rows and 3 columns");
    tst_check(df->col[0].kind == DF_NUMERIC && df->col[0].num[0] == 1 && isnan(df->col[0].num[1])
              && df->col[0].num[2] == 3, "x is numeric with an empty field missing");
    tst_check(df->col[2].kind == DF_NUMERIC && df->col[2].num[0] == 2.5 && isnan(df->col[2].num[1])
              && df->col[2].num[2] == 40, "a quoted number is a number, NA is missing");
    tst_check(df->col[1].kind == DF_FACTOR && df->col[1].nlevels == 2
              && strcmp(df->col[1].levels[0], "a") == 0 && df->col[1].code[0] == 1
              && df->col[1].code[1] == 0 && df->col[1].code[2] == 0,
              "g is a factor with levels a, b and codes 1, 0, 0");
    tst_check(df->line[0] == 2 && df->line[2] == 4, "rows remember their lines");
    df_free(df);

    tst_check(PARSE("name,n\n\"Smith, J.\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\nNA,4\n",
                    &df, &e) == ST_OK, "quoted commas, quotes and newlines parse (%s)", e.msg);
    tst_check(df->nrow == 4 && df->col[0].kind == DF_FACTOR && df->col[0].nlevels == 3
              && strcmp(df->col[0].levels[0], "say \"hi\"") == 0
              && strcmp(df->col[0].levels[1], "Smith, J.") == 0
              && strcmp(df->col[0].levels[2], "two\nlines") == 0 && df->col[0].code[3] == -1,
              "quoted fields are unquoted, in R's order, NA missing");
    tst_check(df->line[3] == 6, "a row after a two-line field is on the right line");
    tst_check(df->col[0].text_line == 2 && strcmp(df->col[0].text, "Smith, J.") == 0,
              "a factor remembers its first non-number and its line");
    df_free(df);
    tst_check(PARSE("\xEF\xBB\xBFy,x\r\n1,2\r\n\r\n3,4", &df, &e) == ST_OK
              && df->nrow == 2 && strcmp(df->col[0].name, "y") == 0 && df->col[1].num[1] == 4
              && df->line[1] == 4, "BOM, CRLF, a blank line and no final newline");
    df_free(df);
    tst_check(PARSE("a\n1\r2\n", &df, &e) == ST_OK && df->nrow == 2
              && df->col[0].kind == DF_NUMERIC && df->col[0].num[1] == 2 && df->line[1] == 3,
              "a lone carriage return ends a line, as in R");
    df_free(df);
    {
        static const char *const num[] = {
            "0.1", "249.56", "-0.0321", "1e22", "1e23", "9007199254740993", "123456789012345678",
            "1234567890123456789012", "0.000001", "1.7976931348623157e308", "4.9e-324", "-0",
            "  12 ", "+3", ".5", "5.", "0x1A", "Inf", "-inf", "NaN", "2.2250738585072014e-308",
            "3.14159265358979323846264338327950288", "1e-22", "12345e-5", "1.5E+3", NULL };
        char text[4096] = "v\n";
        for (int k = 0; num[k]; k++) {
            strcat(text, num[k]);
            strcat(text, "\n");
        }
        tst_check(parse(text, strlen(text), &df, &e) == ST_OK && df->col[0].kind == DF_NUMERIC,
                  "hard numbers all read as numbers (%s)", e.msg);
        for (int k = 0; num[k] && df->col[0].kind == DF_NUMERIC; k++) {
            double want = strtod(num[k], NULL), got = df->col[0].num[k];
            tst_check(memcmp(&want, &got, sizeof got) == 0 || (isnan(want) && isnan(got)),
                      "\"%s\" reads as strtod reads it", num[k]);
        }
        df_free(df);
        static const char *const notnum[] = { "1.2.3", "--1", "1 2", "e5", "0x", "12abc", "NAN",
                                              "1d3", "1L", ".", "-" };
        for (int k = 0; k < 11; k++) {
            snprintf(text, sizeof text, "v\n1\n%s\n", notnum[k]);
            tst_check(parse(text, strlen(text), &df, &e) == ST_OK && df->col[0].kind == DF_FACTOR,
                      "\"%s\" is not a number", notnum[k]);
            df_free(df);
        }
    }
    tst_check(PARSE("Infant Mortality,2x,if,_a,.5b,ok.name\n1,2,3,4,5,6\n", &df, &e) == ST_OK
              && strcmp(df->col[0].name, "Infant.Mortality") == 0
              && strcmp(df->col[1].name, "X2x") == 0 && strcmp(df->col[2].name, "if.") == 0
              && strcmp(df->col[3].name, "X_a") == 0 && strcmp(df->col[4].name, "X.5b") == 0
              && strcmp(df->col[5].name, "ok.name") == 0, "names are made as make.names makes them");
    df_free(df);
    tst_check(PARSE("f\nb\nB\na\n\xC3\xA9\nb\n", &df, &e) == ST_OK && df->col[0].nlevels == 4
              && strcmp(df->col[0].levels[0], "a") == 0 && strcmp(df->col[0].levels[1], "b") == 0
              && strcmp(df->col[0].levels[2], "B") == 0
              && strcmp(df->col[0].levels[3], "\xC3\xA9") == 0 && df->col[0].code[4] == 1,
              "levels are in R's (ICU's) order, a byte above 127 last");
    df_free(df);
    tst_check(PARSE("y,b\n1,TRUE\n2,F\n3,TRUE\n4,NA\n5,T\n", &df, &e) == ST_OK
              && df->col[1].kind == DF_FACTOR && df->col[1].nlevels == 2
              && strcmp(df->col[1].levels[0], "FALSE") == 0 && strcmp(df->col[1].levels[1], "TRUE") == 0
              && df->col[1].code[0] == 1 && df->col[1].code[1] == 0 && df->col[1].code[2] == 1
              && df->col[1].code[3] == -1 && strcmp(df->col[1].text, "TRUE") == 0,
              "logical column: TRUE/F/T are logical, a factor FALSE, TRUE (term bTRUE)");
    df_free(df);
    tst_check(PARSE("b\nTRUE\ntrue\nFalse\n", &df, &e) == ST_OK && df->col[0].nlevels == 3
              && strcmp(df->col[0].levels[0], "False") == 0 && strcmp(df->col[0].levels[2], "TRUE") == 0,
              "logical column: true and False are labels to read.csv, as in R");
    df_free(df);
    tst_check(PARSE("b\nTRUE\nTRUE\n", &df, &e) == ST_OK && df->col[0].nlevels == 2
              && df->col[0].code[0] == 1, "logical column: all TRUE still has both levels");
    df_free(df);
    tst_check(PARSE("b\nTRUE\n1\nyes\n", &df, &e) == ST_OK && df->col[0].nlevels == 3
              && strcmp(df->col[0].levels[0], "1") == 0 && strcmp(df->col[0].levels[2], "yes") == 0,
              "logical column: TRUE mixed with 1 is a factor, as in R");
    df_free(df);
    tst_check(PARSE("a,a,a.1,a.2,,,X\n1,2,3,4,5,6,7\n", &df, &e) == ST_OK
              && strcmp(df->col[1].name, "a.3") == 0 && strcmp(df->col[2].name, "a.1") == 0
              && strcmp(df->col[4].name, "X.1") == 0 && strcmp(df->col[5].name, "X.2") == 0
              && strcmp(df->col[6].name, "X") == 0, "duplicate names: made unique as make.names does");
    df_free(df);
    tst_check(PARSE("if,if.,1,1,X1\n1,2,3,4,5\n", &df, &e) == ST_OK
              && strcmp(df->col[0].name, "if..1") == 0 && strcmp(df->col[1].name, "if.") == 0
              && strcmp(df->col[2].name, "X1.1") == 0 && strcmp(df->col[3].name, "X1.2") == 0
              && strcmp(df->col[4].name, "X1") == 0, "duplicate names: unchanged names have priority");
    df_free(df);
    tst_check(PARSE("y,x\r1,2\r3,4\r5,\"a\rb\"\r", &df, &e) == ST_OK && df->nrow == 3
              && df->line[2] == 4 && strcmp(df->col[1].levels[2], "a\nb") == 0,
              "CR line ends: old-Mac files read, a CR in quotes is a line feed (%s)", e.msg);
    df_free(df);
    tst_check(PARSE("y,g\n1, \"a\"\n2,\"b\" \n3,a\"\"b\n4,a\"b,c\"d\n5,\"1\" \n", &df, &e) == ST_OK
              && df->col[1].nlevels == 5 && strcmp(df->col[1].levels[0], " a") == 0
              && strcmp(df->col[1].levels[1], "1 ") == 0 && strcmp(df->col[1].levels[2], "ab") == 0
              && strcmp(df->col[1].levels[3], "ab,cd") == 0 && strcmp(df->col[1].levels[4], "b ") == 0,
              "space around quotes: quotes open anywhere in a field, as in R's scan (%s)",
              e.msg);
    df_free(df);
    tst_check(PARSE("x\n \"1\"\n\"2\" \n", &df, &e) == ST_OK && df->col[0].kind == DF_NUMERIC
              && df->col[0].num[0] == 1,
              "space around quotes: a quoted number with a blank is a number");
    df_free(df);
    tst_check(PARSE("x\n1e\n1.5E+\n2e-\n", &df, &e) == ST_OK && df->col[0].kind == DF_NUMERIC
              && df->col[0].num[0] == 1 && df->col[0].num[1] == 1.5 && df->col[0].num[2] == 2,
              "1e: an exponent without digits is zero, as in R");
    df_free(df);
    tst_check(PARSE("x\nNaN\nnan\n-NaN\nInf\n-inf\ninfinity\n0x1p3\n", &df, &e) == ST_OK
              && df->col[0].kind == DF_NUMERIC && isnan(df->col[0].num[2])
              && df->col[0].num[5] == INFINITY && df->col[0].num[6] == 8, "NaN, Inf and hex as in R");
    df_free(df);
    tst_check(PARSE("x\nnan(123)\n1\n", &df, &e) == ST_OK && df->col[0].kind == DF_FACTOR
              && strcmp(df->col[0].levels[1], "nan(123)") == 0,
              "NaN payloads: nan(123) is a label in R");
    df_free(df);
    tst_check(PARSE("g\na\n NA\nNA \n", &df, &e) == ST_OK && df->col[0].nlevels == 3
              && strcmp(df->col[0].levels[0], " NA") == 0,
              "blank NA: in a factor column, NA with blanks is a level as in R");
    df_free(df);
    {
        const char *order[] = { "\t", " ", "_x", "-", ",", ";", ":", "!", "?", ".", "'", "\"",
                                "(", ")", "[", "]", "{", "}", "@", "*", "/", "\\", "&", "#", "%",
                                "`", "^", "+", "<", "=", ">", "|", "~", "$", "0", "1a", "9", "a",
                                "A", "a b", "a_b", "a1", "A1", "ab", "aB", "Ab", "AB",
                                "ab ", "apple", "b", "B", "Banana", "cherry", "z", "Z", "\xCE\xB1" };
        size_t n = sizeof order / sizeof order[0];
        int ok = 1;
        for (size_t k = 1; k < n; k++)
            ok &= df_level_compare(order[k - 1], order[k]) < 0
                  && df_level_compare(order[k], order[k - 1]) > 0;
        tst_check(ok, "collation: %zu labels in R's (ICU's) order", n);
    }
    {
        /* R 4 with ICU 72: sort(c(...)) of these labels, in C.UTF-8 (+, times, <, a, A,
           a acute, ...; the bytes are UTF-8) */
        const char *order[] = { "+", "\xC3\x97", "<", "a", "A", "\xC3\xA1", "\xC3\x81", "\xC3\xA0",
                                "\xC3\xA4", "\xC3\x84", "ae", "\xC3\xA6", "\xC3\x86", "af", "b", "d",
                                "\xC4\x91", "\xC3\xB0", "e", "E", "\xC3\xA9", "\xC3\x89", "\xC3\xA8",
                                "ea", "\xC3\xA9" "a", "eb", "i", "ij", "\xC4\xB3", "\xC4\xB1", "l",
                                "\xC5\x82", "n", "\xC3\xB1", "\xC5\x8B", "o", "\xC3\xB8", "\xC5\x8D",
                                "\xC5\x93", "q", "\xC4\xB8", "r", "s", "\xC5\x9F", "\xC5\xBF", "ss",
                                "\xC3\x9F", "st", "t", "\xC5\xA7", "u", "z", "\xC3\xBE", "\xCE\xB1" };
        size_t n = sizeof order / sizeof order[0];
        int ok = 1;
        for (size_t k = 1; k < n; k++)
            ok &= df_level_compare(order[k - 1], order[k]) < 0
                  && df_level_compare(order[k], order[k - 1]) > 0;
        tst_check(ok, "collation: %zu Latin labels with diacritics in R's (ICU's) order", n);
    }
    {
        df_options opt = DF_OPTIONS_DEFAULT;
        char text[] = "y;x;g\n1,5;2;a\n2;-0,25;b\n";
        opt.sep = ';';
        opt.dec = ',';
        tst_check(df_parse_with(&e, "t.csv", text, sizeof text - 1, &opt, &df) == ST_OK
                  && df->col[0].num[0] == 1.5 && df->col[1].num[1] == -0.25
                  && df->col[2].kind == DF_FACTOR,
                  "--sep ';' --dec ',': write.csv2's files (%s)", e.msg);
        df_free(df);
        char text2[] = "y\tx\n1.5\t2\n";
        opt.sep = '\t';
        opt.dec = '.';
        tst_check(df_parse_with(&e, "t.csv", text2, sizeof text2 - 1, &opt, &df) == ST_OK
                  && df->ncol == 2 && df->col[0].num[0] == 1.5, "--sep tab reads a tab file");
        df_free(df);
        char text3[] = "x\n1.5\n2,5\n";
        opt.sep = ';';
        opt.dec = ',';
        tst_check(df_parse_with(&e, "t.csv", text3, sizeof text3 - 1, &opt, &df) == ST_OK
                  && df->col[0].kind == DF_FACTOR, "--dec ',': a point is then not a decimal point");
        df_free(df);
        opt = (df_options)DF_OPTIONS_DEFAULT;
        opt.max_mb = 1e-5;
        df = NULL;
        tst_check(df_read_with(&e, "data/mtcars.csv", &opt, &df) == ST_EINPUT && df == NULL
                  && strcmp(e.msg, "data/mtcars.csv: more than 1e-05 MB of input, the limit (is "
                            "this a CSV file? raise the limit)") == 0
                  && e.advice != NULL && strcmp(e.advice, "max_mb") == 0,
                  "the input limit: a message of the model, advice max_mb (%s)", e.msg);
    }
    {
        size_t ncol = 100000, blank = 300000, n = 0;
        char *big = malloc(4 * ncol * 2 + blank + 16);
        for (int r = 0; r < 3; r++)
            for (size_t j = 0; j < ncol; j++) {
                big[n++] = r == 0 ? 'v' : '1';
                big[n++] = j + 1 < ncol ? ',' : '\n';
            }
        memset(big + n, '\n', blank);
        n += blank;
        tst_check(parse(big, n, &df, &e) == ST_OK && df->nrow == 2 && df->ncol == (int)ncol
                  && strcmp(df->col[1].name, "v.1") == 0,
                  "storage by data rows: 100000 columns and 300000 blank lines read (%s)", e.msg);
        df_free(df);
        free(big);
    }
    tst_check(df_read(&e, "mtcars", &df) == ST_OK && df->nrow == 32
              && df_column_index(df, "mpg") >= 0, "the embedded mtcars reads (%s)", e.msg);
    if (e.status == ST_OK)
        df_free(df);
}
static void expect_error(const char *text, size_t len, const char *msg, const char *advice)
{
    st_error e = { 0 };
    df_frame *df = NULL;
    int status = parse(text, len, &df, &e);
    int same = advice == NULL ? e.advice == NULL
                              : e.advice != NULL && strcmp(e.advice, advice) == 0;
    tst_check(status == ST_EINPUT && df == NULL && strcmp(e.msg, msg) == 0 && same,
              "error \"%s\", advice %s (got %d, \"%s\", advice %s)", msg,
              advice ? advice : "none", status, e.msg, e.advice ? e.advice : "none");
    df_free(df);
}
#define EXPECT_ERROR(text, msg) expect_error(text, sizeof text - 1, msg, NULL)
#define EXPECT_ADVICE(text, msg, advice) expect_error(text, sizeof text - 1, msg, advice)

static void test_bad(void)
{
    EXPECT_ERROR("", "t.csv:1: empty file (expected a header line of column names)");
    EXPECT_ERROR("\n\r\n", "t.csv:1: empty file (expected a header line of column names)");
    EXPECT_ERROR("a,b\n", "t.csv:2: no data rows after the header");
    EXPECT_ERROR("a,b", "t.csv:1: no data rows after the header");
    EXPECT_ERROR("a,b\n1,2\n3\n", "t.csv:3: expected 2 fields as in the header, found 1");
    EXPECT_ERROR("a,b\n1,2,3\n", "t.csv:2: expected 2 fields as in the header, found 3");
    EXPECT_ERROR("a,b\n1,\"2\n3,4\n",
                 "t.csv:2: unterminated quoted field (the quote opens on this line)");
    EXPECT_ERROR("a,b\n1, NA\n", "t.csv:2: column \"b\": \" NA\" is NA with blanks beside it, which "
                 "R's read.csv reads as text, making the column a factor (write NA, or leave the "
                 "field empty)");
    EXPECT_ERROR("a,b\n1,TRUE\n2,NA \n", "t.csv:3: column \"b\": \"NA \" is NA with blanks beside "
                 "it, which R's read.csv reads as text, making the column a factor (write NA, or "
                 "leave the field empty)");
    EXPECT_ADVICE("a;b\n1;2\n", "t.csv:1: the header is one field that holds ';': is the "
                  "separator ';'?", "sep=;");
    EXPECT_ADVICE("\n\"a\";\"b\"\n1;2\n", "t.csv:2: the header is one field that holds ';': is "
                  "the separator ';'?", "sep=;");
    EXPECT_ADVICE("a\tb\n1\t2\n", "t.csv:1: the header is one field that holds a tab: is the "
                  "separator a tab?", "sep=\t");
    EXPECT_ERROR("a\n\"x\033[31m\ny\"\n1,2\n", "t.csv:4: expected 1 fields as in the header, found 2");
    {
        st_error e;
        st_fail(&e, ST_EINPUT, "level \"%s\"", "a\033[31m\n\r\tb\177\001");
        tst_check(strcmp(e.msg, "level \"a\\033[31m\\n\\r\\tb\\177\\001\"") == 0,
                  "messages escape control characters as R prints them: %s", e.msg);
    }
    EXPECT_ERROR("a,b\n1,2\n3,\0\n", "t.csv:3: NUL byte in the text (is this a CSV file?)");
    {
        size_t n = 8u << 20;
        char *big = malloc(n + 16);
        memcpy(big, "a\n1\n", 4);
        memset(big + 4, '7', n);
        memcpy(big + 4 + n, "\n", 1);
        expect_error(big, n + 5, "t.csv:3: line longer than 1048576 bytes (is this a CSV file?)",
                     NULL);
        free(big);
    }
    {
        st_error e = { 0 };
        tst_check(st_alloc(&e, SIZE_MAX, 2) == NULL && e.status == ST_ENOMEM
                  && strcmp(e.msg, "out of memory") == 0, "st_alloc: an overflowing size is ST_ENOMEM");
        e.status = ST_OK;
        tst_check(st_realloc(&e, NULL, SIZE_MAX / 2 + 1, 4) == NULL && e.status == ST_ENOMEM,
                  "st_realloc: an overflowing size is ST_ENOMEM");
        e.status = ST_OK;
        tst_check(st_alloc_large(&e, SIZE_MAX, 1) == NULL && e.status == ST_ENOMEM,
                  "st_alloc_large: an overflowing size is ST_ENOMEM");
        tst_check(st_exit_status(&e, ST_EFIT) == ST_ENOMEM && st_exit_status(&e, ST_OK) == ST_OK,
                  "a failure passed on as ST_EFIT after running out of memory exits with ST_ENOMEM");
        st_fail(&e, ST_EINPUT, "bad input");
        tst_check(st_exit_status(&e, ST_EINPUT) == ST_EINPUT && ST_ENOMEM == 3,
                  "other failures keep their status; ST_ENOMEM is exit status 3");
    }
}

int main(void)
{
    tst_plan(93);
    test_good();
    test_bad();
    return tst_done();
}
