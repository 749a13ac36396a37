/* test_checks.c — the arithmetic checks, rule by rule, on tables built by
 * hand; each rule also on a table whose sums fail. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"

#define W TB_W

/* A table from strings: "" is an empty cell, a string with a decimal point
 * that reads as an amount is a number. */
static bpn_table *table(int number, const char *title, int n_cols, const char *header[][W], int n_header,
                        const char *rows[][W], int n_rows)
{
    return tb_table(number, title, "万元", n_cols, header, n_header, rows, n_rows);
}

/* Counts the checks of a rule, and how many of them failed. */
static int count(const bpn_document *d, const char *rule, int *failed)
{
    int n = 0;
    *failed = 0;
    for (guint i = 0; i < d->checks->len; i++) {
        const bpn_check *k = d->checks->pdata[i];
        if (strcmp(k->rule, rule) == 0) {
            n++;
            *failed += !k->ok;
        }
    }
    return n;
}

static const bpn_check *first_failed(const bpn_document *d)
{
    for (guint i = 0; i < d->checks->len; i++)
        if (!((bpn_check *)d->checks->pdata[i])->ok)
            return d->checks->pdata[i];
    return NULL;
}

static const char *code_header[][W] = {{"科目编码", "科目名称", "合计", "基本支出", "项目支出"}};

static void test_codes(check_counts *c, gboolean broken)
{
    const char *rows[][W] = {
        {"", "合计", "30.00", "20.00", "10.00"},
        {"201", "一般公共服务支出", "30.00", "20.00", "10.00"},
        {"20101", "人大事务", "30.00", "20.00", "10.00"},
        {"2010101", "行政运行", "20.00", "20.00", ""},
        {"2010102", "一般行政管理事务", broken ? "12.00" : "10.00", "", "10.00"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(5, "一般公共预算支出表", 5, code_header, 1, rows, 5));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 6); /* 201 and 20101, three amount columns each */
    CHECK(c, failed == (broken ? 1 : 0)); /* 20101 合计: 30.00 ≠ 20.00 + 12.00 */
    n = count(d, "total_row", &failed);
    CHECK(c, n == 3 && failed == 0);
    n = count(d, "column_sum", &failed);
    CHECK(c, n == 5);
    CHECK(c, failed == (broken ? 1 : 0)); /* 2010102: 12.00 ≠ 0 + 10.00 */
    if (broken) {
        const bpn_check *k = first_failed(d);
        CHECK(c, k && k->table == 5 && strcmp(k->rule, "children_sum") == 0);
        CHECK_STR(c, k ? k->row : NULL, "20101");
        CHECK(c, k && fabs(k->expected - 32.0) < 1e-9 && fabs(k->found - 30.0) < 1e-9);
        CHECK_STR(c, k ? k->column : NULL, "合计");
    }
    bpn_document_free(d);
}

/* Codes split over 类 | 款 | 项, a parent that does not add up. */
static void test_split_codes(check_counts *c)
{
    const char *header[][W] = {{"类", "款", "项", "科目名称", "金额"}};
    const char *rows[][W] = {
        {"210", "", "", "卫生健康支出", "9.00"},
        {"", "02", "", "公立医院", "9.00"},
        {"", "", "01", "综合医院", "5.00"},
        {"", "", "02", "中医医院", "3.00"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(3, "支出表", 5, header, 1, rows, 4));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 2);
    CHECK(c, failed == 1); /* 21002 = 9.00 but 2100201 + 2100202 = 8.00 */
    const bpn_check *k = first_failed(d);
    CHECK_STR(c, k ? k->row : NULL, "21002");
    bpn_document_free(d);
}

/* Nested header groups: 合计 = 三公小计 + 会议费; 小计 = 出国 + 用车小计 + 接待;
 * 用车小计 = 购置 + 运行.  Merged header text sits in its top-left cell. */
static void test_header_groups(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"合计", "“三公”经费", "", "", "", "", "", "会议费"},
        {"", "小计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费", ""},
        {"", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", ""},
    };
    const char *rows[][W] = {{"12.00", "9.00", "1.00", "6.00", "2.00", broken ? "3.00" : "4.00", "2.00", "3.00"}};
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(9, "“三公”经费支出预算表", 8, header, 3, rows, 1));
    bpn_checks_build(d);
    int failed, n = count(d, "column_sum", &failed);
    CHECK(c, n == 3);
    CHECK(c, failed == (broken ? 1 : 0)); /* only 用车小计 = 购置 + 运行 */
    const bpn_check *k = first_failed(d);
    if (broken)
        CHECK(c, k && k->found == 6.0 && k->expected == 5.0);
    bpn_document_free(d);
}

/* 收支总表: enumerated items, the 小计 and 合计 rows; balance; cross-table. */
static void test_summary_tables(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"收入", "", "支出", ""}, {"项目", "金额", "项目", "金额"}};
    const char *rows[][W] = {
        {"一、一般公共预算", "100.00", "一、一般公共服务支出", "60.00"},
        {"二、政府性基金预算", "", "二、卫生健康支出", "50.00"},
        {"本年收入合计", "100.00", "本年支出合计", "110.00"},
        {"上年结转", "10.00", "年终结转", ""},
        {"收入总计", "110.00", "支出总计", broken ? "111.00" : "110.00"},
    };
    const char *spend_header[][W] = {{"合计", "基本支出", "项目支出"}};
    const char *spend_rows[][W] = {{"110.00", "70.00", "40.00"}};
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(1, "2025年预算收支总表", 4, header, 2, rows, 5));
    g_ptr_array_add(d->tables, table(3, "2025年预算支出总表", 3, spend_header, 1, spend_rows, 1));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    CHECK(c, n == 4); /* two 小计 (income, spending), two 合计 = 小计 + 结转 */
    CHECK(c, failed == (broken ? 1 : 0));
    n = count(d, "balance", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    /* the 支出总表 lists this year's spending: it is the 收支总表's 本年支出合计
     * (110), which the broken 支出总计 leaves alone */
    n = count(d, "cross_table", &failed);
    CHECK(c, n == 1 && failed == 0);
    n = count(d, "column_sum", &failed);
    CHECK(c, n == 1 && failed == 0);
    /* a 支出总表 that does not add up to it fails */
    bpn_table *spend = d->tables->pdata[1];
    ((bpn_row *)spend->rows->pdata[0])->cells[0].number = 111.0;
    g_ptr_array_set_size(d->checks, 0);
    bpn_checks_build(d);
    n = count(d, "cross_table", &failed);
    CHECK(c, n == 1 && failed == 1);
    bpn_document_free(d);
}

