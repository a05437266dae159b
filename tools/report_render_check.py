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
3. Layout (issue 14; the first rendering's boxes and text ranges, and a
   full-page screenshot): every row label of up to 30 characters on one
   line, a row number on the line of its label, every table inside its
   section, captions on at most two lines and, when wrapped, as wide as the
   table or 500 px, "(N = 1178)" on one line, the N row's numbers aligned
   with the numbers above them; from the pixels, the text lines of each
   caption and of each row label's cell.  --degrade undoes the layout
   fixes first and --expect-layout-failures turns the run into their
   negative control.

Usage: report_render_check.py REPORT.html --bars N --tables id[:rows],...
       [--degrade --expect-layout-failures KIND,...]
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
      var cap = t.caption ? (t.caption.querySelector('.cap') || t.caption) : null;
      b.sectionW = t.parentElement ? t.parentElement.clientWidth : 0;
      b.capBox = cap ? box(cap) : null;
      b.capLines = cap ? lines(rangeOf(cap)) : 0;
      b.capNSplit = cap ? nSplit(cap) : null;
      b.stubs = [];
      Array.prototype.forEach.call(t.tBodies, function (tb) {
        Array.prototype.forEach.call(tb.rows, function (r) {
          var th = r.querySelector('th.stub');
          if (!th || r.cells.length < 2) return;
          var text = th.textContent.replace(/\u00a0/g, ' ');
          var s = {text: text, lines: lines(rangeOf(th)), box: box(th), row: box(r), apart: false};
          var m = /^([0-9]+\.)\s/.exec(text);
          if (m && th.firstChild && th.firstChild.nodeType === 3) {
            var a = document.createRange(), z = document.createRange();
            a.setStart(th.firstChild, 0); a.setEnd(th.firstChild, m[1].length);
            z.setStart(th.firstChild, m[0].length); z.setEnd(th.firstChild, m[0].length + 1);
            s.apart = Math.abs(a.getBoundingClientRect().top - z.getBoundingClientRect().top) > 2;
          }
          b.stubs.push(s);
        });
      });
      // the right edge of each cell's number (its first text, the stars'
      // span left out), per column, for the N row and the other rows
      b.nAlign = [];
      Array.prototype.forEach.call(t.querySelectorAll('tr.n'), function (r) {
        Array.prototype.forEach.call(r.cells, function (c, j) {
          if (c.tagName !== 'TD' || !numberEdge(c)) return;
          var others = [];
          Array.prototype.forEach.call(t.tBodies[0].rows, function (o) {
            if (o === r || o.className === 'n' || o.className === 'block' || !o.cells[j]) return;
            var e = numberEdge(o.cells[j]);
            if (e !== null && /^[-−]?[0-9.,]+$/.test(o.cells[j].firstChild.textContent.trim())) others.push(e);
          });
          if (others.length) b.nAlign.push({col: j, n: numberEdge(c), others: others});
        });
      });
      return b; })
  };
  function rangeOf(e) { var r = document.createRange(); r.selectNodeContents(e); return r; }
  function lines(r) {
    var tops = [];
    Array.prototype.forEach.call(r.getClientRects(), function (x) {
      if (x.width < 0.5) return;
      if (!tops.some(function (t) { return Math.abs(t - x.top) <= 2; })) tops.push(x.top);
    });
    return tops.length;
  }
  function numberEdge(c) {
    var n = c.firstChild;
    if (!n || n.nodeType !== 3 || !/[0-9]/.test(n.textContent)) return null;
    var r = document.createRange(); r.selectNodeContents(n);
    return r.getBoundingClientRect().right;
  }
  // "(N = 1178)" / "N=1178" in a caption: whether it is split over lines
  function nSplit(cap) {
    var w = document.createTreeWalker(cap, NodeFilter.SHOW_TEXT), all = '', nodes = [], n;
    while ((n = w.nextNode())) { nodes.push([n, all.length]); all += n.textContent; }
    var m = /\(?N\s?=\s?[0-9][0-9.,]*/.exec(all.replace(/\u00a0/g, ' '));
    if (!m) return null;
    var r = document.createRange(), i;
    function at(pos, end) {
      for (i = 0; i < nodes.length; i++) {
        var len = nodes[i][0].textContent.length;
        if (pos >= nodes[i][1] && (pos < nodes[i][1] + len || (end && pos <= nodes[i][1] + len)))
          return [nodes[i][0], pos - nodes[i][1]];
      }
      return null;
    }
    var a = at(m.index, false), z = at(m.index + m[0].length, true);
    if (!a || !z) return null;
    r.setStart(a[0], a[1]); r.setEnd(z[0], z[1]);
    return {text: m[0], lines: lines(r)};
  }
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


# ---------------------------------------------------------------- layout
# Issue 14: the report without labels (README's pg_cron example, English)
# must look as good as the labelled demo: a row label never wraps away
# from its row number or onto more lines than its row needs (labels up to
# LABEL_NOWRAP characters on one line), a caption on at most two lines at
# 1200 px and, when it wraps, as wide as its table or 500 px (whichever is
# wider), "(N = 1178)" never split,
# and the N row's numbers right-aligned with the numbers above them (not
# with their stars).

LABEL_NOWRAP = 30
CAPTION_WRAP_PX = 500   # a caption wraps no narrower than this (36em is 576 px)
LAYOUT_KINDS = ("label", "width", "caption lines", "caption width", "N =", "N row")


def kind_check(kind, cond, what):
    check(cond, "[%s] %s" % (kind, what))


def layout_checks(box):
    for t in box["tables"]:
        tid = t["id"]
        short = [s for s in t["stubs"] if len(s["text"]) <= LABEL_NOWRAP]
        wrapped = [s["text"] for s in short if s["lines"] > 1]
        apart = [s["text"] for s in t["stubs"] if s["apart"]]
        print("table %-20s row labels: %d, wrapped (<= %d chars): %d, number apart from label: %d"
              % (tid, len(t["stubs"]), LABEL_NOWRAP, len(wrapped), len(apart)))
        kind_check("label", not wrapped and not apart,
                   "table %s: no row label wraps (%d of %d wrapped%s; %d numbers apart from their label)"
                   % (tid, len(wrapped), len(short),
                      (": " + ", ".join(repr(w) for w in wrapped[:3])) if wrapped else "", len(apart)))
        kind_check("width", t["w"] <= t["sectionW"] + 0.5,
                   "table %s: fits its section without scrolling (%.0f of %.0f px)"
                   % (tid, t["w"], t["sectionW"]))
        if t["capBox"]:
            print("table %-20s caption: %d line(s), %.0f px wide, table %.0f px"
                  % (tid, t["capLines"], t["capBox"]["w"], t["w"]))
            kind_check("caption lines", t["capLines"] <= 2,
                       "table %s: caption on at most two lines (%d)" % (tid, t["capLines"]))
            need = max(t["w"], CAPTION_WRAP_PX)
            kind_check("caption width", t["capLines"] <= 1 or t["capBox"]["w"] >= need - 1,
                       "table %s: a wrapped caption is as wide as its table or %d px, whichever is wider (%.0f of %.0f px)"
                       % (tid, CAPTION_WRAP_PX, t["capBox"]["w"], need))
        if t["capNSplit"]:
            kind_check("N =", t["capNSplit"]["lines"] == 1,
                       "table %s: %r in the caption on one line (%d)"
                       % (tid, t["capNSplit"]["text"], t["capNSplit"]["lines"]))
        for a in t["nAlign"]:
            worst = max(abs(a["n"] - o) for o in a["others"])
            print("table %-20s N row, column %d: number's right edge %.1f px, the column's %s"
                  % (tid, a["col"], a["n"], ", ".join("%.1f" % o for o in sorted(set(a["others"])))))
            kind_check("N row", worst <= 1.0,
                       "table %s: the N row's number right-aligned with its column %d (worst %.1f px off)"
                       % (tid, a["col"], worst))


def page_checks(args, work, report_path, box):
    """The same layout read from pixels: a full-page screenshot, and in it
    the text lines (bands of dark pixel rows) of each caption and of each
    row label's cell."""
    height = int(box["doc"]["h"]) + 20
    png = os.path.join(work, "page.png")
    chromium(args.chromium, work, ["--window-size=%d,%d" % (args.width, height),
                                   "--screenshot=" + png, "file://" + report_path])
    check(os.path.exists(png), "chromium wrote a full-page PNG screenshot")
    if not os.path.exists(png):
        return
    w, h, rows, bpp = read_png(png)

    def bands(x0, x1, y0, y1):
        """runs of pixel rows holding text (any pixel darker than 140)"""
        x0, x1 = max(0, int(x0)), min(w, int(x1))
        y0, y1 = max(0, int(y0)), min(h, int(y1))
        n, inside = 0, False
        for y in range(y0, y1):
            line = rows[y]
            ink = any(max(line[x * bpp:x * bpp + 3]) < 140 for x in range(x0, x1))
            if ink and not inside:
                n += 1
            inside = ink
        return n

    for t in box["tables"]:
        tid = t["id"]
        if t["capBox"]:
            c = t["capBox"]
            n = bands(c["x"], c["x"] + c["w"], c["y"], c["y"] + c["h"])
            kind_check("caption lines", n <= 2,
                       "screenshot: table %s's caption shows %d line(s) of text" % (tid, n))
        multi = []
        for s in t["stubs"]:
            if len(s["text"]) > LABEL_NOWRAP:
                continue
            b = s["box"]
            # inside the cell's padding, away from the row rules
            n = bands(b["x"] + 2, b["x"] + b["w"] - 2, b["y"] + 2, b["y"] + b["h"] - 2)
            if n > 1:
                multi.append((s["text"], n))
        kind_check("label", not multi,
                   "screenshot: table %s's row labels each on one line of text (%d on more%s)"
                   % (tid, len(multi), (": " + ", ".join("%r %d" % m for m in multi[:3])) if multi else ""))


def degrade(doc):
    """The report as it was before the layout fixes (negative control):
    the old cell padding, stub and caption CSS, a plain space after a row
    number, no empty stars span in the N row."""
    doc = doc.replace("table.pub th,table.pub td{padding:.2em .55em;",
                      "table.pub th,table.pub td{padding:.2em .7em;")
    doc = doc.replace("table.pub th.stub{text-align:left;font-weight:normal;white-space:nowrap}",
                      "table.pub th.stub{text-align:left;font-weight:normal}")
    doc = re.sub(r"table\.pub caption\{contain:[^}]*\}\n?", "", doc)
    doc = re.sub(r"table\.pub caption \.cap\{[^}]*\}\n?", "", doc)
    doc = re.sub(r"\bN&nbsp;=&nbsp;", "N = ", doc)
    doc = re.sub(r'(<th class="stub[^"]*" scope="row">[0-9]+\.)&nbsp;', r"\1 ", doc)
    doc = re.sub(r'(<tr class="n">.*?</tr>)',
                 lambda m: m.group(1).replace('<span class="st"></span>', ""), doc)
    return doc


def negative_control_verdict(kinds):
    """0 when each of these layout check kinds failed at least once."""
    ok = True
    unknown = [k for k in kinds if k not in LAYOUT_KINDS]
    if unknown:
        print("negative control: unknown check kind(s) %s" % ", ".join(unknown))
        ok = False
    for kind in LAYOUT_KINDS:
        if kind not in kinds:
            continue
        n = sum(1 for f in failures if f.startswith("[%s]" % kind))
        print("negative control: %-14s checks failed %d time(s)%s"
              % (kind, n, "" if n else "   <- the checks did not catch it"))
        ok = ok and n > 0
    failures.clear()
    if not ok:
        failures.append("negative control")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--bars", type=int, required=True)
    ap.add_argument("--tables", required=True,
                    help="comma-separated table ids, each optionally :rows")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--degrade", action="store_true",
                    help="negative control: undo the report's layout fixes "
                         "(label and caption CSS, the row number's no-break "
                         "space, the N row's empty stars span) before rendering")
    ap.add_argument("--expect-layout-failures", nargs="?", const=",".join(LAYOUT_KINDS),
                    metavar="KIND,...",
                    help="negative control: exit 0 only when each of these layout "
                         "check kinds (default all: %s) fails somewhere" % ", ".join(LAYOUT_KINDS))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="survey-reg-render-")
    try:
        with open(args.report, encoding="utf-8") as f:
            doc = f.read()
        check("</body>" in doc and "<script" not in doc.lower(),
              "the report is a whole HTML document without scripts")
        if args.degrade:
            doc = degrade(doc)
            report_path = os.path.join(work, "degraded.html")
            with open(report_path, "w", encoding="utf-8") as f:
                f.write(doc)
        else:
            report_path = os.path.abspath(args.report)
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
        layout_checks(box)

        # 2. pixels
        if not svgs or not bars:
            return 1
        height = int(svgs[0]["y"] + svgs[0]["h"] + 40)
        png = os.path.join(work, "report.png")
        chromium(args.chromium, work, ["--window-size=%d,%d" % (args.width, height),
                                       "--screenshot=" + png, "file://" + report_path])
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
        page_checks(args, work, report_path, box)
        if args.expect_layout_failures:
            return negative_control_verdict(args.expect_layout_failures.split(","))
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    status = main()
    if failures:
        print("%d check(s) failed" % len(failures))
    sys.exit(status or (1 if failures else 0))
