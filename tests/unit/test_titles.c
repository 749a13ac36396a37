/* test_titles.c — OCR'd table titles snapped to the vocabulary's title
 * forms (normalize/titles.c): the snap itself on misreadings of the kind
 * scans give, and the pass over the lines above a grid, with the engine's
 * second reading of a line to choose from. */
#include "normalize/internal.h"
#include "blocks.h"
#include "check.h"

static void snap_is(check_counts *c, bpn_regex_cache *rx, const char *text, const char *want, int want_d)
{
    int d = -1;
    char *got = bpn_title_snap(rx, text, &d);
    CHECK_STR(c, got, want);
    if (want)
        CHECK(c, d == want_d);
    g_free(got);
}

static void test_snap(check_counts *c)
{
    bpn_regex_cache *rx = bpn_regex_cache_new();
    /* 支 read as 文, a speck as a comma */
    snap_is(c, rx, "文出预算总表，", "支出预算总表", 1);
    /* two ideographs misread; the scope in brackets kept as read */
    snap_is(c, rx, "财政拨亚文出预算表.（功能科目）", "财政拨款支出预算表（功能科目）", 2);
    /* the scope's opening bracket lost, or read as an angle bracket */
    snap_is(c, rx, "“三公”经费、会议费、培训费文出预算表一般公共预算)", "“三公”经费、会议费、培训费支出预算表一般公共预算)", 1);
    snap_is(c, rx, "一般公共预算基本支出预算表<经济科目)", "一般公共预算基本支出预算表<经济科目)", 0);
    /* label and year kept as read */
    snap_is(c, rx, "表三 2019年文出预算总表", "表三 2019年支出预算总表", 1);
    snap_is(c, rx, "预算03表 文出预算总表", "预算03表 支出预算总表", 1);
    /* a speck read before the year: the year is still the lead */
    snap_is(c, rx, ".2025年项目支出预算表(上年结转)", ".2025年项目支出预算表(上年结转)", 0);
    snap_is(c, rx, ".2025年项目文出预算表", ".2025年项目支出预算表", 1);
    /* an ideograph lost at the start: the title still ends in 表 */
    snap_is(c, rx, "般公共预算支出预算表", "一般公共预算支出预算表", 1);
    /* quotes are not compared: the form's are printed */
    snap_is(c, rx, "\"三公\"经费、会议费、培训费文出预算表", "“三公”经费、会议费、培训费支出预算表", 1);
    /* a title read right is its form (distance 0, text as read) */
    snap_is(c, rx, "收入预算总表", "收入预算总表", 0);
    /* equally near two kinds (收支预算总表, 收入预算总表): not told */
    snap_is(c, rx, "收文预算总表", NULL, 0);
    /* 表 misread too: two of six ideographs, and it does not end as a title */
    snap_is(c, rx, "收文预算总和", NULL, 0);
    /* lines that are no title */
    snap_is(c, rx, "部门：中共江苏省委办公厅", NULL, 0);
    snap_is(c, rx, "单位：万元", NULL, 0);
    snap_is(c, rx, "一般公共预算支出", NULL, 0); /* a heading: no 表, a form's ideograph short */
    snap_is(c, rx, "收支总计", NULL, 0);         /* a total row's label */
    snap_is(c, rx, "项目支出绩效目标表", NULL, 0); /* a form's title, not a table's */
    snap_is(c, rx, "注：本部门无相关收支项目", NULL, 0);
    snap_is(c, rx, "", NULL, 0);
    bpn_regex_cache_free(rx);
    /* every form has a kind: a form the kinds do not know would snap a
     * title to "other" */
    rx = bpn_regex_cache_new();
    const char *const *forms = bpn_vocab_title_forms();
    int unknown = 0;
    for (int i = 0; forms[i]; i++)
        if (strcmp(bpn_vocab_kind(rx, forms[i]), "other") == 0) {
            fprintf(stderr, "form without a kind: %s\n", forms[i]);
            unknown++;
        }
    CHECK(c, unknown == 0);
    bpn_regex_cache_free(rx);
}

static const char *const CELLS[] = {"合计", "基本支出", "项目支出", "100.00", "60.00", "40.00"};

/* A document whose page 1 was read by OCR (ocr) or not. */
static bpn_document *doc_new(gboolean ocr)
{
    bpn_document *d = bpn_document_new();
    int one = 1;
    if (ocr)
        g_array_append_val(d->source.ocr_pages, one);
    return d;
}