/* An indented list with one amount column (政府采购预算表). */
static void test_indented(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"品目", "项目", "物品", "总计"}};
    const char *rows[][W] = {
        {"合计", "", "", "30.00"},
        {"一、货物A", "", "", "20.00"},
        {"", "办公设备购置", "", "20.00"},
        {"", "", "台式计算机", "15.00"},
        {"", "", "打印机", broken ? "6.00" : "5.00"},
        {"三、服务C", "", "", "10.00"},
        {"", "会议费", "", "10.00"},
        {"", "", "会议服务", "10.00"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(12, "政府采购预算表", 4, header, 1, rows, 8));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 4);
    CHECK(c, failed == (broken ? 1 : 0));
    n = count(d, "total_row", &failed);
    CHECK(c, n == 1 && failed == 0);
    bpn_document_free(d);
}

/* Rounding: 10.01 printed for 5.00 + 5.00 holds within 2 × 0.005, with
 * rounding set and the tolerance named; 10.02 fails; amounts printed to
 * one decimal allow 2 × 0.05.  The check names its table by position. */
static void test_tolerance(check_counts *c)
{
    const char *rows[][W] = {
        {"201", "一般公共服务支出", "10.01", "", ""},
        {"20101", "人大事务", "5.00", "", ""},
        {"20102", "政协事务", "5.00", "", ""},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(5, "收入表", 5, code_header, 1, rows, 1));
    g_ptr_array_add(d->tables, table(5, "支出表", 5, code_header, 1, rows, 3));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 1 && failed == 0);
    const bpn_check *k = d->checks->len ? d->checks->pdata[0] : NULL;
    CHECK(c, k && k->table == 5 && k->table_index == 1);
    CHECK(c, k && k->rounding && fabs(k->tolerance - 0.01) < 1e-12);
    bpn_table *t = d->tables->pdata[1];
    ((bpn_row *)t->rows->pdata[0])->cells[2].number = 10.02;
    g_ptr_array_set_size(d->checks, 0);
    bpn_checks_build(d);
    n = count(d, "children_sum", &failed);
    CHECK(c, n == 1 && failed == 1);
    k = d->checks->len ? d->checks->pdata[0] : NULL;
    CHECK(c, k && !k->rounding);
    /* printed to one decimal: 10.1 for 5.0 + 5.0 is within 2 × 0.05 */
    g_free(((bpn_row *)t->rows->pdata[0])->cells[2].text);
    ((bpn_row *)t->rows->pdata[0])->cells[2].text = g_strdup("10.1");
    ((bpn_row *)t->rows->pdata[0])->cells[2].number = 10.1;
    for (int r = 1; r <= 2; r++) {
        g_free(((bpn_row *)t->rows->pdata[r])->cells[2].text);
        ((bpn_row *)t->rows->pdata[r])->cells[2].text = g_strdup("5.0");
    }
    g_ptr_array_set_size(d->checks, 0);
    bpn_checks_build(d);
    n = count(d, "children_sum", &failed);
    k = d->checks->len ? d->checks->pdata[0] : NULL;
    CHECK(c, n == 1 && failed == 0 && k && k->rounding && fabs(k->tolerance - 0.1) < 1e-12);
    /* an exact sum holds without rounding */
    ((bpn_row *)t->rows->pdata[0])->cells[2].number = 10.0;
    g_ptr_array_set_size(d->checks, 0);
    bpn_checks_build(d);
    k = d->checks->len ? d->checks->pdata[0] : NULL;
    CHECK(c, k && k->ok && !k->rounding);
    bpn_document_free(d);
}

/* A code printed on several rows (经济分类 301 under 501 and again under
 * 505): each row is the sum of the rows under it, not of every 301xx. */
static void test_repeated_codes(check_counts *c, gboolean broken)
{
    const char *rows[][W] = {
        {"301", "工资福利支出", "8.00", "", ""},
        {"30101", "基本工资", "5.00", "", ""},
        {"30102", "津贴补贴", "3.00", "", ""},
        {"301", "工资福利支出", "4.00", "", ""},
        {"30101", "基本工资", broken ? "2.50" : "4.00", "", ""},
        {"302", "商品和服务支出", "1.00", "", ""},
        {"30201", "办公费", "1.00", "", ""},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(6, "基本支出表", 5, code_header, 1, rows, 7));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 3);
    CHECK(c, failed == (broken ? 1 : 0));
    if (broken) {
        const bpn_check *k = first_failed(d);
        CHECK(c, k && k->expected == 2.5 && k->found == 4.0 && k->cells->len == 4);
    }
    bpn_document_free(d);
}

/* 三公 as a list in one column: 合计 = 1、+2、+3、, and 3、 = its （1）（2）
 * under 其中; a table of 项 codes only: 合计 = every coded row. */
static void test_enumerated_and_leaf_codes(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"项目", "预算数"}};
    const char *rows[][W] = {
        {"合计", "84.10"},
        {"1、因公出国（境）费用", "70.00"},
        {"2、公务接待费", "6.10"},
        {"3、公务用车购置及运行费", "8.00"},
        {"其中：（1）公务用车购置费", broken ? "1.00" : ""},
        {"（2）公务用车运行费", "8.00"},
    };
    const char *leaf[][W] = {
        {"合计", "", "12.00", "", ""},
        {"2040201", "行政运行", "7.00", "", ""},
        {"2080501", "行政单位离退休", "5.00", "", ""},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(10, "“三公”经费支出预算表", 2, header, 1, rows, 6));
    g_ptr_array_add(d->tables, table(5, "一般公共预算拨款支出预算表", 5, code_header, 1, leaf, 3));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    CHECK(c, n == 2 && failed == 0); /* 三公 合计 (not counting the sub-items), 合计 of the 项 rows */
    n = count(d, "children_sum", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0)); /* 3、 = （1） + （2） */
    bpn_document_free(d);
}

