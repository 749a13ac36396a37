/* tables.c — grids into the disclosure's tables.
 *
 * How it works.  The page blocks come in reading order: text lines and
 * grids.  For each grid we look at the lines above it on its page (down to
 * the previous grid) for its label (表一, 公开01表, 预算公开表1, "公开 01 表：…"),
 * its title (the nearest line that names a 表) and its meta lines (单位名称,
 * 部门, 单位：万元).  A grid with neither label nor title that has as many
 * columns as the table before it continues that table: its leading rows that
 * repeat the table's header are dropped and the rest appended.  When a page
 * ends with a title and the next page starts with a bare grid, the title is
 * the grid's.
 *
 * Rows: the leading rows that hold no amount, no classification code and no
 * enumerated label are the header; the rest are data, wholly blank rows left
 * out.  Lines under a grid that start with 注/说明 are its notes, with the
 * lines that continue them (note_continues); a note such
 * as 本表无数据 (or a table without a single amount) makes it no_data.  An
 * empty table printed with no grid at all (its label and title, then within
 * a few lines that note) is a no_data table without rows.
 *
 * Numbers: a table's label gives its number; the document's 目录 numbers
 * the tables without one (see "numbering from the 目录" below); a table
 * that neither numbers has none.
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A table's printed label, its number in groups 1-5: 预算公开表1, 部门公开表 1,
 * 公开01表, 预算01表, 决算01表, 预算14表-1, 表1, 附表1-1, 预算表1, 表一.  A
 * suffix (-1) tells parts of one numbered table apart. */
#define LABEL_ALT                                                                                            \
    "(?:部门|单位)?(?:预算|决算)?公开表(\\d+)(?:-\\d+)?|(?:部门|单位)?(?:预算|决算)?公开(\\d+)表(?:-\\d+)?"    \
    "|(?:预算|决算)(\\d+)表(?:-\\d+)?|(?:附|预算|决算)?表(\\d+)(?:-\\d+)?|表([一二三四五六七八九十]+)"
#define LABEL_RE "^(?:" LABEL_ALT ")[:：]?(.*)$"
#define META_RE "^(单位名称|部门名称|部门|编制单位|预算单位|单位|金额单位|填报单位)[:：]"
#define UNIT_RE "单位[:：](" BPN_UNIT_RE ")"
#define CAPTION_RE "^(单位名称|部门名称|部门|编制单位|预算单位|单位|金额单位|填报单位)[:：]|单位[:：]" BPN_UNIT_RE "$"
#define NOTE_RE "^(注|说明|备注)[:：0-9１-９]"
#define EMPTY_NOTE_RE "本表无数据|无数据|空表|无相关|没有.{0,12}(收支|数据|预算|支出|经费)|不涉及|未安排"
#define CODE_RE "^\\d{3}(\\d{2}){0,2}$"
/* catalogue codes (政府采购品目: A, A02010104, C23120301) */
#define CATALOGUE_RE "^[A-Z](\\d{2,})?$"
#define ENUM_RE "^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\\d]+[)）]|\\d+[.、．]|[①-⑳]|其中[:：])"
#define TOTAL_RE "(合计|总计|小计)$"
#define HEADER_ENUM_RE "^其中[:：]?$"

static bpn_row *row_new(int n_cols)
{
    bpn_row *r = g_new0(bpn_row, 1);
    r->cells = g_new0(bpn_cell, n_cols ? n_cols : 1);
    return r;
}

static void row_free_n(bpn_row *r, int n_cols)
{
    if (!r)
        return;
    for (int i = 0; i < n_cols; i++)
        g_free(r->cells[i].text);
    g_free(r->cells);
    g_free(r);
}

void bpn_table_free(gpointer p)
{
    bpn_table *t = p;
    if (!t)
        return;
    for (guint i = 0; t->header_rows && i < t->header_rows->len; i++)
        row_free_n(t->header_rows->pdata[i], t->n_cols);
    for (guint i = 0; t->rows && i < t->rows->len; i++)
        row_free_n(t->rows->pdata[i], t->n_cols);
    if (t->header_rows)
        g_ptr_array_unref(t->header_rows);
    if (t->rows)
        g_ptr_array_unref(t->rows);
    if (t->notes)
        g_ptr_array_unref(t->notes);
    if (t->frames)
        g_ptr_array_unref(t->frames);
    if (t->pages)
        g_array_free(t->pages, TRUE);
    g_free(t->title);
    g_free(t->label);
    g_free(t->unit_of_measure);
    bpn_table_meaning_free(t->meaning);
    g_free(t);
}

void bpn_table_drop_rows(bpn_table *t)
{
    for (guint i = 0; i < t->header_rows->len; i++)
        row_free_n(t->header_rows->pdata[i], t->n_cols);
    for (guint i = 0; i < t->rows->len; i++)
        row_free_n(t->rows->pdata[i], t->n_cols);
    g_ptr_array_set_size(t->header_rows, 0);
    g_ptr_array_set_size(t->rows, 0);
    if (t->meaning)
        g_ptr_array_set_size(t->meaning->records, 0);
}

static bpn_table *table_new(int n_cols)
{
    bpn_table *t = g_new0(bpn_table, 1);
    t->n_cols = n_cols;
    t->pages = g_array_new(FALSE, FALSE, sizeof(int));
    t->header_rows = g_ptr_array_new();
    t->rows = g_ptr_array_new();
    t->notes = g_ptr_array_new_with_free_func(g_free);
    return t;
}

static void table_add_page(bpn_table *t, int page)
{
    if (t->pages->len == 0 || g_array_index(t->pages, int, t->pages->len - 1) != page)
        g_array_append_val(t->pages, page);
}

/* ---- what a line above a grid says ---- */

typedef struct {
    int number;      /* from a label, 0 if none */
    char *label;     /* owned: the label as printed (公开09表), normalised */
    char *title;     /* owned */
    char *unit;      /* owned: 万元 / 元 */
    gboolean found;  /* a label or a title was seen */
    const bpn_line *centred; /* nearest short line centred over the grid */
} heading;

