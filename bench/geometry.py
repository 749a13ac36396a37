#!/usr/bin/env python3
"""Page-geometry variants of a PDF: the same printed pages, stored another way.

The same page can be stored in a PDF in several ways a reader never notices
but that change the coordinates poppler hands budgetpdf.  For an input PDF
this writes, into OUTDIR, one PDF per variant whose pages display as the
original's do (or, for the sideways variants, as the original turned):

  origin     every page's MediaBox moved (its lower left corner at 150 -300
             past the original's), the content moved with it by a `cm` that
             wraps the page's content;
  crop       a CropBox the size of the original page inside a MediaBox 100 pt
             larger on every side, with stray rules and text in the margin
             outside the CropBox (a reader never sees them);
  rotate90,  /Rotate raised by 90 (180, 270) with the content counter-rotated:
  rotate180, the displayed page is the original one (how producers store
  rotate270  landscape tables);
  combined   rotate90, its MediaBox moved as in origin and a CropBox inside
             it with stray marks as in crop;
  sideways90, the content turned 90 degrees counter-clockwise (clockwise) on a
  sideways270 page without the /Rotate that would show it upright: the page
             displays sideways, as a landscape table printed across a
             portrait sheet does;
  locked270  sideways270 encrypted with an owner password only (AES-256): it
             opens without a password, but budgetpdf cannot rewrite it to
             read its pages upright (extract.c read_upright) and reads them
             turned.

Made with qpdf alone (python3 standard library, the qpdf CLI): the page
dictionaries are changed and new content streams put before and after the
page's own through `qpdf --update-from-json`, so the original streams are
never decoded.  --check renders every page of each variant with pdftoppm (-r
40, greyscale) and compares it with the original's (sideways variants turned
back): the largest share of pixels that differ by more than 64 is printed.

    python3 bench/geometry.py [--variants a,b] [--check] OUTDIR FILE.pdf...

Outputs OUTDIR/<variant>/<same relative name>.pdf (the name of FILE without
its folders, or, with --root DIR, its path under DIR).
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile

VARIANTS = ["origin", "crop", "rotate90", "rotate180", "rotate270", "combined", "sideways90", "sideways270",
            "locked270"]
ORIGIN_SHIFT = (150.0, -300.0)
CROP_MARGIN = 100.0
STRAY_FONT = "/BudgetpdfGeomStray"


def qpdf_json(path):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf",
                          "--json-stream-data=none", path],
                         check=False, capture_output=True)
    if out.returncode not in (0, 3):  # 3: warnings
        raise RuntimeError("qpdf --json failed on %s: %s" % (path, out.stderr.decode(errors="replace")))
    # names may hold bytes that are not UTF-8 (qpdf writes them as they are): kept as they are
    return json.loads(out.stdout.decode("utf-8", "surrogateescape"))


class Objects:
    def __init__(self, doc):
        self.meta = doc["qpdf"][0]
        self.objs = doc["qpdf"][1]
        self.next_id = int(self.meta["maxobjectid"]) + 1
        self.update = {}

    def get(self, ref):
        """The value of ref (an indirect reference "N G R"), or ref itself."""
        seen = 0
        while isinstance(ref, str) and ref.endswith(" R") and seen < 32:
            o = self.objs.get("obj:" + ref)
            if o is None:
                return None
            ref = o["value"] if "value" in o else o.get("stream", {}).get("dict")
            seen += 1
        return ref

    def new_stream(self, data):
        ref = "%d 0 R" % self.next_id
        self.next_id += 1
        self.update["obj:" + ref] = {"stream": {"dict": {}, "data": base64.b64encode(data).decode()}}
        return ref

    def new_object(self, value):
        ref = "%d 0 R" % self.next_id
        self.next_id += 1
        self.update["obj:" + ref] = {"value": value}
        return ref


def inherited(objs, page, key):
    node, depth = page, 0
    while isinstance(node, dict) and depth < 64:
        if key in node:
            return objs.get(node[key])
        node = objs.get(node.get("/Parent"))
        depth += 1
    return None


def num(v):
    return float(v) if isinstance(v, (int, float)) else 0.0


def fmt(x):
    s = ("%.4f" % x).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def box_of(objs, page):
    media = inherited(objs, page, "/MediaBox") or [0, 0, 612, 792]
    media = [num(objs.get(v)) for v in media]
    crop = inherited(objs, page, "/CropBox")
    box = [num(objs.get(v)) for v in crop] if isinstance(crop, list) and len(crop) == 4 else media
    # the displayed box: the crop box within the media box
    x0, y0 = max(min(box[0], box[2]), min(media[0], media[2])), max(min(box[1], box[3]), min(media[1], media[3]))
    x1, y1 = min(max(box[0], box[2]), max(media[0], media[2])), min(max(box[1], box[3]), max(media[1], media[3]))
    return x0, y0, x1, y1


def contents_list(objs, page):
    c = page.get("/Contents")
    if isinstance(c, str):
        v = objs.get(c)
        if isinstance(v, list):  # an indirect array
            return list(v)
        return [c]
    if isinstance(c, list):
        return list(c)
    return []


def stray_marks(box):
    """Rules and text in the margin outside box (drawn in default user space)."""
    x0, y0, x1, y1 = box
    m = CROP_MARGIN
    ops = ["q 0 0 0 RG 1 w"]
    # a frame of rules 30 pt outside the box, and a rule across the bottom margin
    ops.append("%s %s %s %s re S" % (fmt(x0 - 30), fmt(y0 - 30), fmt(x1 - x0 + 60), fmt(y1 - y0 + 60)))
    ops.append("%s %s m %s %s l S" % (fmt(x0 - m + 10), fmt(y0 - 60), fmt(x1 + m - 10), fmt(y0 - 60)))
    ops.append("%s %s m %s %s l S" % (fmt(x1 + 60), fmt(y0 - m + 10), fmt(x1 + 60), fmt(y1 + m - 10)))
    ops.append("0 0 0 rg BT %s 10 Tf" % STRAY_FONT)
    for (tx, ty, s) in ((x0 + 20, y1 + 40, "STRAY 9999.99 8888.88 7777.77"),
                        (x0 + 20, y0 - 50, "合计 1234.56"),
                        (x1 + 10, (y0 + y1) / 2, "5555.55")):
        ops.append("1 0 0 1 %s %s Tm (%s) Tj" % (fmt(tx), fmt(ty), s.encode("ascii", "replace").decode()))
    ops.append("ET Q")
    return "\n".join(ops) + "\n"


# How each variant turns the content (counter-clockwise, clockwise, half a
# turn, in degrees) and what it adds to the page's /Rotate to show it upright.
TURNS = {"rotate90": (90, 90), "rotate180": (180, 180), "rotate270": (270, 270),
         "sideways90": (90, 0), "sideways270": (270, 0), "combined": (90, 90)}


def turn_matrix(turn, box):
    """The cm that turns content in box counter-clockwise by turn degrees into
    a box with its lower left corner at 0 0; and that box's size."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if turn == 90:    # (x, y) -> (h - (y - y0), x - x0)
        return (0, 1, -1, 0, h + y0, -x0), (h, w)
    if turn == 180:   # (x, y) -> (w - (x - x0), h - (y - y0))
        return (-1, 0, 0, -1, w + x0, h + y0), (w, h)
    if turn == 270:   # (x, y) -> (y - y0, w - (x - x0))
        return (0, -1, 1, 0, -y0, w + x0), (h, w)
    return (1, 0, 0, 1, -x0, -y0), (w, h)


