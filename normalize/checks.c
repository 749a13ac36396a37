/* checks.c — the arithmetic the budget tables carry, tested.
 *
 * How it works.  Every identity is read off the table's own structure, never
 * off a list of known tables:
 *
 *  - children_sum: a classification code is the sum of the rows whose codes
 *    extend it by one level (201 = Σ 201xx, 20101 = Σ 20101xx; 301 = Σ 301xx).
 *    Codes come from a code column (or a column of labels opening with
 *    their codes: "2050101-行政运行"), or are joined from 类 | 款 | 项
 *    columns, a blank 类 or 款 carried down from the rows above.
 *  - total_row: a 合计/总计 row is the sum of the top-level rows (3-digit
 *    codes, or the shallowest the table lists).
 *  - column_sum: a header cell saying 合计 or 小计 is the sum of its sibling
 *    columns: the columns whose header, on the same header row, lies under the
 *    same parent cell (the nearest label on the row above, spanning to the
 *    next one).  A merged group's text sits in its first column, which is
 *    its own 小计, so nested groups (三公 → 公务用车 → 购置/运行) add up level
 *    by level.
 *  - balance: in a 收支总表 the income total equals the expenditure total.
 *  - cross_table: the 收入总表 and 支出总表 totals equal the 收支总表's; a
 *    决算's figures printed by two tables agree (SAME_FIGURES).
 *  - carry_over: in a 决算 table with 年初结转和结余 | 本年收入 | 本年支出 |
 *    年末结转和结余 columns (by fund: 政府性基金, 国有资本经营 …), each row's
 *    opening balance plus income less spending is its closing balance.
 *
 * Blank amounts count as 0.  Rounding (check_add): n amounts printed to d
 * decimals may sum to a total that differs from the printed one by up to
 * n × half a unit of the d-th decimal; such a check holds with rounding set
 * and the tolerance it used.  A failed check is reported, never "fixed":
 * the printed numbers stay as printed.
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CODE_RE "^\\d{3}(\\d{2}){0,2}$"


static const bpn_cell *cell(const bpn_table *t, guint r, int c)
{
    return &((bpn_row *)t->rows->pdata[r])->cells[c];
}

static double value(const bpn_table *t, guint r, int c)
{
    const bpn_cell *x = cell(t, r, c);
    return x->is_number ? x->number : 0;
}

void bpn_check_free(gpointer p)
{
    bpn_check *k = p;
    if (!k)
        return;
    g_free(k->rule);
    g_free(k->row);
    g_free(k->column);
    if (k->cells)
        g_array_free(k->cells, TRUE);
    g_free(k);
}

static bpn_check *check_new(const bpn_table *t, const char *rule, const char *row, const char *column,
                            double expected, double found)
{
    bpn_check *k = g_new0(bpn_check, 1);
    k->table = t ? t->number : 0;
    k->source_table = t;
    k->rule = g_strdup(rule);
    k->row = g_strdup(row);
    k->column = g_strdup(column);
    k->expected = round(expected * 1e6) / 1e6;
    k->found = round(found * 1e6) / 1e6;
    k->cells = g_array_new(FALSE, FALSE, sizeof(int));
    return k;
}

/* Decimals printed in an amount's text ("1,234.50" → 2, "12" → 0). */
static int printed_decimals(const char *text)
{
    const char *dot = text ? strrchr(text, '.') : NULL;
    int d = 0;
    if (!dot)
        return 0;
    for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
        d++;
    return d;
}

/* Judges k and adds it to doc->checks.  An identity of n printed amounts
 * rounded to d decimals may be off by up to n × half a unit of the d-th
 * decimal: d is the most decimals any non-zero amount of the check prints
 * (a producer that drops trailing zeros prints fewer on some), n the parts
 * summed (parts < 0: all cells but the found one).  scale converts the
 * table's unit to the unit of expected/found (bpn_table_to_wan: 1/10000 for 元 → 万元). */
static void check_add(bpn_document *doc, const bpn_table *t, bpn_check *k, int parts, double scale)
{
    guint i = 0;
    while (i < doc->tables->len && doc->tables->pdata[i] != t)
        i++;
    k->table_index = (int)i;
    int d = -1;
    for (guint j = 0; j + 1 < k->cells->len; j += 2) {
        const bpn_cell *x = cell(t, (guint)g_array_index(k->cells, int, j), g_array_index(k->cells, int, j + 1));
        if (x->is_number && x->number != 0)
            d = MAX(d, printed_decimals(x->text));
    }
    if (d < 0)
        d = 2;
    if (parts < 0)
        parts = MAX(1, (int)k->cells->len / 2 - 1);
    k->tolerance = round(parts * 0.5 * pow(10, -d) * scale * 1e9) / 1e9;
    double diff = fabs(k->expected - k->found);
    k->ok = diff <= k->tolerance + 1e-9;
    k->rounding = k->ok && diff > 1e-9;
    if (doc->spill) { /* written out, not held (spill.c) */
        bpn_spill_check(doc->spill, k);
        bpn_check_free(k);
    } else {
        g_ptr_array_add(doc->checks, k);
    }
}

static void check_cell_pair(GArray *cells, int r, int c)
{
    g_array_append_val(cells, r);
    g_array_append_val(cells, c);
}

static void check_cell(bpn_check *k, int r, int c)
{
    g_array_append_val(k->cells, r);
    g_array_append_val(k->cells, c);
}

/* Text of the lowest header cell of column c, or of the group over it. */
static const char *column_name(bpn_regex_cache *rx, const bpn_table *t, int c)
{
    for (guint i = t->header_rows->len; i-- > 0;) {
        const bpn_row *h = t->header_rows->pdata[i];
        /* a 栏次 row numbers the columns; the name is above it */
        if (h->cells[c].text && !bpn_rx_match(rx, "^\\s*\\d{1,2}\\s*$", h->cells[c].text))
            return h->cells[c].text;
    }
    return NULL;
}

static gboolean amount_column(const bpn_table *t, int c)
{
    for (guint r = 0; r < t->rows->len; r++)
        if (cell(t, r, c)->is_number)
            return TRUE;
    return FALSE;
}

/* A 行次 column: line numbers between a label and its amounts (决算 总表);
 * headed 行次, or holding nothing but numbers of 1 to 3 digits kept as text. */
static gboolean line_number_column(bpn_regex_cache *rx, const bpn_table *t, int c)
{
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_cell *h = &((bpn_row *)t->header_rows->pdata[i])->cells[c];
        if (h->text && bpn_rx_match(rx, "^\\s*行\\s*次\\s*$", h->text))
            return TRUE;
    }
    int n = 0;
    for (guint r = 0; r < t->rows->len; r++) {
        const bpn_cell *x = cell(t, r, c);
        if (!x->text)
            continue;
        if (x->is_number || !bpn_rx_match(rx, "^\\s*\\d{1,3}\\s*$", x->text))
            return FALSE;
        n++;
    }
    return n >= 2 && (guint)n * 2 >= t->rows->len;
}

