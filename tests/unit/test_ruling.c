/* test_ruling — unit test of the table-ruling detector (extract/ruling.c).
 *
 * Builds small PDFs with known rulings, loads them with poppler and checks
 * that bpx_find_rulings() finds every ruled stroke within 1.5 pt and nothing
 * else: not the strokes of the text (CJK 一 and ——, Latin, bold, a diagonal
 * watermark), not white cell backgrounds.
 *
 *   - a page drawn with cairo's PDF surface: a 4x3 grid of 0.5 pt strokes
 *     with a merged cell and a light header fill, a grid whose cell edges are
 *     separate segments with gaps at the corners, thin filled rectangles
 *     (as Distiller writes rules), a coloured rule, a thick bar, white cell
 *     backgrounds, CJK and Latin text, and a diagonal watermark;
 *   - hand-written one-page PDFs (thin filled rectangles, a stroke, a
 *     hairline, a white box) with /Rotate 0, 90, 180 and 270 and a
 *     MediaBox that does not start at the origin, checking that the rulings
 *     come out in the page's displayed orientation, the same coordinates as
 *     poppler_page_get_text_layout's.
 *
 * Build and run (from the repository root):
 *   gcc -std=c11 -Wall -Wextra -Werror -Iextract tests/unit/test_ruling.c extract/ruling.c \
 *       $(pkg-config --cflags --libs poppler-glib cairo) -o /tmp/test_ruling && /tmp/test_ruling
 * Prints each failed check on stderr, then "test_ruling: N passed, M failed";
 * exits non-zero on failure.
 */
#include "../../extract/ruling.h" /* builds with -I. (Makefile) or -Iextract */

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* The extract stage defines this in its own source; the test links only ruling.c. */
GQuark bpx_error_quark(void)
{
    return g_quark_from_static_string("bpx-error-quark");
}

#define POS_TOL 1.5  /* a ruling must be found this close to where it was drawn */
#define END_TOL 3.0  /* and its ends this close (a stroke crossing a border runs through it) */
#define OVER_TOL 5.0 /* no line found may reach further than this beyond a drawn one (the
                      * watermark's strokes where they touch the end of a rule) */
#define DPI BPX_RULING_DPI

static int n_passed, n_failed;

