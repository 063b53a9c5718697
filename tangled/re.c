#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>              /* fround: R's rounding, as the tables print */
#include "re.h"
#include "blocked.h"
#include "json.h"
#include "rformat.h"

static void free_term(lmm_term *t)
{
    free(t->group);
    for (int c = 0; t->names && c < t->q; c++)
        free(t->names[c]);
    free(t->names);
    for (int l = 0; t->levels && l < t->nlevels; l++)
        free(t->levels[l]);
    free(t->levels);
    free(t->g);
    free(t->Z);
}

static int make_term(st_error *e, const frm_model *m, const frm_reterm *src, int first,
                     int q, lmm_term *t)
{
    int n = m->n;
    int *map = st_alloc(e, (size_t)(src->nlevels > 0 ? src->nlevels : 1), sizeof *map);
    t->q = q;
    t->group = st_strdup(e, src->group);
    t->names = st_alloc(e, (size_t)q, sizeof *t->names);
    t->g = st_alloc(e, (size_t)n, sizeof *t->g);
    t->Z = st_alloc(e, (size_t)n * q, sizeof *t->Z);
    if (map == NULL || t->group == NULL || t->names == NULL || t->g == NULL || t->Z == NULL)
        goto fail;
    for (int c = 0; c < q; c++)
        if ((t->names[c] = st_strdup(e, src->colnames[first + c])) == NULL)
            goto fail;
    memcpy(t->Z, src->Z + (size_t)first * n, (size_t)n * q * sizeof *t->Z);
    for (int l = 0; l < src->nlevels; l++)
        map[l] = -1;
    for (int i = 0; i < n; i++)
        map[src->g[i]] = 0;
    int nl = 0;
    for (int l = 0; l < src->nlevels; l++)
        if (map[l] == 0)
            map[l] = nl++;
    t->levels = st_alloc(e, (size_t)(nl > 0 ? nl : 1), sizeof *t->levels);
    if (t->levels == NULL)
        goto fail;
    for (int l = 0; l < src->nlevels; l++)
        if (map[l] >= 0) {
            if ((t->levels[map[l]] = st_strdup(e, src->levels[l])) == NULL)
                goto fail;
            t->nlevels = map[l] + 1;
        }
    for (int i = 0; i < n; i++)
        t->g[i] = map[src->g[i]];
    free(map);
    return ST_OK;
fail:
    free(map);
    free_term(t);
    memset(t, 0, sizeof *t);
    return e->status;
}
static int order_terms(st_error *e, const frm_model *m, re_terms *re)
{
    {
        int nt = m->nre;
        lmm_term *raw = st_alloc(e, (size_t)nt, sizeof *raw);
        int *ord = st_alloc(e, (size_t)nt, sizeof *ord);
        re->term = st_alloc(e, (size_t)nt, sizeof *re->term);
        if (raw == NULL || ord == NULL || re->term == NULL) {
            free(raw); free(ord);
            goto fail;
        }
        re->nterms = nt;
        int x = 0, status = ST_OK;
        for (int k = 0; k < m->nre && status == ST_OK; k++) {
            const frm_reterm *t = &m->re[k];
            status = make_term(e, m, t, 0, t->q, &raw[x++]);
        }
        if (status == ST_OK) {
            int increasing = 0;
            for (int k = 0; k < nt; k++)
                ord[k] = k;
            for (int k = 1; k < nt; k++)
                increasing |= raw[k].nlevels > raw[k - 1].nlevels;
            if (increasing)
                for (int k = 1; k < nt; k++)
                    for (int j = k; j > 0; j--) {
                        const lmm_term *a = &raw[ord[j - 1]], *b = &raw[ord[j]];
                        if (b->nlevels > a->nlevels || (b->nlevels == a->nlevels && ord[j] > ord[j - 1])) {
                            int tmp = ord[j];
                            ord[j] = ord[j - 1];
                            ord[j - 1] = tmp;
                        } else
                            break;
                    }
            for (int k = 0; k < nt; k++)
                re->term[k] = raw[ord[k]];
        } else
            for (int k = 0; k < nt; k++)
                free_term(&raw[k]);
        free(raw);
        free(ord);
        if (status != ST_OK) {
            re->nterms = 0;
            goto fail;
        }
    }
    return ST_OK;
fail:
    return e->status;
}

