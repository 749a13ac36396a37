/* extract.c — open a PDF with poppler-glib and turn each page into characters
 * (with box, size, colour, direction) and ruled lines.
 *
 * poppler_page_get_text() and poppler_page_get_text_layout() agree one to one:
 * the n-th UTF-8 character of the text has the n-th rectangle, newlines
 * included.  poppler breaks the text into lines in its own reading order; we
 * keep that order (normalize re-sorts by geometry) and use the lines only to
 * tell a character's direction: along a horizontal line the boxes step in x,
 * along a vertical one in y.  poppler puts each glyph of rotated (diagonal)
 * text on a line of its own, so a lone glyph whose nearest lone neighbour of
 * the same size sits diagonally away belongs to diagonal text — in budget
 * disclosures that is a watermark.
 *
 * Two more things are read off each page.  A glyph the rendering shows no
 * ink for is hidden (mark_hidden: clipped or covered text).  A page whose
 * text runs down or up it (a landscape table set sideways on a portrait
 * page, without the /Rotate that would show it upright) is turned, so that
 * the later stages see upright text whatever the page's orientation
 * (sideways_turn; its rulings are found again in a turned rendering).
 * Such a page is read again from the file rewritten to show it upright
 * where the file's page tree can be rewritten (read_upright): poppler-glib
 * lays out text that runs down the page with glyphs missing.
 */
#include "extract/extract.h"
#include "extract/ahead.h"
#include "extract/filemap.h"
#include "extract/ocr.h"
#include "extract/pagetree.h"
#include "extract/pagewire.h"
#include "extract/plan.h"
#include "extract/ruling.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

G_DEFINE_QUARK(bpx-error-quark, bpx_error)

static uint32_t color_of(const PopplerColor *c)
{
    return ((uint32_t)(c->red >> 8) << 16) | ((uint32_t)(c->green >> 8) << 8) | (uint32_t)(c->blue >> 8);
}

static double cx(const bpx_char *c) { return (c->box.x0 + c->box.x1) / 2; }
static double cy(const bpx_char *c) { return (c->box.y0 + c->box.y1) / 2; }

/* Direction of the step from a to b, measured in units of the font size. */
static bpx_direction step_direction(const bpx_char *a, const bpx_char *b)
{
    double fs = a->font_size > 1 ? a->font_size : 10;
    double dx = fabs(cx(b) - cx(a)) / fs, dy = fabs(cy(b) - cy(a)) / fs;
    /* (two glyphs of neighbouring table cells a few points apart in height
     * also step like this: mark_diagonal_styles() takes them back) */
    if (dx > 0.3 && dy > 0.3)
        return BPX_DIR_DIAGONAL;
    if (dy > 0.5 && dx < 0.2)
        return BPX_DIR_VERTICAL;
    return BPX_DIR_HORIZONTAL;
}

static gboolean adjacent(const bpx_char *a, const bpx_char *b)
{
    double fs = MAX(a->font_size, 4);
    return hypot(cx(b) - cx(a), cy(b) - cy(a)) < 2.0 * fs;
}

typedef struct {
    double x;
    size_t index;
} lone_glyph;

static int lone_order(const void *p, const void *q)
{
    const lone_glyph *a = p, *b = q;
    return (a->x > b->x) - (a->x < b->x);
}

/* Marks lone glyphs that line up diagonally with another lone glyph of the
 * same size and colour (see the essay above).  Only a neighbour closer than
 * 2.5 font sizes counts, so the glyphs are sorted by x and each looks only
 * that far either way: a page of scattered single glyphs stays linear-ish. */
static void mark_diagonal_singletons(bpx_char *chars, const size_t *lone, size_t n_lone)
{
    lone_glyph *by_x = g_new(lone_glyph, n_lone ? n_lone : 1);
    for (size_t i = 0; i < n_lone; i++)
        by_x[i] = (lone_glyph){cx(&chars[lone[i]]), lone[i]};
    qsort(by_x, n_lone, sizeof *by_x, lone_order);
    for (size_t i = 0; i < n_lone; i++) {
        bpx_char *a = &chars[by_x[i].index];
        double reach = 2.5 * a->font_size, best = INFINITY;
        const bpx_char *nearest = NULL;
        for (int side = -1; side <= 1; side += 2)
            for (size_t j = i; side < 0 ? j-- > 0 : ++j < n_lone;) {
                if (fabs(by_x[j].x - by_x[i].x) >= reach)
                    break;
                const bpx_char *b = &chars[by_x[j].index];
                if (fabsf(a->font_size - b->font_size) > 0.5f || a->color != b->color)
                    continue;
                double d = hypot(cx(a) - cx(b), cy(a) - cy(b));
                if (d < best) {
                    best = d;
                    nearest = b;
                }
            }
        if (nearest && best < reach && step_direction(a, nearest) == BPX_DIR_DIAGONAL)
            a->dir = BPX_DIR_DIAGONAL;
    }
    g_free(by_x);
}

/* A watermark is drawn in one style (size and colour) of its own: when most
 * glyphs of a style run diagonally, the rest of that style belongs to the
 * same watermark even where poppler put a glyph on a line with content; when
 * few do, they are body text. */
static void mark_diagonal_styles(bpx_char *chars, size_t n)
{
    typedef struct {
        float size;
        uint32_t color;
        int total, diagonal;
    } style;
    GArray *styles = g_array_new(FALSE, FALSE, sizeof(style));
    guint *which = g_new(guint, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        guint k = 0;
        while (k < styles->len && (g_array_index(styles, style, k).color != chars[i].color ||
                                   fabsf(g_array_index(styles, style, k).size - chars[i].font_size) > 0.05f))
            k++;
        if (k == styles->len) {
            style st = {chars[i].font_size, chars[i].color, 0, 0};
            g_array_append_val(styles, st);
        }
        which[i] = k;
        g_array_index(styles, style, k).total++;
        g_array_index(styles, style, k).diagonal += chars[i].dir == BPX_DIR_DIAGONAL;
    }
    /* a style mostly diagonal is the watermark's; a few diagonal steps in a
     * style mostly upright are body text laid out oddly (a lone such glyph
     * stays diagonal: it has no style of its own to judge by) */
    for (size_t i = 0; i < n; i++) {
        const style *st = &g_array_index(styles, style, which[i]);
        if (st->diagonal >= 3 && 2 * st->diagonal >= st->total)
            chars[i].dir = BPX_DIR_DIAGONAL;
        else if (chars[i].dir == BPX_DIR_DIAGONAL && st->total >= 10 && 4 * st->diagonal < st->total)
            chars[i].dir = BPX_DIR_HORIZONTAL;
    }
    g_free(which);
    g_array_free(styles, TRUE);
}

