#!/usr/bin/env bash
# Weighed goods, scale labels, the search pane and a payment-code payment through the real
# screens under SDL's offscreen driver (tests/ui/scripts/weighed_search.txt), then the committed
# sale checked in the SQLite file.  Screenshots stay in $dir/shots as test artefacts.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
fail() { echo "ui_weighed: FAIL: $*" >&2; exit 1; }

"$bin" --db "$db" init --demo >/dev/null
q() { sqlite3 -batch -noheader "$db" "$1"; }
# The scenario relies on these catalog facts; pin them so a demo-data edit fails here, clearly,
# rather than as a wrong total half-way through the script.
q "UPDATE products SET tare_g = 0, min_g = 100, max_g = 10000 WHERE sku IN ('P0092', 'P0093');
   UPDATE products SET cert_valid_to = '2026-06-30' WHERE sku = 'P0041';
   INSERT OR REPLACE INTO settings(key, value)
     VALUES ('scale.layouts', '21CCCCCPPPPPK;22CCCCCWWWWWK;26CCCCCPPPPPWWWWWK');"
# Under ASan, leak checking is off for the app run only (see ui_sale.sh: SDL's offscreen driver
# dlopens the GL stack); the same code runs leak-checked in tests/ui/test_cashier.c.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
  "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
  --script "$src/tests/ui/scripts/weighed_search.txt" --screenshots "$dir/shots" ||
  fail "the scripted sale did not finish (exit $?)"

[ "$(q 'SELECT count(*) FROM sales')" = 1 ] || fail "expected exactly one sale"
read -r total rounding due change < <(q "SELECT total_fen, rounding_fen, due_fen, change_fen FROM sales" | tr '|' ' ')
[ "$total" = 15399 ] || fail "total $total, expected 15399"
[ "$rounding" = 0 ] || fail "rounding $rounding on a WeChat sale"
[ "$due" = 15399 ] || fail "due $due"
[ "$change" = 0 ] || fail "change $change"
lines=$(q "SELECT group_concat(sku || ':' || qty || ':' || grams || ':' || amount_fen || ':' || poverty_relief, ',')
           FROM (SELECT * FROM sale_lines ORDER BY line_no)")
[ "$lines" = "P0092:1:333:599:1,P0097:1:250:600:1,P0011:1:0:6800:1,P0093:1:250:600:1,P0041:1:0:6800:0" ] ||
  fail "lines are $lines"
[ "$(q "SELECT kind || ':' || amount_fen || ':' || ref FROM sale_tenders")" = "wechat:15399:134567890123456789" ] ||
  fail "tender is $(q 'SELECT kind, amount_fen, ref FROM sale_tenders')"
[ "$(q 'SELECT sum(amount_fen - discount_fen) FROM sale_lines')" = "$total" ] || fail "lines do not sum to the total"
[ "$(q 'SELECT count(*) FROM outbox')" = 1 ] || fail "outbox row missing"
[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"

for shot in s0-empty s1-label-refused s2-search s3-weigh s4-lapsed s5-help s6-payment s7-done; do
  f=$dir/shots/$shot.png
  [ -s "$f" ] || fail "screenshot $shot missing"
  [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$shot is not a PNG"
done
echo "ui_weighed: ok (sale $(q 'SELECT receipt_no FROM sales'), screenshots in $dir/shots)"
