#!/usr/bin/env bash
# check-layers: the house rules a compiler does not check, as a script that can fail.
#
#   scripts/check-layers.sh [ROOT]      (ROOT defaults to the repository holding this script)
#
# Reads every .c/.h under pos/ db/ ui/ peripherals/ tests/ bench/ and prints one line per
# violation, "FILE:LINE: reason", then exits 1 (0 and nothing on stdout when the tree is clean):
#   - an include cycle between modules: a module is a .c/.h pair plus its private X_internal.h
#     (db/store.c + db/store.h + db/store_internal.h =
#     db/store), an edge is an #include "..." line in either file; every include that closes a
#     cycle is reported with the whole loop;
#   - a file longer than MAX_LINES (800; env FUPIN_MAX_LINES overrides);
#   - a banned call: atoi, sprintf, strcat, gets (unchecked or unbounded; use strtol with
#     checks, snprintf) -- comments and string literals are not searched;
#   - a forbidden direction: pos/core includes nothing outside pos/core; ui/ includes neither
#     db/ nor pos/app/; peripherals/ includes neither db/, ui/ nor pos/app/; db/ includes
#     neither ui/ nor pos/app/;
#   - an impure core: pos/core includes no <system> header but the C library's (no <time.h>:
#     no clock; no <unistd.h>, <pthread.h>, <sqlite3.h>, <SDL.h>) and <jansson.h>.
# Written in bash + POSIX awk (mawk on a fresh Debian) so CI needs nothing beyond the base
# system; docs/CODE_STYLE.md explains the rules.
set -euo pipefail

root=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}
cd "$root"
max_lines=${FUPIN_MAX_LINES:-800}

dirs=()
for d in pos db ui peripherals tests bench; do
  [ -d "$d" ] && dirs+=("$d")
