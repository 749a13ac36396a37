/* test_formocr.c — performance-target forms read by OCR, mended by the form
 * vocabulary and the document's tables (normalize/formocr.c), and a scanner
 * footer come apart in the margin (normalize/noise.c), on grids and tables
 * built by hand. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"
#include "synth.h"

#define NC 7

/* A form as OCR reads it: 项目名称 read 项目名你, the header's 二级指标 read
 * 三级指标 and 指标值 指标什, 一级 with specks read as marks, 二级 an ideograph off, ≥ read as 二, a quote between two
 * ideographs of a 三级 text, and a 三级 text near a label word mid-row. */
static const char *const FORM[] = {
    "项目名你", "急救车司机工资", NULL, NULL, NULL, NULL, NULL,
    "主管部门及代码", "063-某某委员会", "实施单位", "某某急救中心", NULL, NULL, NULL,
    "项目属性", "经常性项目", "项目期", "1年", NULL, NULL, NULL,
    "总体目标", "实施期目标", NULL, NULL, "年度目标", NULL, NULL,
    NULL, "按时发放", NULL, NULL, "全年发放", NULL, NULL,
    "一级指标", "三级指标", "三级指标", "指标什", "二级指标", "三级指标", "指标值",
    "满意度指,.标", "服务对象满章度", "员工满意度", "二98%", "服务对象满意度", "员工满意度", "≥98%",
    "产出指标", "质量指标", "发放'准确率", "100%", "时效指标", "项目周期", "1年",
    "指标效益", "社会效益", "职工权益", "有效保障", "社会效益", "职工权益", "有效保障",
};

static bpn_document *read_form(gboolean ocr, gboolean repair, gboolean name_label_read, GPtrArray **blocks_out)
{
    const char *form[G_N_ELEMENTS(FORM)];
    memcpy(form, FORM, sizeof form);
    if (name_label_read) /* and 二级指标 read as printed */
        form[0] = "项目名称", form[5 * NC + 1] = "二级指标", form[5 * NC + 3] = "指标值";
    bpn_document *d = bpn_document_new();
    int one = 1;
    if (ocr)
        g_array_append_val(d->source.ocr_pages, one);
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_grid(blocks, 1, 100, G_N_ELEMENTS(FORM) / NC, NC, form);
    /* a table's grid on the same page: its cells are no form's */
    static const char *const TABLE[] = {"科目名称", "项目支山", "合计", "一般公共服务支出", "10.00", "10.00"};
    tb_grid(blocks, 1, 400, 2, 3, TABLE);
    bpn_forms_build_ocr(d, blocks, repair);
    if (blocks_out)
        *blocks_out = blocks;
    else
        g_ptr_array_unref(blocks);
    return d;
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

static const bpn_indicator *indicator(const bpn_target *t, gboolean annual, const char *level3)
{
    for (guint i = 0; t && i < t->indicators->len; i++) {
        const bpn_indicator *ind = t->indicators->pdata[i];
        if (ind->annual == annual && g_strcmp0(ind->level3, level3) == 0)
            return ind;
    }
    return NULL;
}

static void test_labels_snapped(check_counts *c)
{
    GPtrArray *blocks = NULL;
    bpn_document *d = read_form(TRUE, TRUE, FALSE, &blocks);
    CHECK(c, d->targets && d->targets->len == 1);
    const bpn_target *t = d->targets && d->targets->len ? d->targets->pdata[0] : NULL;
    CHECK_STR(c, t ? t->project : NULL, "急救车司机工资");
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "项目名你", "项目名称"));
    const bpn_indicator *i = indicator(t, FALSE, "员工满意度");
    CHECK(c, i != NULL);
    CHECK_STR(c, i ? i->level1 : NULL, "满意度指标");
    CHECK_STR(c, i ? i->level2 : NULL, "服务对象满意度");
    CHECK_STR(c, i ? i->value : NULL, "≥98%");
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "满意度指,.标", "满意度指标"));
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "服务对象满章度", "服务对象满意度"));
    CHECK(c, has_repair(d, "ocr_value_lookalike", "二98%", "≥98%"));
    /* 年度目标 beside 实施期目标 is itself, no 年度目标值 misread */
    CHECK_STR(c, t ? t->goal_annual : NULL, "全年发放");
    CHECK(c, !has_repair(d, "ocr_label_by_vocabulary", "年度目标", NULL));
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "三级指标", "二级指标"));
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "指标什", "指标值"));
    i = indicator(t, FALSE, "职工权益");
    CHECK_STR(c, i ? i->level1 : NULL, "效益指标");
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "指标效益", "效益指标"));
    i = indicator(t, FALSE, "发放准确率");
    CHECK(c, i && g_strcmp0(i->value, "100%") == 0);
    CHECK(c, has_repair(d, "ocr_speck_removed", "发放'准确率", "发放准确率"));
    /* a label's word in the middle of a row is an indicator's text: kept */
    i = indicator(t, TRUE, "项目周期");
    CHECK(c, i && g_strcmp0(i->value, "1年") == 0);
    /* the annual side's ≥ as read stays */
    i = indicator(t, TRUE, "员工满意度");
    CHECK_STR(c, i ? i->value : NULL, "≥98%");
    /* the table's grid keeps its cells as read */
    const bpn_block *tb = blocks->pdata[1];
    CHECK_STR(c, tb->grid->text[1], "项目支山");
    CHECK(c, !tb->used);
    g_ptr_array_unref(blocks);
    bpn_document_free(d);

    /* --no-ocr-repair, and a page with a text layer: as printed; with
     * two labels of its header block read, the grid is no form */
    for (int k = 0; k < 2; k++) {
        d = read_form(k == 0, k != 0, FALSE, NULL);
        CHECK(c, d->targets && d->targets->len == 0);
        bpn_document_free(d);
        d = read_form(k == 0, k != 0, TRUE, NULL);
        t = d->targets && d->targets->len ? d->targets->pdata[0] : NULL;
        i = indicator(t, FALSE, "员工满意度");
        CHECK(c, i && g_strcmp0(i->level1, "满意度指,.标") == 0 && g_strcmp0(i->level2, "服务对象满章度") == 0 &&
                     g_strcmp0(i->value, "二98%") == 0);
        CHECK(c, indicator(t, FALSE, "发放'准确率") != NULL);
        CHECK(c, d->repairs->len == 0);
        bpn_document_free(d);
    }
}

