/* grid.c — ruled tables: from strokes to cells.
 *
 * How it works.  The extract stage hands us the page's horizontal and
 * vertical strokes as it found them: long lines, or one short segment per
 * cell edge with gaps at the corners, or the edges of thin filled
 * rectangles.  We first snap strokes to levels: horizontal strokes whose y
 * differ by less than SNAP points are one level, and on a level, segments
 * whose ends nearly touch are joined.  Vertical strokes likewise.
 *
 * Strokes that touch (a vertical one crossing or ending on a horizontal one,
 * within TOUCH points, times the page's print_scale on a page printed
 * small, whose rulings are found as much finer) belong to one table: union-find over the strokes gives the tables of the
 * page, and a component with at least two levels each way is a grid, if it
 * has two cells side by side in at least two rows (tabular: a framed
 * paragraph or a text box is prose, not a table).  Its
 * row edges are its horizontal levels, its column edges its vertical ones;
 * where a side is not ruled at all (Word tables often leave the outer
 * verticals out) the extent of the other strokes closes it.
 *
 * A cell (r, c) is joined to its right neighbour when no stroke covers most
 * of the edge between them, and to the one below likewise; union-find again
 * gives the merged areas, and a merged area's text is given to its top-left
 * cell, the others stay empty — the convention of the truth files and of
 * every spreadsheet.  Each glyph goes to the cell that holds its centre; a
 * cell's glyphs are made into lines and joined, so a wrapped cell is one
 * string.
 *
 * Text over a rule.  A rule the text runs through is usually no rule (a
 * glyph's stroke, or a rule the detector carried on through a merged cell's
 * text: text_crosses), and the cells beside it merge.  But a line too wide
 * for its cell (a value centred in a narrow 指标值 column) runs over the
 * real rules beside it: when a drawn rule is crossed only by such a line,
 * one that overflows its column by less than a glyph on either side
 * (line_overflows), the edge stays, and a glyph straddling it goes to the
 * cell its line stands in (glyph_column).  Likewise a comma or closing
 * bracket that CJK typesetting hangs past the line's end (避头点号:
 * bpn_hangs_at_line_end) over a drawn rule crosses nothing, even where the
 * next cell's text begins right behind it (two goals of a 绩效目标表 side
 * by side).  What it misses: a line that
 * overflows by more (a label running on into an empty cell) still merges
 * the two cells, as a note run over a table's last row must.
 *
 * Column edges the rulings miss.  Some tables rule their rows but not all
 * their columns (an outer frame and row rules only, short column rules in
 * rows too low to be found, pale rules lost even at the finer rendering):
 * a column of the grid then holds two columns of the table, and its cells
 * two amounts ("222.676050 130.819050") or a label and an amount.  So,
 * before the cells are made, each column is searched for gutters in its
 * text (text_edges):
 *   1. the lines of text in each row of the column that holds an amount
 *      (the data rows; headers and label rows may run across a gutter);
 *   2. the x-intervals no glyph of those lines covers, at least GUTTER
 *      points wide, inside the column: the free intervals common to them;
 *   3. a free interval becomes a column edge (at its middle) when some line
 *      has an amount right before it and anything right after it, or two
 *      lines have anything before it and an amount right after it: a cell
 *      never holds two amounts, nor a label and an amount side by side.
 * Such an edge separates the cells on its two sides unless text crosses it
 * (a header centred over the two columns merges its cells, as it would
 * across a missing rule).  Likewise a column edge ruled elsewhere but not
 * in a row separates that row's cells when both hold an amount (amounts
 * set right against a short rule hide it from the detector).  What it misses: a gutter that a data row fills
 * (an amount that overflows into the next column), two amounts set closer
 * than GUTTER points.
 *
 * Cost.  A grid's tests are per cell, and a page holds a thousand glyphs or
 * more: each test reads the glyphs of the cell's row or column (bands_of,
 * in the page's order, so that what it finds is what the page's glyphs
 * would give), a cell's amount is read once, and a box without a point or
 * comma holds no decimal amount.
 */
#include "normalize/internal.h"

#include <math.h>
#include <string.h>

#define SNAP 2.0        /* points: strokes this close are one level */
#define JOIN_GAP 4.5    /* points: segments on a level this close are one */
#define TOUCH 3.0       /* points: a stroke ending this close to another touches it */
#define THICK 3.5       /* points: thicker "strokes" are filled areas, not rules */
#define COVER 0.5       /* share of an edge a stroke must cover to separate cells */
#define GUTTER 2.0      /* points: the narrowest gap between two columns' text */
#define PRINT_EM 9.0    /* points: the height of full-size small print (print_scale) */

typedef struct {
    double pos;      /* y of a horizontal stroke, x of a vertical one */
    double a, b;     /* extent along the stroke */
} seg;

static int seg_order(const void *x, const void *y)
{
    const seg *s = x, *t = y;
    if (fabs(s->pos - t->pos) > 1e-9)
        return (s->pos > t->pos) - (s->pos < t->pos);
    return (s->a > t->a) - (s->a < t->a);
}

/* Snaps strokes to levels and joins the pieces of each level.  Returns the
 * number of segments left in segs. */
static size_t snap(seg *segs, size_t n)
{
    if (n == 0)
        return 0;
    qsort(segs, n, sizeof *segs, seg_order);
    /* levels: consecutive positions within SNAP share the level's first position */
    double level = segs[0].pos;
    for (size_t i = 0; i < n; i++) {
        if (segs[i].pos - level > SNAP)
            level = segs[i].pos;
        segs[i].pos = level;
    }
    qsort(segs, n, sizeof *segs, seg_order);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && segs[k - 1].pos == segs[i].pos && segs[i].a <= segs[k - 1].b + JOIN_GAP) {
            segs[k - 1].b = MAX(segs[k - 1].b, segs[i].b);
            continue;
        }
        segs[k++] = segs[i];
    }
    return k;
}

