#!/usr/bin/python3
"""Bad-input tests for budgetpdf: files poppler cannot open, files it opens that hold
nothing readable, encrypted files, and outputs that cannot be written (issue 6).

usage: run_badinput.py [--bin PATH] [--only NAME] [--keep DIR] [-v]

  --bin PATH   the binary to test (default: $BUDGETPDF, else ./budgetpdf in the repo root)
  --only NAME  only the case NAME (a substring matches several)
  --keep DIR   write the generated inputs into DIR and keep them
  -v           print budgetpdf's stderr for every case

Every input is made here, from the smallest fixture PDF (the base) with the Python
standard library and qpdf; nothing is downloaded.  Each case runs

    budgetpdf [OPTIONS] -o DIR good.pdf CASE.pdf

where good.pdf is a copy of the base, and passes when there is no sanitizer report and:

  refused (exit 1)   stderr names CASE.pdf and matches the case's cause; good.json is
                     written, valid against the schema and equal to what `budgetpdf
                     good.pdf` prints; DIR holds nothing else (no temporary file)
  converted (exit 0) the same for good.json, and CASE.json is written and valid too,
                     plus the case's own check (e.g. the warning it must carry)

Limits: --max-pages, --timeout and --max-memory, each set just above what good.pdf
needs (measured first), refuse a long document (the base 60 times over) naming the
limit, and with all three off it converts; a running worker's /proc/PID/limits shows the
address-space cap that backs --max-memory (not in sanitizer builds).  An empty folder
named x.pdf fails as a folder without PDFs.

Files under tests/regress/ (inputs that once crashed budgetpdf, found by fuzzing) are run
the same way: either outcome is accepted, but not a crash, a sanitizer report or a
refusal without a cause.  The last line is `N passed, M failed[, K skipped]`; exit 1 on
any failure.  Environment: BUDGETPDF, BUDGETPDF_TIMEOUT (as run_golden.py).
"""
import argparse
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import validate_schema  # noqa: E402
from run_golden import Report, Run, find_bin, minimal_pdf, tail  # noqa: E402

VERBOSE = False


# ---------------------------------------------------------------- making PDFs
def pdf_file(objs, root=1, version=b"1.4"):
    """A classic-xref PDF of objs (bytes, numbered from 1)."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, xref)
    return bytes(out)


def stream(data, dict_extra=b"", flate=False):
    if flate:
        data = zlib.compress(data, 9)
        dict_extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), dict_extra) + data + b"\nendstream"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def one_page_pdf(content, page_extra=b"", flate=False):
    """One A4 page (objects: 1 catalog, 2 pages, 3 page, 4 content, 5 font)."""
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >>" + page_extra + b" >>",
        stream(content, flate=flate),
        HELVETICA,
    ])


TEXT_OPS = b"BT /F1 14 Tf 72 760 Td (Budget disclosure 2024, page read) Tj ET\n"


def big_pages_pdf(n, side=6000):
    """n pages of side x side pt, each a line of text and a table rule: each
    page's rendering for rulings (36 dpi, 3000 x 3000 pixels for 6000 pt) holds
    some 60 MiB while it is read.  A worker's memory no longer grows with the
    number of pages (extract hands each page to normalize and frees it), so a
    long document of ordinary pages is no way to pass a memory limit."""
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    font = 3 + 2 * n
    ops = (b"BT /F1 14 Tf 72 %d Td (Budget disclosure 2024, a large page) Tj ET\n" % (side - 80) +
           b"1 w 72 %d m %d %d l S\n" % (side - 100, side - 72, side - 100))
    for i in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
                    b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (side, side, 4 + 2 * i, font))
        objs.append(stream(ops))
    objs.append(HELVETICA)
    return pdf_file(objs)


def control_chars_pdf():
    """A heading and a sentence whose text layer holds C0 characters (U+0001,
    U+001B) through the font's ToUnicode map, as a broken producer writes them."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom def"
            b" /CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange"
            b" 4 beginbfchar <80> <4E00> <81> <3001> <01> <0001> <03> <001B> endbfchar"
            b" 1 beginbfrange <20> <7E> <0020> endbfrange endcmap"
            b" CMapName currentdict /CMap defineresource pop end end\n")
    ops = (b"BT /F1 14 Tf 72 760 Td (\\200\\201Overview) Tj 0 -20 Td"
           b" (The unit\\001 spends money on\\003 things this year.) Tj ET\n")
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(ops),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        stream(cmap),
    ])


