/* forms.c — 项目支出绩效目标表: performance-target forms into bpn_target.
 *
 * How it works.  A form is a ruled grid (found by grid.c) that is read by its
 * printed labels, never by cell positions: positions differ from one
 * budgeting system to the next, and even within one document when a form's
 * footer row touches its grid and lends it extra column edges.  All labels
 * are compared in normalised form (bpn_norm: full-width to half-width, white
 * space removed), so "项目资金（元）" and "项目资金(元)" are one label.
 *
 * The walk.  The document's blocks come in reading order.  A grid is a form
 * when its rows begin with at least three of the header-block labels (项目名称,
 * 主管部门及代码, 实施单位, 项目属性, 项目期, 项目资金, 项目概况 …) or when it
 * holds the indicator grid's header row (一级指标 | 二级指标 | 三级指标 | 指标值 …).
 * A form grid whose 项目名称 names the form being read, on the same or the next
 * page, continues it (systems that print the header block again on every
 * page); any other form grid starts a new form.  A grid without labels that
 * follows a form on the same or the next page, spans the same width and has
 * column edges where the form's indicator columns are, continues the form
 * (the rest of a long indicator grid, perhaps with the footer).  A footer
 * (负责人 | 经办人 | 联系电话 | 填报日期), ruled or printed as a line under the
 * grid, closes the form; so does any other grid.  The title lines above a
 * form ("…项目支出绩效目标表", "（2025年度）", a unit line between them and the
 * grid) and every grid and footer line read are marked used, so the tables
 * and the narrative never see them.
 *
 * The header block.  Each row is read left to right: a cell that begins with
 * a label names the field, the next cell with text is its value (a value
 * glued to its label in one cell, "项目名称遗属补助", is cut off the label).
 * In the 项目资金 block the first money label of a row is the 实施期 side, the
 * second the 年度 side; in a block of one side (a 年度 total, no 实施期
 * total) every money label is the 年度 side.  实施期目标 and 年度目标 label the row below them: its
 * cells go to the label above them.
 *
 * The indicator grid.  Its header row gives the logical columns: the x-range
 * of each of 一级指标, 二级指标, 三级指标, 指标值, the period side first (the
 * left one), the annual side second; a header cell that holds several words
 * (a missing rule) is split evenly among them.  So a form with the 绩效指标
 * label column left of 一级指标 and one without it (一级指标 in the first
 * column, 绩效指标 a row of its own) read alike.  The columns are kept for the
 * form's later grids.  A data row's cell goes to the logical column it
 * covers; a cell that covers two columns (text overflowing a rule makes
 * grid.c merge the cells) is split again — the value is taken out of a
 * 三级指标 + 指标值 cell by the other side's value or a value-like tail, a
 * known 一级/二级 label out of a label + text cell — and the move is recorded
 * (value_realigned).  一级 and both 二级 columns are merged down over the rows
 * they span: an empty or covered cell takes the label above it, across pages
 * (cell_filled_down, once per label and page).  When the annual 三级指标 is a
 * proper prefix of the period one on the same row it was cut off by the
 * printing system: level3 becomes the full text, level3_printed keeps what was
 * printed (cut_off_completed).  A side with neither 三级指标 nor 指标值 is no
 * indicator.  At the end, annual texts as wide as the document's completed
 * cut-offs but without a full form on their row are kept as printed, with a
 * warning.
 *
 * Other grids.  Labels are not always where the rules say.  A form
 * printed without 项目名称 is named by its title ("…项目绩效目标表", a title
 * wrapped over two lines joined; title_subject), and a code printed before
 * a name ("11000026T…-名称") is kept apart (split_project_code).  A label
 * that wrapped over the rules of a cell too low for it merges its
 * neighbours' label cells: a cell over n rows that reads as n labels gives
 * each row its own (stack_labels).  A header cell that lost the rules
 * between its words has them laid into the grid's columns under it
 * (spread_header_words); a header printed again with lost rules keeps the
 * columns known.  A long table (one row block per project) goes on over
 * pages whose grid lacks the name and amount columns (continues_columns
 * compares the indicator columns only), past pieces of its page found
 * apart, and a block whose name is printed again on the next page goes on.
 * 绩效指标 printed on every row is a label column, not a row of its own.
 *
 * Long tables over pages.  The printing system cuts a block's merged cells
 * at the page break and draws their text where the whole cell's middle
 * falls, so a page shows a block's name, amounts and goal on either page,
 * and text of the block above runs into the next page's header.
 *   1. A header row's cells are read by their words; in a row that is a
 *      header by them, a cell whose words are interleaved with overflowing
 *      text ("项12目名3称…") names its column too (interleaved_word), and a
 *      header that still lacks columns the form knows, in a grid that has
 *      the known columns' edges, keeps the known ones (header_lost_columns).
 *   2. A row of amounts only (the second header line that took the amount
 *      of the block cut by the break) is not the grid's first data row; the
 *      first data row's name continues the block's (no amount beside it, or
 *      amounts where the block has none yet).
 *   3. An empty merged cell beginning in the 项目名称 column below the first
 *      data row starts a block whose name is printed on a later page; a new
 *      amount in the 项目总额 column under the same name (one project for
 *      several units) starts a block of that name.  Blocks read before
 *      their name wait for it (form_reader.awaiting) and take the name of
 *      the block that follows them, or are left out with a warning.
 *   4. A page whose left columns lost their rules gives a grid of the
 *      indicator columns only: the text lines left of it are laid into the
 *      form's known columns (widen_by_free_text).
 * What it misses: cells whose texts interleave because the rule between
 * them is lost (overflowing text; grid.c merges them) are read joined; on
 * a page without the left columns' row rules, a block that begins mid-page
 * is not seen (its rows go to the block above).
 *
 * Text.  Printed text is kept as printed, except that a space between two
 * CJK characters (a word broken by the layout) is removed, and the digits of
 * an amount or of the 填报日期 are joined ("2025011614 2334"); each join is a
 * broken_word_joined repair.  Digits in two cells, and Latin words, are never
 * joined.
 */
#include "normalize/internal.h"
#include "normalize/form_vocab.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A 一级 cell that reads as two or more 一级 labels ("效益指标满意度指标"):
 * the rule between two merged 一级 cells was lost (hidden under text that
 * overflows it), and grid.c joined them.  Returns how many labels it holds
 * (0 when it is not such a cell) and puts them in parts. */
static int level1_parts(const char *text, const char *parts[4])
{
    int n = 0;
    const char *p = text;
    while (p && *p && n < 4) {
        const char *w = NULL;
        for (size_t i = 0; i < form_n_level1_words && !w; i++)
            if (g_str_has_prefix(p, form_level1_words[i]))
                w = form_level1_words[i];
        /* the last label cut off (its last line ran out of the grid, where
         * a too-low cell's wrapped text is clipped): at least two of its
         * characters, completed from the vocabulary */
        for (size_t i = 0; i < form_n_level1_words && !w && n >= 1; i++)
            if (g_utf8_strlen(p, -1) >= 2 && strlen(p) < strlen(form_level1_words[i]) &&
                g_str_has_prefix(form_level1_words[i], p)) {
                parts[n++] = form_level1_words[i];
                return n;
            }
        if (!w)
            return 0;
        parts[n++] = w;
        p += strlen(w);
    }
    return n >= 2 && !*p ? n : 0;
}

/* Which of the 一级 labels parts[] a 二级 label belongs to, by the national
 * template (数量/质量/时效 → 产出; 经济/社会/生态/可持续 效益 → 效益; 满意度 →
 * 满意度; 成本 → 成本 where the form has that 一级, else 产出); NULL when
 * the 二级 says nothing. */
static const char *level1_of(const char *level2, const char *const parts[], int n)
{
    if (!level2)
        return NULL;
    const char *want = strstr(level2, "满意") ? "满意度指标"
                       : strstr(level2, "效益") || strstr(level2, "可持续") ? "效益指标"
                       : strstr(level2, "成本") ? "成本指标"
                       : strstr(level2, "数量") || strstr(level2, "质量") || strstr(level2, "时效") ? "产出指标"
                                                                                              : NULL;
    for (int pass = 0; want && pass < 2; pass++) {
        for (int i = 0; i < n; i++)
            if (strcmp(parts[i], want) == 0)
                return parts[i];
        want = strcmp(want, "成本指标") == 0 ? "产出指标" : NULL; /* 成本 under 产出 (older template) */
    }
    return NULL;
}

/* Skips n non-space characters of printed text, then any spaces: the printed
 * position of the n-th character of its normalised form. */
static const char *skip_printed(const char *s, glong n)
{
    for (glong i = 0; i < n && *s;) {
        gunichar c = g_utf8_get_char(s);
        if (!g_unichar_isspace(c) && c != 0x3000)
            i++;
        s = g_utf8_next_char(s);
    }
    while (*s && (g_unichar_isspace(g_utf8_get_char(s)) || g_utf8_get_char(s) == 0x3000))
        s = g_utf8_next_char(s);
    return s;
}

/* Money labels: 中央/省级/市县（区）财政资金, 单位自筹, 其他资金, in the
 * wordings of different systems. */
static label_kind fund_kind(const char *n)
{
    if (g_str_has_prefix(n, "其中:") || g_str_has_prefix(n, "其中："))
        n = g_utf8_offset_to_pointer(n, 3);
    else if (g_str_has_prefix(n, "其中"))
        n = g_utf8_offset_to_pointer(n, 2);
    glong len = g_utf8_strlen(n, -1);
    if (len < 4 || len > 18)
        return LBL_NONE;
    /* the unit the label states ("年度预算资金（万元）") is no part of its word */
    char *bare = g_strdup(n);
    char *open = strrchr(bare, '(');
    if (open && g_str_has_suffix(bare, ")") && bpn_vocab_bracketed_unit(open))
        *open = '\0';
    else if (g_str_has_suffix(bare, ":"))
        bare[strlen(bare) - 1] = '\0';
    /* 实施期资金总额, 项目资金总额, 实施资金总额 | 年度资金总额, 年度预算资金总额,
     * 年度预算资金 (an income table's 一般公共预算资金 is no total) */
    gboolean total = (g_str_has_suffix(bare, "总额") && strstr(bare, "资金")) ||
                     (g_str_has_suffix(bare, "预算资金") && strstr(bare, "年度")); /* not 一般公共预算资金 */
    g_free(bare);
    if (total)
        return strstr(n, "年度") ? LBL_TOTAL_ANNUAL : LBL_TOTAL_PERIOD;
    if (len > 14)
        return LBL_NONE;
    /* a label names the source: 财政资金, 自筹, 其他资金 (a project name such
     * as "市四院专项保障资金" does not) */
    gboolean ends = g_str_has_suffix(n, "资金") || g_str_has_suffix(n, "资金:") || g_str_has_suffix(n, "自筹") ||
                    g_str_has_suffix(n, "自筹:");
    gboolean source = strstr(n, "财政") || strstr(n, "自筹") || g_str_has_prefix(n, "其他资金");
    if (!ends || !source)
        return LBL_NONE;
    if (strstr(n, "中央"))
        return LBL_CENTRAL;
    if (strstr(n, "省"))
        return LBL_PROVINCIAL;
    if (strstr(n, "自筹"))
        return LBL_SELF_RAISED;
    if (strstr(n, "其他"))
        return LBL_OTHER;
    if (strstr(n, "市") || strstr(n, "县") || strstr(n, "区"))
        return LBL_MUNICIPAL;
    return LBL_NONE;
}

/* g_str_has_prefix(s, prefix), inline: label_of tries every label of the
 * vocabulary on every cell it is asked about (is_footer_row asks about
 * every cell of every row), and nearly every try ends at the first or
 * second byte, before a call and two strlen would have returned. */
static inline gboolean begins_with(const char *s, const char *prefix)
{
    size_t k = 0;
    while (prefix[k] && s[k] == prefix[k])
        k++;
    return prefix[k] == '\0';
}

/* The label a cell's text begins with; *rest (may be NULL) gets the printed
 * text after the label and its colon, or NULL when nothing follows. */
static label_kind label_of(const char *printed, const char **rest)
{
    if (rest)
        *rest = NULL;
    if (!printed)
        return LBL_NONE;
    char *n = bpn_norm(printed);
    label_kind kind = LBL_NONE;
    glong used = 0;
    /* 绩效指标, 年度绩效指标, 绩效指标（年度）: alone in its cell, or before
     * the indicators written as text */
    static const char *const ind_labels[] = {"年度绩效指标", "实施期绩效指标", "绩效指标(年度)", "绩效指标"};
    for (size_t i = 0; i < G_N_ELEMENTS(ind_labels) && kind == LBL_NONE; i++) {
        const char *after = g_str_has_prefix(n, ind_labels[i]) ? n + strlen(ind_labels[i]) : NULL;
        if (after && (!*after || *after == ':')) {
            kind = LBL_INDICATORS;
            used = g_utf8_strlen(ind_labels[i], -1);
        }
    }
    for (size_t i = 0; i < form_n_labels && kind == LBL_NONE; i++)
        if (begins_with(n, form_labels[i].text)) {
            kind = form_labels[i].kind;
            used = g_utf8_strlen(form_labels[i].text, -1);
        }
    /* 经办人 misprinted with another first character (追办人, 赵办人) */
    if (kind == LBL_NONE && *n && g_str_has_prefix(g_utf8_next_char(n), "办人")) {
        kind = LBL_HANDLER;
        used = 3;
    }
    if (kind == LBL_NONE || kind == LBL_FUND_BLOCK) {
        label_kind f = fund_kind(n);
        if (f != LBL_NONE) {
            kind = f;
            used = g_utf8_strlen(n, -1);
        }
    }
    if (kind == LBL_FUND_BLOCK || IS_FUND_LABEL(kind)) {
        /* "项目资金（元）", "年度预算资金（万元）": the unit belongs to the label */
        const char *p = g_utf8_offset_to_pointer(n, used);
        const char *unit = bpn_vocab_unit_at(*p == '(' ? p + 1 : p);
        glong unit_len = unit ? g_utf8_strlen(unit, -1) : 0;
        if (unit && *p == '(' && p[1 + strlen(unit)] == ')')
            used += unit_len + 2;
        else if (unit && (*p == '(' || p[strlen(unit)] == ')'))
            used += unit_len + 1; /* a bracket lost: "(元", "元)" */
    }
    if (kind != LBL_NONE) {
        const char *p = g_utf8_offset_to_pointer(n, used);
        if (*p == ':')
            used++;
        if (rest) {
            const char *r = skip_printed(printed, used);
            /* a symbol the label defines ("评价总分(S)") belongs to it */
            *rest = *r && !bpn_match("^[(（][A-Za-z]{1,3}[)）]$", r) ? r : NULL;
        }
    }
    g_free(n);
    return kind;
}

