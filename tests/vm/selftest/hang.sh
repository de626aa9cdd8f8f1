# Self-check: a scenario that never ends is stopped at its time limit and
# reported as such, with the console log kept.
# vm: expect=FAIL timed out after 15 s without a VM-RESULT line
# vm: timeout=15
. "$VM_LIB/vm.sh"

vm_log "self-check: hanging on purpose"
sleep 1000
