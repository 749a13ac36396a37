/* pagetree.c — a long document read through documents of a chunk of its
 * pages each (issue 15: a worker's memory that does not grow with the
 * document).
 *
 * Why.  poppler's Catalog keeps every Page it has made until the
 * PopplerDocument is dropped, and it makes pages 1 .. i to reach page i:
 * about 2.4 KB of heap a page read (the page's dictionary and its
 * resources' parsed again for each page, its attributes, its boxes), the
 * largest part of what grew with a long document.  poppler-glib has no
 * call that lets a page go, and a document opened again caches pages
 * 1 .. i again to reach page i.  But poppler reads whatever page tree the
 * newest trailer's catalog names: the file's bytes followed by an
 * incremental update whose catalog's page tree lists pages a .. b only is
 * a document of those pages, whose cache holds them alone.
 *
 * How it works.
 *  1. bpx_page_tree_read reads the file's cross-reference sections from
 *     the last (startxref) back along /Prev (read_xref_chain): classic
 *     tables (read_xref_table, with a hybrid file's /XRefStm) and
 *     cross-reference streams (read_xref_stream: Flate, PNG predictors),
 *     the newest entry of each object number winning, as poppler reads
 *     them.  An object is fetched from its offset (fetch: its header must
 *     name it) or from its object stream (objstm_load: one decoded stream
 *     kept).
 *  2. walk_node follows the catalog's /Pages down its /Kids as poppler's
 *     Catalog does: a kid that is a dictionary of /Type /Page, or without
 *     /Kids, is a page; the four attributes a page inherits (Resources,
 *     MediaBox, CropBox, Rotate) are carried down as the nodes print them
 *     (attr_set: their PDF text), one set a node that sets any.
 *  3. bpx_page_tree_chunk writes the update for pages a .. b: the root of
 *     a new page tree, one node under it for each run of pages that
 *     inherit the same set (those attributes written into it), a catalog
 *     that copies every entry of the old one but /Pages (optional content,
 *     forms, names stay), a cross-reference table of those objects
 *     numbered from the first free number, and a trailer with /Prev at the
 *     file's last section, /Info and /ID as the file's.  The page objects
 *     are the file's own: their content, resources and annotations are
 *     read as before (a page's /Parent still names its old node, which
 *     poppler does not follow to read the page).
 *  4. bpx_page_tree_upright writes the update that makes the file a
 *     document of one page shown turned: the same root, catalog and node
 *     (the page's inherited attributes) over a new page object that copies
 *     the page's own entries but /Parent and /Rotate, with /Rotate raised
 *     by the turn (walk_node keeps each page's entries and /Rotate for it:
 *     page_own).  extract.c reads a page whose text runs down or up the
 *     sheet from it (read_upright).
 * What it declines (the caller reads the document whole, as before): an
 * encrypted file (the copied catalog's strings would be decrypted with
 * the wrong object number), a file with bytes before %PDF, an offset that
 * does not lead to the object it names (poppler would rebuild the table
 * by scanning the file), a filter other than Flate in a cross-reference
 * or object stream, a page tree with a loop, a kid that is not a
 * reference, or a node missing; and the caller declines a tree whose page
 * count is not poppler's.  What it misses: within a chunk, poppler's page
 * numbers are the chunk's (link destinations, which budgetpdf does not
 * read, name other pages by their chunk's numbers).
 */
#include "extract/pagetree.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Limits against a damaged or hostile file. */
#define MAX_OBJECTS 10000000  /* object numbers */
#define MAX_DEPTH 64          /* nesting of values and of the page tree */
#define MAX_SECTIONS 4096     /* cross-reference sections along /Prev */
#define MAX_DECODED ((size_t)256 << 20)

/* The first `needle` in s[0 .. n) (binary: NUL bytes do not stop it); NULL if none. */
static const char *find_bytes(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *q = s; k <= n && (q = memchr(q, needle[0], n - k + 1 - (size_t)(q - s))); q++)
        if (memcmp(q, needle, k) == 0)
            return q;
    return NULL;
}

/* ---- values ---- */

typedef enum { PV_NULL, PV_BOOL, PV_NUM, PV_REF, PV_NAME, PV_STRING, PV_ARRAY, PV_DICT, PV_KEYWORD } pv_type;

/* A parsed value; s .. e is its text in the buffer it was parsed from. */
typedef struct pv {
    pv_type type;
    const char *s, *e;
    double num;
    gboolean integer;
    int ref_num, ref_gen;
    GPtrArray *items; /* array: pv*; dict: key, value, key, value ... */
} pv;

static void pv_free(pv *v)
{
    if (!v)
        return;
    if (v->items)
        g_ptr_array_unref(v->items);
    g_free(v);
}

typedef struct {
    const char *p, *end;
} lexer;

static gboolean is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean is_delim(char c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
           c == '%';
}

static void skip_ws(lexer *l)
{
    while (l->p < l->end) {
        if (is_ws(*l->p))
            l->p++;
        else if (*l->p == '%')
            while (l->p < l->end && *l->p != '\n' && *l->p != '\r')
                l->p++;
        else
            break;
    }
}

/* The regular characters from l->p (a number, a keyword, a name's body). */
static const char *token_end(const lexer *l, const char *from)
{
    const char *q = from;
    while (q < l->end && !is_ws(*q) && !is_delim(*q))
        q++;
    return q;
}

