#!/usr/bin/env bash
# The cashier app without a usable Chinese font: exit 3 with the fix in the message, before any
# display or database is needed (the font check comes first).
set -euo pipefail
bin=$1 dir=$2
rm -rf "$dir"
mkdir -p "$dir"
fail() { echo "ui_font: FAIL: $*" >&2; exit 1; }
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
for font in "$dir/no-such-font.ttf" "$0"; do
  rc=0
  SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
    "$bin" --db "$dir/none.db" run --windowed --font "$font" 2>"$dir/err" || rc=$?
  [ "$rc" = 3 ] || fail "--font $font: exit $rc, expected 3 ($(cat "$dir/err"))"
  grep -q "no Chinese font found" "$dir/err" || fail "--font $font: $(cat "$dir/err")"
  grep -q "fonts-noto-cjk" "$dir/err" || fail "--font $font: no fix named: $(cat "$dir/err")"
done
[ ! -e "$dir/none.db" ] || fail "the font check touched the database"
echo "ui_font: ok"
