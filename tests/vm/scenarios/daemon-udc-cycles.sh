# The UDC goes away and comes back (rmmod / modprobe dummy_hcd): gadgetd
# goes to waiting-udc and back to configured without any command.  Once
# with ecm-only, then 20 times with an ACM profile: Debian's 6.1 cannot
# bind a network function under a UDC that came back twice
# (kernel-ecm-udc-twice).  Over the 20 cycles the daemon's open fds and
# RSS end where they started.  Prints the figures and the time from
# modprobe to configured.  A sanitized build's RSS grows by design (ASan's
# allocator keeps its pages and records every allocation's stack), so there
# LeakSanitizer at exit is the leak check: the daemon must exit 0.
# vm: timeout=240
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
vm_daemon_start_fg
sanitized=no
grep -q libasan "/proc/$VM_DAEMON_PID/maps" && sanitized=yes
vm_log "gadgetd sanitized: $sanitized"
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 5

# cycle EXPECTED_DRIVER: UDC away and back; CYCLE_CS: modprobe to configured.
cycle() {
	local t0 t1
	rmmod dummy_hcd || vm_fail "rmmod dummy_hcd failed"
	vm_daemon_wait_state waiting-udc 5
	t0=$(vm__now_cs)
	modprobe dummy_hcd || vm_fail "modprobe dummy_hcd failed"
	vm_daemon_wait_state configured 10
	t1=$(vm__now_cs)
	CYCLE_CS=$((t1 - t0))
	vm_wait_host_drivers 10 "$1"
}

cycle cdc_ether
vm_log "figure: ecm-only: modprobe dummy_hcd to configured: $(vm__cs_to_s $CYCLE_CS) s"
vm_daemon_status_json
vm_expect_eq "status udc after the UDC came back" "$VM_UDC" "$(vm_json udc)"
vm_expect_eq "status error after the UDC came back" null "$(vm_json error)"

cat >/tmp/acm.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = gadgetd Serial
[config 1]
functions = acm.GS0
[function acm.GS0]
INI
vm_run vm_gadgetd switch /tmp/acm.ini
vm_daemon_wait_state configured 10
vm_wait_host_drivers 10 cdc_acm

# Two warm-up cycles: the first ones allocate what stays (libusbgx's
# refreshed UDC list, stdio buffers).
cycle cdc_acm
cycle cdc_acm
fds0=$(vm_daemon_fds)
rss0=$(vm_daemon_rss)
vm_log "figure: before 20 cycles: fds $fds0, VmRSS $rss0 kB"
total=0
max=0
i=0
while [ $i -lt 20 ]; do
	cycle cdc_acm
	total=$((total + CYCLE_CS))
	[ $CYCLE_CS -gt $max ] && max=$CYCLE_CS
	i=$((i + 1))
done
fds1=$(vm_daemon_fds)
rss1=$(vm_daemon_rss)
vm_log "figure: after 20 cycles: fds $fds1, VmRSS $rss1 kB"
vm_log "figure: modprobe dummy_hcd to configured: mean $(vm__cs_to_s $((total / 20))) s, max $(vm__cs_to_s $max) s (status polled every 0.05 s)"
vm_expect_eq "open fds after 20 cycles" "$fds0" "$fds1"
if [ $sanitized = no ]; then
	vm_expect_eq "VmRSS (kB) after 20 cycles" "$rss0" "$rss1"
else
	vm_log "sanitized build: VmRSS $rss0 -> $rss1 kB is ASan's; LeakSanitizer decides at exit"
fi

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Serial"
vm_wait_path /dev/ttyACM0 5
vm_serial_echo /dev/ttyACM0 /dev/ttyGS0
vm_daemon_expect udc "$VM_UDC"
vm_expect_eq "gadgets" gadgetd "$(vm_gadgets)"
kill -TERM "$VM_DAEMON_PID"
wait "$VM_DAEMON_PID"
vm_expect_eq "exit status after SIGTERM (LeakSanitizer clean)" 0 "$?"
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
