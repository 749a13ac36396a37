/* review.c — the review page: one HTML file per document that shows what
 * was read, for a person to check it against the printed pages.
 *
 * How it is laid out:
 *   1. The head (review_head): unit, year, type, the headline figures, how
 *      many tables and how many identities hold and fail, a link per table,
 *      the repairs and warnings with links to their pages, and a legend.
 *   2. One section per page (page_section): the page's picture (rendered by
 *      the caller into pages_dir, bpe_review_page_image names it) with an
 *      SVG drawn over it (page_overlay) in the page's own coordinates: the
 *      rulings found, each table's frame, cells and header band, the
 *      text taken off as noise or hidden, and the OCR'd text read with
 *      low confidence (each with its confidence as a tooltip, and listed
 *      under the page's heading for those who cannot hover).  A page read
 *      by OCR has its geometry in the frame of the scan set straight, and
 *      its picture is the scan as it is: the overlay is turned by the
 *      skew the OCR measured, about the page's middle, as the OCR turned
 *      the scan (extract/ocr.c rotate_gray), so it lands on the print.
 *      Beside the picture, the tables that start on that page
 *      (table_html) as real <table>s, and a line for those continued from
 *      an earlier page.
 *   3. In a table, an amount that takes part in a failing identity is marked
 *      "fail" (the identities listed under the table with expected and found),
 *      one that takes part only in holding identities "hold"; the others are
 *      unmarked.  The marks carry a sign as well as a colour.
 * The page needs no script and no font of its own: a style sheet inline,
 * system fonts.  Wide tables scroll inside their own box, so the page never
 * scrolls sideways on a phone.
 *
 * What it misses: a check whose table cannot be told (source_table NULL)
 * marks no cell, and is only counted and listed at the top.  A scan the OCR
 * turned upside down (bpx_page.turned records quarter turns only) is shown
 * as scanned, with the overlay of the page turned round.
 */
#include "emit/emit.h"

#include <math.h>
#include <string.h>

static void esc(GString *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        default: g_string_append_c(out, *s);
        }
    }
}

