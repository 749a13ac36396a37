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
A screenshot of each page (phone width, and a desktop width scrolled to the
first page with a table) is kept in build/review/shots/ to look at.

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
        return float(s.replace(",", "").replace("，", "").strip())
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
    if not pdfs:
        print("SKIP review: no fixtures/pdf/*.pdf")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    review, out, shots = (os.path.join(args.out, d) for d in ("pages", "json", "shots"))
    for d in (review, out, shots):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(shots)
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
    finally:
        browser.close()
    print(f"screenshots: {os.path.relpath(shots, ROOT)}/")
    print(f"{t.passed} passed, {t.failed} failed")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
