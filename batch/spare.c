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
 *            (jobs - running workers once no document waits; else 0);
 *   lent     how many are lent now: a worker takes one with a
 *            compare-and-swap that keeps lent <= allowed (bpb_spare_take)
 *            and gives it back when its child is reaped (bpb_spare_give);
 *   held[k]  how many the worker in slot k holds, so that the parent can
 *            take back what a worker killed with children running held
 *            (bpb_spare_forget).
 * A worker holds at most max_held at once (bpb_lend): each child holds
 * about what OCR holds (an engine and a page's images: 85-100 MiB of its
 * own on the development corpora), and max_memory counts a worker's
 * children with it, so a worker takes no more children than fit beside
 * it (batch.c, lend_limit).
 * A worker killed in the few instructions between its two updates leaves
 * lent one off until the batch ends (one processor lent too many or too
 * few); the parent itself kills only at a deadline or a memory limit.
 * allowed only grows once set (workers end, none start), so lent stays
 * within it.  With `-j 1` there is no pool: nothing is ever lent.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "batch/internal.h"

#include <stdatomic.h>
#include <sys/mman.h>

struct bpb_spare {
    atomic_int allowed;
    atomic_int lent;
    guint n_slots;
    atomic_int held[];
};

static size_t spare_size(guint n_slots)
{
    return sizeof(bpb_spare) + n_slots * sizeof(atomic_int);
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
    for (guint k = 0; k < n_slots; k++)
        atomic_init(&s->held[k], 0);
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
    int held = atomic_exchange(&s->held[slot], 0);
    if (held > 0)
        atomic_fetch_sub(&s->lent, held);
}

int bpb_spare_lent(const bpb_spare *s)
{
    return s ? atomic_load(&((bpb_spare *)s)->lent) : 0;
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
