/* batch.c — the scheduler: one worker process per document, `jobs` at once.
 *
 * The parent process plans, forks and listens; it never opens a PDF.  That is
 * what makes fork() safe here: poppler, cairo, fontconfig and GLib's type
 * system are first touched in a worker, after the fork, and the parent stays
 * single-threaded.  For each document the parent makes a pipe and forks; the
 * worker converts the document, writes its JSON (atomically) where the output
 * mode says, sends one result record down the pipe and exits.  The parent
 * closes its copy of the write end at once, and forks nothing while it holds
 * one, so a worker's pipe reaches end-of-file exactly when that worker is gone.
 * The parent then reaps it and judges: a whole record and exit status 0 is the
 * document's result; death by a signal is a crash (or a timeout, when the
 * parent killed it at its deadline); any other ending is a failure with the
 * status named.  A dead worker's temporary file is removed (io.c names it
 * after the worker's pid).
 *
 * One process per document rather than a pool of long-lived workers: the
 * isolation is complete (a crash, a leak or a runaway allocation ends with its
 * document, and the peak memory of a worker is that of one document), at the
 * price of a fork and of poppler's and fontconfig's start-up per document,
 * a few milliseconds against the hundreds that a document takes.
 *
 * The parent waits in poll() on the pipes of the running workers, the page
 * counter's pipe and the caller's cancel descriptor, for at most the time to
 * the next tick or the nearest deadline.  Documents start largest file first
 * (longest-processing-time-first scheduling): a long document started last
 * would leave one worker running alone at the end while the others idle.
 * Results are reported in the order they complete.
 *
 * The page counter (count_pages) is one more process, at low priority, that
 * opens every input with poppler only to read its page count, so that the
 * progress display knows the pages of the whole batch early on.
 */
/* wait4(), for a worker's peak memory */
#define _DEFAULT_SOURCE
#include "batch/internal.h"
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Sanitizer builds reserve terabytes of address space for their shadow
 * memory: an address-space cap would stop them at start-up. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BPB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define BPB_SANITIZED 1
#endif
#endif
#ifndef BPB_SANITIZED
#define BPB_SANITIZED 0
#endif

G_DEFINE_QUARK(bpb-error-quark, bpb_error)

typedef struct {
    pid_t pid; /* 0: free */
    int fd;
    guint job;
    GByteArray *buf;
    gint64 deadline; /* monotonic µs; 0: none */
    gboolean timed_out;
    guint64 resident;  /* bytes, as last read (max_memory) */
    gboolean over_memory;
} slot;

typedef struct {
    const bpb_inputs *in;
    const bpb_options *o;
    bpb_totals t;
    gint64 start;
    slot *slots;
    guint n_slots;
    guint *order;
    guint next;            /* in order */
    char **outputs;        /* FILES: DIR/<name>.json per input */
    char **plan_error;     /* per input: a reason to fail it without a worker */
    char *parts_dir;       /* UNITS */
    GHashTable *merged_sha; /* UNITS with resume */
    GPtrArray *parts;      /* UNITS: bpb_part* */
    /* page counting: pages per input (-1 unknown), and their sum */
    pid_t counter_pid;
    int counter_fd;
    GByteArray *counter_buf;
    int *pages_of;
    gboolean *done;
    guint64 known_sum;
    guint known;
    gboolean cancelled;
    gint64 next_tick;
    bpd_report *report;    /* FILES, UNITS: DIR/budgetpdf-report.json */
    char *report_error;    /* why the report could not be begun; NULL: it was */
    int lock_fd;           /* UNITS: the folder lock (bpb_lock_folder), or -1 */
    guint jobs;            /* processors to use (opts->jobs, or the machine's) */
    bpb_spare *spare;      /* the processors lent to workers; NULL: none are */
} run;

static const bpb_input *input_at(const run *r, guint j)
{
    return r->in->items->pdata[j];
}

static void update_totals(run *r)
{
    r->t.seconds = (double)(g_get_monotonic_time() - r->start) / 1e6;
    if (!r->o->count_pages)
        return;
    guint n = r->t.documents;
    r->t.pages_exact = r->known == n;
    r->t.pages_total = r->known_sum;
    if (r->known > 0 && r->known < n)
        r->t.pages_total += (guint64)((double)r->known_sum / r->known * (n - r->known) + 0.5);
}

