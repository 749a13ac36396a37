/* chunks.c — a long PDF's pages read through small PDFs of a few pages
 * each, so that poppler's memory does not grow with the document.
 *
 * poppler's Catalog keeps every Page object it has made, up to the last
 * page asked for, for as long as the PopplerDocument is open (about 2.3 KB
 * a page: 10 MB more at 5,000 pages than at 1,000), and poppler-glib has no
 * call that lets them go.  Opening the document again does not help, as
 * reaching page N makes pages 1..N again.  So a long document's pages are
 * read from small documents that hold only them:
 *  1. bpx_chunks_new reads the file with libqpdf (qpdf_read_memory), and
 *     gives up (NULL: the caller reads the whole document with poppler, as
 *     for a short one) when qpdf cannot read it, counts other pages than
 *     poppler did (a damaged page tree, which poppler reads its own way),
 *     or its catalog has parts that change what a page shows (optional
 *     content, /OCProperties; an interactive form, /AcroForm) and that a
 *     document of some pages would not carry.
 *  2. bpx_chunks_page, for a page outside the chunk at hand, drops that
 *     chunk and makes the next (make_chunk): an empty PDF (qpdf_empty_pdf)
 *     to which the chunk's pages are added (qpdf_add_page: each page is
 *     copied with all it refers to, its inherited resources and boxes
 *     pushed down onto it first), written to memory as it is (no stream
 *     decoded or compressed again, no object streams), and opened with
 *     poppler_document_new_from_bytes.  The page's index in the chunk is
 *     its index in the file less the chunk's first.
 * Document-level facts (page count, metadata) are still read from the
 * whole file by the caller.  The source's qpdf object is made again for
 * each chunk, so that the objects it resolved for the pages before are
 * freed with it.
 * What it costs: qpdf reads the file's cross-reference table and page tree
 * once a chunk, and each page's objects are parsed and written once more
 * (bench/README.md, "Where the memory goes").  What it misses: a page whose
 * annotations point to other pages brings copies of them into its chunk
 * (more memory, not other output: poppler reads only the chunk's pages). */
#include "extract/chunks.h"

#include <cairo.h>
#include <qpdf/qpdf-c.h>
#include <string.h>

struct bpx_chunks {
    const char *data;
    size_t len;
    char *password;
    int n_pages;
    int chunk_pages;
    int first, end;          /* the chunk at hand: pages [first, end) of the file */
    GBytes *bytes;           /* its PDF, written to memory */
    PopplerDocument *pdoc;   /* the chunk opened by poppler */
};

/* qpdf reading the file, errors kept to be asked for (never printed). */
static qpdf_data open_source(const bpx_chunks *c)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_read_memory(q, "pdf", c->data, (unsigned long long)c->len, c->password) & QPDF_ERRORS) {
        qpdf_cleanup(&q);
        return NULL;
    }
    return q;
}

static gboolean root_has(qpdf_data q, const char *key)
{
    qpdf_oh root = qpdf_get_root(q);
    gboolean has = qpdf_oh_has_key(q, root, key);
    qpdf_oh_release(q, root);
    return has;
}

bpx_chunks *bpx_chunks_new(const char *data, size_t len, const char *password, int n_pages, int chunk_pages)
{
    bpx_chunks *c = g_new0(bpx_chunks, 1);
    c->data = data;
    c->len = len;
    c->password = g_strdup(password);
    c->n_pages = n_pages;
    c->chunk_pages = chunk_pages > 0 ? chunk_pages : BPX_CHUNK_PAGES_DEFAULT;
    qpdf_data q = open_source(c);
    gboolean ok = q && !root_has(q, "/OCProperties") && !root_has(q, "/AcroForm") && !qpdf_has_error(q);
    if (ok) {
        qpdf_oh root = qpdf_get_root(q);
        qpdf_oh count = qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/Pages"), "/Count");
        ok = qpdf_oh_is_integer(q, count) && qpdf_oh_get_int_value(q, count) == n_pages && !qpdf_has_error(q);
    }
    if (q)
        qpdf_cleanup(&q);
    if (!ok) {
        bpx_chunks_free(c);
        return NULL;
    }
    return c;
}