/* 决算 总表s with 行次 columns (国家信访局 2024 决算 公开01/公开04, cut
 * down): 本年收入合计 = the items; 总计 = 本年收入合计 + 年初结转和结余,
 * whose fund rows (一般公共预算财政拨款 …) are its children, not more parts;
 * the spending side likewise, per fund column; 总计 = 总计. */
static void test_final_accounts_summary(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"收入", "", "", "支出", "", "", "", ""},
        {"项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"},
    };
    const char *rows[][W] = {
        {"一、一般公共预算财政拨款", "1", "19572.91", "一、一般公共服务支出", "33", "9846.82", "9846.82", ""},
        {"二、政府性基金预算财政拨款", "2", "", "五、教育支出", "37", "3886.98", "3886.98", ""},
        {"本年收入合计", "27", "19572.91", "本年支出合计", "59", "13733.80", "13733.80", ""},
        {"年初财政拨款结转和结余", "28", "1154.62", "年末财政拨款结转和结余", "60", "6993.74", "6993.74", ""},
        {"一般公共预算财政拨款", "29", broken ? "1154.72" : "1154.62", "", "61", "", "", ""},
        {"政府性基金预算财政拨款", "30", "", "", "62", "", "", ""},
        {"总计", "32", "20727.53", "总计", "64", "20727.53", "20727.53", ""},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(4, "财政拨款收入支出决算总表", 8, header, 2, rows, 7));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    /* income: 本年收入合计, 总计; spending: 本年支出合计, 总计 in 合计 and
     * 一般公共预算财政拨款 */
    CHECK(c, n == 6 && failed == 0);
    n = count(d, "children_sum", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0)); /* 年初 = its fund rows */
    n = count(d, "balance", &failed);
    CHECK(c, n == 1 && failed == 0);
    const bpn_check *k = NULL;
    for (guint i = 0; i < d->checks->len && !k; i++)
        if (strcmp(((bpn_check *)d->checks->pdata[i])->rule, "total_row") == 0)
            k = d->checks->pdata[i];
    CHECK_STR(c, k ? k->row : NULL, "本年收入合计"); /* the label, not the 行次 */
    bpn_document_free(d);
}

/* 一般公共预算财政拨款基本支出决算表 (公开06, cut down): 人员经费 | 公用经费
 * as three code | name | amount blocks; each block's codes add up within
 * it; 公用经费合计, printed under the third block, sums the second and
 * third blocks' top-level codes. */
static void test_side_by_side_blocks(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"人员经费", "", "", "公用经费", "", "", "", "", ""},
        {"科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数"},
    };
    const char *rows[][W] = {
        {"301", "工资福利支出", "4461.00", "302", "商品和服务支出", "100.82", "307", "债务利息及费用支出", ""},
        {"30101", "基本工资", "1857.40", "30201", "办公费", "83.92", "30701", "国内债务付息", ""},
        {"30102", "津贴补贴", "2603.60", "30202", "印刷费", "16.90", "310", "资本性支出", "27.24"},
        {"303", "对个人和家庭的补助", "537.43", "", "", "", "31002", "办公设备购置", "24.67"},
        {"30301", "离休费", "537.43", "", "", "", "31099", "其他资本性支出", broken ? "2.68" : "2.57"},
        {"人员经费合计", "", "4998.43", "公用经费合计", "", "", "", "", "128.06"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(6, "一般公共预算财政拨款基本支出决算表", 9, header, 2, rows, 6));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 4); /* 301, 303, 302, 310 */
    CHECK(c, failed == (broken ? 1 : 0));
    n = count(d, "total_row", &failed);
    CHECK(c, n == 2 && failed == 0); /* 人员经费合计 = 301 + 303; 公用经费合计 = 302 + 307 + 310 */
    for (guint i = 0; i < d->checks->len; i++) {
        const bpn_check *k = d->checks->pdata[i];
        if (strcmp(k->rule, "total_row") == 0 && k->row && strcmp(k->row, "公用经费合计") == 0)
            CHECK(c, k->cells->len == 2 * 4 && fabs(k->expected - 128.06) < 1e-9);
    }
    bpn_document_free(d);
}

/* A 决算 fund table (政府性基金预算财政拨款收入支出决算表): per row, 年初结转
 * 和结余 + 本年收入 - 本年支出 (its 小计) = 年末结转和结余. */
