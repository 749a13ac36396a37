/* inputs.c — the inputs of a batch: files as given, folders walked for PDFs.
 *
 * How a folder argument is walked:
 *   1. normalise_path() collapses repeated slashes and drops trailing ones
 *      ("in//" is "in"), and every path of the walk is built from that
 *      normalised root; each file's output name is its path relative to the
 *      root, carried down the walk (walk_dir's `rel`) rather than cut out of
 *      the full path afterwards, so no byte count can disagree with how GLib
 *      joined the path.
 *   2. walk_dir() reads a folder; a file is an input when its name ends in
 *      ".pdf" (any case) or, whatever its name, when it is a regular file
 *      whose first 1024 bytes hold "%PDF-" (looks_like_pdf(): scrapers save
 *      "download?id=123"; readers accept the header anywhere in the first
 *      kilobyte).
 *   3. A symbolic link is followed only when its target, resolved with
 *      realpath(), lies inside the root's own resolved path (a link that
 *      leaves the tree, e.g. `sub/x -> /`, would otherwise make the batch
 *      convert whatever it reaches); the others become warnings, unless
 *      BPB_COLLECT_FOLLOW_LINKS.  A link that cannot be resolved (dangling,
 *      or a loop of links) and is named *.pdf fails as an input saying which.
 *   4. A walk that follows links could run forever (a link to an ancestor) or
 *      visit a tree twice (two links to it): the (device, inode) of every
 *      folder entered during the collection is remembered and no folder is
 *      entered twice.  Which way into a folder comes first must not depend on
 *      the order the file system lists a folder in, so the walk goes in two
 *      tiers: the real folders of the tree first, depth first, while linked
 *      folders are only queued; then the queue, each linked folder walked the
 *      same way.  A folder reachable both directly and through a link is thus
 *      named by its real path.
 *   5. The files found under one folder argument are sorted by path
 *      (bytewise), so a batch's order does not depend on the file system's.
 * A folder in which nothing was found becomes a failing input whose reason
 * says what was seen (links left out, folders already walked).
 *
 * Each input gets its output name: a file argument its base name, a file found
 * in a folder its path under that folder (a scraped tree often repeats file
 * names across unit folders), both without ".pdf"; standard input "stdin".
 */
/* realpath() */
#define _DEFAULT_SOURCE
#include "batch/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How far into a file the %PDF- header may start. */
#define PDF_HEADER_WINDOW 1024

static gboolean is_pdf_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && g_ascii_strcasecmp(name + n - 4, ".pdf") == 0;
}

static char *strip_pdf(const char *name)
{
    size_t n = strlen(name);
    return is_pdf_name(name) ? g_strndup(name, n - 4) : g_strdup(name);
}

static bpb_input *input_new(const char *path, const char *name, const char *error, gint64 size)
{
    bpb_input *in = g_new0(bpb_input, 1);
    in->path = g_strdup(path);
    in->name = strip_pdf(name);
    in->error = g_strdup(error);
    in->size = size;
    return in;
}

static void warning_free(gpointer p)
{
    bpb_warning *w = p;
    g_free(w->path);
    g_free(w->reason);
    g_free(w);
}

static void input_free(gpointer p)
{
    bpb_input *in = p;
    g_free(in->path);
    g_free(in->name);
    g_free(in->error);
    if (in->data)
        g_bytes_unref(in->data);
    g_free(in);
}

/* Repeated slashes collapsed, trailing ones dropped ("/" stays "/"). */
static char *normalise_path(const char *path)
{
    GString *s = g_string_new(NULL);
    for (const char *p = path; *p; p++)
        if (*p != '/' || s->len == 0 || s->str[s->len - 1] != '/')
            g_string_append_c(s, *p);
    while (s->len > 1 && s->str[s->len - 1] == '/')
        g_string_truncate(s, s->len - 1);
    return g_string_free(s, FALSE);
}

/* Why a path cannot be opened, from stat's errno. */
static char *stat_failure(int e)
{
    if (e == ELOOP)
        return g_strdup("symbolic link loop (too many levels of symbolic links)");
    if (e == ENOENT)
        return g_strdup("no such file");
    char *why = g_ascii_strdown(g_strerror(e), -1);
    return why;
}