/* cairo keeps the last 256 scaled fonts nobody uses (its "holdovers"),
 * and with each its font face, which holds the font file poppler read for
 * it: the fonts of the chunks before, up to 256 of them (40 MB on fixture
 * 001's subset fonts).  Making and dropping 256 scaled fonts of an empty
 * user font pushes them out. */
static void flush_cairo_fonts(void)
{
    cairo_font_face_t *face = cairo_user_font_face_create();
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_matrix_t ctm;
    cairo_matrix_init_identity(&ctm);
    for (int i = 0; i < 256; i++) {
        cairo_matrix_t size;
        cairo_matrix_init_scale(&size, 1 + i, 1 + i);
        cairo_scaled_font_destroy(cairo_scaled_font_create(face, &size, &ctm, options));
    }
    cairo_font_options_destroy(options);
    cairo_font_face_destroy(face);
}

static void drop_chunk(bpx_chunks *c)
{
    if (c->pdoc) {
        g_clear_object(&c->pdoc);
        flush_cairo_fonts();
    }
    g_clear_pointer(&c->bytes, g_bytes_unref);
    c->first = c->end = 0;
}

static void set_qpdf_error(qpdf_data q, GError **error, const char *what)
{
    qpdf_error e = q && qpdf_has_error(q) ? qpdf_get_error(q) : NULL;
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
                e ? qpdf_get_error_full_text(q, e) : "qpdf failed");
}

/* The attributes a page inherits from the nodes above it. */
static const char *const INHERITED[] = {"/Resources", "/MediaBox", "/CropBox", "/Rotate"};
#define N_INHERITED G_N_ELEMENTS(INHERITED)

typedef struct {
    qpdf_data q;
    int first, end;  /* the pages wanted */
    int at;          /* index of the next page in the walk */
    qpdf_oh node;    /* the chunk's /Pages node */
    qpdf_oh kids;    /* its /Kids */
    GArray *nodes;   /* qpdf_oh: the tree's nodes walked through, dropped at the end */
    int depth;
} chunk_walk;

/* Walks the page tree node under (its inherited attributes in), taking
 * pages [first, end) into the chunk's node: each given its inherited
 * attributes and the chunk's node as parent.  Kids before the chunk are
 * counted without being read where the node's /Count says each is a page.
 * FALSE when the tree is not what it claims. */
static gboolean walk_pages(chunk_walk *w, qpdf_oh node, const qpdf_oh *inherited)
{
    qpdf_data q = w->q;
    if (++w->depth > 64 || !qpdf_oh_is_dictionary(q, node))
        return FALSE;
    qpdf_oh here[N_INHERITED];
    for (size_t k = 0; k < N_INHERITED; k++)
        here[k] = qpdf_oh_has_key(q, node, INHERITED[k]) ? qpdf_oh_get_key(q, node, INHERITED[k]) : inherited[k];
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, node, "/Type"), "/Page") || !qpdf_oh_has_key(q, node, "/Kids")) {
        if (w->at >= w->first && w->at < w->end) {
            for (size_t k = 0; k < N_INHERITED; k++)
                if (here[k] && !qpdf_oh_has_key(q, node, INHERITED[k]))
                    qpdf_oh_replace_key(q, node, INHERITED[k], here[k]);
            qpdf_oh_replace_key(q, node, "/Parent", w->node);
            qpdf_oh_append_item(q, w->kids, node);
        }
        w->at++;
        w->depth--;
        return TRUE;
    }
    g_array_append_val(w->nodes, node);
    qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
    int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
    qpdf_oh count = qpdf_oh_get_key(q, node, "/Count");
    gboolean leaves = qpdf_oh_is_integer(q, count) && qpdf_oh_get_int_value(q, count) == n;
    for (int i = 0; i < n && w->at < w->end; i++) {
        if (leaves && w->at < w->first) { /* a page before the chunk: not read */
            w->at++;
            continue;
        }
        qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
        if (leaves && !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, kid, "/Type"), "/Page"))
            return FALSE;
        if (!walk_pages(w, kid, here))
            return FALSE;
    }
    w->depth--;
    return TRUE;
}

/* Pages [first, end) of the file as a PDF of their own, opened by poppler:
 * the file read again by qpdf, its catalog replaced by one whose page tree
 * holds those pages only, and written out (qpdf writes what the catalog
 * reaches: the pages and what they use). */
