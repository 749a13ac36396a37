/* meaning.c — what each finished table, column and row means.
 *
 * It reads the tables as tables.c left them (title, header rows, data rows,
 * unit) and adds their meaning, using only the vocabulary (vocab.c).  How
 * it works:
 *
 *  1. table_identity(): kind from the title (bpn_vocab_kind), basis (决算 in
 *     the title or the document type: final, else budget), the label as
 *     printed (预算01表, 公开07表, 表一) when the title still carries it, the
 *     scope the title states (fund, carry-over, classification), and the
 *     factor of its unit to 万元 (a table printing no unit takes the unit of
 *     the table before it, and says so).
 *  2. header_paths(): per column the header texts from top to bottom.  A
 *     merged header cell has its text in its top-left cell and null in the
 *     others, and the finished table no longer says which way it was merged;
 *     a null header cell is read as merged from the left when some row below
 *     it, in its column, has text of its own (a group heading such as
 *     “三公”经费 over 小计, 因公出国（境）费 …), and as merged from above
 *     otherwise (合计 spanning down).  Rows of column numbers (1 2 3, 栏次)
 *     are not headers of meaning and are skipped.
 *  3. column_roles(): row_number, code, unit and label by header (vocab
 *     COLUMN_ROLES); otherwise amount when the column holds amounts, code
 *     when its cells are classification codes, text else.  Amount columns
 *     get a measure: the path is read from its leaf up, the first specific
 *     measure wins, a generic one (合计, 小计, 金额) only when no header above
 *     names a specific one; and a stage (预算数, 决算数, 上年, 增减).
 *  4. sides(): a table whose label columns stand after amount columns is
 *     side-by-side (收入 | 支出; 人员经费 | 公用经费): each label column (with
 *     the code columns just before it) opens a side, named from its headers
 *     (vocab SIDES) or side2, side3 … when they say nothing.
 *  5. records(): one record per row and side that has a label, a code or an
 *     amount.  Codes come from the code columns (类/款/项 split over three
 *     columns are joined, a blank 类 or 款 carried down from the rows above),
 *     from a code printed before a label (2050303-技校教育), or from a name
 *     the catalogue gives exactly one code in the column's family (部门预算
 *     经济科目名称 基本工资 → 30101).  The first digit says the family: 2
 *     function, 3 economic (部门预算), 5 economic (政府预算).
 *  6. outline(): level and parent.  A coded record's level is its code's
 *     (类 1, 款 2, 项 3) and its parent the nearest record above on its side
 *     whose code its own extends; an enumerated label's level is its
 *     enumerator's (一、 1, （一） 2, 1. 3, （1） 4, ① 5) and its parent the
 *     nearest record above of a lower level; a label 其中： is a child of the
 *     record above.  Totals have level 0 and no parent.
 *  7. unit_identity(): unit_key, region and a printed unit code.
 *  8. summary_provenance(): the cell (or sentence) each headline figure of
 *     the summary is printed in (see there).
 *
 * What it misses: a header merged from the left with nothing under it (a
 * label spanning two grid columns) reads as merged from above; a table whose
 * headers tables.c could not separate (text of several cells run together)
 * gets measures only where the run-together text still names one; units
 * listed as group rows (a unit's name in the label column above its
 * projects) are not told from labels.
 */
#include "normalize/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *cell_text(const bpn_row *r, int c)
{
    return r->cells[c].text;
}

static char *norm_or_null(const char *s)
{
    return s ? bpn_norm(s) : NULL;
}

/* ---- 1. identity ---- */

static void table_identity(const bpn_document *doc, bpn_table *t, double prev_to_wan, bpn_table_meaning *m)
{
    bpn_regex_cache *rx = doc->rx;
    m->kind = bpn_vocab_kind(rx, t->title);
    char *n = norm_or_null(t->title);
    if (n && strstr(n, "决算"))
        m->basis = "final";
    else if (n && strstr(n, "预算"))
        m->basis = "budget";
    else if (doc->document_type)
        m->basis = strstr(doc->document_type, "决算") ? "final" : "budget";
    if (n) {
        m->number_label = t->label ? NULL : bpn_rx_capture(rx, "^((?:预算|公开|附)?\\d+(?:-\\d+)?表(?:-\\d+)?|预算表\\d+(?:-\\d+)?|表[一二三四五六七八九十]+|附表\\d+(?:-\\d+)?)", n, 1);
        m->fund = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_TITLE_FUNDS), n);
        m->carry_over = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_TITLE_CARRY_OVER), n);
        m->classification = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_TITLE_CLASSIFICATION), n);
    }
    g_free(n);
    if (t->label)
        m->number_label = g_strdup(t->label);
    m->to_wan = bpn_vocab_to_wan(t->unit_of_measure);
    if (m->to_wan == 0 && !t->unit_of_measure && prev_to_wan > 0) {
        m->to_wan = prev_to_wan;
        m->unit_inherited = TRUE;
    }
}

