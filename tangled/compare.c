#define MATHLIB_STANDALONE
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <Rmath.h>
#include "booktex.h"
#include "compare.h"

#define NO            { CMP_NONE, 0, 0 }
#define SKIP          { CMP_SKIP, 0, 0 }
#define EQ            { CMP_EQUAL, 0, 0 }
#define CONV          { CMP_CONVERGED, 0, 0 }
#define RECS          { CMP_RECORDS, 0, 0 }
#define TOL(t)        { CMP_NUMBER, t, 0 }
#define ABS(t)        { CMP_NUMBER, t, 1 }
#define LOWER(t)      { CMP_LOWER_OK, t, 0 }
#define HIGHER(t)     { CMP_HIGHER_OK, t, 0 }
#define ABSLOWER(t)   { CMP_LOWER_OK, t, 1 }
#define ABSHIGHER(t)  { CMP_HIGHER_OK, t, 1 }
#define PVAL(t)       { CMP_PVALUE, t, 0 }
#define PVALZ(t)      { CMP_PVALUE_Z, t, 0 }
#define ROW(field, scale, ols, lmm, glmm, glm) \
    { field, scale, { ols, lmm, glmm, glm }, NULL, { NULL, NULL, NULL }, 0, 0 }
#define RECORDS(field, fields, ordered, symmetric, k1, k2, k3, ols, lmm, glmm, glm) \
    { field, CMP_REL, { ols, lmm, glmm, glm }, fields, { k1, k2, k3 }, ordered, symmetric }
#define END           { NULL, CMP_REL, { NO, NO, NO, NO }, NULL, { NULL, NULL, NULL }, 0, 0 }

const char *const cmp_model_names[CMP_NMODELS] = { "ols", "lmm", "glmm", "glm" };

static const cmp_rule coefficient_rules[] = {
    /*   field        scale      ols          lmm           glmm          glm */
    ROW("estimate",   CMP_SE,    TOL(1e-8),   TOL(1e-5),    TOL(1e-4),    TOL(1e-6)),
    ROW("std_error",  CMP_REL,   TOL(1e-8),   TOL(1e-5),    TOL(2e-3),    TOL(1e-6)),
    ROW("statistic",  CMP_UNIT,  TOL(1e-8),   TOL(1e-5),    TOL(3e-3),    TOL(2e-6)),
    ROW("p_value",    CMP_REL,   PVAL(1e-8),  PVALZ(1e-5),  PVALZ(3e-3),  PVALZ(2e-6)),
    ROW("conf_low",   CMP_SE,    TOL(1e-8),   TOL(5e-5),    TOL(5e-3),    TOL(5e-6)),
    ROW("conf_high",  CMP_SE,    TOL(1e-8),   TOL(5e-5),    TOL(5e-3),    TOL(5e-6)),
    END
};

static const cmp_rule random_effect_rules[] = {
    ROW("variance",   CMP_VAR,   NO,          TOL(1e-4),    TOL(1e-3),    NO),
    ROW("std_dev",    CMP_SD,    NO,          TOL(1e-4),    TOL(1e-3),    NO),
    END
};