static gboolean word_is(const char *s, const char *e, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - s) == n && memcmp(s, word, n) == 0;
}

/* An unsigned integer token at l->p (after white space); advances past it. */
static gboolean read_int(lexer *l, gint64 *out)
{
    skip_ws(l);
    const char *q = l->p;
    gint64 v = 0;
    while (q < l->end && *q >= '0' && *q <= '9' && q - l->p < 18)
        v = v * 10 + (*q++ - '0');
    if (q == l->p || (q < l->end && !is_ws(*q) && !is_delim(*q)))
        return FALSE;
    l->p = q;
    *out = v;
    return TRUE;
}

static gboolean read_keyword(lexer *l, const char *word)
{
    skip_ws(l);
    const char *e = token_end(l, l->p);
    if (!word_is(l->p, e, word))
        return FALSE;
    l->p = e;
    return TRUE;
}

static pv *parse_value(lexer *l, int depth);

static pv *pv_new(pv_type type, const char *s)
{
    pv *v = g_new0(pv, 1);
    v->type = type;
    v->s = s;
    return v;
}

static pv *parse_container(lexer *l, int depth, pv_type type, const char *close)
{
    pv *v = pv_new(type, l->p);
    l->p += type == PV_DICT ? 2 : 1;
    v->items = g_ptr_array_new_with_free_func((GDestroyNotify)pv_free);
    size_t cn = strlen(close);
    for (;;) {
        skip_ws(l);
        if (l->p >= l->end) {
            pv_free(v);
            return NULL;
        }
        if ((size_t)(l->end - l->p) >= cn && memcmp(l->p, close, cn) == 0) {
            l->p += cn;
            v->e = l->p;
            break;
        }
        pv *item = parse_value(l, depth + 1);
        if (!item || (type == PV_DICT && v->items->len % 2 == 0 && item->type != PV_NAME)) {
            pv_free(item);
            pv_free(v);
            return NULL;
        }
        g_ptr_array_add(v->items, item);
    }
    if (type == PV_DICT && v->items->len % 2) {
        pv_free(v);
        return NULL;
    }
    return v;
}

/* One value at l->p; NULL when there is none that parses. */
static pv *parse_value(lexer *l, int depth)
{
    skip_ws(l);
    if (l->p >= l->end || depth > MAX_DEPTH)
        return NULL;
    const char *s = l->p;
    char c = *s;
    if (c == '<' && l->end - s >= 2 && s[1] == '<')
        return parse_container(l, depth, PV_DICT, ">>");
    if (c == '[')
        return parse_container(l, depth, PV_ARRAY, "]");
    if (c == '<') {
        const char *q = memchr(s, '>', (size_t)(l->end - s));
        if (!q)
            return NULL;
        pv *v = pv_new(PV_STRING, s);
        l->p = v->e = q + 1;
        return v;
    }
    if (c == '(') {
        int open = 0;
        const char *q = s;
        for (; q < l->end; q++) {
            if (*q == '\\')
                q++;
            else if (*q == '(')
                open++;
            else if (*q == ')' && --open == 0)
                break;
        }
        if (q >= l->end)
            return NULL;
        pv *v = pv_new(PV_STRING, s);
        l->p = v->e = q + 1;
        return v;
    }
    if (c == '/') {
        pv *v = pv_new(PV_NAME, s);
        l->p = v->e = token_end(l, s + 1);
        return v;
    }
    const char *e = token_end(l, s);
    if (e == s)
        return NULL; /* a stray delimiter */
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        char buf[64];
        size_t n = MIN((size_t)(e - s), sizeof buf - 1);
        memcpy(buf, s, n);
        buf[n] = 0;
        char *stop;
        double num = g_ascii_strtod(buf, &stop);
        pv *v = pv_new(PV_NUM, s);
        v->num = num;
        v->integer = strspn(buf, "0123456789") == n;
        l->p = v->e = e;
        if (v->integer) { /* "n g R" */
            lexer look = *l;
            gint64 gen;
            if (read_int(&look, &gen) && read_keyword(&look, "R") && num <= MAX_OBJECTS && gen < 65536) {
                v->type = PV_REF;
                v->ref_num = (int)num;
                v->ref_gen = (int)gen;
                l->p = v->e = look.p;
            }
        }
        return v;
    }
    pv *v = pv_new(PV_KEYWORD, s);
    l->p = v->e = e;
    if (word_is(s, e, "true") || word_is(s, e, "false"))
        v->type = PV_BOOL;
    else if (word_is(s, e, "null"))
        v->type = PV_NULL;
    return v;
}

/* The value of key ("/Kids") in dictionary d; NULL when absent. */
static pv *dict_get(const pv *d, const char *key)
{
    if (!d || d->type != PV_DICT)
        return NULL;
    for (guint i = 0; i + 1 < d->items->len; i += 2) {
        const pv *k = d->items->pdata[i];
        if (word_is(k->s, k->e, key))
            return d->items->pdata[i + 1];
    }
    return NULL;
}

/* v as an integer within lo .. hi; FALSE when it is none (not a number, a
 * real, out of range: a cast would be undefined for a huge one). */
