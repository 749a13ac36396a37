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

/* Compiled text patterns (normalize/text.c). */
typedef struct bpn_regex_cache bpn_regex_cache;
/* Checks and tables written out as they are made (normalize/spill.c). */
typedef struct bpn_spill bpn_spill;
typedef struct bpn_repair_log bpn_repair_log;

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

/* Where a table stands on one of its pages, for the review page (emit/review.c;
 * not in the JSON): the grid read there, its column and row edges, its cells
 * (merged areas whole) and the band of its header rows. */
typedef struct {
    int page;
    bpx_rect box;
    int n_cols, n_rows;
    double *xs;              /* n_cols + 1 column edges */
    double *ys;              /* n_rows + 1 row edges */
    GArray *cells;           /* bpx_rect: one per cell, a merged area once */
    double header_y1;        /* the header rows span box.y0 .. header_y1 (== box.y0: none here) */
} bpn_frame;
/* What a table means (meaning.c): filled after the tables are read, from
 * their titles, headers and cells and the vocabulary (vocab.c). */
typedef struct {
    char **path;         /* header texts top to bottom, merged spans resolved; NULL-terminated */
    const char *role;    /* code, label, amount, text, unit, row_number */
    const char *measure; /* amounts: a measure of vocab.c's MEASURES, or NULL */
    const char *stage;   /* budget_initial, budget_adjusted, final, prior_year, change, or NULL */
    const char *side;    /* side-by-side tables: income, expenditure, …; NULL otherwise */
    char *key;           /* the column's name in a record's amounts (measure[_stage][_n], or column_N) */
} bpn_column;

/* One label of a table with its own amounts: a row, or one side of a row
 * of a side-by-side table. */
typedef struct {
    int row;                 /* index into the table's rows */
    const char *side;        /* as the columns' */
    char *label;             /* as printed, a code joined to it cut off */
    char *function_code, *economic_department_code, *economic_government_code; /* NULL: none */
    int level;               /* 1 = 类 / top, 2 = 款, 3 = 项 …; 0: a total or not told */
    int parent;              /* index of the parent record, -1: none */
    gboolean total;
    char *sub_unit;          /* the unit the row belongs to, where the table lists units */
    GArray *amount_cols;     /* int: the columns of the record's amounts */
} bpn_record;

typedef struct {
    const char *kind;        /* vocab.c TABLE_KINDS, or "other" */
    const char *basis;       /* "budget", "final" or NULL */
    char *number_label;      /* the label as printed (预算14表-1, 公开07表), or NULL */
    const char *fund, *carry_over, *classification; /* scope stated by the title, or NULL */
    double to_wan;           /* factor of the table's amounts to 万元; 0: unit unknown */
    gboolean unit_inherited; /* the unit is the previous table's (none printed) */
    GPtrArray *columns;      /* bpn_column*, n_cols of them */
    GPtrArray *records;      /* bpn_record* */
} bpn_table_meaning;

/* Where a unit is. Strings are the vocabulary's (static) but district (owned). */
typedef struct {
    const char *level;       /* central, province, city, district or NULL */
    const char *province, *city;
    char *district;
} bpn_region;

