/* ruling.c — the ruled strokes of a page, found in a low-resolution rendering.
 *
 * poppler-glib gives no access to a page's vector paths, so the rulings of
 * its tables are recovered from pixels.
 *
 * The page is rendered with poppler_page_render() into a cairo image surface
 * scaled by dpi/72.  The pixels are then laid out as the page is displayed,
 * its /Rotate applied, origin top left, y down: the frame of
 * poppler_page_get_size() and of poppler_page_get_text_layout()'s
 * rectangles.  The surface is RGB painted white, not A8: the PDFs this
 * program reads (Excel, Distiller) paint every cell white before its edges,
 * and an alpha-only surface takes a white fill for ink.  A pixel's ink is
 * 255 minus its luminance, so dark strokes of any colour count and pale
 * backgrounds do not.
 *
 * Rendering costs glyph work and hardly depends on the resolution: against
 * pdftotext -layout on the development corpus it is 1.4x at 18 dpi, 1.45x at
 * 36 and 1.85x at 72.  Against the vector paths of that corpus, 36 dpi (a
 * pixel is 2 pt) finds every ruling, 95% of them within 0.6 pt, and no line
 * that is not one; at 24 or 30 dpi text starts to make lines.  poppler
 * widens strokes thinner than a pixel to a pixel, so hairlines are found at
 * any resolution; a thin filled rectangle (how Distiller draws a rule) is
 * only antialiased: at 36 dpi a 0.5 pt one puts 32 to 64 of ink into one or
 * two rows, hence the low threshold of 24.  Filled rules thinner than
 * 0.25 pt are lost.
 *
 * A horizontal stroke is a run of inked pixels along a row, bridging pale
 * gaps of one pixel, at least 12 pt long.  Runs of neighbouring rows that
 * overlap by half the shorter one belong together (union-find): an
 * antialiased line spread over two rows, a thick line, a filled rectangle.
 * A group that is thin on the whole (its area at most 2.5 pt + 1 px times
 * its length) is one stroke, placed at the ink-weighted centre of its core
 * (the runs at least half as long as the whole, so that ink touching the
 * stroke here and there neither moves nor lengthens it), its ends refined
 * within the pixel by the ink of the end pixels.  A thicker group that
 * fills its bounding box is a filled area: its first and last rows are
 * reported as its edges, the outline of a shaded cell.  A thicker group
 * that does not (a diagonal band, a picture) is neither.  Vertical strokes
 * are found by the same code on the transposed image.  Segments stay
 * segments: a cell edge drawn in pieces with gaps wider than a pixel comes
 * out in pieces, for the caller to join.
 *
 * At 2 pt a pixel, text is the enemy.  The strokes of CJK glyphs (一, the
 * bars of 二 and 王, the stems of 十, the dashes of ——) are as long as short
 * cell edges, and a line of text blurs into rows of ink; length alone cannot
 * tell them apart (a 9 pt —— is 18 pt long, a cell edge may be 15).  poppler
 * knows where the glyphs are, and rendering fills the page's text page as
 * it goes, so poppler_page_get_text_layout() costs next to nothing after it.
 * Three things use the glyph boxes:
 *   - before the scan, the ink under each glyph box is blanked, but for its
 *     top and bottom 8%, so that a rule the text sits on survives.  Glyphs
 *     of a diagonal line (a watermark: poppler boxes a turned glyph as if
 *     upright at its origin, so their boxes follow each other end to start
 *     but climb) are not blanked: their boxes would hide the rulings under
 *     them, and their strokes run askew anyway;
 *   - a stroke found is dropped as text when the boxes of glyphs that hold
 *     it (give or take a tenth of their height) cover 80% of it, or leave
 *     less than 12 pt of it uncovered: the edges of glyphs left outside the
 *     blanked part of their boxes, a glyph's stroke that runs into a rule;
 *   - where text was written over a rule, the blanked hole is bridged again
 *     when the rule comes out on the other side ("healing").
 *
 * What it misses: text drawn as paths or images (no text layer: a title set
 * as a picture gives short lines of its strokes); a rule thinner than
 * 0.25 pt drawn as a fill; two rules closer than about 4 pt (one line comes
 * out between them); dark rules inside a filled area dark enough to count as
 * ink (only the area's outline comes out); the left and right edges of a
 * filled band less than 12 pt tall; a rule ending under text without coming
 * out of it (it ends where the text begins); strokes of a dark watermark
 * where they touch a rule's end (the rule is a few points too long).
 */
