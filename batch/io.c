/* io.c — atomic output files and the reading back of outputs (for resume).
 *
 * An output is written under a temporary name in its own folder, synced and
 * renamed over the final name, so a reader never sees half a file and a killed
 * run leaves the previous output intact.  The temporary name is derived from
 * the writing process's id (DIR/.budgetpdf-<pid>.tmp) rather than drawn at
 * random: the parent of a worker that died mid-write knows the name and
 * removes the file.
 */
#include "batch/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

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

gboolean bpb_write_atomically(const char *path, const char *text, size_t len, GError **error)
{
    char *dir = g_path_get_dirname(path);
    char *tmp = bpb_temp_path(dir, getpid());
    int fd = -1;
    gboolean ok = g_mkdir_with_parents(dir, 0777) == 0;
    if (ok) {
        /* a file of that name can only be a leftover of a dead process */
        g_unlink(tmp);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        ok = fd >= 0;
    }
    ok = ok && bpb_write_all(fd, text, len) && bpb_write_all(fd, "\n", 1) && fsync(fd) == 0;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = FALSE;
        saved = errno;
    }
    if (ok && g_rename(tmp, path) != 0) {
        ok = FALSE;
        saved = errno;
    }
    if (!ok) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s", path,
                    g_strerror(saved));
        if (fd >= 0)
            g_unlink(tmp);
    }
    g_free(tmp);
    g_free(dir);
    return ok;
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

gboolean bpb_json_has_source(const cJSON *doc, const char *sha256)
{
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
