/* test_pagewire.c — a page packed and unpacked (extract/pagewire.c) comes
 * back field for field; data cut short, lengthened or lying about a count
 * is refused without a leak. */
#include "extract/pagewire.h"
#include "check.h"

#include <stddef.h>
#include <string.h>

static char **strv(const char *a, const char *b)
{
    char **v = g_new0(char *, 3);
    v[0] = a ? g_strdup(a) : NULL;
    v[1] = a && b ? g_strdup(b) : NULL;
    return v;
}

/* A page with every field set, each to a value of its own. */
static void make_page(bpx_page *p)
{
    memset(p, 0, sizeof *p);
    p->number = 7;
    p->width = 595.25;
    p->height = 841.5;
    p->n_chars = 3;
    p->chars = g_new0(bpx_char, 3);
    for (size_t i = 0; i < 3; i++) {
        bpx_char *c = &p->chars[i];
        c->cp = i == 0 ? 0x9884 /* 预 */ : i == 1 ? 0x20000 /* beyond the BMP */ : '5';
        c->box = (bpx_rect){10.5 + (double)i, 20.25 + (double)i, 30.125 + (double)i, 40.0625 + (double)i};
        c->font_size = 9.5f + (float)i;
        c->color = 0xC00000u + (uint32_t)i;
        c->dir = (uint8_t)(i == 2 ? BPX_DIR_DIAGONAL : BPX_DIR_VERTICAL);
        c->hidden = (uint8_t)(i == 1);
        c->ocr_conf = (uint8_t)(90 + i);
    }
    p->n_hlines = 2;
    p->hlines = g_new(bpx_line, 2);
    p->hlines[0] = (bpx_rect){1, 2, 300, 2};
    p->hlines[1] = (bpx_rect){1.5, 100.75, 300.5, 100.75};
    p->n_vlines = 1;
    p->vlines = g_new(bpx_line, 1);
    p->vlines[0] = (bpx_rect){50, 2, 50, 100.75};
    p->ruled = TRUE;
    p->turned = 270;
    p->unreadable = TRUE; /* never with the rest in a real page; here to see it travel */
    p->ocr = TRUE;
    p->ocr_skew = -0.35;
    p->garbled_layer = TRUE;
    p->ocr_failed = g_strdup("模型未能加载");
    p->n_ocr_readings = 2;
    p->ocr_readings = g_new0(bpx_ocr_reading, 2);
    p->ocr_readings[0] = (bpx_ocr_reading){{60, 70, 80, 90}, g_strdup("1,234.50"), strv("1,284.50", "7,234.50")};
    p->ocr_readings[1] = (bpx_ocr_reading){{61, 71, 81, 91}, g_strdup(""), strv(NULL, NULL)};
    p->n_ocr_lines = 1;
    p->ocr_lines = g_new0(bpx_ocr_reading, 1);
    p->ocr_lines[0] = (bpx_ocr_reading){{5, 6, 500, 30}, g_strdup("一般公共预算支出表"), strv("一般公共预箅支出表", NULL)};
}

static gboolean rect_eq(const bpx_rect *a, const bpx_rect *b)
{
    return a->x0 == b->x0 && a->y0 == b->y0 && a->x1 == b->x1 && a->y1 == b->y1;
}

static void check_readings(check_counts *c, const bpx_ocr_reading *a, size_t na, const bpx_ocr_reading *b, size_t nb)
{
    CHECK(c, na == nb);
    for (size_t i = 0; i < MIN(na, nb); i++) {
        CHECK(c, rect_eq(&a[i].box, &b[i].box));
        CHECK_STR(c, b[i].text, a[i].text);
        CHECK(c, b[i].alternatives != NULL);
        CHECK(c, g_strv_length(a[i].alternatives) == (b[i].alternatives ? g_strv_length(b[i].alternatives) : 0));
        for (guint k = 0; b[i].alternatives && a[i].alternatives[k]; k++)
            CHECK_STR(c, b[i].alternatives[k], a[i].alternatives[k]);
    }
}

