# Mass storage: the host's block device for a LUN, and data that crosses
# USB both ways.

vm__host_block_find() {
	local b
	for b in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*/host*/target*/*:*:*:"$1"/block/*; do
		[ -e "$b" ] || continue
		printf '%s\n' "${b##*/}"
		return 0
	done
	return 1
}

vm__host_block_ready() {
	local b
	b=$(vm__host_block_find "$1") || return 1
	[ -b "/dev/$b" ] || return 1
	[ "$(cat "/sys/class/block/$b/size")" != 0 ] && return 0
	# A removable LUN whose medium came after the host's SCSI scan: the
	# host looks again only when the device is opened (sd_open checks for
	# a media change).  udisks and macOS poll; this guest has neither, so
	# open it the way they would.
	dd if="/dev/$b" of=/dev/null bs=512 count=1 2>/dev/null
	[ "$(cat "/sys/class/block/$b/size")" != 0 ]
}

# vm_host_block_dev [LUN] [DEADLINE]: set VM_HOST_BLOCK to the host's block
# device name (sda, ...) for LUN (default 0) once it has a medium.
# Default deadline 10 s (the SCSI scan under TCG takes a moment).
vm_host_block_dev() {
	local lun=${1:-0}
	[ -n "$VM_HOST_DEV" ] || vm_fail "vm_host_block_dev: call vm_wait_host_device first"
	vm_wait "${2:-10}" "host: no block device with a medium for LUN $lun of ${VM_HOST_DEV##*/} (interfaces: $(vm_host_interfaces | tr '\n' ';'))" \
		vm__host_block_ready "$lun"
	VM_HOST_BLOCK=$(vm__host_block_find "$lun")
	vm_log "host: LUN $lun is /dev/$VM_HOST_BLOCK ($(($(cat "/sys/class/block/$VM_HOST_BLOCK/size") / 2)) KiB) after $VM_WAITED s"
}

vm__sha() {
	sha256sum | cut -d' ' -f1
}

# vm__pattern TAG KIB > FILE: KIB KiB of 32-byte numbered lines, so that a
# block landing at the wrong offset shows.  Not /dev/urandom: its first
# read in a fresh guest waits about a second for the CRNG.
vm__pattern() {
	awk -v tag="$1 $(vm__now_cs)" -v n=$(($2 * 32)) 'BEGIN {
		for (i = 0; i < n; i++)
			printf "%-31s\n", sprintf("%s %08d", tag, i)
	}'
}

# vm_host_block_check BLOCKDEV BACKING [KIB]: write a pattern of KIB
# KiB (default 256) through the host's /dev/BLOCKDEV and expect it in the
# gadget's BACKING file; then write another into BACKING and expect the host
# to read it back from the device (caches dropped, so it really crosses USB).
vm_host_block_check() {
	local dev=/dev/$1 backing=$2 kib=${3:-256} want got
	vm__pattern host "$kib" >/tmp/vm-pattern ||
		vm_fail "cannot make a $kib KiB pattern"
	want=$(vm__sha </tmp/vm-pattern)

	vm_log "host -> gadget: $kib KiB through $dev"
	dd if=/tmp/vm-pattern of="$dev" bs=4096 conv=fsync 2>/tmp/vm-dd.err ||
		vm_fail "host: dd to $dev failed: $(tail -n 1 /tmp/vm-dd.err)"
	got=$(head -c $((kib * 1024)) "$backing" | vm__sha)
	vm_expect_eq "gadget backing file $backing after the host wrote $dev (sha256 of $kib KiB)" "$want" "$got"

	vm_log "gadget -> host: $kib KiB written into $backing, read through $dev"
	vm__pattern gadget "$kib" >/tmp/vm-pattern
	want=$(vm__sha </tmp/vm-pattern)
	dd if=/tmp/vm-pattern of="$backing" bs=4096 conv=notrunc,fsync 2>/tmp/vm-dd.err ||
		vm_fail "gadget: dd to $backing failed: $(tail -n 1 /tmp/vm-dd.err)"
	sync
	blockdev --flushbufs "$dev" 2>/dev/null
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if="$dev" bs=4096 count=$((kib / 4)) 2>/dev/null | vm__sha)
	vm_expect_eq "host read of $dev after the gadget wrote $backing (sha256 of $kib KiB)" "$want" "$got"
	rm -f /tmp/vm-pattern /tmp/vm-dd.err
}

# vm_host_scsi_attr LUN ATTR: the host's SCSI device attribute (vendor,
# model, type, ...) of LUN of VM_HOST_DEV, blanks squeezed; fails when the
# host has no such LUN.
vm_host_scsi_attr() {
	local d
	for d in "$VM_HOST_DEV"/"${VM_HOST_DEV##*/}":*/host*/target*/*:*:*:"$1"; do
		[ -e "$d/$2" ] || continue
		tr -s ' ' <"$d/$2" | sed 's/ $//'
		return 0
	done
	return 1
}
