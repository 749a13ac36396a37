/* formocr.c — performance-target forms read by OCR, mended by what the
 * form's vocabulary and the document itself know.
 *
 * A form is read by its printed labels (forms.c), and OCR misreads an
 * ideograph of a label now and then (填报日其, 服务对象满章度), or reads a
 * speck beside it as a mark (满意度指,.标, 社会效益指"标).  A form whose
 * 项目名称 is misread is not seen as a form, or is named by its title; a
 * 一级 or 二级 label misread is an indicator lost.  And a project's name
 * is printed more than once in a disclosure: in its form and in the
 * 项目支出 table, and an indicator's texts twice, on both sides.  Every
 * replacement below is a repair naming both texts,
 * and none is made with --no-ocr-repair.
 *
 *  1. bpn_form_ocr_snap(): for a grid on a page read by OCR, each cell
 *     whose text is a near miss of a word of the form vocabulary
 *     (form_vocab.c: labels, 一级 and 二级 words, the indicator header's
 *     words) is given that word.  The comparison takes the cell's text in
 *     comparison form (bpn_norm) without the marks a speck is read as
 *     (stray_mark(): ASCII punctuation but brackets, middle dots); a cell
 *     equal to a word but for such marks takes the word, and so does a
 *     cell within one character (two for words of eight and more) of
 *     exactly one word (edit_distance()), that is no word itself and holds
 *     no digit.  A word of the header block (项目名称 …) is taken only by
 *     the first cell with text in its row, where labels stand: a 三级指标
 *     text in the middle of a row ("项目周期") is no misread 项目日期.
 *     Words shorter than four characters are never matched loosely.  A
 *     label of two lines read bottom line first ("指标效益") is the one
 *     word it turns into at a character, and a label of two lines whose
 *     glyphs the engine interleaved ("服意务度对指象满") the word, or the
 *     word's beginning of six glyphs at least, whose glyphs it holds in
 *     another order (sorted_glyphs()).
 *     forms.c calls it before it surveys a grid, and keeps the new texts
 *     (bpn_form_ocr_snap_keep(): repair "ocr_label_by_vocabulary") only
 *     when the grid is read as part of a form; a table keeps its cells.
 *     In a row, two 三级指标 side by side are a 二级指标 misread and the
 *     三级指标, two 一级指标 the 一级 and a 二级 misread (header_order(): the
 *     header's words stand in order, each once per side); in a row of
 *     three header words at least, a cell of three characters one off a
 *     header word of three (指标什) is that word.
 *     In the same pass, an indicator value read as 二 or 三 before its
 *     digits ("二98%"), or =>, is the sign ≥, which Tesseract's Chinese
 *     model does not know and reads so (repair "ocr_value_lookalike"; the
 *     values of indicators written as text, bpn_forms_ocr_consensus()); a cell first in
 *     its row, or with anything but an amount and a short unit after the
 *     sign, is left alone.  Any other cell of the grid loses the marks a
 *     speck adds to text (text_despeckled(): a point, comma, colon or
 *     quote right after 、 ， , ： or /, or a point or quote before one,
 *     "4480元,.3920元", "能力，:提高", "5000元/床/.年";
 *     a quote between two ideographs, "保'留"; repair "ocr_speck_removed").
 *  2. bpn_forms_ocr_names(): a mark between two ideographs, or between an
 *     ideograph and a bracket, of the name of a form read by OCR is a speck
 *     ("综合改革),补助资金": Chinese print sets a full-width comma, which
 *     the engine reads as one) and goes (repair "ocr_speck_removed").
 *     Then a form read by OCR (after the tables are read) whose 项目名称
 *     is not printed in any table cell takes the text of exactly one
 *     table cell within a small edit distance of it
 *     (one character in eight, at least one) that is itself clean (no
 *     stray mark between two ideographs, as a speck is read), and that
 *     the document's texts support better (table_reading_better(): as
 *     long, each character it differs in printed beside the neighbours
 *     more often than the form's, count_pairs()): repair
 *     "ocr_name_by_table".  The two readings disagree in a character or
 *     two; the table's is taken only when it is the one reading of that
 *     name there, so a table whose name is misread the same way (or worse)
 *     changes nothing.  The table is OCR'd as well and as often the one
 *     misread (scanned fixture 001: 11 of 14 names taken from the table
 *     were wrong — 产重 for 严重, 维运 for 维护, 卫生监督挤 — or printed
 *     otherwise, 鉴定经费 for the form's 鉴定费).
 *  3. bpn_forms_ocr_consensus(): a form prints most indicators on both
 *     sides, 实施期 and 年度, so OCR reads their texts twice.  A period
 *     indicator is paired with the annual one of its 二级 whose 三级指标
 *     reads nearest (edit_distance(), one character in five; alone so).
 *     Where the two readings have the same length and differ only in
 *     ideographs, each place they differ is settled by the document: the
 *     pairs each candidate makes with its neighbours are counted in all
 *     the document's texts (forms, table cells, sections: count_pairs()),
 *     and a candidate printed at least four pairs more often than the
 *     other, and three times as often, goes into both readings (settle_pair(); repair
 *     "ocr_reading_by_context", "较土年降低" by "较上年降低").  Values are
 *     settled only for a pair whose 三级指标 reads alike, of four
 *     characters and more, one ideograph apart (or one cut off, eight
 *     characters at least, compared over the shorter): a period's value
 *     and a year's differ in print often enough.  Digits are never chosen
 *     so.
 *     Before that, each indicator of a form read by OCR is tidied: marks
 *     at the ends of its 三级指标 and value (trim_end_specks(): "补助单位.",
 *     "`214人/年"; comparison and per cent signs, brackets and a minus
 *     before digits are print) go, and a 一级 or 二级 that is no word of
 *     the vocabulary takes the word it is a near miss of, after an item's
 *     number or marks before it ("6.效益指标", snap_level()); repairs
 *     "ocr_speck_removed" and "ocr_label_by_vocabulary".
 *     Before the counts, the marks (settle_marks(), marks_settled()): the
 *     two readings of a pair (三级指标, and values of a pair whose 三级指标
 *     read alike or one cut off) are aligned by edit distance, the longer's
 *     end free when the shorter may be its beginning cut off; where one
 *     reads an ASCII mark and the other a mark of Chinese print (、 read
 *     as : or .) both take the print's, and a speck's mark in one reading
 *     only goes (lone_mark(): an ASCII mark not between digits nor a
 *     comparison sign (">=310人" beside ">310人" stays), a comma or
 *     colon only before an ideograph and where the other side prints none,
 *     a lone curly quote, a 、 or ， between two ideographs the document
 *     prints side by side twice and with the mark nowhere else: "收、集");
 *     the ideographs they still differ in go to the counts (repair
 *     "ocr_marks_by_other_side").  A 、 in one reading only between
 *     ideographs the document prints apart too seldom is no speck to tell
 *     ("能、力"): such a pair keeps its marks.
 *     Each form's indicators are tidied first: what OCR made of no
 *     indicator goes (not_an_indicator(): a lone stroke or mark with no
 *     三级指标, a speck in an empty row; a 三级 of three characters at most
 *     with no value that makes a 二级 word with the 二级, the wrapped
 *     label's last line: repair "ocr_speck_removed", to ""), and a 二级 OCR
 *     could not read (a wrapped label over the rules of a cell too low:
 *     "红而双鱼垣标"), no word nor a word's beginning, takes the other
 *     side's 二级 for the same 一级 and 三级指标 (or its cut beginning)
 *     when that side reads a word, as long within two characters, and all
 *     such agree (level2_by_other_side(): repair "ocr_label_by_other_side");
 *     where the other side prints no such row, the 二级 word of its 一级
 *     (form_vocab.c form_level2_parents) it is nearest, within an edit per
 *     two characters and two edits nearer than any other word of the 一级
 *     (level2_by_level1(): repair "ocr_label_by_vocabulary").
 *     A value's per cent sign read as 9% ("≥709%", "1009%") is put right
 *     where the digits but that 9 make a rate of 50 to 100
 *     (percent_lookalike(); repair "ocr_value_lookalike").
 *     Then a value's beginning by the document (value_starts_by_document()):
 *     ≥ or ≤, which the engine reads as one or two other glyphs before
 *     the digits ("过98%", "=98%", ">97%"), is the sign the document prints
 *     before the same rest for an indicator of the same 三级指标 (another
 *     form, the other side), one sign only; a dash before a value's text
 *     ("一较上年下降", a speck or a rule's end) goes where the document
 *     prints the rest alone for that 三级指标 (repair "ocr_value_lookalike").
 *     With the same counts, a form's name (settle_name()): an ideograph
 *     inside it that the document prints nowhere else, neither beside its
 *     neighbours there nor at all (补且资金), takes the one ideograph
 *     printed elsewhere between those two neighbours, four times at least
 *     and three times as often as any other (补助资金: repair
 *     "ocr_name_by_context").  A name a table prints is counted there,
 *     and stays; so does an ideograph the document knows (和 in one name,
 *     及 in the next), which would make two projects one.
 *     Where the readings of a name disagree and the counts cannot decide
 *     (预拨 read 预氢 eleven times, 预拔 six, 预拨 once: the misreadings
 *     outvote it), settle_name_by_vocabulary(): an ideograph of the name
 *     the domain's vocabulary never prints (vocabulary_ideographs(): the
 *     template's labels and titles, the catalogue's names, the forms'
 *     words), at a place the document reads three ways at least, takes
 *     the one vocabulary ideograph the document prints at that place — the place read with it, two ideographs either side,
 *     printed so in the document (document_visit()): 预拨剩余, not 应急
 *     for 紧急 because 市应急 is printed elsewhere (repair
 *     "ocr_name_by_vocabulary").
 *
 * What it misses: a 二级 unreadable on both sides (a 满意度 label wrapped
 * on both sides, "吸方双鹏/网忌度"); a sign misread where the document
 * prints the value with its sign nowhere (a form of one side: "=98%"
 * stays, = is print too); marks misread on both sides, or differently
 * (、 read ， on one side and : on the other); a label misread by more
 * than the thresholds, or glued
 * to its value in one cell; a name misread the same way everywhere in the
 * document, or as a glyph the vocabulary prints; a name in no table (a disclosure of
 * forms only) misread as a glyph the document prints elsewhere, or whose
 * context it prints too seldom; misread ideographs of 三级指标 and value texts, which no
 * vocabulary holds, unless the two sides differ (consensus), and there a
 * glyph misread the same way on both sides, or nearly everywhere in the
 * document (its misreading then outvotes it, and nothing changes).
 */
