/* report.c — DIR/budgetpdf-report.json, the report of one batch: every
 * input with its status, error, output, warnings and failed checks (table
 * index, number and title, rule, row, column, expected and found), so that
 * whoever runs a thousand PDFs sees at once which need a look.  Each entry is
 * made when the input is done, from its output JSON (a by-unit part is gone
 * by the end of the batch), and holds only what the report shows. */
#include "export/internal.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "emit/emit.h"

struct bpd_report {
    cJSON *inputs; /* array */
    guint converted, skipped, failed;
};

bpd_report *bpd_report_new(void)
{
    bpd_report *r = g_new0(bpd_report, 1);
    r->inputs = cJSON_CreateArray();
    return r;
}

void bpd_report_free(bpd_report *r)
{
    if (!r)
        return;
    cJSON_Delete(r->inputs);
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
                    const char *output, int pages)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "input", str_or_null(input));
    cJSON_AddStringToObject(o, "status", status);
    cJSON_AddItemToObject(o, "error", str_or_null(error));
    cJSON_AddItemToObject(o, "pages", pages > 0 ? cJSON_CreateNumber(pages) : cJSON_CreateNull());
    cJSON *doc = NULL;
    char *text = NULL;
    gsize len = 0;
    if (json && g_file_get_contents(json, &text, &len, NULL))
        doc = cJSON_ParseWithLength(text, len);
    g_free(text);
    cJSON_AddItemToObject(o, "output", str_or_null(doc ? output : NULL));
    cJSON_AddItemToObject(o, "unit", doc ? copy_of(doc, "unit") : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "year", doc ? copy_of(doc, "year") : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "warnings", doc ? copy_of(doc, "warnings") : cJSON_CreateArray());
    cJSON_AddItemToObject(o, "failed_checks", doc ? failed_checks(doc) : cJSON_CreateArray());
    cJSON_Delete(doc);
    cJSON_AddItemToArray(r->inputs, o);
    if (strcmp(status, "converted") == 0)
        r->converted++;
    else if (strcmp(status, "skipped") == 0)
        r->skipped++;
    else
        r->failed++;
}

gboolean bpd_report_write(const bpd_report *r, const char *dir, GError **error)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "budgetpdf_version", BPE_VERSION);
    cJSON *totals = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(totals, "inputs", cJSON_GetArraySize(r->inputs));
    cJSON_AddNumberToObject(totals, "converted", r->converted);
    cJSON_AddNumberToObject(totals, "skipped", r->skipped);
    cJSON_AddNumberToObject(totals, "failed", r->failed);
    cJSON_AddItemReferenceToObject(root, "inputs", r->inputs);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    char *path = g_build_filename(dir, BPD_REPORT_NAME, NULL);
    gboolean ok = FALSE;
    if (!text)
        g_set_error(error, BPD_ERROR, BPD_ERROR_OUTPUT, "out of memory writing %s", path);
    else
        ok = bpd_write_file(path, text, strlen(text), error);
    cJSON_free(text);
    g_free(path);
    return ok;
}
