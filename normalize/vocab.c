/* vocab.c — the domain vocabulary of the national disclosure template, as
 * data: table kinds and their title forms, column measures and their header
 * forms, classification codes and their standard names, unit-name
 * normalisation rules and region names.  Everything that recognises what a
 * table, column, row or unit is reads it from here (meaning.c; the title
 * tests of tables.c, summary.c and checks.c through bpn_vocab_kind()).
 *
 * Patterns are PCRE2, matched against the comparison form of the text
 * (bpn_norm(): half-width, no white space, straight quotes).  Lists are
 * ordered: the first entry that matches wins, so a narrower form stands
 * before a wider one (财政拨款收支总表 before 收支总表).  Adding a template's
 * wording is adding a line here.
 */
#include "normalize/internal.h"

#include <string.h>

/* ---- table kinds ----
 * Matched against the title with its year, its label (预算01表, 公开01表,
 * 表一) and its bracketed scope（不含上年结转）removed.  Two tables of one
 * document that differ only by classification (function or economic) have
 * distinct kinds (…_economic).  A title matching none is `other`. */
static const bpn_vocab_entry TABLE_KINDS[] = {
    {"purchased_services", "政府购买服务"},
    {"procurement_catalogue", "集中采购目录"},
    {"procurement", "政府采购"},
    {"three_public", "三公"},
    {"operating_costs", "机关运行经费"},
    {"fiscal_summary", "财政拨款收(入)?支(出)?.*总(表|体情况表)"},
    {"income_expenditure_summary", "收(入)?支(出)?.*总(表|体情况表)"},
    {"government_fund_income", "政府性基金(预算)?(拨款)?收入(预算)?(表|情况表)$"},
    {"government_fund", "政府性基金"},
    {"state_capital", "国有资本经营"},
    {"general_budget_basic_expenditure", "一般公共预算.*基本支出"},
    {"general_budget_expenditure_economic", "一般公共预算.*支出.*经济(分类|科目)"},
    {"general_budget_expenditure", "一般公共预算.*支出"},
    {"fiscal_basic_expenditure", "财政拨款.*基本支出"},
    {"fiscal_expenditure", "财政拨款.*支出"},
    {"project_expenditure", "项目支出"},
    {"basic_expenditure", "^基本支出"},
    {"income", "收入(预算|决算)?(总表|表|总体情况表|情况表)$"},
    {"expenditure", "支出(预算|决算)?(总表|表|总体情况表|情况表)$"},
    {NULL, NULL},
};

/* Title forms: the titles of the national template's tables as printed
 * (without label, year and brackets), and the forms places give them.  An
 * OCR'd title is snapped to the nearest of them (normalize/titles.c); the
 * kind of each is TABLE_KINDS's, never said twice. */
static const char *const TITLE_FORMS[] = {
    /* budgets */
    "收支预算总表", "预算收支总表", "收支总表", "部门收支总表", "部门财务收支预算总表", "财务收支预算总表",
    "部门收支总体情况表", "收入预算总表", "预算收入总表", "部门收入总体情况表", "支出预算总表", "预算支出总表",
    "部门支出总体情况表", "财政拨款收支预算总表", "财政拨款收支总表", "财政拨款收支总体情况表", "财政拨款支出预算表",
    "财政拨款基本支出预算表", "一般公共预算支出预算表", "一般公共预算支出表", "一般公共预算支出功能分类预算表",
    "一般公共预算支出情况表", "一般公共预算基本支出预算表", "一般公共预算基本支出表", "一般公共预算基本支出情况表",
    "一般公共预算安排基本支出分经济科目表", "一般公共预算基本支出部门预算经济分类预算表", "政府性基金预算收入表",
    "政府性基金预算支出表", "政府性基金预算支出预算表", "财政拨款政府性基金支出预算表", "政府性基金财政拨款支出预算表",
    "国有资本经营预算收支预算表", "国有资本经营预算支出预算表", "国有资本经营预算支出表", "财政拨款安排“三公”经费支出预算表",
    "一般公共预算“三公”经费支出预算表", "“三公”经费支出预算表", "一般公共预算“三公”经费、会议费、培训费支出预算表",
    "“三公”经费、会议费、培训费支出预算表", "机关运行经费预算表", "一般公共预算机关运行经费支出预算表", "项目支出预算表",
    "政府采购支出预算表", "政府采购预算表", "政府采购预算明细表", "政府购买服务预算表",
    /* final accounts */
    "收入支出决算总表", "收支决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款“三公”经费支出决算表",
    "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
    NULL,
};

