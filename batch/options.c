/* options.c — budgetpdf's command line (options.h says the syntax).
 *
 * The parser is a table of options and one loop over argv:
 *   1. a word after `--`, `-` alone, or a word not starting with '-' is an
 *      operand (GNU permutation: options may follow operands);
 *   2. `--name[=value]`: find_long() finds the option by its exact name or a
 *      unique prefix; a value comes after '=' or is the next word;
 *   3. `-abc`: each letter an option; the first that takes a value takes the
 *      rest of the word (`-j4`, `-oDIR`) or, when nothing is left, the next
 *      word;
 *   4. set_option() stores the value, parsing numbers whole (strtoll or
 *      strtod with end and range checks: no silent "12abc", inf or nan).
 * check_combination() then judges what cannot be judged option by option.
 * GLib's GOptionContext is not used: it refuses `-j4` and `-oDIR` and its
 * messages carry curly quotes and capitals.
 */
#include "batch/options.h"
#include "extract/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
    OPT_OUTPUT, OPT_BY_UNIT, OPT_RESUME, OPT_NDJSON, OPT_JOBS, OPT_PROGRESS, OPT_QUIET,
    OPT_PASSWORD, OPT_PASSWORD_FILE, OPT_COMPACT, OPT_STRICT, OPT_PAGES, OPT_FIRST, OPT_LAST,
    OPT_FOLLOW_LINKS, OPT_REVIEW, OPT_UNIT_ALIAS, OPT_OCR, OPT_NO_OCR_REPAIR, OPT_TIMEOUT, OPT_MAX_MEMORY, OPT_MAX_PAGES, OPT_HELP, OPT_VERSION,
    OPT_CSV, OPT_CSV_BOM, OPT_SQLITE, OPT_EXPORT
} option_id;

typedef struct {
    option_id id;
    const char *name; /* long name; NULL: none */
    char letter;      /* short name; 0: none */
    gboolean value;   /* takes a value */
} option_spec;

