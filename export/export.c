/* export.c — from a folder of budgetpdf JSON to the rows of the dataset.
 *
 * How it works:
 *  1. collect_files() walks the folder for *.json (dot folders, the batch
 *     report and the data package's own folder left out), sorted by path.
 *  2. Pass one, index_document(): each file is parsed, and what the dataset
 *     needs to decide between documents is kept in a doc_entry: the PDFs it
 *     holds, unit_key and year, and per table a key (table_key(): the kind,
 *     basis and scope schema 2 gives, else the title with years and
 *     punctuation taken out; the nth table of one key in a document is key#n)
 *     with its count of amounts and of failed checks.  A file that is no
 *     budgetpdf document is counted and left out.
 *  3. choose_copies(): one unit, one year, one table.  Documents holding the
 *     same PDFs as an earlier file are duplicates whole.  Among the documents
 *     of one unit_key and year, every table key keeps one copy: the one with
 *     more amounts, then fewer failed checks, then from the document with more
 *     tables, then the first by sha256 (better_copy()); each copy left out
 *     records which was kept and why.
 *  4. Pass two, export_document(): each file is parsed again and its rows go
 *     out at once (documents, tables, facts of the kept tables, checks,
 *     indicators, the 绩效自评表 forms' execution rows and checks), so memory
 *     holds one document at a time.
 *  5. prior_year_checks(): where the dataset holds documents of the same unit
 *     and the previous year, every statement against last year is compared
 *     with them: sentences of the prose (prose_statements(): "…预算总计
 *     20849.45万元，与上年相比…各增加2043.58万元", "比上年预算减少1万元",
 *     "与上年数一致"), whose subject is matched with the subject of a sentence
 *     of last year's prose (subject_key(): enumerators, the unit and year,
 *     预算/数/的 and punctuation taken out), or for the 收支总计 with the two
 *     documents' summary; and amounts in columns whose stage is prior_year
 *     (schema 2), matched with the row of the same code (else label) and the
 *     column of the same measure in last year's table of the same kind.  The
 *     previous year's documents are parsed again for that, and kept for the
 *     next document of the same unit and year (prior_cache).
 *
 * What it misses: a statement whose subject is in another sentence (a bare
 * "与上年相比增加65.88万元" after a list) is not compared; a by-unit file
 * that merges several PDFs gives its facts the first PDF's sha256 (the JSON
 * does not say which PDF a table came from).
 */
#include "export/internal.h"
#include "normalize/normalize.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK(bpd-error-quark, bpd_error)

/* ---------------------------------------------------------------- JSON access */

static const char *jstr(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static gboolean jnum(const cJSON *o, const char *name, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v))
        return FALSE;
    *out = v->valuedouble;
    return TRUE;
}

/* A string member, or "" when missing. */
static const char *jstr_or(const cJSON *o, const char *name)
{
    const char *s = cJSON_IsObject(o) ? jstr(o, name) : NULL;
    return s ? s : "";
}

static const cJSON *jget(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

static bpd_value v_str(const char *s)
{
    return s ? (bpd_value){.kind = BPD_V_STRING, .s = s} : (bpd_value){0};
}

static bpd_value v_num(double n)
{
    return (bpd_value){.kind = BPD_V_NUMBER, .n = n};
}

static bpd_value v_int(gint64 i)
{
    return (bpd_value){.kind = BPD_V_INTEGER, .i = i};
}

static bpd_value v_bool(gboolean b)
{
    return (bpd_value){.kind = BPD_V_BOOLEAN, .i = b ? 1 : 0};
}

static bpd_value v_jnum(const cJSON *o, const char *name)
{
    double d;
    return jnum(o, name, &d) ? v_num(d) : (bpd_value){0};
}

static bpd_value v_jint(const cJSON *o, const char *name)
{
    double d;
    return jnum(o, name, &d) ? v_int((gint64)d) : (bpd_value){0};
}

static cJSON *read_json(const char *path)
{
    char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return NULL;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    g_free(text);
    return doc;
}

/* A budgetpdf document: schema_version and a source (object or list). */
static gboolean is_budgetpdf(const cJSON *doc)
{
    const cJSON *src = jget(doc, "source");
    return cJSON_IsObject(doc) && cJSON_IsNumber(jget(doc, "schema_version")) &&
           (cJSON_IsObject(src) || (cJSON_IsArray(src) && cJSON_GetArraySize(src) > 0)) &&
           cJSON_IsArray(jget(doc, "tables"));
}

static const cJSON *first_source(const cJSON *doc)
{
    const cJSON *src = jget(doc, "source");
    return cJSON_IsArray(src) ? cJSON_GetArrayItem(src, 0) : src;
}

/* unit_key (schema 2), else the unit as printed. */
static const char *unit_key_of(const cJSON *doc)
{
    const char *k = jstr(doc, "unit_key");
    return k ? k : jstr(doc, "unit");
}

static int year_of(const cJSON *doc)
{
    double y;
    return jnum(doc, "year", &y) ? (int)y : 0;
}

/* ---------------------------------------------------------------- files */

static void walk(const char *root, const char *rel, const char *skip_dir, GPtrArray *out)
{
    char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            if (name[0] == '.')
                continue;
            char *r = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
            char *full = g_build_filename(root, r, NULL);
            if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
                char *real = g_canonicalize_filename(full, NULL);
                if (!skip_dir || strcmp(real, skip_dir) != 0)
                    walk(root, r, skip_dir, out);
                g_free(real);
                g_free(r);
            } else if (g_str_has_suffix(name, ".json") && strcmp(name, BPD_REPORT_NAME) != 0 &&
                       strcmp(name, "datapackage.json") != 0) {
                g_ptr_array_add(out, r);
            } else {
                g_free(r);
            }
            g_free(full);
        }
        g_dir_close(d);
    }
    g_free(dir);
}

static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---------------------------------------------------------------- the index */

typedef struct {
    char *key;
    guint amounts, failed;
    int kept_doc;      /* -1: kept; else the doc_entry holding the copy kept */
    int kept_table;
    char *reason;      /* when not kept */
} table_entry;

typedef struct {
    char *json_file;   /* relative to the folder */
    char *sha;         /* the first PDF's */
    char *shas;        /* every PDF's, joined: the identity of the content */
    char *unit_key;    /* NULL when unknown */
    int year;          /* 0 when unknown */
    guint n_tables;
    table_entry *tables;
    int same_as;       /* -1, or an earlier doc_entry holding the same PDFs */
} doc_entry;

static void doc_entry_clear(doc_entry *d)
{
    for (guint i = 0; i < d->n_tables; i++) {
        g_free(d->tables[i].key);
        g_free(d->tables[i].reason);
    }
    g_free(d->tables);
    g_free(d->json_file);
    g_free(d->sha);
    g_free(d->shas);
    g_free(d->unit_key);
}

/* Keeps letters (CJK included) only, and drops the digits of years and numbers:
 * "2018年部门收支预算总表" and "部门收支预算总表" are one title. */
static void append_letters(GString *s, const char *text)
{
    for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalpha(c) && c != 0x5E74 /* 年 */ && c != 0x5EA6 /* 度 */)
            g_string_append_unichar(s, c);
    }
}

static int number_of(const cJSON *t)
{
    double n;
    return jnum(t, "number", &n) ? (int)n : 0;
}

/* What makes two tables of two documents the same table (without the
 * occurrence suffix). */
static char *table_key(const cJSON *t)
{
    GString *s = g_string_new(NULL);
    const char *kind = jstr(t, "kind");
    if (kind && strcmp(kind, "other") != 0) {
        const cJSON *scope = jget(t, "scope");
        const char *basis = jstr(t, "basis");
        g_string_printf(s, "kind:%s|%s|%s|%s|%s", kind, basis ? basis : "", scope ? (jstr_or(scope, "fund")) : "",
                        scope ? (jstr_or(scope, "carry_over")) : "",
                        scope ? (jstr_or(scope, "classification")) : "");
    } else if (jstr(t, "title")) {
        g_string_append(s, "title:");
        append_letters(s, jstr(t, "title"));
    } else {
        g_string_printf(s, "number:%d", number_of(t));
    }
    return g_string_free(s, FALSE);
}

/* The index in tables of the table a check is about: its table_index, else
 * (JSON written before checks had one) the table of its number; -1: none. */
static int check_table(const cJSON *doc, const cJSON *check)
{
    double v;
    if (jnum(check, "table_index", &v))
        return (int)v;
    if (!jnum(check, "table", &v) || v <= 0)
        return -1;
    int i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, jget(doc, "tables"))
    {
        if (number_of(t) == (int)v)
            return i;
        i++;
    }
    return -1;
}

