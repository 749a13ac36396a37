/* io.c — atomic output files and the reading back of outputs (for resume).
 *
 * An output is written under a temporary name in its own folder, synced and
 * renamed over the final name, so a reader never sees half a file and a killed
 * run leaves the previous output intact.  The temporary name is derived from
 * the writing process's id (DIR/.budgetpdf-<pid>.tmp) rather than drawn at
 * random: the parent of a worker that died mid-write knows the name and
 * removes the file.
 *
 * The lock of a by-unit output folder (bpb_lock_folder) is flock() on
 * DIR/.budgetpdf.lock: the kernel releases it when the run holding it is
 * gone, however it ended (its workers close their copy at once, so that
 * workers orphaned by a killed run do not hold it), so a killed run never
 * leaves a stale lock for --resume to trip on.  The file holds the
 * locking run's pid, for the second run's message.  It is removed at the
 * end of the run; a run that opened it just before it was removed would
 * lock a file no longer there, so the lock is taken again until the file
 * locked is the one at the path (same inode).
 */
/* flock() */
#define _DEFAULT_SOURCE
#include "batch/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit/emit.h"

char *bpb_temp_path(const char *dir, pid_t pid)
{
    char name[48];
    g_snprintf(name, sizeof name, ".budgetpdf-%ld.tmp", (long)pid);
    return g_build_filename(dir, name, NULL);
}

gboolean bpb_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return FALSE;
        p += w;
        len -= (size_t)w;
    }
    return TRUE;
}

/* The rename is durable once the folder is synced too (after a power cut the
 * file would otherwise be whole but possibly absent).  Best effort. */
static void sync_folder(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

struct bpb_atomic {
    char *path, *dir, *tmp;
    int fd;
    int error; /* errno of the first write that failed, else 0 */
};

bpb_atomic *bpb_atomic_open(const char *path, GError **error)
{
    bpb_atomic *a = g_new0(bpb_atomic, 1);
    a->path = g_strdup(path);
    a->dir = g_path_get_dirname(path);
    a->tmp = bpb_temp_path(a->dir, getpid());
    a->fd = -1;
    if (g_mkdir_with_parents(a->dir, 0777) == 0) {
        /* a file of that name can only be a leftover of a dead process */
        g_unlink(a->tmp);
        a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    }
    if (a->fd < 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s", path,
                    g_strerror(saved));
        bpb_atomic_abandon(a);
        return NULL;
    }
    return a;
}

gboolean bpb_atomic_write(const char *data, size_t len, void *atomic)
{
    bpb_atomic *a = atomic;
    if (!a->error && !bpb_write_all(a->fd, data, len))
        a->error = errno ? errno : EIO;
    return !a->error;
}

gboolean bpb_atomic_ok(const bpb_atomic *a)
{
    return a->error == 0;
}

void bpb_atomic_abandon(bpb_atomic *a)
{
    if (!a)
        return;
    if (a->fd >= 0) {
        close(a->fd);
        g_unlink(a->tmp);
    }
    g_free(a->tmp);
    g_free(a->dir);
    g_free(a->path);
    g_free(a);
}

gboolean bpb_atomic_commit(bpb_atomic *a, GError **error)
{
    gboolean ok = bpb_atomic_write("\n", 1, a) && fsync(a->fd) == 0;
    int saved = a->error ? a->error : errno;
    int fd = a->fd;
    a->fd = -1;
    if (close(fd) != 0 && ok) {
        ok = FALSE;
        saved = errno;
    }
    if (ok && g_rename(a->tmp, a->path) != 0) {
        ok = FALSE;
        saved = errno;
    } else if (ok) {
        sync_folder(a->dir);
    }
    if (!ok) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s", a->path,
                    g_strerror(saved));
        g_unlink(a->tmp);
    }
    bpb_atomic_abandon(a);
    return ok;
}

gboolean bpb_write_atomically(const char *path, const char *text, size_t len, GError **error)
{
    bpb_atomic *a = bpb_atomic_open(path, error);
    if (!a)
        return FALSE;
    bpb_atomic_write(text, len, a);
    return bpb_atomic_commit(a, error);
}

