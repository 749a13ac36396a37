/* test_ruling — unit test of the table-ruling detector (extract/ruling.c).
 *
 * Writes small PDFs by hand with known rulings, loads them with poppler and
 * checks that bpx_find_rulings() finds every ruled stroke (position within
 * 1.5 pt, ends within 3 pt) and nothing else: not the strokes of the text
 * (CJK 一 二 三 and ——, bold, Latin, underscores), not a diagonal
 * watermark, not white cell backgrounds.
 *
 *   - a grid page: a 4x3 grid of 0.5 pt strokes with a merged cell and a
 *     light header fill, a grid whose cell edges are separate segments with
 *     gaps at the corners, a hairline, thin filled rectangles (as Distiller
 *     writes rules), a thick and a coloured rule, a filled bar, white cell
 *     backgrounds, CJK text (the Adobe font STSong-Light, which poppler
 *     replaces with a CJK font of the system) and Latin text, and a bold
 *     diagonal watermark;
 *   - pages with /Rotate 0, 90, 180 and 270 and a MediaBox that does not
 *     start at the origin: the rulings come out in the page's displayed
 *     orientation, the frame of poppler_page_get_text_layout();
 *   - a small 2-row table with a translucent diagonal watermark drawn over
 *     it, whose glyphs lie over whole column rules: the rules are found, the
 *     watermark's strokes are not;
 *   - a page of text only: no rulings;
 *   - a budget table shrunk to 0.7 and 0.5 of its size (and at full size):
 *     the same rules as at full size, scaled, and no glyph stroke; and in
 *     the ink map it gives, every glyph of the table shows ink off the rules.
 * (The PDFs are written by hand: cairo's PDF surface leaks when it subsets
 * CJK fonts, which the ASan build would report.)
 *
 * Build and run (from the repository root):
 *   gcc -std=c11 -Wall -Wextra -Werror -Iextract tests/unit/test_ruling.c extract/ruling.c \
 *       $(pkg-config --cflags --libs poppler-glib cairo) -o /tmp/test_ruling && /tmp/test_ruling
 * Prints each failed check on stderr, then "test_ruling: N passed, M failed";
 * exits non-zero on failure.  TEST_RULING_KEEP=path writes the grid page there.
 */
#include "../../extract/ruling.h" /* builds with -I. (Makefile) or -Iextract */

#include <stdio.h>
#include <string.h>

/* The extract stage defines this in its own source; the test links only ruling.c. */
GQuark bpx_error_quark(void)
{
    return g_quark_from_static_string("bpx-error-quark");
}

#define POS_TOL 1.5 /* a ruling must be found this close to where it was drawn */
#define END_TOL 3.0 /* and its ends this close (a stroke crossing a border runs through it) */
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
 * expected ones (no more than 1 pt of it beyond them and their END_TOL). */
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
                iv[2 * n] = x->a - END_TOL;
                iv[2 * n + 1] = x->b + END_TOL;
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

static gboolean find(PopplerPage *pg, GArray *hl, GArray *vl, const char *page)
{
    GError *err = NULL;
    gboolean ok = bpx_find_rulings(pg, DPI, 0, NULL, hl, vl, NULL, &err);
    check(ok && err == NULL, "%s: bpx_find_rulings failed: %s", page, err ? err->message : "?");
    g_clear_error(&err);
    return ok;
}

/* ---- writing test PDFs ---------------------------------------------------- */

/* A one-page PDF: MediaBox [ox oy ox+w oy+h], /Rotate rot, the content
 * stream `content` (PDF user space).  Fonts: /F1 Helvetica, /F2 the Adobe
 * CJK font STSong-Light (UniGB-UCS2-H, not embedded: poppler substitutes a
 * CJK font of the system through fontconfig), /F3 the same font whose
 * glyphs are stated a third of an em wide (/DW 333, as cairo writes the
 * widths of glyphs it has no metrics for); graphics state /GS1 paints at
 * 30% opacity. */
static GBytes *write_pdf(double ox, double oy, double w, double h, int rot, const char *content)
{
    static const char *const fixed[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        NULL, /* the page */
        NULL, /* the content */
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        "/DescendantFonts [7 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        "<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 8 0 R "
        "/DW 1000 >>",
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        "/DescendantFonts [10 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        "<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 8 0 R "
        "/DW 333 >>",
    };
    enum { N_OBJ = G_N_ELEMENTS(fixed) };
    GString *pdf = g_string_new("%PDF-1.4\n");
    gsize off[N_OBJ];
    for (int i = 0; i < N_OBJ; i++) {
        off[i] = pdf->len;
        g_string_append_printf(pdf, "%d 0 obj\n", i + 1);
        if (i == 2)
            g_string_append_printf(pdf,
                                   "<< /Type /Page /Parent 2 0 R /MediaBox [%g %g %g %g] /Rotate %d "
                                   "/Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 9 0 R >> "
                                   "/ExtGState << /GS1 << /ca 0.3 /CA 0.3 >> >> >> >>",
                                   ox, oy, ox + w, oy + h, rot);
        else if (i == 3)
            g_string_append_printf(pdf, "<< /Length %zu >>\nstream\n%s\nendstream",
                                   strlen(content), content);
        else
            g_string_append(pdf, fixed[i]);
        g_string_append(pdf, "\nendobj\n");
    }
    gsize xref = pdf->len;
    g_string_append_printf(pdf, "xref\n0 %d\n0000000000 65535 f \n", N_OBJ + 1);
    for (int i = 0; i < N_OBJ; i++)
        g_string_append_printf(pdf, "%010zu 00000 n \n", off[i]);
    g_string_append_printf(pdf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           N_OBJ + 1, xref);
    gsize len = pdf->len;
    return g_bytes_new_take(g_string_free(pdf, FALSE), len);
}

