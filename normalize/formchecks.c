/* formchecks.c — the arithmetic a 绩效自评表 states, tested.
 *
 * A self-evaluation form prints its budget execution (forms.c,
 * read_execution: one row per source of funds) and its 总分 row, and both
 * state identities: the total's amounts are its sources' (年度资金总额 =
 * 财政拨款 + 上年结转 + 其他资金; 合计 = 财政资金小计 + 其他资金小计, and the
 * fiscal subtotal = 中央 + 省级 + 地方), the full-year budget is the
 * initial one plus the adjustment (③=①+②), the balance the budget less
 * what was spent (⑥=③-④), the rates are quotients in percent (⑤=④/③,
 * ⑦=⑥/③), and the 总分 is the scores added up (the 分值 total the weights).
 * bpn_target_check() tests each one the form prints the figures for, held
 * or not, into t->checks, as checks.c does for the tables:
 *   1. sources_sum: a total row against the sources under it, when two of
 *      them at least are printed (a lone 其中 row is a part, not the whole);
 *      a source's blank cell counts 0 where another source has the amount.
 *   2. budget_adjusted, balance: on every row that prints all three figures.
 *   3. execution_rate, balance_rate: on the total row, and on every row
 *      where the header gives the formula (forms whose source rows print
 *      0.0% under a rate that the total alone carries do not); not where
 *      the budget is 0 (no quotient).
 *   4. score_sum, weight_sum: the 总分 row's score (and 分值 total) against
 *      the indicators' and the execution rows' numeric 得分 (分值).
 * The tolerance is half a unit of the last printed decimal per amount
 * involved; for a rate, the rounding of the amounts carried through the
 * quotient, plus the rate's own at its last decimal that is not a padding
 * zero (rate_decimals); for scores, whole numbers count as exact
 * (column_total).  What it misses: a form whose sources are
 * printed as columns rather than rows, and identities stated only in notes. */
#include "normalize/internal.h"

#include <math.h>
#include <string.h>

static const char *const measure_names[BPN_EX_N_MEASURES] = {
    "budget_initial", "adjustment", "budget_full_year", "executed", "balance",
    "execution_rate", "balance_rate", "weight", "score"};

const char *bpn_execution_measure_name(bpn_execution_measure m)
{
    return m >= 0 && m < BPN_EX_N_MEASURES ? measure_names[m] : NULL;
}

static void add(bpn_target *t, const char *rule, const char *row, int measure, double expected, double found,
                double tolerance)
{
    bpn_form_check *k = g_new0(bpn_form_check, 1);
    k->rule = rule;
    k->row = g_strdup(row);
    k->column = measure >= 0 ? measure_names[measure] : NULL;
    k->expected = expected;
    k->found = found;
    k->tolerance = tolerance;
    k->ok = fabs(expected - found) <= tolerance + 1e-9 * fmax(1.0, fabs(found));
    g_ptr_array_add(t->checks, k);
}

static void check_free(gpointer p)
{
    bpn_form_check *k = p;
    g_free(k->row);
    g_free(k);
}

/* A printed number (an amount, "100.00%", "9.3"), its decimals; FALSE for
 * text and dashes. */
static gboolean number_of(const char *printed, double *v, int *decimals)
{
    if (!printed)
        return FALSE;
    char *n = bpn_norm(printed);
    size_t len = strlen(n);
    if (len && n[len - 1] == '%')
        n[--len] = 0;
    gboolean ok = len && bpn_parse_amount(n, v);
    if (ok && decimals) {
        const char *dot = strrchr(n, '.');
        *decimals = dot ? (int)strlen(dot + 1) : 0;
    }
    g_free(n);
    return ok;
}

/* A rate's decimals that count: a system that rounds the quotient and
 * pads it prints 11.2500 for 0.1125 (1125.03 / 9999.77 = 0.112506); its
 * trailing zeros past the second decimal, the usual precision of a
 * percentage, say nothing. */
static int rate_decimals(const char *printed, int decimals)
{
    char *n = bpn_norm(printed);
    size_t len = strlen(n);
    if (len && n[len - 1] == '%')
        n[--len] = 0;
    while (decimals > 2 && len && n[len - 1] == '0') {
        n[--len] = 0;
        decimals--;
    }
    g_free(n);
    return decimals;
}

static double half_unit(int decimals)
{
    return 0.5 * pow(10.0, -decimals);
}

/* The rounding of amount m of row r, in 元. */
static double amount_rounding(const bpn_execution_row *r, int m, double factor)
{
    return half_unit(r->decimals[m]) * factor;
}

static const bpn_execution_row *row_of(const bpn_target *t, const char *source)
{
    for (guint i = 0; i < t->execution->len; i++) {
        const bpn_execution_row *r = t->execution->pdata[i];
        if (r->source && strcmp(r->source, source) == 0)
            return r;
    }
    return NULL;
}

/* 1. A whole against its parts, amount by amount. */
static void sources_sum(bpn_target *t, const char *whole, const char *const *parts, int n_parts, double factor)
{
    const bpn_execution_row *w = row_of(t, whole);
    const bpn_execution_row *p[8];
    int n = 0;
    for (int i = 0; i < n_parts && n < 8; i++)
        if ((p[n] = row_of(t, parts[i])))
            n++;
    if (!w || n < 2)
        return;
    for (int m = 0; m < BPN_EX_N_AMOUNTS; m++) {
        if (!w->amount[m].set)
            continue;
        double sum = 0, tol = amount_rounding(w, m, factor);
        int set = 0;
        for (int i = 0; i < n; i++)
            if (p[i]->amount[m].set) {
                sum += p[i]->amount[m].value;
                tol += amount_rounding(p[i], m, factor);
                set++;
            }
        if (set)
            add(t, "sources_sum", w->label, m, sum, w->amount[m].value, tol);
    }
}

