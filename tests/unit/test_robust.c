/* test_robust.c — regression tests for what bad inputs and fuzzing found
 * (issue 6): PDFs without a readable page, pages poppler cannot load, and
 * the normalize-stage bugs found by fuzz/fuzz_normalize.c.  Leaks show under
 * make test-asan. */
#include "emit/emit.h"
#include "extract/extract.h"
#include "normalize/internal.h"
#include "check.h"
#include "synth.h"

/* A PDF with a correct xref from its objects (numbered from 1). */
static GBytes *pdf_of(const char *const *objs, int n)
{
    GString *s = g_string_new("%PDF-1.4\n");
    gsize *offs = g_new(gsize, n);
    for (int i = 0; i < n; i++) {
        offs[i] = s->len;
        g_string_append_printf(s, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    gsize xref = s->len;
    g_string_append_printf(s, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        g_string_append_printf(s, "%010" G_GSIZE_FORMAT " 00000 n \n", offs[i]);
    g_string_append_printf(s, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                           n + 1, xref);
    g_free(offs);
    return g_string_free_to_bytes(s);
}

static bpx_document *load(GBytes *pdf, GError **err)
{
    gsize len;
    const void *data = g_bytes_get_data(pdf, &len);
    bpx_document *doc = bpx_document_load_data(data, len, "t.pdf", NULL, err);
    g_bytes_unref(pdf);
    return doc;
}

static gboolean has_warning(const bpn_document *doc, int page, const char *part)
{
    for (guint i = 0; i < doc->warnings->len; i++) {
        const bpn_warning *w = doc->warnings->pdata[i];
        if (w->page == page && strstr(w->message, part))
            return TRUE;
    }
    return FALSE;
}

/* An empty page tree, and a /Count beyond the file's objects: poppler says 0
 * pages; that was converted into an empty document, and is now refused. */
static void test_no_pages(check_counts *c)
{
    static const char *const empty[] = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"};
    GError *err = NULL;
    CHECK(c, load(pdf_of(empty, 2), &err) == NULL);
    CHECK(c, err && err->domain == BPX_ERROR && err->code == BPX_ERROR_NO_PAGES);
    g_clear_error(&err);

    static const char *const lie[] = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1000 >>",
                                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
    CHECK(c, load(pdf_of(lie, 3), &err) == NULL);
    CHECK(c, err && err->code == BPX_ERROR_NO_PAGES);
    g_clear_error(&err);
}

/* A page tree that loops: poppler counts pages it cannot load. */
static void test_page_tree_loop(check_counts *c)
{
    static const char *const loop[] = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
                                       "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>"};
    GError *err = NULL;
    CHECK(c, load(pdf_of(loop, 3), &err) == NULL);
    CHECK(c, err && err->code == BPX_ERROR_NO_PAGES);
    CHECK(c, err && strstr(err->message, "page tree"));
    g_clear_error(&err);
}

/* /Count one above the real pages: the missing page is flagged, and
 * normalize warns that it could not be read (not "no text layer"). */
static void test_missing_page(check_counts *c)
{
    static const char *const objs[] = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
                                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
    GError *err = NULL;
    bpx_document *src = load(pdf_of(objs, 3), &err);
    CHECK(c, src != NULL && err == NULL);
    g_clear_error(&err);
    if (!src)
        return;
    CHECK(c, src->n_pages == 2);
    CHECK(c, src->n_pages == 2 && !src->pages[0].unreadable && src->pages[1].unreadable);
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc && has_warning(doc, 1, "no text layer"));
    CHECK(c, doc && has_warning(doc, 2, "could not be read"));
    CHECK(c, doc && !has_warning(doc, 2, "no text layer"));
    bpn_document_free(doc);
    bpx_document_free(src);
}

/* fuzz_normalize: a code column whose first data row has no code (a 合计
 * row) left a hole in the per-row codes, and g_strfreev() stopped there:
 * every code below leaked (LeakSanitizer under make test-asan). */
static void test_codes_with_holes(check_counts *c)
{
    bpx_document *src = synth_document(1);
    synth_text(src, 1, 60, 60, 12, "表三");
    synth_text(src, 1, 200, 80, 16, "一般公共预算支出表");
    synth_text(src, 1, 480, 112, 10, "单位：万元");
    const double xs[] = {60, 160, 400, 540};
    const double ys[] = {130, 150, 170, 190, 210, 230};
    synth_grid(src, 1, xs, 4, ys, 6);
    synth_text(src, 1, 64, 134, 10, "科目编码");
    synth_text(src, 1, 164, 134, 10, "科目名称");
    synth_text(src, 1, 404, 134, 10, "合计");
    synth_text(src, 1, 164, 154, 10, "合计");
    synth_cell_right(src, 1, 540, 150, 170, 10, "30.00");
    synth_text(src, 1, 64, 174, 10, "201");
    synth_text(src, 1, 164, 174, 10, "一般公共服务支出");
    synth_cell_right(src, 1, 540, 170, 190, 10, "30.00");
    synth_text(src, 1, 64, 194, 10, "20101");
    synth_text(src, 1, 164, 194, 10, "人大事务");
    synth_cell_right(src, 1, 540, 190, 210, 10, "10.00");
    synth_text(src, 1, 64, 214, 10, "20102");
    synth_text(src, 1, 164, 214, 10, "政协事务");
    synth_cell_right(src, 1, 540, 210, 230, 10, "20.00");
    GError *err = NULL;
    bpn_document *doc = bpn_document_build(src, &err);
    CHECK(c, doc != NULL && doc->tables->len == 1);
    CHECK(c, doc && doc->checks->len > 0);
    char *json = doc ? bpe_document_json(doc, BPE_FORMAT_LINE, &err) : NULL;
    CHECK(c, json != NULL);
    g_free(json);
    bpn_document_free(doc);
    bpx_document_free(src);
}

int main(void)
{
    check_counts c = {0};
    test_no_pages(&c);
    test_page_tree_loop(&c);
    test_missing_page(&c);
    test_codes_with_holes(&c);
    return check_summary("test_robust", &c);
}
