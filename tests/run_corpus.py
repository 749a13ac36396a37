#!/usr/bin/python3
"""Score budgetpdf on the development corpora: real Jiangsu PDFs with hand-checked truth,
and the China corpus (北京, 山东, 福建, 中央), which checks itself.

usage: run_corpus.py [--bin PATH] [--out DIR] [-v]

  --bin PATH  the binary (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --out DIR   write the outputs to DIR and keep them (default: a temporary folder)

The corpus lives outside the repo: ../shared/corpus/jiangsu next to the repo root, or
$BUDGETPDF_SHARED/corpus/jiangsu.  Without it the run is skipped (exit 0).  With it:
`budgetpdf -o DIR` on every corpus PDF, every output checked against the schema, then
`/usr/bin/python3 SHARED/eval/score.py SHARED/corpus/jiangsu/truth DIR`, its whole output
printed and its OVERALL line held to the floors below (env overrides them).

China corpus (../shared/corpus/china; skipped without it): every PDF converts; per
top-level folder with amounts, the share of identities that hold and of amounts covered
(../shared/eval/selfcheck.py's judge) at least CHINA_FLOORS, and overall too; the two
labelled files scored by score.py against china/truth; unit, year and document_type of
every file as the corpus README's table gives them (a file the README lists as image-only
and read without OCR passes only when its output leaves them null and warns that the
identity needs OCR); for
the 北京 pairs (情况说明 + 报表), the 情况说明's headline figures equal its 报表's to two
decimals.
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
CHINA_FLOORS = {  # the values; env overrides them while work is in progress
    "folder_hold": float(os.environ.get("BUDGETPDF_FLOOR_CHINA_FOLDER_HOLD", "0.97")),
    "folder_covered": float(os.environ.get("BUDGETPDF_FLOOR_CHINA_FOLDER_COVERED", "0.90")),
    "hold": float(os.environ.get("BUDGETPDF_FLOOR_CHINA_HOLD", "0.98")),
    "covered": float(os.environ.get("BUDGETPDF_FLOOR_CHINA_COVERED", "0.95")),
    "rows_f1": float(os.environ.get("BUDGETPDF_FLOOR_CHINA_ROWS_F1", "0.97")),
    "cells_acc": float(os.environ.get("BUDGETPDF_FLOOR_CHINA_CELLS_ACC", "0.98")),
}
# Standard short forms of organisation names (the corpus README may give a unit so):
# a document printing the full name names the same unit.
SHORT_FORMS = [(r"^中国共产党(.+?)委员会", r"中共\1委"), (r"人民政府国有资产监督管理委员会", "国资委")]
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
        print("SKIP corpus: %s not found, so the Jiangsu score gates did not run "
              "(set BUDGETPDF_SHARED to the folder holding corpus/)" % shown)
        rep.skip("corpus jiangsu", "%s not found" % shown)
        china(rep, shared, args)
        return rep.close()
    jiangsu(rep, shared, corpus, args)
    china(rep, shared, args)
    return rep.close()


def jiangsu(rep, shared, corpus, args):
    truth = os.path.join(corpus, "truth")
    scorer = os.path.join(shared, "eval", "score.py")
    binary = g.find_bin(args.bin)
    print("corpus: %s, binary %s" % (corpus, binary), flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("corpus binary exists", False, "%s is not an executable file (run make first)" % binary)
        return

    pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                  if not os.path.relpath(d, corpus).split(os.sep)[0] == "truth"
                  for f in fs if f.lower().endswith(".pdf"))
    if not rep.ok("corpus has PDFs", bool(pdfs), "no *.pdf under " + corpus):
        return

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
            return
        s = subprocess.run([PYTHON, scorer, truth, out], capture_output=True, text=True, timeout=600)
        print("---- %s %s %s %s" % (PYTHON, scorer, truth, out))
        sys.stdout.write(s.stdout)
        sys.stdout.write(s.stderr)
        print("----", flush=True)
        overall = [l for l in s.stdout.splitlines() if l.startswith("OVERALL ")]
        if not rep.ok("corpus score.py ran", s.returncode == 0 and overall,
                      "exit %s, OVERALL line %s" % (s.returncode, "found" if overall else "missing")):
            return
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
    return


def readme_table(path):
    """The corpus README's table: file -> (unit, year, kind, notes, text layer)."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not re.match(r"^\| \d+ \|", line):
                continue
            c = [x.strip() for x in line.split("|")]
            rows[c[2].strip("`")] = (c[4], int(c[5]), c[6], c[10], c[9])
    return rows


