#!/usr/bin/env bash
# check_layers_test: scripts/check-layers.sh on a small synthetic tree.  The clean tree passes
# silently; each kind of break, planted alone in a fresh copy, makes the script exit non-zero
# naming the file, the line and the reason.  Also: the lookalikes it must not flag (snprintf,
# fgets, a banned name in a comment or a string, an allowed include direction).
#   check_layers_test.sh SCRIPT TMPDIR
set -euo pipefail
script=$1
tmp=$2
rm -rf "$tmp"
mkdir -p "$tmp"
fails=0

make_clean_tree() {
  local t=$1
  mkdir -p "$t/pos/core" "$t/pos/app" "$t/db" "$t/ui" "$t/peripherals" "$t/tests/core"
  cat > "$t/pos/core/money.h" <<'C'
/* money: fen amounts. */
#include <stdint.h>
int64_t money_parse(const char *s);
C
  cat > "$t/pos/core/money.c" <<'C'
/* money: snprintf and fgets are fine; atoi( in a comment is not code. */
#include "pos/core/money.h"
#include <stdio.h>
#include <stdlib.h>
int64_t money_parse(const char *s)
{
    char buf[8];
    snprintf(buf, sizeof buf, "%s", "sprintf(");   /* strcat( gets( */
    char c = '"'; (void)c;
    const char *q = "a \" strcat(b) \" atoi(";  (void)q;
    // sprintf(x) in a line comment
    return strtol(s, NULL, 10);
}
C
  cat > "$t/db/store.h" <<'C'
#include "pos/core/money.h"
C
  cat > "$t/db/store.c" <<'C'
#include "db/store.h"
C
  cat > "$t/db/sales.c" <<'C'
#include "db/store.h"
#include "db/sales.h"
C
  printf '#include "db/store.h"\n' > "$t/db/sales.h"
  printf '#include "pos/core/money.h"\n' > "$t/ui/screen.c"
  printf '#include "pos/core/money.h"\n' > "$t/peripherals/wedge.c"
  printf '#include "db/sales.h"\n#include "ui/screen.h"\n' > "$t/pos/app/till.c"
  printf '#include "helper.h"\n' > "$t/tests/core/test_money.c"
  printf '/* a test helper */\n' > "$t/tests/core/helper.h"
}

check() { # name expect_rc expect_pattern
  local name=$1 want=$2 pattern=$3 out rc=0
  out=$(bash "$script" "$tmp/$name" 2>&1) || rc=$?
  if [ "$want" = 0 ]; then
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
      echo "FAIL $name: expected a clean pass, got rc=$rc:"; echo "$out"; fails=$((fails + 1))
      return
    fi
  else
    if [ $rc -eq 0 ]; then
      echo "FAIL $name: expected a failure, got rc=0"; fails=$((fails + 1)); return
    fi
    if ! grep -Eq -- "$pattern" <<<"$out"; then
      echo "FAIL $name: output lacks /$pattern/:"; echo "$out"; fails=$((fails + 1)); return
    fi
    if [ "$(wc -l <<<"$out")" -ne 1 ] && [ "${4:-one}" = one ]; then
      echo "FAIL $name: expected exactly one violation:"; echo "$out"; fails=$((fails + 1)); return
    fi
  fi
  echo "ok   $name"
}

plant() { # name: a fresh clean copy to break
  make_clean_tree "$tmp/$1"
}

plant clean
check clean 0 ""

plant cycle
printf '#include "db/sales.h"\n' >> "$tmp/cycle/db/store.c"
check cycle 1 '^db/store\.c:2: include cycle db/store -> db/sales -> db/store$|^db/sales\.(c|h):[0-9]+: include cycle db/sales -> db/store -> db/sales$' many

plant cycle3   # a longer loop through three modules, via headers only
mkdir -p "$tmp/cycle3/db"
printf '#include "db/b.h"\n' > "$tmp/cycle3/db/a.h"
printf '#include "db/c.h"\n' > "$tmp/cycle3/db/b.h"
printf '/* c */\n#include "db/a.h"\n' > "$tmp/cycle3/db/c.h"
check cycle3 1 '^db/c\.h:2: include cycle db/c -> db/a -> db/b -> db/c$' many

plant long
{ echo '/* long */'; for i in $(seq 1 800); do echo "int v$i;"; done; } > "$tmp/long/db/big.c"
check long 1 '^db/big\.c:801: file has 801 lines \(limit 800\)$'

plant exactly800   # the limit itself is allowed
{ echo '/* 800 */'; for i in $(seq 1 799); do echo "int v$i;"; done; } > "$tmp/exactly800/db/big.c"
check exactly800 0 ""

for call in atoi sprintf strcat gets; do
  plant "ban_$call"
  printf '/* x */\nvoid f(char *d, const char *s)\n{\n    (void)%s (d%s);\n}\n' "$call" \
    "$([ "$call" = gets ] || [ "$call" = atoi ] || echo ', s')" > "$tmp/ban_$call/db/bad.c"
  check "ban_$call" 1 "^db/bad\.c:4: banned call $call\(\)"
done

plant core_out
printf '#include "db/store.h"\n' >> "$tmp/core_out/pos/core/money.c"
check core_out 1 '^pos/core/money\.c:[0-9]+: pos/core includes db/store\.h' many

for header in time.h sqlite3.h SDL.h pthread.h; do
  name=core_sys_$(echo "$header" | tr '.' '_')
  plant "$name"
  printf '#include <%s>\n' "$header" >> "$tmp/$name/pos/core/money.c"
  check "$name" 1 "^pos/core/money\.c:[0-9]+: pos/core includes <$header> \(pos/core is pure"
done

plant ui_db
printf '#include "db/store.h"\n' >> "$tmp/ui_db/ui/screen.c"
check ui_db 1 '^ui/screen\.c:2: ui/ includes db/store\.h'

plant ui_app
printf '#include "pos/app/till.h"\n' >> "$tmp/ui_app/ui/screen.c"
check ui_app 1 '^ui/screen\.c:2: ui/ includes pos/app/till\.h' many

for target in db/store.h ui/screen.h pos/app/till.h; do
  name=periph_$(echo "$target" | tr '/.' '__')
  plant "$name"
  printf '#include "%s"\n' "$target" >> "$tmp/$name/peripherals/wedge.c"
  check "$name" 1 "^peripherals/wedge\.c:2: peripherals/ includes $target"
done

for target in ui/screen.h pos/app/till.h; do
  name=db_$(echo "$target" | tr '/.' '__')
  plant "$name"
  printf '#include "%s"\n' "$target" >> "$tmp/$name/db/store.c"
  check "$name" 1 "^db/store\.c:2: db/ includes $target" many  # pos/app/till.c includes db/: also a cycle
done

if [ $fails -ne 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all checks passed"
