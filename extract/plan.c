/* plan.c — the page plan: what each page needs beyond its text layer.
 *
 * Rendering a page to find its table rulings (ruling.c) costs about twice
 * what reading its text costs (../shared/POPPLER.md): glyph work, which a
 * lower resolution hardly saves.  What saves is not rendering a page that
 * cannot hold a ruled table.  poppler lays out a page's text (the pass
 * pdftotext makes) whether or not it is rendered, so the text layer is read
 * first and judged here; only the pages that need it are rendered.
 *
 * How a page is judged (bpx_plan_page):
 *   1. A page without characters is an image page (a scan): it is planned
 *      for OCR (plan.ocr, the hook of the OCR stage) and still rendered
 *      for rulings, as before the plan (a scanned table's rules).
 *   2. A page with a glyph set vertically (a label in a tall merged cell, a
 *      page set sideways) holds a table: rendered.
 *   3. The upright glyphs (watermarks left out) are grouped into rows, one
 *      per baseline (row_of: centres within 0.4 of a glyph's height), each
 *      sorted along x.  A gap of BPX_PLAN_GAP_EM glyph heights or more
 *      between two glyphs of a row is a column break: a table's cells, a
 *      form's label and its blank, a 目录 entry and its page number.  In
 *      running text glyphs follow each other at a fraction of their height
 *      (Latin words at a third, the widest justified CJK at under one).
 *   4. A row is running text when it is long: at least BPX_PLAN_LONG_CHARS
 *      glyphs over at least BPX_PLAN_LONG_SHARE of the widest row.
 *   5. The page is prose, and not rendered, only when all of these hold:
 *      at least BPX_PLAN_MIN_ROWS rows (a cover, a title page, an empty
 *      table with its 本表无数据 note have few); no row with two column
 *      breaks (a table of three columns); at most one row with one (a
 *      heading set apart from its number, a header line with the page
 *      number); and at least half its rows running text (a list of short
 *      lines, as a cover or a form prints, is not prose).
 * Everything else is rendered at the ruling resolution; ruling.c itself
 * renders a page again at a finer one where it sees pale rules.
 *
 * What a prose page loses: its rulings and the ink test of mark_hidden
 * (text clipped or painted over: Excel's cells clip, running text is not
 * clipped).  On the development corpora the plan leaves 24 of the 248
 * fixture pages unrendered, 81 of the 173 Jiangsu pages and 330 of the
 * 2,009 china pages; the outputs of all their files are the same but for
 * two Beijing 情况说明, where a prose page's "rulings" were the strokes of a
 * title drawn as paths (第二部分 …) or of a pie chart: the grid they made
 * swallowed a line of text, which now stays in its section
 * (bench/same_output.py; bench/README.md).  What the plan misses: a ruled
 * table whose every row is a single long cell of running text (a boxed
 * note) is read as prose; rules under prose (underlined text) are not read
 * by the later stages anyway.
 *
 * Which rendered pages need their rulings (bench/plan_experiment.py, with
 * the measuring switches at the end of this file): on the development
 * corpora 1,675 of the 1,987 rendered pages; of the 312 others, 207 find
 * no ruling (title pages) and 105 are table pages whose text rebuilds the
 * same table, with the same column breaks in their text as the pages that
 * need them.  Rendering those 312 less saves nothing measurable: the plan
 * cannot make the ruling pass cheap; bench/README.md says what could.
 *
 * The plan needs the text before the rendering, but a page that is rendered
 * costs least when the rendering comes first (read_page in extract.c says
 * how the two are ordered).
 */
#include "extract/plan.h"
#include "extract/ruling.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef BPX_PLAN_GAP_EM
#define BPX_PLAN_GAP_EM 1.5 /* a gap this many glyph heights wide breaks a row into columns */
#endif
#ifndef BPX_PLAN_MIN_ROWS
#define BPX_PLAN_MIN_ROWS 5
#endif
#ifndef BPX_PLAN_LONG_CHARS
#define BPX_PLAN_LONG_CHARS 12
#endif
#ifndef BPX_PLAN_LONG_SHARE
#define BPX_PLAN_LONG_SHARE 0.6
#endif

typedef struct {
    double cy, x0, x1, h;
} glyph;

static int by_cy(const void *p, const void *q)
{
    const glyph *a = p, *b = q;
    return (a->cy > b->cy) - (a->cy < b->cy);
}

