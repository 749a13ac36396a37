/* test_ocr — unit test of reading a page without a text layer (extract/ocr.c)
 * through the extract stage's interface.
 *
 * The pages are drawn here: a small ruled table (title, labels, amounts) is
 * painted into an image at 200 dpi, turned a little as a scanner would, and
 * the image alone is put on a PDF page, so the page has print and no text.
 * Needs Tesseract's chi_sim, eng and osd data (Makefile: depcheck) and the
 * WenQuanYi font the other unit tests draw with.
 */
#include "check.h"
#include "extract/extract.h"
#include "extract/ocr.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DPI 200.0

static const char *labels[] = {"合计", "一般公共服务支出", "教育支出", "卫生健康支出"};
static const char *amounts[] = {"1304.37", "88.20", "910.46", "305.71"};

/* The table drawn in points on cr: a title, a 2-column grid of 5 rows;
 * the labels stand `inset` points right of the left rule. */
static void draw_table_inset(cairo_t *cr, double inset)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "WenQuanYi Zen Hei", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 16);
    cairo_move_to(cr, 200, 120);
    cairo_show_text(cr, "2025年预算支出总表");
    double xs[] = {90, 300, 480}, ys[] = {160, 185, 210, 235, 260, 285};
    cairo_set_line_width(cr, 0.8);
    for (int i = 0; i < 6; i++) {
        cairo_move_to(cr, xs[0], ys[i]);
        cairo_line_to(cr, xs[2], ys[i]);
    }
    for (int i = 0; i < 3; i++) {
        cairo_move_to(cr, xs[i], ys[0]);
        cairo_line_to(cr, xs[i], ys[5]);
    }
    cairo_stroke(cr);
    cairo_set_font_size(cr, 11);
    cairo_move_to(cr, 96, 177);
    cairo_show_text(cr, "项目");
    cairo_move_to(cr, 306, 177);
    cairo_show_text(cr, "金额");
    for (int r = 0; r < 4; r++) {
        cairo_move_to(cr, xs[0] + inset, ys[r + 1] + 17);
        cairo_show_text(cr, labels[r]);
        cairo_text_extents_t e;
        cairo_text_extents(cr, amounts[r], &e);
        cairo_move_to(cr, xs[2] - 6 - e.x_advance, ys[r + 1] + 17);
        cairo_show_text(cr, amounts[r]);
    }
}

static void draw_table(cairo_t *cr)
{
    draw_table_inset(cr, 6);
}

/* An image of the table (labels `inset` points from the rule) on an A4
 * page at DPI, turned by `degrees` (clockwise) and then by `quarter` (0,
 * 90: fed in sideways, or 180: upside down). */
static cairo_surface_t *table_image(double degrees, int quarter, double inset)
{
    double w = 595, h = 842, k = DPI / 72.0;
    int W = (int)(w * k), H = (int)(h * k);
    gboolean across = quarter == 90;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, across ? H : W, across ? W : H);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 0.93, 0.92, 0.88); /* grey paper */
    cairo_paint(cr);
    if (quarter == 90) { /* the page's top to the left */
        cairo_translate(cr, 0, W);
        cairo_rotate(cr, -G_PI / 2);
    } else if (quarter == 180) {
        cairo_translate(cr, W, H);
        cairo_rotate(cr, G_PI);
    }
    cairo_scale(cr, k, k);
    cairo_translate(cr, w / 2, h / 2);
    cairo_rotate(cr, degrees * G_PI / 180);
    cairo_translate(cr, -w / 2, -h / 2);
    draw_table_inset(cr, inset);
    cairo_destroy(cr);
    return img;
}

/* A PDF of n pages, page i holding only table_image(degrees[i],
 * quarters[i], inset). */
static char *images_pdf(const char *name, int n, const double *degrees, const int *quarters, double inset)
{
    double k = DPI / 72.0;
    char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595, 842);
    for (int i = 0; i < n; i++) {
        cairo_surface_t *img = table_image(degrees[i], quarters[i], inset);
        cairo_pdf_surface_set_size(pdf, cairo_image_surface_get_width(img) / k,
                                   cairo_image_surface_get_height(img) / k);
        cairo_t *cr = cairo_create(pdf);
        cairo_scale(cr, 1 / k, 1 / k);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_show_page(cr);
        cairo_destroy(cr);
        cairo_surface_destroy(img);
    }
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    return path;
}

