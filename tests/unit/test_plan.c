/* test_plan.c — the page plan (extract/plan.c) and pages handed over as they
 * are read (bpx_options.on_page, bpn_builder).
 *
 * The plan is tested on pages built here glyph by glyph (the shapes of the
 * pages it must keep rendering: a table row under prose, a small label
 * beside a large value, a cover, a list, an empty table), then on a PDF
 * drawn with cairo: prose pages are not rendered, a ruled table page is,
 * and the output of the page-by-page path equals that of the whole
 * document. */
#include "emit/emit.h"
#include "extract/extract.h"
#include "extract/plan.h"
#include "normalize/normalize.h"
#include "check.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>

/* ---------------------------------------------------------- synthetic pages */

typedef struct {
    GArray *chars;
} page_builder;

/* n glyphs of height h from x, stepping by `step`, on the row whose top is y. */
static void add_run(GArray *chars, double x, double y, int n, double h, double step)
{
    for (int i = 0; i < n; i++) {
        bpx_char c = {0};
        c.cp = 0x4E00 + (uint32_t)i;
        c.box = (bpx_rect){x + i * step, y, x + i * step + 0.95 * h, y + h};
        c.font_size = (float)h;
        g_array_append_val(chars, c);
    }
}

static bpx_page page_of(GArray *chars)
{
    bpx_page p = {0};
    p.number = 1;
    p.width = 595;
    p.height = 842;
    p.chars = (bpx_char *)(void *)chars->data;
    p.n_chars = chars->len;
    return p;
}

/* 20 rows of running text: 30 ideographs of 12 pt, 20 pt apart. */
static GArray *prose(void)
{
    GArray *chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    for (int r = 0; r < 20; r++)
        add_run(chars, 72, 80 + 20 * r, 30, 12, 12.5);
    return chars;
}

static bpx_page_kind plan_kind(GArray *chars, bpx_page_plan *plan)
{
    bpx_page p = page_of(chars);
    bpx_plan_page(&p, plan);
    return plan->kind;
}

static void test_judgement(check_counts *c)
{
    bpx_page_plan plan;

    GArray *chars = prose();
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_PROSE);
    CHECK(c, !plan.rulings && !plan.ocr);
    CHECK(c, plan.rows == 20 && plan.gapped_rows == 0 && plan.long_rows == 20);

    /* a diagonal watermark over prose does not make it a table */
    for (int i = 0; i < 8; i++) {
        bpx_char w = {.cp = 0x5BC6, .box = {100 + 60 * i, 600 - 60 * i, 140 + 60 * i, 640 - 60 * i},
                      .font_size = 40, .dir = BPX_DIR_DIAGONAL};
        g_array_append_val(chars, w);
    }
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_PROSE);
    g_array_free(chars, TRUE);

    /* prose, then the first row of a two-column table at the page's foot:
     * a label and its value, 30 pt apart */
    chars = prose();
    add_run(chars, 72, 520, 4, 12, 12.5);
    add_run(chars, 72 + 4 * 12.5 + 30, 520, 16, 12, 12.5);
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_TABLE);
    CHECK(c, plan.rulings && plan.gapped_rows == 1);
    g_array_free(chars, TRUE);

    /* a 7 pt label beside a 14 pt value 15 pt away: about one height of the
     * value, two of the label (fixture-like: a form's 项目名称 cell) */
    chars = prose();
    add_run(chars, 72, 524, 4, 7, 7.5);
    add_run(chars, 72 + 4 * 7.5 + 15, 520, 16, 14, 14.5);
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_TABLE);
    g_array_free(chars, TRUE);

    /* a cover: three centred lines */
    chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    add_run(chars, 150, 200, 12, 24, 25);
    add_run(chars, 200, 300, 8, 16, 17);
    add_run(chars, 230, 600, 6, 14, 15);
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_TABLE);
    g_array_free(chars, TRUE);

    /* a list of short lines (names, a form's labels) is not running text */
    chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    add_run(chars, 72, 80, 30, 12, 12.5);
    for (int r = 1; r < 12; r++)
        add_run(chars, 72, 80 + 20 * r, 5, 12, 12.5);
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_TABLE);
    CHECK(c, plan.long_rows == 1);
    g_array_free(chars, TRUE);

    /* an empty table: its title, 单位：万元 at the right, the header cells
     * and 本表无数据 */
    chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    add_run(chars, 150, 80, 20, 16, 16.5);
    add_run(chars, 460, 110, 5, 10, 10.5);
    for (int k = 0; k < 4; k++)
        add_run(chars, 80 + 120 * k, 130, 4, 10, 10.5);
    add_run(chars, 80, 160, 5, 10, 10.5);
    add_run(chars, 80, 190, 20, 10, 10.5);
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_TABLE);
    g_array_free(chars, TRUE);

    /* a glyph set vertically (a tall merged cell's label) */
    chars = prose();
    g_array_index(chars, bpx_char, 5).dir = BPX_DIR_VERTICAL;
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_TABLE);
    g_array_free(chars, TRUE);

    /* no text layer: an image page, for OCR, still rendered */
    chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    CHECK(c, plan_kind(chars, &plan) == BPX_PLAN_IMAGE);
    CHECK(c, plan.ocr && plan.rulings);
    g_array_free(chars, TRUE);
}

/* ------------------------------------------------------------ a drawn PDF */