/* ---- 2. header paths ---- */

static gboolean column_number_row(bpn_regex_cache *rx, const bpn_row *r, int n)
{
    int seen = 0;
    for (int c = 0; c < n; c++) {
        const char *s = cell_text(r, c);
        if (!s)
            continue;
        char *x = bpn_norm(s);
        gboolean num = bpn_rx_match(rx, "^(\\d{1,2}|栏次|行次)$", x);
        g_free(x);
        if (!num)
            return FALSE;
        seen++;
    }
    return seen >= 2;
}

static char **header_path(const bpn_table *t, int c, const gboolean *skip)
{
    GPtrArray *p = g_ptr_array_new();
    guint nh = t->header_rows->len;
    for (guint r = 0; r < nh; r++) {
        if (skip[r])
            continue;
        const bpn_row *row = t->header_rows->pdata[r];
        const char *s = cell_text(row, c);
        if (!s) {
            gboolean below = FALSE;
            for (guint k = r + 1; k < nh && !below; k++)
                below = !skip[k] && cell_text(t->header_rows->pdata[k], c) != NULL;
            if (!below)
                continue; /* merged from above (or empty): already in the path */
            for (int k = c - 1; k >= 0 && !s; k--)
                s = cell_text(row, k);
            if (!s)
                continue;
        }
        if (p->len == 0 || strcmp(p->pdata[p->len - 1], s) != 0)
            g_ptr_array_add(p, g_strdup(s));
    }
    g_ptr_array_add(p, NULL);
    return (char **)g_ptr_array_free(p, FALSE);
}

/* ---- 3. roles and measures ---- */

static gboolean is_code(bpn_regex_cache *rx, const char *s)
{
    if (!s)
        return FALSE;
    char *n = bpn_norm(s);
    gboolean ok = bpn_rx_match(rx, "^\\d{3}(\\d{2}){0,2}$", n);
    g_free(n);
    return ok;
}

static gboolean is_total_label(bpn_regex_cache *rx, const char *s)
{
    if (!s)
        return FALSE;
    char *n = bpn_norm(s);
    char *l = bpn_rx_capture(rx, "^(?:[一二三四五六七八九十]+、)?(.*)$", n, 1);
    gboolean tot = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_TOTAL_LABELS), l) != NULL;
    g_free(l);
    g_free(n);
    return tot;
}

static const char *column_role(bpn_regex_cache *rx, const bpn_table *t, int c, char **path)
{
    const char *by_header = NULL;
    for (int i = 0; path[i] && !by_header; i++) {
        char *n = bpn_norm(path[i]);
        if (!path[i + 1]) /* the leaf decides, a group heading does not */
            by_header = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_COLUMN_ROLES), n);
        g_free(n);
    }
    int numbers = 0, codes = 0, texts = 0;
    for (guint r = 0; r < t->rows->len; r++) {
        if (column_number_row(rx, t->rows->pdata[r], t->n_cols))
            continue; /* a 栏次 row left among the data */
        const bpn_cell *cell = &((const bpn_row *)t->rows->pdata[r])->cells[c];
        if (cell->is_number)
            numbers++;
        else if (is_code(rx, cell->text))
            codes++;
        else if (cell->text && !is_total_label(rx, cell->text))
            texts++;
    }
    if (by_header && strcmp(by_header, "label") == 0 && numbers > texts + codes)
        by_header = NULL; /* 项目支出 under a 项目 heading: amounts */
    if (by_header)
        return by_header;
    if (numbers > 0 && numbers >= texts)
        return "amount";
    if (codes > 0 && codes >= texts)
        return "code";
    if (texts > 0)
        return "label";
    /* an empty column: its header says whether it would hold amounts */
    for (int i = 0; path[i]; i++) {
        char *n = bpn_norm(path[i]);
        gboolean m = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_MEASURES), n) != NULL;
        g_free(n);
        if (m)
            return "amount";
    }
    return "text";
}

static void column_measure(bpn_regex_cache *rx, char **path, gboolean sided, bpn_column *col)
{
    const bpn_vocab_entry *measures = bpn_vocab_list(BPN_VOCAB_MEASURES);
    int depth = 0;
    while (path[depth])
        depth++;
    const char *generic = NULL;
    for (int i = depth - 1; i >= 0 && !col->measure; i--) {
        char *n = bpn_norm(path[i]);
        const char *m = bpn_vocab_find(rx, measures, n);
        if (sided && i < depth - 1 && bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_SIDES), n))
            m = NULL; /* 国有资本经营预算支出 over a side: names the side */
        if (m && strcmp(m, "total") == 0) {
            if (!generic)
                generic = m;
        } else if (m) {
            col->measure = m;
        }
        if (!col->stage)
            col->stage = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_STAGES), n);
        g_free(n);
    }
    if (!col->measure)
        col->measure = generic;
}