/* 3. A rate in percent: num / den × 100. */
static void rate(bpn_target *t, const bpn_execution_row *r, int rate_m, int num_m, int den_m, double factor)
{
    double printed;
    int d;
    if (!number_of(r->printed[rate_m], &printed, &d) || !r->amount[num_m].set || !r->amount[den_m].set)
        return;
    double num = r->amount[num_m].value, den = r->amount[den_m].value;
    if (fabs(den) < 1e-9)
        return;
    double q = num / den;
    double tol = half_unit(rate_decimals(r->printed[rate_m], d)) +
                 100.0 * (amount_rounding(r, num_m, factor) + fabs(q) * amount_rounding(r, den_m, factor)) / fabs(den);
    add(t, rate_m == BPN_EX_EXECUTION_RATE ? "execution_rate" : "balance_rate", r->label, rate_m, 100.0 * q, printed,
        tol);
}

/* 4. The 总分 row's figure against the column it totals. */
static void column_total(bpn_target *t, const char *rule, const char *printed_total, gboolean score)
{
    double found, v;
    int d, dv;
    if (!number_of(printed_total, &found, &d))
        return;
    /* scores are given, not measured: a whole number is exact, a figure
     * with decimals rounded at its last one (1.33 for 2 × 20/30), and a
     * whole total of such figures rounded too */
    double sum = 0, tol = d ? half_unit(d) : 0;
    int n = 0, finest = 0;
    for (guint i = 0; i < t->indicators->len + (t->execution ? t->execution->len : 0); i++) {
        const char *printed;
        if (i < t->indicators->len) {
            const bpn_indicator *ind = t->indicators->pdata[i];
            printed = score ? ind->score : ind->weight;
        } else {
            const bpn_execution_row *r = t->execution->pdata[i - t->indicators->len];
            printed = r->printed[score ? BPN_EX_SCORE : BPN_EX_WEIGHT];
        }
        if (number_of(printed, &v, &dv)) {
            sum += v;
            tol += dv ? half_unit(dv) : 0;
            finest = MAX(finest, dv);
            n++;
        }
    }
    if (!d && finest)
        tol += half_unit(0);
    if (n)
        add(t, rule, NULL, score ? BPN_EX_SCORE : BPN_EX_WEIGHT, sum, found, tol);
}

void bpn_target_check(bpn_target *t)
{
    if (t->checks)
        g_ptr_array_set_size(t->checks, 0);
    else
        t->checks = g_ptr_array_new_with_free_func(check_free);
    /* 元 per printed unit: the amounts are kept in 元 */
    double to_wan = bpn_vocab_to_wan(bpn_target_unit(t));
    double factor = to_wan > 0 ? to_wan * 10000.0 : 1.0;
    if (t->execution) {
        static const char *const top[] = {"fiscal", "carry_over", "other"};
        static const char *const fiscal[] = {"central", "provincial", "local"};
        sources_sum(t, "total", top, G_N_ELEMENTS(top), factor);
        sources_sum(t, "fiscal", fiscal, G_N_ELEMENTS(fiscal), factor);
        for (guint i = 0; i < t->execution->len; i++) {
            const bpn_execution_row *r = t->execution->pdata[i];
            const bpn_amount *a = r->amount;
            if (a[BPN_EX_BUDGET_INITIAL].set && a[BPN_EX_ADJUSTMENT].set && a[BPN_EX_BUDGET_FULL_YEAR].set)
                add(t, "budget_adjusted", r->label, BPN_EX_BUDGET_FULL_YEAR,
                    a[BPN_EX_BUDGET_INITIAL].value + a[BPN_EX_ADJUSTMENT].value, a[BPN_EX_BUDGET_FULL_YEAR].value,
                    amount_rounding(r, BPN_EX_BUDGET_INITIAL, factor) + amount_rounding(r, BPN_EX_ADJUSTMENT, factor) +
                        amount_rounding(r, BPN_EX_BUDGET_FULL_YEAR, factor));
            if (a[BPN_EX_BUDGET_FULL_YEAR].set && a[BPN_EX_EXECUTED].set && a[BPN_EX_BALANCE].set)
                add(t, "balance", r->label, BPN_EX_BALANCE, a[BPN_EX_BUDGET_FULL_YEAR].value - a[BPN_EX_EXECUTED].value,
                    a[BPN_EX_BALANCE].value,
                    amount_rounding(r, BPN_EX_BUDGET_FULL_YEAR, factor) + amount_rounding(r, BPN_EX_EXECUTED, factor) +
                        amount_rounding(r, BPN_EX_BALANCE, factor));
            gboolean total = r->source && strcmp(r->source, "total") == 0;
            if (total || r->rates_stated) {
                rate(t, r, BPN_EX_EXECUTION_RATE, BPN_EX_EXECUTED, BPN_EX_BUDGET_FULL_YEAR, factor);
                rate(t, r, BPN_EX_BALANCE_RATE, BPN_EX_BALANCE, BPN_EX_BUDGET_FULL_YEAR, factor);
            }
        }
    }
    column_total(t, "score_sum", t->self_score, TRUE);
    column_total(t, "weight_sum", t->weight_total, FALSE);
}