/* Row labels: the labels the national template's tables print in their
 * label columns besides the catalogue's names (收支总表, 收入总表, 支出总表,
 * 财政拨款收支总表; the 三公 items; procurement methods), and the class names
 * of the function classification before its 2018 and 2019 revisions (the
 * catalogue holds the current ones).  An OCR'd label a character or two from
 * exactly one of these or of the catalogue's names is read as it
 * (normalize/ocrfix.c, bpn_ocr_labels_fix). */
static const char *const ROW_LABELS[] = {
    /* income side */
    "财政拨款", "财政拨款收入", "一般公共预算", "一般公共预算拨款", "一般公共预算拨款收入", "一般公共预算资金",
    "政府性基金预算", "政府性基金预算拨款", "政府性基金预算拨款收入", "国有资本经营预算", "国有资本经营预算拨款收入",
    "财政专户管理资金", "财政专户管理资金收入", "单位资金", "其他资金", "事业收入", "事业单位经营收入", "经营收入",
    "上级补助收入", "附属单位上缴收入", "其他收入", "其他非税收入", "专项收入", "用事业基金弥补收支差额",
    "上年结转", "上年结转资金", "上年结转和结余资金", "上年结余", "年初结转和结余",
    /* expenditure side */
    "基本支出", "项目支出", "人员经费", "公用经费", "人员支出", "公用支出", "日常公用经费", "单位预留机动经费",
    "事业单位经营支出", "上缴上级支出", "对附属单位补助支出", "结转下年", "结转下年资金", "年末结转和结余",
    /* totals */
    "合计", "总计", "小计", "收入合计", "支出合计", "收入总计", "支出总计", "本年收入合计", "本年支出合计",
    "当年收入小计", "当年支出小计", "收支总计",
    /* the 三公 items */
    "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务用车运行维护费",
    "公务接待费", "会议费", "培训费",
    /* procurement: methods, and the items of the national procurement
     * catalogue (政府采购品目分类目录) budgets list most */
    "政府集中采购", "部门集中采购", "分散采购", "分散自行组织", "台式计算机", "便携式计算机", "服务器",
    "计算机网络设备", "路由器", "交换机", "信息安全设备", "打印设备", "喷墨打印机", "激光打印机", "复印机",
    "多功能一体机", "投影仪", "扫描仪", "照相机", "摄像机", "空调机", "电视机", "碎纸机", "传真机", "速印机",
    "不间断电源", "家具用具", "办公家具", "纸制文具", "复印纸", "其他办公消耗用品及类似物品", "印刷品", "乘用车",
    "基础软件", "应用软件", "印刷服务", "物业管理服务", "会议服务", "住宿服务", "餐饮服务", "培训服务", "保安服务",
    "车辆维修和保养服务", "车辆加油服务", "车辆及其他运输机械租赁服务", "机动车保险服务", "软件开发服务",
    "信息技术服务", "运行维护服务", "广告服务", "审计服务", "法律服务",
    /* function classes as named before the 2018/2019 revisions */
    "文化体育与传媒支出", "医疗卫生与计划生育支出", "资源勘探信息等支出", "国土海洋气象等支出",
    "行政事业单位离退休",
    NULL,
};

/* Which funds a table covers, from its title (before the kind removes
 * nothing: 财政拨款政府性基金支出预算表 is government_fund). */