static gboolean int_in(const pv *v, gint64 lo, gint64 hi, gint64 *out)
{
    if (!v || v->type != PV_NUM || !v->integer || !(v->num >= (double)lo && v->num <= (double)hi))
        return FALSE;
    *out = (gint64)v->num;
    return TRUE;
}

static gboolean name_is(const pv *v, const char *name)
{
    return v && v->type == PV_NAME && word_is(v->s, v->e, name);
}

/* ---- the file's objects ---- */

typedef struct {
    gint64 offset; /* type 1: where "n g obj" starts; type 2: the object stream's number */
    int index;     /* type 2: its index in the stream */
    int type;      /* 0: not given (yet); 1: in the file; 2: in an object stream */
} xref_entry;

typedef struct {
    const char *data;
    size_t len;
    GArray *xref;     /* xref_entry by object number */
    int max_num;      /* the largest object number any section names */
    int stm_num;      /* the object stream decoded (0: none) */
    GByteArray *stm;  /* its data */
    GArray *stm_objs; /* gint64 pairs: number, offset (from /First) */
    int depth;        /* fetches within fetches (an indirect /Length) */
} reader;

static void set_entry(reader *r, gint64 num, int type, gint64 offset, int index)
{
    if (num < 0 || num >= MAX_OBJECTS)
        return;
    if (num > r->max_num)
        r->max_num = (int)num;
    if (type == 0)
        return; /* a free entry does not hide an older one (hybrid files list some as free) */
    if (num > (gint64)r->len)
        return; /* more objects than bytes: not a file to read (and no table that size) */
    if ((guint)num >= r->xref->len)
        g_array_set_size(r->xref, (guint)num + 1);
    xref_entry *x = &g_array_index(r->xref, xref_entry, num);
    if (x->type)
        return; /* a newer section gave it */
    x->type = type;
    x->offset = offset;
    x->index = index;
}

static pv *fetch(reader *r, int num, const char **stream);

/* Where the data of the stream whose dictionary is d starts (at, just
 * after "stream") and how long it is: its /Length when "endstream" follows
 * it, else, as poppler does, up to "endstream" (its end of line off); -1
 * when there is no "endstream". */
static gint64 stream_length(reader *r, const pv *d, const char **at)
{
    const char *end = r->data + r->len;
    if (*at < end && **at == '\r')
        (*at)++;
    if (*at < end && **at == '\n')
        (*at)++;
    gint64 length = -1;
    pv *lv = dict_get(d, "/Length");
    if (lv && lv->type == PV_REF) {
        pv *n = fetch(r, lv->ref_num, NULL);
        if (!int_in(n, 0, (gint64)r->len, &length))
            length = -1;
        pv_free(n);
    } else if (!int_in(lv, 0, (gint64)r->len, &length))
        length = -1;
    if (length >= 0 && length <= end - *at) {
        lexer l = {*at + length, end};
        if (read_keyword(&l, "endstream"))
            return length;
    }
    const char *q = find_bytes(*at, (size_t)(end - *at), "endstream");
    if (!q)
        return -1;
    while (q > *at && (q[-1] == '\n' || q[-1] == '\r'))
        q--;
    return q - *at;
}

/* data inflated (zlib); NULL when it is not whole or exceeds MAX_DECODED. */
static GByteArray *inflate_data(const char *data, gsize len)
{
    GByteArray *out = g_byte_array_new();
    GConverter *z = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
    guint8 buf[65536];
    gsize done = 0;
    gboolean ok = FALSE;
    for (;;) {
        gsize nread = 0, nwritten = 0;
        GConverterResult res = g_converter_convert(z, data + done, len - done, buf, sizeof buf,
                                                   G_CONVERTER_INPUT_AT_END, &nread, &nwritten, NULL);
        if (res == G_CONVERTER_ERROR || out->len + nwritten > MAX_DECODED)
            break;
        done += nread;
        g_byte_array_append(out, buf, (guint)nwritten);
        if (res == G_CONVERTER_FINISHED) {
            ok = TRUE;
            break;
        }
        if (nread == 0 && nwritten == 0)
            break;
    }
    g_object_unref(z);
    if (!ok) {
        g_byte_array_unref(out);
        return NULL;
    }
    return out;
}

/* in (rows of a filter byte and `row` bytes) with the PNG predictors
 * undone; NULL for an unknown row filter. */
static GByteArray *png_unpredict(const GByteArray *in, size_t row, size_t bpp)
{
    size_t rows = in->len / (row + 1);
    GByteArray *out = g_byte_array_sized_new((guint)(rows * row));
    guint8 *prev = g_malloc0(row), *cur = g_malloc(row);
    gboolean ok = TRUE;
    for (size_t y = 0; y < rows && ok; y++) {
        const guint8 *src = in->data + y * (row + 1) + 1;
        guint8 f = src[-1];
        for (size_t i = 0; i < row && ok; i++) {
            int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            int x = src[i];
            switch (f) {
            case 0: break;
            case 1: x += a; break;
            case 2: x += b; break;
            case 3: x += (a + b) / 2; break;
            case 4: {
                int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
                x += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                break;
            }
            default: ok = FALSE;
            }
            cur[i] = (guint8)x;
        }
        g_byte_array_append(out, cur, (guint)row);
        memcpy(prev, cur, row);
    }
    g_free(prev);
    g_free(cur);
    if (!ok) {
        g_byte_array_unref(out);
        return NULL;
    }
    return out;
}