static void report(run *r, const bpb_result *res, gboolean final)
{
    update_totals(r);
    if (r->o->report)
        r->o->report(res, &r->t, final, r->o->user);
}

/* A document's pages became known (counted, or read by its worker). */
static void learn_pages(run *r, guint j, int pages, gboolean finished)
{
    if (r->done[j])
        return;
    if (r->pages_of[j] >= 0)
        r->known_sum -= (guint64)r->pages_of[j];
    else
        r->known++;
    r->pages_of[j] = MAX(pages, 0);
    r->known_sum += (guint64)r->pages_of[j];
    r->done[j] = finished;
}

/* json: the document's JSON as written (output or by-unit part), for the
 * batch report; NULL when none was written.  digest: what the report reads
 * of it, as the worker sent it (NULL: the report reads json). */
static void finish(run *r, guint j, const bpb_result *res, const char *json, const char *digest)
{
    if (r->report) {
        static const char *const status[] = {"converted", "skipped", "failed"};
        bpd_report_add(r->report, res->input, status[res->status], res->error, json, json ? digest : NULL,
                       r->outputs ? json : NULL, res->pages);
    }
    switch (res->status) {
    case BPB_CONVERTED:
        r->t.converted++;
        break;
    case BPB_SKIPPED:
        r->t.skipped++;
        break;
    case BPB_FAILED:
        r->t.failed++;
        break;
    }
    if (res->status == BPB_CONVERTED && res->empty)
        r->t.empty++;
    if (res->status != BPB_SKIPPED) {
        r->t.pages += (guint64)MAX(res->pages, 0);
        r->t.checks_failed += (guint)MAX(res->checks_failed, 0);
        r->t.ocr_documents += res->ocr_pages > 0;
        r->t.ocr_pages_lent += (guint64)MAX(res->ocr_pages_lent, 0);
    }
    learn_pages(r, j, res->status == BPB_SKIPPED ? 0 : res->pages, TRUE);
    report(r, res, FALSE);
}

static void fail(run *r, guint j, const char *why)
{
    bpb_result res = {.input = input_at(r, j)->path, .status = BPB_FAILED, .error = why};
    finish(r, j, &res, NULL, NULL);
}

/* ---------------------------------------------------------------- workers */

/* In the child: signals as a fresh process has them, and no descriptor of
 * the parent's bookkeeping. */
static void child_setup(const run *r)
{
    /* The folder lock is the run's, not its workers': a worker orphaned by a
     * killed run must not keep the next run (--resume) out of the folder. */
    if (r->lock_fd >= 0)
        close(r->lock_fd);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (guint i = 0; i < r->n_slots; i++)
        if (r->slots[i].pid > 0)
            close(r->slots[i].fd);
    if (r->counter_fd >= 0)
        close(r->counter_fd);
    if (r->o->cancel_fd >= 0)
        close(r->o->cancel_fd);
    /* the backstop of max_memory (batch.h): the parent's sampling cannot see
     * an allocation burst between two looks */
    if (r->o->max_memory > 0 && !BPB_SANITIZED) {
        guint64 cap = 2 * r->o->max_memory + ((guint64)256 << 20);
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) == 0 && (rl.rlim_max == RLIM_INFINITY || cap < rl.rlim_max)) {
            rl.rlim_cur = (rlim_t)cap;
            setrlimit(RLIMIT_AS, &rl);
        }
    }
}

/* Forks a child that runs body(r, arg, fd) and exits; returns its pid and
 * the read end of its pipe (non-blocking), or -1 with errno set. */
static pid_t spawn(const run *r, void (*body)(const run *, const void *, int), const void *arg, int *fd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL); /* no stdio buffer is copied into the child to be flushed twice */
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        child_setup(r);
        body(r, arg, p[1]);
        /* exit, not _exit: LeakSanitizer and valgrind check the worker too.  The
         * pipe is left for the kernel to close once the exit handlers are done,
         * so that the parent, on end-of-file, reaps a process already gone. */
        exit(0);
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    *fd = p[0];
    return pid;
}

/* Memory a worker's child reading a page by OCR is reckoned to hold, and
 * the worker itself (bench/README.md: 85-100 MiB a child, scanned workers
 * up to 123 MiB), for lend_limit(). */
#ifndef BPB_LEND_CHILD_MIB
#define BPB_LEND_CHILD_MIB 160
#endif

