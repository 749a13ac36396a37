/* fuzz_check.h — the oracle both fuzz targets apply to the pipeline's JSON:
 * beyond "no crash, no sanitizer report", the output must be valid UTF-8,
 * parse as JSON, and keep the rule the schema cannot state (every row of a
 * table, header rows included, as wide as the others).  A breach aborts, so
 * libFuzzer saves the input. */
#ifndef BUDGETPDF_FUZZ_CHECK_H
#define BUDGETPDF_FUZZ_CHECK_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

static inline void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz oracle: %s\n", what);
    abort();
}

static inline void fuzz_check_rows(const cJSON *rows, int *width)
{
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        if (!cJSON_IsArray(row))
            fuzz_fail("a table row is not an array");
        int n = cJSON_GetArraySize(row);
        if (*width < 0)
            *width = n;
        else if (n != *width)
            fuzz_fail("the rows of a table differ in width");
    }
}

static inline void fuzz_check_json(const char *json)
{
    if (!json)
        fuzz_fail("no JSON for a document that was built");
    if (!g_utf8_validate(json, -1, NULL))
        fuzz_fail("the JSON is not valid UTF-8");
    cJSON *root = cJSON_Parse(json);
    if (!root || !cJSON_IsObject(root))
        fuzz_fail("the output does not parse as a JSON object");
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(root, "tables"))
    {
        int width = -1;
        fuzz_check_rows(cJSON_GetObjectItemCaseSensitive(t, "header_rows"), &width);
        fuzz_check_rows(cJSON_GetObjectItemCaseSensitive(t, "rows"), &width);
    }
    cJSON_Delete(root);
}

#endif