static int uf_find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void uf_union(int *parent, int a, int b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a != b)
        parent[MAX(a, b)] = MIN(a, b);
}

/* Share of [lo, hi] covered by segments at position pos. */
static double coverage(const seg *segs, size_t n, double pos, double lo, double hi)
{
    double covered = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(segs[i].pos - pos) > SNAP)
            continue;
        double a = MAX(segs[i].a, lo), b = MIN(segs[i].b, hi);
        if (b > a)
            covered += b - a;
    }
    return hi > lo ? covered / (hi - lo) : 0;
}

/* Number of strokes of `other` (perpendicular) that s crosses or touches. */
static int crossings(const seg *s, const seg *other, size_t n, double touch)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (other[i].pos >= s->a - touch && other[i].pos <= s->b + touch && s->pos >= other[i].a - touch &&
            s->pos <= other[i].b + touch)
            k++;
    return k;
}

/* TRUE when a perpendicular stroke lies at position pos (within touch),
 * whatever its extent. */
static gboolean level_at(double pos, const seg *other, size_t n_other, double touch)
{
    for (size_t i = 0; i < n_other; i++)
        if (fabs(other[i].pos - pos) <= touch)
            return TRUE;
    return FALSE;
}

/* Keeps the strokes that meet at least two perpendicular ones: a cell edge
 * runs from one rule to the next, while a stroke of a glyph, an underline or
 * a stray mark meets none or one.  A stroke that meets one and ends at two
 * rule levels is kept too: the edge of cells merged across a page break,
 * whose top and bottom rules the printing system left out on that page
 * (the rules of the other columns mark those levels). */
static size_t keep_connected(seg *segs, size_t n, const seg *other, size_t n_other, double touch)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int m = crossings(&segs[i], other, n_other, touch);
        if (m >= 2 || (m == 1 && level_at(segs[i].a, other, n_other, touch) &&
                       level_at(segs[i].b, other, n_other, touch) && segs[i].b - segs[i].a > 4 * touch))
            segs[k++] = segs[i];
    }
    return k;
}

