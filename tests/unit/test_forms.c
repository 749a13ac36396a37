/* test_forms.c — 项目支出绩效目标表 forms (normalize/forms.c) on synthetic
 * layouts: fill-down of merged 一级/二级 cells, cut-off completion and its
 * warning, broken numbers joined, a form over two pages, a header block
 * printed again on every page, a value realigned out of a merged cell, the
 * layout without a label column, two 一级 cells joined, and a table that is
 * not a form. */
#include "normalize/internal.h"

#include <math.h>
#include "check.h"
#include "synth.h"

#define FS 7.0      /* font size of cell text */
#define ROW_H 20.0  /* row height */
#define MAX_COLS 9

/* Draws ruled rows on a page from y0 down.  Each row has n_cols entries:
 * NULL or "" an empty cell, "<" merged with its left neighbour, "^" merged
 * with the cell above, anything else its text ("a|b": two lines).  Returns
 * the y under the last row. */
static double draw_rows(bpx_document *src, int page, const double *xs, int n_cols, double y0,
                        const char *const (*rows)[MAX_COLS], int n_rows)
{
    for (int r = 0; r < n_rows; r++) {
        double y = y0 + r * ROW_H;
        for (int c = 0; c < n_cols; c++) {
            const char *t = rows[r][c];
            gboolean up = t && strcmp(t, "^") == 0, left = t && strcmp(t, "<") == 0;
            if (!up)
                synth_hline(src, page, xs[c], xs[c + 1], y);
            if (!left)
                synth_vline(src, page, xs[c], y, y + ROW_H);
            if (!t || !*t || up || left)
                continue;
            char **lines = g_strsplit(t, "|", -1);
            for (int i = 0; lines[i]; i++)
                synth_text(src, page, xs[c] + 2, y + 2 + i * (FS + 2), FS, lines[i]);
            g_strfreev(lines);
        }
        synth_vline(src, page, xs[n_cols], y, y + ROW_H);
    }
    double y1 = y0 + n_rows * ROW_H;
    synth_hline(src, page, xs[0], xs[n_cols], y1);
    return y1;
}

static const double XS8[] = {30, 75, 130, 190, 290, 345, 405, 500, 570};

static void title(bpx_document *src, int page, const char *year_line)
{
    synth_text(src, page, 120, 50, 14, "阳泉市市级预算部门（单位）项目支出绩效目标表");
    if (year_line)
        synth_text(src, page, 250, 72, 12, year_line);
}

static const bpn_indicator *find_indicator(const bpn_target *t, gboolean annual, const char *level3)
{
    for (guint i = 0; t && i < t->indicators->len; i++) {
        const bpn_indicator *ind = t->indicators->pdata[i];
        if (ind->annual == annual && ind->level3 && strcmp(ind->level3, level3) == 0)
            return ind;
    }
    return NULL;
}

static gboolean has_repair(const bpn_document *doc, const char *kind, const char *from, const char *to)
{
    for (guint i = 0; i < doc->repairs->len; i++) {
        const bpn_repair *r = doc->repairs->pdata[i];
        if (strcmp(r->kind, kind) == 0 && (!from || g_strcmp0(r->from, from) == 0) &&
            (!to || g_strcmp0(r->to, to) == 0))
            return TRUE;
    }
    return FALSE;
}

static gboolean has_warning(const bpn_document *doc, const char *part)
{
    for (guint i = 0; i < doc->warnings->len; i++)
        if (strstr(((bpn_warning *)doc->warnings->pdata[i])->message, part))
            return TRUE;
    return FALSE;
}

static gboolean in_sections(const bpn_document *doc, const char *part)
{
    for (guint i = 0; i < doc->sections->len; i++) {
        const bpn_section *s = doc->sections->pdata[i];
        if ((s->heading && strstr(s->heading, part)) || (s->text && strstr(s->text, part)))
            return TRUE;
    }
    return FALSE;
}

/* The header block of a form, in the 8-column layout. */
static const char *const HEAD[][MAX_COLS] = {
    {"项目名称", "<", "急救车司机工资", "<", "<", "<", "<", "<"},
    {"主管部门及代码", "<", "063-某某委员会", "<", "实施单位", "某某急救中心", "<", "<"},
    {"项目属性", "<", "一次性项目", "<", "项目期", "1年", "<", "<"},
    {"项目资金|（元）", "实施期资金总额：", "<", "115,000", "年度资金总额：", "<", "115,000", "<"},
    {"^", "其中：中央财政资金", "<", "0", "其中：中央财政资金", "<", "0", "<"},
    {"^", "省级财政资金", "<", "0", "省级财政资金", "<", "0", "<"},
    {"^", "市县（区）财政资 金", "<", "115,000", "市县（区）财政资金", "<", "115,000", "<"},
    {"^", "单位自筹", "<", "0", "单位自筹", "<", "0", "<"},
    {"^", "其他资金", "<", "", "其他资金", "<", "", "<"},
    {"项目概况", "<", "为司机发放工资", "<", "<", "<", "<", "<"},
    {"总体目标", "实施期目标", "<", "<", "<", "年度目标", "<", "<"},
    {"^", "按时发放工资", "<", "<", "<", "全年按时发放", "<", "<"},
};

static const char *const IND_HEADER[][MAX_COLS] = {
    {"绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"},
};

/* One form on one page: merged 一级/二级 cells, a cut-off annual text with
 * its full form on the row and one without, an empty row, a ruled footer
 * with a fill date broken by a space. */
static void test_single_form(check_counts *c)
{
    static const char *const IND[][MAX_COLS] = {
        {"^", "产出指标", "数量指标", "工资发放人数", "16人", "数量指标", "工资发放人数", "16人"},
        {"^", "^", "质量指标", "公立医院平均住院日", "较上年降低", "质量指标", "公立医院平均住", "较上年降低"},
        {"^", "^", "成本指标", "", "", "成本指标", "公立医院百元医", "较上年下降"},
        {"^", "效益指标", "经济效益", "", "", "经济效益", "", ""},
        {"^", "^", "^", "司机满意度", "100%", "^", "司机满意度", "100%"},
        {"负责人：", "", "经办人：", "", "联系电话：", "", "填报日期：", "2025011614 2334"},
    };
    bpx_document *src = synth_document(1);
    title(src, 1, "（2025年度）");
    double y = draw_rows(src, 1, XS8, 8, 100, HEAD, G_N_ELEMENTS(HEAD));
    y = draw_rows(src, 1, XS8, 8, y, IND_HEADER, 1);
    draw_rows(src, 1, XS8, 8, y, IND, G_N_ELEMENTS(IND));

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc != NULL);
    CHECK(c, doc->targets && doc->targets->len == 1);
    CHECK(c, doc->tables->len == 0);
    CHECK_STR(c, doc->document_type, "项目支出绩效目标表");
    CHECK_STR(c, doc->unit, "某某急救中心");
    CHECK(c, !in_sections(doc, "绩效目标表"));
    const bpn_target *t = doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->project, "急救车司机工资");
        CHECK_STR(c, t->department, "063-某某委员会");
        CHECK_STR(c, t->implementing_unit, "某某急救中心");
        CHECK_STR(c, t->attribute, "一次性项目");
        CHECK_STR(c, t->period, "1年");
        CHECK(c, t->year == 2025);
        CHECK(c, t->funds_period.total.set && t->funds_period.total.value == 115000);
        CHECK(c, t->funds_annual.total.set && t->funds_annual.total.value == 115000);
        CHECK(c, t->funds_period.central.set && t->funds_period.central.value == 0);
        /* the label printed with a space is still 市县（区）财政资金 */
        CHECK(c, t->funds_period.municipal.set && t->funds_period.municipal.value == 115000);
        CHECK(c, t->funds_annual.municipal.set && t->funds_annual.municipal.value == 115000);
        CHECK(c, !t->funds_period.other.set && !t->funds_annual.other.set);
        CHECK_STR(c, t->overview, "为司机发放工资");
        CHECK_STR(c, t->goal_period, "按时发放工资");
        CHECK_STR(c, t->goal_annual, "全年按时发放");
        /* broken number joined */
        CHECK_STR(c, t->filled_at, "20250116142334");
        CHECK(c, t->pages->len == 1 && g_array_index(t->pages, int, 0) == 1);
        /* the 经济效益 row has neither level3 nor value: omitted */
        CHECK(c, t->indicators->len == 7);
        if (t->indicators->len == 7) {
            const bpn_indicator *first = t->indicators->pdata[0], *last = t->indicators->pdata[6];
            CHECK(c, !first->annual && last->annual); /* period side first */
        }
        const bpn_indicator *i;
        /* fill-down: 产出指标 over 质量指标, 效益指标 and 经济效益 over the last row */
        i = find_indicator(t, FALSE, "公立医院平均住院日");
        CHECK(c, i && g_strcmp0(i->level1, "产出指标") == 0 && g_strcmp0(i->level2, "质量指标") == 0);
        i = find_indicator(t, FALSE, "司机满意度");
        CHECK(c, i && g_strcmp0(i->level1, "效益指标") == 0 && g_strcmp0(i->level2, "经济效益") == 0 &&
                     g_strcmp0(i->value, "100%") == 0);
        i = find_indicator(t, TRUE, "司机满意度");
        CHECK(c, i && g_strcmp0(i->level2, "经济效益") == 0);
        /* cut-off completed from the period text on the same row */
        i = find_indicator(t, TRUE, "公立医院平均住院日");
        CHECK(c, i && g_strcmp0(i->level3_printed, "公立医院平均住") == 0 &&
                     g_strcmp0(i->value, "较上年降低") == 0);
        i = find_indicator(t, FALSE, "公立医院平均住院日");
        CHECK(c, i && i->level3_printed == NULL);
        /* a cut-off text with no full form stays as printed, with a warning */
        i = find_indicator(t, TRUE, "公立医院百元医");
        CHECK(c, i && i->level3_printed == NULL && g_strcmp0(i->level2, "成本指标") == 0);
        CHECK(c, find_indicator(t, FALSE, "") == NULL);
    }
    CHECK(c, has_repair(doc, "cut_off_completed", "公立医院平均住", "公立医院平均住院日"));
    CHECK(c, has_repair(doc, "cell_filled_down", NULL, "产出指标"));
    CHECK(c, has_repair(doc, "cell_filled_down", NULL, "经济效益"));
    CHECK(c, has_repair(doc, "broken_word_joined", "2025011614 2334", "20250116142334"));
    CHECK(c, has_warning(doc, "公立医院百元医"));
    CHECK(c, !has_warning(doc, "公立医院平均住"));
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Form A runs over two pages (the second grid holds only indicator rows and
 * the footer); form B, printed without title, repeats its header block on
 * its second page. */
