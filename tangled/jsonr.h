#ifndef JSONR_H
#define JSONR_H
#include <stddef.h>
#include "util.h"

enum { JR_MAX_DEPTH = 200 };

typedef enum {
    JR_NULL, JR_FALSE, JR_TRUE, JR_NUMBER, JR_STRING, JR_ARRAY, JR_OBJECT
} jr_type;

typedef struct jr_value {
    jr_type type;
    double num;              /* JR_NUMBER */
    char *str;               /* JR_STRING: UTF-8, NUL-terminated */
    size_t len;              /* JR_STRING: bytes before the NUL; JR_ARRAY, JR_OBJECT: members */
    struct jr_value *item;   /* JR_ARRAY: the elements; JR_OBJECT: the members' values */
    char **key;              /* JR_OBJECT: the members' names, in the order of the text */
} jr_value;

int jr_parse(st_error *e, const char *source, const char *text, size_t len, jr_value **out);
int jr_read(st_error *e, const char *path, jr_value **out);
void jr_free(jr_value *v);
const jr_value *jr_get(const jr_value *obj, const char *key);
size_t jr_len(const jr_value *v);
const jr_value *jr_at(const jr_value *v, size_t i);
const char *jr_key(const jr_value *obj, size_t i);
int jr_number(const jr_value *v, double *x);
int jr_bool(const jr_value *v, int *b);
const char *jr_string(const jr_value *v);
int jr_is_null(const jr_value *v);
const char *jr_type_name(const jr_value *v);
#endif
