/* merge.c — by-unit outputs: the documents of one unit and year in one JSON.
 *
 * A unit often publishes one budget as several PDFs: the narrative (说明) in
 * one, the tables (公开表) in another, sometimes the 绩效目标表 in a third.
 * With --by-unit they come out as one DIR/<year>/<unit>.json.
 *
 * The key is the document's year and its unit_key: the unit's name as
 * normalize/ compares it (bpn_unit_key: 中共江苏省委办公厅 and 江苏省委办公厅 are
 * one key), after --unit-alias; the file is named after the key.  Telling
 * two spellings apart is recognition work for normalize/, not a file-level
 * guess here.  A document without a year or a unit is not merged with
 * anything; it goes to DIR/unknown/<name>.json alone.
 *
 * The merged document has the shape of a single one, with three rules:
 *   - `source` is a list: one entry per document, in input order;
 *   - every list member (tables, performance_targets, sections, repairs,
 *     warnings, checks) is the concatenation of the documents' lists, in the
 *     same order;
 *   - every other member, and each member of an object such as `summary`,
 *     takes the first non-null value in that order (so the narrative's
 *     document_type fills in for a tables PDF that prints none).
 * The rules are applied member by member over whatever the documents hold, so
 * a member the schema gains later is merged without a change here.  What the
 * merge gives up: a page number in tables, repairs or warnings, and a table
 * number in checks, refer to the source the item came from (a check's
 * table_index is shifted to the merged tables), and which source
 * that was is not recorded.  Identical content (the same sha256, e.g. one PDF
 * scraped twice) is merged once.
 *
 * The merge runs after every worker is done, from the parts the workers left
 * in DIR/.budgetpdf-parts; the parts are removed once every output is
 * written (a part whose output failed stays for the next run).  With resume, an existing output of the unit is the first
 * document of the merge, so inputs added since are appended to it.
 */
#include "batch/internal.h"
#include "normalize/normalize.h"

#include <glib/gstdio.h>
#include <string.h>

static void add_sources(cJSON *list, const cJSON *src)
{
    if (cJSON_IsObject(src)) {
        cJSON_AddItemToArray(list, cJSON_Duplicate(src, TRUE));
        return;
    }
    const cJSON *s;
    cJSON_ArrayForEach(s, src)
    {
        cJSON_AddItemToArray(list, cJSON_Duplicate(s, TRUE));
    }
}

static void merge_member(cJSON *out, const cJSON *m)
{
    cJSON *have = cJSON_GetObjectItemCaseSensitive(out, m->string);
    if (!have) {
        cJSON_AddItemToObject(out, m->string, cJSON_Duplicate(m, TRUE));
    } else if (cJSON_IsArray(have) && cJSON_IsArray(m)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, m)
        {
            cJSON_AddItemToArray(have, cJSON_Duplicate(e, TRUE));
        }
    } else if (cJSON_IsObject(have) && cJSON_IsObject(m)) {
        const cJSON *f;
        cJSON_ArrayForEach(f, m)
        {
            const cJSON *h = cJSON_GetObjectItemCaseSensitive(have, f->string);
            if (!h)
                cJSON_AddItemToObject(have, f->string, cJSON_Duplicate(f, TRUE));
            else if (cJSON_IsNull(h) && !cJSON_IsNull(f))
                cJSON_ReplaceItemInObjectCaseSensitive(have, f->string, cJSON_Duplicate(f, TRUE));
        }
    } else if (cJSON_IsNull(have) && !cJSON_IsNull(m)) {
        cJSON_ReplaceItemInObjectCaseSensitive(out, m->string, cJSON_Duplicate(m, TRUE));
    }
}

cJSON *bpb_merge_documents(cJSON *const *docs, guint n)
{
    cJSON *out = cJSON_CreateObject();
    cJSON *sources = NULL;
    for (guint i = 0; i < n; i++) {
        const cJSON *m;
        /* a check's table_index counts the merged tables before this document's */
        int offset = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(out, "tables"));
        cJSON_ArrayForEach(m, docs[i])
        {
            if (strcmp(m->string, "checks") == 0 && offset > 0) {
                cJSON *shifted = cJSON_Duplicate(m, TRUE);
                cJSON *k;
                cJSON_ArrayForEach(k, shifted)
                {
                    cJSON *ti = cJSON_GetObjectItemCaseSensitive(k, "table_index");
                    if (cJSON_IsNumber(ti))
                        cJSON_SetNumberValue(ti, ti->valueint + offset);
                }
                merge_member(out, shifted);
                cJSON_Delete(shifted);
                continue;
            }
            if (strcmp(m->string, "source") != 0) {
                merge_member(out, m);
                continue;
            }
            if (!sources) /* in the place the first document has it */
                sources = cJSON_AddArrayToObject(out, "source");
            add_sources(sources, m);
        }
    }
    return out;
}