static int check_terms(st_error *e, re_terms *re, int glmer)
{
    re->group_names = st_alloc(e, (size_t)re->nterms, sizeof *re->group_names);
    re->group_levels = st_alloc(e, (size_t)re->nterms, sizeof *re->group_levels);
    if (re->group_names == NULL || re->group_levels == NULL)
        goto fail;
    for (int k = 0; k < re->nterms; k++) {
        int seen = 0;
        for (int j = 0; j < re->ngroups; j++)
            seen |= strcmp(re->group_names[j], re->term[k].group) == 0;
        if (!seen) {
            re->group_names[re->ngroups] = re->term[k].group;
            re->group_levels[re->ngroups++] = re->term[k].nlevels;
        }
    }
    for (int j = 0; j < re->ngroups; j++)
        if (re->group_levels[j] < 2) {
            st_fail(e, ST_EFIT, "grouping factor \"%s\" has only one level in the data: a "
                    "random effect needs at least two levels", re->group_names[j]);
            goto fail;
        }
    for (int j = 0; j < re->ngroups && !glmer; j++)
        if (re->group_levels[j] >= re->n) {
            st_fail(e, ST_EFIT, "grouping factor \"%s\" has %d levels for %d observations: "
                    "it must have fewer levels than observations, or its variance cannot be "
                    "told from the residual variance", re->group_names[j], re->group_levels[j],
                    re->n);
            goto fail;
        }
    for (int k = 0; k < re->nterms && !glmer; k++) {
        const lmm_term *t = &re->term[k];
        if ((double)t->nlevels * t->q >= re->n) {
            st_fail(e, ST_EFIT, "the random-effects term for \"%s\" (%s%s) has %.0f random "
                    "effects for %d observations: its variances cannot be told from the "
                    "residual variance", t->group, t->names[0], t->q > 1 ? ", ..." : "",
                    (double)t->nlevels * t->q, re->n);
            goto fail;
        }
    }
    return ST_OK;
fail:
    return e->status;
}
#define CELL(i, j) cell[(i) + (size_t)(j) * nrow].s

