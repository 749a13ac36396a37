/* test_review.c — the review page (emit/review.c) on a document built by
 * hand: a table with a failing identity, one with a holding one, a page
 * with a frame and removed text, a page read by OCR with glyphs of low
 * confidence, a page OCR could not read.  The browser test (tests/run_review.py)
 * looks at the pages of the fixtures. */
#include "emit/emit.h"
#include "normalize/internal.h"
#include "check.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>

static bpn_table *table(int number, const char *title, const char *cells[][2], int n_rows)
{
    bpn_table *t = g_new0(bpn_table, 1);
    t->number = number;
    t->title = g_strdup(title);
    t->unit_of_measure = g_strdup("万元");
    t->n_cols = 2;
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    int page = 1;
    g_array_append_val(t->pages, page);
    t->header_rows = g_ptr_array_new();
    t->rows = g_ptr_array_new();
    t->notes = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n_rows; i++) {
        bpn_row *r = g_new0(bpn_row, 1);
        r->cells = g_new0(bpn_cell, 2);
        r->cells[0].text = g_strdup(cells[i][0]);
        r->cells[1].text = g_strdup(cells[i][1]);
        r->cells[1].is_number = bpn_parse_amount(cells[i][1], &r->cells[1].number);
        g_ptr_array_add(i == 0 ? t->header_rows : t->rows, r);
    }
    return t;
}

static bpn_check *check(const bpn_table *t, double expected, double found, int n_cells, const int *cells)
{
    bpn_check *k = g_new0(bpn_check, 1);
    k->table = t->number;
    k->source_table = t;
    k->rule = g_strdup("total_row");
    k->row = g_strdup("合计");
    k->column = g_strdup("金额");
    k->expected = expected;
    k->found = found;
    k->ok = fabs(expected - found) < 0.01;
    k->cells = g_array_new(FALSE, FALSE, sizeof(int));
    g_array_append_vals(k->cells, cells, (guint)n_cells * 2);
    return k;
}

/* The class of the td holding text in the table with id="table-N"'s box. */
static char *cell_class(const char *html, int table, const char *text)
{
    char *anchor = g_strdup_printf("aria-labelledby=\"table-%d\"", table);
    const char *from = strstr(html, anchor), *to = from ? strstr(from, "</table>") : NULL;
    g_free(anchor);
    if (!to)
        return NULL;
    char *want = g_strdup_printf(">%s</td>", text);
    const char *at = g_strstr_len(from, to - from, want);
    g_free(want);
    if (!at)
        return NULL;
    const char *td = g_strrstr_len(from, at - from, "<td");
    const char *cls = td ? g_strstr_len(td, at - td, "class=\"") : NULL;
    return cls ? g_strndup(cls + 7, (gsize)(strchr(cls + 7, '"') - cls - 7)) : g_strdup("");
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* A table on an A4 page: upright, or printed sideways (text running down
 * the portrait page, no /Rotate) so that extract turns the page by 270. */
static char *table_pdf(gboolean sideways)
{
    char *path = g_build_filename(g_get_tmp_dir(), sideways ? "budgetpdf-review-side.pdf" : "budgetpdf-review-up.pdf",
                                  NULL);
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    if (sideways) {
        cairo_translate(cr, 595, 0);
        cairo_rotate(cr, G_PI / 2);
    }
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10);
    const char *words[] = {"Income", "Expenditure", "Balance", "Total", "Other", "Funds"};
    for (int i = 0; i < 30; i++) { /* enough text for the turn to be judged */
        cairo_move_to(cr, 70 + (i % 3) * 150, 60 + (i / 3) * 14);
        cairo_show_text(cr, words[i % 6]);
    }
    cairo_set_line_width(cr, 1);
    for (int i = 0; i <= 4; i++) {
        cairo_move_to(cr, 60, 220 + i * 30);
        cairo_line_to(cr, 500, 220 + i * 30);
    }
    for (int j = 0; j <= 3; j++) {
        cairo_move_to(cr, 60 + j * 440 / 3.0, 220);
        cairo_line_to(cr, 60 + j * 440 / 3.0, 340);
    }
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return path;
}

