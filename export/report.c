/* report.c — DIR/budgetpdf-report.json, the report of one batch: every
 * input with its status, error, output, warnings and failed checks (table
 * index, number and title, rule, row, column, expected and found), so that
 * whoever runs a thousand PDFs sees at once which need a look.  Each entry is
 * made when the input is done, from its output JSON (a by-unit part is gone
 * by the end of the batch), and holds only what the report shows. */
#include "export/internal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "emit/emit.h"

/* The report is written as the batch goes, entry by entry, into a
 * temporary file that bpd_report_write() completes and renames: a batch of
 * any length holds one entry in memory at a time. */
struct bpd_report {
    FILE *f;       /* the temporary file; NULL once written or closed */
    char *tmp, *path;
    gboolean io_error;
    guint inputs, converted, skipped, failed;
};

bpd_report *bpd_report_new(const char *tmp_path, const char *path, GError **error)
{
    FILE *f = fopen(tmp_path, "wb");
    if (!f) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", tmp_path, g_strerror(errno));
        return NULL;
    }
    bpd_report *r = g_new0(bpd_report, 1);
    r->f = f;
    r->tmp = g_strdup(tmp_path);
    r->path = g_strdup(path);
    r->io_error = fprintf(f, "{\n  \"budgetpdf_version\": \"%s\",\n  \"inputs\": [", BPE_VERSION) < 0;
    return r;
}

void bpd_report_free(bpd_report *r)
{
    if (!r)
        return;
    if (r->f) { /* never completed: no partial report is left */
        fclose(r->f);
        g_unlink(r->tmp);
    }
    g_free(r->tmp);
    g_free(r->path);
    g_free(r);
}

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *copy_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return v ? cJSON_Duplicate(v, TRUE) : cJSON_CreateNull();
}

/* The failed checks of a document, each with the table it is about. */
static cJSON *failed_checks(const cJSON *doc)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *ck, *tables = cJSON_GetObjectItemCaseSensitive(doc, "tables");
    cJSON_ArrayForEach(ck, cJSON_GetObjectItemCaseSensitive(doc, "checks"))
    {
        if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ck, "ok")))
            continue;
        cJSON *o = cJSON_CreateObject();
        /* the table: table_index, else (older JSON) the table of that number */
        const cJSON *tn = cJSON_GetObjectItemCaseSensitive(ck, "table"), *t;
        const cJSON *tix = cJSON_GetObjectItemCaseSensitive(ck, "table_index");
        int index = cJSON_IsNumber(tix) ? tix->valueint : -1, i = 0;
        const char *title = NULL;
        cJSON_ArrayForEach(t, tables)
        {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(t, "number");
            if (index == i || (index < 0 && cJSON_IsNumber(tn) && cJSON_IsNumber(n) && n->valueint == tn->valueint)) {
                index = i;
                const cJSON *ti = cJSON_GetObjectItemCaseSensitive(t, "title");
                title = cJSON_IsString(ti) ? ti->valuestring : NULL;
                break;
            }
            i++;
        }
        cJSON_AddItemToObject(o, "table_index", index >= 0 ? cJSON_CreateNumber(index) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "table", copy_of(ck, "table"));
        cJSON_AddItemToObject(o, "table_title", str_or_null(title));
        static const char *const fields[] = {"rule", "row", "column", "expected", "found", "cells"};
        for (size_t f = 0; f < G_N_ELEMENTS(fields); f++)
            cJSON_AddItemToObject(o, fields[f], copy_of(ck, fields[f]));
        cJSON_AddItemToArray(out, o);
    }
    return out;
}

void bpd_report_add(bpd_report *r, const char *input, const char *status, const char *error, const char *json,
                    const char *digest, const char *output, int pages)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "input", str_or_null(input));
    cJSON_AddStringToObject(o, "status", status);
    cJSON_AddItemToObject(o, "error", str_or_null(error));
    cJSON_AddItemToObject(o, "pages", pages > 0 ? cJSON_CreateNumber(pages) : cJSON_CreateNull());
    cJSON *doc = NULL;
    char *text = NULL;
    gsize len = 0;
    if (json && digest)
        doc = cJSON_Parse(digest);
    else if (json && g_file_get_contents(json, &text, &len, NULL))
        doc = cJSON_ParseWithLength(text, len);
    g_free(text);
    cJSON_AddItemToObject(o, "output", str_or_null(doc ? output : NULL));
    cJSON_AddItemToObject(o, "unit", doc ? copy_of(doc, "unit") : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "year", doc ? copy_of(doc, "year") : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "warnings", doc ? copy_of(doc, "warnings") : cJSON_CreateArray());
    cJSON_AddItemToObject(o, "failed_checks", doc ? failed_checks(doc) : cJSON_CreateArray());
    cJSON_Delete(doc);
#ifdef __GLIBC__
    /* A long-lived batch parent parses one output JSON per input, some of
     * megabytes: hand the pages those trees took back at once, so that the
     * parent's memory stays flat over any number of inputs. */
    malloc_trim(0);
#endif
    char *entry = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!r->f || !entry || fprintf(r->f, "%s\n    %s", r->inputs ? "," : "", entry) < 0)
        r->io_error = TRUE;
    cJSON_free(entry);
    r->inputs++;
    if (strcmp(status, "converted") == 0)
        r->converted++;
    else if (strcmp(status, "skipped") == 0)
        r->skipped++;
    else
        r->failed++;
}

gboolean bpd_report_write(bpd_report *r, GError **error)
{
    if (!r->f) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: already written", r->path);
        return FALSE;
    }
    FILE *f = r->f;
    r->f = NULL;
    gboolean ok = !r->io_error &&
                  fprintf(f, "\n  ],\n  \"totals\": {\"inputs\": %u, \"converted\": %u, \"skipped\": %u, "
                             "\"failed\": %u}\n}\n",
                          r->inputs, r->converted, r->skipped, r->failed) >= 0;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(r->tmp, r->path) != 0) {
        e = errno;
        ok = FALSE;
    }
    if (!ok) {
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "cannot write %s: %s", r->path,
                    g_strerror(e ? e : EIO));
        g_unlink(r->tmp);
    }
    return ok;
}
