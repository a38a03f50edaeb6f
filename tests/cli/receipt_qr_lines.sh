#!/usr/bin/env bash
# receipt.buy_url's {lines}: the sale's lines as SKU*QTY (SKU@GRAMS for a weighed line) joined
# with ',' and percent-encoded.  zbarimg -- an independent decoder -- reads the PNG preview's QR
# and it must be the URL made here from the stored sale's rows.  A sale with so many lines that
# the URL would pass 213 bytes (QR version 10 at EC M, byte mode) prints {lines} empty.
set -euo pipefail
bin=$1 dir=$2
rm -rf "$dir"
mkdir -p "$dir"
db=$dir/till.db
fail() { echo "receipt_qr_lines: FAIL: $*" >&2; exit 1; }
pos() { "$bin" --db "$db" "$@"; }
command -v zbarimg >/dev/null || fail "zbarimg missing (apt install zbar-tools; scripts/deps.sh)"

pos init --demo >/dev/null
pos config set receipt.buy_url 'https://shop.example/r/{token}?n={receipt}&l={lines}' >/dev/null
sell() { pos --json sell "$@" 2>/dev/null | jq -r .receipt_no; }
short=$(sell 6985798000316*2 10004@353 --tender cash:10000 --at 2026-10-16T10:30:00+08:00)
# 14 different products: the URL with its lines would be far over 213 bytes.
codes=$(sqlite3 -batch -noheader "$db" "SELECT min(b.gtin13) FROM barcodes b JOIN products p ON p.sku = b.sku WHERE p.by_weight = 0 AND p.active = 1 GROUP BY p.sku ORDER BY p.sku LIMIT 14")
[ "$(wc -w <<<"$codes")" = 14 ] || fail "the demo store has fewer than 14 barcoded products"
# shellcheck disable=SC2086
long=$(sell $codes --tender cash:900000 --at 2026-10-16T11:00:00+08:00)
[ -n "$short" ] && [ -n "$long" ] || fail "a sale failed"

expect() {   # expect RECEIPT_NO: the URL from the stored rows ('*' %2A, '@' %40, ',' %2C)
    local uuid token lines
    uuid=$(sqlite3 -batch -noheader "$db" "SELECT uuid FROM sales WHERE receipt_no = '$1'")
    token=$(sqlite3 -batch -noheader "$db" "SELECT token FROM receipt_tokens WHERE sale_uuid = '$uuid'")
    lines=$(sqlite3 -batch -noheader "$db" "SELECT group_concat(CASE WHEN grams > 0 THEN sku || '%40' || grams ELSE sku || '%2A' || qty END, '%2C') FROM (SELECT * FROM sale_lines WHERE sale_uuid = '$uuid' ORDER BY line_no)")
    echo "https://shop.example/r/$token?n=$1&l=$lines"
}
for w in 58 80; do
    pos receipt "$short" --format png --width "$w" -o "$dir/short-$w.png"
    got=$(zbarimg -q --raw "$dir/short-$w.png" 2>/dev/null | grep '^https://' || true)
    want=$(expect "$short")
    [ "$got" = "$want" ] || fail "short $w: QR '$got', expected '$want'"
    grep -q '%2A2%2C' <<<"$got" && grep -q '%40333' <<<"$got" || fail "short: no P*2 / @333 in $got"
done
# The overlong sale: {lines} empty, the URL within 213 bytes and still readable.
pos receipt "$long" >"$dir/long.txt"   # its token is made on the first render
full=$(expect "$long")
[ "${#full}" -gt 213 ] || fail "the long sale's URL is only ${#full} bytes: not a test of the fallback"
want=${full%%&l=*}'&l='
[ "${#want}" -le 213 ] || fail "the fallback URL is ${#want} bytes"
for w in 58 80; do
    pos receipt "$long" --format png --width "$w" -o "$dir/long-$w.png"
    got=$(zbarimg -q --raw "$dir/long-$w.png" 2>/dev/null | grep '^https://' || true)
    [ "$got" = "$want" ] || fail "long $w: QR '$got', expected '$want'"
done
grep -qF "[QR $want]" "$dir/long.txt" || fail "the text receipt's QR differs"
echo "receipt_qr_lines: ok (short: $(expect "$short"); long: ${#full} bytes → {lines} empty)"
