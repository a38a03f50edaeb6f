#!/usr/bin/env bash
# A Friday sale with a member and a points tender through the real screens under SDL's
# offscreen driver (tests/ui/scripts/friday_member.txt), then the committed sale, its applied
# rule and its points rows checked in the SQLite file.  Screenshots stay in $dir/shots.
set -euo pipefail
bin=$1 dir=$2 src=$3
rm -rf "$dir"
mkdir -p "$dir/shots"
db=$dir/till.db
fail() { echo "ui_promo: FAIL: $*" >&2; exit 1; }

"$bin" --db "$db" init --demo >/dev/null
"$bin" --db "$db" --at 2026-10-15T09:00:00+08:00 member points 88000001 --adjust 500 --reason 开卡礼 >/dev/null
# Leak checks off for the app process only (see ui_sale.sh: SDL's offscreen GL stack).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
  "$bin" --db "$db" run --windowed --size 1280x800 --simulate-devices \
  --script "$src/tests/ui/scripts/friday_member.txt" --screenshots "$dir/shots" ||
  fail "the scripted sale did not finish (exit $?)"

q() { sqlite3 -batch -noheader "$db" "$1"; }
[ "$(q 'SELECT count(*) FROM sales')" = 1 ] || fail "expected exactly one sale"
uuid=$(q 'SELECT uuid FROM sales')
read -r total rounding due change member < <(q "SELECT total_fen, rounding_fen, due_fen, change_fen, member_id FROM sales" | tr '|' ' ')
[ "$total" = 5168 ] || fail "total $total, expected 5168"
[ "$rounding" = 0 ] || fail "rounding $rounding on a sale paid partly with points"
[ "$due" = 5168 ] || fail "due $due"
[ "$change" = 332 ] || fail "change $change, expected 332"
[ "$member" = 88000001 ] || fail "member $member"
[ "$(q "SELECT group_concat(kind || ':' || amount_fen, ',') FROM (SELECT kind, amount_fen FROM sale_tenders ORDER BY kind DESC)")" = "points:500,cash:5000" ] ||
  fail "tenders $(q 'SELECT group_concat(kind || ":" || amount_fen) FROM sale_tenders')"
[ "$(q "SELECT sum(discount_fen) FROM sale_lines")" = 272 ] || fail "line discounts"
[ "$(q "SELECT amount_fen FROM sale_applied WHERE sale_uuid = '$uuid' AND rule = 'fri-fupin'")" = -272 ] ||
  fail "fri-fupin not applied for -2.72: $(q "SELECT group_concat(rule || ':' || amount_fen) FROM sale_applied")"
[ "$(q "SELECT points FROM points_journal WHERE sale_uuid = '$uuid' AND kind = 'redeem'")" = -500 ] || fail "redeem row"
[ "$(q "SELECT points FROM points_journal WHERE sale_uuid = '$uuid' AND kind = 'earn'")" = 70 ] || fail "earn row"
[ "$(q "SELECT sum(points) FROM points_journal WHERE member_id = '88000001'")" = 70 ] || fail "balance"
[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"

for shot in p0-banner p1-member-entry p2-basket p3-points p4-cash p5-done p6-stars p7-help; do
  f=$dir/shots/$shot.png
  [ -s "$f" ] || fail "screenshot $shot missing"
  [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$shot is not a PNG"
done
echo "ui_promo: ok (sale $(q 'SELECT receipt_no FROM sales'), screenshots in $dir/shots)"