static const bpn_vocab_entry TITLE_FUNDS[] = {
    {"general_public_budget", "一般公共预算"},
    {"government_fund", "政府性基金"},
    {"state_capital", "国有资本经营"},
    {"fiscal_appropriation", "财政拨款"},
    {NULL, NULL},
};

/* The scope a title's brackets (or words) state about carried-over funds. */
static const bpn_vocab_entry TITLE_CARRY_OVER[] = {
    {"excluded", "不含上年结转"},
    {"only", "上年结转"},
    {"current_year", "本年预算"},
    {NULL, NULL},
};

static const bpn_vocab_entry TITLE_CLASSIFICATION[] = {
    {"economic", "经济(分类|科目)"},
    {"function", "功能(分类|科目)"},
    {NULL, NULL},
};

/* ---- columns ----
 * Roles by header (a column's role is otherwise told from its cells). */
static const bpn_vocab_entry COLUMN_ROLES[] = {
    {"row_number", "^(行次|栏次)$"},
    {"code", "编码|代码|编号|^类$|^款$|^项$"},
    {"unit", "^(单位名称|预算单位|单位)$"},
    {"label", "名称|^项目$|^科目$|项目$|品目|用途|^功能分类$|^经济分类$|指导性目录|^[一二三]级$"},
    {NULL, NULL},
};

/* Measures, most specific first; `total` is the generic one (合计, 小计,
 * 金额, 预算数): a column headed 小计 under “三公”经费 measures the 三公
 * total, so a generic header lets the header above it decide. */
static const bpn_vocab_entry MEASURES[] = {
    {"three_public_total", "三公"},
    {"overseas_travel", "因公出国"},
    {"vehicle", "公务用车购置及运行"},
    {"vehicle_purchase", "公务用车购置"},
    {"vehicle_operation", "公务用车运行"},
    {"reception", "公务接待"},
    {"meeting", "^会议费$"},
    {"training", "^培训费$"},
    {"operating_costs", "机关运行经费"},
    {"basic", "基本支出"},
    {"project", "项目支出"},
    {"personnel", "人员经费|人员支出"},
    {"public_operating", "公用经费|公用支出"},
    {"upward_remittance", "上缴上级"},
    {"operating_expenditure", "^(事业单位)?经营支出"},
    {"subsidy_to_affiliated", "对附属单位补助"},
    {"carry_over", "上年结转|年初结转|结转结余|上年结余"},
    {"year_end_balance", "年末结转|结转下年"},
    {"current_year", "^当年(预算)?安排|^本年预算$"},
    {"general_public_budget", "一般公共预算"},
    {"government_fund", "政府性基金"},
    {"state_capital", "国有资本经营"},
    {"fiscal_special_account", "财政专户"},
    {"unit_funds", "单位资金"},
    {"fiscal_appropriation", "财政拨款"},
    {"business_income", "事业收入"},
    {"operating_income", "经营收入"},
    {"superior_subsidy", "上级补助"},
    {"affiliated_remittance", "附属单位上缴"},
    {"other_income", "其他收入"},
    {"total", "合计|总计|小计|金额|预算数|决算数|总额|数额|^本年(收入|支出)$|^\\d{4}年(度)?(预算|决算)?(数)?$|执行数"},
    {NULL, NULL},
};

/* The stage a header names (预算数 beside 决算数, 上年, 增减). */
static const bpn_vocab_entry STAGES[] = {
    {"change", "增减|比上年|增长|变动"},
    {"prior_year", "上年(预算|执行|决算)?数"},
    {"budget_adjusted", "调整(后)?预算"},
    {"final", "决算"},
    {"budget_initial", "预算数|年初预算"},
    {NULL, NULL},
};

/* Sides of a side-by-side table, from the header over its label column. */
static const bpn_vocab_entry SIDES[] = {
    {"expenditure_by_use", "支出用途|经济分类"},
    {"income", "^收入|收入$"},
    {"expenditure", "^支出|支出$|功能分类"},
    {"personnel", "人员经费"},
    {"public_operating", "公用经费"},
    {NULL, NULL},
};