/* ---- codes ---- */

static int header_col(bpn_regex_cache *rx, const bpn_table *t, const char *re)
{
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_row *h = t->header_rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            if (!h->cells[c].text)
                continue;
            char *n = bpn_norm(h->cells[c].text);
            gboolean hit = bpn_rx_match(rx, re, n);
            g_free(n);
            if (hit)
                return c;
        }
    }
    return -1;
}

static char *digits_of(bpn_regex_cache *rx, const bpn_table *t, guint r, int c)
{
    if (c < 0 || !cell(t, r, c)->text)
        return NULL;
    char *n = bpn_norm(cell(t, r, c)->text);
    if (!bpn_rx_match(rx, "^\\d+$", n)) {
        g_free(n);
        return NULL;
    }
    return n;
}

static gboolean row_is_total(bpn_regex_cache *rx, const bpn_table *t, guint r, const char **label)
{
    for (int c = 0; c < t->n_cols; c++) {
        const bpn_cell *x = cell(t, r, c);
        if (!x->text || x->is_number)
            continue;
        char *n = bpn_norm(x->text);
        gboolean total = bpn_rx_match(rx, "^(合计|总计|部门合计|单位合计)$", n);
        g_free(n);
        if (total)
            *label = x->text;
        return total;
    }
    return FALSE;
}

/* Per data row, its classification code or NULL.  Free each of the
 * rows->len entries: rows without a code leave holes, where g_strfreev()
 * would stop (a leak found by fuzz_normalize). */
static char **row_codes(bpn_regex_cache *rx, const bpn_table *t)
{
    char **codes = g_new0(char *, t->rows->len + 1);
    int lei = header_col(rx, t, "^类$"), kuan = header_col(rx, t, "^款$"), xiang = header_col(rx, t, "^项$");
    if (lei >= 0 && kuan >= 0) {
        char *cur_lei = NULL, *cur_kuan = NULL;
        for (guint r = 0; r < t->rows->len; r++) {
            char *l = digits_of(rx, t, r, lei), *k = digits_of(rx, t, r, kuan), *x = digits_of(rx, t, r, xiang);
            if (l) {
                g_free(cur_lei);
                cur_lei = g_strdup(l);
                g_free(cur_kuan);
                cur_kuan = NULL;
            }
            if (k) {
                g_free(cur_kuan);
                cur_kuan = g_strdup_printf("%02d", atoi(k));
            }
            if (x && cur_lei && cur_kuan)
                codes[r] = g_strdup_printf("%s%s%02d", cur_lei, cur_kuan, atoi(x));
            else if (k && cur_lei)
                codes[r] = g_strdup_printf("%s%s", cur_lei, cur_kuan);
            else if (l && !k && !x)
                codes[r] = g_strdup(l);
            g_free(l);
            g_free(k);
            g_free(x);
        }
        g_free(cur_lei);
        g_free(cur_kuan);
        return codes;
    }
    for (int c = 0; c < t->n_cols; c++) {
        int n = 0, labels = 0, prefixed = 0;
        for (guint r = 0; r < t->rows->len; r++) {
            const char *label;
            char *d = digits_of(rx, t, r, c);
            /* a 合计 row's figure (分值 100) is no code */
            if (cell(t, r, c)->is_number || row_is_total(rx, t, r, &label)) {
                g_free(d);
                continue;
            }
            labels += cell(t, r, c)->text != NULL;
            if (!d && cell(t, r, c)->text && (d = bpn_code_prefix(rx, cell(t, r, c)->text)))
                prefixed++;
            if (d && bpn_rx_match(rx, CODE_RE, d)) {
                g_free(codes[r]);
                codes[r] = d;
                n++;
            } else {
                g_free(d);
            }
        }
        /* codes opening their labels ("2050101-行政运行", 北京) only in a
         * column of them: a name column may open with a number (100所…) */
        if (prefixed && n * 2 < labels) {
            for (guint r = 0; r < t->rows->len; r++)
                g_clear_pointer(&codes[r], g_free);
            n = 0;
        }
        if (n)
            break;
    }
    return codes;
}

static void children_sum(bpn_document *doc, const bpn_table *t, char **codes, int lo, int hi)
{
    bpn_regex_cache *rx = doc->rx;
    for (guint p = 0; p < t->rows->len; p++) {
        size_t len = codes[p] ? strlen(codes[p]) : 0;
        if (len != 3 && len != 5)
            continue;
        /* A code printed once: its children are wherever they are.  A code
         * printed on several rows (a table listing 301 under 501 and again
         * under 505): each row's children are the rows under it, up to the
         * first coded row outside its code. */
        gboolean repeated = FALSE;
        for (guint r = 0; r < t->rows->len && !repeated; r++)
            repeated = r != p && codes[r] && strcmp(codes[r], codes[p]) == 0;
        GArray *kids = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint r = repeated ? p + 1 : 0; r < t->rows->len; r++) {
            gboolean inside = codes[r] && strncmp(codes[r], codes[p], len) == 0 && strlen(codes[r]) > len;
            if (inside && strlen(codes[r]) == len + 2)
                g_array_append_val(kids, r);
            else if (repeated && codes[r] && !inside)
                break;
        }
        for (int c = lo; kids->len && c < hi; c++) {
            if (!amount_column(t, c))
                continue;
            double sum = 0;
            gboolean any = cell(t, p, c)->is_number;
            for (guint k = 0; k < kids->len; k++) {
                sum += value(t, g_array_index(kids, guint, k), c);
                any |= cell(t, g_array_index(kids, guint, k), c)->is_number;
            }
            if (!any)
                continue;
            bpn_check *k = check_new(t, "children_sum", codes[p], column_name(rx, t, c), sum, value(t, p, c));
            check_cell(k, (int)p, c);
            for (guint j = 0; j < kids->len; j++)
                check_cell(k, (int)g_array_index(kids, guint, j), c);
            check_add(doc, t, k, -1, 1);
        }
        g_array_free(kids, TRUE);
    }
}

/* A 合计 row sums the rows of the shallowest code level the table lists:
 * its 类 rows, or, in a table listing only 项 codes, every coded row. */