static bpn_target *target(const char *project, int page)
{
    bpn_target *t = g_new0(bpn_target, 1);
    t->project = g_strdup(project);
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    g_array_append_val(t->pages, page);
    t->indicators = g_ptr_array_new_with_free_func(NULL);
    return t;
}

/* Names of forms read by OCR set to a table cell's name a character away
 * that the document's texts support better (预拨 printed in a form's
 * text), a speck taken out of a name; a table's reading with a speck, two
 * names as near, a table's reading the texts do not support (产重 for
 * 严重) and one of another length (鉴定经费 for the form's 鉴定费) change
 * nothing. */
static void test_names_by_table(check_counts *c)
{
    bpn_document *d = bpn_document_new();
    for (int p = 1; p <= 2; p++)
        g_array_append_val(d->source.ocr_pages, p);
    static const char *header[][TB_W] = {{"项目名称", "金额"}};
    static const char *rows[][TB_W] = {
        {"急救车司机工资及社保费（预拨剩余）", "67.26"},
        {"急救设备更新、维护费.(预氢)", "13.09"},
        {"某某专项经费甲", "1.00"},
        {"某某专项经费乙", "1.00"},
        {"产重精神障碍患者救治经费", "2.00"},
        {"预防接种异常反应鉴定经费", "3.00"},
    };
    g_ptr_array_add(d->tables, tb_table(1, "项目支出预算表", "万元", 2, header, 1, rows, G_N_ELEMENTS(rows)));
    d->targets = g_ptr_array_new_with_free_func(bpn_target_free);
    bpn_target *first = target("急救车司机工资及社保费(预拔剩余)", 2);
    first->overview = g_strdup("减去提前下达金额，预拨剩余金额43.09万元；严重精神障碍患者救治");
    g_ptr_array_add(d->targets, first);
    g_ptr_array_add(d->targets, target("医疗服务(公立医院综合改革),补助资金", 2));
    g_ptr_array_add(d->targets, target("急救设备更新、维护费(预拨)", 2));
    g_ptr_array_add(d->targets, target("某某专项经费丙", 2));
    g_ptr_array_add(d->targets, target("急救车司机工资及社保费(预拔剩余)", 3)); /* a text page */
    g_ptr_array_add(d->targets, target("严重精神障碍患者救治经费", 2));
    g_ptr_array_add(d->targets, target("预防接种异常反应鉴定费", 2));
    bpn_forms_ocr_names(d);
    const char *want[] = {"急救车司机工资及社保费（预拨剩余）", "医疗服务(公立医院综合改革)补助资金",
                          "急救设备更新、维护费(预拨)", "某某专项经费丙", "急救车司机工资及社保费(预拔剩余)",
                          "严重精神障碍患者救治经费", "预防接种异常反应鉴定费"};
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        CHECK_STR(c, ((bpn_target *)d->targets->pdata[i])->project, want[i]);
    CHECK(c, has_repair(d, "ocr_name_by_table", "急救车司机工资及社保费(预拔剩余)", "急救车司机工资及社保费（预拨剩余）"));
    CHECK(c, has_repair(d, "ocr_speck_removed", "医疗服务(公立医院综合改革),补助资金", "医疗服务(公立医院综合改革)补助资金"));
    CHECK(c, d->repairs->len == 2);
    bpn_document_free(d);
}

/* A document whose pages 1..pages were read by OCR, with no form yet. */
static bpn_document *ocr_forms_document(int pages)
{
    bpn_document *d = bpn_document_new();
    for (int p = 1; p <= pages; p++)
        g_array_append_val(d->source.ocr_pages, p);
    d->targets = g_ptr_array_new_with_free_func(bpn_target_free);
    return d;
}

/* A disclosure of forms only, no table to name a form by: an ideograph of
 * a name read by OCR that the document prints nowhere else (且 of 补且资金)
 * takes the one ideograph its neighbours stand beside elsewhere; an
 * ideograph the document prints elsewhere (和, beside the next form's 及)
 * and a name with no ideograph supported so (转租租金) stay as read. */
static void test_names_by_context(check_counts *c)
{
    bpn_document *d = ocr_forms_document(3);
    bpn_target *a = target("中央财政公立医院综合改革补助资金", 1);
    a->basis = g_strdup("关于下达公立医院综合改革补助资金的通知");
    a->plan = g_strdup("给予补助资金，资金用于补助职工工资和采暖费");
    bpn_target *b = target("公立医院人员经费和社保缴费补助", 2);
    b->overview = g_strdup("补助全院职工工资及社保缴费");
    bpn_target *e = target("公立医院人员经费及社保缴费补且资金", 3);
    e->plan = g_strdup("按时发放人员经费及社保缴费，经费及社保足额保障");
    bpn_target *f = target("原妇产医院转租租金", 3);
    f->overview = g_strdup("旧址对外出租，租金用于偿还债务");
    g_ptr_array_add(d->targets, a);
    g_ptr_array_add(d->targets, b);
    g_ptr_array_add(d->targets, e);
    g_ptr_array_add(d->targets, f);
    bpn_forms_ocr_consensus(d);
    CHECK_STR(c, e->project, "公立医院人员经费及社保缴费补助资金");
    CHECK_STR(c, b->project, "公立医院人员经费和社保缴费补助");
    CHECK_STR(c, a->project, "中央财政公立医院综合改革补助资金");
    CHECK_STR(c, f->project, "原妇产医院转租租金");
    CHECK(c, has_repair(d, "ocr_name_by_context", "公立医院人员经费及社保缴费补且资金", "公立医院人员经费及社保缴费补助资金"));
    CHECK(c, d->repairs->len == 1);
    bpn_document_free(d);
}

