/* filemap — a PDF file's bytes for poppler, mapped rather than read
 * (internal to extract).
 *
 * A file read whole stays in the heap for as long as poppler reads it: its
 * size, whatever part of it the pages read so far needed.  A file mapped
 * read-only costs only the parts touched, and bpx_file_bytes_release()
 * drops those from the process's memory between chunks of a long document
 * (extract.c): the kernel reads them back, from its page cache, when
 * poppler comes to them again.  A file that cannot be mapped (empty, not
 * a regular file, a system without mmap) is read whole as before.
 * The file must not shrink while it is read: a mapped page beyond its new
 * end faults (SIGBUS), where a file read whole would have been read as it
 * was. */
#ifndef BUDGETPDF_FILEMAP_H
#define BUDGETPDF_FILEMAP_H

#include <glib.h>
#include <stddef.h>

typedef struct {
    char *data;       /* the file's bytes (read-only when mapped) */
    size_t len;
    gboolean mapped;  /* mapped; else read into the heap (g_free'd) */
} bpx_file_bytes;

/* The file at path; FALSE with *error (a message fit for the user). */
gboolean bpx_file_bytes_open(const char *path, bpx_file_bytes *f, GError **error);
/* Drops the mapped pages from memory (nothing for a file read whole). */
void bpx_file_bytes_release(const bpx_file_bytes *f);
void bpx_file_bytes_close(bpx_file_bytes *f);

#endif
