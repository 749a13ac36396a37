/* fuzz_walk.c — libFuzzer target for the folder walk (batch/inputs.c:
 * bpb_inputs_collect on a folder argument).
 *
 * The input describes a tree, built afresh in a temporary folder for each
 * run: a sequence of records, each one byte of kind and a name up to a NUL
 *   kind % 6: 0 a folder (entered: later records go inside it),
 *             1 back up one folder,
 *             2 a file holding "%PDF-" after (kind / 6) bytes of padding,
 *             3 a file of other bytes,
 *             4 a symbolic link whose target is the name (relative to the
 *               link's folder, so ".." and "/" reach out of the tree),
 *             5 a symbolic link to the folder itself or an ancestor (a loop).
 * Names are cleaned to one path component (no '/', not "." or ".."); the
 * walk is called on the root with repeated slashes appended, without
 * BPB_COLLECT_FOLLOW_LINKS.  Oracle: every input found resolves (realpath)
 * to a place inside the tree (a link out of it is never followed); every
 * output name is relative, non-empty, and free of "..", "//" and a leading
 * '/'; a folder with a file starting with %PDF- in it yields an input. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/internal.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(path, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
            remove_tree(p);
        else
            g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(path);
}

static char *clean_name(const uint8_t *p, size_t n)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n && s->len < 40; i++)
        g_string_append_c(s, p[i] == '/' ? '_' : (char)p[i]);
    if (s->len == 0 || strcmp(s->str, ".") == 0 || strcmp(s->str, "..") == 0)
        g_string_append_c(s, 'x');
    return g_string_free(s, FALSE);
}

static void write_file(const char *path, gboolean pdf, unsigned pad)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char buf[1100];
    memset(buf, 'a', sizeof buf);
    size_t n = MIN(pad, 1000u);
    if (pdf)
        memcpy(buf + n, "%PDF-1.4\n", 9), n += 9;
    if (write(fd, buf, n) < 0) {
        /* a missing file only changes what the walk finds */
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *root = g_dir_make_tmp("fuzz-walk-XXXXXX", NULL);
    if (!root)
        return 0;
    char *root_real = realpath(root, NULL);
    GPtrArray *stack = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(stack, g_strdup(root));
    gboolean pdf_anywhere = FALSE, links = FALSE;
    size_t i = 0;
    for (int records = 0; i < size && records < 64; records++) {
        uint8_t kind = data[i++];
        size_t start = i;
        while (i < size && data[i])
            i++;
        char *name = clean_name(data + start, i - start);
        i++;
        const char *here = stack->pdata[stack->len - 1];
        char *path = g_build_filename(here, name, NULL);
        switch (kind % 6) {
        case 0:
            if (stack->len < 12 && g_mkdir(path, 0755) == 0) {
                g_ptr_array_add(stack, path);
                path = NULL;
            }
            break;
        case 1:
            if (stack->len > 1)
                g_ptr_array_remove_index(stack, stack->len - 1);
            break;
        case 2:
            if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
                write_file(path, TRUE, kind / 6);
                pdf_anywhere = TRUE;
            }
            break;
        case 3:
            write_file(path, FALSE, kind / 6 + 1);
            break;
        case 4: {
            links = TRUE;
            char *target = g_strndup((const char *)data + start, i - 1 - start);
            if (symlink(target, path) != 0) {
                /* a name taken: nothing planted */
            }
            g_free(target);
            break;
        }
        case 5: {
            links = TRUE;
            guint up = kind / 6 % stack->len;
            GString *target = g_string_new(".");
            for (guint k = 0; k < up; k++)
                g_string_append(target, "/..");
            if (symlink(target->str, path) != 0) {
                /* as above */
            }
            g_string_free(target, TRUE);
            break;
        }
        }
        g_free(path);
        g_free(name);
    }
    g_ptr_array_free(stack, TRUE);

    char *arg = g_strconcat(root, "///", NULL);
    bpb_inputs *in = bpb_inputs_collect(&arg, 1, 0);
    size_t n = strlen(root_real);
    guint good = 0;
    for (guint k = 0; k < in->items->len; k++) {
        const bpb_input *input = in->items->pdata[k];
        if (!input->name || !*input->name || input->name[0] == '/' || strstr(input->name, "//"))
            fuzz_fail("an output name that is empty, absolute or has //");
        char **parts = g_strsplit(input->name, "/", -1);
        for (char **p = parts; *p; p++)
            if (strcmp(*p, "..") == 0)
                fuzz_fail("an output name with ..");
        g_strfreev(parts);
        if (input->error)
            continue;
        good++;
        char *real = realpath(input->path, NULL);
        if (real && (strncmp(real, root_real, n) != 0 || (real[n] != '/' && real[n] != 0)))
            fuzz_fail("the walk followed a link out of the tree");
        free(real);
    }
    /* a PDF in the tree is found unless a loop or a link hides it: only
     * checked when no link was planted */
    if (pdf_anywhere && !links && good == 0)
        fuzz_fail("a file starting with %PDF- was not found");
    bpb_inputs_free(in);
    g_free(arg);
    remove_tree(root);
    free(root_real);
    g_free(root);
    return 0;
}