typedef struct {
    int number;              /* its label (表一 = 1, 公开01表 = 1 …), else its 目录 entry; 0 when neither */
    char *title;             /* as printed, numbering prefix removed */
    char *label;             /* the numbering label printed apart (公开09表, 表一), or NULL */
    char *unit_of_measure;   /* "万元", "元" or NULL */
    GArray *pages;           /* int, 1-based */
    int n_cols;
    GPtrArray *header_rows;  /* bpn_row* */
    GPtrArray *rows;         /* bpn_row* */
    gboolean no_data;
    GPtrArray *notes;        /* char* */
    GPtrArray *frames;       /* bpn_frame*, one per grid read into the table */
    bpn_table_meaning *meaning; /* NULL until meaning.c has run */
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
    /* a repair of a table cell (the OCR repairs of ocrfix.c): in_cell set,
     * the cell as an index into doc->tables and its rows and columns, and
     * the checks (indexes into doc->checks) that settled it, or NULL */
    gboolean in_cell;
    int table_index, row, col;
    GArray *checks;
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
    gboolean settled_by_ocr; /* holds through a cell whose OCR reading was chosen
                                to make it hold (ocrfix.c): no independent evidence */
    const bpn_table *source_table; /* the table tested (doc->tables owns it); NULL: none */
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

/* A 绩效自评表's budget execution block (项目资金 | 年初预算数 | 全年预算数 |
 * 全年执行数 | 分值 | 执行率 | 得分, or a 部门整体 form's 年初预算安排 ① |
 * 年中调整 ② | 小计 ③=①+② | 拨付 ④ | 支出实现率 ⑤=④/③ | 结余 ⑥=③-④ |
 * 结余率 ⑦=⑥/③): one row per source of funds.  The measures a header may
 * name, in the order of bpn_execution_row.amount and .printed: */
typedef enum {
    BPN_EX_BUDGET_INITIAL = 0, /* 年初预算数 (amount) */
    BPN_EX_ADJUSTMENT,         /* 年中调整金额 (amount) */
    BPN_EX_BUDGET_FULL_YEAR,   /* 全年预算数, 调整后预算, 小计 (amount) */
    BPN_EX_EXECUTED,           /* 全年执行数, 拨付金额 (amount) */
    BPN_EX_BALANCE,            /* 结余金额 (amount) */
    BPN_EX_N_AMOUNTS,
    BPN_EX_EXECUTION_RATE = BPN_EX_N_AMOUNTS, /* 执行率, 支出实现率: a percentage */
    BPN_EX_BALANCE_RATE,       /* 结余率: a percentage */
    BPN_EX_WEIGHT,             /* 分值 */
    BPN_EX_SCORE,              /* 得分 */
    BPN_EX_N_MEASURES
} bpn_execution_measure;

/* The measure's name in the output ("budget_initial" … "score"); NULL
 * for no measure. */
const char *bpn_execution_measure_name(bpn_execution_measure m);

typedef struct {
    char *label;            /* as printed ("其中：财政拨款", "③地方财政资金") */
    const char *source;     /* static: total, fiscal, carry_over, other, central,
                               provincial, local; NULL when the label names none */
    bpn_amount amount[BPN_EX_N_AMOUNTS]; /* 元 (the form's amount_unit applied) */
    int decimals[BPN_EX_N_AMOUNTS];      /* as printed, for the checks' rounding */
    char *printed[BPN_EX_N_MEASURES];    /* every cell as printed; NULL: no such
                                            column, or the cell is blank */
    gboolean rates_stated;  /* the header gives the rates as formulas (⑤=④/③):
                               every row's rate is an identity; else the total
                               row's only (other rows may print 0.0% there) */
    int page;
} bpn_execution_row;

/* An identity a 绩效自评表 states, tested on what it prints (formchecks.c):
 * rule is one of "sources_sum" (a total = the sources under it), "budget_adjusted"
 * (全年预算 = 年初预算 + 调整), "balance" (结余 = 全年预算 - 执行), "execution_rate"
 * (执行率 = 执行 / 全年预算 × 100), "balance_rate", "score_sum" (总分 = the
 * scores), "weight_sum" (总分值 = the weights). */
typedef struct {
    const char *rule;       /* static */
    char *row;              /* the row's label as printed, or NULL (score_sum, weight_sum) */
    const char *column;     /* static: the measure's name, or NULL */
    double expected, found, tolerance; /* 元 for amounts, percent for rates, points for scores */
    gboolean ok;
} bpn_form_check;

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
    const char *amount_unit_assumed; /* static: with amount_unit NULL, the unit its amounts
                                        were read in ("万元" when its indicators state money
                                        in 万元 and none in 元, else "元"); else NULL */
    char *project, *department, *implementing_unit, *attribute, *period;
    char *project_code;       /* the code printed before the name ("11000026T000003742841-…"); NULL when none */
    char *goal_actual;        /* 自评: 目标实际完成情况 */
    char *self_score;         /* 自评: 总分 as printed (the 得分 column's where the
                                 总分 row prints the 分值 total beside it) */
    char *weight_total;       /* 自评: the 分值 total the 总分 row prints, or NULL */
    GPtrArray *execution;     /* 自评: bpn_execution_row*, top to bottom (NULL: none) */
    GPtrArray *checks;        /* 自评: bpn_form_check*, the identities the form
                                 states, tested (NULL: none) */
    char *grade;              /* 自评: 评价等级 */
    int year;                 /* 0 when not printed */
    bpn_funds funds_period, funds_annual;
    char *overview, *basis, *necessity, *measures, *plan, *goal_period, *goal_annual;
    char *filled_at;          /* 填报日期: its digits, spaces taken out */
    GArray *pages;            /* int, 1-based */
    GPtrArray *indicators;    /* bpn_indicator*: the period side's, then the annual side's */
} bpn_target;

/* The unit a form's amounts were read in: amount_unit, or the one assumed
 * when it prints none (static or the form's own string). */
const char *bpn_target_unit(const bpn_target *t);
/* Factor from an amount unit as printed (万元, 元, 千元, 亿元 …: the
 * vocabulary's one list) to 万元; 0 when unknown.  For readers of the
 * output too (export). */
double bpn_vocab_to_wan(const char *unit);

/* What was found on a page and what was taken off it, for the review page
 * (emit/review.c; not in the JSON).  Boxes in the extract stage's coordinates. */
