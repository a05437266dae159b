#!/usr/bin/env python3
"""make_bigloc_expected.py -- exact expectations for bigloc.csv.

Run from the repository root:  python3 test/data/make_bigloc_expected.py
Writes test/data/bigloc_expected.csv.

Independent of survey_reg: each CSV field is read AS A DOUBLE (float(text),
correctly rounded, the same double PostgreSQL's float8in gives) and then
taken exactly as a rational number (Fraction(float)).  Every sum, mean,
co-moment and ratio is exact rational arithmetic; only the final square
roots are taken numerically, with mpmath at 50 significant digits.  The
values are written with 25 significant digits, far beyond double precision.

Rows of the output (statistic, var1, var2, value):
  n, mean, sd (N-1), skewness and kurtosis as SPSS DESCRIPTIVES (G1, G2)
  r            Pearson correlation of var1 and var2
  slope        OLS slope of var1 (dependent) on var2 (for the regression tests)
  intercept    OLS intercept of the same model
  se_estimate  residual standard error sqrt(SSE / (n - 2)) of the same model
"""
import csv
from fractions import Fraction

import mpmath

mpmath.mp.dps = 50

with open("test/data/bigloc.csv", newline="") as f:
    reader = csv.reader(f)
    names = next(reader)
    cols = [[] for _ in names]
    for row in reader:
        for j, field in enumerate(row):
            cols[j].append(Fraction(float(field)))

n = len(cols[0])
N = Fraction(n)
means = [sum(c) / N for c in cols]
dev = [[v - m for v in c] for c, m in zip(cols, means)]


def S(i, j):
    """exact centered cross-product sum of (x_i - mean_i)(x_j - mean_j)"""
    return sum(a * b for a, b in zip(dev[i], dev[j]))


def mp(q):
    return mpmath.mpf(q.numerator) / q.denominator


def fmt(x):
    return mpmath.nstr(mp(x) if isinstance(x, Fraction) else x, 25,
                       min_fixed=-30, max_fixed=30)


out = []
for i, name in enumerate(names):
    m2 = S(i, i) / N
    m3 = sum(d ** 3 for d in dev[i]) / N
    m4 = sum(d ** 4 for d in dev[i]) / N
    g1 = mp(m3) / mpmath.power(mp(m2), mpmath.mpf(3) / 2)
    g2 = mp(m4 / (m2 * m2)) - 3
    G1 = g1 * mpmath.sqrt(n * (n - 1)) / (n - 2)
    G2 = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    out.append(("n", name, "", fmt(N)))
    out.append(("mean", name, "", fmt(means[i])))
    out.append(("sd", name, "", fmt(mpmath.sqrt(mp(S(i, i) / (N - 1))))))
    out.append(("skewness", name, "", fmt(G1)))
    out.append(("kurtosis", name, "", fmt(G2)))
for i in range(len(names)):
    for j in range(i + 1, len(names)):
        r = mp(S(i, j)) / mpmath.sqrt(mp(S(i, i) * S(j, j)))
        out.append(("r", names[i], names[j], fmt(r)))

# OLS of column 1 on column 2
slope = S(0, 1) / S(1, 1)
intercept = means[0] - slope * means[1]
sse = S(0, 0) - slope * S(0, 1)
out.append(("slope", names[0], names[1], fmt(slope)))
out.append(("intercept", names[0], names[1], fmt(intercept)))
out.append(("se_estimate", names[0], names[1],
            fmt(mpmath.sqrt(mp(sse / (N - 2))))))

with open("test/data/bigloc_expected.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["statistic", "var1", "var2", "value"])
    w.writerows(out)