static void total_row(bpn_document *doc, const bpn_table *t, char **codes)
{
    bpn_regex_cache *rx = doc->rx;
    size_t top_len = 0;
    for (guint r = 0; r < t->rows->len; r++)
        if (codes[r] && (!top_len || strlen(codes[r]) < top_len))
            top_len = strlen(codes[r]);
    for (guint tr = 0; tr < t->rows->len && top_len; tr++) {
        const char *label = NULL;
        if (!row_is_total(rx, t, tr, &label))
            continue;
        for (int c = 0; c < t->n_cols; c++) {
            if (!amount_column(t, c))
                continue;
            double sum = 0;
            int top = 0;
            gboolean any = cell(t, tr, c)->is_number;
            for (guint r = 0; r < t->rows->len; r++)
                if (r != tr && codes[r] && strlen(codes[r]) == top_len) {
                    sum += value(t, r, c);
                    any |= cell(t, r, c)->is_number;
                    top++;
                }
            if (!top || !any)
                continue;
            bpn_check *k = check_new(t, "total_row", label, column_name(rx, t, c), sum, value(t, tr, c));
            check_cell(k, (int)tr, c);
            for (guint r = 0; r < t->rows->len; r++)
                if (r != tr && codes[r] && strlen(codes[r]) == top_len)
                    check_cell(k, (int)r, c);
            check_add(doc, t, k, -1, 1);
        }
    }
}

static gboolean header_total(bpn_regex_cache *rx, const bpn_table *t, guint hr, int c)
{
    const bpn_row *h = t->header_rows->pdata[hr];
    if (!h->cells[c].text)
        return FALSE;
    char *n = bpn_norm(h->cells[c].text);
    gboolean total = bpn_rx_match(rx, "(合计|小计|总计|总额)$", n);
    g_free(n);
    return total;
}

/* Last column of the header cell at (hr, c): it spans right to the next
 * label on its row, within `limit`. */
static int span_end(const bpn_table *t, guint hr, int c, int limit)
{
    const bpn_row *h = t->header_rows->pdata[hr];
    int e = c + 1;
    while (e <= limit && !h->cells[e].text)
        e++;
    return e - 1;
}

/* The columns [*lo, *hi] of the group that column c belongs to on header
 * row hr: under the nearest label at or left of c on the row above, within
 * that label's own group (a label spanning rows leaves the rows below it
 * blank, so a span ends at the parent's end too). */
static void group_span(const bpn_table *t, guint hr, int c, int *lo, int *hi)
{
    *lo = 0;
    *hi = t->n_cols - 1;
    if (hr == 0)
        return;
    int plo, phi;
    group_span(t, hr - 1, c, &plo, &phi);
    const bpn_row *up = t->header_rows->pdata[hr - 1];
    int p = c;
    while (p > plo && !up->cells[p].text)
        p--;
    *lo = p;
    *hi = span_end(t, hr - 1, p, phi);
}

/* A column that is part of another, not an addend: 其中 …, 扣除基建项目后
 * 预算数 (项目支出总数 less 基建). */
#define SUBSET_HEADER "^其中|扣除.*后"

static gboolean header_says(bpn_regex_cache *rx, const bpn_table *t, guint hr, int c, const char *re)
{
    const bpn_row *h = t->header_rows->pdata[hr];
    if (!h->cells[c].text)
        return FALSE;
    char *n = bpn_norm(h->cells[c].text);
    gboolean hit = bpn_rx_match(rx, re, n);
    g_free(n);
    return hit;
}

/* Whether the header group at (hr, k) holds amounts in any of its columns
 * (up to its span's end within hi). */
static gboolean group_has_amounts(const bpn_table *t, guint hr, int k, int hi)
{
    for (int j = k; j <= span_end(t, hr, k, hi); j++)
        if (amount_column(t, j))
            return TRUE;
    return FALSE;
}

/* Whether a column of the header group at (hr, k) holds labels (text that
 * is no amount: codes, names) in its data rows. */
static gboolean group_has_labels(const bpn_table *t, guint hr, int k, int hi)
{
    for (int j = k; j <= span_end(t, hr, k, hi); j++)
        for (guint r = 0; r < t->rows->len; r++)
            if (cell(t, r, j)->text && !cell(t, r, j)->is_number)
                return TRUE;
    return FALSE;
}

/* Whether the group at (hr, k) is a part of its siblings rather than one
 * more of them: a subset header (其中 …, 扣除…后) beside at least one other
 * addend in [lo, hi], a group of amount columns printed under its own
 * header, filled or blank (北京: 合计 | 基本支出 | 项目支出 | 其中: 事业单位经营
 * 支出 …, spending already counted in 基本 or 项目).  A 其中 group that is
 * the only addend is the total's break-down (福州: 小计 | 其中: 基本支出 |
 * 项目支出) and is summed. */
static gboolean subset_sibling(bpn_regex_cache *rx, const bpn_table *t, guint hr, int k, int lo, int hi)
{
    if (!header_says(rx, t, hr, k, SUBSET_HEADER))
        return FALSE;
    const bpn_row *h = t->header_rows->pdata[hr];
    for (int j = lo; j <= hi; j++)
        if (j != k && h->cells[j].text && !header_total(rx, t, hr, j) && !header_says(rx, t, hr, j, SUBSET_HEADER) &&
            !group_has_labels(t, hr, j, hi))
            return TRUE;
    return FALSE;
}

/* The value of the header group at (hr, c) in data row r: its own column
 * when it is a single column or its first sub-column is a 小计 (or a 总数:
 * 项目支出总数); else the sum of its sub-groups on the next header row, a
 * subset beside other addends left out (subset_sibling).  The cells used go
 * to cells. */
static double group_value(bpn_regex_cache *rx, const bpn_table *t, guint r, guint hr, int c, int limit, GArray *cells,
                          gboolean *any)
{
    int e = span_end(t, hr, c, limit);
    guint below = hr + 1;
    if (e == c || below >= t->header_rows->len || header_total(rx, t, below, c) || header_says(rx, t, below, c, "(总数|总额)$") ||
        !((bpn_row *)t->header_rows->pdata[below])->cells[c].text) {
        if (cell(t, r, c)->is_number)
            *any = TRUE;
        g_array_append_val(cells, c);
        return value(t, r, c);
    }
    double sum = 0;
    const bpn_row *h = t->header_rows->pdata[below];
    for (int k = c; k <= e; k++)
        if (h->cells[k].text && !subset_sibling(rx, t, below, k, c, e))
            sum += group_value(rx, t, r, below, k, e, cells, any);
    return sum;
}

/* A header cell saying 合计, 小计 or 总计 is the sum of its siblings: the
 * groups on its header row under the same parent, a subset group beside
 * other addends left out (subset_sibling). */
