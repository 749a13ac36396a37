/* textgrid.c — tables printed without rules.
 *
 * How it works.  Some producers print tables with no ruling at all (Word
 * tables with borders off, "three-line" tables whose few rules do not close
 * a grid).  What such a table still has is alignment: its amounts stand in
 * columns, one row per baseline.  We cut the page's remaining text into
 * segments at gaps wider than 0.6 font sizes (an amount may stand right
 * against the label of the next column), and group segments that share a
 * baseline into text rows; a line set tighter against a row with amounts
 * than rows are set apart is a line of that row (a wrapped label, the
 * amounts centred beside its lines).  A text row holding at least two segments,
 * one of them an amount with decimals or thousands separators, is a data
 * row; a run of at least three data rows close together is a table (or of
 * one or two, under a header row as wide as they are).  Rows between them
 * may hold labels only: a row of one segment that starts where a column of
 * the data rows starts and is narrower than half the table (the empty rows
 * of a 收支总表) stays in, and such rows just above or under the rows with
 * amounts are the table's too (a table continued from the page before);
 * a line of prose, a sentence or a note ends the run.  Up to three rows
 * of two or more segments right above the first data row are its header,
 * the unit line (单位名称：… 单位：万元) excluded.
 *
 * Columns come from the data rows: the x-extents of their segments, merged
 * where they overlap, give the column intervals (right-aligned amounts
 * overlap on their right ends); a label of a row without amounts that
 * starts where a column of labels starts widens that column.  The header's last row then adds the
 * columns no row fills (header_columns says how it tells them from a
 * column's own header lying beside its data) and widens each column to its
 * header.  A column of amounts begins right after the column before it
 * (amounts stand right-aligned, headers centred over them); a column of
 * text begins where its text does; row edges go half way between rows.
 * A row of one label set tighter under a row than rows are set apart is a
 * wrapped cell: it joins that row.  A header label that crosses column
 * edges (centred over several columns) merges its cells.  The result is an
 * ordinary grid, filled like a ruled one, so tables.c reads both alike.
 *
 * Measured on the fixtures drawn without rules (fixtures/generate.py,
 * BUDGETPDF_FIXTURE_RULES=none; the same with rules between rows only):
 * rows_f1 0.76 / 0.86 / 0.99, tables found 0.93 / 1.00 / 1.00 (000/003/004).
 * What it misses: tables with no amount at all (本表无数据 tables: tables.c
 * still reports them, from their title and note, but without rows); the
 * page of a table continued with fewer than three rows of amounts on it; a
 * 合计 printed across a merged code and
 * name cell lands in the column it stands in; header rows that wrap into
 * several text rows come out as several header rows.
 */
#include "normalize/internal.h"

#include <math.h>
#include <string.h>

#define SEGMENT_GAP 0.6   /* font sizes: a wider gap ends a segment (an amount right against the label of the next column) */
#define ROW_GAP 2.5       /* row heights: a wider gap between rows ends a table */
#define MIN_DATA_ROWS 3
#define WRAP_GAP 0.35     /* line heights: lines closer than this are one row's */
#define HEADER_GAP 0.5    /* font sizes: header cells of neighbouring columns stand closer */

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
    int amounts, texts; /* segments in it that are amounts, and the others */
} interval;

static int interval_order(const void *p, const void *q)
{
    const interval *x = p, *y = q;
    return (x->a > y->a) - (x->a < y->a);
}

static void widen(interval *col, const interval *by)
{
    col->a = MIN(col->a, by->a);
    col->b = MAX(col->b, by->b);
}

/* Columns that no data row fills (a column of the template left empty):
 * the header still names them.  The pieces of its last row (y0..y1; the
 * rows above hold labels spanning columns) (fine: text cut at
 * HEADER_GAP, merged where pieces overlap in x, as the lines of one wrapped
 * header cell do) that lie wholly in the gap between two data columns are
 * candidates.  But a column's own header, centred over it, may lie in a gap
 * too (short names under a wide 科目名称, a short amount under 项目支出): a
 * data column that no header piece overlaps takes the nearest candidate on
 * its side as its header.  The candidates left are columns of their own.
 * A column is widened to its header's extent, so that the edges placed
 * between columns keep each header with its column. */
