/* checks.c — the arithmetic the budget tables carry, tested.
 *
 * How it works.  Every identity is read off the table's own structure, never
 * off a list of known tables:
 *
 *  - children_sum: a classification code is the sum of the rows whose codes
 *    extend it by one level (201 = Σ 201xx, 20101 = Σ 20101xx; 301 = Σ 301xx).
 *    Codes come from a code column, or are joined from 类 | 款 | 项 columns,
 *    a blank 类 or 款 carried down from the rows above.
 *  - total_row: a 合计/总计 row is the sum of the top-level (3-digit) rows.
 *  - column_sum: a header cell saying 合计 or 小计 is the sum of its sibling
 *    columns: the columns whose header, on the same header row, lies under the
 *    same parent cell (the nearest label on the row above, spanning to the
 *    next one).  A merged group's text sits in its first column, which is
 *    its own 小计, so nested groups (三公 → 公务用车 → 购置/运行) add up level
 *    by level.
 *  - balance: in a 收支总表 the income total equals the expenditure total.
 *  - cross_table: the 收入总表 and 支出总表 totals equal the 收支总表's.
 *
 * Blank amounts count as 0.  Tolerance: 0.01 万元 (rounding), 100 元 in
 * tables printed in 元.  A failed check is reported, never "fixed": the
 * printed numbers stay as printed.
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CODE_RE "^\\d{3}(\\d{2}){0,2}$"

static double tolerance(const bpn_table *t)
{
    return t->unit_of_measure && strcmp(t->unit_of_measure, "元") == 0 ? 100.0 : 0.0101;
}

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
    k->rule = g_strdup(rule);
    k->row = g_strdup(row);
    k->column = g_strdup(column);
    k->expected = round(expected * 1e6) / 1e6;
    k->found = round(found * 1e6) / 1e6;
    k->ok = fabs(expected - found) <= (t ? tolerance(t) : 0.0101);
    k->cells = g_array_new(FALSE, FALSE, sizeof(int));
    return k;
}

static void check_cell(bpn_check *k, int r, int c)
{
    g_array_append_val(k->cells, r);
    g_array_append_val(k->cells, c);
}

/* Text of the lowest header cell of column c, or of the group over it. */
static const char *column_name(const bpn_table *t, int c)
{
    for (guint i = t->header_rows->len; i-- > 0;) {
        const bpn_row *h = t->header_rows->pdata[i];
        if (h->cells[c].text)
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

/* ---- codes ---- */

static int header_col(const bpn_table *t, const char *re)
{
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_row *h = t->header_rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            if (!h->cells[c].text)
                continue;
            char *n = bpn_norm(h->cells[c].text);
            gboolean hit = bpn_match(re, n);
            g_free(n);
            if (hit)
                return c;
        }
    }
    return -1;
}

static char *digits_of(const bpn_table *t, guint r, int c)
{
    if (c < 0 || !cell(t, r, c)->text)
        return NULL;
    char *n = bpn_norm(cell(t, r, c)->text);
    if (!bpn_match("^\\d+$", n)) {
        g_free(n);
        return NULL;
    }
    return n;
}

/* Per data row, its classification code or NULL.  Free with g_strfreev. */
static char **row_codes(const bpn_table *t)
{
    char **codes = g_new0(char *, t->rows->len + 1);
    int lei = header_col(t, "^类$"), kuan = header_col(t, "^款$"), xiang = header_col(t, "^项$");
    if (lei >= 0 && kuan >= 0) {
        char *cur_lei = NULL, *cur_kuan = NULL;
        for (guint r = 0; r < t->rows->len; r++) {
            char *l = digits_of(t, r, lei), *k = digits_of(t, r, kuan), *x = digits_of(t, r, xiang);
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
        int n = 0;
        for (guint r = 0; r < t->rows->len; r++) {
            char *d = digits_of(t, r, c);
            if (d && bpn_match(CODE_RE, d) && !cell(t, r, c)->is_number) {
                g_free(codes[r]);
                codes[r] = d;
                n++;
            } else {
                g_free(d);
            }
        }
        if (n)
            break;
    }
    return codes;
}

static void children_sum(bpn_document *doc, const bpn_table *t, char **codes)
{
    for (guint p = 0; p < t->rows->len; p++) {
        size_t len = codes[p] ? strlen(codes[p]) : 0;
        if (len != 3 && len != 5)
            continue;
        GArray *kids = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint r = 0; r < t->rows->len; r++)
            if (codes[r] && strlen(codes[r]) == len + 2 && strncmp(codes[r], codes[p], len) == 0)
                g_array_append_val(kids, r);
        for (int c = 0; kids->len && c < t->n_cols; c++) {
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
            bpn_check *k = check_new(t, "children_sum", codes[p], column_name(t, c), sum, value(t, p, c));
            check_cell(k, (int)p, c);
            for (guint j = 0; j < kids->len; j++)
                check_cell(k, (int)g_array_index(kids, guint, j), c);
            g_ptr_array_add(doc->checks, k);
        }
        g_array_free(kids, TRUE);
    }
}