static void check(gboolean ok, const char *what, ...) G_GNUC_PRINTF(2, 3);
static void check(gboolean ok, const char *what, ...)
{
    if (ok) {
        n_passed++;
        return;
    }
    n_failed++;
    va_list ap;
    va_start(ap, what);
    fputs("FAIL test_ruling: ", stderr);
    vfprintf(stderr, what, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* An expected ruling: horizontal (pos = y, a..b along x) or vertical. */
typedef struct {
    gboolean horizontal;
    double pos, a, b;
    const char *name;
} expect_t;

typedef struct {
    GArray *exp; /* expect_t */
} expects;

static void expect(expects *e, gboolean horizontal, double pos, double a, double b,
                   const char *name)
{
    expect_t x = { horizontal, pos, a < b ? a : b, a < b ? b : a, name };
    g_array_append_val(e->exp, x);
}

static double line_pos(const bpx_line *l, gboolean horizontal)
{
    return horizontal ? l->y0 : l->x0;
}

static double line_a(const bpx_line *l, gboolean horizontal)
{
    return horizontal ? l->x0 : l->y0;
}

static double line_b(const bpx_line *l, gboolean horizontal)
{
    return horizontal ? l->x1 : l->y1;
}

static int cmp_double_pair(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Length of [a, b] covered by the union of the intervals iv[0..n) (pairs). */
static double covered(double *iv, size_t n, double a, double b)
{
    qsort(iv, n, 2 * sizeof(double), cmp_double_pair);
    double tot = 0, reach = a;
    for (size_t i = 0; i < n; i++) {
        double s = iv[2 * i] > reach ? iv[2 * i] : reach;
        double t = iv[2 * i + 1] < b ? iv[2 * i + 1] : b;
        if (t > s) {
            tot += t - s;
            reach = t;
        }
    }
    return tot;
}

/* Every expected ruling is found (90% of its length, both ends within
 * END_TOL, position within POS_TOL), and every line found is one of the
 * expected ones (no more than 1 pt of it beyond them and their OVER_TOL). */
static void check_lines(const char *page, const expects *e, GArray *hl, GArray *vl)
{
    for (guint i = 0; i < e->exp->len; i++) {
        const expect_t *x = &g_array_index(e->exp, expect_t, i);
        GArray *got = x->horizontal ? hl : vl;
        double *iv = g_new(double, 2 * (got->len + 1));
        size_t n = 0;
        double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
        for (guint k = 0; k < got->len; k++) {
            const bpx_line *l = &g_array_index(got, bpx_line, k);
            double p = line_pos(l, x->horizontal), a = line_a(l, x->horizontal),
                   b = line_b(l, x->horizontal);
            if (ABS(p - x->pos) > POS_TOL || b <= x->a || a >= x->b)
                continue;
            iv[2 * n] = a;
            iv[2 * n + 1] = b;
            n++;
            lo = MIN(lo, a);
            hi = MAX(hi, b);
        }
        double len = x->b - x->a, cov = n ? covered(iv, n, x->a, x->b) : 0;
        check(cov >= 0.9 * len, "%s: %s %s at %.2f over %.2f..%.2f: %.0f%% found", page,
              x->name, x->horizontal ? "H" : "V", x->pos, x->a, x->b, 100 * cov / len);
        if (n) {
            double head = covered(iv, n, x->a, x->a + END_TOL);
            double tail = covered(iv, n, x->b - END_TOL, x->b);
            check(head > 0 && tail > 0, "%s: %s at %.2f: found %.2f..%.2f, drawn %.2f..%.2f",
                  page, x->name, x->pos, lo, hi, x->a, x->b);
        }
        g_free(iv);
    }
    for (int dir = 0; dir < 2; dir++) {
        gboolean horizontal = dir == 0;
        GArray *got = horizontal ? hl : vl;
        for (guint k = 0; k < got->len; k++) {
            const bpx_line *l = &g_array_index(got, bpx_line, k);
            double p = line_pos(l, horizontal), a = line_a(l, horizontal), b = line_b(l, horizontal);
            check(horizontal ? (l->y0 == l->y1 && l->x0 < l->x1) : (l->x0 == l->x1 && l->y0 < l->y1),
                  "%s: malformed line %.2f,%.2f-%.2f,%.2f", page, l->x0, l->y0, l->x1, l->y1);
            double *iv = g_new(double, 2 * (e->exp->len + 1));
            size_t n = 0;
            for (guint i = 0; i < e->exp->len; i++) {
                const expect_t *x = &g_array_index(e->exp, expect_t, i);
                if (x->horizontal != horizontal || ABS(p - x->pos) > POS_TOL)
                    continue;
                iv[2 * n] = x->a - OVER_TOL;
                iv[2 * n + 1] = x->b + OVER_TOL;
                n++;
            }
            double cov = n ? covered(iv, n, a, b) : 0;
            check(b - a - cov <= 1.0, "%s: unexpected %s line at %.2f over %.2f..%.2f", page,
                  horizontal ? "H" : "V", p, a, b);
            g_free(iv);
        }
    }
}

/* No line may run through the middle of the box of a glyph of body text
 * (the rulings do run through the big glyphs of the watermark). */
static void check_text_clear(const char *page, PopplerPage *pg, GArray *hl, GArray *vl)
{
    PopplerRectangle *r = NULL;
    guint n = 0;
    if (!poppler_page_get_text_layout(pg, &r, &n))
        n = 0;
    int hits = 0;
    for (guint i = 0; i < n; i++) {
        if (r[i].y2 - r[i].y1 > 30 || r[i].x2 - r[i].x1 > 30)
            continue;
        double cx0 = r[i].x1 + 0.25 * (r[i].x2 - r[i].x1), cx1 = r[i].x2 - 0.25 * (r[i].x2 - r[i].x1);
        double cy0 = r[i].y1 + 0.25 * (r[i].y2 - r[i].y1), cy1 = r[i].y2 - 0.25 * (r[i].y2 - r[i].y1);
        for (guint k = 0; k < hl->len; k++) {
            const bpx_line *l = &g_array_index(hl, bpx_line, k);
            if (l->y0 > cy0 && l->y0 < cy1 && l->x0 < cx1 && l->x1 > cx0)
                hits++;
        }
        for (guint k = 0; k < vl->len; k++) {
            const bpx_line *l = &g_array_index(vl, bpx_line, k);
            if (l->x0 > cx0 && l->x0 < cx1 && l->y0 < cy1 && l->y1 > cy0)
                hits++;
        }
    }
    g_free(r);
    check(n > 0, "%s: the page has text", page);
    check(hits == 0, "%s: %d line(s) run through the middle of glyphs", page, hits);
}

static PopplerDocument *open_pdf(const char *path)
{
    GError *err = NULL;
    char *uri = g_filename_to_uri(path, NULL, &err);
    PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &err) : NULL;
    check(doc != NULL, "open %s: %s", path, err ? err->message : "?");
    g_clear_error(&err);
    g_free(uri);
    return doc;
}

static gboolean find(PopplerPage *pg, GArray *hl, GArray *vl, const char *page)
{
    GError *err = NULL;
    gboolean ok = bpx_find_rulings(pg, DPI, hl, vl, &err);
    check(ok && err == NULL, "%s: bpx_find_rulings failed: %s", page, err ? err->message : "?");
    g_clear_error(&err);
    return ok;
}

/* ---- the cairo page ------------------------------------------------------ */

/* A font family that has CJK glyphs here, or NULL. */
static const char *cjk_family(cairo_t *cr)
{
    static const char *const families[] = { "Noto Serif CJK SC", "Noto Sans CJK SC",
                                            "Noto Sans Mono CJK SC", "Source Han Serif SC",
                                            "WenQuanYi Zen Hei", "AR PL UMing CN",
                                            "Droid Sans Fallback" };
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
        cairo_select_font_face(cr, families[i], CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 12);
        cairo_glyph_t *glyphs = NULL;
        int n = 0;
        gboolean ok = FALSE;
        if (cairo_scaled_font_text_to_glyphs(cairo_get_scaled_font(cr), 0, 0, "项一", -1,
                                             &glyphs, &n, NULL, NULL, NULL) ==
                CAIRO_STATUS_SUCCESS &&
            n == 2)
            ok = glyphs[0].index != 0 && glyphs[1].index != 0;
        cairo_glyph_free(glyphs);
        if (ok)
            return families[i];
    }
    return NULL;
}

static void text_at(cairo_t *cr, const char *family, gboolean bold, double size, double x,
                    double y, const char *s)
{
    cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

static void seg(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

/* Draws the page (595 x 842, cairo's y-down user space = displayed points)
 * and records what must be found. */
static gboolean make_cairo_page(const char *path, expects *e, gboolean *have_cjk)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    const char *cjk = cjk_family(cr);
    const char *latin = "DejaVu Serif";
    const char *font = cjk ? cjk : latin;
    *have_cjk = cjk != NULL;

    /* white cell backgrounds under everything (an alpha-only rendering
     * would take them for ink) */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 60, 60, 480, 180);
    cairo_fill(cr);
    cairo_rectangle(cr, 72, 100, 400, 90);
    cairo_fill(cr);

    /* table A: columns at 72 172 272 372 472, rows at 100 130 160 190;
     * header cells 1-2 merged (no rule at x=272 above y=130); a light gray
     * header background that stays below the ink threshold */
    const double X[] = { 72, 172, 272, 372, 472 }, Y[] = { 100, 130, 160, 190 };
    cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
    cairo_rectangle(cr, 72, 100, 400, 30);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    for (int j = 0; j < 4; j++) {
        seg(cr, X[0], Y[j], X[4], Y[j]);
        expect(e, TRUE, Y[j], X[0], X[4], "table A row rule");
    }
    for (int i = 0; i < 5; i++) {
        double top = i == 2 ? Y[1] : Y[0];
        seg(cr, X[i], top, X[i], Y[3]);
        expect(e, FALSE, X[i], top, Y[3], "table A column rule");
    }
    /* its text */
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (cjk) {
        text_at(cr, font, TRUE, 12, 90, 120, "项目名称");
        text_at(cr, font, TRUE, 12, 240, 120, "一般公共预算支出");
        text_at(cr, font, FALSE, 12, 76, 150, "一、一般公共服务");
        text_at(cr, font, FALSE, 12, 76, 180, "二、二三三三三");
        text_at(cr, font, FALSE, 10, 290, 150, "——");
        text_at(cr, font, FALSE, 12, 176, 180, "————");
        text_at(cr, font, FALSE, 12, 380, 150, "一一一一一一");
    } else {
        text_at(cr, latin, TRUE, 12, 90, 120, "ITEM");
        text_at(cr, latin, FALSE, 12, 76, 150, "General public");
        text_at(cr, latin, FALSE, 10, 290, 150, "--");
        text_at(cr, latin, FALSE, 12, 176, 180, "________");
    }
    text_at(cr, latin, FALSE, 11, 400, 180, "1,234.56");
    text_at(cr, latin, TRUE, 11, 190, 150, "TOTAL ===");

    /* a heading with a big 一 and a dash rule made of glyphs */
    if (cjk) {
        text_at(cr, font, TRUE, 28, 72, 80, "一、部门概况");
        text_at(cr, font, FALSE, 16, 330, 80, "二〇一九——二〇二〇");
    } else {
        text_at(cr, latin, TRUE, 28, 72, 80, "I. HEADING -- TITLE");
    }

    /* table B: 3x3 cells of 60 x 20 whose edges are separate segments with
     * 3 pt gaps at the corners */
    cairo_set_line_width(cr, 0.5);
    for (int j = 0; j <= 3; j++)
        for (int i = 0; i < 3; i++) {
            double y = 260 + 20 * j, x0 = 72 + 60 * i + 1.5, x1 = 72 + 60 * (i + 1) - 1.5;
            seg(cr, x0, y, x1, y);
            expect(e, TRUE, y, x0, x1, "table B cell edge");
        }
    for (int i = 0; i <= 3; i++)
        for (int j = 0; j < 3; j++) {
            double x = 72 + 60 * i, y0 = 260 + 20 * j + 1.5, y1 = 260 + 20 * (j + 1) - 1.5;
            seg(cr, x, y0, x, y1);
            expect(e, FALSE, x, y0, y1, "table B cell edge");
        }
    if (cjk)
        text_at(cr, font, FALSE, 11, 76, 275, "项目支出");
    else
        text_at(cr, latin, FALSE, 11, 76, 275, "Projects");

    /* strokes of other kinds: thin filled rectangles (as Distiller writes
     * rules), a thick filled bar (its edges are reported) */
    cairo_rectangle(cr, 300, 300.7 - 0.25, 220, 0.5);
    cairo_fill(cr);
    expect(e, TRUE, 300.7, 300, 520, "0.5 pt filled rule");
    cairo_rectangle(cr, 530.4 - 0.48, 250, 0.96, 90);
    cairo_fill(cr);
    expect(e, FALSE, 530.4, 250, 340, "0.96 pt filled rule");
    cairo_set_line_width(cr, 1.5);
    seg(cr, 300, 320.5, 520, 320.5);
    expect(e, TRUE, 320.5, 300, 520, "1.5 pt rule");
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.6); /* a coloured rule */
    cairo_set_line_width(cr, 0.75);
    seg(cr, 300, 335.2, 520, 335.2);
    expect(e, TRUE, 335.2, 300, 520, "blue rule");
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, 72, 380, 200, 10);
    cairo_fill(cr);
    expect(e, TRUE, 380, 72, 272, "bar top edge");
    expect(e, TRUE, 390, 72, 272, "bar bottom edge");

    /* a diagonal watermark over table A and a stroke too short to count */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_translate(cr, 120, 230);
    cairo_rotate(cr, -G_PI / 7);
    if (cjk)
        text_at(cr, font, TRUE, 40, 0, 0, "仅供内部审核");
    else
        text_at(cr, latin, TRUE, 40, 0, 0, "DRAFT COPY");
    cairo_restore(cr);
    cairo_set_line_width(cr, 0.5);
    seg(cr, 400, 420, 408, 420);

    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    check(st == CAIRO_STATUS_SUCCESS, "cairo wrote the test PDF: %s", cairo_status_to_string(st));
    return st == CAIRO_STATUS_SUCCESS;
}

