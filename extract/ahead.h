/* ahead — pages read by OCR ahead of their turn, in child processes, on
 * processors the caller lends (internal to the extract stage; ahead.c says
 * how).
 *
 * Ownership: bpx_ahead_new() returns NULL (no lender: nothing is read
 * ahead, and every call below does nothing) or a reader the caller frees
 * with bpx_ahead_free(), which ends and reaps the children still running
 * and gives their processors back.  One per document load, used from the
 * loading process only.
 */
#ifndef BUDGETPDF_AHEAD_H
#define BUDGETPDF_AHEAD_H

#include <poppler.h>
#include "extract/extract.h"
#include "extract/ocr.h"

typedef struct bpx_ahead bpx_ahead;

/* every_page: every page will be read by OCR (--ocr always), whatever its
 * text layer. */
bpx_ahead *bpx_ahead_new(const bpx_lender *lender, int n_pages, gboolean every_page);
void bpx_ahead_free(bpx_ahead *a);

/* Page index (0-based) is about to be read by OCR, here or from a child:
 * judges the pages after it and starts a child for
 * each unclaimed one that looks scanned, one per processor the lender hands
 * over; each child goes on to the next unclaimed scanned page.  pdoc
 * holds the document's pages first .. first + its page count - 1 (a long
 * document's chunk: pagetree.c; 0 and all of them otherwise): no page
 * past its last is started. */
void bpx_ahead_lend(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr);

/* Page index wants OCR: when a child or this process (early, while it
 * waited) read it, puts its page in *out (replacing what it held, as
 * bpx_ocr_read_page() does) and returns TRUE; while a running child reads
 * it, waits, reading the next unclaimed scanned pages of pdoc (as for
 * bpx_ahead_lend) early with ocr meanwhile.  FALSE (out unchanged) when
 * nobody read it, or the child failed, was killed or wrote a page cut
 * short: the caller reads the page itself. */
gboolean bpx_ahead_collect(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr,
                           bpx_page *out);

/* Page index was read without its child's page (it did not want OCR after
 * all, or was taken): the child reading it is ended, a page read early
 * freed, and no child claims it any more. */
void bpx_ahead_drop(bpx_ahead *a, int index);

/* Pages taken from children so far. */
int bpx_ahead_pages(const bpx_ahead *a);

#endif
