#!/usr/bin/env bash
# Golden receipts: a table of real sales made with `sell` on the demo store (--at pinned, so
# the rules in force and the receipt numbers are fixed), each rendered by `receipt --format
# text` at the width in its name and diffed against tests/golden/receipts/NAME.txt.  Then every
# stored sale is rendered at both widths as ESC/POS too, and its GB18030 decoded with iconv
# must hold the receipt number and the total.
#
# To change the layout on purpose: FUPIN_UPDATE_GOLDEN=1 ctest -R receipt_golden (or run this
# script with it set), look at `git diff tests/golden`, commit the files with the change.
set -euo pipefail
bin=$1 dir=$2 src=$3
gold=$src/tests/golden/receipts
rm -rf "$dir"
mkdir -p "$dir/out"
db=$dir/till.db
fail() { echo "receipt_golden: FAIL: $*" >&2; exit 1; }
pos() { "$bin" --db "$db" "$@"; }

pos init --demo >/dev/null
pos config set store.address "云南省楚雄州永仁县永定镇中和路88号" >/dev/null
pos config set store.phone 0878-6612345 >/dev/null
pos config set store.tax_id 92532327MA6K8XXX1Q >/dev/null
pos config set cash.rounding drop_fen >/dev/null
# A product with a name longer than a line at either width (upsert by SKU).
head -1 "$src/assets/demo/products.csv" >"$dir/long.csv"
echo 'P9001,云南永仁直苴彝族手工刺绣传统十字绣工艺大号双肩背包（限量珍藏版·赠收纳袋）,,个,6900000090015,26800,0,,,,,agri,特产,1,1,HH002,扶贫认定 YR-2025-0901,永仁县,2025-01-01,2027-12-31' >>"$dir/long.csv"
pos catalog import "$dir/long.csv" >/dev/null
pos member points 88000001 --adjust 5000 --reason 演示积分 --at 2026-10-01T09:00:00+08:00 >/dev/null

sell() {   # sell NAME ARGS...: the sale's receipt number into $dir/NAME.no
    local name=$1
    shift
    pos --json sell "$@" >"$dir/$name.json" 2>"$dir/$name.err" || fail "sell $name: $(cat "$dir/$name.err")"
    jq -r .receipt_no "$dir/$name.json" >"$dir/$name.no"
}
# Friday 2026-10-16: 扶贫日 9.5折 on poverty-relief lines; a member (points 1.5×); a weighed
# line with its tare; cash with 抹零.
sell discount 6985798000316*2 10004@353 --member 88000001 --tender cash:10000 \
    --at 2026-10-16T10:30:00+08:00
# Wednesday: a gift over ￥100 of poverty-relief goods, member day double points, WeChat.
sell gift 6985798000170 6953822000175 --member 13887865432 --tender wechat:15600 \
    --at 2026-10-14T15:05:09+08:00
# Weighed lines only, cash with 抹零.
sell weighed 10001@1250 10006@630 10003@45 --tender cash:5000 --at 2026-10-13T09:12:00+08:00
# Mixed tenders: points (￥20), cash and Alipay; no 抹零 with a non-cash tender.
sell mixed 6957212000172 6990556000248*3 --member 88000001 --tender points:2000 \
    --tender alipay:5400 --tender cash:6000 --at 2026-10-13T18:40:00+08:00
# A long name, a line that is not poverty relief, cash.
sell long 6900000090015 6918152000387 --tender cash:30000 --at 2026-10-13T11:00:00+08:00

# Refunds (the demo store's manager PIN 8888 approves them), each printed as its own slip:
# one unit of the Friday sale's first line, then the rest of it (the weighed line, and the
# sale's 抹零 with the refund completing it); the mixed-tender sale whole (money back to Alipay
# and cash, the redeemed points returned, the earned ones taken back).
refund() {   # refund NAME ARGS...: the refund number into $dir/NAME.no
    local name=$1
    shift
    pos --json refund "$@" --approve 8888 >"$dir/$name.json" 2>"$dir/$name.err" ||
        fail "refund $name: $(cat "$dir/$name.err")"
    jq -r .refund_no "$dir/$name.json" >"$dir/$name.no"
}
refund refund1 "$(cat "$dir/discount.no")" 1*1 --at 2026-10-17T09:00:00+08:00
refund refund2 "$(cat "$dir/discount.no")" --at 2026-10-17T09:05:00+08:00
refund refund3 "$(cat "$dir/mixed.no")" --at 2026-10-18T16:20:00+08:00