static void test_fix(check_counts *c)
{
    /* the line above the grid of an OCR page is snapped; the prose line
     * under the grid and the meta line are not */
    bpn_document *doc = doc_new(TRUE);
    GPtrArray *blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 40, "文出预算总表，");
    tb_line(blocks, 1, 50, 70, "部门：某某局");
    tb_grid(blocks, 1, 100, 2, 3, CELLS);
    tb_line(blocks, 1, 50, 200, "收支总计");
    bpn_ocr_titles_fix(doc, blocks);
    CHECK_STR(c, ((bpn_block *)blocks->pdata[0])->line->text, "支出预算总表");
    CHECK_STR(c, ((bpn_block *)blocks->pdata[1])->line->text, "部门：某某局");
    CHECK_STR(c, ((bpn_block *)blocks->pdata[3])->line->text, "收支总计");
    CHECK(c, doc->repairs->len == 1);
    if (doc->repairs->len == 1) {
        const bpn_repair *r = doc->repairs->pdata[0];
        CHECK_STR(c, r->kind, "ocr_title");
        CHECK_STR(c, r->from, "文出预算总表，");
        CHECK_STR(c, r->to, "支出预算总表");
        CHECK(c, r->page == 1);
    }
    /* the tables then know the table's kind */
    bpn_tables_build(doc, blocks);
    CHECK(c, doc->tables->len == 1);
    if (doc->tables->len == 1)
        CHECK(c, bpn_table_is(doc->rx, doc->tables->pdata[0], "expenditure"));
    g_ptr_array_unref(blocks);
    bpn_document_free(doc);

    /* a text page keeps its lines as printed */
    doc = doc_new(FALSE);
    blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 40, "文出预算总表");
    tb_grid(blocks, 1, 100, 2, 3, CELLS);
    bpn_ocr_titles_fix(doc, blocks);
    CHECK_STR(c, ((bpn_block *)blocks->pdata[0])->line->text, "文出预算总表");
    CHECK(c, doc->repairs->len == 0);
    g_ptr_array_unref(blocks);
    bpn_document_free(doc);

    /* the engine's second reading of the line settles what its first
     * leaves equally near two forms */
    doc = doc_new(TRUE);
    blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 40, "收文预算总和，");
    bpn_line *l = ((bpn_block *)blocks->pdata[0])->line;
    l->ocr_alternatives = g_new0(char *, 2);
    l->ocr_alternatives[0] = g_strdup("收支预算总表,");
    tb_grid(blocks, 1, 100, 2, 3, CELLS);
    bpn_ocr_titles_fix(doc, blocks);
    CHECK_STR(c, l->text, "收支预算总表");
    CHECK(c, doc->repairs->len == 1);
    if (doc->repairs->len == 1)
        CHECK_STR(c, ((bpn_repair *)doc->repairs->pdata[0])->from, "收文预算总和，");
    g_ptr_array_unref(blocks);
    bpn_document_free(doc);

    /* two readings near forms of two kinds: kept as read, a warning */
    doc = doc_new(TRUE);
    blocks = g_ptr_array_new_with_free_func(tb_block_free);
    tb_line(blocks, 1, 200, 40, "财政拨款政“一基金支出预算表");
    l = ((bpn_block *)blocks->pdata[0])->line;
    l->ocr_alternatives = g_new0(char *, 2);
    l->ocr_alternatives[0] = g_strdup("财政拨款基金支出预算表");
    tb_grid(blocks, 1, 100, 2, 3, CELLS);
    bpn_ocr_titles_fix(doc, blocks);
    CHECK_STR(c, l->text, "财政拨款政“一基金支出预算表");
    CHECK(c, doc->repairs->len == 0);
    CHECK(c, doc->warnings->len == 1);
    g_ptr_array_unref(blocks);
    bpn_document_free(doc);
}

/* The second reading goes to the line that is the first one's glyphs;
 * pieces the page-level pass cut the line into are joined. */