static void test_forms_over_pages(check_counts *c)
{
    static const char *const HEAD_A[][MAX_COLS] = {
        {"项目名称", "<", "甲项目", "<", "<", "<", "<", "<"},
        {"主管部门及代码", "<", "063-某某委员会", "<", "实施单位", "甲单位", "<", "<"},
        {"项目属性", "<", "经常性项目", "<", "项目期", "3年", "<", "<"},
    };
    static const char *const HEAD_B[][MAX_COLS] = {
        {"项目名称", "<", "乙项目", "<", "<", "<", "<", "<"},
        {"主管部门及代码", "<", "063-某某委员会", "<", "实施单位", "乙单位", "<", "<"},
        {"项目属性", "<", "一次性项目", "<", "项目期", "1年", "<", "<"},
    };
    static const char *const A1[][MAX_COLS] = {
        {"^", "产出指标", "数量指标", "甲指标一", "1个", "数量指标", "甲指标一", "1个"},
    };
    static const char *const A2[][MAX_COLS] = {
        {"", "", "", "甲指标二", "2个", "", "甲指标二", "2个"},
        {"负责人：", "", "经办人：", "", "联系电话：", "", "填报日期：", "20250116110240"},
    };
    static const char *const B1[][MAX_COLS] = {
        {"^", "产出指标", "质量指标", "乙指标一", "100%", "", "", ""},
    };
    static const char *const B2[][MAX_COLS] = {
        {"^", "", "", "乙指标二", "95%", "质量指标", "乙指标二", "95%"},
        {"负责人：", "", "经办人：", "", "联系电话：", "", "填报日期：", "20250116120000"},
    };
    bpx_document *src = synth_document(4);
    title(src, 1, "（2025年度）");
    double y = draw_rows(src, 1, XS8, 8, 100, HEAD_A, G_N_ELEMENTS(HEAD_A));
    y = draw_rows(src, 1, XS8, 8, y, IND_HEADER, 1);
    draw_rows(src, 1, XS8, 8, y, A1, G_N_ELEMENTS(A1));
    draw_rows(src, 2, XS8, 8, 60, A2, G_N_ELEMENTS(A2));
    y = draw_rows(src, 3, XS8, 8, 60, HEAD_B, G_N_ELEMENTS(HEAD_B));
    y = draw_rows(src, 3, XS8, 8, y, IND_HEADER, 1);
    draw_rows(src, 3, XS8, 8, y, B1, G_N_ELEMENTS(B1));
    y = draw_rows(src, 4, XS8, 8, 60, HEAD_B, G_N_ELEMENTS(HEAD_B));
    y = draw_rows(src, 4, XS8, 8, y, IND_HEADER, 1);
    draw_rows(src, 4, XS8, 8, y, B2, G_N_ELEMENTS(B2));

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 2);
    CHECK(c, doc && doc->tables->len == 0);
    if (doc && doc->targets && doc->targets->len == 2) {
        const bpn_target *a = doc->targets->pdata[0], *b = doc->targets->pdata[1];
        CHECK_STR(c, a->project, "甲项目");
        CHECK(c, a->pages->len == 2 && g_array_index(a->pages, int, 1) == 2);
        CHECK(c, a->indicators->len == 4);
        CHECK_STR(c, a->filled_at, "20250116110240");
        /* 一级/二级 filled down across the page break */
        const bpn_indicator *i = find_indicator(a, FALSE, "甲指标二");
        CHECK(c, i && g_strcmp0(i->level1, "产出指标") == 0 && g_strcmp0(i->level2, "数量指标") == 0);
        i = find_indicator(a, TRUE, "甲指标二");
        CHECK(c, i && g_strcmp0(i->level2, "数量指标") == 0);
        CHECK(c, has_repair(doc, "cell_filled_down", NULL, "产出指标"));

        CHECK_STR(c, b->project, "乙项目");
        CHECK_STR(c, b->implementing_unit, "乙单位");
        CHECK(c, b->year == 2025); /* printed without title: the year of the form before */
        CHECK(c, b->pages->len == 2);
        CHECK(c, b->indicators->len == 3);
        i = find_indicator(b, FALSE, "乙指标二");
        CHECK(c, i && g_strcmp0(i->level1, "产出指标") == 0 && g_strcmp0(i->level2, "质量指标") == 0);
        i = find_indicator(b, TRUE, "乙指标二");
        CHECK(c, i && g_strcmp0(i->level2, "质量指标") == 0 && g_strcmp0(i->value, "95%") == 0);
        CHECK_STR(c, b->filled_at, "20250116120000");
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* The other layout: no label column (绩效指标 is a row of its own over the
 * indicator grid), 7 columns; values merged into the 三级指标 cell. */
static void test_layout_and_realign(check_counts *c)
{
    static const double XS7[] = {30, 100, 170, 280, 340, 410, 515, 570};
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "丙项目", "<", "<", "<", "<", "<"},
        {"主管部门及代码", "063-某某委员会", "<", "<", "实施单位", "丙单位", "<"},
        {"项目属性", "一次性项目", "<", "<", "项目期", "1年", "<"},
        {"总体目标", "实施期目标", "<", "<", "年度目标", "<", "<"},
        {"^", "完成培训", "<", "<", "全年完成培训", "<", "<"},
        {"绩效指标", "<", "<", "<", "<", "<", "<"},
        {"一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"},
        {"产出指标", "数量指标", "救护车司机人数", "16人", "数量指标", "救护车司机人数16人", "<"},
        {"^", "质量指标", "发放准确率", "", "质量指标", "发放准确率≥98%", "<"},
        {"满意度指标", "服务对象满意度", "司机满意度", "≥90%", "^", "司机满意度", "≥90%"},
        {"^", "^", "负责人满意度", "≥95%", "^", "负责人满意度", "≥95%"},
    };
    bpx_document *src = synth_document(1);
    title(src, 1, "（2024年度）");
    draw_rows(src, 1, XS7, 7, 100, ROWS, G_N_ELEMENTS(ROWS));

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK_STR(c, t->project, "丙项目");
        CHECK_STR(c, t->goal_period, "完成培训");
        CHECK_STR(c, t->goal_annual, "全年完成培训");
        /* an indicator that begins with 负责人 is no footer */
        CHECK(c, t->indicators->len == 8);
        CHECK(c, find_indicator(t, TRUE, "负责人满意度") != NULL);
        const bpn_indicator *i = find_indicator(t, TRUE, "救护车司机人数");
        CHECK(c, i && g_strcmp0(i->value, "16人") == 0 && g_strcmp0(i->level1, "产出指标") == 0);
        i = find_indicator(t, TRUE, "发放准确率");
        CHECK(c, i && g_strcmp0(i->value, "≥98%") == 0 && g_strcmp0(i->level2, "质量指标") == 0);
        i = find_indicator(t, FALSE, "发放准确率");
        CHECK(c, i && i->value == NULL && g_strcmp0(i->level1, "产出指标") == 0);
        i = find_indicator(t, TRUE, "司机满意度");
        CHECK(c, i && g_strcmp0(i->level1, "满意度指标") == 0 && g_strcmp0(i->level2, "质量指标") == 0);
        i = find_indicator(t, FALSE, "司机满意度");
        CHECK(c, i && g_strcmp0(i->level2, "服务对象满意度") == 0);
    }
    CHECK(c, doc && has_repair(doc, "value_realigned", "救护车司机人数16人", "救护车司机人数 | 16人"));
    CHECK(c, doc && has_repair(doc, "value_realigned", "发放准确率≥98%", NULL));
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Two 一级 cells joined into one (the rule between them lost under text that
 * overflows it): each row takes the 一级 its 二级 belongs to. */
