# The kernel's USB Audio Class 1 function (usb_f_uac1) through raw
# configfs, on the bed that can carry it.  dummy_hcd has no isochronous
# endpoints: the bind is refused (f_uac1's f_audio_bind finds none).  On
# usbip-vudc the gadget binds, the host's snd-usb-audio makes a card, and
# a stream opens on both sides, but no sample crosses: usbip-vudc gives
# every isochronous URB back with -EXDEV and no data (vudc_transfer.c,
# v_timer()), so the host captures nothing and the gadget's requests never
# complete.  docs/functions-kernel.md has what this pins.
# vm: timeout=90
# vm: beds=dummy usbip
. "$VM_LIB/vm.sh"
. "$VM_LIB/function.sh"

vm_need_tool vm-pcm
vm_gadget_create uac1 0x1d6b 0x0104
vm_gadget_function uac1.0
f=$VM_GADGET/functions/uac1.0
vm_function_attrs "$f"
vm_expect_eq "uac1 attributes (Debian 6.1)" \
	"c_chmask c_mute_present c_srate c_ssize c_volume_max c_volume_min c_volume_present c_volume_res function_name p_chmask p_mute_present p_srate p_ssize p_volume_max p_volume_min p_volume_present p_volume_res req_number" \
	"$VM_FUNCTION_ATTRS"
vm_expect_eq "uac1 defaults" "3 48000 2 3 48000 2 2 AC Interface" \
	"$(for a in c_chmask c_srate c_ssize p_chmask p_srate p_ssize req_number function_name; do cat "$f/$a"; done | tr '\n' ' ' | sed 's/ $//')"
# Host -> gadget ("capture" on the gadget) and gadget -> host
# ("playback"): stereo, 48 kHz, 16 bit, the defaults.
vm_gadget_config_add uac1.0
vm_udc
if [ "$VM_BED" = dummy ]; then
	# The isochronous OUT endpoint's autoconfig fails: -ENODEV from
	# f_audio_bind (which logs nothing itself), EBUSY on the UDC write.
	vm_run_fails sh -c "echo $VM_UDC >$VM_GADGET/UDC"
	vm_expect_contains "bind on dummy_hcd" "Device or resource busy" "$VM_OUT"
	vm_expect_contains "kernel log" "failed to start uac1: -19" "$(dmesg)"
	vm_log "kernel: $(dmesg | grep -E 'afunc_bind|failed to start' | tr '\n' '|')"
	vm_gadget_teardown uac1
	exit 0
fi

vm_gadget_bind
vm_bed_attach
vm_wait_sound_card UAC1_Gadget 5
gadget_card=$VM_CARD
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 snd-usb-audio
# Audio control, then streaming host -> gadget and gadget -> host; class
# 01, protocol 0 (UAC1).
vm_expect_eq "host interfaces" "1.0 01 01 00,1.1 01 02 00,1.2 01 02 00" \
	"$(vm_host_interface_classes)"
vm_wait_sound_card USB-Audio 5
host_card=$VM_CARD
sed 's/^/    /' /proc/asound/card$host_card/stream0
vm_expect_contains "host stream" "Endpoint: 0x01 (1 OUT) (ADAPTIVE)" "$(cat /proc/asound/card$host_card/stream0)"
vm_expect_contains "host stream" "Endpoint: 0x82 (2 IN) (ASYNC)" "$(cat /proc/asound/card$host_card/stream0)"

# No isochronous data either way on this bed: the host's playback runs,
# the gadget captures nothing, the gadget's playback stalls.
vm_audio_no_iso_data $gadget_card $host_card

vm_bed_detach
vm_gadget_teardown uac1
vm_wait_host_gone 5
