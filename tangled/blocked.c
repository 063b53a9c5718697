#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>
#include "blocked.h"
#include "retheta.h"     /* the layout of theta, of the random-effects module */

typedef struct blk_sparse {
    int *colptr;        /* level l of term 0 owns blocks colptr[l] .. colptr[l+1]-1 */
    int *row;           /* the level of term k of each block */
    int *pos;           /* pos[i]: the block observation i contributes to */
    double *A, *L;      /* the blocks, q_k x q_0 each, one after another */
} blk_sparse;
struct blk_system {
    int n, K, p, nb;    /* observations, terms, columns of X, blocks (K + 1) */
    blk_term *t;        /* the K terms */
    int *m;             /* m[k]: rows of block k */
    int *off;           /* off[k]: where block k >= 1 starts in F; off[K + 1] = M */
    int M;              /* order of F: m[1] + ... + m[K] */
    int *thoff;         /* theta of term k starts at thoff[k]; thoff[K] = ntheta */
    double *lam;        /* Lambda_k, q_k x q_k lower triangular, at lamoff[k] */
    int *lamoff;
    double **D;         /* D[k]: the l_k diagonal blocks of Z_k' W Z_k */
    blk_sparse *S;      /* S[k], 0 < k < K: block (k, 0) */
    double **A;         /* the dense cross-product blocks (k, j), at index k * nb + j */
    double *L0;         /* the l_0 diagonal blocks of the factor of block (0, 0) */
    double *LK0;        /* (p + 1) x m[0]: block (K, 0) of the factor */
    double *F;          /* M x M: the factor of blocks 1 to K, lower triangle */
    double *xyw;        /* n x (p + 1): sqrt(w) [X y], for the last diagonal block */
    double *sw;         /* n: sqrt(w), for the residuals */
    double ldw;         /* sum of log w_i of the last cross-products (eq:lmm-weights) */
};
#define BLK_MAX_DENSE 400000000.0   /* doubles in all dense blocks: 3.2 GB */
static void lam_t_times(const double *lam, int q, double *v, size_t inc)
{
    for (int i = 0; i < q; i++) {
        double sum = 0.0;
        for (int k = i; k < q; k++)
            sum += lam[k + i * q] * v[k * inc];
        v[i * inc] = sum;
    }
}

static int chol_small(double *a, int q)
{
    for (int j = 0; j < q; j++) {
        double d = a[j + j * q];
        for (int k = 0; k < j; k++)
            d -= a[j + k * q] * a[j + k * q];
        if (!(d > 0.0))
            return 1;
        d = sqrt(d);
        a[j + j * q] = d;
        for (int i = j + 1; i < q; i++) {
            double sum = a[i + j * q];
            for (int k = 0; k < j; k++)
                sum -= a[i + k * q] * a[j + k * q];
            a[i + j * q] = sum / d;
            a[j + i * q] = 0.0;
        }
    }
    return 0;
}

