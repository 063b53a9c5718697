#ifndef BOOKTEX_H
#define BOOKTEX_H
#include <stddef.h>
#include <stdio.h>
#include "jsonr.h"

/* Write the len bytes at s to out for LaTeX's text mode: # $ % & _ { } as \#..., ~ ^ \ and '
   as \text... commands, a control character as a space; with ties, every space as ~, which
   keeps its width (for typewriter lines that must keep their columns). */
void tex_escape(FILE *out, const char *s, size_t len, int ties);
/* Write text, the output of a program, as a typewriter block that keeps it line for line and
   space for space (\par\smallskip{\small\ttfamily ...}): tabs to columns of 8, R's quotes
   U+2018 and U+2019 as ` and ', no line break after the last line. */
void tex_verbatim(FILE *out, const char *text);
/* Print to standard output \newcommand{\name}{x} for a setting x of a model's control: a
   power of ten below 10^-2 or above 10^3 as \ensuremath{10^{k}}, anything else as %g prints
   it; the macro can be used in text and in math. */
void tex_setting(const char *name, double x);
/* Print to standard output \newcommand{\name}{v}, v with a thin space between groups of three
   digits when it has four or more (12\,345), as the prose sets counts */
void tex_count(const char *name, long long v);

/* Output captured in memory.  book_capture_open returns the stream to write into, or NULL
   when out of memory; book_capture_text closes it and returns the text written (ending in a
   NUL, the caller frees it; NULL on failure); book_capture_json closes it and parses the text
   as JSON: the value (the caller jr_frees it), or NULL after a line on standard error that
   starts with prog. */
typedef struct book_capture {
    char *text;
    size_t len;
    FILE *f;
} book_capture;
/* Start capturing in c (non-NULL); the stream to write, or NULL when out of memory */
FILE *book_capture_open(book_capture *c);
/* Close c's stream: the text (NUL-ended) the caller frees, or NULL on failure */
char *book_capture_text(book_capture *c);
/* Close c's stream and parse it: the value (jr_free it), or NULL after a message prefixed prog */
jr_value *book_capture_json(book_capture *c, const char *prog);
#endif