static const option_spec options[] = {
    {OPT_OUTPUT, "output", 'o', TRUE},
    {OPT_BY_UNIT, "by-unit", 0, FALSE},
    {OPT_RESUME, "resume", 0, FALSE},
    {OPT_NDJSON, "ndjson", 0, FALSE},
    {OPT_JOBS, "jobs", 'j', TRUE},
    {OPT_PROGRESS, "progress", 0, FALSE},
    {OPT_QUIET, "quiet", 'q', FALSE},
    {OPT_PASSWORD, "password", 0, TRUE},
    {OPT_PASSWORD_FILE, "password-file", 0, TRUE},
    {OPT_COMPACT, "compact", 'c', FALSE},
    {OPT_STRICT, "strict", 0, FALSE},
    {OPT_PAGES, "pages", 0, TRUE},
    {OPT_FIRST, "first-page", 'f', TRUE},
    {OPT_LAST, "last-page", 'l', TRUE},
    {OPT_FOLLOW_LINKS, "follow-links", 0, FALSE},
    {OPT_REVIEW, "review", 0, TRUE},
    {OPT_UNIT_ALIAS, "unit-alias", 0, TRUE},
    {OPT_OCR, "ocr", 0, TRUE},
    {OPT_NO_OCR_REPAIR, "no-ocr-repair", 0, FALSE},
    {OPT_TIMEOUT, "timeout", 0, TRUE},
    {OPT_MAX_MEMORY, "max-memory", 0, TRUE},
    {OPT_MAX_PAGES, "max-pages", 0, TRUE},
    {OPT_HELP, "help", 'h', FALSE},
    {OPT_VERSION, "version", 'V', FALSE},
    {OPT_CSV, "csv", 0, TRUE},
    {OPT_CSV_BOM, "csv-bom", 0, FALSE},
    {OPT_SQLITE, "sqlite", 0, TRUE},
    {OPT_EXPORT, "export", 0, TRUE},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static const char usage_format[] =
    "usage: budgetpdf [options] FILE.pdf\n"
    "       budgetpdf [options] -o DIR INPUT...\n"
    "       budgetpdf [options] --ndjson INPUT...\n"
    "       budgetpdf [options] --review REVIEWDIR INPUT...\n"
    "       budgetpdf --export DIR [--csv DATADIR] [--sqlite FILE]\n"
    "\n"
    "Converts Chinese budget-disclosure PDFs (部门预算/单位预算) into JSON.\n"
    "An INPUT is a PDF, - for a PDF on standard input, or a folder, searched with\n"
    "its subfolders for PDFs (a *.pdf name, or a file starting with %%PDF-).\n"
    "With one PDF and no -o, prints its JSON on standard output.\n"
    "\n"
    "options (GNU style: -j4, -oDIR, --output=DIR; long names may be shortened):\n"
    "  -o, --output DIR     write DIR/<name>.json per input (atomically); <name> is\n"
    "                       the base name, or for a PDF found in a folder INPUT its\n"
    "                       path under that folder\n"
    "  -o FILE.json         with one PDF: write FILE.json (an existing folder of\n"
    "                       that name stays a folder)\n"
    "  -o -                 standard output (as without -o)\n"
    "      --by-unit        with -o DIR: one DIR/<year>/<unit_key>.json per unit and\n"
    "                       year (unit_key: the unit's name in a normal form),\n"
    "                       merging that unit's PDFs (its \"source\" is a list); one\n"
    "                       --by-unit run at a time per DIR (a second one stops)\n"
    "      --unit-alias FILE  TSV lines \"name as printed<TAB>name to use\": the unit\n"
    "                       names --by-unit (and unit_key) take as one\n"
    "      --resume         with -o: skip inputs whose output records the same content\n"
    "                       (sha256), e.g. to finish an interrupted batch\n"
    "      --ndjson         one JSON document per line on standard output\n"
    "      --review DIR     also write DIR/<name>.html per input, a review page that\n"
    "                       shows each page with what was read drawn over it and\n"
    "                       the tables beside it; the JSON goes beside it, the page\n"
    "                       pictures into DIR/<name>.pages/ (with -o DIR, the JSON\n"
    "                       goes to both folders)\n"
    "      --csv DATADIR    with -o DIR: also a data package of every JSON in DIR\n"
    "                       (facts, documents, tables, checks, indicators .csv and\n"
    "                       datapackage.json; DATADIR is made when missing)\n"
    "      --csv-bom        a UTF-8 byte-order mark in the CSV files (for Excel)\n"
    "      --sqlite FILE    with -o DIR: the same tables in a SQLite database\n"
    "      --export DIR     build --csv/--sqlite from the JSON already in DIR,\n"
    "                       converting nothing\n"
    "  -j, --jobs N         convert N documents at once, 1 to %d (default: the\n"
    "                       processors); processors no document needs read the\n"
    "                       next scanned pages of one that runs\n"
    "      --pages LIST     only these pages, e.g. 3-7,12 or 5- (from 1)\n"
    "  -f, --first-page N   first page to convert (as pdftotext -f)\n"
    "  -l, --last-page N    last page to convert (as pdftotext -l)\n"
    "      --follow-links   in folders, follow every symbolic link (by default only\n"
    "                       those that stay inside the folder INPUT)\n"
    "      --progress       progress and summary even when stderr is no terminal\n"
    "  -q, --quiet          no progress bar, summary or warnings, only errors\n"
    "      --password PW    password of encrypted PDFs (visible to other users in ps)\n"
    "      --password-file FILE  the password is FILE's first line\n"
    "  -c, --compact        one-line JSON\n"
    "      --strict         a failed arithmetic check fails the input (exit 1)\n"
    "      --ocr WHEN       read pages by OCR (Tesseract): auto (pages without a\n"
    "                       usable text layer, the default), always, never\n"
    "      --no-ocr-repair  keep OCR's readings as read: no digit chosen by the\n"
    "                       tables' arithmetic, no label or code by the catalogue,\n"
    "                       no table title by the vocabulary's title forms,\n"
    "                       no form label, name or indicator mended\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "\n"
    "limits per document (exceeding one fails that document; 0: no limit):\n"
    "      --timeout SEC    seconds a document may take, up to %.0f (default: %g)\n"
    "      --max-memory MIB resident memory of a worker (with the pages it reads\n"
    "                       on lent processors) in MiB, %d to %d\n"
    "                       (default: %d)\n"
    "      --max-pages N    pages a document may have, up to %d (default: %d)\n"
    "\n"
    "A document that converts but yields nothing (no table, form, headline figure\n"
    "or section: e.g. scanned pages) is a warning on stderr.\n"
    "\n"
    "exit status: 0 all converted, 1 some input failed or the output could not be\n"
    "written, 2 usage error; interrupted by a signal, budgetpdf ends by that\n"
    "signal (--resume continues)\n";

char *bpb_cli_usage(void)
{
    return g_strdup_printf(usage_format, BPB_CLI_MAX_JOBS, BPB_CLI_MAX_TIMEOUT, BPB_DEFAULT_TIMEOUT,
                           BPB_CLI_MIN_MEMORY_MIB, BPB_CLI_MAX_MEMORY_MIB, BPB_DEFAULT_MAX_MEMORY_MIB,
                           BPB_CLI_MAX_PAGES, BPB_DEFAULT_MAX_PAGES);
}

static gboolean usage_error(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean usage_error(GError **error, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    /* the value comes from the user: no line breaks or escapes on the terminal */
    char *shown = bpb_name_display(msg);
    g_set_error_literal(error, BPB_ERROR, BPB_ERROR_USAGE, shown);
    g_free(shown);
    g_free(msg);
    return FALSE;
}

/* ---------------------------------------------------------------- values */

/* The whole of text as an integer in [lo, hi]. */
static gboolean parse_int(const char *text, long lo, long hi, long *out)
{
    if (!text || !*text || g_ascii_isspace(*text))
        return FALSE;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return FALSE;
    *out = (long)v;
    return TRUE;
}

static gboolean int_option(const char *name, const char *text, long lo, long hi, const char *what,
                           gboolean zero_too, int *out, GError **error)
{
    long v;
    if (parse_int(text, lo, hi, &v) || (zero_too && parse_int(text, 0, 0, &v))) {
        *out = (int)v;
        return TRUE;
    }
    if (zero_too)
        return usage_error(error, "%s: '%s' is not a number of %s from %ld to %ld (or 0: no limit)", name, text,
                           what, lo, hi);
    return usage_error(error, "%s: '%s' is not a number of %s from %ld to %ld", name, text, what, lo, hi);
}

/* "3-7,12", "5-", "4": ranges of pages from 1; last 0 is the end. */
static gboolean parse_pages(const char *text, GArray *out)
{
    if (!text || !*text)
        return FALSE;
    char **parts = g_strsplit(text, ",", -1);
    gboolean ok = TRUE;
    for (char **p = parts; ok && *p; p++) {
        char *dash = strchr(*p, '-');
        long first = 0, last = 0;
        if (dash) {
            *dash = 0;
            ok = parse_int(*p, 1, BPB_CLI_MAX_PAGES, &first) &&
                 (dash[1] == 0 || (parse_int(dash + 1, 1, BPB_CLI_MAX_PAGES, &last) && last >= first));
        } else {
            ok = parse_int(*p, 1, BPB_CLI_MAX_PAGES, &first);
            last = first;
        }
        if (ok) {
            bpb_page_range r = {(int)first, (int)last};
            g_array_append_val(out, r);
        }
    }
    g_strfreev(parts);
    return ok;
}

static void set_string(char **slot, const char *value)
{
    g_free(*slot);
    *slot = g_strdup(value);
}

typedef struct {
    int first, last; /* -f, -l; 0: not given */
} page_limits;

static gboolean set_option(bpb_cli *c, page_limits *fl, const option_spec *o, const char *shown, const char *v,
                           GError **error)
{
    switch (o->id) {
    case OPT_OUTPUT:
        if (!*v)
            return usage_error(error, "%s: an empty name", shown);
        set_string(&c->output, v);
        return TRUE;
    case OPT_BY_UNIT: c->by_unit = TRUE; return TRUE;
    case OPT_RESUME: c->resume = TRUE; return TRUE;
    case OPT_NDJSON: c->ndjson = TRUE; return TRUE;
    case OPT_PROGRESS: c->progress = TRUE; return TRUE;
    case OPT_QUIET: c->quiet = TRUE; return TRUE;
    case OPT_COMPACT: c->compact = TRUE; return TRUE;
    case OPT_STRICT: c->strict = TRUE; return TRUE;
    case OPT_FOLLOW_LINKS: c->follow_links = TRUE; return TRUE;
    case OPT_HELP: c->action = BPB_CLI_HELP; return TRUE;
    case OPT_VERSION:
        if (c->action != BPB_CLI_HELP)
            c->action = BPB_CLI_VERSION;
        return TRUE;
    case OPT_PASSWORD: set_string(&c->password, v); return TRUE;
    case OPT_NO_OCR_REPAIR: c->no_ocr_repair = TRUE; return TRUE;
    case OPT_OCR:
        if (strcmp(v, "auto") == 0)
            c->ocr = BPX_OCR_AUTO;
        else if (strcmp(v, "always") == 0)
            c->ocr = BPX_OCR_ALWAYS;
        else if (strcmp(v, "never") == 0)
            c->ocr = BPX_OCR_NEVER;
        else
            return usage_error(error, "%s: '%s' is not auto, always or never", shown, v);
        return TRUE;
    case OPT_UNIT_ALIAS:
        if (!*v)
            return usage_error(error, "%s: an empty name", shown);
        set_string(&c->unit_alias, v);
        return TRUE;
    case OPT_CSV_BOM: c->csv_bom = TRUE; return TRUE;
    case OPT_CSV:
    case OPT_SQLITE:
    case OPT_EXPORT:
        if (!*v)
            return usage_error(error, "%s: an empty name", shown);
        set_string(o->id == OPT_CSV ? &c->csv_dir : o->id == OPT_SQLITE ? &c->sqlite_path : &c->export_dir, v);
        if (o->id == OPT_EXPORT && c->action == BPB_CLI_RUN)
            c->action = BPB_CLI_EXPORT;
        return TRUE;
    case OPT_REVIEW:
        if (!*v)
            return usage_error(error, "%s: an empty name", shown);
        set_string(&c->review_dir, v);
        return TRUE;
    case OPT_PASSWORD_FILE:
        if (!*v)
            return usage_error(error, "%s: an empty name", shown);
        set_string(&c->password_file, v);
        return TRUE;
    case OPT_JOBS:
        return int_option(shown, v, 1, BPB_CLI_MAX_JOBS, "documents at once", FALSE, &c->jobs, error);
    case OPT_MAX_PAGES:
        return int_option(shown, v, 1, BPB_CLI_MAX_PAGES, "pages", TRUE, &c->max_pages, error);
    case OPT_MAX_MEMORY:
        return int_option(shown, v, BPB_CLI_MIN_MEMORY_MIB, BPB_CLI_MAX_MEMORY_MIB, "MiB", TRUE,
                          &c->max_memory_mib, error);
    case OPT_FIRST:
        return int_option(shown, v, 1, BPB_CLI_MAX_PAGES, "a page", FALSE, &fl->first, error);
    case OPT_LAST:
        return int_option(shown, v, 1, BPB_CLI_MAX_PAGES, "a page", FALSE, &fl->last, error);
    case OPT_TIMEOUT: {
        char *end = NULL;
        errno = 0;
        double t = *v && !g_ascii_isspace(*v) ? g_ascii_strtod(v, &end) : NAN;
        if (!end || *end || errno || !isfinite(t) || t < 0 || t > BPB_CLI_MAX_TIMEOUT)
            return usage_error(error, "%s: '%s' is not a number of seconds from 0 to %.0f (0: no limit)", shown, v,
                               BPB_CLI_MAX_TIMEOUT);
        c->timeout = t;
        return TRUE;
    }
    case OPT_PAGES:
        if (!c->pages)
            c->pages = g_array_new(FALSE, FALSE, sizeof(bpb_page_range));
        if (!parse_pages(v, c->pages))
            return usage_error(error, "%s: '%s' is not a list of pages such as 3-7,12 (pages from 1 to %d)", shown,
                               v, BPB_CLI_MAX_PAGES);
        return TRUE;
    }
    return TRUE;
}

/* The option named by name (len bytes): exact, else a unique prefix. */
static const option_spec *find_long(const char *name, size_t len, gboolean *ambiguous)
{
    const option_spec *found = NULL;
    *ambiguous = FALSE;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *n = options[i].name;
        if (strncmp(n, name, len) != 0)
            continue;
        if (n[len] == 0)
            return &options[i];
        if (found)
            *ambiguous = TRUE;
        found = &options[i];
    }
    return *ambiguous ? NULL : found;
}

static const option_spec *find_short(char letter)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].letter && options[i].letter == letter)
            return &options[i];
    return NULL;
}

