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
 * pdftotext -layout on the development corpus it is 1.4x at 18 dpi, 1.5x at
 * 36 and 1.9x at 72.  Against the vector paths of that corpus, 36 dpi (a
 * pixel is 2 pt) finds every ruling, 95% of them within 0.6 pt, and no line
 * that is not one; at 24 or 30 dpi text starts to make lines.  poppler
 * widens strokes thinner than a pixel to a pixel, so hairlines are found at
 * any resolution; a thin filled rectangle (how Distiller draws a rule) is
 * only antialiased: at 36 dpi a 0.5 pt one puts 32 to 64 of ink into one or
 * two rows, hence the low threshold of 24.
 *
 * A horizontal stroke starts as a run of inked pixels along a row, bridging
 * pale gaps of one pixel, at least 12 pt long.  Runs of neighbouring rows
 * that overlap by half the shorter one are joined (union-find): an
 * antialiased line spread over two rows, a thick line, a filled rectangle,
 * but also a rule and the ink that touches it.  A group thin on the whole
 * (its area at most 2.5 pt + 1 px times its length) is one stroke: the runs
 * at least half its length make its core, and the stroke lies at the
 * ink-weighted centre of the core, so ink touching it here and there
 * neither moves nor lengthens it.  A thicker group that fills its bounding
 * box is a filled area: its first and last rows are reported as its edges,
 * the outline of a shaded cell.  Another thicker group is a stroke if its
 * longest run is half its length (a rule that the strokes of a diagonal
 * watermark run into: the core is that run and those beside it), else
 * nothing (a diagonal band, a picture).  A stroke ends where the ink across
 * it falls for good below half its median (not on a paler stroke running on
 * from its end), within the pixel by the ink of its end pixels.  Vertical
 * strokes are found by the same code on the transposed image.  Segments
 * stay segments: a cell edge drawn in pieces with gaps wider than a pixel
 * comes out in pieces, for the caller to join.
 *
 * At 2 pt a pixel, text is the enemy.  The strokes of CJK glyphs (一, the
 * bars of 二 and 王, the stems of 十, the dashes of ——) are as long as short
 * cell edges, and a line of text blurs into rows of ink; length alone cannot
 * tell them apart (a 9 pt —— is 18 pt long, a cell edge may be 15).  poppler
 * knows where the glyphs are, and rendering fills the page's text page as
 * it goes, so poppler_page_get_text_layout() costs next to nothing after it.
 * Three things use the glyph boxes:
 *   - before the scan, the ink under each glyph box is blanked, but for its
 *     top and bottom 8%, so that a rule the text sits on survives;
 *   - a stroke found is dropped as text when the glyphs that hold it (give
 *     or take a tenth of their height) cover 80% of it, or leave less than
 *     12 pt of it uncovered: the edges of glyphs left outside the blanked
 *     part of their boxes, a glyph's stroke that runs into a rule;
 *   - where text was written over a rule, the blanked hole is bridged again
 *     when the rule comes out on the other side ("healing").
 * Glyphs of a diagonal line (a watermark) are not blanked: their boxes
 * would hide the rulings under them, and their strokes run askew anyway.
 * poppler boxes a turned glyph as if it stood upright at its origin, so such
 * glyphs are known by boxes that follow each other end to start, as in a
 * line of text, but climb; the climb gives the angle, and the turned
 * glyph's parallelogram is what the text test above uses.  Some strokes of
 * a turned glyph do come out upright, and its parallelogram holds them; but
 * a watermark lies over the table, and a big one over whole short rules
 * (the 36 pt column rules of a 2-row table lie inside one or two of its
 * glyphs), so lying in the parallelogram is not enough.  A turned glyph
 * holds a stroke only if it could have drawn it: if the stroke, where no
 * upright glyph holds it, is at most 1.5 times as dark (its median pixel,
 * taking the darkest one across it) as the glyph's own ink.  That is read
 * from the rendering: the 90% quantile of the inked pixels inside the
 * parallelogram that lie on no horizontal or vertical run a stroke long
 * (not on the rules crossing it, nor on its own upright strokes); with
 * fewer than 8 of them it is taken as dark as ink goes.  A watermark is
 * pale or translucent, the rules under it dark: on the fixtures and the
 * unit tests, wherever this decides, its own strokes come out at most 1.1
 * times as dark as it, the rules under it at least 4 times.  So a rule is
 * never text because a watermark glyph lies over it.
 *
 * Shading.  A shaded header row or zebra-striped rows would join every rule
 * crossing them into one group too thick to be a stroke, and the rules would
 * be lost.  So each pass looks at the ink above its background across the
 * strokes it seeks (above_background): a pixel less the lighter of the
 * pixels two lines before and after it, where that is a light shade.  Only
 * pages that have shading (has_shading: a light area wider than a stroke is
 * long and taller than a thin rule) take these passes.  A rule
 * then stands out from a shade as from paper.  Dark fills are left as they
 * are, and the scan reports a filled area's edges.
 *
 * Pale thin rules.  WPS 表格 and Excel print cell edges as filled
 * rectangles about 1 pt wide in light grey (0.75): at 36 dpi such a rule
 * falls across two pixels, each inked 10 to 23, under the ink a pixel
 * needs; the table comes out with a rule here and there, wherever one
 * happened to fall within a pixel.  So after the scan (strokes_of) the page
 * is searched for faint strokes (faint_strokes): runs at least three
 * strokes long (36 pt; the unblanked edges of glyph boxes make shorter
 * ones) of pixels inked 6 up to the threshold, standing out from the lines
 * two pixels before and after (not a shade) and with no inked pixel beside
 * them (not the antialiased edge of a dark rule).  A page that has one is
 * rendered again at twice the resolution (render_ink) and its strokes are
 * those of the finer rendering, where each such rule inks its pixels twice
 * as much.  The pages of a document are alike: when a page took the finer
 * look, the next is rendered finely at once (fine_hint), and its coarser
 * rendering (for the faint test and the caller's ink map) is the fine one
 * brought down by averaging (coarser), which spares a rendering.  There a
 * pixel too pale to count counts all the same when, with
 * the paler of its two neighbours across the line, it reaches the ink a
 * pixel needs (inked(): a narrow pale rule falling across two pixels, which
 * over a shade, once the shade is taken away, leaves 23 and 9), and the ink
 * a pixel needs is 16 (BPX_RULING_FINE_INK_MIN): a pale hairline inside one
 * pixel inks it about 21.  Text is blanked as at the first look, and these
 * pages are those whose rules are pale.  On the development corpora this is the 报表 pages of the
 * Beijing departments and a handful of others; the Jiangsu corpus has none.
 *
 * Small print.  Everything above is measured on full-size print: 9 pt
 * text, 4.5 pixels tall, rows 15 pt apart, short rules 12 pt long.  A
 * printing system shrinks a wide table to fit the paper (an A3 sheet on A4
 * is 0.71 of its size, some print at 0.5), and then a glyph is 3 pixels
 * tall or 2: the strokes of glyphs standing one above the other in a
 * column of short names (般 over 交, a bold 功 above them) join across the
 * row rules into a stroke longer than the glyph boxes that hold it (a
 * spurious column rule), and the short rules of a header row fall under
 * 12 pt.  So a page's own print sets the scale it is looked at
 * (print_magnification): when its small print (the lower quartile of its
 * upright glyph heights) is under 9 pt (BPX_RULING_PRINT_EM_PT), the page
 * is looked at again (magnified_strokes) as if printed at full size:
 * rendered 9 pt / that height times finer (at most 3), its glyph boxes made
 * as much larger, every threshold above left as it is, and the strokes
 * found brought back to the page's points.  When the small print is under
 * 3 pixels tall at the ruling resolution (6 pt at 36 dpi), the caller's ink
 * map is the finer rendering too: asked whether a glyph shows ink off the
 * rules (bpx_ink_max_off_rules, 1.5 px off), the coarse one has no pixel
 * of a 2-pixel glyph in a row 4 pixels tall left.  Print of 6 to 9 pt
 * keeps the coarse map: the box of a glyph clipped at a cell's edge reaches
 * into the next cell, and a finer map shows that cell's text in it (the
 * development corpus has such a 自评表 at 8 pt).  A page that took the
 * finer look for pale rules is left as it is: its pixels are small
 * already.  On the development corpora, the 报表 of the Yantai departments
 * (7.5 pt print) are looked at so, at the cost of a second rendering (the
 * folder takes 10% longer); their header rules come out where drawn.
 *
 * Cost.  poppler's rendering is most of it (bench/README.md); of the rest,
 * every pass over the pixels is exact and spares what it can: the glyph
 * boxes are read once for all the renderings of a page (from the text layer
 * the caller reads once, bpx_text_layer), the rendering goes into pixels of
 * our own made white at once and is read eight paper pixels at a time, the
 * scans step over paper eight pixels at a time (any_above8), the faint
 * pass over whatever is out of its range of ink (any_between8),
 * the shading test looks row by row only where every fifth row shows a
 * light run three rows thick, the transposes go by 8 x 8 blocks (paper as
 * it is read), the vertical pass reads the unmasked rendering where it lies
 * (view_t), a stroke's median is selected, not sorted, and a stroke's text
 * test looks at the glyphs of its band only (along_pass).  None of this
 * changes a stroke found (bench/same_output.py on the corpora).
 *
 * What it misses: text drawn as paths or images (no text layer: a title set
 * as a picture gives short lines of its strokes); a rule drawn as a filled
 * rectangle thinner than about 0.3 pt (0.25 pt ones are lost at some
 * positions, 0.1 pt ones always); two rules closer than about 4 pt (one line
 * comes out between them); dark rules inside a fill darker than a light shade (only the area's
 * outline comes out); the left and right edges of a
 * filled band less than 12 pt tall; a rule ending under text without coming
 * out of it (it ends where the text begins); a rule painted over by an
 * opaque watermark (it is found where it shows); a short rule no darker
 * than the watermark glyphs lying over all of it (a 0.5 pt filled one
 * under a dark watermark: it is taken for one of their strokes).
 */
#include "ruling.h"

#include <cairo.h>
#include <stdlib.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define BPX_RULING_SSE2 1 /* the paper skips look at 16 pixels at once */
#else
#define BPX_RULING_SSE2 0
#endif

/* Tunables (see the essay above for how they were chosen); each may be
 * overridden at compile time. */
