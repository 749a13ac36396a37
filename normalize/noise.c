/* noise.c — what a disclosure prints that is not its content.
 *
 * Watermarks ("仅供内部审核" and the like) are drawn as real text over the
 * page, usually rotated and in a light colour: glyphs that the extract stage
 * found on a diagonal baseline, or that are much lighter and larger than body
 * text, are taken out before any line or cell is built, so they can never
 * split or pollute a cell.  The removed glyphs are gathered into the strings
 * they spell (neighbouring glyphs of one size, read left to right) and each
 * string is recorded once per page as a repair (kind and page only: the
 * output must not carry the noise it removed).
 *
 * Glyphs that the extract stage found hidden (in the text layer but not
 * shown: clipped away, white on white) are taken out the same way, except
 * those its ink test could not judge (shown_after_all).  That test looks
 * for ink in a glyph's box at a coarse resolution, leaving out the pixels
 * next to a ruling; a small glyph close to the rules of a tight row, or one
 * that a "ruling" runs through (text centred in a cell merged over two
 * rows: the detector may take the line's strokes for the rule between
 * them), has next to no pixel left and reads as hidden.  Such a glyph is
 * kept when
 *   1. a horizontal ruling runs through the middle of its box, across
 *      it, or
 *   2. a glyph of its line next to it is shown, with no vertical ruling
 *      between the two or across its own box (text is clipped at a cell's
 *      edge, so a clipped glyph has a rule across it or between it and the
 *      shown part of its line); a glyph kept so lets its own neighbours be
 *      judged in turn.
 * What it misses: a glyph really hidden under a fill with a ruling through
 * it, or white text beside shown text in one cell, is kept.
 *
 * Scanner footers, page numbers and watermark phrases printed upright are
 * judged per text line, outside tables only.  A scanner app's footer read
 * by OCR may come apart into lines of a word or two on a slant ("扫描" a
 * few points below "全能王", beside its logo and the page number): in the
 * page's margins, lines whose heights overlap are also judged together
 * (bpn_noise_margin_runs(): their texts joined left to right), and a
 * group spelling a scanner's footer is taken out whole.
 */
#include "normalize/internal.h"

#include <math.h>
#include <string.h>

/* Phrases printed as watermarks, matched against a whole normalised line. */
#define WATERMARK_LINE "^(仅供内部审核|内部资料|仅供参考|样稿|草稿|征求意见稿)+$"
#define SCANNER_LINE "扫描全能王|CamScanner|全能扫描王|3亿人都在用的扫描App|扫描App"
#define PAGE_NUMBER_LINE "^(?:[-—–－一_\\s]*\\d{1,4}[-—–－一_\\s]*|第\\d{1,4}页(?:[,，/]?共\\d{1,4}页)?|\\d{1,4}/\\d{1,4})$"

static gboolean light(uint32_t color)
{
    unsigned r = color >> 16 & 0xFF, g = color >> 8 & 0xFF, b = color & 0xFF;
    return r > 0x90 && g > 0x90 && b > 0x90 && color != 0;
}

static int by_size(gconstpointer a, gconstpointer b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static int by_x(gconstpointer a, gconstpointer b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

/* Records the strings spelled by the removed glyphs: single-link clusters of
 * glyphs closer than 2.5 font sizes, each read left to right. */
static void record_watermarks(bpn_document *doc, int page, GPtrArray *marks)
{
    guint n = marks->len;
    int *group = g_new(int, n ? n : 1);
    for (guint i = 0; i < n; i++)
        group[i] = (int)i;
    for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++) {
            const bpx_char *a = marks->pdata[i], *b = marks->pdata[j];
            double d = hypot((a->box.x0 + a->box.x1 - b->box.x0 - b->box.x1) / 2,
                             (a->box.y0 + a->box.y1 - b->box.y0 - b->box.y1) / 2);
            if (d < 2.5 * MAX(a->font_size, 4)) {
                int ga = group[i], gb = group[j];
                for (guint k = 0; k < n; k++)
                    if (group[k] == gb)
                        group[k] = ga;
            }
        }
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < n; i++) {
        if (group[i] < 0)
            continue;
        int gi = group[i];
        GPtrArray *members = g_ptr_array_new();
        for (guint k = i; k < n; k++)
            if (group[k] == gi) {
                g_ptr_array_add(members, marks->pdata[k]);
                group[k] = -1;
            }
        g_ptr_array_sort(members, by_x);
        GString *s = g_string_new(NULL);
        for (guint k = 0; k < members->len; k++)
            g_string_append_unichar(s, ((const bpx_char *)members->pdata[k])->cp);
        if (!g_hash_table_contains(seen, s->str)) {
            bpn_repair_add(doc, "watermark_removed", page, NULL, NULL);
            g_hash_table_add(seen, g_strdup(s->str));
        }
        g_string_free(s, TRUE);
        g_ptr_array_unref(members);
    }
    g_hash_table_unref(seen);
    g_free(group);
}

