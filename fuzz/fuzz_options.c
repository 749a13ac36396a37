/* fuzz_options.c — libFuzzer target for the command-line parser
 * (batch/options.c: bpb_cli_parse, then bpb_cli_resolve).
 *
 * The input is argv: words separated by NUL bytes (at most 64 words), after
 * a fixed argv[0].  --password-file is taken out before resolving (the
 * fuzzer must not read whatever file a mutation names).  Oracle, beyond
 * crashes, leaks and sanitizer reports: a failure has a one-line message
 * that is valid UTF-8 without control characters (main prints it as is);
 * a success has numbers inside the ranges options.h states and, for a run,
 * at least one input. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "batch/options.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *msg)
{
    if (!msg || !*msg)
        fuzz_fail("a usage error without a message");
    if (!g_utf8_validate(msg, -1, NULL))
        fuzz_fail("a usage message that is not UTF-8");
    for (const char *p = msg; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            fuzz_fail("a control character in a usage message");
    }
}

static void check_cli(const bpb_cli *c)
{
    if (c->action != BPB_CLI_RUN)
        return;
    if (c->n_inputs < 1 || !c->inputs || c->inputs[c->n_inputs] != NULL)
        fuzz_fail("a run without inputs, or an unterminated list");
    if (c->jobs < 0 || c->jobs > BPB_CLI_MAX_JOBS)
        fuzz_fail("-j out of range");
    if (!isfinite(c->timeout) || c->timeout < 0 || c->timeout > BPB_CLI_MAX_TIMEOUT)
        fuzz_fail("--timeout out of range");
    if (c->max_pages < 0 || c->max_pages > BPB_CLI_MAX_PAGES)
        fuzz_fail("--max-pages out of range");
    if (c->max_memory_mib != 0 &&
        (c->max_memory_mib < BPB_CLI_MIN_MEMORY_MIB || c->max_memory_mib > BPB_CLI_MAX_MEMORY_MIB))
        fuzz_fail("--max-memory out of range");
    for (guint i = 0; c->pages && i < c->pages->len; i++) {
        bpb_page_range r = g_array_index(c->pages, bpb_page_range, i);
        if (r.first < 1 || (r.last != 0 && r.last < r.first))
            fuzz_fail("a page range out of order");
    }
    if (c->mode == BPB_OUTPUT_FILES && !c->out_dir && !c->out_file)
        fuzz_fail("file outputs without a place to write them");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup("budgetpdf"));
    size_t start = 0;
    for (size_t i = 0; i <= size && argv->len < 65; i++)
        if (i == size || data[i] == 0) {
            g_ptr_array_add(argv, g_strndup((const char *)data + start, i - start));
            start = i + 1;
        }
    bpb_cli c;
    GError *err = NULL;
    gboolean ok = bpb_cli_parse((int)argv->len, (char *const *)argv->pdata, &c, &err);
    if (ok) {
        g_clear_pointer(&c.password_file, g_free);
        ok = bpb_cli_resolve(&c, &err);
    }
    if (ok)
        check_cli(&c);
    else
        check_message(err ? err->message : NULL);
    g_clear_error(&err);
    bpb_cli_clear(&c);
    char *usage = bpb_cli_usage();
    g_free(usage);
    g_ptr_array_free(argv, TRUE);
    return 0;
}
