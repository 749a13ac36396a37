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
 * turn comes.  Who reads which page is settled in a claim table, one state
 * per page (page_claim: not judged, not a scan, an unclaimed scan, claimed
 * by this process, claimed by child k, written by child k, gone), mapped
 * MAP_SHARED | MAP_ANONYMOUS by bpx_ahead_new() before any child is forked,
 * so that this process and every child see the same one; a page is claimed
 * with a compare-and-swap from "unclaimed scan".  How:
 *
 *   1. When a page is about to be read by OCR (read_page decided so from its
 *      text layer and rendering, as without lending), bpx_ahead_lend()
 *      judges the pages after it, at most BPX_AHEAD_PAGES ahead and while a
 *      processor is lent or a child runs: a page that looks scanned
 *      (bpx_ocr_likely: next to no text layer; any page with --ocr always)
 *      becomes an unclaimed scan; the first page that does not ends the
 *      window (scans come in runs, and a text page's look costs its text).
 *   2. For each unclaimed scan in the window, while the lender hands over a
 *      processor (take), a child is forked (start_child) with that page
 *      claimed for it and a temporary file of its own (unlinked).  The child
 *      (read_in_child) reads its page by OCR exactly as this process would,
 *      writes it (pagewire.c) at the end of its file, claims the next
 *      unclaimed scan of the window (claim_next; before it says its page
 *      written, so that this process, waiting for that page, finds the next
 *      one claimed), says where the page is in its file and reads the next
 *      one; it _exits when the page it would claim is not a scan, is past
 *      its chunk (pagetree.c) or none is left.  So a lent processor reads
 *      page after page without waiting for this process's next look ahead.
 *   3. At a page that wants OCR, bpx_ahead_collect() takes the page from
 *      whoever read it: from the child's file once the child says it is
 *      written (take_written), from this process's memory when it read it
 *      early; unclaimed, it claims it and this process reads it.  While a
 *      running child reads it, this process claims the next unclaimed scan
 *      and reads it early (read_early, kept until its turn) instead of
 *      waiting, and waits (1 ms naps) only when none is left.  A child that
 *      failed (its OCR could not read the page: this process then reads it
 *      itself and reports the same failure in the same words), was killed or
 *      left its page cut short costs nothing but the time: the pages it held
 *      are read here as if no child had been.  A page that turns out not to
 *      want OCR is dropped (bpx_ahead_drop): the child reading it is ended,
 *      a page read early is freed.
 *   4. A child's processor goes back (give) when it is reaped: at each look
 *      ahead (WNOHANG), while this process waits for one of its pages, and
 *      at the end; one processor per live child.  Its file is closed once it
 *      is reaped and no page it wrote waits.
 *
 * Fork safety.  A child is forked only while this process has one thread
 * (/proc/self/task; ocr.c keeps Tesseract's OpenMP on the calling thread):
 * the child then inherits no lock held by another thread.  The child asks
 * to be killed with this process (PR_SET_PDEATHSIG: a worker killed at its
 * deadline or over its memory takes its children with it), keeps the
 * address-space limit it inherits, and ends with _exit: no exit handler,
 * no stdio buffer flushed twice.  It writes nothing but its file and the
 * claim table.
 *
 * What it misses: a scanned page that keeps a text layer of 8 or more
 * characters (a watermark) is not read ahead; a processor the lender frees
 * while no child runs waits for the next page that wants OCR (the look
 * ahead runs only there); a child is not asked to stop when the lender
 * would want its processor back (batch/spare.c never takes one back: what
 * it allows only grows); pages read early by this process are held in its
 * memory until their turn (a few pages at most: it reads early only while
 * it waits).  A child's memory comes on top of this process's (batch/
 * counts them together).
 */
#define _DEFAULT_SOURCE /* prctl's PR_SET_PDEATHSIG, MAP_ANONYMOUS, wait4 family */
#include "extract/ahead.h"
#include "extract/pagewire.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BPX_AHEAD_PAGES
#define BPX_AHEAD_PAGES 16 /* how far ahead of this process a page may be judged */
#endif

/* A page's claim, in the shared table.  CLAIM_CHILD + 2k: child k reads
 * it; CLAIM_CHILD + 2k + 1: child k wrote it into its file. */
enum {
    CLAIM_UNJUDGED = 0,
    CLAIM_TEXT,   /* looked at: not scanned */
    CLAIM_SCAN,   /* looked at: scanned, claimed by nobody yet */
    CLAIM_WORKER, /* this process reads it (at its turn, or early: held) */
    CLAIM_GONE,   /* taken or dropped */
    CLAIM_CHILD = 8
};

static int claim_reading(int k) { return CLAIM_CHILD + 2 * k; }
static gboolean claim_by_child(int st) { return st >= CLAIM_CHILD; }
static int claim_child(int st) { return (st - CLAIM_CHILD) / 2; }
static gboolean claim_done(int st) { return st >= CLAIM_CHILD && (st - CLAIM_CHILD) % 2 == 1; }

typedef struct {
    atomic_int state;
    gint64 off, len; /* where the child wrote it in its file (once done) */
} page_claim;

typedef struct {
    pid_t pid;
    int fd;          /* its page file; -1 once closed */
    gboolean reaped; /* its processor given back */
} ahead_child;

struct bpx_ahead {
    const bpx_lender *lender;
    int n_pages;
    page_claim *claims; /* n_pages, shared with the children (MAP_SHARED) */
    bpx_page **held;    /* pages this process read before their turn */
    GArray *children;   /* ahead_child, by k */
    gboolean every_page; /* every page wants OCR (BPX_OCR_ALWAYS) */
    int taken;    /* pages taken from children */
    gboolean off; /* a fork or a temporary file failed: no more lending */
};

static size_t claims_size(int n_pages)
{
    return (size_t)n_pages * sizeof(page_claim);
}

bpx_ahead *bpx_ahead_new(const bpx_lender *lender, int n_pages, gboolean every_page)
{
    if (!lender || !lender->take || !lender->give || n_pages < 2)
        return NULL;
    void *m = mmap(NULL, claims_size(n_pages), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL; /* nothing is read ahead */
    bpx_ahead *a = g_new0(bpx_ahead, 1);
    a->lender = lender;
    a->n_pages = n_pages;
    a->every_page = every_page;
    a->claims = m;
    for (int i = 0; i < n_pages; i++)
        atomic_init(&a->claims[i].state, CLAIM_UNJUDGED);
    a->held = g_new0(bpx_page *, n_pages);
    a->children = g_array_new(FALSE, TRUE, sizeof(ahead_child));
    return a;
}

static int load_claim(const bpx_ahead *a, int j)
{
    return atomic_load(&a->claims[j].state);
}

static gboolean swap_claim(bpx_ahead *a, int j, int from, int to)
{
    return atomic_compare_exchange_strong(&a->claims[j].state, &from, to);
}

static ahead_child *child_at(bpx_ahead *a, int k)
{
    return &g_array_index(a->children, ahead_child, k);
}

/* Closes child k's file once it is gone and no page it wrote waits. */
static void close_spent(bpx_ahead *a, int k)
{
    ahead_child *c = child_at(a, k);
    if (!c->reaped || c->fd < 0)
        return;
    for (int j = 0; j < a->n_pages; j++) {
        int st = load_claim(a, j);
        if (claim_done(st) && claim_child(st) == k)
            return;
    }
    close(c->fd);
    c->fd = -1;
}

/* Child k is gone: its processor goes back. */
static void reaped(bpx_ahead *a, int k)
{
    child_at(a, k)->reaped = TRUE;
    a->lender->give(a->lender->user);
    close_spent(a, k);
}

/* Whether child k is gone (reaped now if it just ended; wait: until it
 * ends). */
static gboolean child_gone(bpx_ahead *a, int k, gboolean wait)
{
    ahead_child *c = child_at(a, k);
    if (c->reaped)
        return TRUE;
    int status = 0;
    pid_t got;
    while ((got = waitpid(c->pid, &status, wait ? 0 : WNOHANG)) < 0 && errno == EINTR)
        ;
    if (got == 0)
        return FALSE;
    reaped(a, k); /* got == pid, or an error: no such child to wait for */
    return TRUE;
}

static void end_child(bpx_ahead *a, int k)
{
    if (!child_at(a, k)->reaped) {
        kill(child_at(a, k)->pid, SIGKILL);
        child_gone(a, k, TRUE);
    }
}

static void free_held(bpx_ahead *a, int j)
{
    if (a->held[j]) {
        bpx_page_clear(a->held[j]);
        g_clear_pointer(&a->held[j], g_free);
    }
}

void bpx_ahead_free(bpx_ahead *a)
{
    if (!a)
        return;
    for (guint k = 0; k < a->children->len; k++)
        end_child(a, (int)k);
    for (guint k = 0; k < a->children->len; k++)
        if (child_at(a, (int)k)->fd >= 0)
            close(child_at(a, (int)k)->fd);
    for (int j = 0; j < a->n_pages; j++)
        free_held(a, j);
    g_free(a->held);
    g_array_unref(a->children);
    munmap(a->claims, claims_size(a->n_pages));
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

/* Tests: BUDGETPDF_AHEAD_KILL set, every child writes half its first page
 * and kills itself (the reading must come out the same). */
static gboolean debug_kill(void)
{
    const char *v = g_getenv("BUDGETPDF_AHEAD_KILL");
    return v && *v;
}

static gboolean write_at(int fd, const guint8 *data, size_t len, gint64 off)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, data, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        data += n;
        len -= (size_t)n;
        off += n;
    }
    return TRUE;
}

/* The last page a reader may claim from pdoc (pages first .. first + its
 * page count - 1). */
static int last_page(const bpx_ahead *a, PopplerDocument *pdoc, int first)
{
    return MIN(a->n_pages - 1, first + poppler_document_get_n_pages(pdoc) - 1);
}

/* Claims for who the first unclaimed scanned page from `from` to last, in
 * their order; -1 when a page not judged a scan comes first or none is
 * left. */
static int claim_next(bpx_ahead *a, int from, int last, int who)
{
    for (int j = from; j <= last; j++) {
        int st = load_claim(a, j);
        if (st == CLAIM_UNJUDGED || st == CLAIM_TEXT)
            return -1;
        if (st == CLAIM_SCAN && swap_claim(a, j, CLAIM_SCAN, who))
            return j;
    }
    return -1;
}

/* Child exit codes: 0 its pages written, else nothing more usable. */
enum { CHILD_FAILED = 1, CHILD_ORPHAN = 2 };

/* In child k: reads page index (claimed for it) by OCR into fd, then the
 * next unclaimed scanned page of pdoc, and so on; ends when none is left. */
static G_GNUC_NORETURN void read_in_child(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr,
                                          int k, int fd, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* died before the line above */
        _exit(CHILD_ORPHAN);
    int last = last_page(a, pdoc, first);
    gint64 off = 0;
    for (int j = index; j >= 0;) {
        PopplerPage *page = poppler_document_get_page(pdoc, j - first);
        bpx_page p = {.number = j + 1};
        GError *err = NULL;
        /* ocr: this process's copy of the reader's, so that a language
         * model that failed to load there fails here too, without a second
         * try; a page it cannot read stays claimed: the worker reads it */
        if (!page || !bpx_ocr_read_page(ocr, page, &p, &err))
            _exit(CHILD_FAILED);
        g_clear_error(&err);
        g_object_unref(page);
        GByteArray *b = bpx_page_pack(&p);
        bpx_page_clear(&p);
        if (debug_kill()) {
            write_at(fd, b->data, b->len / 2, off);
            raise(SIGKILL);
        }
        gboolean written = write_at(fd, b->data, b->len, off);
        gint64 len = b->len;
        g_byte_array_unref(b); /* what a leak checker of the child (valgrind) would see lost */
        if (!written)
            _exit(CHILD_FAILED);
        /* the next page claimed before this one is said done: the worker,
         * waiting for this one, then finds the next claimed and reads the
         * one after it instead of waiting again */
        int next = claim_next(a, j + 1, last, claim_reading(k));
        a->claims[j].off = off;
        a->claims[j].len = len;
        atomic_store(&a->claims[j].state, claim_reading(k) + 1);
        off += len;
        j = next;
    }
    _exit(0);
}

/* A file nobody else can open, for a child's pages; -1 when none. */
static int page_file(void)
{
    char *path = NULL;
    int fd = g_file_open_tmp("budgetpdf-page-XXXXXX", &path, NULL);
    if (fd >= 0)
        g_unlink(path);
    g_free(path);
    return fd;
}

/* Starts child k on page index (claimed for it). */
static gboolean start_child(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr, int k)
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
        read_in_child(a, pdoc, first, index, ocr, k, fd, parent);
    g_array_append_val(a->children, ((ahead_child){.pid = pid, .fd = fd}));
    return TRUE;
}

static int live_children(bpx_ahead *a)
{
    int n = 0;
    for (guint k = 0; k < a->children->len; k++)
        n += !child_gone(a, (int)k, FALSE); /* step 4 */
    return n;
}

void bpx_ahead_lend(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr)
{
    if (!a || a->off)
        return;
    int live = live_children(a);
    if (!single_threaded())
        return;
    gboolean have = a->lender->take(a->lender->user); /* a processor taken, not yet used */
    if (!have && live == 0)
        return; /* nobody would read the pages judged */
    int last = MIN(index + BPX_AHEAD_PAGES, last_page(a, pdoc, first));
    for (int j = index + 1; j <= last; j++) { /* step 1: the window */
        int st = load_claim(a, j);
        if (st == CLAIM_UNJUDGED) {
            PopplerPage *page = poppler_document_get_page(pdoc, j - first);
            st = page && (a->every_page || bpx_ocr_likely(page)) ? CLAIM_SCAN : CLAIM_TEXT;
            if (page)
                g_object_unref(page);
            atomic_store(&a->claims[j].state, st);
        }
        if (st == CLAIM_TEXT)
            break;
    }
    for (int j = index + 1; j <= last; j++) { /* step 2: children */
        int st = load_claim(a, j);
        if (st == CLAIM_UNJUDGED || st == CLAIM_TEXT)
            break;
        if (st != CLAIM_SCAN)
            continue;
        if (!have && !(have = a->lender->take(a->lender->user)))
            break;
        int k = (int)a->children->len;
        if (!swap_claim(a, j, CLAIM_SCAN, claim_reading(k)))
            continue; /* a child claimed it meanwhile */
        if (!start_child(a, pdoc, first, j, ocr, k)) {
            atomic_store(&a->claims[j].state, CLAIM_SCAN);
            a->off = TRUE;
            break;
        }
        have = FALSE; /* the child holds it */
    }
    if (have)
        a->lender->give(a->lender->user);
}

/* Page j written by child k: put in *out when whole and numbered right. */
static gboolean take_written(bpx_ahead *a, int j, int k, bpx_page *out)
{
    ahead_child *c = child_at(a, k);
    gint64 len = a->claims[j].len, off = a->claims[j].off;
    gboolean ok = c->fd >= 0 && len > 0;
    guint8 *data = ok ? g_malloc((size_t)len) : NULL;
    for (gint64 got = 0; ok && got < len;) {
        ssize_t n = pread(c->fd, data + got, (size_t)(len - got), (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        got += n > 0 ? n : 0;
    }
    bpx_page page;
    ok = ok && bpx_page_unpack(data, (size_t)len, &page);
    g_free(data);
    atomic_store(&a->claims[j].state, CLAIM_GONE);
    close_spent(a, k);
    if (ok && page.number != out->number) {
        bpx_page_clear(&page);
        ok = FALSE;
    }
    if (!ok)
        return FALSE;
    bpx_page_clear(out);
    *out = page;
    a->taken++;
    return TRUE;
}

/* While a child reads the page this process waits for: the next unclaimed
 * scanned page read here, kept until its turn; FALSE when there is none. */
static gboolean read_early(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr)
{
    int j = claim_next(a, index + 1, last_page(a, pdoc, first), CLAIM_WORKER);
    if (j < 0)
        return FALSE;
    PopplerPage *page = poppler_document_get_page(pdoc, j - first);
    bpx_page *p = g_new0(bpx_page, 1);
    p->number = j + 1;
    GError *err = NULL;
    if (page && bpx_ocr_read_page(ocr, page, p, &err)) {
        a->held[j] = p;
    } else { /* read again at its turn, and its failure told then */
        bpx_page_clear(p);
        g_free(p);
    }
    g_clear_error(&err);
    if (page)
        g_object_unref(page);
    return TRUE;
}

gboolean bpx_ahead_collect(bpx_ahead *a, PopplerDocument *pdoc, int first, int index, bpx_ocr *ocr, bpx_page *out)
{
    if (!a || index < 0 || index >= a->n_pages)
        return FALSE;
    for (;;) {
        int st = load_claim(a, index);
        if (st == CLAIM_UNJUDGED || st == CLAIM_TEXT || st == CLAIM_SCAN) {
            if (swap_claim(a, index, st, CLAIM_WORKER))
                return FALSE; /* nobody read it: read here */
            continue;
        }
        if (st == CLAIM_GONE)
            return FALSE;
        if (st == CLAIM_WORKER) { /* read early here, or to be read now */
            bpx_page *p = a->held[index];
            if (!p || p->number != out->number)
                return FALSE;
            a->held[index] = NULL;
            bpx_page_clear(out);
            *out = *p;
            g_free(p);
            return TRUE;
        }
        int k = claim_child(st);
        if (claim_done(st))
            return take_written(a, index, k, out);
        if (child_gone(a, k, FALSE)) {
            /* it failed or was killed before it said the page done */
            if (swap_claim(a, index, st, CLAIM_WORKER))
                return FALSE;
            continue;
        }
        if (!read_early(a, pdoc, first, index, ocr)) /* step 3 */
            nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
}

void bpx_ahead_drop(bpx_ahead *a, int index)
{
    if (!a || index < 0 || index >= a->n_pages)
        return;
    for (;;) {
        int st = load_claim(a, index);
        if (claim_by_child(st) && !claim_done(st))
            end_child(a, claim_child(st)); /* reading a page not wanted */
        if (st == CLAIM_GONE || swap_claim(a, index, st, CLAIM_GONE))
            break;
    }
    free_held(a, index);
    for (guint k = 0; k < a->children->len; k++)
        close_spent(a, (int)k);
}