static void test_carry_over(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"},
        {"功能分类科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""},
        {"栏次", "", "1", "2", "3", "4", "5", "6"},
    };
    const char *rows[][W] = {
        {"合计", "", "10.00", "50.00", "45.00", "", "45.00", broken ? "16.00" : "15.00"},
        {"229", "其他支出", "10.00", "50.00", "45.00", "", "45.00", "15.00"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(7, "政府性基金预算财政拨款收入支出决算表", 8, header, 3, rows, 2));
    bpn_checks_build(d);
    int failed, n = count(d, "carry_over", &failed);
    CHECK(c, n == 2 && failed == (broken ? 1 : 0));
    const bpn_check *k = first_failed(d);
    if (broken)
        CHECK(c, k && strcmp(k->rule, "carry_over") == 0 && fabs(k->expected - 15.0) < 1e-9 && k->found == 16.0);
    bpn_document_free(d);
}

/* A 决算's tables print the same totals: 收入决算表 合计 = 总表 本年收入合计
 * (not its 总计: the 收入决算表 has no carry-over column);
 * 一般公共预算财政拨款支出决算表 基本支出 = 人员经费合计 + 公用经费合计. */
static void test_same_figures(check_counts *c, gboolean broken)
{
    const char *sum_header[][W] = {{"收入", "", "", "支出", "", ""}, {"项目", "行次", "金额", "项目", "行次", "金额"}};
    const char *sum_rows[][W] = {
        {"一、一般公共预算财政拨款收入", "1", "19572.91", "一、一般公共服务支出", "32", "14572.53"},
        {"八、其他收入", "8", "878.44", "", "", ""},
        {"本年收入合计", "27", "20451.35", "本年支出合计", "58", "14572.53"},
        {"年初结转和结余", "29", "", "年末结转和结余", "60", "5878.82"},
        {"总计", "31", "20451.35", "总计", "62", "20451.35"},
    };
    const char *in_header[][W] = {{"项目", "", "本年收入合计", "财政拨款收入", "其他收入"}, {"科目代码", "科目名称", "", "", ""}};
    const char *in_rows[][W] = {
        {"合计", "", broken ? "20451.45" : "20451.35", "19572.91", "878.44"},
        {"201", "一般公共服务支出", broken ? "20451.45" : "20451.35", "19572.91", "878.44"},
    };
    const char *gp_header[][W] = {{"项目", "", "本年支出", "", ""}, {"科目代码", "科目名称", "小计", "基本支出", "项目支出"}};
    const char *gp_rows[][W] = {{"合计", "", "13733.80", "10234.37", "3499.43"}};
    const char *basic_header[][W] = {{"人员经费", "", "", "公用经费", "", ""},
                                     {"科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数"}};
    const char *basic_rows[][W] = {
        {"301", "工资福利支出", "7967.72", "302", "商品和服务支出", "2266.65"},
        {"30101", "基本工资", "7967.72", "30201", "办公费", "2266.65"},
        {"人员经费合计", "", "7967.72", "公用经费合计", "", "2266.65"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(1, "收入支出决算总表", 6, sum_header, 2, sum_rows, 5));
    g_ptr_array_add(d->tables, table(2, "收入决算表", 5, in_header, 2, in_rows, 2));
    g_ptr_array_add(d->tables, table(5, "一般公共预算财政拨款支出决算表", 5, gp_header, 2, gp_rows, 1));
    g_ptr_array_add(d->tables, table(6, "一般公共预算财政拨款基本支出决算表", 6, basic_header, 2, basic_rows, 3));
    bpn_checks_build(d);
    int failed, n = count(d, "cross_table", &failed);
    CHECK(c, n == 2 && failed == (broken ? 1 : 0));
    const bpn_check *k = NULL;
    for (guint i = 0; i < d->checks->len && !k; i++) {
        const bpn_check *x = d->checks->pdata[i];
        if (strcmp(x->rule, "cross_table") == 0 && !x->ok)
            k = x;
    }
    if (broken)
        CHECK(c, k && k->table_index == 1 && fabs(k->expected - 20451.35) < 1e-9 && fabs(k->found - 20451.45) < 1e-9);
    bpn_document_free(d);
}

/* Sub-items of a 收支总表's item: （一）（二） (国家信访局 2026 财政拨款收支
 * 总表) or fund rows without an enumerator (烟台: 一、财政拨款收入 over
 * 一般公共预算收入 / 政府性基金预算收入). */
static void test_sub_items(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"收入", "", "支出", ""}, {"项目", "预算数", "项目", "预算数"}};
    const char *rows[][W] = {
        {"一、本年收入", "16.00", "一、本年支出", "18.00"},
        {"（一）一般公共预算拨款", "10.00", "（一）一般公共服务支出", broken ? "15.00" : "16.00"},
        {"（二）政府性基金预算拨款", "6.00", "（二）教育支出", "2.00"},
        {"二、上年结转", "2.00", "", ""},
        {"一般公共预算收入", "2.00", "", ""},
        {"政府性基金预算收入", "", "", ""},
        {"收入总计", "18.00", "支出总计", "18.00"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(4, "财政拨款收支总表", 4, header, 2, rows, 7));
    bpn_checks_build(d);
    int failed, n = count(d, "children_sum", &failed);
    CHECK(c, n == 3 && failed == (broken ? 1 : 0)); /* 一、本年收入, 一、本年支出, 二、上年结转 */
    bpn_document_free(d);
}

/* A score table (综合评价得分情况表): the 分值 column's 100 on the 合计 row is
 * no classification code, so 合计 = Σ 得分 is tested on the four rows, never
 * as the 合计 row "summing" itself (a check that cannot fail). */
static void test_score_table(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"一级指标", "分值", "得分", "得分率"}};
    const char *rows[][W] = {
        {"决策", "20", "17.90", "89.50%"},
        {"过程", "20", "17.99", "89.95%"},
        {"产出", "30", "25.30", "84.33%"},
        {"效益", "30", broken ? "24.10" : "24.00", "80.00%"},
        {"合计", "100", "85.19", "85.19%"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(2, "综合评价得分情况表", 4, header, 1, rows, 5));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    const bpn_check *k = d->checks->len ? d->checks->pdata[0] : NULL;
    CHECK(c, k && k->cells->len == 2 * 5);
    bpn_document_free(d);
}

/* 北京 预算05表: 项目支出 over 项目支出总数 | 扣除基建项目后预算数; the second
 * is part of the first, not an addend: 合计 = 基本支出小计 + 项目支出总数. */
static void test_subset_column(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"科目编码", "科目名称", "合计", "基本支出", "", "", "项目支出", ""},
        {"", "", "", "小计", "人员经费", "公用经费", "项目支出总数", "扣除基建项目后预算数"},
    };
    const char *rows[][W] = {
        {"2070102", "一般行政管理事务", broken ? "2413.799679" : "2413.699679", "", "", "", "2413.699679", "2000.000000"},
        {"2070101", "行政运行", "8668.688754", "8668.688754", "7419.385100", "1249.303654", "", ""},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(5, "预算05表一般公共预算支出表", 8, header, 2, rows, 2));
    bpn_checks_build(d);
    int failed, n = count(d, "column_sum", &failed);
    /* 合计 = 小计 + 项目支出总数 on both rows; 小计 = 人员 + 公用 on the
     * second (the first prints no 基本支出) */
    CHECK(c, n == 3 && failed == (broken ? 1 : 0));
    bpn_document_free(d);
}

