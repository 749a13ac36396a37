/* ocr — reading a page without a text layer with Tesseract (internal to the
 * extract stage; ocr.c explains how).
 *
 * A bpx_ocr makes the engines when a page wants them and frees them when
 * the page is read (ocr.c, "Memory"); bpx_ocr_free() frees it.  Not
 * thread-safe: one per document load.
 */
#ifndef BUDGETPDF_OCR_H
#define BUDGETPDF_OCR_H

#include <poppler.h>
#include "extract.h"
#include "ruling.h"

typedef struct bpx_ocr bpx_ocr;

/* tessdata: the language data folder, or NULL for Tesseract's default. */
bpx_ocr *bpx_ocr_new(const char *tessdata);
void bpx_ocr_free(bpx_ocr *ocr);

/* Whether a page read from its text layer has no usable text: fewer than a
 * few visible characters while the rendering (ink, see ruling.h; may be
 * NULL) shows print over more than a trace of the page.  (A text layer
 * that does not read is bpx_text_layer_garbled's to tell.) */
gboolean bpx_ocr_wanted(const bpx_page *page, const bpx_ink_map *ink);

/* Whether the page's text layer does not read: at least BPX_GARBLED_MIN of
 * its visible characters, and a share BPX_GARBLED_SHARE of them, are code
 * points a disclosure never prints (controls; Latin-1 letters and signs but
 * ¥ × ÷ · ° ± ² ³ µ and a few more; Latin Extended; spacing modifiers;
 * private use; U+FFFD), or lower-case Latin letters alone between two
 * ideographs.
 * Fonts whose Unicode map is missing or wrong do that: a file rewritten by
 * Ghostscript keeps its glyphs but maps Chinese to "â æ Þ ² •Žá".  The page
 * shows text that its text layer does not hold. */
gboolean bpx_text_layer_garbled(const bpx_page *page);

/* Whether a page not read yet looks like one bpx_ocr_wanted() will want:
 * fewer than a few characters in its text layer (hidden and diagonal ones
 * counted too).  A guess, cheap for a scanned page, for reading pages ahead
 * (ahead.c); what is read never rests on it. */
gboolean bpx_ocr_likely(PopplerPage *page);

/* Whether an image covers most of the page (a scan, perhaps under a text
 * layer). */
gboolean bpx_ocr_page_is_image(PopplerPage *page);
/* Whether the text layer read into p (a page bpx_ocr_page_is_image()) is
 * what the page shows: a sample of its runs read from the rendering by OCR
 * (ocr.c says how).  TRUE when it cannot tell (no engine, nothing to
 * sample). */
gboolean bpx_ocr_text_layer_matches(bpx_ocr *ocr, PopplerPage *page, const bpx_page *p);

/* Frees n readings (bpx_page.ocr_readings) and the array. */
void bpx_ocr_readings_free(bpx_ocr_reading *r, size_t n);

/* Reads page by OCR into out, replacing its characters, lines, size and
 * orientation (bpx_page.ocr, ocr_skew, turned).  On failure returns FALSE
 * with *error set and out unchanged. */
gboolean bpx_ocr_read_page(bpx_ocr *ocr, PopplerPage *page, bpx_page *out, GError **error);

#endif
