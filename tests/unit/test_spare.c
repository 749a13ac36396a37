/* test_spare.c — the batch's count of lent processors (batch/spare.c): never
 * more lent than allowed, a worker's own cap, what a dead worker held taken
 * back, and one count seen by processes forked after it was made. */
#define _DEFAULT_SOURCE
#include "batch/internal.h"
#include "check.h"

#include <sys/wait.h>
#include <unistd.h>

static void test_counts(check_counts *c)
{
    bpb_spare *s = bpb_spare_new(2);
    CHECK(c, s != NULL);
    if (!s)
        return;
    bpb_lend a = {s, 0, -1}, b = {s, 1, -1};
    CHECK(c, !bpb_spare_take(&a)); /* nothing allowed yet (a document waits, or -j 1) */
    bpb_spare_allow(s, 2);
    CHECK(c, bpb_spare_take(&a));
    CHECK(c, bpb_spare_take(&b));
    CHECK(c, !bpb_spare_take(&a) && !bpb_spare_take(&b)); /* both lent */
    CHECK(c, bpb_spare_lent(s) == 2);
    bpb_spare_give(&b);
    CHECK(c, bpb_spare_lent(s) == 1);
    CHECK(c, bpb_spare_take(&a)); /* slot 0 now holds 2 */
    CHECK(c, !bpb_spare_take(&b));
    bpb_spare_forget(s, 0); /* worker 0 died holding 2 */
    CHECK(c, bpb_spare_lent(s) == 0);
    bpb_spare_forget(s, 0); /* nothing twice */
    CHECK(c, bpb_spare_lent(s) == 0);
    /* a worker's own cap (max_memory) */
    bpb_lend capped = {s, 1, 1};
    CHECK(c, bpb_spare_take(&capped));
    CHECK(c, !bpb_spare_take(&capped));
    CHECK(c, bpb_spare_take(&a)); /* the other worker may still take one */
    bpb_spare_give(&capped);
    bpb_spare_give(&a);
    CHECK(c, bpb_spare_lent(s) == 0);
    bpb_lend none = {s, 0, 0};
    CHECK(c, !bpb_spare_take(&none));
    bpb_spare_allow(s, 0);
    CHECK(c, !bpb_spare_take(&a));
    bpb_spare_free(s);
}

/* Made before a fork, the count is the children's too. */
static void test_shared(check_counts *c)
{
    bpb_spare *s = bpb_spare_new(2);
    if (!s)
        return;
    bpb_spare_allow(s, 3);
    int took[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            bpb_lend l = {s, (guint)k, -1};
            int n = 0;
            while (n < 3 && bpb_spare_take(&l))
                n++;
            _exit(n);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        took[k] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    /* the first child took all 3, the second none: they share one count */
    CHECK(c, took[0] == 3 && took[1] == 0);
    CHECK(c, bpb_spare_lent(s) == 3);
    bpb_spare_forget(s, 0);
    CHECK(c, bpb_spare_lent(s) == 0);
    bpb_spare_free(s);
}

int main(void)
{
    check_counts c = {0, 0};
    test_counts(&c);
    test_shared(&c);
    return check_summary("test_spare", &c);
}