static void test_joined_level1(check_counts *c)
{
    static const double XS7[] = {30, 100, 170, 280, 340, 410, 515, 570};
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "丁项目", "<", "<", "<", "<", "<"},
        {"主管部门及代码", "063-某某委员会", "<", "<", "实施单位", "丁单位", "<"},
        {"项目属性", "经常性项目", "<", "<", "项目期", "1年", "<"},
        {"一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"},
        {"产出指标", "数量指标", "培训人次", "200人次", "数量指标", "培训人次", "200人次"},
        {"效益指标|满意度指标", "社会效益", "群众知晓率", "≥90%", "社会效益", "群众知晓率", "≥90%"},
        {"^", "可持续影响", "长效机制", "健全", "可持续影响", "长效机制", "健全"},
        {"^", "服务对象满意度", "患者满意度", "≥95%", "服务对象满意度", "患者满意度", "≥95%"},
    };
    bpx_document *src = synth_document(1);
    title(src, 1, "（2025年度）");
    draw_rows(src, 1, XS7, 7, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    CHECK(c, t && t->indicators->len == 8);
    for (int annual = 0; t && annual < 2; annual++) {
        const bpn_indicator *i = find_indicator(t, annual, "培训人次");
        CHECK(c, i && g_strcmp0(i->level1, "产出指标") == 0);
        i = find_indicator(t, annual, "群众知晓率");
        CHECK(c, i && g_strcmp0(i->level1, "效益指标") == 0);
        i = find_indicator(t, annual, "长效机制");
        CHECK(c, i && g_strcmp0(i->level1, "效益指标") == 0);
        i = find_indicator(t, annual, "患者满意度");
        CHECK(c, i && g_strcmp0(i->level1, "满意度指标") == 0 && g_strcmp0(i->level2, "服务对象满意度") == 0);
    }
    CHECK(c, doc && has_repair(doc, "value_realigned", "效益指标满意度指标", "效益指标 | 满意度指标"));
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A table whose header says 项目名称 is not a form; the form after it is. */
static void test_table_is_not_form(check_counts *c)
{
    static const double XT[] = {60, 300, 540};
    static const char *const TABLE[][MAX_COLS] = {
        {"项目名称", "金额"},
        {"一、设备购置", "12.50"},
        {"二、维修", "3.00"},
    };
    static const char *const FORM[][MAX_COLS] = {
        {"项目名称", "<", "丁项目", "<", "<", "<", "<", "<"},
        {"主管部门及代码", "<", "063-某某委员会", "<", "实施单位", "丁单位", "<", "<"},
        {"项目属性", "<", "一次性项目", "<", "项目期", "1年", "<", "<"},
        {"绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"},
        {"^", "产出指标", "数量指标", "丁指标", "1台", "数量指标", "丁指标", "1台"},
    };
    bpx_document *src = synth_document(2);
    synth_text(src, 1, 60, 60, 12, "表一");
    synth_text(src, 1, 200, 80, 14, "2025年项目支出预算表");
    synth_text(src, 1, 480, 100, 10, "单位：万元");
    draw_rows(src, 1, XT, 2, 120, TABLE, G_N_ELEMENTS(TABLE));
    title(src, 2, "（2025年度）");
    draw_rows(src, 2, XS8, 8, 100, FORM, G_N_ELEMENTS(FORM));

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->tables->len == 1);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    if (doc && doc->targets && doc->targets->len == 1) {
        const bpn_target *t = doc->targets->pdata[0];
        CHECK_STR(c, t->project, "丁项目");
        CHECK(c, t->indicators->len == 2);
        CHECK(c, t->filled_at == NULL);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A form printed without 项目名称, named by its title wrapped over two
 * lines ("code_单位_名称" keeps its code apart); a label cell that reads
 * as two stacked labels over two rows (a wrapped label ran over the rule
 * between them); a 一级 cell of two joined labels, the last cut off. */
static void test_title_named_and_stacked(check_counts *c)
{
    static const char *const HEAD2[][MAX_COLS] = {
        {"主管部门及代码|实施单位", "<", "063-某某委员会", "<", "<", "<", "<", "<"},
        {"^", "<", "某某急救中心", "<", "<", "<", "<", "<"},
    };
    static const char *const IND[][MAX_COLS] = {
        {"^", "效益指标|满意度指", "社会效益指标", "群众知晓率", "≥90%", "社会效益指标", "群众知晓率", "≥90%"},
        {"^", "^", "服务对象满意度指标", "患者满意度", "≥95%", "服务对象满意度指标", "患者满意度", "≥95%"},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 100, 40, 12, "301007_某某分局_机场公安综");
    synth_text(src, 1, 160, 55, 12, "合修缮改造项目绩效目标表");
    double y = draw_rows(src, 1, XS8, 8, 100, HEAD2, G_N_ELEMENTS(HEAD2));
    y = draw_rows(src, 1, XS8, 8, y, IND_HEADER, 1);
    draw_rows(src, 1, XS8, 8, y, IND, G_N_ELEMENTS(IND));

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK_STR(c, t->project_code, "301007");
        CHECK_STR(c, t->project, "某某分局_机场公安综合修缮改造项目");
        CHECK_STR(c, t->department, "063-某某委员会");
        CHECK_STR(c, t->implementing_unit, "某某急救中心");
        const bpn_indicator *i = find_indicator(t, TRUE, "群众知晓率");
        CHECK(c, i && g_strcmp0(i->level1, "效益指标") == 0);
        i = find_indicator(t, TRUE, "患者满意度");
        CHECK(c, i && g_strcmp0(i->level1, "满意度指标") == 0 && g_strcmp0(i->level2, "服务对象满意度指标") == 0);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* One long table whose header row lost its rules (one cell reads
 * "其中：项目总额绩效目标财政资金其他资金") while the rows below keep the
 * columns: the header's words are laid into the columns under the cell,
 * the parts of 项目总额 after it; 一级 and 二级 share a column, as do their
 * texts ("产出指标数量指标"); the code before the name is kept apart. */
static void test_long_table_lost_header(check_counts *c)
{
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "其中：项目总额绩效目标|财政资金其他资金", "<", "<", "<", "一级指标二级指标", "三级指标", "本年绩效指标值"},
        {"11000026T0|00003742841-|就业管理|工作经费项目", "586.12", "586.12", "", "促进就业", "产出指标数量指标", "城镇新增就业", "28万人"},
        {"^", "^", "^", "^", "^", "效益指标|社会效益指标", "优化就业服务", "优"},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 50, 14, "预算表12 项目支出绩效目标表");
    synth_text(src, 1, 480, 80, 9, "金额单位：万元");
    draw_rows(src, 1, XS8, 8, 100, ROWS, G_N_ELEMENTS(ROWS));

    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK_STR(c, t->project_code, "11000026T000003742841");
        CHECK_STR(c, t->project, "就业管理工作经费项目");
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 5861200) < 0.5);
        CHECK_STR(c, t->goal_annual, "促进就业");
        CHECK(c, t->indicators->len == 2);
        const bpn_indicator *i = find_indicator(t, TRUE, "城镇新增就业");
        CHECK(c, i && g_strcmp0(i->level1, "产出指标") == 0 && g_strcmp0(i->level2, "数量指标") == 0 &&
                     g_strcmp0(i->value, "28万人") == 0);
        i = find_indicator(t, TRUE, "优化就业服务");
        CHECK(c, i && g_strcmp0(i->level1, "效益指标") == 0 && g_strcmp0(i->level2, "社会效益指标") == 0);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Indicators written as text in one cell, a numbered list whose ； was
 * lost at a line end ("≥4.5分3.满意度指标…"): each next number starts an
 * item, a decimal point is no number. */
