/* datapackage.c — the tables of the dataset, field by field (the one place
 * that says what each column is), and datapackage.json made from them
 * (Frictionless Data Package, tabular-data-package profile, a Table Schema
 * per CSV file; https://specs.frictionlessdata.io/).  Every field has a type,
 * a description and a unit ("unit": null when the values have none). */
#include "export/internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define S(name, desc) {name, BPD_STRING, NULL, desc, FALSE, FALSE, NULL}
#define SR(name, desc) {name, BPD_STRING, NULL, desc, TRUE, FALSE, NULL}
#define SI(name, desc) {name, BPD_STRING, NULL, desc, FALSE, TRUE, NULL}
#define N(name, unit, desc) {name, BPD_NUMBER, unit, desc, FALSE, FALSE, NULL}
#define I(name, unit, desc) {name, BPD_INTEGER, unit, desc, FALSE, FALSE, NULL}
#define IR(name, unit, desc) {name, BPD_INTEGER, unit, desc, TRUE, FALSE, NULL}
#define B(name, desc) {name, BPD_BOOLEAN, NULL, desc, FALSE, FALSE, NULL}

static const char *const check_states[] = {"failed", "passed", "none", NULL};
static const char *const kept_states[] = {"all", "some", "none", NULL};

static const bpd_field fact_fields[] = {
    SR("document", "sha256 of the PDF the amount was read from (of a by-unit file's first PDF)"),
    S("unit", "the budget unit as the document names it"),
    SI("unit_key", "the unit's name normalised to compare across documents (schema 2 unit_key; the unit as printed before it)"),
    S("region", "where the unit is: province, city and district named, joined"),
    {"year", BPD_INTEGER, "year", "the budget or final-account year of the document", FALSE, TRUE, NULL},
    S("document_type", "部门预算, 单位预算, 部门决算, 单位决算 …"),
    SI("table_kind", "what the table is (schema 2 kind: income_expenditure_summary, three_public …; other when not told; empty before schema 2)"),
    I("table_number", NULL, "the table's number as the document gives it (公开01表 = 1), empty when none"),
    S("table_title", "the table's title as printed"),
    IR("row", NULL, "0-based data row of the table"),
    SI("code", "the row's classification code: function code, else economic (部门预算, then 政府预算) code, else the code printed at the start of the row"),
    S("label", "the row's label as printed (in a side-by-side table, the label of the amount's side)"),
    IR("column", NULL, "0-based column of the table"),
    S("column_path", "the header texts over the column, top to bottom, joined with \" / \""),
    S("measure", "what the column measures (schema 2 measure: total, basic, project …), empty when not told"),
    {"value", BPD_NUMBER, NULL, "the amount as printed, as a number, in the table's unit (unit_of_measure)", TRUE, FALSE, NULL},
    S("unit_of_measure", "the table's unit of amounts as printed (万元, 元), empty when it prints none"),
    N("value_wan", "万元", "the amount in 万元 (value × the table's factor to 万元); empty when the unit is not known"),
    I("page", "page", "1-based page of the PDF where the table starts"),
    {"check", BPD_STRING, NULL, "failed: the amount takes part in a failing arithmetic identity; passed: in a holding one only; none: in no identity", TRUE, FALSE, check_states},
    IR("table_index", NULL, "0-based index of the table in the document's JSON tables"),
    S("number_label", "the table's label as printed (预算14表-1), empty when none"),
    S("basis", "budget or final (schema 2), empty when not told"),
    S("stage", "the stage of the column's figure where the table shows several (budget_initial, final, prior_year, change), empty otherwise"),
    S("side", "the side of a side-by-side table the column belongs to (income, expenditure …), empty otherwise"),
    S("column_key", "the column's name in the JSON's records[].amounts (schema 2), empty when none"),
    S("code_function", "支出功能分类 code of the row (类 3, 款 5, 项 7 digits)"),
    S("code_economic_department", "部门预算支出经济分类 code of the row"),
    S("code_economic_government", "政府预算支出经济分类 code of the row"),
    I("level", NULL, "outline level of the row (类 1, 款 2, 项 3; or by its enumerator), empty when not told"),
    I("parent_row", NULL, "0-based row of the row's parent in the same table, empty when none"),
    B("total", "the row is a total (合计, 总计, 小计 …); empty when not told"),
    S("sub_unit", "the unit the row belongs to, where the table lists units"),
    S("json_file", "the budgetpdf JSON file the row comes from, relative to the exported folder"),
};