static gboolean row_is_total(const bpn_table *t, guint r, const char **label)
{
    for (int c = 0; c < t->n_cols; c++) {
        const bpn_cell *x = cell(t, r, c);
        if (!x->text || x->is_number)
            continue;
        char *n = bpn_norm(x->text);
        gboolean total = bpn_match("^(合计|总计|部门合计|单位合计)$", n);
        g_free(n);
        if (total)
            *label = x->text;
        return total;
    }
    return FALSE;
}

static void total_row(bpn_document *doc, const bpn_table *t, char **codes)
{
    for (guint tr = 0; tr < t->rows->len; tr++) {
        const char *label = NULL;
        if (!row_is_total(t, tr, &label))
            continue;
        for (int c = 0; c < t->n_cols; c++) {
            if (!amount_column(t, c))
                continue;
            double sum = 0;
            int top = 0;
            gboolean any = cell(t, tr, c)->is_number;
            for (guint r = 0; r < t->rows->len; r++)
                if (codes[r] && strlen(codes[r]) == 3) {
                    sum += value(t, r, c);
                    any |= cell(t, r, c)->is_number;
                    top++;
                }
            if (!top || !any)
                continue;
            bpn_check *k = check_new(t, "total_row", label, column_name(t, c), sum, value(t, tr, c));
            check_cell(k, (int)tr, c);
            for (guint r = 0; r < t->rows->len; r++)
                if (codes[r] && strlen(codes[r]) == 3)
                    check_cell(k, (int)r, c);
            g_ptr_array_add(doc->checks, k);
        }
    }
}

/* The columns under 合计/小计 header cells, by the header's structure. */
static void column_sum(bpn_document *doc, const bpn_table *t)
{
    guint nh = t->header_rows->len;
    for (guint hr = 0; hr < nh; hr++) {
        const bpn_row *h = t->header_rows->pdata[hr];
        for (int c = 0; c < t->n_cols; c++) {
            if (!h->cells[c].text)
                continue;
            char *n = bpn_norm(h->cells[c].text);
            gboolean total = bpn_match("(合计|小计|总计)$", n);
            g_free(n);
            if (!total || !amount_column(t, c))
                continue;
            /* the parent: the nearest label at or left of c on the row above,
             * spanning to the next label */
            int lo = 0, hi = t->n_cols - 1;
            if (hr > 0) {
                const bpn_row *up = t->header_rows->pdata[hr - 1];
                int p = c;
                while (p > 0 && !up->cells[p].text)
                    p--;
                lo = p;
                hi = p + 1;
                while (hi < t->n_cols && !up->cells[hi].text)
                    hi++;
                hi--;
            }
            GArray *parts = g_array_new(FALSE, FALSE, sizeof(int));
            for (int k = MAX(lo, c + 1); k <= hi; k++)
                if (h->cells[k].text && amount_column(t, k))
                    g_array_append_val(parts, k);
            /* a header cell of the same row left of c in the span is a part too
             * (基本支出 | 项目支出 | 合计 printed last) */
            for (int k = lo; k < c; k++)
                if (h->cells[k].text && amount_column(t, k))
                    g_array_append_val(parts, k);
            for (guint r = 0; parts->len >= 1 && r < t->rows->len; r++) {
                double sum = 0;
                gboolean any = cell(t, r, c)->is_number;
                for (guint j = 0; j < parts->len; j++) {
                    sum += value(t, r, g_array_index(parts, int, j));
                    any |= cell(t, r, g_array_index(parts, int, j))->is_number;
                }
                if (!any)
                    continue;
                const char *label = NULL;
                for (int k = 0; k < t->n_cols && !label; k++)
                    if (cell(t, r, k)->text && !cell(t, r, k)->is_number)
                        label = cell(t, r, k)->text;
                bpn_check *k = check_new(t, "column_sum", label, h->cells[c].text, sum, value(t, r, c));
                check_cell(k, (int)r, c);
                for (guint j = 0; j < parts->len; j++)
                    check_cell(k, (int)r, g_array_index(parts, int, j));
                g_ptr_array_add(doc->checks, k);
            }
            g_array_free(parts, TRUE);
        }
    }
}