/* ---- 4. sides ---- */

static const char *side_name(bpn_regex_cache *rx, char **path, int index)
{
    int depth = 0;
    while (path[depth])
        depth++;
    /* the deepest header that names a side: 支出 / 功能分类 / 支出用途 */
    for (int i = depth - 1; i >= 0; i--) {
        char *n = bpn_norm(path[i]);
        const char *s = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_SIDES), n);
        g_free(n);
        if (s)
            return s;
    }
    static const char *const spare[] = {"side1", "side2", "side3", "side4", "side5", "side6"};
    return spare[CLAMP(index - 1, 0, 5)];
}

/* ---- 5. records ---- */

static char code_family(const char *code)
{
    return code ? code[0] : 0;
}

static void record_set_code(bpn_record *rec, const char *code)
{
    char **slot = NULL;
    switch (code_family(code)) {
    case '2': slot = &rec->function_code; break;
    case '3': slot = &rec->economic_department_code; break;
    case '5': slot = &rec->economic_government_code; break;
    default: return;
    }
    if (!*slot)
        *slot = g_strdup(code);
}

static void record_free(gpointer p)
{
    bpn_record *r = p;
    g_free(r->label);
    g_free(r->function_code);
    g_free(r->economic_department_code);
    g_free(r->economic_government_code);
    g_free(r->sub_unit);
    g_array_free(r->amount_cols, TRUE);
    g_free(r);
}

static void column_free(gpointer p)
{
    bpn_column *c = p;
    g_strfreev(c->path);
    g_free(c->key);
    g_free(c);
}

void bpn_table_meaning_free(bpn_table_meaning *m)
{
    if (!m)
        return;
    g_free(m->number_label);
    if (m->columns)
        g_ptr_array_unref(m->columns);
    if (m->records)
        g_ptr_array_unref(m->records);
    g_free(m);
}

/* The family a code or name column's header names ('3' 部门预算经济, …), 0. */
static char header_family(bpn_regex_cache *rx, const bpn_column *col)
{
    for (int i = 0; col->path[i]; i++) {
        char *n = bpn_norm(col->path[i]);
        const char *f = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_CODE_FAMILIES), n);
        g_free(n);
        if (f)
            return f[0];
    }
    return 0;
}

static gboolean header_is(bpn_regex_cache *rx, const bpn_column *col, const char *re)
{
    int i = 0;
    while (col->path[i])
        i++;
    if (!i)
        return FALSE;
    char *n = bpn_norm(col->path[i - 1]);
    gboolean ok = bpn_rx_match(rx, re, n);
    g_free(n);
    return ok;
}

typedef struct {
    int start, end; /* columns [start, end) */
    const char *name;
    int lei, kuan, xiang; /* 类/款/项 columns, -1 */
    char *cur_lei, *cur_kuan;
} side;

/* "2050303-技校教育" → code and the label after it; FALSE when s is not so. */
static gboolean split_code_label(bpn_regex_cache *rx, const char *s, char **code, char **label)
{
    *code = bpn_code_prefix(rx, s);
    if (!*code)
        return FALSE;
    char *n = bpn_norm(s);
    *label = bpn_rx_capture(rx, "^\\d+[-－—]?(.*)$", n, 1);
    g_free(n);
    return TRUE;
}

static char *digits(bpn_regex_cache *rx, const bpn_row *r, int c)
{
    if (c < 0 || !cell_text(r, c))
        return NULL;
    char *n = bpn_norm(cell_text(r, c));
    if (!bpn_rx_match(rx, "^\\d{2,3}$", n)) {
        g_free(n);
        return NULL;
    }
    return n;
}

