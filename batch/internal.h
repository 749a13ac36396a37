/* batch/internal.h — what the files of batch/ share; not part of the interface
 * (batch.h is).
 *
 * Ownership: every structure here belongs to the bpb_inputs or the run that
 * made it; functions returning char * or cJSON * hand over ownership (g_free,
 * cJSON_Delete).
 */
#ifndef BUDGETPDF_BATCH_INTERNAL_H
#define BUDGETPDF_BATCH_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <sys/types.h>

#include "batch/batch.h"
#include "normalize/normalize.h"

/* The folder of parts under DIR in BPB_OUTPUT_UNITS. */
#define BPB_PARTS_DIR ".budgetpdf-parts"
/* The lock of a by-unit output folder (io.c). */
#define BPB_LOCK_FILE ".budgetpdf.lock"
/* DIR/<BPB_UNKNOWN_DIR>/<name>.json: documents without unit or year. */
#define BPB_UNKNOWN_DIR "unknown"

typedef struct {
    char *path;   /* as given, or as found under a folder argument */
    char *name;   /* output name under DIR, without ".json" */
    char *error;  /* a problem met while collecting: the input fails with it */
    gint64 size;  /* bytes, for the dispatch order; 0 when unknown */
    GBytes *data; /* "-": standard input, read whole; NULL for a file */
} bpb_input;

struct bpb_inputs {
    GPtrArray *items;    /* bpb_input* */
    GPtrArray *warnings; /* bpb_warning*: bpb_inputs_warnings() */
};

/* What a worker tells the parent, written to its pipe as this header and then
 * error_len + unit_len + json_len + digest_len bytes (error, unit, JSON,
 * digest; no terminators).  The JSON is sent in STREAM only; the digest
 * (bpe_document_digest) with the JSON written to a file, for the report. */
typedef struct {
    uint32_t magic;         /* BPB_WIRE_MAGIC */
    int32_t status;         /* bpb_status */
    int32_t pages;
    int32_t checks_failed;
    int32_t ocr_pages;      /* pages read by OCR */
    int32_t year;           /* UNITS: the document's year; 0 when none */
    int32_t empty;          /* bpb_result.empty */
    int32_t ocr_pages_lent; /* bpb_result.ocr_pages_lent */
    char sha256[65];        /* UNITS: the part DIR/.budgetpdf-parts/<sha256>.json
                               to merge; empty when there is none */
    uint32_t error_len, unit_len, json_len, digest_len;
} bpb_wire;

#define BPB_WIRE_MAGIC 0x62706277u

/* spare.c — the processors lent to workers (spare.c says how).  A pool is
 * shared by the parent and its workers (mapped before any fork);
 * bpb_spare_new() returns NULL when it cannot be made (nothing is lent). */
typedef struct bpb_spare bpb_spare;
bpb_spare *bpb_spare_new(guint n_slots);
void bpb_spare_free(bpb_spare *s);
/* Parent: how many processors may be lent now. */
void bpb_spare_allow(bpb_spare *s, int n);
/* Parent: the worker in slot is gone; what it held is lent no more. */
void bpb_spare_forget(bpb_spare *s, guint slot);
/* How many are lent now. */
int bpb_spare_lent(const bpb_spare *s);
/* A worker's side: bpx_lender's take and give, user a bpb_lend. */
typedef struct {
    bpb_spare *spare;
    guint slot;
    int max_held; /* processors this worker may hold at once; < 0: no limit */
} bpb_lend;
gboolean bpb_spare_take(void *user);
void bpb_spare_give(void *user);

/* What a worker needs besides the options; owned by the run. */
typedef struct {
    const bpb_input *input;
    const char *output;      /* FILES: DIR/<name>.json */
    const char *parts_dir;   /* UNITS: DIR/.budgetpdf-parts */
    GHashTable *merged_sha;  /* UNITS with resume: sha256 already in a DIR/<year>/<unit>.json */
    bpb_lend lend;           /* spare NULL: nothing is lent to this worker */
} bpb_job;

/* worker.c — runs in the child: converts job->input and writes the result
 * record (and the JSON, in STREAM) to fd.  Never returns an error: every
 * failure is a result. */
