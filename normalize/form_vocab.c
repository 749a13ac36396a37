/* form_vocab.c — the vocabulary of performance-target forms, as data
 * (see form_vocab.h).  Every printed wording a form reader knows is here;
 * add a budgeting system's wording here, not in the reader. */
#include "normalize/form_vocab.h"

#include <glib.h>

/* Printed forms of the labels (normalised), most specific first.  Variants
 * seen in print: 项目日期 for 项目期, 项目实验计划, 实验期目标.  The other
 * kinds of form name their subject differently: 转移支付名称 and 专项名称
 * (transfer, self-evaluation) are the form's name like 项目名称; 部门名称
 * names the department (a 部门整体 form is named after it). */
const form_label_text form_labels[] = {
    {LBL_PROJECT, "项目名称"},
    {LBL_PROJECT, "转移支付名称"},
    {LBL_PROJECT, "转移支付项目名称"},
    {LBL_PROJECT, "专项资金名称"},
    {LBL_PROJECT, "专项名称"},
    {LBL_DEPARTMENT, "部门(单位)名称"},
    {LBL_DEPARTMENT, "部门名称"},
    {LBL_DEPARTMENT, "单位名称"},
    {LBL_DEPARTMENT, "市级主管部门"},
    {LBL_DEPARTMENT, "省级主管部门"},
    {LBL_DEPARTMENT, "县级主管部门"},
    {LBL_DEPARTMENT, "主管部门及代码"},
    {LBL_DEPARTMENT, "主管部门、代码"},
    {LBL_DEPARTMENT, "主管部门和代码"},
    {LBL_DEPARTMENT, "主管部门"},
    {LBL_UNIT, "实施单位"},
    {LBL_ATTRIBUTE, "项目属性"},
    {LBL_PERIOD, "项目期"},
    {LBL_PERIOD, "项目日期"},
    {LBL_TOTAL_PERIOD, "实施期资金总额"},
    {LBL_TOTAL_ANNUAL, "年度资金总额"},
    {LBL_FUND_BLOCK, "项目资金"},
    {LBL_OVERVIEW, "项目概况"},
    {LBL_BASIS, "立项依据"},
    {LBL_NECESSITY, "项目设立必要性"},
    {LBL_NECESSITY, "设立必要性"},
    {LBL_MEASURES, "保证项目实施的制度、措施"},
    {LBL_MEASURES, "保证项目实施的制度和措施"},
    {LBL_MEASURES, "保证项目实施"},
    {LBL_PLAN, "项目实施计划"},
    {LBL_PLAN, "项目实验计划"},
    {LBL_GOALS, "总体目标"},
    {LBL_GOAL_ANNUAL, "年度总体目标"}, /* a form of one year: its goal */
    {LBL_GOAL_ANNUAL, "整体绩效目标"},
    {LBL_GOAL_ANNUAL, "预期目标"},
    {LBL_GOAL_ACTUAL, "目标实际完成情况"},
    {LBL_GOAL_ACTUAL, "实际完成情况"},
    {LBL_SCORE_TOTAL, "总分值、评价总分"},
    {LBL_SCORE_TOTAL, "评价总分"},
    {LBL_SCORE_TOTAL, "自评总分"},
    {LBL_SCORE_TOTAL, "总分"},
    {LBL_GRADE, "评价等级"},
    {LBL_GRADE, "自评等级"},
    {LBL_FUND_BLOCK, "资金情况"},
    {LBL_FUND_BLOCK, "专项资金情况"},
    {LBL_FUND_BLOCK, "年度预算安排"},
    {LBL_FUND_BLOCK, "年度资金安排"},
    {LBL_TOTAL_ANNUAL, "预算支出总额"},
    {LBL_TOTAL_ANNUAL, "资金总额"},
    {LBL_FISCAL, "财政拨款"},
    {LBL_BASIC, "基本支出"},
    {LBL_PROJECT_EXP, "项目支出"},
    {LBL_FUND_BLOCK, "总体资金情况"},
    {LBL_TOTAL_ANNUAL, "年度金额"},
    {LBL_GOAL_PERIOD, "实施期目标"},
    {LBL_GOAL_PERIOD, "实验期目标"},
    {LBL_GOAL_PERIOD, "项目实施期目标"}, /* a form of one goal, 实施期 (泉州) */
    {LBL_GOAL_ANNUAL, "年度目标"},
    {LBL_GOAL_ANNUAL, "项目年度目标"},
    {LBL_PERSON, "负责人"},
    {LBL_HANDLER, "经办人"},
    {LBL_CONTACT, "联系人"},
    {LBL_PHONE, "联系电话"},
    {LBL_FILLED_AT, "填报日期"},
    {LBL_FILLED_AT, "填表日期"},
};

/* 一级 and 二级 vocabularies of the national template, for splitting a cell
 * that merged a label with the text beside it. */
const char *const form_level1_words[] = {"产出指标", "效益指标", "满意度指标", "成本指标"};
const char *const form_level2_words[] = {
    "服务对象满意度指标", "可持续影响指标", "经济效益指标", "社会效益指标", "生态效益指标", "经济成本指标",
    "社会成本指标",       "生态环境成本指标", "数量指标",    "质量指标",    "时效指标",    "成本指标",
    "服务对象满意度",     "可持续影响",     "经济效益",    "社会效益",    "生态效益"};