static const cmp_rule correlation_rules[] = {
    ROW("correlation", CMP_ABS,  NO,          TOL(1e-4),    TOL(1e-3),    NO),
    END
};
static const cmp_rule ranef_rules[] = {
    ROW("mode",       CMP_SD,    NO,          TOL(1e-4),    TOL(1e-3),    NO),
    ROW("cond_sd",    CMP_SD,    NO,          TOL(1e-4),    TOL(1e-3),    NO),
    END
};
const cmp_rule cmp_rules[] = {
    /*   field            scale      ols          lmm           glmm            glm */
    ROW("model",          CMP_REL,   EQ,          EQ,           EQ,             EQ),
    ROW("formula",        CMP_REL,   EQ,          EQ,           EQ,             EQ),
    ROW("n_obs",          CMP_REL,   EQ,          EQ,           EQ,             EQ),
    ROW("n_dropped",      CMP_REL,   EQ,          EQ,           EQ,             EQ),
    RECORDS("coefficients", coefficient_rules, 1, 0, "term", NULL, NULL,
                                     RECS,        RECS,         RECS,           RECS),
    ROW("sigma",          CMP_REL,   TOL(1e-8),   TOL(1e-4),    NO,             NO),
    ROW("r_squared",      CMP_UNIT,  TOL(1e-8),   NO,           NO,             NO),
    ROW("adj_r_squared",  CMP_UNIT,  TOL(1e-8),   NO,           NO,             NO),
    ROW("f_statistic",    CMP_UNIT,  TOL(1e-8),   NO,           NO,             NO),
    ROW("f_df",           CMP_REL,   EQ,          NO,           NO,             NO),
    ROW("f_p_value",      CMP_REL,   PVAL(1e-8),  NO,           NO,             NO),
    ROW("df_residual",    CMP_REL,   EQ,          NO,           NO,             EQ),
    ROW("reml_criterion", CMP_UNIT,  NO,          LOWER(1e-6),  NO,             NO),
    ROW("deviance",       CMP_UNIT,  NO,          LOWER(1e-6),  ABSLOWER(1e-4), TOL(1e-6)),
    ROW("null_deviance",  CMP_UNIT,  NO,          NO,           NO,             TOL(1e-6)),
    ROW("df_null",        CMP_REL,   NO,          NO,           NO,             EQ),
    ROW("log_lik",        CMP_UNIT,  TOL(1e-8),   HIGHER(1e-6), ABSHIGHER(5e-5), TOL(1e-6)),
    ROW("aic",            CMP_UNIT,  TOL(1e-8),   LOWER(1e-6),  ABSLOWER(1e-4), TOL(1e-6)),
    ROW("bic",            CMP_UNIT,  TOL(1e-8),   LOWER(1e-6),  ABSLOWER(1e-4), TOL(1e-6)),
    ROW("theta",          CMP_THETA, NO,          TOL(1e-4),    TOL(1e-3),      NO),
    RECORDS("random_effects", random_effect_rules, 0, 0, "group", "term", NULL,
                                     NO,          RECS,         RECS,           NO),
    RECORDS("correlations", correlation_rules, 0, 1, "group", "term1", "term2",
                                     NO,          RECS,         RECS,           NO),
    ROW("n_groups",       CMP_REL,   NO,          EQ,           EQ,             NO),
    ROW("singular",       CMP_REL,   NO,          EQ,           EQ,             NO),
    ROW("nagq",           CMP_REL,   NO,          NO,           EQ,             NO),
    ROW("family",         CMP_REL,   NO,          NO,           EQ,             EQ),
    ROW("link",           CMP_REL,   NO,          NO,           EQ,             EQ),
    ROW("converged",      CMP_REL,   CONV,        CONV,         CONV,           CONV),
    ROW("iterations",     CMP_REL,   NO,          NO,           NO,             SKIP),
    ROW("bootstrap",      CMP_REL,   SKIP,        NO,           NO,             NO),
    RECORDS("ranef", ranef_rules, 1, 0, "group", "level", "term",
                                     NO,          RECS,         RECS,           NO),
    ROW("compare",        CMP_UNIT,  TOL(1e-8),   TOL(1e-5),    TOL(1e-3),      TOL(1e-6)),
    END
};
typedef struct cmp_ctx {
    st_error *e;
    cmp_report *r;
    const char *name;
    cmp_model model;
    double sigma;       /* R's sigma, or 1 */
    double se;          /* R's standard error of the coefficient at hand, or NaN */
    int status;         /* ST_ENOMEM once memory has run out */
} cmp_ctx;
static void cmp_say(cmp_ctx *c, int ok, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cmp_say(cmp_ctx *c, int ok, const char *path, const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    cmp_report *r = c->r;
    if (c->status != ST_OK)
        return;
    if (r->nline == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        char **line = st_realloc(c->e, r->line, cap, sizeof *line);
        if (line == NULL) {
            c->status = c->e->status;
            return;
        }
        r->line = line;
        r->cap = cap;
    }
    size_t n = strlen(c->name) + strlen(path) + strlen(detail) + 16;
    char *s = st_alloc(c->e, n, 1);
    if (s == NULL) {
        c->status = c->e->status;
        return;
    }
    snprintf(s, n, "%s - %s: %s%s%s", ok ? "ok" : "not ok", c->name, path,
             path[0] != '\0' ? ": " : "", detail);
    r->line[r->nline++] = s;
    if (ok)
        r->nok++;
    else
        r->nfail++;
}

void cmp_report_free(cmp_report *r)
{
    assert(r != NULL);
    for (size_t i = 0; i < r->nline; i++)
        free(r->line[i]);
    free(r->line);
    *r = (cmp_report){ 0, 0, 0, 0, NULL };
}
static const char *cmp_num(char *buf, size_t size, double x)
{
    int first = isfinite(x) && fabs(x) >= 1 ? (int)fmin(floor(log10(fabs(x))) + 1, 17) : 1;
    for (int digits = first; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

static const char *cmp_show(const jr_value *v, char *buf, size_t size)
{
    if (v == NULL)
        return "nothing";
    switch (v->type) {
    case JR_NULL:
        return "null (NA)";
    case JR_FALSE:
        return "false";
    case JR_TRUE:
        return "true";
    case JR_NUMBER:
        return cmp_num(buf, size, v->num);
    case JR_STRING:
        snprintf(buf, size, "\"%s\"", v->str);
        return buf;
    case JR_ARRAY:
        snprintf(buf, size, "an array of %zu", v->len);
        return buf;
    case JR_OBJECT:
        break;
    }
    return "an object";
}
static double cmp_denominator(const cmp_ctx *c, cmp_scale scale, double r)
{
    double a = fabs(r);
    switch (scale) {
    case CMP_REL:   return a;
    case CMP_ABS:   return 1;
    case CMP_UNIT:  return fmax(a, 1);
    case CMP_SE:    return isnan(c->se) ? a : fmax(a, c->se);
    case CMP_THETA: return fmax(a, 0.1);
    case CMP_SD:    return fmax(a, 0.1 * c->sigma);
    case CMP_VAR:   return fmax(a, 0.01 * c->sigma * c->sigma);
    }
    return a;
}

static double cmp_boundary(const cmp_ctx *c, cmp_scale scale)
{
    return scale == CMP_THETA ? 1e-4 : scale == CMP_SD ? 1e-4 * c->sigma
         : scale == CMP_VAR ? 1e-8 * c->sigma * c->sigma : 0;
}
static int cmp_scale_den(cmp_ctx *c, const char *path, const char *os, const char *rs,
                         double o, double r, const cmp_rule *rule, const cmp_spec *spec,
                         double *den)
{
    {
        double b = cmp_boundary(c, rule->scale);
        if (fabs(o) < b && fabs(r) < b) {
            cmp_say(c, 1, path, "ours %s, R %s: both below %g, on the boundary (a singular fit)",
                    os, rs, b);
            return 1;
        }
        *den = spec->absolute ? 1 : cmp_denominator(c, rule->scale, r);
    }
    return 0;
}
static int cmp_pvalue_den(cmp_ctx *c, const char *path, const char *os, const char *rs,
                          const cmp_spec *spec, double *op, double *rp, const char **whatp,
                          double *den)
{
    double o = *op, r = *rp;
    {
        if (!(o >= 0 && o <= 1) || !(r >= 0 && r <= 1)) {
            cmp_say(c, 0, path, "ours %s, R %s, expected probabilities", os, rs);
            return 1;
        }
        if (r < 1e-300) {
            if (o < 1e-300)
                cmp_say(c, 1, path, "ours %s, R %s: both below 1e-300", os, rs);
            else
                cmp_say(c, 0, path, "ours %s, R %s: R's is below 1e-300, ours is not", os, rs);
            return 1;
        }
        if (spec->kind == CMP_PVALUE_Z) {
            o = qnorm(o / 2, 0, 1, 0, 0);
            r = qnorm(r / 2, 0, 1, 0, 0);
            *whatp = "relative difference in |z|";
            *den = fmax(fabs(r), 1);
        } else
            *den = fabs(r);
    }
    *op = o;
    *rp = r;
    return 0;
}
static void cmp_judge(cmp_ctx *c, const char *path, const char *os, const char *rs,
                      const char *what, double d, double tol, cmp_kind kind)
{
    if (kind == CMP_LOWER_OK || kind == CMP_HIGHER_OK) {
        double worse = kind == CMP_LOWER_OK ? d : -d;
        const char *better = kind == CMP_LOWER_OK ? "lower" : "higher";
        if (worse > tol)
            cmp_say(c, 0, path, "ours %s, R %s, %s %.2g > tolerance %g (ours is worse)",
                    os, rs, what, fabs(d), tol);
        else if (worse < -tol)
            cmp_say(c, 1, path, "ours %s, R %s: ours is %s (better) by %s %.2g",
                    os, rs, better, what, fabs(d));
        else
            cmp_say(c, 1, path, "%s %.2g <= %g", what, fabs(d), tol);
    } else if (fabs(d) <= tol)
        cmp_say(c, 1, path, "%s %.2g <= %g", what, fabs(d), tol);
    else
        cmp_say(c, 0, path, "ours %s, R %s, %s %.2g > tolerance %g", os, rs, what, fabs(d), tol);
}
static void cmp_number(cmp_ctx *c, const char *path, double o, double r, const cmp_rule *rule,
                       const cmp_spec *spec)
{
    char os[32], rs[32];
    cmp_num(os, sizeof os, o);
    cmp_num(rs, sizeof rs, r);
    if (spec->kind != CMP_NUMBER && spec->kind != CMP_LOWER_OK && spec->kind != CMP_HIGHER_OK
        && spec->kind != CMP_PVALUE && spec->kind != CMP_PVALUE_Z) {
        if (o == r)
            cmp_say(c, 1, path, "%s, as R", rs);
        else
            cmp_say(c, 0, path, "ours %s, R %s, expected equal", os, rs);
        return;
    }
    const char *what = spec->absolute || rule->scale == CMP_ABS ? "absolute difference"
                                                                : "relative difference";
    double den, tol = spec->tol;
    if (spec->kind == CMP_PVALUE || spec->kind == CMP_PVALUE_Z) {
        if (cmp_pvalue_den(c, path, os, rs, spec, &o, &r, &what, &den))
            return;
    } else if (cmp_scale_den(c, path, os, rs, o, r, rule, spec, &den))
        return;
    double d = o == r ? 0 : den > 0 ? (o - r) / den : o > r ? INFINITY : -INFINITY;
    cmp_judge(c, path, os, rs, what, d, tol, spec->kind);
}
static int cmp_same_type(const jr_value *a, const jr_value *b)
{
    int abool = a->type == JR_TRUE || a->type == JR_FALSE;
    int bbool = b->type == JR_TRUE || b->type == JR_FALSE;
    return a->type == b->type || (abool && bbool);
}

static void cmp_value(cmp_ctx *c, const char *path, const jr_value *o, const jr_value *r,
                      const cmp_rule *rule, const cmp_spec *spec)
{
    char ob[256], rb[256], sub[768];
    if (o == NULL) {
        cmp_say(c, 0, path, "missing from ours (R has %s)", cmp_show(r, rb, sizeof rb));
        return;
    }
    if (r->type == JR_NULL || o->type == JR_NULL) {
        if (r->type == o->type)
            cmp_say(c, 1, path, "null (NA) in both");
        else if (r->type == JR_NULL)
            cmp_say(c, 0, path, "ours %s, R null (NA): expected null",
                    cmp_show(o, ob, sizeof ob));
        else
            cmp_say(c, 0, path, "ours null (NA), R %s: expected %s", cmp_show(r, rb, sizeof rb),
                    jr_type_name(r));
        return;
    }
    if (!cmp_same_type(o, r)) {
        cmp_say(c, 0, path, "ours %s, R %s: expected %s", cmp_show(o, ob, sizeof ob),
                cmp_show(r, rb, sizeof rb), jr_type_name(r));
        return;
    }
    switch (r->type) {
    case JR_NUMBER:
        cmp_number(c, path, o->num, r->num, rule, spec);
        break;
    case JR_ARRAY:
        if (o->len != r->len) {
            cmp_say(c, 0, path, "ours has %zu elements, R %zu", o->len, r->len);
            break;
        }
        for (size_t i = 0; i < r->len; i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i + 1);
            cmp_value(c, sub, &o->item[i], &r->item[i], rule, spec);
        }
        break;
    case JR_OBJECT:
        for (size_t i = 0; i < r->len; i++) {
            snprintf(sub, sizeof sub, "%s.%s", path, r->key[i]);
            cmp_value(c, sub, jr_get(o, r->key[i]), &r->item[i], rule, spec);
        }
        break;
    default:
        if (spec->kind == CMP_CONVERGED && r->type == JR_FALSE)
            cmp_say(c, 1, path, "ours %s, R false (R did not converge)", cmp_show(o, ob, sizeof ob));
        else if (r->type == o->type && (r->type != JR_STRING || strcmp(o->str, r->str) == 0))
            cmp_say(c, 1, path, "%s, as R", cmp_show(r, rb, sizeof rb));
        else
            cmp_say(c, 0, path, "ours %s, R %s, expected equal", cmp_show(o, ob, sizeof ob),
                    cmp_show(r, rb, sizeof rb));
    }
}
static int cmp_same_key(const jr_value *a, const jr_value *b)
{
    return a != NULL && b != NULL && a->type == b->type
        && (a->type == JR_NULL || (a->type == JR_STRING && strcmp(a->str, b->str) == 0));
}

static int cmp_record_name(const jr_value *rec, const cmp_rule *rule, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int k = 0; k < 3 && rule->key[k] != NULL; k++) {
        const jr_value *v = jr_get(rec, rule->key[k]);
        if (v == NULL || (v->type != JR_STRING && v->type != JR_NULL))
            return 0;
        int w = snprintf(buf + n, size - n, "%s%s", k > 0 ? ", " : "",
                         v->type == JR_STRING ? v->str : "NA");
        n = w < 0 || (size_t)w >= size - n ? size - 1 : n + (size_t)w;
    }
    return 1;
}
static int cmp_record_matches(const jr_value *o, const jr_value *r, const cmp_rule *rule)
{
    int direct = 1, swapped = rule->symmetric;
    for (int k = 0; k < 3 && rule->key[k] != NULL; k++) {
        int other = rule->symmetric && k > 0 ? 3 - k : k;
        direct = direct && cmp_same_key(jr_get(o, rule->key[k]), jr_get(r, rule->key[k]));
        swapped = swapped && cmp_same_key(jr_get(o, rule->key[other]), jr_get(r, rule->key[k]));
    }
    return direct || swapped;
}
static void cmp_member(cmp_ctx *c, const char *path, const jr_value *ours, const jr_value *ref,
                       size_t k, const cmp_rule *rules);
static void cmp_record_order(cmp_ctx *c, const char *path, const jr_value *o,
                             const jr_value *r, const cmp_rule *rule)
{
    char ob[256], rb[256];
    {
        const char *key = rule->key[0];
        size_t n = o->len < r->len ? o->len : r->len, i = 0;
        while (i < n && cmp_same_key(jr_get(&o->item[i], key), jr_get(&r->item[i], key)))
            i++;
        if (i < n)
            cmp_say(c, 0, path, "%s %zu is %s in ours, %s in R (expected R's %ss in R's order)",
                    key, i + 1, cmp_show(jr_get(&o->item[i], key), ob, sizeof ob),
                    cmp_show(jr_get(&r->item[i], key), rb, sizeof rb), key);
        else if (o->len != r->len)
            cmp_say(c, 0, path, "ours has %zu %ss, R %zu", o->len, key, r->len);
        else
            cmp_say(c, 1, path, "%zu %ss in R's order", r->len, key);
    }
}

static void cmp_record_fields(cmp_ctx *c, const char *sub, const jr_value *mine,
                              const jr_value *rec, const cmp_rule *rule)
{
    double se;
    c->se = jr_number(jr_get(rec, "std_error"), &se) ? fabs(se) : NAN;
    for (size_t k = 0; k < rec->len; k++) {
        int is_key = 0;
        for (int m = 0; m < 3 && rule->key[m] != NULL; m++)
            is_key = is_key || strcmp(rec->key[k], rule->key[m]) == 0;
        if (!is_key) {
            char field[1200];
            snprintf(field, sizeof field, "%s.%s", sub, rec->key[k]);
            cmp_member(c, field, mine, rec, k, rule->fields);
        }
    }
    c->se = NAN;
}

static void cmp_records(cmp_ctx *c, const char *path, const jr_value *o, const jr_value *r,
                        const cmp_rule *rule)
{
    char ob[256], rb[256], id[400], sub[1024];
    if (r->type != JR_ARRAY) {
        cmp_say(c, 0, path, "R's file has %s, expected an array of records",
                cmp_show(r, rb, sizeof rb));
        return;
    }
    if (o->type != JR_ARRAY) {
        cmp_say(c, 0, path, "ours %s, R an array of records: expected an array",
                cmp_show(o, ob, sizeof ob));
        return;
    }
    if (rule->ordered)
        cmp_record_order(c, path, o, r, rule);
    else if (o->len != r->len)
        cmp_say(c, 0, path, "ours has %zu records, R %zu", o->len, r->len);
    else
        cmp_say(c, 1, path, "%zu records, as R", r->len);
    for (size_t i = 0; i < r->len; i++) {
        const jr_value *rec = &r->item[i], *mine = NULL;
        if (rec->type != JR_OBJECT || !cmp_record_name(rec, rule, id, sizeof id)) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i + 1);
            cmp_say(c, 0, sub, "R's record has no string \"%s\"", rule->key[0]);
            continue;
        }
        snprintf(sub, sizeof sub, "%s[%s]", path, id);
        for (size_t j = 0; j < o->len && mine == NULL; j++)
            if (o->item[j].type == JR_OBJECT && cmp_record_matches(&o->item[j], rec, rule))
                mine = &o->item[j];
        if (mine == NULL) {
            cmp_say(c, 0, sub, "missing from ours");
            continue;
        }
        cmp_record_fields(c, sub, mine, rec, rule);
    }
}
static const cmp_rule *cmp_find_rule(const cmp_rule *rules, const char *field)
{
    for (const cmp_rule *rule = rules; rule->field != NULL; rule++)
        if (strcmp(rule->field, field) == 0)
            return rule;
    return NULL;
}