static gboolean check_combination(bpb_cli *c, const page_limits *fl, GError **error)
{
    gboolean dataset = c->csv_dir || c->sqlite_path;
    if (c->csv_bom && !c->csv_dir && c->action != BPB_CLI_HELP && c->action != BPB_CLI_VERSION)
        return usage_error(error, "--csv-bom needs --csv DATADIR");
    if (c->action == BPB_CLI_EXPORT) {
        if (c->n_inputs > 0 || c->output || c->ndjson)
            return usage_error(error, "--export DIR converts nothing: no input, -o or --ndjson");
        if (!dataset)
            return usage_error(error, "--export needs --csv DATADIR or --sqlite FILE");
        return TRUE;
    }
    if (c->action != BPB_CLI_RUN)
        return TRUE;
    if (c->n_inputs < 1)
        return usage_error(error, "no input (a PDF, a folder, or - for standard input)");
    if (c->pages && (fl->first || fl->last))
        return usage_error(error, "--pages and -f/-l: give one or the other");
    if (fl->first || fl->last) {
        if (fl->first && fl->last && fl->last < fl->first)
            return usage_error(error, "-l %d is before -f %d", fl->last, fl->first);
        c->pages = g_array_new(FALSE, FALSE, sizeof(bpb_page_range));
        bpb_page_range r = {fl->first ? fl->first : 1, fl->last};
        g_array_append_val(c->pages, r);
    }
    if (c->password && c->password_file)
        return usage_error(error, "--password and --password-file: give one or the other");
    gboolean to_stdout = !c->output || strcmp(c->output, "-") == 0;
    if (c->ndjson && !to_stdout)
        return usage_error(error, "--ndjson writes to standard output: no -o");
    if (dataset && (c->ndjson || to_stdout))
        return usage_error(error, "%s exports a folder of JSON: it needs -o DIR (not -o -, or --ndjson)",
                           c->csv_dir ? "--csv" : "--sqlite");
    if ((c->by_unit || c->resume) && to_stdout)
        return usage_error(error, c->by_unit ? "--by-unit needs -o DIR" : "--resume needs -o DIR");
    if (!c->ndjson && !c->review_dir && to_stdout && c->n_inputs > 1)
        return usage_error(error, "-o DIR (or --ndjson) is needed for several inputs");
    int stdin_inputs = 0;
    for (int i = 0; i < c->n_inputs; i++)
        stdin_inputs += strcmp(c->inputs[i], "-") == 0;
    if (stdin_inputs > 1)
        return usage_error(error, "- (standard input) is given %d times", stdin_inputs);
    if (c->review_dir && stdin_inputs)
        return usage_error(error, "--review draws the pages of a PDF file: - (standard input) cannot be reviewed");
    if (c->review_dir && c->output && strcmp(c->output, "-") == 0)
        return usage_error(error, "--review writes the JSON beside the review pages: -o - is not for it");
    return TRUE;
}

