/* check.h — the unit tests' few macros.  Each test file ends with
 * check_summary(), which prints "N passed, M failed" and gives the exit
 * status. */
#ifndef BUDGETPDF_CHECK_H
#define BUDGETPDF_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int passed, failed;
} check_counts;

#define CHECK(counts, cond)                                                                            \
    do {                                                                                               \
        if (cond) {                                                                                    \
            (counts)->passed++;                                                                        \
        } else {                                                                                       \
            (counts)->failed++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                            \
        }                                                                                              \
    } while (0)

#define CHECK_STR(counts, got, want)                                                                   \
    do {                                                                                               \
        const char *g_ = (got), *w_ = (want);                                                          \
        if ((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0)) {                         \
            (counts)->passed++;                                                                        \
        } else {                                                                                       \
            (counts)->failed++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,        \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                           \
        }                                                                                              \
    } while (0)

#define CHECK_NEAR(counts, got, want)                                                                  \
    do {                                                                                               \
        double g_ = (got), w_ = (want);                                                                \
        if (fabs(g_ - w_) < 1e-6) {                                                                    \
            (counts)->passed++;                                                                        \
        } else {                                                                                       \
            (counts)->failed++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s is %g, want %g\n", __FILE__, __LINE__, #got, g_, w_);      \
        }                                                                                              \
    } while (0)

static inline int check_summary(const char *name, const check_counts *c)
{
    printf("%s: %d passed, %d failed\n", name, c->passed, c->failed);
    return c->failed ? 1 : 0;
}

#endif
