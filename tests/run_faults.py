#!/usr/bin/python3
"""Fault tests for budgetpdf: batches killed with SIGKILL at random moments and
started again with --resume.

usage: run_faults.py [--bin PATH] [--only NAME] [--seed N] [-v]

  --bin PATH   the binary to test (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --only NAME  only the tests whose name contains NAME (files, by-unit)
  --seed N     the seed of the kill moments (default: a new one, printed first)
  -v           print budgetpdf's stderr for every round, and each round's timing

The requirement: outputs are written atomically; a batch killed with SIGKILL at
any moment and started again with --resume ends with every output complete and
valid.  The input is a tree of 38 PDFs in a temporary folder: copies of the
fixtures under other names in a/, b/ and b/deep/ (mostly the fast 002-004, a few
of 000/001 so that workers are mid-document when killed), three pieces of
004.pdf cut with qpdf (one unit, three PDFs: a real --by-unit merge) and a blank
page (no unit: --by-unit's unknown/).  Each distinct PDF is converted once alone
for its reference JSON, which also times it.  A slow binary (a sanitizer build)
gets a smaller tree, so that a batch over it takes about BATCH_SECONDS: no copy
of a fixture that would take more than half of that alone, then fewer copies,
one per folder and fixture at least.  The kill moments are drawn from the
seeded RNG as fractions of the estimated time of the work still to do.

Each round starts `budgetpdf -j 2 [--resume] -o OUT IN` (--resume from the
second round on) in a session of its own and kills it in one of two ways:
SIGKILL of the parent only (its workers are orphaned and may still finish and
write), or SIGKILL of the whole process group (a power cut for the processes).
The moment is at start-up, mid-batch, near the estimated end, at the first file
that appears or changes in OUT (a worker mid-write), or in --by-unit mode at the
first output that appears or changes (the merge mid-way).  Right after every
kill, orphans still running, each *.json in OUT and each part in
.budgetpdf-parts must be whole, valid against the schema and equal to what
the references say; temporary files may be there.  Then, once every process of
the killed runs is gone (this script adopts the orphans, as child subreaper, and
reaps them), a last --resume run without a kill must exit 0 and leave:

  files    10 rounds of `-o OUT IN`: OUT/<path under IN>.json for every input and
           nothing else, each valid and equal to its reference but for
           source.file, which is the PDF's base name; no output that was whole
           at a quiet moment is rewritten later (same inode and mtime); the last
           run converts exactly the inputs still missing (its --progress
           summary); no temporary file left (a run removes the
           .budgetpdf-<pid>.tmp of dead processes; one whose pid is alive again
           is kept by design and not counted)
  by-unit  5 rounds of `--by-unit -o OUT IN`: OUT holds <year>/<unit>.json per
           unit and year (unit without whitespace) and unknown/a/blank.json, and
           nothing else; each is valid and equal to README's merge of the
           references of its `source` list, in that list's order (--resume
           appends, so the order may differ from the input order), each entry's
           file one of the inputs with that sha256; every input's sha256 is in
           exactly one output's `source`, once (copies of a PDF are merged
           once); no part left in .budgetpdf-parts; no temporary file left

Every round's stderr must hold no sanitizer report.  An interrupted batch ended
by SIGINT is tested by run_batch.py (resume), not here.  Each test prints
PASS/FAIL/SKIP NAME[: reason]; the last line is `N passed, M failed[, K skipped]`;
exit 1 on any failure.  A failure names the seed: `--seed N` draws the same kill
moments again (the timing of the processes themselves still varies).
Environment: BUDGETPDF, BUDGETPDF_TIMEOUT (seconds per run, default 300).
"""
import argparse
import copy
import hashlib
import json
import os
import random
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
from run_batch import SUMMARY, first, stamp, temp_files  # noqa: E402

TIMEOUT = float(os.environ.get("BUDGETPDF_TIMEOUT", "300"))
VERBOSE = False
FIX = os.path.join(ROOT, "fixtures", "pdf")
JOBS = 2
# A batch over the whole input tree should take about this long at most: a
# slower binary (a sanitizer build) gets fewer copies (see Fault.build).
BATCH_SECONDS = 8.0
PARTS = ".budgetpdf-parts"
TEMP = re.compile(r"^\.budgetpdf-\d+\.tmp$")