static gboolean is_amount_column(const cJSON *columns, int c)
{
    const cJSON *col = cJSON_IsArray(columns) ? cJSON_GetArrayItem(columns, c) : NULL;
    const char *role = col ? jstr(col, "role") : NULL;
    return !role || (strcmp(role, "row_number") != 0 && strcmp(role, "code") != 0);
}

static guint count_amounts(const cJSON *t)
{
    guint n = 0;
    const cJSON *columns = jget(t, "columns"), *row, *cell;
    cJSON_ArrayForEach(row, jget(t, "rows"))
    {
        int c = 0;
        cJSON_ArrayForEach(cell, row)
        {
            if (cJSON_IsNumber(cell) && is_amount_column(columns, c))
                n++;
            c++;
        }
    }
    return n;
}

static void index_document(const cJSON *doc, const char *json_file, doc_entry *e)
{
    e->json_file = g_strdup(json_file);
    e->same_as = -1;
    const cJSON *src = jget(doc, "source"), *s;
    GString *shas = g_string_new(NULL);
    if (cJSON_IsArray(src)) {
        cJSON_ArrayForEach(s, src) g_string_append_printf(shas, "%s;", jstr_or(s, "sha256"));
    } else {
        g_string_append(shas, jstr_or(src, "sha256"));
    }
    e->shas = g_string_free(shas, FALSE);
    e->sha = g_strdup(jstr_or(first_source(doc), "sha256"));
    e->unit_key = g_strdup(unit_key_of(doc));
    e->year = year_of(doc);
    const cJSON *tables = jget(doc, "tables"), *t;
    e->n_tables = (guint)cJSON_GetArraySize(tables);
    e->tables = g_new0(table_entry, e->n_tables);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    guint i = 0;
    cJSON_ArrayForEach(t, tables)
    {
        table_entry *te = &e->tables[i++];
        char *base = table_key(t);
        guint nth = GPOINTER_TO_UINT(g_hash_table_lookup(seen, base));
        g_hash_table_insert(seen, g_strdup(base), GUINT_TO_POINTER(nth + 1));
        te->key = g_strdup_printf("%s#%u", base, nth);
        g_free(base);
        te->amounts = count_amounts(t);
        te->kept_doc = -1;
    }
    const cJSON *k;
    cJSON_ArrayForEach(k, jget(doc, "checks"))
    {
        int ti = check_table(doc, k);
        if (ti >= 0 && (guint)ti < e->n_tables && cJSON_IsFalse(jget(k, "ok")))
            e->tables[ti].failed++;
    }
    g_hash_table_destroy(seen);
}

/* ---------------------------------------------------------------- one copy per table */

typedef struct {
    int doc;
    int table;
} copy_ref;

/* Is a (doc da, table ta) a better copy than b?  *why says the rule that told. */
static gboolean better_copy(const doc_entry *docs, copy_ref a, copy_ref b, char **why)
{
    const table_entry *x = &docs[a.doc].tables[a.table], *y = &docs[b.doc].tables[b.table];
    if (x->amounts != y->amounts) {
        *why = g_strdup_printf("more amounts (%u against %u)", MAX(x->amounts, y->amounts), MIN(x->amounts, y->amounts));
        return x->amounts > y->amounts;
    }
    if (x->failed != y->failed) {
        *why = g_strdup_printf("fewer failed checks (%u against %u)", MIN(x->failed, y->failed), MAX(x->failed, y->failed));
        return x->failed < y->failed;
    }
    if (docs[a.doc].n_tables != docs[b.doc].n_tables) {
        *why = g_strdup("as many amounts and failed checks; its document has more tables");
        return docs[a.doc].n_tables > docs[b.doc].n_tables;
    }
    int c = strcmp(docs[a.doc].sha, docs[b.doc].sha);
    if (c == 0)
        c = strcmp(docs[a.doc].json_file, docs[b.doc].json_file);
    *why = g_strdup("the same amounts and checks; the first by sha256 kept");
    return c < 0;
}

static void drop(doc_entry *docs, copy_ref loser, copy_ref winner, char *why)
{
    table_entry *te = &docs[loser.doc].tables[loser.table];
    te->kept_doc = winner.doc;
    te->kept_table = winner.table;
    g_free(te->reason);
    te->reason = why;
}

static void choose_copies(doc_entry *docs, guint n)
{
    GHashTable *by_shas = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *best = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint d = 0; d < n; d++) {
        gpointer earlier;
        if (g_hash_table_lookup_extended(by_shas, docs[d].shas, NULL, &earlier)) {
            int e = GPOINTER_TO_INT(earlier);
            docs[d].same_as = e;
            for (guint t = 0; t < docs[d].n_tables; t++)
                drop(docs, (copy_ref){(int)d, (int)t}, (copy_ref){e, (int)t},
                     g_strdup_printf("the same PDF as %s", docs[e].json_file));
            continue;
        }
        g_hash_table_insert(by_shas, docs[d].shas, GINT_TO_POINTER((int)d));
        if (!docs[d].unit_key || !docs[d].year)
            continue; /* cannot tell which unit or year: nothing to compare with */
        for (guint t = 0; t < docs[d].n_tables; t++) {
            char *key = g_strdup_printf("%s\x1f%d\x1f%s", docs[d].unit_key, docs[d].year, docs[d].tables[t].key);
            copy_ref me = {(int)d, (int)t};
            copy_ref *held = g_hash_table_lookup(best, key);
            if (!held) {
                copy_ref *c = g_new(copy_ref, 1);
                *c = me;
                g_hash_table_insert(best, key, c);
                continue;
            }
            g_free(key);
            char *why = NULL;
            if (better_copy(docs, me, *held, &why)) {
                drop(docs, *held, me, why);
                *held = me;
            } else {
                drop(docs, me, *held, why);
            }
        }
    }
    /* a copy dropped for one that was itself dropped later points to the kept one */
    for (guint d = 0; d < n; d++)
        for (guint t = 0; t < docs[d].n_tables; t++) {
            table_entry *te = &docs[d].tables[t];
            for (int hops = 0; te->kept_doc >= 0 && hops < 64; hops++) {
                const table_entry *next = &docs[te->kept_doc].tables[te->kept_table];
                if (next->kept_doc < 0)
                    break;
                te->kept_doc = next->kept_doc;
                te->kept_table = next->kept_table;
            }
        }
    g_hash_table_destroy(best);
    g_hash_table_destroy(by_shas);
}

/* ---------------------------------------------------------------- writing rows */

typedef struct {
    bpd_csv *csv;
    bpd_sqlite *sql;
    bpd_totals *totals;
    GError *error;
} sink;

static gboolean emit(sink *k, bpd_resource_id r, const bpd_value *row)
{
    if (k->error)
        return FALSE;
    if (k->csv && !bpd_csv_row(k->csv, r, row, &k->error))
        return FALSE;
    if (k->sql && !bpd_sqlite_row(k->sql, r, row, &k->error))
        return FALSE;
    return TRUE;
}

/* The document's identity as every row repeats it. */
typedef struct {
    const char *sha, *unit, *unit_key, *document_type, *json_file;
    char *region;
    int year;
} doc_ident;

static char *region_text(const cJSON *region)
{
    if (!cJSON_IsObject(region))
        return NULL;
    GString *s = g_string_new(NULL);
    const char *last = NULL;
    const char *parts[] = {jstr(region, "province"), jstr(region, "city"), jstr(region, "district")};
    for (int i = 0; i < 3; i++)
        if (parts[i] && (!last || strcmp(last, parts[i]) != 0)) {
            g_string_append(s, parts[i]);
            last = parts[i];
        }
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}


/* The table's factor to 万元: schema 2's to_wan; before it, the unit printed,
 * else (a table that prints none) the previous table's, as schema 2 does. */
static double table_to_wan(const cJSON *t)
{
    double f;
    if (jnum(t, "to_wan", &f))
        return f;
    if (cJSON_IsNull(jget(t, "to_wan")))
        return 0;
    for (const cJSON *p = t; p; p = p->prev) {
        f = bpn_vocab_to_wan(jstr(p, "unit_of_measure"));
        if (f > 0 || jstr(p, "unit_of_measure"))
            return f;
        if (!p->prev || !p->prev->next) /* cJSON: the first item's prev is the last */
            break;
    }
    return 0;
}

static gboolean all_digits(const char *s)
{
    if (!s || !*s)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isdigit(*s))
            return FALSE;
    return TRUE;
}

/* Without schema 2's records: the label of the amount in column c is the
 * nearest text to its left that is not a code; the code is what the cells of
 * codes just left of that label join to (类/款/项 split over columns), or the
 * digits the label starts with. */