static gboolean is_title_text(bpn_regex_cache *rx, const char *n)
{
    return bpn_rx_match(rx, "表([（(].*[)）])?$", n) && !bpn_rx_match(rx, "^第[一二三四五六七八九十]+部分", n) &&
           g_utf8_strlen(n, -1) <= 60 && !bpn_rx_match(rx, META_RE, n);
}

/* Reads one line into h; returns TRUE if it was a label, title or meta line. */
static gboolean heading_read(bpn_regex_cache *rx, heading *h, const bpn_line *line)
{
    char *n = bpn_norm(line->text);
    gboolean used = FALSE;
    char *unit = bpn_rx_capture(rx, UNIT_RE, n, 1);
    if (unit) {
        if (!h->unit)
            h->unit = unit;
        else
            g_free(unit);
        used = TRUE;
    }
    if (bpn_rx_match(rx, META_RE, n)) {
        g_free(n);
        return TRUE;
    }
    if (bpn_rx_match(rx, LABEL_RE, n)) {
        for (int g = 1; g <= 5 && !h->number; g++) {
            char *num = bpn_rx_capture(rx, LABEL_RE, n, g);
            if (num && *num)
                h->number = bpn_numeral_value(num);
            g_free(num);
        }
        char *rest = bpn_rx_capture(rx, LABEL_RE, n, 6);
        if (!h->label && rest) {
            char *head = g_strndup(n, strlen(n) - strlen(rest));
            h->label = bpn_rx_capture(rx, "^(.*?)[:：]?$", head, 1);
            g_free(head);
        }
        if (rest && *rest && is_title_text(rx, rest) && !h->title) {
            /* keep the printed form: cut the label off the printed text */
            const char *p = line->text;
            glong skip = g_utf8_strlen(n, -1) - g_utf8_strlen(rest, -1);
            for (glong i = 0; i < skip && *p;) {
                gunichar c = g_utf8_get_char(p);
                if (!g_unichar_isspace(c) && c != 0x3000)
                    i++;
                p = g_utf8_next_char(p);
            }
            while (*p && (g_unichar_isspace(g_utf8_get_char(p)) || g_utf8_get_char(p) == 0x3000))
                p = g_utf8_next_char(p);
            h->title = g_strdup(p);
        }
        g_free(rest);
        h->found = TRUE;
        used = TRUE;
    } else if (is_title_text(rx, n) && !h->title) {
        h->title = g_strstrip(g_strdup(line->text));
        h->found = TRUE;
        used = TRUE;
    }
    g_free(n);
    return used;
}

/* ---- rows ---- */

static GPtrArray *grid_rows(const bpn_grid *g)
{
    GPtrArray *rows = g_ptr_array_new();
    for (int r = 0; r < g->n_rows; r++) {
        char **row = g_new0(char *, g->n_cols + 1);
        gboolean any = FALSE;
        for (int c = 0; c < g->n_cols; c++) {
            int i = r * g->n_cols + c;
            if (g->region[i] == i && g->text[i]) {
                row[c] = g_strdup(g->text[i]);
                any = TRUE;
            }
        }
        if (any)
            g_ptr_array_add(rows, row);
        else
            g_free(row);
    }
    return rows;
}

static void strv_free_n(char **row, int n)
{
    for (int i = 0; i < n; i++)
        g_free(row[i]);
    g_free(row);
}

/* A data row: it holds an amount, a classification code or an enumerated
 * label; or, below the first header row, it has a label in the first
 * column and nothing else (the rows of an empty table); or it is a lone
 * total. */
/* A row of column numbers (栏次: 1 2 3 …) belongs to the header.  The
 * numbers run on across the row; the word 栏次 may label them, once per
 * side-by-side block (栏次 | | 1 | 栏次 | | 2 in a 决算 总表). */
static gboolean column_number_row(bpn_regex_cache *rx, char **row, int n)
{
    int expect = 0, seen = 0, labels = 0;
    for (int c = 0; c < n; c++) {
        if (!row[c])
            continue;
        char *s = bpn_norm(row[c]);
        gboolean label = bpn_rx_match(rx, "^(栏次|栏号)$", s);
        int v = bpn_rx_match(rx, "^\\d{1,2}$", s) ? atoi(s) : -1;
        g_free(s);
        if (label) {
            labels++;
            continue;
        }
        if (v < 0 || (expect && v != expect + 1))
            return FALSE;
        expect = v;
        seen++;
    }
    return seen >= 3 || (labels > 0 && seen > 0);
}

static gboolean row_is_data(bpn_regex_cache *rx, char **row, int n, guint index)
{
    int nonempty = 0, first_col = -1;
    if (column_number_row(rx, row, n))
        return FALSE;
    for (int c = 0; c < n; c++) {
        if (!row[c])
            continue;
        char *s = bpn_norm(row[c]);
        /* 其中： alone heads the columns of the parts under it */
        gboolean data = bpn_parse_amount(s, NULL) || bpn_rx_match(rx, CODE_RE, s) ||
                        (bpn_rx_match(rx, ENUM_RE, s) && !bpn_rx_match(rx, HEADER_ENUM_RE, s)) ||
                        bpn_rx_match(rx, CATALOGUE_RE, s);
        g_free(s);
        if (data)
            return TRUE;
        if (first_col < 0)
            first_col = c;
        nonempty++;
    }
    if (nonempty != 1)
        return FALSE;
    if (first_col == 0 && index > 0)
        return TRUE;
    char *s = bpn_norm(row[first_col]);
    gboolean total = bpn_rx_match(rx, TOTAL_RE, s);
    g_free(s);
    return total;
}

static gboolean rows_equal(char **a, char **b, int n)
{
    for (int c = 0; c < n; c++) {
        char *x = bpn_norm(a[c] ? a[c] : ""), *y = bpn_norm(b[c] ? b[c] : "");
        gboolean same = strcmp(x, y) == 0;
        g_free(x);
        g_free(y);
        if (!same)
            return FALSE;
    }
    return TRUE;
}

/* Whether row a repeats header row b as OCR reads it: the same cells
 * filled, and three quarters of the characters in common (a character or
 * two misread: 2025人年合计 for 2025年合计).  A text layer repeats its
 * header exactly; a scan reads it again, a little differently each time. */
