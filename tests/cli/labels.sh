#!/usr/bin/env bash
# Shelf labels (`labels SKU...`): a packaged product, weighed goods and a household's product
# on the demo store, with label.buy_url set.  Text: the unit price per 盒, per 500 g (half a
# fen rounded up) and per kg for weighed goods, the 扶贫产品 badge with the supplier's name,
# the origin from the certificate's county and the supplier's township and village, none of
# that on a product that is not poverty relief.  PNG at 58 and 80 mm, headless: as wide as the
# paper's dots, and zbarimg reads one QR a label, each the template expanded with its SKU.
# ESC/POS: one GS ( k store command a label holding its URL, a cut each.  Refusals: an unknown
# SKU (exit 1, nothing written), no SKU, png without -o, a bad label.buy_url.  And the A4
# sheet of labels (--sheet a4).
set -euo pipefail
bin=$1 dir=$2
rm -rf "$dir"
mkdir -p "$dir"
db=$dir/till.db
fail() { echo "labels: FAIL: $*" >&2; exit 1; }
pos() { env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$bin" --db "$db" "$@"; }
command -v zbarimg >/dev/null || fail "zbarimg missing (apt install zbar-tools; scripts/deps.sh)"

pos init --demo >/dev/null
skus=(P0001 P0092 P0094 P0042)
# No template yet: labels without a QR.
pos labels P0001 >"$dir/noqr.txt"
grep -q '\[QR' "$dir/noqr.txt" && fail "a QR without label.buy_url"
pos config set label.buy_url 'https://shop.example/p/{sku}?from=shelf' >/dev/null

pos labels "${skus[@]}" --width 58 >"$dir/l.txt"
t=$dir/l.txt
grep -q '零售价 *￥128.00/盒$' "$t" || fail "packaged price per 盒: $(cat "$t")"
grep -q '单价 *￥9.00/500g$' "$t" || fail "weighed ￥18.00/kg per 500 g"
grep -q '￥18.00/kg$' "$t" || fail "weighed per kg"
grep -q '供货：毕永福' "$t" || fail "the household supplier's name on P0094"
grep -q '产地：永仁县维的乡维的村' "$t" || fail "origin county + township + village"
[ "$(grep -c '【扶贫产品】' "$t")" = 3 ] || fail "badge on the three poverty-relief products only"
[ "$(grep -c '^=\+$' "$t")" = 4 ] || fail "one cut a label"
for s in "${skus[@]}"; do
    grep -qF "[QR https://shop.example/p/$s?from=shelf]" "$t" || fail "QR of $s in text"
done
awk -v max=32 '{ if (length($0) > 2 * max) exit 1 }' "$t" || fail "a line far too long"

png_width() { od -An -tu1 -j16 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
for w in 58 80; do
    f=$dir/labels-$w.png
    pos labels "${skus[@]}" --format png --width "$w" -o "$f" || fail "png $w"
    want=$([ "$w" = 58 ] && echo 384 || echo 576)
    [ "$(png_width "$f")" = "$want" ] || fail "$f is $(png_width "$f") wide, not $want"
    zbarimg -q "$f" 2>/dev/null | sort >"$f.codes" || fail "zbarimg read nothing in $f"
    printf 'QR-Code:https://shop.example/p/%s?from=shelf\n' "${skus[@]}" | sort >"$dir/want"
    diff -u "$dir/want" "$f.codes" || fail "$f: the QR codes are not one a label"
done

# An A4 sheet: 20 labels (the four SKUs five times) framed on A4 pages at 8 dots/mm; more than
# one page fits, so page 2 is sheet-2.png; zbarimg reads every label's QR across the pages.
many=()
for _ in 1 2 3 4 5; do many+=("${skus[@]}"); done
pos labels "${many[@]}" --format png --sheet a4 -o "$dir/sheet.png" 2>"$dir/sheet.err" ||
    fail "sheet: $(cat "$dir/sheet.err")"
[ -e "$dir/sheet-2.png" ] && [ ! -e "$dir/sheet-3.png" ] || fail "20 labels are not 2 A4 pages"
grep -q '2 A4 pages' "$dir/sheet.err" || fail "the pages are not said: $(cat "$dir/sheet.err")"
for f in "$dir/sheet.png" "$dir/sheet-2.png"; do
    [ "$(png_width "$f")" = 1680 ] || fail "$f is not A4 wide at 8 dots/mm"
    [ "$(od -An -tu1 -j20 -N4 "$f" | awk '{ print $3 * 256 + $4 }')" = 2376 ] || fail "$f height"
done
{ zbarimg -q "$dir/sheet.png" 2>/dev/null; zbarimg -q "$dir/sheet-2.png" 2>/dev/null; } | sort >"$dir/sheet.codes" || true
for _ in 1 2 3 4 5; do cat "$dir/want"; done | sort >"$dir/want5"
diff -u "$dir/want5" "$dir/sheet.codes" || fail "the sheet's QR codes are not one a label"
set +e
pos labels P0001 --sheet a4 2>/dev/null; [ $? = 2 ] || fail "--sheet without png is usage"
pos labels P0001 --format png --sheet a3 -o "$dir/x.png" 2>/dev/null; [ $? = 2 ] || fail "--sheet a3"
set -e

pos labels "${skus[@]}" --format escpos -o "$dir/l.bin"
for s in "${skus[@]}"; do
    grep -qaF "https://shop.example/p/$s?from=shelf" "$dir/l.bin" || fail "escpos: no QR of $s"
done
[ "$(grep -ao $'\x1d\x56\x00' "$dir/l.bin" | wc -l)" = 4 ] || fail "escpos: one cut a label"
grep -qaF $'\x1d(k' "$dir/l.bin" || fail "escpos: no native QR (GS ( k) by default"
# The store's printer draws no native QR (receipt.qr raster): labels follow the setting, as
# receipts do -- a raster image (GS v 0) and no GS ( k.
pos config set receipt.qr raster >/dev/null
pos labels "${skus[@]}" --format escpos -o "$dir/lr.bin"
grep -qaF $'\x1dv0' "$dir/lr.bin" || fail "receipt.qr raster: no raster image on the labels"
! grep -qaF $'\x1d(k' "$dir/lr.bin" || fail "receipt.qr raster: labels still send GS ( k"
pos config set receipt.qr native >/dev/null

set +e
pos labels P0001 NOPE -o "$dir/bad.txt" 2>"$dir/err"; rc=$?
[ "$rc" = 1 ] && grep -q 'NOPE: no such product' "$dir/err" && [ ! -e "$dir/bad.txt" ] ||
    fail "unknown SKU: rc $rc $(cat "$dir/err")"
pos labels 2>/dev/null; [ $? = 2 ] || fail "no SKU is usage"
pos labels P0001 --format png 2>/dev/null; [ $? = 2 ] || fail "png without -o is usage"
pos config set label.buy_url "https://shop.example/p/" 2>/dev/null; [ $? = 1 ] ||
    fail "a template without {sku} accepted"
set -e
[ "$(pos config show | grep -c 'label.buy_url.*from=shelf')" = 1 ] || fail "the bad template was written"
# The trace QR (溯源): label.trace_url with {cert} (the certificate number, UTF-8 and space
# percent-encoded), {supplier}, {sku} -- on the three poverty-relief labels, not on the rice.
pos config set label.trace_url 'https://trace.example/c/{cert}?s={supplier}&p={sku}' >/dev/null
set +e
pos config set label.trace_url 'https://trace.example/c/' 2>/dev/null; [ $? = 1 ] ||
    fail "a trace template without {cert} or {sku} accepted"
set -e
pos labels "${skus[@]}" >"$dir/trace.txt"
[ "$(grep -c '扫码溯源 源头到餐桌' "$dir/trace.txt")" = 3 ] || fail "trace QR on the 3 poverty-relief labels"
pos labels "${skus[@]}" --format png --width 58 -o "$dir/trace.png"
zbarimg -q "$dir/trace.png" 2>/dev/null | sort >"$dir/trace.codes" || fail "zbarimg read nothing"
{
    cat "$dir/want"
    # The demo catalog's certificates: 扶贫认定 YR-2025-NNNN.
    for s in P0001:SUP001:0101 P0092:SUP001:0142 P0094:HH014:0144; do
        IFS=: read -r sku sup no <<<"$s"
        echo "QR-Code:https://trace.example/c/%E6%89%B6%E8%B4%AB%E8%AE%A4%E5%AE%9A%20YR-2025-$no?s=$sup&p=$sku"
    done
} | sort >"$dir/trace.want"
diff -u "$dir/trace.want" "$dir/trace.codes" || fail "the trace QR codes differ"
echo "labels: ok"