/* Readings of one name that disagree where the document's counts cannot
 * decide (预氢 thrice, 预拔 twice, 预拨 once): the ideograph the domain's
 * vocabulary prints (拨 of 拨款) is taken, where the document prints the
 * place with it (预拨剩余); a rare ideograph read alike (紧急 of 阳泉市紧急医疗)
 * stays although the document prints 市应急 elsewhere, and so does one
 * the document never prints otherwise, and one it reads two ways only
 * (财政局 beside 财政厅, 素养 beside a misread 于养: two words as often). */
static void test_names_by_vocabulary(check_counts *c)
{
    bpn_document *d = ocr_forms_document(4);
    bpn_target *a = target("司机工资及社保费（预氢剩余）", 1);
    a->overview = g_strdup("发放预氢剩余的工资，预氢剩余部分");
    bpn_target *b = target("医生工资及社保费（预拔剩余）", 2);
    b->plan = g_strdup("预拔剩余金额按月发放，预拨剩余部分");
    bpn_target *e = target("阳泉市紧急医疗救援中心经费", 3);
    e->overview = g_strdup("配合市应急管理局，市紧急医疗");
    bpn_target *f = target("设备运氢维护费", 4);
    f->basis = g_strdup("市财政局关于下达资金的通知");
    f->plan = g_strdup("按省财政厅关于下达资金的通知，健康素养促进，健康于养促进");
    bpn_target *h = target("财政局关于下达健康素养促进资金", 4);
    g_ptr_array_add(d->targets, a);
    g_ptr_array_add(d->targets, b);
    g_ptr_array_add(d->targets, e);
    g_ptr_array_add(d->targets, f);
    g_ptr_array_add(d->targets, h);
    bpn_forms_ocr_consensus(d);
    CHECK_STR(c, a->project, "司机工资及社保费（预拨剩余）");
    CHECK_STR(c, b->project, "医生工资及社保费（预拨剩余）");
    CHECK_STR(c, e->project, "阳泉市紧急医疗救援中心经费");
    CHECK_STR(c, f->project, "设备运氢维护费");
    CHECK_STR(c, h->project, "财政局关于下达健康素养促进资金");
    CHECK(c, has_repair(d, "ocr_name_by_vocabulary", "司机工资及社保费（预氢剩余）", "司机工资及社保费（预拨剩余）"));
    CHECK(c, has_repair(d, "ocr_name_by_vocabulary", "医生工资及社保费（预拔剩余）", "医生工资及社保费（预拨剩余）"));
    CHECK(c, d->repairs->len == 2);
    bpn_document_free(d);
}

static void add_indicator(bpn_target *t, gboolean annual, const char *l2, const char *l3, const char *value)
{
    bpn_indicator *i = g_new0(bpn_indicator, 1);
    i->annual = annual;
    i->level1 = g_strdup("产出指标");
    i->level2 = g_strdup(l2);
    i->level3 = g_strdup(l3);
    i->value = g_strdup(value);
    i->page = 1;
    g_ptr_array_add(t->indicators, i);
}

/* The two sides of a form read one indicator differently by an ideograph:
 * the reading the document's other texts support takes both; a value that
 * differs between the sides with no such support, digits, and a pair of
 * texts two ideographs apart stay as read. */
static void test_sides_consensus(check_counts *c)
{
    bpn_document *d = ocr_forms_document(1);
    bpn_target *t = target("城市癌症筛查", 1);
    t->overview = g_strdup("开展城市癌症早诊早治筛查，较上年提高筛查人数；较上年扩大筛查范围，按照规定按照标准；应发尺发");
    add_indicator(t, FALSE, "质量指标", "城市癌症早诊早治筑查合格率", "较上年提高");
    add_indicator(t, TRUE, "质量指标", "城市癌症早诊早治筛查合格率", "较土年提高");
    add_indicator(t, FALSE, "时效指标", "筛查完成时间", "按月发放");
    add_indicator(t, TRUE, "时效指标", "筛查完成时间", "按季发放");
    add_indicator(t, FALSE, "数量指标", "补助在职职工人数", "256人");
    add_indicator(t, TRUE, "数量指标", "补助退休职工人数", "214人");
    /* a glyph misread the same way elsewhere too (尽 as 尺, 2 of 3): no
     * side wins; a mark of the CJK blocks is no ideograph to settle */
    add_indicator(t, FALSE, "社会效益", "应发尽发率", "有效保障");
    add_indicator(t, TRUE, "社会效益", "应发尺发率", "有效保障");
    add_indicator(t, FALSE, "可持续影响", "提高救治救援能力", "有效提高");
    add_indicator(t, TRUE, "可持续影响", "提高救治救援能、力", "有效提高");
    /* the period's value cut off at a fixed width */
    add_indicator(t, FALSE, "成本指标", "采暖费发放标准", "按照5600元,4480元");
    add_indicator(t, TRUE, "成本指标", "采暖费发放标准", "竣照5600元,4480元,3920元四项标准发放");
    g_ptr_array_add(d->targets, t);
    bpn_forms_ocr_consensus(d);
    CHECK_STR(c, ((bpn_indicator *)t->indicators->pdata[11])->value, "按照5600元,4480元,3920元四项标准发放");
    CHECK_STR(c, ((bpn_indicator *)t->indicators->pdata[10])->value, "按照5600元,4480元");
    CHECK_STR(c, ((bpn_indicator *)t->indicators->pdata[6])->level3, "应发尽发率");
    CHECK_STR(c, ((bpn_indicator *)t->indicators->pdata[7])->level3, "应发尺发率");
    CHECK_STR(c, ((bpn_indicator *)t->indicators->pdata[9])->level3, "提高救治救援能、力");
    const bpn_indicator *x[6];
    for (int k = 0; k < 6; k++)
        x[k] = t->indicators->pdata[k];
    CHECK_STR(c, x[0]->level3, "城市癌症早诊早治筛查合格率");
    CHECK_STR(c, x[1]->level3, "城市癌症早诊早治筛查合格率");
    CHECK_STR(c, x[1]->value, "较上年提高");
    CHECK_STR(c, x[2]->value, "按月发放");
    CHECK_STR(c, x[3]->value, "按季发放");
    CHECK_STR(c, x[4]->level3, "补助在职职工人数");
    CHECK_STR(c, x[5]->level3, "补助退休职工人数");
    CHECK(c, has_repair(d, "ocr_reading_by_context", "城市癌症早诊早治筑查合格率", "城市癌症早诊早治筛查合格率"));
    CHECK(c, has_repair(d, "ocr_reading_by_context", "较土年提高", "较上年提高"));
    CHECK(c, d->repairs->len == 3);
    for (guint k = 0; k < t->indicators->len; k++) {
        bpn_indicator *i = t->indicators->pdata[k];
        g_free(i->level1), g_free(i->level2), g_free(i->level3), g_free(i->value), g_free(i);
    }
    g_ptr_array_set_size(t->indicators, 0);
    bpn_document_free(d);
}