#ifndef BPX_RULING_INK_MIN
#define BPX_RULING_INK_MIN 24 /* ink (255 - luminance) a pixel needs to count */
#endif
#ifndef BPX_RULING_PRINT_EM_PT
#define BPX_RULING_PRINT_EM_PT 9.0 /* glyph height of full-size small print */
#endif
#ifndef BPX_RULING_MAX_MAGNIFY
#define BPX_RULING_MAX_MAGNIFY 3.0 /* most a page printed small is magnified */
#endif
#ifndef BPX_RULING_PRINT_MIN_GLYPHS
#define BPX_RULING_PRINT_MIN_GLYPHS 20 /* glyphs a page needs to measure its print */
#endif
#ifndef BPX_RULING_MAP_MIN_GLYPH_PX
#define BPX_RULING_MAP_MIN_GLYPH_PX 3.0 /* small print shorter than this: the ink map is the finer one */
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
#ifndef BPX_RULING_BG_PX
#define BPX_RULING_BG_PX 2 /* background of a stroke: this many pixels beside it */
#endif
#ifndef BPX_RULING_FAINT_MIN
#define BPX_RULING_FAINT_MIN 6 /* ink of a faint stroke's pixels (up to BPX_RULING_INK_MIN) */
#endif
#ifndef BPX_RULING_FAINT_STROKES
#define BPX_RULING_FAINT_STROKES 1 /* faint strokes that make a page look again finer */
#endif
#ifndef BPX_RULING_FAINT_LEN
#define BPX_RULING_FAINT_LEN 3 /* a faint stroke is this many times the shortest stroke */
#endif
#ifndef BPX_RULING_FINE_INK_MIN
#define BPX_RULING_FINE_INK_MIN 16 /* ink a pixel needs at the finer look */
#endif
#ifndef BPX_RULING_FAINT_ZOOM
#define BPX_RULING_FAINT_ZOOM 2.0 /* how much finer */
#endif
#ifndef BPX_RULING_SHADE_MIN
#define BPX_RULING_SHADE_MIN 8 /* ink of the palest shade */
#endif
#ifndef BPX_RULING_SHADE_MAX
#define BPX_RULING_SHADE_MAX 96 /* ink of the darkest shade subtracted as background */
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
#ifndef BPX_RULING_ASKEW_DARKER
#define BPX_RULING_ASKEW_DARKER 1.5 /* a stroke this many times darker than a turned glyph */
#endif                              /* is not the glyph's */
#ifndef BPX_RULING_ASKEW_QUANTILE
#define BPX_RULING_ASKEW_QUANTILE 0.9 /* a turned glyph's ink: this quantile of its pixels' */
#endif
#ifndef BPX_RULING_ASKEW_SAMPLES
#define BPX_RULING_ASKEW_SAMPLES 8 /* fewer pixels than this: its ink is unknown */
#endif

typedef struct {
    int line;   /* pixel row (horizontal pass) or column (vertical pass) */
    int a, b;   /* first and last pixel of the run along the line */
} run_t;

enum { KIND_THIN, KIND_FILL, KIND_OTHER };

typedef struct {
    int r0, r1;        /* first and last pixel line */
    int a, b;          /* extent along the lines */
    double area;       /* total length of the runs, in pixels */
    int spine;         /* the longest run */
    int kind;          /* KIND_* */
    /* the core: the runs that make the stroke (see in_core) */
    int ca, cb, cr0, cr1;
    double cink, cmoment; /* ink, ink * (line + 0.5) */
    /* filled areas: the first and last lines and their neighbours */
    int ta, tb, ba, bb;
    double top_ink, top_n, top2_ink, top2_n, bot_ink, bot_n, bot2_ink, bot2_n;
} comp_t;

/* The runs of a component that make its stroke.  Thin on the whole: the
 * runs at least half as long as the component (not what touches it here and
 * there), or all of them if there are none.  Something else: the longest
 * run (the spine) and the runs beside it at least half as long, provided
 * the spine is half as long as the whole (a rule a diagonal stroke ran
 * into; a diagonal band has no such run). */
static gboolean in_core(const comp_t *c, const run_t *rv, const run_t *u, int thin)
{
    const run_t *sp = &rv[c->spine];
    int lu = u->b - u->a + 1, ls = sp->b - sp->a + 1, length = c->b - c->a + 1;
    if (c->kind == KIND_THIN)
        return 2 * lu >= length || 2 * ls < length; /* no long run: all of it */
    if (c->kind != KIND_OTHER)
        return FALSE;
    return 2 * ls >= length && ABS(u->line - sp->line) < thin && 2 * lu >= ls && u->a <= sp->b &&
           u->b >= sp->a;
}

typedef struct {
    double x0, y0, x1, y1;
    gboolean askew; /* a glyph of a diagonal line: not masked; then x0.. are the bounds of */
    double px, py, ux, uy, vx, vy; /* the parallelogram p + s u + t v, s and t in [0, 1] */
    double ink; /* askew: the ink of its strokes, as rendered (see askew_ink) */
} box_t;

/* Glyph boxes as a pass sees them: sorted by where they start along its
 * direction (x0 for the horizontal pass, y0 for the vertical one), with
 * reach[i] the furthest any of box[0..i] ends along it, so that a stroke's
 * search for the glyphs over it starts at the first that can reach it. */
typedef struct {
    box_t *box;
    double *reach;
    size_t n;
} glyph_set;

/* The glyphs of a pass (along_pass): the upright ones in bands across it,
 * GLYPH_BAND_PT wide, each holding the glyphs that could hold a stroke
 * lying in it (covered_by_text: the box across, give or take its
 * tolerance), and the turned ones (a watermark's, far larger) in one set;
 * each set in the order of the whole. */
#define GLYPH_BAND_PT 16.0
typedef struct {
    glyph_set *band, turned;
    int n_bands;
    size_t n_upright;
    box_t *store;   /* the sets' boxes and reaches */
    double *reach;
} glyphs_t;

static int ifloor(double v);

static int band_of(const glyphs_t *g, double pos)
{
    int k = ifloor(pos / GLYPH_BAND_PT);
    return k < 0 ? 0 : k > g->n_bands - 1 ? g->n_bands - 1 : k;
}

/* The first box of s that ends after a (reach[i] > a): those before it end
 * before the stroke begins. */
static size_t first_reaching(const glyph_set *s, double a)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (s->reach[m] <= a)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

/* Where the line at `pos` (y if horizontal, else x) runs through an askew
 * glyph's parallelogram: [*lo, *hi] along it; FALSE if it misses it. */
static gboolean through_askew(const box_t *b, gboolean horizontal, double pos, double *lo,
                              double *hi)
{
    double det = b->ux * b->vy - b->vx * b->uy;
    if (det == 0)
        return FALSE;
    /* s and t as affine functions q * w + r of w, the coordinate along the line */
    double qs, rs, qt, rt;
    if (horizontal) {
        double dy = pos - b->py;
        qs = b->vy / det;
        rs = (-b->px * b->vy - b->vx * dy) / det;
        qt = -b->uy / det;
        rt = (b->ux * dy + b->uy * b->px) / det;
    } else {
        double dx = pos - b->px;
        qs = -b->vx / det;
        rs = (dx * b->vy + b->vx * b->py) / det;
        qt = b->ux / det;
        rt = (-b->ux * b->py - b->uy * dx) / det;
    }
    double l = -G_MAXDOUBLE, h = G_MAXDOUBLE;
    const double q[2] = { qs, qt }, r[2] = { rs, rt };
    for (int k = 0; k < 2; k++) {
        if (q[k] == 0) {
            if (r[k] < 0 || r[k] > 1)
                return FALSE;
            continue;
        }
        double w0 = -r[k] / q[k], w1 = (1 - r[k]) / q[k];
        l = MAX(l, MIN(w0, w1));
        h = MIN(h, MAX(w0, w1));
    }
    *lo = l;
    *hi = h;
    return h > l;
}

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

/* Whether any of the 8 pixels at p has ink above n (n at most 127): the
 * scans below skip paper (ink 0) eight pixels at a time.  A bit trick on
 * the 8 bytes as one word; exact, not a heuristic. */
static inline gboolean any_above8(const uint8_t *p, unsigned n)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    const uint64_t ones = ~(uint64_t)0 / 255, high = ones * 128;
    return (((x + ones * (127 - n)) | x) & high) != 0;
}

#if BPX_RULING_SSE2
/* The 16 pixels at p whose ink is above n, as bits (pixel k: bit k). */
static inline unsigned above16(const uint8_t *p, unsigned n)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i le = _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8((char)n)), _mm_setzero_si128());
    return ~(unsigned)_mm_movemask_epi8(le) & 0xFFFFu;
}

/* The 16 pixels at p whose ink lies strictly between m and n (m < n - 1),
 * as bits. */
static inline unsigned between16(const uint8_t *p, unsigned m, unsigned n)
{
    __m128i v = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), _mm_set1_epi8((char)(m + 1)));
    __m128i in = _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8((char)(n - m - 2))), _mm_setzero_si128());
    return (unsigned)_mm_movemask_epi8(in) & 0xFFFFu;
}
#endif

/* Whether any of the 8 pixels at p has ink strictly between m and n (m at
 * most 127, n at most 128): the faint pass skips the pixels that are
 * neither (paper, dark ink) eight at a time.  The word trick of
 * "Bit Twiddling Hacks" (hasbetween); exact. */
static inline gboolean any_between8(const uint8_t *p, unsigned m, unsigned n)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    const uint64_t ones = ~(uint64_t)0 / 255, low7 = ones * 127, high = ones * 128;
    return (((ones * (127 + n) - (x & low7)) & ~x & ((x & low7) + ones * (127 - m))) & high) != 0;
}

/* The k-th smallest of v[0..n-1] (0-based), v reordered: what v[k] would be
 * once sorted, in linear time on average (a quickselect). */