def control_chars_dropped(doc, base_doc):
    texts = [x for sec in doc["sections"] for x in (sec.get("heading") or "", sec.get("text") or "")]
    bad = [t for t in texts if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in t)]
    kinds = [r for r in doc["repairs"] if r["kind"] == "control_characters_dropped"]
    if not texts or "spends money" not in " ".join(texts):
        return "the section was not read: %s" % doc["sections"]
    if bad:
        return "control characters in sections: %r" % bad
    if len(kinds) != 1 or "U+0001" not in (kinds[0].get("from") or ""):
        return "no control_characters_dropped repair naming U+0001: %s" % doc["repairs"]
    return None


def png_bytes():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + bytes((x * y) & 0xFF for x in range(32)) for y in range(32))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def random_bytes(n, seed):
    """n random bytes with no %PDF in the first KiB (poppler looks there)."""
    rnd = random.Random(seed)
    while True:
        b = bytes(rnd.getrandbits(8) for _ in range(n))
        if b"%PDF" not in b[:1100]:
            return b


def scan_page_pdf():
    """One page that is only a picture (a scan without OCR)."""
    w = h = 64
    pixels = bytes(255 - ((x ^ y) & 0x3F) for y in range(h) for x in range(w))
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        stream(b"q 500 0 0 700 47 71 cm /Im1 Do Q\n"),
        stream(pixels, b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
               b" /BitsPerComponent 8" % (w, h), flate=True),
    ])


def qpdf(*args):
    """Runs qpdf; exit 3 means warnings only."""
    p = subprocess.run(["qpdf"] + list(args), capture_output=True)
    if p.returncode not in (0, 3):
        raise RuntimeError("qpdf %s: %s" % (" ".join(args), p.stderr.decode(errors="replace").strip()))


class Builder:
    """Makes the inputs from the base PDF; work is a scratch folder."""

    def __init__(self, base, work):
        self.base_path = base
        with open(base, "rb") as f:
            self.base = f.read()
        self.work = work

    def _path(self, name):
        return os.path.join(self.work, name)

    def _read(self, name):
        with open(self._path(name), "rb") as f:
            return f.read()

    def qdf(self):
        """The base in qpdf's QDF form: objects in plain text, editable."""
        if not os.path.exists(self._path("base.qdf")):
            qpdf("--qdf", "--object-streams=disable", self.base_path, self._path("base.qdf"))
        return self._read("base.qdf")

    def fixed_qdf(self, data, name):
        """data (edited QDF) with its xref and stream lengths recomputed (fix-qdf)."""
        with open(self._path(name + ".qdf"), "wb") as f:
            f.write(data)
        p = subprocess.run(["fix-qdf", self._path(name + ".qdf")], capture_output=True)
        if p.returncode != 0:
            raise RuntimeError("fix-qdf: %s" % p.stderr.decode(errors="replace"))
        return p.stdout

    def page_count(self):
        m = re.search(rb"/Count (\d+)", self.qdf())
        return int(m.group(1))

    def with_count(self, count, name):
        data, n = re.subn(rb"/Count \d+", b"/Count %d" % count, self.qdf(), count=1)
        assert n == 1
        return self.fixed_qdf(data, name)

    def encrypted(self, user, owner, name):
        qpdf("--encrypt", user, owner, "256", "--", self.base_path, self._path(name))
        return self._read(name)

    def linearized_cut(self, name):
        qpdf("--linearize", self.base_path, self._path(name))
        return self._read(name)[:-1024]

    def repeated(self, times, name):
        """The base's pages `times` over, in one PDF."""
        qpdf("--empty", "--pages", *([self.base_path] * times), "--", self._path(name))
        return self._read(name)

    def with_scan_page(self, name):
        with open(self._path("scan1.pdf"), "wb") as f:
            f.write(scan_page_pdf())
        qpdf("--empty", "--pages", self.base_path, self._path("scan1.pdf"), "--", self._path(name))
        return self._read(name)


# Deep nesting: arrays and dictionaries far beyond poppler's recursion limit (500).
DEPTH = 100000


