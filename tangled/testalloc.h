#ifndef TESTALLOC_H
#define TESTALLOC_H
/* Include in the one file of a test program (never in the library): replaces malloc */
#include <stdio.h>
#include <string.h>
#include "testing.h"
#if defined(__SANITIZE_ADDRESS__)
/* One check that says it did not run: AddressSanitizer owns the allocator */
static int tst_check_allocations(const char *what, int (*print)(FILE *out, const void *arg),
                                 const void *arg)
{
    (void)print;
    (void)arg;
    return tst_check(1, "%s: allocations failing in turn (not run under "
                     "AddressSanitizer)", what);
}
#else
static struct { long left; int failed; } refusal = { -1, 0 };

static int refuse(void)
{
    if (refusal.left < 0 || refusal.left-- > 0)
        return 0;
    refusal.failed = 1;                 /* left was 0: this one fails, and no other */
    return 1;
}

#define TST_REFUSING(name, params, args)                                  \
    void *__libc_##name params;                                           \
    void *name params { return refuse() ? NULL : __libc_##name args; }
TST_REFUSING(malloc, (size_t size), (size))
TST_REFUSING(calloc, (size_t count, size_t size), (count, size))
TST_REFUSING(realloc, (void *p, size_t size), (p, size))

/* Make the allocation after the next n (malloc, calloc, realloc) fail; -1: none fails */
static void tst_fail_allocation(long n)
{
    refusal.left = n;
    refusal.failed = 0;
}
static long print_into(char *buf, size_t size, int (*print)(FILE *, const void *),
                       const void *arg, long fail, int *status, int *failed)
{
    char iobuf[BUFSIZ];
    FILE *out = fmemopen(buf, size, "w");
    if (out == NULL)
        return -1;
    setvbuf(out, iobuf, _IOFBF, sizeof iobuf);
    tst_fail_allocation(fail);
    *status = print(out, arg);
    *failed = refusal.failed;
    tst_fail_allocation(-1);
    long len = fflush(out) == 0 ? ftell(out) : -1;
    fclose(out);
    return len;
}

/* One check: print(out, arg), with each of its allocations failing in turn, returns -1 or
   prints what it prints when none fails (at most 16 KB); 0 (or 1 if the failure is harmless) */
static int tst_check_allocations(const char *what, int (*print)(FILE *out, const void *arg),
                                 const void *arg)
{
    static char want[16384], got[16384];
    int status = 0, reported = 0, failed = 0;
    long nwant = print_into(want, sizeof want, print, arg, -1, &status, &failed);
    int ok = nwant >= 0 && status == 0;
    long n = 0;
    for (; ok; n++) {
        long len = print_into(got, sizeof got, print, arg, n, &status, &failed);
        int same = status == 0 && len == nwant && memcmp(got, want, (size_t)nwant) == 0;
        if (failed && status == -1)
            reported++;
        else
            ok = same;
        if (!failed)
            break;
    }
    return tst_check(ok && reported > 0, "%s: %ld allocations failing in turn, %d reported "
                     "(-1), the others harmless", what, n, reported);
}
#endif
#endif
