#define _DEFAULT_SOURCE
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "util.h"
#ifdef NDEBUG
#error "the library checks its preconditions with assert: compile it without -DNDEBUG"
#endif

int st_fail(st_error *e, int status, const char *fmt, ...)
{
    assert(e != NULL);
    assert(fmt != NULL);
    char raw[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    st_escape(e->msg, sizeof e->msg, raw);
    e->status = status;
    e->advice = NULL;
    return status;
}

void st_escape(char *msg, size_t size, const char *raw)
{
    assert(msg != NULL);
    assert(raw != NULL);
    assert(size > 0);
    {
        static const char named[] = "\a\b\t\n\v\f\r", names[] = "abtnvfr";
        size_t w = 0;
        for (const unsigned char *r = (const unsigned char *)raw; *r != '\0'; r++) {
            char esc[5];
            size_t k;
            const char *hit = *r < 32 ? memchr(named, *r, 7) : NULL;
            if (hit != NULL)
                k = (size_t)snprintf(esc, sizeof esc, "\\%c", names[hit - named]);
            else if (*r < 32 || *r == 127)
                k = (size_t)snprintf(esc, sizeof esc, "\\%03o", *r);
            else {
                esc[0] = (char)*r;
                k = 1;
            }
            if (w + k >= size)
                break;
            memcpy(msg + w, esc, k);
            w += k;
        }
        msg[w] = '\0';
    }
}

void *st_alloc(st_error *e, size_t count, size_t size)
{
    assert(e != NULL);
    void *p = NULL;
    if (size == 0 || count <= SIZE_MAX / size)
        p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        st_fail(e, ST_ENOMEM, "out of memory");
    return p;
}

void *st_realloc(st_error *e, void *p, size_t count, size_t size)
{
    assert(e != NULL);
    void *q = NULL;
    if (size == 0 || count <= SIZE_MAX / size) {
        size_t bytes = count * size;
        q = realloc(p, bytes ? bytes : 1);
    }
    if (q == NULL)
        st_fail(e, ST_ENOMEM, "out of memory");
    return q;
}

void *st_alloc_large(st_error *e, size_t count, size_t size)
{
    assert(e != NULL);
    const size_t huge = (size_t)2 << 20;
    if (size != 0 && count > SIZE_MAX / size - huge) {
        st_fail(e, ST_ENOMEM, "out of memory");
        return NULL;
    }
    size_t bytes = count * size;
    if (bytes < 2 * huge)
        return st_alloc(e, count, size);
    bytes = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, bytes);
    if (p == NULL) {
        st_fail(e, ST_ENOMEM, "out of memory");
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

char *st_strdup(st_error *e, const char *s)
{
    assert(e != NULL);
    assert(s != NULL);
    size_t n = strlen(s) + 1;
    char *t = st_alloc(e, n, 1);
    if (t != NULL)
        memcpy(t, s, n);
    return t;
}
int st_exit_status(const st_error *e, int status)
{
    assert(e != NULL);
    return status != ST_OK && e->status == ST_ENOMEM ? ST_ENOMEM : status;
}
