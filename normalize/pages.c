/* pages.c — the pages' lines and grids written to a temporary file as the
 * pages are read, and read back a page at a time by the passes that need
 * the whole document (issue 15).
 *
 * Why.  bpn_builder_finish's passes (forms, the 目录, the tables' walk, the
 * sections, the identity) each go over every page's blocks in reading
 * order, but each looks, around the block it is at, at that block's page
 * and the page before only.  Held all at once, the blocks (their lines'
 * texts, their grids' cells, merged areas and edges) took about 4 KB of
 * heap a table page, the largest part of a worker's growth with the
 * document's length.
 *
 * How it works.
 *  1. bpn_block_store_put (from bpn_builder_add_page, a page's blocks just
 *     read) writes the page's lines and grids as one record (put_line,
 *     put_grid: fixed-width numbers, length-prefixed strings), notes where
 *     it starts (page_record), frees them and leaves each block its page,
 *     box and `used` flag, with a pointer to the store.
 *  2. A pass calls bpn_block_touch for each block it comes to; for a block
 *     of the store bpn_block_store_touch reads its page back (load_page:
 *     get_line, get_grid) with the page with blocks before it, and frees
 *     the pages touched longest ago beyond HELD_PAGES (evict_page).  A
 *     pass that comes back to a page (the identity reads the first pages
 *     again after each scan) reads it from the file again.
 *  3. bpn_block_store_hold_all reads every page back for good: a document
 *     with pages read by OCR is held whole as before (the OCR repairs
 *     rewrite lines and cells in place).
 * What a grid or line changed in memory (bpn_grid_drop_cells) is lost when
 * its page is evicted: the file keeps the page as read, and the passes
 * that change blocks change only the `used` flag, which stays in memory.
 * What it misses: the blocks themselves (about 64 bytes each) stay in
 * memory; and a pass that reached further back than the page before would
 * see the older pages' blocks without line or grid (none does: each pass's
 * reach is listed in the essay over struct bpn_builder, document.c).
 */
#include "normalize/internal.h"

#include <string.h>

/* Pages kept in memory: the two a pass reads around its block, and two
 * more so that a pass moving back and forth over a page boundary does not
 * read the file at every step. */
#define HELD_PAGES 4

enum { KIND_LINE = 1, KIND_GRID = 2 };

typedef struct {
    int page;
    guint first, n; /* its blocks: blocks[first .. first + n) */
    gint64 at;      /* where its record starts in the file */
    gboolean held;  /* its lines and grids are in memory */
} page_record;

struct bpn_block_store {
    bpn_spill_file io;
    GPtrArray *blocks;     /* bpn_block*: the builder's (not owned) */
    GArray *pages;         /* page_record, in page order */
    int held[HELD_PAGES];  /* indexes into pages held, most recently touched first; -1: none */
    int last;              /* the page touched last; 0: none */
};

bpn_block_store *bpn_block_store_new(GPtrArray *blocks, GError **error)
{
    bpn_spill_file io;
    if (!bpn_spill_file_open(&io, error))
        return NULL;
    bpn_block_store *s = g_new0(bpn_block_store, 1);
    s->io = io;
    s->blocks = blocks;
    s->pages = g_array_new(FALSE, FALSE, sizeof(page_record));
    for (int i = 0; i < HELD_PAGES; i++)
        s->held[i] = -1;
    return s;
}

void bpn_block_store_free(bpn_block_store *s)
{
    if (!s)
        return;
    bpn_spill_file_close(&s->io);
    g_array_unref(s->pages);
    g_free(s);
}

gboolean bpn_block_store_ok(const bpn_block_store *s, GError **error)
{
    if (!s || !s->io.error)
        return TRUE;
    g_propagate_error(error, g_error_copy(s->io.error));
    return FALSE;
}

/* ---- step 1: writing a page ---- */

static void put_line(bpn_spill_file *f, const bpn_line *l)
{
    bpn_spill_put_f64(f, l->x0);
    bpn_spill_put_f64(f, l->y0);
    bpn_spill_put_f64(f, l->x1);
    bpn_spill_put_f64(f, l->y1);
    bpn_spill_put_f64(f, l->font_size);
    bpn_spill_put(f, &l->color, sizeof l->color);
    bpn_spill_put_str(f, l->text);
    int32_t n = l->ocr_alternatives ? (int32_t)g_strv_length(l->ocr_alternatives) : -1;
    bpn_spill_put_i32(f, n);
    for (int32_t i = 0; i < n; i++)
        bpn_spill_put_str(f, l->ocr_alternatives[i]);
}

