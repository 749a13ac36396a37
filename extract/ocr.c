/* ocr.c — a page without a text layer, read with Tesseract into the same
 * characters and rulings a text page gives.
 *
 * Which pages, with --ocr auto: those with fewer than
 * BPX_OCR_MIN_CHARS visible characters that show print (bpx_ocr_wanted), and those whose text
 * layer does not read (bpx_text_layer_garbled: fonts whose Unicode map is
 * missing or wrong, as after a Ghostscript rewrite, map the page's Chinese to
 * Latin-1 letters and the like, which no disclosure prints); a page image
 * under a text layer is judged by sampling (bpx_ocr_text_layer_matches).
 *
 * Scanned disclosures are page images: printed, stamped, scanned a little
 * askew on grey paper, sometimes fed in sideways.  Page-level OCR of a ruled
 * table reads the rules as letters and runs cells together, so the table is
 * read cell by cell, its grid taken from the rulings of the same image.
 *
 *  1. render_gray(): poppler renders the page at BPX_OCR_DPI (300) on white;
 *     each pixel becomes its luminance, and red-dominant pixels (a seal
 *     stamped over the table, red ink) are marked.
 *  2. flatten_paper(): grey or uneven paper is divided out: per block of
 *     BPX_OCR_BLOCK_PX the paper's brightness is a high quantile of the
 *     block's pixels (red ones left out), and each pixel is scaled against
 *     the paper of its block, so paper comes out white and print dark
 *     whatever the tint; the red pixels become paper.
 *  3. Sideways: lines_down_over_across() cuts the ink at 50 dpi, where the
 *     glyphs of a line run together and lines stay apart, into components,
 *     and compares the length of those running down the page with those
 *     running across.  A page whose lines run down is turned a quarter
 *     (sideways_turn(): which quarter, Tesseract's orientation detector
 *     says, osd.traineddata) before anything else.
 *  4. measure_skew(): the angle the scan is turned by is the one whose
 *     projection of the ink (at a quarter of the resolution) onto the
 *     turned vertical axis is the sharpest (sum of squared row counts):
 *     text lines and rules both line up then.  rotated_gray() turns the
 *     image straight (bilinear).  Angles up to BPX_OCR_MAX_SKEW degrees.
 *     Then upside_down(): the points and commas of amounts stand at the
 *     foot of their digits, upside down at their head (marks_low_high());
 *     failing a clear count, a confident answer of the detector.  A
 *     quarter turn becomes bpx_page.turned, as for a sideways text page.
 *  5. despeckle(): dust and toner dots are ink components smaller than a
 *     glyph with no glyph beside them (in their line, a little way to the
 *     left or right); they are painted out.  A decimal point is as small,
 *     but always has a digit beside it.  Once more after step 6: with the
 *     rules still there, a table's grid is one component as big as the
 *     table, and every speck inside it stands near it.
 *  6. The rulings: the straight image, averaged down to BPX_OCR_RULING_DPI,
 *     goes to the ruling detector (bpx_find_rulings_in_ink); prune_lines()
 *     keeps the strokes that meet two others and are longer than a big
 *     glyph's stroke (a scan has no text layer to tell glyph strokes by).
 *     erase_rulings() paints the rules out of the full-resolution image.
 *  7. find_cells(): the rulings are drawn on a map of one pixel per point
 *     (each stroke lengthened a little to close its corners) and the map
 *     is flood-filled: every closed region not touching the page's edge
 *     that fills most of its bounding box is a cell, merged cells
 *     included.
 *  8. read_cell(): the cell, reaching to within half a point of its
 *     rules' middles, is cropped to its glyphs (glyph_box(): dust and the
 *     stubs of erased rules left out; pale thin strokes beside the print
 *     kept), cut into lines of print (text_lines()) and each line
 *     recognised on its own from a copy with a white margin
 *     (read_padded(); page segmentation "single line"; a wrapped label
 *     read as one block comes out as Latin nonsense now and then; a line
 *     of one glyph is read as a character, a line read as nothing again
 *     made black and white at each of BLANK_LINE_THRESHOLDS until it reads
 *     (thin grey strokes beside a dark speck); a lone ideograph narrower than
 *     an ideograph is a digit misread, when the digits engine reads one).  Marks at a cell's ends that
 *     a scan leaves (a rule's stub read as a bar or a quote) are trimmed;
 *     a point read as a colon or comma in an amount is restored
 *     (point_lookalike()).  A cell read as mostly digits that still does
 *     not spell an amount is read again by the English model restricted
 *     to digits, point, comma and minus (digits_engine()), and that
 *     reading is kept when it spells one.  Letters read for digits, a
 *     point read twice and a minus that is dust (off the digits'
 *     middle, or a dot rather than a bar) are mended first
 *     (digit_lookalikes(), point_lookalike(), trim_strays()).  A code
 *     headed by a capital letter (A02010104) keeps the letter the first
 *     pass read and takes its digits from the digits pass (letter_code()).
 *     In either pass, digits beyond the glyphs the cell's print holds go
 *     (surplus_digits(): a speck read as a digit, one glyph read twice).
 *     Marks trimmed at a cell's end spare a full stop after an ideograph
 *     (a remark's 。).  Then the cell's symbols are boxed as a text layer
 *     boxes glyphs
 *     (boxes_like_text(): the line's height, no gaps within a word, in
 *     reading order), and 一 and （ read as a dash and an angle bracket
 *     are put back (text_lookalikes()).  The amount kept is noted with
 *     the engine's other readings of it (note_reading(): the other pass's
 *     reading, and each symbol's alternative digits from the choice
 *     iterator, symbol_choices(), one digit at a time) as a
 *     bpx_ocr_reading, for the tables' arithmetic to choose among
 *     (normalize/ocrfix.c).
 *  9. The rest of the page (cells painted white) is recognised with
 *     automatic page segmentation: titles, units, paragraphs, a page of
 *     prose.
 * 10. Each recognised symbol becomes a bpx_char (collect()): its box in
 *     points in the straightened frame, its text line's height as font
 *     size (a line of digits only is 0.72 of the font), and the engine's
 *     confidence; an enumeration's 、 read as a point or comma after a
 *     Chinese numeral opening a line is put back (enumeration_mark()).
 * 11. The engine misreads print much taller than the lines it was trained
 *     on: a title of thin serif glyphs 30 points high comes out 文出预算总表
 *     for 支出预算总表, and the same line shrunk to about BPX_OCR_LINE_PX
 *     pixels high reads right (scanned Jiangsu tables: most titles).  So
 *     read_tall_lines_again() takes each text line of the page-level pass
 *     taller than one and a half times that (line_boxes()), widens it over
 *     the tall glyphs beside it (line_extent(): the pass cuts a title of
 *     wide-set glyphs into pieces and leaves some unread), averages it down
 *     by a whole factor to about that height (shrink()) and reads it as a
 *     single line.  Which reading is right the extract stage cannot tell:
 *     where the two differ, both go out as a bpx_ocr_reading of the line
 *     (bpx_page.ocr_lines), the page-level one (the characters collected
 *     within, left to right) as its characters, and normalize chooses by its
 *     vocabulary of titles (normalize/titles.c).
 * 12. The page-level pass leaves some lines of print unread: a large
 *     title over a table is taken for a picture now and then (scanned
 *     Jiangsu tables: the 三公 and 财政拨款收支总表 titles of some
 *     documents).  read_unread_lines() cuts the page (cells painted out)
 *     into lines of print by its ink (text_lines()); a line as tall as
 *     small print (band_print(): a speck text_lines() joined to it left
 *     out), with a glyph a third as tall as the line (two specks far
 *     apart, which text_lines() joins into one band, are none: read
 *     whole, the stretch came out as one glyph the size of the page, over
 *     a table's rows), that no line of the page-level pass stands on is read
 *     as a single line (read_line_shrunk(), shrunk as in step 11), and its
 *     symbols kept when the engine's mean confidence in them reaches
 *     BPX_OCR_UNREAD_CONF (below it, what is there is no print it can
 *     read: shading, a smudge).
 *
 * A text layer over a scan (ocrmypdf and some scanners put an invisible
 * one over the page image) is judged before it is trusted:
 * bpx_ocr_page_is_image() finds an image covering most of the page, and
 * bpx_ocr_text_layer_matches() reads up to BPX_OCR_SAMPLES runs of the
 * layer's text (sample_runs(): glyphs side by side on a line, spread over
 * the page) from the rendering, each in its box widened by a third of its
 * height, and compares (run_found(): the share of the run's characters the
 * reading holds); when fewer than half the runs are found, the layer is
 * not what the page shows and the page is read by OCR.  Visible text over
 * a background image matches, and stays.  Which pages are looked at at all
 * extract.c decides (probe_layer(): the first pages with text, every page
 * of a document found scanned, rendered pages on tinted paper): a page
 * with a wrong layer in a document whose first pages are born-digital is
 * missed when it is prose on white paper.
 *
 * Memory.  A worker reading a scanned page holds Tesseract's code (7 MB
 * resident) and its models: chi_sim 46 MB (of which 29 MB an adaptive
 * classifier that Tesseract 5.3 builds even for an LSTM-only model and
 * that only its legacy engine reads), eng 14 MB, osd 32 MB; the page at
 * 300 dpi is 8.7 MB in grey (A4) and 35 MB in colour while poppler
 * renders it; Tesseract's page-level pass adds its copy of the page, the
 * rectangle's grey copy and its thresholds (up to 8.7 MB each).  So that these
 * do not all come together, no engine is held while a page is rendered
 * (text and digits are freed when the page is read, made again on the
 * next: 0.05-0.09 s), the orientation detector is never held beside them
 * (engine_free(), osd_engine()), the digits engine goes once the cells are
 * read, and the allocator is asked to give back what they leave
 * (give_back(): the heap stays resident in pieces otherwise, and the next
 * page's images come on top).  The seal's red is a bit a pixel, the scan
 * before it is set straight is the only copy kept (rotated_gray(); half a
 * turn is done in place), despeckle() marks pixels seen with bits.
 *
 * What it misses: skew beyond BPX_OCR_MAX_SKEW degrees; which way round a
 * sideways page goes when the detector cannot tell (it is then turned
 * clockwise); an upside-down page of prose, or of labels in a serif face
 * (the dots of 氵 讠 confuse the count of points), that the detector is
 * unsure of; a speck touching a glyph (read as part of it: 1 as 4); curved
 * pages (a book scan); a table without rules (read by the page-level pass,
 * where cells of a row can run together); seals in a dark colour; dark
 * or patterned backgrounds.
 * The engine's confidence is high (90 to 100) for most misreadings too,
 * so it cannot tell a wrong digit; the tables' arithmetic has to.
 */
#include "extract/ocr.h"
#include "extract/ruling.h"

#include <cairo.h>
#include <dlfcn.h>
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

#ifndef BPX_OCR_DPI
#define BPX_OCR_DPI 300.0 /* resolution the page is read at */
#endif
#ifndef BPX_OCR_RULING_DPI
#define BPX_OCR_RULING_DPI 100.0 /* resolution rulings are looked for at */
#endif
#ifndef BPX_OCR_MAX_PIXELS
#define BPX_OCR_MAX_PIXELS (48L * 1024 * 1024) /* largest page image */
#endif
#ifndef BPX_OCR_BLOCK_PX
#define BPX_OCR_BLOCK_PX 64 /* block over which the paper's shade is measured */
#endif
#ifndef BPX_OCR_MAX_SKEW
#define BPX_OCR_MAX_SKEW 5.0 /* degrees */
#endif
#ifndef BPX_OCR_MIN_RULE_PT
#define BPX_OCR_MIN_RULE_PT 20.0 /* shortest rule kept on a scan (points) */
#endif
#ifndef BPX_OCR_SIDEWAYS
#define BPX_OCR_SIDEWAYS 10.0 /* lines of print down over across that make a page sideways
                                (fixtures: upright pages 0.06 at most, sideways ones 100 and
                                more; a page of spaced-out prose 2.3) */
#endif
#ifndef BPX_OCR_PAGE_DEADLINE_MS
#define BPX_OCR_PAGE_DEADLINE_MS 30000 /* longest the page-level pass may take */
#endif
#ifndef BPX_OCR_LINE_PX
#define BPX_OCR_LINE_PX 40 /* height (pixels) a tall line is shrunk to for a second reading */
#endif
#ifndef BPX_OCR_UNREAD_CONF
#define BPX_OCR_UNREAD_CONF 60.0 /* mean confidence below which a line the page-level pass left
                                    unread is taken for no print */
#endif
#ifndef BPX_OCR_MIN_SLANT
#define BPX_OCR_MIN_SLANT 0.01 /* degrees rules may still slant once the page is set straight */
#endif
#ifndef BPX_OCR_MAX_ALTERNATIVES
#define BPX_OCR_MAX_ALTERNATIVES 16 /* other readings kept of one amount */
#endif
#ifndef BPX_OCR_IMAGE_COVER
#define BPX_OCR_IMAGE_COVER 0.8 /* share of the page an image covers that makes it a scan */
#endif
#ifndef BPX_OCR_SAMPLES
#define BPX_OCR_SAMPLES 8 /* runs of a text layer over a scan compared with the image */
#endif
#ifndef BPX_OCR_SAMPLE_LEN
#define BPX_OCR_SAMPLE_LEN 10 /* characters of a run compared */
#endif
#ifndef BPX_OCR_SAMPLE_MATCH
#define BPX_OCR_SAMPLE_MATCH 0.5 /* share of a run's characters OCR must find in it */
#endif
#ifndef BPX_OCR_MIN_CHARS
#define BPX_OCR_MIN_CHARS 8 /* visible characters that make a usable text layer */
#endif
#ifndef BPX_OCR_GLYPH_INK
#define BPX_OCR_GLYPH_INK 192 /* pixels darker are print where a cell's glyphs and lines are sought:
                                 the thin strokes of a small serif face (一、 二、) come out grey
                                 once the image is turned straight, and the engine, which
                                 thresholds by itself, reads them */
#endif
#ifndef BPX_GARBLED_MIN
#define BPX_GARBLED_MIN 8 /* characters no disclosure prints that make a text layer suspect */
#endif
#ifndef BPX_GARBLED_SHARE
#define BPX_GARBLED_SHARE 0.02 /* share of a page's visible characters that makes it garbled
                                  (at most 2 characters, 0.5%, on a page of the development
                                  corpora; 2-69% on most pages Ghostscript rewrote:
                                  bench/producers.py) */
#endif
#ifndef BPX_OCR_MIN_INK
#define BPX_OCR_MIN_INK 0.005 /* share of inked pixels that make a page worth reading */
#endif

struct bpx_ocr {
    char *tessdata;
    /* The engines, each made when it is wanted and freed when the page is
     * read (text, digits) or when the others are wanted (osd), so that a
     * worker holds no engine while it renders a page and never the
     * orientation detector beside the others (chi_sim: 46 MB, osd: 32 MB,
     * eng: 14 MB; made again in 0.05-0.09 s). */
    TessBaseAPI *text; /* chi_sim */
    TessBaseAPI *digits; /* eng, digits and amount marks only */
    TessBaseAPI *osd;  /* orientation */
    gboolean text_failed, osd_failed, digits_failed;
    /* read_cell()'s last cell, for note_reading(): each pass's symbols with
     * the digits the engine offered for them, and its reading when it
     * spells an amount */
    GArray *choices_first, *choices_digits; /* symbol_choice_t */
    char *reading_first, *reading_digits;
};

/* One symbol of a pass: the engine's best reading and the other digits its
 * choice iterator offered (at most 10, NUL-terminated). */
typedef struct {
    gunichar best;
    char alts[11];
} symbol_choice_t;

/* A grey image: luminance per pixel, 255 is paper. */
typedef struct {
    int w, h;
    uint8_t *px;
    uint8_t *red; /* while flattening: a bit per pixel, set where the rendering showed red ink
                     (red_at()) */
} gray_t;

static gboolean red_at(const gray_t *g, size_t i)
{
    return g->red[i / 8] >> (i % 8) & 1;
}

