/* document.c — the normalize stage's entry point: pages to a document.
 *
 * Per page: watermark glyphs out (noise.c), ruled grids found and filled
 * (grid.c), the remaining glyphs made into lines and page furniture dropped.
 * The grids and lines of all pages, in reading order, go to tables.c; what
 * tables do not claim is the narrative, cut into sections at its headings.
 * The unit, year and document type come from the cover and the headings;
 * the headline figures from the tables, or from the prose when the document
 * has no tables.
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void bpn_warn(bpn_document *doc, int page, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bpn_warning *w = g_new0(bpn_warning, 1);
    w->page = page;
    w->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(doc->warnings, w);
}

void bpn_repair_add(bpn_document *doc, const char *kind, int page, const char *from, const char *to)
{
    if (doc->repair_log && bpn_repair_log_put(doc->repair_log, kind, page, from, to))
        return;
    bpn_repair *r = g_new0(bpn_repair, 1);
    r->kind = g_strdup(kind);
    r->page = page;
    r->from = g_strdup(from);
    r->to = g_strdup(to);
    g_ptr_array_add(doc->repairs, r);
}

static void repair_free(gpointer p)
{
    bpn_repair *r = p;
    g_free(r->kind);
    g_free(r->from);
    g_free(r->to);
    if (r->checks)
        g_array_free(r->checks, TRUE);
    g_free(r);
}

static void warning_free(gpointer p)
{
    bpn_warning *w = p;
    g_free(w->message);
    g_free(w);
}

static void section_free(gpointer p)
{
    bpn_section *s = p;
    g_free(s->heading);
    g_free(s->text);
    g_free(s);
}

void bpn_document_free(bpn_document *doc)
{
    if (!doc)
        return;
    g_free(doc->source.file);
    g_free(doc->source.producer);
    if (doc->source.ocr_pages)
        g_array_free(doc->source.ocr_pages, TRUE);
    g_free(doc->unit);
    g_free(doc->unit_key);
    if (doc->provenance)
        g_ptr_array_unref(doc->provenance);
    g_free(doc->unit_code);
    bpn_region_clear(&doc->region);
    g_free(doc->department);
    g_free(doc->document_type);
    g_free(doc->withheld_statement);
    g_ptr_array_unref(doc->tables);
    g_ptr_array_unref(doc->sections);
    g_ptr_array_unref(doc->repairs);
    bpn_repair_log_free(doc->repair_log);
    g_ptr_array_unref(doc->warnings);
    g_ptr_array_unref(doc->checks);
    bpn_spill_free(doc->spill);
    if (doc->targets)
        g_ptr_array_unref(doc->targets);
    if (doc->pages)
        g_ptr_array_unref(doc->pages);
    bpn_regex_cache_free(doc->rx);
    g_free(doc);
}

static void block_free(gpointer p)
{
    bpn_block *b = p;
    bpn_line_free(b->line);
    bpn_grid_free(b->grid);
    g_free(b);
}

static int block_order(gconstpointer a, gconstpointer b)
{
    const bpn_block *x = *(bpn_block *const *)a, *y = *(bpn_block *const *)b;
    if (x->page != y->page)
        return x->page - y->page;
    return (x->y0 > y->y0) - (x->y0 < y->y0);
}

/* Page furniture stands alone on its baseline; a number at the end of a
 * 目录 entry or in a table does not. */
static gboolean alone_on_baseline(GPtrArray *lines, guint i)
{
    const bpn_line *l = lines->pdata[i];
    for (guint j = 0; j < lines->len; j++) {
        const bpn_line *o = lines->pdata[j];
        if (j != i && MIN(o->y1, l->y1) - MAX(o->y0, l->y0) > 0.5 * MIN(o->y1 - o->y0, l->y1 - l->y0))
            return FALSE;
    }
    return TRUE;
}

/* Reads one page into blocks; and into a page view (doc->pages) when
 * `view`: the review page's. */
