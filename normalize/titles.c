/* titles.c — OCR'd table titles checked against the vocabulary's title forms.
 *
 * A table's kind, and with it the headline figures the summary reads from
 * the 收支总表, the 支出总表 and the 三公 table, comes from its title
 * (bpn_vocab_kind).  OCR misreads the tall thin serif glyphs of titles
 * (文出预算总表 for 支出预算总表, 收支预算总和 for 收支预算总表): one wrong
 * ideograph and the kind is lost.  The vocabulary's title forms
 * (bpn_vocab_title_forms) are a dictionary for them.
 *
 * How it works:
 *  1. bpn_ocr_lines_attach() (as a page's lines are made): the extract stage
 *     read each tall line of an OCR page a second time, shrunk (extract/ocr.c,
 *     step 11); the lines standing in its box whose glyphs, left to right,
 *     are that line's page-level reading (all of them but glyphs the noise
 *     filter took for specks, at least half) are one line (the pieces the
 *     pass cut a wide-set title into are joined), and it gets the other
 *     reading as line->ocr_alternatives.
 *  2. bpn_title_snap(): a reading is split as a title is read
 *     (split_title()): its label and year (预算01表, 表一, 2019年), its core,
 *     and from the first bracket on (（功能科目）, or a bracket OCR read as
 *     《 〈 【 <; after the 表 before a closing bracket whose opening one OCR
 *     lost) its scope.  The core's ideographs are compared with each
 *     form's (bpn_edit_distance(): Levenshtein over characters; punctuation and
 *     quotes, which OCR adds and drops, are not compared).  The nearest form
 *     is taken when it is within a quarter of its ideographs (at least one;
 *     a third let a partial reading of 财政拨款政府性基金支出预算表,
 *     基金支出预算表, become 项目支出预算表) and no form of another kind is
 *     as near; a core that does not end as
 *     the form does (表) must be as long and within a quarter of it less
 *     one (a heading 一般公共预算支出, a label 收支总计 are no titles).  The
 *     reading becomes label and year as read, the form, the scope as read.
 *  3. bpn_ocr_titles_fix() (before the tables are built, and only with OCR
 *     repair on): the lines a table's heading is read from (tables.c: those
 *     above a grid on its page down to the previous grid, and the last
 *     lines of the page before when the grid stands at the top) on OCR
 *     pages: of the line's reading and its alternatives, the one whose
 *     snap is nearest (the line's own first among equals) is the title;
 *     where that changes the line's text, the text is replaced and a repair
 *     "ocr_title" records both (from: as OCR read the line, to: the title).
 *     A line no reading of which is near a form is left as read; so is one
 *     whose readings are near forms of two kinds (each reading dropped or
 *     misread other glyphs: 财政拨款政“一基金支出预算表 and 财政拨款基金
 *     支出预算表 for 财政拨款政府性基金支出预算表, the second a glyph from
 *     财政拨款基本支出预算表), with a warning naming both.
 * Why a repair and not the reading kept beside a kind: the text OCR gave
 * is not what is printed; the form is, and the repair keeps the reading.
 *
 * What it misses: a title outside the vocabulary (it keeps its reading,
 * however misread); a core misread in more than a quarter of its ideographs;
 * a misread equally near two kinds (收文预算总表: 收支 or 收入预算总表, the
 * second reading has to settle it); the scope in brackets, kept as read.
 * And it can be wrong: a reading that lost glyphs may land nearer another
 * form than its own (财政拨款基金支出预算表, 政府性 lost, is one glyph from
 * 财政拨款基本支出预算表); only a second reading near its own form
 * catches that, as doubt.  The repair names the reading for a reviewer.
 */
#include "normalize/internal.h"

#include <string.h>

/* ---------------------------------------------------- 1: the other reading */

/* s without white space. */
static char *squeeze(const char *s)
{
    GString *o = g_string_new(NULL);
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isspace(c) && c != 0x3000)
            g_string_append_unichar(o, c);
    }
    return g_string_free(o, FALSE);
}

