#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "formula.h"
#include "numutil.h"

#define FRM_MAX_LENGTH (1 << 20)
#define FRM_MAX_DEPTH 100
#define FRM_MAX_TERMS 10000
#define FRM_MAX_PRODUCT 10000000
#define FRM_MAX_CELLS ((double)(1 << 28))
#define FRM_MAX_WORK 5e7
#define FRM_MAX_COLUMNS 5000
typedef struct frm_block {
    struct frm_block *next;
    size_t used, cap;
    max_align_t data[];
} frm_block;

static void *mem_alloc(st_error *e, frm_block **mem, size_t count, size_t size)
{
    const size_t unit = sizeof(max_align_t), chunk = (size_t)1 << 16;
    if (size != 0 && count > (SIZE_MAX / 2 - chunk) / size) {
        st_fail(e, ST_ENOMEM, "out of memory");
        return NULL;
    }
    size_t bytes = (count * size + unit - 1) / unit * unit;
    if (bytes == 0)
        bytes = unit;
    frm_block *b = *mem;
    if (b == NULL || b->cap - b->used < bytes) {
        size_t cap = bytes > chunk / 4 ? bytes : chunk;
        frm_block *nb = malloc(sizeof *nb + cap);
        if (nb == NULL) {
            st_fail(e, ST_ENOMEM, "out of memory");
            return NULL;
        }
        nb->used = 0;
        nb->cap = cap;
        if (b != NULL && cap == bytes) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            *mem = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += bytes;
    memset(p, 0, bytes);
    return p;
}

static void *mem_alloc_big(st_error *e, frm_block **mem, size_t count, size_t size)
{
    if (size != 0 && count > (SIZE_MAX / 2) / size) {
        st_fail(e, ST_ENOMEM, "out of memory");
        return NULL;
    }
    frm_block *b = st_alloc_large(e, sizeof *b + count * size, 1);
    if (b == NULL)
        return NULL;
    b->used = b->cap = count * size;
    if (*mem != NULL) {
        b->next = (*mem)->next;
        (*mem)->next = b;
    } else {
        b->next = NULL;
        *mem = b;
    }
    return b->data;
}

static char *mem_strndup(st_error *e, frm_block **mem, const char *s, size_t n)
{
    char *t = mem_alloc(e, mem, n + 1, 1);
    if (t != NULL)
        memcpy(t, s, n);
    return t;
}

static void mem_free(frm_block *b)
{
    while (b != NULL) {
        frm_block *next = b->next;
        free(b);
        b = next;
    }
}
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int bad;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (t == NULL) {
            b->bad = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static char *sb_keep(st_error *e, frm_block **mem, sbuf *b)
{
    char *t = NULL;
    if (b->bad)
        st_fail(e, ST_ENOMEM, "out of memory");
    else
        t = mem_strndup(e, mem, b->s ? b->s : "", b->len);
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    return t;
}
static void quote_formula(const char *text, int pos, char *out, size_t size)
{
    size_t len = strlen(text), from = 0, to = len, k = 0;
    if (len > 150) {
        size_t at = pos > 0 ? (size_t)pos - 1 : 0;
        from = at > 90 ? at - 90 : 0;
        to = from + 140 < len ? from + 140 : len;
        while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
            from--;
        while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
            to++;
    }
    if (from > 0 && k + 3 < size) { memcpy(out, "...", 3); k = 3; }
    for (size_t i = from; i < to && k + 4 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        out[k++] = (c < 32 || c == 127) ? ' ' : (char)c;
    }
    if (to < len && k + 4 < size) { memcpy(out + k, "...", 3); k += 3; }
    out[k] = '\0';
}

static int formula_error(st_error *e, const char *text, int pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int formula_error(st_error *e, const char *text, int pos, const char *fmt, ...)
{
    char what[600], shown[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    quote_formula(text, pos, shown, sizeof shown);
    if (pos > 0)
        return st_fail(e, ST_EINPUT, "formula \"%s\": at character %d: %s", shown, pos, what);
    return st_fail(e, ST_EINPUT, "formula \"%s\": %s", shown, what);
}
void frm_number_label(double x, char buf[32])
{
    assert(buf != NULL);
    if (isnan(x)) { strcpy(buf, "NaN"); return; }
    if (isinf(x)) { strcpy(buf, x > 0 ? "Inf" : "-Inf"); return; }
    if (x == 0) { strcpy(buf, "0"); return; }
    char sci[48];
    snprintf(sci, sizeof sci, "%.14e", x);
    const char *p = sci + (x < 0), *ex = strchr(sci, 'e');
    char digit[16];
    int nd = 0;
    for (; p < ex && nd < 15; p++)
        if (isdigit((unsigned char)*p))
            digit[nd++] = *p;
    int k = atoi(ex + 1), s = nd;
    while (s > 1 && digit[s - 1] == '0')
        s--;
    int neg = x < 0, r = s - k - 1 > 0 ? s - k - 1 : 0;
    int wfixed = neg + (k >= 0 ? k + 1 : 1) + (r > 0 ? r + 1 : 0);
    int wsci = neg + (s > 1 ? s + 1 : 1) + (k >= 100 || k <= -100 ? 5 : 4);
    if (wfixed <= wsci)
        snprintf(buf, 32, "%.*f", r, x);
    else
        snprintf(buf, 32, "%.*e", s - 1, x);
}
enum { TK_START, TK_END, TK_NUMBER, TK_NAME, TK_OP, TK_STRING };

typedef struct token {
    int kind, op;             /* op: an operator's character, FRM_OROR or FRM_IN */
    int pos, len;             /* 0-based position and length in the text */
    double value;             /* TK_NUMBER */
} token;

typedef struct parser {
    st_error *e;
    const char *text;
    int len;
    frm_block **mem;
    token tok, prev;          /* the current token and the one before */
    int at;                   /* where the next token begins */
    int depth;                /* nesting of parentheses, calls, prefix operators */
    int ndot;                 /* how many '.' (all the other columns) the text has */
} parser;

static int is_name_start(unsigned char c)
{
    return isalpha(c) || c == '.' || c >= 128;
}

static int is_name_char(unsigned char c)
{
    return isalnum(c) || c == '.' || c == '_' || c >= 128;
}

static int lex_string_or_comparison(parser *P, int i, token *t)
{
    const char *s = P->text;
    char c = s[i];
    if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < P->len && s[j] != c && s[j] != '\n')
            j += s[j] == '\\' && j + 1 < P->len ? 2 : 1;
        if (j >= P->len || s[j] != c)
            return formula_error(P->e, s, i + 1, "a string with no closing %c", c);
        t->kind = TK_STRING;
        t->len = j + 1 - i;
        return ST_OK;
    }
    int two = i + 1 < P->len && s[i + 1] == '=';
    if (c == '!' && !two)
        return formula_error(P->e, s, i + 1, "unexpected character '!' (negation is not "
                             "part of a formula; write x == 0 or x != 0)");
    t->op = !two ? c : c == '<' ? FRM_LE : c == '>' ? FRM_GE : c == '=' ? FRM_EQ : FRM_NE;
    t->len = two ? 2 : 1;
    return ST_OK;
}
static int lex_number(const parser *P, int i, token *t)
{
    const char *s = P->text;
    unsigned char c = (unsigned char)s[i];
    {
        int j = i;
        char buf[64];
        if (c == '0' && i + 2 < P->len && (s[i + 1] == 'x' || s[i + 1] == 'X')
            && isxdigit((unsigned char)s[i + 2]))
            for (j = i + 2; j < P->len && isxdigit((unsigned char)s[j]); j++)
                ;
        else {
            while (j < P->len && isdigit((unsigned char)s[j]))
                j++;
            if (j < P->len && s[j] == '.')
                for (j++; j < P->len && isdigit((unsigned char)s[j]); j++)
                    ;
            if (j < P->len && (s[j] == 'e' || s[j] == 'E')) {
                int k = j + 1;
                if (k < P->len && (s[k] == '+' || s[k] == '-'))
                    k++;
                if (k < P->len && isdigit((unsigned char)s[k])) {
                    while (k < P->len && isdigit((unsigned char)s[k]))
                        k++;
                    j = k;
                }
            }
        }
        if (j - i >= (int)sizeof buf)
            return formula_error(P->e, s, i + 1, "a number of more than %d characters",
                                 (int)sizeof buf - 1);
        memcpy(buf, s + i, (size_t)(j - i));
        buf[j - i] = '\0';
        t->kind = TK_NUMBER;
        t->len = j - i;
        t->value = strtod(buf, NULL);
    }
    return ST_OK;
}
static int lex_percent(const parser *P, int i, token *t)
{
    const char *s = P->text;
    {
        int j = i + 1;
        while (j < P->len && s[j] != '%' && s[j] != '\n')
            j++;
        if (j - i == 3 && strncmp(s + i, "%in%", 4) == 0) {
            t->op = FRM_IN;
            t->len = 4;
        } else if (j < P->len && s[j] == '%')
            return formula_error(P->e, s, i + 1, "unknown operator %.*s (the only one of its "
                                 "kind in a formula is %%in%%)", j - i + 1 > 40 ? 40 : j - i + 1,
                                 s + i);
        else
            return formula_error(P->e, s, i + 1, "unexpected character '%%'");
    }
    return ST_OK;
}

static int lex(parser *P)
{
    const char *s = P->text;
    int i = P->at;
    P->prev = P->tok;
    while (i < P->len && strchr(" \t\n\r\f\v", s[i]) != NULL)
        i++;
    token t = { TK_OP, 0, i, 1, 0 };
    unsigned char c = i < P->len ? (unsigned char)s[i] : 0;
    if (i >= P->len) {
        t.kind = TK_END;
        t.len = 0;
    } else if (isdigit(c) || (c == '.' && i + 1 < P->len && isdigit((unsigned char)s[i + 1]))) {
        if (lex_number(P, i, &t) != ST_OK)
            return P->e->status;
    } else if (is_name_start(c)) {
        t.kind = TK_NAME;
        while (i + t.len < P->len && is_name_char((unsigned char)s[i + t.len]))
            t.len++;
    } else if (c == '|' && i + 1 < P->len && s[i + 1] == '|') {
        t.op = FRM_OROR;
        t.len = 2;
    } else if (c == '%') {
        if (lex_percent(P, i, &t) != ST_OK)
            return P->e->status;
    } else if (c == '"' || c == '\'' || strchr("<>=!", (char)c) != NULL) {
        if (lex_string_or_comparison(P, i, &t) != ST_OK)
            return P->e->status;
    } else if (strchr("()~+-*/:^|,", (char)c) != NULL)
        t.op = c;
    else if (c >= 32 && c < 127)
        return formula_error(P->e, s, i + 1, "unexpected character '%c'", c);
    else
        return formula_error(P->e, s, i + 1, "unexpected byte 0x%02X", c);
    P->tok = t;
    P->at = i + t.len;
    return ST_OK;
}
static const char *describe(const parser *P, const token *t, char *buf, size_t size)
{
    if (t->kind == TK_END)
        return "the end of the formula";
    int len = t->len > 30 ? 30 : t->len;
    snprintf(buf, size, "'%.*s%s'", len, P->text + t->pos, t->len > 30 ? "..." : "");
    return buf;
}
enum { LV_BAR, LV_COMPARE, LV_SUM, LV_PRODUCT, LV_IN, LV_COLON, LV_SIGNED };

static int is_compare(int op)
{
    return op == '<' || op == '>' || op == FRM_LE || op == FRM_GE || op == FRM_EQ
           || op == FRM_NE;
}

static int level_has(int level, const token *t)
{
    if (t->kind != TK_OP)
        return 0;
    switch (level) {
    case LV_BAR:     return t->op == '|' || t->op == FRM_OROR;
    case LV_COMPARE: return is_compare(t->op);
    case LV_SUM:     return t->op == '+' || t->op == '-';
    case LV_PRODUCT: return t->op == '*' || t->op == '/';
    case LV_IN:      return t->op == FRM_IN;
    case LV_COLON:   return t->op == ':';
    }
    return 0;
}

static frm_node *new_node(parser *P, frm_kind kind, int pos0, int n)
{
    frm_node *t = mem_alloc(P->e, P->mem, 1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->kind = kind;
    t->pos = pos0 + 1;
    t->var = -1;
    t->n = n;
    t->kid = mem_alloc(P->e, P->mem, n > 0 ? (size_t)n : 1, sizeof *t->kid);
    t->op = mem_alloc(P->e, P->mem, n > 0 ? (size_t)n : 1, sizeof *t->op);
    t->oppos = mem_alloc(P->e, P->mem, n > 0 ? (size_t)n : 1, sizeof *t->oppos);
    return t->kid && t->op && t->oppos ? t : NULL;
}

static frm_node *parse_signed(parser *P);
static frm_node *parse_level(parser *P, int level)
{
    if (level == LV_SIGNED)
        return parse_signed(P);
    frm_node *first = parse_level(P, level + 1);
    if (first == NULL || !level_has(level, &P->tok))
        return first;
    int n = 1, cap = 4;
    frm_node *c = new_node(P, FRM_CHAIN, first->pos - 1, cap);
    if (c == NULL)
        return NULL;
    c->kid[0] = first;
    c->op[0] = level == LV_SUM ? '+' : 0;
    c->oppos[0] = first->pos;
    while (level_has(level, &P->tok)) {
        if (n == cap) {
            frm_node *bigger = new_node(P, FRM_CHAIN, first->pos - 1, 2 * cap);
            if (bigger == NULL)
                return NULL;
            memcpy(bigger->kid, c->kid, (size_t)n * sizeof *c->kid);
            memcpy(bigger->op, c->op, (size_t)n * sizeof *c->op);
            memcpy(bigger->oppos, c->oppos, (size_t)n * sizeof *c->oppos);
            c = bigger;
            cap *= 2;
        }
        c->op[n] = P->tok.op;
        c->oppos[n] = P->tok.pos + 1;
        if (lex(P) != ST_OK || (c->kid[n] = parse_level(P, level + 1)) == NULL)
            return NULL;
        n++;
        if (level == LV_COMPARE && level_has(level, &P->tok)) {
            formula_error(P->e, P->text, P->tok.pos + 1, "comparisons cannot be chained; "
                          "put one in parentheses");
            return NULL;
        }
    }
    c->n = n;
    return c;
}
static int enter(parser *P, int pos0)
{
    if (++P->depth > FRM_MAX_DEPTH)
        return formula_error(P->e, P->text, pos0 + 1, "parentheses, calls and operators "
                             "nested more than %d deep", FRM_MAX_DEPTH);
    return ST_OK;
}

static void leave(parser *P)
{
    P->depth--;
}

static frm_node *parse_primary(parser *P);
static frm_node *parse_signed(parser *P)
{
    if (P->tok.kind == TK_OP && (P->tok.op == '-' || P->tok.op == '+')) {
        token sign = P->tok;
        frm_node *t = new_node(P, FRM_UNARY, sign.pos, 1);
        if (t == NULL || enter(P, sign.pos) != ST_OK || lex(P) != ST_OK
            || (t->kid[0] = parse_signed(P)) == NULL)
            return NULL;
        leave(P);
        t->op[0] = sign.op;
        t->oppos[0] = sign.pos + 1;
        return t;
    }
    frm_node *base = parse_primary(P);
    if (base == NULL || !(P->tok.kind == TK_OP && P->tok.op == '^'))
        return base;
    token hat = P->tok;
    frm_node *t = new_node(P, FRM_POWER, base->pos - 1, 2);
    if (t == NULL || enter(P, hat.pos) != ST_OK || lex(P) != ST_OK
        || (t->kid[1] = parse_signed(P)) == NULL)
        return NULL;
    leave(P);
    t->kid[0] = base;
    t->oppos[1] = hat.pos + 1;
    return t;
}
static frm_node *parse_call(parser *P, const char *name, int pos0);
static frm_node *parse_paren(parser *P, token t);
static frm_node *parse_primary(parser *P)
{
    token t = P->tok;
    char b1[48], b2[48];
    if (t.kind == TK_STRING) {
        frm_node *x = new_node(P, FRM_STRING, t.pos, 0);
        char *v = mem_strndup(P->e, P->mem, P->text + t.pos + 1, (size_t)t.len - 2);
        if (x == NULL || v == NULL || lex(P) != ST_OK)
            return NULL;
        size_t k = 0;
        for (size_t j = 0; v[j] != '\0'; j++)
            v[k++] = v[j] == '\\' && v[j + 1] != '\0' ? v[++j] : v[j];
        v[k] = '\0';
        x->name = v;
        return x;
    }
    if (t.kind == TK_NUMBER) {
        frm_node *x = new_node(P, FRM_NUMBER, t.pos, 0);
        if (x == NULL || lex(P) != ST_OK)
            return NULL;
        x->value = t.value;
        return x;
    }
    if (t.kind == TK_NAME) {
        const char *name = mem_strndup(P->e, P->mem, P->text + t.pos, (size_t)t.len);
        if (name == NULL || lex(P) != ST_OK)
            return NULL;
        if (P->tok.kind == TK_OP && P->tok.op == '(')
            return parse_call(P, name, t.pos);
        if (strcmp(name, ".") == 0)
            P->ndot++;
        frm_node *x = new_node(P, FRM_NAME, t.pos, 0);
        if (x != NULL)
            x->name = name;
        return x;
    }
    if (t.kind == TK_OP && t.op == '(')
        return parse_paren(P, t);
    if (P->prev.kind == TK_START)
        formula_error(P->e, P->text, t.pos + 1, "expected a term, found %s",
                      describe(P, &t, b2, sizeof b2));
    else
        formula_error(P->e, P->text, t.pos + 1, "expected a term after %s, found %s",
                      describe(P, &P->prev, b1, sizeof b1), describe(P, &t, b2, sizeof b2));
    return NULL;
}
static frm_node *parse_paren(parser *P, token t)
{
    char b2[48];
    {
        frm_node *x = new_node(P, FRM_PAREN, t.pos, 1);
        if (x == NULL || enter(P, t.pos) != ST_OK || lex(P) != ST_OK
            || (x->kid[0] = parse_level(P, LV_BAR)) == NULL)
            return NULL;
        if (!(P->tok.kind == TK_OP && P->tok.op == ')')) {
            formula_error(P->e, P->text, P->tok.pos + 1, "expected ')' to close the '(' at "
                          "character %d, found %s", t.pos + 1, describe(P, &P->tok, b2, sizeof b2));
            return NULL;
        }
        leave(P);
        if (lex(P) != ST_OK)
            return NULL;
        return x;
    }
}
static frm_node *parse_call(parser *P, const char *name, int pos0)
{
    int open = P->tok.pos, n = 0, cap = 2;
    char buf[48];
    frm_node *x = new_node(P, FRM_CALL, pos0, cap);
    if (x == NULL || enter(P, open) != ST_OK || lex(P) != ST_OK)
        return NULL;
    x->name = name;
    if ((x->argname = mem_alloc(P->e, P->mem, (size_t)cap, sizeof *x->argname)) == NULL)
        return NULL;
    if (!(P->tok.kind == TK_OP && P->tok.op == ')'))
        for (;;) {
            if (n == cap) {
                frm_node **kid = mem_alloc(P->e, P->mem, 2 * (size_t)cap, sizeof *kid);
                const char **an = mem_alloc(P->e, P->mem, 2 * (size_t)cap, sizeof *an);
                if (kid == NULL || an == NULL)
                    return NULL;
                memcpy(kid, x->kid, (size_t)n * sizeof *kid);
                memcpy(an, x->argname, (size_t)n * sizeof *an);
                x->kid = kid;
                x->argname = an;
                cap *= 2;
            }
            if (P->tok.kind == TK_NAME) {
                int j = P->at;
                while (j < P->len && strchr(" \t\n\r\f\v", P->text[j]) != NULL)
                    j++;
                if (j < P->len && P->text[j] == '=' && !(j + 1 < P->len && P->text[j + 1] == '=')) {
                    if ((x->argname[n] = mem_strndup(P->e, P->mem, P->text + P->tok.pos,
                                                     (size_t)P->tok.len)) == NULL
                        || lex(P) != ST_OK || lex(P) != ST_OK)
                        return NULL;
                }
            }
            if ((x->kid[n++] = parse_level(P, LV_BAR)) == NULL)
                return NULL;
            if (!(P->tok.kind == TK_OP && P->tok.op == ','))
                break;
            if (lex(P) != ST_OK)
                return NULL;
        }
    if (!(P->tok.kind == TK_OP && P->tok.op == ')')) {
        formula_error(P->e, P->text, P->tok.pos + 1, "expected ',' or ')' to close the '(' "
                      "of %s( at character %d, found %s", name, open + 1,
                      describe(P, &P->tok, buf, sizeof buf));
        return NULL;
    }
    leave(P);
    x->n = n;
    return lex(P) == ST_OK ? x : NULL;
}
static int stray(parser *P, const char *expected);
static int parse_formula(parser *P, frm_node **lhs, frm_node **rhs)
{
    if (lex(P) != ST_OK)
        return P->e->status;
    if (P->tok.kind == TK_END)
        return formula_error(P->e, P->text, 0, "empty; expected a formula such as y ~ x");
    if (P->tok.kind == TK_OP && P->tok.op == '~')
        return formula_error(P->e, P->text, P->tok.pos + 1, "missing response before '~'");
    if ((*lhs = parse_level(P, LV_BAR)) == NULL)
        return P->e->status;
    if (!(P->tok.kind == TK_OP && P->tok.op == '~')) {
        if (P->tok.kind == TK_END)
            return formula_error(P->e, P->text, P->tok.pos + 1, "expected '~' and the "
                                 "right-hand side after the response");
        return stray(P, "'~' or an operator");
    }
    if (lex(P) != ST_OK || (*rhs = parse_level(P, LV_BAR)) == NULL)
        return P->e->status;
    if (P->tok.kind == TK_OP && P->tok.op == '~')
        return formula_error(P->e, P->text, P->tok.pos + 1, "a second '~' (a formula "
                             "has one)");
    if (P->tok.kind != TK_END)
        return stray(P, "an operator such as '+'");
    return ST_OK;
}
static int stray(parser *P, const char *expected)
{
    char buf[48];
    if (P->tok.kind == TK_OP && P->tok.op == ')')
        return formula_error(P->e, P->text, P->tok.pos + 1, "')' with no '(' to close");
    return formula_error(P->e, P->text, P->tok.pos + 1, "expected %s before %s", expected,
                         describe(P, &P->tok, buf, sizeof buf));
}
static const char *op_text(int op)
{
    switch (op) {
    case '+': return " + ";
    case '-': return " - ";
    case '*': return " * ";
    case '/': return "/";
    case ':': return ":";
    case '|': return " | ";
    case FRM_OROR: return " || ";
    case FRM_IN: return " %in% ";
    case '<': return " < ";
    case '>': return " > ";
    case FRM_LE: return " <= ";
    case FRM_GE: return " >= ";
    case FRM_EQ: return " == ";
    case FRM_NE: return " != ";
    }
    return "?";
}

static void deparse(sbuf *b, const frm_node *t)
{
    char num[32];
    switch (t->kind) {
    case FRM_NUMBER:
        frm_number_label(t->value, num);
        sb_puts(b, num);
        break;
    case FRM_NAME:
        sb_puts(b, t->name);
        break;
    case FRM_STRING:
        sb_puts(b, "\"");
        for (const char *c = t->name; *c; c++) {
            if (*c == '"' || *c == '\\')
                sb_puts(b, "\\");
            sb_add(b, c, 1);
        }
        sb_puts(b, "\"");
        break;
    case FRM_CALL:
        sb_puts(b, t->name);
        sb_puts(b, "(");
        for (int i = 0; i < t->n; i++) {
            if (i > 0)
                sb_puts(b, ", ");
            if (t->argname != NULL && t->argname[i] != NULL) {
                sb_puts(b, t->argname[i]);
                sb_puts(b, " = ");
            }
            deparse(b, t->kid[i]);
        }
        sb_puts(b, ")");
        break;
    case FRM_PAREN:
        sb_puts(b, "(");
        deparse(b, t->kid[0]);
        sb_puts(b, ")");
        break;
    case FRM_UNARY:
        sb_puts(b, t->op[0] == '-' ? "-" : "+");
        deparse(b, t->kid[0]);
        break;
    case FRM_POWER:
        deparse(b, t->kid[0]);
        sb_puts(b, "^");
        deparse(b, t->kid[1]);
        break;
    case FRM_CHAIN:
        deparse(b, t->kid[0]);
        for (int i = 1; i < t->n; i++) {
            sb_puts(b, op_text(t->op[i]));
            deparse(b, t->kid[i]);
        }
        break;
    }
}

static char *deparse_keep(st_error *e, frm_block **mem, const frm_node *t)
{
    sbuf b = { NULL, 0, 0, 0 };
    deparse(&b, t);
    return sb_keep(e, mem, &b);
}
typedef struct fctx {
    st_error *e;
    const char *text;
    frm_block **mem;
    frm_formula *f;
    int *slot;                /* hash table of the variables' names */
    int nslot;
    int barcap;               /* room in f->bar */
} fctx;

static int is_bar(int op)
{
    return op == '|' || op == FRM_OROR;
}

static int misplaced_bar(fctx *C, int pos)
{
    return formula_error(C->e, C->text, pos, "a random-effect term must stand on its own "
                         "in parentheses, added with '+', as in y ~ x + (1 | g)");
}
static const struct known_function {
    const char *name;
    int min, max;             /* arguments */
} known_functions[] = {
    { "I", 1, 1 }, { "factor", 1, 1 }, { "log", 1, 2 }, { "exp", 1, 1 }, { "sqrt", 1, 1 },
    { "abs", 1, 1 }, { "log2", 1, 1 }, { "log10", 1, 1 }, { "log1p", 1, 1 },
    { "expm1", 1, 1 }, { "cbind", 2, 2 }, { "relevel", 2, 2 }, { "C", 2, 3 },
    { "poly", 1, 3 }, { "scale", 1, 3 }, { NULL, 0, 0 }
};

static int check_value(fctx *C, const frm_node *t);
static int check_levels_call(fctx *C, const frm_node *t);
static int check_call(fctx *C, const frm_node *t, int response)
{
    const struct known_function *k = known_functions;
    while (k->name != NULL && strcmp(k->name, t->name) != 0)
        k++;
    if (k->name == NULL)
        return formula_error(C->e, C->text, t->pos, "unknown function %s() (a formula may "
                             "use I, factor, relevel, C, poly, scale, log, exp, sqrt, abs, "
                             "log2, log10, log1p, expm1)", t->name);
    int special = check_levels_call(C, t);
    if (special >= 0)
        return special;
    if (strcmp(k->name, "cbind") == 0 && !response)
        return formula_error(C->e, C->text, t->pos, "cbind() may only be the whole "
                             "response, as in cbind(k, n - k) ~ x");
    if (t->n < k->min || t->n > k->max)
        return formula_error(C->e, C->text, t->pos, "%s() takes %s%d argument%s, found %d",
                             k->name, k->min < k->max ? "1 or " : "", k->max,
                             k->max > 1 ? "s" : "", t->n);
    for (int i = 0; i < t->n; i++)
        if (t->argname[i] != NULL && !(strcmp(t->name, "log") == 0 && i == 1
                                       && strcmp(t->argname[i], "base") == 0))
            return formula_error(C->e, C->text, t->kid[i]->pos, "%s() has no argument "
                                 "named %s here", t->name, t->argname[i]);
    for (int i = 0; i < t->n; i++)
        if (check_value(C, t->kid[i]) != ST_OK)
            return C->e->status;
    return ST_OK;
}
static int check_comparison(fctx *C, const frm_node *t);
static int check_value(fctx *C, const frm_node *t)
{
    switch (t->kind) {
    case FRM_NUMBER:
        return ST_OK;
    case FRM_NAME:
        if (strcmp(t->name, ".") == 0)
            return formula_error(C->e, C->text, t->pos, "'.' stands for all the other "
                                 "columns, as a term; it cannot be a value");
        return ST_OK;
    case FRM_STRING:
        return formula_error(C->e, C->text, t->pos, "a string is not a value here");
    case FRM_CALL:
        return check_call(C, t, 0);
    case FRM_PAREN: case FRM_UNARY: case FRM_POWER:
        for (int i = 0; i < t->n; i++)
            if (check_value(C, t->kid[i]) != ST_OK)
                return C->e->status;
        return ST_OK;
    case FRM_CHAIN:
        if (is_compare(t->op[1]))
            return check_comparison(C, t);
        for (int i = 1; i < t->n; i++)
            if (is_bar(t->op[i]))
                return misplaced_bar(C, t->oppos[i]);
            else if (t->op[i] > 255 || !strchr("+-*/", t->op[i]))
                return formula_error(C->e, C->text, t->oppos[i], "'%s' is not arithmetic; "
                                     "in a function or a response use + - * / ^",
                                     t->op[i] == FRM_IN ? "%in%" : ":");
        for (int i = 0; i < t->n; i++)
            if (check_value(C, t->kid[i]) != ST_OK)
                return C->e->status;
        return ST_OK;
    }
    return ST_OK;
}
static int check_term(fctx *C, const frm_node *t)
{
    char num[32];
    switch (t->kind) {
    case FRM_NUMBER:
        if (t->value == 0 || t->value == 1)
            return ST_OK;
        frm_number_label(t->value, num);
        return formula_error(C->e, C->text, t->pos, "the number %s is not a term (0 and 1 "
                             "stand for no intercept and the intercept)", num);
    case FRM_NAME:
        return ST_OK;
    case FRM_STRING:
        return formula_error(C->e, C->text, t->pos, "a string is not a term");
    case FRM_CALL:
        return check_call(C, t, 0);
    case FRM_PAREN: case FRM_UNARY:
        return check_term(C, t->kid[0]);
    case FRM_POWER: {
        const frm_node *k = t->kid[1];
        if (k->kind != FRM_NUMBER || k->value < 2 || k->value != floor(k->value)
            || k->value > 1e9)
            return formula_error(C->e, C->text, k->pos, "expected a whole number of at "
                                 "least 2 after '^' in a formula");
        return check_term(C, t->kid[0]);
    }
    case FRM_CHAIN:
        if (is_compare(t->op[1]))
            return check_comparison(C, t);
        for (int i = 1; i < t->n; i++)
            if (is_bar(t->op[i]))
                return misplaced_bar(C, t->oppos[i]);
        for (int i = 0; i < t->n; i++)
            if (check_term(C, t->kid[i]) != ST_OK)
                return C->e->status;
        return ST_OK;
    }
    return ST_OK;
}
static const frm_node *bar_inside(const frm_node *t)
{
    while (t->kind == FRM_PAREN) {
        const frm_node *in = t->kid[0];
        if (in->kind == FRM_CHAIN && is_bar(in->op[1]))
            return in;
        t = in;
    }
    return NULL;
}
static int is_offset(const frm_node *t)
{
    while (t->kind == FRM_PAREN)
        t = t->kid[0];
    return t->kind == FRM_CALL && strcmp(t->name, "offset") == 0;
}

static int var_install(fctx *C, frm_node *t);
static int uses_column(const frm_node *t);
static int offset_install(fctx *C, const frm_node *t, int op, int oppos)
{
    frm_formula *f = C->f;
    while (t->kind == FRM_PAREN)
        t = t->kid[0];
    if (op == '-')
        return formula_error(C->e, C->text, oppos, "an offset is added with '+', not "
                             "subtracted (write offset(-x) for minus x)");
    if (t->n != 1)
        return formula_error(C->e, C->text, t->pos, "offset() takes 1 argument, found %d",
                             t->n);
    if (check_value(C, t->kid[0]) != ST_OK)
        return C->e->status;
    if (!uses_column(t->kid[0]))
        {
            char *arg = deparse_keep(C->e, C->mem, t->kid[0]);
            if (arg == NULL)
                return C->e->status;
            return formula_error(C->e, C->text, t->kid[0]->pos, "offset(%s) is one number, not a "
                                 "value per row; R refuses it too (\"variable lengths differ\"): "
                                 "leave it out, and the intercept absorbs it (it is then larger by "
                                 "%s)", arg, arg);
        }
    int v = var_install(C, t->kid[0]);
    if (v < 0)
        return C->e->status;
    int *ov = mem_alloc(C->e, C->mem, (size_t)f->noffset + 1, sizeof *ov);
    if (ov == NULL)
        return C->e->status;
    if (f->noffset > 0)
        memcpy(ov, f->offset_var, (size_t)f->noffset * sizeof *ov);
    ov[f->noffset++] = v;
    f->offset_var = ov;
    return ST_OK;
}
static const frm_node *argument(const frm_node *t, int pos, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (t->argname[i] != NULL && strcmp(t->argname[i], name) == 0)
            return t->kid[i];
    for (int i = 0, k = 0; i < t->n; i++)
        if (t->argname[i] == NULL && k++ == pos)
            return t->kid[i];
    return NULL;
}

static int is_logical(const frm_node *t, int *value)
{
    if (t == NULL || t->kind != FRM_NAME)
        return 0;
    *value = strcmp(t->name, "TRUE") == 0 || strcmp(t->name, "T") == 0;
    return *value || strcmp(t->name, "FALSE") == 0 || strcmp(t->name, "F") == 0;
}

static int whole_at_least(const frm_node *t, double least)
{
    return t != NULL && t->kind == FRM_NUMBER && t->value >= least && t->value <= 1e6
           && t->value == floor(t->value);
}

static int check_comparison(fctx *C, const frm_node *t)
{
    int strings = 0;
    for (int i = 0; i < 2; i++)
        if (t->kid[i]->kind == FRM_STRING)
            strings++;
        else if (check_value(C, t->kid[i]) != ST_OK)
            return C->e->status;
    if (strings == 2 || (strings == 1 && t->op[1] != FRM_EQ && t->op[1] != FRM_NE))
        return formula_error(C->e, C->text, t->oppos[1], "a string can only be compared "
                             "with == or != to a factor, as in f == \"a\"");
    return ST_OK;
}

static int check_factor_levels(fctx *C, const frm_node *a1)
{
    if (a1 != NULL) {
        int m = a1->kind == FRM_CALL && strcmp(a1->name, "c") == 0 ? a1->n : 1;
        const frm_node *const *lev = a1->kind == FRM_CALL ? (const frm_node *const *)a1->kid
                                     : &a1;
        if (a1->kind == FRM_CALL && strcmp(a1->name, "c") != 0)
            return formula_error(C->e, C->text, a1->pos, "the levels of factor() are strings "
                                 "or numbers, as in c(\"L\", \"M\", \"H\")");
        for (int i = 0; i < m; i++) {
            const frm_node *l = lev[i];
            if (l->kind != FRM_STRING && l->kind != FRM_NUMBER)
                return formula_error(C->e, C->text, l->pos, "the levels of factor() are "
                                     "strings or numbers, as in c(\"L\", \"M\", \"H\")");
            for (int j = 0; j < i; j++) {
                sbuf u = { NULL, 0, 0, 0 }, w = { NULL, 0, 0, 0 };
                deparse(&u, l);
                deparse(&w, lev[j]);
                int same = u.s && w.s && strcmp(u.s, w.s) == 0;
                free(u.s);
                free(w.s);
                if (same)
                    return formula_error(C->e, C->text, l->pos, "level %d of factor() is a "
                                         "duplicate of level %d", i + 1, j + 1);
            }
        }
    }
    return ST_OK;
}
static int check_contrasts(fctx *C, const frm_node *t, const frm_node *a1,
                           const frm_node *a2)
{
    {
        static const char *const kinds[] = { "contr.treatment", "contr.sum", "contr.helmert",
                                             "treatment", "sum", "helmert" };
        int kind = -1;
        if (a1 != NULL && a1->kind == FRM_CALL && strncmp(a1->name, "contr.", 6) == 0)
            return formula_error(C->e, C->text, a1->pos, "C() takes the contrasts function, "
                                 "not a call of it: write C(f, %s, base = 2)", a1->name);
        for (int k = 0; a1 != NULL && a1->kind == FRM_NAME && k < 6; k++)
            if (strcmp(a1->name, kinds[k]) == 0)
                kind = k % 3;
        if (kind < 0)
            return formula_error(C->e, C->text, a1 ? a1->pos : t->pos, "C() needs contrasts: "
                                 "contr.treatment, contr.sum or contr.helmert");
        if (a2 != NULL && (kind != 0 || !whole_at_least(a2, 1)))
            return formula_error(C->e, C->text, a2->pos, "base = k is for contr.treatment, "
                                 "and k is a level's number (1, 2, ...)");
    }
    return ST_OK;
}
static int check_levels_call(fctx *C, const frm_node *t)
{
    static const char *const names[][4] = {
        { "factor", "x", "levels", NULL }, { "relevel", "x", "ref", NULL },
        { "C", "object", "contr", "base" }, { "poly", "x", "degree", "raw" },
        { "scale", "x", "center", "scale" } };
    int f = -1;
    for (int k = 0; k < 5; k++)
        if (strcmp(t->name, names[k][0]) == 0)
            f = k;
    if (f < 0)
        return -1;
    for (int i = 0; i < t->n; i++) {
        const char *a = t->argname[i];
        if (a != NULL && strcmp(a, names[f][1]) && strcmp(a, names[f][2])
            && (names[f][3] == NULL || strcmp(a, names[f][3])))
            return formula_error(C->e, C->text, t->kid[i]->pos, "%s() has no argument "
                                 "named %s", t->name, a);
    }
    int max = names[f][3] ? 3 : 2, v;
    if (t->n < 1 || t->n > max || (f == 1 && t->n != 2))
        return formula_error(C->e, C->text, t->pos, "%s() takes %s, found %d argument%s",
                             t->name, f == 1 ? "2 arguments" : max == 2 ? "1 or 2 arguments"
                             : "1 to 3 arguments", t->n, t->n == 1 ? "" : "s");
    const frm_node *x = argument(t, 0, names[f][1]), *a1 = argument(t, 1, names[f][2]),
                   *a2 = names[f][3] ? argument(t, 2, names[f][3]) : NULL;
    if (x == NULL)
        return formula_error(C->e, C->text, t->pos, "%s() needs its first argument",
                             t->name);
    if (check_value(C, x) != ST_OK)
        return C->e->status;
    switch (f) {
    case 0:
        if (check_factor_levels(C, a1) != ST_OK)
            return C->e->status;
        break;
    case 1:
        if (a1 == NULL || !(a1->kind == FRM_STRING || whole_at_least(a1, 1)))
            return formula_error(C->e, C->text, a1 ? a1->pos : t->pos, "relevel() needs "
                                 "the reference level, as a string (\"M\") or a number");
        break;
    case 2:
        if (check_contrasts(C, t, a1, a2) != ST_OK)
            return C->e->status;
        break;
    case 3:
        if (a1 != NULL && !whole_at_least(a1, 1))
            return formula_error(C->e, C->text, a1->pos, "the degree of poly() must be a "
                                 "whole number of at least 1");
        if (a2 != NULL && !is_logical(a2, &v))
            return formula_error(C->e, C->text, a2->pos, "raw must be TRUE or FALSE");
        break;
    case 4:
        if ((a1 != NULL && !is_logical(a1, &v)) || (a2 != NULL && !is_logical(a2, &v)))
            return formula_error(C->e, C->text, (a1 && !is_logical(a1, &v) ? a1 : a2)->pos,
                                 "center and scale of scale() must be TRUE or FALSE");
        break;
    }
    return ST_OK;
}

static int uses_column(const frm_node *t)
{
    if (t->kind == FRM_NAME)
        return 1;
    for (int i = 0; t->kind != FRM_NUMBER && i < t->n; i++)
        if (uses_column(t->kid[i]))
            return 1;
    return 0;
}

static int var_install(fctx *C, frm_node *t)
{
    frm_formula *f = C->f;
    char *name = deparse_keep(C->e, C->mem, t);
    if (name == NULL)
        return -1;
    if (!uses_column(t)) {
        formula_error(C->e, C->text, t->pos, "%s uses no column of the data", name);
        return -1;
    }
    if (2 * (f->nvar + 1) > C->nslot)
        {
            int nslot = C->nslot ? 2 * C->nslot : 64;
            int *slot = mem_alloc(C->e, C->mem, (size_t)nslot, sizeof *slot);
            frm_var *var = mem_alloc(C->e, C->mem, (size_t)nslot / 2, sizeof *var);
            if (slot == NULL || var == NULL)
                return -1;
            if (f->nvar > 0)
                memcpy(var, f->var, (size_t)f->nvar * sizeof *var);
            for (int k = 0; k < f->nvar; k++) {
                size_t g = (size_t)st_hash(var[k].name) & (size_t)(nslot - 1);
                while (slot[g] != 0)
                    g = (g + 1) & (size_t)(nslot - 1);
                slot[g] = k + 1;
            }
            f->var = var;
            C->slot = slot;
            C->nslot = nslot;
        }
    size_t h = (size_t)st_hash(name) & (size_t)(C->nslot - 1);
    while (C->slot[h] != 0 && strcmp(f->var[C->slot[h] - 1].name, name) != 0)
        h = (h + 1) & (size_t)(C->nslot - 1);
    if (C->slot[h] == 0) {
        f->var[f->nvar] = (frm_var){ name, t, t->pos };
        C->slot[h] = ++f->nvar;
    }
    return t->var = C->slot[h] - 1;
}
static int collect_vars(fctx *C, frm_node *t)
{
    switch (t->kind) {
    case FRM_NUMBER:
        return ST_OK;
    case FRM_NAME: case FRM_CALL:
        return var_install(C, t) < 0 ? C->e->status : ST_OK;
    case FRM_STRING:
        return ST_OK;
    case FRM_PAREN: case FRM_UNARY: case FRM_POWER:
        return collect_vars(C, t->kid[0]);
    case FRM_CHAIN:
        if (is_compare(t->op[1]))
            return var_install(C, t) < 0 ? C->e->status : ST_OK;
        for (int i = 0; i < t->n; i++)
            if (collect_vars(C, t->kid[i]) != ST_OK)
                return C->e->status;
        return ST_OK;
    }
    return ST_OK;
}
typedef struct tlist {
    int n, cap, nw;           /* terms, room, words per term */
    uint64_t *w;              /* term t is w[t*nw ...] */
    int *slot;                /* hash table: index + 1 of a term, 0 empty */
    int nslot;
} tlist;

static void tl_free(tlist *L)
{
    if (L != NULL) {
        free(L->w);
        free(L->slot);
        free(L);
    }
}

static tlist *tl_new(st_error *e, int nw)
{
    tlist *L = calloc(1, sizeof *L);
    if (L == NULL)
        st_fail(e, ST_ENOMEM, "out of memory");
    else
        L->nw = nw;
    return L;
}

static uint64_t tl_hash(const uint64_t *t, int nw)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (int i = 0; i < nw; i++)
        h = (h ^ t[i]) * UINT64_C(1099511628211);
    return h ^ (h >> 29);
}

static int tl_find(const tlist *L, const uint64_t *t)
{
    if (L->nslot == 0)
        return -1;
    size_t mask = (size_t)L->nslot - 1, h = (size_t)tl_hash(t, L->nw) & mask;
    for (; L->slot[h] != 0; h = (h + 1) & mask)
        if (memcmp(L->w + (size_t)(L->slot[h] - 1) * L->nw, t, (size_t)L->nw * 8) == 0)
            return L->slot[h] - 1;
    return -1;
}

static int tl_is_zero(const uint64_t *t, int nw)
{
    for (int i = 0; i < nw; i++)
        if (t[i] != 0)
            return 0;
    return 1;
}
static int tl_rehash(st_error *e, tlist *L, int nslot)
{
    int *slot = calloc((size_t)nslot, sizeof *slot);
    if (slot == NULL)
        return st_fail(e, ST_ENOMEM, "out of memory");
    free(L->slot);
    L->slot = slot;
    L->nslot = nslot;
    for (int k = 0; k < L->n; k++) {
        size_t h = (size_t)tl_hash(L->w + (size_t)k * L->nw, L->nw) & (size_t)(nslot - 1);
        while (slot[h] != 0)
            h = (h + 1) & (size_t)(nslot - 1);
        slot[h] = k + 1;
    }
    return ST_OK;
}

static int tl_add(fctx *C, tlist *L, const uint64_t *t, int pos)
{
    if (tl_is_zero(t, L->nw) || tl_find(L, t) >= 0)
        return ST_OK;
    if (L->n == FRM_MAX_TERMS)
        return formula_error(C->e, C->text, pos, "the formula expands to more than %d "
                             "terms", FRM_MAX_TERMS);
    if (L->n == L->cap) {
        int cap = L->cap ? 2 * L->cap : 8;
        uint64_t *w = realloc(L->w, (size_t)cap * (size_t)L->nw * sizeof *w);
        if (w == NULL)
            return st_fail(C->e, ST_ENOMEM, "out of memory");
        L->w = w;
        L->cap = cap;
    }
    memcpy(L->w + (size_t)L->n * L->nw, t, (size_t)L->nw * sizeof *t);
    L->n++;
    if (2 * L->n > L->nslot)
        return tl_rehash(C->e, L, L->nslot ? 2 * L->nslot : 16);
    size_t mask = (size_t)L->nslot - 1, h = (size_t)tl_hash(t, L->nw) & mask;
    while (L->slot[h] != 0)
        h = (h + 1) & mask;
    L->slot[h] = L->n;
    return ST_OK;
}

static int tl_remove(fctx *C, tlist *L, const uint64_t *t)
{
    int k = tl_find(L, t);
    if (k < 0)
        return ST_OK;
    memmove(L->w + (size_t)k * L->nw, L->w + (size_t)(k + 1) * L->nw,
            (size_t)(L->n - k - 1) * (size_t)L->nw * sizeof *t);
    L->n--;
    return tl_rehash(C->e, L, L->nslot);
}
typedef struct expander {
    fctx *C;
    int *local;               /* formula variable -> bit, or -1 */
    int nvar, *var;           /* bit -> formula variable */
    int nw;                   /* words per term */
    int intercept, parity;
    double work;              /* products of terms formed so far, against FRM_MAX_WORK */
} expander;

static void local_vars(expander *X, const frm_node *t)
{
    switch (t->kind) {
    case FRM_NUMBER: case FRM_STRING:
        return;
    case FRM_NAME: case FRM_CALL: variable:
        if (X->local[t->var] < 0) {
            X->local[t->var] = X->nvar;
            X->var[X->nvar++] = t->var;
        }
        return;
    case FRM_PAREN: case FRM_UNARY: case FRM_POWER:
        local_vars(X, t->kid[0]);
        return;
    case FRM_CHAIN:
        if (t->var >= 0)
            goto variable;
        for (int i = 0; i < t->n; i++)
            local_vars(X, t->kid[i]);
        return;
    }
}
static tlist *encode_chain(expander *X, const frm_node *t);
static tlist *encode_power(expander *X, const frm_node *t);
static tlist *encode(expander *X, const frm_node *t)
{
    tlist *L;
    switch (t->kind) {
    case FRM_NUMBER:
        X->intercept = t->value == 1 ? X->parity : !X->parity;
        return tl_new(X->C->e, X->nw);
    case FRM_STRING:
        return tl_new(X->C->e, X->nw);
    case FRM_NAME: case FRM_CALL: variable: {
        uint64_t *bit = calloc((size_t)X->nw, sizeof *bit);
        int v = X->local[t->var];
        L = tl_new(X->C->e, X->nw);
        if (bit == NULL || L == NULL) {
            free(bit);
            tl_free(L);
            st_fail(X->C->e, ST_ENOMEM, "out of memory");
            return NULL;
        }
        bit[v / 64] = UINT64_C(1) << (v % 64);
        if (tl_add(X->C, L, bit, t->pos) != ST_OK) {
            tl_free(L);
            L = NULL;
        }
        free(bit);
        return L;
    }
    case FRM_PAREN:
        return encode(X, t->kid[0]);
    case FRM_UNARY:
        if (t->op[0] == '+')
            return encode(X, t->kid[0]);
        X->parity = !X->parity;
        L = encode(X, t->kid[0]);
        X->parity = !X->parity;
        if (L == NULL)
            return NULL;
        L->n = 0;
        return L;
    case FRM_POWER:
        return encode_power(X, t);
    case FRM_CHAIN:
        if (t->var >= 0)
            goto variable;
        return encode_chain(X, t);
    }
    return NULL;
}
static tlist *combine(expander *X, int op, const tlist *L, const tlist *R, int pos);
static tlist *encode_chain(expander *X, const frm_node *t)
{
    tlist *acc = NULL, *R = NULL;
    if (t->op[0] == '+' || t->op[0] == '-') {
        if ((acc = tl_new(X->C->e, X->nw)) == NULL)
            return NULL;
        for (int i = 0; i < t->n; i++) {
            int del = t->op[i] == '-';
            X->parity ^= del;
            R = encode(X, t->kid[i]);
            X->parity ^= del;
            if (R == NULL)
                goto fail;
            for (int k = 0; k < R->n; k++)
                if ((del ? tl_remove(X->C, acc, R->w + (size_t)k * X->nw)
                         : tl_add(X->C, acc, R->w + (size_t)k * X->nw, t->kid[i]->pos)) != ST_OK)
                    goto fail;
            tl_free(R);
        }
        return acc;
    }
    if ((acc = encode(X, t->kid[0])) == NULL)
        return NULL;
    for (int i = 1; i < t->n; i++) {
        tlist *next;
        if ((R = encode(X, t->kid[i])) == NULL
            || (next = combine(X, t->op[i], acc, R, t->oppos[i])) == NULL)
            goto fail;
        tl_free(acc);
        tl_free(R);
        acc = next;
    }
    return acc;
fail:
    tl_free(acc);
    tl_free(R);
    return NULL;
}
static int combine_limits(expander *X, const tlist *L, const tlist *R, int pos)
{
    if ((double)L->n * R->n > FRM_MAX_PRODUCT)
        return formula_error(X->C->e, X->C->text, pos, "the formula expands to more than "
                             "%d terms", FRM_MAX_TERMS);
    X->work += (double)L->n * R->n + L->n + R->n;
    if (X->work > FRM_MAX_WORK)
        return formula_error(X->C->e, X->C->text, pos, "expanding the interactions takes "
                             "more than %.0f products of terms (the limit FRM_MAX_WORK of "
                             "the formula chapter); write fewer or smaller interactions",
                             FRM_MAX_WORK);
    return ST_OK;
}

static int combine_products(expander *X, int op, const tlist *L, const tlist *R, int pos,
                            tlist *P, uint64_t *u, const uint64_t *any)
{
    int nw = X->nw;
    if (op == '/' || op == FRM_IN) {
        const tlist *S = op == '/' ? R : L;
        for (int k = 0; k < S->n; k++) {
            for (int i = 0; i < nw; i++)
                u[i] = S->w[(size_t)k * nw + i] | any[i];
            if (tl_add(X->C, P, u, pos) != ST_OK)
                return X->C->e->status;
        }
    } else
        for (int a = 0; a < L->n; a++)
            for (int b = 0; b < R->n; b++) {
                for (int i = 0; i < nw; i++)
                    u[i] = L->w[(size_t)a * nw + i] | R->w[(size_t)b * nw + i];
                if (tl_add(X->C, P, u, pos) != ST_OK)
                    return X->C->e->status;
            }
    return ST_OK;
}

static tlist *combine(expander *X, int op, const tlist *L, const tlist *R, int pos)
{
    int nw = X->nw;
    tlist *P = tl_new(X->C->e, nw);
    uint64_t *u = calloc((size_t)nw, sizeof *u), *any = calloc((size_t)nw, sizeof *any);
    if (P == NULL || u == NULL || any == NULL) {
        st_fail(X->C->e, ST_ENOMEM, "out of memory");
        goto fail;
    }
    if (combine_limits(X, L, R, pos) != ST_OK)
        goto fail;
    if ((op == '*' || op == '/') && L->n == 0)
        goto done;
    if (op == '*' || op == '/')
        for (int k = 0; k < L->n; k++)
            if (tl_add(X->C, P, L->w + (size_t)k * nw, pos) != ST_OK)
                goto fail;
    if (op == '*')
        for (int k = 0; k < R->n; k++)
            if (tl_add(X->C, P, R->w + (size_t)k * nw, pos) != ST_OK)
                goto fail;
    {
        const tlist *S = op == '/' ? L : R;
        for (int k = 0; k < S->n; k++)
            for (int i = 0; i < nw; i++)
                any[i] |= S->w[(size_t)k * nw + i];
    }
    if (combine_products(X, op, L, R, pos, P, u, any) != ST_OK)
        goto fail;
done:
    free(u);
    free(any);
    return P;
fail:
    free(u);
    free(any);
    tl_free(P);
    return NULL;
}
static tlist *encode_power(expander *X, const frm_node *t)
{
    tlist *L = encode(X, t->kid[0]), *right = NULL, *next = NULL;
    if (L == NULL)
        return NULL;
    if ((right = tl_new(X->C->e, X->nw)) == NULL)
        goto fail;
    for (int k = 0; k < L->n; k++)
        if (tl_add(X->C, right, L->w + (size_t)k * X->nw, t->oppos[1]) != ST_OK)
            goto fail;
    for (double i = 1; i < t->kid[1]->value; i++) {
        if ((next = combine(X, ':', L, right, t->oppos[1])) == NULL)
            goto fail;
        int same = next->n == right->n && (next->n == 0
                   || memcmp(next->w, right->w, (size_t)next->n * X->nw * 8) == 0);
        tl_free(right);
        right = next;
        next = NULL;
        if (same)
            break;
    }
    tl_free(L);
    return right;
fail:
    tl_free(L);
    tl_free(right);
    return NULL;
}
static int popcount64(uint64_t w)
{
    int c = 0;
    for (; w != 0; w &= w - 1)
        c++;
    return c;
}

static int term_codes(fctx *C, frm_terms *T);
static int sort_terms(fctx *C, const expander *X, const tlist *L, frm_terms *T)
{
    int *degree = NULL;
    T->intercept = X->intercept;
    T->nvar = X->nvar;
    T->var = X->var;
    T->nterm = L->n;
    T->nwords = X->nw;
    T->bits = mem_alloc(C->e, C->mem, (size_t)L->n * X->nw + 1, sizeof *T->bits);
    degree = malloc(((size_t)L->n + 1) * sizeof *degree);
    if (T->bits == NULL || degree == NULL) {
        free(degree);
        return st_fail(C->e, ST_ENOMEM, "out of memory");
    }
    int maxdeg = 0, t = 0;
    for (int k = 0; k < L->n; k++) {
        degree[k] = 0;
        for (int i = 0; i < X->nw; i++)
            degree[k] += popcount64(L->w[(size_t)k * X->nw + i]);
        if (degree[k] > maxdeg)
            maxdeg = degree[k];
    }
    for (int d = 1; d <= maxdeg; d++)
        for (int k = 0; k < L->n; k++)
            if (degree[k] == d)
                memcpy(T->bits + (size_t)t++ * X->nw, L->w + (size_t)k * X->nw,
                       (size_t)X->nw * sizeof *T->bits);
    free(degree);
    return ST_OK;
}

static int label_terms(fctx *C, frm_terms *T)
{
    T->label = mem_alloc(C->e, C->mem, (size_t)T->nterm + 1, sizeof *T->label);
    if (T->label == NULL) {
        return C->e->status;
    }
    for (int k = 0; k < T->nterm; k++) {
        sbuf b = { NULL, 0, 0, 0 };
        const uint64_t *w = T->bits + (size_t)k * T->nwords;
        for (int v = 0; v < T->nvar; v++)
            if (w[v / 64] >> (v % 64) & 1) {
                if (b.len > 0)
                    sb_puts(&b, ":");
                sb_puts(&b, C->f->var[T->var[v]].name);
            }
        if ((T->label[k] = sb_keep(C->e, C->mem, &b)) == NULL) {
            return C->e->status;
        }
    }
    return ST_OK;
}
static int expand_terms(fctx *C, const frm_node *rhs, frm_terms *T)
{
    int nvar = C->f->nvar, status = ST_OK;
    expander X = { C, NULL, 0, NULL, 1, 1, 1, 0 };
    tlist *L = NULL;
    int *order = NULL;
    memset(T, 0, sizeof *T);
    X.local = malloc((size_t)(nvar > 0 ? nvar : 1) * sizeof *X.local);
    X.var = mem_alloc(C->e, C->mem, (size_t)(nvar > 0 ? nvar : 1), sizeof *X.var);
    if (X.local == NULL || X.var == NULL) {
        status = st_fail(C->e, ST_ENOMEM, "out of memory");
        goto done;
    }
    for (int v = 0; v < nvar; v++)
        X.local[v] = -1;
    if (rhs != NULL)
        local_vars(&X, rhs);
    X.nw = X.nvar / 64 + 1;
    L = rhs != NULL ? encode(&X, rhs) : tl_new(C->e, X.nw);
    if (L == NULL) {
        status = C->e->status;
        goto done;
    }
    status = sort_terms(C, &X, L, T);
    if (status == ST_OK)
        status = label_terms(C, T);
    if (status == ST_OK)
        status = term_codes(C, T);
done:
    free(X.local);
    free(order);
    tl_free(L);
    return status;
}
#define FRM_DENSE_VARS 20
static int *superset_table(const frm_terms *T);
static int term_codes(fctx *C, frm_terms *T)
{
    int nw = T->nwords, total = 0;
    uint64_t *margin = malloc((size_t)nw * sizeof *margin);
    T->start = mem_alloc(C->e, C->mem, (size_t)T->nterm + 1, sizeof *T->start);
    if (margin == NULL || T->start == NULL) {
        free(margin);
        return st_fail(C->e, ST_ENOMEM, "out of memory");
    }
    for (int j = 0; j < T->nterm; j++) {
        T->start[j] = total;
        for (int i = 0; i < nw; i++)
            total += popcount64(T->bits[(size_t)j * nw + i]);
    }
    T->start[T->nterm] = total;
    if ((T->code = mem_alloc(C->e, C->mem, (size_t)total + 1, 1)) == NULL) {
        free(margin);
        return C->e->status;
    }
    int *first = NULL;
    if (T->nvar <= FRM_DENSE_VARS && T->nterm > 64
        && (first = superset_table(T)) == NULL) {
        free(margin);
        return st_fail(C->e, ST_ENOMEM, "out of memory");
    }
    for (int j = 0; j < T->nterm; j++) {
        const uint64_t *tj = T->bits + (size_t)j * nw;
        int c = T->start[j];
        for (int v = 0; v < T->nvar; v++)
            if (tj[v / 64] >> (v % 64) & 1)
                {
                    memcpy(margin, tj, (size_t)nw * sizeof *margin);
                    margin[v / 64] &= ~(UINT64_C(1) << (v % 64));
                    int code = tl_is_zero(margin, nw) ? 1 : 2;
                    if (first != NULL && code == 2)
                        code = first[margin[0]] < j ? 1 : 2;
                    for (int k = 0; k < j && code == 2 && first == NULL; k++) {
                        const uint64_t *tk = T->bits + (size_t)k * nw;
                        int inside = 1;
                        for (int i = 0; i < nw && inside; i++)
                            inside = (margin[i] & ~tk[i]) == 0;
                        if (inside)
                            code = 1;
                    }
                    T->code[c++] = (unsigned char)code;
                }
    }
    free(first);
    free(margin);
    return ST_OK;
}
static int *superset_table(const frm_terms *T)
{
    size_t size = (size_t)1 << T->nvar;
    int *first = malloc(size * sizeof *first);
    if (first == NULL)
        return NULL;
    for (size_t m = 0; m < size; m++)
        first[m] = INT_MAX;
    for (int k = T->nterm - 1; k >= 0; k--)
        first[T->bits[(size_t)k * T->nwords]] = k;
    for (int b = 0; b < T->nvar; b++)
        for (size_t m = 0; m < size; m++)
            if (!(m >> b & 1) && first[m | (size_t)1 << b] < first[m])
                first[m] = first[m | (size_t)1 << b];
    return first;
}
typedef struct group {
    const char *name;
    int nleaf;
    int *leaf;
} group;

static int group_factors(fctx *C, frm_node *g, group **out, int *ngroup)
{
    while (g->kind == FRM_PAREN)
        g = g->kid[0];
    int op = g->kind == FRM_CHAIN ? g->op[1] : 0, ok = g->kind == FRM_NAME
             || (g->kind == FRM_CHAIN && (op == ':' || op == '/'));
    for (int i = 0; ok && g->kind == FRM_CHAIN && i < g->n; i++)
        ok = g->kid[i]->kind == FRM_NAME && (i == 0 || g->op[i] == op);
    if (!ok)
        return formula_error(C->e, C->text, g->pos, "a grouping factor is a column name, "
                             "an interaction such as g1:g2, or a nesting such as g1/g2");
    int m = g->kind == FRM_NAME ? 1 : g->n;
    frm_node **leaf = g->kind == FRM_NAME ? &g : g->kid;
    for (int i = 0; i < m; i++)
        if (var_install(C, leaf[i]) < 0)
            return C->e->status;
    *ngroup = op == '/' ? m : 1;
    group *G = *out = mem_alloc(C->e, C->mem, (size_t)*ngroup, sizeof *G);
    if (G == NULL)
        return C->e->status;
    if (op != '/') {
        G->nleaf = m;
        G->leaf = mem_alloc(C->e, C->mem, (size_t)m, sizeof *G->leaf);
        if (G->leaf == NULL || (G->name = deparse_keep(C->e, C->mem, g)) == NULL)
            return C->e->status;
        for (int i = 0; i < m; i++)
            G->leaf[i] = leaf[i]->var;
    } else {
        const char *inner = NULL;
        for (int k = 1; k <= m; k++) {
            group *h = &G[m - k];
            sbuf b = { NULL, 0, 0, 0 };
            sb_puts(&b, leaf[k - 1]->name);
            if (k > 1) {
                sb_puts(&b, k > 2 ? ":(" : ":");
                sb_puts(&b, inner);
                if (k > 2)
                    sb_puts(&b, ")");
            }
            h->nleaf = k;
            h->leaf = mem_alloc(C->e, C->mem, (size_t)k, sizeof *h->leaf);
            if ((h->name = inner = sb_keep(C->e, C->mem, &b)) == NULL || h->leaf == NULL)
                return C->e->status;
            for (int i = 0; i < k; i++)
                h->leaf[i] = leaf[k - 1 - i]->var;
        }
    }
    return ST_OK;
}
static int single_term(fctx *C, const frm_terms *T, int j, frm_terms *P)
{
    const uint64_t *tj = T->bits + (size_t)j * T->nwords;
    int d = T->start[j + 1] - T->start[j];
    memset(P, 0, sizeof *P);
    P->nvar = d;
    P->nterm = 1;
    P->nwords = d / 64 + 1;
    P->var = mem_alloc(C->e, C->mem, (size_t)d, sizeof *P->var);
    P->bits = mem_alloc(C->e, C->mem, (size_t)P->nwords, sizeof *P->bits);
    P->label = mem_alloc(C->e, C->mem, 1, sizeof *P->label);
    P->start = mem_alloc(C->e, C->mem, 2, sizeof *P->start);
    P->code = mem_alloc(C->e, C->mem, (size_t)d, 1);
    if (!P->var || !P->bits || !P->label || !P->start || !P->code)
        return C->e->status;
    for (int v = 0, k = 0; v < T->nvar; v++)
        if (tj[v / 64] >> (v % 64) & 1) {
            P->var[k] = T->var[v];
            P->bits[k / 64] |= UINT64_C(1) << (k % 64);
            P->code[k++] = d == 1 ? 1 : 2;
        }
    P->label[0] = T->label[j];
    P->start[1] = d;
    return ST_OK;
}
static int add_bar(fctx *C, const frm_terms *lhs, const group *g, int uncorrelated, int pos)
{
    frm_formula *f = C->f;
    if (f->nbar == C->barcap) {
        int cap = C->barcap ? 2 * C->barcap : 4;
        frm_bar *bar = mem_alloc(C->e, C->mem, (size_t)cap, sizeof *bar);
        if (bar == NULL)
            return C->e->status;
        if (f->nbar > 0)
            memcpy(bar, f->bar, (size_t)f->nbar * sizeof *bar);
        f->bar = bar;
        C->barcap = cap;
    }
    frm_bar *b = &f->bar[f->nbar++];
    b->lhs = *lhs;
    b->group = g->name;
    b->nleaf = g->nleaf;
    b->leaf = g->leaf;
    b->uncorrelated = uncorrelated;
    b->pos = pos;
    return ST_OK;
}

static int expand_bar(fctx *C, const frm_node *paren, const frm_node *bar)
{
    frm_terms T, piece;
    group *G = NULL;
    int ngroup = 0, oror = bar->op[1] == FRM_OROR;
    if (expand_terms(C, bar->kid[0], &T) != ST_OK
        || group_factors(C, bar->kid[1], &G, &ngroup) != ST_OK)
        return C->e->status;
    if (!T.intercept && T.nterm == 0)
        return formula_error(C->e, C->text, paren->pos, "the random-effect term has no "
                             "columns: its left side has neither an intercept nor a variable");
    if (!oror) {
        for (int k = 0; k < ngroup; k++)
            if (add_bar(C, &T, &G[k], 0, paren->pos) != ST_OK)
                return C->e->status;
        return ST_OK;
    }
    if (T.intercept) {
        memset(&piece, 0, sizeof piece);
        piece.intercept = 1;
        piece.nwords = 1;
        for (int k = 0; k < ngroup; k++)
            if (add_bar(C, &piece, &G[k], 1, paren->pos) != ST_OK)
                return C->e->status;
    }
    for (int j = 0; j < T.nterm; j++) {
        if (single_term(C, &T, j, &piece) != ST_OK)
            return C->e->status;
        for (int k = 0; k < ngroup; k++)
            if (add_bar(C, &piece, &G[k], 1, paren->pos) != ST_OK)
                return C->e->status;
    }
    return ST_OK;
}
#define FRM_MAX_WARNINGS 20

static int push_warning(st_error *e, frm_block **mem, const char ***list, int *n,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int push_warning(st_error *e, frm_block **mem, const char ***list, int *n,
                        const char *fmt, ...)
{
    char text[600];
    va_list ap;
    if (*n >= FRM_MAX_WARNINGS)
        return ST_OK;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const char **more = mem_alloc(e, mem, (size_t)*n + 1, sizeof *more);
    if (more == NULL || (more[*n] = mem_strndup(e, mem, text, strlen(text))) == NULL)
        return e->status;
    if (*n > 0)
        memcpy(more, *list, (size_t)*n * sizeof *more);
    *list = more;
    (*n)++;
    return ST_OK;
}

void frm_print_warnings(FILE *out, const frm_model *m, const char *prog)
{
    assert(out != NULL);
    assert(m != NULL);
    assert(prog != NULL);
    for (int k = 0; m != NULL && k < m->nwarn; k++)
        fprintf(out, "%s: warning: %s\n", prog, m->warn[k]);
}
static int same_lhs(const frm_terms *a, const frm_terms *b)
{
    if (a->intercept != b->intercept || a->nterm != b->nterm)
        return 0;
    for (int j = 0; j < a->nterm; j++)
        if (strcmp(a->label[j], b->label[j]) != 0)
            return 0;
    return 1;
}

static int warn_random_terms(fctx *C)
{
    frm_formula *f = C->f;
    for (int i = 0; i < f->nbar && f->nbar <= 1000; i++) {
        const frm_bar *b = &f->bar[i];
        for (int j = 0; j < i; j++)
            if (strcmp(f->bar[j].group, b->group) == 0 && same_lhs(&f->bar[j].lhs, &b->lhs)
                && f->bar[j].uncorrelated == b->uncorrelated) {
                if (push_warning(C->e, C->mem, &f->warn, &f->nwarn, "the random-effect "
                                 "term for %s at character %d is the same as the one at "
                                 "character %d: the data cannot tell their variances apart "
                                 "(lme4 fits both and warns of a degenerate Hessian)",
                                 b->group, b->pos, f->bar[j].pos) != ST_OK)
                    return C->e->status;
                break;
            }
        for (int l = 0; l < b->nleaf; l++)
            for (int k = 0; k < l; k++)
                if (b->leaf[k] == b->leaf[l]
                    && push_warning(C->e, C->mem, &f->warn, &f->nwarn, "grouping factor %s "
                                    "at character %d has %s nested in itself, which gives "
                                    "the groups of %s again", b->group, b->pos,
                                    f->var[b->leaf[l]].name, f->var[b->leaf[l]].name) != ST_OK)
                    return C->e->status;
    }
    return ST_OK;
}
static int parse_response(fctx *C, frm_node *lhs)
{
    st_error *e = C->e;
    const char *text = C->text;
    frm_formula *f = C->f;
    f->lhs = lhs;
    f->ycols = 1;
    f->y[0] = lhs;
    if (lhs->kind == FRM_CALL && strcmp(lhs->name, "cbind") == 0) {
        if (check_call(C, lhs, 1) != ST_OK)
            return e->status;
        f->ycols = 2;
        f->y[0] = lhs->kid[0];
        f->y[1] = lhs->kid[1];
    } else if (check_value(C, lhs) != ST_OK)
        return e->status;
    for (int k = 0; k < f->ycols; k++)
        if (!uses_column(f->y[k])) {
            formula_error(e, text, f->y[k]->pos, "the response uses no column of the data");
            return e->status;
        }
    if ((f->response = deparse_keep(e, C->mem, lhs)) == NULL)
        return e->status;
    return ST_OK;
}
static int parse_right_side(parser *P, fctx *C, frm_node *rhs)
{
    st_error *e = C->e;
    const char *text = C->text;
    frm_formula *f = C->f;
    if (rhs->kind == FRM_CHAIN && is_bar(rhs->op[1]))
        {
            formula_error(e, text, rhs->oppos[1], "a random-effect term must be in "
                          "parentheses, as in (1 | g)");
            return e->status;
        }
    int nop = rhs->kind == FRM_CHAIN && rhs->op[0] == '+' ? rhs->n : 1;
    frm_node **operand = nop > 1 ? rhs->kid : &rhs;
    frm_node *fixed = new_node(P, FRM_CHAIN, rhs->pos - 1, nop);
    if (fixed == NULL)
        return e->status;
    fixed->n = 0;
    for (int i = 0; i < nop; i++) {
        int op = nop > 1 ? rhs->op[i] : '+';
        const frm_node *bar = bar_inside(operand[i]);
        if (is_offset(operand[i])) {
            if (offset_install(C, operand[i], op, nop > 1 ? rhs->oppos[i] : 0) != ST_OK)
                return e->status;
            continue;
        }
        if (bar == NULL) {
            if (check_term(C, operand[i]) != ST_OK || collect_vars(C, operand[i]) != ST_OK)
                return e->status;
            fixed->kid[fixed->n] = operand[i];
            fixed->op[fixed->n] = fixed->n == 0 ? '+' : op;
            fixed->n++;
            continue;
        }
        if (op == '-') {
            formula_error(e, text, rhs->oppos[i], "a random-effect term is added with '+', "
                          "not subtracted");
            return e->status;
        }
        if (bar->n > 2) {
            char b2[48];
            token t = { TK_OP, bar->op[2], bar->oppos[2] - 1, bar->op[2] == FRM_OROR ? 2 : 1, 0 };
            formula_error(e, text, bar->oppos[2], "expected ')' after the grouping factor, found %s",
                          describe(P, &t, b2, sizeof b2));
            return e->status;
        }
        if (check_term(C, bar->kid[0]) != ST_OK || collect_vars(C, bar->kid[0]) != ST_OK
            || expand_bar(C, operand[i], bar) != ST_OK)
            return e->status;
        if (f->nwritten++ == 0) {
            f->written_pos = operand[i]->pos;
            if ((f->written = deparse_keep(e, C->mem, operand[i])) == NULL)
                return e->status;
        }
    }
    if (expand_terms(C, fixed->n > 0 ? fixed : NULL, &f->fixed) != ST_OK)
        return e->status;
    return ST_OK;
}
static int refuse_response(const fctx *C)
{
    st_error *e = C->e;
    const char *text = C->text;
    const frm_formula *f = C->f;
    for (int v = 0; v < f->nvar; v++)
        if (strcmp(f->var[v].name, f->response) == 0) {
            formula_error(e, text, f->var[v].pos, "the response %s also appears on the "
                          "right-hand side", f->response);
            return e->status;
        }
    return ST_OK;
}
int frm_parse(st_error *e, const char *text, frm_formula **out)
{
    frm_block *mem = NULL;
    frm_formula *f = NULL;
    frm_node *lhs = NULL, *rhs = NULL;
    size_t len = strlen(text);
    *out = NULL;
    e->status = ST_OK;
    if (len > FRM_MAX_LENGTH)
        return formula_error(e, text, 0, "longer than %d bytes", FRM_MAX_LENGTH);
    parser P = { e, text, (int)len, &mem, { TK_START, 0, 0, 0, 0 }, { TK_START, 0, 0, 0, 0 },
                 0, 0, 0 };
    fctx C = { e, text, &mem, NULL, NULL, 0, 0 };
    if ((f = mem_alloc(e, &mem, 1, sizeof *f)) == NULL
        || (f->text = mem_strndup(e, &mem, text, len)) == NULL)
        goto fail;
    C.f = f;
    if (parse_formula(&P, &lhs, &rhs) != ST_OK
        || parse_response(&C, lhs) != ST_OK
        || parse_right_side(&P, &C, rhs) != ST_OK
        || refuse_response(&C) != ST_OK)
        goto fail;
    f->ndot = P.ndot;
    if (warn_random_terms(&C) != ST_OK)
        goto fail;
    f->mem = mem;
    *out = f;
    return ST_OK;
fail:
    mem_free(mem);
    return e->status;
}

static int names_column(const frm_node *t, const char *name)
{
    if (t->kind == FRM_NAME)
        return strcmp(t->name, name) == 0;
    for (int i = 0; t->kind != FRM_NUMBER && t->kind != FRM_STRING && i < t->n; i++)
        if (names_column(t->kid[i], name))
            return 1;
    return 0;
}

static int model_frame_with_dot(st_error *e, const frm_formula *f, const df_frame *df,
                                int flags, frm_model **out)
{
    sbuf others = { NULL, 0, 0, 0 }, text = { NULL, 0, 0, 0 };
    frm_block *scratch = NULL;
    frm_formula *g = NULL;
    int k = 0, status;
    sb_puts(&others, "(");
    for (int j = 0; j < df->ncol; j++)
        if (!names_column(f->lhs, df->col[j].name)) {
            sb_puts(&others, k++ ? " + " : "");
            sb_puts(&others, df->col[j].name);
        }
    sb_puts(&others, ")");
    if (k == 0) {
        free(others.s);
        return formula_error(e, f->text, 0, "'.' stands for the columns of %s other than "
                             "the response, and there are none", df->source);
    }
    parser P = { e, f->text, (int)strlen(f->text), &scratch, { TK_START, 0, 0, 0, 0 },
                 { TK_START, 0, 0, 0, 0 }, 0, 0, 0 };
    int from = 0;
    while ((status = lex(&P)) == ST_OK && P.tok.kind != TK_END)
        if (P.tok.kind == TK_NAME && P.tok.len == 1 && f->text[P.tok.pos] == '.') {
            sb_add(&text, f->text + from, (size_t)(P.tok.pos - from));
            sb_add(&text, others.s ? others.s : "", others.len);
            from = P.tok.pos + 1;
        }
    sb_puts(&text, f->text + from);
    char *expanded = status == ST_OK ? sb_keep(e, &scratch, &text) : NULL;
    free(text.s);
    free(others.s);
    if (expanded != NULL && frm_parse(e, expanded, &g) == ST_OK) {
        g->contrasts = f->contrasts;
        if (frm_model_frame(e, g, df, flags, out) == ST_OK) {
            frm_block *mem = (*out)->mem;
            char *as_given = mem_strndup(e, &mem, f->text, strlen(f->text));
            (*out)->mem = mem;
            if (as_given != NULL)
                (*out)->formula = as_given;
        }
        frm_free(g);
    }
    mem_free(scratch);
    if (e->status != ST_OK && *out != NULL) {
        frm_model_free(*out);
        *out = NULL;
    }
    return e->status;
}

int frm_set_contrasts(frm_formula *f, const char *word)
{
    assert(f != NULL);
    int c = word == NULL || strcmp(word, "treatment") == 0 ? 0
            : strcmp(word, "sum") == 0 ? FRM_CONTR_SUM
            : strcmp(word, "helmert") == 0 ? FRM_CONTR_HELMERT : -1;
    if (c < 0)
        return -1;
    f->contrasts = c;
    return 0;
}

void frm_free(frm_formula *f)
{
    if (f != NULL)
        mem_free(f->mem);
}
typedef struct fval {
    int factor;               /* 0: numbers in num; 1: level codes in code */
    double *num;
    int *code;                /* 0..nlev-1, -1 when missing */
    int nlev;
    const char **lev;
    const df_column *col;     /* the column, when this is a factor column as is */
    int borrowed;             /* num or code is the data frame's, not ours */
    int ncol;                 /* numbers: columns of num (poly), 0 meaning 1 */
    int contr;                /* a factor's contrasts from C(): 0 the default, */
    int base;                 /*   else FRM_CONTR_*; base: the treatment baseline */
    int numnames;             /* contrast columns named by numbers, as C() names them */
} fval;

enum { CONTR_TREATMENT = 1, CONTR_SUM = 2, CONTR_HELMERT = 3 };
static const char *logical_levels[] = { "FALSE", "TRUE" };

typedef struct mctx {
    st_error *e;
    const frm_formula *f;
    const df_frame *df;
    frm_block **mem;          /* the model's memory */
    int nrow;
    int contr;                /* the default contrasts: FRM_CONTR_TREATMENT, ... */
    int nwarn;                /* warnings so far */
    const char **warn;
} mctx;

static void fval_free(fval *v)
{
    if (!v->borrowed) {
        free(v->num);
        free(v->code);
    }
    memset(v, 0, sizeof *v);
}
static int to_factor(mctx *M, fval *v, int n)
{
    double *u = malloc(((size_t)n + 1) * sizeof *u);
    int *code = malloc(((size_t)n + 1) * sizeof *code), *ulev = NULL, m = 0, k = 0;
    const char **lev = NULL;
    if (u == NULL || code == NULL)
        goto oom;
    for (int i = 0; i < n; i++)
        if (!isnan(v->num[i]))
            u[m++] = v->num[i];
    qsort(u, (size_t)m, sizeof *u, st_cmp_double);
    {
        int d = 0;
        for (int i = 0; i < m; i++)
            if (d == 0 || u[i] != u[d - 1])
                u[d++] = u[i];
        m = d;
        ulev = malloc(((size_t)m + 1) * sizeof *ulev);
        lev = mem_alloc(M->e, M->mem, (size_t)m + 1, sizeof *lev);
        if (ulev == NULL || lev == NULL)
            goto oom;
        for (int i = 0; i < m; i++) {
            char label[32];
            frm_number_label(u[i], label);
            if (k == 0 || strcmp(label, lev[k - 1]) != 0)
                if ((lev[k++] = mem_strndup(M->e, M->mem, label, strlen(label))) == NULL)
                    goto oom;
            ulev[i] = k - 1;
        }
    }
    for (int i = 0; i < n; i++) {
        double *hit = isnan(v->num[i]) ? NULL
                      : bsearch(&v->num[i], u, (size_t)m, sizeof *u, st_cmp_double);
        code[i] = hit ? ulev[hit - u] : -1;
    }
    free(u);
    free(ulev);
    if (!v->borrowed)
        free(v->num);
    v->num = NULL;
    v->borrowed = 0;
    v->factor = 1;
    v->code = code;
    v->nlev = k;
    v->lev = lev;
    return ST_OK;
oom:
    free(u);
    free(ulev);
    free(code);
    return st_fail(M->e, ST_ENOMEM, "out of memory");
}
static int eval_number(mctx *M, const frm_node *t, double **out);
static int is_levels_call(const frm_node *t);
static int eval_levels_call(mctx *M, const frm_node *t, fval *v);
static int eval_compare(mctx *M, const frm_node *t, fval *v);
static int eval_column(mctx *M, const frm_node *t, fval *v);
static int eval_node(mctx *M, const frm_node *t, fval *v)
{
    int n = M->nrow;
    memset(v, 0, sizeof *v);
    switch (t->kind) {
    case FRM_NAME:
        return eval_column(M, t, v);
    case FRM_NUMBER:
        if ((v->num = malloc(((size_t)n + 1) * sizeof *v->num)) == NULL)
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        for (int i = 0; i < n; i++)
            v->num[i] = t->value;
        return ST_OK;
    case FRM_CALL:
        if (strcmp(t->name, "I") == 0)
            return eval_node(M, t->kid[0], v);
        if (strcmp(t->name, "factor") == 0 && t->n == 1) {
            if (eval_node(M, t->kid[0], v) != ST_OK)
                return M->e->status;
            v->col = NULL;
            return v->factor ? ST_OK : to_factor(M, v, n);
        }
        if (is_levels_call(t))
            return eval_levels_call(M, t, v);
        break;
    case FRM_PAREN:
        return eval_node(M, t->kid[0], v);
    case FRM_CHAIN:
        if (is_compare(t->op[1]))
            return eval_compare(M, t, v);
        break;
    default:
        break;
    }
    return eval_number(M, t, &v->num);
}
static int eval_column(mctx *M, const frm_node *t, fval *v)
{
    int j = df_column_index(M->df, t->name);
    if (j < 0) {
        const char *near = NULL;
        for (int k = 0; k < M->df->ncol && near == NULL; k++) {
            const char *a = M->df->col[k].name, *b = t->name;
            while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b))
                a++, b++;
            if (*a == '\0' && *b == '\0')
                near = M->df->col[k].name;
        }
        return formula_error(M->e, M->f->text, t->pos, "no column \"%s\" in %s%s%s%s",
                             t->name, M->df->source, near ? " (did you mean \"" : "",
                             near ? near : "", near ? "\"?)" : "");
    }
    const df_column *c = &M->df->col[j];
    v->borrowed = 1;
    if (c->kind == DF_NUMERIC)
        v->num = c->num;
    else {
        v->code = c->code;
        v->factor = 1;
        v->nlev = c->nlevels;
        v->lev = (const char **)c->levels;
        v->col = c;
    }
    return ST_OK;
}
static double r_pow(double x, double y)
{
    if (x == 1 || y == 0)
        return 1;
    if (x == 0)
        return y > 0 ? 0 : y < 0 ? INFINITY : y;
    return y == 2 ? x * x : pow(x, y);
}

static int numbers_of_node(mctx *M, const frm_node *t, double **out)
{
    int n = M->nrow;
    fval v;
    if (eval_node(M, t, &v) != ST_OK)
        return M->e->status;
    if (v.factor && v.lev == logical_levels) {
        if ((v.num = malloc(((size_t)n + 1) * sizeof *v.num)) == NULL) {
            fval_free(&v);
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        }
        for (int i = 0; i < n; i++)
            v.num[i] = v.code[i] < 0 ? NAN : v.code[i];
        free(v.code);
        v.code = NULL;
        v.factor = 0;
    }
    if (!v.factor && v.ncol > 1) {
        fval_free(&v);
        return formula_error(M->e, M->f->text, t->pos, "poly() gives several columns; it "
                             "cannot be used in arithmetic");
    }
    if (v.factor) {
        const df_column *c = v.col;
        fval_free(&v);
        if (c != NULL)
            return st_fail(M->e, ST_EINPUT, "%s:%ld: column \"%s\": expected a number, "
                           "found \"%s\"", M->df->source, c->text_line, c->name, c->text);
        sbuf s = { NULL, 0, 0, 0 };
        deparse(&s, t);
        formula_error(M->e, M->f->text, t->pos, "%s is a factor, not a number",
                      s.s ? s.s : "?");
        free(s.s);
        return M->e->status;
    }
    if (v.borrowed) {
        if ((*out = malloc(((size_t)n + 1) * sizeof **out)) == NULL)
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        memcpy(*out, v.num, (size_t)n * sizeof **out);
    } else
        *out = v.num;
    return ST_OK;
}
static int eval_function(mctx *M, const frm_node *t, double **out)
{
    int n = M->nrow;
    double *a = NULL, *b = NULL;
    if (eval_number(M, t->kid[0], &a) != ST_OK)
        return M->e->status;
    if (t->n == 2 && eval_number(M, t->kid[1], &b) != ST_OK)
        goto fail;
    {
        static const struct { const char *name; double (*f)(double); } math[] = {
            { "log", log }, { "exp", exp }, { "sqrt", sqrt }, { "abs", fabs }, { "log2", log2 },
            { "log10", log10 }, { "log1p", log1p }, { "expm1", expm1 } };
        double (*f)(double) = log;
        for (size_t k = 0; k < sizeof math / sizeof math[0]; k++)
            if (strcmp(t->name, math[k].name) == 0)
                f = math[k].f;
        int nan = 0, first = -1;
        for (int i = 0; i < n; i++) {
            int was = isnan(a[i]) || (b != NULL && isnan(b[i]));
            a[i] = b != NULL ? f(a[i]) / f(b[i]) : f(a[i]);
            if (!was && isnan(a[i]) && nan++ == 0)
                first = i;
        }
        if (nan > 0)
            {
                sbuf s = { NULL, 0, 0, 0 };
                deparse(&s, t);
                int status = push_warning(M->e, M->mem, &M->warn, &M->nwarn, "%s: NaNs produced on %d "
                                          "row%s (the first at %s:%ld), which are dropped as missing "
                                          "values, as R drops them", s.s ? s.s : "?", nan,
                                          nan == 1 ? "" : "s", M->df->source, M->df->line[first]);
                free(s.s);
                if (status != ST_OK)
                    goto fail;
            }
    }
    free(b);
    *out = a;
    return ST_OK;
fail:
    free(a);
    free(b);
    return M->e->status;
}

static int eval_chain(mctx *M, const frm_node *t, double **out)
{
    int n = M->nrow;
    double *a = NULL, *b = NULL;
    if (eval_number(M, t->kid[0], &a) != ST_OK)
        return M->e->status;
    for (int k = 1; k < t->n; k++) {
        if (eval_number(M, t->kid[k], &b) != ST_OK)
            goto fail;
        int op = t->op[k];
        for (int i = 0; i < n; i++)
            a[i] = op == '+' ? a[i] + b[i] : op == '-' ? a[i] - b[i]
                 : op == '*' ? a[i] * b[i] : a[i] / b[i];
        free(b);
        b = NULL;
    }
    *out = a;
    return ST_OK;
fail:
    free(a);
    free(b);
    return M->e->status;
}

static int eval_number(mctx *M, const frm_node *t, double **out)
{
    int n = M->nrow;
    double *a = NULL, *b = NULL;
    *out = NULL;
    switch (t->kind) {
    case FRM_NAME: case FRM_NUMBER: case FRM_PAREN:
        return numbers_of_node(M, t, out);
    case FRM_CALL:
        if (strcmp(t->name, "I") == 0 || strcmp(t->name, "factor") == 0
            || is_levels_call(t))
            return numbers_of_node(M, t, out);
        return eval_function(M, t, out);
    case FRM_UNARY:
        if (eval_number(M, t->kid[0], &a) != ST_OK)
            return M->e->status;
        if (t->op[0] == '-')
            for (int i = 0; i < n; i++)
                a[i] = -a[i];
        break;
    case FRM_POWER:
        if (eval_number(M, t->kid[0], &a) != ST_OK || eval_number(M, t->kid[1], &b) != ST_OK)
            goto fail;
        for (int i = 0; i < n; i++)
            a[i] = r_pow(a[i], b[i]);
        break;
    case FRM_CHAIN:
        if (is_compare(t->op[1]))
            return numbers_of_node(M, t, out);
        return eval_chain(M, t, out);
    case FRM_STRING:
        return formula_error(M->e, M->f->text, t->pos, "a string is not a number");
    }
    free(b);
    *out = a;
    return ST_OK;
fail:
    free(a);
    free(b);
    return M->e->status;
}
static int keep_levels(mctx *M, fval *v, const int *newcode, int k)
{
    if (k < v->nlev) {
        const char **lev = mem_alloc(M->e, M->mem, (size_t)k + 1, sizeof *lev);
        if (lev == NULL)
            return M->e->status;
        for (int l = 0; l < v->nlev; l++)
            if (newcode[l] >= 0)
                lev[newcode[l]] = v->lev[l];
        v->lev = lev;
        v->nlev = k;
    }
    return ST_OK;
}

static int used_levels(mctx *M, const fval *v, const int *row, int n, int **newcodep,
                       int *kp)
{
    int *newcode, k = 0;
    if ((newcode = calloc((size_t)v->nlev + 1, sizeof *newcode)) == NULL)
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        newcode[v->code[row[i]]] = 1;
    for (int l = 0; l < v->nlev; l++)
        if (newcode[l])
            newcode[l] = ++k;
    for (int l = 0; l < v->nlev; l++)
        newcode[l]--;
    *newcodep = newcode;
    *kp = k;
    return ST_OK;
}

static int own_rows(mctx *M, fval *v, const int *row, int n, const int *newcode, int k)
{
    if (!v->factor) {
        double *num = malloc(((size_t)n + 1) * sizeof *num);
        if (num == NULL)
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        for (int i = 0; i < n; i++)
            num[i] = v->num[row[i]];
        v->num = num;
        v->borrowed = 0;
        return ST_OK;
    }
    int *code = malloc(((size_t)n + 1) * sizeof *code);
    if (code == NULL)
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        code[i] = newcode[v->code[row[i]]];
    v->code = code;
    v->borrowed = 0;
    return keep_levels(M, v, newcode, k);
}
static int keep_rows(mctx *M, fval *v, const int *row, int n)
{
    int *newcode = NULL, k = 0, status = ST_OK;
    if (v->factor && used_levels(M, v, row, n, &newcode, &k) != ST_OK)
        return M->e->status;
    if (n == M->nrow && (!v->factor || k == v->nlev)) {
        free(newcode);
        return ST_OK;
    }
    if (v->borrowed)
        status = own_rows(M, v, row, n, newcode, k);
    else if (!v->factor)
        for (int c = 0; c < (v->ncol > 1 ? v->ncol : 1); c++)
            for (int i = 0; i < n; i++)
                v->num[(size_t)c * n + i] = v->num[(size_t)c * M->nrow + row[i]];
    else {
        for (int i = 0; i < n; i++)
            v->code[i] = newcode[v->code[row[i]]];
        status = keep_levels(M, v, newcode, k);
    }
    free(newcode);
    return status;
}
static int is_missing(const fval *v, int i)
{
    return v->factor ? v->code[i] < 0 : isnan(v->num[i]);
}
static int check_finite(mctx *M, const double *x, int n, const int *row, const frm_node *t)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i])) {
            sbuf s = { NULL, 0, 0, 0 };
            deparse(&s, t);
            st_fail(M->e, ST_EINPUT, "%s:%ld: %s is %s; a model needs finite values",
                    M->df->source, M->df->line[row[i]], s.s ? s.s : "?",
                    x[i] > 0 ? "Inf" : "-Inf");
            free(s.s);
            return M->e->status;
        }
    return ST_OK;
}