#include "normalize/internal.h"
#include "normalize/form_vocab.h"

#include <stdlib.h>
#include <string.h>

/* A mark a speck on a scan is read as: ASCII punctuation but brackets, and
 * the middle dot.  、 and full-width marks are print. */
static gboolean stray_mark(gunichar c)
{
    return (c < 0x80 && g_ascii_ispunct((int)c) && c != '(' && c != ')' && c != '%') || c == 0x00B7;
}

/* s (comparison form) without stray marks; newly allocated. */
static char *without_strays(const char *s)
{
    GString *o = g_string_new(NULL);
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!stray_mark(c))
            g_string_append_unichar(o, c);
    }
    return g_string_free(o, FALSE);
}

/* Edit distance between a and b (UTF-8) in characters, or G_MAXINT when
 * over limit. */
static int edit_distance(const char *sa, const char *sb, int limit)
{
    glong na = 0, nb = 0;
    gunichar *a = g_utf8_to_ucs4_fast(sa, -1, &na), *b = g_utf8_to_ucs4_fast(sb, -1, &nb);
    int d = bpn_edit_distance(a, na, b, nb, limit);
    g_free(a);
    g_free(b);
    return d;
}

/* The vocabulary a cell is compared with: each word and whether it is a
 * label of the header block (taken only first in a row). */
typedef struct {
    const char *word;
    gboolean head;
} vocab_word;

static GArray *form_vocabulary(void)
{
    GArray *v = g_array_new(FALSE, FALSE, sizeof(vocab_word));
    for (size_t i = 0; i < form_n_labels; i++) {
        vocab_word w = {form_labels[i].text, IS_HEAD_LABEL(form_labels[i].kind)};
        g_array_append_val(v, w);
    }
    for (size_t i = 0; i < form_n_level1_words; i++)
        g_array_append_val(v, ((vocab_word){form_level1_words[i], FALSE}));
    for (size_t i = 0; i < form_n_level2_words; i++)
        g_array_append_val(v, ((vocab_word){form_level2_words[i], FALSE}));
    for (size_t i = 0; i < form_n_header_words; i++)
        g_array_append_val(v, ((vocab_word){form_header_words[i].text, FALSE}));
    g_array_append_val(v, ((vocab_word){"绩效指标", TRUE}));
    return v;
}

/* The glyphs of s sorted: what two orders of the same glyphs share. */
static char *sorted_glyphs(const char *s)
{
    glong len = 0;
    gunichar *u = g_utf8_to_ucs4_fast(s, -1, &len);
    for (glong i = 1; i < len; i++)
        for (glong j = i; j > 0 && u[j - 1] > u[j]; j--) {
            gunichar t = u[j];
            u[j] = u[j - 1], u[j - 1] = t;
        }
    char *key = g_ucs4_to_utf8(u, len, NULL, NULL, NULL);
    g_free(u);
    return key;
}

/* The word of v that the cell text n (comparison form) is a near miss of,
 * or NULL (see 1. above). */
static const char *near_word(const GArray *v, const char *n, gboolean first_in_row, size_t *len_out)
{
    *len_out = 0;
    if (bpn_match("[0-9]", n))
        return NULL;
    /* a word of the vocabulary as printed, wherever it stands, is itself
     * ("年度目标" beside 实施期目标 is no 年度目标值 misread) */
    for (guint i = 0; i < v->len; i++)
        if (strcmp(n, g_array_index(v, vocab_word, i).word) == 0)
            return NULL;
    char *core = without_strays(n);
    /* a trailing colon belongs to the label ("填报日期：") */
    size_t cl = strlen(core);
    const char *hit = NULL;
    int best = G_MAXINT, ties = 0;
    for (guint i = 0; i < v->len && best > 0; i++) {
        const vocab_word *w = &g_array_index(v, vocab_word, i);
        if (w->head && !first_in_row)
            continue;
        if (strcmp(core, w->word) == 0 || strcmp(n, w->word) == 0) {
            hit = strcmp(n, w->word) == 0 ? NULL : w->word; /* a word as printed: nothing to do */
            best = 0;
            ties = 1;
            break;
        }
        glong len = g_utf8_strlen(w->word, -1);
        if (len < 4 || cl == 0)
            continue;
        int d = edit_distance(core, w->word, len >= 8 ? 2 : 1);
        if (d < best)
            best = d, hit = w->word, ties = 1;
        else if (d == best && d != G_MAXINT && strcmp(hit, w->word) != 0)
            ties++;
    }
    if (best == G_MAXINT && cl > 0) {
        /* a label of two lines read bottom line first ("指标效益" for
         * 效益指标): the word turned at a character */
        ties = 0;
        for (guint i = 0; i < v->len; i++) {
            const vocab_word *w = &g_array_index(v, vocab_word, i);
            glong len = g_utf8_strlen(w->word, -1);
            if ((w->head && !first_in_row) || len < 4 || strlen(w->word) != cl)
                continue;
            for (glong k = 1; k < len; k++) {
                const char *cut = g_utf8_offset_to_pointer(w->word, k);
                size_t head = (size_t)(cut - w->word);
                if (strncmp(core, cut, cl - head) == 0 && strncmp(core + (cl - head), w->word, head) == 0 &&
                    (!hit || strcmp(hit, w->word) != 0)) {
                    hit = w->word, best = 1, ties++;
                    break;
                }
            }
        }
    }
    if (best == G_MAXINT && cl > 0) {
        /* a label of two lines whose glyphs the engine interleaved
         * ("服意务度对指象满" for 服务对象满意度指): the glyphs of exactly one
         * word, or of a word's beginning of six glyphs at least cut off at
         * a fixed width, in another order; the word (or beginning) */
        ties = 0;
        char *key = sorted_glyphs(core);
        glong n = g_utf8_strlen(core, -1);
        for (guint i = 0; i < v->len && n >= 4; i++) {
            const vocab_word *w = &g_array_index(v, vocab_word, i);
            glong wn = g_utf8_strlen(w->word, -1);
            if ((w->head && !first_in_row) || wn < n || (wn > n && n < 6))
                continue;
            char *begin = g_strndup(w->word, (gsize)(g_utf8_offset_to_pointer(w->word, n) - w->word));
            char *k2 = sorted_glyphs(begin);
            if (strcmp(key, k2) == 0 && (!hit || strncmp(hit, begin, strlen(begin)) != 0 || *len_out != strlen(begin))) {
                hit = w->word, best = 1, ties++;
                *len_out = strlen(begin);
            }
            g_free(k2);
            g_free(begin);
        }
        g_free(key);
    }
    g_free(core);
    if (best == G_MAXINT || ties != 1)
        return NULL;
    if (!*len_out)
        *len_out = strlen(hit);
    return hit;
}

/* ≥ read as 二 or 三 before the digits of a value ("二98%", "三310人"),
 * or as => (its two strokes apart: no print spells ≥ so, as >= does):
 * the value with the sign put back, or NULL. */
