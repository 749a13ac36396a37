/* fuzz_normalize.c — libFuzzer target for the stage after poppler:
 * bpn_document_build → bpe_document_json on page layouts decoded from the
 * fuzz bytes (as tests/unit/synth.h builds them by hand).
 *
 * The decoded document keeps extract's contract (extract/extract.h): boxes
 * with x0 <= x1 and y0 <= y1, finite coordinates, code points that are valid
 * Unicode scalar values and neither white space, U+0000 nor U+FFFD, lines
 * horizontal or vertical with their ends in order.  Inside that, anything
 * goes: overlapping glyphs, zero-size boxes, glyphs and lines off the page,
 * pages of size 0, grids with rules left out (merged cells).
 *
 * Format (fuzz/make_seeds.py writes seeds in it): a header byte (pages =
 * 1 + b % 3), one byte per page (its size; bit 7: not ruled; bits 4-6 all
 * set: unreadable, as extract marks a page poppler could not load), then
 * operations, each an opcode byte and its operands; missing bytes read as
 * 0.  Coordinates are
 * u16 / 64 - 64 points (-64 .. 960).  Text runs are UTF-8 (invalid bytes
 * are dropped) laid out like synth_text(): CJK glyphs fs wide, others fs/2.
 *
 *   0 TEXT  page x y fs len bytes[len]     a run along the current direction
 *   1 WORD  page x y fs index              a run from the vocabulary below
 *   2 NUM   page x y fs u32 fmt            an amount, code or year
 *   3 CHAR  page cp(u24) x y w h fs        one glyph, any box
 *   4 HLINE page x0 x1 y
 *   5 VLINE page x y0 y1
 *   6 GRID  page x y nx ny w[nx] h[ny] drop(u16)   a ruled grid; drop leaves
 *           out inner rules (bit k: rule k), merging cells
 *   7 CELL  row col align len bytes[len]   a run in a cell of the last grid
 *   8 STYLE colour dir                     for the runs that follow
 *   9 DIAG  page x y fs index              a diagonal watermark run
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emit/emit.h"
#include "extract/extract.h"
#include "fuzz/fuzz_check.h"
#include "normalize/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAGES 3
#define MAX_CHARS_PER_PAGE 4000
#define MAX_LINES_PER_PAGE 400

/* Words the normalize stage looks for (its patterns), and page furniture. */
static const char *const vocabulary[] = {
    "表一", "表二", "表三", "公开01表", "公开02表", "预算公开表3", "附表1", "表", "目录",
    "单位：万元", "单位：元", "金额单位：万元", "单位名称：", "部门名称：", "编制单位：", "单位：",
    "合计", "总计", "小计", "收入总计", "支出总计", "收入合计", "支出合计", "本年收入合计",
    "基本支出", "项目支出", "一般公共预算", "政府性基金预算", "财政拨款", "三公", "其中：",
    "一、", "二、", "三、", "（一）", "(二)", "1.", "2、", "①", "第一部分", "第二部分",
    "类", "款", "项", "科目编码", "功能分类科目", "科目名称", "项目", "金额", "预算数",
    "收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表", "名词解释",
    "部门预算", "单位预算", "部门决算", "单位决算", "2024年", "2025年度", "（2025年度）",
    "江苏省", "某某医院", "办公厅", "委员会", "局", "本表无数据", "无数据", "不涉及",
    "注：", "说明：", "备注", "- 3 -", "第3页", "第 3 页 共 9 页", "3/9", "12",
    "扫描全能王", "CamScanner", "仅供内部审核", "草稿", "样稿",
    "项目支出绩效目标表", "项目名称", "实施单位", "主管部门", "项目资金（元）", "年度资金总额",
    "实施期资金总额", "财政资金", "其他资金", "绩效指标", "一级指标", "二级指标", "三级指标",
    "指标值", "产出指标", "数量指标", "质量指标", "时效指标", "成本指标", "效益指标",
    "满意度指标", "服务对象满意度", "≥95%", "总体目标", "年度目标", "实施期目标", "填报日期：",
    "2025 01 15", "项目概况", "立项依据", "项目属性", "项目期", "1,438.44", "0.00", "-",
    "2010101", "201", "01", "收入", "支出", "上年结转", "年初结转和结余", "会议费", "培训费",
};

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned u8(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static unsigned u16(reader *r)
{
    unsigned hi = u8(r);
    return hi << 8 | u8(r);
}

static unsigned u24(reader *r)
{
    unsigned hi = u16(r);
    return hi << 8 | u8(r);
}

static double coord(reader *r)
{
    return u16(r) / 64.0 - 64;
}

/* Font sizes 0 .. 31.75 (0 happens: poppler reports it for some fonts). */
static double font_size(reader *r)
{
    return u8(r) / 8.0;
}

typedef struct {
    bpx_document *doc;
    uint32_t color;
    uint8_t dir;
    /* the last grid: its page and edges */
    int grid_page, grid_nx, grid_ny;
    double grid_xs[17], grid_ys[33];
} decoder;

static bpx_page *page_of(decoder *d, unsigned b)
{
    return &d->doc->pages[b % (unsigned)d->doc->n_pages];
}

static void add_char(bpx_page *p, gunichar cp, double x0, double y0, double x1, double y1, double fs,
                     uint32_t color, uint8_t dir)
{
    if (p->n_chars >= MAX_CHARS_PER_PAGE)
        return;
    if (cp == 0 || cp == 0xFFFD || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || g_unichar_isspace(cp))
        return;
    p->chars = g_renew(bpx_char, p->chars, p->n_chars + 1);
    p->chars[p->n_chars++] = (bpx_char){.cp = cp,
                                        .box = {MIN(x0, x1), MIN(y0, y1), MAX(x0, x1), MAX(y0, y1)},
                                        .font_size = (float)fs,
                                        .color = color,
                                        .dir = dir};
}

static double glyph_width(gunichar cp, double fs)
{
    return cp < 0x2E80 ? fs / 2 : fs;
}

/* Lays out len bytes of UTF-8 from (x, y) along the current direction. */
static void run(decoder *d, bpx_page *p, double x, double y, double fs, const char *s, size_t len)
{
    const char *end = s + len;
    while (s < end) {
        gunichar cp = g_utf8_get_char_validated(s, end - s);
        if (cp == (gunichar)-1 || cp == (gunichar)-2) {
            s++;
            continue;
        }
        double w = glyph_width(cp, fs);
        switch (d->dir) {
        case BPX_DIR_VERTICAL:
            add_char(p, cp, x, y, x + fs, y + fs, fs, d->color, d->dir);
            y += fs;
            break;
        case BPX_DIR_DIAGONAL:
            add_char(p, cp, x, y, x + fs * 1.2, y + fs * 1.2, fs, d->color, d->dir);
            x += fs * 0.8;
            y -= fs * 0.6;
            break;
        default:
            add_char(p, cp, x, y, x + w, y + fs, fs, d->color, d->dir);
            x += w;
            break;
        }
        s = g_utf8_next_char(s);
    }
}

static double run_width(const char *s, size_t len, double fs)
{
    double w = 0;
    for (const char *e = s + len; s < e; s = g_utf8_next_char(s)) {
        gunichar cp = g_utf8_get_char_validated(s, e - s);
        if (cp == (gunichar)-1 || cp == (gunichar)-2)
            break;
        w += glyph_width(cp, fs);
    }
    return w;
}

static void add_line(bpx_line **lines, size_t *n, bpx_line l)
{
    if (*n >= MAX_LINES_PER_PAGE)
        return;
    *lines = g_renew(bpx_line, *lines, *n + 1);
    (*lines)[(*n)++] = l;
}

static void hline(bpx_page *p, double x0, double x1, double y)
{
    add_line(&p->hlines, &p->n_hlines, (bpx_line){MIN(x0, x1), y, MAX(x0, x1), y});
}

static void vline(bpx_page *p, double x, double y0, double y1)
{
    add_line(&p->vlines, &p->n_vlines, (bpx_line){x, MIN(y0, y1), x, MAX(y0, y1)});
}

static void op_grid(decoder *d, reader *r)
{
    unsigned page = u8(r);
    bpx_page *p = page_of(d, page);
    double x = coord(r), y = coord(r);
    int nx = 1 + (int)(u8(r) % 16), ny = 1 + (int)(u8(r) % 32); /* columns, rows */
    d->grid_page = p->number;
    d->grid_nx = nx;
    d->grid_ny = ny;
    d->grid_xs[0] = x;
    for (int i = 1; i <= nx; i++)
        d->grid_xs[i] = d->grid_xs[i - 1] + 4 + u8(r);
    d->grid_ys[0] = y;
    for (int i = 1; i <= ny; i++)
        d->grid_ys[i] = d->grid_ys[i - 1] + 4 + u8(r) / 4.0;
    unsigned drop = u16(r);
    for (int i = 0; i <= ny; i++)
        if (i == 0 || i == ny || !(drop & (1u << (i % 16))))
            hline(p, d->grid_xs[0], d->grid_xs[nx], d->grid_ys[i]);
    for (int i = 0; i <= nx; i++)
        if (i == 0 || i == nx || !(drop & (1u << ((i + 8) % 16))))
            vline(p, d->grid_xs[i], d->grid_ys[0], d->grid_ys[ny]);
}

static void op_cell(decoder *d, reader *r)
{
    int row = (int)u8(r), col = (int)u8(r);
    unsigned align = u8(r), len = u8(r) % 48;
    const char *s = (const char *)r->p;
    len = (unsigned)MIN(len, r->n);
    r->p += len;
    r->n -= len;
    if (!d->grid_nx)
        return;
    row %= d->grid_ny;
    col %= d->grid_nx;
    bpx_page *p = &d->doc->pages[d->grid_page - 1];
    double x0 = d->grid_xs[col], x1 = d->grid_xs[col + 1], y0 = d->grid_ys[row], y1 = d->grid_ys[row + 1];
    double fs = 6 + (align >> 2) % 8, w = run_width(s, len, fs);
    double x = align % 3 == 0 ? x0 + 2 : align % 3 == 1 ? x1 - 2 - w : (x0 + x1 - w) / 2;
    run(d, p, x, (y0 + y1 - fs) / 2, fs, s, len);
}

static void decode(decoder *d, reader *r)
{
    int n_pages = 1 + (int)(u8(r) % MAX_PAGES);
    bpx_document *doc = g_new0(bpx_document, 1);
    d->doc = doc;
    doc->path = g_strdup("fuzz.pdf");
    memset(doc->sha256, '0', 64);
    doc->n_pages = n_pages;
    doc->pages = g_new0(bpx_page, n_pages);
    for (int i = 0; i < n_pages; i++) {
        bpx_page *p = &doc->pages[i];
        unsigned k = u8(r);
        p->number = i + 1;
        p->width = k % 4 == 0 ? 595 : k % 4 == 1 ? 842 : k % 4 == 2 ? 0 : 100 + k * 4;
        p->height = k % 4 == 0 ? 842 : k % 4 == 1 ? 595 : k % 4 == 2 ? 0 : 1100 - k * 3;
        p->ruled = !(k & 0x80);
        p->unreadable = (k & 0x70) == 0x70; /* one page in eight */
    }
    while (r->n) {
        unsigned op = u8(r) % 10;
        switch (op) {
        case 0: { /* TEXT */
            bpx_page *p = page_of(d, u8(r));
            double x = coord(r), y = coord(r), fs = font_size(r);
            unsigned len = u8(r) % 64;
            len = (unsigned)MIN(len, r->n);
            run(d, p, x, y, fs, (const char *)r->p, len);
            r->p += len;
            r->n -= len;
            break;
        }
        case 1:   /* WORD */
        case 9: { /* DIAG */
            bpx_page *p = page_of(d, u8(r));
            double x = coord(r), y = coord(r), fs = font_size(r);
            const char *w = vocabulary[u8(r) % G_N_ELEMENTS(vocabulary)];
            uint8_t dir = d->dir;
            uint32_t color = d->color;
            if (op == 9) {
                d->dir = BPX_DIR_DIAGONAL;
                d->color = 0xCCCCCC;
            }
            run(d, p, x, y, fs, w, strlen(w));
            d->dir = dir;
            d->color = color;
            break;
        }
        case 2: { /* NUM */
            bpx_page *p = page_of(d, u8(r));
            double x = coord(r), y = coord(r), fs = font_size(r);
            unsigned v = u16(r);
            v = v << 16 | u16(r);
            char buf[48];
            switch (u8(r) % 5) {
            case 0: /* an amount with thousands separators */
            {
                char digits[32];
                g_snprintf(digits, sizeof digits, "%u", v / 100);
                GString *s = g_string_new(NULL);
                size_t n = strlen(digits);
                for (size_t i = 0; i < n; i++) {
                    if (i && (n - i) % 3 == 0)
                        g_string_append_c(s, ',');
                    g_string_append_c(s, digits[i]);
                }
                g_snprintf(buf, sizeof buf, "%s.%02u", s->str, v % 100);
                g_string_free(s, TRUE);
                break;
            }
            case 1:
                g_snprintf(buf, sizeof buf, "%u.%02u", v / 100, v % 100);
                break;
            case 2:
                g_snprintf(buf, sizeof buf, "-%u.%u", v / 10, v % 10);
                break;
            case 3:
                g_snprintf(buf, sizeof buf, "%u", v % 100000000); /* a 科目编码 */
                break;
            default:
                g_snprintf(buf, sizeof buf, "%u年", 1990 + v % 60);
                break;
            }
            run(d, p, x, y, fs, buf, strlen(buf));
            break;
        }
        case 3: { /* CHAR */
            bpx_page *p = page_of(d, u8(r));
            gunichar cp = u24(r) % 0x110000;
            double x = coord(r), y = coord(r), w = u8(r) / 4.0, h = u8(r) / 4.0, fs = font_size(r);
            add_char(p, cp, x, y, x + w, y + h, fs, d->color, d->dir);
            break;
        }
        case 4: { /* HLINE */
            bpx_page *p = page_of(d, u8(r));
            double x0 = coord(r), x1 = coord(r);
            hline(p, x0, x1, coord(r));
            break;
        }
        case 5: { /* VLINE */
            bpx_page *p = page_of(d, u8(r));
            double x = coord(r), y0 = coord(r);
            vline(p, x, y0, coord(r));
            break;
        }
        case 6:
            op_grid(d, r);
            break;
        case 7:
            op_cell(d, r);
            break;
        case 8: { /* STYLE */
            static const uint32_t colors[] = {0x000000, 0xCCCCCC, 0xFF0000, 0x808080, 0xE0E0E0, 0x0000FF};
            d->color = colors[u8(r) % G_N_ELEMENTS(colors)];
            d->dir = (uint8_t)(u8(r) % 3);
            break;
        }
        }
    }
}

/* What extract gives for a page poppler could not load: nothing. */
static void clear_unreadable(bpx_document *doc)
{
    for (int i = 0; i < doc->n_pages; i++) {
        bpx_page *p = &doc->pages[i];
        if (!p->unreadable)
            continue;
        g_clear_pointer(&p->chars, g_free);
        g_clear_pointer(&p->hlines, g_free);
        g_clear_pointer(&p->vlines, g_free);
        p->n_chars = p->n_hlines = p->n_vlines = 0;
        p->width = p->height = 0;
        p->ruled = FALSE;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    decoder d = {0};
    decode(&d, &r);
    clear_unreadable(d.doc);
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(d.doc, &err);
    bpx_document_free(d.doc);
    if (doc) {
        char *json = bpe_document_json(doc, BPE_FORMAT_LINE, &err);
        fuzz_check_json(json);
        g_free(json);
        bpn_document_free(doc);
    }
    g_clear_error(&err);
    return 0;
}
