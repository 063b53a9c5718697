#line 246 "chunks/data.nw"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "data.h"

#line 393 "chunks/data.nw"
#define CSV_MAX_LINE (1L << 20)     /* bytes in one line of the file */
#line 270 "chunks/data.nw"
static int read_all(st_error *e, int fd, const char *source, char **buf, size_t *len)
{
    struct stat st;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t)st.st_size + 2;
    char *b = st_alloc_large(e, cap, 1);
    if (b == NULL)
        return e->status;
    for (;;) {
        if (cap - n < 2) {
            char *nb = st_realloc(e, b, cap, 2);
            if (nb == NULL) { free(b); return e->status; }
            b = nb;
            cap *= 2;
        }
        ssize_t k = read(fd, b + n, cap - n - 1);
        if (k == 0)
            break;
        if (k < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            free(b);
            return st_fail(e, ST_EINPUT, "%s: cannot read: %s", source, strerror(err));
        }
        n += (size_t)k;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return ST_OK;
}
#line 397 "chunks/data.nw"
static int check_bytes(st_error *e, const char *source, const char *buf, size_t len,
                       long *nlines)
{
    const char *p = buf, *end = buf + len;
    long line = 1;
    for (; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (eol - p > CSV_MAX_LINE)
            return st_fail(e, ST_EINPUT, "%s:%ld: line longer than %ld bytes "
                           "(is this a CSV file?)", source, line, CSV_MAX_LINE);
        if (memchr(p, '\0', (size_t)(eol - p)) != NULL)
            return st_fail(e, ST_EINPUT, "%s:%ld: NUL byte in the text "
                           "(is this a CSV file?)", source, line);
        p = eol + 1;
    }
    *nlines = line;
    return ST_OK;
}
#line 427 "chunks/data.nw"
typedef struct scanner {
    st_error *e;
    const char *source;
    char *p;             /* the next byte to read; the buffer ends with a NUL */
    long line;           /* the line that p is on */
    char **cell;         /* all fields, row by row */
    size_t ncell, cap;
} scanner;

