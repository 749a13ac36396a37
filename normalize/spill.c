/* spill.c — a document's checks, and its tables' rows and records, written
 * to a temporary file as they are made and read back in order (issue 15);
 * and the file layer under it and under the pages' block store (pages.c).
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
 *  0. Between the tables' walk and their meaning (checks and summary in
 *     between), a table's rows are read one table, or two, at a time:
 *     bpn_spill_rows_out (from tables.c's pending_finish, the table just
 *     finished) writes its header rows and rows to a second file (rows_io,
 *     opened at the first table) and frees them; bpn_table_touch reads
 *     them back into the table when a pass comes to it, and frees the rows
 *     of the table touched longest ago beyond ROWS_HELD; bpn_spill_table
 *     takes the table out of this store for good (rows_pin) before writing
 *     it with its records (step 2).  Nothing changes the rows in between in
 *     a spilled document (the OCR repairs, which do, keep them held).
 *  1. bpn_spill_new opens a file in the temporary folder (g_file_open_tmp,
 *     so TMPDIR is honoured) and unlinks it at once: the file goes with the
 *     process, however it ends.
 *  2. bpn_spill_check (from checks.c's check_add, as each check is judged)
 *     writes one check as fixed-width numbers and length-prefixed strings
 *     (put_i32, put_f64, put_str) through stdio's buffer.  bpn_spill_table
 *     (from bpn_builder_finish, as soon as meaning.c has read the table)
 *     writes its header rows, rows and records, notes where they start
 *     (table_at) and frees them from the table (bpn_table_drop_rows), then
 *     the rest of it (put_head: label, unit, pages, notes, its meaning's
 *     scope and columns; drop_head), so that doc->tables keeps of it its
 *     number, title, column count and no_data only (the digest reads the
 *     titles).  The
 *     first failing write is kept (error) and nothing is written after it,
 *     so check_add, deep in checks.c, needs no error path: the table is
 *     then held, and bpn_builder_finish reports the error.
 *  3. bpn_document_foreach_check reads the check records from the start,
 *     one at a time (read_check), into a check that lives for one call of
 *     fn; bpn_document_foreach_table hands over each table, a spilled one as
 *     a view (table_view: the held table's fields with the rest read back,
 *     read_table), freed after the call; bpn_document_with_table one table
 *     (the JSON's summary_provenance reads a figure's table so).  The
 *     vocabulary's strings a view reads back (a kind, a column's role) are
 *     interned (get_static): they stay as the static ones did.
 * The records are read by the process that wrote them, so they hold the
 * machine's byte order.  A spilled check has no source_table.  What is
 * still held: the checks' and tables' order, each table's number, title
 * and offset (about 150 bytes a table with glibc's overhead).
 */
#include "normalize/internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct bpn_spill {
    bpn_spill_file io; /* unlinked: no name left to clean up */
    guint n_checks; /* check records written (they come first: checks.c runs before meaning.c) */
    GArray *table_at; /* gint64 per index into doc->tables: where its record starts, -1: held */
    /* step 0: the tables' rows as the walk finished them, in a file of
     * their own (rows_io, opened at the first table) */
    bpn_spill_file rows_io;
    GHashTable *rows_at; /* bpn_table* → gint64* where its rows start: the tables whose rows are out */
    GQueue *rows_held;   /* bpn_table*: of those, the ones read back, most recently touched first */
    gboolean rows_none;  /* no file could be made for them: held */
};

/* Tables whose rows are read back at once: the cross-table checks read two. */
#define ROWS_HELD 3

gboolean bpn_spill_file_open(bpn_spill_file *f, GError **error)
{
    char *path = NULL;
    *f = (bpn_spill_file){0};
    int fd = g_file_open_tmp("budgetpdf-spill-XXXXXX", &path, error);
    if (fd < 0)
        return FALSE;
    g_unlink(path);
    g_free(path);
    f->file = fdopen(fd, "w+b");
    if (!f->file) {
        int e = errno;
        close(fd);
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "spill file: %s", g_strerror(e));
        return FALSE;
    }
    return TRUE;
}

void bpn_spill_file_close(bpn_spill_file *f)
{
    if (f->file)
        fclose(f->file);
    f->file = NULL;
    g_clear_error(&f->error);
}

