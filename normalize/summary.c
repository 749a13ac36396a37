/* summary.c — the headline figures (万元): from the tables, the prose as
 * fallback, a warning where the two disagree.
 *
 * How it works:
 *  1. tables_read(): each figure from the standard tables (below), with
 *     where it was read (table index and title, row, column).
 *  2. prose_read(): each figure from the narrative's sentences, by the
 *     vocabulary PROSE_FIGURES (the phrasings disclosures use: 收入预算X万元,
 *     相应安排支出预算X万元, 收支总预算X万元, 基本支出预算X万元, "三公"经费
 *     预算共X万元 …), strongest phrasing first, with the section and the
 *     sentence it was read from.  The amount may be stated in any unit of
 *     the vocabulary (BPN_AMOUNT_UNITS: 元, 万元, 亿元 …) and is brought to
 *     万元; its printed precision is kept in that unit (1.23亿元 is
 *     12,300万元 give or take 50).  In a document read by OCR the amount's
 *     pattern is OCR_AMOUNT (separators misread, 元 lost before a comma),
 *     each match is tried in turn and ocr_amount() makes the number: a
 *     last separator with two digits after it is the decimal point, and
 *     an amount it cannot make sense of gives way to the next match.
 *  3. bpn_summary_build(): a table's figure wins; a prose figure fills a
 *     figure no table gives; where both are read and differ by more than
 *     half a unit of the prose's last printed decimal, a warning names
 *     both readings and where each was read.
 * What it misses: figures printed only in charts or images; a figure
 * written in Chinese numerals (一千二百万元); a phrasing not in the
 * vocabulary; in OCR'd prose a digit misread, lost or added (only the
 * separators are read leniently) and a phrasing whose label is misread.
 *
 * The tables:
 * 收入总计 / 支出总计: the 收支总表's total rows (总计 preferred to 合计: a
 * 合计 may leave out the carry-over), the first amount right of the label.
 * 基本支出 / 项目支出: the 支出总表's total row under the columns so headed,
 * else the 收支总表's rows so labelled.  "三公"经费: the 小计 column under the
 * 三公 heading, or the table's 合计 when it adds nothing else (会议费 and
 * 培训费 make a larger 合计 that is not the 三公 figure).
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *cell_text(const bpn_row *r, int c)
{
    return r->cells[c].text ? r->cells[c].text : "";
}

static double to_wan(const bpn_table *t, double v)
{
    return v * bpn_table_to_wan(t);
}

gboolean bpn_table_titled(bpn_regex_cache *rx, const bpn_table *t, const char *re)
{
    if (!t->title)
        return FALSE;
    char *n = bpn_norm(t->title);
    gboolean ok = bpn_rx_match(rx, re, n);
    g_free(n);
    return ok;
}

/* Label without its enumerator ("一、基本支出" → "基本支出"), normalised. */
static char *label(bpn_regex_cache *rx, const char *s)
{
    char *n = bpn_norm(s);
    char *l = bpn_rx_capture(rx, "^(?:[一二三四五六七八九十]+、|\\d+[.、．])?(.*)$", n, 1);
    g_free(n);
    return l;
}

/* A 行次 (line number) cell between a label and its amount: 1 to 3 digits
 * kept as text. */
static gboolean line_number(bpn_regex_cache *rx, const bpn_cell *c)
{
    return c->text && !c->is_number && bpn_rx_match(rx, "^\\s*\\d{1,3}\\s*$", c->text);
}

/* The amount right of the label cell (i, c), past a 行次 cell; its column
 * in *col, or -1. */
static int amount_right(bpn_regex_cache *rx, const bpn_table *t, guint i, int c)
{
    const bpn_row *r = t->rows->pdata[i];
    for (int k = c + 1; k < t->n_cols; k++) {
        if (r->cells[k].is_number)
            return k;
        if (r->cells[k].text && !line_number(rx, &r->cells[k]))
            break;
    }
    return -1;
}

/* The nth (0-based) label cell matching re that has an amount right of it,
 * in reading order (row by row, left to right). */
