/* json.c — bpn_document to JSON with cJSON.  Amounts are numbers; text
 * cells, codes and empty cells are strings or null, as printed. */
#include "emit/emit.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

G_DEFINE_QUARK(bpe-error-quark, bpe_error)

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Amounts keep the precision they were printed with; doubles such as
 * 1438.44 must not come out as 1438.4400000000001. */
static cJSON *amount(double v)
{
    return cJSON_CreateNumber(round(v * 1e6) / 1e6);
}

static cJSON *amount_or_null(bpn_amount a)
{
    return a.set ? amount(a.value) : cJSON_CreateNull();
}

static cJSON *row_json(const bpn_row *r, int n_cols, gboolean header)
{
    cJSON *a = cJSON_CreateArray();
    for (int c = 0; c < n_cols; c++) {
        const bpn_cell *cell = &r->cells[c];
        if (!header && cell->is_number)
            cJSON_AddItemToArray(a, amount(cell->number));
        else
            cJSON_AddItemToArray(a, str_or_null(cell->text));
    }
    return a;
}

static cJSON *strv_json(char **v)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; v && v[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* The table's meaning (normalize/meaning.c): identity, columns, records. */
static void meaning_json(cJSON *o, const bpn_table *t)
{
    const bpn_table_meaning *m = t->meaning;
    cJSON_AddStringToObject(o, "kind", m ? m->kind : "other");
    cJSON_AddItemToObject(o, "basis", str_or_null(m ? m->basis : NULL));
    cJSON_AddItemToObject(o, "number_label", str_or_null(m ? m->number_label : NULL));
    cJSON *scope = cJSON_AddObjectToObject(o, "scope");
    cJSON_AddItemToObject(scope, "fund", str_or_null(m ? m->fund : NULL));
    cJSON_AddItemToObject(scope, "carry_over", str_or_null(m ? m->carry_over : NULL));
    cJSON_AddItemToObject(scope, "classification", str_or_null(m ? m->classification : NULL));
    cJSON_AddItemToObject(o, "to_wan", m && m->to_wan > 0 ? cJSON_CreateNumber(m->to_wan) : cJSON_CreateNull());
    cJSON_AddBoolToObject(o, "unit_inherited", m && m->unit_inherited);
    cJSON *cols = cJSON_AddArrayToObject(o, "columns");
    for (guint i = 0; m && i < m->columns->len; i++) {
        const bpn_column *c = m->columns->pdata[i];
        cJSON *co = cJSON_CreateObject();
        cJSON_AddItemToObject(co, "path", strv_json(c->path));
        cJSON_AddStringToObject(co, "role", c->role);
        cJSON_AddItemToObject(co, "measure", str_or_null(c->measure));
        cJSON_AddItemToObject(co, "stage", str_or_null(c->stage));
        cJSON_AddItemToObject(co, "side", str_or_null(c->side));
        cJSON_AddItemToObject(co, "key", str_or_null(c->key));
        cJSON_AddItemToArray(cols, co);
    }
    cJSON *recs = cJSON_AddArrayToObject(o, "records");
    for (guint i = 0; m && i < m->records->len; i++) {
        const bpn_record *r = m->records->pdata[i];
        const bpn_row *row = t->rows->pdata[r->row];
        cJSON *ro = cJSON_CreateObject();
        cJSON_AddNumberToObject(ro, "row", r->row);
        cJSON_AddItemToObject(ro, "side", str_or_null(r->side));
        cJSON_AddItemToObject(ro, "label", str_or_null(r->label));
        cJSON *codes = cJSON_AddObjectToObject(ro, "codes");
        cJSON_AddItemToObject(codes, "function", str_or_null(r->function_code));
        cJSON_AddItemToObject(codes, "economic_department", str_or_null(r->economic_department_code));
        cJSON_AddItemToObject(codes, "economic_government", str_or_null(r->economic_government_code));
        cJSON_AddItemToObject(ro, "level", r->level ? cJSON_CreateNumber(r->level) : cJSON_CreateNull());
        cJSON_AddItemToObject(ro, "parent", r->parent >= 0 ? cJSON_CreateNumber(r->parent) : cJSON_CreateNull());
        cJSON_AddBoolToObject(ro, "total", r->total);
        cJSON_AddItemToObject(ro, "sub_unit", str_or_null(r->sub_unit));
        cJSON *am = cJSON_AddObjectToObject(ro, "amounts");
        for (guint k = 0; k < r->amount_cols->len; k++) {
            int c = g_array_index(r->amount_cols, int, k);
            const bpn_column *col = m->columns->pdata[c];
            cJSON_AddItemToObject(am, col->key, amount(row->cells[c].number));
        }
        cJSON_AddItemToArray(recs, ro);
    }
}

static cJSON *table_json(const bpn_table *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "number", t->number > 0 ? cJSON_CreateNumber(t->number) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "title", str_or_null(t->title));
    cJSON_AddItemToObject(o, "unit_of_measure", str_or_null(t->unit_of_measure));
    cJSON *pages = cJSON_AddArrayToObject(o, "pages");
    for (guint i = 0; i < t->pages->len; i++)
        cJSON_AddItemToArray(pages, cJSON_CreateNumber(g_array_index(t->pages, int, i)));
    cJSON *hdr = cJSON_AddArrayToObject(o, "header_rows");
    for (guint i = 0; i < t->header_rows->len; i++)
        cJSON_AddItemToArray(hdr, row_json(t->header_rows->pdata[i], t->n_cols, TRUE));
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (guint i = 0; i < t->rows->len; i++)
        cJSON_AddItemToArray(rows, row_json(t->rows->pdata[i], t->n_cols, FALSE));
    cJSON_AddBoolToObject(o, "no_data", t->no_data);
    cJSON *notes = cJSON_AddArrayToObject(o, "notes");
    for (guint i = 0; i < t->notes->len; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(t->notes->pdata[i]));
    meaning_json(o, t);
    return o;
}