static void red_set(gray_t *g, size_t i)
{
    g->red[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void gray_free(gray_t *g)
{
    g_free(g->px);
    g_free(g->red);
    g->px = g->red = NULL;
}

/* Tesseract parallelises its network with OpenMP; budgetpdf runs documents
 * in parallel processes (batch -j) instead, and threads spinning for work
 * double the processor time of a page.  With no level of parallel regions
 * allowed to be active, OpenMP runs every region on the calling thread.  The
 * symbol is looked up, not linked: libgomp comes with Tesseract's build, and
 * a Tesseract built without OpenMP needs nothing. */
static void one_thread(void)
{
    void *self = dlopen(NULL, RTLD_LAZY);
    if (!self)
        return;
    void (*set_levels)(int) = NULL;
    *(void **)(&set_levels) = dlsym(self, "omp_set_max_active_levels");
    if (set_levels)
        set_levels(0);
    dlclose(self);
}

bpx_ocr *bpx_ocr_new(const char *tessdata)
{
    one_thread();
    bpx_ocr *o = g_new0(bpx_ocr, 1);
    o->tessdata = g_strdup(tessdata);
    o->choices_first = g_array_new(FALSE, FALSE, sizeof(symbol_choice_t));
    o->choices_digits = g_array_new(FALSE, FALSE, sizeof(symbol_choice_t));
    return o;
}

/* Returns the memory freed to the system: the engines and images of a page
 * leave the heap in pieces that the allocator keeps, and the next page's
 * rendering (an image the allocator maps anew) would come on top of them. */
static void give_back(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Ends and frees *api, if any (the next use makes it again). */
static void engine_free(TessBaseAPI **api)
{
    if (*api) {
        TessBaseAPIEnd(*api);
        TessBaseAPIDelete(*api);
        *api = NULL;
        give_back();
    }
}

void bpx_ocr_free(bpx_ocr *o)
{
    if (!o)
        return;
    engine_free(&o->text);
    engine_free(&o->osd);
    engine_free(&o->digits);
    g_free(o->tessdata);
    g_array_free(o->choices_first, TRUE);
    g_array_free(o->choices_digits, TRUE);
    g_free(o->reading_first);
    g_free(o->reading_digits);
    g_free(o);
}

/* An engine for lang, quiet (Tesseract prints its debugging to stderr
 * unless told where else).  lstm: the model's LSTM network alone (the
 * text and digits engines: a model that also holds the legacy engine's
 * data would otherwise load both); the orientation detector (osd) is a
 * legacy model. */
static TessBaseAPI *engine_new(const char *tessdata, const char *lang, gboolean lstm, GError **error)
{
    /* a missing model is told before Tesseract prints about it; without a
     * folder given, Tesseract looks where it was built to */
    const char *dir = tessdata ? tessdata : g_getenv("TESSDATA_PREFIX");
    if (dir) {
        char *name = g_strconcat(lang, ".traineddata", NULL);
        char *file = g_build_filename(dir, name, NULL);
        gboolean there = g_file_test(file, G_FILE_TEST_IS_REGULAR);
        g_free(file);
        g_free(name);
        if (!there) {
            g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "no Tesseract language data %s.traineddata in %s", lang, dir);
            return NULL;
        }
    }
    TessBaseAPI *api = TessBaseAPICreate();
    if (TessBaseAPIInit2(api, tessdata, lang, lstm ? OEM_LSTM_ONLY : OEM_DEFAULT) != 0) {
        TessBaseAPIDelete(api);
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "Tesseract's %s language data could not be loaded%s%s", lang,
                    tessdata ? " from " : "", tessdata ? tessdata : "");
        return NULL;
    }
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    /* the choice iterator gives each symbol's alternatives (note_reading;
     * the page-level pass turns it off) */
    TessBaseAPISetVariable(api, "lstm_choice_mode", "2");
    return api;
}

static TessBaseAPI *text_engine(bpx_ocr *o, GError **error)
{
    engine_free(&o->osd);
    if (!o->text && !o->text_failed) {
        o->text = engine_new(o->tessdata, "chi_sim", TRUE, error);
        o->text_failed = !o->text;
        return o->text;
    }
    if (!o->text)
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "Tesseract's chi_sim language data could not be loaded");
    return o->text;
}

/* The engine that re-reads amounts: English (its model knows digits and
 * points better than the Chinese one, which on the fixtures reads a 1.95
 * in a wide cell as 95), restricted to what an amount is written with. */
static TessBaseAPI *digits_engine(bpx_ocr *o)
{
    engine_free(&o->osd);
    if (!o->digits && !o->digits_failed) {
        o->digits = engine_new(o->tessdata, "eng", TRUE, NULL);
        o->digits_failed = !o->digits;
        if (o->digits)
            TessBaseAPISetVariable(o->digits, "tessedit_char_whitelist", "0123456789.,-");
    }
    return o->digits;
}

/* ------------------------------------------------------------ deciding */

/* A code point no disclosure prints (bpx_text_layer_garbled).  Latin-1's
 * signs that one may print are not counted: ¥ before an amount, × ÷ ± · °,
 * ² ³ of m² and m³, µ, º, § © ®, ¼ ½ ¾, Ø ø (a pipe's diameter). */
static gboolean never_printed(uint32_t c)
{
    static const char PRINTED_LATIN1[] = "\xA5\xA7\xA9\xAE\xB0\xB1\xB2\xB3\xB5\xB7\xBA\xBC\xBD\xBE\xD7\xD8\xF7\xF8";
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF))
        return TRUE;
    if (c >= 0xA1 && c <= 0xFF)
        return strchr(PRINTED_LATIN1, (int)c) == NULL;
    return (c >= 0x100 && c <= 0x24F) || (c >= 0x2B0 && c <= 0x2FF);
}

static gboolean ideograph(gunichar c);

gboolean bpx_text_layer_garbled(const bpx_page *page)
{
    /* odd: code points never printed, and lower-case Latin letters alone
     * between two ideographs ("监o与", "单O概况" but upper case: B超, A类
     * are printed), which a broken map gives as often; the letter is
     * judged when the shown character after it comes */
    size_t visible = 0, odd = 0;
    uint32_t two_back = 0, one_back = 0; /* the shown characters before this one */
    for (size_t i = 0; i < page->n_chars; i++) {
        const bpx_char *c = &page->chars[i];
        if (c->hidden || c->dir == BPX_DIR_DIAGONAL || c->ocr_conf || c->cp == ' ')
            continue;
        visible++;
        odd += never_printed(c->cp) ||
               (one_back >= 'a' && one_back <= 'z' && ideograph(two_back) && ideograph(c->cp));
        two_back = one_back;
        one_back = c->cp;
    }
    return odd >= BPX_GARBLED_MIN && (double)odd >= BPX_GARBLED_SHARE * (double)visible;
}

gboolean bpx_ocr_wanted(const bpx_page *page, const bpx_ink_map *ink)
{
    size_t visible = 0;
    for (size_t i = 0; i < page->n_chars; i++)
        if (!page->chars[i].hidden && page->chars[i].dir != BPX_DIR_DIAGONAL)
            visible++;
    if (visible >= BPX_OCR_MIN_CHARS)
        return FALSE;
    if (!ink)
        return TRUE;
    size_t n = (size_t)ink->width * (size_t)ink->height, inked = 0;
    for (size_t i = 0; i < n; i++)
        inked += ink->ink[i] >= 64;
    return n && (double)inked > BPX_OCR_MIN_INK * (double)n;
}

gboolean bpx_ocr_likely(PopplerPage *page)
{
    char *text = poppler_page_get_text(page);
    size_t n = 0;
    for (const char *s = text; s && *s && n < BPX_OCR_MIN_CHARS; s = g_utf8_next_char(s))
        n += !g_unichar_isspace(g_utf8_get_char(s));
    g_free(text);
    return n < BPX_OCR_MIN_CHARS;
}

/* ------------------------------------------------------------ 1-3: image */

static gboolean render_gray(PopplerPage *page, double dpi, gray_t *out, GError **error)
{
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    double scale = dpi / 72.0;
    double fw = ceil(w * scale), fh = ceil(h * scale);
    if (!(fw >= 1 && fh >= 1 && fw <= 32767 && fh <= 32767) || fw * fh > (double)BPX_OCR_MAX_PIXELS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "page of %.0fx%.0f pt is too large to read by OCR", w, h);
        return FALSE;
    }
    int W = (int)fw, H = (int)fh;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "cannot allocate a %dx%d image for OCR", W, H);
        return FALSE;
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "rendering for OCR failed: %s", cairo_status_to_string(st));
        return FALSE;
    }
    const unsigned char *data = cairo_image_surface_get_data(surf);
    int stride = cairo_image_surface_get_stride(surf);
    out->w = W;
    out->h = H;
    out->px = g_malloc((size_t)W * (size_t)H);
    out->red = g_malloc0(((size_t)W * (size_t)H + 7) / 8);
    for (int y = 0; y < H; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        uint8_t *o = out->px + (size_t)y * (size_t)W;
        for (int x = 0; x < W; x++) {
            int r = (int)(row[x] >> 16 & 0xff), g = (int)(row[x] >> 8 & 0xff), b = (int)(row[x] & 0xff);
            o[x] = (uint8_t)((77 * r + 150 * g + 29 * b) >> 8);
            /* red ink (a seal): far redder than it is green or blue */
            if (r - MAX(g, b) > 50 && r > 100)
                red_set(out, (size_t)y * (size_t)W + (size_t)x);
        }
    }
    cairo_surface_destroy(surf);
    return TRUE;
}

static void flatten_paper(gray_t *g)
{
    const int B = BPX_OCR_BLOCK_PX;
    int bw = (g->w + B - 1) / B, bh = (g->h + B - 1) / B;
    uint8_t *paper = g_new(uint8_t, (size_t)bw * (size_t)bh);
    for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++) {
            int hist[256] = {0}, n = 0;
            for (int y = by * B; y < MIN(g->h, (by + 1) * B); y += 2)
                for (int x = bx * B; x < MIN(g->w, (bx + 1) * B); x += 2) {
                    size_t i = (size_t)y * (size_t)g->w + (size_t)x;
                    if (!red_at(g, i))
                        hist[g->px[i]]++, n++;
                }
            /* the paper: the brightness 80% of the block is darker than or
             * equal to; a block mostly of print takes its neighbours' below */
            int want = n / 5, v = 255;
            for (int acc = 0; n && v > 0 && (acc += hist[v]) < want; v--)
                ;
            paper[(size_t)by * (size_t)bw + (size_t)bx] = (uint8_t)v;
        }
    /* a block darker than its neighbours' paper by far is print, not paper */
    uint8_t *fixed = g_memdup2(paper, (gsize)bw * (gsize)bh);
    for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++) {
            int best = paper[(size_t)by * (size_t)bw + (size_t)bx];
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int x = bx + dx, y = by + dy;
                    if (x >= 0 && y >= 0 && x < bw && y < bh)
                        best = MAX(best, paper[(size_t)y * (size_t)bw + (size_t)x]);
                }
            if (best - paper[(size_t)by * (size_t)bw + (size_t)bx] > 40)
                fixed[(size_t)by * (size_t)bw + (size_t)bx] = (uint8_t)best;
        }
    for (int y = 0; y < g->h; y++) {
        uint8_t *row = g->px + (size_t)y * (size_t)g->w;
        const uint8_t *prow = fixed + (size_t)(y / B) * (size_t)bw;
        for (int x = 0; x < g->w; x++) {
            if (red_at(g, (size_t)y * (size_t)g->w + (size_t)x)) { /* the seal's ink: paper for OCR */
                row[x] = 255;
                continue;
            }
            int p = MAX(prow[x / B], 64);
            int ink = p - row[x];
            /* print at 30% of the paper's brightness comes out black */
            int v = ink <= 0 ? 255 : 255 - ink * 255 * 10 / (p * 7);
            row[x] = (uint8_t)CLAMP(v, 0, 255);
        }
    }
    g_free(fixed);
    g_free(paper);
    g_free(g->red);
    g->red = NULL;
}

/* Paints out the dust: every component of dark pixels smaller than a
 * glyph (min_extent pixels either way) that lies farther than twice `near`
 * pixels to the left or right of any glyph-sized one, or above or below
 * it by more than a third of `near`.  A point or a comma stands beside its
 * digits and stays; dust in the margins, in empty cells and over or under
 * a line of print goes (a speck over 退 read it as 四), and so
 * does the pale residue of the paper (anything lighter than 176), which
 * would give Tesseract's own thresholding something to find on an
 * otherwise empty page. */
static void despeckle(gray_t *g, int min_extent, int near)
{
    const uint8_t dark = 176; /* faint dots too: Tesseract's threshold may take them */
    size_t n = (size_t)g->w * (size_t)g->h;
    for (size_t i = 0; i < n; i++)
        if (g->px[i] >= dark)
            g->px[i] = 255;
    /* components: their boxes, and the pixels of the small ones */
    typedef struct {
        int x0, y0, x1, y1;
        guint first, count; /* into `pixels`, small components only */
    } comp_t;
    GArray *comps = g_array_new(FALSE, FALSE, sizeof(comp_t));
    GArray *pixels = g_array_new(FALSE, FALSE, sizeof(guint32));
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(guint32));
    uint8_t *seen = g_new0(uint8_t, (n + 7) / 8); /* a bit per pixel */
#define SEEN(i) (seen[(i) / 8] >> ((i) % 8) & 1)
#define SEE(i) (seen[(i) / 8] |= (uint8_t)(1u << ((i) % 8)))
    for (size_t i0 = 0; i0 < n; i0++) {
        if (SEEN(i0) || g->px[i0] >= dark)
            continue;
        comp_t c = {(int)(i0 % (size_t)g->w), (int)(i0 / (size_t)g->w), 0, 0, pixels->len, 0};
        c.x1 = c.x0, c.y1 = c.y0;
        SEE(i0);
        guint32 start = (guint32)i0;
        g_array_set_size(stack, 0);
        g_array_append_val(stack, start);
        while (stack->len) {
            guint32 i = g_array_index(stack, guint32, stack->len - 1);
            g_array_set_size(stack, stack->len - 1);
            int x = (int)(i % (guint32)g->w), y = (int)(i / (guint32)g->w);
            c.x0 = MIN(c.x0, x), c.x1 = MAX(c.x1, x), c.y0 = MIN(c.y0, y), c.y1 = MAX(c.y1, y);
            if (c.x1 - c.x0 < min_extent && c.y1 - c.y0 < min_extent) {
                g_array_append_val(pixels, i);
                c.count++;
            }
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= g->w || ny >= g->h)
                        continue;
                    guint32 j = (guint32)ny * (guint32)g->w + (guint32)nx;
                    if (!SEEN(j) && g->px[j] < dark) {
                        SEE(j);
                        g_array_append_val(stack, j);
                    }
                }
        }
        if (c.x1 - c.x0 >= min_extent || c.y1 - c.y0 >= min_extent)
            g_array_set_size(pixels, c.first), c.count = 0;
        g_array_append_val(comps, c);
    }
#undef SEEN
#undef SEE
    g_free(seen);
    /* where glyphs are, widened by twice `near` along their line (a point
     * set in a space, "38,197 . 01" at 144 dpi) and by a third of `near` up
     * and down (a point or a comma stands beside its digits, in their line;
     * dust above or below a line goes), on a grid of blocks a third of
     * `near` wide */
    int B = MAX(near / 3, 1), bw = g->w / B + 1, bh = g->h / B + 1, up = near / 3, side = 2 * near;
    uint8_t *by_glyph = g_new0(uint8_t, (size_t)bw * (size_t)bh);
    for (guint k = 0; k < comps->len; k++) {
        const comp_t *c = &g_array_index(comps, comp_t, k);
        if (c->x1 - c->x0 < min_extent && c->y1 - c->y0 < min_extent)
            continue;
        for (int by = MAX(0, (c->y0 - up) / B); by <= MIN(bh - 1, (c->y1 + up) / B); by++)
            memset(by_glyph + (size_t)by * (size_t)bw + (size_t)MAX(0, (c->x0 - side) / B), 1,
                   (size_t)(MIN(bw - 1, (c->x1 + side) / B) - MAX(0, (c->x0 - side) / B) + 1));
    }
    for (guint k = 0; k < comps->len; k++) {
        const comp_t *c = &g_array_index(comps, comp_t, k);
        if (!c->count)
            continue;
        int cxb = (c->x0 + c->x1) / 2 / B, cyb = (c->y0 + c->y1) / 2 / B;
        if (by_glyph[(size_t)cyb * (size_t)bw + (size_t)cxb])
            continue;
        for (guint j = 0; j < c->count; j++)
            g->px[g_array_index(pixels, guint32, c->first + j)] = 255;
    }
    g_free(by_glyph);
    g_array_free(stack, TRUE);
    g_array_free(pixels, TRUE);
    g_array_free(comps, TRUE);
}

/* ------------------------------------------------------------ 4-5: geometry */

/* Sharpness of the ink's projection along a line turned by `deg`. */
static double projection_score(const int *pts, size_t n, double deg, int h, int w)
{
    double t = tan(deg * G_PI / 180.0);
    int off = (int)ceil(fabs(t) * w) + 1, len = h + 2 * off;
    int *bins = g_new0(int, (size_t)len);
    for (size_t i = 0; i < n; i++) {
        int y = (int)lround(pts[2 * i + 1] - pts[2 * i] * t) + off;
        if (y >= 0 && y < len)
            bins[y]++;
    }
    double s = 0;
    for (int i = 0; i < len; i++)
        s += (double)bins[i] * bins[i];
    g_free(bins);
    return s;
}

/* The angle (degrees, clockwise positive in image coordinates) text lines
 * and rules run at. */
