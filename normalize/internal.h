/* Internal to the normalize stage: the pieces its files share.  Not part of
 * the stage's interface (normalize.h is). */
#ifndef BUDGETPDF_NORMALIZE_INTERNAL_H
#define BUDGETPDF_NORMALIZE_INTERNAL_H

#include "normalize/normalize.h"

#include <stdint.h>
#include <stdio.h>

/* ---- text.c: characters to lines, strings for comparison, amounts ---- */

/* A run of characters on one baseline.  Owns text and chars (the array of
 * pointers, not the characters). */
typedef struct {
    double x0, y0, x1, y1;
    double font_size;
    uint32_t color;
    char *text;
    GPtrArray *chars; /* const bpx_char*, left to right */
    char **ocr_alternatives; /* NULL, or (OCR'd lines) the engine's other readings of
                                the line, NULL-terminated (bpn_ocr_lines_attach) */
} bpn_line;

/* Groups chars (const bpx_char*) into lines, top to bottom.  A gap wider than
 * split_gap font sizes starts a new line on the same baseline (0: never).
 * Returns a GPtrArray of bpn_line* that frees its elements. */
GPtrArray *bpn_lines_build(GPtrArray *chars, double split_gap);
/* Joins the lines of one cell or paragraph: no separator between CJK, one
 * space between Latin words.  Caller frees. */
char *bpn_lines_join(GPtrArray *lines);
void bpn_line_free(gpointer line);

gboolean bpn_is_cjk(gunichar c);
/* Punctuation that Chinese typesetting lets hang past a line's end rather
 * than begin the next line (避头点号 and closing brackets: ，。、；：！？）》 …):
 * Word and WPS set it over the cell's right border. */
gboolean bpn_hangs_at_line_end(gunichar c);
/* Comparison form: full-width ASCII to half-width, all white space removed,
 * curly quotes made straight.  Caller frees. */
char *bpn_norm(const char *s);
/* "1,438.44" → 1438.44; "-0.5"; full-width digits accepted.  FALSE if s is
 * not an amount. */
gboolean bpn_parse_amount(const char *s, double *out);
/* TRUE when s (normalised) matches the PCRE2 pattern (UTF mode).  Compiles
 * the pattern at every call: for a pattern matched once or twice per
 * document; in loops over lines or cells use bpn_rx_match(). */
gboolean bpn_match(const char *pattern, const char *s);
/* Capture group `group` of pattern in s (0: the whole match), or NULL.
 * Caller frees.  Compiles at every call, as bpn_match(). */
char *bpn_capture(const char *pattern, const char *s, int group);
/* Compiled patterns, compiled once each (a document's: bpn_document.rx).
 * Not to be shared between threads (the match data is reused). */
bpn_regex_cache *bpn_regex_cache_new(void);
void bpn_regex_cache_free(bpn_regex_cache *rx);
/* bpn_match() and bpn_capture() with the pattern compiled once in rx;
 * rx NULL: compiled at the call, as they do. */
gboolean bpn_rx_match(bpn_regex_cache *rx, const char *pattern, const char *s);
char *bpn_rx_capture(bpn_regex_cache *rx, const char *pattern, const char *s, int group);
/* The classification code a label opens with ("2050303-技校教育",
 * "2050303技校教育" → "2050303": 3, 5 or 7 digits before a Han character,
 * a dash between or not), or NULL.  Caller frees. */
char *bpn_code_prefix(bpn_regex_cache *rx, const char *s);
/* Levenshtein distance of a[0..na) and b[0..nb), or G_MAXINT when over limit. */
int bpn_edit_distance(const gunichar *a, glong na, const gunichar *b, glong nb, int limit);
/* Value of a Chinese numeral 一 … 九十九, or of ASCII digits; 0 if none. */
int bpn_numeral_value(const char *s);

/* ---- noise.c: watermark, scanner and page furniture ---- */

/* Moves the content characters of page to out (const bpx_char*), leaving
 * watermark glyphs out and recording what was removed in doc->repairs. */
void bpn_noise_filter_chars(bpn_document *doc, const bpx_page *page, GPtrArray *out);
/* TRUE (and a repair recorded) when a text line outside tables is noise:
 * a scanner app's footer, a page number, a watermark phrase. */
gboolean bpn_noise_line(bpn_document *doc, const bpx_page *page, const bpn_line *line);
/* Marks noise[i] (and records a repair) for the lines of page's margins
 * that together, joined left to right with the lines whose heights overlap
 * theirs, spell a scanner app's footer (one come apart on a scan). */