static gboolean make_chunk(bpx_chunks *c, int first, int end, GError **error)
{
    drop_chunk(c);
    qpdf_data q = open_source(c);
    if (!q) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "qpdf cannot read the file again");
        return FALSE;
    }
    /* the chunk's node takes the place of the tree's root node (and the
     * new catalog the old one's): qpdf numbers a new object only after
     * reading every object of the file (qpdf_make_indirect_object: 30 MB
     * for 5,000 pages) */
    chunk_walk w = {.q = q, .first = first, .end = end, .nodes = g_array_new(FALSE, FALSE, sizeof(qpdf_oh))};
    qpdf_oh root = qpdf_get_root(q);
    w.node = qpdf_oh_get_key(q, root, "/Pages");
    w.kids = qpdf_oh_new_array(q);
    qpdf_oh none[N_INHERITED] = {0};
    gboolean ok = qpdf_oh_is_indirect(q, root) && qpdf_oh_is_indirect(q, w.node) && walk_pages(&w, w.node, none) &&
                  w.at == end && !qpdf_has_error(q);
    if (ok) {
        /* the old tree's nodes made nothing, so that a page's reference to
         * a page of another chunk (a link) does not bring the whole tree */
        for (guint i = 0; i < w.nodes->len; i++) {
            qpdf_oh old = g_array_index(w.nodes, qpdf_oh, i);
            if (qpdf_oh_is_indirect(q, old) && qpdf_oh_get_object_id(q, old) != qpdf_oh_get_object_id(q, w.node))
                qpdf_replace_object(q, qpdf_oh_get_object_id(q, old), qpdf_oh_get_generation(q, old),
                                    qpdf_oh_new_null(q));
        }
        qpdf_oh node = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, node, "/Type", qpdf_oh_new_name(q, "/Pages"));
        qpdf_oh_replace_key(q, node, "/Kids", w.kids);
        qpdf_oh_replace_key(q, node, "/Count", qpdf_oh_new_integer(q, end - first));
        qpdf_replace_object(q, qpdf_oh_get_object_id(q, w.node), qpdf_oh_get_generation(q, w.node), node);
        qpdf_oh catalog = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, catalog, "/Type", qpdf_oh_new_name(q, "/Catalog"));
        qpdf_oh_replace_key(q, catalog, "/Pages", w.node);
        qpdf_replace_object(q, qpdf_oh_get_object_id(q, root), qpdf_oh_get_generation(q, root), catalog);
        ok = !qpdf_has_error(q);
        ok = ok && !(qpdf_init_write_memory(q) & QPDF_ERRORS);
        qpdf_set_preserve_encryption(q, QPDF_FALSE);
        qpdf_set_decode_level(q, qpdf_dl_none);
        qpdf_set_compress_streams(q, QPDF_FALSE);
        qpdf_set_object_stream_mode(q, qpdf_o_disable);
        ok = ok && !(qpdf_write(q) & QPDF_ERRORS);
    }
    g_array_unref(w.nodes);
    if (!ok) {
        set_qpdf_error(q, error, "a chunk of pages cannot be made");
        qpdf_cleanup(&q);
        return FALSE;
    }
    /* the bytes copied out, so that qpdf's objects go now */
    c->bytes = g_bytes_new(qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    qpdf_cleanup(&q);
    c->pdoc = poppler_document_new_from_bytes(c->bytes, NULL, error);
    if (!c->pdoc || poppler_document_get_n_pages(c->pdoc) != end - first) {
        if (c->pdoc)
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "a chunk of pages has lost pages");
        drop_chunk(c);
        return FALSE;
    }
    c->first = first;
    c->end = end;
    return TRUE;
}

PopplerPage *bpx_chunks_page(bpx_chunks *c, int index, GError **error)
{
    if (index < 0 || index >= c->n_pages) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no page %d", index + 1);
        return NULL;
    }
    if (!c->pdoc || index < c->first || index >= c->end) {
        int first = index - index % c->chunk_pages;
        if (!make_chunk(c, first, MIN(first + c->chunk_pages, c->n_pages), error))
            return NULL;
    }
    return poppler_document_get_page(c->pdoc, index - c->first);
}

void bpx_chunks_free(bpx_chunks *c)
{
    if (!c)
        return;
    drop_chunk(c);
    g_free(c->password);
    g_free(c);
}
