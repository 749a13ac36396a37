/* extract — the poppler stage of budgetpdf.
 *
 * Opens a PDF with poppler-glib and reads, per page, every character with its
 * box, font size, colour and direction, and the table ruling (horizontal and
 * vertical strokes) where the page has one.  Nothing here knows about budgets:
 * this stage only turns a PDF into geometry.
 *
 * Coordinates are PDF points in the page's displayed orientation (the page's
 * /Rotate applied), origin top-left, y growing downwards.
 *
 * Ownership: bpx_document_load() returns a document the caller frees with
 * bpx_document_free(); everything reachable from it belongs to it.
 * Errors are returned as GError (domain BPX_ERROR); nothing is printed.
 */
#ifndef BUDGETPDF_EXTRACT_H
#define BUDGETPDF_EXTRACT_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#define BPX_ERROR (bpx_error_quark())
GQuark bpx_error_quark(void);

typedef enum {
    BPX_ERROR_OPEN,      /* poppler could not open the file (not a PDF, damaged) */
    BPX_ERROR_ENCRYPTED, /* a user password is needed, or the one given is wrong */
    BPX_ERROR_IO,        /* the file could not be read */
    BPX_ERROR_LIMIT,     /* a configured limit was exceeded */
    BPX_ERROR_NO_PAGES   /* the file opened but has no page that can be read */
} bpx_error_code;

typedef struct {
    double x0, y0, x1, y1;
} bpx_rect;

/* Where a character's baseline runs.  Watermarks are typically diagonal;
 * text in tall merged cells is sometimes vertical. */
typedef enum {
    BPX_DIR_HORIZONTAL = 0,
    BPX_DIR_VERTICAL,
    BPX_DIR_DIAGONAL
} bpx_direction;

typedef struct {
    uint32_t cp;          /* Unicode code point as poppler decoded it */
    bpx_rect box;
    float font_size;
    uint32_t color;       /* 0xRRGGBB */
    uint8_t dir;          /* bpx_direction */
    uint8_t hidden;       /* in the text layer but not shown: the page's
                             rendering has no ink where this ideograph
                             stands (clipped away, white on white, covered) */
    uint8_t ocr_conf;     /* 0: from the text layer; else read by OCR, with the
                             engine's confidence 1..100 in the string (the
                             word, or the cell's amount) it belongs to */
} bpx_char;

/* An amount OCR read in a table cell, with the other readings the engine
 * offered for it (extract/ocr.c, read_cell): the symbols' alternative
 * digits (Tesseract's choice iterator), one at a time, and the reading of
 * the other pass (Chinese model / digits only) where both were made.  The
 * tables' arithmetic picks among them (normalize/ocrfix.c); nothing here
 * invents a digit. */
typedef struct {
    bpx_rect box;          /* the reading's glyphs, points (as bpx_char.box) */
    char *text;            /* the reading kept, as its characters spell it */
    char **alternatives;   /* NULL-terminated (maybe empty), each a whole amount, none
                              equal to text */
} bpx_ocr_reading;

/* A ruled stroke: horizontal when y0 == y1 (x0 < x1), vertical when x0 == x1
 * (y0 < y1).  Thin filled rectangles count as strokes. */
typedef bpx_rect bpx_line;

typedef struct {
    int number;             /* 1-based */
    double width, height;   /* displayed size in points (turned: see turned) */
    bpx_char *chars;        /* in poppler's reading order */
    size_t n_chars;
    bpx_line *hlines;
    size_t n_hlines;
    bpx_line *vlines;
    size_t n_vlines;
    gboolean ruled;         /* rulings were looked for on this page */
    int turned;             /* 0, or 90 / 270: the page prints its text sideways
                               (running down / up the displayed page), and
                               everything here (size, boxes, lines) is given as
                               if the page had been turned by that many degrees
                               clockwise to read it */
    gboolean unreadable;    /* poppler could not load the page (damaged page tree): no
                               size, characters or lines */
    gboolean ocr;           /* the page had no usable text layer and was read by
                               OCR (extract/ocr.c): chars have ocr_conf set,
                               boxes and lines are in the frame of the page set
                               straight (ocr_skew undone, turned as above) */
    gboolean garbled_layer; /* its text layer does not read (bpx_text_layer_garbled: fonts
                               without a usable Unicode map); read by OCR unless
                               OCR was off or failed */
    double ocr_skew;        /* degrees the scan was turned off straight (measured) */
    char *ocr_failed;       /* NULL, or why OCR could not read this page (which
                               needed it): the page then has no characters */
    bpx_ocr_reading *ocr_readings; /* ocr pages: the amounts read in cells, with the
                               other readings on offer (see bpx_ocr_reading) */
    size_t n_ocr_readings;
    bpx_ocr_reading *ocr_lines; /* ocr pages: lines of print outside the cells (titles,
                               headings) taller than the engine reads best, each read
                               again at a smaller scale (ocr.c, step 11) where that
                               reading differs: text is the line as the page-level
                               pass read it (its chars), alternatives[0] the other
                               reading; normalize chooses (normalize/titles.c) */
    size_t n_ocr_lines;
} bpx_page;

