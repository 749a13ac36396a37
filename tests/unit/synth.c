/* synth.c — see synth.h. */
#include "synth.h"

#include <math.h>

bpx_document *synth_document(int n_pages)
{
    bpx_document *doc = g_new0(bpx_document, 1);
    doc->path = g_strdup("synthetic.pdf");
    g_strlcpy(doc->sha256, "0000000000000000000000000000000000000000000000000000000000000000", sizeof doc->sha256);
    doc->n_pages = n_pages;
    doc->pages = g_new0(bpx_page, n_pages);
    for (int i = 0; i < n_pages; i++) {
        doc->pages[i].number = i + 1;
        doc->pages[i].width = 595;
        doc->pages[i].height = 842;
        doc->pages[i].ruled = TRUE;
    }
    return doc;
}

static void add_char(bpx_page *p, bpx_char c)
{
    p->chars = g_renew(bpx_char, p->chars, p->n_chars + 1);
    p->chars[p->n_chars++] = c;
}

static double glyph_width(gunichar cp, double fs)
{
    return cp < 0x2E80 ? fs / 2 : fs;
}

void synth_text(bpx_document *doc, int page, double x, double y, double fs, const char *utf8)
{
    bpx_page *p = &doc->pages[page - 1];
    for (const char *s = utf8; *s; s = g_utf8_next_char(s)) {
        gunichar cp = g_utf8_get_char(s);
        double w = glyph_width(cp, fs);
        if (cp != ' ')
            add_char(p, (bpx_char){.cp = cp, .box = {x, y, x + w, y + fs}, .font_size = (float)fs});
        x += w;
    }
}

void synth_diagonal(bpx_document *doc, int page, double x, double y, double fs, const char *utf8)
{
    bpx_page *p = &doc->pages[page - 1];
    for (const char *s = utf8; *s; s = g_utf8_next_char(s)) {
        gunichar cp = g_utf8_get_char(s);
        add_char(p, (bpx_char){.cp = cp,
                               .box = {x, y, x + fs * 1.2, y + fs * 1.2},
                               .font_size = (float)fs,
                               .color = 0xCCCCCC,
                               .dir = BPX_DIR_DIAGONAL});
        x += fs * 0.8;
        y -= fs * 0.6;
    }
}

void synth_hline(bpx_document *doc, int page, double x0, double x1, double y)
{
    bpx_page *p = &doc->pages[page - 1];
    p->hlines = g_renew(bpx_line, p->hlines, p->n_hlines + 1);
    p->hlines[p->n_hlines++] = (bpx_line){x0, y, x1, y};
}

void synth_vline(bpx_document *doc, int page, double x, double y0, double y1)
{
    bpx_page *p = &doc->pages[page - 1];
    p->vlines = g_renew(bpx_line, p->vlines, p->n_vlines + 1);
    p->vlines[p->n_vlines++] = (bpx_line){x, y0, x, y1};
}

void synth_grid(bpx_document *doc, int page, const double *xs, int nx, const double *ys, int ny)
{
    for (int i = 0; i < ny; i++)
        synth_hline(doc, page, xs[0], xs[nx - 1], ys[i]);
    for (int i = 0; i < nx; i++)
        synth_vline(doc, page, xs[i], ys[0], ys[ny - 1]);
}

void synth_cell_right(bpx_document *doc, int page, double x1, double y0, double y1, double fs, const char *utf8)
{
    double w = 0;
    for (const char *s = utf8; *s; s = g_utf8_next_char(s))
        w += glyph_width(g_utf8_get_char(s), fs);
    synth_text(doc, page, x1 - 2 - w, (y0 + y1 - fs) / 2, fs, utf8);
}
