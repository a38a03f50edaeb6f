#!/usr/bin/env bash
# A cash sale printed on the simulated printer through the real screens under SDL's offscreen
# driver (tests/ui/scripts/print_sale.txt: slip, drawer kick, F7 reprint, paper out then in),
# then the printer's file read back: GB18030 decoded with iconv, the kicks counted in the raw
# ESC/POS bytes.  Screenshots stay in $dir/shots.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
roll=$dir/sim-printer.bin     # the simulated printer writes next to the database
fail() { echo "ui_print: FAIL: $*" >&2; exit 1; }

"$bin" --db "$db" init --demo >/dev/null
# Leak checking off for the app run only under ASan (SDL's offscreen GL stack: see ui_sale.sh).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
  "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
  --script "$src/tests/ui/scripts/print_sale.txt" --screenshots "$dir/shots" 2>"$dir/stderr" ||
  { cat "$dir/stderr" >&2; fail "the scripted sale did not finish"; }
grep -q "not printed" "$dir/stderr" && fail "a receipt was left unprinted: $(cat "$dir/stderr")"

q() { sqlite3 -batch -noheader "$db" "$1"; }
[ "$(q 'SELECT count(*) FROM sales')" = 2 ] || fail "expected two sales"
[ "$(q "SELECT group_concat(grams, ',') FROM sale_lines WHERE grams > 0")" = 333 ] ||
  fail "the weighed line (333 g from the simulated scale) is not in the sale"
first=$(q "SELECT receipt_no FROM sales ORDER BY created_utc, receipt_no LIMIT 1")
second=$(q "SELECT receipt_no FROM sales ORDER BY created_utc, receipt_no LIMIT 1 OFFSET 1")

[ -s "$roll" ] || fail "the simulated printer wrote nothing to $roll"
text=$(iconv -f GB18030 -t UTF-8 "$roll" | tr -d '\000') || fail "the roll is not GB18030"
count() { grep -cF -- "$1" <<<"$text" || true; }
# The first sale: printed, then reprinted (F7); the second once, after the paper came back.
[ "$(count "小票号      $first")" = 2 ] || fail "receipt $first printed $(count "小票号      $first") times, wanted 2"
[ "$(count "小票号      $second")" = 1 ] || fail "receipt $second printed $(count "小票号      $second") times, wanted 1"
for line in "永仁县扶贫超市" "软籽石榴汁 300ml" "  3 × ￥28.00           ￥84.00" "软籽石榴(散装)" \
            "  0.333kg × ￥18.00/kg   ￥5.99" "合计                     ￥98.79" "抹零                     -￥0.09" "应收                     ￥98.70" "现金                    ￥100.00" \
            "找零                      ￥1.30" "找零                      ￥1.20"; do
  [ "$(count "$line")" -ge 1 ] || fail "the roll lacks '$line'"
done
# The print log (schema step 8): each sale's original, and the F7 reprint of the first.
[ "$(q "SELECT group_concat(kind || ':' || receipt_no, ' ') FROM (SELECT kind, receipt_no FROM receipt_prints ORDER BY id)")" = \
  "original:$first reprint:$first original:$second" ] || fail "print log: $(q 'SELECT kind, receipt_no FROM receipt_prints')"
[ "$(count "重印")" = 1 ] || fail "the reprint is not marked 重印 once"
hex=$(od -An -tx1 -v "$roll" | tr -d ' \n')
# ESC @ + FS & opens each receipt, feed + FS . + GS V 0 closes it; one kick per cash sale.
[ "$(grep -o 1b401c26 <<<"$hex" | wc -l)" = 3 ] || fail "expected 3 receipts (ESC @ FS &)"
[ "$(grep -o 0a0a0a1c2e1d5600 <<<"$hex" | wc -l)" = 3 ] || fail "expected 3 cuts"
[ "$(grep -o 1b70003232 <<<"$hex" | wc -l)" = 2 ] || fail "expected 2 drawer kicks (ESC p 0 50 50)"
for shot in 01-printed 02-paper-out 03-printed-late; do
  [ -s "$dir/shots/$shot.png" ] || fail "screenshot $shot missing"
done
echo "ui_print: ok (receipts $first ×2, $second ×1; roll $roll)"
