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
    return check_summary("test_emit", c);
}