done
[ ${#dirs[@]} -gt 0 ] || { echo "check-layers: no source directories under $root" >&2; exit 2; }

files=()
while IFS= read -r f; do files+=("$f"); done \
  < <(find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || exit 0

LC_ALL=C awk -v max_lines="$max_lines" '
BEGIN {
  instead["atoi"] = "no error check: use strtol and check end and errno"
  instead["sprintf"] = "unbounded: use snprintf"
  instead["strcat"] = "unbounded: use snprintf or a length-tracked append"
  instead["gets"] = "unbounded: use fgets"
  n = split("assert.h ctype.h errno.h float.h inttypes.h limits.h locale.h math.h stdalign.h " \
            "stdarg.h stdbool.h stddef.h stdint.h stdio.h stdlib.h string.h jansson.h", ok, " ")
  for (i = 1; i <= n; i++) core_ok[ok[i]] = 1
}
# X_internal.h is the private half of module X (shared by the .c files of X), not a module.
function module(path) { sub(/\.[ch]$/, "", path); sub(/_internal$/, "", path); return path }
function dirname(path) { if (path !~ /\//) return ""; sub(/\/[^\/]*$/, "", path); return path "/" }
function layer(path) {
  if (path ~ /^pos\/core\//) return "core"
  if (path ~ /^pos\/app\//) return "app"
  if (path ~ /^ui\//) return "ui"
  if (path ~ /^peripherals\//) return "peripherals"
  if (path ~ /^db\//) return "db"
  return "other"
}
function violation(file, line, reason) { report(file ":" line, reason) }
function report(where, reason) { print where ": " reason; bad++ }
function finish_file() {
  if (cur != "" && lines > max_lines)
    violation(cur, max_lines + 1, "file has " lines " lines (limit " max_lines ")")
}

FNR == 1 { finish_file(); cur = FILENAME; in_comment = 0 }
{ lines = FNR }

# Includes: remember the edge, and check its direction right away.
/^[ \t]*#[ \t]*include[ \t]*"/ {
  t = $0
  sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", t)
  sub(/".*$/, "", t)
  if (t !~ /\//) t = dirname(FILENAME) t
  from = layer(FILENAME); to = layer(t)
  if (from == "core" && to != "core")
    violation(FILENAME, FNR, "pos/core includes " t " (pos/core includes nothing outside pos/core)")
  else if (from == "ui" && (to == "db" || to == "app"))
    violation(FILENAME, FNR, "ui/ includes " t " (ui/ includes neither db/ nor pos/app/)")
  else if (from == "peripherals" && (to == "db" || to == "ui" || to == "app"))
    violation(FILENAME, FNR, "peripherals/ includes " t " (peripherals/ includes neither db/, ui/ nor pos/app/)")
  else if (from == "db" && (to == "ui" || to == "app"))
    violation(FILENAME, FNR, "db/ includes " t " (db/ includes neither ui/ nor pos/app/)")
  u = module(FILENAME); v = module(t)
  if (u != v && !((u, v) in edge_at)) {
    edge_at[u, v] = FILENAME ":" FNR
    n_out[u]++; out[u, n_out[u]] = v
    if (!(u in seen)) { seen[u] = 1; mods[++n_mods] = u }
  }
  next
}

# pos/core stays pure: of the system headers only those of the C library (no time.h: no clock)
# and jansson, a parser without I/O.
/^[ \t]*#[ \t]*include[ \t]*</ && layer(FILENAME) == "core" {
  h = $0
  sub(/^[ \t]*#[ \t]*include[ \t]*</, "", h)
  sub(/>.*$/, "", h)
  if (!(h in core_ok))
    violation(FILENAME, FNR, "pos/core includes <" h "> (pos/core is pure: C library headers and <jansson.h> only)")
  next
}

# Banned calls, on the line with comments and string/char literals blanked out.
{
  s = $0; code = ""
  while (s != "") {
    if (in_comment) {
      p = index(s, "*/")
      if (p == 0) { s = ""; break }
      s = substr(s, p + 2); in_comment = 0; code = code " "
      continue
    }
    if (match(s, /\/\*|\/\/|"|\047/) == 0) { code = code s; break }
    code = code substr(s, 1, RSTART - 1)
    tok = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
    if (tok == "//") break
    if (tok == "/*") { in_comment = 1; continue }
    # A literal: skip to its unescaped closing quote (or the end of the line).
    while (s != "") {
      c = substr(s, 1, 1)
      if (c == "\\") { s = substr(s, 3); continue }
      s = substr(s, 2)
      if (c == tok) break
    }
    code = code " "
  }
  rest = code
  while (match(rest, /(^|[^A-Za-z0-9_])(atoi|sprintf|strcat|gets)[ \t]*\(/)) {
    call = substr(rest, RSTART, RLENGTH)
    sub(/^[^a-z]/, "", call); sub(/[ \t]*\($/, "", call)
    violation(FILENAME, FNR, "banned call " call "() (" instead[call] ")")
    rest = substr(rest, RSTART + RLENGTH)
  }
}

END {
  finish_file()
  # An edge u -> v closes a cycle when u is reachable from v; report it with the loop found by
  # a breadth-first search from v (parent pointers give the path back).
  for (i = 1; i <= n_mods; i++) {
    u = mods[i]
    for (j = 1; j <= n_out[u]; j++) {
      v = out[u, j]
      split("", parent); split("", queue)
      head = 1; tail = 1; queue[1] = v; parent[v] = ""; found = (v == u)
      while (!found && head <= tail) {
        x = queue[head++]
        for (k = 1; k <= n_out[x]; k++) {
          y = out[x, k]
          if (y in parent) continue
          parent[y] = x; queue[++tail] = y
          if (y == u) { found = 1; break }
        }
      }
      if (!found) continue
      loop = u; x = u
      while (x != v) { x = parent[x]; loop = x " -> " loop }
      report(edge_at[u, v], "include cycle " u " -> " loop)
    }
  }
  exit bad > 0 ? 1 : 0
}
' "${files[@]}"
