"""Print the benchmark table from bench/out/results.tsv: medians, ratios to
the floor query of the same table and worker count, and parallel speed-ups.

Cases timed together (time_cases in bench/in-cluster.sh) ran interleaved,
one run of each per round; their ratios are paired: the median over rounds
of the ratio within a round, which cancels the slow spells of a shared
machine.  Cases timed on their own (the alternatives) get the ratio of
medians."""
import statistics
import sys

# --base LABEL: ratios to that case (e.g. classical) instead of the floor
args = sys.argv[1:]
base = "floor"
if args[:1] == ["--base"]:
    base, args = args[1], args[2:]
rows = [l.rstrip("\n").split("\t") for l in open(args[0]) if l.strip()]
res = {}
for label, table, size, workers, ms, rss, *rest in rows:
    runs = [float(t) for t in rest[0].split()] if rest and rest[0].strip() else []
    res[(label, table, workers)] = (None if ms == "FAILED" else float(ms), rss, runs)


def ratio(a, b):
    """a / b: paired median when both have runs of the same rounds"""
    if not a or not b or a[0] is None or b[0] is None:
        return None
    if a[2] and b[2] and len(a[2]) == len(b[2]):
        return statistics.median(x / y for x, y in zip(a[2], b[2]))
    return a[0] / b[0]


print("x floor, x serial: median over rounds of the within-round ratio where the cases "
      "ran interleaved; ratio of medians for the alternatives")
print(f"{'case':28} {'table':6} {'workers':>7} {'median ms':>10} {'x ' + base:>8} {'x serial':>9} {'peak RSS kB':>12}  (backend private peak; Rscript: process peak)")
for (label, table, workers), cur in res.items():
    floor = res.get((base, table, workers))
    serial = res.get((label, table, "0"))
    r = ratio(cur, floor) if label != base else None
    s = ratio(serial, cur) if workers != "0" else None
    rtxt = f"{r:8.2f}" if r else f"{'':8}"
    stxt = f"{s:9.2f}" if s else f"{'':9}"
    ms = cur[0]
    msx = f"{ms:10.1f}" if ms else f"{'FAILED':>10}"
    print(f"{label:28} {table:6} {workers:>7} {msx} {rtxt} {stxt} {cur[1]:>12}")
