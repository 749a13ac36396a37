/* ahead.c — scanned pages read by OCR ahead of their turn, in child
 * processes, on processors the caller lends (bpx_options.lender).
 *
 * A page read by OCR costs 1.5-2 s of processor time; everything else a
 * page costs is a few ms.  A document is read one page after the other,
 * because the reading of a page carries state to the next (the page plan's
 * guess, the pale-rule hint, the text-layer probe: extract.c, read_page),
 * but the OCR of a page depends on that page alone: bpx_ocr_read_page()
 * reads the page's rendering, and replaces every field of the page but its
 * number.  So its OCR can be done anywhere, early, and taken when the page's
 * turn comes.  How:
 *
 *   1. When a page is about to be read by OCR (read_page decided so from its
 *      text layer and rendering, as without lending), bpx_ahead_lend() looks
 *      at the pages after it, at most BPX_AHEAD_PAGES ahead, while the
 *      lender hands over processors (take): a page that looks scanned
 *      (bpx_ocr_likely: next to no text layer; any page with --ocr always)
 *      gets a child (read_in_child), forked from this process, which reads
 *      it by OCR exactly as this process would, writes it (pagewire.c) into
 *      an unlinked temporary file and _exits.  The first page that does not look scanned ends the look
 *      ahead: scans come in runs, and a text page's look costs its text.
 *      When the page at hand came from a child, the next page without one is
 *      left to this process, which would otherwise wait for a child while
 *      its own processor idles.
 *   2. When read_page reaches a page that wants OCR, bpx_ahead_collect()
 *      waits for that page's child, reads its page back and returns the
 *      processor (give).  A child that failed (its OCR could not read the
 *      page: this process then reads it itself and reports the same failure
 *      in the same words), was killed or left its page cut short costs
 *      nothing but the time: the page is read here as if no child had been.
 *      A page that turns out not to want OCR ends its child unread
 *      (bpx_ahead_drop).
 *   3. Finished children are reaped at each look ahead (WNOHANG), so that
 *      their processors go back as soon as they are done, not when their
 *      page's turn comes.
 *
 * Fork safety.  A child is forked only while this process has one thread
 * (/proc/self/task; ocr.c keeps Tesseract's OpenMP on the calling thread):
 * the child then inherits no lock held by another thread.  The child asks
 * to be killed with this process (PR_SET_PDEATHSIG: a worker killed at its
 * deadline or over its memory takes its children with it), keeps the
 * address-space limit it inherits, and ends with _exit: no exit handler,
 * no stdio buffer flushed twice.  It writes nothing but its file.
 *
 * What it misses: a scanned page that keeps a text layer of 8 or more
 * characters (a watermark) is not read ahead; a processor lent while this
 * process reads a page idles until the next page that wants OCR (the look
 * ahead runs only there); this process waits at each page taken from a
 * child that started a little after its own page.  A child's memory comes
 * on top of this process's (batch/ counts them together).
 */
#define _DEFAULT_SOURCE /* prctl's PR_SET_PDEATHSIG, wait4 family */
#include "extract/ahead.h"
#include "extract/pagewire.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BPX_AHEAD_PAGES
#define BPX_AHEAD_PAGES 16 /* how far ahead a page may be read */
#endif

typedef enum {
    AHEAD_UNJUDGED = 0,
    AHEAD_TEXT,   /* looked at: not scanned */
    AHEAD_SCAN,   /* looked at: scanned, no child (yet) */
    AHEAD_CHILD,  /* a child reads it */
    AHEAD_REAPED, /* its child is done (status) */
    AHEAD_GONE    /* its child's page was taken or dropped */
} ahead_state;

typedef struct {
    ahead_state state;
    pid_t pid;
    int fd;     /* the child's page file */
    int status; /* wait status, once reaped */
} ahead_page;

struct bpx_ahead {
    const bpx_lender *lender;
    int n_pages;
    ahead_page *pages;
    gboolean every_page; /* every page wants OCR (BPX_OCR_ALWAYS) */
    int taken;   /* pages taken from children */
    gboolean off; /* a fork or a temporary file failed: no more lending */
};

bpx_ahead *bpx_ahead_new(const bpx_lender *lender, int n_pages, gboolean every_page)
{
    if (!lender || !lender->take || !lender->give || n_pages < 2)
        return NULL;
    bpx_ahead *a = g_new0(bpx_ahead, 1);
    a->lender = lender;
    a->n_pages = n_pages;
    a->every_page = every_page;
    a->pages = g_new0(ahead_page, n_pages);
    return a;
}

/* The child of p is gone (status): its processor goes back. */
static void reaped(bpx_ahead *a, ahead_page *p, int status)
{
    p->state = AHEAD_REAPED;
    p->status = status;
    a->lender->give(a->lender->user);
}

static void wait_child(bpx_ahead *a, ahead_page *p)
{
    int status = 0;
    pid_t got;
    while ((got = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR)
        ;
    reaped(a, p, got == p->pid ? status : -1);
}

/* Ends p's child, if any, and forgets its page. */
static void end_child(bpx_ahead *a, ahead_page *p)
{
    if (p->state == AHEAD_CHILD) {
        kill(p->pid, SIGKILL);
        wait_child(a, p);
    }
    if (p->state == AHEAD_REAPED) {
        close(p->fd);
        p->fd = -1;
        p->state = AHEAD_GONE;
    }
}

void bpx_ahead_free(bpx_ahead *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->n_pages; i++)
        end_child(a, &a->pages[i]);
    g_free(a->pages);
    g_free(a);
}

int bpx_ahead_pages(const bpx_ahead *a)
{
    return a ? a->taken : 0;
}