#include "ruling.h"

#include <cairo.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* Tunables (see the essay above for how they were chosen); each may be
 * overridden at compile time. */
#ifndef BPX_RULING_INK_MIN
#define BPX_RULING_INK_MIN 24 /* ink (255 - luminance) a pixel needs to count */
#endif
#ifndef BPX_RULING_MIN_LEN_PT
#define BPX_RULING_MIN_LEN_PT 12.0 /* shortest stroke reported */
#endif
#ifndef BPX_RULING_MAX_GAP_PX
#define BPX_RULING_MAX_GAP_PX 1 /* pale pixels a run may bridge */
#endif
#ifndef BPX_RULING_THIN_PT
#define BPX_RULING_THIN_PT 2.5 /* bands thicker than this (+1 px) are fills */
#endif
#ifndef BPX_RULING_MAX_PIXELS
#define BPX_RULING_MAX_PIXELS (16L * 1024 * 1024) /* largest rendering */
#endif
#ifndef BPX_RULING_MASK_MARGIN
#define BPX_RULING_MASK_MARGIN 0.08 /* share of a glyph box's height left unmasked */
#endif
#ifndef BPX_RULING_TEXT_TOL_PX
#define BPX_RULING_TEXT_TOL_PX 0.75 /* how far outside its box a glyph's stroke may lie, */
#endif
#ifndef BPX_RULING_TEXT_TOL_EM
#define BPX_RULING_TEXT_TOL_EM 0.1 /* in pixels or in box heights, whichever is more */
#endif
#ifndef BPX_RULING_TEXT_COVER
#define BPX_RULING_TEXT_COVER 0.8 /* share of a stroke under glyph boxes that makes it text */
#endif

typedef struct {
    int line;   /* pixel row (horizontal pass) or column (vertical pass) */
    int a, b;   /* first and last pixel of the run along the line */
} run_t;

typedef struct {
    int r0, r1;        /* first and last pixel line */
    int a, b;          /* extent along the lines */
    double ink;        /* total ink of the runs */
    double area;       /* total length of the runs, in pixels */
    double moment;     /* sum of ink * (line + 0.5) */
    double end_a, end_b; /* ink in pixel columns a and b */
    /* the same for the core: the runs at least half as long as the whole */
    int ca, cb;
    double cink, cmoment, cend_a, cend_b;
    /* for thick components: the runs of the first and last line */
    int ta, tb, ba, bb;
    double top_ink, top_n, top2_ink, top2_n, bot_ink, bot_n, bot2_ink, bot2_n;
} comp_t;

typedef struct {
    double x0, y0, x1, y1;
    gboolean askew; /* a glyph of a diagonal line: not masked */
} box_t;

static int uf_find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void uf_union(int *parent, int i, int j)
{
    i = uf_find(parent, i);
    j = uf_find(parent, j);
    if (i < j)
        parent[j] = i;
    else if (j < i)
        parent[i] = j;
}

/* floor and ceil to int, clamped (no libm, no overflow on absurd input) */
static int ifloor(double v)
{
    if (!(v > -1e9))
        return -1000000000;
    if (v > 1e9)
        return 1000000000;
    int i = (int)v;
    return (double)i > v ? i - 1 : i;
}

