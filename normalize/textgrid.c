/* textgrid.c — tables printed without rules.
 *
 * How it works.  Some producers print tables with no ruling at all (Word
 * tables with borders off, "three-line" tables whose few rules do not close
 * a grid).  What such a table still has is alignment: its amounts stand in
 * columns, one row per baseline.  We cut the page's remaining text into
 * segments at gaps wider than a glyph and a bit, and group segments that
 * share a baseline into text rows.  A text row holding at least two segments,
 * one of them an amount with decimals or thousands separators, is a data
 * row; a run of at least three data rows close together (the rows between
 * them may hold labels only) is a table.  Up to three rows of two or more
 * segments right above the first data row are its header.
 *
 * Columns come from the data rows only: the x-extents of their segments,
 * merged where they overlap, give the column intervals (right-aligned
 * amounts overlap on their right ends; header labels, often centred over
 * several columns, would blur them, so they are left out).  Column edges go
 * half way between intervals, row edges half way between rows.  A row of
 * one label set tighter under a row than rows are set apart is a wrapped
 * cell: it joins that row.  The result is an ordinary grid without merged cells, filled
 * like a ruled one, so tables.c reads both alike.
 */
#include "normalize/internal.h"

#include <math.h>
#include <string.h>

#define SEGMENT_GAP 1.2   /* font sizes: a wider gap ends a segment */
#define ROW_GAP 2.5       /* row heights: a wider gap between rows ends a table */
#define MIN_DATA_ROWS 3

typedef struct {
    double y0, y1;
    GPtrArray *segs;  /* bpn_line*, left to right, not owned */
    gboolean amount;  /* holds a decimal amount */
} text_row;

static gboolean decimal_amount(const char *text)
{
    return bpn_parse_amount(text, NULL) && strpbrk(text, ".,") != NULL;
}

typedef struct {
    double a, b;
} interval;

static int interval_order(const void *p, const void *q)
{
    const interval *x = p, *y = q;
    return (x->a > y->a) - (x->a < y->a);
}

/* Builds the grid of rows [first, last]; NULL if it has fewer than two
 * columns. */
static bpn_grid *grid_of(int page, text_row *rows, guint first, guint first_data, guint last)
{
    /* column intervals from the data rows */
    GArray *iv = g_array_new(FALSE, FALSE, sizeof(interval));
    for (guint r = first_data; r <= last; r++) {
        if (!rows[r].amount)
            continue;
        for (guint k = 0; k < rows[r].segs->len; k++) {
            const bpn_line *s = rows[r].segs->pdata[k];
            interval v = {s->x0, s->x1};
            g_array_append_val(iv, v);
        }
    }
    g_array_sort(iv, interval_order);
    GArray *cols = g_array_new(FALSE, FALSE, sizeof(interval));
    for (guint i = 0; i < iv->len; i++) {
        interval v = g_array_index(iv, interval, i);
        if (cols->len) {
            interval *last_col = &g_array_index(cols, interval, cols->len - 1);
            if (v.a <= last_col->b + 1) {
                last_col->b = MAX(last_col->b, v.b);
                continue;
            }
        }
        g_array_append_val(cols, v);
    }
    g_array_free(iv, TRUE);
    bpn_grid *g = NULL;
    if (cols->len >= 2) {
        int nc = (int)cols->len;
        double *xs = g_new(double, nc + 1);
        double left = g_array_index(cols, interval, 0).a, right = g_array_index(cols, interval, nc - 1).b;
        for (guint r = first; r <= last; r++)
            for (guint k = 0; k < rows[r].segs->len; k++) {
                const bpn_line *s = rows[r].segs->pdata[k];
                left = MIN(left, s->x0);
                right = MAX(right, s->x1);
            }
        xs[0] = left - 1;
        for (int c = 1; c < nc; c++)
            xs[c] = (g_array_index(cols, interval, c - 1).b + g_array_index(cols, interval, c).a) / 2;
        xs[nc] = right + 1;
        /* rows; a label-only row hanging under its row's first column joins it */
        GArray *ys = g_array_new(FALSE, FALSE, sizeof(double));
        double top = rows[first].y0 - 1;
        g_array_append_val(ys, top);
        for (guint r = first; r < last; r++) {
            const text_row *nx = &rows[r + 1];
            const bpn_line *only = nx->segs->len == 1 ? nx->segs->pdata[0] : NULL;
            gboolean wrapped = r + 1 > first_data && !nx->amount && only &&
                               nx->y0 - rows[r].y1 < 0.35 * (rows[r].y1 - rows[r].y0);
            if (wrapped)
                continue;
            double mid = (rows[r].y1 + nx->y0) / 2;
            g_array_append_val(ys, mid);
        }
        double bottom = rows[last].y1 + 1;
        g_array_append_val(ys, bottom);
        g = bpn_grid_new(page, xs, nc, (double *)(void *)ys->data, (int)ys->len - 1);
        g_array_free(ys, TRUE);
        g_free(xs);
    }
    g_array_free(cols, TRUE);
    return g;
}