static void header_columns(GArray *cols, GPtrArray *fine, double y0, double y1)
{
    guint n = cols->len;
    GArray *pieces = g_array_new(FALSE, FALSE, sizeof(interval));
    for (guint i = 0; i < fine->len; i++) {
        const bpn_line *s = fine->pdata[i];
        double cy = (s->y0 + s->y1) / 2;
        if (cy > y0 && cy < y1)
            g_array_append_val(pieces, ((interval){s->x0, s->x1, 0, 0}));
    }
    g_array_sort(pieces, interval_order);
    GArray *merged = g_array_new(FALSE, FALSE, sizeof(interval));
    for (guint i = 0; i < pieces->len; i++) {
        interval v = g_array_index(pieces, interval, i);
        interval *m = merged->len ? &g_array_index(merged, interval, merged->len - 1) : NULL;
        if (m && v.a <= m->b + 1)
            m->b = MAX(m->b, v.b);
        else
            g_array_append_val(merged, v);
    }
    /* which data columns a piece overlaps (-1: none), and whether each column has a header */
    gboolean *headed = g_new0(gboolean, n + 1);
    int *gap = g_new(int, merged->len + 1); /* the column a piece follows (-1: before the first) */
    GArray *add = g_array_new(FALSE, FALSE, sizeof(interval));
    for (guint i = 0; i < merged->len; i++) {
        const interval *v = &g_array_index(merged, interval, i);
        gap[i] = -2; /* overlaps a column */
        int before = -1, over = -1, n_over = 0;
        for (guint c = 0; c < n; c++) {
            const interval *col = &g_array_index(cols, interval, c);
            if (v->b > col->a - 1 && v->a < col->b + 1) {
                headed[c] = TRUE;
                over = (int)c;
                n_over++;
            } else if (col->b < v->a) {
                before = (int)c;
            }
        }
        if (!n_over && before >= 0)
            gap[i] = before;
        if (n_over == 1) /* a column's own header: the column is as wide */
            widen(&g_array_index(cols, interval, over), v);
    }
    for (guint i = 0; i < merged->len; i++) {
        if (gap[i] < 0)
            continue;
        int c = gap[i];
        gboolean leftmost = i == 0 || gap[i - 1] != c, rightmost = i + 1 == merged->len || gap[i + 1] != c;
        const interval *v = &g_array_index(merged, interval, i);
        if (leftmost && !headed[c]) {
            headed[c] = TRUE; /* the header of the column before the gap */
            widen(&g_array_index(cols, interval, c), v);
            continue;
        }
        if (rightmost && (guint)c + 1 < n && !headed[c + 1]) {
            headed[c + 1] = TRUE; /* the header of the column after it */
            widen(&g_array_index(cols, interval, c + 1), v);
            continue;
        }
        g_array_append_val(add, g_array_index(merged, interval, i));
    }
    if (add->len) {
        g_array_append_vals(cols, add->data, add->len);
        g_array_sort(cols, interval_order);
    }
    g_array_free(add, TRUE);
    g_free(gap);
    g_free(headed);
    g_array_free(merged, TRUE);
    g_array_free(pieces, TRUE);
}

/* A header label centred over several columns ("2025年预算数" over 合计,
 * 基本支出, 项目支出) crosses their edges: its cells are merged, as its
 * ruled counterpart is, so that the label stays whole in the first. */
static void merge_header_spans(bpn_grid *g, GPtrArray *fine, double data_top)
{
    for (guint i = 0; i < fine->len; i++) {
        const bpn_line *s = fine->pdata[i];
        double cy = (s->y0 + s->y1) / 2;
        if (cy <= g->y0 || cy >= data_top || s->x1 <= g->x0 || s->x0 >= g->x1)
            continue;
        int r = 0;
        while (r + 1 < g->n_rows && g->ys[r + 1] <= cy)
            r++;
        int c0 = 0, c1 = g->n_cols - 1;
        while (c0 + 1 < g->n_cols && g->xs[c0 + 1] <= s->x0)
            c0++;
        while (c1 > 0 && g->xs[c1] >= s->x1)
            c1--;
        for (int c = c0 + 1; c <= c1; c++)
            g->region[r * g->n_cols + c] = g->region[r * g->n_cols + c0];
    }
}

