/* text.c — characters into lines, and the string helpers every other file of
 * the stage uses.
 *
 * Lines: characters are sorted by their top edge and swept top to bottom; a
 * character joins the current line when it overlaps the line's vertical
 * extent by more than half its own height, otherwise it opens a new line.
 * Each line is then sorted left to right and, where asked, cut at wide gaps
 * (two table columns on one baseline are two lines).  A glyph drawn twice at
 * almost the same place (fake bold) is kept once.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "normalize/internal.h"

#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

gboolean bpn_is_cjk(gunichar c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0x20000 && c <= 0x2FFFF);
}

gboolean bpn_hangs_at_line_end(gunichar c)
{
    static const gunichar HANGING[] = {
        0xFF0C /* ， */, 0x3002 /* 。 */, 0x3001 /* 、 */, 0xFF1B /* ； */, 0xFF1A /* ： */, 0xFF01 /* ！ */,
        0xFF1F /* ？ */, 0xFF0E /* ． */, 0xFF09 /* ） */, 0x300B /* 》 */, 0x3009 /* 〉 */, 0x300D /* 」 */,
        0x300F /* 』 */, 0x3011 /* 】 */, 0x3015 /* 〕 */, 0x3017 /* 〗 */, 0x201D /* ” */, 0x2019 /* ’ */,
    };
    for (size_t i = 0; i < G_N_ELEMENTS(HANGING); i++)
        if (c == HANGING[i])
            return TRUE;
    return FALSE;
}

void bpn_line_free(gpointer p)
{
    bpn_line *l = p;
    if (!l)
        return;
    g_free(l->text);
    g_strfreev(l->ocr_alternatives);
    if (l->chars)
        g_ptr_array_unref(l->chars);
    g_free(l);
}

static int by_top(gconstpointer a, gconstpointer b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    return (x->box.y0 > y->box.y0) - (x->box.y0 < y->box.y0);
}

static int by_left(gconstpointer a, gconstpointer b)
{
    const bpx_char *x = *(const bpx_char *const *)a, *y = *(const bpx_char *const *)b;
    return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

static gboolean wordish(gunichar c)
{
    return !bpn_is_cjk(c) && g_unichar_isalnum(c);
}

/* Finishes a line: text, box, and the most common font size. */
static bpn_line *line_finish(GPtrArray *chars)
{
    bpn_line *l = g_new0(bpn_line, 1);
    l->chars = chars;
    GString *s = g_string_new(NULL);
    l->x0 = l->y0 = INFINITY;
    l->x1 = l->y1 = -INFINITY;
    double fs_sum = 0;
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *c = chars->pdata[i];
        if (i > 0) {
            const bpx_char *p = chars->pdata[i - 1];
            double fs = MAX(c->font_size, 4);
            if (c->box.x0 - p->box.x1 > 0.25 * fs && wordish(p->cp) && wordish(c->cp))
                g_string_append_c(s, ' ');
        }
        g_string_append_unichar(s, c->cp);
        l->x0 = MIN(l->x0, c->box.x0);
        l->y0 = MIN(l->y0, c->box.y0);
        l->x1 = MAX(l->x1, c->box.x1);
        l->y1 = MAX(l->y1, c->box.y1);
        fs_sum += c->font_size;
        l->color = c->color;
    }
    l->font_size = chars->len ? fs_sum / chars->len : 0;
    l->text = g_string_free(s, FALSE);
    return l;
}

static void line_emit(GPtrArray *out, GPtrArray *chars, double split_gap)
{
    g_ptr_array_sort(chars, by_left);
    GPtrArray *cur = g_ptr_array_new();
    for (guint i = 0; i < chars->len; i++) {
        const bpx_char *c = chars->pdata[i];
        if (cur->len) {
            const bpx_char *p = cur->pdata[cur->len - 1];
            double w = p->box.x1 - p->box.x0;
            /* fake bold: the same glyph again, shifted by a fraction of its width */
            if (p->cp == c->cp && fabs(c->box.x0 - p->box.x0) < 0.3 * w && fabs(c->box.y0 - p->box.y0) < 0.3 * w)
                continue;
            double fs = MAX(MAX(c->font_size, p->font_size), 4);
            if (split_gap > 0 && c->box.x0 - p->box.x1 > split_gap * fs) {
                g_ptr_array_add(out, line_finish(cur));
                cur = g_ptr_array_new();
            }
        }
        g_ptr_array_add(cur, (gpointer)c);
    }
    if (cur->len)
        g_ptr_array_add(out, line_finish(cur));
    else
        g_ptr_array_unref(cur);
}

