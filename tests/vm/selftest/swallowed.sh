# Self-check: a vm_fail inside a command substitution only ends that
# subshell; the scenario carries on and exits 0, yet the run must FAIL.
# vm: expect=FAIL vm_host_attr idVendor: call vm_wait_host_device first
# vm: timeout=60
. "$VM_LIB/vm.sh"

vendor=$(vm_host_attr idVendor)
vm_log "self-check: carried on with vendor '$vendor'"
exit 0
