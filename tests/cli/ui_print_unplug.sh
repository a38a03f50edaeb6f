#!/usr/bin/env bash
# The printer unplugged mid-sale, through the real screens offscreen:
#  1. tests/ui/scripts/print_quit_waiting.txt: the printer is gone, the sale is paid and the
#     till quits with its receipt waiting -- the sale is in the database all the same, nothing
#     reached the printer, and the app says "1 receipt not printed" at exit.
#  2. tests/ui/scripts/print_unplug.txt: unplugged between two scans, the sale commits and its
#     receipt and drawer kick wait; plugged back in, both go out and the receipt prints once.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
roll=$dir/sim-printer.bin
fail() { echo "ui_print_unplug: FAIL: $*" >&2; exit 1; }
q() { sqlite3 -batch -noheader "$db" "$1"; }

"$bin" --db "$db" init --demo >/dev/null
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
run() {
  SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
    "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
    --script "$src/tests/ui/scripts/$1" --screenshots "$dir/shots" 2>"$dir/$1.stderr" ||
    { cat "$dir/$1.stderr" >&2; fail "$1 did not finish"; }
}

run print_quit_waiting.txt
grep -q "fupin-pos: 1 receipt not printed" "$dir/print_quit_waiting.txt.stderr" ||
  fail "no 'receipt not printed' at exit: $(cat "$dir/print_quit_waiting.txt.stderr")"
[ "$(q 'SELECT count(*) FROM sales')" = 1 ] || fail "the sale was not committed while the printer was gone"
first=$(q 'SELECT receipt_no FROM sales')
[ "$(q "SELECT due_fen FROM sales WHERE receipt_no = '$first'")" = 880 ] || fail "wrong sale"
if [ -s "$roll" ] && iconv -f GB18030 -t UTF-8 "$roll" | tr -d '\000' | grep -qF "$first"; then
  fail "receipt $first reached an unplugged printer"
fi

run print_unplug.txt
[ "$(q 'SELECT count(*) FROM sales')" = 2 ] || fail "expected two sales"
second=$(q "SELECT receipt_no FROM sales WHERE receipt_no <> '$first'")
[ "$(q "SELECT total_fen || ':' || change_fen FROM sales WHERE receipt_no = '$second'")" = 3680:1320 ] ||
  fail "second sale: $(q "SELECT total_fen, change_fen FROM sales WHERE receipt_no = '$second'")"
text=$(iconv -f GB18030 -t UTF-8 "$roll" | tr -d '\000') || fail "the roll is not GB18030"
[ "$(grep -cF "小票号      $second" <<<"$text")" = 1 ] || fail "receipt $second not printed exactly once"
grep -qF "小票号      $first" <<<"$text" && fail "receipt $first printed although the app quit before"
[ "$(od -An -tx1 -v "$roll" | tr -d ' \n' | grep -o 1b70003232 | wc -l)" = 1 ] ||
  fail "expected one drawer kick (the second sale's, after the replug)"
for shot in 01-unplugged-waiting 02-replugged; do
  [ -s "$dir/shots/$shot.png" ] || fail "screenshot $shot missing"
done
echo "ui_print_unplug: ok (sale $first committed unprinted; $second printed after replug)"
