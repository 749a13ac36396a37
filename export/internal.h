/* export/internal.h — what the files of export/ share; export.h is the
 * interface.
 *
 * The six tables of the dataset and their fields are data, in
 * export/datapackage.c: each field's name, type, unit and description.  The
 * CSV and SQLite writers and datapackage.json are all made from that list,
 * and export.c fills rows by the field enums below, which follow the lists
 * in order (datapackage.c checks the counts at compile time).
 */
#ifndef BUDGETPDF_EXPORT_INTERNAL_H
#define BUDGETPDF_EXPORT_INTERNAL_H

#include <glib.h>

#include "export/export.h"

typedef enum { BPD_FACTS, BPD_DOCUMENTS, BPD_TABLES, BPD_CHECKS, BPD_INDICATORS, BPD_EXECUTION, BPD_N_RESOURCES } bpd_resource_id;

typedef enum { BPD_STRING, BPD_NUMBER, BPD_INTEGER, BPD_BOOLEAN } bpd_type;

typedef struct {
    const char *name;
    bpd_type type;
    const char *unit;        /* the unit of the values (万元, 元, page …); NULL: none */
    const char *description;
    gboolean required;       /* never empty */
    gboolean indexed;        /* SQLite: an index on this column */
    const char *const *enumeration; /* the only values allowed; NULL: any */
} bpd_field;

typedef struct {
    const char *name;        /* facts: facts.csv, table "facts" */
    const char *description;
    const bpd_field *fields;
    int n_fields;
    const char *const *primary_key; /* NULL-terminated; NULL: none */
    /* a foreign key: these fields refer to the primary key of another resource */
    const char *const *foreign_fields;
    const char *foreign_resource;
} bpd_resource;

extern const bpd_resource bpd_resources[BPD_N_RESOURCES];

/* Field indexes, in the order of bpd_resources[...].fields. */
enum {
    FACT_DOCUMENT, FACT_UNIT, FACT_UNIT_KEY, FACT_REGION, FACT_YEAR, FACT_DOCUMENT_TYPE, FACT_TABLE_KIND,
    FACT_TABLE_NUMBER, FACT_TABLE_TITLE, FACT_ROW, FACT_CODE, FACT_LABEL, FACT_COLUMN, FACT_COLUMN_PATH,
    FACT_MEASURE, FACT_VALUE, FACT_UNIT_OF_MEASURE, FACT_VALUE_WAN, FACT_PAGE, FACT_CHECK,
    FACT_TABLE_INDEX, FACT_NUMBER_LABEL, FACT_BASIS, FACT_STAGE, FACT_SIDE, FACT_COLUMN_KEY,
    FACT_CODE_FUNCTION, FACT_CODE_ECONOMIC_DEPARTMENT, FACT_CODE_ECONOMIC_GOVERNMENT, FACT_LEVEL,
    FACT_PARENT_ROW, FACT_TOTAL, FACT_SUB_UNIT, FACT_JSON_FILE, FACT_N
};
enum {
    DOC_SHA256, DOC_FILE, DOC_JSON_FILE, DOC_PAGES, DOC_PRODUCER, DOC_UNIT, DOC_UNIT_KEY, DOC_UNIT_CODE,
    DOC_REGION, DOC_REGION_LEVEL, DOC_PROVINCE, DOC_CITY, DOC_DISTRICT, DOC_DEPARTMENT, DOC_YEAR, DOC_TYPE,
    DOC_INCOME_TOTAL, DOC_EXPENDITURE_TOTAL, DOC_BASIC_EXPENDITURE, DOC_PROJECT_EXPENDITURE,
    DOC_THREE_PUBLIC_TOTAL, DOC_BUDGETPDF_VERSION, DOC_SCHEMA_VERSION, DOC_TABLES, DOC_TABLES_KEPT,
    DOC_FACTS, DOC_CHECKS_FAILED, DOC_WARNINGS, DOC_KEPT, DOC_KEPT_REASON, DOC_N
};
enum {
    TAB_DOCUMENT, TAB_TABLE_INDEX, TAB_UNIT_KEY, TAB_YEAR, TAB_TABLE_NUMBER, TAB_NUMBER_LABEL, TAB_TITLE,
    TAB_KIND, TAB_BASIS, TAB_SCOPE_FUND, TAB_SCOPE_CARRY_OVER, TAB_SCOPE_CLASSIFICATION, TAB_UNIT_OF_MEASURE,
    TAB_TO_WAN, TAB_PAGE_FIRST, TAB_PAGE_LAST, TAB_ROWS, TAB_COLUMNS, TAB_AMOUNTS, TAB_NO_DATA,
    TAB_CHECKS, TAB_CHECKS_FAILED, TAB_KEPT, TAB_DUPLICATE_OF_DOCUMENT, TAB_DUPLICATE_OF_TABLE, TAB_REASON,
    TAB_JSON_FILE, TAB_N
};
enum {
    CHK_DOCUMENT, CHK_UNIT, CHK_UNIT_KEY, CHK_YEAR, CHK_RULE, CHK_TABLE_INDEX, CHK_TABLE_NUMBER,
    CHK_TABLE_KIND, CHK_ROW, CHK_COLUMN, CHK_EXPECTED, CHK_FOUND, CHK_DIFFERENCE, CHK_OK, CHK_MAY_BE_WITHHELD,
    CHK_CELLS,
    CHK_PRIOR_DOCUMENT, CHK_PRIOR_YEAR, CHK_PRIOR_VALUE, CHK_CURRENT_VALUE, CHK_STATEMENT, CHK_FORM, CHK_N
};
enum {
    IND_DOCUMENT, IND_UNIT, IND_UNIT_KEY, IND_YEAR, IND_FORM, IND_FORM_KIND, IND_PROJECT, IND_DEPARTMENT,
    IND_IMPLEMENTING_UNIT, IND_FORM_YEAR, IND_AMOUNT_UNIT, IND_AMOUNT_UNIT_ASSUMED, IND_PERIOD_TOTAL_YUAN, IND_ANNUAL_TOTAL_YUAN,
    IND_ANNUAL_CENTRAL_YUAN, IND_ANNUAL_PROVINCIAL_YUAN, IND_ANNUAL_MUNICIPAL_YUAN, IND_ANNUAL_SELF_RAISED_YUAN,
    IND_ANNUAL_OTHER_YUAN, IND_INDICATOR, IND_SCOPE, IND_LEVEL1, IND_LEVEL2, IND_LEVEL3, IND_VALUE,
    IND_DIRECTION, IND_MEASURE_UNIT, IND_ACTUAL, IND_WEIGHT, IND_SCORE, IND_DEVIATION, IND_PAGE, IND_N
};
enum {
    EXE_DOCUMENT, EXE_UNIT, EXE_UNIT_KEY, EXE_YEAR, EXE_FORM, EXE_PROJECT, EXE_ROW, EXE_LABEL, EXE_SOURCE,
    EXE_BUDGET_INITIAL_YUAN, EXE_ADJUSTMENT_YUAN, EXE_BUDGET_FULL_YEAR_YUAN, EXE_EXECUTED_YUAN, EXE_BALANCE_YUAN,
    EXE_EXECUTION_RATE, EXE_BALANCE_RATE, EXE_WEIGHT, EXE_SCORE, EXE_PAGE, EXE_N
};

