# The gadgetd daemon in the guest: start, ask, wait, stop.  Source it after
# vm.sh:
#	. "$VM_LIB/vm.sh"
#	. "$VM_LIB/daemon.sh"
# The daemon logs to the console (its stderr) with -v, so a failing run's
# log shows what it did.

VM_DAEMON_PIDFILE=/run/gadgetd.pid

# vm_daemon_config [KEY=VALUE...]: give the board a machine-id (if none),
# and write /tmp/gadgetd.conf from the installed gadgetd.conf (wherever the install's sysconfdir put it), with
# profile_dirs naming the installed profiles, hooks_dir /tmp/hooks.d and
# the given [daemon] keys replaced.  Sets VM_GADGETD_CONF and
# VM_GADGETD_GLOBAL ("-c /tmp/gadgetd.conf"), which the helpers below pass
# to every gadgetd they run.
vm_daemon_config() {
	local conf="" c kv key value
	for c in /etc/gadgetd/gadgetd.conf /usr/etc/gadgetd/gadgetd.conf \
		/usr/local/etc/gadgetd/gadgetd.conf; do
		[ -f "$c" ] && conf=$c && break
	done
	[ -n "$conf" ] || vm_fail "no installed gadgetd.conf in the image"
	# A board has an identity; without one serial and MACs = auto are left
	# to the kernel and change at every build of the gadget.
	[ -s /etc/machine-id ] ||
		echo 5f3a9c0e8d7b4a61b2c4d6e8f0a1b3c5 >/etc/machine-id
	VM_GADGETD_CONF=/tmp/gadgetd.conf
	sed -e "s|^profile_dirs *=.*|profile_dirs = ${conf%/*}/profiles|" \
		-e "s|^hooks_dir *=.*|hooks_dir = /tmp/hooks.d|" \
		"$conf" >"$VM_GADGETD_CONF"
	for kv in "$@"; do
		key=${kv%%=*}
		value=${kv#*=}
		grep -q "^$key *=" "$VM_GADGETD_CONF" ||
			vm_fail "vm_daemon_config: no key '$key' in $conf"
		sed -i "s|^$key *=.*|$key = $value|" "$VM_GADGETD_CONF"
	done
	VM_GADGETD_GLOBAL="-c $VM_GADGETD_CONF"
	vm_log "gadgetd.conf: $VM_GADGETD_CONF from $conf$(printf ' %s' "$@")"
}

# vm_daemon_start [DAEMON ARGS...]: `gadgetd daemon --background`, which
# returns once the socket answers and the first apply is done.  Sets
# VM_DAEMON_PID.
vm_daemon_start() {
	local rc
	vm_log "run: gadgetd ${VM_GADGETD_GLOBAL-}${VM_GADGETD_GLOBAL:+ }-v daemon --background --pidfile $VM_DAEMON_PIDFILE $*"
	# shellcheck disable=SC2086
	gadgetd ${VM_GADGETD_GLOBAL-} -v daemon --background \
		--pidfile "$VM_DAEMON_PIDFILE" "$@"
	rc=$?
	[ $rc = 0 ] || vm_fail "gadgetd daemon --background exited with status $rc"
	VM_DAEMON_PID=$(cat "$VM_DAEMON_PIDFILE" 2>/dev/null)
	[ -n "$VM_DAEMON_PID" ] && kill -0 "$VM_DAEMON_PID" 2>/dev/null ||
		vm_fail "gadgetd daemon: no live pid in $VM_DAEMON_PIDFILE ('$VM_DAEMON_PID')"
	vm_log "gadgetd daemon: running as pid $VM_DAEMON_PID"
}

# vm_daemon_start_fg [DAEMON ARGS...]: in the foreground, as a child of the
# scenario (so that `wait` gives its exit status); returns once `status`
# answers.  Sets VM_DAEMON_PID.
vm_daemon_start_fg() {
	vm_log "run: gadgetd ${VM_GADGETD_GLOBAL-}${VM_GADGETD_GLOBAL:+ }-v daemon $* &"
	# shellcheck disable=SC2086
	gadgetd ${VM_GADGETD_GLOBAL-} -v daemon "$@" &
	VM_DAEMON_PID=$!
	vm_wait 20 "gadgetd daemon (pid $VM_DAEMON_PID) answering status" \
		vm__daemon_answers
	vm_log "gadgetd daemon: pid $VM_DAEMON_PID answers after $VM_WAITED s"
}

# vm_gadgetd ARGS...: gadgetd with the scenario's global options (-c).
vm_gadgetd() {
	# shellcheck disable=SC2086
	gadgetd ${VM_GADGETD_GLOBAL-} "$@"
}

vm__daemon_answers() {
	# shellcheck disable=SC2086
	gadgetd ${VM_GADGETD_GLOBAL-} status >/dev/null 2>&1
}

# vm_daemon_status_json: set VM_STATUS to `gadgetd status --json` (one line).
vm_daemon_status_json() {
	# shellcheck disable=SC2086
	VM_STATUS=$(gadgetd ${VM_GADGETD_GLOBAL-} status --json 2>&1) ||
		vm_fail "gadgetd status --json failed: $VM_STATUS"
}

# vm_json KEY [JSON]: print a top-level key's value from a status line
# (VM_STATUS by default): the string without quotes, or "null".
vm_json() {
	local json=${2-$VM_STATUS}
	case "$json" in
	*"\"$1\":null"*) echo null ;;
	*) printf '%s\n' "$json" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" ;;
	esac
}