/* ---- performance targets (项目支出绩效目标表) ---- */

static cJSON *funds_json(const bpn_funds *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "central", amount_or_null(f->central));
    cJSON_AddItemToObject(o, "provincial", amount_or_null(f->provincial));
    cJSON_AddItemToObject(o, "municipal", amount_or_null(f->municipal));
    cJSON_AddItemToObject(o, "self_raised", amount_or_null(f->self_raised));
    cJSON_AddItemToObject(o, "other", amount_or_null(f->other));
    /* only where a 部门整体 form prints them */
    if (f->fiscal.set)
        cJSON_AddItemToObject(o, "fiscal", amount_or_null(f->fiscal));
    if (f->basic.set)
        cJSON_AddItemToObject(o, "basic", amount_or_null(f->basic));
    if (f->project.set)
        cJSON_AddItemToObject(o, "project", amount_or_null(f->project));
    return o;
}

static cJSON *indicator_json(const bpn_indicator *ind)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scope", ind->annual ? "annual" : "period");
    cJSON_AddItemToObject(o, "level1", str_or_null(ind->level1));
    cJSON_AddItemToObject(o, "level2", str_or_null(ind->level2));
    cJSON_AddItemToObject(o, "level3", str_or_null(ind->level3));
    if (ind->level3_printed)
        cJSON_AddStringToObject(o, "level3_printed", ind->level3_printed);
    cJSON_AddItemToObject(o, "value", str_or_null(ind->value));
    static const struct {
        const char *name;
        size_t off;
    } extras[] = {{"direction", offsetof(bpn_indicator, direction)}, {"measure_unit", offsetof(bpn_indicator, measure_unit)},
                  {"actual", offsetof(bpn_indicator, actual)},       {"weight", offsetof(bpn_indicator, weight)},
                  {"score", offsetof(bpn_indicator, score)},         {"deviation", offsetof(bpn_indicator, deviation)}};
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
        const char *v = *(char *const *)((const char *)ind + extras[i].off);
        if (v) /* only where the form prints the column */
            cJSON_AddStringToObject(o, extras[i].name, v);
    }
    return o;
}

