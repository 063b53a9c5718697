#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "data.h"
#include "numutil.h"

#define CSV_MAX_LINE (1L << 20)     /* bytes in one line of the file */
#define LETTER_PRIMARY(k) (256u + 8u * (unsigned)(k))
static int refuse_nul(st_error *e, const char *source, const char *b, size_t from,
                      size_t to)
{
    const char *z = memchr(b + from, '\0', to - from);
    if (z == NULL)
        return ST_OK;
    long line = 1;
    for (const char *p = b; p < z; p++)
        line += *p == '\n';
    return st_fail(e, ST_EINPUT, "%s:%ld: NUL byte in the text (is this a CSV file?)",
                   source, line);
}

static int refuse_compressed(st_error *e, const char *source, const unsigned char *b,
                             size_t n)
{
    static const struct { const char *magic; size_t len; const char *kind, *pipe; } z[] = {
        { "\x1f\x8b", 2, "gzip", "pipe=zcat" }, { "BZh", 3, "bzip2", "pipe=bzcat" },
        { "\xfd" "7zXZ", 5, "xz", "pipe=xzcat" },
        { "\x28\xb5\x2f\xfd", 4, "zstd", "pipe=zstdcat" },
        { "PK\x03\x04", 4, "zip", "pipe=unzip -p" } };
    for (size_t k = 0; k < sizeof z / sizeof z[0]; k++)
        if (n >= z[k].len && memcmp(b, z[k].magic, z[k].len) == 0) {
            st_fail(e, ST_EINPUT, "%s: a %s-compressed file, which is not read: decompress "
                    "it, or pipe it in as standard input", source, z[k].kind);
            e->advice = z[k].pipe;
            return e->status;
        }
    return ST_OK;
}

static int refuse_too_big(st_error *e, const char *source, const df_options *opt)
{
    st_fail(e, ST_EINPUT, "%s: more than %g MB of input, the limit (is this a CSV file? "
            "raise the limit)", source, opt->max_mb);
    e->advice = "max_mb";
    return e->status;
}