/* Decoded data of the stream whose dictionary is d and whose data starts at
 * `at` (just after "stream"): no filter, or Flate with or without a PNG
 * predictor; NULL when it cannot be decoded. */
static GByteArray *stream_data(reader *r, const pv *d, const char *at)
{
    gint64 length = stream_length(r, d, &at);
    if (length < 0)
        return NULL;
    pv *filter = dict_get(d, "/Filter");
    pv *parms = dict_get(d, "/DecodeParms");
    if (filter && filter->type == PV_ARRAY) {
        if (filter->items->len > 1)
            return NULL;
        filter = filter->items->len ? filter->items->pdata[0] : NULL;
        if (parms && parms->type == PV_ARRAY)
            parms = parms->items->len ? parms->items->pdata[0] : NULL;
    }
    if (!filter || filter->type == PV_NULL) {
        GByteArray *out = g_byte_array_new();
        g_byte_array_append(out, (const guint8 *)at, (guint)length);
        return out;
    }
    if (!name_is(filter, "/FlateDecode") && !name_is(filter, "/Fl"))
        return NULL;
    gint64 predictor = 1, columns = 1, colors = 1, bpc = 8;
    pv *pred = dict_get(parms, "/Predictor"), *cv = dict_get(parms, "/Columns"), *kv = dict_get(parms, "/Colors"),
       *bv = dict_get(parms, "/BitsPerComponent");
    if ((pred && !int_in(pred, 0, 15, &predictor)) || (predictor > 1 && predictor < 10) || /* TIFF's: not seen here */
        (cv && !int_in(cv, 1, 65536, &columns)) || (kv && !int_in(kv, 1, 32, &colors)) ||
        (bv && !int_in(bv, 1, 16, &bpc)))
        return NULL;
    GByteArray *out = inflate_data(at, (gsize)length);
    if (!out || predictor <= 1)
        return out;
    GByteArray *plain = png_unpredict(out, ((size_t)columns * colors * bpc + 7) / 8, MAX(1, (size_t)colors * bpc / 8));
    g_byte_array_unref(out);
    return plain;
}

/* Object stream `num` decoded into r->stm (kept until another is asked). */
static gboolean objstm_load(reader *r, int num)
{
    if (r->stm_num == num)
        return TRUE;
    if (r->stm)
        g_byte_array_unref(r->stm);
    r->stm = NULL;
    r->stm_num = 0;
    g_array_set_size(r->stm_objs, 0);
    const char *at = NULL;
    pv *d = fetch(r, num, &at);
    gint64 n = 0, first = 0;
    GByteArray *data = at && int_in(dict_get(d, "/N"), 0, MAX_OBJECTS, &n) &&
                               int_in(dict_get(d, "/First"), 0, (gint64)r->len, &first)
                           ? stream_data(r, d, at)
                           : NULL;
    gboolean ok = data != NULL;
    if (ok) {
        lexer l = {(const char *)data->data, (const char *)data->data + data->len};
        for (gint64 i = 0; i < n && ok; i++) {
            gint64 pair[2];
            ok = read_int(&l, &pair[0]) && read_int(&l, &pair[1]) && first + pair[1] < (gint64)data->len;
            pair[1] += first;
            g_array_append_vals(r->stm_objs, pair, 2);
        }
    }
    pv_free(d);
    if (!ok) {
        if (data)
            g_byte_array_unref(data);
        return FALSE;
    }
    r->stm = data;
    r->stm_num = num;
    return TRUE;
}

/* Object `num` parsed; *stream, when asked, the start of its stream data
 * (just after "stream"), NULL if it has none or lies in an object stream.
 * NULL when it is missing or its place does not hold it. */
static pv *fetch(reader *r, int num, const char **stream)
{
    if (stream)
        *stream = NULL;
    if (num <= 0 || (guint)num >= r->xref->len || r->depth > 8)
        return NULL;
    xref_entry x = g_array_index(r->xref, xref_entry, num);
    pv *v = NULL;
    r->depth++;
    if (x.type == 1 && x.offset >= 0 && (size_t)x.offset < r->len) {
        lexer l = {r->data + x.offset, r->data + r->len};
        gint64 n, gen;
        if (read_int(&l, &n) && n == num && read_int(&l, &gen) && read_keyword(&l, "obj")) {
            v = parse_value(&l, 0);
            if (v && stream && v->type == PV_DICT && read_keyword(&l, "stream"))
                *stream = l.p;
        }
    } else if (x.type == 2 && x.offset != num && objstm_load(r, (int)x.offset)) {
        const gint64 *objs = (const gint64 *)(void *)r->stm_objs->data;
        guint count = r->stm_objs->len / 2, k = (guint)x.index;
        if (k >= count || objs[2 * k] != num) /* the index is a hint: look it up */
            for (k = 0; k < count && objs[2 * k] != num; k++)
                ;
        if (k < count) {
            lexer l = {(const char *)r->stm->data + objs[2 * k + 1], (const char *)r->stm->data + r->stm->len};
            v = parse_value(&l, 0);
        }
    }
    r->depth--;
    return v;
}

/* ---- cross-reference sections ---- */