static int iceil(double v)
{
    return -ifloor(-v);
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Sum of ink of pixel line `line` over [a, b]. */
static double line_ink(const uint8_t *img, int len, int line, int a, int b)
{
    const uint8_t *p = img + (size_t)line * (size_t)len;
    double s = 0;
    for (int i = a; i <= b; i++)
        s += p[i];
    return s;
}

/* Is the stroke at `pos` running over [a, b] (points, along the pass's
 * direction) drawn by glyphs?  It is when the boxes of glyphs that hold it
 * between their sides cover most of its length. */
static gboolean covered_by_text(const box_t *boxes, size_t n_boxes, gboolean horizontal,
                                double pos, double a, double b, double tol)
{
    double covered = 0, reach = a;
    /* boxes are sorted along the direction of the pass */
    for (size_t i = 0; i < n_boxes; i++) {
        const box_t *bx = &boxes[i];
        double lo = horizontal ? bx->x0 : bx->y0, hi = horizontal ? bx->x1 : bx->y1;
        double plo = horizontal ? bx->y0 : bx->x0, phi = horizontal ? bx->y1 : bx->x1;
        if (lo >= b)
            break;
        double t = BPX_RULING_TEXT_TOL_EM * (phi - plo);
        if (t < tol)
            t = tol;
        if (hi <= reach || pos < plo - t || pos > phi + t)
            continue;
        double s = lo > reach ? lo : reach, e = hi < b ? hi : b;
        if (e > s) {
            covered += e - s;
            reach = e;
        }
    }
    return covered >= BPX_RULING_TEXT_COVER * (b - a) || b - a - covered < BPX_RULING_MIN_LEN_PT;
}

/* Appends the stroke at `pos` over [a, b] (points) unless glyphs drew it;
 * [ha, hb] is its extent once healed where text was written over it. */
static void emit(GArray *out, gboolean horizontal, double pos, double a, double b, double ha,
                 double hb, const box_t *boxes, size_t n_boxes, double tol)
{
    if (b <= a)
        return;
    if (n_boxes && covered_by_text(boxes, n_boxes, horizontal, pos, a, b, tol))
        return;
    bpx_line l;
    if (horizontal) {
        l.x0 = ha; l.x1 = hb; l.y0 = l.y1 = pos;
    } else {
        l.y0 = ha; l.y1 = hb; l.x0 = l.x1 = pos;
    }
    g_array_append_val(out, l);
}

/* Where a thin stroke over pixel lines r0..r1, ending at pixel `end`, really
 * ends when text was written over it: walking in direction `dir`, through
 * pixels that the rendering inks but the glyph mask blanked, until the stroke
 * comes out from under the text.  If it then runs on for a stroke's length
 * it is found as a stroke of its own: the one before the hole (dir > 0) is
 * extended to where that begins, and that one keeps its end.  If only a stub
 * comes out (a corner), the stub is taken in.  A stroke that
 * does not come out from under the text keeps its end: it may well be the
 * stroke of a glyph. */
static int heal_end(const uint8_t *img, const uint8_t *orig, int len, int r0, int r1, int end,
                    int dir, int thr, int gap, int min_len)
{
    int last = end;
    gboolean under = FALSE;
    for (int x = end + dir; x >= 0 && x < len; x += dir) {
        gboolean ink_orig = FALSE, ink_now = FALSE;
        for (int r = r0; r <= r1; r++) {
            size_t k = (size_t)r * (size_t)len + (size_t)x;
            ink_orig = ink_orig || orig[k] >= thr;
            ink_now = ink_now || img[k] >= thr;
        }
        if (!ink_orig) {
            if ((x - last) * dir > gap)
                return end;
            continue;
        }
        if (!ink_now) {
            under = TRUE;
            last = x;
            continue;
        }
        if (!under)
            return end;
        /* out from under the text at x */
        int stub = x, n = 0;
        for (int y = x; y >= 0 && y < len && n < min_len; y += dir, n++) {
            gboolean ink = FALSE;
            for (int r = r0; r <= r1; r++)
                ink = ink || img[(size_t)r * (size_t)len + (size_t)y] >= thr;
            if (ink)
                stub = y;
            else if ((y - stub) * dir > gap)
                return stub;
        }
        /* a stroke of its own comes out: bridge the hole from one side only */
        if (n >= min_len)
            return dir > 0 ? x - 1 : end;
        return stub;
    }
    return end;
}

/* One pass over an ink image of n_lines lines of len pixels each: rows for
 * horizontal strokes, columns (of the transposed image) for vertical ones. */
static void scan(const uint8_t *img, const uint8_t *orig, int n_lines, int len, double dpi,
                 gboolean horizontal, const box_t *boxes, size_t n_boxes, GArray *out)
{
    const int thr = BPX_RULING_INK_MIN;
    const int gap = BPX_RULING_MAX_GAP_PX;
    int min_len = iceil(BPX_RULING_MIN_LEN_PT * dpi / 72.0);
    if (min_len < 3)
        min_len = 3;
    int thin = iceil(BPX_RULING_THIN_PT * dpi / 72.0) + 1;
    if (thin < 2)
        thin = 2;
    const double px = 72.0 / dpi; /* points per pixel */
    const double tol = BPX_RULING_TEXT_TOL_PX * px;

    GArray *runs = g_array_new(FALSE, FALSE, sizeof(run_t));
    int *first = g_new(int, (gsize)n_lines + 1);

    /* 1. runs of ink, bridging gaps of up to `gap` pale pixels */
    for (int r = 0; r < n_lines; r++) {
        const uint8_t *p = img + (size_t)r * (size_t)len;
        first[r] = (int)runs->len;
        int i = 0;
        while (i < len) {
            if (p[i] < thr) {
                i++;
                continue;
            }
            int a = i, last = i, j;
            for (j = i + 1; j < len; j++) {
                if (p[j] >= thr)
                    last = j;
                else if (j - last > gap)
                    break;
            }
            if (last - a + 1 >= min_len) {
                run_t run = { r, a, last };
                g_array_append_val(runs, run);
            }
            i = j;
        }
    }
    first[n_lines] = (int)runs->len;

    int n = (int)runs->len;
    const run_t *rv = (const run_t *)(void *)runs->data;
    int *parent = g_new(int, n > 0 ? n : 1);
    for (int k = 0; k < n; k++)
        parent[k] = k;

    /* 2. runs of neighbouring lines that overlap by half the shorter one
     * belong to one stroke (or one filled area) */
    for (int r = 1; r < n_lines; r++) {
        int i = first[r - 1], ie = first[r], j = first[r], je = first[r + 1];
        while (i < ie && j < je) {
            const run_t *u = &rv[i], *v = &rv[j];
            int lo = u->a > v->a ? u->a : v->a, hi = u->b < v->b ? u->b : v->b;
            if (hi >= lo) {
                int lu = u->b - u->a + 1, lv = v->b - v->a + 1;
                if (2 * (hi - lo + 1) >= (lu < lv ? lu : lv))
                    uf_union(parent, i, j);
            }
            if (u->b < v->b)
                i++;
            else
                j++;
        }
    }

    /* 3. aggregate each component */
    int *comp_of = g_new(int, n > 0 ? n : 1);
    GArray *comps = g_array_new(FALSE, TRUE, sizeof(comp_t));
    for (int k = 0; k < n; k++) {
        int root = uf_find(parent, k);
        if (root == k) {
            comp_t c;
            memset(&c, 0, sizeof c);
            c.r0 = c.r1 = rv[k].line;
            c.a = rv[k].a;
            c.b = rv[k].b;
            comp_of[k] = (int)comps->len;
            g_array_append_val(comps, c);
        } else {
            comp_of[k] = comp_of[root]; /* root < k: already assigned */
        }
        comp_t *c = &g_array_index(comps, comp_t, comp_of[k]);
        const run_t *u = &rv[k];
        if (u->line > c->r1)
            c->r1 = u->line;
        if (u->a < c->a)
            c->a = u->a;
        if (u->b > c->b)
            c->b = u->b;
        double s = line_ink(img, len, u->line, u->a, u->b);
        c->ink += s;
        c->area += u->b - u->a + 1;
        c->moment += s * (u->line + 0.5);
    }
    /* second sweep: the core, ink at the ends, the first/last lines */
    for (int k = 0; k < n; k++) {
        comp_t *c = &g_array_index(comps, comp_t, comp_of[k]);
        const run_t *u = &rv[k];
        const uint8_t *p = img + (size_t)u->line * (size_t)len;
        if (2 * (u->b - u->a + 1) >= c->b - c->a + 1) {
            double s = line_ink(img, len, u->line, u->a, u->b);
            if (c->cink == 0 || u->a < c->ca)
                c->ca = u->a;
            if (c->cink == 0 || u->b > c->cb)
                c->cb = u->b;
            c->cink += s;
            c->cmoment += s * (u->line + 0.5);
        }
        if (u->a <= c->a && c->a <= u->b)
            c->end_a += p[c->a];
        if (u->a <= c->b && c->b <= u->b)
            c->end_b += p[c->b];
        if (u->line == c->r0) {
            if (c->top_n == 0 || u->a < c->ta)
                c->ta = u->a;
            if (c->top_n == 0 || u->b > c->tb)
                c->tb = u->b;
            c->top_ink += line_ink(img, len, u->line, u->a, u->b);
            c->top_n += u->b - u->a + 1;
        } else if (u->line == c->r0 + 1) {
            c->top2_ink += line_ink(img, len, u->line, u->a, u->b);
            c->top2_n += u->b - u->a + 1;
        }
        if (u->line == c->r1) {
            if (c->bot_n == 0 || u->a < c->ba)
                c->ba = u->a;
            if (c->bot_n == 0 || u->b > c->bb)
                c->bb = u->b;
            c->bot_ink += line_ink(img, len, u->line, u->a, u->b);
            c->bot_n += u->b - u->a + 1;
        } else if (u->line == c->r1 - 1) {
            c->bot2_ink += line_ink(img, len, u->line, u->a, u->b);
            c->bot2_n += u->b - u->a + 1;
        }
    }

    for (int k = 0; k < n; k++) {
        comp_t *c = &g_array_index(comps, comp_t, comp_of[k]);
        const run_t *u = &rv[k];
        const uint8_t *p = img + (size_t)u->line * (size_t)len;
        if (c->cink > 0 && 2 * (u->b - u->a + 1) >= c->b - c->a + 1) {
            if (u->a <= c->ca && c->ca <= u->b)
                c->cend_a += p[c->ca];
            if (u->a <= c->cb && c->cb <= u->b)
                c->cend_b += p[c->cb];
        }
    }

    /* 4. a component thin on the whole (ink touching a rule here and there
     * does not make it thick) is one stroke at its ink-weighted centre; a
     * thick one that fills its bounding box is a filled area whose first and
     * last lines are its edges; other thick ones (a diagonal band, a picture)
     * are neither */
    for (guint ci = 0; ci < comps->len; ci++) {
        const comp_t *c = &g_array_index(comps, comp_t, ci);
        if (c->ink <= 0)
            continue;
        double length = c->b - c->a + 1, rows = c->r1 - c->r0 + 1;
        if (c->area <= thin * length) {
            /* position and ends from the core, so that ink touching the
             * stroke here and there neither moves nor lengthens it */
            gboolean core = c->cink > 0;
            int ea0 = core ? c->ca : c->a, eb0 = core ? c->cb : c->b;
            double cink = core ? c->cink : c->ink, mom = core ? c->cmoment : c->moment;
            double enda = core ? c->cend_a : c->end_a, endb = core ? c->cend_b : c->end_b;
            double pos = mom / cink;
            double per_col = cink / (double)(eb0 - ea0 + 1);
            double a = ea0 + 1.0 - clamp01(enda / per_col);
            double b = eb0 + clamp01(endb / per_col);
            double ha = a, hb = b;
            if (orig != img) {
                int ea = heal_end(img, orig, len, c->r0, c->r1, ea0, -1, thr, gap, min_len);
                int eb = heal_end(img, orig, len, c->r0, c->r1, eb0, +1, thr, gap, min_len);
                if (ea != ea0)
                    ha = ea;
                if (eb != eb0)
                    hb = eb + 1.0;
            }
            emit(out, horizontal, pos * px, a * px, b * px, ha * px, hb * px, boxes, n_boxes, tol);
        } else if (c->area >= 0.6 * rows * length) {
            double ft = c->top_n > 0 && c->top2_n > 0 && c->top2_ink > 0
                            ? clamp01((c->top_ink / c->top_n) / (c->top2_ink / c->top2_n))
                            : 1.0;
            double fb = c->bot_n > 0 && c->bot2_n > 0 && c->bot2_ink > 0
                            ? clamp01((c->bot_ink / c->bot_n) / (c->bot2_ink / c->bot2_n))
                            : 1.0;
            double ta = c->ta * px, tb = (c->tb + 1.0) * px;
            double ba = c->ba * px, bb = (c->bb + 1.0) * px;
            emit(out, horizontal, (c->r0 + 1.0 - ft) * px, ta, tb, ta, tb, boxes, n_boxes, tol);
            emit(out, horizontal, (c->r1 + fb) * px, ba, bb, ba, bb, boxes, n_boxes, tol);
        }
    }

    g_array_free(comps, TRUE);
    g_free(comp_of);
    g_free(parent);
    g_free(first);
    g_array_free(runs, TRUE);
}

static int cmp_box_x(const void *pa, const void *pb)
{
    const box_t *a = pa, *b = pb;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static int cmp_box_y(const void *pa, const void *pb)
{
    const box_t *a = pa, *b = pb;
    return (a->y0 > b->y0) - (a->y0 < b->y0);
}

/* Are two glyphs that follow each other in the text steps of a line set at
 * an angle?  poppler boxes a turned glyph as if it were upright at its
 * origin, so the boxes of a diagonal line touch end to start like those of
 * a horizontal one, but climb or fall by a fraction of their height. */
static gboolean askew_pair(const box_t *a, double fa, const box_t *b, double fb)
{
    double fs = fa > fb ? fa : fb, ha = a->y1 - a->y0, hb = b->y1 - b->y0;
    if (fs <= 0 || ABS(fa - fb) > 0.05 * fs || ABS(ha - hb) > 0.05 * ha)
        return FALSE;
    if (ABS(a->x1 - b->x0) > 0.05 * fs && ABS(b->x1 - a->x0) > 0.05 * fs)
        return FALSE;
    double dy = ABS(a->y0 - b->y0);
    return dy > 0.05 * ha && dy < 0.95 * ha;
}

/* The boxes of the page's visible glyphs (not spaces, not line ends), those
 * of diagonal lines (a watermark) marked. */
static box_t *glyph_boxes(PopplerPage *page, size_t *n_out)
{
    *n_out = 0;
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    if (!poppler_page_get_text_layout(page, &rects, &n_rects) || rects == NULL) {
        g_free(rects);
        return NULL;
    }
    char *text = poppler_page_get_text(page);
    GList *attrs = poppler_page_get_text_attributes(page);
    GList *at = attrs;
    box_t *boxes = g_new(box_t, n_rects ? n_rects : 1);
    double *size = g_new(double, n_rects ? n_rects : 1);
    size_t n = 0;
    const char *t = text;
    for (guint i = 0; i < n_rects && t && *t; i++) {
        gunichar c = g_utf8_get_char_validated(t, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            break;
        t = g_utf8_next_char(t);
        while (at && ((PopplerTextAttributes *)at->data)->end_index < (int)i)
            at = at->next;
        if (g_unichar_isspace(c))
            continue;
        box_t b = { rects[i].x1, rects[i].y1, rects[i].x2, rects[i].y2, FALSE };
        if (b.x1 - b.x0 <= 0 || b.y1 - b.y0 <= 0)
            continue;
        const PopplerTextAttributes *a = at ? at->data : NULL;
        size[n] = a && a->start_index <= (int)i ? a->font_size : 0;
        boxes[n++] = b;
    }
    for (size_t k = 1; k < n; k++)
        if (askew_pair(&boxes[k - 1], size[k - 1], &boxes[k], size[k]))
            boxes[k - 1].askew = boxes[k].askew = TRUE;
    g_free(size);
    poppler_page_free_text_attributes(attrs);
    g_free(text);
    g_free(rects);
    *n_out = n;
    return boxes;
}

/* Blanks the ink under the glyph boxes, shrunk by a margin above and below
 * so that a rule the text sits on or hangs from keeps its pixels. */
static void mask_glyphs(uint8_t *ink, int W, int H, double scale, const box_t *boxes,
                        size_t n_boxes)
{
    for (size_t i = 0; i < n_boxes; i++) {
        const box_t *b = &boxes[i];
        if (b->askew)
            continue; /* its box would hide the rulings under it */
        double mv = BPX_RULING_MASK_MARGIN * (b->y1 - b->y0);
        /* the pixels whose centre lies inside the shrunk box */
        int x0 = iceil(b->x0 * scale - 0.5), x1 = ifloor(b->x1 * scale - 0.5);
        int y0 = iceil((b->y0 + mv) * scale - 0.5), y1 = ifloor((b->y1 - mv) * scale - 0.5);
        if (x0 < 0)
            x0 = 0;
        if (y0 < 0)
            y0 = 0;
        if (x1 > W - 1)
            x1 = W - 1;
        if (y1 > H - 1)
            y1 = H - 1;
        if (x1 < x0)
            continue;
        for (int y = y0; y <= y1; y++)
            memset(ink + (size_t)y * (size_t)W + (size_t)x0, 0, (size_t)(x1 - x0 + 1));
    }
}

static uint8_t *transpose(const uint8_t *img, int W, int H)
{
    uint8_t *t = g_malloc((size_t)W * (size_t)H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            t[(size_t)x * (size_t)H + (size_t)y] = img[(size_t)y * (size_t)W + (size_t)x];
    return t;
}

gboolean bpx_find_rulings(PopplerPage *page, double dpi, GArray *hlines, GArray *vlines,
                          GError **error)
{
    g_return_val_if_fail(POPPLER_IS_PAGE(page), FALSE);
    g_return_val_if_fail(hlines != NULL && vlines != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

    if (!(dpi >= 9.0 && dpi <= 600.0)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "ruling resolution %g dpi out of range",
                    dpi);
        return FALSE;
    }
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h); /* displayed size: /Rotate applied */
    double scale = dpi / 72.0;
    double fw = w * scale, fh = h * scale;
    if (!(fw >= 0.5 && fh >= 0.5 && fw <= 32767 && fh <= 32767) ||
        fw * fh > (double)BPX_RULING_MAX_PIXELS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT,
                    "page of %.0fx%.0f pt is too large to look for rulings at %g dpi", w, h, dpi);
        return FALSE;
    }
    int W = iceil(fw), H = iceil(fh);

    /* Render on white in colour: the PDFs paint white cell backgrounds, which
     * an alpha-only surface would take for ink. */
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "cannot allocate a %dx%d image: %s", W, H,
                    cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        return FALSE;
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "rendering failed: %s",
                    cairo_status_to_string(st));
        cairo_surface_destroy(surf);
        return FALSE;
    }

    /* ink = 255 - luminance */
    const unsigned char *data = cairo_image_surface_get_data(surf);
    int stride = cairo_image_surface_get_stride(surf);
    uint8_t *ink = g_malloc((size_t)W * (size_t)H);
    for (int y = 0; y < H; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        uint8_t *out = ink + (size_t)y * (size_t)W;
        for (int x = 0; x < W; x++) {
            uint32_t v = row[x];
            unsigned r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
            out[x] = (uint8_t)(255 - ((77 * r + 150 * g + 29 * b) >> 8));
        }
    }
    cairo_surface_destroy(surf);

    size_t n_boxes = 0;
    box_t *boxes = glyph_boxes(page, &n_boxes);
    uint8_t *orig = ink;
    if (n_boxes) {
        orig = g_malloc((size_t)W * (size_t)H);
        memcpy(orig, ink, (size_t)W * (size_t)H);
        mask_glyphs(ink, W, H, scale, boxes, n_boxes);
    }

    /* the transposes, for the vertical pass */
    uint8_t *tink = transpose(ink, W, H);
    uint8_t *torig = orig != ink ? transpose(orig, W, H) : tink;

    if (n_boxes)
        qsort(boxes, n_boxes, sizeof *boxes, cmp_box_x);
    scan(ink, orig, H, W, dpi, TRUE, boxes, n_boxes, hlines);
    if (n_boxes)
        qsort(boxes, n_boxes, sizeof *boxes, cmp_box_y);
    scan(tink, torig, W, H, dpi, FALSE, boxes, n_boxes, vlines);

    if (torig != tink)
        g_free(torig);
    if (orig != ink)
        g_free(orig);
    g_free(boxes);
    g_free(ink);
    g_free(tink);
    return TRUE;
}