/* Darkest pixel within `reach` pixels of (x, y) of an RGB24 image, 0..255. */
static int darkest(cairo_surface_t *img, double x, double y, int reach)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img), dark = 255;
    const unsigned char *data = cairo_image_surface_get_data(img);
    for (int dy = -reach; dy <= reach; dy++)
        for (int dx = -reach; dx <= reach; dx++) {
            int px = (int)x + dx, py = (int)y + dy;
            if (px < 0 || py < 0 || px >= w || py >= h)
                continue;
            uint32_t v = *(const uint32_t *)(const void *)(data + (size_t)py * (size_t)stride + (size_t)px * 4);
            dark = MIN(dark, (int)((v >> 8) & 0xff));
        }
    return dark;
}

/* The picture of a page matches its geometry: every ruling the extract
 * stage found is ink on the PNG at its coordinates times the scale, and the
 * middle of a cell is not; upright and turned. */
static void test_render(check_counts *c, gboolean sideways)
{
    char *pdf = table_pdf(sideways);
    GError *err = NULL;
    bpx_document *doc = bpx_document_load(pdf, NULL, &err);
    CHECK(c, doc && doc->n_pages == 1);
    if (!doc) {
        g_clear_error(&err);
        g_free(pdf);
        return;
    }
    const bpx_page *p = &doc->pages[0];
    CHECK(c, p->turned == (sideways ? 270 : 0));
    CHECK(c, p->n_hlines >= 5 && p->n_vlines >= 4);
    char *png = g_build_filename(g_get_tmp_dir(), "budgetpdf-review-page.png", NULL);
    double scale = bpe_review_scale(p->width, p->height);
    bpx_renderer *r = bpx_renderer_open(pdf, NULL, &err);
    CHECK(c, r && bpx_renderer_page_png(r, 1, scale, p->turned, png, &err));
    CHECK(c, err == NULL);
    g_clear_error(&err);
    CHECK(c, r && !bpx_renderer_page_png(r, 2, scale, 0, png, &err) && err); /* no page 2 */
    g_clear_error(&err);
    bpx_renderer_free(r);
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    CHECK(c, cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
        CHECK(c, cairo_image_surface_get_width(img) == (int)ceil(p->width * scale));
        CHECK(c, cairo_image_surface_get_height(img) == (int)ceil(p->height * scale));
        /* the ruling detector places a stroke within a point of where it
         * is drawn; a wrong turn or scale would be off by far more */
        int reach = (int)ceil(1.5 * scale), missed = 0;
        for (size_t i = 0; i < p->n_hlines; i++) {
            const bpx_line *l = &p->hlines[i];
            missed += darkest(img, (l->x0 + l->x1) / 2 * scale, l->y0 * scale, reach) > 128;
        }
        for (size_t i = 0; i < p->n_vlines; i++) {
            const bpx_line *l = &p->vlines[i];
            missed += darkest(img, l->x0 * scale, (l->y0 + l->y1) / 2 * scale, reach) > 128;
        }
        CHECK(c, missed == 0);
        /* between the first two rules, beside the first vertical one: paper */
        const bpx_line *h = &p->hlines[0], *v = &p->vlines[0];
        double mid_y = h->y0 + 15, mid_x = v->x0 + 20;
        CHECK(c, darkest(img, mid_x * scale, mid_y * scale, reach) > 200);
    }
    cairo_surface_destroy(img);
    g_unlink(png);
    g_free(png);
    bpx_document_free(doc);
    g_unlink(pdf);
    g_free(pdf);
}