static bpn_record *record_of(bpn_regex_cache *rx, const bpn_table *t, const bpn_table_meaning *m, side *sd, guint r)
{
    const bpn_row *row = t->rows->pdata[r];
    bpn_record *rec = g_new0(bpn_record, 1);
    rec->row = (int)r;
    rec->side = sd->name;
    rec->parent = -1;
    rec->amount_cols = g_array_new(FALSE, FALSE, sizeof(int));
    gboolean any = FALSE;
    /* 类/款/项 over three columns */
    if (sd->lei >= 0 && sd->kuan >= 0) {
        char *l = digits(rx, row, sd->lei), *k = digits(rx, row, sd->kuan), *x = digits(rx, row, sd->xiang);
        if (l) {
            g_free(sd->cur_lei);
            sd->cur_lei = g_strdup(l);
            g_clear_pointer(&sd->cur_kuan, g_free);
        }
        if (k) {
            g_free(sd->cur_kuan);
            sd->cur_kuan = g_strdup(k);
        }
        char *code = NULL;
        if (x && sd->cur_lei && sd->cur_kuan)
            code = g_strconcat(sd->cur_lei, sd->cur_kuan, x, NULL);
        else if (k && sd->cur_lei)
            code = g_strconcat(sd->cur_lei, k, NULL);
        else if (l && strlen(l) == 3)
            code = g_strdup(l);
        if (code && strlen(code) % 2 == 1)
            record_set_code(rec, code);
        any |= code != NULL;
        g_free(code);
        g_free(l);
        g_free(k);
        g_free(x);
    }
    for (int c = sd->start; c < sd->end; c++) {
        const bpn_column *col = m->columns->pdata[c];
        const bpn_cell *cell = &row->cells[c];
        const char *role = col->role;
        if (strcmp(role, "amount") == 0) {
            if (cell->is_number) {
                g_array_append_val(rec->amount_cols, c);
                any = TRUE;
            }
            continue;
        }
        if (!cell->text || c == sd->lei || c == sd->kuan || c == sd->xiang)
            continue;
        if (strcmp(role, "unit") == 0) {
            if (is_total_label(rx, cell->text)) { /* 合计 in the unit column: the table's total */
                if (!rec->label)
                    rec->label = g_strdup(cell->text);
            } else if (!rec->sub_unit) {
                rec->sub_unit = g_strdup(cell->text);
            }
            any = TRUE;
        } else if (strcmp(role, "code") == 0 || strcmp(role, "label") == 0) {
            char *code = NULL, *label = NULL;
            if (is_code(rx, cell->text)) {
                code = bpn_norm(cell->text);
            } else if (split_code_label(rx, cell->text, &code, &label)) {
                /* code joined to its name */
            } else if (strcmp(role, "label") == 0) {
                label = g_strdup(cell->text);
                char fam = header_family(rx, col);
                char *n = bpn_norm(cell->text);
                if (fam) {
                    code = g_strdup(bpn_vocab_code_of_name(n, fam));
                } else {
                    /* a function class named in full (一、一般公共服务支出) */
                    char *core = bpn_rx_capture(rx, "^(?:[一二三四五六七八九十]+、)?(.+)$", n, 1);
                    code = g_strdup(bpn_vocab_class_of_name(core));
                    g_free(core);
                }
                g_free(n);
            }
            if (code)
                record_set_code(rec, code);
            if (label && !rec->label && strcmp(role, "label") == 0)
                rec->label = g_strdup(label);
            else if (label && !rec->label && !is_code(rx, cell->text))
                rec->label = g_strdup(label);
            any |= code || label;
            g_free(code);
            g_free(label);
        }
    }
    /* a total printed in the code column (合计 over code and name) */
    for (int c = sd->start; c < sd->end && !rec->label; c++) {
        const bpn_column *col = m->columns->pdata[c];
        const char *s = cell_text(row, c);
        if (s && strcmp(col->role, "amount") != 0 && !is_code(rx, s) && !row->cells[c].is_number)
            rec->label = g_strdup(s);
    }
    if (rec->label) {
        char *n = bpn_norm(rec->label);
        if (bpn_rx_match(rx, "^(栏次|行次)$", n))
            any = FALSE;
        g_free(n);
    }
    rec->total = is_total_label(rx, rec->label);
    if (!any) {
        record_free(rec);
        return NULL;
    }
    return rec;
}

/* ---- 6. outline ---- */

static int code_level(const char *code)
{
    size_t n = strlen(code);
    return n == 3 ? 1 : n == 5 ? 2 : n == 7 ? 3 : 0;
}

static const char *record_code(const bpn_record *r)
{
    return r->function_code ? r->function_code
         : r->economic_department_code ? r->economic_department_code
                                       : r->economic_government_code;
}