static void cmp_member(cmp_ctx *c, const char *path, const jr_value *ours, const jr_value *ref,
                       size_t k, const cmp_rule *rules)
{
    const cmp_rule *rule = cmp_find_rule(rules, ref->key[k]);
    const cmp_spec *spec = rule != NULL ? &rule->spec[c->model] : NULL;
    const jr_value *mine = jr_get(ours, ref->key[k]);
    if (spec == NULL || spec->kind == CMP_NONE)
        cmp_say(c, 0, path, "R's file has this field, but model \"%s\" has no rule for it",
                cmp_model_names[c->model]);
    else if (spec->kind == CMP_SKIP)
        return;
    else if (spec->kind == CMP_RECORDS && mine != NULL)
        cmp_records(c, path, mine, &ref->item[k], rule);
    else
        cmp_value(c, path, mine, &ref->item[k], rule, spec);
}
int cmp_json(st_error *e, cmp_report *r, const char *name, const jr_value *ours,
             const jr_value *ref)
{
    cmp_ctx c = { e, r, name, CMP_OLS, 1, NAN, ST_OK };
    char buf[256];
    if (ref->type != JR_OBJECT || ours->type != JR_OBJECT) {
        cmp_say(&c, 0, "", "%s holds %s, expected an object", ref->type != JR_OBJECT
                ? "R's file" : "our output", cmp_show(ref->type != JR_OBJECT ? ref : ours,
                                                        buf, sizeof buf));
        return c.status;
    }
    const char *model = jr_string(jr_get(ref, "model"));
    int m = 0;
    while (m < CMP_NMODELS && (model == NULL || strcmp(model, cmp_model_names[m]) != 0))
        m++;
    if (m == CMP_NMODELS) {
        cmp_say(&c, 0, "model", "R's file has %s, expected \"ols\", \"lmm\", \"glmm\" "
                "or \"glm\"", cmp_show(jr_get(ref, "model"), buf, sizeof buf));
        return c.status;
    }
    c.model = (cmp_model)m;
    double sigma;
    if (jr_number(jr_get(ref, "sigma"), &sigma) && sigma > 0)
        c.sigma = sigma;
    for (size_t k = 0; k < ref->len; k++)
        cmp_member(&c, ref->key[k], ours, ref, k, cmp_rules);
    return c.status;
}
int cmp_files(st_error *e, cmp_report *r, const char *name, const char *ours_path,
              const char *ref_path)
{
    assert(e != NULL);
    assert(r != NULL);
    assert(name != NULL);
    assert(ours_path != NULL);
    assert(ref_path != NULL);
    jr_value *ours = NULL, *ref = NULL;
    st_error read_error = { 0 };
    int status;
    if (jr_read(&read_error, ours_path, &ours) == ST_OK
        && jr_read(&read_error, ref_path, &ref) == ST_OK)
        status = cmp_json(e, r, name, ours, ref);
    else {
        cmp_ctx c = { e, r, name, CMP_OLS, 1, NAN, ST_OK };
        cmp_say(&c, 0, "", "%s", read_error.msg);
        status = c.status;
    }
    jr_free(ours);
    jr_free(ref);
    return status;
}
FILE *cmp_open_dat(const char *dir, const char *prog, const char *what, const char *header)
{
    assert(dir != NULL);
    assert(prog != NULL);
    assert(what != NULL);
    assert(header != NULL);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s-%s.dat", dir, prog, what);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fprintf(stderr, "book-%s: cannot write %s\n", prog, path);
    else
        fprintf(f, "%s\n", header);
    return f;
}