def with_stray_font(objs, page, new):
    res = inherited(objs, page, "/Resources")
    res = dict(res) if isinstance(res, dict) else {}
    fonts = objs.get(res.get("/Font"))
    fonts = dict(fonts) if isinstance(fonts, dict) else {}
    fonts[STRAY_FONT] = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"}
    res["/Font"] = fonts
    new["/Resources"] = res


def page_update(objs, ref, page, variant):
    box = box_of(objs, page)
    x0, y0, x1, y1 = box
    rot = inherited(objs, page, "/Rotate")
    rot = int(num(rot)) % 360 if rot is not None else 0
    new = dict(page)
    for k in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox", "/Rotate"):
        new.pop(k, None)
    new["/Rotate"] = rot
    m = CROP_MARGIN
    if variant == "origin":
        tx, ty = ORIGIN_SHIFT
        pre = "q 1 0 0 1 %s %s cm\n" % (fmt(tx), fmt(ty))
        post = "\nQ\n"
        new["/MediaBox"] = [x0 + tx, y0 + ty, x1 + tx, y1 + ty]
    elif variant == "crop":
        new["/MediaBox"] = [x0 - m, y0 - m, x1 + m, y1 + m]
        new["/CropBox"] = [x0, y0, x1, y1]
        pre = "q\n"
        post = "\nQ\n" + stray_marks(box)
        with_stray_font(objs, page, new)
    else:
        turn, shown = TURNS[variant]
        cm, (w, h) = turn_matrix(turn, box)
        pre = "q %s cm\n" % " ".join(fmt(v) for v in cm)
        post = "\nQ\n"
        new["/MediaBox"] = [0, 0, w, h]
        # displayed turned clockwise by as much again: the counter-turned content upright
        new["/Rotate"] = (rot + shown) % 360
        if variant == "combined":  # and moved, cropped, stray marks around
            tx, ty = ORIGIN_SHIFT
            pre = "q 1 0 0 1 %s %s cm\n" % (fmt(tx), fmt(ty)) + pre
            post = post + "Q\n" + stray_marks((tx, ty, tx + w, ty + h))
            new["/MediaBox"] = [tx - m, ty - m, tx + w + m, ty + h + m]
            new["/CropBox"] = [tx, ty, tx + w, ty + h]
            with_stray_font(objs, page, new)
    # resources inherited from the page tree stay reachable: /Resources copied on the page
    if "/Resources" not in new:
        res = inherited(objs, page, "/Resources")
        if res is not None:
            new["/Resources"] = res
    new["/Contents"] = ([objs.new_stream(pre.encode())] + contents_list(objs, page)
                        + [objs.new_stream(post.encode())])
    objs.update["obj:" + ref] = {"value": new}