typedef enum {
    BPN_MARK_NOISE,      /* a watermark glyph, a scanner footer, a page number */
    BPN_MARK_HIDDEN,     /* text in the text layer that the page does not show */
    BPN_MARK_LOW_CONFIDENCE /* OCR'd glyphs the engine was unsure of (frames.c) */
} bpn_mark_kind;

/* An OCR'd glyph whose confidence (bpx_char.ocr_conf, 1..100) is below this
 * is drawn on the review page as read with low confidence.  Tesseract gives
 * 80 and more to nearly every glyph of a clean 200-dpi scan (the scanned
 * fixtures: 1 glyph of 2100 below), and less to an eighth of the glyphs of a
 * blurred 100-dpi one; it gives 90 and more to most misreadings too, so the
 * marks show where a scan was hard to read, not every wrong digit. */
#ifndef BPN_OCR_LOW_CONFIDENCE
#define BPN_OCR_LOW_CONFIDENCE 80
#endif

typedef struct {
    bpx_rect box;
    int kind;            /* bpn_mark_kind */
    int confidence;      /* BPN_MARK_LOW_CONFIDENCE: the lowest of its glyphs; else 0 */
    char *text;          /* BPN_MARK_LOW_CONFIDENCE: the glyphs as read; else NULL */
} bpn_mark;

typedef struct {
    int number;          /* 1-based */
    double width, height;
    int turned;          /* as bpx_page.turned: the geometry is of the page turned to read */
    gboolean ocr;        /* read by OCR: the geometry is of the page set straight, */
    double ocr_skew;     /* ... the scan being turned by ocr_skew degrees (bpx_page) */
    char *ocr_failed;    /* as bpx_page.ocr_failed, or NULL */
    GArray *hlines, *vlines; /* bpx_line: the rulings found */
    GArray *marks;       /* bpn_mark: text taken out as noise or hidden, and
                            OCR'd text read with low confidence */
} bpn_page_view;

typedef struct {
    char *file;          /* base name */
    const char *file_encoding; /* static: how `file` was decoded from the file
                                  system's bytes ("utf-8", "gb18030", "escaped",
                                  batch/names.c); NULL: not known */
    char sha256[65];
    int pages;
    char *producer;      /* may be NULL */
    GArray *ocr_pages;   /* int, 1-based: the pages read by OCR (bpx_page.ocr) */
} bpn_source;

/* Where a headline figure of the summary was found (meaning.c): the table
 * cell that holds it, or the sentence of a section that states it. */
typedef struct {
    const char *figure;  /* "income_total", … as the summary's members */
    int table;           /* index into tables, -1: from a section */
    int row, col;        /* the cell, indexes into the table's rows and columns */
    int section;         /* index into sections, -1: from a table */
    char *sentence;      /* the sentence stating it (sections), or NULL */
} bpn_provenance;

typedef struct {
    bpn_source source;
    char *unit;          /* NULL when not found */
    char *unit_key;      /* unit normalised to compare (bpn_unit_key), NULL without a unit */
    char *unit_code;     /* a code printed for the unit (063-…), or NULL */
    bpn_region region;
    char *department;
    char *document_type; /* 部门预算, 单位预算, 部门决算, 单位决算, 项目支出绩效目标表 */
    int year;            /* 0 when not found */
    bpn_amount income_total, expenditure_total, basic_expenditure, project_expenditure,
        three_public_total;
    GPtrArray *tables;   /* bpn_table* */
    GPtrArray *sections; /* bpn_section* */
    GPtrArray *repairs;  /* bpn_repair*; with repair_log, those made after the pages were
                            read: read all with bpn_document_foreach_repair() */
    bpn_repair_log *repair_log; /* NULL, or the repairs made while the pages were read
                            (bpn_builder_spill), written to a temporary file: they
                            come before doc->repairs; owned */
    GPtrArray *warnings; /* bpn_warning* */
    char *withheld_statement; /* the document's clause saying it leaves items out for
                            secrecy (涉密 … 予以剔除), as printed; NULL when none (checks.c) */
    GPtrArray *checks;   /* bpn_check*; empty when spill is set: read the checks with
                            bpn_document_foreach_check() */
    bpn_spill *spill;    /* the checks, written to a temporary file as they were made
                            (bpn_builder_spill), with the tables' rows and records,
                            or NULL: owned */
    GPtrArray *targets;  /* bpn_target*, the performance-target forms in document order */
    GPtrArray *pages;    /* bpn_page_view*, one per page, for the review page; NULL when
                            bpn_builder_drop_frames() was called */
    GPtrArray *provenance; /* bpn_provenance*, one per summary figure found; NULL before meaning.c */
    bpn_regex_cache *rx; /* the patterns the stage compiled for this document (owned; may be NULL) */
} bpn_document;