static int dbl_order(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Sorted distinct levels of the given positions (within SNAP). */
static double *levels(GArray *pos, int *n_out)
{
    double *v = (double *)(void *)pos->data;
    qsort(v, pos->len, sizeof *v, dbl_order);
    double *out = g_new(double, pos->len + 1);
    int n = 0;
    for (guint i = 0; i < pos->len; i++)
        if (n == 0 || v[i] - out[n - 1] > SNAP)
            out[n++] = v[i];
    *n_out = n;
    return out;
}

bpn_grid *bpn_grid_new(int page, const double *xs, int n_cols, const double *ys, int n_rows)
{
    bpn_grid *g = g_new0(bpn_grid, 1);
    g->page = page;
    g->n_cols = n_cols;
    g->n_rows = n_rows;
    g->xs = g_memdup2(xs, sizeof(double) * (gsize)(n_cols + 1));
    g->ys = g_memdup2(ys, sizeof(double) * (gsize)(n_rows + 1));
    g->x0 = xs[0];
    g->x1 = xs[n_cols];
    g->y0 = ys[0];
    g->y1 = ys[n_rows];
    g->region = g_new(int, n_rows * n_cols);
    for (int i = 0; i < n_rows * n_cols; i++)
        g->region[i] = i;
    g->text = g_new0(char *, n_rows * n_cols);
    return g;
}

void bpn_grid_free(gpointer p)
{
    bpn_grid *g = p;
    if (!g)
        return;
    for (int i = 0; g->text && i < g->n_rows * g->n_cols; i++)
        g_free(g->text[i]);
    g_free(g->text);
    g_free(g->region);
    g_free(g->xs);
    g_free(g->ys);
    g_free(g);
}

void bpn_grid_drop_cells(bpn_grid *g)
{
    for (int i = 0; g->text && i < g->n_rows * g->n_cols; i++)
        g_free(g->text[i]);
    g_clear_pointer(&g->text, g_free);
    g_clear_pointer(&g->region, g_free);
    g_clear_pointer(&g->xs, g_free);
    g_clear_pointer(&g->ys, g_free);
    g->n_rows = g->n_cols = 0;
}

static int bisect(const double *edges, int n_cells, double v)
{
    if (v < edges[0] || v > edges[n_cells])
        return -1;
    int lo = 0, hi = n_cells - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (edges[mid] <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Drops the inner edges (column edges xs, or row edges) that separate no
 * pair of cells anywhere: a stroke shorter than any cell it lies in (a glyph
 * stroke, a tick) must not cut the table.  The outer edges stay.  Returns the
 * new count. */
static int prune_edges(double *edges, int n, const double *across, int n_across, const seg *strokes,
                       size_t n_strokes)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        gboolean keep = i == 0 || i == n - 1;
        for (int j = 0; j + 1 < n_across && !keep; j++)
            keep = coverage(strokes, n_strokes, edges[i], across[j], across[j + 1]) >= COVER;
        if (keep)
            edges[k++] = edges[i];
    }
    return k;
}

/* The x-extent of the line of text ch stands in: the glyphs on its baseline
 * (same size) each at most half an em from the next. */
static void line_extent(GPtrArray *chars, const bpx_char *ch, double *lx0, double *lx1)
{
    *lx0 = ch->box.x0;
    *lx1 = ch->box.x1;
    double gap = 0.5 * ch->font_size;
    gboolean grew = TRUE;
    while (grew) {
        grew = FALSE;
        for (guint j = 0; j < chars->len; j++) {
            const bpx_char *nx = chars->pdata[j];
            if (fabs(nx->box.y0 - ch->box.y0) >= 1 || fabs(nx->font_size - ch->font_size) >= 0.5)
                continue;
            if (nx->box.x1 > *lx1 && nx->box.x0 <= *lx1 + gap && nx->box.x0 > *lx0) {
                *lx1 = nx->box.x1;
                grew = TRUE;
            }
            if (nx->box.x0 < *lx0 && nx->box.x1 >= *lx0 - gap && nx->box.x1 < *lx1) {
                *lx0 = nx->box.x0;
                grew = TRUE;
            }
        }
    }
}

/* TRUE when the line of text ch stands in overflows its cell: it is wider
 * than the column that holds most of it (so it cannot fit, and a drawn rule
 * beside it is no glyph stroke), and it runs past that column by less than
 * a glyph on either side (a value centred in a cell just too narrow for it).
 * Text merged over two columns, or a note in a table's last row running on
 * over rules drawn under it, runs on much further and crosses the rule. */
static gboolean line_overflows(GPtrArray *chars, const bpx_char *ch, const double *xs, int nx)
{
    double lx0, lx1;
    line_extent(chars, ch, &lx0, &lx1);
    double best = 0, cx0 = 0, cx1 = 0;
    for (int k = 0; k + 1 < nx; k++) {
        double in = MIN(lx1, xs[k + 1]) - MAX(lx0, xs[k]);
        if (in > best) {
            best = in;
            cx0 = xs[k];
            cx1 = xs[k + 1];
        }
    }
    return lx1 - lx0 > cx1 - cx0 + 0.5 && cx0 - lx0 < ch->font_size && lx1 - cx1 < ch->font_size;
}

/* TRUE when text runs across the vertical edge at x between y0 and y1: no
 * cell border runs through a glyph, nor between two glyphs of one word
 * (cells have padding), so such an "edge" is a glyph's own stroke that the
 * ruling detector took for a rule, or a rule it carried on through them.
 * A glyph box may overlap a real rule by its side bearing (text set tight
 * against a border): it crosses when it reaches 0.75 pt (or 30% of its
 * width, for narrow glyphs) past the edge on both sides.  With the column
 * edges xs (nx of them) given for a drawn rule, text too wide for its cell
 * that runs over the rule (a centred value wider than a narrow column, a
 * label running on past its cell) does not cross it: the rule is real, and
 * the text merely overflows (line_overflows).  row: the glyphs whose
 * centres lie between y0 and y1 (a subset of chars, in its order), those
 * that can cross. */
static gboolean text_crosses(GPtrArray *row, GPtrArray *chars, double x, double y0, double y1,
                             const double *xs, int nx)
{
    for (guint i = 0; i < row->len; i++) {
        const bpx_char *ch = row->pdata[i];
        double mid = (ch->box.y0 + ch->box.y1) / 2;
        if (mid <= y0 || mid >= y1)
            continue;
        double margin = MIN((ch->box.x1 - ch->box.x0) * 0.3, 0.75);
        if (ch->box.x0 + margin < x && ch->box.x1 - margin > x) {
            if (xs && line_overflows(chars, ch, xs, nx))
                continue;
            /* a comma or closing bracket hung past the line's end over a
             * drawn border (CJK typesetting: 避头点号) crosses nothing */
            if (xs && bpn_hangs_at_line_end(ch->cp))
                continue;
            return TRUE;
        }
        if (ch->box.x1 > x + 1 || ch->box.x1 < x - 0.3 * ch->font_size)
            continue;
        /* ch ends at the edge: is the next glyph of its line right behind it? */
        for (guint j = 0; j < chars->len; j++) {
            const bpx_char *nx_ch = chars->pdata[j];
            if (nx_ch != ch && fabs(nx_ch->box.y0 - ch->box.y0) < 1 &&
                fabs(nx_ch->font_size - ch->font_size) < 0.5 && nx_ch->box.x0 >= x - 1 &&
                nx_ch->box.x0 - ch->box.x1 < 0.08 * ch->font_size && nx_ch->box.x0 - ch->box.x1 > -1 &&
                !(xs && line_overflows(chars, ch, xs, nx)))
                return TRUE;
        }
    }
    return FALSE;
}

/* TRUE when the horizontal edge at y between x0 and x1 is no rule but the
 * strokes of a line of text it cuts in two: text centred in a cell merged
 * over two rows, whose glyph strokes the ruling detector joined into a
 * "rule" about as long as the text.  The edge must pass through the middle
 * third of the glyphs, and the stroke must not go on beside the text: a real
 * rule runs the cell's width, and text that merely overflows a short row
 * (wrapped labels in a tight form) leaves it standing. */
static gboolean text_across_row_edge(GPtrArray *chars, const seg *hs, size_t nh, double y, double x0, double x1)
{
    /* chars: all of the page's, or those whose centres lie between x0 and x1 */
    double tx0 = x1, tx1 = x0;
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *ch = chars->pdata[i];
        double mid = (ch->box.x0 + ch->box.x1) / 2, h = ch->box.y1 - ch->box.y0;
        if (mid > x0 && mid < x1 && ch->box.y0 + h / 3 < y && ch->box.y1 - h / 3 > y) {
            tx0 = MIN(tx0, ch->box.x0);
            tx1 = MAX(tx1, ch->box.x1);
        }
    }
    if (tx1 <= tx0)
        return FALSE;
    double left = MAX(tx0 - 2 - x0, 0), right = MAX(x1 - (tx1 + 2), 0);
    if (left + right < 4)
        return TRUE; /* the text fills the cell: nothing beside it to judge by */
    double beside = (left > 0 ? coverage(hs, nh, y, x0, tx0 - 2) * left : 0) +
                    (right > 0 ? coverage(hs, nh, y, tx1 + 2, x1) * right : 0);
    return beside < 0.5 * (left + right);
}