static void read_page(bpn_document *doc, const bpx_page *page, GPtrArray *blocks, gboolean view)
{
    GPtrArray *chars = g_ptr_array_sized_new((guint)page->n_chars);
    if (view)
        bpn_page_view_add(doc, page);
    bpn_noise_filter_chars(doc, page, chars);
    GPtrArray *grids = bpn_grids_find(page, chars);
    GPtrArray *text_grids = bpn_text_grids_find(page, chars);
    for (guint i = 0; i < text_grids->len; i++)
        g_ptr_array_add(grids, g_steal_pointer(&text_grids->pdata[i]));
    g_ptr_array_set_free_func(text_grids, NULL);
    g_ptr_array_unref(text_grids);
    GPtrArray *lines = bpn_lines_build(chars, 3.0);
    bpn_ocr_lines_attach(page, lines);
    guint first = blocks->len;
    for (guint i = 0; i < grids->len; i++) {
        bpn_block *b = g_new0(bpn_block, 1);
        b->grid = grids->pdata[i];
        b->page = page->number;
        b->page_height = page->height;
        b->y0 = b->grid->y0;
        b->y1 = b->grid->y1;
        g_ptr_array_add(blocks, b);
    }
    g_ptr_array_set_free_func(grids, NULL);
    g_ptr_array_unref(grids);
    /* judge every line before dropping any: the test looks at the others */
    gboolean *noise = g_new0(gboolean, lines->len + 1);
    for (guint i = 0; i < lines->len; i++)
        noise[i] = alone_on_baseline(lines, i) && bpn_noise_line(doc, page, lines->pdata[i]);
    bpn_noise_margin_runs(doc, page, lines, noise);
    for (guint i = 0; i < lines->len; i++) {
        bpn_line *l = lines->pdata[i];
        if (noise[i]) {
            bpn_page_mark(doc, page->number, (bpx_rect){l->x0, l->y0, l->x1, l->y1}, BPN_MARK_NOISE);
            bpn_line_free(l);
            continue;
        }
        bpn_block *b = g_new0(bpn_block, 1);
        b->line = l;
        b->page = page->number;
        b->page_height = page->height;
        b->y0 = l->y0;
        b->y1 = l->y1;
        g_ptr_array_add(blocks, b);
    }
    g_free(noise);
    g_ptr_array_set_free_func(lines, NULL);
    g_ptr_array_unref(lines);
    g_ptr_array_unref(chars);
    /* this page's blocks in reading order */
    if (blocks->len - first > 1)
        qsort(blocks->pdata + first, blocks->len - first, sizeof(gpointer),
              (int (*)(const void *, const void *))block_order);
    if (page->unreadable)
        bpn_warn(doc, page->number, "page could not be read (damaged PDF)");
    else if (page->garbled_layer && page->ocr)
        bpn_warn(doc, page->number, "page's text layer does not read (its fonts map the text to characters a "
                                    "disclosure never prints): read by OCR");
    else if (page->garbled_layer && page->ocr_failed)
        bpn_warn(doc, page->number, "page's text layer does not read (its fonts map the text to characters a "
                                    "disclosure never prints), and OCR could not read the page: %s", page->ocr_failed);
    else if (page->garbled_layer)
        bpn_warn(doc, page->number, "page's text layer does not read (its fonts map the text to characters a "
                                    "disclosure never prints): its text is garbled; --ocr auto reads such a page by OCR");
    else if (page->ocr_failed)
        bpn_warn(doc, page->number, "page has no text layer and OCR could not read it: %s", page->ocr_failed);
    else if (page->ocr && page->n_chars == 0)
        bpn_warn(doc, page->number, "page read by OCR: no text found on it");
    else if (page->n_chars == 0)
        bpn_warn(doc, page->number, "page has no text layer (scanned?)");
}

#define HEADING_RE "^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"

/* ---- what names a document: the vocabulary of its identity ---- */

/* The endings of an organisation's name, and a bracketed qualifier after
 * one ("(本级)"). */
#define ORG_SUFFIX "(?:委员会|办公厅|办公室|医院|中心|研究所|研究院|局|厅|院|所|站|馆|学校|委|会|部|处|队)"
#define ORG_NAME_END ORG_SUFFIX "(?:[(（][^()（）]{1,8}[)）])?$"
#define DOCTYPE_RE "(部门|单位)(预算|决算)"
/* A budget title: [year] unit [部门] [year] 部门/单位 预算/决算, e.g.
 * "2026年烟台市信访局部门预算", "北京市医疗保障局部门2026年度部门预算信息公开",
 * "北京市…委员会2026部门预算情况的说明".  Group 1 and 3: years, 2: unit,
 * 4: kind. */
#define TITLE_RE                                                                                               \
    "^(?:第[一二三四五六七八九十]+部分)?(?:(20\\d{2})年度?)?(.*?)(?:部门)?(?:(20\\d{2})年?度?)?" \
    "((?:部门|单位)(?:预算|决算))"
/* Titles of documents that are not budget disclosures. */
static const char *const OTHER_KINDS[] = {"部门整体绩效自评表", "项目支出绩效自评表", "部门整体支出绩效自评表"};
/* Meta labels naming the unit, in a line ("部门名称：X") or a cell beside
 * the name; the first group says whether it is a 部门 (department). */
#define META_RE "^(部门[(（]单位[)）]|部门|单位|预算单位|编制单位)(?:名称[:：]?|[:：])"

static double widest_line(GPtrArray *blocks, int page)
{
    double w = 0;
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        if (b->page == page && b->line)
            w = MAX(w, b->line->x1 - b->line->x0);
    }
    return w;
}

/* Narrative: the lines no table claimed, outside the 目录, cut at headings. */
static void read_sections(bpn_document *doc, GPtrArray *blocks, GHashTable *toc_pages)
{
    bpn_regex_cache *rx = doc->rx;
    bpn_section *cur = NULL;
    GString *text = NULL;
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (!b->line || b->used || g_hash_table_contains(toc_pages, GINT_TO_POINTER(b->page)))
            continue;
        char *n = bpn_norm(b->line->text);
        /* a heading is a short line; an enumerated paragraph (名词解释) runs
         * the full width of the text */
        double width = b->line->x1 - b->line->x0;
        gboolean heading = bpn_rx_match(rx, HEADING_RE, n) && g_utf8_strlen(n, -1) <= 40 &&
                           width < 0.8 * widest_line(blocks, b->page);
        g_free(n);
        if (heading) {
            if (cur) {
                cur->text = g_string_free(text, FALSE);
                g_ptr_array_add(doc->sections, cur);
            }
            cur = g_new0(bpn_section, 1);
            cur->heading = g_strdup(b->line->text);
            text = g_string_new(NULL);
        } else if (cur) {
            if (text->len) {
                gunichar last = g_utf8_get_char(g_utf8_find_prev_char(text->str, text->str + text->len));
                if (!bpn_is_cjk(last) && g_unichar_isalnum(last) && g_unichar_isalnum(g_utf8_get_char(b->line->text)))
                    g_string_append_c(text, ' ');
            }
            g_string_append(text, b->line->text);
        }
    }
    if (cur) {
        cur->text = g_string_free(text, FALSE);
        g_ptr_array_add(doc->sections, cur);
    }
}