static double measure_skew(const gray_t *g)
{
    const int f = 4;
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(int) * 2);
    int w = g->w / f, h = g->h / f;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int dark = 0;
            for (int dy = 0; dy < f; dy++)
                for (int dx = 0; dx < f; dx++)
                    dark += g->px[(size_t)(y * f + dy) * (size_t)g->w + (size_t)(x * f + dx)] < 128;
            if (dark >= 3) {
                int p[2] = {x, y};
                g_array_append_val(pts, p);
            }
        }
    const int *p = (const int *)(void *)pts->data;
    double best = 0, best_s = -1;
    for (double a = -BPX_OCR_MAX_SKEW; a <= BPX_OCR_MAX_SKEW + 1e-9; a += 0.1) {
        double s = projection_score(p, pts->len, a, h, w);
        if (s > best_s)
            best_s = s, best = a;
    }
    double coarse = best;
    for (double a = coarse - 0.1; a <= coarse + 0.1 + 1e-9; a += 0.02) {
        double s = projection_score(p, pts->len, a, h, w);
        if (s > best_s)
            best_s = s, best = a;
    }
    g_array_free(pts, TRUE);
    return fabs(best) < 0.05 ? 0 : best;
}

/* A copy of g turned by -deg about its centre (so a line at deg comes out
 * level). */
static uint8_t *rotated_gray(const gray_t *g, double deg)
{
    double a = deg * G_PI / 180.0, c = cos(a), s = sin(a);
    double cxp = g->w / 2.0, cyp = g->h / 2.0;
    uint8_t *out = g_malloc((size_t)g->w * (size_t)g->h);
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++) {
            /* the source of (x, y): (x, y) turned by +deg */
            double dx = x - cxp, dy = y - cyp;
            double sx = c * dx - s * dy + cxp, sy = s * dx + c * dy + cyp;
            int x0 = (int)floor(sx), y0 = (int)floor(sy);
            double fx = sx - x0, fy = sy - y0;
            double v = 255;
            if (x0 >= 0 && y0 >= 0 && x0 + 1 < g->w && y0 + 1 < g->h) {
                const uint8_t *r0 = g->px + (size_t)y0 * (size_t)g->w + (size_t)x0, *r1 = r0 + g->w;
                v = (r0[0] * (1 - fx) + r0[1] * fx) * (1 - fy) + (r1[0] * (1 - fx) + r1[1] * fx) * fy;
            }
            out[(size_t)y * (size_t)g->w + (size_t)x] = (uint8_t)lround(v);
        }
    return out;
}

/* g turned half a turn, in place: the pixels in reverse order. */
static void half_turn_gray(gray_t *g)
{
    for (size_t i = 0, j = (size_t)g->w * (size_t)g->h; i + 1 < j; i++, j--) {
        uint8_t t = g->px[i];
        g->px[i] = g->px[j - 1], g->px[j - 1] = t;
    }
}

/* g turned clockwise by turn (90, 180 or 270). */
static void turn_gray(gray_t *g, int turn)
{
    int W = turn == 180 ? g->w : g->h, H = turn == 180 ? g->h : g->w;
    uint8_t *out = g_malloc((size_t)W * (size_t)H);
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++) {
            int nx, ny;
            if (turn == 90)
                nx = g->h - 1 - y, ny = x;
            else if (turn == 270)
                nx = y, ny = g->w - 1 - x;
            else
                nx = g->w - 1 - x, ny = g->h - 1 - y;
            out[(size_t)ny * (size_t)W + (size_t)nx] = g->px[(size_t)y * (size_t)g->w + (size_t)x];
        }
    g_free(g->px);
    g->px = out;
    g->w = W;
    g->h = H;
}

/* Which way the lines of print run: the page's ink at a sixth of the
 * resolution (50 dpi), where the glyphs of a line or a cell run together
 * and lines stay apart, cut into components; a component at least twice
 * as long one way as the other and thicker than a rule is a line of print.
 * Returns the length of those running down the page over the length of
 * those running across it (0 when there are none). */
static double lines_down_over_across(const gray_t *g)
{
    const int f = 6;
    int w = g->w / f, h = g->h / f;
    if (w < 4 || h < 4)
        return 0;
    uint8_t *dark = g_new0(uint8_t, (size_t)w * (size_t)h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int n = 0;
            for (int dy = 0; dy < f; dy++)
                for (int dx = 0; dx < f; dx++)
                    n += g->px[(size_t)(y * f + dy) * (size_t)g->w + (size_t)(x * f + dx)] < 128;
            dark[(size_t)y * (size_t)w + (size_t)x] = n >= 3;
        }
    double across = 0, down = 0;
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i0 = 0; i0 < w * h; i0++) {
        if (dark[i0] != 1)
            continue;
        dark[i0] = 2;
        g_array_set_size(stack, 0);
        g_array_append_val(stack, i0);
        int minx = i0 % w, maxx = minx, miny = i0 / w, maxy = miny;
        while (stack->len) {
            int i = g_array_index(stack, int, stack->len - 1);
            g_array_set_size(stack, stack->len - 1);
            int x = i % w, y = i / w;
            minx = MIN(minx, x), maxx = MAX(maxx, x), miny = MIN(miny, y), maxy = MAX(maxy, y);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx, ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h && dark[ny * w + nx] == 1) {
                        dark[ny * w + nx] = 2;
                        int j = ny * w + nx;
                        g_array_append_val(stack, j);
                    }
                }
        }
        int bw = maxx - minx + 1, bh = maxy - miny + 1;
        /* rules are a pixel or two thick; a table's grid is one big component */
        if (bw > w / 3 || bh > h / 3)
            continue;
        if (bw >= 2 * bh && bh >= 3)
            across += bw;
        else if (bh >= 2 * bw && bw >= 3)
            down += bh;
    }
    g_array_free(stack, TRUE);
    g_free(dark);
    return across > 0 ? down / across : down > 0 ? 100 : 0;
}

/* Tesseract's orientation detector on g (at half the resolution): how far
 * the image stands turned clockwise, 0, 90, 180 or 270, and how sure. */
static int detect_orientation(TessBaseAPI *osd, const gray_t *g, float *conf)
{
    int w = g->w / 2, h = g->h / 2;
    uint8_t *half = g_malloc((size_t)w * (size_t)h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *p = g->px + (size_t)(2 * y) * (size_t)g->w + (size_t)(2 * x);
            half[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)((p[0] + p[1] + p[g->w] + p[g->w + 1]) / 4);
        }
    TessBaseAPISetPageSegMode(osd, PSM_OSD_ONLY);
    TessBaseAPISetImage(osd, half, w, h, 1, w);
    TessBaseAPISetSourceResolution(osd, (int)(BPX_OCR_DPI / 2));
    int deg = 0;
    float script_conf = 0;
    const char *script = NULL;
    *conf = 0;
    if (!TessBaseAPIDetectOrientationScript(osd, &deg, conf, &script, &script_conf))
        deg = 0, *conf = 0;
    TessBaseAPIClear(osd);
    g_free(half);
    return ((deg % 360) + 360) % 360;
}

static TessBaseAPI *osd_engine(bpx_ocr *o)
{
    engine_free(&o->text);
    engine_free(&o->digits);
    if (!o->osd && !o->osd_failed) {
        o->osd = engine_new(o->tessdata, "osd", FALSE, NULL);
        o->osd_failed = !o->osd;
    }
    return o->osd;
}

/* How far to turn a page whose lines of print run down it (see
 * lines_down_over_across()) clockwise to read it: 90 or 270.  The
 * orientation detector's answer is how far the image stands turned
 * clockwise, so turning it back reads it; it is unsure on tables of
 * figures (1.5 or less on the fixtures' sideways table pages), but which
 * quarter is all it is asked here.  Without an answer of a quarter turn,
 * the page is turned by 90 and asked again whether it stands upside down. */
static int sideways_turn(bpx_ocr *o, gray_t *g)
{
    TessBaseAPI *osd = osd_engine(o);
    float conf = 0;
    int deg = osd ? detect_orientation(osd, g, &conf) : 0;
    if (deg == 90 || deg == 270)
        return 360 - deg;
    if (!osd)
        return 90;
    turn_gray(g, 90);
    int again = detect_orientation(osd, g, &conf);
    turn_gray(g, 270);
    return again == 180 && conf >= 1.0f ? 270 : 90;
}

/* A box of connected dark pixels, in the coordinates of the rectangle it
 * was found in (inclusive). */
typedef struct {
    int x0, y0, x1, y1;
} box_t;

/* The 8-connected components of pixels darker than ink in the rectangle
 * [x0, x1) x [y0, y1) of g, as boxes relative to (x0, y0): a flood fill
 * with an explicit stack (no recursion on a page-sized blot). */
static GArray *ink_components(const gray_t *g, int x0, int y0, int x1, int y1, int ink)
{
    int w = x1 - x0, h = y1 - y0;
    GArray *boxes = g_array_new(FALSE, FALSE, sizeof(box_t));
    if (w <= 0 || h <= 0)
        return boxes;
    uint8_t *seen = g_new0(uint8_t, (size_t)w * (size_t)h);
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i0 = 0; i0 < w * h; i0++) {
        if (seen[i0] || g->px[(size_t)(y0 + i0 / w) * (size_t)g->w + (size_t)(x0 + i0 % w)] >= ink)
            continue;
        box_t b = {i0 % w, i0 / w, i0 % w, i0 / w};
        seen[i0] = 1;
        g_array_set_size(stack, 0);
        g_array_append_val(stack, i0);
        while (stack->len) {
            int i = g_array_index(stack, int, stack->len - 1);
            g_array_set_size(stack, stack->len - 1);
            int x = i % w, y = i / w;
            b.x0 = MIN(b.x0, x), b.x1 = MAX(b.x1, x), b.y0 = MIN(b.y0, y), b.y1 = MAX(b.y1, y);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx, ny = y + dy, j = ny * w + nx;
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h && !seen[j] &&
                        g->px[(size_t)(y0 + ny) * (size_t)g->w + (size_t)(x0 + nx)] < ink) {
                        seen[j] = 1;
                        g_array_append_val(stack, j);
                    }
                }
        }
        g_array_append_val(boxes, b);
    }
    g_array_free(stack, TRUE);
    g_free(seen);
    return boxes;
}

/* The points and commas of amounts stand at the foot of their digits:
 * upside down, at their head.  Counts, in the middle half of g, the small
 * marks (at most a third of a digit's height either way) between two
 * digits of a line (components narrower than tall, level with each other,
 * within a digit's height of the mark on either side), in the lower third
 * of their height (*low) and in the upper third (*high).  A table's amounts
 * give dozens; the dots of ideographs (氵 讠) are not between two digits. */
static void marks_low_high(const gray_t *g, int *low, int *high)
{
    int X0 = g->w / 4, X1 = g->w - X0, Y0 = g->h / 4, Y1 = g->h - Y0, w = X1 - X0, h = Y1 - Y0;
    *low = *high = 0;
    if (w < 16 || h < 16)
        return;
    GArray *boxes = ink_components(g, X0, Y0, X1, Y1, 128);
    /* glyphs: 5 to 30 points tall, not much wider than tall (no rules) */
    const double k = BPX_OCR_DPI / 72.0;
    int cell = (int)(12 * k), gw = w / cell + 1, gh = h / cell + 1;
    GPtrArray **grid = g_new0(GPtrArray *, (size_t)gw * (size_t)gh);
    for (guint i = 0; i < boxes->len; i++) {
        box_t *b = &g_array_index(boxes, box_t, i);
        int bh = b->y1 - b->y0 + 1, bw = b->x1 - b->x0 + 1;
        if (bh < 5 * k || bh > 30 * k || bw > 2 * bh)
            continue;
        int gx = (b->x0 + b->x1) / 2 / cell, gy = (b->y0 + b->y1) / 2 / cell;
        GPtrArray **slot = &grid[(size_t)gy * (size_t)gw + (size_t)gx];
        if (!*slot)
            *slot = g_ptr_array_new();
        g_ptr_array_add(*slot, b);
    }
    for (guint i = 0; i < boxes->len; i++) {
        const box_t *m = &g_array_index(boxes, box_t, i);
        int mw = m->x1 - m->x0 + 1, mh = m->y1 - m->y0 + 1;
        if (mw < 2 || mh < 2 || mw > 3 * k || mh > 3 * k)
            continue;
        int cx = (m->x0 + m->x1) / 2, cy = (m->y0 + m->y1) / 2, gx = cx / cell, gy = cy / cell;
        const box_t *left = NULL, *right = NULL;
        for (int yy = MAX(0, gy - 2); yy <= MIN(gh - 1, gy + 2); yy++)
            for (int xx = MAX(0, gx - 2); xx <= MIN(gw - 1, gx + 2); xx++) {
                GPtrArray *slot = grid[(size_t)yy * (size_t)gw + (size_t)xx];
                for (guint j = 0; slot && j < slot->len; j++) {
                    const box_t *b = slot->pdata[j];
                    int bh = b->y1 - b->y0 + 1, bw = b->x1 - b->x0 + 1;
                    /* digits: narrow, the mark beside them, within their height */
                    if (5 * bw > 4 * bh || cy < b->y0 || cy > b->y1 || 3 * mh > bh || 3 * mw > bh)
                        continue;
                    if (b->x1 < m->x0 && m->x0 - b->x1 <= bh && (!left || b->x1 > left->x1))
                        left = b;
                    if (b->x0 > m->x1 && b->x0 - m->x1 <= bh && (!right || b->x0 < right->x0))
                        right = b;
                }
            }
        /* between two digits of one line */
        if (!left || !right)
            continue;
        int lh = left->y1 - left->y0 + 1;
        if (5 * abs(left->y0 - right->y0) > lh || 5 * abs(left->y1 - right->y1) > lh)
            continue;
        double r = (double)(cy - left->y0) / lh;
        *low += r > 2.0 / 3;
        *high += r < 1.0 / 3;
    }
    for (int i = 0; i < gw * gh; i++)
        if (grid[i])
            g_ptr_array_free(grid[i], TRUE);
    g_free(grid);
    g_array_free(boxes, TRUE);
}

/* Whether a page whose lines run across stands upside down.  Tesseract's
 * detector is unsure of table pages and sometimes sure and wrong (on the
 * fixtures: upright tables scanned at 100 dpi "upside down" at 2.5 to 3.3,
 * a form upside down "upright" at 6.3); the points of amounts tell
 * better (marks_low_high()) where they are clear: 15 or more at one end
 * of the digits and at most a fifteenth as many at the other.  The dots of
 * some ideographs (氵 讠 in a serif face, between two narrow strokes) look
 * like points at the head of digits, so an upright page of labels may
 * count more at the head than at the foot (Jiangsu 2017: 7 and 25, 2 and
 * 16); then, as when the marks are
 * few, the detector decides on a confident answer (2 or more). */
static gboolean upside_down(bpx_ocr *o, const gray_t *g)
{
    int low = 0, high = 0;
    marks_low_high(g, &low, &high);
    if (MAX(low, high) >= 15 && 15 * MIN(low, high) <= MAX(low, high))
        return high > low;
    TessBaseAPI *osd = osd_engine(o);
    float conf = 0;
    return osd && detect_orientation(osd, g, &conf) == 180 && conf >= 2.0f;
}

/* ------------------------------------------------------------ 6-7: rulings and cells */

static void find_lines(const gray_t *g, bpx_page *out)
{
    double f = BPX_OCR_DPI / BPX_OCR_RULING_DPI;
    int W = (int)(g->w / f), H = (int)(g->h / f);
    uint8_t *ink = g_malloc((size_t)W * (size_t)H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int x0 = (int)(x * f), x1 = MAX(x0 + 1, (int)((x + 1) * f));
            int y0 = (int)(y * f), y1 = MAX(y0 + 1, (int)((y + 1) * f));
            int sum = 0, n = 0;
            for (int yy = y0; yy < MIN(y1, g->h); yy++)
                for (int xx = x0; xx < MIN(x1, g->w); xx++, n++)
                    sum += 255 - g->px[(size_t)yy * (size_t)g->w + (size_t)xx];
            ink[(size_t)y * (size_t)W + (size_t)x] = (uint8_t)(n ? sum / n : 0);
        }
    GArray *h = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    GArray *v = g_array_new(FALSE, FALSE, sizeof(bpx_line));
    out->ruled = bpx_find_rulings_in_ink(ink, W, H, BPX_OCR_RULING_DPI, h, v);
    g_free(ink);
    out->n_hlines = h->len;
    out->n_vlines = v->len;
    out->hlines = (bpx_line *)(void *)g_array_free(h, FALSE);
    out->vlines = (bpx_line *)(void *)g_array_free(v, FALSE);
}

/* Whether line l meets (crosses or touches, within tol points) line m of
 * the other direction. */