static int check_levels(mctx *M, const fval *x, int v, int n)
{
    if (x->nlev >= 2)
        return ST_OK;
    return formula_error(M->e, M->f->text, M->f->var[v].pos, "factor %s has only one level "
                         "(\"%s\") in the %d rows used; a model needs two or more",
                         M->f->var[v].name, x->lev[0], n);
}
static int is_levels_call(const frm_node *t)
{
    static const char *const names[] = { "factor", "relevel", "C", "poly", "scale" };
    for (int k = 0; k < 5; k++)
        if (t->kind == FRM_CALL && strcmp(t->name, names[k]) == 0)
            return 1;
    return 0;
}

static int reorder(mctx *M, fval *v, const int *perm, const char **lev, int nlev)
{
    int n = M->nrow, *code = malloc(((size_t)n + 1) * sizeof *code);
    if (code == NULL)
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        code[i] = v->code[i] < 0 ? -1 : perm[v->code[i]];
    if (!v->borrowed)
        free(v->code);
    v->code = code;
    v->borrowed = 0;
    v->lev = lev;
    v->nlev = nlev;
    v->col = NULL;
    return ST_OK;
}

static int level_list(mctx *M, const frm_node *t, const fval *v, int *perm, const char ***lev,
                      int *nlev);
static int eval_poly(mctx *M, const frm_node *t, fval *v);
static int eval_scale(mctx *M, const frm_node *t, fval *v);
static int eval_levels_call(mctx *M, const frm_node *t, fval *v)
{
    if (strcmp(t->name, "poly") == 0)
        return eval_poly(M, t, v);
    if (strcmp(t->name, "scale") == 0)
        return eval_scale(M, t, v);
    const frm_node *x = argument(t, 0, strcmp(t->name, "C") == 0 ? "object" : "x");
    if (eval_node(M, x, v) != ST_OK)
        return M->e->status;
    if (!v->factor) {
        if (strcmp(t->name, "relevel") == 0) {
            fval_free(v);
            return formula_error(M->e, M->f->text, t->pos, "relevel() is for a factor, "
                                 "and its argument is numbers (write "
                                 "relevel(factor(x), ...))");
        }
        if (strcmp(t->name, "C") == 0) {        /* R: "object not interpretable as a factor" */
            fval_free(v);
            return formula_error(M->e, M->f->text, t->pos, "C() is for a factor, and its "
                                 "argument is numbers (write C(factor(x), ...))");
        }
        if (to_factor(M, v, M->nrow) != ST_OK)
            return M->e->status;
    }
    v->col = NULL;
    if (strcmp(t->name, "C") == 0) {
        {
            const frm_node *c = argument(t, 1, "contr"), *base = argument(t, 2, "base");
            const char *k = c->name;
            v->numnames = strncmp(k, "contr.", 6) == 0 || base != NULL;
            k += strncmp(k, "contr.", 6) == 0 ? 6 : 0;
            v->contr = strcmp(k, "sum") == 0 ? CONTR_SUM : strcmp(k, "helmert") == 0
                       ? CONTR_HELMERT : CONTR_TREATMENT;
            v->base = base != NULL ? (int)base->value - 1 : 0;
            if (v->base >= v->nlev) {
                int nlev = v->nlev;
                fval_free(v);
                return formula_error(M->e, M->f->text, base->pos, "base = %d, but the factor has "
                                     "%d levels", (int)base->value, nlev);
            }
        }
        return ST_OK;
    }
    int *perm = malloc(((size_t)v->nlev + 1) * sizeof *perm), nlev = 0;
    const char **lev = NULL;
    if (perm == NULL) {
        fval_free(v);
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    }
    int status = level_list(M, t, v, perm, &lev, &nlev);
    if (status == ST_OK)
        status = reorder(M, v, perm, lev, nlev);
    free(perm);
    if (status != ST_OK)
        fval_free(v);
    return status;
}
static int find_level(const fval *v, const frm_node *l)
{
    char num[32];
    const char *label = l->kind == FRM_STRING ? l->name : num;
    if (l->kind == FRM_NUMBER)
        frm_number_label(l->value, num);
    for (int k = 0; k < v->nlev; k++)
        if (strcmp(v->lev[k], label) == 0)
            return k;
    return -1;
}