static int line_order(gconstpointer a, gconstpointer b)
{
    const bpn_line *x = *(bpn_line *const *)a, *y = *(bpn_line *const *)b;
    double xa = (x->y0 + x->y1) / 2, ya = (y->y0 + y->y1) / 2;
    double h = MIN(x->y1 - x->y0, y->y1 - y->y0) / 2;
    if (fabs(xa - ya) > h)
        return (xa > ya) - (xa < ya);
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

GPtrArray *bpn_lines_build(GPtrArray *chars, double split_gap)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(bpn_line_free);
    if (!chars || chars->len == 0)
        return out;
    GPtrArray *sorted = g_ptr_array_sized_new(chars->len);
    for (guint i = 0; i < chars->len; i++)
        g_ptr_array_add(sorted, chars->pdata[i]);
    g_ptr_array_sort(sorted, by_top);
    GPtrArray *cur = g_ptr_array_new();
    double ly0 = 0, ly1 = 0;
    for (guint i = 0; i < sorted->len; i++) {
        const bpx_char *c = sorted->pdata[i];
        double h = MAX(c->box.y1 - c->box.y0, 1);
        if (cur->len) {
            double ov = MIN(ly1, c->box.y1) - MAX(ly0, c->box.y0);
            if (ov > 0.5 * MIN(h, ly1 - ly0)) {
                g_ptr_array_add(cur, (gpointer)c);
                ly1 = MAX(ly1, c->box.y1);
                continue;
            }
            line_emit(out, cur, split_gap);
            g_ptr_array_unref(cur);
            cur = g_ptr_array_new();
        }
        g_ptr_array_add(cur, (gpointer)c);
        ly0 = c->box.y0;
        ly1 = c->box.y1;
    }
    if (cur->len)
        line_emit(out, cur, split_gap);
    g_ptr_array_unref(cur);
    g_ptr_array_unref(sorted);
    g_ptr_array_sort(out, line_order);
    return out;
}

static gunichar last_char(const char *s)
{
    const char *e = s + strlen(s);
    return e > s ? g_utf8_get_char(g_utf8_find_prev_char(s, e)) : 0;
}

char *bpn_lines_join(GPtrArray *lines)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < lines->len; i++) {
        const bpn_line *l = lines->pdata[i];
        if (s->len && wordish(last_char(s->str)) && wordish(g_utf8_get_char(l->text)))
            g_string_append_c(s, ' ');
        g_string_append(s, l->text);
    }
    /* a cell's text lives as long as the document: not in GString's
     * 64-byte-and-up allocation */
    char *text = g_strndup(s->str, s->len);
    g_string_free(s, TRUE);
    return text;
}

/* bpn_norm of one character c: -1 when it is dropped (white space), else
 * the character it becomes. */
static gint64 norm_char(gunichar c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c = c - 0xFF01 + 0x21;
    if (g_unichar_isspace(c) || c == 0x3000)
        return -1;
    if (c == 0x201C || c == 0x201D)
        c = '"';
    else if (c == 0x2018 || c == 0x2019)
        c = '\'';
    return c;
}

