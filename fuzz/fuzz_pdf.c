/* fuzz_pdf.c — libFuzzer target for the whole pipeline, from PDF bytes:
 * bpx_document_load_data → bpn_document_build → bpe_document_json.
 *
 * Modelled on poppler's own targets: open from memory, free the error,
 * return.  A file poppler refuses is fine; a crash, a sanitizer report, a
 * leak or JSON that breaks fuzz_check.h's oracle is a finding.  Seeds:
 * fixtures/pdf and the small PDFs fuzz/make_seeds.py writes (see
 * fuzz/README.md); `make fuzz` runs it. */
#include <stddef.h>
#include <stdint.h>

#include "emit/emit.h"
#include "extract/extract.h"
#include "fuzz/fuzz_check.h"
#include "normalize/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* long documents only make the run slow (seconds per execution): the
     * seeds include single pages of every fixture */
    /* OCR off: a mutated page with ink and no text would spend seconds in
     * Tesseract per run (extract/ocr.c has its own tests) */
    bpx_options opts = {.max_pages = 16, .ocr = BPX_OCR_NEVER};
    GError *err = NULL;
    bpx_document *src = bpx_document_load_data(data, size, "fuzz.pdf", &opts, &err);
    if (!src) {
        if (!err || !err->message)
            fuzz_fail("bpx_document_load_data failed without an error");
        g_clear_error(&err);
        return 0;
    }
    bpn_document *doc = bpn_document_build(src, &err);
    bpx_document_free(src);
    if (doc) {
        char *json = bpe_document_json(doc, BPE_FORMAT_LINE, &err);
        fuzz_check_json(json);
        g_free(json);
        bpn_document_free(doc);
    }
    g_clear_error(&err);
    return 0;
}