/* ---- text ---- */

static gboolean is_digit_char(gunichar c)
{
    return c < 0x80 && g_ascii_isdigit((int)c);
}

/* A copy of s, trimmed, with the spaces between two CJK characters removed
 * (a word broken by the layout: "市县（区）财政资 金").  NULL when s holds
 * nothing.  Each join is recorded. */
static char *clean_text(bpn_document *doc, int page, const char *s)
{
    if (!s)
        return NULL;
    char *t = g_strstrip(g_strdup(s));
    if (!*t) {
        g_free(t);
        return NULL;
    }
    GString *o = g_string_new(NULL);
    gboolean joined = FALSE;
    for (const char *p = t; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((g_unichar_isspace(c) || c == 0x3000) && o->len) {
            gunichar before = g_utf8_get_char(g_utf8_find_prev_char(o->str, o->str + o->len));
            const char *q = p;
            while (*q && (g_unichar_isspace(g_utf8_get_char(q)) || g_utf8_get_char(q) == 0x3000))
                q = g_utf8_next_char(q);
            if (*q && bpn_is_cjk(before) && bpn_is_cjk(g_utf8_get_char(q))) {
                joined = TRUE;
                p = g_utf8_find_prev_char(t, q);
                continue;
            }
        }
        g_string_append_unichar(o, c);
    }
    if (joined)
        bpn_repair_add(doc, "broken_word_joined", page, t, o->str);
    g_free(t);
    return g_string_free(o, FALSE);
}

/* The digits of a date or an amount, white space inside taken out
 * ("2025011614 2334" → "20250116142334"); the join is recorded.  NULL when
 * s holds no digit. */
static char *join_digits(bpn_document *doc, int page, const char *s)
{
    char *t = s ? g_strstrip(g_strdup(s)) : NULL;
    if (!t || !*t) {
        g_free(t);
        return NULL;
    }
    GString *o = g_string_new(NULL);
    gboolean any_digit = FALSE;
    for (const char *p = t; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == 0x3000)
            continue;
        any_digit |= is_digit_char(c);
        g_string_append_unichar(o, c);
    }
    if (!any_digit) {
        g_free(t);
        g_string_free(o, TRUE);
        return NULL;
    }
    if (strcmp(o->str, t) != 0)
        bpn_repair_add(doc, "broken_word_joined", page, t, o->str);
    g_free(t);
    return g_string_free(o, FALSE);
}

/* Display width: a CJK character is two, anything else one. */
static int display_width(const char *s)
{
    int w = 0;
    for (const char *p = s; p && *p; p = g_utf8_next_char(p))
        w += bpn_is_cjk(g_utf8_get_char(p)) ? 2 : 1;
    return w;
}

/* Appends b to *a (a text split over two cells of one column). */
static void append_text(char **a, const char *b)
{
    if (!*a) {
        *a = g_strdup(b);
        return;
    }
    char *j = g_strconcat(*a, b, NULL);
    g_free(*a);
    *a = j;
}

/* ---- grid rows as cells ---- */

typedef struct {
    const char *text; /* printed; NULL when the cell is empty or not its area's top-left */
    double x0, x1;
    gboolean covered; /* part of a merged area that began on a row above */
    int rows;         /* rows the cell's merged area covers from this row down */
    gboolean to_foot; /* and it reaches the grid's last row */
} form_cell;

/* The cells of row r left to right: columns of one merged area next to each
 * other make one cell. */
static GArray *row_cells(const bpn_grid *g, int r, char *const *stacked)
{
    GArray *out = g_array_new(FALSE, TRUE, sizeof(form_cell));
    int nc = g->n_cols;
    for (int c = 0; c < nc;) {
        int root = g->region[r * nc + c];
        int e = c + 1;
        while (e < nc && g->region[r * nc + e] == root)
            e++;
        form_cell cell = {.x0 = g->xs[c], .x1 = g->xs[e]};
        int root_row = root / nc, root_col = root % nc;
        if (stacked && stacked[r * nc + root_col] && root_col >= c && root_col < e)
            cell.text = stacked[r * nc + root_col]; /* one of a stack of labels: its own row's */
        else if (root_row < r)
            cell.covered = TRUE;
        else if (root_col >= c && root_col < e && g->text[root] && *g->text[root])
            cell.text = g->text[root];
        while (r + cell.rows < g->n_rows && g->region[(r + cell.rows) * nc + c] == root)
            cell.rows++;
        cell.to_foot = r + cell.rows == g->n_rows;
        g_array_append_val(out, cell);
        c = e;
    }
    return out;
}

/* Stacked labels.  A label that wraps in a cell too low for it runs over
 * the rules above and below, and grid.c (an edge through a glyph is no
 * edge) merges it with its neighbours' label cells: one cell over several
 * rows reads "主管部门及代码项目属性".  When such a cell spans as many rows
 * as it holds header labels, and holds nothing else, each row gets its own
 * label back (a stack of other counts is left alone: which rows each label
 * spans is not known).  stack_labels() returns, per cell r * n_cols + c,
 * the label of that row (owned) or NULL; NULL when the grid has no stack. */

static int split_head_labels(const char *text, char **parts, int max)
{
    int n = 0;
    const char *p = text;
    while (p && *p) {
        const char *rest = NULL;
        label_kind k = label_of(p, &rest);
        if (!IS_HEAD_LABEL(k) || n == max) {
            for (int i = 0; i < n; i++)
                g_free(parts[i]);
            return 0;
        }
        parts[n++] = rest ? g_strndup(p, (gsize)(rest - p)) : g_strdup(p);
        p = rest;
    }
    return n;
}

static char **stack_labels(const bpn_grid *g)
{
    char **out = NULL;
    int nc = g->n_cols;
    for (int r = 0; r < g->n_rows; r++)
        for (int c = 0; c < nc; c++) {
            int k = r * nc + c;
            if (g->region[k] != k || !g->text[k])
                continue;
            int rows = 1;
            while (r + rows < g->n_rows && g->region[(r + rows) * nc + c] == k)
                rows++;
            char *parts[8];
            int n = rows >= 2 ? split_head_labels(g->text[k], parts, 8) : 0;
            if (n < 2 || n != rows) {
                for (int i = 0; i < n; i++)
                    g_free(parts[i]);
                continue;
            }
            if (!out)
                out = g_new0(char *, (gsize)(g->n_rows * nc));
            for (int i = 0; i < n; i++)
                out[(r + i) * nc + c] = parts[i];
        }
    return out;
}

static void stack_free(const bpn_grid *g, char **stacked)
{
    if (!stacked)
        return;
    for (int i = 0; i < g->n_rows * g->n_cols; i++)
        g_free(stacked[i]);
    g_free(stacked);
}

/* The first cell of a row that holds text. */
static const form_cell *first_text_cell(GArray *cells)
{
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (c->text)
            return c;
    }
    return NULL;
}

/* ---- the indicator grid's columns ---- */


typedef struct {
    gboolean set[N_IND_COLS];
    double x0[N_IND_COLS], x1[N_IND_COLS];
    gboolean annual_word; /* the value column says 年度/本年 */
    gboolean lost_rules;  /* one header cell holds the words of three columns or more */
} ind_columns;

/* The header row's words in order: which entry of header_words and its
 * x-range.  A cell holding several words is split evenly. */
typedef struct {
    int entry;
    double x0, x1;
} header_item;

static int word_entry(int word)
{
    for (int e = 0; e < (int)form_n_header_words; e++)
        if (form_header_words[e].word == word)
            return e;
    return 0;
}

/* A header cell that holds the words of several columns (the header's
 * rules were lost; the rows below keep them): its words are laid into the
 * grid's columns inside it, edges[0..m] (m columns), left to right.  Words
 * are read in reading order, line by line, so the parts of a total printed
 * under 其中 (财政资金, 其他资金 on the header's lower line) are moved to
 * stand right after their total (项目总额), where they are printed.  With
 * as many words as columns, one word a column; with more, the extra
 * indicator-level words (一级/二级/三级, which the rows below join in one
 * cell too) share the last column.  FALSE, nothing added, otherwise. */
static gboolean spread_header_words(const int *words_in, int k, const double *edges, int m, GArray *items)
{
    int words[16], n = 0;
    /* order: a total's parts right after it */
    int total = -1;
    for (int j = 0; j < k; j++)
        if (form_header_words[words_in[j]].word == W_EXTRA && form_header_words[words_in[j]].col == COL_TOTAL)
            total = j;
    for (int j = 0; j < k; j++) {
        int col = form_header_words[words_in[j]].word == W_EXTRA ? form_header_words[words_in[j]].col : -1;
        gboolean part = col == COL_FISCAL || col == COL_OTHERF;
        if (part && total >= 0)
            continue;
        words[n++] = words_in[j];
        if (j == total)
            for (int q = 0; q < k; q++) {
                int qc = form_header_words[words_in[q]].word == W_EXTRA ? form_header_words[words_in[q]].col : -1;
                if (qc == COL_FISCAL || qc == COL_OTHERF)
                    words[n++] = words_in[q];
            }
    }
    if (n < m)
        return FALSE;
    for (int j = m; j < n; j++)
        if (form_header_words[words[j]].word > W_L3)
            return FALSE;
    for (int j = 0; j < m - 1; j++) {
        header_item it = {words[j], edges[j], edges[j + 1]};
        g_array_append_val(items, it);
    }
    int rest = n - (m - 1);
    double w = (edges[m] - edges[m - 1]) / rest;
    for (int j = 0; j < rest; j++) {
        header_item it = {words[m - 1 + j], edges[m - 1] + j * w, edges[m - 1] + (j + 1) * w};
        g_array_append_val(items, it);
    }
    return TRUE;
}

/* The header word whose characters a cell's text holds in order, other
 * text between them (a header cell that took text overflowing from the
 * block above the page break: "项12目12名3语称音平台" holds 项目名称): the
 * one matched over the shortest stretch, or -1. */
static int interleaved_word(const char *n)
{
    int best = -1;
    glong best_span = 0;
    for (int w = 0; w < (int)form_n_header_words; w++) {
        const char *word = form_header_words[w].text;
        if (g_utf8_strlen(word, -1) < 3)
            continue;
        const char *p = n, *start = NULL;
        for (const char *q = word; *q && p; q = g_utf8_next_char(q)) {
            char ch[8] = {0};
            memcpy(ch, q, (size_t)(g_utf8_next_char(q) - q));
            p = strstr(p, ch);
            if (p && !start)
                start = p;
            if (p)
                p += strlen(ch);
        }
        if (!p)
            continue;
        glong span = g_utf8_pointer_to_offset(start, p);
        if (best < 0 || span < best_span ||
            (span == best_span && strlen(word) > strlen(form_header_words[best].text))) {
            best = w;
            best_span = span;
        }
    }
    return best;
}

/* The set of byte values a string holds, 256 bits. */
typedef struct {
    guint64 bit[4];
} byte_set;

static byte_set bytes_of(const char *s)
{
    byte_set b = {{0, 0, 0, 0}};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        b.bit[*p >> 6] |= (guint64)1 << (*p & 63);
    return b;
}

/* Whether every byte of `part` is one of `whole`'s: what a string needs to
 * hold `part` anywhere (header_items looks for each of the vocabulary's
 * header words in every cell of a candidate header row with strstr, a
 * million times over fixture 001; most cells lack a byte of the word's
 * first character or two, where this stops). */
static gboolean bytes_within(const char *part, const byte_set *whole)
{
    for (const unsigned char *p = (const unsigned char *)part; *p; p++)
        if (!(whole->bit[*p >> 6] >> (*p & 63) & 1))
            return FALSE;
    return TRUE;
}

static GArray *header_items(GArray *cells, gboolean *lost, const double *xs, int n_xs, gboolean loose)
{
    gboolean lost_rules = FALSE;
    GArray *items = g_array_new(FALSE, FALSE, sizeof(header_item));
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text)
            continue;
        char *n = bpn_norm(c->text);
        /* a word not in the cell is in no part of it (p is a suffix of n) */
        byte_set cell_bytes = bytes_of(n);
        int words[16], k = 0;
        for (const char *p = n; *p && k < 16;) {
            int best = -1;
            const char *at = NULL;
            for (int w = 0; w < (int)form_n_header_words; w++) {
                const char *f = bytes_within(form_header_words[w].text, &cell_bytes) ? strstr(p, form_header_words[w].text) : NULL;
                if (f && (!at || f < at || (f == at && strlen(form_header_words[w].text) > strlen(form_header_words[best].text)))) {
                    at = f;
                    best = w;
                }
            }
            /* "级指标" without its numeral (a glyph lost in extraction): the
             * word after the one before it */
            const char *bare = strstr(p, "级指标");
            if (bare && (!at || bare < at)) {
                int prev = k                ? form_header_words[words[k - 1]].word
                           : items->len ? form_header_words[g_array_index(items, header_item, items->len - 1).entry].word
                                        : -1;
                words[k++] = word_entry(prev == W_L1 ? W_L2 : prev == W_L2 ? W_L3 : prev == W_V ? W_L2 : W_L1);
                p = bare + strlen("级指标");
                continue;
            }
            if (best < 0)
                break;
            words[k++] = best;
            p = at + strlen(form_header_words[best].text);
        }
        if (k == 0 && loose) {
            int w = interleaved_word(n);
            if (w >= 0)
                words[k++] = w;
        }
        /* the grid's column edges inside the cell: the rules the header
         * lost but the rows below have */
        double edges[32];
        int m = 0;
        edges[m++] = c->x0;
        for (int e = 0; xs && e < n_xs && m < 31; e++)
            if (xs[e] > c->x0 + 2 && xs[e] < c->x1 - 2)
                edges[m++] = xs[e];
        edges[m] = c->x1;
        if (k >= 2 && m >= 2 && spread_header_words(words, k, edges, m, items)) {
            g_free(n);
            continue;
        }
        if (k >= 3)
            lost_rules = TRUE;
        for (int j = 0; j < k; j++) {
            double w = (c->x1 - c->x0) / k;
            header_item it = {words[j], c->x0 + j * w, c->x0 + (j + 1) * w};
            g_array_append_val(items, it);
        }
        g_free(n);
    }
    *lost = lost_rules;
    return items;
}

/* Reads the indicator grid's header row into cols; FALSE when the row is not
 * one (it must name 三级指标, or a 绩效指标 column of joined levels, and a
 * value).  single_annual: a grid with one side is the annual one (the form
 * has no 实施期), else it is read as the period side unless its value
 * column says 年度. */
static gboolean read_header_words(GArray *cells, ind_columns *cols, gboolean single_annual, const bpn_grid *g,
                                  gboolean loose);

/* The header row read by its words; a row that is a header by them has
 * its other cells searched for words interleaved with overflowing text. */
