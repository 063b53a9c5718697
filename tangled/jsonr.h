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

/* Parse text[0..len) into *out (jr_free it); source names it in messages; ST_EINPUT on bad JSON */
int jr_parse(st_error *e, const char *source, const char *text, size_t len, jr_value **out);
/* Read and parse the file path into *out (jr_free); *out NULL on error */
int jr_read(st_error *e, const char *path, jr_value **out);
/* Free v and every value it holds; NULL is a no-op */
void jr_free(jr_value *v);
/* The member key of obj, or NULL (obj NULL or not an object too); points into obj */
const jr_value *jr_get(const jr_value *obj, const char *key);
/* Elements of an array, members of an object; 0 for other values and NULL */
size_t jr_len(const jr_value *v);
/* Element or member value i of v, or NULL when out of range; points into v */
const jr_value *jr_at(const jr_value *v, size_t i);
/* The name of member i of obj, or NULL; points into obj */
const char *jr_key(const jr_value *obj, size_t i);
/* 1 and *x = v's number when v is a number, else 0 (x untouched) */
int jr_number(const jr_value *v, double *x);
/* 1 and *b = v's truth when v is true or false, else 0 */
int jr_bool(const jr_value *v, int *b);
/* v's characters when v is a string, else NULL; points into v */
const char *jr_string(const jr_value *v);
/* 1 when v is JSON's null, else 0 (NULL too) */
int jr_is_null(const jr_value *v);
/* "null", "a number", ... naming v's type, a static string ("nothing" for NULL) */
const char *jr_type_name(const jr_value *v);
#endif