static gboolean decimal_amount(const char *text)
{
    return bpn_parse_amount(text, NULL) && strpbrk(text, ".,") != NULL;
}

typedef struct {
    double a, b;
} span;

static int span_order(const void *p, const void *q)
{
    const span *x = p, *y = q;
    return (x->a > y->a) - (x->a < y->a);
}

/* The text of the glyphs of line (const bpx_char*, left to right) whose
 * centres lie in (a, b).  Caller frees. */
static char *text_between(GPtrArray *line, double a, double b)
{
    GString *t = g_string_new(NULL);
    for (guint i = 0; i < line->len; i++) {
        const bpx_char *ch = line->pdata[i];
        double mid = (ch->box.x0 + ch->box.x1) / 2;
        if (mid > a && mid < b)
            g_string_append_unichar(t, ch->cp);
    }
    return g_string_free(t, FALSE);
}

static int char_x_order(gconstpointer a, gconstpointer b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

static int char_y_order(gconstpointer a, gconstpointer b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    double cx = (x->box.y0 + x->box.y1) / 2, cy = (y->box.y0 + y->box.y1) / 2;
    return (cx > cy) - (cx < cy);
}

/* The lines of text (GPtrArray of const bpx_char*, left to right) of the
 * glyphs whose centres lie in the box. */
static GPtrArray *lines_in(GPtrArray *chars, double x0, double x1, double y0, double y1)
{
    GPtrArray *in = g_ptr_array_new();
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *ch = chars->pdata[i];
        double mx = (ch->box.x0 + ch->box.x1) / 2, my = (ch->box.y0 + ch->box.y1) / 2;
        if (mx > x0 && mx < x1 && my > y0 && my < y1)
            g_ptr_array_add(in, (gpointer)ch);
    }
    g_ptr_array_sort(in, char_y_order);
    GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    GPtrArray *cur = NULL;
    double cy = 0, fs = 0;
    for (guint i = 0; i < in->len; i++) {
        const bpx_char *ch = in->pdata[i];
        double my = (ch->box.y0 + ch->box.y1) / 2;
        if (!cur || my - cy > 0.5 * MAX(fs, 1.0)) {
            cur = g_ptr_array_new();
            g_ptr_array_add(lines, cur);
            cy = my;
            fs = ch->box.y1 - ch->box.y0;
        }
        g_ptr_array_add(cur, (gpointer)ch);
    }
    for (guint i = 0; i < lines->len; i++)
        g_ptr_array_sort(lines->pdata[i], char_x_order);
    g_ptr_array_unref(in);
    return lines;
}

/* Whether the glyphs with their centres in the box print an amount: a run
 * of a line without a gap of GUTTER that reads as a decimal amount (which
 * has a point or a comma: a box without one has none). */
static gboolean box_has_amount(GPtrArray *chars, double x0, double x1, double y0, double y1)
{
    gboolean mark = FALSE;
    for (guint i = 0; i < chars->len && !mark; i++) {
        const bpx_char *ch = chars->pdata[i];
        double mx = (ch->box.x0 + ch->box.x1) / 2, my = (ch->box.y0 + ch->box.y1) / 2;
        mark = (ch->cp == '.' || ch->cp == ',') && mx > x0 && mx < x1 && my > y0 && my < y1;
    }
    if (!mark)
        return FALSE;
    GPtrArray *lines = lines_in(chars, x0, x1, y0, y1);
    gboolean amount = FALSE;
    for (guint i = 0; i < lines->len && !amount; i++) {
        GPtrArray *l = lines->pdata[i];
        guint j = 0;
        while (j < l->len && !amount) {
            guint k = j + 1;
            while (k < l->len && ((const bpx_char *)l->pdata[k])->box.x0 -
                                         ((const bpx_char *)l->pdata[k - 1])->box.x1 < GUTTER)
                k++;
            char *t = text_between(l, ((const bpx_char *)l->pdata[j])->box.x0 - 0.1,
                                   ((const bpx_char *)l->pdata[k - 1])->box.x1 + 0.1);
            amount = decimal_amount(t);
            g_free(t);
            j = k;
        }
    }
    g_ptr_array_unref(lines);
    return amount;
}

/* The column edges inside [xa, xb] that the text of the rows ys (ny edges)
 * shows and no rule does (see the essay): appended to out.  rows[r]: the
 * glyphs whose centres lie in row r (rows_of). */
