/* inputs.c — the inputs of a batch: files as given, folders walked for PDFs.
 *
 * A folder argument is walked following symbolic links, and every file whose
 * name ends in ".pdf" (any case) is an input.  A walk that follows links can
 * run forever (a link to an ancestor) or visit a tree twice (two links to it);
 * both are avoided by remembering the (device, inode) of every folder entered
 * during the collection and never entering one twice.  Loops are thereby
 * ignored silently, as are the second ways into a folder.  Which way comes
 * first must not depend on the order the file system lists a folder in, so
 * the walk goes in two tiers: the real folders of the tree first, depth first,
 * while linked folders are only queued; then the queue, each linked folder
 * walked the same way.  A folder reachable both directly and through a link
 * is thus always named by its real path.  The files found under one folder
 * argument are sorted by path (bytewise), so a batch's order does not depend
 * on the file system's either.
 *
 * Each input gets its output name: a file argument its base name, a file found
 * in a folder its path under that folder (a scraped tree often repeats file
 * names across unit folders), both without ".pdf".
 */
#include "batch/internal.h"

#include <string.h>
#include <sys/stat.h>

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

static void input_free(gpointer p)
{
    bpb_input *in = p;
    g_free(in->path);
    g_free(in->name);
    g_free(in->error);
    g_free(in);
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
    GHashTable *seen;   /* dir_id* of every folder entered */
    GPtrArray *found;   /* bpb_input* */
    const char *root;   /* the folder argument */
    GQueue linked;      /* char*: folders reached through a link, not yet walked */
} walk;

/* The path of `path` under the folder argument (which it starts with). */
static const char *under_root(const walk *w, const char *path)
{
    size_t n = strlen(w->root);
    const char *p = path + n;
    while (*p == G_DIR_SEPARATOR)
        p++;
    return *p ? p : path;
}

/* FALSE when the folder was entered already (a link loop, or a second link
 * to it): it is then left alone. */
static gboolean walk_dir(walk *w, const char *dir, const struct stat *st)
{
    dir_id *id = g_new(dir_id, 1);
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    if (!g_hash_table_add(w->seen, id))
        return FALSE;
    GError *err = NULL;
    GDir *d = g_dir_open(dir, 0, &err);
    if (!d) {
        char *why = g_strdup_printf("cannot read folder: %s", err->message);
        g_ptr_array_add(w->found, input_new(dir, under_root(w, dir), why, 0));
        g_free(why);
        g_error_free(err);
        return TRUE;
    }
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        struct stat cst;
        gboolean link = lstat(path, &cst) == 0 && S_ISLNK(cst.st_mode);
        gboolean ok = stat(path, &cst) == 0;
        if (ok && S_ISDIR(cst.st_mode) && link)
            g_queue_push_tail(&w->linked, g_strdup(path));
        else if (ok && S_ISDIR(cst.st_mode))
            walk_dir(w, path, &cst);
        else if (is_pdf_name(name)) /* a dangling link too: its worker says why */
            g_ptr_array_add(w->found, input_new(path, under_root(w, path), NULL,
                                                ok && S_ISREG(cst.st_mode) ? (gint64)cst.st_size : 0));
        g_free(path);
    }
    g_dir_close(d);
    return TRUE;
}

static gint by_path(gconstpointer a, gconstpointer b)
{
    const bpb_input *x = *(const bpb_input *const *)a, *y = *(const bpb_input *const *)b;
    return strcmp(x->path, y->path);
}

bpb_inputs *bpb_inputs_collect(char *const *args, int n)
{
    bpb_inputs *in = g_new0(bpb_inputs, 1);
    in->items = g_ptr_array_new_with_free_func(input_free);
    GHashTable *seen = g_hash_table_new_full(dir_id_hash, dir_id_equal, g_free, NULL);
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(args[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            char *base = g_path_get_basename(args[i]);
            gint64 size = stat(args[i], &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
            g_ptr_array_add(in->items, input_new(args[i], base, NULL, size));
            g_free(base);
            continue;
        }
        walk w = {seen, g_ptr_array_new(), args[i], G_QUEUE_INIT};
        gboolean entered = walk_dir(&w, args[i], &st);
        char *linked;
        while ((linked = g_queue_pop_head(&w.linked))) {
            struct stat lst;
            if (stat(linked, &lst) == 0)
                walk_dir(&w, linked, &lst);
            g_free(linked);
        }
        g_ptr_array_sort(w.found, by_path);
        if (w.found->len == 0 && entered) {
            char *base = g_path_get_basename(args[i]);
            g_ptr_array_add(w.found, input_new(args[i], base, "no PDF in this folder", 0));
            g_free(base);
        }
        for (guint k = 0; k < w.found->len; k++)
            g_ptr_array_add(in->items, w.found->pdata[k]);
        g_ptr_array_free(w.found, TRUE);
    }
    g_hash_table_destroy(seen);
    return in;
}

guint bpb_inputs_count(const bpb_inputs *in)
{
    return in ? in->items->len : 0;
}

void bpb_inputs_free(bpb_inputs *in)
{
    if (!in)
        return;
    g_ptr_array_free(in->items, TRUE);
    g_free(in);
}