static void vc_variances(rf_text *cell, int nrow, const double *var, const double *sd,
                         rf_text *tv, rf_text *ts)
{
    rf_format(tv, var, nrow, 4);
    rf_format(ts, sd, nrow, 4);
    for (int i = 0; i < nrow; i++) {
        memcpy(CELL(i, 2), tv[i].s, sizeof tv[i].s);
        memcpy(CELL(i, 3), ts[i].s, sizeof ts[i].s);
    }
}
static void vc_correlations(rf_text *cell, int nrow, int maxq, const re_terms *re,
                            double sigma, int k, int row)
{
    const lmm_term *t = &re->term[k];
    {
        int q = t->q, w = 4;
        char buf[32];
        for (int a = 0; a < q; a++)
            for (int c = 0; c < q; c++) {
                double x = a == c ? 1.0 : fround(re_correlation(re, sigma, k, a, c), 2);
                snprintf(buf, sizeof buf, isnan(x) ? "NaN" : "%.2f", x);
                if ((int)strlen(buf) > w)
                    w = (int)strlen(buf);
            }
        for (int a = 1; a < q; a++)
            for (int c = 0; c < a && c < maxq - 1; c++) {
                double x = fround(re_correlation(re, sigma, k, a, c), 2);
                snprintf(buf, sizeof buf, isnan(x) ? "NaN" : "%.2f", x);
                snprintf(CELL(row + a, 4 + c), sizeof cell[0].s, "%*s", w, buf);
            }
    }
}
static int ranef_table(FILE *out, const re_terms *re, const char *g, int sd)
{
    int nl = 0, nc = 0, first = -1;
    for (int k = 0; k < re->nterms; k++)
        if (strcmp(re->term[k].group, g) == 0) {
            nc += re->term[k].q;
            if (first < 0)
                first = k;
        }
    if (first < 0)
        return 0;
    nl = re->term[first].nlevels;
    double *x = malloc((size_t)nl * nc * sizeof *x);
    const char **cn = malloc((size_t)nc * sizeof *cn);
    const char **rn = malloc((size_t)nl * sizeof *rn);
    int status = -1;
    if (x && cn && rn) {
        int c = 0;
        for (int k = 0; k < re->nterms; k++) {
            const lmm_term *t = &re->term[k];
            if (strcmp(t->group, g) != 0)
                continue;
            for (int j = 0; j < t->q; j++, c++) {
                cn[c] = t->names[j];
                for (int l = 0; l < nl; l++) {
                    size_t at = t->re0 + (size_t)l * t->q + j;
                    x[l + (size_t)c * nl] = sd ? sqrt(re->condvar[at]) : re->b[at];
                }
            }
        }
        for (int l = 0; l < nl; l++)
            rn[l] = re->term[first].levels[l];
        fprintf(out, "$%s\n", g);
        status = rf_print_matrix(out, x, nl, nc, rn, cn, 7);
        fputc('\n', out);
    }
    free(x); free(cn); free(rn);
    return status;
}
int re_condvar(st_error *e, re_terms *re, double sigma, const double *w)
{
    assert(e != NULL);
    assert(re != NULL);
    int n = re->n, K = re->nterms, status = ST_EFIT;
    blk_system *s = NULL;
    blk_term *bt = st_alloc(e, (size_t)K, sizeof *bt);
    double *ones = st_alloc(e, (size_t)n + 1, sizeof *ones);
    double *v = st_alloc(e, (size_t)re->nre + 1, sizeof *v);
    if (bt == NULL || ones == NULL || v == NULL)
        goto done;
    for (int i = 0; i < n; i++)
        ones[i] = 1.0;
    re_blk_terms(re, bt);
    if (blk_create(e, n, K, bt, 0, &s) != ST_OK || blk_crossprod(e, s, NULL, ones, w) != ST_OK)
        goto done;
    int f = blk_factor(s, re->theta);
    if (f != 0 && f != K + 1) {
        st_fail(e, ST_EFIT, "the random effects' factor is not positive definite");
        goto done;
    }
    if (blk_condvar(e, s, v) != ST_OK)
        goto done;
    for (int j = 0; j < re->nre; j++)
        v[j] *= sigma * sigma;
    free(re->condvar);
    re->condvar = v;
    v = NULL;
    status = ST_OK;
done:
    blk_free(s);
    free(bt); free(ones); free(v);
    return status == ST_OK ? ST_OK : e->status;
}
int re_layout(st_error *e, re_terms *re)
{
    assert(re != NULL);
    re->ntheta = re->nre = 0;
    for (int k = 0; k < re->nterms; k++) {
        re->term[k].theta0 = re->ntheta;
        re->term[k].re0 = re->nre;
        re->ntheta += re_term_ntheta(re->term[k].q);
        re->nre += re->term[k].q * re->term[k].nlevels;
    }
    re->theta = st_alloc(e, (size_t)re->ntheta + 1, sizeof *re->theta);
    re->lower = st_alloc(e, (size_t)re->ntheta + 1, sizeof *re->lower);
    re->u = st_alloc(e, (size_t)re->nre + 1, sizeof *re->u);
    re->b = st_alloc(e, (size_t)re->nre + 1, sizeof *re->b);
    if (re->theta == NULL || re->lower == NULL || re->u == NULL || re->b == NULL)
        return e->status;
    for (int k = 0; k < re->nterms; k++) {
        int q = re->term[k].q;
        double *th = re->theta + re->term[k].theta0, *lo = re->lower + re->term[k].theta0;
        for (int j = 0; j < q; j++)
            for (int i = j; i < q; i++) {
                lo[re_theta_at(q, i, j)] = i == j ? 0.0 : -HUGE_VAL;
                th[re_theta_at(q, i, j)] = i == j ? 1.0 : 0.0;
            }
    }
    return ST_OK;
}

