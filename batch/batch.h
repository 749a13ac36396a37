/* batch — converts many PDFs at once, each in a worker process of its own.
 *
 * The caller gathers its inputs with bpb_inputs_collect() (files, and folders
 * walked for *.pdf) and runs them with bpb_run().  bpb_run() forks one worker
 * process per document, at most `jobs` at a time; the worker converts its
 * document (extract → normalize → emit), writes the JSON itself, atomically,
 * or hands it back through a pipe, and reports a small result record.  The
 * calling process never opens a PDF with poppler, so forking it is safe, and
 * a worker that crashes, is killed or runs out of time costs its own document
 * only.
 *
 * Processors left over lend themselves: once no document waits to start
 * and fewer than `jobs` workers run, a worker reading a scanned document
 * reads its next OCR pages at the same time in child processes of its own,
 * one per processor it takes from the batch's shared count (batch/spare.c,
 * extract/ahead.c).  A worker therefore may fork: children that read one
 * page each, die with it, and are reaped before it ends.  The outputs are
 * the same as without (with `jobs` 1 nothing is ever lent).
 *
 * Nothing here prints, nor exits the caller's process (a worker, a process of
 * the library's own, ends with exit() once its result is sent).  Whatever the
 * user should hear about reaches the caller's bpb_report_fn: a document done
 * (converted, skipped by --resume, or failed with the reason) and, every tick,
 * the running totals.  Interruption is the caller's: it hands bpb_run() a file
 * descriptor that becomes readable when the batch should stop (a signal's
 * self-pipe).
 *
 * Outputs (bpb_output):
 *   STREAM  each document's JSON goes to the report callback (stdout, NDJSON);
 *   FILES   DIR/<name>.json per input: the input's base name, or for a file
 *           found in a folder argument its path under that folder;
 *   UNITS   DIR/<year>/<unit>.json per unit and year, merging the documents of
 *           the unit (batch/merge.c says how); documents that state no unit or
 *           no year go to DIR/unknown/<name>.json.  Each document is first
 *           written to DIR/.budgetpdf-parts/<sha256>.json; the merge runs once
 *           every worker is done and removes the parts.  An interrupted run
 *           leaves them for --resume.  One UNITS run at a time per DIR: a run
 *           holds a lock on DIR/.budgetpdf.lock (flock, released by the
 *           kernel when the run and its workers are gone, even killed), and a
 *           second run fails at once with BPB_ERROR_LOCKED.
 * With `resume`, an input whose output already records its sha256 is skipped
 * (FILES: DIR/<name>.json; UNITS: any DIR/<year>/<unit>.json, or a part).
 * Every run first removes the temporary files that a killed run left where
 * it writes (their process gone), so that a batch killed at any moment and
 * run again with `resume` ends with whole outputs and nothing else.
 *
 * Ownership: bpb_inputs_collect() returns a list the caller frees with
 * bpb_inputs_free().  The bpb_result and bpb_totals handed to the callback,
 * and everything they point to, live for the duration of the call only.
 * Errors come back as GError (domain BPB_ERROR).
 */
#ifndef BUDGETPDF_BATCH_H
#define BUDGETPDF_BATCH_H

#include <glib.h>

#define BPB_ERROR (bpb_error_quark())
GQuark bpb_error_quark(void);

typedef enum {
    BPB_ERROR_OUTPUT, /* the output folder cannot be made or read */
    BPB_ERROR_SYSTEM, /* pipe, fork or poll failed */
    BPB_ERROR_USAGE,  /* the command line (options.h) */
    BPB_ERROR_LOCKED  /* UNITS: another run writes the same output folder */
} bpb_error_code;

/* The inputs of a batch, in the order given (inputs.c says how folders are
 * walked).  A folder contributes its PDFs: files named *.pdf (any case) and
 * files that start with %PDF- within their first 1024 bytes whatever their
 * name, sorted by path.  "-" is standard input, read whole at collection.
 * Symbolic links in a folder are followed only when they stay inside the
 * folder argument, unless BPB_COLLECT_FOLLOW_LINKS; a link left out is a
 * warning.  An input that cannot be read (a folder, a link loop, a missing
 * file) or a folder without PDF becomes an input that fails with the reason. */
