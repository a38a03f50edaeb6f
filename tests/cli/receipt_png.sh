#!/usr/bin/env bash
# The receipt's PNG preview (`receipt --format png`): every stored sale of a small table
# (discounts + weighed + member, a gift, a long name, mixed tenders) rendered at 58 and 80 mm
# with no display at all (DISPLAY, WAYLAND_DISPLAY and SDL_VIDEODRIVER unset: SDL_ttf and
# software surfaces only).  Each image is as wide as the paper's dots (384 | 576, read from the
# PNG header), and zbarimg -- an independent decoder -- reads from it the buy-online QR, equal
# to receipt.buy_url expanded with the sale's token from receipt_tokens, and the CODE128 of the
# receipt number.  The QR and the bars are drawn by ui/receipt_png.c, so a wrong module, quiet
# zone or code set fails here.
set -euo pipefail
bin=$1 dir=$2
rm -rf "$dir"
mkdir -p "$dir"
db=$dir/till.db
fail() { echo "receipt_png: FAIL: $*" >&2; exit 1; }
pos() { env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$bin" --db "$db" "$@"; }
command -v zbarimg >/dev/null || fail "zbarimg missing (apt install zbar-tools; scripts/deps.sh)"

pos init --demo >/dev/null
pos config set store.address "云南省楚雄州永仁县永定镇中和路88号" >/dev/null
pos config set receipt.buy_url 'https://shop.example/r/{token}?n={receipt}' >/dev/null
pos member points 88000001 --adjust 5000 --reason 演示积分 --at 2026-10-01T09:00:00+08:00 >/dev/null
sell() { pos --json sell "$@" 2>/dev/null | jq -r .receipt_no; }
sell 6985798000316*2 10004@353 --member 88000001 --tender cash:10000 --at 2026-10-16T10:30:00+08:00 >/dev/null
sell 6985798000170 6953822000175 --member 13887865432 --tender wechat:15600 --at 2026-10-14T15:05:09+08:00 >/dev/null
sell 10001@1250 10006@630 10003@45 --tender cash:5000 --at 2026-10-13T09:12:00+08:00 >/dev/null
sell 6957212000172 6990556000248*3 --member 88000001 --tender points:2000 --tender alipay:5400 \
    --tender cash:6000 --at 2026-10-13T18:40:00+08:00 >/dev/null

png_width() {   # the IHDR width, bytes 16..19 big-endian
    od -An -tu1 -j16 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}
n=0 read58=0
while IFS='|' read -r uuid no; do
    for w in 58 80; do
        f=$dir/$no-$w.png
        pos receipt "$no" --format png --width "$w" -o "$f" || fail "receipt $no --width $w"
        [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$f is not a PNG"
        want=$([ "$w" = 58 ] && echo 384 || echo 576)
        [ "$(png_width "$f")" = "$want" ] || fail "$f is $(png_width "$f") dots wide, not $want"
        token=$(sqlite3 "$db" "SELECT token FROM receipt_tokens WHERE sale_uuid = '$uuid'")
        [ ${#token} -ge 22 ] || fail "no receipt token for $no"
        zbarimg -q "$f" 2>/dev/null >"$f.codes" || fail "zbarimg read nothing in $f"
        grep -qxF "QR-Code:https://shop.example/r/$token?n=$no" "$f.codes" ||
            fail "$f: QR is not the buy-online URL: $(cat "$f.codes")"
        # CODE128: at 80 mm the modules are 2 dots and zbarimg must read the number; at 58 mm
        # they are 1 dot (the printer's GS w 1, the widest that fits 384 dots) and zbarimg
        # reads some of them only -- the same bars, so when it reads one it must be right, and
        # it must read at least one of the four (below): 58 mm bars no decoder reads fail.
        if [ "$w" = 80 ] || grep -q '^CODE-128:' "$f.codes"; then
            grep -qxF "CODE-128:$no" "$f.codes" || fail "$f: CODE128 is not $no: $(cat "$f.codes")"
            if [ "$w" = 58 ]; then read58=$((read58 + 1)); fi
        fi
        [ "$(grep -vc -e '^QR-Code:' -e '^CODE-128:' "$f.codes")" = 0 ] ||
            fail "$f: a code that is not ours: $(cat "$f.codes")"
        n=$((n + 1))
    done
done < <(sqlite3 "$db" "SELECT uuid, receipt_no FROM sales ORDER BY receipt_no")
[ "$n" = 8 ] || fail "rendered $n previews, expected 8"
[ "$read58" -ge 1 ] || fail "zbarimg read the CODE128 of none of the 58 mm previews"

# A reprint preview says 重印 (taller by the line) and is counted like any reprint.
first=$(sqlite3 "$db" "SELECT receipt_no FROM sales ORDER BY receipt_no LIMIT 1")
pos receipt "$first" --format png --reprint -o "$dir/reprint.png"
[ "$(sqlite3 "$db" "SELECT count(*) FROM receipt_prints WHERE kind = 'reprint'")" = 1 ] ||
    fail "the reprint preview was not counted"
h() { od -An -tu1 -j20 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
[ "$(h "$dir/reprint.png")" -gt "$(h "$dir/$first-58.png")" ] || fail "the reprint is not taller"

# A refund slip's preview: the printer's width, no QR on it (the buy-online QR is for sales;
# zbarimg finds no QR code), and at 80 mm the CODE128 of a sale is absent too (no barcode).
ref=$(pos --json refund "$first" 1*1 --approve 8888 --at 2026-10-17T09:00:00+08:00 2>/dev/null | jq -r .refund_no)
for w in 58 80; do
    f=$dir/refund-$w.png
    pos receipt "$ref" --format png --width "$w" -o "$f" || fail "refund png $w"
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$f is not a PNG"
    [ "$(png_width "$f")" = $((w == 58 ? 384 : 576)) ] || fail "$f: width $(png_width "$f")"
    [ "$(h "$f")" -gt 300 ] || fail "$f: only $(h "$f") dots tall"
    codes=$(zbarimg -q "$f" 2>/dev/null || true)
    [ -z "$codes" ] || fail "$f: a code on a refund slip: $codes"
done

# Refusals: no -o FILE (an image is not for a terminal), a font that is not there.
set +e
pos receipt "$first" --format png 2>"$dir/err"; rc=$?
[ "$rc" = 2 ] && grep -q -- "-o FILE" "$dir/err" || fail "png to stdout: rc $rc $(cat "$dir/err")"
FUPIN_POS_FONT=$dir/no-such-font.ttf pos receipt "$first" --format png -o "$dir/x.png" 2>"$dir/err"; rc=$?
set -e
[ "$rc" = 1 ] && [ ! -e "$dir/x.png" ] || fail "missing font: rc $rc, $(cat "$dir/err")"
echo "receipt_png: ok ($n previews decoded)"