static int push_cell(scanner *s, char *field)
{
    if (s->ncell == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        char **c = st_realloc(s->e, s->cell, cap, sizeof *c);
        if (c == NULL)
            return s->e->status;
        s->cell = c;
        s->cap = cap;
    }
    s->cell[s->ncell++] = field;
    return ST_OK;
}
#line 456 "chunks/data.nw"
static int scan_record(scanner *s, int *nfield, long *at)
{
    *nfield = 0;
    
#line 479 "chunks/data.nw"
for (;;) {
    if (s->p[0] == '\n') { s->p += 1; s->line++; }
    else if (s->p[0] == '\r' && s->p[1] == '\n') { s->p += 2; s->line++; }
    else break;
}
if (*s->p == '\0')
    return ST_OK;
#line 460 "chunks/data.nw"
    *at = s->line;
    for (;;) {
        char *field = s->p, *q;
        char end;
        if (*field == '"')
            
#line 511 "chunks/data.nw"
{
    char *r = field + 1, *w = field;
    long opened = s->line;
    for (;;) {
        char c = *r;
        if (c == '"') {
            if (r[1] == '"') { *w++ = '"'; r += 2; continue; }
            r++;
            break;
        }
        if (c == '\0')
            return st_fail(s->e, ST_EINPUT, "%s:%ld: unterminated quoted field "
                           "(the quote opens on this line)", s->source, opened);
        if (c == '\n')
            s->line++;
        *w++ = c;
        r++;
    }
    if (!(*r == ',' || *r == '\n' || *r == '\0' || (*r == '\r' && (r[1] == '\n' || r[1] == '\0'))))
        return st_fail(s->e, ST_EINPUT, "%s:%ld: unexpected character '%c' after a "
                       "closing quote", s->source, s->line, *r);
    *w = '\0';
    q = r;
}
#line 466 "chunks/data.nw"
        else
            
#line 492 "chunks/data.nw"
{
    q = field;
    for (;;) {
        char c = *q;
        if (c == ',' || c == '\n' || c == '\0')
            break;
        if (c == '\r' && (q[1] == '\n' || q[1] == '\0'))
            break;
        q++;
    }
}
#line 468 "chunks/data.nw"
        end = *q;
        *q = '\0';
        if (push_cell(s, field) != ST_OK)
            return s->e->status;
        ++*nfield;
        
#line 542 "chunks/data.nw"
if (end == ',') {
    s->p = q + 1;
    continue;
}
if (end == '\r')
    q++;
if (end == '\n' || *q == '\n') {
    s->line++;
    s->p = q + 1;
} else
    s->p = q;
return ST_OK;
#line 474 "chunks/data.nw"
    }
}
#line 575 "chunks/data.nw"
static char *make_name(st_error *e, const char *raw)
{
    static const char *const reserved[] = {
        "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE",
        "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_",
        "NA_character_", "NA_complex_", "in", NULL };
    size_t n = strlen(raw);
    char *name = st_alloc(e, n + 3, 1), *w = name;
    if (name == NULL)
        return NULL;
    unsigned char c0 = (unsigned char)raw[0];
    if (!(isalpha(c0) || c0 >= 128 || (c0 == '.' && !isdigit((unsigned char)raw[1]))))
        *w++ = 'X';
    for (const char *r = raw; *r; r++) {
        unsigned char c = (unsigned char)*r;
        *w++ = (isalnum(c) || c == '.' || c == '_' || c >= 128) ? (char)c : '.';
    }
    *w = '\0';
    for (int k = 0; reserved[k]; k++)
        if (strcmp(name, reserved[k]) == 0)
            strcat(name, ".");
    return name;
}
#line 619 "chunks/data.nw"
static int parse_number(const char *s, double *out)
{
    static const double pow10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    
#line 680 "chunks/data.nw"
if (p[0] == 'N' && p[1] == 'A') {
    for (p += 2; *p == ' ' || *p == '\t'; p++)
        ;
    if (*p != '\0')
        return 0;
    *out = NAN;
    return 1;
}
#line 628 "chunks/data.nw"
    
#line 634 "chunks/data.nw"
{
    const char *q = p;
    int neg = 0, ndig = 0, sig = 0, exact = 1;
    long k = 0;
    uint64_t m = 0;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-';
    for (; (unsigned)(*q - '0') < 10; q++, ndig++) {
        if (sig < 19) { m = 10 * m + (uint64_t)(*q - '0'); sig += m != 0; }
        else { k++; exact &= *q == '0'; }
    }
    if (*q == '.')
        for (q++; (unsigned)(*q - '0') < 10; q++, ndig++) {
            if (sig < 19) { m = 10 * m + (uint64_t)(*q - '0'); sig += m != 0; k--; }
            else exact &= *q == '0';
        }
    if (ndig > 0 && exact && (*q == 'e' || *q == 'E')) {
        const char *r = q + 1;
        int eneg = 0;
        long x = 0;
        if (*r == '+' || *r == '-')
            eneg = *r++ == '-';
        if ((unsigned)(*r - '0') < 10) {
            for (; (unsigned)(*r - '0') < 10; r++)
                if (x < 100000) x = 10 * x + (*r - '0');
            k += eneg ? -x : x;
            q = r;
        } else
            exact = 0;
    }
    while (*q == ' ' || *q == '\t')
        q++;
    if (ndig > 0 && exact && *q == '\0' && m <= (UINT64_C(1) << 53) && k >= -22 && k <= 22) {
        double v = (double)m;
        v = k < 0 ? v / pow10[-k] : v * pow10[k];
        *out = neg ? -v : v;
        return 1;
    }
}
#line 629 "chunks/data.nw"
    
#line 694 "chunks/data.nw"
char *end;
if (*p == '\0')
    return 0;
double v = strtod(p, &end);
if (end == p)
    return 0;
while (*end == ' ' || *end == '\t')
    end++;
if (*end != '\0')
    return 0;
*out = v;
return 1;
#line 630 "chunks/data.nw"
}
#line 711 "chunks/data.nw"
static int is_missing_text(const char *s)
{
    if (strcmp(s, "NA") == 0)
        return 1;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}