/* TRUE when a name reads as an organisation's: 2 to 40 characters, an
 * organisation's ending, not a province alone, not opening with a digit. */
static gboolean org_name(bpn_regex_cache *rx, const char *u)
{
    return u && g_utf8_strlen(u, -1) >= 2 && g_utf8_strlen(u, -1) <= 40 && bpn_rx_match(rx, ORG_NAME_END, u) &&
           !bpn_rx_match(rx, "^(江苏省|山西省|.{0,3}省)$|^\\d", u);
}

/* The text with its white space taken out, otherwise as printed. */
static char *squeeze(const char *s)
{
    GString *o = g_string_new(NULL);
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isspace(c) && c != 0x3000)
            g_string_append_unichar(o, c);
    }
    return g_string_free(o, FALSE);
}

/* Reads a title (white space taken out) into unit, year and kind where
 * they are not yet set; the unit as printed.  TRUE when it named a unit. */
static gboolean read_title(bpn_document *doc, const char *title)
{
    bpn_regex_cache *rx = doc->rx;
    char *n = bpn_norm(title);
    char *kind = bpn_rx_capture(rx, TITLE_RE, n, 4);
    if (!kind) {
        g_free(n);
        return FALSE;
    }
    char *u = bpn_rx_capture(rx, TITLE_RE, title, 2), *y1 = bpn_rx_capture(rx, TITLE_RE, n, 1), *y3 = bpn_rx_capture(rx, TITLE_RE, n, 3);
    if (!u) /* printed with full-width digits: the normalised text's */
        u = bpn_rx_capture(rx, TITLE_RE, n, 2);
    gboolean named = !doc->unit && org_name(rx, u);
    if (named)
        doc->unit = g_steal_pointer(&u);
    if (!doc->year && (y1 || y3))
        doc->year = atoi(y1 ? y1 : y3);
    if (!doc->document_type)
        doc->document_type = g_steal_pointer(&kind);
    g_free(kind);
    g_free(u);
    g_free(y1);
    g_free(y3);
    g_free(n);
    return named;
}

/* The cover's title: the lines of the first page with text, from its top
 * to its 目录 or first heading or table, joined (a title set over several
 * lines: "2026 年度" / "福州经济技术开发区生态" / "环境局" / "单位预算"). */
static char *cover_title(bpn_regex_cache *rx, GPtrArray *blocks)
{
    GString *cover = g_string_new(NULL);
    int page = 0, lines = 0;
    for (guint i = 0; i < blocks->len && lines < 8; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (!page && b->line)
            page = b->page;
        if (!page)
            continue;
        if (b->page != page || b->grid)
            break;
        char *n = bpn_norm(b->line->text);
        gboolean stop = bpn_rx_match(rx, "^目录$|^第[一二三四五六七八九十]+部分|^[一二三四五六七八九十]+、", n);
        if (!stop) {
            char *q = squeeze(b->line->text);
            g_string_append(cover, q);
            g_free(q);
            lines++;
        }
        g_free(n);
        if (stop)
            break;
    }
    return g_string_free(cover, FALSE);
}

/* The organisation's name a text opens with: the longest prefix of at
 * most 30 characters, without punctuation or digits, that ends as a name
 * ends (a label and its name read into one cell run on into the next
 * label: "北京市信访办公室财政拨款其他资金…"). */
static char *name_prefix(bpn_regex_cache *rx, const char *text)
{
    char *u = bpn_rx_capture(rx, "^([^，。；;,:：\\d]{2,30}" ORG_SUFFIX "(?:[(（][^()（）]{1,8}[)）])?)", text, 1);
    if (u && !org_name(rx, u)) {
        g_free(u);
        u = NULL;
    }
    return u;
}

/* A meta label cut by a grid's rule: its head a line by itself ("部门名",
 * its glyphs outside every cell), its tail in the grid's cell beside or
 * under it with the name ("称北京市审计局…": a label in a cell whose upper
 * rule the page drew faint).  Returns the line's text n joined to that
 * cell's (normalised) when the two make a label the line alone is not,
 * else NULL. */
