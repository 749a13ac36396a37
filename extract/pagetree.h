/* pagetree — a long document's pages read through documents of a chunk of
 * its pages each, so that poppler's page cache stays the size of a chunk
 * (internal to extract).
 *
 * pagetree.c explains how the page tree is read without poppler and what a
 * chunk's document is.
 */
#ifndef BUDGETPDF_PAGETREE_H
#define BUDGETPDF_PAGETREE_H

#include <glib.h>
#include <stddef.h>

/* The pages of a PDF in memory, in order, as references to their page
 * objects, with the attributes each inherits from the nodes above it. */
typedef struct bpx_page_tree bpx_page_tree;

/* Reads the page tree of the PDF data[0 .. len) (not copied: the caller
 * keeps data while the tree is used).  NULL when the file is not one this
 * reader follows soundly (encrypted; a cross-reference table it cannot
 * read, or whose offsets do not lead to the objects they name; a page tree
 * with a loop, a direct kid or a node missing; a filter other than Flate);
 * the caller then reads the document whole.  Free with bpx_page_tree_free. */
bpx_page_tree *bpx_page_tree_read(const char *data, size_t len);
void bpx_page_tree_free(bpx_page_tree *t);

/* Number of pages the tree lists. */
int bpx_page_tree_count(const bpx_page_tree *t);

/* The incremental update that, appended to the file's bytes, makes it a
 * document of pages first .. first + n - 1 (0-based) only, in order: a new
 * catalog (the old one's entries but /Pages), a page tree of those pages,
 * its cross-reference section and trailer.  Owned by the caller. */
GBytes *bpx_page_tree_chunk(const bpx_page_tree *t, int first, int n);

/* The incremental update that makes the file a document of page index
 * (0-based) alone, shown turned clockwise by turn degrees more than it is
 * (its /Rotate raised by turn): a page whose text runs down or up it read
 * upright by poppler, whose text layout then follows its lines.  NULL when
 * the page's /Rotate is not a plain number.  Owned by the caller. */
GBytes *bpx_page_tree_upright(const bpx_page_tree *t, int index, int turn);

#endif