/* A cross-reference stream at off: its entries set, its dictionary (the
 * section's trailer) returned; NULL when it is not one. */
static pv *read_xref_stream(reader *r, gint64 off)
{
    lexer l = {r->data + off, r->data + r->len};
    gint64 num, gen;
    if (!read_int(&l, &num) || !read_int(&l, &gen) || !read_keyword(&l, "obj"))
        return NULL;
    pv *d = parse_value(&l, 0);
    if (!d || !name_is(dict_get(d, "/Type"), "/XRef") || !read_keyword(&l, "stream")) {
        pv_free(d);
        return NULL;
    }
    GByteArray *data = stream_data(r, d, l.p);
    pv *w = dict_get(d, "/W"), *index = dict_get(d, "/Index"), *size = dict_get(d, "/Size");
    gint64 wd[3], n_size = 0;
    gboolean ok = data && w && w->type == PV_ARRAY && w->items->len == 3 && int_in(size, 0, MAX_OBJECTS, &n_size);
    for (int i = 0; ok && i < 3; i++)
        ok = int_in(w->items->pdata[i], 0, 8, &wd[i]);
    size_t per = ok ? (size_t)wd[0] + wd[1] + wd[2] : 0;
    ok = ok && per > 0 && (!index || (index->type == PV_ARRAY && index->items->len % 2 == 0));
    size_t at = 0;
    guint nranges = index ? index->items->len / 2 : 1;
    for (guint k = 0; ok && k < nranges; k++) {
        gint64 start = 0, count = n_size;
        if (index)
            ok = int_in(index->items->pdata[2 * k], 0, MAX_OBJECTS, &start) &&
                 int_in(index->items->pdata[2 * k + 1], 0, MAX_OBJECTS, &count);
        ok = ok && start + count <= MAX_OBJECTS;
        for (gint64 i = 0; ok && i < count; i++) {
            if (at + per > data->len) {
                ok = FALSE;
                break;
            }
            guint64 f[3];
            for (int j = 0; j < 3; j++) {
                f[j] = 0;
                for (int b = 0; b < wd[j]; b++)
                    f[j] = f[j] << 8 | data->data[at++];
            }
            int type = wd[0] ? (int)f[0] : 1;
            if (type == 1)
                set_entry(r, start + i, 1, (gint64)f[1], 0);
            else if (type == 2)
                set_entry(r, start + i, 2, (gint64)f[1], (int)f[2]);
            else
                set_entry(r, start + i, 0, 0, 0); /* free, or a type to ignore */
        }
    }
    if (data)
        g_byte_array_unref(data);
    if (!ok) {
        pv_free(d);
        return NULL;
    }
    set_entry(r, n_size - 1, 0, 0, 0);
    return d;
}

/* A classic table at off ("xref" ...): its entries set, its trailer returned. */
static pv *read_xref_table(reader *r, gint64 off)
{
    lexer l = {r->data + off, r->data + r->len};
    if (!read_keyword(&l, "xref"))
        return NULL;
    for (;;) {
        skip_ws(&l);
        if (read_keyword(&l, "trailer"))
            break;
        gint64 start, count;
        if (!read_int(&l, &start) || !read_int(&l, &count) || start + count > MAX_OBJECTS)
            return NULL;
        for (gint64 i = 0; i < count; i++) {
            gint64 offset, gen;
            if (!read_int(&l, &offset) || !read_int(&l, &gen))
                return NULL;
            skip_ws(&l);
            const char *e = token_end(&l, l.p);
            gboolean used = word_is(l.p, e, "n");
            if (!used && !word_is(l.p, e, "f"))
                return NULL;
            l.p = e;
            /* poppler takes object 0 of a first subsection that starts at 1 as
             * object 0 only when it is free: a table starting at 1 with
             * offsets off by one is a damaged file, declined at fetch */
            set_entry(r, start + i, used ? 1 : 0, offset, 0);
        }
    }
    pv *trailer = parse_value(&l, 0);
    if (!trailer || trailer->type != PV_DICT) {
        pv_free(trailer);
        return NULL;
    }
    pv *size = dict_get(trailer, "/Size");
    if (size && size->type == PV_NUM && size->num >= 1 && size->num <= MAX_OBJECTS)
        set_entry(r, (gint64)size->num - 1, 0, 0, 0);
    pv *stm = dict_get(trailer, "/XRefStm"); /* a hybrid file: its stream comes next */
    if (stm && stm->type == PV_NUM && stm->num >= 0 && stm->num < r->len) {
        pv *d = read_xref_stream(r, (gint64)stm->num);
        if (!d) {
            pv_free(trailer);
            return NULL;
        }
        pv_free(d);
    }
    return trailer;
}

/* The file's last startxref; -1 when there is none in its last KiB. */
static gint64 last_startxref(const char *data, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0;
    const char *found = NULL;
    for (const char *q = data + from; (q = find_bytes(q, (size_t)(data + len - q), "startxref")); q++)
        found = q;
    if (!found)
        return -1;
    lexer l = {found + 9, data + len};
    gint64 off;
    return read_int(&l, &off) && (size_t)off < len ? off : -1;
}

/* ---- the page tree ---- */

typedef struct {
    int num, gen;
    int attrs;  /* index into bpx_page_tree.attrs */
    int own;    /* index into bpx_page_tree.own: the page's own entries; -1 for a node */
    int rotate; /* the page's /Rotate, its own or inherited (0 if none); -1: not a plain number */
} page_ref;