# vm_daemon_expect KEY EXPECTED: status --json's KEY must be EXPECTED.
vm_daemon_expect() {
	vm_daemon_status_json
	vm_expect_eq "status $1" "$2" "$(vm_json "$1")"
}

vm__daemon_state_is() {
	local s
	# shellcheck disable=SC2086
	s=$(gadgetd ${VM_GADGETD_GLOBAL-} status --json 2>/dev/null) || return 1
	[ "$(vm_json state "$s")" = "$1" ]
}

# vm_daemon_wait_state STATE DEADLINE: wait until status says STATE; sets
# VM_WAITED.  The failure names the last status seen.
vm_daemon_wait_state() {
	local start now until
	start=$(vm__now_cs)
	until=$((start + $(vm__to_cs "$2")))
	while :; do
		if vm__daemon_state_is "$1"; then
			now=$(vm__now_cs)
			VM_WAITED=$(vm__cs_to_s $((now - start)))
			vm_log "gadgetd: state $1 after $VM_WAITED s"
			return 0
		fi
		[ "$(vm__now_cs)" -ge "$until" ] && break
		sleep 0.05
	done
	# shellcheck disable=SC2086
	vm_fail "gadgetd state $1: not after $2 s (status: $(gadgetd ${VM_GADGETD_GLOBAL-} status --json 2>&1))"
}

# vm_daemon_link_check: print the daemon's link_check now (status --json;
# nothing when the daemon does not answer).
vm_daemon_link_check() {
	# shellcheck disable=SC2086
	vm_json link_check "$(gadgetd ${VM_GADGETD_GLOBAL-} status --json 2>/dev/null)"
}

# vm__daemon_link_check_is VALUE...: link_check is one of the VALUEs (a
# vm_wait predicate: it leaves what it saw in VM_WAIT_SAW).
vm__daemon_link_check_is() {
	local c v
	c=$(vm_daemon_link_check)
	VM_WAIT_SAW="link_check $c"
	for v in "$@"; do
		[ "$c" = "$v" ] && return 0
	done
	return 1
}

vm__daemon_link_checked() {
	vm__daemon_link_check_is host-active reasserted host-inactive
}

# vm_daemon_wait_link_checked DEADLINE: wait until the daemon's host-link
# check after "configured" is over (status link_check host-active,
# reasserted or host-inactive), so that its one-shot timer no longer holds
# an fd.
vm_daemon_wait_link_checked() {
	vm_wait "$1" "gadgetd link check done" vm__daemon_link_checked
	vm_daemon_status_json
	vm_log "gadgetd: link check $(vm_json link_check) after $VM_WAITED s"
}

# vm_daemon_fds / vm_daemon_rss: the daemon's open fds and VmRSS (kB).
vm_daemon_fds() {
	ls "/proc/$VM_DAEMON_PID/fd" | wc -l
}

vm_daemon_rss() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$VM_DAEMON_PID/status"
}

# vm_daemon_stop: SIGTERM, wait (10 s) until the process is gone.
vm_daemon_stop() {
	kill -TERM "$VM_DAEMON_PID" 2>/dev/null ||
		vm_fail "gadgetd daemon (pid $VM_DAEMON_PID) is not running"
	vm_wait 10 "gadgetd daemon (pid $VM_DAEMON_PID) exiting after SIGTERM" \
		vm__pid_gone "$VM_DAEMON_PID"
	vm_log "gadgetd daemon: exited after $VM_WAITED s"
}

vm__pid_gone() {
	# A zombie child of the scenario counts as gone.
	[ ! -d "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# vm_gadgets: the gadget directories in configfs, space-separated.
vm_gadgets() {
	ls "$VM_GADGETS" | tr '\n' ' ' | sed 's/ $//'
}

# vm_configfs_listing: every path under usb_gadget with the value of each
# readable attribute, for before/after comparisons.
vm_configfs_listing() {
	local f
	find "$VM_GADGETS" | sort | while read -r f; do
		if [ -L "$f" ]; then
			printf '%s -> %s\n' "$f" "$(readlink "$f")"
		elif [ -f "$f" ] && [ -r "$f" ]; then
			printf '%s = %s\n' "$f" "$(head -c 256 "$f" 2>/dev/null | tr '\n' ' ')"
		else
			printf '%s\n' "$f"
		fi
	done
}

# vm_daemon_users: real non-root users for the checks of what a
# socket_group member may do (gadgetd.conf(5)).  Group
# `gadget` (gid 500; socket_group=gadget makes its members clients that may
# change things) with members bob (1001) and carol (1002); alice (1000) is
# in no group of ours.  Each has a home /home/NAME, 0700, of their own.
# Run a command as one with `vm-runas NAME CMD...` (vm_need_tool vm-runas).
vm_daemon_users() {
	local u
	echo "gadget:x:500:bob,carol" >>/etc/group
	for u in alice:1000 bob:1001 carol:1002; do
		echo "${u%:*}:x:${u#*:}:" >>/etc/group
		echo "${u%:*}:x:${u#*:}:${u#*:}:${u%:*}:/home/${u%:*}:/bin/sh" >>/etc/passwd
		mkdir -p "/home/${u%:*}"
		chown "${u#*:}:${u#*:}" "/home/${u%:*}"
		chmod 0700 "/home/${u%:*}"
	done
	vm_log "users: alice (outsider), bob and carol (group gadget)"
}
