# USB MIDI through `gadgetd daemon`: the host binds snd-usb-audio to the
# function's audio control and MIDI streaming interfaces and makes a sound
# card for the device; the board has f_midi's card with the id the profile
# gives; MIDI bytes written to the board's rawmidi device reach the host's
# and bytes the host writes reach the board.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"

vm_need_gadgetd
vm_udc
cat >/tmp/midi.ini <<'INI'
[profile]
description = USB MIDI, one port each way
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd MIDI
[config 1]
functions = midi.0
[function midi.0]
id = gadgetmidi
index = -1
in_ports = 1
out_ports = 1
buflen = 256
qlen = 16
INI
vm_run gadgetd check /tmp/midi.ini
vm_daemon_config profile=/tmp/midi.ini
vm_daemon_start
g=$VM_GADGETS/gadgetd
for kv in id=gadgetmidi in_ports=1 out_ports=1 buflen=256 qlen=16; do
	vm_expect_eq "configfs midi.0/${kv%%=*}" "${kv#*=}" "$(cat $g/functions/midi.0/${kv%%=*})"
done

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_interface 0 01 01 00 snd-usb-audio 10
vm_host_expect_interface 1 01 03 00 snd-usb-audio
vm_daemon_wait_state configured 5

# ALSA card numbers: the board's from the id the profile set, the host's
# from the USB interface.
board=
for c in /proc/asound/card[0-9]*; do
	[ "$(cat $c/id 2>/dev/null)" = gadgetmidi ] && board=${c#/proc/asound/card}
done
[ -n "$board" ] || vm_fail "board: no ALSA card with id gadgetmidi: $(cat /proc/asound/cards | tr -s ' \n' '  ')"
hostcard=$(ls -d $VM_HOST_DEV/${VM_HOST_DEV##*/}:1.0/sound/card* 2>/dev/null | head -n 1)
[ -n "$hostcard" ] || vm_fail "host: no sound card under interface 1.0"
host=${hostcard##*/card}
vm_expect_eq "host card's USB id" 1d6b:0104 "$(cat /proc/asound/card$host/usbid)"
vm_wait_path /dev/snd/midiC${host}D0 5
vm_wait_path /dev/snd/midiC${board}D0 5

opened() { ls -l /proc/$1/fd 2>/dev/null | grep -q "$2"; }
hex() { od -An -tx1 "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }

# Board -> host, note on (middle C).  The reader goes first: the host
# driver reads the MIDI IN endpoint only while its port is open.
timeout 10 head -c 3 /dev/snd/midiC${host}D0 >/tmp/midi.in &
reader=$!
vm_wait 5 "host reader has midiC${host}D0 open" opened $reader midiC${host}D0
printf '\220\074\177' >/dev/snd/midiC${board}D0 || vm_fail "write to the board's rawmidi failed"
wait $reader
vm_expect_eq "MIDI board -> host" "90 3c 7f" "$(hex /tmp/midi.in)"

# Host -> board, note off.
timeout 10 head -c 3 /dev/snd/midiC${board}D0 >/tmp/midi.out &
reader=$!
vm_wait 5 "board reader has midiC${board}D0 open" opened $reader midiC${board}D0
printf '\200\074\000' >/dev/snd/midiC${host}D0 || vm_fail "write to the host's rawmidi failed"
wait $reader
vm_expect_eq "MIDI host -> board" "80 3c 00" "$(hex /tmp/midi.out)"

vm_run vm_gadgetd export
vm_expect_contains "export: midi" "$(printf 'id = gadgetmidi\nin_ports = 1\nout_ports = 1\nbuflen = 256\nqlen = 16')" "$VM_OUT"

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