# The input tree: (folder, fixture, copies).  Mostly the fast fixtures; 000 and
# 001 (the slow ones) so that workers are mid-document when a kill lands.
LAYOUT = [("a", "002", 6), ("a", "003", 4), ("a", "004", 4),
          ("b", "002", 5), ("b", "003", 3), ("b", "004", 4),
          ("b/deep", "002", 3), ("b/deep", "000", 2), ("b/deep", "001", 1),
          ("", "000", 1), ("", "001", 1)]
# 004.pdf cut in three (qpdf): three PDFs of one unit and year.
PIECES = [("p004-narrative", "1-12"), ("p004-tables", "13-24"), ("p004-forms", "25-z")]

# (moment, kill) per round.  moment: start (while the parent starts up), mid,
# end (around the estimated end of the work left, the --by-unit merge
# included), write (at the first file that appears or changes in OUT, a
# temporary file or an output: a worker mid-write), merge (--by-unit: at the
# first output that appears or changes: the merge mid-way).
# kill: parent (SIGKILL of the parent only; its workers run on, orphaned) or
# group (SIGKILL of the whole process group).
FILES_PLAN = [("start", "group"), ("mid", "parent"), ("write", "group"), ("start", "parent"),
              ("mid", "group"), ("write", "group"), ("mid", "parent"), ("end", "group"),
              ("mid", "group"), ("end", "parent")]
UNITS_PLAN = [("mid", "group"), ("mid", "parent"), ("write", "group"), ("merge", "group"), ("merge", "parent")]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


OWN = set()  # pids of the runs started here (Popen reaps them)


def adopt_orphans():
    """Makes this process the child subreaper (Linux prctl): workers orphaned by
    a killed parent become its children, and reap_orphans() reaps them.  Else
    they go to PID 1, which may reap late (a zombie's pid counts as alive to
    budgetpdf's removal of stale temporary files) or never."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def processes():
    """(pid, ppid, pgid, state) of every process."""
    out = []
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % e) as f:
                s = f.read()
            fields = s[s.rindex(")") + 2:].split()
            out.append((int(e), int(fields[1]), int(fields[2]), fields[0]))
        except (OSError, ValueError, IndexError):
            pass
    return out


def reap_orphans():
    me = os.getpid()
    for pid, ppid, _, state in processes():
        if ppid == me and state in ("Z", "X") and pid not in OWN:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def alive(pgids):
    """The pids of the process groups pgids that still exist (unreaped ones too)."""
    reap_orphans()
    return sorted(pid for pid, _, g, _ in processes() if g in pgids)


def wait_gone(pgids, limit):
    """Waits until no process of pgids is left; the pids left after limit s."""
    deadline = time.time() + limit
    while True:
        left = alive(pgids)
        if not left or time.time() > deadline:
            return left
        time.sleep(0.005)


def pid_status(pid):
    """What process pid is now, for a message."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        return "pid %d alive: %s, state %s" % (pid, s[s.index("(") + 1:s.rindex(")")], s[s.rindex(")") + 2])
    except (OSError, ValueError):
        return "pid %d gone" % pid


def without_file(doc):
    """doc with every source.file blanked (it names the PDF, which differs per copy)."""
    d = copy.deepcopy(doc)
    src = d.get("source") if isinstance(d, dict) else None
    for s in (src if isinstance(src, list) else [src]):
        if isinstance(s, dict) and "file" in s:
            s["file"] = None
    return d


def merge(docs):
    """README's --by-unit merge: source a list; lists concatenated (a check's
    table_index shifted by the tables before it); every other member, and each
    member of an object, the first non-null value."""
    out, sources = {}, None
    tables_before = 0
    for doc in docs:
        doc = copy.deepcopy(doc)
        for c in doc.get("checks") or []:  # a check names its table by position
            if isinstance(c.get("table_index"), int):
                c["table_index"] += tables_before
        tables_before += len(doc.get("tables") or [])
        for k, v in doc.items():
            if k == "source":
                if sources is None:
                    sources = out["source"] = []
                sources.extend(copy.deepcopy(v) if isinstance(v, list) else [copy.deepcopy(v)])
            elif k not in out:
                out[k] = copy.deepcopy(v)
            elif isinstance(out[k], list) and isinstance(v, list):
                out[k].extend(copy.deepcopy(v))
            elif isinstance(out[k], dict) and isinstance(v, dict):
                for f, x in v.items():
                    if f not in out[k] or (out[k][f] is None and x is not None):
                        out[k][f] = copy.deepcopy(x)
            elif out[k] is None and v is not None:
                out[k] = copy.deepcopy(v)
    return out


