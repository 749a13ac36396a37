/* test_checks.c — the arithmetic checks, rule by rule, on tables built by
 * hand; each rule also on a table whose sums fail. */
#include "normalize/internal.h"
#include "check.h"

#define W 9 /* widest table here */

/* A table from strings: "" is an empty cell, a string with a decimal point
 * that reads as an amount is a number. */
static bpn_table *table(int number, const char *title, int n_cols, const char *header[][W], int n_header,
                        const char *rows[][W], int n_rows)
{
    bpn_table *t = g_new0(bpn_table, 1);
    t->number = number;
    t->title = g_strdup(title);
    t->unit_of_measure = g_strdup("万元");
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
            for (int c = 0; c < n_cols; c++) {
                const char *s = pass ? rows[i][c] : header[i][c];
                if (!s || !*s)
                    continue;
                r->cells[c].text = g_strdup(s);
                double v;
                if (pass && strchr(s, '.') && bpn_parse_amount(s, &v)) {
                    r->cells[c].is_number = TRUE;
                    r->cells[c].number = v;
                }
            }
            g_ptr_array_add(pass ? t->rows : t->header_rows, r);
        }
    }
    return t;
}

static bpn_document *doc_new(void)
{
    bpn_document *d = g_new0(bpn_document, 1);
    d->tables = g_ptr_array_new_with_free_func(bpn_table_free);
    d->sections = g_ptr_array_new();
    d->repairs = g_ptr_array_new();
    d->warnings = g_ptr_array_new();
    d->checks = g_ptr_array_new_with_free_func(bpn_check_free);
    return d;
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
    bpn_document *d = doc_new();
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
    bpn_document *d = doc_new();
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
    bpn_document *d = doc_new();
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
    bpn_document *d = doc_new();
    g_ptr_array_add(d->tables, table(1, "2025年预算收支总表", 4, header, 2, rows, 5));
    g_ptr_array_add(d->tables, table(3, "2025年预算支出总表", 3, spend_header, 1, spend_rows, 1));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    CHECK(c, n == 4); /* two 小计 (income, spending), two 合计 = 小计 + 结转 */
    CHECK(c, failed == (broken ? 1 : 0));
    n = count(d, "balance", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    n = count(d, "cross_table", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0));
    n = count(d, "column_sum", &failed);
    CHECK(c, n == 1 && failed == 0);
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
    bpn_document *d = doc_new();
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
    bpn_document *d = doc_new();
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
    bpn_document *d = doc_new();
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
    bpn_document *d = doc_new();
    g_ptr_array_add(d->tables, table(10, "“三公”经费支出预算表", 2, header, 1, rows, 6));
    g_ptr_array_add(d->tables, table(5, "一般公共预算拨款支出预算表", 5, code_header, 1, leaf, 3));
    bpn_checks_build(d);
    int failed, n = count(d, "total_row", &failed);
    CHECK(c, n == 2 && failed == 0); /* 三公 合计 (not counting the sub-items), 合计 of the 项 rows */
    n = count(d, "children_sum", &failed);
    CHECK(c, n == 1 && failed == (broken ? 1 : 0)); /* 3、 = （1） + （2） */
    bpn_document_free(d);
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    test_codes(c, FALSE);
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
    test_enumerated_and_leaf_codes(c, FALSE);
    test_enumerated_and_leaf_codes(c, TRUE);
    return check_summary("test_checks", c);
}
