/* receipt_escpos: the receipt document's bytes -- init and Chinese mode at the head, the cut
 * and the drawer kick, sizes/bold/alignment, the CODE128 data with its code sets, the QR
 * command's length fields, the text decoded back from GB18030 with iconv (characters the
 * printer lacks as a visible '?'), and the raster QR turned into a PBM image and read by an
 * independent decoder, zbarimg (Debian zbar-tools), which must give back the payload. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peripherals/printer/receipt_escpos.h"
#include "periph_test.h"

#define PAYLOAD "https://shop.example/r/YR01-1-20261016-0007?t=Qm9Ld2xhbmQtMjAyNg"

static sale_doc *doc(void)
{
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    snprintf(d->receipt_no, sizeof d->receipt_no, "YR01-1-20261016-0007");
    snprintf(d->store_code, sizeof d->store_code, "YR01");
    snprintf(d->cashier, sizeof d->cashier, "01");
    d->till_no = 1;
    d->created_utc = 1792117800;
    sale_line *l = &d->lines[d->n_lines++];
    /* an apple emoji and ¥ U+00A5 (four-byte GB18030 codes), an ESC inside a name */
    snprintf(l->name, sizeof l->name, "苹果\xf0\x9f\x8d\x8e\xc2\xa5\x1b" "E");
    l->qty = 1;
    l->unit_price_fen = 880;
    l->amount_fen = 880;
    d->total_fen = d->due_fen = 880;
    d->tenders[0].kind = TENDER_CASH;
    d->tenders[0].amount_fen = 1000;
    d->n_tenders = 1;
    d->change_fen = 120;
    return d;
}

static uint8_t *render(bool raster, bool drawer, size_t *len, size_t *replaced, int width)
{
    sale_doc *d = doc();
    receipt_input in = {.sale = d, .width_mm = width, .store_name = "永仁扶贫超市",
                        .tz_offset_min = 480, .qr = PAYLOAD, .qr_caption = "扫码线上购买",
                        .kick_drawer = drawer};
    receipt r;
    assert_int_equal(receipt_build(&in, &r), RECEIPT_OK);
    rescpos_cfg cfg = {.qr_raster = raster};
    uint8_t *b = NULL;
    assert_int_equal(receipt_escpos(&r, &cfg, &b, len, replaced), RESCPOS_OK);
    receipt_free(&r);
    free(d);
    return b;
}

static bool has(const uint8_t *b, size_t n, const char *hex)
{
    uint8_t want[64];
    size_t k = periph_hex(hex, want, sizeof want);
    return memmem(b, n, want, k) != NULL;
}

static void test_frame_and_commands(void **state)
{
    (void)state;
    size_t n = 0, replaced = 0;
    uint8_t *b = render(false, true, &n, &replaced, 58);
    uint8_t head[4];
    periph_hex("1B 40 1C 26", head, sizeof head);
    assert_memory_equal(b, head, 4);                          /* ESC @, FS & */
    assert_true(has(b, n, "1B 70 00 32 32"));                 /* ESC p pin 2, 100 ms on/off */
    uint8_t tail[5];
    periph_hex("1C 2E 1D 56 00", tail, sizeof tail);          /* FS ., GS V 0 (full cut) */
    assert_memory_equal(b + n - 5, tail, 5);
    assert_true(has(b, n, "1B 61 01 1D 21 11 1B 45 01"));     /* centred, double, bold: store */
    assert_true(has(b, n, "1B 61 00 1D 21 00 1B 45 00"));     /* back to normal */
    assert_true(has(b, n, "1D 21 01"));                       /* double height: 合计 */
    /* CODE128: {B text, {C digit pairs; 238 modules → 1 dot on 384, 2 on 576 */
    assert_true(has(b, n, "1D 48 02 1D 68 40 1D 77 01 1D 6B 49 16"
                          "7B 42 59 52 30 31 2D 31 2D 7B 43 14 1A 0A 10 7B 42 2D 7B 43 00 07"));
    /* QR model 2, module, EC M, store (pL pH = k + 3), print */
    assert_true(has(b, n, "1D 28 6B 04 00 31 41 32 00"));
    assert_true(has(b, n, "1D 28 6B 03 00 31 45 31"));
    assert_true(has(b, n, "1D 28 6B 03 00 31 51 30"));
    size_t k = strlen(PAYLOAD);
    uint8_t store[8] = {0x1D, 0x28, 0x6B, (uint8_t)((k + 3) & 0xff), (uint8_t)((k + 3) >> 8), 0x31,
                        0x50, 0x30};
    uint8_t *at = memmem(b, n, store, sizeof store);
    assert_non_null(at);
    assert_memory_equal(at + sizeof store, PAYLOAD, k);
    uint8_t *size = memmem(b, n, "\x1d\x28\x6b\x03\x00\x31\x43", 7);
    assert_non_null(size);
    assert_in_range(size[7], 4, 8);                           /* dots per module */
    assert_int_equal(replaced, 3);
    free(b);

    b = render(false, false, &n, NULL, 80);
    assert_false(has(b, n, "1B 70"));                         /* no drawer unless asked */
    assert_true(has(b, n, "1D 77 02 1D 6B 49"));              /* 2-dot modules on 80 mm */
    free(b);
}

