/* test_identity.c — a document's unit, year and kind (document.c,
 * bpn_identity_read) from synthetic pages: text lines and ruled grids
 * placed by hand, no PDF. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"
#include "synth.h"

static void add_table(bpn_document *d, const char *title)
{
    bpn_table *t = g_new0(bpn_table, 1);
    t->title = g_strdup(title);
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    t->header_rows = g_ptr_array_new();
    t->rows = g_ptr_array_new();
    t->notes = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(d->tables, t);
}

static gboolean warned(const bpn_document *d, const char *part)
{
    for (guint i = 0; i < d->warnings->len; i++)
        if (strstr(((bpn_warning *)d->warnings->pdata[i])->message, part))
            return TRUE;
    return FALSE;
}

/* A cover title set over four lines: year, unit in two pieces, kind. */
static void test_cover_lines(check_counts *c)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 100, "2026 年度");
    tb_line(blocks, 1, 150, 140, "福州经济技术开发区生态");
    tb_line(blocks, 1, 250, 170, "环境局");
    tb_line(blocks, 1, 230, 200, "单位预算");
    tb_line(blocks, 2, 250, 80, "目录");
    tb_line(blocks, 2, 100, 120, "第一部分 单位概况");
    bpn_document *d = bpn_document_new();
    bpn_identity_read(d, blocks);
    CHECK_STR(c, d->unit, "福州经济技术开发区生态环境局");
    CHECK(c, d->year == 2026);
    CHECK_STR(c, d->document_type, "单位预算");
    CHECK(c, d->warnings->len == 0);
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* One title line with 部门 before the year ("…局部门2026年度部门预算"). */
static void test_title_line(check_counts *c)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 100, 100, "北京市医疗保障局部门2026年度部门预算信息公开");
    bpn_document *d = bpn_document_new();
    bpn_identity_read(d, blocks);
    CHECK_STR(c, d->unit, "北京市医疗保障局");
    CHECK(c, d->year == 2026);
    CHECK_STR(c, d->document_type, "部门预算");
    CHECK_STR(c, d->department, "北京市医疗保障局");
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* A file of tables only (北京 报表): no cover; the unit named by the
 * 部门名称 label of its 部门整体支出绩效目标表, the kind by the 收支总表 and
 * the 部门 label, the year by the form's "（2026年度）". */
static void test_tables_only(check_counts *c, int layout)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 300, 40, "预算01表 收支总表");
    tb_grid(blocks, 1, 80, 2, 4, (const char *const[]){"收入", NULL, "支出", NULL, "项目", "预算数", "项目", "预算数"});
    tb_line(blocks, 20, 300, 40, "预算13表 部门整体支出绩效目标表");
    tb_line(blocks, 20, 330, 60, "（2026年度）");
    if (layout == 0) {
        /* label and name in cells side by side */
        tb_grid(blocks, 20, 100, 2, 3, (const char *const[]){"部门名称", "北京市审计局", NULL, "总体资金情况（万元）",
                                                           "预算支出总额", "财政拨款"});
    } else if (layout == 1) {
        /* the grid missed the rules between the columns and the label's
         * upper rule: "部门名" a line inside the grid's top, "称" and the
         * name run on with the next labels in its first cell */
        tb_grid(blocks, 20, 95, 2, 1, (const char *const[]){"称北京市审计局财政拨款其他资金预算支出总额（万元）合计",
                                                          "整体绩效目标"});
        tb_line(blocks, 20, 60, 97, "部门名");
    } else if (layout == 2) {
        /* the rule under the label cell missed: the label cell holds the
         * next row's label too, the name is in the cell beside it */
        tb_grid(blocks, 20, 100, 1, 3, (const char *const[]){"部门名称总体资金情况（万元）", "北京市审计局", "预算支出总额"});
    } else {
        /* a label line with the name after it */
        tb_line(blocks, 20, 60, 100, "部门名称：北京市审计局                单位：万元");
    }
    bpn_document *d = bpn_document_new();
    add_table(d, "收支总表");
    /* blocks in reading order, as document.c sorts them */
    bpn_identity_read(d, blocks);
    CHECK_STR(c, d->unit, "北京市审计局");
    CHECK(c, d->year == 2026);
    CHECK_STR(c, d->document_type, "部门预算");
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* Half a label and no grid to finish it: nothing is guessed, and the
 * document says what it could not read. */
static void test_half_label(check_counts *c)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 60, 100, "部门名");
    tb_line(blocks, 1, 60, 300, "北京市审计局");
    bpn_document *d = bpn_document_new();
    bpn_identity_read(d, blocks);
    CHECK(c, d->unit == NULL);
    CHECK(c, warned(d, "does not state its unit"));
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* Page images only (a grid drawn, no text): unit, year and kind stay
 * unset and a warning says that only OCR could read them. */
