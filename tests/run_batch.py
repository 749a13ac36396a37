#!/usr/bin/python3
"""Batch tests for budgetpdf (issue 5): folders, -j and worker isolation, progress,
--resume, --by-unit, --ndjson and the GNU parallel recipe of README.md.

usage: run_batch.py [--bin PATH] [--only NAME] [-v]

  --bin PATH   the binary to test (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --only NAME  only the tests whose name contains NAME
  -v           print budgetpdf's stderr for every run

Inputs are copies of fixtures/pdf (and pieces of them cut with qpdf) in a temporary
folder.  Each test prints PASS/FAIL/SKIP NAME[: reason]; the last line is
`N passed, M failed[, K skipped]`; exit 1 on any failure.  Every run also fails on a
sanitizer report in its stderr, and every output folder must end with no temporary
file (.budgetpdf-*) in it.

  usage          exit 2 for several inputs or a folder without -o, --resume or
                 --by-unit without -o, --ndjson with -o
  folders        a tree with upper-case .PDF, repeated base names, a link loop and a
                 second link to a folder: outputs mirror the tree, real paths win
  empty folder   a folder without PDFs fails (exit 1) and says so
  jobs           -j 2 runs two workers at once, and writes what -j 1 writes
  crash          a worker killed by SIGABRT fails its document only, signal named
  timeout        --timeout kills a worker that runs too long; nothing is left behind
  progress       under a pseudo-terminal (script): a bar with docs, pages, rate, ETA,
                 and the summary line; without a terminal nothing but errors; with
                 --progress the summary; -q silences the terminal
  resume         unchanged outputs kept (same inode); changed content or a damaged
                 output converted again; an interrupted batch (SIGINT) leaves only
                 whole files and --resume completes it
  ndjson         one valid document per line, equal to the -o outputs; errors on stderr
  by-unit        two pieces of one unit merged (source a list in input order, lists
                 concatenated, summary first non-null); no unit -> unknown/; --resume
                 appends a new piece and leaves the rest alone; copies of one PDF
                 merged once, named after the first copy; copies without a unit
                 each get their unknown/ output
  parallel       README's recipe with --sshlogin : (this machine): --joblog records a
                 failed input, --resume-failed runs only that one again
Environment: BUDGETPDF, BUDGETPDF_TIMEOUT (seconds per run, default 300).
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import validate_schema  # noqa: E402
from run_golden import Report, find_bin, minimal_pdf, sanitizer_report, tail  # noqa: E402

TIMEOUT = float(os.environ.get("BUDGETPDF_TIMEOUT", "300"))
VERBOSE = False
FIX = os.path.join(ROOT, "fixtures", "pdf")
SUMMARY = re.compile(r"^(\d+) converted, (?:(\d+) already done, )?(\d+) failed, (?:\d+ with nothing found, )?"
                     r"(\d+) checks failed, "
                     r"(\d+) pages, [0-9.]+ s(?:, ([0-9.]+) MiB peak per worker)?$")


class Run:
    """A finished run of argv (stdout and stderr as text)."""

    def __init__(self, argv, cwd=None, env=None, timeout=TIMEOUT):
        self.argv = argv
        p = subprocess.run(argv, cwd=cwd or ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout, env=env)
        self.rc = p.returncode
        self.stdout = p.stdout.decode("utf-8", "replace")
        self.stderr = p.stderr.decode("utf-8", "replace")
        if VERBOSE and self.stderr.strip():
            print("    stderr of %s:\n%s" % (" ".join(argv[1:]), "\n".join(
                "      " + l for l in self.stderr.rstrip().splitlines())))

    def why(self, want=None):
        """None when the run is clean (and exited `want`), else what went wrong."""
        san = sanitizer_report(self.stderr)
        if san:
            return "sanitizer report:\n" + san
        if want is not None and self.rc != want:
            return "exit %s, expected %s\n%s" % (self.rc, want, tail(self.stderr))
        return None


REPORT = "budgetpdf-report.json"  # the batch report every -o run writes (run_export.py tests it)


def temp_files(d):
    return sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d)
                  for f in fs if f.startswith(".budgetpdf-"))


def outputs(d):
    """Relative paths of the JSON outputs under d (parts, temporary files and the
    batch report apart)."""
    return sorted(os.path.relpath(os.path.join(r, f), d) for r, ds, fs in os.walk(d)
                  for f in fs if f.endswith(".json") and not f.startswith(".") and f != REPORT)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def stamp(path):
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns)


def children(pid):
    """pids whose parent is pid."""
    out = []
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                with open("/proc/%s/stat" % e) as f:
                    s = f.read()
                if int(s[s.rindex(")") + 2:].split()[1]) == pid:
                    out.append(int(e))
            except (OSError, ValueError, IndexError):
                pass
    return out


def first(checks):
    """The first message of checks (pairs of (ok, message)) that failed, or None."""
    for ok, msg in checks:
        if not ok:
            return msg
    return None


class Batch:
    def __init__(self, binary, tmp):
        self.bin = binary
        self.tmp = tmp
        self.n = 0

    def dir(self, name):
        self.n += 1
        d = os.path.join(self.tmp, "%02d-%s" % (self.n, name))
        os.makedirs(d)
        return d

    def run(self, *args, **kw):
        return Run([self.bin] + list(args), **kw)

    def copy(self, d, fixture, name):
        p = os.path.join(d, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        shutil.copy(os.path.join(FIX, fixture + ".pdf"), p)
        return p


# ---------------------------------------------------------------- the tests
def t_usage(b, rep):
    a, c = os.path.join(FIX, "002.pdf"), os.path.join(FIX, "004.pdf")
    for label, args in [("two inputs without -o", [a, c]),
                        ("a folder without -o", [FIX]),
                        ("--resume without -o", ["--resume", a]),
                        ("--by-unit without -o", ["--by-unit", a]),
                        ("--ndjson with -o", ["--ndjson", "-o", os.path.join(b.tmp, "x"), a]),
                        ("-j -1", ["-j", "-1", a])]:
        r = b.run(*args)
        lines = r.stderr.rstrip("\n").split("\n")
        rep.ok("usage: %s exits 2, one line and the --help hint" % label,
               r.why(2) is None and len(lines) == 2 and lines[1] == "Try 'budgetpdf --help'.",
               r.why(2) or "stderr: %r" % r.stderr[:300])


def t_folders(b, rep):
    d = b.dir("folders")
    tree = os.path.join(d, "tree")
    b.copy(tree, "002", "unitA/report.pdf")
    b.copy(tree, "002", "unitB/report.PDF")
    b.copy(tree, "004", "unitB/deeper/tables.pdf")
    with open(os.path.join(tree, "notes.txt"), "w") as f:
        f.write("not a PDF\n")
    os.makedirs(os.path.join(tree, "nothing"))
    os.symlink("../..", os.path.join(tree, "unitB", "deeper", "loop"))  # to tree: a loop
    os.symlink("unitA", os.path.join(tree, "alias"))                    # a second way into unitA
    out = os.path.join(d, "out")
    r = b.run("-o", out, tree, timeout=min(TIMEOUT, 120))
    want = ["unitA/report.json", "unitB/deeper/tables.json", "unitB/report.json"]
    got = outputs(out) if os.path.isdir(out) else []
    why = r.why(0) or first([
        (got == want, "outputs %s, expected %s" % (got, want)),
        (not temp_files(out), "temporary files left: %s" % temp_files(out)),
    ])
    if why is None:
        doc = load(os.path.join(out, "unitB/deeper/tables.json"))
        with open(os.path.join(FIX, "004.pdf"), "rb") as f:
            import hashlib
            sha = hashlib.sha256(f.read()).hexdigest()
        why = None if doc["source"]["sha256"] == sha else "unitB/deeper/tables.json is not 004.pdf's"
    rep.ok("folders: walked for *.pdf, outputs mirror the tree, link loop ignored", why is None, why)

    empty = os.path.join(d, "empty")
    os.makedirs(empty)
    r = b.run("-o", os.path.join(d, "out2"), empty)
    why = r.why(1) or (None if "no PDF" in r.stderr else "stderr does not say why: %s" % tail(r.stderr))
    rep.ok("empty folder: fails with a reason", why is None, why)


def t_jobs(b, rep):
    d = b.dir("jobs")
    ins = [b.copy(d, f, "in/%s.pdf" % f) for f in ("000", "002", "003", "004")]
    o1, o2 = os.path.join(d, "j1"), os.path.join(d, "j2")
    r1 = b.run("-j", "1", "-o", o1, *ins)
    p = subprocess.Popen([b.bin, "-j", "2", "-o", o2] + ins, cwd=ROOT, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    most = 0
    while p.poll() is None:
        most = max(most, len(children(p.pid)))
        time.sleep(0.01)
    err = p.stderr.read().decode("utf-8", "replace")
    p.stdout.close()
    p.stderr.close()
    why = r1.why(0) or sanitizer_report(err) or (None if p.returncode == 0 else "-j 2: exit %s\n%s" % (
        p.returncode, tail(err)))
    if why is None:
        names = outputs(o1)
        differ = [n for n in names if open(os.path.join(o1, n), "rb").read() != open(
            os.path.join(o2, n), "rb").read()]
        why = first([
            (names == ["000.json", "002.json", "003.json", "004.json"], "-j 1 wrote %s" % names),
            (outputs(o2) == names, "-j 2 wrote %s, -j 1 %s" % (outputs(o2), names)),
            (not differ, "-j 2 and -j 1 differ on %s" % differ),
            (most >= 2, "at most %d worker(s) seen at once with -j 2" % most),
        ])
    rep.ok("jobs: -j 2 runs 2 workers at once and writes what -j 1 writes", why is None, why)


def t_crash(b, rep):
    d = b.dir("crash")
    # largest first: with -j 1 the first worker converts 001.pdf
    ins = [b.copy(d, f, "in/%s.pdf" % f) for f in ("001", "002", "004")]
    out = os.path.join(d, "out")
    p = subprocess.Popen([b.bin, "-j", "1", "-o", out] + ins, cwd=ROOT, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=lambda: __import__("resource").setrlimit(
                             __import__("resource").RLIMIT_CORE, (0, 0)))
    killed = None
    deadline = time.time() + 60
    while killed is None and p.poll() is None and time.time() < deadline:
        kids = children(p.pid)
        if kids:
            killed = kids[0]
            os.kill(killed, signal.SIGABRT)
        time.sleep(0.005)
    out_s, err_b = p.communicate(timeout=TIMEOUT)
    err = err_b.decode("utf-8", "replace")
    got = outputs(out) if os.path.isdir(out) else []
    why = sanitizer_report(err) or first([
        (killed is not None, "no worker seen"),
        (p.returncode == 1, "exit %s, expected 1\n%s" % (p.returncode, tail(err))),
        (re.search(r"001\.pdf: worker crashed: SIGABRT", err), "stderr does not name the crash:\n" + tail(err)),
        (got == ["002.json", "004.json"], "outputs %s, expected the two others" % got),
        (not temp_files(out), "temporary files left: %s" % temp_files(out)),
    ])
    rep.ok("crash: a worker killed by SIGABRT fails its document only", why is None, why)


def t_timeout(b, rep):
    d = b.dir("timeout")
    out = os.path.join(d, "out")
    r = b.run("--timeout", "0.1", "-o", out, os.path.join(FIX, "001.pdf"))
    why = r.why(1) or first([
        ("001.pdf: timed out after 0.1 s" in r.stderr, "stderr: " + tail(r.stderr)),
        (outputs(out) == [] and not temp_files(out), "left in DIR: %s" % os.listdir(out)),
    ])
    rep.ok("timeout: --timeout kills the worker, nothing left behind", why is None, why)


def t_progress(b, rep):
    d = b.dir("progress")
    ins = [os.path.join(FIX, f + ".pdf") for f in ("002", "003", "004")]
    bad = os.path.join(d, "bad.pdf")
    with open(bad, "w") as f:
        f.write("not a PDF\n")
    cmd = " ".join("'%s'" % a for a in [b.bin, "-j", "2", "-o", os.path.join(d, "tty")] + ins + [bad])
    env = dict(os.environ, TERM="xterm")
    r = Run(["script", "-qefc", cmd, "/dev/null"], env=env)
    text = r.stdout.replace("\r\n", "\n")
    lines = [re.sub(r"\x1b\[K", "", l).strip() for l in re.split(r"[\r\n]", text)]
    lines = [l for l in lines if l]
    bars = [l for l in lines if re.search(r"\d+/\d+ docs +\d+/~?\d+ pages +[0-9.]+ pages/s +ETA [0-9:-]+", l)]
    why = r.why(1) or first([
        ("\r" in r.stdout, "no carriage return: the bar is not redrawn in place"),
        (bars, "no progress bar (docs, pages of the total, pages/s, ETA) in:\n" + tail(text)),
        (any(l.startswith("[") for l in bars), "the bar has no [###...] gauge"),
        ("budgetpdf: %s: not a PDF" % bad in text, "the error is not shown"),
        (lines and SUMMARY.match(lines[-1]), "last line is not the summary: %r" % (lines[-1:],)),
    ])
    if why is None:
        m = SUMMARY.match(lines[-1])
        why = None if (m.group(1), m.group(3)) == ("3", "1") else "summary: %s" % lines[-1]
    rep.ok("progress: a bar on a terminal (script), then one summary line", why is None, why)

    r = b.run("-j", "2", "-o", os.path.join(d, "pipe"), ins[0])
    why = r.why(0) or (None if r.stderr == "" else "stderr not empty: %r" % r.stderr[:300])
    rep.ok("progress: nothing on stderr when it is not a terminal", why is None, why)
    r = b.run("-o", os.path.join(d, "pipe2"), ins[0], bad)
    why = r.why(1) or (None if r.stderr.strip().splitlines() == ["budgetpdf: %s: not a PDF file (no %%PDF header)"
                                                                 % bad] else "stderr: %r" % r.stderr[:300])
    rep.ok("progress: only the error when it is not a terminal", why is None, why)
    r = b.run("--progress", "-o", os.path.join(d, "pipe3"), ins[0])
    last = r.stderr.strip().splitlines()[-1:] if r.stderr.strip() else []
    why = r.why(0) or (None if last and SUMMARY.match(last[0]) else "no summary: %r" % r.stderr[-300:])
    rep.ok("progress: --progress prints the summary without a terminal", why is None, why)
    cmd = " ".join("'%s'" % a for a in [b.bin, "-q", "-o", os.path.join(d, "quiet"), ins[0]])
    r = Run(["script", "-qefc", cmd, "/dev/null"], env=env)
    why = r.why(0) or (None if r.stdout.strip() == "" else "printed %r" % r.stdout[:200])
    rep.ok("progress: -q keeps a terminal quiet", why is None, why)


def t_resume(b, rep):
    d = b.dir("resume")
    ins = [b.copy(d, f, "in/%s.pdf" % f) for f in ("002", "003", "004")]
    out = os.path.join(d, "out")
    r = b.run("-o", out, *ins)
    before = {n: stamp(os.path.join(out, n)) for n in outputs(out)}
    r2 = b.run("--resume", "--progress", "-o", out, *ins)
    after = {n: stamp(os.path.join(out, n)) for n in outputs(out)}
    m = SUMMARY.match((r2.stderr.strip().splitlines() or [""])[-1])
    why = r.why(0) or r2.why(0) or first([
        (len(before) == 3, "first run wrote %s" % sorted(before)),
        (after == before, "--resume rewrote %s" % [n for n in after if after[n] != before.get(n)]),
        (m and m.group(1) == "0" and m.group(2) == "3", "summary: %r" % r2.stderr[-200:]),
    ])
    rep.ok("resume: outputs of unchanged inputs are kept as they are", why is None, why)

    shutil.copy(os.path.join(FIX, "002.pdf"), ins[1])  # 003.pdf now holds other content
    with open(os.path.join(out, "004.json"), "w") as f:
        f.write('{"source": {"sha256": "')       # a damaged output
    r = b.run("--resume", "-o", out, *ins)
    now = {n: stamp(os.path.join(out, n)) for n in outputs(out)}
    why = r.why(0) or first([
        (now["002.json"] == before["002.json"], "002.json was rewritten"),
        (now["003.json"] != before["003.json"], "003.json (changed input) was not converted again"),
        (load(os.path.join(out, "003.json"))["source"]["sha256"] ==
         load(os.path.join(out, "002.json"))["source"]["sha256"], "003.json does not hold the new content"),
        (not validate_schema.problems(load(os.path.join(out, "004.json"))), "004.json not repaired"),
        (not temp_files(out), "temporary files left: %s" % temp_files(out)),
    ])
    rep.ok("resume: changed content and damaged outputs are converted again", why is None, why)

    # an interrupted batch: SIGINT once the first output is there
    ins = [b.copy(d, f, "in2/%s.pdf" % f) for f in ("000", "002", "003", "004")]
    out = os.path.join(d, "out2")
    p = subprocess.Popen([b.bin, "-j", "1", "-o", out] + ins, cwd=ROOT, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + TIMEOUT
    while p.poll() is None and time.time() < deadline and not (os.path.isdir(out) and outputs(out)):
        time.sleep(0.005)
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
    _, err_b = p.communicate(timeout=TIMEOUT)
    err = err_b.decode("utf-8", "replace")
    done = outputs(out) if os.path.isdir(out) else []
    kept = {n: stamp(os.path.join(out, n)) for n in done}
    whole = all(not validate_schema.problems(load(os.path.join(out, n))) for n in done)
    why = sanitizer_report(err) or first([
        (p.returncode == -signal.SIGINT, "exit %s, expected death by SIGINT\n%s" % (p.returncode, tail(err))),
        ("interrupted" in err and "--resume" in err, "stderr does not say it was interrupted: %s" % tail(err)),
        (whole, "a partial output: %s" % done),
        (not temp_files(out), "temporary files left: %s" % temp_files(out)),
    ])
    rep.ok("resume: SIGINT stops the batch with whole files only (%d of 4 done)" % len(done), why is None, why)
    r = b.run("--resume", "-o", out, *ins)
    final = outputs(out) if os.path.isdir(out) else []
    why = r.why(0) or first([
        (final == ["000.json", "002.json", "003.json", "004.json"], "after --resume: %s" % final),
        (all(stamp(os.path.join(out, n)) == s for n, s in kept.items()), "--resume rewrote a finished output"),
        (not temp_files(out), "temporary files left: %s" % temp_files(out)),
    ])
    rep.ok("resume: --resume finishes the interrupted batch", why is None, why)


def t_ndjson(b, rep):
    d = b.dir("ndjson")
    ins = [os.path.join(FIX, f + ".pdf") for f in ("002", "003", "004")]
    bad = os.path.join(d, "bad.pdf")
    with open(bad, "w") as f:
        f.write("not a PDF\n")
    out = os.path.join(d, "out")
    r0 = b.run("-o", out, *ins)
    r = b.run("--ndjson", *(ins + [bad]))
    docs, why = [], r.why(1) or r0.why(0)
    if why is None:
        for i, line in enumerate(r.stdout.splitlines()):
            try:
                docs.append(json.loads(line))
            except ValueError as e:
                why = "line %d is not JSON: %s" % (i + 1, e)
                break
    if why is None:
        by_file = {doc["source"]["file"]: doc for doc in docs}
        why = first([
            (len(docs) == 3 and len(r.stdout.splitlines()) == 3, "%d lines on stdout" % len(r.stdout.splitlines())),
            (all(not validate_schema.problems(x) for x in docs), "a line is not valid against the schema"),
            (all(by_file.get(os.path.basename(p)) == load(os.path.join(out, os.path.basename(p)[:-4] + ".json"))
                 for p in ins), "a line differs from the -o output of its PDF"),
            ("bad.pdf: not a PDF" in r.stderr, "the error is not on stderr"),
        ])
    rep.ok("ndjson: one valid document per line, as -o writes it; errors on stderr", why is None, why)


def qpdf_pages(src, pages, dst):
    subprocess.run(["qpdf", "--empty", "--pages", src, pages, "--", dst], check=True, capture_output=True)


def t_by_unit(b, rep):
    if not shutil.which("qpdf"):
        rep.skip("by-unit", "qpdf is not installed (make deps)")
        return
    d = b.dir("by-unit")
    ind = os.path.join(d, "in")
    os.makedirs(os.path.join(ind, "other"))
    f004 = os.path.join(FIX, "004.pdf")
    qpdf_pages(f004, "1-12", os.path.join(ind, "a-narrative.pdf"))
    qpdf_pages(f004, "13-24", os.path.join(ind, "b-tables.pdf"))
    qpdf_pages(f004, "25-z", os.path.join(d, "c-forms.pdf"))  # added later
    shutil.copy(os.path.join(FIX, "002.pdf"), os.path.join(ind, "other", "002.pdf"))
    with open(os.path.join(ind, "blank.pdf"), "wb") as f:
        f.write(minimal_pdf())
    singles = os.path.join(d, "singles")
    r0 = b.run("-o", singles, ind, os.path.join(d, "c-forms.pdf"))
    out = os.path.join(d, "out")
    r = b.run("--by-unit", "-o", out, ind)
    unit = "2025/阳泉市紧急医疗救援中心.json"
    why = r0.why(0) or r.why(0)
    if why is None:
        got = outputs(out)
        want = sorted([unit, "2024/阳泉市第四人民医院.json", "unknown/blank.json"])
        why = first([(got == want, "outputs %s, expected %s" % (got, want)),
                     (not os.path.exists(os.path.join(out, ".budgetpdf-parts")), "the parts folder is left"),
                     (not temp_files(out), "temporary files left: %s" % temp_files(out))])
    if why is None:
        m = load(os.path.join(out, unit))
        a, t = load(os.path.join(singles, "a-narrative.json")), load(os.path.join(singles, "b-tables.json"))
        summary = {k: a["summary"][k] if a["summary"][k] is not None else t["summary"][k] for k in a["summary"]}
        why = first([
            (not validate_schema.problems(m), "invalid: %s" % validate_schema.problems(m)[:1]),
            ([s["file"] for s in m["source"]] == ["a-narrative.pdf", "b-tables.pdf"],
             "source: %s" % [s.get("file") for s in m["source"]]),
            (all(m[k] == a[k] + t[k] for k in ("tables", "sections", "performance_targets", "repairs",
                                               "warnings")) and
             m["checks"] == a["checks"] + [dict(c, table_index=c["table_index"] + len(a["tables"]))
                                           for c in t["checks"]],
             "lists are not the concatenation (checks' table_index shifted by the tables before)"),
            (m["summary"] == summary, "summary %s, expected %s" % (m["summary"], summary)),
            (None in a["summary"].values(), "(test data: the narrative should lack a summary figure)"),
            (isinstance(load(os.path.join(out, "unknown/blank.json"))["source"], list), "unknown/: source not a list"),
        ])
    rep.ok("by-unit: one unit's PDFs merged into DIR/<year>/<unit>.json", why is None, why)

    if why is None:
        other = os.path.join(out, "2024/阳泉市第四人民医院.json")
        before_other, before_unit = stamp(other), stamp(os.path.join(out, unit))
        r = b.run("--by-unit", "--resume", "-o", out, ind)
        why = r.why(0) or first([(stamp(other) == before_other and stamp(os.path.join(out, unit)) == before_unit,
                                  "--resume with nothing new rewrote an output")])
        if why is None:
            shutil.move(os.path.join(d, "c-forms.pdf"), os.path.join(ind, "c-forms.pdf"))
            r = b.run("--by-unit", "--resume", "--progress", "-o", out, ind)
            m = load(os.path.join(out, unit))
            c = load(os.path.join(singles, "c-forms.json"))
            last = SUMMARY.match((r.stderr.strip().splitlines() or [""])[-1])
            why = r.why(0) or first([
                ([s["file"] for s in m["source"]] == ["a-narrative.pdf", "b-tables.pdf", "c-forms.pdf"],
                 "source after --resume: %s" % [s.get("file") for s in m["source"]]),
                (m["performance_targets"][-len(c["performance_targets"]):] == c["performance_targets"]
                 if c["performance_targets"] else m["tables"][-len(c["tables"]):] == c["tables"],
                 "the new piece's lists are not appended"),
                (stamp(other) == before_other, "--resume rewrote another unit's output"),
                (last and last.group(1) == "1" and last.group(2) == "4", "summary: %r" % r.stderr[-200:]),
                (not os.path.exists(os.path.join(out, ".budgetpdf-parts")), "the parts folder is left"),
            ])
        rep.ok("by-unit: --resume appends a new piece of a unit, keeps the rest", why is None, why)

    # copies of one PDF: with a unit, merged once and named after the first
    # copy in input order; without one, each copy has its own unknown/ output
    d2 = b.dir("by-unit-copies")
    ind2 = os.path.join(d2, "in")
    for sub in ("x", "y"):
        os.makedirs(os.path.join(ind2, sub))
        with open(os.path.join(ind2, sub, "blank-%s.pdf" % sub), "wb") as f:
            f.write(minimal_pdf())
        shutil.copy(os.path.join(FIX, "002.pdf"), os.path.join(ind2, sub, "hospital-%s.pdf" % sub))
    out2 = os.path.join(d2, "out")
    r = b.run("--by-unit", "-j", "2", "-o", out2, ind2)
    why = r.why(0)
    if why is None:
        got = outputs(out2)
        hosp = "2024/阳泉市第四人民医院.json"
        want = sorted([hosp, "unknown/x/blank-x.json", "unknown/y/blank-y.json"])
        why = first([(got == want, "outputs %s, expected %s" % (got, want)),
                     (not os.path.exists(os.path.join(out2, ".budgetpdf-parts")), "the parts folder is left")])
        if why is None:
            m = load(os.path.join(out2, hosp))
            bx, by = load(os.path.join(out2, "unknown/x/blank-x.json")), load(os.path.join(out2, "unknown/y/blank-y.json"))
            why = first([([s["file"] for s in m["source"]] == ["hospital-x.pdf"],
                          "source of the merged copies: %s" % [s.get("file") for s in m["source"]]),
                         ([s["file"] for s in bx["source"]] == ["blank-x.pdf"] and
                          [s["file"] for s in by["source"]] == ["blank-y.pdf"],
                          "unknown/ sources: %s, %s" % (bx["source"], by["source"]))])
    rep.ok("by-unit: copies of a PDF merged once (first copy named); without a unit each has its output",
           why is None, why)


def t_parallel(b, rep):
    if not shutil.which("parallel"):
        rep.skip("parallel", "GNU parallel is not installed (make deps)")
        return
    d = b.dir("parallel")
    b.copy(d, "002", "scraped/unitA/2025.pdf")
    b.copy(d, "004", "scraped/unit B/2025.pdf")
    bad = os.path.join(d, "scraped", "unitC", "2025.pdf")
    os.makedirs(os.path.dirname(bad))
    with open(bad, "w") as f:
        f.write("a download that went wrong\n")
    # README.md, "Several machines": the recipe, with --sshlogin : (this machine only)
    recipe = ("find scraped -name '*.pdf' | parallel --will-cite --sshlogin : --joblog batch.log --resume-failed "
              "--transferfile {} --return 'out/{//}/{/.}.json' --cleanup "
              "%s -j 1 --resume -o 'out/{//}' {}" % b.bin)
    r = Run(["bash", "-c", recipe], cwd=d)

    def log():
        with open(os.path.join(d, "batch.log"), encoding="utf-8") as f:
            rows = [l.rstrip("\n").split("\t") for l in f][1:]
        return [(row[6], row[-1]) for row in rows]

    good = ["out/scraped/unit B/2025.json", "out/scraped/unitA/2025.json"]
    entries = log() if os.path.exists(os.path.join(d, "batch.log")) else []
    why = r.why(1) or first([
        (sorted(e for e, _ in entries) == ["0", "0", "1"], "joblog exit values: %s" % entries),
        (outputs(d) == good, "outputs: %s" % outputs(d)),
    ])
    rep.ok("parallel: the README recipe on this machine records the failed input", why is None, why)
    if why is None:
        stamps = {n: stamp(os.path.join(d, n)) for n in good}
        shutil.copy(os.path.join(FIX, "003.pdf"), bad)  # downloaded again, properly
        r = Run(["bash", "-c", recipe], cwd=d)
        entries = log()
        why = r.why(0) or first([
            (len(entries) == 4 and entries[-1][0] == "0" and "unitC" in entries[-1][1],
             "joblog after --resume-failed: %s" % entries),
            (outputs(d) == sorted(good + ["out/scraped/unitC/2025.json"]), "outputs: %s" % outputs(d)),
            (all(stamp(os.path.join(d, n)) == s for n, s in stamps.items()), "a finished output was rewritten"),
        ])
        rep.ok("parallel: --resume-failed runs only the failed input again", why is None, why)


TESTS = [("usage", t_usage), ("folders", t_folders), ("jobs", t_jobs), ("crash", t_crash),
         ("timeout", t_timeout), ("progress", t_progress), ("resume", t_resume), ("ndjson", t_ndjson),
         ("by-unit", t_by_unit), ("parallel", t_parallel)]


# ---------------------------------------------------------------- issue 17's defects
def t_slashes(b, rep):
    """Defect 1: a folder argument ending in repeated slashes (heap over-read in
    the prefix stripping; under ASan a heap-buffer-overflow)."""
    d = b.dir("slashes")
    tree = os.path.join(d, "in")
    b.copy(tree, "002", "ab/x.pdf")
    for k, slashes in enumerate(["/", "//", "/" * 40]):
        out = os.path.join(d, "out%d" % k)
        r = b.run("-o", out, tree + slashes)
        got = outputs(out) if os.path.isdir(out) else []
        why = r.why(0) or (None if got == ["ab/x.json"] else "outputs %s, expected ab/x.json" % got)
        rep.ok("slashes: -o out 'in%s' writes out/ab/x.json" % (slashes if len(slashes) < 3 else "/ x40"),
               why is None, why)


def t_dev_full(b, rep):
    """Defect 2: write errors on stdout."""
    if not os.path.exists("/dev/full"):
        rep.skip("dev-full", "no /dev/full")
        return
    a = os.path.join(FIX, "002.pdf")
    for label, args in [("budgetpdf x.pdf", [a]), ("--ndjson", ["--ndjson", a, a]), ("--help", ["--help"])]:
        with open("/dev/full", "w") as full:
            p = subprocess.run([b.bin] + args, stdout=full, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               timeout=TIMEOUT, cwd=ROOT)
        err = p.stderr.decode("utf-8", "replace")
        rep.ok("dev-full: %s > /dev/full exits 1 naming the reason" % label,
               p.returncode == 1 and "no space left on device" in err and not sanitizer_report(err),
               "exit %s, stderr %r" % (p.returncode, err[-300:]))


def t_names(b, rep):
    """Defect 3: names that are not UTF-8 (GBK, a lone \\xff) and names with
    control characters."""
    d = b.dir("names").encode()
    tree = os.path.join(d, b"in")
    os.makedirs(tree)
    gbk = "部门预算".encode("gb18030") + b".pdf"
    for raw in (gbk, b"\xff.pdf"):
        shutil.copy(os.path.join(FIX, "002.pdf").encode(), os.path.join(tree, raw))
    out = os.path.join(d, b"out")
    p = subprocess.run([b.bin.encode(), b"-o", out, tree], capture_output=True, timeout=TIMEOUT, cwd=ROOT)
    want = {gbk[:-4] + b".json": ("部门预算.pdf", "gb18030"), b"\xff.json": ("\\xff.pdf", "escaped")}
    why = None if p.returncode == 0 else "exit %s: %r" % (p.returncode, p.stderr[-300:])
    for name, (file, enc) in want.items():
        if why:
            break
        path = os.path.join(out, name)
        try:
            with open(path, "rb") as f:
                doc = json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError) as e:
            why = "%r: %s" % (name, e)
            break
        src = doc["source"]
        if (src.get("file"), src.get("file_encoding")) != (file, enc):
            why = "%r: source.file %r (%s), expected %r (%s)" % (name, src.get("file"), src.get("file_encoding"),
                                                                file, enc)
        elif validate_schema.problems(doc):
            why = "%r: %s" % (name, validate_schema.problems(doc)[0])
    rep.ok("names: GBK and \\xff file names decoded in source.file, with source.file_encoding", why is None, why)

    p = subprocess.run([b.bin.encode(), os.path.join(tree, gbk)], capture_output=True, timeout=TIMEOUT, cwd=ROOT)
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
        why = None if doc["source"]["file"] == "部门预算.pdf" else "source.file %r" % doc["source"]["file"]
    except ValueError as e:
        why = "stdout is not UTF-8 JSON: %s" % e
    rep.ok("names: budgetpdf GBK-NAME.pdf prints valid UTF-8 JSON", why is None, why)

    bad = os.path.join(d, "bad\n\x1b[31mred\xff.pdf".encode("latin-1"))
    with open(bad, "wb") as f:
        f.write(b"not a PDF\n")
    p = subprocess.run([b.bin.encode(), bad], capture_output=True, timeout=TIMEOUT, cwd=ROOT)
    err = p.stderr
    lines = err.rstrip(b"\n").split(b"\n")
    why = first([(p.returncode == 1, "exit %s" % p.returncode),
                 (len(lines) == 1, "the message spans %d lines: %r" % (len(lines), err)),
                 (b"\x1b" not in err, "an escape character reached stderr: %r" % err),
                 (b"bad\\n\\x1b[31mred\\xff.pdf" in err, "the name is not shown escaped: %r" % err)])
    rep.ok("names: a name with a newline, an escape and \\xff is escaped on stderr, one line", why is None, why)


def t_concurrent_units(b, rep):
    """Defect 4: two --by-unit runs on one output folder."""
    d = b.dir("concurrent")
    ins = [b.copy(d, f, "in/%s.pdf" % f) for f in ("000", "002", "003", "004")]
    out = os.path.join(d, "out")
    first_run = subprocess.Popen([b.bin, "-j", "1", "--by-unit", "-o", out] + ins, cwd=ROOT,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    parts = os.path.join(out, ".budgetpdf-parts")
    t0 = time.time()
    while first_run.poll() is None and not os.path.isdir(parts) and time.time() - t0 < 60:
        time.sleep(0.01)
    second = b.run("-j", "1", "--by-unit", "-o", out, *ins)
    o1, e1 = first_run.communicate(timeout=TIMEOUT)
    e1 = e1.decode("utf-8", "replace")
    solo = os.path.join(d, "solo")
    r3 = b.run("--by-unit", "-o", solo, *ins)
    why = first([
        (os.path.isdir(parts) or first_run.returncode is not None, "the first run made no parts folder"),
        (first_run.returncode == 0, "the first run: exit %s\n%s" % (first_run.returncode, tail(e1))),
        (second.rc == 1 and "another budgetpdf --by-unit run" in second.stderr,
         "the second run: exit %s, stderr %r (expected exit 1 naming the other run)" % (second.rc, second.stderr[-300:])),
        (r3.rc == 0, "the run alone: exit %s" % r3.rc),
        (outputs(out) == outputs(solo), "outputs %s, a run alone writes %s" % (outputs(out), outputs(solo))),
        (not os.path.exists(parts), "parts left in %s" % parts),
        (not os.path.exists(os.path.join(out, ".budgetpdf.lock")), "the lock file is left"),
    ])
    rep.ok("concurrent: a second --by-unit run on the folder stops at once; the first completes", why is None, why)


def t_odd_values(b, rep):
    """Defect 5: numbers that are not finite or out of range."""
    a = os.path.join(FIX, "002.pdf")
    for opt, val, rng in [("--timeout", "1e13", "1000000"), ("--timeout", "inf", "1000000"),
                          ("--timeout", "nan", "1000000"), ("--timeout", "-1", "1000000"),
                          ("--max-memory", "1e3", "1048576"), ("--max-memory", "8", "16"),
                          ("--max-pages", "99999999999", "1000000"), ("-j", "0", "4096"),
                          ("-j", "99999", "4096"), ("--pages", "0", "1000000")]:
        r = b.run(opt, val, a)
        lines = r.stderr.rstrip("\n").split("\n")
        rep.ok("odd values: %s %s exits 2 naming the range" % (opt, val),
               r.why(2) is None and len(lines) == 2 and opt in lines[0] and rng in lines[0],
               r.why(2) or "stderr: %r" % r.stderr[:300])


def t_links(b, rep):
    """Defect 6 (links out of the tree) and 7 (a loop of links)."""
    d = b.dir("links")
    tree = os.path.join(d, "tree")
    b.copy(tree, "002", "a.pdf")
    b.copy(d, "004", "outside/secret.pdf")
    os.makedirs(os.path.join(tree, "sub"))
    os.symlink(os.path.join(d, "outside"), os.path.join(tree, "sub", "x"))
    os.symlink("../a.pdf", os.path.join(tree, "sub", "same.pdf"))  # inside: followed
    out = os.path.join(d, "out")
    r = b.run("-o", out, tree)
    warn = [l for l in r.stderr.splitlines() if "sub/x" in l and "not followed" in l]
    why = r.why(0) or first([(outputs(out) == ["a.json", "sub/same.json"], "outputs %s" % outputs(out)),
                             (len(warn) == 1, "no warning naming sub/x: %r" % r.stderr[-300:])])
    rep.ok("links: a link out of the tree is not followed (warned), one inside is", why is None, why)
    out2 = os.path.join(d, "out2")
    r = b.run("--follow-links", "-o", out2, tree)
    why = r.why(0) or (None if outputs(out2) == ["a.json", "sub/same.json", "sub/x/secret.json"]
                       else "outputs %s" % outputs(out2))
    rep.ok("links: --follow-links follows every link", why is None, why)

    os.symlink("loop2.pdf", os.path.join(d, "loop1.pdf"))
    os.symlink("loop1.pdf", os.path.join(d, "loop2.pdf"))
    r = b.run(os.path.join(d, "loop1.pdf"))
    rep.ok("links: a symbolic link loop is reported as a loop", r.why(1) is None and "symbolic link loop" in r.stderr,
           r.why(1) or "stderr: %r" % r.stderr[-300:])


def t_memory(b, rep):
    """Issue 15: a worker's peak memory grows with the document by its normalized
    content only, never by its JSON (written as it is made, bpe_document_write).
    Fixture 001's 17 table pages repeated 59 and 177 times (1,003 and 3,009 pages,
    each copy new tables): the peak per worker (wait4's ru_maxrss, the summary's "MiB
    peak per worker") may grow at most 1 KiB per added page.  Holding the JSON took
    about 120 KiB a page more (its cJSON tree, the print buffer that doubles, the
    text); writing it as it is made left about 20 (the rows, records and checks
    of the normalized document); spilling the checks and tables
    (normalize/spill.c), making no page views and no frames without a review
    leave about 8 (the blocks and rows held at the end of the tables' walk);
    freeing each grid's cells once the walk has read them, about 6 (branch
    stream: 7.7 before it, 6.4 after, in one run each); the pages' lines and
    grids kept in a file and read back a page at a time, and the tables' rows
    written out as the walk finishes each, about 1.3 (branch walk: 7.1 before,
    1.3 after, in one run each, at 102 and 408 pages, the bound then 5).  Main's
    binary before branch genmem grows 2.2 KiB a page from 1,003 to 3,009 pages
    (poppler's page cache, the tables' heads, the repairs, the pages' records);
    reading a long document through chunks of its pages (extract/pagetree.c) and
    spilling the rest leave 0.3 (two runs each).  Below 1,000 pages a worker's
    peak is its fixed part (code, fonts, PCRE2's frames) and says nothing."""
    src = os.path.join(FIX, "001.pdf")
    if not shutil.which("qpdf"):
        rep.skip("memory", "qpdf is not installed (make deps)")
        return
    with open(b.bin, "rb") as f:
        if b"__asan_init" in f.read():
            rep.skip("memory", "a sanitizer build: its shadow memory and quarantine are no worker's peak")
            return
    d = b.dir("memory")
    peaks, whys = [], []
    for copies in (59, 177):
        pdf = os.path.join(d, "tables-%d.pdf" % copies)
        qpdf_pages(src, ",".join(["4-20"] * copies), pdf)
        r = b.run("-j", "1", "--progress", "-o", os.path.join(d, "out-%d" % copies), pdf)
        m = SUMMARY.match(r.stderr.replace("\r", "\n").rstrip("\n").split("\n")[-1].strip())
        whys.append(r.why(0) or (None if m and m.group(6) else "no peak in the summary: %r" % r.stderr[-300:]))
        peaks.append((int(m.group(5)), float(m.group(6))) if m and m.group(6) else (0, 0.0))
    why = first([(w is None, w) for w in whys])
    (p1, m1), (p4, m4) = peaks
    per_page = (m4 - m1) * 1024 / max(p4 - p1, 1)
    if why is None and per_page > 1:
        why = "peak %.1f MiB at %d pages, %.1f MiB at %d: %.1f KiB per added page (at most 1)" % (
            m1, p1, m4, p4, per_page)
    rep.ok("memory: peak per worker grows <= 1 KiB per table page (%d pages %.1f MiB, %d pages %.1f MiB)" % (
        p1, m1, p4, m4), why is None, why)


TESTS += [("slashes", t_slashes), ("dev-full", t_dev_full), ("names", t_names),
          ("concurrent", t_concurrent_units), ("odd-values", t_odd_values), ("links", t_links)]
TESTS += [("memory", t_memory)]


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description="budgetpdf batch tests")
    ap.add_argument("--bin")
    ap.add_argument("--only")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    VERBOSE = args.verbose
    rep = Report()
    binary = find_bin(args.bin)
    print("batch: binary %s" % binary, flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()
    missing = [f for f in ("000", "001", "002", "003", "004") if not os.path.exists(os.path.join(FIX, f + ".pdf"))]
    if missing:
        rep.skip("batch", "fixtures/pdf lacks %s" % missing)
        return rep.close()
    tmp = tempfile.mkdtemp(prefix="budgetpdf-batch-")
    try:
        b = Batch(binary, tmp)
        for name, fn in TESTS:
            if args.only and args.only not in name:
                continue
            try:
                t0 = time.time()
                fn(b, rep)
                if VERBOSE:
                    print("    (%s: %.1f s)" % (name, time.time() - t0))
            except Exception as e:  # noqa: BLE001 - a broken test is a failure, not a crash
                rep.ok(name, False, "%s: %s" % (type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