bpn_spill *bpn_spill_new(GError **error)
{
    bpn_spill_file io;
    if (!bpn_spill_file_open(&io, error))
        return NULL;
    bpn_spill *s = g_new0(bpn_spill, 1);
    s->io = io;
    s->table_at = g_array_new(FALSE, FALSE, sizeof(gint64));
    s->rows_at = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->rows_held = g_queue_new();
    return s;
}

void bpn_spill_free(bpn_spill *s)
{
    if (!s)
        return;
    bpn_spill_file_close(&s->io);
    bpn_spill_file_close(&s->rows_io);
    g_array_unref(s->table_at);
    g_hash_table_unref(s->rows_at);
    g_queue_free(s->rows_held);
    g_free(s);
}

gboolean bpn_spill_ok(const bpn_spill *s, GError **error)
{
    const GError *e = s ? (s->io.error ? s->io.error : s->rows_io.error) : NULL;
    if (!e)
        return TRUE;
    g_propagate_error(error, g_error_copy(e));
    return FALSE;
}

/* ---- step 2: writing ---- */

void bpn_spill_put(bpn_spill_file *f, const void *data, size_t len)
{
    if (f->error || len == 0)
        return;
    if (fwrite(data, 1, len, f->file) != len) {
        int e = errno;
        g_set_error(&f->error, G_FILE_ERROR, g_file_error_from_errno(e), "spill file not written: %s",
                    g_strerror(e));
    }
}

void bpn_spill_put_i32(bpn_spill_file *f, int32_t v)
{
    bpn_spill_put(f, &v, sizeof v);
}

void bpn_spill_put_f64(bpn_spill_file *f, double v)
{
    bpn_spill_put(f, &v, sizeof v);
}

/* -1 for NULL, else the length, then the bytes */
void bpn_spill_put_str(bpn_spill_file *f, const char *v)
{
    int32_t len = v ? (int32_t)strlen(v) : -1;
    bpn_spill_put_i32(f, len);
    if (v)
        bpn_spill_put(f, v, (size_t)len);
}

void bpn_spill_check(bpn_spill *s, const bpn_check *k)
{
    bpn_spill_put_i32(&s->io, k->table);
    bpn_spill_put_i32(&s->io, k->table_index);
    bpn_spill_put_str(&s->io, k->rule);
    bpn_spill_put_str(&s->io, k->row);
    bpn_spill_put_str(&s->io, k->column);
    bpn_spill_put_f64(&s->io, k->expected);
    bpn_spill_put_f64(&s->io, k->found);
    bpn_spill_put_f64(&s->io, k->tolerance);
    bpn_spill_put_i32(&s->io, (k->ok ? 1 : 0) | (k->rounding ? 2 : 0) | (k->settled_by_ocr ? 4 : 0));
    bpn_spill_put_i32(&s->io, k->cells ? (int32_t)k->cells->len : 0);
    if (k->cells && k->cells->len)
        bpn_spill_put(&s->io, k->cells->data, k->cells->len * sizeof(int));
    s->n_checks++;
}

static void put_rows(bpn_spill_file *f, const GPtrArray *rows, int n_cols)
{
    bpn_spill_put_i32(f, (int32_t)rows->len);
    for (guint r = 0; r < rows->len; r++) {
        const bpn_row *row = rows->pdata[r];
        for (int c = 0; c < n_cols; c++) {
            bpn_spill_put_str(f, row->cells[c].text);
            bpn_spill_put_i32(f, row->cells[c].is_number);
            bpn_spill_put_f64(f, row->cells[c].number);
        }
    }
}

static void rows_pin(const bpn_document *doc, bpn_table *t);

/* A vocabulary's string (a table's kind, a column's role …: static in
 * vocab.c) as text; read back as the interned copy (get_static). */
static void put_strv(bpn_spill_file *f, char **v)
{
    int32_t n = v ? (int32_t)g_strv_length(v) : -1;
    bpn_spill_put_i32(f, n);
    for (int32_t i = 0; i < n; i++)
        bpn_spill_put_str(f, v[i]);
}

/* The rest of a table once its meaning is read (all but its number, title,
 * column count and no_data, which stay held: the digest reads the titles). */
