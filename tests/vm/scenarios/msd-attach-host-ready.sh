# `lun.0.attach = host-ready` with attach_delay (gadgetd.profile(5)): the
# LUN is built without its medium, so the host's SCSI scan (INQUIRY, TEST
# UNIT READY) finds a removable disk with no medium; once the host has
# configured the gadget and attach_delay has passed, the daemon puts the
# medium in and the host reads the image.  A replug takes it out again
# for the next host, which again finds no medium first.  Judged by order
# (the host's kernel log), not by a timed window.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/storage.sh"

vm_need_gadgetd
vm_udc
truncate -s 4M /tmp/d.img
printf 'HOST-READY' | dd of=/tmp/d.img conv=notrunc 2>/dev/null
cat >/tmp/late.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd late disk
[config 1]
functions = mass_storage.0
[function mass_storage.0]
lun.0.file = /tmp/d.img
lun.0.removable = yes
lun.0.attach = host-ready
lun.0.attach_delay = 3000
INI
vm_run gadgetd check /tmp/late.ini
vm_daemon_config profile=/tmp/late.ini
dmesg -c >/dev/null
# Its log in a file, to wait for the attach and the detach it reports.
vm_daemon_start 2>/tmp/daemon.log
log_has() { grep -q "$1" /tmp/daemon.log; }
g=$VM_GADGETS/gadgetd
vm_expect_eq "configfs lun.0/file at bind" "" "$(cat $g/functions/mass_storage.0/lun.0/file)"
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10

# The host's scan found the disk without a medium: "Attached SCSI
# removable disk" with no size before it.
attached() { dmesg | grep -q 'Attached SCSI removable disk'; }
vm_wait 20 "host: the SCSI disk attached" attached
first=$(dmesg | sed -n '1,/Attached SCSI removable disk/p')
case $first in
*logical\ blocks*) vm_fail "host: the first scan saw a medium: $(printf '%s\n' "$first" | grep 'logical blocks')" ;;
esac
vm_log "host: scanned without a medium: $(printf '%s\n' "$first" | grep 'Attached SCSI' | tail -n 1)"

# Then the medium, after the delay (the host looks again when opened).
vm_host_block_dev 0 20
b=$VM_HOST_BLOCK
vm_expect_eq "host /dev/$b reads the image" HOST-READY "$(dd if=/dev/$b bs=10 count=1 2>/dev/null)"
vm_expect_eq "configfs lun.0/file" /tmp/d.img "$(cat $g/functions/mass_storage.0/lun.0/file)"
vm_wait 5 "daemon log: the attach ($(tail -n 2 /tmp/daemon.log | tr '\n' ' '))" \
	log_has "lun.0 of mass_storage.0: /tmp/d.img attached"
vm_log "daemon: $(grep 'attached,' /tmp/daemon.log | tail -n 1)"

# A new host session: the medium out, and in again after the delay.
dmesg -c >/dev/null
vm_run vm_gadgetd replug
vm_wait 10 "daemon log: the medium out for the next host" \
	log_has "lun.0 of mass_storage.0: medium out until the host is ready again"
vm_daemon_wait_state configured 10
vm_wait 20 "host: the SCSI disk attached again" attached
first=$(dmesg | sed -n '1,/Attached SCSI removable disk/p')
case $first in
*logical\ blocks*) vm_fail "host: the second scan saw a medium" ;;
esac
vm_host_block_dev 0 20
vm_expect_eq "host reads the image again" HOST-READY "$(dd if=/dev/$VM_HOST_BLOCK bs=10 count=1 2>/dev/null)"
vm_daemon_stop