#line 731 "chunks/data.nw"
static uint64_t fnv1a(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

static int compare_levels(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}
#line 747 "chunks/data.nw"
static int make_factor(st_error *e, df_column *c, char **cell, int nrow, int ncol, int j)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)nrow)
        cap *= 2;
    int *slot = st_alloc(e, cap, sizeof *slot);          /* provisional code + 1, 0 empty */
    const char **first = st_alloc(e, (size_t)nrow + 1, sizeof *first);
    const char **sorted = NULL;
    int *rank = NULL, k = 0, status = ST_EFIT;
    c->kind = DF_FACTOR;
    c->code = st_alloc(e, (size_t)nrow, sizeof *c->code);
    if (slot == NULL || first == NULL || c->code == NULL)
        goto done;
    
#line 773 "chunks/data.nw"
for (int i = 0; i < nrow; i++) {
    const char *s = cell[(size_t)i * ncol + j];
    if (is_missing_text(s)) {
        c->code[i] = -1;
        continue;
    }
    size_t h = (size_t)fnv1a(s) & (cap - 1);
    while (slot[h] != 0 && strcmp(first[slot[h] - 1], s) != 0)
        h = (h + 1) & (cap - 1);
    if (slot[h] == 0) {
        first[k] = s;
        slot[h] = ++k;
    }
    c->code[i] = slot[h] - 1;
}
#line 761 "chunks/data.nw"
    
#line 795 "chunks/data.nw"
c->nlevels = k;
c->levels = st_alloc(e, (size_t)k + 1, sizeof *c->levels);
rank = st_alloc(e, (size_t)k + 1, sizeof *rank);
sorted = st_alloc(e, (size_t)k + 1, sizeof *sorted);
if (c->levels == NULL || rank == NULL || sorted == NULL)
    goto done;
memcpy(sorted, first, (size_t)k * sizeof *sorted);
qsort(sorted, (size_t)k, sizeof *sorted, compare_levels);
for (int r = 0; r < k; r++) {
    size_t h = (size_t)fnv1a(sorted[r]) & (cap - 1);
    while (strcmp(first[slot[h] - 1], sorted[r]) != 0)
        h = (h + 1) & (cap - 1);
    rank[slot[h] - 1] = r;
    if ((c->levels[r] = st_strdup(e, sorted[r])) == NULL)
        goto done;
}
for (int i = 0; i < nrow; i++)
    if (c->code[i] >= 0)
        c->code[i] = rank[c->code[i]];
#line 762 "chunks/data.nw"
    status = ST_OK;