static void put_grid(bpn_spill_file *f, const bpn_grid *g)
{
    int ncell = g->n_rows * g->n_cols;
    bpn_spill_put_i32(f, g->page);
    bpn_spill_put_f64(f, g->x0);
    bpn_spill_put_f64(f, g->y0);
    bpn_spill_put_f64(f, g->x1);
    bpn_spill_put_f64(f, g->y1);
    bpn_spill_put_i32(f, g->n_rows);
    bpn_spill_put_i32(f, g->n_cols);
    /* a grid with its cells dropped has no edges either */
    bpn_spill_put_i32(f, g->xs != NULL);
    if (g->xs) {
        bpn_spill_put(f, g->xs, sizeof(double) * (size_t)(g->n_cols + 1));
        bpn_spill_put(f, g->ys, sizeof(double) * (size_t)(g->n_rows + 1));
        bpn_spill_put(f, g->region, sizeof(int) * (size_t)ncell);
        for (int i = 0; i < ncell; i++)
            bpn_spill_put_str(f, g->text[i]);
    }
}

void bpn_block_store_put(bpn_block_store *s, guint first)
{
    if (s->io.error || first >= s->blocks->len)
        return;
    /* reading moves the file's position: records go at the end */
    gint64 at = fseek(s->io.file, 0, SEEK_END) == 0 ? ftell(s->io.file) : -1;
    if (at < 0) {
        g_set_error(&s->io.error, G_FILE_ERROR, G_FILE_ERROR_IO, "block store: no position");
        return;
    }
    for (guint i = first; i < s->blocks->len; i++) {
        const bpn_block *b = s->blocks->pdata[i];
        bpn_spill_put_i32(&s->io, b->line ? KIND_LINE : KIND_GRID);
        if (b->line)
            put_line(&s->io, b->line);
        else
            put_grid(&s->io, b->grid);
    }
    if (s->io.error)
        return; /* held: the page stays in memory */
    page_record r = {.page = ((bpn_block *)s->blocks->pdata[first])->page,
                     .first = first,
                     .n = s->blocks->len - first,
                     .at = at};
    g_array_append_val(s->pages, r);
    for (guint i = first; i < s->blocks->len; i++) {
        bpn_block *b = s->blocks->pdata[i];
        g_clear_pointer(&b->line, bpn_line_free);
        g_clear_pointer(&b->grid, bpn_grid_free);
        b->store = s;
    }
}

/* ---- step 2: reading a page back ---- */

static bpn_line *get_line(FILE *f)
{
    bpn_line *l = g_new0(bpn_line, 1);
    int32_t n = 0;
    gboolean ok = bpn_spill_get_f64(f, &l->x0) && bpn_spill_get_f64(f, &l->y0) && bpn_spill_get_f64(f, &l->x1) &&
                  bpn_spill_get_f64(f, &l->y1) && bpn_spill_get_f64(f, &l->font_size) &&
                  bpn_spill_get(f, &l->color, sizeof l->color) && bpn_spill_get_str(f, &l->text) &&
                  bpn_spill_get_i32(f, &n);
    if (ok && n >= 0) {
        l->ocr_alternatives = g_new0(char *, n + 1);
        for (int32_t i = 0; i < n && ok; i++)
            ok = bpn_spill_get_str(f, &l->ocr_alternatives[i]);
    }
    if (!ok) {
        bpn_line_free(l);
        return NULL;
    }
    return l;
}

