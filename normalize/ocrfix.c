/* ocrfix.c — what OCR read, checked by the tables' own arithmetic and by
 * the classification catalogue.
 *
 * Tesseract is as sure of most of its misreadings as of its right readings
 * (extract/ocr.c), so its confidence cannot tell a wrong digit; the tables
 * can.  A budget table states identities (checks.c: a parent code is the
 * sum of its children, 合计 the sum of its parts …), and a misread digit
 * breaks the ones through its cell.  For each amount it read in a cell the
 * extract stage keeps the engine's other readings (bpx_ocr_reading: one
 * symbol's alternative digit from Tesseract's choice iterator, or the
 * reading of the other pass); this file chooses among them, and, where
 * none settles a check, among the amounts a digit away that the check
 * itself asks for (3b).
 *
 * The arithmetic, bpn_ocr_repair():
 *  1. pair_readings(): the readings are paired with the cells of the tables
 *     read by OCR (every page of the table an OCR page).  Per table, the
 *     readings inside its frames, ordered by frame, grid row and grid
 *     column, against its data cells in row order, text for text (compared
 *     in bpn_norm form): the k-th reading of a text is the k-th cell
 *     printing it.  A text found a different number of times on the two
 *     sides stays unpaired: nothing is guessed.
 *     The glyphs compared are sorted (glyph_key()): normalize lines glyphs
 *     up by the boxes the engine gives, which are rough, and a cell may
 *     hold its reading's glyphs in another order ("48.53" for the "48.35"
 *     read, "1 14." for "1.14"); restore_order() gives such a cell the
 *     engine's order (repair "ocr_glyph_order") and the checks are built
 *     again.
 *  2. The candidates: paired cells holding an amount that stand in a failed
 *     check, outside rows numbering the columns (numbering_row(): 栏次 1 2
 *     3 … taken for data when a 1 is misread, whose "sums" a digit
 *     changed would satisfy).
 *  3. settles(): an alternative must first make up the difference of each
 *     failed sum through the cell (can_close(): the cell enters a sum once,
 *     so the change must equal the difference, within the tolerance);
 *     then it is put in its cell and the checks are run again, on its
 *     table alone first (table_alone_holds()), then on the whole document
 *     (bpn_checks_build, for the checks across tables); it settles
 *     the cell when at least one check runs through the cell, every check
 *     through it holds with every cell of it read as an amount or blank
 *     (all_read(): an unread "2.00-" counts as 0 and proves nothing), and
 *     no check fails that held before (fail_counts: per table, rule, row
 *     and column).  The cell is put back.
 *  3b. asked_amounts(): where no alternative of the engine settles a
 *     failed check, the check says what its cells should print: each
 *     cell's value moved by the check's difference (either way, the
 *     cell's side unknown).  Such an amount is an alternative of the cell
 *     only when it is the reading with one digit changed, added or
 *     dropped, marks aside (digits_of(), bpn_one_glyph_apart()): what the engine
 *     does to a printed amount — a speck read as a digit ("31,235.41"),
 *     a digit lost ("15.45" for 115.45), one misread, a point read as a
 *     digit or lost ("8000" for 80.00), marks for points ("1973>86").
 *     The candidates then include the cells of a table read by OCR in a
 *     failed check that no reading was paired with: amounts, and texts
 *     that may be one misread (amount_like(): digits and at most three
 *     other glyphs, "二,471.70", counted 0 in the checks).  settles() is
 *     the judge, as for the engine's alternatives: a cell whose value
 *     enters another check that holds cannot be moved, so in a table
 *     with row and column sums only the misread cell settles; a check
 *     short by a round 10 asks a digit of many cells of a lone column
 *     sum, and they compete (4).
 *  4. A candidate with exactly one settling alternative, none of whose
 *     failed checks another candidate settles, takes it: a repair
 *     "ocr_reading" (from and to, the cell, the checks), or
 *     "ocr_digit_by_checks" when the checks asked it.  A candidate with
 *     several, or competing with another candidate for a failed check,
 *     keeps its reading and a warning names it (in doubt) when the engine
 *     offered one of them (amounts only the checks asked would name every
 *     cell of a lone sum a digit from its difference: the failed check
 *     says as much).
 *  5. With repairs made the checks are built once more, and 2-5 run
 *     again (up to BPN_OCR_REPAIR_ROUNDS): a check that had two misread
 *     cells has one left once the other is repaired through another
 *     check.  The last round's doubts are warned of.  The checks through
 *     a repaired cell that hold are marked settled_by_ocr (the reading
 *     was chosen to make them hold: they are no independent evidence)
 *     and each repair lists them.
 *
 * The marks, bpn_ocr_amount_marks_fix() (first, before the checks): a
 * cell of a table read by OCR holding digits and marks only that spells
 * no amount, in a column of amounts, is the amount its digits make with
 * the column's decimals (column_decimals()): the last run of marks the
 * point, the others thousands separators, each before three digits
 * (amount_from_marks(): "1973>86", "27.664.22", "1,,499..26").  A letter
 * or ideograph among the digits leaves it to the arithmetic: it may be a
 * digit.  A repair "ocr_amount_marks".
 *
 * The catalogue, bpn_ocr_catalogue_fix() (before the checks, as a code
 * read again changes what they add up): on each row of a table read by
 * OCR, the first cell printing a classification code and the next cell
 * right of it printing a label.  A code in the catalogue (read cleanly)
 * puts right a label within a small edit distance of the code's name
 * (near_miss(): at most a quarter of the name's characters, at least one)
 * unless the label is itself some code's name; a label that is exactly a
 * catalogue name recovers a code not in the catalogue, or one in it whose
 * name is far from the label (30305 生活补助 read for 30205 水费), when
 * exactly one code of that name is a glyph from it, changed, added or
 * dropped (bpn_vocab_code_near; of several, the one of the family most
 * of the column's codes are of, code_family(): 30199 rather than 50199
 * for 80199 among 3xxxx codes): in the table's column of codes a cell of
 * digits but one glyph (misread_code(): 302195, 3021了) is a code misread.
 * Both are repairs ("ocr_label_by_code", "ocr_code_by_label") naming the
 * cell.
 *
 * The labels, bpn_ocr_labels_fix() (after the catalogue, before the
 * checks), on each table read by OCR:
 *  1. every cell printing an ideograph and no amount is a label; its
 *     first-level enumerator (三、) is set apart (enumerator_of()) and the
 *     rest compared with the label vocabulary: the template's row labels
 *     (vocab.c ROW_LABELS: 上年结转, 支出合计, 基本支出 …) and the
 *     catalogue's names.  bpn_ocr_label_nearest() takes the entry the label
 *     is a near miss of — an edit per six of the entry's characters, at
 *     least one (entries of four or more), as OCR misses: its ideographs misread one
 *     for one, marks or a speck before it added (speck_glyph(): no letter, digit
 *     or numeral, which may be its enumerator) — when no other entry is a
 *     near miss as close: 文出合计 is 支出合计; 水计 (小计? 合计?), 印刷品
 *     (印刷费?) and 办公设备购置费 (an ideograph more than 办公设备购置)
 *     stay, and so does 其他维修和保养服务 (two of nine from
 *     车辆维修和保养服务: a label the vocabulary has not).  A label printed
 *     twice alike (label_counts()) is read right.
 *     A repair "ocr_row_label", the enumerator kept as read.  (The
 *     document's own labels printed twice alike are no vocabulary: names
 *     of projects differ by an ideograph, 省政协全委会 and 省政协常委会.)
 *  2. enumerators_fix(): in each column the first-level enumerators run
 *     一、二、三 …; a label between the nearest two whose values differ by
 *     two (items of a lower level, 1. 2., between them), or the first above
 *     a 二、, takes the value between (enumerator_expected()) when what
 *     follows its mark (从、 for 六、, 二和二、 for 二十、), or a speck or
 *     two, or nothing (its mark lost, or read at the label's end:
 *     一基本支出、), is a vocabulary entry or a near miss of one (一财政拨直:
 *     一、财政拨款), and it is the one label between those two that is.  A
 *     repair "ocr_enumerator".  An item of a lower level
 *     (1. (一) ①) is never given a first-level mark.
 *
 * What it misses: two misread cells in one identity that no other check
 * separates (neither settles alone while the other is wrong); a cell
 * misread by more than one digit that the engine offered nothing else
 * for; a lone sum whose difference a digit of several cells makes up
 * (in doubt); cells of a table
 * whose text repeats unevenly (unpaired); identities the tables do not
 * state; codes printed in separate 类 | 款 | 项 columns or joined to their
 * label in one cell (the catalogue pass reads neither); codes outside the
 * catalogue's 416 (normalize/data/codes.tsv); a label misread further
 * than its bound (a code's name: a quarter; a vocabulary entry: an edit
 * per six characters) or read as nothing; a label the vocabulary has not;
 * a misread label printed twice alike; two neighbouring enumerators both
 * misread.
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef BPN_OCR_REPAIR_ROUNDS
#define BPN_OCR_REPAIR_ROUNDS 3 /* rounds of the arithmetic at most */
#endif