GPtrArray *bpn_text_grids_find(const bpx_page *page, GPtrArray *chars)
{
    GPtrArray *grids = g_ptr_array_new_with_free_func(bpn_grid_free);
    if (chars->len < 12)
        return grids;
    GPtrArray *segs = bpn_lines_build(chars, SEGMENT_GAP);
    /* text rows: segments sharing a baseline band (segs come top to bottom) */
    GArray *rows = g_array_new(FALSE, TRUE, sizeof(text_row));
    for (guint i = 0; i < segs->len; i++) {
        bpn_line *s = segs->pdata[i];
        text_row *cur = rows->len ? &g_array_index(rows, text_row, rows->len - 1) : NULL;
        double h = s->y1 - s->y0;
        if (cur && MIN(cur->y1, s->y1) - MAX(cur->y0, s->y0) > 0.5 * MIN(h, cur->y1 - cur->y0)) {
            g_ptr_array_add(cur->segs, s);
            cur->y0 = MIN(cur->y0, s->y0);
            cur->y1 = MAX(cur->y1, s->y1);
        } else {
            text_row r = {s->y0, s->y1, g_ptr_array_new(), FALSE};
            g_ptr_array_add(r.segs, s);
            g_array_append_val(rows, r);
        }
    }
    text_row *tr = (text_row *)(void *)rows->data;
    for (guint r = 0; r < rows->len; r++)
        for (guint k = 0; k < tr[r].segs->len && tr[r].segs->len >= 2; k++)
            tr[r].amount |= decimal_amount(((bpn_line *)tr[r].segs->pdata[k])->text);

    /* runs of data rows */
    guint r = 0;
    while (r < rows->len) {
        if (!tr[r].amount) {
            r++;
            continue;
        }
        guint first_data = r, last = r, data = 1;
        double h = tr[r].y1 - tr[r].y0;
        for (guint k = r + 1; k < rows->len && tr[k].y0 - tr[k - 1].y1 < ROW_GAP * h; k++) {
            if (tr[k].amount) {
                last = k;
                data++;
            } else if (tr[k].segs->len < 2 && k > last + 2) {
                break;
            }
        }
        /* a wrapped label under the last row belongs to it */
        while (last + 1 < rows->len && !tr[last + 1].amount && tr[last + 1].segs->len == 1 &&
               tr[last + 1].y0 - tr[last].y1 < 0.35 * (tr[last].y1 - tr[last].y0))
            last++;
        if (data >= MIN_DATA_ROWS) {
            guint first = first_data;
            while (first > 0 && first_data - first < 3 && tr[first - 1].segs->len >= 2 &&
                   tr[first].y0 - tr[first - 1].y1 < ROW_GAP * h)
                first--;
            bpn_grid *g = grid_of(page->number, tr, first, first_data, last);
            if (g)
                g_ptr_array_add(grids, g);
        }
        r = last + 1;
    }
    for (guint i = 0; i < rows->len; i++)
        g_ptr_array_unref(tr[i].segs);
    g_array_free(rows, TRUE);
    g_ptr_array_unref(segs);
    bpn_grid_fill(grids, chars);
    return grids;
}
