#!/usr/bin/env python3
"""The accuracy the project claims, in one place: test/data/accuracy_claims.csv.

The tests read their thresholds (column `bound`) from that file; the
README's accuracy tables are generated from it, between the markers
<!-- accuracy-claims:<table>:begin --> and <!-- accuracy-claims:<table>:end -->.

  python3 tools/accuracy_claims.py --check   the README's tables are the
                                             file's, every bound follows
                                             the margin rule, every suite's
                                             tests read the file (the test
                                             command runs this)
  python3 tools/accuracy_claims.py --write   rewrite the README's tables

Margin rule (a bound is the measured figure with a stated margin, never a
round number picked to pass):
  kind lre, lre_abs   bound = measured - 0.5 (log relative error; lre_abs
                      where the certified value is 0: absolute error)
  kind rel, abs       bound = 10 x measured, rounded up to one significant
                      digit (0 stays 0: exact agreement is asserted exact)
After a change that moves a figure, measure it again (the tests print it),
edit `measured` and `bound` here, and run --write.
"""
import csv
import math
import re
import sys
from decimal import Decimal, ROUND_CEILING
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "test/data/accuracy_claims.csv"
README = ROOT / "README.md"

# the tests that read each suite's claims
TESTS = {
    "nist_ols": ["test/regression_nist.sql", "test/core/test_ols_nist.c"],
    "robust_vs_r": ["test/robust_vs_r.sql"],
    "regression_vs_r": ["test/regression_vs_r.sql"],
    "describe_vs_r": ["test/describe_vs_r.sql"],
    "reliability": ["test/reliability.sql", "test/core/test_reliability.c"],
}
NIST_ORDER = ["norris", "pontius", "noint1", "noint2", "filip", "longley",
              "wampler1", "wampler2", "wampler3", "wampler4", "wampler5"]
NIST_NAMES = {"noint1": "NoInt1", "noint2": "NoInt2"}
NIST_QUANTITIES = [("coef", "coef"), ("se", "SE"), ("resid_sd", "resid SD"), ("r2", "R²")]


def rule_bound(kind, measured):
    m = Decimal(measured)
    if kind in ("lre", "lre_abs"):
        return max(Decimal(0), m - Decimal("0.5"))
    if m == 0:
        return Decimal(0)
    x = 10 * m
    e = math.floor(x.log10())
    digit = (x / Decimal(10) ** e).to_integral_value(rounding=ROUND_CEILING)
    return digit * Decimal(10) ** e


def load():
    with open(CLAIMS, newline="") as f:
        return list(csv.DictReader(f))


def nist_table(rows):
    cell = {(r["case"], r["quantity"]): r for r in rows if r["suite"] == "nist_ols"}
    out = ["| dataset | " + " | ".join(h for _, h in NIST_QUANTITIES) + " |",
           "|---|" + "---|" * len(NIST_QUANTITIES)]
    for d in NIST_ORDER:
        cells = []
        for q, _ in NIST_QUANTITIES:
            r = cell[(d, q)]
            abs_ = " abs" if r["kind"] == "lre_abs" else ""
            cells.append(f"{r['measured']}{abs_} (≥ {r['bound']})")
        out.append(f"| {NIST_NAMES.get(d, d.capitalize())} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def agreement_table(rows):
    out = ["| test | what | measured | asserted |", "|---|---|---|---|"]
    for r in rows:
        if r["suite"] == "nist_ols":
            continue
        tests = ", ".join(f"`{t}`" for t in TESTS[r["suite"]])
        what = r["what"].replace("|", "\\|")
        diff = "relative" if r["kind"] == "rel" else "absolute"
        out.append(f"| {tests} | {what} | {r['measured']} | {diff} ≤ {r['bound']} |")
    return "\n".join(out)


def blocks(rows):
    return {"nist": nist_table(rows), "agreement": agreement_table(rows)}


def marked(name):
    return re.compile(r"(<!-- accuracy-claims:%s:begin -->\n)(.*?)(<!-- accuracy-claims:%s:end -->)"
                      % (name, name), re.S)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    rows = load()
    text = README.read_text()
    generated = blocks(rows)
    if mode == "--write":
        for name, body in generated.items():
            text, n = marked(name).subn(lambda m: m.group(1) + body + "\n" + m.group(3), text)
            if n != 1:
                sys.exit(f"README.md: no accuracy-claims:{name} markers")
        README.write_text(text)
        print("README.md: accuracy tables written from", CLAIMS.relative_to(ROOT))
        return
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAILED  " + what)

    for r in rows:
        check(r["suite"] in TESTS, f"{r['suite']}: no test reads this suite's claims")
        check(Decimal(r["bound"]) == rule_bound(r["kind"], r["measured"]),
              f"{r['suite']} {r['case']} {r['quantity']}: bound {r['bound']} is not the "
              f"margin rule's {rule_bound(r['kind'], r['measured'])} for measured {r['measured']}")
    for suite, files in TESTS.items():
        for t in files:
            check("accuracy_claims" in (ROOT / t).read_text(),
                  f"{t} does not read test/data/accuracy_claims.csv")
    for name, body in generated.items():
        m = marked(name).search(text)
        check(m is not None and m.group(2) == body + "\n",
              f"README.md's accuracy-claims:{name} table differs from "
              f"{CLAIMS.relative_to(ROOT)} (python3 tools/accuracy_claims.py --write)")
    print(f"accuracy claims: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
