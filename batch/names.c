/* names.c — file names as text: the JSON's source.file and the names on stderr.
 *
 * A file name on Linux is bytes, not text.  Chinese archives made on Windows
 * often carry GBK names (GB18030 is its superset), which are not UTF-8, and a
 * name may hold any byte but '/' and NUL, newlines and terminal escapes
 * included.  bpb_name_decode() turns the bytes into UTF-8 in three tries:
 *   1. valid UTF-8 is kept as it is ("utf-8");
 *   2. otherwise the bytes are decoded as GB18030 (g_convert), which a GBK
 *      name always is ("gb18030");
 *   3. otherwise every byte that is not part of valid UTF-8 is written \xNN
 *      ("escaped"), so the name stays readable and the bytes recoverable.
 * A name that is UTF-8 but also happens to be valid GB18030 stays UTF-8: try 1
 * comes first, since UTF-8 is what a Linux system writes.  What it misses: a
 * name in another legacy encoding (Big5, Shift-JIS) that happens to decode as
 * GB18030 comes out as the wrong characters, recorded as "gb18030".
 * bpb_name_display() also writes control characters (C0, DEL, C1) as escapes,
 * for a message on a terminal: a name with a newline or an escape sequence
 * would otherwise forge a line or drive the terminal. */
#include "batch/batch.h"

#include <string.h>

static void append_escaped_bytes(GString *s, const char *bytes, gssize len)
{
    const char *p = bytes, *end = bytes + (len < 0 ? (gssize)strlen(bytes) : len);
    while (p < end) {
        const char *bad = NULL;
        g_utf8_validate(p, end - p, &bad);
        g_string_append_len(s, p, bad - p);
        if (bad >= end)
            break;
        g_string_append_printf(s, "\\x%02x", (guchar)*bad);
        p = bad + 1;
    }
}

char *bpb_name_decode(const char *bytes, const char **encoding)
{
    const char *how = "utf-8";
    char *text = NULL;
    if (!bytes)
        bytes = "";
    if (g_utf8_validate(bytes, -1, NULL)) {
        text = g_strdup(bytes);
    } else if ((text = g_convert(bytes, -1, "UTF-8", "GB18030", NULL, NULL, NULL)) &&
               g_utf8_validate(text, -1, NULL)) {
        how = "gb18030";
    } else {
        g_free(text);
        GString *s = g_string_new(NULL);
        append_escaped_bytes(s, bytes, -1);
        text = g_string_free(s, FALSE);
        how = "escaped";
    }
    if (encoding)
        *encoding = how;
    return text;
}

char *bpb_name_display(const char *bytes)
{
    char *text = bpb_name_decode(bytes, NULL);
    GString *s = g_string_sized_new(strlen(text));
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n')
            g_string_append(s, "\\n");
        else if (c == '\t')
            g_string_append(s, "\\t");
        else if (c == '\r')
            g_string_append(s, "\\r");
        else if (c < 0x20 || c == 0x7f)
            g_string_append_printf(s, "\\x%02x", (unsigned)c);
        else if (c >= 0x80 && c <= 0x9f)
            g_string_append_printf(s, "\\u%04x", (unsigned)c);
        else
            g_string_append_len(s, p, g_utf8_next_char(p) - p);
    }
    g_free(text);
    return g_string_free(s, FALSE);
}
