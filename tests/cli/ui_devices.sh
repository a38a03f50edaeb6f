#!/usr/bin/env bash
# The input devices through the real path on the real screens (offscreen): the simulated scale
# and scanner behind the device manager's thread (tests/ui/scripts/device_sale.txt) -- motion
# not priced, a stable weight priced, a scan through the claimed scanner, the scale unplugged
# mid-sale with the sale going on -- then the committed sale checked in SQLite.  Screenshots
# of the weight panel (motion, stable, over capacity) stay in $dir/shots.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
fail() { echo "ui_devices: FAIL: $*" >&2; exit 1; }

"$bin" --db "$db" init --demo >/dev/null
q() { sqlite3 -batch -noheader "$db" "$1"; }
q "UPDATE products SET tare_g = 0, min_g = 100, max_g = 10000 WHERE sku IN ('P0092', 'P0093');
   INSERT OR REPLACE INTO settings(key, value)
     VALUES ('scale.layouts', '21CCCCCPPPPPK;22CCCCCWWWWWK;26CCCCCPPPPPWWWWWK');"
# The hold time is a setting: 300 ms keeps the test short and still exercises the hold.
"$bin" --db "$db" config set scale.hold_ms 300 >/dev/null
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"   # see ui_sale.sh
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
  "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
  --script "$src/tests/ui/scripts/device_sale.txt" --screenshots "$dir/shots" ||
  fail "the scripted sale did not finish (exit $?)"

[ "$(q 'SELECT count(*) FROM sales')" = 1 ] || fail "expected exactly one sale"
read -r total change < <(q "SELECT total_fen, change_fen FROM sales" | tr '|' ' ')
[ "$total" = 2679 ] || fail "total $total, expected 2679"
[ "$change" = 330 ] || fail "change $change, expected 330 (due 26.70 after the store's 抹零)"
lines=$(q "SELECT group_concat(sku || ':' || grams || ':' || amount_fen, ',')
           FROM (SELECT * FROM sale_lines ORDER BY line_no)")
[ "$lines" = "P0092:333:599,P0003:0:880,P0093:250:600,P0097:250:600" ] || fail "lines are $lines"

# Without a simulated scanner (--scanner none: else auto on a machine without USB devices is
# the simulators) a device line is refused with FILE:LINE, not ignored.
printf 'device scanner scan 6985798000316\n' > "$dir/no_sim.txt"
if SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy "$bin" --db "$db" --scanner none run --windowed \
     --size 1280x800 --script "$dir/no_sim.txt" 2>"$dir/no_sim.err"; then
  fail "a device line without a simulated scanner passed"
fi
grep -q "no_sim.txt:1: device scanner: the scanner is not simulated" "$dir/no_sim.err" ||
  fail "refusal: $(cat "$dir/no_sim.err")"

# A bad --scanner is a usage error, said before any window opens.
if "$bin" --db "$db" --scanner usb:zz run --script "$dir/no_sim.txt" 2>"$dir/bad_spec.err"; then
  fail "a bad --scanner passed"
else
  rc=$?
  [ "$rc" = 2 ] || fail "a bad --scanner exits $rc, not 2"
fi
grep -q -- "--scanner: " "$dir/bad_spec.err" || fail "bad spec: $(cat "$dir/bad_spec.err")"
# ... and so is a bad --printer (it used to open the window first and exit 1)
if "$bin" --db "$db" --printer usb:zz run --script "$dir/no_sim.txt" 2>"$dir/bad_printer.err"; then
  fail "a bad --printer passed"
else
  rc=$?
  [ "$rc" = 2 ] || fail "a bad --printer exits $rc, not 2"
fi
grep -q -- "--printer: " "$dir/bad_printer.err" || fail "bad printer spec: $(cat "$dir/bad_printer.err")"

for shot in d0-empty d1-motion d2-stable d3-unplugged d4-over d5-done; do
  f=$dir/shots/$shot.png
  [ -s "$f" ] || fail "screenshot $shot missing"
done
echo "ui_devices: ok (sale $(q 'SELECT receipt_no FROM sales'), screenshots in $dir/shots)"
