#!/usr/bin/env python3
"""GNU PSPP's REGRESSION on the NIST StRD linear regression datasets: LRE of
the coefficients and SEs (minimum over the terms; absolute error where the
certified value is 0, capped at 15), as test/regression_nist.sql scores
survey_reg.  Run by bench/peers_accuracy.sh from the repository root.

PSPP prints its tables rounded; the full doubles come from its .spv output
through test/data/pspp_spv_to_csv.py.  In a Coefficients table the cells
run column by column (B, Std. Error, Beta, t, Sig.), each over the terms in
order, the constant first.  Prints "dataset coef se" per dataset.
"""
import csv
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, "test/data")
import pspp_spv_to_csv as spv  # noqa: E402

# name: polynomial degree (0: Longley's six columns), intercept
DESIGNS = {"norris": (1, True), "pontius": (2, True), "noint1": (1, False),
           "noint2": (1, False), "filip": (10, True), "longley": (0, True),
           "wampler1": (5, True), "wampler2": (5, True), "wampler3": (5, True),
           "wampler4": (5, True), "wampler5": (5, True)}


def lre(est, cert):
    if math.isnan(est):
        return 0.0
    if est == cert:
        return 15.0
    err = abs(est - cert) / (abs(cert) if cert != 0 else 1.0)
    return 15.0 if err == 0 else min(15.0, max(0.0, -math.log10(err)))


def syntax():
    out = []
    for name, (degree, intercept) in DESIGNS.items():
        # input format F40 without decimals: a value's own decimal point counts
        cols = "y x1 x2 x3 x4 x5 x6" if degree == 0 else "y x"
        out.append(f"GET DATA /TYPE=TXT /FILE='test/data/nist/{name}.csv'\n"
                   "  /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2 /DELIMITERS=\",\"\n"
                   "  /VARIABLES= " + " ".join(f"{c} F40" for c in cols.split()) + ".")
        if degree == 0:
            preds = [f"x{i}" for i in range(1, 7)]
        else:
            preds = ["x"] + [f"x{k}" for k in range(2, degree + 1)]
            out += [f"COMPUTE x{k} = x ** {k}." for k in range(2, degree + 1)]
        origin = "" if intercept else " /ORIGIN"
        out.append(f"REGRESSION /VARIABLES= {' '.join(preds)} /DEPENDENT= y{origin}"
                   " /STATISTICS=COEFF R ANOVA.")
    return "\n".join(out) + "\n"


def main():
    cert = {}
    with open("test/data/nist/certified.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["quantity"] in ("coef", "se"):
                cert[(r["dataset"], r["quantity"], int(r["index"]))] = float(r["value"])
    with tempfile.TemporaryDirectory() as tmp:
        sps, out = Path(tmp) / "nist.sps", Path(tmp) / "nist.spv"
        sps.write_text(syntax())
        run = subprocess.run(["pspp", str(sps), "-o", str(out)], capture_output=True, text=True)
        for line in (run.stdout + run.stderr).splitlines():
            if "error" in line.lower() or "warning" in line.lower():
                print("# pspp: " + line)
        dump = subprocess.run(["pspp-output", "dump-light-table", str(out)],
                              check=True, capture_output=True, text=True).stdout
        tables = [t for t in spv.parse_dump(dump) if t["title"].startswith("Coefficients")]
        zf = zipfile.ZipFile(out)
        version = subprocess.run(["pspp", "--version"], capture_output=True, text=True).stdout
        print(version.splitlines()[0])
        if len(tables) != len(DESIGNS):
            print(f"# {len(tables)} Coefficients tables for {len(DESIGNS)} datasets")
        for name, t in zip(DESIGNS, tables):
            degree, intercept = DESIGNS[name]
            cells = [c for c in t["cells"] if c[1] is not None]   # in the file's order
            values = {c[0]: v for c, v in
                      zip(cells, spv.exact_values(zf.read(t["member"]), cells))}
            terms = t["dims"][1]
            first = 0 if intercept else 1       # NIST index of the first term
            scores = {}
            for q, col in (("coef", 0), ("se", 1)):
                scores[q] = min(lre(values.get(col * len(terms) + i, math.nan),
                                    cert[(name, q, first + i)])
                                for i in range(len(terms)))
            missing = sum(1 for k in cert if k[0] == name and k[1] == "coef") - len(terms)
            print(f"{name:<9} {scores['coef']:5.1f} {scores['se']:5.1f} {missing}")


if __name__ == "__main__":
    main()