static void test_no_text(check_counts *c)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_grid(blocks, 1, 100, 3, 3, NULL);
    bpn_document *d = bpn_document_new();
    bpn_identity_read(d, blocks);
    CHECK(c, d->unit == NULL && d->year == 0 && d->document_type == NULL);
    CHECK(c, warned(d, "no text layer") && warned(d, "OCR"));
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* An evaluation form is typed so and is said not to be a disclosure. */
static void test_other_kind(check_counts *c)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 40, "部门整体绩效自评表");
    tb_line(blocks, 1, 250, 60, "（2024年度）");
    tb_grid(blocks, 1, 100, 1, 2, (const char *const[]){"部门（单位）名称", "宁德市人民政府办公室"});
    bpn_document *d = bpn_document_new();
    bpn_identity_read(d, blocks);
    CHECK_STR(c, d->document_type, "部门整体绩效自评表");
    CHECK_STR(c, d->unit, "宁德市人民政府办公室");
    CHECK(c, d->year == 2024);
    CHECK(c, warned(d, "not a budget disclosure"));
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* Tables only, each page's meta line naming the unit; OCR misread a glyph
 * of it on the first page.  Read by OCR, the name the most lines give is
 * the unit; on a text page the first is (what it prints is as printed). */
static void test_meta_vote(check_counts *c, gboolean ocr)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    const char *names[] = {"江苏省政挡办公厅", "江苏省政协办公厅", "江苏省政协办公厅"};
    for (int p = 1; p <= 3; p++) {
        char *meta = g_strdup_printf("部门：%s", names[p - 1]);
        tb_line(blocks, p, 300, 40, p == 1 ? "收支预算总表" : "收入预算总表");
        tb_line(blocks, p, 60, 70, meta);
        tb_line(blocks, p, 500, 70, "单位：万元");
        tb_grid(blocks, p, 100, 2, 2, (const char *const[]){"项目", "金额", "合计", "1.00"});
        g_free(meta);
    }
    bpn_document *d = bpn_document_new();
    for (int p = 1; ocr && p <= 3; p++)
        g_array_append_val(d->source.ocr_pages, p);
    add_table(d, "收支预算总表");
    bpn_identity_read(d, blocks);
    CHECK_STR(c, d->unit, ocr ? "江苏省政协办公厅" : "江苏省政挡办公厅");
    bpn_document_free(d);
    g_ptr_array_unref(blocks);
}

/* Through the builder: a unit named only in a table's label cell (单位名称 |
 * name) and a department only by its code in a cell ("063-name").  The
 * tables' walk frees each grid's cells once read into its table, so the
 * identity must have read them before it (bpn_builder_finish). */
static void test_cells_read_before_walk(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 150, 60, 16, "2025年预算支出总表");
    const double xs[] = {60, 160, 420, 540};
    const double ys[] = {100, 120, 140, 160, 180};
    synth_grid(src, 1, xs, 4, ys, 5);
    synth_text(src, 1, 64, 104, 10, "单位名称");
    synth_text(src, 1, 164, 104, 10, "阳泉市统计局");
    synth_text(src, 1, 424, 104, 8, "063-阳泉市卫生健康委员会");
    synth_text(src, 1, 64, 124, 10, "科目编码");
    synth_text(src, 1, 164, 124, 10, "科目名称");
    synth_text(src, 1, 424, 124, 10, "金额");
    synth_text(src, 1, 164, 144, 10, "合计");
    synth_text(src, 1, 480, 144, 10, "1,438.44");
    synth_text(src, 1, 64, 164, 10, "2100201");
    synth_text(src, 1, 164, 164, 10, "综合医院");
    synth_text(src, 1, 480, 164, 10, "1,438.44");
    GError *err = NULL;
    bpn_document *d = bpn_document_build(src, &err);
    CHECK(c, d != NULL);
    if (d) {
        CHECK(c, d->tables->len == 1);
        CHECK_STR(c, d->unit, "阳泉市统计局");
        CHECK_STR(c, d->department, "阳泉市卫生健康委员会");
        CHECK(c, d->year == 2025);
        CHECK(c, !warned(d, "no text layer"));
    }
    bpn_document_free(d);
    g_clear_error(&err);
    bpx_document_free(src);
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    test_cover_lines(c);
    test_title_line(c);
    for (int layout = 0; layout < 4; layout++)
        test_tables_only(c, layout);
    test_half_label(c);
    test_no_text(c);
    test_other_kind(c);
    test_meta_vote(c, TRUE);
    test_meta_vote(c, FALSE);
    test_cells_read_before_walk(c);
    return check_summary("test_identity", c);
}
