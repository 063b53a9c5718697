#include <stdarg.h>
#include <stdio.h>
#include "testing.h"

static struct { int planned, ran, failures; } tally = { -1, 0, 0 };

void tst_plan(int n)
{
    tally.planned = n;
    printf("1..%d\n", n);
}

int tst_check(int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s - ", ok ? "ok" : "not ok");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    tally.ran++;
    tally.failures += !ok;
    return ok;
}

int tst_done(void)
{
    if (tally.planned < 0)
        tst_check(0, "the test program announced no plan (tst_plan)");
    else if (tally.ran < tally.planned)
        tst_check(0, "%d checks planned, only %d ran", tally.planned, tally.ran);
    else if (tally.ran > tally.planned)
        printf("# %d checks ran, %d planned: raise the plan\n", tally.ran, tally.planned);
    fflush(stdout);
    return tally.failures > 0;
}