static char *value_sign(const char *printed)
{
    if (!bpn_match("^\\s*(?:[二三]|=>)\\s*[0-9]+(\\.[0-9]+)?\\s*(%|％|‰|[^0-9\\s]{1,3})?\\s*$", printed))
        return NULL;
    const char *p = printed;
    while (g_unichar_isspace(g_utf8_get_char(p)))
        p = g_utf8_next_char(p);
    return g_strconcat("≥", g_str_has_prefix(p, "=>") ? p + 2 : g_utf8_next_char(p), NULL);
}

/* A mark a speck adds to text: a point, comma or quote next to a mark of
 * the text (、 ， , ： and the / of a unit), a colon after one
 * ("4480元,.3920元", "4480元、,3360元", "能力，:提高", "床/.年": the second
 * goes), or a
 * quote between two ideographs ("保'留").  printed without them, or NULL
 * when it has none.  Digits keep their points and commas ("1,000.5"). */
static gboolean separator(gunichar c)
{
    return c == 0x3001 || c == 0xFF0C || c == ',' || c == 0xFF1A || c == '/';
}

static char *text_despeckled(const char *printed)
{
    glong n = 0;
    gunichar *u = g_utf8_to_ucs4_fast(printed, -1, &n);
    GString *o = g_string_new(NULL);
    gboolean cut = FALSE;
    for (glong i = 0; i < n; i++) {
        gunichar c = u[i], prev = i > 0 ? u[i - 1] : 0, next = i + 1 < n ? u[i + 1] : 0;
        gboolean speck = FALSE;
        if (c == '.' || c == ',' || c == '\'' || c == '`' || c == '"' || c == ':')
            speck = (separator(prev) && !(c == ',' && prev == ',')) ||
                    (c != ',' && c != '"' && c != ':' && separator(next) && !g_unichar_isdigit(prev));
        if ((c == '\'' || c == '`' || c == '"') && bpn_is_cjk(prev) && bpn_is_cjk(next))
            speck = TRUE;
        if (speck) {
            cut = TRUE;
            continue;
        }
        g_string_append_unichar(o, c);
    }
    g_free(u);
    if (!cut) {
        g_string_free(o, TRUE);
        return NULL;
    }
    return g_string_free(o, FALSE);
}

static bpn_form_snap *snap_set(bpn_form_snap *out, int n, int i, char *to, const char *kind)
{
    if (!out) {
        out = g_new0(bpn_form_snap, 1);
        out->n = n;
        out->text = g_new0(char *, n);
        out->kind = g_new0(const char *, n);
    }
    g_free(out->text[i]);
    out->text[i] = to;
    out->kind[i] = kind;
    return out;
}

/* The indicator header's level words stand in order, each once per side
 * (一级指标 | 二级指标 | 三级指标 | 指标值 …): in row r, two 三级指标 side by
 * side are a misread 二级指标 and the 三级指标 (the digits 二 and 三 differ by
 * a stroke), and two 一级指标 side by side the 一级 and a misread 二级. */
static bpn_form_snap *header_order(const bpn_grid *g, int r, bpn_form_snap *out)
{
    int nc = g->n_cols, prev = -1;
    /* a row holding three header words at least is the header: there a
     * word of three characters an ideograph off is one too ("指标什") */
    int words = 0;
    for (int c = 0; c < nc; c++) {
        int i = r * nc + c;
        const char *t = out && out->text[i] ? out->text[i] : g->text[i];
        for (size_t k = 0; t && g->region[i] == i && k < form_n_header_words; k++)
            if (strcmp(t, form_header_words[k].text) == 0 && form_header_words[k].word != W_EXTRA) {
                words++;
                break;
            }
    }
    for (int c = 0; words >= 3 && c < nc; c++) {
        int i = r * nc + c;
        if (g->region[i] != i || !g->text[i] || (out && out->text[i]))
            continue;
        char *n = bpn_norm(g->text[i]);
        const char *hit = NULL;
        int ties = 0;
        for (size_t k = 0; k < form_n_header_words; k++) {
            const char *w = form_header_words[k].text;
            if (strcmp(n, w) == 0) {
                ties = 0;
                break;
            }
            if (g_utf8_strlen(w, -1) == 3 && g_utf8_strlen(n, -1) == 3 && edit_distance(n, w, 1) == 1 &&
                (!hit || strcmp(hit, w) != 0))
                hit = w, ties++;
        }
        if (ties == 1)
            out = snap_set(out, g->n_rows * nc, i, g_strdup(hit), "ocr_label_by_vocabulary");
        g_free(n);
    }
    const char *prev_text = NULL;
    for (int c = 0; c < nc; c++) {
        int i = r * nc + c;
        if (g->region[i] != i || !g->text[i] || !*g->text[i])
            continue;
        const char *t = out && out->text[i] ? out->text[i] : g->text[i];
        char *n = bpn_norm(t);
        if (prev_text && strcmp(n, prev_text) == 0 && strcmp(n, "三级指标") == 0)
            out = snap_set(out, g->n_rows * nc, prev, g_strdup("二级指标"), "ocr_label_by_vocabulary");
        else if (prev_text && strcmp(n, prev_text) == 0 && strcmp(n, "一级指标") == 0)
            out = snap_set(out, g->n_rows * nc, i, g_strdup("二级指标"), "ocr_label_by_vocabulary");
        g_free((char *)prev_text);
        prev_text = n;
        prev = i;
    }
    g_free((char *)prev_text);
    return out;
}

bpn_form_snap *bpn_form_ocr_snap(const bpn_grid *g)
{
    GArray *v = form_vocabulary();
    int nc = g->n_cols, n = g->n_rows * nc;
    bpn_form_snap *out = NULL;
    for (int r = 0; r < g->n_rows; r++) {
        gboolean first = TRUE;
        for (int c = 0; c < nc; c++) {
            int i = r * nc + c;
            if (g->region[i] != i || !g->text[i] || !*g->text[i])
                continue;
            char *norm = bpn_norm(g->text[i]);
            size_t wl = 0;
            const char *w = *norm ? near_word(v, norm, first, &wl) : NULL;
            char *to = NULL;
            const char *kind = "ocr_label_by_vocabulary";
            if (w) {
                /* the label's colon stays as printed */
                const char *end = g->text[i] + strlen(g->text[i]);
                const char *last = g_utf8_find_prev_char(g->text[i], end);
                gunichar lc = last ? g_utf8_get_char(last) : 0;
                char *word = g_strndup(w, wl);
                to = lc == ':' || lc == 0xFF1A ? g_strconcat(word, last, NULL) : g_strdup(word);
                g_free(word);
            } else if (!first && (to = value_sign(g->text[i]))) {
                kind = "ocr_value_lookalike";
            } else if ((to = text_despeckled(g->text[i]))) {
                kind = "ocr_speck_removed";
            }
            if (to && strcmp(to, g->text[i]) != 0) {
                out = snap_set(out, n, i, to, kind);
            } else {
                g_free(to);
            }
            g_free(norm);
            first = FALSE;
        }
        out = header_order(g, r, out);
    }
    g_array_free(v, TRUE);
    return out;
}

void bpn_form_ocr_swap(bpn_grid *g, bpn_form_snap *snap)
{
    for (int i = 0; snap && i < snap->n; i++)
        if (snap->text[i]) {
            char *t = g->text[i];
            g->text[i] = snap->text[i];
            snap->text[i] = t;
        }
}

void bpn_form_ocr_snap_keep(bpn_document *doc, const bpn_grid *g, bpn_form_snap *printed)
{
    for (int i = 0; printed && i < printed->n; i++)
        if (printed->text[i])
            bpn_repair_add(doc, printed->kind[i], g->page, printed->text[i], g->text[i]);
    bpn_form_ocr_snap_free(printed);
}

void bpn_form_ocr_snap_free(bpn_form_snap *snap)
{
    if (!snap)
        return;
    for (int i = 0; i < snap->n; i++)
        g_free(snap->text[i]);
    g_free(snap->text);
    g_free(snap->kind);
    g_free(snap);
}

/* ------------------------------------------------- pairs of characters */

/* A pair's key in the counts: the first code point high, the second low. */
static guint64 pair_key(gunichar a, gunichar b) { return (guint64)a << 32 | b; }
static gunichar pair_first(gconstpointer key) { return (gunichar)(*(const guint64 *)key >> 32); }
static gunichar pair_second(gconstpointer key) { return (gunichar)(*(const guint64 *)key & 0xFFFFFFFFu); }

/* Adds the pairs of neighbouring characters of s to counts (key: the two
 * code points, value: how many times). */
static void count_pairs(GHashTable *counts, const char *s)
{
    gunichar prev = 0;
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (prev) {
            guint64 *key = g_new(guint64, 1);
            *key = pair_key(prev, c);
            gpointer old = g_hash_table_lookup(counts, key);
            g_hash_table_replace(counts, key, GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1));
        }
        prev = c;
    }
}

static int pair_count(GHashTable *counts, gunichar a, gunichar b)
{
    guint64 key = pair_key(a, b);
    return a && b ? GPOINTER_TO_INT(g_hash_table_lookup(counts, &key)) : 0;
}

