/* export — from a folder of budgetpdf JSON to a dataset: a Frictionless
 * tabular data package (CSV files and datapackage.json), a SQLite database,
 * and the report of a batch.
 *
 * The exporter reads budgetpdf's JSON output (the output format is its
 * contract), never a PDF: bpd_export() walks a folder for every budgetpdf
 * JSON in it (subfolders included; dot folders, the batch report and files
 * that are not budgetpdf documents left out), in path order, and writes
 *   facts.csv      one row per amount cell of every table kept
 *   documents.csv  one row per PDF (which of its tables were kept, and why)
 *   tables.csv     one row per table (kept or a duplicate of which)
 *   checks.csv     the documents' arithmetic checks (the tables' and the
 *                  绩效自评表 forms') and the cross-year prior_year
 *                  comparisons the exporter makes
 *   indicators.csv one row per performance indicator of the forms
 *   execution.csv  one row per source of funds of a 绩效自评表's budget
 *                  execution block
 * as CSV (RFC 4180, UTF-8, CRLF) with datapackage.json describing every
 * field, and/or as the same six tables in one SQLite database.
 * export/datapackage.c holds the fields of each table (the one place that
 * says what a column is); export/export.c reads and decides, csv.c and
 * sqlite.c write.
 *
 * Memory is flat in the number of documents: a first pass keeps a small
 * index per document (identity, the key of each table, counts), a second
 * pass reads each document again and streams its rows out; only the
 * documents of the previous year of one unit are read a third time, for the
 * prior_year comparisons.
 *
 * Nothing here prints or exits; errors come back as GError (BPD_ERROR).
 * Outputs are written under temporary names and renamed once complete.
 */
#ifndef BUDGETPDF_EXPORT_H
#define BUDGETPDF_EXPORT_H

#include <glib.h>

#define BPD_ERROR (bpd_error_quark())
GQuark bpd_error_quark(void);

typedef enum {
    BPD_ERROR_INPUT,  /* the JSON folder cannot be read */
    BPD_ERROR_OUTPUT, /* a CSV file, datapackage.json or the database cannot be written */
    BPD_ERROR_SQLITE  /* SQLite refused a statement */
} bpd_error_code;

/* The name of the batch report in an output folder; an input whose own
 * output would take this name is refused by the batch. */
#define BPD_REPORT_BASE "budgetpdf-report"
#define BPD_REPORT_NAME BPD_REPORT_BASE ".json"

typedef struct {
    const char *csv_dir;     /* the data package's folder (made when missing); NULL: none */
    gboolean csv_bom;        /* a UTF-8 byte-order mark at the start of each CSV (Excel) */
    const char *sqlite_path; /* the database (replaced); NULL: none */
} bpd_options;

typedef struct {
    guint files;            /* budgetpdf JSON files read */
    guint ignored;          /* other .json files left out */
    guint documents;        /* PDFs (a by-unit file holds several) */
    guint tables, tables_dropped; /* tables, and those left out as duplicates */
    guint64 facts;
    guint checks, prior_year;     /* rows of checks.csv, and how many are prior_year */
    guint indicators;
    guint execution;        /* rows of execution.csv (绩效自评表 sources of funds) */
} bpd_totals;

/* Builds the dataset from every budgetpdf JSON under json_dir.  totals may be
 * NULL.  FALSE with *error set when something could not be written (what was
 * there before is then left as it was). */
gboolean bpd_export(const char *json_dir, const bpd_options *o, bpd_totals *totals, GError **error);

/* The report of one batch, DIR/budgetpdf-report.json: every input with its
 * status, error, warnings and failed checks (by table, row and column).
 * bpd_report_add() reads the input's output JSON at once (a by-unit part
 * is gone by the end) and keeps only what the report needs. */
typedef struct bpd_report bpd_report;

/* Opens tmp_path to write the report into as the batch goes; the report is
 * path once bpd_report_write() has completed it (bpd_report_free() before
 * that removes tmp_path).  NULL with *error set when tmp_path cannot be made. */
bpd_report *bpd_report_new(const char *tmp_path, const char *path, GError **error);
/* status: "converted", "skipped", "failed"; error may be NULL.  json: the
 * input's JSON as written (read at once for its unit, year, warnings and
 * failed checks), NULL when none was; digest: when not NULL, the text read
 * instead of the file json (bpe_document_digest: those members only, so that
 * a long document's output is not parsed whole); output: the file that holds
 * it for the user (NULL with --by-unit, where the merged file is named by unit
 * and year). */
void bpd_report_add(bpd_report *r, const char *input, const char *status, const char *error,
                    const char *json, const char *digest, const char *output, int pages);
/* Completes the report, syncs it and renames it into place (once). */
gboolean bpd_report_write(bpd_report *r, GError **error);
void bpd_report_free(bpd_report *r);

#endif