void bpn_noise_margin_runs(bpn_document *doc, const bpx_page *page, GPtrArray *lines, gboolean *noise);

/* ---- grid.c: ruled tables ---- */

typedef struct {
    int page;
    double x0, y0, x1, y1;
    int n_rows, n_cols;
    double *xs;      /* n_cols + 1 column edges */
    double *ys;      /* n_rows + 1 row edges */
    int *region;     /* per cell r*n_cols+c: index of the top-left cell of its merged area */
    char **text;     /* per cell: text of the merged area, at its top-left cell; NULL elsewhere */
} bpn_grid;

/* Finds the ruled tables of a page and fills their cells from chars
 * (const bpx_char*); the chars used are removed from chars.  Returns
 * bpn_grid* top to bottom, in an array that frees them. */
GPtrArray *bpn_grids_find(const bpx_page *page, GPtrArray *chars);
/* A grid of n_rows x n_cols unmerged cells with the given edges (copied). */
bpn_grid *bpn_grid_new(int page, const double *xs, int n_cols, const double *ys, int n_rows);
/* Fills the cells of grids (bpn_grid*) from chars (const bpx_char*), each
 * glyph into the cell holding its centre; the chars used leave chars. */
void bpn_grid_fill(GPtrArray *grids, GPtrArray *chars);

/* ---- textgrid.c: tables without rules ---- */

/* Finds tables printed without rules among chars (those no ruled grid
 * took), from the alignment of their columns of amounts, and fills them;
 * the chars used leave chars.  Returns bpn_grid* top to bottom. */
GPtrArray *bpn_text_grids_find(const bpx_page *page, GPtrArray *chars);
void bpn_grid_free(gpointer grid);
/* Frees a grid's cells (texts, merged areas, edges): it keeps its page and
 * box only, with no rows or columns.  For a grid read into its table. */
void bpn_grid_drop_cells(bpn_grid *g);

/* ---- tables.c: grids to recognised tables ---- */

/* The pages' lines and grids kept in a temporary file (pages.c). */
typedef struct bpn_block_store bpn_block_store;

/* A block of a page in reading order: a text line or a grid. */
typedef struct {
    int page;
    double y0, y1;
    double page_height;
    bpn_line *line;   /* one of the two */
    bpn_grid *grid;
    gboolean used;    /* a line read as a table's heading or note */
    bpn_block_store *store; /* NULL: line or grid held; else they are in the
                               store's file, in memory only after
                               bpn_block_touch() (not owned) */
} bpn_block;

/* ---- pages.c: the pages' blocks in a file, a few pages in memory ---- */

/* An unlinked temporary file for the line and grid of blocks; NULL with
 * *error when none could be made.  blocks: the builder's array of them
 * (bpn_block*), which must outlive the store. */
bpn_block_store *bpn_block_store_new(GPtrArray *blocks, GError **error);
void bpn_block_store_free(bpn_block_store *s);
/* Writes the lines and grids of blocks[first..] (one page's) and frees them
 * from memory: they come back when a pass touches the page. */
void bpn_block_store_put(bpn_block_store *s, guint first);
/* Brings back the lines and grids of page (and of the page with blocks
 * before it), dropping those of pages touched longer ago. */
void bpn_block_store_touch(bpn_block_store *s, int page);
/* Brings back every page's and keeps them: the blocks leave the store. */
void bpn_block_store_hold_all(bpn_block_store *s);
/* FALSE with *error when a page could not be written or read back. */
gboolean bpn_block_store_ok(const bpn_block_store *s, GError **error);
/* A pass over the blocks calls this for each block it comes to, in order,
 * before reading its line or grid: the block's page, and the page with
 * blocks before it, are then in memory (the four pages touched last are
 * held, pages.c).  (A pass
 * reads, around the block it is at, the lines and grids of its page and of
 * the page before; an evicted block has neither, which reads as "not on
 * this page" wherever the page is tested first.) */
static inline void bpn_block_touch(const bpn_block *b)
{
    if (b->store)
        bpn_block_store_touch(b->store, b->page);
}

/* Builds doc->tables from the document's blocks (bpn_block*, in order). */
void bpn_tables_build(bpn_document *doc, GPtrArray *blocks);
/* The same; each table's frames (bpn_table_add_frame) are made only when
 * `frames`: the review page and the OCR repair read them, nothing else. */