static void outline(bpn_regex_cache *rx, GPtrArray *records)
{
    for (guint i = 0; i < records->len; i++) {
        bpn_record *r = records->pdata[i];
        if (r->total)
            continue;
        const char *code = record_code(r);
        if (code) {
            r->level = code_level(code);
            for (guint k = i; k-- > 0;) {
                const bpn_record *p = records->pdata[k];
                const char *pc = record_code(p);
                if (p->side != r->side || !pc)
                    continue;
                if (strlen(pc) < strlen(code) && g_str_has_prefix(code, pc)) {
                    r->parent = (int)k;
                    break;
                }
            }
            continue;
        }
        if (!r->label)
            continue;
        char *n = bpn_norm(r->label);
        const char *lv = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_ENUMERATORS), n);
        gboolean among = bpn_rx_match(rx, "^其中[:：]", n);
        g_free(n);
        if (among) {
            for (guint k = i; k-- > 0;) {
                const bpn_record *p = records->pdata[k];
                if (p->side == r->side && !p->total) {
                    r->parent = (int)k;
                    r->level = p->level ? p->level + 1 : 0;
                    break;
                }
            }
            continue;
        }
        if (!lv)
            continue;
        r->level = atoi(lv);
        for (guint k = i; k-- > 0;) {
            const bpn_record *p = records->pdata[k];
            if (p->side != r->side || p->total || !p->level)
                continue;
            if (p->level < r->level) {
                r->parent = (int)k;
                break;
            }
        }
    }
}

/* ---- 5b. units listed as group rows ----
 * A table of projects may list them unit by unit: the unit's name in the
 * label column, with the unit's total, then its projects.  A record whose
 * label reads as a unit's name (vocab UNIT_NAMES) and whose first amount is
 * the sum of the records under it, up to the next such record, heads a
 * group: it is a total, and it and the records under it get its name as
 * sub_unit.  The sum must hold (to 0.01), so a project named like a unit is
 * not taken for one.  A unit's record above the groups whose amount is the
 * sum of the group heads (the department's) is a total too. */
static gboolean unit_like(bpn_regex_cache *rx, const bpn_record *r)
{
    if (!r->label || r->total || record_code(r) || r->amount_cols->len == 0)
        return FALSE;
    char *n = bpn_norm(r->label);
    gboolean u = bpn_vocab_find(rx, bpn_vocab_list(BPN_VOCAB_UNIT_NAMES), n) != NULL;
    g_free(n);
    return u;
}

static void sub_units(bpn_regex_cache *rx, const bpn_table *t, GPtrArray *records)
{
    for (guint i = 0; i < records->len; i++) {
        bpn_record *head = records->pdata[i];
        if (head->sub_unit || !unit_like(rx, head))
            continue;
        int c = g_array_index(head->amount_cols, int, 0);
        double want = ((const bpn_row *)t->rows->pdata[head->row])->cells[c].number, sum = 0;
        guint end = i + 1;
        for (; end < records->len; end++) {
            const bpn_record *r = records->pdata[end];
            if (unit_like(rx, r) || r->total || r->side != head->side)
                break;
            const bpn_cell *cell = &((const bpn_row *)t->rows->pdata[r->row])->cells[c];
            if (cell->is_number)
                sum += cell->number;
        }
        if (end == i + 1 || fabs(sum - want) > 0.01)
            continue;
        head->total = TRUE;
        for (guint k = i; k < end; k++) {
            bpn_record *r = records->pdata[k];
            g_free(r->sub_unit);
            r->sub_unit = g_strdup(head->label);
        }
        i = end - 1;
    }
    /* a unit's row over the groups (the department's total): the sum of
     * the group heads */
    bpn_record *first = records->len ? records->pdata[0] : NULL;
    if (first && !first->sub_unit && unit_like(rx, first)) {
        int c = g_array_index(first->amount_cols, int, 0);
        double sum = 0;
        int heads = 0;
        for (guint k = 1; k < records->len; k++) {
            const bpn_record *r = records->pdata[k];
            if (r->sub_unit && r->total && r->side == first->side &&
                ((const bpn_row *)t->rows->pdata[r->row])->cells[c].is_number) {
                sum += ((const bpn_row *)t->rows->pdata[r->row])->cells[c].number;
                heads++;
            }
        }
        if (heads >= 2 && fabs(sum - ((const bpn_row *)t->rows->pdata[first->row])->cells[c].number) <= 0.01)
            first->total = TRUE;
    }
}

/* ---- the table ---- */

