#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonr.h"

typedef struct jr_parser {
    st_error *e;
    const char *source;
    const char *text;        /* the text, after a byte-order mark if there was one */
    const char *end;         /* one past its last byte */
    const char *p;           /* the next byte to read */
    int depth;               /* arrays and objects open at p */
    char found[48];          /* json_found's answer */
} jr_parser;

static int json_value(jr_parser *P, jr_value *v);

static int json_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void json_skip_space(jr_parser *P)
{
    while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r'))
        P->p++;
}
static int json_fail(jr_parser *P, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int json_fail(jr_parser *P, const char *at, const char *fmt, ...)
{
    long line = 1, col = 1;
    for (const char *s = P->text; s < at; s++)
        if (*s == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*s & 0xC0) != 0x80)
            col++;
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return st_fail(P->e, ST_EINPUT, "%s:%ld:%ld: %s", P->source, line, col, what);
}
static int json_word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || json_digit(c)
        || c == '_' || c == '.' || c == '+' || c == '-';
}

static const char *json_found(jr_parser *P, const char *at)
{
    if (at >= P->end)
        return "the end of the text";
    unsigned char c = (unsigned char)*at;
    int n = 0;
    while (at + n < P->end && json_word_byte(at[n]) && n < 24)
        n++;
    if (n > 1)
        snprintf(P->found, sizeof P->found, "\"%.*s%s\"", n, at,
                 at + n < P->end && json_word_byte(at[n]) ? "..." : "");
    else if (c >= 0x20 && c < 0x7F)
        snprintf(P->found, sizeof P->found, "'%c'", c);
    else
        snprintf(P->found, sizeof P->found, "byte 0x%02x", c);
    return P->found;
}
static int json_utf8_length(const unsigned char *s, const unsigned char *end)
{
    unsigned char lo = 0x80, hi = 0xBF;
    int n;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        if (s[0] == 0xE0)
            lo = 0xA0;
        if (s[0] == 0xED)
            hi = 0x9F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        if (s[0] == 0xF0)
            lo = 0x90;
        if (s[0] == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (end - s < n || s[1] < lo || s[1] > hi)
        return 0;
    for (int k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return n;
}
static size_t json_put_utf8(char *s, long u)
{
    if (u < 0x80) {
        s[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        s[0] = (char)(0xC0 | u / 64);
        s[1] = (char)(0x80 | u % 64);
        return 2;
    }
    if (u < 0x10000) {
        s[0] = (char)(0xE0 | u / 4096);
        s[1] = (char)(0x80 | u / 64 % 64);
        s[2] = (char)(0x80 | u % 64);
        return 3;
    }
    s[0] = (char)(0xF0 | u / 262144);
    s[1] = (char)(0x80 | u / 4096 % 64);
    s[2] = (char)(0x80 | u / 64 % 64);
    s[3] = (char)(0x80 | u % 64);
    return 4;
}

static long json_hex4(const char *s, const char *end)
{
    long u = 0;
    if (end - s < 4)
        return -1;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = json_digit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        u = 16 * u + d;
    }
    return u;
}
static int json_escape(jr_parser *P, const char *close, char *s, size_t *n, int is_name)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *at = P->p;
    const char *k = memchr(from, P->p[1], sizeof from - 1);
    if (k != NULL) {
        s[(*n)++] = to[k - from];
        P->p += 2;
        return ST_OK;
    }
    if (P->p[1] != 'u')
        return json_fail(P, at, "expected one of \" \\ / b f n r t u after a backslash, "
                         "found %s", json_found(P, at + 1));
    long u = json_hex4(P->p + 2, close);
    if (u < 0)
        return json_fail(P, at, "expected 4 hexadecimal digits after \\u");
    P->p += 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return json_fail(P, at, "expected a high surrogate (\\uD800 to \\uDBFF) "
                         "before \\u%04lX", u);
    if (u >= 0xD800 && u <= 0xDBFF) {
        long low = close - P->p >= 6 && P->p[0] == '\\' && P->p[1] == 'u'
                 ? json_hex4(P->p + 2, close) : -1;
        if (low < 0xDC00 || low > 0xDFFF)
            return json_fail(P, P->p, "expected a low surrogate (\\uDC00 to \\uDFFF) "
                             "after \\u%04lX", u);
        u = 0x10000 + (u - 0xD800) * 1024 + (low - 0xDC00);
        P->p += 6;
    }
    if (u == 0 && is_name)
        return json_fail(P, at, "expected a name without \\u0000");
    *n += json_put_utf8(s + *n, u);
    return ST_OK;
}

static int json_string(jr_parser *P, char **out, size_t *len, int is_name)
{
    const char *open = P->p, *close = P->p + 1;
    while (close < P->end && *close != '"')
        close += *close == '\\' && close + 1 < P->end ? 2 : 1;
    if (close >= P->end)
        return json_fail(P, open, "expected '\"' to close the string that begins here, "
                         "found the end of the text");
    char *s = st_alloc(P->e, (size_t)(close - open), 1);
    if (s == NULL)
        return P->e->status;
    size_t n = 0;
    int status = ST_OK;
    P->p = open + 1;
    while (status == ST_OK && P->p < close)
        {
            unsigned char c = (unsigned char)*P->p;
            int k;
            if (c == '\\')
                status = json_escape(P, close, s, &n, is_name);
            else if (c < 0x20)
                status = json_fail(P, P->p, "expected a printable character or an escape in a string, "
                                   "found byte 0x%02x", c);
            else if (c < 0x80) {
                s[n++] = (char)c;
                P->p++;
            } else if ((k = json_utf8_length((const unsigned char *)P->p,
                                             (const unsigned char *)close)) > 0) {
                memcpy(s + n, P->p, (size_t)k);
                n += (size_t)k;
                P->p += k;
            } else
                status = json_fail(P, P->p, "expected UTF-8 text, found byte 0x%02x", c);
        }
    if (status != ST_OK) {
        free(s);
        return status;
    }
    s[n] = '\0';
    P->p = close + 1;
    *out = s;
    *len = n;
    return ST_OK;
}
static int json_number(jr_parser *P, jr_value *v)
{
    const char *start = P->p, *s = P->p, *end = P->end;
    if (*s == '-')
        s++;
    if (s == end || !json_digit(*s))
        return json_fail(P, s, "expected a digit after '-', found %s", json_found(P, s));
    if (*s == '0' && s + 1 < end && json_digit(s[1]))
        return json_fail(P, start, "expected a number without leading zeros, found %s",
                         json_found(P, start));
    while (s < end && json_digit(*s))
        s++;
    if (s < end && *s == '.') {
        s++;
        if (s == end || !json_digit(*s))
            return json_fail(P, s, "expected a digit after the decimal point, found %s",
                             json_found(P, s));
        while (s < end && json_digit(*s))
            s++;
    }
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < end && (*s == '+' || *s == '-'))
            s++;
        if (s == end || !json_digit(*s))
            return json_fail(P, s, "expected a digit in the exponent, found %s",
                             json_found(P, s));
        while (s < end && json_digit(*s))
            s++;
    }
    size_t n = (size_t)(s - start);
    char small[64], *buf = n < sizeof small ? small : st_alloc(P->e, n + 1, 1);
    if (buf == NULL)
        return P->e->status;
    memcpy(buf, start, n);
    buf[n] = '\0';
    errno = 0;
    double x = strtod(buf, NULL);
    int overflow = errno == ERANGE && fabs(x) > 1;
    if (buf != small)
        free(buf);
    if (overflow)
        return json_fail(P, start, "expected a number within the range of a double, found %s",
                         json_found(P, start));
    v->type = JR_NUMBER;
    v->num = x;
    P->p = s;
    return ST_OK;
}
static int json_open(jr_parser *P)
{
    if (++P->depth > JR_MAX_DEPTH)
        return json_fail(P, P->p, "expected at most %d nested arrays and objects",
                         JR_MAX_DEPTH);
    P->p++;
    json_skip_space(P);
    return ST_OK;
}

