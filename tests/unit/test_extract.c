/* test_extract.c — the poppler stage: opening, refusing, characters, their
 * direction and whether the page shows them.  The PDFs are drawn here with cairo. */
#include "extract/extract.h"
#include "check.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static char *temp_path(const char *name)
{
    return g_build_filename(g_get_tmp_dir(), name, NULL);
}

static void write_file(const char *path, const void *data, size_t len)
{
    g_file_set_contents(path, data, (gssize)len, NULL);
}

static void test_refusals(check_counts *c)
{
    GError *err = NULL;
    CHECK(c, bpx_document_load("/nonexistent/x.pdf", NULL, &err) == NULL);
    CHECK(c, err && err->domain == BPX_ERROR && err->code == BPX_ERROR_IO);
    g_clear_error(&err);

    CHECK(c, bpx_document_load(g_get_tmp_dir(), NULL, &err) == NULL);
    CHECK(c, err && err->code == BPX_ERROR_IO);
    g_clear_error(&err);

    char *empty = temp_path("budgetpdf-test-empty.pdf");
    write_file(empty, "", 0);
    CHECK(c, bpx_document_load(empty, NULL, &err) == NULL);
    CHECK(c, err && err->code == BPX_ERROR_OPEN);
    g_clear_error(&err);
    g_unlink(empty);
    g_free(empty);

    const char html[] = "<!DOCTYPE html><html><body>404 Not Found</body></html>";
    CHECK(c, bpx_document_load_data(html, sizeof html - 1, "x.pdf", NULL, &err) == NULL);
    CHECK(c, err && err->code == BPX_ERROR_OPEN);
    g_clear_error(&err);

    /* a header and nothing behind it */
    const char cut[] = "%PDF-1.7\n1 0 obj << /Type /Catalog";
    CHECK(c, bpx_document_load_data(cut, sizeof cut - 1, "cut.pdf", NULL, &err) == NULL);
    CHECK(c, err != NULL);
    g_clear_error(&err);
}

