/* summary.c — the headline figures (万元) read from the tables.
 *
 * 收入总计 / 支出总计: the 收支总表's total rows (总计 preferred to 合计: a
 * 合计 may leave out the carry-over), the first amount right of the label.
 * 基本支出 / 项目支出: the 支出总表's total row under the columns so headed,
 * else the 收支总表's rows so labelled.  "三公"经费: the 小计 column under the
 * 三公 heading, or the table's 合计 when it adds nothing else (会议费 and
 * 培训费 make a larger 合计 that is not the 三公 figure).
 */
#include "normalize/internal.h"

#include <string.h>

static const char *cell_text(const bpn_row *r, int c)
{
    return r->cells[c].text ? r->cells[c].text : "";
}

static double to_wan(const bpn_table *t, double v)
{
    return t->unit_of_measure && strcmp(t->unit_of_measure, "元") == 0 ? v / 10000.0 : v;
}

gboolean bpn_table_titled(const bpn_table *t, const char *re)
{
    if (!t->title)
        return FALSE;
    char *n = bpn_norm(t->title);
    gboolean ok = bpn_match(re, n);
    g_free(n);
    return ok;
}

/* Label without its enumerator ("一、基本支出" → "基本支出"), normalised. */
static char *label(const char *s)
{
    char *n = bpn_norm(s);
    char *l = bpn_capture("^(?:[一二三四五六七八九十]+、|\\d+[.、．])?(.*)$", n, 1);
    g_free(n);
    return l;
}

gboolean bpn_table_labelled_amount(const bpn_table *t, const char *re, double *wan, int *row, int *col)
{
    for (guint i = 0; i < t->rows->len; i++) {
        const bpn_row *r = t->rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            if (!r->cells[c].text || r->cells[c].is_number)
                continue;
            char *l = label(r->cells[c].text);
            gboolean hit = *l && bpn_match(re, l);
            g_free(l);
            if (!hit)
                continue;
            for (int k = c + 1; k < t->n_cols; k++) {
                if (r->cells[k].is_number) {
                    *wan = to_wan(t, r->cells[k].number);
                    if (row)
                        *row = (int)i;
                    if (col)
                        *col = k;
                    return TRUE;
                }
                if (r->cells[k].text)
                    break;
            }
        }
    }
    return FALSE;
}

static gboolean amount_right_of(const bpn_table *t, const char *re, double *out)
{
    return bpn_table_labelled_amount(t, re, out, NULL, NULL);
}

static void set(bpn_amount *a, double v)
{
    if (!a->set) {
        a->set = TRUE;
        a->value = v;
    }
}

/* Column whose header cell matches re, or -1. */
static int header_column(const bpn_table *t, const char *re)
{
    for (guint i = 0; i < t->header_rows->len; i++) {
        const bpn_row *r = t->header_rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            char *n = bpn_norm(cell_text(r, c));
            gboolean hit = *n && bpn_match(re, n);
            g_free(n);
            if (hit)
                return c;
        }
    }
    return -1;
}

/* The total row: labelled 合计/总计, or the only data row. */
static const bpn_row *total_row(const bpn_table *t)
{
    for (guint i = 0; i < t->rows->len; i++) {
        const bpn_row *r = t->rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++) {
            char *l = label(cell_text(r, c));
            gboolean hit = bpn_match("^(合计|总计)$", l);
            g_free(l);
            if (hit)
                return r;
        }
    }
    return t->rows->len >= 1 ? t->rows->pdata[0] : NULL;
}

static void three_public(bpn_document *doc, const bpn_table *t)
{
    /* a 三公 table printed empty states that there are no such expenses */
    if (t->no_data) {
        set(&doc->three_public_total, 0);
        return;
    }
    const bpn_row *r = total_row(t);
    if (!r)
        return;
    /* the 小计 right under the 三公 heading */
    int col = -1;
    for (guint i = 0; i + 1 < t->header_rows->len && col < 0; i++) {
        const bpn_row *h = t->header_rows->pdata[i];
        for (int c = 0; c < t->n_cols && col < 0; c++) {
            char *n = bpn_norm(cell_text(h, c));
            if (strstr(n, "三公")) {
                for (guint j = i + 1; j < t->header_rows->len && col < 0; j++) {
                    const bpn_row *below = t->header_rows->pdata[j];
                    for (int k = c; k < t->n_cols; k++) {
                        char *m = bpn_norm(cell_text(below, k));
                        gboolean sub = strcmp(m, "小计") == 0 || strcmp(m, "合计") == 0;
                        g_free(m);
                        if (sub) {
                            col = k;
                            break;
                        }
                        if (k > c && cell_text(h, k)[0])
                            break;
                    }
                }
            }
            g_free(n);
        }
    }
    if (col < 0 && header_column(t, "会议费|培训费") < 0)
        col = header_column(t, "^(合计|总计)$");
    if (col < 0) {
        /* a vertical layout: rows labelled 合计 / 小计 under 三公 */
        double v;
        if (header_column(t, "会议费|培训费") < 0 && amount_right_of(t, "^(合计|总计|\"?三公\"?经费.*合计)$", &v))
            set(&doc->three_public_total, v);
        return;
    }
    if (r->cells[col].is_number)
        set(&doc->three_public_total, to_wan(t, r->cells[col].number));
}

void bpn_summary_from_tables(bpn_document *doc)
{
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        double v;
        if (bpn_table_is(t, "income_expenditure_summary")) {
            if (amount_right_of(t, "^收入总计$", &v) || amount_right_of(t, "^收入(合计|总额)$", &v))
                set(&doc->income_total, v);
            if (amount_right_of(t, "^支出总计$", &v) || amount_right_of(t, "^支出(合计|总额)$", &v))
                set(&doc->expenditure_total, v);
        }
        if (bpn_table_is(t, "expenditure")) {
            const bpn_row *r = total_row(t);
            int b = header_column(t, "^基本支出$"), p = header_column(t, "^项目支出$");
            if (r && b >= 0 && r->cells[b].is_number)
                set(&doc->basic_expenditure, to_wan(t, r->cells[b].number));
            if (r && p >= 0 && r->cells[p].is_number)
                set(&doc->project_expenditure, to_wan(t, r->cells[p].number));
        }
        if (bpn_table_is(t, "three_public"))
            three_public(doc, t);
    }
    for (guint i = 0; i < doc->tables->len; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        double v;
        if (bpn_table_is(t, "income_expenditure_summary")) {
            if (amount_right_of(t, "^基本支出$", &v))
                set(&doc->basic_expenditure, v);
            if (amount_right_of(t, "^项目支出$", &v))
                set(&doc->project_expenditure, v);
        }
    }
}