static void solve_row_lt(const double *l, int q, double *v, size_t inc)
{
    for (int j = 0; j < q; j++) {
        double sum = v[j * inc];
        for (int k = 0; k < j; k++)
            sum -= l[j + k * q] * v[k * inc];
        v[j * inc] = sum / l[j + j * q];
    }
}
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int make_pattern(st_error *e, blk_system *s, int k, const int *start,
                        const int *obs, int *stamp, int *where)
{
    blk_sparse *S = &s->S[k];
    const int *g = s->t[k].g;
    int l0 = s->t[0].nlevels, nnz = 0;
    size_t bsize = (size_t)s->t[k].q * (size_t)s->t[0].q;
    S->colptr = st_alloc(e, (size_t)l0 + 1, sizeof *S->colptr);
    S->pos = st_alloc(e, (size_t)s->n, sizeof *S->pos);
    if (S->colptr == NULL || S->pos == NULL)
        return e->status;
    for (int r = 0; r < s->t[k].nlevels; r++)
        stamp[r] = -1;
    for (int l = 0; l < l0; l++) {
        for (int a = start[l]; a < start[l + 1]; a++)
            if (stamp[g[obs[a]]] != l) {
                stamp[g[obs[a]]] = l;
                nnz++;
            }
        S->colptr[l + 1] = nnz;
    }
    S->row = st_alloc(e, (size_t)nnz, sizeof *S->row);
    S->A = st_alloc(e, (size_t)nnz * bsize, sizeof *S->A);
    S->L = st_alloc(e, (size_t)nnz * bsize, sizeof *S->L);
    if (S->row == NULL || S->A == NULL || S->L == NULL)
        return e->status;
    for (int l = 0; l < l0; l++) {
        int c = S->colptr[l];
        for (int a = start[l]; a < start[l + 1]; a++)
            if (stamp[g[obs[a]]] != -2 - l) {
                stamp[g[obs[a]]] = -2 - l;
                S->row[c++] = g[obs[a]];
            }
        qsort(S->row + S->colptr[l], (size_t)(c - S->colptr[l]), sizeof(int), cmp_int);
        for (int b = S->colptr[l]; b < c; b++)
            where[S->row[b]] = b;
        for (int a = start[l]; a < start[l + 1]; a++)
            S->pos[obs[a]] = where[g[obs[a]]];
    }
    return ST_OK;
}
static int make_patterns(st_error *e, blk_system *s)
{
    const blk_term *t0 = &s->t[0];
    int n = s->n, l0 = t0->nlevels, status = ST_OK;
    int *start = st_alloc(e, (size_t)l0 + 1, sizeof *start);
    int *obs = st_alloc(e, (size_t)n, sizeof *obs);
    int maxl = 0;
    for (int k = 1; k < s->K; k++)
        if (s->t[k].nlevels > maxl)
            maxl = s->t[k].nlevels;
    int *stamp = st_alloc(e, (size_t)maxl, sizeof *stamp);
    int *where = st_alloc(e, (size_t)maxl, sizeof *where);
    if (start == NULL || obs == NULL || stamp == NULL || where == NULL) {
        status = e->status;
        goto done;
    }
    for (int i = 0; i < n; i++)
        start[t0->g[i] + 1]++;
    for (int l = 0; l < l0; l++)
        start[l + 1] += start[l];
    for (int i = 0; i < n; i++)
        obs[start[t0->g[i]]++] = i;
    for (int l = l0; l > 0; l--)
        start[l] = start[l - 1];
    start[0] = 0;
    for (int k = 1; k < s->K && status == ST_OK; k++)
        status = make_pattern(e, s, k, start, obs, stamp, where);
done:
    free(start); free(obs); free(stamp); free(where);
    return status;
}
static int blk_layout(st_error *e, blk_system *s, const blk_term *terms)
{
    int K = s->K, nb = s->nb, p = s->p;
    s->t = st_alloc(e, (size_t)K, sizeof *s->t);
    s->m = st_alloc(e, (size_t)nb, sizeof *s->m);
    s->thoff = st_alloc(e, (size_t)nb, sizeof *s->thoff);
    s->lamoff = st_alloc(e, (size_t)nb, sizeof *s->lamoff);
    if (s->t == NULL || s->m == NULL || s->thoff == NULL || s->lamoff == NULL)
        goto fail;
    for (int k = 0; k < K; k++) {
        s->t[k] = terms[k];
        int q = terms[k].q;
        if ((double)terms[k].nlevels * q > 1e9) {
            st_fail(e, ST_EFIT, "random-effects term %d has too many random effects (%.0f)",
                    k + 1, (double)terms[k].nlevels * q);
            goto fail;
        }
        s->m[k] = terms[k].nlevels * q;
        s->thoff[k + 1] = s->thoff[k] + re_term_ntheta(q);
        s->lamoff[k + 1] = s->lamoff[k] + q * q;
    }
    s->m[K] = p + 1;
    s->off = st_alloc(e, (size_t)nb + 1, sizeof *s->off);
    s->lam = st_alloc(e, (size_t)s->lamoff[K], sizeof *s->lam);
    if (s->off == NULL || s->lam == NULL)
        goto fail;
    for (int k = 1; k <= K; k++)
        s->off[k + 1] = s->off[k] + s->m[k];
    s->M = s->off[K + 1];
    return ST_OK;
fail:
    return e->status;
}

static int blk_check_dense(st_error *e, const blk_system *s)
{
    int K = s->K;
    {
        double total = (double)s->M * s->M + 2.0 * s->m[K] * (s->m[0] + s->M);
        for (int j = 1; j < K; j++)
            for (int k = j + 1; k < K; k++)
                total += (double)s->m[k] * s->m[j];
        if (total > BLK_MAX_DENSE) {
            st_fail(e, ST_EFIT, "the random effects need a dense matrix of order %d (%.1f GB) "
                    "in the Cholesky factor, more than the limit of %.1f GB: the terms after "
                    "the first have too many levels", s->M, total * 8e-9, BLK_MAX_DENSE * 8e-9);
            goto fail;
        }
    }
    return ST_OK;
fail:
    return e->status;
}