/* A content stream built in top-left, y-down coordinates of a page h tall. */
typedef struct {
    GString *s;
    double h;
} content;

static void c_stroke(content *c, double width, double x0, double y0, double x1, double y1)
{
    g_string_append_printf(c->s, "%g w %g %g m %g %g l S\n", width, x0, c->h - y0, x1, c->h - y1);
}

static void c_fill(content *c, double gray, double x, double y, double w, double h)
{
    g_string_append_printf(c->s, "%g g %g %g %g %g re f 0 g\n", gray, x, c->h - y - h, w, h);
}

/* Text with its baseline starting at (x, y), turned by `angle` radians
 * counter-clockwise; CJK through /F2, anything else through /F1.  Bold is
 * drawn as Excel does: filled and stroked. */
static void c_text(content *c, gboolean cjk, double size, gboolean bold, double gray, double x,
                   double y, double angle, const char *utf8)
{
    double co = 1, si = 0;
    if (angle != 0) {
        /* cos and sin without libm: a few terms of the series are plenty */
        double a2 = angle * angle;
        co = 1 - a2 / 2 + a2 * a2 / 24 - a2 * a2 * a2 / 720;
        si = angle * (1 - a2 / 6 + a2 * a2 / 120 - a2 * a2 * a2 / 5040);
    }
    g_string_append_printf(c->s, "BT %g g %g G %s /F%d %g Tf %g %g %g %g %g %g Tm ", gray, gray,
                           bold ? "2 Tr 0.4 w" : "0 Tr", cjk ? 2 : 1, size, co, si, -si, co, x,
                           c->h - y);
    if (cjk) {
        glong n = 0;
        gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
        g_string_append_c(c->s, '<');
        for (glong i = 0; u && i < n; i++)
            g_string_append_printf(c->s, "%04X", u[i]);
        g_string_append(c->s, "> Tj");
        g_free(u);
    } else {
        g_string_append_c(c->s, '(');
        for (const char *p = utf8; *p; p++) {
            if (*p == '(' || *p == ')' || *p == '\\')
                g_string_append_c(c->s, '\\');
            g_string_append_c(c->s, *p);
        }
        g_string_append(c->s, ") Tj");
    }
    g_string_append(c->s, " 0 g 0 G 0 Tr ET\n");
}

/* ---- the grid page -------------------------------------------------------- */