/* A regular file with "%PDF-" in its first PDF_HEADER_WINDOW bytes. */
static gboolean looks_like_pdf(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return FALSE;
    char buf[PDF_HEADER_WINDOW];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) < 0 && errno == EINTR)
        ;
    close(fd);
    for (ssize_t i = 0; i + 5 <= n; i++)
        if (memcmp(buf + i, "%PDF-", 5) == 0)
            return TRUE;
    return FALSE;
}

typedef struct {
    dev_t dev;
    ino_t ino;
} dir_id;

static guint dir_id_hash(gconstpointer p)
{
    const dir_id *d = p;
    return g_int64_hash(&(gint64){(gint64)d->ino}) ^ (guint)d->dev;
}

static gboolean dir_id_equal(gconstpointer a, gconstpointer b)
{
    const dir_id *x = a, *y = b;
    return x->dev == y->dev && x->ino == y->ino;
}

typedef struct {
    char *path, *rel;
} linked_dir;

typedef struct {
    GHashTable *seen;    /* dir_id* of every folder entered */
    GPtrArray *found;    /* bpb_input* */
    GPtrArray *warnings; /* bpb_warning*, the collection's */
    const char *root;    /* the folder argument, normalised */
    char *root_real;     /* its realpath(); NULL when it cannot be resolved */
    gboolean follow_all;
    guint links_left_out, folders_again;
    GQueue linked;       /* linked_dir*: folders reached through a link, not yet walked */
} walk;

/* TRUE when the link at path stays inside the root (or all are followed).
 * Otherwise *why says why it is not followed (or NULL: a warning was given). */
static gboolean may_follow(walk *w, const char *path, char **why)
{
    *why = NULL;
    if (w->follow_all)
        return TRUE;
    char *real = realpath(path, NULL);
    if (!real) {
        *why = stat_failure(errno);
        return FALSE;
    }
    size_t n = w->root_real ? strlen(w->root_real) : 0;
    gboolean inside = w->root_real && strncmp(real, w->root_real, n) == 0 &&
                      (real[n] == '/' || real[n] == 0 || (n == 1 && w->root_real[0] == '/'));
    if (!inside) {
        w->links_left_out++;
        bpb_warning *warning = g_new(bpb_warning, 1);
        warning->path = g_strdup(path);
        warning->reason = g_strdup_printf("symbolic link to %s, outside %s: not followed (--follow-links follows it)",
                                          real, w->root);
        g_ptr_array_add(w->warnings, warning);
    }
    free(real);
    return inside;
}

static void walk_dir(walk *w, const char *dir, const char *rel, const struct stat *st)
{
    dir_id *id = g_new(dir_id, 1);
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    if (!g_hash_table_add(w->seen, id)) {
        w->folders_again++;
        return;
    }
    GError *err = NULL;
    GDir *d = g_dir_open(dir, 0, &err);
    if (!d) {
        char *why = g_strdup_printf("cannot read folder: %s", err->message);
        g_ptr_array_add(w->found, input_new(dir, rel ? rel : dir, why, 0));
        g_free(why);
        g_error_free(err);
        return;
    }
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        char *sub = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
        struct stat cst;
        gboolean link = lstat(path, &cst) == 0 && S_ISLNK(cst.st_mode);
        char *why = NULL;
        gboolean followed = !link || may_follow(w, path, &why);
        gboolean ok = followed && stat(path, &cst) == 0;
        if (followed && !ok)
            why = stat_failure(errno);
        if (link && !ok && why && strcmp(why, "no such file") == 0) {
            g_free(why);
            why = g_strdup("symbolic link to a missing file");
        }
        if (ok && S_ISDIR(cst.st_mode) && link) {
            linked_dir *l = g_new(linked_dir, 1);
            l->path = g_strdup(path);
            l->rel = g_strdup(sub);
            g_queue_push_tail(&w->linked, l);
        } else if (ok && S_ISDIR(cst.st_mode)) {
            walk_dir(w, path, sub, &cst);
        } else if (ok ? is_pdf_name(name) || (S_ISREG(cst.st_mode) && looks_like_pdf(path))
                      : why && is_pdf_name(name)) {
            g_ptr_array_add(w->found, input_new(path, sub, ok ? NULL : why,
                                                ok && S_ISREG(cst.st_mode) ? (gint64)cst.st_size : 0));
        }
        g_free(why);
        g_free(sub);
        g_free(path);
    }
    g_dir_close(d);
}

