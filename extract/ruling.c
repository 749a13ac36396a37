/* ruling.c — finding the ruled strokes of a page from a low-resolution rendering.
 *
 * (essay written below once the parameters are settled)
 */
#include "ruling.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* Tunables; each may be overridden at compile time. */
#ifndef BPX_RULING_INK_MIN
#define BPX_RULING_INK_MIN 40 /* ink (255 - luminance) a pixel needs to count */
#endif
#ifndef BPX_RULING_MIN_LEN_PT
#define BPX_RULING_MIN_LEN_PT 12.0 /* shortest stroke reported */
#endif
#ifndef BPX_RULING_MAX_GAP_PX
#define BPX_RULING_MAX_GAP_PX 1 /* pale pixels a run may bridge */
#endif
#ifndef BPX_RULING_THIN_PT
#define BPX_RULING_THIN_PT 2.5 /* thicker bands are fills: their edges are reported */
#endif
#ifndef BPX_RULING_MAX_PIXELS
#define BPX_RULING_MAX_PIXELS (64L * 1024 * 1024)
#endif
#ifndef BPX_RULING_MASK
#define BPX_RULING_MASK 1
#endif
#ifndef BPX_RULING_TEXT_FILTER
#define BPX_RULING_TEXT_FILTER 1
#endif
#ifndef BPX_RULING_ASKEW
#define BPX_RULING_ASKEW 1.25 /* glyph box wider and taller than this many font sizes: askew */
#endif
#ifndef BPX_RULING_MASK_MARGIN_X
#define BPX_RULING_MASK_MARGIN_X 0.0 /* of the box width, kept on each side */
#endif
#ifndef BPX_RULING_MASK_MARGIN_Y
#define BPX_RULING_MASK_MARGIN_Y 0.08 /* of the box height, kept above and below */
#endif
#ifndef BPX_RULING_TEXT_TOL_PX
#define BPX_RULING_TEXT_TOL_PX 0.75 /* how far outside a glyph box a glyph's stroke may come out */
#endif
#ifndef BPX_RULING_TEXT_TOL_EM
#define BPX_RULING_TEXT_TOL_EM 0.1 /* the same, as a share of the box height */
#endif
#ifndef BPX_RULING_TEXT_REST
#define BPX_RULING_TEXT_REST 1
#endif
#ifndef BPX_RULING_TEXT_COVER
#define BPX_RULING_TEXT_COVER 0.8 /* share of a stroke inside glyph boxes that makes it text */
#endif

typedef struct {
    int line;   /* pixel row (horizontal pass) or column (vertical pass) */
    int a, b;   /* first and last pixel of the run along the line */
} run_t;

typedef struct {
    int r0, r1;        /* first and last pixel line */
    int a, b;          /* extent along the lines */
    double ink;        /* total ink of the runs */
    double moment;     /* sum of ink * (line + 0.5) */
    double end_a, end_b; /* ink in pixel columns a and b */
    /* for thick components: the runs of the first and last line */
    int ta, tb, ba, bb;
    double top_ink, top_n, top2_ink, top2_n, bot_ink, bot_n, bot2_ink, bot2_n;
} comp_t;

typedef struct {
    double x0, y0, x1, y1;
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
    return covered >= BPX_RULING_TEXT_COVER * (b - a) ||
           (BPX_RULING_TEXT_REST && b - a - covered < BPX_RULING_MIN_LEN_PT);
}

static void emit(GArray *out, gboolean horizontal, double pos, double a, double b,
                 const box_t *boxes, size_t n_boxes, double tol)
{
    if (b <= a)
        return;
    if (n_boxes && covered_by_text(boxes, n_boxes, horizontal, pos, a, b, tol))
        return;
    bpx_line l;
    if (horizontal) {
        l.x0 = a; l.x1 = b; l.y0 = l.y1 = pos;
    } else {
        l.y0 = a; l.y1 = b; l.x0 = l.x1 = pos;
    }
    g_array_append_val(out, l);
}

/* One pass over an ink image of n_lines lines of len pixels each: rows for
 * horizontal strokes, columns (of the transposed image) for vertical ones. */