static int blk_allocate(st_error *e, blk_system *s, const blk_term *terms)
{
    int K = s->K, nb = s->nb, n = s->n, p = s->p;
    s->D = st_alloc(e, (size_t)K, sizeof *s->D);
    s->S = st_alloc(e, (size_t)K, sizeof *s->S);
    s->A = st_alloc(e, (size_t)nb * nb, sizeof *s->A);
    if (s->D == NULL || s->S == NULL || s->A == NULL)
        goto fail;
    for (int k = 0; k < K; k++)
        if ((s->D[k] = st_alloc(e, (size_t)s->m[k] * terms[k].q, sizeof(double))) == NULL)
            goto fail;
    if ((s->L0 = st_alloc(e, (size_t)s->m[0] * terms[0].q, sizeof(double))) == NULL)
        goto fail;
    if (K > 1 && make_patterns(e, s) != ST_OK)
        goto fail;
    for (int j = 0; j <= K; j++)
        for (int k = j; k <= K; k++)
            if ((k == K || (j > 0 && k > j))
                && (s->A[k * nb + j] = st_alloc(e, (size_t)s->m[k] * (size_t)s->m[j],
                                                sizeof(double))) == NULL)
                goto fail;
    if ((s->LK0 = st_alloc(e, (size_t)s->m[K] * (size_t)s->m[0], sizeof(double))) == NULL
        || (s->F = st_alloc_large(e, (size_t)s->M * (size_t)s->M, sizeof(double))) == NULL
        || (s->xyw = st_alloc(e, (size_t)n * (size_t)(p + 1), sizeof(double))) == NULL
        || (s->sw = st_alloc(e, (size_t)n, sizeof(double))) == NULL)
        goto fail;
    return ST_OK;
fail:
    return e->status;
}
#define ZV(t, i, c) ((t)->Z[(i) + (size_t)(c) * (size_t)n])
static void add_observation(blk_system *s, int k, int i, double wi, const double *X,
                            const double *y)
{
    int n = s->n, K = s->K, nb = s->nb, p = s->p, p1 = p + 1;
    const blk_term *tk = &s->t[k];
    int qk = tk->q, lk = tk->g[i];
    double *Dk = s->D[k] + (size_t)lk * qk * qk;
    for (int c2 = 0; c2 < qk; c2++)
        for (int c1 = 0; c1 < qk; c1++)
            Dk[c1 + c2 * qk] += wi * ZV(tk, i, c1) * ZV(tk, i, c2);
    if (k > 0) {
        const blk_term *t0 = &s->t[0];
        int q0 = t0->q;
        double *B = s->S[k].A + (size_t)s->S[k].pos[i] * qk * q0;
        for (int c0 = 0; c0 < q0; c0++)
            for (int c1 = 0; c1 < qk; c1++)
                B[c1 + c0 * qk] += wi * ZV(tk, i, c1) * ZV(t0, i, c0);
    }
    for (int j = 1; j < k; j++) {
        const blk_term *tj = &s->t[j];
        int qj = tj->q, mk = s->m[k];
        double *Akj = s->A[k * nb + j];
        size_t r0 = (size_t)lk * qk, c0 = (size_t)tj->g[i] * qj;
        for (int c2 = 0; c2 < qj; c2++)
            for (int c1 = 0; c1 < qk; c1++)
                Akj[r0 + c1 + (c0 + c2) * mk] += wi * ZV(tk, i, c1) * ZV(tj, i, c2);
    }
    double *AK = s->A[K * nb + k];
    for (int c = 0; c < qk; c++) {
        double z = wi * ZV(tk, i, c);
        double *col = AK + ((size_t)lk * qk + c) * p1;
        for (int r = 0; r < p; r++)
            col[r] += X[i + (size_t)r * n] * z;
        col[p] += y[i] * z;
    }
}
static void unpack_theta(blk_system *s, const double *theta)
{
    for (int k = 0; k < s->K; k++) {
        int q = s->t[k].q;
        double *lam = s->lam + s->lamoff[k];
        const double *th = theta + s->thoff[k];
        for (int c = 0; c < q; c++)
            for (int r = 0; r < q; r++)
                lam[r + c * q] = r >= c ? th[re_theta_at(q, r, c)] : 0.0;
    }
}
static void scale_dense(double *L, size_t ld, const double *A, int mr, int mc, int qk,
                        const double *lk, int qj, const double *lj)
{
    if ((lk == NULL || qk == 1) && qj == 1) {
        double f = (lk ? lk[0] : 1.0) * lj[0];
        for (int c = 0; c < mc; c++)
            for (int r = 0; r < mr; r++)
                L[r + c * ld] = f * A[r + (size_t)c * mr];
        return;
    }
    for (int c = 0; c < mc; c++)
        memcpy(L + c * ld, A + (size_t)c * mr, (size_t)mr * sizeof *L);
    if (lk != NULL)
        for (int c = 0; c < mc; c++)
            for (int r = 0; r < mr; r += qk)
                lam_t_times(lk, qk, L + r + c * ld, 1);
    for (int r = 0; r < mr; r++)
        for (int c = 0; c < mc; c += qj)
            lam_t_times(lj, qj, L + r + c * ld, ld);
}
static void sparse_update(blk_system *s, int k, int j, double *T, size_t ld)
{
    const blk_sparse *Sk = &s->S[k], *Sj = &s->S[j];
    int qk = s->t[k].q, qj = s->t[j].q, q0 = s->t[0].q;
    size_t bk = (size_t)qk * q0, bj = (size_t)qj * q0;
    for (int l = 0; l < s->t[0].nlevels; l++) {
        int a0 = Sk->colptr[l], a1 = Sk->colptr[l + 1];
        for (int b = Sj->colptr[l]; b < Sj->colptr[l + 1]; b++) {
            int rb = Sj->row[b];
            const double *Bb = Sj->L + b * bj;
            double *Tb = T + (size_t)rb * qj * ld;
            if (k == j)
                a0 = b;
            if (qk == 1 && qj == 1 && q0 == 1) {
                double f = Bb[0];
                for (int a = a0; a < a1; a++)
                    Tb[Sk->row[a]] -= Sk->L[a] * f;
            } else
                for (int a = a0; a < a1; a++) {
                    const double *Ba = Sk->L + a * bk;
                    double *Tab = Tb + (size_t)Sk->row[a] * qk;
                    for (int c2 = 0; c2 < qj; c2++)
                        for (int c1 = 0; c1 < qk; c1++) {
                            double sum = 0.0;
                            for (int c0 = 0; c0 < q0; c0++)
                                sum += Ba[c1 + c0 * qk] * Bb[c2 + c0 * qj];
                            Tab[c1 + c2 * ld] -= sum;
                        }
                }
        }
    }
}