/* Indicators written as text and read by OCR: an item's number and a
 * speck before a 一级 word, an ideograph read before another, marks at the
 * ends of texts; a cut 二级 as printed, a minus and a comparison sign
 * stay. */
static void test_indicator_tidy(check_counts *c)
{
    bpn_document *d = ocr_forms_document(1);
    bpn_target *t = target("某某专项", 1);
    add_indicator(t, TRUE, "服务对象满意度指", "补助单位.", "`214人/年");
    add_indicator(t, TRUE, "社会效益指标", "工资补助发放时间", "-5%");
    add_indicator(t, TRUE, "质量指标", "合格率", ">=98%,");
    g_free(((bpn_indicator *)t->indicators->pdata[0])->level1);
    ((bpn_indicator *)t->indicators->pdata[0])->level1 = g_strdup("\"6.效益指标");
    g_free(((bpn_indicator *)t->indicators->pdata[1])->level1);
    ((bpn_indicator *)t->indicators->pdata[1])->level1 = g_strdup("7了满意度指标");
    g_ptr_array_add(d->targets, t);
    bpn_forms_ocr_consensus(d);
    const bpn_indicator *a = t->indicators->pdata[0], *b = t->indicators->pdata[1], *x = t->indicators->pdata[2];
    CHECK_STR(c, a->level1, "效益指标");
    CHECK_STR(c, a->level2, "服务对象满意度指");
    CHECK_STR(c, a->level3, "补助单位");
    CHECK_STR(c, a->value, "214人/年");
    CHECK_STR(c, b->level1, "满意度指标");
    CHECK_STR(c, b->value, "-5%");
    CHECK_STR(c, x->value, ">=98%");
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "\"6.效益指标", "效益指标"));
    CHECK(c, has_repair(d, "ocr_speck_removed", "补助单位.", "补助单位"));
    for (guint k = 0; k < t->indicators->len; k++) {
        bpn_indicator *i = t->indicators->pdata[k];
        g_free(i->level1), g_free(i->level2), g_free(i->level3), g_free(i->value), g_free(i);
    }
    g_ptr_array_set_size(t->indicators, 0);
    bpn_document_free(d);
}

static void free_indicators(bpn_target *t)
{
    for (guint k = 0; k < t->indicators->len; k++) {
        bpn_indicator *i = t->indicators->pdata[k];
        g_free(i->level1), g_free(i->level2), g_free(i->level3), g_free(i->value), g_free(i);
    }
    g_ptr_array_set_size(t->indicators, 0);
}

static bpn_indicator *add_benefit(bpn_target *t, gboolean annual, const char *l2, const char *l3, const char *value)
{
    add_indicator(t, annual, l2, l3, value);
    bpn_indicator *i = t->indicators->pdata[t->indicators->len - 1];
    g_free(i->level1);
    i->level1 = g_strdup("效益指标");
    return i;
}

/* A 二级 label OCR could not read on one side (wrapped over two lines in a
 * cell too small: "红而双鱼垣标") takes the other side's for the same 一级
 * and 三级指标 (a digit among its glyphs or not); a 二级 that is a word or a
 * cut-off word, a reading far longer than the word, one whose 三级指标 the
 * other side does not print, and one whose other side reads no word stay
 * as read.  A row printed on one side only takes the word of its 一级 its
 * 二级 is nearest (an edit per two characters), where no other word is as
 * near within two edits: 可持殉彩吧指标 does; 经会效益指标 (经济? 社会?)
 * and 可抹开有形则指标 (five edits) stay. */