/* ---------------------------------------------------------------- resume */

static void index_sources(GHashTable *index, const cJSON *doc)
{
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(doc, "source");
    const cJSON *one = src, *s;
    if (!bpb_json_current(doc))
        return; /* another version wrote it: its PDFs are converted again */
    if (cJSON_IsObject(src)) {
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(one, "sha256");
        if (cJSON_IsString(sha))
            g_hash_table_add(index, g_strdup(sha->valuestring));
        return;
    }
    cJSON_ArrayForEach(s, src)
    {
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(s, "sha256");
        if (cJSON_IsString(sha))
            g_hash_table_add(index, g_strdup(sha->valuestring));
    }
}

static void index_dir(GHashTable *index, const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (name[0] == '.') /* the parts, temporary files */
            continue;
        char *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
            index_dir(index, path);
        } else if (g_str_has_suffix(name, ".json")) {
            cJSON *doc = bpb_read_json(path);
            if (doc)
                index_sources(index, doc);
            cJSON_Delete(doc);
        }
        g_free(path);
    }
    g_dir_close(d);
}

GHashTable *bpb_units_index(const char *dir)
{
    GHashTable *index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    index_dir(index, dir);
    return index;
}

/* ---------------------------------------------------------------- the merge */

/* A unit name as a file name: no separators or control characters, no
 * leading dot, at most 200 bytes (cut at a character boundary). */
static char *file_name_of(const char *unit)
{
    GString *s = g_string_new(NULL);
    for (const char *p = unit; *p && s->len < 200; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f || (s->len == 0 && c == '.'))
            c = '_';
        if (!g_unichar_isspace(c))
            g_string_append_unichar(s, c);
    }
    if (s->len == 0)
        g_string_append_c(s, '_');
    return g_string_free(s, FALSE);
}

static char *key_of(const bpb_part *p)
{
    if (p->year <= 0 || !p->unit)
        return NULL;
    char *name = file_name_of(p->unit);
    char *key = g_strdup_printf("%d/%s", p->year, name);
    g_free(name);
    return key;
}

static char *part_path(const char *parts_dir, const bpb_part *p)
{
    char *name = g_strconcat(p->sha256, ".json", NULL);
    char *path = g_build_filename(parts_dir, name, NULL);
    g_free(name);
    return path;
}

static void report_failure(const bpb_options *o, bpb_totals *t, const char *what, const char *why)
{
    t->failed++;
    if (o->report) {
        bpb_result r = {.input = what, .status = BPB_FAILED, .error = why};
        o->report(&r, t, FALSE, o->user);
    }
}

/* Writes one output from its parts (and, with resume, what it already held);
 * FALSE when it could not be written. */
static gboolean merge_one(const char *path, GPtrArray *group, const char *parts_dir, const bpb_options *o,
                      bpb_totals *t)
{
    GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cJSON *base = o->resume ? bpb_read_json(path) : NULL;
    if (base && !bpb_json_current(base)) { /* another version's: its PDFs are converted again */
        cJSON_Delete(base);
        base = NULL;
    }
    if (base) {
        g_ptr_array_add(docs, base);
        index_sources(seen, base);
    }
    guint fresh = 0;
    for (guint i = 0; i < group->len; i++) {
        const bpb_part *p = group->pdata[i];
        if (!g_hash_table_add(seen, g_strdup(p->sha256)))
            continue;
        char *pp = part_path(parts_dir, p);
        cJSON *doc = bpb_read_json(pp);
        if (doc) {
            /* copies of one PDF share a part, written by whichever worker
             * came last: the source is named after this input */
            cJSON *src = cJSON_GetObjectItemCaseSensitive(doc, "source");
            if (cJSON_IsObject(src) && cJSON_HasObjectItem(src, "file")) {
                char *base = g_path_get_basename(p->input->path);
                cJSON_ReplaceItemInObjectCaseSensitive(src, "file", cJSON_CreateString(base));
                g_free(base);
            }
            g_ptr_array_add(docs, doc);
            fresh++;
        } else {
            char *why = g_strdup_printf("its converted part %s cannot be read", pp);
            report_failure(o, t, p->input->path, why);
            g_free(why);
        }
        g_free(pp);
    }
    gboolean ok = TRUE;
    if (fresh > 0) {
        cJSON *merged = bpb_merge_documents((cJSON *const *)docs->pdata, docs->len);
        char *text = o->compact ? cJSON_PrintUnformatted(merged) : cJSON_Print(merged);
        GError *err = NULL;
        ok = text && bpb_write_atomically(path, text, strlen(text), &err);
        if (!ok)
            report_failure(o, t, path, err ? err->message : "out of memory while writing JSON");
        g_clear_error(&err);
        cJSON_free(text);
        cJSON_Delete(merged);
    }
    g_hash_table_destroy(seen);
    g_ptr_array_free(docs, TRUE);
    return ok;
}

