#!/usr/bin/python3
"""Load test for budgetpdf: one batch of thousands of documents with -j at the core
count, run with flat memory, every output valid.  Not part of `make test` (it takes
minutes): `make loadtest`, or CI on its own.

usage: run_load.py [--bin PATH] [--docs N] [--jobs J] [--interval S] [--no-corpus]
                   [--keep DIR] [-v]

  --bin PATH    the binary (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --docs N      documents in the batch (default 2000)
  --jobs J      -j for the batch (default: the processors this process may run on,
                as nproc counts them)
  --interval S  seconds between two looks at /proc (default 0.2)
  --no-corpus   the fixtures only, even when ../shared/corpus/jiangsu is there
  --keep DIR    keep the inputs and outputs in DIR (must not exist yet)
  -v            more detail on failures

The inputs: every fixtures/pdf/*.pdf, and the real PDFs of ../shared/corpus/jiangsu
(or $BUDGETPDF_SHARED/corpus/jiangsu) when present, copied once into a temporary
folder, then hard-linked round-robin under N distinct names spread over 25 folders
and subfolders.  The binary is copied there too, so that a rebuild during the run
changes nothing.  Each distinct PDF is first converted alone (`-j 1 -o`): its JSON is
the reference, and its peak resident memory (GNU time's %M, /usr/bin/time) the
single-document peak.  Then one run of

    budgetpdf -j J --progress -o OUT IN

while /proc is read every S seconds: the parent's VmRSS, RssAnon and VmHWM, its
children (/proc/PID/task/*/children) with their state, nice value, VmRSS and VmHWM,
and the outputs done so far.  The page counter (--progress) is the child whose nice
value differs from the parent's (it sets its own to 10; when the parent's is 10
already, the two are not told apart and J + 1 children are allowed).  This script
makes itself a child subreaper, so a worker the parent leaves behind is re-parented
here and seen.  Figures printed: documents, pages, wall time, pages/s, the CPU the
batch used and the share of the machine other processes held meanwhile (above 10%, a
WARNING: the wall time then measures the machine), the parent's VmRSS first, last
and peak and its VmHWM, the workers' peak, the live workers' maximum.

Checks (PASS/FAIL lines, then `N passed, M failed`; exit 1 on any failure):
  run          exit 0, nothing on stdout, no sanitizer report, nothing on stderr but
               the status lines and the summary "N converted, 0 failed, C checks
               failed, P pages, T s", C and P the sums over the references
  outputs      OUT holds exactly the N expected OUT/<path>.json, no temporary
               .budgetpdf-* file and nothing else
  valid        every output parses, passes validate_schema.problems, has
               source.file = its input's base name, and equals its reference in
               everything else
  parent flat  the parent's peak VmRSS while the last 10% of the documents finish
               exceeds its peak while the first 10% do by at most 2 MiB.  The
               parent makes its per-input records (paths, output names, order) before
               the first worker starts, so they are in the first window already;
               growth after that is a leak per document (2 MiB over 2000 documents
               is about 1 KiB each, the resolution of this check at that size)
  workers      live workers never more than J (plus at most one page counter), and
               J of them at once at some point
  worker peak  every worker's VmHWM, the page counter's, and the summary's "X MiB
               peak per worker" (wait4 in the parent, when the binary prints it),
               below 2 x the largest single-document peak.  A worker converts exactly one document in a
               fresh process, as the single run does; it differs only by the pages
               it inherits from a parent that holds N inputs rather than one (a
               MiB or two) and by allocator variance.  2x leaves room for both and
               fails a worker that needs twice what any document needs alone
  total        parent + live children VmRSS, at every sample, at most the parent's
               bound (first-window peak + 2 MiB) + J (+1 counter) x the worker bound
  processes    after the run, no process of the batch is left, running or zombie
Environment: BUDGETPDF, BUDGETPDF_SHARED, BUDGETPDF_LOAD_TIMEOUT (seconds for the
batch, default 3600).
"""
import argparse
import ctypes
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import validate_schema  # noqa: E402
from run_golden import Report, find_bin, sanitizer_report, tail  # noqa: E402

FIX = os.path.join(ROOT, "fixtures", "pdf")
TIMEOUT = float(os.environ.get("BUDGETPDF_LOAD_TIMEOUT", "3600"))
SUMMARY = re.compile(r"^(\d+) converted, (?:(\d+) already done, )?(\d+) failed, (?:\d+ with nothing found, )?"
                     r"(\d+) checks failed, (\d+) pages, [0-9.]+ s(?:, \d+ read by OCR)?"
                     r"(?:, ([0-9.]+) MiB peak per worker)?$")