def make_variant(src, dst, variant):
    if variant == "locked270":  # sideways270, then encrypted (an owner password only)
        make_variant(src, dst + ".tmp", "sideways270")
        try:
            out = subprocess.run(["qpdf", "--encrypt", "", "budgetpdf-owner", "256", "--", dst + ".tmp", dst],
                                 capture_output=True)
            if out.returncode not in (0, 3) or not os.path.exists(dst):
                raise RuntimeError("qpdf --encrypt failed on %s: %s" % (src, out.stderr.decode(errors="replace")))
        finally:
            os.unlink(dst + ".tmp")
        return
    doc = qpdf_json(src)
    objs = Objects(doc)
    for p in doc["pages"]:
        ref = p["object"]
        page = objs.get(ref)
        if isinstance(page, dict):
            page_update(objs, ref, page, variant)
    meta = dict(objs.meta)
    meta["maxobjectid"] = objs.next_id - 1
    upd = {"qpdf": [meta, objs.update]}
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
        f.write(json.dumps(upd, ensure_ascii=False).encode("utf-8", "surrogateescape"))
        name = f.name
    try:
        os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
        out = subprocess.run(["qpdf", src, dst, "--update-from-json=" + name, "--decrypt"],
                             capture_output=True)
        if out.returncode not in (0, 3) or not os.path.exists(dst):
            raise RuntimeError("qpdf --update-from-json failed on %s: %s"
                               % (src, out.stderr.decode(errors="replace")))
    finally:
        os.unlink(name)


# ---------------------------------------------------------------- checking

def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    pos += 1
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[pos:pos + w * h]


def render(pdf, page, outdir):
    base = os.path.join(outdir, "p")
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-cropbox", "-f", str(page), "-l", str(page), "-singlefile", pdf, base],
                   check=True, capture_output=True)
    return read_pgm(base + ".pgm")


def turned(img, clockwise):
    w, h, px = img
    out = bytearray(w * h)
    for y in range(h):
        row = px[y * w:(y + 1) * w]
        for x in range(w):
            # clockwise: (x, y) -> (h - 1 - y, x) in a w' = h wide picture
            if clockwise:
                out[x * h + (h - 1 - y)] = row[x]
            else:
                out[(w - 1 - x) * h + y] = row[x]
    return h, w, bytes(out)


def differ(a, b, level=64):
    """Share of pixels differing by more than level (64), at the best shift of b by up
    to a pixel either way (a turned rendering may land a pixel off)."""
    wa, ha, pa = a
    wb, hb, pb = b
    if abs(wa - wb) > 1 or abs(ha - hb) > 1:
        return 1.0
    w, h = min(wa, wb) - 2, min(ha, hb) - 2
    best = w * h
    for sx in (-1, 0, 1):
        for sy in (-1, 0, 1):
            bad = 0
            for y in range(1, h):
                ra = pa[y * wa + 1:y * wa + 1 + w]
                rb = pb[(y + sy) * wb + 1 + sx:(y + sy) * wb + 1 + sx + w]
                if ra != rb:
                    bad += sum(1 for i in range(w) if abs(ra[i] - rb[i]) > level)
                    if bad >= best:
                        break  # no better than a shift already tried
            best = min(best, bad)
    return best / float(w * h)


def n_pages(pdf):
    out = subprocess.run(["qpdf", "--show-npages", pdf], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def check(src, dst, variant, max_pages=4):
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        for page in range(1, min(n_pages(src), max_pages) + 1):
            a = render(src, page, d)
            b = render(dst, page, d)
            if variant == "sideways90":  # content turned counter-clockwise: turn the picture back
                b = turned(b, True)
            elif variant in ("sideways270", "locked270"):
                b = turned(b, False)
            worst = max(worst, differ(a, b))
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("pdfs", nargs="+")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--root", help="name outputs by their path under this folder")
    ap.add_argument("--check", action="store_true", help="compare renderings (first 4 pages) with the original")
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in VARIANTS:
            ap.error("unknown variant %s (known: %s)" % (v, ", ".join(VARIANTS)))
    failed = 0
    for src in args.pdfs:
        rel = os.path.relpath(src, args.root) if args.root else os.path.basename(src)
        for v in variants:
            dst = os.path.join(args.outdir, v, rel)
            try:
                make_variant(src, dst, v)
            except (RuntimeError, ValueError, KeyError) as e:
                print("%s %s: %s" % (v, rel, e), file=sys.stderr)
                failed += 1
                continue
            if args.check:
                print("%-12s %-50s worst page differs in %.4f of its pixels" % (v, rel, check(src, dst, v)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