def unit_file(unit):
    """merge.c's file name of a unit: no whitespace, separators and control
    characters as _, no leading dot."""
    s = ""
    for c in unit:
        if c in "/\\" or ord(c) < 0x20 or ord(c) == 0x7f or (not s and c == "."):
            c = "_"
        if not c.isspace():
            s += c
    return s or "_"


class Fault:
    """The input tree, its references and the state of the current test."""

    def __init__(self, binary, tmp, rng):
        self.bin = binary
        self.tmp = tmp
        self.rng = rng
        self.inputs = {}    # path under IN -> sha256
        self.refs = {}      # sha256 -> reference document
        self.cost = {}      # sha256 -> seconds to convert it alone
        self.startup = 0.0  # seconds of the quickest single run
        self.pgids = []     # every session started (for orphans)
        self.validated = {}  # sha256 of an output's bytes -> problems
        self.checked = {}    # (output, sha256 of its bytes) -> why it is wrong, or None
        self.n_runs = 0

    # ------------------------------------------------------------ set-up
    def build(self, rep):
        """Makes IN and the references; a reason when it could not."""
        self.ind = os.path.join(self.tmp, "in")
        srcs = {}  # distinct PDF path -> sha256
        group = {}  # copy under IN -> (folder, fixture): copies may be left out, other inputs not
        for folder, fixture, n in LAYOUT:
            src = os.path.join(FIX, fixture + ".pdf")
            srcs.setdefault(src, sha256(src))
            for i in range(n):
                rel = os.path.join(folder, "r%s-%02d.pdf" % (fixture, i + 1))
                os.makedirs(os.path.join(self.ind, folder), exist_ok=True)
                shutil.copy(src, os.path.join(self.ind, rel))
                self.inputs[rel] = srcs[src]
                group[rel] = (folder, fixture)
        pieces = os.path.join(self.tmp, "pieces")
        os.makedirs(pieces)
        if shutil.which("qpdf"):
            for name, pages in PIECES:
                p = os.path.join(pieces, name + ".pdf")
                subprocess.run(["qpdf", "--empty", "--pages", os.path.join(FIX, "004.pdf"), pages, "--", p],
                               check=True, capture_output=True)
                shutil.copy(p, os.path.join(self.ind, "b", name + ".pdf"))
                srcs[p] = self.inputs[os.path.join("b", name + ".pdf")] = sha256(p)
        else:
            rep.skip("pieces", "qpdf is not installed (make deps): no three-PDF unit to merge")
        blank = os.path.join(pieces, "blank.pdf")
        with open(blank, "wb") as f:
            f.write(minimal_pdf())
        shutil.copy(blank, os.path.join(self.ind, "a", "blank.pdf"))
        srcs[blank] = self.inputs[os.path.join("a", "blank.pdf")] = sha256(blank)

        # References, smallest PDF first; the seconds per byte seen so far say
        # whether a larger fixture would take more than half of BATCH_SECONDS
        # (a sanitizer build): then its copies are left out, unconverted.
        ref = os.path.join(self.tmp, "ref")
        rate, dropped = 0.0, []
        for path in sorted(srcs, key=os.path.getsize):
            sha, size = srcs[path], os.path.getsize(path)
            fixture = os.path.basename(path)[:-4]
            if path.startswith(FIX) and rate * size > BATCH_SECONDS / 2:
                dropped.append(fixture)
                continue
            t0 = time.time()
            p = subprocess.run([self.bin, "-o", ref, path], cwd=ROOT, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT)
            self.cost[sha] = time.time() - t0
            if size >= 50000:
                rate = max(rate, self.cost[sha] / size)
            err = p.stderr.decode("utf-8", "replace")
            if p.returncode != 0 or sanitizer_report(err):
                return "reference run on %s: exit %s\n%s" % (path, p.returncode,
                                                              sanitizer_report(err) or tail(err))
            with open(os.path.join(ref, fixture + ".json"), encoding="utf-8") as f:
                doc = json.load(f)
            bad = validate_schema.problems(doc)
            if bad:
                return "reference of %s is not valid: %s" % (path, bad[0])
            if doc["source"]["sha256"] != sha:
                return "reference of %s records sha256 %s" % (path, doc["source"]["sha256"])
            self.refs[sha] = doc
        self.startup = min(self.cost.values())
        # Then copies out, one at a time from the (folder, fixture) with the most,
        # while a batch over IN would take longer than BATCH_SECONDS (one copy of
        # each stays: the tree keeps its shape).
        left_out = [rel for rel in group if group[rel][1] in dropped]
        while True:
            keep = [rel for rel in group if rel not in left_out]
            if self.estimate(self.inputs[rel] for rel in self.inputs if rel not in left_out) <= BATCH_SECONDS:
                break
            members = {}
            for r in keep:
                members.setdefault(group[r], []).append(r)
            several = [g for g in members if len(members[g]) > 1]
            if not several:
                break
            g = max(several, key=lambda g: (len(members[g]), self.cost[self.inputs[members[g][0]]], g))
            left_out.append(members[g][-1])
        for rel in left_out:
            os.remove(os.path.join(self.ind, rel))
            del self.inputs[rel]
        if left_out:
            print("faults: a slow binary (%.2f s for the smallest fixture alone): %d of %d inputs kept%s" % (
                min(self.cost[srcs[p]] for p in srcs if p.startswith(FIX) and srcs[p] in self.cost),
                len(self.inputs), len(self.inputs) + len(left_out),
                ", no copy of %s" % "/".join(sorted(dropped)) if dropped else ""), flush=True)
        self.names = {}  # base name -> sha256 of the inputs of that name
        for rel, sha in self.inputs.items():
            self.names.setdefault(os.path.basename(rel), set()).add(sha)
        return None

    def estimate(self, shas):
        """Seconds a run takes to convert the PDFs of these sha256."""
        return self.startup + sum(self.cost[s] for s in shas) / JOBS

    # ------------------------------------------------------------ rounds
    def remaining(self, out, by_unit):
        """Estimated seconds of a run over what is left to convert in out."""
        if by_unit:
            have = set(self.merged(out)) | set(self.parts(out))
            left = [sha for sha in self.inputs.values() if sha not in have]
        else:
            whole = set(self.whole_files(out))
            left = [sha for rel, sha in self.inputs.items() if rel[:-4] + ".json" not in whole]
        return self.estimate(left)

    def start(self, out, by_unit, resume, tag, progress=False):
        self.n_runs += 1
        errf = os.path.join(self.tmp, "stderr-%02d-%s" % (self.n_runs, tag))
        argv = [self.bin, "-j", str(JOBS)] + (["--by-unit"] if by_unit else []) + \
            (["--resume"] if resume else []) + (["--progress"] if progress else []) + ["-o", out, self.ind]
        with open(errf, "wb") as err:
            p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                 start_new_session=True)
        self.pgids.append(p.pid)
        OWN.add(p.pid)
        p.errf = errf
        return p

    def stderr(self, p):
        with open(p.errf, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def kill_round(self, out, by_unit, resume, moment, kind):
        """One round: start a run, kill it at the moment drawn; returns (the run,
        its exit status, whether it had ended before the kill, what was done)."""
        t_est = self.remaining(out, by_unit)
        if moment == "start":  # the first workers start after the walk and the plan
            delay = self.rng.uniform(0.0, 1.0) * self.startup
        elif moment == "mid":
            delay = self.rng.uniform(0.2, 0.8) * t_est
        elif moment == "end":
            delay = self.rng.uniform(0.85, 1.1) * t_est
        else:  # write, merge: wait for the event, for at most this long
            delay = 3 * t_est + 2.0
        before = self.snapshot(out, moment == "merge")
        p = self.start(out, by_unit, resume, "%s-%s" % (moment, kind))
        t0 = time.time()
        if moment in ("write", "merge"):
            while p.poll() is None and time.time() - t0 < delay:
                now = self.snapshot(out, moment == "merge")
                if any(before.get(n) != s for n, s in now.items()):
                    break
                time.sleep(0.0005)
        else:
            while p.poll() is None and time.time() - t0 < delay:
                time.sleep(max(0.0, min(0.005, delay - (time.time() - t0))))
        at = time.time() - t0
        ended = p.poll() is not None
        if not ended:
            try:
                if kind == "group":
                    os.killpg(p.pid, signal.SIGKILL)
                else:
                    os.kill(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        rc = p.wait(timeout=TIMEOUT)
        ended = ended or rc != -signal.SIGKILL
        if kind == "group" or ended:  # nothing of this run writes any more
            left = wait_gone([p.pid], TIMEOUT)
            if left:
                raise RuntimeError("processes %s of a killed group still alive after %g s" % (left, TIMEOUT))
        what = "%s %s, %s, SIGKILL of the %s at %.3f s of ~%.2f s" % (
            "--by-unit" if by_unit else "-o", "--resume" if resume else "(first run)", moment,
            "process group" if kind == "group" else "parent only", at, t_est)
        if ended:
            what += " (it had ended: exit %s)" % rc
        return p, rc, ended, what

    # ------------------------------------------------------------ reading OUT
    @staticmethod
    def listing(out):
        """The outputs under out: *.json, the parts folder and dot files apart."""
        found = []
        for r, ds, fs in os.walk(out):
            ds[:] = [d for d in ds if not d.startswith(".")]
            found += [os.path.relpath(os.path.join(r, f), out) for f in fs
                      if f.endswith(".json") and not f.startswith(".") and f != "budgetpdf-report.json"]
        return sorted(found)

    def snapshot(self, out, outputs_only):
        """{file under out: (inode, mtime, size)}: every file (temporary files and
        parts too), or only the outputs."""
        found = {}
        if outputs_only:
            names = self.listing(out)
        else:
            names = [os.path.relpath(os.path.join(r, f), out) for r, _, fs in os.walk(out) for f in fs]
        for n in names:
            try:
                st = os.stat(os.path.join(out, n))
                found[n] = (st.st_ino, st.st_mtime_ns, st.st_size)
            except OSError:
                pass
        return found

    def read(self, path):
        """(document, None, sha256 of the bytes) or (None, what is wrong with the file, ...)."""
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            return None, "cannot be read: %s" % e, None
        key = hashlib.sha256(data).hexdigest()
        try:
            doc = json.loads(data.decode("utf-8"))
        except ValueError as e:
            return None, "not whole JSON (%d bytes): %s" % (len(data), e), key
        if key not in self.validated:
            self.validated[key] = validate_schema.problems(doc)
        if self.validated[key]:
            return None, "not valid: %s" % self.validated[key][0], key
        return doc, None, key

    def check_file(self, out, rel):
        """None when OUT/rel is the whole output of its input, else why not."""
        pdf = rel[:-5] + ".pdf"
        if pdf not in self.inputs:
            return "%s: an output of no input" % rel
        doc, why, key = self.read(os.path.join(out, rel))
        if why:
            return "%s: %s" % (rel, why)
        if (rel, key) not in self.checked:
            self.checked[(rel, key)] = self.compare_file(doc, rel, pdf)
        return self.checked[(rel, key)]

    def compare_file(self, doc, rel, pdf):
        name = doc["source"].get("file") if isinstance(doc.get("source"), dict) else "(no source object)"
        if name != os.path.basename(pdf):
            return "%s: source.file %r, expected %r" % (rel, name, os.path.basename(pdf))
        if without_file(doc) != without_file(self.refs[self.inputs[pdf]]):
            return "%s: differs from the reference of %s" % (rel, pdf)
        return None

    def whole_files(self, out):
        return [rel for rel in self.listing(out) if self.check_file(out, rel) is None]

    def check_files(self, out):
        return [w for w in (self.check_file(out, rel) for rel in self.listing(out)) if w]

    def merged(self, out):
        """{sha256: [outputs recording it]} over the by-unit outputs (whole ones)."""
        shas = {}
        for rel in self.listing(out):
            doc, why, _ = self.read(os.path.join(out, rel))
            if doc and isinstance(doc.get("source"), list):
                for s in doc["source"]:
                    shas.setdefault(s.get("sha256"), []).append(rel)
        return shas

    def parts(self, out):
        d = os.path.join(out, PARTS)
        if not os.path.isdir(d):
            return []
        return [f[:-5] for f in os.listdir(d) if f.endswith(".json") and not f.startswith(".")]

    def unit_key(self, sha, rel_pdf):
        doc = self.refs[sha]
        unit = doc.get("unit_key") or doc.get("unit")  # --by-unit groups by unit_key
        if doc.get("year") and unit:
            return "%d/%s.json" % (doc["year"], unit_file(unit))
        return "unknown/%s.json" % rel_pdf[:-4]

    def expected_units(self):
        return sorted(set(self.unit_key(sha, rel) for rel, sha in self.inputs.items()))

    def check_unit(self, out, rel):
        doc, why, key = self.read(os.path.join(out, rel))
        if why:
            return "%s: %s" % (rel, why)
        if (rel, key) not in self.checked:
            self.checked[(rel, key)] = self.compare_unit(doc, rel)
        return self.checked[(rel, key)]

    def compare_unit(self, doc, rel):
        src = doc.get("source")
        if not isinstance(src, list) or not src:
            return "%s: source is not a list" % rel
        shas = [s.get("sha256") for s in src]
        if len(set(shas)) != len(shas):
            return "%s: a sha256 twice in source: %s" % (rel, shas)
        unknown = [s for s in shas if s not in self.refs]
        if unknown:
            return "%s: source records a PDF that is no input: %s" % (rel, unknown)
        for s in src:
            if s["sha256"] not in self.names.get(s.get("file"), ()):
                return "%s: source.file %r is no input with sha256 %s" % (rel, s.get("file"), s["sha256"][:12])
        keys = {self.unit_key(s, r) for r, s in self.inputs.items() if s in shas}
        if rel not in keys:
            return "%s: holds documents of %s" % (rel, sorted(keys))
        if without_file(doc) != without_file(merge([self.refs[s] for s in shas])):
            return "%s: not the merge of the references of its sources, in their order" % rel
        return None

    def check_units(self, out):
        bad = [w for w in (self.check_unit(out, rel) for rel in self.listing(out)) if w]
        for sha in self.parts(out):
            path = os.path.join(out, PARTS, sha + ".json")
            doc, why, _ = self.read(path)
            if why is None and sha not in self.refs:
                why = "a part of no input"
            elif why is None and without_file(doc) != without_file(self.refs[sha]):
                why = "differs from the reference of its PDF"
            if why:
                bad.append("%s/%s.json: %s" % (PARTS, sha[:12], why))
        return bad


# ---------------------------------------------------------------- the tests
def leftover_temps(out, stale):
    """(why, note) for the temporary files left in out after the last run.  One
    whose pid is a live process again (pids are reused) is kept by design."""
    left = temp_files(out) if os.path.isdir(out) else []
    pid = {t: int(re.search(r"(\d+)\.tmp$", t).group(1)) for t in left if TEMP.match(os.path.basename(t))}
    reused = [t for t in left if t in pid and os.path.exists("/proc/%d" % pid[t]) and pid[t] not in OWN]
    bad = [t for t in left if t not in reused]
    note = "; %d kept, its pid in use again" % len(reused) if reused else ""
    if not bad:
        return None, note
    why = "left: %s" % ", ".join("%s (%s)" % (t, pid_status(pid[t]) if t in pid else "not a .budgetpdf-<pid>.tmp")
                                 for t in bad[:6])
    if set(bad) & set(stale):
        why += "; a run does not remove the temporary files of dead processes"
    return why, note


def orphan_wait(f, rep, label):
    left = wait_gone(f.pgids, TIMEOUT)
    rep.ok("%s: every process of the killed runs is gone (orphaned workers finished)" % label, not left,
           "still alive after %g s: pids %s" % (TIMEOUT, left))
    return not left


def sanitizer_rounds(f, rep, label, runs):
    bad = [(p.errf, sanitizer_report(f.stderr(p))) for p in runs]
    bad = [(e, s) for e, s in bad if s]
    rep.ok("%s: no sanitizer report in any round (orphaned workers included)" % label, not bad,
           "in %s:\n%s" % (os.path.basename(bad[0][0]), bad[0][1]) if bad else "")


def rounds(f, rep, label, out, by_unit, plan):
    runs, stamps = [], {}
    for i, (moment, kind) in enumerate(plan):
        p, rc, ended, what = f.kill_round(out, by_unit, i > 0, moment, kind)
        runs.append(p)
        if VERBOSE:
            err = f.stderr(p).strip()
            print("    round %d: %s%s" % (i + 1, what, ("\n      " + err.replace("\n", "\n      ")) if err else ""))
        bad = f.check_units(out) if by_unit else f.check_files(out)
        if VERBOSE and by_unit:
            print("      parts: %s; outputs: %s" % (sorted(x[:8] for x in f.parts(out)), f.listing(out)))
        n = len(f.listing(out))
        why = first([(not ended or rc == 0, "it ended by itself with exit %s\n%s" % (rc, tail(f.stderr(p)))),
                     (not bad, "%d broken file(s) after the kill:\n%s" % (len(bad), "\n".join(bad[:8])))])
        rep.ok("%s: round %d/%d (%s): only whole, valid outputs (%d in OUT, %d temporary)"
               % (label, i + 1, len(plan), what, n, len(temp_files(out)) if os.path.isdir(out) else 0),
               why is None, why)
        if not by_unit and not alive(f.pgids):  # a quiet moment: what is whole now must stay
            for rel in f.whole_files(out):
                stamps.setdefault(rel, stamp(os.path.join(out, rel)))
    return runs, stamps


def t_files(f, rep):
    out = os.path.join(f.tmp, "out-files")
    runs, stamps = rounds(f, rep, "files", out, False, FILES_PLAN)
    if not orphan_wait(f, rep, "files"):
        return
    whole = set(f.whole_files(out))
    missing = [rel for rel in f.inputs if rel[:-4] + ".json" not in whole]
    for rel in whole:
        stamps.setdefault(rel, stamp(os.path.join(out, rel)))
    stale = temp_files(out)
    p = f.start(out, False, True, "final", progress=True)
    try:
        rc = p.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rc = p.wait()
    wait_gone([p.pid], TIMEOUT)
    runs.append(p)
    err = f.stderr(p)
    last = SUMMARY.match((err.strip().splitlines() or [""])[-1])
    why = sanitizer_report(err) or first([
        (rc == 0, "exit %s\n%s" % (rc, tail(err))),
        (last, "no summary line: %s" % tail(err)),
    ])
    rep.ok("files: the last --resume run (no kill) exits 0", why is None, why)
    want = sorted(rel[:-4] + ".json" for rel in f.inputs)
    got = f.listing(out)
    bad = f.check_files(out)
    why = first([(got == want, "outputs: %d, expected %d; missing %s, extra %s" % (
        len(got), len(want), sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5])),
        (not bad, "%d broken:\n%s" % (len(bad), "\n".join(bad[:8])))])
    rep.ok("files: every input has its output, valid and equal to its reference (%d)" % len(want),
           why is None, why)
    rewritten = sorted(rel for rel, s in stamps.items()
                       if not os.path.exists(os.path.join(out, rel)) or stamp(os.path.join(out, rel)) != s)
    why = first([
        (not rewritten, "%d output(s) whole before a later run were rewritten: %s" % (len(rewritten),
                                                                                        rewritten[:5])),
        (last and int(last.group(1)) == len(missing) and int(last.group(2) or 0) == len(f.inputs) - len(missing)
         and last.group(3) == "0",
         "summary %r; %d inputs had no whole output before it" % (last.group(0) if last else None, len(missing))),
    ])
    rep.ok("files: --resume converts only what is missing (%d) and keeps what is done (%d)"
           % (len(missing), len(stamps)), why is None, why)
    why, note = leftover_temps(out, stale)
    rep.ok("files: no temporary file left in OUT (%d stale one(s) of killed processes before the last run%s)"
           % (len(stale), note), why is None, why)
    sanitizer_rounds(f, rep, "files", runs)


def t_by_unit(f, rep):
    out = os.path.join(f.tmp, "out-units")
    runs, _ = rounds(f, rep, "by-unit", out, True, UNITS_PLAN)
    if not orphan_wait(f, rep, "by-unit"):
        return
    stale = temp_files(out)
    p = f.start(out, True, True, "final")
    try:
        rc = p.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rc = p.wait()
    wait_gone([p.pid], TIMEOUT)
    runs.append(p)
    err = f.stderr(p)
    why = sanitizer_report(err) or (None if rc == 0 else "exit %s\n%s" % (rc, tail(err)))
    rep.ok("by-unit: the last --resume run (no kill) exits 0", why is None, why)
    want, got = f.expected_units(), f.listing(out)
    bad = f.check_units(out) if os.path.isdir(out) else ["no OUT"]
    shas = f.merged(out)
    counts = {rel: len(shas.get(sha, [])) for rel, sha in f.inputs.items()}
    wrong = sorted((rel, n) for rel, n in counts.items() if n != 1)
    why = first([
        (got == want, "outputs %s, expected %s" % (got, want)),
        (not bad, "%d broken:\n%s" % (len(bad), "\n".join(bad[:8]))),
        (not wrong, "inputs whose sha256 is not in exactly one output (input, outputs): %s" % wrong[:6]),
    ])
    rep.ok("by-unit: %d outputs, each the merge of its PDFs; every input's sha256 in exactly one"
           % len(want), why is None, why)
    left_parts = f.parts(out)
    merged = f.merged(out)
    why = "%s holds %d part(s) after the last run: %s" % (PARTS, len(left_parts), ", ".join(
        "%s.json (%s)" % (sha[:12], "its sha256 is already in %s" % merged[sha][0] if sha in merged else
                          "in no output") for sha in sorted(left_parts)[:4])) if left_parts else None
    rep.ok("by-unit: no part left in %s after the last run" % PARTS, why is None, why)
    why, note = leftover_temps(out, stale)
    rep.ok("by-unit: no temporary file left in OUT (%d stale one(s) of killed processes before the last run%s)"
           % (len(stale), note), why is None, why)
    sanitizer_rounds(f, rep, "by-unit", runs)


TESTS = [("files", t_files), ("by-unit", t_by_unit)]


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description="budgetpdf fault tests (SIGKILL and --resume)")
    ap.add_argument("--bin")
    ap.add_argument("--only")
    ap.add_argument("--seed", type=int)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    VERBOSE = args.verbose
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rep = Report()
    binary = find_bin(args.bin)
    print("faults: binary %s, seed %d (--seed %d draws the same kill moments)" % (binary, seed, seed), flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()
    missing = [x for x in sorted({fx for _, fx, _ in LAYOUT} | {"004"})
               if not os.path.exists(os.path.join(FIX, x + ".pdf"))]
    if missing:
        rep.skip("faults", "fixtures/pdf lacks %s" % missing)
        return rep.close()
    if not adopt_orphans():
        print("faults: not a child subreaper; orphaned workers are left to PID 1 to reap", flush=True)
    tmp = tempfile.mkdtemp(prefix="budgetpdf-faults-")
    f = Fault(binary, tmp, random.Random(seed))
    try:
        try:
            why = f.build(rep)
        except Exception as e:  # noqa: BLE001
            why = "%s: %s" % (type(e).__name__, e)
        if why:
            rep.ok("faults: references", False, why)
            return rep.close()
        if VERBOSE:
            print("    %d inputs, %d distinct; alone: %s s" % (len(f.inputs), len(f.refs), ", ".join(
                "%.2f" % f.cost[s] for s in sorted(f.cost, key=f.cost.get))))
        for name, fn in TESTS:
            if args.only and args.only not in name:
                continue
            try:
                t0 = time.time()
                fn(f, rep)
                if VERBOSE:
                    print("    (%s: %.1f s)" % (name, time.time() - t0))
            except Exception as e:  # noqa: BLE001 - a broken test is a failure, not a crash
                rep.ok(name, False, "%s: %s (seed %d)" % (type(e).__name__, e, seed))
    finally:
        for g in f.pgids:  # only our own sessions, should a test have broken off
            if alive([g]):
                try:
                    os.killpg(g, signal.SIGKILL)
                except OSError:
                    pass
        wait_gone(f.pgids, 10)
        shutil.rmtree(tmp, ignore_errors=True)
    if rep.failed:
        print("faults: seed %d (rerun: run_faults.py --seed %d)" % (seed, seed), flush=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