static void prose_page(cairo_t *cr)
{
    cairo_set_font_size(cr, 11);
    for (int r = 0; r < 24; r++) {
        cairo_move_to(cr, 72, 90 + 22 * r);
        cairo_show_text(cr, "The budget of the department covers its staff and the running of its offices.");
    }
    cairo_show_page(cr);
}

/* A ruled table of 5 rows and 3 columns with a label and two amounts a row. */
static void table_page(cairo_t *cr)
{
    cairo_set_font_size(cr, 10);
    cairo_move_to(cr, 72, 80);
    cairo_show_text(cr, "Table 1 Expenditure");
    double xs[] = {72, 272, 392, 512}, y0 = 100, rh = 24;
    cairo_set_line_width(cr, 0.8);
    for (int r = 0; r <= 5; r++) {
        cairo_move_to(cr, xs[0], y0 + r * rh);
        cairo_line_to(cr, xs[3], y0 + r * rh);
    }
    for (int k = 0; k < 4; k++) {
        cairo_move_to(cr, xs[k], y0);
        cairo_line_to(cr, xs[k], y0 + 5 * rh);
    }
    cairo_stroke(cr);
    for (int r = 0; r < 5; r++) {
        char a[32], b[32];
        g_snprintf(a, sizeof a, "%d.50", 100 + 7 * r);
        g_snprintf(b, sizeof b, "%d.25", 200 + 11 * r);
        cairo_move_to(cr, xs[0] + 4, y0 + r * rh + 16);
        cairo_show_text(cr, "Staff costs");
        cairo_move_to(cr, xs[1] + 4, y0 + r * rh + 16);
        cairo_show_text(cr, a);
        cairo_move_to(cr, xs[2] + 4, y0 + r * rh + 16);
        cairo_show_text(cr, b);
    }
    cairo_show_page(cr);
}

static char *make_pdf(void)
{
    char *path = g_build_filename(g_get_tmp_dir(), "budgetpdf-test-plan.pdf", NULL);
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    prose_page(cr); /* 1: read as text after the cover guess renders it */
    prose_page(cr); /* 2: text first */
    table_page(cr); /* 3: text first, then rendered */
    table_page(cr); /* 4: rendered first */
    prose_page(cr); /* 5: rendered first (the page before was a table), rulings dropped */
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return path;
}

typedef struct {
    int calls;
    gboolean in_order;
    size_t chars[8];
    bpn_builder *builder;
} feed_state;

static void feed(const bpx_document *doc, const bpx_page *page, void *user)
{
    feed_state *f = user;
    f->in_order = f->in_order && page->number == f->calls + 1;
    if (f->calls < 8)
        f->chars[f->calls] = page->n_chars;
    f->calls++;
    if (!f->builder)
        f->builder = bpn_builder_new(doc);
    bpn_builder_add_page(f->builder, page);
}

static void test_drawn(check_counts *c)
{
    char *path = make_pdf();
    GError *err = NULL;
    bpx_document *doc = bpx_document_load(path, NULL, &err);
    CHECK(c, doc && doc->n_pages == 5);
    if (!doc) {
        g_clear_error(&err);
        g_free(path);
        return;
    }
    CHECK(c, !doc->pages[0].ruled && !doc->pages[1].ruled && !doc->pages[4].ruled);
    CHECK(c, doc->pages[0].n_hlines == 0 && doc->pages[4].n_hlines == 0 && doc->pages[4].n_vlines == 0);
    CHECK(c, doc->pages[2].ruled && doc->pages[3].ruled);
    CHECK(c, doc->pages[2].n_hlines >= 6 && doc->pages[2].n_vlines >= 4);
    CHECK(c, doc->pages[3].n_hlines == doc->pages[2].n_hlines && doc->pages[3].n_vlines == doc->pages[2].n_vlines);
    CHECK(c, doc->pages[0].n_chars > 1000 && doc->pages[0].n_chars == doc->pages[4].n_chars);

    /* page by page: the same pages, freed after each, the same document */
    feed_state f = {.in_order = TRUE};
    bpx_options o = {.on_page = feed, .on_page_user = &f};
    bpx_document *streamed = bpx_document_load(path, &o, &err);
    CHECK(c, streamed && f.calls == 5 && f.in_order);
    if (streamed) {
        gboolean freed = TRUE, same = TRUE;
        for (int i = 0; i < 5; i++) {
            freed = freed && streamed->pages[i].chars == NULL && streamed->pages[i].n_chars == 0 &&
                    streamed->pages[i].hlines == NULL;
            same = same && f.chars[i] == doc->pages[i].n_chars && streamed->pages[i].number == i + 1;
        }
        CHECK(c, freed);
        CHECK(c, same);
        bpn_document *whole = bpn_document_build(doc, NULL);
        bpn_document *parts = bpn_builder_finish(f.builder, streamed, NULL);
        char *a = bpe_document_json(whole, BPE_FORMAT_PRETTY, NULL);
        char *b = bpe_document_json(parts, BPE_FORMAT_PRETTY, NULL);
        CHECK(c, a && b && strcmp(a, b) == 0);
        CHECK(c, whole->tables->len >= 1);
        g_free(a);
        g_free(b);
        bpn_document_free(whole);
        bpn_document_free(parts);
        bpx_document_free(streamed);
    } else {
        bpn_builder_free(f.builder);
        g_clear_error(&err);
    }
    bpx_document_free(doc);
    g_unlink(path);
    g_free(path);
}

int main(void)
{
    check_counts c = {0};
    test_judgement(&c);
    test_drawn(&c);
    return check_summary("test_plan", &c);
}