static void test_cairo_page(const char *dir)
{
    char *path = g_build_filename(dir, "grid.pdf", NULL);
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    gboolean have_cjk = FALSE;
    if (make_cairo_page(path, &e, &have_cjk)) {
        if (!have_cjk)
            printf("note: no CJK font found; the grid page uses Latin text only\n");
        PopplerDocument *doc = open_pdf(path);
        if (doc) {
            PopplerPage *pg = poppler_document_get_page(doc, 0);
            GArray *hl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
            GArray *vl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
            if (find(pg, hl, vl, "grid page")) {
                check_lines("grid page", &e, hl, vl);
                check_text_clear("grid page", pg, hl, vl);
            }
            /* appending: a second call adds as many again */
            guint nh = hl->len, nv = vl->len;
            if (find(pg, hl, vl, "grid page, again"))
                check(hl->len == 2 * nh && vl->len == 2 * nv, "a second call appends");
            /* errors leave the arrays alone */
            GError *err = NULL;
            guint h0 = hl->len;
            check(!bpx_find_rulings(pg, 2.0, hl, vl, &err) && err != NULL &&
                      g_error_matches(err, BPX_ERROR, BPX_ERROR_LIMIT) && hl->len == h0,
                  "a resolution out of range is an error");
            g_clear_error(&err);
            g_array_free(hl, TRUE);
            g_array_free(vl, TRUE);
            g_object_unref(pg);
            g_object_unref(doc);
        }
    }
    if (g_getenv("TEST_RULING_KEEP"))
        printf("kept %s\n", path);
    else
        g_remove(path);
    g_free(path);
    g_array_free(e.exp, TRUE);
}