static void put_head(bpn_spill_file *f, const bpn_table *t)
{
    bpn_spill_put_str(f, t->label);
    bpn_spill_put_str(f, t->unit_of_measure);
    bpn_spill_put_i32(f, (int32_t)t->pages->len);
    bpn_spill_put(f, t->pages->data, t->pages->len * sizeof(int));
    bpn_spill_put_i32(f, (int32_t)t->notes->len);
    for (guint i = 0; i < t->notes->len; i++)
        bpn_spill_put_str(f, t->notes->pdata[i]);
    const bpn_table_meaning *m = t->meaning;
    bpn_spill_put_str(f, m->kind);
    bpn_spill_put_str(f, m->basis);
    bpn_spill_put_str(f, m->number_label);
    bpn_spill_put_str(f, m->fund);
    bpn_spill_put_str(f, m->carry_over);
    bpn_spill_put_str(f, m->classification);
    bpn_spill_put_f64(f, m->to_wan);
    bpn_spill_put_i32(f, m->unit_inherited);
    bpn_spill_put_i32(f, (int32_t)m->columns->len);
    for (guint i = 0; i < m->columns->len; i++) {
        const bpn_column *c = m->columns->pdata[i];
        put_strv(f, c->path);
        bpn_spill_put_str(f, c->role);
        bpn_spill_put_str(f, c->measure);
        bpn_spill_put_str(f, c->stage);
        bpn_spill_put_str(f, c->side);
        bpn_spill_put_str(f, c->key);
    }
}

/* What put_head wrote, out of memory: the table keeps its number, title,
 * column count and no_data. */
static void drop_head(bpn_table *t)
{
    g_clear_pointer(&t->label, g_free);
    g_clear_pointer(&t->unit_of_measure, g_free);
    g_clear_pointer(&t->pages, g_array_unref);
    g_clear_pointer(&t->notes, g_ptr_array_unref);
    g_clear_pointer(&t->header_rows, g_ptr_array_unref);
    g_clear_pointer(&t->rows, g_ptr_array_unref);
    if (t->frames && t->frames->len == 0)
        g_clear_pointer(&t->frames, g_ptr_array_unref);
    g_clear_pointer(&t->meaning, bpn_table_meaning_free);
}