/* bpn_norm was a loop that decoded each character (g_utf8_get_char),
 * changed it (norm_char) and appended it encoded again through GString:
 * some 4% of a worker's instructions on the fixtures, as normalize compares
 * every cell's text in this form.  It now reads the text as that loop did,
 * character by character from its first byte (so invalid UTF-8 is read as
 * before), and takes two kinds of character without the round trip:
 *   1. ASCII: white space (g_unichar_isspace: \t \n \f \r and space, not
 *      \v) is dropped, every other byte copied;
 *   2. a three-byte character after U+3000 and before the full-width forms
 *      (U+3001..U+FF00: CJK punctuation, kana, ideographs, Hangul): no
 *      character there is white space (Unicode's space separators are
 *      U+0020, U+00A0, U+1680, U+2000..U+200A, U+2028/9, U+202F, U+205F and
 *      U+3000) nor one norm_char changes, and its three bytes are what
 *      encoding it again gives (lead byte E3..EF and two continuation
 *      bytes: never overlong), so they are copied.
 * Every other character (full-width forms, curly quotes, other spaces,
 * two- and four-byte characters, bytes that are no character) takes the old
 * way.  The output is grown when the old way writes more than it read
 * (invalid input only).  A character cut short by the string's end stops
 * the loop (the old one read past the terminator there). */
char *bpn_norm(const char *s)
{
    size_t cap = (s ? strlen(s) : 0) + 8, o = 0;
    char *out = g_malloc(cap);
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        if (o + 7 > cap) {
            cap = 2 * cap;
            out = g_realloc(out, cap);
        }
        unsigned b = p[0];
        if (b < 0x80) {
            p++;
            if (!(b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'))
                out[o++] = (char)b;
            continue;
        }
        if (b >= 0xE3 && b <= 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            gunichar u = (gunichar)(b & 0x0F) << 12 | (gunichar)(p[1] & 0x3F) << 6 | (gunichar)(p[2] & 0x3F);
            if (u > 0x3000 && u < 0xFF01) {
                out[o++] = (char)p[0];
                out[o++] = (char)p[1];
                out[o++] = (char)p[2];
                p += 3;
                continue;
            }
        }
        gint64 c = norm_char(g_utf8_get_char((const char *)p));
        const unsigned char *next = (const unsigned char *)g_utf8_next_char(p);
        if (c >= 0)
            o += (size_t)g_unichar_to_utf8((gunichar)c, out + o);
        while (p < next && *p)
            p++;
        if (p < next)
            break;
    }
    out[o] = '\0';
    return out;
}

char *bpn_code_prefix(bpn_regex_cache *rx, const char *s)
{
    char *n = bpn_norm(s);
    char *code = bpn_rx_capture(rx, "^(\\d{3}(?:\\d{2}){0,2})[-－—]?(?=\\p{Han})", n, 1);
    g_free(n);
    return code;
}

gboolean bpn_parse_amount(const char *s, double *out)
{
    char *n = bpn_norm(s);
    char buf[64];
    size_t k = 0;
    gboolean ok = *n != 0, digits = FALSE, dot = FALSE;
    for (const char *p = n; *p && ok; p++) {
        if (*p == '-' && p == n)
            buf[k++] = '-';
        else if (*p >= '0' && *p <= '9')
            buf[k++] = *p, digits = TRUE;
        else if (*p == '.' && !dot && digits)
            buf[k++] = '.', dot = TRUE;
        else if (*p == ',' && digits && !dot)
            ;
        else
            ok = FALSE;
        if (k >= sizeof buf - 1)
            ok = FALSE;
    }
    buf[k] = 0;
    ok = ok && digits && buf[k - 1] != '.';
    if (ok && out)
        *out = g_ascii_strtod(buf, NULL);
    g_free(n);
    return ok;
}

static pcre2_code *compile(const char *pattern)
{
    int err;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
}

/* The compiled-pattern cache: pattern text -> its code and match data.
 * Compiling a pattern costs a hundred times matching it against a cell, and
 * the stage matches the same few hundred patterns against every line and
 * cell of a document.  Keyed by the pattern's text, not its address: some
 * patterns are put together at run time.  A pattern that does not compile
 * is cached too (code NULL). */
typedef struct {
    pcre2_code *code;
    pcre2_match_data *md; /* reused: one match at a time per cache */
} compiled_pattern;

struct bpn_regex_cache {
    GHashTable *by_pattern; /* char* (owned) -> compiled_pattern* (owned) */
};

static void compiled_pattern_free(gpointer p)
{
    compiled_pattern *c = p;
    pcre2_match_data_free(c->md);
    pcre2_code_free(c->code);
    g_free(c);
}

bpn_regex_cache *bpn_regex_cache_new(void)
{
    bpn_regex_cache *rx = g_new(bpn_regex_cache, 1);
    rx->by_pattern = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, compiled_pattern_free);
    return rx;
}

