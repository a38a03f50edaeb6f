#!/usr/bin/env bash
# Quick start: install what is needed, build, load the demo store and start the cashier app.
#   scripts/demo.sh               fullscreen
#   scripts/demo.sh --windowed    any `fupin-pos run` option passes through
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

DB=${FUPIN_POS_DB:-$PWD/build/demo/till.db}
mkdir -p "$(dirname "$DB")"
./build/fupin-pos --db "$DB" init --demo
exec ./build/fupin-pos --db "$DB" run --simulate-devices "$@"