static int level_list(mctx *M, const frm_node *t, const fval *v, int *perm, const char ***lev,
                      int *nlev)
{
    int relevel = strcmp(t->name, "relevel") == 0;
    const frm_node *a = argument(t, 1, relevel ? "ref" : "levels");
    int m = a->kind == FRM_CALL ? a->n : 1;
    *lev = mem_alloc(M->e, M->mem, (size_t)(relevel ? v->nlev : m) + 1, sizeof **lev);
    if (*lev == NULL)
        return M->e->status;
    if (relevel) {
        int ref = a->kind == FRM_NUMBER ? (int)a->value - 1 : find_level(v, a);
        if (ref < 0 || ref >= v->nlev) {
            char shown[200] = "";
            for (int k = 0; k < v->nlev && strlen(shown) < 150; k++)
                snprintf(shown + strlen(shown), sizeof shown - strlen(shown), "%s%s",
                         k ? ", " : "", v->lev[k]);
            sbuf b = { NULL, 0, 0, 0 };
            deparse(&b, a);
            formula_error(M->e, M->f->text, a->pos, "%s is not a level of %s (its levels "
                          "are %s%s)", b.s ? b.s : "?", argument(t, 0, "x")->kind == FRM_NAME
                          ? argument(t, 0, "x")->name : "the factor", shown,
                          v->nlev > 0 && strlen(shown) >= 150 ? ", ..." : "");
            free(b.s);
            return M->e->status;
        }
        for (int k = 0, j = 1; k < v->nlev; k++) {
            perm[k] = k == ref ? 0 : j++;
            (*lev)[perm[k]] = v->lev[k];
        }
        *nlev = v->nlev;
        return ST_OK;
    }
    for (int k = 0; k < v->nlev; k++)
        perm[k] = -1;
    for (int i = 0; i < m; i++) {
        const frm_node *l = a->kind == FRM_CALL ? a->kid[i] : a;
        int k = find_level(v, l);
        char num[32];
        if (l->kind == FRM_NUMBER)
            frm_number_label(l->value, num);
        const char *label = l->kind == FRM_STRING ? l->name : num;
        if (((*lev)[i] = mem_strndup(M->e, M->mem, label, strlen(label))) == NULL)
            return M->e->status;
        if (k >= 0)
            perm[k] = i;
    }
    *nlev = m;
    return ST_OK;
}
static int eval_compare(mctx *M, const frm_node *t, fval *v)
{
    int n = M->nrow, op = t->op[1], *code = malloc(((size_t)n + 1) * sizeof *code);
    double *a = NULL, *b = NULL;
    if (code == NULL)
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    if (t->kid[0]->kind == FRM_STRING || t->kid[1]->kind == FRM_STRING) {
        const frm_node *str = t->kid[t->kid[1]->kind == FRM_STRING];
        const frm_node *other = t->kid[t->kid[1]->kind != FRM_STRING];
        fval f;
        if (eval_node(M, other, &f) != ST_OK) {
            free(code);
            return M->e->status;
        }
        if (!f.factor) {
            fval_free(&f);
            free(code);
            return formula_error(M->e, M->f->text, other->pos, "only a factor can be "
                                 "compared with a string");
        }
        int hit = find_level(&f, str);
        for (int i = 0; i < n; i++)
            code[i] = f.code[i] < 0 ? -1 : (f.code[i] == hit) == (op == FRM_EQ);
        fval_free(&f);
    } else {
        if (eval_number(M, t->kid[0], &a) != ST_OK
            || eval_number(M, t->kid[1], &b) != ST_OK) {
            free(a);
            free(code);
            return M->e->status;
        }
        for (int i = 0; i < n; i++)
            code[i] = isnan(a[i]) || isnan(b[i]) ? -1
                : op == '<' ? a[i] < b[i] : op == '>' ? a[i] > b[i]
                : op == FRM_LE ? a[i] <= b[i] : op == FRM_GE ? a[i] >= b[i]
                : op == FRM_EQ ? a[i] == b[i] : a[i] != b[i];
        free(a);
        free(b);
    }
    memset(v, 0, sizeof *v);
    v->factor = 1;
    v->code = code;
    v->nlev = 2;
    v->lev = logical_levels;
    return ST_OK;
}
static int eval_scale(mctx *M, const frm_node *t, fval *v)
{
    int center = 1, scale = 1, n = M->nrow, m = 0;
    const frm_node *c = argument(t, 1, "center"), *s = argument(t, 2, "scale");
    if (c != NULL)
        is_logical(c, &center);
    if (s != NULL)
        is_logical(s, &scale);
    memset(v, 0, sizeof *v);
    if (eval_number(M, argument(t, 0, "x"), &v->num) != ST_OK)
        return M->e->status;
    long double sum = 0;
    double mean, ss = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(v->num[i])) {
            m++;
            sum += v->num[i];
        }
    mean = center && m > 0 ? (double)(sum / m) : 0;
    for (int i = 0; i < n; i++)
        if (!isnan(v->num[i]))
            ss += (v->num[i] - mean) * (v->num[i] - mean);
    double sd = scale ? sqrt(ss / (m - 1)) : 1;
    for (int i = 0; i < n; i++)
        v->num[i] = (v->num[i] - mean) / sd;
    return ST_OK;
}
static int poly_check(mctx *M, const frm_node *t, const frm_node *dn, const double *x,
                      int n, int k, int raw)
{
    {
        int distinct = 0;
        double *u = malloc(((size_t)n + 1) * sizeof *u);
        if (u == NULL)
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        for (int i = 0; i < n; i++) {
            if (isnan(x[i])) {
                free(u);
                return st_fail(M->e, ST_EINPUT, "%s:%ld: poly() of a missing value (R's poly "
                               "refuses them too: drop the row or impute it)", M->df->source,
                               M->df->line[i]);
            }
            u[i] = x[i];
        }
        qsort(u, (size_t)n, sizeof *u, st_cmp_double);
        for (int i = 0; i < n; i++)
            distinct += i == 0 || u[i] != u[i - 1];
        free(u);
        if (!raw && k >= distinct)
            return formula_error(M->e, M->f->text, dn ? dn->pos : t->pos, "the degree of "
                                 "poly() must be less than the %d distinct values of its "
                                 "argument", distinct);
    }
    return ST_OK;
}
static int poly_orthonormal(mctx *M, double *x, int n, int k, double *P)
{
    {
        long double sum = 0;
        for (int i = 0; i < n; i++)
            sum += x[i];
        double mean = (double)(sum / n);
        for (int i = 0; i < n; i++)
            x[i] -= mean;
        double *norms = malloc(((size_t)k + 1) * sizeof *norms);
        if (norms == NULL)
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        for (int j = 0; j < k; j++) {        /* column j is p_{j+1}, made of p_j and p_{j-1} */
            const double *pj = j > 0 ? P + (size_t)(j - 1) * n : NULL;
            const double *pm = j > 1 ? P + (size_t)(j - 2) * n : NULL;
            double *out = P + (size_t)j * n, num = 0;
            double nj = j > 0 ? norms[j - 1] : n, nm = j > 1 ? norms[j - 2] : n;
            double beta = j > 0 ? nj / nm : 0;
            for (int i = 0; i < n; i++) {
                double p = pj ? pj[i] : 1;
                num += x[i] * p * p;
            }
            double alpha = num / nj;
            for (int i = 0; i < n; i++)
                out[i] = (x[i] - alpha) * (pj ? pj[i] : 1) - beta * (pm ? pm[i] : 1);
            norms[j] = 0;
            for (int i = 0; i < n; i++)
                norms[j] += out[i] * out[i];
        }
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++)
                P[(size_t)j * n + i] /= sqrt(norms[j]);
        free(norms);
    }
    return ST_OK;
}
static int eval_poly(mctx *M, const frm_node *t, fval *v)
{
    const frm_node *xn = argument(t, 0, "x"), *dn = argument(t, 1, "degree"),
                   *rn = argument(t, 2, "raw");
    int n = M->nrow, k = dn ? (int)dn->value : 1, raw = 0;
    double *x = NULL;
    if (rn != NULL)
        is_logical(rn, &raw);
    memset(v, 0, sizeof *v);
    if (eval_number(M, xn, &x) != ST_OK)
        return M->e->status;
    if (poly_check(M, t, dn, x, n, k, raw) != ST_OK) {
        free(x);
        return M->e->status;
    }
    double *P = malloc(((size_t)n * k + 1) * sizeof *P);
    if (P == NULL) {
        free(x);
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    }
    if (raw)
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++)
                P[(size_t)j * n + i] = j == 0 ? x[i] : P[(size_t)(j - 1) * n + i] * x[i];
    else if (poly_orthonormal(M, x, n, k, P) != ST_OK) {
        free(x);
        free(P);
        return M->e->status;
    }
    free(x);
    v->num = P;
    v->ncol = k;
    return ST_OK;
}
static void multiply_contrast(const mctx *M, const fval *f, int j, double *x, int n,
                              sbuf *name)
{
    int kind = f->contr ? f->contr : M->contr, k = f->nlev;
    char num[16];
    snprintf(num, sizeof num, "%d", j + 1);
    if (kind == CONTR_TREATMENT) {
        int level = j < f->base ? j : j + 1;
        snprintf(num, sizeof num, "%d", level + 1);
        sb_puts(name, f->numnames ? num : f->lev[level]);
        for (int i = 0; i < n; i++)
            x[i] *= f->code[i] == level;
    } else if (kind == CONTR_SUM) {
        sb_puts(name, num);
        for (int i = 0; i < n; i++)
            x[i] *= f->code[i] == j ? 1 : f->code[i] == k - 1 ? -1 : 0;
    } else {
        sb_puts(name, num);
        for (int i = 0; i < n; i++)
            x[i] *= f->code[i] <= j ? -1 : f->code[i] == j + 1 ? j + 1 : 0;
    }
}

