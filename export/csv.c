/* csv.c — the dataset as CSV files (RFC 4180: fields with a comma, quote,
 * CR or LF quoted, quotes doubled, CRLF line ends; UTF-8, optionally with a
 * byte-order mark for Excel), one per resource, plus datapackage.json.
 * Each file is written as .NAME.csv.tmp and renamed when the export is
 * complete, so a failed export leaves the files of the last good one. */
#include "export/internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct bpd_csv {
    char *dir;
    gboolean bom;
    FILE *f[BPD_N_RESOURCES];
    char *tmp[BPD_N_RESOURCES], *final[BPD_N_RESOURCES];
    GString *line;
};

gboolean bpd_write_file(const char *path, const char *text, gsize len, GError **error)
{
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *name = g_strdup_printf(".%s.%ld.tmp", base, (long)getpid());
    char *tmp = g_build_filename(dir, name, NULL);
    FILE *f = fopen(tmp, "wb");
    gboolean ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = FALSE;
    if (ok && rename(tmp, path) != 0)
        ok = FALSE;
    if (!ok) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", path, g_strerror(errno));
        g_unlink(tmp);
    }
    g_free(tmp);
    g_free(name);
    g_free(base);
    g_free(dir);
    return ok;
}

static void append_field(GString *s, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        g_string_append(s, text);
        return;
    }
    g_string_append_c(s, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            g_string_append_c(s, '"');
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '"');
}

static gboolean put_line(bpd_csv *c, bpd_resource_id r, GError **error)
{
    g_string_append(c->line, "\r\n");
    if (fwrite(c->line->str, 1, c->line->len, c->f[r]) != c->line->len) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", c->tmp[r], g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

bpd_csv *bpd_csv_open(const char *dir, gboolean bom, GError **error)
{
    if (g_mkdir_with_parents(dir, 0777) != 0) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot make the folder %s: %s", dir, g_strerror(errno));
        return NULL;
    }
    bpd_csv *c = g_new0(bpd_csv, 1);
    c->dir = g_strdup(dir);
    c->bom = bom;
    c->line = g_string_new(NULL);
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        const bpd_resource *res = &bpd_resources[r];
        char *name = g_strconcat(res->name, ".csv", NULL);
        char *tmp_name = g_strdup_printf(".%s.%ld.tmp", name, (long)getpid());
        c->final[r] = g_build_filename(dir, name, NULL);
        c->tmp[r] = g_build_filename(dir, tmp_name, NULL);
        g_free(tmp_name);
        g_free(name);
        c->f[r] = fopen(c->tmp[r], "wb");
        if (!c->f[r]) {
            g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", c->tmp[r], g_strerror(errno));
            bpd_csv_close(c, FALSE, NULL);
            return NULL;
        }
        g_string_truncate(c->line, 0);
        if (bom)
            g_string_append(c->line, "\xEF\xBB\xBF");
        for (int f = 0; f < res->n_fields; f++) {
            if (f)
                g_string_append_c(c->line, ',');
            append_field(c->line, res->fields[f].name);
        }
        if (!put_line(c, r, error)) {
            bpd_csv_close(c, FALSE, NULL);
            return NULL;
        }
    }
    return c;
}

gboolean bpd_csv_row(bpd_csv *c, bpd_resource_id r, const bpd_value *row, GError **error)
{
    g_string_truncate(c->line, 0);
    char num[32];
    for (int f = 0; f < bpd_resources[r].n_fields; f++) {
        if (f)
            g_string_append_c(c->line, ',');
        const bpd_value *v = &row[f];
        switch (v->kind) {
        case BPD_V_NULL:
            break;
        case BPD_V_STRING:
            append_field(c->line, v->s);
            break;
        case BPD_V_NUMBER:
            g_string_append(c->line, bpd_number_text(v->n, num));
            break;
        case BPD_V_INTEGER:
            g_string_append_printf(c->line, "%" G_GINT64_FORMAT, v->i);
            break;
        case BPD_V_BOOLEAN:
            g_string_append(c->line, v->i ? "true" : "false");
            break;
        }
    }
    return put_line(c, r, error);
}

gboolean bpd_csv_close(bpd_csv *c, gboolean commit, GError **error)
{
    gboolean ok = TRUE;
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        if (c->f[r] && fclose(c->f[r]) != 0 && ok && commit) {
            g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", c->tmp[r], g_strerror(errno));
            ok = FALSE;
        }
        c->f[r] = NULL;
    }
    if (ok && commit)
        ok = bpd_datapackage_write(c->dir, error);
    for (int r = 0; r < BPD_N_RESOURCES; r++) {
        if (ok && commit && c->tmp[r] && rename(c->tmp[r], c->final[r]) != 0) {
            g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", c->final[r], g_strerror(errno));
            ok = FALSE;
        }
        if (c->tmp[r])
            g_unlink(c->tmp[r]);
        g_free(c->tmp[r]);
        g_free(c->final[r]);
    }
    g_string_free(c->line, TRUE);
    g_free(c->dir);
    g_free(c);
    return ok;
}