/* ---------------------------------------------------------- held readings */

void bpn_ocr_reading_clear(gpointer p)
{
    bpn_ocr_reading *r = p;
    g_free(r->text);
    g_strfreev(r->alternatives);
}

void bpn_ocr_readings_hold(GArray *held, const bpx_page *page)
{
    for (size_t i = 0; i < page->n_ocr_readings; i++) {
        const bpx_ocr_reading *x = &page->ocr_readings[i];
        bpn_ocr_reading r = {page->number, x->box, g_strdup(x->text), g_strdupv(x->alternatives)};
        g_array_append_val(held, r);
    }
}

/* ------------------------------------------------------------------ tables */

static bpn_cell *cell_at(const bpn_table *t, int r, int c)
{
    return &((bpn_row *)t->rows->pdata[r])->cells[c];
}

static gboolean int_in(const GArray *a, int v)
{
    for (guint i = 0; a && i < a->len; i++)
        if (g_array_index(a, int, i) == v)
            return TRUE;
    return FALSE;
}

/* Every page of t was read by OCR. */
static gboolean read_by_ocr(const bpn_document *doc, const bpn_table *t)
{
    if (!t->pages || !t->pages->len || !doc->source.ocr_pages)
        return FALSE;
    for (guint i = 0; i < t->pages->len; i++)
        if (!int_in(doc->source.ocr_pages, g_array_index(t->pages, int, i)))
            return FALSE;
    return TRUE;
}

static int first_page(const bpn_table *t)
{
    return t->pages && t->pages->len ? g_array_index(t->pages, int, 0) : 0;
}

/* A cell's new text, its number read again. */
static void cell_set(bpn_cell *x, const char *text)
{
    char *s = g_strdup(text);
    g_free(x->text);
    x->text = s;
    double v = 0;
    x->is_number = bpn_parse_amount(s, &v);
    x->number = x->is_number ? v : 0;
}

/* -------------------------------------------------------------- 1: pairing */

/* A table cell and the reading OCR made of it. */
typedef struct {
    int table, row, col;
    const bpn_ocr_reading *reading;
} paired_t;

typedef struct {
    int frame, row, col;
    const bpn_ocr_reading *reading;
} placed_t;

static int placed_cmp(const void *a, const void *b)
{
    const placed_t *x = a, *y = b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Index of the band of edges (n + 1 of them) holding v, or -1. */
static int band_of(const double *edges, int n, double v)
{
    for (int i = 0; i < n; i++)
        if (v >= edges[i] && v < edges[i + 1])
            return i;
    return -1;
}

/* What a reading and its cell have in common: the glyphs, in comparison
 * form, sorted (the cell may hold the reading's glyphs in another order,
 * see restore_order()). */
static char *glyph_key(const char *text)
{
    char *n = bpn_norm(text);
    glong len = 0;
    gunichar *u = g_utf8_to_ucs4_fast(n, -1, &len);
    for (glong i = 1; i < len; i++) /* insertion sort: a few glyphs */
        for (glong j = i; j > 0 && u[j - 1] > u[j]; j--) {
            gunichar t = u[j];
            u[j] = u[j - 1], u[j - 1] = t;
        }
    char *key = g_ucs4_to_utf8(u, len, NULL, NULL, NULL);
    g_free(u);
    g_free(n);
    return key;
}

/* Appends to out (paired_t) the cells of table ti paired with readings. */
static void pair_table(const bpn_document *doc, int ti, const GArray *readings, GArray *out)
{
    const bpn_table *t = doc->tables->pdata[ti];
    if (!t->frames || !read_by_ocr(doc, t))
        return;
    GArray *placed = g_array_new(FALSE, FALSE, sizeof(placed_t));
    for (guint i = 0; i < readings->len; i++) {
        const bpn_ocr_reading *r = &g_array_index(readings, bpn_ocr_reading, i);
        double cx = (r->box.x0 + r->box.x1) / 2, cy = (r->box.y0 + r->box.y1) / 2;
        for (guint f = 0; f < t->frames->len; f++) {
            const bpn_frame *fr = t->frames->pdata[f];
            if (fr->page != r->page)
                continue;
            int row = band_of(fr->ys, fr->n_rows, cy), col = band_of(fr->xs, fr->n_cols, cx);
            if (row < 0 || col < 0)
                continue;
            placed_t p = {(int)f, row, col, r};
            g_array_append_val(placed, p);
            break;
        }
    }
    g_array_sort(placed, placed_cmp);
    /* text for text: the k-th reading of a text, the k-th cell printing it */
    GHashTable *done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < placed->len; i++) {
        char *key = glyph_key(g_array_index(placed, placed_t, i).reading->text);
        if (g_hash_table_contains(done, key)) {
            g_free(key);
            continue;
        }
        GPtrArray *mine = g_ptr_array_new();
        for (guint j = i; j < placed->len; j++) {
            char *k2 = glyph_key(g_array_index(placed, placed_t, j).reading->text);
            if (strcmp(k2, key) == 0)
                g_ptr_array_add(mine, &g_array_index(placed, placed_t, j));
            g_free(k2);
        }
        GArray *cells = g_array_new(FALSE, FALSE, sizeof(int));
        for (guint r = 0; r < t->rows->len; r++)
            for (int c = 0; c < t->n_cols; c++) {
                const bpn_cell *x = cell_at(t, (int)r, c);
                if (!x->text)
                    continue;
                char *k2 = glyph_key(x->text);
                if (strcmp(k2, key) == 0) {
                    int rc[2] = {(int)r, c};
                    g_array_append_vals(cells, rc, 2);
                }
                g_free(k2);
            }
        if (cells->len / 2 == mine->len)
            for (guint k = 0; k < mine->len; k++) {
                paired_t p = {ti, g_array_index(cells, int, 2 * k), g_array_index(cells, int, 2 * k + 1),
                              ((placed_t *)mine->pdata[k])->reading};
                g_array_append_val(out, p);
            }
        g_array_free(cells, TRUE);
        g_ptr_array_unref(mine);
        g_hash_table_add(done, key);
    }
    g_hash_table_unref(done);
    g_array_free(placed, TRUE);
}

/* --------------------------------------------------------- 2-3: settling */

static char *check_key(const bpn_check *k)
{
    return g_strdup_printf("%d\x1f%s\x1f%s\x1f%s", k->table_index, k->rule, k->row ? k->row : "",
                           k->column ? k->column : "");
}

/* How many checks fail, per check_key. */
static GHashTable *fail_counts(const GPtrArray *checks)
{
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < checks->len; i++) {
        const bpn_check *k = checks->pdata[i];
        if (k->ok)
            continue;
        char *key = check_key(k);
        int n = GPOINTER_TO_INT(g_hash_table_lookup(h, key));
        g_hash_table_replace(h, key, GINT_TO_POINTER(n + 1));
    }
    return h;
}

static gboolean check_through(const bpn_check *k, int table, int row, int col)
{
    if (k->table_index != table || !k->cells)
        return FALSE;
    for (guint j = 0; j + 1 < k->cells->len; j += 2)
        if (g_array_index(k->cells, int, j) == row && g_array_index(k->cells, int, j + 1) == col)
            return TRUE;
    return FALSE;
}

/* The document's checks built afresh (doc->checks left as it was). */
static GPtrArray *checks_again(bpn_document *doc)
{
    GPtrArray *keep = doc->checks;
    doc->checks = g_ptr_array_new_with_free_func(bpn_check_free);
    bpn_checks_build(doc);
    GPtrArray *fresh = doc->checks;
    doc->checks = keep;
    return fresh;
}