void bpn_tables_build_framed(bpn_document *doc, GPtrArray *blocks, gboolean frames);
void bpn_table_free(gpointer table);
/* Frees t's header rows, rows and records (its meaning's), leaving them
 * empty: what spill.c has written out. */
void bpn_table_drop_rows(bpn_table *t);
/* Fills doc's headline figures (万元) from its tables, the prose
 * (doc->sections) as fallback; warns where the two disagree. */
void bpn_summary_build(bpn_document *doc);
/* TRUE when t's title (normalised) matches the PCRE2 pattern re. */
gboolean bpn_table_titled(bpn_regex_cache *rx, const bpn_table *t, const char *re);
/* The first amount right of a cell whose label (enumerator removed,
 * normalised) matches re, in 万元; its cell in *row, *col (may be NULL). */
gboolean bpn_table_labelled_amount(bpn_regex_cache *rx, const bpn_table *t, const char *re, double *wan, int *row, int *col);
/* A 收支总表's income (expenditure) total in 万元: the amount right of 收入总计
 * (支出总计), 收入合计, or of the left (right) one of a row printing 总计 on
 * both sides; a 行次 cell between label and amount is passed over. */
gboolean bpn_table_income_total(bpn_regex_cache *rx, const bpn_table *t, double *wan, int *row, int *col);
gboolean bpn_table_expenditure_total(bpn_regex_cache *rx, const bpn_table *t, double *wan, int *row, int *col);
/* The pages (as keys of a set) that carry a 目录 heading.  Caller unrefs. */
GHashTable *bpn_toc_pages(GPtrArray *blocks);

/* ---- checks.c ---- */

/* An empty document owning its lists (tables, sections, repairs, warnings,
 * checks, OCR pages) and its pattern cache; free it with bpn_document_free().
 * The builder starts from it, and so do tests that build documents by hand. */
bpn_document *bpn_document_new(void);

/* Tests the arithmetic of doc->tables into doc->checks. */
void bpn_checks_build(bpn_document *doc);
/* Sets doc->withheld_statement from its sections and its tables' notes (the
 * vocabulary's WITHHELD phrasings); once, before the checks are built. */
void bpn_withheld_read(bpn_document *doc);
void bpn_check_free(gpointer check);

/* ---- spill.c ---- */

/* An unlinked temporary file of checks (bpn_document.spill); NULL with
 * *error when none could be made.  bpn_spill_check writes one (the first
 * failed write is kept, nothing written after it); bpn_spill_ok gives it. */
bpn_spill *bpn_spill_new(GError **error);
void bpn_spill_free(bpn_spill *s);
void bpn_spill_check(bpn_spill *s, const bpn_check *k);
/* Writes table `index` of doc (its meaning read) and drops what it wrote
 * from it (bpn_table_drop_rows): bpn_document_foreach_table reads it back. */
void bpn_spill_table(bpn_spill *s, bpn_document *doc, guint index);
gboolean bpn_spill_ok(const bpn_spill *s, GError **error);
/* The repairs made while the pages are read (watermarks, page numbers,
 * hidden text: two or three a page), written to an unlinked temporary file
 * as bpn_repair_add makes them, until bpn_repair_log_seal; NULL with
 * *error when no file can be had.  bpn_repair_log_put returns FALSE when
 * the repair was not written (sealed, or the file failed: the caller holds
 * it); bpn_repair_log_ok gives the first failed write. */
bpn_repair_log *bpn_repair_log_new(GError **error);
void bpn_repair_log_free(bpn_repair_log *l);
gboolean bpn_repair_log_put(bpn_repair_log *l, const char *kind, int page, const char *from, const char *to);
void bpn_repair_log_seal(bpn_repair_log *l);
gboolean bpn_repair_log_ok(const bpn_repair_log *l, GError **error);
/* Writes table t's header rows and rows (the walk has just finished it)
 * and frees them from it: bpn_table_touch reads them back.  Left held when
 * no file can be had. */
void bpn_spill_rows_out(bpn_spill *s, bpn_table *t);
/* A pass over the tables calls this before reading a table's rows: a table
 * whose rows are out (bpn_spill_rows_out) has them read back into it, and
 * they stay until a few other tables have been touched.  Nothing changes
 * the rows in between (the OCR repairs, which do, keep them held). */
void bpn_table_touch(const bpn_document *doc, const bpn_table *t);
/* The file under the spill and the block store: written with put (the
 * first failed write kept in error, nothing written after it), read back
 * with get, in the machine's byte order.  Strings: NULL is kept. */
