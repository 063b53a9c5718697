#ifndef UTIL_H
#define UTIL_H
#include <stddef.h>

enum { ST_OK = 0, ST_EFIT = 1, ST_EINPUT = 2 };

typedef struct st_error {
    int status;          /* ST_OK, ST_EFIT or ST_EINPUT */
    char msg[1024];      /* one line, no program name and no newline */
} st_error;

int st_fail(st_error *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void *st_alloc(st_error *e, size_t count, size_t size);
void *st_realloc(st_error *e, void *p, size_t count, size_t size);
char *st_strdup(st_error *e, const char *s);
void *st_alloc_large(st_error *e, size_t count, size_t size);
void st_escape(char *msg, size_t size, const char *raw);
#endif