/* How well the document supports c standing between prev and next: the
 * times the two pairs it makes are printed in it. */
static int support(GHashTable *counts, gunichar prev, gunichar c, gunichar next)
{
    return pair_count(counts, prev, c) + pair_count(counts, c, next);
}

/* A CJK ideograph (not a mark of the CJK blocks, as 、). */
static gboolean ideograph(gunichar c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* ---------------------------------------------------------------- names */

/* Whether the table's reading t of a form's name (both in comparison
 * form) is the better one: of the same length as the form's reading f,
 * and at each place they differ the document's other texts (counts)
 * print the table's character beside its neighbours more often than the
 * form's (a bracket read 【 too).  The table's cells are OCR'd too, and
 * as often misread (产重 for 严重, 维运 for 维护, 卫生监督挤), or print
 * the name otherwise (鉴定经费 for the form's 鉴定费). */
static gboolean table_reading_better(GHashTable *counts, const char *f, const char *t)
{
    glong nf = 0, nt = 0;
    gunichar *uf = g_utf8_to_ucs4_fast(f, -1, &nf), *ut = g_utf8_to_ucs4_fast(t, -1, &nt);
    gboolean better = nf == nt;
    for (glong i = 0; better && i < nf; i++) {
        if (uf[i] == ut[i])
            continue;
        gunichar prev = i ? uf[i - 1] : 0, next = i + 1 < nf ? uf[i + 1] : 0;
        better = support(counts, prev, ut[i], next) > support(counts, prev, uf[i], next);
    }
    g_free(uf);
    g_free(ut);
    return better;
}

/* Calls visit(acc, text) on each of the document's texts: the forms'
 * names, texts and indicators, the table cells but amounts, and the
 * sections (when read). */
static void document_visit(const bpn_document *doc, void (*visit)(gpointer, const char *), gpointer acc)
{
    for (guint i = 0; doc->targets && i < doc->targets->len; i++) {
        const bpn_target *t = doc->targets->pdata[i];
        const char *fields[] = {t->project, t->overview, t->basis, t->necessity, t->measures, t->plan,
                                t->goal_period, t->goal_annual};
        for (size_t k = 0; k < G_N_ELEMENTS(fields); k++)
            visit(acc, fields[k]);
        for (guint j = 0; t->indicators && j < t->indicators->len; j++) {
            const bpn_indicator *ind = t->indicators->pdata[j];
            visit(acc, ind->level3_printed ? ind->level3_printed : ind->level3);
            visit(acc, ind->value);
        }
    }
    for (guint i = 0; doc->tables && i < doc->tables->len; i++) {
        const bpn_table *tb = doc->tables->pdata[i];
        for (guint r = 0; tb->rows && r < tb->rows->len; r++)
            for (int c = 0; c < tb->n_cols; c++)
                if (!((bpn_row *)tb->rows->pdata[r])->cells[c].is_number)
                    visit(acc, ((bpn_row *)tb->rows->pdata[r])->cells[c].text);
    }
    for (guint i = 0; doc->sections && i < doc->sections->len; i++)
        visit(acc, ((bpn_section *)doc->sections->pdata[i])->text);
}

static void visit_pairs(gpointer counts, const char *s)
{
    count_pairs(counts, s);
}

static void visit_append(gpointer text, const char *s)
{
    if (s && *s) {
        g_string_append(text, s);
        g_string_append_c(text, '\n');
    }
}

/* The pairs of neighbouring characters of the document's texts; newly
 * allocated (key: two code points). */
static GHashTable *document_pairs(const bpn_document *doc)
{
    GHashTable *counts = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    document_visit(doc, visit_pairs, counts);
    return counts;
}



static gboolean int_in(const GArray *a, int x)
{
    for (guint i = 0; a && i < a->len; i++)
        if (g_array_index(a, int, i) == x)
            return TRUE;
    return FALSE;
}

/* printed without the stray marks that stand between two ideographs or
 * brackets ("综合改革),补助资金"), or NULL when it has none. */
static char *despeckled(const char *printed)
{
    GString *o = g_string_new(NULL);
    gboolean cut = FALSE;
    gunichar prev = 0;
    for (const char *p = printed; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        const char *q = g_utf8_next_char(p);
        gunichar next = *q ? g_utf8_get_char(q) : 0;
        gboolean left = bpn_is_cjk(prev) || prev == ')' || prev == 0xFF09;
        gboolean right = bpn_is_cjk(next) || next == '(' || next == 0xFF08;
        if (stray_mark(c) && c != '-' && c != ':' && left && right && (bpn_is_cjk(prev) || bpn_is_cjk(next))) {
            cut = TRUE;
            continue;
        }
        g_string_append_unichar(o, c);
        prev = c;
    }
    if (!cut) {
        g_string_free(o, TRUE);
        return NULL;
    }
    return g_string_free(o, FALSE);
}

void bpn_forms_ocr_names(bpn_document *doc)
{
    if (!doc->targets || !doc->tables || !doc->source.ocr_pages || !doc->source.ocr_pages->len)
        return;
    /* the distinct texts of table cells, each with the number of cells printing it */
    GHashTable *texts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *printed = g_hash_table_new(g_str_hash, g_str_equal); /* norm → a cell's text */
    GHashTable *counts = document_pairs(doc);
    for (guint t = 0; t < doc->tables->len; t++) {
        const bpn_table *tb = doc->tables->pdata[t];
        for (guint r = 0; tb->rows && r < tb->rows->len; r++) {
            const bpn_row *row = tb->rows->pdata[r];
            for (int c = 0; c < tb->n_cols; c++) {
                const bpn_cell *cell = &row->cells[c];
                if (!cell->text || cell->is_number || g_utf8_strlen(cell->text, -1) < 4)
                    continue;
                char *n = bpn_norm(cell->text);
                if (!g_hash_table_contains(texts, n)) {
                    g_hash_table_insert(printed, n, cell->text);
                    g_hash_table_insert(texts, n, NULL);
                } else {
                    g_free(n);
                }
            }
        }
    }
    for (guint i = 0; i < doc->targets->len; i++) {
        bpn_target *tg = doc->targets->pdata[i];
        if (!tg->project || !tg->pages || !tg->pages->len || !int_in(doc->source.ocr_pages, g_array_index(tg->pages, int, 0)))
            continue;
        char *clean = despeckled(tg->project);
        if (clean) {
            bpn_repair_add(doc, "ocr_speck_removed", g_array_index(tg->pages, int, 0), tg->project, clean);
            g_free(tg->project);
            tg->project = clean;
        }
        char *n = bpn_norm(tg->project);
        glong len = g_utf8_strlen(n, -1);
        int limit = MAX(1, (int)(len / 8));
        if (len < 4 || g_hash_table_contains(texts, n)) {
            g_free(n);
            continue;
        }
        const char *hit = NULL;
        int best = G_MAXINT, ties = 0;
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init(&it, texts);
        while (g_hash_table_iter_next(&it, &key, NULL)) {
            int d = edit_distance(key, n, limit);
            if (d == G_MAXINT || d == 0)
                continue;
            if (d < best)
                best = d, hit = key, ties = 1;
            else if (d == best)
                ties++;
        }
        char *hit_clean = hit ? despeckled(hit) : NULL;
        if (hit && ties == 1 && !hit_clean && table_reading_better(counts, n, hit)) {
            const char *to = g_hash_table_lookup(printed, hit);
            bpn_repair_add(doc, "ocr_name_by_table", g_array_index(tg->pages, int, 0), tg->project, to);
            g_free(tg->project);
            tg->project = g_strdup(to);
        }
        g_free(hit_clean);
        g_free(n);
    }
    g_hash_table_unref(counts);
    g_hash_table_unref(printed);
    g_hash_table_unref(texts);
}

/* ------------------------------------------------------------ consensus */

/* Two readings *a and *b of one printed text (compared over the shorter,
 * of four characters at least: a text cut off at a fixed width on one side
 * is the other's beginning), differing in at most one character in five,
 * each an ideograph: at each place they
 * differ, the character the document supports better (its pairs with the
 * neighbours of either reading printed at least four times more, and three
 * times as often) goes into the other reading; each change is a repair. */
static void settle_pair(bpn_document *doc, GHashTable *counts, char **a, char **b, int page)
{
    if (!*a || !*b || strcmp(*a, *b) == 0)
        return;
    glong na = 0, nb = 0;
    gunichar *ua = g_utf8_to_ucs4_fast(*a, -1, &na), *ub = g_utf8_to_ucs4_fast(*b, -1, &nb);
    /* a text cut off at a fixed width on one side ("按照5600元,4480元" |
     * "按照5600元,4480元,3920元…"): compared over the shorter */
    glong common = MIN(na, nb);
    int diff = 0;
    gboolean ideographs = common >= 4;
    for (glong i = 0; ideographs && i < common; i++)
        if (ua[i] != ub[i]) {
            diff++;
            ideographs = ideograph(ua[i]) && ideograph(ub[i]);
        }
    if (ideographs && diff >= 1 && diff <= MAX(1, common / 5)) {
        gboolean ca = FALSE, cb = FALSE;
        for (glong i = 0; i < common; i++) {
            if (ua[i] == ub[i])
                continue;
            gunichar pa = i ? ua[i - 1] : 0, xa = i + 1 < na ? ua[i + 1] : 0;
            gunichar pb = i ? ub[i - 1] : 0, xb = i + 1 < nb ? ub[i + 1] : 0;
            int sa = support(counts, pa, ua[i], xa) + support(counts, pb, ua[i], xb);
            int sb = support(counts, pa, ub[i], xa) + support(counts, pb, ub[i], xb);
            /* a glyph the engine misreads the same way everywhere (尽 as
             * 尺) gathers support too: the winner needs three times the
             * other's */
            if (sa >= sb + 4 && sa >= 3 * sb)
                ub[i] = ua[i], cb = TRUE;
            else if (sb >= sa + 4 && sb >= 3 * sa)
                ua[i] = ub[i], ca = TRUE;
        }
        for (int k = 0; k < 2; k++) {
            if (!(k ? cb : ca))
                continue;
            char **slot = k ? b : a;
            char *to = g_ucs4_to_utf8(k ? ub : ua, k ? nb : na, NULL, NULL, NULL);
            bpn_repair_add(doc, "ocr_reading_by_context", page, *slot, to);
            g_free(*slot);
            *slot = to;
        }
    }
    g_free(ua);
    g_free(ub);
}

/* A mark of Chinese print: 、，；：。 */
static gboolean print_mark(gunichar c)
{
    return c == 0x3001 || c == 0xFF0C || c == 0xFF1B || c == 0xFF1A || c == 0x3002;
}

static gboolean has_char(const gunichar *u, glong n, gunichar c)
{
    for (glong i = 0; i < n; i++)
        if (u[i] == c)
            return TRUE;
    return FALSE;
}

/* A curly quote: Chinese print sets them in pairs ("三公"经费); one alone
 * in a reading is a speck's. */
static gboolean curly_quote(gunichar c)
{
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019;
}

static int count_curly(const gunichar *u, glong n)
{
    int k = 0;
    for (glong i = 0; i < n; i++)
        k += curly_quote(u[i]);
    return k;
}

/* Whether a mark present in one reading (mine, at i) and absent from the
 * other is a speck, to drop: an ASCII mark (stray_mark()) that is no
 * point or comma between digits, and no comma, colon or semicolon where
 * the other reading prints that mark or before anything but an ideograph
 * (the full-width mark, read so, lost on the other side); or the one
 * curly quote of its reading.  A mark of Chinese print present in one
 * reading only is a speck read as one ("收、集") only where it stands
 * between two ideographs that the document prints side by side twice at
 * least, and with the mark beside them nowhere else (counts: the
 * document's pairs, count_pairs()); else it cannot be told ("能、力"). */
static gboolean lone_mark(GHashTable *counts, const gunichar *mine, glong n, glong i, const gunichar *other, glong no)
{
    gunichar c = mine[i], next = i + 1 < n ? mine[i + 1] : 0, prev = i > 0 ? mine[i - 1] : 0;
    if (print_mark(c))
        return ideograph(prev) && ideograph(next) && pair_count(counts, prev, next) >= 2 &&
               pair_count(counts, prev, c) <= 1 && pair_count(counts, c, next) <= 1;
    if (curly_quote(c))
        return count_curly(mine, n) == 1;
    if (c == '<' || c == '>' || c == '=') /* a comparison sign is print (>= for ≥) */
        return FALSE;
    if (!stray_mark(c) || (g_unichar_isdigit(next) && i > 0 && g_unichar_isdigit(mine[i - 1])))
        return FALSE; /* a point or comma between digits is the amount's */
    if ((c == ',' || c == ':' || c == ';') && (has_char(other, no, c) || !ideograph(next)))
        return FALSE;
    return TRUE;
}

/* Two readings of one printed text (a and b, na and nb code points) whose
 * marks disagree, each put right by the other (out_a, out_b: newly
 * allocated, or NULL when unchanged).  Returns FALSE when the marks cannot
 * settle it.
 *  1. The readings are aligned by edit distance; the longer's end is free
 *     when the shorter (of four characters at least) may be its beginning
 *     cut off at a fixed width, as one side of a form prints.
 *  2. At each place they differ: a mark read where the other reading has
 *     a mark of Chinese print (、 read as : or .) is that mark; a speck's
 *     mark present in one reading only goes (lone_mark()); other glyphs
 *     differing (an ideograph, a digit) stay each as read, for the counts
 *     to settle (settle_pair()).  A mark of print in one reading only, or
 *     two marks of print that disagree, and the marks settle nothing. */
static gboolean marks_settled(GHashTable *counts, const gunichar *a, glong na, const gunichar *b, glong nb,
                              char **out_a, char **out_b)
{
    *out_a = *out_b = NULL;
    if (na > 400 || nb > 400 || MIN(na, nb) < 4)
        return FALSE;
    int w = (int)nb + 1;
    int *d = g_new(int, (na + 1) * w);
    for (glong i = 0; i <= na; i++)
        for (glong j = 0; j <= nb; j++) {
            if (!i || !j) {
                d[i * w + j] = (int)(i + j);
                continue;
            }
            int sub = d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[(i - 1) * w + j] + 1, ins = d[i * w + j - 1] + 1;
            d[i * w + j] = MIN(sub, MIN(del, ins));
        }
    /* the end: both ends, or the shorter's end against the longer's
     * nearest place (a cut off reading) */
    glong ei = na, ej = nb;
    for (glong j = 0; na < nb && j <= nb; j++)
        if (d[na * w + j] < d[ei * w + ej] || (d[na * w + j] == d[ei * w + ej] && ej == nb))
            ei = na, ej = j;
    for (glong i = 0; nb < na && i <= na; i++)
        if (d[i * w + nb] < d[ei * w + ej] || (d[i * w + nb] == d[ei * w + ej] && ei == na))
            ei = i, ej = nb;
    GArray *ra = g_array_new(FALSE, FALSE, sizeof(gunichar)), *rb = g_array_new(FALSE, FALSE, sizeof(gunichar));
    for (glong k = na; k > ei; k--) /* the longer's tail as read */
        g_array_append_val(ra, a[k - 1]);
    for (glong k = nb; k > ej; k--)
        g_array_append_val(rb, b[k - 1]);
    gboolean ok = TRUE, changed = FALSE;
    glong i = ei, j = ej;
    while (ok && (i > 0 || j > 0)) {
        if (i > 0 && j > 0 && d[i * w + j] == d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1])) {
            gunichar x = a[i - 1], y = b[j - 1], ta = x, tb = y;
            if (x != y && (print_mark(x) || stray_mark(x) || print_mark(y) || stray_mark(y))) {
                if (print_mark(x) && stray_mark(y))
                    tb = x;
                else if (print_mark(y) && stray_mark(x))
                    ta = y;
                else
                    ok = FALSE;
                changed = TRUE;
            }
            g_array_append_val(ra, ta);
            g_array_append_val(rb, tb);
            i--, j--;
        } else if (i > 0 && d[i * w + j] == d[(i - 1) * w + j] + 1) {
            ok = lone_mark(counts, a, na, i - 1, b, nb);
            changed = TRUE;
            i--;
        } else {
            ok = lone_mark(counts, b, nb, j - 1, a, na);
            changed = TRUE;
            j--;
        }
    }
    g_free(d);
    if (ok && changed)
        for (int k = 0; k < 2; k++) {
            GArray *r = k ? rb : ra;
            gunichar *u = (gunichar *)r->data;
            for (guint x = 0; x < r->len / 2; x++) {
                gunichar t = u[x];
                u[x] = u[r->len - 1 - x], u[r->len - 1 - x] = t;
            }
            glong n0 = k ? nb : na;
            const gunichar *orig = k ? b : a;
            if ((glong)r->len != n0 || memcmp(u, orig, r->len * sizeof(gunichar)) != 0)
                *(k ? out_b : out_a) = g_ucs4_to_utf8(u, r->len, NULL, NULL, NULL);
        }
    g_array_free(ra, TRUE);
    g_array_free(rb, TRUE);
    return ok && changed;
}