/* Whether every check of table t alone through cell (row, col) holds, at
 * least one running through it: the cheap test an alternative must pass
 * before the whole document's checks are run again. */
static gboolean table_alone_holds(bpn_table *t, int row, int col)
{
    bpn_document scratch = {0};
    scratch.tables = g_ptr_array_new();
    g_ptr_array_add(scratch.tables, t);
    scratch.checks = g_ptr_array_new_with_free_func(bpn_check_free);
    bpn_checks_build(&scratch);
    guint through = 0;
    gboolean ok = TRUE;
    for (guint i = 0; i < scratch.checks->len && ok; i++) {
        const bpn_check *k = scratch.checks->pdata[i];
        if (check_through(k, 0, row, col)) {
            through++;
            ok = k->ok;
        }
    }
    g_ptr_array_unref(scratch.checks);
    g_ptr_array_unref(scratch.tables);
    return ok && through > 0;
}

/* Whether reading alt in the cell makes every check through it hold, with
 * no check failing that held before (before: fail_counts of doc->checks). */
/* Whether every cell of check k (of table t) but the one at (row, col),
 * whose alternative is on trial, holds an amount or nothing:
 * a cell with digits that did not read as an amount counts as 0 in the
 * check, and a check that holds only so is no evidence. */
static gboolean all_read(const bpn_table *t, const bpn_check *k, int row, int col)
{
    for (guint j = 0; j + 1 < k->cells->len; j += 2) {
        int r = g_array_index(k->cells, int, j), c = g_array_index(k->cells, int, j + 1);
        if (r < 0 || r >= (int)t->rows->len || c < 0 || c >= t->n_cols || (r == row && c == col))
            continue;
        const bpn_cell *x = cell_at(t, r, c);
        if (!x->is_number && x->text && strpbrk(x->text, "0123456789"))
            return FALSE;
    }
    return TRUE;
}

/* The column of a table's classification codes: the leftmost holding at
 * least two cells of three to seven digits; -1 when none does. */
static int code_column(const bpn_table *t)
{
    for (int c = 0; c < t->n_cols; c++) {
        int n = 0;
        for (guint r = 0; r < t->rows->len && n < 2; r++) {
            const char *x = cell_at(t, (int)r, c)->text;
            size_t len = x ? strlen(x) : 0;
            n += len >= 3 && len <= 7 && strspn(x, "0123456789") == len;
        }
        if (n >= 2)
            return c;
    }
    return -1;
}

/* Whether the rows a sum of codes (children_sum, total_row) adds are in
 * doubt: a code cell of the table read with a glyph that is no digit
 * ("3021了"), or a code whose parent the table does not list ("30807" read
 * for 30307 under 303).  Such a row is left out of the sum it belongs to,
 * and an alternative that makes up its amount elsewhere would "settle" the
 * sum with a wrong digit (200 read again as 300 to stand in for the lost
 * 维修费 100).  A table listing codes of one length only (项 codes
 * under a 合计) has no parents to miss.  A check in doubt settles nothing. */
static gboolean codes_in_doubt(const bpn_table *t, const bpn_check *k)
{
    if (strcmp(k->rule, "children_sum") != 0 && strcmp(k->rule, "total_row") != 0)
        return FALSE;
    int col = code_column(t);
    if (col < 0)
        return FALSE;
    GHashTable *codes = g_hash_table_new(g_str_hash, g_str_equal);
    gboolean level[8] = {FALSE}; /* the lengths of code the table lists */
    for (guint r = 0; r < t->rows->len; r++) {
        const char *x = cell_at(t, (int)r, col)->text;
        if (x && *x && strspn(x, "0123456789") == strlen(x)) {
            g_hash_table_add(codes, (gpointer)x);
            level[MIN(strlen(x), 7)] = TRUE;
        }
    }
    gboolean doubt = FALSE;
    for (guint r = 0; r < t->rows->len && !doubt; r++) {
        const char *x = cell_at(t, (int)r, col)->text;
        if (!x || !*x)
            continue;
        size_t len = strlen(x), digits = 0;
        for (const char *q = x; *q; q++)
            digits += g_ascii_isdigit(*q);
        if (digits == len) {
            if ((len == 5 || len == 7) && level[len - 2]) { /* a table of 项 codes only lists no parents */
                char *parent = g_strndup(x, len - 2);
                doubt = !g_hash_table_contains(codes, parent);
                g_free(parent);
            }
        } else {
            /* digits and a glyph or two that are none, no longer than a code */
            doubt = digits >= 2 && g_utf8_strlen(x, -1) <= 8 && g_utf8_strlen(x, -1) - (glong)digits <= 2;
        }
    }
    g_hash_table_unref(codes);
    return doubt;
}

/* Whether changing the cell by delta can make each of its failed checks
 * (indexes into doc->checks) that add up amounts of its own table in its
 * own unit hold: the cell enters them once, added or subtracted, so delta
 * must make up their difference, within their tolerance.  A necessary
 * condition, cheap: most alternatives fail it. */
static gboolean can_close(const bpn_document *doc, const GArray *failed, double delta)
{
    static const char *const in_table[] = {"children_sum", "total_row", "column_sum", "carry_over"};
    for (guint i = 0; i < failed->len; i++) {
        const bpn_check *k = doc->checks->pdata[g_array_index(failed, int, i)];
        gboolean plain = FALSE;
        for (gsize r = 0; r < G_N_ELEMENTS(in_table) && !plain; r++)
            plain = strcmp(k->rule, in_table[r]) == 0;
        if (plain && fabs(fabs(delta) - fabs(k->expected - k->found)) > k->tolerance + 1e-6)
            return FALSE;
    }
    return TRUE;
}

static gboolean settles(bpn_document *doc, const paired_t *p, const GArray *failed, const char *alt,
                        GHashTable *before)
{
    bpn_table *t = doc->tables->pdata[p->table];
    bpn_cell *x = cell_at(t, p->row, p->col);
    double want = 0;
    if (!bpn_parse_amount(alt, &want) || !can_close(doc, failed, want - x->number))
        return FALSE;
    bpn_cell saved = *x;
    x->text = g_strdup(alt);
    double v = 0;
    x->is_number = bpn_parse_amount(alt, &v);
    x->number = v;
    gboolean ok = x->is_number && table_alone_holds(t, p->row, p->col);
    GPtrArray *fresh = ok ? checks_again(doc) : NULL;
    g_free(x->text);
    *x = saved;
    if (!fresh)
        return FALSE;
    guint through = 0;
    for (guint i = 0; i < fresh->len && ok; i++) {
        const bpn_check *k = fresh->pdata[i];
        if (check_through(k, p->table, p->row, p->col)) {
            through++;
            ok = k->ok && all_read(t, k, p->row, p->col) && !codes_in_doubt(t, k);
        }
    }
    if (ok && through) {
        GHashTable *after = fail_counts(fresh);
        GHashTableIter it;
        gpointer key, n;
        g_hash_table_iter_init(&it, after);
        while (ok && g_hash_table_iter_next(&it, &key, &n))
            ok = GPOINTER_TO_INT(n) <= GPOINTER_TO_INT(g_hash_table_lookup(before, key));
        g_hash_table_unref(after);
    }
    g_ptr_array_unref(fresh);
    return ok && through > 0;
}

/* 1b. A cell holding its reading's glyphs in another order (normalize
 * lines glyphs up by their boxes, which the engine gives only roughly:
 * "48.35" read, "48.53" or "1 14." in the cell) is given the engine's
 * order: the reading as read (a repair, ocr_glyph_order). */
static guint restore_order(bpn_document *doc, const GArray *pairs)
{
    guint n_restored = 0;
    for (guint i = 0; i < pairs->len; i++) {
        const paired_t *p = &g_array_index(pairs, paired_t, i);
        bpn_cell *x = cell_at(doc->tables->pdata[p->table], p->row, p->col);
        char *n = bpn_norm(x->text), *r = bpn_norm(p->reading->text);
        gboolean differ = strcmp(n, r) != 0;
        g_free(n);
        g_free(r);
        if (!differ)
            continue;
        char *from = g_strdup(x->text);
        cell_set(x, p->reading->text);
        bpn_repair_add(doc, "ocr_glyph_order", p->reading->page, from, x->text);
        bpn_repair *rp = doc->repairs->pdata[doc->repairs->len - 1];
        rp->in_cell = TRUE;
        rp->table_index = p->table, rp->row = p->row, rp->col = p->col;
        g_free(from);
        n_restored++;
    }
    return n_restored;
}