static char *label_over_grid(bpn_regex_cache *rx, GPtrArray *blocks, guint i, const char *n)
{
    const bpn_block *b = blocks->pdata[i];
    if (bpn_rx_match(rx, META_RE, n) || g_utf8_strlen(n, -1) > 8)
        return NULL;
    double h = b->y1 - b->y0;
    for (guint j = 0; j < blocks->len; j++) {
        const bpn_block *gb = blocks->pdata[j];
        const bpn_grid *g = gb->grid;
        if (!g || gb->page != b->page || g->y0 > b->y1 + 1.5 * h || g->y1 < b->y0)
            continue;
        /* the rows starting from just above the line to just under it */
        for (int r = 0; r < g->n_rows; r++) {
            if (g->ys[r + 1] < b->y0 || g->ys[r] > b->y1 + 1.5 * h)
                continue;
            for (int c = 0; c < g->n_cols; c++) {
                const char *t = g->text[r * g->n_cols + c];
                if (!t)
                    continue;
                char *m = bpn_norm(t);
                char *joined = g_strconcat(n, m, NULL);
                char *whole = bpn_rx_capture(rx, META_RE, joined, 0);
                gboolean cut = whole && strlen(whole) > strlen(n);
                g_free(whole);
                g_free(m);
                if (cut)
                    return joined;
                g_free(joined);
            }
        }
    }
    return NULL;
}

/* The name after a meta label, in a line ("部门名称：X"), in the cell of
 * the label ("部门名称X…") or in the next cell of its row (北京 预算13表).
 * A 部门 label's name is preferred to a 单位's (a 项目 form names its
 * 单位, the 部门整体 form the 部门); *department says which it was.  The
 * first name found, or with vote (a document read by OCR, which misreads
 * a glyph of the name on one page and not on the others: 江苏省政挡办公厅
 * once, 江苏省政协办公厅 on eleven pages) the name the most meta lines
 * give, the first of those given as often. */
static char *meta_unit(bpn_regex_cache *rx, GPtrArray *blocks, gboolean vote, gboolean *department)
{
    char *found[2] = {NULL, NULL}; /* [0]: 部门, [1]: other labels */
    GHashTable *votes[2] = {NULL, NULL}; /* name → how many lines give it */
    int most[2] = {0, 0};
    for (int k = 0; vote && k < 2; k++)
        votes[k] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < blocks->len && (vote || !found[0]); i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        const bpn_grid *g = b->grid;
        int n_texts = b->line ? 1 : g->n_rows * g->n_cols;
        for (int c = 0; c < n_texts && (vote || !found[0]); c++) {
            const char *text = b->line ? b->line->text : g->text[c];
            if (!text)
                continue;
            char *n = bpn_norm(text);
            gboolean in_line = b->line != NULL;
            char *cut = in_line ? label_over_grid(rx, blocks, i, n) : NULL;
            if (cut) {
                g_free(n);
                n = cut;
                in_line = FALSE;
            }
            char *label = bpn_rx_capture(rx, META_RE, n, 1), *whole = label ? bpn_rx_capture(rx, META_RE, n, 0) : NULL;
            char *u = NULL;
            if (whole && n[strlen(whole)] && in_line) {
                /* a line: the name is all the rest, a unit of measure aside */
                u = bpn_rx_capture(rx, META_RE "(.+?)(?:(?:金额)?单位[:：].*)?$", n, 2);
                if (!org_name(rx, u)) {
                    g_free(u);
                    u = NULL;
                }
            } else if (whole && n[strlen(whole)] && strstr(whole, "名称")) {
                u = name_prefix(rx, n + strlen(whole));
            } else if (whole && in_line && i + 1 < blocks->len) {
                /* a label alone: the name is the next line on its baseline */
                const bpn_block *next = blocks->pdata[i + 1];
                if (next->line && next->page == b->page &&
                    MIN(next->y1, b->y1) - MAX(next->y0, b->y0) > 0.5 * (b->y1 - b->y0)) {
                    char *v = bpn_norm(next->line->text);
                    u = name_prefix(rx, v);
                    g_free(v);
                }
            }
            /* a label cell holding more than the label (the row under it
             * joined: "部门名称总体资金情况（万元）"): the name in the next cell */
            if (whole && !u && !in_line && g) {
                for (int k = c + 1; k % g->n_cols != 0 && !u; k++)
                    if (g->text[k]) {
                        char *v = bpn_norm(g->text[k]);
                        u = name_prefix(rx, v);
                        g_free(v);
                        break;
                    }
            }
            g_free(whole);
            int slot = label && g_str_has_prefix(label, "部门") ? 0 : 1;
            if (u && vote) {
                int n_votes = GPOINTER_TO_INT(g_hash_table_lookup(votes[slot], u)) + 1;
                g_hash_table_replace(votes[slot], g_strdup(u), GINT_TO_POINTER(n_votes));
                if (n_votes > most[slot]) {
                    most[slot] = n_votes;
                    g_free(found[slot]);
                    found[slot] = g_steal_pointer(&u);
                }
            } else if (u && !found[slot]) {
                found[slot] = g_steal_pointer(&u);
            }
            g_free(u);
            g_free(label);
            g_free(n);
        }
    }
    for (int k = 0; vote && k < 2; k++)
        g_hash_table_unref(votes[k]);
    *department = found[0] != NULL;
    if (found[0]) {
        g_free(found[1]);
        return found[0];
    }
    return found[1];
}

/* The name the prose opens its lines with ("北京市人民政府办公厅主要职责
 * 包括", "2026年北京市…办公厅政府采购预算"), the most frequent, seen at
 * least twice. */
