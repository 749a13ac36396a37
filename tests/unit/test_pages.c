/* test_pages.c — the pages' blocks kept in a file (normalize/pages.c) and
 * the tables' rows written out between the walk and their meaning
 * (normalize/spill.c): what comes back is what went out, a pass sees the
 * page it is at and the page before, and the passes read a stored
 * document as they read it held. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"

static const char *const COVER = "2026年某某市财政局部门预算";

/* Six pages: a cover, a table over pages 2 and 3 with a note, a title at
 * the foot of page 4 over a grid at the top of page 5, prose on page 6. */
static GPtrArray *document_blocks(void)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 150, 200, COVER);
    tb_line(blocks, 2, 120, 40, "表一 收支总表");
    tb_line(blocks, 2, 50, 60, "单位：万元");
    tb_grid(blocks, 2, 80, 3, 2, (const char *const[]){"项目", "金额", "合计", "10.00", "一、货物", "5.00"});
    tb_grid(blocks, 3, 50, 2, 2, (const char *const[]){"二、服务", "3.00", "三、工程", "2.00"});
    tb_line(blocks, 3, 60, 100, "注：本表按部门预算口径编制。");
    tb_line(blocks, 4, 60, 400, "一、部门职责");
    tb_line(blocks, 4, 60, 420, "负责全市财政收支管理。");
    tb_line(blocks, 4, 120, 800, "表二 支出总表");
    tb_grid(blocks, 5, 60, 2, 2, (const char *const[]){"项目", "金额", "合计", "10.00"});
    tb_line(blocks, 6, 60, 100, "二、机构设置");
    tb_line(blocks, 6, 60, 120, "本部门下设处室五个。");
    bpn_line *l = ((bpn_block *)blocks->pdata[blocks->len - 1])->line;
    l->ocr_alternatives = g_new0(char *, 3);
    l->ocr_alternatives[0] = g_strdup("本部门下设处室五个");
    l->ocr_alternatives[1] = g_strdup("");
    return blocks;
}

/* The store over blocks, page by page as the builder writes it. */
static bpn_block_store *store_pages(GPtrArray *blocks)
{
    bpn_block_store *s = bpn_block_store_new(blocks, NULL);
    if (!s)
        return NULL;
    /* as read_page appends them: one page's blocks at a time */
    gsize n = 0;
    gpointer *all = g_ptr_array_steal(blocks, &n);
    for (gsize i = 0; i < n;) {
        guint first = blocks->len;
        int page = ((bpn_block *)all[i])->page;
        for (; i < n && ((bpn_block *)all[i])->page == page; i++)
            g_ptr_array_add(blocks, all[i]);
        bpn_block_store_put(s, first);
    }
    g_free(all);
    return s;
}

/* Block i of blocks held, with what block i of held holds. */
static gboolean same_block(const bpn_block *a, const bpn_block *b)
{
    if (!a->line != !b->line || !a->grid != !b->grid || a->page != b->page)
        return FALSE;
    if (a->line) {
        const bpn_line *x = a->line, *y = b->line;
        if (strcmp(x->text, y->text) != 0 || x->x0 != y->x0 || x->y0 != y->y0 || x->x1 != y->x1 || x->y1 != y->y1 ||
            x->font_size != y->font_size || !x->ocr_alternatives != !y->ocr_alternatives)
            return FALSE;
        for (int k = 0; x->ocr_alternatives && (x->ocr_alternatives[k] || y->ocr_alternatives[k]); k++)
            if (g_strcmp0(x->ocr_alternatives[k], y->ocr_alternatives[k]) != 0)
                return FALSE;
        return TRUE;
    }
    const bpn_grid *x = a->grid, *y = b->grid;
    if (x->n_rows != y->n_rows || x->n_cols != y->n_cols || x->x0 != y->x0 || x->y1 != y->y1)
        return FALSE;
    for (int c = 0; c <= x->n_cols; c++)
        if (x->xs[c] != y->xs[c])
            return FALSE;
    for (int r = 0; r <= x->n_rows; r++)
        if (x->ys[r] != y->ys[r])
            return FALSE;
    for (int k = 0; k < x->n_rows * x->n_cols; k++)
        if (x->region[k] != y->region[k] || g_strcmp0(x->text[k], y->text[k]) != 0)
            return FALSE;
    return TRUE;
}