typedef struct mmatrix {
    double *X;
    int p;
    char **name;
    int *assign;
} mmatrix;

static void matrix_coding(const frm_terms *T, const fval *val, unsigned char *code)
{
    if (!T->intercept) {
        int done = 0;
        for (int j = 0; j < T->nterm && !done; j++) {
            const uint64_t *tj = T->bits + (size_t)j * T->nwords;
            for (int v = 0, c = T->start[j]; v < T->nvar && !done; v++)
                if (tj[v / 64] >> (v % 64) & 1) {
                    if (val[T->var[v]].factor) {
                        code[c] = 2;
                        done = 1;
                    }
                    c++;
                }
        }
    }
}
static int matrix_size(mctx *M, const frm_terms *T, const fval *val, int n,
                       const unsigned char *code, double *ncol, mmatrix *out)
{
    double p = T->intercept;
    for (int j = 0; j < T->nterm; j++) {
        const uint64_t *tj = T->bits + (size_t)j * T->nwords;
        ncol[j] = 1;
        for (int v = 0, c = T->start[j]; v < T->nvar; v++)
            if (tj[v / 64] >> (v % 64) & 1) {
                const fval *x = &val[T->var[v]];
                ncol[j] *= !x->factor ? (x->ncol > 1 ? x->ncol : 1)
                           : code[c] == 1 ? x->nlev - 1 : x->nlev;
                c++;
            }
        p += ncol[j];
    }
    if (p > FRM_MAX_COLUMNS) {
        return formula_error(M->e, M->f->text, 0, "the model matrix would have %.0f columns, "
                             "more than %d (the limit FRM_MAX_COLUMNS of the formula chapter: "
                             "a fit needs p x p matrices); a factor with that many levels is "
                             "a grouping factor, (1 | g), in lmm or glmm", p, FRM_MAX_COLUMNS);
    }
    if (p * (n > 0 ? n : 1) > FRM_MAX_CELLS || p > INT32_MAX / 2) {
        return formula_error(M->e, M->f->text, 0, "the model matrix would have %d rows and "
                             "%.0f columns, more than this program handles", n, p);
    }
    out->p = (int)p;
    out->X = mem_alloc_big(M->e, M->mem, (size_t)n * out->p + 1, sizeof *out->X);
    out->name = mem_alloc(M->e, M->mem, (size_t)out->p + 1, sizeof *out->name);
    out->assign = mem_alloc(M->e, M->mem, (size_t)out->p + 1, sizeof *out->assign);
    if (out->X == NULL || out->name == NULL || out->assign == NULL)
        return M->e->status;
    return ST_OK;
}
static int matrix_fill(mctx *M, const frm_terms *T, const fval *val, int n,
                       const unsigned char *code, const double *ncol, mmatrix *out)
{
    int col = 0;
    if (T->intercept) {
        for (int i = 0; i < n; i++)
            out->X[i] = 1;
        if ((out->name[col++] = mem_strndup(M->e, M->mem, "(Intercept)", 11)) == NULL)
            return M->e->status;
    }
    for (int j = 0; j < T->nterm; j++) {
        const uint64_t *tj = T->bits + (size_t)j * T->nwords;
        for (int kk = 0; kk < (int)ncol[j]; kk++, col++) {
            double *x = out->X + (size_t)col * n;
            sbuf name = { NULL, 0, 0, 0 };
            int rest = kk, first = 1;
            for (int i = 0; i < n; i++)
                x[i] = 1;
            for (int v = 0, c = T->start[j]; v < T->nvar; v++)
                if (tj[v / 64] >> (v % 64) & 1)
                    {
                        const fval *f = &val[T->var[v]];
                        if (!first)
                            sb_puts(&name, ":");
                        first = 0;
                        sb_puts(&name, M->f->var[T->var[v]].name);
                        if (f->factor && code[c] == 1)
                            multiply_contrast(M, f, rest % (f->nlev - 1), x, n, &name);
                        else if (f->factor) {
                            int level = rest % f->nlev;
                            sb_puts(&name, f->lev[level]);
                            for (int i = 0; i < n; i++)
                                x[i] *= f->code[i] == level;
                        } else if (f->ncol > 1) {
                            char num[16];
                            int jc = rest % f->ncol;
                            snprintf(num, sizeof num, "%d", jc + 1);
                            sb_puts(&name, num);
                            for (int i = 0; i < n; i++)
                                x[i] *= f->num[(size_t)jc * n + i];
                        } else
                            for (int i = 0; i < n; i++)
                                x[i] *= f->num[i];
                        rest /= !f->factor ? (f->ncol > 1 ? f->ncol : 1) : code[c] == 1 ? f->nlev - 1 : f->nlev;
                        c++;
                    }
            out->assign[col] = j + 1;
            if ((out->name[col] = sb_keep(M->e, M->mem, &name)) == NULL)
                return M->e->status;
        }
    }
    return ST_OK;
}
static int build_matrix(mctx *M, const frm_terms *T, const fval *val, int n, mmatrix *out)
{
    int total = T->nterm ? T->start[T->nterm] : 0;
    unsigned char *code = malloc((size_t)total + 1);
    double *ncol = malloc(((size_t)T->nterm + 1) * sizeof *ncol);
    if (code == NULL || ncol == NULL) {
        free(code);
        free(ncol);
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    }
    if (total > 0)
        memcpy(code, T->code, (size_t)total);
    matrix_coding(T, val, code);
    int status = matrix_size(M, T, val, n, code, ncol, out);
    if (status == ST_OK)
        status = matrix_fill(M, T, val, n, code, ncol, out);
    free(code);
    free(ncol);
    return status;
}
static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int warn_pasted_levels(mctx *M, const char *group, const char **lev, int nlev,
                              const fval *leaf, const char **pasted, int m);
