/* sqlite.c — the dataset as one SQLite database: a table per resource with
 * the fields of export/datapackage.c (TEXT, REAL, INTEGER; booleans 0/1;
 * empty cells NULL), indexed on unit_key, year, table_kind and code wherever
 * a table has them.  Written to PATH.tmp in one transaction with prepared
 * statements, then renamed over PATH. */
#include "export/internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

struct bpd_sqlite {
    sqlite3 *db;
    sqlite3_stmt *insert[BPD_N_RESOURCES];
    char *path, *tmp;
};

static gboolean sql_error(bpd_sqlite *s, GError **error, const char *what)
{
    g_set_error(error, BPD_ERROR, BPD_ERROR_SQLITE, "%s: %s: %s", s->path, what,
                s->db ? sqlite3_errmsg(s->db) : "cannot open");
    return FALSE;
}

static gboolean exec(bpd_sqlite *s, const char *sql, GError **error)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return TRUE;
    g_set_error(error, BPD_ERROR, BPD_ERROR_SQLITE, "%s: %s", s->path, msg ? msg : "error");
    sqlite3_free(msg);
    return FALSE;
}

static const char *sql_type(bpd_type t)
{
    return t == BPD_NUMBER ? "REAL" : t == BPD_STRING ? "TEXT" : "INTEGER";
}

bpd_sqlite *bpd_sqlite_open(const char *path, GError **error)
{
    bpd_sqlite *s = g_new0(bpd_sqlite, 1);
    s->path = g_strdup(path);
    s->tmp = g_strdup_printf("%s.%ld.tmp", path, (long)getpid());
    g_unlink(s->tmp);
    if (sqlite3_open(s->tmp, &s->db) != SQLITE_OK) {
        sql_error(s, error, "cannot create the database");
        bpd_sqlite_close(s, FALSE, NULL);
        return NULL;
    }
    GString *sql = g_string_new("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;");
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        const bpd_resource *res = &bpd_resources[r];
        g_string_append_printf(sql, "CREATE TABLE %s (", res->name);
        for (int f = 0; f < res->n_fields; f++)
            g_string_append_printf(sql, "%s\"%s\" %s%s", f ? ", " : "", res->fields[f].name,
                                   sql_type(res->fields[f].type), res->fields[f].required ? " NOT NULL" : "");
        g_string_append(sql, ");");
    }
    if (!exec(s, sql->str, error)) {
        g_string_free(sql, TRUE);
        bpd_sqlite_close(s, FALSE, NULL);
        return NULL;
    }
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        const bpd_resource *res = &bpd_resources[r];
        g_string_printf(sql, "INSERT INTO %s VALUES (", res->name);
        for (int f = 0; f < res->n_fields; f++)
            g_string_append(sql, f ? ", ?" : "?");
        g_string_append(sql, ")");
        if (sqlite3_prepare_v2(s->db, sql->str, -1, &s->insert[r], NULL) != SQLITE_OK) {
            sql_error(s, error, "cannot prepare an insert");
            g_string_free(sql, TRUE);
            bpd_sqlite_close(s, FALSE, NULL);
            return NULL;
        }
    }
    g_string_free(sql, TRUE);
    return s;
}

gboolean bpd_sqlite_row(bpd_sqlite *s, bpd_resource_id r, const bpd_value *row, GError **error)
{
    sqlite3_stmt *st = s->insert[r];
    sqlite3_reset(st);
    for (int f = 0; f < bpd_resources[r].n_fields; f++) {
        const bpd_value *v = &row[f];
        int i = f + 1;
        switch (v->kind) {
        case BPD_V_NULL:
            sqlite3_bind_null(st, i);
            break;
        case BPD_V_STRING:
            sqlite3_bind_text(st, i, v->s, -1, SQLITE_STATIC);
            break;
        case BPD_V_NUMBER: {
            char num[32];
            sqlite3_bind_double(st, i, g_ascii_strtod(bpd_number_text(v->n, num), NULL));
            break;
        }
        case BPD_V_INTEGER:
        case BPD_V_BOOLEAN:
            sqlite3_bind_int64(st, i, v->i);
            break;
        }
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        return sql_error(s, error, "cannot insert a row");
    return TRUE;
}

/* Indexes last: building them once is faster than keeping them up to date. */
static gboolean make_indexes(bpd_sqlite *s, GError **error)
{
    GString *sql = g_string_new(NULL);
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        const bpd_resource *res = &bpd_resources[r];
        for (int f = 0; f < res->n_fields; f++)
            if (res->fields[f].indexed)
                g_string_append_printf(sql, "CREATE INDEX %s_%s ON %s (\"%s\");", res->name, res->fields[f].name,
                                       res->name, res->fields[f].name);
    }
    g_string_append(sql, "COMMIT;");
    gboolean ok = exec(s, sql->str, error);
    g_string_free(sql, TRUE);
    return ok;
}

gboolean bpd_sqlite_close(bpd_sqlite *s, gboolean commit, GError **error)
{
    gboolean ok = TRUE;
    for (int r = 0; r < BPD_N_RESOURCES; r++)
        sqlite3_finalize(s->insert[r]);
    if (commit)
        ok = make_indexes(s, error);
    if (s->db && sqlite3_close(s->db) != SQLITE_OK && ok && commit)
        ok = sql_error(s, error, "cannot close");
    if (ok && commit && rename(s->tmp, s->path) != 0) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", s->path, g_strerror(errno));
        ok = FALSE;
    }
    g_unlink(s->tmp);
    g_free(s->tmp);
    g_free(s->path);
    g_free(s);
    return ok;
}