static gboolean labelled_nth(bpn_regex_cache *rx, const bpn_table *t, const char *re, int nth, double *wan, int *row, int *col)
{
    for (guint i = 0; i < t->rows->len; i++) {
        const bpn_row *r = t->rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            if (!r->cells[c].text || r->cells[c].is_number)
                continue;
            char *l = label(rx, r->cells[c].text);
            gboolean hit = *l && bpn_rx_match(rx, re, l);
            g_free(l);
            int k = hit ? amount_right(rx, t, i, c) : -1;
            if (k < 0 || nth-- > 0)
                continue;
            *wan = to_wan(t, r->cells[k].number);
            if (row)
                *row = (int)i;
            if (col)
                *col = k;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean bpn_table_labelled_amount(bpn_regex_cache *rx, const bpn_table *t, const char *re, double *wan, int *row, int *col)
{
    return labelled_nth(rx, t, re, 0, wan, row, col);
}

/* A row printing a bare 总计 on both sides (收入 | 支出, the 决算 总表):
 * the left one is the income total, the right one the expenditure total.
 * side 0: income, 1: expenditure. */
static gboolean sided_total(bpn_regex_cache *rx, const bpn_table *t, int side, double *wan, int *row, int *col)
{
    for (guint i = 0; i < t->rows->len; i++) {
        const bpn_row *r = t->rows->pdata[i];
        int found[2], n = 0;
        for (int c = 0; c < t->n_cols && n < 2; c++) {
            if (!r->cells[c].text || r->cells[c].is_number)
                continue;
            char *l = label(rx, r->cells[c].text);
            gboolean hit = bpn_rx_match(rx, "^(总计|合计)$", l);
            g_free(l);
            int k = hit ? amount_right(rx, t, i, c) : -1;
            if (k >= 0)
                found[n++] = k;
        }
        if (n == 2) {
            *wan = to_wan(t, r->cells[found[side]].number);
            if (row)
                *row = (int)i;
            if (col)
                *col = found[side];
            return TRUE;
        }
    }
    return FALSE;
}

gboolean bpn_table_income_total(bpn_regex_cache *rx, const bpn_table *t, double *wan, int *row, int *col)
{
    return bpn_table_labelled_amount(rx, t, "^收入总计$", wan, row, col) ||
           bpn_table_labelled_amount(rx, t, "^收入(合计|总额)$", wan, row, col) || sided_total(rx, t, 0, wan, row, col);
}

gboolean bpn_table_expenditure_total(bpn_regex_cache *rx, const bpn_table *t, double *wan, int *row, int *col)
{
    return bpn_table_labelled_amount(rx, t, "^支出总计$", wan, row, col) ||
           bpn_table_labelled_amount(rx, t, "^支出(合计|总额)$", wan, row, col) || sided_total(rx, t, 1, wan, row, col);
}

/* One reading of a headline figure, and where it was read. */
typedef struct {
    gboolean set;
    double value;
    int decimals;   /* printed decimals (prose); -1: a table's amount */
    double to_wan;  /* the prose's unit to 万元 (1 for a table's amount) */
    char *where;
} reading;

enum { INCOME, EXPENDITURE, BASIC, PROJECT, THREE_PUBLIC, N_FIGURES };
static const char *const FIGURE_NAMES[N_FIGURES] = {"income_total", "expenditure_total", "basic_expenditure",
                                                    "project_expenditure", "three_public_total"};

static void set(reading *a, double v, const bpn_table *t, int table_index, int row, int col)
{
    if (a->set)
        return;
    a->set = TRUE;
    a->value = v;
    a->decimals = -1;
    if (row < 0)
        a->where = g_strdup_printf("table %d (%s), printed empty", table_index, t->title ? t->title : "untitled");
    else
        a->where = g_strdup_printf("table %d (%s), row %d, column %d", table_index, t->title ? t->title : "untitled",
                                   row, col);
}

/* The columns [*lo, *hi) of the figures the document reports where a
 * header prints others beside them: the latest year's when it names
 * several ("2025年预算数 | 2026年预算数"), the 决算数 when it prints the
 * 预算数 beside them (a 决算's 三公 table); all columns otherwise.  A
 * heading spans the columns up to the next heading of its row. */
static void reported_columns(bpn_regex_cache *rx, const bpn_table *t, int *lo, int *hi)
{
    *lo = 0;
    *hi = t->n_cols;
    int years = 0, best = 0, budget = -1, final = -1, final_row = -1;
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_row *r = t->header_rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            char *n = bpn_norm(cell_text(r, c));
            char *y = bpn_rx_capture(rx, "^(20\\d{2})年", n, 1);
            if (y) {
                years++;
                if (atoi(y) > best) {
                    best = atoi(y);
                    *lo = c;
                    for (*hi = c + 1; *hi < t->n_cols && !r->cells[*hi].text; (*hi)++)
                        ;
                }
            } else if (bpn_rx_match(rx, "^(年初)?预算数?$", n) && budget < 0) {
                budget = c;
            } else if (bpn_rx_match(rx, "^决算数?$", n) && final < 0) {
                final = c;
                final_row = (int)i;
            }
            g_free(y);
            g_free(n);
        }
    }
    if (years >= 2)
        return;
    *lo = 0;
    *hi = t->n_cols;
    if (budget >= 0 && final >= 0) {
        const bpn_row *r = t->header_rows->pdata[final_row];
        *lo = final;
        for (*hi = final + 1; *hi < t->n_cols && !r->cells[*hi].text; (*hi)++)
            ;
    }
}

