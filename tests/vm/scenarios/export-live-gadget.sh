# gadgetd's export (through tests/vm/tools vm-export, until the gadgetd
# binary links) on the kernel's own configfs: a gadget built by hand with
# two configurations, RNDIS with OS descriptors, ECM, ACM and two LUNs is
# read back into exactly the profile that describes it, with the values
# the kernel fills in itself (MaxPower 2, bMaxPacketSize0 64, RNDIS's class
# triple 02/06/00) included.
# vm: timeout=60
. "$VM_LIB/vm.sh"

vm_need_tool vm-export
dd if=/dev/zero of=/tmp/lun0.img bs=1M count=4 2>/dev/null
vm_gadget_create g1 0x1d6b 0x0104
g=$VM_GADGET
vm_write 0x0100 $g/bcdDevice
vm_write 0x0200 $g/bcdUSB
vm_gadget_function rndis.usb0
vm_write 02:00:00:00:01:01 $g/functions/rndis.usb0/dev_addr
vm_write 02:00:00:00:01:02 $g/functions/rndis.usb0/host_addr
vm_write RNDIS $g/functions/rndis.usb0/os_desc/interface.rndis/compatible_id
vm_write 5162001 $g/functions/rndis.usb0/os_desc/interface.rndis/sub_compatible_id
vm_gadget_function ecm.usb1
vm_write 02:00:00:00:00:01 $g/functions/ecm.usb1/dev_addr
vm_write 02:00:00:00:00:02 $g/functions/ecm.usb1/host_addr
vm_write 10 $g/functions/ecm.usb1/qmult
vm_gadget_function acm.GS0
vm_gadget_function mass_storage.0
vm_write /tmp/lun0.img $g/functions/mass_storage.0/lun.0/file
vm_write 1 $g/functions/mass_storage.0/lun.0/removable
mkdir $g/functions/mass_storage.0/lun.1
vm_write 1 $g/functions/mass_storage.0/lun.1/cdrom
vm_write 1 $g/functions/mass_storage.0/lun.1/ro
vm_gadget_config_add rndis.usb0 c.1
for f in ecm.usb1 acm.GS0 mass_storage.0; do
	vm_gadget_config_add $f c.2
done
mkdir $g/configs/c.1/strings/0x409 $g/configs/c.2/strings/0x409
vm_write RNDIS $g/configs/c.1/strings/0x409/configuration
vm_write "ECM+ACM+MSD" $g/configs/c.2/strings/0x409/configuration
vm_write 0xc0 $g/configs/c.1/bmAttributes
vm_write 500 $g/configs/c.2/MaxPower
vm_write 1 $g/os_desc/use
vm_write 0xcd $g/os_desc/b_vendor_code
vm_write MSFT100 $g/os_desc/qw_sign
ln -s $g/configs/c.1 $g/os_desc/c.1 || vm_fail "ln -s configs/c.1 os_desc/ failed"
vm_gadget_bind
vm_wait_host_device 0x1d6b 0x0104 10

cat >/tmp/want.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
device_version = 0x0100
usb_version = 0x0200
device_class = 0x00
device_subclass = 0x00
device_protocol = 0x00
max_packet_size0 = 64
language = 0x409
manufacturer = gadgetd test bed
product = g1
serial = VM0001

[config 1]
name = RNDIS
max_power = 2
self_powered = yes
remote_wakeup = no
functions = rndis.usb0

[config 2]
name = ECM+ACM+MSD
max_power = 500
self_powered = no
remote_wakeup = no
functions = ecm.usb1 acm.GS0 mass_storage.0

[function acm.GS0]

[function ecm.usb1]
dev_addr = 02:00:00:00:00:01
host_addr = 02:00:00:00:00:02
qmult = 10

[function mass_storage.0]
stall = no
lun.0.file = /tmp/lun0.img
lun.0.removable = yes
lun.0.ro = no
lun.0.cdrom = no
lun.0.nofua = no
lun.1.removable = yes
lun.1.ro = yes
lun.1.cdrom = yes
lun.1.nofua = no

[function rndis.usb0]
dev_addr = 02:00:00:00:01:01
host_addr = 02:00:00:00:01:02
qmult = 5
class = 2
subclass = 6
protocol = 0
os_desc.compatible_id = RNDIS
os_desc.sub_compatible_id = 5162001

[os_desc]
use = yes
vendor_code = 0xcd
signature = MSFT100
config = 1
INI

vm-export g1 >/tmp/got.ini 2>/tmp/export.err
rc=$?
sed 's/^/    | /' /tmp/export.err
[ $rc = 0 ] || vm_fail "vm-export g1 exited with status $rc: $(head -n 1 /tmp/export.err)"
if ! diff -u /tmp/want.ini /tmp/got.ini >/tmp/export.diff; then
	sed 's/^/    | /' /tmp/export.diff
	vm_fail "export of g1 differs from the profile that built it: $(grep '^[-+][^-+]' /tmp/export.diff | head -n 2 | tr '\n' ' ')"
fi
vm_log "ok: export of g1 is the expected profile ($(wc -l </tmp/got.ini) lines)"
vm_gadget_teardown g1