static gboolean page_held(GPtrArray *blocks, int page)
{
    gboolean held = TRUE, any = FALSE;
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        if (b->page == page) {
            any = TRUE;
            held &= b->line || b->grid;
        }
    }
    return any && held;
}

static gboolean pages_same(GPtrArray *stored, GPtrArray *held, int page)
{
    gboolean same = TRUE;
    for (guint i = 0; i < held->len; i++)
        if (((bpn_block *)held->pdata[i])->page == page)
            same &= same_block(stored->pdata[i], held->pdata[i]);
    return same;
}

static void test_round_trip(check_counts *c)
{
    GPtrArray *held = document_blocks(), *blocks = document_blocks();
    bpn_block_store *s = store_pages(blocks);
    CHECK(c, s != NULL);
    if (!s) {
        g_ptr_array_unref(held);
        g_ptr_array_unref(blocks);
        return;
    }
    /* written out: each block keeps its page and box only */
    gboolean out = TRUE;
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        out &= !b->line && !b->grid && b->store == s && b->page == ((bpn_block *)held->pdata[i])->page &&
               b->y0 == ((bpn_block *)held->pdata[i])->y0;
    }
    CHECK(c, out);
    /* a block of page 3 touched: pages 2 and 3 back, as they were */
    bpn_block_touch(blocks->pdata[4]);
    CHECK(c, page_held(blocks, 2) && page_held(blocks, 3));
    CHECK(c, !page_held(blocks, 1) && !page_held(blocks, 4));
    CHECK(c, pages_same(blocks, held, 2) && pages_same(blocks, held, 3));
    /* on to page 6: pages touched longest ago leave memory (four held) */
    for (guint i = 5; i < blocks->len; i++)
        bpn_block_touch(blocks->pdata[i]);
    CHECK(c, page_held(blocks, 6) && page_held(blocks, 5) && page_held(blocks, 4) && page_held(blocks, 3));
    CHECK(c, !page_held(blocks, 2));
    CHECK(c, pages_same(blocks, held, 6)); /* the OCR readings of a line too */
    /* back to the cover: read again */
    bpn_block_touch(blocks->pdata[0]);
    CHECK(c, page_held(blocks, 1) && pages_same(blocks, held, 1));
    /* all held for good */
    bpn_block_store_hold_all(s);
    gboolean all = TRUE;
    for (int p = 1; p <= 6; p++)
        all &= page_held(blocks, p) && pages_same(blocks, held, p);
    for (guint i = 0; i < blocks->len; i++)
        all &= ((bpn_block *)blocks->pdata[i])->store == NULL;
    CHECK(c, all);
    CHECK(c, bpn_block_store_ok(s, NULL));
    g_ptr_array_unref(blocks);
    bpn_block_store_free(s);
    g_ptr_array_unref(held);
}

/* Forms, identity, tables (in bpn_builder_finish's order) over a stored
 * document and a held one: the same tables, notes, identity and flags. */