/* A one-page PDF holding only table_image(degrees, quarter, inset). */
static char *image_pdf_inset(const char *name, double degrees, int quarter, double inset)
{
    return images_pdf(name, 1, &degrees, &quarter, inset);
}

static char *image_pdf(const char *name, double degrees, int quarter)
{
    return image_pdf_inset(name, degrees, quarter, 6);
}

/* A one-page PDF with the table as text (a text layer). */
static char *text_pdf(const char *name)
{
    char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    draw_table(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    return path;
}

/* The page's characters in their order, as UTF-8 (OCR emits a cell's
 * characters together, cell after cell). */
static char *page_text(const bpx_page *p)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < p->n_chars; i++)
        g_string_append_unichar(s, p->chars[i].cp);
    return g_string_free(s, FALSE);
}

static bpx_document *load(const char *path, bpx_ocr_mode mode, const char *tessdata)
{
    bpx_options o = {.ocr = mode, .tessdata = tessdata};
    GError *err = NULL;
    bpx_document *doc = bpx_document_load(path, &o, &err);
    if (!doc) {
        fprintf(stderr, "load %s: %s\n", path, err ? err->message : "?");
        g_clear_error(&err);
    }
    return doc;
}

static void check_table_read(check_counts *c, const bpx_page *p, const char *what)
{
    char *text = page_text(p);
    int found = 0;
    for (int i = 0; i < 4; i++)
        found += strstr(text, amounts[i]) != NULL;
    CHECK(c, found == 4);
    found = 0;
    for (int i = 0; i < 4; i++)
        found += strstr(text, labels[i]) != NULL;
    CHECK(c, found >= 3);
    /* the title, outside the grid: 8 of its 10 characters at least (the
     * page-level pass reads a character wrong now and then: 支 as 文) */
    const char *title = "2025年预算支出总表";
    int title_found = 0;
    for (const char *t = title; *t; t = g_utf8_next_char(t)) {
        char one[8] = {0};
        g_unichar_to_utf8(g_utf8_get_char(t), one);
        title_found += strstr(text, one) != NULL;
    }
    CHECK(c, title_found >= 8);
    if (found < 3 || !strstr(text, amounts[0]) || title_found < 8)
        fprintf(stderr, "%s read: %s\n", what, text);
    /* every character read by OCR, with a confidence, inside the page */
    size_t bad = 0;
    for (size_t i = 0; i < p->n_chars; i++) {
        const bpx_char *ch = &p->chars[i];
        bad += ch->ocr_conf < 1 || ch->ocr_conf > 100 || ch->box.x0 < 0 || ch->box.y0 < 0 ||
               ch->box.x1 > p->width || ch->box.y1 > p->height || ch->box.x1 <= ch->box.x0 || ch->font_size <= 0;
    }
    CHECK(c, p->n_chars > 0 && bad == 0);
    g_free(text);
}

static void test_scanned_table(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-table.pdf", 2.0, 0);
    bpx_document *doc = load(path, BPX_OCR_AUTO, NULL);
    CHECK(c, doc != NULL);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        CHECK(c, p->ocr && !p->ocr_failed);
        CHECK(c, fabs(p->ocr_skew - 2.0) < 0.3);
        CHECK(c, p->turned == 0);
        /* the grid straightened: 6 rules across, 3 down, level and plumb */
        CHECK(c, p->n_hlines >= 6 && p->n_vlines >= 3);
        for (size_t i = 0; i < p->n_hlines; i++)
            CHECK(c, p->hlines[i].x1 - p->hlines[i].x0 > 300);
        check_table_read(c, p, "scanned table");
        bpx_document_free(doc);
    }
    /* never: the page stays without text */
    doc = load(path, BPX_OCR_NEVER, NULL);
    CHECK(c, doc && !doc->pages[0].ocr && doc->pages[0].n_chars == 0);
    bpx_document_free(doc);
    remove(path);
    g_free(path);
}

