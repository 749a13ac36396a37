/* synth.h — builds extract-stage documents in memory, so the normalize
 * stage can be tested (and fuzzed) on exact layouts without a PDF. */
#ifndef BUDGETPDF_SYNTH_H
#define BUDGETPDF_SYNTH_H

#include "extract/extract.h"

/* A document of n_pages A4 pages (595 x 842 pt); free with bpx_document_free. */
bpx_document *synth_document(int n_pages);
/* Text at (x, top y) in font size fs: CJK glyphs fs wide, others fs/2. */
void synth_text(bpx_document *doc, int page, double x, double y, double fs, const char *utf8);
/* Text on a diagonal baseline, as a watermark, in light grey. */
void synth_diagonal(bpx_document *doc, int page, double x, double y, double fs, const char *utf8);
void synth_hline(bpx_document *doc, int page, double x0, double x1, double y);
void synth_vline(bpx_document *doc, int page, double x, double y0, double y1);
/* A full grid: column edges xs[0..nx-1], row edges ys[0..ny-1]. */
void synth_grid(bpx_document *doc, int page, const double *xs, int nx, const double *ys, int ny);
/* Text right-aligned against x1, vertically centred between y0 and y1. */
void synth_cell_right(bpx_document *doc, int page, double x1, double y0, double y1, double fs, const char *utf8);

#endif