void cmp_tex_number(FILE *out, double x, int digits)
{
    assert(out != NULL);
    char buf[64];
    snprintf(buf, sizeof buf, "%.*g", digits, x);
    char *e = strchr(buf, 'e');
    if (e == NULL) {
        fprintf(out, "$%s$", buf);
        return;
    }
    *e = '\0';
    int k = atoi(e + 1);
    if (strcmp(buf, "1") == 0)
        fprintf(out, "$10^{%d}$", k);
    else
        fprintf(out, "$%s\\times10^{%d}$", buf, k);
}

void cmp_tex_escape(FILE *out, const char *s)
{
    assert(out != NULL);
    assert(s != NULL);
    tex_escape(out, s, strlen(s), 0);
}

void cmp_tex_case_row(FILE *out, const char *name, const double *x, int n, int digits)
{
    assert(out != NULL);
    assert(name != NULL);
    assert(x != NULL || n == 0);
    fputs("\\texttt{", out);
    cmp_tex_escape(out, name);
    fputs("}", out);
    for (int k = 0; k < n; k++) {
        fputs(" & ", out);
        cmp_tex_number(out, x[k], digits);
    }
    fputs(" \\\\\n", out);
}

static void cmp_tex_cell(FILE *out, int present, int have, double x)
{
    fputs(" & ", out);
    if (!present)
        fputs("--", out);
    else if (!have)
        fputs("NA", out);
    else
        cmp_tex_number(out, x, 10);
}