static const bpd_field document_fields[] = {
    SR("sha256", "sha256 of the PDF"),
    S("file", "the PDF's file name as given to budgetpdf"),
    SR("json_file", "the budgetpdf JSON file that holds the document, relative to the exported folder"),
    I("pages", "page", "pages of the PDF"),
    S("producer", "the PDF's Producer entry"),
    S("unit", "the budget unit as the document names it"),
    SI("unit_key", "the unit's name normalised to compare (the unit as printed before schema 2)"),
    S("unit_code", "a code printed for the unit"),
    S("region", "province, city and district named, joined"),
    S("region_level", "central, province, city or district"),
    S("province", "province, autonomous region or province-level city"),
    S("city", "prefecture-level city"),
    S("district", "district or county"),
    S("department", "the supervising department (主管部门)"),
    {"year", BPD_INTEGER, "year", "the budget or final-account year", FALSE, TRUE, NULL},
    S("document_type", "部门预算, 单位预算, 部门决算, 单位决算 …"),
    N("income_total", "万元", "收入总计 of the 收支总表 (summary.income_total)"),
    N("expenditure_total", "万元", "支出总计 of the 收支总表 (summary.expenditure_total)"),
    N("basic_expenditure", "万元", "基本支出 total (summary.basic_expenditure)"),
    N("project_expenditure", "万元", "项目支出 total (summary.project_expenditure)"),
    N("three_public_total", "万元", "“三公”经费 total (summary.three_public_total)"),
    S("budgetpdf_version", "the version of budgetpdf that wrote the JSON; empty when it did not record one"),
    I("schema_version", NULL, "the JSON's schema_version"),
    I("tables", NULL, "tables in the JSON file"),
    I("tables_kept", NULL, "of those, the tables whose amounts are in facts (the others are duplicates)"),
    I("facts", NULL, "rows of facts from the JSON file"),
    I("checks_failed", NULL, "arithmetic checks of the JSON that failed"),
    I("warnings", NULL, "warnings in the JSON"),
    {"kept", BPD_STRING, NULL, "all: every table kept; some: some tables are duplicates of another document's; none: no table kept (or none to keep)", TRUE, FALSE, kept_states},
    S("kept_reason", "why tables were left out (the document that holds each, and the rule that chose), empty when all were kept"),
};

static const bpd_field table_fields[] = {
    SR("document", "sha256 of the PDF (of a by-unit file's first PDF)"),
    IR("table_index", NULL, "0-based index of the table in the document's JSON tables"),
    SI("unit_key", "the unit's normalised name"),
    {"year", BPD_INTEGER, "year", "the document's year", FALSE, TRUE, NULL},
    I("table_number", NULL, "the table's number as the document gives it"),
    S("number_label", "the table's label as printed (预算14表-1)"),
    S("table_title", "the title as printed"),
    SI("table_kind", "what the table is (schema 2 kind), empty before schema 2"),
    S("basis", "budget or final"),
    S("scope_fund", "the fund the title names"),
    S("scope_carry_over", "what the title says of carry-over"),
    S("scope_classification", "the classification the title names"),
    S("unit_of_measure", "the unit of amounts as printed"),
    N("to_wan", NULL, "factor from the table's amounts to 万元, empty when the unit is not known"),
    I("page_first", "page", "1-based first page"),
    I("page_last", "page", "1-based last page"),
    I("rows", NULL, "data rows"),
    I("columns", NULL, "columns"),
    I("amounts", NULL, "amount cells (the rows of facts the table gives when kept)"),
    B("no_data", "the table says it is empty"),
    I("checks", NULL, "arithmetic checks on the table"),
    I("checks_failed", NULL, "of those, failed"),
    B("kept", "the table's amounts are in facts; false: a duplicate of the same unit's, year's and table's in another document"),
    S("duplicate_of_document", "when not kept: sha256 of the document whose table was kept"),
    I("duplicate_of_table", NULL, "when not kept: table_index of the table kept"),
    S("reason", "when not kept: why the other copy was chosen"),
    S("json_file", "the JSON file, relative to the exported folder"),
};