static gboolean read_indicator_header(GArray *cells, ind_columns *cols, gboolean single_annual, const bpn_grid *g)
{
    if (!read_header_words(cells, cols, single_annual, g, FALSE))
        return FALSE;
    ind_columns loose;
    if (read_header_words(cells, &loose, single_annual, g, TRUE))
        *cols = loose;
    return TRUE;
}

static gboolean read_header_words(GArray *cells, ind_columns *cols, gboolean single_annual, const bpn_grid *g,
                                  gboolean loose)
{
    ind_columns c = {0};
    GArray *items = header_items(cells, &c.lost_rules, g ? g->xs : NULL, g ? g->n_cols + 1 : 0, loose);
    static const int side_col[2][4] = {{COL_L1, COL_L2P, COL_L3P, COL_VP}, {COL_L1, COL_L2A, COL_L3A, COL_VA}};
    int side = 0;
    for (guint i = 0; i < items->len; i++) {
        const header_item *it = &g_array_index(items, header_item, i);
        int word = form_header_words[it->entry].word, col;
        if (word == W_EXTRA) {
            col = form_header_words[it->entry].col;
            if (c.set[col])
                continue;
        } else {
            if (word == W_V_ANNUAL) {
                c.annual_word = TRUE;
                word = W_V;
            }
            col = side_col[side][word];
            if (word == W_L1) {
                if (c.set[COL_L1])
                    continue;
            } else if (c.set[col]) {
                if (side == 1)
                    continue;
                side = 1;
                col = side_col[side][word];
                if (c.set[col])
                    continue;
            }
        }
        c.set[col] = TRUE;
        c.x0[col] = it->x0;
        c.x1[col] = it->x1;
    }
    g_array_unref(items);
    if (c.set[COL_L3P] || c.set[COL_L1])
        c.set[COL_JOINED] = FALSE; /* 绩效指标 there is the label column */
    if (!(c.set[COL_L3P] || c.set[COL_JOINED]) || !c.set[COL_VP])
        return FALSE;
    /* one side only: the annual one when the form or the header says so */
    if (!c.set[COL_L3A] && !c.set[COL_VA] && (single_annual || c.annual_word)) {
        static const int from[] = {COL_L2P, COL_L3P, COL_VP}, to[] = {COL_L2A, COL_L3A, COL_VA};
        for (int k = 0; k < 3; k++) {
            c.set[to[k]] = c.set[from[k]];
            c.x0[to[k]] = c.x0[from[k]];
            c.x1[to[k]] = c.x1[from[k]];
            c.set[from[k]] = FALSE;
        }
    }
    *cols = c;
    return TRUE;
}

/* The logical columns a cell covers (bit mask): those it overlaps by half
 * their width, or else the one under its centre. */
static unsigned cell_columns(const ind_columns *cols, const form_cell *cell)
{
    unsigned mask = 0;
    for (int k = 0; k < N_IND_COLS; k++) {
        if (!cols->set[k])
            continue;
        double ov = MIN(cell->x1, cols->x1[k]) - MAX(cell->x0, cols->x0[k]);
        if (ov >= 0.5 * (cols->x1[k] - cols->x0[k]))
            mask |= 1u << k;
    }
    if (mask)
        return mask;
    double mid = (cell->x0 + cell->x1) / 2;
    for (int k = 0; k < N_IND_COLS; k++)
        if (cols->set[k] && mid >= cols->x0[k] && mid < cols->x1[k])
            return 1u << k;
    return 0;
}

/* ---- the form being read ---- */

enum { CARRY_L1, CARRY_L2P, CARRY_L2A, N_CARRY };

typedef struct {
    bpn_target *target;  /* NULL: no form open */
    GPtrArray *period;   /* bpn_indicator*, the period side's rows */
    GPtrArray *annual;   /* the annual side's */
    ind_columns cols;
    gboolean have_cols;
    double x0, x1;       /* extent of the form's last grid */
    int last_page;
    char *carry[N_CARRY];       /* the labels filled down */
    int carry_noted[N_CARRY];   /* page where that fill-down was last recorded */
    gboolean goals_pending;     /* the row below holds the goals */
    double goal_x0[3], goal_x1[3]; /* 实施期目标, 年度目标, 目标实际完成情况 */
    gboolean goal_set[3];
    int year;                   /* of the last form, for forms printed without title */
    bpn_form_kind kind;         /* of the form being read, from its title */
    double unit_factor;         /* 元 per printed unit of the form's amounts */
    gboolean unit_known;
    gboolean first_data_row;    /* no indicator row read yet in the current grid */
    gboolean unreadable;        /* the form's grid lost its column rules: its grids are claimed, not read */
    char *title_name;           /* the subject its title names ("…项目绩效目标表"), or NULL */
    gboolean extent_set;        /* x0, x1 hold the form's extent */
    GPtrArray *awaiting;        /* bpn_target*: a long table's blocks read before their name (merged over
                                   them and the open form) was printed */
} form_reader;

/* A project code printed before the name, joined to it by - or _
 * ("11000026T000003742841-就业管理工作经费项目", "301007_泉州市公安局…"),
 * or glued to it when it is long ("11000022T000000451939北京市民…"): code
 * and name are kept apart.  A code is at least six (glued: twelve)
 * characters of digits and capitals with a digit at each end; a wrapped
 * code may hold a space ("11000025T00000335 3495-"), which is taken out. */
static void split_project_code(bpn_target *t)
{
    if (!t->project || t->project_code)
        return;
    char *code = bpn_capture("^\\s*([0-9][0-9A-Z ]{4,}[0-9])\\s*[-_－—]\\s*\\S", t->project, 1);
    gboolean joined = code != NULL;
    /* a long code glued to the name ("11000022T000000451939北京市民…") */
    if (!code)
        code = bpn_capture("^\\s*([0-9][0-9A-Z ]{10,}[0-9])\\s*\\p{Han}", t->project, 1);
    if (!code)
        return;
    const char *rest = strstr(t->project, code) + strlen(code);
    while (*rest == ' ')
        rest++;
    if (joined)
        rest = g_utf8_next_char(rest); /* the joining sign */
    while (*rest == ' ')
        rest++;
    GString *c = g_string_new(NULL);
    for (const char *p = code; *p; p++)
        if (*p != ' ')
            g_string_append_c(c, *p);
    g_free(code);
    char *name = g_strdup(rest);
    g_free(t->project);
    t->project = name;
    t->project_code = g_string_free(c, FALSE);
}

static void indicator_free(gpointer p)
{
    bpn_indicator *i = p;
    if (!i)
        return;
    g_free(i->level1);
    g_free(i->level2);
    g_free(i->level3);
    g_free(i->level3_printed);
    g_free(i->value);
    g_free(i->direction);
    g_free(i->measure_unit);
    g_free(i->actual);
    g_free(i->weight);
    g_free(i->score);
    g_free(i->deviation);
    g_free(i);
}

void bpn_target_free(gpointer p)
{
    bpn_target *t = p;
    if (!t)
        return;
    g_free(t->amount_unit);
    g_free(t->goal_actual);
    g_free(t->self_score);
    g_free(t->weight_total);
    g_free(t->grade);
    if (t->execution)
        g_ptr_array_unref(t->execution);
    if (t->checks)
        g_ptr_array_unref(t->checks);
    g_free(t->project);
    g_free(t->project_code);
    g_free(t->department);
    g_free(t->implementing_unit);
    g_free(t->attribute);
    g_free(t->period);
    g_free(t->overview);
    g_free(t->basis);
    g_free(t->necessity);
    g_free(t->measures);
    g_free(t->plan);
    g_free(t->goal_period);
    g_free(t->goal_annual);
    g_free(t->filled_at);
    if (t->pages)
        g_array_free(t->pages, TRUE);
    if (t->indicators)
        g_ptr_array_unref(t->indicators);
    g_free(t);
}

static void target_add_page(bpn_target *t, int page)
{
    for (guint i = 0; i < t->pages->len; i++)
        if (g_array_index(t->pages, int, i) == page)
            return;
    g_array_append_val(t->pages, page);
}

/* The unit of the form's amounts, when a label or a heading states it. */
static void reader_set_unit(form_reader *f, const char *unit)
{
    if (!f->target || f->target->amount_unit || !unit)
        return;
    f->target->amount_unit = g_strdup(unit);
    double to_wan = bpn_vocab_to_wan(unit);
    f->unit_factor = to_wan > 0 ? to_wan * 10000.0 : 1.0;
    f->unit_known = TRUE;
}

static void reader_start(form_reader *f, int year, bpn_form_kind kind, const char *unit)
{
    f->target = g_new0(bpn_target, 1);
    f->target->year = year;
    f->target->kind = kind;
    f->kind = kind;
    f->unit_factor = 1.0;
    f->unit_known = FALSE;
    reader_set_unit(f, unit);
    f->target->pages = g_array_new(FALSE, FALSE, sizeof(int));
    f->target->indicators = g_ptr_array_new_with_free_func(indicator_free);
    f->period = g_ptr_array_new();
    f->annual = g_ptr_array_new();
    f->have_cols = FALSE;
    f->unreadable = FALSE;
    f->goals_pending = FALSE;
    f->goal_set[0] = f->goal_set[1] = f->goal_set[2] = FALSE;
    for (int k = 0; k < N_CARRY; k++) {
        g_free(f->carry[k]);
        f->carry[k] = NULL;
        f->carry_noted[k] = 0;
    }
}

/* The blocks that waited in vain for their name: left out, with a warning. */
static void drop_awaiting(bpn_document *doc, form_reader *f)
{
    for (guint i = 0; f->awaiting && i < f->awaiting->len; i++) {
        bpn_target *t = f->awaiting->pdata[i];
        bpn_warn(doc, t->pages->len ? g_array_index(t->pages, int, 0) : 0,
                 "a performance-target form without 项目名称 was left out");
        bpn_target_free(t);
    }
    if (f->awaiting)
        g_ptr_array_set_size(f->awaiting, 0);
}

/* Closes the open form: its indicators, period side first, and the form
 * into doc->targets (a form whose 项目名称 was never read is dropped; a
 * long table's block waits for the name of the block after it). */
const char *bpn_target_unit(const bpn_target *t)
{
    return t->amount_unit ? t->amount_unit : t->amount_unit_assumed;
}

/* How many amounts of money a text states in 万元 and in 元 ("≤3843.67万元",
 * "1,200元"): a number, then the unit. */
static void money_units(const char *text, int *wan, int *yuan)
{
    static const char WAN[] = "万元", YUAN[] = "元";
    for (const char *p = text ? strstr(text, YUAN) : NULL; p; p = strstr(p + strlen(YUAN), YUAN)) {
        gboolean is_wan = p - text >= (ptrdiff_t)(strlen(WAN) - strlen(YUAN)) &&
                          strncmp(p - (strlen(WAN) - strlen(YUAN)), WAN, strlen(WAN)) == 0;
        const char *before = is_wan ? p - (strlen(WAN) - strlen(YUAN)) : p;
        while (before > text && before[-1] == ' ')
            before--;
        if (before > text && g_ascii_isdigit(before[-1]))
            ++*(is_wan ? wan : yuan);
    }
}

static void scale_amount(bpn_amount *a, double factor)
{
    if (a->set)
        a->value *= factor;
}

/* Scales every amount of f set (factor 1: none changes); TRUE when one is set. */
static gboolean scale_funds(bpn_funds *f, double factor)
{
    bpn_amount *all[] = {&f->total, &f->central, &f->provincial, &f->municipal, &f->self_raised,
                         &f->other, &f->fiscal, &f->basic, &f->project};
    gboolean any = FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        any |= all[i]->set;
        scale_amount(all[i], factor);
    }
    return any;
}

/* A form that prints no unit for its amounts was read in 元 (unit_factor
 * 1).  Forms print money in 万元 far more often than in 元, and a whole
 * department's year in 元 is a few thousand yuan: where the form's own
 * indicators state money in 万元 and never in 元 (基本经费投入成本
 * ≤3843.67万元), its amounts are taken as 万元 too; else as 元.  Either way
 * the output says the unit was assumed, and a warning names the form. */
static void assume_unit(bpn_document *doc, bpn_target *t)
{
    gboolean has_amount = scale_funds(&t->funds_period, 1.0) | scale_funds(&t->funds_annual, 1.0) ||
                          (t->execution && t->execution->len);
    if (t->amount_unit || !has_amount)
        return; /* a form without amounts has no unit to assume */
    int wan = 0, yuan = 0;
    for (guint i = 0; i < t->indicators->len; i++) {
        const bpn_indicator *ind = t->indicators->pdata[i];
        money_units(ind->value, &wan, &yuan);
        money_units(ind->actual, &wan, &yuan);
    }
    gboolean in_wan = wan > 0 && yuan == 0;
    t->amount_unit_assumed = in_wan ? "万元" : "元";
    if (in_wan) {
        scale_funds(&t->funds_period, 10000.0);
        scale_funds(&t->funds_annual, 10000.0);
        for (guint i = 0; t->execution && i < t->execution->len; i++) {
            bpn_execution_row *r = t->execution->pdata[i];
            for (int m = 0; m < BPN_EX_N_AMOUNTS; m++)
                scale_amount(&r->amount[m], 10000.0);
        }
    }
    bpn_warn(doc, t->pages->len ? g_array_index(t->pages, int, 0) : 0,
             in_wan ? "a performance-target form prints no unit for its amounts: read as 万元, the unit its "
                      "indicators state money in"
                    : "a performance-target form prints no unit for its amounts: read as 元");
}

static void reader_finish(bpn_document *doc, form_reader *f)
{
    bpn_target *t = f->target;
    if (!t)
        return;
    for (guint i = 0; i < f->period->len; i++)
        g_ptr_array_add(t->indicators, f->period->pdata[i]);
    for (guint i = 0; i < f->annual->len; i++)
        g_ptr_array_add(t->indicators, f->annual->pdata[i]);
    g_ptr_array_unref(f->period);
    g_ptr_array_unref(f->annual);
    f->period = f->annual = NULL;
    /* a 部门整体 form or a 自评表 is named after its department; a form
     * printed without a name label after its title */
    if (!t->project && t->department && t->kind != BPN_FORM_PROJECT)
        t->project = g_strdup(t->department);
    if (!t->project && f->title_name && (t->indicators->len || t->department))
        t->project = g_strdup(f->title_name);
    split_project_code(t);
    assume_unit(doc, t);
    if (t->kind == BPN_FORM_SELF_EVALUATION)
        bpn_target_check(t);
    gboolean waits = !t->project && t->indicators->len && f->have_cols && f->cols.set[COL_PROJ] && f->awaiting;
    if (!waits)
        drop_awaiting(doc, f);
    if (waits) {
        g_ptr_array_add(f->awaiting, t); /* named with the block after it */
    } else if (!t->project && t->indicators->len == 0 && (!t->department || f->unreadable)) {
        bpn_target_free(t); /* nothing read: a long table's header before its first block */
    } else if (t->project) {
        g_ptr_array_add(doc->targets, t);
        if (t->year)
            f->year = t->year;
    } else {
        bpn_warn(doc, t->pages->len ? g_array_index(t->pages, int, 0) : 0,
                 "a performance-target form without 项目名称 was left out");
        bpn_target_free(t);
    }
    f->target = NULL;
    g_clear_pointer(&f->title_name, g_free);
    for (int k = 0; k < N_CARRY; k++) {
        g_free(f->carry[k]);
        f->carry[k] = NULL;
    }
}