static void column_sum(bpn_document *doc, const bpn_table *t)
{
    bpn_regex_cache *rx = doc->rx;
    guint nh = t->header_rows->len;
    for (guint hr = 0; hr < nh; hr++) {
        const bpn_row *h = t->header_rows->pdata[hr];
        for (int c = 0; c < t->n_cols; c++) {
            if (!header_total(rx, t, hr, c) || !amount_column(t, c))
                continue;
            int lo = 0, hi = t->n_cols - 1;
            group_span(t, hr, c, &lo, &hi);
            for (guint r = 0; r < t->rows->len; r++) {
                GArray *cols = g_array_new(FALSE, FALSE, sizeof(int));
                gboolean any = cell(t, r, c)->is_number;
                double sum = 0;
                int parts = 0;
                for (int k = lo; k <= hi; k++) {
                    if (k == c || !h->cells[k].text || header_total(rx, t, hr, k) ||
                        !group_has_amounts(t, hr, k, hi) || subset_sibling(rx, t, hr, k, lo, hi))
                        continue;
                    sum += group_value(rx, t, r, hr, k, hi, cols, &any);
                    parts++;
                }
                if (parts && any) {
                    const char *label = NULL;
                    for (int k = 0; k < t->n_cols && !label; k++)
                        if (cell(t, r, k)->text && !cell(t, r, k)->is_number && !line_number_column(rx, t, k))
                            label = cell(t, r, k)->text;
                    bpn_check *chk = check_new(t, "column_sum", label, h->cells[c].text, sum, value(t, r, c));
                    check_cell(chk, (int)r, c);
                    for (guint j = 0; j < cols->len; j++)
                        check_cell(chk, (int)r, g_array_index(cols, int, j));
                    check_add(doc, t, chk, -1, 1);
                }
                g_array_free(cols, TRUE);
            }
        }
    }
}

/* A table's grand total, in 万元: its total row (合计/总计, or its only row)
 * read across the top header row — the column headed 合计 where there is
 * one, else the sum of the top-level groups. */
static gboolean total_of(bpn_regex_cache *rx, const bpn_table *t, double *v, int *rr, GArray *cols)
{
    for (guint r = 0; r < t->rows->len; r++) {
        const char *label = NULL;
        if (!row_is_total(rx, t, r, &label) && t->rows->len != 1)
            continue;
        if (t->header_rows->len == 0)
            return FALSE;
        gboolean any = FALSE;
        double sum = 0;
        for (int c = 0; c < t->n_cols; c++) {
            if (!((bpn_row *)t->header_rows->pdata[0])->cells[c].text || !group_has_amounts(t, 0, c, t->n_cols - 1))
                continue;
            if (header_total(rx, t, 0, c)) {
                g_array_set_size(cols, 0);
                any = cell(t, r, c)->is_number;
                g_array_append_val(cols, c);
                sum = value(t, r, c);
                break;
            }
            if (!subset_sibling(rx, t, 0, c, 0, t->n_cols - 1))
                sum += group_value(rx, t, r, 0, c, t->n_cols - 1, cols, &any);
        }
        if (!any)
            return FALSE;
        *v = sum * bpn_table_to_wan(t);
        *rr = (int)r;
        return TRUE;
    }
    return FALSE;
}

static void balances(bpn_document *doc)
{
    bpn_regex_cache *rx = doc->rx;
    const bpn_table *summary = NULL;
    double income = 0, spending = 0, income_year = 0;
    gboolean has_income_year = FALSE;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        double a, b;
        int ra, ca, rb, cb;
        if (!(bpn_table_is(rx, t, "income_expenditure_summary") || bpn_table_is(rx, t, "fiscal_summary")))
            continue;
        bpn_table_touch(doc, t);
        if (!bpn_table_income_total(rx, t, &a, &ra, &ca) || !bpn_table_expenditure_total(rx, t, &b, &rb, &cb))
            continue;
        bpn_check *k = check_new(t, "balance", "收入总计 = 支出总计", NULL, a, b);
        check_cell(k, rb, cb);
        check_cell(k, ra, ca);
        check_add(doc, t, k, 1, bpn_table_to_wan(t));
        if (!summary && !bpn_table_is(rx, t, "fiscal_summary")) {
            summary = t;
            income = a;
            spending = b;
            /* the 支出总表 lists this year's spending: the 收支总表's 本年支出合计
             * where it prints one (支出总计 adds 结转下年 / 年终结转结余) */
            double year;
            if (bpn_table_labelled_amount(rx, t, "^本年支出(合计|小计)$", &year, NULL, NULL))
                spending = year;
            has_income_year = bpn_table_labelled_amount(rx, t, "^本年收入(合计|小计)$", &income_year, NULL, NULL);
        }
    }
    if (!summary)
        return;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        double v;
        int r;
        gboolean income_table = bpn_table_is(rx, t, "income");
        gboolean spending_table = bpn_table_is(rx, t, "expenditure");
        if (t == summary || t->no_data || (!income_table && !spending_table))
            continue;
        bpn_table_touch(doc, t);
        /* a 收入表 with a carry-over column (上年结转) totals the 收入总计;
         * one without (a 决算's 收入决算表: 本年收入合计 | 财政拨款收入 | …)
         * this year's income, the 收支总表's 本年收入合计 */
        gboolean this_year = income_table && has_income_year && header_col(rx, t, "结转|结余") < 0;
        GArray *cols = g_array_new(FALSE, FALSE, sizeof(int));
        if (total_of(rx, t, &v, &r, cols)) {
            bpn_check *k = check_new(t, "cross_table", income_table ? (this_year ? "本年收入" : "收入总计") : "本年支出",
                                     NULL, income_table ? (this_year ? income_year : income) : spending, v);
            for (guint j = 0; j < cols->len; j++)
                check_cell(k, r, g_array_index(cols, int, j));
            check_add(doc, t, k, (int)MAX(1, cols->len), bpn_table_to_wan(t));
        }
        g_array_free(cols, TRUE);
    }
}

/* ---- row hierarchies without codes ---- */

static gboolean text_at(const bpn_table *t, guint r, int c)
{
    return cell(t, r, c)->text && !cell(t, r, c)->is_number;
}

static gboolean label_matches(bpn_regex_cache *rx, const bpn_table *t, guint r, int c, const char *re)
{
    if (!text_at(t, r, c))
        return FALSE;
    char *n = bpn_norm(cell(t, r, c)->text);
    gboolean hit = bpn_rx_match(rx, re, n);
    g_free(n);
    return hit;
}

#define TOTAL_LABEL "(小计|合计|总计)$"
#define ITEM_LABEL "^[一二三四五六七八九十]+、"
#define SUBITEM_LABEL "^\\d+[.、．]"

