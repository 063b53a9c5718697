#include <assert.h>
#include <ctype.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "rformat.h"

#define RF_WIDTH 80     /* getOption("width") */
#define RF_GAP 1        /* R_print.gap: spaces between columns */
#define RF_NA_WIDTH 2   /* strlen("NA") */
static const long double tbl[] = {
    1e00, 1e01, 1e02, 1e03, 1e04, 1e05, 1e06, 1e07, 1e08, 1e09,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27 };
#define KP_MAX 27

static void scientific(double x, int digits, int *neg, int *kpower, int *nsig,
                       int *roundingwidens)
{
    if (x == 0.0) {
        *kpower = 0;
        *nsig = 1;
        *neg = 0;
        *roundingwidens = 0;
        return;
    }
    double r = x < 0 ? -x : x;
    *neg = x < 0;
    if (digits >= DBL_DIG + 1) {
        char buff[64];
        int i;
        snprintf(buff, sizeof buff, "%#.*e", digits - 1, r);
        *kpower = (int)strtol(buff + digits + 2, NULL, 10);
        for (i = digits; i >= 2; i--)
            if (buff[i] != '0')
                break;
        *nsig = i;
        *roundingwidens = 0;
        return;
    }
    int kp = (int)floor(log10(r)) - digits + 1;
    long double r_prec = r;
    if (abs(kp) <= KP_MAX) {
        if (kp > 0) r_prec /= tbl[kp];
        else if (kp < 0) r_prec *= tbl[-kp];
    } else
        r_prec /= powl(10.0L, (long double)kp);
    if (r_prec < tbl[digits - 1]) {
        r_prec *= 10.0;
        kp--;
    }
    double sig = (double)nearbyintl(r_prec);    /* R's alpha */
    *nsig = digits;
    for (int j = 1; j <= digits; j++) {
        sig /= 10.0;
        if (sig == floor(sig))
            (*nsig)--;
        else
            break;
    }
    if (*nsig == 0 && digits > 0) {
        *nsig = 1;
        kp += 1;
    }
    *kpower = kp + digits - 1;
    int rgt = digits - *kpower;
    rgt = rgt < 0 ? 0 : rgt > KP_MAX ? KP_MAX : rgt;
    double fuzz = 0.5 / (double)tbl[rgt];
    *roundingwidens = *kpower > 0 && *kpower <= KP_MAX && r < tbl[*kpower] - fuzz;
}
static int pval_group(double p, int digits, double eps)
{
    if (isnan(p) || p < eps)
        return 0;
    double expo = floor(log10(p > 0 ? p : 1e-50));
    return (expo >= -3 || (expo == -4 && digits > 1)) ? 1 : 2;
}

