/* worker.c — what runs in a worker process: one document through extract →
 * normalize → emit, its JSON written (atomically) or sent back, and the result
 * record on the pipe to the parent.  Also the page counter's process. */
#include "batch/internal.h"

#include <poppler.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "emit/emit.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

/* Whether page `number` is one the options select (o->pages). */
static gboolean page_selected(int number, const bpb_options *o)
{
    if (!o->pages)
        return TRUE;
    for (guint k = 0; k < o->n_pages_ranges; k++)
        if (number >= o->pages[k].first && (o->pages[k].last == 0 || number <= o->pages[k].last))
            return TRUE;
    return FALSE;
}

/* Pages go to normalize as extract reads them (bpx_options.on_page), so a
 * worker holds one page's characters at a time.  The pages the options do
 * not select are still read by extract (it has no page selection), and
 * left out here. */
typedef struct {
    const bpb_options *o;
    bpn_builder *builder;
    int selected;
} page_feed;

static void feed_page(const bpx_document *src, const bpx_page *page, void *user)
{
    page_feed *f = user;
    if (!page_selected(page->number, f->o))
        return;
    if (!f->builder) {
        f->builder = bpn_builder_new(src);
        if (!f->o->review_dir) { /* only the review page reads them */
            bpn_builder_drop_frames(f->builder);
            bpn_builder_spill(f->builder);
        }
        bpn_builder_set_ocr_repair(f->builder, !f->o->no_ocr_repair);
    }
    bpn_builder_add_page(f->builder, page);
    f->selected++;
}

static gboolean count_failed(const bpn_check *k, void *user)
{
    *(int32_t *)user += !k->ok;
    return TRUE;
}

/* Nothing found: no table, form, headline figure or section. */
static gboolean found_nothing(const bpn_document *doc)
{
    return doc->tables->len == 0 && (!doc->targets || doc->targets->len == 0) && doc->sections->len == 0 &&
           !doc->income_total.set && !doc->expenditure_total.set && !doc->basic_expenditure.set &&
           !doc->project_expenditure.set && !doc->three_public_total.set;
}

/* Converts one PDF to its normalized document; fills pages, checks_failed,
 * year, sha256, empty and *unit.  NULL with *error when it could not. */
static bpn_document *convert(const bpb_job *job, const bpb_options *o, bpb_wire *w, char **unit, GError **error)
{
    const bpb_input *input = job->input;
    page_feed feed = {o, NULL, 0};
    bpx_lender lender = {bpb_spare_take, bpb_spare_give, (void *)&job->lend};
    bpx_options xo = {.password = o->password,
                      .lender = job->lend.spare ? &lender : NULL,
                      .max_pages = o->max_pages > 0 ? o->max_pages : G_MAXINT,
                      .ocr = (bpx_ocr_mode)o->ocr,
                      .on_page = feed_page,
                      .on_page_user = &feed};
    bpx_document *src = input->data ? bpx_document_load_data(g_bytes_get_data(input->data, NULL),
                                                             g_bytes_get_size(input->data), "-", &xo, error)
                                    : bpx_document_load(input->path, &xo, error);
    if (!src) {
        bpn_builder_free(feed.builder);
        return NULL;
    }
    int n_pages = w->pages = src->n_pages;
    for (int i = 0; i < src->n_pages; i++)
        w->ocr_pages += src->pages[i].ocr;
    w->ocr_pages_lent = src->ocr_pages_lent;
    if (!feed.selected) {
        g_set_error(error, BPB_ERROR, BPB_ERROR_USAGE, "none of the pages asked for is in its %d page%s", n_pages,
                    n_pages == 1 ? "" : "s");
        bpn_builder_free(feed.builder);
        bpx_document_free(src);
        return NULL;
    }
    /* the pages went to normalize as they were read: their records (about
     * 140 bytes a page) go before the document is finished, which reads
     * their count only */
    bpx_document counted = {.n_pages = n_pages};
    bpx_document_free(src);
    bpn_document *doc = bpn_builder_finish(feed.builder, &counted, error);
    if (!doc)
        return NULL;
    doc->source.pages = n_pages; /* the document's, whatever --pages kept */
    /* the name as text: a GBK name must not put raw bytes in the JSON */
    if (!input->data) {
        char *base = g_path_get_basename(input->path);
        g_free(doc->source.file);
        doc->source.file = bpb_name_decode(base, &doc->source.file_encoding);
        g_free(base);
    }
    const char *alias = o->unit_aliases && doc->unit_key ? g_hash_table_lookup(o->unit_aliases, doc->unit_key) : NULL;
    if (alias) {
        g_free(doc->unit_key);
        doc->unit_key = bpn_unit_key(alias);
    }
    if (!bpn_document_foreach_check(doc, count_failed, &w->checks_failed, error)) {
        bpn_document_free(doc);
        return NULL;
    }
    w->year = doc->year;
    w->empty = found_nothing(doc);
    *unit = g_strdup(doc->unit_key ? doc->unit_key : doc->unit); /* --by-unit groups by it */
    g_strlcpy(w->sha256, doc->source.sha256, sizeof w->sha256);
    return doc;
}