/* Whether a row numbers the columns (栏次 1 2 3 …) rather than holding
 * amounts: three small integers or more, each one more than the one before
 * (a row misread as data when its 1 is read as a letter: its sums are no
 * identities). */
static gboolean numbering_row(const bpn_table *t, int row)
{
    int last = -1, run = 0;
    for (int c = 0; c < t->n_cols; c++) {
        const bpn_cell *x = cell_at(t, row, c);
        if (!x->text)
            continue;
        char *n = bpn_norm(x->text);
        int v = bpn_match("^\\d{1,2}$", n) ? atoi(n) : -1;
        g_free(n);
        if (v < 0)
            continue;
        run = last >= 0 && v == last + 1 ? run + 1 : 1;
        last = v;
        if (run >= 3)
            return TRUE;
    }
    return FALSE;
}

/* ------------------------------------------ 3b: the amount the checks ask */

/* The digits of a cell's text (comparison form), every other glyph left
 * out: what a misread amount and the amount printed still share. */
static char *digits_of(const char *text)
{
    char *n = bpn_norm(text ? text : "");
    GString *s = g_string_new(NULL);
    for (const char *q = n; *q; q++)
        if (g_ascii_isdigit(*q))
            g_string_append_c(s, *q);
    g_free(n);
    return g_string_free(s, FALSE);
}

/* Whether a cell's text may be an amount misread: digits, at least two,
 * and no more than three other glyphs ("24,.-458.43", "二,471.70",
 * "1973>86"), none of them two ideographs running (a label). */
static gboolean amount_like(const bpn_cell *x)
{
    if (x->is_number)
        return TRUE;
    if (!x->text)
        return FALSE;
    char *n = bpn_norm(x->text);
    int digits = 0, others = 0, han_run = 0, han_max = 0;
    for (const char *q = n; *q; q = g_utf8_next_char(q)) {
        gunichar u = g_utf8_get_char(q);
        gboolean d = u < 128 && g_ascii_isdigit((char)u);
        digits += d;
        others += !d && u != '.' && u != ',';
        han_run = bpn_is_cjk(u) ? han_run + 1 : 0;
        han_max = MAX(han_max, han_run);
    }
    g_free(n);
    return digits >= 2 && others <= 3 && han_max < 2 && others < digits;
}

/* "1234567.5" with a comma every three digits before the point. */
static char *grouped(const char *plain)
{
    const char *dot = strchr(plain, '.'), *start = plain + (*plain == '-');
    size_t int_len = (size_t)((dot ? dot : plain + strlen(plain)) - start);
    GString *s = g_string_new(NULL);
    g_string_append_len(s, plain, start - plain);
    for (size_t i = 0; i < int_len; i++) {
        if (i && (int_len - i) % 3 == 0)
            g_string_append_c(s, ',');
        g_string_append_c(s, start[i]);
    }
    if (dot)
        g_string_append(s, dot);
    return g_string_free(s, FALSE);
}

/* The amounts that would close the failed checks through a cell (each
 * check that adds amounts of the cell's own table, or holds two of them
 * equal, a 收支总表's balance: its value moved by the check's difference,
 * either way) and that are its reading with one digit
 * changed, added or dropped, its marks left out (a speck read as a digit,
 * a digit lost, one misread, a point read as a digit: "31,235.41" for
 * 1,235.41, "15.45" for 115.45, "9,056.79" for 9,066.79, "8000" for
 * 80.00), printed with the decimals the check's other amounts print and
 * the reading's thousands separators.  Appended to out (owned strings). */
static void asked_amounts(const bpn_document *doc, const bpn_table *t, int row, int col, const GArray *failed,
                          GPtrArray *out)
{
    /* the identities of amounts of the cell's own table, in its unit */
    static const char *const in_table[] = {"children_sum", "total_row", "column_sum", "carry_over", "balance"};
    const bpn_cell *x = cell_at(t, row, col);
    char *read = digits_of(x->text);
    gboolean minus = x->text && strchr(x->text, '-') != NULL, commas = x->text && strchr(x->text, ',') != NULL;
    for (guint i = 0; i < failed->len; i++) {
        const bpn_check *k = doc->checks->pdata[g_array_index(failed, int, i)];
        gboolean plain = FALSE;
        for (gsize r = 0; r < G_N_ELEMENTS(in_table) && !plain; r++)
            plain = strcmp(k->rule, in_table[r]) == 0;
        if (!plain || k->source_table != t)
            continue;
        int decimals = 0; /* as the check's amounts print them */
        for (guint j = 0; j + 1 < k->cells->len; j += 2) {
            int r = g_array_index(k->cells, int, j), c = g_array_index(k->cells, int, j + 1);
            if (r < 0 || r >= (int)t->rows->len || c < 0 || c >= t->n_cols)
                continue;
            const bpn_cell *y = cell_at(t, r, c);
            const char *dot = y->is_number && y->text ? strrchr(y->text, '.') : NULL;
            if (dot)
                decimals = MAX(decimals, (int)strspn(dot + 1, "0123456789"));
        }
        double delta = k->expected - k->found;
        for (int sign = -1; sign <= 1; sign += 2) {
            double want = (x->is_number ? x->number : 0) + sign * delta;
            if (fabs(want) < 1e-9 || (want < 0 && !minus))
                continue;
            char *plain_text = g_strdup_printf("%.*f", decimals, want);
            char *digits = digits_of(plain_text);
            if (strcmp(read, digits) == 0 || bpn_one_glyph_apart(read, digits)) {
                char *text = commas ? grouped(plain_text) : g_strdup(plain_text);
                gboolean dup = FALSE;
                for (guint j = 0; j < out->len && !dup; j++)
                    dup = strcmp(out->pdata[j], text) == 0;
                if (dup || (x->text && strcmp(text, x->text) == 0))
                    g_free(text);
                else
                    g_ptr_array_add(out, text);
            }
            g_free(digits);
            g_free(plain_text);
        }
    }
    g_free(read);
}

/* ------------------------------------------------------------ 4-5: choose */

typedef struct {
    paired_t cell;       /* reading NULL: a cell no reading was paired with */
    GPtrArray *settling; /* char* (owned): the alternatives that settle it */
    GPtrArray *asked;    /* char* (owned): those of them the checks asked for */
    GArray *failed;      /* int: the failed checks (doc->checks) through it */
} candidate_t;

static const char *table_name(const bpn_table *t)
{
    return t->title ? t->title : "";
}

/* Whether cand holds table ti's cell (row, col). */
static gboolean has_candidate(const GArray *cands, int ti, int row, int col)
{
    for (guint i = 0; i < cands->len; i++) {
        const paired_t *p = &g_array_index(cands, candidate_t, i).cell;
        if (p->table == ti && p->row == row && p->col == col)
            return TRUE;
    }
    return FALSE;
}

/* The failed checks through table ti's cell (row, col): indexes into
 * doc->checks. */
static GArray *failed_through(const bpn_document *doc, int ti, int row, int col)
{
    GArray *failed = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint k = 0; k < doc->checks->len; k++) {
        const bpn_check *c = doc->checks->pdata[k];
        if (!c->ok && check_through(c, ti, row, col)) {
            int ki = (int)k;
            g_array_append_val(failed, ki);
        }
    }
    return failed;
}

/* A cell in doubt, to warn of once the rounds are over. */
typedef struct {
    int page;
    char *message;
} doubt_t;

static void doubt_clear(gpointer p)
{
    g_free(((doubt_t *)p)->message);
}

/* Steps 2-5 once: the repairs made (0 when none); doubts (doubt_t) set to
 * the cells in doubt this round. */
