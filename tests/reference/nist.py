#!/usr/bin/env python3
# tests/reference/nist.py: the certified values of the NIST StRD linear regression data sets in
# tests/data/nist/*.csv, computed again from the data in exact rational arithmetic, and written to
# tests/reference/nist/certified.tsv (set, coefficient index, estimate, standard error, with 16
# significant digits; the residual standard deviation as index "sigma").
#
# NIST computed its certified values in 500-digit arithmetic and rounded them to 15 significant
# digits. Solving the normal equations exactly over the rationals (every decimal in the files is a
# rational number) gives the exact least-squares solution of the decimal data, so the values below
# agree with NIST's certified ones in every digit NIST gives (checked for all eleven sets against
# the certified values as NIST publishes them); the standard errors need one square root, taken to
# 60 digits. Run from the root of the repository: python3 tests/reference/nist.py
import csv
from decimal import Decimal, getcontext
from fractions import Fraction as F

getcontext().prec = 60
SETS = [("norris", 1, True), ("pontius", 2, True), ("noint1", 1, False), ("noint2", 1, False),
        ("filip", 10, True), ("longley", None, True), ("wampler1", 5, True), ("wampler2", 5, True),
        ("wampler3", 5, True), ("wampler4", 5, True), ("wampler5", 5, True)]


def design(rows, degree, intercept):
    if degree is None:                                   # Longley: y, x1, ..., x6
        X = [[F(1)] + r[1:] for r in rows]
    else:                                                # y, x: a polynomial in x
        X = [([F(1)] if intercept else []) + [r[1] ** k for k in range(1, degree + 1)] for r in rows]
    return X, [r[0] for r in rows]


def solve(A, b):                                         # Gauss-Jordan, exact
    n = len(A)
    M = [A[i][:] + [b[i]] for i in range(n)]
    for c in range(n):
        piv = next(i for i in range(c, n) if M[i][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        for i in range(n):
            if i != c and M[i][c] != 0:
                f = M[i][c] / M[c][c]
                M[i] = [a - f * m for a, m in zip(M[i], M[c])]
    return [M[i][n] / M[i][i] for i in range(n)]


def dec(q):
    return Decimal(q.numerator) / Decimal(q.denominator)


def show(x):
    return "0" if x == 0 else format(x, ".16e")


out = ["# set\tindex\testimate\tstd_error   (exact least squares on the decimal data; tests/reference/nist.py)"]
for name, degree, intercept in SETS:
    with open("tests/data/nist/%s.csv" % name) as fh:
        rows = [[F(v) for v in r] for r in list(csv.reader(fh))[1:]]
    X, y = design(rows, degree, intercept)
    n, p = len(X), len(X[0])
    XtX = [[sum(X[i][a] * X[i][b] for i in range(n)) for b in range(p)] for a in range(p)]
    beta = solve(XtX, [sum(X[i][a] * y[i] for i in range(n)) for a in range(p)])
    rss = sum((y[i] - sum(X[i][a] * beta[a] for a in range(p))) ** 2 for i in range(n))
    s2 = rss / (n - p)
    for a in range(p):
        e = [F(int(i == a)) for i in range(p)]
        c = solve(XtX, e)[a]
        out.append("%s\t%d\t%s\t%s" % (name, a, show(dec(beta[a])), show((dec(s2 * c)).sqrt())))
    out.append("%s\tsigma\t%s\t0" % (name, show(dec(s2).sqrt())))
with open("tests/reference/nist/certified.tsv", "w") as fh:
    fh.write("\n".join(out) + "\n")