/* The page (595 x 842), and what must be found on it. */
static GBytes *make_grid_page(expects *e)
{
    content c = { g_string_new(NULL), 842 };

    /* white cell backgrounds under everything (an alpha-only rendering
     * would take them for ink) */
    c_fill(&c, 1, 60, 60, 480, 180);
    c_fill(&c, 1, 72, 100, 400, 90);

    /* a diagonal watermark across table A, drawn before the table (a
     * watermark painted over a rule hides it, and the rule is found only
     * where it shows) */
    c_text(&c, TRUE, 40, TRUE, 0.75, 120, 230, G_PI / 7, "仅供内部审核");

    /* table A: columns at 72 172 272 372 472, rows at 100 130 160 190;
     * header cells 1-2 merged (no rule at x=272 above y=130); a light gray
     * header background that stays below the ink threshold */
    const double X[] = { 72, 172, 272, 372, 472 }, Y[] = { 100, 130, 160, 190 };
    c_fill(&c, 0.93, 72, 100, 400, 30);
    for (int j = 0; j < 4; j++) {
        c_stroke(&c, 0.5, X[0], Y[j], X[4], Y[j]);
        expect(e, TRUE, Y[j], X[0], X[4], "table A row rule");
    }
    for (int i = 0; i < 5; i++) {
        double top = i == 2 ? Y[1] : Y[0];
        c_stroke(&c, 0.5, X[i], top, X[i], Y[3]);
        expect(e, FALSE, X[i], top, Y[3], "table A column rule");
    }
    /* its text: CJK bars and stems, dashes, bold, Latin */
    c_text(&c, TRUE, 12, TRUE, 0, 90, 120, 0, "项目名称");
    c_text(&c, TRUE, 12, TRUE, 0, 240, 120, 0, "一般公共预算支出");
    c_text(&c, TRUE, 12, FALSE, 0, 76, 150, 0, "一、一般公共服务");
    c_text(&c, TRUE, 12, FALSE, 0, 76, 180, 0, "二、二三三三三");
    c_text(&c, TRUE, 10, FALSE, 0, 290, 150, 0, "——");
    c_text(&c, TRUE, 12, FALSE, 0, 176, 180, 0, "————");
    c_text(&c, TRUE, 12, FALSE, 0, 380, 150, 0, "一一一一一一");
    c_text(&c, FALSE, 11, FALSE, 0, 400, 180, 0, "1,234.56");
    c_text(&c, FALSE, 11, TRUE, 0, 190, 150, 0, "TOTAL ===");
    c_text(&c, FALSE, 10, FALSE, 0, 290, 180, 0, "____ ----");

    /* a heading with a big 一 and a dash made of glyphs */
    c_text(&c, TRUE, 28, TRUE, 0, 72, 80, 0, "一、部门概况");
    c_text(&c, TRUE, 16, FALSE, 0, 330, 80, 0, "二〇一九——二〇二〇");

    /* table B: 3x3 cells of 60 x 20 whose edges are separate segments with
     * 3 pt gaps at the corners */
    for (int j = 0; j <= 3; j++)
        for (int i = 0; i < 3; i++) {
            double y = 260 + 20 * j, x0 = 72 + 60 * i + 1.5, x1 = 72 + 60 * (i + 1) - 1.5;
            c_stroke(&c, 0.5, x0, y, x1, y);
            expect(e, TRUE, y, x0, x1, "table B cell edge");
        }
    for (int i = 0; i <= 3; i++)
        for (int j = 0; j < 3; j++) {
            double x = 72 + 60 * i, y0 = 260 + 20 * j + 1.5, y1 = 260 + 20 * (j + 1) - 1.5;
            c_stroke(&c, 0.5, x, y0, x, y1);
            expect(e, FALSE, x, y0, y1, "table B cell edge");
        }
    c_text(&c, TRUE, 11, FALSE, 0, 76, 275, 0, "项目支出");

    /* strokes of other kinds: a hairline, thin filled rectangles (as
     * Distiller writes rules), a thick rule, a coloured one, a thick filled
     * bar (its edges are reported), a stroke too short to count */
    c_stroke(&c, 0, 300, 262.3, 520, 262.3);
    expect(e, TRUE, 262.3, 300, 520, "hairline");
    c_fill(&c, 0, 300, 300.7 - 0.25, 220, 0.5);
    expect(e, TRUE, 300.7, 300, 520, "0.5 pt filled rule");
    c_fill(&c, 0, 530.4 - 0.48, 250, 0.96, 90);
    expect(e, FALSE, 530.4, 250, 340, "0.96 pt filled rule");
    c_stroke(&c, 1.5, 300, 320.5, 520, 320.5);
    expect(e, TRUE, 320.5, 300, 520, "1.5 pt rule");
    g_string_append(c.s, "0.2 0.2 0.6 RG\n");
    c_stroke(&c, 0.75, 300, 335.2, 520, 335.2);
    g_string_append(c.s, "0 G\n");
    expect(e, TRUE, 335.2, 300, 520, "blue rule");
    c_fill(&c, 0, 72, 380, 200, 10);
    expect(e, TRUE, 380, 72, 272, "bar top edge");
    expect(e, TRUE, 390, 72, 272, "bar bottom edge");
    c_stroke(&c, 0.5, 400, 420, 408, 420);


    GBytes *b = write_pdf(0, 0, 595, 842, 0, c.s->str);
    g_string_free(c.s, TRUE);
    return b;
}

static void test_grid_page(void)
{
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    GBytes *bytes = make_grid_page(&e);
    const char *keep = g_getenv("TEST_RULING_KEEP"); /* a path: write the page there */
    if (keep) {
        gsize len = 0;
        const char *data = g_bytes_get_data(bytes, &len);
        g_file_set_contents(keep, data, (gssize)len, NULL);
    }
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    check(doc != NULL, "grid page: poppler opens it: %s", err ? err->message : "?");
    g_clear_error(&err);
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
        guint h0 = hl->len;
        check(!bpx_find_rulings(pg, 2.0, 0, NULL, hl, vl, NULL, &err) && err != NULL &&
                  g_error_matches(err, BPX_ERROR, BPX_ERROR_LIMIT) && hl->len == h0,
              "a resolution out of range is an error");
        g_clear_error(&err);
        g_array_free(hl, TRUE);
        g_array_free(vl, TRUE);
        g_object_unref(pg);
        g_object_unref(doc);
    }
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* ---- pages with /Rotate and an offset MediaBox ---------------------------- */

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

/* Opens the one-page PDF in bytes and checks its rulings against e: every
 * expected line found, nothing else, no line through text.  pale: whether
 * the page has pale rules that only the finer look finds (the hint for the
 * next page says so); such a page looked at finely at once (its page
 * before had them) gives its lines all the same, and any page so looked at
 * hands on the same hint as when looked at first coarsely. */