# name sale width [extra receipt flags]
cases=(
    "discount-58 discount 58"
    "discount-80 discount 80"
    "gift-58 gift 58"
    "weighed-58 weighed 58"
    "mixed-80 mixed 80"
    "long-58 long 58"
    "long-80 long 80"
    "reprint-58 discount 58 --reprint"
    "refund-one-58 refund1 58"
    "refund-rest-80 refund2 80"
    "refund-mixed-58 refund3 58"
    "refund-mixed-80 refund3 80"
)
bad=0
for c in "${cases[@]}"; do
    read -r name sale width extra <<<"$c"
    no=$(cat "$dir/$sale.no")
    # shellcheck disable=SC2086
    pos receipt "$no" --width "$width" $extra --at 2026-10-20T08:00:00+08:00 >"$dir/out/$name.txt" ||
        fail "receipt $no ($name)"
    if [ "${FUPIN_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$dir/out/$name.txt" "$gold/$name.txt"
    elif ! diff -u "$gold/$name.txt" "$dir/out/$name.txt"; then
        echo "receipt_golden: $name differs from $gold/$name.txt" >&2
        bad=1
    fi
done
[ "$bad" = 0 ] || fail "golden receipts differ (FUPIN_UPDATE_GOLDEN=1 to accept a change)"

# Never the yen sign GBK lacks; money as ￥ U+FFE5.  (Its UTF-8 bytes: $'\u00a5' is the
# six characters \u00A5 when the locale is not UTF-8, and would never match.)
grep -lF $'\xc2\xa5' "$dir"/out/*.txt && fail "a receipt has ¥ U+00A5"
grep -qF '￥' "$dir/out/discount-58.txt" || fail "no ￥ U+FFE5 on a receipt"
# The reprint was counted (and the plain renders were not).
uuid=$(jq -r .uuid "$dir/discount.json")
[ "$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM receipt_prints WHERE sale_uuid = '$uuid' AND kind = 'reprint'")" = 1 ] ||
    fail "the reprint was not counted once"
[ "$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM receipt_prints")" = 1 ] ||
    fail "a plain render was counted as a print"

# Every stored sale, both widths, as ESC/POS: decodes from GB18030, holds its number and due.
for no in $(sqlite3 -batch -noheader "$db" "SELECT receipt_no FROM sales"); do
    due=$(sqlite3 -batch -noheader "$db" "SELECT printf('%d.%02d', due_fen / 100, due_fen % 100) FROM sales WHERE receipt_no = '$no'")
    for w in 58 80; do
        f=$dir/out/$no-$w.bin
        pos receipt "$no" --format escpos --width "$w" -o "$f" || fail "escpos $no $w"
        head -c 4 "$f" | od -An -tx1 | grep -q "1b 40 1c 26" || fail "$no $w: no ESC @ FS & head"
        text=$(iconv -f GB18030 -t UTF-8 <"$f" | tr -d '\000') || fail "$no $w: not GB18030"
        grep -q "小票号 *$no" <<<"$text" || fail "$no $w: no receipt number line"
        grep -q "￥$due" <<<"$text" || fail "$no $w: no ￥$due"
    done
done
# Every refund slip, both widths, as ESC/POS: decodes from GB18030, holds 退货单, its number,
# the original receipt and the total; no QR (GS ( k) and no barcode (GS k) on a refund slip.
for no in $(sqlite3 -batch -noheader "$db" "SELECT refund_no FROM refunds"); do
    read -r sale total < <(sqlite3 -batch -noheader -separator ' ' "$db" \
        "SELECT s.receipt_no, printf('%d.%02d', r.total_fen / 100, r.total_fen % 100) FROM refunds r JOIN sales s ON s.uuid = r.sale_uuid WHERE r.refund_no = '$no'")
    for w in 58 80; do
        f=$dir/out/$no-$w.bin
        pos receipt "$no" --format escpos --width "$w" -o "$f" || fail "escpos $no $w"
        head -c 4 "$f" | od -An -tx1 | grep -q "1b 40 1c 26" || fail "$no $w: no ESC @ FS & head"
        hex=$(od -An -tx1 -v "$f" | tr -d '\n')
        grep -q "1d 28 6b" <<<"$hex" && fail "$no $w: a QR on a refund slip"
        grep -q "1d 6b 49" <<<"$hex" && fail "$no $w: a barcode on a refund slip"
        text=$(iconv -f GB18030 -t UTF-8 <"$f" | tr -d '\000') || fail "$no $w: not GB18030"
        grep -q "退货单" <<<"$text" || fail "$no $w: no 退货单 title"
        grep -q "退货单号 *$no" <<<"$text" || fail "$no $w: no refund number line"
        grep -q "原小票号 *$sale" <<<"$text" || fail "$no $w: no original receipt line"
        grep -q "退款合计 *￥$total" <<<"$text" || fail "$no $w: no total ￥$total"
    done
done
# A refund has no reprint count.
set +e
pos receipt "$(cat "$dir/refund1.no")" --reprint >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "receipt REFUND_NO --reprint: exit $rc, not 2"
echo "receipt_golden: ${#cases[@]} golden receipts, $(sqlite3 -batch -noheader "$db" 'SELECT count(*) FROM sales') sales in ESC/POS at 58 and 80 mm, $(sqlite3 -batch -noheader "$db" 'SELECT count(*) FROM refunds') refund slips"
