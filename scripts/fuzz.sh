#!/usr/bin/env bash
# fuzz: build the libFuzzer targets of tests/fuzz with clang (ASan + UBSan + coverage) into
# build/fuzz and run each for SECONDS (default 300).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]        TARGET: barcode json csv ... (default: all)
#   FUZZ_NO_BUILD=1 scripts/fuzz.sh ...          reuse build/fuzz (two runs side by side)
#   FUZZ_FLAGS="-fork=1 -ignore_crashes=1" ...   extra libFuzzer flags (here: go on past a
#                                                known crash, collecting every distinct one)
#
# Each target starts from its seed corpus (tests/fuzz/corpus/<t>/, read only) and keeps what it
# learns in build/fuzz/corpus/<t>/.  A crash, leak or timeout lands in build/fuzz/artifacts/<t>/;
# fix the parser, then copy the input into tests/fuzz/corpus/<t>/ so ctest replays it for good.
# Logs: build/fuzz/logs/<t>.log; the last lines printed are runs, coverage and findings per
# target (docs/FUZZING.md keeps the figures of the last long run).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-300}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then  # every target: tests/fuzz/fuzz_<t>.c
  for f in tests/fuzz/fuzz_*.c; do t=${f##*/fuzz_}; targets+=("${t%.c}"); done
fi

# Longest input worth trying per target: a bit beyond what the parser accepts or buffers.
max_len() {
  case $1 in
    barcode) echo 128 ;;        # BARCODE_MAX_LEN is 64
    scale_label) echo 256 ;;    # a layout line + a label
    config) echo 700 ;;         # scale.layouts is capped at 511 characters
    wedge) echo 1024 ;;         # 511 key events
    hidscale) echo 512 ;;   # a 6-byte report; descriptors run to a few hundred bytes
    scale_serial) echo 4096 ;;  # many frames, garbage between, random chunk sizes
    scanner_bootkbd) echo 2400 ;;   # 266 reports: beyond a 128-character code
    scanner_hidpos) echo 1400 ;;    # 21 reports: beyond a 512-byte code
    printer_status) echo 512 ;;     # request, reply, slip options and a short slip
    serial_port) echo 4096 ;;       # a config text, then frames and garbage in random chunks
    csv | csv_table) echo 20000 ;;  # beyond CSV_MAX_RECORD (8192)
    *) echo 8192 ;;             # json, promo_rule, script
  esac
}

cc=${CC:-}
if [ -z "$cc" ]; then
  for c in clang clang-14; do command -v "$c" >/dev/null && { cc=$c; break; }; done
fi
[ -n "$cc" ] || { echo "fuzz: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }

out=build/fuzz
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  echo "== build (clang, libFuzzer + ASan + UBSan) into $out"
  CC=$cc cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFUPIN_FUZZ=ON >/dev/null
  cmake --build "$out" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
fi
mkdir -p "$out/tmp"
export TMPDIR=$PWD/$out/tmp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
summary=()
for t in "${targets[@]}"; do
  bin=$out/tests/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz: no binary for $t" >&2; status=1; continue; }
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t" "$out/logs"
  log=$out/logs/$t.log
  echo "== fuzz_$t for ${seconds}s (max_len $(max_len "$t"))"
  rc=0
  "$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" ${FUZZ_FLAGS:-} \
    "$out/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  found=$(find "$out/artifacts/$t" -type f | wc -l)
  line="$t: runs ${runs:-?}, ${cov:-cov ?}, corpus $(find "$out/corpus/$t" -type f | wc -l) files, findings $found (exit $rc)"
  summary+=("$line")
  echo "   $line"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    grep -m3 -E 'ERROR|SUMMARY|property failed' "$log" | sed 's/^/   /' || true
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