static gboolean rows_alike(char **a, char **b, int n)
{
    glong common = 0, total = 0;
    for (int c = 0; c < n; c++) {
        char *x = bpn_norm(a[c] ? a[c] : ""), *y = bpn_norm(b[c] ? b[c] : "");
        glong lx = 0, ly = 0;
        gunichar *ux = g_utf8_to_ucs4_fast(x, -1, &lx), *uy = g_utf8_to_ucs4_fast(y, -1, &ly);
        gboolean filled_alike = (lx > 0) == (ly > 0);
        for (glong i = 0; i < lx; i++)
            for (glong j = 0; j < ly; j++)
                if (uy[j] && ux[i] == uy[j]) {
                    uy[j] = 0; /* each character counted once */
                    common++;
                    break;
                }
        total += MAX(lx, ly);
        g_free(ux);
        g_free(uy);
        g_free(x);
        g_free(y);
        if (!filled_alike)
            return FALSE;
    }
    return total > 0 && common * 4 >= total * 3;
}

/* A column of classification codes: its header says so, or every value in
 * it is a 3/5/7-digit code. */
static gboolean code_column(bpn_regex_cache *rx, GPtrArray *header, GPtrArray *data, int c)
{
    for (guint i = 0; i < header->len; i++) {
        char **row = header->pdata[i];
        if (row[c] && bpn_rx_match(rx, "编码|代码|编号|^类$|^款$|^项$|科目$", row[c]))
            return TRUE;
    }
    int codes = 0, other = 0;
    for (guint i = 0; i < data->len; i++) {
        char **row = data->pdata[i];
        if (!row[c])
            continue;
        char *s = bpn_norm(row[c]);
        if (bpn_rx_match(rx, CODE_RE, s))
            codes++;
        else
            other++;
        g_free(s);
    }
    return codes > 0 && other <= codes / 4;
}

static bpn_row *make_row(char **cells, int n, const gboolean *code_col, const gboolean *decimal_col)
{
    bpn_row *r = row_new(n);
    for (int c = 0; c < n; c++) {
        if (!cells[c])
            continue;
        r->cells[c].text = g_strdup(cells[c]);
        double v;
        if (code_col && !code_col[c] && bpn_parse_amount(cells[c], &v) &&
            (decimal_col[c] || strpbrk(cells[c], ".,") != NULL)) {
            r->cells[c].is_number = TRUE;
            r->cells[c].number = v;
        }
    }
    return r;
}

/* ---- the pending table under construction ---- */

typedef struct {
    bpn_table *table;
    double *xs;        /* column edges of the table's first grid */
    GPtrArray *header; /* char** rows */
    GPtrArray *data;   /* char** rows */
    int last_page;
    double last_y1;
    gboolean empty_note;
    bpn_block grid_note; /* where the last grid's last row stands, when that row is
                            a note (its lines may go on under the grid) */
    gboolean grid_note_set;
    gboolean frames;   /* each grid's frame kept (bpn_table_add_frame) */
    gboolean rows_out; /* each table's rows written out once finished (bpn_spill_rows_out) */
} pending;

/* Removes the columns in which no row, header or data, holds text: stray
 * strokes just outside a table, or double rules, make such slivers. */
static void drop_empty_columns(pending *p)
{
    int n = p->table->n_cols, k = 0;
    GPtrArray *all[2] = {p->header, p->data};
    for (int c = 0; c < n; c++) {
        gboolean used = FALSE;
        for (int a = 0; a < 2 && !used; a++)
            for (guint i = 0; i < all[a]->len && !used; i++)
                used = ((char **)all[a]->pdata[i])[c] != NULL;
        if (!used)
            continue;
        for (int a = 0; a < 2; a++)
            for (guint i = 0; i < all[a]->len; i++) {
                char **row = all[a]->pdata[i];
                row[k] = row[c];
                if (k != c)
                    row[c] = NULL;
            }
        k++;
    }
    if (k > 0)
        p->table->n_cols = k;
}

static gboolean is_total_label(bpn_regex_cache *rx, const char *text)
{
    char *s = bpn_norm(text);
    gboolean total = bpn_rx_match(rx, TOTAL_RE, s);
    g_free(s);
    return total;
}

/* A 项目支出绩效目标表 is a form, not one of the budget tables. */
static gboolean is_form(const bpn_table *t)
{
    if (!t->title)
        return FALSE;
    char *n = bpn_norm(t->title);
    gboolean form = strstr(n, "绩效目标表") != NULL;
    g_free(n);
    return form;
}

static void pending_discard(pending *p, int width)
{
    for (guint i = 0; i < p->header->len; i++)
        strv_free_n(p->header->pdata[i], width);
    for (guint i = 0; i < p->data->len; i++)
        strv_free_n(p->data->pdata[i], width);
    g_ptr_array_set_size(p->header, 0);
    g_ptr_array_set_size(p->data, 0);
    bpn_table_free(p->table);
    p->table = NULL;
    p->empty_note = FALSE;
}

/* What a grid caught that is not the table's body: caption rows at the
 * top of its header (单位：万元, 部门：…) give the unit of measure and
 * leave the header; note rows at its foot (注：…) go to notes. */
