#!/bin/sh
# `gadgetd plan` against the real binary: usage and exit codes, the
# teardown alone equals the reviewed script, the build script equals the
# reviewed one but for the values derived from this machine's board id,
# the teardown follows as a comment block, the gadget name comes from -c,
# and an invalid profile prints FILE:LINE and no script.  Run by ctest
# from the source root with GADGETD_BIN set.
set -u

cd "${SOURCE_DIR:-.}" || exit 1
. tests/cli/lib.sh
cli_begin test-plan

same() { # same WHAT WANT-FILE GOT-FILE
	checks=$((checks + 1))
	cmp -s "$2" "$3" || fail "$1 differs:
$(diff "$2" "$3")"
}

# The values derived from the board id differ from machine to machine.
board_free() {
	grep -v -e '/dev_addr"$' -e '/host_addr"$' -e '/serialnumber"$' "$1"
}

cat >"$tmp/gadgetd.conf" <<CONF
[daemon]
profile_dirs = $PWD/profiles
[gadget]
manufacturer = gadgetd
serial = auto
CONF
sed 's/^\[daemon\]/[daemon]\ngadget = g_test/' "$tmp/gadgetd.conf" >"$tmp/named.conf"

run 0 "$bin" plan --help
checks=$((checks + 1))
grep -q '^usage: gadgetd .*plan \[--teardown\] PROFILE' "$tmp/out" ||
	fail "plan --help: no usage line: $(head -n 1 "$tmp/out")"
run 2 "$bin" -c "$tmp/gadgetd.conf" plan
run 2 "$bin" -c "$tmp/gadgetd.conf" plan ecm-only ncm
run 2 "$bin" -c "$tmp/gadgetd.conf" plan --bogus ecm-only

for name in ecm-only acm+ecm ncm rndis-legacy; do
	run 0 "$bin" -c "$tmp/gadgetd.conf" plan --teardown "$name"
	same "plan --teardown $name" "tests/unit/expected/$name.teardown.sh" "$tmp/out"

	run 0 "$bin" -c "$tmp/gadgetd.conf" plan "$name"
	# The build script, then the teardown commented out.
	sed '/^# ---- teardown/,$d' "$tmp/out" | sed '$d' >"$tmp/build"
	board_free "tests/unit/expected/$name.sh" >"$tmp/want"
	board_free "$tmp/build" >"$tmp/got"
	same "plan $name (but the board's values)" "$tmp/want" "$tmp/got"
	checks=$((checks + 1))
	grep -qx "# ---- teardown (gadgetd plan --teardown $name) ----" "$tmp/out" ||
		fail "plan $name: no teardown block"
	sed -n '/^# ---- teardown/,$p' "$tmp/out" | sed '1d; s/^# \{0,1\}//' >"$tmp/commented"
	same "plan $name: commented teardown" "tests/unit/expected/$name.teardown.sh" "$tmp/commented"
	checks=$((checks + 1))
	sh -n "$tmp/out" || fail "plan $name: not valid sh"
done

# A profile by path; the gadget name from gadgetd.conf.
run 0 "$bin" -c "$tmp/named.conf" plan profiles/ncm.ini
checks=$((checks + 1))
grep -qx 'G="$CONFIGFS/usb_gadget/g_test"' "$tmp/out" ||
	fail "plan with gadget = g_test: $(grep '^G=' "$tmp/out")"

# An invalid profile: its FILE:LINE problems, no script, exit 1.
cat >"$tmp/bad.ini" <<'INI'
[config 1]
functions = ecm.usb0 nosuch.0
[function ecm.usb0]
qmult = 0
INI
run 1 "$bin" -c "$tmp/gadgetd.conf" plan "$tmp/bad.ini"
checks=$((checks + 1))
[ -s "$tmp/out" ] && fail "plan of an invalid profile printed a script"
checks=$((checks + 1))
grep -q "^$tmp/bad.ini:2: " "$tmp/err" || fail "invalid profile: no FILE:LINE on stderr: $(cat "$tmp/err")"
run 1 "$bin" -c "$tmp/gadgetd.conf" plan no-such-profile
checks=$((checks + 1))
grep -q '^no-such-profile: no such profile in ' "$tmp/err" ||
	fail "unknown profile: $(cat "$tmp/err")"

# Output that cannot be written fails the verb, with the reason.
if [ -w /dev/full ]; then
	checks=$((checks + 1))
	"$bin" -c "$tmp/gadgetd.conf" plan profiles/ecm-only.ini >/dev/full 2>"$tmp/err"
	got=$?
	[ "$got" = 1 ] || fail "plan >/dev/full: exit $got, want 1"
	expect_contains "$tmp/err" "gadgetd: writing the output: No space left on device"
	checks=$((checks + 1))
	"$bin" -c "$tmp/gadgetd.conf" check profiles/ecm-only.ini >/dev/full 2>"$tmp/err"
	got=$?
	[ "$got" = 1 ] || fail "check >/dev/full: exit $got, want 1"
fi

cli_end