void re_free(re_terms *re)
{
    if (re == NULL)
        return;
    for (int k = 0; re->term && k < re->nterms; k++)
        free_term(&re->term[k]);
    free(re->term);
    free(re->theta); free(re->lower); free(re->u); free(re->b);
    free(re->condvar);
    free(re->group_names);
    free(re->group_levels);
    memset(re, 0, sizeof *re);
}
void re_lambda_u(const re_terms *re, const double *theta, double scale, const double *u,
                 double *b)
{
    assert(re != NULL);
    for (int k = 0; k < re->nterms; k++) {
        const lmm_term *t = &re->term[k];
        const double *th = theta + t->theta0;
        int q = t->q;
        if (q == 1) {                        /* a scalar term: b = scale theta u */
            for (int l = 0; l < t->nlevels; l++)
                b[t->re0 + l] = scale * (th[0] * u[t->re0 + l]);
            continue;
        }
        for (int l = 0; l < t->nlevels; l++) {
            const double *ul = u + t->re0 + (size_t)l * q;
            double *bl = b + t->re0 + (size_t)l * q;
            for (int c = 0; c < q; c++) {
                double sum = 0;
                for (int a = 0; a <= c; a++)
                    sum += th[re_theta_at(q, c, a)] * ul[a];
                bl[c] = scale * sum;
            }
        }
    }
}

double re_add_zb(const re_terms *re, const double *b, int i, double eta)
{
    assert(re != NULL);
    assert(i >= 0 && i < re->n);
    for (int k = 0; k < re->nterms; k++) {
        const lmm_term *t = &re->term[k];
        const double *bt = b + t->re0 + (size_t)t->g[i] * t->q;
        for (int c = 0; c < t->q; c++)
            eta += t->Z[i + (size_t)c * re->n] * bt[c];
    }
    return eta;
}
void re_blk_terms(const re_terms *re, blk_term *bt)
{
    assert(re != NULL);
    for (int k = 0; k < re->nterms; k++)
        bt[k] = (blk_term){ re->term[k].nlevels, re->term[k].q, re->term[k].g,
                            re->term[k].Z };
}
int re_make_terms(st_error *e, const frm_model *m, int glmer, re_terms *re)
{
    assert(m != NULL);
    assert(re != NULL);
    re->n = m->n;
    if (order_terms(e, m, re) != ST_OK || check_terms(e, re, glmer) != ST_OK)
        return e->status;
    return ST_OK;
}
double re_covariance(const re_terms *re, double sigma, int k, int i, int j)
{
    assert(re != NULL);
    assert(k >= 0 && k < re->nterms);
    assert(i >= 0 && i < re->term[k].q);
    assert(j >= 0 && j < re->term[k].q);
    const lmm_term *t = &re->term[k];
    const double *th = re->theta + t->theta0;
    double sum = 0.0;
    for (int c = 0; c <= i && c <= j; c++)
        sum += th[re_theta_at(t->q, i, c)] * th[re_theta_at(t->q, j, c)];
    return sigma * sigma * sum;
}

