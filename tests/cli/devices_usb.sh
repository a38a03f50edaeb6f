#!/usr/bin/env bash
# devices over USB (issue #9 "Done when"): the real fupin-pos binary, its real libusb, and the
# emulated scale, scanner and printer of tests/usb/data/*.umockdev under umockdev-run (no root,
# no hardware).  `devices --json` must list all three as found on USB and choose each of them
# for its class when left to auto -- the scale's DYMO, the scanner vendor's keyboard, the class-7
# printer, and the drawer behind that printer.  The emulated devices answer no transfers (no
# recorded traffic), so the scale and scanner end in an I/O error after being claimed: the
# listing shows that with the device's name, which is the point -- the till found and tried the
# right device.  Reads through the real transfer path are tests/usb/test_usb_open.c's.
# Then without umockdev: nothing found and nothing configured is the simulators (the demo
# default), and a configured USB printer that is absent says so.
set -euo pipefail
bin=$1 dir=$2 src=$3
data=$src/tests/usb/data
rm -rf "$dir"
mkdir -p "$dir"
db=$dir/till.db
fail() { echo "devices_usb: FAIL: $*" >&2; exit 1; }
command -v umockdev-run >/dev/null || fail "umockdev-run missing (scripts/deps.sh installs umockdev)"
command -v jq >/dev/null || fail "jq missing (scripts/deps.sh installs it)"
# umockdev-run preloads its library ahead of an ASan build's runtime (tests/usb/umockdev_run_data.sh).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"

"$bin" --db "$db" init --demo >/dev/null

out=$(umockdev-run -d "$data/scale.umockdev" -d "$data/scanner.umockdev" -d "$data/printer.umockdev" \
        -- "$bin" --db "$db" devices --json) || fail "devices --json exited $?"
echo "$out" > "$dir/devices.json"
jq -e . "$dir/devices.json" >/dev/null || fail "not one JSON document: $out"
usb() { jq -r --arg c "$1" '.usb[] | select(.class == $c) | "\(.kind) \(.id) \(.where)"' "$dir/devices.json"; }
[ "$(usb scale)" = "hid-scale 0922:8003 1-1" ] || fail "USB scale: '$(usb scale)' in $out"
[ "$(usb scanner)" = "kbd-scanner 0c2e:0200 1-2" ] || fail "USB scanner: '$(usb scanner)' in $out"
[ "$(usb printer)" = "printer 0416:5011 1-3" ] || fail "USB printer: '$(usb printer)' in $out"
[ "$(jq '.usb | length' "$dir/devices.json")" = 3 ] || fail "expected 3 USB devices: $out"
row() { jq -r --arg c "$1" '.devices[] | select(.class == $c) | "\(.spec)|\(.source)|\(.state)|\(.name)"' "$dir/devices.json"; }
# auto chose the USB devices (a found device is never replaced by a simulator)
[[ "$(row scale)" == "auto|auto|"*"|DYMO M10 0922:8003" ]] || fail "scale row: $(row scale)"
[[ "$(row scanner)" == "auto|auto|"*"|Metrologic (Honeywell) 0c2e:0200" ]] || fail "scanner row: $(row scanner)"
[ "$(row printer)" = "auto|auto|enabled|printer 0416:5011" ] || fail "printer row: $(row printer)"
[ "$(row drawer)" = "printer|auto|enabled|printer 0416:5011" ] || fail "drawer row: $(row drawer)"
# the scale and scanner were claimed and read (no traffic recorded: an I/O error, named)
for c in scale scanner; do
  st=$(jq -r --arg c $c '.devices[] | select(.class == $c) | .state' "$dir/devices.json")
  case $st in enabled|error) ;; *) fail "$c state '$st' (never opened?)";; esac
done

# A configured vid:pid finds that device, the human listing names it too.
out=$(umockdev-run -d "$data/printer.umockdev" -- "$bin" --db "$db" --printer usb:0416:5011 \
        --scale none --scanner none devices) || fail "devices exited $?"
grep -Eq '^printer +usb:0416:5011 +option +enabled +printer 0416:5011' <<<"$out" || fail "listing: $out"
grep -q '^USB: 1 device we drive' <<<"$out" || fail "USB summary: $out"

# No USB device and nothing configured: the simulators (run's demo default), said as such.
out=$("$bin" --db "$db" devices --json)
[ "$(jq -r '[.devices[] | .name] | join(",")' <<<"$out")" = "sim scale,sim scanner,sim printer,sim printer" ] ||
  fail "demo default: $out"
[ "$(jq '.usb | length' <<<"$out")" = 0 ] || fail "USB devices outside umockdev: $out"
# ... but --read never reads the demo simulator by default: a technician asking "is my scale
# seen?" must not get a made-up weight.
if "$bin" --db "$db" devices --read scale --timeout 500 2>"$dir/read.err"; then
  fail "devices --read scale read something with nothing plugged in"
else
  rc=$?
  [ "$rc" = 3 ] || fail "devices --read scale with nothing plugged in exits $rc, not 3"
fi
grep -q "no scale found" "$dir/read.err" || fail "read refusal: $(cat "$dir/read.err")"
# A configured USB printer that is not there: an error row naming it, not a simulator.
out=$("$bin" --db "$db" --printer usb:0416:5011 devices --json)
[ "$(jq -r '.devices[] | select(.class == "printer") | .state' <<<"$out")" = error ] || fail "absent printer: $out"
jq -r '.devices[] | select(.class == "printer") | .error' <<<"$out" | grep -q "0416:5011" ||
  fail "the absent printer's error does not name it: $out"
echo "devices_usb: ok"
