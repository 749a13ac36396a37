/* main.c — budgetpdf's command line: the only file that talks to the user.
 *
 * The options are parsed by the batch library (batch/options.c); main.c hands
 * the inputs to the batch library (batch/), which
 * converts every document in a worker process of its own, and renders what the
 * library reports: the JSON of a document (stdout, NDJSON), an error per failed
 * input, a progress bar on a terminal and a summary line.  Signal handling
 * lives here too: SIGINT, SIGTERM and SIGHUP write to a self-pipe that the
 * batch watches; once the batch has stopped and cleaned up, the signal is
 * raised again so that the caller sees how budgetpdf ended. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/batch.h"
#include "batch/options.h"
#include "export/export.h"

/* ---------------------------------------------------------------- signals */

static int signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
    int saved = errno;
    if (!caught_signal)
        caught_signal = sig;
    char c = 1;
    if (write(signal_pipe[1], &c, 1) < 0) {
        /* full: the batch has been told already */
    }
    errno = saved;
}

static void catch_signals(void)
{
    if (pipe(signal_pipe) != 0)
        return;
    for (int i = 0; i < 2; i++)
        fcntl(signal_pipe[i], F_SETFL, fcntl(signal_pipe[i], F_GETFL) | O_NONBLOCK);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* ---------------------------------------------------------------- display */

typedef struct {
    gboolean ndjson;  /* results' JSON one per line, flushed */
    gboolean bar;     /* stderr is a terminal: a bar redrawn in place */
    gboolean lines;   /* --progress without a terminal: a status line now and then */
    gboolean shown;   /* the bar is on the screen */
    gint64 last;      /* when the status was last shown */
    gboolean quiet;   /* -q: no warnings */
    int write_errno;  /* the first failed write to stdout; 0: none */
} display;

/* "budgetpdf: NAME: reason", the name and the reason escaped for a terminal
 * (bpb_name_display) and the reason starting lower case, as GNU tools do
 * (strerror's "No such file" becomes "no such file"; "PDF" stays). */
static void say(const char *name, const char *reason)
{
    char *why = bpb_name_display(reason);
    if (g_ascii_isupper(why[0]) && g_ascii_islower(why[1]))
        why[0] = g_ascii_tolower(why[0]);
    if (name) {
        char *shown = bpb_name_display(name);
        fprintf(stderr, "budgetpdf: %s: %s\n", shown, why);
        g_free(shown);
    } else {
        fprintf(stderr, "budgetpdf: %s\n", why);
    }
    g_free(why);
}

static void clear_bar(display *d)
{
    if (d->shown)
        fputs("\r\033[K", stderr);
    d->shown = FALSE;
}

static void clock_text(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        g_snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        g_snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* "[#####.....]  7/17 docs  120/393 pages  52.3 pages/s  ETA 0:05" */
static void show_status(display *d, const bpb_totals *t)
{
    guint done = t->converted + t->skipped + t->failed;
    double rate = t->seconds > 0 ? (double)t->pages / t->seconds : 0;
    double fraction = t->documents ? (double)done / t->documents : 1;
    double eta = -1;
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%u/%u docs  ", done, t->documents);
    if (t->pages_total > 0) {
        guint64 total = MAX(t->pages_total, t->pages);
        g_string_append_printf(s, "%" G_GUINT64_FORMAT "/%s%" G_GUINT64_FORMAT " pages  ", t->pages,
                               t->pages_exact ? "" : "~", total);
        fraction = total ? (double)t->pages / total : 1;
        if (rate > 0)
            eta = (double)(total - t->pages) / rate;
    } else {
        g_string_append_printf(s, "%" G_GUINT64_FORMAT " pages  ", t->pages);
        if (done > 0)
            eta = t->seconds / done * (t->documents - done);
    }
    g_string_append_printf(s, "%.1f pages/s  ETA ", rate);
    char eta_text[32] = "--:--";
    if (eta >= 0)
        clock_text(eta_text, sizeof eta_text, eta);
    g_string_append(s, eta_text);
    if (d->bar) {
        int width = terminal_columns() - (int)s->len - 4;
        GString *line = g_string_new("\r");
        if (width >= 10) {
            width = MIN(width, 40);
            int full = (int)(CLAMP(fraction, 0, 1) * width + 0.5);
            g_string_append_c(line, '[');
            for (int i = 0; i < width; i++)
                g_string_append_c(line, i < full ? '#' : '.');
            g_string_append(line, "]  ");
        }
        g_string_append(line, s->str);
        g_string_append(line, "\033[K");
        fputs(line->str, stderr);
        g_string_free(line, TRUE);
        d->shown = TRUE;
    } else {
        fprintf(stderr, "budgetpdf: %s\n", s->str);
    }
    g_string_free(s, TRUE);
}

static void on_report(const bpb_result *r, const bpb_totals *t, gboolean final, void *user)
{
    display *d = user;
    gboolean now = FALSE;
    /* every write checked: a full disk or a closed pipe is an error (exit 1) */
    if (r && r->json && !d->write_errno) {
        errno = 0;
        if (fputs(r->json, stdout) == EOF || fputc('\n', stdout) == EOF || (d->ndjson && fflush(stdout) != 0))
            d->write_errno = errno ? errno : EIO;
    }
    if (r && r->status == BPB_FAILED) {
        clear_bar(d);
        say(r->input, r->error ? r->error : "failed");
        now = d->bar;
    } else if (r && r->status == BPB_CONVERTED && r->empty && !d->quiet) {
        clear_bar(d);
        say(r->input, "warning: nothing found (no table, form, headline figure or section); scanned pages "
                      "have no text layer to read");
        now = d->bar;
    }
    if (final) {
        clear_bar(d);
        return;
    }
    gint64 t_now = g_get_monotonic_time();
    gint64 every = d->bar ? 100000 : 5000000;
    if ((d->bar || d->lines) && (now || t_now - d->last >= every)) {
        show_status(d, t);
        d->last = t_now;
    }
}

static void print_summary(const bpb_totals *t)
{
    GString *s = g_string_new(NULL);
    if (t->interrupted)
        g_string_append(s, "interrupted: ");
    g_string_append_printf(s, "%u converted, ", t->converted);
    if (t->skipped)
        g_string_append_printf(s, "%u already done, ", t->skipped);
    g_string_append_printf(s, "%u failed, ", t->failed);
    if (t->empty)
        g_string_append_printf(s, "%u with nothing found, ", t->empty);
    g_string_append_printf(s, "%u checks failed, %" G_GUINT64_FORMAT " pages, %.1f s", t->checks_failed, t->pages,
                           t->seconds);
    if (t->ocr_documents)
        g_string_append_printf(s, ", %u read by OCR", t->ocr_documents);
    if (t->ocr_pages_lent)
        g_string_append_printf(s, " (%" G_GUINT64_FORMAT " page%s on lent processors)", t->ocr_pages_lent,
                               t->ocr_pages_lent == 1 ? "" : "s");
    if (t->peak_memory)
        g_string_append_printf(s, ", %.1f MiB peak per worker", (double)t->peak_memory / 1048576.0);
    if (t->interrupted)
        g_string_append(s, "; --resume continues");
    fprintf(stderr, "%s\n", s->str);
    g_string_free(s, TRUE);
}

/* ---------------------------------------------------------------- main */

/* Flushes and closes stdout; the errno of a failure, or 0. */
static int close_stdout(void)
{
    errno = 0;
    gboolean failed = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = TRUE;
        e = errno;
    }
    return failed ? (e ? e : EIO) : 0;
}

/* --csv / --sqlite: the dataset of every JSON in dir. */
static bpb_exit export_dataset(const char *dir, const bpb_cli *c)
{
    bpd_options eo = {.csv_dir = c->csv_dir, .csv_bom = c->csv_bom, .sqlite_path = c->sqlite_path};
    bpd_totals t;
    GError *err = NULL;
    if (!bpd_export(dir, &eo, &t, &err)) {
        say(NULL, err->message);
        g_error_free(err);
        return BPB_EXIT_FAILED;
    }
    if (!c->quiet && (c->progress || isatty(STDERR_FILENO) || c->action == BPB_CLI_EXPORT))
        fprintf(stderr, "exported %u documents from %u JSON files: %" G_GUINT64_FORMAT " facts, %u tables (%u "
                "duplicates left out), %u checks (%u prior_year), %u indicators, %u execution rows\n", t.documents,
                t.files, t.facts, t.tables, t.tables_dropped, t.checks, t.prior_year, t.indicators, t.execution);
    return BPB_EXIT_OK;
}

static bpb_exit convert(const bpb_cli *c)
{
    gboolean batch = c->mode != BPB_OUTPUT_STREAM || c->ndjson;
    gboolean tty = isatty(STDERR_FILENO);
    display d = {.ndjson = c->ndjson, .last = g_get_monotonic_time(), .quiet = c->quiet};
    d.bar = batch && tty && !c->quiet;
    d.lines = batch && !tty && c->progress && !c->quiet;
    GHashTable *aliases = NULL;
    if (c->unit_alias) {
        GError *err = NULL;
        if (!(aliases = bpb_unit_aliases_read(c->unit_alias, &err))) {
            say(NULL, err->message);
            g_error_free(err);
            return BPB_EXIT_USAGE;
        }
    }
    catch_signals();
    bpb_options bo = {
        .output = c->mode,
        .out_dir = c->out_dir,
        .out_file = c->out_file,
        .review_dir = c->review_dir,
        .ocr = c->ocr,
        .no_ocr_repair = c->no_ocr_repair,
        .unit_aliases = aliases,
        .pages = c->pages ? (const bpb_page_range *)(void *)c->pages->data : NULL,
        .n_pages_ranges = c->pages ? c->pages->len : 0,
        .jobs = c->jobs,
        .password = c->password,
        .compact = c->compact || c->ndjson,
        .strict = c->strict,
        .resume = c->resume,
        .count_pages = d.bar || d.lines,
        .timeout = c->timeout,
        .max_memory = (guint64)c->max_memory_mib << 20,
        .max_pages = c->max_pages,
        .cancel_fd = signal_pipe[0],
        .tick_ms = d.bar ? 250 : d.lines ? 1000 : 0,
        .report = on_report,
        .user = &d,
    };
    bpb_inputs *in = bpb_inputs_collect(c->inputs, c->n_inputs, c->follow_links ? BPB_COLLECT_FOLLOW_LINKS : 0);
    const GPtrArray *warnings = bpb_inputs_warnings(in);
    for (guint i = 0; i < warnings->len && !c->quiet; i++) {
        const bpb_warning *w = warnings->pdata[i];
        char *why = g_strconcat("warning: ", w->reason, NULL);
        say(w->path, why);
        g_free(why);
    }
    bpb_totals t = {0};
    GError *err = NULL;
    bpb_exit status;
    if (!bpb_run(in, &bo, &t, &err)) {
        say(NULL, err->message);
        g_error_free(err);
        status = BPB_EXIT_FAILED;
    } else {
        status = t.failed ? BPB_EXIT_FAILED : BPB_EXIT_OK;
        if ((c->csv_dir || c->sqlite_path) && c->out_dir && !t.interrupted &&
            export_dataset(c->out_dir, c) != BPB_EXIT_OK)
            status = BPB_EXIT_FAILED;
    }
    bpb_inputs_free(in);
    if (aliases)
        g_hash_table_unref(aliases);
    int e = close_stdout();
    if (!d.write_errno)
        d.write_errno = e;
    if (d.write_errno) {
        say("standard output", g_strerror(d.write_errno));
        status = BPB_EXIT_FAILED;
    }
    if ((d.bar || d.lines) || t.interrupted)
        print_summary(&t);
    return status;
}

int main(int argc, char **argv)
{
    bpb_cli c;
    GError *err = NULL;
    bpb_exit status = BPB_EXIT_OK;
    if (!bpb_cli_parse(argc, argv, &c, &err) || !bpb_cli_resolve(&c, &err)) {
        say(NULL, err->message);
        fputs("Try 'budgetpdf --help'.\n", stderr);
        status = BPB_EXIT_USAGE;
    } else if (c.action == BPB_CLI_HELP || c.action == BPB_CLI_VERSION) {
        char *text = c.action == BPB_CLI_HELP ? bpb_cli_usage() : g_strdup("budgetpdf " BUDGETPDF_VERSION "\n");
        errno = 0;
        /* the first failure's errno: a text longer than stdio's buffer fails
         * in fputs, and the flush at close then has nothing left to say */
        int e = fputs(text, stdout) == EOF ? (errno ? errno : EIO) : 0;
        g_free(text);
        int closed = close_stdout();
        if (!e)
            e = closed;
        if (e) {
            say("standard output", g_strerror(e));
            status = BPB_EXIT_FAILED;
        }
    } else if (c.action == BPB_CLI_EXPORT) {
        status = export_dataset(c.export_dir, &c);
    } else {
        status = convert(&c);
    }
    g_clear_error(&err);
    bpb_cli_clear(&c);
    if (caught_signal) {
        signal((int)caught_signal, SIG_DFL);
        raise((int)caught_signal);
    }
    return status;
}
