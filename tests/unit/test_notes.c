/* test_notes.c — notes under a table (tables.c): a note wrapped over
 * lines, or numbered over lines, is one note of the table, and the
 * narrative after it stays the narrative's. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"

static void run(check_counts *c, gboolean numbered)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 40, "表七 国有资本经营预算拨款支出预算表");
    tb_line(blocks, 1, 50, 60, "单位：万元");
    tb_grid(blocks, 1, 80, 3, 2, (const char *const[]){"项目", "金额", "合计", "10.00", "一、货物", "10.00"});
    if (numbered) {
        /* 注：1. … 2. … set 1.7 lines apart */
        tb_line(blocks, 1, 60, 150, "注：1.采购组织形式为：集中采购和分散采购。");
        tb_line(blocks, 1, 70, 167, "2.采购品目名称根据《政府采购品目分类目录》填写。");
    } else {
        /* a sentence wrapped after its last but one character */
        tb_line(blocks, 1, 60, 150, "备注：本单位2026年没有使用国有资本经营预算拨款安排的支");
        tb_line(blocks, 1, 60, 160, "出。");
    }
    tb_line(blocks, 1, 60, 172, "八、一般公共预算支出经济分类情况表");
    tb_line(blocks, 1, 60, 184, "本单位2026年度部门预算收入合计10.00万元。");
    bpn_document *d = bpn_document_new();
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
