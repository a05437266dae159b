#!/usr/bin/env python3
"""Render a survey_reg HTML report in headless Chromium and check that the
figure's bars and the tables are really there and sized.

Two renderings of the same file:

1. A measuring copy (the report plus one inline script, in a temporary
   directory) is loaded with --dump-dom; the script writes the element boxes
   (getBoundingClientRect) of the SVG figure, its bars and category labels
   and of every table into the DOM as JSON.  Checked: the number of bars,
   bar heights proportional to the percentages they show (within 1 px), a
   common baseline, left-to-right order without overlap, labels under their
   bars, every expected table present with its rows, no table wider than
   the page.
2. The unmodified report is screenshot to a PNG (decoded here with zlib:
   Python standard library only).  Checked, by pixels: the inside of every
   bar is painted in the bar colour, hardly any bar colour outside the bars,
   a horizontal scan just above the baseline crosses exactly as many runs
   of bar colour as there are bars, and the first table's top and bottom
   rules are drawn across its width.

Usage: report_render_check.py REPORT.html --bars N --tables id[:rows],...
Exit status 0 when every check passes; the measured numbers are printed.
"""
import argparse
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

BAR_RGB = (0x3B, 0x6E, 0xA5)   # the fill of <rect class="bar"> in _svg_chart

MEASURE = r"""
<script>
(function () {
  function box(e) {
    var r = e.getBoundingClientRect();
    return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height};
  }
  var out = {
    viewport: {w: innerWidth, h: innerHeight},
    doc: {w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight},
    svg: Array.prototype.map.call(document.querySelectorAll('svg.chart'), box),
    bars: Array.prototype.map.call(document.querySelectorAll('svg.chart rect.bar'), function (e) {
      var b = box(e); b.value = parseFloat(e.getAttribute('data-value')); return b; }),
    categories: Array.prototype.map.call(document.querySelectorAll('svg.chart text.category'), function (e) {
      var b = box(e); b.text = e.textContent; return b; }),
    values: Array.prototype.map.call(document.querySelectorAll('svg.chart text.value'), function (e) {
      var b = box(e); b.text = e.textContent; return b; }),
    tables: Array.prototype.map.call(document.querySelectorAll('table.pub'), function (t) {
      var b = box(t); b.id = t.id; b.rows = t.rows.length;
      b.cols = Math.max.apply(null, Array.prototype.map.call(t.rows, function (r) {
        var n = 0; Array.prototype.forEach.call(r.cells, function (c) { n += c.colSpan; }); return n; }));
      b.caption = t.caption ? t.caption.textContent : '';
      b.gridTop = t.rows.length ? t.rows[0].getBoundingClientRect().top + scrollY : b.y;
      b.minRowH = Math.min.apply(null, Array.prototype.map.call(t.rows, function (r) {
        return r.getBoundingClientRect().height; }));
      return b; })
  };
  var p = document.createElement('pre');
  p.id = 'survey-reg-measure';
  p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
})();
</script>
"""

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--force-device-scale-factor=1"]

failures = []


def check(cond, what):
    print(("ok      " if cond else "FAILED  ") + what)
    if not cond:
        failures.append(what)