/* ---- the header block and the footer ---- */

static void set_text(char **slot, char *value)
{
    if (!*slot && value)
        *slot = value;
    else
        g_free(value);
}

static void set_amount(bpn_document *doc, int page, bpn_amount *slot, const char *printed, double factor)
{
    char *digits = join_digits(doc, page, printed);
    double v;
    if (slot && !slot->set && digits && bpn_parse_amount(digits, &v)) {
        slot->set = TRUE;
        slot->value = v * factor;
    }
    g_free(digits);
}

static bpn_amount *fund_slot(bpn_target *t, label_kind k, gboolean annual)
{
    bpn_funds *f = annual ? &t->funds_annual : &t->funds_period;
    switch (k) {
    case LBL_TOTAL_PERIOD:
        return &t->funds_period.total;
    case LBL_TOTAL_ANNUAL:
        return &t->funds_annual.total;
    case LBL_CENTRAL:
        return &f->central;
    case LBL_PROVINCIAL:
        return &f->provincial;
    case LBL_MUNICIPAL:
        return &f->municipal;
    case LBL_SELF_RAISED:
        return &f->self_raised;
    case LBL_OTHER:
        return &f->other;
    case LBL_FISCAL:
        return &t->funds_annual.fiscal;
    case LBL_BASIC:
        return &t->funds_annual.basic;
    case LBL_PROJECT_EXP:
        return &t->funds_annual.project;
    default:
        return NULL;
    }
}

static gboolean single_side_annual(const form_reader *f);

/* Gives a field of the form its printed value. */
static void assign(bpn_document *doc, int page, form_reader *f, label_kind k, gboolean annual, const char *printed)
{
    bpn_target *t = f->target;
    if (IS_FUND_LABEL(k)) {
        set_amount(doc, page, fund_slot(t, k, annual), printed, f->unit_factor);
        return;
    }
    char **slot = NULL;
    switch (k) {
    case LBL_PROJECT: slot = &t->project; break;
    case LBL_DEPARTMENT: slot = &t->department; break;
    case LBL_UNIT: slot = &t->implementing_unit; break;
    case LBL_ATTRIBUTE: slot = &t->attribute; break;
    case LBL_PERIOD: slot = &t->period; break;
    case LBL_OVERVIEW: slot = &t->overview; break;
    case LBL_BASIS: slot = &t->basis; break;
    case LBL_NECESSITY: slot = &t->necessity; break;
    case LBL_MEASURES: slot = &t->measures; break;
    case LBL_PLAN: slot = &t->plan; break;
    case LBL_GOAL_PERIOD: slot = &t->goal_period; break;
    case LBL_GOAL_ANNUAL: slot = &t->goal_annual; break;
    case LBL_GOALS: /* a goal beside 总体目标 itself: the form's one goal */
        slot = single_side_annual(f) ? &t->goal_annual : &t->goal_period;
        break;
    case LBL_GOAL_ACTUAL: slot = &t->goal_actual; break;
    case LBL_SCORE_TOTAL: slot = &t->self_score; break;
    case LBL_GRADE: slot = &t->grade; break;
    case LBL_FILLED_AT:
        set_text(&t->filled_at, join_digits(doc, page, printed));
        return;
    default:
        return;
    }
    set_text(slot, clean_text(doc, page, printed));
}

/* A fund block of one side, the 年度 one: the form has a 年度 total and no
 * 实施期 total. */
static gboolean single_fund_side_annual(const bpn_target *t)
{
    return t->funds_annual.total.set && !t->funds_period.total.set;
}

/* The 总分 row of a 自评表 may print two figures: the 分值 total under the
 * indicators' 分值 column and the score under their 得分 column ("总分 | 100
 * | 98").  Where a value from cell `from` on stands under the 得分 column,
 * it is the score and the one under 分值 the weight total; TRUE when so. */
static gboolean read_score_total(bpn_document *doc, form_reader *f, int page, GArray *cells, guint from)
{
    if (!f->have_cols || !f->cols.set[COL_SC])
        return FALSE;
    const form_cell *score = NULL, *weight = NULL;
    for (guint i = from; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text || c->covered)
            continue;
        double mid = (c->x0 + c->x1) / 2;
        if (mid > f->cols.x0[COL_SC] && mid < f->cols.x1[COL_SC])
            score = c;
        else if (f->cols.set[COL_WT] && mid > f->cols.x0[COL_WT] && mid < f->cols.x1[COL_WT])
            weight = c;
    }
    if (!score)
        return FALSE;
    set_text(&f->target->self_score, clean_text(doc, page, score->text));
    if (weight)
        set_text(&f->target->weight_total, clean_text(doc, page, weight->text));
    return TRUE;
}

/* Reads a row of labels and values (header block or footer). */
static void read_label_row(bpn_document *doc, form_reader *f, int page, GArray *cells)
{
    label_kind pending = LBL_NONE;
    gboolean pending_annual = FALSE;
    int funds_seen = 0;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (c->covered)
            continue;
        const char *rest = NULL;
        label_kind k = label_of(c->text, &rest);
        if (k != LBL_NONE) {
            pending = k;
            pending_annual = FALSE;
            /* the row's second money label is the 年度 side; its first
             * too when the form has a 年度 total only (a fund block of one
             * side: 资金总额 | 财政拨款 | 其他资金 on rows of their own) */
            if (IS_FUND_LABEL(k))
                pending_annual = k == LBL_TOTAL_ANNUAL ||
                                 (k != LBL_TOTAL_PERIOD && (funds_seen > 0 || single_fund_side_annual(f->target)));
            funds_seen += IS_FUND_LABEL(k);
            if (k == LBL_FUND_BLOCK || IS_FUND_LABEL(k)) {
                char *n = bpn_norm(c->text);
                reader_set_unit(f, bpn_vocab_bracketed_unit(n));
                g_free(n);
            }
            if (k == LBL_GOAL_PERIOD || k == LBL_GOAL_ANNUAL || k == LBL_GOAL_ACTUAL) {
                int side = k == LBL_GOAL_PERIOD ? 0 : k == LBL_GOAL_ANNUAL ? 1 : 2;
                f->goal_x0[side] = c->x0;
                f->goal_x1[side] = c->x1;
                f->goal_set[side] = TRUE;
                f->goals_pending = TRUE;
            }
            /* a label glued to labels only ("部门名称总体资金情况（万元）":
             * two label cells merged down the label column) is no value:
             * the value is the next cell; the second label may state the
             * unit */
            char *glued[8];
            int n_glued = rest ? split_head_labels(rest, glued, 8) : 0;
            for (int j = 0; j < n_glued; j++)
                g_free(glued[j]);
            if (n_glued > 0) {
                char *n = bpn_norm(rest);
                reader_set_unit(f, bpn_vocab_bracketed_unit(n));
                g_free(n);
                rest = NULL;
            }
            if (rest) {
                assign(doc, page, f, k, pending_annual, rest);
                pending = LBL_NONE;
            }
            continue;
        }
        if (pending == LBL_NONE)
            continue;
        if (c->text && pending == LBL_SCORE_TOTAL && read_score_total(doc, f, page, cells, i)) {
            pending = LBL_NONE;
            continue;
        }
        if (c->text) {
            assign(doc, page, f, pending, pending_annual, c->text);
            if (pending == LBL_GOAL_PERIOD || pending == LBL_GOAL_ANNUAL || pending == LBL_GOAL_ACTUAL)
                f->goals_pending = FALSE; /* the goal stands beside its label */
            pending = LBL_NONE;
        } else if (IS_FUND_LABEL(pending)) {
            pending = LBL_NONE; /* a blank amount */
        }
    }
}

/* The row under 实施期目标 | 年度目标: each text to the label above it. */
static void read_goal_row(bpn_document *doc, form_reader *f, int page, GArray *cells)
{
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text || label_of(c->text, NULL) != LBL_NONE)
            continue;
        int best = -1;
        double best_ov = 0;
        for (int side = 0; side < 3; side++) {
            double ov = f->goal_set[side] ? MIN(c->x1, f->goal_x1[side]) - MAX(c->x0, f->goal_x0[side]) : 0;
            if (ov > best_ov) {
                best_ov = ov;
                best = side;
            }
        }
        if (best >= 0)
            assign(doc, page, f, best == 2 ? LBL_GOAL_ACTUAL : best ? LBL_GOAL_ANNUAL : LBL_GOAL_PERIOD, FALSE,
                   c->text);
    }
    f->goals_pending = FALSE;
}

/* ---- indicator rows ---- */

/* The longest word of words that s begins with, shorter than s; NULL if none. */
static const char *prefix_word(const char *s, const char *const *words, size_t n)
{
    const char *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (g_str_has_prefix(s, words[i]) && strlen(words[i]) < strlen(s) &&
            (!best || strlen(words[i]) > strlen(best)))
            best = words[i];
    return best;
}

/* A value printed at the end of s ("…合格率100%", "…≥310人"): its start, or
 * NULL. */
static const char *value_tail(const char *s)
{
    char *v = bpn_capture("^.*?[^\\d.,≥≤<>=＞＜约]((?:[≥≤<>=＞＜]|约|不低于|不少于|不高于|不超过)?\\d+(?:[.,]\\d+)*"
                          "(?:%|％|‰|[\\x{4e00}-\\x{9fff}]{1,2}(?:/[\\x{4e00}-\\x{9fff}]{1,2})?)?)$",
                          s, 1);
    const char *at = NULL;
    if (v && g_str_has_suffix(s, v))
        at = s + strlen(s) - strlen(v);
    g_free(v);
    return at;
}

/* Splits the text of a cell that covers the adjacent logical columns a and
 * b into *left and *right; FALSE when no split is found.  txt holds the
 * row's other columns. */
static gboolean split_pair(const char *text, int a, int b, char *const *txt, char **left, char **right)
{
    *left = *right = NULL;
    if ((a == COL_L3P && b == COL_VP) || (a == COL_L3A && b == COL_VA)) {
        /* the value: the other side's value if it is in the text, else a value-like tail */
        const char *other = txt[a == COL_L3P ? COL_VA : COL_VP];
        const char *at = other && *other ? strstr(text, other) : NULL;
        if (at && at > text) {
            *left = g_strndup(text, (gsize)(at - text));
            append_text(left, at + strlen(other));
            *right = g_strdup(other);
            return TRUE;
        }
        const char *tail = value_tail(text);
        if (tail && tail > text) {
            *left = g_strndup(text, (gsize)(tail - text));
            *right = g_strdup(tail);
            return TRUE;
        }
        return FALSE;
    }
    if ((a == COL_L2P && b == COL_L3P) || (a == COL_L2A && b == COL_L3A) || (a == COL_L1 && b == COL_L2P)) {
        const char *const *words = a == COL_L1 ? form_level1_words : form_level2_words;
        size_t n = a == COL_L1 ? form_n_level1_words : form_n_level2_words;
        const char *other = a == COL_L2P ? txt[COL_L2A] : a == COL_L2A ? txt[COL_L2P] : NULL;
        const char *w = other && g_str_has_prefix(text, other) && strlen(other) < strlen(text)
                            ? other
                            : prefix_word(text, words, n);
        if (!w)
            return FALSE;
        *left = g_strdup(w);
        *right = g_strdup(text + strlen(w));
        return TRUE;
    }
    if (a == COL_VP && b == COL_L2A) {
        for (size_t i = 0; i < form_n_level2_words; i++)
            if (g_str_has_suffix(text, form_level2_words[i]) && strlen(text) > strlen(form_level2_words[i])) {
                *left = g_strndup(text, strlen(text) - strlen(form_level2_words[i]));
                *right = g_strdup(form_level2_words[i]);
                return TRUE;
            }
    }
    return FALSE;
}

/* Puts the text of a cell that covers several logical columns back into
 * its columns. */
static void realign(bpn_document *doc, int page, const char *text, unsigned mask, char **txt)
{
    int cols[N_IND_COLS], n = 0;
    for (int k = 0; k < N_IND_COLS; k++)
        if (mask & (1u << k))
            cols[n++] = k;
    char *left = NULL, *right = NULL;
    if (n == 2 && !txt[cols[0]] && !txt[cols[1]] && split_pair(text, cols[0], cols[1], txt, &left, &right)) {
        char *l = g_strstrip(left), *r = g_strstrip(right);
        if (*l && *r) {
            char *to = g_strdup_printf("%s | %s", l, r);
            bpn_repair_add(doc, "value_realigned", page, text, to);
            g_free(to);
            txt[cols[0]] = g_strdup(l);
            txt[cols[1]] = g_strdup(r);
            g_free(left);
            g_free(right);
            return;
        }
    }
    g_free(left);
    g_free(right);
    /* no split: the text stays in the first column it covers */
    append_text(&txt[cols[0]], text);
}

/* The label of column k (CARRY_*) for this row: the printed one (taken
 * over), which starts a new run, or the one above it.  The first row of a
 * page that takes a label from above records the fill-down; used says
 * whether the row side yields an indicator. */
static const char *fill_down(bpn_document *doc, form_reader *f, int k, char *printed, int page, gboolean used)
{
    if (printed) {
        g_free(f->carry[k]);
        f->carry[k] = printed;
        f->carry_noted[k] = 0;
        return printed;
    }
    if (f->carry[k] && used && f->carry_noted[k] != page) {
        bpn_repair_add(doc, "cell_filled_down", page, "", f->carry[k]);
        f->carry_noted[k] = page;
    }
    return f->carry[k];
}

/* A row of a form printed as one long table (项目名称 | 项目总额 | … |
 * 一级指标 …): a name printed in the 项目名称 column starts the next form,
 * unless it is the first row of a grid continuing the form on a new page
 * and it prints no amount where the form has one (the rest of the name's
 * merged cell, cut by the page break), which is added to the name.  The
 * block's 项目总额, 其他资金 and 绩效目标 go to the form. */
static gboolean same_text(const char *a, const char *b)
{
    char *x = bpn_norm(a), *y = bpn_norm(b);
    gboolean same = strcmp(x, y) == 0;
    g_free(x);
    g_free(y);
    return same;
}