static int by_x(const void *p, const void *q)
{
    const glyph *a = p, *b = q;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

typedef struct {
    int gaps;        /* column breaks */
    int n;           /* glyphs */
    double x0, x1;   /* extent */
} row_of;

/* Sorts a row's glyphs along x and counts its column breaks. */
static row_of judge_row(glyph *g, int n)
{
    qsort(g, (size_t)n, sizeof *g, by_x);
    row_of r = {0, n, g[0].x0, g[0].x1};
    for (int i = 1; i < n; i++) {
        /* the smaller glyph's height: a small label beside a large value
         * (a form's 项目名称 cell) sits a few of its own heights away */
        double em = MAX(MIN(g[i].h, g[i - 1].h), 1.0);
        if (g[i].x0 - r.x1 >= BPX_PLAN_GAP_EM * em)
            r.gaps++;
        r.x1 = MAX(r.x1, g[i].x1);
    }
    return r;
}

void bpx_plan_page(const bpx_page *page, bpx_page_plan *plan)
{
    *plan = (bpx_page_plan){.kind = BPX_PLAN_TABLE, .rulings = TRUE, .dpi = BPX_RULING_DPI};
    if (page->n_chars == 0) {
        plan->kind = BPX_PLAN_IMAGE;
        plan->ocr = TRUE;
        return;
    }
    glyph *g = g_new(glyph, page->n_chars);
    int n = 0;
    for (size_t i = 0; i < page->n_chars; i++) {
        const bpx_char *c = &page->chars[i];
        if (c->dir == BPX_DIR_VERTICAL) {
            g_free(g);
            return;
        }
        if (c->dir == BPX_DIR_DIAGONAL)
            continue;
        g[n++] = (glyph){(c->box.y0 + c->box.y1) / 2, c->box.x0, c->box.x1, c->box.y1 - c->box.y0};
    }
    if (n == 0) {
        g_free(g);
        return;
    }
    qsort(g, (size_t)n, sizeof *g, by_cy);
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(row_of));
    int two_gaps = 0, one_gap = 0;
    double widest = 0;
    for (int start = 0; start < n;) {
        int end = start + 1;
        while (end < n && g[end].cy - g[start].cy < 0.4 * MAX(MAX(g[start].h, g[end].h), 1.0))
            end++;
        row_of r = judge_row(g + start, end - start);
        two_gaps += r.gaps >= 2;
        one_gap += r.gaps == 1;
        widest = MAX(widest, r.x1 - r.x0);
        g_array_append_val(rows, r);
        start = end;
    }
    int long_rows = 0;
    for (guint i = 0; i < rows->len; i++) {
        const row_of *r = &g_array_index(rows, row_of, i);
        long_rows += r->n >= BPX_PLAN_LONG_CHARS && r->x1 - r->x0 >= BPX_PLAN_LONG_SHARE * widest;
    }
    plan->rows = (int)rows->len;
    plan->gapped_rows = two_gaps + one_gap;
    plan->long_rows = long_rows;
    if (plan->rows >= BPX_PLAN_MIN_ROWS && two_gaps == 0 && one_gap == 0 && 2 * long_rows >= plan->rows) {
        plan->kind = BPX_PLAN_PROSE;
        plan->rulings = FALSE;
    }
    g_array_free(rows, TRUE);
    g_free(g);
}

/* Measuring switches (plan.h): environment variables, read per page, never
 * set by the program; a log line per page for bench/plan_experiment.py. */
gboolean bpx_plan_debug_skip(int number)
{
    const char *v = g_getenv("BUDGETPDF_PLAN_SKIP");
    if (!v || !*v)
        return FALSE;
    if (g_str_equal(v, "all"))
        return TRUE;
    if (g_str_equal(v, "odd") || g_str_equal(v, "even"))
        return (number % 2 == 1) == g_str_equal(v, "odd");
    char **list = g_strsplit(v, ",", -1);
    gboolean found = FALSE;
    for (char **p = list; *p && !found; p++)
        found = atoi(*p) == number;
    g_strfreev(list);
    return found;
}

void bpx_plan_debug_log(const bpx_page *page, const bpx_page_plan *plan, gboolean rendered_first)
{
    const char *path = g_getenv("BUDGETPDF_PLAN_LOG");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%d\t%d\t%d\t%d\t%d\t%zu\t%d\t%zu\t%zu\n", page->number, (int)plan->kind, plan->rows,
            plan->gapped_rows, plan->long_rows, page->n_chars, rendered_first, page->n_hlines, page->n_vlines);
    fclose(f);
}