/* Column whose header cell matches re, or -1; among the latest year's
 * columns when the header names several years. */
static int header_column(bpn_regex_cache *rx, const bpn_table *t, const char *re)
{
    int lo, hi;
    reported_columns(rx, t, &lo, &hi);
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_row *r = t->header_rows->pdata[i];
        for (int c = lo; c < hi; c++) {
            char *n = bpn_norm(cell_text(r, c));
            gboolean hit = *n && bpn_rx_match(rx, re, n);
            g_free(n);
            if (hit)
                return c;
        }
    }
    return -1;
}

/* The total row: labelled 合计/总计, or the only data row; its index in *at. */
static const bpn_row *total_row(bpn_regex_cache *rx, const bpn_table *t, int *at)
{
    for (guint i = 0; i < t->rows->len; i++) {
        const bpn_row *r = t->rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            char *l = label(rx, cell_text(r, c));
            gboolean hit = bpn_rx_match(rx, "^(合计|总计)$", l);
            g_free(l);
            if (hit) {
                *at = (int)i;
                return r;
            }
        }
    }
    *at = 0;
    return t->rows->len >= 1 ? t->rows->pdata[0] : NULL;
}

/* The labelled amount of t (bpn_table_labelled_amount) into a. */
static gboolean labelled(bpn_regex_cache *rx, reading *a, const bpn_table *t, int table_index, const char *re)
{
    double v;
    int row, col;
    if (!bpn_table_labelled_amount(rx, t, re, &v, &row, &col))
        return FALSE;
    set(a, v, t, table_index, row, col);
    return TRUE;
}