static void test_text_indicators(check_counts *c)
{
    static const double XS2[] = {30, 120, 570};
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "丁项目"},
        {"主管部门", "某某委员会"},
        {"实施单位", "丁单位"},
        {"年度绩效指标", "1.产出指标-数量指标-补助单位：1个；2.产出指标-质量指标-评分：≥4.5分|3.满意度指标-服务对象满意度指标-患者满意度：≥98%"},
        {"^", "^"},
    };
    bpx_document *src = synth_document(1);
    title(src, 1, "（2024年度）");
    draw_rows(src, 1, XS2, 2, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK_STR(c, t->project, "丁项目");
        CHECK(c, t->indicators->len == 3);
        const bpn_indicator *i = find_indicator(t, TRUE, "评分");
        CHECK(c, i && g_strcmp0(i->value, "≥4.5分") == 0 && g_strcmp0(i->level2, "质量指标") == 0);
        i = find_indicator(t, TRUE, "患者满意度");
        CHECK(c, i && g_strcmp0(i->value, "≥98%") == 0 && g_strcmp0(i->level1, "满意度指标") == 0);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A 绩效自评表: 年度指标值, 实际完成值, 分值, 得分 per indicator, the 总分. */
static void test_self_evaluation(check_counts *c)
{
    static const double XS7[] = {30, 100, 170, 280, 350, 420, 495, 570};
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "<", "戊项目", "<", "<", "<", "<"},
        {"主管部门", "<", "某某委员会", "实施单位", "戊单位", "<", "<"},
        {"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"},
        {"产出指标", "数量指标", "补助人数", "16人", "16人", "10", "10"},
        {"^", "质量指标", "发放准确率", "100%", "98%", "10", "9"},
        {"总分", "<", "19", "<", "<", "<", "<"},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 50, 14, "项目支出绩效自评表");
    draw_rows(src, 1, XS7, 7, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK(c, t->kind == BPN_FORM_SELF_EVALUATION);
        CHECK_STR(c, t->project, "戊项目");
        CHECK_STR(c, t->implementing_unit, "戊单位");
        CHECK_STR(c, t->self_score, "19");
        CHECK(c, t->indicators->len == 2);
        const bpn_indicator *i = find_indicator(t, TRUE, "发放准确率");
        CHECK(c, i && g_strcmp0(i->value, "100%") == 0 && g_strcmp0(i->actual, "98%") == 0 &&
                     g_strcmp0(i->weight, "10") == 0 && g_strcmp0(i->score, "9") == 0 &&
                     g_strcmp0(i->level1, "产出指标") == 0);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

static const bpn_form_check *form_check(const bpn_target *t, const char *rule, const char *row, const char *column)
{
    for (guint i = 0; t->checks && i < t->checks->len; i++) {
        const bpn_form_check *k = t->checks->pdata[i];
        if (strcmp(k->rule, rule) == 0 && g_strcmp0(k->row, row) == 0 && g_strcmp0(k->column, column) == 0)
            return k;
    }
    return NULL;
}

static int count_checks(const bpn_target *t, const char *rule, int *failed)
{
    int n = 0;
    *failed = 0;
    for (guint i = 0; t->checks && i < t->checks->len; i++) {
        const bpn_form_check *k = t->checks->pdata[i];
        if (strcmp(k->rule, rule) == 0) {
            n++;
            *failed += !k->ok;
        }
    }
    return n;
}

/* A 项目支出绩效自评表 of the central template: the execution block (年初预算数
 * | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, one row per source, the
 * sources printing 0.0% and -- where only the total is rated and scored),
 * and a 总分 row printing the 分值 total and the score side by side. */
static void test_self_evaluation_execution(check_counts *c)
{
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "<", "己项目", "<", "<", "<", "<", "<"},
        {"主管部门", "<", "某某局", "<", "实施单位", "某某中心", "<", "<"},
        {"项目资金|（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"},
        {"^", "年度资金总额：", "180.61", "180.03", "180.03", "10.0", "100.00%", "10"},
        {"^", "其中：财政拨款", "140.61", "140.61", "140.61", "--", "0.0%", "--"},
        {"^", "上年结转", "40.00", "39.42", "39.42", "--", "0.0%", "--"},
        {"^", "其他资金", "0.00", "0.00", "0.00", "--", "0.0%", "--"},
        {"年度总体目标", "预期目标", "<", "<", "实际完成情况", "<", "<", "<"},
        {"^", "完成培训", "<", "<", "完成培训4期", "<", "<", "<"},
        {"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"},
        {"产出指标", "数量指标", "培训人数", "≥300人", "366人", "50", "50", ""},
        {"^", "质量指标", "合格率", "≥98%", "100%", "40", "38", "考核从严"},
        {"总分", "<", "<", "<", "<", "100", "98", ""},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 50, 14, "己项目项目绩效自评表");
    draw_rows(src, 1, XS8, 8, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK(c, t->kind == BPN_FORM_SELF_EVALUATION);
        CHECK_STR(c, t->amount_unit, "万元");
        CHECK_STR(c, t->self_score, "98"); /* not the 分值 total beside it */
        CHECK_STR(c, t->weight_total, "100");
        CHECK(c, t->execution && t->execution->len == 4);
        if (t->execution && t->execution->len == 4) {
            const bpn_execution_row *total = t->execution->pdata[0], *carry = t->execution->pdata[2];
            CHECK_STR(c, total->label, "年度资金总额：");
            CHECK_STR(c, total->source, "total");
            CHECK(c, total->amount[BPN_EX_BUDGET_INITIAL].set &&
                         fabs(total->amount[BPN_EX_BUDGET_INITIAL].value - 1806100) < 0.5);
            CHECK(c, total->amount[BPN_EX_BUDGET_FULL_YEAR].set &&
                         fabs(total->amount[BPN_EX_BUDGET_FULL_YEAR].value - 1800300) < 0.5);
            CHECK(c, total->amount[BPN_EX_EXECUTED].set && fabs(total->amount[BPN_EX_EXECUTED].value - 1800300) < 0.5);
            CHECK(c, !total->amount[BPN_EX_ADJUSTMENT].set && !total->amount[BPN_EX_BALANCE].set);
            CHECK_STR(c, total->printed[BPN_EX_EXECUTION_RATE], "100.00%");
            CHECK_STR(c, total->printed[BPN_EX_WEIGHT], "10.0");
            CHECK_STR(c, total->printed[BPN_EX_SCORE], "10");
            CHECK_STR(c, ((const bpn_execution_row *)t->execution->pdata[1])->source, "fiscal");
            CHECK_STR(c, carry->source, "carry_over");
            CHECK(c, carry->amount[BPN_EX_BUDGET_FULL_YEAR].set &&
                         fabs(carry->amount[BPN_EX_BUDGET_FULL_YEAR].value - 394200) < 0.5);
            CHECK_STR(c, ((const bpn_execution_row *)t->execution->pdata[3])->source, "other");
        }
        /* the 年初 amounts are the annual funds, as before */
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 1806100) < 0.5);
        CHECK(c, t->funds_annual.fiscal.set && fabs(t->funds_annual.fiscal.value - 1406100) < 0.5);
        CHECK(c, !t->funds_period.central.set && !t->funds_period.total.set);
        /* the identities: the sources add up in each amount column, the
         * total's rate is tested (the sources' 0.0% are not rates), the
         * 总分 and 分值 total add up */
        const bpn_form_check *k = form_check(t, "sources_sum", "年度资金总额：", "budget_full_year");
        CHECK(c, k && k->ok && fabs(k->expected - 1800300) < 0.5 && fabs(k->found - 1800300) < 0.5);
        int failed, n = count_checks(t, "sources_sum", &failed);
        CHECK(c, n == 3 && failed == 0);
        n = count_checks(t, "execution_rate", &failed);
        CHECK(c, n == 1 && failed == 0);
        k = form_check(t, "score_sum", NULL, "score");
        CHECK(c, k && k->ok && fabs(k->expected - 98) < 1e-9 && fabs(k->found - 98) < 1e-9);
        k = form_check(t, "weight_sum", NULL, "weight");
        CHECK(c, k && k->ok && fabs(k->expected - 100) < 1e-9);
        CHECK(c, t->indicators->len == 2);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A 部门整体绩效自评表 whose execution header is two rows (预算安排 | 拨付情况
 * | 结余情况 over ① | ② | ③=①+② | ④ | ⑤=④/③ | ⑥=③-④, 分值 and 得分 spanning
 * both) and whose 合计 does not add up: the identities it fails are
 * reported, failed, beside those it passes; the rates, given as formulas,
 * are tested on every row. */