static int leaf_factor(mctx *M, const frm_bar *b, const fval *val, int l, int n, fval *leaf)
{
    {
        const fval *x = &val[b->leaf[l]];
        *leaf = *x;
        leaf->num = NULL;
        leaf->code = NULL;
        leaf->borrowed = 0;
        if (x->factor) {
            if ((leaf->code = malloc(((size_t)n + 1) * sizeof *leaf->code)) == NULL)
                return st_fail(M->e, ST_ENOMEM, "out of memory");
            memcpy(leaf->code, x->code, (size_t)n * sizeof *leaf->code);
        } else {
            if ((leaf->num = malloc(((size_t)n + 1) * sizeof *leaf->num)) == NULL)
                return st_fail(M->e, ST_ENOMEM, "out of memory");
            memcpy(leaf->num, x->num, (size_t)n * sizeof *leaf->num);
            if (to_factor(M, leaf, n) != ST_OK)
                return M->e->status;
        }
    }
    return ST_OK;
}

static int combine_levels(mctx *M, const frm_bar *b, int n, const fval *leaf, int64_t *key,
                          int64_t *u, int *g, int *nlevp, const char ***levp)
{
    int nlev = *nlevp;
    const char **lev = *levp;
    {
        int m = 0;
        for (int i = 0; i < n; i++)
            u[i] = key[i] = (int64_t)g[i] * leaf->nlev + leaf->code[i];
        qsort(u, (size_t)n, sizeof *u, cmp_int64);
        for (int i = 0; i < n; i++)
            if (m == 0 || u[i] != u[m - 1])
                u[m++] = u[i];
        const char **nl = mem_alloc(M->e, M->mem, (size_t)m + 1, sizeof *nl);
        if (nl == NULL)
            return st_fail(M->e, ST_ENOMEM, "out of memory");
        for (int k = 0; k < m; k++) {
            sbuf s = { NULL, 0, 0, 0 };
            sb_puts(&s, lev[u[k] / leaf->nlev]);
            sb_puts(&s, ":");
            sb_puts(&s, leaf->lev[u[k] % leaf->nlev]);
            if ((nl[k] = sb_keep(M->e, M->mem, &s)) == NULL)
                return st_fail(M->e, ST_ENOMEM, "out of memory");
        }
        for (int i = 0; i < n; i++)
            g[i] = (int)((int64_t *)bsearch(&key[i], u, (size_t)m, sizeof *u, cmp_int64) - u);
        if (warn_pasted_levels(M, b->group, lev, nlev, leaf, nl, m) != ST_OK)
            return M->e->status;
        nlev = m;
        lev = nl;
    }
    *nlevp = nlev;
    *levp = lev;
    return ST_OK;
}
static int grouping(mctx *M, const frm_bar *b, const fval *val, int n, frm_reterm *r)
{
    int *g = mem_alloc(M->e, M->mem, (size_t)n + 1, sizeof *g), nlev = 0;
    const char **lev = NULL;
    int64_t *key = malloc(((size_t)n + 1) * sizeof *key), *u = malloc(((size_t)n + 1) * sizeof *u);
    fval leaf;
    memset(&leaf, 0, sizeof leaf);
    if (g == NULL || key == NULL || u == NULL)
        goto oom;
    for (int l = 0; l < b->nleaf; l++) {
        if (leaf_factor(M, b, val, l, n, &leaf) != ST_OK)
            goto fail;
        if (l == 0) {
            memcpy(g, leaf.code, (size_t)n * sizeof *g);
            nlev = leaf.nlev;
            lev = leaf.lev;
        } else if (combine_levels(M, b, n, &leaf, key, u, g, &nlev, &lev) != ST_OK)
            goto fail;
        fval_free(&leaf);
    }
    r->group = mem_strndup(M->e, M->mem, b->group, strlen(b->group));
    r->nlevels = nlev;
    r->g = g;
    r->levels = mem_alloc(M->e, M->mem, (size_t)nlev + 1, sizeof *r->levels);
    if (r->group == NULL || r->levels == NULL)
        goto oom;
    for (int k = 0; k < nlev; k++)
        if ((r->levels[k] = mem_strndup(M->e, M->mem, lev[k], strlen(lev[k]))) == NULL)
            goto oom;
    free(key);
    free(u);
    return ST_OK;
oom:
    st_fail(M->e, ST_ENOMEM, "out of memory");
fail:
    fval_free(&leaf);
    free(key);
    free(u);
    return M->e->status;
}
static int cmp_label(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int warn_pasted_levels(mctx *M, const char *gname, const char **lev, int nlev,
                              const fval *leaf, const char **pasted, int m)
{
    int colon = 0, same = 0;
    const char *example = NULL;
    for (int k = 0; k < nlev && !colon; k++)
        colon = strchr(lev[k], ':') != NULL;
    for (int k = 0; k < leaf->nlev && !colon; k++)
        colon = strchr(leaf->lev[k], ':') != NULL;
    if (!colon)
        return ST_OK;
    const char **sorted = malloc(((size_t)m + 1) * sizeof *sorted);
    if (sorted == NULL)
        return st_fail(M->e, ST_ENOMEM, "out of memory");
    memcpy(sorted, pasted, (size_t)m * sizeof *sorted);
    qsort(sorted, (size_t)m, sizeof *sorted, cmp_label);
    for (int k = 1; k < m; k++)
        if (strcmp(sorted[k], sorted[k - 1]) == 0 && same++ == 0)
            example = sorted[k];
    int status = ST_OK;
    if (same > 0)
        status = push_warning(M->e, M->mem, &M->warn, &M->nwarn, "grouping factor %s: %d "
                              "level%s such as \"%s\" stand%s for two or more different "
                              "combinations, because a label holds ':'; they are kept apart "
                              "here, but lme4 pastes the labels and would merge them",
                              gname, same, same == 1 ? "" : "s", example,
                              same == 1 ? "s" : "");
    free(sorted);
    return status;
}
int frm_weights(st_error *e, const frm_model *m, const df_frame *df, const char *column,
                double **out)
{
    assert(e != NULL);
    assert(m != NULL);
    assert(df != NULL);
    assert(column != NULL);
    assert(out != NULL);
    int j = df_column_index(df, column);
    *out = NULL;
    if (j < 0)
        return st_fail(e, ST_EINPUT, "weights: no column \"%s\" in %s", column, df->source);
    if (df->col[j].kind != DF_NUMERIC)
        return st_fail(e, ST_EINPUT, "weights: column \"%s\" of %s is not numeric (line "
                       "%ld: \"%s\")", column, df->source, df->col[j].text_line,
                       df->col[j].text);
    for (int i = 0; i < m->n; i++) {
        double w = df->col[j].num[m->row[i]];
        long line = df->line[m->row[i]];
        if (isnan(w))
            return st_fail(e, ST_EINPUT, "%s:%ld: weight %s is missing; prior weights must "
                           "be numbers, 0 or more", df->source, line, column);
        if (w < 0 || !isfinite(w))
            return st_fail(e, ST_EINPUT, "%s:%ld: weight %s is %.15g; prior weights must "
                           "be finite, 0 or more", df->source, line, column, w);
    }
    double *w = st_alloc(e, (size_t)m->n + 1, sizeof *w);
    if (w == NULL)
        return e->status;
    for (int i = 0; i < m->n; i++)
        w[i] = df->col[j].num[m->row[i]];
    *out = w;
    return ST_OK;
}
static int frame_warnings(mctx *M, frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    for (int k = 0; k < f->nwarn; k++)
        if (push_warning(e, M->mem, &m->warn, &m->nwarn, "%s", f->warn[k]) != ST_OK)
            return e->status;
    for (int k = 0; k < M->nwarn; k++)
        if (push_warning(e, M->mem, &m->warn, &m->nwarn, "%s", M->warn[k]) != ST_OK)
            return e->status;
    return ST_OK;
}
static int frame_check_flags(st_error *e, const frm_formula *f, int flags)
{
    if ((flags & FRM_FIXED_ONLY) && f->nwritten > 0) {
        formula_error(e, f->text, f->written_pos, "random-effect term %s in a model without "
                      "random effects (fit it with lmm or glmm)", f->written);
        return e->status;
    }
    if ((flags & FRM_NEED_RANDOM) && f->nwritten == 0) {
        formula_error(e, f->text, 0, "no random-effect term such as (1 | g); a mixed model "
                      "needs at least one");
        return e->status;
    }
    if (f->ycols == 2 && !(flags & FRM_BINOMIAL)) {
        formula_error(e, f->text, f->lhs->pos, "a cbind(successes, failures) response is "
                      "for binomial models (glmm)");
        return e->status;
    }
    return ST_OK;
}
static int frame_evaluate(mctx *M, int flags, fval y[2], fval *val)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    const df_frame *df = M->df;
    if (f->ycols == 2) {
        if (eval_number(M, f->y[0], &y[0].num) != ST_OK
            || eval_number(M, f->y[1], &y[1].num) != ST_OK)
            return e->status;
    } else if (eval_node(M, f->y[0], &y[0]) != ST_OK)
        return e->status;
    if (y[0].factor && !(flags & FRM_BINOMIAL)) {
        if (y[0].col != NULL)
            st_fail(e, ST_EINPUT, "%s:%ld: response \"%s\" is a factor (found \"%s\"); a linear "
                    "model needs a numeric response", df->source, y[0].col->text_line,
                    f->response, y[0].col->text);
        else
            formula_error(e, f->text, f->lhs->pos, "the response %s is a factor; a linear model "
                          "needs a numeric response", f->response);
        return e->status;
    }
    if (y[0].ncol > 1) {
        formula_error(e, f->text, f->lhs->pos, "the response %s has several columns; a model "
                      "needs one", f->response);
        return e->status;
    }
    for (int v = 0; v < f->nvar; v++)
        if (eval_node(M, f->var[v].expr, &val[v]) != ST_OK)
            return e->status;
    return ST_OK;
}
static int frame_keep_rows(mctx *M, fval y[2], fval *val, frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    const df_frame *df = M->df;
    int *row, n = 0;
    if ((row = mem_alloc(e, M->mem, (size_t)df->nrow + 1, sizeof *row)) == NULL)
        return e->status;
    for (int i = 0; i < df->nrow; i++) {
        int ok = !is_missing(&y[0], i) && (f->ycols == 1 || !is_missing(&y[1], i));
        for (int v = 0; v < f->nvar && ok; v++)
            ok = !is_missing(&val[v], i);
        if (ok)
            row[n++] = i;
    }
    if (n == 0) {
        st_fail(e, ST_EINPUT, "%s: no rows left: each of the %d rows has a missing value in "
                "a variable of the formula", df->source, df->nrow);
        return e->status;
    }
    for (int k = 0; k < f->ycols; k++)
        if (keep_rows(M, &y[k], row, n) != ST_OK)
            return e->status;
    for (int v = 0; v < f->nvar; v++)
        if (keep_rows(M, &val[v], row, n) != ST_OK)
            return e->status;
    m->n = n;
    m->n_dropped = df->nrow - n;
    m->row = row;
    return ST_OK;
}
static int frame_response(mctx *M, const fval y[2], frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    int n = m->n;
    m->ycols = f->ycols;
    if ((m->y = mem_alloc_big(e, M->mem, (size_t)n * f->ycols, sizeof *m->y)) == NULL
        || (m->formula = mem_strndup(e, M->mem, f->text, strlen(f->text))) == NULL
        || (m->response = mem_strndup(e, M->mem, f->response, strlen(f->response))) == NULL)
        return e->status;
    for (int k = 0; k < f->ycols; k++)
        for (int i = 0; i < n; i++)
            m->y[(size_t)k * n + i] = y[k].factor ? y[k].code[i] != 0 : y[k].num[i];
    return ST_OK;
}
static int frame_check_values(mctx *M, const fval y[2], const fval *val,
                              const frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    int n = m->n;
    const int *row = m->row;
    {
        char *used = calloc((size_t)f->nvar + 1, 1);
        if (used == NULL) {
            st_fail(e, ST_ENOMEM, "out of memory");
            return e->status;
        }
        for (int k = -1; k < f->nbar; k++) {
            const frm_terms *T = k < 0 ? &f->fixed : &f->bar[k].lhs;
            for (int v = 0; v < T->nvar; v++)
                used[T->var[v]] = 1;
        }
        int bad = 0;
        for (int k = 0; k < f->ycols && !bad; k++)
            if (!y[k].factor)
                bad = check_finite(M, y[k].num, n, row, k == 0 && f->ycols == 2
                                   ? f->y[0] : f->ycols == 2 ? f->y[1] : f->lhs);
        for (int v = 0; v < f->nvar && !bad; v++)
            if (used[v])
                bad = val[v].factor ? check_levels(M, &val[v], v, n)
                                    : check_finite(M, val[v].num, n, row, f->var[v].expr);
        free(used);
        if (bad)
            return e->status;
    }
    return ST_OK;
}
static int frame_fixed(mctx *M, const fval *val, frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    int n = m->n;
    {
        mmatrix X;
        if (build_matrix(M, &f->fixed, val, n, &X) != ST_OK)
            return e->status;
        m->X = X.X;
        m->p = X.p;
        m->colnames = X.name;
        m->assign = X.assign;
        m->intercept = f->fixed.intercept;
        m->nterm = f->fixed.nterm;
        if ((m->term = mem_alloc(e, M->mem, (size_t)m->nterm + 1, sizeof *m->term)) == NULL)
            return e->status;
        for (int j = 0; j < m->nterm; j++)
            if ((m->term[j] = mem_strndup(e, M->mem, f->fixed.label[j],
                                          strlen(f->fixed.label[j]))) == NULL)
                return e->status;
    }
    return ST_OK;
}
static int frame_offsets(mctx *M, const fval *val, frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    int n = m->n;
    const int *row = m->row;
    if (f->noffset > 0) {
        if ((m->offset = mem_alloc_big(e, M->mem, (size_t)n + 1, sizeof *m->offset)) == NULL)
            return e->status;
        for (int i = 0; i < n; i++)
            m->offset[i] = 0.0;
        for (int k = 0; k < f->noffset; k++) {
            int v = f->offset_var[k];
            if (val[v].factor) {
                formula_error(e, f->text, f->var[v].pos, "offset(%s): %s is a factor; an "
                              "offset must be numbers", f->var[v].name, f->var[v].name);
                return e->status;
            }
            if (check_finite(M, val[v].num, n, row, f->var[v].expr) != ST_OK)
                return e->status;
            for (int i = 0; i < n; i++)
                m->offset[i] += val[v].num[i];
        }
    }
    return ST_OK;
}
static int frame_random(mctx *M, const fval *val, frm_model *m)
{
    st_error *e = M->e;
    const frm_formula *f = M->f;
    int n = m->n;
    m->nre = f->nbar;
    if ((m->re = mem_alloc(e, M->mem, (size_t)f->nbar + 1, sizeof *m->re)) == NULL)
        return e->status;
    for (int k = 0; k < f->nbar; k++) {
        mmatrix Z;
        frm_reterm *r = &m->re[k];
        if (build_matrix(M, &f->bar[k].lhs, val, n, &Z) != ST_OK
            || grouping(M, &f->bar[k], val, n, r) != ST_OK)
            return e->status;
        r->q = Z.p;
        r->Z = Z.X;
        r->colnames = Z.name;
        r->uncorrelated = f->bar[k].uncorrelated;
    }
    return ST_OK;
}
static int model_frame_with_dot(st_error *e, const frm_formula *f, const df_frame *df,
                                int flags, frm_model **out);