static void three_public(bpn_regex_cache *rx, reading *a, const bpn_table *t, int table_index)
{
    /* a 三公 table printed empty states that there are no such expenses */
    if (t->no_data) {
        set(a, 0, t, table_index, -1, -1);
        return;
    }
    int at;
    const bpn_row *r = total_row(rx, t, &at);
    if (!r)
        return;
    /* the 小计 right under the 三公 heading */
    int col = -1, lo, hi;
    reported_columns(rx, t, &lo, &hi);
    for (guint i = 0; i + 1 < t->header_rows->len && col < 0; i++) {
        const bpn_row *h = t->header_rows->pdata[i];
        for (int c = lo; c < hi && col < 0; c++) {
            char *n = bpn_norm(cell_text(h, c));
            if (strstr(n, "三公")) {
                for (guint j = i + 1; j < t->header_rows->len && col < 0; j++) {
                    const bpn_row *below = t->header_rows->pdata[j];
                    for (int k = c; k < hi; k++) {
                        /* within the 三公 heading's span: up to the next heading */
                        if (k > c && cell_text(h, k)[0])
                            break;
                        char *m = bpn_norm(cell_text(below, k));
                        gboolean sub = strcmp(m, "小计") == 0 || strcmp(m, "合计") == 0;
                        g_free(m);
                        if (sub) {
                            col = k;
                            break;
                        }
                    }
                }
            }
            g_free(n);
        }
    }
    if (col < 0 && header_column(rx, t, "会议费|培训费") < 0)
        col = header_column(rx, t, "^(合计|总计)$|三公.*总额$");
    if (col < 0) {
        /* a vertical layout: rows labelled 合计 / 小计 under 三公 */
        if (header_column(rx, t, "会议费|培训费") < 0)
            labelled(rx, a, t, table_index, "^(合计|总计|\"?三公\"?经费.*合计)$");
        return;
    }
    if (r->cells[col].is_number)
        set(a, to_wan(t, r->cells[col].number), t, table_index, at, col);
}

static void tables_read(const bpn_document *doc, reading *fig)
{
    bpn_regex_cache *rx = doc->rx;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        int ti = (int)i;
        if (bpn_table_is(rx, t, "income_expenditure_summary") || bpn_table_is(rx, t, "expenditure") ||
            bpn_table_is(rx, t, "three_public"))
            bpn_table_touch(doc, t);
        if (bpn_table_is(rx, t, "income_expenditure_summary")) {
            double v;
            int row, col;
            if (bpn_table_income_total(rx, t, &v, &row, &col))
                set(&fig[INCOME], v, t, ti, row, col);
            if (bpn_table_expenditure_total(rx, t, &v, &row, &col))
                set(&fig[EXPENDITURE], v, t, ti, row, col);
        }
        if (bpn_table_is(rx, t, "expenditure")) {
            int at;
            const bpn_row *r = total_row(rx, t, &at);
            int b = header_column(rx, t, "^基本支出$"), p = header_column(rx, t, "^项目支出$");
            if (r && b >= 0 && r->cells[b].is_number)
                set(&fig[BASIC], to_wan(t, r->cells[b].number), t, ti, at, b);
            if (r && p >= 0 && r->cells[p].is_number)
                set(&fig[PROJECT], to_wan(t, r->cells[p].number), t, ti, at, p);
        }
        if (bpn_table_is(rx, t, "three_public"))
            three_public(rx, &fig[THREE_PUBLIC], t, ti);
    }
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        if (bpn_table_is(rx, t, "income_expenditure_summary")) {
            bpn_table_touch(doc, t);
            labelled(rx, &fig[BASIC], t, (int)i, "^基本支出$");
            labelled(rx, &fig[PROJECT], t, (int)i, "^项目支出$");
        }
    }
}

/* ---- the prose: how disclosures state their headline figures ---- */

/* An amount and its unit after its label: "为", "是", "共", ":" may come
 * between (the text is normalised: no white space, full-width punctuation
 * half). */
#define PROSE_AMOUNT "(?:为|是|共计|共|:)?([\\d,]*\\d(?:\\.\\d+)?)(" BPN_UNIT_RE ")"
/* The same in prose read by OCR, whose separators come out misread or
 * doubled ("10;150..48万元", "3,123:68万元") and whose 元 is sometimes lost
 * before the comma ("20849.45万，"; no group 2 then): ocr_amount() makes
 * the number. */
#define OCR_AMOUNT "(?:为|是|共计|共|:)?(\\d(?:[\\d,;:.]*\\d)?)(?:(" BPN_UNIT_RE ")|万(?=[,;.。]))"
/* A figure of one source or one part (财政拨款收入, 一般公共预算收入预算,
 * 基本支出预算, 事业单位经营支出预算, 其他收入) is not the document's total:
 * the label must not follow these. */
#define NOT_A_PART "(?<!本年|收入|收入、|拨款|基金|资本|经营|专户|公共|预算|事业|上级|附属|其他|资金|采购|基本|项目|机关|转移|上缴|补助|政府)"
/* Each figure's phrasings, strongest first; group 1 is the amount.  A
 * phrasing stating both totals ("收支总预算X万元") is listed under both. */