double re_correlation(const re_terms *re, double sigma, int k, int i, int j)
{
    assert(re != NULL);
    double vi = re_covariance(re, sigma, k, i, i), vj = re_covariance(re, sigma, k, j, j);
    if (!(vi > 0 && vj > 0))
        return NAN;
    return re_covariance(re, sigma, k, i, j) / sqrt(vi * vj);
}
void re_varpar_at(const re_terms *re, const double *theta, double sigma, int with_sigma,
                  double *v)
{
    assert(re != NULL);
    int i = 0;
    for (int k = 0; k < re->nterms; k++) {
        const lmm_term *t = &re->term[k];
        const double *th = theta + t->theta0;
        double sdbuf[64], *sd = sdbuf, *heap = NULL;   /* larger terms use the heap */
        if (t->q > 64 && (sd = heap = malloc((size_t)t->q * sizeof *heap)) == NULL) {
            for (int c = 0; c < re_term_ntheta(t->q); c++)
                v[i++] = NAN;
            continue;
        }
        for (int c = 0; c < t->q; c++) {
            double s = 0;
            for (int a = 0; a <= c; a++) {
                double l = th[re_theta_at(t->q, c, a)];
                s += l * l;
            }
            sd[c] = sqrt(s);
        }
        for (int c = 0; c < t->q; c++) {
            v[i++] = sigma * sd[c];
            for (int a = c + 1; a < t->q; a++) {
                double s = 0;
                for (int d = 0; d <= c; d++)
                    s += th[re_theta_at(t->q, a, d)] * th[re_theta_at(t->q, c, d)];
                v[i++] = sd[a] > 0 && sd[c] > 0 ? s / (sd[a] * sd[c]) : NAN;
            }
        }
        free(heap);
    }
    if (with_sigma)
        v[i] = sigma;
}
int re_sdcor_theta(const re_terms *re, const double *s, double sigma, double *theta)
{
    assert(re != NULL);
    assert(s != NULL);
    assert(theta != NULL);
    for (int k = 0; k < re->nterms; k++) {
        int q = re->term[k].q, o = re->term[k].theta0;
#define PF_AT(i, j) re_theta_at(q, i, j)
        for (int j = 0; j < q; j++) {          /* chol(C) column by column, into theta */
            double d = 1.0;
            for (int c = 0; c < j; c++)
                d -= theta[o + PF_AT(j, c)] * theta[o + PF_AT(j, c)];
            if (d < -1e-10)
                return -1;
            double ljj = d > 0 ? sqrt(d) : 0.0;
            theta[o + PF_AT(j, j)] = ljj;
            for (int i = j + 1; i < q; i++) {
                double v = s[o + PF_AT(i, j)];
                for (int c = 0; c < j; c++)
                    v -= theta[o + PF_AT(i, c)] * theta[o + PF_AT(j, c)];
                theta[o + PF_AT(i, j)] = ljj > 1e-12 ? v / ljj : 0.0;
            }
        }
        for (int j = 0; j < q; j++)            /* then the rows times sd_i / sigma */
            for (int i = j; i < q; i++)
                theta[o + PF_AT(i, j)] *= s[o + PF_AT(i, i)] / sigma;
#undef PF_AT
    }
    return 0;
}
int re_print_varcorr(FILE *out, const re_terms *re, double sigma, int residual)
{
    assert(out != NULL);
    assert(re != NULL);
    {
        int nrow = residual != 0, maxq = 1;
        for (int k = 0; k < re->nterms; k++) {
            nrow += re->term[k].q;
            if (re->term[k].q > maxq)
                maxq = re->term[k].q;
        }
        int ncol = 4 + (maxq - 1);
        rf_text *cell = calloc((size_t)nrow * ncol, sizeof *cell);
        double *var = malloc((size_t)nrow * sizeof *var), *sd = malloc((size_t)nrow * sizeof *sd);
        rf_text *tv = malloc((size_t)nrow * sizeof *tv), *ts = malloc((size_t)nrow * sizeof *ts);
        const char **rown = calloc((size_t)nrow, sizeof *rown);
        const char **coln = calloc((size_t)ncol, sizeof *coln);
        int status = -1;
        if (cell && var && sd && tv && ts && rown && coln) {
            static const char *const heads[] = { "Groups", "Name", "Variance", "Std.Dev.", "Corr" };
            for (int j = 0; j < ncol; j++)
                coln[j] = j < 5 ? heads[j] : "";
            for (int i = 0; i < nrow; i++)
                rown[i] = "";
            for (int k = 0, row = 0; k < re->nterms; k++) {
                const lmm_term *t = &re->term[k];
                int dup = 0;
                for (int j = 0; j < k; j++)
                    dup += strcmp(re->term[j].group, t->group) == 0;
                if (dup)
                    snprintf(CELL(row, 0), sizeof cell[0].s, "%s.%d", t->group, dup);
                else
                    snprintf(CELL(row, 0), sizeof cell[0].s, "%s", t->group);
                for (int c = 0; c < t->q; c++) {
                    snprintf(CELL(row + c, 1), sizeof cell[0].s, "%s", t->names[c]);
                    var[row + c] = re_covariance(re, sigma, k, c, c);
                    sd[row + c] = sqrt(var[row + c]);
                }
                if (maxq > 1)
                    vc_correlations(cell, nrow, maxq, re, sigma, k, row);
                row += t->q;
            }
            if (residual) {
                snprintf(CELL(nrow - 1, 0), sizeof cell[0].s, "Residual");
                var[nrow - 1] = sigma * sigma;
                sd[nrow - 1] = sigma;
            }
            vc_variances(cell, nrow, var, sd, tv, ts);
            fprintf(out, "Random effects:\n");
            status = rf_print_text_matrix(out, cell, nrow, ncol, rown, coln, 0);
        }
        free(cell); free(var); free(sd); free(tv); free(ts); free(rown); free(coln);
        return status;
    }
}

