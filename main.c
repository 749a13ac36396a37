/* main.c — budgetpdf's command line: the only file that talks to the user.
 * A thin loop over the library: extract → normalize → emit, per input. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emit/emit.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

#define BUDGETPDF_VERSION "0.1.0"

typedef enum {
    EXIT_OK = 0,     /* every input converted */
    EXIT_FAILED = 1, /* at least one input failed (the others were still converted) */
    EXIT_USAGE = 2   /* bad command line */
} exit_code;

static const char usage[] =
    "usage: budgetpdf [options] FILE.pdf\n"
    "       budgetpdf [options] -o DIR FILE.pdf...\n"
    "\n"
    "Converts Chinese budget-disclosure PDFs (部门预算/单位预算) into JSON.\n"
    "With one input and no -o, prints the JSON on standard output; with -o,\n"
    "writes DIR/<name>.json for each input (atomically).\n"
    "\n"
    "options:\n"
    "  -o, --output DIR     write one JSON file per input into DIR\n"
    "      --password PW    password of encrypted PDFs\n"
    "      --compact        one-line JSON\n"
    "      --strict         a failed arithmetic check fails the input (exit 1)\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "\n"
    "exit status: 0 all converted, 1 some input failed, 2 usage error\n";

typedef struct {
    const char *out_dir;
    const char *password;
    gboolean compact;
    gboolean strict;
} cli_options;

/* Converts one PDF into a JSON string; NULL with *error set on failure. */
static char *convert(const char *path, const cli_options *o, GError **error)
{
    bpx_options xo = {.password = o->password};
    bpx_document *src = bpx_document_load(path, &xo, error);
    if (!src)
        return NULL;
    bpn_document *doc = bpn_document_build(src, error);
    bpx_document_free(src);
    if (!doc)
        return NULL;
    char *json = bpe_document_json(doc, o->compact ? BPE_FORMAT_LINE : BPE_FORMAT_PRETTY, error);
    guint failed = 0;
    for (guint i = 0; i < doc->checks->len; i++)
        failed += !((bpn_check *)doc->checks->pdata[i])->ok;
    /* --strict: the JSON is still written, the input counts as failed */
    if (json && o->strict && failed)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%u arithmetic check%s failed (--strict)", failed,
                    failed == 1 ? "" : "s");
    bpn_document_free(doc);
    return json;
}

/* DIR/<base name without .pdf>.json */
static char *output_path(const char *dir, const char *input)
{
    char *base = g_path_get_basename(input);
    size_t n = strlen(base);
    if (n > 4 && g_ascii_strcasecmp(base + n - 4, ".pdf") == 0)
        base[n - 4] = 0;
    char *name = g_strconcat(base, ".json", NULL);
    char *path = g_build_filename(dir, name, NULL);
    g_free(base);
    g_free(name);
    return path;
}

/* Writes under a temporary name in the same folder and renames, so a
 * killed run never leaves half a file. */
static gboolean write_atomically(const char *path, const char *text, GError **error)
{
    char *dir = g_path_get_dirname(path);
    char *tmpl = g_build_filename(dir, ".budgetpdf-XXXXXX", NULL);
    g_free(dir);
    int fd = g_mkstemp(tmpl);
    if (fd < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write %s: %s", path,
                    g_strerror(errno));
        g_free(tmpl);
        return FALSE;
    }
    size_t len = strlen(text), done = 0;
    gboolean ok = TRUE;
    while (done < len && ok) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        done += ok ? (size_t)w : 0;
    }
    ok = ok && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (ok && g_rename(tmpl, path) != 0)
        ok = FALSE;
    if (!ok) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write %s: %s", path,
                    g_strerror(errno));
        g_unlink(tmpl);
    }
    g_free(tmpl);
    return ok;
}

/* Converts every input; a failed input is reported and the others go on. */
static exit_code convert_all(int n, char **inputs, const cli_options *o)
{
    exit_code status = EXIT_OK;
    GError *err = NULL;
    for (int i = 0; i < n; i++) {
        char *json = convert(inputs[i], o, &err);
        if (json && o->out_dir) {
            char *path = output_path(o->out_dir, inputs[i]);
            write_atomically(path, json, &err);
            g_free(path);
        } else if (json) {
            fputs(json, stdout);
            fputc('\n', stdout);
        }
        if (err) {
            fprintf(stderr, "budgetpdf: %s: %s\n", inputs[i], err->message);
            g_clear_error(&err);
            status = EXIT_FAILED;
        }
        g_free(json);
    }
    return status;
}

int main(int argc, char **argv)
{
    cli_options o = {0};
    gboolean help = FALSE, version = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_dir, NULL, NULL},
        {"password", 0, 0, G_OPTION_ARG_STRING, &o.password, NULL, NULL},
        {"compact", 0, 0, G_OPTION_ARG_NONE, &o.compact, NULL, NULL},
        {"strict", 0, 0, G_OPTION_ARG_NONE, &o.strict, NULL, NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, NULL, NULL},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &version, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "budgetpdf: %s\n%s", err->message, usage);
        g_error_free(err);
        g_option_context_free(ctx);
        g_free((char *)o.out_dir);
        g_free((char *)o.password);
        return EXIT_USAGE;
    }
    g_option_context_free(ctx);
    exit_code status = EXIT_OK;
    if (help) {
        fputs(usage, stdout);
    } else if (version) {
        printf("budgetpdf %s\n", BUDGETPDF_VERSION);
    } else if (argc < 2 || (argc > 2 && !o.out_dir)) {
        fprintf(stderr, "budgetpdf: %s\n%s", argc < 2 ? "no input" : "-o DIR is needed for several inputs", usage);
        status = EXIT_USAGE;
    } else if (o.out_dir && !g_file_test(o.out_dir, G_FILE_TEST_IS_DIR) &&
               g_mkdir_with_parents(o.out_dir, 0777) != 0) {
        fprintf(stderr, "budgetpdf: %s: cannot create output folder: %s\n", o.out_dir, g_strerror(errno));
        status = EXIT_FAILED;
    } else {
        status = convert_all(argc - 1, argv + 1, &o);
    }
    g_free((char *)o.out_dir);
    g_free((char *)o.password);
    return status;
}
