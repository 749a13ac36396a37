#!/usr/bin/python3
"""Score budgetpdf on the development corpus (real Jiangsu PDFs with hand-checked truth).

usage: run_corpus.py [--bin PATH] [--out DIR] [-v]

  --bin PATH  the binary (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --out DIR   write the outputs to DIR and keep them (default: a temporary folder)

The corpus lives outside the repo: ../shared/corpus/jiangsu next to the repo root, or
$BUDGETPDF_SHARED/corpus/jiangsu.  Without it the run is skipped (exit 0).  With it:
`budgetpdf -o DIR` on every corpus PDF, every output checked against the schema, then
`/usr/bin/python3 SHARED/eval/score.py SHARED/corpus/jiangsu/truth DIR`, its whole output
printed and its OVERALL line held to the floors below (env overrides them).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_golden as g  # noqa: E402
import validate_schema  # noqa: E402

FLOORS = {  # metric on score.py's OVERALL line -> least acceptable value
    "tables_recall": float(os.environ.get("BUDGETPDF_FLOOR_TABLES_RECALL", "0.98")),
    "rows_f1": float(os.environ.get("BUDGETPDF_FLOOR_ROWS_F1", "0.95")),
    "cells_acc": float(os.environ.get("BUDGETPDF_FLOOR_CELLS_ACC", "0.97")),
    "key_acc": float(os.environ.get("BUDGETPDF_FLOOR_KEY_ACC", "1.0")),
    "noise_clean": float(os.environ.get("BUDGETPDF_FLOOR_NOISE_CLEAN", "1.0")),
}
TIMEOUT = float(os.environ.get("BUDGETPDF_CORPUS_TIMEOUT", "1200"))
PYTHON = "/usr/bin/python3"


def main():
    ap = argparse.ArgumentParser(description="budgetpdf development-corpus score")
    ap.add_argument("--bin")
    ap.add_argument("--out")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    g.VERBOSE = args.verbose
    rep = g.Report()

    env_shared = os.environ.get("BUDGETPDF_SHARED")
    shared = os.path.abspath(env_shared or os.path.join(g.ROOT, "..", "shared"))
    shown = os.path.join(env_shared, "corpus", "jiangsu") if env_shared else "../shared/corpus/jiangsu"
    corpus = os.path.join(shared, "corpus", "jiangsu")
    if not os.path.isdir(corpus):
        print("SKIP corpus: %s not found, so the score gates did not run "
              "(set BUDGETPDF_SHARED to the folder holding corpus/jiangsu)" % shown)
        print("0 passed, 0 failed, 1 skipped")
        return 0
    truth = os.path.join(corpus, "truth")
    scorer = os.path.join(shared, "eval", "score.py")
    binary = g.find_bin(args.bin)
    print("corpus: %s, binary %s" % (corpus, binary), flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("corpus binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()

    pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                  if not os.path.relpath(d, corpus).split(os.sep)[0] == "truth"
                  for f in fs if f.lower().endswith(".pdf"))
    if not rep.ok("corpus has PDFs", bool(pdfs), "no *.pdf under " + corpus):
        return rep.close()

    out = os.path.abspath(args.out) if args.out else tempfile.mkdtemp(prefix="budgetpdf-corpus-")
    os.makedirs(out, exist_ok=True)
    try:
        r = g.Run([binary, "-o", out] + pdfs, timeout=TIMEOUT)
        san = r.san()
        rep.ok("corpus budgetpdf -o DIR on %d PDFs exits 0" % len(pdfs),
               r.rc == 0 and not san,
               "exit %s%s\n%s" % (r.rc, " (timed out)" if r.timed_out else "", san or g.tail(r.stderr, 20)))

        share_hit = share_all = 0
        failed_checks = []
        for p in pdfs:
            name = os.path.splitext(os.path.basename(p))[0]
            path = os.path.join(out, name + ".json")
            label = "corpus schema %s" % name
            try:
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
            except OSError:
                rep.ok(label, False, "no output %s.json" % name)
                continue
            except ValueError as e:
                rep.ok(label, False, "not JSON: %s" % e)
                continue
            msgs = validate_schema.problems(doc) if isinstance(doc, dict) else ["not a JSON object"]
            rep.ok(label, not msgs, "\n".join(msgs))
            if isinstance(doc, dict):
                n_num = sum(1 for t in doc.get("tables") or [] if not t.get("no_data")
                            for row in t.get("rows") or [] for v in row
                            if isinstance(v, (int, float)) and not isinstance(v, bool))
                share, failed = g.arithmetic_coverage(doc)
                share_hit += share * n_num
                share_all += n_num
                failed_checks += ["%s: table %s %s %s/%s expected %s found %s" % (
                    name, k.get("table"), k.get("rule"), k.get("row"), k.get("column"),
                    k.get("expected"), k.get("found")) for k in failed]

        # unit and year as the truth gives them
        wrong = []
        for d, _, fs in os.walk(truth):
            for f in fs:
                if not f.endswith(".json"):
                    continue
                try:
                    with open(os.path.join(d, f), encoding="utf-8") as fh:
                        t = json.load(fh)
                    with open(os.path.join(out, f), encoding="utf-8") as fh:
                        o = json.load(fh)
                except (OSError, ValueError):
                    wrong.append("%s: no output" % f)
                    continue
                for k in ("unit", "year"):
                    if t.get(k) is not None and g.norm(t.get(k)) != g.norm(o.get(k)):
                        wrong.append("%s: %s expected %s, got %s" % (f, k, t.get(k), o.get(k)))
        rep.ok("corpus unit and year of every document", not wrong, "\n".join(wrong))

        # the corpus's own sums all hold (hand-checked truth): a failing check
        # here is a misread cell
        rep.ok("corpus every arithmetic check passes", not failed_checks, "\n".join(failed_checks[:20]))
        share = share_hit / share_all if share_all else 1.0
        print("corpus: %.1f%% of %d numeric cells take part in a passing check" % (100 * share, share_all))
        rep.ok("corpus checks cover >= %.0f%% of the numeric cells" % (100 * g.CHECK_COVERAGE),
               share >= g.CHECK_COVERAGE, "%.1f%%" % (100 * share))

        if not rep.ok("corpus score.py present", os.path.isfile(scorer), "%s not found" % scorer):
            return rep.close()
        s = subprocess.run([PYTHON, scorer, truth, out], capture_output=True, text=True, timeout=600)
        print("---- %s %s %s %s" % (PYTHON, scorer, truth, out))
        sys.stdout.write(s.stdout)
        sys.stdout.write(s.stderr)
        print("----", flush=True)
        overall = [l for l in s.stdout.splitlines() if l.startswith("OVERALL ")]
        if not rep.ok("corpus score.py ran", s.returncode == 0 and overall,
                      "exit %s, OVERALL line %s" % (s.returncode, "found" if overall else "missing")):
            return rep.close()
        metrics = dict(re.findall(r"(\w+)=(\S+)", overall[-1]))
        for k, floor in FLOORS.items():
            v = metrics.get(k)
            try:
                good = v is not None and float(v) >= floor - 1e-9
            except ValueError:
                good = False
            rep.ok("corpus %s >= %g" % (k, floor), good, "%s=%s" % (k, v if v is not None else "(absent)"))
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