const form_level2_parent form_level2_parents[] = {
    {"服务对象满意度指标", "满意度指标"}, {"服务对象满意度", "满意度指标"},
    {"可持续影响指标", "效益指标"},       {"可持续影响", "效益指标"},
    {"经济效益指标", "效益指标"},         {"经济效益", "效益指标"},
    {"社会效益指标", "效益指标"},         {"社会效益", "效益指标"},
    {"生态效益指标", "效益指标"},         {"生态效益", "效益指标"},
    {"数量指标", "产出指标"},             {"质量指标", "产出指标"},
    {"时效指标", "产出指标"},             {"成本指标", "产出指标"},
    {"经济成本指标", "成本指标"},         {"社会成本指标", "成本指标"},
    {"生态环境成本指标", "成本指标"},
};
const size_t form_n_level2_parents = G_N_ELEMENTS(form_level2_parents);

const size_t form_n_labels = G_N_ELEMENTS(form_labels);
const size_t form_n_level1_words = G_N_ELEMENTS(form_level1_words);
const size_t form_n_level2_words = G_N_ELEMENTS(form_level2_words);

const form_header_word form_header_words[] = {
    {"一级指标", W_L1, 0},
    {"二级指标", W_L2, 0},
    {"三级指标", W_L3, 0},
    {"指标值", W_V, 0},
    {"本年绩效指标值", W_V_ANNUAL, 0},
    {"本年指标值", W_V_ANNUAL, 0},
    {"年度指标值", W_V_ANNUAL, 0},
    {"年度目标值", W_V_ANNUAL, 0},
    {"目标值", W_V, 0},
    {"绩效指标性质", W_EXTRA, COL_DIR},
    {"指标性质", W_EXTRA, COL_DIR},
    {"指标方向", W_EXTRA, COL_DIR},
    {"绩效度量单位", W_EXTRA, COL_MU},
    {"度量单位", W_EXTRA, COL_MU},
    {"计量单位", W_EXTRA, COL_MU},
    {"实际完成值", W_EXTRA, COL_ACT},
    {"全年实际值", W_EXTRA, COL_ACT},
    {"指标分值", W_EXTRA, COL_WT},
    {"分值", W_EXTRA, COL_WT},
    {"权重", W_EXTRA, COL_WT},
    {"自评得分", W_EXTRA, COL_SC},
    {"得分", W_EXTRA, COL_SC},
    {"偏差原因", W_EXTRA, COL_DEV},
    {"绩效指标", W_EXTRA, COL_JOINED},
    {"项目名称", W_EXTRA, COL_PROJ},
    {"项目总额", W_EXTRA, COL_TOTAL},
    {"财政资金", W_EXTRA, COL_FISCAL},
    {"财政拨款", W_EXTRA, COL_FISCAL},
    {"其他资金", W_EXTRA, COL_OTHERF},
    {"绩效目标", W_EXTRA, COL_GOAL},
};

const size_t form_n_header_words = G_N_ELEMENTS(form_header_words);

/* The execution block's header words, most specific first: 调整后预算数 is
 * the full-year budget, 年中调整金额 the adjustment; 年初部门预算安排金额
 * names the initial budget by 年初; a plain 预算数 beside 执行数 is the
 * budget the rate divides by.  小计 counts only in a row of other measure
 * words (forms.c). */
const form_execution_word form_execution_words[] = {
    {"结余率", BPN_EX_BALANCE_RATE},
    {"结余金额", BPN_EX_BALANCE},
    {"结余数", BPN_EX_BALANCE},
    {"执行率", BPN_EX_EXECUTION_RATE},
    {"实现率", BPN_EX_EXECUTION_RATE},
    {"调整后", BPN_EX_BUDGET_FULL_YEAR},
    {"调整", BPN_EX_ADJUSTMENT},
    {"年初", BPN_EX_BUDGET_INITIAL},
    {"全年预算", BPN_EX_BUDGET_FULL_YEAR},
    {"小计", BPN_EX_BUDGET_FULL_YEAR},
    {"预算数", BPN_EX_BUDGET_FULL_YEAR},
    {"执行数", BPN_EX_EXECUTED},
    {"拨付金额", BPN_EX_EXECUTED},
    {"实际支出", BPN_EX_EXECUTED},
    {"分值", BPN_EX_WEIGHT},
    {"得分", BPN_EX_SCORE},
    {"预算安排", -1},
    {"拨付情况", -1},
    {"结余情况", -1},
};
const size_t form_n_execution_words = G_N_ELEMENTS(form_execution_words);

/* Row labels (normalised, 其中 and numbering left in: matched by
 * containment).  A level's subtotal before the level (财政资金小计 is fiscal,
 * 中央财政资金 central), 合计 and 总额 last. */
const form_execution_source form_execution_sources[] = {
    {"财政资金小计", "fiscal"},
    {"其他资金小计", "other"},
    {"上年结转", "carry_over"},
    {"中央", "central"},
    {"省级", "provincial"},
    {"地方", "local"},
    {"市级", "local"},
    {"县级", "local"},
    {"市县", "local"},
    {"财政拨款", "fiscal"},
    {"财政资金", "fiscal"},
    {"其他资金", "other"},
    {"资金总额", "total"},
    {"合计", "total"},
    {"总计", "total"},
};
const size_t form_n_execution_sources = G_N_ELEMENTS(form_execution_sources);