typedef struct {
    FILE *file;
    GError *error;
} bpn_spill_file;
gboolean bpn_spill_file_open(bpn_spill_file *f, GError **error);
void bpn_spill_file_close(bpn_spill_file *f);
void bpn_spill_put(bpn_spill_file *f, const void *data, size_t len);
void bpn_spill_put_i32(bpn_spill_file *f, int32_t v);
void bpn_spill_put_f64(bpn_spill_file *f, double v);
void bpn_spill_put_str(bpn_spill_file *f, const char *v);
gboolean bpn_spill_get(FILE *f, void *data, size_t len);
gboolean bpn_spill_get_i32(FILE *f, int32_t *v);
gboolean bpn_spill_get_f64(FILE *f, double *v);
gboolean bpn_spill_get_str(FILE *f, char **v);

/* ---- ocrfix.c: what OCR read, checked by the arithmetic and the catalogue ---- */

/* An amount OCR read in a table cell with the engine's other readings
 * (bpx_ocr_reading), kept past the page (the builder holds them). */
typedef struct {
    int page;
    bpx_rect box;
    char *text;
    char **alternatives; /* NULL-terminated */
} bpn_ocr_reading;

/* Appends page's readings (copied) to held (GArray of bpn_ocr_reading,
 * cleared by bpn_ocr_reading_clear). */
void bpn_ocr_readings_hold(GArray *held, const bpx_page *page);
void bpn_ocr_reading_clear(gpointer reading);
/* Before the checks: on the rows of tables read by OCR, a catalogue code
 * fixes a near-miss label, a catalogue label a smudged code (repairs). */
void bpn_ocr_catalogue_fix(bpn_document *doc);
/* Amounts of tables read by OCR whose marks were misread, their digits all
 * there ("1973>86", "27.664.22"), spelt with the column's decimals: a
 * repair "ocr_amount_marks" each (normalize/ocrfix.c). */
void bpn_ocr_amount_marks_fix(bpn_document *doc);
/* On the tables read by OCR: a label within a small edit distance of
 * exactly one entry of the label vocabulary (the template's row labels and
 * the catalogue's names) is set to it, its enumerator kept ("ocr_row_label");
 * a first-level enumerator misread or lost (从、 for 六、) is set to the one
 * its column's neighbours give ("ocr_enumerator").  Repairs name the cells. */
void bpn_ocr_labels_fix(bpn_document *doc);
/* The vocabulary entry (as the vocabulary prints it) that norm (comparison
 * form, not itself an entry) is a near miss of as OCR misses: within an
 * edit per six of the entry's characters, at least one (entries of four
 * or more), its
 * ideographs misread one for one or a speck before it, no other entry as
 * near; else NULL. */
const char *bpn_ocr_label_nearest(const char *norm);
/* After the checks: where one of the engine's other readings of one cell
 * makes every identity through it hold, that reading is taken (a repair;
 * doc->checks rebuilt, the settled ones marked); readings: the held ones. */
void bpn_ocr_repair(bpn_document *doc, const GArray *readings);

/* ---- forms.c: 项目支出绩效目标表 ---- */

/* Reads the performance-target forms among blocks into doc->targets (made
 * when NULL), marking used the grids, title lines and footer lines it reads.
 * Runs before bpn_tables_build(), which leaves used grids alone. */
void bpn_forms_build(bpn_document *doc, GPtrArray *blocks);
/* The same; ocr_repair FALSE (--no-ocr-repair): form labels read by OCR
 * are kept as read (formocr.c). */
void bpn_forms_build_ocr(bpn_document *doc, GPtrArray *blocks, gboolean ocr_repair);
void bpn_target_free(gpointer target);

/* ---- formchecks.c: the identities a 绩效自评表 states ---- */

/* Tests every identity the form's execution block and 总分 row state
 * (bpn_form_check says which) into t->checks, held or not. */
void bpn_target_check(bpn_target *t);

/* ---- formocr.c: forms read by OCR, mended by vocabulary and tables ---- */

/* What bpn_form_ocr_snap() found in a grid: per cell r * n_cols + c (n of
 * them) a new text (owned) and the repair kind, or NULL. */
typedef struct {
    int n;
    char **text;
    const char **kind;
} bpn_form_snap;
/* For grid g (on a page read by OCR): the cells whose text is a near miss
 * of the form vocabulary's word, a value with ≥ read as 二/三, or text with
 * specks read as marks, mended; NULL when no cell changes.  Free with
 * bpn_form_ocr_snap_free(). */