/* Names of budget units, by how they end: a label of a project table that
 * reads so and whose amounts are the sum of the rows under it heads the
 * rows of that unit. */
static const bpn_vocab_entry UNIT_NAMES[] = {
    {"unit", "(委员会|委|局|厅|院|中心|站|所|办公室|办|学校|医院|馆|队|处|部|会|社|团|校|园)(（[^）]*）|\\([^)]*\\))?$"},
    {NULL, NULL},
};

/* How a disclosure says that it leaves items out for secrecy (保密/涉密),
 * matched on a normalised sentence: "部分涉密事项在预算公开时予以剔除",
 * "具体编制和机构设置属涉密内容，按照国家保密规定，不予对外公开". */
static const bpn_vocab_entry WITHHELD[] = {
    {"withheld", "(涉密|保密)[^。]{0,60}(剔除|不予(对外)?公开|不(对外)?公开|未(予)?公开|不予?列示|未列示|不予?显示)"},
    {"withheld", "(剔除|不予(对外)?公开)[^。]{0,30}(涉密|保密)"},
    {NULL, NULL},
};

/* Labels of total rows. */
static const bpn_vocab_entry TOTAL_LABELS[] = {
    {"total", "^(合计|总计|小计|收入总计|支出总计|收入合计|支出合计|本年收入合计|本年支出合计|收支总计|部门合计|单位合计)$"},
    {NULL, NULL},
};

/* Enumerators of labels and the outline level they give (1 = top). */
static const bpn_vocab_entry ENUMERATORS[] = {
    {"1", "^[一二三四五六七八九十]+、"},
    {"2", "^[（(][一二三四五六七八九十]+[)）]"},
    {"3", "^\\d+[.、．]"},
    {"4", "^[（(]\\d+[)）]"},
    {"5", "^[①-⑳]"},
    {NULL, NULL},
};

/* Headers that say which classification a code or name column holds. */
static const bpn_vocab_entry CODE_FAMILIES[] = {
    {"3", "部门(预算)?(支出)?经济"},
    {"5", "政府(预算)?(支出)?经济"},
    {"3", "经济"},
    {"2", "功能"},
    {NULL, NULL},
};

/* ---- unit names ----
 * Rules applied in order to a unit's name (comparison form) to make its
 * key: two spellings of one unit get one key.  Bracketed text that names the
 * 本级 level or an alias is left out; 中国共产党 is 中共 and the 中共 of a
 * party committee's office is dropped (中国共产党江苏省委员会办公厅, 中共江苏省
 * 委办公厅 and 江苏省委办公厅 are one unit); 人民政府 before a body it does not
 * name itself is dropped; long official names have the short forms in use. */
static const bpn_vocab_rewrite UNIT_RULES[] = {
    {"[(（]本级[)）]|本级$", ""},
    {"[(（][^)）]*[)）]", ""},
    {"部门$", ""},
    {"^纳入", ""},
    {"中国共产党", "中共"},
    {"^中共(.+?[省市县区])委员会", "中共$1委"},
    {"^中共(.+?[省市县区]委)", "$1"},
    {"人民政府(国有资产监督管理委员会|国资委)", "$1"},
    {"国有资产监督管理委员会", "国资委"},
    {"人民代表大会常务委员会", "人大常委会"},
    {"发展和改革委员会", "发改委"},
    {"卫生健康委员会", "卫健委"},
    {"教育委员会", "教委"},
    {"人民政府办公厅", "政府办公厅"},
    {"人民政府办公室", "政府办公室"},
    {"政治协商会议(.+?)委员会", "政协$1委员会"},
    {NULL, NULL},
};

/* Provinces and province-level cities: the name as printed in full, and
 * the short form a unit name may start with. */
