#!/usr/bin/env python3
"""The review pages of the fixtures, opened in a real browser.

budgetpdf --review writes a page per fixture (and, with -o, the JSON to both
folders); headless Chromium (Debian's `chromium`) opens each at a phone's
width, driven over its DevTools protocol (a WebSocket client written here on
the standard library), and the test asserts:
  - every table of the JSON is in the DOM, cell by cell (amounts as numbers,
    text as printed), with its number and title;
  - every cell an identity of the JSON names is marked: "fail" when one of
    its identities fails, "hold" when all hold; no other cell is marked;
  - every image loaded, with a non-zero size, and has an alt text;
  - every table has th; no console error, no failed load, no exception;
  - no horizontal scroll at 390 px (wide tables scroll inside their box).
A scanned document is made at test time (fixtures/scan.py, as tests/run_ocr.py
makes its inputs): a text page of 004 kept, its 预算收入总表 page scanned badly
(120 dpi, JPEG quality 20, a seal: a few glyphs the OCR is unsure of; at 100 or
150 dpi the OCR takes blurred bands of print for rules, reads the cells across
the print, and the overlay check below fails, as it should) and its 预算支出总表
page scanned well and fed in sideways.  Its review page gets every check above
and these:
  - the pages read by OCR are named at the top and say so under their heading,
    with a skew in scan.py's range (1.5 to 2.2 degrees); the text page does not;
  - OCR'd text of low confidence is drawn: none on the text page, at least
    LOW_MARKS_MIN on the bad scan and more there than on the good one; each
    mark's confidence below the threshold, in its tooltip and in the page's list;
  - the overlay lands on the print of the picture: the rulings drawn, taken
    through the SVG's own transform (the skew the OCR undid) to pixels of the
    page's PNG, lie on ink, and so do the low-confidence marks.
A screenshot of each page (phone width, and a desktop width scrolled to the
first page with a table) is kept in build/review/shots/ to look at, and one
of the bad scan's page (build/review/shots/scanned-004-page-2.png).

Usage: run_review.py --bin ./budgetpdf [--out build/review] [--only NAME]
Ends with "N passed, M failed[, K skipped]".
"""
import argparse
import base64
import glob
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHONE_WIDTH = 390
SCANNED = "scanned-004"    # the scanned document's name
LOW_CONFIDENCE = 80        # normalize.h BPN_OCR_LOW_CONFIDENCE
LOW_MARKS_MIN = 1          # the bad scan: 1 glyph of 559 below 80 since its rules set it level
                           # to 0.01 degree (ocr.c rules_slant; 5 before); the good one: 0
SKEW_RANGE = (1.5 - 0.3, 2.2 + 0.3)  # scan.py's angles, as measured give or take
ON_INK_MIN = 0.9           # share of the overlay's sample points that must lie on ink


class WebSocket:
    """The client side of RFC 6455, text frames only: enough for DevTools."""

    def __init__(self, url, timeout=60):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.buf = head.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        n = len(data)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            op = b0 & 0x0F
            if op == 8:
                raise ConnectionError("DevTools closed the WebSocket")
            if op in (9, 10):  # ping, pong: nothing to do for a client that only asks
                continue
            message += data
            if b0 & 0x80:
                return message.decode()