static void test_self_evaluation_stated_formulas(check_counts *c)
{
    static const char *const ROWS[][MAX_COLS] = {
        {"部门（单位）名称", "某某办公室", "<", "<", "<", "<", "<", "<", "<"},
        {"", "预算安排", "<", "<", "拨付情况", "<", "结余情况", "分值", "得分"},
        {"^", "年初预算|安排金额①", "年中调整|金额②", "小计|③=①+②", "年度拨付|金额④", "支出实现率|(%)⑤=④/③",
         "本年度结余|金额⑥=③-④", "^", "^"},
        {"合计", "9209.55", "790.22", "9999.77", "8874.74", "88.75", "1125.03", "10", "7"},
        {"财政资金小计", "9000.00", "790.22", "9790.22", "8674.74", "88.61", "1115.48", "", ""},
        {"其他资金小计", "200.00", "0.00", "200.00", "200.00", "100.00", "0.00", "", ""},
        {"一级指标", "二级指标", "三级指标", "<", "年度指标值", "实际完成值", "<", "指标分值", "自评得分"},
        {"产出指标", "数量指标", "会议场次", "<", "≥30次", "20", "<", "90", "85.33"},
        {"总分值、评价总分", "<", "<", "<", "<", "<", "<", "92.33", "<"},
    };
    static const double XS[] = {30, 110, 160, 210, 250, 330, 380, 440, 520, 570};
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 50, 14, "部门整体绩效自评表");
    draw_rows(src, 1, XS, 9, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK(c, t->kind == BPN_FORM_SELF_EVALUATION);
        CHECK_STR(c, t->self_score, "92.33");
        CHECK(c, t->weight_total == NULL);
        CHECK(c, t->execution && t->execution->len == 3);
        if (t->execution && t->execution->len == 3) {
            const bpn_execution_row *total = t->execution->pdata[0];
            CHECK(c, total->rates_stated);
            CHECK_STR(c, total->source, "total");
            CHECK_STR(c, total->printed[BPN_EX_ADJUSTMENT], "790.22");
            CHECK_STR(c, total->printed[BPN_EX_WEIGHT], "10"); /* from the header's upper row */
            CHECK_STR(c, total->printed[BPN_EX_SCORE], "7");
            CHECK_STR(c, ((const bpn_execution_row *)t->execution->pdata[1])->source, "fiscal");
        }
        /* 9000.00 + 200.00 is not 9209.55: reported, failed */
        const bpn_form_check *k = form_check(t, "sources_sum", "合计", "budget_initial");
        CHECK(c, k && !k->ok && fabs(k->expected - 9200) < 1e-6 && fabs(k->found - 9209.55) < 1e-6);
        k = form_check(t, "sources_sum", "合计", "executed");
        CHECK(c, k && k->ok);
        int failed, n = count_checks(t, "sources_sum", &failed);
        CHECK(c, n == 5 && failed == 3); /* initial, full year and balance fail */
        n = count_checks(t, "budget_adjusted", &failed);
        CHECK(c, n == 3 && failed == 0);
        n = count_checks(t, "balance", &failed);
        CHECK(c, n == 3 && failed == 0);
        n = count_checks(t, "execution_rate", &failed);
        CHECK(c, n == 3 && failed == 0);
        k = form_check(t, "score_sum", NULL, "score");
        CHECK(c, k && k->ok && fabs(k->expected - 92.33) < 1e-9);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A 部门整体绩效自评表 that prints no unit for its amounts (宁德's): where
 * its indicators state money in 万元 (基本经费投入成本 ≤3843.67万元), its
 * amounts are read in 万元 and held in 元, the checks too; where they state
 * none, in 元.  Either way amount_unit stays NULL (the form does not say),
 * amount_unit_assumed names the unit, and a warning names the form.  Fails
 * when a form printing no unit is read as 元 whatever it says elsewhere
 * (a department's year at 9,209.55 元). */
static void test_self_evaluation_unit_assumed(check_counts *c)
{
    for (int wan = 0; wan < 2; wan++) {
        const char *cost = wan ? "≤3843.67万元" : "≤30次";
        const char *const ROWS[][MAX_COLS] = {
            {"部门（单位）名称", "某某办公室", "<", "<", "<", "<", "<", "<", "<"},
            {"", "预算安排", "<", "<", "拨付情况", "<", "结余情况", "分值", "得分"},
            {"^", "年初预算|安排金额①", "年中调整|金额②", "小计|③=①+②", "年度拨付|金额④", "支出实现率|(%)⑤=④/③",
             "本年度结余|金额⑥=③-④", "^", "^"},
            {"合计", "9209.55", "790.22", "9999.77", "8874.74", "88.75", "1125.03", "10", "7"},
            {"财政资金小计", "9009.55", "790.22", "9799.77", "8674.74", "88.52", "1125.03", "", ""},
            {"其他资金小计", "200.00", "0.00", "200.00", "200.00", "100.00", "0.00", "", ""},
            {"一级指标", "二级指标", "三级指标", "<", "年度指标值", "实际完成值", "<", "指标分值", "自评得分"},
            {"成本指标", "经济成本指标", "基本经费投入成本", "<", cost, "20", "<", "90", "85.33"},
            {"总分值、评价总分", "<", "<", "<", "<", "<", "<", "92.33", "<"},
        };
        static const double XS[] = {30, 110, 160, 210, 250, 330, 380, 440, 520, 570};
        bpx_document *src = synth_document(1);
        synth_text(src, 1, 200, 50, 14, "部门整体绩效自评表");
        draw_rows(src, 1, XS, 9, 100, ROWS, G_N_ELEMENTS(ROWS));
        GError *err = NULL;
        bpn_document *doc = bpn_document_build(src, &err);
        CHECK(c, doc && doc->targets && doc->targets->len == 1);
        const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
        if (t) {
            double factor = wan ? 10000.0 : 1.0;
            CHECK(c, t->amount_unit == NULL);
            CHECK_STR(c, t->amount_unit_assumed, wan ? "万元" : "元");
            CHECK(c, t->execution && t->execution->len == 3);
            if (t->execution && t->execution->len == 3) {
                const bpn_execution_row *total = t->execution->pdata[0];
                CHECK(c, total->amount[BPN_EX_BUDGET_INITIAL].set &&
                             fabs(total->amount[BPN_EX_BUDGET_INITIAL].value - 9209.55 * factor) < 1e-6);
                CHECK_STR(c, total->printed[BPN_EX_BUDGET_INITIAL], "9209.55");
            }
            /* 9009.55 + 200.00 = 9209.55 in the form's unit, within its rounding */
            const bpn_form_check *k = form_check(t, "sources_sum", "合计", "budget_initial");
            CHECK(c, k && k->ok && fabs(k->found - 9209.55 * factor) < 1e-3 && fabs(k->tolerance - 0.015 * factor) < 1e-9);
            gboolean warned = FALSE;
            for (guint i = 0; doc && i < doc->warnings->len; i++)
                warned |= strstr(((const bpn_warning *)doc->warnings->pdata[i])->message, "prints no unit") != NULL;
            CHECK(c, warned);
        }
        bpn_document_free(doc);
        bpx_document_free(src);
    }
}

/* A 部门整体 form whose fund block is a small table: labels in a row
 * (预算支出总额 | 财政拨款 | 其他资金), their parts under them (合计 | 基本支出
 * | 项目支出), the amounts in the row below, column by column. */
static void test_department_fund_columns(check_counts *c)
{
    static const char *const ROWS[][MAX_COLS] = {
        {"部门名称", "某某局", "<", "<", "<", "<", "<", "<"},
        {"资金情况|（万元）", "预算支出|总额", "财政拨款", "<", "<", "其他资金", "<", "<"},
        {"^", "^", "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出"},
        {"^", "1,000", "900", "600", "300", "100", "60", "40"},
        {"整体绩效目标", "完成全年工作", "<", "<", "<", "<", "<", "<"},
        {"一级指标", "二级指标", "三级指标", "<", "指标性质", "指标值", "度量单位", "<"},
        {"产出指标", "数量指标", "办件量", "<", "≥", "100", "件", "<"},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 200, 50, 14, "预算13表 部门整体支出绩效目标表");
    draw_rows(src, 1, XS8, 8, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = doc && doc->targets && doc->targets->len ? doc->targets->pdata[0] : NULL;
    if (t) {
        CHECK(c, t->kind == BPN_FORM_DEPARTMENT);
        CHECK_STR(c, t->project, "某某局");
        CHECK_STR(c, t->amount_unit, "万元");
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 10000000) < 0.5);
        CHECK(c, t->funds_annual.fiscal.set && fabs(t->funds_annual.fiscal.value - 9000000) < 0.5);
        CHECK(c, t->funds_annual.other.set && fabs(t->funds_annual.other.value - 1000000) < 0.5);
        CHECK_STR(c, t->goal_annual, "完成全年工作");
        const bpn_indicator *i = find_indicator(t, TRUE, "办件量");
        CHECK(c, i && g_strcmp0(i->value, "100") == 0 && g_strcmp0(i->direction, "≥") == 0 &&
                     g_strcmp0(i->measure_unit, "件") == 0);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A long table of the Beijing kind (项目名称 | 项目总额 | 其中 财政资金, 其他资金
 * | 绩效目标 | 一级 | 二级 | 三级 | 指标值) over two pages. */
static const double XS9[] = {30, 110, 160, 210, 250, 330, 380, 440, 520, 570};

static const char *const LT_HEADER[][MAX_COLS] = {
    {"项目名称", "项目总额", "其中：", "<", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"},
    {"^", "^", "财政资金", "其他资金", "^", "^", "^", "^", "^"},
};

static void long_table_page(bpx_document *src, int page, const char *const (*header)[MAX_COLS],
                            const char *const (*rows)[MAX_COLS], int n_rows)
{
    synth_text(src, page, 200, 50, 14, "预算表12 项目支出绩效目标表");
    synth_text(src, page, 480, 80, 9, "金额单位：万元");
    double y = draw_rows(src, page, XS9, 9, 100, header, 2);
    draw_rows(src, page, XS9, 9, y, rows, n_rows);
}

static const bpn_target *target_named(const bpn_document *doc, const char *project)
{
    for (guint i = 0; doc && doc->targets && i < doc->targets->len; i++) {
        const bpn_target *t = doc->targets->pdata[i];
        if (g_strcmp0(t->project, project) == 0)
            return t;
    }
    return NULL;
}

/* Page 2's header took text overflowing from the block cut by the page
 * break: its 项目名称 cell reads "项11目名0称语音" and its 财政资金 cell
 * holds an amount.  The columns are the form's known ones, the row of
 * amounts is no data row, and the rest of the block's name under them
 * joins the name begun on page 1. */
static void test_long_table_polluted_header(check_counts *c)
{
    static const char *const P1[][MAX_COLS] = {
        {"1100002600000|0000001-宣传经费", "10.00", "10.00", "", "做好宣传", "产出指标", "数量指标", "宣传品", "100份"},
        {"^", "^", "^", "^", "^", "效益指标", "社会效益指标", "知晓率", "90%"},
        {"1100002600000|0000002-道路交通信", "1,228.00", "1,228.00", "", "升级信号灯", "产出指标", "数量指标", "信号灯", "264处"},
    };
    static const char *const HEADER2[][MAX_COLS] = {
        {"项11目名0称语音", "项目总额", "其中：", "<", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"},
        {"^", "^", "财政资金1,228.00", "其他资金", "^", "^", "^", "^", "^"},
    };
    static const char *const P2[][MAX_COLS] = {
        {"号灯设备项目", "", "", "", "", "满意度指标", "服务对象满意度指标", "使用人员满意度", "95%"},
        {"1100002600000|0000003-餐饮服务", "90.00", "90.00", "", "保障餐饮", "产出指标", "数量指标", "就餐人次", "1000人次"},
        {"^", "^", "^", "^", "^", "满意度指标", "服务对象满意度指标", "就餐满意度", "90%"},
    };
    bpx_document *src = synth_document(2);
    long_table_page(src, 1, LT_HEADER, P1, G_N_ELEMENTS(P1));
    long_table_page(src, 2, HEADER2, P2, G_N_ELEMENTS(P2));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 3);
    const bpn_target *t = target_named(doc, "道路交通信号灯设备项目");
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->project_code, "11000026000000000002");
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 12280000) < 0.5);
        CHECK(c, t->indicators->len == 2);
        CHECK(c, find_indicator(t, TRUE, "使用人员满意度") != NULL);
    }
    t = target_named(doc, "餐饮服务");
    CHECK(c, t && t->indicators->len == 2 && find_indicator(t, TRUE, "就餐满意度") != NULL);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A block begun at the foot of page 1 with its name only: its amounts are
 * printed on page 2 beside the rest of its name, which joins the name. */
static void test_long_table_name_rest_with_amounts(check_counts *c)
{
    static const char *const P1[][MAX_COLS] = {
        {"1100002600000|0000001-宣传经费", "10.00", "10.00", "", "做好宣传", "产出指标", "数量指标", "宣传品", "100份"},
        {"1100002600000|0000002-道路交通信", "", "", "", "升级信号灯", "产出指标", "数量指标", "信号灯", "264处"},
    };
    static const char *const P2[][MAX_COLS] = {
        {"号灯设备项目", "1,228.00", "1,228.00", "", "", "满意度指标", "服务对象满意度指标", "使用人员满意度", "95%"},
        {"1100002600000|0000003-餐饮服务", "90.00", "90.00", "", "保障餐饮", "产出指标", "数量指标", "就餐人次", "1000人次"},
    };
    bpx_document *src = synth_document(2);
    long_table_page(src, 1, LT_HEADER, P1, G_N_ELEMENTS(P1));
    long_table_page(src, 2, LT_HEADER, P2, G_N_ELEMENTS(P2));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 3);
    const bpn_target *t = target_named(doc, "道路交通信号灯设备项目");
    CHECK(c, t && t->indicators->len == 2);
    CHECK(c, t && t->funds_annual.total.set && fabs(t->funds_annual.total.value - 12280000) < 0.5);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A block whose merged name cell begins empty on page 1 (its name is
 * printed where the cell's middle falls, on page 2), and page 2's grid
 * lost the rules of the name, amount and goal columns: only the indicator
 * columns make a grid, the name and amount stay text lines left of it. */
static void test_long_table_nameless_block_and_free_text(check_counts *c)
{
    static const char *const P1[][MAX_COLS] = {
        {"1100002600000|0000001-宣传经费", "10.00", "10.00", "", "做好宣传", "产出指标", "数量指标", "宣传品", "100份"},
        {"^", "^", "^", "^", "^", "效益指标", "社会效益指标", "知晓率", "90%"},
        {"", "", "", "", "", "产出指标", "数量指标", "监测报告", "30份"},
        {"^", "^", "^", "^", "^", "产出指标", "质量指标", "覆盖率", "80%"},
    };
    static const char *const P2[][MAX_COLS] = {
        {"产出指标", "时效指标", "报告及时率", "95%"},
        {"满意度指标", "服务对象满意度指标", "群众满意度", "90%"},
    };
    bpx_document *src = synth_document(2);
    long_table_page(src, 1, LT_HEADER, P1, G_N_ELEMENTS(P1));
    draw_rows(src, 2, XS9 + 5, 4, 60, P2, G_N_ELEMENTS(P2));
    synth_text(src, 2, 32, 70, FS, "1100002600000");
    synth_text(src, 2, 32, 79, FS, "0000002-传染");
    synth_text(src, 2, 32, 88, FS, "病防治项目");
    synth_text(src, 2, 115, 79, FS, "691.78");
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 2);
    const bpn_target *t = target_named(doc, "宣传经费");
    CHECK(c, t && t->indicators->len == 2);
    t = target_named(doc, "传染病防治项目");
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->project_code, "11000026000000000002");
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 6917800) < 0.5);
        CHECK(c, t->indicators->len == 4);
        CHECK(c, find_indicator(t, TRUE, "监测报告") && find_indicator(t, TRUE, "群众满意度"));
    }
    CHECK(c, doc && !in_sections(doc, "传染"));
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Page 2 of a long table whose left columns (name, amounts, goal: cells
 * merged over the page break) are printed without their top and bottom
 * rules: their column rules meet one row rule only, the one between two
 * blocks, and end at the levels of the other columns' top and bottom
 * rules.  They are the table's column edges all the same, so the name and
 * the amount of the block begun on page 2 are read apart. */