static const bpn_vocab_entry PROVINCES[] = {
    {"北京市", "北京"}, {"天津市", "天津"}, {"上海市", "上海"}, {"重庆市", "重庆"},
    {"河北省", "河北"}, {"山西省", "山西"}, {"辽宁省", "辽宁"}, {"吉林省", "吉林"},
    {"黑龙江省", "黑龙江"}, {"江苏省", "江苏"}, {"浙江省", "浙江"}, {"安徽省", "安徽"},
    {"福建省", "福建"}, {"江西省", "江西"}, {"山东省", "山东"}, {"河南省", "河南"},
    {"湖北省", "湖北"}, {"湖南省", "湖南"}, {"广东省", "广东"}, {"海南省", "海南"},
    {"四川省", "四川"}, {"贵州省", "贵州"}, {"云南省", "云南"}, {"陕西省", "陕西"},
    {"甘肃省", "甘肃"}, {"青海省", "青海"}, {"台湾省", "台湾"},
    {"内蒙古自治区", "内蒙古"}, {"广西壮族自治区", "广西"}, {"西藏自治区", "西藏"},
    {"宁夏回族自治区", "宁夏"}, {"新疆维吾尔自治区", "新疆"},
    {"香港特别行政区", "香港"}, {"澳门特别行政区", "澳门"},
    {NULL, NULL},
};

/* Prefecture-level cities: name, province.  The provincial capitals, the
 * cities of the corpora, and the larger cities; a city missing here is
 * still found by its 市 when the province precedes it. */
static const bpn_vocab_entry CITIES[] = {
    {"石家庄市", "河北省"}, {"唐山市", "河北省"}, {"保定市", "河北省"}, {"邯郸市", "河北省"},
    {"太原市", "山西省"}, {"阳泉市", "山西省"}, {"大同市", "山西省"}, {"长治市", "山西省"},
    {"沈阳市", "辽宁省"}, {"大连市", "辽宁省"}, {"长春市", "吉林省"}, {"哈尔滨市", "黑龙江省"},
    {"南京市", "江苏省"}, {"苏州市", "江苏省"}, {"无锡市", "江苏省"}, {"常州市", "江苏省"},
    {"南通市", "江苏省"}, {"徐州市", "江苏省"}, {"扬州市", "江苏省"}, {"盐城市", "江苏省"},
    {"杭州市", "浙江省"}, {"宁波市", "浙江省"}, {"温州市", "浙江省"}, {"绍兴市", "浙江省"},
    {"合肥市", "安徽省"}, {"芜湖市", "安徽省"},
    {"福州市", "福建省"}, {"厦门市", "福建省"}, {"泉州市", "福建省"}, {"宁德市", "福建省"},
    {"漳州市", "福建省"}, {"莆田市", "福建省"}, {"南平市", "福建省"}, {"龙岩市", "福建省"}, {"三明市", "福建省"},
    {"南昌市", "江西省"}, {"赣州市", "江西省"},
    {"济南市", "山东省"}, {"青岛市", "山东省"}, {"烟台市", "山东省"}, {"潍坊市", "山东省"},
    {"临沂市", "山东省"}, {"淄博市", "山东省"}, {"济宁市", "山东省"}, {"威海市", "山东省"},
    {"郑州市", "河南省"}, {"洛阳市", "河南省"}, {"武汉市", "湖北省"}, {"宜昌市", "湖北省"}, {"襄阳市", "湖北省"},
    {"长沙市", "湖南省"}, {"广州市", "广东省"}, {"深圳市", "广东省"}, {"东莞市", "广东省"},
    {"佛山市", "广东省"}, {"珠海市", "广东省"}, {"海口市", "海南省"},
    {"成都市", "四川省"}, {"贵阳市", "贵州省"}, {"昆明市", "云南省"}, {"西安市", "陕西省"},
    {"兰州市", "甘肃省"}, {"西宁市", "青海省"}, {"呼和浩特市", "内蒙古自治区"}, {"包头市", "内蒙古自治区"},
    {"南宁市", "广西壮族自治区"}, {"拉萨市", "西藏自治区"}, {"银川市", "宁夏回族自治区"},
    {"乌鲁木齐市", "新疆维吾尔自治区"},
    {NULL, NULL},
};

