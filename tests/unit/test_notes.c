/* test_notes.c — notes under a table (tables.c): a note wrapped over
 * lines, or numbered over lines, is one note of the table, and the
 * narrative after it stays the narrative's. */
#include "normalize/internal.h"
#include "check.h"

static void block_free(gpointer p)
{
    bpn_block *b = p;
    bpn_line_free(b->line);
    bpn_grid_free(b->grid);
    g_free(b);
}

static void warning_free(gpointer p)
{
    bpn_warning *w = p;
    g_free(w->message);
    g_free(w);
}

static bpn_document *doc_new(void)
{
    bpn_document *d = g_new0(bpn_document, 1);
    d->tables = g_ptr_array_new_with_free_func(bpn_table_free);
    d->sections = g_ptr_array_new();
    d->repairs = g_ptr_array_new();
    d->warnings = g_ptr_array_new_with_free_func(warning_free);
    d->checks = g_ptr_array_new();
    return d;
}

/* A text line at (x, y) on page, 10 pt high. */
static void line(GPtrArray *blocks, int page, double x, double y, const char *text)
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
static void grid(GPtrArray *blocks, int page, double y, int n_rows, int n_cols, const char *const *cells)
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

static void run(check_counts *c, gboolean numbered)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(block_free);
    line(blocks, 1, 200, 40, "表七 国有资本经营预算拨款支出预算表");
    line(blocks, 1, 50, 60, "单位：万元");
    grid(blocks, 1, 80, 3, 2, (const char *const[]){"项目", "金额", "合计", "10.00", "一、货物", "10.00"});
    if (numbered) {
        /* 注：1. … 2. … set 1.7 lines apart */
        line(blocks, 1, 60, 150, "注：1.采购组织形式为：集中采购和分散采购。");
        line(blocks, 1, 70, 167, "2.采购品目名称根据《政府采购品目分类目录》填写。");
    } else {
        /* a sentence wrapped after its last but one character */
        line(blocks, 1, 60, 150, "备注：本单位2026年没有使用国有资本经营预算拨款安排的支");
        line(blocks, 1, 60, 160, "出。");
    }
    line(blocks, 1, 60, 172, "八、一般公共预算支出经济分类情况表");
    line(blocks, 1, 60, 184, "本单位2026年度部门预算收入合计10.00万元。");
    bpn_document *d = doc_new();
    bpn_tables_build(d, blocks);
    const bpn_table *t = d->tables->len ? d->tables->pdata[0] : NULL;
    CHECK(c, t && t->notes->len == 1);
    if (t && t->notes->len)
        CHECK_STR(c, t->notes->pdata[0],
                  numbered ? "注：1.采购组织形式为：集中采购和分散采购。\n2.采购品目名称根据《政府采购品目分类目录》填写。"
                           : "备注：本单位2026年没有使用国有资本经营预算拨款安排的支出。");
    /* the heading and the sentence after the note are the narrative's */
    CHECK(c, !((bpn_block *)blocks->pdata[blocks->len - 2])->used);
    CHECK(c, !((bpn_block *)blocks->pdata[blocks->len - 1])->used);
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    run(c, FALSE);
    run(c, TRUE);
    return check_summary("test_notes", c);
}