static gboolean meets(const bpx_line *l, gboolean l_horizontal, const bpx_line *m, double tol)
{
    const bpx_line *h = l_horizontal ? l : m, *v = l_horizontal ? m : l;
    return v->x0 >= h->x0 - tol && v->x0 <= h->x1 + tol && h->y0 >= v->y0 - tol && h->y0 <= v->y1 + tol;
}

/* Keeps the strokes that are a table's: a rule meets at least two rules
 * across it and is longer than the strokes of a big title's glyphs
 * (BPX_OCR_MIN_RULE_PT), or runs across half the page.  A scan has no text layer to
 * tell glyph strokes by, and a line of print at the ruling resolution
 * still leaves a few runs a stroke long; those meet nothing. */
static void prune_lines(bpx_page *p)
{
    const double tol = 2.0;
    for (int round = 0; round < 3; round++) {
        gboolean hz = round != 1;
        bpx_line *ls = hz ? p->hlines : p->vlines, *other = hz ? p->vlines : p->hlines;
        size_t n = hz ? p->n_hlines : p->n_vlines, n_other = hz ? p->n_vlines : p->n_hlines, kept = 0;
        double across = hz ? p->width : p->height;
        for (size_t i = 0; i < n; i++) {
            double len = hz ? ls[i].x1 - ls[i].x0 : ls[i].y1 - ls[i].y0;
            int met = 0;
            for (size_t j = 0; j < n_other && met < 2; j++)
                met += meets(&ls[i], hz, &other[j], tol);
            if ((met >= 2 && len >= BPX_OCR_MIN_RULE_PT) || len >= 0.5 * across)
                ls[kept++] = ls[i];
        }
        if (hz)
            p->n_hlines = kept;
        else
            p->n_vlines = kept;
    }
}

/* Paints the rules out of g: the dark pixels within `half` points of each. */
static void erase_rulings(gray_t *g, const bpx_page *p, double half)
{
    double k = BPX_OCR_DPI / 72.0;
    for (size_t i = 0; i < p->n_hlines + p->n_vlines; i++) {
        gboolean hz = i < p->n_hlines;
        const bpx_line *l = hz ? &p->hlines[i] : &p->vlines[i - p->n_hlines];
        int x0 = (int)floor((l->x0 - (hz ? 1 : half)) * k), x1 = (int)ceil((l->x1 + (hz ? 1 : half)) * k);
        int y0 = (int)floor((l->y0 - (hz ? half : 1)) * k), y1 = (int)ceil((l->y1 + (hz ? half : 1)) * k);
        for (int y = MAX(0, y0); y <= MIN(g->h - 1, y1); y++)
            for (int x = MAX(0, x0); x <= MIN(g->w - 1, x1); x++)
                g->px[(size_t)y * (size_t)g->w + (size_t)x] = 255;
    }
}

typedef struct {
    int x0, y0, x1, y1; /* points, inclusive */
} cell_t;

static GArray *find_cells(const bpx_page *p)
{
    GArray *cells = g_array_new(FALSE, FALSE, sizeof(cell_t));
    int W = (int)ceil(p->width) + 2, H = (int)ceil(p->height) + 2;
    if (p->n_hlines < 2 || p->n_vlines < 2 || W <= 2 || H <= 2)
        return cells;
    int *map = g_new0(int, (size_t)W * (size_t)H); /* -1 rule, 0 unseen, >0 region */
    const double ext = 3.0;                        /* corners close */
    for (size_t i = 0; i < p->n_hlines + p->n_vlines; i++) {
        gboolean hz = i < p->n_hlines;
        const bpx_line *l = hz ? &p->hlines[i] : &p->vlines[i - p->n_hlines];
        int x0 = (int)floor(l->x0 - (hz ? ext : 0)), x1 = (int)ceil(l->x1 + (hz ? ext : 0));
        int y0 = (int)floor(l->y0 - (hz ? 0 : ext)), y1 = (int)ceil(l->y1 + (hz ? 0 : ext));
        for (int y = MAX(0, y0); y <= MIN(H - 1, y1); y++)
            for (int x = MAX(0, x0); x <= MIN(W - 1, x1); x++)
                map[(size_t)y * (size_t)W + (size_t)x] = -1;
    }
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
    int label = 0;
    for (int y0 = 0; y0 < H; y0++)
        for (int x0 = 0; x0 < W; x0++) {
            if (map[(size_t)y0 * (size_t)W + (size_t)x0])
                continue;
            label++;
            int minx = x0, maxx = x0, miny = y0, maxy = y0;
            long area = 0;
            int start = y0 * W + x0;
            map[start] = label;
            g_array_set_size(stack, 0);
            g_array_append_val(stack, start);
            while (stack->len) {
                int i = g_array_index(stack, int, stack->len - 1);
                g_array_set_size(stack, stack->len - 1);
                int x = i % W, y = i / W;
                area++;
                minx = MIN(minx, x), maxx = MAX(maxx, x), miny = MIN(miny, y), maxy = MAX(maxy, y);
                const int nb[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
                for (int k = 0; k < 4; k++) {
                    int nx = x + nb[k][0], ny = y + nb[k][1];
                    if (nx < 0 || ny < 0 || nx >= W || ny >= H || map[ny * W + nx])
                        continue;
                    map[ny * W + nx] = label;
                    int j = ny * W + nx;
                    g_array_append_val(stack, j);
                }
            }
            long box = (long)(maxx - minx + 1) * (maxy - miny + 1);
            gboolean edge = minx == 0 || miny == 0 || maxx == W - 1 || maxy == H - 1;
            if (!edge && area >= 0.8 * box && maxx - minx >= 5 && maxy - miny >= 5 &&
                box < 0.3 * p->width * p->height) {
                cell_t c = {minx, miny, maxx, maxy};
                g_array_append_val(cells, c);
            }
        }
    g_array_free(stack, TRUE);
    g_free(map);
    return cells;
}

/* ------------------------------------------------------------ 8-10: reading */

static gboolean ascii_numeric(gunichar c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-';
}

static gboolean chinese_numeral(gunichar c)
{
    return c && g_utf8_strchr("一二三四五六七八九十百", -1, c) != NULL;
}

/* An enumeration opening a line, 一、 or 二十三、: the engine, reading the
 * small comma-like 、 on its own, gives a point, comma or colon for it;
 * between a numeral and an ideograph only 、 is printed. */
static void enumeration_mark(GArray *chars, guint from, guint to)
{
    guint i = from;
    while (i < to && chinese_numeral(g_array_index(chars, bpx_char, i).cp))
        i++;
    if (i == from || i + 1 >= to)
        return;
    gunichar c = g_array_index(chars, bpx_char, i).cp, next = g_array_index(chars, bpx_char, i + 1).cp;
    if (next >= 0x3400 && g_utf8_strchr(".,:;'\"`\u00B7\uFF0C\uFF1A\uFF0E\u3002\u2018\u2019\u201C\u201D", -1, c))
        g_array_index(chars, bpx_char, i).cp = 0x3001;
}

/* The recognised symbols of the engine's last Recognize() as bpx_chars
 * (appended to out), their mean confidence in *mean.  Returns how many
 * symbols were read. */
static size_t collect(TessBaseAPI *api, GArray *out, double *mean)
{
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    double k = 72.0 / BPX_OCR_DPI, sum = 0;
    size_t n = 0, line_start = out->len;
    double line_h = 0;
    if (!it) {
        *mean = 0;
        return 0;
    }
    TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
    /* the line's height sizes its characters once the line is complete */
    gboolean all_digits = TRUE;
#define CLOSE_LINE()                                                                                           \
    do {                                                                                                       \
        float fs = (float)(line_h * k / (all_digits ? 0.72 : 1.0));                                            \
        for (guint j = line_start; j < out->len; j++)                                                          \
            g_array_index(out, bpx_char, j).font_size = fs;                                                    \
        enumeration_mark(out, line_start, out->len);                                                           \
    } while (0)
    do {
        if (TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE)) {
            CLOSE_LINE();
            line_start = out->len;
            all_digits = TRUE;
            int l, t, r, b;
            line_h = TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &l, &t, &r, &b) ? b - t : 0;
        }
        char *text = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
        int l, t, r, b;
        if (text && g_utf8_validate(text, -1, NULL) && TessPageIteratorBoundingBox(pit, RIL_SYMBOL, &l, &t, &r, &b)) {
            float conf = TessResultIteratorConfidence(it, RIL_SYMBOL);
            glong len = g_utf8_strlen(text, -1);
            const char *s = text;
            for (glong i = 0; i < len; i++, s = g_utf8_next_char(s)) {
                gunichar cp = g_utf8_get_char(s);
                if (g_unichar_isspace(cp))
                    continue;
                all_digits = all_digits && ascii_numeric(cp);
                bpx_char c = {0};
                c.cp = cp;
                double w = (double)(r - l) / (double)len;
                c.box = (bpx_rect){(l + w * (double)i) * k, t * k, (l + w * (double)(i + 1)) * k, b * k};
                c.dir = BPX_DIR_HORIZONTAL;
                c.ocr_conf = (uint8_t)CLAMP(lroundf(conf), 1, 100);
                g_array_append_val(out, c);
                sum += conf;
                n++;
            }
        }
        TessDeleteText(text);
    } while (TessResultIteratorNext(it, RIL_SYMBOL));
    CLOSE_LINE();
#undef CLOSE_LINE
    TessResultIteratorDelete(it);
    *mean = n ? sum / (double)n : 0;
    return n;
}

/* Where the print in a rectangle lies: the box of its glyphs, components
 * of dark pixels at least min_extent pixels wide or tall (dust and the
 * stubs of erased rules are smaller), widened by a third of their height
 * each way so that a point or a comma beside them is in.  FALSE when the
 * rectangle holds no glyph. */
static gboolean glyph_box_at(const gray_t *g, int x0, int y0, int x1, int y1, int min_extent, int ink, const int *near,
                             int box[4])
{
    int w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0)
        return FALSE;
    GArray *boxes = ink_components(g, x0, y0, x1, y1, ink);
    gboolean found = FALSE;
    int bx0 = w, by0 = h, bx1 = -1, by1 = -1;
    for (guint i = 0; i < boxes->len; i++) {
        const box_t *c = &g_array_index(boxes, box_t, i);
        gboolean by = !near || (c->x0 + x0 <= near[2] && c->x1 + x0 >= near[0] && c->y0 + y0 <= near[3] &&
                                c->y1 + y0 >= near[1]);
        if (by && (c->x1 - c->x0 + 1 >= min_extent || c->y1 - c->y0 + 1 >= min_extent)) {
            found = TRUE;
            bx0 = MIN(bx0, c->x0), by0 = MIN(by0, c->y0), bx1 = MAX(bx1, c->x1), by1 = MAX(by1, c->y1);
        }
    }
    g_array_free(boxes, TRUE);
    if (found) {
        int m = (by1 - by0 + 1) / 3 + 2;
        box[0] = MAX(0, bx0 - m) + x0, box[1] = MAX(0, by0 - m) + y0;
        box[2] = MIN(w, bx1 + 1 + m) + x0, box[3] = MIN(h, by1 + 1 + m) + y0;
    }
    return found;
}

/* glyph_box_at() with print darker than 128; then glyph-sized components of
 * paler print (BPX_OCR_GLYPH_INK) within a line's height beside that box
 * join it: the thin strokes of a small serif face (一、 二、) come out grey
 * once the image is turned straight and fall apart at 128, while the
 * engine, thresholding by itself, reads them.  Pale components farther
 * off are dust blurred bigger, and stay out. */
static gboolean glyph_box(const gray_t *g, int x0, int y0, int x1, int y1, int min_extent, int box[4])
{
    if (!glyph_box_at(g, x0, y0, x1, y1, min_extent, 128, NULL, box))
        return FALSE;
    int near[4] = {box[0] - (box[3] - box[1]), box[1], box[2] + (box[3] - box[1]), box[3]}, pale[4];
    if (glyph_box_at(g, x0, y0, x1, y1, min_extent, BPX_OCR_GLYPH_INK, near, pale)) {
        box[0] = MIN(box[0], pale[0]), box[2] = MAX(box[2], pale[2]);
    }
    return TRUE;
}

/* The lines of print in a rectangle, as pairs of rows [y0, y1) widened by
 * a quarter of their height (up to the middle of the gap to the next):
 * bands of rows with dark pixels, split at a blank row or a faint one; a
 * band lower than min_h (a stray mark, the tail of a comma)
 * joins the nearest band. */
static GArray *text_lines(const gray_t *g, int x0, int y0, int x1, int y1, int min_h)
{
    GArray *bands = g_array_new(FALSE, FALSE, sizeof(int) * 2);
    int *dark = g_new0(int, (size_t)(y1 - y0 + 1)); /* dark pixels per row */
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            dark[y - y0] += g->px[(size_t)y * (size_t)g->w + (size_t)x] < 128;
    int start = -1;
    for (int y = y0; y <= y1; y++) {
        gboolean ink = dark[y - y0] > 0;
        if (ink && start < 0)
            start = y;
        if (!ink && start >= 0) {
            int b[2] = {start, y};
            g_array_append_val(bands, b);
            start = -1;
        }
    }
    /* lines set close, joined by a speck or a low stroke between them: a
     * band is cut at its faintest row when that row holds under 5% of the
     * ink of the band's darkest row and leaves twice min_h or more on
     * either side (a line of print is not as tall as two such parts) */
    for (guint i = 0; i < bands->len; i++) {
        int *b = &g_array_index(bands, int, 2 * i), top = b[0], bottom = b[1], most = 0, cut = -1;
        for (int y = top; y < bottom; y++)
            most = MAX(most, dark[y - y0]);
        for (int y = top + 2 * min_h; y < bottom - 2 * min_h; y++)
            if (20 * dark[y - y0] < most && (cut < 0 || dark[y - y0] < dark[cut - y0]))
                cut = y;
        if (cut < 0)
            continue;
        int rest[2] = {cut + 1, bottom};
        b[1] = cut;
        g_array_insert_val(bands, i + 1, rest);
        i--; /* the upper part again */
    }
    g_free(dark);
    /* low bands join their nearest neighbour */
    for (guint i = 0; i < bands->len && bands->len > 1;) {
        int *b = &g_array_index(bands, int, 2 * i);
        if (b[1] - b[0] >= min_h) {
            i++;
            continue;
        }
        int up = i > 0 ? b[0] - g_array_index(bands, int, 2 * (i - 1) + 1) : G_MAXINT;
        int down = i + 1 < bands->len ? g_array_index(bands, int, 2 * (i + 1)) - b[1] : G_MAXINT;
        if (up <= down) {
            g_array_index(bands, int, 2 * (i - 1) + 1) = b[1];
        } else {
            g_array_index(bands, int, 2 * (i + 1)) = b[0];
        }
        g_array_remove_index(bands, i);
    }
    /* widened, but not past the middle of the gap to the next line: the
     * foot of the line above, read with a short line under it, comes out
     * as a row of marks ("ww、一:一一一") */
    int prev_end = y0;
    for (guint i = 0; i < bands->len; i++) {
        int *b = &g_array_index(bands, int, 2 * i);
        int m = (b[1] - b[0]) / 4 + 1;
        int next = i + 1 < bands->len ? g_array_index(bands, int, 2 * (i + 1)) : y1 + 2 * m;
        int top = MAX(MAX(y0, b[0] - m), prev_end), bottom = MIN(MIN(y1, b[1] + m), (b[1] + next + 1) / 2);
        prev_end = bottom;
        b[0] = top, b[1] = bottom;
    }
    return bands;
}

/* Marks a scan leaves at a cell's ends: the stubs of rules, dust read as a
 * point or a quote.  Brackets and a minus are print, and so are the marks
 * of an indicator's value ("≥98%", "100%", "≤5‰"): a speck is never read
 * as one of them, but trimmed they change what the value says. */
static gboolean stray_mark(gunichar c)
{
    return c != '-' && c != '(' && c != ')' && c != 0xFF08 && c != 0xFF09 && c != '%' && c != 0xFF05 &&
           c != 0x2030 && c != 0x2265 && c != 0x2264 && c != '>' && c != '<' && c != 0xFF1E && c != 0xFF1C &&
           (g_unichar_ispunct(c) || c == '|' || c == '~' || c == '`' || c == '^');
}

/* Whether chars[from, to) spell an amount: -1,234.56 or 1234.56 or 12. */
static gboolean spells_amount(const GArray *chars, guint from, guint to)
{
    GString *s = g_string_new(NULL);
    for (guint i = from; i < to; i++)
        g_string_append_unichar(s, g_array_index(chars, bpx_char, i).cp);
    gboolean ok = g_regex_match_simple("^-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?$", s->str, 0, 0);
    g_string_free(s, TRUE);
    return ok;
}

/* Whether chars[first, len), stray marks trimmed, spell a share: an
 * amount after an optional comparison sign, then a per cent sign. */
