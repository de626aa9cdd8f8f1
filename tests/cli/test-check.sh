#!/bin/sh
# `gadgetd check` against the real binary: the shipped profiles are clean,
# a profile with five mistakes gives exactly five FILE:LINE lines and
# exit 1, warnings alone do not fail, names resolve through -c's
# profile_dirs.  Run by ctest from the source root with GADGETD_BIN set.
set -u

cd "${SOURCE_DIR:-.}" || exit 1
. tests/cli/lib.sh
cli_begin test-check

expect_empty() {
	checks=$((checks + 1))
	[ -s "$1" ] && fail "$(basename "$1") not empty: $(cat "$1")"
	return 0
}

# Every shipped profile: clean, one "FILE: ok" line each (auto-net's
# fallbacks are found where the daemon would look: profile_dirs).
printf '[daemon]\nprofile_dirs = %s/profiles\n' "$PWD" >"$tmp/gadgetd.conf"
run 0 "$bin" -c "$tmp/gadgetd.conf" check profiles/*.ini
expect_empty "$tmp/err"
expected=""
for f in profiles/*.ini; do
	expected="$expected${expected:+
}$f: ok"
done
expect_file "$tmp/out" "$expected"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/out")" -ge 6 ] || fail "fewer than six shipped profiles"

# The shipped gadgetd.conf is valid and a path needs no profile_dirs.
run 0 "$bin" -c etc/gadgetd.conf check profiles/ncm.ini
expect_file "$tmp/out" "profiles/ncm.ini: ok"
expect_empty "$tmp/err"

# Names resolve through profile_dirs; no arguments = every profile there.
run 0 "$bin" -c "$tmp/gadgetd.conf" check ecm-only rndis-legacy
expect_file "$tmp/out" "$PWD/profiles/ecm-only.ini: ok
$PWD/profiles/rndis-legacy.ini: ok"
run 0 "$bin" -c "$tmp/gadgetd.conf" check
checks=$((checks + 1))
[ "$(grep -c ': ok$' "$tmp/out")" = "$(ls profiles/*.ini | wc -l)" ] ||
	fail "check without arguments: $(cat "$tmp/out")"

# Five mistakes: five lines, in file order, nothing on stdout, exit 1.
f=tests/unit/fixtures/ini-five-mistakes.ini
run 1 "$bin" check "$f"
expect_empty "$tmp/out"
expect_file "$tmp/err" "$f:7: invalid value '0x10000' for 'product_id': expected a number from 0 to 0xffff
$f:11: undefined function 'acm.GS1' in [config 1]
$f:14: unknown key 'qmul' in [function ecm.usb0]
$f:15: invalid value '02:00:00:00:00' for 'dev_addr': expected auto or a MAC address like 02:00:00:00:00:01
$f:18: LUN keys out of order: 'lun.1.file' before any key of LUN 0"

# A bad profile among good ones: all checked, exit 1.
run 1 "$bin" check profiles/ncm.ini "$f" profiles/msd.ini
expect_file "$tmp/out" "profiles/ncm.ini: ok
profiles/msd.ini: ok"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/err")" = 5 ] || fail "mixed run: $(cat "$tmp/err")"

# A libusbgx gadget scheme named the way gt names it (SPEC 7.6) loads as
# libconfig, by path and by name from a profile dir.
mkdir -p "$tmp/schemes"
cp tests/unit/fixtures/cfg-composite.cfg "$tmp/schemes/composite.scheme"
run 0 "$bin" check "$tmp/schemes/composite.scheme"
expect_file "$tmp/out" "$tmp/schemes/composite.scheme: ok"
printf '[daemon]\nprofile_dirs = %s\n' "$tmp/schemes" >"$tmp/schemes.conf"
run 0 "$bin" -c "$tmp/schemes.conf" check composite
expect_file "$tmp/out" "$tmp/schemes/composite.scheme: ok"

# Warnings alone: exit 0.
f=tests/unit/fixtures/ini-warning.ini
run 0 "$bin" check "$f"
expect_file "$tmp/err" "$f:7: warning: function 'acm.GS0' is not used by any config"
expect_file "$tmp/out" "$f: ok"

# A fallback the profile directories lack: a warning at its line, since
# the daemon's walk would stop there; exit 0.
printf '[profile]\nfallback = ecm-only no-such\n[gadget]\nvendor_id = 0x1d6b\nproduct_id = 0x0104\n[config 1]\nfunctions = ecm.usb0\n[function ecm.usb0]\n' >"$tmp/walk.ini"
run 0 "$bin" -c "$tmp/gadgetd.conf" check "$tmp/walk.ini"
expect_file "$tmp/err" "$tmp/walk.ini:2: warning: fallback profile 'no-such' is not in the profile directories: the daemon would stop there"
expect_file "$tmp/out" "$tmp/walk.ini: ok"

# Unknown names, missing files, a missing -c file: one line each.
run 1 "$bin" -c "$tmp/gadgetd.conf" check no-such-profile
expect_file "$tmp/err" "no-such-profile: no such profile in $PWD/profiles"
run 1 "$bin" check "$tmp/none.ini"
expect_file "$tmp/err" "$tmp/none.ini: No such file or directory"
run 1 "$bin" -c "$tmp/none.conf" check profiles/ncm.ini
expect_file "$tmp/err" "$tmp/none.conf: No such file or directory"

# A broken gadgetd.conf is reported too, and fails the check.
printf '[daemon]\nudc = \n' >"$tmp/bad.conf"
run 1 "$bin" -c "$tmp/bad.conf" check profiles/ncm.ini
expect_file "$tmp/err" "$tmp/bad.conf:2: invalid value '' for 'udc': expected auto or a UDC name from /sys/class/udc"

# Usage.
run 0 "$bin" check --help
checks=$((checks + 1))
grep -q '^usage: gadgetd .*check' "$tmp/out" || fail "check --help: $(cat "$tmp/out")"
run 2 "$bin" check --bogus

cli_end