static void table_tidy(bpn_regex_cache *rx, bpn_table *t)
{
    while (t->header_rows->len) {
        bpn_row *h = t->header_rows->pdata[0];
        gboolean caption = FALSE, other = FALSE;
        for (int c = 0; c < t->n_cols; c++) {
            if (!h->cells[c].text)
                continue;
            char *n = bpn_norm(h->cells[c].text);
            char *unit = bpn_rx_capture(rx, UNIT_RE, n, 1);
            if (unit && !t->unit_of_measure)
                t->unit_of_measure = g_steal_pointer(&unit);
            g_free(unit);
            if (bpn_rx_match(rx, CAPTION_RE, n))
                caption = TRUE;
            else
                other = TRUE;
            g_free(n);
        }
        if (!caption || other)
            break;
        row_free_n(h, t->n_cols);
        g_ptr_array_remove_index(t->header_rows, 0);
    }
    for (guint i = 0; i < t->header_rows->len && !t->unit_of_measure; i++) {
        const bpn_row *h = t->header_rows->pdata[i];
        for (int c = 0; c < t->n_cols && !t->unit_of_measure; c++) {
            char *n = h->cells[c].text ? bpn_norm(h->cells[c].text) : NULL;
            t->unit_of_measure = n ? bpn_rx_capture(rx, UNIT_RE, n, 1) : NULL;
            g_free(n);
        }
    }
    guint keep = t->rows->len;
    while (keep > 0) {
        const bpn_row *r = t->rows->pdata[keep - 1];
        int texts = 0, note = 0;
        for (int c = 0; c < t->n_cols; c++) {
            if (!r->cells[c].text)
                continue;
            texts++;
            char *n = bpn_norm(r->cells[c].text);
            note += !r->cells[c].is_number && bpn_rx_match(rx, NOTE_RE, n);
            g_free(n);
        }
        if (texts != 1 || note != 1)
            break;
        keep--;
    }
    for (guint i = keep; i < t->rows->len; i++) {
        bpn_row *r = t->rows->pdata[i];
        for (int c = 0; c < t->n_cols; c++)
            if (r->cells[c].text)
                g_ptr_array_insert(t->notes, (gint)(i - keep), g_strdup(r->cells[c].text));
        row_free_n(r, t->n_cols);
    }
    if (keep < t->rows->len)
        g_ptr_array_remove_range(t->rows, keep, t->rows->len - keep);
}

static void pending_finish(bpn_document *doc, pending *p)
{
    bpn_regex_cache *rx = doc->rx;
    bpn_table *t = p->table;
    if (!t)
        return;
    if ((p->header->len == 0 && p->data->len == 0) || is_form(t)) {
        pending_discard(p, t->n_cols);
        return;
    }
    int full_width = t->n_cols;
    drop_empty_columns(p);
    int n = t->n_cols;
    gboolean *code = g_new0(gboolean, (gsize)MAX(n, 1)), *decimal = g_new0(gboolean, (gsize)MAX(n, 1));
    gboolean any_amount = FALSE;
    for (int c = 0; c < n; c++) {
        code[c] = code_column(rx, p->header, p->data, c);
        for (guint i = 0; i < p->data->len && !code[c]; i++) {
            char **row = p->data->pdata[i];
            if (row[c] && strchr(row[c], '.') && bpn_parse_amount(row[c], NULL))
                decimal[c] = TRUE;
        }
    }
    for (guint i = 0; i < p->header->len; i++)
        g_ptr_array_add(t->header_rows, make_row(p->header->pdata[i], n, NULL, NULL));
    gboolean any_content = FALSE;
    for (guint i = 0; i < p->data->len; i++) {
        bpn_row *r = make_row(p->data->pdata[i], n, code, decimal);
        for (int c = 0; c < n; c++) {
            any_amount |= r->cells[c].is_number;
            any_content |= r->cells[c].text && !r->cells[c].is_number && !is_total_label(rx, r->cells[c].text);
        }
        g_ptr_array_add(t->rows, r);
    }
    /* empty: the table says so, or it prints nothing but labelled totals
     * (a list without amounts, such as a 采购目录, is not empty) */
    t->no_data = p->empty_note || (!any_amount && !any_content);
    g_free(code);
    g_free(decimal);
    table_tidy(rx, t);
    g_ptr_array_add(doc->tables, t);
    if (p->rows_out)
        bpn_spill_rows_out(doc->spill, t);
    for (guint i = 0; i < p->header->len; i++)
        strv_free_n(p->header->pdata[i], full_width);
    for (guint i = 0; i < p->data->len; i++)
        strv_free_n(p->data->pdata[i], full_width);
    g_ptr_array_set_size(p->header, 0);
    g_ptr_array_set_size(p->data, 0);
    p->table = NULL;
    p->empty_note = FALSE;
}

/* Maps each column of g to the table column under its centre: a grid
 * continues a table when its columns fall into distinct columns of the
 * table's first grid (a page may lose a column that is empty on it).
 * Returns a map the caller frees, or NULL. */
static int *column_map(const pending *p, const bpn_grid *g)
{
    const double tol = 6;
    if (!p->table || g->n_cols > p->table->n_cols || fabs(g->x0 - p->xs[0]) > tol ||
        fabs(g->x1 - p->xs[p->table->n_cols]) > tol)
        return NULL;
    int *map = g_new(int, g->n_cols);
    for (int c = 0; c < g->n_cols; c++) {
        double mid = (g->xs[c] + g->xs[c + 1]) / 2;
        map[c] = -1;
        for (int k = 0; k < p->table->n_cols; k++)
            if (mid >= p->xs[k] && mid < p->xs[k + 1])
                map[c] = k;
        if (map[c] < 0 || (c > 0 && map[c] <= map[c - 1])) {
            g_free(map);
            return NULL;
        }
    }
    return map;
}

/* The letters, digits and ideographs of a title, normalised: what two
 * printings of one title share when a scan adds or drops a mark ("-2017年
 * 政府采购预算表" read over the second page).  Caller frees. */
static char *title_letters(const char *title)
{
    char *n = bpn_norm(title);
    GString *s = g_string_new(NULL);
    for (const char *q = n; *q; q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        if (g_unichar_isalnum(c))
            g_string_append_unichar(s, c);
    }
    g_free(n);
    return g_string_free(s, FALSE);
}

/* A title printed again over a continued table (spreadsheets repeat their
 * print titles on every page). */
static gboolean same_heading(const pending *p, const heading *h)
{
    if (!p->table || !p->table->title || !h->title || (h->number && h->number != p->table->number))
        return FALSE;
    char *a = title_letters(p->table->title), *b = title_letters(h->title);
    gboolean same = *a && strcmp(a, b) == 0;
    g_free(a);
    g_free(b);
    return same;
}

/* A grid row in the table's columns. */
static char **remap_row(char **row, const int *map, int n_from, int n_to)
{
    if (!map)
        return row;
    char **out = g_new0(char *, n_to + 1);
    for (int c = 0; c < n_from; c++)
        out[map[c]] = row[c];
    g_free(row);
    return out;
}

