/* frames.c — the geometry the review page draws (emit/review.c): where each
 * table stands on its pages, the rulings of every page, the text taken off
 * it and the OCR'd text read with low confidence.  None of it reaches the
 * JSON; it is gathered where the normalize stage meets it (document.c per
 * page, noise.c per removal, tables.c per grid read into a table) and only
 * copied here. */
#include "normalize/internal.h"

#include <string.h>

void bpn_frame_free(gpointer p)
{
    bpn_frame *f = p;
    if (!f)
        return;
    g_free(f->xs);
    g_free(f->ys);
    if (f->cells)
        g_array_free(f->cells, TRUE);
    g_free(f);
}

/* grid_rows() in tables.c skips the rows without text: the grid row of the
 * index-th row it keeps, or n_rows when there are fewer. */
static int kept_row(const bpn_grid *g, guint index)
{
    guint seen = 0;
    for (int r = 0; r < g->n_rows; r++) {
        gboolean any = FALSE;
        for (int c = 0; c < g->n_cols && !any; c++) {
            int i = r * g->n_cols + c;
            any = g->region[i] == i && g->text[i];
        }
        if (any && seen++ == index)
            return r;
    }
    return g->n_rows;
}

void bpn_table_add_frame(bpn_table *t, const bpn_grid *g, guint header_rows)
{
    if (!t->frames)
        t->frames = g_ptr_array_new_with_free_func(bpn_frame_free);
    bpn_frame *f = g_new0(bpn_frame, 1);
    f->page = g->page;
    f->box = (bpx_rect){g->x0, g->y0, g->x1, g->y1};
    f->n_cols = g->n_cols;
    f->n_rows = g->n_rows;
    f->xs = g_memdup2(g->xs, sizeof(double) * (size_t)(g->n_cols + 1));
    f->ys = g_memdup2(g->ys, sizeof(double) * (size_t)(g->n_rows + 1));
    f->cells = g_array_new(FALSE, FALSE, sizeof(bpx_rect));
    /* a merged area spans from its top-left cell to the last cell naming it */
    for (int i = 0; i < g->n_rows * g->n_cols; i++) {
        if (g->region[i] != i)
            continue;
        int r0 = i / g->n_cols, c0 = i % g->n_cols, r1 = r0, c1 = c0;
        for (int j = i + 1; j < g->n_rows * g->n_cols; j++)
            if (g->region[j] == i) {
                r1 = MAX(r1, j / g->n_cols);
                c1 = MAX(c1, j % g->n_cols);
            }
        bpx_rect cell = {g->xs[c0], g->ys[r0], g->xs[c1 + 1], g->ys[r1 + 1]};
        g_array_append_val(f->cells, cell);
    }
    int first_data = header_rows ? kept_row(g, header_rows) : 0;
    f->header_y1 = header_rows ? g->ys[first_data] : g->y0;
    g_ptr_array_add(t->frames, f);
}

static void mark_clear(gpointer p)
{
    g_free(((bpn_mark *)p)->text);
}

static void page_view_free(gpointer p)
{
    bpn_page_view *v = p;
    g_array_free(v->hlines, TRUE);
    g_array_free(v->vlines, TRUE);
    g_array_free(v->marks, TRUE);
    g_free(v->ocr_failed);
    g_free(v);
}

static gboolean low_confidence(const bpx_char *c)
{
    return c->ocr_conf > 0 && c->ocr_conf < BPN_OCR_LOW_CONFIDENCE;
}

/* b goes on with the run a ended: the next glyph on a's line, no further
 * than a glyph's height away (the engine gives the glyphs of a line in
 * order, so a run is consecutive in the array). */
static gboolean same_run(const bpx_char *a, const bpx_char *b)
{
    double ha = a->box.y1 - a->box.y0, hb = b->box.y1 - b->box.y0, h = MAX(ha, hb);
    double overlap = MIN(a->box.y1, b->box.y1) - MAX(a->box.y0, b->box.y0);
    double gap = b->box.x0 - a->box.x1;
    return overlap >= 0.5 * MIN(ha, hb) && gap > -0.5 * h && gap < h;
}

/* The OCR'd glyphs of confidence below BPN_OCR_LOW_CONFIDENCE, runs of
 * them along a line as one mark with the lowest confidence of its glyphs. */
static void mark_low_confidence(bpn_page_view *v, const bpx_page *page)
{
    bpn_mark run = {{0, 0, 0, 0}, BPN_MARK_LOW_CONFIDENCE, 0, NULL};
    GString *text = NULL;
    const bpx_char *last = NULL;
    for (size_t i = 0; i <= page->n_chars; i++) {
        const bpx_char *c = i < page->n_chars ? &page->chars[i] : NULL;
        gboolean low = c && low_confidence(c);
        if (text && !(low && last && same_run(last, c))) { /* the run ends */
            run.text = g_string_free(text, FALSE);
            g_array_append_val(v->marks, run);
            text = NULL;
        }
        last = low ? c : NULL;
        if (!low)
            continue;
        if (!text) {
            text = g_string_new(NULL);
            run.box = c->box;
            run.confidence = c->ocr_conf;
        }
        run.box = (bpx_rect){MIN(run.box.x0, c->box.x0), MIN(run.box.y0, c->box.y0), MAX(run.box.x1, c->box.x1),
                             MAX(run.box.y1, c->box.y1)};
        run.confidence = MIN(run.confidence, (int)c->ocr_conf);
        g_string_append_unichar(text, c->cp);
    }
}

void bpn_page_view_add(bpn_document *doc, const bpx_page *page)
{
    if (!doc->pages)
        doc->pages = g_ptr_array_new_with_free_func(page_view_free);
    bpn_page_view *v = g_new0(bpn_page_view, 1);
    v->number = page->number;
    v->width = page->width;
    v->height = page->height;
    v->turned = page->turned;
    v->ocr = page->ocr;
    v->ocr_skew = page->ocr ? page->ocr_skew : 0;
    v->ocr_failed = g_strdup(page->ocr_failed);
    v->hlines = g_array_sized_new(FALSE, FALSE, sizeof(bpx_line), (guint)page->n_hlines);
    v->vlines = g_array_sized_new(FALSE, FALSE, sizeof(bpx_line), (guint)page->n_vlines);
    if (page->n_hlines)
        g_array_append_vals(v->hlines, page->hlines, (guint)page->n_hlines);
    if (page->n_vlines)
        g_array_append_vals(v->vlines, page->vlines, (guint)page->n_vlines);
    v->marks = g_array_new(FALSE, FALSE, sizeof(bpn_mark));
    g_array_set_clear_func(v->marks, mark_clear);
    if (page->ocr)
        mark_low_confidence(v, page);
    g_ptr_array_add(doc->pages, v);
}

void bpn_page_mark(bpn_document *doc, int page, bpx_rect box, bpn_mark_kind kind)
{
    if (!doc->pages)
        return;
    for (guint i = doc->pages->len; i-- > 0;) {
        bpn_page_view *v = doc->pages->pdata[i];
        if (v->number == page) {
            bpn_mark m = {box, kind, 0, NULL};
            g_array_append_val(v->marks, m);
            return;
        }
    }
}