static void test_level2_by_other_side(check_counts *c)
{
    bpn_document *d = ocr_forms_document(1);
    bpn_target *t = target("市四院专项保障资金", 1);
    add_benefit(t, FALSE, "经济效益指标", "保障四院经济正常运转", "有效保障");
    bpn_indicator *a = add_benefit(t, TRUE, "红而双鱼垣标", "保障四院经济正常运转", "有效保障");
    add_benefit(t, FALSE, "可持续影响指标", "保障医院持续良", "有效保障");
    bpn_indicator *b = add_benefit(t, TRUE, "可抹开有形则指标", "保障医院持续良", "有效保障");
    add_benefit(t, FALSE, "社会效益指标", "提升医院救治能力", "有效提升");
    bpn_indicator *e = add_benefit(t, TRUE, "社会效益", "提升医院救治能力", "有效提升");
    bpn_indicator *f = add_benefit(t, TRUE, "服务对象满意度指", "提升医院救治能力", "有效提升");
    bpn_indicator *g = add_benefit(t, TRUE, "由工安骏全后标某某某某", "提升医院救治能力", "有效提升");
    bpn_indicator *h = add_benefit(t, TRUE, "人氏全双全折标", "医院门诊人次数", "较上年下降");
    add_benefit(t, FALSE, "吸方双鹏网忌度", "职工满意度", "≥98%");
    bpn_indicator *k = add_benefit(t, TRUE, "上朋友邓网音度指", "职工满意度", "≥98%");
    /* a digit read among the glyphs; a row printed on one side only, its
     * 二级 nearest one word of its 一级 by far, by a little, and far */
    add_benefit(t, FALSE, "社会效益指标", "提升医院救治能力，提高", "有效提升");
    bpn_indicator *m = add_benefit(t, TRUE, "4代云双生机标", "提升医院救治能力，提高", "有效提升");
    bpn_indicator *n1 = add_benefit(t, TRUE, "可持殉彩吧指标", "公立医院万元收", "较上年降低");
    bpn_indicator *n2 = add_benefit(t, TRUE, "经会效益指标", "门诊人次", "较上年降低");
    bpn_indicator *n3 = add_benefit(t, TRUE, "可抹开有形则指标", "医院持续运转", "有效保障");
    g_ptr_array_add(d->targets, t);
    bpn_forms_ocr_consensus(d);
    CHECK_STR(c, a->level2, "经济效益指标");
    CHECK_STR(c, b->level2, "可持续影响指标");
    CHECK_STR(c, e->level2, "社会效益");
    CHECK_STR(c, f->level2, "服务对象满意度指");
    CHECK_STR(c, g->level2, "由工安骏全后标某某某某");
    CHECK_STR(c, h->level2, "人氏全双全折标");
    CHECK_STR(c, k->level2, "上朋友邓网音度指");
    CHECK(c, has_repair(d, "ocr_label_by_other_side", "红而双鱼垣标", "经济效益指标"));
    CHECK(c, has_repair(d, "ocr_label_by_other_side", "可抹开有形则指标", "可持续影响指标"));
    CHECK_STR(c, m->level2, "社会效益指标");
    CHECK(c, has_repair(d, "ocr_label_by_other_side", "4代云双生机标", "社会效益指标"));
    CHECK_STR(c, n1->level2, "可持续影响指标");
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "可持殉彩吧指标", "可持续影响指标"));
    CHECK_STR(c, n2->level2, "经会效益指标");
    CHECK_STR(c, n3->level2, "可抹开有形则指标");
    CHECK(c, d->repairs->len == 4);
    free_indicators(t);
    bpn_document_free(d);
}

/* The ≥ of a value read as another glyph or two ("过98%", "=>98%", ">97%")
 * takes the sign the document prints before the same value of the same
 * 三级指标 elsewhere; a value whose 三级指标 is printed with no sign, or
 * with both signs, or another value, and a value read with its sign,
 * stay as read; => (no print's spelling) and 二 before the digits of a
 * value written as text are ≥ wherever.  A per cent sign read as 9%
 * after a rate of 50 to 100 is put right; 29%, 109%, 1209% stay. */
static void test_value_signs(check_counts *c)
{
    bpn_document *d = ocr_forms_document(2);
    bpn_target *t = target("市四院专项保障资金", 1);
    add_indicator(t, FALSE, "服务对象满意度", "患者满意度", "≥98%");
    bpn_indicator *a = add_benefit(t, TRUE, "服务对象满意度指", "患者满意度", "过98%");
    bpn_indicator *b = add_benefit(t, TRUE, "服务对象满意度指", "职工满意度", ">97%");
    bpn_indicator *e = add_benefit(t, TRUE, "服务对象满意度指", "群众满意度", "=95%");
    bpn_indicator *f = add_benefit(t, TRUE, "服务对象满意度指", "患者满意度", "=>96%");
    bpn_indicator *g = add_benefit(t, TRUE, "质量指标", "差错率", "=1%");
    bpn_indicator *h = add_benefit(t, TRUE, "质量指标", "患者满意度", "≥98%");
    g_ptr_array_add(d->targets, t);
    bpn_target *u = target("公立医院人员经费补助", 2);
    add_indicator(u, FALSE, "服务对象满意度", "职工满意度", "≥97%");
    add_indicator(u, FALSE, "服务对象满意度", "群众满意度", "95%");
    add_indicator(u, FALSE, "质量指标", "差错率", "≤1%");
    add_indicator(u, TRUE, "质量指标", "差错率", "≥1%");
    bpn_indicator *k = add_benefit(u, TRUE, "服务对象满意度指", "患者满意度", "=>98%");
    /* values of indicators written as text: ≥ read as => or 二 */
    bpn_indicator *v1 = add_benefit(u, TRUE, "服务对象满意度指", "住户满意度", "=>93%");
    bpn_indicator *v2 = add_benefit(u, TRUE, "服务对象满意度指", "村民满意度", "二91%");
    /* % read as 9%: a rate of 50 to 100 before the 9; others stay */
    bpn_indicator *r1 = add_benefit(u, TRUE, "质量指标", "早诊率", "≥709%");
    bpn_indicator *r2 = add_benefit(u, TRUE, "质量指标", "应发尽发率", "1009%");
    bpn_indicator *r3 = add_benefit(u, TRUE, "质量指标", "检出率", "≥29%");
    bpn_indicator *r4 = add_benefit(u, TRUE, "质量指标", "完成率", "109%");
    bpn_indicator *r5 = add_benefit(u, TRUE, "质量指标", "增长率", "≥1209%");
    bpn_indicator *r6 = add_benefit(u, TRUE, "质量指标", "合格率", "99%");
    g_ptr_array_add(d->targets, u);
    bpn_forms_ocr_consensus(d);
    CHECK_STR(c, a->value, "≥98%");
    CHECK_STR(c, b->value, "≥97%");
    CHECK_STR(c, k->value, "≥98%");
    CHECK_STR(c, e->value, "=95%");
    CHECK_STR(c, f->value, "≥96%"); /* => spells no print sign: ≥ anyway */
    CHECK_STR(c, g->value, "=1%");
    CHECK_STR(c, h->value, "≥98%");
    CHECK(c, has_repair(d, "ocr_value_lookalike", "过98%", "≥98%"));
    CHECK(c, has_repair(d, "ocr_value_lookalike", ">97%", "≥97%"));
    CHECK(c, has_repair(d, "ocr_value_lookalike", "=>98%", "≥98%"));
    CHECK_STR(c, v1->value, "≥93%");
    CHECK_STR(c, v2->value, "≥91%");
    CHECK(c, has_repair(d, "ocr_value_lookalike", "=>93%", "≥93%"));
    CHECK_STR(c, r1->value, "≥70%");
    CHECK_STR(c, r2->value, "100%");
    CHECK_STR(c, r3->value, "≥29%");
    CHECK_STR(c, r4->value, "109%");
    CHECK_STR(c, r5->value, "≥1209%");
    CHECK_STR(c, r6->value, "99%");
    CHECK(c, has_repair(d, "ocr_value_lookalike", "≥709%", "≥70%"));
    CHECK(c, d->repairs->len == 8);
    free_indicators(t);
    free_indicators(u);
    bpn_document_free(d);
}