static char *prose_unit(bpn_regex_cache *rx, GPtrArray *blocks)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int best = 1;
    char *unit = NULL;
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        char *n = b->line && !b->used ? bpn_norm(b->line->text) : NULL;
        char *u = n ? bpn_rx_capture(rx, "^(?:20\\d{2}年度?)?([^\\d，。、；:：（(]{2,30}?" ORG_SUFFIX
                                  ")(?:20\\d{2}年|本年|主要职责|共有|有|属于|设|政府采购|机关运行)",
                                  n, 1)
                    : NULL;
        if (u) {
            int k = GPOINTER_TO_INT(g_hash_table_lookup(seen, u)) + 1;
            if (k > best) {
                best = k;
                g_free(unit);
                unit = g_strdup(u);
            }
            g_hash_table_insert(seen, u, GINT_TO_POINTER(k));
        }
        g_free(n);
    }
    g_hash_table_unref(seen);
    return unit;
}

/* The year a document is for: the first line that pairs a year with 预算
 * or 决算 ("2026年部门预算", "2026年度一般公共预算…表"), or stands alone in
 * brackets under a form's title ("（2024年度）"); else the most frequent. */
static int document_year(bpn_regex_cache *rx, GPtrArray *blocks)
{
    int counts[200] = {0}, best = 0;
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (!b->line)
            continue;
        char *n = bpn_norm(b->line->text);
        char *y = bpn_rx_capture(rx, "(20\\d{2})年?度?[^，。；\\d]{0,24}(?:预算|决算)|^[(（](20\\d{2})年度?[)）]$", n, 0);
        char *all = y ? bpn_rx_capture(rx, "(20\\d{2})", y, 1) : NULL;
        g_free(y);
        if (all) {
            int year = atoi(all);
            g_free(all);
            g_free(n);
            return year;
        }
        const char *p = n;
        char *m;
        while ((m = bpn_rx_capture(rx, "(20\\d{2})年", p, 1))) {
            int v = atoi(m) - 2000;
            if (v >= 0 && v < 200 && ++counts[v] > counts[best])
                best = v;
            p = strstr(p, m) + strlen(m);
            g_free(m);
        }
        g_free(n);
    }
    return counts[best] ? 2000 + best : 0;
}

/* Unit, department, year and document type, from the strongest evidence
 * the document gives:
 *  1. the cover's title (cover_title), then a title line on its first two
 *     pages (read_title);
 *  2. a meta label, line or cell (meta_unit): 部门名称 / 单位名称 / 部门（单位）;
 *  3. the name the prose opens its lines with (prose_unit);
 *  4. the forms' 实施单位, or the 部门（单位）名称 of an evaluation form.
 * The year: the title's, else document_year().  The kind: the title's,
 * else what the tables say (预算/决算, with the meta label's 部门 or 单位).
 * A document that names another kind (部门整体绩效自评表) is typed so and
 * warned about: it is not a budget disclosure. */
/* What the identity reads in the grids' cells, read before the tables'
 * walk frees them (bpn_builder_finish). */
typedef struct {
    char *meta;            /* meta_unit()'s name, may be NULL */
    gboolean department;   /* ... given by a 部门 label */
    char *implementer;     /* the name beside the first 实施单位 cell (a form's) */
    char *department_code; /* the name of the first "063-name" cell */
    gboolean grid_text;    /* some grid has text */
} identity_grids;

static void identity_grids_read(bpn_document *doc, GPtrArray *blocks, identity_grids *ig)
{
    bpn_regex_cache *rx = doc->rx;
    *ig = (identity_grids){0};
    ig->meta = meta_unit(rx, blocks, doc->source.ocr_pages && doc->source.ocr_pages->len > 0, &ig->department);
    for (guint i = 0; i < blocks->len && !ig->implementer; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        const bpn_grid *g = b->grid;
        for (int c = 0; g && c + 1 < g->n_rows * g->n_cols && !ig->implementer; c++) {
            if (!g->text[c] || !bpn_rx_match(rx, "^实施单位[:：]?$", g->text[c]))
                continue;
            for (int k = c + 1; k % g->n_cols != 0 && !ig->implementer; k++)
                if (g->text[k])
                    ig->implementer = g_strdup(g->text[k]);
        }
    }
    for (guint i = 0; i < blocks->len && !ig->department_code; i++) {
        bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        for (int c = 0; b->grid && c < b->grid->n_rows * b->grid->n_cols && !ig->department_code; c++)
            if (b->grid->text[c])
                ig->department_code = bpn_rx_capture(rx, "^\\d{3}[-－](\\S+)$", b->grid->text[c], 1);
    }
    for (guint i = 0; i < blocks->len && !ig->grid_text; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        for (int c = 0; b->grid && c < b->grid->n_rows * b->grid->n_cols && !ig->grid_text; c++)
            ig->grid_text = b->grid->text[c] != NULL;
    }
}

/* bpn_identity_read, the grids' cells read before (identity_grids_read):
 * takes ig's strings. */
