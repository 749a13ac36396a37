/* test_meaning.c — the vocabulary (vocab.c) and what meaning.c reads from
 * finished tables: unit keys on spellings from three provinces, regions,
 * table kinds, header paths merged from the left or from above, measures,
 * side-by-side records, codes split over 类/款/项, codes from names, levels
 * and parents.  Expected values are written from the printed forms. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"

#define W TB_W

static bpn_table *table(const char *title, const char *unit, int n_cols, const char *header[][W], int n_header,
                        const char *rows[][W], int n_rows)
{
    return tb_table(0, title, unit, n_cols, header, n_header, rows, n_rows);
}

static bpn_document *doc_with(bpn_table *t, const char *unit)
{
    bpn_document *d = bpn_document_new();
    d->unit = g_strdup(unit);
    d->document_type = g_strdup("部门预算");
    if (t)
        g_ptr_array_add(d->tables, t);
    bpn_meaning_build(d);
    return d;
}

static void same_key(check_counts *c, const char *a, const char *b)
{
    char *x = bpn_unit_key(a), *y = bpn_unit_key(b);
    CHECK_STR(c, x, y);
    g_free(x);
    g_free(y);
}

static void test_unit_keys(check_counts *c)
{
    /* 江苏 */
    same_key(c, "中国共产党江苏省委员会办公厅", "中共江苏省委办公厅");
    same_key(c, "中共江苏省委办公厅", "江苏省委办公厅");
    same_key(c, "江苏省委 办公厅", "江苏省委办公厅");
    /* 北京 */
    same_key(c, "北京市国资委", "北京市人民政府国有资产监督管理委员会");
    same_key(c, "中国共产党北京市委员会宣传部", "中共北京市委宣传部");
    same_key(c, "北京市医疗保障局部门", "北京市医疗保障局");
    /* 福建 */
    same_key(c, "福州市民政局(本级)", "福州市民政局（本级）");
    same_key(c, "泉州市人民政府办公室", "泉州市政府办公室");
    same_key(c, "阳泉市第四人民医院（阳泉市妇产医院）", "阳泉市第四人民医院");
    /* different units stay apart */
    char *a = bpn_unit_key("江苏省委办公厅"), *b = bpn_unit_key("江苏省政协办公厅");
    CHECK(c, a && b && strcmp(a, b) != 0);
    g_free(a);
    g_free(b);
    a = bpn_unit_key("北京市公安局");
    b = bpn_unit_key("北京市公安局交通管理局");
    CHECK(c, a && b && strcmp(a, b) != 0);
    g_free(a);
    g_free(b);
    CHECK(c, bpn_unit_key(NULL) == NULL);
}

static void test_regions(check_counts *c)
{
    bpn_region r = {0};
    bpn_region_of(NULL, "中国共产党江苏省委员会办公厅", &r);
    CHECK_STR(c, r.province, "江苏省");
    CHECK_STR(c, r.level, "province");
    bpn_region_of(NULL, "阳泉市卫生健康委员会", &r);
    CHECK_STR(c, r.province, "山西省");
    CHECK_STR(c, r.city, "阳泉市");
    bpn_region_of(NULL, "北京市人力资源和社会保障局", &r);
    CHECK_STR(c, r.province, "北京市");
    CHECK_STR(c, r.level, "province");
    bpn_region_of(NULL, "国家信访局", &r);
    CHECK_STR(c, r.level, "central");
    bpn_region_of(NULL, "福州市仓山区民政局", &r);
    CHECK_STR(c, r.district, "仓山区");
    CHECK_STR(c, r.level, "district");
    bpn_region_clear(&r);
}