/* A 其中 group ("of which") beside the addends of a 合计 is part of them, not
 * one more addend (北京 预算03表: 合计 | 基本支出 | 项目支出 | 其中: 事业单位经营
 * 支出 …); a 其中 group that is the only sibling of its 小计 is its break-down
 * (福州: 小计 | 其中: 基本支出 | 项目支出). */
static void test_of_which_group(check_counts *c, gboolean broken)
{
    const char *beside[][W] = {
        {"支出功能分类科目", "合计", "基本支出", "项目支出", "其中", "", ""},
        {"", "", "", "", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"},
    };
    const char *beside_rows[][W] = {
        {"2050199-其他教育管理事务支出", "964.665061", "318.255901", broken ? "646.509160" : "646.409160",
         "636.259160", "", ""},
    };
    const char *alone[][W] = {
        {"科目编码", "科目名称", "小计", "其中：", ""},
        {"", "", "", "基本支出", "项目支出"},
    };
    const char *alone_rows[][W] = {
        {"2040201", "行政运行", "6556.70", "6556.70", ""},
        {"2040299", "其他公安支出", "1051.46", "", broken ? "1052.46" : "1051.46"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(3, "预算03表支出总表", 7, beside, 2, beside_rows, 1));
    bpn_checks_build(d);
    int failed, n = count(d, "column_sum", &failed);
    /* 合计 = 基本支出 + 项目支出: 964.665061 (the 其中 636.259160 left out) */
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    const bpn_check *k = d->checks->len ? d->checks->pdata[0] : NULL;
    CHECK(c, k && fabs(k->expected - (broken ? 964.765061 : 964.665061)) < 1e-9 && k->cells->len == 6);
    bpn_document_free(d);
    d = bpn_document_new();
    g_ptr_array_add(d->tables, table(5, "一般公共预算拨款支出预算表", 5, alone, 2, alone_rows, 2));
    bpn_checks_build(d);
    n = count(d, "column_sum", &failed);
    /* 小计 = 基本支出 + 项目支出 on both rows */
    CHECK(c, n == 2 && failed == (broken ? 1 : 0));
    bpn_document_free(d);
}

/* 北京 预算03表: each label opens with its code ("2050101-行政运行"), one row
 * per function × economic class: the 合计 row is the sum of every row.  A
 * column of names that only sometimes open with a number ("100所学校…")
 * holds no codes. */
static void test_code_prefixed_labels(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"支出功能分类科目", "部门支出经济分类科目", "合计", "基本支出", "项目支出"}};
    const char *rows[][W] = {
        {"2050101-行政运行", "30101-基本工资", "1357.118400", "1357.118400", ""},
        {"2050101-行政运行", "30102-津贴补贴", "2741.691860", "2741.691860", ""},
        {"2050102-一般行政管理事务", "30299-其他商品和服务支出", "402.146400", "", "402.146400"},
        {"合计", "", broken ? "4500.956660" : "4500.956660", "4098.810260", broken ? "412.146400" : "402.146400"},
    };
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(3, "预算03表支出总表", 5, header, 1, rows, 4));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    CHECK(c, n == 3 && failed == (broken ? 1 : 0));
    bpn_document_free(d);

    const char *names_header[][W] = {{"项目名称", "金额"}};
    const char *names[][W] = {
        {"100所学校改造", "10.00"},
        {"教师培训", "5.00"},
        {"教材采购", "2.00"},
        {"合计", "17.00"},
    };
    d = bpn_document_new();
    g_ptr_array_add(d->tables, table(7, "项目支出表", 2, names_header, 1, names, 4));
    bpn_checks_build(d);
    /* the 合计 is the sum of all three projects (indented_sums), not of
     * the one row whose name opens with "100" */
    n = count(d, "total_row", &failed);
    CHECK(c, n == 1 && failed == 0);
    bpn_document_free(d);
}

/* 北京 预算09表: the first column, headed …预算总额, is the sum of the 三公
 * columns beside it (公务用车 by its 小计). */
static void test_total_amount_header(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"“三公”经费财政拨款预算总额", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "", ""},
        {"", "", "", "小计", "公务用车购置费", "公务用车运行维护费"},
    };
    const char *rows[][W] = {{"231.434069", "218.569452", broken ? "12.964617" : "12.864617", "", "", ""}};
    bpn_document *d = bpn_document_new();
    g_ptr_array_add(d->tables, table(9, "预算09表财政拨款“三公”经费支出表", 6, header, 2, rows, 1));
    bpn_checks_build(d);
    int failed, n = count(d, "column_sum", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    bpn_document_free(d);
}

/* ---- headline figures (summary.c) ---- */

/* A document whose narrative is the given sections (heading, text). */
static bpn_document *prose_doc(const char *sections[][2], int n)
{
    bpn_document *d = bpn_document_new();
    for (int i = 0; i < n; i++) {
        bpn_section *s = g_new0(bpn_section, 1);
        s->heading = g_strdup(sections[i][0]);
        s->text = g_strdup(sections[i][1]);
        g_ptr_array_add(d->sections, s);
    }
    return d;
}

static int summary_warnings(const bpn_document *d, const char *figure)
{
    int n = 0;
    for (guint i = 0; i < d->warnings->len; i++) {
        const bpn_warning *w = d->warnings->pdata[i];
        n += g_str_has_prefix(w->message, "summary ") && strstr(w->message, figure) != NULL;
    }
    return n;
}

/* Figures stated only in prose, in the phrasings of a 情况说明 (北京) and of
 * a 部门预算's 收支预算情况 (福建): the totals, not a source's or a part's
 * (一般公共预算拨款收入, 本年支出合计, 基本支出's share). */