static void identity_read(bpn_document *doc, GPtrArray *blocks, identity_grids *ig)
{
    bpn_regex_cache *rx = doc->rx;
    char *cover = cover_title(rx, blocks);
    read_title(doc, cover);
    int first_page = 0;
    for (guint i = 0; i < blocks->len && !doc->unit; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (!b->line)
            continue;
        if (!first_page)
            first_page = b->page;
        if (b->page > first_page + 1)
            break;
        char *q = squeeze(b->line->text);
        read_title(doc, q);
        g_free(q);
    }
    const char *other = NULL;
    for (size_t k = 0; k < G_N_ELEMENTS(OTHER_KINDS) && !doc->document_type; k++)
        for (guint i = 0; i < blocks->len && !other; i++) {
            const bpn_block *b = blocks->pdata[i];
            bpn_block_touch(b);
            if (b->line && b->page <= first_page + 1 && strstr(b->line->text, OTHER_KINDS[k]))
                other = OTHER_KINDS[k];
        }
    if (other) {
        doc->document_type = g_strdup(other);
        bpn_warn(doc, 0, "not a budget disclosure: the document is a %s", other);
    }
    gboolean department = ig->department;
    char *meta = g_steal_pointer(&ig->meta);
    if (!doc->unit)
        doc->unit = g_steal_pointer(&meta);
    g_free(meta);
    if (!doc->unit)
        doc->unit = prose_unit(rx, blocks);
    /* a document of forms only: the unit is the forms' 实施单位 */
    if (!doc->unit)
        doc->unit = g_steal_pointer(&ig->implementer);
    g_clear_pointer(&ig->implementer, g_free);
    if (!doc->year)
        doc->year = document_year(rx, blocks);
    if (doc->tables->len == 0 && !doc->document_type) {
        for (guint i = 0; i < blocks->len && !doc->document_type; i++) {
            const bpn_block *b = blocks->pdata[i];
            bpn_block_touch(b);
            if (b->line && strstr(b->line->text, "项目支出绩效目标表"))
                doc->document_type = g_strdup("项目支出绩效目标表");
        }
    }
    /* a file of tables only: the tables say 预算 or 决算, the meta label
     * 部门 or 单位, or a table of the 部门 as a whole (部门整体支出绩效目标表) */
    for (guint i = 0; i < blocks->len && !department; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        department = b->line && strstr(b->line->text, "部门整体");
    }
    for (guint i = 0; i < doc->tables->len && !doc->document_type; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        char *n = t->title ? bpn_norm(t->title) : NULL;
        if (n && (bpn_table_is(doc->rx, t, "income_expenditure_summary") || bpn_table_is(doc->rx, t, "fiscal_summary")))
            doc->document_type = g_strdup(strstr(n, "决算") ? (department ? "部门决算" : "单位决算")
                                                            : (department ? "部门预算" : "单位预算"));
        g_free(n);
    }
    if (!doc->document_type) {
        for (guint i = 0; i < blocks->len && !doc->document_type; i++) {
            bpn_block *b = blocks->pdata[i];
            bpn_block_touch(b);
            char *n = b->line ? bpn_norm(b->line->text) : NULL;
            if (n)
                doc->document_type = bpn_rx_capture(rx, DOCTYPE_RE, n, 0);
            g_free(n);
        }
    }
    g_free(cover);
    if (doc->document_type && g_str_has_prefix(doc->document_type, "部门") && doc->unit)
        doc->department = g_strdup(doc->unit);
    if (!doc->department)
        doc->department = g_steal_pointer(&ig->department_code);
    g_clear_pointer(&ig->department_code, g_free);
    /* what could not be read is said, never guessed (from the file's name
     * or anything else) */
    if (!doc->unit || !doc->year || !doc->document_type) {
        gboolean text = ig->grid_text;
        for (guint i = 0; i < blocks->len && !text; i++) {
            const bpn_block *b = blocks->pdata[i];
            bpn_block_touch(b);
            text = b->line != NULL;
        }
        if (!text)
            bpn_warn(doc, 0, "identity not read: the document has no text layer (page images only); its unit, "
                             "year and kind could be read only by OCR");
        else
            bpn_warn(doc, 0, "identity incomplete: the document does not state its %s%s%s in a form read here",
                     doc->unit ? "" : "unit ", doc->year ? "" : "year ", doc->document_type ? "" : "kind");
    }
}

void bpn_identity_read(bpn_document *doc, GPtrArray *blocks)
{
    identity_grids ig;
    identity_grids_read(doc, blocks, &ig);
    identity_read(doc, blocks, &ig);
}

static char *basename_of(const char *path)
{
    return g_path_get_basename(path && *path ? path : "-");
}