struct bpx_page_tree {
    GArray *pages;       /* page_ref, in order */
    GPtrArray *attrs;    /* GString*: inherited entries as PDF text (" /MediaBox [...]"), "" for none */
    GPtrArray *own;      /* GString*: a page's own entries but /Parent and /Rotate, as PDF text */
    GString *catalog;    /* the catalog's entries but /Pages, as PDF text (may hold NUL bytes) */
    GString *trailer;    /* the trailer's /Info and /ID, as PDF text */
    gint64 last_xref;    /* the file's startxref */
    size_t len;          /* the file's length */
    int free_num;        /* the first object number no section names */
};

/* The four attributes a page inherits, as poppler's PageAttrs reads them. */
static const char *const inherited_keys[] = {"/Resources", "/MediaBox", "/CropBox", "/Rotate"};
#define N_INHERITED 4

typedef struct {
    GString *value[N_INHERITED]; /* PDF text; NULL: not set above */
} attr_set;

static void append_span(GString *s, const pv *v)
{
    g_string_append_len(s, v->s, v->e - v->s);
}

static GString *attr_text(const attr_set *a)
{
    GString *s = g_string_new(NULL);
    for (int k = 0; k < N_INHERITED; k++)
        if (a->value[k]) {
            g_string_append_printf(s, " %s ", inherited_keys[k]);
            g_string_append_len(s, a->value[k]->str, (gssize)a->value[k]->len);
        }
    return s;
}

static void string_free(gpointer s)
{
    g_string_free(s, TRUE);
}

typedef struct {
    reader *r;
    bpx_page_tree *t;
    GHashTable *nodes; /* node numbers on the way down: a loop */
} walker;

/* A page's own entries (but /Parent and /Rotate) and its /Rotate, its own
 * or the one it inherits (above): what bpx_page_tree_upright writes. */
static void page_own(bpx_page_tree *t, const pv *page, const attr_set *above, page_ref *pr)
{
    GString *own = g_string_new(NULL);
    const pv *rotate = NULL;
    for (guint i = 0; i + 1 < page->items->len; i += 2) {
        const pv *k = page->items->pdata[i];
        if (word_is(k->s, k->e, "/Rotate"))
            rotate = page->items->pdata[i + 1];
        if (word_is(k->s, k->e, "/Parent") || word_is(k->s, k->e, "/Rotate"))
            continue;
        g_string_append_c(own, ' ');
        append_span(own, k);
        g_string_append_c(own, ' ');
        append_span(own, page->items->pdata[i + 1]);
    }
    pr->own = (int)t->own->len;
    g_ptr_array_add(t->own, own);
    double turn = 0;
    if (rotate)
        turn = rotate->type == PV_NUM && rotate->integer ? rotate->num : -1;
    else if (above->value[3]) {
        char *end = NULL;
        turn = g_ascii_strtod(above->value[3]->str, &end);
        if (end == above->value[3]->str || *end || turn != floor(turn))
            turn = -1;
    }
    pr->rotate = turn < 0 || turn > 1e6 ? -1 : (((int)turn % 360) + 360) % 360;
}

static gboolean walk_node(walker *w, int num, const attr_set *above, int above_index, int depth)
{
    if (depth > MAX_DEPTH || g_hash_table_contains(w->nodes, GINT_TO_POINTER(num)))
        return FALSE;
    pv *node = fetch(w->r, num, NULL);
    if (!node || node->type != PV_DICT) {
        pv_free(node);
        return FALSE;
    }
    attr_set here = *above;
    int here_index = above_index;
    gboolean sets = FALSE;
    for (int k = 0; k < N_INHERITED; k++) {
        pv *v = dict_get(node, inherited_keys[k]);
        if (v) {
            here.value[k] = g_string_new_len(v->s, v->e - v->s);
            sets = TRUE;
        } else if (above->value[k])
            here.value[k] = g_string_new_len(above->value[k]->str, (gssize)above->value[k]->len);
    }
    if (sets) {
        here_index = (int)w->t->attrs->len;
        g_ptr_array_add(w->t->attrs, attr_text(&here));
    }
    pv *kids = dict_get(node, "/Kids");
    gboolean ok = kids && kids->type == PV_ARRAY;
    /* the kids' references (the node's parse goes when an object stream is
     * decoded again for a kid) */
    GArray *refs = g_array_new(FALSE, FALSE, sizeof(page_ref));
    for (guint i = 0; ok && i < kids->items->len; i++) {
        pv *kid = kids->items->pdata[i];
        ok = kid->type == PV_REF;
        page_ref pr = {kid->ref_num, kid->ref_gen, here_index, -1, 0};
        g_array_append_val(refs, pr);
    }
    pv_free(node);
    g_hash_table_add(w->nodes, GINT_TO_POINTER(num));
    for (guint i = 0; ok && i < refs->len; i++) {
        page_ref pr = g_array_index(refs, page_ref, i);
        pv *kid = fetch(w->r, pr.num, NULL);
        ok = kid && kid->type == PV_DICT;
        gboolean page = ok && (name_is(dict_get(kid, "/Type"), "/Page") || !dict_get(kid, "/Kids"));
        if (page) {
            page_own(w->t, kid, &here, &pr);
            g_array_append_val(w->t->pages, pr);
        }
        pv_free(kid);
        if (!page && ok)
            ok = walk_node(w, pr.num, &here, here_index, depth + 1);
    }
    g_hash_table_remove(w->nodes, GINT_TO_POINTER(num));
    g_array_unref(refs);
    for (int k = 0; k < N_INHERITED; k++)
        if (here.value[k])
            g_string_free(here.value[k], TRUE);
    return ok;
}