gboolean bpb_cli_parse(int argc, char *const *argv, bpb_cli *c, GError **error)
{
    memset(c, 0, sizeof *c);
    c->timeout = BPB_DEFAULT_TIMEOUT;
    c->max_memory_mib = BPB_DEFAULT_MAX_MEMORY_MIB;
    c->max_pages = BPB_DEFAULT_MAX_PAGES;
    c->mode = BPB_OUTPUT_STREAM;
    page_limits fl = {0, 0};
    GPtrArray *inputs = g_ptr_array_new();
    gboolean ok = TRUE, operands_only = FALSE;
    for (int i = 1; ok && i < argc; i++) {
        const char *a = argv[i];
        if (operands_only || a[0] != '-' || a[1] == 0) {
            g_ptr_array_add(inputs, g_strdup(a));
        } else if (strcmp(a, "--") == 0) {
            operands_only = TRUE;
        } else if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            gboolean ambiguous;
            const option_spec *o = find_long(name, len, &ambiguous);
            char *shown = g_strndup(a, (size_t)(name - a) + len);
            if (!o)
                ok = usage_error(error, ambiguous ? "option %s is ambiguous" : "unknown option %s", shown);
            else if (!o->value && eq)
                ok = usage_error(error, "option --%s takes no value", o->name);
            else if (o->value && !eq && i + 1 >= argc)
                ok = usage_error(error, "option --%s needs a value", o->name);
            else {
                g_free(shown);
                shown = g_strconcat("--", o->name, NULL);
                ok = set_option(c, &fl, o, shown, o->value ? (eq ? eq + 1 : argv[++i]) : NULL, error);
            }
            g_free(shown);
        } else {
            for (const char *p = a + 1; ok && *p; p++) {
                const option_spec *o = find_short(*p);
                char shown[3] = {'-', *p, 0};
                if (!o) {
                    ok = g_ascii_isprint(*p) ? usage_error(error, "unknown option -%c", *p)
                                             : usage_error(error, "unknown option in %s", a);
                } else if (!o->value) {
                    ok = set_option(c, &fl, o, shown, NULL, error);
                } else if (p[1]) {
                    ok = set_option(c, &fl, o, shown, p + 1, error);
                    break;
                } else if (i + 1 >= argc) {
                    ok = usage_error(error, "option -%c needs a value", *p);
                } else {
                    ok = set_option(c, &fl, o, shown, argv[++i], error);
                }
            }
        }
    }
    c->n_inputs = (int)inputs->len;
    g_ptr_array_add(inputs, NULL);
    c->inputs = (char **)g_ptr_array_free(inputs, FALSE);
    return ok && check_combination(c, &fl, error);
}