/* Ink below this (0..255) anywhere in a glyph's box means nothing is shown
 * there.  At the ruling resolution the faintest visible ideograph of the
 * development corpus (a thin 一 of 9 pt) still reaches 29; paper is 0. */
#ifndef BPX_HIDDEN_INK_MAX
#define BPX_HIDDEN_INK_MAX 8
#endif

static gboolean ideograph(gunichar cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FA1F);
}

/* Marks the glyphs that the text layer holds but the page does not show.
 * Excel clips a cell's overflowing text at the cell's edge, yet the whole
 * string stays in the text layer ("采购组织形" shown, "式" drawn under the
 * rule and clipped away); white text and text under a later fill are the
 * same case.  Only upright ideographs in a dark colour are judged (pale
 * glyphs are the watermarks' business): one is hidden when the rendering
 * shows no ink anywhere in its box, the pixels next to a ruling (which a
 * box may touch) left out. */
static void mark_hidden(bpx_char *chars, size_t n, const bpx_ink_map *ink, const bpx_page *page)
{
    for (size_t i = 0; i < n; i++) {
        bpx_char *c = &chars[i];
        unsigned r = c->color >> 16 & 0xFF, g = c->color >> 8 & 0xFF, b = c->color & 0xFF;
        gboolean pale = (77 * r + 150 * g + 29 * b) >> 8 > 0x90;
        if (c->dir != BPX_DIR_HORIZONTAL || !ideograph(c->cp) || (pale && c->color != 0xFFFFFF))
            continue;
        /* a glyph smaller than the pixels' spacing cannot be judged */
        if ((c->box.x1 - c->box.x0) * ink->scale < 2 || (c->box.y1 - c->box.y0) * ink->scale < 2)
            continue;
        c->hidden = bpx_ink_max_off_rules(ink, &c->box, page, BPX_HIDDEN_INK_MAX) < BPX_HIDDEN_INK_MAX;
    }
}

/* The unified ideograph a Kangxi radical or CJK radical supplement code
 * point stands for (its compatibility decomposition: ⼯ U+2F2F is 工
 * U+5DE5), or 0.  A font's cmap often maps one glyph from both the radical
 * and the ideograph, and a writer that builds the ToUnicode map from the
 * cmap (cairo, some Word and WPS exports) may pick the radical: the page
 * prints the ideograph, and a reader that compares words (titles, labels,
 * the vocabulary) must see it. */
gunichar bpx_radical_ideograph(gunichar cp)
{
    if (cp < 0x2E80 || cp > 0x2FDF)
        return 0;
    gunichar d[4];
    gsize n = g_unichar_fully_decompose(cp, TRUE, d, G_N_ELEMENTS(d));
    return n == 1 && ideograph(d[0]) ? d[0] : 0;
}

/* A glyph's box is as tall as its font's ascent and descent say, and
 * fonts say very different things: 1 em for the fixtures' and most
 * exports', 1.26 em for the same glyphs rewritten by cairo, 1.32 em for
 * Microsoft YaHei.  Lines set close (a wrapped cell, 1.1 em apart) then
 * have boxes that overlap, and a line of text is read as two lines
 * interleaved.  So an upright glyph box taller than BPX_TALL_GLYPH of its
 * font size is cut to the font size about its middle, where the glyph's
 * ink lies whatever the font says (the rulings' search keeps poppler's
 * boxes: they blank all of a glyph's ink). */
#ifndef BPX_TALL_GLYPH
#define BPX_TALL_GLYPH 1.15
#endif

static void trim_tall_box(bpx_char *c)
{
    double fs = c->font_size, h = c->box.y1 - c->box.y0;
    if (c->dir != BPX_DIR_HORIZONTAL || fs <= 1 || h <= BPX_TALL_GLYPH * fs)
        return;
    double mid = (c->box.y0 + c->box.y1) / 2;
    c->box.y0 = mid - fs / 2;
    c->box.y1 = mid + fs / 2;
}

static void read_text(PopplerPage *page, bpx_text_layer *layer, bpx_page *out)
{
    bpx_text_layer_read(page, layer);
    const char *text = layer->text;
    const PopplerRectangle *rects = layer->rects;
    guint n_rects = layer->n_rects;
    if (!text || !layer->has_layout)
        return;
    /* font size and colour per character index */
    GList *attrs = layer->attrs;

    out->chars = g_new0(bpx_char, n_rects ? n_rects : 1);
    GArray *lone = g_array_new(FALSE, FALSE, sizeof(size_t));
    size_t line_start = 0, n = 0;
    GList *attr = attrs;
    const char *s = text;
    for (guint i = 0; i < n_rects && *s; i++, s = g_utf8_next_char(s)) {
        gunichar cp = g_utf8_get_char(s);
        while (attr && ((PopplerTextAttributes *)attr->data)->end_index < (int)i)
            attr = attr->next;
        if (cp == '\n') {
            if (n - line_start == 1)
                g_array_append_val(lone, line_start);
            line_start = n;
            continue;
        }
        if (g_unichar_isspace(cp) || cp == 0xFFFD || cp == 0)
            continue;
        bpx_char *c = &out->chars[n];
        c->cp = cp;
        gunichar unified = bpx_radical_ideograph(cp);
        if (unified)
            c->cp = unified;
        c->box.x0 = MIN(rects[i].x1, rects[i].x2);
        c->box.x1 = MAX(rects[i].x1, rects[i].x2);
        c->box.y0 = MIN(rects[i].y1, rects[i].y2);
        c->box.y1 = MAX(rects[i].y1, rects[i].y2);
        if (attr && ((PopplerTextAttributes *)attr->data)->start_index <= (int)i) {
            PopplerTextAttributes *a = attr->data;
            c->font_size = (float)a->font_size;
            c->color = color_of(&a->color);
        } else {
            c->font_size = (float)(c->box.y1 - c->box.y0);
        }
        /* only a step to an adjacent glyph says anything about direction:
         * poppler also joins far-apart runs (two table cells) into a line */
        if (n > line_start && adjacent(&out->chars[n - 1], c)) {
            bpx_direction d = step_direction(&out->chars[n - 1], c);
            c->dir = (uint8_t)d;
            if (out->chars[n - 1].dir == BPX_DIR_HORIZONTAL)
                out->chars[n - 1].dir = (uint8_t)d;
        }
        n++;
    }
    if (n - line_start == 1)
        g_array_append_val(lone, line_start);
    out->n_chars = n;
    mark_diagonal_singletons(out->chars, (const size_t *)(void *)lone->data, lone->len);
    mark_diagonal_styles(out->chars, n);
    for (size_t i = 0; i < n; i++)
        trim_tall_box(&out->chars[i]);
    g_array_free(lone, TRUE);
}

