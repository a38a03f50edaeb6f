#!/usr/bin/env bash
# Zero and tare from the till on the real screen (offscreen): tests/ui/scripts/scale_zero.txt
# with the simulated scale behind the device manager's thread -- F11 zeroes it (the HID POS
# Zero Scale report through the manager), under zero is shown and never priced, a tared bowl
# leaves the goods' net weight priced -- then the committed sale checked in SQLite.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
fail() { echo "ui_scale_zero: FAIL: $*" >&2; exit 1; }

"$bin" --db "$db" init --demo >/dev/null
q() { sqlite3 -batch -noheader "$db" "$1"; }
q "UPDATE products SET tare_g = 0, min_g = 100, max_g = 10000 WHERE sku = 'P0092'"
"$bin" --db "$db" config set scale.hold_ms 300 >/dev/null
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"   # see ui_sale.sh
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
  "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
  --script "$src/tests/ui/scripts/scale_zero.txt" --screenshots "$dir/shots" ||
  fail "the scripted sale did not finish (exit $?)"

[ "$(q 'SELECT count(*) FROM sales')" = 1 ] || fail "expected exactly one sale"
lines=$(q "SELECT group_concat(sku || ':' || grams || ':' || amount_fen, ',')
           FROM (SELECT * FROM sale_lines ORDER BY line_no)")
[ "$lines" = "P0092:333:599" ] || fail "lines are $lines (expected the net 333 g of goods)"
for shot in z0-zeroed z1-under-zero z2-net; do
  [ -s "$dir/shots/$shot.png" ] || fail "screenshot $shot missing"
done
echo "ui_scale_zero: ok (sale $(q 'SELECT receipt_no FROM sales'), screenshots in $dir/shots)"
