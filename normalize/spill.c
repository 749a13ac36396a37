/* spill.c — a document's checks, and its tables' rows and records, written
 * to a temporary file as they are made and read back in order (issue 15).
 *
 * Why.  A table page of a budget states some 18 arithmetic identities (about
 * 350 bytes of heap each, with their names and cell lists) and holds 20-40
 * rows and as many records.  Once made, the checks are read only by the
 * JSON, the batch digest and the failed-check count, and a table's rows and
 * records, once its meaning is read, only by the JSON.  (The OCR repair
 * reworks checks and cells, and the review page reads rows, frames and the
 * checks' tables: a document that needs either keeps all held.)
 *
 * How it works.
 *  1. bpn_spill_new opens a file in the temporary folder (g_file_open_tmp,
 *     so TMPDIR is honoured) and unlinks it at once: the file goes with the
 *     process, however it ends.
 *  2. bpn_spill_check (from checks.c's check_add, as each check is judged)
 *     writes one check as fixed-width numbers and length-prefixed strings
 *     (put_i32, put_f64, put_str) through stdio's buffer.  bpn_spill_table
 *     (from bpn_builder_finish, as soon as meaning.c has read the table)
 *     writes its header rows, rows and records, notes where they start
 *     (table_at) and frees them from the table (bpn_table_drop_rows), which
 *     keeps its number, title, pages, notes and columns in doc->tables.  The
 *     first failing write is kept (error) and nothing is written after it,
 *     so check_add, deep in checks.c, needs no error path: the table is
 *     then held, and bpn_builder_finish reports the error.
 *  3. bpn_document_foreach_check reads the check records from the start,
 *     one at a time (read_check), into a check that lives for one call of
 *     fn; bpn_document_foreach_table hands over each table, a spilled one as
 *     a view (table_view: the held table's fields with the rows and records
 *     read back, read_table), freed after the call.
 * The records are read by the process that wrote them, so they hold the
 * machine's byte order.  A spilled check has no source_table.  What is
 * still held: the checks' and tables' order, the tables' headings and
 * columns (a few hundred bytes a table).
 */
#include "normalize/internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct bpn_spill {
    FILE *file;     /* unlinked: no name left to clean up */
    guint n_checks; /* check records written (they come first: checks.c runs before meaning.c) */
    GArray *table_at; /* gint64 per index into doc->tables: where its record starts, -1: held */
    GError *error;  /* the first write that failed, or NULL */
};

bpn_spill *bpn_spill_new(GError **error)
{
    char *path = NULL;
    int fd = g_file_open_tmp("budgetpdf-spill-XXXXXX", &path, error);
    if (fd < 0)
        return NULL;
    g_unlink(path);
    g_free(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        int e = errno;
        close(fd);
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "spill file: %s", g_strerror(e));
        return NULL;
    }
    bpn_spill *s = g_new0(bpn_spill, 1);
    s->file = f;
    s->table_at = g_array_new(FALSE, FALSE, sizeof(gint64));
    return s;
}

void bpn_spill_free(bpn_spill *s)
{
    if (!s)
        return;
    fclose(s->file);
    g_array_unref(s->table_at);
    g_clear_error(&s->error);
    g_free(s);
}

gboolean bpn_spill_ok(const bpn_spill *s, GError **error)
{
    if (!s || !s->error)
        return TRUE;
    g_propagate_error(error, g_error_copy(s->error));
    return FALSE;
}

/* ---- step 2: writing ---- */

static void put(bpn_spill *s, const void *data, size_t len)
{
    if (s->error || len == 0)
        return;
    if (fwrite(data, 1, len, s->file) != len) {
        int e = errno;
        g_set_error(&s->error, G_FILE_ERROR, g_file_error_from_errno(e), "spill file not written: %s",
                    g_strerror(e));
    }
}

static void put_i32(bpn_spill *s, int32_t v)
{
    put(s, &v, sizeof v);
}

static void put_f64(bpn_spill *s, double v)
{
    put(s, &v, sizeof v);
}

/* -1 for NULL, else the length, then the bytes */
static void put_str(bpn_spill *s, const char *v)
{
    int32_t len = v ? (int32_t)strlen(v) : -1;
    put_i32(s, len);
    if (v)
        put(s, v, (size_t)len);
}

void bpn_spill_check(bpn_spill *s, const bpn_check *k)
{
    put_i32(s, k->table);
    put_i32(s, k->table_index);
    put_str(s, k->rule);
    put_str(s, k->row);
    put_str(s, k->column);
    put_f64(s, k->expected);
    put_f64(s, k->found);
    put_f64(s, k->tolerance);
    put_i32(s, (k->ok ? 1 : 0) | (k->rounding ? 2 : 0) | (k->settled_by_ocr ? 4 : 0));
    put_i32(s, k->cells ? (int32_t)k->cells->len : 0);
    if (k->cells && k->cells->len)
        put(s, k->cells->data, k->cells->len * sizeof(int));
    s->n_checks++;
}

