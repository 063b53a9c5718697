#line 18 "chunks/data-tests.nw"
#include <math.h>
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

#line 49 "chunks/data-tests.nw"
static void test_good(void)
{
    st_error e;
    df_frame *df;
    
#line 61 "chunks/data-tests.nw"
tst_check(PARSE("x,g,y\n1,b,\"2.5\"\n,a,NA \n3,\"a\",4e1\n", &df, &e) == ST_OK,
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
          && strcmp(df->col[0].levels[0], "Smith, J.") == 0
          && strcmp(df->col[0].levels[1], "say \"hi\"") == 0
          && strcmp(df->col[0].levels[2], "two\nlines") == 0 && df->col[0].code[3] == -1,
          "quoted fields are unquoted, in byte order, NA missing");
tst_check(df->line[3] == 6, "a row after a two-line field is on the right line");
tst_check(df->col[0].text_line == 2 && strcmp(df->col[0].text, "Smith, J.") == 0,
          "a factor remembers its first non-number and its line");
df_free(df);
#line 54 "chunks/data-tests.nw"
    
#line 89 "chunks/data-tests.nw"
tst_check(PARSE("\xEF\xBB\xBFy,x\r\n1,2\r\n\r\n3,4", &df, &e) == ST_OK
          && df->nrow == 2 && strcmp(df->col[0].name, "y") == 0 && df->col[1].num[1] == 4
          && df->line[1] == 4, "BOM, CRLF, a blank line and no final newline");
df_free(df);
tst_check(PARSE("a\n1\r2\n", &df, &e) == ST_OK && df->nrow == 1
          && df->col[0].kind == DF_FACTOR && strcmp(df->col[0].levels[0], "1\r2") == 0,
          "a lone carriage return is data");
df_free(df);
#line 55 "chunks/data-tests.nw"
    
#line 104 "chunks/data-tests.nw"
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
#line 56 "chunks/data-tests.nw"
    
#line 135 "chunks/data-tests.nw"
tst_check(PARSE("Infant Mortality,2x,if,_a,.5b,ok.name\n1,2,3,4,5,6\n", &df, &e) == ST_OK
          && strcmp(df->col[0].name, "Infant.Mortality") == 0
          && strcmp(df->col[1].name, "X2x") == 0 && strcmp(df->col[2].name, "if.") == 0
          && strcmp(df->col[3].name, "X_a") == 0 && strcmp(df->col[4].name, "X.5b") == 0
          && strcmp(df->col[5].name, "ok.name") == 0, "names are made as make.names makes them");
df_free(df);
tst_check(PARSE("f\nb\nB\na\n\xC3\xA9\nb\n", &df, &e) == ST_OK && df->col[0].nlevels == 4
          && strcmp(df->col[0].levels[0], "B") == 0 && strcmp(df->col[0].levels[1], "a") == 0
          && strcmp(df->col[0].levels[3], "\xC3\xA9") == 0 && df->col[0].code[4] == 2,
          "levels are in byte order");
df_free(df);
tst_check(df_read(&e, "mtcars", &df) == ST_OK && df->nrow == 32
          && df_column_index(df, "mpg") >= 0, "the embedded mtcars reads (%s)", e.msg);
if (e.status == ST_OK)
    df_free(df);
#line 57 "chunks/data-tests.nw"
}
#line 155 "chunks/data-tests.nw"
static void expect_error(const char *text, size_t len, const char *msg)
{
    st_error e;
    df_frame *df = NULL;
    int status = parse(text, len, &df, &e);
    tst_check(status == ST_EINPUT && df == NULL && strcmp(e.msg, msg) == 0,
              "error \"%s\" (got %d, \"%s\")", msg, status, e.msg);
    df_free(df);
}
#define EXPECT_ERROR(text, msg) expect_error(text, sizeof text - 1, msg)

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
    EXPECT_ERROR("a,b\n1,\"2\"x\n", "t.csv:2: unexpected character 'x' after a closing quote");
    EXPECT_ERROR("a,b,a\n1,2,3\n", "t.csv:1: duplicate column name \"a\"");
    EXPECT_ERROR("a b,a.b\n1,2\n", "t.csv:1: duplicate column name \"a.b\"");
    EXPECT_ERROR("a,b\n1,2\n3,\0\n", "t.csv:3: NUL byte in the text (is this a CSV file?)");
    
#line 185 "chunks/data-tests.nw"
{
    size_t n = 8u << 20;
    char *big = malloc(n + 16);
    memcpy(big, "a\n1\n", 4);
    memset(big + 4, '7', n);
    memcpy(big + 4 + n, "\n", 1);
    expect_error(big, n + 5, "t.csv:3: line longer than 1048576 bytes (is this a CSV file?)");
    free(big);
}
#line 181 "chunks/data-tests.nw"
}

#line 40 "chunks/data-tests.nw"
int main(void)
{
    test_good();
    test_bad();
    return tst_done();
}