void re_print_groups(FILE *out, const re_terms *re)
{
    assert(out != NULL);
    assert(re != NULL);
    {
        char head[64], list[2048] = "";
        snprintf(head, sizeof head, "Number of obs: %d, groups: ", re->n);
        for (int j = 0; j < re->ngroups; j++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s, %d", j ? "; " : "",
                     re->group_names[j], re->group_levels[j]);
        }
        fprintf(out, "%s%s%s\n", head, strlen(head) + 1 + strlen(list) > 80 ? "\n" : " ", list);
    }
}
int re_print_ranef(FILE *out, const re_terms *re)
{
    assert(out != NULL);
    assert(re != NULL);
    for (int pass = 0; pass < (re->condvar != NULL ? 2 : 1); pass++) {
        if (pass == 1)
            fprintf(out, "Conditional standard deviations (condVar = TRUE):\n");
        for (int gi = 0; gi < re->ngroups; gi++)
            if (ranef_table(out, re, re->group_names[gi], pass) != 0)
                return -1;
    }
    return 0;
}
void re_json_theta(js_writer *w, const re_terms *re)
{
    assert(w != NULL);
    assert(re != NULL);
    js_key(w, "theta");
    js_array_begin(w, 1);
    for (int i = 0; i < re->ntheta; i++)
        js_number(w, re->theta[i]);
    js_array_end(w);
}

void re_json_varcorr(js_writer *w, const re_terms *re, double sigma)
{
    assert(w != NULL);
    assert(re != NULL);
    js_key(w, "random_effects");
    js_array_begin(w, 0);
    for (int k = 0; k < re->nterms; k++)
        for (int c = 0; c < re->term[k].q; c++) {
            double v = re_covariance(re, sigma, k, c, c);
            js_object_begin(w, 1);
            js_key_string(w, "group", re->term[k].group);
            js_key_string(w, "term", re->term[k].names[c]);
            js_key_number(w, "variance", v);
            js_key_number(w, "std_dev", sqrt(v));
            js_object_end(w);
        }
    js_array_end(w);
    js_key(w, "correlations");
    js_array_begin(w, 0);
    for (int k = 0; k < re->nterms; k++)
        for (int a = 0; a < re->term[k].q; a++)
            for (int c = a + 1; c < re->term[k].q; c++) {
                js_object_begin(w, 1);
                js_key_string(w, "group", re->term[k].group);
                js_key_string(w, "term1", re->term[k].names[a]);
                js_key_string(w, "term2", re->term[k].names[c]);
                js_key_number(w, "correlation", re_correlation(re, sigma, k, c, a));
                js_object_end(w);
            }
    js_array_end(w);
    js_key(w, "n_groups");
    js_object_begin(w, 1);
    for (int j = 0; j < re->ngroups; j++)
        js_key_integer(w, re->group_names[j], re->group_levels[j]);
    js_object_end(w);
}
void re_json_ranef(js_writer *w, const re_terms *re)
{
    assert(w != NULL);
    assert(re != NULL);
    if (re->condvar == NULL)
        return;
    js_key(w, "ranef");
    js_array_begin(w, 0);
    for (int k = 0; k < re->nterms; k++) {
        const lmm_term *t = &re->term[k];
        for (int c = 0; c < t->q; c++)
            for (int l = 0; l < t->nlevels; l++) {
                size_t at = t->re0 + (size_t)l * t->q + c;
                js_object_begin(w, 1);
                js_key_string(w, "group", t->group);
                js_key_string(w, "level", t->levels[l]);
                js_key_string(w, "term", t->names[c]);
                js_key_number(w, "mode", re->b[at]);
                js_key_number(w, "cond_sd", sqrt(re->condvar[at]));
                js_object_end(w);
            }
    }
    js_array_end(w);
}
int re_varpar_count(const re_terms *re, int with_sigma)
{
    assert(re != NULL);
    int n = with_sigma != 0;
    for (int k = 0; k < re->nterms; k++)
        n += re_term_ntheta(re->term[k].q);
    return n;
}

