#!/usr/bin/env bash
# ctest core/pinyin_table_generated: pos/core/pinyin_table.c must be exactly what
# scripts/gen-pinyin-table.sh produces from the installed pinyin data, so the table is never
# hand-edited and a data update is a visible, reviewable regeneration.
#   pinyin_table_check.sh SOURCE_DIR OUTPUT_FILE
set -euo pipefail
src=${1:?source dir}
out=${2:?output file}
mkdir -p "$(dirname "$out")"
bash "$src/scripts/gen-pinyin-table.sh" "$out"
if ! diff -u "$src/pos/core/pinyin_table.c" "$out" > "$out.diff"; then
  head -40 "$out.diff"
  echo "pinyin_table.c differs from the generator output (see $out.diff):" \
       "rerun scripts/gen-pinyin-table.sh and commit the result" >&2
  exit 1
fi
echo "pinyin_table.c matches scripts/gen-pinyin-table.sh output"
