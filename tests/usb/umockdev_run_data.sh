#!/usr/bin/env bash
# umockdev_run_data: the three .umockdev descriptions of tests/usb/data/ load in umockdev-run (the
# way the integrator's `fupin-pos devices --json` test and a person at a shell use them) and the
# real libusb listing (peripherals/usb.c usb_list, through `usb_test_usb --list`) classifies each.
#
#   tests/usb/umockdev_run_data.sh USB_TEST_BINARY DATA_DIR
set -euo pipefail
bin=$1 data=$2
command -v umockdev-run >/dev/null || { echo "umockdev-run missing (scripts/deps.sh installs umockdev)" >&2; exit 1; }
# umockdev-run puts libumockdev-preload in LD_PRELOAD, ahead of an ASan build's libasan: ASan
# refuses to start ("runtime does not come first") unless told the order is fine -- it is: the
# preload only wraps libc calls, and ASan's interceptors still sit between it and libc.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
fail=0
expect() {   # expect "LINE" in OUTPUT
  grep -qxF "$1" <<<"$2" || { echo "umockdev_run_data: missing \"$1\" in:" >&2; echo "$2" >&2; fail=1; }
}
out=$(umockdev-run -d "$data/scale.umockdev" -d "$data/scanner.umockdev" -d "$data/printer.umockdev" -- "$bin" --list)
expect "scale hid-scale 0922:8003 1-1 in=81 out=00" "$out"
expect "scanner kbd-scanner 0c2e:0200 1-2 in=81 out=00" "$out"
expect "printer printer 0416:5011 1-3 in=83 out=02" "$out"
[ "$(wc -l <<<"$out")" -eq 3 ] || { echo "umockdev_run_data: expected 3 devices, got: $out" >&2; fail=1; }
# one file alone is one device
out=$(umockdev-run -d "$data/printer.umockdev" -- "$bin" --list)
[ "$out" = "printer printer 0416:5011 1-3 in=83 out=02" ] || { echo "umockdev_run_data: printer alone: $out" >&2; fail=1; }
exit $fail