static void sum_check(bpn_document *doc, const bpn_table *t, const char *rule, guint found_row, int found_col,
                      const GArray *rows, int col)
{
    bpn_regex_cache *rx = doc->rx;
    double sum = 0;
    gboolean any = cell(t, found_row, found_col)->is_number;
    for (guint i = 0; i < rows->len; i++) {
        sum += value(t, g_array_index(rows, guint, i), col);
        any |= cell(t, g_array_index(rows, guint, i), col)->is_number;
    }
    if (!any || rows->len == 0)
        return;
    bpn_check *k = check_new(t, rule, cell(t, found_row, 0)->text && !cell(t, found_row, 0)->is_number
                                           ? cell(t, found_row, 0)->text
                                           : NULL,
                             column_name(rx, t, found_col), sum, value(t, found_row, found_col));
    /* the row label: the text cell nearest left of the found cell */
    for (int c = found_col - 1; c >= 0; c--)
        if (text_at(t, found_row, c) && !line_number_column(rx, t, c)) {
            g_free(k->row);
            k->row = g_strdup(cell(t, found_row, c)->text);
            break;
        }
    check_cell(k, (int)found_row, found_col);
    for (guint i = 0; i < rows->len; i++)
        check_cell(k, (int)g_array_index(rows, guint, i), col);
    check_add(doc, t, k, -1, 1);
}

/* Labels of rows that break the row above down by fund (年初财政拨款结转和
 * 结余 or 一、财政拨款收入: 一般公共预算（财政拨款）（收入） / 政府性基金预算… /
 * 国有资本经营预算…). */
#define FUND_LABEL "^(一般公共预算|政府性基金预算?|国有资本经营预算?)(财政)?(拨款)?(收入)?$"

/* Side-by-side label columns (收支总表): in label column c, the enumerated
 * items (一、二、…) above a 小计/合计 row add up to it; an item's numbered
 * sub-items (1. 2. …) add up to the item; a later 合计/总计 row is the
 * 小计 plus the rows between (上年结转). */
static void label_column_sums(bpn_document *doc, const bpn_table *t, int c)
{
    bpn_regex_cache *rx = doc->rx;
    /* the amount columns of this label column: right of it, up to the next
     * column holding text in an item row */
    int v0 = c + 1, v1 = c;
    for (int v = c + 1; v < t->n_cols; v++) {
        gboolean text = FALSE;
        for (guint r = 0; r < t->rows->len && !text && !line_number_column(rx, t, v); r++)
            text = label_matches(rx, t, r, c, ITEM_LABEL) && text_at(t, r, v);
        if (text)
            break;
        v1 = v;
    }
    if (v1 < v0)
        return;
    GArray *items = g_array_new(FALSE, FALSE, sizeof(guint));
    guint subtotal = G_MAXUINT;
    for (guint r = 0; r < t->rows->len; r++) {
        if (label_matches(rx, t, r, c, ITEM_LABEL)) {
            g_array_append_val(items, r);
            /* its sub-items: numbered (1. / （一）) or by fund, all of one kind */
            static const char *const kinds[] = {SUBITEM_LABEL, "^[(（][一二三四五六七八九十]+[)）]", FUND_LABEL};
            GArray *subs = g_array_new(FALSE, FALSE, sizeof(guint));
            for (gsize kind = 0; kind < G_N_ELEMENTS(kinds) && subs->len == 0; kind++)
                for (guint k = r + 1; k < t->rows->len && label_matches(rx, t, k, c, kinds[kind]); k++)
                    g_array_append_val(subs, k);
            for (int v = v0; subs->len && v <= v1; v++)
                sum_check(doc, t, "children_sum", r, v, subs, v);
            g_array_free(subs, TRUE);
        } else if (label_matches(rx, t, r, c, TOTAL_LABEL)) {
            if (subtotal == G_MAXUINT && items->len >= 2) {
                gboolean own = FALSE;
                for (int v = v0; v <= v1; v++)
                    own |= cell(t, r, v)->is_number;
                for (int v = v0; v <= v1; v++) {
                    if (own) {
                        sum_check(doc, t, "total_row", r, v, items, v);
                    } else if (v == v0) {
                        /* the total's amount sits further right, under a merged label */
                        for (int f = v1 + 1; f < t->n_cols; f++)
                            if (cell(t, r, f)->is_number) {
                                GArray *one = g_array_new(FALSE, FALSE, sizeof(guint));
                                double sum = 0;
                                for (guint i = 0; i < items->len; i++)
                                    sum += value(t, g_array_index(items, guint, i), v);
                                bpn_check *k = check_new(t, "total_row", cell(t, r, c)->text, column_name(rx, t, f),
                                                         sum, value(t, r, f));
                                check_cell(k, (int)r, f);
                                for (guint i = 0; i < items->len; i++)
                                    check_cell(k, (int)g_array_index(items, guint, i), v);
                                check_add(doc, t, k, -1, 1);
                                g_array_free(one, TRUE);
                                break;
                            }
                    }
                }
                subtotal = r;
            } else if (subtotal != G_MAXUINT) {
                /* 合计 = 小计 + the rows between */
                GArray *parts = g_array_new(FALSE, FALSE, sizeof(guint));
                g_array_append_val(parts, subtotal);
                for (guint k = subtotal + 1; k < r; k++) {
                    if (!text_at(t, k, c) || label_matches(rx, t, k, c, ITEM_LABEL) || label_matches(rx, t, k, c, FUND_LABEL))
                        continue;
                    g_array_append_val(parts, k);
                    /* its break-down, enumerated (上年结转: 一、… 二、…) or
                     * by fund (决算: 一般公共预算财政拨款 …) */
                    GArray *subs = g_array_new(FALSE, FALSE, sizeof(guint));
                    for (guint j = k + 1; j < r && label_matches(rx, t, j, c, ITEM_LABEL); j++)
                        g_array_append_val(subs, j);
                    for (guint j = k + 1; subs->len == 0 && j < r && label_matches(rx, t, j, c, FUND_LABEL); j++)
                        g_array_append_val(subs, j);
                    for (int v = v0; subs->len && v <= v1; v++)
                        sum_check(doc, t, "children_sum", k, v, subs, v);
                    g_array_free(subs, TRUE);
                }
                for (int v = v0; v <= v1; v++)
                    sum_check(doc, t, "total_row", r, v, parts, v);
                g_array_free(parts, TRUE);
                subtotal = G_MAXUINT;
            }
        }
    }
    g_array_free(items, TRUE);
}

/* Rank of a label's enumerator in the order Chinese lists nest them:
 * 一、 0, （一） 1, 1、 2, （1） 3; a row saying 其中 and nothing more 4;
 * a label without one 0.  "其中：（1）…" ranks as its enumerator. */