static void test_summary_prose(check_counts *c)
{
    const char *beijing[][2] = {
        {"二、收入预算情况说明", "2026年度收入预算134,133.33万元，比2025年年初预算数125462.47万元增加8670.86万元，"
                                 "增长6.91%。"},
        {"（一）本年财政拨款收入112859.65万元", "1.一般公共预算拨款收入112859.65万元。"},
        {"三、支出预算情况说明", "2026年支出预算134133.33 万元，比2025年年初预算数125462.47万元增加8670.86万元。"
                                 "（一）基本支出。基本支出预算70692.09万元，占本年支出预算53.59%。（二）项目支出。"
                                 "项目支出预算63441.24万元，占本年支出预算46.41%。"},
        {"四、财政拨款“三公”经费预算情况说明", "2026年财政拨款“三公”经费预算222.68万元，比2025 年财政拨款"
                                                "“三公”经费年初预算增加1.33万元，增长0.6%。"},
    };
    bpn_document *d = prose_doc(beijing, 4);
    bpn_summary_build(d);
    CHECK(c, d->income_total.set && fabs(d->income_total.value - 134133.33) < 1e-6);
    CHECK(c, d->expenditure_total.set && fabs(d->expenditure_total.value - 134133.33) < 1e-6);
    CHECK(c, d->basic_expenditure.set && fabs(d->basic_expenditure.value - 70692.09) < 1e-6);
    CHECK(c, d->project_expenditure.set && fabs(d->project_expenditure.value - 63441.24) < 1e-6);
    CHECK(c, d->three_public_total.set && fabs(d->three_public_total.value - 222.68) < 1e-6);
    CHECK(c, d->warnings->len == 0);
    bpn_document_free(d);

    const char *fujian[][2] = {
        {"一、收支预算情况", "2026年,泉州市某局部门收入预算为15184.81 万元，比上年增加4385.72万元。其中：一般公共预算"
                             "拨款收入10984.81万元、其他收入4200.00万元。相应安排支出预算15184.81万元，其中：基本"
                             "支出5915.38万元、项目支出9269.43万元、事业单位经营支出0.00万元。"},
        {"二、“三公”经费", "2026年通过一般公共预算财政拨款安排的“三公”经费预算共17万元，比上年减少5万元。"},
    };
    d = prose_doc(fujian, 2);
    bpn_summary_build(d);
    CHECK(c, d->income_total.set && fabs(d->income_total.value - 15184.81) < 1e-6);
    CHECK(c, d->expenditure_total.set && fabs(d->expenditure_total.value - 15184.81) < 1e-6);
    CHECK(c, d->basic_expenditure.set && fabs(d->basic_expenditure.value - 5915.38) < 1e-6);
    CHECK(c, d->project_expenditure.set && fabs(d->project_expenditure.value - 9269.43) < 1e-6);
    CHECK(c, d->three_public_total.set && fabs(d->three_public_total.value - 17) < 1e-6);
    bpn_document_free(d);

    /* a 决算's 本年支出合计 and a source's 收入 are not the totals */
    const char *parts[][2] = {
        {"三、支出决算情况说明", "本年支出合计14572.53万元，其中：一般公共服务支出10685.56万元。"},
        {"二、收入决算情况说明", "一般公共预算财政拨款收入19572.91万元。财政拨款收入支出总计20727.53万元。"},
    };
    d = prose_doc(parts, 2);
    bpn_summary_build(d);
    CHECK(c, !d->income_total.set && !d->expenditure_total.set);
    bpn_document_free(d);
}

/* The tables' figure wins; the prose agreeing to its two printed decimals
 * is no disagreement; one cent more is, and the warning names both. */
static void test_summary_disagree(check_counts *c, gboolean broken)
{
    const char *header[][W] = {{"收入", "", "支出", ""}, {"项目", "预算数", "项目", "预算数"}};
    const char *rows[][W] = {
        {"一、一般公共预算拨款收入", "134133.328271", "一、一般公共服务支出", "134133.328271"},
        {"收入总计", "134133.328271", "支出总计", "134133.328271"},
    };
    const char *prose[][2] = {
        {"二、收入预算情况说明", broken ? "2026年度收入预算134133.34万元。" : "2026年度收入预算134133.33万元。"},
    };
    bpn_document *d = prose_doc(prose, 1);
    g_ptr_array_add(d->tables, table(1, "预算01表收支总表", 4, header, 2, rows, 2));
    bpn_summary_build(d);
    CHECK(c, d->income_total.set && fabs(d->income_total.value - 134133.328271) < 1e-9);
    CHECK(c, summary_warnings(d, "income_total") == (broken ? 1 : 0));
    if (broken) {
        const bpn_warning *w = d->warnings->len ? d->warnings->pdata[0] : NULL;
        CHECK(c, w && strstr(w->message, "134133.34") && strstr(w->message, "134133.328271") &&
                     strstr(w->message, "收支总表") && strstr(w->message, "收入预算情况说明"));
    }
    bpn_document_free(d);
}

/* A document that says it leaves items out for secrecy: its clause kept as
 * printed (a long lead before it cut at the last break), and a failing
 * check whose parts fall short of the total marked may_be_withheld; one
 * whose parts exceed it, a check that holds, and a document that only
 * mentions secrecy (保密管理) are not. */