/* Units of the central government. */
static const char *const CENTRAL_RE = "^(国家|中央|全国|国务院|中华人民共和国)";

/* Amount units and their factor to 万元 (the list is internal.h's). */
#define AMOUNT_UNIT_(word, factor) {word, factor},
static const struct {
    const char *unit;
    double to_wan;
} AMOUNT_UNITS[] = {BPN_AMOUNT_UNITS(AMOUNT_UNIT_)};
#undef AMOUNT_UNIT_

/* ---- classification codes: data/codes.inc ---- */
static const struct {
    const char *code, *name;
} CODES[] = {
#include "normalize/data/codes.inc"
};

/* ---------------------------------------------------------------- lookups */

const char *bpn_vocab_find(bpn_regex_cache *rx, const bpn_vocab_entry *list, const char *norm)
{
    for (const bpn_vocab_entry *e = list; norm && e->name; e++)
        if (bpn_rx_match(rx, e->pattern, norm))
            return e->name;
    return NULL;
}

const char *const *bpn_vocab_title_forms(void)
{
    return TITLE_FORMS;
}

const char *const *bpn_vocab_row_labels(void)
{
    return ROW_LABELS;
}

const char *bpn_vocab_code_name_at(gsize i)
{
    return i < G_N_ELEMENTS(CODES) ? CODES[i].name : NULL;
}

const bpn_vocab_entry *bpn_vocab_list(bpn_vocab_list_id id)
{
    switch (id) {
    case BPN_VOCAB_TABLE_KINDS: return TABLE_KINDS;
    case BPN_VOCAB_TITLE_FUNDS: return TITLE_FUNDS;
    case BPN_VOCAB_TITLE_CARRY_OVER: return TITLE_CARRY_OVER;
    case BPN_VOCAB_TITLE_CLASSIFICATION: return TITLE_CLASSIFICATION;
    case BPN_VOCAB_COLUMN_ROLES: return COLUMN_ROLES;
    case BPN_VOCAB_MEASURES: return MEASURES;
    case BPN_VOCAB_STAGES: return STAGES;
    case BPN_VOCAB_SIDES: return SIDES;
    case BPN_VOCAB_TOTAL_LABELS: return TOTAL_LABELS;
    case BPN_VOCAB_ENUMERATORS: return ENUMERATORS;
    case BPN_VOCAB_CODE_FAMILIES: return CODE_FAMILIES;
    case BPN_VOCAB_UNIT_NAMES: return UNIT_NAMES;
    case BPN_VOCAB_WITHHELD: return WITHHELD;
    }
    return NULL;
}

/* The title without year, label and brackets, in comparison form. */
static char *title_core(bpn_regex_cache *rx, const char *title)
{
    char *n = bpn_norm(title);
    char *s = bpn_rx_capture(rx, "^(?:(?:预算|公开|附)?\\d+(?:-\\d+)?表(?:-\\d+)?|表[一二三四五六七八九十\\d]+(?:-\\d+)?|预算公开表\\d+)?[:：]?"
                          "(?:\\d{4}年度?)?(.*)$",
                          n, 1);
    g_free(n);
    if (!s)
        return NULL;
    /* brackets and what they hold */
    GString *out = g_string_new(NULL);
    int depth = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '(' || c == 0xFF08)
            depth++;
        else if ((c == ')' || c == 0xFF09) && depth > 0)
            depth--;
        else if (!depth)
            g_string_append_unichar(out, c);
    }
    g_free(s);
    return g_string_free(out, FALSE);
}

const char *bpn_vocab_kind(bpn_regex_cache *rx, const char *title)
{
    if (!title)
        return "other";
    char *core = title_core(rx, title);
    const char *k = bpn_vocab_find(rx, TABLE_KINDS, core);
    g_free(core);
    return k ? k : "other";
}