void re_varpar_values(const re_terms *re, double sigma, int with_sigma, double *v)
{
    assert(re != NULL);
    assert(v != NULL);
    int i = 0;
    for (int k = 0; k < re->nterms; k++)
        for (int c = 0; c < re->term[k].q; c++) {
            v[i++] = sqrt(re_covariance(re, sigma, k, c, c));
            for (int a = c + 1; a < re->term[k].q; a++)
                v[i++] = re_correlation(re, sigma, k, a, c);
        }
    if (with_sigma)
        v[i] = sigma;
}

int re_confint_table(st_error *e, const re_terms *re, int with_sigma, int p,
                     char *const *coef_names, const int *aliased, const char *method,
                     double level, ci_table **out)
{
    assert(e != NULL);
    assert(re != NULL);
    assert(out != NULL);
    int nv = re_varpar_count(re, with_sigma), n = nv;
    for (int j = 0; j < p; j++)
        n += !aliased[j];
    if (ci_table_new(e, n, method, level, out) != ST_OK)
        return e->status;
    ci_table *t = *out;
    char buf[1024];
    int i = 0;
    for (int k = 0; k < re->nterms; k++) {
        const lmm_term *tk = &re->term[k];
        for (int c = 0; c < tk->q; c++) {
            snprintf(buf, sizeof buf, "sd_%s|%s", tk->names[c], tk->group);
            if ((t->names[i++] = st_strdup(e, buf)) == NULL)
                goto fail;
            for (int a = c + 1; a < tk->q; a++) {
                snprintf(buf, sizeof buf, "cor_%s.%s|%s", tk->names[a], tk->names[c],
                         tk->group);
                if ((t->names[i++] = st_strdup(e, buf)) == NULL)
                    goto fail;
            }
        }
    }
    if (with_sigma && (t->names[i++] = st_strdup(e, "sigma")) == NULL)
        goto fail;
    for (int j = 0; j < p; j++)
        if (!aliased[j] && (t->names[i++] = st_strdup(e, coef_names[j])) == NULL)
            goto fail;
    for (int j = 0; j < n; j++)
        t->low[j] = t->high[j] = NAN;
    return ST_OK;
fail:
    ci_table_free(t);
    *out = NULL;
    return e->status;
}
double re_predict_random(const re_terms *re, const frm_model *mn, int i)
{
    assert(re != NULL);
    assert(mn != NULL);
    assert(i >= 0);
    assert(i < mn->n);
    double s = 0;
    for (int k = 0; k < mn->nre; k++) {
        const frm_reterm *nt = &mn->re[k];
        const char *label = nt->levels[nt->g[i]];
        for (int c = 0; c < nt->q; c++)
            for (int t = 0; t < re->nterms; t++) {
                const lmm_term *tm = &re->term[t];
                if (strcmp(tm->group, nt->group) != 0)
                    continue;
                for (int cc = 0; cc < tm->q; cc++) {
                    if (strcmp(tm->names[cc], nt->colnames[c]) != 0)
                        continue;
                    for (int l = 0; l < tm->nlevels; l++)
                        if (strcmp(tm->levels[l], label) == 0) {
                            s += nt->Z[i + (size_t)c * mn->n]
                                 * re->b[tm->re0 + (size_t)l * tm->q + cc];
                            break;
                        }
                }
            }
    }
    return s;
}
