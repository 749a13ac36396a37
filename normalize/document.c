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
    g_free(doc->department);
    g_free(doc->document_type);
    g_ptr_array_unref(doc->tables);
    g_ptr_array_unref(doc->sections);
    g_ptr_array_unref(doc->repairs);
    g_ptr_array_unref(doc->warnings);
    g_ptr_array_unref(doc->checks);
    if (doc->targets)
        g_ptr_array_unref(doc->targets);
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

/* Reads one page into blocks. */
static void read_page(bpn_document *doc, const bpx_page *page, GPtrArray *blocks)
{
    GPtrArray *chars = g_ptr_array_sized_new((guint)page->n_chars);
    bpn_noise_filter_chars(doc, page, chars);
    GPtrArray *grids = bpn_grids_find(page, chars);
    GPtrArray *text_grids = bpn_text_grids_find(page, chars);
    for (guint i = 0; i < text_grids->len; i++)
        g_ptr_array_add(grids, g_steal_pointer(&text_grids->pdata[i]));
    g_ptr_array_set_free_func(text_grids, NULL);
    g_ptr_array_unref(text_grids);
    GPtrArray *lines = bpn_lines_build(chars, 3.0);
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
    for (guint i = 0; i < lines->len; i++) {
        bpn_line *l = lines->pdata[i];
        if (noise[i]) {
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
    else if (page->ocr_failed)
        bpn_warn(doc, page->number, "page has no text layer and OCR could not read it: %s", page->ocr_failed);
    else if (page->ocr && page->n_chars == 0)
        bpn_warn(doc, page->number, "page read by OCR: no text found on it");
    else if (page->n_chars == 0)
        bpn_warn(doc, page->number, "page has no text layer (scanned?)");
}

#define HEADING_RE "^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
#define ORG_SUFFIX "(?:委员会|办公厅|办公室|医院|中心|研究所|研究院|局|厅|院|所|站|馆|学校|委|会|部|处|队)"
#define DOCTYPE_RE "(部门|单位)(预算|决算)"

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
static void read_sections(bpn_document *doc, GPtrArray *blocks)
{
    GHashTable *toc_pages = bpn_toc_pages(blocks);
    bpn_section *cur = NULL;
    GString *text = NULL;
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        if (!b->line || b->used || g_hash_table_contains(toc_pages, GINT_TO_POINTER(b->page)))
            continue;
        char *n = bpn_norm(b->line->text);
        /* a heading is a short line; an enumerated paragraph (名词解释) runs
         * the full width of the text */
        double width = b->line->x1 - b->line->x0;
        gboolean heading = bpn_match(HEADING_RE, n) && g_utf8_strlen(n, -1) <= 40 &&
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
    g_hash_table_unref(toc_pages);
}

/* TRUE when the tables' meta lines name a 部门 (部门：X, 部门名称：X) rather
 * than a 单位. */
static gboolean unit_is_department(GPtrArray *blocks)
{
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        if (!b->line)
            continue;
        char *n = bpn_norm(b->line->text);
        gboolean dept = bpn_match("^部门(名称)?[:：]", n), unit = bpn_match("^(单位名称|预算单位)[:：]", n);
        g_free(n);
        if (dept || unit)
            return dept;
    }
    return FALSE;
}

/* Cover, headings and meta lines: unit, department, year, document type. */
static void read_identity(bpn_document *doc, GPtrArray *blocks)
{
    int first_page = 0;
    for (guint i = 0; i < blocks->len && !doc->unit; i++) {
        bpn_block *b = blocks->pdata[i];
        if (!b->line)
            continue;
        if (!first_page)
            first_page = b->page;
        char *n = bpn_norm(b->line->text);
        if (b->page <= first_page + 1) {
            if (!doc->year) {
                char *y = bpn_capture("(20\\d{2})年", n, 1);
                if (y)
                    doc->year = atoi(y);
                g_free(y);
            }
            if (!doc->document_type) {
                char *t = bpn_capture(DOCTYPE_RE, n, 0);
                if (t)
                    doc->document_type = t;
            }
            char *u = bpn_capture("^(?:第[一二三四五六七八九十]+部分)?(.*?)(?:20\\d{2})年度?" DOCTYPE_RE, n, 1);
            if (u && !*u) {
                g_free(u);
                u = NULL;
            }
            if (!u && b->page == first_page)
                u = bpn_capture("^([^:：]{2,30}(?:委员会|办公厅|办公室|医院|中心|研究所|研究院|局|厅|院|所|站|馆|校|学校|委|会|部|处|队))$",
                                n, 1);
            if (u && !bpn_match("^(江苏省|山西省|.{0,3}省)$|^\\d", u)) {
                doc->unit = u;
                u = NULL;
            }
            g_free(u);
        }
        g_free(n);
    }
    /* a cover title set over two lines: "X 2018 年度" / "部门预算公开" */
    if (!doc->unit && first_page) {
        GString *cover = g_string_new(NULL);
        for (guint i = 0; i < blocks->len; i++) {
            const bpn_block *b = blocks->pdata[i];
            if (b->line && b->page == first_page) {
                char *n = bpn_norm(b->line->text);
                g_string_append(cover, n);
                g_string_append_c(cover, '\n');
                g_free(n);
            }
        }
        char *u = bpn_capture("(?:^|\n)([^\n\\d]{2,40}?)(?:20\\d{2})年度?\n?" DOCTYPE_RE, cover->str, 1);
        if (u && !bpn_match("^第[一二三四五六七八九十]+部分", u))
            doc->unit = u;
        else
            g_free(u);
        g_string_free(cover, TRUE);
    }
    for (guint i = 0; i < blocks->len && !doc->unit; i++) {
        bpn_block *b = blocks->pdata[i];
        if (!b->line)
            continue;
        char *n = bpn_norm(b->line->text);
        char *u = bpn_capture("^(?:单位名称|部门名称|部门|预算单位|编制单位)[:：](.+?)(?:单位[:：].*)?$", n, 1);
        if (u && *u)
            doc->unit = u;
        else
            g_free(u);
        g_free(n);
    }
    /* no cover (an image): the name the prose opens its sentences with
     * ("江苏省政协办公厅2019年度收入、支出预算总计…"), the most frequent */
    if (!doc->unit) {
        GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        int best = 0;
        for (guint i = 0; i < blocks->len; i++) {
            const bpn_block *b = blocks->pdata[i];
            char *n = b->line ? bpn_norm(b->line->text) : NULL;
            char *u = n ? bpn_capture("^([^\\d，。、；:：（(]{2,30}?" ORG_SUFFIX ")(?:20\\d{2}年|本年)", n, 1) : NULL;
            if (u) {
                int k = GPOINTER_TO_INT(g_hash_table_lookup(seen, u)) + 1;
                if (k > best) {
                    best = k;
                    g_free(doc->unit);
                    doc->unit = g_strdup(u);
                }
                g_hash_table_insert(seen, u, GINT_TO_POINTER(k));
            }
            g_free(n);
        }
        g_hash_table_unref(seen);
    }
    for (guint i = 0; i < blocks->len && !doc->year; i++) {
        bpn_block *b = blocks->pdata[i];
        char *n = b->line ? bpn_norm(b->line->text) : NULL;
        char *y = n ? bpn_capture("(20\\d{2})年", n, 1) : NULL;
        if (y)
            doc->year = atoi(y);
        g_free(y);
        g_free(n);
    }
    if (!doc->document_type) {
        for (guint i = 0; i < blocks->len && !doc->document_type; i++) {
            bpn_block *b = blocks->pdata[i];
            char *n = b->line ? bpn_norm(b->line->text) : NULL;
            if (n)
                doc->document_type = bpn_capture(DOCTYPE_RE, n, 0);
            g_free(n);
        }
    }
    /* a document of forms only: the unit is the forms' 实施单位 */
    for (guint i = 0; i < blocks->len && !doc->unit; i++) {
        const bpn_grid *g = ((bpn_block *)blocks->pdata[i])->grid;
        for (int c = 0; g && c + 1 < g->n_rows * g->n_cols && !doc->unit; c++) {
            if (!g->text[c] || !bpn_match("^实施单位[:：]?$", g->text[c]))
                continue;
            for (int k = c + 1; k % g->n_cols != 0 && !doc->unit; k++)
                if (g->text[k])
                    doc->unit = g_strdup(g->text[k]);
        }
    }
    if (doc->tables->len == 0 && !doc->document_type) {
        for (guint i = 0; i < blocks->len && !doc->document_type; i++) {
            const bpn_block *b = blocks->pdata[i];
            if (b->line && strstr(b->line->text, "项目支出绩效目标表"))
                doc->document_type = g_strdup("项目支出绩效目标表");
        }
    }
    /* a file of tables only: the tables say 预算 or 决算, their meta line
     * 部门 or 单位 */
    for (guint i = 0; i < doc->tables->len && !doc->document_type; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        char *n = t->title ? bpn_norm(t->title) : NULL;
        if (n && bpn_match("收支.*总表", n))
            doc->document_type = g_strdup(strstr(n, "决算") ? (unit_is_department(blocks) ? "部门决算" : "单位决算")
                                                            : (unit_is_department(blocks) ? "部门预算" : "单位预算"));
        g_free(n);
    }
    if (doc->document_type && g_str_has_prefix(doc->document_type, "部门") && doc->unit)
        doc->department = g_strdup(doc->unit);
    for (guint i = 0; i < blocks->len && !doc->department; i++) {
        bpn_block *b = blocks->pdata[i];
        for (int c = 0; b->grid && c < b->grid->n_rows * b->grid->n_cols && !doc->department; c++)
            if (b->grid->text[c])
                doc->department = bpn_capture("^\\d{3}[-－](\\S+)$", b->grid->text[c], 1);
    }
}

/* Headline figures stated in prose: "收入总计20849.45万元", "基本支出9964.07万元". */
static void summary_from_prose(bpn_document *doc)
{
    /* a total of one source (财政拨款收入总计, 其他资金收入总计) is not the
     * document's total: the label must not follow 款 or 金 */
#define AMOUNT_WAN "[为是:：]?\\s*([\\d,]+(?:\\.\\d+)?)万元"
    struct {
        bpn_amount *slot;
        const char *re;
    } rules[] = {
        {&doc->income_total, "收入、?支出(?:预算)?总计" AMOUNT_WAN},
        {&doc->expenditure_total, "收入、?支出(?:预算)?总计" AMOUNT_WAN},
        {&doc->income_total, "(?<!款|金)收入(?:预算)?(?:总计|合计)" AMOUNT_WAN},
        {&doc->expenditure_total, "(?<!款|金)支出(?:预算)?(?:总计|合计)" AMOUNT_WAN},
        {&doc->basic_expenditure, "基本支出(?:预算数?)?" AMOUNT_WAN},
        {&doc->project_expenditure, "项目支出(?:预算数?)?" AMOUNT_WAN},
    };
#undef AMOUNT_WAN
    for (guint i = 0; i < doc->sections->len; i++) {
        const bpn_section *s = doc->sections->pdata[i];
        char *n = bpn_norm(s->text);
        for (size_t k = 0; k < G_N_ELEMENTS(rules); k++) {
            if (rules[k].slot->set)
                continue;
            char *v = bpn_capture(rules[k].re, n, 1);
            double d;
            if (v && bpn_parse_amount(v, &d)) {
                rules[k].slot->set = TRUE;
                rules[k].slot->value = d;
            }
            g_free(v);
        }
        g_free(n);
    }
}

static char *basename_of(const char *path)
{
    return g_path_get_basename(path && *path ? path : "-");
}

bpn_document *bpn_document_build(const bpx_document *src, GError **error)
{
    (void)error;
    bpn_document *doc = g_new0(bpn_document, 1);
    doc->source.file = basename_of(src->path);
    g_strlcpy(doc->source.sha256, src->sha256, sizeof doc->source.sha256);
    doc->source.pages = src->n_pages;
    doc->source.producer = g_strdup(src->producer);
    doc->source.ocr_pages = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = 0; i < src->n_pages; i++)
        if (src->pages[i].ocr)
            g_array_append_val(doc->source.ocr_pages, src->pages[i].number);
    doc->tables = g_ptr_array_new_with_free_func(bpn_table_free);
    doc->sections = g_ptr_array_new_with_free_func(section_free);
    doc->repairs = g_ptr_array_new_with_free_func(repair_free);
    doc->warnings = g_ptr_array_new_with_free_func(warning_free);
    doc->checks = g_ptr_array_new_with_free_func(bpn_check_free);

    GPtrArray *blocks = g_ptr_array_new_with_free_func(block_free);
    for (int i = 0; i < src->n_pages; i++)
        read_page(doc, &src->pages[i], blocks);
    bpn_forms_build(doc, blocks);
    bpn_tables_build(doc, blocks);
    read_sections(doc, blocks);
    read_identity(doc, blocks);
    bpn_summary_from_tables(doc);
    bpn_checks_build(doc);
    summary_from_prose(doc);
    g_ptr_array_unref(blocks);
    return doc;
}