done:
    free(slot);
    free(first);
    free(rank);
    free(sorted);
    return status;
}
#line 826 "chunks/data.nw"
static int type_columns(st_error *e, df_frame *df, char **cell)
{
    int nrow = df->nrow, ncol = df->ncol;
    for (int j = 0; j < ncol; j++) {
        df->col[j].kind = DF_NUMERIC;
        if ((df->col[j].num = st_alloc_large(e, (size_t)nrow, sizeof(double))) == NULL)
            return e->status;
    }
    for (int i = 0; i < nrow; i++)
        for (int j = 0; j < ncol; j++) {
            df_column *c = &df->col[j];
            const char *s = cell[(size_t)i * ncol + j];
            if (c->kind != DF_NUMERIC)
                continue;
            if (is_missing_text(s))
                c->num[i] = NAN;
            else if (!parse_number(s, &c->num[i])) {
                c->kind = DF_FACTOR;
                c->text_line = df->line[i];
                free(c->num);
                c->num = NULL;
                if ((c->text = st_strdup(e, s)) == NULL)
                    return e->status;
            }
        }
    for (int j = 0; j < ncol; j++)
        if (df->col[j].kind == DF_FACTOR
            && make_factor(e, &df->col[j], cell, nrow, ncol, j) != ST_OK)
            return e->status;
    return ST_OK;
}
#line 311 "chunks/data.nw"
int df_read(st_error *e, const char *arg, df_frame **out)
{
    char *buf = NULL;
    size_t len = 0;
    int status;
    if (strcmp(arg, "-") == 0) {
        status = read_all(e, 0, "stdin", &buf, &len);
        if (status == ST_OK)
            status = df_parse(e, "stdin", buf, len, out);
        free(buf);
        return status;
    }
    int fd = open(arg, O_RDONLY);
    if (fd >= 0) {
        status = read_all(e, fd, arg, &buf, &len);
        close(fd);
        if (status == ST_OK)
            status = df_parse(e, arg, buf, len, out);
        free(buf);
        return status;
    }
    int err = errno;
    if (err == ENOENT && strchr(arg, '/') == NULL)
        for (const df_dataset *d = df_datasets; d->name != NULL; d++)
            if (strcmp(d->name, arg) == 0)
                
#line 358 "chunks/data.nw"
{
    for (const char *const *piece = d->text; *piece != NULL; piece++)
        len += strlen(*piece);
    buf = st_alloc(e, len + 1, 1);
    if (buf == NULL)
        return e->status;
    len = 0;
    for (const char *const *piece = d->text; *piece != NULL; piece++) {
        size_t k = strlen(*piece);
        memcpy(buf + len, *piece, k);
        len += k;
    }
    buf[len] = '\0';
    status = df_parse(e, d->name, buf, len, out);
    free(buf);
    if (status == ST_OK && d->levels != NULL
        && (status = df_order_levels(e, *out, d->levels)) != ST_OK) {
        df_free(*out);
        *out = NULL;
    }
    return status;
}
#line 337 "chunks/data.nw"
    
#line 342 "chunks/data.nw"
if (err == ENOENT && strchr(arg, '/') == NULL) {
    char names[512] = "";
    for (const df_dataset *d = df_datasets; d->name != NULL; d++) {
        if (strlen(names) + strlen(d->name) + 3 >= sizeof names)
            break;
        if (names[0] != '\0')
            strcat(names, ", ");
        strcat(names, d->name);
    }
    return st_fail(e, ST_EINPUT, "%s: no such file, nor a data set that ships with "
                   "the programs (%s)", arg, names);
}
return st_fail(e, ST_EINPUT, "%s: cannot open: %s", arg, strerror(err));
#line 338 "chunks/data.nw"
}
#line 865 "chunks/data.nw"
int df_parse(st_error *e, const char *source, char *buf, size_t len, df_frame **out)
{
    scanner s = { e, source, buf, 1, NULL, 0, 0 };
    df_frame *df = NULL;
    long *line = NULL;
    size_t nline = 0;
    int ncol = 0, nfield;
    long header_line, nlines = 0;
    *out = NULL;
    buf[len] = '\0';
    if (check_bytes(e, source, buf, len, &nlines) != ST_OK)
        return e->status;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3;
    
#line 895 "chunks/data.nw"
if (scan_record(&s, &ncol, &header_line) != ST_OK)
    goto fail;
if (ncol == 0) {
    st_fail(e, ST_EINPUT, "%s:1: empty file (expected a header line of column names)",
            source);
    goto fail;
}
#line 910 "chunks/data.nw"
{
    size_t cap = (size_t)(nlines + 1) * (size_t)ncol;
    char **cell = st_alloc_large(e, cap, sizeof *cell);
    if (cell == NULL)
        goto fail;
    memcpy(cell, s.cell, (size_t)ncol * sizeof *cell);
    free(s.cell);
    s.cell = cell;
    s.cap = cap;
    if ((line = st_alloc_large(e, (size_t)nlines, sizeof *line)) == NULL)
        goto fail;
}
#line 880 "chunks/data.nw"
    
#line 925 "chunks/data.nw"
for (;;) {
    long at;
    if (scan_record(&s, &nfield, &at) != ST_OK)
        goto fail;
    if (nfield == 0)
        break;
    if (nfield != ncol) {
        st_fail(e, ST_EINPUT, "%s:%ld: expected %d fields as in the header, found %d",
                source, at, ncol, nfield);
        goto fail;
    }
    if (nline == INT32_MAX - 1) {
        st_fail(e, ST_EINPUT, "%s:%ld: too many rows", source, at);
        goto fail;
    }
    line[nline++] = at;
}
if (nline == 0) {
    st_fail(e, ST_EINPUT, "%s:%ld: no data rows after the header", source, s.line);
    goto fail;
}
#line 881 "chunks/data.nw"
    
#line 949 "chunks/data.nw"
df = st_alloc(e, 1, sizeof *df);
if (df == NULL)
    goto fail;
df->nrow = (int)nline;
df->ncol = ncol;
df->source = st_strdup(e, source);
df->col = st_alloc(e, (size_t)ncol, sizeof *df->col);
if (df->source == NULL || df->col == NULL)
    goto fail;
for (int j = 0; j < ncol; j++)
    if ((df->col[j].name = make_name(e, s.cell[j])) == NULL)
        goto fail;
#line 974 "chunks/data.nw"
{
    char **names = st_alloc(e, (size_t)ncol, sizeof *names);
    if (names == NULL)
        goto fail;
    for (int j = 0; j < ncol; j++)
        names[j] = df->col[j].name;
    qsort(names, (size_t)ncol, sizeof *names, compare_levels);
    for (int j = 1; j < ncol; j++)
        if (strcmp(names[j - 1], names[j]) == 0) {
            st_fail(e, ST_EINPUT, "%s:%ld: duplicate column name \"%s\"", source,
                    header_line, names[j]);
            free(names);
            goto fail;
        }
    free(names);
}
#line 962 "chunks/data.nw"
df->line = line;
line = NULL;
if (type_columns(e, df, s.cell + ncol) != ST_OK)
    goto fail;
#line 882 "chunks/data.nw"
    free(s.cell);
    free(line);
    *out = df;
    return ST_OK;
fail:
    free(s.cell);
    free(line);
    df_free(df);
    return e->status;
}
#line 996 "chunks/data.nw"
void df_free(df_frame *df)
{
    if (df == NULL)
        return;
    for (int j = 0; df->col != NULL && j < df->ncol; j++) {
        df_column *c = &df->col[j];
        free(c->name);
        free(c->num);
        free(c->code);
        for (int l = 0; c->levels != NULL && l < c->nlevels; l++)
            free(c->levels[l]);
        free(c->levels);
        free(c->text);
    }
    free(df->col);
    free(df->line);
    free(df->source);
    free(df);
}

