/* ruling — the table-ruling detector of the extract stage (internal).
 *
 * poppler-glib exposes no vector paths, so the ruled strokes of a page are
 * recovered from a low-resolution rendering; ruling.c explains how.
 */
#ifndef BUDGETPDF_RULING_H
#define BUDGETPDF_RULING_H

#include <poppler.h>
#include <stdint.h>
#include "extract.h"

/* The resolution to pass to bpx_find_rulings(), chosen by measuring
 * detection against the vector paths of the development corpus and the time
 * per page (see ruling.c). */
#define BPX_RULING_DPI 36.0

/* The rendering that bpx_find_rulings() looked at, as ink (255 - luminance,
 * one byte per pixel, rows top down), for asking where the page shows
 * anything.  Freed with bpx_ink_map_free(). */
typedef struct {
    int width, height;
    double scale;   /* pixels per point */
    uint8_t *ink;
} bpx_ink_map;

void bpx_ink_map_free(bpx_ink_map *map);

/* The most ink within box (points, page frame), 0..255, leaving out the
 * pixels within 1.5 px of one of page's rulings; 0 for a box off the page.
 * Stops looking once it has found `enough`. */
int bpx_ink_max_off_rules(const bpx_ink_map *map, const bpx_rect *box, const bpx_page *page, int enough);

/* Finds the ruled strokes of a page by rendering it at low resolution into a
 * cairo image surface and collecting long horizontal and vertical runs of ink.
 * Appends bpx_line values (points, displayed orientation: the page's /Rotate
 * applied, origin top-left, y down; the frame of poppler_page_get_size() and
 * poppler_page_get_text_layout()) to hlines / vlines (GArray of bpx_line):
 * horizontal lines have y0 == y1 and x0 < x1, vertical ones x0 == x1 and
 * y0 < y1.  Strokes shorter than 12 pt are not reported; a stroke drawn as
 * separate segments comes out as separate segments, in no particular order,
 * for the caller to join; a filled area comes out as its edges.
 *
 * The page's text layout is used to keep glyph strokes out of the result.
 * Rendering fills poppler's text page for the PopplerPage as a side effect,
 * so call this before poppler_page_get_text() / _get_text_layout() /
 * _get_text_attributes() on the same PopplerPage: those then cost next to
 * nothing (the other way round, the text is laid out twice).
 *
 * dpi must lie in [9, 600].  Returns FALSE with *error set (BPX_ERROR_LIMIT)
 * when dpi is out of range, the page too large to render at that resolution
 * (over 16 Mpixels) or rendering fails; the arrays are then unchanged.
 * When ink is not NULL, *ink receives the rendering (the caller frees it),
 * or NULL on failure.  turn 90 or 270 renders the page turned that many
 * degrees clockwise (a page printed sideways, see bpx_page.turned), and
 * the lines come out in that frame: its width is the page's height.
 * fine_hint (may be NULL) carries from page to page of a document whether
 * the page had pale rules that only a finer rendering shows: TRUE on entry
 * renders finely at once; on return it says whether this page had them. */
gboolean bpx_find_rulings(PopplerPage *page, double dpi, int turn, gboolean *fine_hint,
                          GArray *hlines, GArray *vlines, bpx_ink_map **ink, GError **error);

/* A page's text layer as poppler gives it (poppler_page_get_text,
 * _get_text_layout, _get_text_attributes), read once for the ruling
 * search's glyph boxes and for the page's characters: each call converts
 * poppler's whole text page again.  Zero it before use; the fields belong to
 * it until bpx_text_layer_clear(). */
typedef struct {
    gboolean read;          /* the fields below are read */
    gboolean has_layout;    /* poppler_page_get_text_layout() returned TRUE */
    char *text;
    PopplerRectangle *rects;
    guint n_rects;
    GList *attrs;           /* of PopplerTextAttributes */
} bpx_text_layer;

/* Reads the layer of page unless it is read already. */
void bpx_text_layer_read(PopplerPage *page, bpx_text_layer *layer);
/* Frees what the layer holds and zeroes it. */
void bpx_text_layer_clear(bpx_text_layer *layer);

/* Widens in place each of the n rects (poppler's layout rectangles, with
 * the code point and font size of each) that boxes an upright ideograph
 * narrower than 0.75 of its font size: to its em square, and no further
 * than the next glyph of its line starts.  Some writers (cairo) state glyph
 * widths short of the advance; their glyphs' boxes would stand apart.
 * bpx_text_layer_read() applies it to every layer it reads. */
void bpx_widen_narrow_ideographs(PopplerRectangle *rects, const gunichar *cps, const double *font_size, guint n);

/* bpx_find_rulings() with the page's text layer: read into layer (after the
 * rendering) unless it is read already, and left there for the caller. */
gboolean bpx_find_rulings_with_text(PopplerPage *page, bpx_text_layer *layer, double dpi, int turn,
                                    gboolean *fine_hint, GArray *hlines, GArray *vlines, bpx_ink_map **ink,
                                    GError **error);

/* The same search in an ink image the caller has (one byte per pixel,
 * 255 - luminance, W x H, rows top down, dpi pixels per inch): a scanned
 * page that extract/ocr.c has cleaned and set straight.  No text layer is
 * there to keep glyph strokes out, so call it at a resolution where a line
 * of text does not blur into a stroke (ocr.c says which).  Returns FALSE
 * (arrays unchanged) for an image too large or a dpi out of [9, 600]. */
gboolean bpx_find_rulings_in_ink(const uint8_t *ink, int W, int H, double dpi, GArray *hlines, GArray *vlines);

#endif