static bpn_grid *get_grid(FILE *f)
{
    bpn_grid *g = g_new0(bpn_grid, 1);
    int32_t page = 0, rows = 0, cols = 0, edges = 0;
    gboolean ok = bpn_spill_get_i32(f, &page) && bpn_spill_get_f64(f, &g->x0) && bpn_spill_get_f64(f, &g->y0) &&
                  bpn_spill_get_f64(f, &g->x1) && bpn_spill_get_f64(f, &g->y1) && bpn_spill_get_i32(f, &rows) &&
                  bpn_spill_get_i32(f, &cols) && bpn_spill_get_i32(f, &edges) && rows >= 0 && cols >= 0;
    g->page = page;
    if (ok && edges) {
        int ncell = rows * cols;
        g->n_rows = rows;
        g->n_cols = cols;
        g->xs = g_new(double, cols + 1);
        g->ys = g_new(double, rows + 1);
        g->region = g_new(int, ncell ? ncell : 1);
        g->text = g_new0(char *, ncell ? ncell : 1);
        ok = bpn_spill_get(f, g->xs, sizeof(double) * (size_t)(cols + 1)) &&
             bpn_spill_get(f, g->ys, sizeof(double) * (size_t)(rows + 1)) &&
             bpn_spill_get(f, g->region, sizeof(int) * (size_t)ncell);
        for (int i = 0; i < ncell && ok; i++)
            ok = bpn_spill_get_str(f, &g->text[i]);
    }
    if (!ok) {
        bpn_grid_free(g);
        return NULL;
    }
    return g;
}

static void load_page(bpn_block_store *s, page_record *r)
{
    gboolean ok = !s->io.error && fflush(s->io.file) == 0 && fseek(s->io.file, (long)r->at, SEEK_SET) == 0;
    for (guint i = r->first; i < r->first + r->n; i++) {
        bpn_block *b = s->blocks->pdata[i];
        int32_t kind = 0;
        ok = ok && bpn_spill_get_i32(s->io.file, &kind);
        if (ok && kind == KIND_LINE)
            ok = (b->line = get_line(s->io.file)) != NULL;
        else if (ok && kind == KIND_GRID)
            ok = (b->grid = get_grid(s->io.file)) != NULL;
        else
            ok = FALSE;
        if (!ok && !b->line && !b->grid) {
            /* the document fails (bpn_builder_finish reads the error); the
             * passes meanwhile see an empty line */
            b->line = g_new0(bpn_line, 1);
            b->line->text = g_strdup("");
            b->line->y0 = b->y0;
            b->line->y1 = b->y1;
        }
    }
    if (!ok && !s->io.error)
        g_set_error(&s->io.error, G_FILE_ERROR, G_FILE_ERROR_IO, "block store: page %d not read back", r->page);
    r->held = TRUE;
}

static void evict_page(bpn_block_store *s, page_record *r)
{
    for (guint i = r->first; i < r->first + r->n; i++) {
        bpn_block *b = s->blocks->pdata[i];
        g_clear_pointer(&b->line, bpn_line_free);
        g_clear_pointer(&b->grid, bpn_grid_free);
    }
    r->held = FALSE;
}

/* Page record k held and first in the order of touches. */
static void hold(bpn_block_store *s, int k)
{
    page_record *r = &g_array_index(s->pages, page_record, k);
    if (!r->held)
        load_page(s, r);
    int at = HELD_PAGES - 1;
    for (int i = 0; i < HELD_PAGES; i++)
        if (s->held[i] == k) {
            at = i;
            break;
        }
    if (s->held[at] >= 0 && s->held[at] != k)
        evict_page(s, &g_array_index(s->pages, page_record, s->held[at]));
    memmove(s->held + 1, s->held, sizeof(int) * (size_t)at);
    s->held[0] = k;
}

void bpn_block_store_touch(bpn_block_store *s, int page)
{
    if (page == s->last)
        return;
    int lo = 0, hi = (int)s->pages->len - 1, k = -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, p = g_array_index(s->pages, page_record, mid).page;
        if (p == page) {
            k = mid;
            break;
        }
        if (p < page)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    if (k < 0)
        return; /* held: its page was not written */
    if (k > 0)
        hold(s, k - 1);
    hold(s, k);
    s->last = page;
}

/* ---- step 3: the whole document held ---- */

void bpn_block_store_hold_all(bpn_block_store *s)
{
    for (guint k = 0; k < s->pages->len; k++) {
        page_record *r = &g_array_index(s->pages, page_record, k);
        if (!r->held)
            load_page(s, r);
        for (guint i = r->first; i < r->first + r->n; i++)
            ((bpn_block *)s->blocks->pdata[i])->store = NULL;
    }
    g_array_set_size(s->pages, 0);
    for (int i = 0; i < HELD_PAGES; i++)
        s->held[i] = -1;
    s->last = 0;
}
