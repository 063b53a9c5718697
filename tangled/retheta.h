#ifndef RETHETA_H
#define RETHETA_H
/* The number of parameters of a term with q columns, q(q+1)/2 */
static inline int re_term_ntheta(int q)
{
    return q * (q + 1) / 2;
}

/* Where element (i, j), i >= j, of a q-column term's Lambda sits in its theta */
static inline int re_theta_at(int q, int i, int j)
{
    return j * q - j * (j - 1) / 2 + (i - j);
}
#endif