void bpn_spill_table(bpn_spill *s, bpn_document *doc, guint index)
{
    bpn_table *t = doc->tables->pdata[index];
    rows_pin(doc, t); /* held from here, whether written or not */
    const GPtrArray *records = t->meaning->records;
    long at = s->io.error ? -1 : ftell(s->io.file);
    if (at < 0) {
        if (!s->io.error)
            g_set_error(&s->io.error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file: no position");
        return;
    }
    put_rows(&s->io, t->header_rows, t->n_cols);
    put_rows(&s->io, t->rows, t->n_cols);
    bpn_spill_put_i32(&s->io, (int32_t)records->len);
    for (guint i = 0; i < records->len; i++) {
        const bpn_record *r = records->pdata[i];
        bpn_spill_put_i32(&s->io, r->row);
        bpn_spill_put_str(&s->io, r->side);
        bpn_spill_put_str(&s->io, r->label);
        bpn_spill_put_str(&s->io, r->function_code);
        bpn_spill_put_str(&s->io, r->economic_department_code);
        bpn_spill_put_str(&s->io, r->economic_government_code);
        bpn_spill_put_i32(&s->io, r->level);
        bpn_spill_put_i32(&s->io, r->parent);
        bpn_spill_put_i32(&s->io, r->total);
        bpn_spill_put_str(&s->io, r->sub_unit);
        bpn_spill_put_i32(&s->io, (int32_t)r->amount_cols->len);
        bpn_spill_put(&s->io, r->amount_cols->data, r->amount_cols->len * sizeof(int));
    }
    put_head(&s->io, t);
    if (s->io.error)
        return; /* held: the table stays whole */
    gint64 none = -1, where = at;
    while (s->table_at->len < index)
        g_array_append_val(s->table_at, none);
    g_array_append_val(s->table_at, where);
    bpn_table_drop_rows(t);
    drop_head(t);
}

/* ---- step 3: reading back ---- */

gboolean bpn_spill_get(FILE *f, void *data, size_t len)
{
    return len == 0 || fread(data, 1, len, f) == len;
}

gboolean bpn_spill_get_i32(FILE *f, int32_t *v)
{
    return bpn_spill_get(f, v, sizeof *v);
}

gboolean bpn_spill_get_f64(FILE *f, double *v)
{
    return bpn_spill_get(f, v, sizeof *v);
}

gboolean bpn_spill_get_str(FILE *f, char **v)
{
    int32_t len;
    *v = NULL;
    if (!bpn_spill_get_i32(f, &len))
        return FALSE;
    if (len < 0)
        return TRUE;
    *v = g_malloc((gsize)len + 1);
    (*v)[len] = 0;
    return bpn_spill_get(f, *v, (size_t)len);
}

/* One record into k (all fields; k's strings and cells owned by k). */
static gboolean read_check(FILE *f, bpn_check *k)
{
    int32_t table = 0, index = 0, flags = 0, n = 0;
    memset(k, 0, sizeof *k);
    gboolean ok = bpn_spill_get_i32(f, &table) && bpn_spill_get_i32(f, &index) && bpn_spill_get_str(f, &k->rule) && bpn_spill_get_str(f, &k->row) &&
                  bpn_spill_get_str(f, &k->column) && bpn_spill_get_f64(f, &k->expected) && bpn_spill_get_f64(f, &k->found) &&
                  bpn_spill_get_f64(f, &k->tolerance) && bpn_spill_get_i32(f, &flags) && bpn_spill_get_i32(f, &n) && n >= 0;
    k->cells = g_array_sized_new(FALSE, FALSE, sizeof(int), ok ? (guint)n : 0);
    if (ok) {
        g_array_set_size(k->cells, (guint)n);
        ok = bpn_spill_get(f, k->cells->data, (size_t)n * sizeof(int));
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
    if (fflush(s->io.file) != 0 || fseek(s->io.file, 0, SEEK_SET) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "spill file not read: %s", g_strerror(e));
        return FALSE;
    }
    for (guint i = 0; i < s->n_checks; i++) {
        bpn_check k;
        gboolean read = read_check(s->io.file, &k);
        gboolean more = read && fn(&k, user);
        check_clear(&k);
        if (!read) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file not read: check %u of %u cut short", i + 1,
                        s->n_checks);
            fseek(s->io.file, 0, SEEK_END);
            return FALSE;
        }
        if (!more)
            break;
    }
    /* writing may follow (a document rebuilt): from the end */
    fseek(s->io.file, 0, SEEK_END);
    return TRUE;
}