static const struct {
    int figure;
    const char *label; /* the amount's pattern follows: PROSE_AMOUNT, or OCR_AMOUNT */
} PROSE_FIGURES[] = {
    {INCOME, NOT_A_PART "收入、?支出(?:预算)?总计"},
    {INCOME, NOT_A_PART "收入(?:预算)?总计"},
    {INCOME, NOT_A_PART "收入预算(?:总额|合计)?"},
    {INCOME, NOT_A_PART "收支(?:总)?预算(?:总额|合计)?"},
    {INCOME, NOT_A_PART "收入(?:预算)?合计"},
    {EXPENDITURE, NOT_A_PART "收入、?支出(?:预算)?总计"},
    {EXPENDITURE, NOT_A_PART "支出(?:预算)?总计"},
    {EXPENDITURE, NOT_A_PART "支出预算(?:总额|合计)?"},
    {EXPENDITURE, NOT_A_PART "收支(?:总)?预算(?:总额|合计)?"},
    {EXPENDITURE, NOT_A_PART "支出(?:预算)?合计"},
    {BASIC, "(?<!拨款|经费)基本支出(?:预算数?|决算数?)?"},
    {PROJECT, "(?<!拨款|经费)项目支出(?:预算数?|决算数?)?"},
    {THREE_PUBLIC, "\"?三公\"?经费(?:财政拨款)?(?:预算|支出|决算)?数?(?:总额|合计)?"},
};
#undef NOT_A_PART

