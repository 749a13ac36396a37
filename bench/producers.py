#!/usr/bin/env python3
"""Other producers: the same documents rewritten by other PDF writers read the same.

budgetpdf meets PDFs from producers it has never seen (Word, WPS, Excel,
Acrobat, iText, print-to-PDF drivers ...).  A cheap way to meet other
producers is to rewrite our own documents through other PDF writers and
require that each variant reads as its original.  For each PDF of a set this
writes one PDF per variant (the writers are Debian packages):

  gs             ghostscript pdfwrite (fonts re-embedded as subsets, content
                 streams rewritten, text re-encoded as gs does by default);
  gs14           the same with -dCompatibilityLevel=1.4 (no object streams,
                 no transparency groups kept as they were);
  cairo          pdftocairo -pdf (poppler-utils): every page redrawn through
                 cairo, fonts re-emitted as subsets, paths re-drawn;
  mutool-clean   mutool clean -gggg -s (mupdf-tools): objects renumbered and
                 content streams sanitized (rewritten operator by operator);
  mutool-convert mutool convert -F pdf: every page redrawn through mupdf's
                 PDF output device;
  qpdf-qdf       qpdf --qdf (uncompressed, normalised content, no object
                 streams);
  qpdf-objstm    qpdf --object-streams=generate (objects in object streams).

runs `budgetpdf -q --ocr never` on the originals and on every variant and
reports, per variant and set, how many files read as their original
(identical JSON but for source.sha256 and source.producer, which must
differ), how many differ, and how many the writer itself broke.  A file that
differs is broken by the writer, and not blamed on budgetpdf, when the writer
changed the text of a page (pdftotext of the variant's page lacks more than
two of the characters of the original's, or has more than two others: fonts
or a bold heading turned into outlines, a ToUnicode map dropped or rebuilt
with other code points, DEL for unmapped glyphs) or its look (rendered in
grey at 18 dpi, over 25% of its pixels differ by more than 96 levels at the
best shift by a pixel: a white fill turned black).

    python3 bench/producers.py [--bin PATH] [--variants a,b] [--sets fix,js,cn]
                               [--keep] [--details FILE] WORKDIR

Sets: fix (fixtures/pdf), js (../shared/corpus/jiangsu), cn
(../shared/corpus/china); a set that is not there is skipped and said so.  A
variant whose writer is not installed is skipped and said so.  WORKDIR gets
pdf/<variant>/<set>/..., out/<variant>/<set>/... (out/original/<set> for the
originals); --details writes, for every file that differs, the first JSON
paths that differ.  Prints a Markdown table (one row per variant).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import geometry  # noqa: E402
import same_output  # noqa: E402

WRITE_TIMEOUT = 600

# variant -> (the program it needs, the command line given src and dst)
WRITERS = collections.OrderedDict([
    ("gs", ("gs", lambda s, d: ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                                 "-o", d, s])),
    ("gs14", ("gs", lambda s, d: ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                                   "-dCompatibilityLevel=1.4", "-o", d, s])),
    ("cairo", ("pdftocairo", lambda s, d: ["pdftocairo", "-pdf", s, d])),
    ("mutool-clean", ("mutool", lambda s, d: ["mutool", "clean", "-gggg", "-s", s, d])),
    ("mutool-convert", ("mutool", lambda s, d: ["mutool", "convert", "-F", "pdf", "-o", d, s])),
    ("qpdf-qdf", ("qpdf", lambda s, d: ["qpdf", "--qdf", "--object-streams=disable", s, d])),
    ("qpdf-objstm", ("qpdf", lambda s, d: ["qpdf", "--object-streams=generate", s, d])),
])
VARIANTS = list(WRITERS)

SETS = collections.OrderedDict([
    ("fix", os.path.join(ROOT, "fixtures", "pdf")),
    ("js", os.path.join(ROOT, "..", "shared", "corpus", "jiangsu")),
    ("cn", os.path.join(ROOT, "..", "shared", "corpus", "china")),
])

# source members that must differ between a file and its rewriting
SOURCE_MAY_DIFFER = ("sha256", "producer")
TEXT_LOST_MAX = 2  # characters of a page the writer may lose (a stray mark) before it broke the page
RENDER_DPI = 18  # the look of the pages is compared at this resolution
RENDER_CHANGED = 0.25  # share of a page's pixels the writer may change before it broke the page


def writer_installed(variant):
    return shutil.which(WRITERS[variant][0]) is not None


def make_variant(src, dst, variant):
    """Write src rewritten by the variant's writer to dst; raises RuntimeError."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    cmd = WRITERS[variant][1](src, dst)
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=WRITE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RuntimeError("%s took over %d s" % (cmd[0], WRITE_TIMEOUT))
    ok = p.returncode == 0 or (cmd[0] == "qpdf" and p.returncode == 3)  # qpdf 3: warnings
    if not ok or not os.path.isfile(dst) or os.path.getsize(dst) == 0:
        try:
            os.unlink(dst)
        except OSError:
            pass
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], p.returncode,
                                                   p.stderr.decode(errors="replace")[-300:]))