static void put_rows(bpn_spill *s, const GPtrArray *rows, int n_cols)
{
    put_i32(s, (int32_t)rows->len);
    for (guint r = 0; r < rows->len; r++) {
        const bpn_row *row = rows->pdata[r];
        for (int c = 0; c < n_cols; c++) {
            put_str(s, row->cells[c].text);
            put_i32(s, row->cells[c].is_number);
            put_f64(s, row->cells[c].number);
        }
    }
}

void bpn_spill_table(bpn_spill *s, bpn_document *doc, guint index)
{
    bpn_table *t = doc->tables->pdata[index];
    const GPtrArray *records = t->meaning->records;
    long at = s->error ? -1 : ftell(s->file);
    if (at < 0) {
        if (!s->error)
            g_set_error(&s->error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file: no position");
        return;
    }
    put_rows(s, t->header_rows, t->n_cols);
    put_rows(s, t->rows, t->n_cols);
    put_i32(s, (int32_t)records->len);
    for (guint i = 0; i < records->len; i++) {
        const bpn_record *r = records->pdata[i];
        put_i32(s, r->row);
        put_str(s, r->side);
        put_str(s, r->label);
        put_str(s, r->function_code);
        put_str(s, r->economic_department_code);
        put_str(s, r->economic_government_code);
        put_i32(s, r->level);
        put_i32(s, r->parent);
        put_i32(s, r->total);
        put_str(s, r->sub_unit);
        put_i32(s, (int32_t)r->amount_cols->len);
        put(s, r->amount_cols->data, r->amount_cols->len * sizeof(int));
    }
    if (s->error)
        return; /* held: the table stays whole */
    gint64 none = -1, where = at;
    while (s->table_at->len < index)
        g_array_append_val(s->table_at, none);
    g_array_append_val(s->table_at, where);
    bpn_table_drop_rows(t);
}

/* ---- step 3: reading back ---- */

static gboolean get(FILE *f, void *data, size_t len)
{
    return len == 0 || fread(data, 1, len, f) == len;
}

static gboolean get_i32(FILE *f, int32_t *v)
{
    return get(f, v, sizeof *v);
}

static gboolean get_f64(FILE *f, double *v)
{
    return get(f, v, sizeof *v);
}

static gboolean get_str(FILE *f, char **v)
{
    int32_t len;
    *v = NULL;
    if (!get_i32(f, &len))
        return FALSE;
    if (len < 0)
        return TRUE;
    *v = g_malloc((gsize)len + 1);
    (*v)[len] = 0;
    return get(f, *v, (size_t)len);
}

/* One record into k (all fields; k's strings and cells owned by k). */
static gboolean read_check(FILE *f, bpn_check *k)
{
    int32_t table = 0, index = 0, flags = 0, n = 0;
    memset(k, 0, sizeof *k);
    gboolean ok = get_i32(f, &table) && get_i32(f, &index) && get_str(f, &k->rule) && get_str(f, &k->row) &&
                  get_str(f, &k->column) && get_f64(f, &k->expected) && get_f64(f, &k->found) &&
                  get_f64(f, &k->tolerance) && get_i32(f, &flags) && get_i32(f, &n) && n >= 0;
    k->cells = g_array_sized_new(FALSE, FALSE, sizeof(int), ok ? (guint)n : 0);
    if (ok) {
        g_array_set_size(k->cells, (guint)n);
        ok = get(f, k->cells->data, (size_t)n * sizeof(int));
    }
    k->table = table;
    k->table_index = index;
    k->ok = (flags & 1) != 0;
    k->rounding = (flags & 2) != 0;
    k->settled_by_ocr = (flags & 4) != 0;
    return ok;
}

static void check_clear(bpn_check *k)
{
    g_free(k->rule);
    g_free(k->row);
    g_free(k->column);
    if (k->cells)
        g_array_free(k->cells, TRUE);
}

gboolean bpn_document_foreach_check(const bpn_document *doc, bpn_check_fn fn, void *user, GError **error)
{
    bpn_spill *s = doc->spill;
    if (!s) {
        for (guint i = 0; i < doc->checks->len; i++)
            if (!fn(doc->checks->pdata[i], user))
                return TRUE;
        return TRUE;
    }
    if (!bpn_spill_ok(s, error))
        return FALSE;
    if (fflush(s->file) != 0 || fseek(s->file, 0, SEEK_SET) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "spill file not read: %s", g_strerror(e));
        return FALSE;
    }
    for (guint i = 0; i < s->n_checks; i++) {
        bpn_check k;
        gboolean read = read_check(s->file, &k);
        gboolean more = read && fn(&k, user);
        check_clear(&k);
        if (!read) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file not read: check %u of %u cut short", i + 1,
                        s->n_checks);
            fseek(s->file, 0, SEEK_END);
            return FALSE;
        }
        if (!more)
            break;
    }
    /* writing may follow (a document rebuilt): from the end */
    fseek(s->file, 0, SEEK_END);
    return TRUE;
}

