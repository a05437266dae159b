#!/usr/bin/env python3
"""pspp_spv_to_csv.py -- full-precision numbers from a PSPP .spv file.

PSPP prints its pivot tables rounded (".71"), but the .spv file it writes
keeps every cell as an IEEE double.  This script reads the table structure
from `pspp-output dump-light-table` (dimension and category labels, and for
each cell its index, format and value printed with %g), then finds each
cell's exact 8 bytes in the table's binary member of the .spv zip: the
value follows its 4-byte format spec, and the %g text identifies it.

Usage: pspp_spv_to_csv.py FILE.spv SCALE1 SCALE2 ...
  The SCALE names label the RELIABILITY commands in order (three tables
  each: Case Processing Summary, Reliability Statistics, Item-Total
  Statistics).  Output (stdout): CSV scale,item,statistic,value with
  statistics named as survey_reg's output columns.

Only the Python standard library and pspp-output are used.
"""
import math
import re
import struct
import subprocess
import sys
import zipfile

STAT_NAMES = {
    "Scale Mean if Item Deleted": "scale_mean_if_deleted",
    "Scale Variance if Item Deleted": "scale_var_if_deleted",
    "Corrected Item-Total Correlation": "corrected_item_total_r",
    "Cronbach's Alpha if Item Deleted": "alpha_if_deleted",
    "Cronbach's Alpha": "alpha",
    "N of Items": "k",
}


def parse_dump(text):
    """list of tables: {member, title, dims: [[labels]], cells: [(index, format, xtext)]}"""
    tables = []
    cur = None
    lines = text.splitlines()
    i = 0
    section = None
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\S+_lightTableData\.bin):", line)
        if m:
            cur = {"member": m.group(1), "title": None, "dims": [], "cells": []}
            tables.append(cur)
            section = None
        elif re.match(r"^    (\w[\w-]*):", line):
            section = line.strip().rstrip(":")
        elif cur is not None and section == "titles" and cur["title"] is None:
            m = re.match(r'^\s+local: "(.*)"', line)
            if m:
                cur["title"] = m.group(1)
        elif cur is not None and section == "dimensions":
            if re.match(r"^        dims\[\d+\]:", line):
                cur["dims"].append([])
                in_cat = False
            elif re.match(r"^            categories\[\d+\]:", line):
                cur["dims"][-1].append(None)
            elif cur["dims"] and cur["dims"][-1] and cur["dims"][-1][-1] is None:
                m = re.match(r'^\s+(local|var-name): "(.*)"', line)
                if m:
                    cur["dims"][-1][-1] = m.group(2)
        elif cur is not None and section == "cells":
            m = re.match(r"^            index: (\d+)", line)
            if m:
                cur["cells"].append([int(m.group(1)), None, None])
            m = re.match(r"^\s+format: (\d+)", line)
            if m and cur["cells"]:
                cur["cells"][-1][1] = int(m.group(1))
            m = re.match(r"^\s+x: (\S+)", line)
            if m and cur["cells"]:
                cur["cells"][-1][2] = m.group(1)
        i += 1
    return tables


def same(v, xtext):
    if xtext.lstrip("-").lower() == "nan":
        return math.isnan(v)
    return ("%g" % v) == xtext


def exact_values(blob, cells):
    """each cell's double, found in order after its format spec"""
    pos = 0
    out = []
    for index, fmt, xtext in cells:
        key = struct.pack("<i", fmt)
        while True:
            j = blob.find(key, pos)
            if j < 0:
                raise SystemExit("cell %d (%s) not found in binary" % (index, xtext))
            (v,) = struct.unpack_from("<d", blob, j + 4)
            if same(v, xtext):
                out.append(v)
                pos = j + 12
                break
            pos = j + 1
    return out


def cell_labels(dims, index):
    """row-major with the last dimension varying fastest"""
    labels = []
    for d in reversed(dims):
        labels.append(d[index % len(d)])
        index //= len(d)
    return list(reversed(labels))


def main():
    spv = sys.argv[1]
    scales = sys.argv[2:]
    dump = subprocess.run(["pspp-output", "dump-light-table", spv],
                          check=True, capture_output=True, text=True).stdout
    tables = parse_dump(dump)
    zf = zipfile.ZipFile(spv)
    if len(tables) != 3 * len(scales):
        raise SystemExit("expected %d tables, found %d" % (3 * len(scales), len(tables)))
    print("scale,item,statistic,value")
    for t_i, t in enumerate(tables):
        scale = scales[t_i // 3]
        blob = zf.read(t["member"])
        values = exact_values(blob, [c for c in t["cells"] if c[1] is not None])
        cells = [c for c in t["cells"] if c[1] is not None]
        for (index, fmt, xtext), v in zip(cells, values):
            labels = cell_labels(t["dims"], index)
            val = "NaN" if math.isnan(v) else repr(v)
            if t["title"] == "Case Processing Summary":
                # dims: Cases (Valid, Excluded, Total) x (N, Percent)
                if sorted(labels) == ["N", "Valid"]:
                    print("%s,,n,%s" % (scale, val))
            elif t["title"] == "Reliability Statistics":
                stat = STAT_NAMES.get(labels[-1])
                if stat:
                    print("%s,,%s,%s" % (scale, stat, val))
            elif t["title"] == "Item-Total Statistics":
                stat = [l for l in labels if l in STAT_NAMES]
                item = [l for l in labels if l not in STAT_NAMES]
                print("%s,%s,%s,%s" % (scale, item[0], STAT_NAMES[stat[0]], val))


if __name__ == "__main__":
    main()