def pdfs_under(d):
    return sorted(os.path.join(r, n) for r, _, names in os.walk(d) for n in names
                  if n.lower().endswith(".pdf"))


def page_texts(pdf):
    """pdftotext of every page, as a list of Counters of non-space characters."""
    p = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", pdf, "-"], capture_output=True, timeout=600)
    pages = p.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [collections.Counter(c for c in t if not c.isspace()) for t in pages]


def text_lost(orig, variant):
    """The 1-based pages whose text the writer lost or changed (more than
    TEXT_LOST_MAX characters of it lost, or as many new ones, or a control
    character new: a heading drawn as outlines, a ToUnicode map dropped or
    rebuilt with other code points, DEL for a glyph without one)."""
    a, b = page_texts(orig), page_texts(variant)
    lost = []
    for i, ca in enumerate(a):
        n = sum(ca.values())
        if n == 0:
            continue
        cb = b[i] if i < len(b) else collections.Counter()
        kept = sum((ca & cb).values())
        gained = cb - ca
        controls = any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in gained)
        if n - kept > TEXT_LOST_MAX or sum(gained.values()) > TEXT_LOST_MAX or controls:
            lost.append(i + 1)
    return lost


def renderings(pdf, d, tag):
    """Every page of pdf rendered in grey at RENDER_DPI: a list of (w, h, pixels)."""
    prefix = os.path.join(d, tag)
    subprocess.run(["pdftoppm", "-q", "-r", str(RENDER_DPI), "-gray", pdf, prefix], capture_output=True,
                   timeout=900)
    pages = []
    for name in sorted(n for n in os.listdir(d) if n.startswith(tag + "-") and n.endswith(".pgm")):
        with open(os.path.join(d, name), "rb") as f:
            data = f.read()
        # binary PGM: P5 <w> <h> <max> then the pixels
        fields, pos = [], 2
        while len(fields) < 3:
            while data[pos:pos + 1].isspace():
                pos += 1
            end = pos
            while not data[end:end + 1].isspace():
                end += 1
            fields.append(int(data[pos:end]))
            pos = end
        pages.append((fields[0], fields[1], data[pos + 1:]))
    return pages


def render_changed(orig, variant):
    """The 1-based pages the writer changed the look of: over RENDER_CHANGED of
    their pixels differ by more than 96 grey levels, at the best shift by a
    pixel (a white fill turned black, a page blank)."""
    changed = []
    with tempfile.TemporaryDirectory() as d:
        a, b = renderings(orig, d, "a"), renderings(variant, d, "b")
        for i, page in enumerate(a):
            # the best of the shifts by a pixel either way (a writer may move
            # the page's content by a fraction of a point): geometry.differ
            if i >= len(b) or geometry.differ(page, b[i], 96) > RENDER_CHANGED:
                changed.append(i + 1)
    return changed


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    src = doc.get("source")
    if isinstance(src, dict):
        for k in SOURCE_MAY_DIFFER:
            src.pop(k, None)
    return doc


def json_outputs(root):
    return {rel: os.path.join(root, rel) for rel in same_output.files(root)} if os.path.isdir(root) else {}


def run_budgetpdf(binary, src, out, jobs):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([binary, "-j%d" % jobs, "-q", "--ocr", "never", "-o", out, src], capture_output=True)
    return p.returncode