static gint by_input(gconstpointer a, gconstpointer b)
{
    guint x = (*(const bpb_part *const *)a)->index, y = (*(const bpb_part *const *)b)->index;
    return x < y ? -1 : x > y;
}

guint bpb_units_merge(GPtrArray *parts, const bpb_options *o, bpb_totals *totals)
{
    g_ptr_array_sort(parts, by_input);
    guint failed_before = totals->failed;
    char *parts_dir = g_build_filename(o->out_dir, BPB_PARTS_DIR, NULL);
    /* key -> parts, keys in order of first appearance; unknown keys alone */
    GHashTable *groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *order = g_ptr_array_new_with_free_func(g_free);      /* output paths */
    GPtrArray *lists = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    GHashTable *taken = g_hash_table_new(g_str_hash, g_str_equal); /* output path -> 1 */
    for (guint i = 0; i < parts->len; i++) {
        bpb_part *p = parts->pdata[i];
        char *key = key_of(p);
        GPtrArray *group = key ? g_hash_table_lookup(groups, key) : NULL;
        if (!group) {
            char *rel = key ? g_strconcat(key, ".json", NULL)
                            : g_strconcat(BPB_UNKNOWN_DIR, G_DIR_SEPARATOR_S, p->input->name, ".json", NULL);
            char *path = g_build_filename(o->out_dir, rel, NULL);
            if (!key && g_hash_table_contains(taken, path)) { /* the same name twice */
                g_free(path);
                char *alt = g_strdup_printf("%.*s-%.8s.json", (int)(strlen(rel) - 5), rel, p->sha256);
                path = g_build_filename(o->out_dir, alt, NULL);
                g_free(alt);
            }
            g_free(rel);
            group = g_ptr_array_new();
            g_ptr_array_add(lists, group);
            g_ptr_array_add(order, path);
            g_hash_table_add(taken, path);
            if (key)
                g_hash_table_insert(groups, g_strdup(key), group);
        }
        g_ptr_array_add(group, p);
        g_free(key);
    }
    /* the parts go once every output is written: two outputs may share one
     * (copies of a PDF without a unit), and a part whose output failed stays */
    GHashTable *keep = g_hash_table_new(g_str_hash, g_str_equal), *done = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < order->len; i++) {
        GPtrArray *group = lists->pdata[i];
        gboolean ok = merge_one(order->pdata[i], group, parts_dir, o, totals);
        for (guint k = 0; k < group->len; k++)
            g_hash_table_add(ok ? done : keep, ((bpb_part *)group->pdata[k])->sha256);
    }
    GHashTableIter it;
    gpointer sha;
    g_hash_table_iter_init(&it, done);
    while (g_hash_table_iter_next(&it, &sha, NULL)) {
        if (g_hash_table_contains(keep, sha))
            continue;
        char *name = g_strconcat(sha, ".json", NULL);
        char *pp = g_build_filename(parts_dir, name, NULL);
        g_unlink(pp);
        g_free(pp);
        g_free(name);
    }
    g_hash_table_destroy(keep);
    g_hash_table_destroy(done);
    g_rmdir(parts_dir); /* fails, harmlessly, while parts remain */
    g_hash_table_destroy(taken);
    g_ptr_array_free(lists, TRUE);
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(groups);
    g_free(parts_dir);
    return totals->failed - failed_before;
}

GHashTable *bpb_unit_aliases_read(const char *path, GError **error)
{
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return NULL;
    GHashTable *map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    char **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    for (int i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        if (!*line || *line == '#')
            continue;
        char *tab = strchr(line, '\t');
        char *printed = tab ? g_strndup(line, (gsize)(tab - line)) : NULL;
        char *key = printed ? bpn_unit_key(printed) : NULL;
        char *to = tab ? g_strstrip(g_strdup(tab + 1)) : NULL;
        g_free(printed);
        if (!key || !to || !*to || !g_utf8_validate(line, -1, NULL)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d: not \"name as printed<TAB>name to use\"", path, i + 1);
            g_free(key);
            g_free(to);
            g_strfreev(lines);
            g_hash_table_unref(map);
            return NULL;
        }
        g_hash_table_replace(map, key, to);
    }
    g_strfreev(lines);
    return map;
}