static void esc_printf(GString *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void esc_printf(GString *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    esc(out, s);
    g_free(s);
}

char *bpe_review_page_image(const char *pages_dir, int page)
{
    return g_strdup_printf("%s/page-%04d.png", pages_dir, page);
}

/* ---- what the checks say of each cell ---- */

typedef enum { MARK_NONE = 0, MARK_HOLD = 1, MARK_FAIL = 2 } cell_mark;

/* Per table (index into doc->tables): a mark per data cell, rows x n_cols. */
static guint8 **cell_marks(const bpn_document *doc)
{
    guint8 **marks = g_new0(guint8 *, doc->tables->len + 1);
    for (guint t = 0; t < doc->tables->len; t++) {
        const bpn_table *tb = doc->tables->pdata[t];
        marks[t] = g_new0(guint8, (gsize)MAX(1, tb->rows->len * (guint)MAX(tb->n_cols, 0)));
    }
    for (guint i = 0; i < doc->checks->len; i++) {
        const bpn_check *k = doc->checks->pdata[i];
        guint t;
        if (!k->source_table || !g_ptr_array_find(doc->tables, k->source_table, &t))
            continue;
        const bpn_table *tb = k->source_table;
        for (guint j = 0; j + 1 < k->cells->len; j += 2) {
            int r = g_array_index(k->cells, int, j), c = g_array_index(k->cells, int, j + 1);
            if (r < 0 || c < 0 || (guint)r >= tb->rows->len || c >= tb->n_cols)
                continue;
            guint8 *m = &marks[t][(gsize)r * (gsize)tb->n_cols + (gsize)c];
            *m = MAX(*m, k->ok ? MARK_HOLD : MARK_FAIL);
        }
    }
    return marks;
}

static void cell_marks_free(guint8 **marks, guint n)
{
    for (guint i = 0; i < n; i++)
        g_free(marks[i]);
    g_free(marks);
}

/* ---- pieces ---- */

static void table_label(GString *o, const bpn_table *t)
{
    if (t->number > 0)
        g_string_append_printf(o, "表%d ", t->number);
    esc(o, t->title ? t->title : "(untitled table)");
}

static void amount_text(GString *o, bpn_amount a)
{
    if (a.set)
        g_string_append_printf(o, "%.2f", a.value);
    else
        g_string_append(o, "—");
}

static void check_text(GString *o, const bpn_document *doc, const bpn_check *k)
{
    g_string_append_printf(o, "<code>%s</code> ", k->rule);
    if (k->row)
        esc(o, k->row);
    if (k->row && k->column)
        g_string_append(o, " / ");
    if (k->column)
        esc(o, k->column);
    g_string_append_printf(o, ": expected %.2f, found %.2f", k->expected, k->found);
    if (bpn_check_may_be_withheld(doc, k))
        g_string_append(o, " (parts short of the total; the document says it withholds items: <a href=\"#withheld\">may be why</a>)");
}

static const char STYLE[] =
    "*{box-sizing:border-box}"
    "body{margin:0;padding:0 12px 40px;font:15px/1.45 system-ui,-apple-system,\"Noto Sans CJK SC\",\"WenQuanYi Zen Hei\",sans-serif;color:#1b1b1b;background:#fafafa}"
    "h1{font-size:1.4em;margin:16px 0 4px}h2{font-size:1.15em;margin:0 0 8px}h3{font-size:1em;margin:14px 0 6px}"
    "a{color:#0645ad}code{font-size:.9em}"
    ".box{overflow-x:auto;max-width:100%;margin:0 0 10px;-webkit-overflow-scrolling:touch}"
    "table{border-collapse:collapse;background:#fff;font-size:13px}"
    "th,td{border:1px solid #bbb;padding:2px 6px;vertical-align:top;text-align:left}"
    "td{white-space:nowrap}th{min-width:4.5em}"
    "th{background:#eef1f5;font-weight:600}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "caption{text-align:left;font-weight:600;padding:4px 0;caption-side:top}"
    "td.fail{background:#ffd2d2;outline:2px solid #c00;outline-offset:-2px}td.fail:not(:empty)::after{content:\" \\2717\";color:#c00}"
    "td.hold{background:#dff3df}td.hold:not(:empty)::after{content:\" \\2713\";color:#2a7a2a}"
    ".facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}.facts dt{color:#555}.facts dd{margin:0}"
    ".page{border-top:2px solid #ccc;padding-top:12px;margin-top:20px}"
    ".sheet{margin:0;position:relative;max-width:100%;background:#fff;box-shadow:0 0 0 1px #ccc}"
    ".sheet img{display:block;width:100%;height:auto}.sheet svg{position:absolute;left:0;top:0;width:100%;height:100%}"
    ".side{min-width:0}"
    "@media(min-width:1000px){.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px;align-items:start}}"
    ".legend span{display:inline-block;margin:0 12px 4px 0}.sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle;border:2px solid}"
    ".fails li{color:#900}.ok{color:#2a7a2a}.bad{color:#c00;font-weight:600}"
    "ul.tables{padding-left:1.2em}"
    "svg .ruling{stroke:#1f6fd1;stroke-width:1.5}svg .frame{fill:none;stroke:#e07000;stroke-width:3}"
    "svg .cell{fill:none;stroke:#2a9d2a;stroke-width:1}svg .header{fill:#ffd400;fill-opacity:.25;stroke:none}"
    "svg .noise{fill:#b000b0;fill-opacity:.3;stroke:#b000b0;stroke-width:1}svg .hidden{fill:#00a0a0;fill-opacity:.35;stroke:#007070;stroke-width:1}"
    "svg .lowconf{fill:#ff1a1a;fill-opacity:.3;stroke:#d00000;stroke-width:2}"
    ".ocr{color:#555;margin:0 0 8px}.ocr li{display:inline-block;margin-right:10px}"
    "svg text{font-size:11px;fill:#e07000;font-weight:700}"
    /* strokes keep their width in pixels whatever the picture's size */
    "svg *{vector-effect:non-scaling-stroke}";

static void legend(GString *o)
{
    g_string_append(o, "<p class=\"legend\">Drawn over the pages: "
                       "<span><i class=\"sw\" style=\"border-color:#e07000\"></i>table frame</span>"
                       "<span><i class=\"sw\" style=\"border-color:#2a9d2a\"></i>cells</span>"
                       "<span><i class=\"sw\" style=\"border-color:#ffd400;background:#fff3b0\"></i>header rows</span>"
                       "<span><i class=\"sw\" style=\"border-color:#1f6fd1\"></i>rulings found</span>"
                       "<span><i class=\"sw\" style=\"border-color:#b000b0;background:#ebb3eb\"></i>removed as noise</span>"
                       "<span><i class=\"sw\" style=\"border-color:#007070;background:#b3e3e3\"></i>hidden text removed</span>"
                       "<span><i class=\"sw\" style=\"border-color:#d00000;background:#ffb3b3\"></i>OCR'd text of confidence below "
                       G_STRINGIFY(BPN_OCR_LOW_CONFIDENCE) " (of 100)</span>"
                       "<br>In the tables: <span class=\"bad\">&#x2717; in a failing identity</span> "
                       "<span class=\"ok\">&#x2713; in identities that hold</span> "
                       "unmarked: in none.</p>\n");
}

static void review_head(GString *o, const bpn_document *doc, const char *json_name)
{
    guint hold = 0, fail = 0;
    for (guint i = 0; i < doc->checks->len; i++)
        (void)(((const bpn_check *)doc->checks->pdata[i])->ok ? hold++ : fail++);
    g_string_append(o, "<header>\n<h1>");
    esc(o, doc->unit ? doc->unit : doc->source.file);
    g_string_append(o, "</h1>\n<dl class=\"facts\">");
    g_string_append(o, "<dt>File</dt><dd>");
    esc(o, doc->source.file);
    g_string_append_printf(o, " (%d pages)", doc->source.pages);
    if (json_name) {
        char *href = g_uri_escape_string(json_name, "/", FALSE);
        g_string_append_printf(o, " · <a href=\"%s\">JSON</a>", href);
        g_free(href);
    }
    g_string_append(o, "</dd><dt>Unit</dt><dd>");
    esc(o, doc->unit ? doc->unit : "—");
    g_string_append(o, "</dd><dt>Department</dt><dd>");
    esc(o, doc->department ? doc->department : "—");
    g_string_append(o, "</dd><dt>Year</dt><dd>");
    if (doc->year)
        g_string_append_printf(o, "%d", doc->year);
    else
        g_string_append(o, "—");
    g_string_append(o, "</dd><dt>Type</dt><dd>");
    esc(o, doc->document_type ? doc->document_type : "—");
    g_string_append(o, "</dd>");
    if (doc->withheld_statement) {
        g_string_append(o, "<dt>Withheld</dt><dd id=\"withheld\">");
        esc(o, doc->withheld_statement);
        g_string_append(o, "</dd>");
    }
    if (doc->source.ocr_pages && doc->source.ocr_pages->len) {
        g_string_append(o, "<dt>Read by OCR</dt><dd id=\"ocr-pages\">page");
        if (doc->source.ocr_pages->len > 1)
            g_string_append_c(o, 's');
        for (guint i = 0; i < doc->source.ocr_pages->len; i++) {
            int n = g_array_index(doc->source.ocr_pages, int, i);
            g_string_append_printf(o, "%s <a href=\"#page-%d\">%d</a>", i ? "," : "", n, n);
        }
        g_string_append(o, "</dd>");
    }
    g_string_append_printf(o, "<dt>Tables</dt><dd id=\"count-tables\">%u</dd>", doc->tables->len);
    g_string_append_printf(o, "<dt>Identities</dt><dd><span class=\"ok\" id=\"count-hold\">%u hold</span>, "
                              "<span class=\"%s\" id=\"count-fail\">%u fail</span></dd>",
                           hold, fail ? "bad" : "ok", fail);
    g_string_append(o, "</dl>\n");

    g_string_append(o, "<div class=\"box\"><table id=\"headline\"><caption>Headline figures (万元)</caption><tbody>");
    struct {
        const char *label;
        bpn_amount a;
    } figures[] = {
        {"收入总计 income total", doc->income_total},
        {"支出总计 expenditure total", doc->expenditure_total},
        {"基本支出 basic expenditure", doc->basic_expenditure},
        {"项目支出 project expenditure", doc->project_expenditure},
        {"“三公”经费 three public total", doc->three_public_total},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(figures); i++) {
        g_string_append_printf(o, "<tr><th scope=\"row\">%s</th><td class=\"n\">", figures[i].label);
        amount_text(o, figures[i].a);
        g_string_append(o, "</td></tr>");
    }
    g_string_append(o, "</tbody></table></div>\n");

    g_string_append(o, "<nav aria-label=\"tables\"><h2>Tables</h2><ul class=\"tables\">");
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        g_string_append_printf(o, "<li><a href=\"#table-%u\">", i + 1);
        table_label(o, t);
        g_string_append(o, "</a>");
        if (t->pages->len)
            g_string_append_printf(o, " — page %d", g_array_index(t->pages, int, 0));
        g_string_append(o, "</li>");
    }
    if (!doc->tables->len)
        g_string_append(o, "<li>none</li>");
    g_string_append(o, "</ul></nav>\n");

    /* checks no table marks: list the failing ones here */
    GString *loose = g_string_new(NULL);
    for (guint i = 0; i < doc->checks->len; i++) {
        const bpn_check *k = doc->checks->pdata[i];
        if (!k->ok && !k->source_table) {
            g_string_append(loose, "<li>");
            check_text(loose, doc, k);
            g_string_append(loose, "</li>");
        }
    }
    if (loose->len)
        g_string_append_printf(o, "<h3>Failing identities of no one table</h3><ul class=\"fails\">%s</ul>\n", loose->str);
    g_string_free(loose, TRUE);

    /* warnings open, repairs folded: a long document repairs every page */
    g_string_append_printf(o, "<details id=\"repairs\"%s><summary><strong>Repairs (%u) and warnings (%u)</strong></summary>\n",
                           doc->warnings->len ? " open" : "", doc->repairs->len, doc->warnings->len);
    if (doc->repairs->len || doc->warnings->len) {
        g_string_append(o, "<div class=\"box\"><table id=\"repairs-table\"><thead><tr><th scope=\"col\">page</th>"
                           "<th scope=\"col\">what</th><th scope=\"col\">from</th><th scope=\"col\">to</th></tr></thead><tbody>");
        for (guint i = 0; i < doc->warnings->len; i++) {
            const bpn_warning *w = doc->warnings->pdata[i];
            g_string_append(o, "<tr><td>");
            if (w->page)
                g_string_append_printf(o, "<a href=\"#page-%d\">%d</a>", w->page, w->page);
            g_string_append(o, "</td><td class=\"bad\">warning: ");
            esc(o, w->message);
            g_string_append(o, "</td><td></td><td></td></tr>");
        }
        for (guint i = 0; i < doc->repairs->len; i++) {
            const bpn_repair *r = doc->repairs->pdata[i];
            g_string_append(o, "<tr><td>");
            if (r->page)
                g_string_append_printf(o, "<a href=\"#page-%d\">%d</a>", r->page, r->page);
            g_string_append(o, "</td><td>");
            esc(o, r->kind);
            g_string_append(o, "</td><td>");
            esc(o, r->from);
            g_string_append(o, "</td><td>");
            esc(o, r->to);
            g_string_append(o, "</td></tr>");
        }
        g_string_append(o, "</tbody></table></div>\n");
    }
    g_string_append(o, "</details>\n");
    legend(o);
    g_string_append(o, "</header>\n");
}

