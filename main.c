/* main.c — budgetpdf's command line: the only file that talks to the user.
 *
 * It parses the options, hands the inputs to the batch library (batch/), which
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
#include "extract/extract.h"

#define BUDGETPDF_VERSION "0.2.0"

typedef enum {
    EXIT_OK = 0,     /* every input converted (or, with --resume, already was) */
    EXIT_FAILED = 1, /* at least one input failed (the others were still converted) */
    EXIT_USAGE = 2   /* bad command line */
    /* killed by SIGINT, SIGTERM or SIGHUP: budgetpdf ends by that signal */
} exit_code;

static const char usage_format[] =
    "usage: budgetpdf [options] FILE.pdf\n"
    "       budgetpdf [options] -o DIR INPUT...\n"
    "       budgetpdf [options] --ndjson INPUT...\n"
    "\n"
    "Converts Chinese budget-disclosure PDFs (部门预算/单位预算) into JSON.\n"
    "An INPUT is a PDF or a folder, searched (with its subfolders) for *.pdf.\n"
    "With one PDF and no -o, prints its JSON on standard output.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR     write DIR/<name>.json per input (atomically); <name> is\n"
    "                       the base name, or for a PDF found in a folder INPUT its\n"
    "                       path under that folder\n"
    "      --by-unit        with -o: one DIR/<year>/<unit>.json per unit and year,\n"
    "                       merging that unit's PDFs (its \"source\" is a list)\n"
    "      --resume         with -o: skip inputs whose output records the same content\n"
    "                       (sha256), e.g. to finish an interrupted batch\n"
    "      --ndjson         one JSON document per line on standard output\n"
    "  -j, --jobs N         convert N documents at once (default: the processors)\n"
    "      --progress       progress and summary even when stderr is no terminal\n"
    "  -q, --quiet          no progress bar or summary, only errors\n"
    "      --password PW    password of encrypted PDFs\n"
    "      --compact        one-line JSON\n"
    "      --strict         a failed arithmetic check fails the input (exit 1)\n"
    "      --ocr WHEN       read pages by OCR: auto (pages without a usable text\n"
    "                       layer, the default), always, never\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "\n"
    "limits per document (exceeding one fails that document; 0: no limit):\n"
    "      --timeout SEC    seconds a document may take (default: %g)\n"
    "      --max-memory MIB resident memory of a worker, in MiB (default: %d)\n"
    "      --max-pages N    pages a document may have (default: %d)\n"
    "\n"
    "exit status: 0 all converted, 1 some input failed, 2 usage error;\n"
    "interrupted by a signal, budgetpdf ends by that signal (--resume continues)\n";

typedef struct {
    const char *out_dir;
    const char *password;
    const char *ocr;
    gboolean compact, strict, resume, by_unit, ndjson, progress, quiet;
    int jobs;
    double timeout;
    int max_memory_mib, max_pages;
} cli_options;

static void print_usage(FILE *to)
{
    fprintf(to, usage_format, BPB_DEFAULT_TIMEOUT, BPB_DEFAULT_MAX_MEMORY_MIB, BPB_DEFAULT_MAX_PAGES);
}

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
} display;

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
    if (r && r->json) {
        fputs(r->json, stdout);
        fputc('\n', stdout);
        if (d->ndjson)
            fflush(stdout);
    }
    if (r && r->status == BPB_FAILED) {
        clear_bar(d);
        fprintf(stderr, "budgetpdf: %s: %s\n", r->input, r->error ? r->error : "failed");
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
    g_string_append_printf(s, "%u failed, %u checks failed, %" G_GUINT64_FORMAT " pages, %.1f s", t->failed,
                           t->checks_failed, t->pages, t->seconds);
    if (t->ocr_documents)
        g_string_append_printf(s, ", %u read by OCR", t->ocr_documents);
    if (t->peak_memory)
        g_string_append_printf(s, ", %.1f MiB peak per worker", (double)t->peak_memory / 1048576.0);
    if (t->interrupted)
        g_string_append(s, "; --resume continues");
    fprintf(stderr, "%s\n", s->str);
    g_string_free(s, TRUE);
}

/* ---------------------------------------------------------------- main */

static gboolean is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* bpx_ocr_mode of an --ocr value, -1 for none. */
static int ocr_mode(const char *s)
{
    return !s || !strcmp(s, "auto") ? BPX_OCR_AUTO : !strcmp(s, "always") ? BPX_OCR_ALWAYS
           : !strcmp(s, "never") ? BPX_OCR_NEVER : -1;
}

