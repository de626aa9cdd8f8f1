# The VM scenario helper library.  A scenario starts with
#	. "$VM_LIB/vm.sh"
# and runs under busybox ash, as root, in the guest.  The API is described
# in tests/vm/README.md; keep the two in step, other scenarios depend on it.
#
# Conventions: every helper that fails calls vm_fail with what it expected
# and what it saw; deadlines are seconds (decimals allowed) and helpers poll
# with a short sleep until then; helpers that find something set a VM_*
# variable rather than print it, so that no failure hides in a subshell.

VM_LIB=${VM_LIB:-/vm/lib}
# busybox ash runs its own `ip` applet (no netns) before PATH: use this.
VM_IP=/usr/bin/ip
VM_CONFIGFS=/sys/kernel/config
VM_GADGETS=$VM_CONFIGFS/usb_gadget
VM_NETNS=host

. "$VM_LIB/core.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/gadget.sh"
. "$VM_LIB/net.sh"
. "$VM_LIB/storage.sh"
. "$VM_LIB/serial.sh"
. "$VM_LIB/bed.sh"