/* Two readings *a and *b of one printed text whose marks disagree, each
 * put right by the other (marks_settled()); each change a repair
 * "ocr_marks_by_other_side". */
static void settle_marks(bpn_document *doc, GHashTable *counts, char **a, char **b, int page)
{
    if (!*a || !*b || strcmp(*a, *b) == 0)
        return;
    glong na = 0, nb = 0;
    gunichar *ua = g_utf8_to_ucs4_fast(*a, -1, &na), *ub = g_utf8_to_ucs4_fast(*b, -1, &nb);
    char *to[2] = {NULL, NULL};
    marks_settled(counts, ua, na, ub, nb, &to[0], &to[1]);
    g_free(ua);
    g_free(ub);
    for (int k = 0; k < 2; k++) {
        char **slot = k ? b : a;
        if (!to[k])
            continue;
        bpn_repair_add(doc, "ocr_marks_by_other_side", page, *slot, to[k]);
        g_free(*slot);
        *slot = to[k];
    }
}

/* Sets t's project name to the n code points u, recording the repair
 * (kind) on the form's first page. */
static void set_project(bpn_document *doc, bpn_target *t, const gunichar *u, glong n, const char *kind)
{
    char *to = g_ucs4_to_utf8(u, n, NULL, NULL, NULL);
    bpn_repair_add(doc, kind, g_array_index(t->pages, int, 0), t->project, to);
    g_free(t->project);
    t->project = to;
}

