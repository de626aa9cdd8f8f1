# uvc through `gadgetd daemon`: a profile's two formats (YUYV with two
# frame sizes, one at two rates; MJPEG with one) become f_uvc's
# descriptor tree (plan_uvc_steps() in src/plan.c), applied with plain
# configfs calls as libusbgx 0.2.0 has no uvc type.  The host parses the
# VideoStreaming descriptors back from its sysfs `descriptors` file:
# each format and frame with its size, buffer size and intervals.
# uvcvideo binds and makes /dev/videoN once the streaming helper runs on
# the board (f_uvc keeps the gadget off the bus until a program opens its
# video node): the function's `program`, a wrapper that runs vm-uvc
# gadget on $GADGETD_VIDEO_DEVICE, which gadgetd starts after the bind
# and sets to the board's node of this function; a switch away stops it,
# the switch back starts it again.  A switch to ecm-only
# and back removes and rebuilds the tree, leaving none of it behind.
# `check --udc dummy_udc.0` refuses the profile before configfs is
# touched (dummy_hcd has no isochronous endpoint).  `export` gives the
# formats back.  No video data on this bed (docs/functions-kernel.md).
# On dummy_hcd the daemon refuses a switch to it the same way, before
# configfs is touched: the previous gadget stays.
# vm: timeout=150
# vm: beds=dummy usbip
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/usbhost.sh"
. "$VM_LIB/function.sh"

vm_need_gadgetd
vm_need_tool vm-uvc
vm_host_modprobe uvcvideo
vm_udc
cat >/tmp/uvc.ini <<'INI'
[profile]
description = a webcam: YUYV and MJPEG
[gadget]
vendor_id = 0x1d6b
product_id = 0x0102
device_class = 0xef
device_subclass = 0x02
device_protocol = 0x01
product = gadgetd webcam
[config 1]
functions = uvc.cam
[function uvc.cam]
function_name = gadgetd camera
program = /usr/local/lib/gadgetd/uvc-stream
format.1 = yuyv
format.1.frames = 160x120@30,15 320x240@10
format.2 = mjpeg
format.2.frames = 640x360@30
INI
# The streaming program: what gadgetd told it, then vm-uvc on that node.
mkdir -p /usr/local/lib/gadgetd
cat >/usr/local/lib/gadgetd/uvc-stream <<SCRIPT
#!/bin/sh
echo "\$GADGETD_FUNCTION \$GADGETD_UDC \$GADGETD_VIDEO_DEVICE" >/tmp/uvc-env
exec $(command -v vm-uvc) gadget "\$GADGETD_VIDEO_DEVICE" 160 120 600 >>/tmp/uvc-gadget.log 2>&1
SCRIPT
chmod 0755 /usr/local/lib/gadgetd/uvc-stream
vm_run gadgetd check /tmp/uvc.ini
# The endpoint budget knows dummy_udc has no isochronous endpoint.
vm_run_fails gadgetd check --udc dummy_udc.0 /tmp/uvc.ini
vm_expect_contains "check on dummy_udc" "/tmp/uvc.ini:10: [config 1] needs 1 isochronous IN endpoints, and UDC dummy_udc.0 has none that can be isochronous" "$VM_OUT"

if [ "$VM_BED" = dummy ]; then
	vm_daemon_config profile=ecm-only
	vm_daemon_start
	vm_wait_host_device 0x1d6b 0x0104 10
	vm_daemon_wait_state configured 10
	before=$(vm_configfs_listing)
	vm_run_fails vm_gadgetd switch /tmp/uvc.ini
	vm_expect_contains "switch to uvc on dummy_udc" "/tmp/uvc.ini:10: [config 1] needs 1 isochronous IN endpoints, and UDC $VM_UDC has none that can be isochronous" "$VM_OUT"
	vm_expect_eq "configfs after the refused switch" "$before" "$(vm_configfs_listing)"
	vm_daemon_expect profile ecm-only
	vm_daemon_expect state configured
	vm_daemon_stop
	exit 0
fi

# The board's video node: the one whose device is the UDC's gadget.
uvc_gadget_video() {
	local v
	for v in /sys/class/video4linux/video*; do
		case "$(readlink -f "$v/device")" in
		*"$VM_UDC"*) printf '/dev/%s\n' "${v##*/}" && return 0 ;;
		esac
	done
	return 1
}

# The VideoStreaming formats and frames as the host read them (UVC 1.1,
# 3.9.2.3 and 3.9.2.4): one line per format and per frame, read from
# the class descriptors after a VideoStreaming interface (class 0e,
# subclass 02; VideoControl's subtypes overlap).
uvc_host_formats() {
	od -An -v -tu1 "$VM_HOST_DEV/descriptors" | awk '
	function dw(p) { return b[p] + 256 * b[p + 1] + 65536 * b[p + 2] + 16777216 * b[p + 3] }
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		p = 18
		while (p < n && b[p] >= 2) {
			if (b[p + 1] == 4)
				vs = b[p + 5] == 14 && b[p + 6] == 2
			if (vs && b[p + 1] == 36 && (b[p + 2] == 4 || b[p + 2] == 6))
				printf "format %d %s frames=%d\n", b[p + 3], b[p + 2] == 4 ? "yuyv" : "mjpeg", b[p + 4]
			if (vs && b[p + 1] == 36 && (b[p + 2] == 5 || b[p + 2] == 7)) {
				s = ""
				for (i = 0; i < b[p + 25]; i++)
					s = s (i ? "," : "") dw(p + 26 + 4 * i)
				printf "frame %d %dx%d buffer=%d default=%d intervals=%s\n", b[p + 3], b[p + 5] + 256 * b[p + 6], b[p + 7] + 256 * b[p + 8], dw(p + 17), dw(p + 21), s
			}
			p += b[p]
		}
	}'
}