static bpx_char ocr_glyph(gunichar cp, double x0, double y0, int conf)
{
    bpx_char c = {0};
    c.cp = cp;
    c.box = (bpx_rect){x0, y0, x0 + 10, y0 + 10};
    c.font_size = 10;
    c.ocr_conf = (uint8_t)conf;
    return c;
}

/* The part of html from the section of page n to the next section. */
static char *page_part(const char *html, int n)
{
    char *id = g_strdup_printf("<section class=\"page\" id=\"page-%d\"", n);
    const char *from = strstr(html, id);
    g_free(id);
    if (!from)
        return g_strdup("");
    const char *to = strstr(from + 1, "<section ");
    return to ? g_strndup(from, (gsize)(to - from)) : g_strdup(from);
}

/* Glyphs read by OCR with confidence below BPN_OCR_LOW_CONFIDENCE become
 * marks, a run of them along a line one mark with the lowest confidence,
 * drawn over the page turned by its skew, with the confidence told. */
static void test_low_confidence(check_counts *c, bpn_document *d)
{
    bpx_char glyphs[] = {
        ocr_glyph(0x5408, 100, 100, 95), /* 合: sure */
        ocr_glyph(0x8BA1, 110, 100, 60), /* 计金: one run, its lowest 50 */
        ocr_glyph(0x91D1, 120, 100, 50),
        ocr_glyph(0x989D, 130, 100, 95), /* 额: sure, ends the run */
        ocr_glyph('1', 300, 200, BPN_OCR_LOW_CONFIDENCE - 1), /* just below: a mark */
        ocr_glyph('2', 310, 200, BPN_OCR_LOW_CONFIDENCE),     /* at the threshold: none */
        ocr_glyph('<', 110, 112, 30),    /* the next line, under 计: a run of its own */
        ocr_glyph('3', 400, 300, 40),    /* a run of its own: too far from the next */
        ocr_glyph('4', 430, 300, 45),
    };
    bpx_page page = {.number = 2, .width = 595, .height = 842, .ocr = TRUE, .ocr_skew = 1.5};
    page.chars = glyphs;
    page.n_chars = G_N_ELEMENTS(glyphs);
    bpx_line rule = {50, 150, 500, 150};
    page.hlines = &rule;
    page.n_hlines = 1;
    bpn_page_view_add(d, &page);
    /* a text page never has marks of confidence, whatever its chars say */
    bpx_page text = {.number = 3, .width = 595, .height = 842};
    text.chars = glyphs;
    text.n_chars = G_N_ELEMENTS(glyphs);
    text.ocr_failed = g_strdup("no language data for \"chi_sim\"");
    bpn_page_view_add(d, &text);
    g_free(text.ocr_failed);
    g_array_append_val(d->source.ocr_pages, page.number);
    d->source.pages = 3;

    const bpn_page_view *v = d->pages->pdata[1];
    CHECK(c, v->ocr && v->ocr_skew == 1.5 && v->marks->len == 5);
    const int want_conf[] = {50, BPN_OCR_LOW_CONFIDENCE - 1, 30, 40, 45};
    const char *want_text[] = {"计金", "1", "<", "3", "4"};
    for (guint i = 0; i < MIN(v->marks->len, 5); i++) {
        const bpn_mark *m = &g_array_index(v->marks, bpn_mark, i);
        CHECK(c, m->kind == BPN_MARK_LOW_CONFIDENCE && m->confidence == want_conf[i]);
        CHECK_STR(c, m->text, want_text[i]);
    }
    const bpn_mark *run = &g_array_index(v->marks, bpn_mark, 0);
    CHECK(c, run->box.x0 == 110 && run->box.y0 == 100 && run->box.x1 == 130 && run->box.y1 == 110);
    CHECK(c, ((const bpn_page_view *)d->pages->pdata[2])->marks->len == 0);

    char *html = bpe_document_review_html(d, "p.pages", "p.json");
    char *p1 = page_part(html, 1), *p2 = page_part(html, 2), *p3 = page_part(html, 3);
    /* drawn inside the group turned by the skew about the page's middle */
    const char *g = strstr(p2, "<g transform=\"rotate(1.500 297.5 421.0)\">");
    const char *mark = strstr(p2, "<rect class=\"lowconf\" data-conf=\"50\" x=\"110.0\" y=\"100.0\" width=\"20.0\" "
                                  "height=\"10.0\"><title>read by OCR as “计金”, confidence 50 of 100</title></rect>");
    CHECK(c, g && mark && mark > g && strstr(g, "</g>") > mark);
    CHECK(c, strstr(p2, "<line class=\"ruling\" x1=\"50.0\" y1=\"150.0\"") > g);
    CHECK(c, count(p2, "<rect class=\"lowconf\"") == 5);
    CHECK(c, strstr(p2, "read by OCR as “&lt;”, confidence 30 of 100") != NULL); /* escaped */
    /* the heading says it, with the skew; the passages listed */
    CHECK(c, strstr(p2, ">Page 2 (read by OCR)</h2>") != NULL);
    CHECK(c, strstr(p2, "turned 1.50° clockwise") != NULL && strstr(p2, "data-low=\"5\"") != NULL);
    CHECK(c, strstr(p2, "<li>“计金” 50</li>") != NULL && count(p2, "<li>") == 5);
    CHECK(c, strstr(p2, "and 5 passages read with low confidence drawn over it") != NULL); /* alt */
    /* the text page and the page OCR could not read: no turn, no mark */
    CHECK(c, strstr(p1, "<g>") != NULL && strstr(p1, "lowconf") == NULL && strstr(p1, "read by OCR") == NULL);
    CHECK(c, strstr(p3, "<g>") != NULL && strstr(p3, "lowconf") == NULL && strstr(p3, "(read by OCR)") == NULL);
    CHECK(c, strstr(p3, "OCR could not read it: no language data for &quot;chi_sim&quot;") != NULL);
    /* named at the top, and in the legend */
    CHECK(c, strstr(html, "<dt>Read by OCR</dt><dd id=\"ocr-pages\">page <a href=\"#page-2\">2</a></dd>") != NULL);
    CHECK(c, strstr(html, "OCR'd text of confidence below 80 (of 100)") != NULL);
    g_free(p1);
    g_free(p2);
    g_free(p3);
    g_free(html);
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    bpn_document *d = bpn_document_new();
    d->source.file = g_strdup("单位 <预算>.pdf");
    d->source.pages = 1;
    d->unit = g_strdup("某某中心");
    d->year = 2025;
    const char *bad[][2] = {{"项目", "金额"}, {"工资", "1.00"}, {"公用", "2.00"}, {"合计", "3.50"}, {"备注", "9.00"}};
    const char *good[][2] = {{"项目", "金额"}, {"工资", "4.00"}, {"合计", "4.00"}};
    bpn_table *t1 = table(1, "收支总表", bad, 5), *t2 = table(2, "支出总表", good, 3);
    g_ptr_array_add(d->tables, t1);
    g_ptr_array_add(d->tables, t2);
    int bad_cells[] = {2, 1, 0, 1, 1, 1}, good_cells[] = {1, 1, 0, 1};
    g_ptr_array_add(d->checks, check(t1, 3.0, 3.5, 3, bad_cells));
    g_ptr_array_add(d->checks, check(t2, 4.0, 4.0, 2, good_cells));

    /* a page with t1's frame, a ruling and a watermark glyph taken off */
    bpx_page page = {.number = 1, .width = 595, .height = 842};
    bpx_line rule = {50, 100, 500, 100};
    page.hlines = &rule;
    page.n_hlines = 1;
    bpn_page_view_add(d, &page);
    bpn_page_mark(d, 1, (bpx_rect){300, 400, 320, 420}, BPN_MARK_NOISE);
    double xs[] = {50, 200, 500}, ys[] = {100, 120, 140, 160, 180, 200};
    bpn_grid *g = bpn_grid_new(1, xs, 2, ys, 5);
    for (int i = 0; i < 10; i++)
        g->text[i] = g_strdup("x");
    bpn_table_add_frame(t1, g, 1);
    bpn_grid_free(g);

    char *html = bpe_document_review_html(d, "p.pages", "p.json");
    CHECK(c, html != NULL);
    /* amounts of the failing identity, of the holding one, of none */
    char *k;
    CHECK_STR(c, (k = cell_class(html, 1, "3.50")), "n fail");
    g_free(k);
    CHECK_STR(c, (k = cell_class(html, 1, "1.00")), "n fail");
    g_free(k);
    CHECK_STR(c, (k = cell_class(html, 1, "9.00")), "n");
    g_free(k);
    CHECK_STR(c, (k = cell_class(html, 2, "4.00")), "n hold");
    g_free(k);
    /* the identity, with expected and found, under its table */
    CHECK(c, strstr(html, "expected 3.00, found 3.50") != NULL);
    CHECK(c, strstr(html, "expected 4.00, found 4.00") == NULL); /* holding ones are counted, not listed */
    CHECK(c, strstr(html, "1 hold</span>, <span class=\"bad\" id=\"count-fail\">1 fail") != NULL);
    /* every table has th; the picture has alt; the name is escaped */
    CHECK(c, count(html, "<table") == 3); /* headline and the two read; no repair, no table of them */
    CHECK(c, count(html, "<thead><tr><th") == 2);
    CHECK(c, strstr(html, "src=\"p.pages/page-0001.png\"") != NULL);
    CHECK(c, count(html, "<img ") == count(html, " alt=\""));
    CHECK(c, strstr(html, "单位 &lt;预算&gt;.pdf") != NULL && strstr(html, "<预算>") == NULL);
    /* the overlay: frame, cells (10), header band down to the first data row, ruling, noise */
    CHECK(c, strstr(html, "<rect class=\"frame\" x=\"50.0\" y=\"100.0\" width=\"450.0\" height=\"100.0\"/>") != NULL);
    CHECK(c, count(html, "<rect class=\"cell\"") == 10);
    CHECK(c, strstr(html, "<rect class=\"header\" x=\"50.0\" y=\"100.0\" width=\"450.0\" height=\"20.0\"/>") != NULL);
    CHECK(c, strstr(html, "<line class=\"ruling\" x1=\"50.0\" y1=\"100.0\" x2=\"500.0\" y2=\"100.0\"/>") != NULL);
    CHECK(c, strstr(html, "<rect class=\"noise\" x=\"300.0\" y=\"400.0\"") != NULL);
    /* no script, no external resource */
    CHECK(c, strstr(html, "<script") == NULL && strstr(html, "http") == NULL);
    /* a text page: no OCR note, nothing drawn as of low confidence */
    CHECK(c, strstr(html, "read by OCR") == NULL && strstr(html, "class=\"lowconf\"") == NULL);
    /* no word of withholding: the failing identity is not excused */
    CHECK(c, strstr(html, "may be why") == NULL && strstr(html, "id=\"withheld\"") == NULL);
    g_free(html);
    /* a document that says it withholds items: its words in the head, and the
     * identity whose parts fall short pointed at them */
    d->withheld_statement = g_strdup("部分涉密事项在预算公开时予以剔除。");
    html = bpe_document_review_html(d, "p.pages", "p.json");
    CHECK(c, html && strstr(html, "<dd id=\"withheld\">部分涉密事项在预算公开时予以剔除。</dd>") != NULL);
    CHECK(c, html && count(html, "href=\"#withheld\">may be why</a>") == 1);
    g_free(html);
    test_low_confidence(c, d);
    bpn_document_free(d);
    test_render(c, FALSE);
    test_render(c, TRUE);
    return check_summary("test_review", c);
}