static void test_attach(check_counts *c)
{
    bpx_ocr_reading r = {{190, 35, 300, 55}, (char *)"文出 预算总表", NULL};
    char *alts[] = {(char *)"支出预算总表", NULL};
    r.alternatives = alts;
    bpx_page page = {0};
    page.number = 1;
    page.ocr = TRUE;
    page.ocr_lines = &r;
    page.n_ocr_lines = 1;
    GPtrArray *lines = g_ptr_array_new_with_free_func(bpn_line_free);
    GPtrArray *blocks = g_ptr_array_new_with_free_func(g_free);
    tb_line(blocks, 1, 200, 40, "文出预算总表");   /* the line read */
    tb_line(blocks, 1, 200, 400, "文出预算总表");  /* the same text elsewhere */
    tb_line(blocks, 1, 600, 40, "单位：万元");      /* another text on its row */
    for (guint i = 0; i < blocks->len; i++)
        g_ptr_array_add(lines, ((bpn_block *)blocks->pdata[i])->line);
    bpn_ocr_lines_attach(&page, lines);
    CHECK(c, lines->len == 3);
    bpn_line *l0 = lines->pdata[0], *l1 = lines->pdata[1], *l2 = lines->pdata[2];
    CHECK(c, l0->ocr_alternatives && g_strv_length(l0->ocr_alternatives) == 1);
    if (l0->ocr_alternatives)
        CHECK_STR(c, l0->ocr_alternatives[0], "支出预算总表");
    CHECK(c, l1->ocr_alternatives == NULL);
    CHECK(c, l2->ocr_alternatives == NULL);
    /* a text page has none */
    page.ocr = FALSE;
    g_clear_pointer(&l0->ocr_alternatives, g_strfreev);
    bpn_ocr_lines_attach(&page, lines);
    CHECK(c, l0->ocr_alternatives == NULL);
    g_ptr_array_unref(lines);
    g_ptr_array_set_size(blocks, 0);

    /* a title the pass read in two pieces, a gap between */
    bpx_ocr_reading cut = {{40, 30, 500, 60}, (char *)"“三公”经费、会议费、培训费支", NULL};
    char *whole[] = {(char *)"“三公”经费、会议费、培训费支出预算表", NULL};
    cut.alternatives = whole;
    page.ocr = TRUE;
    page.ocr_lines = &cut;
    lines = g_ptr_array_new_with_free_func(bpn_line_free);
    tb_line(blocks, 1, 220, 41, "费、培训费支");
    tb_line(blocks, 1, 50, 38, "“三公”经费、会议");
    for (guint i = 0; i < blocks->len; i++)
        g_ptr_array_add(lines, ((bpn_block *)blocks->pdata[i])->line);
    bpn_ocr_lines_attach(&page, lines);
    CHECK(c, lines->len == 1);
    l0 = lines->pdata[0];
    CHECK_STR(c, l0->text, "“三公”经费、会议费、培训费支");
    CHECK(c, l0->x0 == 50 && l0->y0 == 38);
    CHECK(c, l0->ocr_alternatives && strcmp(l0->ocr_alternatives[0], whole[0]) == 0);
    g_ptr_array_unref(lines);
    g_ptr_array_set_size(blocks, 0);

    /* glyphs the noise filter dropped (政 败 “一) leave a line that is
     * still that reading; a line of other glyphs there is not */
    bpx_ocr_reading specks = {{40, 30, 500, 60}, (char *)"财政拨款政败“一基金支出预算表", NULL};
    char *again[] = {(char *)"财政拨款政信“:芷金支出预算表", NULL};
    specks.alternatives = again;
    page.ocr_lines = &specks;
    lines = g_ptr_array_new_with_free_func(bpn_line_free);
    tb_line(blocks, 1, 50, 38, "财政拨款基金支出预算表");
    tb_line(blocks, 1, 50, 138, "支出预算表财政拨款"); /* below the box */
    for (guint i = 0; i < blocks->len; i++)
        g_ptr_array_add(lines, ((bpn_block *)blocks->pdata[i])->line);
    bpn_ocr_lines_attach(&page, lines);
    l0 = lines->pdata[0];
    CHECK(c, l0->ocr_alternatives && strcmp(l0->ocr_alternatives[0], again[0]) == 0);
    CHECK(c, ((bpn_line *)lines->pdata[1])->ocr_alternatives == NULL);
    g_ptr_array_unref(lines);
    g_ptr_array_set_size(blocks, 0);
    lines = g_ptr_array_new_with_free_func(bpn_line_free);
    tb_line(blocks, 1, 50, 38, "支出预算表财政拨款"); /* not in the reading's order */
    for (guint i = 0; i < blocks->len; i++)
        g_ptr_array_add(lines, ((bpn_block *)blocks->pdata[i])->line);
    bpn_ocr_lines_attach(&page, lines);
    CHECK(c, ((bpn_line *)lines->pdata[0])->ocr_alternatives == NULL);
    g_ptr_array_unref(lines);
    g_ptr_array_unref(blocks);
}

int main(void)
{
    check_counts c = {0, 0};
    test_snap(&c);
    test_fix(&c);
    test_attach(&c);
    return check_summary("test_titles", &c);
}