static guint repair_round(bpn_document *doc, const GArray *pairs, GArray *doubts)
{
    g_array_set_size(doubts, 0);
    /* 2: the paired amounts in a failed check, then the other cells of
     * tables read by OCR in one that hold an amount or what may be one
     * misread */
    GArray *cands = g_array_new(FALSE, FALSE, sizeof(candidate_t));
    for (guint i = 0; i < pairs->len; i++) {
        const paired_t *p = &g_array_index(pairs, paired_t, i);
        if (!cell_at(doc->tables->pdata[p->table], p->row, p->col)->is_number ||
            numbering_row(doc->tables->pdata[p->table], p->row) ||
            has_candidate(cands, p->table, p->row, p->col))
            continue;
        GArray *failed = failed_through(doc, p->table, p->row, p->col);
        if (!failed->len) {
            g_array_free(failed, TRUE);
            continue;
        }
        candidate_t c = {*p, g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free), failed};
        g_array_append_val(cands, c);
    }
    for (guint k = 0; k < doc->checks->len; k++) {
        const bpn_check *ck = doc->checks->pdata[k];
        if (ck->ok || !ck->cells || ck->table_index < 0 || ck->table_index >= (int)doc->tables->len)
            continue;
        bpn_table *t = doc->tables->pdata[ck->table_index];
        if (ck->source_table != t || !read_by_ocr(doc, t))
            continue;
        for (guint j = 0; j + 1 < ck->cells->len; j += 2) {
            int r = g_array_index(ck->cells, int, j), c = g_array_index(ck->cells, int, j + 1);
            if (r < 0 || r >= (int)t->rows->len || c < 0 || c >= t->n_cols || !amount_like(cell_at(t, r, c)) ||
                numbering_row(t, r) || has_candidate(cands, ck->table_index, r, c))
                continue;
            paired_t p = {ck->table_index, r, c, NULL};
            candidate_t cand = {p, g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free),
                                failed_through(doc, ck->table_index, r, c)};
            g_array_append_val(cands, cand);
        }
    }
    /* 3: the engine's readings; then, in checks none of them settles,
     * the amounts the checks ask for (the engine's word comes first: a
     * check short by 1.00 asks 4.00 of a 3.00 as much as 6.00 of a 5.00
     * the engine read 6.00 too) */
    GHashTable *before = fail_counts(doc->checks);
    for (guint i = 0; i < cands->len; i++) {
        candidate_t *c = &g_array_index(cands, candidate_t, i);
        for (char **a = c->cell.reading ? c->cell.reading->alternatives : NULL; a && *a; a++)
            if (settles(doc, &c->cell, c->failed, *a, before))
                g_ptr_array_add(c->settling, g_strdup(*a));
    }
    guint *by_engine = g_new0(guint, cands->len + 1);
    for (guint i = 0; i < cands->len; i++)
        by_engine[i] = g_array_index(cands, candidate_t, i).settling->len;
    for (guint i = 0; i < cands->len; i++) {
        candidate_t *c = &g_array_index(cands, candidate_t, i);
        gboolean engine = FALSE;
        for (guint j = 0; j < cands->len && !engine; j++) {
            const candidate_t *o = &g_array_index(cands, candidate_t, j);
            for (guint a = 0; by_engine[j] && a < c->failed->len && !engine; a++)
                engine = int_in(o->failed, g_array_index(c->failed, int, a));
        }
        if (engine)
            continue;
        GPtrArray *asked = g_ptr_array_new_with_free_func(g_free);
        asked_amounts(doc, doc->tables->pdata[c->cell.table], c->cell.row, c->cell.col, c->failed, asked);
        for (guint a = 0; a < asked->len; a++) {
            double v = 0, w = 0;
            gboolean same = FALSE;
            bpn_parse_amount(asked->pdata[a], &v);
            for (guint j = 0; j < c->settling->len && !same; j++)
                same = bpn_parse_amount(c->settling->pdata[j], &w) && fabs(v - w) < 1e-9;
            if (!same && settles(doc, &c->cell, c->failed, asked->pdata[a], before)) {
                g_ptr_array_add(c->settling, g_strdup(asked->pdata[a]));
                g_ptr_array_add(c->asked, g_strdup(asked->pdata[a]));
            }
        }
        g_ptr_array_unref(asked);
    }
    g_free(by_engine);
    g_hash_table_unref(before);
    /* 4 */
    GArray *repaired = g_array_new(FALSE, FALSE, sizeof(guint)); /* into cands */
    for (guint i = 0; i < cands->len; i++) {
        candidate_t *c = &g_array_index(cands, candidate_t, i);
        if (!c->settling->len)
            continue;
        gboolean rival = FALSE;
        for (guint j = 0; j < cands->len && !rival; j++) {
            const candidate_t *o = &g_array_index(cands, candidate_t, j);
            if (j == i || !o->settling->len)
                continue;
            for (guint a = 0; a < c->failed->len && !rival; a++)
                rival = int_in(o->failed, g_array_index(c->failed, int, a));
        }
        bpn_table *t = doc->tables->pdata[c->cell.table];
        bpn_cell *x = cell_at(t, c->cell.row, c->cell.col);
        if (c->settling->len == 1 && !rival) {
            g_array_append_val(repaired, i);
            continue;
        }
        if (c->settling->len == c->asked->len)
            continue; /* only amounts the checks asked: the failed check says as much */
        GString *alts = g_string_new(NULL);
        for (guint a = 0; a < c->settling->len; a++)
            g_string_append_printf(alts, "%s%s", a ? ", " : "", (const char *)c->settling->pdata[a]);
        doubt_t d = {c->cell.reading ? c->cell.reading->page : first_page(t),
                     g_strdup_printf("OCR reading in doubt: table %d (%s) row %d column %d reads %s; %s would make "
                                     "its checks hold%s; kept as read",
                                     c->cell.table + 1, table_name(t), c->cell.row + 1, c->cell.col + 1, x->text,
                                     alts->str, rival ? ", and so would another cell's reading" : "")};
        g_array_append_val(doubts, d);
        g_string_free(alts, TRUE);
    }
    /* 5 */
    guint made = repaired->len;
    if (repaired->len) {
        for (guint i = 0; i < repaired->len; i++) {
            candidate_t *c = &g_array_index(cands, candidate_t, g_array_index(repaired, guint, i));
            bpn_table *t = doc->tables->pdata[c->cell.table];
            bpn_cell *x = cell_at(t, c->cell.row, c->cell.col);
            char *from = g_strdup(x->text);
            cell_set(x, c->settling->pdata[0]);
            bpn_repair_add(doc, c->asked->len ? "ocr_digit_by_checks" : "ocr_reading",
                           c->cell.reading ? c->cell.reading->page : first_page(t), from, x->text);
            bpn_repair *r = doc->repairs->pdata[doc->repairs->len - 1];
            r->in_cell = TRUE;
            r->table_index = c->cell.table, r->row = c->cell.row, r->col = c->cell.col;
            r->checks = g_array_new(FALSE, FALSE, sizeof(int));
            g_free(from);
        }
        g_ptr_array_set_size(doc->checks, 0);
        bpn_checks_build(doc);
    }
    for (guint i = 0; i < cands->len; i++) {
        g_ptr_array_unref(g_array_index(cands, candidate_t, i).settling);
        g_ptr_array_unref(g_array_index(cands, candidate_t, i).asked);
        g_array_free(g_array_index(cands, candidate_t, i).failed, TRUE);
    }
    g_array_free(repaired, TRUE);
    g_array_free(cands, TRUE);
    return made;
}