/* One A4 page: a line of upright text, a table rule, rotated grey text. */
static char *make_pdf(void)
{
    char *path = temp_path("budgetpdf-test-extract.pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 72, 100);
    cairo_show_text(cr, "Total 1,234.56");
    cairo_set_line_width(cr, 0.75);
    cairo_move_to(cr, 72, 200);
    cairo_line_to(cr, 500, 200);
    cairo_move_to(cr, 72, 200);
    cairo_line_to(cr, 72, 400);
    cairo_move_to(cr, 500, 200);
    cairo_line_to(cr, 500, 400);
    cairo_move_to(cr, 72, 400);
    cairo_line_to(cr, 500, 400);
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_set_font_size(cr, 36);
    cairo_translate(cr, 150, 700);
    cairo_rotate(cr, -G_PI / 5);
    cairo_move_to(cr, 0, 0);
    cairo_show_text(cr, "DRAFT");
    cairo_restore(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return path;
}

static void test_characters(check_counts *c)
{
    char *path = make_pdf();
    GError *err = NULL;
    bpx_document *doc = bpx_document_load(path, NULL, &err);
    CHECK(c, doc != NULL);
    if (!doc) {
        fprintf(stderr, "load: %s\n", err ? err->message : "?");
        g_clear_error(&err);
        g_free(path);
        return;
    }
    CHECK(c, doc->n_pages == 1);
    CHECK(c, strlen(doc->sha256) == 64);
    const bpx_page *p = &doc->pages[0];
    CHECK(c, fabs(p->width - 595) < 1 && fabs(p->height - 842) < 1);
    int upright = 0, diagonal = 0, digits = 0;
    GString *text = g_string_new(NULL);
    for (size_t i = 0; i < p->n_chars; i++) {
        const bpx_char *ch = &p->chars[i];
        if (ch->dir == BPX_DIR_DIAGONAL)
            diagonal++;
        else if (ch->dir == BPX_DIR_HORIZONTAL) {
            upright++;
            g_string_append_unichar(text, ch->cp);
        }
        if (ch->cp >= '0' && ch->cp <= '9') {
            digits++;
            CHECK(c, ch->box.y0 > 80 && ch->box.y1 < 105 && fabs(ch->font_size - 12) < 0.5);
        }
    }
    CHECK(c, digits == 6);
    CHECK_STR(c, text->str, "Total1,234.56");
    CHECK(c, diagonal == 5); /* D R A F T */
    CHECK(c, upright == 13);
    /* the frame's rules */
    gboolean top = FALSE, left = FALSE;
    for (size_t i = 0; i < p->n_hlines; i++)
        top |= fabs(p->hlines[i].y0 - 200) < 2 && p->hlines[i].x1 - p->hlines[i].x0 > 400;
    for (size_t i = 0; i < p->n_vlines; i++)
        left |= fabs(p->vlines[i].x0 - 72) < 2 && p->vlines[i].y1 - p->vlines[i].y0 > 180;
    CHECK(c, top);
    CHECK(c, left);
    g_string_free(text, TRUE);
    bpx_document_free(doc);

    /* the same from memory */
    char *data = NULL;
    gsize len = 0;
    g_file_get_contents(path, &data, &len, NULL);
    doc = bpx_document_load_data(data, len, "mem.pdf", NULL, &err);
    CHECK(c, doc && doc->n_pages == 1 && doc->pages[0].n_chars == 18);
    bpx_document_free(doc);
    g_free(data);
    g_unlink(path);
    g_free(path);
}

/* Text in the text layer that the page does not show: clipped away (as
 * Excel clips a cell's overflow), white on white, covered by a later fill.
 * The visible ideographs beside them, including a thin 一 and text on a
 * grey cell, stay visible. */
/* Top to bottom by the middle of the box (to the point), then left to right. */
static int reading_order(const void *p, const void *q)
{
    const bpx_char *a = p, *b = q;
    long ya = lround((a->box.y0 + a->box.y1) / 2), yb = lround((b->box.y0 + b->box.y1) / 2);
    if (ya != yb)
        return ya < yb ? -1 : 1;
    return (a->box.x0 > b->box.x0) - (a->box.x0 < b->box.x0);
}

/* The same page set sideways (turn 90: turned clockwise on a landscape
 * sheet, -90: counter-clockwise), without a /Rotate: extract.c turns it
 * back, and judges its hidden glyphs upright (they were judged on none of
 * its glyphs, all running down or up the sheet, before session 9). */
static void test_hidden_text(check_counts *c, int turn)
{
    char *path = temp_path("budgetpdf-test-hidden.pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(path, turn ? 842 : 595, turn ? 595 : 842);
    cairo_t *cr = cairo_create(s);
    if (turn == 90) { /* (x, y) -> (842 - y, x) */
        cairo_translate(cr, 842, 0);
        cairo_rotate(cr, G_PI / 2);
    } else if (turn == -90) { /* (x, y) -> (y, 595 - x) */
        cairo_translate(cr, 0, 595);
        cairo_rotate(cr, -G_PI / 2);
    }
    cairo_select_font_face(cr, "WenQuanYi Zen Hei", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_set_line_width(cr, 0.75);
    cairo_rectangle(cr, 72, 80, 200, 30);
    cairo_stroke(cr);
    /* a cell's text whose second line falls under the cell's bottom rule, clipped to
     * the cell: only a sliver of it shows, along the rule */
    cairo_save(cr);
    cairo_rectangle(cr, 72, 80, 200, 30);
    cairo_clip(cr);
    cairo_move_to(cr, 80, 100);
    cairo_show_text(cr, "采购组织形");
    cairo_move_to(cr, 100, 117); /* its top above the rule: cairo keeps the glyph */
    cairo_show_text(cr, "式");
    cairo_restore(cr);
    /* white on white */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, 80, 200);
    cairo_show_text(cr, "白字");
    /* covered by a white fill drawn after it */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, 80, 300);
    cairo_show_text(cr, "盖住");
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 75, 285, 40, 20);
    cairo_fill(cr);
    /* visible: a thin 一 in small print, and text on a grey cell */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 7);
    cairo_move_to(cr, 80, 400);
    cairo_show_text(cr, "一二");
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_rectangle(cr, 75, 480, 100, 30);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 80, 500);
    cairo_show_text(cr, "灰底");
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);

    GError *err = NULL;
    bpx_document *doc = bpx_document_load(path, NULL, &err);
    CHECK(c, doc != NULL);
    GString *shown = g_string_new(NULL), *hidden = g_string_new(NULL);
    /* in reading order (poppler's own order of a turned page's lines is its own) */
    size_t n = doc ? doc->pages[0].n_chars : 0;
    bpx_char *chars = g_memdup2(doc ? doc->pages[0].chars : NULL, n * sizeof *chars);
    if (n)
        qsort(chars, n, sizeof *chars, reading_order);
    for (size_t i = 0; i < n; i++)
        g_string_append_unichar(chars[i].hidden ? hidden : shown, chars[i].cp);
    g_free(chars);
    CHECK_STR(c, shown->str, "采购组织形一二灰底");
    CHECK_STR(c, hidden->str, "式白字盖住");
    if (turn) /* read upright: the page turned back to portrait */
        CHECK(c, doc && doc->pages[0].turned != 0 && doc->pages[0].width < doc->pages[0].height);
    g_string_free(shown, TRUE);
    g_string_free(hidden, TRUE);
    g_clear_error(&err);
    bpx_document_free(doc);
    if (!getenv("BUDGETPDF_KEEP_TEST_PDF")) /* to look at it */
        g_unlink(path);
    g_free(path);
}