static double cmp_tex_difference(double o, double r, double floor)
{
    double den = fmax(fabs(r), floor);
    return o == r ? 0 : den > 0 ? fabs(o - r) / den : INFINITY;
}
static void cmp_tex_row(FILE *out, const char *term, const jr_value *rec,
                        const jr_value *mine, double *worst_estimate, double *worst_se)
{
    double re, rs, oe, os;
    int have_re = jr_number(jr_get(rec, "estimate"), &re);
    int have_rs = jr_number(jr_get(rec, "std_error"), &rs);
    int have_oe = jr_number(jr_get(mine, "estimate"), &oe);
    int have_os = jr_number(jr_get(mine, "std_error"), &os);
    fputs("\\texttt{", out);
    cmp_tex_escape(out, term);
    fputs("}", out);
    cmp_tex_cell(out, mine != NULL, have_oe, oe);
    cmp_tex_cell(out, 1, have_re, re);
    cmp_tex_cell(out, mine != NULL, have_os, os);
    cmp_tex_cell(out, 1, have_rs, rs);
    if (have_oe && have_re) {
        double d = cmp_tex_difference(oe, re, have_rs ? fabs(rs) : 0);
        *worst_estimate = fmax(*worst_estimate, d);
        fputs(" & ", out);
        cmp_tex_number(out, d, 2);
    } else
        fputs(" & --", out);
    if (have_os && have_rs) {
        double d = cmp_tex_difference(os, rs, 0);
        *worst_se = fmax(*worst_se, d);
        fputs(" & ", out);
        cmp_tex_number(out, d, 2);
    } else
        fputs(" & --", out);
    fputs(" \\\\\n", out);
}

