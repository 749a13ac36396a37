/* emit — serialises a normalized document as budgetpdf's JSON (schema
 * version 1, schema/budgetpdf.schema.json) with cJSON.
 *
 * Ownership: bpe_document_json() returns a string the caller frees with
 * g_free(); NULL with *error set if serialisation failed.
 */
#ifndef BUDGETPDF_EMIT_H
#define BUDGETPDF_EMIT_H

#include <glib.h>

#include "normalize/normalize.h"

#define BPE_SCHEMA_VERSION 2

typedef enum {
    BPE_FORMAT_PRETTY, /* indented, for people */
    BPE_FORMAT_LINE    /* one line, for NDJSON pipelines */
} bpe_format;

char *bpe_document_json(const bpn_document *doc, bpe_format format, GError **error);

#endif