static double kth_smallest(double *v, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        double a = v[lo], b = v[(lo + hi) / 2], c = v[hi];
        double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
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

static int cmp_interval(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* How dark a stroke is along its length: the darkest pixel across it, pixel
 * by pixel; ink[k] is that of the pixel over [p0 + k px, p0 + (k + 1) px]
 * (points, along the stroke). */
typedef struct {
    const uint8_t *ink;
    int n;
    double p0, px;
} shade_t;

/* The value at quantile q of a histogram of n values. */
static int hist_quantile(const int *hist, int n, double q)
{
    int rank = (int)(q * (n - 1) + 0.5), seen = 0;
    for (int v = 0; v < 256; v++) {
        seen += hist[v];
        if (seen > rank)
            return v;
    }
    return 255;
}

/* Is the stroke at `pos` running over [a, b] (points, along the pass's
 * direction) drawn by glyphs?  It is when the glyphs that hold it cover 80%
 * of it, or leave less than a stroke's minimum length of it uncovered.  An
 * upright glyph holds what runs between the sides of its box, give or take
 * `tol` or a tenth of its height.  A turned glyph (a watermark's) holds what
 * runs through its parallelogram only if it could have drawn it: if the
 * stroke is there, where no upright glyph holds it, no darker than the
 * turned glyph's own ink (by BPX_RULING_ASKEW_DARKER, for the median pixel).
 * A rule the watermark lies over is darker than the watermark, and is not
 * taken for its text. */
/* The intervals covered_by_text gathers: in a buffer on the stack for the
 * few glyphs a stroke usually meets, on the heap past that (a GArray per
 * call was a third of its cost on the fixtures).  Sorted as g_array_sort
 * sorts (g_qsort_with_data: stable), so the coverage adds up as before. */
typedef struct {
    double *v;     /* n intervals of `width` doubles */
    size_t n, cap;
    int width;
    double local[64 * 3];
} intervals_t;

static void intervals_init(intervals_t *iv, int width)
{
    iv->v = iv->local;
    iv->n = 0;
    iv->width = width;
    iv->cap = G_N_ELEMENTS(iv->local) / (size_t)width;
}

static void intervals_add(intervals_t *iv, const double *se)
{
    if (iv->n == iv->cap) {
        size_t cap = 2 * iv->cap;
        double *v = g_new(double, cap * (size_t)iv->width);
        memcpy(v, iv->v, iv->n * (size_t)iv->width * sizeof(double));
        if (iv->v != iv->local)
            g_free(iv->v);
        iv->v = v;
        iv->cap = cap;
    }
    memcpy(iv->v + iv->n * (size_t)iv->width, se, (size_t)iv->width * sizeof(double));
    iv->n++;
}

static gint cmp_interval_data(gconstpointer pa, gconstpointer pb, gpointer unused)
{
    (void)unused;
    return cmp_interval(pa, pb);
}

static void intervals_sort(intervals_t *iv)
{
    if (iv->n > 0)
        g_qsort_with_data(iv->v, (gint)iv->n, (gsize)iv->width * sizeof(double), cmp_interval_data, NULL);
}

static void intervals_clear(intervals_t *iv)
{
    if (iv->v != iv->local)
        g_free(iv->v);
}

static gboolean covered_by_text(const glyphs_t *glyphs, gboolean horizontal, double pos, double a,
                                double b, const shade_t *sh, double tol)
{
    intervals_t iv, tv; /* upright: lo, hi; turned: lo, hi, ink */
    intervals_init(&iv, 2);
    intervals_init(&tv, 3);
    /* boxes are sorted along the direction of the pass */
    for (int set = 0; set < 2; set++) {
        const glyph_set *gs = set == 0 ? &glyphs->band[band_of(glyphs, pos)] : &glyphs->turned;
        for (size_t i = first_reaching(gs, a); i < gs->n; i++) {
            const box_t *bx = &gs->box[i];
            double lo = horizontal ? bx->x0 : bx->y0, hi = horizontal ? bx->x1 : bx->y1;
            double plo = horizontal ? bx->y0 : bx->x0, phi = horizontal ? bx->y1 : bx->x1;
            if (lo >= b)
                break;
            if (hi <= a)
                continue;
            if (bx->askew) {
                if (!through_askew(bx, horizontal, pos, &lo, &hi))
                    continue;
            } else {
                double t = BPX_RULING_TEXT_TOL_EM * (phi - plo);
                if (t < tol)
                    t = tol;
                if (pos < plo - t || pos > phi + t)
                    continue;
            }
            double se[3] = { lo > a ? lo : a, hi < b ? hi : b, bx->ink };
            if (se[1] <= se[0])
                continue;
            intervals_add(bx->askew ? &tv : &iv, se);
        }
    }
    /* how dark the stroke is where no upright glyph holds it: the median pixel */
    double dark = 0;
    if (tv.n > 0) {
        intervals_sort(&iv);
        int hist[256] = { 0 }, n_free = 0;
        guint i = 0;
        double reach = -G_MAXDOUBLE;
        for (int k = 0; k < sh->n; k++) {
            double c = sh->p0 + (k + 0.5) * sh->px;
            for (; i < iv.n && iv.v[2 * i] <= c; i++)
                reach = MAX(reach, iv.v[2 * i + 1]);
            if (c > reach) {
                hist[sh->ink[k]]++;
                n_free++;
            }
        }
        if (n_free > 0)
            dark = hist_quantile(hist, n_free, 0.5);
    }
    for (size_t j = 0; j < tv.n; j++) {
        const double *se = &tv.v[3 * j];
        if (dark <= BPX_RULING_ASKEW_DARKER * se[2])
            intervals_add(&iv, se); /* lo, hi */
    }
    intervals_sort(&iv);
    double covered = 0, reach = a;
    for (size_t i = 0; i < iv.n; i++) {
        const double *se = &iv.v[2 * i];
        double s0 = se[0] > reach ? se[0] : reach;
        if (se[1] > s0) {
            covered += se[1] - s0;
            reach = se[1];
        }
    }
    intervals_clear(&tv);
    intervals_clear(&iv);
    return covered >= BPX_RULING_TEXT_COVER * (b - a) || b - a - covered < BPX_RULING_MIN_LEN_PT;
}

/* Appends the stroke at `pos` over [a, b] (points) unless glyphs drew it;
 * [ha, hb] is its extent once healed where text was written over it, `sh`
 * how dark it is. */
static void emit(GArray *out, gboolean horizontal, double pos, double a, double b, double ha,
                 double hb, const shade_t *sh, const glyphs_t *glyphs, double tol)
{
    if (b <= a)
        return;
    if ((glyphs->n_upright || glyphs->turned.n) && covered_by_text(glyphs, horizontal, pos, a, b, sh, tol))
        return;
    bpx_line l;
    if (horizontal) {
        l.x0 = ha; l.x1 = hb; l.y0 = l.y1 = pos;
    } else {
        l.y0 = ha; l.y1 = hb; l.x0 = l.x1 = pos;
    }
    g_array_append_val(out, l);
}

/* An image as a pass reads it: pixel i of line r at p[r * line + i * step];
 * the rendering before the glyphs were blanked is read by the vertical pass
 * where it lies, not transposed (step: the image's width). */
typedef struct {
    const uint8_t *p;
    size_t line, step;
} view_t;

static inline uint8_t at(const view_t *v, int r, int i)
{
    return v->p[(size_t)r * v->line + (size_t)i * v->step];
}

/* Where a thin stroke over pixel lines r0..r1, ending at pixel `end`, really
 * ends when text was written over it: walking in direction `dir`, through
 * pixels that the rendering inks but the glyph mask blanked, until the stroke
 * comes out from under the text.  If it then runs on for a stroke's length
 * it is found as a stroke of its own: the one before the hole (dir > 0) is
 * extended to where that begins, and that one keeps its end.  If only a stub
 * comes out (a corner), the stub is taken in.  A stroke that does not come
 * out from under the text keeps its end: it may well be a glyph's. */
static int heal_end(const uint8_t *img, const view_t *orig, int len, int r0, int r1, int end,
                    int dir, int thr, int gap, int min_len)
{
    int last = end;
    gboolean under = FALSE;
    for (int x = end + dir; x >= 0 && x < len; x += dir) {
        gboolean ink_orig = FALSE, ink_now = FALSE;
        for (int r = r0; r <= r1; r++) {
            size_t k = (size_t)r * (size_t)len + (size_t)x;
            ink_orig = ink_orig || at(orig, r, x) >= thr;
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

/* The shortest run of ink, in pixels, that may make a stroke. */
static int min_len_px(double dpi)
{
    int min_len = iceil(BPX_RULING_MIN_LEN_PT * dpi / 72.0);
    return min_len < 3 ? 3 : min_len;
}

/* One pass over an ink image of n_lines lines of len pixels each: rows for
 * horizontal strokes, columns (of the transposed image) for vertical ones. */
/* Whether pixel i of line p is ink to the scan: inked to thr, or (pair:
 * the finer look at a page with pale rules) a pale pixel that, with the
 * paler of its neighbours across the line (prev, next: NULL at the image's
 * edge), reaches thr: a pale rule falling across two pixels. */
static inline gboolean inked(const uint8_t *p, const uint8_t *prev, const uint8_t *next, int i,
                             int thr, gboolean pair)
{
    if (p[i] >= thr)
        return TRUE;
    if (!pair || p[i] < BPX_RULING_FAINT_MIN)
        return FALSE;
    int nb = MAX(prev ? prev[i] : 0, next ? next[i] : 0);
    return nb <= p[i] && p[i] + nb >= thr;
}

static void scan(const uint8_t *img, const view_t *orig, gboolean masked, const uint8_t *raw, int n_lines,
                 int len, double dpi, gboolean horizontal, gboolean pair, const glyphs_t *glyphs,
                 GArray *out)
{
    const int thr = pair ? BPX_RULING_FINE_INK_MIN : BPX_RULING_INK_MIN;
    const int gap = BPX_RULING_MAX_GAP_PX;
    int min_len = min_len_px(dpi);
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
        const uint8_t *q = raw != img ? raw + (size_t)r * (size_t)len : NULL;
        const uint8_t *pp = r > 0 ? p - len : NULL, *pn = r + 1 < n_lines ? p + len : NULL;
        first[r] = (int)runs->len;
        /* a pixel below this is not ink, whatever its neighbours */
        const unsigned least = pair ? BPX_RULING_FAINT_MIN : (unsigned)thr;
        int i = 0;
        while (i < len) {
#if BPX_RULING_SSE2
            if (i + 16 <= len) { /* to the first pixel that may be ink */
                unsigned m = above16(p + i, least - 1);
                if (!m) {
                    i += 16;
                    continue;
                }
                i += __builtin_ctz(m);
            } else
#endif
            if (i + 8 <= len && !any_above8(p + i, least - 1)) {
                i += 8;
                continue;
            }
            if (!inked(p, pp, pn, i, thr, pair)) {
                i++;
                continue;
            }
            int a = i, last = i, j;
            for (j = i + 1; j < len; j++) {
                if (inked(p, pp, pn, j, thr, pair))
                    last = j;
                else if (q && q[j] >= thr && j - last <= thin)
                    continue; /* a rule crossing: its ink taken for background */
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
            c.spine = k;
            comp_of[k] = (int)comps->len;
            g_array_append_val(comps, c);
        } else {
            comp_of[k] = comp_of[root]; /* root < k: already assigned */
        }
        comp_t *c = &g_array_index(comps, comp_t, comp_of[k]);
        const run_t *u = &rv[k];
        c->r1 = MAX(c->r1, u->line);
        c->a = MIN(c->a, u->a);
        c->b = MAX(c->b, u->b);
        c->area += u->b - u->a + 1;
        if (u->b - u->a > rv[c->spine].b - rv[c->spine].a)
            c->spine = k;
    }
    /* what each is: thin on the whole (ink touching a rule here and there
     * does not make it thick), a filled area (it fills its bounding box), or
     * something else (a rule a diagonal stroke ran into, a diagonal band, a
     * picture) */
    for (guint ci = 0; ci < comps->len; ci++) {
        comp_t *c = &g_array_index(comps, comp_t, ci);
        double length = c->b - c->a + 1, rows = c->r1 - c->r0 + 1;
        c->kind = c->area <= thin * length ? KIND_THIN
                  : c->area >= 0.6 * rows * length ? KIND_FILL
                                                    : KIND_OTHER;
    }
    /* second sweep: the core (the runs that make the stroke), the first and
     * last lines of filled areas */
    for (int k = 0; k < n; k++) {
        comp_t *c = &g_array_index(comps, comp_t, comp_of[k]);
        const run_t *u = &rv[k];
        if (in_core(c, rv, u, thin)) {
            if (c->cink == 0) {
                c->ca = u->a;
                c->cb = u->b;
                c->cr0 = c->cr1 = u->line;
            }
            c->ca = MIN(c->ca, u->a);
            c->cb = MAX(c->cb, u->b);
            c->cr0 = MIN(c->cr0, u->line);
            c->cr1 = MAX(c->cr1, u->line);
            double s = line_ink(img, len, u->line, u->a, u->b);
            c->cink += s;
            c->cmoment += s * (u->line + 0.5);
        }
        if (c->kind != KIND_FILL)
            continue;
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
    double *prof = g_new(double, (gsize)len), *sorted = g_new(double, (gsize)len);
    uint8_t *shade = g_new(uint8_t, (gsize)len);

    /* 4. a stroke is placed at the ink-weighted centre of its core, so that
     * ink touching it here and there neither moves nor lengthens it; it
     * ends where the ink across it stays below half its median (not on a
     * paler stroke running on from its end: a watermark), its ends placed
     * within the pixel by the ink of the end pixels; a filled area gives its
     * first and last lines as edges */
    for (guint ci = 0; ci < comps->len; ci++) {
        const comp_t *c = &g_array_index(comps, comp_t, ci);
        if (c->kind != KIND_FILL && c->cink > 0) {
            /* the profile: the ink across the stroke at each pixel along it,
             * read from the rendering before the glyphs were blanked (a rule
             * the text sits on is not paler for it); of the spine alone for
             * something else than a thin stroke */
            int L = c->cb - c->ca + 1;
            int l0 = c->kind == KIND_THIN ? c->cr0 : rv[c->spine].line;
            int l1 = c->kind == KIND_THIN ? c->cr1 : rv[c->spine].line;
            for (int i = 0; i < L; i++) {
                prof[i] = 0;
                for (int r = l0; r <= l1; r++)
                    prof[i] += at(orig, r, c->ca + i);
            }
            const double *S = prof;
            memcpy(sorted, S, (size_t)L * sizeof *S);
            double med = kth_smallest(sorted, L, L / 2); /* sorted[L / 2], once sorted */
            /* its ends: the first and last stretches at least half the
             * median dark (bridging pale gaps as the runs do) and long
             * enough not to be a speck */
            int speck = min_len / 2 > 2 ? min_len / 2 : 2, i0 = -1, i1 = -1;
            for (int i = 0; i < L;) {
                if (S[i] < 0.5 * med) {
                    i++;
                    continue;
                }
                int j = i, last = i;
                for (j = i + 1; j < L; j++) {
                    if (S[j] >= 0.5 * med)
                        last = j;
                    else if (j - last > gap)
                        break;
                }
                if (last - i + 1 >= speck) {
                    if (i0 < 0)
                        i0 = i;
                    i1 = last;
                }
                i = j;
            }
            if (med <= 0 || i0 < 0 || i1 - i0 + 1 < min_len)
                continue;
            double a = i0 + 1.0 - clamp01(S[i0] / med), b = i1 + clamp01(S[i1] / med);
            if (S[i0] >= med && i0 > 0)
                a -= clamp01(S[i0 - 1] / med);
            if (S[i1] >= med && i1 < L - 1)
                b += clamp01(S[i1 + 1] / med);
            int ea0 = c->ca + i0, eb0 = c->ca + i1;
            a += c->ca;
            b += c->ca;
            /* how dark it is along its length */
            for (int i = i0; i <= i1; i++) {
                uint8_t pk = 0;
                for (int r = l0; r <= l1; r++)
                    pk = MAX(pk, at(orig, r, c->ca + i));
                shade[i - i0] = pk;
            }
            shade_t sh = { shade, i1 - i0 + 1, (c->ca + i0) * px, px };
            double pos = c->cmoment / c->cink;
            double ha = a, hb = b;
            if (masked) {
                int ea = heal_end(img, orig, len, c->cr0, c->cr1, ea0, -1, thr, gap, min_len);
                int eb = heal_end(img, orig, len, c->cr0, c->cr1, eb0, +1, thr, gap, min_len);
                if (ea != ea0)
                    ha = ea;
                if (eb != eb0)
                    hb = eb + 1.0;
            }
            emit(out, horizontal, pos * px, a * px, b * px, ha * px, hb * px, &sh, glyphs,
                 tol);
        } else if (c->kind == KIND_FILL) {
            double ft = c->top_n > 0 && c->top2_n > 0 && c->top2_ink > 0
                            ? clamp01((c->top_ink / c->top_n) / (c->top2_ink / c->top2_n))
                            : 1.0;
            double fb = c->bot_n > 0 && c->bot2_n > 0 && c->bot2_ink > 0
                            ? clamp01((c->bot_ink / c->bot_n) / (c->bot2_ink / c->bot2_n))
                            : 1.0;
            double ta = c->ta * px, tb = (c->tb + 1.0) * px;
            double ba = c->ba * px, bb = (c->bb + 1.0) * px;
            for (int i = c->ta; i <= c->tb; i++)
                shade[i - c->ta] = at(orig, c->r0, i);
            shade_t sh = { shade, c->tb - c->ta + 1, ta, px };
            emit(out, horizontal, (c->r0 + 1.0 - ft) * px, ta, tb, ta, tb, &sh, glyphs,
                 tol);
            for (int i = c->ba; i <= c->bb; i++)
                shade[i - c->ba] = at(orig, c->r1, i);
            sh.n = c->bb - c->ba + 1;
            sh.p0 = ba;
            emit(out, horizontal, (c->r1 + fb) * px, ba, bb, ba, bb, &sh, glyphs, tol);
        }
    }

    g_free(shade);
    g_free(sorted);
    g_free(prof);
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

/* Glyphs of a diagonal line of text (a watermark).  poppler boxes a turned
 * glyph as if it were upright at its origin: the boxes of a diagonal line
 * follow each other end to start, as those of a horizontal line do, but
 * climb or fall by a fraction of their height.  A glyph whose box touches
 * such a step and no box on its own level is askew; its box is replaced by
 * the bounds of the turned glyph, worked out from the step.  (Text order is
 * no help: poppler files the glyphs of a watermark among the lines it
 * crosses.) */
typedef struct {
    double x0;
    size_t i;
} by_x0;

static int cmp_by_x0(const void *pa, const void *pb)
{
    const by_x0 *a = pa, *b = pb;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static double root(double v) /* square root without libm */
{
    if (!(v > 0))
        return 0;
    double r = v > 1 ? v : 1;
    for (int i = 0; i < 40; i++)
        r = 0.5 * (r + v / r);
    return r;
}

/* The parallelogram and bounds of a glyph turned so that its next
 * neighbour's box stands `climb` higher (negative: lower) than its own. */
static gboolean turn_box(box_t *b, double climb)
{
    double w = b->x1 - b->x0, h = b->y1 - b->y0, adv = root(w * w + climb * climb);
    if (adv <= 0)
        return FALSE;
    double cs = w / adv, sn = climb / adv;
    double up = 0.85 * h, down = 0.25 * h; /* ascent and descent, a little generous */
    double ox = b->x0, oy = b->y1 - down;
    /* the corner at the origin's foot, the baseline, the glyph's height */
    b->px = ox - down * sn;
    b->py = oy + down * cs;
    b->ux = adv * cs;
    b->uy = -adv * sn;
    b->vx = -(up + down) * sn;
    b->vy = -(up + down) * cs;
    double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
    for (int k = 0; k < 4; k++) {
        double u = k & 1 ? adv : 0, v = k & 2 ? up : -down;
        double x = ox + u * cs - v * sn, y = oy - u * sn - v * cs;
        x0 = MIN(x0, x);
        x1 = MAX(x1, x);
        y0 = MIN(y0, y);
        y1 = MAX(y1, y);
    }
    b->x0 = x0;
    b->y0 = y0;
    b->x1 = x1;
    b->y1 = y1;
    return TRUE;
}

static void mark_askew(box_t *boxes, const double *size, size_t n)
{
    by_x0 *order = g_new(by_x0, n ? n : 1);
    guint8 *level = g_new0(guint8, n ? n : 1); /* bit 0: a level step, bit 1: a climbing one */
    double *climb = g_new0(double, n ? n : 1);
    for (size_t k = 0; k < n; k++) {
        order[k].x0 = boxes[k].x0;
        order[k].i = k;
    }
    qsort(order, n, sizeof *order, cmp_by_x0);
    for (size_t k = 0; k < n; k++) {
        const box_t *a = &boxes[k];
        double fs = size[k] > 0 ? size[k] : a->y1 - a->y0, ha = a->y1 - a->y0;
        double lo = a->x1 - 0.05 * fs, hi = a->x1 + 0.05 * fs;
        /* the boxes starting where this one ends */
        size_t l = 0, r = n;
        while (l < r) {
            size_t m = (l + r) / 2;
            if (order[m].x0 < lo)
                l = m + 1;
            else
                r = m;
        }
        for (size_t j = l; j < n && order[j].x0 <= hi; j++) {
            size_t o = order[j].i;
            const box_t *b = &boxes[o];
            if (o == k || ABS(size[o] - size[k]) > 0.05 * fs ||
                ABS((b->y1 - b->y0) - ha) > 0.05 * ha)
                continue;
            double dy = ABS(b->y0 - a->y0);
            if (dy <= 0.05 * ha) {
                level[k] |= 1;
                level[o] |= 1;
            } else if (dy < 0.95 * ha) {
                level[k] |= 2;
                level[o] |= 2;
                climb[k] = climb[o] = a->y0 - b->y0;
            }
        }
    }
    for (size_t k = 0; k < n; k++)
        if (level[k] == 2 && turn_box(&boxes[k], climb[k]))
            boxes[k].askew = TRUE;
    g_free(climb);
    g_free(level);
    g_free(order);
}

/* The boxes of the page's visible glyphs (not spaces, not line ends), those
 * of diagonal lines (a watermark) marked. */
static box_t *glyph_boxes(PopplerPage *page, bpx_text_layer *layer, int turn, double page_w, double page_h,
                          size_t *n_out)
{
    *n_out = 0;
    bpx_text_layer_read(page, layer);
    const PopplerRectangle *rects = layer->rects;
    guint n_rects = layer->n_rects;
    if (!layer->has_layout || rects == NULL)
        return NULL;
    const char *text = layer->text;
    GList *at = layer->attrs;
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
        box_t b = { .x0 = rects[i].x1, .y0 = rects[i].y1, .x1 = rects[i].x2, .y1 = rects[i].y2 };
        if (turn == 270)
            b = (box_t){.x0 = b.y0, .y0 = page_w - b.x1, .x1 = b.y1, .y1 = page_w - b.x0};
        else if (turn == 90)
            b = (box_t){.x0 = page_h - b.y1, .y0 = b.x0, .x1 = page_h - b.y0, .y1 = b.x1};
        if (b.x1 - b.x0 <= 0 || b.y1 - b.y0 <= 0)
            continue;
        const PopplerTextAttributes *a = at ? at->data : NULL;
        size[n] = a && a->start_index <= (int)i ? a->font_size : 0;
        boxes[n++] = b;
    }
    mark_askew(boxes, size, n);
    g_free(size);
    *n_out = n;
    return boxes;
}

/* Glyphs narrower than they print.  An ideograph (and a fullwidth mark:
 * full_width) is as wide as its font is high; poppler, though, boxes a glyph as wide as the font's /Widths
 * (/W) say, and some writers say less than the glyph advances: cairo
 * (pdftocairo, print-to-PDF through cairo) writes 0, or a third of the em,
 * for glyphs whose metrics it does not have, and moves each next glyph on
 * with a TJ displacement.  The page shows the glyphs side by side, but
 * their boxes stand apart: the gaps read as spaces between words or cells,
 * and the glyphs' ink outside their boxes is not blanked before the ruling
 * scan (their strokes come out as short rules).  So (widen_narrow_ideographs)
 * an ideograph whose box is upright (at least BPX_NARROW_IDEOGRAPH of its
 * font size tall) but narrower than that is widened to where the next
 * glyph of its line starts, when one starts within 1.1 em (text compressed
 * by a horizontal scaling keeps its pitch), else to its em square.  The
 * glyphs sorted by their left edge, each looks only that far ahead.  What
 * it misses: the last glyph of a line of compressed text gets a whole em;
 * a narrow glyph of text running down the page (its box lies across) is
 * left as it is. */
#ifndef BPX_NARROW_IDEOGRAPH
#define BPX_NARROW_IDEOGRAPH 0.75
#endif

/* Ideographs and the marks CJK fonts set as wide as them: CJK punctuation
 * (、。《》【】), fullwidth forms (（），：), circled numbers (① ②), radicals. */
static gboolean full_width(gunichar cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FA1F) || (cp > 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0x3200 && cp <= 0x32FF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0x2E80 && cp <= 0x2FDF);
}

typedef struct {
    double x0;
    guint i;
} left_edge;

static int left_edge_order(const void *p, const void *q)
{
    const left_edge *a = p, *b = q;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static gboolean narrow_ideograph(const PopplerRectangle *r, gunichar cp, double fs)
{
    double w = r->x2 - r->x1, h = r->y2 - r->y1;
    return fs > 1 && full_width(cp) && w >= 0 && w < BPX_NARROW_IDEOGRAPH * fs && h >= BPX_NARROW_IDEOGRAPH * fs;
}

void bpx_widen_narrow_ideographs(PopplerRectangle *rects, const gunichar *cps, const double *font_size, guint n)
{
    guint narrow = 0;
    for (guint i = 0; i < n; i++)
        narrow += narrow_ideograph(&rects[i], cps[i], font_size[i]);
    if (!narrow)
        return;
    left_edge *order = g_new(left_edge, n);
    guint m = 0;
    for (guint i = 0; i < n; i++)
        if (!g_unichar_isspace(cps[i]) && rects[i].x2 >= rects[i].x1 && rects[i].y2 > rects[i].y1)
            order[m++] = (left_edge){ rects[i].x1, i };
    qsort(order, m, sizeof *order, left_edge_order);
    for (guint k = 0; k < m; k++) {
        PopplerRectangle *c = &rects[order[k].i];
        double fs = font_size[order[k].i];
        if (!narrow_ideograph(c, cps[order[k].i], fs))
            continue;
        /* the next glyph of the line: it starts past this one, within a
         * little more than an em (the size poppler states is rounded),
         * spans this one's middle height and is of its size */
        double next = G_MAXDOUBLE, mid = (c->y1 + c->y2) / 2;
        for (guint j = k + 1; j < m && order[j].x0 < c->x1 + 1.1 * fs; j++) {
            const PopplerRectangle *o = &rects[order[j].i];
            /* (a glyph of another size is no neighbour: a watermark's
             * over the line) */
            if (o->x1 > c->x1 + 0.05 * fs && o->y1 < mid && o->y2 > mid &&
                fabs(font_size[order[j].i] - fs) <= 0.25 * fs)
                next = MIN(next, o->x1);
        }
        double end = next < G_MAXDOUBLE ? next : c->x1 + fs;
        if (end > c->x2)
            c->x2 = end;
    }
    g_free(order);
}

/* The code points and font sizes of the layer's rectangles, for
 * bpx_widen_narrow_ideographs(). */
static void widen_layer(bpx_text_layer *layer)
{
    if (!layer->has_layout || !layer->rects || !layer->text)
        return;
    guint n = layer->n_rects;
    gunichar *cps = g_new0(gunichar, n ? n : 1);
    double *size = g_new0(double, n ? n : 1);
    const char *t = layer->text;
    GList *at = layer->attrs;
    for (guint i = 0; i < n && *t; i++, t = g_utf8_next_char(t)) {
        gunichar c = g_utf8_get_char_validated(t, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            break;
        cps[i] = c;
        while (at && ((PopplerTextAttributes *)at->data)->end_index < (int)i)
            at = at->next;
        const PopplerTextAttributes *a = at ? at->data : NULL;
        size[i] = a && a->start_index <= (int)i ? a->font_size : 0;
    }
    bpx_widen_narrow_ideographs(layer->rects, cps, size, n);
    g_free(cps);
    g_free(size);
}

void bpx_text_layer_read(PopplerPage *page, bpx_text_layer *layer)
{
    if (layer->read)
        return;
    layer->read = TRUE;
    layer->has_layout = poppler_page_get_text_layout(page, &layer->rects, &layer->n_rects);
    layer->text = poppler_page_get_text(page);
    layer->attrs = poppler_page_get_text_attributes(page);
    widen_layer(layer);
}

void bpx_text_layer_clear(bpx_text_layer *layer)
{
    g_free(layer->text);
    g_free(layer->rects);
    poppler_page_free_text_attributes(layer->attrs);
    *layer = (bpx_text_layer){ 0 };
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

/* Flags the pixels of the runs of ink at least min_len long (bridging gaps
 * of `gap` pale pixels, as the scan does) along n_lines lines of len
 * pixels, `step` apart along a line and `line_step` from line to line. */
static void flag_runs(const uint8_t *img, uint8_t *flag, int n_lines, int len, size_t line_step,
                      size_t step, int thr, int gap, int min_len)
{
    for (int r = 0; r < n_lines; r++) {
        const uint8_t *p = img + (size_t)r * line_step;
        uint8_t *f = flag + (size_t)r * line_step;
        int i = 0;
        while (i < len) {
            if (p[(size_t)i * step] < thr) {
                i++;
                continue;
            }
            int a = i, last = i, j;
            for (j = i + 1; j < len; j++) {
                if (p[(size_t)j * step] >= thr)
                    last = j;
                else if (j - last > gap)
                    break;
            }
            if (last - a + 1 >= min_len)
                for (int k = a; k <= last; k++)
                    f[(size_t)k * step] = 1;
            i = j;
        }
    }
}

/* The pixels of a turned glyph's bounds, clamped to the image. */
static void askew_pixels(const box_t *b, int W, int H, double scale, int *x0, int *y0, int *x1,
                         int *y1)
{
    *x0 = MAX(0, ifloor(b->x0 * scale));
    *y0 = MAX(0, ifloor(b->y0 * scale));
    *x1 = MIN(W - 1, iceil(b->x1 * scale));
    *y1 = MIN(H - 1, iceil(b->y1 * scale));
}

/* The ink of each turned glyph's strokes: a high quantile of the inked
 * pixels of the (glyph-masked) rendering inside its parallelogram, but for
 * those of horizontal and vertical runs a stroke long within its bounds
 * (rules, or strokes of its own that run straight, which are what is in
 * question).  With too few such pixels to tell, it is taken as dark as ink
 * goes. */
static void askew_ink(box_t *boxes, size_t n, const uint8_t *img, int W, int H, double scale,
                      int thr, int gap, int min_len)
{
    gboolean any = FALSE;
    for (size_t k = 0; k < n && !any; k++)
        any = boxes[k].askew;
    if (!any)
        return;
    uint8_t *flag = g_malloc0((size_t)W * (size_t)H);
    int x0, y0, x1, y1;
    for (size_t k = 0; k < n; k++) {
        if (!boxes[k].askew)
            continue;
        askew_pixels(&boxes[k], W, H, scale, &x0, &y0, &x1, &y1);
        if (x1 < x0 || y1 < y0)
            continue;
        size_t o = (size_t)y0 * (size_t)W + (size_t)x0;
        flag_runs(img + o, flag + o, y1 - y0 + 1, x1 - x0 + 1, (size_t)W, 1, thr, gap, min_len);
        flag_runs(img + o, flag + o, x1 - x0 + 1, y1 - y0 + 1, 1, (size_t)W, thr, gap, min_len);
    }
    for (size_t k = 0; k < n; k++) {
        box_t *b = &boxes[k];
        if (!b->askew)
            continue;
        b->ink = 255;
        double det = b->ux * b->vy - b->vx * b->uy;
        if (det == 0)
            continue;
        askew_pixels(b, W, H, scale, &x0, &y0, &x1, &y1);
        int hist[256] = { 0 }, m = 0;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                size_t o = (size_t)y * (size_t)W + (size_t)x;
                if (img[o] < thr || flag[o])
                    continue;
                double dx = (x + 0.5) / scale - b->px, dy = (y + 0.5) / scale - b->py;
                double s = (dx * b->vy - b->vx * dy) / det, t = (b->ux * dy - b->uy * dx) / det;
                if (s < 0 || s > 1 || t < 0 || t > 1)
                    continue;
                hist[img[o]]++;
                m++;
            }
        if (m >= BPX_RULING_ASKEW_SAMPLES)
            b->ink = hist_quantile(hist, m, BPX_RULING_ASKEW_QUANTILE);
    }
    g_free(flag);
}

/* The ink of img (n_lines lines of len pixels) above a light background
 * across the lines: each pixel less the lighter of the pixels
 * BPX_RULING_BG_PX lines above and below it, when that is a shade (ink up to
 * BPX_RULING_SHADE_MAX).  A rule over a shaded header or a zebra-striped row
 * then stands out from the shade as it does from paper, where the shade would
 * otherwise join every rule crossing it into one filled area, dropped; the
 * shade itself keeps only bands along its edges.  Dark fills are left alone:
 * the scan reports a filled area's edges. */
/* Whether the page has shading at all: an area of light ink at least
 * min_run pixels wide and taller than the background distance on both sides
 * (a fill; a thin rule is one or two pixels tall, and text leaves gaps).
 * Most pages have none, and are spared the background passes.  Such an
 * area, `tall` rows of light pixels over min_run columns, holds one row of
 * every `tall` (y = tall - 1 modulo tall) and three rows in a row around it
 * (that row and the two before, or the one before and after, or it and the
 * two after): only when some such three rows have a light run min_run long
 * across them all is the page looked at row by row (a pale rule, one or two
 * rows thick, does not have one). */
static gboolean light_run_across(const uint8_t *img, int W, int y, int n_rows, int min_run)
{
    const uint8_t *row = img + (size_t)y * (size_t)W;
    int run = 0;
    for (int x = 0; x < W; x++) {
        if (x + 8 <= W && !any_above8(row + x, BPX_RULING_SHADE_MIN - 1)) {
            run = 0; /* paper */
            x += 7;
            continue;
        }
        gboolean light = TRUE;
        for (int k = 0; k < n_rows && light; k++) {
            uint8_t v = row[(size_t)k * (size_t)W + (size_t)x];
            light = v >= BPX_RULING_SHADE_MIN && v <= BPX_RULING_SHADE_MAX;
        }
        run = light ? run + 1 : 0;
        if (run >= min_run)
            return TRUE;
    }
    return FALSE;
}

static gboolean has_shading(const uint8_t *img, int W, int H, int min_run)
{
    const int tall = 2 * BPX_RULING_BG_PX + 1;
    gboolean maybe = FALSE;
    for (int y = tall - 1; y < H && !maybe; y += tall) {
        if (!light_run_across(img, W, y, 1, min_run))
            continue;
        for (int s = y - 2; s <= y && !maybe; s++)
            maybe = s >= 0 && s + 2 < H && light_run_across(img, W, s, 3, min_run);
    }
    if (!maybe)
        return FALSE;
    int *height = g_new0(int, W); /* light pixels straight above, this one included */
    gboolean found = FALSE;
    for (int y = 0; y < H && !found; y++) {
        const uint8_t *row = img + (size_t)y * (size_t)W;
        int run = 0;
        for (int x = 0; x < W; x++) {
            if (x + 8 <= W && !any_above8(row + x, BPX_RULING_SHADE_MIN - 1)) {
                memset(height + x, 0, 8 * sizeof *height); /* paper: no shade, no run */
                run = 0;
                x += 7;
                continue;
            }
            height[x] = row[x] >= BPX_RULING_SHADE_MIN && row[x] <= BPX_RULING_SHADE_MAX ? height[x] + 1 : 0;
            run = height[x] >= tall ? run + 1 : 0;
            if (run >= min_run)
                found = TRUE;
        }
    }
    g_free(height);
    return found;
}

static uint8_t *above_background(const uint8_t *img, int n_lines, int len)
{
    const int d = BPX_RULING_BG_PX;
    uint8_t *out = g_malloc((size_t)n_lines * (size_t)len);
    for (int r = 0; r < n_lines; r++) {
        const uint8_t *line = img + (size_t)r * (size_t)len;
        const uint8_t *up = r >= d ? line - (size_t)d * (size_t)len : NULL;
        const uint8_t *down = r + d < n_lines ? line + (size_t)d * (size_t)len : NULL;
        uint8_t *o = out + (size_t)r * (size_t)len;
        int x = 0;
#if BPX_RULING_SSE2
        /* 16 pixels at once: the lighter of the two neighbours (the one there
         * is), kept when a shade, taken away without going below paper */
        const uint8_t *na = up ? up : down, *nb = down ? down : up;
        const __m128i lowest = _mm_set1_epi8((char)BPX_RULING_SHADE_MIN);
        const __m128i span = _mm_set1_epi8((char)(BPX_RULING_SHADE_MAX - BPX_RULING_SHADE_MIN));
        for (; na && x + 16 <= len; x += 16) {
            __m128i bg = _mm_min_epu8(_mm_loadu_si128((const __m128i *)(const void *)(na + x)),
                                      _mm_loadu_si128((const __m128i *)(const void *)(nb + x)));
            __m128i shade = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(bg, lowest), span), _mm_setzero_si128());
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line + x));
            _mm_storeu_si128((__m128i *)(void *)(o + x), _mm_subs_epu8(v, _mm_and_si128(bg, shade)));
        }
#endif
        for (; x < len; x++) {
            if (x + 8 <= len && !any_above8(line + x, 0)) { /* paper stays paper */
                memset(o + x, 0, 8);
                x += 7;
                continue;
            }
            int bg = up && down ? MIN(up[x], down[x]) : up ? up[x] : down ? down[x] : 0;
            if (bg > BPX_RULING_SHADE_MAX || bg < BPX_RULING_SHADE_MIN)
                bg = 0; /* a dark fill: a filled area, whose edges the scan reports;
                           or paper, as good as white */
            o[x] = (uint8_t)(line[x] > bg ? line[x] - bg : 0);
        }
    }
    return out;
}

/* Blocks of 8 x 8 pixels, each row of a block one 64-bit word: the block is
 * transposed in three rounds of swaps (4 x 4 quarters, 2 x 2, single
 * pixels), the words read and written whole; a block of paper (most of a
 * page) is written as it was read.  With SSE2, blocks of 16 x 16
 * (transpose16).  (Byte k of a word is the
 * pixel at k only on a little-endian machine; elsewhere, pixel by pixel.)
 * The edges that do not fill a block go pixel by pixel. */
#if BPX_RULING_SSE2
/* The 16 x 16 block at (x0, y0) of img (W wide) transposed into t (H wide):
 * four rounds of interleaving registers 8 apart (bytes, then pairs, fours
 * and eights), the rows loaded in bit-reversed order so that register i
 * comes out as column i. */
static void transpose16(const uint8_t *img, int W, uint8_t *t, int H, int x0, int y0)
{
    static const int rev[16] = { 0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15 };
    __m128i r[16], s[16], any = _mm_setzero_si128();
    for (int i = 0; i < 16; i++) {
        r[i] = _mm_loadu_si128((const __m128i *)(const void *)(img + (size_t)(y0 + rev[i]) * (size_t)W + (size_t)x0));
        any = _mm_or_si128(any, r[i]);
    }
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(any, _mm_setzero_si128())) == 0xFFFF) { /* paper */
        for (int i = 0; i < 16; i++)
            _mm_storeu_si128((__m128i *)(void *)(t + (size_t)(x0 + i) * (size_t)H + (size_t)y0), any);
        return;
    }
    for (int k = 0; k < 8; k++) {
        s[2 * k] = _mm_unpacklo_epi8(r[k], r[k + 8]);
        s[2 * k + 1] = _mm_unpackhi_epi8(r[k], r[k + 8]);
    }
    for (int k = 0; k < 8; k++) {
        r[2 * k] = _mm_unpacklo_epi16(s[k], s[k + 8]);
        r[2 * k + 1] = _mm_unpackhi_epi16(s[k], s[k + 8]);
    }
    for (int k = 0; k < 8; k++) {
        s[2 * k] = _mm_unpacklo_epi32(r[k], r[k + 8]);
        s[2 * k + 1] = _mm_unpackhi_epi32(r[k], r[k + 8]);
    }
    for (int k = 0; k < 8; k++) {
        r[2 * k] = _mm_unpacklo_epi64(s[k], s[k + 8]);
        r[2 * k + 1] = _mm_unpackhi_epi64(s[k], s[k + 8]);
    }
    for (int i = 0; i < 16; i++)
        _mm_storeu_si128((__m128i *)(void *)(t + (size_t)(x0 + i) * (size_t)H + (size_t)y0), r[i]);
}
#endif

static uint8_t *transpose(const uint8_t *img, int W, int H)
{
    uint8_t *t = g_malloc((size_t)W * (size_t)H);
    int W8 = 0, H8 = 0;
#if BPX_RULING_SSE2
    W8 = W & ~15;
    H8 = H & ~15;
    for (int y0 = 0; y0 < H8; y0 += 16)
        for (int x0 = 0; x0 < W8; x0 += 16)
            transpose16(img, W, t, H, x0, y0);
#elif G_BYTE_ORDER == G_LITTLE_ENDIAN
    W8 = W & ~7;
    H8 = H & ~7;
    static const uint64_t keep[3] = { 0x00000000FFFFFFFFull, 0x0000FFFF0000FFFFull, 0x00FF00FF00FF00FFull };
    for (int y0 = 0; y0 < H8; y0 += 8)
        for (int x0 = 0; x0 < W8; x0 += 8) {
            uint64_t w[8], any = 0;
            for (int i = 0; i < 8; i++) {
                memcpy(&w[i], img + (size_t)(y0 + i) * (size_t)W + (size_t)x0, 8);
                any |= w[i];
            }
            if (!any) { /* paper: its transpose is paper */
                for (int i = 0; i < 8; i++)
                    memcpy(t + (size_t)(x0 + i) * (size_t)H + (size_t)y0, &any, 8);
                continue;
            }
            for (int round = 0, k = 4; k >= 1; round++, k /= 2)
                for (int i = 0; i < 8; i++)
                    if (!(i & k)) {
                        uint64_t d = ((w[i] >> (8 * k)) ^ w[i + k]) & keep[round];
                        w[i + k] ^= d;
                        w[i] ^= d << (8 * k);
                    }
            for (int i = 0; i < 8; i++)
                memcpy(t + (size_t)(x0 + i) * (size_t)H + (size_t)y0, &w[i], 8);
        }
#endif
    for (int y = 0; y < H; y++)
        for (int x = y < H8 ? W8 : 0; x < W; x++)
            t[(size_t)x * (size_t)H + (size_t)y] = img[(size_t)y * (size_t)W + (size_t)x];
    return t;
}

void bpx_ink_map_free(bpx_ink_map *map)
{
    if (!map)
        return;
    g_free(map->ink);
    g_free(map);
}

/* Within 1.5 px of a ruling: the pixel may hold the rule's ink. */
static gboolean near_rule(double px, double py, const bpx_page *page, double scale)
{
    double m = 1.5 / scale, x = px / scale, y = py / scale;
    for (size_t i = 0; i < page->n_hlines; i++) {
        const bpx_line *l = &page->hlines[i];
        if (fabs(y - l->y0) <= m && x >= l->x0 - m && x <= l->x1 + m)
            return TRUE;
    }
    for (size_t i = 0; i < page->n_vlines; i++) {
        const bpx_line *l = &page->vlines[i];
        if (fabs(x - l->x0) <= m && y >= l->y0 - m && y <= l->y1 + m)
            return TRUE;
    }
    return FALSE;
}

int bpx_ink_max_off_rules(const bpx_ink_map *map, const bpx_rect *box, const bpx_page *page, int enough)
{
    int x0 = MAX(iceil(box->x0 * map->scale - 0.5), 0), x1 = MIN(ifloor(box->x1 * map->scale - 0.5), map->width - 1);
    int y0 = MAX(iceil(box->y0 * map->scale - 0.5), 0), y1 = MIN(ifloor(box->y1 * map->scale - 0.5), map->height - 1);
    int most = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            int v = map->ink[(size_t)y * (size_t)map->width + (size_t)x];
            if (v > most && !near_rule(x + 0.5, y + 0.5, page, map->scale)) {
                most = v;
                if (most >= enough)
                    return most;
            }
        }
    return most;
}

/* The ink of pixel x of a row of a CAIRO_FORMAT_RGB24 image: 255 minus its
 * luminance (none for white paper). */
static inline uint8_t ink_of(const unsigned char *row, int x)
{
    uint32_t v;
    memcpy(&v, row + 4 * (size_t)x, sizeof v);
    v &= 0xFFFFFF;
    if (v == 0xFFFFFF)
        return 0;
    unsigned r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
    return (uint8_t)(255 - ((77 * r + 150 * g + 29 * b) >> 8));
}

/* Renders the page at dpi (turned by `turn`, 0, 90 or 270) into an ink
 * image (255 - luminance) of *W x *H pixels; NULL with *error set when the
 * page is too large or rendering fails. */
static uint8_t *render_ink(PopplerPage *page, double dpi, int turn, double page_w, double page_h,
                           int *W_out, int *H_out, GError **error)
{
    double w = page_w, h = page_h;
    if (turn == 90 || turn == 270) {
        w = page_h;
        h = page_w;
    }
    double scale = dpi / 72.0;
    double fw = w * scale, fh = h * scale;
    if (!(fw >= 0.5 && fh >= 0.5 && fw <= 32767 && fh <= 32767) ||
        fw * fh > (double)BPX_RULING_MAX_PIXELS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT,
                    "page of %.0fx%.0f pt is too large to look for rulings at %g dpi", w, h, dpi);
        return NULL;
    }
    int W = iceil(fw), H = iceil(fh);

    /* Render on white in colour: the PDFs paint white cell backgrounds, which
     * an alpha-only surface would take for ink.  The pixels are ours, made
     * white by a memset (cairo's own would be cleared to black first, then
     * painted: two passes over 4 bytes a pixel). */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, W);
    if (stride <= 0) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "cannot allocate a %dx%d image", W, H);
        return NULL;
    }
    unsigned char *pixels = g_malloc((size_t)stride * (size_t)H);
    memset(pixels, 0xFF, (size_t)stride * (size_t)H);
    cairo_surface_t *surf = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, W, H, stride);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "cannot allocate a %dx%d image: %s", W, H,
                    cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        g_free(pixels);
        return NULL;
    }
    cairo_t *cr = cairo_create(surf);
    if (turn == 270) { /* (x, y) -> (y, w - x) */
        cairo_matrix_t m;
        cairo_matrix_init(&m, 0, -scale, scale, 0, 0, scale * page_w);
        cairo_set_matrix(cr, &m);
    } else if (turn == 90) { /* (x, y) -> (h - y, x) */
        cairo_matrix_t m;
        cairo_matrix_init(&m, 0, scale, -scale, 0, scale * page_h, 0);
        cairo_set_matrix(cr, &m);
    } else {
        cairo_scale(cr, scale, scale);
    }
    poppler_page_render(page, cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "rendering failed: %s",
                    cairo_status_to_string(st));
        cairo_surface_destroy(surf);
        g_free(pixels);
        return NULL;
    }

    /* ink = 255 - luminance; paper (white, most of a page) eight pixels at
     * a time: four words of two pixels each, their colour bytes all set */
    uint8_t *ink = g_malloc((size_t)W * (size_t)H);
    const uint64_t white2 = 0x00FFFFFF00FFFFFFull;
    for (int y = 0; y < H; y++) {
        const unsigned char *row = pixels + (size_t)y * (size_t)stride;
        uint8_t *out = ink + (size_t)y * (size_t)W;
        int x = 0;
        for (; x + 8 <= W; x += 8) {
            uint64_t w[4];
            memcpy(w, row + 4 * (size_t)x, sizeof w);
            if ((w[0] & w[1] & w[2] & w[3] & white2) == white2) {
                memset(out + x, 0, 8);
                continue;
            }
            for (int k = x; k < x + 8; k++)
                out[k] = ink_of(row, k);
        }
        for (; x < W; x++)
            out[x] = ink_of(row, x);
    }
    cairo_surface_destroy(surf);
    g_free(pixels);
    *W_out = W;
    *H_out = H;
    return ink;
}