/* A 自评表's execution rows and identities (normalize.h). */

static cJSON *execution_json(const bpn_execution_row *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "label", str_or_null(r->label));
    cJSON_AddItemToObject(o, "source", str_or_null(r->source));
    cJSON_AddNumberToObject(o, "page", r->page);
    for (int m = 0; m < BPN_EX_N_AMOUNTS; m++) {
        char name[64];
        g_snprintf(name, sizeof name, "%s_yuan", bpn_execution_measure_name(m));
        cJSON_AddItemToObject(o, name, amount_or_null(r->amount[m]));
    }
    for (int m = BPN_EX_N_AMOUNTS; m < BPN_EX_N_MEASURES; m++)
        cJSON_AddItemToObject(o, bpn_execution_measure_name(m), str_or_null(r->printed[m]));
    cJSON *printed = cJSON_AddObjectToObject(o, "printed");
    for (int m = 0; m < BPN_EX_N_AMOUNTS; m++)
        if (r->printed[m])
            cJSON_AddStringToObject(printed, bpn_execution_measure_name(m), r->printed[m]);
    return o;
}

static cJSON *form_check_json(const bpn_form_check *k)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "rule", k->rule);
    cJSON_AddItemToObject(o, "row", str_or_null(k->row));
    cJSON_AddItemToObject(o, "column", str_or_null(k->column));
    cJSON_AddItemToObject(o, "expected", amount(k->expected));
    cJSON_AddItemToObject(o, "found", amount(k->found));
    cJSON_AddItemToObject(o, "tolerance", amount(k->tolerance));
    cJSON_AddBoolToObject(o, "ok", k->ok);
    return o;
}

