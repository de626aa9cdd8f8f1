# The host matrix for one shipped profile: the profile as Linux, macOS,
# Windows 10 and Windows 11 enumerate it (tests/vm/hosts/README.md), one
# after the other in one boot: each cell (the functions that moved data)
# must be the one docs/hosts.md gives; scripts/host-table turns the cells
# into README.md's host table.  One scenario, hosts-NAME, for every
# profiles/*.ini ('+' in the profile's name becomes '-': hosts-acm-ecm is
# acm+ecm): tests/vm/run and tests/vm/CMakeLists.txt make them, and put
# the profile's name into VM_HOSTS_PROFILE.  A profile's fallbacks are
# not reached when the host takes up its network function at once
# (auto-net's whole walk: hosts-auto-net-walk, net-auto-net-rndis).
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

[ -n "${VM_HOSTS_PROFILE-}" ] ||
	vm_fail "no VM_HOSTS_PROFILE: run this as hosts-PROFILE (tests/vm/run hosts-ncm)"
vm_need_gadgetd
vm_need_tool vm-host
vm_udc
vm_hosts_matrix "$VM_HOSTS_PROFILE"
