# shellcheck shell=sh
# What every tests/cli/test-*.sh needs: the binary under test, a temporary
# directory, and counted checks.  Sourced after `cd "$SOURCE_DIR"`:
#
#   . tests/cli/lib.sh
#   cli_begin test-name
#   run 0 "$bin" check ...; expect_contains "$tmp/out" ...
#   cli_end
#
# cli_begin sets $bin (from GADGETD_BIN) and $tmp; the EXIT trap removes
# $tmp after calling cli_cleanup, which a test may define to stop what it
# started.

cli_begin() { # cli_begin NAME
	cli_name=$1
	bin=${GADGETD_BIN:?GADGETD_BIN must name the gadgetd binary}
	[ -x "$bin" ] || { echo "$cli_name: $bin is not executable" >&2; exit 1; }
	tmp=$(mktemp -d) || exit 1
	trap 'cli_cleanup; rm -rf "$tmp"' EXIT
	failures=0
	checks=0
	# A sanitized gadgetd must not fail on libusbgx 0.2.0's own leak.
	LSAN_OPTIONS="suppressions=$PWD/tests/vm/lsan.supp:print_suppressions=0"
	export LSAN_OPTIONS
}

cli_cleanup() { :; }

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run WANT_EXIT CMD...: output in $tmp/out and $tmp/err
run() {
	want=$1
	shift
	checks=$((checks + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] || fail "$*: exit $got, want $want (stderr: $(cat "$tmp/err"))"
}

expect_file() { # expect_file FILE EXPECTED-TEXT
	checks=$((checks + 1))
	printf '%s\n' "$2" >"$tmp/want"
	cmp -s "$1" "$tmp/want" || fail "$(basename "$1") differs:
$(diff "$tmp/want" "$1")"
}

expect_contains() { # expect_contains FILE NEEDLE
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks '$2': $(cat "$1")"
}

cli_end() {
	echo "$cli_name: $checks checks, $failures failed"
	[ "$failures" = 0 ]
}
