#!/usr/bin/env bash
# The whole test suite: install, check the layering rules (scripts/check-layers.sh), build with
# warnings as errors, run every test with ctest, then
# build and run everything again under AddressSanitizer + UndefinedBehaviorSanitizer, then build
# only the tests labelled "thread" under ThreadSanitizer and run them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
jobs=$(nproc)

echo "== layering check (include directions and cycles, file length, banned calls)"
bash scripts/check-layers.sh
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

echo "== build (ThreadSanitizer: the thread tests only)"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFUPIN_WERROR=ON -DFUPIN_TSAN=ON >/dev/null
cmake --build build/tsan -j"$jobs" --target thread_tests
echo "== thread tests under TSan"
# tests/tsan.supp names only libraries not built with TSan (Mesa's rasteriser behind SDL).
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
ctest --test-dir build/tsan -L thread --output-on-failure -j"$jobs"