/* ---------------------------------------------------------------- resolve */

static gboolean is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first line of the file (without its line break), at most 4 KiB. */
static gboolean read_password(bpb_cli *c, GError **error)
{
    char *shown = bpb_name_display(c->password_file);
    int fd = open(c->password_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    gboolean ok = FALSE;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        usage_error(error, "%s: cannot read the password file: %s", shown, g_strerror(e));
    } else if (!S_ISREG(st.st_mode)) {
        usage_error(error, "%s: the password file is not a regular file", shown);
    } else {
        char buf[4097];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf - 1)) < 0 && errno == EINTR)
            ;
        if (n < 0) {
            int e = errno;
            usage_error(error, "%s: cannot read the password file: %s", shown, g_strerror(e));
        } else {
            buf[n] = 0;
            buf[strcspn(buf, "\r\n")] = 0;
            g_free(c->password);
            c->password = g_strdup(buf);
            ok = TRUE;
        }
    }
    if (fd >= 0)
        close(fd);
    g_free(shown);
    return ok;
}

gboolean bpb_cli_resolve(bpb_cli *c, GError **error)
{
    if (c->action != BPB_CLI_RUN)
        return TRUE;
    if (c->password_file && !read_password(c, error))
        return FALSE;
    gboolean to_stdout = !c->output || strcmp(c->output, "-") == 0;
    if (to_stdout && c->review_dir && !c->ndjson) {
        /* --review alone: the JSON goes beside the review pages only */
        if (c->by_unit)
            return usage_error(error, "--by-unit needs -o DIR");
        c->mode = BPB_OUTPUT_FILES;
        c->out_dir = g_strdup(c->review_dir);
        return TRUE;
    }
    if (to_stdout) {
        c->mode = BPB_OUTPUT_STREAM;
        if (!c->ndjson && is_folder(c->inputs[0]))
            return usage_error(error, "%s is a folder: -o DIR (or --ndjson) is needed to convert the PDFs in it",
                               c->inputs[0]);
        return TRUE;
    }
    gboolean file = g_str_has_suffix(c->output, ".json") || g_str_has_suffix(c->output, ".JSON");
    if (file && !is_folder(c->output)) {
        if (c->csv_dir || c->sqlite_path)
            return usage_error(error, "%s exports a folder of JSON: -o %s names a file", c->csv_dir ? "--csv" : "--sqlite",
                               c->output);
        if (c->by_unit)
            return usage_error(error, "--by-unit writes a folder of outputs: -o %s names a file", c->output);
        if (c->n_inputs != 1 || is_folder(c->inputs[0]))
            return usage_error(error, "-o %s names one file: give one PDF, or a folder for -o", c->output);
        c->mode = BPB_OUTPUT_FILES;
        c->out_file = g_strdup(c->output);
        return TRUE;
    }
    c->mode = c->by_unit ? BPB_OUTPUT_UNITS : BPB_OUTPUT_FILES;
    c->out_dir = g_strdup(c->output);
    return TRUE;
}

void bpb_cli_clear(bpb_cli *c)
{
    g_strfreev(c->inputs);
    g_free(c->output);
    g_free(c->out_dir);
    g_free(c->out_file);
    g_free(c->password);
    g_free(c->password_file);
    g_free(c->review_dir);
    g_free(c->unit_alias);
    g_free(c->csv_dir);
    g_free(c->sqlite_path);
    g_free(c->export_dir);
    if (c->pages)
        g_array_free(c->pages, TRUE);
    memset(c, 0, sizeof *c);
}
