#!/usr/bin/env python3
"""make_nist_univariate_exact.py -- exact mean and SD of the NIST StRD
univariate sets (NumAcc1-4) AS DOUBLES.

The certified values are for the decimal data; a double-precision program
sees each value rounded to the nearest double (10000000.2 is not a double),
so on NumAcc3/4 even an exact computation from the doubles differs from the
certified SD in the 9th-10th digit.  This script gives the exact answer for
the doubles (Fraction(float(text)), exact sums, the square root with mpmath
at 50 digits), so test/accuracy_nist_univariate.sql can tell the rounding of
the inputs from errors of our own arithmetic.

Run from the repository root (the NIST files are in test/data/nist):
  python3 test/data/make_nist_univariate_exact.py
Writes test/data/nist_univariate_exact.csv (dataset, n, mean, sd; 25 digits).
"""
import csv
from fractions import Fraction

import mpmath

mpmath.mp.dps = 50
SRC = "test/data/nist/univariate/%s.csv"


def mp(q):
    return mpmath.mpf(q.numerator) / q.denominator


rows = []
for ds in ("numacc1", "numacc2", "numacc3", "numacc4"):
    with open(SRC % ds, newline="") as f:
        r = csv.reader(f)
        next(r)
        x = [Fraction(float(row[0])) for row in r]
    n = len(x)
    mean = sum(x) / n
    ss = sum((v - mean) ** 2 for v in x)
    sd = mpmath.sqrt(mp(ss / (n - 1)))
    rows.append((ds, n, mpmath.nstr(mp(mean), 25, min_fixed=-30, max_fixed=30),
                 mpmath.nstr(sd, 25, min_fixed=-30, max_fixed=30)))

with open("test/data/nist_univariate_exact.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["dataset", "n", "mean", "sd"])
    w.writerows(rows)