static void table_html(GString *o, const bpn_document *doc, guint index, const guint8 *marks)
{
    const bpn_table *t = doc->tables->pdata[index];
    g_string_append_printf(o, "<h3 id=\"table-%u\">", index + 1);
    table_label(o, t);
    g_string_append(o, "</h3>\n<p>");
    if (t->number > 0)
        g_string_append_printf(o, "number %d · ", t->number);
    g_string_append(o, "unit of measure: ");
    esc(o, t->unit_of_measure ? t->unit_of_measure : "not stated");
    g_string_append(o, " · pages");
    for (guint i = 0; i < t->pages->len; i++)
        g_string_append_printf(o, " %d", g_array_index(t->pages, int, i));
    if (t->no_data)
        g_string_append(o, " · <strong>no data</strong> (the table says it is empty)");
    g_string_append(o, "</p>\n");

    g_string_append_printf(o, "<div class=\"box\" tabindex=\"0\" role=\"region\" aria-labelledby=\"table-%u\">"
                              "<table class=\"read\" data-table=\"%u\"><thead>",
                           index + 1, index);
    if (t->header_rows->len == 0) {
        /* no printed header: number the columns, so that every table has th */
        g_string_append(o, "<tr>");
        for (int c = 0; c < t->n_cols; c++)
            g_string_append_printf(o, "<th scope=\"col\">col %d</th>", c + 1);
        g_string_append(o, "</tr>");
    }
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_row *r = t->header_rows->pdata[i];
        g_string_append(o, "<tr>");
        for (int c = 0; c < t->n_cols; c++) {
            g_string_append(o, "<th scope=\"col\">");
            esc(o, r->cells[c].text);
            g_string_append(o, "</th>");
        }
        g_string_append(o, "</tr>");
    }
    g_string_append(o, "</thead><tbody>");
    for (guint i = 0; i < t->rows->len; i++) {
        const bpn_row *r = t->rows->pdata[i];
        g_string_append(o, "<tr>");
        for (int c = 0; c < t->n_cols; c++) {
            const bpn_cell *cell = &r->cells[c];
            guint8 m = marks[(gsize)i * (gsize)t->n_cols + (gsize)c];
            g_string_append(o, "<td");
            if (cell->is_number || m)
                g_string_append_printf(o, " class=\"n%s\"", m == MARK_FAIL ? " fail" : m == MARK_HOLD ? " hold" : "");
            g_string_append(o, ">");
            esc(o, cell->text);
            g_string_append(o, "</td>");
        }
        g_string_append(o, "</tr>");
    }
    g_string_append(o, "</tbody></table></div>\n");
    for (guint i = 0; i < t->notes->len; i++) {
        g_string_append(o, "<p><small>");
        esc(o, t->notes->pdata[i]);
        g_string_append(o, "</small></p>\n");
    }

    guint hold = 0, fail = 0;
    GString *fails = g_string_new(NULL);
    for (guint i = 0; i < doc->checks->len; i++) {
        const bpn_check *k = doc->checks->pdata[i];
        if (k->source_table != t)
            continue;
        if (k->ok) {
            hold++;
            continue;
        }
        fail++;
        g_string_append(fails, "<li>&#x2717; ");
        check_text(fails, doc, k);
        g_string_append(fails, "</li>");
    }
    if (hold || fail)
        g_string_append_printf(o, "<p>Identities: <span class=\"ok\">%u hold</span>, <span class=\"%s\">%u fail</span></p>\n",
                               hold, fail ? "bad" : "ok", fail);
    if (fail)
        g_string_append_printf(o, "<ul class=\"fails\">%s</ul>\n", fails->str);
    g_string_free(fails, TRUE);
}