static void table_meaning(const bpn_document *doc, bpn_table *t, double prev_to_wan)
{
    bpn_regex_cache *rx = doc->rx;
    bpn_table_meaning *m = g_new0(bpn_table_meaning, 1);
    t->meaning = m;
    table_identity(doc, t, prev_to_wan, m);
    m->columns = g_ptr_array_new_with_free_func(column_free);
    m->records = g_ptr_array_new_with_free_func(record_free);
    int n = t->n_cols;
    gboolean *skip = g_new0(gboolean, t->header_rows->len + 1);
    for (guint r = 0; r < t->header_rows->len; r++)
        skip[r] = column_number_row(rx, t->header_rows->pdata[r], n);
    for (int c = 0; c < n; c++) {
        bpn_column *col = g_new0(bpn_column, 1);
        col->path = header_path(t, c, skip);
        col->role = column_role(rx, t, c, col->path);
        g_ptr_array_add(m->columns, col);
    }
    g_free(skip);
    /* sides: a label column after an amount column opens one; the code
     * columns just before it belong to it */
    GArray *sides = g_array_new(FALSE, TRUE, sizeof(side));
    gboolean seen_amount = FALSE;
    for (int c = 0; c < n; c++) {
        const bpn_column *col = m->columns->pdata[c];
        gboolean amount = strcmp(col->role, "amount") == 0;
        gboolean opens = !amount && strcmp(col->role, "text") != 0 && seen_amount;
        if (c == 0 || opens) {
            side s = {.start = c, .end = n, .lei = -1, .kuan = -1, .xiang = -1};
            if (sides->len)
                g_array_index(sides, side, sides->len - 1).end = c;
            g_array_append_val(sides, s);
            seen_amount = FALSE;
        }
        seen_amount |= amount;
    }
    for (guint i = 0; i < sides->len; i++) {
        side *s = &g_array_index(sides, side, i);
        if (sides->len > 1) {
            /* named by the headers over its columns, the first that says */
            for (int c = s->start; c < s->end && !s->name; c++) {
                const char *name = side_name(rx, ((bpn_column *)m->columns->pdata[c])->path, (int)i + 1);
                if (!g_str_has_prefix(name, "side"))
                    s->name = name;
            }
            if (!s->name)
                s->name = side_name(rx, (char *[]){NULL}, (int)i + 1);
        }
        for (int c = s->start; c < s->end; c++) {
            bpn_column *col = m->columns->pdata[c];
            col->side = s->name;
            if (header_is(rx, col, "^类$"))
                s->lei = c;
            else if (header_is(rx, col, "^款$"))
                s->kuan = c;
            else if (header_is(rx, col, "^项$"))
                s->xiang = c;
        }
    }
    /* measures; a stage only where the table shows more than one */
    const char *first_stage = NULL;
    gboolean stages = FALSE;
    for (int c = 0; c < n; c++) {
        bpn_column *col = m->columns->pdata[c];
        if (strcmp(col->role, "amount") != 0)
            continue;
        column_measure(rx, col->path, sides->len > 1, col);
        if (col->stage && first_stage && strcmp(col->stage, first_stage) != 0)
            stages = TRUE;
        if (col->stage && !first_stage)
            first_stage = col->stage;
    }
    for (int c = 0; c < n && !stages; c++)
        ((bpn_column *)m->columns->pdata[c])->stage = NULL;
    /* amount keys, unique within a side */
    GHashTable *used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int c = 0; c < n; c++) {
        bpn_column *col = m->columns->pdata[c];
        if (strcmp(col->role, "amount") != 0)
            continue;
        char *base = !col->measure ? g_strdup_printf("column_%d", c)
                     : col->stage  ? g_strconcat(col->measure, "_", col->stage, NULL)
                                   : g_strdup(col->measure);
        char *key = g_strdup(base);
        char *in_side = g_strconcat(col->side ? col->side : "", "\t", key, NULL);
        for (int k = 2; g_hash_table_contains(used, in_side); k++) {
            g_free(key);
            g_free(in_side);
            key = g_strdup_printf("%s_%d", base, k);
            in_side = g_strconcat(col->side ? col->side : "", "\t", key, NULL);
        }
        g_hash_table_add(used, in_side);
        col->key = key;
        g_free(base);
    }
    g_hash_table_destroy(used);
    for (guint r = 0; r < t->rows->len; r++)
        for (guint i = 0; i < sides->len; i++) {
            bpn_record *rec = record_of(rx, t, m, &g_array_index(sides, side, i), r);
            if (rec)
                g_ptr_array_add(m->records, rec);
        }
    for (guint i = 0; i < sides->len; i++) {
        g_free(g_array_index(sides, side, i).cur_lei);
        g_free(g_array_index(sides, side, i).cur_kuan);
    }
    g_array_free(sides, TRUE);
    outline(rx, m->records);
    sub_units(rx, t, m->records);
}

/* ---- 8. where the summary's figures come from ----
 * The summary is read by summary.c (tables) and document.c (prose); here
 * each figure is traced back to the cell that holds it: among the tables of
 * the kinds the figure is read from, the first amount equal to it (in 万元,
 * to 0.005) in a record whose label or column says what the figure is, else
 * the first equal amount of those tables; failing that, the first sentence
 * of a section that prints it.  A figure found nowhere has no provenance. */
typedef struct {
    const char *figure;
    const char *kinds[3];
    const char *label_re;   /* the record's label, or NULL */
    const char *measure;    /* the column's measure, or NULL */
} figure_source;