static gboolean title_has(const bpn_table *t, const char *re)
{
    if (!t->title)
        return FALSE;
    char *n = bpn_norm(t->title);
    gboolean ok = bpn_match(re, n);
    g_free(n);
    return ok;
}

/* The first amount right of a cell whose label matches re, in 万元; its
 * cell in *r, *c. */
static gboolean labelled_amount(const bpn_table *t, const char *re, double *out, int *rr, int *cc)
{
    for (guint r = 0; r < t->rows->len; r++)
        for (int c = 0; c < t->n_cols; c++) {
            const bpn_cell *x = cell(t, r, c);
            if (!x->text || x->is_number)
                continue;
            char *n = bpn_norm(x->text);
            char *l = bpn_capture("^(?:[一二三四五六七八九十]+、)?(.*)$", n, 1);
            gboolean hit = l && bpn_match(re, l);
            g_free(n);
            g_free(l);
            if (!hit)
                continue;
            for (int k = c + 1; k < t->n_cols; k++) {
                if (cell(t, r, k)->is_number) {
                    *out = value(t, r, k) / (tolerance(t) > 1 ? 10000.0 : 1.0);
                    *rr = (int)r;
                    *cc = k;
                    return TRUE;
                }
                if (cell(t, r, k)->text)
                    break;
            }
        }
    return FALSE;
}

static gboolean table_income(const bpn_table *t, double *v, int *r, int *c)
{
    return labelled_amount(t, "^收入总计$", v, r, c) || labelled_amount(t, "^收入(合计|总额)$", v, r, c);
}

static gboolean table_expenditure(const bpn_table *t, double *v, int *r, int *c)
{
    return labelled_amount(t, "^支出总计$", v, r, c) || labelled_amount(t, "^支出(合计|总额)$", v, r, c);
}

/* The first amount of a table's total row (its 合计 column), in 万元. */
static gboolean total_of(const bpn_table *t, double *v, int *rr, int *cc)
{
    for (guint r = 0; r < t->rows->len; r++) {
        const char *label = NULL;
        if (!row_is_total(t, r, &label) && !(t->rows->len == 1))
            continue;
        for (int c = 0; c < t->n_cols; c++)
            if (cell(t, r, c)->is_number) {
                *v = value(t, r, c) / (tolerance(t) > 1 ? 10000.0 : 1.0);
                *rr = (int)r;
                *cc = c;
                return TRUE;
            }
    }
    return FALSE;
}

static void balances(bpn_document *doc)
{
    const bpn_table *summary = NULL;
    double income = 0, spending = 0;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        double a, b;
        int ra, ca, rb, cb;
        if (!title_has(t, "收支.*总表") || !table_income(t, &a, &ra, &ca) || !table_expenditure(t, &b, &rb, &cb))
            continue;
        bpn_check *k = check_new(t, "balance", "收入总计 = 支出总计", NULL, a, b);
        check_cell(k, rb, cb);
        check_cell(k, ra, ca);
        g_ptr_array_add(doc->checks, k);
        if (!summary && !title_has(t, "财政拨款")) {
            summary = t;
            income = a;
            spending = b;
        }
    }
    if (!summary)
        return;
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        double v;
        int r, c;
        if (t == summary || t->no_data || !total_of(t, &v, &r, &c))
            continue;
        gboolean income_table = title_has(t, "收入.*总表") && !title_has(t, "收支");
        gboolean spending_table = title_has(t, "支出.*总表") && !title_has(t, "收支");
        if (!income_table && !spending_table)
            continue;
        bpn_check *k = check_new(t, "cross_table", income_table ? "收入总计" : "支出总计",
                                 column_name(t, c), income_table ? income : spending, v);
        check_cell(k, r, c);
        g_ptr_array_add(doc->checks, k);
    }
}

void bpn_checks_build(bpn_document *doc)
{
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        if (t->no_data || t->rows->len == 0)
            continue;
        char **codes = row_codes(t);
        children_sum(doc, t, codes);
        total_row(doc, t, codes);
        column_sum(doc, t);
        g_strfreev(codes);
    }
    balances(doc);
}