/* A sideways sheet that holds nothing but its page number ("- 7 -" at the
 * foot of the portrait page set across a landscape sheet): two steps, both
 * running up (or down) the sheet, too few for the count sideways_turn asks
 * of a page, yet none across; it is turned as the pages around it are, and
 * so are the sheets of "10" (one step) and "9" (none) after a turned page.
 * The same pages upright are left as they are. */
static void test_thin_sideways(check_counts *c)
{
    for (int turn = -90; turn <= 90; turn += 90) {
        char *path = temp_path("budgetpdf-test-thin.pdf");
        cairo_surface_t *s = cairo_pdf_surface_create(path, turn ? 842 : 595, turn ? 595 : 842);
        cairo_t *cr = cairo_create(s);
        if (turn == 90) {
            cairo_translate(cr, 842, 0);
            cairo_rotate(cr, G_PI / 2);
        } else if (turn == -90) {
            cairo_translate(cr, 0, 595);
            cairo_rotate(cr, -G_PI / 2);
        }
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 10.5);
        cairo_move_to(cr, 280, 800);
        cairo_show_text(cr, "- 7 -");
        /* then a page of text, and two sheets holding "10" (one step) and
         * "9" (none): turned as the page before them was */
        const char *after[] = {"Total 1,234.56", "10", "9"};
        for (int k = 0; k < 3; k++) {
            cairo_show_page(cr);
            for (int line = 0; line < (k == 0 ? 5 : 1); line++) {
                cairo_move_to(cr, k == 0 ? 72 : 285, k == 0 ? 100 + 20 * line : 800);
                cairo_show_text(cr, after[k]);
            }
        }
        cairo_destroy(cr);
        cairo_surface_finish(s);
        cairo_surface_destroy(s);
        GError *err = NULL;
        bpx_document *doc = bpx_document_load(path, NULL, &err);
        CHECK(c, doc && doc->n_pages == 4 && doc->pages[0].n_chars == 3);
        for (int k = 0; doc && k < doc->n_pages; k++) {
            const bpx_page *p = &doc->pages[k];
            CHECK(c, (p->turned != 0) == (turn != 0));
            /* read upright: portrait, a page number at the foot of the page */
            CHECK(c, p->width < p->height);
            for (size_t i = 0; k != 1 && i < p->n_chars; i++)
                CHECK(c, p->chars[i].box.y0 > 780 && p->chars[i].box.x0 > 270 && p->chars[i].box.x1 < 320);
        }
        g_clear_error(&err);
        bpx_document_free(doc);
        g_unlink(path);
        g_free(path);
    }
}

/* A landscape table of 30 rows, drawn upright on a landscape sheet (turn
 * 0) or turned onto a portrait one (90: clockwise, -90), with a glyph
 * that straddles the sheet's edge (a cell's text the producer let run off
 * the page).  poppler-glib's whole-page selection of the sheet turned -90
 * returned 5 of its 1,026 glyphs (its layout of text running up the page
 * starts and ends at that edge glyph); extract.c reads a turned page again
 * shown upright (read_upright). */