/* One cell of a row; kind BPD_V_NULL is an empty cell. */
typedef enum { BPD_V_NULL, BPD_V_STRING, BPD_V_NUMBER, BPD_V_INTEGER, BPD_V_BOOLEAN } bpd_value_kind;
typedef struct {
    bpd_value_kind kind;
    const char *s; /* BPD_V_STRING; borrowed */
    double n;      /* BPD_V_NUMBER */
    gint64 i;      /* BPD_V_INTEGER, BPD_V_BOOLEAN */
} bpd_value;

/* A number as the dataset writes it: rounded to 6 decimals (amounts keep the
 * precision printed; 万元 from 元 needs 6), shortest form ("1438.44").
 * buf: at least 32 bytes. */
const char *bpd_number_text(double v, char *buf);

/* datapackage.c: writes dir/datapackage.json (atomically). */
gboolean bpd_datapackage_write(const char *dir, GError **error);

/* csv.c */
typedef struct bpd_csv bpd_csv;
bpd_csv *bpd_csv_open(const char *dir, gboolean bom, GError **error);
gboolean bpd_csv_row(bpd_csv *c, bpd_resource_id r, const bpd_value *row, GError **error);
/* commit: TRUE renames the files into place; FALSE removes them. */
gboolean bpd_csv_close(bpd_csv *c, gboolean commit, GError **error);

/* sqlite.c */
typedef struct bpd_sqlite bpd_sqlite;
bpd_sqlite *bpd_sqlite_open(const char *path, GError **error);
gboolean bpd_sqlite_row(bpd_sqlite *s, bpd_resource_id r, const bpd_value *row, GError **error);
gboolean bpd_sqlite_close(bpd_sqlite *s, gboolean commit, GError **error);

/* Writes text to path under a temporary name, then renames it. */
gboolean bpd_write_file(const char *path, const char *text, gsize len, GError **error);

#endif
