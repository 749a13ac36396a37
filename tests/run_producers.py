#!/usr/bin/python3
"""Other producers: fixtures rewritten by other PDF writers read as the fixtures.

usage: run_producers.py [--bin PATH] [-v]

A few fixtures are rewritten by writers of bench/producers.py and each
variant must read as its fixture (--ocr never): the same JSON but for
source.sha256 and source.producer.  The writers:

  cairo        pdftocairo -pdf (poppler-utils): every page redrawn through
               cairo, which states CJK glyphs narrower than they print
               (/W 0 or a third of an em, the advance in TJ), boxes the
               glyphs taller (the font's ascent and descent), and writes
               radicals (⼯) in its ToUnicode maps;
  qpdf-objstm  qpdf --object-streams=generate: the same objects in object
               streams.

One test line per fixture and writer.  A variant whose text the writer
itself changed (bench/producers.py text_lost: a page of pdftotext lacks or
adds more than two characters) is skipped, said so: a writer's version, not
budgetpdf, broke it.  A writer that is not installed is skipped, said so
(pdftocairo and qpdf come with the test dependencies: make deps).
bench/producers.py runs every writer over the corpora (minutes).

The last line is `N passed, M failed` (`, K skipped`); exit 1 on a failure.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bench"))
import producers  # noqa: E402
import same_output  # noqa: E402
from run_golden import Report  # noqa: E402

TIMEOUT = float(os.environ.get("BUDGETPDF_TIMEOUT", "600"))

# (writer, fixtures): the fixtures each writer rewrites; cairo's own stand
# for its mechanisms (000: tables spread over two pages, a watermark, fonts
# of several sizes; 003: circled numbers, a table ruled under narrow glyphs;
# 004: forms with wrapped lines; 002_longtable: a form read glyph by glyph)
CASES = [
    ("cairo", ["000", "003", "004", "002_longtable"]),
    ("qpdf-objstm", ["000", "002"]),
]


def run(binary, pdf, out):
    p = subprocess.run([binary, "-q", "--ocr", "never", "-o", out, pdf], capture_output=True, timeout=TIMEOUT)
    return p.returncode, p.stderr.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser(description="budgetpdf: other producers' rewritings of the fixtures")
    ap.add_argument("--bin", help="binary to test (default $BUDGETPDF or ./budgetpdf)")
    args = ap.parse_args()
    rep = Report()
    binary = os.path.abspath(args.bin or os.environ.get("BUDGETPDF") or os.path.join(ROOT, "budgetpdf"))
    print("producers: binary %s" % binary, flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()
    if not shutil.which("pdftotext"):
        rep.skip("producers", "pdftotext is not installed (poppler-utils: make deps)")
        return rep.close()
    tmp = tempfile.mkdtemp(prefix="budgetpdf-producers-")
    try:
        originals = {}
        for writer, names in CASES:
            if not producers.writer_installed(writer):
                rep.skip(writer, "%s is not installed (make deps)" % producers.WRITERS[writer][0])
                continue
            for name in names:
                src = os.path.join(ROOT, "fixtures", "pdf", name + ".pdf")
                test = "%s %s reads as the fixture" % (writer, name)
                if name not in originals:
                    out = os.path.join(tmp, "original", name + ".json")
                    code, err = run(binary, src, out)
                    originals[name] = out if code == 0 and os.path.isfile(out) else None
                    if originals[name] is None:
                        rep.ok("%s is read" % name, False, "exit %d %s" % (code, err[-300:]))
                if originals[name] is None:
                    continue
                dst = os.path.join(tmp, writer, name + ".pdf")
                try:
                    producers.make_variant(src, dst, writer)
                except RuntimeError as e:
                    rep.skip(test, "the writer failed: %s" % e)
                    continue
                out = os.path.join(tmp, writer, name + ".json")
                code, err = run(binary, dst, out)
                if code != 0 or not os.path.isfile(out):
                    rep.ok(test, False, "exit %d %s" % (code, err[-300:]))
                    continue
                diffs = []
                same_output.diff(producers.load(originals[name]), producers.load(out), "$", diffs, limit=3)
                if diffs:
                    lost = producers.text_lost(src, dst)
                    if lost:
                        rep.skip(test, "the writer changed the text of pages %s" % ",".join(map(str, lost[:10])))
                        continue
                rep.ok(test, not diffs, "; ".join(d[:160] for d in diffs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