static void sparse_update_xy(blk_system *s, int j, double *T, size_t ld)
{
    const blk_sparse *Sj = &s->S[j];
    int qj = s->t[j].q, q0 = s->t[0].q, p1 = s->m[s->K];
    size_t bj = (size_t)qj * q0;
    for (int l = 0; l < s->t[0].nlevels; l++)
        for (int b = Sj->colptr[l]; b < Sj->colptr[l + 1]; b++) {
            const double *Bb = Sj->L + b * bj;
            double *Tb = T + (size_t)Sj->row[b] * qj * ld;
            for (int c2 = 0; c2 < qj; c2++)
                for (int c0 = 0; c0 < q0; c0++) {
                    double f = Bb[c2 + c0 * qj];
                    const double *src = s->LK0 + ((size_t)l * q0 + c0) * p1;
                    for (int r = 0; r < p1; r++)
                        Tb[r + c2 * ld] -= src[r] * f;
                }
        }
}
static int factor_column0(blk_system *s)
{
    int K = s->K, nb = s->nb;
    {
        const blk_term *t0 = &s->t[0];
        int q0 = t0->q, p1 = s->m[K];
        const double *lam0 = s->lam + s->lamoff[0];
        for (int l = 0; l < t0->nlevels; l++) {
            double *b = s->L0 + (size_t)l * q0 * q0;
            memcpy(b, s->D[0] + (size_t)l * q0 * q0, (size_t)q0 * q0 * sizeof *b);
            for (int c = 0; c < q0; c++)
                lam_t_times(lam0, q0, b + c * q0, 1);
            for (int r = 0; r < q0; r++)
                lam_t_times(lam0, q0, b + r, (size_t)q0);
            for (int c = 0; c < q0; c++)
                b[c + c * q0] += 1.0;
            if (chol_small(b, q0) != 0)
                return 1;
        }
        for (int k = 1; k < K; k++) {
            const blk_sparse *S = &s->S[k];
            int qk = s->t[k].q;
            const double *lamk = s->lam + s->lamoff[k];
            size_t bsize = (size_t)qk * q0;
            for (int l = 0; l < t0->nlevels; l++) {
                const double *l0 = s->L0 + (size_t)l * q0 * q0;
                if (bsize == 1) {
                    double f = lamk[0] * lam0[0] / l0[0];
                    for (int a = S->colptr[l]; a < S->colptr[l + 1]; a++)
                        S->L[a] = f * S->A[a];
                    continue;
                }
                for (int a = S->colptr[l]; a < S->colptr[l + 1]; a++) {
                    double *B = S->L + a * bsize;
                    memcpy(B, S->A + a * bsize, bsize * sizeof *B);
                    for (int c = 0; c < q0; c++)
                        lam_t_times(lamk, qk, B + c * qk, 1);
                    for (int r = 0; r < qk; r++) {
                        lam_t_times(lam0, q0, B + r, (size_t)qk);
                        solve_row_lt(l0, q0, B + r, (size_t)qk);
                    }
                }
            }
        }
        double *LK0 = s->LK0;
        memcpy(LK0, s->A[K * nb], (size_t)p1 * s->m[0] * sizeof *LK0);
        for (int l = 0; l < t0->nlevels; l++) {
            const double *l0 = s->L0 + (size_t)l * q0 * q0;
            for (int r = 0; r < p1; r++) {
                double *v = LK0 + r + (size_t)l * q0 * p1;
                lam_t_times(lam0, q0, v, (size_t)p1);
                solve_row_lt(l0, q0, v, (size_t)p1);
            }
        }
    }
    return 0;
}

