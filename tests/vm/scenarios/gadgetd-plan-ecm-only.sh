# `gadgetd plan ecm-only` is a runnable sh script: run in the guest it
# builds and binds the gadget, and the host sees exactly what configfs
# holds (IDs, strings, MACs) and pings across it.
# vm: timeout=90
. "$VM_LIB/vm.sh"

vm_need_gadgetd
profile=/etc/gadgetd/profiles/ecm-only.ini
vm_expect_file "installed ecm-only profile" $profile
vm_udc

gadgetd plan ecm-only >/tmp/plan.sh 2>/tmp/plan.err ||
	vm_fail "gadgetd plan ecm-only failed (status $?): $(head -n 1 /tmp/plan.err)"
vm_log "gadgetd plan ecm-only:"
sed 's/^/    | /' /tmp/plan.sh
CONFIGFS=$VM_CONFIGFS UDC=$VM_UDC sh /tmp/plan.sh >/tmp/plan.out 2>&1 ||
	vm_fail "the plan's sh script failed (status $?): $(tail -n 1 /tmp/plan.out)"

g=$VM_GADGETS/gadgetd
vm_expect_eq "gadgets in configfs" gadgetd "$(ls $VM_GADGETS | tr '\n' ' ' | sed 's/ $//')"
vm_expect_eq "gadget UDC" "$VM_UDC" "$(cat $g/UDC)"

# The profile's IDs, when it sets them, are what configfs got (compared as
# numbers: 0x1D6B and 0x1d6b are the same ID).
ini() { sed -n "s/^$1[[:space:]]*=[[:space:]]*\([^;[:space:]]*\).*/\1/p" $profile | head -n 1; }
vid=$(cat $g/idVendor)
pid=$(cat $g/idProduct)
[ -n "$(ini vendor_id)" ] && vm_expect_eq "configfs idVendor vs profile" \
	"$(printf '0x%04x' "$(ini vendor_id)")" "$(printf '0x%04x' "$vid")"
[ -n "$(ini product_id)" ] && vm_expect_eq "configfs idProduct vs profile" \
	"$(printf '0x%04x' "$(ini product_id)")" "$(printf '0x%04x' "$pid")"

vm_wait_host_device "$vid" "$pid" 10
for s in manufacturer product serialnumber; do
	want=$(cat $g/strings/0x409/$s 2>/dev/null)
	attr=$s
	[ $s = serialnumber ] && attr=serial
	[ -n "$want" ] && vm_host_expect_attr $attr "$want"
done
vm_host_expect_attr bNumConfigurations "$(ls -d $g/configs/*.* | wc -l)"
vm_wait_host_drivers 10 cdc_ether

ecm=$(ls -d $g/functions/ecm.* | head -n 1)
[ -n "$ecm" ] || vm_fail "the plan made no ecm.* function: $(ls $g/functions)"
vm_host_netdev
vm_gadget_netdev "$ecm"
vm_expect_eq "host MAC vs configfs host_addr" "$(cat "$ecm/host_addr")" \
	"$(cat /sys/class/net/$VM_HOST_NETDEV/address)"
vm_expect_eq "gadget MAC vs configfs dev_addr" "$(cat "$ecm/dev_addr")" \
	"$(cat /sys/class/net/$VM_GADGET_NETDEV/address)"

# `plan` touches configfs only; addresses are the daemon's job, so here
# they are set by hand to the ones SPEC gives the shipped profiles.
vm_host_netns_add $VM_HOST_NETDEV 192.168.7.1/24
vm_gadget_net_up $VM_GADGET_NETDEV 192.168.7.2/24
vm_host_wait_carrier $VM_HOST_NETDEV 5 $VM_GADGET_NETDEV
vm_host_netns_ping 192.168.7.2

vm_gadget_teardown gadgetd
vm_wait_host_gone 5