def chromium(binary, workdir, args, timeout=120):
    profile = tempfile.mkdtemp(dir=workdir, prefix="profile-")
    try:
        return subprocess.run([binary] + FLAGS + ["--user-data-dir=" + profile] + args,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def read_png(path):
    """(width, height, rows of RGB tuples' flat bytes, bytes per pixel)"""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, [], None
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            if depth != 8 or color not in (2, 6) or interlace:
                raise ValueError("unsupported PNG (depth %d, colour type %d)" % (depth, color))
            bpp = 3 if color == 2 else 4
        elif ctype == b"IDAT":
            idat.append(chunk)
        elif ctype == b"IEND":
            break
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif ftype != 0:
            raise ValueError("bad PNG filter %d" % ftype)
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--bars", type=int, required=True)
    ap.add_argument("--tables", required=True,
                    help="comma-separated table ids, each optionally :rows")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    ap.add_argument("--width", type=int, default=1200)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="survey-reg-render-")
    try:
        with open(args.report, encoding="utf-8") as f:
            doc = f.read()
        check("</body>" in doc and "<script" not in doc.lower(),
              "the report is a whole HTML document without scripts")
        measuring = os.path.join(work, "measure.html")
        with open(measuring, "w", encoding="utf-8") as f:
            f.write(doc.replace("</body>", MEASURE + "</body>", 1))

        # 1. element boxes
        res = chromium(args.chromium, work, ["--window-size=%d,3000" % args.width,
                                             "--dump-dom", "file://" + measuring])
        m = re.search(r'<pre id="survey-reg-measure">(.*?)</pre>', res.stdout.decode("utf-8", "replace"), re.S)
        if not m:
            print(res.stderr.decode("utf-8", "replace")[-2000:])
            check(False, "chromium ran the measuring script")
            return 1
        box = json.loads(html.unescape(m.group(1)))
        print("viewport %(w)d x %(h)d px" % box["viewport"],
              "| document %(w)d x %(h)d px" % box["doc"])

        svgs, bars, cats = box["svg"], box["bars"], box["categories"]
        check(len(svgs) == 1, "one SVG figure (found %d)" % len(svgs))
        if svgs:
            s = svgs[0]
            print("figure: %.0f x %.0f px at (%.0f, %.0f)" % (s["w"], s["h"], s["x"], s["y"]))
            check(s["w"] >= 500 and s["h"] >= 250, "the figure is at least 500 x 250 px")
        check(len(bars) == args.bars, "%d bars (expected %d)" % (len(bars), args.bars))
        for b in bars:
            print("  bar %6.2f%%: x %7.1f  w %5.1f  h %6.1f px" % (b["value"], b["x"], b["w"], b["h"]))
        if bars and svgs:
            top = max(bars, key=lambda b: b["value"])
            scale = top["h"] / top["value"] if top["value"] > 0 else 0
            print("  scale: %.3f px per percentage point" % scale)
            check(scale > 2, "the tallest bar is sized (%.1f px for %.1f%%)" % (top["h"], top["value"]))
            worst = max(abs(b["h"] - scale * b["value"]) for b in bars)
            check(worst <= 1.0, "bar heights proportional to their percentages (worst %.2f px off)" % worst)
            base = [b["y"] + b["h"] for b in bars]
            check(max(base) - min(base) <= 0.5, "bars share a baseline (spread %.2f px)" % (max(base) - min(base)))
            ordered = all(bars[i]["x"] + bars[i]["w"] < bars[i + 1]["x"] for i in range(len(bars) - 1))
            check(ordered, "bars left to right without overlap")
            s = svgs[0]
            inside = all(b["x"] >= s["x"] and b["x"] + b["w"] <= s["x"] + s["w"]
                         and b["y"] >= s["y"] and b["y"] + b["h"] <= s["y"] + s["h"] for b in bars)
            check(inside, "bars inside the figure")
            check(len(cats) == len(bars) and all(
                c["y"] >= b["y"] + b["h"] and abs((c["x"] + c["w"] / 2) - (b["x"] + b["w"] / 2)) < 2
                for c, b in zip(cats, bars)), "a category label centred under each bar")
            print("  categories: " + " | ".join(c["text"] for c in cats))
            check(len(box["values"]) == len(bars) and all(
                v["y"] + v["h"] <= b["y"] + 1 for v, b in zip(box["values"], bars)),
                "a percentage above each bar")

        tables = {t["id"]: t for t in box["tables"]}
        for spec in args.tables.split(","):
            tid, _, rows = spec.partition(":")
            t = tables.get(tid)
            check(t is not None, "table %s present" % tid)
            if t is None:
                continue
            print("table %-20s %4.0f x %4.0f px, %2d rows x %2d columns, smallest row %.1f px: %s"
                  % (tid, t["w"], t["h"], t["rows"], t["cols"], t["minRowH"], t["caption"][:60]))
            if rows:
                check(t["rows"] == int(rows), "table %s has %s rows (found %d)" % (tid, rows, t["rows"]))
            check(t["w"] >= 200 and t["minRowH"] >= 12 and t["h"] >= 12 * t["rows"],
                  "table %s is sized (>= 200 px wide, rows >= 12 px high)" % tid)
            check(t["x"] >= 0 and t["x"] + t["w"] <= box["viewport"]["w"],
                  "table %s fits the page width" % tid)
        ys = [t["y"] for t in box["tables"]]
        check(ys == sorted(ys), "tables follow one another down the page")

        # 2. pixels
        if not svgs or not bars:
            return 1
        height = int(svgs[0]["y"] + svgs[0]["h"] + 40)
        png = os.path.join(work, "report.png")
        chromium(args.chromium, work, ["--window-size=%d,%d" % (args.width, height),
                                       "--screenshot=" + png, "file://" + os.path.abspath(args.report)])
        check(os.path.exists(png), "chromium wrote a PNG screenshot")
        if not os.path.exists(png):
            return 1
        w, h, rows, bpp = read_png(png)
        print("screenshot %d x %d px" % (w, h))
        check(w == args.width and h == height, "screenshot is %d x %d" % (args.width, height))

        def px(x, y):
            i = x * bpp
            return tuple(rows[y][i:i + 3])

        def is_bar(c):
            return all(abs(c[k] - BAR_RGB[k]) <= 2 for k in range(3))

        for b in bars:
            x0, x1 = int(b["x"]) + 1, int(b["x"] + b["w"]) - 1
            y0, y1 = int(b["y"]) + 1, int(b["y"] + b["h"]) - 1
            n = max(0, x1 - x0) * max(0, y1 - y0)
            hit = sum(1 for y in range(y0, y1) for x in range(x0, x1) if is_bar(px(x, y)))
            check(n == 0 or hit / n >= 0.98,
                  "bar %.1f%%: %d of %d inner pixels in the bar colour" % (b["value"], hit, n))
        s = svgs[0]
        sx0, sx1, sy0, sy1 = int(s["x"]), min(w, int(s["x"] + s["w"])), int(s["y"]), min(h, int(s["y"] + s["h"]))

        def in_a_bar(x, y):
            return any(b["x"] - 1 <= x <= b["x"] + b["w"] + 1 and b["y"] - 1 <= y <= b["y"] + b["h"] + 1
                       for b in bars)
        coloured = [(x, y) for y in range(sy0, sy1) for x in range(sx0, sx1) if is_bar(px(x, y))]
        outside = sum(1 for x, y in coloured if not in_a_bar(x, y))
        area = sum(b["w"] * b["h"] for b in bars)
        print("bar-coloured pixels in the figure: %d (bar area from the boxes %.0f px²), outside the bars: %d"
              % (len(coloured), area, outside))
        check(area > 0 and len(coloured) >= 0.9 * area, "the bars are painted (%.1f%% of their area in the bar colour)"
              % (100 * len(coloured) / max(area, 1)))
        check(outside <= 10, "no bar colour outside the bars (%d px)" % outside)
        ybase = int(min(b["y"] + b["h"] for b in bars)) - 2
        runs, inside_run = [], False
        for x in range(w):
            c = is_bar(px(x, ybase))
            if c and not inside_run:
                runs.append([x, x])
            if c:
                runs[-1][1] = x
            inside_run = c
        print("scan at y = %d: runs of bar colour at x = %s" % (ybase, ", ".join("%d-%d" % tuple(r) for r in runs)))
        check(len(runs) == len(bars), "the scan crosses %d bars (expected %d)" % (len(runs), len(bars)))

        first = box["tables"][0] if box["tables"] else None
        if first and first["y"] + first["h"] < h:
            tx0, tx1 = int(first["x"]) + 2, int(first["x"] + first["w"]) - 2
            # the rules: 2 px at the top of the grid (under the caption) and
            # at the bottom of the table
            for name, y in (("top", int(first["gridTop"])), ("bottom", int(first["y"] + first["h"]) - 1)):
                dark = max(sum(1 for x in range(tx0, tx1) if max(px(x, yy)) <= 80)
                           for yy in range(y - 2, y + 2) if 0 <= yy < h)
                check(dark >= 0.95 * (tx1 - tx0), "table %s: the %s rule is drawn (%d of %d px)"
                      % (first["id"], name, dark, tx1 - tx0))
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    status = main()
    if failures:
        print("%d check(s) failed" % len(failures))
    sys.exit(status or (1 if failures else 0))
