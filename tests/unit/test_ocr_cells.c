/* test_ocr_cells — unit test of how extract/ocr.c reads a scanned table's
 * cells and rules: codes headed by a letter (letter_code), the rules of a
 * wide table set straight to the pixel (rules_slant), and two specks far
 * apart outside the cells read as no line of print (read_unread_lines).
 *
 * As in test_ocr.c, each page is painted here into an image at 200 dpi on
 * grey paper, turned as a scanner would, and the image alone is put on a
 * PDF page.  Needs Tesseract's chi_sim and eng data and the WenQuanYi font.
 */
#include "check.h"
#include "extract/extract.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DPI 200.0

typedef void (*draw_fn)(cairo_t *cr);

/* A one-page PDF of w x h points holding only an image of draw's page,
 * turned by `degrees` (clockwise) about the page's centre. */
static char *image_pdf(const char *name, double w, double h, double degrees, draw_fn draw)
{
    double k = DPI / 72.0;
    int W = (int)(w * k), H = (int)(h * k);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 0.93, 0.92, 0.88);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    cairo_translate(cr, w / 2, h / 2);
    cairo_rotate(cr, degrees * G_PI / 180);
    cairo_translate(cr, -w / 2, -h / 2);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "WenQuanYi Zen Hei", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    draw(cr);
    cairo_destroy(cr);

    char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, w, h);
    cr = cairo_create(pdf);
    cairo_scale(cr, 1 / k, 1 / k);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(img);
    return path;
}

static void grid(cairo_t *cr, const double *xs, int nx, const double *ys, int ny)
{
    cairo_set_line_width(cr, 0.8);
    for (int i = 0; i < ny; i++) {
        cairo_move_to(cr, xs[0], ys[i]);
        cairo_line_to(cr, xs[nx - 1], ys[i]);
    }
    for (int i = 0; i < nx; i++) {
        cairo_move_to(cr, xs[i], ys[0]);
        cairo_line_to(cr, xs[i], ys[ny - 1]);
    }
    cairo_stroke(cr);
}

static char *page_text(const bpx_page *p)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < p->n_chars; i++)
        g_string_append_unichar(s, p->chars[i].cp);
    return g_string_free(s, FALSE);
}

static bpx_document *load(const char *path)
{
    bpx_options o = {.ocr = BPX_OCR_AUTO};
    GError *err = NULL;
    bpx_document *doc = bpx_document_load(path, &o, &err);
    if (!doc) {
        fprintf(stderr, "load %s: %s\n", path, err ? err->message : "?");
        g_clear_error(&err);
    }
    return doc;
}

/* ------------------------------------------------ codes headed by a letter */

static const char *codes[] = {"A02010104", "A02021001", "A05040101", "C17010200", "C23120302"};
static const char *names[] = {"服务器", "打印机", "家具", "印刷服务", "物业管理"};

static void draw_codes(cairo_t *cr)
{
    double xs[] = {80, 200, 360}, ys[] = {150, 175, 200, 225, 250, 275, 300};
    grid(cr, xs, 3, ys, 7);
    cairo_set_font_size(cr, 10);
    cairo_move_to(cr, 86, 166);
    cairo_show_text(cr, "品目编码");
    cairo_move_to(cr, 206, 166);
    cairo_show_text(cr, "品目名称");
    for (int r = 0; r < 5; r++) {
        cairo_move_to(cr, 86, ys[r + 1] + 16);
        cairo_show_text(cr, codes[r]);
        cairo_move_to(cr, 206, ys[r + 1] + 16);
        cairo_show_text(cr, names[r]);
    }
}

/* Whether the page's text holds each of the n strings; what is not read is
 * printed with the page's text, under what. */
static gboolean reads_every(const bpx_page *p, const char *const *strings, int n, const char *what)
{
    char *text = page_text(p);
    int found = 0;
    for (int i = 0; i < n; i++)
        found += strstr(text, strings[i]) != NULL;
    if (found < n)
        fprintf(stderr, "%s read: %s\n", what, text);
    g_free(text);
    return found == n;
}