void bpn_regex_cache_free(bpn_regex_cache *rx)
{
    if (!rx)
        return;
    g_hash_table_destroy(rx->by_pattern);
    g_free(rx);
}

static const compiled_pattern *cached(bpn_regex_cache *rx, const char *pattern)
{
    compiled_pattern *c = g_hash_table_lookup(rx->by_pattern, pattern);
    if (!c) {
        c = g_new0(compiled_pattern, 1);
        c->code = compile(pattern);
        if (c->code)
            c->md = pcre2_match_data_create_from_pattern(c->code, NULL);
        g_hash_table_insert(rx->by_pattern, g_strdup(pattern), c);
    }
    return c;
}

/* Group `group` of code's first match in s (NULL: no match, or the group
 * took no part); md receives the match. */
static char *capture_with(const pcre2_code *code, pcre2_match_data *md, const char *s, int group)
{
    if (pcre2_match(code, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) <= group)
        return NULL;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[2 * group] == PCRE2_UNSET)
        return NULL;
    return g_strndup(s + ov[2 * group], ov[2 * group + 1] - ov[2 * group]);
}

char *bpn_rx_capture(bpn_regex_cache *rx, const char *pattern, const char *s, int group)
{
    if (!rx)
        return bpn_capture(pattern, s, group);
    const compiled_pattern *c = cached(rx, pattern);
    if (!c->code || !s)
        return NULL;
    return capture_with(c->code, c->md, s, group);
}

gboolean bpn_rx_match(bpn_regex_cache *rx, const char *pattern, const char *s)
{
    if (!rx)
        return bpn_match(pattern, s);
    const compiled_pattern *c = cached(rx, pattern);
    return c->code && s && pcre2_match(c->code, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, c->md, NULL) > 0;
}

char *bpn_capture(const char *pattern, const char *s, int group)
{
    pcre2_code *re = compile(pattern);
    if (!re || !s) {
        pcre2_code_free(re);
        return NULL;
    }
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    char *res = capture_with(re, md, s, group);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return res;
}

gboolean bpn_match(const char *pattern, const char *s)
{
    char *m = bpn_capture(pattern, s, 0);
    gboolean ok = m != NULL;
    g_free(m);
    return ok;
}

int bpn_numeral_value(const char *s)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (!s || !*s)
        return 0;
    if (g_ascii_isdigit(*s))
        return atoi(s);
    int total = 0, cur = -1;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        int d = -1;
        for (int i = 0; i < 10; i++)
            if (strncmp(p, digits[i], strlen(digits[i])) == 0)
                d = i;
        if (d >= 0) {
            cur = d;
        } else if (strncmp(p, "十", strlen("十")) == 0) {
            total += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
        } else {
            break;
        }
    }
    if (cur > 0)
        total += cur;
    return total;
}

/* Levenshtein distance between two strings of code points, or G_MAXINT
 * when over limit (enough to know it is too far).  The one the OCR
 * repairs share: catalogue labels, title forms, form words. */
int bpn_edit_distance(const gunichar *a, glong na, const gunichar *b, glong nb, int limit)
{
    if (labs(na - nb) > limit)
        return G_MAXINT;
    int *prev = g_new(int, nb + 1), *cur = g_new(int, nb + 1);
    for (glong j = 0; j <= nb; j++)
        prev[j] = (int)j;
    for (glong i = 1; i <= na; i++) {
        cur[0] = (int)i;
        for (glong j = 1; j <= nb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            cur[j] = MIN(sub, MIN(prev[j] + 1, cur[j - 1] + 1));
        }
        int *sw = prev;
        prev = cur, cur = sw;
    }
    int d = prev[nb];
    g_free(prev);
    g_free(cur);
    return d <= limit ? d : G_MAXINT;
}
