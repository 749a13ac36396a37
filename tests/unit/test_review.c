/* test_review.c — the review page (emit/review.c) on a document built by
 * hand: a table with a failing identity, one with a holding one, a page
 * with a frame and removed text.  The browser test (tests/run_review.py)
 * looks at the pages of the fixtures. */
#include "emit/emit.h"
#include "normalize/internal.h"
#include "check.h"

static bpn_table *table(int number, const char *title, const char *cells[][2], int n_rows)
{
    bpn_table *t = g_new0(bpn_table, 1);
    t->number = number;
    t->title = g_strdup(title);
    t->unit_of_measure = g_strdup("万元");
    t->n_cols = 2;
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    int page = 1;
    g_array_append_val(t->pages, page);
    t->header_rows = g_ptr_array_new();
    t->rows = g_ptr_array_new();
    t->notes = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n_rows; i++) {
        bpn_row *r = g_new0(bpn_row, 1);
        r->cells = g_new0(bpn_cell, 2);
        r->cells[0].text = g_strdup(cells[i][0]);
        r->cells[1].text = g_strdup(cells[i][1]);
        r->cells[1].is_number = bpn_parse_amount(cells[i][1], &r->cells[1].number);
        g_ptr_array_add(i == 0 ? t->header_rows : t->rows, r);
    }
    return t;
}

static bpn_check *check(const bpn_table *t, double expected, double found, int n_cells, const int *cells)
{
    bpn_check *k = g_new0(bpn_check, 1);
    k->table = t->number;
    k->source_table = t;
    k->rule = g_strdup("total_row");
    k->row = g_strdup("合计");
    k->column = g_strdup("金额");
    k->expected = expected;
    k->found = found;
    k->ok = fabs(expected - found) < 0.01;
    k->cells = g_array_new(FALSE, FALSE, sizeof(int));
    g_array_append_vals(k->cells, cells, (guint)n_cells * 2);
    return k;
}

/* The class of the td holding text in the table with id="table-N"'s box. */
static char *cell_class(const char *html, int table, const char *text)
{
    char *anchor = g_strdup_printf("aria-labelledby=\"table-%d\"", table);
    const char *from = strstr(html, anchor), *to = from ? strstr(from, "</table>") : NULL;
    g_free(anchor);
    if (!to)
        return NULL;
    char *want = g_strdup_printf(">%s</td>", text);
    const char *at = g_strstr_len(from, to - from, want);
    g_free(want);
    if (!at)
        return NULL;
    const char *td = g_strrstr_len(from, at - from, "<td");
    const char *cls = td ? g_strstr_len(td, at - td, "class=\"") : NULL;
    return cls ? g_strndup(cls + 7, (gsize)(strchr(cls + 7, '"') - cls - 7)) : g_strdup("");
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

int main(void)
{
    check_counts counts = {0}, *c = &counts;
    bpn_document *d = g_new0(bpn_document, 1);
    d->source.file = g_strdup("单位 <预算>.pdf");
    d->source.pages = 1;
    d->unit = g_strdup("某某中心");
    d->year = 2025;
    d->tables = g_ptr_array_new_with_free_func(bpn_table_free);
    d->sections = g_ptr_array_new();
    d->repairs = g_ptr_array_new();
    d->warnings = g_ptr_array_new();
    d->checks = g_ptr_array_new_with_free_func(bpn_check_free);
    const char *bad[][2] = {{"项目", "金额"}, {"工资", "1.00"}, {"公用", "2.00"}, {"合计", "3.50"}, {"备注", "9.00"}};
    const char *good[][2] = {{"项目", "金额"}, {"工资", "4.00"}, {"合计", "4.00"}};
    bpn_table *t1 = table(1, "收支总表", bad, 5), *t2 = table(2, "支出总表", good, 3);
    g_ptr_array_add(d->tables, t1);
    g_ptr_array_add(d->tables, t2);
    int bad_cells[] = {2, 1, 0, 1, 1, 1}, good_cells[] = {1, 1, 0, 1};
    g_ptr_array_add(d->checks, check(t1, 3.0, 3.5, 3, bad_cells));
    g_ptr_array_add(d->checks, check(t2, 4.0, 4.0, 2, good_cells));

    /* a page with t1's frame, a ruling and a watermark glyph taken off */
    bpx_page page = {.number = 1, .width = 595, .height = 842};
    bpx_line rule = {50, 100, 500, 100};
    page.hlines = &rule;
    page.n_hlines = 1;
    bpn_page_view_add(d, &page);
    bpn_page_mark(d, 1, (bpx_rect){300, 400, 320, 420}, BPN_MARK_NOISE);
    double xs[] = {50, 200, 500}, ys[] = {100, 120, 140, 160, 180, 200};
    bpn_grid *g = bpn_grid_new(1, xs, 2, ys, 5);
    for (int i = 0; i < 10; i++)
        g->text[i] = g_strdup("x");
    bpn_table_add_frame(t1, g, 1);
    bpn_grid_free(g);

    char *html = bpe_document_review_html(d, "p.pages", "p.json");
    CHECK(c, html != NULL);
    /* amounts of the failing identity, of the holding one, of none */
    char *k;
    CHECK_STR(c, (k = cell_class(html, 1, "3.50")), "n fail");
    g_free(k);
    CHECK_STR(c, (k = cell_class(html, 1, "1.00")), "n fail");
    g_free(k);
    CHECK_STR(c, (k = cell_class(html, 1, "9.00")), "n");
    g_free(k);
    CHECK_STR(c, (k = cell_class(html, 2, "4.00")), "n hold");
    g_free(k);
    /* the identity, with expected and found, under its table */
    CHECK(c, strstr(html, "expected 3.00, found 3.50") != NULL);
    CHECK(c, strstr(html, "expected 4.00, found 4.00") == NULL); /* holding ones are counted, not listed */
    CHECK(c, strstr(html, "1 hold</span>, <span class=\"bad\" id=\"count-fail\">1 fail") != NULL);
    /* every table has th; the picture has alt; the name is escaped */
    CHECK(c, count(html, "<table") == 3); /* headline and the two read; no repair, no table of them */
    CHECK(c, count(html, "<thead><tr><th") == 2);
    CHECK(c, strstr(html, "src=\"p.pages/page-0001.png\"") != NULL);
    CHECK(c, count(html, "<img ") == count(html, " alt=\""));
    CHECK(c, strstr(html, "单位 &lt;预算&gt;.pdf") != NULL && strstr(html, "<预算>") == NULL);
    /* the overlay: frame, cells (10), header band down to the first data row, ruling, noise */
    CHECK(c, strstr(html, "<rect class=\"frame\" x=\"50.0\" y=\"100.0\" width=\"450.0\" height=\"100.0\"/>") != NULL);
    CHECK(c, count(html, "<rect class=\"cell\"") == 10);
    CHECK(c, strstr(html, "<rect class=\"header\" x=\"50.0\" y=\"100.0\" width=\"450.0\" height=\"20.0\"/>") != NULL);
    CHECK(c, strstr(html, "<line class=\"ruling\" x1=\"50.0\" y1=\"100.0\" x2=\"500.0\" y2=\"100.0\"/>") != NULL);
    CHECK(c, strstr(html, "<rect class=\"noise\" x=\"300.0\" y=\"400.0\"") != NULL);
    /* no script, no external resource */
    CHECK(c, strstr(html, "<script") == NULL && strstr(html, "http") == NULL);
    g_free(html);
    bpn_document_free(d);
    return check_summary("test_review", c);
}
