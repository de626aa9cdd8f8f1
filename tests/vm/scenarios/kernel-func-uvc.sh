# The kernel's UVC function (usb_f_uvc) through raw configfs: the smallest
# descriptor tree (one control header; one uncompressed YUYV format with
# one 160x120 frame at 30 fps; one streaming header linked for full, high
# and super speed), the gadget side's streaming helper (vm-uvc gadget:
# the UVC events, probe and commit, REQBUFS/QBUF/STREAMON), and the
# host's uvcvideo asked for frames (vm-uvc capture).  dummy_hcd has no
# isochronous endpoint for the video data: the bind is refused.  On
# usbip-vudc everything up to the stream works, and no frame arrives:
# usbip-vudc gives every isochronous URB back with -EXDEV and no data
# (vudc_transfer.c, v_timer()).  docs/functions-kernel.md has what this
# pins.
# vm: timeout=120
# vm: beds=dummy usbip
. "$VM_LIB/vm.sh"
. "$VM_LIB/function.sh"

vm_need_tool vm-uvc

# The descriptor tree comes apart in the reverse order of its making,
# after the unbind; then the function and the gadget.
vm__uvc_teardown() {
	local s
	echo "" >"$VM_GADGET/UDC" 2>/dev/null
	for s in fs hs ss; do rm -f "$f/streaming/class/$s/h"; done
	rm -f "$f/streaming/header/h/u"
	rmdir "$f/streaming/header/h" "$fr" "$f/streaming/uncompressed/u" ||
		vm_fail "uvc: cannot remove the streaming tree"
	rm -f "$f/control/class/fs/h" "$f/control/class/ss/h"
	rmdir "$f/control/header/h" || vm_fail "uvc: cannot remove the control header"
	vm_gadget_teardown uvc
}

vm_host_modprobe uvcvideo
vm_gadget_create uvc 0x1d6b 0x0104
vm_gadget_function uvc.0
f=$VM_GADGET/functions/uvc.0
vm_function_attrs "$f"
vm_expect_eq "uvc attributes (Debian 6.1)" \
	"function_name streaming_interval streaming_maxburst streaming_maxpacket" "$VM_FUNCTION_ATTRS"
# function_name reads back without a newline.
vm_expect_eq "uvc defaults" "UVC Camera;1;0;1024;" \
	"$(for a in function_name streaming_interval streaming_maxburst streaming_maxpacket; do printf '%s;' "$(cat "$f/$a")"; done)"
# The tree the kernel makes: default units and terminals, empty header,
# format and class directories for the user to fill and link.
vm_expect_eq "uvc directories" \
	"control control/class control/class/fs control/class/ss control/header control/processing control/processing/default control/terminal control/terminal/camera control/terminal/camera/default control/terminal/output control/terminal/output/default streaming streaming/class streaming/class/fs streaming/class/hs streaming/class/ss streaming/color_matching streaming/color_matching/default streaming/header streaming/mjpeg streaming/uncompressed" \
	"$(cd "$f" && find . -mindepth 1 -type d | sed 's,^\./,,' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"

mkdir "$f/control/header/h" || vm_fail "mkdir control/header/h failed"
ln -s "$f/control/header/h" "$f/control/class/fs/h" || vm_fail "link control header (fs) failed"
ln -s "$f/control/header/h" "$f/control/class/ss/h" || vm_fail "link control header (ss) failed"
fr=$f/streaming/uncompressed/u/120p
mkdir -p "$fr" || vm_fail "mkdir $fr failed"
vm_function_attrs "$f/streaming/uncompressed/u"
vm_function_attrs "$fr"
vm_write 160 "$fr/wWidth"
vm_write 120 "$fr/wHeight"
vm_write 38400 "$fr/dwMaxVideoFrameBufferSize"
vm_write 9216000 "$fr/dwMinBitRate"
vm_write 9216000 "$fr/dwMaxBitRate"
vm_write 333333 "$fr/dwDefaultFrameInterval"
vm_write 333333 "$fr/dwFrameInterval"
mkdir "$f/streaming/header/h" || vm_fail "mkdir streaming/header/h failed"
ln -s "$f/streaming/uncompressed/u" "$f/streaming/header/h/u" || vm_fail "link format into the header failed"
for s in fs hs ss; do
	ln -s "$f/streaming/header/h" "$f/streaming/class/$s/h" || vm_fail "link streaming header ($s) failed"