static void long_table_block(bpn_document *doc, form_reader *f, int page, char **txt, gboolean nameless)
{
    gboolean repeated = FALSE;
    char *name = txt[COL_PROJ];
    txt[COL_PROJ] = NULL;
    if (name && f->target && !f->target->project && f->first_data_row) {
        /* the block begun without its name on the page before, and the
         * amount blocks before it under the same merged name */
        f->target->project = name;
        name = NULL;
        for (guint i = 0; i < f->awaiting->len; i++) {
            bpn_target *t = f->awaiting->pdata[i];
            t->project = g_strdup(f->target->project);
            split_project_code(t);
            g_ptr_array_add(doc->targets, t);
        }
        g_ptr_array_set_size(f->awaiting, 0);
    }
    /* an amount block of its own under a name merged over several (one
     * project for several units, each with its amounts, goal and
     * indicators): a form of its own, of the same name */
    gboolean other_amount = FALSE; /* the row prints an amount block of its own */
    if (txt[COL_TOTAL] && f->target && f->target->funds_annual.total.set && f->cols.set[COL_TOTAL]) {
        double v;
        char *digits = join_digits(doc, page, txt[COL_TOTAL]);
        /* at the top of a page, the amount of the block cut by the page
         * break may be printed again: the same amount goes on */
        other_amount = digits && bpn_parse_amount(digits, &v) &&
                       (!f->first_data_row || fabs(v * f->unit_factor - f->target->funds_annual.total.value) > 0.005);
        g_free(digits);
    }
    if (!name && !nameless && other_amount) {
        if (f->target->project)
            name = g_strdup(f->target->project);
        else
            nameless = TRUE; /* the name merged over both is still to come */
    }
    gboolean coded = name && bpn_match("^\\s*[0-9][0-9A-Z ]{5,}", name);
    int first_page = f->target && f->target->pages->len ? g_array_index(f->target->pages, int, 0) : page;
    if (name && f->target && f->target->project && f->first_data_row &&
        ((!txt[COL_TOTAL] && f->target->funds_annual.total.set && !coded) ||
         /* a block begun at the foot of the page before with its name only:
          * its amounts are printed here, beside the rest of its name */
         (txt[COL_TOTAL] && f->cols.set[COL_TOTAL] && !f->target->funds_annual.total.set && !coded &&
          first_page < page) ||
         /* a code at the foot of a page, the rest of its name at the top of the next */
         (bpn_match("^[0-9A-Z ]{6,}$", f->target->project) && bpn_match("^[0-9A-Z ]*[-_－—]", name)))) {
        append_text(&f->target->project, name);
        g_free(name);
        name = NULL;
    } else if (name && f->target && f->target->project && f->first_data_row && !other_amount &&
               same_text(name, f->target->project)) {
        /* the name printed again at the top of the next page: the block goes on */
        target_add_page(f->target, page);
        g_free(name);
        name = NULL;
        repeated = TRUE;
    } else if (name || nameless) {
        ind_columns cols = f->cols;
        int year = f->target ? f->target->year : f->year;
        char *unit = f->target && f->target->amount_unit ? g_strdup(f->target->amount_unit) : NULL;
        bpn_form_kind kind = f->kind;
        reader_finish(doc, f);
        reader_start(f, year, kind, unit);
        g_free(unit);
        f->cols = cols;
        f->have_cols = TRUE;
        target_add_page(f->target, page);
        f->target->project = name;
    }
    if (!f->target)
        return;
    if (txt[COL_TOTAL])
        set_amount(doc, page, &f->target->funds_annual.total, txt[COL_TOTAL], f->unit_factor);
    if (txt[COL_OTHERF])
        set_amount(doc, page, &f->target->funds_annual.other, txt[COL_OTHERF], f->unit_factor);
    if (txt[COL_FISCAL])
        set_amount(doc, page, &f->target->funds_annual.fiscal, txt[COL_FISCAL], f->unit_factor);
    if (txt[COL_GOAL] && repeated && f->target->goal_annual && same_text(txt[COL_GOAL], f->target->goal_annual))
        return; /* printed again with the name */
    if (txt[COL_GOAL]) {
        if (f->target->goal_annual)
            append_text(&f->target->goal_annual, txt[COL_GOAL]);
        else
            f->target->goal_annual = g_strdup(txt[COL_GOAL]);
    }
}

static bpn_indicator *indicator_new(gboolean annual, const char *l1, const char *l2, char *l3, char *value, int page)
{
    bpn_indicator *i = g_new0(bpn_indicator, 1);
    i->annual = annual;
    i->level1 = g_strdup(l1);
    i->level2 = g_strdup(l2);
    i->level3 = l3;
    i->value = value;
    i->page = page;
    return i;
}

/* Splits "产出指标数量指标培训人数" (一级, 二级 and 三级 run together in one
 * cell, or a cell's levels joined by a lost rule) by the 一级 and 二级
 * vocabularies, separators (-, —, ／) between them taken out.  Each part
 * may come back NULL. */
static void split_levels(const char *text, char **l1, char **l2, char **l3)
{
    *l1 = *l2 = *l3 = NULL;
    /* printed with separators: "一级-二级-三级" is what it says, even where a
     * level is not the template's word */
    char **parts = g_regex_split_simple("\\s*[-—－／]\\s*", text, 0, 0);
    if (g_strv_length(parts) == 3 && *parts[0] && *parts[1] && *parts[2]) {
        *l1 = g_strdup(parts[0]);
        *l2 = g_strdup(parts[1]);
        *l3 = g_strdup(parts[2]);
        g_strfreev(parts);
        return;
    }
    g_strfreev(parts);
    const char *p = text;
    for (int level = 0; level < 2; level++) {
        while (*p && strchr("-/ ", *p))
            p++;
        while (g_str_has_prefix(p, "—") || g_str_has_prefix(p, "－") || g_str_has_prefix(p, "／"))
            p = g_utf8_next_char(p);
        const char *const *words = level == 0 ? form_level1_words : form_level2_words;
        size_t n = level == 0 ? form_n_level1_words : form_n_level2_words;
        const char *w = NULL;
        for (size_t i = 0; i < n; i++)
            if (g_str_has_prefix(p, words[i]) && (!w || strlen(words[i]) > strlen(w)))
                w = words[i];
        if (!w)
            continue;
        *(level == 0 ? l1 : l2) = g_strdup(w);
        p += strlen(w);
    }
    while (*p && strchr("-/ ", *p))
        p++;
    while (g_str_has_prefix(p, "—") || g_str_has_prefix(p, "－") || g_str_has_prefix(p, "／"))
        p = g_utf8_next_char(p);
    *l3 = *p ? g_strdup(p) : NULL;
}

/* Indicators written as text in one cell: items "一级-二级-三级：指标值"
 * separated by ；, ; or line ends, maybe numbered ("1." "（1）").  Each item
 * becomes an indicator of the given scope; an item without a colon keeps
 * its text as 三级 with a value-like tail as the value.  On a page read by
 * OCR a colon with no 三级 before it and another colon after it is a
 * separator misread.  Returns how many. */
/* A numbered list ("1.…；2.…") whose separator was lost at a line end
 * ("有效提高12.满意度指标…": the ； ended a wrapped line and was not
 * extracted): each next number, found in order after a non-digit, starts
 * an item.  Returns the text with a ； put before each number that lacks
 * one.  Caller frees. */
static char *separate_numbered(const char *text)
{
    GString *out = g_string_new(NULL);
    const char *p = text;
    while (*p == ' ')
        p++;
    if (!g_str_has_prefix(p, "1.") && !g_str_has_prefix(p, "1、") && !g_str_has_prefix(p, "1．")) {
        g_string_free(out, TRUE);
        return g_strdup(text);
    }
    const char *from = text;
    for (int next = 2;; next++) {
        char pat[16];
        const char *at = NULL;
        for (const char *q = p + 1; *q && !at; q++) {
            int len = g_snprintf(pat, sizeof pat, "%d", next);
            if (strncmp(q, pat, (size_t)len) == 0 && !g_ascii_isdigit(q[-1]) && !g_ascii_isdigit(q[len]) &&
                ((q[len] == '.' && !g_ascii_isdigit(q[len + 1])) /* not 4.5 */ || g_str_has_prefix(q + len, "、") ||
                 g_str_has_prefix(q + len, "．")))
                at = q;
        }
        if (!at)
            break;
        g_string_append_len(out, from, at - from);
        const char *prev = g_utf8_find_prev_char(text, at);
        gunichar pc = prev ? g_utf8_get_char(prev) : 0;
        if (pc != 0xFF1B && pc != ';' && pc != '\n' && pc != ' ')
            g_string_append(out, "；");
        from = at;
        p = at;
    }
    g_string_append(out, from);
    return g_string_free(out, FALSE);
}

static gboolean ocr_page(const bpn_document *doc, int page);

static int read_indicator_text(bpn_document *doc, form_reader *f, int page, const char *text_in, gboolean annual)
{
    char *text = separate_numbered(text_in);
    char **items = g_regex_split_simple("[；;\n]|(?:^|\\s)(?:\\d{1,2}[.、．]|[（(]\\d{1,2}[）)])", text, 0, 0);
    int n = 0;
    for (int i = 0; items[i]; i++) {
        char *item = clean_text(doc, page, items[i]);
        if (!item)
            continue;
        char *num = bpn_capture("^((?:\\d{1,2}[.、．]|[（(]\\d{1,2}[）)]|[①-⑳]))", item, 1);
        if (num) { /* the item's number */
            memmove(item, item + strlen(num), strlen(item) - strlen(num) + 1);
            g_free(num);
        }
        const char *colon = strstr(item, "：");
        gsize clen = colon ? strlen("：") : 1;
        if (!colon)
            colon = strchr(item, ':');
        char *path = colon ? g_strndup(item, (gsize)(colon - item)) : g_strdup(item);
        char *value = colon && colon[clen] ? g_strstrip(g_strdup(colon + clen)) : NULL;
        char *l1, *l2, *l3;
        split_levels(path, &l1, &l2, &l3);
        /* on a page read by OCR, a separator between the levels read as a
         * colon ("效益指标：社会效益指标-…：有效提升"): a colon before which
         * no 三级指标 stands, with another colon after it, parts levels */
        const char *next_colon = value ? strstr(value, "：") : NULL;
        if (!next_colon && value)
            next_colon = strchr(value, ':');
        if (!l3 && (l1 || l2) && next_colon && next_colon > value && ocr_page(doc, page)) {
            gsize nlen = g_str_has_prefix(next_colon, "：") ? strlen("：") : 1;
            char *joined = g_strdup_printf("%s-%.*s", path, (int)(next_colon - value), value);
            char *rest = next_colon[nlen] ? g_strstrip(g_strdup(next_colon + nlen)) : NULL;
            g_free(l1), g_free(l2), g_free(path), g_free(value);
            path = joined;
            value = rest;
            split_levels(path, &l1, &l2, &l3);
        }
        if (!value && l3) {
            const char *tail = value_tail(l3);
            if (tail && tail > l3) {
                value = g_strdup(tail);
                char *head = g_strndup(l3, (gsize)(tail - l3));
                g_free(l3);
                l3 = head;
            }
        }
        if ((l1 || l2) && (l3 || value)) {
            bpn_indicator *ind = g_new0(bpn_indicator, 1);
            ind->annual = annual;
            ind->level1 = l1;
            ind->level2 = l2;
            ind->level3 = l3;
            ind->value = value;
            ind->page = page;
            g_ptr_array_add(annual ? f->annual : f->period, ind);
            n++;
        } else {
            g_free(l1);
            g_free(l2);
            g_free(l3);
            g_free(value);
        }
        g_free(path);
        g_free(item);
    }
    g_strfreev(items);
    g_free(text);
    return n;
}