/* The reason the command line cannot run, or NULL. */
static const char *misuse(int n_inputs, char **inputs, const cli_options *o)
{
    if (n_inputs < 1)
        return "no input";
    if (o->ndjson && o->out_dir)
        return "--ndjson writes to standard output: no -o";
    if ((o->by_unit || o->resume) && !o->out_dir)
        return o->by_unit ? "--by-unit needs -o DIR" : "--resume needs -o DIR";
    if (!o->out_dir && !o->ndjson && n_inputs > 1)
        return "-o DIR (or --ndjson) is needed for several inputs";
    if (!o->out_dir && !o->ndjson && is_folder(inputs[0]))
        return "the input is a folder: -o DIR (or --ndjson) is needed to convert the PDFs in it";
    if (o->jobs < 0)
        return "-j needs a number of documents, at least 1";
    if (o->timeout < 0)
        return "--timeout needs a number of seconds (0: no limit)";
    if (o->max_memory_mib < 0)
        return "--max-memory needs a number of MiB (0: no limit)";
    if (o->max_memory_mib > 0 && o->max_memory_mib < 16)
        return "--max-memory below 16 MiB leaves no room for poppler itself";
    if (o->max_pages < 0)
        return "--max-pages needs a number of pages (0: no limit)";
    if (o->ocr && ocr_mode(o->ocr) < 0)
        return "--ocr needs auto, always or never";
    return NULL;
}

int main(int argc, char **argv)
{
    cli_options o = {
        .timeout = BPB_DEFAULT_TIMEOUT,
        .max_memory_mib = BPB_DEFAULT_MAX_MEMORY_MIB,
        .max_pages = BPB_DEFAULT_MAX_PAGES,
    };
    gboolean help = FALSE, version = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_dir, NULL, NULL},
        {"by-unit", 0, 0, G_OPTION_ARG_NONE, &o.by_unit, NULL, NULL},
        {"resume", 0, 0, G_OPTION_ARG_NONE, &o.resume, NULL, NULL},
        {"ndjson", 0, 0, G_OPTION_ARG_NONE, &o.ndjson, NULL, NULL},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs, NULL, NULL},
        {"timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o.timeout, NULL, NULL},
        {"max-memory", 0, 0, G_OPTION_ARG_INT, &o.max_memory_mib, NULL, NULL},
        {"max-pages", 0, 0, G_OPTION_ARG_INT, &o.max_pages, NULL, NULL},
        {"progress", 0, 0, G_OPTION_ARG_NONE, &o.progress, NULL, NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, NULL, NULL},
        {"password", 0, 0, G_OPTION_ARG_FILENAME, &o.password, NULL, NULL},  /* raw bytes: no locale needed for a non-ASCII password */
        {"compact", 0, 0, G_OPTION_ARG_NONE, &o.compact, NULL, NULL},
        {"strict", 0, 0, G_OPTION_ARG_NONE, &o.strict, NULL, NULL},
        {"ocr", 0, 0, G_OPTION_ARG_STRING, &o.ocr, NULL, NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, NULL, NULL},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &version, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    gboolean parsed = g_option_context_parse(ctx, &argc, &argv, &err);
    g_option_context_free(ctx);
    const char *bad = parsed ? NULL : err->message;
    if (parsed && !help && !version)
        bad = misuse(argc - 1, argv + 1, &o);
    exit_code status = EXIT_OK;
    if (bad) {
        fprintf(stderr, "budgetpdf: %s\n", bad);
        print_usage(stderr);
        status = EXIT_USAGE;
    } else if (help) {
        print_usage(stdout);
    } else if (version) {
        printf("budgetpdf %s\n", BUDGETPDF_VERSION);
    } else {
        gboolean batch = o.out_dir || o.ndjson;
        gboolean tty = isatty(STDERR_FILENO);
        display d = {.ndjson = o.ndjson, .last = g_get_monotonic_time()};
        d.bar = batch && tty && !o.quiet;
        d.lines = batch && !tty && o.progress && !o.quiet;
        catch_signals();
        bpb_options bo = {
            .output = !o.out_dir ? BPB_OUTPUT_STREAM : o.by_unit ? BPB_OUTPUT_UNITS : BPB_OUTPUT_FILES,
            .out_dir = o.out_dir,
            .jobs = o.jobs,
            .password = o.password,
            .compact = o.compact || o.ndjson,
            .strict = o.strict,
            .resume = o.resume,
            .count_pages = d.bar || d.lines,
            .ocr = ocr_mode(o.ocr),
            .timeout = o.timeout,
            .max_memory = (guint64)o.max_memory_mib << 20,
            .max_pages = o.max_pages,
            .cancel_fd = signal_pipe[0],
            .tick_ms = d.bar ? 250 : d.lines ? 1000 : 0,
            .report = on_report,
            .user = &d,
        };
        bpb_inputs *in = bpb_inputs_collect(argv + 1, argc - 1);
        bpb_totals t = {0};
        if (!bpb_run(in, &bo, &t, &err)) {
            fprintf(stderr, "budgetpdf: %s\n", err->message);
            status = EXIT_FAILED;
        } else {
            status = t.failed ? EXIT_FAILED : EXIT_OK;
        }
        bpb_inputs_free(in);
        fflush(stdout);
        if ((d.bar || d.lines) || t.interrupted)
            print_summary(&t);
    }
    g_clear_error(&err);
    g_free((char *)o.out_dir);
    g_free((char *)o.password);
    g_free((char *)o.ocr);
    if (caught_signal) {
        signal((int)caught_signal, SIG_DFL);
        raise((int)caught_signal);
    }
    return status;
}
