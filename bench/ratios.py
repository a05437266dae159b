"""Print the benchmark table with ratios to the floor query of the same
table and worker count, and parallel speed-ups, from bench/out/results.tsv."""
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
res = {}
for label, table, size, workers, ms, rss in rows:
    res[(label, table, workers)] = (None if ms == "FAILED" else float(ms), rss)

print(f"{'case':28} {'table':6} {'workers':>7} {'median ms':>10} {'x floor':>8} {'x serial':>9} {'peak RSS kB':>12}  (backend private peak; Rscript: process peak)")
for (label, table, workers), (ms, rss) in res.items():
    floor = res.get(("floor", table, workers), (None,))[0]
    serial = res.get((label, table, "0"), (None,))[0]
    ratio = f"{ms / floor:8.2f}" if ms and floor and label != "floor" else f"{'':8}"
    speed = f"{serial / ms:9.2f}" if ms and serial and workers != "0" else f"{'':9}"
    msx = f"{ms:10.1f}" if ms else f"{'FAILED':>10}"
    print(f"{label:28} {table:6} {workers:>7} {msx} {ratio} {speed} {rss:>12}")