static gint by_x0(gconstpointer a, gconstpointer b)
{
    const bpn_line *x = *(const bpn_line *const *)a, *y = *(const bpn_line *const *)b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/* Joins the lines pieces[1..] into pieces[0] (text, box, glyphs). */
static void join_pieces(GPtrArray *pieces)
{
    bpn_line *first = pieces->pdata[0];
    GString *text = g_string_new(first->text);
    for (guint i = 1; i < pieces->len; i++) {
        const bpn_line *l = pieces->pdata[i];
        g_string_append(text, l->text);
        first->x0 = MIN(first->x0, l->x0), first->y0 = MIN(first->y0, l->y0);
        first->x1 = MAX(first->x1, l->x1), first->y1 = MAX(first->y1, l->y1);
        first->font_size = MAX(first->font_size, l->font_size);
        for (guint k = 0; l->chars && first->chars && k < l->chars->len; k++)
            g_ptr_array_add(first->chars, l->chars->pdata[k]);
    }
    g_free(first->text);
    first->text = g_string_free(text, FALSE);
}

/* Whether the characters of a stand in b in that order. */
static gboolean subsequence(const char *a, const char *b)
{
    const char *q = b;
    for (const char *p = a; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        while (*q && g_utf8_get_char(q) != c)
            q = g_utf8_next_char(q);
        if (!*q)
            return FALSE;
        q = g_utf8_next_char(q);
    }
    return TRUE;
}

void bpn_ocr_lines_attach(const bpx_page *page, GPtrArray *lines)
{
    if (!page->ocr)
        return;
    for (size_t k = 0; k < page->n_ocr_lines; k++) {
        const bpx_ocr_reading *r = &page->ocr_lines[k];
        if (!r->alternatives || !r->alternatives[0])
            continue;
        /* the lines standing in the reading's box, left to right */
        GPtrArray *pieces = g_ptr_array_new();
        for (guint i = 0; i < lines->len; i++) {
            bpn_line *l = lines->pdata[i];
            double mx = (l->x0 + l->x1) / 2, my = (l->y0 + l->y1) / 2;
            if (mx >= r->box.x0 - 1 && mx <= r->box.x1 + 1 && my >= r->box.y0 - 1 && my <= r->box.y1 + 1)
                g_ptr_array_add(pieces, l);
        }
        g_ptr_array_sort(pieces, by_x0);
        GString *joined = g_string_new(NULL);
        for (guint i = 0; i < pieces->len; i++) {
            char *t = squeeze(((bpn_line *)pieces->pdata[i])->text);
            g_string_append(joined, t);
            g_free(t);
        }
        char *read = squeeze(r->text);
        /* they are that reading (the same glyphs where it stood, but those
         * the noise filter took for specks): one line, which the other
         * reading is of */
        if (pieces->len && 2 * g_utf8_strlen(joined->str, -1) >= g_utf8_strlen(read, -1) &&
            subsequence(joined->str, read)) {
            bpn_line *first = pieces->pdata[0];
            if (pieces->len > 1) {
                join_pieces(pieces);
                for (guint i = 1; i < pieces->len; i++)
                    g_ptr_array_remove(lines, pieces->pdata[i]);
            }
            if (!first->ocr_alternatives)
                first->ocr_alternatives = g_strdupv(r->alternatives);
        }
        g_free(read);
        g_string_free(joined, TRUE);
        g_ptr_array_unref(pieces);
    }
}

/* ----------------------------------------------------------------- 2: snap */

static gboolean ideograph(gunichar c)
{
    return g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN;
}

/* Brackets OCR reads for the full-width round ones. */
static gboolean opening_bracket(gunichar c)
{
    return c == '(' || c == 0xFF08 || c == 0x300A || c == 0x3008 || c == 0x3010 || c == '[' || c == 0x3014 || c == '<' ||
           c == 0xFF1C;
}

static gboolean closing_bracket(gunichar c)
{
    return c == ')' || c == 0xFF09 || c == 0x300B || c == 0x3009 || c == 0x3011 || c == ']' || c == 0x3015 || c == '>' ||
           c == 0xFF1E;
}

/* The ideographs of s, as UCS-4 (*n of them).  Caller frees. */
static gunichar *ideographs(const char *s, gssize len, glong *n)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(gunichar));
    const char *end = len < 0 ? s + strlen(s) : s + len;
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (ideograph(c))
            g_array_append_val(a, c);
    }
    *n = (glong)a->len;
    return (gunichar *)(void *)g_array_free(a, FALSE);
}

