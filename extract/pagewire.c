/* pagewire.c — a bpx_page as bytes and back (pagewire.h).
 *
 * Layout: a magic word, then the fields in the order of bpx_page, each as
 * its fixed-size value; an array as its count (uint64) and its elements; a
 * string as its length (uint32; UINT32_MAX for NULL) and its bytes; a
 * reading's alternatives as their count and the strings.  Structures are
 * written member by member, never whole: their padding would carry
 * uninitialised bytes, and the layout would then rest on the compiler's. */
#include "extract/pagewire.h"
#include "extract/ocr.h"

#include <string.h>

#define PAGEWIRE_MAGIC 0x62707067u /* "bppg" */
#define NULL_STRING UINT32_MAX

static void put(GByteArray *b, const void *v, size_t n)
{
    g_byte_array_append(b, v, (guint)n);
}

#define PUT(b, v) put((b), &(v), sizeof(v))

static void put_count(GByteArray *b, size_t n)
{
    uint64_t v = n;
    PUT(b, v);
}

static void put_string(GByteArray *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : NULL_STRING;
    PUT(b, n);
    if (s)
        put(b, s, n);
}

static void put_rect(GByteArray *b, const bpx_rect *r)
{
    PUT(b, r->x0);
    PUT(b, r->y0);
    PUT(b, r->x1);
    PUT(b, r->y1);
}

static void put_lines(GByteArray *b, const bpx_line *l, size_t n)
{
    put_count(b, n);
    for (size_t i = 0; i < n; i++)
        put_rect(b, &l[i]);
}

static void put_readings(GByteArray *b, const bpx_ocr_reading *r, size_t n)
{
    put_count(b, n);
    for (size_t i = 0; i < n; i++) {
        put_rect(b, &r[i].box);
        put_string(b, r[i].text);
        size_t k = 0;
        while (r[i].alternatives && r[i].alternatives[k])
            k++;
        put_count(b, k);
        for (size_t j = 0; j < k; j++)
            put_string(b, r[i].alternatives[j]);
    }
}

GByteArray *bpx_page_pack(const bpx_page *p)
{
    GByteArray *b = g_byte_array_new();
    uint32_t magic = PAGEWIRE_MAGIC;
    PUT(b, magic);
    int32_t number = p->number, ruled = p->ruled, turned = p->turned, unreadable = p->unreadable, ocr = p->ocr,
            garbled_layer = p->garbled_layer;
    PUT(b, number);
    PUT(b, p->width);
    PUT(b, p->height);
    put_count(b, p->n_chars);
    for (size_t i = 0; i < p->n_chars; i++) {
        const bpx_char *c = &p->chars[i];
        PUT(b, c->cp);
        put_rect(b, &c->box);
        PUT(b, c->font_size);
        PUT(b, c->color);
        PUT(b, c->dir);
        PUT(b, c->hidden);
        PUT(b, c->ocr_conf);
    }
    put_lines(b, p->hlines, p->n_hlines);
    put_lines(b, p->vlines, p->n_vlines);
    PUT(b, ruled);
    PUT(b, turned);
    PUT(b, unreadable);
    PUT(b, ocr);
    PUT(b, garbled_layer);
    PUT(b, p->ocr_skew);
    put_string(b, p->ocr_failed);
    put_readings(b, p->ocr_readings, p->n_ocr_readings);
    put_readings(b, p->ocr_lines, p->n_ocr_lines);
    return b;
}

/* ---------------------------------------------------------------- reading */

typedef struct {
    const guint8 *at, *end;
    gboolean ok; /* FALSE once a read went past the end */
} cursor;

static void get(cursor *c, void *v, size_t n)
{
    if (!c->ok || (size_t)(c->end - c->at) < n) {
        c->ok = FALSE;
        memset(v, 0, n);
        return;
    }
    memcpy(v, c->at, n);
    c->at += n;
}

#define GET(c, v) get((c), &(v), sizeof(v))

/* A count of elements each at least min_size bytes long: 0 (and the cursor
 * spoilt) when the data left cannot hold that many. */
static size_t get_count(cursor *c, size_t min_size)
{
    uint64_t n = 0;
    GET(c, n);
    if (c->ok && n > (uint64_t)(c->end - c->at) / min_size) {
        c->ok = FALSE;
        return 0;
    }
    return (size_t)n;
}