static void read_indicator_row(bpn_document *doc, form_reader *f, int page, GArray *cells)
{
    char *txt[N_IND_COLS] = {0};
    typedef struct {
        char *text;
        unsigned mask;
    } wide_cell;
    wide_cell wide[N_IND_COLS];
    int n_wide = 0;
    gboolean empty_block = FALSE;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        /* an empty merged cell beginning in the 项目名称 column below the
         * grid's first data row: a block whose name is printed where the
         * cell's middle falls, on a later page */
        if (!c->covered && !c->text && f->cols.set[COL_PROJ] && !f->first_data_row && (c->rows >= 2 || c->to_foot) &&
            cell_columns(&f->cols, c) == 1u << COL_PROJ)
            empty_block = TRUE;
        if (c->covered || !c->text)
            continue;
        unsigned mask = cell_columns(&f->cols, c);
        if (!mask || label_of(c->text, NULL) == LBL_INDICATORS)
            continue;
        char *t = clean_text(doc, page, c->text);
        if (!t)
            continue;
        if ((mask & (mask - 1)) == 0) {
            int k = g_bit_nth_lsf(mask, -1);
            append_text(&txt[k], t);
            g_free(t);
        } else if (n_wide < N_IND_COLS) {
            wide[n_wide++] = (wide_cell){t, mask};
        } else {
            g_free(t);
        }
    }
    /* merged cells last: the row's other texts help to split them */
    for (int i = 0; i < n_wide; i++) {
        realign(doc, page, wide[i].text, wide[i].mask, txt);
        g_free(wide[i].text);
    }
    /* a row with amounts only (the second header line of a page, 财政资金 |
     * 其他资金, that took the amount of a block cut by the page break) is
     * not the grid's first data row */
    gboolean content = txt[COL_PROJ] || txt[COL_GOAL];
    for (int k = COL_L1; k <= COL_JOINED && !content; k++)
        content = txt[k] != NULL;
    /* one long table: a project's row block begins where its name is printed */
    if (f->cols.set[COL_PROJ])
        long_table_block(doc, f, page, txt, empty_block && !txt[COL_PROJ]);
    /* 一级, 二级 and 三级 run together in one 绩效指标 cell */
    if (txt[COL_JOINED]) {
        gboolean a_side = f->cols.set[COL_VA];
        char *l1, *l2, *l3;
        split_levels(txt[COL_JOINED], &l1, &l2, &l3);
        set_text(&txt[COL_L1], l1);
        set_text(&txt[a_side ? COL_L2A : COL_L2P], l2);
        set_text(&txt[a_side ? COL_L3A : COL_L3P], l3);
    }
    /* a 一级 cell that holds its 二级 too ("产出指标数量指标": the rule
     * between the two columns lost on the whole page) */
    int l2col = f->cols.set[COL_L2A] && !f->cols.set[COL_L2P] ? COL_L2A : COL_L2P;
    if (txt[COL_L1] && !txt[l2col]) {
        char *n = bpn_norm(txt[COL_L1]);
        const char *w1 = prefix_word(n, form_level1_words, form_n_level1_words);
        const char *rest = w1 ? n + strlen(w1) : NULL;
        gboolean is_l2 = FALSE;
        for (size_t i = 0; rest && i < form_n_level2_words && !is_l2; i++)
            is_l2 = strcmp(rest, form_level2_words[i]) == 0;
        if (is_l2) {
            char *from = txt[COL_L1];
            txt[COL_L1] = g_strdup(w1);
            txt[l2col] = g_strdup(rest);
            char *to = g_strdup_printf("%s | %s", w1, rest);
            bpn_repair_add(doc, "value_realigned", page, from, to);
            g_free(to);
            g_free(from);
        }
        g_free(n);
    }
    /* a 一级 cell that holds one label twice, the second perhaps cut
     * ("一般性支出情况一般性支出情"): the same label printed as 一级 and as
     * 二级 in cells too narrow for it, joined when the rule between them
     * was lost under the overflowing text */
    if (txt[COL_L1] && !txt[l2col]) {
        glong len = g_utf8_strlen(txt[COL_L1], -1);
        for (glong i = (len + 1) / 2; i <= len - 2; i++) {
            const char *cut = g_utf8_offset_to_pointer(txt[COL_L1], i);
            if (strncmp(txt[COL_L1], cut, strlen(cut)) == 0) {
                char *from = txt[COL_L1];
                txt[COL_L1] = g_strndup(from, (gsize)(cut - from));
                txt[l2col] = g_strdup(txt[COL_L1]);
                char *to = g_strdup_printf("%s | %s", txt[COL_L1], txt[l2col]);
                bpn_repair_add(doc, "value_realigned", page, from, to);
                g_free(to);
                g_free(from);
                break;
            }
        }
    }
    if (content)
        f->first_data_row = FALSE;
    gboolean period = txt[COL_L3P] || txt[COL_VP], annual = txt[COL_L3A] || txt[COL_VA];
    /* the printing system cut the annual text where the period one is whole */
    char *printed = NULL;
    if (annual && txt[COL_L3A] && txt[COL_L3P] && strlen(txt[COL_L3A]) < strlen(txt[COL_L3P]) &&
        g_str_has_prefix(txt[COL_L3P], txt[COL_L3A])) {
        printed = txt[COL_L3A];
        txt[COL_L3A] = g_strdup(txt[COL_L3P]);
        bpn_repair_add(doc, "cut_off_completed", page, printed, txt[COL_L3A]);
    }
    /* the label texts go to the fill-down, the others to the indicators */
    char *printed_l1 = txt[COL_L1] ? g_strdup(txt[COL_L1]) : NULL;
    const char *l1 = fill_down(doc, f, CARRY_L1, txt[COL_L1], page, period || annual);
    const char *l2p = fill_down(doc, f, CARRY_L2P, txt[COL_L2P], page, period);
    const char *l2a = fill_down(doc, f, CARRY_L2A, txt[COL_L2A], page, annual);
    /* two 一级 cells joined: each row takes the one its 二级 belongs to */
    const char *parts[4];
    int n_parts = l1 ? level1_parts(l1, parts) : 0;
    const char *l1p = n_parts ? level1_of(l2p, parts, n_parts) : NULL;
    const char *l1a = n_parts ? level1_of(l2a, parts, n_parts) : NULL;
    if (printed_l1 && n_parts) {
        GString *to = g_string_new(parts[0]);
        for (int i = 1; i < n_parts; i++)
            g_string_append_printf(to, " | %s", parts[i]);
        bpn_repair_add(doc, "value_realigned", page, printed_l1, to->str);
        g_string_free(to, TRUE);
    }
    g_free(printed_l1);
    if (period)
        g_ptr_array_add(f->period, indicator_new(FALSE, l1p ? l1p : l1, l2p, txt[COL_L3P], txt[COL_VP], page));
    bpn_indicator *last = NULL;
    if (annual) {
        bpn_indicator *ind = indicator_new(TRUE, l1a ? l1a : l1, l2a, txt[COL_L3A], txt[COL_VA], page);
        ind->level3_printed = printed;
        g_ptr_array_add(f->annual, ind);
        last = ind;
    } else if (period) {
        last = f->period->pdata[f->period->len - 1];
    }
    /* the columns printed beside the (single) side */
    static const int extra_cols[] = {COL_DIR, COL_MU, COL_ACT, COL_WT, COL_SC, COL_DEV};
    for (size_t k = 0; k < G_N_ELEMENTS(extra_cols); k++) {
        char *v = txt[extra_cols[k]];
        txt[extra_cols[k]] = NULL;
        if (!last) {
            g_free(v);
            continue;
        }
        char **slot = extra_cols[k] == COL_DIR   ? &last->direction
                      : extra_cols[k] == COL_MU  ? &last->measure_unit
                      : extra_cols[k] == COL_ACT ? &last->actual
                      : extra_cols[k] == COL_WT  ? &last->weight
                      : extra_cols[k] == COL_SC  ? &last->score
                                                 : &last->deviation;
        set_text(slot, v);
    }
    for (int k = COL_JOINED; k < N_IND_COLS; k++)
        g_free(txt[k]);
    /* a side that is no indicator holds nothing but NULLs */
}

/* ---- grids ---- */

G_STATIC_ASSERT(LBL_FILLED_AT < 64); /* label kinds are bits of a guint64 */

/* The footer row: it names the 填报日期, or two of 负责人, 经办人, 联系人,
 * 联系电话 (one such word may begin an indicator's text, on both sides). */
static gboolean is_footer_row(GArray *cells)
{
    guint64 kinds = 0;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        label_kind k = c->text ? label_of(c->text, NULL) : LBL_NONE;
        if (k == LBL_FILLED_AT)
            return TRUE;
        if (IS_FOOTER_LABEL(k))
            kinds |= (guint64)1 << k;
    }
    return kinds & (kinds - 1);
}

static gboolean is_title_line(const char *n);

/* What a grid holds, from its labels. */
typedef struct {
    guint64 head_labels;    /* bit per header-block label kind seen first in a row */
    int n_head_labels;
    gboolean indicator_header;
    gboolean footer;
    char *project;          /* normalised 项目名称 value, or NULL */
    char *unit;             /* normalised 实施单位 value, or NULL */
    char *title;            /* a title printed in the grid's first row (its top rule lost), or NULL */
} grid_survey;

static void survey_grid(const bpn_grid *g, grid_survey *s)
{
    memset(s, 0, sizeof *s);
    /* a title inside the grid's first row: the rule between the title and
     * the form was lost */
    for (int c = 0; c < g->n_cols && !s->title && g->n_rows > 0; c++)
        if (g->region[c] == c && g->text[c]) {
            char *t = bpn_capture("^(.{2,45}?(?:绩效目标表|绩效自评表))", g->text[c], 1);
            if (t && is_title_line(t))
                s->title = t;
            else
                g_free(t);
            break;
        }
    char **stacked = stack_labels(g);
    for (int r = 0; r < g->n_rows; r++) {
        GArray *cells = row_cells(g, r, stacked);
        const form_cell *first = first_text_cell(cells);
        const char *rest = NULL;
        label_kind k = first ? label_of(first->text, &rest) : LBL_NONE;
        if (IS_HEAD_LABEL(k) && k != LBL_INDICATORS && !(s->head_labels & ((guint64)1 << k))) {
            s->head_labels |= (guint64)1 << k;
            s->n_head_labels++;
        }
        ind_columns cols;
        gboolean header = read_indicator_header(cells, &cols, FALSE, g);
        if (header && (cols.set[COL_L2P] || cols.set[COL_L2A] || cols.set[COL_JOINED]))
            s->indicator_header = TRUE;
        if (k == LBL_PROJECT && !s->project && !header) {
            const char *v = rest;
            for (guint i = 0; !v && i < cells->len; i++) {
                const form_cell *c = &g_array_index(cells, form_cell, i);
                if (c->text && c != first)
                    v = c->text;
            }
            if (v)
                s->project = bpn_norm(v);
        }
        /* 实施单位 and the cell after it, wherever it stands in its row */
        for (guint i = 0; !header && !s->unit && i + 1 < cells->len; i++) {
            const form_cell *c = &g_array_index(cells, form_cell, i);
            const char *r2 = NULL;
            if (c->text && label_of(c->text, &r2) == LBL_UNIT) {
                const char *v = r2;
                for (guint j = i + 1; !v && j < cells->len; j++)
                    v = g_array_index(cells, form_cell, j).text;
                if (v)
                    s->unit = bpn_norm(v);
            }
        }
        s->footer |= is_footer_row(cells);
        g_array_unref(cells);
    }
    stack_free(g, stacked);
}

/* A grid under the form, ending where it ends, with column edges at most
 * of the indicator columns' edges: the rest of the form's indicator grid.
 * The grid may begin right of the form: a long table's page that holds
 * only the rest of one project's indicators prints no name, amount or goal
 * columns (their merged cells ended on the page before); the edges it has
 * are compared, four at least. */
static gboolean continues_columns(const form_reader *f, const bpn_grid *g)
{
    const double tol = 6;
    if (!f->have_cols || fabs(g->x1 - f->x1) > tol || g->x0 < f->x0 - tol)
        return FALSE;
    int edges = 0, found = 0;
    /* the indicator columns only: a long table's name, amount and goal
     * columns may lose their rules on a page where a block's cells are
     * empty */
    for (int k = 0; k < COL_JOINED; k++) {
        if (!f->cols.set[k])
            continue;
        double e[2] = {f->cols.x0[k], f->cols.x1[k]};
        for (int j = 0; j < 2; j++) {
            if (e[j] < g->x0 - tol)
                continue; /* left of a grid that begins right of the form */
            edges++;
            for (int c = 0; c <= g->n_cols; c++)
                if (fabs(g->xs[c] - e[j]) < 3) {
                    found++;
                    break;
                }
        }
    }
    return edges >= 4 && found * 4 >= edges * 3;
}

/* The header of a later grid names fewer columns than the form's (a
 * header cell whose words are lost among overflowing text) and no other. */
static gboolean header_lost_columns(const ind_columns *known, const ind_columns *read)
{
    gboolean lost = FALSE;
    for (int k = 0; k < N_IND_COLS; k++) {
        if (read->set[k] && !known->set[k])
            return FALSE;
        lost |= known->set[k] && !read->set[k];
    }
    return lost;
}

/* A row of header words only (财政资金 | 其他资金 under 其中: the second
 * line of a two-row header): no indicator row. */
static gboolean header_words_only(GArray *cells)
{
    int words = 0;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text)
            continue;
        char *n = bpn_norm(c->text);
        gboolean known = FALSE;
        for (size_t w = 0; w < form_n_header_words && !known; w++)
            known = strcmp(n, form_header_words[w].text) == 0;
        g_free(n);
        if (!known)
            return FALSE;
        words++;
    }
    return words > 0;
}

/* Money labels over their amounts.  部门整体 forms print the fund block as
 * a small table: a row of labels (预算支出总额 | 财政拨款 | 其他资金), perhaps
 * a row of their parts (合计 | 基本支出 | 项目支出 under each), and the
 * amounts in the row below, column by column.  fund_heads keeps the label
 * over each x-range; read_fund_columns() records a label row (TRUE), and
 * gives each amount of an all-amounts row the label over it (TRUE): the
 * total, 财政拨款 and 其他资金 (their 合计 where parts are printed; the parts
 * themselves are left out). */
typedef struct {
    int n;
    double x0[12], x1[12];
    label_kind kind[12];
    gboolean part[12]; /* a 基本支出/项目支出 part under its label */
} fund_heads;

static gboolean read_fund_columns(bpn_document *doc, form_reader *f, int page, GArray *cells, fund_heads *h)
{
    int labels = 0, amounts = 0, texts = 0, parts = 0;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text)
            continue;
        texts++;
        const char *rest = NULL;
        label_kind k = label_of(c->text, &rest);
        double v;
        char *n = bpn_norm(c->text);
        if (bpn_parse_amount(n, &v))
            amounts++;
        else if (!rest && (k == LBL_TOTAL_ANNUAL || k == LBL_FISCAL || k == LBL_OTHER))
            labels++;
        else if (!rest && (k == LBL_BASIC || k == LBL_PROJECT_EXP || strcmp(n, "合计") == 0))
            parts++;
        g_free(n);
    }
    if (labels >= 2 && amounts == 0) {
        /* the labels over the columns (the block's own label left of them stays) */
        h->n = 0;
        for (guint i = 0; i < cells->len && h->n < 12; i++) {
            const form_cell *c = &g_array_index(cells, form_cell, i);
            const char *rest = NULL;
            label_kind k = c->text ? label_of(c->text, &rest) : LBL_NONE;
            if (rest || !(k == LBL_TOTAL_ANNUAL || k == LBL_FISCAL || k == LBL_OTHER))
                continue;
            h->x0[h->n] = c->x0;
            h->x1[h->n] = c->x1;
            h->kind[h->n] = k;
            h->part[h->n] = FALSE;
            h->n++;
        }
        return FALSE; /* the row's label cells are read as ever */
    }
    if (!h->n)
        return FALSE;
    if (parts >= 2 && amounts == 0 && parts + 1 >= texts) {
        /* parts under their labels: only a 合计 column keeps its label's amount */
        int n0 = h->n;
        for (int j = 0; j < n0; j++)
            h->part[j] = FALSE;
        for (guint i = 0; i < cells->len; i++) {
            const form_cell *c = &g_array_index(cells, form_cell, i);
            if (!c->text)
                continue;
            char *n = bpn_norm(c->text);
            gboolean whole = strcmp(n, "合计") == 0;
            g_free(n);
            double mid = (c->x0 + c->x1) / 2;
            for (int j = 0; j < n0 && h->n < 12; j++)
                if (mid > h->x0[j] && mid < h->x1[j]) {
                    /* the column under a part is a part; under 合计 the label's own */
                    h->x0[h->n] = c->x0;
                    h->x1[h->n] = c->x1;
                    h->kind[h->n] = h->kind[j];
                    h->part[h->n] = !whole;
                    h->n++;
                }
        }
        /* the labels' own ranges now hold only where no part is printed */
        return TRUE;
    }
    if (amounts < 2 || amounts < texts)
        return FALSE;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text)
            continue;
        double mid = (c->x0 + c->x1) / 2;
        int best = -1;
        for (int j = 0; j < h->n; j++) /* the narrowest range over it: a part's over its label's */
            if (mid > h->x0[j] && mid < h->x1[j] && (best < 0 || h->x1[j] - h->x0[j] < h->x1[best] - h->x0[best]))
                best = j;
        if (best >= 0 && !h->part[best])
            assign(doc, page, f, h->kind[best], TRUE, c->text);
    }
    h->n = 0;
    return TRUE;
}

