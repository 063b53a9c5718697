#ifndef UTIL_H
#define UTIL_H
#include <assert.h>
#include <stddef.h>

enum { ST_OK = 0, ST_EFIT = 1, ST_EINPUT = 2, ST_ENOMEM = 3 };

typedef struct st_error {
    int status;          /* ST_OK, ST_EFIT, ST_EINPUT or ST_ENOMEM */
    char msg[1024];      /* one line, no program name and no newline */
    const char *advice;  /* NULL, or the setting msg advises changing: "max_mb", "sep=;" */
} st_error;

/* Record fmt's message (control characters escaped) and status in e, advice NULL; returns status */
int st_fail(st_error *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* count x size zeroed bytes (at least 1) the caller frees; NULL and ST_ENOMEM in e on failure */
void *st_alloc(st_error *e, size_t count, size_t size);
/* Resize p (NULL or st_alloc'd) to count x size; on failure NULL, ST_ENOMEM in e, p still owned */
void *st_realloc(st_error *e, void *p, size_t count, size_t size);
/* A copy of s (non-NULL) the caller frees; NULL and ST_ENOMEM in e when out of memory */
char *st_strdup(st_error *e, const char *s);
/* count x size uncleared bytes, huge pages where possible, freed with free; NULL on failure */
void *st_alloc_large(st_error *e, size_t count, size_t size);
/* Copy raw into msg[size] (size >= 1), control characters escaped; msg must not alias raw */
void st_escape(char *msg, size_t size, const char *raw);
/* status, or ST_ENOMEM when status is a failure and e records running out of memory; e non-NULL */
int st_exit_status(const st_error *e, int status);
#endif
