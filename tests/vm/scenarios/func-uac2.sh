# USB Audio Class 2 as far as this test bed goes.  apply.c (vm-apply,
# without the daemon) builds a uac2 gadget from a profile and configfs
# reads back every attribute the profile set.  dummy_hcd has no
# isochronous endpoints, so the kernel's f_uac2 cannot bind (afunc_bind
# finds no endpoint: ENODEV in the kernel log, EBUSY on the UDC write);
# this scenario pins that down (uac1 too), so that it fails (and should then check
# the host's view) on a kernel whose dummy_hcd can.  A real UDC (dwc2,
# musb, ...) has the endpoints.
# vm: timeout=60
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-apply
vm_udc
vm_daemon_config
cat >/tmp/uac2.ini <<'INI'
[profile]
description = USB audio (UAC2): stereo from the host, mono to the host
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd Audio
[config 1]
functions = uac2.0
[function uac2.0]
c_chmask = 0x3
c_srate = 48000
c_ssize = 2
p_chmask = 0x1
p_srate = 44100
p_ssize = 4
c_sync = adaptive
c_hs_bint = 1
c_mute_present = no
c_volume_present = yes
c_volume_min = -2560
c_volume_max = 256
c_volume_res = 128
p_hs_bint = 4
p_mute_present = yes
p_volume_present = no
fb_max = 10
req_number = 4
function_name = gadgetd mic
INI
vm_run gadgetd check /tmp/uac2.ini
vm_run vm-apply -c "$VM_GADGETD_CONF" build /tmp/uac2.ini
g=$VM_GADGETS/gadgetd
for kv in c_chmask=3 c_srate=48000 c_ssize=2 p_chmask=1 p_srate=44100 p_ssize=4 \
	c_sync=adaptive c_hs_bint=1 c_mute_present=0 c_volume_present=1 \
	c_volume_min=-2560 c_volume_max=256 c_volume_res=128 p_hs_bint=4 \
	p_mute_present=1 p_volume_present=0 fb_max=10 req_number=4; do
	vm_expect_eq "configfs uac2.0/${kv%%=*}" "${kv#*=}" "$(cat $g/functions/uac2.0/${kv%%=*})"
done
vm_expect_eq "configfs uac2.0/function_name" "gadgetd mic" "$(cat $g/functions/uac2.0/function_name)"
# Read back as a profile: every key as written.
vm_run vm_gadgetd export gadgetd
for kv in c_sync=adaptive c_volume_min=-2560 p_mute_present=yes fb_max=10 \
	"function_name=gadgetd mic"; do
	vm_expect_contains "export" "${kv%%=*} = ${kv#*=}" "$VM_OUT"
done
vm_expect_file "config link" $g/configs/c.1/uac2.0

vm_run_fails vm-apply -c "$VM_GADGETD_CONF" bind "$VM_UDC"
vm_expect_contains "bind refusal" \
	"Device or resource busy: a function refused to bind: see the kernel log" "$VM_OUT"
dmesg | grep -q 'afunc_bind:[0-9]* Error' ||
	vm_fail "the bind failed, but not in f_uac2's endpoint search: $(dmesg | tail -n 3 | tr '\n' ' ')"
vm_log "kernel: $(dmesg | grep 'afunc_bind' | tail -n 1)"
vm_run vm-apply -c "$VM_GADGETD_CONF" remove /tmp/uac2.ini
vm_expect_eq "gadgets after remove" "" "$(vm_gadgets)"

# uac1, which libusbgx 0.2.0 does not know: the same build with plain
# configfs calls (apply.c, workaround 9), refused at bind the same way
# (f_audio_bind finds no isochronous endpoint).
cat >/tmp/uac1.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
[config 1]
functions = uac1.0
[function uac1.0]
c_chmask = 0x1
p_srate = 32000
p_volume_present = no
function_name = gadgetd uac1
INI
vm_run gadgetd check /tmp/uac1.ini
vm_run vm-apply -c "$VM_GADGETD_CONF" build /tmp/uac1.ini
for kv in c_chmask=1 p_srate=32000 p_volume_present=0; do
	vm_expect_eq "configfs uac1.0/${kv%%=*}" "${kv#*=}" "$(cat $g/functions/uac1.0/${kv%%=*})"
done
vm_expect_eq "configfs uac1.0/function_name" "gadgetd uac1" "$(cat $g/functions/uac1.0/function_name)"
vm_expect_file "config link" $g/configs/c.1/uac1.0
vm_run_fails vm-apply -c "$VM_GADGETD_CONF" bind "$VM_UDC"
vm_expect_contains "uac1 bind refusal" \
	"Device or resource busy: a function refused to bind: see the kernel log" "$VM_OUT"
vm_run vm-apply -c "$VM_GADGETD_CONF" remove /tmp/uac1.ini
vm_expect_eq "gadgets after remove" "" "$(vm_gadgets)"
