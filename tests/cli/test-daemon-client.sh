#!/bin/sh
# The daemon and the client verbs without a kernel: `gadgetd daemon` on a
# configfs stand-in (a plain directory, where applying fails) still serves
# its socket, so the client's exit codes and messages, status --json, list,
# refusing an invalid profile without touching the directory, a second
# daemon on the same socket, hooks, SIGHUP and SIGTERM can be checked here.
# The kernel's side is in tests/vm/scenarios/daemon-*.sh.  Run by ctest from
# the source root with GADGETD_BIN set.
set -u

cd "${SOURCE_DIR:-.}" || exit 1
. tests/cli/lib.sh
cli_begin test-daemon-client
pid=
cli_cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
}

sock=$tmp/run/gadgetd.sock
mkdir -p "$tmp/configfs/usb_gadget" "$tmp/profiles" "$tmp/hooks"
cp profiles/ecm-only.ini profiles/ncm.ini "$tmp/profiles/"
printf '[gadget]\nvendor_id = 0x1d6b\nproduct_id = nope\n' >"$tmp/profiles/broken.ini"
cat >"$tmp/gadgetd.conf" <<CONF
[daemon]
profile = ecm-only
profile_dirs = $tmp/profiles
socket = $sock
hooks_dir = $tmp/hooks
CONF
cat >"$tmp/hooks/10-log" <<'HOOK'
#!/bin/sh
echo "$GADGETD_EVENT $GADGETD_STATE" >>"$(dirname "$0")/../hooks.log"
HOOK
chmod 755 "$tmp/hooks/10-log"
g="$bin -c $tmp/gadgetd.conf"

# No daemon yet.
run 3 $g status
expect_contains "$tmp/err" "gadgetd: cannot reach the daemon at $sock: No such file or directory"
# Usage errors never need the daemon.
run 2 $g switch
expect_contains "$tmp/err" "gadgetd: switch: expected one PROFILE"
run 2 $g msd insert x /img
run 2 $g link-event sideways usb0
run 0 $g status --help
expect_contains "$tmp/out" "usage: gadgetd [GLOBAL OPTIONS] status [--json]"
run 0 $g daemon --help
run 2 $g daemon --bogus

run 0 $g --configfs "$tmp/configfs" daemon --background --pidfile "$tmp/pid"
pid=$(cat "$tmp/pid" 2>/dev/null)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "no live daemon pid in $tmp/pid"
checks=$((checks + 1))
[ "$(stat -c %a "$sock")" = 660 ] || fail "socket mode $(stat -c %a "$sock"), want 660"

# Nothing could be applied on a plain directory: state error, and why.
run 0 $g status --json
checks=$((checks + 1))
[ "$(wc -l <"$tmp/out")" = 1 ] || fail "status --json is not one line: $(cat "$tmp/out")"
for key in '"profile":null' '"state":"error"' '"udc":null' '"udc_state":null' \
	'"functions":[]' '"luns":[]' '"error":"'; do
	expect_contains "$tmp/out" "$key"
done
run 0 $g status
expect_contains "$tmp/out" "state:     error"

run 0 $g list
expect_contains "$tmp/out" "  ecm-only "
expect_contains "$tmp/out" "  broken "
expect_contains "$tmp/out" "invalid: $tmp/profiles/broken.ini:3:"
expect_contains "$tmp/out" "                       CDC-ECM Ethernet for macOS and Linux hosts"
run 0 $g list --json
expect_contains "$tmp/out" "{\"name\":\"ncm\",\"path\":\"$tmp/profiles/ncm.ini\",\"active\":false,\"valid\":true,\"error\":null,\"description\":\"CDC-NCM Ethernet for Linux, macOS"
expect_contains "$tmp/out" "\"name\":\"broken\",\"path\":\"$tmp/profiles/broken.ini\",\"active\":false,\"valid\":false,\"error\":\"$tmp/profiles/broken.ini:3:"

# An invalid profile: every FILE:LINE line, exit 1, configfs untouched.
ls -R "$tmp/configfs" >"$tmp/before"
run 1 $g switch broken
expect_contains "$tmp/err" "$tmp/profiles/broken.ini:3:"
ls -R "$tmp/configfs" >"$tmp/after"
checks=$((checks + 1))
cmp -s "$tmp/before" "$tmp/after" || fail "configfs stand-in changed by an invalid switch"
run 1 $g switch no-such-profile
expect_contains "$tmp/err" "no-such-profile"

# Nothing applied on this stand-in configfs: no medium to change.
run 1 $g msd eject 0
expect_contains "$tmp/err" "msd eject: no gadget is built"
run 1 $g down
expect_contains "$tmp/err" "no gadget to unbind"

# A second daemon on the same socket refuses to start.
run 1 $g --configfs "$tmp/configfs" daemon
expect_contains "$tmp/err" "another gadgetd answers on it"

# SIGHUP reloads and the daemon keeps serving.
kill -HUP "$pid"
sleep 0.3
run 0 $g status

# The start hook ran (state error), without blocking anything.
checks=$((checks + 1))
i=0
while [ $i -lt 50 ] && ! grep -q "^start error$" "$tmp/hooks.log" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "^start error$" "$tmp/hooks.log" 2>/dev/null ||
	fail "hook log: $(cat "$tmp/hooks.log" 2>&1)"

# SIGTERM: exit, socket and pid file gone.
kill -TERM "$pid"
i=0
while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
checks=$((checks + 1))
kill -0 "$pid" 2>/dev/null && fail "daemon still running 5 s after SIGTERM"
pid=
checks=$((checks + 1))
[ -e "$sock" ] && fail "socket $sock left after SIGTERM"
checks=$((checks + 1))
[ -e "$tmp/pid" ] && fail "pid file left after SIGTERM"
run 3 $g status

cli_end