int df_column_index(const df_frame *df, const char *name)
{
    for (int j = 0; j < df->ncol; j++)
        if (strcmp(df->col[j].name, name) == 0)
            return j;
    return -1;
}

int df_missing(const df_column *c, int i)
{
    return c->kind == DF_NUMERIC ? isnan(c->num[i]) : c->code[i] < 0;
}
#line 1159 "chunks/data.nw"
static int order_one_column(st_error *e, df_frame *df, const char *line)
{
    const char *tab = strchr(line, '\t');
    size_t len = strcspn(line, "\n");
    if (tab == NULL || (size_t)(tab - line) >= len)
        return st_fail(e, ST_EFIT, "%s: bad line in the levels of the data set", df->source);
    df_column *c = NULL;
    for (int j = 0; j < df->ncol; j++)
        if (strlen(df->col[j].name) == (size_t)(tab - line)
            && strncmp(df->col[j].name, line, (size_t)(tab - line)) == 0)
            c = &df->col[j];
    if (c == NULL || c->kind != DF_FACTOR)
        return st_fail(e, ST_EFIT, "%s: column %.*s of the recorded levels is not a "
                       "factor", df->source, (int)(tab - line), line);
    int k = c->nlevels, *newcode = st_alloc(e, (size_t)k + 1, sizeof *newcode), m = 0;
    char **lev = st_alloc(e, (size_t)k + 1, sizeof *lev);
    if (newcode == NULL || lev == NULL) {
        free(newcode);
        free(lev);
        return e->status;
    }
    for (int l = 0; l < k; l++)
        newcode[l] = -1;
    for (const char *p = tab + 1; p < line + len && m <= k; ) {
        size_t w = strcspn(p, "\t\n");
        int found = -1;
        for (int l = 0; l < k && found < 0; l++)
            if (strlen(c->levels[l]) == w && strncmp(c->levels[l], p, w) == 0)
                found = l;
        if (found < 0 || newcode[found] >= 0 || m == k)
            break;
        newcode[found] = m;
        lev[m++] = c->levels[found];
        p += w + (p[w] == '\t');
    }
    if (m != k) {
        free(newcode);
        free(lev);
        return st_fail(e, ST_EFIT, "%s: the recorded levels of column %s are not its "
                       "levels", df->source, c->name);
    }
    for (int i = 0; i < df->nrow; i++)
        if (c->code[i] >= 0)
            c->code[i] = newcode[c->code[i]];
    memcpy(c->levels, lev, (size_t)k * sizeof *lev);
    free(newcode);
    free(lev);
    return ST_OK;
}

int df_order_levels(st_error *e, df_frame *df, const char *const *levels)
{
    for (const char *const *line = levels; *line != NULL; line++)
        if (order_one_column(e, df, *line) != ST_OK)
            return e->status;
    return ST_OK;
}