static void test_long_table_open_left_columns(check_counts *c)
{
    static const char *const P1[][MAX_COLS] = {
        {"1100002600000|0000001-宣传经费", "10.00", "10.00", "", "做好宣传", "产出指标", "数量指标", "宣传品", "100份"},
    };
    static const char *const IND2[][MAX_COLS] = {
        {"效益指标", "社会效益指标", "知晓率", "90%"},
        {"产出指标", "数量指标", "培训人次", "121人"},
        {"满意度指标", "服务对象满意度指标", "参训满意度", "90%"},
    };
    bpx_document *src = synth_document(2);
    long_table_page(src, 1, LT_HEADER, P1, G_N_ELEMENTS(P1));
    double y0 = 60, y1 = y0 + 3 * ROW_H;
    draw_rows(src, 2, XS9 + 5, 4, y0, IND2, G_N_ELEMENTS(IND2));
    for (int k = 0; k < 5; k++)
        synth_vline(src, 2, XS9[k], y0, y1);
    synth_hline(src, 2, XS9[0], XS9[5], y0 + ROW_H); /* the rule between the two blocks */
    synth_text(src, 2, XS9[0] + 2, y0 + ROW_H + 2, FS, "1100002600000");
    synth_text(src, 2, XS9[0] + 2, y0 + ROW_H + 2 + FS + 2, FS, "0000002-人才");
    synth_text(src, 2, XS9[0] + 2, y0 + ROW_H + 2 + 2 * (FS + 2), FS, "培训班");
    synth_text(src, 2, XS9[1] + 2, y0 + ROW_H + 2 + FS + 2, FS, "41.22");
    synth_text(src, 2, XS9[2] + 2, y0 + ROW_H + 2 + FS + 2, FS, "41.22");
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 2);
    const bpn_target *t = target_named(doc, "人才培训班");
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->project_code, "11000026000000000002");
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 412200) < 0.5);
        CHECK(c, t->indicators->len == 2 && find_indicator(t, TRUE, "参训满意度"));
    }
    t = target_named(doc, "宣传经费");
    CHECK(c, t && t->indicators->len == 2 && find_indicator(t, TRUE, "知晓率"));
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Glyphs the extract stage judged hidden (no ink found in their box, the
 * pixels next to rulings left out): a label with a "ruling" through its
 * middle, and a glyph beside a shown one of its line, could not be judged
 * and are kept; a glyph drawn across a cell's edge (clipped there) is
 * taken out. */