gboolean bpn_table_is(bpn_regex_cache *rx, const bpn_table *t, const char *kind)
{
    return strcmp(bpn_vocab_kind(rx, t->title), kind) == 0;
}

double bpn_vocab_to_wan(const char *unit)
{
    if (!unit)
        return 0;
    char *n = bpn_norm(unit);
    double f = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(AMOUNT_UNITS); i++)
        if (strcmp(n, AMOUNT_UNITS[i].unit) == 0)
            f = AMOUNT_UNITS[i].to_wan;
    g_free(n);
    return f;
}

const char *bpn_vocab_unit_at(const char *text)
{
    for (gsize i = 0; text && i < G_N_ELEMENTS(AMOUNT_UNITS); i++)
        if (g_str_has_prefix(text, AMOUNT_UNITS[i].unit))
            return AMOUNT_UNITS[i].unit;
    return NULL;
}

const char *bpn_vocab_bracketed_unit(const char *n)
{
    for (const char *p = n ? strchr(n, '(') : NULL; p; p = strchr(p + 1, '(')) {
        const char *u = bpn_vocab_unit_at(p + 1);
        if (u && p[1 + strlen(u)] == ')')
            return u;
    }
    return NULL;
}

double bpn_table_to_wan(const bpn_table *t)
{
    double f = bpn_vocab_to_wan(t->unit_of_measure);
    return f > 0 ? f : 1.0;
}

const char *bpn_vocab_code_name(const char *code)
{
    for (gsize i = 0; code && i < G_N_ELEMENTS(CODES); i++)
        if (strcmp(CODES[i].code, code) == 0)
            return CODES[i].name;
    return NULL;
}

const char *bpn_vocab_code_of_name(const char *name, char family)
{
    const char *found = NULL;
    if (!name)
        return NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(CODES); i++) {
        if (CODES[i].code[0] != family || strcmp(CODES[i].name, name) != 0)
            continue;
        if (found)
            return NULL; /* one name, several codes (行政运行): not told */
        found = CODES[i].code;
    }
    return found;
}

/* Whether the catalogue's name reads norm (comparison form): its names
 * print full-width brackets, an OCR'd label's comparison form half-width. */
static gboolean name_is(const char *name, const char *norm)
{
    if (strcmp(name, norm) == 0)
        return TRUE;
    char *n = bpn_norm(name);
    gboolean same = strcmp(n, norm) == 0;
    g_free(n);
    return same;
}

gboolean bpn_vocab_is_code_name(const char *name)
{
    for (gsize i = 0; name && i < G_N_ELEMENTS(CODES); i++)
        if (name_is(CODES[i].name, name))
            return TRUE;
    return FALSE;
}

gboolean bpn_one_glyph_apart(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na < nb) {
        const char *t = a;
        a = b, b = t;
        size_t tn = na;
        na = nb, nb = tn;
    }
    if (na - nb > 1 || strcmp(a, b) == 0)
        return FALSE;
    size_t i = 0;
    while (i < nb && a[i] == b[i])
        i++;
    return na == nb ? strcmp(a + i + 1, b + i + 1) == 0 : strcmp(a + i + 1, b + i) == 0;
}

const char *bpn_vocab_code_near(const char *code, const char *name, char family)
{
    const char *found = NULL;
    int n_found = 0, n_family = 0;
    const char *in_family = NULL;
    size_t len = code ? strlen(code) : 0;
    for (gsize i = 0; name && len && i < G_N_ELEMENTS(CODES); i++) {
        if (!name_is(CODES[i].name, name) || !bpn_one_glyph_apart(CODES[i].code, code))
            continue;
        found = CODES[i].code, n_found++;
        if (family && CODES[i].code[0] == family)
            in_family = CODES[i].code, n_family++;
    }
    /* one code; or, of several (50199 and 30199 其他工资福利支出 for
     * 80199), the one of the family given */
    return n_found == 1 ? found : n_family == 1 ? in_family : NULL;
}

