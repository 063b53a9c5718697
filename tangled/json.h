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

/* Start a writer w on out (non-NULL); nothing is written */
void js_init(js_writer *w, FILE *out);
/* Open an object (compact: on one line, with what it contains); depth < JS_MAX_DEPTH */
void js_object_begin(js_writer *w, int compact);
/* Close the innermost container, an object */
void js_object_end(js_writer *w);
/* Open an array (compact: on one line); depth < JS_MAX_DEPTH */
void js_array_begin(js_writer *w, int compact);
/* Close the innermost container, an array */
void js_array_end(js_writer *w);
/* Write a member's name (non-NULL) in an object; its value comes next */
void js_key(js_writer *w, const char *key);
/* Write x with 17 significant digits, null when not finite */
void js_number(js_writer *w, double x);
/* Write the integer x */
void js_integer(js_writer *w, long long x);
/* Write s (non-NULL) quoted and escaped */
void js_string(js_writer *w, const char *s);
/* Write true (b != 0) or false */
void js_bool(js_writer *w, int b);
/* Write null */
void js_null(js_writer *w);
/* js_key then js_number */
void js_key_number(js_writer *w, const char *key, double x);
/* js_key then js_integer */
void js_key_integer(js_writer *w, const char *key, long long x);
/* js_key then js_string */
void js_key_string(js_writer *w, const char *key, const char *s);
/* js_key then js_bool */
void js_key_bool(js_writer *w, const char *key, int b);
/* js_key then js_null */
void js_key_null(js_writer *w, const char *key);
/* The members "model", "formula" (NULL: null), "n_obs" and "n_dropped", in this order */
void js_model_members(js_writer *w, const char *model, const char *formula, long long n_obs,
                      long long n_dropped);
#endif