void bpx_page_tree_free(bpx_page_tree *t)
{
    if (!t)
        return;
    g_array_unref(t->pages);
    g_ptr_array_unref(t->attrs);
    g_ptr_array_unref(t->own);
    if (t->catalog)
        g_string_free(t->catalog, TRUE);
    if (t->trailer)
        g_string_free(t->trailer, TRUE);
    g_free(t);
}

int bpx_page_tree_count(const bpx_page_tree *t)
{
    return (int)t->pages->len;
}

/* Steps 1 and 2. */
bpx_page_tree *bpx_page_tree_read(const char *data, size_t len)
{
    if (len < 16 || memcmp(data, "%PDF", 4) != 0)
        return NULL;
    gint64 start = last_startxref(data, len);
    if (start < 0)
        return NULL;
    reader r = {.data = data, .len = len};
    r.xref = g_array_new(FALSE, TRUE, sizeof(xref_entry));
    r.stm_objs = g_array_new(FALSE, FALSE, sizeof(gint64));
    bpx_page_tree *t = g_new0(bpx_page_tree, 1);
    t->pages = g_array_new(FALSE, FALSE, sizeof(page_ref));
    t->attrs = g_ptr_array_new_with_free_func(string_free);
    g_ptr_array_add(t->attrs, g_string_new(NULL));
    t->own = g_ptr_array_new_with_free_func(string_free);
    t->last_xref = start;
    t->len = len;
    pv *newest = NULL; /* the newest trailer: poppler's */
    gboolean ok = TRUE, encrypted = FALSE;
    GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
    gint64 *offs = g_new(gint64, MAX_SECTIONS);
    int n_sections = 0;
    for (gint64 off = start; ok && off >= 0;) {
        if (n_sections == MAX_SECTIONS || g_hash_table_contains(seen, &off)) {
            ok = FALSE;
            break;
        }
        offs[n_sections] = off;
        g_hash_table_add(seen, &offs[n_sections++]);
        lexer l = {data + off, data + len};
        skip_ws(&l);
        pv *trailer = read_xref_table(&r, l.p - data);
        if (!trailer)
            trailer = read_xref_stream(&r, l.p - data);
        if (!trailer) {
            ok = FALSE;
            break;
        }
        encrypted |= dict_get(trailer, "/Encrypt") != NULL;
        pv *prev = dict_get(trailer, "/Prev");
        off = prev && prev->type == PV_NUM && prev->integer && prev->num >= 0 && prev->num < len ? (gint64)prev->num : -1;
        if (!newest)
            newest = trailer;
        else
            pv_free(trailer);
    }
    g_hash_table_unref(seen);
    g_free(offs);
    pv *root = dict_get(newest, "/Root");
    ok = ok && !encrypted && root && root->type == PV_REF;
    if (ok) {
        GString *tr = g_string_new(NULL);
        static const char *const kept[] = {"/Info", "/ID"};
        for (int k = 0; k < 2; k++) {
            pv *v = dict_get(newest, kept[k]);
            if (v) {
                g_string_append_printf(tr, " %s ", kept[k]);
                append_span(tr, v);
            }
        }
        t->trailer = tr;
    }
    pv *catalog = ok ? fetch(&r, root->ref_num, NULL) : NULL;
    pv *pages = dict_get(catalog, "/Pages");
    ok = ok && catalog && catalog->type == PV_DICT && pages && pages->type == PV_REF;
    if (ok) {
        GString *cat = g_string_new(NULL);
        for (guint i = 0; i + 1 < catalog->items->len; i += 2) {
            const pv *k = catalog->items->pdata[i];
            if (word_is(k->s, k->e, "/Pages"))
                continue;
            g_string_append_c(cat, ' ');
            append_span(cat, k);
            g_string_append_c(cat, ' ');
            append_span(cat, catalog->items->pdata[i + 1]);
        }
        t->catalog = cat;
        int pages_num = pages->ref_num;
        pv_free(catalog);
        catalog = NULL;
        attr_set none = {{NULL}};
        walker w = {&r, t, g_hash_table_new(g_direct_hash, g_direct_equal)};
        ok = walk_node(&w, pages_num, &none, 0, 0);
        g_hash_table_unref(w.nodes);
    }
    pv_free(catalog);
    pv_free(newest);
    t->free_num = r.max_num + 1;
    g_array_unref(r.xref);
    g_array_unref(r.stm_objs);
    if (r.stm)
        g_byte_array_unref(r.stm);
    if (!ok || t->pages->len == 0) {
        bpx_page_tree_free(t);
        return NULL;
    }
    return t;
}

/* Ends an update of n_objects objects numbered from root, at offsets: its
 * cross-reference section and its trailer (catalog the new root, /Prev the
 * file's last section, the file's other trailer entries). */
