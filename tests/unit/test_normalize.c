/* test_normalize.c — the normalize stage on synthetic page layouts. */
#include "normalize/internal.h"
#include "check.h"
#include "synth.h"

static const bpn_table *table_numbered(const bpn_document *doc, int number)
{
    for (guint i = 0; i < doc->tables->len; i++)
        if (((bpn_table *)doc->tables->pdata[i])->number == number)
            return doc->tables->pdata[i];
    return NULL;
}

static const char *cell(const bpn_table *t, GPtrArray *rows, guint r, int c)
{
    (void)t;
    return r < rows->len ? ((bpn_row *)rows->pdata[r])->cells[c].text : "(no such row)";
}

static gboolean has_repair(const bpn_document *doc, const char *kind, const char *from)
{
    for (guint i = 0; i < doc->repairs->len; i++) {
        const bpn_repair *r = doc->repairs->pdata[i];
        if (strcmp(r->kind, kind) == 0 && (!from || (r->from && strcmp(r->from, from) == 0)))
            return TRUE;
    }
    return FALSE;
}

/* A ruled summary table: merged header cells, a wrapped cell, amounts, a
 * watermark across it and a page number under it; its caption's unit (万元,
 * or 千元 as some offices print) kept as printed and the headline figure
 * brought to 万元 (to_wan: the unit's factor). */
static void test_summary_table(check_counts *c, const char *unit, double to_wan)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 200, 80, 16, "2025年预算收支总表");
    synth_text(src, 1, 60, 112, 10, "单位名称：某某医院");
    char *caption = g_strconcat("单位：", unit, NULL);
    synth_text(src, 1, 480, 112, 10, caption);
    g_free(caption);
    const double ys[] = {130, 150, 170, 190, 230, 250};
    for (int i = 0; i < 6; i++)
        synth_hline(src, 1, 60, 540, ys[i]);
    synth_vline(src, 1, 60, 130, 250);
    synth_vline(src, 1, 300, 130, 250);
    synth_vline(src, 1, 540, 130, 250);
    synth_vline(src, 1, 200, 150, 250); /* not in the first row: 收入 spans two columns */
    synth_vline(src, 1, 450, 150, 250);
    synth_text(src, 1, 150, 134, 12, "收入");
    synth_text(src, 1, 400, 134, 12, "支出");
    synth_text(src, 1, 64, 154, 10, "项目");
    synth_text(src, 1, 204, 154, 10, "2025年");
    synth_text(src, 1, 304, 154, 10, "项目");
    synth_text(src, 1, 454, 154, 10, "2025年");
    synth_text(src, 1, 64, 174, 10, "一、一般公共预算");
    synth_cell_right(src, 1, 300, 170, 190, 10, "1,426.43");
    synth_text(src, 1, 304, 174, 10, "一、一般公共服务支出");
    synth_cell_right(src, 1, 540, 170, 190, 10, "1.95");
    synth_text(src, 1, 64, 204, 10, "二、政府性基金预算");
    synth_text(src, 1, 304, 194, 10, "二、卫生健康");
    synth_text(src, 1, 304, 212, 10, "支出");
    synth_cell_right(src, 1, 540, 190, 230, 10, "1,424.48");
    synth_text(src, 1, 64, 234, 10, "收入总计");
    synth_cell_right(src, 1, 300, 230, 250, 10, "1,426.43");
    synth_text(src, 1, 304, 234, 10, "支出总计");
    synth_cell_right(src, 1, 540, 230, 250, 10, "1,426.43");
    synth_diagonal(src, 1, 150, 240, 30, "仅供内部审核");
    synth_text(src, 1, 280, 800, 10, "— 1 —");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc != NULL);
    CHECK(c, doc->tables->len == 1);
    const bpn_table *t = table_numbered(doc, 1);
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->title, "2025年预算收支总表");
        CHECK_STR(c, t->unit_of_measure, unit);
        CHECK(c, t->n_cols == 4);
        CHECK(c, t->header_rows->len == 2);
        CHECK_STR(c, cell(t, t->header_rows, 0, 0), "收入");
        CHECK_STR(c, cell(t, t->header_rows, 0, 1), NULL);
        CHECK_STR(c, cell(t, t->header_rows, 0, 2), "支出");
        CHECK_STR(c, cell(t, t->header_rows, 1, 1), "2025年");
        CHECK(c, t->rows->len == 3);
        CHECK_STR(c, cell(t, t->rows, 0, 0), "一、一般公共预算");
        CHECK_STR(c, cell(t, t->rows, 0, 1), "1,426.43");
        CHECK(c, t->rows->len > 0 && ((bpn_row *)t->rows->pdata[0])->cells[1].is_number);
        CHECK_NEAR(c, t->rows->len > 0 ? ((bpn_row *)t->rows->pdata[0])->cells[1].number : 0, 1426.43);
        CHECK_STR(c, cell(t, t->rows, 1, 1), NULL);
        CHECK_STR(c, cell(t, t->rows, 1, 2), "二、卫生健康支出");
        CHECK(c, !t->no_data);
    }
    CHECK(c, doc->income_total.set && fabs(doc->income_total.value - 1426.43 * to_wan) < 1e-9);
    CHECK(c, doc->expenditure_total.set && fabs(doc->expenditure_total.value - 1426.43 * to_wan) < 1e-9);
    CHECK(c, has_repair(doc, "watermark_removed", NULL));
    CHECK(c, has_repair(doc, "page_number_removed", NULL));
    CHECK(c, doc->year == 2025);
    CHECK_STR(c, doc->unit, "某某医院");
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A merged cell whose centred text starts just left of the rule of the
 * cells it merges: the rule's stroke ends where the row begins, but the
 * ruling detector, walking on through the first glyph's strokes, carried it
 * across the row (江苏 政协 2018, 当年支出小计).  Text never overlaps a
 * real rule by more than a glyph's side bearing, so the row stays merged
 * and the text lands in its top-left cell. */