/* The label and year a title starts with, as tables.c and vocab.c read
 * them (comparison form), after any marks OCR put before them. */
#define LEAD_RE                                                                                                      \
    "^([^\\p{Han}\\d]*(?:(?:部门|单位)?(?:预算|决算)?公开表\\d+(?:-\\d+)?|(?:部门|单位)?(?:预算|决算)?公开\\d+表(?:-\\d+)?"        \
    "|(?:预算|决算)\\d+表(?:-\\d+)?|(?:附|预算|决算)?表\\d+(?:-\\d+)?|表[一二三四五六七八九十]+(?:-\\d+)?)?[:：]?"   \
    "(?:\\d{4}年度?)?)"

/* Splits text into its lead (label, year), core and scope (from the first
 * bracket), as byte offsets: core is [*core, *scope). */
static void split_title(bpn_regex_cache *rx, const char *text, gsize *core, gsize *scope)
{
    char *n = bpn_norm(text);
    char *lead = bpn_rx_capture(rx, LEAD_RE, n, 1);
    glong lead_ideographs = 0;
    g_free(ideographs(lead ? lead : "", -1, &lead_ideographs));
    gboolean lead_digits = lead && strpbrk(lead, "0123456789") != NULL;
    g_free(lead);
    g_free(n);
    /* the lead's ideographs (and digits) as printed */
    const char *p = text;
    glong seen = 0;
    while (*p && seen < lead_ideographs) {
        if (ideograph(g_utf8_get_char(p)))
            seen++;
        p = g_utf8_next_char(p);
    }
    if (lead_ideographs || lead_digits)
        while (*p && !ideograph(g_utf8_get_char(p)) && !opening_bracket(g_utf8_get_char(p)))
            p = g_utf8_next_char(p);
    else
        while (*p && (g_unichar_isspace(g_utf8_get_char(p)) || g_utf8_get_char(p) == 0x3000))
            p = g_utf8_next_char(p);
    *core = (gsize)(p - text);
    const char *last_table = NULL; /* after the last 表 before a closing bracket */
    while (*p && !opening_bracket(g_utf8_get_char(p))) {
        if (closing_bracket(g_utf8_get_char(p)) && last_table)
            break;
        if (g_utf8_get_char(p) == 0x8868) /* 表 */
            last_table = g_utf8_next_char(p);
        p = g_utf8_next_char(p);
    }
    /* a closing bracket whose opening one OCR lost (预算表一般公共预算)):
     * the scope starts after the 表 before it */
    if (*p && closing_bracket(g_utf8_get_char(p)))
        p = last_table;
    *scope = (gsize)(p - text);
}