bpn_form_snap *bpn_form_ocr_snap(const bpn_grid *g);
/* Swaps the texts of snap into g and g's out into snap (twice: back). */
void bpn_form_ocr_swap(bpn_grid *g, bpn_form_snap *snap);
/* After bpn_form_ocr_swap(): keeps g's new texts, recording a repair per
 * cell (printed holds what was read), and frees printed. */
void bpn_form_ocr_snap_keep(bpn_document *doc, const bpn_grid *g, bpn_form_snap *printed);
void bpn_form_ocr_snap_free(bpn_form_snap *snap);
/* Forms read by OCR whose 项目名称 differs from a table cell's text by a
 * character or two take the table's (repairs); call after the tables. */
void bpn_forms_ocr_names(bpn_document *doc);
/* Forms read by OCR: where the period and annual sides read one printed
 * indicator text differently by an ideograph or two, the reading the
 * document's other texts support takes both sides (repairs). */
void bpn_forms_ocr_consensus(bpn_document *doc);

/* ---- frames.c: geometry for the review page (not in the JSON) ---- */

/* Appends to t->frames where grid g stands, its first header_rows kept
 * rows (rows with text) being header. */
void bpn_table_add_frame(bpn_table *t, const bpn_grid *g, guint header_rows);
void bpn_frame_free(gpointer frame);
/* Appends page's view (size, rulings, how OCR read it) to doc->pages, with
 * its OCR'd glyphs of confidence below BPN_OCR_LOW_CONFIDENCE as marks (runs
 * of them along a line as one); call before marking. */
void bpn_page_view_add(bpn_document *doc, const bpx_page *page);
/* Records a box taken off page as noise or hidden text. */
void bpn_page_mark(bpn_document *doc, int page, bpx_rect box, bpn_mark_kind kind);
/* ---- vocab.c: the domain vocabulary as data ---- */

/* A named pattern: name is what a match means (a kind, measure, …). */
typedef struct {
    const char *name;
    const char *pattern;
} bpn_vocab_entry;

typedef struct {
    const char *pattern;
    const char *replacement; /* $1 for the first group */
} bpn_vocab_rewrite;

typedef enum {
    BPN_VOCAB_TABLE_KINDS,
    BPN_VOCAB_TITLE_FUNDS,
    BPN_VOCAB_TITLE_CARRY_OVER,
    BPN_VOCAB_TITLE_CLASSIFICATION,
    BPN_VOCAB_COLUMN_ROLES,
    BPN_VOCAB_MEASURES,
    BPN_VOCAB_STAGES,
    BPN_VOCAB_SIDES,
    BPN_VOCAB_TOTAL_LABELS,
    BPN_VOCAB_ENUMERATORS,
    BPN_VOCAB_CODE_FAMILIES,
    BPN_VOCAB_UNIT_NAMES,
    BPN_VOCAB_WITHHELD,
} bpn_vocab_list_id;

const bpn_vocab_entry *bpn_vocab_list(bpn_vocab_list_id id);
/* rx: the compiled patterns (bpn_regex_cache_new; NULL compiles them at the call). */
/* Name of the first entry of list whose pattern matches norm (comparison
 * form), or NULL. */
const char *bpn_vocab_find(bpn_regex_cache *rx, const bpn_vocab_entry *list, const char *norm);
/* The title forms of the vocabulary (NULL-terminated): titles as printed,
 * without label, year and brackets. */
const char *const *bpn_vocab_title_forms(void);
/* The kind of a table from its printed title ("other" when not told). */
const char *bpn_vocab_kind(bpn_regex_cache *rx, const char *title);
/* TRUE when t's title gives it that kind (the vocabulary's TABLE_KINDS). */
gboolean bpn_table_is(bpn_regex_cache *rx, const bpn_table *t, const char *kind);
/* The amount units disclosures print, each with its factor to 万元: the one
 * list that tables' captions, forms' labels and the prose are read by.
 * Longer words first, so that an alternation tries 百万元 before 万元. */
#define BPN_AMOUNT_UNITS(X) X("百万元", 100.0) X("千万元", 1000.0) X("亿元", 1e4) X("千元", 0.1) X("万元", 1.0) X("元", 1e-4)
#define BPN_AMOUNT_UNIT_ALT_(word, to_wan) word "|"
/* A pattern matching any of the units (the trailing empty branch is made
 * to fail, so that the pattern never matches nothing). */
#define BPN_UNIT_RE "(?:" BPN_AMOUNT_UNITS(BPN_AMOUNT_UNIT_ALT_) "(*FAIL))"
/* The unit word text starts with ("万元（", "元）"), longest first; NULL when
 * none.  The word returned is the vocabulary's (static). */