typedef struct {
    char *label;
    char *code;
} printed_row;

static printed_row printed_label(const cJSON *row, int c)
{
    printed_row out = {0};
    int label_col = -1;
    for (int i = c - 1; i >= 0; i--) {
        const cJSON *cell = cJSON_GetArrayItem(row, i);
        if (cJSON_IsString(cell) && *cell->valuestring && !all_digits(cell->valuestring)) {
            label_col = i;
            break;
        }
    }
    int code_end = label_col >= 0 ? label_col : c;
    int code_start = code_end;
    while (code_start > 0) {
        const cJSON *cell = cJSON_GetArrayItem(row, code_start - 1);
        if (!(cJSON_IsString(cell) && all_digits(cell->valuestring)))
            break;
        code_start--;
    }
    GString *code = g_string_new(NULL);
    for (int i = code_start; i < code_end; i++)
        g_string_append(code, cJSON_GetArrayItem(row, i)->valuestring);
    if (label_col >= 0) {
        const char *text = cJSON_GetArrayItem(row, label_col)->valuestring;
        const char *p = text;
        while (g_ascii_isdigit(*p))
            p++;
        /* "2010301 行政运行", "2010301-行政运行"; not "2025年…" nor "120急救…" */
        gboolean separated = *p == ' ' || *p == '-' || g_str_has_prefix(p, "\u3000") || g_str_has_prefix(p, "－") ||
                             g_str_has_prefix(p, "—");
        if (code->len == 0 && (p - text == 3 || p - text == 5 || p - text == 7) && separated) {
            g_string_append_len(code, text, p - text);
            while (*p == ' ' || *p == '-')
                p++;
            out.label = g_strdup(p);
        } else {
            out.label = g_strdup(text);
        }
    }
    out.code = code->len ? g_string_free(code, FALSE) : (g_string_free(code, TRUE), NULL);
    return out;
}

static char *column_path(const cJSON *t, int c)
{
    const cJSON *col = cJSON_GetArrayItem(jget(t, "columns"), c);
    GString *s = g_string_new(NULL);
    const cJSON *p;
    if (col && cJSON_IsArray(jget(col, "path"))) {
        cJSON_ArrayForEach(p, jget(col, "path")) if (cJSON_IsString(p))
        {
            if (s->len)
                g_string_append(s, " / ");
            g_string_append(s, p->valuestring);
        }
    } else {
        const cJSON *hr;
        cJSON_ArrayForEach(hr, jget(t, "header_rows"))
        {
            const cJSON *cell = cJSON_GetArrayItem(hr, c);
            if (cJSON_IsString(cell) && *cell->valuestring) {
                if (s->len)
                    g_string_append(s, " / ");
                g_string_append(s, cell->valuestring);
            }
        }
    }
    return g_string_free(s, FALSE);
}

/* Equal strings, or both NULL. */
static gboolean str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* "row\x1fside" (or "row\x1f#column"): the key of a record (schema 2) in a
 * table's index. */
static char *record_key(int row, const char *side)
{
    return g_strdup_printf("%d\x1f%s", row, side ? side : "");
}

static char *record_cell_key(int row, int col)
{
    return g_strdup_printf("%d\x1f#%d", row, col);
}

/* The records of a table by the cells of their amounts (a record's amounts
 * are keyed by the column's key), and by row and side for the rest (the
 * first record of a row and side: a side may hold several blocks, e.g. two
 * 公用经费 blocks side by side); NULL when it has none. */
static GHashTable *index_records(const cJSON *records, const cJSON *columns)
{
    if (!records)
        return NULL;
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records)
    {
        double rr;
        if (!jnum(rec, "row", &rr))
            continue;
        char *k = record_key((int)rr, jstr(rec, "side"));
        if (g_hash_table_contains(h, k))
            g_free(k);
        else
            g_hash_table_insert(h, k, (gpointer)rec);
        const cJSON *amount;
        const cJSON *amounts = jget(rec, "amounts");
        int c = 0;
        const cJSON *col;
        cJSON_ArrayForEach(col, columns)
        {
            /* a key names a column within its side (人员经费 and 公用经费 both have a "total") */
            const char *key = str_eq(jstr(col, "side"), jstr(rec, "side")) ? jstr(col, "key") : NULL;
            cJSON_ArrayForEach(amount, amounts)
            {
                if (key && amount->string && strcmp(key, amount->string) == 0)
                    g_hash_table_insert(h, record_cell_key((int)rr, c), (gpointer)rec);
            }
            c++;
        }
    }
    return h;
}

/* The record that holds the amount at (r, c), else the first of row r and
 * the column's side. */
static const cJSON *record_of(GHashTable *index, int r, int c, const char *side)
{
    if (!index)
        return NULL;
    char *k = record_cell_key(r, c);
    const cJSON *rec = g_hash_table_lookup(index, k);
    g_free(k);
    if (rec)
        return rec;
    k = record_key(r, side);
    rec = g_hash_table_lookup(index, k);
    g_free(k);
    return rec;
}

/* Check states of a table's cells: 0 none, 1 passed, 2 failed. */
static guint8 *cell_states(const cJSON *doc, int ti, int n_rows, int n_cols, guint *n_checks, guint *n_failed)
{
    guint8 *st = g_new0(guint8, (gsize)MAX(n_rows, 1) * MAX(n_cols, 1));
    const cJSON *k;
    *n_checks = *n_failed = 0;
    cJSON_ArrayForEach(k, jget(doc, "checks"))
    {
        if (check_table(doc, k) != ti)
            continue;
        gboolean failed = cJSON_IsFalse(jget(k, "ok"));
        (*n_checks)++;
        if (failed)
            (*n_failed)++;
        const cJSON *pair;
        cJSON_ArrayForEach(pair, jget(k, "cells"))
        {
            const cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);
            if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b))
                continue;
            int r = a->valueint, c = b->valueint;
            if (r < 0 || c < 0 || r >= n_rows || c >= n_cols)
                continue;
            guint8 *s = &st[(gsize)r * n_cols + c];
            *s = MAX(*s, failed ? 2 : 1);
        }
    }
    return st;
}

static int first_page(const cJSON *t)
{
    const cJSON *p = cJSON_GetArrayItem(jget(t, "pages"), 0);
    return cJSON_IsNumber(p) ? p->valueint : 0;
}

