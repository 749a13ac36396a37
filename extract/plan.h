/* plan — what each page needs beyond its text layer (internal to extract).
 *
 * plan.c explains how a page is judged.
 */
#ifndef BUDGETPDF_PLAN_H
#define BUDGETPDF_PLAN_H

#include <glib.h>
#include "extract.h"

typedef enum {
    BPX_PLAN_PROSE,   /* running text only: the text layer is all there is to read */
    BPX_PLAN_TABLE,   /* may hold a ruled table, a form or a cover: render for rulings */
    BPX_PLAN_IMAGE    /* no text layer: an image page (scanned), for OCR */
} bpx_page_kind;

typedef struct {
    bpx_page_kind kind;
    gboolean rulings;   /* render the page to find its rulings */
    double dpi;         /* at this resolution (BPX_RULING_DPI; ruling.c refines pale rules itself) */
    gboolean ocr;       /* the page has no text to read: a candidate for OCR (extract/ocr.c
                           decides, bpx_ocr_wanted(), with the page's rendering) */
    /* what the judgement rests on (for measuring the plan) */
    int rows;           /* text rows (glyphs sharing a baseline) */
    int gapped_rows;    /* rows with a gap of BPX_PLAN_GAP_EM or more between two glyphs */
    int long_rows;      /* rows of running text (see plan.c) */
} bpx_page_plan;

/* Judges a page from its characters (read_text's, before any turn): fills
 * *plan.  Reads only `page`; keeps nothing. */
void bpx_plan_page(const bpx_page *page, bpx_page_plan *plan);

/* Measuring the plan only (bench/): whether BUDGETPDF_PLAN_SKIP ("odd",
 * "even", "all" or a comma list of page numbers) denies page `number` its
 * rulings; and, when BUDGETPDF_PLAN_LOG names a file, one line appended to
 * it per page (the plan's features and the rulings found). */
gboolean bpx_plan_debug_skip(int number);
void bpx_plan_debug_log(const bpx_page *page, const bpx_page_plan *plan, gboolean rendered_first);

#endif