class Browser:
    """One headless Chromium with one tab, spoken to over DevTools."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="budgetpdf-chromium-")
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--disable-sync",
             "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        deadline = time.time() + 60
        while time.time() < deadline and port is None:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
        if port is None:
            self.close()
            raise RuntimeError("chromium did not start its DevTools server")
        # keep reading stderr, so that chromium never blocks on a full pipe
        import threading
        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            tabs = [t for t in json.load(r) if t.get("type") == "page"]
        self.ws = WebSocket(tabs[0]["webSocketDebuggerUrl"])
        self.next_id = 0
        self.events = []

    def call(self, method, timeout=120, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def wait_event(self, method, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


# What the test reads off a loaded review page: every image once loaded
# (lazy ones made eager first), every table read, the marks, the width.
PROBE = r"""
(async () => {
  const imgs = [...document.images];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete && i.naturalWidth ? null :
    new Promise(ok => { i.addEventListener('load', ok, {once: true});
                        i.addEventListener('error', ok, {once: true});
                        setTimeout(ok, 20000); })));
  const text = el => el.textContent;
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    images: imgs.map(i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt'),
                            w: i.naturalWidth, h: i.naturalHeight, shown: i.getBoundingClientRect().width})),
    tables: [...document.querySelectorAll('table')].map(t => ({
      id: t.id, th: t.querySelectorAll('th').length, read: t.classList.contains('read'),
      index: t.dataset.table === undefined ? null : Number(t.dataset.table),
      heading: t.dataset.table === undefined ? null :
               text(document.getElementById('table-' + (Number(t.dataset.table) + 1))),
      head: [...t.tHead ? t.tHead.rows : []].map(r => [...r.cells].map(text)),
      rows: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => [text(c), c.className]))})),
    ocrPages: (document.getElementById('ocr-pages') || {}).textContent || null,
    pages: [...document.querySelectorAll('section.page')].map(s => {
      const img = s.querySelector('img'), ocr = s.querySelector('.ocr');
      const out = {id: s.id, heading: text(s.querySelector('h2')), ocr: !!ocr,
                   skew: ocr ? Number(ocr.dataset.skew) : null, low: ocr ? Number(ocr.dataset.low) : null,
                   listed: [...s.querySelectorAll('.ocr li')].map(text), rulings: [], marks: []};
      if (!img || !img.naturalWidth)
        return out;
      // SVG user units -> pixels of the PNG, through every transform on the way
      const r = img.getBoundingClientRect(), kx = img.naturalWidth / r.width, ky = img.naturalHeight / r.height;
      const px = (el, x, y) => { const p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM());
                                 return [(p.x - r.left) * kx, (p.y - r.top) * ky]; };
      out.src = img.getAttribute('src');
      for (const l of s.querySelectorAll('line.ruling')) {
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map(a => l[a].baseVal.value);
        out.rulings.push([0.1, 0.3, 0.5, 0.7, 0.9].map(t => px(l, x1 + t * (x2 - x1), y1 + t * (y2 - y1))));
      }
      for (const m of s.querySelectorAll('rect.lowconf')) {
        const [x, y, w, h] = ['x', 'y', 'width', 'height'].map(a => m[a].baseVal.value);
        out.marks.push({conf: Number(m.dataset.conf), title: text(m.querySelector('title') || m),
                        corners: [px(m, x, y), px(m, x + w, y), px(m, x, y + h), px(m, x + w, y + h)]});
      }
      return out;
    }),
    countTables: text(document.getElementById('count-tables')),
    countHold: text(document.getElementById('count-hold')),
    countFail: text(document.getElementById('count-fail')),
  };
})()
"""


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


def as_number(s):
    try:
        # as bpn_parse_amount reads it: separators and spaces (an OCR'd "2 0.30") out
        return float(re.sub(r"[\s,，]", "", s))
    except ValueError:
        return None


def expected_marks(doc):
    """(table index, row, col) -> 'fail' | 'hold', from the JSON's checks; a
    check names its table by number, so only numbers that name one table."""
    by_number = {}
    for i, t in enumerate(doc["tables"]):
        by_number.setdefault(t["number"], []).append(i)
    marks = {}
    for k in doc["checks"]:
        tables = by_number.get(k["table"], [])
        if k["table"] is None or len(tables) != 1:
            continue
        for r, c in k["cells"]:
            key = (tables[0], r, c)
            marks[key] = "fail" if not k["ok"] or marks.get(key) == "fail" else "hold"
    ambiguous = {i for n, ts in by_number.items() if n is None or len(ts) > 1 for i in ts}
    return marks, ambiguous


def check_page(t, name, doc, got, errors, review_dir):
    t.check(not errors, f"{name}: no console error, exception or failed load ({errors[:3]})")
    t.check(got["scrollWidth"] <= PHONE_WIDTH,
            f"{name}: no horizontal scroll at {PHONE_WIDTH} px (scrollWidth {got['scrollWidth']})")
    imgs = got["images"]
    t.check(len(imgs) == sum(1 for p in range(doc["source"]["pages"])) or doc["warnings"],
            f"{name}: one picture per page ({len(imgs)} for {doc['source']['pages']} pages)")
    bad = [i["src"] for i in imgs if not (i["w"] > 0 and i["h"] > 0 and i["shown"] > 0)]
    t.check(not bad, f"{name}: every image loaded with a non-zero size (not: {bad[:3]})")
    t.check(all(i["alt"] and i["alt"].strip() for i in imgs), f"{name}: every img has alt")
    t.check(all(tb["th"] > 0 for tb in got["tables"]), f"{name}: every table has th "
            f"(not: {[tb['id'] for tb in got['tables'] if tb['th'] == 0]})")
    read = [tb for tb in got["tables"] if tb["read"]]
    t.check(len(read) == len(doc["tables"]) and int(got["countTables"]) == len(doc["tables"]),
            f"{name}: {len(doc['tables'])} tables in the JSON, {len(read)} in the DOM")
    hold = sum(1 for k in doc["checks"] if k["ok"])
    t.check(got["countHold"].startswith(f"{hold} ") and got["countFail"].startswith(f"{len(doc['checks']) - hold} "),
            f"{name}: identities counted ({got['countHold']}, {got['countFail']} for {hold} of {len(doc['checks'])})")
    marks, ambiguous = expected_marks(doc)
    cell_errors, mark_errors = [], []
    for tb in read:
        jt = doc["tables"][tb["index"]]
        label = (f"表{jt['number']} " if jt["number"] else "") + (jt["title"] or "(untitled table)")
        if tb["heading"] != label:
            cell_errors.append(f"table {tb['index']}: heading {tb['heading']!r}, want {label!r}")
        if jt["header_rows"] and tb["head"] != [[c or "" for c in r] for r in jt["header_rows"]]:
            cell_errors.append(f"table {tb['index']}: header rows differ")
        if len(tb["rows"]) != len(jt["rows"]):
            cell_errors.append(f"table {tb['index']}: {len(tb['rows'])} rows, want {len(jt['rows'])}")
            continue
        for r, (drow, jrow) in enumerate(zip(tb["rows"], jt["rows"])):
            for c, ((text, cls), want) in enumerate(zip(drow, jrow)):
                if isinstance(want, (int, float)) and not isinstance(want, bool):
                    ok = as_number(text) is not None and abs(as_number(text) - want) < 1e-6
                else:
                    ok = text == (want or "")
                if not ok:
                    cell_errors.append(f"table {tb['index']} [{r},{c}]: {text!r}, want {want!r}")
                if tb["index"] in ambiguous:
                    continue
                mark = "fail" if "fail" in cls.split() else "hold" if "hold" in cls.split() else None
                if mark != marks.get((tb["index"], r, c)):
                    mark_errors.append(f"table {tb['index']} [{r},{c}]: {mark}, want {marks.get((tb['index'], r, c))}")
    t.check(not cell_errors, f"{name}: every table of the JSON in the DOM, cell by cell ({cell_errors[:3]})")
    t.check(not mark_errors, f"{name}: amounts marked by their identities ({mark_errors[:3]})")


def scanned_fixture(work):
    """The scanned document (see the docstring) made in work with run_ocr's scan
    helper, or (None, why not) when the scanner's tools are missing."""
    import run_ocr  # noqa: E402  (imported here: only this test needs it)
    missing = [c for c in ("pdftoppm", "pdftotext", "qpdf") if not shutil.which(c)]
    if subprocess.run([run_ocr.PYTHON, "-c", "import PIL"], capture_output=True).returncode != 0:
        missing.append("python3-pil")
    pdf004 = os.path.join(ROOT, "fixtures", "pdf", "004.pdf")
    if missing or not os.path.exists(pdf004):
        return None, "no " + (", ".join(missing) or pdf004)
    good, bad = os.path.join(work, "good.pdf"), os.path.join(work, "bad.pdf")
    out = os.path.join(work, SCANNED + ".pdf")
    run_ocr.scan(pdf004, good, "--pages", "3,7", "--keep", "3", "--sideways", "7", "--seed", "14")
    run_ocr.scan(pdf004, bad, "--pages", "6", "--seal", "6", "--dpi", "120", "--quality", "20", "--seed", "5")
    subprocess.run(["qpdf", "--empty", "--pages", good, "1", bad, "1", good, "2", "--", out], check=True)
    return out, None