static guint64 table_facts(sink *k, const cJSON *doc, const doc_ident *id, const cJSON *t, int ti)
{
    const cJSON *rows = jget(t, "rows"), *columns = jget(t, "columns"), *records = jget(t, "records");
    if (!cJSON_IsArray(records))
        records = NULL;
    int n_rows = cJSON_GetArraySize(rows), n_cols = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) n_cols = MAX(n_cols, cJSON_GetArraySize(row));
    guint n_checks, n_failed;
    guint8 *states = cell_states(doc, ti, n_rows, n_cols, &n_checks, &n_failed);
    GHashTable *by_row = index_records(records, cJSON_IsArray(columns) ? columns : NULL);
    char **paths = g_new0(char *, n_cols + 1);
    const char *unit = jstr(t, "unit_of_measure");
    double to_wan = table_to_wan(t);
    guint64 n = 0;
    int r = 0;
    cJSON_ArrayForEach(row, rows)
    {
        int c = 0;
        const cJSON *cell;
        cJSON_ArrayForEach(cell, row)
        {
            if (!cJSON_IsNumber(cell) || !is_amount_column(columns, c)) {
                c++;
                continue;
            }
            const cJSON *col = cJSON_IsArray(columns) ? cJSON_GetArrayItem(columns, c) : NULL;
            const char *side = col ? jstr(col, "side") : NULL;
            const cJSON *rec = record_of(by_row, r, c, side);
            const cJSON *codes = rec ? jget(rec, "codes") : NULL;
            const char *cf = codes ? jstr(codes, "function") : NULL;
            const char *ced = codes ? jstr(codes, "economic_department") : NULL;
            const char *ceg = codes ? jstr(codes, "economic_government") : NULL;
            printed_row pr = printed_label(row, c);
            const char *code = cf ? cf : ced ? ced : ceg ? ceg : pr.code;
            const char *label = rec && jstr(rec, "label") ? jstr(rec, "label") : pr.label;
            if (!paths[c])
                paths[c] = column_path(t, c);
            bpd_value v[FACT_N] = {0};
            v[FACT_DOCUMENT] = v_str(id->sha);
            v[FACT_UNIT] = v_str(id->unit);
            v[FACT_UNIT_KEY] = v_str(id->unit_key);
            v[FACT_REGION] = v_str(id->region);
            v[FACT_YEAR] = id->year ? v_int(id->year) : (bpd_value){0};
            v[FACT_DOCUMENT_TYPE] = v_str(id->document_type);
            v[FACT_TABLE_KIND] = v_str(jstr(t, "kind"));
            v[FACT_TABLE_NUMBER] = v_jint(t, "number");
            v[FACT_TABLE_TITLE] = v_str(jstr(t, "title"));
            v[FACT_ROW] = v_int(r);
            v[FACT_CODE] = v_str(code);
            v[FACT_LABEL] = v_str(label);
            v[FACT_COLUMN] = v_int(c);
            v[FACT_COLUMN_PATH] = v_str(paths[c]);
            v[FACT_MEASURE] = v_str(col ? jstr(col, "measure") : NULL);
            v[FACT_VALUE] = v_num(cell->valuedouble);
            v[FACT_UNIT_OF_MEASURE] = v_str(unit);
            if (to_wan > 0)
                v[FACT_VALUE_WAN] = v_num(cell->valuedouble * to_wan);
            int page = first_page(t);
            if (page > 0)
                v[FACT_PAGE] = v_int(page);
            guint8 s = c < n_cols ? states[(gsize)r * n_cols + c] : 0;
            v[FACT_CHECK] = v_str(s == 2 ? "failed" : s == 1 ? "passed" : "none");
            v[FACT_TABLE_INDEX] = v_int(ti);
            v[FACT_NUMBER_LABEL] = v_str(jstr(t, "number_label"));
            v[FACT_BASIS] = v_str(jstr(t, "basis"));
            v[FACT_STAGE] = v_str(col ? jstr(col, "stage") : NULL);
            v[FACT_SIDE] = v_str(side);
            v[FACT_COLUMN_KEY] = v_str(col ? jstr(col, "key") : NULL);
            v[FACT_CODE_FUNCTION] = v_str(cf);
            v[FACT_CODE_ECONOMIC_DEPARTMENT] = v_str(ced);
            v[FACT_CODE_ECONOMIC_GOVERNMENT] = v_str(ceg);
            if (rec) {
                v[FACT_LEVEL] = v_jint(rec, "level");
                double parent;
                if (jnum(rec, "parent", &parent)) {
                    const cJSON *pr_rec = cJSON_GetArrayItem(records, (int)parent);
                    if (pr_rec)
                        v[FACT_PARENT_ROW] = v_jint(pr_rec, "row");
                }
                const cJSON *total = jget(rec, "total");
                if (cJSON_IsBool(total))
                    v[FACT_TOTAL] = v_bool(cJSON_IsTrue(total));
                v[FACT_SUB_UNIT] = v_str(jstr(rec, "sub_unit"));
            }
            v[FACT_JSON_FILE] = v_str(id->json_file);
            emit(k, BPD_FACTS, v);
            g_free(pr.label);
            g_free(pr.code);
            n++;
            c++;
        }
        r++;
    }
    for (int c = 0; c < n_cols; c++)
        g_free(paths[c]);
    g_free(paths);
    if (by_row)
        g_hash_table_destroy(by_row);
    g_free(states);
    return n;
}

static void table_row(sink *k, const cJSON *doc, const doc_ident *id, const cJSON *t, int ti, const doc_entry *docs,
                      const table_entry *te)
{
    const cJSON *rows = jget(t, "rows"), *row;
    int n_rows = cJSON_GetArraySize(rows), n_cols = 0;
    cJSON_ArrayForEach(row, rows) n_cols = MAX(n_cols, cJSON_GetArraySize(row));
    guint n_checks, n_failed;
    g_free(cell_states(doc, ti, n_rows, n_cols, &n_checks, &n_failed));
    bpd_value v[TAB_N] = {0};
    v[TAB_DOCUMENT] = v_str(id->sha);
    v[TAB_TABLE_INDEX] = v_int(ti);
    v[TAB_UNIT_KEY] = v_str(id->unit_key);
    v[TAB_YEAR] = id->year ? v_int(id->year) : (bpd_value){0};
    v[TAB_TABLE_NUMBER] = v_jint(t, "number");
    v[TAB_NUMBER_LABEL] = v_str(jstr(t, "number_label"));
    v[TAB_TITLE] = v_str(jstr(t, "title"));
    v[TAB_KIND] = v_str(jstr(t, "kind"));
    v[TAB_BASIS] = v_str(jstr(t, "basis"));
    const cJSON *scope = jget(t, "scope");
    if (cJSON_IsObject(scope)) {
        v[TAB_SCOPE_FUND] = v_str(jstr(scope, "fund"));
        v[TAB_SCOPE_CARRY_OVER] = v_str(jstr(scope, "carry_over"));
        v[TAB_SCOPE_CLASSIFICATION] = v_str(jstr(scope, "classification"));
    }
    v[TAB_UNIT_OF_MEASURE] = v_str(jstr(t, "unit_of_measure"));
    double to_wan = table_to_wan(t);
    if (to_wan > 0)
        v[TAB_TO_WAN] = v_num(to_wan);
    const cJSON *pages = jget(t, "pages");
    int np = cJSON_GetArraySize(pages);
    if (np > 0) {
        v[TAB_PAGE_FIRST] = v_int(cJSON_GetArrayItem(pages, 0)->valueint);
        v[TAB_PAGE_LAST] = v_int(cJSON_GetArrayItem(pages, np - 1)->valueint);
    }
    v[TAB_ROWS] = v_int(n_rows);
    v[TAB_COLUMNS] = v_int(n_cols);
    v[TAB_AMOUNTS] = v_int(te->amounts);
    v[TAB_NO_DATA] = v_bool(cJSON_IsTrue(jget(t, "no_data")));
    v[TAB_CHECKS] = v_int(n_checks);
    v[TAB_CHECKS_FAILED] = v_int(n_failed);
    v[TAB_KEPT] = v_bool(te->kept_doc < 0);
    if (te->kept_doc >= 0) {
        v[TAB_DUPLICATE_OF_DOCUMENT] = v_str(docs[te->kept_doc].sha);
        v[TAB_DUPLICATE_OF_TABLE] = v_int(te->kept_table);
        v[TAB_REASON] = v_str(te->reason);
    }
    v[TAB_JSON_FILE] = v_str(id->json_file);
    emit(k, BPD_TABLES, v);
}

/* The members every check of the JSON gives, a table's or a 自评表's:
 * the document, its rule, row and column, the figures and the verdict. */
static void check_values(bpd_value *v, const cJSON *ck, const doc_ident *id)
{
    v[CHK_DOCUMENT] = v_str(id->sha);
    v[CHK_UNIT] = v_str(id->unit);
    v[CHK_UNIT_KEY] = v_str(id->unit_key);
    v[CHK_YEAR] = id->year ? v_int(id->year) : (bpd_value){0};
    v[CHK_RULE] = v_str(jstr_or(ck, "rule"));
    v[CHK_ROW] = v_str(jstr(ck, "row"));
    v[CHK_COLUMN] = v_str(jstr(ck, "column"));
    double e = 0, f = 0;
    gboolean he = jnum(ck, "expected", &e), hf = jnum(ck, "found", &f);
    if (he)
        v[CHK_EXPECTED] = v_num(e);
    if (hf)
        v[CHK_FOUND] = v_num(f);
    if (he && hf)
        v[CHK_DIFFERENCE] = v_num(f - e);
    const cJSON *ok = jget(ck, "ok");
    if (cJSON_IsBool(ok))
        v[CHK_OK] = v_bool(cJSON_IsTrue(ok));
    v[CHK_MAY_BE_WITHHELD] = v_bool(cJSON_IsTrue(jget(ck, "may_be_withheld")));
}

static void check_rows(sink *k, const cJSON *doc, const doc_ident *id)
{
    const cJSON *ck;
    cJSON_ArrayForEach(ck, jget(doc, "checks"))
    {
        bpd_value v[CHK_N] = {0};
        check_values(v, ck, id);
        v[CHK_TABLE_NUMBER] = v_jint(ck, "table");
        int ti = check_table(doc, ck);
        const cJSON *t = ti >= 0 ? cJSON_GetArrayItem(jget(doc, "tables"), ti) : NULL;
        if (t) {
            v[CHK_TABLE_INDEX] = v_int(ti);
            v[CHK_TABLE_KIND] = v_str(jstr(t, "kind"));
        }
        char *cells = cJSON_PrintUnformatted(jget(ck, "cells"));
        v[CHK_CELLS] = v_str(cells);
        emit(k, BPD_CHECKS, v);
        cJSON_free(cells);
        k->totals->checks++;
    }
}

