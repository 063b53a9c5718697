#line 109 "chunks/harness.nw"
#include <stdarg.h>
#include <stdio.h>
#include "testing.h"

static int failures;

int tst_check(int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s - ", ok ? "ok" : "not ok");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    failures += !ok;
    return ok;
}

int tst_done(void)
{
    fflush(stdout);
    return failures > 0;
}