static cJSON *target_json(const bpn_target *t)
{
    static const char *const kinds[] = {"project", "department", "transfer", "self_evaluation"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", kinds[t->kind]);
    cJSON_AddItemToObject(o, "project", cJSON_CreateString(t->project ? t->project : ""));
    if (t->project_code)
        cJSON_AddStringToObject(o, "project_code", t->project_code);
    cJSON_AddItemToObject(o, "department", str_or_null(t->department));
    cJSON_AddItemToObject(o, "implementing_unit", str_or_null(t->implementing_unit));
    cJSON_AddItemToObject(o, "year", t->year ? cJSON_CreateNumber(t->year) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "attribute", str_or_null(t->attribute));
    cJSON_AddItemToObject(o, "period", str_or_null(t->period));
    cJSON_AddItemToObject(o, "amount_unit", str_or_null(t->amount_unit));
    cJSON_AddItemToObject(o, "amount_unit_assumed", str_or_null(t->amount_unit_assumed));
    cJSON_AddItemToObject(o, "period_total_yuan", amount_or_null(t->funds_period.total));
    cJSON_AddItemToObject(o, "annual_total_yuan", amount_or_null(t->funds_annual.total));
    cJSON *funds = cJSON_AddObjectToObject(o, "funds");
    cJSON_AddItemToObject(funds, "period", funds_json(&t->funds_period));
    cJSON_AddItemToObject(funds, "annual", funds_json(&t->funds_annual));
    cJSON_AddItemToObject(o, "overview", str_or_null(t->overview));
    cJSON_AddItemToObject(o, "basis", str_or_null(t->basis));
    cJSON_AddItemToObject(o, "necessity", str_or_null(t->necessity));
    cJSON_AddItemToObject(o, "measures", str_or_null(t->measures));
    cJSON_AddItemToObject(o, "plan", str_or_null(t->plan));
    cJSON_AddItemToObject(o, "goal_period", str_or_null(t->goal_period));
    cJSON_AddItemToObject(o, "goal_annual", str_or_null(t->goal_annual));
    if (t->kind == BPN_FORM_SELF_EVALUATION) {
        cJSON_AddItemToObject(o, "goal_actual", str_or_null(t->goal_actual));
        cJSON_AddItemToObject(o, "self_score", str_or_null(t->self_score));
        cJSON_AddItemToObject(o, "weight_total", str_or_null(t->weight_total));
        cJSON_AddItemToObject(o, "grade", str_or_null(t->grade));
        cJSON *ex = cJSON_AddArrayToObject(o, "execution");
        for (guint i = 0; t->execution && i < t->execution->len; i++)
            cJSON_AddItemToArray(ex, execution_json(t->execution->pdata[i]));
        cJSON *checks = cJSON_AddArrayToObject(o, "checks");
        for (guint i = 0; t->checks && i < t->checks->len; i++)
            cJSON_AddItemToArray(checks, form_check_json(t->checks->pdata[i]));
    }
    cJSON_AddItemToObject(o, "filled_at", str_or_null(t->filled_at));
    cJSON *pages = cJSON_AddArrayToObject(o, "pages");
    for (guint i = 0; i < t->pages->len; i++)
        cJSON_AddItemToArray(pages, cJSON_CreateNumber(g_array_index(t->pages, int, i)));
    cJSON *inds = cJSON_AddArrayToObject(o, "indicators");
    for (guint i = 0; i < t->indicators->len; i++)
        cJSON_AddItemToArray(inds, indicator_json(t->indicators->pdata[i]));
    return o;
}

/* ---- writing the document as it is made ----
 *
 * How it works.  A document's JSON is as long as the document (12 KB a table
 * page), and a cJSON tree of it takes some seven times that; printing the
 * tree whole adds a buffer that doubles as it grows.  So the document is
 * written member by member, and its long arrays item by item, each from a
 * tree of that item alone, printed and freed before the next is made:
 *  1. json_writer holds the output function and a small buffer (flushed at
 *     WRITER_CHUNK bytes), and whether the output is indented.
 *  2. put_value prints one cJSON value alone (cJSON_Print or
 *     cJSON_PrintUnformatted) and copies it out with a tab added after
 *     every newline for each level it stands at: cJSON indents a value by
 *     its depth, with one tab per level and nothing else (a newline inside
 *     a string is printed escaped), so a value printed alone and shifted is
 *     byte for byte the value printed in its place.  The tree is freed.
 *  3. put_member writes a member of the document (a key, a tab when
 *     indented, put_value at depth 1), with the comma and newline cJSON puts
 *     between members; begin_array / put_item / end_array write a member
 *     whose value is an array of objects, item by item at depth 2, separated
 *     by ", " (indented) or "," as cJSON separates them.
 *  4. bpe_document_write writes the members in the schema's order: the head
 *     (source, identity, summary, summary_provenance), then tables,
 *     performance_targets, sections, repairs, warnings and checks one item
 *     at a time; the tables and checks through bpn_document_foreach_table
 *     and bpn_document_foreach_check, which read back those the builder
 *     spilled to its temporary file (normalize/spill.c) one at a time.
 * The output is the one the whole tree printed: tests/unit/test_emit.c
 * parses a long document's text and prints the tree again with cJSON, and
 * the two are byte for byte the same, indented or not, and the same again
 * with the tables and checks spilled.  What it leaves: the rest of the
 * normalized document is in memory when it is written (the tables'
 * headings and columns, the sections, warnings and repairs), and the
 * document-level steps that need every table run after all pages are read
 * (normalize/document.c, over struct bpn_builder).
 */

#define WRITER_CHUNK 65536

typedef struct {
    bpe_write_fn write;
    void *user;
    gboolean pretty;
    gboolean failed; /* write returned FALSE: nothing more is written */
    GString *buf;
    int members;     /* members of the document written so far */
    int items;       /* items of the open array written so far */
    const bpn_document *doc; /* the document written */
} json_writer;

static void flush(json_writer *w)
{
    if (w->buf->len && !w->failed && !w->write(w->buf->str, w->buf->len, w->user))
        w->failed = TRUE;
    g_string_truncate(w->buf, 0);
}

static void put(json_writer *w, const char *s)
{
    g_string_append(w->buf, s);
    if (w->buf->len >= WRITER_CHUNK)
        flush(w);
}

/* Step 2: one value at `depth` levels, then freed. */
static void put_value(json_writer *w, cJSON *v, int depth)
{
    char *text = w->pretty ? cJSON_Print(v) : cJSON_PrintUnformatted(v);
    cJSON_Delete(v);
    if (!text) {
        w->failed = TRUE;
        return;
    }
    for (const char *p = text, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl) {
            g_string_append(w->buf, p);
            break;
        }
        g_string_append_len(w->buf, p, nl - p + 1);
        for (int i = 0; i < depth; i++)
            g_string_append_c(w->buf, '\t');
    }
    cJSON_free(text);
    if (w->buf->len >= WRITER_CHUNK)
        flush(w);
}