/* Builds the grid of rows [first, last]; NULL if it has fewer than two
 * columns. */
static bpn_grid *grid_of(int page, text_row *rows, guint first, guint first_data, guint last, GPtrArray *fine)
{
    /* column intervals from the data rows */
    GArray *iv = g_array_new(FALSE, FALSE, sizeof(interval));
    for (guint r = first_data; r <= last; r++) {
        if (!rows[r].amount)
            continue;
        for (guint k = 0; k < rows[r].segs->len; k++) {
            const bpn_line *s = rows[r].segs->pdata[k];
            gboolean amount = bpn_parse_amount(s->text, NULL);
            interval v = {s->x0, s->x1, amount, !amount};
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
                last_col->amounts += v.amounts;
                last_col->texts += v.texts;
                continue;
            }
        }
        g_array_append_val(cols, v);
    }
    g_array_free(iv, TRUE);
    /* a label in a row without amounts, where a column of labels starts,
     * belongs to that column however long it is (the 收支总表's labels) */
    for (guint r = first_data; r <= last; r++) {
        if (rows[r].amount)
            continue;
        for (guint k = 0; k < rows[r].segs->len; k++) {
            const bpn_line *sg = rows[r].segs->pdata[k];
            for (guint c = 0; c < cols->len; c++) {
                interval *col = &g_array_index(cols, interval, c);
                double next = c + 1 < cols->len ? g_array_index(cols, interval, c + 1).a : G_MAXDOUBLE;
                if (col->texts > col->amounts && fabs(sg->x0 - col->a) < 2 && sg->x1 < next - 1)
                    col->b = MAX(col->b, sg->x1);
            }
        }
    }
    if (first < first_data && cols->len)
        header_columns(cols, fine, rows[first_data - 1].y0 - (rows[first_data - 1].y1 - rows[first_data - 1].y0) / 2,
                       rows[first_data].y0);
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
        /* amounts stand right-aligned in their columns and headers centred
         * over them, so a column of amounts begins right after the column
         * before it; a column of text begins where its text does */
        for (int c = 1; c < nc; c++) {
            const interval *l = &g_array_index(cols, interval, c - 1), *rc = &g_array_index(cols, interval, c);
            double pad = MIN(2.0, (rc->a - l->b) / 2);
            xs[c] = rc->amounts > rc->texts ? l->b + pad : rc->a - pad;
        }
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
        if (first < first_data)
            merge_header_spans(g, fine, rows[first_data].y0);
        g_array_free(ys, TRUE);
        g_free(xs);
    }
    g_array_free(cols, TRUE);
    return g;
}

/* The line above a table that names its unit and measure (单位名称：…
 * 单位：万元), which has the two segments of a header row. */
static gboolean meta_row(const text_row *row)
{
    for (guint k = 0; k < row->segs->len; k++) {
        char *n = bpn_norm(((const bpn_line *)row->segs->pdata[k])->text);
        gboolean meta = g_str_has_prefix(n, "单位名称") || g_str_has_prefix(n, "部门名称") ||
                        g_str_has_prefix(n, "编制单位") || g_str_has_prefix(n, "单位:") ||
                        g_str_has_prefix(n, "部门:") || strstr(n, "单位:万元") || strstr(n, "单位:元");
        g_free(n);
        if (meta)
            return TRUE;
    }
    return FALSE;
}

/* A row of one segment inside a table: a label alone on its row (the
 * other columns of the row empty, as the many empty 功能科目 rows of a 收支
 * 总表).  It starts where a segment of the data rows first..last starts and
 * is narrower than half of their extent, which a line of prose is not, and
 * it is no sentence (。) and no note (注, 说明, 本表…). */
