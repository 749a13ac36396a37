#!/usr/bin/python3
"""make bench: budgetpdf's speed and memory, measured against pdftotext -layout.

usage: bench.py [--bin PATH] [--runs N] [--quick] [--ocr-only]

  --bin PATH  the binary (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --runs N    timed runs of each measurement; the best is kept (default 3, or $BENCH_RUNS)
  --quick     skip the long synthetic document
  --ocr-only  only the scanned pages read by OCR (the last item below)

The files are fixtures/pdf/*.pdf and the development corpora (../shared/corpus/jiangsu
and ../shared/corpus/china, or under $BUDGETPDF_SHARED; each skipped, saying so, when
absent).  From one run
it prints:

  - pdftotext -layout, one process per file, in sequence: pages per second;
  - budgetpdf -j 1 -o DIR FILES (one worker): pages per second, and the ratio to
    pdftotext (target >= 0.8), over all files and over each set alone (fixtures,
    the Jiangsu corpus, the china corpus);
  - budgetpdf -j 2 and -j <processors>: pages per second and speed-up over -j 1
    (target >= 1.8 with 2 workers);
  - per file, from one run: peak resident memory, from /usr/bin/time (the process
    tree's maximum: one worker, since the parent stays small) (target < 64 MB on
    every corpus file), and milliseconds per page of budgetpdf and pdftotext, with
    the sums per set (fixtures, corpus);
  - export: budgetpdf --export DIR --csv --sqlite over 500, 1000 and 2000 distinct
    documents (the JSON of the files above, copied with distinct units, years and
    sha256): seconds, documents per second and peak memory (flat in the number of
    documents: the exporter streams one document at a time);
  - generated documents of about 1,000 and 5,000 table pages (qpdf, fixture 001's
    table pages repeated): peak memory (target: within 20% of each other);
  - a long synthetic document built with qpdf from the fixtures (1, 2 and 4 copies
    of all of them, in /tmp): seconds, milliseconds per page, peak memory, and a
    least-squares line through the times, to show that cost grows linearly;
  - scanned pages read by OCR (fixtures/scan.py: one portrait and one landscape table
    page, a form page and a prose page, each scanned with a seal): seconds per page
    (wall and processor, one worker, best of the rounds) and the worker's peak
    memory in MiB, against the targets (<= 3 s of processor per table page, <= 400 MiB).

The machines are shared and noisy: the measurements of one round run one after the
other (pdftotext, -j 1, -j 2, -j N), rounds repeat --runs times, and each figure is
the best (least) time of its rounds; the spread (worst/best) is shown beside it, and
so is the share of the processors that other processes used meanwhile ("elsewhere",
from /proc/stat less our own CPU time).  A speed-up measured while other processes
held more than a tenth of the machine is flagged: it measures the machine.
"""
import argparse
import hashlib
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import resource
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"
TARGET_RATIO, TARGET_SPEEDUP, TARGET_MB, TARGET_GROWTH = 0.8, 1.8, 64, 1.2