/* A form's project name read by OCR, where no table printed it to mend it
 * by (a disclosure of forms only): an ideograph inside the name that the
 * document prints nowhere else, neither beside its neighbours there nor
 * anywhere at all (补且资金: 助 read without its 力), is a misreading
 * when one other ideograph stands
 * between those two neighbours elsewhere in the document, both pairs
 * printed, at least four times in all and three times as often as any
 * other such ideograph.  The name's own reading is in counts once; an
 * ideograph next to one changed is left as read.  Each change is a repair
 * "ocr_name_by_context". */
static void settle_name(bpn_document *doc, GHashTable *counts, bpn_target *t)
{
    glong n = 0;
    gunichar *u = g_utf8_to_ucs4_fast(t->project, -1, &n);
    gboolean changed = FALSE, last_changed = FALSE;
    for (glong i = 1; i + 1 < n; i++) {
        gunichar prev = u[i - 1], x = u[i], next = u[i + 1];
        if (last_changed || !ideograph(prev) || !ideograph(x) || !ideograph(next) ||
            pair_count(counts, prev, x) > 1 || pair_count(counts, x, next) > 1) {
            last_changed = FALSE;
            continue;
        }
        gunichar best = 0;
        int best_s = 0, second_s = 0, x_pairs = 0;
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, counts);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            gunichar first = pair_first(key), c = pair_second(key);
            if (first == x || c == x)
                x_pairs += GPOINTER_TO_INT(value);
            if (first != prev || c == x || !ideograph(c))
                continue;
            int after = pair_count(counts, c, next);
            if (!after)
                continue;
            int sc = GPOINTER_TO_INT(value) + after;
            if (sc > best_s)
                second_s = best_s, best_s = sc, best = c;
            else if (sc > second_s)
                second_s = sc;
        }
        /* x printed elsewhere (和 in 经费和社保, beside 经费及社保 in the
         * next form's name) is print the document knows: left as read */
        if (x_pairs <= 2 && best && best_s >= 4 && best_s >= second_s + 4 && best_s >= 3 * second_s) {
            u[i] = best;
            changed = last_changed = TRUE;
        }
    }
    if (changed)
        set_project(doc, t, u, n, "ocr_name_by_context");
    g_free(u);
}

/* The ideographs the domain's vocabulary prints (the template's row
 * labels and table titles, the classification catalogue's names, the
 * forms' words): a set keyed by code point, newly allocated. */
static GHashTable *vocabulary_ideographs(void)
{
    GHashTable *set = g_hash_table_new(g_direct_hash, g_direct_equal);
    const char *const *lists[] = {bpn_vocab_row_labels(), bpn_vocab_title_forms()};
    GPtrArray *texts = g_ptr_array_new();
    for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
        for (const char *const *w = lists[l]; *w; w++)
            g_ptr_array_add(texts, (gpointer)*w);
    for (gsize i = 0; bpn_vocab_code_name_at(i); i++)
        g_ptr_array_add(texts, (gpointer)bpn_vocab_code_name_at(i));
    for (size_t i = 0; i < form_n_level1_words; i++)
        g_ptr_array_add(texts, (gpointer)form_level1_words[i]);
    for (size_t i = 0; i < form_n_level2_words; i++)
        g_ptr_array_add(texts, (gpointer)form_level2_words[i]);
    for (guint i = 0; i < texts->len; i++)
        for (const char *p = texts->pdata[i]; *p; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            if (ideograph(c))
                g_hash_table_add(set, GUINT_TO_POINTER(c));
        }
    g_ptr_array_free(texts, TRUE);
    return set;
}

/* A form's project name whose readings across the document disagree where
 * the counts cannot decide (scanned 004: 预拨 read 预氢 eleven times, 预拔
 * six, 预拨 once): an ideograph of the name that the domain's vocabulary
 * never prints (vocab) gives way to the one other ideograph the document
 * prints between the same two neighbours that the vocabulary prints (拨 of
 * 拨款), when the document reads the place three ways at least and
 * exactly one of them is a vocabulary ideograph: the place
 * read with it, as far as two ideographs either side and four at least,
 * printed so in the document (预拨剩余; 紧急 of 中心紧急医疗 is no 应急
 * for 市应急 printed elsewhere, nor 聘用 a 费用).  No glyph is
 * invented: the replacement is a reading the document itself offers for
 * that place.  A rare but rightly printed ideograph stays as long as the
 * document reads it alike everywhere (no other ideograph between its
 * neighbours), or when two vocabulary ideographs compete there.  Each
 * change is a repair "ocr_name_by_vocabulary". */
static void settle_name_by_vocabulary(bpn_document *doc, GHashTable *counts, const char *text, GHashTable *vocab,
                                      bpn_target *t)
{
    glong n = 0;
    gunichar *u = g_utf8_to_ucs4_fast(t->project, -1, &n);
    gboolean changed = FALSE;
    for (glong i = 1; i + 1 < n; i++) {
        gunichar prev = u[i - 1], x = u[i], next = u[i + 1];
        if (!ideograph(prev) || !ideograph(x) || !ideograph(next) || g_hash_table_contains(vocab, GUINT_TO_POINTER(x)))
            continue;
        gunichar best = 0;
        int found = 0, readings = 0;
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, counts);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            gunichar c = pair_second(key);
            if (pair_first(key) != prev || c == x || !ideograph(c) || !pair_count(counts, c, next))
                continue;
            /* the place read with c, as far as two ideographs either side,
             * four at least, printed so in the document */
            glong from = i, to = i;
            while (from > 0 && i - from < 2 && ideograph(u[from - 1]))
                from--;
            while (to + 1 < n && to - i < 2 && ideograph(u[to + 1]))
                to++;
            if (to - from + 1 < 4)
                continue;
            u[i] = c;
            char *place = g_ucs4_to_utf8(u + from, to - from + 1, NULL, NULL, NULL);
            u[i] = x;
            if (place && strstr(text, place)) {
                readings++;
                if (g_hash_table_contains(vocab, GUINT_TO_POINTER(c)))
                    best = c, found++;
            }
            g_free(place);
        }
        /* two readings of a place are as often two words (财政局关于 and
         * 财政厅关于, 健康素养 and a misread 健康于养): only a place the
         * document reads three ways at least is one the engine cannot read */
        if (readings >= 2 && found == 1) {
            u[i] = best;
            changed = TRUE;
        }
    }
    if (changed)
        set_project(doc, t, u, n, "ocr_name_by_vocabulary");
    g_free(u);
}

/* A mark at the end of an indicator's text: ASCII punctuation but
 * brackets, a per cent sign, a comparison sign and a leading minus. */
static gboolean end_speck(gunichar c, gboolean leading, gunichar next)
{
    if (c == '<' || c == '>' || c == '=' || c == '%' || c == '(' || c == ')')
        return FALSE;
    if (leading && c == '-' && g_unichar_isdigit(next))
        return FALSE;
    return stray_mark(c);
}

/* *slot without the specks at its ends (a repair), when it has any and
 * keeps some text. */
static void trim_end_specks(bpn_document *doc, int page, char **slot)
{
    if (!*slot)
        return;
    glong n = 0;
    gunichar *u = g_utf8_to_ucs4_fast(*slot, -1, &n);
    glong a = 0, b = n;
    while (a < b && end_speck(u[a], TRUE, a + 1 < n ? u[a + 1] : 0))
        a++;
    while (b > a && end_speck(u[b - 1], FALSE, 0))
        b--;
    if ((a > 0 || b < n) && b > a) {
        char *to = g_ucs4_to_utf8(u + a, b - a, NULL, NULL, NULL);
        bpn_repair_add(doc, "ocr_speck_removed", page, *slot, to);
        g_free(*slot);
        *slot = to;
    }
    g_free(u);
}