static gboolean get_rows(FILE *f, GPtrArray *rows, int n_cols)
{
    int32_t n = 0;
    if (!get_i32(f, &n) || n < 0)
        return FALSE;
    for (int32_t r = 0; r < n; r++) {
        bpn_row *row = g_new0(bpn_row, 1);
        row->cells = g_new0(bpn_cell, n_cols ? n_cols : 1);
        g_ptr_array_add(rows, row);
        for (int c = 0; c < n_cols; c++) {
            int32_t is_number = 0;
            if (!get_str(f, &row->cells[c].text) || !get_i32(f, &is_number) || !get_f64(f, &row->cells[c].number))
                return FALSE;
            row->cells[c].is_number = is_number != 0;
        }
    }
    return TRUE;
}

static gboolean get_record(FILE *f, bpn_record *r)
{
    int32_t total = 0, n = 0;
    char *side = NULL;
    gboolean ok = get_i32(f, &r->row) && get_str(f, &side) && get_str(f, &r->label) &&
                  get_str(f, &r->function_code) && get_str(f, &r->economic_department_code) &&
                  get_str(f, &r->economic_government_code) && get_i32(f, &r->level) && get_i32(f, &r->parent) &&
                  get_i32(f, &total) && get_str(f, &r->sub_unit) && get_i32(f, &n) && n >= 0;
    r->side = side; /* owned here: freed by view_clear */
    r->total = ok && total != 0;
    r->amount_cols = g_array_sized_new(FALSE, FALSE, sizeof(int), ok ? (guint)n : 0);
    if (ok) {
        g_array_set_size(r->amount_cols, (guint)n);
        ok = get(f, r->amount_cols->data, (size_t)n * sizeof(int));
    }
    return ok;
}

/* A spilled table made whole for one call: the held table's fields, its
 * meaning's, and the rows and records read back (owned by the view). */
typedef struct {
    bpn_table table;
    bpn_table_meaning meaning;
} table_view;

static void view_clear(table_view *v)
{
    GPtrArray *rows[2] = {v->table.header_rows, v->table.rows};
    for (int k = 0; k < 2; k++) {
        for (guint i = 0; rows[k] && i < rows[k]->len; i++) {
            bpn_row *row = rows[k]->pdata[i];
            for (int c = 0; c < v->table.n_cols; c++)
                g_free(row->cells[c].text);
            g_free(row->cells);
            g_free(row);
        }
        if (rows[k])
            g_ptr_array_unref(rows[k]);
    }
    for (guint i = 0; v->meaning.records && i < v->meaning.records->len; i++) {
        bpn_record *r = v->meaning.records->pdata[i];
        g_free((char *)r->side);
        g_free(r->label);
        g_free(r->function_code);
        g_free(r->economic_department_code);
        g_free(r->economic_government_code);
        g_free(r->sub_unit);
        if (r->amount_cols)
            g_array_free(r->amount_cols, TRUE);
        g_free(r);
    }
    if (v->meaning.records)
        g_ptr_array_unref(v->meaning.records);
}

static gboolean read_table(FILE *f, const bpn_table *held, table_view *v)
{
    v->table = *held;
    v->meaning = *held->meaning;
    v->table.meaning = &v->meaning;
    v->table.header_rows = g_ptr_array_new();
    v->table.rows = g_ptr_array_new();
    v->meaning.records = g_ptr_array_new();
    int32_t n = 0;
    if (!get_rows(f, v->table.header_rows, held->n_cols) || !get_rows(f, v->table.rows, held->n_cols) ||
        !get_i32(f, &n) || n < 0)
        return FALSE;
    for (int32_t i = 0; i < n; i++) {
        bpn_record *r = g_new0(bpn_record, 1);
        g_ptr_array_add(v->meaning.records, r);
        if (!get_record(f, r))
            return FALSE;
    }
    return TRUE;
}

gboolean bpn_document_foreach_table(const bpn_document *doc, bpn_table_fn fn, void *user, GError **error)
{
    bpn_spill *s = doc->spill;
    if (s && !bpn_spill_ok(s, error))
        return FALSE;
    gboolean ok = TRUE;
    for (guint i = 0; i < doc->tables->len && ok; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        gint64 at = s && i < s->table_at->len ? g_array_index(s->table_at, gint64, i) : -1;
        if (at < 0) {
            if (!fn(t, user))
                break;
            continue;
        }
        table_view v = {0};
        gboolean read = fflush(s->file) == 0 && fseek(s->file, (long)at, SEEK_SET) == 0 && read_table(s->file, t, &v);
        gboolean more = read && fn(&v.table, user);
        view_clear(&v);
        if (!read) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file not read: table %u cut short", i);
            ok = FALSE;
        } else if (!more) {
            break;
        }
    }
    if (s)
        fseek(s->file, 0, SEEK_END);
    return ok;
}

guint bpn_document_n_checks(const bpn_document *doc)
{
    return doc->spill ? doc->spill->n_checks : doc->checks->len;
}