static const bpd_field check_fields[] = {
    SR("document", "sha256 of the PDF whose statement is checked"),
    S("unit", "the budget unit"),
    SI("unit_key", "the unit's normalised name"),
    {"year", BPD_INTEGER, "year", "the document's year", FALSE, TRUE, NULL},
    SR("rule", "children_sum, total_row, column_sum, balance, cross_table, carry_over (the tables' own identities); sources_sum, budget_adjusted, balance, execution_rate, balance_rate, score_sum, weight_sum (a 绩效自评表's, with form set); prior_year: a statement against last year compared with the previous year's document of the same unit"),
    I("table_index", NULL, "0-based index of the table in the document's JSON, empty for prose and whole-document rules"),
    I("table_number", NULL, "the table's number as the document gives it"),
    S("table_kind", "the table's kind (schema 2)"),
    S("row", "label or code of the row (prior_year from prose: the subject of the sentence)"),
    S("column", "header of the column (prior_year: the figure compared, e.g. income_total, or the column's path)"),
    N("expected", NULL, "what the parts add up to; prior_year: the change (or last year's figure) computed from the two documents, in the table's unit (万元 for prose)"),
    N("found", NULL, "what the document prints; prior_year: the change (or last year's figure) it states"),
    N("difference", NULL, "found − expected"),
    B("ok", "the identity holds within rounding (for prior_year: the statement agrees with last year's document; a difference is information, not an error)"),
    B("may_be_withheld", "the identity fails with its parts short of the total in a document that says it withholds items for secrecy (the JSON's may_be_withheld and withheld_statement): items withheld may be why; empty for prior_year"),
    S("cells", "[row, column] pairs of the cells involved, the found cell first, as JSON"),
    S("prior_document", "prior_year: sha256 of the previous year's document compared with"),
    {"prior_year", BPD_INTEGER, "year", "prior_year: the year of that document", FALSE, FALSE, NULL},
    N("prior_value", NULL, "prior_year: the figure in the previous year's document"),
    N("current_value", NULL, "prior_year: this document's figure, where it gives one"),
    S("statement", "prior_year: the sentence (or the row and column) that states the comparison"),
    I("form", NULL, "a 绩效自评表's identity: 0-based index of the form in the document's performance_targets (expected and found in 元 for amounts, percent for rates, points for scores); empty for the tables' and prior_year"),
};

static const bpd_field indicator_fields[] = {
    SR("document", "sha256 of the PDF"),
    S("unit", "the budget unit of the document"),
    SI("unit_key", "the unit's normalised name"),
    {"year", BPD_INTEGER, "year", "the document's year", FALSE, TRUE, NULL},
    IR("form", NULL, "0-based index of the form in the document's performance_targets"),
    S("form_kind", "project, department, transfer or self_evaluation"),
    S("project", "项目名称"),
    S("department", "主管部门 as printed"),
    S("implementing_unit", "实施单位"),
    I("form_year", "year", "the form's year, where printed"),
    S("amount_unit", "the unit the form prints its amounts in"),
    S("amount_unit_assumed", "with amount_unit empty, the unit the amounts were read in (万元 when the form's indicators state money in 万元, else 元)"),
    N("period_total_yuan", "元", "实施期资金总额"),
    N("annual_total_yuan", "元", "年度资金总额"),
    N("annual_central_yuan", "元", "年度 funds from 中央"),
    N("annual_provincial_yuan", "元", "年度 funds from 省级"),
    N("annual_municipal_yuan", "元", "年度 funds from 市级"),
    N("annual_self_raised_yuan", "元", "年度 funds 自筹"),
    N("annual_other_yuan", "元", "年度 funds from other sources"),
    IR("indicator", NULL, "0-based index of the indicator in the form"),
    S("scope", "period (实施期) or annual (年度)"),
    S("level1", "一级指标"),
    S("level2", "二级指标"),
    S("level3", "三级指标"),
    S("value", "指标值 as printed"),
    S("direction", "指标性质, where the form prints it"),
    S("measure_unit", "度量单位, where printed"),
    S("actual", "实际完成值, where printed"),
    S("weight", "分值, where printed"),
    S("score", "得分, where printed"),
    S("deviation", "偏差原因, where printed"),
    I("page", "page", "1-based first page of the form"),
};