/* The budget execution block of a 绩效自评表.  Its header is a row of
 * measure words over the amount columns (年初预算数 | 全年预算数 | 全年执行数
 * | 分值 | 执行率 | 得分), perhaps under a row of group words (预算安排 |
 * 拨付情况 | 结余情况) that also holds the 分值 and 得分 columns; each row
 * under it is a source of funds (年度资金总额, 其中：财政拨款, 上年结转,
 * 其他资金; 合计, 财政资金小计, ①中央财政资金 …), its label left of the
 * columns and each of its cells read by the column over it
 * (form_execution_words and form_execution_sources, form_vocab.c).
 * exec_heads keeps the columns.  read_execution() records a header row and
 * returns FALSE (its label cells are read as ever: 项目资金（万元） states the
 * unit); it takes a row with two values or more under the columns (TRUE);
 * any other row ends the block.  A row's 年初 amount is also its source's
 * annual fund (年度资金总额 the form's annual total), as a 目标表's 年度
 * amounts are. */
typedef struct {
    int n;
    double x0[2 * BPN_EX_N_MEASURES], x1[2 * BPN_EX_N_MEASURES];
    int measure[2 * BPN_EX_N_MEASURES];
    gboolean rates_stated; /* a rate's header cell is a formula (⑤=④/③) */
} exec_heads;

static int execution_word(const char *printed)
{
    char *n = bpn_norm(printed);
    int m = -2;
    for (size_t i = 0; i < form_n_execution_words && m == -2; i++)
        if (strstr(n, form_execution_words[i].text))
            m = form_execution_words[i].measure;
    g_free(n);
    return m;
}

static const char *execution_source(const char *printed)
{
    char *n = bpn_norm(printed);
    const char *src = NULL;
    for (size_t i = 0; i < form_n_execution_sources && !src; i++)
        if (strstr(n, form_execution_sources[i].text))
            src = form_execution_sources[i].source;
    g_free(n);
    return src;
}

/* A cell of the execution block that holds a value: an amount, a rate
 * ("100.00%") or a dash for a weight the row does not carry. */
static gboolean execution_value(const char *printed)
{
    char *n = bpn_norm(printed);
    size_t len = strlen(n);
    if (len && n[len - 1] == '%')
        n[len - 1] = 0;
    double v;
    gboolean ok = bpn_parse_amount(n, &v) || strcmp(n, "--") == 0 || strcmp(n, "-") == 0 ||
                  strcmp(n, "—") == 0 || strcmp(n, "——") == 0;
    g_free(n);
    return ok;
}

static int decimals_of(const char *printed)
{
    const char *dot = strrchr(printed, '.');
    int d = 0;
    if (dot)
        for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
            d++;
    return d;
}

static void execution_row_free(gpointer p)
{
    bpn_execution_row *r = p;
    g_free(r->label);
    for (int m = 0; m < BPN_EX_N_MEASURES; m++)
        g_free(r->printed[m]);
    g_free(r);
}

static gboolean read_execution(bpn_document *doc, form_reader *f, int page, GArray *cells, exec_heads *h)
{
    int words = 0, values = 0;
    for (guint i = 0; i < cells->len; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text)
            continue;
        int m = execution_word(c->text);
        words += m != -2 && m != BPN_EX_WEIGHT && m != BPN_EX_SCORE;
        values += execution_value(c->text);
    }
    if (words >= 2 && values == 0) {
        /* a header row: its measure columns join those of the row above */
        for (guint i = 0; i < cells->len && h->n < 2 * BPN_EX_N_MEASURES; i++) {
            const form_cell *c = &g_array_index(cells, form_cell, i);
            int m = c->text ? execution_word(c->text) : -2;
            if (m < 0)
                continue;
            h->x0[h->n] = c->x0;
            h->x1[h->n] = c->x1;
            h->measure[h->n] = m;
            h->n++;
            if (m == BPN_EX_EXECUTION_RATE || m == BPN_EX_BALANCE_RATE) {
                char *n = bpn_norm(c->text);
                h->rates_stated = h->rates_stated || strchr(n, '=') || strchr(n, '/');
                g_free(n);
            }
        }
        return FALSE;
    }
    if (!h->n)
        return FALSE;
    double left = h->x0[0];
    for (int j = 1; j < h->n; j++)
        left = MIN(left, h->x0[j]);
    const form_cell *label = NULL;
    int at[64];
    int n_at = 0;
    for (guint i = 0; i < cells->len && n_at < 64; i++) {
        const form_cell *c = &g_array_index(cells, form_cell, i);
        if (!c->text)
            continue;
        double mid = (c->x0 + c->x1) / 2;
        if (mid < left) {
            label = c; /* the rightmost text left of the columns */
            continue;
        }
        int best = -1;
        for (int j = 0; j < h->n; j++)
            if (mid > h->x0[j] && mid < h->x1[j] && (best < 0 || h->x1[j] - h->x0[j] < h->x1[best] - h->x0[best]))
                best = j;
        if (best >= 0 && execution_value(c->text)) {
            at[n_at++] = (int)i;
            at[n_at++] = h->measure[best];
        }
    }
    if (n_at < 4) {
        h->n = 0; /* the block ended */
        h->rates_stated = FALSE;
        return FALSE;
    }
    bpn_target *t = f->target;
    bpn_execution_row *row = g_new0(bpn_execution_row, 1);
    row->page = page;
    row->rates_stated = h->rates_stated;
    if (label) {
        row->label = clean_text(doc, page, label->text);
        row->source = execution_source(label->text);
    }
    for (int k = 0; k < n_at; k += 2) {
        const form_cell *c = &g_array_index(cells, form_cell, at[k]);
        int m = at[k + 1];
        if (row->printed[m])
            continue; /* two cells under one measure: the first */
        row->printed[m] = clean_text(doc, page, c->text);
        if (m < BPN_EX_N_AMOUNTS) {
            set_amount(doc, page, &row->amount[m], c->text, f->unit_factor);
            row->decimals[m] = decimals_of(c->text);
        }
    }
    if (!t->execution)
        t->execution = g_ptr_array_new_with_free_func(execution_row_free);
    g_ptr_array_add(t->execution, row);
    /* the 年初 amount is the source's annual fund, as a 目标表's 年度 amount */
    const bpn_amount *initial = &row->amount[BPN_EX_BUDGET_INITIAL];
    if (initial->set && row->source) {
        static const struct {
            const char *source;
            size_t off;
        } funds[] = {{"total", offsetof(bpn_funds, total)},     {"fiscal", offsetof(bpn_funds, fiscal)},
                     {"other", offsetof(bpn_funds, other)},     {"central", offsetof(bpn_funds, central)},
                     {"provincial", offsetof(bpn_funds, provincial)}};
        for (size_t k = 0; k < G_N_ELEMENTS(funds); k++) {
            bpn_amount *slot = (bpn_amount *)((char *)&t->funds_annual + funds[k].off);
            if (strcmp(row->source, funds[k].source) == 0 && !slot->set)
                *slot = *initial;
        }
    }
    return TRUE;
}

/* A grid with one side of indicators is the annual one unless the form
 * has a 实施期 (its goal or its funds): 部门整体, 转移支付 and 自评 forms,
 * and project forms of one year (烟台's 政策和项目预算绩效目标表). */
static gboolean single_side_annual(const form_reader *f)
{
    if (f->kind != BPN_FORM_PROJECT)
        return TRUE;
    const bpn_target *t = f->target;
    return t && !f->goal_set[0] && !t->goal_period && !t->funds_period.total.set && !t->period;
}

/* Reads the rows of a grid claimed by the open form; TRUE when it ends with
 * the form's footer. */
static gboolean read_form_grid(bpn_document *doc, form_reader *f, const bpn_grid *g)
{
    gboolean closed = FALSE;
    int page = g->page;
    target_add_page(f->target, page);
    /* the form's extent: its first grid's, widened by later ones (a later
     * grid may lack the left columns) */
    if (!f->extent_set || g->x0 < f->x0)
        f->x0 = g->x0;
    f->x1 = g->x1;
    f->extent_set = TRUE;
    f->last_page = page;
    f->first_data_row = TRUE;
    if (f->unreadable)
        return FALSE;
    char **stacked = stack_labels(g);
    fund_heads heads = {0};
    exec_heads exec = {0};
    for (int r = 0; r < g->n_rows; r++) {
        GArray *cells = row_cells(g, r, stacked);
        if (f->kind == BPN_FORM_SELF_EVALUATION && read_execution(doc, f, page, cells, &exec)) {
            g_array_unref(cells);
            continue;
        }
        if (read_fund_columns(doc, f, page, cells, &heads)) {
            g_array_unref(cells);
            continue;
        }
        const form_cell *first = first_text_cell(cells);
        label_kind k = first ? label_of(first->text, NULL) : LBL_NONE;
        ind_columns cols;
        if (read_indicator_header(cells, &cols, single_side_annual(f), g) && cols.lost_rules && f->have_cols &&
            continues_columns(f, g)) {
            /* the header printed again on a later page lost its rules, but
             * the grid has the indicator columns already known: keep them */
        } else if (read_indicator_header(cells, &cols, single_side_annual(f), g) && cols.lost_rules) {
            /* the words of three columns in one cell: the rules between the
             * columns were not found, and every cell below holds the texts
             * of several columns and rows; reading them would make up
             * indicators */
            bpn_warn(doc, page,
                     "a performance-target form's grid lost the rules between its columns (its header reads \"%s\"); "
                     "the form was not read",
                     first ? first->text : "");
            f->unreadable = TRUE;
            f->have_cols = FALSE;
            g_array_unref(cells);
            break;
        } else if (read_indicator_header(cells, &cols, single_side_annual(f), g)) {
            /* a header printed again on a later page whose cells took text
             * overflowing from the page before (the name and goal of the
             * block cut by the page break, interleaved with the header
             * words): the columns it lost are those already known */
            if (!(f->have_cols && continues_columns(f, g) && header_lost_columns(&f->cols, &cols)))
                f->cols = cols;
            f->have_cols = TRUE;
            f->goals_pending = FALSE;
        } else if (is_footer_row(cells)) {
            read_label_row(doc, f, page, cells);
            closed = TRUE;
        } else if (k == LBL_INDICATORS && f->have_cols && cells->len > 2) {
            /* 绩效指标 printed again on every indicator row (a label column
             * that is not merged): the row is an indicator row */
            f->goals_pending = FALSE;
            read_indicator_row(doc, f, page, cells);
        } else if (k == LBL_INDICATORS) {
            f->goals_pending = FALSE; /* 绩效指标 on a row of its own, */
            /* or beside its indicators written as text */
            for (guint i = 0; !f->have_cols && i < cells->len; i++) {
                const form_cell *c = &g_array_index(cells, form_cell, i);
                if (c->text && c != first && label_of(c->text, NULL) == LBL_NONE)
                    read_indicator_text(doc, f, page, c->text, !strstr(first->text, "实施期"));
            }
        } else if (IS_HEAD_LABEL(k)) {
            read_label_row(doc, f, page, cells);
        } else if (f->goals_pending) {
            read_goal_row(doc, f, page, cells);
        } else if (f->have_cols && !header_words_only(cells)) {
            read_indicator_row(doc, f, page, cells);
        }
        g_array_unref(cells);
    }
    stack_free(g, stacked);
    return closed;
}

/* ---- lines ---- */

static gboolean is_title_line(const char *n)
{
    return (strstr(n, "绩效目标表") != NULL || strstr(n, "绩效自评表") != NULL || strstr(n, "自评表") != NULL) &&
           g_utf8_strlen(n, -1) <= 40;
}

/* The kind of form a title names. */
static bpn_form_kind title_kind(const char *n)
{
    if (strstr(n, "自评"))
        return BPN_FORM_SELF_EVALUATION;
    if (strstr(n, "部门整体") || strstr(n, "整体支出"))
        return BPN_FORM_DEPARTMENT;
    if (strstr(n, "转移支付"))
        return BPN_FORM_TRANSFER;
    return BPN_FORM_PROJECT;
}

/* The unit a line states ("金额单位：万元", "单位：元"), or NULL. */
static const char *line_unit(const char *n)
{
    static const char UNIT[] = "单位";
    for (const char *p = strstr(n, UNIT); p; p = strstr(p + 1, UNIT)) {
        const char *q = p + strlen(UNIT);
        if (*q == ':')
            q++;
        else if (g_str_has_prefix(q, "："))
            q += strlen("：");
        const char *unit = bpn_vocab_unit_at(q);
        if (unit)
            return unit;
    }
    return NULL;
}

/* The subject a title names when it names one ("市行政中心保安服务项目绩效目标表"
 * names 市行政中心保安服务项目), or NULL for a title that names only the kind
 * of form ("预算表12 项目支出绩效目标表", "2.部门整体支出绩效目标表", "2026年度
 * 转移支付绩效目标表").  printed is the title as printed, perhaps two lines
 * joined.  Caller frees. */
static char *title_subject(const char *printed)
{
    char *n = bpn_norm(printed);
    char *subject = bpn_capture("^(.*?)(?:绩效目标表|绩效自评表|自评表)", n, 1);
    g_free(n);
    if (!subject)
        return NULL;
    /* numbering, table numbers and years before the subject are no part of it */
    char *bare = g_strdup(subject);
    for (gboolean again = TRUE; again;) {
        char *t = bpn_capture("^(?:[0-9一二三四五六七八九十]+[.、．]|[(（][0-9一二三四五六七八九十]+[)）]|"
                              "预算[0-9]+表|预算表[0-9]+|附表[0-9-]*|表[0-9-]+|[0-9]{4}年度?)(.*)$",
                              bare, 1);
        again = t != NULL;
        if (t) {
            g_free(bare);
            bare = t;
        }
    }
    gboolean generic = !*bare || bpn_match("^(?:部门|本级|市级|县级|区级)?(?:项目支出|项目|整体支出|部门整体支出|部门整体|"
                                           "部门|转移支付(?:资金|项目)?|专项资金|专项|重点项目|政府性基金项目|"
                                           "项目支出绩效|整体)$",
                                           bare);
    g_free(bare);
    if (generic) {
        g_free(subject);
        return NULL;
    }
    return subject;
}

static gboolean is_year_line(const char *n)
{
    return bpn_match("^[(（]?\\d{4}年度?[)）]?$", n);
}

static gboolean is_footer_line(const char *n)
{
    return strstr(n, "填报日期") != NULL || g_str_has_prefix(n, "负责人") || g_str_has_prefix(n, "经办人");
}

/* ---- the walk ---- */