static void test_sideways(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-sideways.pdf", -1.5, 90);
    bpx_document *doc = load(path, BPX_OCR_AUTO, NULL);
    CHECK(c, doc != NULL);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        CHECK(c, p->ocr);
        CHECK(c, p->turned == 90);
        CHECK(c, p->width < p->height); /* upright again: portrait */
        check_table_read(c, p, "sideways table");
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

static void test_text_page(check_counts *c)
{
    char *path = text_pdf("budgetpdf-test-ocr-text.pdf");
    bpx_document *doc = load(path, BPX_OCR_AUTO, NULL);
    CHECK(c, doc && !doc->pages[0].ocr && doc->pages[0].n_chars > 20);
    if (doc)
        for (size_t i = 0; i < doc->pages[0].n_chars; i++)
            CHECK(c, doc->pages[0].chars[i].ocr_conf == 0);
    bpx_document_free(doc);
    doc = load(path, BPX_OCR_ALWAYS, NULL);
    CHECK(c, doc && doc->pages[0].ocr);
    if (doc)
        check_table_read(c, &doc->pages[0], "text page, --ocr always");
    bpx_document_free(doc);
    /* no language data: the page keeps its text layer, and says why */
    doc = load(path, BPX_OCR_ALWAYS, "/nonexistent-tessdata");
    CHECK(c, doc && !doc->pages[0].ocr && doc->pages[0].ocr_failed && doc->pages[0].n_chars > 20);
    bpx_document_free(doc);
    remove(path);
    g_free(path);
}

/* A page scanned upside down is read turned round (Tesseract's orientation
 * detector left such table pages as they were: unsure of them). */
static void test_upside_down(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-upside-down.pdf", 1.5, 180);
    bpx_document *doc = load(path, BPX_OCR_AUTO, NULL);
    CHECK(c, doc != NULL);
    if (doc) {
        CHECK(c, doc->pages[0].ocr && doc->pages[0].width < doc->pages[0].height);
        check_table_read(c, &doc->pages[0], "upside-down table");
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

/* A page reads the same whatever pages the document read before it: the
 * engines are made for a page and freed when it is read, the orientation
 * detector is freed before the others are made (extract/ocr.c, "Memory"),
 * and nothing one page sets on an engine (the page-level pass turns the
 * symbols' alternatives off) is left for the next.  The table read third,
 * after an upside-down page and a sideways one, against the same table
 * alone in a document. */
static void test_page_after_pages(check_counts *c)
{
    const double degrees[] = {1.5, -1.5, 2.0};
    const int quarters[] = {180, 90, 0};
    char *three = images_pdf("budgetpdf-test-ocr-three.pdf", 3, degrees, quarters, 6);
    char *one = image_pdf("budgetpdf-test-ocr-one.pdf", 2.0, 0);
    bpx_document *a = load(three, BPX_OCR_AUTO, NULL), *b = load(one, BPX_OCR_AUTO, NULL);
    CHECK(c, a && b && a->n_pages == 3 && b->n_pages == 1);
    if (a && b && a->n_pages == 3 && b->n_pages == 1) {
        const bpx_page *p = &a->pages[2], *q = &b->pages[0];
        CHECK(c, p->ocr && q->ocr && p->turned == 0 && a->pages[1].turned == 90);
        check_table_read(c, p, "table after two pages");
        CHECK(c, p->n_chars == q->n_chars);
        size_t same = 0;
        for (size_t i = 0; i < MIN(p->n_chars, q->n_chars); i++)
            same += p->chars[i].cp == q->chars[i].cp && p->chars[i].ocr_conf == q->chars[i].ocr_conf &&
                    fabs(p->chars[i].box.x0 - q->chars[i].box.x0) < 1e-9 &&
                    fabs(p->chars[i].box.y1 - q->chars[i].box.y1) < 1e-9;
        CHECK(c, same == q->n_chars);
        /* the amounts' other readings too (lstm_choice_mode in the cells) */
        CHECK(c, p->n_ocr_readings == q->n_ocr_readings && q->n_ocr_readings > 0);
        size_t same_alts = 0;
        for (size_t i = 0; i < MIN(p->n_ocr_readings, q->n_ocr_readings); i++) {
            char **x = p->ocr_readings[i].alternatives, **y = q->ocr_readings[i].alternatives;
            gboolean equal = g_strcmp0(p->ocr_readings[i].text, q->ocr_readings[i].text) == 0 &&
                             (x ? g_strv_length(x) : 0) == (y ? g_strv_length(y) : 0);
            for (guint j = 0; equal && y && y[j]; j++)
                equal = g_strcmp0(x[j], y[j]) == 0;
            same_alts += equal;
        }
        CHECK(c, same_alts == q->n_ocr_readings);
        if (same != q->n_chars || same_alts != q->n_ocr_readings) {
            char *tp = page_text(p), *tq = page_text(q);
            fprintf(stderr, "after two pages: %s\nalone: %s\n", tp, tq);
            g_free(tp);
            g_free(tq);
        }
    }
    bpx_document_free(a);
    bpx_document_free(b);
    remove(three);
    remove(one);
    g_free(three);
    g_free(one);
}

/* A lender with processors to spare at every call (batch/spare.c lends
 * only what the batch leaves over). */
static gboolean lend_always(void *user)
{
    ++*(int *)user;
    return TRUE;
}

static void give_back(void *user)
{
    --*(int *)user;
}

/* A lender with one processor in all: it hands it over once, ever
 * (user: how many times it did), so one child at most is forked. */
typedef struct {
    int taken, held;
} one_processor;

static gboolean lend_once(void *user)
{
    one_processor *l = user;
    if (l->taken > 0)
        return FALSE;
    l->taken++;
    l->held++;
    return TRUE;
}

static void give_once(void *user)
{
    ((one_processor *)user)->held--;
}

/* The 4 scanned pages of path (serial: read without lending) read with one
 * processor lent, ever: the one child, when its page is written, claims the
 * next unclaimed scanned page itself and reads it too (ahead.c, step 2), so
 * it reads 2 of the 4 (this process reads the first page, and the next
 * unclaimed one while the child reads its first).  With the child taking
 * no further page (the look ahead's one child per page, before), it read
 * 1.  The document is the one read without lending, and the processor is
 * given back. */
static void test_lent_child_reads_on(check_counts *c, const char *path, const bpx_document *serial)
{
    one_processor l = {0, 0};
    bpx_lender lender = {lend_once, give_once, &l};
    bpx_options o = {.lender = &lender};
    GError *err = NULL;
    bpx_document *b = bpx_document_load(path, &o, &err);
    g_clear_error(&err);
    CHECK(c, b && b->n_pages == 4);
    if (b && b->n_pages == 4) {
        CHECK(c, l.taken == 1 && l.held == 0);
        CHECK(c, b->ocr_pages_lent >= 2);
        if (b->ocr_pages_lent < 2)
            fprintf(stderr, "one lent processor: %d pages read in its child\n", b->ocr_pages_lent);
        for (int i = 0; i < 4; i++) {
            const bpx_page *p = &serial->pages[i], *q = &b->pages[i];
            char *tp = page_text(p), *tq = page_text(q);
            CHECK(c, p->ocr && q->ocr && q->number == i + 1 && strcmp(tp, tq) == 0 &&
                         p->n_ocr_readings == q->n_ocr_readings);
            g_free(tp);
            g_free(tq);
        }
    }
    bpx_document_free(b);
}

/* A scanned document read through chunks of 2 pages (pagetree.c) with
 * processors lent: the page after each page read here is read in a child,
 * in every chunk (the child opens the page by its place in the chunk), and
 * the document is the one read without lending.  Fails when a child asks
 * the chunk's document for the page's place in the whole document (only
 * the first chunk lends then: 1 page lent of 4). */
static void test_lent_pages_over_chunks(check_counts *c)
{
    const double degrees[] = {0, 0, 0, 0};
    const int quarters[] = {0, 0, 0, 0};
    char *four = images_pdf("budgetpdf-test-ocr-four.pdf", 4, degrees, quarters, 6);
    int held = 0;
    bpx_lender lender = {lend_always, give_back, &held};
    bpx_options serial = {.chunk_pages = 2}, lent = {.chunk_pages = 2, .lender = &lender};
    GError *err = NULL;
    bpx_document *a = bpx_document_load(four, &serial, &err);
    g_clear_error(&err);
    bpx_document *b = bpx_document_load(four, &lent, &err);
    g_clear_error(&err);
    CHECK(c, a && b && a->n_pages == 4 && b->n_pages == 4);
    if (a && b && a->n_pages == 4 && b->n_pages == 4) {
        CHECK(c, a->ocr_pages_lent == 0);
        CHECK(c, b->ocr_pages_lent == 2); /* pages 2 and 4, one in each chunk */
        CHECK(c, held == 0);              /* every processor given back */
        for (int i = 0; i < 4; i++) {
            const bpx_page *p = &a->pages[i], *q = &b->pages[i];
            char *tp = page_text(p), *tq = page_text(q);
            CHECK(c, p->ocr && q->ocr && q->number == i + 1 && strcmp(tp, tq) == 0 &&
                         p->n_ocr_readings == q->n_ocr_readings);
            g_free(tp);
            g_free(tq);
        }
        test_lent_child_reads_on(c, four, a);
    }
    bpx_document_free(a);
    bpx_document_free(b);
    remove(four);
    g_free(four);
}

/* The characters of each amount boxed as a text layer boxes them: one after
 * the other without gaps, over the same height (the grid cuts columns at
 * gaps of 2 points, and takes a point lower than its digits for a line of
 * its own); labels set a point and a half from their rule read whole. */
static void test_boxes_and_tight_labels(check_counts *c)
{
    char *path = image_pdf_inset("budgetpdf-test-ocr-tight.pdf", -1.8, 0, 1.5);
    bpx_document *doc = load(path, BPX_OCR_AUTO, NULL);
    CHECK(c, doc != NULL);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        check_table_read(c, p, "labels against their rule");
        char *text = page_text(p);
        for (int a = 0; a < 4; a++) {
            const char *at = strstr(text, amounts[a]);
            if (!at)
                continue;
            size_t first = (size_t)g_utf8_pointer_to_offset(text, at), n = strlen(amounts[a]);
            int gaps = 0, heights = 0;
            for (size_t i = first + 1; i < first + n && i < p->n_chars; i++) {
                const bpx_rect *l = &p->chars[i - 1].box, *r = &p->chars[i].box;
                gaps += fabs(r->x0 - l->x1) > 0.01;
                heights += fabs(r->y0 - l->y0) > 0.01 || fabs(r->y1 - l->y1) > 0.01;
            }
            CHECK(c, gaps == 0 && heights == 0);
            if (gaps || heights)
                fprintf(stderr, "%s: %d gaps, %d heights differ\n", amounts[a], gaps, heights);
        }
        g_free(text);
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

/* Shares in a ruled table ("100%", "98.5%"): read with their per cent
 * sign, which a cell of mostly digits lost to the digits-only pass and to
 * the trimming of marks at a cell's ends. */
static void test_shares(check_counts *c)
{
    static const char *const rows[][2] = {{"发放准确率", "100%"}, {"满意度", "98.5%"}, {"完成率", "60%"}};
    double w = 595, h = 842, k = DPI / 72.0;
    int W = (int)(w * k), H = (int)(h * k);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "WenQuanYi Zen Hei", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    double xs[] = {90, 300, 480}, ys[] = {160, 185, 210, 235};
    cairo_set_line_width(cr, 0.8);
    for (int i = 0; i < 4; i++) {
        cairo_move_to(cr, xs[0], ys[i]);
        cairo_line_to(cr, xs[2], ys[i]);
    }
    for (int i = 0; i < 3; i++) {
        cairo_move_to(cr, xs[i], ys[0]);
        cairo_line_to(cr, xs[i], ys[3]);
    }
    cairo_stroke(cr);
    cairo_set_font_size(cr, 11);
    for (int r = 0; r < 3; r++) {
        cairo_move_to(cr, xs[0] + 6, ys[r] + 17);
        cairo_show_text(cr, rows[r][0]);
        cairo_move_to(cr, xs[1] + 60, ys[r] + 17);
        cairo_show_text(cr, rows[r][1]);
    }
    cairo_destroy(cr);
    char *path = g_build_filename(g_get_tmp_dir(), "budgetpdf-test-ocr-shares.pdf", NULL);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, w, h);
    cr = cairo_create(pdf);
    cairo_scale(cr, 1 / k, 1 / k);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(img);
    bpx_document *doc = load(path, BPX_OCR_AUTO, NULL);
    CHECK(c, doc && doc->n_pages == 1);
    if (doc) {
        char *text = page_text(&doc->pages[0]);
        for (int r = 0; r < 3; r++) {
            CHECK(c, strstr(text, rows[r][1]) != NULL);
            if (!strstr(text, rows[r][1]))
                fprintf(stderr, "shares read: %s\n", text);
        }
        g_free(text);
        bpx_document_free(doc);
    }
    g_remove(path);
    g_free(path);
}

/* A page of n ideographs and k characters cp, the latter hidden or not. */
static void fill_page(bpx_page *p, bpx_char *chars, size_t n, size_t k, uint32_t cp, gboolean hidden)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < n + k; i++)
        chars[i] = (bpx_char){.cp = i < n ? 0x4E00 + (uint32_t)i : cp, .box = {10, 10, 20, 20}, .font_size = 10,
                              .hidden = i >= n && hidden};
    p->chars = chars;
    p->n_chars = n + k;
}

/* Which text layers do not read (bpx_text_layer_garbled): Chinese mapped to
 * Latin-1 letters, or to lower-case letters between ideographs, does not; a
 * Chinese page with a few signs no disclosure prints (private-use symbols,
 * é), with such characters hidden, with signs it prints (× ¥) or upper-case
 * letters between ideographs (B超) does. */
static void test_garbled_layer(check_counts *c)
{
    bpx_char chars[520];
    bpx_page p;
    fill_page(&p, chars, 0, 100, 0xE2 /* â */, FALSE);
    CHECK(c, bpx_text_layer_garbled(&p));
    fill_page(&p, chars, 150, 20, 0x017D /* Ž */, FALSE); /* 20 of 170: 12% */
    CHECK(c, bpx_text_layer_garbled(&p));
    fill_page(&p, chars, 200, 7, 0xF0FC /* a Wingdings tick in private use */, FALSE); /* fewer than 8 */
    CHECK(c, !bpx_text_layer_garbled(&p));
    fill_page(&p, chars, 460, 9, 0xE9 /* é */, FALSE); /* 9 of 469: under 2% */
    CHECK(c, !bpx_text_layer_garbled(&p));
    fill_page(&p, chars, 20, 100, 0xE2, TRUE); /* hidden: not shown, not judged */
    CHECK(c, !bpx_text_layer_garbled(&p));
    fill_page(&p, chars, 100, 50, 0xD7 /* × */, FALSE); /* signs a disclosure prints */
    CHECK(c, !bpx_text_layer_garbled(&p));
    fill_page(&p, chars, 100, 30, 0xA5 /* ¥ before amounts */, FALSE);
    CHECK(c, !bpx_text_layer_garbled(&p));
    /* a letter alone between two ideographs: lower case is a broken map's
     * ("监o与"), upper case is printed (B超, A类) */
    for (uint32_t letter = 'o'; letter; letter = letter == 'o' ? 'B' : 0) {
        fill_page(&p, chars, 200, 0, 0, FALSE);
        for (size_t i = 1; i < 200; i += 10)
            chars[i].cp = letter; /* 20 of 200, each between two ideographs */
        CHECK(c, bpx_text_layer_garbled(&p) == (letter == 'o'));
    }
}

int main(void)
{
    check_counts c = {0, 0};
    test_garbled_layer(&c);
    test_scanned_table(&c);
    test_sideways(&c);
    test_text_page(&c);
    test_upside_down(&c);
    test_page_after_pages(&c);
    test_lent_pages_over_chunks(&c);
    test_boxes_and_tight_labels(&c);
    test_shares(&c);
    printf("test_ocr: %d passed, %d failed\n", c.passed, c.failed);
    return c.failed ? 1 : 0;
}