static void assemble_blocks(blk_system *s)
{
    int K = s->K, nb = s->nb, M = s->M;
    double *F = s->F;
    for (int c = 0; c < M; c++)
        memset(F + c + (size_t)c * M, 0, (size_t)(M - c) * sizeof *F);
    for (int j = 1; j < K; j++) {
        int qj = s->t[j].q;
        const double *lamj = s->lam + s->lamoff[j];
        double *Fjj = F + s->off[j] * (1 + (size_t)M);
        for (int l = 0; l < s->t[j].nlevels; l++) {
            const double *src = s->D[j] + (size_t)l * qj * qj;
            double *dst = Fjj + (size_t)l * qj * (1 + (size_t)M);
            for (int c = 0; c < qj; c++)
                for (int r = 0; r < qj; r++)
                    dst[r + (size_t)c * M] = src[r + c * qj];
            for (int c = 0; c < qj; c++)
                lam_t_times(lamj, qj, dst + (size_t)c * M, 1);
            for (int r = 0; r < qj; r++)
                lam_t_times(lamj, qj, dst + r, (size_t)M);
            for (int c = 0; c < qj; c++)
                dst[c + (size_t)c * M] += 1.0;
        }
        for (int k = j + 1; k <= K; k++)
            scale_dense(F + s->off[k] + (size_t)s->off[j] * M, (size_t)M, s->A[k * nb + j],
                        s->m[k], s->m[j], k < K ? s->t[k].q : 1,
                        k < K ? s->lam + s->lamoff[k] : NULL, qj, lamj);
    }
    {
        int p1 = s->m[K];
        double *FKK = F + s->off[K] * (1 + (size_t)M);
        for (int c = 0; c < p1; c++)
            for (int r = c; r < p1; r++)
                FKK[r + (size_t)c * M] = s->A[K * nb + K][r + c * p1];
    }
}
static void modes_rhs(const blk_system *s, const double *beta, double *u)
{
    int K = s->K, p = s->p, p1 = p + 1, m0 = s->m[0], nF = s->off[K];
    size_t M = (size_t)s->M;
    for (int c = 0; c < m0; c++) {
        const double *col = s->LK0 + (size_t)c * p1;
        double sum = col[p];
        for (int r = 0; r < p; r++)
            sum -= col[r] * beta[r];
        u[c] = sum;
    }
    for (int c = 0; c < nF; c++) {
        const double *col = s->F + s->off[K] + c * M;
        double sum = col[p];
        for (int r = 0; r < p; r++)
            sum -= col[r] * beta[r];
        u[m0 + c] = sum;
    }
}