static void test_kinds(check_counts *c)
{
    /* twice through the same cache (compiled at the first pass, reused at
     * the second), and without one */
    bpn_regex_cache *cache = bpn_regex_cache_new();
    for (int pass = 0; pass < 3; pass++) {
        bpn_regex_cache *rx = pass < 2 ? cache : NULL;
        CHECK_STR(c, bpn_vocab_kind(rx, "预算09表财政拨款“三公”经费支出表"), "three_public");
        CHECK_STR(c, bpn_vocab_kind(rx, "2025年财政拨款收支总表"), "fiscal_summary");
        CHECK_STR(c, bpn_vocab_kind(rx, "收入支出决算总表"), "income_expenditure_summary");
        CHECK_STR(c, bpn_vocab_kind(rx, "2026年一般公共预算支出预算表（不含上年结转）"), "general_budget_expenditure");
        CHECK_STR(c, bpn_vocab_kind(rx, "一般公共预算支出经济分类情况表"), "general_budget_expenditure_economic");
        CHECK_STR(c, bpn_vocab_kind(rx, "一般公共预算财政拨款基本支出决算表"), "general_budget_basic_expenditure");
        CHECK_STR(c, bpn_vocab_kind(rx, "政府性基金预算收入表（不含上年结转）"), "government_fund_income");
        CHECK_STR(c, bpn_vocab_kind(rx, "财政拨款政府性基金支出预算表"), "government_fund");
        CHECK_STR(c, bpn_vocab_kind(rx, "财政拨款支出预算表（功能科目）"), "fiscal_expenditure");
        CHECK_STR(c, bpn_vocab_kind(rx, "财政拨款基本支出预算表（经济科目）"), "fiscal_basic_expenditure");
        CHECK_STR(c, bpn_vocab_kind(rx, "2026年项目支出预算表（上年结转）"), "project_expenditure");
        CHECK_STR(c, bpn_vocab_kind(rx, "收入决算表"), "income");
        CHECK_STR(c, bpn_vocab_kind(rx, "综合评价得分情况表"), "other");
        CHECK_STR(c, bpn_vocab_kind(rx, "预算14表-1转移支付一般公共预算支出表"), "general_budget_expenditure");
        CHECK_STR(c, bpn_vocab_kind(rx, NULL), "other");
    }
    bpn_regex_cache_free(cache);
    CHECK_NEAR(c, bpn_vocab_to_wan("元"), 1e-4);
    CHECK_NEAR(c, bpn_vocab_to_wan("万元"), 1.0);
    CHECK_STR(c, bpn_vocab_code_name("2080505"), "机关事业单位基本养老保险缴费支出");
    CHECK_STR(c, bpn_vocab_code_of_name("基本工资", '3'), "30101");
    CHECK(c, bpn_vocab_code_of_name("行政运行", '2') == NULL); /* many 项 have that name */
}

/* The 三公 header of Jiangsu 2017 (table 11): “三公”经费 merged from the left
 * over 小计 … 公务接待费; 合计, 会议费, 培训费 merged from above. */
static void test_three_public(check_counts *c)
{
    const char *h[][W] = {
        {"合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"},
        {"", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""},
        {"", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""},
    };
    const char *r[][W] = {{"120.00", "60.00", "10.00", "30.00", "", "30.00", "20.00", "40.00", "20.00"}};
    bpn_document *d = doc_with(table("“三公”经费、会议费、培训费支出预算表", "万元", 9, h, 3, r, 1), "江苏省委办公厅");
    const bpn_table *t = d->tables->pdata[0];
    const bpn_table_meaning *m = t->meaning;
    CHECK_STR(c, m->kind, "three_public");
    const char *want[] = {"total", "three_public_total", "overseas_travel", "vehicle", "vehicle_purchase",
                          "vehicle_operation", "reception", "meeting", "training"};
    for (int i = 0; i < 9; i++)
        CHECK_STR(c, ((bpn_column *)m->columns->pdata[i])->measure, want[i]);
    char **p = ((bpn_column *)m->columns->pdata[7])->path; /* 会议费 is not under 公务接待费 */
    CHECK(c, p[0] && strcmp(p[0], "会议费") == 0 && !p[1]);
    p = ((bpn_column *)m->columns->pdata[4])->path;
    CHECK(c, p[0] && p[1] && p[2] && strcmp(p[0], "“三公”经费") == 0 && strcmp(p[1], "公务用车购置及运行维护费") == 0 &&
                 strcmp(p[2], "公务用车购置费") == 0);
    CHECK(c, m->records->len == 1);
    bpn_document_free(d);
    d = doc_with(table("预算14表-1转移支付一般公共预算支出表", "万元", 9, h, 3, r, 1), "北京市国资委");
    CHECK_STR(c, ((bpn_table *)d->tables->pdata[0])->meaning->number_label, "预算14表-1");
    bpn_document_free(d);
}