/* The two sides read one indicator's texts alike but for marks: a mark of
 * Chinese print read as an ASCII one on one side (、 as : or .) takes the
 * print's, a speck's mark on one side only goes (both sides take the
 * text, the one cut off at a fixed width over its length); a lone curly
 * quote goes, and a 、 between ideographs the document prints side by
 * side often and apart nowhere else; a comma where the other side prints
 * commas, a point between digits, and a 、 on one side only between
 * ideographs printed side by side once stay as read; a glyph that differs
 * stays each side's.  A dash read before a value goes where the other side prints
 * the value without it; a dash before a value printed so nowhere stays. */
static void test_marks_by_other_side(check_counts *c)
{
    bpn_document *d = ocr_forms_document(1);
    bpn_target *t = target("公立医院人员经费补助", 1);
    bpn_indicator *p1 = add_benefit(t, FALSE, "社会效益指标", "工资发放标准", "按照四项工资(薪级、岗位、基础性绩效)标准补助");
    bpn_indicator *a1 = add_benefit(t, TRUE, "社会效益指标", "工资发放标准", "按照四项工资(薪级:岗位、基础,性绩效)标准补助");
    bpn_indicator *p2 = add_benefit(t, FALSE, "社会效益指标", "采暖费发放标准", "按照5600元、3920元、4480元、\"3360元标准发放");
    bpn_indicator *a2 = add_benefit(t, TRUE, "社会效益指标", "采暖费发放标准", "按照5600元、3920元.4480元、3360元标准发放");
    bpn_indicator *p3 = add_benefit(t, FALSE, "社会效益指标", "取暖费标准", "按照5600元,4480元,3920元");
    bpn_indicator *a3 = add_benefit(t, TRUE, "社会效益指标", "取暖费标准", "按照5600元,4480元3920元");
    bpn_indicator *p4 = add_benefit(t, FALSE, "社会效益指标", "补助金额", "12.5万元");
    bpn_indicator *a4 = add_benefit(t, TRUE, "社会效益指标", "补助金额", "125万元");
    bpn_indicator *p5 = add_benefit(t, FALSE, "社会效益指标", "救治救援能力", "有效提高");
    bpn_indicator *a5 = add_benefit(t, TRUE, "社会效益指标", "救治救援能力", "有效、提高");
    bpn_indicator *p6 = add_benefit(t, FALSE, "社会效益指标", "保障职工权益", "有效保障:职工权益");
    bpn_indicator *a6 = add_benefit(t, TRUE, "社会效益指标", "保障职工权益", "有效保陣、职工权益");
    bpn_indicator *p7 = add_benefit(t, FALSE, "社会效益指标", "医院门诊人次数与住院人", "较上年下降");
    bpn_indicator *a7 = add_benefit(t, TRUE, "社会效益指标", "医院门诊人次数", "一较上年下降");
    bpn_indicator *a8 = add_benefit(t, TRUE, "社会效益指标", "医院正常运转", "一有效保障");
    /* the period's text cut off at a fixed width; a lone curly quote */
    bpn_indicator *p9 = add_benefit(t, FALSE, "社会效益指标", "薪级工资标准", "按照四项工资(薪级:岗位");
    bpn_indicator *a9 = add_benefit(t, TRUE, "社会效益指标", "薪级工资标准", "按照四项工资(薪级、岗位、基础性绩效)标准补助");
    bpn_indicator *p10 = add_benefit(t, FALSE, "社会效益指标", "取暖补贴标准", "娶照5600元、3360元标准发放");
    bpn_indicator *a10 = add_benefit(t, TRUE, "社会效益指标", "取暖补贴标准", "按照5600元、“3360元标准发放");
    /* a 、 on one side only between two ideographs the document prints
     * side by side (收集, three times) and apart nowhere else */
    bpn_indicator *p12 = add_benefit(t, FALSE, "社会效益指标", "筛查完成人数", ">310人");
    bpn_indicator *a12 = add_benefit(t, TRUE, "社会效益指标", "筛查完成人数", ">=310人");
    bpn_indicator *p11 = add_benefit(t, FALSE, "社会效益指标", "生物样本收集费用", "按样本收集数量结算");
    bpn_indicator *a11 = add_benefit(t, TRUE, "社会效益指标", "生物样本收集费用", "按样本收、集数量结算");
    g_ptr_array_add(d->targets, t);
    bpn_forms_ocr_consensus(d);
    CHECK_STR(c, p1->value, "按照四项工资(薪级、岗位、基础性绩效)标准补助");
    CHECK_STR(c, a1->value, "按照四项工资(薪级、岗位、基础性绩效)标准补助");
    CHECK_STR(c, p2->value, "按照5600元、3920元、4480元、3360元标准发放");
    CHECK_STR(c, a2->value, "按照5600元、3920元、4480元、3360元标准发放");
    CHECK_STR(c, a3->value, "按照5600元,4480元3920元");
    CHECK_STR(c, p3->value, "按照5600元,4480元,3920元");
    CHECK_STR(c, p4->value, "12.5万元");
    CHECK_STR(c, a4->value, "125万元");
    CHECK_STR(c, p5->value, "有效提高");
    CHECK_STR(c, a5->value, "有效、提高");
    CHECK_STR(c, p6->value, "有效保障、职工权益");
    CHECK_STR(c, a6->value, "有效保陣、职工权益");
    CHECK_STR(c, p9->value, "按照四项工资(薪级、岗位");
    CHECK_STR(c, a9->value, "按照四项工资(薪级、岗位、基础性绩效)标准补助");
    /* and then the ideograph by the document's counts (按照 printed often) */
    CHECK_STR(c, p10->value, "按照5600元、3360元标准发放");
    CHECK_STR(c, a10->value, "按照5600元、3360元标准发放");
    CHECK_STR(c, a7->value, "较上年下降");
    CHECK_STR(c, a8->value, "一有效保障");
    CHECK(c, has_repair(d, "ocr_marks_by_other_side", "按照四项工资(薪级:岗位、基础,性绩效)标准补助",
                        "按照四项工资(薪级、岗位、基础性绩效)标准补助"));
    CHECK(c, has_repair(d, "ocr_marks_by_other_side", "按照5600元、3920元、4480元、\"3360元标准发放",
                        "按照5600元、3920元、4480元、3360元标准发放"));
    CHECK(c, has_repair(d, "ocr_value_lookalike", "一较上年下降", "较上年下降"));
    CHECK(c, has_repair(d, "ocr_marks_by_other_side", "按照四项工资(薪级:岗位", "按照四项工资(薪级、岗位"));
    CHECK(c, has_repair(d, "ocr_marks_by_other_side", "按照5600元、“3360元标准发放", "按照5600元、3360元标准发放"));
    CHECK(c, has_repair(d, "ocr_reading_by_context", "娶照5600元、3360元标准发放", "按照5600元、3360元标准发放"));
    CHECK_STR(c, p12->value, ">310人"); /* a comparison sign is print */
    CHECK_STR(c, a12->value, ">=310人");
    CHECK_STR(c, p11->value, "按样本收集数量结算");
    CHECK_STR(c, a11->value, "按样本收集数量结算");
    CHECK(c, has_repair(d, "ocr_marks_by_other_side", "按样本收、集数量结算", "按样本收集数量结算"));
    CHECK(c, d->repairs->len == 9);
    (void)p7;
    free_indicators(t);
    bpn_document_free(d);
}