/* A page turned sideways: a landscape table set on a portrait page (or the
 * other way round) without a /Rotate to show it upright.  poppler then lays
 * the text out along its turned baseline, so the steps between adjacent
 * glyphs of a line run down (or up) the page.  When most of the page's
 * measured steps do, the page is turned back: every box and line is mapped
 * into the frame of the page as one would hold it to read it, where the
 * rest of the program expects text.  Glyphs stacked in a tall cell (a
 * vertical label) step down too, but a few of them against the horizontal
 * text of the page around them do not turn it. */
#ifndef BPX_TURN_MIN_STEPS
#define BPX_TURN_MIN_STEPS 6 /* steps a page needs to be judged */
#endif
#ifndef BPX_TURN_MIN_THIN_STEPS
#define BPX_TURN_MIN_THIN_STEPS 2 /* ... when all of them run one way down or up */
#endif
#ifndef BPX_TURN_LONE_GLYPHS
#define BPX_TURN_LONE_GLYPHS 3 /* a page of so few glyphs, no two adjacent: turned as the page before */
#endif

static bpx_rect turn_rect(bpx_rect r, int turned, double w, double h)
{
    if (turned == 270) /* text ran down: (x, y) -> (y, w - x) */
        return (bpx_rect){r.y0, w - r.x1, r.y1, w - r.x0};
    return (bpx_rect){h - r.y1, r.x0, h - r.y0, r.x1}; /* ran up: (x, y) -> (h - y, x) */
}

/* 0, or how far to turn the page (clockwise) to read its text upright;
 * before: the page before's turn (0 for the first page). */
static int sideways_turn(const bpx_page *p, int before)
{
    /* the steps themselves, not bpx_char.dir: a step of dot leaders is
     * shorter than the half font size that dir asks of a vertical one */
    size_t across = 0, down = 0, up = 0;
    for (size_t i = 1; i < p->n_chars; i++) {
        const bpx_char *a = &p->chars[i - 1], *b = &p->chars[i];
        if (!adjacent(a, b) || a->dir == BPX_DIR_DIAGONAL || b->dir == BPX_DIR_DIAGONAL)
            continue;
        double dx = cx(b) - cx(a), dy = cy(b) - cy(a);
        if (fabs(dx) > 2 * fabs(dy))
            across++;
        else if (fabs(dy) > 2 * fabs(dx))
            (void)(dy > 0 ? down++ : up++);
    }
    size_t sideways = MAX(down, up);
    int way = down > up ? 270 : 90; /* text running down reads after a turn by 270 */
    /* A page too thin to judge by the count: a sheet that holds only its
     * page number ("- 1 -", "10") among sideways sheets.  Sheets come in
     * runs, so its few steps are enough when every one of them runs the
     * same way down or up the page and none across: two steps, or one
     * running the way the page before was turned; a page without a single
     * step (a one-glyph page number) is turned as the page before was. */
    if (across == 0 && MIN(down, up) == 0) {
        if (sideways >= BPX_TURN_MIN_THIN_STEPS || (sideways >= 1 && way == before))
            return way;
        if (sideways == 0 && p->n_chars > 0 && p->n_chars <= BPX_TURN_LONE_GLYPHS)
            return before;
    }
    if (sideways < BPX_TURN_MIN_STEPS || sideways < 3 * across || MIN(down, up) * 4 > sideways)
        return 0;
    return way;
}

/* Turns the page's characters (lines are found again in the turned
 * rendering: the glyph tests of the ruling detector want upright text). */
static void turn_chars(bpx_page *p, int turn)
{
    double w = p->width, h = p->height;
    for (size_t i = 0; i < p->n_chars; i++) {
        bpx_char *c = &p->chars[i];
        c->box = turn_rect(c->box, turn, w, h);
        if (c->dir == BPX_DIR_VERTICAL)
            c->dir = BPX_DIR_HORIZONTAL;
    }
    p->turned = turn;
    p->width = h;
    p->height = w;
}

static gboolean find_rulings(PopplerPage *page, bpx_text_layer *layer, int turn, gboolean *fine_hint, bpx_page *out,
                             bpx_ink_map **ink, GError **error)
{
    GArray *h = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    GArray *v = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    gboolean ok = bpx_find_rulings_with_text(page, layer, BPX_RULING_DPI, turn, fine_hint, h, v, ink, error);
    out->ruled = ok;
    out->n_hlines = h->len;
    out->n_vlines = v->len;
    out->hlines = (bpx_line *)(void *)g_array_free(h, FALSE);
    out->vlines = (bpx_line *)(void *)g_array_free(v, FALSE);
    return ok;
}

/* Whether to look for a page image under a page's text layer (a scan with
 * an OCR layer, extract/ocr.c judges it): poppler_page_get_image_mapping()
 * goes through the page's content again, some 10 ms a page, so it is done
 * on the first BPX_LAYER_PROBE_PAGES pages with text, on every page once
 * one of them had a page image (*probe -1: a scanned document), and on a
 * rendered page (ink) whose paper is tinted over a BPX_LAYER_TINT share of
 * it, as a scan's is and a born-digital page's is not.  *probe counts the
 * pages looked at without a page image. */
#ifndef BPX_LAYER_PROBE_PAGES
#define BPX_LAYER_PROBE_PAGES 3
#endif
#ifndef BPX_LAYER_TINT
#define BPX_LAYER_TINT 0.3
#endif
static gboolean probe_layer(const int *probe, const bpx_ink_map *ink)
{
    if (*probe < 0 || *probe < BPX_LAYER_PROBE_PAGES)
        return TRUE;
    if (!ink)
        return FALSE;
    size_t n = (size_t)ink->width * (size_t)ink->height, tinted = 0;
    for (size_t i = 0; i < n; i++)
        tinted += ink->ink[i] >= 8 && ink->ink[i] < 64;
    return n && (double)tinted > BPX_LAYER_TINT * (double)n;
}