/* The text of a row that is a note (注：…, 说明：…) in one cell; NULL for
 * another row.  Caller frees. */
static char *note_row(bpn_regex_cache *rx, char **row, int n)
{
    int filled = -1;
    for (int c = 0; c < n; c++) {
        if (!row[c])
            continue;
        if (filled >= 0)
            return NULL;
        filled = c;
    }
    if (filled < 0)
        return NULL;
    char *s = bpn_norm(row[filled]);
    gboolean note = bpn_rx_match(rx, NOTE_RE, s);
    g_free(s);
    return note ? g_strdup(row[filled]) : NULL;
}

static gboolean row_has_text(const bpn_grid *g, int r)
{
    for (int c = 0; c < g->n_cols; c++)
        if (g->text[r * g->n_cols + c])
            return TRUE;
    return FALSE;
}

/* Appends a grid's rows: the first grid of a table splits header from data;
 * a continuation drops the rows that repeat the header. */
static void pending_add_grid(bpn_regex_cache *rx, pending *p, const bpn_grid *g, const int *map)
{
    GPtrArray *rows = grid_rows(g);
    int n = p->table->n_cols;
    gboolean first = map == NULL;
    for (guint k = 0; k < rows->len; k++)
        rows->pdata[k] = remap_row(rows->pdata[k], map, g->n_cols, n);
    if (first) {
        g_free(p->xs);
        p->xs = g_memdup2(g->xs, sizeof(double) * (size_t)(g->n_cols + 1));
    }
    guint i = 0;
    if (first) {
        while (i < rows->len && i < 6 && !row_is_data(rx, rows->pdata[i], n, i))
            g_ptr_array_add(p->header, rows->pdata[i++]);
    } else {
        for (guint h = 0; h < p->header->len && i < rows->len; h++) {
            if (!rows_equal(rows->pdata[i], p->header->pdata[h], n) &&
                (row_is_data(rx, rows->pdata[i], n, i) || !rows_alike(rows->pdata[i], p->header->pdata[h], n)))
                break;
            strv_free_n(rows->pdata[i++], n);
        }
    }
    if (p->frames)
        bpn_table_add_frame(p->table, g, i);
    p->grid_note_set = FALSE;
    for (; i < rows->len; i++) {
        char *note = note_row(rx, rows->pdata[i], n);
        if (note) {
            /* a note printed in the grid's last row, across the table */
            g_ptr_array_add(p->table->notes, note);
            strv_free_n(rows->pdata[i], n);
        } else {
            g_ptr_array_add(p->data, rows->pdata[i]);
        }
        p->grid_note_set = note != NULL;
    }
    if (p->grid_note_set) {
        /* the note's row: the grid's last row with text (its lines wrap on
         * under the grid where the rules stop short of them) */
        int r = g->n_rows - 1;
        while (r > 0 && !row_has_text(g, r))
            r--;
        p->grid_note = (bpn_block){.page = g->page, .y0 = g->ys[r], .y1 = g->y1};
    }
    g_ptr_array_unref(rows);
    table_add_page(p->table, g->page);
    p->last_page = g->page;
    p->last_y1 = g->y1;
}

/* ---- numbering from the 目录 ----
 *
 * How a table gets its number.
 *  1. heading_read takes the number of the label printed over the table
 *     (LABEL_ALT).
 *  2. bpn_toc_pages finds the pages of the 目录: a page where a row of text
 *     reads 目录 once the lines on its baseline are joined (目 录 set so
 *     wide apart that they are two lines), or a grid cell does.
 *  3. toc_read reads the entries on those pages.  Each row is a text row
 *     (baseline_row: the lines on one baseline, left to right — 一、 | title
 *     | page set as columns) or a row of a ruled grid (序号 | 报表名称 |
 *     页码), one piece per line or cell; it is an entry when it reads as a
 *     number (a label, 一、, 1.) and a title ending in 表, maybe followed by
 *     dot leaders and a page (TOC_RE).  An entry wrapped onto the next row
 *     is joined to it.  A grid whose rows are mostly entries is the 目录,
 *     not a table: it is marked used before the tables are read.
 *  4. number_from_toc pairs tables with entries, the most alike titles
 *     first (title_likeness: longest common subsequence, the year and a
 *     bracketed suffix aside, so that 政府性基金支出预算表 finds
 *     财政拨款政府性基金支出预算表).  A table keeps the number of its label
 *     (the label, on its page, is the document's word, even when its 目录
 *     orders the tables otherwise); the 目录 numbers the tables without a
 *     label, and those that share a label with another table of another
 *     title (a misprint: 预算公开表6 over 表八 as well as over 表六).  A
 *     table that neither a label nor the 目录 numbers has no number (0, null
 *     in the JSON): page order is not the document's numbering.
 * What it misses: a 目录 continued on a page without its heading; entries
 * numbered otherwise ((一), 第一); a 目录 printed in a companion document
 * (a tables-only PDF whose narrative lists its tables).
 */

typedef struct {
    int number;
    char *title; /* normalised */
} toc_entry;

static void toc_free(gpointer e)
{
    toc_entry *t = e;
    g_free(t->title);
    g_free(t);
}

/* An entry: its number in groups 1-7 (a label, 一、, 1.), its title in 8.
 * Pieces of a row are joined by one space. */
#define TOC_NUMBER "(?:(?:" LABEL_ALT ")[:：]?|([一二三四五六七八九十]+)(?:[、.．]| )|(\\d{1,2})(?:[、.．]| ))"
#define TOC_RE "^" TOC_NUMBER " ?(.*?表(?:[（(][^）)]*[）)])?)[ .…·—\\-]*\\d*$"
#define TOC_START_RE "^" TOC_NUMBER