/* The document's JSON as a string, for the parent (STREAM) or the review;
 * writes the review when asked.  NULL with *error when either failed. */
static char *document_text(const bpb_job *job, const bpb_options *o, const bpn_document *doc, gboolean line,
                           GError **error)
{
    char *json = bpe_document_json(doc, line ? BPE_FORMAT_LINE : BPE_FORMAT_PRETTY, error);
    if (json && o->review_dir) {
        char *pretty = line ? bpe_document_json(doc, BPE_FORMAT_PRETTY, error) : NULL;
        if ((line && !pretty) || !bpb_write_review(job->input->path, job->input->name, o, doc,
                                                   pretty ? pretty : json, job->output, error)) {
            g_free(json);
            json = NULL;
        }
        g_free(pretty);
    }
    return json;
}

/* Writes doc's JSON to path as it is made (bpe_document_write into
 * bpb_atomic_open's file): a worker never holds the whole text, which is as
 * long as the document. */
static gboolean write_document(const char *path, const bpn_document *doc, gboolean line, GError **error)
{
    bpb_atomic *a = bpb_atomic_open(path, error);
    if (!a)
        return FALSE;
    GError *made = NULL;
    if (!bpe_document_write(doc, line ? BPE_FORMAT_LINE : BPE_FORMAT_PRETTY, bpb_atomic_write, a, &made) &&
        bpb_atomic_ok(a)) {
        /* not a failed write (bpb_atomic_commit says which): the text is short */
        bpb_atomic_abandon(a);
        g_propagate_error(error, made);
        return FALSE;
    }
    g_clear_error(&made);
    return bpb_atomic_commit(a, error);
}

/* resume: TRUE when the output already holds this input's content.  In UNITS,
 * a part left by an interrupted run is kept (w->sha256 names it, for the
 * merge); content already in a merged output needs nothing more. */
static gboolean already_done(const bpb_job *job, bpb_wire *w, char **unit)
{
    if (job->output && !g_file_test(job->output, G_FILE_TEST_EXISTS))
        return FALSE;
    char *sha = job->input->data ? g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, job->input->data)
                                 : bpb_file_sha256(job->input->path);
    if (!sha)
        return FALSE; /* the conversion says why */
    gboolean done = FALSE;
    if (job->output) {
        cJSON *doc = bpb_read_json(job->output);
        done = doc && bpb_json_has_source(doc, sha);
        cJSON_Delete(doc);
    } else if (job->merged_sha && g_hash_table_contains(job->merged_sha, sha)) {
        done = TRUE;
    } else if (job->parts_dir) {
        char *name = g_strconcat(sha, ".json", NULL);
        char *part = g_build_filename(job->parts_dir, name, NULL);
        cJSON *doc = bpb_read_json(part);
        if (doc && bpb_json_has_source(doc, sha)) {
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(doc, "year");
            const cJSON *u = cJSON_GetObjectItemCaseSensitive(doc, "unit_key");
            if (!cJSON_IsString(u))
                u = cJSON_GetObjectItemCaseSensitive(doc, "unit");
            w->year = cJSON_IsNumber(y) ? y->valueint : 0;
            *unit = cJSON_IsString(u) ? g_strdup(u->valuestring) : NULL;
            g_strlcpy(w->sha256, sha, sizeof w->sha256);
            done = TRUE;
        }
        cJSON_Delete(doc);
        g_free(part);
        g_free(name);
    }
    g_free(sha);
    return done;
}

