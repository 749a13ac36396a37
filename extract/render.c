/* render.c — a page as a PNG picture, for the review page (emit/review.c).
 *
 * poppler renders the page as displayed (its /Rotate applied) into a cairo
 * image on white; a page the extract stage turned to read (bpx_page.turned)
 * is turned the same way, so that every box of the document lands on the
 * picture at its coordinates times the scale. */
#include "extract/extract.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>

struct bpx_renderer {
    PopplerDocument *pdf;
};

bpx_renderer *bpx_renderer_open(const char *path, const char *password, GError **error)
{
    char *abs = g_canonicalize_filename(path, NULL);
    char *uri = g_filename_to_uri(abs, NULL, error);
    g_free(abs);
    if (!uri)
        return NULL;
    GError *perr = NULL;
    PopplerDocument *pdf = poppler_document_new_from_file(uri, NULL, &perr);
    if (!pdf && password && g_error_matches(perr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
        g_clear_error(&perr);
        pdf = poppler_document_new_from_file(uri, password, &perr);
    }
    g_free(uri);
    if (!pdf) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_OPEN, "cannot open the PDF to render it: %s",
                    perr ? perr->message : "unknown error");
        g_clear_error(&perr);
        return NULL;
    }
    bpx_renderer *r = g_new0(bpx_renderer, 1);
    r->pdf = pdf;
    return r;
}

void bpx_renderer_free(bpx_renderer *r)
{
    if (!r)
        return;
    g_object_unref(r->pdf);
    g_free(r);
}

gboolean bpx_renderer_page_png(bpx_renderer *r, int number, double scale, int turned, const char *png_path,
                               GError **error)
{
    if (number < 1 || number > poppler_document_get_n_pages(r->pdf)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_NO_PAGES, "page %d is not in the document", number);
        return FALSE;
    }
    PopplerPage *page = poppler_document_get_page(r->pdf, number - 1);
    if (!page) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_NO_PAGES, "page %d cannot be read", number);
        return FALSE;
    }
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h); /* displayed: /Rotate applied */
    gboolean sideways = turned == 90 || turned == 270;
    double fw = (sideways ? h : w) * scale, fh = (sideways ? w : h) * scale;
    if (!(scale > 0 && fw >= 1 && fh >= 1 && fw * fh <= (double)BPX_RENDER_MAX_PIXELS)) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_LIMIT, "page %d (%.0fx%.0f pt) is too large to render at %g px/pt",
                    number, w, h, scale);
        g_object_unref(page);
        return FALSE;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(fw), (int)ceil(fh));
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_matrix_t m;
    if (turned == 270) /* (x, y) -> (y, w - x), as extract.c turns the boxes */
        cairo_matrix_init(&m, 0, -scale, scale, 0, 0, scale * w);
    else if (turned == 90) /* (x, y) -> (h - y, x) */
        cairo_matrix_init(&m, 0, scale, -scale, 0, scale * h, 0);
    else
        cairo_matrix_init_scale(&m, scale, scale);
    cairo_set_matrix(cr, &m);
    poppler_page_render(page, cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    g_object_unref(page);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png(surf, png_path);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, BPX_ERROR, BPX_ERROR_IO, "page %d: cannot render to %s: %s", number, png_path,
                    cairo_status_to_string(st));
        return FALSE;
    }
    return TRUE;
}