const char *bpn_vocab_unit_at(const char *text);
/* The unit a text states in brackets ("项目资金（万元）", normalised: "(万元)"),
 * or NULL. */
const char *bpn_vocab_bracketed_unit(const char *n);
/* Factor from a table's printed unit to 万元: 1 when it prints none or one
 * not in the list (a table without a unit is read as 万元, the template's). */
double bpn_table_to_wan(const bpn_table *t);
/* The row labels of the template's tables (NULL-terminated), besides the
 * catalogue's names: what an OCR'd label is read as when near one. */
const char *const *bpn_vocab_row_labels(void);
/* The i-th name of the classification catalogue (names repeat: 行政运行),
 * NULL past its end. */
const char *bpn_vocab_code_name_at(gsize i);
/* Standard name of a classification code, or NULL. */
const char *bpn_vocab_code_name(const char *code);
/* The code of a standard name in a family ('2' function, '3' 部门预算 and
 * '5' 政府预算 economic), when exactly one code has it; else NULL. */
const char *bpn_vocab_code_of_name(const char *name, char family);
/* Whether name (comparison form) is the standard name of some code. */
gboolean bpn_vocab_is_code_name(const char *name);
/* The catalogue's one code named name (comparison form) that differs from
 * code by one glyph changed, added or dropped, or of several such the one
 * whose first digit is family ('\0': none): a smudged code's standing
 * in; NULL when none or several (normalize/ocrfix.c). */
const char *bpn_vocab_code_near(const char *code, const char *name, char family);
/* Whether byte strings a and b differ by exactly one byte changed, added or
 * dropped (codes and digit strings: one glyph each). */
gboolean bpn_one_glyph_apart(const char *a, const char *b);
/* The function class (类, 3 digits) whose standard name is exactly name,
 * when no other code has that name (一、一般公共服务支出 in a 收支总表); NULL. */
const char *bpn_vocab_class_of_name(const char *name);
/* Region of a unit from its name; out is cleared first. */
void bpn_region_of(bpn_regex_cache *rx, const char *name, bpn_region *out);
void bpn_region_clear(bpn_region *r);

/* ---- meaning.c: what tables, columns and rows mean ---- */

/* Fills t->meaning of every table and doc's unit_key, region and unit code. */
void bpn_meaning_build(bpn_document *doc);
/* The same table by table, for a caller that lets each table go once its
 * meaning is read (document.c's spill): begin (after the summary is read),
 * bpn_meaning_table for every table in order (it reads no other table), end
 * (the unit and the summary's provenance; frees the walk). */
typedef struct bpn_meaning_walk bpn_meaning_walk;
bpn_meaning_walk *bpn_meaning_begin(bpn_document *doc);
void bpn_meaning_table(bpn_meaning_walk *w, guint i);
void bpn_meaning_end(bpn_meaning_walk *w);
void bpn_table_meaning_free(bpn_table_meaning *m);

/* ---- document.c ---- */
/* Reads doc's unit, department, year and document type from the blocks
 * (bpn_block*, in reading order) and doc->tables; warns what it could not
 * read. */
void bpn_identity_read(bpn_document *doc, GPtrArray *blocks);
void bpn_warn(bpn_document *doc, int page, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void bpn_repair_add(bpn_document *doc, const char *kind, int page, const char *from, const char *to);

/* ---- titles.c: OCR'd titles checked against the vocabulary's title forms ---- */

/* Gives each line of an OCR page (bpn_line, in lines) that the page's
 * tall-line readings (page->ocr_lines) read as it reads the other readings
 * of it (line->ocr_alternatives). */
void bpn_ocr_lines_attach(const bpx_page *page, GPtrArray *lines);
/* text (an OCR'd title line) with its title snapped to the nearest title
 * form, label, year and brackets kept as read; NULL when no form is near
 * enough or two forms of different kinds are equally near.  *distance: the
 * edit distance (ideographs) to the form.  Caller frees. */
char *bpn_title_snap(bpn_regex_cache *rx, const char *text, int *distance);
/* Before the tables are built: the lines over each grid of an OCR page
 * (and at the foot of the page before, for a grid at the top), read as the
 * reading — the line's own or one of its ocr_alternatives — nearest a title
 * form, snapped to it; each change is a repair ("ocr_title"). */
void bpn_ocr_titles_fix(bpn_document *doc, GPtrArray *blocks);

#endif
