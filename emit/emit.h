/* emit — serialises a normalized document as budgetpdf's JSON (schema
 * version BPE_SCHEMA_VERSION, schema/budgetpdf.schema.json) with cJSON.
 *
 * Ownership: bpe_document_json() returns a string the caller frees with
 * g_free(); NULL with *error set if serialisation failed.
 * bpe_document_write() writes the same text in pieces, as it is made, so
 * that neither the whole text nor a tree of the whole document is held.
 */
#ifndef BUDGETPDF_EMIT_H
#define BUDGETPDF_EMIT_H

#include <glib.h>

#include "normalize/normalize.h"

#define BPE_SCHEMA_VERSION 2
/* The version of budgetpdf, recorded in every JSON it writes (budgetpdf_version):
 * --resume converts again an output another version wrote. */
#define BPE_VERSION "0.2.0"

typedef enum {
    BPE_FORMAT_PRETTY, /* indented, for people */
    BPE_FORMAT_LINE    /* one line, for NDJSON pipelines */
} bpe_format;

char *bpe_document_json(const bpn_document *doc, bpe_format format, GError **error);
/* Where bpe_document_write() puts the text: len bytes at data (not
 * NUL-terminated, valid only during the call); FALSE stops the writing. */
typedef gboolean (*bpe_write_fn)(const char *data, size_t len, void *user);
/* The text bpe_document_json() returns, handed to write in pieces of about
 * 64 KB (no newline after it).  FALSE, with *error set, when write returned
 * FALSE or memory ran out; what was written before stays written. */
gboolean bpe_document_write(const bpn_document *doc, bpe_format format, bpe_write_fn write, void *user,
                            GError **error);
/* The part of doc's JSON that a batch report reads (export/report.c), as one
 * line of JSON of the document's own shape: unit, year, warnings, the failed
 * checks only, and each table's number and title only (a check names its
 * table by index).  Small whatever the document's length: the batch parent
 * reads it instead of the whole output.  NULL when memory ran out (or the
 * spilled checks could not be read back, normalize/spill.c); the
 * caller frees. */
char *bpe_document_digest(const bpn_document *doc);

/* The review page (review.c): one HTML document showing doc's pages with
 * what was detected drawn over them, and the tables read beside them.  It is
 * self-contained but for the page pictures, which it names
 * bpe_review_page_image(pages_dir, N) relative to its own folder; the caller
 * renders them (bpx_renderer_page_png) at bpe_review_scale(width, height) of
 * the page view (doc->pages).  json_name: the document's JSON, linked
 * (relative; NULL: no link).  Returns a string the caller frees. */
#ifndef BPE_REVIEW_PIXELS
#define BPE_REVIEW_PIXELS 1100.0 /* the longer side of a page picture */
#endif
char *bpe_document_review_html(const bpn_document *doc, const char *pages_dir, const char *json_name);
char *bpe_review_page_image(const char *pages_dir, int page);
double bpe_review_scale(double width, double height);

#endif
