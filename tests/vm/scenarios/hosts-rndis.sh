# The shipped rndis profile as Linux, macOS, Windows 10 and Windows 11
# enumerate it (tests/vm/hosts/README.md), one after the other in one
# boot: each cell (the functions that moved data) must be the one
# docs/hosts.md gives; scripts/host-table turns the cells into README.md's
# host table.
# vm: beds=usbip
# vm: timeout=150
# vm: keep-log
# vm: add=docs/hosts.md:/vm/hosts.md
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"
. "$VM_LIB/storage.sh"
. "$VM_LIB/serial.sh"
. "$VM_LIB/hosts.sh"

vm_need_gadgetd
vm_need_tool vm-host
vm_udc
vm_hosts_matrix rndis
