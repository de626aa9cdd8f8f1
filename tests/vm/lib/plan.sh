# `gadgetd plan` scenarios: print a shipped profile's plan, run it as sh on
# the guest's configfs, and tear it down with `gadgetd plan --teardown`.
# Not sourced by vm.sh: plan scenarios add `. "$VM_LIB/plan.sh"`.

# vm_plan_board_id ID: the board id gadgetd derives serial = auto and the
# MAC addresses from (the guest has no device tree and no machine-id).
vm_plan_board_id() {
	printf '%s\n' "$1" >/etc/machine-id
}

# vm_plan_print PROFILE [--teardown]: the script into VM_PLAN (a file), its
# diagnostics into VM_PLAN_ERR (text); gadgetd must exit 0.
vm_plan_print() {
	VM_PLAN=/tmp/plan-$1${2:+-teardown}.sh
	gadgetd plan $2 "$1" >"$VM_PLAN" 2>/tmp/plan.err ||
		vm_fail "gadgetd plan $2 $1 failed (status $?): $(head -n 1 /tmp/plan.err)"
	VM_PLAN_ERR=$(cat /tmp/plan.err)
	[ -z "$VM_PLAN_ERR" ] || printf '%s\n' "$VM_PLAN_ERR" | sed 's/^/    stderr| /'
}

# vm_plan_apply PROFILE: print the plan, log it, run it as sh (busybox ash,
# set -e: any refused step fails the scenario) and expect the gadget bound.
vm_plan_apply() {
	vm_udc
	vm_plan_print "$1"
	vm_log "gadgetd plan $1:"
	grep -v '^#' "$VM_PLAN" | grep . | sed 's/^/    | /'
	CONFIGFS=$VM_CONFIGFS UDC=$VM_UDC sh "$VM_PLAN" >/tmp/plan.out 2>&1 ||
		vm_fail "the plan of $1 failed as sh (status $?): $(tail -n 1 /tmp/plan.out)"
	VM_PLAN_GADGET=$VM_GADGETS/gadgetd
	vm_expect_eq "$1: gadget UDC after the plan" "$VM_UDC" "$(cat $VM_PLAN_GADGET/UDC)"
}

# vm_plan_teardown PROFILE: run `gadgetd plan --teardown PROFILE` as sh;
# the gadget must be gone and configfs empty, and the host must lose it.
vm_plan_teardown() {
	vm_plan_print "$1" --teardown
	sh "$VM_PLAN" >/tmp/plan.out 2>&1 ||
		vm_fail "the teardown of $1 failed as sh (status $?): $(tail -n 1 /tmp/plan.out)"
	vm_expect_no_file "$1: gadget after the teardown" "$VM_GADGETS/gadgetd"
	vm_expect_eq "$1: gadgets left in configfs" "" "$(ls $VM_GADGETS)"
	[ -z "${VM_HOST_DEV-}" ] || vm_wait_host_gone 5
}

# vm_plan_host_scsi LUN WHAT: print the host's SCSI vendor + model of LUN
# of VM_HOST_DEV (from INQUIRY: lun.N/inquiry_string), blanks squeezed.
vm_plan_host_scsi() {
	local d
	for d in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*/host*/target*/*:*:*:"$1"; do
		[ -e "$d/vendor" ] || continue
		printf '%s %s\n' "$(cat "$d/vendor")" "$(cat "$d/model")" | tr -s ' ' | sed 's/ $//'
		return 0
	done
	return 1
}

# vm_plan_dump DIR: one line per entry below the gadget directory DIR, for
# comparing two builds: "d PATH", "l PATH -> TARGET", "f PATH MD5" (what
# the kernel reads back).  Left out: what the kernel numbers per instance
# (ifname usbN, port_num, hid's dev), write-only attributes, and
# bMaxPacketSize0, which reads 0x00 until the host has read the device
# descriptor (the kernel fills it in then).
vm_plan_dump() {
	local e rel
	find "$1" | sort | while read -r e; do
		rel=${e#"$1"}
		case "${e##*/}" in
		ifname | port_num | dev | forced_eject | bMaxPacketSize0) continue ;;
		esac
		if [ -L "$e" ]; then
			printf 'l %s -> %s\n' "$rel" "$(readlink "$e")"
		elif [ -d "$e" ]; then
			printf 'd %s\n' "$rel"
		else
			printf 'f %s %s\n' "$rel" "$(cat "$e" 2>/dev/null | md5sum | cut -d' ' -f1)"
		fi
	done
}