static void end_update(const bpx_page_tree *t, GString *s, int root, int n_objects, int catalog,
                       const gint64 *offsets)
{
    gint64 xref = (gint64)(t->len + s->len);
    g_string_append_printf(s, "xref\n%d %d\n", root, n_objects);
    for (int k = 0; k < n_objects; k++)
        g_string_append_printf(s, "%010" G_GINT64_FORMAT " 00000 n \n", offsets[k]);
    g_string_append_printf(s,
                           "trailer\n<< /Size %d /Root %d 0 R /Prev %" G_GINT64_FORMAT, root + n_objects, catalog,
                           t->last_xref);
    g_string_append_len(s, t->trailer->str, (gssize)t->trailer->len);
    g_string_append_printf(s, " >>\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", xref);
}

/* Step 3. */
GBytes *bpx_page_tree_chunk(const bpx_page_tree *t, int first, int n)
{
    g_return_val_if_fail(first >= 0 && n > 0 && first + n <= (int)t->pages->len, NULL);
    const page_ref *pages = &g_array_index(t->pages, page_ref, first);
    /* runs of pages inheriting the same attributes: one node each */
    int runs = 0;
    for (int i = 0; i < n; i++)
        runs += i == 0 || pages[i].attrs != pages[i - 1].attrs;
    int root = t->free_num, catalog = root + 1, node = root + 2, n_objects = 2 + runs;
    GString *s = g_string_new("\n");
    gint64 *offsets = g_new(gint64, n_objects);
    offsets[0] = (gint64)(t->len + s->len);
    g_string_append_printf(s, "%d 0 obj\n<< /Type /Pages /Count %d /Kids [", root, n);
    for (int k = 0; k < runs; k++)
        g_string_append_printf(s, " %d 0 R", node + k);
    g_string_append(s, " ] >>\nendobj\n");
    offsets[1] = (gint64)(t->len + s->len);
    g_string_append_printf(s, "%d 0 obj\n<<", catalog);
    g_string_append_len(s, t->catalog->str, (gssize)t->catalog->len);
    g_string_append_printf(s, " /Pages %d 0 R >>\nendobj\n", root);
    for (int i = 0, k = 0; i < n; k++) {
        int j = i;
        while (j < n && pages[j].attrs == pages[i].attrs)
            j++;
        offsets[2 + k] = (gint64)(t->len + s->len);
        const GString *attrs = t->attrs->pdata[pages[i].attrs];
        g_string_append_printf(s, "%d 0 obj\n<< /Type /Pages /Parent %d 0 R /Count %d", node + k, root, j - i);
        g_string_append_len(s, attrs->str, (gssize)attrs->len);
        g_string_append(s, " /Kids [");
        for (; i < j; i++)
            g_string_append_printf(s, " %d %d R", pages[i].num, pages[i].gen);
        g_string_append(s, " ] >>\nendobj\n");
    }
    end_update(t, s, root, n_objects, catalog, offsets);
    g_free(offsets);
    gsize size = s->len;
    return g_bytes_new_take(g_string_free(s, FALSE), size);
}

/* Step 4.  Page index alone, turned upright: a new page object in place of
 * the file's (its own entries, /Rotate raised by turn), under a node with
 * what it inherits, in a new page tree of that page. */
GBytes *bpx_page_tree_upright(const bpx_page_tree *t, int index, int turn)
{
    g_return_val_if_fail(index >= 0 && index < (int)t->pages->len, NULL);
    const page_ref *pr = &g_array_index(t->pages, page_ref, index);
    if (pr->rotate < 0 || pr->own < 0)
        return NULL;
    int root = t->free_num, catalog = root + 1, node = root + 2, page = root + 3, n_objects = 4;
    GString *s = g_string_new("\n");
    gint64 offsets[4];
    offsets[0] = (gint64)(t->len + s->len);
    g_string_append_printf(s, "%d 0 obj\n<< /Type /Pages /Count 1 /Kids [ %d 0 R ] >>\nendobj\n", root, node);
    offsets[1] = (gint64)(t->len + s->len);
    g_string_append_printf(s, "%d 0 obj\n<<", catalog);
    g_string_append_len(s, t->catalog->str, (gssize)t->catalog->len);
    g_string_append_printf(s, " /Pages %d 0 R >>\nendobj\n", root);
    offsets[2] = (gint64)(t->len + s->len);
    const GString *attrs = t->attrs->pdata[pr->attrs];
    g_string_append_printf(s, "%d 0 obj\n<< /Type /Pages /Parent %d 0 R /Count 1", node, root);
    g_string_append_len(s, attrs->str, (gssize)attrs->len);
    g_string_append_printf(s, " /Kids [ %d 0 R ] >>\nendobj\n", page);
    offsets[3] = (gint64)(t->len + s->len);
    const GString *own = t->own->pdata[pr->own];
    g_string_append_printf(s, "%d 0 obj\n<<", page);
    g_string_append_len(s, own->str, (gssize)own->len);
    g_string_append_printf(s, " /Parent %d 0 R /Rotate %d >>\nendobj\n", node, (pr->rotate + turn % 360 + 360) % 360);
    end_update(t, s, root, n_objects, catalog, offsets);
    gsize size = s->len;
    return g_bytes_new_take(g_string_free(s, FALSE), size);
}