static void svg_rect(GString *o, const char *cls, bpx_rect r)
{
    g_string_append_printf(o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", cls, r.x0,
                           r.y0, MAX(r.x1 - r.x0, 0.5), MAX(r.y1 - r.y0, 0.5));
}

static void page_overlay(GString *o, const bpn_document *doc, const bpn_page_view *v)
{
    g_string_append_printf(o, "<svg viewBox=\"0 0 %.1f %.1f\" preserveAspectRatio=\"none\" aria-hidden=\"true\">",
                           v->width, v->height);
    if (v->ocr && v->ocr_skew != 0)
        g_string_append_printf(o, "<g transform=\"rotate(%.3f %.1f %.1f)\">", v->ocr_skew, v->width / 2, v->height / 2);
    else
        g_string_append(o, "<g>");
    for (guint t = 0; t < doc->tables->len; t++) {
        const bpn_table *tb = doc->tables->pdata[t];
        for (guint f = 0; tb->frames && f < tb->frames->len; f++) {
            const bpn_frame *fr = tb->frames->pdata[f];
            if (fr->page != v->number)
                continue;
            if (fr->header_y1 > fr->box.y0)
                svg_rect(o, "header", (bpx_rect){fr->box.x0, fr->box.y0, fr->box.x1, fr->header_y1});
            for (guint c = 0; c < fr->cells->len; c++)
                svg_rect(o, "cell", g_array_index(fr->cells, bpx_rect, c));
        }
    }
    for (guint i = 0; i < v->hlines->len; i++) {
        bpx_line l = g_array_index(v->hlines, bpx_line, i);
        g_string_append_printf(o, "<line class=\"ruling\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", l.x0, l.y0,
                               l.x1, l.y1);
    }
    for (guint i = 0; i < v->vlines->len; i++) {
        bpx_line l = g_array_index(v->vlines, bpx_line, i);
        g_string_append_printf(o, "<line class=\"ruling\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", l.x0, l.y0,
                               l.x1, l.y1);
    }
    for (guint i = 0; i < v->marks->len; i++) {
        const bpn_mark *m = &g_array_index(v->marks, bpn_mark, i);
        if (m->kind == BPN_MARK_LOW_CONFIDENCE) {
            g_string_append_printf(o, "<rect class=\"lowconf\" data-conf=\"%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                      "height=\"%.1f\"><title>",
                                   m->confidence, m->box.x0, m->box.y0, MAX(m->box.x1 - m->box.x0, 0.5),
                                   MAX(m->box.y1 - m->box.y0, 0.5));
            esc_printf(o, "read by OCR as “%s”, confidence %d of 100", m->text ? m->text : "", m->confidence);
            g_string_append(o, "</title></rect>");
        } else {
            svg_rect(o, m->kind == BPN_MARK_HIDDEN ? "hidden" : "noise", m->box);
        }
    }
    for (guint t = 0; t < doc->tables->len; t++) {
        const bpn_table *tb = doc->tables->pdata[t];
        for (guint f = 0; tb->frames && f < tb->frames->len; f++) {
            const bpn_frame *fr = tb->frames->pdata[f];
            if (fr->page != v->number)
                continue;
            svg_rect(o, "frame", fr->box);
            g_string_append_printf(o, "<text x=\"%.1f\" y=\"%.1f\">", fr->box.x0 + 2, MAX(fr->box.y0 - 3, 10));
            if (tb->number > 0)
                g_string_append_printf(o, "表%d", tb->number);
            else
                g_string_append_printf(o, "table %u", t + 1);
            g_string_append(o, "</text>");
        }
    }
    g_string_append(o, "</g></svg>");
}