static const figure_source FIGURES[] = {
    {"income_total", {"income_expenditure_summary", NULL}, "^收入(总计|合计|总额)$", NULL},
    {"expenditure_total", {"income_expenditure_summary", NULL}, "^支出(总计|合计|总额)$", NULL},
    {"basic_expenditure", {"expenditure", "income_expenditure_summary", NULL}, "基本支出$", "basic"},
    {"project_expenditure", {"expenditure", "income_expenditure_summary", NULL}, "项目支出$", "project"},
    {"three_public_total", {"three_public", NULL}, "^(合计|总计)$", "three_public_total"},
};

static void provenance_free(gpointer p)
{
    bpn_provenance *v = p;
    g_free(v->sentence);
    g_free(v);
}

/* The first amount of table i equal to value in a record that says what
 * the figure is (strict) or in any record; *out gets its cell. */
static gboolean trace_in_table(const bpn_document *doc, guint i, const figure_source *f, double value,
                               gboolean strict, bpn_provenance *out)
{
    bpn_regex_cache *rx = doc->rx;
    const bpn_table *t = doc->tables->pdata[i];
    const bpn_table_meaning *m = t->meaning;
    for (guint r = 0; r < m->records->len; r++) {
        const bpn_record *rec = m->records->pdata[r];
        const bpn_row *row = t->rows->pdata[rec->row];
        char *l = rec->label ? bpn_norm(rec->label) : g_strdup("");
        char *core = bpn_rx_capture(rx, "^(?:[一二三四五六七八九十]+、)?(.*)$", l, 1);
        gboolean label_ok = f->label_re && core && bpn_rx_match(rx, f->label_re, core);
        g_free(core);
        g_free(l);
        for (guint a = 0; a < rec->amount_cols->len; a++) {
            int c = g_array_index(rec->amount_cols, int, a);
            const bpn_column *col = m->columns->pdata[c];
            gboolean col_ok = f->measure && col->measure && strcmp(col->measure, f->measure) == 0;
            double v = row->cells[c].number * m->to_wan;
            if (fabs(v - value) < 0.005 && (!strict || label_ok || col_ok || (!f->label_re && !f->measure))) {
                out->table = (int)i;
                out->row = rec->row;
                out->col = c;
                return TRUE;
            }
        }
    }
    return FALSE;
}

static gboolean trace_in_sections(const bpn_document *doc, double value, bpn_provenance *out)
{
    char *want = g_strdup_printf("%.2f", value);
    gboolean found = FALSE;
    for (guint i = 0; i < doc->sections->len && !found; i++) {
        const bpn_section *s = doc->sections->pdata[i];
        if (!s->text)
            continue;
        /* sentences: up to and with 。；; */
        GPtrArray *sentences = g_ptr_array_new_with_free_func(g_free);
        const char *start = s->text;
        for (const char *q = s->text; *q; q = g_utf8_next_char(q)) {
            gunichar ch = g_utf8_get_char(q);
            if (ch == 0x3002 || ch == 0xFF1B || ch == ';') {
                const char *end = g_utf8_next_char(q);
                g_ptr_array_add(sentences, g_strndup(start, (gsize)(end - start)));
                start = end;
            }
        }
        if (*start)
            g_ptr_array_add(sentences, g_strdup(start));
        for (guint k = 0; k < sentences->len && !found; k++) {
            char *n = bpn_norm(sentences->pdata[k]);
            GString *digits = g_string_new(NULL); /* thousands separators out */
            for (const char *p = n; *p; p++)
                if (*p != ',')
                    g_string_append_c(digits, *p);
            if (strstr(digits->str, want)) {
                out->section = (int)i;
                out->sentence = g_strstrip(g_strdup(sentences->pdata[k]));
                found = TRUE;
            }
            g_string_free(digits, TRUE);
            g_free(n);
        }
        g_ptr_array_unref(sentences);
    }
    g_free(want);
    return found;
}

/* The figures' values, from summary.c: set before the tables' meaning is
 * read, so that each table is searched once, when its meaning is read
 * (provenance_table), and may then be spilled (spill.c). */
static const bpn_amount *figure_value(const bpn_document *doc, gsize i)
{
    const bpn_amount *figures[] = {&doc->income_total, &doc->expenditure_total, &doc->basic_expenditure,
                                   &doc->project_expenditure, &doc->three_public_total};
    G_STATIC_ASSERT(G_N_ELEMENTS(figures) == G_N_ELEMENTS(FIGURES));
    return figures[i];
}

/* Where each figure was first found, per kind it is read from: [figure]
 * [strict][kind]; table < 0: not yet.  Searching table by table in order
 * and taking, at the end, the first kind with a strict find, else the first
 * kind with any, gives the cell a search of kind after kind over all the
 * tables would. */