static int enumerator_rank(bpn_regex_cache *rx, const bpn_table *t, guint r, int c)
{
    static const char *const ranks[] = {
        "^[一二三四五六七八九十]+[、.．]",
        "^[(（][一二三四五六七八九十]+[)）]",
        "^\\d+[、.．]",
        "^[(（]\\d+[)）]",
    };
    char *n = bpn_norm(cell(t, r, c)->text);
    gboolean among = bpn_rx_match(rx, "^其中[:：]?", n);
    char *rest = among ? bpn_rx_capture(rx, "^其中[:：]?(.*)$", n, 1) : g_strdup(n);
    int rank = among ? 4 : 0;
    for (int i = 0; i < (int)G_N_ELEMENTS(ranks); i++)
        if (rest && bpn_rx_match(rx, ranks[i], rest)) {
            rank = i;
            break;
        }
    g_free(rest);
    g_free(n);
    return rank;
}

/* Tables of one amount column whose labels are indented by column (收入
 * 预算总表, 政府采购预算表) or enumerated in one column (三公: 1、2、3、 with
 * （1）（2） under 3、): a row's level is its last label column, then its
 * enumerator's rank; its amount is the sum of the rows under it one level
 * deeper; a 合计/总计 row is the sum of the shallowest other rows after
 * it (or before it when last). */
static void indented_sums(bpn_document *doc, const bpn_table *t, int a)
{
    bpn_regex_cache *rx = doc->rx;
    guint n = t->rows->len;
    int *level = g_new(int, n ? n : 1);
    gboolean *total = g_new0(gboolean, n ? n : 1);
    /* a row's level: its last label column (group rows carry the labels of
     * the merged cells they sit in); a 小计 row stands at its group's label */
    for (guint r = 0; r < n; r++) {
        level[r] = -1;
        int first = -1;
        for (int c = 0; c < a; c++)
            if (text_at(t, r, c)) {
                level[r] = c;
                if (first < 0)
                    first = c;
            }
        if (level[r] >= 0 && label_matches(rx, t, r, level[r], "^小计$"))
            level[r] = first < level[r] ? first : level[r];
        for (int c = 0; c < a && !total[r]; c++)
            total[r] = label_matches(rx, t, r, c, "(合计|总计)$");
        if (level[r] >= 0)
            level[r] = level[r] * 8 + (total[r] ? 0 : enumerator_rank(rx, t, r, level[r]));
    }
    for (guint p = 0; p < n; p++) {
        if (level[p] < 0)
            continue;
        GArray *kids = g_array_new(FALSE, FALSE, sizeof(guint));
        if (total[p]) {
            /* the shallowest other rows, after it (or before it when last) */
            for (int pass = 0; pass < 2 && kids->len == 0; pass++) {
                guint lo = pass ? 0 : p + 1, hi = pass ? p : n;
                int top = G_MAXINT;
                for (guint r = lo; r < hi; r++)
                    if (level[r] >= level[p] && !total[r])
                        top = MIN(top, level[r]);
                for (guint r = lo; r < hi; r++)
                    if (level[r] == top && !total[r])
                        g_array_append_val(kids, r);
            }
        } else {
            int deeper = G_MAXINT;
            for (guint r = p + 1; r < n && level[r] != -1 && level[r] > level[p]; r++)
                deeper = MIN(deeper, level[r]);
            for (guint r = p + 1; r < n && level[r] != -1 && level[r] > level[p]; r++)
                if (level[r] == deeper)
                    g_array_append_val(kids, r);
        }
        if (kids->len)
            sum_check(doc, t, total[p] ? "total_row" : "children_sum", p, a, kids, a);
        g_array_free(kids, TRUE);
    }
    g_free(total);
    g_free(level);
}

/* ---- side-by-side blocks of codes (基本支出决算表: 人员经费 | 公用经费) ----
 *
 * A table printing several code | name | amount blocks side by side, each
 * with its own code column (经济分类 301… | 302… | 307… 310…):
 *  1. code_blocks() finds the code columns (two or more, each block with an
 *     amount column of its own; else the table is not one of these);
 *  2. each block's codes add up within it (children_sum on its columns);
 *  3. a row labelled …合计 in a block's label columns (人员经费合计,
 *     公用经费合计) is the sum of the top-level codes of every block under
 *     the same top header group as its label (公用经费 spans two blocks);
 *     its amount is the first one right of the label, in whichever block.
 * Misses: blocks without a header group, whose 合计 covers more than its
 * own block, are checked against their own block only. */

static int code_count(bpn_regex_cache *rx, const bpn_table *t, int c)
{
    int n = 0;
    for (guint r = 0; r < t->rows->len; r++) {
        char *d = digits_of(rx, t, r, c);
        n += d && bpn_rx_match(rx, CODE_RE, d) && !cell(t, r, c)->is_number;
        g_free(d);
    }
    return n;
}

static char **block_codes(bpn_regex_cache *rx, const bpn_table *t, int c)
{
    char **codes = g_new0(char *, t->rows->len + 1);
    for (guint r = 0; r < t->rows->len; r++) {
        char *d = digits_of(rx, t, r, c);
        if (d && bpn_rx_match(rx, CODE_RE, d) && !cell(t, r, c)->is_number)
            codes[r] = d;
        else
            g_free(d);
    }
    return codes;
}

static void free_codes(const bpn_table *t, char **codes)
{
    for (guint r = 0; r < t->rows->len; r++)
        g_free(codes[r]);
    g_free(codes);
}

/* The top header group [*g0, *g1] over column c: the nearest label at or
 * left of c on the first header row, to the next one. */
static void top_group(const bpn_table *t, int c, int *g0, int *g1)
{
    *g0 = 0;
    *g1 = t->n_cols - 1;
    if (t->header_rows->len == 0)
        return;
    const bpn_row *h = t->header_rows->pdata[0];
    int p = c;
    while (p > 0 && !h->cells[p].text)
        p--;
    if (!h->cells[p].text)
        return;
    *g0 = p;
    *g1 = span_end(t, 0, p, t->n_cols - 1);
}