/* What read_upright needs to read a page again from the file rewritten
 * (NULL: the page is not read again, as when it is read so). */
typedef struct pdf_source pdf_source;
typedef struct {
    const pdf_source *src;
    bpx_page_tree *tree; /* read on the first page that needs it, unless src has one */
    gboolean tree_tried;
    int n_pages;
} upright_source;

static gboolean read_upright(upright_source *up, int turn, gboolean thin, const bpx_options *opts,
                             gboolean *fine_hint, gboolean *render_next, bpx_page *out);

/* Steps between adjacent glyphs sideways_turn measures (across and sideways). */
static size_t measured_steps(const bpx_page *p)
{
    size_t n = 0;
    for (size_t i = 1; i < p->n_chars; i++)
        n += adjacent(&p->chars[i - 1], &p->chars[i]) && p->chars[i - 1].dir != BPX_DIR_DIAGONAL &&
             p->chars[i].dir != BPX_DIR_DIAGONAL;
    return n;
}

/* Reads a page: its text, and its rulings where the page plan (plan.c)
 * asks for them.  The plan is made from the text, but rendering first is
 * cheaper for a page that will be rendered (the rendering lays out the
 * text page as it goes, which the text calls then reuse; the other way
 * round poppler goes through the page twice).  So a page is rendered first
 * when the page before it holds a table (a row with a column break: tables
 * come in runs, and so does prose) or when it is landscape; after prose,
 * and after a title or cover page (rendered, but without a column break:
 * what follows a part's title is more often its text), the text is read
 * first.  *render_next says which, for the next page.  On the development
 * corpora this renders 43 pages in vain and reads 205 twice (text, then the
 * rendering), against 162 and 119 with the page before's plan alone: a
 * page rendered in vain costs more (bench/README.md).  A page rendered in
 * vain keeps what its plan says, no rulings: the output does not depend on
 * the guess.  fine_hint: whether the last page rendered had pale rules (see
 * bpx_find_rulings), updated for the next (a page rendered in vain leaves
 * it as it was); ocr: the OCR engine, made for the first page that needs
 * it; ahead: the pages read by OCR ahead of their turn on lent processors
 * (ahead.c; NULL: none), started from pdoc, whose page 0 is the document's
 * page first (a long document's chunk, pagetree.c; else 0); turn_before:
 * the page before's turn (sideways_turn). */
static gboolean read_page(PopplerDocument *pdoc, int first, PopplerPage *page, int number, int turn_before,
                          upright_source *up, const bpx_options *opts,
                          gboolean *render_next, gboolean *fine_hint, bpx_ocr **ocr, int *layer_probe,
                          bpx_ahead *ahead, bpx_page *out, GError **error)
{
    out->number = number;
    poppler_page_get_size(page, &out->width, &out->height);
    gboolean ok = TRUE, rendered = FALSE;
    bpx_ink_map *ink = NULL;
    gboolean hint_before = *fine_hint;
    bpx_text_layer layer = { 0 }; /* read once, by whichever comes first */
    /* a landscape page is rendered first whatever came before: none of the
     * development corpora's 1,098 landscape pages is prose, while a portrait
     * page after prose may begin a run of tables (bench/README.md) */
    gboolean render_first = *render_next || out->width > out->height;
    /* after a page turned to be read, this one is likely read again upright
     * (read_upright): its text first, which says so */
    if (up && turn_before)
        render_first = FALSE;
    if (!opts->no_rulings && render_first && !bpx_plan_debug_skip(number)) {
        ok = find_rulings(page, &layer, 0, fine_hint, out, &ink, error);
        rendered = TRUE;
    }
    read_text(page, &layer, out);
    /* a page turned to be read, or one too thin to judge after a turned
     * page (poppler may have laid out only a few glyphs of it): read again,
     * shown upright (read_upright), before its rulings are looked for and
     * before it is taken for a scan */
    if (up && opts->ocr != BPX_OCR_ALWAYS && !bpx_plan_debug_skip(number)) {
        int turn = sideways_turn(out, turn_before);
        gboolean thin = !turn && turn_before && out->n_chars && measured_steps(out) < BPX_TURN_MIN_STEPS;
        /* the hint as the page before left it: as if the page were read upright only */
        gboolean hint = hint_before, next = TRUE;
        if ((turn || thin) && read_upright(up, turn ? turn : turn_before, thin, opts, &hint, &next, out)) {
            *fine_hint = hint;
            *render_next = next;
            bpx_ink_map_free(ink);
            bpx_text_layer_clear(&layer);
            if (!ok)
                g_clear_error(error);
            return TRUE;
        }
    }
    bpx_page_plan plan;
    bpx_plan_page(out, &plan);
    *render_next = plan.kind != BPX_PLAN_PROSE && !(plan.rows > 0 && plan.gapped_rows == 0);
    if (bpx_plan_debug_skip(number)) /* measuring the plan: BUDGETPDF_PLAN_SKIP */
        plan.rulings = FALSE;
    if (opts->no_rulings || !plan.rulings) {
        g_free(out->hlines);
        g_free(out->vlines);
        out->hlines = out->vlines = NULL;
        out->n_hlines = out->n_vlines = 0;
        out->ruled = FALSE;
        *fine_hint = hint_before;
        if (!ok)
            g_clear_error(error);
        ok = TRUE;
    } else if (!rendered) {
        ok = find_rulings(page, &layer, 0, fine_hint, out, &ink, error);
    }
    if (ink && out->ruled)
        mark_hidden(out->chars, out->n_chars, ink, out);
    bpx_plan_debug_log(out, &plan, rendered);
    gboolean garbled = bpx_text_layer_garbled(out);
    gboolean want_ocr =
        opts->ocr == BPX_OCR_ALWAYS || (opts->ocr == BPX_OCR_AUTO && (garbled || bpx_ocr_wanted(out, ink)));
    gboolean probe = !want_ocr && opts->ocr == BPX_OCR_AUTO && out->n_chars && probe_layer(layer_probe, ink);
    bpx_ink_map_free(ink);
    if (probe) {
        if (bpx_ocr_page_is_image(page)) {
            /* a text layer over a scan: kept only when it is what the page shows */
            *layer_probe = -1;
            if (!*ocr)
                *ocr = bpx_ocr_new(opts->tessdata);
            want_ocr = !bpx_ocr_text_layer_matches(*ocr, page, out);
        } else if (*layer_probe >= 0) {
            ++*layer_probe;
        }
    }
    if (want_ocr) {
        /* no usable text layer: read the page's image (extract/ocr.c) */
        GError *oerr = NULL;
        if (!*ocr)
            *ocr = bpx_ocr_new(opts->tessdata);
        /* the page read ahead on a lent processor, and the pages after it
         * started there (ahead.c) */
        gboolean collected = bpx_ahead_collect(ahead, pdoc, first, number - 1, *ocr, out);
        bpx_ahead_lend(ahead, pdoc, first, number - 1, *ocr);
        if (collected || bpx_ocr_read_page(*ocr, page, out, &oerr)) {
            out->garbled_layer = garbled;
            bpx_text_layer_clear(&layer);
            return TRUE;
        }
        out->ocr_failed = g_strdup(oerr ? oerr->message : "OCR failed");
        g_clear_error(&oerr);
    }
    out->garbled_layer = garbled;
    int turn = sideways_turn(out, turn_before);
    if (turn) {
        turn_chars(out, turn);
        if (out->ruled) {
            g_free(out->hlines);
            g_free(out->vlines);
            out->hlines = out->vlines = NULL;
            out->n_hlines = out->n_vlines = 0;
            /* the pale-rule hint as the page before left it, and this
             * page's from the turned rendering: as if it were read upright */
            gboolean turned_hint = hint_before;
            bpx_ink_map *turned_ink = NULL;
            ok = find_rulings(page, &layer, turn, &turned_hint, out, &turned_ink, error);
            *fine_hint = turned_hint;
            /* the glyphs the rendering hides are judged again, upright: the
             * test above saw the turned text as vertical and judged none of it */
            if (turned_ink && out->ruled)
                mark_hidden(out->chars, out->n_chars, turned_ink, out);
            bpx_ink_map_free(turned_ink);
        }
    }
    bpx_text_layer_clear(&layer);
    return ok;
}