typedef struct {
    bpn_provenance found[G_N_ELEMENTS(FIGURES)][2][3];
} provenance_search;

static void provenance_begin(provenance_search *ps)
{
    for (gsize f = 0; f < G_N_ELEMENTS(FIGURES); f++)
        for (int s = 0; s < 2; s++)
            for (int k = 0; k < 3; k++)
                ps->found[f][s][k] = (bpn_provenance){.figure = FIGURES[f].figure, .table = -1, .section = -1};
}

static void provenance_table(provenance_search *ps, const bpn_document *doc, guint i)
{
    const bpn_table_meaning *m = ((const bpn_table *)doc->tables->pdata[i])->meaning;
    if (!m || m->to_wan <= 0)
        return;
    for (gsize f = 0; f < G_N_ELEMENTS(FIGURES); f++) {
        const bpn_amount *v = figure_value(doc, f);
        for (int k = 0; v->set && k < 3 && FIGURES[f].kinds[k]; k++) {
            if (strcmp(m->kind, FIGURES[f].kinds[k]) != 0)
                continue;
            for (int s = 0; s < 2; s++)
                if (ps->found[f][s][k].table < 0)
                    trace_in_table(doc, i, &FIGURES[f], v->value, s == 0, &ps->found[f][s][k]);
        }
    }
}

static void provenance_end(provenance_search *ps, bpn_document *doc)
{
    if (doc->provenance)
        g_ptr_array_unref(doc->provenance);
    doc->provenance = g_ptr_array_new_with_free_func(provenance_free);
    for (gsize i = 0; i < G_N_ELEMENTS(FIGURES); i++) {
        const bpn_amount *v = figure_value(doc, i);
        if (!v->set)
            continue;
        const bpn_provenance *hit = NULL;
        for (int s = 0; s < 2 && !hit; s++)
            for (int k = 0; k < 3 && !hit; k++)
                if (ps->found[i][s][k].table >= 0)
                    hit = &ps->found[i][s][k];
        bpn_provenance *p = g_new0(bpn_provenance, 1);
        if (hit)
            *p = *hit;
        else {
            p->figure = FIGURES[i].figure;
            p->table = p->section = -1;
        }
        if (hit || trace_in_sections(doc, v->value, p))
            g_ptr_array_add(doc->provenance, p);
        else
            provenance_free(p);
    }
}

/* ---- 7. the unit ---- */

static void unit_identity(bpn_document *doc)
{
    bpn_regex_cache *rx = doc->rx;
    const char *name = doc->unit ? doc->unit : doc->department;
    doc->unit_key = bpn_unit_key(name);
    bpn_region_of(rx, name, &doc->region);
    if (!doc->region.level && doc->department)
        bpn_region_of(rx, doc->department, &doc->region);
    const char *with_code[] = {doc->unit, doc->department};
    for (int i = 0; i < 2 && !doc->unit_code; i++)
        if (with_code[i])
            doc->unit_code = bpn_rx_capture(rx, "^\\s*(\\d{3,}(?:[.-]\\d+)*)\\s*[-－—]", with_code[i], 1);
    for (guint i = 0; doc->targets && i < doc->targets->len && !doc->unit_code; i++) {
        const bpn_target *tg = doc->targets->pdata[i];
        if (tg->department)
            doc->unit_code = bpn_rx_capture(rx, "^\\s*(\\d{3,}(?:[.-]\\d+)*)\\s*[-－—]", tg->department, 1);
    }
}

struct bpn_meaning_walk {
    bpn_document *doc;
    double prev; /* the unit of the last table that stated one */
    provenance_search search;
};

bpn_meaning_walk *bpn_meaning_begin(bpn_document *doc)
{
    bpn_meaning_walk *w = g_new0(bpn_meaning_walk, 1);
    w->doc = doc;
    provenance_begin(&w->search);
    return w;
}

void bpn_meaning_table(bpn_meaning_walk *w, guint i)
{
    bpn_table *t = w->doc->tables->pdata[i];
    bpn_table_meaning_free(t->meaning);
    t->meaning = NULL;
    table_meaning(w->doc, t, w->prev);
    if (t->meaning->to_wan > 0)
        w->prev = t->meaning->to_wan;
    provenance_table(&w->search, w->doc, i);
}

void bpn_meaning_end(bpn_meaning_walk *w)
{
    unit_identity(w->doc);
    provenance_end(&w->search, w->doc);
    g_free(w);
}

void bpn_meaning_build(bpn_document *doc)
{
    bpn_meaning_walk *w = bpn_meaning_begin(doc);
    for (guint i = 0; i < doc->tables->len; i++)
        bpn_meaning_table(w, i);
    bpn_meaning_end(w);
}