static void test_withheld(check_counts *c)
{
    const char *header[][W] = {{"类", "款", "项", "科目名称", "金额"}};
    const char *short_rows[][W] = {
        {"210", "", "", "卫生健康支出", "9.00"},
        {"", "02", "", "公立医院", "9.00"},
        {"", "", "01", "综合医院", "5.00"},
        {"", "", "02", "中医医院", "3.00"},
    };
    const char *over_rows[][W] = {
        {"210", "", "", "卫生健康支出", "9.00"},
        {"", "02", "", "公立医院", "9.00"},
        {"", "", "01", "综合医院", "5.00"},
        {"", "", "02", "中医医院", "5.00"},
    };
    const char *says[][2] = {
        {"四、其他说明", "本部门2026年度预算收支情况、机关运行经费、政府采购和国有资产占用情况、项目支出绩效目标，"
                         "根据国家保密法律法规和有关保密事项范围的规定，部分涉密事项在预算公开时予以剔除。以上为说明。"},
    };
    const char *mentions[][2] = {{"四、其他说明", "加强保密管理，做好信息公开工作。"}};
    for (int v = 0; v < 4; v++) {
        gboolean statement = v != 3, over = v == 1, mention_only = v == 2;
        bpn_document *d = prose_doc(mention_only ? mentions : says, 1);
        if (v == 3) { /* no words at all */
            g_ptr_array_set_size(d->sections, 0);
        }
        g_ptr_array_add(d->tables, table(3, "支出表", 5, header, 1, over ? over_rows : short_rows, 4));
        bpn_withheld_read(d);
        bpn_checks_build(d);
        if (statement && !mention_only)
            CHECK_STR(c, d->withheld_statement, "根据国家保密法律法规和有关保密事项范围的规定，部分涉密事项在预算公开时予以剔除。");
        else
            CHECK(c, d->withheld_statement == NULL);
        int marked = 0, failed = 0, held_marked = 0;
        for (guint i = 0; i < d->checks->len; i++) {
            const bpn_check *k = d->checks->pdata[i];
            failed += !k->ok;
            marked += bpn_check_may_be_withheld(d, k);
            held_marked += k->ok && bpn_check_may_be_withheld(d, k);
        }
        CHECK(c, failed == 1);
        CHECK(c, held_marked == 0);
        CHECK(c, marked == (v == 0 ? 1 : 0));
        bpn_document_free(d);
    }
}

/* Figures stated in other units than 万元: prose in 亿元 and in 元 brought
 * to 万元; a table printed in 千元 compared with prose in 亿元 within the
 * prose's own precision (1.34亿元 is 13,400万元 give or take 50), and one
 * hundredth of an 亿元 more is a disagreement. */
static void test_summary_units(check_counts *c, gboolean broken)
{
    const char *prose[][2] = {
        {"二、收入预算情况说明", broken ? "2026年度收入预算1.35亿元。" : "2026年度收入预算1.34亿元。"},
        {"三、支出预算情况说明", "基本支出预算706,920,900.00元，项目支出预算为0.6344亿元。"},
    };
    const char *header[][W] = {{"收入", "", "支出", ""}, {"项目", "预算数", "项目", "预算数"}};
    const char *rows[][W] = {
        {"一、一般公共预算拨款收入", "134133.33", "一、一般公共服务支出", "134133.33"},
        {"收入总计", "134133.33", "支出总计", "134133.33"},
    };
    bpn_document *d = prose_doc(prose, 2);
    g_ptr_array_add(d->tables, tb_table(1, "预算01表收支总表", "千元", 4, header, 2, rows, 2));
    bpn_summary_build(d);
    CHECK(c, d->income_total.set && fabs(d->income_total.value - 13413.333) < 1e-6);      /* the table's, in 万元 */
    CHECK(c, d->expenditure_total.set && fabs(d->expenditure_total.value - 13413.333) < 1e-6);
    CHECK(c, d->basic_expenditure.set && fabs(d->basic_expenditure.value - 70692.09) < 1e-6); /* 元 in prose */
    CHECK(c, d->project_expenditure.set && fabs(d->project_expenditure.value - 6344) < 1e-6); /* 亿元 in prose */
    CHECK(c, summary_warnings(d, "income_total") == (broken ? 1 : 0));
    bpn_document_free(d);
}

/* A 决算 总表: 行次 columns, 总计 printed on both sides (balance tested,
 * held or not); a 三公 table with 预算数 | 决算数 reports the 决算数; one with
 * 2025年 | 2026年 columns the latest year's. */