static void hide(bpx_document *src, int page, double y, int from, int to)
{
    bpx_page *p = &src->pages[page - 1];
    int k = 0;
    for (size_t i = 0; i < p->n_chars; i++)
        if (fabs(p->chars[i].box.y0 - y) < 0.01) {
            if (k >= from && k < to)
                p->chars[i].hidden = 1;
            k++;
        }
}

static void test_hidden_glyphs_judged(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 100, 60, 6, "一、绩效指标"); /* a heading: the lines below are its text */
    synth_text(src, 1, 100, 100, 10, "经济成本指标");
    hide(src, 1, 100, 0, 6);
    synth_hline(src, 1, 90, 300, 105); /* through the middle of the line */
    synth_text(src, 1, 100, 200, 10, "一般性支出情况");
    hide(src, 1, 200, 6, 7);
    synth_vline(src, 1, 163, 190, 220); /* across 况: clipped at the edge */
    synth_text(src, 1, 100, 300, 10, "产出指标数量");
    hide(src, 1, 300, 0, 1);
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc != NULL);
    if (doc) {
        CHECK(c, in_sections(doc, "经济成本指标"));
        CHECK(c, in_sections(doc, "产出指标数量"));
        CHECK(c, in_sections(doc, "一般性支出情") && !in_sections(doc, "一般性支出情况"));
        CHECK(c, has_repair(doc, "hidden_text_removed", "况", NULL));
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A header cell that took an amount overflowing from above ("项目1总0.额5")
 * still names its column, in a row that is a header by its other words. */
static void test_long_table_header_word_interleaved(check_counts *c)
{
    static const char *const HEADER[][MAX_COLS] = {
        {"项目名称", "项目1总0.额5", "其中：", "<", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"},
        {"^", "^", "财政资金", "其他资金", "^", "^", "^", "^", "^"},
    };
    static const char *const ROWS[][MAX_COLS] = {
        {"1100002600000|0000001-宣传经费", "10.50", "10.50", "", "做好宣传", "产出指标", "数量指标", "宣传品", "100份"},
    };
    bpx_document *src = synth_document(1);
    long_table_page(src, 1, HEADER, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_target *t = target_named(doc, "宣传经费");
    CHECK(c, t && t->funds_annual.total.set && fabs(t->funds_annual.total.value - 105000) < 0.5);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* One project name merged over several amount blocks (one project for
 * several units): each block, with its amounts, goal and indicators, is a
 * form of that name — also when the name is printed only on the next page,
 * where the merged cell's middle falls. */
static void test_long_table_amount_blocks(check_counts *c)
{
    static const char *const P1[][MAX_COLS] = {
        {"1100002600000|0000001-印刷服务", "16.70", "16.70", "", "证书印制", "产出指标", "数量指标", "证书", "1000本"},
        {"^", "^", "^", "^", "^", "满意度指标", "服务对象满意度指标", "使用满意度", "90%"},
        {"^", "128.56", "128.56", "", "服务企业", "产出指标", "数量指标", "刊物", "12期"},
        {"^", "^", "^", "^", "^", "效益指标", "社会效益指标", "知晓率", "90%"},
        {"", "42.00", "", "42.00", "社保宣传", "产出指标", "数量指标", "宣传片", "10期"},
        {"^", "38.20", "38.20", "", "考评宣传", "产出指标", "数量指标", "推文", "50篇"},
    };
    static const char *const P2[][MAX_COLS] = {
        {"1100002600000|0000002-宣传服务", "", "", "", "", "满意度指标", "服务对象满意度指标", "读者满意度", "95%"},
    };
    bpx_document *src = synth_document(2);
    long_table_page(src, 1, LT_HEADER, P1, G_N_ELEMENTS(P1));
    long_table_page(src, 2, LT_HEADER, P2, G_N_ELEMENTS(P2));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 4);
    double want[] = {167000, 1285600, 420000, 382000};
    const char *names[] = {"印刷服务", "印刷服务", "宣传服务", "宣传服务"};
    int n_ind[] = {2, 2, 1, 2};
    for (guint i = 0; doc && doc->targets && i < doc->targets->len && i < 4; i++) {
        const bpn_target *t = doc->targets->pdata[i];
        CHECK_STR(c, t->project, names[i]);
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - want[i]) < 0.5);
        CHECK(c, t->indicators->len == (guint)n_ind[i]);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Labels printed one glyph a line down a tall merged cell (年度总体目标,
 * 年度绩效指标) read as their words; a form of one year states its goal
 * beside 年度总体目标 and its amount beside 年度预算资金（万元）. */
static void test_vertical_labels(check_counts *c)
{
    static const double XS5[] = {30, 80, 160, 260, 420, 560};
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "<", "测绘服务项目", "<", "<"},
        {"年度预算资金（万元）", "<", "140", "<", "<"},
        {"年|度|总|体|目|标", "提供测绘保障服务", "<", "<", "<"},
        {"^", "^", "^", "^", "^"},
        {"^", "^", "^", "^", "^"},
        {"年|度|绩|效|指|标", "一级指标", "二级指标", "三级指标", "指标值"},
        {"^", "成本指标", "经济成本指标", "年度项目总成本", "≤140万元"},
        {"^", "产出指标", "数量指标", "应急地图", "1套"},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 150, 60, 14, "2026年项目支出绩效目标表");
    draw_rows(src, 1, XS5, 5, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 1);
    const bpn_target *t = target_named(doc, "测绘服务项目");
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->goal_annual, "提供测绘保障服务");
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 1400000) < 0.5);
        CHECK(c, t->indicators->len == 2);
        const bpn_indicator *i = find_indicator(t, TRUE, "应急地图");
        CHECK(c, i && g_strcmp0(i->level1, "产出指标") == 0 && g_strcmp0(i->level2, "数量指标") == 0 &&
                     g_strcmp0(i->value, "1套") == 0);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A one-year form whose amount stands beside 年度预算资金总额： under
 * 项目资金（万元）, and whose goal stands beside 总体目标 itself; the same
 * under 项目资金（千元）, a unit some offices print (yuan: 元 per unit). */
