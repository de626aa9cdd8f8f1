#!/bin/sh
# scripts/bench's summary of a canned console log (testdata/console.log):
# medians, ratios, verdicts and the JSON.  Cheap, no VM: a ctest smoke.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gadgetd-bench-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT
sh "$top/scripts/bench" --summarize "$top/bench/testdata/console.log" \
	--json "$work/bench.json" >"$work/table" 2>"$work/err"
fail=0
expect() {
	grep -q -- "$2" "$1" || { echo "bench selftest: ${1##*/} lacks '$2'"; fail=1; }
}
# apply: gadgetd median 20 of 10/30/20, floor 12 of 10/12/14: 1.67x, not met
expect "$work/table" 'apply (to UDC bound)  *20 (10-30)  *25.5  *12 (10-14)  *1.67x  *<= 1.5x floor: NOT met'
# switch: 102 against 99: 1.03x, met
expect "$work/table" 'switch, host ready  *102 (100-104)  *-  *99 (98-100)  *1.03x  *<= 1.1x floor down+up: met'
expect "$work/table" 'reaction, UDC->bound  *7.5 .*<= 50 ms: met'
expect "$work/table" 'idle wakeups  *0 .*0: met'
expect "$work/table" 'RSS (KiB)  *2100 .*<= 2048 KiB: NOT met'
expect "$work/table" 'stripped binary (bytes)  *150000 .*<= 204800: met'
expect "$work/table" 'startup (--version)  *11 '
expect "$work/table" 'guest ASLR off'
expect "$work/bench.json" '"apply/gadgetd":{"median":20.000,"min":10.000,"max":30.000,"n":3}'
expect "$work/bench.json" '"runs":3'
[ $fail = 0 ] || { sed 's/^/  | /' "$work/table" "$work/bench.json"; exit 1; }
echo "bench selftest: ok"
