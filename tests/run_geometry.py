#!/usr/bin/python3
"""Page-geometry tests: the same page stored another way reads the same.

usage: run_geometry.py [--bin PATH] [--corpus DIR]... [--variants a,b] [-v]

Every fixtures/pdf/*.pdf is rewritten by bench/geometry.py (qpdf) into each
of its variants: MediaBox moved (origin), a CropBox inside a larger
MediaBox with stray marks outside it (crop), /Rotate 90, 180, 270 over
counter-rotated content (rotate90/180/270), all of these at once
(combined), the content turned on a sheet without /Rotate (sideways90,
sideways270: printed sideways), and sideways270 encrypted with an owner
password only (locked270: read turned, the file not rewritten).  Each variant must read as the file does
(--ocr never): the same JSON but for source and warnings.  One test line
per variant and fixture.

--corpus DIR (repeatable; e.g. ../shared/corpus/china): the PDFs under DIR
too, one run per variant with -j2 (minutes: not part of `make test`); a
DIR that is not there is skipped and said so.

The last line is `N passed, M failed` (`, K skipped`); exit 1 on a failure.
Needs qpdf (make deps); skips, and says so, without it.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bench"))
import geometry  # noqa: E402
from run_golden import Report  # noqa: E402

TIMEOUT = float(os.environ.get("BUDGETPDF_TIMEOUT", "1800"))


def find_bin(arg):
    if arg:
        return os.path.abspath(arg)
    return os.path.abspath(os.environ.get("BUDGETPDF") or os.path.join(ROOT, "budgetpdf"))


def run(binary, src, out):
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([binary, "-j2", "-q", "--ocr", "never", "-o", out, src],
                       capture_output=True, timeout=TIMEOUT)
    return p.returncode, p.stderr.decode(errors="replace")


def outputs(root):
    found = {}
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".json") and n != "budgetpdf-report.json":
                found[os.path.relpath(os.path.join(d, n), root)] = os.path.join(d, n)
    return found


def first_difference(a, b, path=""):
    """The JSON path of the first difference between a and b, or None."""
    if type(a) is not type(b):
        return path or "."
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return "%s.%s" % (path, k)
            d = first_difference(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s (%d items, %d)" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else (path or ".")


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for k in ("source", "warnings"):
        doc.pop(k, None)
    return doc


def check_set(rep, binary, label, src_dir, pdfs, variants, tmp):
    """Every variant of pdfs (under src_dir) reads as the files do."""
    base = os.path.join(tmp, label, "original")
    code, err = run(binary, src_dir, base)
    want = outputs(base)
    if not want:
        rep.ok("%s: the files as they are read" % label, False, "no output (exit %d) %s" % (code, err[-300:]))
        return
    for v in variants:
        vdir = os.path.join(tmp, label, "pdf-" + v)
        made = []
        for src in pdfs:
            dst = os.path.join(vdir, os.path.relpath(src, src_dir))
            try:
                geometry.make_variant(src, dst, v)
                made.append(dst)
            except (RuntimeError, ValueError, KeyError) as e:
                rep.ok("%s %s %s made" % (label, v, os.path.relpath(src, src_dir)), False, e)
        out = os.path.join(tmp, label, "out-" + v)
        run(binary, vdir, out)
        got = outputs(out)
        for rel in sorted(want):
            name = "%s %s %s reads as the file" % (label, v, rel[:-5])
            if rel not in got:
                rep.ok(name, False, "no output")
                continue
            d = first_difference(load(want[rel]), load(got[rel]))
            rep.ok(name, d is None, "differs first at %s" % d if d else None)
        shutil.rmtree(vdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description="budgetpdf page-geometry tests")
    ap.add_argument("--bin", help="binary to test (default $BUDGETPDF or ./budgetpdf)")
    ap.add_argument("--corpus", action="append", default=[], help="also the PDFs under DIR")
    ap.add_argument("--variants", default=",".join(geometry.VARIANTS))
    args = ap.parse_args()
    rep = Report()
    binary = find_bin(args.bin)
    print("geometry: binary %s" % binary, flush=True)
    if not shutil.which("qpdf"):
        rep.skip("geometry", "qpdf is not installed (make deps)")
        return rep.close()
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()
    variants = [v for v in args.variants.split(",") if v in geometry.VARIANTS]
    sets = [("fixtures", os.path.join(ROOT, "fixtures", "pdf"))]
    for d in args.corpus:
        if os.path.isdir(d):
            sets.append((os.path.basename(os.path.normpath(d)), d))
        else:
            rep.skip("corpus %s" % d, "not there (the corpus lives in ../shared)")
    tmp = tempfile.mkdtemp(prefix="budgetpdf-geometry-")
    try:
        for label, d in sets:
            pdfs = sorted(os.path.join(r, n) for r, _, names in os.walk(d) for n in names if n.endswith(".pdf"))
            if not pdfs:
                rep.skip(label, "no PDF under %s" % d)
                continue
            check_set(rep, binary, label, d, pdfs, variants, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