typedef struct bpb_inputs bpb_inputs;

typedef enum {
    BPB_COLLECT_FOLLOW_LINKS = 1 << 0 /* follow every symbolic link in folders */
} bpb_collect_flags;

bpb_inputs *bpb_inputs_collect(char *const *args, int n, bpb_collect_flags flags);
guint bpb_inputs_count(const bpb_inputs *in);
/* What the collection noticed without failing an input (a link not
 * followed): bpb_warning*, owned by in; paths raw, as bytes. */
typedef struct {
    char *path;
    char *reason;
} bpb_warning;
const GPtrArray *bpb_inputs_warnings(const bpb_inputs *in);
void bpb_inputs_free(bpb_inputs *in);

/* names.c — a file name (bytes) as UTF-8: itself when valid UTF-8
 * (*encoding "utf-8"), else decoded as GB18030 ("gb18030"), else with the
 * invalid bytes written \xNN ("escaped").  *encoding is a static string;
 * encoding may be NULL.  Returns a string to g_free. */
char *bpb_name_decode(const char *bytes, const char **encoding);
/* The same for a message on a terminal: control characters (newline, escape,
 * C1) are written as escapes too. */
char *bpb_name_display(const char *bytes);

/* A range of pages, from 1; last 0: to the end of the document. */
typedef struct {
    int first, last;
} bpb_page_range;

typedef enum {
    BPB_OUTPUT_STREAM,
    BPB_OUTPUT_FILES,
    BPB_OUTPUT_UNITS
} bpb_output;

typedef enum {
    BPB_CONVERTED, /* JSON written (FILES, UNITS) or in bpb_result.json (STREAM) */
    BPB_SKIPPED,   /* resume: the output already holds this input's content */
    BPB_FAILED     /* bpb_result.error says why; with `strict` and failed checks,
                      the JSON was still written or handed over */
} bpb_status;

typedef struct {
    const char *input;  /* as given, or as found in a folder; for a failed
                           by-unit merge, the merged file */
    bpb_status status;
    const char *error;  /* BPB_FAILED: the reason, without the input's name */
    int pages;          /* the document's pages; 0 when it was not read */
    int checks_failed;  /* arithmetic checks that failed */
    int ocr_pages;      /* pages read by OCR (extract/ocr.c) */
    int ocr_pages_lent; /* of them, read on a processor lent to the worker */
    const char *output; /* FILES: the file written; otherwise NULL */
    const char *json;   /* STREAM: the document (no trailing newline); else NULL */
    gboolean empty;     /* converted, but nothing found: no table, form, headline
                           figure or section (scanned pages, say) */
} bpb_result;

typedef struct {
    guint documents;        /* in the batch */
    guint converted, skipped, failed;
    guint64 pages;          /* pages read in this run (converted or failed by `strict`) */
    guint64 pages_total;    /* count_pages: pages of the whole batch, skipped
                               inputs excluded; an estimate until pages_exact */
    gboolean pages_exact;
    guint checks_failed;
    guint empty;            /* converted documents in which nothing was found */
    guint ocr_documents;    /* documents with at least one page read by OCR */
    guint64 ocr_pages_lent; /* pages read by OCR on lent processors (bpb_run) */
    guint64 peak_memory;    /* bytes: the largest peak resident memory of a
                               worker so far (to choose max_memory by); of a
                               worker's children too, each alone (wait4) */
    double seconds;         /* since bpb_run() started */
    gboolean interrupted;   /* cancel_fd fired: documents not done are left as they were */
} bpb_totals;

/* result == NULL: a tick (or the final totals, with `final` set). */
typedef void (*bpb_report_fn)(const bpb_result *result, const bpb_totals *totals, gboolean final,
                              void *user);

