/* batch/options.h — the command line of budgetpdf, parsed into a bpb_cli.
 *
 * main.c hands argv to bpb_cli_parse(), then bpb_cli_resolve(), and runs what
 * they return; it prints the errors (one line, then "Try 'budgetpdf --help'.")
 * and the help text of bpb_cli_usage().  Nothing here prints or exits, and
 * nothing keeps state between calls, so the parser can be fuzzed
 * (fuzz/fuzz_options.c).
 *
 * The syntax is GNU's: options and operands in any order; `--` ends the
 * options; `-` is an operand (standard input); a long option takes its value
 * as `--output=DIR` or `--output DIR` and may be shortened to any unique
 * prefix; short options cluster (`-qc`) and take their value attached or as
 * the next word (`-j4`, `-j 4`, `-oDIR`).  Every number is checked whole and
 * in range: a value that is not finite, or out of the range the message
 * names, is a usage error.
 *
 * Ownership: bpb_cli_clear() frees what a bpb_cli holds; bpb_cli_usage()
 * returns a string to g_free.  Errors: BPB_ERROR, BPB_ERROR_USAGE; the message
 * is one line, lower case, naming the option or the file.
 */
#ifndef BUDGETPDF_BATCH_OPTIONS_H
#define BUDGETPDF_BATCH_OPTIONS_H

#include "batch/batch.h"
#include "emit/emit.h"

#define BUDGETPDF_VERSION BPE_VERSION /* emit.h: every JSON records it */

/* budgetpdf's exit status (a process killed by a signal ends by that signal). */
typedef enum {
    BPB_EXIT_OK = 0,     /* every input converted (or, with --resume, already was) */
    BPB_EXIT_FAILED = 1, /* an input failed (the others were still converted), or
                            the output could not be written (stdout full, ...) */
    BPB_EXIT_USAGE = 2   /* bad command line */
} bpb_exit;

typedef enum {
    BPB_CLI_RUN,
    BPB_CLI_HELP,
    BPB_CLI_VERSION,
    BPB_CLI_EXPORT  /* --export DIR: the dataset (export/) from DIR's JSON alone */
} bpb_cli_action;

/* The ranges of the numbers the command line takes. */
#define BPB_CLI_MAX_JOBS 4096
#define BPB_CLI_MAX_TIMEOUT 1e6          /* seconds (11.6 days) */
#define BPB_CLI_MIN_MEMORY_MIB 16        /* poppler itself needs that much */
#define BPB_CLI_MAX_MEMORY_MIB 1048576   /* 1 TiB */
#define BPB_CLI_MAX_PAGES 1000000

typedef struct {
    bpb_cli_action action;
    char **inputs;          /* NULL-terminated; "-" is standard input */
    int n_inputs;
    char *output;           /* -o as given; NULL: none */
    /* bpb_cli_resolve(): where the JSON goes */
    bpb_output mode;
    char *out_dir;          /* FILES, UNITS */
    char *out_file;         /* FILES with one input and -o FILE.json */
    char *password;         /* --password, or read from --password-file */
    char *password_file;
    char *review_dir;       /* --review DIR; NULL: none */
    int ocr;                /* bpx_ocr_mode (extract.h); 0: BPX_OCR_AUTO */
    gboolean no_ocr_repair; /* --no-ocr-repair */
    char *unit_alias;       /* --unit-alias FILE; NULL: none (main.c reads it:
                               bpb_unit_aliases_read()) */
    gboolean compact, strict, resume, by_unit, ndjson, progress, quiet, follow_links;
    int jobs;               /* 0: the processors */
    double timeout;
    int max_memory_mib, max_pages;
    GArray *pages;          /* bpb_page_range; NULL: every page */
    /* the dataset of a folder of JSON (export/export.h): with -o DIR after the
     * batch, or alone with --export DIR */
    char *csv_dir, *sqlite_path, *export_dir;
    gboolean csv_bom;
} bpb_cli;

/* Parses argv (argv[0] is the program): the syntax, the numbers and the
 * combinations of options.  Touches no file.  *cli is overwritten; clear it
 * with bpb_cli_clear() whatever the result. */
gboolean bpb_cli_parse(int argc, char *const *argv, bpb_cli *cli, GError **error);

/* What needs the file system: whether -o names a folder, a file or standard
 * output, whether an input is a folder, and the password file. */
gboolean bpb_cli_resolve(bpb_cli *cli, GError **error);

void bpb_cli_clear(bpb_cli *cli);

/* The text of --help. */
char *bpb_cli_usage(void);

#endif