void bpn_ocr_repair(bpn_document *doc, const GArray *readings)
{
    if (!readings || !readings->len || !doc->tables->len)
        return;
    GArray *pairs = g_array_new(FALSE, FALSE, sizeof(paired_t));
    for (guint ti = 0; ti < doc->tables->len; ti++)
        pair_table(doc, (int)ti, readings, pairs);
    if (restore_order(doc, pairs)) { /* the checks, of the cells as read */
        g_ptr_array_set_size(doc->checks, 0);
        bpn_checks_build(doc);
    }
    /* a repair may leave a check with one misread cell where it had two:
     * rounds until one repairs nothing (that one warns of the doubts) */
    guint made = 0, n = 1;
    GArray *doubts = g_array_new(FALSE, FALSE, sizeof(doubt_t));
    g_array_set_clear_func(doubts, doubt_clear);
    for (int round = 0; round < BPN_OCR_REPAIR_ROUNDS && n; round++)
        made += n = repair_round(doc, pairs, doubts);
    for (guint i = 0; i < doubts->len; i++) /* the last round's */
        bpn_warn(doc, g_array_index(doubts, doubt_t, i).page, "%s", g_array_index(doubts, doubt_t, i).message);
    g_array_unref(doubts);
    if (made) {
        for (guint k = 0; k < doc->checks->len; k++) {
            bpn_check *ck = doc->checks->pdata[k];
            for (guint i = 0; i < doc->repairs->len; i++) {
                bpn_repair *r = doc->repairs->pdata[i];
                if (r->checks && (strcmp(r->kind, "ocr_reading") == 0 || strcmp(r->kind, "ocr_digit_by_checks") == 0) &&
                    ck->ok && check_through(ck, r->table_index, r->row, r->col)) {
                    ck->settled_by_ocr = TRUE;
                    int ki = (int)k;
                    g_array_append_val(r->checks, ki);
                }
            }
        }
    }
    g_array_free(pairs, TRUE);
}

/* ------------------------------------------------------------ amount marks */

/* The decimals most amounts of column col of t print, -1 when it has none. */
static int column_decimals(const bpn_table *t, int col)
{
    int n[8] = {0}, any = 0;
    for (guint r = 0; r < t->rows->len; r++) {
        const bpn_cell *x = cell_at(t, (int)r, col);
        if (!x->is_number || !x->text)
            continue;
        const char *dot = strrchr(x->text, '.');
        n[MIN(dot ? (int)strspn(dot + 1, "0123456789") : 0, 7)]++;
        any++;
    }
    int best = 0;
    for (int d = 1; d < 8; d++)
        if (n[d] > n[best])
            best = d;
    return any ? best : -1;
}

/* An amount read with its marks garbled, digits all there: "1973>86",
 * "27.664.22" (a separator read as a point), "1,,499..26" (marks read
 * twice), "24,.-458.43".  norm: the cell's text in comparison form; the
 * column prints decimals decimals.  The runs of marks between digits are
 * the amount's marks: with decimals > 0 the last, followed by that many
 * digits, is its point, the others separators, each followed by three
 * digits, the first group one to three; with none, all are separators.
 * The amount so spelt (newly allocated), or NULL when the text holds
 * anything but digits and marks (a letter or ideograph may be a digit
 * misread) or the groups do not fit. */
static char *amount_from_marks(const char *norm, int decimals)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func(g_free);
    GString *g = g_string_new(NULL);
    gboolean ok = TRUE, minus = *norm == '-';
    for (const char *q = norm + minus; *q && ok; q = g_utf8_next_char(q)) {
        gunichar u = g_utf8_get_char(q);
        if (u < 128 && g_ascii_isdigit((char)u)) {
            g_string_append_c(g, (char)u);
        } else if (g_unichar_ispunct(u) || u == '>' || u == '<' || u == '`' || u == '^' || u == '~') {
            if (g->len) { /* a run of marks ends a group */
                g_ptr_array_add(groups, g_string_free(g, FALSE));
                g = g_string_new(NULL);
            } else if (!groups->len) {
                ok = FALSE; /* a mark before the first digit */
            }
        } else {
            ok = FALSE;
        }
    }
    if (g->len)
        g_ptr_array_add(groups, g_string_free(g, FALSE));
    else
        g_string_free(g, TRUE), ok = ok && FALSE; /* a mark after the last digit */
    guint n = groups->len;
    ok = ok && n >= 2;
    guint int_groups = decimals > 0 ? n - 1 : n;
    if (ok && decimals > 0)
        ok = (int)strlen(groups->pdata[n - 1]) == decimals;
    for (guint i = 1; ok && i < int_groups; i++)
        ok = strlen(groups->pdata[i]) == 3;
    if (ok && int_groups > 1)
        ok = strlen(groups->pdata[0]) <= 3;
    char *out = NULL;
    if (ok) {
        GString *s = g_string_new(minus ? "-" : "");
        for (guint i = 0; i < n; i++)
            g_string_append_printf(s, "%s%s", i == 0 ? "" : i < int_groups ? "," : ".", (char *)groups->pdata[i]);
        out = g_string_free(s, FALSE);
    }
    g_ptr_array_unref(groups);
    return out;
}

void bpn_ocr_amount_marks_fix(bpn_document *doc)
{
    for (guint ti = 0; ti < doc->tables->len; ti++) {
        bpn_table *t = doc->tables->pdata[ti];
        if (!read_by_ocr(doc, t))
            continue;
        for (int c = 0; c < t->n_cols; c++) {
            int decimals = column_decimals(t, c);
            for (guint r = 0; decimals >= 0 && r < t->rows->len; r++) {
                bpn_cell *x = cell_at(t, (int)r, c);
                if (!x->text || x->is_number)
                    continue;
                char *n = bpn_norm(x->text);
                char *to = amount_from_marks(n, decimals);
                if (to) {
                    char *from = g_strdup(x->text);
                    cell_set(x, to);
                    if (x->is_number) {
                        bpn_repair_add(doc, "ocr_amount_marks", first_page(t), from, to);
                        bpn_repair *rp = doc->repairs->pdata[doc->repairs->len - 1];
                        rp->in_cell = TRUE;
                        rp->table_index = (int)ti, rp->row = (int)r, rp->col = c;
                    } else {
                        cell_set(x, from);
                    }
                    g_free(from);
                }
                g_free(to);
                g_free(n);
            }
        }
    }
}

/* --------------------------------------------------------------- catalogue */

/* Whether label (comparison form) is a near miss of name: not equal, and
 * within a quarter of the name's characters (at least one) of it. */
static gboolean near_miss(const char *label, const char *name)
{
    glong na = 0, nb = 0;
    gunichar *a = g_utf8_to_ucs4_fast(label, -1, &na), *b = g_utf8_to_ucs4_fast(name, -1, &nb);
    int limit = MAX(1, (int)(nb / 4));
    int d = nb >= 2 ? bpn_edit_distance(a, na, b, nb, limit) : G_MAXINT;
    g_free(a);
    g_free(b);
    return d > 0 && d <= limit;
}

static gboolean has_han(const char *s)
{
    for (const char *p = s; *p; p = g_utf8_next_char(p))
        if (bpn_is_cjk(g_utf8_get_char(p)))
            return TRUE;
    return FALSE;
}

static void cell_repair(bpn_document *doc, const char *kind, int page, int ti, int row, int col, bpn_cell *x,
                        const char *to)
{
    char *from = g_strdup(x->text);
    cell_set(x, to);
    bpn_repair_add(doc, kind, page, from, to);
    bpn_repair *r = doc->repairs->pdata[doc->repairs->len - 1];
    r->in_cell = TRUE;
    r->table_index = ti, r->row = row, r->col = col;
    g_free(from);
}

/* Whether a cell (comparison form) may be a classification code misread:
 * three to eight glyphs, every one a digit but one at most (a speck read
 * as a digit in 302195, a glyph for a digit in 3021了), and not itself a
 * code's length of digits (those the caller takes as codes); no point,
 * comma or minus (an amount).  Only in the table's column of codes. */
static gboolean misread_code(const char *norm)
{
    glong n = g_utf8_strlen(norm, -1), digits = 0;
    for (const char *q = norm; *q; q = g_utf8_next_char(q))
        digits += g_ascii_isdigit(*q);
    return n >= 3 && n <= 8 && digits >= n - 1 && digits >= 3 && g_ascii_isdigit(*norm) && !strpbrk(norm, ".,-");
}

/* A code as bpn_vocab_code_near compares it: a glyph that is no digit
 * stands as one '?' (so that 3021了 is one glyph from 30213). */
static char *code_key(const char *norm)
{
    GString *s = g_string_new(NULL);
    for (const char *q = norm; *q; q = g_utf8_next_char(q))
        g_string_append_c(s, g_ascii_isdigit(*q) ? *q : '?');
    return g_string_free(s, FALSE);
}

/* The first digit most of the catalogue codes in column col of t start
 * with (their family: 2 function, 3 and 5 economic), '\0' when none or a
 * tie. */