/* Under the heading of a page read by OCR: the skew, and the passages of
 * low confidence (the overlay's tooltips, for those who cannot hover). */
static void page_ocr(GString *o, const bpn_page_view *v, guint low)
{
    if (v->ocr_failed) {
        g_string_append(o, "<p class=\"bad\">This page has no text layer and OCR could not read it: ");
        esc(o, v->ocr_failed);
        g_string_append(o, "</p>\n");
    }
    if (!v->ocr)
        return;
    g_string_append_printf(o, "<div class=\"ocr\" data-skew=\"%.2f\" data-low=\"%u\">", v->ocr_skew, low);
    if (v->ocr_skew != 0)
        g_string_append_printf(o, "The scan is turned %.2f° %sclockwise; it was set straight to be read, and what "
                                  "was found is drawn turned with it.",
                               fabs(v->ocr_skew), v->ocr_skew < 0 ? "counter-" : "");
    else
        g_string_append(o, "The scan is straight.");
    if (v->turned)
        g_string_append_printf(o, " It lies sideways and is shown turned %d° to read.", v->turned);
    if (!low) {
        g_string_append_printf(o, " No text read with confidence below %d.</div>\n", BPN_OCR_LOW_CONFIDENCE);
        return;
    }
    g_string_append_printf(o, "<details><summary>%u passage%s read with confidence below %d</summary><ul>", low,
                           low == 1 ? "" : "s", BPN_OCR_LOW_CONFIDENCE);
    for (guint i = 0; i < v->marks->len; i++) {
        const bpn_mark *m = &g_array_index(v->marks, bpn_mark, i);
        if (m->kind != BPN_MARK_LOW_CONFIDENCE)
            continue;
        g_string_append(o, "<li>“");
        esc(o, m->text);
        g_string_append_printf(o, "” %d</li>", m->confidence);
    }
    g_string_append(o, "</ul></details></div>\n");
}

