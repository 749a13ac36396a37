/* filemap.c — see filemap.h. */
#define _DEFAULT_SOURCE 1 /* madvise */
#include "extract/filemap.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean bpx_file_bytes_open(const char *path, bpx_file_bytes *f, GError **error)
{
    *f = (bpx_file_bytes){NULL, 0, FALSE};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size <= (unsigned long long)SIZE_MAX) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            close(fd);
            *f = (bpx_file_bytes){map, (size_t)st.st_size, TRUE};
            return TRUE;
        }
    }
    if (fd >= 0)
        close(fd);
    gsize len = 0;
    if (!g_file_get_contents(path, &f->data, &len, error))
        return FALSE;
    f->len = len;
    return TRUE;
}

void bpx_file_bytes_release(const bpx_file_bytes *f)
{
    if (f->mapped)
        madvise(f->data, f->len, MADV_DONTNEED);
}

void bpx_file_bytes_close(bpx_file_bytes *f)
{
    if (f->mapped)
        munmap(f->data, f->len);
    else
        g_free(f->data);
    *f = (bpx_file_bytes){NULL, 0, FALSE};
}
