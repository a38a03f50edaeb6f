#!/usr/bin/env bash
# The "done when" of the receipts issue (#10): a scripted sale on the real screens (SDL
# offscreen, tests/ui/scripts/receipt_qr.txt) ends with a receipt printed on the simulated
# printer whose QR -- drawn as a raster image (receipt.qr = raster) -- decodes with zbarimg to
# the configured buy-online URL, its {token} the sale's unguessable receipt token.  Then the
# same receipt with the printer's own QR command (GS ( k) carries the same URL in its store
# command, and the token is the same on a reprint.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
roll=$dir/sim-printer.bin
fail() { echo "ui_receipt_qr: FAIL: $*" >&2; exit 1; }
q() { sqlite3 -batch -noheader "$db" "$1"; }

"$bin" --db "$db" init --demo >/dev/null
"$bin" --db "$db" config set receipt.buy_url 'https://shop.example/r/{token}?n={receipt}' >/dev/null
"$bin" --db "$db" config set receipt.qr raster >/dev/null
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
  "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
  --script "$src/tests/ui/scripts/receipt_qr.txt" --screenshots "$dir/shots" 2>"$dir/stderr" ||
  { cat "$dir/stderr" >&2; fail "the scripted sale did not finish"; }

no=$(q "SELECT receipt_no FROM sales")
token=$(q "SELECT token FROM receipt_tokens t JOIN sales s ON s.uuid = t.sale_uuid")
[ "${#token}" = 22 ] || fail "no 22-character receipt token: '$token'"
want="https://shop.example/r/$token?n=$no"

# The GS v 0 image on the roll as a PBM (same bits: MSB leftmost, 1 black), read by zbarimg.
raster_to_pbm() {   # FILE OUT
    local hex i off xb rows
    hex=$(od -An -tx1 -v "$1" | tr -d ' \n')
    i=$(awk -v h="$hex" 'BEGIN { print index(h, "1d763000") }')
    [ "$i" -gt 0 ] || fail "no GS v 0 image in $1"
    off=$(( (i - 1) / 2 ))
    xb=$(( 16#${hex:$((i + 7)):2} + 256 * 16#${hex:$((i + 9)):2} ))
    rows=$(( 16#${hex:$((i + 11)):2} + 256 * 16#${hex:$((i + 13)):2} ))
    { printf 'P4\n%d %d\n' $((xb * 8)) "$rows"
      dd if="$1" bs=1 skip=$((off + 8)) count=$((xb * rows)) status=none; } >"$2"
}
raster_to_pbm "$roll" "$dir/qr.pbm"
got=$(zbarimg --raw -q "$dir/qr.pbm" 2>/dev/null) || fail "zbarimg read no QR from the printed image"
[ "$got" = "$want" ] || fail "the QR says '$got', wanted '$want'"

# The printer's own QR command: GS ( k store with the same URL; the token did not change.
"$bin" --db "$db" config set receipt.qr native >/dev/null
"$bin" --db "$db" receipt "$no" --format escpos -o "$dir/native.bin"
hexurl=$(printf '%s' "$want" | od -An -tx1 -v | tr -d ' \n')
len=$(( ${#want} + 3 ))
store=$(printf '1d286b%02x%02x3150 30' $((len % 256)) $((len / 256)) | tr -d ' ')
od -An -tx1 -v "$dir/native.bin" | tr -d ' \n' | grep -q "$store$hexurl" ||
    fail "no GS ( k store command of the URL"
"$bin" --db "$db" receipt "$no" --reprint --qr-raster --format escpos -o "$dir/reprint.bin"
raster_to_pbm "$dir/reprint.bin" "$dir/reprint.pbm"
[ "$(zbarimg --raw -q "$dir/reprint.pbm" 2>/dev/null)" = "$want" ] || fail "the reprint's QR differs"
[ "$(q 'SELECT count(*) FROM receipt_tokens')" = 1 ] || fail "more than one token"
[ -s "$dir/shots/01-printed.png" ] || fail "screenshot missing"
echo "ui_receipt_qr: ok ($want)"