static gint by_x0(gconstpointer a, gconstpointer b)
{
    const bpn_line *x = *(const bpn_line *const *)a, *y = *(const bpn_line *const *)b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/* The row of text starting at blocks[*i] (a line): the lines on its
 * baseline, left to right, each normalised, joined by one space.  *i moves
 * to the row's last line.  Caller frees. */
static char *baseline_row(GPtrArray *blocks, guint *i)
{
    const bpn_block *first = blocks->pdata[*i];
    const bpn_line *f = first->line;
    GPtrArray *row = g_ptr_array_new();
    g_ptr_array_add(row, first->line);
    guint j = *i + 1;
    for (; j < blocks->len; j++) {
        const bpn_block *b = blocks->pdata[j];
        if (!b->line || b->page != first->page)
            break;
        const bpn_line *l = b->line;
        if (MIN(l->y1, f->y1) - MAX(l->y0, f->y0) <= 0.5 * MIN(l->y1 - l->y0, f->y1 - f->y0))
            break;
        g_ptr_array_add(row, b->line);
    }
    *i = j - 1;
    g_ptr_array_sort(row, by_x0);
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < row->len; k++) {
        char *n = bpn_norm(((const bpn_line *)row->pdata[k])->text);
        if (*n) {
            if (s->len)
                g_string_append_c(s, ' ');
            g_string_append(s, n);
        }
        g_free(n);
    }
    g_ptr_array_unref(row);
    return g_string_free(s, FALSE);
}

/* Row r of a grid: its cells, each normalised, joined by one space. */
static char *grid_row_text(const bpn_grid *g, int r)
{
    GString *s = g_string_new(NULL);
    for (int c = 0; c < g->n_cols; c++) {
        int k = r * g->n_cols + c;
        if (g->region[k] != k || !g->text[k])
            continue;
        char *n = bpn_norm(g->text[k]);
        if (*n) {
            if (s->len)
                g_string_append_c(s, ' ');
            g_string_append(s, n);
        }
        g_free(n);
    }
    return g_string_free(s, FALSE);
}

static gboolean reads_toc_heading(const char *row)
{
    char *compact = bpn_norm(row);
    gboolean is = strcmp(compact, "目录") == 0;
    g_free(compact);
    return is;
}

GHashTable *bpn_toc_pages(GPtrArray *blocks)
{
    GHashTable *pages = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < blocks->len; i++) {
        const bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (b->line) {
            int page = b->page;
            char *row = baseline_row(blocks, &i);
            if (reads_toc_heading(row))
                g_hash_table_add(pages, GINT_TO_POINTER(page));
            g_free(row);
        } else {
            for (int k = 0; k < b->grid->n_rows * b->grid->n_cols; k++)
                if (b->grid->text[k] && reads_toc_heading(b->grid->text[k]))
                    g_hash_table_add(pages, GINT_TO_POINTER(b->page));
        }
    }
    return pages;
}

/* Reads row (a 目录 row) into toc if it is an entry; a row that starts like
 * an entry but is not one is kept in *held, to be tried again with the row
 * after it (an entry wrapped onto two rows).  Returns TRUE for an entry. */
static gboolean toc_row_read(bpn_regex_cache *rx, GPtrArray *toc, char **held, const char *row)
{
    char *text = NULL;
    if (bpn_rx_match(rx, TOC_RE, row))
        text = g_strdup(row);
    else if (*held && !bpn_rx_match(rx, TOC_START_RE, row)) {
        char *joined = g_strconcat(*held, row, NULL);
        if (bpn_rx_match(rx, TOC_RE, joined))
            text = joined;
        else
            g_free(joined);
    }
    g_clear_pointer(held, g_free);
    if (!text) {
        if (bpn_rx_match(rx, TOC_START_RE, row))
            *held = g_strdup(row);
        return FALSE;
    }
    int num = 0;
    for (int g = 1; g <= 7 && !num; g++) {
        char *s = bpn_rx_capture(rx, TOC_RE, text, g);
        if (s && *s)
            num = bpn_numeral_value(s);
        g_free(s);
    }
    char *title = bpn_rx_capture(rx, TOC_RE, text, 8);
    g_free(text);
    if (!num || !title) {
        g_free(title);
        return FALSE;
    }
    toc_entry *e = g_new0(toc_entry, 1);
    e->number = num;
    e->title = bpn_norm(title); /* the pieces' spaces out */
    g_free(title);
    g_ptr_array_add(toc, e);
    return TRUE;
}

/* Entries of the 目录: the text rows and grid rows of its pages.  A grid
 * read as the 目录 (most of its rows entries) is marked used. */
static GPtrArray *toc_read(bpn_regex_cache *rx, GPtrArray *blocks)
{
    GPtrArray *toc = g_ptr_array_new_with_free_func(toc_free);
    GHashTable *toc_pages = bpn_toc_pages(blocks);
    char *held = NULL;
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (!g_hash_table_contains(toc_pages, GINT_TO_POINTER(b->page)))
            continue;
        if (b->line) {
            char *row = baseline_row(blocks, &i);
            toc_row_read(rx, toc, &held, row);
            g_free(row);
            continue;
        }
        g_clear_pointer(&held, g_free);
        int rows = 0, entries = 0;
        for (int r = 0; r < b->grid->n_rows; r++) {
            char *row = grid_row_text(b->grid, r);
            if (*row) {
                rows++;
                entries += toc_row_read(rx, toc, &held, row);
            }
            g_free(row);
        }
        g_clear_pointer(&held, g_free);
        if (entries >= 2 && 2 * entries >= rows)
            b->used = TRUE;
    }
    g_free(held);
    g_hash_table_unref(toc_pages);
    return toc;
}

/* Likeness of two titles: longest common subsequence over the longer length,
 * the year prefix and bracketed suffixes ignored. */
static double title_likeness(bpn_regex_cache *rx, const char *a, const char *b)
{
    char *x = bpn_rx_capture(rx, "^(?:\\d{4}年度?)?(.*?)(?:[（(][^）)]*[）)])?$", a, 1);
    char *y = bpn_rx_capture(rx, "^(?:\\d{4}年度?)?(.*?)(?:[（(][^）)]*[）)])?$", b, 1);
    glong nx = 0, ny = 0;
    gunichar *ux = g_utf8_to_ucs4_fast(x ? x : "", -1, &nx), *uy = g_utf8_to_ucs4_fast(y ? y : "", -1, &ny);
    int *prev = g_new0(int, ny + 1), *cur = g_new0(int, ny + 1);
    for (glong i = 1; i <= nx; i++) {
        for (glong j = 1; j <= ny; j++)
            cur[j] = ux[i - 1] == uy[j - 1] ? prev[j - 1] + 1 : MAX(prev[j], cur[j - 1]);
        int *t = prev;
        prev = cur;
        cur = t;
    }
    double l = MAX(nx, ny) ? (double)prev[ny] / MAX(nx, ny) : 0;
    g_free(prev);
    g_free(cur);
    g_free(ux);
    g_free(uy);
    g_free(x);
    g_free(y);
    return l;
}