static void send_result(int fd, bpb_wire *w, const char *error, const char *unit, const char *json,
                        const char *digest)
{
    w->magic = BPB_WIRE_MAGIC;
    w->error_len = error ? (uint32_t)strlen(error) : 0;
    w->unit_len = unit ? (uint32_t)strlen(unit) : 0;
    w->json_len = json ? (uint32_t)strlen(json) : 0;
    w->digest_len = digest ? (uint32_t)strlen(digest) : 0;
    /* one buffer, so that the parent sees the record whole or not at all */
    GByteArray *b = g_byte_array_sized_new(sizeof *w + w->error_len + w->unit_len + w->json_len + w->digest_len);
    g_byte_array_append(b, (const guint8 *)w, sizeof *w);
    g_byte_array_append(b, (const guint8 *)(error ? error : ""), w->error_len);
    g_byte_array_append(b, (const guint8 *)(unit ? unit : ""), w->unit_len);
    g_byte_array_append(b, (const guint8 *)(json ? json : ""), w->json_len);
    g_byte_array_append(b, (const guint8 *)(digest ? digest : ""), w->digest_len);
    bpb_write_all(fd, b->data, b->len); /* a parent gone: nobody to tell */
    g_byte_array_free(b, TRUE);
}

void bpb_worker(const bpb_job *job, const bpb_options *o, int fd)
{
    bpb_wire w = {.status = BPB_CONVERTED};
    char *unit = NULL, *json = NULL, *digest = NULL;
    GError *err = NULL;
    if (o->resume && already_done(job, &w, &unit)) {
        w.status = BPB_SKIPPED;
    } else {
        bpn_document *doc = convert(job, o, &w, &unit, &err);
        /* parts are read back by the parent only: no need for indentation */
        gboolean line = o->compact || o->output == BPB_OUTPUT_UNITS;
        gboolean converted = doc != NULL;
        char *part = NULL;
        if (doc && !job->output && job->parts_dir) {
            char *name = g_strconcat(w.sha256, ".json", NULL);
            part = g_build_filename(job->parts_dir, name, NULL);
            g_free(name);
        }
        const char *target = job->output ? job->output : part;
        gboolean wrote = FALSE;
        if (doc && (o->output == BPB_OUTPUT_STREAM || o->review_dir || !target)) {
            json = document_text(job, o, doc, line, &err);
            converted = json != NULL;
            wrote = json && target && bpb_write_atomically(target, json, strlen(json), &err);
        } else if (doc) {
            wrote = write_document(target, doc, line, &err);
        }
        if (doc && target && !wrote && part)
            w.sha256[0] = 0;
        /* what the batch report reads of the JSON written: the parent then
         * never parses a long document's output whole */
        if (wrote && o->output != BPB_OUTPUT_STREAM)
            digest = bpe_document_digest(doc);
        bpn_document_free(doc);
#ifdef __GLIBC__
        /* the document's memory back to the system before the libraries'
         * exit handlers run: they page in several MB of code and tables,
         * which would otherwise come on top of a heap glibc did not trim
         * (a worker's peak was then its exit: 北京市教育委员会 报表, 99
         * pages, 28.2 MiB while converting, 33.2 at its exit) */
        malloc_trim(0);
#endif
        g_free(part);
        if (!converted)
            w.sha256[0] = 0;
        /* --strict: the JSON is still written, the input counts as failed */
        if (converted && !err && o->strict && w.checks_failed)
            g_set_error(&err, BPB_ERROR, 0, "%d arithmetic check%s failed (--strict)", w.checks_failed,
                        w.checks_failed == 1 ? "" : "s");
        if (err)
            w.status = BPB_FAILED;
        if (!converted)
            w.empty = 0;
    }
    send_result(fd, &w, err ? err->message : NULL, unit, o->output == BPB_OUTPUT_STREAM ? json : NULL, digest);
    g_clear_error(&err);
    g_free(digest);
    g_free(unit);
    g_free(json);
}

void bpb_page_counter(const bpb_inputs *in, const guint *order, guint n, const char *password, int fd)
{
    /* behind the workers: the count is for the progress display only */
    setpriority(PRIO_PROCESS, 0, 10);
    for (guint i = 0; i < n; i++) {
        const bpb_input *input = in->items->pdata[order[i]];
        int32_t rec[2] = {(int32_t)order[i], -1};
        char *abs = input->error || input->data ? NULL : g_canonicalize_filename(input->path, NULL);
        char *uri = abs ? g_filename_to_uri(abs, NULL, NULL) : NULL;
        PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, password, NULL)
                               : input->data && !input->error
                                   ? poppler_document_new_from_bytes(input->data, password, NULL)
                                   : NULL;
        if (doc) {
            rec[1] = poppler_document_get_n_pages(doc);
            g_object_unref(doc);
        }
        g_free(uri);
        g_free(abs);
        if (!bpb_write_all(fd, rec, sizeof rec))
            return;
    }
}