/* How many faint strokes an ink image (glyphs blanked) holds along its
 * n_lines lines of len pixels: runs at least min_len long (the caller asks
 * for a table's rule, longer than a stroke: the edges of glyph boxes left
 * unblanked make short faint runs) (bridging pale
 * gaps of one pixel) of pixels too pale to count as ink
 * (BPX_RULING_FAINT_MIN up to BPX_RULING_INK_MIN) that stand out from the
 * lines two before and after them (not a shade) and have no inked pixel
 * beside them (not the antialiased edge of a dark rule).  Stops at `enough`.
 * img is the image the scan reads (on a shaded page, the ink above the
 * background: a pale rule across a shaded header is too pale there, though
 * its pixels count as ink in the rendering); raw is the rendering, where a
 * faint pixel must stand out from the lines two before and after: on img a
 * shade's own edge does (its neighbour outside is paper, so nothing is taken
 * away from it), in the rendering it does not. */
static int faint_strokes(const uint8_t *img, const uint8_t *raw, int n_lines, int len, int min_len, int enough)
{
    const int thr = BPX_RULING_INK_MIN, lo = BPX_RULING_FAINT_MIN, d = BPX_RULING_BG_PX;
    int found = 0;
    for (int r = d; r + d < n_lines && found < enough; r++) {
        const uint8_t *p = img + (size_t)r * (size_t)len;
        const uint8_t *u1 = p - len, *d1 = p + len;
        const uint8_t *rp = raw + (size_t)r * (size_t)len;
        const uint8_t *u2 = rp - (size_t)d * (size_t)len, *d2 = rp + (size_t)d * (size_t)len;
        int run = 0, gap = 0;
        for (int x = 0; x < len; x++) {
            /* no run open and pixels none faint (too pale or dark): nothing happens */
#if BPX_RULING_SSE2
            if (run == 0 && x + 16 <= len) { /* to the first pixel that may be faint */
                unsigned m = between16(p + x, lo - 1, thr);
                if (!m) {
                    x += 15;
                    continue;
                }
                x += __builtin_ctz(m);
            } else
#endif
            if (run == 0 && x + 8 <= len && !any_between8(p + x, lo - 1, thr)) {
                x += 7;
                continue;
            }
            gboolean faint = p[x] >= lo && p[x] < thr && rp[x] >= MAX(u2[x], d2[x]) + lo &&
                             u1[x] < thr && d1[x] < thr;
            if (faint) {
                run += gap + 1;
                gap = 0;
            } else if (run > 0 && gap < BPX_RULING_MAX_GAP_PX) {
                gap++;
            } else {
                if (run >= min_len)
                    found++;
                run = gap = 0;
            }
        }
        if (run >= min_len)
            found++;
    }
    return found;
}