static gboolean spells_share(const GArray *chars, guint first)
{
    GString *s = g_string_new(NULL);
    for (guint i = first; i < chars->len; i++)
        g_string_append_unichar(s, g_array_index(chars, bpx_char, i).cp);
    gboolean ok = g_regex_match_simple("^[^0-9%]?[≥≤<>]?[0-9]+(\\.[0-9]+)?[%％][^0-9%]?$", s->str, 0, 0);
    g_string_free(s, TRUE);
    return ok;
}

static void trim_strays(GArray *chars, guint first)
{
    /* a dash ends no label or amount: dust; but a full stop 。 after an
     * ideograph ends a sentence (a remark: "区域联动框架协议。") */
    while (chars->len > first && (stray_mark(g_array_index(chars, bpx_char, chars->len - 1).cp) ||
                                  g_array_index(chars, bpx_char, chars->len - 1).cp == '-')) {
        if (chars->len > first + 1 && g_array_index(chars, bpx_char, chars->len - 1).cp == 0x3002 &&
            ideograph(g_array_index(chars, bpx_char, chars->len - 2).cp))
            break;
        g_array_set_size(chars, chars->len - 1);
    }
    /* a minus stands against its digits, halfway up them, a bar wider
     * than tall and half a digit wide or more; one a glyph's width off,
     * above or below their middle, or a dot (0.3 by 0.7 points before
     * digits 4.6 wide) is dust */
    if (chars->len > first + 1 && g_array_index(chars, bpx_char, first).cp == '-') {
        const bpx_char *m = &g_array_index(chars, bpx_char, first), *d = &g_array_index(chars, bpx_char, first + 1);
        double h = d->box.y1 - d->box.y0, mid = (m->box.y0 + m->box.y1) / 2, mw = m->box.x1 - m->box.x0;
        if (g_unichar_isdigit(d->cp) &&
            (d->box.x0 - m->box.x1 > 0.6 * h || mid < d->box.y0 + 0.25 * h || mid > d->box.y1 - 0.25 * h ||
             mw < m->box.y1 - m->box.y0 || mw < 0.35 * (d->box.x1 - d->box.x0)))
            g_array_remove_index(chars, first);
    }
    guint lead = first;
    while (lead < chars->len && stray_mark(g_array_index(chars, bpx_char, lead).cp))
        lead++;
    if (lead > first)
        g_array_remove_range(chars, first, lead - first);
}

/* A mark between the digits of an amount that is no digit, with one or
 * two digits after it, where a point stands in a printed amount: the
 * point read as a colon or comma (at 200 dpi a point is a few pixels). */
static gboolean decimal_lookalike(gunichar c)
{
    return c == ':' || c == 0xFF1A || c == ',' || c == 0xFF0C || c == 0x3002 || c == ';' || c == 0xFF1B ||
           c == 0x00B7 || c == '\'' || c == '`' || c == 0xFF0E;
}

/* Letters read for digits in an amount: a thin 1 as I, l, T or a bar, a 0 as
 * O.  Only in a reading that is digits and amount marks but for them. */
static void digit_lookalikes(GArray *chars, guint first)
{
    guint letters = 0;
    for (guint i = first; i < chars->len; i++) {
        gunichar c = g_array_index(chars, bpx_char, i).cp;
        if (g_utf8_strchr("IlT|![]O", -1, c) || c == 0x4E28)
            letters++;
        else if (!g_unichar_isdigit(c) && c != '.' && c != ',' && c != '-' && !decimal_lookalike(c))
            return;
    }
    if (letters == 0 || letters * 3 > chars->len - first)
        return;
    for (guint i = first; i < chars->len; i++) {
        gunichar *c = &g_array_index(chars, bpx_char, i).cp;
        if (*c == 'O')
            *c = '0';
        else if (g_utf8_strchr("IlT|![]", -1, *c) || *c == 0x4E28)
            *c = '1';
    }
}

static void point_lookalike(GArray *chars, guint first)
{
    /* two marks side by side between digits, where an amount has one: a
     * point read twice ("2,000..39"), or a thin 1 read as a point beside a
     * comma ("2,.144.60").  One mark stays: a separator when a point
     * follows further on, else the point. */
    for (guint i = first + 2; i + 1 < chars->len; i++) {
        bpx_char *a = &g_array_index(chars, bpx_char, i - 1);
        const bpx_char *b = &g_array_index(chars, bpx_char, i);
        if (!g_unichar_isdigit(g_array_index(chars, bpx_char, i - 2).cp) ||
            !g_unichar_isdigit(g_array_index(chars, bpx_char, i + 1).cp) ||
            !(a->cp == '.' || decimal_lookalike(a->cp)) || !(b->cp == '.' || decimal_lookalike(b->cp)))
            continue;
        gboolean later = FALSE;
        for (guint j = i + 1; j < chars->len; j++)
            later = later || g_array_index(chars, bpx_char, j).cp == '.' || decimal_lookalike(g_array_index(chars, bpx_char, j).cp);
        a->box.x1 = MAX(a->box.x1, b->box.x1);
        a->cp = later ? ',' : '.';
        g_array_remove_index(chars, i);
    }
    /* the last mark, with one or two digits after it and only thousands
     * separators before it ("6,106:99", "1,856,69") */
    guint n = chars->len - first, at = 0, marks = 0, seps = 0;
    for (guint i = first; i < chars->len; i++) {
        gunichar c = g_array_index(chars, bpx_char, i).cp;
        if (!(c >= '0' && c <= '9'))
            marks++, at = i, seps += c == ',' || c == 0xFF0C;
    }
    gunichar last = marks ? g_array_index(chars, bpx_char, at).cp : 0;
    gboolean others_seps = marks && seps - (last == ',' || last == 0xFF0C) == marks - 1;
    if (marks >= 1 && others_seps && at > first && (chars->len - at == 2 || chars->len - at == 3) && n >= 3 &&
        decimal_lookalike(last))
        g_array_index(chars, bpx_char, at).cp = '.';
}

/* Recognises the rectangle [x0, x1) x [y0, y1) of g with page segmentation
 * psm, the symbols appended to out in the page's frame; returns how many.
 * The engine is given a copy with a white margin half the rectangle's
 * height (at least 8 pixels): a glyph touching the edge of the image it
 * reads, as print set against a cell's rule is once the rule is erased,
 * is dropped or misread ("住房公积金" read as nothing).  With threshold
 * above 0 the copy is black and white, pixels darker than it black. */
static size_t read_padded(TessBaseAPI *api, const gray_t *g, int x0, int y0, int x1, int y1, int psm, int threshold,
                          GArray *out, double *mean)
{
    if (x1 <= x0 || y1 <= y0)
        return 0;
    int pad = MAX(8, (y1 - y0) / 2), w = x1 - x0 + 2 * pad, h = y1 - y0 + 2 * pad;
    uint8_t *buf = g_malloc((size_t)w * (size_t)h);
    memset(buf, 255, (size_t)w * (size_t)h);
    for (int y = y0; y < y1; y++)
        memcpy(buf + (size_t)(y - y0 + pad) * (size_t)w + (size_t)pad, g->px + (size_t)y * (size_t)g->w + (size_t)x0,
               (size_t)(x1 - x0));
    for (size_t i = 0; threshold > 0 && i < (size_t)w * (size_t)h; i++)
        buf[i] = buf[i] < threshold ? 0 : 255;
    TessBaseAPISetImage(api, buf, w, h, 1, w);
    TessBaseAPISetSourceResolution(api, (int)BPX_OCR_DPI);
    TessBaseAPISetPageSegMode(api, psm);
    guint from = out->len;
    size_t n = TessBaseAPIRecognize(api, NULL) == 0 ? collect(api, out, mean) : 0;
    double k = 72.0 / BPX_OCR_DPI, dx = (x0 - pad) * k, dy = (y0 - pad) * k;
    for (guint i = from; i < out->len; i++) { /* the copy's frame to the page's */
        bpx_rect *r = &g_array_index(out, bpx_char, i).box;
        r->x0 += dx, r->x1 += dx, r->y0 += dy, r->y1 += dy;
    }
    g_free(buf);
    return n;
}

/* ------------------------------------------------------------ alternatives */

/* The symbols of the engine's last Recognize(), appended to out, each with
 * the other digits the choice iterator offered for it (lstm_choice_mode 2:
 * the characters the network gave some weight at that symbol). */
static void symbol_choices(TessBaseAPI *api, GArray *out)
{
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (!it)
        return;
    do {
        char *text = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
        if (text && *text && g_utf8_validate(text, -1, NULL)) {
            symbol_choice_t sc = {.best = g_utf8_get_char(text)};
            size_t n = 0;
            TessChoiceIterator *ci = TessResultIteratorGetChoiceIterator(it);
            if (ci) {
                do {
                    const char *alt = TessChoiceIteratorGetUTF8Text(ci);
                    if (alt && alt[0] >= '0' && alt[0] <= '9' && !alt[1] && (gunichar)alt[0] != sc.best &&
                        !strchr(sc.alts, alt[0]) && n < 10)
                        sc.alts[n++] = alt[0];
                } while (TessChoiceIteratorNext(ci));
                TessChoiceIteratorDelete(ci);
            }
            if (!g_unichar_isspace(sc.best))
                g_array_append_val(out, sc);
        }
        TessDeleteText(text);
    } while (TessResultIteratorNext(it, RIL_SYMBOL));
    TessResultIteratorDelete(it);
}

static char *chars_text(const GArray *chars, guint from, guint to)
{
    GString *s = g_string_new(NULL);
    for (guint i = from; i < to; i++)
        g_string_append_unichar(s, g_array_index(chars, bpx_char, i).cp);
    return g_string_free(s, FALSE);
}

/* Adds to alts the readings that differ from `kept` in one digit, where a
 * pass's symbols (choices) spell the same digits as kept: the k-th digit of
 * kept is the k-th digit symbol of the pass (read_cell trims marks and
 * turns a mark into a point, never a digit). */
static void one_digit_alternatives(const char *kept, const GArray *choices, GPtrArray *alts)
{
    guint digits = 0, k = 0;
    for (const char *p = kept; *p; p++)
        digits += *p >= '0' && *p <= '9';
    for (guint i = 0; i < choices->len; i++)
        k += g_array_index(choices, symbol_choice_t, i).best >= '0' && g_array_index(choices, symbol_choice_t, i).best <= '9';
    if (k != digits || !digits)
        return;
    k = 0;
    for (guint i = 0; i < choices->len; i++) {
        const symbol_choice_t *sc = &g_array_index(choices, symbol_choice_t, i);
        if (sc->best < '0' || sc->best > '9')
            continue;
        /* the k-th digit of kept */
        const char *p = kept;
        for (guint seen = 0;; p++)
            if (*p >= '0' && *p <= '9' && seen++ == k)
                break;
        if ((gunichar)*p != sc->best)
            return; /* the pass spells other digits */
        for (const char *a = sc->alts; *a; a++) {
            char *alt = g_strdup(kept);
            alt[p - kept] = *a;
            g_ptr_array_add(alts, alt);
        }
        k++;
    }
}

/* Records the amount read_cell() kept (chars[first, end)) as a reading in
 * readings (bpx_ocr_reading), with the others the engine offered: the
 * other pass's whole reading, and one digit changed
 * (one_digit_alternatives, from the pass it came from). */
static void note_reading(bpx_ocr *o, const GArray *chars, guint first, GArray *readings)
{
    if (chars->len <= first || !spells_amount(chars, first, chars->len))
        return;
    char *kept = chars_text(chars, first, chars->len);
    GPtrArray *alts = g_ptr_array_new_with_free_func(g_free);
    /* the other pass first: the cap below must not cut it off */
    if (o->reading_first)
        g_ptr_array_add(alts, g_strdup(o->reading_first));
    if (o->reading_digits)
        g_ptr_array_add(alts, g_strdup(o->reading_digits));
    one_digit_alternatives(kept, o->choices_first, alts);
    one_digit_alternatives(kept, o->choices_digits, alts);
    /* distinct, none the kept one, at most BPX_OCR_MAX_ALTERNATIVES */
    GPtrArray *keep = g_ptr_array_new();
    for (guint i = 0; i < alts->len && keep->len < BPX_OCR_MAX_ALTERNATIVES; i++) {
        const char *a = alts->pdata[i];
        gboolean dup = strcmp(a, kept) == 0;
        for (guint j = 0; j < keep->len && !dup; j++)
            dup = strcmp(a, keep->pdata[j]) == 0;
        if (!dup)
            g_ptr_array_add(keep, g_strdup(a));
    }
    g_ptr_array_unref(alts);
    g_ptr_array_add(keep, NULL);
    bpx_ocr_reading r = {.text = kept, .alternatives = (char **)g_ptr_array_free(keep, FALSE)};
    r.box = g_array_index(chars, bpx_char, first).box;
    for (guint i = first + 1; i < chars->len; i++) {
        const bpx_rect *b = &g_array_index(chars, bpx_char, i).box;
        r.box.x0 = MIN(r.box.x0, b->x0), r.box.y0 = MIN(r.box.y0, b->y0);
        r.box.x1 = MAX(r.box.x1, b->x1), r.box.y1 = MAX(r.box.y1, b->y1);
    }
    g_array_append_val(readings, r);
}

void bpx_ocr_readings_free(bpx_ocr_reading *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_free(r[i].text);
        g_strfreev(r[i].alternatives);
    }
    g_free(r);
}

/* Digits read where the image has none.  Each digit of an amount is a
 * glyph of its own, as tall as the line: the tall ink components of the
 * cell's print (at least 0.75 of the tallest: a scratch half as tall is
 * none) are its digits (a wide one,
 * two digits touching, counts as many as it is digit widths wide).  When
 * chars[first, len) (one line, an amount with a decimal point) holds more digits than that, the surplus
 * goes: first digits whose box stands over no digit glyph (a speck read
 * as a 4 or a 1 before the amount, "4100" for 100), then, of two digits
 * read over one glyph whose boxes overlap by half the narrower (the
 * engine's line model now and then emits two characters for one:
 * "1170.00" for 110.00, "385.00" for 85.00), the one whose box covers
 * less of the glyph.  Only one digit too many is mended, and only when
 * at most one digit stands over no glyph: the digits of a blurred scan
 * run together or fade, and their count says nothing.  Returns how many
 * went. */
/* How many digits a glyph digit_w wide stands for: two touching are about
 * twice as wide, a broad 0 or 4 a little wider than the median. */
static guint glyph_digits(const box_t *b, int digit_w)
{
    return (guint)MAX(1, lround((double)(b->x1 - b->x0 + 1) / MAX(1, digit_w) - 0.3));
}