/* ---- the builder, and what it holds ----
 *
 * How memory goes while a document is built (issue 15).  Figures: a
 * worker's peak resident memory on fixture 001's table pages repeated,
 * 1,003 and 4,998 pages (bench/README.md, session 7).
 *  1. bpn_builder_add_page reads a page into blocks (read_page: lines and
 *     grids, their text copied out) and the caller frees the page.  With
 *     bpn_builder_spill and no frames (the worker without a review), the
 *     page's lines and grids go at once to a temporary file
 *     (bpn_block_store_put, pages.c): what stays is each block's page, box
 *     and `used` flag (about 150 bytes a table page) and nothing for the
 *     review page (no page views).  A page read by OCR stays held.
 *  2. bpn_builder_finish runs the passes that need the whole document, in
 *     the order they always ran: the forms (bpn_forms_build_ocr), the OCR
 *     titles, what the identity reads in grids (identity_grids_read), the
 *     目录's pages (bpn_toc_pages), the tables' walk
 *     (bpn_tables_build_framed: toc_read, the walk, gridless_empty_tables,
 *     number_from_toc), the sections (read_sections), the identity
 *     (identity_read).  Each goes over the blocks in order and calls
 *     bpn_block_touch at each block it comes to, which reads that block's
 *     page back from the file, with the page with blocks before it, and
 *     drops the pages touched longest ago (four are held).  This works
 *     because each pass reads, around the block it is at, that page and
 *     the page before only: a title at the foot of the page before (the
 *     walk, the OCR titles), the line above (forms), the lines of the
 *     block's page (widest_line, label_over_grid, widen_by_free_text,
 *     baseline_row, the notes and the gridless tables' lines), the next
 *     line on its baseline (meta_unit); and where a pass looks at a block
 *     further off, it tests the block's page before its line or grid, so
 *     that an evicted block (neither) reads as it would held.  The
 *     identity comes back to the first pages after each of its scans: each
 *     scan reads the file again from there (the scans that find nothing
 *     read it whole; the cost is within the noise of the CPU time).
 *     A document with pages read by OCR is brought back whole first
 *     (bpn_block_store_hold_all): the OCR repairs rewrite lines and cells.
 *  3. The walk writes each table's header rows and rows out as soon as it
 *     has finished it (pending_finish → bpn_spill_rows_out: a second file of
 *     the spill), keeping its title, label, pages, notes and columns.  The
 *     checks (bpn_checks_build: a table's own, then balances and
 *     same_figures over a few tables of given kinds), the summary
 *     (tables_read) and the meaning read the tables back one or two at a
 *     time (bpn_table_touch; three are held).  Each check is written to the
 *     spill file as it is judged, and each table's rows and records as
 *     soon as meaning.c has read it (bpn_spill_table).  Without a spill
 *     (a review page, OCR readings to repair, no temporary folder) all is
 *     held as before.
 *  4. The blocks go as soon as the identity is read; the emit stage writes
 *     the JSON as it is made (bpe_document_write), reading the spilled
 *     tables and checks back one at a time.
 * So the worker holds, while it reads pages, one page's characters and a
 * few blocks' skeletons a page, and while it finishes, a few pages and a
 * few tables.  The repairs made while the pages are read go to a file of
 * their own as they are made (bpn_repair_log, spill.c), and a table, once
 * its meaning is read, keeps in memory its number, title, column count and
 * no_data only.  With extract reading a long document in chunks (poppler's
 * page cache bounded: extract/pagetree.c), the peak: 22.3 / 24.3 MiB at
 * 1,003 / 4,998 pages (1.09×; 1.52× before; bench/README.md, branch
 * genmem).  What it misses: the blocks' skeletons (about 0.2 KB a table
 * page) stay in memory to the end of the identity.  The passes still run
 * after the last page: the blocks are read once as they come and again by
 * each pass (about ten passes; the file is about 2 KB a table page).
 * Running the walk as the pages come would save the rereading, and the
 * skeletons.
 */

struct bpn_builder {
    bpn_document *doc;
    GPtrArray *blocks; /* bpn_block*: what the pages read so far hold, in reading order */
    gboolean no_frames; /* bpn_builder_drop_frames(): no frames, no page views */
    GArray *ocr_readings; /* bpn_ocr_reading: the OCR'd amounts with other readings */
    gboolean no_ocr_repair;
    gboolean spill; /* bpn_builder_spill() */
    bpn_block_store *store; /* the pages' lines and grids, with spill and no frames (pages.c); NULL: held */
    gboolean store_failed; /* none could be made: held */
    gboolean log_tried;    /* doc->repair_log made, or found impossible */
};

void bpn_builder_drop_frames(bpn_builder *b)
{
    b->no_frames = TRUE;
}

bpn_document *bpn_document_new(void)
{
    bpn_document *doc = g_new0(bpn_document, 1);
    doc->source.ocr_pages = g_array_new(FALSE, FALSE, sizeof(int));
    doc->rx = bpn_regex_cache_new();
    doc->tables = g_ptr_array_new_with_free_func(bpn_table_free);
    doc->sections = g_ptr_array_new_with_free_func(section_free);
    doc->repairs = g_ptr_array_new_with_free_func(repair_free);
    doc->warnings = g_ptr_array_new_with_free_func(warning_free);
    doc->checks = g_ptr_array_new_with_free_func(bpn_check_free);
    return doc;
}

bpn_builder *bpn_builder_new(const bpx_document *src)
{
    bpn_builder *b = g_new0(bpn_builder, 1);
    bpn_document *doc = b->doc = bpn_document_new();
    doc->source.file = basename_of(src->path);
    g_strlcpy(doc->source.sha256, src->sha256, sizeof doc->source.sha256);
    doc->source.pages = src->n_pages;
    doc->source.producer = g_strdup(src->producer);
    b->blocks = g_ptr_array_new_with_free_func(block_free);
    b->ocr_readings = g_array_new(FALSE, FALSE, sizeof(bpn_ocr_reading));
    g_array_set_clear_func(b->ocr_readings, bpn_ocr_reading_clear);
    return b;
}

/* A page's characters are needed only here: its blocks (lines and grids,
 * their text copied out) are what the later steps read, so the caller may
 * free the page as soon as this returns. */