static void indicator_rows(sink *k, const cJSON *doc, const doc_ident *id)
{
    const cJSON *form;
    int fi = 0;
    cJSON_ArrayForEach(form, jget(doc, "performance_targets"))
    {
        const cJSON *ind, *annual = jget(jget(form, "funds"), "annual");
        int ii = 0;
        cJSON_ArrayForEach(ind, jget(form, "indicators"))
        {
            bpd_value v[IND_N] = {0};
            v[IND_DOCUMENT] = v_str(id->sha);
            v[IND_UNIT] = v_str(id->unit);
            v[IND_UNIT_KEY] = v_str(id->unit_key);
            v[IND_YEAR] = id->year ? v_int(id->year) : (bpd_value){0};
            v[IND_FORM] = v_int(fi);
            v[IND_FORM_KIND] = v_str(jstr(form, "kind"));
            v[IND_PROJECT] = v_str(jstr(form, "project"));
            v[IND_DEPARTMENT] = v_str(jstr(form, "department"));
            v[IND_IMPLEMENTING_UNIT] = v_str(jstr(form, "implementing_unit"));
            v[IND_FORM_YEAR] = v_jint(form, "year");
            v[IND_AMOUNT_UNIT] = v_str(jstr(form, "amount_unit"));
            v[IND_AMOUNT_UNIT_ASSUMED] = v_str(jstr(form, "amount_unit_assumed"));
            v[IND_PERIOD_TOTAL_YUAN] = v_jnum(form, "period_total_yuan");
            v[IND_ANNUAL_TOTAL_YUAN] = v_jnum(form, "annual_total_yuan");
            if (cJSON_IsObject(annual)) {
                v[IND_ANNUAL_CENTRAL_YUAN] = v_jnum(annual, "central");
                v[IND_ANNUAL_PROVINCIAL_YUAN] = v_jnum(annual, "provincial");
                v[IND_ANNUAL_MUNICIPAL_YUAN] = v_jnum(annual, "municipal");
                v[IND_ANNUAL_SELF_RAISED_YUAN] = v_jnum(annual, "self_raised");
                v[IND_ANNUAL_OTHER_YUAN] = v_jnum(annual, "other");
            }
            v[IND_INDICATOR] = v_int(ii);
            static const char *const text_fields[] = {"scope", "level1", "level2", "level3", "value", "direction",
                                                      "measure_unit", "actual", "weight", "score", "deviation"};
            for (int i = 0; i < (int)G_N_ELEMENTS(text_fields); i++)
                v[IND_SCOPE + i] = v_str(jstr(ind, text_fields[i]));
            const cJSON *p = cJSON_GetArrayItem(jget(form, "pages"), 0);
            if (cJSON_IsNumber(p))
                v[IND_PAGE] = v_int(p->valueint);
            emit(k, BPD_INDICATORS, v);
            k->totals->indicators++;
            ii++;
        }
        fi++;
    }
}

/* A 绩效自评表's budget execution rows and the identities it states (schema
 * 2: performance_targets[].execution and .checks). */
static void execution_rows(sink *k, const cJSON *doc, const doc_ident *id)
{
    const cJSON *form;
    int fi = 0;
    cJSON_ArrayForEach(form, jget(doc, "performance_targets"))
    {
        const cJSON *r;
        int ri = 0;
        cJSON_ArrayForEach(r, jget(form, "execution"))
        {
            bpd_value v[EXE_N] = {0};
            v[EXE_DOCUMENT] = v_str(id->sha);
            v[EXE_UNIT] = v_str(id->unit);
            v[EXE_UNIT_KEY] = v_str(id->unit_key);
            v[EXE_YEAR] = id->year ? v_int(id->year) : (bpd_value){0};
            v[EXE_FORM] = v_int(fi);
            v[EXE_PROJECT] = v_str(jstr(form, "project"));
            v[EXE_ROW] = v_int(ri);
            v[EXE_LABEL] = v_str(jstr(r, "label"));
            v[EXE_SOURCE] = v_str(jstr(r, "source"));
            static const char *const amounts[] = {"budget_initial_yuan", "adjustment_yuan", "budget_full_year_yuan",
                                                  "executed_yuan", "balance_yuan"};
            for (int i = 0; i < (int)G_N_ELEMENTS(amounts); i++)
                v[EXE_BUDGET_INITIAL_YUAN + i] = v_jnum(r, amounts[i]);
            static const char *const texts[] = {"execution_rate", "balance_rate", "weight", "score"};
            for (int i = 0; i < (int)G_N_ELEMENTS(texts); i++)
                v[EXE_EXECUTION_RATE + i] = v_str(jstr(r, texts[i]));
            v[EXE_PAGE] = v_jint(r, "page");
            emit(k, BPD_EXECUTION, v);
            k->totals->execution++;
            ri++;
        }
        const cJSON *ck;
        cJSON_ArrayForEach(ck, jget(form, "checks"))
        {
            bpd_value v[CHK_N] = {0};
            check_values(v, ck, id);
            v[CHK_FORM] = v_int(fi);
            emit(k, BPD_CHECKS, v);
            k->totals->checks++;
        }
        fi++;
    }
}

/* ---------------------------------------------------------------- prior year */

/* A statement against last year in the prose. */
typedef struct {
    char *key;      /* subject_key(): what the statement is about, to compare */
    char *subject;  /* as printed */
    char *sentence;
    gboolean has_value;
    double value;   /* this year's figure the sentence gives (万元) */
    gboolean has_change;
    double change;  /* the change it states against last year (万元) */
} statement;

static void statement_free(gpointer p)
{
    statement *s = p;
    g_free(s->key);
    g_free(s->subject);
    g_free(s->sentence);
    g_free(s);
}

typedef struct {
    GRegex *against, *change, *same, *amount, *year, *enumerator;
} prose_res;

static void prose_res_init(prose_res *re)
{
    re->against = g_regex_new("(与|比|较|同)上年(预算|数)?(相比)?", 0, 0, NULL);
    re->change = g_regex_new("(增加|增长|减少|下降|降低|压减)\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*万元",
                             0, 0, NULL);
    re->same = g_regex_new("(一致|无变化|相同|持平|不变|没有变化)", 0, 0, NULL);
    re->amount = g_regex_new("([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*万元", 0, 0, NULL);
    re->year = g_regex_new("^.*?[0-9]{4}年度?", 0, 0, NULL);
    re->enumerator = g_regex_new("^\\s*([（(][0-9一二三四五六七八九十]+[)）]|[0-9一二三四五六七八九十]+[、．.])\\s*",
                                 0, 0, NULL);
}

static void prose_res_clear(prose_res *re)
{
    g_regex_unref(re->against);
    g_regex_unref(re->change);
    g_regex_unref(re->same);
    g_regex_unref(re->amount);
    g_regex_unref(re->year);
    g_regex_unref(re->enumerator);
}

/* Words that vary between the years' sentences about one figure. */
static const char *const subject_noise[] = {"相比", "预算", "本部门", "本单位", "数", "各", "的", "为", "共计"};

/* The subject of a sentence reduced to what identifies the figure: the text
 * before a year (the unit's name) and the year, leading enumerators (（1）,
 * 1．, 一、), the words of subject_noise and all but letters taken out;
 * 收入、支出总计 and 收、支总计 become 收支总计. */
static char *subject_key(const prose_res *re, const char *subject)
{
    GString *s = g_string_new(subject);
    char *t = g_regex_replace(re->year, s->str, -1, 0, "", 0, NULL);
    for (int i = 0; i < 3 && t; i++) {
        char *u = g_regex_replace(re->enumerator, t, -1, 0, "", 0, NULL);
        g_free(t);
        t = u;
    }
    g_string_assign(s, t ? t : "");
    g_free(t);
    for (size_t i = 0; i < G_N_ELEMENTS(subject_noise); i++) {
        char *found;
        while ((found = strstr(s->str, subject_noise[i])))
            g_string_erase(s, found - s->str, (gssize)strlen(subject_noise[i]));
    }
    GString *letters = g_string_new(NULL);
    append_letters(letters, s->str);
    g_string_free(s, TRUE);
    const char *k = letters->str;
    if (strstr(k, "收") && strstr(k, "支") && strstr(k, "总") && !strstr(k, "其中"))
        g_string_assign(letters, strstr(k, "财政拨款") ? "财政拨款收支总计" : "收支总计");
    return g_string_free(letters, FALSE);
}

static double parse_amount(const char *digits)
{
    GString *s = g_string_new(NULL);
    for (const char *p = digits; *p; p++)
        if (*p != ',')
            g_string_append_c(s, *p);
    double v = g_ascii_strtod(s->str, NULL);
    g_string_free(s, TRUE);
    return v;
}