static void modes_scale(const blk_system *s, const double *u, double *b)
{
    int K = s->K, m0 = s->m[0];
    for (int k = 0; k < K; k++) {
        int q = s->t[k].q;
        const double *lam = s->lam + s->lamoff[k];
        size_t ok = k == 0 ? 0 : (size_t)m0 + s->off[k];
        for (int l = 0; l < s->t[k].nlevels; l++) {
            const double *uk = u + ok + (size_t)l * q;
            double *bk = b + ok + (size_t)l * q;
            for (int i = q - 1; i >= 0; i--) {
                double sum = 0.0;
                for (int c = 0; c <= i; c++)
                    sum += lam[i + c * q] * uk[c];
                bk[i] = sum;
            }
        }
    }
}
static void lam_diag(const double *lam, int q, const double *V, double *d)
{
    for (int i = 0; i < q; i++) {
        double sum = 0.0;
        for (int a = 0; a <= i; a++)
            for (int b = 0; b <= i; b++)
                sum += lam[i + a * q] * V[a + b * q] * lam[i + b * q];
        d[i] = sum;
    }
}
static void condvar_term0(const blk_system *s, double *x, double *V, double *v)
{
    int K = s->K, q0 = s->t[0].q, nF = s->off[K];
    const double *lam0 = s->lam + s->lamoff[0];
    size_t len = (size_t)q0 + nF;
    for (int l = 0; l < s->t[0].nlevels; l++) {
        const double *l0 = s->L0 + (size_t)l * q0 * q0;
        memset(x, 0, (size_t)q0 * len * sizeof *x);
        for (int c = 0; c < q0; c++) {
            double *xc = x + (size_t)c * len;
            for (int i = 0; i < q0; i++) {          /* L_{00,l} y = e_c */
                double sum = i == c ? 1.0 : 0.0;
                for (int k = 0; k < i; k++)
                    sum -= l0[i + k * q0] * xc[k];
                xc[i] = sum / l0[i + i * q0];
            }
            for (int k = 1; k < K; k++) {           /* the right-hand side -L_{k0} y */
                const blk_sparse *S = &s->S[k];
                int qk = s->t[k].q;
                for (int a = S->colptr[l]; a < S->colptr[l + 1]; a++) {
                    const double *B = S->L + (size_t)a * qk * q0;
                    double *xa = xc + q0 + s->off[k] + (size_t)S->row[a] * qk;
                    for (int c1 = 0; c1 < qk; c1++)
                        for (int c0 = 0; c0 < q0; c0++)
                            xa[c1] -= B[c1 + c0 * qk] * xc[c0];
                }
            }
            if (nF > 0)
                cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, nF, s->F,
                            s->M, xc + q0, 1);
        }
        for (int a = 0; a < q0; a++)
            for (int b = 0; b < q0; b++)
                V[a + b * q0] = cblas_ddot((int)len, x + (size_t)a * len, 1, x + (size_t)b * len, 1);
        lam_diag(lam0, q0, V, v + (size_t)l * q0);
    }
}