/* Free text left of a continuation grid.  A long table's page whose left
 * columns (项目名称, amounts, 绩效目标: cells merged over the whole page)
 * lost their rules gives a grid of the indicator columns only, and the
 * texts of the left columns stay text lines beside it.  The form knows
 * where those columns are (from its header): the lines left of the grid,
 * within its rows, are laid into them, each line into the column under
 * its centre, and the grid is widened by those columns, each one cell
 * merged over all the rows (which rows a text belongs to is not known
 * without the rules).  Returns the widened grid (owned), or NULL when no
 * line lies there; the lines used are marked. */
static void free_text_add_str(GString **col_text, const double *edges, int n, double x, const char *text)
{
    for (int k = 0; k < n; k++)
        if (x >= edges[k] && x < edges[k + 1]) {
            if (!col_text[k])
                col_text[k] = g_string_new(NULL);
            g_string_append(col_text[k], text);
            return;
        }
}

static bpn_grid *widen_by_free_text(const form_reader *f, const bpn_grid *g, GPtrArray *blocks, GHashTable *taken_lines)
{
    const double tol = 6;
    if (!f->have_cols || g->x0 < f->x0 + 20)
        return NULL;
    /* the known columns left of the grid, left to right, as edges (a gap
     * between two is a column of its own) */
    int order[N_IND_COLS], m = 0;
    for (int k = 0; k < N_IND_COLS; k++)
        if (f->cols.set[k] && f->cols.x1[k] <= g->x0 + tol) {
            int j = m++;
            while (j > 0 && f->cols.x0[order[j - 1]] > f->cols.x0[k]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = k;
        }
    if (m == 0)
        return NULL;
    double edges[N_IND_COLS * 2 + 2];
    int n = 0;
    edges[0] = MIN(f->x0, f->cols.x0[order[0]]);
    for (int j = 0; j < m; j++) {
        double x0 = f->cols.x0[order[j]], x1 = MIN(f->cols.x1[order[j]], g->x0);
        if (x0 > edges[n] + tol)
            edges[++n] = x0;
        if (x1 > edges[n] + tol)
            edges[++n] = x1;
    }
    if (edges[n] < g->x0 - tol)
        n++;
    edges[n] = g->x0;
    GString *col_text[N_IND_COLS * 2 + 2] = {0};
    GPtrArray *taken = g_ptr_array_new();
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        if (b->page != g->page || !b->line || b->used)
            continue;
        const bpn_line *l = b->line;
        double mid = (l->y0 + l->y1) / 2;
        if (mid < g->y0 || mid > g->y1 || l->x0 < edges[0] - tol || l->x1 > g->x0 + tol)
            continue;
        /* a line as a whole, by its centre (its glyphs are the page's, gone by now) */
        free_text_add_str(col_text, edges, n, (l->x0 + l->x1) / 2, l->text);
        g_ptr_array_add(taken, b);
    }
    bpn_grid *w = NULL;
    if (taken->len) {
        double xs[64];
        int nc = n + g->n_cols;
        if (nc < 63) {
            for (int k = 0; k < n; k++)
                xs[k] = edges[k];
            for (int c = 0; c <= g->n_cols; c++)
                xs[n + c] = g->xs[c];
            w = bpn_grid_new(g->page, xs, nc, g->ys, g->n_rows);
            for (int r = 0; r < g->n_rows; r++) {
                for (int k = 0; k < n; k++)
                    w->region[r * nc + k] = k; /* one cell over all rows */
                for (int c = 0; c < g->n_cols; c++) {
                    int root = g->region[r * g->n_cols + c];
                    w->region[r * nc + n + c] = (root / g->n_cols) * nc + n + root % g->n_cols;
                    if (g->text[r * g->n_cols + c])
                        w->text[r * nc + n + c] = g_strdup(g->text[r * g->n_cols + c]);
                }
            }
            for (int k = 0; k < n; k++)
                if (col_text[k])
                    w->text[k] = g_strdup(col_text[k]->str);
            for (guint i = 0; i < taken->len; i++) {
                ((bpn_block *)taken->pdata[i])->used = TRUE;
                g_hash_table_add(taken_lines, taken->pdata[i]);
            }
        }
    }
    for (int k = 0; k < n; k++)
        if (col_text[k])
            g_string_free(col_text[k], TRUE);
    g_ptr_array_unref(taken);
    return w;
}

/* The unsolved cut-offs: annual texts as wide as the completed cut-offs of
 * the document, with no full form on their row, stay as printed; say so. */
static void warn_cut_offs(bpn_document *doc)
{
    GHashTable *widths = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < doc->targets->len; i++) {
        const bpn_target *t = doc->targets->pdata[i];
        for (guint j = 0; j < t->indicators->len; j++) {
            const bpn_indicator *ind = t->indicators->pdata[j];
            if (ind->level3_printed)
                g_hash_table_add(widths, GINT_TO_POINTER(display_width(ind->level3_printed)));
        }
    }
    for (guint i = 0; i < doc->targets->len && g_hash_table_size(widths); i++) {
        const bpn_target *t = doc->targets->pdata[i];
        for (guint j = 0; j < t->indicators->len; j++) {
            const bpn_indicator *ind = t->indicators->pdata[j];
            if (!ind->annual || ind->level3_printed || !ind->level3 ||
                !g_hash_table_contains(widths, GINT_TO_POINTER(display_width(ind->level3))))
                continue;
            /* printed whole on the period side somewhere: not cut */
            gboolean whole = FALSE;
            for (guint k = 0; k < t->indicators->len && !whole; k++) {
                const bpn_indicator *p = t->indicators->pdata[k];
                whole = !p->annual && p->level3 && strcmp(p->level3, ind->level3) == 0;
            }
            if (!whole)
                bpn_warn(doc, ind->page,
                         "project %s: annual indicator \"%s\" looks cut off and has no full text on its row; "
                         "kept as printed",
                         t->project, ind->level3);
        }
    }
    g_hash_table_unref(widths);
}

void bpn_forms_build(bpn_document *doc, GPtrArray *blocks)
{
    bpn_forms_build_ocr(doc, blocks, TRUE);
}

static gboolean ocr_page(const bpn_document *doc, int page)
{
    for (guint i = 0; doc->source.ocr_pages && i < doc->source.ocr_pages->len; i++)
        if (g_array_index(doc->source.ocr_pages, int, i) == page)
            return TRUE;
    return FALSE;
}

void bpn_forms_build_ocr(bpn_document *doc, GPtrArray *blocks, gboolean ocr_repair)
{
    if (!doc->targets)
        doc->targets = g_ptr_array_new_with_free_func(bpn_target_free);
    form_reader f = {0};
    f.awaiting = g_ptr_array_new();
    GPtrArray *heading = g_ptr_array_new(); /* title lines since the last grid (bpn_block*) */
    int heading_year = 0;
    bpn_form_kind heading_kind = BPN_FORM_PROJECT;
    const char *heading_unit = NULL;
    gboolean heading_title = FALSE; /* the heading holds a title line */
    char *heading_name = NULL;      /* the subject that title names */
    GHashTable *taken_lines = g_hash_table_new(g_direct_hash, g_direct_equal); /* read as a grid's cells */
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (g_hash_table_contains(taken_lines, b))
            continue;
        if (heading->len && ((bpn_block *)heading->pdata[0])->page != b->page) {
            g_ptr_array_set_size(heading, 0);
            heading_year = 0;
            heading_kind = BPN_FORM_PROJECT;
            heading_unit = NULL;
            heading_title = FALSE;
            g_clear_pointer(&heading_name, g_free);
        }
        if (b->line) {
            char *n = bpn_norm(b->line->text);
            /* a title wrapped inside its last word ("…科技兴警绩效" / "目标表"):
             * the line above, not read by anything, joins it */
            bpn_block *above = i > 0 ? blocks->pdata[i - 1] : NULL;
            if (!is_title_line(n) && g_utf8_strlen(n, -1) <= 6 && above && above->line && !above->used &&
                above->page == b->page && !heading->len && b->y0 - above->y1 > -1 &&
                b->y0 - above->y1 < 0.8 * (b->y1 - b->y0)) {
                char *joined_printed = g_strconcat(above->line->text, b->line->text, NULL);
                char *joined = bpn_norm(joined_printed);
                if (is_title_line(joined) && strstr(n, "表")) {
                    heading_kind = title_kind(joined);
                    heading_title = TRUE;
                    g_free(heading_name);
                    heading_name = title_subject(joined_printed);
                    g_ptr_array_add(heading, above);
                    g_ptr_array_add(heading, b);
                    g_free(joined);
                    g_free(joined_printed);
                    g_free(n);
                    continue;
                }
                g_free(joined);
                g_free(joined_printed);
            }
            if (is_title_line(n) || is_year_line(n)) {
                if (is_title_line(n)) {
                    heading_kind = title_kind(n);
                    heading_title = TRUE;
                    /* a title wrapped over two lines: the line just above,
                     * not read by anything, is its first part (only for a
                     * title that names a subject: a title naming the kind
                     * of form alone is whole) */
                    bpn_block *prev = i > 0 ? blocks->pdata[i - 1] : NULL;
                    char *printed = NULL, *alone = title_subject(b->line->text);
                    if (alone && prev && prev->line && !prev->used && prev->page == b->page && !heading->len &&
                        b->y0 - prev->y1 > -1 && b->y0 - prev->y1 < 0.8 * (b->y1 - b->y0) &&
                        g_utf8_strlen(prev->line->text, -1) <= 40 &&
                        !bpn_match("[。；;：:]$", prev->line->text)) {
                        printed = g_strconcat(prev->line->text, b->line->text, NULL);
                        g_ptr_array_add(heading, prev);
                    }
                    g_free(heading_name);
                    heading_name = printed ? title_subject(printed) : g_steal_pointer(&alone);
                    g_free(printed);
                    g_free(alone);
                }
                g_ptr_array_add(heading, b);
                if (is_year_line(n)) {
                    char *y = bpn_capture("(\\d{4})年", n, 1);
                    heading_year = y ? atoi(y) : 0;
                    g_free(y);
                }
            } else if (heading->len && g_utf8_strlen(n, -1) <= 30 && !is_footer_line(n)) {
                g_ptr_array_add(heading, b); /* a unit line under the title */
                if (line_unit(n))
                    heading_unit = line_unit(n);
            } else if (f.target && is_footer_line(n) && b->page <= f.last_page + 1) {
                char *date = bpn_capture("(?:填报日期|填表日期)[:：]?([\\d\\s]+)", b->line->text, 1);
                set_text(&f.target->filled_at, join_digits(doc, b->page, date));
                g_free(date);
                target_add_page(f.target, b->page);
                b->used = TRUE;
                reader_finish(doc, &f);
            }
            g_free(n);
            continue;
        }
        const bpn_grid *g = b->grid;
        /* labels read by OCR snapped to the vocabulary, kept if the grid is
         * read as a form (formocr.c) */
        bpn_form_snap *snapped = ocr_repair && ocr_page(doc, g->page) ? bpn_form_ocr_snap(g) : NULL;
        bpn_form_ocr_swap(b->grid, snapped);
        grid_survey s;
        survey_grid(g, &s);
        gboolean form = s.n_head_labels >= 3 || s.indicator_header;
        gboolean adjacent = f.target && g->page <= f.last_page + 1;
        gboolean claim = FALSE, start = FALSE;
        if (form) {
            claim = TRUE;
            start = !adjacent;
            if (adjacent && s.project) {
                char *cur = f.target->project ? bpn_norm(f.target->project) : NULL;
                start = !cur || strcmp(cur, s.project) != 0;
                g_free(cur);
                /* the same name for another 实施单位: another form */
                char *unit = f.target->implementing_unit ? bpn_norm(f.target->implementing_unit) : NULL;
                if (!start && unit && s.unit && strcmp(unit, s.unit) != 0)
                    start = TRUE;
                g_free(unit);
            }
            if (s.title) {
                /* the grid begins with its title: a new form, named by it
                 * unless its 项目名称 can be read */
                start = TRUE;
                heading_kind = title_kind(s.title);
                heading_title = TRUE;
                g_free(heading_name);
                heading_name = title_subject(s.title);
            }
            /* a title over the grid that names another kind of form, or
             * another subject, starts a new form */
            if (adjacent && heading_title &&
                (heading_kind != f.kind || (heading_name && !s.project && s.n_head_labels >= 1 && !(f.have_cols && f.cols.set[COL_PROJ]) &&
                                            g_strcmp0(heading_name, f.title_name) != 0)))
                start = TRUE;
        } else if (adjacent && (continues_columns(&f, g) || s.footer)) {
            claim = TRUE;
        } else if (adjacent && f.unreadable && !heading->len && fabs(g->x0 - f.x0) < 6 && fabs(g->x1 - f.x1) < 6) {
            claim = TRUE; /* the rest of an unreadable form: kept from the tables, not read */
        }
        g_free(s.project);
        g_free(s.unit);
        g_free(s.title);
        if (!claim && adjacent && !heading->len && g->x0 > f.x0 - 6 && g->x1 < f.x1 + 6 &&
            f.have_cols && f.cols.set[COL_PROJ]) {
            /* a piece of a long table's page that grid.c found apart (the
             * left columns of a few rows): left to the tables, the table
             * goes on */
        } else if (!claim) {
            reader_finish(doc, &f);
        } else {
            bpn_form_ocr_snap_keep(doc, g, g_steal_pointer(&snapped));
            if (start) {
                reader_finish(doc, &f);
                bpn_form_kind kind = heading->len ? heading_kind : f.target ? f.kind : heading_kind;
                reader_start(&f, heading_year ? heading_year : f.year, kind, heading->len ? heading_unit : NULL);
                f.title_name = g_steal_pointer(&heading_name);
                f.extent_set = FALSE; /* a long table's row blocks keep it */
            }
            b->used = TRUE;
            for (guint j = 0; j < heading->len; j++)
                ((bpn_block *)heading->pdata[j])->used = TRUE;
            bpn_grid *wide = !form && f.have_cols && f.cols.set[COL_PROJ] ? widen_by_free_text(&f, g, blocks, taken_lines) : NULL;
            if (read_form_grid(doc, &f, wide ? wide : g))
                reader_finish(doc, &f);
            if (wide)
                bpn_grid_free(wide);
        }
        if (snapped) { /* not a form's: the cells as read */
            bpn_form_ocr_swap(b->grid, snapped);
            bpn_form_ocr_snap_free(snapped);
        }
        g_ptr_array_set_size(heading, 0);
        heading_year = 0;
        heading_kind = BPN_FORM_PROJECT;
        heading_unit = NULL;
        heading_title = FALSE;
        g_clear_pointer(&heading_name, g_free);
    }
    reader_finish(doc, &f);
    drop_awaiting(doc, &f);
    g_ptr_array_unref(f.awaiting);
    g_hash_table_unref(taken_lines);
    g_free(heading_name);
    g_ptr_array_unref(heading);
    warn_cut_offs(doc);
}
