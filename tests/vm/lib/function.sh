# Kernel functions without gadgetd: what a function directory offers in
# this kernel, and the host drivers that no uevent loads here.  Not
# sourced by vm.sh: the kernel-func-* scenarios add
#	. "$VM_LIB/function.sh"

# vm_function_attrs FUNCTION_DIR: log every attribute of a function
# directory (its files, not its subdirectories) as NAME=VALUE, values on
# one line, binary ones as hex:...; sets VM_FUNCTION_ATTRS to the names, sorted, space-separated,
# for pinning the set this kernel offers.
vm_function_attrs() {
	local f v names=
	for f in "$1"/*; do
		[ -f "$f" ] || continue
		if LC_ALL=C grep -q '[^[:print:][:space:]]' "$f" 2>/dev/null; then
			v="hex:$(od -An -v -tx1 "$f" | tr -d ' \n')"
		else
			v=$(tr '\n' ' ' <"$f" 2>/dev/null)
		fi
		vm_log "configfs ${1##*/}/${f##*/}=${v% }"
		names="$names ${f##*/}"
	done
	VM_FUNCTION_ATTRS=$(printf '%s\n' $names | LC_ALL=C sort | tr '\n' ' ')
	VM_FUNCTION_ATTRS=${VM_FUNCTION_ATTRS% }
}

# vm_host_modprobe MODULE...: load host-side class drivers (no udev here to
# load them on the device's uevent); fails naming the module.
vm_host_modprobe() {
	local m
	for m in "$@"; do
		VM_OUT=$(modprobe "$m" 2>&1) || vm_fail "host: modprobe $m failed: $VM_OUT"
	done
	vm_log "host: loaded $*"
}

# vm_random_file PATH BYTES: a file of BYTES random bytes, for data that
# must arrive unchanged.
vm_random_file() {
	head -c "$2" /dev/urandom >"$1" || vm_fail "cannot write $2 random bytes to $1"
}

# vm_expect_same_file WHAT EXPECTED_FILE ACTUAL_FILE: byte for byte, the
# failure says the sizes and the first difference.
vm_expect_same_file() {
	cmp -s "$2" "$3" && return 0
	vm_fail "$1: expected $(wc -c <"$2") bytes as sent, saw $(wc -c <"$3" 2>/dev/null || echo 0) ($(cmp "$2" "$3" 2>&1 | head -n 1))"
}