/* poppler accepts up to 1 KiB of junk before the %PDF header; so do we. */
static gboolean has_pdf_header(const void *data, size_t len)
{
    const char *p = data;
    size_t end = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 4 <= end; i++)
        if (memcmp(p + i, "%PDF", 4) == 0)
            return TRUE;
    return FALSE;
}

static char *dup_nonempty(char *s)
{
    if (s && !*g_strstrip(s)) {
        g_free(s);
        return NULL;
    }
    return s;
}

/* Opens data with poppler; the document reads data until it is dropped,
 * which the caller does before returning.
 *
 * poppler-glib 22.12's _new_from_bytes() and _new_from_data() crash (NULL
 * stream) when given a password that does not open the file: they retry
 * with the password as UTF-8 on a copy of the stream that they have lost.
 * Hence: no password first, which opens every file without a user password
 * (owner-only ones too, whatever password was given); then, only for a file
 * that needs one, _new_from_stream(), whose retry is sound. */
static PopplerDocument *open_pdf(const void *data, size_t len, const char *password, GError **error)
{
    GBytes *bytes = g_bytes_new_static(data, len);
    PopplerDocument *pdoc = poppler_document_new_from_bytes(bytes, NULL, error);
    g_bytes_unref(bytes);
    if (pdoc || !password || !g_error_matches(*error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        return pdoc;
    g_clear_error(error);
    GInputStream *in = g_memory_input_stream_new_from_data(data, (gssize)len, NULL);
    pdoc = poppler_document_new_from_stream(in, (goffset)len, password, NULL, error);
    g_object_unref(in);
    return pdoc;
}

/* A PDF/A file (Word and Excel 2010 save as one) names an output intent in
 * its catalog: a colour profile (sRGB) for printing.  poppler opens it and
 * builds its lcms colour transforms from it every time it displays a page:
 * about 10 ms a page, four times what reading and rendering the page cost
 * otherwise (pdftotext pays it too).  Neither the text nor the rulings need
 * it: the key is renamed (/OutputIntentX, the same length, so that every
 * offset of the file stays right) in a copy of the file, which poppler then
 * reads without it.  NULL when the file has no such key in plain bytes (a
 * catalog inside a compressed object stream keeps its intent: slower, not
 * wrong).  The development corpora's outputs are the same either way. */
static const char output_intents_key[] = "/OutputIntents";
#define OUTPUT_INTENTS_KEY_LEN (sizeof output_intents_key - 1)

/* Offset of the first /OutputIntents key at or after from; len if none. */
static size_t next_output_intents(const char *data, size_t len, size_t from)
{
    const size_t klen = OUTPUT_INTENTS_KEY_LEN;
    for (const char *p = data + from; (size_t)(p - data) + klen <= len; p++) {
        p = memchr(p, '/', len - (size_t)(p - data) - klen + 1);
        if (!p)
            break;
        size_t at = (size_t)(p - data);
        gboolean name_ends = at + klen == len || !g_ascii_isalnum(data[at + klen]);
        if (memcmp(p, output_intents_key, klen) == 0 && name_ends)
            return at;
    }
    return len;
}

/* data with its output intents renamed, or NULL when it has none.  own: NULL,
 * or data itself when the caller owns it and lets it be changed (the rename
 * is then made there, not in a copy of the whole file). */
static char *without_output_intent(const char *data, size_t len, char *own)
{
    char *plain = NULL;
    for (size_t at = next_output_intents(data, len, 0); at < len; at = next_output_intents(data, len, at + 1)) {
        if (!plain)
            plain = own ? own : g_memdup2(data, len);
        plain[at + OUTPUT_INTENTS_KEY_LEN - 1] = 'X';
    }
    return plain;
}

/* poppler's memory over a document (bench/README.md, "the extract stage's
 * memory").  What poppler keeps while a PopplerDocument is open grows with
 * the document: its cairo font engine keeps the last 64 fonts it made, each
 * with the whole font file it read (an embedded CJK font whole: 10 MB and
 * more; a CJK font the PDF does not embed: the system's, read whole), and
 * cairo keeps the last 256 scaled fonts nobody uses (its "holdovers"), each
 * holding its font face and with it poppler's copy of the file.  A producer
 * that embeds a fresh subset of its fonts on each page (iText does) has
 * every page add its fonts: 0.5 MB a page on a 116-page file, 56 MB of heap
 * by its end.  Neither cache has a size the glib API reaches.  So:
 *
 *   1. Before each page, heap_in_use() measures the heap the process holds
 *      (malloc's own count: cheap, and blind to memory malloc has freed but
 *      kept).  reopen_due() compares it with what it was when the document
 *      was last opened.
 *   2. Once it has grown by BPX_REOPEN_HEAP_GROWTH, reopen() opens the file
 *      again and drops the old PopplerDocument: poppler frees its fonts and
 *      its page cache with it.  The new one is opened first, so that
 *      poppler's global parameters (built when the first document opens and
 *      freed with the last: CMaps, name-to-Unicode tables, font look-ups)
 *      survive: rebuilding them made a reopen cost twice as much.
 *   3. push_out_cairo_holdovers() then empties cairo's list of unused scaled
 *      fonts, which would otherwise keep the old document's font files, and
 *      malloc_trim() hands what was freed back to the system.
 *   4. When the growth comes back within the very next page, that page
 *      needs it itself (a font it uses being read again): reopening before
 *      each page would cost a font's reading a page and free nothing for
 *      long, so the document's threshold is raised to that page's growth
 *      plus BPX_REOPEN_HEAP_GROWTH.
 *
 * A reopen costs the reading of the fonts the next pages use again (the
 * system's CJK font is read whole twice per font that uses it), about as
 * much as one to three pages' reading; pages read after it are read exactly
 * as before: the outputs do not depend on when the document was reopened
 * (test_extract). What it misses: a single page's own need (its fonts
 * loaded at once: 45 MB for a page that uses a whole embedded SimSun and the
 * system font), and memory malloc keeps but cannot give back (holes between
 * blocks still in use).  Without glibc's malloc (other C libraries; ASan,
 * valgrind's memcheck and massif, which bring their own) mallinfo2() does
 * not see the heap and the document is not reopened, unless the caller asks
 * for it (bpx_options.reopen_every). */
#ifndef BPX_REOPEN_HEAP_GROWTH
#define BPX_REOPEN_HEAP_GROWTH ((size_t)16 << 20)
#endif

/* Bytes of heap in use (small blocks and mmapped ones); 0 where unknown. */
static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

typedef struct {
    size_t held_at_open;  /* heap_in_use() when the document was last (re)opened */
    size_t growth_limit;  /* growth that calls for a reopen */
    int pages_read;       /* pages read since */
    int every;            /* > 0: reopen after so many pages instead (bpx_options) */
} reopen_gauge;

static void reopen_gauge_start(reopen_gauge *g, int every)
{
    g->held_at_open = heap_in_use();
    g->growth_limit = BPX_REOPEN_HEAP_GROWTH;
    g->pages_read = 0;
    g->every = every;
}

/* Whether to reopen before the next page (after g counted the last one). */
static gboolean reopen_due(reopen_gauge *g)
{
    if (g->every > 0)
        return g->pages_read >= g->every;
    size_t held = heap_in_use();
    if (held <= g->held_at_open || held - g->held_at_open < g->growth_limit)
        return FALSE;
    if (g->pages_read <= 1) /* step 4: the last page needs it itself */
        g->growth_limit = MAX(g->growth_limit, held - g->held_at_open + BPX_REOPEN_HEAP_GROWTH);
    return TRUE;
}

/* cairo has no call to empty its holdovers (cairo_debug_reset_static_data()
 * is for a program that has no cairo object left): making and dropping as
 * many scaled fonts of a fresh, empty user font pushes every older one out. */
#ifndef BPX_CAIRO_HOLDOVERS
#define BPX_CAIRO_HOLDOVERS 256 /* CAIRO_SCALED_FONT_MAX_HOLDOVERS */
#endif
static void push_out_cairo_holdovers(void)
{
    cairo_font_face_t *face = cairo_user_font_face_create();
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_matrix_t ctm;
    cairo_matrix_init_identity(&ctm);
    for (int i = 0; i < BPX_CAIRO_HOLDOVERS; i++) {
        cairo_matrix_t size;
        cairo_matrix_init_scale(&size, 1 + i, 1 + i);
        cairo_scaled_font_destroy(cairo_scaled_font_create(face, &size, &ctm, options));
    }
    cairo_font_options_destroy(options);
    cairo_font_face_destroy(face);
}

/* What poppler reads: the file whole, or, for a long document, the file
 * with an update that makes it a document of a chunk of its pages
 * (pagetree.c: poppler's page cache then holds one chunk's pages). */
#ifndef BPX_CHUNK_PAGES
#define BPX_CHUNK_PAGES 256
#endif
struct pdf_source {
    const void *data;
    size_t len;
    const char *password;
    bpx_page_tree *tree; /* NULL: the document whole */
    int first, n;        /* the chunk: pages first .. first + n - 1 (0-based) */
};

/* The chunk of s, or the document whole; NULL with *error. */
static PopplerDocument *open_source(const pdf_source *s, GError **error)
{
    if (!s->tree)
        return open_pdf(s->data, s->len, s->password, error);
    GBytes *update = bpx_page_tree_chunk(s->tree, s->first, s->n);
    GInputStream *in = g_memory_input_stream_new();
    g_memory_input_stream_add_data(G_MEMORY_INPUT_STREAM(in), s->data, (gssize)s->len, NULL);
    g_memory_input_stream_add_bytes(G_MEMORY_INPUT_STREAM(in), update);
    goffset size = (goffset)(s->len + g_bytes_get_size(update));
    PopplerDocument *pdoc = poppler_document_new_from_stream(in, size, NULL, NULL, error);
    g_object_unref(in);
    g_bytes_unref(update);
    if (pdoc && poppler_document_get_n_pages(pdoc) != s->n) {
        g_object_unref(pdoc);
        pdoc = NULL;
        g_set_error(error, BPX_ERROR, BPX_ERROR_OPEN, "a chunk of the pages did not open as one");
    }
    return pdoc;
}

/* Steps 2 and 3: the document (or its chunk) opened again in place of
 * *pdoc; kept if it no longer opens (a chunk that does not: the document
 * whole, from then on). */
static void reopen(PopplerDocument **pdoc, pdf_source *src, reopen_gauge *g)
{
    GError *err = NULL;
    PopplerDocument *fresh = open_source(src, &err);
    g_clear_error(&err);
    if (!fresh && src->tree) {
        g_clear_pointer(&src->tree, bpx_page_tree_free);
        src->first = 0;
        fresh = open_source(src, &err);
        g_clear_error(&err);
    }
    if (fresh) {
        g_object_unref(*pdoc);
        *pdoc = fresh;
        push_out_cairo_holdovers();
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    }
    size_t limit = g->growth_limit;
    reopen_gauge_start(g, g->every);
    g->growth_limit = limit;
}

/* A page turned to be read (sideways_turn) read again, shown upright.
 *
 * poppler lays out a page's text in the frame it displays the page in, and
 * poppler-glib hands it out only as the text of a selection from one corner
 * of the page to the other (bpx_text_layer_read).  On a page whose text
 * runs down or up the sheet, the blocks that selection runs through, in
 * poppler's reading order, may leave out many of them: of a Beijing 报表's
 * project tables set sideways (session 9's geometry variants), some pages
 * gave one glyph of 1,100, others half of them, whatever the corners (a
 * glyph straddling the sheet's edge is enough to set it off).
 * What poppler reads upright it lays out whole.  So:
 *
 *   1. read_page has read the page's text and found it runs down or up
 *      the sheet (sideways_turn: turn), or that the page is too thin to
 *      judge after a page that was turned (thin: the turn before; such a
 *      page may be one whose selection lost nearly all its glyphs);
 *   2. read_upright writes an update of the file (pagetree.c,
 *      bpx_page_tree_upright) that makes it a document of that page alone,
 *      its /Rotate raised by the turn: poppler shows it upright, in the
 *      frame turn_rect maps the sideways page to (a /Rotate of 90 turns
 *      (x, y) to (h - y, x), as a turn of 90 does);
 *   3. the page of that document is read as any page is (text, plan,
 *      rulings, hidden glyphs; OCR left out: the page has a text layer);
 *   4. that reading replaces the first (unless poppler found no text on
 *      it, or it is sideways still; a thin page's only when it holds more
 *      characters than the first), marked turned by the turn, so
 *      that the review page turns the file's page the same way.  The page
 *      is then read as every upright page is; the first reading, mapped by
 *      turn_rect, stays the one of a file this cannot rewrite.
 *
 * What it misses: a file whose page tree pagetree.c does not follow
 * (encrypted, damaged) or whose page's /Rotate is not a plain number keeps
 * the first reading.  tree: the file's page tree, read on the first page
 * that needs it (*tree_tried) unless the caller has it (src->tree). */
static gboolean read_upright(upright_source *up, int turn, gboolean thin, const bpx_options *opts,
                             gboolean *fine_hint, gboolean *render_next, bpx_page *out)
{
    const pdf_source *src = up->src;
    const bpx_page_tree *t = src->tree;
    if (!t) {
        if (!up->tree_tried) {
            up->tree_tried = TRUE;
            up->tree = bpx_page_tree_read(src->data, src->len);
            if (up->tree && bpx_page_tree_count(up->tree) != up->n_pages)
                g_clear_pointer(&up->tree, bpx_page_tree_free);
        }
        t = up->tree;
    }
    GBytes *update = t ? bpx_page_tree_upright(t, out->number - 1, turn) : NULL;
    if (!update)
        return FALSE;
    GInputStream *in = g_memory_input_stream_new();
    g_memory_input_stream_add_data(G_MEMORY_INPUT_STREAM(in), src->data, (gssize)src->len, NULL);
    g_memory_input_stream_add_bytes(G_MEMORY_INPUT_STREAM(in), update);
    goffset size = (goffset)(src->len + g_bytes_get_size(update));
    PopplerDocument *pdoc = poppler_document_new_from_stream(in, size, NULL, NULL, NULL);
    g_object_unref(in);
    g_bytes_unref(update);
    PopplerPage *page = pdoc && poppler_document_get_n_pages(pdoc) == 1 ? poppler_document_get_page(pdoc, 0) : NULL;
    gboolean replaced = FALSE;
    if (page) {
        bpx_options plain = *opts;
        plain.ocr = BPX_OCR_NEVER;
        gboolean next = TRUE;
        bpx_ocr *ocr = NULL;
        int probe = -1;
        bpx_page upright = {0};
        GError *err = NULL;
        gboolean hint = *fine_hint;
        read_page(pdoc, 0, page, out->number, 0, NULL, &plain, &next, &hint, &ocr, &probe, NULL, &upright, &err);
        g_clear_error(&err);
        bpx_ocr_free(ocr);
        replaced = !upright.turned && (thin ? upright.n_chars > out->n_chars : upright.n_chars > 0);
        if (replaced) {
            *fine_hint = hint;
            *render_next = next;
            bpx_page_clear(out);
            *out = upright;
            out->turned = turn;
        } else {
            bpx_page_clear(&upright);
        }
        g_object_unref(page);
    }
    if (pdoc)
        g_object_unref(pdoc);
    return replaced;
}

/* bpx_document_load_data(); own: NULL, or data itself when the caller owns
 * it and lets it be changed (see without_output_intent); file: NULL, or the
 * mapped file data is, whose pages poppler touched are let go after the
 * checksum and between chunks. */
static bpx_document *load_pdf(const void *data, size_t len, char *own, const bpx_file_bytes *file,
                              const char *name, const bpx_options *opts, GError **error)
{
    static const bpx_options defaults = {0};
    if (!opts)
        opts = &defaults;
    if (len == 0) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_OPEN, "not a PDF file (the file is empty)");
        return NULL;
    }
    if (!has_pdf_header(data, len)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_OPEN, "not a PDF file (no %%PDF header)");
        return NULL;
    }
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len); /* before any rename */
    GError *perr = NULL;
    char *plain = without_output_intent(data, len, own); /* read by poppler instead of data, if not NULL */
    const void *read = plain ? plain : data;
    if (plain == own)
        plain = NULL; /* not ours to free */
    if (file) /* what the checksum and the scan touched (a copy is read instead, if any) */
        bpx_file_bytes_release(file);
    PopplerDocument *pdoc = open_pdf(read, len, opts->password, &perr);
    if (!pdoc) {
        g_free(sum);
        g_free(plain);
        gboolean enc = perr && perr->domain == POPPLER_ERROR && perr->code == POPPLER_ERROR_ENCRYPTED;
        g_set_error(error, BPX_ERROR, enc ? BPX_ERROR_ENCRYPTED : BPX_ERROR_OPEN, "%s",
                    enc ? (opts->password ? "encrypted PDF: the password is wrong"
                                          : "encrypted PDF: a user password is needed (--password)")
                        : (perr ? perr->message : "poppler could not open the file"));
        g_clear_error(&perr);
        return NULL;
    }
    int n_pages = poppler_document_get_n_pages(pdoc);
    int max_pages = opts->max_pages > 0 ? opts->max_pages : BPX_MAX_PAGES_DEFAULT;
    /* poppler reports 0 pages for an empty page tree, and for a /Count that
     * is not a number or exceeds the file's object count */
    if (n_pages <= 0) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_NO_PAGES, "the PDF has no pages (empty or damaged page tree)");
        g_object_unref(pdoc);
        g_free(sum);
        g_free(plain);
        return NULL;
    }
    if (n_pages > max_pages) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "%d pages exceed the page limit of %d", n_pages,
                    max_pages);
        g_object_unref(pdoc);
        g_free(sum);
        g_free(plain);
        return NULL;
    }
    bpx_document *doc = g_new0(bpx_document, 1);
    doc->path = g_strdup(name ? name : "");
    g_strlcpy(doc->sha256, sum, sizeof doc->sha256);
    g_free(sum);
    doc->producer = dup_nonempty(poppler_document_get_producer(pdoc));
    doc->creator = dup_nonempty(poppler_document_get_creator(pdoc));
    doc->title = dup_nonempty(poppler_document_get_title(pdoc));
    doc->pages = g_new0(bpx_page, n_pages);
    int readable = 0;
    gboolean render_next = TRUE; /* see read_page() */
    bpx_ocr *ocr = NULL; /* made for the first page that needs it */
    gboolean fine_hint = FALSE; /* the page before had pale rules */
    int layer_probe = 0;        /* see probe_layer() */
    pdf_source src = {read, len, opts->password, NULL, 0, n_pages};
    int chunk = opts->chunk_pages > 0 ? opts->chunk_pages : BPX_CHUNK_PAGES;
    if (n_pages > chunk) { /* a long document: read chunk by chunk if its page tree can be read */
        src.tree = bpx_page_tree_read(read, len);
        if (src.tree && bpx_page_tree_count(src.tree) != n_pages)
            g_clear_pointer(&src.tree, bpx_page_tree_free);
        src.n = chunk;
    }
    upright_source upright = {&src, NULL, FALSE, n_pages}; /* see read_upright() */
    reopen_gauge gauge;         /* see reopen_due() */
    reopen_gauge_start(&gauge, opts->reopen_every);
    bpx_ahead *ahead = bpx_ahead_new(opts->lender, n_pages, opts->ocr == BPX_OCR_ALWAYS); /* NULL: no lender */
    for (int i = 0; i < n_pages; i++) {
        if (src.tree && (i == 0 || i >= src.first + src.n)) { /* the next chunk */
            src.first = i;
            src.n = MIN(chunk, n_pages - i);
            if (file && i > 0)
                bpx_file_bytes_release(file);
            reopen(&pdoc, &src, &gauge);
        } else if (i > 0 && reopen_due(&gauge))
            reopen(&pdoc, &src, &gauge);
        gauge.pages_read++;
        PopplerPage *page = poppler_document_get_page(pdoc, i - src.first);
        doc->n_pages = i + 1;
        /* a /Count above the real number of pages, a page tree that loops,
         * a page object lost to a cut-off file */
        if (!page) {
            doc->pages[i].number = i + 1;
            doc->pages[i].unreadable = TRUE;
        } else {
            readable++;
            GError *rerr = NULL;
            /* the page before's turn, as its text layer showed it (a scan
             * read by OCR turns its own way) */
            int turn_before = i > 0 && !doc->pages[i - 1].ocr ? doc->pages[i - 1].turned : 0;
            if (!read_page(pdoc, src.first, page, i + 1, turn_before, &upright, opts, &render_next, &fine_hint, &ocr,
                           &layer_probe, ahead, &doc->pages[i], &rerr))
                g_clear_error(&rerr); /* no ruling: the page is still read as text */
            g_object_unref(page);
        }
        bpx_ahead_drop(ahead, i); /* read without its child's page, if it had one */
        if (opts->on_page) {
            bpx_page *p = &doc->pages[i];
            opts->on_page(doc, p, opts->on_page_user);
            g_clear_pointer(&p->chars, g_free);
            g_clear_pointer(&p->hlines, g_free);
            g_clear_pointer(&p->vlines, g_free);
            bpx_ocr_readings_free(p->ocr_readings, p->n_ocr_readings);
            p->ocr_readings = NULL;
            bpx_ocr_readings_free(p->ocr_lines, p->n_ocr_lines);
            p->ocr_lines = NULL;
            p->n_chars = p->n_hlines = p->n_vlines = p->n_ocr_readings = p->n_ocr_lines = 0;
        }
    }
    doc->ocr_pages_lent = bpx_ahead_pages(ahead);
    bpx_ahead_free(ahead);
    bpx_ocr_free(ocr);
    g_object_unref(pdoc);
    bpx_page_tree_free(src.tree);
    bpx_page_tree_free(upright.tree);
    g_free(plain);
    if (!readable) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_NO_PAGES, "none of its %d page%s can be read (damaged page tree)",
                    n_pages, n_pages == 1 ? "" : "s");
        bpx_document_free(doc);
        return NULL;
    }
    return doc;
}