/* b is a, field by field. */
static void check_same(check_counts *c, const bpx_page *a, const bpx_page *b)
{
    CHECK(c, b->number == a->number);
    CHECK(c, b->width == a->width && b->height == a->height);
    CHECK(c, b->n_chars == a->n_chars);
    for (size_t i = 0; i < MIN(a->n_chars, b->n_chars); i++) {
        const bpx_char *x = &a->chars[i], *y = &b->chars[i];
        CHECK(c, y->cp == x->cp);
        CHECK(c, rect_eq(&y->box, &x->box));
        CHECK(c, y->font_size == x->font_size);
        CHECK(c, y->color == x->color);
        CHECK(c, y->dir == x->dir && y->hidden == x->hidden && y->ocr_conf == x->ocr_conf);
    }
    CHECK(c, b->n_hlines == a->n_hlines && b->n_vlines == a->n_vlines);
    for (size_t i = 0; i < MIN(a->n_hlines, b->n_hlines); i++)
        CHECK(c, rect_eq(&b->hlines[i], &a->hlines[i]));
    for (size_t i = 0; i < MIN(a->n_vlines, b->n_vlines); i++)
        CHECK(c, rect_eq(&b->vlines[i], &a->vlines[i]));
    CHECK(c, b->ruled == a->ruled);
    CHECK(c, b->turned == a->turned);
    CHECK(c, b->unreadable == a->unreadable);
    CHECK(c, b->ocr == a->ocr);
    CHECK(c, b->ocr_skew == a->ocr_skew);
    CHECK(c, b->garbled_layer == a->garbled_layer);
    CHECK_STR(c, b->ocr_failed, a->ocr_failed);
    check_readings(c, a->ocr_readings, a->n_ocr_readings, b->ocr_readings, b->n_ocr_readings);
    check_readings(c, a->ocr_lines, a->n_ocr_lines, b->ocr_lines, b->n_ocr_lines);
}

static void test_round_trip(check_counts *c)
{
#if GLIB_SIZEOF_VOID_P == 8
    /* a field added to bpx_page or bpx_char changes these: pack it
     * (pagewire.c), and set and compare it here */
    CHECK(c, sizeof(bpx_page) == 144);
    CHECK(c, sizeof(bpx_char) == 56);
    CHECK(c, sizeof(bpx_ocr_reading) == 48);
#endif
    bpx_page p, back;
    make_page(&p);
    GByteArray *b = bpx_page_pack(&p);
    CHECK(c, bpx_page_unpack(b->data, b->len, &back));
    check_same(c, &p, &back);
    /* packed again, the same bytes */
    GByteArray *again = bpx_page_pack(&back);
    CHECK(c, again->len == b->len && memcmp(again->data, b->data, b->len) == 0);
    g_byte_array_unref(again);
    bpx_page_clear(&back);

    /* cut anywhere, or one byte too many: refused, the page left empty */
    gboolean all_refused = TRUE, all_empty = TRUE;
    for (guint len = 0; len < b->len; len++) {
        bpx_page cut;
        all_refused &= !bpx_page_unpack(b->data, len, &cut);
        all_empty &= cut.chars == NULL && cut.ocr_readings == NULL && cut.ocr_failed == NULL && cut.n_chars == 0;
    }
    CHECK(c, all_refused);
    CHECK(c, all_empty);
    g_byte_array_append(b, (const guint8 *)"", 1);
    CHECK(c, !bpx_page_unpack(b->data, b->len, &back));
    g_byte_array_set_size(b, b->len - 1);
    /* a count of chars that the data cannot hold (it follows magic, number,
     * width and height) */
    size_t at = sizeof(uint32_t) + sizeof(int32_t) + 2 * sizeof(double);
    uint64_t huge = (uint64_t)1 << 60;
    memcpy(b->data + at, &huge, sizeof huge);
    CHECK(c, !bpx_page_unpack(b->data, b->len, &back));
    memcpy(b->data, "junk", 4);
    CHECK(c, !bpx_page_unpack(b->data, b->len, &back));
    g_byte_array_unref(b);
    bpx_page_clear(&p);
    CHECK(c, p.chars == NULL && p.n_chars == 0 && p.ocr_lines == NULL);
}

/* A page of nothing (no chars, no lines, no OCR, NULL strings) stays so. */
static void test_empty_page(check_counts *c)
{
    bpx_page p = {.number = 1, .width = 100, .height = 200}, back;
    GByteArray *b = bpx_page_pack(&p);
    CHECK(c, bpx_page_unpack(b->data, b->len, &back));
    check_same(c, &p, &back);
    CHECK(c, back.chars == NULL && back.hlines == NULL && back.ocr_failed == NULL && back.ocr_readings == NULL);
    bpx_page_clear(&back);
    g_byte_array_unref(b);
    CHECK(c, !bpx_page_unpack(NULL, 0, &back));
}

int main(void)
{
    check_counts c = {0, 0};
    test_round_trip(&c);
    test_empty_page(&c);
    return check_summary("test_pagewire", &c);
}