static void test_one_year_goal_and_total(check_counts *c, const char *unit, double yuan)
{
    static const double XS5[] = {30, 100, 180, 300, 420, 560};
    char *funds = g_strconcat("项目资金（", unit, "）", NULL);
    const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "<", "城市体检", "<", "<"},
        {funds, "<", "年度预算资金总额：", "87.45", "<"},
        {"^", "^", "其中：财政拨款", "87.45", "<"},
        {"总体目标", "完成城市体检报告", "<", "<", "<"},
        {"", "一级指标", "二级指标", "三级指标", "指标值"},
        {"绩效指标", "成本指标", "经济成本", "项目总成本", "≤87.45万元"},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 150, 60, 14, "2026年项目支出绩效目标表");
    draw_rows(src, 1, XS5, 5, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    const bpn_target *t = target_named(doc, "城市体检");
    CHECK(c, t != NULL);
    if (t) {
        CHECK_STR(c, t->goal_annual, "完成城市体检报告");
        CHECK_STR(c, t->amount_unit, unit);
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 87.45 * yuan) < 0.5);
        CHECK(c, t->indicators->len == 1 && find_indicator(t, TRUE, "项目总成本"));
    }
    bpn_document_free(doc);
    bpx_document_free(src);
    g_free(funds);
}

/* An income table whose row labels read like a form's (项目名称, 一般公共
 * 预算资金, 其他资金) is a table, not a form. */
static void test_income_table_is_not_form(check_counts *c)
{
    static const double XS4[] = {100, 280, 480, 600};
    static const char *const ROWS[][MAX_COLS] = {
        {"项目名称", "<", "金额"},
        {"收入总计", "<", "24,458.43"},
        {"一般公共预算资金", "小计", "24,458.43"},
        {"政府性基金", "小计", ""},
        {"其他资金", "小计", ""},
    };
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 250, 60, 14, "收入预算总表");
    draw_rows(src, 1, XS4, 3, 100, ROWS, G_N_ELEMENTS(ROWS));
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && (!doc->targets || doc->targets->len == 0));
    CHECK(c, doc && doc->tables->len == 1);
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* A form of one goal and one indicator grid, named by its title, whose
 * goal label wrapped in a narrow cell ("项目实施期|目标"): the goal is the
 * 实施期 goal and the indicators are of the scope the form states
 * (period); the same form labelled 年度目标 keeps the annual side.  The
 * fund block of one side (资金总额 | 财政拨款 | 其他资金 on rows of their
 * own) is the 年度 side. */
static void test_single_scope_goal_label(check_counts *c)
{
    static const double XS5[] = {30, 100, 180, 300, 450, 560};
    static const char *const LABELS[] = {"项目实施期|目标", "年度目标"};
    bpx_document *src = synth_document(2);
    for (int page = 1; page <= 2; page++) {
        const char *const ROWS[][MAX_COLS] = {
            {"专项资金情|况（万元）", "资金总额：", "<", "57.00", "<"},
            {"^", "财政拨款：", "<", "57.00", "<"},
            {"^", "其他资金：", "<", "0.00", "<"},
            {LABELS[page - 1], "完成修缮改造，保障值班备勤", "<", "<", "<"},
            {"绩效目标指|标", "一级指标", "二级指标", "三级指标", "目标值"},
            {"^", "成本指标", "经济成本指标", "预算执行率", "100%"},
            {"^", "产出指标", "时效指标", "改造完成及时率", "100%"},
        };
        synth_text(src, page, 120, 60, 14, page == 1 ? "甲分局_修缮改造项目绩效目标表" : "乙分局_修缮改造项目绩效目标表");
        draw_rows(src, page, XS5, 5, 100, ROWS, G_N_ELEMENTS(ROWS));
    }
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && doc->targets && doc->targets->len == 2);
    const bpn_target *t = target_named(doc, "甲分局_修缮改造项目");
    if (t) {
        CHECK_STR(c, t->goal_period, "完成修缮改造，保障值班备勤");
        CHECK(c, t->goal_annual == NULL);
        CHECK(c, t->indicators->len == 2);
        const bpn_indicator *i = find_indicator(t, FALSE, "预算执行率");
        CHECK(c, i && g_strcmp0(i->level2, "经济成本指标") == 0 && g_strcmp0(i->value, "100%") == 0);
        CHECK(c, find_indicator(t, FALSE, "改造完成及时率") != NULL);
        /* the fund block has one side, the 年度 one (资金总额): its 其他资金,
         * on a row of its own, is of that side */
        CHECK(c, t->funds_annual.total.set && fabs(t->funds_annual.total.value - 570000) < 0.5);
        CHECK(c, t->funds_annual.other.set && fabs(t->funds_annual.other.value) < 0.5);
        CHECK(c, !t->funds_period.other.set);
    } else {
        CHECK(c, t != NULL);
    }
    const bpn_target *a = target_named(doc, "乙分局_修缮改造项目");
    CHECK(c, a != NULL);
    if (a) {
        CHECK_STR(c, a->goal_annual, "完成修缮改造，保障值班备勤");
        CHECK(c, a->goal_period == NULL);
        CHECK(c, a->indicators->len == 2 && find_indicator(a, TRUE, "预算执行率") &&
                     find_indicator(a, TRUE, "改造完成及时率"));
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

int main(void)
{
    check_counts c = {0};
    test_single_form(&c);
    test_forms_over_pages(&c);
    test_layout_and_realign(&c);
    test_joined_level1(&c);
    test_table_is_not_form(&c);
    test_title_named_and_stacked(&c);
    test_long_table_lost_header(&c);
    test_text_indicators(&c);
    test_self_evaluation(&c);
    test_self_evaluation_execution(&c);
    test_self_evaluation_stated_formulas(&c);
    test_self_evaluation_unit_assumed(&c);
    test_department_fund_columns(&c);
    test_long_table_polluted_header(&c);
    test_long_table_name_rest_with_amounts(&c);
    test_long_table_nameless_block_and_free_text(&c);
    test_long_table_open_left_columns(&c);
    test_hidden_glyphs_judged(&c);
    test_long_table_header_word_interleaved(&c);
    test_long_table_amount_blocks(&c);
    test_vertical_labels(&c);
    test_one_year_goal_and_total(&c, "万元", 10000.0);
    test_one_year_goal_and_total(&c, "千元", 1000.0);
    test_income_table_is_not_form(&c);
    test_single_scope_goal_label(&c);
    return check_summary("test_forms", &c);
}