void bpb_worker(const bpb_job *job, const bpb_options *o, int fd);

/* worker.c — runs in the child: writes (index, pages) int32 pairs to fd for
 * every input, in the order given (pages -1 when the PDF does not open). */
void bpb_page_counter(const bpb_inputs *in, const guint *order, guint n, const char *password, int fd);

/* review.c — runs in the worker: writes the review of doc (its page
 * pictures, o->review_dir/<name>.html and, unless json_written is that very
 * file, o->review_dir/<name>.json holding json). */
gboolean bpb_write_review(const char *pdf, const char *name, const bpb_options *o, const bpn_document *doc,
                          const char *json, const char *json_written, GError **error);

/* io.c */
/* write(2) until done (EINTR retried); FALSE on error. */
gboolean bpb_write_all(int fd, const void *data, size_t len);
/* The temporary file that bpb_write_atomically() uses in dir for process pid;
 * the parent removes a dead worker's with it. */
char *bpb_temp_path(const char *dir, pid_t pid);
/* Writes text and a newline under a temporary name next to path, syncs and
 * renames it to path; makes path's folder when missing. */
gboolean bpb_write_atomically(const char *path, const char *text, size_t len, GError **error);
/* The same in pieces, for a text written as it is made: bpb_atomic_open()
 * makes the temporary file (NULL with *error when it cannot), bpb_atomic_write()
 * (a bpe_write_fn) appends to it, bpb_atomic_commit() adds the newline, syncs,
 * renames and frees (FALSE with *error when a write or the rename failed:
 * the temporary file is removed), bpb_atomic_abandon() removes and frees. */
typedef struct bpb_atomic bpb_atomic;
bpb_atomic *bpb_atomic_open(const char *path, GError **error);
gboolean bpb_atomic_write(const char *data, size_t len, void *atomic);
gboolean bpb_atomic_commit(bpb_atomic *a, GError **error);
/* FALSE once a write to a failed. */
gboolean bpb_atomic_ok(const bpb_atomic *a);
void bpb_atomic_abandon(bpb_atomic *a);
/* Removes the temporary files (bpb_temp_path) that dead processes left in dir
 * (a run killed mid-write: SIGKILL, a power cut).  Returns how many. */
guint bpb_remove_stale_temps(const char *dir);
/* Locks DIR for one UNITS run: returns the descriptor that holds the lock,
 * or -1 with BPB_ERROR_LOCKED when another run holds it (the message names
 * its pid). */
int bpb_lock_folder(const char *dir, GError **error);
/* Removes the lock file and releases the lock (fd < 0: nothing). */
void bpb_unlock_folder(const char *dir, int fd);
/* The whole of a JSON file, parsed; NULL when unreadable or not JSON. */
cJSON *bpb_read_json(const char *path);
/* sha256 of a file as 64 hex digits; NULL when unreadable. */
char *bpb_file_sha256(const char *path);
/* TRUE when this version of budgetpdf wrote doc (its budgetpdf_version). */
gboolean bpb_json_current(const cJSON *doc);
/* TRUE when this version wrote doc and its "source" (an object, or a by-unit
 * list) records sha256. */
gboolean bpb_json_has_source(const cJSON *doc, const char *sha256);

/* merge.c — BPB_OUTPUT_UNITS */
typedef struct {
    int year;
    char *unit;    /* as printed by the first document of the unit */
    char *sha256;  /* the part */
    const bpb_input *input;
    guint index;   /* the input's, for the order of the merge */
} bpb_part;

/* Every sha256 that a by-unit output under dir records (for resume). */
GHashTable *bpb_units_index(const char *dir);
/* Merges the parts of this run into DIR/<year>/<unit>.json (and DIR/unknown/),
 * reporting failures through o->report; removes the merged parts.  parts:
 * bpb_part*, in any order (they are sorted by input).  Returns the number of outputs that failed. */
guint bpb_units_merge(GPtrArray *parts, const bpb_options *o, bpb_totals *totals);
/* Merges by-unit documents: `source` becomes (or stays) a list, list members
 * are concatenated in order, the others take the first non-null value.  Takes
 * ownership of nothing; returns a new document. */
cJSON *bpb_merge_documents(cJSON *const *docs, guint n);

#endif