# gadgetd started the program after the bind: it runs on this
# function's node (the one under the UDC), and says it is ready.
uvc_expect_helper() {
	vm_wait 5 "the gadget's video node" uvc_gadget_video
	gadget_video=$(uvc_gadget_video)
	vm_wait 10 "vm-uvc gadget ready ($(cat /tmp/uvc-gadget.log 2>/dev/null))" \
		grep -q '^ready' /tmp/uvc-gadget.log
	vm_expect_eq "the program's environment" "uvc.cam $VM_UDC $gadget_video" "$(cat /tmp/uvc-env)"
	vm_daemon_status_json
	vm_expect_contains "status: the program" '"path":"/usr/local/lib/gadgetd/uvc-stream"' "$VM_STATUS"
	vm_log "board: $gadget_video, helper pid $(uvc_helper_pid)"
}

uvc_helper_pid() {
	local p
	for p in /proc/[0-9]*; do
		case "$(tr '\0' ' ' <$p/cmdline 2>/dev/null)" in
		*vm-uvc\ gadget*) echo "${p#/proc/}" && return 0 ;;
		esac
	done
	return 1
}

# A switch away stops the program (SIGTERM) before the tree goes.
uvc_helper_absent() {
	! uvc_helper_pid >/dev/null
}
uvc_helper_gone() {
	vm_wait 5 "vm-uvc gadget stopped (pid $(uvc_helper_pid))" uvc_helper_absent
	vm_log "helper: $(grep '^gadget ' /tmp/uvc-gadget.log)"
}

vm_daemon_config profile=/tmp/uvc.ini
: >/tmp/uvc-gadget.log
vm_daemon_start
g=$VM_GADGETS/gadgetd
f=$g/functions/uvc.cam
vm_expect_eq "configfs function_name" "gadgetd camera" "$(cat $f/function_name)"
vm_expect_eq "configfs uvc tree" \
	"control/class/fs/h control/class/ss/h streaming/class/fs/h streaming/class/hs/h streaming/class/ss/h streaming/header/h/f1 streaming/header/h/f2" \
	"$(cd $f && find control streaming -type l | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
vm_expect_eq "configfs 160x120 intervals" "333333 666667" \
	"$(tr '\n' ' ' <$f/streaming/uncompressed/f1/160x120/dwFrameInterval | sed 's/ $//')"

uvc_expect_helper
vm_bed_attach
vm_wait_host_device 0x1d6b 0x0102 10
vm_wait_host_drivers 10 uvcvideo
vm_expect_eq "host interfaces" "1.0 0e uvcvideo,1.1 0e uvcvideo" \
	"$(vm_host_interfaces | tr '\n' ',' | sed 's/,$//')"
formats=$(uvc_host_formats)
printf '%s\n' "$formats" | sed 's/^/    host| /'
vm_expect_eq "host: the profile's formats and frames" \
	"format 1 yuyv frames=2|frame 1 160x120 buffer=38400 default=333333 intervals=333333,666667|frame 2 320x240 buffer=153600 default=1000000 intervals=1000000|format 2 mjpeg frames=1|frame 1 640x360 buffer=460800 default=333333 intervals=333333" \
	"$(printf '%s\n' "$formats" | tr '\n' '|' | sed 's/|$//')"
# uvcvideo names its node after the product and the function_name.
uvc_host_video() {
	local v
	for v in /sys/class/video4linux/video*; do
		case "$(readlink -f "$v/device")" in
		*/vhci_hcd*) [ "$(cat "$v/index")" = 0 ] && printf '%s\n' "${v##*/}=$(cat "$v/name")" && return 0 ;;
		esac
	done
	return 1
}
vm_wait 5 "uvcvideo's video node on the host" uvc_host_video
vm_expect_match "host video node" "video*=gadgetd webcam: gadgetd camera" "$(uvc_host_video)"
vm_daemon_wait_state configured 5

# export reads the tree back into the profile's keys (libusbgx 0.2.0
# reads the rest of the gadget through a view without the uvc function).
vm_run vm_gadgetd export gadgetd
printf '%s\n' "$VM_OUT" >/tmp/exported.ini
vm_expect_eq "export: the formats" \
	"format.1 = yuyv|format.1.frames = 160x120@30,15 320x240@10|format.2 = mjpeg|format.2.frames = 640x360@30" \
	"$(grep '^format\.' /tmp/exported.ini | tr '\n' '|' | sed 's/|$//')"
vm_expect_contains "export: function_name" "function_name = gadgetd camera" "$VM_OUT"
vm_run gadgetd check /tmp/exported.ini

vm_bed_detach
vm_run vm_gadgetd switch ecm-only
uvc_helper_gone
vm_bed_attach
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_interface 0 02 06 00 cdc_ether 10
vm_expect_no_file "uvc.cam after the switch" $f
vm_expect_eq "gadget video nodes after the switch" "" "$(uvc_gadget_video)"

vm_bed_detach
: >/tmp/uvc-gadget.log
vm_run vm_gadgetd switch /tmp/uvc.ini
vm_expect_file "uvc.cam again" $f/streaming/header/h/f2
uvc_expect_helper
vm_bed_attach
vm_wait_host_device 0x1d6b 0x0102 10
vm_wait_host_drivers 10 uvcvideo
vm_expect_eq "host: the formats again" "$formats" "$(uvc_host_formats)"
vm_bed_detach
vm_daemon_stop
uvc_helper_gone
vm_expect_eq "gadgets after stop" "" "$(vm_gadgets)"