/* The bands an upright box's stroke test spans across the pass: where a
 * stroke at pos lies within the box, give or take t (as covered_by_text
 * computes it). */
static void bands_of_box(const glyphs_t *g, const box_t *bx, gboolean horizontal, double tol, int *k0, int *k1)
{
    double plo = horizontal ? bx->y0 : bx->x0, phi = horizontal ? bx->y1 : bx->x1;
    double t = BPX_RULING_TEXT_TOL_EM * (phi - plo);
    if (t < tol)
        t = tol;
    *k0 = band_of(g, plo - t);
    *k1 = band_of(g, phi + t);
}

/* The glyphs of a pass (glyphs_t) from boxes sorted along it; across: the
 * extent of the page across the pass (points), tol the scan's. */
static void along_pass(const box_t *boxes, size_t n, gboolean horizontal, double across, double tol,
                       glyphs_t *out)
{
    out->n_bands = (int)(across / GLYPH_BAND_PT) + 2;
    out->band = g_new0(glyph_set, out->n_bands);
    out->n_upright = 0;
    size_t total = 0, n_turned = 0;
    int k0, k1;
    for (size_t i = 0; i < n; i++) {
        if (boxes[i].askew) {
            n_turned++;
            continue;
        }
        out->n_upright++;
        bands_of_box(out, &boxes[i], horizontal, tol, &k0, &k1);
        for (int k = k0; k <= k1; k++)
            out->band[k].n++;
        total += (size_t)(k1 - k0 + 1);
    }
    out->store = g_new(box_t, total + n_turned + 1);
    out->reach = g_new(double, total + n_turned + 1);
    size_t at = 0;
    for (int k = 0; k < out->n_bands; k++) {
        out->band[k].box = out->store + at;
        out->band[k].reach = out->reach + at;
        at += out->band[k].n;
        out->band[k].n = 0;
    }
    out->turned = (glyph_set){ out->store + at, out->reach + at, 0 };
    for (size_t i = 0; i < n; i++) {
        const box_t *bx = &boxes[i];
        double end = horizontal ? bx->x1 : bx->y1;
        if (bx->askew) {
            glyph_set *s = &out->turned;
            s->box[s->n] = *bx;
            s->reach[s->n] = s->n ? MAX(s->reach[s->n - 1], end) : end;
            s->n++;
            continue;
        }
        bands_of_box(out, bx, horizontal, tol, &k0, &k1);
        for (int k = k0; k <= k1; k++) {
            glyph_set *s = &out->band[k];
            s->box[s->n] = *bx;
            s->reach[s->n] = s->n ? MAX(s->reach[s->n - 1], end) : end;
            s->n++;
        }
    }
}