static int format_pval_group(rf_text *out, const double *pv, const int *group, int n, int g,
                             int digits, double *v, rf_text *t)
{
    int m = 0, nc = 0;
    for (int i = 0; i < n; i++)
        if (group[i] == g)
            v[m++] = pv[i];
    if (m == 0)
        return 0;
    rf_format(t, v, m, digits);
    m = 0;
    for (int i = 0; i < n; i++)
        if (group[i] == g) {
            out[i] = t[m++];
            if (rf_width(out[i].s) > nc)
                nc = rf_width(out[i].s);
        }
    return nc;
}
static void format_tiny_pvals(rf_text *out, const double *pv, int n, int digits, double eps,
                              int any_ok, int nc)
{
    int d = digits - 2 > 1 ? digits - 2 : 1;
    const char *sep;
    if (any_ok) {
        if (d > 1 && d + 6 > nc)
            d = nc - 7 > 1 ? nc - 7 : 1;
        sep = (d == 1 && nc <= 6) ? "" : " ";
    } else
        sep = d == 1 ? "" : " ";
    rf_text e;
    rf_format(&e, &eps, 1, d);
    for (int i = 0; i < n; i++)
        if (!isnan(pv[i]) && pv[i] < eps)
            snprintf(out[i].s, sizeof out[i].s, "<%s%.40s", sep, e.s);
}
double rf_na(void)
{
    uint64_t bits = UINT64_C(0x7FF00000000007A2);   /* exponent all ones, low word 1954 */
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

int rf_is_na(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return isnan(x) && (bits & 0xFFFFFFFFu) == 1954;
}

int rf_width(const char *s)
{
    assert(s != NULL);
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}
rf_spec rf_format_info(const double *x, int n, int digits, int scipen)
{
    assert(x != NULL || n == 0);
    rf_spec s = { 0, 0, 0 };
    int naflag = 0, nanflag = 0, posinf = 0, neginf = 0, neg = 0;
    int mnl = INT_MAX, mxl = INT_MIN, rgt = INT_MIN, mxsl = INT_MIN, mxns = INT_MIN;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            if (rf_is_na(x[i])) naflag = 1;
            else if (isnan(x[i])) nanflag = 1;
            else if (x[i] > 0) posinf = 1;
            else neginf = 1;
            continue;
        }
        int neg_i, kpower, nsig, roundingwidens;
        scientific(x[i], digits, &neg_i, &kpower, &nsig, &roundingwidens);
        int left = kpower + 1;
        if (roundingwidens)
            left--;
        int sleft = neg_i + (left <= 0 ? 1 : left);
        int right = nsig - left;
        if (neg_i) neg = 1;
        if (right > rgt) rgt = right;
        if (left > mxl) mxl = left;
        if (left < mnl) mnl = left;
        if (sleft > mxsl) mxsl = sleft;
        if (nsig > mxns) mxns = nsig;
    }
    if (digits == 0) rgt = 0;
    if (mxl < 0) mxsl = 1 + neg;
    if (rgt < 0) rgt = 0;
    int wF = mxsl + rgt + (rgt != 0);
    s.e = (mxl > 100 || mnl <= -99) ? 2 : 1;
    if (mxns != INT_MIN) {
        s.d = mxns - 1;
        s.w = neg + (s.d > 0) + s.d + 4 + s.e;
        if (wF <= s.w + scipen) {
            s.e = 0;
            s.d = rgt;
            s.w = wF;
        }
    } else
        s.w = s.d = s.e = 0;
    if (naflag && s.w < RF_NA_WIDTH) s.w = RF_NA_WIDTH;
    if (nanflag && s.w < 3) s.w = 3;
    if (posinf && s.w < 3) s.w = 3;
    if (neginf && s.w < 4) s.w = 4;
    return s;
}
void rf_encode(rf_text *out, double x, rf_spec s)
{
    assert(out != NULL);
    int w = s.w < (int)sizeof out->s - 1 ? s.w : (int)sizeof out->s - 1;
    if (x == 0.0)
        x = 0.0;
    if (!isfinite(x))
        snprintf(out->s, sizeof out->s, "%*s", w,
                 rf_is_na(x) ? "NA" : isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf");
    else if (s.e)
        snprintf(out->s, sizeof out->s, s.d ? "%#*.*e" : "%*.*e", w, s.d, x);
    else
        snprintf(out->s, sizeof out->s, "%*.*f", w, s.d, x);
}
void rf_format_ext(rf_text *out, const double *x, int n, int digits, int scipen, int trim)
{
    assert(out != NULL && (x != NULL || n == 0));
    rf_spec s = rf_format_info(x, n, digits, scipen);
    if (trim)
        s.w = 0;
    for (int i = 0; i < n; i++)
        rf_encode(&out[i], x[i], s);
}

void rf_format(rf_text *out, const double *x, int n, int digits)
{
    assert(out != NULL && (x != NULL || n == 0));
    rf_format_ext(out, x, n, digits, 0, 0);
}
void rf_formatC(rf_text *out, double x, int digits)
{
    assert(out != NULL);
    int w = digits + 1;
    if (isfinite(x))
        snprintf(out->s, sizeof out->s, "%*.*g", w, digits, x);
    else
        snprintf(out->s, sizeof out->s, "%*s", w,
                 rf_is_na(x) ? "NA" : isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf");
}
void rf_zapsmall(double *x, int n, int digits)
{
    assert(x != NULL || n == 0);
    double mx = 0;
    int any = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) {
            any = 1;
            if (fabs(x[i]) > mx)
                mx = fabs(x[i]);
        }
    if (!any)
        return;
    double d = digits;
    if (mx > 0) {
        d = digits - log10(mx);
        if (d < 0)
            d = 0;
    }
    for (int i = 0; i < n; i++)
        if (!isnan(x[i]))
            x[i] = fround(x[i], d);
}
int rf_format_pval(rf_text *out, const double *pv, int n, int digits, double eps)
{
    double v_stack[RF_PVAL_STACK];
    rf_text t_stack[RF_PVAL_STACK];
    int group_stack[RF_PVAL_STACK];
    int heap = n > RF_PVAL_STACK;
    size_t size = (size_t)(n > 0 ? n : 1);
    double *v = heap ? malloc(size * sizeof *v) : v_stack;
    rf_text *t = heap ? malloc(size * sizeof *t) : t_stack;
    int *group = heap ? malloc(size * sizeof *group) : group_stack;
    if (v == NULL || t == NULL || group == NULL) {
        free(v); free(t); free(group);      /* only when heap */
        return -1;
    }
    int nc = 0, any_ok = 0, any0 = 0;
    for (int i = 0; i < n; i++) {
        group[i] = pval_group(pv[i], digits, eps);
        any_ok |= group[i] != 0;
        any0 |= pv[i] < eps;
    }
    for (int g = 1; g <= 2; g++) {
        int w = format_pval_group(out, pv, group, n, g, digits, v, t);
        if (w > nc)
            nc = w;
    }
    if (heap) {
        free(v); free(t); free(group);
    }
    if (any0)
        format_tiny_pvals(out, pv, n, digits, eps, any_ok, nc);
    for (int i = 0; i < n; i++)
        if (isnan(pv[i]))
            snprintf(out[i].s, sizeof out[i].s, "NA");
    return 0;
}
static int index_width(long n)
{
    int w = 1;
    for (; n >= 10; n /= 10)
        w++;
    return w;
}

static int rowlab_width(const char *const *rownames, int nrow)
{
    int w = 0;
    if (rownames == NULL || nrow == 0)
        return index_width(nrow + 1) + 3;
    for (int i = 0; i < nrow; i++)
        if (rf_width(rownames[i]) > w)
            w = rf_width(rownames[i]);
    return w;
}

static void print_row_label(FILE *out, const char *const *rownames, int i, int rlabw)
{
    if (rownames == NULL)
        fprintf(out, "\n%*s[%d,]", rlabw - 3 - index_width(i + 1), "", i + 1);
    else
        fprintf(out, "\n%s%*s", rownames[i], rlabw - rf_width(rownames[i]), "");
}

static const char *col_label(char buf[32], const char *const *colnames, int j)
{
    if (colnames != NULL)
        return colnames[j];
    snprintf(buf, 32, "[,%d]", j + 1);
    return buf;
}
static int next_block(const int *w, int extra, int ncol, int jmin, int rlabw)
{
    int width = rlabw, jmax = jmin;
    do {
        width += w[jmax] + extra;
        jmax++;
    } while (jmax < ncol && width + w[jmax] + extra < RF_WIDTH);
    return jmax;
}
typedef struct coefmat_shape {
    const double *x;
    int nrow, ncol, k, has_p;
} coefmat_shape;
static void format_estimates(rf_text *cf, double *v, coefmat_shape s, int digits)
{
    const double *x = s.x;
    size_t m = (size_t)s.nrow * (size_t)s.k;
    int anyfinite = 0;
    double small = INFINITY;
    for (size_t c = 0; c < m; c++)
        if (isfinite(x[c])) {
            anyfinite = 1;
            if (x[c] != 0 && fabs(x[c]) < small)
                small = fabs(x[c]);
        }
    if (!anyfinite)
        return;
    int digmin = 1 + (isfinite(small) ? (int)floor(log10(small)) : 0);
    int dec = digits - digmin > 1 ? digits - digmin : 1;
    for (size_t c = 0; c < m; c++)
        v[c] = fround(x[c], dec);
    rf_format(cf, v, (int)m, digits);
}
static void format_statistics(rf_text *cf, double *v, coefmat_shape s, int digits,
                              int dig_tst)
{
    int nrow = s.nrow;
    for (int i = 0; i < nrow; i++)
        v[i] = fround(s.x[i + (size_t)s.k * nrow], dig_tst);
    rf_format(cf + (size_t)s.k * nrow, v, nrow, digits);
    for (int j = s.k + 1; j < s.ncol - s.has_p; j++)
        rf_format(cf + (size_t)j * nrow, s.x + (size_t)j * nrow, nrow, digits);
}
static int came_out_zero(const rf_text *cf, coefmat_shape s, int i, int j)
{
    size_t c = i + (size_t)j * s.nrow;
    return j != s.k && !isnan(s.x[c]) && (s.x[c] == 0) != (strtod(cf[c].s, NULL) == 0);
}

static void reformat_zeros(rf_text *cf, double *v, rf_text *t, coefmat_shape s, int digits)
{
    int m = 0;
    for (int j = 0; j < s.ncol - s.has_p; j++)
        for (int i = 0; i < s.nrow; i++)
            if (came_out_zero(cf, s, i, j))
                v[m++] = s.x[i + (size_t)j * s.nrow];
    if (m == 0)
        return;
    rf_format(t, v, m, digits - 1 > 1 ? digits - 1 : 1);
    m = 0;
    for (int j = 0; j < s.ncol - s.has_p; j++)
        for (int i = 0; i < s.nrow; i++)
            if (came_out_zero(cf, s, i, j))
                cf[i + (size_t)j * s.nrow] = t[m++];
}
static void write_missing(rf_text *cf, coefmat_shape s)
{
    for (size_t c = 0; c < (size_t)s.nrow * s.ncol; c++)
        if (isnan(s.x[c]))
            snprintf(cf[c].s, sizeof cf[c].s, "%s", rf_is_na(s.x[c]) ? "NA" : "NaN");
}
static int format_pvalues(rf_text *cf, double *v, rf_text *t, coefmat_shape s,
                          int dig_tst, int stars)
{
    if (!s.has_p)
        return 0;
    const double *pv = s.x + (size_t)(s.ncol - 1) * s.nrow;
    int m = 0, anysmall = 0;
    for (int i = 0; i < s.nrow; i++)
        if (!isnan(pv[i])) {
            v[m++] = pv[i];
            anysmall |= pv[i] < 0.1;
        }
    if (m > 0) {
        if (rf_format_pval(t, v, m, dig_tst, DBL_EPSILON) != 0)
            return -1;
        m = 0;
        for (int i = 0; i < s.nrow; i++)
            if (!isnan(pv[i]))
                cf[i + (size_t)(s.ncol - 1) * s.nrow] = t[m++];
    }
    stars = stars && anysmall;
    if (stars)
        rf_star_column(cf + (size_t)s.ncol * s.nrow, pv, s.nrow);
    return stars;
}
typedef struct dp_buf {
    char *s;
    size_t len, cap;
    int line;            /* characters on the current line */
    int failed;
} dp_buf;

static void dp_put(dp_buf *b, const char *t, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = 2 * (b->len + n + 1) + 64;
        char *s = realloc(b->s, cap);
        if (s == NULL) {
            b->failed = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, t, n);
    b->len += n;
    b->s[b->len] = '\0';
    b->line += (int)n;
}

static void dp_puts(dp_buf *b, const char *t) { dp_put(b, t, strlen(t)); }

static void dp_linebreak(dp_buf *b, int cutoff)
{
    if (b->line > cutoff) {
        dp_puts(b, "\n    ");
        b->line = 4;
    }
}
enum { DP_NAME, DP_NUMBER, DP_STRING, DP_OPEN, DP_CLOSE, DP_COMMA, DP_OP };

static const char *dp_token(const char *s, int *kind)
{
    static const char *const ops[] = { "||", "&&", "==", "!=", "<=", ">=", "::", "<-",
        "|", "&", "<", ">", "+", "-", "*", "/", "^", ":", "~", "!", "$", "@", "=", "?",
        NULL };
    unsigned char c = (unsigned char)*s;
    if (c == '`' || c == '"' || c == '\'') {
        const char *q = s + 1;
        while (*q && *q != (char)c)
            q += (*q == '\\' && q[1]) ? 2 : 1;
        *kind = c == '`' ? DP_NAME : DP_STRING;
        return *q ? q + 1 : q;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
        char *end;
        strtod(s, &end);
        if (*end == 'L' || *end == 'i')
            end++;
        *kind = DP_NUMBER;
        return end > s ? end : s + 1;
    }
    if (isalpha(c) || c == '.' || c == '_' || c >= 0x80) {
        const char *q = s;
        while (isalnum((unsigned char)*q) || *q == '.' || *q == '_' || (unsigned char)*q >= 0x80)
            q++;
        *kind = DP_NAME;
        return q;
    }
    if (c == '(' || c == '[' || c == '{') { *kind = DP_OPEN; return s + 1; }
    if (c == ')' || c == ']' || c == '}') { *kind = DP_CLOSE; return s + 1; }
    if (c == ',') { *kind = DP_COMMA; return s + 1; }
    if (c == '%') {
        const char *q = strchr(s + 1, '%');
        *kind = DP_OP;
        return q ? q + 1 : s + 1;
    }
    *kind = DP_OP;
    for (int k = 0; ops[k]; k++)
        if (strncmp(s, ops[k], strlen(ops[k])) == 0)
            return s + strlen(ops[k]);
    return s + 1;
}
static void dp_formula(dp_buf *b, const char *f, int cutoff)
{
    static const char *const tight[] = { "/", "^", ":", "::", "$", "@", "%%", "%/%", NULL };
    int prev = DP_OP;
    while (*f) {
        if (isspace((unsigned char)*f)) {
            f++;
            continue;
        }
        int kind;
        const char *end = dp_token(f, &kind);
        size_t n = (size_t)(end - f);
        char tok[256];
        snprintf(tok, sizeof tok, "%.*s", (int)(n < sizeof tok ? n : sizeof tok - 1), f);
        if (kind == DP_OP && !(prev == DP_OP || prev == DP_OPEN || prev == DP_COMMA)) {
            int spaced = 1;
            for (int k = 0; tight[k]; k++)
                spaced &= strcmp(tok, tight[k]) != 0;
            if (spaced) {
                dp_puts(b, " ");
                dp_puts(b, tok);
                dp_puts(b, " ");
                if (strcmp(tok, "=") != 0)
                    dp_linebreak(b, cutoff);
            } else
                dp_puts(b, tok);
        } else if (kind == DP_COMMA) {
            dp_puts(b, ", ");
            dp_linebreak(b, cutoff);
        } else if (kind == DP_NUMBER) {
            char *e;
            double x = strtod(tok, &e);
            if (*e == '\0' || (e[0] == 'L' && e[1] == '\0')) {
                rf_text t;
                rf_format_ext(&t, &x, 1, 15, 0, 1);
                dp_puts(b, t.s);
                dp_puts(b, e);
            } else
                dp_puts(b, tok);
        } else
            dp_puts(b, tok);
        prev = kind;
        f = end;
    }
}
const char rf_signif_legend[] =
    "0 \xe2\x80\x98***\xe2\x80\x99 0.001 \xe2\x80\x98**\xe2\x80\x99 0.01 "
    "\xe2\x80\x98*\xe2\x80\x99 0.05 \xe2\x80\x98.\xe2\x80\x99 0.1 "
    "\xe2\x80\x98 \xe2\x80\x99 1";

const char *rf_stars(double p)
{
    if (isnan(p)) return "";
    if (p <= 0.001) return "***";
    if (p <= 0.01) return "**";
    if (p <= 0.05) return "*";
    if (p <= 0.1) return ".";
    return " ";
}

void rf_star_column(rf_text *out, const double *pv, int n)
{
    assert(out != NULL && (pv != NULL || n == 0));
    int sw = 0;
    for (int i = 0; i < n; i++)
        if (rf_width(rf_stars(pv[i])) > sw)
            sw = rf_width(rf_stars(pv[i]));
    for (int i = 0; i < n; i++)
        snprintf(out[i].s, sizeof out[i].s, "%-*s", sw, rf_stars(pv[i]));
}
void rf_print_named(FILE *out, const double *x, const char *const *names, int n, int digits)
{
    assert(out != NULL && (x != NULL || n == 0));
    rf_spec s = rf_format_info(x, n, digits, 0);
    int w = s.w;
    for (int i = 0; i < n; i++)
        if (rf_width(names[i]) > w)
            w = rf_width(names[i]);
    s.w = w;
    int perline = RF_WIDTH / (w + RF_GAP);
    if (perline <= 0)
        perline = 1;
    for (int start = 0; start < n; start += perline) {
        int end = start + perline < n ? start + perline : n;
        if (start > 0)
            fputc('\n', out);
        for (int i = start; i < end; i++)
            fprintf(out, "%*s%s%*s", w - rf_width(names[i]), "", names[i], RF_GAP, "");
        fputc('\n', out);
        for (int i = start; i < end; i++) {
            rf_text t;
            rf_encode(&t, x[i], s);
            fprintf(out, "%s%*s", t.s, RF_GAP, "");
        }
    }
    fputc('\n', out);
}
int rf_print_matrix(FILE *out, const double *x, int nrow, int ncol,
                    const char *const *rownames, const char *const *colnames, int digits)
{
    int *w = malloc((size_t)(ncol > 0 ? ncol : 1) * sizeof *w);
    rf_spec *s = malloc((size_t)(ncol > 0 ? ncol : 1) * sizeof *s);
    if (w == NULL || s == NULL) {
        free(w); free(s);
        return -1;
    }
    int rlabw = rowlab_width(rownames, nrow);
    for (int j = 0; j < ncol; j++) {
        s[j] = rf_format_info(x + (size_t)j * nrow, nrow, digits, 0);
        char buf[32];
        int clabw = rf_width(col_label(buf, colnames, j));
        w[j] = (s[j].w > clabw ? s[j].w : clabw) + RF_GAP;
    }
    if (ncol == 0)
        fprintf(out, "%*s\n", rlabw, "");
    for (int jmin = 0, jmax; jmin < ncol; jmin = jmax) {
        jmax = next_block(w, 0, ncol, jmin, rlabw);
        fprintf(out, "%*s", rlabw, "");
        for (int j = jmin; j < jmax; j++) {
            char buf[32];
            const char *name = col_label(buf, colnames, j);
            fprintf(out, "%*s%s", w[j] - rf_width(name), "", name);
        }
        for (int i = 0; i < nrow; i++) {
            print_row_label(out, rownames, i, rlabw);
            for (int j = jmin; j < jmax; j++) {
                rf_spec sj = s[j];
                rf_text t;
                sj.w = w[j];
                rf_encode(&t, x[i + (size_t)j * nrow], sj);
                fputs(t.s, out);
            }
        }
        fputc('\n', out);
    }
    free(w);
    free(s);
    return 0;
}
int rf_print_text_matrix(FILE *out, const rf_text *cell, int nrow, int ncol,
                         const char *const *rownames, const char *const *colnames, int right)
{
    int *w = malloc((size_t)(ncol > 0 ? ncol : 1) * sizeof *w);
    if (w == NULL)
        return -1;
    int rlabw = rowlab_width(rownames, nrow);
    for (int j = 0; j < ncol; j++) {
        char buf[32];
        w[j] = rf_width(col_label(buf, colnames, j));
        for (int i = 0; i < nrow; i++)
            if (rf_width(cell[i + (size_t)j * nrow].s) > w[j])
                w[j] = rf_width(cell[i + (size_t)j * nrow].s);
    }
    if (ncol == 0)
        fprintf(out, "%*s\n", rlabw, "");
    for (int jmin = 0, jmax; jmin < ncol; jmin = jmax) {
        jmax = next_block(w, RF_GAP, ncol, jmin, rlabw);
        fprintf(out, "%*s", rlabw, "");
        for (int j = jmin; j < jmax; j++) {
            char buf[32];
            const char *name = col_label(buf, colnames, j);
            int pad = w[j] - rf_width(name);
            if (right)
                fprintf(out, "%*s%s", RF_GAP + pad, "", name);
            else
                fprintf(out, "%*s%s%*s", RF_GAP, "", name, pad, "");
        }
        for (int i = 0; i < nrow; i++) {
            print_row_label(out, rownames, i, rlabw);
            for (int j = jmin; j < jmax; j++) {
                const char *c = cell[i + (size_t)j * nrow].s;
                int pad = w[j] - rf_width(c);
                if (right)
                    fprintf(out, "%*s%s", RF_GAP + pad, "", c);
                else
                    fprintf(out, "%*s%s%*s", RF_GAP, "", c, pad, "");
            }
        }
        fputc('\n', out);
    }
    free(w);
    return 0;
}
int rf_print_coefmat(FILE *out, const double *x, int nrow, int ncol,
                     const char *const *rownames, const char *const *colnames,
                     int digits, int has_p, int stars)
{
    coefmat_shape s = { x, nrow, ncol, ncol - has_p - 1, has_p };
    int dig_tst = digits - 1 < 5 ? digits - 1 : 5;
    if (dig_tst < 1)
        dig_tst = 1;
    size_t cells = (size_t)nrow * (size_t)(ncol + 1);
    rf_text *cf = calloc(cells > 0 ? cells : 1, sizeof *cf);
    double *v = malloc((cells > 0 ? cells : 1) * sizeof *v);
    rf_text *t = malloc((cells > 0 ? cells : 1) * sizeof *t);
    const char **cn = malloc((size_t)(ncol + 1) * sizeof *cn);
    int status = -1;
    if (cf != NULL && v != NULL && t != NULL && cn != NULL) {
        format_estimates(cf, v, s, digits);
        format_statistics(cf, v, s, digits, dig_tst);
        reformat_zeros(cf, v, t, s, digits);
        write_missing(cf, s);
        stars = format_pvalues(cf, v, t, s, dig_tst, stars);
        for (int j = 0; j < ncol; j++)
            cn[j] = colnames[j];
        cn[ncol] = "";
        if (stars >= 0)
            status = rf_print_text_matrix(out, cf, nrow, ncol + stars, rownames, cn, 1);
    }
    if (status == 0 && stars)
        fprintf(out, "---\nSignif. codes:  %s\n", rf_signif_legend);
    free(cf); free(v); free(t); free(cn);
    return status;
}
char *rf_deparse_call(const char *fun, const char *formula, const char *data)
{
    dp_buf b = { NULL, 0, 0, 0, 0 };
    dp_puts(&b, fun);
    dp_puts(&b, "(formula = ");
    dp_formula(&b, formula, 60);
    dp_puts(&b, ", ");
    dp_linebreak(&b, 60);
    dp_puts(&b, "data = ");
    dp_puts(&b, data);
    dp_puts(&b, ")");
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *rf_deparse_formula(const char *formula)
{
    assert(formula != NULL);
    dp_buf b = { NULL, 0, 0, 0, 0 };
    dp_puts(&b, "");
    dp_formula(&b, formula, INT_MAX);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
