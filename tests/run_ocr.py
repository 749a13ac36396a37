#!/usr/bin/python3
"""OCR tests for budgetpdf: scanned pages (made at test time by fixtures/scan.py) read
as their originals are.

usage: run_ocr.py [--bin PATH] [--full] [--keep DIR] [-v]

  --bin PATH  the binary (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --full      make test-ocr: every fixture and the Jiangsu corpus (../shared/corpus/jiangsu,
              skipped when absent) scanned whole, scored by ../shared/eval/score.py against
              the originals' truth and held to the targets below; and the image-only
              北京市政务服务和数据管理局 情况说明 (../shared/corpus/china/北京), whose headline
              figures read by OCR must be those its 报表 gives.  Takes long (every page is
              read by OCR: a few seconds a page on one core)
  --keep DIR  keep the scanned PDFs and the outputs in DIR

Default (make test, a few OCR pages so that the suite under ASan and valgrind stays
short): one document mixing a text page of fixtures/pdf/004.pdf with two of its table
pages scanned (the landscape 预算收入总表 with a red seal over an amount, the portrait
预算支出总表 fed in sideways), one scanned 绩效目标表 form page of 002.pdf, and one
text page read with --ocr always.  Checks, against fixtures/truth:
  ocr pages      source.ocr_pages names exactly the scanned pages; the text page is not
                 read by OCR
  tables         each scanned table found with its title, and at least 90% of its cells
                 equal to the truth (cells compared as eval/score.py compares them)
  form           the scanned form's project name as in the truth
  summary        the batch summary counts the one document read by OCR
  never          --ocr never: no page read by OCR, each scanned page warned about
  always         --ocr always reads a text page, and finds most of its text layer's text
  no model       with no language data, a page OCR cannot read is a warning naming it
  text layer     a page image under an invisible text layer (fixtures/textlayer.py):
                 the layer kept when it is the image's text, the page read by OCR when
                 the layer's words stand in the wrong places
  garbled        two table pages of 004 whose fonts' ToUnicode maps are rewritten to
                 Latin-1 letters (qpdf --qdf, fix-qdf): read by OCR with a warning that
                 says why, the table's cells as the truth; with --ocr never, a warning
                 that the text is garbled
  no-ocr-repair  with OCR repairs off, the only table cells that change are those the
                 repairs name; a digit repair's checks hold and are marked settled_by_ocr
  lent           the mixed document alone with -j 2: its second scanned page read in a
                 child of the worker on the processor left over (the summary counts it),
                 the JSON byte for byte that of -j 1; the same with every child killed
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import run_golden as g  # noqa: E402
import validate_schema  # noqa: E402

PYTHON = "/usr/bin/python3"
SCAN = os.path.join(ROOT, "fixtures", "scan.py")
FIX = os.path.join(ROOT, "fixtures")
CELL_FLOOR = 0.90  # share of a scanned table's cells read right (quick tests)
TARGETS = {  # make test-ocr: score.py OVERALL metric -> least acceptable value
    "tables_recall": 0.95,
    "cells_acc": 0.97,
    "rows_f1": 0.90,
    "key_acc": 0.9,
}


def scan(src, dst, *args):
    subprocess.run([PYTHON, SCAN, src, dst] + list(args), check=True, capture_output=True)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cells_equal(truth_rows, out_rows):
    """(equal, total) cells over the truth rows, each paired with the output row at
    the same place (tables of the same length) or, failing that, with the output row
    sharing most cells."""
    equal = total = 0
    for i, tr in enumerate(truth_rows):
        tk = g.row_key(tr)
        cands = [out_rows[i]] if len(out_rows) == len(truth_rows) else out_rows
        best = 0
        for orow in cands:
            ok = g.row_key(orow)
            best = max(best, sum(1 for a, b in zip(tk, ok) if a == b))
        equal += best
        total += len(tk)
    return equal, total


def quick(rep, binary, work):
    pdf004 = os.path.join(FIX, "pdf", "004.pdf")
    pdf002 = os.path.join(FIX, "pdf", "002.pdf")
    truth004 = load(os.path.join(FIX, "truth", "004.json"))
    truth002 = load(os.path.join(FIX, "truth", "002.json"))
    mixed = os.path.join(work, "mixed.pdf")
    form = os.path.join(work, "form.pdf")
    text = os.path.join(work, "text.pdf")
    # 004: page 3 kept as text, 6 (landscape, seal) and 7 (sideways) scanned
    scan(pdf004, mixed, "--pages", "3,6,7", "--keep", "3", "--seal", "6", "--sideways", "7", "--seed", "14")
    scan(pdf002, form, "--pages", "1", "--seed", "2")
    subprocess.run(["qpdf", "--empty", "--pages", pdf004, "3", "--", text], check=True)

    out = os.path.join(work, "out")
    run = g.Run([binary, "--progress", "-o", out, mixed, form])
    rep.ok("batch run", run.rc == 0 and not run.san(), run.describe() + "\n" + g.tail(run.stderr))
    rep.ok("summary counts documents read by OCR", re.search(r"\b2 read by OCR\b", run.stderr),
           "stderr: " + g.tail(run.stderr, 3))
    try:
        doc = load(os.path.join(out, "mixed.json"))
        fdoc = load(os.path.join(out, "form.json"))
    except (OSError, ValueError) as e:
        rep.ok("outputs", False, str(e))
        return
    for name, d in (("mixed", doc), ("form", fdoc)):
        errs = validate_schema.problems(d)
        rep.ok(name + " schema", not errs, "; ".join(map(str, errs[:3])))
    rep.ok("ocr pages: the scanned pages, not the text page", doc["source"].get("ocr_pages") == [2, 3],
           "source.ocr_pages = %r" % doc["source"].get("ocr_pages"))
    rep.ok("no 'no text layer' warning", not any("no text layer" in w["message"] for w in doc["warnings"]),
           g.show(doc["warnings"]))
    for tt in truth004["tables"]:
        if tt.get("page_first") not in (6, 7):
            continue
        name = "table %s (page %d scanned%s)" % (tt["number"], tt["page_first"],
                                                  ", sideways" if tt["page_first"] == 7 else ", seal")
        # by title: the excerpt has no 目录 to number its tables by
        ot = g.find_table(dict(tt, number=None), doc["tables"])
        if not rep.ok(name + " found", ot is not None and g.norm(ot.get("title")) == g.norm(tt["title"]),
                      "titles: %s" % g.show([t.get("title") for t in doc["tables"]])):
            continue
        eq, tot = cells_equal(tt["rows"], ot["rows"])
        rep.ok(name + " cells %d/%d" % (eq, tot), tot and eq >= CELL_FLOOR * tot,
               "below %.0f%%; rows:\n%s" % (100 * CELL_FLOOR, "\n".join(g.show(r) for r in ot["rows"][:30])))
    want = [p for p in truth002["performance_targets"] if 1 in (p.get("pages") or [p.get("page_first")])]
    got = [p.get("project") for p in fdoc.get("performance_targets", [])]
    if want:
        rep.ok("form project name", g.norm(want[0].get("project")) in [g.norm(x) for x in got],
               "want %r, got %r" % (want[0].get("project"), got))
    else:
        rep.skip("form project name", "truth names no form on page 1 of 002")

    lent(rep, binary, work, mixed)

    # --ocr never
    run = g.Run([binary, "--ocr", "never", mixed])
    d, why = g.parse_doc(run)
    if rep.ok("never: run", d is not None, why):
        warned = sorted(w["page"] for w in d["warnings"] if "no text layer" in w["message"])
        rep.ok("never: no page read by OCR, the scanned pages warned about",
               d["source"]["ocr_pages"] == [] and warned == [2, 3],
               "ocr_pages %r, warned pages %r" % (d["source"]["ocr_pages"], warned))

    # --no-ocr-repair: the only cells that differ are those the repairs name
    run = g.Run([binary, "--no-ocr-repair", mixed])
    d, why = g.parse_doc(run)
    if rep.ok("no-ocr-repair: run", d is not None, why):
        named = sorted((r["table_index"], r["cell"][0], r["cell"][1]) for r in doc["repairs"] if "cell" in r)
        rep.ok("no-ocr-repair: no OCR repair made", not any("cell" in r for r in d["repairs"]),
               g.show(d["repairs"]))
        changed = []
        if len(d["tables"]) != len(doc["tables"]):
            changed.append(("tables", len(d["tables"]), len(doc["tables"])))
        for ti, (a, b) in enumerate(zip(doc["tables"], d["tables"])):
            if len(a["rows"]) != len(b["rows"]):
                changed.append((ti, "rows", len(a["rows"]), len(b["rows"])))
            for r, (ra, rb) in enumerate(zip(a["rows"], b["rows"])):
                changed += [(ti, r, c) for c in range(max(len(ra), len(rb)))
                            if (ra[c] if c < len(ra) else None) != (rb[c] if c < len(rb) else None)]
        rep.ok("no-ocr-repair: the cells that change are those in repairs (%d)" % len(named),
               sorted(changed) == named, "changed %r, repairs name %r" % (sorted(changed), named))
        kinds = sorted({r["kind"] for r in doc["repairs"] if "cell" in r})
        digit_kinds = [k for k in ("ocr_reading", "ocr_digit_by_checks") if k in kinds]
        for kind in digit_kinds:
            k = next(r for r in doc["repairs"] if r["kind"] == kind)
            rep.ok("%s repair: its checks hold and are marked settled_by_ocr" % kind,
                   k.get("checks") and all(doc["checks"][i]["ok"] and doc["checks"][i].get("settled_by_ocr")
                                           for i in k["checks"]), g.show(k))
        if not digit_kinds:
            rep.skip("ocr_reading repair", "no digit repaired on these scanned pages (repairs: %r)" % kinds)

    # --ocr always on a text page: its text read from the image
    plain, _ = g.parse_doc(g.Run([binary, text]))
    run = g.Run([binary, "--ocr", "always", text])
    d, why = g.parse_doc(run)
    if rep.ok("always: run", d is not None and plain is not None, why):
        rep.ok("always: the text page read by OCR", d["source"]["ocr_pages"] == [1],
               "ocr_pages %r" % d["source"]["ocr_pages"])
        a = "".join(s["heading"] or "" for s in plain["sections"]) + "".join(s["text"] for s in plain["sections"])
        b = "".join(s["heading"] or "" for s in d["sections"]) + "".join(s["text"] for s in d["sections"])
        a = re.sub(r"\s", "", a)
        b = re.sub(r"\s", "", b)
        common = sum(min(a.count(c), b.count(c)) for c in set(a))
        rep.ok("always: most of the text layer's characters found (%d of %d)" % (common, len(a)),
               a and common >= 0.85 * len(a), "OCR text: " + b[:300])

    # a page image under an invisible text layer (fixtures/textlayer.py): kept when the
    # layer is what the image shows, read by OCR when it is not
    try:
        import reportlab  # noqa: F401
        have_reportlab = True
    except ImportError:
        have_reportlab = False
    if not have_reportlab:
        rep.skip("text layer over a scan", "python3-reportlab is not installed")
    else:
        plain_text = (plain or {}).get("sections") or []
        for wrong in (False, True):
            layered = os.path.join(work, "layer-wrong.pdf" if wrong else "layer.pdf")
            subprocess.run([PYTHON, os.path.join(FIX, "textlayer.py"), pdf004, "3", layered] +
                           (["--wrong"] if wrong else []), check=True, capture_output=True)
            d, why = g.parse_doc(g.Run([binary, layered]))
            name = "text layer over a scan, %s" % ("not the image's: read by OCR" if wrong else "the image's: kept")
            if not rep.ok(name + ": run", d is not None, why):
                continue
            rep.ok(name, d["source"]["ocr_pages"] == ([1] if wrong else []),
                   "ocr_pages %r" % d["source"]["ocr_pages"])
            if wrong:
                # what OCR read is the image's text, not the layer's words out of place
                a = re.sub(r"\s", "", "".join(x["text"] for x in plain_text))[:40]
                b = re.sub(r"\s", "", "".join(x["text"] for x in d["sections"]))
                common = sum(min(a.count(c), b[:60].count(c)) for c in set(a))
                rep.ok(name + ": the image's first words read", a and common >= 0.8 * len(a),
                       "text layer %r, read %r" % (a, b[:60]))

    garbled(rep, binary, work, pdf004, truth004)

    # no language data: a warning with the page, the text layer kept
    env = dict(os.environ, TESSDATA_PREFIX=os.path.join(work, "no-tessdata"))
    p = subprocess.run([binary, "--ocr", "always", text], capture_output=True, env=env)
    try:
        d = json.loads(p.stdout.decode("utf-8", "replace"))
    except ValueError:
        d = None
    ok = d is not None and p.returncode == 0 and any(
        w["page"] == 1 and "OCR could not read" in w["message"] for w in d["warnings"])
    rep.ok("no model: a warning naming the page", ok,
           "exit %s; warnings %s" % (p.returncode, g.show(d["warnings"]) if d else p.stdout[:200]))


def garble_to_unicode(qdf):
    """The QDF text of a PDF with every ideograph its fonts' ToUnicode maps give
    mapped to a Latin-1 letter instead (as a Ghostscript rewrite leaves a file:
    the glyphs drawn as before, the text layer "â æ Þ")."""
    def dest(m):
        code = int(m.group(1), 16)
        return "<%04X>" % (0xC0 + code % 0x3F) if code >= 0x2E80 else m.group(0)
    out, in_map = [], False
    for line in qdf.split(b"\n"):
        text = line.decode("latin-1")
        if text.endswith("beginbfchar") or text.endswith("beginbfrange"):
            in_map = True
        elif text.startswith("endbf"):
            in_map = False
        elif in_map:
            text = re.sub(r"<([0-9A-Fa-f]{4})>$", dest, text)
        out.append(text.encode("latin-1"))
    return b"\n".join(out)


def garbled(rep, binary, work, pdf004, truth004):
    """Two pages (a table running onto the second) whose fonts map their Chinese to
    Latin-1 letters (a text layer that does not read, extract/ocr.c
    bpx_text_layer_garbled): read by OCR, with a warning that says why, the table
    found with most cells right; with --ocr never a warning says that their text
    is garbled."""
    one, qdf, bad = (os.path.join(work, n) for n in ("garble-1.pdf", "garble-q.pdf", "garbled.pdf"))
    subprocess.run(["qpdf", "--empty", "--pages", pdf004, "8-9", "--", one], check=True)  # 财政拨款收支总表
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", one, qdf], check=True)
    with open(qdf, "rb") as f:
        text = garble_to_unicode(f.read())
    fixed = subprocess.run(["fix-qdf"], input=text, capture_output=True)
    if fixed.returncode != 0:
        rep.skip("garbled text layer", "fix-qdf failed: %s" % fixed.stderr[:200])
        return
    with open(bad, "wb") as f:
        f.write(fixed.stdout)
    layer = subprocess.run(["pdftotext", bad, "-"], capture_output=True).stdout.decode("utf-8", "replace")
    if re.search(r"[\u4e00-\u9fff]", layer) or not re.search(r"[\u00c0-\u00ff]", layer):
        rep.skip("garbled text layer", "the rewrite did not garble the text layer: %r" % layer[:80])
        return
    d, why = g.parse_doc(g.Run([binary, bad]))
    if not rep.ok("garbled text layer: run", d is not None, why):
        return
    rep.ok("garbled text layer: the pages read by OCR", d["source"]["ocr_pages"] == [1, 2],
           "ocr_pages %r" % d["source"]["ocr_pages"])
    rep.ok("garbled text layer: a warning says why",
           {w["page"] for w in d["warnings"]
            if "text layer does not read" in w["message"] and "read by OCR" in w["message"]} == {1, 2}, g.show(d["warnings"]))
    for tt in truth004["tables"]:
        if tt.get("page_first") != 8 or tt.get("page_last") != 9:
            continue
        ot = g.find_table(dict(tt, number=None), d["tables"])
        name = "garbled text layer: table %s" % tt["number"]
        if rep.ok(name + " found", ot is not None and g.norm(ot.get("title")) == g.norm(tt["title"]),
                  "titles: %s" % g.show([t.get("title") for t in d["tables"]])):
            eq, tot = cells_equal(tt["rows"], ot["rows"])
            rep.ok(name + " cells %d/%d" % (eq, tot), tot and eq >= CELL_FLOOR * tot,
                   "below %.0f%%" % (100 * CELL_FLOOR))
    d, why = g.parse_doc(g.Run([binary, "--ocr", "never", bad]))
    if rep.ok("garbled text layer, --ocr never: run", d is not None, why):
        rep.ok("garbled text layer, --ocr never: not read by OCR, a warning says the text is garbled",
               d["source"]["ocr_pages"] == [] and
               {w["page"] for w in d["warnings"] if "garbled" in w["message"]} == {1, 2}, g.show(d["warnings"]))


def lent(rep, binary, work, mixed):
    """-j 2 with one document: the processor no worker runs on is lent, and the second
    scanned page is read by OCR in a child of the worker while the worker reads the first
    (extract/ahead.c).  The JSON must be byte for byte that of -j 1; the summary counts
    the page read on the lent processor.  With every child killed half-way through
    writing its page (BUDGETPDF_AHEAD_KILL), the worker reads the pages itself: the same
    JSON again, no page counted."""
    outs = {}
    for name, jobs, extra in (("j1", "1", {}), ("j2", "2", {}), ("killed", "2", {"BUDGETPDF_AHEAD_KILL": "1"})):
        out = os.path.join(work, "lent-%s.json" % name)
        p = subprocess.run([binary, "--progress", "-j", jobs, "-o", out, mixed], capture_output=True,
                           env=dict(os.environ, **extra), timeout=g.TIMEOUT)
        err = p.stderr.decode("utf-8", "replace")
        if not rep.ok("lent processors, %s: run" % name, p.returncode == 0 and not g.sanitizer_report(err),
                      "exit %s\n%s" % (p.returncode, g.tail(err))):
            return
        with open(out, "rb") as f:
            outs[name] = (f.read(), err)
    counted = re.search(r"\((\d+) pages? on lent processors\)", outs["j2"][1])
    rep.ok("lent processors: -j 2 reads the second scanned page in a child",
           counted and counted.group(1) == "1", "stderr: " + g.tail(outs["j2"][1], 3))
    rep.ok("lent processors: -j 1 lends nothing", "lent processors" not in outs["j1"][1],
           "stderr: " + g.tail(outs["j1"][1], 3))
    rep.ok("lent processors: -j 2's JSON is -j 1's", outs["j2"][0] == outs["j1"][0],
           "outputs differ: %s, %s" % (os.path.join(work, "lent-j1.json"), os.path.join(work, "lent-j2.json")))
    rep.ok("lent processors: children killed, the worker reads their pages (same JSON, none counted)",
           outs["killed"][0] == outs["j1"][0] and "lent processors" not in outs["killed"][1],
           "stderr: " + g.tail(outs["killed"][1], 3))


def overall(score_out):
    m = re.search(r"^OVERALL.*$", score_out, re.M)
    vals = {}
    if m:
        for k, v in re.findall(r"(\w+)=([0-9.]+)", m.group(0)):
            vals[k] = float(v)
    return vals


def full(rep, binary, work):
    shared = os.environ.get("BUDGETPDF_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
    sets = [("fixtures", os.path.join(FIX, "pdf"), os.path.join(FIX, "truth"))]
    corpus = os.path.join(shared, "corpus", "jiangsu")
    score = os.path.join(shared, "eval", "score.py")
    if not os.path.exists(score):
        rep.skip("full", "no %s" % score)
        return
    if os.path.isdir(corpus):
        sets.append(("jiangsu", corpus, os.path.join(corpus, "truth")))
    else:
        rep.skip("jiangsu", "no corpus at %s" % corpus)
    beijing(rep, binary, shared)
    for name, src, truth in sets:
        pdfs = sorted(p for p in glob.glob(os.path.join(src, "**", "*.pdf"), recursive=True)
                      if os.sep + "truth" + os.sep not in p)
        sdir = os.path.join(work, name, "pdf")
        odir = os.path.join(work, name, "out")
        for i, p in enumerate(pdfs):
            rel = os.path.relpath(p, src)
            dst = os.path.join(sdir, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            args = ["--seed", str(i + 1), "--seal", "1-3"]
            if i == 0:
                args += ["--sideways", "2"]      # one page fed in sideways
            if i == 1:
                args += ["--keep", "1-3"]        # a document mixing text and scanned pages
            scan(p, dst, *args)
        run = g.Run([binary, "--progress", "-o", odir, sdir], timeout=None)
        rep.ok(name + " run", run.rc == 0, run.describe() + "\n" + g.tail(run.stderr))
        print(g.tail(run.stderr, 1))
        s = subprocess.run([PYTHON, score, truth, odir], capture_output=True, text=True)
        print(s.stdout)
        vals = overall(s.stdout)
        for k, floor in TARGETS.items():
            v = vals.get(k)
            rep.ok("%s %s %s >= %.2f" % (name, k, v, floor), v is not None and v >= floor,
                   "below the target")


def beijing(rep, binary, shared):
    """The image-only 情况说明 of 北京市政务服务和数据管理局 (eight page images): the
    headline figures read by OCR are those its 报表 (a text PDF) gives."""
    folder = os.path.join(shared, "corpus", "china", "北京")
    scanned = os.path.join(folder, "北京市政务服务和数据管理局2026年度部门预算.pdf")
    tables = os.path.join(folder, "北京市政务服务和数据管理局2026年度部门预算报表.pdf")
    if not (os.path.exists(scanned) and os.path.exists(tables)):
        rep.skip("beijing", "not in %s" % folder)
        return
    ref, why = g.parse_doc(g.Run([binary, tables]))
    doc, why2 = g.parse_doc(g.Run([binary, scanned], timeout=None))
    if not rep.ok("beijing: both read", ref is not None and doc is not None, why or why2):
        return
    rep.ok("beijing: every page read by OCR", doc["source"]["ocr_pages"] == list(range(1, doc["source"]["pages"] + 1)),
           "ocr_pages %r" % doc["source"]["ocr_pages"])
    print("beijing: summary read by OCR %s; from the 报表 %s" % (g.show(doc["summary"]), g.show(ref["summary"])))
    # the 情况说明 states its totals in sentences ("2026年度收入预算101,673.03万元"); the
    # summary takes them from the tables it does not have, so the sentences are read
    text = "".join((s.get("heading") or "") + s.get("text", "") for s in doc["sections"])
    for k, word in (("income_total", "收入预算"), ("expenditure_total", "支出预算")):
        want = ref["summary"].get(k)
        m = re.search(word + r"([0-9][0-9,]*\.[0-9]+)万元", text)
        got = float(m.group(1).replace(",", "")) if m else None
        rep.ok("beijing: %s %s read by OCR (报表 %s)" % (word, got, want),
               want is not None and got is not None and abs(want - got) < 0.01,
               "not found or differs; text: " + text[:300])
    for k, word in (("basic_expenditure", "基本支出预算"), ("project_expenditure", "项目支出预算")):
        m = re.search(word + r"([0-9][0-9,]*\.[0-9]+)万元", text)
        print("beijing: %s %s; summary.%s %s" % (word, m.group(1) if m else None, k, doc["summary"].get(k)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--keep")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    g.VERBOSE = a.v
    binary = g.find_bin(a.bin)
    rep = g.Report()
    if not os.path.exists(os.path.join(FIX, "pdf", "004.pdf")):
        rep.skip("ocr", "no fixtures/pdf")
        return rep.close()
    work = a.keep or tempfile.mkdtemp(prefix="budgetpdf-ocr-")
    os.makedirs(work, exist_ok=True)
    try:
        (full if a.full else quick)(rep, binary, work)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