static void put_key(json_writer *w, const char *key)
{
    if (w->members++)
        put(w, w->pretty ? ",\n" : ",");
    put(w, w->pretty ? "\t\"" : "\"");
    put(w, key); /* the schema's names: nothing to escape */
    put(w, w->pretty ? "\":\t" : "\":");
}

/* Step 3. */
static void put_member(json_writer *w, const char *key, cJSON *value)
{
    put_key(w, key);
    put_value(w, value, 1);
}

static void begin_array(json_writer *w, const char *key)
{
    put_key(w, key);
    put(w, "[");
    w->items = 0;
}

static void put_item(json_writer *w, cJSON *item)
{
    if (w->items++)
        put(w, w->pretty ? ", " : ",");
    put_value(w, item, 2);
}

static void end_array(json_writer *w)
{
    put(w, "]");
}

static cJSON *source_json(const bpn_document *doc)
{
    cJSON *src = cJSON_CreateObject();
    cJSON_AddItemToObject(src, "file", str_or_null(doc->source.file));
    cJSON_AddItemToObject(src, "file_encoding", str_or_null(doc->source.file_encoding));
    cJSON_AddStringToObject(src, "sha256", doc->source.sha256);
    cJSON_AddNumberToObject(src, "pages", doc->source.pages);
    cJSON_AddItemToObject(src, "producer", str_or_null(doc->source.producer));
    cJSON *ocr = cJSON_AddArrayToObject(src, "ocr_pages");
    for (guint i = 0; doc->source.ocr_pages && i < doc->source.ocr_pages->len; i++)
        cJSON_AddItemToArray(ocr, cJSON_CreateNumber(g_array_index(doc->source.ocr_pages, int, i)));
    return src;
}

static cJSON *region_json(const bpn_document *doc)
{
    cJSON *region = cJSON_CreateObject();
    cJSON_AddItemToObject(region, "level", str_or_null(doc->region.level));
    cJSON_AddItemToObject(region, "province", str_or_null(doc->region.province));
    cJSON_AddItemToObject(region, "city", str_or_null(doc->region.city));
    cJSON_AddItemToObject(region, "district", str_or_null(doc->region.district));
    return region;
}

static cJSON *summary_json(const bpn_document *doc)
{
    cJSON *sum = cJSON_CreateObject();
    cJSON_AddItemToObject(sum, "income_total", amount_or_null(doc->income_total));
    cJSON_AddItemToObject(sum, "expenditure_total", amount_or_null(doc->expenditure_total));
    cJSON_AddItemToObject(sum, "basic_expenditure", amount_or_null(doc->basic_expenditure));
    cJSON_AddItemToObject(sum, "project_expenditure", amount_or_null(doc->project_expenditure));
    cJSON_AddItemToObject(sum, "three_public_total", amount_or_null(doc->three_public_total));
    return sum;
}