typedef struct {
    char *path;
    char sha256[65];
    char *producer;         /* may be NULL */
    char *creator;          /* may be NULL */
    char *title;            /* may be NULL */
    int n_pages;
    bpx_page *pages;
    int ocr_pages_lent;     /* pages read by OCR in a child process on a processor
                               bpx_options.lender lent (each the same page as if
                               read here) */
} bpx_document;

/* Limits with defaults a caller may override (cJSON style). */
#ifndef BPX_MAX_PAGES_DEFAULT
#define BPX_MAX_PAGES_DEFAULT 5000
#endif

/* When to read a page by OCR. */
typedef enum {
    BPX_OCR_AUTO = 0,       /* pages with no usable text layer */
    BPX_OCR_ALWAYS,         /* every page, its text layer ignored */
    BPX_OCR_NEVER
} bpx_ocr_mode;

/* Processors a caller lends to the reading of a document (batch/: `-j N`
 * while fewer documents run than N and none waits).  take() hands one over
 * (TRUE) or none; give() returns one taken.  Both are called from the
 * reading process only, each take() that returned TRUE matched by one
 * give(). */
typedef struct {
    gboolean (*take)(void *user);
    void (*give)(void *user);
    void *user;
} bpx_lender;

typedef struct {
    const char *password;   /* NULL: none */
    int max_pages;          /* 0: BPX_MAX_PAGES_DEFAULT */
    gboolean no_rulings;    /* skip ruling detection (text only) */
    bpx_ocr_mode ocr;       /* default BPX_OCR_AUTO */
    const char *tessdata;   /* Tesseract's language data folder; NULL: the
                               TESSDATA_PREFIX environment variable, else the
                               library's built-in default */
    /* NULL: every page is kept in the document.  Else called with each page
     * as soon as it is read, in order (unreadable pages too); when it
     * returns, the page's chars and lines are freed (number, size, turned
     * and unreadable stay), so that a caller that consumes the pages as
     * they come holds one page's data at a time, not the document's. */
    void (*on_page)(const bpx_document *doc, const bpx_page *page, void *user);
    void *on_page_user;
    int reopen_every;       /* 0: poppler's document is opened again when the
                               heap it holds has grown (its fonts: extract.c,
                               reopen_due); n > 0: after every n pages instead
                               (tests: the outputs must not change) */
    int chunk_pages;        /* 0: a document of more than BPX_CHUNK_PAGES pages is
                               read through documents of that many pages each
                               (extract/pagetree.c); n > 0: of n pages, for any
                               length (tests: the outputs must not change) */
    /* NULL: every page is read in the calling process, one after the other.
     * Else, while a page is read by OCR, the pages after it that look
     * scanned are read by OCR at the same time, each in a child process on
     * a processor the lender hands over (extract/ahead.c); the document is
     * the same either way.  The calling process then forks (only while it
     * runs a single thread), and reaps every child it forked before
     * bpx_document_load() returns.  A child dies with the calling process
     * (PR_SET_PDEATHSIG), holds about what OCR holds of memory (an engine,
     * a page's images) beside the pages it shares with its parent, and
     * inherits its limits (RLIMIT_AS). */
    const bpx_lender *lender;
} bpx_options;

bpx_document *bpx_document_load(const char *path, const bpx_options *opts, GError **error);
bpx_document *bpx_document_load_data(const void *data, size_t len, const char *name,
                                     const bpx_options *opts, GError **error);
void bpx_document_free(bpx_document *doc);

/* The unified ideograph a Kangxi radical (U+2F00..U+2FD5) or CJK radical
 * supplement code point (U+2E80..) stands for, by its compatibility
 * decomposition (⼯ U+2F2F: 工 U+5DE5); 0 for any other code point or a
 * radical without one.  bpx_document_load() reads each such code point of
 * a text layer as its ideograph: the page prints the ideograph, the radical
 * is the writer's choice of code for its glyph (as a ToUnicode map is), so
 * no repair is recorded. */
gunichar bpx_radical_ideograph(gunichar cp);

/* Page pictures (render.c), for the review page: bpx_renderer_open() opens
 * the PDF for rendering (password as for bpx_document_load); each call of
 * bpx_renderer_page_png() writes page `number` (1-based) as a PNG file,
 * scale pixels per point, turned like bpx_page.turned so that the page's
 * boxes land at their coordinates times scale.  The caller frees the
 * renderer with bpx_renderer_free(). */
#ifndef BPX_RENDER_MAX_PIXELS
#define BPX_RENDER_MAX_PIXELS (40 * 1000 * 1000)
#endif
typedef struct bpx_renderer bpx_renderer;
bpx_renderer *bpx_renderer_open(const char *path, const char *password, GError **error);
gboolean bpx_renderer_page_png(bpx_renderer *r, int number, double scale, int turned, const char *png_path,
                               GError **error);
void bpx_renderer_free(bpx_renderer *r);

#endif