static void test_rule_under_first_glyph(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 200, 80, 16, "2025年预算收支总表");
    synth_text(src, 1, 480, 112, 10, "单位：万元");
    const double ys[] = {130, 150, 170, 190};
    for (int i = 0; i < 4; i++)
        synth_hline(src, 1, 60, 540, ys[i]);
    synth_vline(src, 1, 60, 130, 190);
    synth_vline(src, 1, 200, 130, 190);
    synth_vline(src, 1, 300, 130, 190); /* on through the last row, under 支 */
    synth_vline(src, 1, 540, 130, 190);
    synth_text(src, 1, 64, 134, 10, "项目");
    synth_text(src, 1, 204, 134, 10, "功能科目");
    synth_text(src, 1, 304, 134, 10, "金额");
    synth_text(src, 1, 64, 154, 10, "一、财政拨款");
    synth_text(src, 1, 204, 154, 10, "一般公共服务");
    synth_cell_right(src, 1, 540, 150, 170, 10, "1,426.43");
    synth_text(src, 1, 64, 174, 10, "收入合计");
    synth_text(src, 1, 299.1, 174, 10, "支出合计"); /* 0.9 pt over the rule */

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc ? table_numbered(doc, 1) : NULL;
    CHECK(c, t != NULL && t->n_cols == 3 && t->rows->len == 2);
    if (t && t->n_cols == 3 && t->rows->len == 2) {
        CHECK_STR(c, cell(t, t->rows, 0, 2), "1,426.43");
        CHECK_STR(c, cell(t, t->rows, 1, 1), "支出合计");
        CHECK_STR(c, cell(t, t->rows, 1, 2), NULL);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A value centred in a narrow cell and wider than it (a Calc export's
 * 指标值 column): its first line runs a point over the drawn rules on both
 * sides.  The rules are drawn down the whole table and the text cannot fit
 * its cell, so they are real edges: the value stays in its cell and the
 * cells beside it keep their own text (before, the row merged and the
 * lines of the two cells interleaved).  A glyph over the rule belongs to
 * the cell its line stands in, wherever its centre falls. */
static void test_text_over_drawn_rule(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 200, 80, 16, "2025年项目支出表");
    const double xs[] = {60, 200, 440, 496, 560};
    const double ys[] = {130, 150, 170, 200, 220};
    synth_grid(src, 1, xs, 5, ys, 5);
    synth_text(src, 1, 64, 134, 10, "项目");
    synth_text(src, 1, 204, 134, 10, "说明");
    synth_text(src, 1, 448, 134, 10, "指标值");
    synth_text(src, 1, 530, 134, 10, "金额");
    synth_text(src, 1, 64, 154, 10, "工资福利");
    synth_text(src, 1, 204, 154, 10, "工资发放标准");
    synth_text(src, 1, 448, 154, 10, "按月发放");
    synth_cell_right(src, 1, 560, 150, 170, 10, "1,426.43");
    synth_text(src, 1, 64, 180, 10, "采暖费");
    synth_text(src, 1, 204, 180, 10, "采暖费发放标准");
    synth_text(src, 1, 438, 173, 10, "按照5600元，"); /* 60 pt centred in 56 */
    synth_text(src, 1, 448, 186, 10, "4480元，");
    synth_cell_right(src, 1, 560, 170, 200, 10, "86.00");
    /* set a little right of centre: its last glyph's centre is past the rule */
    synth_text(src, 1, 64, 204, 10, "取暖补贴");
    synth_text(src, 1, 204, 204, 10, "发放时间");
    synth_text(src, 1, 442, 204, 10, "按月足额发放");
    synth_cell_right(src, 1, 560, 200, 220, 10, "12.00");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc ? table_numbered(doc, 1) : NULL;
    CHECK(c, t != NULL && t->n_cols == 4 && t->rows->len == 3);
    if (t && t->n_cols == 4 && t->rows->len == 3) {
        CHECK_STR(c, cell(t, t->rows, 1, 0), "采暖费");
        CHECK_STR(c, cell(t, t->rows, 1, 1), "采暖费发放标准");
        CHECK_STR(c, cell(t, t->rows, 1, 2), "按照5600元，4480元，");
        CHECK_STR(c, cell(t, t->rows, 1, 3), "86.00");
        CHECK_STR(c, cell(t, t->rows, 2, 1), "发放时间");
        CHECK_STR(c, cell(t, t->rows, 2, 2), "按月足额发放");
        CHECK_STR(c, cell(t, t->rows, 2, 3), "12.00");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Two cells of text side by side, the left one's line ending in a comma
 * that Word hangs past the line's end, over the drawn border (避头点号):
 * the border stays, and the two cells keep their own lines (before, the
 * comma "crossed" the rule, the cells merged and their lines interleaved:
 * the 总体目标 of a 绩效目标表, 实施期 and 年度 side by side); the comma, its
 * centre past the border and the next cell's line right behind it, ends the
 * line on its left (before, it began the next cell's); and a semicolon hung
 * past the table's right border ends its line in the last column. */
static void test_hanging_comma(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 200, 80, 16, "2025年项目情况表");
    const double xs[] = {60, 120, 180, 300, 420};
    const double ys[] = {130, 150, 190};
    synth_grid(src, 1, xs, 5, ys, 3);
    synth_text(src, 1, 64, 134, 10, "项目");
    synth_text(src, 1, 124, 134, 10, "金额");
    synth_text(src, 1, 184, 134, 10, "实施期目标");
    synth_text(src, 1, 304, 134, 10, "年度目标");
    synth_text(src, 1, 64, 164, 10, "总体目标");
    synth_cell_right(src, 1, 180, 150, 190, 10, "13.20");
    synth_text(src, 1, 186, 154, 10, "下达资金与预算的通知》，"); /* its comma from 296 to 306 */
    synth_text(src, 1, 186, 168, 10, "用于人才的培养。");
    synth_text(src, 1, 306, 154, 10, "下达我院资金用于培"); /* right behind the comma */
    synth_text(src, 1, 314, 168, 10, "训用于人才的培养；"); /* its semicolon from 414 to 424 */

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc ? table_numbered(doc, 1) : NULL;
    CHECK(c, t != NULL && t->n_cols == 4 && t->rows->len == 1);
    if (t && t->n_cols == 4 && t->rows->len == 1) {
        CHECK_STR(c, cell(t, t->rows, 0, 1), "13.20");
        CHECK_STR(c, cell(t, t->rows, 0, 2), "下达资金与预算的通知》，用于人才的培养。");
        CHECK_STR(c, cell(t, t->rows, 0, 3), "下达我院资金用于培训用于人才的培养；");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A note in the grid's last row (the column rules run on through its first
 * line, so the row is the grid's) whose sentence wraps onto a line under
 * the grid: the line goes on the note, not into the narrative (国家信访局
 * 决算's 三公 table: "…一般公共预算财政拨款" | "和以前年度结转资金安排的实际支出。"). */
static void test_note_wrapped_under_grid(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表九");
    synth_text(src, 1, 200, 80, 16, "2025年“三公”经费支出决算表");
    const double xs[] = {60, 200, 300, 400};
    const double ys[] = {130, 150, 170, 190};
    synth_grid(src, 1, xs, 4, ys, 4);
    synth_text(src, 1, 64, 134, 10, "项目");
    synth_text(src, 1, 204, 134, 10, "预算数");
    synth_text(src, 1, 304, 134, 10, "决算数");
    synth_text(src, 1, 64, 154, 10, "合计");
    synth_cell_right(src, 1, 300, 150, 170, 10, "10.00");
    synth_cell_right(src, 1, 400, 150, 170, 10, "9.00");
    synth_text(src, 1, 62, 174, 10, "注：本表反映部门本年度经费支出预决算情况，决算数是包括当年财政拨款");
    synth_text(src, 1, 62, 190, 10, "和以前年度结转资金安排的实际支出。");
    synth_text(src, 1, 60, 300, 12, "二、其他说明");
    synth_text(src, 1, 60, 320, 10, "本部门无其他需要说明的事项。");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc ? table_numbered(doc, 9) : NULL;
    CHECK(c, t != NULL && t->notes->len == 1);
    if (t && t->notes->len == 1)
        CHECK_STR(c, t->notes->pdata[0],
                  "注：本表反映部门本年度经费支出预决算情况，决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。");
    gboolean leaked = FALSE;
    for (guint i = 0; doc && i < doc->sections->len; i++) {
        const bpn_section *s = doc->sections->pdata[i];
        leaked |= s->text && strstr(s->text, "结转资金安排") != NULL;
    }
    CHECK(c, !leaked);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Rows too low for their wrapped labels (北京 预算03表): a label's second
 * line runs on past the row's bottom rule, its glyphs' centres in the row
 * below, where they lie over that row's own first line.  They belong to
 * the label they continue, not interleaved with the next one. */
static void test_label_over_row_rule(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表三");
    synth_text(src, 1, 200, 80, 16, "2025年支出总表");
    const double xs[] = {60, 200, 300};
    const double ys[] = {130, 150, 165, 180, 195};
    synth_grid(src, 1, xs, 3, ys, 5);
    synth_text(src, 1, 64, 134, 10, "支出功能分类科目");
    synth_text(src, 1, 250, 134, 10, "合计");
    synth_text(src, 1, 62, 151, 9, "2080506-机关事业单位职业年");
    synth_text(src, 1, 62, 160.5, 9, "缴费支出"); /* centre 165: past the rule */
    synth_cell_right(src, 1, 298, 150, 165, 9, "824.689716");
    synth_text(src, 1, 62, 166, 9, "2080599-其他行政事业单位养");
    synth_text(src, 1, 62, 175.5, 9, "老支出");
    synth_cell_right(src, 1, 298, 165, 180, 9, "3.785000");
    synth_text(src, 1, 62, 181, 9, "2101101-行政单位医疗");
    synth_cell_right(src, 1, 298, 180, 195, 9, "699.723372");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc ? table_numbered(doc, 3) : NULL;
    CHECK(c, t != NULL && t->n_cols == 2 && t->rows->len == 3);
    if (t && t->n_cols == 2 && t->rows->len == 3) {
        CHECK_STR(c, cell(t, t->rows, 0, 0), "2080506-机关事业单位职业年缴费支出");
        CHECK_STR(c, cell(t, t->rows, 1, 0), "2080599-其他行政事业单位养老支出");
        CHECK_STR(c, cell(t, t->rows, 2, 0), "2101101-行政单位医疗");
        CHECK_STR(c, cell(t, t->rows, 2, 1), "699.723372");
    }
    g_clear_error(&err);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A page of rules and no glyph (a blank form, a scan's frame): its grid is
 * found and filled with nothing, and the document builds.  Under UBSan
 * (make test-asan) this stopped at a copy of the page's glyphs from
 * nowhere (bpn_grid_fill). */
static void test_rules_without_glyphs(check_counts *c)
{
    bpx_document *src = synth_document(1);
    const double xs[] = {60, 200, 440};
    const double ys[] = {130, 150, 170};
    synth_grid(src, 1, xs, 3, ys, 3);
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc != NULL);
    guint rows = 0;
    for (guint i = 0; doc && i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        rows += t->rows ? t->rows->len : 0;
    }
    CHECK(c, rows == 0); /* no text, no row */
    g_clear_error(&err);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A table ruled only around and between its rows (an outer frame and row
 * rules; its column rules too pale or too short to be found): its columns
 * come from the gaps in its text.  Two amounts never share a cell, nor a
 * label and an amount; a header over two columns stays one merged cell. */
static void test_frame_without_column_rules(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 80, 16, "预算09表 财政拨款“三公”经费支出表");
    synth_text(src, 1, 480, 112, 10, "单位：万元");
    const double ys[] = {130, 150, 170, 190};
    for (int i = 0; i < 4; i++)
        synth_hline(src, 1, 60, 540, ys[i]);
    synth_vline(src, 1, 60, 130, 190);
    synth_vline(src, 1, 540, 130, 190);
    synth_text(src, 1, 64, 134, 10, "合计");
    synth_text(src, 1, 380, 134, 10, "公务用车购置及运行维护费"); /* over the last two columns */
    synth_text(src, 1, 64, 154, 10, "总额");
    synth_text(src, 1, 250, 154, 10, "接待费");
    synth_text(src, 1, 360, 154, 10, "购置费");
    synth_text(src, 1, 470, 154, 10, "运行维护费");
    synth_cell_right(src, 1, 218, 170, 190, 10, "222.676050");
    synth_cell_right(src, 1, 298, 170, 190, 10, "9.000000");
    synth_cell_right(src, 1, 418, 170, 190, 10, "37.380000");
    synth_cell_right(src, 1, 538, 170, 190, 10, "176.296050");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc && doc->tables->len ? doc->tables->pdata[0] : NULL;
    CHECK(c, t != NULL && t->n_cols == 4 && t->rows->len == 1);
    if (t && t->n_cols == 4 && t->rows->len == 1) {
        CHECK_STR(c, cell(t, t->rows, 0, 0), "222.676050");
        CHECK_STR(c, cell(t, t->rows, 0, 1), "9.000000");
        CHECK_STR(c, cell(t, t->rows, 0, 2), "37.380000");
        CHECK_STR(c, cell(t, t->rows, 0, 3), "176.296050");
        CHECK(c, t->header_rows->len == 2);
        CHECK_STR(c, cell(t, t->header_rows, 0, 0), "合计");
        CHECK_STR(c, cell(t, t->header_rows, 0, 2), "公务用车购置及运行维护费");
        CHECK_STR(c, cell(t, t->header_rows, 0, 3), NULL);
        CHECK_STR(c, cell(t, t->header_rows, 1, 3), "运行维护费");
    }
    bpn_document_free(doc);
    bpx_document_free(src);

    /* a column rule that stops short of the data row (the detector lost it
     * where the amounts stand against it): the amounts stay apart, while
     * the header over both columns stays merged */
    src = synth_document(1);
    synth_text(src, 1, 200, 80, 16, "预算02表 收入总表");
    const double ys3[] = {130, 150, 170, 190};
    for (int i = 0; i < 4; i++)
        synth_hline(src, 1, 60, 400, ys3[i]);
    synth_vline(src, 1, 60, 130, 190);
    synth_vline(src, 1, 400, 130, 190);
    synth_vline(src, 1, 230, 150, 170); /* in the second header row only */
    synth_text(src, 1, 200, 134, 10, "本年收入");
    synth_text(src, 1, 130, 154, 10, "小计");
    synth_text(src, 1, 280, 154, 10, "事业收入");
    synth_cell_right(src, 1, 230, 170, 190, 10, "504,821.925116");
    synth_cell_right(src, 1, 398, 170, 190, 10, "460,863.766761");
    doc = bpn_document_build(src, &err);
    t = doc && doc->tables->len ? doc->tables->pdata[0] : NULL;
    CHECK(c, t != NULL && t->n_cols == 2 && t->rows->len == 1);
    if (t && t->n_cols == 2 && t->rows->len == 1) {
        CHECK_STR(c, cell(t, t->rows, 0, 0), "504,821.925116");
        CHECK_STR(c, cell(t, t->rows, 0, 1), "460,863.766761");
        CHECK_STR(c, cell(t, t->header_rows, 0, 0), "本年收入");
        CHECK_STR(c, cell(t, t->header_rows, 0, 1), NULL);
    }
    bpn_document_free(doc);
    bpx_document_free(src);

    /* labels left-aligned and amounts right-aligned in one ruled column */
    src = synth_document(1);
    synth_text(src, 1, 200, 80, 16, "预算10表 政府采购预算明细表");
    const double ys2[] = {130, 150, 170, 190, 210};
    for (int i = 0; i < 5; i++)
        synth_hline(src, 1, 60, 400, ys2[i]);
    synth_vline(src, 1, 60, 130, 210);
    synth_vline(src, 1, 400, 130, 210);
    synth_text(src, 1, 64, 134, 10, "采购类别");
    synth_text(src, 1, 340, 134, 10, "金额");
    static const char *const label[] = {"A-货物", "B-工程", "合计"};
    static const char *const amount[] = {"1,183.999945", "811.963150", "1,995.963095"};
    for (int i = 0; i < 3; i++) {
        synth_text(src, 1, 64, ys2[i + 1] + 4, 10, label[i]);
        synth_cell_right(src, 1, 398, ys2[i + 1], ys2[i + 2], 10, amount[i]);
    }
    doc = bpn_document_build(src, &err);
    t = doc && doc->tables->len ? doc->tables->pdata[0] : NULL;
    CHECK(c, t != NULL && t->n_cols == 2 && t->rows->len == 3);
    if (t && t->n_cols == 2 && t->rows->len == 3) {
        CHECK_STR(c, cell(t, t->rows, 0, 0), "A-货物");
        CHECK_STR(c, cell(t, t->rows, 0, 1), "1,183.999945");
        CHECK_STR(c, cell(t, t->rows, 2, 1), "1,995.963095");
        CHECK_STR(c, cell(t, t->header_rows, 0, 1), "金额");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A 决算 总表: side-by-side 收入 | 支出 blocks with 行次 columns, a 栏次
 * row under the header (栏次 | | 1 | 栏次 | | 2), and a note printed in
 * the grid's last row across the table.  The 栏次 row is a header row, the
 * note a note, neither a data row. */
static void test_final_accounts_table(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 80, 16, "收入支出决算总表");
    synth_text(src, 1, 480, 112, 10, "单位：万元");
    const double xs[] = {60, 200, 240, 300, 440, 480, 540};
    const double ys[] = {130, 150, 170, 190, 210, 230, 250};
    synth_grid(src, 1, xs, 7, ys, 7);
    synth_text(src, 1, 64, 134, 10, "收入");
    synth_text(src, 1, 304, 134, 10, "支出");
    static const char *const head[] = {"项目", "行次", "金额", "项目", "行次", "金额"};
    for (int i = 0; i < 6; i++)
        synth_text(src, 1, xs[i] + 4, 154, 10, head[i]);
    synth_text(src, 1, 64, 174, 10, "栏次");
    synth_cell_right(src, 1, 298, 170, 190, 10, "1");
    synth_text(src, 1, 304, 174, 10, "栏次");
    synth_cell_right(src, 1, 538, 170, 190, 10, "2");
    synth_text(src, 1, 64, 194, 10, "一、财政拨款收入");
    synth_cell_right(src, 1, 238, 190, 210, 10, "1");
    synth_cell_right(src, 1, 298, 190, 210, 10, "19,572.91");
    synth_text(src, 1, 304, 194, 10, "一、一般公共服务支出");
    synth_cell_right(src, 1, 478, 190, 210, 10, "33");
    synth_cell_right(src, 1, 538, 190, 210, 10, "9,846.82");
    synth_text(src, 1, 64, 214, 10, "本年收入合计");
    synth_cell_right(src, 1, 238, 210, 230, 10, "2");
    synth_cell_right(src, 1, 298, 210, 230, 10, "19,572.91");
    synth_text(src, 1, 304, 214, 10, "本年支出合计");
    synth_cell_right(src, 1, 478, 210, 230, 10, "34");
    synth_cell_right(src, 1, 538, 210, 230, 10, "9,846.82");
    /* the last row: one cell across the table (its inner rules not drawn
     * there would merge it; here the note lies in the first cell) */
    synth_text(src, 1, 64, 234, 10, "注：本表反映部门本年度的总收支。");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc && doc->tables->len ? doc->tables->pdata[0] : NULL;
    CHECK(c, t != NULL && t->n_cols == 6);
    if (t && t->n_cols == 6) {
        CHECK(c, t->header_rows->len == 3);
        CHECK_STR(c, cell(t, t->header_rows, 2, 0), "栏次");
        CHECK_STR(c, cell(t, t->header_rows, 2, 5), "2");
        CHECK(c, t->rows->len == 2);
        CHECK_STR(c, cell(t, t->rows, 0, 0), "一、财政拨款收入");
        CHECK_STR(c, cell(t, t->rows, 1, 5), "9,846.82");
        CHECK(c, t->notes->len == 1);
        CHECK_STR(c, t->notes->len ? (const char *)t->notes->pdata[0] : NULL, "注：本表反映部门本年度的总收支。");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Prose in a frame is not a table: a paragraph boxed by four rules, and a
 * text box of two rows of one cell each, on a page of prose.  A table has
 * two cells side by side in at least two rows. */
static void test_framed_prose(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 14, "一、部门职责");
    synth_hline(src, 1, 60, 540, 90);
    synth_hline(src, 1, 60, 540, 150);
    synth_vline(src, 1, 60, 90, 150);
    synth_vline(src, 1, 540, 90, 150);
    synth_text(src, 1, 64, 96, 10, "本部门负责全市人力资源和社会保障工作，2026年收入预算1,426.43万元，");
    synth_text(src, 1, 64, 112, 10, "支出预算1,426.43万元，较上年增加12.50万元。");
    synth_text(src, 1, 64, 128, 10, "主要原因是人员增加。");
    /* a text box of two rows */
    synth_hline(src, 1, 60, 540, 200);
    synth_hline(src, 1, 60, 540, 220);
    synth_hline(src, 1, 60, 540, 240);
    synth_vline(src, 1, 60, 200, 240);
    synth_vline(src, 1, 540, 200, 240);
    synth_text(src, 1, 64, 204, 10, "名词解释：基本支出指保障机构正常运转的支出。");
    synth_text(src, 1, 64, 224, 10, "项目支出指为完成特定任务发生的支出。");

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc != NULL && doc->tables->len == 0);
    gboolean kept = FALSE;
    for (guint i = 0; doc && i < doc->sections->len; i++) {
        const bpn_section *sec = doc->sections->pdata[i];
        kept |= sec->text && strstr(sec->text, "主要原因是人员增加") != NULL;
    }
    CHECK(c, kept);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A header cell 其中： over the parts of a total (泉州): the rows above
 * the data are the header, though 其中： reads like a data row's label. */
static void test_header_with_of_which(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 150, 80, 16, "2026年度一般公共预算拨款支出预算表");
    const double xs[] = {60, 140, 260, 340, 420, 500};
    const double ys[] = {130, 150, 170, 190, 210};
    synth_grid(src, 1, xs, 6, ys, 5);
    synth_text(src, 1, 64, 134, 10, "科目编码");
    synth_text(src, 1, 144, 134, 10, "科目名称");
    synth_text(src, 1, 264, 134, 10, "小计");
    synth_text(src, 1, 344, 134, 10, "其中：");
    synth_text(src, 1, 344, 154, 10, "基本支出");
    synth_text(src, 1, 424, 154, 10, "项目支出");
    synth_text(src, 1, 64, 174, 10, "合计");
    synth_cell_right(src, 1, 338, 170, 190, 10, "69,059.36");
    synth_cell_right(src, 1, 418, 170, 190, 10, "51,691.74");
    synth_cell_right(src, 1, 498, 170, 190, 10, "17,367.62");
    synth_text(src, 1, 64, 194, 10, "2040101");
    synth_text(src, 1, 144, 194, 10, "武装警察部队");
    synth_cell_right(src, 1, 338, 190, 210, 10, "427.93");
    synth_cell_right(src, 1, 498, 190, 210, 10, "427.93");
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_table *t = doc && doc->tables->len ? doc->tables->pdata[0] : NULL;
    CHECK(c, t != NULL && t->header_rows->len == 2 && t->rows->len == 2);
    if (t && t->rows->len == 2)
        CHECK_STR(c, cell(t, t->rows, 0, 0), "合计");
    bpn_document_free(doc);
    bpx_document_free(src);
}

static void code_table_page(bpx_document *src, int page, double top)
{
    const double xs[] = {60, 160, 420, 540};
    const double ys[] = {top, top + 20, top + 40, top + 60};
    synth_grid(src, page, xs, 4, ys, 4);
    synth_text(src, page, 64, top + 4, 10, "科目编码");
    synth_text(src, page, 164, top + 4, 10, "科目名称");
    synth_text(src, page, 424, top + 4, 10, "金额");
}

/* A table continued on the next page with its header repeated. */
static void test_continuation(check_counts *c)
{
    bpx_document *src = synth_document(2);
    synth_text(src, 1, 60, 60, 12, "表五");
    synth_text(src, 1, 150, 80, 16, "2025年一般公共预算支出预算表");
    code_table_page(src, 1, 700);
    synth_text(src, 1, 64, 724, 10, "201");
    synth_text(src, 1, 164, 724, 10, "一般公共服务支出");
    synth_cell_right(src, 1, 540, 720, 740, 10, "1.95");
    synth_text(src, 1, 64, 744, 10, "20101");
    synth_text(src, 1, 164, 744, 10, "人大事务");
    synth_cell_right(src, 1, 540, 740, 760, 10, "1.95");
    code_table_page(src, 2, 60);
    synth_text(src, 2, 64, 84, 10, "210");
    synth_text(src, 2, 164, 84, 10, "卫生健康支出");
    synth_cell_right(src, 2, 540, 80, 100, 10, "1,424.48");
    synth_text(src, 2, 164, 104, 10, "合计");
    synth_cell_right(src, 2, 540, 100, 120, 10, "1,426.43");

    bpn_document *doc = bpn_document_build(src, NULL);
    CHECK(c, doc->tables->len == 1);
    const bpn_table *t = table_numbered(doc, 5);
    CHECK(c, t != NULL);
    if (t) {
        CHECK(c, t->pages->len == 2);
        CHECK(c, t->header_rows->len == 1);
        CHECK(c, t->rows->len == 4);
        CHECK_STR(c, cell(t, t->rows, 0, 0), "201");
        CHECK(c, t->rows->len == 4 && !((bpn_row *)t->rows->pdata[0])->cells[0].is_number);
        CHECK_STR(c, cell(t, t->rows, 2, 1), "卫生健康支出");
        CHECK_STR(c, cell(t, t->rows, 3, 1), "合计");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A table shrunk to k of its size to fit the paper (every position and
 * the 9 pt text times k), with a stray vertical stroke in its second
 * header row (a diagonal watermark's stroke the ruling detector took for a
 * rule) from the row's top rule to 5 pt (times k) short of its bottom one.
 * At full size the stroke meets one rule and is no cell edge; shrunk, the
 * 3 pt a stroke's end may miss a rule by must shrink with the print, or
 * at 0.5 the stroke meets both rules and splits 科目名称's column in two. */
static void test_small_print_stray_stroke(check_counts *c, double k)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60 * k, 20 * k, 12 * k, "表三");
    synth_text(src, 1, 200 * k, 40 * k, 16 * k, "2026年预算支出总表");
    const double xs[] = {63, 115, 255, 349, 441, 533}, ys[] = {65, 81, 99, 115, 131, 147, 163};
    for (int i = 0; i < 7; i++)
        synth_hline(src, 1, xs[0] * k, xs[5] * k, ys[i] * k);
    synth_vline(src, 1, xs[0] * k, ys[0] * k, ys[6] * k);
    synth_vline(src, 1, xs[1] * k, ys[1] * k, ys[6] * k);
    synth_vline(src, 1, xs[2] * k, ys[0] * k, ys[6] * k);
    synth_vline(src, 1, xs[3] * k, ys[1] * k, ys[6] * k);
    synth_vline(src, 1, xs[4] * k, ys[1] * k, ys[6] * k);
    synth_vline(src, 1, xs[5] * k, ys[0] * k, ys[6] * k);
    synth_vline(src, 1, 231 * k, 80 * k, 94 * k); /* the stray stroke */
    const double fs = 9 * k;
    synth_text(src, 1, 150 * k, 69 * k, fs, "项目");
    synth_text(src, 1, 360 * k, 69 * k, fs, "2026年预算数");
    static const char *const head[] = {"科目编码", "科目名称", "合计", "基本支出", "项目支出"};
    for (int i = 0; i < 5; i++)
        synth_text(src, 1, (xs[i] + 4) * k, 85 * k, fs, head[i]);
    static const char *const code[] = {"221", "22102", "2210201", "229"};
    static const char *const name[] = {"住房保障支出", "住房改革支出", "住房公积金", "其他支出"};
    for (int r = 0; r < 4; r++) {
        double y0 = ys[r + 2] * k, y1 = ys[r + 3] * k;
        synth_text(src, 1, (xs[0] + 3) * k, y0 + 3.5 * k, fs, code[r]);
        synth_text(src, 1, (xs[1] + 3) * k, y0 + 3.5 * k, fs, name[r]);
        synth_cell_right(src, 1, (xs[3] - 3) * k, y0, y1, fs, "549.15");
        synth_cell_right(src, 1, (xs[4] - 3) * k, y0, y1, fs, "549.15");
    }

    /* the page's grid: five columns (a grid with a sixth continues no
     * table of five on the page before) */
    const bpx_page *page = &src->pages[0];
    GPtrArray *chars = g_ptr_array_new();
    for (size_t i = 0; i < page->n_chars; i++)
        g_ptr_array_add(chars, &page->chars[i]);
    GPtrArray *grids = bpn_grids_find(page, chars);
    CHECK(c, grids->len == 1);
    const bpn_grid *g = grids->len ? grids->pdata[0] : NULL;
    CHECK(c, g != NULL && g->n_cols == 5);
    g_ptr_array_unref(grids);
    g_ptr_array_unref(chars);

    bpn_document *doc = bpn_document_build(src, NULL);
    const bpn_table *t = doc ? table_numbered(doc, 3) : NULL;
    CHECK(c, t != NULL && t->n_cols == 5 && t->rows->len == 4);
    if (t && t->n_cols == 5 && t->rows->len == 4) {
        CHECK_STR(c, cell(t, t->rows, 0, 1), "住房保障支出");
        CHECK_STR(c, cell(t, t->rows, 3, 0), "229");
        CHECK_STR(c, cell(t, t->rows, 3, 2), "549.15");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* An empty table: header, a 合计 row without amounts, and the note. */
static void test_no_data(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表七");
    synth_text(src, 1, 150, 80, 16, "2025年政府性基金预算收入表");
    code_table_page(src, 1, 120);
    synth_text(src, 1, 164, 144, 10, "合计");
    synth_text(src, 1, 60, 190, 10, "注：本表无数据。");
    bpn_document *doc = bpn_document_build(src, NULL);
    const bpn_table *t = table_numbered(doc, 7);
    CHECK(c, t != NULL);
    if (t) {
        CHECK(c, t->no_data);
        CHECK(c, t->rows->len == 1);
        CHECK_STR(c, cell(t, t->rows, 0, 1), "合计");
        CHECK(c, t->notes->len == 1);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* An empty table printed without any grid: label, title, unit line and the
 * note that it is empty, on a page of its own; and on another page a line of
 * prose that ends like a title, with no note after it: no table. */
static void test_gridless_no_data(check_counts *c)
{
    bpx_document *src = synth_document(2);
    synth_text(src, 1, 60, 60, 12, "表八");
    synth_text(src, 1, 150, 80, 16, "2025年国有资本经营预算支出表");
    synth_text(src, 1, 60, 104, 10, "单位名称：某某医院");
    synth_text(src, 1, 470, 104, 10, "单位：万元");
    synth_text(src, 1, 60, 124, 10, "本单位无国有资本经营预算收支，故本表无数据。");
    synth_text(src, 2, 60, 60, 10, "具体情况详见2025年国有资本经营预算支出表");
    synth_text(src, 2, 60, 80, 10, "以上为本部分的说明。");
    bpn_document *doc = bpn_document_build(src, NULL);
    CHECK(c, doc->tables->len == 1);
    const bpn_table *t = table_numbered(doc, 8);
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->title, "2025年国有资本经营预算支出表");
        CHECK_STR(c, t->unit_of_measure, "万元");
        CHECK(c, t->no_data && t->rows->len == 0 && t->notes->len == 1);
        CHECK(c, t->pages->len == 1 && g_array_index(t->pages, int, 0) == 1);
    }
    /* the table's lines are not narrative */
    gboolean leaked = FALSE;
    for (guint i = 0; i < doc->sections->len; i++) {
        const bpn_section *sec = doc->sections->pdata[i];
        leaked |= (sec->text && strstr(sec->text, "故本表无数据")) || (sec->heading && strstr(sec->heading, "故本表无数据"));
    }
    CHECK(c, !leaked);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Tables without labels take their numbers from the 目录. */
static void test_toc_numbers(check_counts *c)
{
    bpx_document *src = synth_document(3);
    synth_text(src, 1, 250, 60, 16, "目  录");
    synth_text(src, 1, 60, 100, 12, "一、收支预算总表");
    synth_text(src, 1, 60, 120, 12, "二、收入预算总表");
    synth_text(src, 2, 200, 60, 16, "收入预算总表");
    code_table_page(src, 2, 100);
    synth_text(src, 2, 164, 124, 10, "合计");
    synth_cell_right(src, 2, 540, 120, 140, 10, "3.00");
    synth_text(src, 3, 200, 60, 16, "收支预算总表");
    code_table_page(src, 3, 100);
    synth_text(src, 3, 164, 124, 10, "合计");
    synth_cell_right(src, 3, 540, 120, 140, 10, "3.00");
    bpn_document *doc = bpn_document_build(src, NULL);
    CHECK(c, doc->tables->len == 2);
    const bpn_table *t1 = table_numbered(doc, 1), *t2 = table_numbered(doc, 2);
    CHECK(c, t1 && t1->title && strcmp(t1->title, "收支预算总表") == 0);
    CHECK(c, t2 && t2->title && strcmp(t2->title, "收入预算总表") == 0);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A page with one small table under a title (and a label, if any). */
static void titled_table_page(bpx_document *src, int page, const char *label, const char *title)
{
    if (label)
        synth_text(src, page, 60, 60, 12, label);
    synth_text(src, page, 150, 80, 16, title);
    code_table_page(src, page, 120);
    synth_text(src, page, 164, 144, 10, "合计");
    synth_cell_right(src, page, 540, 140, 160, 10, "3.00");
}

static int number_titled(const bpn_document *doc, const char *title)
{
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        if (t->title && strcmp(t->title, title) == 0)
            return t->number;
    }
    return -1;
}

/* A 目录 printed as lines: its heading set so wide (目   录) that it is two
 * lines; entries numbered 一、 … 十一、, the numeral, the title and the page
 * standing apart on their baseline, dot leaders, an entry wrapped onto a
 * second row.  The tables follow in another order, with titles that differ
 * from the entries' (财政拨款 before 政府性基金…, 一般公共预算 missing before
 * "三公"); a label printed over a table wins over the 目录's order; a table
 * that neither numbers has no number. */
static void test_toc_lines(check_counts *c)
{
    bpx_document *src = synth_document(8);
    synth_text(src, 1, 200, 60, 16, "目");
    synth_text(src, 1, 330, 60, 16, "录");
    synth_text(src, 1, 60, 100, 12, "一、收支预算总表……………………2");
    synth_text(src, 1, 60, 120, 12, "二、");
    synth_text(src, 1, 150, 120, 12, "政府性基金支出预算表");
    synth_text(src, 1, 500, 120, 12, "5");
    synth_text(src, 1, 60, 140, 12, "三、");
    synth_text(src, 1, 150, 140, 12, "一般公共预算支出预算表");
    synth_text(src, 1, 60, 160, 12, "四、");
    synth_text(src, 1, 150, 160, 12, "机关运行经费支出预算表");
    synth_text(src, 1, 60, 180, 12, "十一、");
    synth_text(src, 1, 150, 180, 12, "一般公共预算“三公”经费、会议费、培训费支");
    synth_text(src, 1, 150, 196, 12, "出预算表");
    titled_table_page(src, 2, NULL, "收支预算总表");
    titled_table_page(src, 3, NULL, "一般公共预算支出预算表");
    titled_table_page(src, 4, NULL, "“三公”经费、会议费、培训费支出预算表");
    titled_table_page(src, 5, NULL, "财政拨款政府性基金支出预算表");
    titled_table_page(src, 6, "表七", "单位基本信息表");
    titled_table_page(src, 7, "表十", "机关运行经费支出预算表");
    titled_table_page(src, 8, NULL, "项目绩效情况表");
    bpn_document *doc = bpn_document_build(src, NULL);
    CHECK(c, doc->tables->len == 7);
    CHECK(c, number_titled(doc, "收支预算总表") == 1);
    CHECK(c, number_titled(doc, "财政拨款政府性基金支出预算表") == 2);
    CHECK(c, number_titled(doc, "一般公共预算支出预算表") == 3);
    CHECK(c, number_titled(doc, "“三公”经费、会议费、培训费支出预算表") == 11);
    CHECK(c, number_titled(doc, "单位基本信息表") == 7);
    CHECK(c, number_titled(doc, "机关运行经费支出预算表") == 10);
    CHECK(c, number_titled(doc, "项目绩效情况表") == 0);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A 目录 printed as a ruled grid (序号 | 报表名称 | 页码), numbered 1, 一、
 * and 公开03表: the tables take its numbers, and the grid is no table. */
static void test_toc_grid(check_counts *c)
{
    bpx_document *src = synth_document(4);
    synth_text(src, 1, 250, 60, 16, "目录");
    const double xs[] = {60, 160, 440, 540};
    const double ys[] = {100, 120, 140, 160, 180};
    synth_grid(src, 1, xs, 4, ys, 5);
    synth_text(src, 1, 64, 104, 10, "序号");
    synth_text(src, 1, 164, 104, 10, "报表名称");
    synth_text(src, 1, 444, 104, 10, "页码");
    synth_text(src, 1, 64, 124, 10, "1");
    synth_text(src, 1, 164, 124, 10, "收入决算表");
    synth_text(src, 1, 444, 124, 10, "4");
    synth_text(src, 1, 64, 144, 10, "二、");
    synth_text(src, 1, 164, 144, 10, "收入支出决算总表");
    synth_text(src, 1, 444, 144, 10, "2");
    synth_text(src, 1, 64, 164, 10, "公开03表");
    synth_text(src, 1, 164, 164, 10, "支出决算表");
    synth_text(src, 1, 444, 164, 10, "3");
    titled_table_page(src, 2, NULL, "收入支出决算总表");
    titled_table_page(src, 3, NULL, "支出决算表");
    titled_table_page(src, 4, NULL, "收入决算表");
    bpn_document *doc = bpn_document_build(src, NULL);
    CHECK(c, doc->tables->len == 3);
    CHECK(c, number_titled(doc, "收入决算表") == 1);
    CHECK(c, number_titled(doc, "收入支出决算总表") == 2);
    CHECK(c, number_titled(doc, "支出决算表") == 3);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A table printed without any rule: columns from the alignment of its
 * amounts, a wrapped label joined to its row, prose around it left alone. */
static void test_unruled_table(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 40, 10, "2025年度单位预算的支出情况如下，金额单位为万元，详见下表。");
    synth_text(src, 1, 60, 60, 12, "表三");
    synth_text(src, 1, 150, 80, 16, "2025年预算支出总表");
    synth_text(src, 1, 60, 120, 10, "科目编码");
    synth_text(src, 1, 160, 120, 10, "科目名称");
    synth_text(src, 1, 330, 120, 10, "合计");
    synth_text(src, 1, 410, 120, 10, "基本支出");
    synth_text(src, 1, 490, 120, 10, "项目支出");
    const char *rows[][5] = {
        {"", "合计", "30.00", "20.00", "10.00"},
        {"210", "卫生健康支出", "30.00", "20.00", "10.00"},
        {"21002", "公立医院", "30.00", "20.00", "10.00"},
        {"2100201", "综合医院", "30.00", "20.00", "10.00"},
    };
    double y = 140;
    for (int r = 0; r < 4; r++, y += 16) {
        if (*rows[r][0])
            synth_text(src, 1, 60, y, 10, rows[r][0]);
        synth_text(src, 1, 160, y, 10, rows[r][1]);
        synth_cell_right(src, 1, 370, y - 3, y + 13, 10, rows[r][2]);
        synth_cell_right(src, 1, 450, y - 3, y + 13, 10, rows[r][3]);
        synth_cell_right(src, 1, 530, y - 3, y + 13, 10, rows[r][4]);
    }
    synth_text(src, 1, 160, y - 4, 10, "（含分院）"); /* wraps under 综合医院 */
    synth_text(src, 1, 60, y + 30, 10, "本表反映单位预算支出的总体情况。");
    bpn_document *doc = bpn_document_build(src, NULL);
    CHECK(c, doc->tables->len == 1);
    const bpn_table *t = table_numbered(doc, 3);
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->title, "2025年预算支出总表");
        CHECK(c, t->n_cols == 5);
        CHECK(c, t->header_rows->len == 1);
        CHECK_STR(c, t->header_rows->len ? cell(t, t->header_rows, 0, 3) : NULL, "基本支出");
        CHECK(c, t->rows->len == 4);
        CHECK_STR(c, cell(t, t->rows, 0, 1), "合计");
        CHECK_STR(c, cell(t, t->rows, 2, 0), "21002");
        CHECK_STR(c, cell(t, t->rows, 3, 1), "综合医院（含分院）");
        CHECK_STR(c, cell(t, t->rows, 3, 4), "10.00");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* An unruled table with what a template leaves: the unit line above the
 * header, a label centred over three amount columns, a column no row fills
 * (政府性基金, named by its header only), a name column wider than its names,
 * and rows holding a label only between the rows with amounts. */
static void test_unruled_template_table(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表五");
    synth_text(src, 1, 150, 80, 16, "2025年一般公共预算支出表");
    synth_text(src, 1, 60, 104, 10, "单位名称：某某医院");
    synth_text(src, 1, 470, 104, 10, "单位：万元");
    synth_text(src, 1, 150, 120, 10, "项目");           /* over 科目编码 and 科目名称 */
    synth_text(src, 1, 355, 120, 10, "2025年预算数");   /* over 合计, 基本支出, 项目支出 */
    synth_text(src, 1, 60, 136, 10, "科目编码");
    synth_text(src, 1, 190, 136, 10, "科目名称");      /* centred over short names */
    synth_text(src, 1, 320, 136, 10, "合计");
    synth_text(src, 1, 380, 136, 10, "基本支出");
    synth_text(src, 1, 440, 136, 10, "项目支出");
    synth_text(src, 1, 500, 136, 10, "政府性基金");    /* no row fills it */
    const char *rows[][5] = {
        {"", "合计", "30.00", "20.00", "10.00"},
        {"210", "卫生", "30.00", "20.00", "10.00"},
        {"21002", "医院", "", "", ""},
        {"21003", "基层", "", "", ""},
        {"2100201", "综合", "30.00", "20.00", "10.00"},
        {"2100202", "中医", "1.50", "1.50", ""},
    };
    double y = 154;
    for (int r = 0; r < 6; r++, y += 16) {
        if (*rows[r][0])
            synth_text(src, 1, 60, y, 10, rows[r][0]);
        synth_text(src, 1, 140, y, 10, rows[r][1]);
        synth_cell_right(src, 1, 345, y - 3, y + 13, 10, rows[r][2]);
        synth_cell_right(src, 1, 420, y - 3, y + 13, 10, rows[r][3]);
        synth_cell_right(src, 1, 480, y - 3, y + 13, 10, rows[r][4]);
    }
    bpn_document *doc = bpn_document_build(src, NULL);
    const bpn_table *t = doc ? table_numbered(doc, 5) : NULL;
    CHECK(c, t != NULL);
    if (t) {
        CHECK(c, t->n_cols == 6);
        CHECK(c, t->rows->len == 6);
        /* the unit line is no header row; the centred label stays whole */
        gboolean unit_line = FALSE, label_whole = FALSE;
        for (guint r = 0; r < t->header_rows->len; r++)
            for (int k = 0; k < t->n_cols; k++) {
                const char *h = cell(t, t->header_rows, r, k);
                unit_line |= h && strstr(h, "单位") != NULL;
                label_whole |= h && strcmp(h, "2025年预算数") == 0;
            }
        CHECK(c, !unit_line);
        CHECK(c, label_whole);
        CHECK_STR(c, t->header_rows->len ? cell(t, t->header_rows, t->header_rows->len - 1, 1) : NULL, "科目名称");
        CHECK_STR(c, t->header_rows->len ? cell(t, t->header_rows, t->header_rows->len - 1, 5) : NULL, "政府性基金");
        CHECK_STR(c, cell(t, t->rows, 1, 1), "卫生");
        CHECK_STR(c, cell(t, t->rows, 3, 0), "21003");
        CHECK_STR(c, cell(t, t->rows, 4, 4), "10.00");
        CHECK_STR(c, cell(t, t->rows, 5, 3), "1.50");
        CHECK_STR(c, cell(t, t->rows, 5, 5), NULL);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* An unruled 收支总表-like table: an amount set right against the label of
 * the next column (less than a glyph apart), a label wrapped over two lines
 * with its amounts centred beside them, and labels of rows without amounts
 * longer than any label of a row with them. */
static void test_unruled_tight_table(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 150, 80, 16, "2025年预算收支总表");
    synth_text(src, 1, 60, 120, 10, "项目");
    synth_text(src, 1, 160, 120, 10, "金额");
    synth_text(src, 1, 210, 120, 10, "项目");
    synth_text(src, 1, 400, 120, 10, "金额");
    synth_text(src, 1, 470, 120, 10, "结转");
    double y = 140;
    synth_text(src, 1, 60, y, 10, "一、财政拨款");
    synth_cell_right(src, 1, 205, y - 3, y + 13, 10, "1,426.43"); /* 5 pt before 一、 */
    synth_text(src, 1, 210, y, 10, "一、一般公共服务支出");
    synth_cell_right(src, 1, 440, y - 3, y + 13, 10, "1.95");
    synth_cell_right(src, 1, 520, y - 3, y + 13, 10, "0.50");
    y += 20;
    synth_text(src, 1, 60, y, 10, "二、政府性基金收入"); /* longer than any label beside amounts */
    synth_text(src, 1, 210, y, 10, "二、外交支出");
    y += 20;
    synth_text(src, 1, 60, y, 10, "三、其他收入");
    synth_cell_right(src, 1, 205, y - 3, y + 13, 10, "20.00");
    synth_text(src, 1, 210, y - 6, 10, "三、机关事业单位基本养老");    /* two lines, */
    synth_text(src, 1, 210, y + 6.5, 10, "保险缴费支出");                /* amounts between */
    synth_cell_right(src, 1, 440, y - 3, y + 13, 10, "114.63");
    y += 24;
    synth_text(src, 1, 60, y, 10, "收入总计");
    synth_cell_right(src, 1, 205, y - 3, y + 13, 10, "1,446.43");
    synth_text(src, 1, 210, y, 10, "支出总计");
    synth_cell_right(src, 1, 440, y - 3, y + 13, 10, "116.58");
    synth_cell_right(src, 1, 520, y - 3, y + 13, 10, "0.50");
    bpn_document *doc = bpn_document_build(src, NULL);
    const bpn_table *t = doc ? table_numbered(doc, 1) : NULL;
    CHECK(c, t != NULL && t->n_cols == 5 && t->rows->len == 4);
    if (t && t->n_cols == 5 && t->rows->len == 4) {
        CHECK_STR(c, cell(t, t->rows, 0, 1), "1,426.43");
        CHECK_STR(c, cell(t, t->rows, 0, 2), "一、一般公共服务支出");
        CHECK_STR(c, cell(t, t->rows, 1, 0), "二、政府性基金收入");
        CHECK_STR(c, cell(t, t->rows, 1, 1), NULL);
        CHECK_STR(c, cell(t, t->rows, 2, 2), "三、机关事业单位基本养老保险缴费支出");
        CHECK_STR(c, cell(t, t->rows, 2, 3), "114.63");
        CHECK_STR(c, cell(t, t->rows, 3, 4), "0.50");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* An unruled table running on to a second page without its header: the
 * second page begins and ends with rows of a label alone, around the rows
 * with amounts; the sentence under the table is not a row. */
static void test_unruled_continued(check_counts *c)
{
    bpx_document *src = synth_document(2);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 150, 80, 16, "2025年预算收支总表");
    synth_text(src, 1, 60, 120, 10, "项目");
    synth_text(src, 1, 200, 120, 10, "金额");
    synth_text(src, 1, 260, 120, 10, "项目");
    synth_text(src, 1, 470, 120, 10, "金额");
    const char *left[] = {"一、财政拨款", "二、事业收入", "三、其他收入"};
    const char *right[] = {"一、一般公共服务支出", "二、外交支出", "三、国防支出"};
    const char *amount[] = {"10.00", "", "5.00"};
    double y = 140;
    for (int r = 0; r < 3; r++, y += 20) {
        synth_text(src, 1, 60, y, 10, left[r]);
        if (*amount[r])
            synth_cell_right(src, 1, 240, y - 3, y + 13, 10, amount[r]);
        synth_text(src, 1, 260, y, 10, right[r]);
        if (*amount[r])
            synth_cell_right(src, 1, 500, y - 3, y + 13, 10, amount[r]);
    }
    y = 60;
    synth_text(src, 2, 260, y, 10, "四、公共安全支出");
    y += 20;
    synth_text(src, 2, 260, y, 10, "五、教育支出");
    y += 20;
    synth_text(src, 2, 260, y, 10, "六、卫生健康支出");
    synth_cell_right(src, 2, 500, y - 3, y + 13, 10, "15.00");
    y += 20;
    synth_text(src, 2, 60, y, 10, "本年收入合计");
    synth_cell_right(src, 2, 240, y - 3, y + 13, 10, "15.00");
    synth_text(src, 2, 260, y, 10, "本年支出合计");
    synth_cell_right(src, 2, 500, y - 3, y + 13, 10, "15.00");
    y += 20;
    synth_text(src, 2, 60, y, 10, "收入总计");
    synth_cell_right(src, 2, 240, y - 3, y + 13, 10, "15.00");
    synth_text(src, 2, 260, y, 10, "支出总计");
    synth_cell_right(src, 2, 500, y - 3, y + 13, 10, "15.00");
    y += 20;
    synth_text(src, 2, 260, y, 10, "七、结转下年");
    synth_text(src, 2, 60, y + 30, 10, "本表反映收支总体情况。");
    bpn_document *doc = bpn_document_build(src, NULL);
    const bpn_table *t = doc ? table_numbered(doc, 1) : NULL;
    CHECK(c, doc && doc->tables->len == 1);
    CHECK(c, t != NULL && t->pages->len == 2 && t->rows->len == 9);
    gboolean leaked = FALSE;
    for (guint i = 0; doc && i < doc->sections->len; i++) {
        const bpn_section *sec = doc->sections->pdata[i];
        leaked |= (sec->heading && strstr(sec->heading, "支出")) || (sec->text && strstr(sec->text, "公共安全"));
    }
    CHECK(c, !leaked);
    bpn_document_free(doc);
    bpx_document_free(src);
}

static void test_text_helpers(check_counts *c)
{
    double v = 0;
    CHECK(c, bpn_parse_amount("1,438.44", &v) && fabs(v - 1438.44) < 1e-9);
    CHECK(c, bpn_parse_amount("１２３.５", &v) && fabs(v - 123.5) < 1e-9);
    CHECK(c, bpn_parse_amount("-3", &v) && v == -3);
    CHECK(c, !bpn_parse_amount("", &v));
    CHECK(c, !bpn_parse_amount("12a", &v));
    CHECK(c, !bpn_parse_amount("2025年", &v));
    CHECK(c, !bpn_parse_amount("1.", &v));
    char *n = bpn_norm("合 计\u3000（一）");
    CHECK_STR(c, n, "合计(一)");
    g_free(n);
    CHECK(c, bpn_numeral_value("十三") == 13);
    CHECK(c, bpn_numeral_value("二十") == 20);
    CHECK(c, bpn_numeral_value("七") == 7);
    CHECK(c, bpn_numeral_value("12") == 12);
    CHECK(c, bpn_numeral_value("") == 0);
}

/* The comparison form character by character, as the decode-and-append loop
 * bpn_norm was before it copied unchanged characters' bytes (text.c): every
 * ASCII character (its white space is \t \n \f \r and space, not \v),
 * the full-width forms at both ends of their range and past them, the
 * ideographic space, no-break space, curly quotes, four-byte characters,
 * and text that is not valid UTF-8 (read as before, by the old loop). */
static char *norm_reference(const char *s)
{
    GString *o = g_string_new(NULL);
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0xFF01 && c <= 0xFF5E)
            c = c - 0xFF01 + 0x21;
        if (g_unichar_isspace(c) || c == 0x3000)
            continue;
        if (c == 0x201C || c == 0x201D)
            c = '"';
        else if (c == 0x2018 || c == 0x2019)
            c = '\'';
        g_string_append_unichar(o, c);
    }
    return g_string_free(o, FALSE);
}

static void test_norm_chars(check_counts *c)
{
    char *n = bpn_norm("\u201C预算\u201D \u2018表\u2019\u00A0\uFF01\uFF5E\uFF5F\uFF00\t\v\n\f\r|\U0002000B");
    CHECK_STR(c, n, "\"预算\"'表'!~\uFF5F\uFF00\v|\U0002000B");
    g_free(n);
    n = bpn_norm(NULL);
    CHECK_STR(c, n, "");
    g_free(n);
    int same = 0, tried = 0;
    for (int b = 1; b < 0x80; b++) {
        char s[4] = {'a', (char)b, 'z', 0};
        char *got = bpn_norm(s), *want = norm_reference(s);
        same += strcmp(got, want) == 0;
        tried++;
        g_free(got);
        g_free(want);
    }
    static const gunichar cps[] = {0xA0, 0x2000, 0x2028, 0x2029, 0x3000, 0x3001, 0xFF01, 0xFF10, 0xFF5E, 0xFF5F,
                                   0x201C, 0x201D, 0x2018, 0x2019, 0x4E00, 0x1F600,
                                   0x3002, 0x33FF, 0xD55C, 0xE000, 0xFEFF, 0xFF00, 0x200B, 0x0085};
    for (size_t i = 0; i < G_N_ELEMENTS(cps); i++) {
        char s[16] = "x";
        int k = 1 + g_unichar_to_utf8(cps[i], s + 1);
        s[k] = 'y';
        s[k + 1] = 0;
        char *got = bpn_norm(s), *want = norm_reference(s);
        same += strcmp(got, want) == 0;
        tried++;
        g_free(got);
        g_free(want);
    }
    /* (a character cut short is padded: the old loop stepped over the
     * terminator there) */
    static const char *const bad[] = {"\xE5\x90\0\0\0", "a\xFF" "b", "\xE5\x90\x88\xC0\xAF", "\xED\xA0\x80x"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *got = bpn_norm(bad[i]), *want = norm_reference(bad[i]);
        same += strcmp(got, want) == 0;
        tried++;
        g_free(got);
        g_free(want);
    }
    CHECK(c, tried == 127 + 24 + 4 && same == tried);
}

/* The compiled-pattern cache answers as compiling at the call does: a match,
 * a group, a group that took no part, no match, a pattern that does not
 * compile, no text; and again once the patterns are cached. */
static void test_pattern_cache(check_counts *c)
{
    bpn_regex_cache *rx = bpn_regex_cache_new();
    for (int pass = 0; pass < 2; pass++) {
        char *g = bpn_rx_capture(rx, "^(20\\d{2})年(度)?", "2026年部门预算", 1);
        CHECK_STR(c, g, "2026");
        g_free(g);
        CHECK(c, bpn_rx_capture(rx, "^(20\\d{2})年(度)?", "2026年部门预算", 2) == NULL); /* (度) took no part */
        g = bpn_rx_capture(rx, "^(20\\d{2})年(度)?", "2026年度部门预算", 0);
        CHECK_STR(c, g, "2026年度");
        g_free(g);
        CHECK(c, bpn_rx_match(rx, "(合计|总计)$", "支出合计"));
        CHECK(c, !bpn_rx_match(rx, "(合计|总计)$", "合计数"));
        CHECK(c, bpn_rx_match(rx, "", "")); /* an empty match is a match */
        CHECK(c, !bpn_rx_match(rx, "(unclosed", "(unclosed"));
        CHECK(c, bpn_rx_capture(rx, "(unclosed", "(unclosed", 0) == NULL);
        CHECK(c, !bpn_rx_match(rx, "x", NULL));
        CHECK(c, bpn_match("(合计|总计)$", "支出合计") && !bpn_match("(unclosed", "(unclosed"));
    }
    CHECK(c, bpn_rx_match(NULL, "^\\d+$", "123") && !bpn_rx_match(NULL, "^\\d+$", "12a"));
    bpn_regex_cache_free(rx);
}

int main(void)
{
    check_counts c = {0};
    test_pattern_cache(&c);
    test_text_helpers(&c);
    test_norm_chars(&c);
    test_summary_table(&c, "万元", 1.0);
    test_summary_table(&c, "千元", 0.1);
    test_rule_under_first_glyph(&c);
    test_text_over_drawn_rule(&c);
    test_hanging_comma(&c);
    test_note_wrapped_under_grid(&c);
    test_label_over_row_rule(&c);
    test_rules_without_glyphs(&c);
    test_frame_without_column_rules(&c);
    test_final_accounts_table(&c);
    test_framed_prose(&c);
    test_header_with_of_which(&c);
    test_continuation(&c);
    test_small_print_stray_stroke(&c, 1.0);
    test_small_print_stray_stroke(&c, 0.7);
    test_small_print_stray_stroke(&c, 0.5);
    test_no_data(&c);
    test_gridless_no_data(&c);
    test_toc_numbers(&c);
    test_toc_lines(&c);
    test_toc_grid(&c);
    test_unruled_table(&c);
    test_unruled_template_table(&c);
    test_unruled_tight_table(&c);
    test_unruled_continued(&c);
    return check_summary("test_normalize", &c);
}
