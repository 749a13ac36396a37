/* chunks — a long PDF's pages read through small PDFs of a few pages each
 * (internal to extract).
 *
 * chunks.c explains why (poppler's page cache) and how.
 */
#ifndef BUDGETPDF_CHUNKS_H
#define BUDGETPDF_CHUNKS_H

#include <glib.h>
#include <poppler.h>

/* Documents of more pages than this are read in chunks; the caller may
 * override it (bpx_options.chunk_above; BUDGETPDF_CHUNK_ABOVE when measuring). */
#ifndef BPX_CHUNK_ABOVE_DEFAULT
#define BPX_CHUNK_ABOVE_DEFAULT 400
#endif
/* pages in a chunk */
#ifndef BPX_CHUNK_PAGES_DEFAULT
#define BPX_CHUNK_PAGES_DEFAULT 100
#endif

typedef struct bpx_chunks bpx_chunks;

/* The pages of the PDF data[0..len) (read with password, may be NULL),
 * which poppler counted n_pages, in chunks of chunk_pages.  NULL when the
 * file cannot be read so (qpdf cannot read it, counts other pages than
 * poppler, or has document-level parts its pages depend on: optional
 * content, an interactive form): the caller then reads the whole document.
 * data must outlive the result.  Free with bpx_chunks_free(). */
bpx_chunks *bpx_chunks_new(const char *data, size_t len, const char *password, int n_pages, int chunk_pages);

/* Page `index` (0-based, of the whole file), or NULL with *error set when
 * its chunk cannot be made or opened.  Asked in increasing order, each
 * chunk is made once; the previous chunk is dropped (with its pages) when
 * a page of another chunk is asked for.  The caller unrefs the page. */
PopplerPage *bpx_chunks_page(bpx_chunks *c, int index, GError **error);

void bpx_chunks_free(bpx_chunks *c);

#endif