/* A side-by-side 收支总表: one record per label and side. */
static void test_side_by_side(check_counts *c)
{
    const char *h[][W] = {{"收入", "", "支出", ""}, {"项目", "金额", "项目", "金额"}};
    const char *r[][W] = {
        {"一、一般公共预算", "100.00", "一、一般公共服务支出", "80.00"},
        {"", "", "二、教育支出", "20.00"},
        {"收入总计", "100.00", "支出总计", "100.00"},
    };
    bpn_document *d = doc_with(table("收支预算总表", NULL, 4, h, 2, r, 3), "中共江苏省委办公厅");
    const bpn_table_meaning *m = ((bpn_table *)d->tables->pdata[0])->meaning;
    CHECK_STR(c, m->kind, "income_expenditure_summary");
    CHECK(c, m->records->len == 5);
    const bpn_record *x = m->records->pdata[1];
    CHECK_STR(c, x->side, "expenditure");
    CHECK_STR(c, x->label, "一、一般公共服务支出");
    CHECK(c, x->amount_cols->len == 1 && g_array_index(x->amount_cols, int, 0) == 3);
    x = m->records->pdata[2];
    CHECK_STR(c, x->side, "expenditure");
    CHECK(c, x->level == 1 && x->parent == -1);
    x = m->records->pdata[4];
    CHECK(c, x->total);
    CHECK_STR(c, ((bpn_column *)m->columns->pdata[1])->key, "total");
    CHECK_STR(c, ((bpn_column *)m->columns->pdata[3])->key, "total");
    CHECK(c, m->to_wan == 0); /* no unit printed, none before */
    CHECK_STR(c, d->unit_key, "江苏省委办公厅");
    bpn_document_free(d);
}

/* Codes over 类/款/项 columns, 类 and 款 carried down; level and parent. */
static void test_split_codes(check_counts *c)
{
    const char *h[][W] = {{"科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"}, {"类", "款", "项", "", "", "", ""}};
    const char *r[][W] = {
        {"", "", "", "合计", "30.00", "20.00", "10.00"},
        {"201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"},
        {"", "01", "", "人大事务", "30.00", "20.00", "10.00"},
        {"", "", "01", "行政运行", "20.00", "20.00", ""},
        {"", "", "02", "一般行政管理事务", "10.00", "", "10.00"},
    };
    bpn_document *d = doc_with(table("一般公共预算支出表", "元", 7, h, 2, r, 5), "烟台市审计局");
    const bpn_table_meaning *m = ((bpn_table *)d->tables->pdata[0])->meaning;
    CHECK_NEAR(c, m->to_wan, 1e-4);
    CHECK(c, m->records->len == 5);
    const char *codes[] = {NULL, "201", "20101", "2010101", "2010102"};
    int levels[] = {0, 1, 2, 3, 3}, parents[] = {-1, -1, 1, 2, 2};
    for (guint i = 0; i < 5 && i < m->records->len; i++) {
        const bpn_record *x = m->records->pdata[i];
        CHECK_STR(c, x->function_code, codes[i]);
        CHECK(c, x->level == levels[i] && x->parent == parents[i]);
    }
    CHECK_STR(c, ((bpn_column *)m->columns->pdata[5])->measure, "basic");
    CHECK_STR(c, ((bpn_column *)m->columns->pdata[0])->role, "code");
    CHECK_STR(c, d->region.city, "烟台市");
    bpn_document_free(d);
}

int main(void)
{
    check_counts c = {0};
    test_unit_keys(&c);
    test_regions(&c);
    test_kinds(&c);
    test_three_public(&c);
    test_side_by_side(&c);
    test_split_codes(&c);
    return check_summary("test_meaning", &c);
}