static void text_edges(GPtrArray *const *rows, double xa, double xb, const double *ys, int ny, GArray *out)
{
    /* 1. the lines of the data rows */
    GPtrArray *data = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    for (int r = 0; r + 1 < ny; r++) {
        gboolean amount = box_has_amount(rows[r], xa, xb, ys[r], ys[r + 1]);
        GPtrArray *lines = amount ? lines_in(rows[r], xa, xb, ys[r], ys[r + 1]) : g_ptr_array_new();
        for (guint i = 0; amount && i < lines->len; i++)
            g_ptr_array_add(data, g_ptr_array_ref(lines->pdata[i]));
        g_ptr_array_unref(lines);
    }
    if (data->len == 0) {
        g_ptr_array_unref(data);
        return;
    }
    /* 2. the free intervals: the column less every glyph of the data lines */
    GArray *occ = g_array_new(FALSE, FALSE, sizeof(span));
    for (guint i = 0; i < data->len; i++) {
        GPtrArray *l = data->pdata[i];
        for (guint j = 0; j < l->len; j++) {
            const bpx_char *ch = l->pdata[j];
            g_array_append_val(occ, ((span){ch->box.x0, ch->box.x1}));
        }
    }
    g_array_sort(occ, span_order);
    GArray *free_iv = g_array_new(FALSE, FALSE, sizeof(span));
    double reach = -INFINITY;
    for (guint i = 0; i < occ->len; i++) {
        span o = g_array_index(occ, span, i);
        if (reach > -INFINITY && o.a - reach >= GUTTER)
            g_array_append_val(free_iv, ((span){reach, o.a}));
        reach = MAX(reach, o.b);
    }
    /* 3. the gutters with an amount beside them */
    for (guint f = 0; f < free_iv->len; f++) {
        span g = g_array_index(free_iv, span, f);
        double lo = f > 0 ? g_array_index(free_iv, span, f - 1).b : xa;
        double hi = f + 1 < free_iv->len ? g_array_index(free_iv, span, f + 1).a : xb;
        int amount_before = 0, amount_after = 0;
        for (guint i = 0; i < data->len; i++) {
            GPtrArray *l = data->pdata[i];
            char *before = text_between(l, lo, g.a), *after = text_between(l, g.b, hi);
            if (*before && *after) {
                if (decimal_amount(before))
                    amount_before++;
                if (decimal_amount(after))
                    amount_after++;
            }
            g_free(before);
            g_free(after);
        }
        if (amount_before >= 1 || amount_after >= 2) {
            double x = (g.a + g.b) / 2;
            g_array_append_val(out, x);
        }
    }
    g_array_free(free_iv, TRUE);
    g_array_free(occ, TRUE);
    g_ptr_array_unref(data);
}

/* box_has_amount of cell (r, c), row r's glyphs given, kept in memo. */
static gboolean cell_has_amount(gint8 *memo, GPtrArray *row, const double *xs, const double *ys, int nc, int r,
                                int c)
{
    gint8 *m = &memo[r * nc + c];
    if (*m < 0)
        *m = (gint8)box_has_amount(row, xs[c], xs[c + 1], ys[r], ys[r + 1]);
    return *m;
}

static gboolean is_inferred(const double *inferred, int n, double x)
{
    for (int i = 0; i < n; i++)
        if (inferred[i] == x)
            return TRUE;
    return FALSE;
}

/* The glyphs of chars whose centres lie strictly between edges[k] and
 * edges[k + 1] (n + 1 edges, increasing), for each k, in the order of chars;
 * across: along y (rows) or x (columns).  A cell's tests look at its row's
 * or its column's glyphs only, not at the page's.  Free with free_bands. */
static GPtrArray **bands_of(GPtrArray *chars, const double *edges, int n, gboolean rows)
{
    GPtrArray **band = g_new(GPtrArray *, n > 0 ? n : 1);
    for (int k = 0; k < n; k++)
        band[k] = g_ptr_array_new();
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *ch = chars->pdata[i];
        double m = rows ? (ch->box.y0 + ch->box.y1) / 2 : (ch->box.x0 + ch->box.x1) / 2;
        int k = bisect(edges, n, m);
        if (k >= 0 && m > edges[k] && m < edges[k + 1])
            g_ptr_array_add(band[k], (gpointer)ch);
    }
    return band;
}

static void free_bands(GPtrArray **band, int n)
{
    for (int k = 0; k < n; k++)
        g_ptr_array_unref(band[k]);
    g_free(band);
}