/* Decimals printed in an amount ("1,438.44" → 2). */
static int decimals_of(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* The sentence of text (normalised) holding the match m: from the end of
 * the sentence before it to the end of its own. */
static char *sentence_of(const char *text, const char *m)
{
    const char *at = strstr(text, m);
    if (!at)
        return g_strdup(m);
    const char *start = text;
    for (const char *p = text; p < at; p = g_utf8_next_char(p))
        if (g_str_has_prefix(p, "。") || *p == ';')
            start = g_utf8_next_char(p);
    const char *end = strstr(at + strlen(m), "。");
    return g_strndup(start, (gsize)((end ? end : at + strlen(m) + strlen(at + strlen(m))) - start));
}

/* Whether v is an amount as a text layer prints one: digits, commas
 * only between groups of three, at most one decimal point. */
static gboolean well_formed(const char *v)
{
    const char *dot = strchr(v, '.');
    if (dot && strchr(dot + 1, '.'))
        return FALSE;
    size_t int_len = dot ? (size_t)(dot - v) : strlen(v);
    int run = 0, groups = 0;
    for (size_t i = 0; i < int_len; i++) {
        if (v[i] == ',') {
            if ((groups++ ? run != 3 : run < 1 || run > 3))
                return FALSE;
            run = 0;
        } else if (g_ascii_isdigit(v[i])) {
            run++;
        } else {
            return FALSE;
        }
    }
    return !groups || run == 3;
}

/* An amount of OCR'd prose (OCR_AMOUNT's group): a well-formed one as it
 * is; else, when its last separator has exactly two digits after it, that
 * separator is the decimal point and the others were misread group marks
 * ("10;150..48" 10150.48, "3.123.68" 3123.68).  Anything else ("4,96.834",
 * a digit lost or added) reads as no amount: the next phrasing is tried. */
static gboolean ocr_amount(const char *v, double *out)
{
    if (well_formed(v))
        return bpn_parse_amount(v, out);
    const char *last = NULL;
    for (const char *q = v; *q; q++)
        if (!g_ascii_isdigit(*q))
            last = q;
    if (!last || strlen(last + 1) != 2)
        return FALSE;
    GString *s = g_string_new(NULL);
    for (const char *q = v; q < last; q++)
        if (g_ascii_isdigit(*q))
            g_string_append_c(s, *q);
    g_string_append_printf(s, ".%s", last + 1);
    gboolean ok = bpn_parse_amount(s->str, out);
    g_string_free(s, TRUE);
    return ok;
}

/* Each figure from the first section whose text states it by the first
 * phrasing that matches.  In a document read by OCR every match of a
 * phrasing is tried in turn, its amount by ocr_amount(); a text layer's
 * first match is the figure or none. */
static void prose_read(const bpn_document *doc, reading *fig)
{
    bpn_regex_cache *rx = doc->rx;
    gboolean ocr = doc->source.ocr_pages && doc->source.ocr_pages->len > 0;
    char **texts = g_new0(char *, doc->sections->len + 1);
    for (guint i = 0; i < doc->sections->len; i++) {
        const bpn_section *s = doc->sections->pdata[i];
        texts[i] = bpn_norm(s->text ? s->text : "");
    }
    for (size_t k = 0; k < G_N_ELEMENTS(PROSE_FIGURES); k++) {
        reading *a = &fig[PROSE_FIGURES[k].figure];
        char *re = g_strconcat(PROSE_FIGURES[k].label, ocr ? OCR_AMOUNT : PROSE_AMOUNT, NULL);
        for (guint i = 0; i < doc->sections->len && !a->set; i++) {
            for (const char *from = texts[i]; from && !a->set;) {
                char *m = bpn_rx_capture(rx, re, from, 0);
                char *v = m ? bpn_rx_capture(rx, re, from, 1) : NULL;
                char *unit = m ? bpn_rx_capture(rx, re, from, 2) : NULL;
                double to_wan = unit ? bpn_vocab_to_wan(unit) : 1.0; /* no unit: 万 before a lost 元 */
                double d;
                if (v && to_wan > 0 && (ocr ? ocr_amount(v, &d) : bpn_parse_amount(v, &d))) {
                    char *sentence = sentence_of(texts[i], m);
                    const bpn_section *s = doc->sections->pdata[i];
                    a->set = TRUE;
                    a->value = d * to_wan;
                    a->to_wan = to_wan;
                    a->decimals = ocr && !well_formed(v) ? 2 : decimals_of(v);
                    a->where = g_strdup_printf("section %u (%s), \"%s\"", i, s->heading ? s->heading : "", sentence);
                    g_free(sentence);
                }
                const char *at = m && ocr ? strstr(from, m) : NULL;
                from = at ? at + strlen(m) : NULL;
                g_free(unit);
                g_free(v);
                g_free(m);
            }
        }
        g_free(re);
    }
    g_strfreev(texts);
}

#undef PROSE_AMOUNT
#undef OCR_AMOUNT

static bpn_amount *figure_of(bpn_document *doc, int f)
{
    bpn_amount *slots[N_FIGURES] = {&doc->income_total, &doc->expenditure_total, &doc->basic_expenditure,
                                    &doc->project_expenditure, &doc->three_public_total};
    return slots[f];
}

void bpn_summary_build(bpn_document *doc)
{
    reading from_tables[N_FIGURES] = {{0}}, from_prose[N_FIGURES] = {{0}};
    tables_read(doc, from_tables);
    prose_read(doc, from_prose);
    for (int f = 0; f < N_FIGURES; f++) {
        bpn_amount *a = figure_of(doc, f);
        const reading *t = &from_tables[f], *p = &from_prose[f];
        if (t->set) {
            a->set = TRUE;
            a->value = t->value;
        } else if (p->set) {
            a->set = TRUE;
            a->value = p->value;
        }
        /* the prose rounds: agreeing is being within half its last unit
         * (a unit of its own unit: 0.01亿元 is 100万元) */
        if (t->set && p->set && fabs(t->value - p->value) > 0.5 * pow(10, -p->decimals) * p->to_wan + 1e-9) {
            int shown = MAX(0, p->decimals - (int)lround(log10(p->to_wan))); /* its decimals in 万元 */
            bpn_warn(doc, 0, "summary %s: the tables give %.15g (%s), the prose %.*f (%s)", FIGURE_NAMES[f], t->value,
                     t->where, shown, p->value, p->where);
        }
        g_free(from_tables[f].where);
        g_free(from_prose[f].where);
    }
}