static gint by_path(gconstpointer a, gconstpointer b)
{
    const bpb_input *x = *(const bpb_input *const *)a, *y = *(const bpb_input *const *)b;
    return strcmp(x->path, y->path);
}

/* Standard input, read whole. */
static bpb_input *stdin_input(void)
{
    bpb_input *in = input_new("-", "stdin", NULL, 0);
    if (isatty(STDIN_FILENO)) {
        in->error = g_strdup("standard input is a terminal: pipe a PDF into it");
        return in;
    }
    GByteArray *buf = g_byte_array_new();
    guint8 chunk[65536];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            in->error = g_strdup_printf("cannot read standard input: %s", g_strerror(errno));
            break;
        }
        if (n == 0)
            break;
        g_byte_array_append(buf, chunk, (guint)n);
    }
    in->size = buf->len;
    in->data = g_byte_array_free_to_bytes(buf);
    return in;
}

static void collect_folder(bpb_inputs *in, GHashTable *seen, const char *arg, const struct stat *st,
                           gboolean follow_all)
{
    char *root = normalise_path(arg);
    walk w = {seen, g_ptr_array_new(), in->warnings, root, realpath(root, NULL), follow_all, 0, 0, G_QUEUE_INIT};
    guint entered_before = g_hash_table_size(seen);
    walk_dir(&w, root, NULL, st);
    gboolean entered = g_hash_table_size(seen) > entered_before;
    linked_dir *l;
    while ((l = g_queue_pop_head(&w.linked))) {
        struct stat lst;
        if (stat(l->path, &lst) == 0)
            walk_dir(&w, l->path, l->rel, &lst);
        g_free(l->path);
        g_free(l->rel);
        g_free(l);
    }
    g_ptr_array_sort(w.found, by_path);
    if (w.found->len == 0) {
        GString *why = g_string_new(entered ? "no PDF in this folder or its subfolders"
                                            : "this folder was walked already (given twice, or through a link)");
        if (w.links_left_out)
            g_string_append_printf(why, "; %u symbolic link%s out of it not followed (--follow-links)",
                                   w.links_left_out, w.links_left_out == 1 ? "" : "s");
        if (entered && w.folders_again)
            g_string_append_printf(why, "; %u subfolder%s walked already through another way in", w.folders_again,
                                   w.folders_again == 1 ? "" : "s");
        char *base = g_path_get_basename(root);
        g_ptr_array_add(w.found, input_new(arg, base, why->str, 0));
        g_free(base);
        g_string_free(why, TRUE);
    }
    for (guint k = 0; k < w.found->len; k++)
        g_ptr_array_add(in->items, w.found->pdata[k]);
    g_ptr_array_free(w.found, TRUE);
    free(w.root_real);
    g_free(root);
}

bpb_inputs *bpb_inputs_collect(char *const *args, int n, bpb_collect_flags flags)
{
    bpb_inputs *in = g_new0(bpb_inputs, 1);
    in->items = g_ptr_array_new_with_free_func(input_free);
    in->warnings = g_ptr_array_new_with_free_func(warning_free);
    GHashTable *seen = g_hash_table_new_full(dir_id_hash, dir_id_equal, g_free, NULL);
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(args[i], "-") == 0) {
            g_ptr_array_add(in->items, stdin_input());
        } else if (stat(args[i], &st) != 0) {
            char *why = stat_failure(errno);
            char *base = g_path_get_basename(args[i]);
            g_ptr_array_add(in->items, input_new(args[i], base, why, 0));
            g_free(base);
            g_free(why);
        } else if (!S_ISDIR(st.st_mode)) {
            char *base = g_path_get_basename(args[i]);
            g_ptr_array_add(in->items, input_new(args[i], base, NULL, S_ISREG(st.st_mode) ? st.st_size : 0));
            g_free(base);
        } else {
            collect_folder(in, seen, args[i], &st, (flags & BPB_COLLECT_FOLLOW_LINKS) != 0);
        }
    }
    g_hash_table_destroy(seen);
    return in;
}

guint bpb_inputs_count(const bpb_inputs *in)
{
    return in ? in->items->len : 0;
}

const GPtrArray *bpb_inputs_warnings(const bpb_inputs *in)
{
    return in->warnings;
}

void bpb_inputs_free(bpb_inputs *in)
{
    if (!in)
        return;
    g_ptr_array_free(in->items, TRUE);
    g_ptr_array_free(in->warnings, TRUE);
    g_free(in);
}