class Ink:
    """Where a page picture has ink: pixels darker than its paper (the 90th
    percentile of its grey levels, a scan's tinted paper included) by 60."""

    def __init__(self, path):
        from PIL import Image
        with Image.open(path) as im:
            self.im = im.convert("L")
        hist = self.im.histogram()
        total, seen, paper = sum(hist), 0, 255
        for level in range(256):
            seen += hist[level]
            if seen >= 0.9 * total:
                paper = level
                break
        self.dark = paper - 60
        self.px = self.im.load()
        self.w, self.h = self.im.size

    def any(self, x0, y0, x1, y1):
        x0, y0 = max(0, int(x0)), max(0, int(y0))
        x1, y1 = min(self.w - 1, int(x1 + 1)), min(self.h - 1, int(y1 + 1))
        return any(self.px[x, y] < self.dark for y in range(y0, y1 + 1) for x in range(x0, x1 + 1))

    def near(self, x, y, reach=2):
        return self.any(x - reach, y - reach, x + reach, y + reach)


def check_overlay_on_ink(t, name, got, review_dir):
    """The rulings and low-confidence marks drawn over each picture, taken to
    its pixels through the SVG's transforms, lie on the print."""
    points = on = marks = marked = 0
    worst = []
    for p in got["pages"]:
        if not p.get("src") or not (p["rulings"] or p["marks"]):
            continue
        ink = Ink(os.path.join(review_dir, p["src"]))
        n = sum(len(r) for r in p["rulings"])
        k = sum(1 for r in p["rulings"] for x, y in r if ink.near(x, y))
        m = sum(1 for mk in p["marks"]
                if ink.any(min(c[0] for c in mk["corners"]), min(c[1] for c in mk["corners"]),
                           max(c[0] for c in mk["corners"]), max(c[1] for c in mk["corners"])))
        points, on, marks, marked = points + n, on + k, marks + len(p["marks"]), marked + m
        if k < ON_INK_MIN * n or m < ON_INK_MIN * len(p["marks"]):
            worst.append(f"{p['id']}: {k}/{n} ruling points, {m}/{len(p['marks'])} marks")
    if points or marks:
        t.check(not worst, f"{name}: the overlay lies on the print ({on}/{points} ruling points, "
                           f"{marked}/{marks} low-confidence marks on ink; not: {worst[:3]})")