static void along_pass_free(glyphs_t *g)
{
    g_free(g->band);
    g_free(g->store);
    g_free(g->reach);
}

/* The strokes of one rendering (see the essay): ink is the rendering, W x H
 * pixels at dpi, glyphs the page's glyph boxes (glyph_boxes); on return it has the glyphs blanked.  *orig_out receives
 * the rendering as it was (ink itself when there are no glyphs), *faint the
 * number of faint strokes seen (up to BPX_RULING_FAINT_STROKES) when faint
 * is not NULL.  pair: pale pixels count with their neighbours (inked()). */
static void strokes_of(const box_t *glyphs, size_t n_boxes, uint8_t *ink, int W, int H, double dpi,
                       gboolean pair, GArray *hlines, GArray *vlines, uint8_t **orig_out, int *faint)
{
    double scale = dpi / 72.0;
    /* a copy: sorted, and its turned glyphs' ink read, at this resolution */
    box_t *boxes = n_boxes ? g_memdup2(glyphs, n_boxes * sizeof *glyphs) : NULL;
    uint8_t *orig = ink;
    if (n_boxes) {
        orig = g_malloc((size_t)W * (size_t)H);
        memcpy(orig, ink, (size_t)W * (size_t)H);
        mask_glyphs(ink, W, H, scale, boxes, n_boxes);
        askew_ink(boxes, n_boxes, ink, W, H, scale, BPX_RULING_INK_MIN, BPX_RULING_MAX_GAP_PX,
                  min_len_px(dpi));
    }

    /* each pass looks at the ink above its background across the strokes it
     * looks for; the vertical pass on the transposes (of the rendering as
     * it was, only on a shaded page: elsewhere it is read where it lies) */
    gboolean shaded = has_shading(ink, W, H, 5 * min_len_px(dpi));
    gboolean masked = orig != ink;
    uint8_t *hink = shaded ? above_background(ink, H, W) : ink;
    uint8_t *horig = !masked ? hink : shaded ? above_background(orig, H, W) : orig;
    uint8_t *tink = transpose(ink, W, H);
    uint8_t *torig = masked && shaded ? transpose(orig, W, H) : tink;
    uint8_t *vink = shaded ? above_background(tink, W, H) : tink;
    uint8_t *vorig = !masked ? vink : shaded ? above_background(torig, W, H) : NULL;
    view_t hview = { horig, (size_t)W, 1 };
    view_t vview = vorig ? (view_t){ vorig, (size_t)H, 1 } : (view_t){ orig, 1, (size_t)W };

    if (faint) {
        int want = BPX_RULING_FAINT_STROKES;
        int rule = BPX_RULING_FAINT_LEN * min_len_px(dpi);
        *faint = faint_strokes(hink, ink, H, W, rule, want);
        if (*faint < want)
            *faint += faint_strokes(vink, tink, W, H, rule, want - *faint);
    }

    glyphs_t along;
    const double tol = BPX_RULING_TEXT_TOL_PX * (72.0 / dpi); /* as scan's */
    if (n_boxes)
        qsort(boxes, n_boxes, sizeof *boxes, cmp_box_x);
    along_pass(boxes, n_boxes, TRUE, H / scale, tol, &along);
    scan(hink, &hview, masked, ink, H, W, dpi, TRUE, pair, &along, hlines);
    along_pass_free(&along);
    if (n_boxes)
        qsort(boxes, n_boxes, sizeof *boxes, cmp_box_y);
    along_pass(boxes, n_boxes, FALSE, W / scale, tol, &along);
    scan(vink, &vview, masked, tink, W, H, dpi, FALSE, pair, &along, vlines);
    along_pass_free(&along);

    if (shaded) {
        if (vorig != vink)
            g_free(vorig);
        g_free(vink);
        if (horig != hink)
            g_free(horig);
        g_free(hink);
    }
    if (torig != tink)
        g_free(torig);
    g_free(tink);
    g_free(boxes);
    *orig_out = orig;
}