/* TRUE when check k fails with its printed parts short of the printed total
 * (children_sum, total_row, column_sum) in a document that says it leaves
 * items out for secrecy (doc->withheld_statement): items withheld may be
 * why, which the output says beside the check (it still fails). */
gboolean bpn_check_may_be_withheld(const bpn_document *doc, const bpn_check *k);

bpn_document *bpn_document_build(const bpx_document *src, GError **error);
/* The same, page by page, for pages read as they come (bpx_options.on_page):
 * bpn_builder_new() with the document (its header: path, sha256, producer),
 * bpn_builder_add_page() with each page in order (the builder keeps what it
 * read from the page, not the page), bpn_builder_finish() when src has all
 * its pages (it reads src->n_pages only: the pages may be gone): returns
 * the document and frees the builder (which
 * bpn_builder_free() frees unfinished).  bpn_document_build() is these
 * three over src's pages. */
typedef struct bpn_builder bpn_builder;
bpn_builder *bpn_builder_new(const bpx_document *src);
void bpn_builder_add_page(bpn_builder *b, const bpx_page *page);
/* Whether what OCR read is repaired by the tables' arithmetic and the
 * classification catalogue (normalize/ocrfix.c); on unless turned off
 * (--no-ocr-repair).  Call before bpn_builder_finish(). */
void bpn_builder_set_ocr_repair(bpn_builder *b, gboolean on);
bpn_document *bpn_builder_finish(bpn_builder *b, const bpx_document *src, GError **error);
/* The tables' frames and the page views (doc->pages) are for the review
 * page (they take more memory than the rows), the frames for the OCR repair
 * too: after this call, made before the first page, no page views are made
 * (doc->pages stays NULL) and the tables' frames are left empty (made, for
 * a page read by OCR, only until the OCR repair has read them). */
void bpn_builder_drop_frames(bpn_builder *b);
void bpn_builder_free(bpn_builder *b);
/* Once made, the checks are read only by the JSON, the digest and the
 * failed-check count, and a table's rows and records, once its meaning is
 * read, only by the JSON: after this call bpn_builder_finish() writes the
 * checks to a temporary file as they are made (doc->spill) instead of
 * holding them in doc->checks, and each table's rows and records once its
 * meaning is read; unless the OCR repair is to rework them (a page read by
 * OCR with other readings).  With bpn_builder_drop_frames() too, the
 * pages' lines and grids go to a temporary file as the pages come, and
 * each table's rows as the tables' walk finishes it, both read back a page
 * or a table at a time (normalize/pages.c, spill.c).  Not for a document
 * whose review page is made (it reads rows and checks' source_table).  Call
 * before bpn_builder_finish() (before the first page for the pages' blocks
 * to go out). */
void bpn_builder_spill(bpn_builder *b);
/* The document's checks in order, held or spilled: fn gets each (valid only
 * during the call; FALSE stops).  FALSE with *error when the spill file
 * could not be read back. */
typedef gboolean (*bpn_check_fn)(const bpn_check *k, void *user);
gboolean bpn_document_foreach_check(const bpn_document *doc, bpn_check_fn fn, void *user, GError **error);
guint bpn_document_n_checks(const bpn_document *doc);
/* The document's tables in order, whole: fn gets each (valid only during the
 * call; FALSE stops).  A spilled table (bpn_builder_spill) is doc->tables'
 * entry with the rest read back for the call: in doc->tables it keeps its
 * number, title, column count and no_data only (its label, unit, pages,
 * notes, meaning, header rows and rows are NULL there).
 * FALSE with *error when the spill file could not be read back.  One
 * reader at a time (the calls share the file's position). */
typedef gboolean (*bpn_table_fn)(const bpn_table *t, void *user);
gboolean bpn_document_foreach_table(const bpn_document *doc, bpn_table_fn fn, void *user, GError **error);
/* The document's repairs in order to fn (valid only during the call; FALSE
 * stops): those of repair_log read back, then doc->repairs.  FALSE with
 * *error when the file could not be read back. */
typedef gboolean (*bpn_repair_fn)(const bpn_repair *r, void *user);
gboolean bpn_document_foreach_repair(const bpn_document *doc, bpn_repair_fn fn, void *user, GError **error);
/* Table `index` of doc->tables, whole, to fn (as bpn_document_foreach_table). */
gboolean bpn_document_with_table(const bpn_document *doc, guint index, bpn_table_fn fn, void *user, GError **error);
/* A unit name in the form that compares: two spellings of one unit (中国共产党
 * 江苏省委员会办公厅, 江苏省委办公厅) give one key.  NULL for NULL or an empty
 * result.  Caller frees. */
char *bpn_unit_key(const char *name);
void bpn_document_free(bpn_document *doc);

#endif