def same_unit(want, got):
    if got is None:
        return False
    if g.norm(want) == g.norm(got):
        return True
    short = got
    for pat, rep_ in SHORT_FORMS:
        short = re.sub(pat, rep_, short)
    return g.norm(want) == g.norm(short)


def china(rep, shared, args):
    corpus = os.path.join(shared, "corpus", "china")
    if not os.path.isdir(corpus):
        print("SKIP corpus china: %s not found" % corpus)
        rep.skip("corpus china", "%s not found" % corpus)
        return
    sys.path.insert(0, os.path.join(shared, "eval"))
    import selfcheck  # noqa: E402
    binary = g.find_bin(args.bin)
    out = os.path.join(os.path.abspath(args.out), "china") if args.out else tempfile.mkdtemp(prefix="budgetpdf-china-")
    os.makedirs(out, exist_ok=True)
    try:
        r = g.Run([binary, "-o", out, corpus], timeout=TIMEOUT)
        rep.ok("china budgetpdf -o DIR on the corpus exits 0", r.rc == 0 and not r.san(),
               "exit %s\n%s" % (r.rc, r.san() or g.tail(r.stderr, 20)))
        table = readme_table(os.path.join(corpus, "README.md"))
        docs = {}
        for f in table:
            try:
                with open(os.path.join(out, f[:-4] + ".json"), encoding="utf-8") as fh:
                    docs[f] = json.load(fh)
            except (OSError, ValueError) as e:
                rep.ok("china converts %s" % f, False, str(e))
        # arithmetic: per folder and overall
        folders = {}
        for d, _, fs in os.walk(out):
            for f in fs:
                if not f.endswith(".json"):
                    continue
                try:
                    with open(os.path.join(d, f), encoding="utf-8") as fh:
                        doc = json.load(fh)
                except (OSError, ValueError):
                    continue
                if f != "budgetpdf-report.json":
                    # every output valid against the schema, not the labelled ones only
                    msgs = validate_schema.problems(doc) if isinstance(doc, dict) else ["not a JSON object"]
                    rep.ok("china schema %s" % os.path.relpath(os.path.join(d, f), out), not msgs, "\n".join(msgs[:10]))
                j = selfcheck.judge(doc)
                for key in (os.path.relpath(d, out).split(os.sep)[0], None):
                    a = folders.setdefault(key, [0, 0.0, 0, 0.0])
                    a[0] += j["checks"]; a[1] += (j["hold"] or 0) * j["checks"]
                    a[2] += j["amounts"]; a[3] += (j["covered"] or 0) * j["amounts"]
        for key, (n, h, a, c) in sorted(folders.items(), key=lambda kv: kv[0] or ""):
            hold, cov = (h / n if n else 0), (c / a if a else 0)
            print("china %-6s checks=%d hold=%.3f amounts=%d covered=%.3f" % (key or "ALL", n, hold, a, cov))
            if not a:
                continue  # no amounts (an evaluation form): nothing to hold
            fh, fc = (CHINA_FLOORS["hold"], CHINA_FLOORS["covered"]) if key is None else \
                (CHINA_FLOORS["folder_hold"], CHINA_FLOORS["folder_covered"])
            rep.ok("china %s identities hold >= %g" % (key or "overall", fh), hold >= fh - 1e-9, "%.3f" % hold)
            rep.ok("china %s amounts covered >= %g" % (key or "overall", fc), cov >= fc - 1e-9, "%.3f" % cov)
        # the labelled files
        truth = os.path.join(corpus, "truth")
        s = subprocess.run([PYTHON, os.path.join(shared, "eval", "score.py"), truth, out, "--json"],
                           capture_output=True, text=True, timeout=600)
        try:
            per = json.loads(s.stdout)["per_document"]
        except (ValueError, KeyError):
            per = {}
        rep.ok("china score.py ran", bool(per), g.tail(s.stderr, 10))
        for name, m in sorted(per.items()):
            for k in ("rows_f1", "cells_acc"):
                v = m.get(k)
                rep.ok("china %s %s >= %g" % (name, k, CHINA_FLOORS[k]),
                       v is not None and v >= CHINA_FLOORS[k] - 1e-9, "%s=%s" % (k, v))
        # identity
        wrong = []
        for f, (unit, year, kind, _, layer) in sorted(table.items()):
            doc = docs.get(f)
            if doc is None:
                continue
            want_kind = "部门预算" if kind.startswith("部门预算") else kind
            got = (doc.get("unit"), doc.get("year"), doc.get("document_type"))
            if layer.startswith("image-only") and all(v is None for v in got):
                # no text and no OCR: the identity cannot be read; the converter
                # must say so and leave it null, not invent it (from the file name);
                # read by OCR, it must be right like any other
                said = any("no text layer" in (w.get("message") or "") and "identity" in (w.get("message") or "")
                           for w in doc.get("warnings") or [])
                if not said:
                    wrong.append("%s (image-only): no identity and no warning that it cannot be read" % f)
                continue
            if not same_unit(unit, got[0]) or year != got[1] or want_kind != got[2]:
                wrong.append("%s: %s / %s / %s, expected %s / %s / %s" % (f, got[0], got[1], got[2], unit, year, want_kind))
        rep.ok("china unit, year and document_type of every file as the README gives them", not wrong,
               "\n".join(wrong))
        # the 北京 pairs: the 情况说明's headline figures are its 报表's
        pairs = {}
        for f, (unit, year, kind, notes, _) in table.items():
            if "pair" in notes and f in docs:
                pairs.setdefault(unit, {})["tables" if kind.endswith("报表") else "prose"] = docs[f]
        for unit, p in sorted(pairs.items()):
            prose, tables = p.get("prose"), p.get("tables")
            if not prose or not tables:
                continue
            ps, ts = prose.get("summary") or {}, tables.get("summary") or {}
            keys = [k for k in ts if isinstance(ts.get(k), (int, float)) and isinstance(ps.get(k), (int, float))]
            if not any(isinstance(v, (int, float)) for v in ps.values()):
                scanned = any("text layer" in (w.get("message") or "") for w in prose.get("warnings") or [])
                rep.ok("china pair %s: 情况说明 without figures says it has no text" % unit, scanned,
                       "no figures and no warning")
                continue
            # the 收支总表's totals to two decimals; a figure the 情况说明 may
            # derive from two rounded ones (项目支出 = 总计 - 基本支出, printed
            # 1003810.85 for 1003810.842739) within their rounding, 2 x 0.005
            diff = ["%s: 情况说明 %s, 报表 %s" % (k, ps[k], ts[k]) for k in keys
                    if (round(ps[k], 2) != round(ts[k], 2) if k in ("income_total", "expenditure_total")
                        else abs(ps[k] - ts[k]) > 0.01 + 1e-9)]
            rep.ok("china pair %s: 情况说明 figures equal the 报表's to two decimals" % unit,
                   "income_total" in keys and not diff,
                   "\n".join(diff) or "compared %s" % (keys or "nothing"))
        # --by-unit: each pair (情况说明 + 报表) is one unit and year, so one file
        # holding both PDFs, whatever spelling of the unit each prints
        units = os.path.join(out, "by-unit")
        r = g.Run([binary, "-q", "-o", units, "--by-unit", os.path.join(corpus, "北京")], timeout=TIMEOUT)
        sources = {}  # PDF base name -> the by-unit file holding it
        for d, _, fs in os.walk(units):
            for f in fs:
                if f.endswith(".json") and f != "budgetpdf-report.json":
                    try:
                        with open(os.path.join(d, f), encoding="utf-8") as fh:
                            src = json.load(fh).get("source")
                    except (OSError, ValueError):
                        continue
                    for s_ in src if isinstance(src, list) else [src]:
                        sources[s_.get("file")] = os.path.relpath(os.path.join(d, f), units)
        by_pair = {}
        for f, (unit, _, _, notes, _) in table.items():
            if "pair" in notes and f.startswith("北京/"):
                by_pair.setdefault(unit, []).append(os.path.basename(f))
        rep.ok("china --by-unit on 北京 exits 0", r.rc == 0 and not r.san(), "exit %s\n%s" % (r.rc, g.tail(r.stderr, 10)))
        apart = ["%s: %s" % (unit, {f: sources.get(f) for f in fs}) for unit, fs in sorted(by_pair.items())
                 if len(fs) != 2 or len({sources.get(f) for f in fs}) != 1 or sources.get(fs[0]) is None]
        rep.ok("china --by-unit merges each of the %d 北京 pairs (情况说明 + 报表) into one file" % len(by_pair),
               len(by_pair) == 10 and not apart, "\n".join(apart) or "%d pairs in the README" % len(by_pair))
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
