# Core: logging, results, assertions, commands, deadlines.

# Seconds since boot, centiseconds precision ("12.34").
vm_now() {
	local up _
	read -r up _ </proc/uptime
	printf '%s\n' "$up"
}

vm__now_cs() {
	local up _
	read -r up _ </proc/uptime
	# /proc/uptime always has two decimals.
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# "1.5" -> 150
vm__to_cs() {
	case "$1" in
	*.*)
		local int=${1%%.*} frac=${1#*.}00
		frac=${frac%"${frac#??}"}
		echo $((${int:-0} * 100 + 1$frac - 100))
		;;
	*) echo $(($1 * 100)) ;;
	esac
}

vm__cs_to_s() {
	printf '%d.%02d\n' $(($1 / 100)) $(($1 % 100))
}

vm_log() {
	local up _
	read -r up _ </proc/uptime
	printf '[%8s] %s\n' "$up" "$*"
}

# Fail the scenario.  The reason is the one line the runner reports.
# To stderr, so that it reaches the console from inside $(...) too.
vm_fail() {
	printf 'VM-FAIL: %s\n' "$*" >&2
	[ -s /tmp/vm-fail-reason ] || printf '%s\n' "$*" >/tmp/vm-fail-reason
	exit 1
}

# The scenario cannot run here (say why); the runner reports SKIP.
vm_skip() {
	printf 'VM-SKIP: %s\n' "$*" >&2
	printf '%s\n' "$*" >/tmp/vm-skip-reason
	exit 77
}

# vm_expect_eq WHAT EXPECTED ACTUAL
vm_expect_eq() {
	[ "$2" = "$3" ] || vm_fail "$1: expected '$2', saw '$3'"
	vm_log "ok: $1 = '$3'"
}

# vm_expect_ne WHAT UNEXPECTED ACTUAL
vm_expect_ne() {
	[ "$2" != "$3" ] || vm_fail "$1: expected anything but '$2', saw it"
	vm_log "ok: $1 = '$3' (not '$2')"
}

# vm_expect_match WHAT GLOB ACTUAL
vm_expect_match() {
	# shellcheck disable=SC2254
	case "$3" in
	$2) vm_log "ok: $1 = '$3'" ;;
	*) vm_fail "$1: expected a match for '$2', saw '$3'" ;;
	esac
}

# vm_expect_contains WHAT NEEDLE HAYSTACK
vm_expect_contains() {
	case "$3" in
	*"$2"*) vm_log "ok: $1 contains '$2'" ;;
	*) vm_fail "$1: expected it to contain '$2', saw '$3'" ;;
	esac
}

# vm_expect_file WHAT PATH: PATH exists
vm_expect_file() {
	[ -e "$2" ] || vm_fail "$1: expected $2 to exist, it does not"
	vm_log "ok: $1: $2 exists"
}

# vm_expect_no_file WHAT PATH: PATH does not exist
vm_expect_no_file() {
	[ ! -e "$2" ] && [ ! -L "$2" ] ||
		vm_fail "$1: expected $2 to be gone, it exists"
	vm_log "ok: $1: $2 is gone"
}

vm__first_line() {
	printf '%s\n' "$1" | sed -n '/./{p;q}'
}

# vm_run CMD [ARG...]: run it, stdout+stderr into VM_OUT (also logged),
# status into VM_RC; fail unless it exits 0.
vm_run() {
	vm_log "run: $*"
	VM_OUT=$("$@" 2>&1)
	VM_RC=$?
	[ -n "$VM_OUT" ] && printf '%s\n' "$VM_OUT" | sed 's/^/    | /'
	[ "$VM_RC" = 0 ] ||
		vm_fail "'$*' exited with status $VM_RC, expected 0: $(vm__first_line "$VM_OUT")"
}

# vm_run_fails CMD [ARG...]: like vm_run but the command must fail.
vm_run_fails() {
	vm_log "run (must fail): $*"
	VM_OUT=$("$@" 2>&1)
	VM_RC=$?
	[ -n "$VM_OUT" ] && printf '%s\n' "$VM_OUT" | sed 's/^/    | /'
	[ "$VM_RC" != 0 ] ||
		vm_fail "'$*' exited with status 0, expected it to fail"
}

# vm_write VALUE FILE: write one attribute, failing with the errno text.
vm_write() {
	local err
	err=$( (printf '%s\n' "$1" >"$2") 2>&1) ||
		vm_fail "write '$1' to $2 failed: ${err##*: }"
}

# vm_wait DEADLINE WHAT CMD [ARG...]: poll CMD every 0.1 s until it exits 0;
# fail with "WHAT: not after DEADLINE s" if it never does.  Sets
# VM_WAITED to the seconds it took.
vm_wait() {
	local deadline=$1 what=$2 start now
	shift 2
	# A predicate may leave what it saw last in VM_WAIT_SAW: the failure
	# then says it (the message itself is made before the wait).
	VM_WAIT_SAW=""
	start=$(vm__now_cs)
	local until=$((start + $(vm__to_cs "$deadline")))
	while :; do
		if "$@" >/dev/null 2>&1; then
			now=$(vm__now_cs)
			VM_WAITED=$(vm__cs_to_s $((now - start)))
			return 0
		fi
		now=$(vm__now_cs)
		[ "$now" -ge "$until" ] && break
		sleep 0.1
	done
	vm_fail "$what: not after $deadline s${VM_WAIT_SAW:+ (saw '$VM_WAIT_SAW')}"
}

# Gadget function modules are loaded on demand by the kernel through
# modprobe; deleting one fakes a kernel built without that function.
# vm_remove_module NAME (e.g. usb_f_rndis)
vm_remove_module() {
	local name want file
	want=$(printf %s "$1" | tr - _)
	if grep -q "^$want " /proc/modules; then
		rmmod "$want" 2>/dev/null ||
			vm_fail "vm_remove_module $1: it is loaded and rmmod failed"
	fi
	for file in $(find "/lib/modules/$(uname -r)" -name '*.ko'); do
		name=${file##*/}
		name=$(printf %s "${name%.ko}" | tr - _)
		if [ "$name" = "$want" ]; then
			rm -f "$file"
			vm_log "removed module $want: the kernel now lacks it"
			return 0
		fi
	done
	vm_fail "vm_remove_module $1: no such module in /lib/modules/$(uname -r)"
}