/* How many processors a worker may hold at once so that it and its
 * children stay within max_memory (which counts them together); -1: any. */
static int lend_limit(const bpb_options *o)
{
    if (o->max_memory == 0)
        return -1;
    guint64 child = (guint64)BPB_LEND_CHILD_MIB << 20;
    return o->max_memory <= child ? 0 : (int)MIN((o->max_memory - child) / child, 4096);
}

/* What worker_body() is told: the input, and the worker's slot. */
typedef struct {
    guint job, slot;
} worker_arg;

static void worker_body(const run *r, const void *arg, int fd)
{
    const worker_arg *a = arg;
    guint j = a->job;
    bpb_job job = {
        .input = input_at(r, j),
        .output = r->outputs ? r->outputs[j] : NULL,
        .parts_dir = r->parts_dir,
        .merged_sha = r->merged_sha,
        .lend = {r->spare, a->slot, lend_limit(r->o)},
    };
    bpb_worker(&job, r->o, fd);
}

static void counter_body(const run *r, const void *arg, int fd)
{
    (void)arg;
    bpb_page_counter(r->in, r->order, r->t.documents, r->o->password, fd);
}

/* Reads what is there; FALSE at end of file (or on an error: the same). */
static gboolean drain(int fd, GByteArray *buf)
{
    guint8 chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            g_byte_array_append(buf, chunk, (guint)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

/* Waits for pid; *peak (when given) gets its peak resident memory in bytes. */
static int reap(pid_t pid, guint64 *peak)
{
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    if (peak)
        *peak = (guint64)MAX(ru.ru_maxrss, 0) * 1024; /* Linux: kilobytes */
    return status;
}

/* A process's resident memory (Linux /proc/PID/statm); 0 when unknown (a
 * worker already gone, or no /proc). */
static guint64 resident_bytes(pid_t pid)
{
    char path[48], text[128];
    g_snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return 0;
    text[n] = 0;
    unsigned long long size = 0, resident = 0;
    if (sscanf(text, "%llu %llu", &size, &resident) != 2)
        return 0;
    long page = sysconf(_SC_PAGESIZE);
    return (guint64)resident * (guint64)(page > 0 ? page : 4096);
}

/* A worker's resident memory with its children's (the pages a child shares
 * with the worker, copied on write, count in both); the worker's alone
 * where /proc does not list children, and in sanitizer builds, whose leak
 * check at exit runs in a child that shares the worker's memory whole
 * (LeakSanitizer's tracer, cloned with CLONE_VM: counting it doubled an
 * ASan worker's memory at its exit, past max_memory). */
static guint64 family_resident_bytes(pid_t pid)
{
    guint64 sum = resident_bytes(pid);
    if (BPB_SANITIZED)
        return sum;
    char path[64];
    g_snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", (long)pid, (long)pid);
    char *text = NULL;
    if (sum && g_file_get_contents(path, &text, NULL, NULL)) {
        for (char *p = text, *end; *p; p = end) {
            long child = strtol(p, &end, 10);
            if (end == p)
                break;
            if (child > 0)
                sum += resident_bytes((pid_t)child);
        }
    }
    g_free(text);
    return sum;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "signal";
    }
}

/* The record in buf, with its strings copied out; FALSE when incomplete. */
static gboolean parse_record(const GByteArray *buf, bpb_wire *w, char **error, char **unit, char **json,
                             char **digest)
{
    if (buf->len < sizeof *w)
        return FALSE;
    memcpy(w, buf->data, sizeof *w);
    guint64 need = (guint64)sizeof *w + w->error_len + w->unit_len + w->json_len + w->digest_len;
    if (w->magic != BPB_WIRE_MAGIC || need != buf->len || w->sha256[sizeof w->sha256 - 1] != 0 ||
        w->status < BPB_CONVERTED || w->status > BPB_FAILED)
        return FALSE;
    const char *p = (const char *)buf->data + sizeof *w;
    *error = w->error_len ? g_strndup(p, w->error_len) : NULL;
    *unit = w->unit_len ? g_strndup(p + w->error_len, w->unit_len) : NULL;
    *json = w->json_len ? g_strndup(p + w->error_len + w->unit_len, w->json_len) : NULL;
    p += w->error_len + w->unit_len + w->json_len;
    *digest = w->digest_len ? g_strndup(p, w->digest_len) : NULL;
    return TRUE;
}

static void remove_temp(const run *r, const slot *s)
{
    char *dir = r->outputs ? g_path_get_dirname(r->outputs[s->job]) : g_strdup(r->parts_dir);
    if (dir) {
        char *tmp = bpb_temp_path(dir, s->pid);
        g_unlink(tmp);
        g_free(tmp);
    }
    g_free(dir);
}

static void slot_free(slot *s)
{
    g_byte_array_free(s->buf, TRUE);
    s->buf = NULL;
    s->pid = 0;
    s->fd = -1;
}

/* The worker in s closed its pipe: reap it and report its document. */
static void end_worker(run *r, slot *s)
{
    close(s->fd);
    guint64 peak = 0;
    int status = reap(s->pid, &peak);
    bpb_spare_forget(r->spare, (guint)(s - r->slots)); /* a worker killed while its children read */
    r->t.peak_memory = MAX(r->t.peak_memory, peak);
    bpb_wire w;
    char *error = NULL, *unit = NULL, *json = NULL, *digest = NULL, *why = NULL;
    gboolean have = parse_record(s->buf, &w, &error, &unit, &json, &digest);
    gboolean signalled = WIFSIGNALED(status);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    if (!have || signalled || code != 0)
        remove_temp(r, s);
    if (r->cancelled && signalled && !have) { /* stopped, not failed: left for --resume */
        slot_free(s);
        return;
    }
    if (s->over_memory)
        why = g_strdup_printf("exceeded the memory limit of %g MiB per worker (worker killed at %.1f MiB)",
                              (double)r->o->max_memory / 1048576.0, (double)s->resident / 1048576.0);
    else if (s->timed_out)
        why = g_strdup_printf("timed out after %g s, the time limit (worker killed)", r->o->timeout);
    else if (signalled && !(have && r->cancelled))
        why = g_strdup_printf("worker crashed: %s (%s)", signal_name(WTERMSIG(status)),
                              strsignal(WTERMSIG(status)));
    else if (code != 0)
        why = g_strdup_printf("worker exited with status %d", code);
    else if (!have)
        why = g_strdup("worker ended without a result");
    bpb_result res = {.input = input_at(r, s->job)->path, .status = BPB_FAILED, .error = why};
    if (!why) {
        res.status = (bpb_status)w.status;
        res.error = error;
        res.pages = w.pages;
        res.checks_failed = w.checks_failed;
        res.ocr_pages = w.ocr_pages;
        res.ocr_pages_lent = w.ocr_pages_lent;
        res.json = json;
        res.empty = w.empty != 0;
        if (r->outputs && res.status != BPB_FAILED)
            res.output = r->outputs[s->job];
        if (r->parts && w.sha256[0]) {
            bpb_part *p = g_new0(bpb_part, 1);
            p->year = w.year;
            p->unit = g_steal_pointer(&unit);
            p->sha256 = g_strdup(w.sha256);
            p->input = input_at(r, s->job);
            p->index = s->job;
            g_ptr_array_add(r->parts, p);
        }
    }
    guint j = s->job;
    char *written = NULL; /* strict: a document failed by its checks was still written */
    if (!why && (res.status != BPB_FAILED || res.checks_failed > 0)) {
        if (r->outputs) {
            written = g_strdup(r->outputs[j]);
        } else if (r->parts_dir && w.sha256[0]) {
            char *name = g_strconcat(w.sha256, ".json", NULL);
            written = g_build_filename(r->parts_dir, name, NULL);
            g_free(name);
        }
    }
    slot_free(s);
    finish(r, j, &res, written, why ? NULL : digest);
    g_free(written);
    g_free(digest);
    g_free(why);
    g_free(error);
    g_free(unit);
    g_free(json);
}

static gboolean start_worker(run *r, slot *s, guint j)
{
    int fd;
    worker_arg arg = {j, (guint)(s - r->slots)};
    pid_t pid = spawn(r, worker_body, &arg, &fd);
    if (pid < 0)
        return FALSE;
    s->pid = pid;
    s->fd = fd;
    s->job = j;
    s->buf = g_byte_array_new();
    s->timed_out = FALSE;
    s->over_memory = FALSE;
    s->resident = 0;
    s->deadline = r->o->timeout > 0 ? g_get_monotonic_time() + (gint64)(r->o->timeout * 1e6) : 0;
    return TRUE;
}

static guint active(const run *r)
{
    guint n = 0;
    for (guint i = 0; i < r->n_slots; i++)
        n += r->slots[i].pid > 0;
    return n;
}

static slot *free_slot(run *r)
{
    for (guint i = 0; i < r->n_slots; i++)
        if (r->slots[i].pid == 0)
            return &r->slots[i];
    return NULL;
}

static void kill_all(run *r, int sig)
{
    for (guint i = 0; i < r->n_slots; i++)
        if (r->slots[i].pid > 0)
            kill(r->slots[i].pid, sig);
}

/* Starts what can start; FALSE when a worker could not be started and none
 * is running to wait for (the error is then the batch's). */
static gboolean dispatch(run *r, GError **error)
{
    slot *s;
    while (!r->cancelled && r->next < r->t.documents && (s = free_slot(r))) {
        guint j = r->order[r->next];
        const char *why = input_at(r, j)->error ? input_at(r, j)->error : r->plan_error[j];
        if (why) {
            r->next++;
            fail(r, j, why);
            continue;
        }
        if (!start_worker(r, s, j)) {
            if (active(r) > 0 && (errno == EAGAIN || errno == ENOMEM || errno == EMFILE || errno == ENFILE))
                return TRUE; /* retried when a worker ends */
            g_set_error(error, BPB_ERROR, BPB_ERROR_SYSTEM, "cannot start a worker: %s", g_strerror(errno));
            return FALSE;
        }
        r->next++;
    }
    return TRUE;
}

/* ---------------------------------------------------------------- the counter */

static void counter_read(run *r)
{
    gboolean open = drain(r->counter_fd, r->counter_buf);
    guint k = 0;
    for (; k + 2 * sizeof(int32_t) <= r->counter_buf->len; k += 2 * sizeof(int32_t)) {
        int32_t rec[2];
        memcpy(rec, r->counter_buf->data + k, sizeof rec);
        if (rec[0] >= 0 && (guint)rec[0] < r->t.documents)
            learn_pages(r, (guint)rec[0], rec[1], FALSE);
    }
    g_byte_array_remove_range(r->counter_buf, 0, k);
    if (!open) {
        close(r->counter_fd);
        r->counter_fd = -1;
        reap(r->counter_pid, NULL);
        r->counter_pid = 0;
    }
}

static void counter_stop(run *r)
{
    if (r->counter_pid <= 0)
        return;
    kill(r->counter_pid, SIGTERM);
    close(r->counter_fd);
    r->counter_fd = -1;
    reap(r->counter_pid, NULL);
    r->counter_pid = 0;
}

/* ---------------------------------------------------------------- the loop */

static int poll_timeout(const run *r)
{
    gint64 now = g_get_monotonic_time(), until = G_MAXINT64;
    if (r->o->tick_ms > 0 && r->o->report)
        until = r->next_tick;
    for (guint i = 0; i < r->n_slots; i++) {
        const slot *s = &r->slots[i];
        if (s->pid > 0 && s->deadline && !s->timed_out)
            until = MIN(until, s->deadline);
        if (s->pid > 0 && r->o->max_memory > 0 && !s->over_memory)
            until = MIN(until, now + BPB_MEMORY_SAMPLE_MS * 1000);
    }
    if (until == G_MAXINT64)
        return -1;
    return until <= now ? 0 : (int)MIN((until - now + 999) / 1000, 60000);
}

static gboolean loop(run *r, GError **error)
{
    GArray *fds = g_array_new(FALSE, FALSE, sizeof(struct pollfd));
    GArray *which = g_array_new(FALSE, FALSE, sizeof(int)); /* slot index, -1 counter, -2 cancel */
    gboolean ok = TRUE;
    while ((ok = dispatch(r, error))) {
        if (active(r) == 0 && (r->cancelled || r->next >= r->t.documents))
            break;
        /* no document waits: the processors no worker runs on are lent */
        gboolean waiting = r->next < r->t.documents && !r->cancelled;
        bpb_spare_allow(r->spare, waiting ? 0 : (int)r->jobs - (int)active(r));
        g_array_set_size(fds, 0);
        g_array_set_size(which, 0);
        for (guint i = 0; i < r->n_slots; i++)
            if (r->slots[i].pid > 0) {
                g_array_append_val(fds, ((struct pollfd){.fd = r->slots[i].fd, .events = POLLIN}));
                g_array_append_val(which, (int){(int)i});
            }
        if (r->counter_fd >= 0) {
            g_array_append_val(fds, ((struct pollfd){.fd = r->counter_fd, .events = POLLIN}));
            g_array_append_val(which, (int){-1});
        }
        if (r->o->cancel_fd >= 0 && !r->cancelled) {
            g_array_append_val(fds, ((struct pollfd){.fd = r->o->cancel_fd, .events = POLLIN}));
            g_array_append_val(which, (int){-2});
        }
        int n = poll((struct pollfd *)(void *)fds->data, fds->len, poll_timeout(r));
        if (n < 0 && errno != EINTR) {
            g_set_error(error, BPB_ERROR, BPB_ERROR_SYSTEM, "poll: %s", g_strerror(errno));
            ok = FALSE;
            break;
        }
        /* the cancel first: workers dying of the same Ctrl-C are not crashes */
        for (guint k = 0; n > 0 && k < fds->len; k++) {
            const struct pollfd *p = &g_array_index(fds, struct pollfd, k);
            if (g_array_index(which, int, k) == -2 && p->revents) {
                r->cancelled = r->t.interrupted = TRUE;
                kill_all(r, SIGTERM);
                counter_stop(r);
            }
        }
        for (guint k = 0; n > 0 && k < fds->len; k++) {
            const struct pollfd *p = &g_array_index(fds, struct pollfd, k);
            int w = g_array_index(which, int, k);
            if (!p->revents || w == -2)
                continue;
            if (w == -1) {
                if (r->counter_fd >= 0)
                    counter_read(r);
                continue;
            }
            slot *s = &r->slots[w];
            if (!drain(s->fd, s->buf))
                end_worker(r, s);
        }
        gint64 now = g_get_monotonic_time();
        for (guint i = 0; i < r->n_slots; i++) {
            slot *s = &r->slots[i];
            if (s->pid > 0 && s->deadline && !s->timed_out && !s->over_memory && now >= s->deadline) {
                s->timed_out = TRUE;
                kill(s->pid, SIGKILL);
            }
            if (s->pid > 0 && r->o->max_memory > 0 && !s->timed_out && !s->over_memory &&
                (s->resident = family_resident_bytes(s->pid)) > r->o->max_memory) {
                s->over_memory = TRUE;
                kill(s->pid, SIGKILL);
            }
        }
        if (r->o->tick_ms > 0 && now >= r->next_tick) {
            r->next_tick = now + (gint64)r->o->tick_ms * 1000;
            report(r, NULL, FALSE);
        }
    }
    if (!ok) { /* the batch cannot go on: stop the workers that run */
        kill_all(r, SIGKILL);
        for (guint i = 0; i < r->n_slots; i++)
            if (r->slots[i].pid > 0) {
                close(r->slots[i].fd);
                reap(r->slots[i].pid, NULL);
                remove_temp(r, &r->slots[i]);
                slot_free(&r->slots[i]);
            }
    }
    g_array_free(fds, TRUE);
    g_array_free(which, TRUE);
    return ok;
}

/* ---------------------------------------------------------------- planning */

typedef struct {
    gint64 size;
    guint index;
} sized;

static int larger_first(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* A run killed mid-write left temporary files where it writes (FILES: the
 * folders of the outputs; UNITS: DIR, its parts and its <year> and unknown
 * folders); once their process is gone they are nobody's. */
static void remove_stale_temps(const run *r)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (r->o->out_dir)
        g_hash_table_add(seen, g_strdup(r->o->out_dir));
    if (r->outputs) {
        for (guint j = 0; j < r->t.documents; j++)
            g_hash_table_add(seen, g_path_get_dirname(r->outputs[j]));
    } else {
        GDir *d = g_dir_open(r->o->out_dir, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            char *sub = g_build_filename(r->o->out_dir, name, NULL);
            if (g_file_test(sub, G_FILE_TEST_IS_DIR))
                g_hash_table_add(seen, sub);
            else
                g_free(sub);
        }
        if (d)
            g_dir_close(d);
        /* DIR/unknown/<name>.json mirrors the input tree */
        for (guint j = 0; j < r->t.documents; j++) {
            char *rel = g_strconcat(input_at(r, j)->name, ".json", NULL);
            char *path = g_build_filename(r->o->out_dir, BPB_UNKNOWN_DIR, rel, NULL);
            g_hash_table_add(seen, g_path_get_dirname(path));
            g_free(path);
            g_free(rel);
        }
    }
    GHashTableIter it;
    gpointer dir;
    g_hash_table_iter_init(&it, seen);
    while (g_hash_table_iter_next(&it, &dir, NULL))
        bpb_remove_stale_temps(dir);
    g_hash_table_destroy(seen);
}

/* FILES: the output of each input; a second input with the output of an
 * earlier one fails rather than overwrite it. */
static void plan_files(run *r)
{
    guint n = r->t.documents;
    r->outputs = g_new0(char *, n + 1);
    GHashTable *first = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint j = 0; j < n; j++) {
        char *name = g_strconcat(input_at(r, j)->name, ".json", NULL);
        r->outputs[j] = r->o->out_file && n == 1 ? g_strdup(r->o->out_file) : g_build_filename(r->o->out_dir, name, NULL);
        g_free(name);
        gpointer earlier;
        if (input_at(r, j)->error)
            continue;
        if (r->report && strcmp(input_at(r, j)->name, BPD_REPORT_BASE) == 0)
            r->plan_error[j] = g_strdup_printf("its output would be %s, the batch report's name: rename the PDF",
                                               r->outputs[j]);
        else if (g_hash_table_lookup_extended(first, r->outputs[j], NULL, &earlier))
            r->plan_error[j] = g_strdup_printf("its output %s is that of %s: not converted", r->outputs[j],
                                               input_at(r, GPOINTER_TO_UINT(earlier))->path);
        else
            g_hash_table_insert(first, r->outputs[j], GUINT_TO_POINTER(j));
    }
    g_hash_table_destroy(first);
    remove_stale_temps(r);
}