/* Rule 1: a horizontal ruling runs through the middle of c's box, across
 * it (a vertical one there is the edge where a cell's text is clipped). */
static gboolean ruled_through(const bpx_page *page, const bpx_char *c)
{
    double h = c->box.y1 - c->box.y0, w = c->box.x1 - c->box.x0;
    for (size_t i = 0; i < page->n_hlines; i++) {
        const bpx_line *l = &page->hlines[i];
        double y = (l->y0 + l->y1) / 2;
        if (y > c->box.y0 + 0.25 * h && y < c->box.y1 - 0.25 * h && MIN(l->x1, c->box.x1) - MAX(l->x0, c->box.x0) > 0.5 * w)
            return TRUE;
    }
    return FALSE;
}

/* A vertical ruling between the centres of a and b, along their line. */
static gboolean rule_between(const bpx_page *page, const bpx_char *a, const bpx_char *b)
{
    double xa = (a->box.x0 + a->box.x1) / 2, xb = (b->box.x0 + b->box.x1) / 2, y = (a->box.y0 + a->box.y1) / 2;
    for (size_t i = 0; i < page->n_vlines; i++) {
        const bpx_line *l = &page->vlines[i];
        double x = (l->x0 + l->x1) / 2;
        if (x > MIN(xa, xb) && x < MAX(xa, xb) && y >= l->y0 - 1 && y <= l->y1 + 1)
            return TRUE;
    }
    return FALSE;
}

/* A vertical ruling crosses c's box: a glyph drawn over a cell's edge,
 * where the cell's text is clipped. */
static gboolean crosses_rule(const bpx_page *page, const bpx_char *c)
{
    double y = (c->box.y0 + c->box.y1) / 2;
    for (size_t i = 0; i < page->n_vlines; i++) {
        const bpx_line *l = &page->vlines[i];
        double x = (l->x0 + l->x1) / 2;
        if (x > c->box.x0 && x < c->box.x1 && y >= l->y0 - 1 && y <= l->y1 + 1)
            return TRUE;
    }
    return FALSE;
}

/* Which of the glyphs the extract stage judged hidden are shown after all
 * (see the comment at the top): shown[i] for page->chars[i]. */
static void shown_after_all(const bpx_page *page, gboolean *shown)
{
    for (size_t i = 0; i < page->n_chars; i++)
        shown[i] = page->chars[i].hidden && ruled_through(page, &page->chars[i]);
    for (gboolean grew = TRUE; grew;) {
        grew = FALSE;
        for (size_t i = 0; i < page->n_chars; i++) {
            const bpx_char *c = &page->chars[i];
            if (!c->hidden || shown[i] || crosses_rule(page, c))
                continue;
            double em = MAX(c->font_size, 1);
            for (size_t j = 0; j < page->n_chars && !shown[i]; j++) {
                const bpx_char *o = &page->chars[j];
                if (j == i || (o->hidden && !shown[j]) || o->dir != c->dir || fabs(o->box.y0 - c->box.y0) > 0.2 * em ||
                    fabs(o->font_size - c->font_size) > 0.5)
                    continue;
                double gap = MAX(o->box.x0 - c->box.x1, c->box.x0 - o->box.x1);
                if (gap < 0.5 * em && !rule_between(page, c, o)) {
                    shown[i] = TRUE;
                    grew = TRUE;
                }
            }
        }
    }
}

