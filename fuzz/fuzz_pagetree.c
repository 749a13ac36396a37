/* fuzz_pagetree.c — libFuzzer target for the page-tree reader that lets a
 * long document be read in chunks (extract/pagetree.c): bpx_page_tree_read
 * on PDF bytes, then the update of a few chunks of what it read.
 *
 * The reader parses whatever the file says (cross-reference tables and
 * streams along /Prev, object streams, Flate, predictors, the page tree),
 * before poppler sees it.  Oracle, beyond crashes, leaks and sanitizer
 * reports: a tree read lists at least one page, and each chunk's update is
 * a cross-reference section with its trailer, ending in %%EOF.  Seeds:
 * fixtures/pdf and the small PDFs of fuzz/make_seeds.py. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "extract/pagetree.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_update(GBytes *update)
{
    gsize len = 0;
    const char *u = g_bytes_get_data(update, &len);
    static const char eof[] = "%%EOF\n";
    if (len < sizeof eof || memcmp(u + len - (sizeof eof - 1), eof, sizeof eof - 1) != 0)
        fuzz_fail("a chunk's update does not end in %%EOF");
    gboolean trailer = FALSE;
    for (gsize i = 0; i + 7 <= len && !trailer; i++)
        trailer = memcmp(u + i, "trailer", 7) == 0;
    if (!trailer)
        fuzz_fail("a chunk's update has no trailer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpx_page_tree *t = bpx_page_tree_read((const char *)data, size);
    if (!t)
        return 0;
    int n = bpx_page_tree_count(t);
    if (n < 1)
        fuzz_fail("a page tree read with no page");
    const int firsts[] = {0, n / 2, n - 1};
    for (int k = 0; k < 3; k++) {
        GBytes *update = bpx_page_tree_chunk(t, firsts[k], n - firsts[k] < 3 ? n - firsts[k] : 3);
        check_update(update);
        g_bytes_unref(update);
    }
    bpx_page_tree_free(t);
    return 0;
}