static void test_passes(check_counts *c)
{
    GPtrArray *held = document_blocks(), *blocks = document_blocks();
    bpn_block_store *s = store_pages(blocks);
    CHECK(c, s != NULL);
    bpn_document *dh = bpn_document_new(), *ds = bpn_document_new();
    bpn_forms_build(dh, held);
    bpn_forms_build(ds, blocks);
    bpn_identity_read(dh, held);
    bpn_identity_read(ds, blocks);
    bpn_tables_build_framed(dh, held, FALSE);
    bpn_tables_build_framed(ds, blocks, FALSE);
    CHECK_STR(c, ds->unit, "某某市财政局");
    CHECK(c, ds->year == 2026);
    CHECK_STR(c, ds->unit, dh->unit);
    CHECK_STR(c, ds->document_type, dh->document_type);
    CHECK(c, ds->tables->len == 2 && dh->tables->len == 2);
    for (guint i = 0; i < ds->tables->len && i < dh->tables->len; i++) {
        const bpn_table *a = ds->tables->pdata[i], *b = dh->tables->pdata[i];
        CHECK_STR(c, a->title, b->title);
        CHECK(c, a->rows->len == b->rows->len && a->notes->len == b->notes->len && a->pages->len == b->pages->len);
        for (guint r = 0; r < a->rows->len && r < b->rows->len; r++)
            for (int k = 0; k < a->n_cols; k++)
                CHECK_STR(c, ((bpn_row *)a->rows->pdata[r])->cells[k].text, ((bpn_row *)b->rows->pdata[r])->cells[k].text);
    }
    if (ds->tables->len == 2) {
        const bpn_table *t1 = ds->tables->pdata[0], *t2 = ds->tables->pdata[1];
        CHECK_STR(c, t1->title, "收支总表");
        CHECK(c, t1->pages->len == 2 && t1->rows->len == 4 && t1->notes->len == 1);
        CHECK_STR(c, t2->title, "支出总表"); /* from the foot of page 4 */
    }
    gboolean flags = TRUE;
    for (guint i = 0; i < blocks->len; i++)
        flags &= ((bpn_block *)blocks->pdata[i])->used == ((bpn_block *)held->pdata[i])->used;
    CHECK(c, flags);
    bpn_document_free(dh);
    bpn_document_free(ds);
    g_ptr_array_unref(blocks);
    bpn_block_store_free(s);
    g_ptr_array_unref(held);
}

/* A table's rows out and back (bpn_spill_rows_out, bpn_table_touch): the
 * three tables touched last are held, the others read back when touched. */
static void test_rows(check_counts *c)
{
    bpn_document *d = bpn_document_new();
    d->spill = bpn_spill_new(NULL);
    CHECK(c, d->spill != NULL);
    if (!d->spill) {
        bpn_document_free(d);
        return;
    }
    const char *header[][TB_W] = {{"项目", "金额"}};
    char label[5][16];
    for (int i = 0; i < 5; i++) {
        g_snprintf(label[i], sizeof label[i], "第%d项", i + 1);
        const char *rows[][TB_W] = {{"合计", "10.00"}, {label[i], "10.00"}};
        bpn_table *t = tb_table(i + 1, "收支总表", "万元", 2, header, 1, rows, 2);
        g_ptr_array_add(d->tables, t);
        bpn_spill_rows_out(d->spill, t);
        CHECK(c, t->rows->len == 0 && t->header_rows->len == 0);
    }
    for (int i = 0; i < 5; i++)
        bpn_table_touch(d, d->tables->pdata[i]);
    const bpn_table *first = d->tables->pdata[0], *last = d->tables->pdata[4];
    CHECK(c, first->rows->len == 0); /* two tables ago, three held */
    CHECK(c, last->rows->len == 2 && last->header_rows->len == 1);
    if (last->rows->len == 2) {
        CHECK_STR(c, ((bpn_row *)last->rows->pdata[1])->cells[0].text, "第5项");
        CHECK(c, ((bpn_row *)last->rows->pdata[1])->cells[1].is_number);
        CHECK_NEAR(c, ((bpn_row *)last->rows->pdata[1])->cells[1].number, 10.0);
    }
    bpn_table_touch(d, first);
    CHECK(c, first->rows->len == 2 && first->header_rows->len == 1);
    if (first->rows->len == 2)
        CHECK_STR(c, ((bpn_row *)first->rows->pdata[1])->cells[0].text, "第1项");
    CHECK(c, bpn_spill_ok(d->spill, NULL));
    bpn_document_free(d);
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    test_round_trip(c);
    test_passes(c);
    test_rows(c);
    return check_summary("test_pages", c);
}