static void test_summary_final_accounts(check_counts *c, gboolean broken)
{
    const char *header[][W] = {
        {"收入", "", "", "支出", "", ""}, {"项目", "行次", "金额", "项目", "行次", "金额"}, {"栏次", "", "1", "栏次", "", "2"}};
    const char *rows[][W] = {
        {"一、一般公共预算财政拨款收入", "1", "19572.91", "一、一般公共服务支出", "32", "10685.56"},
        {"八、其他收入", "8", "878.44", "五、教育支出", "36", "3886.97"},
        {"本年收入合计", "27", "20451.35", "本年支出合计", "58", "14572.53"},
        {"年初结转和结余", "29", "1615.24", "年末结转和结余", "60", "7494.06"},
        {"总计", "31", "22066.59", "总计", "62", broken ? "22066.69" : "22066.59"},
    };
    const char *tp_header[][W] = {
        {"预算数", "", "", "决算数", "", ""},
        {"合计", "因公出国（境）费", "公务接待费", "合计", "因公出国（境）费", "公务接待费"},
    };
    const char *tp_rows[][W] = {{"76.43", "70.63", "5.80", "46.21", "45.31", "0.90"}};
    bpn_document *d = prose_doc(NULL, 0);
    g_ptr_array_add(d->tables, table(1, "收入支出决算总表", 6, header, 3, rows, 5));
    g_ptr_array_add(d->tables, table(9, "一般公共预算财政拨款“三公”经费支出决算表", 6, tp_header, 2, tp_rows, 1));
    bpn_summary_build(d);
    bpn_checks_build(d);
    CHECK(c, d->income_total.set && fabs(d->income_total.value - 22066.59) < 1e-9);
    CHECK(c, d->expenditure_total.set && fabs(d->expenditure_total.value - (broken ? 22066.69 : 22066.59)) < 1e-9);
    CHECK(c, d->three_public_total.set && fabs(d->three_public_total.value - 46.21) < 1e-9);
    int failed, n = count(d, "balance", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    bpn_document_free(d);

    const char *yr_header[][W] = {
        {"2025年预算数", "", "", "2026年预算数", "", ""},
        {"合计", "因公出国（境）经费", "公务接待费", "合计", "因公出国（境）经费", "公务接待费"},
    };
    const char *yr_rows[][W] = {{"22.00", "20.00", "2.00", "17.00", "15.00", "2.00"}};
    d = prose_doc(NULL, 0);
    g_ptr_array_add(d->tables, table(7, "一般公共预算“三公”经费支出情况表", 6, yr_header, 2, yr_rows, 1));
    bpn_summary_build(d);
    CHECK(c, d->three_public_total.set && fabs(d->three_public_total.value - 17.0) < 1e-9);
    bpn_document_free(d);
}

/* 北京 预算09表: the 三公 total is the column headed …预算总额; the 小计
 * under 公务用车购置及运行维护费 is not it (it was read so when the heading
 * over the first columns ran together). */
static void test_summary_three_public(check_counts *c)
{
    const char *header[][W] = {
        {"“三公”经费财政拨款预算总额", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "", ""},
        {"", "", "", "小计", "公务用车购置费", "公务用车运行维护费"},
    };
    const char *fused[][W] = {
        {"“三公”经费财政因公出国（境）费公务接待费拨款预算总额用", "", "", "公务用车购置及运行维护费", "", ""},
        {"", "", "", "小计", "公务用车购置费", "公务用车运行维护费"},
    };
    const char *rows[][W] = {{"80.109836", "51.300000", "7.249836", "21.560000", "12.530000", "9.030000"}};
    bpn_document *d = prose_doc(NULL, 0);
    g_ptr_array_add(d->tables, table(9, "预算09表财政拨款“三公”经费支出表", 6, header, 2, rows, 1));
    bpn_summary_build(d);
    CHECK(c, d->three_public_total.set && fabs(d->three_public_total.value - 80.109836) < 1e-9);
    bpn_document_free(d);
    d = prose_doc(NULL, 0);
    g_ptr_array_add(d->tables, table(9, "预算09表财政拨款“三公”经费支出表", 6, fused, 2, rows, 1));
    bpn_summary_build(d);
    CHECK(c, !d->three_public_total.set || fabs(d->three_public_total.value - 21.56) > 1e-6);
    bpn_document_free(d);
}

/* Prose read by OCR: separators misread ("10;150..48", "3.123.68"), 元
 * lost before the comma ("20849.45万，"), and a first match that is no
 * amount ("4,96.834") giving way to the next.  A text layer's prose is
 * read as printed: the same sentences give nothing there. */
static void test_summary_prose_ocr(check_counts *c)
{
    const char *prose[][2] = {
        {"一、收支预算总体情况说明", "某厅2017年度收入、支出预算总计20849.45万，与上年相比增加2043.58万元。"},
        {"二、支出预算情况说明", "基本支出预算数为9;964..07万元。项目支出预算数为4,96.834万元。"
                               "其中:基本支出9964.07万元;项目支出3.123.68万元，占34.15%。"},
        {"三、“三公”经费", "“三公”经费预算0万元，与上年持平。"},
    };
    for (int ocr = 0; ocr < 2; ocr++) {
        bpn_document *d = prose_doc(prose, 3);
        if (ocr) {
            int page = 1;
            if (!d->source.ocr_pages)
                d->source.ocr_pages = g_array_new(FALSE, FALSE, sizeof(int));
            g_array_append_val(d->source.ocr_pages, page);
        }
        bpn_summary_build(d);
        if (ocr) {
            CHECK(c, d->income_total.set && fabs(d->income_total.value - 20849.45) < 1e-6);
            CHECK(c, d->expenditure_total.set && fabs(d->expenditure_total.value - 20849.45) < 1e-6);
            CHECK(c, d->basic_expenditure.set && fabs(d->basic_expenditure.value - 9964.07) < 1e-6);
            CHECK(c, d->project_expenditure.set && fabs(d->project_expenditure.value - 3123.68) < 1e-6);
            CHECK(c, d->three_public_total.set && d->three_public_total.value == 0); /* one digit */
        } else {
            CHECK(c, !d->income_total.set && !d->expenditure_total.set);
            CHECK(c, d->basic_expenditure.set && fabs(d->basic_expenditure.value - 9964.07) < 1e-6);
            /* the text layer's first match is the figure: 4,96.834 as printed */
            CHECK(c, d->project_expenditure.set && fabs(d->project_expenditure.value - 496.834) < 1e-6);
        }
        bpn_document_free(d);
    }
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    test_codes(c, FALSE);
    test_summary_prose_ocr(c);
    test_codes(c, TRUE);
    test_split_codes(c);
    test_header_groups(c, FALSE);
    test_header_groups(c, TRUE);
    test_summary_tables(c, FALSE);
    test_summary_tables(c, TRUE);
    test_indented(c, FALSE);
    test_indented(c, TRUE);
    test_tolerance(c);
    test_repeated_codes(c, FALSE);
    test_repeated_codes(c, TRUE);
    test_withheld(c);
    test_summary_units(c, FALSE);
    test_summary_units(c, TRUE);
    test_enumerated_and_leaf_codes(c, FALSE);
    test_enumerated_and_leaf_codes(c, TRUE);
    test_final_accounts_summary(c, FALSE);
    test_final_accounts_summary(c, TRUE);
    test_side_by_side_blocks(c, FALSE);
    test_side_by_side_blocks(c, TRUE);
    test_carry_over(c, FALSE);
    test_carry_over(c, TRUE);
    test_same_figures(c, FALSE);
    test_same_figures(c, TRUE);
    test_sub_items(c, FALSE);
    test_sub_items(c, TRUE);
    test_score_table(c, FALSE);
    test_score_table(c, TRUE);
    test_subset_column(c, FALSE);
    test_subset_column(c, TRUE);
    test_of_which_group(c, FALSE);
    test_of_which_group(c, TRUE);
    test_code_prefixed_labels(c, FALSE);
    test_code_prefixed_labels(c, TRUE);
    test_total_amount_header(c, FALSE);
    test_total_amount_header(c, TRUE);
    test_summary_three_public(c);
    test_summary_prose(c);
    test_summary_disagree(c, FALSE);
    test_summary_disagree(c, TRUE);
    test_summary_final_accounts(c, FALSE);
    test_summary_final_accounts(c, TRUE);
    return check_summary("test_checks", c);
}