static char *make_edge_table(int turn)
{
    char *path = temp_path(turn == 0 ? "budgetpdf-test-edge0.pdf" : turn > 0 ? "budgetpdf-test-edge90.pdf"
                                                                             : "budgetpdf-test-edge270.pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(path, turn ? 595 : 842, turn ? 842 : 595);
    cairo_t *cr = cairo_create(s);
    if (turn == 90) { /* (x, y) -> (595 - y, x) */
        cairo_translate(cr, 595, 0);
        cairo_rotate(cr, G_PI / 2);
    } else if (turn == -90) { /* (x, y) -> (y, 842 - x) */
        cairo_translate(cr, 0, 842);
        cairo_rotate(cr, -G_PI / 2);
    }
    cairo_select_font_face(cr, "WenQuanYi Zen Hei", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 9);
    cairo_set_line_width(cr, 0.6);
    static const char *const words[] = {"项目支出", "人员经费", "公用经费", "合计", "基本支出", "一般公共服务"};
    for (int r = 0; r < 30; r++)
        for (int col = 0; col < 6; col++) {
            double x = 40 + col * 125, y = 60 + r * 16;
            cairo_rectangle(cr, x, y, 125, 16);
            cairo_stroke(cr);
            cairo_move_to(cr, x + 4, y + 12);
            char text[64];
            if (col == 0)
                g_snprintf(text, sizeof text, "%s%d", words[r % 6], r);
            else
                g_snprintf(text, sizeof text, "%d.%02d", (r * 37 + col * 11) % 900, (r * col) % 100);
            cairo_show_text(cr, text);
        }
    cairo_set_font_size(cr, 10);
    cairo_move_to(cr, 311, 3); /* the edge glyphs: the top of the landscape page, and its foot */
    cairo_show_text(cr, "。");
    cairo_move_to(cr, 411, 598);
    cairo_show_text(cr, "。");
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return path;
}

static void test_sideways_edge(check_counts *c)
{
    char *upright_path = make_edge_table(0);
    GError *err = NULL;
    bpx_document *upright = bpx_document_load(upright_path, NULL, &err);
    g_clear_error(&err);
    CHECK(c, upright && upright->pages[0].n_chars > 1000 && upright->pages[0].turned == 0);
    for (int turn = -90; turn <= 90 && upright; turn += 180) {
        char *path = make_edge_table(turn);
        bpx_document *doc = bpx_document_load(path, NULL, &err);
        g_clear_error(&err);
        CHECK(c, doc && doc->pages[0].turned != 0);
        /* the same glyphs at the same places as the table upright */
        const bpx_page *a = &upright->pages[0], *b = doc ? &doc->pages[0] : NULL;
        CHECK(c, b && b->n_chars == a->n_chars);
        if (!b || b->n_chars != a->n_chars) {
            fprintf(stderr, "  turned %d: %zu glyphs read, %zu upright\n", turn, b ? b->n_chars : 0, a->n_chars);
        } else {
            bpx_char *x = g_memdup2(a->chars, a->n_chars * sizeof *x), *y = g_memdup2(b->chars, b->n_chars * sizeof *y);
            qsort(x, a->n_chars, sizeof *x, reading_order);
            qsort(y, b->n_chars, sizeof *y, reading_order);
            size_t same = 0;
            for (size_t i = 0; i < a->n_chars; i++)
                same += x[i].cp == y[i].cp && fabs(x[i].box.x0 - y[i].box.x0) < 0.5 && fabs(x[i].box.y0 - y[i].box.y0) < 0.5;
            CHECK(c, same == a->n_chars);
            g_free(x);
            g_free(y);
        }
        bpx_document_free(doc);
        g_unlink(path);
        g_free(path);
    }
    bpx_document_free(upright);
    g_unlink(upright_path);
    g_free(upright_path);
}

/* A PDF/A-style file: its catalog names an output intent (a colour profile
 * for printing), which extract.c keeps poppler from reading (it would build
 * colour transforms for every page).  The file reads as any other: its text,
 * the checksum of the bytes given, and those bytes left as they were. */
static GString *pdf_with_output_intent(void)
{
    static const char content[] = "BT /F1 12 Tf 72 700 Td (Total 12) Tj ET";
    static const char profile[] = "not an ICC profile";
    const char *objects[6];
    char *owned[2];
    objects[0] = "<< /Type /Catalog /Pages 2 0 R /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 "
                 "/OutputConditionIdentifier (sRGB) /DestOutputProfile 5 0 R >>] >>";
    objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
    objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                 "/Contents 6 0 R >>";
    objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    objects[4] = owned[0] = g_strdup_printf("<< /N 3 /Length %zu >>\nstream\n%s\nendstream", sizeof profile - 1, profile);
    objects[5] = owned[1] = g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream", sizeof content - 1, content);
    GString *pdf = g_string_new("%PDF-1.4\n");
    size_t offset[6];
    for (int i = 0; i < 6; i++) {
        offset[i] = pdf->len;
        g_string_append_printf(pdf, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
    size_t xref = pdf->len;
    g_string_append(pdf, "xref\n0 7\n0000000000 65535 f \n");
    for (int i = 0; i < 6; i++)
        g_string_append_printf(pdf, "%010zu 00000 n \n", offset[i]);
    g_string_append_printf(pdf, "trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    g_free(owned[0]);
    g_free(owned[1]);
    return pdf;
}

static void test_output_intent(check_counts *c)
{
    GString *pdf = pdf_with_output_intent();
    char *before = g_memdup2(pdf->str, pdf->len);
    GError *err = NULL;
    bpx_document *doc = bpx_document_load_data(pdf->str, pdf->len, "intent.pdf", NULL, &err);
    CHECK(c, doc != NULL && doc->n_pages == 1);
    if (doc) {
        GString *text = g_string_new(NULL);
        for (size_t i = 0; i < doc->pages[0].n_chars; i++)
            g_string_append_unichar(text, doc->pages[0].chars[i].cp);
        CHECK_STR(c, text->str, "Total12");
        g_string_free(text, TRUE);
        char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)before, pdf->len);
        CHECK_STR(c, doc->sha256, sum);
        g_free(sum);
    }
    CHECK(c, memcmp(before, pdf->str, pdf->len) == 0); /* the caller's bytes untouched */
    g_clear_error(&err);
    bpx_document_free(doc);

    /* from a file, whose bytes bpx_document_load() renames in its own buffer:
     * the checksum is still the file's */
    char *path = temp_path("budgetpdf-test-intent.pdf");
    write_file(path, pdf->str, pdf->len);
    doc = bpx_document_load(path, NULL, &err);
    CHECK(c, doc != NULL && doc->n_pages == 1 && doc->pages[0].n_chars == 7);
    if (doc) {
        char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)before, pdf->len);
        CHECK_STR(c, doc->sha256, sum);
        g_free(sum);
    }
    g_clear_error(&err);
    bpx_document_free(doc);
    g_unlink(path);
    g_free(path);
    g_free(before);
    g_string_free(pdf, TRUE);
}