/* Limits per document, with defaults a caller may override at build time
 * (cJSON style).  The command line starts from these; 0 means no limit. */
#ifndef BPB_DEFAULT_TIMEOUT
#define BPB_DEFAULT_TIMEOUT 600.0       /* seconds per document */
#endif
#ifndef BPB_DEFAULT_MAX_MEMORY_MIB
#define BPB_DEFAULT_MAX_MEMORY_MIB 1024 /* resident memory of a worker */
#endif
#ifndef BPB_DEFAULT_MAX_PAGES
#define BPB_DEFAULT_MAX_PAGES 5000      /* pages per document */
#endif
/* How often the parent looks at a worker's memory, in ms. */
#ifndef BPB_MEMORY_SAMPLE_MS
#define BPB_MEMORY_SAMPLE_MS 50
#endif

typedef struct {
    bpb_output output;
    const char *out_dir;    /* FILES, UNITS; made when missing */
    const char *out_file;   /* FILES with one input: its output, instead of
                               out_dir/<name>.json (out_dir is then unused) */
    const bpb_page_range *pages; /* only these pages; NULL: every page */
    guint n_pages_ranges;
    int jobs;               /* documents at once; 0: the number of processors */
    const char *password;   /* NULL: none */
    gboolean compact;       /* one-line JSON (STREAM hands one line per document) */
    gboolean strict;        /* a failed arithmetic check fails the document */
    gboolean resume;        /* skip inputs whose output records the same sha256 */
    gboolean count_pages;   /* count every input's pages ahead, for pages_total */
    /* --unit-alias: the key (bpn_unit_key) of a unit name as printed -> the
     * name to use instead; each document's unit_key, and so its --by-unit
     * group, is then the key of the name to use.  NULL: none. */
    GHashTable *unit_aliases;
    int ocr;                /* bpx_ocr_mode: which pages are read by OCR */
    gboolean no_ocr_repair; /* OCR's readings kept as read (bpn_builder_set_ocr_repair) */
    /* Limits.  Exceeding one fails the document with an error naming it.
     * timeout: the worker is killed at the deadline.  max_memory: the parent
     * reads each worker's resident memory (with its children's: the pages
     * they still share with it counted twice; not in sanitizer builds) every
     * BPB_MEMORY_SAMPLE_MS and kills it above the limit; so that a burst
     * faster than that cannot exhaust the machine, the worker's address space is also capped (setrlimit
     * RLIMIT_AS, at 2 x max_memory + 256 MiB; not in sanitizer builds, whose
     * shadow memory needs terabytes of address space), and an allocation
     * refused there ends the worker like a crash.  max_pages: checked when
     * the PDF is opened, before any page is read. */
    double timeout;         /* seconds a document may take; 0: no limit */
    guint64 max_memory;     /* bytes of resident memory per worker; 0: no limit */
    int max_pages;          /* pages per document; 0: no limit */
    int cancel_fd;          /* stop when readable; -1: never */
    int tick_ms;            /* report totals this often; 0: only with results */
    const char *review_dir; /* NULL, or a folder for each document's review page:
                               DIR/<name>.html, DIR/<name>.json beside it and
                               its page pictures in DIR/<name>.pages/ */
    bpb_report_fn report;   /* may be NULL */
    void *user;
} bpb_options;

/* Reads a --unit-alias file: UTF-8 lines "name as printed<TAB>name to use";
 * empty lines and lines starting with # are skipped.  Returns the table for
 * bpb_options.unit_aliases (free with g_hash_table_unref), or NULL with
 * *error set (unreadable file, a line without a tab, a name without a key). */
GHashTable *bpb_unit_aliases_read(const char *path, GError **error);

/* Runs the batch.  Returns FALSE with *error set only when the batch could not
 * run at all (output folder, pipe, fork); per-document failures are reported
 * through the callback and counted in *totals (which may be NULL). */
gboolean bpb_run(const bpb_inputs *in, const bpb_options *opts, bpb_totals *totals, GError **error);

#endif
