/* spare.c — processors the batch lends to its running workers.
 *
 * `-j N` runs N workers; once no document waits to start and fewer than N
 * workers run, the processors left over would idle.  The parent then lends
 * them: a worker reading a scanned document reads its next OCR pages in
 * child processes, one per processor it takes (extract/ahead.c).
 *
 * The count lives in a small shared mapping (MAP_SHARED | MAP_ANONYMOUS)
 * that the parent makes before it forks anything, so that every worker
 * sees the same one:
 *   allowed  written by the parent only: how many processors may be lent
 *            (jobs - running workers once no document waits; while
 *            documents wait, what is lent and promised: batch.c);
 *   lent     how many are lent now: a worker takes one with a
 *            compare-and-swap that keeps lent <= allowed (bpb_spare_take)
 *            and gives it back when its child is reaped (bpb_spare_give);
 *   held[k]  how many the worker in slot k holds, so that the parent can
 *            take back what a worker killed with children running held
 *            (bpb_spare_forget).
 *   wanted[k] how many scanned pages the worker in slot k could hand to a
 *            child now but has no processor for (bpb_spare_want, after each
 *            look ahead; 0 while it holds max_held).
 * While documents wait, a processor freed by a worker that ends goes first
 * to a worker that wants one (batch.c, promised): its scanned pages, 1.5-2
 * CPU s each, are read two or more at a time while the documents that wait,
 * a few hundred ms each, fill the end of the batch.  Started largest file
 * first alone, a scanned document that starts late ran on one processor
 * while the other idled at the end (a -j 2 run's length decided by where
 * the scan fell in the order).  The parent never opens a PDF, so it cannot
 * put the scans first; the worker says so once it is reading one.
 * A worker holds at most max_held at once (bpb_lend): each child holds
 * about what OCR holds (an engine and a page's images: 85-100 MiB of its
 * own on the development corpora), and max_memory counts a worker's
 * children with it, so a worker takes no more children than fit beside
 * it (batch.c, lend_limit).
 * A worker killed in the few instructions between its two updates leaves
 * lent one off until the batch ends (one processor lent too many or too
 * few); the parent itself kills only at a deadline or a memory limit.
 * allowed may fall below lent while documents wait (a want gone): a worker
 * then takes none until lent is back under it, and the parent starts no
 * document on a processor still lent.  With `-j 1` there is no pool:
 * nothing is ever lent.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "batch/internal.h"

#include <stdatomic.h>
#include <sys/mman.h>

struct bpb_spare {
    atomic_int allowed;
    atomic_int lent;
    guint n_slots;
    atomic_int *wanted; /* [n_slots], after held */
    atomic_int held[];
};

static size_t spare_size(guint n_slots)
{
    return sizeof(bpb_spare) + 2 * (size_t)n_slots * sizeof(atomic_int);
}

bpb_spare *bpb_spare_new(guint n_slots)
{
    void *m = mmap(NULL, spare_size(n_slots), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    bpb_spare *s = m;
    atomic_init(&s->allowed, 0);
    atomic_init(&s->lent, 0);
    s->n_slots = n_slots;
    s->wanted = s->held + n_slots; /* the same address in every process: mapped before the forks */
    for (guint k = 0; k < n_slots; k++) {
        atomic_init(&s->held[k], 0);
        atomic_init(&s->wanted[k], 0);
    }
    return s;
}

void bpb_spare_free(bpb_spare *s)
{
    if (s)
        munmap(s, spare_size(s->n_slots));
}

void bpb_spare_allow(bpb_spare *s, int n)
{
    if (s)
        atomic_store(&s->allowed, MAX(n, 0));
}

void bpb_spare_forget(bpb_spare *s, guint slot)
{
    if (!s || slot >= s->n_slots)
        return;
    atomic_store(&s->wanted[slot], 0);
    int held = atomic_exchange(&s->held[slot], 0);
    if (held > 0)
        atomic_fetch_sub(&s->lent, held);
}

int bpb_spare_lent(const bpb_spare *s)
{
    return s ? atomic_load(&((bpb_spare *)s)->lent) : 0;
}

int bpb_spare_wanted(const bpb_spare *s)
{
    if (!s)
        return 0;
    int n = 0;
    for (guint k = 0; k < s->n_slots; k++)
        n += atomic_load(&((bpb_spare *)s)->wanted[k]);
    return n;
}

int bpb_spare_promised(const bpb_spare *s, int free)
{
    int lent = bpb_spare_lent(s);
    return lent + CLAMP(bpb_spare_wanted(s), 0, MAX(free - lent, 0));
}

gboolean bpb_spare_take(void *user)
{
    const bpb_lend *l = user;
    bpb_spare *s = l->spare;
    if (l->max_held >= 0 && atomic_load(&s->held[l->slot]) >= l->max_held)
        return FALSE;
    int lent = atomic_load(&s->lent);
    do {
        if (lent >= atomic_load(&s->allowed))
            return FALSE;
    } while (!atomic_compare_exchange_weak(&s->lent, &lent, lent + 1));
    atomic_fetch_add(&s->held[l->slot], 1);
    return TRUE;
}

void bpb_spare_give(void *user)
{
    const bpb_lend *l = user;
    atomic_fetch_sub(&l->spare->held[l->slot], 1);
    atomic_fetch_sub(&l->spare->lent, 1);
}

void bpb_spare_want(void *user, int pages)
{
    const bpb_lend *l = user;
    bpb_spare *s = l->spare;
    if (l->max_held >= 0 && atomic_load(&s->held[l->slot]) >= l->max_held)
        pages = 0; /* it could not take one: none is kept for it */
    atomic_store(&s->wanted[l->slot], MAX(pages, 0));
}