static gboolean code_blocks(bpn_document *doc, const bpn_table *t)
{
    bpn_regex_cache *rx = doc->rx;
    if (header_col(rx, t, "^类$") >= 0 && header_col(rx, t, "^款$") >= 0)
        return FALSE;
    int starts[17], n = 0;
    for (int c = 0; c < t->n_cols && n < 16; c++)
        if (code_count(rx, t, c) >= 2)
            starts[n++] = c;
    if (n < 2)
        return FALSE;
    starts[n] = t->n_cols;
    int *amount = g_new(int, n); /* each block's first amount column */
    for (int b = 0; b < n; b++) {
        amount[b] = -1;
        for (int c = starts[b] + 1; c < starts[b + 1] && amount[b] < 0; c++)
            if (amount_column(t, c))
                amount[b] = c;
        if (amount[b] < 0) {
            g_free(amount);
            return FALSE;
        }
    }
    char ***codes = g_new(char **, n);
    size_t *top = g_new0(size_t, n);
    for (int b = 0; b < n; b++) {
        codes[b] = block_codes(rx, t, starts[b]);
        children_sum(doc, t, codes[b], starts[b], starts[b + 1]);
        for (guint r = 0; r < t->rows->len; r++)
            if (codes[b][r] && (!top[b] || strlen(codes[b][r]) < top[b]))
                top[b] = strlen(codes[b][r]);
    }
    for (int b = 0; b < n; b++) {
        for (guint r = 0; r < t->rows->len; r++) {
            int lc = -1;
            for (int c = starts[b]; c < amount[b] && lc < 0; c++)
                if (label_matches(rx, t, r, c, "(合计|总计)$"))
                    lc = c;
            if (lc < 0)
                continue;
            int f = -1;
            for (int c = lc + 1; c < t->n_cols && f < 0; c++)
                if (cell(t, r, c)->is_number)
                    f = c;
            if (f < 0)
                continue;
            int g0, g1;
            top_group(t, lc, &g0, &g1);
            bpn_check *k = check_new(t, "total_row", cell(t, r, lc)->text, column_name(rx, t, f), 0, value(t, r, f));
            check_cell(k, (int)r, f);
            double sum = 0;
            for (int b2 = 0; b2 < n; b2++) {
                if (starts[b2] < g0 || starts[b2] > g1)
                    continue;
                for (guint q = 0; q < t->rows->len; q++)
                    if (codes[b2][q] && strlen(codes[b2][q]) == top[b2]) {
                        sum += value(t, q, amount[b2]);
                        check_cell(k, (int)q, amount[b2]);
                    }
            }
            k->expected = round(sum * 1e6) / 1e6;
            if (k->cells->len > 2)
                check_add(doc, t, k, -1, 1);
            else
                bpn_check_free(k);
        }
    }
    for (int b = 0; b < n; b++)
        free_codes(t, codes[b]);
    g_free(codes);
    g_free(top);
    g_free(amount);
    return TRUE;
}

static void hierarchy_sums(bpn_document *doc, const bpn_table *t, char **codes)
{
    bpn_regex_cache *rx = doc->rx;
    for (guint r = 0; r < t->rows->len; r++)
        if (codes[r])
            return; /* coded tables are checked by their codes */
    int amounts = 0, a = -1;
    for (int c = 0; c < t->n_cols; c++)
        if (amount_column(t, c)) {
            amounts++;
            a = c;
        }
    if (amounts == 1) {
        indented_sums(doc, t, a);
        return;
    }
    for (int c = 0; c < t->n_cols; c++) {
        gboolean labels = FALSE;
        for (guint r = 0; r < t->rows->len && !labels; r++)
            labels = label_matches(rx, t, r, c, ITEM_LABEL);
        if (labels)
            label_column_sums(doc, t, c);
    }
}

/* ---- the same figure printed by two tables (决算) ----
 *
 * A 决算 prints each total in several tables (the 收入决算表's and 支出决算表's
 * against the 总表 are balances()'s cross_table): the 收入决算表's 财政拨款收入
 * is the 财政拨款总表's 本年收入合计, the 一般公共预算财政拨款支出决算表's 合计 is the
 * 财政拨款收入支出决算总表's 本年支出合计 under 一般公共预算财政拨款, its
 * 基本支出 the 基本支出决算表's 人员经费合计 + 公用经费合计.  SAME_FIGURES
 * lists them as data: for each side a table title, a row label and a column
 * header (NULL: the first amount right of the label, past 行次); a label
 * found on several cells of the table sums them.  The first side names the
 * check (its table, its cell); a pair whose tables or cells the document
 * does not print is not tested. */
static const struct {
    const char *title, *row, *column;
    const char *other_title, *other_row, *other_column;
} SAME_FIGURES[] = {
    {"^收入决算表$", "^(合计|总计)$", "^财政拨款收入$", "^财政拨款收入支出决算总表$", "^本年收入合计$", NULL},
    {"^一般公共预算财政拨款支出决算表$", "^(合计|总计)$", "^(本年支出|小计|合计)$", "^财政拨款收入支出决算总表$",
     "^本年支出合计$", "^一般公共预算财政拨款$"},
    {"^一般公共预算财政拨款支出决算表$", "^(合计|总计)$", "^基本支出$", "^一般公共预算财政拨款基本支出决算表$",
     "^(人员经费|公用经费)合计$", NULL},
};

/* The amount (or sum of amounts) of t at the rows labelled row_re, in the
 * column headed col_re or right of the label; its cells into cells. */
static gboolean figure_at(bpn_regex_cache *rx, const bpn_table *t, const char *row_re, const char *col_re, double *v, GArray *cells)
{
    int col = col_re ? header_col(rx, t, col_re) : -1;
    if (col_re && col < 0)
        return FALSE;
    gboolean found = FALSE;
    *v = 0;
    for (guint r = 0; r < t->rows->len; r++)
        for (int c = 0; c < t->n_cols; c++) {
            if (!text_at(t, r, c) || line_number_column(rx, t, c) || !label_matches(rx, t, r, c, row_re))
                continue;
            int f = col;
            if (f < 0)
                for (int k = c + 1; k < t->n_cols && f < 0; k++) {
                    if (cell(t, r, k)->is_number)
                        f = k;
                    else if (text_at(t, r, k) && !line_number_column(rx, t, k))
                        break;
                }
            if (f < 0 || f <= c || !cell(t, r, f)->is_number)
                continue;
            *v += cell(t, r, f)->number;
            check_cell_pair(cells, (int)r, f);
            found = TRUE;
            if (col_re)
                break; /* one label per row under a headed column */
        }
    return found;
}

static const bpn_table *titled_table(const bpn_document *doc, const char *re)
{
    bpn_regex_cache *rx = doc->rx;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        if (!t->no_data && bpn_table_titled(rx, t, re))
            return t;
    }
    return NULL;
}

