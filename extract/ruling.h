/* ruling — the table-ruling detector of the extract stage (internal).
 *
 * poppler-glib exposes no vector paths, so the ruled strokes of a page are
 * recovered from a low-resolution rendering: see ruling.c for how.
 */
#ifndef BUDGETPDF_RULING_H
#define BUDGETPDF_RULING_H

#include <poppler.h>
#include "extract.h"

/* The resolution the extract stage should pass to bpx_find_rulings(): chosen
 * by measuring detection against the vector paths of the development corpus
 * and the time per page (see the essay at the top of ruling.c). */
#define BPX_RULING_DPI 36.0

/* Finds the ruled strokes of a page by rendering it at low resolution into a
 * cairo image surface and collecting long horizontal and vertical runs of ink.
 * Appends bpx_line values (points, displayed orientation: the page's /Rotate
 * applied, origin top-left, y down) to hlines / vlines (GArray of bpx_line):
 * horizontal lines have y0 == y1 and x0 < x1, vertical ones x0 == x1 and
 * y0 < y1.  A stroke drawn as separate segments comes out as separate
 * segments; the caller joins them.  dpi must lie in [9, 600].
 * Returns FALSE with *error set on failure (BPX_ERROR_LIMIT when the page is
 * too large to render at that resolution); the arrays are then unchanged. */
gboolean bpx_find_rulings(PopplerPage *page, double dpi, GArray *hlines, GArray *vlines,
                          GError **error);

#endif