static int condvar_others(st_error *e, const blk_system *s, double *Finv, double *v)
{
    int K = s->K, m0 = s->m[0], nF = s->off[K];
    size_t M = (size_t)s->M;
    if (nF > 0) {
        for (int c = 0; c < nF; c++)
            for (int r = 0; r < nF; r++)
                Finv[r + (size_t)c * nF] = r >= c ? s->F[r + c * M] : 0.0;
        if (LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'L', 'N', nF, Finv, nF) != 0)
            return st_fail(e, ST_EFIT, "the factor of the random effects is singular");
        for (int k = 1; k < K; k++) {
            int q = s->t[k].q;
            double *W = st_alloc(e, (size_t)q * q, sizeof *W);
            if (W == NULL)
                return e->status;
            for (int l = 0; l < s->t[k].nlevels; l++) {
                size_t j0 = (size_t)s->off[k] + (size_t)l * q;
                for (int a = 0; a < q; a++)
                    for (int b = 0; b < q; b++)
                        W[a + b * q] = cblas_ddot(nF, Finv + (j0 + a) * nF, 1,
                                                  Finv + (j0 + b) * nF, 1);
                lam_diag(s->lam + s->lamoff[k], q, W, v + m0 + j0);
            }
            free(W);
        }
    }
    return ST_OK;
}
int blk_create(st_error *e, int n, int nterms, const blk_term *terms, int p,
               blk_system **out)
{
    assert(nterms >= 1 && terms != NULL);
    *out = NULL;
    blk_system *s = st_alloc(e, 1, sizeof *s);
    if (s == NULL)
        return e->status;
    int K = nterms, nb = nterms + 1;
    s->n = n;
    s->K = K;
    s->p = p;
    s->nb = nb;
    if (blk_layout(e, s, terms) != ST_OK || blk_check_dense(e, s) != ST_OK
        || blk_allocate(e, s, terms) != ST_OK)
        goto fail;
    *out = s;
    return ST_OK;
fail:
    blk_free(s);
    return e->status;
}
void blk_free(blk_system *s)
{
    if (s == NULL)
        return;
    for (int k = 0; k < s->K; k++) {
        if (s->D)
            free(s->D[k]);
        if (s->S) {
            free(s->S[k].colptr); free(s->S[k].row); free(s->S[k].pos);
            free(s->S[k].A); free(s->S[k].L);
        }
    }
    if (s->A)
        for (int b = 0; b < s->nb * s->nb; b++)
            free(s->A[b]);
    free(s->D); free(s->S); free(s->A); free(s->L0); free(s->LK0); free(s->F);
    free(s->t); free(s->m); free(s->off); free(s->thoff); free(s->lam); free(s->lamoff);
    free(s->xyw); free(s->sw);
    free(s);
}
int blk_crossprod(st_error *e, blk_system *s, const double *X, const double *y,
                  const double *w)
{
    int n = s->n, K = s->K, nb = s->nb, p = s->p, p1 = p + 1;
    for (int k = 0; k < K; k++) {
        memset(s->D[k], 0, (size_t)s->m[k] * s->t[k].q * sizeof(double));
        if (k > 0)
            memset(s->S[k].A, 0, (size_t)s->S[k].colptr[s->t[0].nlevels] * s->t[k].q
                   * s->t[0].q * sizeof(double));
    }
    for (int j = 0; j <= K; j++)
        for (int k = j; k <= K; k++)
            if (s->A[k * nb + j])
                memset(s->A[k * nb + j], 0, (size_t)s->m[k] * s->m[j] * sizeof(double));
    s->ldw = 0.0;
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        if (!(wi >= 0) || !isfinite(wi))
            return st_fail(e, ST_EINPUT, "weight %d is negative or not finite", i + 1);
        for (int k = 0; k < K; k++)
            add_observation(s, k, i, wi, X, y);
        double sw = sqrt(wi);
        s->sw[i] = sw;
        s->ldw += log(wi);
        for (int c = 0; c < p; c++)
            s->xyw[i + (size_t)c * n] = sw * X[i + (size_t)c * n];
        s->xyw[i + (size_t)p * n] = sw * y[i];
    }
    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, p1, n, 1.0, s->xyw, n, 0.0,
                s->A[K * nb + K], p1);
    return ST_OK;
}
int blk_factor(blk_system *s, const double *theta)
{
    int K = s->K, M = s->M;
    double *F = s->F;
    unpack_theta(s, theta);
    if (factor_column0(s) != 0)
        return 1;
    assemble_blocks(s);
    for (int j = 1; j < K; j++) {
        for (int k = j; k < K; k++)
            sparse_update(s, k, j, F + s->off[k] + (size_t)s->off[j] * M, (size_t)M);
        sparse_update_xy(s, j, F + s->off[K] + (size_t)s->off[j] * M, (size_t)M);
    }
    cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, s->m[K], s->m[0], -1.0, s->LK0,
                s->m[K], 1.0, F + s->off[K] * (1 + (size_t)M), M);
    int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', M, F, M);
    if (info != 0) {
        int j = 1;
        while (j < K && s->off[j + 1] < info)
            j++;
        return j + 1;
    }
    return 0;
}
double blk_logdet(const blk_system *s)
{
    assert(s != NULL);
    double sum = 0.0;
    int q0 = s->t[0].q;
    for (int l = 0; l < s->t[0].nlevels; l++)
        for (int c = 0; c < q0; c++)
            sum += log(s->L0[(size_t)l * q0 * q0 + c * (q0 + 1)]);
    for (int c = 0; c < s->off[s->K]; c++)
        sum += log(s->F[c * (1 + (size_t)s->M)]);
    return 2.0 * sum;
}

double blk_logdet_x(const blk_system *s)
{
    assert(s != NULL);
    double sum = 0.0;
    for (int c = s->off[s->K]; c < s->off[s->K] + s->p; c++)
        sum += log(s->F[c * (1 + (size_t)s->M)]);
    return 2.0 * sum;
}

double blk_pwrss(const blk_system *s)
{
    assert(s != NULL);
    double r = s->F[(s->M - 1) * (1 + (size_t)s->M)];
    return r * r;
}
double blk_logdet_w(const blk_system *s)
{
    assert(s != NULL);
    return s->ldw;
}
void blk_beta(const blk_system *s, double *beta)
{
    assert(s != NULL);
    assert(beta != NULL);
    int p = s->p;
    size_t M = (size_t)s->M;
    const double *FKK = s->F + s->off[s->K] * (1 + M);
    for (int c = 0; c < p; c++)
        beta[c] = FKK[p + c * M];
    if (p > 0)
        cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, p, FKK, s->M, beta, 1);
}