/* Builds one grid from the strokes of a component. */
static bpn_grid *grid_from(int page, const seg *hs, size_t nh, const seg *vs, size_t nv, GPtrArray *chars)
{
    GArray *yp = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *xp = g_array_new(FALSE, FALSE, sizeof(double));
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < nh; i++) {
        g_array_append_val(yp, hs[i].pos);
        x0 = MIN(x0, hs[i].a);
        x1 = MAX(x1, hs[i].b);
    }
    for (size_t i = 0; i < nv; i++) {
        g_array_append_val(xp, vs[i].pos);
        y0 = MIN(y0, vs[i].a);
        y1 = MAX(y1, vs[i].b);
    }
    /* unruled outer sides are closed by the extent of the other strokes */
    g_array_append_val(xp, x0);
    g_array_append_val(xp, x1);
    g_array_append_val(yp, y0);
    g_array_append_val(yp, y1);
    int nx, ny;
    double *xs = levels(xp, &nx), *ys = levels(yp, &ny);
    g_array_free(xp, TRUE);
    g_array_free(yp, TRUE);
    nx = prune_edges(xs, nx, ys, ny, vs, nv);
    ny = prune_edges(ys, ny, xs, nx, hs, nh);
    if (nx < 2 || ny < 2 || xs[nx - 1] - xs[0] < 40 || ys[ny - 1] - ys[0] < 8) {
        g_free(xs);
        g_free(ys);
        return NULL;
    }
    /* column edges the text shows where no rule does, from the glyphs
     * of each row */
    GPtrArray **rows = bands_of(chars, ys, ny - 1, TRUE);
    GArray *found = g_array_new(FALSE, FALSE, sizeof(double));
    for (int c = 0; c + 1 < nx; c++)
        text_edges(rows, xs[c], xs[c + 1], ys, ny, found);
    double *inferred = (double *)(void *)found->data;
    int n_inferred = (int)found->len;
    if (n_inferred) {
        xs = g_renew(double, xs, nx + n_inferred);
        memcpy(xs + nx, inferred, sizeof(double) * (size_t)n_inferred);
        nx += n_inferred;
        qsort(xs, (size_t)nx, sizeof *xs, dbl_order);
    }
    bpn_grid *g = g_new0(bpn_grid, 1);
    g->page = page;
    /* levels() sized them by the strokes' ends: the grid keeps its edges only */
    g->xs = g_renew(double, xs, nx);
    g->ys = g_renew(double, ys, ny);
    xs = g->xs;
    ys = g->ys;
    g->n_cols = nx - 1;
    g->n_rows = ny - 1;
    g->x0 = xs[0];
    g->x1 = xs[nx - 1];
    g->y0 = ys[0];
    g->y1 = ys[ny - 1];
    int nc = g->n_cols, nr = g->n_rows, ncell = nr * nc;
    int *parent = g_new(int, ncell);
    for (int i = 0; i < ncell; i++)
        parent[i] = i;
    GPtrArray **cols = bands_of(chars, xs, nc, FALSE);
    gint8 *amount = g_new(gint8, ncell); /* box_has_amount of each cell, once: -1 not yet */
    memset(amount, -1, (size_t)ncell);
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            gboolean drawn = c + 1 < nc && !is_inferred(inferred, n_inferred, xs[c + 1]) &&
                             coverage(vs, nv, xs[c + 1], ys[r], ys[r + 1]) >= COVER;
            if (c + 1 < nc && ((!is_inferred(inferred, n_inferred, xs[c + 1]) &&
                                coverage(vs, nv, xs[c + 1], ys[r], ys[r + 1]) < COVER &&
                                !(cell_has_amount(amount, rows[r], xs, ys, nc, r, c) &&
                                  cell_has_amount(amount, rows[r], xs, ys, nc, r, c + 1))) ||
                               text_crosses(rows[r], chars, xs[c + 1], ys[r], ys[r + 1],
                                            drawn ? xs : NULL, nx)))
                uf_union(parent, r * nc + c, r * nc + c + 1);
            if (r + 1 < nr && (coverage(hs, nh, ys[r + 1], xs[c], xs[c + 1]) < COVER ||
                               text_across_row_edge(cols[c], hs, nh, ys[r + 1], xs[c], xs[c + 1])))
                uf_union(parent, r * nc + c, (r + 1) * nc + c);
        }
    g_free(amount);
    free_bands(cols, nc);
    free_bands(rows, ny - 1);
    /* with the root the smallest index, the root is the top-left cell */
    g->region = g_new(int, ncell);
    for (int i = 0; i < ncell; i++)
        g->region[i] = uf_find(parent, i);
    g_free(parent);
    g->text = g_new0(char *, ncell);
    g_array_free(found, TRUE);
    return g;
}

/* A table has at least two columns of cells over at least two rows: a
 * framed paragraph, a text box or a boxed heading (one cell, or one cell a
 * row) is prose in a frame, and its text stays text. */
static gboolean tabular(const bpn_grid *g)
{
    int rows = 0;
    for (int r = 0; r < g->n_rows && rows < 2; r++) {
        int cells = 0;
        for (int c = 0; c < g->n_cols; c++)
            cells += g->region[r * g->n_cols + c] == r * g->n_cols + c;
        rows += cells >= 2;
    }
    return rows >= 2;
}

static int grid_order(gconstpointer a, gconstpointer b)
{
    const bpn_grid *x = *(bpn_grid *const *)a, *y = *(bpn_grid *const *)b;
    return (x->y0 > y->y0) - (x->y0 < y->y0);
}

static int char_y0_order(const void *a, const void *b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    return (x->box.y0 > y->box.y0) - (x->box.y0 < y->box.y0);
}

/* TRUE when a glyph of ch's line stands right beside it on its left (side
 * < 0) or on its right (side > 0): within half an em.  all: the glyphs
 * sorted by the tops of their boxes (a line's glyphs lie within a point of
 * ch's: the search starts two points above it). */
static gboolean line_goes_on(const bpx_char *const *all, guint n, const bpx_char *ch, int side)
{
    double gap = 0.5 * ch->font_size;
    guint lo = 0, hi = n;
    while (lo < hi) {
        guint m = lo + (hi - lo) / 2;
        if (all[m]->box.y0 < ch->box.y0 - 2)
            lo = m + 1;
        else
            hi = m;
    }
    for (guint j = lo; j < n && all[j]->box.y0 <= ch->box.y0 + 2; j++) {
        const bpx_char *nx = all[j];
        if (nx == ch || fabs(nx->box.y0 - ch->box.y0) >= 1 || fabs(nx->font_size - ch->font_size) >= 0.5)
            continue;
        if (side < 0 && nx->box.x1 <= ch->box.x0 + 1 && nx->box.x1 > ch->box.x0 - gap && nx->box.x0 < ch->box.x0)
            return TRUE;
        if (side > 0 && nx->box.x0 >= ch->box.x1 - 1 && nx->box.x0 < ch->box.x1 + gap && nx->box.x1 > ch->box.x1)
            return TRUE;
    }
    return FALSE;
}

typedef struct {
    const bpx_char **by_top;
    guint n;
    gboolean sorted;
} glyph_index;

/* The column of glyph ch, whose centre is in column c of g: a glyph that
 * straddles a column edge kept by a drawn rule (text overflowing a cell too
 * narrow for it, see line_overflows) belongs to the cell where its line
 * is, the side its neighbours stand on, even when its centre is past the
 * rule. */
