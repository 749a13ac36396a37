/* review.c — a worker's review output (bpb_options.review_dir): the page
 * pictures, the review page and the JSON beside it, for one document.
 * Every file is written under a temporary name and renamed into place. */
#include "batch/internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "emit/emit.h"
#include "extract/extract.h"

static gboolean render_pages(const char *pdf, const char *password, const bpn_document *doc, const char *html_dir,
                             const char *pages_rel, GError **error)
{
    char *pages_dir = g_build_filename(html_dir, pages_rel, NULL);
    gboolean ok = g_mkdir_with_parents(pages_dir, 0777) == 0;
    if (!ok)
        g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: cannot create the folder of page pictures: %s",
                    pages_dir, g_strerror(errno));
    if (ok) /* what a killed run left half-written */
        bpb_remove_stale_temps(pages_dir);
    bpx_renderer *r = ok ? bpx_renderer_open(pdf, password, error) : NULL;
    ok = r != NULL;
    char *tmp = bpb_temp_path(pages_dir, getpid());
    for (guint i = 0; ok && doc->pages && i < doc->pages->len; i++) {
        const bpn_page_view *v = doc->pages->pdata[i];
        if (v->width <= 0 || v->height <= 0)
            continue; /* unreadable: the page says so */
        char *rel = bpe_review_page_image(pages_rel, v->number);
        char *png = g_build_filename(html_dir, rel, NULL);
        ok = bpx_renderer_page_png(r, v->number, bpe_review_scale(v->width, v->height), v->turned, tmp, error);
        if (ok && g_rename(tmp, png) != 0) {
            g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: %s", png, g_strerror(errno));
            ok = FALSE;
        }
        g_free(png);
        g_free(rel);
    }
    g_unlink(tmp);
    g_free(tmp);
    bpx_renderer_free(r);
    g_free(pages_dir);
    return ok;
}

gboolean bpb_write_review(const char *pdf, const char *name, const bpb_options *o, const bpn_document *doc,
                          const char *json, const char *json_written, GError **error)
{
    char *html_name = g_strconcat(name, ".html", NULL), *json_name = g_strconcat(name, ".json", NULL);
    char *html_path = g_build_filename(o->review_dir, html_name, NULL);
    char *json_path = g_build_filename(o->review_dir, json_name, NULL);
    char *html_dir = g_path_get_dirname(html_path);
    char *base = g_path_get_basename(name);
    char *pages_rel = g_strconcat(base, ".pages", NULL);
    char *json_rel = g_strconcat(base, ".json", NULL);
    gboolean ok = render_pages(pdf, o->password, doc, html_dir, pages_rel, error);
    if (ok && !(json_written && strcmp(json_written, json_path) == 0))
        ok = bpb_write_atomically(json_path, json, strlen(json), error);
    if (ok) {
        char *html = bpe_document_review_html(doc, pages_rel, json_rel);
        ok = bpb_write_atomically(html_path, html, strlen(html), error);
        g_free(html);
    }
    if (!ok)
        g_prefix_error(error, "review: ");
    g_free(json_rel);
    g_free(pages_rel);
    g_free(base);
    g_free(html_dir);
    g_free(json_path);
    g_free(html_path);
    g_free(json_name);
    g_free(html_name);
    return ok;
}