int frm_model_frame(st_error *e, const frm_formula *f, const df_frame *df, int flags,
                    frm_model **out)
{
    frm_block *mem = NULL;
    int cflags = flags | f->contrasts;
    mctx M = { e, f, df, &mem, df->nrow, (cflags & FRM_CONTR_SUM) ? CONTR_SUM
               : (cflags & FRM_CONTR_HELMERT) ? CONTR_HELMERT : CONTR_TREATMENT, 0, NULL };
    fval *val = calloc((size_t)f->nvar + 1, sizeof *val);
    fval y[2];
    frm_model *m = NULL;
    memset(y, 0, sizeof y);
    *out = NULL;
    e->status = ST_OK;
    if (f->ndot > 0) {
        free(val);
        return model_frame_with_dot(e, f, df, flags, out);
    }
    if (val == NULL) {
        st_fail(e, ST_ENOMEM, "out of memory");
        goto fail;
    }
    if (frame_check_flags(e, f, flags) != ST_OK
        || (m = mem_alloc(e, &mem, 1, sizeof *m)) == NULL)
        goto fail;
    m->flags = cflags;
    if (frame_evaluate(&M, flags, y, val) != ST_OK
        || frame_keep_rows(&M, y, val, m) != ST_OK
        || frame_response(&M, y, m) != ST_OK
        || frame_check_values(&M, y, val, m) != ST_OK
        || frame_fixed(&M, val, m) != ST_OK
        || frame_random(&M, val, m) != ST_OK
        || frame_warnings(&M, m) != ST_OK
        || frame_offsets(&M, val, m) != ST_OK)
        goto fail;
    m->mem = mem;
    *out = m;
    for (int v = 0; v < f->nvar; v++)
        fval_free(&val[v]);
    free(val);
    fval_free(&y[0]);
    fval_free(&y[1]);
    return ST_OK;
fail:
    for (int v = 0; val != NULL && v < f->nvar; v++)
        fval_free(&val[v]);
    free(val);
    fval_free(&y[0]);
    fval_free(&y[1]);
    mem_free(mem);
    return e->status;
}

void frm_subtract_offset(frm_model *m)
{
    assert(m != NULL);
    if (m->offset == NULL || m->ycols != 1)
        return;
    for (int i = 0; i < m->n; i++)
        m->y[i] -= m->offset[i];
}

void frm_model_free(frm_model *m)
{
    if (m != NULL)
        mem_free(m->mem);
}