char *bpn_title_snap(bpn_regex_cache *rx, const char *text, int *distance)
{
    if (!text)
        return NULL;
    gsize core, scope;
    split_title(rx, text, &core, &scope);
    glong n = 0;
    gunichar *u = ideographs(text + core, (gssize)(scope - core), &n);
    const char *const *forms = bpn_vocab_title_forms();
    const char *best = NULL;
    int best_d = G_MAXINT;
    gboolean tied = FALSE;
    for (int i = 0; n >= 3 && forms[i]; i++) {
        glong m = 0;
        gunichar *f = ideographs(forms[i], -1, &m);
        int d = bpn_edit_distance(u, n, f, m, G_MAXINT);
        /* a title ends as its form does (表); one that does not is a
         * heading or a label unless the rest is all but the form */
        int limit = u[n - 1] == f[m - 1] ? MAX(1, (int)m / 4) : n >= m ? ((int)m - 1) / 4 : -1;
        g_free(f);
        if (d > limit)
            continue;
        if (d < best_d) {
            best = forms[i];
            best_d = d;
            tied = FALSE;
        } else if (d == best_d && strcmp(bpn_vocab_kind(rx, forms[i]), bpn_vocab_kind(rx, best)) != 0) {
            tied = TRUE;
        }
    }
    g_free(u);
    if (!best || tied)
        return NULL;
    if (distance)
        *distance = best_d;
    GString *out = g_string_new_len(text, (gssize)core);
    g_string_append(out, best);
    g_string_append(out, text + scope);
    char *s = g_string_free(out, FALSE);
    char *stripped = g_strdup(g_strstrip(s));
    g_free(s);
    return stripped;
}

/* ----------------------------------------------------------- 3: the lines */

static gboolean int_in(const GArray *a, int v)
{
    for (guint i = 0; a && i < a->len; i++)
        if (g_array_index(a, int, i) == v)
            return TRUE;
    return FALSE;
}

/* Snaps the line of b to a title form (step 3 above). */
static void title_fix(bpn_document *doc, bpn_block *b)
{
    bpn_line *l = b->line;
    if (g_utf8_strlen(l->text, -1) > 60)
        return;
    char *chosen = NULL, *other = NULL;
    int chosen_d = G_MAXINT;
    guint n_alt = l->ocr_alternatives ? g_strv_length(l->ocr_alternatives) : 0;
    for (guint k = 0; k <= n_alt; k++) {
        const char *reading = k == 0 ? l->text : l->ocr_alternatives[k - 1];
        int d = 0;
        char *snapped = bpn_title_snap(doc->rx, reading, &d);
        /* two readings near forms of two kinds: the line is in doubt */
        if (snapped && chosen && !other &&
            strcmp(bpn_vocab_kind(doc->rx, snapped), bpn_vocab_kind(doc->rx, chosen)) != 0)
            other = g_strdup(snapped);
        if (snapped && d < chosen_d) {
            g_free(chosen);
            chosen = g_steal_pointer(&snapped);
            chosen_d = d;
        }
        g_free(snapped);
    }
    if (other) {
        bpn_warn(doc, b->page, "OCR'd title in doubt: \"%s\" read as %s and as %s; kept as read", l->text, chosen,
                 other);
        g_clear_pointer(&chosen, g_free);
        g_free(other);
    }
    if (chosen && strcmp(chosen, l->text) != 0) {
        bpn_repair_add(doc, "ocr_title", b->page, l->text, chosen);
        g_free(l->text);
        l->text = g_steal_pointer(&chosen);
    }
    g_free(chosen);
}

void bpn_ocr_titles_fix(bpn_document *doc, GPtrArray *blocks)
{
    const GArray *ocr = doc->source.ocr_pages;
    guint since = 0; /* first block after the previous grid */
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *g = blocks->pdata[i];
        bpn_block_touch(g);
        if (!g->grid)
            continue;
        guint from = since;
        since = i + 1;
        if (g->used || !int_in(ocr, g->page))
            continue;
        for (guint j = i; j-- > from;) {
            bpn_block *l = blocks->pdata[j];
            if (l->grid || l->page != g->page)
                break;
            title_fix(doc, l);
        }
        /* a title at the foot of the page before (tables.c reads up to
         * four of its lines) */
        if (g->grid->y0 < 0.3 * g->page_height) {
            int seen = 0;
            for (guint j = i; j-- > from && seen < 4;) {
                bpn_block *l = blocks->pdata[j];
                if (l->grid || l->page < g->page - 1)
                    break;
                if (l->page == g->page - 1 && int_in(ocr, l->page)) {
                    title_fix(doc, l);
                    seen++;
                }
            }
        }
    }
}