const char *bpn_vocab_class_of_name(const char *name)
{
    const char *found = NULL;
    for (gsize i = 0; name && i < G_N_ELEMENTS(CODES); i++) {
        if (strlen(CODES[i].code) != 3 || CODES[i].code[0] != '2' || strcmp(CODES[i].name, name) != 0)
            continue;
        if (found)
            return NULL;
        found = CODES[i].code;
    }
    /* a 类 name that is also a 款 or 项 name (其他支出) is not told */
    for (gsize i = 0; found && i < G_N_ELEMENTS(CODES); i++)
        if (CODES[i].code[0] == '2' && strlen(CODES[i].code) > 3 && strcmp(CODES[i].name, name) == 0)
            return NULL;
    return found;
}

static char *rewrite(const char *pattern, const char *replacement, const char *s)
{
    GRegex *re = g_regex_new(pattern, 0, 0, NULL);
    if (!re)
        return g_strdup(s);
    /* GRegex wants \1 in replacements; the data says $1 (as PCRE2 does) */
    char *rep = g_strdup(replacement);
    for (char *p = rep; *p; p++)
        if (*p == '$' && p[1] >= '0' && p[1] <= '9')
            *p = '\\';
    char *out = g_regex_replace(re, s, -1, 0, rep, 0, NULL);
    g_free(rep);
    g_regex_unref(re);
    return out ? out : g_strdup(s);
}

char *bpn_unit_key(const char *name)
{
    if (!name)
        return NULL;
    char *k = bpn_norm(name);
    for (const bpn_vocab_rewrite *r = UNIT_RULES; r->pattern; r++) {
        char *next = rewrite(r->pattern, r->replacement, k);
        g_free(k);
        k = next;
    }
    if (!*k) {
        g_free(k);
        return NULL;
    }
    return k;
}

void bpn_region_clear(bpn_region *r)
{
    g_free(r->district);
    memset(r, 0, sizeof *r);
}

void bpn_region_of(bpn_regex_cache *rx, const char *name, bpn_region *out)
{
    bpn_region_clear(out);
    if (!name)
        return;
    char *n = bpn_norm(name);
    if (bpn_rx_match(rx, CENTRAL_RE, n)) {
        out->level = "central";
        g_free(n);
        return;
    }
    const char *rest = n;
    for (const bpn_vocab_entry *p = PROVINCES; p->name; p++) {
        if (g_str_has_prefix(n, p->name) || g_str_has_prefix(n, p->pattern)) {
            out->province = p->name;
            rest = n + (g_str_has_prefix(n, p->name) ? strlen(p->name) : strlen(p->pattern));
            /* strip 中共 etc. do not apply: names start with the region */
            break;
        }
    }
    if (!out->province) {
        /* 中共X省委…: the region follows the party prefix */
        const char *p = g_str_has_prefix(n, "中国共产党") ? n + strlen("中国共产党")
                        : g_str_has_prefix(n, "中共")     ? n + strlen("中共")
                                                          : NULL;
        if (p) {
            bpn_region_of(rx, p, out);
            g_free(n);
            return;
        }
    }
    gboolean municipality = out->province && g_str_has_suffix(out->province, "市");
    if (municipality)
        out->city = out->province;
    for (const bpn_vocab_entry *c = CITIES; c->name && !out->city; c++) {
        if (g_str_has_prefix(rest, c->name)) {
            out->city = c->name;
            out->province = c->pattern;
            rest += strlen(c->name);
        }
    }
    out->level = out->city ? "city" : out->province ? "province" : NULL;
    if (municipality)
        out->level = "province";
    /* a district or county named right after the city */
    if (out->city) {
        char *d = bpn_rx_capture(rx, "^(\\p{Han}{1,4}?(?:区|县|旗))", rest, 1);
        if (d && !bpn_rx_match(rx, "(委|局|办|厅|部|院|所|中心|队)", d)) {
            out->district = g_steal_pointer(&d);
            out->level = "district";
        }
        g_free(d);
    }
    g_free(n);
}
