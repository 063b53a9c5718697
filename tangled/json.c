#include <assert.h>
#include <math.h>
#include <stdio.h>
#include "json.h"

static void separate(js_writer *w)
{
    if (w->pending_key) {
        w->pending_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    int n = w->count[w->depth - 1]++;
    if (n > 0)
        fputc(',', w->out);
    if (w->compact_from >= 0 && w->depth > w->compact_from) {
        if (n > 0)
            fputc(' ', w->out);
    } else
        fprintf(w->out, "\n%*s", 2 * w->depth, "");
}
static void open_container(js_writer *w, char bracket, int compact)
{
    separate(w);
    if (w->depth >= JS_MAX_DEPTH)
        return;
    if (compact && w->compact_from < 0)
        w->compact_from = w->depth;
    fputc(bracket, w->out);
    w->count[w->depth++] = 0;
}

static void close_container(js_writer *w, char bracket)
{
    if (w->depth == 0)
        return;
    int n = w->count[--w->depth];
    int compact = w->compact_from >= 0 && w->depth >= w->compact_from;
    if (!compact && n > 0)
        fprintf(w->out, "\n%*s", 2 * w->depth, "");
    fputc(bracket, w->out);
    if (w->compact_from == w->depth)
        w->compact_from = -1;
    if (w->depth == 0)
        fputc('\n', w->out);
}
static int utf8_length(const unsigned char *s)
{
    unsigned c = s[0];
    int len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    else if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (int k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return len;
}
static void write_string(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    fputc('"', out);
    while (*s) {
        unsigned c = *s;
        int len = utf8_length(s);
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n') fputs("\\n", out);
        else if (c == '\r') fputs("\\r", out);
        else if (c == '\t') fputs("\\t", out);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\u%04x", c);
        else if (len == 0)
            fputs("\\ufffd", out);
        else
            fwrite(s, 1, (size_t)len, out);
        s += len > 0 ? len : 1;
    }
    fputc('"', out);
}
void js_init(js_writer *w, FILE *out)
{
    assert(w != NULL);
    assert(out != NULL);
    w->out = out;
    w->depth = 0;
    w->compact_from = -1;
    w->pending_key = 0;
}

void js_object_begin(js_writer *w, int compact) { open_container(w, '{', compact); }
void js_object_end(js_writer *w) { close_container(w, '}'); }
void js_array_begin(js_writer *w, int compact) { open_container(w, '[', compact); }
void js_array_end(js_writer *w) { close_container(w, ']'); }
void js_number(js_writer *w, double x)
{
    assert(w != NULL);
    separate(w);
    if (isfinite(x))
        fprintf(w->out, "%.17g", x);
    else
        fputs("null", w->out);
}

void js_integer(js_writer *w, long long x)
{
    assert(w != NULL);
    separate(w);
    fprintf(w->out, "%lld", x);
}

void js_bool(js_writer *w, int b)
{
    assert(w != NULL);
    separate(w);
    fputs(b ? "true" : "false", w->out);
}

void js_null(js_writer *w)
{
    assert(w != NULL);
    separate(w);
    fputs("null", w->out);
}
void js_string(js_writer *w, const char *s)
{
    assert(w != NULL);
    separate(w);
    if (s == NULL)
        fputs("null", w->out);
    else
        write_string(w->out, s);
}

void js_key(js_writer *w, const char *key)
{
    assert(w != NULL);
    assert(key != NULL);
    separate(w);
    write_string(w->out, key);
    fputs(": ", w->out);
    w->pending_key = 1;
}

void js_key_number(js_writer *w, const char *key, double x) { js_key(w, key); js_number(w, x); }
void js_key_integer(js_writer *w, const char *key, long long x) { js_key(w, key); js_integer(w, x); }
void js_key_string(js_writer *w, const char *key, const char *s) { js_key(w, key); js_string(w, s); }
void js_key_bool(js_writer *w, const char *key, int b) { js_key(w, key); js_bool(w, b); }
void js_key_null(js_writer *w, const char *key) { js_key(w, key); js_null(w); }

void js_model_members(js_writer *w, const char *model, const char *formula, long long n_obs,
                      long long n_dropped)
{
    assert(model != NULL);
    js_key_string(w, "model", model);
    js_key_string(w, "formula", formula);
    js_key_integer(w, "n_obs", n_obs);
    js_key_integer(w, "n_dropped", n_dropped);
}
