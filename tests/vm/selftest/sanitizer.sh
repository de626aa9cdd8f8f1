# Self-check: a sanitizer's report (here UBSan's line, as a sanitized
# gadgetd or tool prints it before it aborts) fails the run even though
# the scenario itself passes.
# vm: expect=FAIL a sanitizer reported: src/example.c:1:2: runtime error: member access within null pointer
# vm: timeout=60
. "$VM_LIB/vm.sh"

echo "src/example.c:1:2: runtime error: member access within null pointer of type 'struct example'" >&2
vm_log "self-check: carried on after the report"
exit 0