static char code_family(const bpn_table *t, int col)
{
    int n[10] = {0};
    for (guint r = 0; col >= 0 && r < t->rows->len; r++) {
        const char *x = cell_at(t, (int)r, col)->text;
        if (x && bpn_vocab_code_name(x))
            n[x[0] - '0']++;
    }
    int best = 0;
    for (int d = 1; d < 10; d++)
        if (n[d] > n[best])
            best = d;
    for (int d = 0; d < 10; d++)
        if (d != best && n[d] == n[best])
            return '\0';
    return n[best] ? (char)('0' + best) : '\0';
}

void bpn_ocr_catalogue_fix(bpn_document *doc)
{
    for (guint ti = 0; ti < doc->tables->len; ti++) {
        bpn_table *t = doc->tables->pdata[ti];
        if (!read_by_ocr(doc, t))
            continue;
        int codes_at = code_column(t);
        char family = code_family(t, codes_at);
        for (guint r = 0; r < t->rows->len; r++) {
            int code_col = -1, label_col = -1;
            char *code = NULL, *label = NULL;
            for (int c = 0; c < t->n_cols && label_col < 0; c++) {
                bpn_cell *x = cell_at(t, (int)r, c);
                if (!x->text)
                    continue;
                char *n = bpn_norm(x->text);
                if (code_col < 0 && (bpn_match("^\\d{3}(\\d{2}){0,2}$", n) || (c == codes_at && misread_code(n)))) {
                    code_col = c, code = n;
                    continue;
                }
                if (code_col >= 0 && !x->is_number && has_han(n)) {
                    label_col = c, label = n;
                    continue;
                }
                g_free(n);
                if (code_col >= 0)
                    break; /* the label is the next filled cell */
            }
            if (code_col >= 0 && label_col >= 0) {
                const char *name = bpn_vocab_code_name(code);
                char *nname = name ? bpn_norm(name) : NULL;
                if (name && strcmp(nname, label) != 0 && !bpn_vocab_is_code_name(label) && near_miss(label, nname)) {
                    /* a clean code: the label a near miss of its name (compared
                     * in comparison form: the names print full-width brackets) */
                    cell_repair(doc, "ocr_label_by_code", first_page(t), (int)ti, (int)r, label_col,
                                cell_at(t, (int)r, label_col), name);
                } else if (!name || (strcmp(nname, label) != 0 && !near_miss(label, nname))) {
                    /* a smudged code (not in the catalogue, or one whose name
                     * is far from the label): the one catalogue code of the
                     * label's name a glyph away, changed, added or dropped
                     * (30305 生活补助 read for 30205 水费, 302195 for 30215) */
                    char *key = code_key(code);
                    const char *near = bpn_vocab_code_near(key, label, family);
                    if (near)
                        cell_repair(doc, "ocr_code_by_label", first_page(t), (int)ti, (int)r, code_col,
                                    cell_at(t, (int)r, code_col), near);
                    g_free(key);
                }
                g_free(nname);
            }
            g_free(code);
            g_free(label);
        }
    }
}

/* -------------------------------------------------------------- row labels */

/* Label cells of a table read by OCR: text with an ideograph, no amount. */
static char *label_text(const bpn_cell *x)
{
    if (!x->text || x->is_number)
        return NULL;
    char *n = bpn_norm(x->text);
    if (!*n || !has_han(n)) {
        g_free(n);
        return NULL;
    }
    return n;
}

/* Every entry of the label vocabulary in turn (row labels, then the
 * catalogue's names), NULL after the last; *i the walk's state (from 0). */
static const char *vocab_entry(gsize *i)
{
    const char *const *labels = bpn_vocab_row_labels();
    gsize n = 0;
    while (labels[n])
        n++;
    const char *e = *i < n ? labels[*i] : bpn_vocab_code_name_at(*i - n);
    if (e)
        (*i)++;
    return e;
}

static gboolean is_vocab_label(const char *norm)
{
    gsize i = 0;
    for (const char *e; (e = vocab_entry(&i));) {
        char *n = bpn_norm(e);
        gboolean same = strcmp(n, norm) == 0;
        g_free(n);
        if (same)
            return TRUE;
    }
    return FALSE;
}

static int numeral_value(const char *s, size_t len);

/* Whether the first glyph of norm may be a speck read before a label: not
 * a letter, digit, numeral or circled number, which may be its enumerator
 * misread (D for ①, 三 for 三、): those are the enumerators' to tell. */
static gboolean speck_glyph(const char *norm)
{
    gunichar c = g_utf8_get_char(norm);
    if (c < 128 && g_ascii_isalnum((char)c))
        return FALSE;
    if (c >= 0x2460 && c <= 0x2473)
        return FALSE;
    return numeral_value(norm, (size_t)(g_utf8_next_char(norm) - norm)) < 0;
}

/* The glyphs a label is written in (ideographs, letters, digits), marks
 * left out: OCR adds marks (医疗卫生:与), and a letter only misreading one. */
static int written_glyphs(const gunichar *u, glong n)
{
    int k = 0;
    for (glong i = 0; i < n; i++)
        k += bpn_is_cjk(u[i]) || (u[i] < 128 && g_ascii_isalnum((char)u[i])) || (u[i] >= 0x2460 && u[i] <= 0x2473);
    return k;
}

const char *bpn_ocr_label_nearest(const char *norm)
{
    glong na = 0;
    gunichar *a = g_utf8_to_ucs4_fast(norm, -1, &na);
    int written = written_glyphs(a, na);
    const char *after_speck = na > 1 && speck_glyph(norm) ? g_utf8_next_char(norm) : NULL;
    const char *best = NULL;
    char *best_norm = NULL;
    int best_d = G_MAXINT, rival_d = G_MAXINT;
    int reach = (int)(na / 4) + 2; /* beyond any entry's limit */
    gsize i = 0;
    for (const char *e; (e = vocab_entry(&i));) {
        char *en = bpn_norm(e);
        glong nb = 0;
        gunichar *b = g_utf8_to_ucs4_fast(en, -1, &nb);
        int d = bpn_edit_distance(a, na, b, nb, reach);
        /* one edit per six characters, at least one; none for entries
         * under four characters (印刷品 is not 印刷费 misread) */
        int limit = nb >= 4 ? MAX(1, (int)(nb / 6)) : 0;
        gboolean misread = written_glyphs(b, nb) == written || (after_speck && strcmp(after_speck, en) == 0);
        g_free(b);
        if (d > limit || (best_norm && strcmp(en, best_norm) == 0)) {
            g_free(en);
            continue; /* too far, or a name the catalogue repeats */
        }
        /* a near miss OCR makes — its ideographs misread one for one, or
         * marks or a speck before it added — or one it would not
         * (办公设备购置费 is no misreading of 办公设备购置), a rival still */
        if (misread && d < best_d) {
            if (best_norm)
                rival_d = MIN(rival_d, best_d);
            best = e, best_d = d;
            g_free(best_norm);
            best_norm = en;
            continue;
        }
        rival_d = MIN(rival_d, d);
        g_free(en);
    }
    g_free(a);
    g_free(best_norm);
    /* the one entry it is a near miss of (one nearer than any rival) */
    return best && best_d > 0 && rival_d > best_d ? best : NULL;
}

/* Value of a Chinese numeral 一 … 九十九 (len bytes of s), or -1 when
 * malformed (二七: bpn_numeral_value reads it 7). */
