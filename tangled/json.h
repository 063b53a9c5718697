#ifndef JSON_H
#define JSON_H
#include <stdio.h>

#define JS_MAX_DEPTH 32

typedef struct js_writer {
    FILE *out;
    int depth;                /* containers open */
    int count[JS_MAX_DEPTH];  /* values written so far in each open container */
    int compact_from;         /* containers deeper than this are on one line; -1: none */
    int pending_key;          /* a key has been written; its value comes next */
} js_writer;

void js_init(js_writer *w, FILE *out);
void js_object_begin(js_writer *w, int compact);
void js_object_end(js_writer *w);
void js_array_begin(js_writer *w, int compact);
void js_array_end(js_writer *w);
void js_key(js_writer *w, const char *key);
void js_number(js_writer *w, double x);
void js_integer(js_writer *w, long long x);
void js_string(js_writer *w, const char *s);
void js_bool(js_writer *w, int b);
void js_null(js_writer *w);
void js_key_number(js_writer *w, const char *key, double x);
void js_key_integer(js_writer *w, const char *key, long long x);
void js_key_string(js_writer *w, const char *key, const char *s);
void js_key_bool(js_writer *w, const char *key, int b);
void js_key_null(js_writer *w, const char *key);
#endif