/* Numbers tables from the 目录 (step 4 above): greedy, most alike titles
 * first.  Every table takes part, so that a labelled table holds on to its
 * entry; only a table without a label, or with a label printed over another
 * table of another title, takes its entry's number. */
static void number_from_toc(bpn_document *doc, GPtrArray *toc)
{
    bpn_regex_cache *rx = doc->rx;
    guint nt = doc->tables->len, ne = toc->len;
    if (nt == 0 || ne == 0)
        return;
    char **titles = g_new0(char *, nt + 1);
    for (guint i = 0; i < nt; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        titles[i] = t->title ? bpn_norm(t->title) : NULL;
    }
    gboolean *open = g_new0(gboolean, nt + 1); /* the 目录 may number it */
    for (guint i = 0; i < nt; i++) {
        const bpn_table *t = doc->tables->pdata[i];
        open[i] = !t->number;
        for (guint j = 0; j < nt && !open[i]; j++) {
            const bpn_table *o = doc->tables->pdata[j];
            open[i] = j != i && t->label && o->label && strcmp(t->label, o->label) == 0 && titles[i] &&
                      titles[j] && strcmp(titles[i], titles[j]) != 0;
        }
    }
    double *like = g_new0(double, (gsize)nt * ne + 1);
    for (guint i = 0; i < nt; i++)
        for (guint j = 0; titles[i] && j < ne; j++)
            like[i * ne + j] = title_likeness(rx, titles[i], ((toc_entry *)toc->pdata[j])->title);
    gboolean *table_done = g_new0(gboolean, nt + 1), *entry_done = g_new0(gboolean, ne + 1);
    for (;;) {
        double best = 0.5;
        int bt = -1, be = -1;
        for (guint i = 0; i < nt; i++)
            for (guint j = 0; j < ne && !table_done[i]; j++)
                if (!entry_done[j] && like[i * ne + j] > best) {
                    best = like[i * ne + j];
                    bt = (int)i;
                    be = (int)j;
                }
        if (bt < 0)
            break;
        if (open[bt])
            ((bpn_table *)doc->tables->pdata[bt])->number = ((toc_entry *)toc->pdata[be])->number;
        table_done[bt] = TRUE;
        entry_done[be] = TRUE;
    }
    for (guint i = 0; i < nt; i++)
        g_free(titles[i]);
    g_free(titles);
    g_free(open);
    g_free(like);
    g_free(table_done);
    g_free(entry_done);
}

/* ---- the walk ---- */

/* A table printed as its label and title and a note that it is empty, with
 * no grid at all (本单位无政府性基金预算收支，故本表无数据): a table without
 * rows.  The note must follow the title on its page, within a few lines
 * (column names printed as text may stand between), before any grid or
 * other title; the lines read are the table's. */
#define GRIDLESS_LINES 16

static gint by_first_page(gconstpointer a, gconstpointer b)
{
    const bpn_table *x = *(const bpn_table *const *)a, *y = *(const bpn_table *const *)b;
    int px = x->pages->len ? g_array_index(x->pages, int, 0) : 0;
    int py = y->pages->len ? g_array_index(y->pages, int, 0) : 0;
    return (px > py) - (px < py);
}

static void gridless_empty_tables(bpn_document *doc, GPtrArray *blocks)
{
    bpn_regex_cache *rx = doc->rx;
    gboolean added = FALSE;
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (b->grid || b->used)
            continue;
        heading h = {0};
        if (!heading_read(rx, &h, b->line) || !h.found) {
            g_free(h.title);
            g_free(h.unit);
        g_free(h.label);
            continue;
        }
        guint note = 0, end = i + 1;
        for (; end < blocks->len && end <= i + GRIDLESS_LINES && !note; end++) {
            bpn_block *l = blocks->pdata[end];
            if (l->grid || l->used || l->page != b->page)
                break;
            char *n = bpn_norm(l->line->text);
            if (bpn_rx_match(rx, EMPTY_NOTE_RE, n))
                note = end;
            else if (heading_read(rx, &h, l->line) && (bpn_rx_match(rx, LABEL_RE, n) || is_title_text(rx, n)) && h.title &&
                     end > i + 2)
                end = blocks->len; /* the next table's heading */
            g_free(n);
        }
        if (note && h.title) {
            bpn_table *t = table_new(0);
            t->number = h.number;
            t->label = g_steal_pointer(&h.label);
            t->title = g_steal_pointer(&h.title);
            t->unit_of_measure = g_steal_pointer(&h.unit);
            t->no_data = TRUE;
            table_add_page(t, b->page);
            g_ptr_array_add(t->notes, g_strdup(((bpn_block *)blocks->pdata[note])->line->text));
            for (guint k = i; k <= note; k++)
                ((bpn_block *)blocks->pdata[k])->used = TRUE;
            g_ptr_array_add(doc->tables, t);
            added = TRUE;
            i = note;
        }
        g_free(h.title);
        g_free(h.unit);
        g_free(h.label);
    }
    if (added)
        g_ptr_array_sort(doc->tables, by_first_page);
}

/* A note printed over several lines: line b goes on the table's last note
 * (whose last line is block note) when it follows right under it on the
 * page (within a line's height, two for a numbered point) and either the note's text has not ended
 * its sentence ("…没有使用国有资本经营预算拨款安排的支" / "出。") or b opens
 * the note's next numbered point ("注：1.…" / "2.…").  A heading, or a
 * line after a finished sentence that numbers nothing, is the narrative's. */
