#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "booktex.h"

void tex_escape(FILE *out, const char *s, size_t len, int ties)
{
    assert(out != NULL && (s != NULL || len == 0));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '\0' && strchr("#$%&_{}", c))
            fprintf(out, "\\%c", c);
        else if (c == '\\')
            fputs("\\textbackslash{}", out);
        else if (c == '^')
            fputs("\\textasciicircum{}", out);
        else if (c == '~')
            fputs("\\textasciitilde{}", out);
        else if (c == '\'')
            fputs("\\textquotesingle{}", out);
        else if (c == ' ' && ties)
            putc('~', out);
        else
            putc(c < 0x20 ? ' ' : c, out);
    }
}
void tex_verbatim(FILE *out, const char *text)
{
    assert(out != NULL);
    assert(text != NULL);
    int col = 0;
    fputs("\\par\\smallskip{\\small\\ttfamily\\noindent\\mbox{}", out);
    for (const char *s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') {
            if (s[1])
                fputs("\\mbox{}\\\\\n\\mbox{}", out);
            col = 0;
            continue;
        }
        if (c == '\t') {
            do {
                putc('~', out);
                col++;
            } while (col % 8);
            continue;
        }
        if (c == 0xE2 && (unsigned char)s[1] == 0x80
            && ((unsigned char)s[2] == 0x98 || (unsigned char)s[2] == 0x99)) {
            putc((unsigned char)s[2] == 0x98 ? '`' : '\'', out);
            s += 2;
        } else if (c == '`')
            fputs("\\textasciigrave{}", out);
        else if (c == '<' || c == '>' || c == '|' || c == '-')
            fprintf(out, "{\\char%d}", c);
        else
            tex_escape(out, s, 1, 1);
        col += (c & 0xC0) != 0x80;
    }
    fputs("\\par}\\smallskip\n", out);
}
void tex_setting(const char *name, double x)
{
    assert(name != NULL);
    int k = x > 0 ? (int)lround(log10(x)) : 0;
    if (x > 0 && (k <= -3 || k >= 4) && fabs(x - pow(10, k)) <= 1e-12 * x)
        printf("\\newcommand{\\%s}{\\ensuremath{10^{%d}}}\n", name, k);
    else
        printf("\\newcommand{\\%s}{%g}\n", name, x);
}
void tex_count(const char *name, long long v)
{
    assert(name != NULL);
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", v);
    printf("\\newcommand{\\%s}{", name);
    for (int i = 0; i < len; i++)
        printf("%s%c", i > 0 && (len - i) % 3 == 0 && len > 3 ? "\\," : "", digits[i]);
    printf("}\n");
}
FILE *book_capture_open(book_capture *c)
{
    assert(c != NULL);
    c->text = NULL;
    c->len = 0;
    c->f = open_memstream(&c->text, &c->len);
    return c->f;
}

char *book_capture_text(book_capture *c)
{
    assert(c != NULL);
    int bad = c->f == NULL || fclose(c->f) != 0;
    c->f = NULL;
    if (bad) {
        free(c->text);
        c->text = NULL;
    }
    return c->text;
}

jr_value *book_capture_json(book_capture *c, const char *prog)
{
    st_error e = { 0 };
    jr_value *v = NULL;
    char *text = book_capture_text(c);
    if (text == NULL)
        fprintf(stderr, "%s: cannot capture the output in memory\n", prog);
    else if (jr_parse(&e, "ours", text, c->len, &v) != ST_OK)
        fprintf(stderr, "%s: %s\n", prog, e.msg);
    free(text);
    return v;
}