/* A document of a few pages, each in fonts of its own (as iText embeds a
 * fresh subset per page) with a ruled box and Chinese text. */
static char *make_pages_pdf(int n_pages)
{
    static const char *const families[] = {"DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "WenQuanYi Zen Hei"};
    char *path = temp_path("budgetpdf-test-pages.pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    for (int p = 0; p < n_pages; p++) {
        for (int f = 0; f < 4; f++) {
            cairo_select_font_face(cr, families[(p + f) % 4], f % 2 ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                                   CAIRO_FONT_WEIGHT_NORMAL);
            cairo_set_font_size(cr, 10 + p + f);
            cairo_move_to(cr, 72, 100 + 40 * f);
            char line[96];
            g_snprintf(line, sizeof line, "页 %d 一般公共预算支出 %d,%03d.%02d", p + 1, 10 * p + f, 37 * p, 11 * f);
            cairo_show_text(cr, line);
        }
        cairo_set_line_width(cr, 0.75);
        cairo_rectangle(cr, 72, 300 + 10 * p, 400, 200);
        cairo_move_to(cr, 272, 300 + 10 * p);
        cairo_line_to(cr, 272, 500 + 10 * p);
        cairo_stroke(cr);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return path;
}

static gboolean same_page(const bpx_page *a, const bpx_page *b)
{
    return a->number == b->number && a->width == b->width && a->height == b->height && a->turned == b->turned &&
           a->ruled == b->ruled && a->n_chars == b->n_chars && a->n_hlines == b->n_hlines &&
           a->n_vlines == b->n_vlines && memcmp(a->chars, b->chars, a->n_chars * sizeof *a->chars) == 0 &&
           memcmp(a->hlines, b->hlines, a->n_hlines * sizeof *a->hlines) == 0 &&
           memcmp(a->vlines, b->vlines, a->n_vlines * sizeof *a->vlines) == 0;
}

/* The document opened again between pages (extract.c, reopen_due: what
 * poppler's font caches hold is given back) reads every page exactly as
 * one document kept open does. */
static void test_reopen(check_counts *c)
{
    char *path = make_pages_pdf(5);
    GError *err = NULL;
    bpx_document *kept = bpx_document_load(path, NULL, &err);
    CHECK(c, kept && kept->n_pages == 5);
    g_clear_error(&err);
    for (int every = 1; every <= 2 && kept; every++) {
        bpx_options opts = {.reopen_every = every};
        bpx_document *reopened = bpx_document_load(path, &opts, &err);
        CHECK(c, reopened && reopened->n_pages == kept->n_pages);
        g_clear_error(&err);
        for (int i = 0; reopened && i < reopened->n_pages && i < kept->n_pages; i++) {
            CHECK(c, kept->pages[i].n_chars > 30 && kept->pages[i].n_vlines >= 2);
            CHECK(c, same_page(&kept->pages[i], &reopened->pages[i]));
        }
        bpx_document_free(reopened);
    }
    bpx_document_free(kept);
    g_unlink(path);
    g_free(path);
}

/* A font whose ascent and descent make its glyph boxes taller than an em
 * (WenQuanYi Zen Hei as cairo writes it: 1.26 em), in a wrapped cell whose
 * lines stand 1.1 em apart: each glyph's box is cut to the font size about
 * its middle, so that the lines' boxes do not overlap. */
static void test_tall_boxes(check_counts *c)
{
    char *path = temp_path("budgetpdf-test-tall.pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "WenQuanYi Zen Hei", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10);
    cairo_move_to(cr, 72, 100);
    cairo_show_text(cr, "根据阳财社文件");
    cairo_move_to(cr, 72, 111);
    cairo_show_text(cr, "下达中央和省级");
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    bpx_options o = { .ocr = BPX_OCR_NEVER };
    GError *err = NULL;
    bpx_document *doc = bpx_document_load(path, &o, &err);
    CHECK(c, doc != NULL && doc->n_pages == 1);
    if (doc) {
        const bpx_page *p = &doc->pages[0];
        int n = 0, within = 0;
        double first_bottom = 0, second_top = G_MAXDOUBLE;
        for (size_t i = 0; i < p->n_chars; i++) {
            const bpx_char *ch = &p->chars[i];
            double h = ch->box.y1 - ch->box.y0, mid = (ch->box.y0 + ch->box.y1) / 2;
            n++;
            within += h <= 1.15 * ch->font_size + 1e-6 && h >= 0.9 * ch->font_size;
            if (mid < 100)
                first_bottom = MAX(first_bottom, ch->box.y1);
            else
                second_top = MIN(second_top, ch->box.y0);
        }
        CHECK(c, n == 14);
        CHECK(c, within == n);
        CHECK(c, first_bottom <= second_top);
        bpx_document_free(doc);
    }
    g_clear_error(&err);
    g_unlink(path);
    g_free(path);
}

/* Kangxi radicals a writer put in the ToUnicode map for ideographs (⼯ for
 * 工: cairo, some Word and WPS exports) are read as the ideographs. */
static void test_radicals(check_counts *c)
{
    CHECK(c, bpx_radical_ideograph(0x2F2F) == 0x5DE5); /* ⼯ 工 */
    CHECK(c, bpx_radical_ideograph(0x2F40) == 0x652F); /* ⽀ 支 */
    CHECK(c, bpx_radical_ideograph(0x2FA6) == 0x91D1); /* ⾦ 金 */
    CHECK(c, bpx_radical_ideograph(0x2F00) == 0x4E00); /* ⼀ 一 */
    CHECK(c, bpx_radical_ideograph(0x2EF3) == 0x9F9F); /* ⻳ 龟 (radicals supplement) */
    CHECK(c, bpx_radical_ideograph(0x2E81) == 0);      /* ⺁: no ideograph of its own */
    CHECK(c, bpx_radical_ideograph(0x5DE5) == 0);      /* 工 itself */
    CHECK(c, bpx_radical_ideograph('A') == 0);
    CHECK(c, bpx_radical_ideograph(0x3000) == 0);
}

int main(void)
{
    check_counts c = {0};
    test_refusals(&c);
    test_characters(&c);
    test_hidden_text(&c, 0);
    test_hidden_text(&c, 90);
    test_hidden_text(&c, -90);
    test_thin_sideways(&c);
    test_sideways_edge(&c);
    test_output_intent(&c);
    test_reopen(&c);
    test_radicals(&c);
    test_tall_boxes(&c);
    return check_summary("test_extract", &c);
}