/* The last amount in 万元 of text[0, len) and the subject printed before it
 * (from the last comma, colon or semicolon).  FALSE when there is none. */
static gboolean last_amount(const prose_res *re, const char *text, gssize len, char **subject, double *value)
{
    GMatchInfo *m = NULL;
    int n_start = -1, n_end = -1;
    gboolean found = FALSE;
    if (g_regex_match_full(re->amount, text, len, 0, 0, &m, NULL))
        while (g_match_info_matches(m)) {
            g_match_info_fetch_pos(m, 0, &n_start, &n_end);
            char *num = g_match_info_fetch(m, 1);
            *value = parse_amount(num);
            found = TRUE;
            g_free(num);
            g_match_info_next(m, NULL);
        }
    g_match_info_free(m);
    if (!found)
        return FALSE;
    int from = 0;
    static const char *const stops[] = {"，", "：", ":", "；"};
    for (size_t i = 0; i < G_N_ELEMENTS(stops); i++) {
        const char *p = g_strrstr_len(text, n_start, stops[i]);
        if (p && (int)(p - text) + (int)strlen(stops[i]) > from)
            from = (int)(p - text) + (int)strlen(stops[i]);
    }
    *subject = g_strndup(text + from, (gsize)(n_start - from));
    return TRUE;
}

/* One sentence: a statement, or NULL when it states no change against last
 * year in 万元.  A sentence that names no figure before its 与上年 (a bare
 * "与上年相比增加65.88万元。") is about the last figure of the sentence
 * before it: prev_subject and prev_value (NULL: none). */
static statement *read_statement(const prose_res *re, const char *sentence, const char *prev_subject,
                                 double prev_value)
{
    GMatchInfo *m = NULL;
    if (!g_regex_match(re->against, sentence, 0, &m)) {
        g_match_info_free(m);
        return NULL;
    }
    int a_start, a_end;
    g_match_info_fetch_pos(m, 0, &a_start, &a_end);
    g_match_info_free(m);
    const char *after = sentence + a_end;
    statement *st = g_new0(statement, 1);
    int verb_at = -1;
    if (g_regex_match(re->change, after, 0, &m)) {
        int vs, ve;
        g_match_info_fetch_pos(m, 0, &vs, &ve);
        char *verb = g_match_info_fetch(m, 1), *num = g_match_info_fetch(m, 2);
        st->has_change = TRUE;
        st->change = parse_amount(num);
        if (g_str_has_prefix(verb, "减") || g_str_has_prefix(verb, "下") || g_str_has_prefix(verb, "降") ||
            g_str_has_prefix(verb, "压"))
            st->change = -st->change;
        verb_at = vs;
        g_free(verb);
        g_free(num);
    }
    g_match_info_free(m);
    if (!st->has_change) {
        if (g_regex_match(re->same, after, 0, &m)) {
            int vs, ve;
            g_match_info_fetch_pos(m, 0, &vs, &ve);
            st->has_change = TRUE;
            st->change = 0;
            verb_at = vs;
        }
        g_match_info_free(m);
    }
    if (!st->has_change) {
        statement_free(st);
        return NULL;
    }
    /* the subject named between 与上年相比 and the verb ("收、支预算总计各增加") */
    char *between = g_strndup(after, (gsize)verb_at);
    char *key = subject_key(re, between);
    /* this year's figure, and the subject before it, earlier in the sentence
     * (else at the end of the sentence before) */
    char *subject_before = NULL;
    st->has_value = last_amount(re, sentence, a_start, &subject_before, &st->value);
    if (!st->has_value && a_start == 0 && prev_subject) {
        subject_before = g_strdup(prev_subject);
        st->value = prev_value;
        st->has_value = TRUE;
    }
    char *key_before = subject_before ? subject_key(re, subject_before) : NULL;
    if (key_before && *key_before) { /* the figure the sentence gives names its subject best */
        g_free(key);
        g_free(between);
        st->key = key_before;
        st->subject = g_strstrip(subject_before);
    } else {
        g_free(key_before);
        g_free(subject_before);
        st->key = key;
        st->subject = g_strstrip(between);
        st->has_value = FALSE; /* the figure before is not this subject's */
    }
    st->sentence = g_strdup(sentence);
    if (!*st->key) {
        statement_free(st);
        return NULL;
    }
    return st;
}

/* Every statement against last year in the document's sections, each
 * sentence once. */
static GPtrArray *prose_statements(const prose_res *re, const cJSON *doc)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(statement_free);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const cJSON *sec;
    cJSON_ArrayForEach(sec, jget(doc, "sections"))
    {
        const char *text = jstr(sec, "text");
        if (!text || !strstr(text, "上年"))
            continue;
        char **sentences = g_regex_split_simple("[。；]", text, 0, 0);
        char *prev_subject = NULL;
        double prev_value = 0;
        for (char **s = sentences; *s; s++) {
            if (strstr(*s, "上年") && g_hash_table_add(seen, g_strdup(*s))) {
                statement *st = read_statement(re, *s, prev_subject, prev_value);
                if (st)
                    g_ptr_array_add(out, st);
            }
            g_free(prev_subject);
            prev_subject = NULL;
            if (!last_amount(re, *s, -1, &prev_subject, &prev_value))
                prev_subject = NULL;
        }
        g_free(prev_subject);
        g_strfreev(sentences);
    }
    g_hash_table_destroy(seen);
    return out;
}

/* The previous year's documents of a unit, parsed once for all the documents
 * of the unit and year that compare with them. */
typedef struct {
    const doc_entry *entry;
    cJSON *doc;
    GPtrArray *statements;
} prior_doc;

typedef struct {
    GHashTable *groups; /* "unit_key\x1fyear" -> GArray of doc indexes */
    char *key;          /* of the group held */
    GPtrArray *docs;    /* prior_doc* */
    prose_res re;       /* compiled at the first use */
    gboolean have_re;
} prior_cache;

static void prior_doc_free(gpointer p)
{
    prior_doc *d = p;
    cJSON_Delete(d->doc);
    g_ptr_array_free(d->statements, TRUE);
    g_free(d);
}

static void prior_cache_clear(prior_cache *c)
{
    if (c->groups)
        g_hash_table_destroy(c->groups);
    if (c->docs)
        g_ptr_array_free(c->docs, TRUE);
    g_free(c->key);
    if (c->have_re)
        prose_res_clear(&c->re);
    memset(c, 0, sizeof *c);
}

static void free_array(gpointer a)
{
    g_array_free(a, TRUE);
}

static GPtrArray *prior_docs(prior_cache *c, const doc_entry *docs, guint n, const char *unit_key, int year,
                             const char *json_dir)
{
    if (!c->groups) {
        c->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_array);
        for (guint d = 0; d < n; d++) {
            if (!docs[d].unit_key || !docs[d].year || docs[d].same_as >= 0)
                continue;
            char *k = g_strdup_printf("%s\x1f%d", docs[d].unit_key, docs[d].year);
            GArray *a = g_hash_table_lookup(c->groups, k);
            if (!a) {
                a = g_array_new(FALSE, FALSE, sizeof(guint));
                g_hash_table_insert(c->groups, g_strdup(k), a);
            }
            g_array_append_val(a, d);
            g_free(k);
        }
    }
    char *k = g_strdup_printf("%s\x1f%d", unit_key, year);
    if (c->key && strcmp(c->key, k) == 0) {
        g_free(k);
        return c->docs;
    }
    if (c->docs)
        g_ptr_array_free(c->docs, TRUE);
    g_free(c->key);
    c->key = k;
    c->docs = g_ptr_array_new_with_free_func(prior_doc_free);
    GArray *a = g_hash_table_lookup(c->groups, k);
    for (guint i = 0; a && i < a->len; i++) {
        const doc_entry *e = &docs[g_array_index(a, guint, i)];
        char *path = g_build_filename(json_dir, e->json_file, NULL);
        cJSON *doc = read_json(path);
        g_free(path);
        if (!doc)
            continue;
        prior_doc *pd = g_new0(prior_doc, 1);
        pd->entry = e;
        pd->doc = doc;
        pd->statements = prose_statements(&c->re, doc);
        g_ptr_array_add(c->docs, pd);
    }
    return c->docs;
}

/* A summary figure of the first of docs that gives it. */
static const prior_doc *prior_summary(GPtrArray *docs, const char *figure, double *out)
{
    for (guint i = 0; i < docs->len; i++) {
        const prior_doc *pd = docs->pdata[i];
        if (jnum(jget(pd->doc, "summary"), figure, out))
            return pd;
    }
    return NULL;
}