def check_scanned(t, doc, got):
    """The OCR'd pages of the scanned document on its review page."""
    name = SCANNED
    ocr = doc["source"].get("ocr_pages")
    t.check(ocr == [2, 3], f"{name}: the scanned pages read by OCR (ocr_pages {ocr})")
    named = [int(x) for x in re.findall(r"\d+", got["ocrPages"] or "")]
    t.check(named == ocr, f"{name}: the pages read by OCR named at the top ({got['ocrPages']!r})")
    pages = {int(p["id"].split("-")[1]): p for p in got["pages"]}
    t.check(sorted(pages) == [1, 2, 3], f"{name}: a section per page ({sorted(pages)})")
    if sorted(pages) != [1, 2, 3]:
        return
    for n, p in pages.items():
        scanned = n in (ocr or [])
        t.check(p["ocr"] == scanned and ("read by OCR" in p["heading"]) == scanned,
                f"{name}: page {n} {'says' if scanned else 'does not say'} it was read by OCR "
                f"({p['heading']!r}, ocr note {p['ocr']})")
        if scanned:
            t.check(p["skew"] is not None and SKEW_RANGE[0] <= abs(p["skew"]) <= SKEW_RANGE[1],
                    f"{name}: page {n}'s skew {p['skew']} in scan.py's range {SKEW_RANGE}")
        marks = p["marks"]
        t.check(len(marks) == len(p["listed"]) == (p["low"] or 0),
                f"{name}: page {n}: as many low-confidence passages listed ({len(p['listed'])}) and "
                f"counted ({p['low']}) as drawn ({len(marks)})")
        bad = [m for m in marks if not (1 <= m["conf"] < LOW_CONFIDENCE and f"confidence {m['conf']} " in m["title"])]
        bad += [li for li in p["listed"] if not (re.search(r" (\d+)$", li) and int(li.split()[-1]) < LOW_CONFIDENCE)]
        t.check(not bad, f"{name}: page {n}: every mark below confidence {LOW_CONFIDENCE}, told in its tooltip "
                         f"and listed ({bad[:3]})")
    low = {n: len(p["marks"]) for n, p in pages.items()}
    t.check(low[1] == 0, f"{name}: no low-confidence mark on the text page ({low[1]})")
    t.check(low[2] >= LOW_MARKS_MIN and low[2] > low[3],
            f"{name}: low-confidence marks on the bad scan ({low[2]}, at least {LOW_MARKS_MIN}) "
            f"and fewer on the good one ({low[3]})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "budgetpdf"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "review"))
    ap.add_argument("--only")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = ap.parse_args()
    # "budgetpdf" as make passes it is the file here, not a command on PATH
    args.bin = os.path.abspath(args.bin) if os.path.exists(args.bin) else shutil.which(args.bin) or args.bin
    t = Tally()
    pdfs = sorted(glob.glob(os.path.join(ROOT, "fixtures", "pdf", "*.pdf")))
    if args.only:
        pdfs = [p for p in pdfs if os.path.basename(p)[:-4] == args.only]
    if not pdfs and args.only != SCANNED:
        print("SKIP review: no fixtures/pdf/*.pdf")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    review, out, shots, scans = (os.path.join(args.out, d) for d in ("pages", "json", "shots", "scans"))
    for d in (review, out, shots, scans):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(shots)
    os.makedirs(scans)
    if not args.only or args.only == SCANNED:
        scanned, why = scanned_fixture(scans)
        if scanned:
            pdfs = [p for p in pdfs if not args.only] + [scanned]
        else:
            t.skipped += 1
            print(f"SKIP {SCANNED}: {why}")
    if not pdfs:
        print(f"{t.passed} passed, {t.failed} failed, {t.skipped} skipped")
        return 0
    r = subprocess.run([args.bin, "-q", "-o", out, "--review", review, *pdfs], capture_output=True, text=True)
    if not t.check(r.returncode == 0, f"budgetpdf --review exits 0 ({r.returncode}: {r.stderr.strip()[:300]})"):
        print(f"{t.passed} passed, {t.failed} failed")
        return 1
    names = [os.path.basename(p)[:-4] for p in pdfs]
    for n in names:
        files = [os.path.join(review, n + ".html"), os.path.join(review, n + ".json"), os.path.join(out, n + ".json")]
        if t.check(all(os.path.exists(f) for f in files), f"{n}: review page, its JSON and the -o JSON written"):
            with open(files[1], "rb") as a, open(files[2], "rb") as b:
                t.check(a.read() == b.read(), f"{n}: the JSON beside the review page is the -o JSON")
        with open(files[0], encoding="utf-8") as f:
            html = f.read()
        external = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']*""", html) + re.findall(r"<script|@import|url\(", html)
        t.check(not external, f"{n}: nothing loaded from outside ({external[:2]})")
    # --review alone: the JSON beside the page, nothing on stdout
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([args.bin, "--review", tmp, pdfs[0]], capture_output=True, text=True)
        n = names[0]
        t.check(r.returncode == 0 and r.stdout == "" and os.path.exists(os.path.join(tmp, n + ".json"))
                and os.path.isdir(os.path.join(tmp, n + ".pages")),
                f"--review alone: {n}.json, .html and .pages/ in the folder, no stdout (exit {r.returncode})")

    browser = Browser(args.chromium)
    try:
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.call("Log.enable")
        for n in names:
            with open(os.path.join(review, n + ".json"), encoding="utf-8") as f:
                doc = json.load(f)
            browser.call("Emulation.setDeviceMetricsOverride", width=PHONE_WIDTH, height=844,
                         deviceScaleFactor=1, mobile=True)
            browser.events.clear()
            url = "file://" + os.path.abspath(os.path.join(review, n + ".html"))
            browser.call("Page.navigate", url=url)
            browser.wait_event("Page.loadEventFired")
            got = browser.evaluate(PROBE)
            browser.call("Runtime.evaluate", expression="0")  # drain the events raised so far
            errors = []
            for e in browser.events:
                p = e.get("params", {})
                if e["method"] == "Runtime.exceptionThrown":
                    errors.append(p["exceptionDetails"].get("text"))
                elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                    errors.append("console." + p["type"])
                elif e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                    errors.append(p["entry"].get("text"))
            check_page(t, n, doc, got, errors, review)
            check_overlay_on_ink(t, n, got, review)
            if n == SCANNED:
                check_scanned(t, doc, got)
            browser.evaluate("window.scrollTo(0, 0)")
            shot = browser.call("Page.captureScreenshot", format="png")
            with open(os.path.join(shots, n + "-phone.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            # at a desktop's width, the first page with a table: picture and table side by side
            browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
            first = min((t_["pages"][0] for t_ in doc["tables"] if t_["pages"]), default=1)
            browser.evaluate(f"document.getElementById('page-{first}').scrollIntoView()")
            shot = browser.call("Page.captureScreenshot", format="png")
            with open(os.path.join(shots, n + "-wide.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            if n == SCANNED:  # the bad scan with its marks, picture and table side by side
                browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=1100, deviceScaleFactor=1,
                             mobile=False)
                browser.evaluate("document.querySelector('#page-2 details').open = true;"
                                 "document.getElementById('page-2').scrollIntoView()")
                shot = browser.call("Page.captureScreenshot", format="png")
                with open(os.path.join(shots, n + "-page-2.png"), "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
    finally:
        browser.close()
    print(f"screenshots: {os.path.relpath(shots, ROOT)}/")
    print(f"{t.passed} passed, {t.failed} failed" + (f", {t.skipped} skipped" if t.skipped else ""))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