def deep_pdf():
    deep_array = b"[" * DEPTH + b"]" * DEPTH
    deep_dict = b"<< /A " * DEPTH + b"1" + b" >>" * DEPTH
    content = deep_array + b" pop\n" + TEXT_OPS
    return one_page_pdf(content, page_extra=b" /Deep " + deep_array + b" /DeepDict " + deep_dict)


# A content stream that inflates to 256 MiB (white space, then one line of text).
BOMB_MIB = 256


def bomb_pdf():
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(z.compress(chunk) for _ in range(BOMB_MIB)) + z.compress(TEXT_OPS) + z.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        HELVETICA,
    ]
    return pdf_file(objs)


def zero_pages_pdf():
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def loop_pdf():
    """A page tree whose only kid is an intermediate node pointing back at the root."""
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>",
    ])


# ---------------------------------------------------------------- cases
class Case:
    """One bad input.  outcome: "refused" (exit 1, cause matches) or "converted"
    (exit 0, check(doc, base_doc) returns None or why not)."""

    def __init__(self, name, make, outcome, cause=None, check=None, args=(), note=""):
        self.name, self.make, self.outcome = name, make, outcome
        self.cause, self.check, self.args, self.note = cause, check, list(args), note


def warnings_on(doc, pattern):
    return [w for w in doc.get("warnings") or [] if re.search(pattern, w.get("message") or "")]


def same_content(doc, base_doc):
    """None when doc says what base_doc says (source aside)."""
    a = {k: v for k, v in doc.items() if k != "source"}
    b = {k: v for k, v in base_doc.items() if k != "source"}
    if a != b:
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        return "content differs from the unencrypted base in %s" % ", ".join(diff)
    if doc["source"]["pages"] != base_doc["source"]["pages"]:
        return "source.pages %s, the base has %s" % (doc["source"]["pages"], base_doc["source"]["pages"])
    return None


def text_was_read(doc, base_doc):
    if warnings_on(doc, "no text layer|could not be read"):
        return "warnings %s: the text after the hostile part was not read" % doc["warnings"]
    if doc["source"]["pages"] != 1:
        return "source.pages is %s, expected 1" % doc["source"]["pages"]
    return None