/* The pid in a temporary file's name (bpb_temp_path), or 0. */
static long temp_pid(const char *name)
{
    if (!g_str_has_prefix(name, ".budgetpdf-") || !g_str_has_suffix(name, ".tmp"))
        return 0;
    const char *digits = name + strlen(".budgetpdf-");
    char *end = NULL;
    long pid = strtol(digits, &end, 10);
    /* .budgetpdf-PID.tmp (an output), .budgetpdf-PID.report.tmp (the report) */
    return end != digits && (strcmp(end, ".tmp") == 0 || strcmp(end, ".report.tmp") == 0) && pid > 0 ? pid : 0;
}

guint bpb_remove_stale_temps(const char *dir)
{
    guint removed = 0;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        long pid = temp_pid(name);
        /* a process of that id alive may be a worker of another run */
        if (!pid || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *path = g_build_filename(dir, name, NULL);
        removed += g_unlink(path) == 0;
        g_free(path);
    }
    if (d)
        g_dir_close(d);
    return removed;
}

cJSON *bpb_read_json(const char *path)
{
    char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return NULL;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    g_free(text);
    return doc;
}

char *bpb_file_sha256(const char *path)
{
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL))
        return NULL;
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
    g_free(data);
    return sum;
}

static gboolean source_is(const cJSON *src, const char *sha256)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(src, "sha256");
    return cJSON_IsString(s) && strcmp(s->valuestring, sha256) == 0;
}

gboolean bpb_json_current(const cJSON *doc)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "budgetpdf_version");
    return cJSON_IsString(v) && strcmp(v->valuestring, BPE_VERSION) == 0;
}

gboolean bpb_json_has_source(const cJSON *doc, const char *sha256)
{
    if (!bpb_json_current(doc))
        return FALSE; /* another version wrote it: convert again */
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(doc, "source");
    if (cJSON_IsObject(src))
        return source_is(src, sha256);
    const cJSON *s;
    cJSON_ArrayForEach(s, src)
    {
        if (source_is(s, sha256))
            return TRUE;
    }
    return FALSE;
}

int bpb_lock_folder(const char *dir, GError **error)
{
    char *path = g_build_filename(dir, BPB_LOCK_FILE, NULL);
    int fd = -1;
    for (int attempt = 0; attempt < 16; attempt++) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) {
            g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: cannot create the lock file: %s", path,
                        g_strerror(errno));
            break;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            char text[32] = "";
            ssize_t n = pread(fd, text, sizeof text - 1, 0);
            text[MAX(n, 0)] = 0;
            long pid = strtol(text, NULL, 10);
            if (e == EWOULDBLOCK && pid > 0)
                g_set_error(error, BPB_ERROR, BPB_ERROR_LOCKED,
                            "%s: another budgetpdf --by-unit run (pid %ld) is writing this folder; wait for it "
                            "to end, or give another -o folder",
                            dir, pid);
            else if (e == EWOULDBLOCK)
                g_set_error(error, BPB_ERROR, BPB_ERROR_LOCKED,
                            "%s: another budgetpdf --by-unit run is writing this folder; wait for it to end, or "
                            "give another -o folder",
                            dir);
            else
                g_set_error(error, BPB_ERROR, BPB_ERROR_OUTPUT, "%s: cannot lock: %s", path, g_strerror(e));
            close(fd);
            fd = -1;
            break;
        }
        struct stat held, there;
        if (fstat(fd, &held) == 0 && stat(path, &there) == 0 && held.st_dev == there.st_dev &&
            held.st_ino == there.st_ino) {
            char text[32];
            int len = g_snprintf(text, sizeof text, "%ld\n", (long)getpid());
            if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len) {
                /* the pid is for the message only */
            }
            break;
        }
        close(fd); /* removed by a run that just ended: lock the new one */
        fd = -1;
    }
    if (fd < 0 && error && !*error)
        g_set_error(error, BPB_ERROR, BPB_ERROR_LOCKED, "%s: cannot take the lock", path);
    g_free(path);
    return fd;
}

void bpb_unlock_folder(const char *dir, int fd)
{
    if (fd < 0)
        return;
    char *path = g_build_filename(dir, BPB_LOCK_FILE, NULL);
    g_unlink(path);
    close(fd);
    g_free(path);
}