static int glyph_column(const bpn_grid *g, glyph_index *all, const bpx_char *ch, int c)
{
    gboolean left = c > 0 && ch->box.x0 < g->xs[c];
    gboolean right = c + 1 < g->n_cols && ch->box.x1 > g->xs[c + 1];
    if (!left && !right)
        return c;
    /* punctuation hung past a line's end (避头点号) ends the line on its left */
    if (left && bpn_hangs_at_line_end(ch->cp))
        return c - 1;
    guint n = all->n;
    if (!all->sorted) {
        qsort(all->by_top, n, sizeof *all->by_top, char_y0_order);
        all->sorted = TRUE;
    }
    const bpx_char *const *by_top = all->by_top;
    if (left && line_goes_on(by_top, n, ch, -1) && !line_goes_on(by_top, n, ch, 1))
        return c - 1;
    if (right && line_goes_on(by_top, n, ch, 1) && !line_goes_on(by_top, n, ch, -1))
        return c + 1;
    return c;
}

/* Share of the smaller of two glyph boxes that the other covers, across
 * (x) and down (y). */
static gboolean glyphs_collide(const bpx_char *a, const bpx_char *b)
{
    double ox = MIN(a->box.x1, b->box.x1) - MAX(a->box.x0, b->box.x0),
           oy = MIN(a->box.y1, b->box.y1) - MAX(a->box.y0, b->box.y0);
    double w = MIN(a->box.x1 - a->box.x0, b->box.x1 - b->box.x0), h = MIN(a->box.y1 - a->box.y0, b->box.y1 - b->box.y0);
    return w > 0 && h > 0 && ox > 0.3 * w && oy > 0.3 * h;
}

/* Text run on past a row rule (wrapped labels in rows too low for them,
 * 北京 预算03表): the glyphs of a label's second line straddle the rule
 * under its cell, their centres below it, so they fall in the cell below
 * and there lie over that cell's own text — two glyphs on one spot, which
 * a cell's own lines never do.  Such straddling glyphs of a merged area
 * (cells[i], i its top-left cell) go back over the edge they cross, to the
 * area beside it in their column; upward only if they collide with a
 * glyph of the area that does not straddle, likewise downward (a label
 * centred in a row too low, its first line over the rule above).  What it
 * misses: a run-on line that collides with nothing (an empty cell below)
 * stays where its centre is. */
static void overflow_back(const bpn_grid *g, GPtrArray *const *cells)
{
    int nc = g->n_cols, nr = g->n_rows;
    for (int i = 0; i < nr * nc; i++) {
        GPtrArray *cc = cells[i];
        if (g->region[i] != i || cc->len < 2)
            continue;
        int r0 = i / nc, c0 = i % nc, r1 = r0;
        while (r1 + 1 < nr && g->region[(r1 + 1) * nc + c0] == i)
            r1++;
        for (int side = -1; side <= 1; side += 2) {
            int to_row = side < 0 ? r0 - 1 : r1 + 1;
            if (to_row < 0 || to_row >= nr)
                continue;
            double edge = side < 0 ? g->ys[r0] : g->ys[r1 + 1];
            GPtrArray *over = g_ptr_array_new();
            for (guint k = 0; k < cc->len; k++) {
                const bpx_char *ch = cc->pdata[k];
                if (ch->box.y0 < edge - 0.5 && ch->box.y1 > edge + 0.5)
                    g_ptr_array_add(over, (gpointer)ch);
            }
            gboolean collide = FALSE;
            for (guint k = 0; k < cc->len && over->len && !collide; k++) {
                const bpx_char *own = cc->pdata[k];
                if (own->box.y0 < edge - 0.5 && own->box.y1 > edge + 0.5)
                    continue;
                for (guint j = 0; j < over->len && !collide; j++)
                    collide = glyphs_collide(own, over->pdata[j]);
            }
            for (guint j = 0; collide && j < over->len; j++) {
                const bpx_char *ch = over->pdata[j];
                int c = bisect(g->xs, nc, (ch->box.x0 + ch->box.x1) / 2);
                int to = g->region[to_row * nc + (c < 0 ? c0 : c)];
                if (to == i)
                    continue;
                g_ptr_array_remove(cc, (gpointer)ch);
                g_ptr_array_add(cells[to], (gpointer)ch);
            }
            g_ptr_array_free(over, TRUE);
        }
    }
}