/* An indicator's 一级 or 二级 read by OCR with an item's number or marks
 * before it ("6.效益指标") or an ideograph off: the vocabulary's word
 * (words[], n of them) by near_word(), a repair. */
static void snap_level(bpn_document *doc, int page, char **slot, const char *const *words, size_t n)
{
    if (!*slot)
        return;
    for (size_t i = 0; i < n; i++)
        if (strcmp(*slot, words[i]) == 0)
            return;
    const char *p = *slot;
    while (*p && !bpn_is_cjk(g_utf8_get_char(p)))
        p = g_utf8_next_char(p);
    char *norm = bpn_norm(p);
    GArray *v = g_array_new(FALSE, FALSE, sizeof(vocab_word));
    for (size_t i = 0; i < n; i++)
        g_array_append_val(v, ((vocab_word){words[i], FALSE}));
    size_t wl = 0;
    const char *w = *norm ? near_word(v, norm, FALSE, &wl) : NULL;
    if (!w && *norm && p != *slot) /* the word as printed after the marks */
        for (size_t i = 0; i < n && !w; i++)
            if (strcmp(norm, words[i]) == 0)
                w = words[i], wl = strlen(words[i]);
    if (w) {
        char *word = g_strndup(w, wl);
        bpn_repair_add(doc, "ocr_label_by_vocabulary", page, *slot, word);
        g_free(*slot);
        *slot = word;
    }
    g_array_free(v, TRUE);
    g_free(norm);
}

/* A per cent sign read as 9% ("≥709%", "1009%": the engine's habit):
 * a percentage of 509 to 1009 whose digits but the last 9 make a whole
 * 50 to 100, a rate no form sets above 100 so, is that rate.  The value
 * with the 9 dropped, or NULL. */
static char *percent_lookalike(const char *value)
{
    char *digits = bpn_capture("^[^0-9]{0,2}([0-9]{2,3})9(?:%|％)$", value, 1);
    char *out = NULL;
    if (digits) {
        int v = atoi(digits);
        if (v >= 50 && v <= 100 && digits[0] != '0') {
            const char *at = strstr(value, digits);
            GString *o = g_string_new_len(value, at - value);
            g_string_append(o, digits);
            g_string_append(o, at + strlen(digits) + 1);
            out = g_string_free(o, FALSE);
        }
        g_free(digits);
    }
    return out;
}

/* An indicator OCR made of what is no indicator, to leave out: a speck in
 * an empty row read as a lone glyph ("二" with no 三级指标), or the last
 * line of a 二级 label wrapped in a cell too low for it, read into the
 * 三级指标 column with no value ("可持续影响" | "指标": the two make a
 * word of the vocabulary).  Returns the text it was made of (a repair
 * "ocr_speck_removed"), or NULL. */
static const char *not_an_indicator(const bpn_indicator *x)
{
    gboolean value = x->value && *x->value, level3 = x->level3 && *x->level3;
    if (!level3 && value && g_utf8_strlen(x->value, -1) == 1) {
        gunichar c = g_utf8_get_char(x->value);
        if (!g_unichar_isalnum(c) || c == 0x4E00 || c == 0x4E8C || c == 0x4E09) /* 一 二 三: strokes */
            return x->value;
    }
    if (level3 && !value && x->level2 && g_utf8_strlen(x->level3, -1) <= 3) {
        char *joined = g_strconcat(x->level2, x->level3, NULL);
        gboolean word = FALSE;
        for (size_t i = 0; i < form_n_level2_words && !word; i++)
            word = strcmp(joined, form_level2_words[i]) == 0;
        g_free(joined);
        if (word)
            return x->level3;
    }
    return NULL;
}

/* Whether s is one of the n words, or (of four characters at least) the
 * beginning of one: a 二级 cut off at a fixed width ("服务对象满意度指"). */
static gboolean level_word(const char *s, const char *const *words, size_t n)
{
    if (!s)
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, words[i]) == 0 || (g_utf8_strlen(s, -1) >= 4 && g_str_has_prefix(words[i], s)))
            return TRUE;
    return FALSE;
}

/* Two texts alike in comparison form (both NULL or empty: not alike); with
 * cut, also when one is the other's beginning of four characters at least
 * (the annual side's text cut off at a fixed width). */
static gboolean alike_norm(const char *a, const char *b, gboolean cut)
{
    if (!a || !b || !*a || !*b)
        return FALSE;
    char *na = bpn_norm(a), *nb = bpn_norm(b);
    gboolean same = *na && strcmp(na, nb) == 0;
    if (!same && cut && *na && *nb) {
        const char *shorter = strlen(na) < strlen(nb) ? na : nb, *longer = shorter == na ? nb : na;
        same = g_utf8_strlen(shorter, -1) >= 4 && g_str_has_prefix(longer, shorter);
    }
    g_free(na);
    g_free(nb);
    return same;
}

static gboolean same_norm(const char *a, const char *b) { return alike_norm(a, b, FALSE); }

/* An indicator's 二级 that OCR could not read (a label wrapped over two
 * lines in a cell too small for it, its lines over the rules: "红而双鱼垣标"
 * for 经济效益指标), no word of the vocabulary nor near one, takes the 二级
 * of the other side's indicator of the same 一级 and 三级指标 (or the
 * beginning of it, cut off) when that is a vocabulary word: a form prints one indicator on both sides, under the
 * same 二级.  Only a reading as long as the word within two characters,
 * and only when the other side's indicators so alike agree on one word; a
 * repair "ocr_label_by_other_side". */
static void level2_by_other_side(bpn_document *doc, bpn_target *t)
{
    for (guint j = 0; j < t->indicators->len; j++) {
        bpn_indicator *x = t->indicators->pdata[j];
        if (!x->level2 || !x->level3 || level_word(x->level2, form_level2_words, form_n_level2_words))
            continue;
        const char *word = NULL;
        gboolean agree = TRUE;
        for (guint k = 0; k < t->indicators->len && agree; k++) {
            const bpn_indicator *y = t->indicators->pdata[k];
            if (y->annual == x->annual || !same_norm(y->level1, x->level1) || !alike_norm(y->level3, x->level3, TRUE))
                continue;
            gboolean vocab = FALSE;
            for (size_t w = 0; w < form_n_level2_words && !vocab; w++)
                vocab = g_strcmp0(y->level2, form_level2_words[w]) == 0;
            if (!vocab)
                continue;
            if (word && strcmp(word, y->level2) != 0)
                agree = FALSE;
            word = y->level2;
        }
        if (!word || !agree || labs(g_utf8_strlen(x->level2, -1) - g_utf8_strlen(word, -1)) > 2)
            continue;
        bpn_repair_add(doc, "ocr_label_by_other_side", x->page, x->level2, word);
        g_free(x->level2);
        x->level2 = g_strdup(word);
    }
}

/* An indicator's 二级 OCR could not read, that the other side does not
 * settle (level2_by_other_side(): the row printed on one side only), under
 * a 一级 of the vocabulary: the 二级 word of that 一级 (form_level2_parents)
 * it is nearest, within an edit per two of the word's characters, when
 * every other word of the 一级 is two edits further at least and the
 * reading is as long within two characters ("可持殉彩吧指标": 可持续影响指标,
 * three edits, the next five).  A repair "ocr_label_by_vocabulary". */
static void level2_by_level1(bpn_document *doc, bpn_target *t)
{
    for (guint j = 0; j < t->indicators->len; j++) {
        bpn_indicator *x = t->indicators->pdata[j];
        if (!x->level1 || !x->level2 || level_word(x->level2, form_level2_words, form_n_level2_words))
            continue;
        glong n = g_utf8_strlen(x->level2, -1);
        const char *best = NULL;
        int best_d = G_MAXINT, second = G_MAXINT;
        for (size_t i = 0; i < form_n_level2_parents; i++) {
            const form_level2_parent *w = &form_level2_parents[i];
            if (strcmp(w->level1, x->level1) != 0)
                continue;
            int d = edit_distance(x->level2, w->level2, 16);
            if (d < best_d)
                second = best_d, best_d = d, best = w->level2;
            else if (d < second)
                second = d;
        }
        if (!best || labs(n - g_utf8_strlen(best, -1)) > 2 || best_d > g_utf8_strlen(best, -1) / 2 ||
            (second != G_MAXINT && second < best_d + 2))
            continue;
        bpn_repair_add(doc, "ocr_label_by_vocabulary", x->page, x->level2, best);
        g_free(x->level2);
        x->level2 = g_strdup(best);
    }
}

/* The beginning of an indicator's value, misread.  The comparison sign ≥
 * or ≤, which Tesseract's Chinese model does not know, is read as another
 * glyph or two ("过98%", "=98%", "=>98%", ">97%"); a speck or a rule's end
 * before the value is read as a dash ("一较上年下降", "-有效保障").  Where
 * the document prints the value read without those glyphs — after a sign
 * of its own ("≥98%"), or, for a dash, as it stands ("较上年下降") — for an
 * indicator of the same 三级指标 (the other side of the form, another form;
 * a cut-off 三级指标 its full text's beginning), and only one way, the
 * value takes it.  Only the one or two glyphs before the value's first
 * digit, or the one dash before its text, are in question; what follows
 * stays.  A repair "ocr_value_lookalike". */