void bpn_builder_add_page(bpn_builder *b, const bpx_page *page)
{
    guint first = b->blocks->len;
    if (b->spill && b->no_frames && !b->log_tried) { /* the pages' repairs out of memory */
        b->doc->repair_log = bpn_repair_log_new(NULL);
        b->log_tried = TRUE;
    }
    if (page->ocr)
        g_array_append_val(b->doc->source.ocr_pages, page->number);
    bpn_ocr_readings_hold(b->ocr_readings, page);
    read_page(b->doc, page, b->blocks, !b->no_frames);
    /* a line's glyphs are the page's: nothing after read_page looks at them */
    for (guint i = first; i < b->blocks->len; i++) {
        bpn_block *k = b->blocks->pdata[i];
        if (k->line)
            g_clear_pointer(&k->line->chars, g_ptr_array_unref);
    }
    /* out of memory until the passes of bpn_builder_finish come to it; a
     * page read by OCR stays (the OCR repairs rewrite its blocks) */
    if (b->spill && b->no_frames && !page->ocr && !b->store_failed) {
        if (!b->store)
            b->store = bpn_block_store_new(b->blocks, NULL);
        b->store_failed = !b->store;
        if (b->store)
            bpn_block_store_put(b->store, first);
    }
}

void bpn_builder_spill(bpn_builder *b)
{
    b->spill = TRUE;
}

void bpn_builder_set_ocr_repair(bpn_builder *b, gboolean on)
{
    b->no_ocr_repair = !on;
}

void bpn_builder_free(bpn_builder *b)
{
    if (!b)
        return;
    bpn_document_free(b->doc);
    g_ptr_array_unref(b->blocks);
    bpn_block_store_free(b->store);
    g_array_unref(b->ocr_readings);
    g_free(b);
}

bpn_document *bpn_builder_finish(bpn_builder *b, const bpx_document *src, GError **error)
{
    bpn_document *doc = b->doc;
    GPtrArray *blocks = b->blocks;
    gboolean no_frames = b->no_frames;
    GArray *readings = b->ocr_readings;
    gboolean repair = !b->no_ocr_repair;
    gboolean spill = b->spill && !(repair && readings->len);
    bpn_block_store *store = b->store;
    g_free(b);
    doc->source.pages = src->n_pages;
    /* repairs from here on are held: the OCR repairs rework their own */
    bpn_repair_log_seal(doc->repair_log);
    /* a document with pages read by OCR is held whole, as it was read */
    if (store && doc->source.ocr_pages->len)
        bpn_block_store_hold_all(store);
    bpn_forms_build_ocr(doc, blocks, repair);
    if (repair)
        bpn_ocr_titles_fix(doc, blocks);
    /* what the identity and the sections read in grids, read before the
     * walk frees each grid's cells (nothing changes the blocks from here) */
    identity_grids ig;
    identity_grids_read(doc, blocks, &ig);
    GHashTable *toc_pages = bpn_toc_pages(blocks);
    /* no spill file to be had (no temporary folder): the checks are held */
    if (spill)
        doc->spill = bpn_spill_new(NULL);
    /* the frames are the review page's and the OCR repair's (which pairs
     * the readings with cells through them) */
    bpn_tables_build_framed(doc, blocks, !no_frames || (repair && readings->len));
    if (repair)
        bpn_forms_ocr_names(doc);
    read_sections(doc, blocks, toc_pages);
    g_hash_table_unref(toc_pages);
    if (repair)
        bpn_forms_ocr_consensus(doc);
    identity_read(doc, blocks, &ig);
    /* the steps below read the tables only: the pages' blocks go before
     * the checks and records are made, so the two are never held at once */
    g_ptr_array_unref(blocks);
    GError *stored = NULL;
    if (!bpn_block_store_ok(store, &stored)) {
        bpn_block_store_free(store);
        g_array_unref(readings);
        bpn_document_free(doc);
        g_propagate_error(error, stored);
        return NULL;
    }
    bpn_block_store_free(store);
    if (repair) {
        bpn_ocr_amount_marks_fix(doc);
        bpn_ocr_catalogue_fix(doc);
        bpn_ocr_labels_fix(doc);
    }
    bpn_withheld_read(doc);
    bpn_checks_build(doc);
    if (repair)
        bpn_ocr_repair(doc, readings);
    g_array_unref(readings);
    for (guint i = 0; no_frames && i < doc->tables->len; i++) {
        bpn_table *t = doc->tables->pdata[i];
        if (t->frames) /* a table made without a grid has none */
            g_ptr_array_set_size(t->frames, 0);
    }
    bpn_summary_build(doc); /* from the cells as repaired */
    /* a table's meaning reads that table only: spilled as soon as it is read */
    bpn_meaning_walk *mw = bpn_meaning_begin(doc);
    for (guint i = 0; i < doc->tables->len; i++) {
        bpn_table_touch(doc, doc->tables->pdata[i]);
        bpn_meaning_table(mw, i);
        if (doc->spill)
            bpn_spill_table(doc->spill, doc, i);
    }
    bpn_meaning_end(mw);
    if (!bpn_spill_ok(doc->spill, error) || !bpn_repair_log_ok(doc->repair_log, error)) {
        bpn_document_free(doc);
        return NULL;
    }
    return doc;
}

bpn_document *bpn_document_build(const bpx_document *src, GError **error)
{
    bpn_builder *b = bpn_builder_new(src);
    for (int i = 0; i < src->n_pages; i++)
        bpn_builder_add_page(b, &src->pages[i]);
    return bpn_builder_finish(b, src, error);
}