static void scan(const uint8_t *img, int n_lines, int len, double dpi, gboolean horizontal,
                 const box_t *boxes, size_t n_boxes, GArray *out)
{
    const int thr = BPX_RULING_INK_MIN;
    const int gap = BPX_RULING_MAX_GAP_PX;
    int min_len = (int)ceil(BPX_RULING_MIN_LEN_PT * dpi / 72.0);
    if (min_len < 3)
        min_len = 3;
    int thin = (int)ceil(BPX_RULING_THIN_PT * dpi / 72.0) + 1;
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

    /* 2. runs of neighbouring lines that overlap by half the longer one
     * belong to one stroke (or one filled area) */
    for (int r = 1; r < n_lines; r++) {
        int i = first[r - 1], ie = first[r], j = first[r], je = first[r + 1];
        while (i < ie && j < je) {
            const run_t *u = &rv[i], *v = &rv[j];
            int lo = u->a > v->a ? u->a : v->a, hi = u->b < v->b ? u->b : v->b;
            if (hi >= lo) {
                int lu = u->b - u->a + 1, lv = v->b - v->a + 1;
                if (2 * (hi - lo + 1) >= (lu > lv ? lu : lv))
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
        c->moment += s * (u->line + 0.5);
    }
    /* second sweep: ink at the ends, and the first/last lines of thick ones */
    for (int k = 0; k < n; k++) {
        comp_t *c = &g_array_index(comps, comp_t, comp_of[k]);
        const run_t *u = &rv[k];
        const uint8_t *p = img + (size_t)u->line * (size_t)len;
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

    /* 4. a thin component is one stroke at its ink-weighted centre; a thick
     * one is a filled area whose first and last lines are its edges */
    for (guint ci = 0; ci < comps->len; ci++) {
        const comp_t *c = &g_array_index(comps, comp_t, ci);
        if (c->ink <= 0)
            continue;
        if (c->r1 - c->r0 + 1 <= thin) {
            double pos = c->moment / c->ink;
            double per_col = c->ink / (double)(c->b - c->a + 1);
            double a = c->a + 1.0 - clamp01(c->end_a / per_col);
            double b = c->b + clamp01(c->end_b / per_col);
            emit(out, horizontal, pos * px, a * px, b * px, boxes, n_boxes, tol);
        } else {
            double ft = c->top_n > 0 && c->top2_n > 0 && c->top2_ink > 0
                            ? clamp01((c->top_ink / c->top_n) / (c->top2_ink / c->top2_n))
                            : 1.0;
            double fb = c->bot_n > 0 && c->bot2_n > 0 && c->bot2_ink > 0
                            ? clamp01((c->bot_ink / c->bot_n) / (c->bot2_ink / c->bot2_n))
                            : 1.0;
            emit(out, horizontal, (c->r0 + 1.0 - ft) * px, c->ta * px, (c->tb + 1.0) * px,
                 boxes, n_boxes, tol);
            emit(out, horizontal, (c->r1 + fb) * px, c->ba * px, (c->bb + 1.0) * px, boxes,
                 n_boxes, tol);
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

/* The boxes of the page's visible upright characters: not spaces, not line
 * ends, and not glyphs turned at an angle (a watermark), whose bounding boxes
 * are squares wider and taller than their font size and would hide the
 * rulings under them while their own strokes run askew anyway. */
static box_t *glyph_boxes(PopplerPage *page, size_t *n_out)
{
    *n_out = 0;
#if BPX_RULING_TEXT_FILTER
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
        box_t b = { rects[i].x1, rects[i].y1, rects[i].x2, rects[i].y2 };
        double bw = b.x1 - b.x0, bh = b.y1 - b.y0;
        if (bw <= 0 || bh <= 0)
            continue;
        if (at) {
            const PopplerTextAttributes *a = at->data;
            if (a->start_index <= (int)i && a->font_size > 0 &&
                bw > BPX_RULING_ASKEW * a->font_size && bh > BPX_RULING_ASKEW * a->font_size)
                continue;
        }
        boxes[n++] = b;
    }
    poppler_page_free_text_attributes(attrs);
    g_free(text);
    g_free(rects);
    *n_out = n;
    return boxes;
#else
    (void)page;
    return NULL;
#endif
}

/* Blank the ink under the glyph boxes, shrunk by a margin so that a rule the
 * text touches or slightly overlaps keeps its pixels. */
static void mask_glyphs(uint8_t *ink, int W, int H, double scale, const box_t *boxes,
                        size_t n_boxes)
{
    for (size_t k = 0; k < n_boxes; k++) {
        const box_t *b = &boxes[k];
        double mh = BPX_RULING_MASK_MARGIN_X * (b->x1 - b->x0);
        double mv = BPX_RULING_MASK_MARGIN_Y * (b->y1 - b->y0);
        /* pixels whose centre lies inside the shrunk box */
        int x0 = (int)ceil((b->x0 + mh) * scale - 0.5), x1 = (int)floor((b->x1 - mh) * scale - 0.5);
        int y0 = (int)ceil((b->y0 + mv) * scale - 0.5), y1 = (int)floor((b->y1 - mv) * scale - 0.5);
        if (x0 < 0)
            x0 = 0;
        if (y0 < 0)
            y0 = 0;
        if (x1 > W - 1)
            x1 = W - 1;
        if (y1 > H - 1)
            y1 = H - 1;
        for (int y = y0; y <= y1; y++)
            if (x1 >= x0)
                memset(ink + (size_t)y * (size_t)W + (size_t)x0, 0, (size_t)(x1 - x0 + 1));
    }
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
    double fw = ceil(w * scale), fh = ceil(h * scale);
    if (!(fw >= 1 && fh >= 1) || fw * fh > (double)BPX_RULING_MAX_PIXELS || fw > 32767 ||
        fh > 32767) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT,
                    "page of %.0fx%.0f pt is too large to look for rulings at %g dpi", w, h, dpi);
        return FALSE;
    }
    int W = (int)fw, H = (int)fh;

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
#if BPX_RULING_MASK
    mask_glyphs(ink, W, H, scale, boxes, n_boxes);
#endif

    /* the transpose, for the vertical pass */
    uint8_t *tink = g_malloc((size_t)W * (size_t)H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            tink[(size_t)x * (size_t)H + (size_t)y] = ink[(size_t)y * (size_t)W + (size_t)x];

    if (n_boxes)
        qsort(boxes, n_boxes, sizeof *boxes, cmp_box_x);
    scan(ink, H, W, dpi, TRUE, boxes, n_boxes, hlines);
    if (n_boxes)
        qsort(boxes, n_boxes, sizeof *boxes, cmp_box_y);
    scan(tink, W, H, dpi, FALSE, boxes, n_boxes, vlines);

    g_free(boxes);
    g_free(ink);
    g_free(tink);
    return TRUE;
}