static int numeral_value(const char *s, size_t len)
{
    static const char *const DIGITS[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int v[4], n = 0;
    for (const char *p = s; p < s + len && n < 4; p = g_utf8_next_char(p)) {
        int d = -1;
        if (strncmp(p, "十", strlen("十")) == 0)
            d = 10;
        for (int k = 0; k < 9 && d < 0; k++)
            if (strncmp(p, DIGITS[k], strlen(DIGITS[k])) == 0)
                d = k + 1;
        if (d < 0)
            return -1;
        v[n++] = d;
    }
    if (n == 1)
        return v[0];
    if (n == 2 && v[0] == 10 && v[1] < 10)
        return 10 + v[1]; /* 十一 */
    if (n == 2 && v[0] < 10 && v[0] > 1 && v[1] == 10)
        return v[0] * 10; /* 二十 */
    if (n == 3 && v[0] < 10 && v[0] > 1 && v[1] == 10 && v[2] < 10)
        return v[0] * 10 + v[2]; /* 二十一 */
    return -1;
}

static void numeral_append(GString *out, int v)
{
    static const char *const DIGITS[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (v >= 20)
        g_string_append(out, DIGITS[v / 10]);
    if (v >= 10)
        g_string_append(out, "十");
    g_string_append(out, DIGITS[v % 10]);
}

/* The value of a label's first-level enumerator (三、), -1 when it has a
 * malformed one or none; *body: where the text after it starts (the whole
 * text when none). */
static int enumerator_of(const char *norm, const char **body)
{
    const char *mark = strstr(norm, "、");
    *body = norm;
    if (!mark || g_utf8_strlen(norm, mark - norm) > 3 || mark == norm)
        return -1;
    *body = mark + strlen("、");
    return numeral_value(norm, (size_t)(mark - norm));
}

/* Whether the text starts with a first-level enumerator mark (its value
 * read or not). */
static gboolean has_enumerator_mark(const char *norm)
{
    const char *mark = strstr(norm, "、");
    return mark && mark != norm && g_utf8_strlen(norm, mark - norm) <= 3;
}

/* The first-level enumerator a column's neighbours give row r: a between
 * the nearest enumerated rows above and below, a-1 and a+1, or 1 for the
 * column's first enumerated row above a 2 (二、外交支出 under
 * 一般公共服务支出, its 一、 lost); 0 when not told.  *lo and *hi: those
 * rows (-1 and n_rows when none), which rows between them may take it. */
static int enumerator_expected(const int *values, int n_rows, int r, int *lo, int *hi)
{
    *lo = r - 1, *hi = r + 1;
    while (*lo >= 0 && values[*lo] <= 0)
        (*lo)--;
    while (*hi < n_rows && values[*hi] <= 0)
        (*hi)++;
    int above = *lo >= 0 ? values[*lo] : -1, below = *hi < n_rows ? values[*hi] : -1;
    if (above > 0 && below == above + 2)
        return above + 1;
    if (below == 2 && above < 0)
        return 1;
    return 0;
}

/* The label's text after its (misread or lost) enumerator when that text
 * is a vocabulary entry or a near miss of one (bpn_ocr_label_nearest(),
 * 财政拨直 for 财政拨款), else NULL (newly allocated: the entry, or the
 * text as read): after the mark 、, or after at most two specks
 * (十-城乡社区支出, 十节能环保支出) or none. */
static char *enumerated_body(const char *norm)
{
    gunichar first = g_utf8_get_char(norm);
    if (g_unichar_isdigit(first) || first == '(' || (first >= 0x2460 && first <= 0x2473))
        return NULL; /* an item of a lower level (1. (一) ①): not this sequence's */
    if (g_str_has_suffix(norm, "合计") || g_str_has_suffix(norm, "总计") || g_str_has_suffix(norm, "小计"))
        return NULL; /* a total sums the items: none of them */
    if (has_enumerator_mark(norm)) {
        const char *body = NULL;
        enumerator_of(norm, &body);
        const char *near = is_vocab_label(body) ? body : bpn_ocr_label_nearest(body);
        return near ? g_strdup(near) : NULL;
    }
    const char *p = norm;
    for (int k = 0; k <= 2 && *p; k++, p = g_utf8_next_char(p))
        if (is_vocab_label(p))
            return g_strdup(p);
    p = norm;
    for (int k = 0; k <= 2 && *p; k++, p = g_utf8_next_char(p)) {
        const char *near = k ? bpn_ocr_label_nearest(p) : NULL;
        if (near)
            return g_strdup(near);
    }
    return NULL;
}

/* The text of row r's label in column c as enumerators_fix() reads it (the
 * mark read at its end put aside), newly allocated; NULL when no label. */
static char *enumerable_text(const bpn_table *t, int r, int c)
{
    char *n = label_text(cell_at(t, r, c));
    /* the mark read at the label's end ("一基本支出、": the engine boxes
     * the small 、 loosely and the glyphs are ordered by their boxes); no
     * label ends in one */
    if (n && !has_enumerator_mark(n) && g_str_has_suffix(n, "、"))
        n[strlen(n) - strlen("、")] = 0;
    return n;
}

static void enumerators_fix(bpn_document *doc, int ti)
{
    bpn_table *t = doc->tables->pdata[ti];
    int n_rows = (int)t->rows->len;
    int *values = g_new(int, MAX(n_rows, 1));
    for (int c = 0; c < t->n_cols; c++) {
        for (int r = 0; r < n_rows; r++) {
            char *n = label_text(cell_at(t, r, c));
            const char *body = NULL;
            values[r] = n ? enumerator_of(n, &body) : -1;
            g_free(n);
        }
        for (int r = 0; r < n_rows; r++) {
            int lo, hi, want = enumerator_expected(values, n_rows, r, &lo, &hi);
            if (want <= 0 || want == values[r])
                continue;
            /* the one row between the neighbours that may be the one told */
            int takers = 0;
            char *body = NULL;
            for (int k = lo + 1; k < hi && takers < 2; k++) {
                char *n = enumerable_text(t, k, c);
                char *b = n ? enumerated_body(n) : NULL;
                takers += b != NULL;
                if (k == r)
                    body = b;
                else
                    g_free(b);
                g_free(n);
            }
            if (body && takers == 1) {
                GString *to = g_string_new(NULL);
                numeral_append(to, want);
                g_string_append_printf(to, "、%s", body);
                cell_repair(doc, "ocr_enumerator", first_page(t), ti, r, c, cell_at(t, r, c), to->str);
                values[r] = want;
                g_string_free(to, TRUE);
            }
            g_free(body);
        }
    }
    g_free(values);
}

/* How many label cells of the tables read by OCR print each text: a label
 * printed twice the same is read right (OCR does not misread two prints
 * of a label alike, 印刷品 in every row of its kind). */
static GHashTable *label_counts(const bpn_document *doc)
{
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint ti = 0; ti < doc->tables->len; ti++) {
        const bpn_table *t = doc->tables->pdata[ti];
        if (!read_by_ocr(doc, t))
            continue;
        for (guint r = 0; r < t->rows->len; r++)
            for (int c = 0; c < t->n_cols; c++) {
                char *n = label_text(cell_at(t, (int)r, c));
                if (n) {
                    gpointer k = NULL, v = NULL;
                    int count = g_hash_table_lookup_extended(counts, n, &k, &v) ? GPOINTER_TO_INT(v) : 0;
                    g_hash_table_replace(counts, n, GINT_TO_POINTER(count + 1));
                }
            }
    }
    return counts;
}

void bpn_ocr_labels_fix(bpn_document *doc)
{
    GHashTable *counts = label_counts(doc);
    for (guint ti = 0; ti < doc->tables->len; ti++) {
        bpn_table *t = doc->tables->pdata[ti];
        if (!read_by_ocr(doc, t))
            continue;
        /* 1: each label near one vocabulary entry, its enumerator kept */
        for (guint r = 0; r < t->rows->len; r++)
            for (int c = 0; c < t->n_cols; c++) {
                bpn_cell *x = cell_at(t, (int)r, c);
                char *n = label_text(x);
                if (!n)
                    continue;
                const char *body = n;
                if (has_enumerator_mark(n))
                    enumerator_of(n, &body);
                /* a bracket closing the label ((20万以下)) is kept as read too */
                char *core = g_strdup(body);
                const char *bracket = g_str_has_suffix(core, ")") ? strrchr(core, '(') : NULL;
                const char *tail = "";
                if (bracket && bracket != core && !is_vocab_label(core)) {
                    tail = body + (bracket - core);
                    core[bracket - core] = 0;
                }
                const char *entry = GPOINTER_TO_INT(g_hash_table_lookup(counts, n)) < 2 && !is_vocab_label(core)
                                        ? bpn_ocr_label_nearest(core)
                                        : NULL;
                g_free(core);
                if (entry) {
                    char *to = g_strdup_printf("%.*s%s%s", (int)(body - n), n, entry, tail);
                    cell_repair(doc, "ocr_row_label", first_page(t), (int)ti, (int)r, c, x, to);
                    g_free(to);
                }
                g_free(n);
            }
        /* 2: first-level enumerators by their column's sequence */
        enumerators_fix(doc, (int)ti);
    }
    g_hash_table_unref(counts);
}