def cases(b):
    n = b.page_count
    unreadable = "could not be read"
    return [
        Case("empty", lambda: b"", "refused", r"empty|not a PDF"),
        Case("random", lambda: random_bytes(65536, 6), "refused", r"not a PDF"),
        Case("header-then-random", lambda: b"%PDF-1.7\n" + random_bytes(65536, 7), "refused",
             r"damaged|no pages|can be read"),
        Case("text", lambda: ("2024年部门预算\nThis is a text file, not a PDF.\n" * 40).encode(), "refused",
             r"not a PDF"),
        Case("html", lambda: b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
             b"<body><h1>Not Found</h1></body></html>\n", "refused", r"not a PDF"),
        Case("png", png_bytes, "refused", r"not a PDF"),
        Case("cut-at-30pct", lambda: b.base[:len(b.base) * 3 // 10], "refused", r"damaged"),
        # The base's trailer and /Root are in its last KiB: poppler's repair cannot save it.
        Case("cut-last-kib", lambda: b.base[:-1024], "refused", r"damaged"),
        # A linearized file keeps a first-page trailer at the start: poppler opens it,
        # the pages whose objects were cut off come out as warnings.
        Case("linearized-cut-last-kib", lambda: b.linearized_cut("lin.pdf"), "converted",
             check=lambda d, base: (None if warnings_on(d, unreadable) and d["source"]["pages"] == n()
                                    and len(warnings_on(d, unreadable)) < n()
                                    else "expected some, not all, pages to be 'could not be read': %s"
                                    % d["warnings"])),
        Case("user-password", lambda: b.encrypted("user-pw", "owner-pw", "user.pdf"), "refused",
             r"encrypted.*password"),
        Case("user-password-given", lambda: b.encrypted("user-pw", "owner-pw", "user.pdf"), "converted",
             check=same_content, args=["--password", "user-pw"]),
        Case("user-password-wrong", lambda: b.encrypted("user-pw", "owner-pw", "user.pdf"), "refused",
             r"encrypted.*password is wrong", args=["--password", "not-it"]),
        Case("owner-password-only", lambda: b.encrypted("", "owner-pw", "owner.pdf"), "converted",
             check=same_content),
        # one --password for several inputs: a file without a user password opens anyway
        Case("owner-password-only-other-password-given", lambda: b.encrypted("", "owner-pw", "owner.pdf"),
             "converted", check=same_content, args=["--password", "not-it"]),
        Case("zero-pages", zero_pages_pdf, "refused", r"no pages"),
        # /Count beyond the number of objects: poppler reports no pages at all.
        Case("page-count-lies-high", lambda: b.with_count(99999, "count-high"), "refused", r"no pages"),
        # /Count one above the real number: the missing page is a warning.
        Case("page-count-lies-by-one", lambda: b.with_count(n() + 1, "count-one"), "converted",
             check=lambda d, base: (None if [w.get("page") for w in warnings_on(d, unreadable)] == [n() + 1]
                                    and d["tables"] == base["tables"]
                                    else "expected the base's tables and one warning 'page %d could not be "
                                    "read', got warnings %s" % (n() + 1, d["warnings"]))),
        Case("page-tree-loop", loop_pdf, "refused", r"can be read.*page tree"),
        Case("deep-nesting", deep_pdf, "converted", check=text_was_read),
        Case("inflates-to-%d-mib" % BOMB_MIB, bomb_pdf, "converted", check=text_was_read),
        Case("scanned-page", lambda: b.with_scan_page("scan.pdf"), "converted",
             check=lambda d, base: (None if [w.get("page") for w in warnings_on(d, "no text layer")] == [n() + 1]
                                    and d["tables"] == base["tables"]
                                    else "expected the base's tables and one warning 'no text layer' on "
                                    "page %d, got %s" % (n() + 1, d["warnings"]))),
        Case("no-such-file", None, "refused", r"no such file"),
        Case("control-characters", control_chars_pdf, "converted", check=control_chars_dropped),
    ]


# ---------------------------------------------------------------- limits
# The base repeated this often makes the long document of the limit cases: 60
# times the base's pages, time and (less than proportionally) memory.
LONG_TIMES = 60


def measure(binary, pdf, out):
    """(seconds, peak resident MiB of the worker) of converting pdf, limits off;
    the peak is what the summary line reports (the worker's own, from wait4: a
    figure taken from outside would count the Python process that forked it)."""
    t0 = time.monotonic()
    r = Run([binary, "--progress", "--timeout", "0", "--max-memory", "0", "-o", out, pdf])
    secs = time.monotonic() - t0
    m = re.search(r"([0-9.]+) MiB peak per worker$", r.stderr.strip())
    if r.rc != 0 or not m:
        raise RuntimeError("cannot measure %s: %s\n%s" % (pdf, r.describe(), tail(r.stderr)))
    return secs, float(m.group(1))


def sanitized(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def limit_cases(b, binary, good):
    """Cases for --max-pages, --timeout and --max-memory, each set just above
    what good.pdf needs (measured here, so that the cases hold under the
    sanitizers too) and below what the long document needs (for memory: the
    document of large pages, big_pages_pdf)."""
    n = b.page_count()
    secs, peak = measure(binary, good, b._path("measure"))
    timeout = round(max(0.5, 4 * secs), 1)
    mib = max(16, int(1.5 * peak) + 1)
    long_pdf = lambda: b.repeated(LONG_TIMES, "long.pdf")
    return [
        Case("over-page-limit", lambda: b.repeated(3, "three.pdf"), "refused",
             r"%d pages exceed the page limit of %d" % (3 * n, n), args=["--max-pages", str(n)]),
        Case("over-time-limit", long_pdf, "refused",
             r"timed out after %g s, the time limit" % timeout, args=["--timeout", str(timeout)],
             note="good.pdf takes %.2f s" % secs),
        Case("over-memory-limit", lambda: big_pages_pdf(20), "refused",
             r"exceeded the memory limit of %d MiB per worker" % mib, args=["--max-memory", str(mib)],
             note="good.pdf peaks at %.1f MiB" % peak),
        # the limits off: the long document converts
        Case("limits-off", long_pdf, "converted",
             check=lambda d, base: (None if d["source"]["pages"] == LONG_TIMES * n else
                                    "source.pages %s, expected %d" % (d["source"]["pages"], LONG_TIMES * n)),
             args=["--timeout", "0", "--max-memory", "0", "--max-pages", "0"]),
    ]


def address_cap_case(binary, b):
    """--max-memory also caps a worker's address space (batch.h): read the
    running worker's /proc/PID/limits.  (name, reason or None, stderr)."""
    name = "memory limit backed by an address-space cap"
    if sanitized(binary):
        return name, "SKIP", "a sanitizer build: no address-space cap (its shadow memory needs terabytes)"
    if not os.path.isdir("/proc/self"):
        return name, "SKIP", "no /proc"
    mib = 200
    long_pdf = b._path("long.pdf")
    if not os.path.exists(long_pdf):
        b.repeated(LONG_TIMES, "long.pdf")
    p = subprocess.Popen([binary, "--max-memory", str(mib), "--timeout", "0", long_pdf],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cap, deadline = None, time.monotonic() + 20
    try:
        while cap is None and p.poll() is None and time.monotonic() < deadline:
            try:
                with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                    kids = f.read().split()
                for k in kids:
                    with open("/proc/%s/limits" % k) as f:
                        m = re.search(r"^Max address space\s+(\d+)", f.read(), re.M)
                    if m:
                        cap = int(m.group(1))
            except OSError:
                pass
            time.sleep(0.02)
    finally:
        p.kill()
        _, err = p.communicate()
    want = (2 * mib + 256) << 20
    if cap is None:
        return name, "could not read a worker's /proc/PID/limits while it ran", err.decode(errors="replace")
    why = None if cap == want else "worker's address-space cap is %d bytes, expected %d" % (cap, want)
    return name + " (%d MiB for --max-memory %d)" % (cap >> 20, mib), why, ""


def folder_named_pdf_case(binary, tmp, good, base_doc):
    """An empty folder named x.pdf among the inputs: it is walked for PDFs,
    finds none, and fails with that reason."""
    d = os.path.join(tmp, "folder-named-pdf")
    os.makedirs(os.path.join(d, "x.pdf"))
    out = os.path.join(d, "out")
    r = Run([binary, "-o", out, good, os.path.join(d, "x.pdf")])
    why = judge(r, "refused", "x.pdf", out, base_doc, r"folder")
    # alone and without -o: a usage error that says it is a folder
    r2 = Run([binary, os.path.join(d, "x.pdf")])
    if why is None and (r2.rc != 2 or "folder" not in r2.stderr):
        why = "budgetpdf x.pdf (a folder): %s, expected exit 2 naming the folder\n%s" % (r2.describe(),
                                                                                        tail(r2.stderr))
    return "folder named x.pdf", why, r.stderr


# ---------------------------------------------------------------- running
def listing(d):
    """The files in d but the batch report (budgetpdf-report.json; run_export.py tests it)."""
    return sorted(f for f in os.listdir(d) if f != "budgetpdf-report.json") if os.path.isdir(d) else []


def check_json(path, want=None):
    """None, or why the JSON file at path is not right."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return None, "%s: %s" % (os.path.basename(path), e)
    msgs = validate_schema.problems(doc) if isinstance(doc, dict) else ["not an object"]
    if msgs:
        return None, "%s: %s" % (os.path.basename(path), msgs[0])
    if want is not None and doc != want:
        return None, "%s differs from what `budgetpdf good.pdf` prints" % os.path.basename(path)
    return doc, None


def run_case(binary, tmp, case, good, base_doc, keep):
    """(name, reason or None, stderr)."""
    d = os.path.join(tmp, case.name)
    os.makedirs(d)
    bad = os.path.join(d, case.name + ".pdf")
    if case.make is not None:
        data = case.make()
        with open(bad, "wb") as f:
            f.write(data)
        if keep:
            shutil.copy(bad, keep)
    out = os.path.join(d, "out")
    r = Run([binary] + case.args + ["-o", out, good, bad])
    label = case.name + (" (%s)" % case.note if case.note else "")
    return label, judge(r, case.outcome, case.name + ".pdf", out, base_doc, case.cause,
                        case.check), r.stderr


def judge(r, outcome, bad_name, out, base_doc, cause=None, check=None):
    if r.san():
        return r.describe() + "; sanitizer report:\n" + r.san()
    stem = bad_name[:-4]
    got = listing(out)
    if outcome == "either":
        outcome = "converted" if r.rc == 0 else "refused"
    if outcome == "refused":
        if r.rc != 1:
            return r.describe() + ", expected exit 1\n" + tail(r.stderr)
        lines = [ln for ln in r.stderr.splitlines() if bad_name in ln]
        if not lines:
            return "stderr does not name %s:\n%s" % (bad_name, tail(r.stderr))
        if cause and not any(re.search(cause, ln, re.I) for ln in lines):
            return "stderr names %s but not the cause /%s/: %s" % (bad_name, cause, lines[0])
        if "good.pdf" in r.stderr:
            return "stderr complains about good.pdf:\n" + tail(r.stderr)
        if got != ["good.json"]:
            return "DIR holds %s, expected exactly ['good.json'] (a partial or temporary file left?)" % got
    else:
        if r.rc != 0:
            return r.describe() + ", expected exit 0\n" + tail(r.stderr)
        if got != sorted(["good.json", stem + ".json"]):
            return "DIR holds %s, expected good.json and %s.json" % (got, stem)
    _, why = check_json(os.path.join(out, "good.json"), base_doc)
    if why:
        return why
    if outcome == "converted":
        doc, why = check_json(os.path.join(out, stem + ".json"))
        if why:
            return why
        if check:
            return check(doc, base_doc)
    return None


def output_cases(binary, tmp, good, base_doc):
    """Output folders and files that cannot be written: (name, reason or None, stderr)."""
    results = []
    d = os.path.join(tmp, "output")
    os.makedirs(d)
    plain = os.path.join(d, "plain-file")
    with open(plain, "w") as f:
        f.write("a file, not a folder\n")

    # -o under a regular file: the folder cannot be made
    out = os.path.join(plain, "out")
    r = Run([binary, "-o", out, good])
    why = None
    if r.san():
        why = "sanitizer report:\n" + r.san()
    elif r.rc != 1:
        why = r.describe() + ", expected exit 1"
    elif out not in r.stderr or not re.search(r"cannot|not a directory|exists", r.stderr, re.I):
        why = "stderr does not name %s and why:\n%s" % (out, tail(r.stderr))
    results.append(("output folder under a regular file", why, r.stderr))

    # DIR/good.json is a folder: that output cannot be written, the others are
    out = os.path.join(d, "out-blocked")
    os.makedirs(os.path.join(out, "blocked.json"))
    blocked = os.path.join(d, "blocked.pdf")
    shutil.copy(good, blocked)
    r = Run([binary, "-o", out, good, blocked])
    why = None
    if r.san():
        why = "sanitizer report:\n" + r.san()
    elif r.rc != 1:
        why = r.describe() + ", expected exit 1"
    elif not re.search(r"blocked\.(pdf|json).*(cannot|directory)", r.stderr, re.I):
        why = "stderr does not name blocked.json and why:\n" + tail(r.stderr)
    elif listing(out) != ["blocked.json", "good.json"] or os.listdir(os.path.join(out, "blocked.json")):
        why = "DIR holds %s (a temporary file left?)" % listing(out)
    else:
        why = check_json(os.path.join(out, "good.json"), base_doc)[1]
    results.append(("output file that cannot be written (a folder in its place)", why, r.stderr))

    # an existing folder that cannot be written: read-only, or (root writes into
    # read-only folders) sysfs, where not even root may make a file
    name = "output folder that cannot be written"
    out = os.path.join(d, "out-ro")
    os.makedirs(out)
    if os.geteuid() == 0:
        out = "/sys" if os.path.isdir("/sys/kernel") else None
    else:
        os.chmod(out, 0o555)
    if out is None:
        results.append((name, "SKIP", "running as root, and no /sys to stand for a folder root cannot write"))
        return results
    try:
        r = Run([binary, "-o", out, good])
    finally:
        if out != "/sys":
            os.chmod(out, 0o755)
    why = None
    if r.san():
        why = "sanitizer report:\n" + r.san()
    elif r.rc != 1:
        why = r.describe() + ", expected exit 1"
    elif "good" not in r.stderr or not re.search(r"cannot|denied|not permitted|read-only", r.stderr, re.I):
        why = "stderr does not say which output and why:\n" + tail(r.stderr)
    elif out != "/sys" and listing(out):
        why = "DIR holds %s" % listing(out)
    results.append((name + (" (/sys, as root)" if out == "/sys" else ""), why, r.stderr))
    return results


def regress_cases(binary, tmp, good, base_doc, only):
    """Inputs that once crashed budgetpdf: (name, reason or None, stderr)."""
    rdir = os.path.join(HERE, "regress")
    names = sorted(f for f in os.listdir(rdir) if f.endswith(".pdf")) if os.path.isdir(rdir) else []
    out = []
    for n in names:
        if only and only not in n:
            continue
        d = os.path.join(tmp, "regress-" + n)
        os.makedirs(d)
        o = os.path.join(d, "out")
        r = Run([binary, "-o", o, good, os.path.join(rdir, n)])
        out.append(("regress/" + n, judge(r, "either", n, o, base_doc), r.stderr))
    return out


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description="budgetpdf bad-input tests")
    ap.add_argument("--bin", help="binary to test (default $BUDGETPDF or ./budgetpdf)")
    ap.add_argument("--only", help="only the cases whose name contains this")
    ap.add_argument("--keep", help="keep the generated inputs in this folder")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    VERBOSE = args.verbose
    rep = Report()
    binary = find_bin(args.bin)
    print("badinput: binary %s" % binary, flush=True)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        rep.ok("binary exists", False, "%s is not an executable file (run make first)" % binary)
        return rep.close()
    if not shutil.which("qpdf"):
        rep.ok("qpdf installed", False, "qpdf is needed to make the encrypted and rewritten inputs (make deps)")
        return rep.close()

    tmp = tempfile.mkdtemp(prefix="budgetpdf-badinput-")
    try:
        pdf_dir = os.path.join(ROOT, "fixtures", "pdf")
        # The base is the smallest whole disclosure: layout variants (NAME_layout.pdf,
        # one project's forms) are so small that their last KiB holds more than the
        # trailer, and the linearized-cut case needs a document whose cut leaves its
        # first-page trailer and pages intact.
        fixtures = sorted((os.path.join(pdf_dir, f) for f in os.listdir(pdf_dir)
                           if f.endswith(".pdf") and "_" not in f),
                          key=os.path.getsize) if os.path.isdir(pdf_dir) else []
        if fixtures:
            base = fixtures[0]
        else:  # no fixtures yet: a one-page PDF of our own
            base = os.path.join(tmp, "base.pdf")
            with open(base, "wb") as f:
                f.write(one_page_pdf(TEXT_OPS))
        print("badinput: base %s" % os.path.relpath(base, ROOT), flush=True)
        good = os.path.join(tmp, "good.pdf")
        shutil.copy(base, good)
        r = Run([binary, good])
        base_doc = None
        try:
            base_doc = json.loads(r.stdout) if r.rc == 0 and not r.san() else None
        except ValueError:
            pass
        if not rep.ok("base converts", base_doc is not None, r.describe() + "\n" + tail(r.stderr)):
            return rep.close()
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
        builder = Builder(base, work)
        todo = [c for c in cases(builder) + limit_cases(builder, binary, good)
                if not args.only or args.only in c.name]
        # the qpdf-made inputs share the work folder: make them one at a time
        for c in todo:
            if c.make is not None:
                data = c.make()
                c.make = (lambda d: lambda: d)(data)
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as ex:
            results = list(ex.map(lambda c: run_case(binary, tmp, c, good, base_doc, args.keep), todo))
        if not args.only or args.only in "output":
            results += output_cases(binary, tmp, good, base_doc)
        if not args.only or args.only in "folder named x.pdf":
            results.append(folder_named_pdf_case(binary, tmp, good, base_doc))
        if not args.only or args.only in "memory limit backed by an address-space cap":
            results.append(address_cap_case(binary, builder))
        results += regress_cases(binary, tmp, good, base_doc, args.only)
        for name, why, stderr in results:
            if why == "SKIP":
                rep.skip(name, stderr)
                continue
            said = " | ".join(ln for ln in stderr.splitlines() if ln.startswith("budgetpdf:"))
            rep.ok(name + (": " + said if said and not why else ""), why is None, why)
            if VERBOSE and stderr.strip():
                print("    stderr: " + stderr.strip().replace("\n", "\n            "))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