done
vm_gadget_config_add uvc.0
vm_udc
if [ "$VM_BED" = dummy ]; then
	# f_uvc's bind finds no isochronous IN endpoint for the video data:
	# -EINVAL from the function, EBUSY on the UDC write.
	vm_run_fails sh -c "echo $VM_UDC >$VM_GADGET/UDC"
	vm_expect_contains "bind on dummy_hcd" "Device or resource busy" "$VM_OUT"
	vm_expect_contains "kernel log" "uvc: Unable to allocate streaming EP" "$(dmesg)"
	vm_expect_contains "kernel log" "failed to start uvc: -22" "$(dmesg)"
	vm_log "kernel: $(dmesg | grep -E 'streaming EP|failed to start' | tr '\n' '|')"
	vm__uvc_teardown
	exit 0
fi

vm_gadget_bind
vm_log "video: $(for v in /sys/class/video4linux/video*; do printf '%s=%s ' ${v##*/} "$(cat $v/name)"; done)"
gadget_video=/dev/video0
vm_wait_path $gadget_video 5
# Until a program subscribes to the UVC events the function is not
# connected (f_uvc binds deactivated): usbip-vudc has no device
# descriptor to export yet.
vm_expect_eq "usbip-vudc dev_desc before the helper (bytes)" 0 \
	"$(head -c 18 /sys/class/udc/$VM_UDC/device/dev_desc 2>/dev/null | wc -c)"
vm-uvc gadget $gadget_video 160 120 60 >/tmp/uvc-gadget.log 2>&1 &
helper=$!
vm_wait 5 "vm-uvc gadget ready" grep -q '^ready' /tmp/uvc-gadget.log
vm_bed_attach
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 uvcvideo
# Video control and video streaming, class 0e.
vm_expect_eq "host interfaces" "1.0 0e uvcvideo,1.1 0e uvcvideo" \
	"$(vm_host_interfaces | tr '\n' ',' | sed 's/,$//')"
vm_log "video: $(for v in /sys/class/video4linux/video*; do printf '%s=%s/%s ' ${v##*/} "$(cat $v/name)" "$(cat $v/index)"; done)"
host_video=
for v in /sys/class/video4linux/video*; do
	case "$(readlink -f $v/device)" in */usb*) [ "$(cat $v/index)" = 0 ] && host_video=/dev/${v##*/} ;; esac
done
vm_expect_ne "host video node (uvcvideo, index 0)" "" "$host_video"
vm_wait_path "$host_video" 5
vm_wait 5 "the gadget answered the host's probe" grep -q '^setup a1 81 0100 0001' /tmp/uvc-gadget.log

# The host asks for frames for 5 s: probe, commit, alternate setting 1,
# the gadget's STREAMON and four buffers queued; the first isochronous
# URBs come back -EXDEV, uvcvideo cancels its queue (its buffers come
# back marked as errors, empty) and submits nothing more.
vm_run vm-uvc capture "$host_video" 160 120 5
vm_expect_match "host capture" "capture frames=0 errors=* bytes=0 pattern_ok=0 *" "$VM_OUT"
vm_log "uvcvideo: $(dmesg | grep -E 'Non-zero status|uvcvideo' | tail -n 3 | tr '\n' '|')"
vm_expect_contains "host kernel log" "Non-zero status (-18) in video completion handler" "$(dmesg)"
vm_wait 5 "the gadget saw the stream stop" grep -q '^streamoff' /tmp/uvc-gadget.log

# Unplug first: the helper's close disconnects the function
# (uvc_v4l2_release), which on usbip-vudc drops the connection.
vm_bed_detach
kill $helper
wait $helper
sed 's/^/    gadget| /' /tmp/uvc-gadget.log
summary=$(grep '^gadget ' /tmp/uvc-gadget.log)
vm_expect_match "gadget helper" "gadget setups=* streamon=1 streamoff=1 queued=4 done=0" "$summary"
vm__uvc_teardown
vm_expect_no_file "gadget video node after teardown" $gadget_video