static void check_drawn_page(const char *page, GBytes *bytes, expects *e, gboolean pale)
{
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    check(doc != NULL, "%s: poppler opens it: %s", page, err ? err->message : "?");
    g_clear_error(&err);
    if (!doc)
        return;
    PopplerPage *pg = poppler_document_get_page(doc, 0);
    GArray *hl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    GArray *vl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    if (find(pg, hl, vl, page)) {
        check_lines(page, e, hl, vl);
        check_text_clear(page, pg, hl, vl);
    }
    for (int at_once = 0; at_once < 2; at_once++) {
        gboolean hint = at_once;
        g_array_set_size(hl, 0);
        g_array_set_size(vl, 0);
        GError *ferr = NULL;
        gboolean ok = bpx_find_rulings(pg, DPI, 0, &hint, hl, vl, NULL, &ferr);
        check(ok, "%s: bpx_find_rulings with a hint failed", page);
        g_clear_error(&ferr);
        check(hint == pale, "%s%s: the hint for the next page is %d", page,
              at_once ? " (looked at finely at once)" : "", hint);
        if (ok && at_once && pale) {
            char *name = g_strdup_printf("%s (looked at finely at once)", page);
            check_lines(name, e, hl, vl);
            g_free(name);
        }
    }
    g_array_free(hl, TRUE);
    g_array_free(vl, TRUE);
    g_object_unref(pg);
    g_object_unref(doc);
}

/* ---- a watermark over a small table -------------------------------------- */

/* A 2-row table with a header row, as the disclosures print an empty one
 * (short vertical rules, 36 pt), and the "仅供内部审核" watermark drawn after
 * it, over it: grey, at 30% opacity, 34 pt, turned 35 degrees, two copies
 * side by side whose glyphs lie over the column rules (the rule at x=150
 * wholly inside the parallelogram of one glyph, the one at x=435 under two).
 * Every rule is found in full (a rule is not text because a watermark glyph
 * lies over it), and the watermark's own strokes make no line. */