/* How many faint strokes (faint_strokes, both ways) the rendering ink
 * (W x H at dpi, left as it is) shows once its glyphs are blanked, up to
 * BPX_RULING_FAINT_STROKES. */
static int faint_in(const box_t *boxes, size_t n_boxes, const uint8_t *ink, int W, int H, double dpi)
{
    uint8_t *img = g_memdup2(ink, (gsize)W * (gsize)H);
    if (n_boxes)
        mask_glyphs(img, W, H, dpi / 72.0, boxes, n_boxes);
    int want = BPX_RULING_FAINT_STROKES, rule = BPX_RULING_FAINT_LEN * min_len_px(dpi);
    /* as strokes_of looks: above the background on a shaded page */
    gboolean shaded = has_shading(img, W, H, 5 * min_len_px(dpi));
    uint8_t *h = shaded ? above_background(img, H, W) : img;
    int faint = faint_strokes(h, img, H, W, rule, want);
    if (faint < want) {
        uint8_t *t = transpose(img, W, H);
        uint8_t *v = shaded ? above_background(t, W, H) : t;
        faint += faint_strokes(v, t, W, H, rule, want - faint);
        if (v != t)
            g_free(v);
        g_free(t);
    }
    if (h != img)
        g_free(h);
    g_free(img);
    return faint;
}

/* The fine rendering (fW x fH) brought down to W x H by averaging blocks of
 * zoom x zoom pixels: what the rendering at the coarser resolution shows. */