static void test_text_decodes_from_gb18030(void **state)
{
    (void)state;
    size_t n = 0;
    uint8_t *b = render(false, false, &n, NULL, 58);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    char *out = calloc(1, n * 4 + 1);
    assert_non_null(out);
    char *ip = (char *)b, *op = out;
    size_t il = n, ol = n * 4;
    assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);   /* all of it decodes */
    iconv_close(cd);
    for (char *c = out; c < op; c++)   /* ESC a 0, GS ! 0 ...: NULs would end the string */
        if (*c == '\0')
            *c = '\x01';
    if (getenv("RECEIPT_TEST_DUMP"))
        fputs(out, stderr);
    assert_non_null(strstr(out, "永仁扶贫超市"));
    assert_non_null(strstr(out, "合计                      ￥8.80"));
    assert_non_null(strstr(out, "找零                      ￥1.20"));
    /* the emoji and ¥ as '?' keeping their two columns, the ESC as '?' */
    assert_non_null(strstr(out, "苹果? ? ?E\n"));
    assert_null(strstr(out, "\xc2\xa5"));
    /* ￥ is GB A3 A4 in the bytes */
    assert_true(has(b, n, "A3 A4 38 2E 38 30"));
    free(out);
    free(b);
}

/* The raster QR (GS v 0) as a PBM image -- same bit order: MSB leftmost, 1 black -- read by
 * zbarimg. */
static void test_raster_qr_decodes(void **state)
{
    (void)state;
    for (int width = 58; width <= 80; width += 22) {
        size_t n = 0;
        uint8_t *b = render(true, false, &n, NULL, width);
        assert_false(has(b, n, "1D 28 6B"));                  /* no GS ( k in raster mode */
        uint8_t *g = memmem(b, n, "\x1d\x76\x30\x00", 4);
        assert_non_null(g);
        size_t xb = (size_t)g[4] | (size_t)g[5] << 8, rows = (size_t)g[6] | (size_t)g[7] << 8;
        assert_true(xb * 8 <= (width == 58 ? 384u : 576u));
        assert_true(g + 8 + xb * rows <= b + n);
        char pbm[512], cmd[1200];
        snprintf(pbm, sizeof pbm, "%s/receipt-qr-%d-%d.pbm", FUPIN_TEST_TMP, (int)getpid(), width);
        FILE *f = fopen(pbm, "wb");
        assert_non_null(f);
        fprintf(f, "P4\n%zu %zu\n", xb * 8, rows);
        assert_int_equal(fwrite(g + 8, 1, xb * rows, f), xb * rows);
        assert_int_equal(fclose(f), 0);
        snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s'", pbm);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        char got[512] = "";
        size_t k = fread(got, 1, sizeof got - 1, p);
        got[k] = '\0';
        int st = pclose(p);
        assert_int_equal(st, 0);
        if (k && got[k - 1] == '\n')
            got[k - 1] = '\0';
        assert_string_equal(got, PAYLOAD);
        unlink(pbm);
        free(b);
    }
}

static void test_gb_helper(void **state)
{
    (void)state;
    uint8_t *o = NULL;
    size_t len = 0, cap = 0, rep = 0;
    assert_int_equal(rescpos_gb("扶贫×1\xff", strlen("扶贫×1\xff"), &o, &len, &cap, &rep), RESCPOS_OK);
    uint8_t want[16];
    size_t k = periph_hex("B7 F6 C6 B6 A1 C1 31 3F", want, sizeof want);   /* × is A1 C1 */
    assert_int_equal(len, k);
    assert_memory_equal(o, want, k);
    assert_int_equal(rep, 1);
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_and_commands),
        cmocka_unit_test(test_text_decodes_from_gb18030),
        cmocka_unit_test(test_raster_qr_decodes),
        cmocka_unit_test(test_gb_helper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
