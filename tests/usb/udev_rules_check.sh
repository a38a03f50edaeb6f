#!/usr/bin/env bash
# udev_rules_check: the rule file docs/DEVICES.md tells people to install
# (assets/udev/60-fupin-pos.rules) reads the way udev reads it, and covers the devices the code
# drives.
#
#   tests/usb/udev_rules_check.sh RULES_FILE
#
# `udevadm verify` would be the judge, but it came with systemd 254 and Debian 12 ships 252
# (and a build container has no udev at all): when it exists it is run too; without it this
# script checks what udev's parser (systemd src/udev/udev-rules.c) insists on: every rule line is
# comma-separated KEY op "VALUE" pairs; KEY is a known key, with {attr} where the key takes one;
# op is == or != for a match, = += -= := for an assignment; the value is double-quoted; a rule
# has at least one assignment (or GOTO/LABEL); GOTO targets exist.  Then coverage: every VID:PID
# of the known-scale table (peripherals/scale/hidscale.c), every scanner vendor
# (peripherals/usb_match.c), the printer class and the four USB-serial adapters have a line.
set -euo pipefail
rules=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
bad() { echo "udev_rules_check: $*" >&2; fail=1; }

[ -f "$rules" ] || { echo "udev_rules_check: no file $rules" >&2; exit 1; }
case $(basename "$rules") in
  60-fupin-pos.rules) ;;
  *) bad "the file must be named 60-fupin-pos.rules (SERIAL_UDEV_HINT names it)";;
esac

if command -v udevadm >/dev/null && udevadm verify --help >/dev/null 2>&1; then
  udevadm verify --resolve-names=never "$rules" || bad "udevadm verify refused $rules"
fi

awk '
function problem(msg) { printf "%s:%d: %s\n", FILENAME, NR, msg; bad = 1 }
BEGIN {
  split("ACTION DEVPATH KERNEL KERNELS NAME SYMLINK SUBSYSTEM SUBSYSTEMS DRIVER DRIVERS ATTR " \
        "ATTRS SYSCTL ENV CONST TAG TAGS TEST PROGRAM RESULT OWNER GROUP MODE SECLABEL RUN " \
        "LABEL GOTO IMPORT OPTIONS", k, " ")
  for (i in k) known[k[i]] = 1
  split("ATTR ATTRS SYSCTL ENV CONST TEST IMPORT RUN SECLABEL", a, " ")
  for (i in a) takes_attr[a[i]] = 1
  split("ACTION DEVPATH KERNEL KERNELS SUBSYSTEM SUBSYSTEMS DRIVER DRIVERS ATTRS TAGS CONST " \
        "PROGRAM RESULT TEST", m, " ")
  for (i in m) match_only[m[i]] = 1
  split("OWNER GROUP MODE SECLABEL RUN LABEL GOTO IMPORT OPTIONS", s, " ")
  for (i in s) assign_only[s[i]] = 1
}
/^[ \t]*(#|$)/ { next }
{
  line = $0
  assigns = 0
  while (length(line) > 0) {
    sub(/^[ \t]+/, "", line)
    if (!match(line, /^[A-Z_]+(\{[^}]*\})?/)) { problem("expected KEY at \"" substr(line, 1, 20) "\""); break }
    keyfull = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1)
    key = keyfull; sub(/\{.*/, "", key)
    if (!(key in known)) problem("unknown key " key)
    if ((key in takes_attr) != (keyfull ~ /\{/) && key != "IMPORT" && key != "RUN") problem("key " keyfull ": attribute braces wrong")
    if (!match(line, /^(==|!=|\+=|-=|:=|=)/)) { problem("expected an operator after " keyfull); break }
    op = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1)
    is_match = (op == "==" || op == "!=")
    if (is_match && (key in assign_only)) problem(keyfull op ": " key " cannot be matched")
    if (!is_match && (key in match_only)) problem(keyfull op ": " key " cannot be assigned")
    if (!is_match) assigns++
    if (!match(line, /^"([^"\\]|\\.)*"/)) { problem("value of " keyfull " is not a double-quoted string"); break }
    val = substr(line, 2, RLENGTH - 2); line = substr(line, RLENGTH + 1)
    if (key == "MODE" && val !~ /^0[0-7][0-7][0-7]$/) problem("MODE \"" val "\" is not octal")
    if (key == "LABEL") labels[val] = 1
    if (key == "GOTO") gotos[val] = NR
    sub(/^[ \t]+/, "", line)
    if (length(line) == 0) break
    if (substr(line, 1, 1) != ",") { problem("expected \",\" before \"" substr(line, 1, 20) "\""); break }
    line = substr(line, 2)
    if (line ~ /^[ \t]*$/) { problem("trailing comma"); break }
  }
  if (assigns == 0) problem("a rule without an assignment does nothing")
}
END {
  for (g in gotos) if (!(g in labels)) { printf "%s:%d: GOTO \"%s\" has no LABEL\n", FILENAME, gotos[g], g; bad = 1 }
  exit bad
}' "$rules" || fail=1

# Coverage: the code's tables against the file.
while read -r vid pid; do
  grep -q "ATTR{idVendor}==\"$vid\", ATTR{idProduct}==\"$pid\"" "$rules" ||
    bad "known scale $vid:$pid (peripherals/scale/hidscale.c) has no rule"
done < <(grep -oE '\{0x[0-9a-f]{4}, 0x[0-9a-f]{4}, "' "$src/peripherals/scale/hidscale.c" |
         sed -E 's/\{0x([0-9a-f]{4}), 0x([0-9a-f]{4}).*/\1 \2/')
n_vendors=0
while read -r vid; do
  n_vendors=$((n_vendors + 1))
  grep -qE "ATTR\{idVendor\}==\"$vid\", TAG" "$rules" ||
    bad "scanner vendor $vid (peripherals/usb_match.c) has no rule"
done < <(grep -oE '^    \{0x[0-9a-f]{4}, "' "$src/peripherals/usb_match.c" | sed -E 's/.*0x([0-9a-f]{4}).*/\1/')
[ "$n_vendors" -ge 5 ] || bad "found only $n_vendors scanner vendors in peripherals/usb_match.c (table moved?)"
grep -q 'ENV{ID_USB_INTERFACES}=="\*:07????:\*"' "$rules" || bad "no rule for printer-class (07) devices"
for a in 1a86:7523 067b:2303 10c4:ea60 0403:6001; do
  grep -q "SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"${a%%:*}\", ATTRS{idProduct}==\"${a##*:}\"" "$rules" ||
    bad "USB-serial adapter $a has no tty rule"
done
exit $fail