/* What the provenance of a figure names of its table's meaning (read with
 * bpn_document_with_table: a spilled table's meaning is not held). */
typedef struct {
    int col;
    const char *kind, *fund, *carry_over; /* static (vocabulary) strings */
    char *key;
} provenance_table;

static gboolean provenance_table_read(const bpn_table *t, void *user)
{
    provenance_table *pt = user;
    const bpn_table_meaning *m = t->meaning;
    const bpn_column *col = m ? m->columns->pdata[pt->col] : NULL;
    pt->kind = m ? m->kind : NULL;
    pt->fund = m ? m->fund : NULL;
    pt->carry_over = m ? m->carry_over : NULL;
    pt->key = col ? g_strdup(col->key) : NULL;
    return TRUE;
}

static cJSON *provenance_json(const bpn_document *doc, GError **error)
{
    cJSON *prov = cJSON_CreateObject();
    const char *figures[] = {"income_total", "expenditure_total", "basic_expenditure", "project_expenditure",
                             "three_public_total"};
    for (gsize f = 0; f < G_N_ELEMENTS(figures); f++) {
        const bpn_provenance *p = NULL;
        for (guint i = 0; doc->provenance && i < doc->provenance->len && !p; i++)
            if (strcmp(((bpn_provenance *)doc->provenance->pdata[i])->figure, figures[f]) == 0)
                p = doc->provenance->pdata[i];
        if (!p) {
            cJSON_AddNullToObject(prov, figures[f]);
            continue;
        }
        cJSON *o = cJSON_AddObjectToObject(prov, figures[f]);
        gboolean t = p->table >= 0;
        provenance_table m = {.col = p->col};
        if (t && !bpn_document_with_table(doc, (guint)p->table, provenance_table_read, &m, error)) {
            cJSON_Delete(prov);
            return NULL;
        }
        cJSON_AddItemToObject(o, "table", t ? cJSON_CreateNumber(p->table) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "kind", str_or_null(m.kind));
        cJSON_AddItemToObject(o, "row", t ? cJSON_CreateNumber(p->row) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "column", t ? cJSON_CreateNumber(p->col) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "key", str_or_null(m.key));
        cJSON_AddItemToObject(o, "section", p->section >= 0 ? cJSON_CreateNumber(p->section) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "sentence", str_or_null(p->sentence));
        cJSON *scope = cJSON_AddObjectToObject(o, "scope");
        cJSON_AddItemToObject(scope, "fund", str_or_null(m.fund));
        cJSON_AddItemToObject(scope, "carry_over", str_or_null(m.carry_over));
        g_free(m.key);
    }
    return prov;
}

static cJSON *section_json(const bpn_section *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "heading", str_or_null(s->heading));
    cJSON_AddItemToObject(o, "text", str_or_null(s->text));
    return o;
}

static cJSON *repair_json(const bpn_repair *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddItemToObject(o, "page", r->page ? cJSON_CreateNumber(r->page) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "from", str_or_null(r->from));
    cJSON_AddItemToObject(o, "to", str_or_null(r->to));
    if (r->in_cell) { /* an OCR repair (normalize/ocrfix.c): the cell, the checks that settled it */
        cJSON_AddNumberToObject(o, "table_index", r->table_index);
        cJSON *at = cJSON_AddArrayToObject(o, "cell");
        cJSON_AddItemToArray(at, cJSON_CreateNumber(r->row));
        cJSON_AddItemToArray(at, cJSON_CreateNumber(r->col));
        if (r->checks) {
            cJSON *ks = cJSON_AddArrayToObject(o, "checks");
            for (guint j = 0; j < r->checks->len; j++)
                cJSON_AddItemToArray(ks, cJSON_CreateNumber(g_array_index(r->checks, int, j)));
        }
    }
    return o;
}

