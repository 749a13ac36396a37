/* test_pagetree.c — a long document read in chunks (extract/pagetree.c): the
 * page tree read without poppler, and the update that makes the file a
 * document of some of its pages.  The PDFs are written here by hand: a page
 * tree of nested nodes whose attributes the pages inherit, with a classic
 * cross-reference table, with an object stream and a cross-reference stream
 * (Flate, PNG predictor), and with an incremental update. */
#include "extract/extract.h"
#include "extract/pagetree.h"
#include "check.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#define N_OBJECTS 19 /* 0 .. 18 */

/* The objects 1 .. 11 (no streams): catalog, nodes, pages, font, resources.
 * Inherited: the root gives MediaBox, Resources and Rotate; node A its own
 * MediaBox; node B a CropBox; page 2 its own Rotate, page 5 its own
 * Resources and MediaBox.  The catalog's /Lang holds a NUL byte. */
static const char catalog[] = "<< /Type /Catalog /Pages 2 0 R /Lang (z\0h) /PageMode /UseNone >>";
static const char *const dict_objects[12] = {
    NULL,
    catalog,
    "<< /Type /Pages /Kids [3 0 R 6 0 R 7 0 R] /Count 5 /MediaBox [0 0 300 400] /Resources 11 0 R /Rotate 90 >>",
    "<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2 /MediaBox [0 0 500 600] >>",
    "<< /Type /Page /Parent 3 0 R /Contents 12 0 R >>",
    "<< /Type /Page /Parent 3 0 R /Contents 13 0 R /Rotate 0 >>",
    "<< /Type /Page /Parent 2 0 R /Contents 14 0 R >>",
    "<< /Type /Pages /Parent 2 0 R /Kids [8 0 R 9 0 R] /Count 2 /CropBox [0 0 200 250] >>",
    "<< /Type /Page /Parent 7 0 R /Contents 15 0 R >>",
    "<< /Type /Page /Parent 7 0 R /Contents 16 0 R /Resources << /Font << /F1 10 0 R >> >> /MediaBox [0 0 350 450] >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    "<< /Font << /F1 10 0 R >> >>",
};

static gssize object_len(int i)
{
    return i == 1 ? (gssize)sizeof catalog - 1 : (gssize)strlen(dict_objects[i]);
}

typedef struct {
    GString *s;
    gint64 at[N_OBJECTS + 4];
} pdf_writer;

static void put_object(pdf_writer *w, int num, const char *body, gssize len)
{
    w->at[num] = (gint64)w->s->len;
    g_string_append_printf(w->s, "%d 0 obj\n", num);
    g_string_append_len(w->s, body, len);
    g_string_append(w->s, "\nendobj\n");
}

static void put_stream(pdf_writer *w, int num, const char *dict_entries, const void *data, gsize len)
{
    w->at[num] = (gint64)w->s->len;
    g_string_append_printf(w->s, "%d 0 obj\n<< %s /Length %" G_GSIZE_FORMAT " >>\nstream\n", num, dict_entries, len);
    g_string_append_len(w->s, data, (gssize)len);
    g_string_append(w->s, "\nendstream\nendobj\n");
}

static void put_contents(pdf_writer *w)
{
    for (int p = 1; p <= 5; p++) {
        char text[64];
        g_snprintf(text, sizeof text, "BT /F1 12 Tf 20 30 Td (Page %d of the tree) Tj ET", p);
        put_stream(w, 11 + p, "", text, strlen(text));
    }
}

static GBytes *deflate_bytes(const void *data, gsize len)
{
    GConverter *z = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1));
    GByteArray *out = g_byte_array_new();
    guint8 buf[4096];
    gsize done = 0;
    for (;;) {
        gsize nread = 0, nwritten = 0;
        GConverterResult r = g_converter_convert(z, (const guint8 *)data + done, len - done, buf, sizeof buf,
                                                 G_CONVERTER_INPUT_AT_END, &nread, &nwritten, NULL);
        done += nread;
        g_byte_array_append(out, buf, (guint)nwritten);
        if (r == G_CONVERTER_FINISHED || r == G_CONVERTER_ERROR)
            break;
    }
    g_object_unref(z);
    return g_byte_array_free_to_bytes(out);
}