def compare_set(binary, label, src_dir, variant, work, jobs, details):
    """Counts (identical, different, broken, failed) for one variant of one set."""
    pdfs = pdfs_under(src_dir)
    want = json_outputs(os.path.join(work, "out", "original", label))
    vdir = os.path.join(work, "pdf", variant, label)
    failed = []

    def write(src):
        rel = os.path.relpath(src, src_dir)
        dst = os.path.join(vdir, rel)
        if os.path.isfile(dst) and os.path.getmtime(dst) >= os.path.getmtime(src):
            return rel, None  # made by an earlier run
        try:
            make_variant(src, dst, variant)
            return rel, None
        except RuntimeError as e:
            return rel, str(e)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for rel, err in ex.map(write, pdfs):
            if err:
                failed.append(rel)
                details.append("%s %s %s: writer failed: %s" % (variant, label, rel, err))
    out = os.path.join(work, "out", variant, label)
    run_budgetpdf(binary, vdir, out, jobs)
    got = json_outputs(out)
    counts = collections.Counter()
    for src in pdfs:
        rel_pdf = os.path.relpath(src, src_dir)
        if rel_pdf in failed:
            counts["failed"] += 1
            continue
        rel = rel_pdf[:-4] + ".json"
        if rel not in want:
            continue  # the original gave no output: nothing to compare with
        if rel not in got:
            counts["different"] += 1
            details.append("%s %s %s: no output" % (variant, label, rel))
            continue
        diffs = []
        same_output.diff(load(want[rel]), load(got[rel]), "$", diffs)
        if not diffs:
            counts["identical"] += 1
            continue
        lost = text_lost(src, os.path.join(vdir, rel_pdf))
        looks = [] if lost else render_changed(src, os.path.join(vdir, rel_pdf))
        if lost or looks:
            counts["broken"] += 1
            details.append("%s %s %s: broken by the writer (%s on pages %s)" %
                           (variant, label, rel, "text lost or changed" if lost else "look changed",
                            ",".join(map(str, (lost or looks)[:20]))))
        else:
            counts["different"] += 1
            details.append("%s %s %s differs:\n  %s" % (variant, label, rel, "\n  ".join(diffs)))
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workdir")
    ap.add_argument("--bin", default=os.path.join(ROOT, "budgetpdf"))
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--details", help="write the differences found to this file")
    ap.add_argument("--keep", action="store_true", help="keep the variant PDFs of an earlier run (default: rewrite)")
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in WRITERS:
            ap.error("unknown variant %s (known: %s)" % (v, ", ".join(VARIANTS)))
    binary = os.path.abspath(args.bin)
    work = os.path.abspath(args.workdir)
    if not args.keep:
        shutil.rmtree(os.path.join(work, "pdf"), ignore_errors=True)
    sets = []
    for label in args.sets.split(","):
        d = SETS.get(label)
        if d is None:
            ap.error("unknown set %s (known: %s)" % (label, ", ".join(SETS)))
        if not os.path.isdir(d) or not pdfs_under(d):
            print("set %s: %s is not there, skipped" % (label, os.path.normpath(d)), file=sys.stderr)
            continue
        sets.append((label, d))
    for label, d in sets:
        run_budgetpdf(binary, d, os.path.join(work, "out", "original", label), args.jobs)
    details = []
    rows = []
    for v in variants:
        if not writer_installed(v):
            print("variant %s: %s is not installed, skipped" % (v, WRITERS[v][0]), file=sys.stderr)
            continue
        cells = []
        for label, d in sets:
            c = compare_set(binary, label, d, v, work, args.jobs, details)
            cell = "%d / %d / %d" % (c["identical"], c["different"], c["broken"])
            if c["failed"]:
                cell += " (%d not written)" % c["failed"]
            cells.append(cell)
            print("%s %s: %s" % (v, label, cell), file=sys.stderr, flush=True)
        rows.append("| %s | %s |" % (v, " | ".join(cells)))
    print("| variant | %s |" % " | ".join(label for label, _ in sets))
    print("|---|" + "---|" * len(sets))
    print("\n".join(rows))
    print("\n(cells: files identical / different / broken by the writer)")
    if args.details:
        with open(args.details, "w", encoding="utf-8") as f:
            f.write("\n".join(details) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