void bpn_noise_filter_chars(bpn_document *doc, const bpx_page *page, GPtrArray *out)
{
    /* body text size: the median size of upright glyphs */
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(float));
    for (size_t i = 0; i < page->n_chars; i++)
        if (page->chars[i].dir == BPX_DIR_HORIZONTAL)
            g_array_append_val(sizes, page->chars[i].font_size);
    float body = 10;
    if (sizes->len) {
        g_array_sort(sizes, by_size);
        body = g_array_index(sizes, float, sizes->len / 2);
    }
    g_array_free(sizes, TRUE);

    GPtrArray *marks = g_ptr_array_new(), *hidden = g_ptr_array_new();
    GString *controls = NULL;
    gboolean *shown = g_new0(gboolean, page->n_chars + 1);
    shown_after_all(page, shown);
    for (size_t i = 0; i < page->n_chars; i++) {
        const bpx_char *c = &page->chars[i];
        /* C0/C1 control characters in the text layer (a broken ToUnicode
         * map) print as nothing: dropped, and recorded by code point */
        if (c->cp < 0x20 || (c->cp >= 0x7f && c->cp <= 0x9f)) {
            if (!controls)
                controls = g_string_new(NULL);
            else if (controls->len < 200)
                g_string_append_c(controls, ' ');
            if (controls->len < 200)
                g_string_append_printf(controls, "U+%04X", (unsigned)c->cp);
            continue;
        }
        gboolean mark = c->dir == BPX_DIR_DIAGONAL || (light(c->color) && c->font_size > 1.8 * body);
        gboolean is_hidden = c->hidden && !shown[i];
        g_ptr_array_add(mark ? marks : is_hidden ? hidden : out, (gpointer)c);
        if (mark || is_hidden)
            bpn_page_mark(doc, page->number, c->box, mark ? BPN_MARK_NOISE : BPN_MARK_HIDDEN);
    }
    g_free(shown);
    /* text the page does not show (clipped away, white on white): recorded
     * with what it said, since it is no watermark */
    if (hidden->len) {
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < hidden->len; i++)
            g_string_append_unichar(s, ((const bpx_char *)hidden->pdata[i])->cp);
        bpn_repair_add(doc, "hidden_text_removed", page->number, s->str, NULL);
        g_string_free(s, TRUE);
    }
    g_ptr_array_unref(hidden);
    if (controls) {
        bpn_repair_add(doc, "control_characters_dropped", page->number, controls->str, NULL);
        g_string_free(controls, TRUE);
    }
    if (marks->len)
        record_watermarks(doc, page->number, marks);
    g_ptr_array_unref(marks);
}

gboolean bpn_noise_line(bpn_document *doc, const bpx_page *page, const bpn_line *line)
{
    char *n = bpn_norm(line->text);
    const char *kind = NULL;
    double mid = (line->y0 + line->y1) / 2;
    gboolean margin = mid > page->height * 0.88 || mid < page->height * 0.08;
    if (bpn_rx_match(doc->rx, SCANNER_LINE, n))
        kind = "scanner_footer_removed";
    else if (bpn_rx_match(doc->rx, WATERMARK_LINE, n))
        kind = "watermark_removed";
    else if (margin && bpn_rx_match(doc->rx, PAGE_NUMBER_LINE, n))
        kind = "page_number_removed";
    g_free(n);
    /* the removed text itself is not repeated: a watermark or scanner
     * string must appear nowhere in the output */
    if (kind)
        bpn_repair_add(doc, kind, page->number, strcmp(kind, "page_number_removed") == 0 ? line->text : NULL, NULL);
    return kind != NULL;
}

/* Whether line l stands in the page's top or bottom margin (as
 * bpn_noise_line() judges page numbers). */
static gboolean in_margin(const bpx_page *page, const bpn_line *l)
{
    double mid = (l->y0 + l->y1) / 2;
    return mid > page->height * 0.88 || mid < page->height * 0.08;
}

static int by_line_x(gconstpointer a, gconstpointer b)
{
    const bpn_line *x = *(const bpn_line *const *)a, *y = *(const bpn_line *const *)b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

void bpn_noise_margin_runs(bpn_document *doc, const bpx_page *page, GPtrArray *lines, gboolean *noise)
{
    guint n = lines->len;
    int *group = g_new(int, n ? n : 1);
    for (guint i = 0; i < n; i++)
        group[i] = (int)i;
    /* groups: margin lines whose heights overlap, transitively */
    for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++) {
            const bpn_line *a = lines->pdata[i], *b = lines->pdata[j];
            if (noise[i] || noise[j] || !in_margin(page, a) || !in_margin(page, b) ||
                MIN(a->y1, b->y1) - MAX(a->y0, b->y0) <= 0)
                continue;
            int ga = group[i], gb = group[j];
            for (guint k = 0; k < n; k++)
                if (group[k] == gb)
                    group[k] = ga;
        }
    for (guint i = 0; i < n; i++) {
        if (group[i] != (int)i)
            continue;
        GPtrArray *members = g_ptr_array_new();
        for (guint k = 0; k < n; k++)
            if (group[k] == (int)i)
                g_ptr_array_add(members, lines->pdata[k]);
        if (members->len > 1) {
            g_ptr_array_sort(members, by_line_x);
            GString *joined = g_string_new(NULL);
            for (guint k = 0; k < members->len; k++)
                g_string_append(joined, ((const bpn_line *)members->pdata[k])->text);
            char *norm = bpn_norm(joined->str);
            if (bpn_rx_match(doc->rx, SCANNER_LINE, norm)) {
                bpn_repair_add(doc, "scanner_footer_removed", page->number, NULL, NULL);
                for (guint k = 0; k < n; k++)
                    if (group[k] == (int)i)
                        noise[k] = TRUE;
            }
            g_free(norm);
            g_string_free(joined, TRUE);
        }
        g_ptr_array_unref(members);
    }
    g_free(group);
}