static uint8_t *coarser(const uint8_t *fine, int fW, int fH, int W, int H, int zoom)
{
    uint8_t *out = g_malloc((size_t)W * (size_t)H);
    for (int y = 0; y < H; y++) {
        uint8_t *o = out + (size_t)y * (size_t)W;
        int x = 0;
        if (zoom == 2 && 2 * y + 1 < fH) { /* whole blocks, the usual case */
            const uint8_t *f0 = fine + (size_t)(2 * y) * (size_t)fW, *f1 = f0 + fW;
            int whole = fW / 2; /* the blocks that fit */
            for (; x < whole; x++) {
                if (x + 8 <= whole) { /* 8 blocks of paper: paper */
                    uint64_t a[2], b[2];
                    memcpy(a, f0 + 2 * x, sizeof a);
                    memcpy(b, f1 + 2 * x, sizeof b);
                    if (!(a[0] | a[1] | b[0] | b[1])) {
                        memset(o + x, 0, 8);
                        x += 7;
                        continue;
                    }
                }
                o[x] = (uint8_t)((f0[2 * x] + f0[2 * x + 1] + f1[2 * x] + f1[2 * x + 1]) / 4);
            }
        }
        for (; x < W; x++) {
            int sum = 0, n = 0;
            for (int dy = 0; dy < zoom && y * zoom + dy < fH; dy++)
                for (int dx = 0; dx < zoom && x * zoom + dx < fW; dx++, n++)
                    sum += fine[(size_t)(y * zoom + dy) * (size_t)fW + (size_t)(x * zoom + dx)];
            o[x] = (uint8_t)(n ? sum / n : 0);
        }
    }
    return out;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* How much larger than printed the page must be looked at for its text to
 * stand as tall in pixels as full-size print does: BPX_RULING_PRINT_EM_PT
 * over the height of its small print (the lower quartile of its upright
 * glyph boxes' heights: the table's body text, not the titles and headers
 * that a page with few rows has as much of), at most
 * BPX_RULING_MAX_MAGNIFY; 1 for a page with fewer than
 * BPX_RULING_PRINT_MIN_GLYPHS glyphs or text of full size. */
static double print_magnification(const box_t *glyphs, size_t n)
{
    double *height = g_new(double, n ? n : 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!glyphs[i].askew)
            height[m++] = glyphs[i].y1 - glyphs[i].y0;
    double mag = 1.0;
    if (m >= BPX_RULING_PRINT_MIN_GLYPHS) {
        qsort(height, m, sizeof *height, cmp_double);
        double small = height[m / 4];
        if (small > 0 && small < BPX_RULING_PRINT_EM_PT)
            mag = MIN(BPX_RULING_PRINT_EM_PT / small, BPX_RULING_MAX_MAGNIFY);
    }
    g_free(height);
    return mag;
}

/* The strokes of a page printed small, looked for as full-size print:
 * the page rendered mag times finer and its glyph boxes made mag times
 * larger, so that every threshold in points (the shortest stroke, the
 * thickness of a stroke, the text tests) and in pixels meets the page as
 * it meets full-size print; the strokes found are brought back to the
 * page's points.  *orig_out receives the finer rendering as it was (the
 * caller's ink map: its tests in pixels meet the page as full-size print
 * too), *W and *H its size.  FALSE (nothing changed) when the finer
 * rendering fails (too large). */
static gboolean magnified_strokes(PopplerPage *page, const box_t *glyphs, size_t n_glyphs, double dpi,
                                  double mag, int turn, double page_w, double page_h, GArray *h,
                                  GArray *v, uint8_t **orig_out, int *W, int *H)
{
    int mW = 0, mH = 0;
    uint8_t *mink = render_ink(page, dpi * mag, turn, page_w, page_h, &mW, &mH, NULL);
    if (!mink)
        return FALSE;
    box_t *boxes = n_glyphs ? g_memdup2(glyphs, n_glyphs * sizeof *glyphs) : NULL;
    for (size_t i = 0; i < n_glyphs; i++) {
        box_t *b = &boxes[i];
        b->x0 *= mag, b->y0 *= mag, b->x1 *= mag, b->y1 *= mag;
        b->px *= mag, b->py *= mag, b->ux *= mag, b->uy *= mag, b->vx *= mag, b->vy *= mag;
    }
    uint8_t *morig = NULL;
    g_array_set_size(h, 0);
    g_array_set_size(v, 0);
    strokes_of(boxes, n_glyphs, mink, mW, mH, dpi, FALSE, h, v, &morig, NULL);
    for (guint i = 0; i < h->len; i++) {
        bpx_line *l = &g_array_index(h, bpx_line, i);
        l->x0 /= mag, l->y0 /= mag, l->x1 /= mag, l->y1 /= mag;
    }
    for (guint i = 0; i < v->len; i++) {
        bpx_line *l = &g_array_index(v, bpx_line, i);
        l->x0 /= mag, l->y0 /= mag, l->x1 /= mag, l->y1 /= mag;
    }
    if (morig != mink)
        g_free(mink);
    g_free(boxes);
    *orig_out = morig;
    *W = mW;
    *H = mH;
    return TRUE;
}

gboolean bpx_find_rulings(PopplerPage *page, double dpi, int turn, gboolean *fine_hint,
                          GArray *hlines, GArray *vlines, bpx_ink_map **ink_out, GError **error)
{
    bpx_text_layer layer = { 0 };
    gboolean ok = bpx_find_rulings_with_text(page, &layer, dpi, turn, fine_hint, hlines, vlines, ink_out, error);
    bpx_text_layer_clear(&layer);
    return ok;
}

gboolean bpx_find_rulings_with_text(PopplerPage *page, bpx_text_layer *layer, double dpi, int turn,
                                    gboolean *fine_hint, GArray *hlines, GArray *vlines, bpx_ink_map **ink_out,
                                    GError **error)
{
    if (ink_out)
        *ink_out = NULL;
    g_return_val_if_fail(POPPLER_IS_PAGE(page), FALSE);
    g_return_val_if_fail(hlines != NULL && vlines != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

    if (!(dpi >= 9.0 && dpi <= 600.0)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "ruling resolution %g dpi out of range",
                    dpi);
        return FALSE;
    }
    double page_w = 0, page_h = 0;
    poppler_page_get_size(page, &page_w, &page_h); /* displayed size: /Rotate applied */
    if (turn != 90 && turn != 270)
        turn = 0;
    const int zoom = (int)BPX_RULING_FAINT_ZOOM;
    double fine = dpi * zoom;
    gboolean can_zoom = fine <= 600.0;
    GArray *h = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    GArray *v = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    uint8_t *ink = NULL, *orig = NULL;
    int W = 0, H = 0, faint = 0;
    double map_dpi = dpi; /* the resolution of orig, the caller's ink map */
    /* the glyph boxes, in points: read once for every rendering of the page */
    box_t *glyphs = NULL;
    size_t n_glyphs = 0;
    gboolean glyphs_read = FALSE;

    /* a page of a document whose last page had pale rules: looked at
     * finely at once, and at the coarser resolution in the fine rendering
     * brought down (for the caller's ink map and the next page's hint) */
    if (fine_hint && *fine_hint && can_zoom) {
        int fW = 0, fH = 0;
        uint8_t *fink = render_ink(page, fine, turn, page_w, page_h, &fW, &fH, NULL);
        if (fink) {
            glyphs = glyph_boxes(page, layer, turn, page_w, page_h, &n_glyphs);
            glyphs_read = TRUE;
            W = (fW + zoom - 1) / zoom;
            H = (fH + zoom - 1) / zoom;
            ink = coarser(fink, fW, fH, W, H, zoom);
            faint = faint_in(glyphs, n_glyphs, ink, W, H, dpi);
            uint8_t *forig = NULL;
            strokes_of(glyphs, n_glyphs, fink, fW, fH, fine, TRUE, h, v, &forig, NULL);
            if (forig != fink)
                g_free(forig);
            g_free(fink);
            orig = ink;
        }
    }
    if (!ink) {
        ink = render_ink(page, dpi, turn, page_w, page_h, &W, &H, error);
        if (!ink) {
            g_array_free(h, TRUE);
            g_array_free(v, TRUE);
            g_free(glyphs);
            return FALSE;
        }
        if (!glyphs_read) /* (after the rendering, which laid out the text) */
            glyphs = glyph_boxes(page, layer, turn, page_w, page_h, &n_glyphs);
        strokes_of(glyphs, n_glyphs, ink, W, H, dpi, FALSE, h, v, &orig, can_zoom ? &faint : NULL);

        /* pale hairlines and thin pale rules: looked for again, at a finer
         * resolution, where the rendering shows faint strokes */
        if (faint >= BPX_RULING_FAINT_STROKES) {
            int fW = 0, fH = 0;
            uint8_t *fink = render_ink(page, fine, turn, page_w, page_h, &fW, &fH, NULL);
            if (fink) {
                uint8_t *forig = NULL;
                g_array_set_size(h, 0);
                g_array_set_size(v, 0);
                strokes_of(glyphs, n_glyphs, fink, fW, fH, fine, TRUE, h, v, &forig, NULL);
                if (forig != fink)
                    g_free(forig);
                g_free(fink);
            }
        }
    }
    /* small print (a page shrunk to fit the paper): looked at as full-size
     * print, unless the page was looked at finely already */
    if (faint < BPX_RULING_FAINT_STROKES && !(fine_hint && *fine_hint)) {
        double mag = print_magnification(glyphs, n_glyphs);
        uint8_t *morig = NULL;
        int mW = 0, mH = 0;
        if (mag > 1.0 && magnified_strokes(page, glyphs, n_glyphs, dpi, mag, turn, page_w, page_h, h, v,
                                           &morig, &mW, &mH)) {
            /* the caller's ink map: the finer rendering where glyphs are
             * too small for the tests in pixels it makes (a glyph's ink 1.5
             * px off the rules finds no pixel of a glyph 2 px tall) */
            double glyph_px = BPX_RULING_PRINT_EM_PT / mag * dpi / 72.0; /* at dpi */
            if (glyph_px < BPX_RULING_MAP_MIN_GLYPH_PX) {
                if (orig != ink)
                    g_free(orig);
                orig = morig;
                map_dpi = dpi * mag;
                W = mW;
                H = mH;
            } else {
                g_free(morig);
            }
        }
    }
    if (fine_hint)
        *fine_hint = faint >= BPX_RULING_FAINT_STROKES;
    g_array_append_vals(hlines, h->data, h->len);
    g_array_append_vals(vlines, v->data, v->len);
    g_array_free(h, TRUE);
    g_array_free(v, TRUE);
    g_free(glyphs);

    if (ink_out) { /* the rendering as it was, glyphs unmasked */
        bpx_ink_map *map = g_new(bpx_ink_map, 1);
        *map = (bpx_ink_map){.width = W, .height = H, .scale = map_dpi / 72.0, .ink = orig};
        *ink_out = map;
        if (orig == ink)
            ink = NULL;
    } else if (orig != ink) {
        g_free(orig);
    }
    g_free(ink);
    return TRUE;
}

gboolean bpx_find_rulings_in_ink(const uint8_t *ink, int W, int H, double dpi, GArray *hlines, GArray *vlines)
{
    g_return_val_if_fail(ink != NULL && hlines != NULL && vlines != NULL, FALSE);
    if (W <= 0 || H <= 0 || !(dpi >= 9.0 && dpi <= 600.0) || (double)W * H > (double)BPX_RULING_MAX_PIXELS)
        return FALSE;
    /* as bpx_find_rulings() after its rendering, with no glyph boxes */
    gboolean shaded = has_shading(ink, W, H, 5 * min_len_px(dpi));
    uint8_t *hink = shaded ? above_background(ink, H, W) : (uint8_t *)ink;
    uint8_t *tink = transpose(ink, W, H);
    uint8_t *vink = shaded ? above_background(tink, W, H) : tink;
    glyph_set empty = { NULL, NULL, 0 };
    const glyphs_t none = { &empty, empty, 1, 0, NULL, NULL };
    view_t hview = { hink, (size_t)W, 1 }, vview = { vink, (size_t)H, 1 };
    scan(hink, &hview, FALSE, ink, H, W, dpi, TRUE, FALSE, &none, hlines);
    scan(vink, &vview, FALSE, tink, W, H, dpi, FALSE, FALSE, &none, vlines);
    if (shaded) {
        g_free(hink);
        g_free(vink);
    }
    g_free(tink);
    return TRUE;
}