static cJSON *warning_json(const bpn_warning *w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "page", w->page ? cJSON_CreateNumber(w->page) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "message", w->message);
    return o;
}

/* may_be_withheld: bpn_check_may_be_withheld() of k */
static cJSON *check_json(const bpn_check *k, gboolean may_be_withheld)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "table", k->table ? cJSON_CreateNumber(k->table) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "table_index", k->table_index);
    cJSON_AddStringToObject(o, "rule", k->rule);
    cJSON_AddItemToObject(o, "row", str_or_null(k->row));
    cJSON_AddItemToObject(o, "column", str_or_null(k->column));
    cJSON_AddItemToObject(o, "expected", amount(k->expected));
    cJSON_AddItemToObject(o, "found", amount(k->found));
    cJSON_AddBoolToObject(o, "ok", k->ok);
    cJSON_AddBoolToObject(o, "rounding", k->rounding);
    if (k->settled_by_ocr)
        cJSON_AddBoolToObject(o, "settled_by_ocr", TRUE);
    if (may_be_withheld)
        cJSON_AddBoolToObject(o, "may_be_withheld", TRUE);
    cJSON_AddItemToObject(o, "tolerance", cJSON_CreateNumber(k->tolerance));
    cJSON *cells = cJSON_AddArrayToObject(o, "cells");
    for (guint j = 0; j + 1 < k->cells->len; j += 2) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(g_array_index(k->cells, int, j)));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(g_array_index(k->cells, int, j + 1)));
        cJSON_AddItemToArray(cells, pair);
    }
    return o;
}

static gboolean put_table(const bpn_table *t, void *user)
{
    json_writer *w = user;
    put_item(w, table_json(t));
    return !w->failed;
}

static gboolean put_repair(const bpn_repair *r, void *user)
{
    json_writer *w = user;
    put_item(w, repair_json(r));
    return !w->failed;
}

static gboolean put_check(const bpn_check *k, void *user)
{
    json_writer *w = user;
    put_item(w, check_json(k, bpn_check_may_be_withheld(w->doc, k)));
    return !w->failed;
}

/* Step 4. */
gboolean bpe_document_write(const bpn_document *doc, bpe_format format, bpe_write_fn write, void *user,
                            GError **error)
{
    json_writer w = {.write = write, .user = user, .pretty = format != BPE_FORMAT_LINE, .doc = doc};
    w.buf = g_string_sized_new(WRITER_CHUNK + 4096);
    put(&w, w.pretty ? "{\n" : "{");
    put_member(&w, "schema_version", cJSON_CreateNumber(BPE_SCHEMA_VERSION));
    put_member(&w, "budgetpdf_version", cJSON_CreateString(BPE_VERSION));
    put_member(&w, "source", source_json(doc));
    put_member(&w, "unit", str_or_null(doc->unit));
    put_member(&w, "unit_key", str_or_null(doc->unit_key));
    put_member(&w, "unit_code", str_or_null(doc->unit_code));
    put_member(&w, "region", region_json(doc));
    put_member(&w, "department", str_or_null(doc->department));
    put_member(&w, "year", doc->year ? cJSON_CreateNumber(doc->year) : cJSON_CreateNull());
    put_member(&w, "document_type", str_or_null(doc->document_type));
    put_member(&w, "summary", summary_json(doc));
    GError *spill_error = NULL;
    put_member(&w, "summary_provenance", provenance_json(doc, &spill_error));
    begin_array(&w, "tables");
    if (!w.failed && !spill_error)
        bpn_document_foreach_table(doc, put_table, &w, &spill_error);
    end_array(&w);
    begin_array(&w, "performance_targets");
    for (guint i = 0; doc->targets && i < doc->targets->len && !w.failed; i++)
        put_item(&w, target_json(doc->targets->pdata[i]));
    end_array(&w);
    begin_array(&w, "sections");
    for (guint i = 0; i < doc->sections->len && !w.failed; i++)
        put_item(&w, section_json(doc->sections->pdata[i]));
    end_array(&w);
    begin_array(&w, "repairs");
    if (!w.failed && !spill_error)
        bpn_document_foreach_repair(doc, put_repair, &w, &spill_error);
    end_array(&w);
    begin_array(&w, "warnings");
    for (guint i = 0; i < doc->warnings->len && !w.failed; i++)
        put_item(&w, warning_json(doc->warnings->pdata[i]));
    end_array(&w);
    put_member(&w, "withheld_statement", str_or_null(doc->withheld_statement));
    begin_array(&w, "checks");
    if (!w.failed && !spill_error)
        bpn_document_foreach_check(doc, put_check, &w, &spill_error);
    end_array(&w);
    put(&w, w.pretty ? "\n}" : "}");
    flush(&w);
    g_string_free(w.buf, TRUE);
    if (spill_error)
        g_propagate_error(error, spill_error);
    else if (w.failed)
        g_set_error(error, bpe_error_quark(), 1, "JSON not written (out of memory, or the output failed)");
    return !w.failed && !spill_error;
}