static gboolean get_rows(FILE *f, GPtrArray *rows, int n_cols)
{
    int32_t n = 0;
    if (!bpn_spill_get_i32(f, &n) || n < 0)
        return FALSE;
    for (int32_t r = 0; r < n; r++) {
        bpn_row *row = g_new0(bpn_row, 1);
        row->cells = g_new0(bpn_cell, n_cols ? n_cols : 1);
        g_ptr_array_add(rows, row);
        for (int c = 0; c < n_cols; c++) {
            int32_t is_number = 0;
            if (!bpn_spill_get_str(f, &row->cells[c].text) || !bpn_spill_get_i32(f, &is_number) || !bpn_spill_get_f64(f, &row->cells[c].number))
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
    gboolean ok = bpn_spill_get_i32(f, &r->row) && bpn_spill_get_str(f, &side) && bpn_spill_get_str(f, &r->label) &&
                  bpn_spill_get_str(f, &r->function_code) && bpn_spill_get_str(f, &r->economic_department_code) &&
                  bpn_spill_get_str(f, &r->economic_government_code) && bpn_spill_get_i32(f, &r->level) && bpn_spill_get_i32(f, &r->parent) &&
                  bpn_spill_get_i32(f, &total) && bpn_spill_get_str(f, &r->sub_unit) && bpn_spill_get_i32(f, &n) && n >= 0;
    r->side = side; /* owned here: freed by view_clear */
    r->total = ok && total != 0;
    r->amount_cols = g_array_sized_new(FALSE, FALSE, sizeof(int), ok ? (guint)n : 0);
    if (ok) {
        g_array_set_size(r->amount_cols, (guint)n);
        ok = bpn_spill_get(f, r->amount_cols->data, (size_t)n * sizeof(int));
    }
    return ok;
}

/* A spilled table made whole for one call: the held table's fields, and
 * its head (put_head), rows and records read back (owned by the view). */
typedef struct {
    bpn_table table;
    bpn_table_meaning meaning;
} table_view;

/* A vocabulary string read back: interned, so that it lives as long as the
 * static one it was (nothing frees it). */
static gboolean get_static(FILE *f, const char **v)
{
    char *s = NULL;
    gboolean ok = bpn_spill_get_str(f, &s);
    *v = s ? g_intern_string(s) : NULL;
    g_free(s);
    return ok;
}

static gboolean get_strv(FILE *f, char ***v)
{
    int32_t n = 0;
    *v = NULL;
    if (!bpn_spill_get_i32(f, &n))
        return FALSE;
    if (n < 0)
        return TRUE;
    *v = g_new0(char *, (gsize)n + 1);
    for (int32_t i = 0; i < n; i++)
        if (!bpn_spill_get_str(f, &(*v)[i]))
            return FALSE;
    return TRUE;
}

static void view_column_free(gpointer p)
{
    bpn_column *c = p;
    g_strfreev(c->path);
    g_free(c->key);
    g_free(c);
}

static gboolean get_head(FILE *f, table_view *v)
{
    bpn_table *t = &v->table;
    bpn_table_meaning *m = &v->meaning;
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    t->notes = g_ptr_array_new_with_free_func(g_free);
    m->columns = g_ptr_array_new_with_free_func(view_column_free);
    int32_t n = 0, inherited = 0;
    if (!bpn_spill_get_str(f, &t->label) || !bpn_spill_get_str(f, &t->unit_of_measure) || !bpn_spill_get_i32(f, &n) || n < 0)
        return FALSE;
    g_array_set_size(t->pages, (guint)n);
    if (!bpn_spill_get(f, t->pages->data, (size_t)n * sizeof(int)) || !bpn_spill_get_i32(f, &n) || n < 0)
        return FALSE;
    for (int32_t i = 0; i < n; i++) {
        char *note = NULL;
        if (!bpn_spill_get_str(f, &note))
            return FALSE;
        g_ptr_array_add(t->notes, note);
    }
    if (!get_static(f, &m->kind) || !get_static(f, &m->basis) || !bpn_spill_get_str(f, &m->number_label) ||
        !get_static(f, &m->fund) || !get_static(f, &m->carry_over) || !get_static(f, &m->classification) ||
        !bpn_spill_get_f64(f, &m->to_wan) || !bpn_spill_get_i32(f, &inherited) || !bpn_spill_get_i32(f, &n) || n < 0)
        return FALSE;
    m->unit_inherited = inherited != 0;
    for (int32_t i = 0; i < n; i++) {
        bpn_column *c = g_new0(bpn_column, 1);
        g_ptr_array_add(m->columns, c);
        if (!get_strv(f, &c->path) || !get_static(f, &c->role) || !get_static(f, &c->measure) ||
            !get_static(f, &c->stage) || !get_static(f, &c->side) || !bpn_spill_get_str(f, &c->key))
            return FALSE;
    }
    return TRUE;
}

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
    g_free(v->table.label);
    g_free(v->table.unit_of_measure);
    if (v->table.pages)
        g_array_unref(v->table.pages);
    if (v->table.notes)
        g_ptr_array_unref(v->table.notes);
    g_free(v->meaning.number_label);
    if (v->meaning.columns)
        g_ptr_array_unref(v->meaning.columns);
}

static gboolean read_table(FILE *f, const bpn_table *held, table_view *v)
{
    v->table = *held;
    v->table.meaning = &v->meaning;
    v->table.label = v->table.unit_of_measure = NULL;
    v->table.pages = NULL;
    v->table.notes = NULL;
    v->table.frames = NULL;
    v->table.header_rows = g_ptr_array_new();
    v->table.rows = g_ptr_array_new();
    v->meaning.records = g_ptr_array_new();
    int32_t n = 0;
    if (!get_rows(f, v->table.header_rows, held->n_cols) || !get_rows(f, v->table.rows, held->n_cols) ||
        !bpn_spill_get_i32(f, &n) || n < 0)
        return FALSE;
    for (int32_t i = 0; i < n; i++) {
        bpn_record *r = g_new0(bpn_record, 1);
        g_ptr_array_add(v->meaning.records, r);
        if (!get_record(f, r))
            return FALSE;
    }
    return get_head(f, v);
}

/* Table i to fn, a spilled one read back into a view; -1 when it could not
 * be read (*error set), else whether fn asked for more. */
static int table_call(const bpn_document *doc, guint i, bpn_table_fn fn, void *user, GError **error)
{
    bpn_spill *s = doc->spill;
    const bpn_table *t = doc->tables->pdata[i];
    gint64 at = s && i < s->table_at->len ? g_array_index(s->table_at, gint64, i) : -1;
    if (at < 0)
        return fn(t, user);
    table_view v = {0};
    gboolean read = fflush(s->io.file) == 0 && fseek(s->io.file, (long)at, SEEK_SET) == 0 && read_table(s->io.file, t, &v);
    gboolean more = read && fn(&v.table, user);
    view_clear(&v);
    if (!read) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file not read: table %u cut short", i);
        return -1;
    }
    return more;
}