/* Whether this process runs one thread (FALSE when it cannot tell). */
static gboolean single_threaded(void)
{
    GDir *d = g_dir_open("/proc/self/task", 0, NULL);
    if (!d)
        return FALSE;
    int n = 0;
    while (g_dir_read_name(d))
        n++;
    g_dir_close(d);
    return n == 1;
}

/* Tests: BUDGETPDF_AHEAD_KILL set, every child writes half its page and
 * kills itself (the reading must come out the same). */
static gboolean debug_kill(void)
{
    const char *v = g_getenv("BUDGETPDF_AHEAD_KILL");
    return v && *v;
}

static gboolean write_all(int fd, const guint8 *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        data += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* Child exit codes: 0 the page written, else nothing usable. */
enum { CHILD_FAILED = 1, CHILD_ORPHAN = 2 };

/* In the child: reads page index (pdoc's page index - first) by OCR into
 * fd, and ends. */
static G_GNUC_NORETURN void read_in_child(PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr, int fd,
                                          pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* died before the line above */
        _exit(CHILD_ORPHAN);
    PopplerPage *page = poppler_document_get_page(pdoc, index - first);
    bpx_page p = {.number = index + 1};
    GError *err = NULL;
    /* ocr: this process's copy of the reader's, so that a language model
     * that failed to load there fails here too, without a second try */
    if (!page || !bpx_ocr_read_page(ocr, page, &p, &err))
        _exit(CHILD_FAILED);
    g_clear_error(&err);
    g_object_unref(page);
    GByteArray *b = bpx_page_pack(&p);
    bpx_page_clear(&p);
    if (debug_kill()) {
        write_all(fd, b->data, b->len / 2);
        raise(SIGKILL);
    }
    gboolean written = write_all(fd, b->data, b->len);
    g_byte_array_unref(b); /* what a leak checker of the child (valgrind) would see lost */
    _exit(written ? 0 : CHILD_FAILED);
}

/* A file nobody else can open, for a child's page; -1 when none. */
static int page_file(void)
{
    char *path = NULL;
    int fd = g_file_open_tmp("budgetpdf-page-XXXXXX", &path, NULL);
    if (fd >= 0)
        g_unlink(path);
    g_free(path);
    return fd;
}

static gboolean start_child(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr)
{
    int fd = page_file();
    if (fd < 0)
        return FALSE;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        return FALSE;
    }
    if (pid == 0)
        read_in_child(pdoc, first, index, ocr, fd, parent);
    a->pages[index] = (ahead_page){.state = AHEAD_CHILD, .pid = pid, .fd = fd};
    return TRUE;
}

void bpx_ahead_lend(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr, gboolean collected)
{
    if (!a || a->off)
        return;
    int last = MIN(MIN(a->n_pages - 1, index + BPX_AHEAD_PAGES), first + poppler_document_get_n_pages(pdoc) - 1);
    for (int j = index + 1; j <= last; j++) { /* step 3 */
        ahead_page *p = &a->pages[j];
        int status = 0;
        if (p->state == AHEAD_CHILD && waitpid(p->pid, &status, WNOHANG) == p->pid)
            reaped(a, p, status);
    }
    if (!single_threaded())
        return;
    gboolean keep_next = collected, have = FALSE; /* have: a processor taken, not yet used */
    for (int j = index + 1; j <= last; j++) {
        ahead_page *p = &a->pages[j];
        if (p->state >= AHEAD_CHILD)
            continue;
        if (!have && !(have = a->lender->take(a->lender->user)))
            break;
        if (p->state == AHEAD_UNJUDGED) {
            PopplerPage *page = poppler_document_get_page(pdoc, j - first);
            p->state = page && (a->every_page || bpx_ocr_likely(page)) ? AHEAD_SCAN : AHEAD_TEXT;
            if (page)
                g_object_unref(page);
        }
        if (p->state == AHEAD_TEXT)
            break;
        if (keep_next) { /* this process's next page */
            keep_next = FALSE;
            continue;
        }
        if (!start_child(a, pdoc, first, j, ocr)) {
            a->off = TRUE;
            break;
        }
        have = FALSE; /* the child holds it */
    }
    if (have)
        a->lender->give(a->lender->user);
}

/* The whole of fd, from its start; NULL when it cannot be read. */
static guint8 *read_file(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || lseek(fd, 0, SEEK_SET) != 0)
        return NULL;
    *len = (size_t)st.st_size;
    guint8 *data = g_malloc(*len);
    for (size_t got = 0; got < *len;) {
        ssize_t n = read(fd, data + got, *len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            g_free(data);
            return NULL;
        }
        got += (size_t)n;
    }
    return data;
}

gboolean bpx_ahead_collect(bpx_ahead *a, int index, bpx_page *out)
{
    if (!a || index < 0 || index >= a->n_pages)
        return FALSE;
    ahead_page *p = &a->pages[index];
    if (p->state == AHEAD_CHILD)
        wait_child(a, p);
    if (p->state != AHEAD_REAPED)
        return FALSE;
    gboolean ok = p->status != -1 && WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0;
    size_t len = 0;
    guint8 *data = ok ? read_file(p->fd, &len) : NULL;
    bpx_page got;
    ok = data && bpx_page_unpack(data, len, &got);
    g_free(data);
    end_child(a, p);
    if (ok && got.number != out->number) {
        bpx_page_clear(&got);
        ok = FALSE;
    }
    if (!ok)
        return FALSE;
    bpx_page_clear(out);
    *out = got;
    a->taken++;
    return TRUE;
}

void bpx_ahead_drop(bpx_ahead *a, int index)
{
    if (a && index >= 0 && index < a->n_pages)
        end_child(a, &a->pages[index]);
}
