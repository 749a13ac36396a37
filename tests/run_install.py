#!/usr/bin/env python3
"""budgetpdf installed like a real tool.

  - `make install DESTDIR=stage PREFIX=/usr` installs usr/bin/budgetpdf (it
    runs) and usr/share/man/man1/budgetpdf.1; without PREFIX, under
    usr/local;
  - `man -l` renders the installed page, with NAME, SYNOPSIS, DESCRIPTION,
    OPTIONS, EXIT STATUS, FILES and EXAMPLES, and every option that --help
    names (the page is made from --help: they cannot drift);
  - `make run` in a fresh copy of the tree (the files git tracks, as they are
    in the working tree) prints only the JSON on stdout, though it builds
    first: the build's lines go to stderr.

Usage: run_install.py --bin ./budgetpdf [--build build] [--make make]
Ends with "N passed, M failed[, K skipped]".
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")
        return ok


def make(args, *targets, cwd=ROOT, **env):
    cmd = shlex.split(args.make) + ["--no-print-directory", f"BUILD={args.build}", f"BIN={args.bin}", *targets]
    cmd += [f"{k}={v}" for k, v in env.items()]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="budgetpdf")
    ap.add_argument("--build", default="build")
    ap.add_argument("--make", default="make")
    args = ap.parse_args()
    t = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        stage = os.path.join(tmp, "stage")
        r = make(args, "install", DESTDIR=stage, PREFIX="/usr")
        t.check(r.returncode == 0, f"make install DESTDIR=stage PREFIX=/usr exits 0 ({r.stderr.strip()[-300:]})")
        binary = os.path.join(stage, "usr/bin/budgetpdf")
        page = os.path.join(stage, "usr/share/man/man1/budgetpdf.1")
        t.check(os.access(binary, os.X_OK), "usr/bin/budgetpdf installed, executable")
        t.check(os.path.isfile(page), "usr/share/man/man1/budgetpdf.1 installed")
        if os.access(binary, os.X_OK):
            v = subprocess.run([binary, "--version"], capture_output=True, text=True)
            t.check(v.returncode == 0 and v.stdout.startswith("budgetpdf "), f"the installed binary runs ({v.stdout!r})")
        if os.path.isfile(page):
            env = dict(os.environ, MANWIDTH="200", LANG="C.UTF-8", MAN_KEEP_FORMATTING="")
            m = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env)
            text = re.sub(r".\x08", "", m.stdout).replace("\u2010", "-").replace("\u2212", "-")
            t.check(m.returncode == 0 and not m.stderr.strip(), f"man -l renders it ({m.stderr.strip()[:200]})")
            sections = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "FILES", "EXAMPLES"]
            missing = [s for s in sections if not re.search(rf"^{s}$", text, re.M)]
            t.check(not missing, f"the man page has {', '.join(sections)} (missing: {missing})")
            helptext = subprocess.run([os.path.join(ROOT, args.bin), "--help"], capture_output=True, text=True).stdout
            options = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", helptext)))
            absent = [o for o in options if not re.search(rf"^\s+(-\w, )?{o}\b", text, re.M)]
            t.check(options and not absent, f"every option of --help ({len(options)}) has its entry (absent: {absent})")
        r = make(args, "install", DESTDIR=os.path.join(tmp, "stage2"))
        t.check(r.returncode == 0 and os.path.isfile(os.path.join(tmp, "stage2/usr/local/bin/budgetpdf"))
                and os.path.isfile(os.path.join(tmp, "stage2/usr/local/share/man/man1/budgetpdf.1")),
                "PREFIX defaults to /usr/local")

        # make run on a fresh copy of the tree
        ls = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
        if ls.returncode != 0:
            print("SKIP make run on a fresh copy: not a git checkout")
            t.skipped += 1
        else:
            fresh = os.path.join(tmp, "fresh")
            for f in ls.stdout.decode().split("\0"):
                if f and os.path.isfile(os.path.join(ROOT, f)):
                    os.makedirs(os.path.join(fresh, os.path.dirname(f)), exist_ok=True)
                    shutil.copy2(os.path.join(ROOT, f), os.path.join(fresh, f))
            r = subprocess.run(shlex.split(args.make) + ["run"], cwd=fresh, capture_output=True, text=True,
                               env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")})
            try:
                doc = json.loads(r.stdout)
            except ValueError:
                doc = None
            t.check(r.returncode == 0 and isinstance(doc, dict),
                    f"make run on a fresh tree prints only the JSON (exit {r.returncode}; stdout starts {r.stdout[:120]!r})")
            t.check(doc is not None and doc.get("unit"), "`make run | jq .unit` gives the unit")
            t.check("-o budgetpdf" in r.stderr or "budgetpdf" in r.stderr and "-c -o" in r.stderr,
                    "the build's lines went to stderr")
    line = f"{t.passed} passed, {t.failed} failed"
    print(line + (f", {t.skipped} skipped" if t.skipped else ""))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
