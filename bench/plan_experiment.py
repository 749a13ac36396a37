#!/usr/bin/python3
"""plan_experiment.py [--bin BIN] [PDF or folder...] — which pages need their rulings?

For every file (default: fixtures/pdf and the development corpora), runs BIN
(default ./budgetpdf) three times, one process per file, `-j 1`:
  1. as it is, with BUDGETPDF_PLAN_LOG (extract/plan.c): one line per page with the
     plan's judgement (prose / table / image), its features (text rows, rows with a
     column break, rows of running text, glyphs), whether the page was rendered
     first, and the rulings found;
  2. with BUDGETPDF_PLAN_SKIP=odd: the odd pages read without rulings;
  3. with BUDGETPDF_PLAN_SKIP=even.
A page "needs its rulings" when a table or performance-target form that lies on it
(`pages` in the JSON) differs, in the run that took that page's rulings away, from
the first run.  Each page loses its rulings while its neighbours keep theirs, so a
difference is the page's own (a table running over two pages is charged to the page
of its parity).  Differences outside tables and forms (checks, summary, sections,
warnings) are counted per file, not per page: they follow from the tables.

Prints the pages rendered, by rulings found / needed, by the plan's features, and how
often the render-first guess (extract.c read_page) was wrong.  A measurement, not a
test: it shows what a rule for not rendering could at best save, and what it would
cost.  Takes three runs of every file (about 1 minute of CPU for the corpora).
"""
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pdfs(args):
    if not args:
        args = [os.path.join(ROOT, "fixtures/pdf")]
        shared = os.environ.get("BUDGETPDF_SHARED", os.path.join(ROOT, "../shared"))
        for c in ("jiangsu", "china"):
            d = os.path.join(shared, "corpus", c)
            if os.path.isdir(d):
                args.append(d)
            else:
                print("plan_experiment: no corpus at %s (skipped)" % d)
    out = []
    for a in args:
        if os.path.isdir(a):
            out += sorted(glob.glob(os.path.join(a, "**", "*.pdf"), recursive=True))
        else:
            out.append(a)
    return out


def run(binary, pdf, outdir, env):
    subprocess.run([binary, "-q", "-j", "1", "-o", outdir, pdf], env={**os.environ, **env},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    js = [f for f in glob.glob(os.path.join(outdir, "*.json")) if not f.endswith("budgetpdf-report.json")]
    return json.load(open(js[0])) if js else None


def needing(base, other, parity):
    """Pages of the given parity whose tables or forms differ between the two runs."""
    pages = set()
    for key in ("tables", "performance_targets"):
        a = [json.dumps(t, sort_keys=True) for t in base.get(key) or []]
        b = [json.dumps(t, sort_keys=True) for t in other.get(key) or []]
        sa, sb = set(a), set(b)
        for objs, strs, others in ((base.get(key) or [], a, sb), (other.get(key) or [], b, sa)):
            for t, s in zip(objs, strs):
                if s not in others:
                    pages.update(p for p in t.get("pages", []) if p % 2 == parity)
    rest = sorted(k for k in base if k not in ("tables", "performance_targets")
                  and json.dumps(base[k], sort_keys=True) != json.dumps(other.get(k), sort_keys=True))
    return pages, rest


def main():
    args = sys.argv[1:]
    binary = os.path.join(ROOT, "budgetpdf")
    if args[:1] == ["--bin"]:
        binary, args = os.path.abspath(args[1]), args[2:]
    kinds = {0: "prose", 1: "table", 2: "image"}
    by_rulings = collections.Counter()
    by_gaps = collections.Counter()
    guess = collections.Counter()
    files_rest = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n, pdf in enumerate(pdfs(args)):
            log = os.path.join(tmp, "log%d" % n)
            base = run(binary, pdf, os.path.join(tmp, "b%d" % n), {"BUDGETPDF_PLAN_LOG": log})
            if base is None or not os.path.exists(log):
                continue
            need = set()
            for parity, name in ((1, "odd"), (0, "even")):
                other = run(binary, pdf, os.path.join(tmp, "%s%d" % (name, n)), {"BUDGETPDF_PLAN_SKIP": name})
                if other is None:
                    continue
                p, rest = needing(base, other, parity)
                need |= p
                for k in rest:
                    files_rest[k] += 1
            for line in open(log):
                page, kind, rows, gapped, long_rows, chars, first, nh, nv = map(int, line.split("\t"))
                guess[(first, kind != 0)] += kind != 2
                if kind != 1:
                    continue
                found = "rulings found" if nh + nv else "no ruling found"
                mattered = "needed" if page in need else "not needed"
                by_rulings[(found, mattered)] += 1
                gaps = "no row with a column break" if gapped == 0 else (
                    "1 such row" if gapped == 1 else "2 or more such rows")
                by_gaps[(gaps if rows else "not judged (vertical glyph)", mattered)] += 1
    print("pages planned for rendering (table), by what their rulings did:")
    for k, v in sorted(by_rulings.items()):
        print("  %-18s %-12s %5d" % (k[0], k[1], v))
    print("the same pages by the plan's rows with a column break:")
    for k, v in sorted(by_gaps.items()):
        print("  %-28s %-12s %5d" % (k[0], k[1], v))
    print("render-first guess: rendered in vain (then prose) %d, read as text first and then rendered %d,"
          " right %d" % (guess[(1, False)], guess[(0, True)], guess[(1, True)] + guess[(0, False)]))
    print("files whose other fields changed with a parity's rulings gone:",
          ", ".join("%s %d" % kv for kv in sorted(files_rest.items())) or "none")


if __name__ == "__main__":
    main()