static void prior_row(sink *k, const doc_ident *id, const char *row, const char *column, double expected, double found,
                      const prior_doc *pd, double prior_value, gboolean has_current, double current,
                      const char *statement_text, int table_index, const cJSON *t)
{
    bpd_value v[CHK_N] = {0};
    v[CHK_DOCUMENT] = v_str(id->sha);
    v[CHK_UNIT] = v_str(id->unit);
    v[CHK_UNIT_KEY] = v_str(id->unit_key);
    v[CHK_YEAR] = v_int(id->year);
    v[CHK_RULE] = v_str("prior_year");
    if (t) {
        v[CHK_TABLE_INDEX] = v_int(table_index);
        v[CHK_TABLE_NUMBER] = v_jint(t, "number");
        v[CHK_TABLE_KIND] = v_str(jstr(t, "kind"));
    }
    v[CHK_ROW] = v_str(row);
    v[CHK_COLUMN] = v_str(column);
    v[CHK_EXPECTED] = v_num(expected);
    v[CHK_FOUND] = v_num(found);
    v[CHK_DIFFERENCE] = v_num(found - expected);
    v[CHK_OK] = v_bool(fabs(found - expected) <= 0.0101);
    v[CHK_PRIOR_DOCUMENT] = v_str(pd->entry->sha);
    v[CHK_PRIOR_YEAR] = v_int(pd->entry->year);
    v[CHK_PRIOR_VALUE] = v_num(prior_value);
    if (has_current)
        v[CHK_CURRENT_VALUE] = v_num(current);
    v[CHK_STATEMENT] = v_str(statement_text);
    emit(k, BPD_CHECKS, v);
    k->totals->checks++;
    k->totals->prior_year++;
}

/* The summary figures a prose subject names. */
static const char *const *summary_figures(const char *key)
{
    static const char *const totals[] = {"income_total", "expenditure_total", NULL};
    static const char *const basic[] = {"basic_expenditure", NULL};
    static const char *const project[] = {"project_expenditure", NULL};
    if (strcmp(key, "收支总计") == 0)
        return totals;
    if (strcmp(key, "基本支出") == 0)
        return basic;
    if (strcmp(key, "项目支出") == 0)
        return project;
    return NULL;
}

static void prose_prior_year(sink *k, const cJSON *doc, const doc_ident *id, GPtrArray *prior, const prose_res *re)
{
    GPtrArray *mine = prose_statements(re, doc);
    for (guint i = 0; i < mine->len; i++) {
        const statement *st = mine->pdata[i];
        const char *const *figures = summary_figures(st->key);
        if (figures) {
            for (; *figures; figures++) {
                double now, then;
                gboolean has_now = jnum(jget(doc, "summary"), *figures, &now);
                if (!has_now && st->has_value) {
                    now = st->value;
                    has_now = TRUE;
                }
                const prior_doc *pd = prior_summary(prior, *figures, &then);
                if (has_now && pd)
                    prior_row(k, id, st->subject, *figures, now - then, st->change, pd, then, TRUE, now,
                              st->sentence, -1, NULL);
            }
            continue;
        }
        if (!st->has_value)
            continue;
        for (guint p = 0; p < prior->len; p++) {
            const prior_doc *pd = prior->pdata[p];
            const statement *found = NULL;
            for (guint j = 0; j < pd->statements->len && !found; j++) {
                const statement *ps = pd->statements->pdata[j];
                if (ps->has_value && strcmp(ps->key, st->key) == 0)
                    found = ps;
            }
            if (found) {
                prior_row(k, id, st->subject, st->key, st->value - found->value, st->change, pd, found->value, TRUE,
                          st->value, st->sentence, -1, NULL);
                break;
            }
        }
    }
    g_ptr_array_free(mine, TRUE);
}

/* ---- 上年 columns (schema 2: columns[].stage == prior_year) */

static gboolean same_text(const char *a, const char *b)
{
    if (!a || !b)
        return FALSE;
    GString *x = g_string_new(NULL), *y = g_string_new(NULL);
    append_letters(x, a);
    append_letters(y, b);
    gboolean same = x->len > 0 && strcmp(x->str, y->str) == 0;
    g_string_free(x, TRUE);
    g_string_free(y, TRUE);
    return same;
}

static const char *record_code(const cJSON *rec)
{
    const cJSON *codes = jget(rec, "codes");
    const char *c = jstr(codes, "function");
    if (!c)
        c = jstr(codes, "economic_department");
    if (!c)
        c = jstr(codes, "economic_government");
    return c;
}

/* Last year's figure for record rec's column col of table t, from the table
 * of the same kind in a prior document: the row of the same code (else the
 * same label) on the same side, the column of the same measure and side
 * whose stage is not prior_year or change.  In 万元. */
static gboolean prior_figure(const cJSON *t, const cJSON *rec, const cJSON *col, GPtrArray *prior,
                             const prior_doc **from, double *out)
{
    const char *kind = jstr(t, "kind"), *measure = jstr(col, "measure");
    if (!kind || strcmp(kind, "other") == 0 || !measure)
        return FALSE;
    const char *code = record_code(rec), *label = jstr(rec, "label"), *side = jstr(rec, "side");
    for (guint p = 0; p < prior->len; p++) {
        const prior_doc *pd = prior->pdata[p];
        const cJSON *pt;
        cJSON_ArrayForEach(pt, jget(pd->doc, "tables"))
        {
            if (!str_eq(jstr(pt, "kind"), kind))
                continue;
            const cJSON *pcols = jget(pt, "columns"), *pc;
            const char *key = NULL;
            cJSON_ArrayForEach(pc, pcols)
            {
                const char *stage = jstr(pc, "stage");
                if (str_eq(jstr(pc, "measure"), measure) && str_eq(jstr(pc, "side"), side) &&
                    (!stage || (strcmp(stage, "prior_year") != 0 && strcmp(stage, "change") != 0))) {
                    key = jstr(pc, "key");
                    break;
                }
            }
            if (!key)
                continue;
            const cJSON *pr;
            cJSON_ArrayForEach(pr, jget(pt, "records"))
            {
                if (!str_eq(jstr(pr, "side"), side))
                    continue;
                const char *pcode = record_code(pr);
                gboolean match = code ? str_eq(pcode, code) : (!pcode && same_text(jstr(pr, "label"), label));
                double v;
                if (match && jnum(jget(pr, "amounts"), key, &v)) {
                    double f = table_to_wan(pt);
                    if (f <= 0)
                        return FALSE;
                    *out = v * f;
                    *from = pd;
                    return TRUE;
                }
            }
        }
    }
    return FALSE;
}

static void table_prior_year(sink *k, const cJSON *doc, const doc_ident *id, const doc_entry *e, GPtrArray *prior)
{
    const cJSON *t;
    int ti = 0;
    cJSON_ArrayForEach(t, jget(doc, "tables"))
    {
        if ((guint)ti >= e->n_tables || e->tables[ti].kept_doc >= 0) {
            ti++;
            continue;
        }
        double f = table_to_wan(t);
        const cJSON *col;
        cJSON_ArrayForEach(col, jget(t, "columns"))
        {
            const char *stage = jstr(col, "stage"), *key = jstr(col, "key");
            if (!stage || strcmp(stage, "prior_year") != 0 || !key || f <= 0)
                continue;
            const cJSON *rec;
            cJSON_ArrayForEach(rec, jget(t, "records"))
            {
                double stated, then;
                const prior_doc *pd = NULL;
                if (!str_eq(jstr(rec, "side"), jstr(col, "side")) || !jnum(jget(rec, "amounts"), key, &stated) ||
                    !prior_figure(t, rec, col, prior, &pd, &then))
                    continue;
                char *path = NULL;
                const cJSON *p;
                GString *s = g_string_new(NULL);
                cJSON_ArrayForEach(p, jget(col, "path")) if (cJSON_IsString(p))
                {
                    g_string_append_printf(s, "%s%s", s->len ? " / " : "", p->valuestring);
                }
                path = g_string_free(s, FALSE);
                const char *row = record_code(rec) ? record_code(rec) : jstr(rec, "label");
                char *text = g_strdup_printf("%s: %s", jstr(rec, "label") ? jstr(rec, "label") : "", path);
                prior_row(k, id, row, path, then, stated * f, pd, then, FALSE, 0, text, ti, t);
                g_free(text);
                g_free(path);
            }
        }
        ti++;
    }
}