gboolean bpn_document_foreach_table(const bpn_document *doc, bpn_table_fn fn, void *user, GError **error)
{
    bpn_spill *s = doc->spill;
    if (s && !bpn_spill_ok(s, error))
        return FALSE;
    int more = 1;
    for (guint i = 0; i < doc->tables->len && more > 0; i++)
        more = table_call(doc, i, fn, user, error);
    if (s)
        fseek(s->io.file, 0, SEEK_END);
    return more >= 0;
}

gboolean bpn_document_with_table(const bpn_document *doc, guint index, bpn_table_fn fn, void *user, GError **error)
{
    bpn_spill *s = doc->spill;
    if (s && !bpn_spill_ok(s, error))
        return FALSE;
    g_return_val_if_fail(index < doc->tables->len, FALSE);
    int more = table_call(doc, index, fn, user, error);
    if (s)
        fseek(s->io.file, 0, SEEK_END);
    return more >= 0;
}

guint bpn_document_n_checks(const bpn_document *doc)
{
    return doc->spill ? doc->spill->n_checks : doc->checks->len;
}

/* ---- step 0: the tables' rows between the walk and their meaning ---- */

/* Frees the rows of rows (bpn_row*, n_cols cells each), leaving it empty. */
/* Frees the rows and the array's storage (emptied, a GPtrArray keeps it:
 * 8 bytes a row, for every table of the document): *rows is a new array. */
static void rows_free(GPtrArray **rows, int n_cols)
{
    for (guint i = 0; i < (*rows)->len; i++) {
        bpn_row *row = (*rows)->pdata[i];
        for (int c = 0; c < n_cols; c++)
            g_free(row->cells[c].text);
        g_free(row->cells);
        g_free(row);
    }
    g_ptr_array_unref(*rows);
    *rows = g_ptr_array_new();
}

void bpn_spill_rows_out(bpn_spill *s, bpn_table *t)
{
    if (!s->rows_io.file && !s->rows_none)
        s->rows_none = !bpn_spill_file_open(&s->rows_io, NULL);
    if (s->rows_none || s->rows_io.error)
        return; /* held */
    long at = fseek(s->rows_io.file, 0, SEEK_END) == 0 ? ftell(s->rows_io.file) : -1;
    if (at < 0)
        return;
    put_rows(&s->rows_io, t->header_rows, t->n_cols);
    put_rows(&s->rows_io, t->rows, t->n_cols);
    if (s->rows_io.error)
        return; /* held; bpn_spill_ok gives the error */
    gint64 *where = g_new(gint64, 1);
    *where = at;
    g_hash_table_insert(s->rows_at, t, where);
    rows_free(&t->header_rows, t->n_cols);
    rows_free(&t->rows, t->n_cols);
}

