/* test_emit.c — the JSON writer: keys, types, and amounts printed exactly. */
#include "emit/emit.h"
#include "check.h"
#include "synth.h"

#include <cjson/cJSON.h>

static bpn_document *sample(bpx_document **src_out)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表三");
    synth_text(src, 1, 150, 80, 16, "2025年预算支出总表");
    const double xs[] = {60, 160, 420, 540};
    const double ys[] = {120, 140, 160, 180};
    synth_grid(src, 1, xs, 4, ys, 4);
    synth_text(src, 1, 64, 124, 10, "科目编码");
    synth_text(src, 1, 164, 124, 10, "科目名称");
    synth_text(src, 1, 424, 124, 10, "金额");
    synth_text(src, 1, 164, 144, 10, "合计");
    synth_text(src, 1, 480, 144, 10, "1,438.44");
    synth_text(src, 1, 64, 164, 10, "2100201");
    synth_text(src, 1, 164, 164, 10, "综合医院");
    synth_text(src, 1, 480, 164, 10, "0.10");
    *src_out = src;
    return bpn_document_build(src, NULL);
}

/* A long document: a table on each of n pages, then prose whose text holds
 * what JSON escapes (quotes, a backslash). */
static bpn_document *long_sample(int n, bpx_document **src_out)
{
    bpx_document *src = synth_document(n + 1);
    const double xs[] = {60, 160, 420, 540};
    const double ys[] = {120, 140, 160, 180};
    for (int p = 1; p <= n; p++) {
        char label[32];
        g_snprintf(label, sizeof label, "表%d", p);
        synth_text(src, p, 60, 60, 12, label);
        synth_text(src, p, 150, 80, 16, p % 2 ? "2025年预算支出总表" : "2025年一般公共预算支出表");
        synth_grid(src, p, xs, 4, ys, 4);
        synth_text(src, p, 64, 124, 10, "科目编码");
        synth_text(src, p, 164, 124, 10, "科目名称");
        synth_text(src, p, 424, 124, 10, "金额");
        synth_text(src, p, 164, 144, 10, "合计");
        synth_text(src, p, 480, 144, 10, p % 3 ? "1,438.44" : "7.5");
        synth_text(src, p, 64, 164, 10, "2100201");
        synth_text(src, p, 164, 164, 10, "综合医院");
        synth_text(src, p, 480, 164, 10, "1,438.44");
        char folio[32]; /* a page number: a repair a page */
        g_snprintf(folio, sizeof folio, "—%d—", p);
        synth_text(src, p, 290, 800, 10, folio);
    }
    synth_text(src, n + 1, 60, 60, 12, "一、说明");
    synth_text(src, n + 1, 60, 80, 10, "引号\"甲\"与反斜杠\\及制表");
    *src_out = src;
    return bpn_document_build(src, NULL);
}

typedef struct {
    GString *text;
    int pieces;
    size_t largest;
    int fail_at; /* the piece that fails (1-based), 0: none */
} sink;

static gboolean to_sink(const char *data, size_t len, void *user)
{
    sink *k = user;
    k->pieces++;
    k->largest = MAX(k->largest, len);
    if (k->fail_at && k->pieces >= k->fail_at)
        return FALSE;
    g_string_append_len(k->text, data, (gssize)len);
    return TRUE;
}

/* bpe_document_write: the text is the one cJSON prints of the whole
 * document's tree (parsed and printed again, it comes back byte for byte,
 * indented or not), handed over in pieces of about 64 KB; a write that
 * fails stops it. */
