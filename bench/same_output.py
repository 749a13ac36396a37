#!/usr/bin/python3
"""same_output.py [--ignore-source] BEFORE AFTER — are two folders of budgetpdf JSON the same?

Compares every *.json under BEFORE with the file of the same relative path under
AFTER, as parsed JSON (key order and indentation aside), and lists files missing on
either side.  Nothing in a document's JSON is ignored: it has no timestamp or other
field that may differ between two runs on the same input.  The run's report
(budgetpdf-report.json) is left out: it names the inputs and outputs as the command
line gave them, and what it says of each input is in that input's JSON.  For each file that differs it
prints the first few JSON paths that differ.  Exit status 0 when all are the same.
Used to show that a change of the extract stage (the page plan) changed no output.
--ignore-source leaves out each document's source.sha256 and source.producer: the
outputs of a file and of the same pages stored another way (bench/geometry.py).
"""
import json
import os
import sys


def diff(a, b, path, out, limit=6):
    if len(out) >= limit:
        return
    if type(a) is not type(b):
        out.append("%s: %r -> %r" % (path, a, b))
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: %s" % (path, k, "added" if k not in a else "removed"))
            else:
                diff(a[k], b[k], "%s.%s" % (path, k), out, limit)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append("%s: %d items -> %d" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, i), out, limit)
    elif a != b:
        out.append("%s: %r -> %r" % (path, str(a)[:80], str(b)[:80]))


def files(root):
    found = set()
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".json") and n != "budgetpdf-report.json":
                found.add(os.path.relpath(os.path.join(d, n), root))
    return found


def main():
    args = sys.argv[1:]
    ignore_source = "--ignore-source" in args
    args = [a for a in args if a != "--ignore-source"]
    if len(args) != 2:
        sys.exit(__doc__)
    sys.argv[1:] = args
    before, after = files(sys.argv[1]), files(sys.argv[2])
    bad = 0
    for rel in sorted(before | after):
        if rel not in after or rel not in before:
            print("%s: only in %s" % (rel, "BEFORE" if rel in before else "AFTER"))
            bad += 1
            continue
        with open(os.path.join(sys.argv[1], rel)) as f:
            a = json.load(f)
        with open(os.path.join(sys.argv[2], rel)) as f:
            b = json.load(f)
        if ignore_source:
            for d in (a, b):
                for k in ("sha256", "producer"):
                    if isinstance(d.get("source"), dict):
                        d["source"].pop(k, None)
        out = []
        diff(a, b, "$", out)
        if out:
            bad += 1
            print("%s differs:\n  %s" % (rel, "\n  ".join(out)))
    print("%d files compared, %d differ" % (len(before | after), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