/* The digest is written as it is made, one value at a time, the text
 * cJSON_PrintUnformatted gives for the whole (a long document's tree of
 * table titles, printed and copied, took about 0.5 KB a table at once). */
typedef struct {
    GString *s;
    gboolean first; /* no item yet in the array open */
    gboolean failed;
} digest_writer;

static void digest_value(digest_writer *d, cJSON *v)
{
    char *text = v ? cJSON_PrintUnformatted(v) : NULL;
    cJSON_Delete(v);
    if (!text) {
        d->failed = TRUE;
        return;
    }
    g_string_append(d->s, text);
    cJSON_free(text);
}

static void digest_item(digest_writer *d, cJSON *v)
{
    if (!d->first)
        g_string_append_c(d->s, ',');
    d->first = FALSE;
    digest_value(d, v);
}

static gboolean add_failed_check(const bpn_check *k, void *user)
{
    if (!k->ok)
        digest_item(user, check_json(k, FALSE)); /* the digest as before schema 2's may_be_withheld */
    return TRUE;
}

char *bpe_document_digest(const bpn_document *doc)
{
    digest_writer d = {g_string_new("{\"unit\":"), TRUE, FALSE};
    digest_value(&d, str_or_null(doc->unit));
    g_string_append(d.s, ",\"year\":");
    digest_value(&d, doc->year ? cJSON_CreateNumber(doc->year) : cJSON_CreateNull());
    g_string_append(d.s, ",\"tables\":[");
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "number", t->number > 0 ? cJSON_CreateNumber(t->number) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "title", str_or_null(t->title));
        digest_item(&d, o);
    }
    g_string_append(d.s, "],\"warnings\":[");
    d.first = TRUE;
    for (guint i = 0; i < doc->warnings->len; i++)
        digest_item(&d, warning_json(doc->warnings->pdata[i]));
    g_string_append(d.s, "],\"checks\":[");
    d.first = TRUE;
    gboolean read = bpn_document_foreach_check(doc, add_failed_check, &d, NULL);
    g_string_append(d.s, "]}");
    if (!read || d.failed) {
        g_string_free(d.s, TRUE);
        return NULL;
    }
    return g_string_free(d.s, FALSE);
}

static gboolean append_to_string(const char *data, size_t len, void *user)
{
    g_string_append_len(user, data, (gssize)len);
    return TRUE;
}

char *bpe_document_json(const bpn_document *doc, bpe_format format, GError **error)
{
    GString *s = g_string_new(NULL);
    if (!bpe_document_write(doc, format, append_to_string, s, error)) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}