/* UNITS: the parts folder; without resume, what an earlier run left in it
 * is stale. */
static void plan_units(run *r)
{
    r->parts_dir = g_build_filename(r->o->out_dir, BPB_PARTS_DIR, NULL);
    r->parts = g_ptr_array_new();
    remove_stale_temps(r);
    if (r->o->resume)
        r->merged_sha = bpb_units_index(r->o->out_dir);
    /* without resume every part is stale; with it, those whose content is
     * merged already (a run killed between writing an output and removing
     * its parts) */
    GDir *d = g_dir_open(r->parts_dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *sha = g_str_has_suffix(name, ".json") ? g_strndup(name, strlen(name) - 5) : NULL;
        if (!r->merged_sha || (sha && g_hash_table_contains(r->merged_sha, sha))) {
            char *p = g_build_filename(r->parts_dir, name, NULL);
            g_unlink(p);
            g_free(p);
        }
        g_free(sha);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(r->parts_dir); /* fails, harmlessly, while parts remain */
}

static void part_free(gpointer p)
{
    bpb_part *part = p;
    g_free(part->unit);
    g_free(part->sha256);
    g_free(part);
}

gboolean bpb_run(const bpb_inputs *in, const bpb_options *opts, bpb_totals *totals, GError **error)
{
    run r = {.in = in, .o = opts, .counter_fd = -1, .lock_fd = -1};
    r.start = g_get_monotonic_time();
    r.next_tick = r.start + (gint64)opts->tick_ms * 1000;
    guint n = r.t.documents = bpb_inputs_count(in);
    if (opts->output == BPB_OUTPUT_FILES && opts->out_file && n != 1) {
        g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: one output file for %u inputs", opts->out_file, n);
        return FALSE;
    }
    if (opts->output != BPB_OUTPUT_STREAM) {
        char *dir = opts->out_file && opts->output == BPB_OUTPUT_FILES ? g_path_get_dirname(opts->out_file)
                                                                         : g_strdup(opts->out_dir);
        gboolean made = dir && g_mkdir_with_parents(dir, 0777) == 0;
        int e = dir ? errno : EINVAL;
        if (!made)
            g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: cannot create output folder: %s",
                        dir ? dir : "(none)", g_strerror(e));
        g_free(dir);
        if (!made)
            return FALSE;
    }
    /* two by-unit runs on one folder would remove each other's parts */
    int lock = -1;
    if (opts->output == BPB_OUTPUT_UNITS && (lock = bpb_lock_folder(opts->out_dir, error)) < 0)
        return FALSE;
    r.lock_fd = lock;
    if (opts->review_dir && g_mkdir_with_parents(opts->review_dir, 0777) != 0) {
        g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: cannot create review folder: %s", opts->review_dir,
                    g_strerror(errno));
        return FALSE;
    }
    if (opts->review_dir)
        bpb_remove_stale_temps(opts->review_dir);
    r.plan_error = g_new0(char *, n + 1);
    r.pages_of = g_new(int, n + 1);
    r.done = g_new0(gboolean, n + 1);
    for (guint j = 0; j < n; j++)
        r.pages_of[j] = -1;
    if (opts->output != BPB_OUTPUT_STREAM && opts->out_dir && !opts->out_file) {
        /* a folder of outputs: its report, written as the inputs are done
         * under a temporary name of this run (bpb_remove_stale_temps() knows
         * it when a killed run leaves it) */
        char *name = g_strdup_printf(".budgetpdf-%ld.report.tmp", (long)getpid());
        char *report_tmp = g_build_filename(opts->out_dir, name, NULL);
        char *path = g_build_filename(opts->out_dir, BPD_REPORT_NAME, NULL);
        GError *rerr = NULL;
        r.report = bpd_report_new(report_tmp, path, &rerr);
        if (!r.report) { /* the batch goes on; the report is said to be missing */
            r.report_error = g_strdup(rerr->message);
            g_error_free(rerr);
        }
        g_free(path);
        g_free(report_tmp);
        g_free(name);
    }
    if (opts->output == BPB_OUTPUT_FILES)
        plan_files(&r);
    else if (opts->output == BPB_OUTPUT_UNITS)
        plan_units(&r);

    sized *by_size = g_new(sized, n + 1);
    for (guint j = 0; j < n; j++)
        by_size[j] = (sized){input_at(&r, j)->size, j};
    qsort(by_size, n, sizeof *by_size, larger_first);
    r.order = g_new(guint, n + 1);
    for (guint j = 0; j < n; j++)
        r.order[j] = by_size[j].index;
    g_free(by_size);

    guint jobs = opts->jobs > 0 ? (guint)opts->jobs : (guint)g_get_num_processors();
    r.jobs = jobs;
    r.n_slots = CLAMP(MIN(jobs, n), 1, 4096);
    r.slots = g_new0(slot, r.n_slots);
    if (jobs > 1) /* made before any fork, so that every worker shares it */
        r.spare = bpb_spare_new(r.n_slots);
    for (guint i = 0; i < r.n_slots; i++)
        r.slots[i].fd = -1;

    gboolean ok = TRUE;
    if (opts->count_pages && n > 1) {
        r.counter_buf = g_byte_array_new();
        r.counter_pid = spawn(&r, counter_body, NULL, &r.counter_fd);
        if (r.counter_pid < 0) { /* the display does without */
            r.counter_pid = 0;
            r.counter_fd = -1;
        }
    }
    ok = loop(&r, error);
    counter_stop(&r);
    if (ok && !r.cancelled && r.parts)
        bpb_units_merge(r.parts, opts, &r.t);
    if (ok && r.report && !bpd_report_write(r.report, error))
        ok = FALSE;
    if (ok && r.report_error) {
        g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s", r.report_error);
        ok = FALSE;
    }
    g_free(r.report_error);
    bpd_report_free(r.report);
    report(&r, NULL, TRUE);
    if (totals)
        *totals = r.t;

    if (r.parts) {
        g_ptr_array_set_free_func(r.parts, part_free);
        g_ptr_array_free(r.parts, TRUE);
    }
    if (r.merged_sha)
        g_hash_table_destroy(r.merged_sha);
    if (r.counter_buf)
        g_byte_array_free(r.counter_buf, TRUE);
    g_strfreev(r.outputs);
    for (guint j = 0; j < n; j++)
        g_free(r.plan_error[j]);
    g_free(r.plan_error);
    g_free(r.parts_dir);
    g_free(r.pages_of);
    g_free(r.done);
    g_free(r.order);
    g_free(r.slots);
    bpb_spare_free(r.spare);
    if (lock >= 0)
        bpb_unlock_folder(opts->out_dir, lock);
    return ok;
}
