#!/usr/bin/env python3
"""make_bigloc_data.py -- writes bigloc.csv, the location-independence data.

Deterministic (Python's Mersenne Twister, fixed seed); run from the
repository root:  python3 test/data/make_bigloc_data.py
The CSV is committed; this script documents how it was made.

Columns (3000 rows), every value about 1e9 with an SD about 1, printed with
six decimals (like 1000000000.123456), so the data carry only ~7 significant
digits of variation beneath 9 digits of location:
  x1   1e9 + z1
  x2   1e9 + 0.5 + 0.95 z1 + 0.31 z2        (r(x1, x2) about 0.95)
  x3   1e9 - 0.25 - 0.4 z1 + 0.3 z2 + 0.85 z3
with z1, z2, z3 independent standard normal.  The values are written from
integer micro-units, so the text is exact; what a reader gets is the double
nearest to each text, and the expectations (make_bigloc_expected.py) are
exact for those doubles.
"""
import random

ROWS = 3000
rng = random.Random(20240611)


def text(micro):
    """integer micro-units -> fixed six-decimal text"""
    sign = "-" if micro < 0 else ""
    micro = abs(micro)
    return "%s%d.%06d" % (sign, micro // 10**6, micro % 10**6)


with open("test/data/bigloc.csv", "w") as f:
    f.write("x1,x2,x3\n")
    for _ in range(ROWS):
        z1, z2, z3 = rng.gauss(0, 1), rng.gauss(0, 1), rng.gauss(0, 1)
        dev = (z1,
               0.5 + 0.95 * z1 + 0.31 * z2,
               -0.25 - 0.4 * z1 + 0.3 * z2 + 0.85 * z3)
        f.write(",".join(text(10**15 + round(d * 10**6)) for d in dev) + "\n")