/* Whether row r's amount, as the cell's whole reading (the run of
 * characters right of the label column, rows 25 points apart from 150),
 * is want; a misreading is printed under what. */
static gboolean amount_read(const bpx_page *p, int r, const char *want, const char *what)
{
    GString *cell = g_string_new(NULL);
    for (size_t i = 0; i < p->n_chars; i++) {
        const bpx_char *ch = &p->chars[i];
        double mid = (ch->box.y0 + ch->box.y1) / 2;
        if (ch->box.x0 > 240 && mid > 150 + 25 * r && mid < 175 + 25 * r)
            g_string_append_unichar(cell, ch->cp);
    }
    gboolean ok = strcmp(cell->str, want) == 0;
    if (!ok)
        fprintf(stderr, "%s row %d: read \"%s\" for %s\n", what, r, cell->str, want);
    g_string_free(cell, TRUE);
    return ok;
}

/* The digits pass alone reads such a code without its letter, or the
 * letter as a digit (A as 4); the Chinese model alone reads 0 as O. */
static void test_letter_codes(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-codes.pdf", 595, 842, 1.8, draw_codes);
    bpx_document *doc = load(path);
    CHECK(c, doc && doc->pages[0].ocr);
    if (doc) {
        CHECK(c, reads_every(&doc->pages[0], codes, 5, "codes"));
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

/* ------------------------------------------------- a wide table set level */

static void draw_wide(cairo_t *cr)
{
    double xs[] = {40, 100, 260, 340, 420, 500, 580, 660, 740, 800};
    double ys[] = {100, 125, 145, 165, 185, 205, 225, 245, 265, 285, 305};
    grid(cr, xs, 10, ys, 11);
    cairo_set_font_size(cr, 9);
    for (int r = 1; r < 10; r++) {
        char code[16], amount[16];
        g_snprintf(code, sizeof code, "2010%d", r);
        g_snprintf(amount, sizeof amount, "%d.%02d", 100 + 37 * r, 11 * r % 100);
        cairo_move_to(cr, 44, ys[r] + 14);
        cairo_show_text(cr, code);
        cairo_move_to(cr, 104, ys[r] + 14);
        cairo_show_text(cr, "行政运行");
        for (int col = 2; col < 9; col += 3) {
            cairo_text_extents_t e;
            cairo_text_extents(cr, amount, &e);
            cairo_move_to(cr, xs[col + 1] - 4 - e.x_advance, ys[r] + 14);
            cairo_show_text(cr, amount);
        }
    }
}

/* A landscape table 760 points wide turned by an angle the projection
 * measures a little off: the rules come out whole, level to within a
 * hundredth of a degree. */
static void test_wide_rules_whole(check_counts *c)
{
    const double angles[] = {-2.07, 1.63, 2.13};
    for (int a = 0; a < 3; a++) {
        char name[64];
        g_snprintf(name, sizeof name, "budgetpdf-test-ocr-wide-%d.pdf", a);
        char *path = image_pdf(name, 842, 595, angles[a], draw_wide);
        bpx_document *doc = load(path);
        CHECK(c, doc && doc->pages[0].ocr);
        if (doc) {
            const bpx_page *p = &doc->pages[0];
            size_t whole = 0;
            for (size_t i = 0; i < p->n_hlines; i++)
                whole += p->hlines[i].x1 - p->hlines[i].x0 > 740;
            CHECK(c, whole == 11);
            CHECK(c, fabs(p->ocr_skew - angles[a]) < 0.012);
            if (whole != 11 || fabs(p->ocr_skew - angles[a]) >= 0.012)
                fprintf(stderr, "turned %.2f: skew %.3f, %zu of 11 rules whole\n", angles[a], p->ocr_skew, whole);
            bpx_document_free(doc);
        }
        remove(path);
        g_free(path);
    }
}

/* ------------------------------------------------ dust before an amount */

static const char *dusty[] = {"100.00", "85.00", "3233.03", "24.00", "50.00", "1509.72", "446.00", "80.00"};

static void draw_dusty(cairo_t *cr)
{
    double xs[] = {80, 240, 360}, ys[] = {150, 175, 200, 225, 250, 275, 300, 325, 350};
    grid(cr, xs, 3, ys, 9);
    cairo_set_font_size(cr, 10);
    for (int r = 0; r < 8; r++) {
        cairo_move_to(cr, 86, ys[r] + 16);
        cairo_show_text(cr, "项目支出");
        cairo_text_extents_t e;
        cairo_text_extents(cr, dusty[r], &e);
        double x = xs[2] - 6 - e.x_advance;
        cairo_move_to(cr, x, ys[r] + 16);
        cairo_show_text(cr, dusty[r]);
        /* a scratch a little before the first digit, half as tall as
         * the digits, at their middle or their foot */
        cairo_rectangle(cr, x - 2.6, ys[r] + 16 - (r % 2 ? 4.0 : 5.5), 0.7, 4.0);
        cairo_fill(cr);
    }
}

/* Specks against an amount are read as digits or marks now and then; no
 * digit the print has no glyph for stays (surplus_digits). */
static void test_dust_before_amounts(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-dust.pdf", 595, 842, -1.7, draw_dusty);
    bpx_document *doc = load(path);
    CHECK(c, doc && doc->pages[0].ocr);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        int found = 0;
        for (int r = 0; r < 8; r++)
            found += amount_read(p, r, dusty[r], "dusty");
        CHECK(c, found == 8);
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

/* ------------------------------------------------ a remark's full stop */

static const char *remarks[] = {"区域联动框架协议。", "全省联动框架协议。", "系统集成除外。"};

static void draw_remarks(cairo_t *cr)
{
    double xs[] = {80, 160, 400}, ys[] = {150, 175, 200, 225};
    grid(cr, xs, 3, ys, 4);
    cairo_set_font_size(cr, 10);
    for (int r = 0; r < 3; r++) {
        cairo_move_to(cr, 86, ys[r] + 16);
        cairo_show_text(cr, "服务");
        cairo_move_to(cr, 166, ys[r] + 16);
        cairo_show_text(cr, remarks[r]);
    }
}

/* A remark ends with a full stop: print, not a mark a scan leaves at a
 * cell's end (trim_strays). */
static void test_remark_full_stop(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-remarks.pdf", 595, 842, 1.6, draw_remarks);
    bpx_document *doc = load(path);
    CHECK(c, doc && doc->pages[0].ocr);
    if (doc) {
        CHECK(c, reads_every(&doc->pages[0], remarks, 3, "remarks"));
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

/* ------------------------------------------------ a dot before an amount */

static const char *dotted[] = {"2100.00", "859.18", "489.30", "24.00", "-35.00", "10070.48", "-7.50", "50.00"};

static void draw_dotted(cairo_t *cr)
{
    double xs[] = {80, 240, 360}, ys[] = {150, 175, 200, 225, 250, 275, 300, 325, 350};
    grid(cr, xs, 3, ys, 9);
    cairo_set_font_size(cr, 10);
    for (int r = 0; r < 8; r++) {
        cairo_move_to(cr, 86, ys[r] + 16);
        cairo_show_text(cr, "项目支出");
        cairo_text_extents_t e;
        cairo_text_extents(cr, dotted[r], &e);
        double x = xs[2] - 6 - e.x_advance;
        cairo_move_to(cr, x, ys[r] + 16);
        cairo_show_text(cr, dotted[r]);
        if (dotted[r][0] != '-') { /* a toner dot where a minus would stand */
            cairo_new_sub_path(cr);
            cairo_arc(cr, x - 2.2, ys[r] + 16 - 2.4 - 0.4 * (r % 3), 0.45, 0, 2 * G_PI);
            cairo_fill(cr);
        }
    }
}

/* A dot before an amount, halfway up its digits, is read as a minus now
 * and then; a minus is a bar (trim_strays).  The printed minus stays. */
static void test_dot_before_amounts(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-dots.pdf", 595, 842, 2.1, draw_dotted);
    bpx_document *doc = load(path);
    CHECK(c, doc && doc->pages[0].ocr);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        int found = 0;
        for (int r = 0; r < 8; r++)
            found += amount_read(p, r, dotted[r], "dotted");
        CHECK(c, found == 8);
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

/* ------------------------------------------- two specks far apart */

static const char *summary_labels[] = {"住房保障支出", "粮油物资储备支出", "国有资本经营预算支出", "灾害防治支出", "预备费",
                                       "其他支出", "转移性支出", "债务还本支出", "债务付息支出", "债务发行费用支出",
                                       "特别国债安排的支出", "本年支出合计", "年终结转", "支出总计"};

static void draw_specked(cairo_t *cr)
{
    double xs[] = {42, 140, 300, 412, 541, 670, 800}, ys[17];
    for (int i = 0; i < 17; i++)
        ys[i] = 48 + 17.25 * i;
    grid(cr, xs, 7, ys, 17);
    cairo_set_font_size(cr, 8.5);
    for (int r = 0; r < 14; r++) {
        cairo_move_to(cr, 304, ys[r + 2] + 12);
        cairo_show_text(cr, summary_labels[r]);
    }
    const char *amounts[] = {"814.38", "715.75", "98.63"};
    for (int r = 11; r < 14; r += 2)
        for (int col = 0; col < 3; col++) {
            cairo_move_to(cr, xs[col + 3] + 90, ys[r + 2] + 12);
            cairo_show_text(cr, amounts[col]);
        }
    /* two specks a little wider than dust (three points), one over the
     * table and one under it, and nothing else outside its cells */
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    const double at[2][2] = {{200, 15}, {700, 380}};
    for (int i = 0; i < 2; i++) {
        cairo_save(cr);
        cairo_translate(cr, at[i][0], at[i][1]);
        cairo_scale(cr, 1.7, 0.9);
        cairo_arc(cr, 0, 0, 1, 0, 2 * G_PI);
        cairo_restore(cr);
        cairo_fill(cr);
    }
}

/* Outside a table's cells, two specks far apart are no line of print
 * (read_unread_lines): the stretch between them, read whole and shrunk by
 * its height, came out as one glyph the size of the page (四 or 加), whose
 * box ran over the table's rows, and normalize joined the amounts of the
 * rows under it into one cell (scanned 收支总表: 支出总计 lost).  No
 * character is taller than the print, and the amounts are read. */
static void test_specks_far_apart(check_counts *c)
{
    char *path = image_pdf("budgetpdf-test-ocr-specks.pdf", 842, 595, 1.9, draw_specked);
    bpx_document *doc = load(path);
    CHECK(c, doc && doc->pages[0].ocr);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        int giants = 0;
        for (size_t i = 0; i < p->n_chars; i++) {
            const bpx_char *ch = &p->chars[i];
            if (ch->box.y1 - ch->box.y0 > 30) {
                giants++;
                fprintf(stderr, "specks: a glyph %.0f x %.0f points\n", ch->box.x1 - ch->box.x0, ch->box.y1 - ch->box.y0);
            }
        }
        CHECK(c, giants == 0);
        char *text = page_text(p);
        const char *amounts[] = {"814.38", "715.75", "98.63"};
        int whole = 1;
        for (int a = 0; a < 3; a++) { /* each twice */
            const char *at = strstr(text, amounts[a]);
            whole = whole && at && strstr(at + 1, amounts[a]);
        }
        if (!whole)
            fprintf(stderr, "specks: read %s\n", text);
        CHECK(c, whole);
        g_free(text);
        bpx_document_free(doc);
    }
    remove(path);
    g_free(path);
}

int main(void)
{
    check_counts c = {0, 0};
    test_letter_codes(&c);
    test_wide_rules_whole(&c);
    test_dust_before_amounts(&c);
    test_remark_full_stop(&c);
    test_dot_before_amounts(&c);
    test_specks_far_apart(&c);
    printf("test_ocr_cells: %d passed, %d failed\n", c.passed, c.failed);
    return c.failed ? 1 : 0;
}