/* A form of one year whose indicators are written as text in one cell,
 * read by OCR: the separator after a 一级 read as a colon (the item's
 * value colon read ASCII) still parts the levels, and a colon a speck adds
 * after a comma goes.  On a page with a text layer the item is read as
 * printed: the first colon ends its levels. */
static void test_text_indicators_colon(check_counts *c)
{
    static const char *const TEXT_FORM[] = {
        "项目名称", "原妇产医院转租租金",
        "主管部门", "063-某某委员会",
        "实施单位", "某某医院",
        "年度目标", "保障医院正常运转",
        "年度绩效指标", "1.产出指标-数量指标-出租面积：4358.85平方米；2.效益指标：社会效益指标-提升医院救治能力，:提高:有效提升",
    };
    for (int ocr = 1; ocr >= 0; ocr--) {
        bpn_document *d = bpn_document_new();
        int one = 1;
        if (ocr)
            g_array_append_val(d->source.ocr_pages, one);
        GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
        tb_grid(blocks, 1, 100, G_N_ELEMENTS(TEXT_FORM) / 2, 2, TEXT_FORM);
        bpn_forms_build_ocr(d, blocks, TRUE);
        const bpn_target *t = d->targets && d->targets->len == 1 ? d->targets->pdata[0] : NULL;
        CHECK(c, t != NULL);
        const bpn_indicator *i = indicator(t, TRUE, "出租面积");
        CHECK_STR(c, i ? i->value : NULL, "4358.85平方米");
        const bpn_indicator *b = NULL;
        for (guint k = 0; t && k < t->indicators->len; k++)
            if (g_strcmp0(((bpn_indicator *)t->indicators->pdata[k])->level1, "效益指标") == 0)
                b = t->indicators->pdata[k];
        CHECK(c, b != NULL);
        if (ocr) {
            CHECK_STR(c, b ? b->level2 : NULL, "社会效益指标");
            CHECK_STR(c, b ? b->level3 : NULL, "提升医院救治能力，提高");
            CHECK_STR(c, b ? b->value : NULL, "有效提升");
        } else {
            CHECK(c, b && !b->level2 && !b->level3);
            CHECK_STR(c, b ? b->value : NULL, "社会效益指标-提升医院救治能力，:提高:有效提升");
        }
        g_ptr_array_unref(blocks);
        bpn_document_free(d);
    }
}