static guint surplus_digits(const gray_t *g, int x0, int y0, int x1, int y1, GArray *chars, guint first)
{
    double k = BPX_OCR_DPI / 72.0;
    guint digits = 0, removed = 0, points = 0;
    for (guint i = first; i < chars->len; i++) {
        digits += g_unichar_isdigit(g_array_index(chars, bpx_char, i).cp);
        points += g_array_index(chars, bpx_char, i).cp == '.';
    }
    if (digits < 2 || points != 1)
        return 0; /* an amount with its decimals: a code's digits may touch (201 read as one glyph and 1) */
    /* the glyphs: runs of columns holding print, and the rows that print
     * spans in them (a glyph broken at the threshold stays one) */
    GArray *tall = g_array_new(FALSE, FALSE, sizeof(box_t));
    int tallest = 0;
    box_t run = {-1, 0, 0, 0};
    for (int x = x0; x <= x1; x++) {
        int top = -1, bottom = -1;
        for (int y = y0; x < x1 && y < y1; y++)
            if (g->px[(size_t)y * (size_t)g->w + (size_t)x] < 128) {
                if (top < 0)
                    top = y;
                bottom = y;
            }
        if (top >= 0 && run.x0 < 0)
            run = (box_t){x, top, x, bottom};
        else if (top >= 0)
            run.x1 = x, run.y0 = MIN(run.y0, top), run.y1 = MAX(run.y1, bottom);
        else if (run.x0 >= 0) {
            g_array_append_val(tall, run);
            tallest = MAX(tallest, run.y1 - run.y0 + 1);
            run.x0 = -1;
        }
    }
    for (guint i = 0; i < tall->len; i++) {
        const box_t *b = &g_array_index(tall, box_t, i);
        if (b->y1 - b->y0 + 1 < 0.75 * tallest || tallest < 2.0 * k)
            g_array_remove_index(tall, i--);
    }
    /* a digit's width: the median glyph's */
    int *widths = g_new(int, tall->len + 1);
    for (guint i = 0; i < tall->len; i++)
        widths[i] = g_array_index(tall, box_t, i).x1 - g_array_index(tall, box_t, i).x0 + 1;
    for (guint i = 1; i < tall->len; i++)
        for (guint j = i; j > 0 && widths[j] < widths[j - 1]; j--) {
            int t = widths[j];
            widths[j] = widths[j - 1], widths[j - 1] = t;
        }
    int digit_w = tall->len ? widths[tall->len / 2] : 0;
    g_free(widths);
    guint glyphs = 0;
    for (guint i = 0; i < tall->len; i++)
        glyphs += glyph_digits(&g_array_index(tall, box_t, i), digit_w);
    /* one digit too many, and at most one standing over no glyph (a blurred
     * scan whose digits run together, or are paler than its darkest mark,
     * has many): the glyph under each digit is the one its box overlaps
     * most */
    guint unmatched = 0;
    for (guint i = first; i < chars->len; i++) {
        const bpx_char *c = &g_array_index(chars, bpx_char, i);
        gboolean over = FALSE;
        for (guint j = 0; j < tall->len && g_unichar_isdigit(c->cp) && !over; j++)
            over = MIN(c->box.x1 * k, g_array_index(tall, box_t, j).x1 + 1.0) - MAX(c->box.x0 * k, (double)g_array_index(tall, box_t, j).x0) > 0;
        unmatched += g_unichar_isdigit(c->cp) && !over;
    }
    for (int round = 0; round < 2 && digits == glyphs + 1 && unmatched <= 1 && tall->len; round++) {
        int prev = -2; /* the glyph under the digit read before, at prev_at */
        guint prev_at = 0;
        double prev_cover = 0;
        for (guint i = first; i < chars->len && digits > glyphs; i++) {
            const bpx_char *c = &g_array_index(chars, bpx_char, i);
            if (!g_unichar_isdigit(c->cp))
                continue;
            double cx0 = c->box.x0 * k, cx1 = c->box.x1 * k, best = 0;
            int under = -1;
            for (guint j = 0; j < tall->len; j++) {
                const box_t *b = &g_array_index(tall, box_t, j);
                double over = MIN(cx1, b->x1 + 1.0) - MAX(cx0, (double)b->x0);
                if (over > best)
                    best = over, under = (int)j;
            }
            double cover = under >= 0 ? best / (g_array_index(tall, box_t, under).x1 - g_array_index(tall, box_t, under).x0 + 1) : 0;
            gboolean drop = FALSE;
            if (round == 0 && under < 0) {
                /* over no glyph but over dark print narrower than half a
                 * digit: a speck or a scratch (a digit faded or broken by a
                 * blurred scan is as wide as a digit, and stays) */
                int cols = 0;
                for (int x = MAX(x0, (int)cx0); x < MIN(x1, (int)ceil(cx1)); x++) {
                    gboolean dark = FALSE;
                    for (int y = y0; y < y1 && !dark; y++)
                        dark = g->px[(size_t)y * (size_t)g->w + (size_t)x] < 128;
                    cols += dark;
                }
                drop = cols > 0 && 2 * cols < digit_w;
            } else if (round == 1 && under >= 0 && under == prev &&
                       glyph_digits(&g_array_index(tall, box_t, under), digit_w) == 1 &&
                       MIN(c->box.x1, g_array_index(chars, bpx_char, prev_at).box.x1) -
                               MAX(c->box.x0, g_array_index(chars, bpx_char, prev_at).box.x0) >
                           0.5 * MIN(c->box.x1 - c->box.x0, g_array_index(chars, bpx_char, prev_at).box.x1 -
                                                                g_array_index(chars, bpx_char, prev_at).box.x0)) {
                if (cover <= prev_cover) {
                    drop = TRUE; /* the second reading of the glyph, covering less */
                } else {
                    g_array_remove_index(chars, prev_at); /* the first, covering less */
                    i--;
                    prev_at = i;
                    digits--, removed++;
                    prev_cover = cover;
                    continue;
                }
            }
            if (drop) {
                g_array_remove_index(chars, i);
                i--;
                digits--, removed++;
                continue;
            }
            prev = under, prev_at = i, prev_cover = cover;
        }
    }
    g_array_free(tall, TRUE);
    return removed;
}

/* A code headed by a capital letter (a procurement catalogue's A02010104,
 * C17010200): the Chinese model reads its letter but now and then its 0 as
 * O, twice ("A0O2021001"); the digits pass reads the digits but drops the
 * letter or reads it as a digit (A as 4).  So when the first reading of
 * chars[first, len) is a capital letter that looks like no digit followed
 * by digits (O read for 0 allowed; marks after them are dust), the
 * letter is kept and the digits are the digits pass's reading of the cell [x0, x1) x [y0, y1): in front of
 * them, or in place of a first digit boxed where the letter stands.
 * Returns FALSE, chars unchanged, when the reading is no such code or the
 * digits pass spells no string of digits. */
static gboolean letter_code(bpx_ocr *o, const gray_t *g, int x0, int y0, int x1, int y1, GArray *chars, guint first)
{
    guint end = chars->len, digits = 0;
    while (end > first && (stray_mark(g_array_index(chars, bpx_char, end - 1).cp) ||
                           g_array_index(chars, bpx_char, end - 1).cp == '-'))
        end--; /* dust after it */
    guint n = end - first;
    const bpx_char *lead = &g_array_index(chars, bpx_char, first);
    if (n < 5 || lead->cp < 'A' || lead->cp > 'Z' || strchr("DGIOSTZ", (int)lead->cp))
        return FALSE;
    for (guint i = first + 1; i < end; i++) {
        gunichar c = g_array_index(chars, bpx_char, i).cp;
        if (c >= '0' && c <= '9')
            digits++;
        else if (c != 'O')
            return FALSE;
    }
    TessBaseAPI *dg = digits_engine(o);
    if (digits < 3 || !dg)
        return FALSE;
    GArray *again = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    double mean = 0;
    gboolean ok = read_padded(dg, g, x0, y0, x1, y1, PSM_SINGLE_LINE, 0, again, &mean) >= 3;
    TessBaseAPIClear(dg);
    trim_strays(again, 0);
    ok = ok && again->len >= 3;
    for (guint i = 0; ok && i < again->len; i++)
        ok = g_array_index(again, bpx_char, i).cp >= '0' && g_array_index(again, bpx_char, i).cp <= '9';
    if (ok) {
        bpx_char letter = *lead;
        const bpx_rect *d = &g_array_index(again, bpx_char, 0).box;
        /* the letter read as a digit: one digit more than the first
         * reading has, or a first digit boxed where the letter ends */
        double lw = letter.box.x1 - letter.box.x0;
        if (again->len == n || d->x1 <= letter.box.x1 + 0.25 * lw)
            g_array_remove_index(again, 0); /* the letter read as a digit */
        g_array_set_size(chars, first);
        g_array_append_val(chars, letter);
        g_array_append_vals(chars, again->data, again->len);
    }
    g_array_free(again, TRUE);
    return ok;
}

/* The thresholds a line of print the engine read as nothing is made black
 * and white at, in turn, until it reads: thin grey strokes of a small
 * serif face vanish in the engine's own thresholding, and a speck beside
 * them can tip 160 (差旅费 on a scanned Jiangsu page: nothing at 160,
 * read at 128). */
static const int BLANK_LINE_THRESHOLDS[] = {160, 128, 100};

static void read_cell(bpx_ocr *o, TessBaseAPI *api, const gray_t *g, const cell_t *c, GArray *chars)
{
    g_array_set_size(o->choices_first, 0);
    g_array_set_size(o->choices_digits, 0);
    g_clear_pointer(&o->reading_first, g_free);
    g_clear_pointer(&o->reading_digits, g_free);
    double k = BPX_OCR_DPI / 72.0;
    /* the cell's map (one pixel per point, each rule two pixels wide)
     * starts a point and a half past the rule's middle: print set close to
     * its rule ("二、政府性…" against the left one) would lose its first
     * strokes, and the engine drops a glyph cut at the crop's edge.  The
     * rules are erased, so the crop reaches to within half a point of
     * their middles, short of print touching the rule from the other side. */
    const double reach = 1.5;
    int x0 = (int)floor((c->x0 + 0.5 - reach) * k), y0 = (int)floor((c->y0 + 0.5 - reach) * k);
    int x1 = (int)ceil((c->x1 + 0.5 + reach) * k), y1 = (int)ceil((c->y1 + 0.5 + reach) * k);
    x0 = MAX(0, x0), y0 = MAX(0, y0), x1 = MIN(g->w, x1), y1 = MIN(g->h, y1);
    int box[4];
    if (x1 - x0 < 8 || y1 - y0 < 8 || !glyph_box(g, x0, y0, x1, y1, (int)(3.0 * k), box))
        return;
    x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
    /* line by line: a wrapped label as one block comes out as Latin
     * nonsense now and then (a long first line over a short second) */
    guint first = chars->len;
    double mean = 0;
    GArray *lines = text_lines(g, x0, y0, x1, y1, (int)(3.0 * k));
    for (guint i = 0; i < lines->len; i++) {
        const int *l = &g_array_index(lines, int, 2 * i);
        if (l[1] - l[0] < 4 || x1 - x0 < 4)
            continue;
        if (read_padded(api, g, x0, l[0], x1, l[1], PSM_SINGLE_LINE, 0, chars, &mean) == 0) {
            /* a line of one glyph (the last ideograph of a wrapped label)
             * is not a line to the engine; a line of thin grey strokes
             * (a small serif face) may read as nothing until it is made
             * black and white (差旅费) */
            int lb[4];
            if (glyph_box(g, x0, l[0], x1, l[1], (int)(3.0 * k), lb) && lb[2] - lb[0] < 2 * (l[1] - l[0]))
                read_padded(api, g, lb[0], lb[1], lb[2], lb[3], PSM_SINGLE_CHAR, 0, chars, &mean);
            else
                for (int th = 0; th < (int)G_N_ELEMENTS(BLANK_LINE_THRESHOLDS); th++)
                    if (read_padded(api, g, x0, l[0], x1, l[1], PSM_SINGLE_LINE, BLANK_LINE_THRESHOLDS[th], chars,
                                    &mean))
                        break;
        }
        symbol_choices(api, o->choices_first); /* of the line's last reading */
    }
    guint lines_read = lines->len;
    g_array_free(lines, TRUE);
    size_t n = chars->len - first, digits = 0, ideographs = 0;
    for (guint i = first; i < chars->len; i++) {
        gunichar cp = g_array_index(chars, bpx_char, i).cp;
        digits += g_unichar_isdigit(cp);
        ideographs += cp >= 0x2E80;
    }
    if (n == 1 && ideographs == 1) {
        /* one ideograph, narrow: ideographs are square, so it is a digit
         * misread (a column number 1 read as 工), if the digits engine
         * reads one there */
        bpx_char *one = &g_array_index(chars, bpx_char, first);
        TessBaseAPI *dg = one->box.x1 - one->box.x0 < 0.8 * (one->box.y1 - one->box.y0) ? digits_engine(o) : NULL;
        GArray *digit = g_array_new(FALSE, FALSE, sizeof(bpx_char));
        double m = 0;
        if (dg && read_padded(dg, g, x0, y0, x1, y1, PSM_SINGLE_CHAR, 0, digit, &m) == 1 &&
            g_unichar_isdigit(g_array_index(digit, bpx_char, 0).cp))
            one->cp = g_array_index(digit, bpx_char, 0).cp;
        if (dg)
            TessBaseAPIClear(dg);
        g_array_free(digit, TRUE);
    }
    if (n == 0 || digits * 2 < n || ideographs) {
        trim_strays(chars, first);
        return;
    }
    if (letter_code(o, g, x0, y0, x1, y1, chars, first))
        return;
    if (lines_read == 1)
        surplus_digits(g, x0, y0, x1, y1, chars, first);
    /* mostly digits: an amount.  As read, it may carry marks at its ends
     * (a thin 1 read as a bar, dust as a quote) or a point read as a colon
     * or comma; if it does not spell an amount as it is, it is read again
     * with digits, point, comma and minus only, and that reading is kept
     * when it spells one.  Only then: restricted to digits, the engine is
     * surer, but it also drops points it is not sure of. */
    digit_lookalikes(chars, first);
    point_lookalike(chars, first);
    /* a share ("100%", "≥98%") is read as it stands: the digits-only pass
     * knows no per cent sign and would drop it */
    if (spells_amount(chars, first, chars->len) || spells_share(chars, first)) {
        trim_strays(chars, first);
        return;
    }
    GArray *trimmed = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    g_array_append_vals(trimmed, &g_array_index(chars, bpx_char, first), chars->len - first);
    trim_strays(trimmed, 0);
    point_lookalike(trimmed, 0);
    gboolean trimmed_ok = trimmed->len && spells_amount(trimmed, 0, trimmed->len);
    if (trimmed_ok)
        o->reading_first = chars_text(trimmed, 0, trimmed->len);
    GArray *again = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    TessBaseAPI *dg = digits_engine(o);
    GArray *keep = trimmed;
    double mean2 = 0;
    if (dg) {
        if (read_padded(dg, g, x0, y0, x1, y1, PSM_SINGLE_LINE, 0, again, &mean2) > 0) {
            symbol_choices(dg, o->choices_digits);
            if (lines_read == 1)
                surplus_digits(g, x0, y0, x1, y1, again, 0);
            trim_strays(again, 0);
            point_lookalike(again, 0);
            /* the digits-only reading when it spells an amount and either the
             * trimmed first one does not, or it is longer (a thin 1 trimmed as
             * a bar) */
            if (again->len && spells_amount(again, 0, again->len)) {
                o->reading_digits = chars_text(again, 0, again->len);
                if (!trimmed_ok || again->len > trimmed->len)
                    keep = again;
            }
        }
        TessBaseAPIClear(dg);
    }
    g_array_set_size(chars, first);
    g_array_append_vals(chars, keep->data, keep->len);
    g_array_free(again, TRUE);
    g_array_free(trimmed, TRUE);
}

/* Recognised symbols boxed as a text layer boxes glyphs.  Tesseract boxes
 * each symbol's ink: a point or a comma is a speck at the foot of its line
 * with a gap of a few points either side, where a text layer's glyph boxes
 * run from advance to advance over the font's whole height.  normalize
 * would take the low speck for a line of its own below the digits
 * ("2 000 39,.") and the gaps for gutters between columns ("9," | "964.07").
 * So, line by line (chars[from, len) in reading order; a line ends where
 * a symbol overlaps the one before it by less than half the height of the
 * lower of them (a mark lower than the line, as a comma, need only touch
 * it), or steps back to the left by more than the line's height), every symbol takes the line's top and bottom
 * and starts after the one read before it (the engine's boxes are
 * approximate: a bracket boxed before the ideograph it follows would be
 * put before it), and neighbours closer than the line's height meet at the
 * middle of their gap, so the boxes follow the reading order.  Wider gaps
 * (two amounts in one cell whose column rule the scan lost, words of a
 * title apart) stay. */
static void boxes_like_text(GArray *chars, guint from)
{
    guint start = from;
    double y0 = 0, y1 = 0;
    for (guint i = from; i <= chars->len; i++) {
        bpx_char *c = i < chars->len ? &g_array_index(chars, bpx_char, i) : NULL;
        if (c && i > start) {
            const bpx_char *prev = &g_array_index(chars, bpx_char, i - 1);
            double over = MIN(c->box.y1, prev->box.y1) - MAX(c->box.y0, prev->box.y0);
            double low = MIN(c->box.y1 - c->box.y0, prev->box.y1 - prev->box.y0);
            /* a mark (a comma hanging below the digits) need only touch the line */
            gboolean mark = low < 0.6 * (y1 - y0);
            if ((over > 0.5 * low || (mark && over > 0)) && c->box.x1 > prev->box.x0 - (y1 - y0)) {
                y0 = MIN(y0, c->box.y0), y1 = MAX(y1, c->box.y1);
                continue;
            }
        }
        /* the line [start, i) is complete */
        double h = y1 - y0;
        for (guint j = start; i > start && j < i; j++) {
            bpx_char *b = &g_array_index(chars, bpx_char, j);
            b->box.y0 = y0, b->box.y1 = y1;
            if (j == start)
                continue;
            bpx_char *a = &g_array_index(chars, bpx_char, j - 1);
            if (b->box.x0 < a->box.x0 + 0.2 * h) { /* boxed at or before the symbol read before it */
                b->box.x0 = a->box.x0 + 0.2 * h;
                b->box.x1 = MAX(b->box.x1, b->box.x0 + 0.2 * h);
            }
            double gap = b->box.x0 - a->box.x1;
            double cut = gap >= 0 ? (a->box.x1 + b->box.x0) / 2 : b->box.x0;
            if (gap <= h)
                a->box.x1 = cut, b->box.x0 = cut;
        }
        if (c)
            start = i, y0 = c->box.y0, y1 = c->box.y1;
    }
}

static gboolean ideograph(gunichar c)
{
    return c >= 0x3400 && c <= 0x9FFF;
}

/* Marks the engine reads for the ideographs and brackets of Chinese text
 * (chars[from, len)), and points that are specks: 一 before an ideograph
 * read as a dash ("-般公共服务支出"; a dash never stands between a
 * non-digit and an ideograph), and a full-width bracket read as an angle
 * bracket ("〈室)": 〈 and 《 are closed by 〉 and 》, never by a round
 * bracket). */