static const char *const value_signs[] = {"≥", "≤"};

/* The glyphs of value before its first digit, when there are one or two
 * and no space or digit among them: the digits in *tail. */
static gboolean sign_and_tail(const char *value, const char **tail)
{
    if (!value)
        return FALSE;
    const char *p = value;
    int n = 0;
    while (*p && n < 3 && !g_ascii_isdigit(*p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == 0x3000)
            return FALSE;
        p = g_utf8_next_char(p);
        n++;
    }
    *tail = p;
    return n >= 1 && n <= 2 && g_ascii_isdigit(*p);
}

/* A dash a speck or rule is read as before a value's text: the text after
 * it (two characters at least, beginning with an ideograph) in *tail. */
static gboolean dash_and_tail(const char *value, const char **tail)
{
    static const gunichar dashes[] = {0x4E00 /* 一 */, '-', '_', '~', 0x2014, 0x2500, 0x00B7};
    if (!value || !*value)
        return FALSE;
    gunichar c = g_utf8_get_char(value);
    gboolean dash = FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(dashes); i++)
        dash |= c == dashes[i];
    const char *p = g_utf8_next_char(value);
    if (!dash || g_utf8_strlen(p, -1) < 2 || !ideograph(g_utf8_get_char(p)))
        return FALSE;
    *tail = p;
    return TRUE;
}

/* What the document prints for x's value, its misread beginning (tail:
 * the rest) put right: the one beginning other indicators of x's 三级指标
 * print before tail (one of starts[], n of them), or NULL. */
static const char *printed_start(const bpn_document *doc, const bpn_indicator *x, const char *tail,
                                 const char *const *starts, size_t n)
{
    const char *start = NULL;
    gboolean one = TRUE;
    for (guint i = 0; i < doc->targets->len && one; i++) {
        const bpn_target *o = doc->targets->pdata[i];
        for (guint k = 0; o->indicators && k < o->indicators->len && one; k++) {
            const bpn_indicator *y = o->indicators->pdata[k];
            if (y == x || !y->value || !alike_norm(y->level3, x->level3, TRUE))
                continue;
            for (size_t s = 0; s < n; s++) {
                size_t sl = strlen(starts[s]);
                if (strncmp(y->value, starts[s], sl) == 0 && strcmp(y->value + sl, tail) == 0) {
                    one = !start || start == starts[s];
                    start = starts[s];
                }
            }
        }
    }
    return one ? start : NULL;
}

static void value_starts_by_document(bpn_document *doc, bpn_target *t)
{
    static const char *const nothing[] = {""};
    for (guint j = 0; j < t->indicators->len; j++) {
        bpn_indicator *x = t->indicators->pdata[j];
        const char *tail = NULL, *start = NULL;
        if (!x->level3)
            continue;
        if (sign_and_tail(x->value, &tail)) {
            gboolean signed_already = FALSE;
            for (size_t s = 0; s < G_N_ELEMENTS(value_signs); s++)
                signed_already |= x->value + strlen(value_signs[s]) == tail && g_str_has_prefix(x->value, value_signs[s]);
            if (!signed_already)
                start = printed_start(doc, x, tail, value_signs, G_N_ELEMENTS(value_signs));
        } else if (dash_and_tail(x->value, &tail)) {
            start = printed_start(doc, x, tail, nothing, 1);
        }
        if (!start)
            continue;
        char *to = g_strconcat(start, tail, NULL);
        bpn_repair_add(doc, "ocr_value_lookalike", x->page, x->value, to);
        g_free(x->value);
        x->value = to;
    }
}

void bpn_forms_ocr_consensus(bpn_document *doc)
{
    if (!doc->targets || !doc->source.ocr_pages || !doc->source.ocr_pages->len)
        return;
    /* each indicator's own texts first: specks at their ends, its levels
     * by the vocabulary */
    for (guint i = 0; i < doc->targets->len; i++) {
        bpn_target *t = doc->targets->pdata[i];
        if (!t->pages || !t->pages->len || !int_in(doc->source.ocr_pages, g_array_index(t->pages, int, 0)))
            continue;
        for (guint j = 0; j < t->indicators->len; j++) {
            bpn_indicator *ind = t->indicators->pdata[j];
            snap_level(doc, ind->page, &ind->level1, form_level1_words, form_n_level1_words);
            snap_level(doc, ind->page, &ind->level2, form_level2_words, form_n_level2_words);
            if (!ind->level3_printed)
                trim_end_specks(doc, ind->page, &ind->level3);
            trim_end_specks(doc, ind->page, &ind->value);
            /* a value of indicators written as text, which no grid cell
             * held alone: its sign as in a grid cell (value_sign()) */
            char *signed_value = ind->value ? value_sign(ind->value) : NULL;
            if (signed_value) {
                bpn_repair_add(doc, "ocr_value_lookalike", ind->page, ind->value, signed_value);
                g_free(ind->value);
                ind->value = signed_value;
            }
            char *rate = ind->value ? percent_lookalike(ind->value) : NULL;
            if (rate) {
                bpn_repair_add(doc, "ocr_value_lookalike", ind->page, ind->value, rate);
                g_free(ind->value);
                ind->value = rate;
            }
        }
        for (guint j = t->indicators->len; j-- > 0;) {
            bpn_indicator *ind = t->indicators->pdata[j];
            const char *made_of = not_an_indicator(ind);
            if (made_of) {
                bpn_repair_add(doc, "ocr_speck_removed", ind->page, made_of, "");
                g_ptr_array_remove_index(t->indicators, j);
            }
        }
        level2_by_other_side(doc, t);
        level2_by_level1(doc, t);
    }
    /* then what the document reads elsewhere: a value's beginning */
    for (guint i = 0; i < doc->targets->len; i++) {
        bpn_target *t = doc->targets->pdata[i];
        if (t->pages && t->pages->len && int_in(doc->source.ocr_pages, g_array_index(t->pages, int, 0)))
            value_starts_by_document(doc, t);
    }
    GHashTable *counts = document_pairs(doc);
    GHashTable *vocab = vocabulary_ideographs();
    GString *text = g_string_new(NULL);
    document_visit(doc, visit_append, text);
    for (guint i = 0; i < doc->targets->len; i++) {
        bpn_target *t = doc->targets->pdata[i];
        if (!t->pages || !t->pages->len || !int_in(doc->source.ocr_pages, g_array_index(t->pages, int, 0)))
            continue;
        if (t->project) {
            settle_name(doc, counts, t);
            settle_name_by_vocabulary(doc, counts, text->str, vocab, t);
        }
        /* the period side's indicators against the annual side's: the one
         * whose 三级指标 reads nearest (and alone so) is the same printed
         * indicator */
        for (guint j = 0; j < t->indicators->len; j++) {
            bpn_indicator *p = t->indicators->pdata[j];
            if (p->annual || !p->level3)
                continue;
            bpn_indicator *best = NULL;
            int best_d = G_MAXINT, ties = 0;
            for (guint k = 0; k < t->indicators->len; k++) {
                bpn_indicator *a = t->indicators->pdata[k];
                if (!a->annual || !a->level3 || g_strcmp0(a->level2, p->level2) != 0)
                    continue;
                glong len = g_utf8_strlen(p->level3, -1);
                int d = edit_distance(p->level3, a->level3, (int)MAX(1, len / 5));
                if (d < best_d)
                    best_d = d, best = a, ties = 1;
                else if (d == best_d && d != G_MAXINT)
                    ties++;
            }
            if (!best || ties != 1)
                continue;
            if (!best->level3_printed) { /* else the period's text, completed */
                settle_marks(doc, counts, &p->level3, &best->level3, p->page);
                settle_pair(doc, counts, &p->level3, &best->level3, p->page);
            }
            if (alike_norm(p->level3, best->level3, TRUE))
                settle_marks(doc, counts, &p->value, &best->value, p->page);
            /* the values of one indicator differ between the sides more
             * often (a target for the year, another for the period): only
             * those of an indicator read alike, by one ideograph */
            glong vp = p->value ? g_utf8_strlen(p->value, -1) : 0, va = best->value ? g_utf8_strlen(best->value, -1) : 0;
            if (g_strcmp0(p->level3, best->level3) == 0 && vp >= 4 && va >= 4 &&
                (edit_distance(p->value, best->value, 1) == 1 || (vp != va && MIN(vp, va) >= 8)))
                settle_pair(doc, counts, &p->value, &best->value, p->page);
        }
    }
    g_string_free(text, TRUE);
    g_hash_table_unref(vocab);
    g_hash_table_unref(counts);
}