void bpn_table_touch(const bpn_document *doc, const bpn_table *table)
{
    bpn_spill *s = doc->spill;
    const gint64 *at = s ? g_hash_table_lookup(s->rows_at, table) : NULL;
    if (!at)
        return;
    /* the rows are the table's own, read back into it: a table is const
     * to its readers, not to its store */
    bpn_table *t = (bpn_table *)table;
    GList *held = g_queue_find(s->rows_held, t);
    if (held) {
        g_queue_unlink(s->rows_held, held);
        g_queue_push_head_link(s->rows_held, held);
        return;
    }
    FILE *f = s->rows_io.file;
    gboolean read = !s->rows_io.error && fflush(f) == 0 && fseek(f, (long)*at, SEEK_SET) == 0 &&
                    get_rows(f, t->header_rows, t->n_cols) && get_rows(f, t->rows, t->n_cols);
    if (!read && !s->rows_io.error)
        g_set_error(&s->rows_io.error, G_FILE_ERROR, G_FILE_ERROR_IO, "spill file: the rows of table \"%s\" not read back",
                    t->title ? t->title : "");
    g_queue_push_head(s->rows_held, t);
    if (s->rows_held->length > ROWS_HELD) {
        bpn_table *old = g_queue_pop_tail(s->rows_held);
        rows_free(&old->header_rows, old->n_cols);
        rows_free(&old->rows, old->n_cols);
    }
}

/* Table t's rows read back for good (its meaning is read): out of the
 * rows' store. */
static void rows_pin(const bpn_document *doc, bpn_table *t)
{
    bpn_spill *s = doc->spill;
    if (!s || !g_hash_table_contains(s->rows_at, t))
        return;
    bpn_table_touch(doc, t);
    g_queue_remove(s->rows_held, t);
    g_hash_table_remove(s->rows_at, t);
}

/* ---- the repairs made while the pages are read ---- */

struct bpn_repair_log {
    bpn_spill_file io;
    guint n;        /* records written */
    gboolean sealed;
};

bpn_repair_log *bpn_repair_log_new(GError **error)
{
    bpn_spill_file io;
    if (!bpn_spill_file_open(&io, error))
        return NULL;
    bpn_repair_log *l = g_new0(bpn_repair_log, 1);
    l->io = io;
    return l;
}

void bpn_repair_log_free(bpn_repair_log *l)
{
    if (!l)
        return;
    bpn_spill_file_close(&l->io);
    g_free(l);
}

gboolean bpn_repair_log_put(bpn_repair_log *l, const char *kind, int page, const char *from, const char *to)
{
    if (l->sealed || l->io.error)
        return FALSE;
    bpn_spill_put_str(&l->io, kind);
    bpn_spill_put_i32(&l->io, page);
    bpn_spill_put_str(&l->io, from);
    bpn_spill_put_str(&l->io, to);
    l->n++;
    return TRUE; /* a failed write is reported by bpn_repair_log_ok */
}

void bpn_repair_log_seal(bpn_repair_log *l)
{
    if (l)
        l->sealed = TRUE;
}

gboolean bpn_repair_log_ok(const bpn_repair_log *l, GError **error)
{
    if (!l || !l->io.error)
        return TRUE;
    g_propagate_error(error, g_error_copy(l->io.error));
    return FALSE;
}

gboolean bpn_document_foreach_repair(const bpn_document *doc, bpn_repair_fn fn, void *user, GError **error)
{
    const bpn_repair_log *l = doc->repair_log;
    if (l && !bpn_repair_log_ok(l, error))
        return FALSE;
    FILE *f = l ? l->io.file : NULL;
    if (f && (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "repair log not read back");
        return FALSE;
    }
    gboolean more = TRUE, ok = TRUE;
    for (guint i = 0; f && i < l->n && more; i++) {
        bpn_repair r = {0};
        int32_t page = 0;
        ok = bpn_spill_get_str(f, &r.kind) && bpn_spill_get_i32(f, &page) && bpn_spill_get_str(f, &r.from) &&
             bpn_spill_get_str(f, &r.to);
        r.page = page;
        more = ok && fn(&r, user);
        g_free(r.kind);
        g_free(r.from);
        g_free(r.to);
        if (!ok) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "repair log not read back: repair %u cut short", i);
            more = FALSE;
        }
    }
    if (f)
        fseek(f, 0, SEEK_END);
    for (guint i = 0; i < doc->repairs->len && more; i++)
        more = fn(doc->repairs->pdata[i], user);
    return ok;
}