int cmp_tex(st_error *e, FILE *out, const jr_value *ours, const jr_value *ref)
{
    const jr_value *rc = jr_get(ref, "coefficients"), *oc = jr_get(ours, "coefficients");
    if (rc == NULL || rc->type != JR_ARRAY)
        return st_fail(e, ST_EINPUT, "R's file has no array \"coefficients\"");
    if (oc == NULL || oc->type != JR_ARRAY)
        return st_fail(e, ST_EINPUT, "our output has no array \"coefficients\"");
    double worst_estimate = 0, worst_se = 0;
    fputs("% Generated by cmp_tex: do not edit.\n"
          "\\begin{tabular}{@{}lrrrrrr@{}}\n\\toprule\n"
          "& \\multicolumn{2}{c}{estimate} & \\multicolumn{2}{c}{standard error}"
          " & \\multicolumn{2}{c}{relative difference} \\\\\n"
          "\\cmidrule(lr){2-3}\\cmidrule(lr){4-5}\\cmidrule(l){6-7}\n"
          "term & ours & \\textsf{R} & ours & \\textsf{R} & estimate & std.\\ error \\\\\n"
          "\\midrule\n", out);
    for (size_t i = 0; i < rc->len; i++) {
        const jr_value *rec = &rc->item[i], *mine = NULL;
        const char *term = jr_string(jr_get(rec, "term"));
        if (term == NULL)
            return st_fail(e, ST_EINPUT, "R's coefficient %zu has no \"term\"", i + 1);
        for (size_t j = 0; j < oc->len && mine == NULL; j++) {
            const char *t = jr_string(jr_get(&oc->item[j], "term"));
            if (t != NULL && strcmp(t, term) == 0)
                mine = &oc->item[j];
        }
        cmp_tex_row(out, term, rec, mine, &worst_estimate, &worst_se);
    }
    fputs("\\midrule\n\\multicolumn{5}{@{}l}{largest relative difference} & ", out);
    cmp_tex_number(out, worst_estimate, 2);
    fputs(" & ", out);
    cmp_tex_number(out, worst_se, 2);
    fputs(" \\\\\n\\bottomrule\n\\end{tabular}\n", out);
    return ST_OK;
}
