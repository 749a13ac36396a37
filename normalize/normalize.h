/* normalize — rebuilds a disclosure from page geometry: text lines, table
 * grids, cells and rows; recognises the standard tables, the narrative
 * sections and the document's unit, year and type; removes watermark and
 * scanner noise and records every repair.
 *
 * Input is an extract-stage document (extract/extract.h); output is a
 * bpn_document that the emit stage serialises.  Printed text is kept as
 * printed; normalised forms are used only for recognition.
 *
 * Ownership: bpn_document_build() returns a document the caller frees with
 * bpn_document_free(); everything reachable from it belongs to it.  Strings
 * are UTF-8.  Errors come back as GError; nothing is printed.
 */
#ifndef BUDGETPDF_NORMALIZE_H
#define BUDGETPDF_NORMALIZE_H

#include <glib.h>

#include "extract/extract.h"

/* A table cell.  text == NULL: empty.  is_number: the cell is an amount and
 * `number` holds its value; codes that only look numeric (科目编码, years,
 * dates) stay text. */
typedef struct {
    char *text;
    gboolean is_number;
    double number;
} bpn_cell;

typedef struct {
    bpn_cell *cells; /* n_cols of them (the table's) */
} bpn_row;

typedef struct {
    int number;              /* 表一 = 1, 公开01表 = 1 …; 0 when the document gives none */
    char *title;             /* as printed, numbering prefix removed */
    char *unit_of_measure;   /* "万元", "元" or NULL */
    GArray *pages;           /* int, 1-based */
    int n_cols;
    GPtrArray *header_rows;  /* bpn_row* */
    GPtrArray *rows;         /* bpn_row* */
    gboolean no_data;
    GPtrArray *notes;        /* char* */
} bpn_table;

typedef struct {
    char *heading;
    char *text;
} bpn_section;

typedef struct {
    char *kind;  /* "watermark_removed", "scanner_footer_removed", "page_number_removed", "hidden_text_removed", … */
    int page;
    char *from;
    char *to;
} bpn_repair;

typedef struct {
    int page;    /* 0: not tied to a page */
    char *message;
} bpn_warning;

/* One arithmetic identity tested on the tables (checks.c says which).
 * expected is what the parts add up to, found what the table prints, in the
 * table's unit; cells lists the data cells involved as (row, column) index
 * pairs into the table's rows, the found cell first. */
typedef struct {
    int table;           /* the table's number; 0 when it has none */
    int table_index;     /* the table's position in doc->tables (0-based) */
    char *rule;          /* "children_sum", "total_row", "column_sum", "balance", "cross_table" */
    char *row;           /* label or code of the row, NULL for a whole-table rule */
    char *column;        /* header of the column, NULL when the row says it all */
    double expected, found;
    gboolean ok;
    double tolerance;    /* the difference allowed: n parts × half a unit of their last printed decimal */
    gboolean rounding;   /* holds only within tolerance (expected != found) */
    GArray *cells;       /* int pairs: row, column */
} bpn_check;

/* A headline amount in 万元; set == FALSE where the document does not state it. */
typedef struct {
    gboolean set;
    double value;
} bpn_amount;

/* One side of a performance-target form's 项目资金 block (实施期 or 年度), in
 * 元; an amount left blank on the form is not set. */
typedef struct {
    bpn_amount total, central, provincial, municipal, self_raised, other;
    /* 部门整体 forms: 财政拨款 and the 基本支出 / 项目支出 parts of the total */
    bpn_amount fiscal, basic, project;
} bpn_funds;

/* One side of a row of a form's 绩效指标 grid.  level1 and level2 are filled
 * down over the rows their merged cell spans; level3_printed is set only when
 * the printed text was a cut-off prefix and level3 is the full text. */
typedef struct {
    gboolean annual;     /* FALSE: the 实施期 (period) side */
    char *level1, *level2, *level3, *level3_printed, *value; /* NULL: empty */
    /* where the form prints them (NULL elsewhere): 指标性质/方向 (≥, ＝, 定性 …),
     * 度量单位, and for a 绩效自评表 实际完成值, 分值, 得分, 偏差原因 */
    char *direction, *measure_unit, *actual, *weight, *score, *deviation;
    int page;
} bpn_indicator;

/* What a performance-target form is (its title or its name label says). */
typedef enum {
    BPN_FORM_PROJECT = 0,     /* 项目支出绩效目标表 */
    BPN_FORM_DEPARTMENT,      /* 部门整体支出绩效目标表 */
    BPN_FORM_TRANSFER,        /* 转移支付 绩效目标表 */
    BPN_FORM_SELF_EVALUATION  /* 绩效自评表 */
} bpn_form_kind;

/* One performance-target form (项目支出, 部门整体, 转移支付 or 绩效自评),
 * over all its pages.  Texts as printed; NULL where the form leaves them
 * blank.  Amounts are held in 元 whatever the form prints (amount_unit). */
typedef struct {
    bpn_form_kind kind;
    char *amount_unit;        /* "元" or "万元" as the form states it; NULL when it does not */
    char *project, *department, *implementing_unit, *attribute, *period;
    char *project_code;       /* the code printed before the name ("11000026T000003742841-…"); NULL when none */
    char *goal_actual;        /* 自评: 目标实际完成情况 */
    char *self_score;         /* 自评: 总分 as printed */
    char *grade;              /* 自评: 评价等级 */
    int year;                 /* 0 when not printed */
    bpn_funds funds_period, funds_annual;
    char *overview, *basis, *necessity, *measures, *plan, *goal_period, *goal_annual;
    char *filled_at;          /* 填报日期: its digits, spaces taken out */
    GArray *pages;            /* int, 1-based */
    GPtrArray *indicators;    /* bpn_indicator*: the period side's, then the annual side's */
} bpn_target;

typedef struct {
    char *file;          /* base name */
    const char *file_encoding; /* static: how `file` was decoded from the file
                                  system's bytes ("utf-8", "gb18030", "escaped",
                                  batch/names.c); NULL: not known */
    char sha256[65];
    int pages;
    char *producer;      /* may be NULL */
} bpn_source;

typedef struct {
    bpn_source source;
    char *unit;          /* NULL when not found */
    char *department;
    char *document_type; /* 部门预算, 单位预算, 部门决算, 单位决算, 项目支出绩效目标表 */
    int year;            /* 0 when not found */
    bpn_amount income_total, expenditure_total, basic_expenditure, project_expenditure,
        three_public_total;
    GPtrArray *tables;   /* bpn_table* */
    GPtrArray *sections; /* bpn_section* */
    GPtrArray *repairs;  /* bpn_repair* */
    GPtrArray *warnings; /* bpn_warning* */
    GPtrArray *checks;   /* bpn_check* */
    GPtrArray *targets;  /* bpn_target*, the performance-target forms in document order */
} bpn_document;

bpn_document *bpn_document_build(const bpx_document *src, GError **error);
void bpn_document_free(bpn_document *doc);

#endif