static int json_array(jr_parser *P, jr_value *v)
{
    size_t cap = 0;
    int status = json_open(P);
    v->type = JR_ARRAY;
    if (status != ST_OK)
        return status;
    if (P->p < P->end && *P->p == ']') {
        P->p++;
        P->depth--;
        return ST_OK;
    }
    for (;;) {
        if (v->len == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            jr_value *item = st_realloc(P->e, v->item, ncap, sizeof *item);
            if (item == NULL)
                return P->e->status;
            v->item = item;
            cap = ncap;
        }
        v->item[v->len] = (jr_value){ .type = JR_NULL };
        status = json_value(P, &v->item[v->len++]);
        if (status != ST_OK)
            return status;
        json_skip_space(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            continue;
        }
        if (P->p < P->end && *P->p == ']')
            break;
        return json_fail(P, P->p, "expected ',' or ']' after an element of an array, found %s",
                         json_found(P, P->p));
    }
    P->p++;
    P->depth--;
    return ST_OK;
}
typedef struct json_name {
    const char *name;
    const char *at;
} json_name;

static int json_name_order(const void *a, const void *b)
{
    const json_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

static int json_unique_names(jr_parser *P, const jr_value *v, const char *const *at)
{
    if (v->len < 2)
        return ST_OK;
    json_name *name = st_alloc(P->e, v->len, sizeof *name);
    if (name == NULL)
        return P->e->status;
    for (size_t i = 0; i < v->len; i++)
        name[i] = (json_name){ v->key[i], at[i] };
    qsort(name, v->len, sizeof *name, json_name_order);
    const json_name *repeat = NULL;
    for (size_t i = 1; i < v->len; i++)
        if (strcmp(name[i].name, name[i - 1].name) == 0
            && (repeat == NULL || name[i].at < repeat->at))
            repeat = &name[i];
    int status = ST_OK;
    if (repeat != NULL)
        status = json_fail(P, repeat->at, "expected each name once in an object, "
                           "found \"%s\" again", repeat->name);
    free(name);
    return status;
}
static int json_grow(jr_parser *P, jr_value *v, const char ***atp, size_t *capp)
{
    const char **at = *atp;
    size_t cap = *capp;
    if (v->len == cap) {
        size_t ncap = cap ? 2 * cap : 8;
        char **key = st_realloc(P->e, v->key, ncap, sizeof *key);
        if (key != NULL)
            v->key = key;
        jr_value *item = key ? st_realloc(P->e, v->item, ncap, sizeof *item) : NULL;
        if (item != NULL)
            v->item = item;
        const char **a = item ? st_realloc(P->e, at, ncap, sizeof *a) : NULL;
        if (a == NULL)
            return P->e->status;
        at = a;
        cap = ncap;
    }
    *atp = at;
    *capp = cap;
    return ST_OK;
}

static int json_member(jr_parser *P, jr_value *v, const char **at)
{
    json_skip_space(P);
    if (P->p == P->end || *P->p != '"')
        return json_fail(P, P->p, "expected a name in double quotes, found %s",
                         json_found(P, P->p));
    size_t i = v->len++, namelen;
    int status;
    at[i] = P->p;
    v->key[i] = NULL;
    v->item[i] = (jr_value){ .type = JR_NULL };
    if ((status = json_string(P, &v->key[i], &namelen, 1)) != ST_OK)
        return status;
    json_skip_space(P);
    if (P->p == P->end || *P->p != ':')
        return json_fail(P, P->p, "expected ':' after a name, found %s",
                         json_found(P, P->p));
    P->p++;
    return json_value(P, &v->item[i]);
}

static int json_object(jr_parser *P, jr_value *v)
{
    size_t cap = 0;
    const char **at = NULL;
    int status = json_open(P);
    v->type = JR_OBJECT;
    if (status != ST_OK)
        return status;
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        P->depth--;
        return ST_OK;
    }
    for (;;) {
        if ((status = json_grow(P, v, &at, &cap)) != ST_OK
            || (status = json_member(P, v, at)) != ST_OK)
            break;
        json_skip_space(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            continue;
        }
        if (P->p < P->end && *P->p == '}') {
            P->p++;
            status = json_unique_names(P, v, at);
            break;
        }
        status = json_fail(P, P->p, "expected ',' or '}' after a member of an object, found %s",
                           json_found(P, P->p));
        break;
    }
    free(at);
    P->depth--;
    return status;
}
static int json_value(jr_parser *P, jr_value *v)
{
    static const struct { const char *word; size_t len; jr_type type; } literal[] = {
        { "true", 4, JR_TRUE }, { "false", 5, JR_FALSE }, { "null", 4, JR_NULL } };
    json_skip_space(P);
    if (P->p < P->end) {
        char c = *P->p;
        if (c == '{')
            return json_object(P, v);
        if (c == '[')
            return json_array(P, v);
        if (c == '"') {
            int status = json_string(P, &v->str, &v->len, 0);
            if (status == ST_OK)
                v->type = JR_STRING;
            return status;
        }
        if (c == '-' || json_digit(c))
            return json_number(P, v);
        for (int k = 0; k < 3; k++) {
            size_t n = literal[k].len;
            if ((size_t)(P->end - P->p) >= n && memcmp(P->p, literal[k].word, n) == 0
                && (P->p + n == P->end || !json_word_byte(P->p[n]))) {
                v->type = literal[k].type;
                P->p += n;
                return ST_OK;
            }
        }
    }
    return json_fail(P, P->p, "expected a JSON value, found %s", json_found(P, P->p));
}
int jr_parse(st_error *e, const char *source, const char *text, size_t len, jr_value **out)
{
    assert(e != NULL);
    assert(source != NULL);
    assert(out != NULL);
    jr_parser P = { .e = e, .source = source, .text = text, .end = text + len, .p = text };
    *out = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        P.text = P.p = text + 3;
    jr_value *v = st_alloc(e, 1, sizeof *v);
    if (v == NULL)
        return e->status;
    int status = json_value(&P, v);
    if (status == ST_OK) {
        json_skip_space(&P);
        if (P.p < P.end)
            status = json_fail(&P, P.p, "expected the end of the text after the JSON value, "
                               "found %s", json_found(&P, P.p));
    }
    if (status != ST_OK) {
        jr_free(v);
        return status;
    }
    *out = v;
    return ST_OK;
}
int jr_read(st_error *e, const char *path, jr_value **out)
{
    assert(e != NULL);
    assert(path != NULL);
    assert(out != NULL);
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return st_fail(e, ST_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 0, n = 0;
    char *buf = NULL;
    int status = ST_OK;
    for (;;) {
        if (buf == NULL || n == cap) {
            size_t ncap = buf == NULL ? 65536 : 2 * cap;
            char *nb = st_realloc(e, buf, ncap, 1);
            if (nb == NULL) {
                status = e->status;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (status == ST_OK && ferror(f))
        status = st_fail(e, ST_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    fclose(f);
    if (status == ST_OK)
        status = jr_parse(e, path, buf, n, out);
    free(buf);
    return status;
}
static void json_free_contents(jr_value *v)
{
    if (v->type == JR_STRING)
        free(v->str);
    else if (v->type == JR_ARRAY || v->type == JR_OBJECT) {
        for (size_t i = 0; i < v->len; i++) {
            json_free_contents(&v->item[i]);
            if (v->key != NULL)
                free(v->key[i]);
        }
        free(v->item);
        free(v->key);
    }
}

void jr_free(jr_value *v)
{
    if (v != NULL) {
        json_free_contents(v);
        free(v);
    }
}
const jr_value *jr_get(const jr_value *obj, const char *key)
{
    assert(key != NULL);
    if (obj != NULL && obj->type == JR_OBJECT)
        for (size_t i = 0; i < obj->len; i++)
            if (strcmp(obj->key[i], key) == 0)
                return &obj->item[i];
    return NULL;
}

size_t jr_len(const jr_value *v)
{
    return v != NULL && (v->type == JR_ARRAY || v->type == JR_OBJECT) ? v->len : 0;
}

const jr_value *jr_at(const jr_value *v, size_t i)
{
    return i < jr_len(v) ? &v->item[i] : NULL;
}

const char *jr_key(const jr_value *obj, size_t i)
{
    return obj != NULL && obj->type == JR_OBJECT && i < obj->len ? obj->key[i] : NULL;
}

int jr_number(const jr_value *v, double *x)
{
    assert(x != NULL);
    if (v == NULL || v->type != JR_NUMBER)
        return 0;
    *x = v->num;
    return 1;
}

int jr_bool(const jr_value *v, int *b)
{
    assert(b != NULL);
    if (v == NULL || (v->type != JR_TRUE && v->type != JR_FALSE))
        return 0;
    *b = v->type == JR_TRUE;
    return 1;
}

const char *jr_string(const jr_value *v)
{
    return v != NULL && v->type == JR_STRING ? v->str : NULL;
}

int jr_is_null(const jr_value *v)
{
    return v != NULL && v->type == JR_NULL;
}

const char *jr_type_name(const jr_value *v)
{
    static const char *const name[] = { "null", "false", "true", "a number", "a string",
                                        "an array", "an object" };
    return v == NULL ? "nothing" : name[v->type];
}