static void test_watermark_over_table(void)
{
    const char *page = "watermark over a table";
    content c = { g_string_new(NULL), 842 };
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    const double X[] = { 63, 150, 240, 337, 435, 533 }, Y[] = { 120, 138, 156 };
    for (int j = 0; j < 3; j++) {
        c_stroke(&c, 0.6, X[0], Y[j], X[5], Y[j]);
        expect(&e, TRUE, Y[j], X[0], X[5], "table rule");
    }
    for (int i = 0; i < 6; i++) {
        c_stroke(&c, 0.6, X[i], Y[0], X[i], Y[2]);
        expect(&e, FALSE, X[i], Y[0], Y[2], "column rule");
    }
    static const char *const head[] = { "科目编码", "科目名称", "合计", "基本支出", "项目支出" };
    for (int i = 0; i < 5; i++) {
        double w = 9.0 * (double)g_utf8_strlen(head[i], -1);
        c_text(&c, TRUE, 9, FALSE, 0, (X[i] + X[i + 1] - w) / 2, 132, 0, head[i]);
    }
    c_text(&c, TRUE, 9, FALSE, 0, 88, 150, 0, "合计");
    /* the watermark, last, centred on (cx, cy) as a PDF producer centres it:
     * its baseline starts 3 em before the centre and a third of an em below */
    const double cs = 0.819152, sn = 0.573576, size = 34;
    const double cx[] = { 146, 446 }, cy = 151;
    g_string_append(c.s, "q /GS1 gs\n");
    for (int k = 0; k < 2; k++) {
        double u = -3 * size, v = -size / 3;
        c_text(&c, TRUE, size, FALSE, 0.55, cx[k] + u * cs - v * sn, cy - (u * sn + v * cs),
               35 * G_PI / 180, "仅供内部审核");
    }
    g_string_append(c.s, "Q\n");
    GBytes *bytes = write_pdf(0, 0, 595, 842, 0, c.s->str);
    g_string_free(c.s, TRUE);

    check_drawn_page(page, bytes, &e, FALSE);
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* ---- a table printed small ---------------------------------------------------- */

/* A budget table as an A4 sheet prints it (9 pt text, rows 15.6 pt, a bold
 * header, item names set against the left rule of their column, a list of
 * them in one column and short ones beside it), then shrunk by k as a
 * printing system shrinks a wide table to fit the paper: the page k times
 * smaller, its content drawn through a "k 0 0 k 0 0 cm".  Every rule is
 * found where the shrunk page has it, and no more: at 36 dpi a glyph of
 * 9 k pt is 4.5 k pixels tall, and the strokes of glyphs standing one
 * above the other in a column of short names (般 over 交, 功 above them in
 * the header) join, across the row rules, into a stroke that outlasts the
 * glyph boxes that hold it; a spurious column rule splits the column. */
static GBytes *make_small_table(double k, expects *e)
{
    const double W = 842, H = 595;
    content c = { g_string_new(NULL), H };
    const double X[] = { 80, 204, 280, 456, 532, 700, 776 };
    enum { NX = 7, NROWS = 22 };
    double Y[NROWS + 1];
    for (int j = 0; j <= NROWS; j++)
        Y[j] = 100 + 15.6 * j;
    g_string_append_printf(c.s, "q %g 0 0 %g 0 0 cm\n", k, k);
    for (int j = 0; j <= NROWS; j++) {
        c_stroke(&c, 0.75, X[0], Y[j], X[NX - 1], Y[j]);
        expect(e, TRUE, k * Y[j], k * X[0], k * X[NX - 1], "row rule");
    }
    for (int i = 0; i < NX; i++) {
        c_stroke(&c, 0.75, X[i], Y[0], X[i], Y[NROWS]);
        expect(e, FALSE, k * X[i], k * Y[0], k * Y[NROWS], "column rule");
    }
    static const char *const head[] = { "项目名称", "金额", "功能科目名称", "金额", "项目名称", "金额" };
    for (int i = 0; i < NX - 1; i++) {
        double w = 9.0 * (double)g_utf8_strlen(head[i], -1);
        c_text(&c, TRUE, 9, TRUE, 0, (X[i] + X[i + 1] - w) / 2, Y[0] + 12, 0, head[i]);
    }
    static const char *const items[] = {
        "一、一般公共服务支出", "二、外交支出", "三、国防支出", "四、公共安全支出", "五、教育支出",
        "六、科学技术支出", "七、文化体育与传媒支出", "八、社会保障和就业支出",
        "九、医疗卫生与计划生育支出", "十、节能环保支出", "十一、城乡社区支出", "十二、农林水支出",
        "十三、交通运输支出", "十四、资源勘探信息等支出", "十五、商业服务业等支出", "十六、金融支出",
        "十七、国土海洋气象等支出", "十八、住房保障支出", "十九、粮油物资储备支出", "二十、其他支出",
    };
    static const char *const left[] = { "一、财政拨款", "二、其他资金", "三、事业收入" };
    static const char *const use[] = { "一、基本支出", "二、项目支出", "三、机动经费" };
    for (int j = 0; j < 20; j++) {
        double base = Y[j + 1] + 12;
        c_text(&c, TRUE, 9, FALSE, 0, X[2] + 1.5, base, 0, items[j]);
        if (j < 3) {
            c_text(&c, TRUE, 9, FALSE, 0, X[0] + 1.5, base, 0, left[j]);
            c_text(&c, TRUE, 9, FALSE, 0, X[4] + 1.5, base, 0, use[j]);
            c_text(&c, FALSE, 9, FALSE, 0, X[2] - 52, base, 0, "10,070.48");
            c_text(&c, FALSE, 9, FALSE, 0, X[6] - 50, base, 0, "5,678.17");
        }
        if (j % 4 == 0)
            c_text(&c, FALSE, 9, FALSE, 0, X[4] - 50, base, 0, "7,827.46");
    }
    c_text(&c, TRUE, 9, TRUE, 0, X[0] + 20, Y[NROWS] - 3.6, 0, "收入合计");
    g_string_append(c.s, "Q\n");
    GBytes *bytes = write_pdf(0, 0, k * W, k * H, 0, c.s->str);
    g_string_free(c.s, TRUE);
    return bytes;
}

static void test_small_print(double k)
{
    char page[64];
    g_snprintf(page, sizeof page, "a table printed at %.2f of its size", k);
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    GBytes *bytes = make_small_table(k, &e);
    check_drawn_page(page, bytes, &e, FALSE);
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* The ink map of that table (what the extract stage asks whether a glyph
 * shows, bpx_ink_max_off_rules, leaving out the pixels 1.5 px from a
 * rule): every glyph of the table shows its ink, at full size and shrunk.
 * At 0.5 a row is 7.8 pt, a glyph 4.5 pt (2 pixels at 36 dpi), and the
 * pixels beside the rules are all there is of it. */
static void test_small_print_ink(double k)
{
    char page[64];
    g_snprintf(page, sizeof page, "the ink of a table printed at %.2f", k);
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    GBytes *bytes = make_small_table(k, &e);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
    check(doc != NULL, "%s: poppler opens it", page);
    if (doc) {
        PopplerPage *pg = poppler_document_get_page(doc, 0);
        GArray *hl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        GArray *vl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        bpx_ink_map *map = NULL;
        gboolean ok = bpx_find_rulings(pg, DPI, 0, NULL, hl, vl, &map, NULL);
        check(ok && map != NULL, "%s: bpx_find_rulings gives an ink map", page);
        if (ok && map) {
            bpx_page bp = { 0 };
            bp.hlines = (bpx_line *)(void *)hl->data;
            bp.n_hlines = hl->len;
            bp.vlines = (bpx_line *)(void *)vl->data;
            bp.n_vlines = vl->len;
            PopplerRectangle *r = NULL;
            guint n = 0;
            char *text = poppler_page_get_text(pg);
            if (!poppler_page_get_text_layout(pg, &r, &n))
                n = 0;
            int glyphs = 0, blank = 0;
            const char *t = text;
            for (guint i = 0; i < n && t && *t; i++, t = g_utf8_next_char(t)) {
                gunichar ch = g_utf8_get_char(t);
                if (ch < 0x4E00 || ch > 0x9FFF) /* the ideographs */
                    continue;
                bpx_rect box = { r[i].x1, r[i].y1, r[i].x2, r[i].y2 };
                glyphs++;
                blank += bpx_ink_max_off_rules(map, &box, &bp, 8) < 8;
            }
            check(glyphs > 200, "%s: %d glyphs", page, glyphs);
            check(blank == 0, "%s: %d of %d glyphs show no ink off the rules", page, blank, glyphs);
            g_free(r);
            g_free(text);
        }
        bpx_ink_map_free(map);
        g_array_free(hl, TRUE);
        g_array_free(vl, TRUE);
        g_object_unref(pg);
        g_object_unref(doc);
    }
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* ---- a shaded table ---------------------------------------------------------- */

/* A table as designed reports print it: a header row shaded light grey-blue,
 * zebra-striped data rows, thin blue rules drawn over the shading.  The
 * shading must not swallow the rules that cross it (each column rule runs
 * through shaded and white rows alike), nor make lines of its own beyond
 * the edges the rules already mark. */
static void test_shaded_table(void)
{
    const char *page = "shaded table";
    content c = { g_string_new(NULL), 842 };
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    const double X[] = { 63, 150, 240, 337, 435, 533 };
    double Y[9];
    for (int j = 0; j < 9; j++)
        Y[j] = 120 + 18 * j;
    g_string_append(c.s, "0.80 0.86 0.95 rg\n");
    g_string_append_printf(c.s, "%g %g %g %g re f\n", X[0], c.h - Y[1], X[5] - X[0], Y[1] - Y[0]);
    g_string_append(c.s, "0.88 g\n");
    for (int j = 2; j < 8; j += 2)
        g_string_append_printf(c.s, "%g %g %g %g re f\n", X[0], c.h - Y[j + 1], X[5] - X[0], Y[j + 1] - Y[j]);
    g_string_append(c.s, "0 g 0.1 0.2 0.5 RG\n");
    for (int j = 0; j < 9; j++) {
        c_stroke(&c, 0.5, X[0], Y[j], X[5], Y[j]);
        expect(&e, TRUE, Y[j], X[0], X[5], "row rule");
    }
    for (int i = 0; i < 6; i++) {
        c_stroke(&c, 0.5, X[i], Y[0], X[i], Y[8]);
        expect(&e, FALSE, X[i], Y[0], Y[8], "column rule through shaded rows");
    }
    g_string_append(c.s, "0 G\n");
    static const char *const head[] = { "科目编码", "科目名称", "合计", "基本支出", "项目支出" };
    for (int i = 0; i < 5; i++) {
        double w = 9.0 * (double)g_utf8_strlen(head[i], -1);
        c_text(&c, TRUE, 9, FALSE, 0, (X[i] + X[i + 1] - w) / 2, 132, 0, head[i]);
    }
    for (int j = 1; j < 8; j++)
        c_text(&c, TRUE, 9, FALSE, 0, X[1] + 4, Y[j] + 13, 0, "一般公共服务支出");
    GBytes *bytes = write_pdf(0, 0, 595, 842, 0, c.s->str);
    g_string_free(c.s, TRUE);

    check_drawn_page(page, bytes, &e, FALSE);
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* ---- a table ruled in pale thin rectangles ---------------------------------- */

/* A table as WPS 表格 prints one: every rule a filled rectangle 0.96 pt wide
 * in light grey (0.753), placed so that at the ruling resolution each falls
 * across two pixels and neither reaches the ink a pixel needs to count;
 * amounts right-aligned against the column rules.  Each rule must be found
 * all the same (the page is looked at again, finer).  With a pale shaded
 * header the page takes the shading passes, where each row rule crossing a
 * column rule is as dark as the column rule's background: the column rule
 * runs on through the crossings all the same.  Hairline pale rules (0.33
 * pt, each inside a pixel) ink a pixel 21 at the finer resolution: the
 * finer look counts such pixels (BPX_RULING_FINE_INK_MIN). */
static void test_pale_thin_rules(gboolean shaded, gboolean hair)
{
    const char *page = shaded ? "pale thin rules, shaded header"
                       : hair ? "pale hairline rules"
                              : "pale thin rules";
    content c = { g_string_new(NULL), 595 };
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    /* shaded: rules across two pixels at either resolution, rows 11 pt,
     * header 2 rows tall */
    const double X0[] = { 59.76, 179.76, 299.76, 419.76, 539.76, 659.76, 779.76 };
    const double X1[] = { 59.53, 179.53, 299.53, 419.53, 539.53, 659.53, 779.53 };
    const double X2[] = { 59.3, 179.3, 299.3, 419.3, 539.3, 659.3, 779.3 };
    const double *X = shaded ? X1 : hair ? X2 : X0;
    double Y[7];
    for (int j = 0; j < 7; j++)
        Y[j] = shaded ? 133.53 + 11.04 * (j + (j > 0)) : hair ? 133.3 + 16 * j : 133.76 + 16.08 * j;
    /* shaded: narrower rules, which over the shade fall short of the ink a
     * pixel needs even at the finer resolution, but for the pixel beside */
    const double t = shaded ? 0.66 : hair ? 0.33 : 0.96, gray = 0.753;
    if (shaded) /* a header row in a pale shade: the page takes the shading passes */
        c_fill(&c, 0.945, X[0], Y[0], X[6] - X[0], Y[1] - Y[0]);
    for (int j = 0; j < 7; j++) {
        c_fill(&c, gray, X[0], Y[j], X[6] - X[0] + t, t);
        expect(&e, TRUE, Y[j] + t / 2, X[0], X[6] + t, "pale row rule");
    }
    for (int i = 0; i < 7; i++) {
        c_fill(&c, gray, X[i], Y[0], t, Y[6] - Y[0] + t);
        expect(&e, FALSE, X[i] + t / 2, Y[0], Y[6] + t, "pale column rule");
    }
    for (int j = 0; j < 6; j++)
        for (int i = 0; i < 6; i++)
            c_text(&c, FALSE, 8, FALSE, 0, X[i + 1] - (shaded || hair ? 46 : 42), Y[j] + (shaded ? 9 : 12), 0,
                   "130.819050");
    GBytes *bytes = write_pdf(0, 0, 842, 595, 0, c.s->str);
    g_string_free(c.s, TRUE);

    check_drawn_page(page, bytes, &e, TRUE);
    g_bytes_unref(bytes);
    g_array_free(e.exp, TRUE);
}

/* A report's pale rules over a shaded header, as Beijing's 报表 print them:
 * filled rectangles 1.44 pt wide in grey 0.76, a header row 100 pt tall in a
 * pale shade (0.949), one white data row, header labels 5-7 pt from the
 * rules.  Each column rule falls across two pixels at the ruling resolution
 * (0.48 and 0.96 pt of it): over white the darker pixel counts as ink; over
 * the shade both pixels stand out from it by less than a pixel needs (12
 * and 23), though both count as ink in the rendering itself (25 and 36).
 * Such a rule is faint where the scan looks (above the background): the
 * page must be looked at again finer (the hint), and every rule found.
 * Fails (the hint) when the faint test reads the rendering rather than the
 * ink above the shade.  On the Beijing page this was drawn after, the
 * coarse look then lost two column rules across the header, whose three
 * titles were read as one. */
static void test_pale_rules_over_shade(void)
{
    const char *page = "pale rules over a shaded header";
    content c = { g_string_new(NULL), 595 };
    expects e = { g_array_new(FALSE, FALSE, sizeof(expect_t)) };
    double X[7];
    for (int i = 0; i < 7; i++)
        X[i] = 59.52 + 120 * i;
    const double Y[] = { 133.0, 233.0, 255.0 }, t = 1.44;
    c_fill(&c, 0.949, X[0], Y[0], X[6] - X[0], Y[1] - Y[0]);
    for (int j = 0; j < 3; j++) {
        c_fill(&c, 0.5, X[0], Y[j], X[6] - X[0] + t, t);
        expect(&e, TRUE, Y[j] + t / 2, X[0], X[6] + t, "row rule");
    }
    for (int i = 0; i < 7; i++) {
        c_fill(&c, 0.761, X[i], Y[0], t, Y[2] - Y[0] + t);
        expect(&e, FALSE, X[i] + t / 2, Y[0], Y[2] + t, "pale column rule through the shaded header");
    }
    static const char *const head[] = { "“三公”经费财政", "因公出国（境）费", "公务接待费", "小计", "公务用车购置费",
                                        "公务用车运行维护费" };
    for (int i = 0; i < 6; i++) {
        double w = 9.0 * (double)g_utf8_strlen(head[i], -1);
        c_text(&c, TRUE, 9, FALSE, 0, X[i + 1] - 7 - w, Y[0] + 50, 0, head[i]);
        c_text(&c, TRUE, 9, FALSE, 0, X[i] + t + 4.7, Y[0] + 50, 0, "用");
        c_text(&c, FALSE, 8, FALSE, 0, X[i + 1] - 46, Y[1] + 15, 0, "12.530000");
    }
    GBytes *bytes = write_pdf(0, 0, 842, 595, 0, c.s->str);
    g_string_free(c.s, TRUE);

    check_drawn_page(page, bytes, &e, TRUE);
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

/* Glyphs stated narrower than they print (/F3: a third of an em, each next
 * glyph moved on by a TJ displacement, as cairo writes them): the layer's
 * boxes of the ideographs are widened to their em, side by side as the page
 * shows them, and the glyphs' strokes outside the stated widths make no
 * rulings.  Then bpx_widen_narrow_ideographs() alone: text compressed by a
 * horizontal scaling keeps its pitch, Latin letters and boxes of glyphs
 * running down the page are left as they are. */
static void test_narrow_glyphs(void)
{
    /* 预算支出总表 一二三 at 12 pt: each glyph 4 pt wide by its /W, moved on by 8 pt */
    const char *content = "BT /F3 12 Tf 72 700 Td [<9884> -667 <7B97> -667 <652F> -667 <51FA> -667 <603B> -667 "
                          "<8868> -667 <4E00> -667 <4E8C> -667 <4E09>] TJ ET\n"
                          "BT /F3 12 Tf 72 650 Td [<4E00> -667 <4E00> -667 <4E00> -667 <5341> -667 <5341>] TJ ET\n";
    GBytes *bytes = write_pdf(0, 0, 595, 842, 0, content);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    check(doc != NULL, "narrow glyphs: poppler opens it");
    g_clear_error(&err);
    if (doc) {
        PopplerPage *pg = poppler_document_get_page(doc, 0);
        bpx_text_layer layer = { 0 };
        bpx_text_layer_read(pg, &layer);
        const char *t = layer.text;
        int n_ideo = 0, n_wide = 0, n_abut = 0;
        const PopplerRectangle *prev = NULL;
        for (guint i = 0; i < layer.n_rects && t && *t; i++, t = g_utf8_next_char(t)) {
            gunichar c = g_utf8_get_char(t);
            if (c < 0x4E00 || c > 0x9FFF) {
                if (c == '\n')
                    prev = NULL; /* (poppler puts a space in a TJ gap) */
                continue;
            }
            const PopplerRectangle *r = &layer.rects[i];
            n_ideo++;
            n_wide += r->x2 - r->x1 > 11.5 && r->x2 - r->x1 < 12.5;
            if (prev)
                n_abut += ABS(r->x1 - prev->x2) < 0.5;
            prev = r;
        }
        check(n_ideo == 14, "narrow glyphs: 14 ideographs in the layer (%d)", n_ideo);
        check(n_wide == n_ideo, "narrow glyphs: every ideograph boxed 12 pt wide (%d of %d)", n_wide, n_ideo);
        check(n_abut >= n_ideo - 2, "narrow glyphs: each box starts where the one before ends (%d)", n_abut);
        bpx_text_layer_clear(&layer);
        GArray *hl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        GArray *vl = g_array_new(FALSE, FALSE, sizeof(bpx_line));
        if (find(pg, hl, vl, "narrow glyphs"))
            check(hl->len == 0 && vl->len == 0, "narrow glyphs: no rulings (found %u H, %u V)", hl->len, vl->len);
        g_array_free(hl, TRUE);
        g_array_free(vl, TRUE);
        g_object_unref(pg);
        g_object_unref(doc);
    }
    g_bytes_unref(bytes);

    /* compressed 一二三 (pitch 6 at 12 pt), a Latin a, a glyph of text running down the page */
    PopplerRectangle r[] = {
        { 100, 100, 106, 112 }, { 106, 100, 112, 112 }, { 112, 100, 118, 112 },
        { 200, 100, 203, 112 }, /* a */
        { 300, 100, 312, 104 }, /* 一 boxed across: a glyph stepping down the page */
        { 400, 100, 404, 112 }, { 412, 101, 416, 113 }, /* 表 总: a TJ gap, then a glyph of the same line */
    };
    const gunichar cps[] = { 0x4E00, 0x4E8C, 0x4E09, 'a', 0x4E00, 0x8868, 0x603B };
    const double fs[] = { 12, 12, 12, 12, 12, 12, 12 };
    bpx_widen_narrow_ideographs(r, cps, fs, G_N_ELEMENTS(r));
    check(ABS(r[0].x2 - 106) < 1e-9 && ABS(r[1].x2 - 112) < 1e-9,
          "widen: compressed text keeps its pitch (%g %g)", r[0].x2, r[1].x2);
    check(ABS(r[3].x2 - 203) < 1e-9, "widen: a Latin letter is left as it is (%g)", r[3].x2);
    check(ABS(r[4].x2 - 312) < 1e-9 && ABS(r[4].y2 - 104) < 1e-9, "widen: a box across a glyph that runs down is left");
    check(ABS(r[5].x2 - 412) < 1e-9, "widen: a narrow glyph reaches the next glyph of its line (%g)", r[5].x2);
    check(ABS(r[6].x2 - 424) < 1e-9, "widen: the last glyph of a line gets its em (%g)", r[6].x2);
}

int main(void)
{
    test_grid_page();
    test_rotated(0, 0, 0);
    test_rotated(90, 0, 0);
    test_rotated(180, 0, 0);
    test_rotated(270, 0, 0);
    test_rotated(90, 100, -50);
    test_watermark_over_table();
    test_shaded_table();
    test_pale_thin_rules(FALSE, FALSE);
    test_pale_thin_rules(TRUE, FALSE);
    test_pale_thin_rules(FALSE, TRUE);
    test_pale_rules_over_shade();
    test_text_only();
    test_narrow_glyphs();
    test_small_print(1.0);
    test_small_print(0.7);
    test_small_print(0.5);
    test_small_print_ink(1.0);
    test_small_print_ink(0.7);
    test_small_print_ink(0.5);

    printf("test_ruling: %d passed, %d failed\n", n_passed, n_failed);
    return n_failed ? 1 : 0;
}