static const bpd_field execution_fields[] = {
    SR("document", "sha256 of the PDF"),
    S("unit", "the budget unit of the document"),
    SI("unit_key", "the unit's normalised name"),
    {"year", BPD_INTEGER, "year", "the document's year", FALSE, TRUE, NULL},
    IR("form", NULL, "0-based index of the 绩效自评表 in the document's performance_targets (indicators.form)"),
    S("project", "项目名称 (专项名称; a 部门整体 form: the department)"),
    IR("row", NULL, "0-based row of the form's execution block"),
    S("label", "the row's label as printed (年度资金总额, 其中：财政拨款, 合计 …)"),
    SI("source", "total, fiscal, carry_over, other, central, provincial, local; empty when the label names none"),
    N("budget_initial_yuan", "元", "年初预算数"),
    N("adjustment_yuan", "元", "年中调整金额"),
    N("budget_full_year_yuan", "元", "全年预算数 (调整后, 小计)"),
    N("executed_yuan", "元", "全年执行数 (拨付金额)"),
    N("balance_yuan", "元", "结余金额"),
    S("execution_rate", "执行率 as printed"),
    S("balance_rate", "结余率 as printed"),
    S("weight", "分值 as printed"),
    S("score", "得分 as printed"),
    I("page", "page", "1-based page of the row"),
};

G_STATIC_ASSERT(G_N_ELEMENTS(fact_fields) == FACT_N);
G_STATIC_ASSERT(G_N_ELEMENTS(execution_fields) == EXE_N);
G_STATIC_ASSERT(G_N_ELEMENTS(document_fields) == DOC_N);
G_STATIC_ASSERT(G_N_ELEMENTS(table_fields) == TAB_N);
G_STATIC_ASSERT(G_N_ELEMENTS(check_fields) == CHK_N);
G_STATIC_ASSERT(G_N_ELEMENTS(indicator_fields) == IND_N);

static const char *const fact_key[] = {"document", "table_index", "row", "column", NULL};
static const char *const fact_fk[] = {"document", "table_index", NULL};
static const char *const doc_key[] = {"sha256", "json_file", NULL};
static const char *const table_key[] = {"document", "table_index", NULL};
static const char *const indicator_key[] = {"document", "form", "indicator", NULL};
static const char *const execution_key[] = {"document", "form", "row", NULL};

const bpd_resource bpd_resources[BPD_N_RESOURCES] = {
    [BPD_FACTS] = {"facts", "one row per amount cell of every table kept (duplicates of a unit's, year's and table's left out: tables.kept)",
                   fact_fields, FACT_N, fact_key, fact_fk, "tables"},
    [BPD_DOCUMENTS] = {"documents", "one row per PDF", document_fields, DOC_N, doc_key, NULL, NULL},
    [BPD_TABLES] = {"tables", "one row per table of every document", table_fields, TAB_N, table_key, NULL, NULL},
    [BPD_CHECKS] = {"checks", "the documents' arithmetic checks, and prior_year comparisons across years", check_fields,
                    CHK_N, NULL, NULL, NULL},
    [BPD_INDICATORS] = {"indicators", "one row per performance indicator of the 绩效目标表 forms", indicator_fields, IND_N,
                        indicator_key, NULL, NULL},
    [BPD_EXECUTION] = {"execution", "one row per source of funds of the 绩效自评表 forms' budget execution blocks", execution_fields,
                       EXE_N, execution_key, NULL, NULL},
};

const char *bpd_number_text(double v, char *buf)
{
    double r = round(v * 1e6) / 1e6;
    if (r == 0)
        r = 0; /* no "-0" */
    g_snprintf(buf, 32, "%.15g", r);
    return buf;
}

static const char *type_name(bpd_type t)
{
    static const char *const names[] = {"string", "number", "integer", "boolean"};
    return names[t];
}

static cJSON *string_list(const char *const *names)
{
    cJSON *a = cJSON_CreateArray();
    for (; *names; names++)
        cJSON_AddItemToArray(a, cJSON_CreateString(*names));
    return a;
}