static void check_written(check_counts *c)
{
    bpx_document *src = NULL;
    bpn_document *doc = long_sample(120, &src);
    CHECK(c, doc && doc->tables->len == 120 && doc->sections->len >= 1 && doc->checks->len >= 120);
    for (int f = 0; f < 2; f++) {
        bpe_format format = f ? BPE_FORMAT_LINE : BPE_FORMAT_PRETTY;
        sink k = {g_string_new(NULL), 0, 0, 0};
        GError *err = NULL;
        CHECK(c, bpe_document_write(doc, format, to_sink, &k, &err) && err == NULL);
        CHECK(c, k.text->len > 2 * 65536 && k.pieces >= 3 && k.largest < 2 * 65536);
        cJSON *whole = cJSON_Parse(k.text->str);
        CHECK(c, whole != NULL);
        char *again = whole ? (f ? cJSON_PrintUnformatted(whole) : cJSON_Print(whole)) : NULL;
        CHECK(c, again && strcmp(again, k.text->str) == 0);
        CHECK(c, strstr(k.text->str, f ? "\"引号\\\"甲\\\"与反斜杠\\\\及制表\"" : "\t\"tables\":\t[{\n\t\t\t\"number\":\t1,") != NULL);
        cJSON_free(again);
        cJSON_Delete(whole);
        g_string_free(k.text, TRUE);
        /* the second piece fails: no third is asked for, and the error says so */
        sink bad = {g_string_new(NULL), 0, 0, 2};
        CHECK(c, !bpe_document_write(doc, format, to_sink, &bad, &err) && err != NULL && bad.pieces == 2);
        g_clear_error(&err);
        g_string_free(bad.text, TRUE);
    }
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* Checks spilled as they are made, tables once their meaning is read, and
 * the repairs made while the pages are read (bpn_builder_spill without
 * frames, as the worker makes it, normalize/spill.c): no check, no row, no
 * page's repair held, a table keeping its number and title only, as many
 * read back, and the JSON (both forms) and the batch digest byte for byte
 * those of the same document held whole; the digest, written as it is
 * made, is the text cJSON prints of its tree. */
static void check_spilled(check_counts *c)
{
    bpx_document *src = NULL;
    bpn_document *held = long_sample(60, &src);
    bpn_builder *b = bpn_builder_new(src);
    bpn_builder_drop_frames(b);
    bpn_builder_spill(b);
    for (int i = 0; i < src->n_pages; i++)
        bpn_builder_add_page(b, &src->pages[i]);
    GError *err = NULL;
    bpn_document *spilled = bpn_builder_finish(b, src, &err);
    CHECK(c, spilled && err == NULL && spilled->spill != NULL && spilled->checks->len == 0);
    CHECK(c, spilled && held->checks->len >= 60 && bpn_document_n_checks(spilled) == held->checks->len);
    /* the tables went to the file but their number and title, the pages'
     * repairs to a file of their own */
    const bpn_table *t0 = spilled ? spilled->tables->pdata[0] : NULL, *h0 = held->tables->pdata[0];
    CHECK(c, t0 && !t0->rows && !t0->meaning && !t0->pages && h0->rows->len == 2 && h0->meaning->records->len > 0 &&
                 t0->number == h0->number && strcmp(t0->title, h0->title) == 0);
    CHECK(c, spilled && spilled->repair_log && spilled->repairs->len == 0 && held->repairs->len >= 60);
    for (int f = 0; spilled && f < 2; f++) {
        bpe_format format = f ? BPE_FORMAT_LINE : BPE_FORMAT_PRETTY;
        char *a = bpe_document_json(held, format, NULL), *z = bpe_document_json(spilled, format, NULL);
        CHECK(c, a && z && strcmp(a, z) == 0 && (strstr(z, "\"ok\":\tfalse") || strstr(z, "\"ok\":false")));
        g_free(a);
        g_free(z);
    }
    char *da = bpe_document_digest(held), *dz = spilled ? bpe_document_digest(spilled) : NULL;
    CHECK(c, da && dz && strcmp(da, dz) == 0 && strstr(dz, "\"ok\":false") != NULL);
    cJSON *tree = dz ? cJSON_Parse(dz) : NULL;
    char *again = tree ? cJSON_PrintUnformatted(tree) : NULL;
    CHECK(c, again && strcmp(again, dz) == 0 && cJSON_GetArraySize(cJSON_GetObjectItem(tree, "tables")) == 60);
    cJSON_free(again);
    cJSON_Delete(tree);
    g_free(da);
    g_free(dz);
    bpn_document_free(spilled);
    bpn_document_free(held);
    bpx_document_free(src);
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    bpx_document *src = NULL;
    bpn_document *doc = sample(&src);
    GError *err = NULL;
    char *json = bpe_document_json(doc, BPE_FORMAT_LINE, &err);
    CHECK(c, json != NULL && strchr(json, '\n') == NULL);
    /* the amount as printed, at the end of its row (checks quote it too) */
    CHECK(c, json && strstr(json, "\"合计\",1438.44]") != NULL && strstr(json, "1438.440") == NULL);
    CHECK(c, json && strstr(json, "0.1]") != NULL);
    cJSON *root = cJSON_Parse(json);
    CHECK(c, root != NULL);
    CHECK(c, cJSON_GetObjectItem(root, "schema_version")->valueint == 2);
    const char *keys[] = {"source", "unit", "department", "year", "document_type", "summary", "tables",
                          "performance_targets", "sections", "repairs", "warnings"};
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        CHECK(c, cJSON_HasObjectItem(root, keys[i]));
    cJSON *src_json = cJSON_GetObjectItem(root, "source");
    CHECK_STR(c, cJSON_GetStringValue(cJSON_GetObjectItem(src_json, "file")), "synthetic.pdf");
    CHECK(c, cJSON_GetObjectItem(src_json, "pages")->valueint == 1);
    cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "tables"), 0);
    CHECK(c, t && cJSON_GetObjectItem(t, "number")->valueint == 3);
    cJSON *rows = cJSON_GetObjectItem(t, "rows");
    CHECK(c, cJSON_GetArraySize(rows) == 2);
    cJSON *r0 = cJSON_GetArrayItem(rows, 0), *r1 = cJSON_GetArrayItem(rows, 1);
    CHECK(c, cJSON_IsNull(cJSON_GetArrayItem(r0, 0)));
    CHECK(c, cJSON_IsNumber(cJSON_GetArrayItem(r0, 2)));
    CHECK(c, cJSON_IsString(cJSON_GetArrayItem(r1, 0))); /* a code stays text */
    CHECK_STR(c, cJSON_GetStringValue(cJSON_GetArrayItem(r1, 0)), "2100201");
    CHECK(c, cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "summary"), "three_public_total")));
    cJSON_Delete(root);
    g_free(json);

    json = bpe_document_json(doc, BPE_FORMAT_PRETTY, NULL);
    CHECK(c, json && strchr(json, '\n') != NULL);
    g_free(json);
    bpn_document_free(doc);
    bpx_document_free(src);
    check_written(c);
    check_spilled(c);
    return check_summary("test_emit", c);
}