static void indicator_free_test(gpointer p)
{
    bpn_indicator *i = p;
    g_free(i->level1), g_free(i->level2), g_free(i->level3), g_free(i->value), g_free(i);
}

/* What OCR made of no indicator is left out: a speck in an empty row read
 * as a lone stroke or mark, the last line of a wrapped 二级 label read as
 * a 三级指标 with no value; a lone ideograph value, a 三级 with a value, and
 * a 三级 with no value that makes no word with its 二级 stay. */
static void test_not_indicators(check_counts *c)
{
    bpn_document *d = ocr_forms_document(1);
    bpn_target *t = target("市四院专项保障资金", 1);
    g_ptr_array_set_free_func(t->indicators, indicator_free_test);
    add_benefit(t, FALSE, "可持续影响指标", NULL, "二");
    add_benefit(t, FALSE, "生态效益指标", NULL, ".");
    add_benefit(t, TRUE, "可持续影响", "指标", NULL);
    bpn_indicator *k1 = add_benefit(t, TRUE, "社会效益指标", NULL, "是");
    bpn_indicator *k2 = add_benefit(t, TRUE, "可持续影响", "指标", "有效");
    bpn_indicator *k3 = add_benefit(t, TRUE, "社会效益", "人数", NULL);
    /* a wrapped 二级 whose two lines the engine interleaved: the word's
     * beginning (cut off) in order; a short jumble of a beginning stays */
    bpn_indicator *k4 = add_benefit(t, TRUE, "服意务度对指象满", "职工满意度", "≥98%");
    bpn_indicator *k5 = add_benefit(t, TRUE, "对象服务", "群众满意度", "≥98%");
    g_ptr_array_add(d->targets, t);
    bpn_forms_ocr_consensus(d);
    CHECK(c, t->indicators->len == 5);
    CHECK(c, t->indicators->len == 5 && t->indicators->pdata[0] == k1 && t->indicators->pdata[1] == k2 &&
                 t->indicators->pdata[2] == k3);
    CHECK_STR(c, k4->level2, "服务对象满意度指");
    CHECK_STR(c, k5->level2, "对象服务");
    CHECK(c, has_repair(d, "ocr_label_by_vocabulary", "服意务度对指象满", "服务对象满意度指"));
    CHECK(c, has_repair(d, "ocr_speck_removed", "二", ""));
    CHECK(c, has_repair(d, "ocr_speck_removed", "指标", ""));
    CHECK(c, d->repairs->len == 4);
    bpn_document_free(d);
}

/* Marks a speck adds after a mark of the text, cell by cell of a grid: a
 * colon after a comma, a point or colon after a unit's /; a unit's / and
 * an amount's point, and a colon after an ideograph, stay. */
static void test_despeckled_marks(check_counts *c)
{
    static const char *const CELLS[] = {
        "提升医院救治能力，:提高", "5000元/床/.年",
        "1710台/:套", "4358.85平方米/年",
        "目标:有效提高", "1710台/套",
    };
    static const char *const WANT[] = {
        "提升医院救治能力，提高", "5000元/床/年", "1710台/套", NULL, NULL, NULL,
    };
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_grid(blocks, 1, 100, 3, 2, CELLS);
    const bpn_block *b = blocks->pdata[0];
    bpn_form_snap *snap = bpn_form_ocr_snap(b->grid);
    CHECK(c, snap != NULL);
    for (int i = 0; snap && i < 6; i++)
        CHECK_STR(c, snap->text[i], WANT[i]);
    bpn_form_ocr_snap_free(snap);
    g_ptr_array_unref(blocks);
}

/* A scanner app's footer read by OCR as two lines a few points apart
 * ("扫描" below "全能王") in the bottom margin: taken out, recorded; the
 * text above stays. */
static void test_scanner_footer_apart(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 100, 10, "一、部门职责");
    synth_text(src, 1, 60, 120, 10, "负责本地区的急救工作。");
    synth_text(src, 1, 460, 805.2, 9, "扫描");
    synth_text(src, 1, 478, 800.6, 9, "全能王");
    src->pages[0].ocr = TRUE;
    GError *err = NULL;
    bpn_document *d = bpn_document_build(src, &err);
    CHECK(c, d != NULL);
    gboolean seen = FALSE, body = FALSE;
    for (guint i = 0; d && i < d->sections->len; i++) {
        const bpn_section *s = d->sections->pdata[i];
        seen |= (s->text && (strstr(s->text, "扫描") || strstr(s->text, "全能王"))) ||
                (s->heading && strstr(s->heading, "全能王"));
        body |= s->text && strstr(s->text, "急救工作") != NULL;
    }
    CHECK(c, !seen);
    CHECK(c, body);
    CHECK(c, d && has_repair(d, "scanner_footer_removed", NULL, NULL));
    if (d)
        bpn_document_free(d);
    bpx_document_free(src);
}

int main(void)
{
    check_counts c = {0};
    test_labels_snapped(&c);
    test_names_by_table(&c);
    test_sides_consensus(&c);
    test_level2_by_other_side(&c);
    test_value_signs(&c);
    test_marks_by_other_side(&c);
    test_text_indicators_colon(&c);
    test_not_indicators(&c);
    test_despeckled_marks(&c);
    test_names_by_context(&c);
    test_names_by_vocabulary(&c);
    test_indicator_tidy(&c);
    test_scanner_footer_apart(&c);
    return check_summary("test_formocr", &c);
}