/* ---- hand-written pages with /Rotate and an offset MediaBox -------------- */

/* A one-page PDF: MediaBox [ox oy ox+w oy+h], /Rotate rot, the content
 * stream `content` (PDF user space), Helvetica as /F1. */
static GBytes *write_pdf(double ox, double oy, double w, double h, int rot, const char *content)
{
    GString *pdf = g_string_new("%PDF-1.4\n");
    gsize off[6];
    off[1] = pdf->len;
    g_string_append(pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = pdf->len;
    g_string_append(pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    off[3] = pdf->len;
    g_string_append_printf(pdf,
                           "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [%g %g %g %g] "
                           "/Rotate %d /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> "
                           ">>\nendobj\n",
                           ox, oy, ox + w, oy + h, rot);
    off[4] = pdf->len;
    g_string_append_printf(pdf, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                           strlen(content), content);
    off[5] = pdf->len;
    g_string_append(pdf, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
                         "endobj\n");
    gsize xref = pdf->len;
    g_string_append(pdf, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++)
        g_string_append_printf(pdf, "%010zu 00000 n \n", off[i]);
    g_string_append_printf(pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           xref);
    gsize len = pdf->len;
    return g_bytes_new_take(g_string_free(pdf, FALSE), len);
}

/* Displayed position of a point given in the unrotated page's top-left,
 * y-down coordinates (w x h), for a page turned by rot degrees clockwise. */
static void turn(int rot, double w, double h, double x, double y, double *X, double *Y)
{
    switch (rot) {
    case 90: *X = h - y; *Y = x; break;
    case 180: *X = w - x; *Y = h - y; break;
    case 270: *X = y; *Y = w - x; break;
    default: *X = x; *Y = y; break;
    }
}

static void expect_turned(expects *e, int rot, double w, double h, double x0, double y0,
                          double x1, double y1, const char *name)
{
    double X0, Y0, X1, Y1;
    turn(rot, w, h, x0, y0, &X0, &Y0);
    turn(rot, w, h, x1, y1, &X1, &Y1);
    if (ABS(Y0 - Y1) < 1e-6)
        expect(e, TRUE, Y0, X0, X1, name);
    else
        expect(e, FALSE, X0, Y0, Y1, name);
}

static void test_rotated(int rot, double ox, double oy)
{
    const double w = 420, h = 300; /* unrotated MediaBox size */
    char page[64];
    g_snprintf(page, sizeof page, "/Rotate %d, MediaBox at (%g,%g)", rot, ox, oy);

    /* In top-left y-down coordinates of the unrotated page: a frame of
     * thin filled rectangles (as Distiller draws), an inner rule stroked,
     * a white box painted over part of it, and the word "Total" in the
     * cell at (60..200, 40..80). */
    GString *c = g_string_new(NULL);
    g_string_append_printf(c, "1 0 0 1 %g %g cm\n", ox, oy); /* user space = MediaBox origin */
#define R(x, y, rw, rh)                                                                           \
    g_string_append_printf(c, "%g %g %g %g re f\n", (double)(x), h - (y) - (rh), (double)(rw),      \
                           (double)(rh))
    R(60, 40 - 0.48, 300, 0.96);  /* top rule y=40 */
    R(60, 80 - 0.48, 300, 0.96);  /* y=80 */
    R(60, 200 - 0.48, 300, 0.96); /* y=200 */
    R(60 - 0.48, 40, 0.96, 160);  /* left x=60 */
    R(360 - 0.48, 40, 0.96, 160); /* right x=360 */
#undef R
    g_string_append_printf(c, "0.5 w 200 %g m 200 %g l S\n", h - 40, h - 200); /* x=200 */
    g_string_append_printf(c, "0 w 60 %g m 360 %g l S\n", h - 240, h - 240);   /* hairline */
    g_string_append_printf(c, "1 g 250 %g 40 40 re f 0 g\n", h - 180);        /* white box */
    g_string_append_printf(c, "BT /F1 14 Tf 70 %g Td (Total) Tj ET\n", h - 66);
    GBytes *bytes = write_pdf(ox, oy, w, h, rot, c->str);
    g_string_free(c, TRUE);

    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    expect_turned(&e, rot, w, h, 60, 40, 360, 40, "top rule");
    expect_turned(&e, rot, w, h, 60, 80, 360, 80, "rule under the header");
    expect_turned(&e, rot, w, h, 60, 200, 360, 200, "bottom rule");
    expect_turned(&e, rot, w, h, 60, 40, 60, 200, "left rule");
    expect_turned(&e, rot, w, h, 360, 40, 360, 200, "right rule");
    expect_turned(&e, rot, w, h, 200, 40, 200, 200, "inner rule");
    expect_turned(&e, rot, w, h, 60, 240, 360, 240, "hairline");

    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    check(doc != NULL, "%s: poppler opens it: %s", page, err ? err->message : "?");
    g_clear_error(&err);
    if (doc) {
        PopplerPage *pg = poppler_document_get_page(doc, 0);
        double pw = 0, ph = 0;
        poppler_page_get_size(pg, &pw, &ph);
        gboolean across = rot == 90 || rot == 270;
        check(ABS(pw - (across ? h : w)) < 0.01 && ABS(ph - (across ? w : h)) < 0.01,
              "%s: poppler_page_get_size gives the displayed size (%gx%g)", page, pw, ph);
        GArray *hl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        GArray *vl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        if (find(pg, hl, vl, page)) {
            check_lines(page, &e, hl, vl);
            check_text_clear(page, pg, hl, vl);
            /* the text layout and the rulings share coordinates: "Total"
             * lies inside the header cell the rulings bound */
            double cx0, cy0, cx1, cy1;
            turn(rot, w, h, 60, 40, &cx0, &cy0);
            turn(rot, w, h, 200, 80, &cx1, &cy1);
            double lx = MIN(cx0, cx1), hx = MAX(cx0, cx1), ly = MIN(cy0, cy1), hy = MAX(cy0, cy1);
            PopplerRectangle *r = NULL;
            guint n = 0;
            if (!poppler_page_get_text_layout(pg, &r, &n))
                n = 0;
            int inside = 0;
            for (guint i = 0; i < n; i++) {
                double mx = (r[i].x1 + r[i].x2) / 2, my = (r[i].y1 + r[i].y2) / 2;
                if (mx > lx && mx < hx && my > ly && my < hy)
                    inside++;
            }
            check(n >= 5 && inside == 5, "%s: the 5 letters of \"Total\" lie in their cell (%d of %u)",
                  page, inside, n);
            g_free(r);
        }
        g_array_free(hl, TRUE);
        g_array_free(vl, TRUE);
        g_object_unref(pg);
        g_object_unref(doc);
    }
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* A page without rulings: text only, with glyph dashes and underscores. */
static void test_text_only(void)
{
    const char *content = "BT /F1 24 Tf 60 700 Td (Title -- overview) Tj ET\n"
                          "BT /F1 11 Tf 60 660 Td (Fill in: ________________ date ____) Tj ET\n"
                          "BT /F1 11 Tf 60 640 Td (IIIIIIIIII llllllll ||||||| ---------) Tj ET\n";
    GBytes *bytes = write_pdf(0, 0, 595, 842, 0, content);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    check(doc != NULL, "text page: poppler opens it");
    g_clear_error(&err);
    if (doc) {
        PopplerPage *pg = poppler_document_get_page(doc, 0);
        GArray *hl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        GArray *vl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        if (find(pg, hl, vl, "text page"))
            check(hl->len == 0 && vl->len == 0, "text page: no rulings (found %u H, %u V)",
                  hl->len, vl->len);
        g_array_free(hl, TRUE);
        g_array_free(vl, TRUE);
        g_object_unref(pg);
        g_object_unref(doc);
    }
    g_bytes_unref(bytes);
}

int main(void)
{
    GError *err = NULL;
    char *dir = g_dir_make_tmp("test_ruling-XXXXXX", &err);
    check(dir != NULL, "temporary directory: %s", err ? err->message : "?");
    g_clear_error(&err);
    if (dir) {
        test_cairo_page(dir);
        if (!g_getenv("TEST_RULING_KEEP"))
            g_rmdir(dir);
        g_free(dir);
    }
    test_rotated(0, 0, 0);
    test_rotated(90, 0, 0);
    test_rotated(180, 0, 0);
    test_rotated(270, 0, 0);
    test_rotated(90, 100, -50);
    test_text_only();

    printf("test_ruling: %d passed, %d failed\n", n_passed, n_failed);
    return n_failed ? 1 : 0;
}
