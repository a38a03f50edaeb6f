#!/usr/bin/env bash
# The whole test suite: install, build with warnings as errors, run every test with ctest, then
# build and run everything again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
jobs=$(nproc)
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy

echo "== build (warnings as errors)"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFUPIN_WERROR=ON >/dev/null
cmake --build build/test -j"$jobs"
echo "== tests"
ctest --test-dir build/test --output-on-failure -j"$jobs"

echo "== build (ASan + UBSan)"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DFUPIN_WERROR=ON -DFUPIN_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$jobs"
echo "== tests under ASan + UBSan"
# SDL and fontconfig keep caches alive until exit: leak reports there are not ours.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/asan --output-on-failure -j"$jobs"