void blk_rx(const blk_system *s, double *rxt)
{
    assert(s != NULL);
    assert(rxt != NULL);
    int p = s->p;
    size_t M = (size_t)s->M;
    const double *FKK = s->F + s->off[s->K] * (1 + M);
    for (int c = 0; c < p; c++)
        for (int r = 0; r < p; r++)
            rxt[r + c * p] = r >= c ? FKK[r + c * M] : 0.0;
}
void blk_modes(const blk_system *s, const double *beta, double *u, double *b)
{
    int K = s->K, m0 = s->m[0], nF = s->off[K];
    modes_rhs(s, beta, u);
    if (nF > 0)
        cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, nF, s->F, s->M,
                    u + m0, 1);
    for (int k = 1; k < K; k++) {
        const blk_sparse *S = &s->S[k];
        int qk = s->t[k].q, q0 = s->t[0].q;
        const double *uk = u + m0 + s->off[k];
        for (int l = 0; l < s->t[0].nlevels; l++)
            for (int a = S->colptr[l]; a < S->colptr[l + 1]; a++) {
                const double *B = S->L + (size_t)a * qk * q0;
                const double *ua = uk + (size_t)S->row[a] * qk;
                for (int c0 = 0; c0 < q0; c0++)
                    for (int c1 = 0; c1 < qk; c1++)
                        u[(size_t)l * q0 + c0] -= B[c1 + c0 * qk] * ua[c1];
            }
    }
    {
        int q0 = s->t[0].q;
        for (int l = 0; l < s->t[0].nlevels; l++) {
            const double *l0 = s->L0 + (size_t)l * q0 * q0;
            double *v = u + (size_t)l * q0;
            for (int i = q0 - 1; i >= 0; i--) {
                double sum = v[i];
                for (int k = i + 1; k < q0; k++)
                    sum -= l0[k + i * q0] * v[k];
                v[i] = sum / l0[i + i * q0];
            }
        }
    }
    modes_scale(s, u, b);
}
double blk_solve(const blk_system *s, double *beta, double *u, double *b)
{
    assert(s != NULL);
    assert(beta != NULL);
    assert(u != NULL);
    assert(b != NULL);
    int n = s->n, p = s->p, m0 = s->m[0];
    double sum = 0.0;
    blk_beta(s, beta);
    blk_modes(s, beta, u, b);
    for (int i = 0; i < n; i++) {
        double r = s->xyw[i + (size_t)p * n], zb = 0.0;
        for (int c = 0; c < p; c++)
            r -= s->xyw[i + (size_t)c * n] * beta[c];
        for (int k = 0; k < s->K; k++) {
            const blk_term *t = &s->t[k];
            const double *bk = b + (k == 0 ? 0 : (size_t)m0 + s->off[k]) + (size_t)t->g[i] * t->q;
            for (int c = 0; c < t->q; c++)
                zb += ZV(t, i, c) * bk[c];
        }
        r -= s->sw[i] * zb;
        sum += r * r;
    }
    for (int j = 0; j < m0 + s->off[s->K]; j++)
        sum += u[j] * u[j];
    return sum;
}
int blk_ntheta(const blk_system *s)
{
    assert(s != NULL);
    return s->thoff[s->K];
}

int blk_nre(const blk_system *s)
{
    assert(s != NULL);
    int q = 0;
    for (int k = 0; k < s->K; k++)
        q += s->m[k];
    return q;
}

int blk_condvar(st_error *e, const blk_system *s, double *v)
{
    int K = s->K, q0 = s->t[0].q, nF = s->off[K];
    double *x = st_alloc(e, (size_t)q0 * ((size_t)nF + q0) + 1, sizeof *x);
    double *Finv = st_alloc(e, (size_t)nF * nF + 1, sizeof *Finv);
    double *V = st_alloc(e, (size_t)q0 * q0 + 1, sizeof *V);
    if (x == NULL || Finv == NULL || V == NULL) {
        free(x); free(Finv); free(V);
        return e->status;
    }
    condvar_term0(s, x, V, v);
    int status = condvar_others(e, s, Finv, v);
    free(x); free(Finv); free(V);
    return status;
}