static void prior_year_checks(sink *k, const cJSON *doc, const doc_ident *id, const doc_entry *docs, guint n,
                              guint d, prior_cache *cache, const char *json_dir)
{
    const doc_entry *e = &docs[d];
    if (!e->unit_key || !e->year)
        return;
    if (!cache->have_re) {
        prose_res_init(&cache->re);
        cache->have_re = TRUE;
    }
    GPtrArray *prior = prior_docs(cache, docs, n, e->unit_key, e->year - 1, json_dir);
    if (prior->len == 0)
        return;
    prose_prior_year(k, doc, id, prior, &cache->re);
    table_prior_year(k, doc, id, e, prior);
}

/* ---------------------------------------------------------------- a document */

static void document_rows(sink *k, const cJSON *doc, const doc_ident *id, const doc_entry *e, guint64 facts,
                          guint kept, const doc_entry *docs)
{
    GString *reason = g_string_new(NULL);
    for (guint t = 0; t < e->n_tables; t++) {
        const table_entry *te = &e->tables[t];
        if (te->kept_doc < 0)
            continue;
        if (e->same_as >= 0) {
            g_string_assign(reason, te->reason);
            break;
        }
        g_string_append_printf(reason, "%stable %u: the copy in %s (table %d) kept: %s", reason->len ? "; " : "", t,
                               docs[te->kept_doc].json_file, te->kept_table, te->reason);
    }
    guint failed = 0, warnings = (guint)cJSON_GetArraySize(jget(doc, "warnings"));
    const cJSON *ck;
    cJSON_ArrayForEach(ck, jget(doc, "checks")) if (cJSON_IsFalse(jget(ck, "ok"))) failed++;
    const cJSON *src = jget(doc, "source");
    const cJSON *region = jget(doc, "region"), *summary = jget(doc, "summary");
    double sv;
    const char *version = jstr(doc, "budgetpdf_version");
    for (const cJSON *one = cJSON_IsArray(src) ? src->child : src; one; one = cJSON_IsArray(src) ? one->next : NULL) {
        bpd_value v[DOC_N] = {0};
        v[DOC_SHA256] = v_str(jstr_or(one, "sha256"));
        v[DOC_FILE] = v_str(jstr(one, "file"));
        v[DOC_JSON_FILE] = v_str(id->json_file);
        v[DOC_PAGES] = v_jint(one, "pages");
        v[DOC_PRODUCER] = v_str(jstr(one, "producer"));
        v[DOC_UNIT] = v_str(id->unit);
        v[DOC_UNIT_KEY] = v_str(id->unit_key);
        v[DOC_UNIT_CODE] = v_str(jstr(doc, "unit_code"));
        v[DOC_REGION] = v_str(id->region);
        if (cJSON_IsObject(region)) {
            v[DOC_REGION_LEVEL] = v_str(jstr(region, "level"));
            v[DOC_PROVINCE] = v_str(jstr(region, "province"));
            v[DOC_CITY] = v_str(jstr(region, "city"));
            v[DOC_DISTRICT] = v_str(jstr(region, "district"));
        }
        v[DOC_DEPARTMENT] = v_str(jstr(doc, "department"));
        v[DOC_YEAR] = id->year ? v_int(id->year) : (bpd_value){0};
        v[DOC_TYPE] = v_str(id->document_type);
        static const char *const figures[] = {"income_total", "expenditure_total", "basic_expenditure",
                                              "project_expenditure", "three_public_total"};
        for (int i = 0; i < 5; i++)
            if (cJSON_IsObject(summary) && jnum(summary, figures[i], &sv))
                v[DOC_INCOME_TOTAL + i] = v_num(sv);
        v[DOC_BUDGETPDF_VERSION] = v_str(version);
        v[DOC_SCHEMA_VERSION] = v_jint(doc, "schema_version");
        v[DOC_TABLES] = v_int(e->n_tables);
        v[DOC_TABLES_KEPT] = v_int(kept);
        v[DOC_FACTS] = v_int((gint64)facts);
        v[DOC_CHECKS_FAILED] = v_int(failed);
        v[DOC_WARNINGS] = v_int(warnings);
        v[DOC_KEPT] = v_str(kept == e->n_tables && e->same_as < 0 ? "all" : kept > 0 ? "some" : "none");
        if (e->same_as >= 0 && e->n_tables == 0)
            g_string_printf(reason, "the same PDF as %s", docs[e->same_as].json_file);
        v[DOC_KEPT_REASON] = v_str(reason->len ? reason->str : NULL);
        emit(k, BPD_DOCUMENTS, v);
        k->totals->documents++;
    }
    g_string_free(reason, TRUE);
}

static void export_document(sink *k, const cJSON *doc, doc_entry *docs, guint n_docs, guint d, prior_cache *cache,
                            const char *json_dir)
{
    const doc_entry *e = &docs[d];
    doc_ident id = {
        .sha = e->sha,
        .unit = jstr(doc, "unit"),
        .unit_key = unit_key_of(doc),
        .document_type = jstr(doc, "document_type"),
        .json_file = e->json_file,
        .region = region_text(jget(doc, "region")),
        .year = e->year,
    };
    guint64 facts = 0;
    guint kept = 0, ti = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, jget(doc, "tables"))
    {
        if (ti >= e->n_tables)
            break;
        const table_entry *te = &e->tables[ti];
        table_row(k, doc, &id, t, (int)ti, docs, te);
        k->totals->tables++;
        if (te->kept_doc < 0) {
            facts += table_facts(k, doc, &id, t, (int)ti);
            kept++;
        } else {
            k->totals->tables_dropped++;
        }
        ti++;
    }
    k->totals->facts += facts;
    document_rows(k, doc, &id, e, facts, kept, docs);
    if (e->same_as < 0) {
        check_rows(k, doc, &id);
        indicator_rows(k, doc, &id);
        execution_rows(k, doc, &id);
        prior_year_checks(k, doc, &id, docs, n_docs, d, cache, json_dir);
    }
    g_free(id.region);
}

gboolean bpd_export(const char *json_dir, const bpd_options *o, bpd_totals *totals, GError **error)
{
    bpd_totals local = {0};
    if (!totals)
        totals = &local;
    memset(totals, 0, sizeof *totals);
    if (!g_file_test(json_dir, G_FILE_TEST_IS_DIR)) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_INPUT, "%s is not a folder", json_dir);
        return FALSE;
    }
    char *skip = NULL;
    if (o->csv_dir) {
        g_mkdir_with_parents(o->csv_dir, 0777);
        skip = g_canonicalize_filename(o->csv_dir, NULL);
    }
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    walk(json_dir, NULL, skip, files);
    g_free(skip);
    g_ptr_array_sort(files, compare_paths);

    /* pass one: the index */
    GArray *docs = g_array_new(FALSE, TRUE, sizeof(doc_entry));
    for (guint i = 0; i < files->len; i++) {
        char *path = g_build_filename(json_dir, files->pdata[i], NULL);
        cJSON *doc = read_json(path);
        g_free(path);
        if (!doc || !is_budgetpdf(doc)) {
            totals->ignored++;
            cJSON_Delete(doc);
            continue;
        }
        doc_entry e = {0};
        index_document(doc, files->pdata[i], &e);
        g_array_append_val(docs, e);
        cJSON_Delete(doc);
    }
    totals->files = docs->len;
    doc_entry *dv = (doc_entry *)(void *)docs->data;
    choose_copies(dv, docs->len);

    /* pass two: the rows */
    sink k = {.totals = totals};
    if (o->csv_dir)
        k.csv = bpd_csv_open(o->csv_dir, o->csv_bom, &k.error);
    if (!k.error && o->sqlite_path)
        k.sql = bpd_sqlite_open(o->sqlite_path, &k.error);
    prior_cache cache = {0};
    for (guint d = 0; d < docs->len && !k.error; d++) {
        char *path = g_build_filename(json_dir, dv[d].json_file, NULL);
        cJSON *doc = read_json(path);
        g_free(path);
        if (!doc || !is_budgetpdf(doc)) { /* changed since pass one */
            cJSON_Delete(doc);
            continue;
        }
        export_document(&k, doc, dv, docs->len, d, &cache, json_dir);
        cJSON_Delete(doc);
    }
    prior_cache_clear(&cache);
    gboolean ok = !k.error;
    if (k.csv && !bpd_csv_close(k.csv, ok, ok ? &k.error : NULL))
        ok = FALSE;
    if (k.sql && !bpd_sqlite_close(k.sql, ok, ok ? &k.error : NULL))
        ok = FALSE;
    if (k.error)
        g_propagate_error(error, k.error);
    for (guint d = 0; d < docs->len; d++)
        doc_entry_clear(&dv[d]);
    g_array_free(docs, TRUE);
    g_ptr_array_free(files, TRUE);
    return ok;
}