static void text_lookalikes(GArray *chars, guint from)
{
    /* a point where Chinese print has none: between two ideographs (a
     * speck read as a point: 及后.期), after 、 or before a closing
     * bracket (项目,) */
    for (guint i = from + 1; i + 1 < chars->len; i++) {
        gunichar prev = g_array_index(chars, bpx_char, i - 1).cp, c = g_array_index(chars, bpx_char, i).cp;
        gunichar next = g_array_index(chars, bpx_char, i + 1).cp;
        gboolean after = ideograph(prev) || prev == 0x3001 || prev == 0xFF08 || prev == '(';
        gboolean before = ideograph(next) || next == 0xFF09 || next == ')';
        if ((c == '.' || c == 0x00B7 || (c == ',' && (next == ')' || next == 0xFF09 || prev == 0x3001))) &&
            after && before) {
            g_array_remove_index(chars, i);
            i--;
        }
    }
    for (guint i = from; i < chars->len; i++) {
        bpx_char *c = &g_array_index(chars, bpx_char, i);
        gunichar prev = i > from ? g_array_index(chars, bpx_char, i - 1).cp : 0;
        gunichar next = i + 1 < chars->len ? g_array_index(chars, bpx_char, i + 1).cp : 0;
        if ((c->cp == '-' || c->cp == 0x2014 || c->cp == 0x2500 || c->cp == '_') && ideograph(next) &&
            !g_unichar_isalnum(prev))
            c->cp = 0x4E00;
        if (c->cp != 0x3008 && c->cp != 0x300A && c->cp != '<')
            continue;
        gboolean cjk = FALSE;
        for (guint j = i + 1; j < chars->len && j < i + 40; j++) {
            bpx_char *d = &g_array_index(chars, bpx_char, j);
            cjk = cjk || ideograph(d->cp);
            if (d->cp == 0x3009 || d->cp == 0x300B || d->cp == '>' || d->cp == 0x3008 || d->cp == 0x300A ||
                d->cp == '(' || d->cp == 0xFF08)
                break;
            if ((d->cp == ')' || d->cp == 0xFF09) && cjk) {
                c->cp = 0xFF08;
                d->cp = 0xFF09;
                break;
            }
        }
    }
}

/* Points the engine left out of amounts in running text: between two
 * digits of a line (chars[from, to)) that stand apart by more than a
 * quarter of their height, a small dark component in the lower third of
 * the line, alone in the gap, is the point the engine read as a space
 * ("101,673 03万元", where 144 dpi leaves a point of two pixels).  It is
 * read from the image, never assumed: a gap without one stays a gap. */
static void points_in_gaps(const gray_t *g, GArray *chars, guint from)
{
    double k = BPX_OCR_DPI / 72.0;
    for (guint i = from + 1; i < chars->len; i++) {
        const bpx_char *a = &g_array_index(chars, bpx_char, i - 1), *b = &g_array_index(chars, bpx_char, i);
        if (!g_unichar_isdigit(a->cp) || !g_unichar_isdigit(b->cp))
            continue;
        double h = MAX(a->box.y1 - a->box.y0, b->box.y1 - b->box.y0);
        double gap = b->box.x0 - a->box.x1;
        if (h <= 0 || gap < 0.25 * h || gap > 1.2 * h || fabs(a->box.y1 - b->box.y1) > 0.3 * h)
            continue;
        int x0 = (int)ceil(a->box.x1 * k) + 1, x1 = (int)floor(b->box.x0 * k) - 1;
        int y1 = (int)ceil(MAX(a->box.y1, b->box.y1) * k) + 1, y0 = y1 - (int)(h * k / 3) - 1;
        int ytop = (int)floor(MIN(a->box.y0, b->box.y0) * k);
        if (x1 <= x0 || x0 < 0 || y0 < 0 || x1 >= g->w || y1 >= g->h)
            continue;
        int dark = 0, dark_above = 0, minx = x1, maxx = x0, miny = y1, maxy = y0;
        for (int y = ytop; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                if (g->px[(size_t)y * (size_t)g->w + (size_t)x] < 128) {
                    if (y < y0) {
                        dark_above++;
                        continue;
                    }
                    dark++;
                    minx = MIN(minx, x), maxx = MAX(maxx, x), miny = MIN(miny, y), maxy = MAX(maxy, y);
                }
        /* a point: some ink, low and small, nothing higher up in the gap */
        if (dark < 2 || dark_above > 0 || maxx - minx > h * k / 3 || maxy - miny > h * k / 3)
            continue;
        bpx_char p = *a;
        p.cp = '.';
        p.box = (bpx_rect){minx / k, miny / k, (maxx + 1) / k, (maxy + 1) / k};
        g_array_insert_val(chars, i, p);
        i++;
    }
}

/* --------------------------------------------------- tall lines read again */

typedef struct {
    int box[4]; /* pixels: left, top, right, bottom */
    char *text; /* the page-level pass's reading, white space out */
} line_box_t;

/* Text without white space (the engine puts spaces between words and a
 * newline at the end).  Caller frees. */
static char *squeezed(const char *text)
{
    GString *s = g_string_new(NULL);
    for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isspace(c) && c != 0x3000)
            g_string_append_unichar(s, c);
    }
    return g_string_free(s, FALSE);
}

/* The text lines of the engine's last Recognize(), with their boxes. */
static GArray *line_boxes(TessBaseAPI *api)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(line_box_t));
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (!it)
        return out;
    TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
    do {
        line_box_t l = {0};
        char *text = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
        if (text && g_utf8_validate(text, -1, NULL) &&
            TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &l.box[0], &l.box[1], &l.box[2], &l.box[3])) {
            l.text = squeezed(text);
            g_array_append_val(out, l);
        }
        TessDeleteText(text);
    } while (TessResultIteratorNext(it, RIL_TEXTLINE));
    TessResultIteratorDelete(it);
    return out;
}

/* [x0, x1) x [y0, y1) of g averaged down by factor f (each pixel the mean
 * of an f x f square) inside a white margin of pad pixels; *w, *h its size.
 * Caller frees. */
static uint8_t *shrink(const gray_t *g, int x0, int y0, int x1, int y1, int f, int pad, int *w, int *h)
{
    int sw = (x1 - x0) / f, sh = (y1 - y0) / f;
    *w = sw + 2 * pad, *h = sh + 2 * pad;
    uint8_t *buf = g_malloc((size_t)*w * (size_t)*h);
    memset(buf, 255, (size_t)*w * (size_t)*h);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            int sum = 0;
            for (int dy = 0; dy < f; dy++) {
                const uint8_t *row = g->px + (size_t)(y0 + y * f + dy) * (size_t)g->w + (size_t)(x0 + x * f);
                for (int dx = 0; dx < f; dx++)
                    sum += row[dx];
            }
            buf[(size_t)(y + pad) * (size_t)*w + (size_t)(x + pad)] = (uint8_t)(sum / (f * f));
        }
    return buf;
}

/* The rectangle [x0, x1) x [y0, y1) of g, holding one line of print
 * lh pixels high, read as a single line, shrunk by the whole factor that
 * brings it nearest BPX_OCR_LINE_PX high (1: as it is); its symbols are
 * appended to out in the page's frame.  Returns how many. */
static size_t read_line_shrunk(TessBaseAPI *api, const gray_t *g, int x0, int y0, int x1, int y1, int lh, GArray *out,
                               double *mean)
{
    int f = MAX(1, (int)lround((double)lh / BPX_OCR_LINE_PX));
    *mean = 0;
    if ((x1 - x0) / f < 8 || (y1 - y0) / f < 8)
        return 0;
    int w, h, pad = 16;
    uint8_t *buf = shrink(g, x0, y0, x1, y1, f, pad, &w, &h);
    TessBaseAPISetImage(api, buf, w, h, 1, w);
    TessBaseAPISetSourceResolution(api, (int)(BPX_OCR_DPI / f));
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
    guint from = out->len;
    size_t n = TessBaseAPIRecognize(api, NULL) == 0 ? collect(api, out, mean) : 0;
    double k = 72.0 / BPX_OCR_DPI;
    for (guint i = from; i < out->len; i++) { /* the shrunk copy's frame to the page's */
        bpx_char *c = &g_array_index(out, bpx_char, i);
        c->box.x0 = c->box.x0 * f + (x0 - pad * f) * k, c->box.x1 = c->box.x1 * f + (x0 - pad * f) * k;
        c->box.y0 = c->box.y0 * f + (y0 - pad * f) * k, c->box.y1 = c->box.y1 * f + (y0 - pad * f) * k;
        c->font_size *= (float)f;
    }
    g_free(buf);
    return n;
}

/* Widens box (pixels), a text line lh pixels high, through the tall
 * glyphs beside it: components of ink at least half the line high whose
 * middle is within the line's rows, no farther from it than one and a half
 * times its height.  The page-level pass cuts a title of wide-set glyphs
 * into pieces, and reads none of some of them. */
static void line_extent(const gray_t *g, int lh, int box[4])
{
    int y0 = MAX(0, box[1] - lh / 4), y1 = MIN(g->h, box[3] + lh / 4);
    GArray *comps = ink_components(g, 0, y0, g->w, y1, 128);
    for (gboolean grown = TRUE; grown;) {
        grown = FALSE;
        for (guint i = 0; i < comps->len; i++) {
            const box_t *c = &g_array_index(comps, box_t, i);
            int mid = y0 + (c->y0 + c->y1) / 2;
            if (2 * (c->y1 - c->y0 + 1) < lh || mid < box[1] || mid > box[3])
                continue;
            int gap = c->x0 > box[2] ? c->x0 - box[2] : box[0] > c->x1 ? box[0] - c->x1 : 0;
            if (gap <= 3 * lh / 2 && (c->x0 < box[0] || c->x1 > box[2])) {
                box[0] = MIN(box[0], c->x0), box[2] = MAX(box[2], c->x1);
                grown = TRUE;
            }
        }
    }
    g_array_free(comps, TRUE);
}

/* Step 11 of the essay: the lines of the page-level pass (lines, from
 * line_boxes()) taller than the engine reads best, widened over the
 * pieces it cut them into (line_extent()), read again shrunk; each line
 * whose two readings differ is appended to out, its text the pieces'
 * readings left to right. */
static gint by_left_char(gconstpointer a, gconstpointer b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

/* The characters of chars[from..] whose middle is within box (pixels),
 * left to right, as text. */
static char *text_within(const GArray *chars, guint from, const int box[4])
{
    double k = 72.0 / BPX_OCR_DPI;
    GPtrArray *in = g_ptr_array_new();
    for (guint i = from; i < chars->len; i++) {
        const bpx_char *c = &g_array_index(chars, bpx_char, i);
        double mx = (c->box.x0 + c->box.x1) / 2 / k, my = (c->box.y0 + c->box.y1) / 2 / k;
        if (mx >= box[0] && mx <= box[2] && my >= box[1] && my <= box[3])
            g_ptr_array_add(in, (gpointer)c);
    }
    g_ptr_array_sort(in, by_left_char);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < in->len; i++)
        g_string_append_unichar(s, ((const bpx_char *)in->pdata[i])->cp);
    g_ptr_array_unref(in);
    return g_string_free(s, FALSE);
}

static void read_tall_lines_again(TessBaseAPI *api, const gray_t *g, const GArray *lines, const GArray *page_chars,
                                  guint from, GArray *out)
{
    double k = 72.0 / BPX_OCR_DPI;
    gboolean *taken = g_new0(gboolean, lines->len + 1);
    for (guint i = 0; i < lines->len; i++) {
        const line_box_t *l = &g_array_index(lines, line_box_t, i);
        int lh = l->box[3] - l->box[1];
        if (taken[i] || !*l->text || 2 * lh < 3 * BPX_OCR_LINE_PX)
            continue;
        int box[4] = {l->box[0], l->box[1], l->box[2], l->box[3]};
        line_extent(g, lh, box);
        /* the pieces: lines of the pass whose middle is within, read again
         * with this one; its text is their characters as collected */
        for (guint j = 0; j < lines->len; j++) {
            const line_box_t *p = &g_array_index(lines, line_box_t, j);
            int mx = (p->box[0] + p->box[2]) / 2, my = (p->box[1] + p->box[3]) / 2;
            taken[j] |= mx >= box[0] && mx <= box[2] && my >= box[1] && my <= box[3];
        }
        char *text = text_within(page_chars, from, box);
        /* a margin of a quarter of the line round it: the engine's box may
         * cut a stroke */
        int m = lh / 4;
        int x0 = MAX(0, box[0] - m), y0 = MAX(0, box[1] - m);
        int x1 = MIN(g->w, box[2] + m), y1 = MIN(g->h, box[3] + m);
        GArray *chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
        double mean;
        read_line_shrunk(api, g, x0, y0, x1, y1, lh, chars, &mean);
        char *again = chars_text(chars, 0, chars->len);
        g_array_free(chars, TRUE);
        if (*again && *text && strcmp(again, text) != 0) {
            bpx_ocr_reading r = {{box[0] * k, box[1] * k, box[2] * k, box[3] * k}, NULL, NULL};
            r.text = g_strdup(text);
            r.alternatives = g_new0(char *, 2);
            r.alternatives[0] = g_steal_pointer(&again);
            g_array_append_val(out, r);
        }
        g_free(again);
        g_free(text);
    }
    g_free(taken);
}

/* The print of a band of rows in box (pixels, as glyph_box() gives it):
 * the height of its tallest component darker than 128, returned, and box
 * narrowed (top and bottom) to the rows of the components at least a
 * third as tall, widened as glyph_box() widens: a speck joined to a line
 * of print by text_lines() falls out of it. */
static int band_print(const gray_t *g, int box[4])
{
    GArray *comps = ink_components(g, box[0], box[1], box[2], box[3], 128);
    int tallest = 0, top = G_MAXINT, bottom = -1;
    for (guint i = 0; i < comps->len; i++) {
        const box_t *c = &g_array_index(comps, box_t, i);
        tallest = MAX(tallest, c->y1 - c->y0 + 1);
    }
    for (guint i = 0; i < comps->len; i++) {
        const box_t *c = &g_array_index(comps, box_t, i);
        if (3 * (c->y1 - c->y0 + 1) >= tallest)
            top = MIN(top, c->y0), bottom = MAX(bottom, c->y1);
    }
    g_array_free(comps, TRUE);
    if (bottom >= top) {
        int m = (bottom - top + 1) / 3 + 2, y0 = box[1];
        box[1] = MAX(box[1], y0 + top - m), box[3] = MIN(box[3], y0 + bottom + 1 + m);
    }
    return tallest;
}

/* Step 12 of the essay: the lines of print in box (the page with its cells
 * painted out) that no line of the page-level pass (lines) stands on, read
 * each as a single line into chars. */
static void read_unread_lines(TessBaseAPI *api, const gray_t *g, const int box[4], const GArray *lines, GArray *chars)
{
    double k = BPX_OCR_DPI / 72.0;
    GArray *bands = text_lines(g, box[0], box[1], box[2], box[3], (int)(3.0 * k));
    for (guint i = 0; i < bands->len; i++) {
        int y0 = g_array_index(bands, int, 2 * i), y1 = g_array_index(bands, int, 2 * i + 1), ink[4];
        if (!glyph_box(g, box[0], y0, box[2], y1, (int)(3.0 * k), ink))
            continue;
        /* a speck joined to the line (a low band) falls out of it; specks
         * far apart, joined by text_lines() as low bands, are no line: no
         * glyph there stands a third as tall as the band (read whole,
         * shrunk by its height, the engine makes out one glyph the size of
         * the stretch, whose box runs over a table's rows: scanned 收支总表,
         * two amounts joined in one cell) */
        int tallest = band_print(g, ink), lh = ink[3] - ink[1];
        /* glyphs, not dust: at least as tall as small print */
        if (lh < (int)(6.0 * k) || 3 * tallest < lh)
            continue;
        gboolean read = FALSE;
        for (guint j = 0; j < lines->len && !read; j++) {
            const int *b = g_array_index(lines, line_box_t, j).box;
            if (!*g_array_index(lines, line_box_t, j).text)
                continue; /* a line of nothing: nothing read there */
            int over = MIN(b[3], ink[3]) - MAX(b[1], ink[1]);
            read = over > 0 && 2 * over >= MIN(lh, b[3] - b[1]) && b[0] < ink[2] && ink[0] < b[2];
        }
        if (read)
            continue;
        int m = lh / 4;
        double mean;
        guint from = chars->len;
        read_line_shrunk(api, g, MAX(0, ink[0] - m), MAX(0, ink[1] - m), MIN(g->w, ink[2] + m), MIN(g->h, ink[3] + m),
                         lh, chars, &mean);
        /* what the engine is unsure of there is no print it can read */
        if (mean < BPX_OCR_UNREAD_CONF)
            g_array_set_size(chars, from);
    }
    g_array_free(bands, TRUE);
}