static void page_section(GString *o, const bpn_document *doc, const bpn_page_view *v, const char *pages_dir,
                         double scale, guint8 **marks)
{
    guint removed = 0, low = 0;
    for (guint i = 0; i < v->marks->len; i++)
        (void)(g_array_index(v->marks, bpn_mark, i).kind == BPN_MARK_LOW_CONFIDENCE ? low++ : removed++);
    g_string_append_printf(o, "<section class=\"page\" id=\"page-%d\" aria-labelledby=\"page-%d-h\">"
                              "<h2 id=\"page-%d-h\">Page %d%s</h2>\n",
                           v->number, v->number, v->number, v->number, v->ocr ? " (read by OCR)" : "");
    page_ocr(o, v, low);
    g_string_append(o, "<div class=\"pair\">");
    if (v->width > 0 && v->height > 0) {
        char *file = bpe_review_page_image(pages_dir, v->number);
        char *src = g_uri_escape_string(file, "/", FALSE);
        int w = (int)ceil(v->width * scale), h = (int)ceil(v->height * scale);
        guint n_tables = 0;
        for (guint t = 0; t < doc->tables->len; t++) {
            const bpn_table *tb = doc->tables->pdata[t];
            for (guint f = 0; tb->frames && f < tb->frames->len; f++)
                n_tables += ((const bpn_frame *)tb->frames->pdata[f])->page == v->number;
        }
        g_string_append_printf(o, "<figure class=\"sheet\"><img src=\"%s\" width=\"%d\" height=\"%d\" loading=\"lazy\" "
                                  "alt=\"Page %d of ",
                               src, w, h, v->number);
        esc(o, doc->source.file);
        g_string_append_printf(o, " as %s, with %u table frame%s, %u ruling%s and %u removed text box%s",
                               v->ocr ? "scanned" : "printed", n_tables, n_tables == 1 ? "" : "s",
                               v->hlines->len + v->vlines->len, v->hlines->len + v->vlines->len == 1 ? "" : "s",
                               removed, removed == 1 ? "" : "es");
        if (low)
            g_string_append_printf(o, " and %u passage%s read with low confidence", low, low == 1 ? "" : "s");
        g_string_append(o, " drawn over it\">");
        page_overlay(o, doc, v);
        g_string_append(o, "</figure>");
        g_free(src);
        g_free(file);
    } else {
        g_string_append(o, "<p class=\"bad\">This page could not be read.</p>");
    }
    g_string_append(o, "\n<div class=\"side\">");
    gboolean any = FALSE;
    for (guint t = 0; t < doc->tables->len; t++) {
        const bpn_table *tb = doc->tables->pdata[t];
        if (!tb->pages->len)
            continue;
        int first = g_array_index(tb->pages, int, 0);
        if (first == v->number) {
            table_html(o, doc, t, marks[t]);
            any = TRUE;
            continue;
        }
        for (guint p = 1; p < tb->pages->len; p++)
            if (g_array_index(tb->pages, int, p) == v->number) {
                g_string_append_printf(o, "<p>Continues <a href=\"#table-%u\">", t + 1);
                table_label(o, tb);
                g_string_append_printf(o, "</a> from page %d.</p>", first);
                any = TRUE;
            }
    }
    for (guint i = 0; doc->targets && i < doc->targets->len; i++) {
        const bpn_target *f = doc->targets->pdata[i];
        if (f->pages->len && g_array_index(f->pages, int, 0) == v->number) {
            g_string_append(o, "<p>Performance-target form (绩效目标表): ");
            esc(o, f->project ? f->project : "(no project name)");
            g_string_append_printf(o, ", %u indicators.</p>", f->indicators->len);
            any = TRUE;
        }
    }
    if (!any)
        g_string_append(o, "<p>No table read on this page.</p>");
    g_string_append(o, "</div></div></section>\n");
}

double bpe_review_scale(double width, double height)
{
    double side = MAX(width, height);
    return side > 0 ? CLAMP(BPE_REVIEW_PIXELS / side, 0.05, 4.0) : 1.0;
}

char *bpe_document_review_html(const bpn_document *doc, const char *pages_dir, const char *json_name)
{
    GString *o = g_string_new("<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n"
                              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc_printf(o, "Review: %s", doc->unit ? doc->unit : doc->source.file);
    g_string_append_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", STYLE);
    review_head(o, doc, json_name);
    guint8 **marks = cell_marks(doc);
    for (guint i = 0; doc->pages && i < doc->pages->len; i++) {
        const bpn_page_view *v = doc->pages->pdata[i];
        page_section(o, doc, v, pages_dir, bpe_review_scale(v->width, v->height), marks);
    }
    cell_marks_free(marks, doc->tables->len);
    g_string_append(o, "</main>\n</body>\n</html>\n");
    return g_string_free(o, FALSE);
}
