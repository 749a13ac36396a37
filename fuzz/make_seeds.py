#!/usr/bin/python3
"""Writes the fuzz seeds that are not fixtures into OUT/pdf and OUT/layout.

usage: make_seeds.py OUT

OUT/pdf: single pages of each fixture (qpdf), small PDFs made here (Latin and CJK text, a ruled table, a rotated page, a
watermark, a scan-like image page, a page tree with an intermediate node), the same
rewritten by qpdf (object streams, linearized, encrypted with an owner password only),
and the small bad inputs of tests/run_badinput.py.  fixtures/pdf is read in place.

OUT/layout: page layouts for fuzz_normalize in its byte format (fuzz_normalize.c):
a ruled budget table with merged header cells, a watermark and page furniture.
Stdlib and qpdf only; a missing qpdf only leaves its variants out.
"""
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
import run_badinput as rb  # noqa: E402


# ---------------------------------------------------------------- PDFs
def utf16_hex(s):
    return b"<" + s.encode("utf-16-be").hex().upper().encode() + b">"


CJK_FONT = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
            b" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
            b" /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
            b" /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700"
            b" /StemV 80 >> /DW 1000 >>] >>")


def cjk_text(x, y, size, s):
    return b"BT /F2 %d Tf %g %g Td %s Tj ET\n" % (size, x, y, utf16_hex(s))


def latin_text(x, y, size, s):
    return b"BT /F1 %d Tf %g %g Td (%s) Tj ET\n" % (size, x, y, s.encode("latin-1"))