static gboolean note_continues(bpn_regex_cache *rx, bpn_table *t, const bpn_block *note, bpn_block *b)
{
    double h = note->y1 - note->y0;
    if (!t->notes->len || b->page != note->page || b->y0 - note->y1 > 2 * h || b->y0 < note->y0 + 0.5 * h)
        return FALSE;
    char *n = bpn_norm(b->line->text);
    char **last = (char **)&t->notes->pdata[t->notes->len - 1];
    char *tail = bpn_norm(*last);
    gboolean heading = bpn_rx_match(rx, "^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])", n);
    gboolean point = bpn_rx_match(rx, "^(\\d+[.、．]|[(（]\\d+[)）])", n);
    gboolean ended = bpn_rx_match(rx, "[。;；!！?？]$", tail);
    g_free(tail);
    g_free(n);
    /* a wrapped sentence follows within a line's height; a numbered point
     * may be set further apart */
    if (heading || (ended && !point) || (!point && b->y0 - note->y1 > h))
        return FALSE;
    char *joined = point ? g_strdup_printf("%s\n%s", *last, b->line->text) : g_strconcat(*last, b->line->text, NULL);
    g_free(*last);
    *last = joined;
    b->used = TRUE;
    return TRUE;
}

void bpn_tables_build(bpn_document *doc, GPtrArray *blocks)
{
    bpn_tables_build_framed(doc, blocks, TRUE);
}

void bpn_tables_build_framed(bpn_document *doc, GPtrArray *blocks, gboolean frames)
{
    bpn_regex_cache *rx = doc->rx;
    GPtrArray *toc = toc_read(rx, blocks); /* first: a grid that is the 目录 is no table */
    /* a spilled document's tables are read one at a time after the walk
     * (bpn_table_touch), unless the OCR repairs rework their cells */
    pending p = {.frames = frames,
                 .rows_out = doc->spill && !frames && !(doc->source.ocr_pages && doc->source.ocr_pages->len)};
    p.header = g_ptr_array_new();
    p.data = g_ptr_array_new();
    guint since = 0; /* first block after the previous grid */
    const bpn_block *note = NULL; /* the last line of the table's last note */
    for (guint i = 0; i < blocks->len; i++) {
        bpn_block *b = blocks->pdata[i];
        bpn_block_touch(b);
        if (!b->grid) {
            /* notes of the table just read */
            if (p.table && b->page == p.last_page && b->y0 >= p.last_y1 - 1) {
                char *n = bpn_norm(b->line->text);
                if (bpn_rx_match(rx, NOTE_RE, n) || bpn_rx_match(rx, EMPTY_NOTE_RE, n)) {
                    g_ptr_array_add(p.table->notes, g_strdup(b->line->text));
                    b->used = TRUE;
                    note = b;
                    if (bpn_rx_match(rx, EMPTY_NOTE_RE, n))
                        p.empty_note = TRUE;
                } else if (note && note_continues(rx, p.table, note, b)) {
                    note = b;
                }
                g_free(n);
            }
            continue;
        }
        note = NULL;
        if (b->used)
            continue; /* a form's grid, read by forms.c */
        bpn_grid *g = b->grid;
        heading h = {0};
        /* lines above the grid on its page, nearest first */
        for (guint j = i; j-- > since;) {
            bpn_block *l = blocks->pdata[j];
            if (l->grid || l->page != g->page)
                break;
            gboolean used = heading_read(rx, &h, l->line);
            l->used |= used;
            double mid = (l->line->x0 + l->line->x1) / 2, gmid = (g->x0 + g->x1) / 2;
            if (!used && !h.centred && g_utf8_strlen(l->line->text, -1) <= 40 &&
                (fabs(mid - gmid) < 0.08 * (g->x1 - g->x0) || bpn_rx_match(rx, "^[一二三四五六七八九十]+、", l->line->text)))
                h.centred = l->line;
        }
        /* a title that does not name a 表 (政府集中采购目录): the nearest line
         * centred over the grid or numbered as a heading */
        if (!h.title && h.centred) {
            char *t = bpn_rx_capture(rx, "^\\s*(?:[一二三四五六七八九十]+、\\s*)?(.*?)\\s*$", h.centred->text, 1);
            h.title = t ? t : g_strdup(h.centred->text);
            h.found = TRUE;
            for (guint j = i; j-- > since;)
                if (((bpn_block *)blocks->pdata[j])->line == h.centred)
                    ((bpn_block *)blocks->pdata[j])->used = TRUE;
        }
        /* a title at the foot of the previous page */
        if (!h.found && g->y0 < 0.3 * b->page_height) {
            int seen = 0;
            for (guint j = i; j-- > since && seen < 4;) {
                bpn_block *l = blocks->pdata[j];
                if (l->grid || l->page < g->page - 1)
                    break;
                if (l->page == g->page - 1) {
                    l->used |= heading_read(rx, &h, l->line);
                    seen++;
                }
            }
        }
        since = i + 1;
        int *map = (!h.found || same_heading(&p, &h)) && p.table && g->page <= p.last_page + 1
                       ? column_map(&p, g)
                       : NULL;
        if (map) {
            pending_add_grid(rx, &p, g, map);
            g_free(map);
            note = p.grid_note_set ? &p.grid_note : NULL;
        } else {
            pending_finish(doc, &p);
            p.table = table_new(g->n_cols);
            p.table->number = h.number;
            p.table->label = g_steal_pointer(&h.label);
            p.table->title = h.title;
            h.title = NULL;
            p.table->unit_of_measure = h.unit;
            h.unit = NULL;
            pending_add_grid(rx, &p, g, NULL);
            note = p.grid_note_set ? &p.grid_note : NULL;
        }
        g_free(h.title);
        g_free(h.unit);
        g_free(h.label);
        /* the grid's cells are in its table now: nothing reads them after
         * (the identity and the 目录's pages were read before the walk) */
        bpn_grid_drop_cells(g);
    }
    pending_finish(doc, &p);
    g_free(p.xs);
    g_ptr_array_unref(p.header);
    g_ptr_array_unref(p.data);
    gridless_empty_tables(doc, blocks);
    number_from_toc(doc, toc);
    g_ptr_array_unref(toc);
}