static void same_figures(bpn_document *doc)
{
    bpn_regex_cache *rx = doc->rx;
    for (gsize i = 0; i < G_N_ELEMENTS(SAME_FIGURES); i++) {
        const bpn_table *a = titled_table(doc, SAME_FIGURES[i].title),
                        *b = titled_table(doc, SAME_FIGURES[i].other_title);
        if (!a || !b || a == b)
            continue;
        bpn_table_touch(doc, a);
        bpn_table_touch(doc, b);
        GArray *ca = g_array_new(FALSE, FALSE, sizeof(int)), *cb = g_array_new(FALSE, FALSE, sizeof(int));
        double va, vb;
        if (figure_at(rx, a, SAME_FIGURES[i].row, SAME_FIGURES[i].column, &va, ca) &&
            figure_at(rx, b, SAME_FIGURES[i].other_row, SAME_FIGURES[i].other_column, &vb, cb)) {
            bpn_check *k = check_new(a, "cross_table", cell(a, (guint)g_array_index(ca, int, 0), 0)->text,
                                     column_name(rx, a, g_array_index(ca, int, 1)),
                                     vb * (bpn_table_to_wan(b) / bpn_table_to_wan(a)),
                                     va);
            g_array_append_vals(k->cells, ca->data, ca->len);
            check_add(doc, a, k, (int)MAX(1, cb->len / 2), 1);
        }
        g_array_free(ca, TRUE);
        g_array_free(cb, TRUE);
    }
}

/* ---- 决算: 年初结转和结余 + 本年收入 - 本年支出 = 年末结转和结余 ---- */

/* The column headed re (a group's own column: its 小计 under it) when it
 * holds amounts, else -1. */
static int carry_column(bpn_regex_cache *rx, const bpn_table *t, const char *re)
{
    int c = header_col(rx, t, re);
    return c >= 0 && amount_column(t, c) ? c : -1;
}

static void carry_over(bpn_document *doc, const bpn_table *t)
{
    bpn_regex_cache *rx = doc->rx;
    int open = carry_column(rx, t, "^年初(财政拨款)?结转和?结余$"), in = carry_column(rx, t, "^本年收入(合计)?$"),
        out = carry_column(rx, t, "^本年支出(合计)?$"), close = carry_column(rx, t, "^年末(财政拨款)?结转和?结余$");
    if (open < 0 || in < 0 || out < 0 || close < 0)
        return;
    for (guint r = 0; r < t->rows->len; r++) {
        if (!cell(t, r, open)->is_number && !cell(t, r, in)->is_number && !cell(t, r, out)->is_number &&
            !cell(t, r, close)->is_number)
            continue;
        const char *label = NULL;
        for (int c = 0; c < t->n_cols && !label; c++)
            if (text_at(t, r, c) && !line_number_column(rx, t, c))
                label = cell(t, r, c)->text;
        bpn_check *k = check_new(t, "carry_over", label, column_name(rx, t, close),
                                 value(t, r, open) + value(t, r, in) - value(t, r, out), value(t, r, close));
        check_cell(k, (int)r, close);
        check_cell(k, (int)r, open);
        check_cell(k, (int)r, in);
        check_cell(k, (int)r, out);
        check_add(doc, t, k, 3, 1);
    }
}

/* The clause that says it: from the last break (，：（；, a line's end)
 * before its first word of secrecy when the sentence runs on long before
 * it (a sentence that began with the unit's structure, or table captions
 * run together before a note). */
static const char *withheld_clause(const char *sentence)
{
    static const char *const WORDS[] = {"涉密", "保密", "剔除", "不予"};
    static const char *const BREAKS[] = {"，", ",", "：", ":", "（", "(", "；", ";", "\n"};
    enum { LONG_LEAD = 40 }; /* characters before the word that make a lead too long */
    const char *word = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(WORDS); i++) {
        const char *w = strstr(sentence, WORDS[i]);
        if (w && (!word || w < word))
            word = w;
    }
    if (!word || g_utf8_strlen(sentence, word - sentence) <= LONG_LEAD)
        return sentence;
    const char *from = sentence;
    for (size_t i = 0; i < G_N_ELEMENTS(BREAKS); i++)
        for (const char *b = strstr(sentence, BREAKS[i]); b && b < word; b = strstr(b + 1, BREAKS[i]))
            if (b + strlen(BREAKS[i]) > from)
                from = b + strlen(BREAKS[i]);
    return from;
}

/* The first sentence of text (as printed, its clause about secrecy)
 * saying that items are left out for secrecy (the vocabulary's WITHHELD),
 * or NULL. */
static char *withheld_in(bpn_regex_cache *rx, const char *text)
{
    static const char STOP[] = "。";
    for (const char *start = text; start && *start;) {
        const char *end = strstr(start, STOP);
        size_t len = end ? (size_t)(end - start) + strlen(STOP) : strlen(start);
        char *sentence = g_strndup(start, len);
        char *n = bpn_norm(sentence);
        gboolean found = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_WITHHELD), n) != NULL;
        g_free(n);
        if (found) {
            char *clause = g_strdup(withheld_clause(sentence));
            g_free(sentence);
            return g_strstrip(clause);
        }
        g_free(sentence);
        start += len;
    }
    return NULL;
}

gboolean bpn_check_may_be_withheld(const bpn_document *doc, const bpn_check *k)
{
    static const char *const PART_RULES[] = {"children_sum", "total_row", "column_sum"};
    gboolean parts_rule = FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(PART_RULES); i++)
        parts_rule |= k->rule && strcmp(k->rule, PART_RULES[i]) == 0;
    return doc->withheld_statement && parts_rule && !k->ok && k->expected < k->found;
}

void bpn_withheld_read(bpn_document *doc)
{
    /* its narrative first, else a table's note (注：…部分具体项目信息公开时予以剔除) */
    for (guint i = 0; i < doc->sections->len && !doc->withheld_statement; i++)
        doc->withheld_statement = withheld_in(doc->rx, ((const bpn_section *)doc->sections->pdata[i])->text);
    for (guint i = 0; i < doc->tables->len && !doc->withheld_statement; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        bpn_table_touch(doc, t);
        for (guint j = 0; t->notes && j < t->notes->len && !doc->withheld_statement; j++)
            doc->withheld_statement = withheld_in(doc->rx, t->notes->pdata[j]);
    }
}

void bpn_checks_build(bpn_document *doc)
{
    bpn_regex_cache *rx = doc->rx;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        if (t->no_data)
            continue;
        bpn_table_touch(doc, t);
        if (t->rows->len == 0)
            continue;
        carry_over(doc, t);
        if (code_blocks(doc, t)) {
            column_sum(doc, t);
            continue;
        }
        char **codes = row_codes(rx, t);
        children_sum(doc, t, codes, 0, t->n_cols);
        total_row(doc, t, codes);
        hierarchy_sums(doc, t, codes);
        column_sum(doc, t);
        for (guint r = 0; r < t->rows->len; r++)
            g_free(codes[r]);
        g_free(codes);
    }
    balances(doc);
    same_figures(doc);
}