# vm_host_endpoints IFNUM: print the endpoints of an interface of the
# host's active configuration as "TYPE-DIRECTION MAXPACKET", sorted and
# comma-separated ("Bulk-in 512,Bulk-out 512"), as sysfs shows those of
# the current alternate setting; the numbers depend on the UDC, these do
# not.
vm_host_endpoints() {
	local d e cfg
	[ -n "${VM_HOST_DEV-}" ] || vm_fail "vm_host_endpoints: call vm_wait_host_device first"
	cfg=$(cat "$VM_HOST_DEV/bConfigurationValue")
	d=$VM_HOST_DEV/${VM_HOST_DEV##*/}:$cfg.$1
	for e in "$d"/ep_*; do
		[ -d "$e" ] || continue
		printf '%s-%s %d\n' "$(cat "$e/type")" "$(cat "$e/direction")" \
			"0x$(cat "$e/wMaxPacketSize")"
	done | LC_ALL=C sort | tr '\n' ',' | sed 's/,$//'
}

# vm_host_endpoint IFNUM TYPE DIRECTION: set VM_HOST_EP to the address
# (0x81) of the first endpoint of that type (Bulk, Isoc, Interrupt) and
# direction (in, out) in the interface's current alternate setting.
vm_host_endpoint() {
	local d e cfg
	[ -n "${VM_HOST_DEV-}" ] || vm_fail "vm_host_endpoint: call vm_wait_host_device first"
	cfg=$(cat "$VM_HOST_DEV/bConfigurationValue")
	d=$VM_HOST_DEV/${VM_HOST_DEV##*/}:$cfg.$1
	for e in "$d"/ep_*; do
		[ -d "$e" ] || continue
		[ "$(cat "$e/type")" = "$2" ] && [ "$(cat "$e/direction")" = "$3" ] || continue
		VM_HOST_EP=0x${e##*/ep_}
		return 0
	done
	vm_fail "host: interface $1 has no $2 $3 endpoint ($(vm_host_endpoints "$1"))"
}

# vm_sound_card DRIVER: set VM_CARD to the index of the ALSA card whose
# driver is DRIVER ("USB-Audio" for the host's snd-usb-audio, "UAC2_Gadget"
# or "UAC1_Gadget" for the gadget's u_audio), from /proc/asound/cards.
vm_sound_card() {
	VM_CARD=$(awk -v d="$1" '$2 ~ /^\[/ && $0 ~ ("]: " d " - ") { print $1; exit }' /proc/asound/cards)
	[ -n "$VM_CARD" ] ||
		vm_fail "no sound card with driver $1 (/proc/asound/cards: $(tr -s ' \n' '  ' </proc/asound/cards))"
}

# vm_wait_sound_card DRIVER DEADLINE: wait until such a card exists; sets
# VM_CARD.
vm_wait_sound_card() {
	vm_wait "$2" "a sound card with driver $1" vm__sound_card_is "$1"
	vm_sound_card "$1"
	vm_log "sound: card $VM_CARD ($1) after $VM_WAITED s: $(grep -A1 "^ *$VM_CARD \[" /proc/asound/cards | tr -s ' \n' '  ')"
}

vm__sound_card_is() {
	VM_WAIT_SAW="/proc/asound/cards: $(tr -s ' \n' '  ' </proc/asound/cards 2>/dev/null)"
	grep -q "]: $1 - " /proc/asound/cards 2>/dev/null
}

# vm_host_interface_classes: the host device's interfaces (config 1) as
# "1.0 01 01 00,1.1 01 02 00": number, class, subclass, protocol.
vm_host_interface_classes() {
	local i
	for i in "$VM_HOST_DEV"/*:1.*; do
		printf '%s %s %s %s\n' "${i##*:}" "$(cat "$i/bInterfaceClass")" \
			"$(cat "$i/bInterfaceSubClass")" "$(cat "$i/bInterfaceProtocol")"
	done | tr '\n' ',' | sed 's/,$//'
}

# vm_audio_no_iso_data GADGET_CARD HOST_CARD: 3 s of 48 kHz stereo 16-bit
# each way between the gadget's u_audio card and the host's snd-usb-audio
# card, on a bed that binds isochronous endpoints but moves no data
# (usbip-vudc gives every isochronous URB back with -EXDEV): the host's
# playback runs, since its URBs come back, and the gadget captures
# nothing; the gadget's playback stalls (no request of its isochronous IN
# endpoint completes) and the host captures nothing.
vm_audio_no_iso_data() {
	local gadget_card=$1 host_card=$2 cap
	vm-pcm capture /dev/snd/pcmC${gadget_card}D0c 48000 2 2 3 >/tmp/g.cap 2>&1 &
	cap=$!
	vm_run vm-pcm play /dev/snd/pcmC${host_card}D0p 48000 2 2 3
	# An underrun of vm-pcm's own (xruns=1, once in 12 runs beside
	# other VMs) is this loaded one-CPU guest's scheduling, not the
	# bus: not judged.
	vm_expect_match "host playback" "play frames=144000 bytes=576000 xruns=* stalled=0 *" "$VM_OUT"
	wait $cap || vm_fail "gadget capture failed: $(cat /tmp/g.cap)"
	vm_log "gadget capture: $(cat /tmp/g.cap)"
	vm_expect_match "gadget capture (host -> gadget)" "capture frames=0 bytes=0 * stalled=1 *" "$(cat /tmp/g.cap)"

	vm-pcm capture /dev/snd/pcmC${host_card}D0c 48000 2 2 3 >/tmp/h.cap 2>&1 &
	cap=$!
	vm_run vm-pcm play /dev/snd/pcmC${gadget_card}D0p 48000 2 2 3
	vm_expect_match "gadget playback" "play frames=* stalled=1 *" "$VM_OUT"
	wait $cap || vm_fail "host capture failed: $(cat /tmp/h.cap)"
	vm_log "host capture: $(cat /tmp/h.cap)"
	vm_expect_match "host capture (gadget -> host)" "capture frames=0 bytes=0 * stalled=1 *" "$(cat /tmp/h.cap)"
	vm_log "vhci-hcd: $(dmesg | grep -c 'Not yet implemented') 'Not yet implemented' (vhci_get_frame_number)"
}