gboolean bpd_datapackage_write(const char *dir, GError **error)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "profile", "tabular-data-package");
    cJSON_AddStringToObject(root, "name", "budgetpdf-dataset");
    cJSON_AddStringToObject(root, "title", "Budget disclosures read by budgetpdf");
    cJSON_AddStringToObject(root, "description",
                            "Amounts, tables, documents, checks, performance indicators and self-evaluated budget execution of Chinese budget "
                            "disclosures (部门预算/决算), exported by budgetpdf from its JSON.");
    cJSON *resources = cJSON_AddArrayToObject(root, "resources");
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        const bpd_resource *res = &bpd_resources[r];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", res->name);
        char *path = g_strconcat(res->name, ".csv", NULL);
        cJSON_AddStringToObject(o, "path", path);
        g_free(path);
        cJSON_AddStringToObject(o, "profile", "tabular-data-resource");
        cJSON_AddStringToObject(o, "description", res->description);
        cJSON_AddStringToObject(o, "format", "csv");
        cJSON_AddStringToObject(o, "mediatype", "text/csv");
        cJSON_AddStringToObject(o, "encoding", "utf-8"); /* a BOM (--csv-bom) is not data: readers skip it */
        cJSON *dialect = cJSON_AddObjectToObject(o, "dialect");
        cJSON_AddStringToObject(dialect, "delimiter", ",");
        cJSON_AddStringToObject(dialect, "lineTerminator", "\r\n");
        cJSON_AddStringToObject(dialect, "quoteChar", "\"");
        cJSON_AddBoolToObject(dialect, "doubleQuote", TRUE);
        cJSON_AddBoolToObject(dialect, "header", TRUE);
        cJSON *schema = cJSON_AddObjectToObject(o, "schema");
        cJSON *fields = cJSON_AddArrayToObject(schema, "fields");
        for (int f = 0; f < res->n_fields; f++) {
            const bpd_field *fd = &res->fields[f];
            cJSON *fo = cJSON_CreateObject();
            cJSON_AddStringToObject(fo, "name", fd->name);
            cJSON_AddStringToObject(fo, "type", type_name(fd->type));
            cJSON_AddStringToObject(fo, "description", fd->description);
            cJSON_AddItemToObject(fo, "unit", fd->unit ? cJSON_CreateString(fd->unit) : cJSON_CreateNull());
            if (fd->type == BPD_BOOLEAN) {
                cJSON_AddItemToObject(fo, "trueValues", string_list((const char *const[]){"true", NULL}));
                cJSON_AddItemToObject(fo, "falseValues", string_list((const char *const[]){"false", NULL}));
            }
            if (fd->required || fd->enumeration) {
                cJSON *c = cJSON_AddObjectToObject(fo, "constraints");
                if (fd->required)
                    cJSON_AddBoolToObject(c, "required", TRUE);
                if (fd->enumeration)
                    cJSON_AddItemToObject(c, "enum", string_list(fd->enumeration));
            }
            cJSON_AddItemToArray(fields, fo);
        }
        cJSON_AddItemToObject(schema, "missingValues", string_list((const char *const[]){"", NULL}));
        if (res->primary_key)
            cJSON_AddItemToObject(schema, "primaryKey", string_list(res->primary_key));
        if (res->foreign_fields) {
            cJSON *fks = cJSON_AddArrayToObject(schema, "foreignKeys");
            cJSON *fk = cJSON_CreateObject();
            cJSON_AddItemToObject(fk, "fields", string_list(res->foreign_fields));
            cJSON *ref = cJSON_AddObjectToObject(fk, "reference");
            cJSON_AddStringToObject(ref, "resource", res->foreign_resource);
            cJSON_AddItemToObject(ref, "fields", string_list(res->foreign_fields));
            cJSON_AddItemToArray(fks, fk);
        }
        cJSON_AddItemToArray(resources, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    char *path = g_build_filename(dir, "datapackage.json", NULL);
    gboolean ok = text && bpd_write_file(path, text, strlen(text), error);
    if (!text)
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "out of memory writing datapackage.json");
    cJSON_free(text);
    g_free(path);
    return ok;
}