static int read_all(st_error *e, int fd, const char *source, const df_options *opt,
                    char **buf, size_t *len)
{
    struct stat st;
    size_t cap = 1 << 16, n = 0;
    double max = opt->max_mb * 1048576.0;
    size_t limit = max >= (double)(SIZE_MAX / 2) ? SIZE_MAX / 2 : (size_t)max;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
        return st_fail(e, ST_EINPUT, "%s: is a directory, not a CSV file", source);
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((uintmax_t)st.st_size > (uintmax_t)limit)
            return refuse_too_big(e, source, opt);
        cap = (size_t)st.st_size + 2;
    }
    char *b = st_alloc_large(e, cap, 1);
    if (b == NULL)
        return e->status;
    for (;;) {
        if (cap - n < 2) {
            if (n > limit) { free(b); return refuse_too_big(e, source, opt); }
            size_t grow = cap > limit / 2 + 2 ? limit + 2 : 2 * cap;
            char *nb = st_realloc(e, b, grow, 1);
            if (nb == NULL) { free(b); return e->status; }
            b = nb;
            cap = grow;
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
        if ((n == 0 && refuse_compressed(e, source, (unsigned char *)b, (size_t)k))
            || refuse_nul(e, source, b, n, n + (size_t)k)) {
            free(b);
            return e->status;
        }
        n += (size_t)k;
        if (n > limit) { free(b); return refuse_too_big(e, source, opt); }
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return ST_OK;
}
static int is_gzip(int fd)
{
    unsigned char m[2];
    return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}
static _Noreturn void gzip_child(int fd, const int out[2], const int err[2])
{
    char *const argv[] = { "gzip", "-dc", NULL };
    if (dup2(fd, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
        _exit(127);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    if (fd > 2)
        close(fd);
    execvp("gzip", argv);
    {
        static const char cannot[] = "cannot run gzip\n";
        ssize_t w = write(2, cannot, sizeof cannot - 1);
        (void)w;
    }
    _exit(127);
}
static int gzip_failed(st_error *e, const char *source, char *msg, size_t k, int ws,
                       char **buf)
{
    msg[k] = '\0';
    char *why = msg + strspn(msg, " \t\n");
    if (strncmp(why, "gzip: ", 6) == 0)
        why += 6;
    if (strncmp(why, "stdin: ", 7) == 0)
        why += 7;
    why[strcspn(why, "\n")] = '\0';
    for (char *c = why; *c != '\0'; c++)
        if ((unsigned char)*c < 32 || *c == 127)
            *c = ' ';
    if (*why == '\0')
        why = WIFSIGNALED(ws) ? "gzip was stopped by a signal" : "gzip failed";
    free(*buf);
    *buf = NULL;
    return st_fail(e, ST_EINPUT, "%s: a gzip-compressed file that cannot be decompressed: %s",
                   source, why);
}
static int read_gzip(st_error *e, int fd, const char *source, const df_options *opt,
                     char **buf, size_t *len)
{
    int out[2], err[2];
    if (pipe(out) != 0)
        return st_fail(e, ST_EINPUT, "%s: cannot decompress: %s", source, strerror(errno));
    if (pipe(err) != 0) {
        int k = errno;
        close(out[0]);
        close(out[1]);
        return st_fail(e, ST_EINPUT, "%s: cannot decompress: %s", source, strerror(k));
    }
    pid_t pid = fork();
    if (pid == 0)
        gzip_child(fd, out, err);
    int fork_errno = errno;
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        close(out[0]);
        close(err[0]);
        return st_fail(e, ST_EINPUT, "%s: cannot decompress: %s", source,
                       strerror(fork_errno));
    }
    int status = read_all(e, out[0], source, opt, buf, len);
    close(out[0]);
    char msg[256];
    size_t k = 0;
    for (ssize_t got; k < sizeof msg - 1
                      && ((got = read(err[0], msg + k, sizeof msg - 1 - k)) > 0
                          || (got < 0 && errno == EINTR)); )
        k += got > 0 ? (size_t)got : 0;
    close(err[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (status != ST_OK)
        return status;
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        return gzip_failed(e, source, msg, k, ws, buf);
    return ST_OK;
}
static size_t normalize_line_ends(char *buf, size_t len)
{
    char *r = memchr(buf, '\r', len), *end = buf + len, *w;
    if (r == NULL)
        return len;
    for (w = r; r < end; r++) {
        if (*r == '\r') {
            *w++ = '\n';
            if (r + 1 < end && r[1] == '\n')
                r++;
        } else
            *w++ = *r;
    }
    *w = '\0';
    return (size_t)(w - buf);
}
static int check_bytes(st_error *e, const char *source, const char *buf, size_t len,
                       long *nlines)
{
    const char *p = buf, *end = buf + len;
    long line = 1, full = 0;
    for (; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (eol - p > CSV_MAX_LINE)
            return st_fail(e, ST_EINPUT, "%s:%ld: line longer than %ld bytes "
                           "(is this a CSV file?)", source, line, CSV_MAX_LINE);
        if (memchr(p, '\0', (size_t)(eol - p)) != NULL)
            return st_fail(e, ST_EINPUT, "%s:%ld: NUL byte in the text "
                           "(is this a CSV file?)", source, line);
        full += eol > p;
        p = eol + 1;
    }
    *nlines = full;
    return ST_OK;
}
typedef struct scanner {
    st_error *e;
    const char *source;
    char *p;             /* the next byte to read; the buffer ends with a NUL */
    long line;           /* the line that p is on */
    char **cell;         /* all fields, row by row */
    size_t ncell, cap;
    char sep;            /* the field separator */
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
static int scan_record(scanner *s, int *nfield, long *at)
{
    *nfield = 0;
    while (*s->p == '\n') {
        s->p++;
        s->line++;
    }
    if (*s->p == '\0')
        return ST_OK;
    *at = s->line;
    for (;;) {
        char *field = s->p, *r = field, *w = field;
        for (;;) {
            char c = *r;
            if (c == s->sep || c == '\n' || c == '\0')
                break;
            if (c != '"') {
                *w++ = c;
                r++;
                continue;
            }
            long opened = s->line;
            for (r++;; r++) {
                c = *r;
                if (c == '"') {
                    if (r[1] != '"')
                        break;
                    r++;
                } else if (c == '\0')
                    return st_fail(s->e, ST_EINPUT, "%s:%ld: unterminated quoted field "
                                   "(the quote opens on this line)", s->source, opened);
                else if (c == '\n')
                    s->line++;
                *w++ = c;
            }
            r++;
        }
        char end = *r;
        *w = '\0';
        if (push_cell(s, field) != ST_OK)
            return s->e->status;
        ++*nfield;
        if (end == s->sep) {
            s->p = r + 1;
            continue;
        }
        if (end == '\n') {
            s->line++;
            s->p = r + 1;
        } else
            s->p = r;
        return ST_OK;
    }
}
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
typedef struct name_slot {
    const char *name;    /* NULL: empty */
    long next;           /* for the first of equal names: the next suffix to try */
} name_slot;

static name_slot *find_name(name_slot *t, size_t cap, const char *name)
{
    size_t h = (size_t)st_hash(name) & (cap - 1);
    while (t[h].name != NULL && strcmp(t[h].name, name) != 0)
        h = (h + 1) & (cap - 1);
    return &t[h];
}

static int make_unique_names(st_error *e, df_frame *df, char *const *raw)
{
    int n = df->ncol, k = 0, status = ST_EFIT;
    size_t cap = 16;
    while (cap < 4 * (size_t)n)
        cap *= 2;
    name_slot *t = st_alloc(e, cap, sizeof *t);
    int *order = st_alloc(e, (size_t)n, sizeof *order);
    long *first = st_alloc(e, (size_t)n, sizeof *first);
    if (t == NULL || order == NULL || first == NULL)
        goto done;
    for (int changed = 0; changed < 2; changed++)
        for (int j = 0; j < n; j++)
            if ((strcmp(raw[j], df->col[j].name) != 0) == changed)
                order[k++] = j;
    for (int i = 0; i < n; i++) {
        name_slot *slot = find_name(t, cap, df->col[order[i]].name);
        first[i] = slot->name == NULL ? -1 : slot - t;
        if (slot->name == NULL) {
            slot->name = df->col[order[i]].name;
            slot->next = 1;
        }
    }
    for (int i = 0; i < n; i++)
        if (first[i] >= 0) {
            df_column *c = &df->col[order[i]];
            size_t len = strlen(c->name) + 24;
            char *name = st_alloc(e, len, 1);
            if (name == NULL)
                goto done;
            name_slot *slot, *head = &t[first[i]];
            long next = head->next;
            for (;; next++) {
                snprintf(name, len, "%s.%ld", c->name, next);
                if ((slot = find_name(t, cap, name))->name == NULL)
                    break;
            }
            head->next = next + 1;
            free(c->name);
            c->name = name;
            slot->name = name;
            slot->next = 1;
        }
    status = ST_OK;
done:
    free(t);
    free(order);
    free(first);
    return status;
}
static int fast_number(const char *p, char dec, double *out)
{
    static const double pow10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
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
        if (*q == dec)
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
    return 0;
}
static int strtod_number(const char *p, char dec, double *out)
{
    char *end, copy[512];
    if (*p == '\0')
        return 0;
    if (dec != '.') {
        size_t n = strlen(p);
        if (n >= sizeof copy || strchr(p, '.') != NULL)
            return 0;
        memcpy(copy, p, n + 1);
        char *d = strchr(copy, dec);
        if (d != NULL)
            *d = '.';
        p = copy;
    }
    double v = strtod(p, &end);
    if (end == p)
        return 0;
    if (isnan(v) && memchr(p, '(', (size_t)(end - p)) != NULL)
        return 0;
    if ((*end == 'e' || *end == 'E') && (isdigit((unsigned char)end[-1]) || end[-1] == '.')) {
        char *x = end + 1;
        if (*x == '+' || *x == '-')
            x++;
        if (!isdigit((unsigned char)*x))
            end = x;
    }
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end != '\0')
        return 0;
    *out = v;
    return 1;
}
static int parse_number(const char *s, char dec, double *out)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (p[0] == 'N' && p[1] == 'A') {
        for (p += 2; *p == ' ' || *p == '\t'; p++)
            ;
        if (*p != '\0')
            return 0;
        *out = NAN;
        return strcmp(s, "NA") == 0 ? 1 : 2;
    }
    if (fast_number(p, dec, out))
        return 1;
    return strtod_number(p, dec, out);
}
static int is_missing_text(const char *s)
{
    if (strcmp(s, "NA") == 0)
        return 1;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}
typedef struct coll_ce { unsigned p, s, t; } coll_ce;   /* primary, secondary, tertiary */

static unsigned ascii_primary(unsigned char c)
{
    static const unsigned char primary[128] = {
         0,  0,  0,  0,  0,  0,  0,  0,  0,  1,  2,  3,  4,  5,  0,  0,
         0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
         6, 12, 16, 28, 38, 29, 27, 15, 17, 18, 24, 32,  9,  8, 14, 25,
        39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 11, 10, 33, 34, 35, 13,
        23, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 19, 26, 20, 31,  7,
        30, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 21, 36, 22, 37,  0 };
    unsigned w = primary[c];
    return w >= 49 ? LETTER_PRIMARY(w - 49) : 4 * w;
}
static int ascii_ces(unsigned char c, coll_ce *ce)
{
    unsigned p = ascii_primary(c);
    if (p == 0)
        return 0;
    *ce = (coll_ce){ p, 1, c >= 'A' && c <= 'Z' ? 3u : 1u };
    return 1;
}
/* The base letters, secondary weight and kind of U+00C0 to U+017F (see above). */
static const struct { char base[3]; unsigned char sec, kind; } latin_table[192] = {
    { "A", 3, 0 }, { "A", 2, 0 }, { "A", 5, 0 }, { "A", 10, 0 }, { "A", 8, 0 },
    { "A", 7, 0 }, { "AE", 0, 1 }, { "C", 12, 0 }, { "E", 3, 0 }, { "E", 2, 0 },
    { "E", 5, 0 }, { "E", 8, 0 }, { "I", 3, 0 }, { "I", 2, 0 }, { "I", 5, 0 },
    { "I", 8, 0 }, { "D", 16, 0 }, { "N", 10, 0 }, { "O", 3, 0 }, { "O", 2, 0 },
    { "O", 5, 0 }, { "O", 10, 0 }, { "O", 8, 0 }, { "+", 2, 5 }, { "O", 14, 0 },
    { "U", 3, 0 }, { "U", 2, 0 }, { "U", 5, 0 }, { "U", 8, 0 }, { "Y", 2, 0 },
    { "Z", 0, 2 }, { "ss", 17, 1 }, { "a", 3, 0 }, { "a", 2, 0 }, { "a", 5, 0 },
    { "a", 10, 0 }, { "a", 8, 0 }, { "a", 7, 0 }, { "ae", 0, 1 }, { "c", 12, 0 },
    { "e", 3, 0 }, { "e", 2, 0 }, { "e", 5, 0 }, { "e", 8, 0 }, { "i", 3, 0 },
    { "i", 2, 0 }, { "i", 5, 0 }, { "i", 8, 0 }, { "d", 16, 0 }, { "n", 10, 0 },
    { "o", 3, 0 }, { "o", 2, 0 }, { "o", 5, 0 }, { "o", 10, 0 }, { "o", 8, 0 },
    { "+", 1, 5 }, { "o", 14, 0 }, { "u", 3, 0 }, { "u", 2, 0 }, { "u", 5, 0 },
    { "u", 8, 0 }, { "y", 2, 0 }, { "z", 0, 2 }, { "y", 8, 0 }, { "A", 15, 0 },
    { "a", 15, 0 }, { "A", 4, 0 }, { "a", 4, 0 }, { "A", 13, 0 }, { "a", 13, 0 },
    { "C", 2, 0 }, { "c", 2, 0 }, { "C", 5, 0 }, { "c", 5, 0 }, { "C", 11, 0 },
    { "c", 11, 0 }, { "C", 6, 0 }, { "c", 6, 0 }, { "D", 6, 0 }, { "d", 6, 0 },
    { "D", 14, 0 }, { "d", 14, 0 }, { "E", 15, 0 }, { "e", 15, 0 }, { "E", 4, 0 },
    { "e", 4, 0 }, { "E", 11, 0 }, { "e", 11, 0 }, { "E", 13, 0 }, { "e", 13, 0 },
    { "E", 6, 0 }, { "e", 6, 0 }, { "G", 5, 0 }, { "g", 5, 0 }, { "G", 4, 0 },
    { "g", 4, 0 }, { "G", 11, 0 }, { "g", 11, 0 }, { "G", 12, 0 }, { "g", 12, 0 },
    { "H", 5, 0 }, { "h", 5, 0 }, { "H", 14, 0 }, { "h", 14, 0 }, { "I", 10, 0 },
    { "i", 10, 0 }, { "I", 15, 0 }, { "i", 15, 0 }, { "I", 4, 0 }, { "i", 4, 0 },
    { "I", 13, 0 }, { "i", 13, 0 }, { "I", 11, 0 }, { "i", 0, 2 }, { "IJ", 0, 4 },
    { "ij", 0, 4 }, { "J", 5, 0 }, { "j", 5, 0 }, { "K", 12, 0 }, { "k", 12, 0 },
    { "q", 0, 2 }, { "L", 2, 0 }, { "l", 2, 0 }, { "L", 12, 0 }, { "l", 12, 0 },
    { "L", 6, 0 }, { "l", 6, 0 }, { "L", 17, 0 }, { "l", 17, 0 }, { "L", 14, 0 },
    { "l", 14, 0 }, { "N", 2, 0 }, { "n", 2, 0 }, { "N", 12, 0 }, { "n", 12, 0 },
    { "N", 6, 0 }, { "n", 6, 0 }, { "z", 0, 3 }, { "N", 0, 2 }, { "n", 0, 2 },
    { "O", 15, 0 }, { "o", 15, 0 }, { "O", 4, 0 }, { "o", 4, 0 }, { "O", 9, 0 },
    { "o", 9, 0 }, { "OE", 0, 1 }, { "oe", 0, 1 }, { "R", 2, 0 }, { "r", 2, 0 },
    { "R", 12, 0 }, { "r", 12, 0 }, { "R", 6, 0 }, { "r", 6, 0 }, { "S", 2, 0 },
    { "s", 2, 0 }, { "S", 5, 0 }, { "s", 5, 0 }, { "S", 12, 0 }, { "s", 12, 0 },
    { "S", 6, 0 }, { "s", 6, 0 }, { "T", 12, 0 }, { "t", 12, 0 }, { "T", 6, 0 },
    { "t", 6, 0 }, { "T", 0, 2 }, { "t", 0, 2 }, { "U", 10, 0 }, { "u", 10, 0 },
    { "U", 15, 0 }, { "u", 15, 0 }, { "U", 4, 0 }, { "u", 4, 0 }, { "U", 7, 0 },
    { "u", 7, 0 }, { "U", 9, 0 }, { "u", 9, 0 }, { "U", 13, 0 }, { "u", 13, 0 },
    { "W", 5, 0 }, { "w", 5, 0 }, { "Y", 5, 0 }, { "y", 5, 0 }, { "Y", 8, 0 },
    { "Z", 2, 0 }, { "z", 2, 0 }, { "Z", 11, 0 }, { "z", 11, 0 }, { "Z", 6, 0 },
    { "z", 6, 0 }, { "s", 18, 0 }
};

static int latin_ces(unsigned cp, coll_ce *ce)
{
    if (cp < 0xC0 || cp > 0x17F)
        return 0;
    const char *b = latin_table[cp - 0xC0].base;
    unsigned sec = latin_table[cp - 0xC0].sec, kind = latin_table[cp - 0xC0].kind;
    unsigned t = (unsigned)(b[0] >= 'A' && b[0] <= 'Z') * 2 + 1;   /* 1 small, 3 capital */
    switch (kind) {
    case 0:
        ce[0] = (coll_ce){ ascii_primary((unsigned char)b[0]), 1, t };
        if (sec == 0)
            return 1;
        ce[1] = (coll_ce){ 0, sec, 1 };
        return 2;
    case 1:
        ce[0] = (coll_ce){ ascii_primary((unsigned char)b[0]), 1, t + 1 };
        ce[1] = (coll_ce){ 0, sec != 0 ? sec : 19, t + 1 };
        ce[2] = (coll_ce){ ascii_primary((unsigned char)b[1]), 1, t + 1 };
        return 3;
    case 2:
    case 3:
        ce[0] = (coll_ce){ ascii_primary((unsigned char)b[0]) + (kind == 2 ? 4 : 6), 1, t };
        return 1;
    case 5:
        ce[0] = (coll_ce){ ascii_primary((unsigned char)b[0]) + sec, 1, 1 };
        return 1;
    default:
        ce[0] = (coll_ce){ ascii_primary((unsigned char)b[0]), 1, t + 1 };
        ce[1] = (coll_ce){ ascii_primary((unsigned char)b[1]), 1, t + 1 };
        return 2;
    }
}
static int next_ces(const unsigned char **x, coll_ce *ce)
{
    const unsigned char *c = *x;
    if (*c < 128) {
        *x = c + 1;
        return ascii_ces(*c, ce);
    }
    if (*c >= 0xC3 && *c <= 0xC5 && (c[1] & 0xC0) == 0x80) {
        int k = latin_ces(((unsigned)(*c & 0x1F) << 6) | (c[1] & 0x3F), ce);
        if (k > 0) {
            *x = c + 2;
            return k;
        }
    }
    *x = c + 1;
    *ce = (coll_ce){ 1000u + *c, 1, 1 };
    return 1;
}
typedef struct coll_iter {
    const unsigned char *x;
    coll_ce ce[3];
    int n, k;                      /* elements of the current character, and the next */
} coll_iter;

static unsigned next_weight(coll_iter *it, int level)
{
    for (;;) {
        while (it->k < it->n) {
            const coll_ce *c = &it->ce[it->k++];
            unsigned w = level == 0 ? c->p : level == 1 ? c->s : c->t;
            if (w != 0)
                return w;
        }
        if (*it->x == '\0')
            return 0;
        it->n = next_ces(&it->x, it->ce);
        it->k = 0;
    }
}

int df_level_compare(const char *a, const char *b)
{
    assert(a != NULL);
    assert(b != NULL);
    for (int level = 0; level < 3; level++) {
        coll_iter x = { (const unsigned char *)a, { { 0, 0, 0 } }, 0, 0 };
        coll_iter y = { (const unsigned char *)b, { { 0, 0, 0 } }, 0, 0 };
        for (;;) {
            unsigned wx = next_weight(&x, level), wy = next_weight(&y, level);
            if (wx != wy)
                return wx < wy ? -1 : 1;
            if (wx == 0)
                break;
        }
    }
    return strcmp(a, b);
}

static int compare_labels(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return df_level_compare(*x, *y);
}

void df_sort_levels(const char **labels, size_t n)
{
    assert(labels != NULL || n == 0);
    qsort(labels, n, sizeof *labels, compare_labels);
}

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
    for (int i = 0; i < nrow; i++) {
        const char *s = cell[(size_t)i * ncol + j];
        if (is_missing_text(s)) {
            c->code[i] = -1;
            continue;
        }
        size_t h = (size_t)st_hash(s) & (cap - 1);
        while (slot[h] != 0 && strcmp(first[slot[h] - 1], s) != 0)
            h = (h + 1) & (cap - 1);
        if (slot[h] == 0) {
            first[k] = s;
            slot[h] = ++k;
        }
        c->code[i] = slot[h] - 1;
    }
    c->nlevels = k;
    c->levels = st_alloc(e, (size_t)k + 1, sizeof *c->levels);
    rank = st_alloc(e, (size_t)k + 1, sizeof *rank);
    sorted = st_alloc(e, (size_t)k + 1, sizeof *sorted);
    if (c->levels == NULL || rank == NULL || sorted == NULL)
        goto done;
    memcpy(sorted, first, (size_t)k * sizeof *sorted);
    df_sort_levels(sorted, (size_t)k);
    for (int r = 0; r < k; r++) {
        size_t h = (size_t)st_hash(sorted[r]) & (cap - 1);
        while (strcmp(first[slot[h] - 1], sorted[r]) != 0)
            h = (h + 1) & (cap - 1);
        rank[slot[h] - 1] = r;
        if ((c->levels[r] = st_strdup(e, sorted[r])) == NULL)
            goto done;
    }
    for (int i = 0; i < nrow; i++)
        if (c->code[i] >= 0)
            c->code[i] = rank[c->code[i]];
    status = ST_OK;
done:
    free(slot);
    free(first);
    free(rank);
    free(sorted);
    return status;
}
static int make_logical(st_error *e, df_column *c, int nrow)
{
    c->kind = DF_FACTOR;
    c->code = st_alloc(e, (size_t)nrow, sizeof *c->code);
    c->levels = st_alloc(e, 2, sizeof *c->levels);
    if (c->code == NULL || c->levels == NULL)
        return e->status;
    c->nlevels = 2;
    for (int i = 0; i < nrow; i++)
        c->code[i] = isnan(c->num[i]) ? -1 : (int)c->num[i];
    free(c->num);
    c->num = NULL;
    if ((c->levels[0] = st_strdup(e, "FALSE")) == NULL
        || (c->levels[1] = st_strdup(e, "TRUE")) == NULL)
        return e->status;
    return ST_OK;
}
static int truth_value(const char *s)
{
    static const char *const word[] = { "F", "FALSE", "T", "TRUE" };
    for (int k = 0; k < 4; k++)
        if (strcmp(s, word[k]) == 0)
            return k >= 2;
    return -1;
}

enum { COL_UNKNOWN, COL_NUMBER, COL_LOGICAL, COL_FACTOR };

static int type_field(st_error *e, df_frame *df, char **cell, char dec, int i, int j,
                      unsigned char *state, const char **blank_na, long *blank_na_line)
{
    int ncol = df->ncol;
    df_column *c = &df->col[j];
    const char *s = cell[(size_t)i * ncol + j];
    double v;
    int k, truth;
    if (state[j] == COL_FACTOR)
        return ST_OK;
    if (is_missing_text(s)) {
        c->num[i] = NAN;
        return ST_OK;
    }
    k = parse_number(s, dec, &v);
    if (k == 2) {
        c->num[i] = NAN;
        if (blank_na[j] == NULL) {
            blank_na[j] = s;
            blank_na_line[j] = df->line[i];
        }
    } else if (k == 1 && state[j] != COL_LOGICAL) {
        state[j] = COL_NUMBER;
        c->num[i] = v;
    } else if (k == 0 && state[j] != COL_NUMBER && (truth = truth_value(s)) >= 0) {
        if (state[j] == COL_UNKNOWN) {
            c->text_line = df->line[i];
            if ((c->text = st_strdup(e, s)) == NULL)
                return e->status;
        }
        state[j] = COL_LOGICAL;
        c->num[i] = truth;
    } else {
        if (state[j] != COL_LOGICAL) {
            c->text_line = df->line[i];
            if ((c->text = st_strdup(e, s)) == NULL)
                return e->status;
        }
        state[j] = COL_FACTOR;
        c->kind = DF_FACTOR;
        free(c->num);
        c->num = NULL;
    }
    return ST_OK;
}
static int type_columns(st_error *e, df_frame *df, char **cell, char dec)
{
    int nrow = df->nrow, ncol = df->ncol, status = ST_EFIT;
    unsigned char *state = st_alloc(e, (size_t)ncol, 1);
    const char **blank_na = st_alloc(e, (size_t)ncol, sizeof *blank_na);
    long *blank_na_line = st_alloc(e, (size_t)ncol, sizeof *blank_na_line);
    if (state == NULL || blank_na == NULL || blank_na_line == NULL)
        goto done;
    for (int j = 0; j < ncol; j++) {
        df->col[j].kind = DF_NUMERIC;
        if ((df->col[j].num = st_alloc_large(e, (size_t)nrow, sizeof(double))) == NULL)
            goto done;
    }
    for (int i = 0; i < nrow; i++)
        for (int j = 0; j < ncol; j++)
            if (type_field(e, df, cell, dec, i, j, state, blank_na, blank_na_line) != ST_OK)
                goto done;
    for (int j = 0; j < ncol; j++) {
        df_column *c = &df->col[j];
        if (blank_na[j] != NULL && state[j] != COL_FACTOR) {
            st_fail(e, ST_EINPUT, "%s:%ld: column \"%s\": \"%s\" is NA with blanks beside it, "
                    "which R's read.csv reads as text, making the column a factor (write NA, or "
                    "leave the field empty)", df->source, blank_na_line[j], c->name, blank_na[j]);
            goto done;
        }
        if (state[j] == COL_LOGICAL && make_logical(e, c, nrow) != ST_OK)
            goto done;
        if (state[j] == COL_FACTOR && make_factor(e, c, cell, nrow, ncol, j) != ST_OK)
            goto done;
    }
    status = ST_OK;
done:
    free(state);
    free(blank_na);
    free(blank_na_line);
    return status;
}
int df_read(st_error *e, const char *arg, df_frame **out)
{
    assert(e != NULL);
    assert(arg != NULL);
    assert(out != NULL);
    df_options opt = DF_OPTIONS_DEFAULT;
    return df_read_with(e, arg, &opt, out);
}

static int open_failed(st_error *e, const char *arg, int err)
{
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
}

static int parse_dataset(st_error *e, const df_dataset *d, df_frame **out)
{
    char *buf;
    size_t len = 0;
    int status;
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
}
int df_read_with(st_error *e, const char *arg, const df_options *opt, df_frame **out)
{
    char *buf = NULL;
    size_t len = 0;
    int status;
    *out = NULL;
    if (arg[0] == '\0')
        return st_fail(e, ST_EINPUT, "the DATA argument is empty (expected a CSV file, - "
                       "for standard input, or the name of a data set)");
    if (strcmp(arg, "-") == 0) {
        status = read_all(e, 0, "stdin", opt, &buf, &len);
        if (status == ST_OK)
            status = df_parse_with(e, "stdin", buf, len, opt, out);
        free(buf);
        return status;
    }
    int fd = open(arg, O_RDONLY);
    if (fd >= 0) {
        status = is_gzip(fd) ? read_gzip(e, fd, arg, opt, &buf, &len)
                             : read_all(e, fd, arg, opt, &buf, &len);
        close(fd);
        if (status == ST_OK)
            status = df_parse_with(e, arg, buf, len, opt, out);
        free(buf);
        return status;
    }
    int err = errno;
    if (err == ENOENT && strchr(arg, '/') == NULL)
        for (const df_dataset *d = df_datasets; d->name != NULL; d++)
            if (strcmp(d->name, arg) == 0)
                return parse_dataset(e, d, out);
    return open_failed(e, arg, err);
}
static int parse_header(scanner *s, const df_options *opt, size_t len, long nlines,
                        int *ncolp, long **linep)
{
    st_error *e = s->e;
    const char *source = s->source;
    int ncol = 0;
    long header_line, *line = NULL;
    const char *header = s->p;
    if (scan_record(s, &ncol, &header_line) != ST_OK)
        return e->status;
    if (ncol == 0) {
        st_fail(e, ST_EINPUT, "%s:1: empty file (expected a header line of column names)",
                source);
        return e->status;
    }
    if (ncol == 1) {
        while (*header == '\n')
            header++;
        const char *eol = header + strcspn(header, "\n");
        static const struct { char c; const char *name, *advice; } other[] = {
            { ';', "';'", "sep=;" }, { '\t', "a tab", "sep=\t" }, { ',', "','", "sep=," } };
        for (int k = 0; k < 3; k++)
            if (other[k].c != opt->sep && memchr(header, other[k].c, (size_t)(eol - header))) {
                st_fail(e, ST_EINPUT, "%s:%ld: the header is one field that holds %s: is "
                        "the separator %s?", source, header_line, other[k].name, other[k].name);
                e->advice = other[k].advice;
                return e->status;
            }
    }
    {
        size_t cap = (size_t)(nlines + 1) * (size_t)ncol;
        if (cap > len + (size_t)nlines + (size_t)ncol)
            cap = len + (size_t)nlines + (size_t)ncol;
        char **cell = st_alloc_large(e, cap, sizeof *cell);
        if (cell == NULL)
            return e->status;
        memcpy(cell, s->cell, (size_t)ncol * sizeof *cell);
        free(s->cell);
        s->cell = cell;
        s->cap = cap;
        if ((line = st_alloc_large(e, (size_t)nlines, sizeof *line)) == NULL)
            return e->status;
    }
    *ncolp = ncol;
    *linep = line;
    return ST_OK;
}
static int scan_records(scanner *s, int ncol, long *line, size_t *nlinep)
{
    st_error *e = s->e;
    const char *source = s->source;
    size_t nline = 0;
    int nfield;
    for (;;) {
        long at;
        if (scan_record(s, &nfield, &at) != ST_OK)
            return e->status;
        if (nfield == 0)
            break;
        if (nfield != ncol) {
            st_fail(e, ST_EINPUT, "%s:%ld: expected %d fields as in the header, found %d",
                    source, at, ncol, nfield);
            return e->status;
        }
        if (nline == INT32_MAX - 1) {
            st_fail(e, ST_EINPUT, "%s:%ld: too many rows", source, at);
            return e->status;
        }
        line[nline++] = at;
    }
    if (nline == 0) {
        st_fail(e, ST_EINPUT, "%s:%ld: no data rows after the header", source, s->line);
        return e->status;
    }
    *nlinep = nline;
    return ST_OK;
}
static int build_frame(scanner *s, const df_options *opt, int ncol, size_t nline,
                       long **linep, df_frame **dfp)
{
    st_error *e = s->e;
    const char *source = s->source;
    df_frame *df;
    df = *dfp = st_alloc(e, 1, sizeof *df);
    if (df == NULL)
        return e->status;
    df->nrow = (int)nline;
    df->ncol = ncol;
    df->source = st_strdup(e, source);
    df->col = st_alloc(e, (size_t)ncol, sizeof *df->col);
    if (df->source == NULL || df->col == NULL)
        return e->status;
    for (int j = 0; j < ncol; j++)
        if ((df->col[j].name = make_name(e, s->cell[j])) == NULL)
            return e->status;
    if (make_unique_names(e, df, s->cell) != ST_OK)
        return e->status;
    df->line = *linep;
    *linep = NULL;
    if (type_columns(e, df, s->cell + ncol, opt->dec) != ST_OK)
        return e->status;
    return ST_OK;
}

int df_parse(st_error *e, const char *source, char *buf, size_t len, df_frame **out)
{
    assert(e != NULL);
    assert(source != NULL);
    assert(buf != NULL);
    assert(out != NULL);
    df_options opt = DF_OPTIONS_DEFAULT;
    return df_parse_with(e, source, buf, len, &opt, out);
}

int df_parse_with(st_error *e, const char *source, char *buf, size_t len,
                  const df_options *opt, df_frame **out)
{
    scanner s = { e, source, buf, 1, NULL, 0, 0, opt->sep };
    df_frame *df = NULL;
    long *line = NULL;
    size_t nline = 0;
    int ncol = 0;
    long nlines = 0;
    *out = NULL;
    buf[len] = '\0';
    len = normalize_line_ends(buf, len);
    if (check_bytes(e, source, buf, len, &nlines) != ST_OK)
        return e->status;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3;
    if (parse_header(&s, opt, len, nlines, &ncol, &line) != ST_OK
        || scan_records(&s, ncol, line, &nline) != ST_OK
        || build_frame(&s, opt, ncol, nline, &line, &df) != ST_OK)
        goto fail;
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
    assert(df != NULL);
    assert(name != NULL);
    for (int j = 0; j < df->ncol; j++)
        if (strcmp(df->col[j].name, name) == 0)
            return j;
    return -1;
}

int df_missing(const df_column *c, int i)
{
    assert(c != NULL);
    assert(i >= 0);
    return c->kind == DF_NUMERIC ? isnan(c->num[i]) : c->code[i] < 0;
}
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
    assert(e != NULL);
    assert(df != NULL);
    assert(levels != NULL);
    for (const char *const *line = levels; *line != NULL; line++)
        if (order_one_column(e, df, *line) != ST_OK)
            return e->status;
    return ST_OK;
}
