/* blocks.c — reading-order blocks (text lines and ruled grids) placed by
 * hand, for the tests of the stages that read them (identity, notes): no
 * PDF, no extract.  See blocks.h. */
#include "blocks.h"

#include <string.h>

void tb_block_free(gpointer p)
{
    bpn_block *b = p;
    bpn_line_free(b->line);
    bpn_grid_free(b->grid);
    g_free(b);
}

/* A text line at (x, y) on page, 10 pt high. */
void tb_line(GPtrArray *blocks, int page, double x, double y, const char *text)
{
    bpn_line *l = g_new0(bpn_line, 1);
    l->x0 = x;
    l->x1 = x + 10.0 * (double)g_utf8_strlen(text, -1);
    l->y0 = y;
    l->y1 = y + 10;
    l->font_size = 10;
    l->text = g_strdup(text);
    l->chars = g_ptr_array_new();
    bpn_block *b = g_new0(bpn_block, 1);
    b->page = page;
    b->line = l;
    b->y0 = l->y0;
    b->y1 = l->y1;
    b->page_height = 842;
    g_ptr_array_add(blocks, b);
}

/* A grid of n_rows rows of 20 pt from y, n_cols columns of 100 pt from
 * x = 50; cells[r * n_cols + c] its texts (NULL: empty). */
void tb_grid(GPtrArray *blocks, int page, double y, int n_rows, int n_cols, const char *const *cells)
{
    double xs[16], ys[16];
    for (int c = 0; c <= n_cols; c++)
        xs[c] = 50 + 100.0 * c;
    for (int r = 0; r <= n_rows; r++)
        ys[r] = y + 20.0 * r;
    bpn_grid *g = bpn_grid_new(page, xs, n_cols, ys, n_rows);
    for (int i = 0; i < n_rows * n_cols; i++)
        g->text[i] = cells && cells[i] ? g_strdup(cells[i]) : NULL;
    bpn_block *b = g_new0(bpn_block, 1);
    b->page = page;
    b->grid = g;
    b->y0 = g->y0;
    b->y1 = g->y1;
    b->page_height = 842;
    g_ptr_array_add(blocks, b);
}

bpn_table *tb_table(int number, const char *title, const char *unit, int n_cols, const char *header[][TB_W],
                    int n_header, const char *rows[][TB_W], int n_rows)
{
    bpn_table *t = g_new0(bpn_table, 1);
    t->number = number;
    t->title = g_strdup(title);
    t->unit_of_measure = unit ? g_strdup(unit) : NULL;
    t->n_cols = n_cols;
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    t->header_rows = g_ptr_array_new();
    t->rows = g_ptr_array_new();
    t->notes = g_ptr_array_new_with_free_func(g_free);
    for (int pass = 0; pass < 2; pass++) {
        int n = pass ? n_rows : n_header;
        for (int i = 0; i < n; i++) {
            bpn_row *r = g_new0(bpn_row, 1);
            r->cells = g_new0(bpn_cell, n_cols);
            for (int col = 0; col < n_cols; col++) {
                const char *s = pass ? rows[i][col] : header[i][col];
                if (!s || !*s)
                    continue;
                r->cells[col].text = g_strdup(s);
                double v;
                if (pass && strchr(s, '.') && bpn_parse_amount(s, &v)) {
                    r->cells[col].is_number = TRUE;
                    r->cells[col].number = v;
                }
            }
            g_ptr_array_add(pass ? t->rows : t->header_rows, r);
        }
    }
    return t;
}