/* Classic: every object at its offset, a cross-reference table. */
static GString *classic_pdf(void)
{
    pdf_writer w = {g_string_new("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), {0}};
    for (int i = 1; i <= 11; i++)
        put_object(&w, i, dict_objects[i], object_len(i));
    put_contents(&w);
    gint64 xref = (gint64)w.s->len;
    g_string_append_printf(w.s, "xref\n0 17\n0000000000 65535 f \n");
    for (int i = 1; i <= 16; i++)
        g_string_append_printf(w.s, "%010" G_GINT64_FORMAT " 00000 n \n", w.at[i]);
    g_string_append_printf(w.s, "trailer\n<< /Size 17 /Root 1 0 R >>\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", xref);
    return w.s;
}

/* Objects 1 .. 11 in an object stream (17), a cross-reference stream (18)
 * with the PNG "Up" predictor. */
static GString *compressed_pdf(void)
{
    pdf_writer w = {g_string_new("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"), {0}};
    put_contents(&w);
    GString *head = g_string_new(NULL), *body = g_string_new(NULL);
    for (int i = 1; i <= 11; i++) {
        g_string_append_printf(head, "%d %" G_GSIZE_FORMAT " ", i, body->len);
        g_string_append_len(body, dict_objects[i], object_len(i));
        g_string_append_c(body, '\n');
    }
    gsize first = head->len;
    g_string_append_len(head, body->str, (gssize)body->len);
    GBytes *packed = deflate_bytes(head->str, head->len);
    char dict[96];
    g_snprintf(dict, sizeof dict, "/Type /ObjStm /N 11 /First %" G_GSIZE_FORMAT " /Filter /FlateDecode", first);
    put_stream(&w, 17, dict, g_bytes_get_data(packed, NULL), g_bytes_get_size(packed));
    g_bytes_unref(packed);
    g_string_free(head, TRUE);
    g_string_free(body, TRUE);
    w.at[18] = (gint64)w.s->len;
    /* rows of 7 bytes (type 1, field 4, field 2), each after a filter byte 2 */
    guint8 rows[N_OBJECTS][8], prev[7] = {0};
    for (int i = 0; i < N_OBJECTS; i++) {
        guint8 row[7] = {0};
        guint64 f2 = 0, f3 = 0;
        row[0] = i == 0 ? 0 : i <= 11 ? 2 : 1;
        if (i == 0)
            f3 = 65535 & 0xffff;
        else if (i <= 11) {
            f2 = 17;
            f3 = (guint64)(i - 1);
        } else
            f2 = (guint64)w.at[i];
        for (int b = 0; b < 4; b++)
            row[1 + b] = (guint8)(f2 >> (8 * (3 - b)));
        row[5] = (guint8)(f3 >> 8);
        row[6] = (guint8)f3;
        rows[i][0] = 2;
        for (int b = 0; b < 7; b++)
            rows[i][1 + b] = (guint8)(row[b] - prev[b]);
        memcpy(prev, row, sizeof prev);
    }
    GBytes *xs = deflate_bytes(rows, sizeof rows);
    w.s = g_string_truncate(w.s, (gsize)w.at[18]);
    w.at[18] = (gint64)w.s->len;
    g_string_append_printf(w.s,
                           "18 0 obj\n<< /Type /XRef /Size 19 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
                           "/DecodeParms << /Predictor 12 /Columns 7 >> /Length %" G_GSIZE_FORMAT " >>\nstream\n",
                           g_bytes_get_size(xs));
    g_string_append_len(w.s, g_bytes_get_data(xs, NULL), (gssize)g_bytes_get_size(xs));
    g_string_append_printf(w.s, "\nendstream\nendobj\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", w.at[18]);
    g_bytes_unref(xs);
    return w.s;
}

/* The first (or last) needle in s; the files hold a NUL byte, which stops
 * strstr. */
static char *find(GString *s, const char *needle, gboolean last)
{
    size_t n = strlen(needle);
    char *found = NULL;
    for (size_t i = 0; i + n <= s->len; i++)
        if (memcmp(s->str + i, needle, n) == 0) {
            found = s->str + i;
            if (!last)
                break;
        }
    return found;
}

/* The classic file with an update that gives page 3 a MediaBox of its own
 * and takes page 5 out of node B (and so out of the document): the newer
 * objects are the ones read. */
static GString *updated_pdf(void)
{
    GString *s = classic_pdf();
    const char *sx = find(s, "startxref", TRUE);
    gint64 prev = g_ascii_strtoll(sx + 9, NULL, 10);
    gint64 at = (gint64)s->len;
    g_string_append(s, "6 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 14 0 R /MediaBox [0 0 120 140] >>\nendobj\n");
    gint64 at7 = (gint64)s->len;
    g_string_append(s, "7 0 obj\n<< /Type /Pages /Parent 2 0 R /Kids [8 0 R] /Count 1 /CropBox [0 0 200 250] >>\nendobj\n");
    gint64 at2 = (gint64)s->len;
    g_string_append_printf(s, "2 0 obj\n%s\nendobj\n", "<< /Type /Pages /Kids [3 0 R 6 0 R 7 0 R] /Count 4 "
                           "/MediaBox [0 0 300 400] /Resources 11 0 R /Rotate 90 >>");
    gint64 xref = (gint64)s->len;
    g_string_append_printf(s,
                           "xref\n2 1\n%010" G_GINT64_FORMAT " 00000 n \n6 2\n%010" G_GINT64_FORMAT
                           " 00000 n \n%010" G_GINT64_FORMAT " 00000 n \ntrailer\n<< /Size 17 /Root 1 0 R /Prev %" G_GINT64_FORMAT
                           " >>\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n",
                           at2, at, at7, prev, xref);
    return s;
}

static PopplerDocument *open_bytes(const char *data, gsize len, GBytes *update)
{
    GInputStream *in = g_memory_input_stream_new();
    g_memory_input_stream_add_data(G_MEMORY_INPUT_STREAM(in), data, (gssize)len, NULL);
    if (update)
        g_memory_input_stream_add_bytes(G_MEMORY_INPUT_STREAM(in), update);
    PopplerDocument *d = poppler_document_new_from_stream(
        in, (goffset)(len + (update ? g_bytes_get_size(update) : 0)), NULL, NULL, NULL);
    g_object_unref(in);
    return d;
}

/* Page i of whole and page j of part: the same size and text. */
static gboolean same_page(PopplerDocument *whole, int i, PopplerDocument *part, int j)
{
    PopplerPage *a = poppler_document_get_page(whole, i), *b = poppler_document_get_page(part, j);
    gboolean same = FALSE;
    if (a && b) {
        double aw, ah, bw, bh;
        poppler_page_get_size(a, &aw, &ah);
        poppler_page_get_size(b, &bw, &bh);
        char *at = poppler_page_get_text(a), *bt = poppler_page_get_text(b);
        same = aw == bw && ah == bh && poppler_page_get_index(b) == j && at && bt && strcmp(at, bt) == 0 &&
               strstr(at, "Page") != NULL;
        g_free(at);
        g_free(bt);
    }
    if (a)
        g_object_unref(a);
    if (b)
        g_object_unref(b);
    return same;
}

/* Every chunk of every length reads as the same pages of the whole. */
static void test_chunks(check_counts *c, const char *what, GString *pdf, int n_pages)
{
    PopplerDocument *whole = open_bytes(pdf->str, pdf->len, NULL);
    bpx_page_tree *t = bpx_page_tree_read(pdf->str, pdf->len);
    CHECK(c, whole && poppler_document_get_n_pages(whole) == n_pages);
    CHECK(c, t && bpx_page_tree_count(t) == n_pages);
    if (!whole || !t) {
        fprintf(stderr, "  (%s)\n", what);
        goto out;
    }
    /* the attributes matter: the pages' sizes are not all one */
    double w0, h0, w3, h3;
    PopplerPage *p0 = poppler_document_get_page(whole, 0), *p3 = poppler_document_get_page(whole, 3);
    poppler_page_get_size(p0, &w0, &h0);
    poppler_page_get_size(p3, &w3, &h3);
    CHECK(c, w0 != w3 || h0 != h3);
    g_object_unref(p0);
    g_object_unref(p3);
    int bad = 0;
    for (int n = 1; n <= n_pages; n++)
        for (int first = 0; first + n <= n_pages; first++) {
            GBytes *update = bpx_page_tree_chunk(t, first, n);
            PopplerDocument *part = open_bytes(pdf->str, pdf->len, update);
            gboolean ok = part && poppler_document_get_n_pages(part) == n;
            for (int j = 0; ok && j < n; j++)
                ok = same_page(whole, first + j, part, j);
            if (!ok) {
                bad++;
                fprintf(stderr, "  %s: pages %d..%d differ\n", what, first + 1, first + n);
            }
            if (part)
                g_object_unref(part);
            g_bytes_unref(update);
        }
    CHECK(c, bad == 0);
out:
    bpx_page_tree_free(t);
    if (whole)
        g_object_unref(whole);
    g_string_free(pdf, TRUE);
}

/* Each page alone, shown turned by 90 and by 270 degrees more
 * (bpx_page_tree_upright: what extract.c reads a sideways page from): one
 * page, its size the whole's turned (its own /Rotate, 0 on page 2, or the
 * inherited 90 raised), its text the same. */
static void test_upright(check_counts *c, const char *what, GString *pdf, int n_pages)
{
    PopplerDocument *whole = open_bytes(pdf->str, pdf->len, NULL);
    bpx_page_tree *t = bpx_page_tree_read(pdf->str, pdf->len);
    CHECK(c, whole && t && bpx_page_tree_count(t) == n_pages);
    int bad = 0;
    for (int i = 0; whole && t && i < n_pages; i++)
        for (int turn = 90; turn <= 270; turn += 180) {
            GBytes *update = bpx_page_tree_upright(t, i, turn);
            PopplerDocument *part = update ? open_bytes(pdf->str, pdf->len, update) : NULL;
            PopplerPage *a = poppler_document_get_page(whole, i);
            PopplerPage *b = part && poppler_document_get_n_pages(part) == 1 ? poppler_document_get_page(part, 0) : NULL;
            gboolean ok = a && b;
            if (ok) {
                double aw, ah, bw, bh;
                poppler_page_get_size(a, &aw, &ah);
                poppler_page_get_size(b, &bw, &bh);
                char *at = poppler_page_get_text(a), *bt = poppler_page_get_text(b);
                ok = aw == bh && ah == bw && aw != ah && at && bt && strstr(at, "Page") && strcmp(at, bt) == 0;
                g_free(at);
                g_free(bt);
            }
            if (!ok) {
                bad++;
                fprintf(stderr, "  %s: page %d turned %d differs\n", what, i + 1, turn);
            }
            if (a)
                g_object_unref(a);
            if (b)
                g_object_unref(b);
            if (part)
                g_object_unref(part);
            if (update)
                g_bytes_unref(update);
        }
    CHECK(c, bad == 0);
    bpx_page_tree_free(t);
    if (whole)
        g_object_unref(whole);
    g_string_free(pdf, TRUE);
}

/* Files the reader declines (the document is then read whole). */
static void test_declined(check_counts *c)
{
    GString *s = classic_pdf();
    bpx_page_tree *t = bpx_page_tree_read(s->str, s->len);
    CHECK(c, t != NULL); /* the file as written is read */
    bpx_page_tree_free(t);

    GString *enc = g_string_new_len(s->str, (gssize)s->len); /* encrypted (the trailer follows
                                                                all it locates) */
    g_string_insert(enc, find(enc, "trailer\n<< ", FALSE) - enc->str + 11, "/Encrypt 10 0 R ");
    CHECK(c, bpx_page_tree_read(enc->str, enc->len) == NULL);
    g_string_free(enc, TRUE);

    GString *loop = g_string_new_len(s->str, (gssize)s->len); /* node B lists the root */
    char *kids = find(loop, "[8 0 R 9 0 R]", FALSE);
    memcpy(kids, "[8 0 R 2 0 R]", 13);
    CHECK(c, bpx_page_tree_read(loop->str, loop->len) == NULL);
    g_string_free(loop, TRUE);

    GString *off = g_string_new_len(s->str, (gssize)s->len); /* object 7's offset off by 3 */
    char *xref = find(off, "xref\n0 17\n", TRUE);
    char *entry = xref + strlen("xref\n0 17\n") + 7 * 20;
    char num[11];
    memcpy(num, entry, 10);
    num[10] = 0;
    g_snprintf(num, sizeof num, "%010" G_GINT64_FORMAT, g_ascii_strtoll(num, NULL, 10) + 3);
    memcpy(entry, num, 10);
    CHECK(c, bpx_page_tree_read(off->str, off->len) == NULL);
    g_string_free(off, TRUE);

    GString *junk = g_string_new_len(s->str, (gssize)s->len); /* bytes before %PDF */
    g_string_prepend(junk, "junk\n");
    CHECK(c, bpx_page_tree_read(junk->str, junk->len) == NULL);
    g_string_free(junk, TRUE);

    CHECK(c, bpx_page_tree_read("%PDF-1.4\nnothing else\n", 22) == NULL);
    g_string_free(s, TRUE);
}

static gboolean same_read(const bpx_page *a, const bpx_page *b)
{
    return a->number == b->number && a->width == b->width && a->height == b->height && a->turned == b->turned &&
           a->n_chars == b->n_chars && a->n_hlines == b->n_hlines && a->n_vlines == b->n_vlines &&
           memcmp(a->chars, b->chars, a->n_chars * sizeof *a->chars) == 0;
}

/* extract reads a document in chunks of 1, 2 or 3 pages (bpx_options.
 * chunk_pages), with and without reopening between pages, exactly as
 * whole. */
static void test_extract_chunks(check_counts *c)
{
    GString *pdfs[2] = {classic_pdf(), compressed_pdf()};
    for (int k = 0; k < 2; k++) {
        char *path = g_build_filename(g_get_tmp_dir(), "budgetpdf-test-pagetree.pdf", NULL);
        g_file_set_contents(path, pdfs[k]->str, (gssize)pdfs[k]->len, NULL);
        GError *err = NULL;
        bpx_document *whole = bpx_document_load(path, NULL, &err);
        CHECK(c, whole && whole->n_pages == 5);
        g_clear_error(&err);
        for (int chunk = 1; whole && chunk <= 3; chunk++)
            for (int every = 0; every <= 1; every++) {
                bpx_options opts = {.chunk_pages = chunk, .reopen_every = every};
                bpx_document *read = bpx_document_load(path, &opts, &err);
                g_clear_error(&err);
                gboolean same = read && read->n_pages == 5;
                for (int i = 0; same && i < 5; i++)
                    same = whole->pages[i].n_chars > 10 && same_read(&whole->pages[i], &read->pages[i]);
                CHECK(c, same);
                bpx_document_free(read);
            }
        bpx_document_free(whole);
        g_unlink(path);
        g_free(path);
        g_string_free(pdfs[k], TRUE);
    }
}

int main(void)
{
    check_counts c = {0};
    test_chunks(&c, "classic", classic_pdf(), 5);
    test_chunks(&c, "object and cross-reference streams", compressed_pdf(), 5);
    test_chunks(&c, "an incremental update", updated_pdf(), 4);
    test_upright(&c, "classic", classic_pdf(), 5);
    test_upright(&c, "object and cross-reference streams", compressed_pdf(), 5);
    test_upright(&c, "an incremental update", updated_pdf(), 4);
    test_declined(&c);
    test_extract_chunks(&c);
    return check_summary("test_pagetree", &c);
}
