#!/usr/bin/env python3
"""README.md's SQL examples are tests (issue 14, item 1).

Runs inside a cluster (PGHOST/PGPORT/PGUSER/PGDATABASE set) where
data/sample_survey.sql and demo/readme_setup.sql have run.  Takes every
```sql block of README.md in order, splits it into statements and the
output printed under them, runs each statement with psql as a reader
would (psql -X, aligned output; the "(N rows)" footer is left out of the
README), and compares the printed output line by line (trailing blanks
ignored).  A statement with no printed output must run without an error.

Left out: blocks between <!-- report-cron-example:begin/end --> (they need
pg_cron preloaded: tools/report-tests.sh runs them) and a block whose
preceding line is <!-- readme-test: skip (REASON) -->.

--extract prints the examples instead of running them.  The last line is
"readme examples: N passed, M failed (...)" (tools/verdict.sh reads it).
"""
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, '..', 'README.md')
OUTPUT_START = re.compile(r'^(\s|(ERROR|NOTICE|WARNING|INFO|DETAIL|HINT):)')


def blocks(text):
    """(line number, lines) of each ```sql block that is an example"""
    lines = text.split('\n')
    out, skip_region, i = [], False, 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith('<!-- report-cron-example:begin'):
            skip_region = True
        elif ln.startswith('<!-- report-cron-example:end'):
            skip_region = False
        if ln.strip() == '```sql':
            start = i
            j = i + 1
            while j < len(lines) and lines[j].strip() != '```':
                j += 1
            prev = lines[start - 1] if start > 0 else ''
            if not skip_region and not prev.startswith('<!-- readme-test: skip'):
                out.append((start + 1, lines[start + 1:j]))
            i = j
        i += 1
    return out


def ends_statement(ln):
    code = re.sub(r'\s--.*$', '', ln).rstrip()
    return code.endswith(';')


def examples(block):
    """(statement, printed output or None) pairs of one block"""
    res, stmt, i = [], [], 0
    while i < len(block):
        ln = block[i]
        if not stmt and not ln.strip():
            i += 1
            continue
        stmt.append(ln)
        i += 1
        if ends_statement(ln):
            j = i
            while j < len(block) and not block[j].strip():
                j += 1
            expected = None
            if j < len(block) and OUTPUT_START.match(block[j]):
                k = j
                while k < len(block) and block[k].strip():
                    k += 1
                expected = block[j:k]
                i = k
            res.append(('\n'.join(stmt), expected))
            stmt = []
    # what is left is comments only (e.g. "-- and CREATE VIEW ...")
    rest = [s for s in stmt if s.strip() and not s.strip().startswith('--')]
    if rest:
        raise SystemExit('README.md: a statement without its ";": ' + rest[0])
    return res


def norm(lines):
    lines = [ln.rstrip() for ln in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def main():
    with open(README, encoding='utf-8') as f:
        bl = blocks(f.read())
    cases = [(lineno, s, e) for lineno, b in bl for s, e in examples(b)]
    if '--extract' in sys.argv:
        for lineno, s, e in cases:
            print(f'-- README.md block at line {lineno}\n{s}\n' +
                  ('\n'.join(e) + '\n' if e else ''))
        return 0
    passed = failed = 0
    for lineno, stmt, expected in cases:
        p = subprocess.run(['psql', '-X', '-q', '-P', 'footer=off', '-c', stmt],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        got = norm(p.stdout.split('\n'))
        if expected is None:
            ok = p.returncode == 0 and not any(
                re.match(r'(psql:.*)?ERROR:', ln) for ln in got)
            why = 'no output is printed in README.md, but it failed:\n' + '\n'.join(got)
        else:
            ok = got == norm(expected)
            why = '\n'.join(difflib.unified_diff(norm(expected), got,
                                                 'README.md', 'psql', lineterm=''))
        if ok:
            passed += 1
        else:
            failed += 1
            first = stmt.strip().split('\n')[0]
            print(f'FAILED: README.md block at line {lineno}: {first}\n{why}\n')
    printed = sum(1 for c in cases if c[2] is not None)
    print(f'readme examples: {passed} passed, {failed} failed '
          f'({len(bl)} blocks, {len(cases)} statements, {printed} with printed output)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