def table_ops(x0, y0, widths, heights, cells):
    """A ruled grid (PDF coordinates, y up, y0 the top) and its cell texts."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [y0]
    for h in heights:
        ys.append(ys[-1] - h)
    ops = b"0.75 w\n"
    for y in ys:
        ops += b"%g %g m %g %g l S\n" % (xs[0], y, xs[-1], y)
    for x in xs:
        ops += b"%g %g m %g %g l S\n" % (x, ys[0], x, ys[-1])
    for (r, c), s in cells.items():
        if any(ord(ch) > 0x7F for ch in s):
            ops += cjk_text(xs[c] + 3, ys[r + 1] + 5, 9, s)
        else:
            ops += latin_text(xs[c] + 3, ys[r + 1] + 5, 9, s)
    return ops


def budget_page():
    ops = cjk_text(200, 780, 16, "2024年部门预算")
    ops += cjk_text(60, 750, 12, "表一") + cjk_text(120, 750, 12, "收支总表")
    ops += cjk_text(60, 730, 9, "单位名称：某某局") + cjk_text(470, 730, 9, "单位：万元")
    cells = {(0, 0): "收入", (0, 2): "支出", (1, 0): "项目", (1, 1): "预算数", (1, 2): "项目", (1, 3): "预算数",
             (2, 0): "一、一般公共预算", (2, 1): "1,426.43", (2, 2): "一、一般公共服务支出", (2, 3): "1.95",
             (3, 0): "收入总计", (3, 1): "1,426.43", (3, 2): "支出总计", (3, 3): "1,426.43"}
    ops += table_ops(60, 720, [140, 100, 140, 100], [18, 18, 18, 18], cells)
    ops += latin_text(290, 40, 9, "- 1 -")
    return ops


def pdf_pages(contents, rotate=0, watermark=False):
    """Pages under an intermediate /Pages node, Latin and CJK fonts, an /Info."""
    n = len(contents)
    first = 6  # object number of the first page
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % n,
        b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (first + 2 * i) for i in range(n)), n),
        rb.HELVETICA,
        CJK_FONT,
    ]
    for c in contents:
        if watermark:
            c += (b"q 0.8 g BT /F2 40 Tf 0.8 0.6 -0.6 0.8 150 300 Tm %s Tj ET Q\n" % utf16_hex("内部资料"))
        objs.append(b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents %d 0 R"
                    b" /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> >>" % (rotate, len(objs) + 2))
        objs.append(rb.stream(c, flate=True))
    objs.append(b"<< /Producer (make_seeds.py) /Title (seed) >>")
    data = rb.pdf_file(objs)
    # the /Info entry in the trailer
    return data.replace(b"/Root 1 0 R", b"/Root 1 0 R /Info %d 0 R" % len(objs), 1)


def pdf_seeds():
    text = latin_text(72, 760, 14, "Total 1,234.56") + latin_text(72, 740, 10, "Budget 2024 (page 1)")
    return {
        "latin.pdf": rb.one_page_pdf(text),
        "cjk-table.pdf": pdf_pages([budget_page()]),
        "rotated.pdf": pdf_pages([budget_page()], rotate=90),
        "watermark-2pages.pdf": pdf_pages([budget_page(), cjk_text(60, 780, 12, "一、部门职责") + cjk_text(
            60, 760, 10, "收入总计1426.43万元，基本支出9964.07万元")], watermark=True),
        "scan.pdf": rb.scan_page_pdf(),
        "zero-pages.pdf": rb.zero_pages_pdf(),
        "page-tree-loop.pdf": rb.loop_pdf(),
        "html.pdf": b"<!DOCTYPE html><html><body>404</body></html>\n",
        "header-only.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    }


def fixture_pages(out):
    """Single pages of each fixture: fixtures run to 8-124 pages, which makes
    each execution take seconds; a page of one executes ten times faster."""
    pdf_dir = os.path.join(os.path.dirname(HERE), "fixtures", "pdf")
    names = sorted(f for f in os.listdir(pdf_dir) if f.endswith(".pdf")) if os.path.isdir(pdf_dir) else []
    for f in names:
        src = os.path.join(pdf_dir, f)
        try:
            n = int(subprocess.run(["qpdf", "--show-npages", src], capture_output=True, text=True).stdout)
        except ValueError:
            continue
        for p in sorted({1, 2, 3, n // 2, n} & set(range(1, n + 1))):
            try:
                rb.qpdf("--empty", "--pages", src, str(p), "--", os.path.join(out, "%s-p%d.pdf" % (f[:-4], p)))
            except RuntimeError as e:
                print("make_seeds: %s" % e, file=sys.stderr)


def qpdf_variants(out):
    if not shutil.which("qpdf"):
        return
    fixture_pages(out)
    src = os.path.join(out, "cjk-table.pdf")
    for name, args in (("cjk-table-objstm.pdf", ["--object-streams=generate"]),
                       ("cjk-table-linearized.pdf", ["--linearize"]),
                       ("cjk-table-owner-pw.pdf", ["--encrypt", "", "owner", "256", "--"])):
        try:
            rb.qpdf(*args, src, os.path.join(out, name))
        except RuntimeError as e:
            print("make_seeds: %s" % e, file=sys.stderr)


# ---------------------------------------------------------------- layouts (fuzz_normalize.c)
def coord(v):
    return struct.pack(">H", max(0, min(0xFFFF, round((v + 64) * 64))))


def fs(v):
    return bytes([max(0, min(255, round(v * 8)))])


def text(page, x, y, size, s):
    b = s.encode()
    return bytes([0, page]) + coord(x) + coord(y) + fs(size) + bytes([len(b)]) + b


def hline(page, x0, x1, y):
    return bytes([4, page]) + coord(x0) + coord(x1) + coord(y)


def vline(page, x, y0, y1):
    return bytes([5, page]) + coord(x) + coord(y0) + coord(y1)


def grid(page, x, y, widths, heights, drop=0):
    return (bytes([6, page]) + coord(x) + coord(y) + bytes([len(widths) - 1, len(heights) - 1])
            + bytes(w - 4 for w in widths) + bytes(int((h - 4) * 4) for h in heights) + struct.pack(">H", drop))


def cell(row, col, s, align=0):
    b = s.encode()
    return bytes([7, row, col, align, len(b)]) + b


def diag(page, x, y, size, index):
    return bytes([9, page]) + coord(x) + coord(y) + fs(size) + bytes([index])


def form_rows(page, xs, y0, rows, size=7.0, row_h=20.0):
    """Ruled rows as tests/unit/test_forms.c draws them: None or "" an empty cell,
    "<" merged with its left neighbour, "^" with the cell above, "a|b" two lines."""
    out = b""
    for r, row in enumerate(rows):
        y = y0 + r * row_h
        for c, t in enumerate(row):
            if t != "^":
                out += hline(page, xs[c], xs[c + 1], y)
            if t != "<":
                out += vline(page, xs[c], y, y + row_h)
            if t and t not in ("^", "<"):
                for i, line in enumerate(t.split("|")):
                    out += text(page, xs[c] + 2, y + 2 + i * (size + 2), size, line)
        out += vline(page, xs[len(row)], y, y + row_h)
    return out + hline(page, xs[0], xs[len(rows[0])], y0 + len(rows) * row_h)


FORM_XS = [30, 75, 130, 190, 290, 345, 405, 500, 570]
FORM = [
    ["项目名称", "<", "急救车司机工资", "<", "<", "<", "<", "<"],
    ["主管部门及代码", "<", "063-某某委员会", "<", "实施单位", "某某急救中心", "<", "<"],
    ["项目属性", "<", "一次性项目", "<", "项目期", "1年", "<", "<"],
    ["项目资金|（元）", "实施期资金总额：", "<", "115,000", "年度资金总额：", "<", "115,000", "<"],
    ["^", "其中：中央财政资金", "<", "0", "其中：中央财政资金", "<", "0", "<"],
    ["^", "单位自筹", "<", "0", "单位自筹", "<", "0", "<"],
    ["项目概况", "<", "为司机发放工资", "<", "<", "<", "<", "<"],
    ["总体目标", "实施期目标", "<", "<", "<", "年度目标", "<", "<"],
    ["^", "按时发放工资", "<", "<", "<", "全年按时发放", "<", "<"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
    ["^", "产出指标", "数量指标", "工资发放人数", "16人", "数量指标", "工资发放人数", "16人"],
    ["^", "^", "质量指标", "平均住院日", "较上年降低", "质量指标", "平均住", "较上年降低"],
    ["^", "效益指标", "经济效益", "", "", "经济效益", "", ""],
    ["^", "^", "^", "司机满意度", "100%", "^", "司机满意度", "100%"],
    ["负责人：", "", "经办人：", "", "联系电话：", "", "填报日期：", "2025011614 2334"],
]


def layout_seeds():
    header = bytes([0, 0])  # one page, A4
    table = (text(0, 60, 60, 12, "表一") + text(0, 200, 80, 16, "2025年预算收支总表")
             + text(0, 60, 112, 10, "单位名称：某某医院") + text(0, 480, 112, 10, "单位：万元")
             + grid(0, 60, 130, [140, 100, 140, 100], [20, 20, 20, 20, 20])
             + cell(0, 0, "收入") + cell(0, 2, "支出") + cell(1, 0, "项目") + cell(1, 1, "2025年")
             + cell(1, 2, "项目") + cell(1, 3, "2025年") + cell(2, 0, "一、一般公共预算")
             + cell(2, 1, "1,426.43", 1) + cell(2, 2, "一、一般公共服务支出") + cell(2, 3, "1.95", 1)
             + cell(3, 2, "二、卫生健康支出") + cell(3, 3, "1,424.48", 1)
             + cell(4, 0, "收入总计") + cell(4, 1, "1,426.43", 1) + cell(4, 2, "支出总计")
             + cell(4, 3, "1,426.43", 1)
             + text(0, 290, 800, 9, "- 1 -"))
    noise = table + diag(0, 150, 500, 30, 83) + diag(0, 300, 400, 30, 83) + text(0, 200, 820, 8, "扫描全能王")
    two_pages = (bytes([1, 0, 0]) + table + text(1, 60, 60, 12, "一、部门职责")
                 + text(1, 60, 80, 10, "收入总计1426.43万元，基本支出9964.07万元")
                 + hline(1, 60, 540, 200) + vline(1, 60, 200, 300))
    form = (header + text(0, 120, 50, 14, "项目支出绩效目标表") + text(0, 250, 72, 12, "（2025年度）")
            + form_rows(0, FORM_XS, 100, FORM))
    return {"table.bin": header + table, "noise.bin": header + noise, "two-pages.bin": two_pages,
            "form.bin": form}


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = sys.argv[1]
    pdf_out, layout_out = os.path.join(out, "pdf"), os.path.join(out, "layout")
    os.makedirs(pdf_out, exist_ok=True)
    os.makedirs(layout_out, exist_ok=True)
    for name, data in pdf_seeds().items():
        with open(os.path.join(pdf_out, name), "wb") as f:
            f.write(data)
    qpdf_variants(pdf_out)
    for name, data in layout_seeds().items():
        with open(os.path.join(layout_out, name), "wb") as f:
            f.write(data)
    print("make_seeds: %d PDF seeds in %s, %d layout seeds in %s"
          % (len(os.listdir(pdf_out)), pdf_out, len(os.listdir(layout_out)), layout_out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