static char *get_string(cursor *c)
{
    uint32_t n = 0;
    GET(c, n);
    if (!c->ok || n == NULL_STRING)
        return NULL;
    if ((size_t)(c->end - c->at) < n) {
        c->ok = FALSE;
        return NULL;
    }
    char *s = g_strndup((const char *)c->at, n);
    c->at += n;
    return s;
}

static void get_rect(cursor *c, bpx_rect *r)
{
    GET(c, r->x0);
    GET(c, r->y0);
    GET(c, r->x1);
    GET(c, r->y1);
}

static bpx_line *get_lines(cursor *c, size_t *n)
{
    *n = get_count(c, 4 * sizeof(double));
    bpx_line *l = *n ? g_new(bpx_line, *n) : NULL;
    for (size_t i = 0; i < *n; i++)
        get_rect(c, &l[i]);
    return l;
}

static bpx_ocr_reading *get_readings(cursor *c, size_t *n)
{
    *n = get_count(c, 4 * sizeof(double) + 2 * sizeof(uint32_t) + sizeof(uint64_t));
    bpx_ocr_reading *r = *n ? g_new0(bpx_ocr_reading, *n) : NULL;
    for (size_t i = 0; i < *n; i++) {
        get_rect(c, &r[i].box);
        r[i].text = get_string(c);
        size_t k = get_count(c, sizeof(uint32_t));
        r[i].alternatives = g_new0(char *, k + 1);
        for (size_t j = 0, kept = 0; j < k; j++) {
            char *alt = get_string(c);
            if (alt)
                r[i].alternatives[kept++] = alt;
            else
                c->ok = FALSE; /* an alternative is never NULL */
        }
    }
    return r;
}

gboolean bpx_page_unpack(const void *data, size_t len, bpx_page *p)
{
    memset(p, 0, sizeof *p);
    cursor c = {data, (const guint8 *)data + len, data != NULL};
    uint32_t magic = 0;
    GET(&c, magic);
    if (magic != PAGEWIRE_MAGIC)
        return FALSE;
    int32_t number = 0, ruled = 0, turned = 0, unreadable = 0, ocr = 0, garbled_layer = 0;
    GET(&c, number);
    p->number = number;
    GET(&c, p->width);
    GET(&c, p->height);
    /* a char: cp, box, size, colour, three flags */
    p->n_chars = get_count(&c, 3 * sizeof(uint32_t) + 4 * sizeof(double) + 3);
    p->chars = p->n_chars ? g_new0(bpx_char, p->n_chars) : NULL;
    for (size_t i = 0; i < p->n_chars; i++) {
        bpx_char *ch = &p->chars[i];
        GET(&c, ch->cp);
        get_rect(&c, &ch->box);
        GET(&c, ch->font_size);
        GET(&c, ch->color);
        GET(&c, ch->dir);
        GET(&c, ch->hidden);
        GET(&c, ch->ocr_conf);
    }
    p->hlines = get_lines(&c, &p->n_hlines);
    p->vlines = get_lines(&c, &p->n_vlines);
    GET(&c, ruled);
    GET(&c, turned);
    GET(&c, unreadable);
    GET(&c, ocr);
    GET(&c, garbled_layer);
    p->ruled = ruled;
    p->turned = turned;
    p->unreadable = unreadable;
    p->ocr = ocr;
    p->garbled_layer = garbled_layer;
    GET(&c, p->ocr_skew);
    p->ocr_failed = get_string(&c);
    p->ocr_readings = get_readings(&c, &p->n_ocr_readings);
    p->ocr_lines = get_readings(&c, &p->n_ocr_lines);
    if (!c.ok || c.at != c.end) {
        bpx_page_clear(p);
        return FALSE;
    }
    return TRUE;
}

void bpx_page_clear(bpx_page *p)
{
    g_free(p->chars);
    g_free(p->hlines);
    g_free(p->vlines);
    g_free(p->ocr_failed);
    bpx_ocr_readings_free(p->ocr_readings, p->n_ocr_readings);
    bpx_ocr_readings_free(p->ocr_lines, p->n_ocr_lines);
    memset(p, 0, sizeof *p);
}
