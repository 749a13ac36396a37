/* pagewire — a bpx_page as bytes and back (internal to the extract stage).
 *
 * A page read by OCR in a child process (extract/ahead.c) comes back to the
 * reading process this way.  Every field of bpx_page travels (number, size,
 * chars, lines, ruled, turned, unreadable, the OCR fields, readings and
 * lines with their alternatives), field by field in the machine's own byte
 * order: writer and reader are the same program on the same machine.
 *
 * Ownership: bpx_page_pack() returns bytes the caller frees with
 * g_byte_array_unref(); bpx_page_unpack() fills a page whose arrays and
 * strings the caller owns (free them as bpx_document_free() does:
 * bpx_page_clear()).
 */
#ifndef BUDGETPDF_PAGEWIRE_H
#define BUDGETPDF_PAGEWIRE_H

#include "extract/extract.h"

GByteArray *bpx_page_pack(const bpx_page *page);

/* Reads a page packed by bpx_page_pack() into *out (overwritten, not freed
 * first).  FALSE, with *out zeroed, when data is not one whole packed page
 * (cut short, trailing bytes, a count or length beyond the data). */
gboolean bpx_page_unpack(const void *data, size_t len, bpx_page *out);

/* Frees what *page owns and zeroes it. */
void bpx_page_clear(bpx_page *page);

#endif