bpx_document *bpx_document_load(const char *path, const bpx_options *opts, GError **error)
{
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "no such file");
        return NULL;
    }
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "not a regular file");
        return NULL;
    }
    bpx_file_bytes file;
    GError *ferr = NULL;
    if (!bpx_file_bytes_open(path, &file, &ferr)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "%s", ferr->message);
        g_error_free(ferr);
        return NULL;
    }
    bpx_document *doc = file.mapped ? load_pdf(file.data, file.len, NULL, &file, path, opts, error)
                                    : load_pdf(file.data, file.len, file.data, NULL, path, opts, error);
    bpx_file_bytes_close(&file);
    return doc;
}

bpx_document *bpx_document_load_data(const void *data, size_t len, const char *name,
                                     const bpx_options *opts, GError **error)
{
    return load_pdf(data, len, NULL, NULL, name, opts, error);
}

void bpx_document_free(bpx_document *doc)
{
    if (!doc)
        return;
    for (int i = 0; i < doc->n_pages; i++) {
        g_free(doc->pages[i].chars);
        g_free(doc->pages[i].hlines);
        g_free(doc->pages[i].vlines);
        g_free(doc->pages[i].ocr_failed);
        bpx_ocr_readings_free(doc->pages[i].ocr_readings, doc->pages[i].n_ocr_readings);
        bpx_ocr_readings_free(doc->pages[i].ocr_lines, doc->pages[i].n_ocr_lines);
    }
    g_free(doc->pages);
    g_free(doc->path);
    g_free(doc->producer);
    g_free(doc->creator);
    g_free(doc->title);
    g_free(doc);
}
