/* form_vocab.h — the vocabulary of performance-target forms (data, in
 * form_vocab.c): the labels of the header block and footer, the 一级/二级
 * words of the national template, and the indicator grid's header words.
 * Internal to normalize/forms.c. */
#ifndef BUDGETPDF_FORM_VOCAB_H
#define BUDGETPDF_FORM_VOCAB_H

#include <stddef.h>

#include "normalize/normalize.h"

typedef enum {
    LBL_NONE,
    /* header block */
    LBL_PROJECT,
    LBL_DEPARTMENT,
    LBL_UNIT,
    LBL_ATTRIBUTE,
    LBL_PERIOD,
    LBL_FUND_BLOCK,
    LBL_TOTAL_PERIOD,
    LBL_TOTAL_ANNUAL,
    LBL_CENTRAL,
    LBL_PROVINCIAL,
    LBL_MUNICIPAL,
    LBL_SELF_RAISED,
    LBL_OTHER,
    LBL_FISCAL,
    LBL_BASIC,
    LBL_PROJECT_EXP,
    LBL_OVERVIEW,
    LBL_BASIS,
    LBL_NECESSITY,
    LBL_MEASURES,
    LBL_PLAN,
    LBL_GOALS,
    LBL_GOAL_PERIOD,
    LBL_GOAL_ANNUAL,
    LBL_GOAL_ACTUAL,
    LBL_SCORE_TOTAL,
    LBL_GRADE,
    LBL_INDICATORS,
    /* footer */
    LBL_PERSON,
    LBL_HANDLER,
    LBL_CONTACT,
    LBL_PHONE,
    LBL_FILLED_AT
} label_kind;

#define IS_HEAD_LABEL(k) ((k) >= LBL_PROJECT && (k) <= LBL_INDICATORS)
#define IS_FOOTER_LABEL(k) ((k) >= LBL_PERSON && (k) <= LBL_FILLED_AT)
#define IS_FUND_LABEL(k) ((k) >= LBL_TOTAL_PERIOD && (k) <= LBL_PROJECT_EXP)

typedef struct {
    label_kind kind;
    const char *text;
} form_label_text;

/* Printed forms of the labels (normalised), most specific first. */
extern const form_label_text form_labels[];
extern const size_t form_n_labels;
/* 一级 and 二级 words of the national template. */
extern const char *const form_level1_words[];
extern const size_t form_n_level1_words;
extern const char *const form_level2_words[];
extern const size_t form_n_level2_words;
/* The 一级 word each 二级 word of the national template stands under (an
 * entry per form_level2_words entry, in its order; 成本指标 under 产出指标,
 * as the older template prints it, and under 成本指标 too). */
typedef struct {
    const char *level2, *level1;
} form_level2_parent;
extern const form_level2_parent form_level2_parents[];
extern const size_t form_n_level2_parents;

/* The logical columns of an indicator grid: 一级, the period side's 二级,
 * 三级 and 指标值, the annual side's; then the columns some layouts add to
 * the (single or annual) side: 指标性质, 度量单位, and a 自评表's 实际完成值,
 * 分值, 得分, 偏差原因; COL_JOINED, a 绩效指标 column that holds 一级, 二级
 * and 三级 run together (部门整体 forms); and the columns of a form printed
 * as one long table, one row block per project: 项目名称, 项目总额, 财政资金,
 * 其他资金, 绩效目标. */
enum {
    COL_L1,
    COL_L2P,
    COL_L3P,
    COL_VP,
    COL_L2A,
    COL_L3A,
    COL_VA,
    COL_DIR,
    COL_MU,
    COL_ACT,
    COL_WT,
    COL_SC,
    COL_DEV,
    COL_JOINED,
    COL_PROJ,
    COL_TOTAL,
    COL_FISCAL,
    COL_OTHERF,
    COL_GOAL,
    N_IND_COLS
};

/* The indicator grid's header vocabulary: printed word (normalised) → role.
 * At one position the longest word wins ("绩效指标性质" over "绩效指标"). */
enum { W_L1, W_L2, W_L3, W_V, W_V_ANNUAL, W_EXTRA };
typedef struct {
    const char *text;
    int word; /* W_L1 … W_V_ANNUAL, or W_EXTRA */
    int col;  /* for W_EXTRA: the column */
} form_header_word;

extern const form_header_word form_header_words[];
extern const size_t form_n_header_words;

/* A 绩效自评表's budget execution block: the words of its header cells
 * (normalised; a cell names the measure of the first entry it contains:
 * bpn_execution_measure, or -1 for a group word over several columns that
 * names none) and of its row labels (the source of funds a label names,
 * first entry contained wins). */
typedef struct {
    const char *text;
    int measure;
} form_execution_word;

extern const form_execution_word form_execution_words[];
extern const size_t form_n_execution_words;

typedef struct {
    const char *text;
    const char *source;
} form_execution_source;

extern const form_execution_source form_execution_sources[];
extern const size_t form_n_execution_sources;

#endif