void bpn_grid_fill(GPtrArray *grids, GPtrArray *chars)
{
    /* the page's glyphs, sorted by their tops (line_goes_on) once a glyph
     * straddles a column edge; copied now, as chars is compacted below */
    glyph_index all = { g_new(const bpx_char *, chars->len + 1), chars->len, FALSE };
    if (chars->len) /* a page without glyphs has no pdata */
        memcpy(all.by_top, chars->pdata, chars->len * sizeof *all.by_top);
    GPtrArray **cell_chars = g_new0(GPtrArray *, grids->len);
    for (guint gi = 0; gi < grids->len; gi++) {
        bpn_grid *g = grids->pdata[gi];
        cell_chars[gi] = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
        for (int i = 0; i < g->n_rows * g->n_cols; i++)
            g_ptr_array_add(cell_chars[gi], g_ptr_array_new());
    }
    guint kept = 0;
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *ch = chars->pdata[i];
        double x = (ch->box.x0 + ch->box.x1) / 2, y = (ch->box.y0 + ch->box.y1) / 2;
        gboolean used = FALSE;
        for (guint gi = 0; gi < grids->len && !used; gi++) {
            bpn_grid *g = grids->pdata[gi];
            int c = bisect(g->xs, g->n_cols, x), r = bisect(g->ys, g->n_rows, y);
            /* punctuation hung past the table's right border (避头点号)
             * ends a line of the last column */
            if (c < 0 && r >= 0 && x > g->xs[g->n_cols] && ch->box.x0 < g->xs[g->n_cols] &&
                bpn_hangs_at_line_end(ch->cp))
                c = g->n_cols - 1;
            if (c < 0 || r < 0)
                continue;
            c = glyph_column(g, &all, ch, c);
            g_ptr_array_add(cell_chars[gi]->pdata[g->region[r * g->n_cols + c]], (gpointer)ch);
            used = TRUE;
        }
        if (!used)
            chars->pdata[kept++] = (gpointer)ch;
    }
    g_ptr_array_set_size(chars, kept);
    for (guint gi = 0; gi < grids->len; gi++) {
        bpn_grid *g = grids->pdata[gi];
        overflow_back(g, (GPtrArray *const *)cell_chars[gi]->pdata);
        for (int i = 0; i < g->n_rows * g->n_cols; i++) {
            GPtrArray *cc = cell_chars[gi]->pdata[i];
            if (cc->len == 0)
                continue;
            GPtrArray *lines = bpn_lines_build(cc, 0);
            g->text[i] = bpn_lines_join(lines);
            g_ptr_array_unref(lines);
        }
        g_ptr_array_unref(cell_chars[gi]);
    }
    g_free(cell_chars);
    g_free(all.by_top);
}

/* The page's print against full-size print: the height of its small print
 * (the lower quartile of its upright glyphs' heights, as extract/ruling.c
 * measures it) over PRINT_EM points, at most 1 (and 1 for a page of fewer
 * than 20 glyphs).  A page shrunk to fit the paper has its rulings found
 * as finely as it is shrunk (ruling.c, "Small print"), and the tolerance
 * for where a stroke ends (TOUCH) shrinks with it: at 0.5, 3 pt is a row's
 * height over a glyph's and joins a watermark's stroke to the rule below
 * it. */
static double print_scale(GPtrArray *chars)
{
    double *height = g_new(double, chars->len + 1);
    size_t m = 0;
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *ch = chars->pdata[i];
        if (ch->dir == BPX_DIR_HORIZONTAL && !ch->hidden && ch->box.y1 > ch->box.y0)
            height[m++] = ch->box.y1 - ch->box.y0;
    }
    double scale = 1.0;
    if (m >= 20) {
        qsort(height, m, sizeof *height, dbl_order);
        if (height[m / 4] < PRINT_EM)
            scale = height[m / 4] / PRINT_EM;
    }
    g_free(height);
    return scale;
}

GPtrArray *bpn_grids_find(const bpx_page *page, GPtrArray *chars)
{
    GPtrArray *grids = g_ptr_array_new_with_free_func(bpn_grid_free);
    size_t nh = 0, nv = 0;
    seg *hs = g_new(seg, page->n_hlines + 1), *vs = g_new(seg, page->n_vlines + 1);
    for (size_t i = 0; i < page->n_hlines; i++) {
        const bpx_line *l = &page->hlines[i];
        if (l->y1 - l->y0 <= THICK)
            hs[nh++] = (seg){(l->y0 + l->y1) / 2, MIN(l->x0, l->x1), MAX(l->x0, l->x1)};
    }
    for (size_t i = 0; i < page->n_vlines; i++) {
        const bpx_line *l = &page->vlines[i];
        if (l->x1 - l->x0 <= THICK)
            vs[nv++] = (seg){(l->x0 + l->x1) / 2, MIN(l->y0, l->y1), MAX(l->y0, l->y1)};
    }
    nh = snap(hs, nh);
    nv = snap(vs, nv);
    /* twice: dropping stray vertical strokes may strand horizontal ones */
    double touch = TOUCH * print_scale(chars);
    for (int pass = 0; pass < 2; pass++) {
        nv = keep_connected(vs, nv, hs, nh, touch);
        nh = keep_connected(hs, nh, vs, nv, touch);
    }
    /* components: strokes 0..nh-1 horizontal, nh.. vertical */
    int n = (int)(nh + nv);
    int *parent = g_new(int, n ? n : 1);
    for (int i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < nh; i++)
        for (size_t j = 0; j < nv; j++)
            if (vs[j].pos >= hs[i].a - touch && vs[j].pos <= hs[i].b + touch && hs[i].pos >= vs[j].a - touch &&
                hs[i].pos <= vs[j].b + touch)
                uf_union(parent, (int)i, (int)(nh + j));
    for (int root = 0; root < n; root++) {
        if (uf_find(parent, root) != root)
            continue;
        seg *ch = g_new(seg, nh + 1), *cv = g_new(seg, nv + 1);
        size_t mh = 0, mv = 0;
        for (size_t i = 0; i < nh; i++)
            if (uf_find(parent, (int)i) == root)
                ch[mh++] = hs[i];
        for (size_t j = 0; j < nv; j++)
            if (uf_find(parent, (int)(nh + j)) == root)
                cv[mv++] = vs[j];
        if (mh >= 2 && mv >= 2) {
            bpn_grid *g = grid_from(page->number, ch, mh, cv, mv, chars);
            if (g && tabular(g))
                g_ptr_array_add(grids, g);
            else
                bpn_grid_free(g);
        }
        g_free(ch);
        g_free(cv);
    }
    g_free(parent);
    g_free(hs);
    g_free(vs);
    g_ptr_array_sort(grids, grid_order);
    bpn_grid_fill(grids, chars);
    return grids;
}
