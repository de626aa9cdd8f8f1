# gadgetd.profile(5): files a profile names are read as regular files, non-blocking,
# with a size cap, and profiles have caps on their sections.  Root switches
# to a FIFO and to a link to /dev/zero: a one-line error each, at once, and
# the daemon keeps serving (status answers, the host keeps its gadget).  A
# 1 MiB profile of 50,053 [function acm.N] sections is refused at its
# FILE:LINE by `check` and by `switch` (it took 12.5 s of CPU before the
# caps).  Strings with control characters are refused at FILE:LINE.
# Positive control: root switches to a valid profile by path afterwards.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10
before=$(vm_configfs_listing)

# The daemon still serves and the host still has its gadget.
still_serving() {
	vm_run vm_gadgetd status
	vm_daemon_expect state configured
	vm_daemon_expect profile ecm-only
	vm_expect_eq "configfs after $1" "$before" "$(vm_configfs_listing)"
	vm_expect_eq "host device after $1" 1d6b "$(vm_host_attr idVendor)"
}
ms() { echo $(($(vm__now_cs) * 10)); }

mkfifo /tmp/f.cfg
t0=$(ms)
vm_run_fails vm_gadgetd switch /tmp/f.cfg
vm_log "figure: switch to a FIFO answered after $(($(ms) - t0)) ms"
vm_expect_eq "switch to a FIFO: exit status" 1 "$VM_RC"
vm_expect_contains "switch to a FIFO" "/tmp/f.cfg: not a regular file" "$VM_OUT"
vm_expect_eq "switch to a FIFO: lines" 1 "$(printf '%s\n' "$VM_OUT" | wc -l)"
still_serving "the FIFO"

ln -s /dev/zero /tmp/z.cfg
vm_run_fails vm_gadgetd switch /tmp/z.cfg
vm_expect_contains "switch to /dev/zero" "/tmp/z.cfg: not a regular file" "$VM_OUT"
vm_expect_eq "switch to /dev/zero: lines" 1 "$(printf '%s\n' "$VM_OUT" | wc -l)"
still_serving "/dev/zero"
vm_expect_eq "daemon still alive" 0 "$(kill -0 "$VM_DAEMON_PID"; echo $?)"

# 50,053 sections in 1 MiB.
awk 'BEGIN {
	print "[gadget]\nvendor_id = 0x1d6b\nproduct_id = 0x0104\n[config 1]\nfunctions = acm.0"
	for (i = 0; i < 50053; i++) printf "[function acm.%d]\n", i
}' >/tmp/big.ini
vm_log "big.ini: $(wc -c </tmp/big.ini) bytes, $(grep -c '^\[function' /tmp/big.ini) function sections"
t0=$(ms)
vm_run_fails vm_gadgetd check /tmp/big.ini
check_ms=$(($(ms) - t0))
vm_expect_match "check of 50,053 sections" "/tmp/big.ini:[0-9]*: *" "$VM_OUT"
vm_expect_contains "check of 50,053 sections" "at most" "$VM_OUT"
t0=$(ms)
vm_run_fails vm_gadgetd switch /tmp/big.ini
switch_ms=$(($(ms) - t0))
vm_expect_match "switch to 50,053 sections" "/tmp/big.ini:[0-9]*: *" "$VM_OUT"
vm_log "figure: 50,053 sections refused by check in $check_ms ms, by switch in $switch_ms ms (12.5 s of host CPU before the caps)"
# Generous against this guest's speed (TCG, sanitizers): the quadratic
# loader took minutes here.
[ "$switch_ms" -lt 5000 ] || vm_fail "switch to 50,053 sections took $switch_ms ms"
still_serving "the 50,053 sections"

# Control characters in strings, both formats.
printf '[gadget]\nvendor_id = 0x1d6b\nproduct_id = 0x0104\nproduct = bad\033[2Jname\n[config 1]\nfunctions = acm.0\n[function acm.0]\n' >/tmp/esc.ini
vm_run_fails vm_gadgetd switch /tmp/esc.ini
vm_expect_match "ESC in an INI string" "/tmp/esc.ini:4: *control character*" "$VM_OUT"
cat >/tmp/nl.cfg <<'CFG'
attrs = { idVendor = 0x1d6b; idProduct = 0x0104; };
strings = ( { lang = 0x409; product = "two\nlines"; } );
functions = { acm_0 = { instance = "0"; type = "acm"; }; };
configs = ( { id = 1; name = "c"; functions = ( { name = "acm.0"; function = "acm_0"; } ); } );
CFG
vm_run_fails vm_gadgetd switch /tmp/nl.cfg
vm_expect_match "newline in a libconfig string" "/tmp/nl.cfg:2: *control character*" "$VM_OUT"
still_serving "control characters"

# Positive control: a valid profile by path.
sed -n '1,/^\[function acm.0\]$/p' /tmp/big.ini >/tmp/small.ini
vm_run vm_gadgetd switch /tmp/small.ini
vm_wait_host_drivers 10 cdc_acm
vm_daemon_stop