/* How far the long rules of a page set straight by measure_skew() still
 * slant (degrees, as measure_skew()): 0 when it has fewer than two.  The
 * projection is measured at a quarter of the resolution, in steps of
 * 0.02 degree, and text lines pull it too; a rule across an A4 page
 * landscape that slants by 0.03 degree climbs half a pixel at
 * BPX_OCR_RULING_DPI, and the ruling detector, which takes a stroke's
 * core to be its longest rows, ends the rule where it steps to the next
 * row: the cells beyond run together (a column of amounts read a row
 * off).  So the rules are found (find_lines()), and each horizontal one
 * as long as a third of the page is followed at full resolution: its
 * centre (the ink-weighted mean row, within a point and a half of it) in
 * the columns of its first and last 40 points that no vertical stroke
 * crosses; the slant is the median over the rules of their climb over
 * their run. */
static double rules_slant(const gray_t *g)
{
    bpx_page p = {.width = g->w * 72.0 / BPX_OCR_DPI, .height = g->h * 72.0 / BPX_OCR_DPI};
    find_lines(g, &p);
    double k = BPX_OCR_DPI / 72.0, span = 40 * k;
    int half = (int)ceil(1.5 * k);
    GArray *slants = g_array_new(FALSE, FALSE, sizeof(double));
    for (size_t i = 0; i < p.n_hlines; i++) {
        const bpx_line *l = &p.hlines[i];
        if (l->x1 - l->x0 < p.width / 3)
            continue;
        double at[2] = {0, 0}, xs[2] = {0, 0};
        gboolean ok = TRUE;
        for (int end = 0; end < 2 && ok; end++) {
            int xa = end ? (int)(l->x1 * k - span) : (int)(l->x0 * k), xb = xa + (int)span;
            int yc = (int)lround(l->y0 * k);
            double sw = 0, sy = 0, sx = 0;
            for (int x = MAX(0, xa); x < MIN(g->w, xb); x++) {
                double cw = 0, cy = 0;
                int dark = 0;
                for (int y = MAX(0, yc - 4 * half); y <= MIN(g->h - 1, yc + 4 * half); y++)
                    dark += g->px[(size_t)y * (size_t)g->w + (size_t)x] < 128;
                if (dark > 2 * half) /* a vertical stroke or a glyph crosses here */
                    continue;
                for (int y = MAX(0, yc - half); y <= MIN(g->h - 1, yc + half); y++) {
                    double ink = 255 - g->px[(size_t)y * (size_t)g->w + (size_t)x];
                    cw += ink, cy += ink * y;
                }
                if (cw > 0)
                    sw += cw, sy += cy, sx += cw * x;
            }
            ok = sw > 0;
            if (ok)
                at[end] = sy / sw, xs[end] = sx / sw;
        }
        if (ok && xs[1] - xs[0] > 2 * span) {
            double deg = atan((at[1] - at[0]) / (xs[1] - xs[0])) * 180.0 / G_PI;
            g_array_append_val(slants, deg);
        }
    }
    double slant = 0;
    if (slants->len >= 2) {
        double *d = (double *)(void *)slants->data;
        for (guint i = 1; i < slants->len; i++) /* insertion sort: a page has few rules */
            for (guint j = i; j > 0 && d[j] < d[j - 1]; j--) {
                double t = d[j];
                d[j] = d[j - 1], d[j - 1] = t;
            }
        slant = d[slants->len / 2];
    }
    g_array_free(slants, TRUE);
    g_free(p.hlines);
    g_free(p.vlines);
    return slant;
}

gboolean bpx_ocr_read_page(bpx_ocr *o, PopplerPage *page, bpx_page *out, GError **error)
{
    if (o->text_failed) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "Tesseract's chi_sim language data could not be loaded");
        return FALSE;
    }
    /* no engine is held while the page is rendered (see struct bpx_ocr) */
    engine_free(&o->text);
    engine_free(&o->digits);
    gray_t g = {0};
    if (!render_gray(page, BPX_OCR_DPI, &g, error))
        return FALSE;
    flatten_paper(&g);
    /* sideways first: the skew is measured on lines across */
    int turn = 0;
    if (lines_down_over_across(&g) > BPX_OCR_SIDEWAYS) {
        turn = sideways_turn(o, &g);
        turn_gray(&g, turn);
    }
    double skew = measure_skew(&g);
    uint8_t *unturned = NULL; /* the scan before it is set straight, while it may be turned again */
    if (skew != 0) {
        unturned = g.px;
        g.px = rotated_gray(&g, skew);
    }
    if (!turn && upside_down(o, &g)) {
        turn = 180;
        half_turn_gray(&g);
    }
    engine_free(&o->osd);
    /* the slant left, measured after the page is judged upside down or not
     * (that count of marks is tuned to measure_skew()'s straightening; a
     * rule's slant is the same either way up) */
    double rest = rules_slant(&g);
    if (fabs(rest) >= BPX_OCR_MIN_SLANT) { /* turned again from the scan, not twice blurred */
        if (unturned)
            g_free(g.px), g.px = unturned, unturned = NULL;
        else if (turn == 180)
            half_turn_gray(&g);
        skew += rest;
        uint8_t *straight = rotated_gray(&g, skew);
        g_free(g.px);
        g.px = straight;
        if (turn == 180)
            half_turn_gray(&g);
    }
    g_free(unturned);
    despeckle(&g, (int)(3.0 * BPX_OCR_DPI / 72.0), (int)(3.0 * BPX_OCR_DPI / 72.0));

    bpx_page p = {.number = out->number};
    p.width = g.w * 72.0 / BPX_OCR_DPI;
    p.height = g.h * 72.0 / BPX_OCR_DPI;
    p.turned = turn == 90 || turn == 270 ? turn : 0;
    p.ocr = TRUE;
    p.ocr_skew = skew;
    find_lines(&g, &p);
    prune_lines(&p);
    erase_rulings(&g, &p, 1.2);
    /* again without the rules: the grid is one component as big as the
     * table, and every speck inside it stood near it */
    despeckle(&g, (int)(3.0 * BPX_OCR_DPI / 72.0), (int)(3.0 * BPX_OCR_DPI / 72.0));

    TessBaseAPI *api = text_engine(o, error);
    if (!api) {
        gray_free(&g);
        g_free(p.hlines);
        g_free(p.vlines);
        return FALSE;
    }
    GArray *chars = g_array_new(FALSE, FALSE, sizeof(bpx_char));
    GArray *cells = find_cells(&p);
    GArray *readings = g_array_new(FALSE, FALSE, sizeof(bpx_ocr_reading));
    GArray *tall = g_array_new(FALSE, FALSE, sizeof(bpx_ocr_reading));
    /* the symbols' alternatives are wanted in cells (note_reading), not in
     * the page-level pass, where recording them costs time for nothing */
    TessBaseAPISetVariable(api, "lstm_choice_mode", "2");
    for (guint i = 0; i < cells->len; i++) {
        guint f0 = chars->len;
        read_cell(o, api, &g, &g_array_index(cells, cell_t, i), chars);
        boxes_like_text(chars, f0);
        text_lookalikes(chars, f0);
        note_reading(o, chars, f0, readings);
    }
    engine_free(&o->digits); /* the cells' alone */
    /* the rest of the page: the cells painted out */
    double k = BPX_OCR_DPI / 72.0;
    for (guint i = 0; i < cells->len; i++) {
        const cell_t *c = &g_array_index(cells, cell_t, i);
        for (int y = MAX(0, (int)(c->y0 * k)); y < MIN(g.h, (int)ceil((c->y1 + 1) * k)); y++)
            memset(g.px + (size_t)y * (size_t)g.w + (size_t)MAX(0, (int)(c->x0 * k)), 255,
                   (size_t)MAX(0, MIN(g.w, (int)ceil((c->x1 + 1) * k)) - MAX(0, (int)(c->x0 * k))));
    }
    int box[4];
    if (glyph_box(&g, 0, 0, g.w, g.h, (int)(3.0 * k), box)) {
        /* the page with a rectangle set, though the engine then holds a copy
         * of the whole page too: given the rectangle's pixels alone it reads
         * otherwise now and then (a title of a scanned Jiangsu table) */
        TessBaseAPISetImage(api, g.px, g.w, g.h, 1, g.w);
        TessBaseAPISetSourceResolution(api, (int)BPX_OCR_DPI);
        TessBaseAPISetRectangle(api, box[0], box[1], box[2] - box[0], box[3] - box[1]);
        TessBaseAPISetPageSegMode(api, PSM_AUTO);
        TessBaseAPISetVariable(api, "lstm_choice_mode", "0");
        /* a page of noise can keep the layout analysis busy for minutes:
         * what is read by the deadline is kept */
        ETEXT_DESC *monitor = TessMonitorCreate();
        TessMonitorSetDeadlineMSecs(monitor, BPX_OCR_PAGE_DEADLINE_MS);
        double mean = 0;
        guint from = chars->len;
        if (TessBaseAPIRecognize(api, monitor) == 0)
            collect(api, chars, &mean);
        points_in_gaps(&g, chars, from);
        text_lookalikes(chars, from);
        TessMonitorDelete(monitor);
        GArray *lines = line_boxes(api);
        read_tall_lines_again(api, &g, lines, chars, from, tall);
        read_unread_lines(api, &g, box, lines, chars);
        for (guint i = 0; i < lines->len; i++)
            g_free(g_array_index(lines, line_box_t, i).text);
        g_array_free(lines, TRUE);
    }
    g_array_free(cells, TRUE);
    gray_free(&g);
    engine_free(&o->text);

    g_free(out->chars);
    g_free(out->hlines);
    g_free(out->vlines);
    out->n_chars = chars->len;
    out->chars = (bpx_char *)(void *)g_array_free(chars, FALSE);
    out->hlines = p.hlines;
    out->vlines = p.vlines;
    out->n_hlines = p.n_hlines;
    out->n_vlines = p.n_vlines;
    out->ruled = p.ruled;
    out->width = p.width;
    out->height = p.height;
    out->turned = p.turned;
    out->ocr = TRUE;
    out->ocr_skew = p.ocr_skew;
    bpx_ocr_readings_free(out->ocr_readings, out->n_ocr_readings);
    out->n_ocr_readings = readings->len;
    out->ocr_readings = (bpx_ocr_reading *)(void *)g_array_free(readings, FALSE);
    bpx_ocr_readings_free(out->ocr_lines, out->n_ocr_lines);
    out->n_ocr_lines = tall->len;
    out->ocr_lines = (bpx_ocr_reading *)(void *)g_array_free(tall, FALSE);
    return TRUE;
}

/* ------------------------------------------------- a text layer over a scan */

gboolean bpx_ocr_page_is_image(PopplerPage *page)
{
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    GList *maps = poppler_page_get_image_mapping(page);
    gboolean covered = FALSE;
    for (GList *l = maps; l && !covered; l = l->next) {
        const PopplerImageMapping *m = l->data;
        double a = fabs((m->area.x2 - m->area.x1) * (m->area.y2 - m->area.y1));
        covered = w > 0 && h > 0 && a >= BPX_OCR_IMAGE_COVER * w * h;
    }
    poppler_page_free_image_mapping(maps);
    return covered;
}

/* The runs of the text layer to sample: glyphs next to each other on one
 * line (poppler's order), BPX_OCR_SAMPLE_LEN of them at most from the
 * start of a run of at least 3 letters, digits or ideographs; as [from,
 * to) pairs into page->chars. */
static GArray *sample_runs(const bpx_page *page)
{
    GArray *runs = g_array_new(FALSE, FALSE, sizeof(size_t) * 2);
    size_t start = 0;
    for (size_t i = 1; i <= page->n_chars; i++) {
        gboolean breaks = i == page->n_chars;
        if (!breaks) {
            const bpx_rect *a = &page->chars[i - 1].box, *b = &page->chars[i].box;
            double h = MAX(a->y1 - a->y0, b->y1 - b->y0);
            breaks = g_unichar_isspace(page->chars[i].cp) || page->chars[i].dir != BPX_DIR_HORIZONTAL ||
                     fabs((a->y0 + a->y1) / 2 - (b->y0 + b->y1) / 2) > h / 2 || b->x0 - a->x1 > h ||
                     b->x0 < a->x0;
        }
        if (!breaks)
            continue;
        size_t n = 0;
        for (size_t j = start; j < i; j++)
            n += g_unichar_isalnum(page->chars[j].cp) || page->chars[j].cp >= 0x3400;
        if (n >= 3 && i - start >= 3) {
            size_t r[2] = {start, MIN(i, start + BPX_OCR_SAMPLE_LEN)};
            g_array_append_val(runs, r);
        }
        start = i;
        while (start < page->n_chars && g_unichar_isspace(page->chars[start].cp))
            start++;
    }
    /* BPX_OCR_SAMPLES of them, spread over the page */
    if (runs->len > BPX_OCR_SAMPLES) {
        GArray *some = g_array_new(FALSE, FALSE, sizeof(size_t) * 2);
        for (guint k = 0; k < BPX_OCR_SAMPLES; k++)
            g_array_append_vals(some, &g_array_index(runs, size_t, 2 * (k * runs->len / BPX_OCR_SAMPLES)), 1);
        g_array_free(runs, TRUE);
        runs = some;
    }
    return runs;
}

/* Share of the run's characters (page->chars[from, to), spaces left out)
 * that the reading holds (each as often as the run has it). */
static double run_found(const bpx_page *page, size_t from, size_t to, const char *reading)
{
    GHashTable *have = g_hash_table_new(NULL, NULL);
    for (const char *s = reading; s && *s; s = g_utf8_next_char(s)) {
        gpointer k = GUINT_TO_POINTER(g_utf8_get_char(s));
        g_hash_table_replace(have, k, GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(have, k)) + 1));
    }
    size_t n = 0, found = 0;
    for (size_t i = from; i < to; i++) {
        gpointer k = GUINT_TO_POINTER(page->chars[i].cp);
        if (g_unichar_isspace(page->chars[i].cp))
            continue;
        n++;
        int left = GPOINTER_TO_INT(g_hash_table_lookup(have, k));
        if (left > 0) {
            found++;
            g_hash_table_replace(have, k, GINT_TO_POINTER(left - 1));
        }
    }
    g_hash_table_unref(have);
    return n ? (double)found / (double)n : 1;
}

gboolean bpx_ocr_text_layer_matches(bpx_ocr *o, PopplerPage *page, const bpx_page *p)
{
    GArray *runs = sample_runs(p);
    gray_t g = {0};
    /* rendered before the engine is made (see struct bpx_ocr) */
    engine_free(&o->text);
    engine_free(&o->digits);
    TessBaseAPI *api = NULL;
    if (o->text_failed || !runs->len || !render_gray(page, BPX_OCR_DPI, &g, NULL) || !(api = text_engine(o, NULL))) {
        gray_free(&g);
        g_array_free(runs, TRUE);
        return TRUE; /* nothing to judge by: the text layer stays */
    }
    flatten_paper(&g);
    TessBaseAPISetImage(api, g.px, g.w, g.h, 1, g.w);
    TessBaseAPISetSourceResolution(api, (int)BPX_OCR_DPI);
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
    double k = BPX_OCR_DPI / 72.0;
    guint matched = 0;
    for (guint i = 0; i < runs->len; i++) {
        size_t from = g_array_index(runs, size_t, 2 * i), to = g_array_index(runs, size_t, 2 * i + 1);
        bpx_rect b = p->chars[from].box;
        for (size_t j = from + 1; j < to; j++) {
            b.x0 = MIN(b.x0, p->chars[j].box.x0), b.y0 = MIN(b.y0, p->chars[j].box.y0);
            b.x1 = MAX(b.x1, p->chars[j].box.x1), b.y1 = MAX(b.y1, p->chars[j].box.y1);
        }
        /* a margin of a third of the line each way: the layer's boxes sit a
         * little off the print of a scan turned askew */
        double m = (b.y1 - b.y0) / 3;
        int x0 = MAX(0, (int)((b.x0 - m) * k)), y0 = MAX(0, (int)((b.y0 - m) * k));
        int x1 = MIN(g.w, (int)ceil((b.x1 + m) * k)), y1 = MIN(g.h, (int)ceil((b.y1 + m) * k));
        char *text = NULL;
        if (x1 - x0 >= 4 && y1 - y0 >= 4) {
            TessBaseAPISetRectangle(api, x0, y0, x1 - x0, y1 - y0);
            if (TessBaseAPIRecognize(api, NULL) == 0)
                text = TessBaseAPIGetUTF8Text(api);
        }
        matched += run_found(p, from, to, text) >= BPX_OCR_SAMPLE_MATCH;
        TessDeleteText(text);
    }
    gray_free(&g);
    engine_free(&o->text);
    gboolean ok = 2 * matched >= runs->len;
    g_array_free(runs, TRUE);
    return ok;
}