STATUS = re.compile(r"^budgetpdf: \d+/\d+ docs  ")
SLACK_KIB = 2048          # parent: allowed growth, first window to last
WORKER_FACTOR = 2         # worker bound: this times the largest single-document peak
FOLDERS = 25
VERBOSE = False


# ---------------------------------------------------------------- /proc
def stat_of(pid):
    """(state, ppid, nice, starttime) of pid, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        rest = s[s.rindex(")") + 2:].split()
        return rest[0], int(rest[1]), int(rest[16]), int(rest[19])
    except (OSError, ValueError, IndexError):
        return None


def status_kib(pid, keys=("VmRSS", "VmHWM", "RssAnon")):
    """{key: KiB} from /proc/PID/status (a zombie has none of them), or None when gone."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in keys:
                    out[k] = int(v.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return out


def children_of(pid):
    """From /proc/PID/task/*/children; by a scan of /proc where the kernel lacks it."""
    kids, have = set(), False
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                    kids.update(int(x) for x in f.read().split())
                have = True
            except OSError:
                pass
    except OSError:
        return []
    return sorted(kids) if have else all_children_of(pid)


def all_children_of(pid):
    """By scanning /proc (ppid), for after the run."""
    out = []
    for e in os.listdir("/proc"):
        if e.isdigit():
            st = stat_of(int(e))
            if st and st[1] == pid:
                out.append(int(e))
    return out


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return "?"


def busy_jiffies():
    """CPU time the whole machine spent busy (all processors), in seconds."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def count_outputs(d):
    n = 0
    for _, _, fs in os.walk(d):
        n += sum(1 for f in fs if f.endswith(".json") and not f.startswith(".") and f != "budgetpdf-report.json")
    return n


# ---------------------------------------------------------------- helpers
def mib(kib):
    return "%.1f MiB" % (kib / 1024.0)


def first(checks):
    for ok, msg in checks:
        if not ok:
            return msg
    return None


GNU_TIME = "/usr/bin/time"


def timed_run(argv):
    """Runs argv under GNU time; (exit status, seconds, peak RSS in KiB, stderr).
    The peak is GNU time's %M: ru_maxrss of the run and its waited-for descendants
    (the worker, as budgetpdf's parent stays small).  Not os.wait4 from here: a
    process started from Python carries Python's own peak into its ru_maxrss
    (exec keeps the old address space's high-water mark)."""
    t0 = time.monotonic()
    with tempfile.NamedTemporaryFile(mode="r") as peak, tempfile.TemporaryFile() as err:
        rc = subprocess.run([GNU_TIME, "-f", "%M", "-o", peak.name] + argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=err).returncode
        secs = time.monotonic() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        lines = peak.read().split()
    return rc, secs, int(lines[-1]) if lines and lines[-1].isdigit() else 0, text


def strip_file(doc):
    """doc without source.file (the one field that differs between copies)."""
    if isinstance(doc, dict) and isinstance(doc.get("source"), dict):
        doc = dict(doc)
        doc["source"] = {k: v for k, v in doc["source"].items() if k != "file"}
    return doc


# ---------------------------------------------------------------- checking outputs (in a pool)
_REFS = None


def _init(refs):
    global _REFS
    _REFS = refs


def check_output(item):
    """(relative output, source index, path, input base name) -> None or a reason."""
    rel, k, path, base = item
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return "%s: does not parse: %s" % (rel, e)
    probs = validate_schema.problems(doc)
    if probs:
        return "%s: invalid: %s" % (rel, probs[0])
    got = doc.get("source", {}).get("file")
    if got != base:
        return "%s: source.file is %r, its input is %s" % (rel, got, base)
    if strip_file(doc) != _REFS[k]:
        ref = _REFS[k]
        keys = sorted(x for x in set(doc) | set(ref) if strip_file(doc).get(x) != ref.get(x))
        return "%s: differs from its reference (%s) in %s" % (rel, k, ", ".join(keys))
    return None


# ---------------------------------------------------------------- the run
class Sampler:
    """Looks at the batch's parent and its children in /proc until it exits."""

    def __init__(self, proc, out, interval):
        self.p = proc
        self.out = out
        self.interval = interval
        self.samples = []     # (t, done, parent {VmRSS, VmHWM, RssAnon}, [(pid, state, nice, rss, hwm)])
        self.seen = {}        # pid -> starttime
        self.parent_nice = None

    def sample(self, t0):
        pid = self.p.pid
        me = status_kib(pid)
        st = stat_of(pid)
        if me is None or st is None or st[0] == "Z" or "VmRSS" not in me:
            return False
        if self.parent_nice is None:
            self.parent_nice = st[2]
        kids = []
        for c in children_of(pid):
            cs = stat_of(c)
            if cs is None or cs[1] != pid:
                continue
            ck = status_kib(c) or {}
            kids.append((c, cs[0], cs[2], ck.get("VmRSS", 0), ck.get("VmHWM", 0)))
            self.seen.setdefault(c, cs[3])
        done = count_outputs(self.out) if os.path.isdir(self.out) else 0
        self.samples.append((time.monotonic() - t0, done, me, kids))
        return True

    def run(self, t0, deadline):
        while self.p.poll() is None:
            if time.monotonic() > deadline:
                return False
            t = time.monotonic()
            self.sample(t0)
            time.sleep(max(0.0, self.interval - (time.monotonic() - t)))
        return True


def read_lines(stream, into):
    for line in iter(stream.readline, b""):
        into.append(line.decode("utf-8", "replace").rstrip("\n"))
    stream.close()


def sources(use_corpus):
    """[(label, path)] of the distinct PDFs, and a note on the corpus."""
    src = [("fixtures/pdf/" + f, os.path.join(FIX, f)) for f in sorted(os.listdir(FIX))
           if f.lower().endswith(".pdf")] if os.path.isdir(FIX) else []
    env_shared = os.environ.get("BUDGETPDF_SHARED")
    shared = os.path.abspath(env_shared or os.path.join(ROOT, "..", "shared"))
    corpus = os.path.join(shared, "corpus", "jiangsu")
    shown = os.path.join(env_shared, "corpus", "jiangsu") if env_shared else "../shared/corpus/jiangsu"
    if not use_corpus:
        return src, "corpus left out (--no-corpus): fixtures only"
    if not os.path.isdir(corpus):
        return src, "%s not found: fixtures only" % shown
    found = []
    for r, ds, fs in os.walk(corpus):
        ds.sort()
        for f in sorted(fs):
            if f.lower().endswith(".pdf"):
                p = os.path.join(r, f)
                found.append((os.path.join(shown, os.path.relpath(p, corpus)), p))
    return src + found, "%d PDFs of %s included" % (len(found), shown)


def link(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description="budgetpdf load test")
    ap.add_argument("--bin")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--interval", type=float, default=0.2)
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--keep")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    VERBOSE = args.verbose
    rep = Report()
    binary = find_bin(args.bin)
    print("load: binary %s" % binary, flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()
    if args.docs < 1 or args.jobs < 1:
        rep.ok("arguments", False, "--docs and --jobs must be at least 1")
        return rep.close()
    src, note = sources(not args.no_corpus)
    print("load: %s" % note, flush=True)
    if not src:
        rep.ok("fixtures", False, "no fixtures/pdf/*.pdf")
        return rep.close()
    if not os.access(GNU_TIME, os.X_OK):
        rep.ok("GNU time", False, "%s is missing (Debian: time; make loadtest installs it)" % GNU_TIME)
        return rep.close()
    if args.keep:
        tmp = os.path.abspath(args.keep)
        os.makedirs(tmp)
    else:
        tmp = tempfile.mkdtemp(prefix="budgetpdf-load-")
    try:
        return run(args, rep, binary, src, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, rep, binary, src, tmp):
    n, jobs = args.docs, args.jobs
    # one binary for the references and the batch, whatever a rebuild does meanwhile
    os.makedirs(os.path.join(tmp, "bin"))
    binary = shutil.copy2(binary, os.path.join(tmp, "bin", os.path.basename(binary)))
    # ---- distinct sources, their references and single-document peaks
    t_refs = time.monotonic()
    sdir, rdir = os.path.join(tmp, "src"), os.path.join(tmp, "ref")
    os.makedirs(sdir)
    refs, singles = [], []   # refs[k]: the reference without source.file; singles[k]: (s, KiB, pages, checks)
    bad = []
    for k, (label, path) in enumerate(src):
        copy = os.path.join(sdir, "s%02d.pdf" % k)
        shutil.copyfile(path, copy)
        out = os.path.join(rdir, "s%02d" % k)
        rc, secs, peak, err = timed_run([binary, "-j", "1", "-o", out, copy])
        doc = None
        try:
            with open(os.path.join(out, "s%02d.json" % k), encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            err += "\n%s" % e
        probs = validate_schema.problems(doc) if doc is not None else ["no output"]
        if rc != 0 or probs or sanitizer_report(err) or not peak:
            bad.append("%s: exit %s, %s\n%s" % (label, rc, (probs or ["valid"])[0], tail(err, 4)))
            continue
        refs.append(strip_file(doc))
        singles.append((secs, peak, doc["source"]["pages"],
                        sum(1 for c in doc.get("checks", []) if not c.get("ok"))))
        if VERBOSE:
            print("    %-60s %5.2f s  %s  %d pages" % (label, secs, mib(peak), doc["source"]["pages"]))
    rep.ok("references: each of the %d distinct PDFs converts alone, valid" % len(src), not bad,
           "\n".join(bad))
    if bad:
        return rep.close()
    big = max(range(len(src)), key=lambda k: singles[k][1])
    worker_bound = WORKER_FACTOR * singles[big][1]
    print("load: references made in %.1f s; largest single-document peak %s (%s); worker bound %d x = %s"
          % (time.monotonic() - t_refs, mib(singles[big][1]), src[big][0], WORKER_FACTOR, mib(worker_bound)),
          flush=True)

    # ---- the input tree: N names, hard links round-robin over the sources
    ind, out = os.path.join(tmp, "in"), os.path.join(tmp, "out")
    expected = {}   # relative output -> (source index, input base name)
    for i in range(n):
        k = i % len(src)
        folder = "g%02d" % (i % FOLDERS) + ("/deep" if (i // FOLDERS) % 2 else "")
        name = "doc%05d" % i
        os.makedirs(os.path.join(ind, folder), exist_ok=True)
        link(os.path.join(sdir, "s%02d.pdf" % k), os.path.join(ind, folder, name + ".pdf"))
        expected[folder + "/" + name + ".json"] = (k, name + ".pdf")
    copies = [sum(1 for v in expected.values() if v[0] == k) for k in range(len(src))]
    pages = sum(c * s[2] for c, s in zip(copies, singles))
    checks_failed = sum(c * s[3] for c, s in zip(copies, singles))
    estimate = sum(c * s[0] for c, s in zip(copies, singles)) / jobs
    print("load: %d documents (%d distinct), %d pages, -j %d; about %.0f s expected from the single runs"
          % (n, len(src), pages, jobs, estimate), flush=True)

    # ---- the batch, watched
    reaper = become_subreaper()
    if not reaper:
        print("load: note: could not become a child subreaper; leftovers are looked for by pid only")
    argv = [binary, "-j", str(jobs), "--progress", "-o", out, ind]
    cpu0, busy0 = os.times(), busy_jiffies()
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    so, se = [], []
    readers = [threading.Thread(target=read_lines, args=(p.stdout, so), daemon=True),
               threading.Thread(target=read_lines, args=(p.stderr, se), daemon=True)]
    for r in readers:
        r.start()
    smp = Sampler(p, out, args.interval)
    try:
        finished = smp.run(t0, t0 + TIMEOUT)
    finally:
        if p.poll() is None:  # timed out, or this script was interrupted
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    wall = time.monotonic() - t0
    cpu1, busy1 = os.times(), busy_jiffies()
    mine = cpu1.user + cpu1.system - cpu0.user - cpu0.system            # this script: the sampler
    batch_cpu = (cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system)
    cores = os.cpu_count() or 1
    elsewhere = max(0.0, busy1 - busy0 - mine - batch_cpu) / (wall * cores) if wall else 0
    for r in readers:
        r.join(10)

    # ---- leftovers: re-parented here (subreaper), or a pid seen still there
    left = []
    for c in all_children_of(os.getpid()):
        st = stat_of(c)
        if st:
            left.append("pid %d (%s) state %s" % (c, comm(c), st[0]))
    for pid, start in smp.seen.items():
        st = stat_of(pid)
        if st and st[3] == start and not any(x.startswith("pid %d " % pid) for x in left):
            left.append("pid %d (%s) state %s, parent %d" % (pid, comm(pid), st[0], st[1]))
    for c in all_children_of(os.getpid()):   # clean up what is ours now
        if (stat_of(c) or ("Z",))[0] != "Z":
            os.kill(c, signal.SIGKILL)
        try:
            os.waitpid(c, 0)
        except ChildProcessError:
            pass

    # ---- figures
    S = smp.samples
    err_lines = [l for l in se if l.strip()]
    summary = SUMMARY.match(err_lines[-1]) if err_lines else None
    others = [l for l in err_lines[:-1] if not STATUS.match(l)] + ([] if summary else err_lines[-1:])
    # the page counter sets its nice value to 10: told apart when the parent's is not 10
    apart = smp.parent_nice is not None and smp.parent_nice != 10
    counter = {pid for s in S for (pid, _, nice, _, _) in s[3] if nice != smp.parent_nice} if apart else set()
    live_workers = [sum(1 for c in s[3] if c[0] not in counter) for s in S]
    live_counter = [sum(1 for c in s[3] if c[0] in counter) for s in S]
    worker_hwm = max([c[4] for s in S for c in s[3] if c[0] not in counter] or [0])
    # the parent's own figure (wait4 on each worker), when its summary gives one
    told = float(summary.group(6)) * 1024 if summary and summary.group(6) else None
    counter_hwm = max([c[4] for s in S for c in s[3] if c[0] in counter] or [0])
    prss = [s[2]["VmRSS"] for s in S]
    panon = [s[2].get("RssAnon", 0) for s in S]
    phwm = S[-1][2].get("VmHWM", 0) if S else 0
    early = [i for i, s in enumerate(S) if s[1] < 0.1 * n]
    late = [i for i, s in enumerate(S) if s[1] >= 0.9 * n]
    totals = [s[2]["VmRSS"] + sum(c[3] for c in s[3]) for s in S]

    print("load: %d docs, %d pages, %.1f s wall, %.1f pages/s, %d samples"
          % (n, pages, wall, pages / wall if wall else 0, len(S)))
    print("load: CPU: batch %.0f s (%.2f of %d processors), this script's sampling %.1f s, other processes %.0f%% "
          "of the machine" % (batch_cpu, batch_cpu / (wall * cores) if wall else 0, cores, mine, 100 * elsewhere))
    if elsewhere > 0.1:
        print("load: WARNING: other processes held %.0f%% of the machine during the run: the wall time measures "
              "the machine too" % (100 * elsewhere))
    if S:
        print("load: parent VmRSS first %s, last %s, max %s; VmHWM %s; RssAnon first %s, last %s"
              % (mib(prss[0]), mib(prss[-1]), mib(max(prss)), mib(phwm), mib(panon[0]), mib(panon[-1])))
    if early and late:
        e, l_ = max(prss[i] for i in early), max(prss[i] for i in late)
        print("load: parent VmRSS max over the first 10%% of documents %s (%d samples), last 10%% %s (%d samples)"
              % (mib(e), len(early), mib(l_), len(late)))
    if told is not None:
        print("load: the summary's peak per worker %s (%.2f x the largest single-document peak)"
              % (mib(told), told / singles[big][1]))
    print("load: worker VmHWM peak %s; page counter %s; live workers max %d, counter max %d; "
          "total RSS max %s" % (mib(worker_hwm), mib(counter_hwm) if counter else "not seen",
                                max(live_workers or [0]), max(live_counter or [0]), mib(max(totals or [0]))),
          flush=True)

    # ---- checks
    why = first([
        (finished, "the batch was still running after %.0f s (BUDGETPDF_LOAD_TIMEOUT): stopped" % TIMEOUT),
        (not sanitizer_report("\n".join(se)), "sanitizer report:\n%s" % sanitizer_report("\n".join(se))),
        (p.returncode == 0, "exit %s\n%s" % (p.returncode, tail("\n".join(se)))),
        (not any(l.strip() for l in so), "stdout not empty: %s" % tail("\n".join(so), 3)),
        (not others, "stderr holds more than status lines and the summary:\n%s" % tail("\n".join(others))),
        (summary is not None, "no summary line last on stderr:\n%s" % tail("\n".join(se), 3)),
    ])
    if why is None:
        got = tuple(int(summary.group(x)) for x in (1, 3, 4, 5))
        want = (n, 0, checks_failed, pages)
        why = None if got == want and not summary.group(2) else (
            "summary %r; expected %d converted, 0 failed, %d checks failed, %d pages"
            % (err_lines[-1], n, checks_failed, pages))
    rep.ok("run: exit 0, summary \"%d converted, 0 failed, ..., %d pages\"" % (n, pages), why is None, why)

    found, temps, strays = [], [], []
    for r, _, fs in os.walk(out):
        for f in fs:
            rel = os.path.relpath(os.path.join(r, f), out)
            if rel == "budgetpdf-report.json":
                continue  # the batch's report (tests/run_export.py checks it)
            (temps if f.startswith(".budgetpdf-") else found if f.endswith(".json") and not f.startswith(".")
             else strays).append(rel)
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    why = first([
        (not missing, "%d outputs missing, e.g. %s" % (len(missing), missing[:5])),
        (not extra, "%d unexpected outputs, e.g. %s" % (len(extra), extra[:5])),
        (not temps, "%d temporary files left, e.g. %s" % (len(temps), temps[:5])),
        (not strays, "other files in the output folder, e.g. %s" % strays[:5]),
    ])
    rep.ok("outputs: exactly the %d expected, no temporary file" % n, why is None, why)

    t_check = time.monotonic()
    items = [(rel, k, os.path.join(out, rel), base) for rel, (k, base) in sorted(expected.items())
             if rel in set(found)]
    with multiprocessing.Pool(jobs, initializer=_init, initargs=(refs,)) as pool:
        problems = [x for x in pool.imap(check_output, items, chunksize=16) if x]
    print("load: %d outputs checked in %.1f s (%d processes)" % (len(items), time.monotonic() - t_check, jobs),
          flush=True)
    rep.ok("valid: all %d outputs parse, pass the schema, equal their reference (source.file apart)"
           % len(items), not problems and len(items) == n,
           "%d bad, e.g.\n%s" % (len(problems), "\n".join(problems[:10 if VERBOSE else 3]))
           if problems else "only %d outputs to check" % len(items))

    if len(early) < 3 or len(late) < 3:
        rep.ok("parent flat", False, "too few samples to judge (%d in the first 10%%, %d in the last): "
               "a longer run (--docs) or a shorter --interval" % (len(early), len(late)))
    else:
        e, l_ = max(prss[i] for i in early), max(prss[i] for i in late)
        rep.ok("parent flat: VmRSS peak over the last 10%% of documents (%s) within %s of the first 10%%'s (%s)"
               % (mib(l_), mib(SLACK_KIB), mib(e)), l_ - e <= SLACK_KIB,
               "grew by %s over %d documents (RssAnon %s -> %s)"
               % (mib(l_ - e), n, mib(max(panon[i] for i in early)), mib(max(panon[i] for i in late))))

    most = max(live_workers or [0])
    if apart:
        over = [(round(S[i][0], 1), live_workers[i], live_counter[i]) for i in range(len(S))
                if live_workers[i] > jobs or live_counter[i] > 1]
    else:  # workers and counter alike: children at most jobs + 1
        over = [(round(S[i][0], 1), live_workers[i], "?") for i in range(len(S)) if live_workers[i] > jobs + 1]
    why = first([
        (not over, "more workers alive than -j %d (time, workers, counters): %s" % (jobs, over[:5])),
        (most >= min(jobs, n), "at most %d workers alive at once, -j %d" % (most, jobs)),
    ])
    rep.ok("workers: never more than -j %d alive (+1 page counter), %d at once seen" % (jobs, min(jobs, n)),
           why is None, why)

    peak = max(worker_hwm, told or 0)
    rep.ok("worker peak: every worker's VmHWM (max %s%s) and the page counter's (%s) below %s"
           % (mib(worker_hwm), ", summary says %s" % mib(told) if told is not None else "", mib(counter_hwm),
              mib(worker_bound)),
           peak <= worker_bound and counter_hwm <= worker_bound and worker_hwm > 0,
           "no worker seen" if worker_hwm == 0 else "worker %s, counter %s, bound %s (%d x %s, %s)"
           % (mib(peak), mib(counter_hwm), mib(worker_bound), WORKER_FACTOR, mib(singles[big][1]),
              src[big][0]))

    if early:
        parent_bound = max(prss[i] for i in early) + SLACK_KIB
        bound = parent_bound + (jobs + (1 if counter else 0)) * worker_bound
        worst = max(range(len(S)), key=lambda i: totals[i])
        rep.ok("total: parent + live children VmRSS (max %s) within %s" % (mib(totals[worst]), mib(bound)),
               totals[worst] <= bound, "at %.1f s: %s (parent %s, children %s)"
               % (S[worst][0], mib(totals[worst]), mib(S[worst][2]["VmRSS"]),
                  [mib(c[3]) for c in S[worst][3]]))
    else:
        rep.ok("total", False, "no sample in the first 10% of documents")

    rep.ok("processes: none of the batch's left after it (%d children seen%s)"
           % (len(smp.seen), ", subreaper" if reaper else ""), not left, "; ".join(left[:10]))
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