def pages_of(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, errors="replace").stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def machine_busy():
    """CPU seconds the whole machine has spent busy (all processors), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Timing:
    """Wall seconds of a measurement, its own CPU seconds (user + sys of the
    process tree), and the CPU seconds that other processes took from the
    machine meanwhile (busy - ours)."""

    def __init__(self):
        self.wall = self.elsewhere = self.cpu = 0.0

    def add(self, argv):
        m0, c0, t0 = machine_busy(), own_cpu(), time.perf_counter()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.wall += time.perf_counter() - t0
        self.cpu += own_cpu() - c0
        self.elsewhere += max(0.0, (machine_busy() - m0) - (own_cpu() - c0))
        if p.returncode != 0:
            sys.exit("bench: %s failed (exit %d):\n%s" % (" ".join(argv[:4]), p.returncode,
                                                          p.stderr.decode("utf-8", "replace")[-2000:]))
        return self


def peak_kb(argv):
    """Peak resident memory of argv's process tree, from GNU time."""
    p = subprocess.run(["/usr/bin/time", "-f", "@@%M"] + argv, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    m = re.findall(rb"@@(\d+)", p.stderr)
    return int(m[-1]) if m else 0


class Bench:
    def __init__(self, binary, runs, tmp):
        self.bin, self.runs, self.tmp = binary, runs, tmp
        self.n = 0

    def out_dir(self):
        self.n += 1
        d = os.path.join(self.tmp, "out%d" % self.n)
        os.makedirs(d)
        return d

    def budgetpdf(self, jobs, files):
        d = self.out_dir()
        t = Timing().add([self.bin, "-q", "-j", str(jobs), "-o", d] + files)
        shutil.rmtree(d)
        return t

    def pdftotext(self, files):
        t = Timing()
        for f in files:
            t.add(["pdftotext", "-q", "-layout", f, "/dev/null"])
        return t

    def rounds(self, measures):
        """measures: name -> thunk; returns name -> (best Timing, worst wall, least CPU seconds)."""
        times = {k: [] for k in measures}
        for _ in range(self.runs):
            for k, fn in measures.items():
                times[k].append(fn())
        return {k: (min(v, key=lambda t: t.wall), max(t.wall for t in v), min(t.cpu for t in v))
                for k, v in times.items()}


def export_bench(binary, tmp, inputs, sizes=(500, 1000, 2000)):
    """budgetpdf --export over N distinct documents: the JSON of the inputs,
    copied with distinct units, years and sha256 (so that none is a duplicate
    of another), exported to CSV and SQLite; seconds and peak memory per N."""
    print("\nexport (budgetpdf --export DIR --csv --sqlite) of N distinct documents, copies of the JSON of "
          "the fixtures and the corpus")
    src = os.path.join(tmp, "export-src")
    subprocess.run([binary, "-q", "-o", src] + inputs, stdin=subprocess.DEVNULL, capture_output=True)
    docs = []
    for root, _, names in os.walk(src):
        for n in sorted(names):
            if n.endswith(".json") and n != "budgetpdf-report.json":
                docs.append(json.load(open(os.path.join(root, n), encoding="utf-8")))
    if not docs:
        print("  skipped: no JSON converted")
        return
    print("  documents  JSON MB  seconds  docs/s    facts  peak MB")
    peaks = []
    for n in sizes:
        d = os.path.join(tmp, "export-%d" % n)
        os.makedirs(d)
        size = 0
        for k in range(n):
            doc = json.loads(json.dumps(docs[k % len(docs)]))
            copy = k // len(docs)
            doc["unit"] = "%s-%d" % (doc.get("unit") or "unit", copy)
            if doc.get("unit_key"):
                doc["unit_key"] = "%s-%d" % (doc["unit_key"], copy)
            doc["year"] = 2000 + copy % 20 if doc.get("year") else None
            sources = doc["source"] if isinstance(doc["source"], list) else [doc["source"]]
            for s_ in sources:
                s_["sha256"] = hashlib.sha256(("%s %d" % (s_["sha256"], k)).encode()).hexdigest()
            path = os.path.join(d, "%05d.json" % k)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
            size += os.path.getsize(path)
        data, db = os.path.join(tmp, "data-%d" % n), os.path.join(tmp, "data-%d.sqlite" % n)
        t0 = time.monotonic()
        kb = peak_kb([binary, "--export", d, "--csv", data, "--sqlite", db])
        secs = time.monotonic() - t0
        with open(os.path.join(data, "facts.csv"), "rb") as f:
            facts = sum(1 for _ in f) - 1
        peaks.append(kb)
        print("  %9d  %7.1f  %7.2f  %6.0f  %7d  %7.1f" % (n, size / 1e6, secs, n / secs, facts, kb / 1024))
        shutil.rmtree(d)
        shutil.rmtree(data)
        os.unlink(db)
    growth = peaks[-1] / peaks[0] if peaks[0] else 0
    print("  peak memory at %d documents is %.2fx that at %d: %s" % (
        sizes[-1], growth, sizes[0], "flat" if growth < 1.25 else "NOT flat"))
OCR_PAGES = [  # (fixture, page, what): one page of each layout, scanned by fixtures/scan.py
    ("004.pdf", 7, "portrait table"), ("004.pdf", 6, "landscape table"),
    ("002.pdf", 1, "form"), ("004.pdf", 4, "prose")]
OCR_TARGET_S, OCR_TARGET_MB = 3.0, 400


def ocr_bench(b, binary, tmp):
    """Seconds per scanned page (wall and processor, one worker) and peak memory."""
    print("\nscanned pages read by OCR (fixtures/scan.py; budgetpdf -j 1, one page each, best of %d)" % b.runs)
    print("  wall s   cpu s  peak MiB  page (seconds per scanned page; peak memory of the worker)")
    worst_s = worst_kb = 0.0
    for name, page, what in OCR_PAGES:
        pdf = os.path.join(tmp, "scan-%s-%d.pdf" % (name[:-4], page))
        p = subprocess.run([PYTHON, os.path.join(ROOT, "fixtures", "scan.py"), os.path.join(ROOT, "fixtures", "pdf", name),
                            pdf, "--pages", str(page), "--seal", str(page)], capture_output=True)
        if p.returncode != 0:
            print("  skipped: fixtures/scan.py failed (python3-pil missing? make deps)")
            return
        best = None
        for _ in range(b.runs):
            c0 = own_cpu()
            t = b.budgetpdf(1, [pdf])
            cpu = own_cpu() - c0
            if best is None or t.wall < best[0]:
                best = (t.wall, cpu)
        kb = peak_kb([binary, "-q", "-j", "1", "-o", b.out_dir(), pdf])
        print("  %6.2f  %6.2f  %8.1f  %s p.%d (%s)" % (best[0], best[1], kb / 1024, name, page, what))
        if "table" in what:
            worst_s = max(worst_s, best[1])
        worst_kb = max(worst_kb, kb)
    print("  slowest table page %.2f s of processor (target <= %.0f s: %s); largest peak %.1f MiB (target <= %d MiB: %s)" % (
        worst_s, OCR_TARGET_S, verdict(worst_s <= OCR_TARGET_S), worst_kb / 1024, OCR_TARGET_MB,
        verdict(worst_kb / 1024 <= OCR_TARGET_MB)))


def fit(xs, ys):
    """Least-squares y = a + b x, and R^2."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sum((y - a - b * x) ** 2 for x, y in zip(xs, ys)) / ss if ss else 1.0
    return a, b, r2


def table_documents(b, binary, tmp, fixtures):
    """Peak memory on generated documents of about 1,000 and 5,000 table pages:
    pages 4-20 of fixture 001 (its 17 pages of tables: each table a new title, so
    the copies stay separate tables) repeated.  The peak should not grow with the
    document (target: within TARGET_GROWTH of each other)."""
    src = next((f for f in fixtures if os.path.basename(f) == "001.pdf"), None)
    if not src or pages_of(src) < 20:
        print("\ntable documents: skipped (fixtures/pdf/001.pdf with its 17 table pages is missing)")
        return
    print("\ngenerated table documents (fixture 001's table pages 4-20 repeated, qpdf)")
    print("  pages  tables  budgetpdf s  ms/page  peak MB  JSON MB")
    peaks = []
    for copies in (59, 294):
        pdf = os.path.join(tmp, "tables-%d.pdf" % copies)
        subprocess.run(["qpdf", "--empty", "--pages", src, ",".join(["4-20"] * copies), "--", pdf], check=True,
                       capture_output=True)
        n = pages_of(pdf)
        out = os.path.join(b.out_dir(), "t.json")
        t0 = time.perf_counter()
        kb = peak_kb([binary, "-q", "-j", "1", "-o", out, pdf])
        bt = time.perf_counter() - t0
        size = os.path.getsize(out) if os.path.exists(out) else 0
        tables = len(re.findall(rb'"header_rows"', open(out, "rb").read())) if size else 0
        peaks.append(kb)
        print("  %5d  %6d  %11.2f  %7.2f  %7.1f  %7.1f" % (n, tables, bt, 1000 * bt / n, kb / 1024, size / 2 ** 20))
        os.remove(pdf)
    growth = peaks[1] / peaks[0] if peaks[0] else 0
    print("  peak at 5,000 pages is %.2fx that at 1,000 (target <= %.1f: %s)" % (
        growth, TARGET_GROWTH, verdict(0 < growth <= TARGET_GROWTH)))


def verdict(ok):
    return "met" if ok else "MISSED"


def main():
    ap = argparse.ArgumentParser(description="budgetpdf benchmark")
    ap.add_argument("--bin")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ocr-only", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin or os.environ.get("BUDGETPDF") or os.path.join(ROOT, "budgetpdf"))
    if not os.access(binary, os.X_OK):
        sys.exit("bench: %s is not executable (make first)" % binary)
    cores = len(os.sched_getaffinity(0))
    shared = os.path.abspath(os.environ.get("BUDGETPDF_SHARED") or os.path.join(ROOT, "..", "shared"))
    corpus_dir = os.path.join(shared, "corpus", "jiangsu")
    china_dir = os.path.join(shared, "corpus", "china")
    fixtures = sorted(glob.glob(os.path.join(ROOT, "fixtures", "pdf", "*.pdf")))

    def pdfs(d):
        return sorted(p for p in glob.glob(os.path.join(d, "**", "*.pdf"), recursive=True)
                      if os.sep + "truth" + os.sep not in p)
    jiangsu, china = pdfs(corpus_dir), pdfs(china_dir)
    corpus = jiangsu + china
    files = fixtures + corpus
    set_of = {f: "fixture" for f in fixtures}
    set_of.update({f: "jiangsu" for f in jiangsu})
    set_of.update({f: "china" for f in china})
    pages = {f: pages_of(f) for f in files}
    total = sum(pages.values())
    poppler = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.split("\n")[0]

    print("budgetpdf bench: %s; %d processor%s; %s; best of %d rounds" % (
        os.path.relpath(binary, ROOT) if binary.startswith(ROOT) else binary, cores,
        "" if cores == 1 else "s", poppler, args.runs))
    print("files: %d fixtures (%d pages) + %s + %s" % (
        len(fixtures), sum(pages[f] for f in fixtures),
        "%d jiangsu PDFs (%d pages)" % (len(jiangsu), sum(pages[f] for f in jiangsu)) if jiangsu
        else "no jiangsu corpus (%s not found)" % corpus_dir,
        "%d china PDFs (%d pages)" % (len(china), sum(pages[f] for f in china)) if china
        else "no china corpus (%s not found)" % china_dir))
    with open("/proc/loadavg") as f:
        print("load average at the start: %s (other processes share the machine: compare ratios)" %
              " ".join(f.read().split()[:3]))
    if not files:
        sys.exit("bench: no PDF to measure")

    tmp = tempfile.mkdtemp(prefix="budgetpdf-bench-")
    if args.ocr_only:
        try:
            ocr_bench(Bench(binary, args.runs, tmp), binary, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    try:
        b = Bench(binary, args.runs, tmp)
        sets = [(name, [f for f in files if set_of[f] == name]) for name in ("fixture", "jiangsu", "china")]
        sets = [(name, fs) for name, fs in sets if fs]
        measures = {"pdftotext": lambda: b.pdftotext(files), "j1": lambda: b.budgetpdf(1, files)}
        for name, fs in sets:
            measures["p-" + name] = (lambda fs=fs: b.pdftotext(fs))
            measures["b-" + name] = (lambda fs=fs: b.budgetpdf(1, fs))
        jobs = sorted({2, cores} - {1}) if cores > 1 else []
        for j in jobs:
            measures["j%d" % j] = (lambda j=j: b.budgetpdf(j, files))
        res = b.rounds(measures)

        def wall(k):
            return res[k][0].wall

        def rate(k):
            return total / wall(k)

        def row(label, k, note=""):
            busy = res[k][0].elsewhere / (wall(k) * cores)
            print("  %-40s %7.2f  %7.1f  %10.2f  %8.0f%%   %s" % (label, wall(k), rate(k), res[k][1] / wall(k),
                                                               100 * busy, note))
            return busy

        print("\nthroughput on %d pages (%d files)           seconds  pages/s  worst/best  elsewhere" % (
            total, len(files)))
        row("pdftotext -layout, a process per file", "pdftotext")
        ratio = rate("j1") / rate("pdftotext")
        row("budgetpdf -j 1 (single-threaded)", "j1", "%.3f of pdftotext's pages/s (target >= %.1f: %s)" % (
            ratio, TARGET_RATIO, verdict(ratio >= TARGET_RATIO)))
        crowded = False
        for j in jobs:
            k = "j%d" % j
            sp = wall("j1") / wall(k)
            note = "speed-up %.2f over -j 1" % sp
            if j == 2:
                note += " (target >= %.1f: %s)" % (TARGET_SPEEDUP, verdict(sp >= TARGET_SPEEDUP))
            busy = row("budgetpdf -j %d%s" % (j, " (= the processors)" if j == cores else ""), k, note)
            crowded = crowded or busy > 0.10
        if not jobs:
            print("  (one processor: no speed-up to measure)")
        print("  each set alone, -j 1 against pdftotext -layout:")
        for name, fs in sets:
            n = sum(pages[f] for f in fs)
            pw, bw = res["p-" + name][0].wall, res["b-" + name][0].wall
            print("    %-8s %5d pages  pdftotext %7.1f pages/s  budgetpdf %7.1f pages/s  ratio %.3f" % (
                name, n, n / pw, n / bw, pw / bw))
        print("  the same in CPU seconds (user + sys, the least of the rounds; steadier than wall time on a shared")
        print("  machine, though a busy machine slows a process's CPU time too):")
        print("    %-8s %5d pages  pdftotext %7.2f s  budgetpdf -j 1 %7.2f s  ratio %.3f" % (
            "all", total, res["pdftotext"][2], res["j1"][2], res["pdftotext"][2] / res["j1"][2]))
        for name, fs in sets:
            n = sum(pages[f] for f in fs)
            pc, bc = res["p-" + name][2], res["b-" + name][2]
            print("    %-8s %5d pages  pdftotext %7.2f s  budgetpdf -j 1 %7.2f s  ratio %.3f" % (name, n, pc, bc, pc / bc))
        print("  (elsewhere: the share of the machine's processors that other processes used during the run)")
        if crowded:
            print("  WARNING: other processes took more than 10% of the processors while -j ran: the speed-up "
                  "measures the machine, not budgetpdf; run make bench again on a quiet machine")

        print("\nper file, one run each: peak resident memory of a worker (/usr/bin/time, budgetpdf -j 1 -o DIR "
              "FILE) and speed")
        print("  peak MB  pages  budgetpdf ms/page  pdftotext ms/page  ratio  set      file")
        d = b.out_dir()
        mem, by_set = [], {}
        for f in files:
            t0 = time.perf_counter()
            kb = peak_kb([binary, "-q", "-j", "1", "-o", d, f])
            bt = time.perf_counter() - t0
            pt = b.pdftotext([f]).wall
            where = set_of[f]
            mem.append((kb, f))
            acc = by_set.setdefault(where, [0, 0.0, 0.0])
            acc[0] += pages[f]
            acc[1] += bt
            acc[2] += pt
            n = max(pages[f], 1)
            print("  %7.1f  %5d  %17.2f  %17.2f  %5.2f  %-7s  %s" % (
                kb / 1024, pages[f], 1000 * bt / n, 1000 * pt / n, pt / bt, where, os.path.basename(f)))
        for where, (n, bt, pt) in sorted(by_set.items()):
            print("  %-7s  %5d  %17.2f  %17.2f  %5.2f  (sums; ratio = budgetpdf's pages/s over pdftotext's)" % (
                where, n, 1000 * bt / n, 1000 * pt / n, pt / bt))
        worst = max(mem)
        cworst = max((m for m in mem if m[1] in corpus), default=None)
        if cworst:
            print("  largest peak on the corpus: %.1f MB (%s) (target < %d MB: %s)" % (
                cworst[0] / 1024, os.path.basename(cworst[1]), TARGET_MB, verdict(cworst[0] / 1024 < TARGET_MB)))
        print("  largest peak overall: %.1f MB (%s)" % (worst[0] / 1024, os.path.basename(worst[1])))

        export_bench(binary, tmp, fixtures + corpus)
        ocr_bench(b, binary, tmp)

        if args.quick:
            print("\nlong synthetic document: skipped (--quick)")
            return 0
        if not shutil.which("qpdf"):
            print("\nlong synthetic document: skipped (qpdf is not installed; make deps)")
            return 0
        table_documents(b, binary, tmp, fixtures)
        print("\nlong synthetic document (qpdf --empty --pages <all fixtures>xN, in %s)" % tempfile.gettempdir())
        print("  copies  pages  budgetpdf s  ms/page  peak MB   pdftotext s  ms/page")
        rows = []
        for copies in (1, 2, 4):
            long_pdf = os.path.join(tmp, "long-%d.pdf" % copies)
            subprocess.run(["qpdf", "--empty", "--pages"] + fixtures * copies + ["--", long_pdf], check=True,
                           capture_output=True)
            n = pages_of(long_pdf)
            r = b.rounds({"b": lambda: b.budgetpdf(1, [long_pdf]), "p": lambda: b.pdftotext([long_pdf])})
            kb = peak_kb([binary, "-q", "-j", "1", "-o", b.out_dir(), long_pdf])
            bt, pt = r["b"][0].wall, r["p"][0].wall
            rows.append((n, bt, kb))
            print("  %6d  %5d  %11.2f  %7.2f  %7.1f   %11.2f  %7.2f" % (
                copies, n, bt, 1000 * bt / n, kb / 1024, pt, 1000 * pt / n))
        a, slope, r2 = fit([r[0] for r in rows], [r[1] for r in rows])
        growth = (rows[-1][1] / rows[-1][0]) / (rows[0][1] / rows[0][0])
        print("  time = %.3f s + %.2f ms x pages (R^2 %.4f); ms/page at %d pages is %.2fx that at %d: %s" % (
            a, 1000 * slope, r2, rows[-1][0], growth, rows[0][0],
            "linear" if r2 > 0.98 and 0.8 < growth < 1.25 else "NOT linear"))
        ma, mslope, _ = fit([r[0] for r in rows], [r[2] / 1024 for r in rows])
        # the fit alone: what grows is told by the generated documents above
        # and bench/README.md (fonts, poppler's page cache), not guessed here
        print("  peak memory = %.1f MB + %.1f kB x pages" % (ma, 1024 * mslope))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