static gboolean label_row(const text_row *row, const text_row *rows, guint first, guint last)
{
    const bpn_line *only = row->segs->len == 1 ? row->segs->pdata[0] : NULL;
    if (!only)
        return FALSE;
    /* a sentence or a note is the prose around the table */
    char *n = bpn_norm(only->text);
    gboolean prose = strstr(n, "。") || g_str_has_prefix(n, "注") || g_str_has_prefix(n, "说明") ||
                     g_str_has_prefix(n, "备注") || strstr(n, "本表");
    g_free(n);
    if (prose)
        return FALSE;
    double left = G_MAXDOUBLE, right = -G_MAXDOUBLE;
    gboolean aligned = FALSE;
    for (guint r = first; r <= last; r++)
        for (guint k = 0; k < rows[r].segs->len; k++) {
            const bpn_line *s = rows[r].segs->pdata[k];
            left = MIN(left, s->x0);
            right = MAX(right, s->x1);
            aligned |= rows[r].amount && fabs(s->x0 - only->x0) < 2;
        }
    return aligned && only->x1 - only->x0 < (right - left) / 2;
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
    /* a line set tighter against a row with amounts than rows are set apart
     * is a line of that row (a label wrapped over two or three lines, the
     * amounts centred beside them); header lines stay rows of their own */
    guint kept = 0;
    for (guint r = 0; r < rows->len; r++) {
        text_row *cur = &tr[r];
        text_row *prev = kept ? &tr[kept - 1] : NULL;
        double h = MIN(cur->y1 - cur->y0, prev ? prev->y1 - prev->y0 : 0);
        if (prev && (prev->amount || cur->amount) && cur->y0 - prev->y1 < WRAP_GAP * h) {
            g_ptr_array_extend_and_steal(prev->segs, cur->segs);
            prev->y1 = MAX(prev->y1, cur->y1);
            prev->amount = TRUE;
            continue;
        }
        tr[kept++] = *cur;
    }
    g_array_set_size(rows, kept);
    tr = (text_row *)(void *)rows->data;

    /* runs of data rows */
    GPtrArray *fine = NULL;
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
            } else if (tr[k].segs->len < 2 && k > last + 2 && !label_row(&tr[k], tr, r, last)) {
                break;
            }
        }
        /* rows of a label alone under the last row with amounts (the rest of
         * a 收支总表's expenditure side, the page running on to the next) */
        while (last + 1 < rows->len && !tr[last + 1].amount && !meta_row(&tr[last + 1]) &&
               tr[last + 1].y0 - tr[last].y1 < ROW_GAP * h && label_row(&tr[last + 1], tr, first_data, last))
            last++;
        /* a wrapped label under the last row belongs to it */
        while (last + 1 < rows->len && !tr[last + 1].amount && tr[last + 1].segs->len == 1 &&
               tr[last + 1].y0 - tr[last].y1 < 0.35 * (tr[last].y1 - tr[last].y0))
            last++;
        /* rows of a label alone above the first row with amounts (a table
         * continued from the page before, its header not repeated) */
        while (first_data > 0 && !tr[first_data - 1].amount && !meta_row(&tr[first_data - 1]) &&
               tr[first_data].y0 - tr[first_data - 1].y1 < ROW_GAP * h &&
               label_row(&tr[first_data - 1], tr, first_data, last))
            first_data--;
        guint first = first_data;
        while (first > 0 && first_data - first < 3 && tr[first - 1].segs->len >= 2 &&
               tr[first].y0 - tr[first - 1].y1 < ROW_GAP * h && !meta_row(&tr[first - 1]))
            first--;
        /* a short table (one or two rows, a 合计 alone) needs a header as wide as it */
        gboolean short_table = data < MIN_DATA_ROWS && first < first_data &&
                               tr[first_data - 1].segs->len >= 3 && tr[first_data].segs->len >= 3;
        if (data >= MIN_DATA_ROWS || short_table) {
            if (!fine)
                fine = bpn_lines_build(chars, HEADER_GAP);
            bpn_grid *g = grid_of(page->number, tr, first, first_data, last, fine);
            if (g)
                g_ptr_array_add(grids, g);
        }
        r = last + 1;
    }
    for (guint i = 0; i < rows->len; i++)
        g_ptr_array_unref(tr[i].segs);
    g_array_free(rows, TRUE);
    g_ptr_array_unref(segs);
    if (fine)
        g_ptr_array_unref(fine);
    bpn_grid_fill(grids, chars);
    return grids;
}
