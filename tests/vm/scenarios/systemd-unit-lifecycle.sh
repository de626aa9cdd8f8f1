# The shipped gadgetd.service under Debian's systemd as PID 1, enabled as a
# package enables it: the boot starts it, it is active/running only once
# the gadget is bound (READY=1), before network-pre.target (a unit ordered
# after it finds the UDC bound and usb0), StatusText follows the state;
# `systemctl reload` applies an edited profile without a restart,
# `systemctl stop` removes the gadget (the host loses it),
# usb-gadget.target starts it, `systemctl restart` re-enumerates; the
# journal keeps gadgetd's warnings and errors at their priorities.
# vm: init=systemd
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/systemd.sh"

vm_need_gadgetd
vm_udc
u=gadgetd.service
conf=/etc/gadgetd/gadgetd.conf
profiles=/etc/gadgetd/profiles

# Enabled the way a package does it: [Install]'s wants symlinks.
vm_unit_expect $u UnitFileState enabled
vm_expect_contains "usb-gadget.target Wants" $u "$(vm_unit_prop usb-gadget.target Wants)"
vm_expect_contains "multi-user.target Wants" $u "$(vm_unit_prop multi-user.target Wants)"
vm_expect_contains "$u Before" network-pre.target "$(vm_unit_prop $u Before)"
vm_expect_contains "$u After" modprobe@libcomposite.service "$(vm_unit_prop $u After)"

# Boot: started by multi-user.target, ready only after the bind.
vm_unit_wait_running $u 60
vm_unit_expect $u Type notify
# libcomposite came from the unit's own modprobe@ (the bed does not load it).
vm_unit_expect modprobe@libcomposite.service Result success
grep -q '^libcomposite ' /proc/modules || vm_fail "libcomposite not loaded"
vm_unit_expect $u NRestarts 0
ready=$(vm_unit_mono $u ActiveEnterTimestampMonotonic)
started=$(vm_unit_mono $u ExecMainStartTimestampMonotonic)
vm_log "figure: gadgetd.service started at ${started} s, active (READY=1) at ${ready} s"
vm_expect_match "gadgetd.service StatusText once active" \
	"[bc]*: profile ecm-only, udc $VM_UDC" "$(vm_unit_prop $u StatusText)"
# The stand-in for network configuration ran after network-pre.target: the
# gadget was bound and its netdev there by then.
vm_unit_wait vm-network-probe.service ActiveState active 30
probe=$(vm_unit_mono vm-network-probe.service ExecMainStartTimestampMonotonic)
vm_log "vm-network-probe.service started at $probe s: $(tr '\n' ' ' </run/vm-network-probe)"
awk -v a="$ready" -v b="$probe" 'BEGIN { exit !(b >= a) }' ||
	vm_fail "vm-network-probe.service started at $probe s, before gadgetd.service was ready ($ready s)"
grep -qx "udc $VM_UDC" /run/vm-network-probe ||
	vm_fail "after network-pre.target: gadget not bound (probe saw: $(tr '\n' ' ' </run/vm-network-probe))"
grep -qx "netdev usb0" /run/vm-network-probe ||
	vm_fail "after network-pre.target: no usb0 (probe saw: $(tr '\n' ' ' </run/vm-network-probe))"

vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
vm_wait_host_drivers 10 cdc_ether
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
pid=$VM_MAIN_PID

# StatusText follows down and up.
vm_run gadgetd down
vm_unit_wait $u StatusText "unbound: profile ecm-only*" 5
vm_wait_host_gone 5
vm_run gadgetd up
vm_wait_host_device 0x1d6b 0x0104 10
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10

# systemctl reload (ExecReload: SIGHUP): the edited profile is applied by
# the same process; a gadget name changed in gadgetd.conf needs a restart,
# which the daemon says in a warning.
sed -i 's/^product *=.*/product = gadgetd Ethernet (reloaded)/' $profiles/ecm-only.ini
cp $conf /tmp/gadgetd.conf.orig
sed -i 's/^gadget *=.*/gadget = renamed/' $conf
host_product_is() {
	VM_WAIT_SAW=$(cat "$VM_HOST_DEV/product" 2>/dev/null)
	[ "$VM_WAIT_SAW" = "$1" ]
}
vm_run systemctl reload $u
vm_wait 10 "host: product after systemctl reload" \
	host_product_is "gadgetd Ethernet (reloaded)"
vm_log "host: reloaded profile enumerated $VM_WAITED s after systemctl reload"
vm_unit_expect $u MainPID "$pid"
vm_unit_expect $u NRestarts 0
vm_unit_expect $u ActiveState active
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
vm_expect_eq "gadgets after reload" gadgetd "$(vm_gadgets)"
cp /tmp/gadgetd.conf.orig $conf

# An error: a profile that does not validate is refused and logged.
printf '[gadget]\nvendor_id = banana\n' >$profiles/broken.ini
vm_run_fails gadgetd switch broken
vm_unit_expect $u StatusText "configured: profile ecm-only, udc $VM_UDC"

# The journal has them at their priorities: warning (4), error (3), and the
# state changes at info (6); nothing above info is anything else.
vm_journal_unit $u
printf '%s\n' "$VM_JOURNAL" | sed 's/^/    | /' | tail -n 20
vm_expect_contains "journal, warning" \
	"4 reload: gadget name gadgetd -> renamed needs a restart" "$VM_JOURNAL"
vm_expect_contains "journal, error" "3 profile broken: not applied" "$VM_JOURNAL"
vm_expect_contains "journal, info" "6 gadget gadgetd: configured (profile ecm-only" "$VM_JOURNAL"
warn=$(journalctl -b -u $u -p warning --no-pager -o cat)
vm_log "journalctl -u $u -p warning:"
printf '%s\n' "$warn" | sed 's/^/    | /'
vm_expect_contains "journalctl -p warning" "reload: gadget name gadgetd -> renamed" "$warn"
vm_expect_contains "journalctl -p warning" "profile broken: not applied" "$warn"
case "$warn" in
*"gadget gadgetd: configured"*) vm_fail "journalctl -p warning shows info messages: $warn" ;;
esac
err=$(journalctl -b -u $u -p err --no-pager -o cat)
vm_expect_contains "journalctl -p err" "profile broken: not applied" "$err"
case "$err" in
*"needs a restart"*) vm_fail "journalctl -p err shows the warning: $err" ;;
esac

# systemctl stop: SIGTERM, the gadget removed, the host sees no device.
vm_run systemctl stop $u
vm_unit_expect $u ActiveState inactive
vm_unit_expect $u Result success
vm_unit_expect $u ExecMainStatus 0
vm_expect_eq "gadgets after systemctl stop" "" "$(vm_gadgets)"
vm_wait_host_gone 5
vm_expect_no_file "control socket after stop" /run/gadgetd/gadgetd.sock

# usb-gadget.target (what udev starts when a UDC appears) wants it.
vm_run systemctl start usb-gadget.target
vm_unit_wait_running $u 20
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10
pid=$VM_MAIN_PID
devnum=$(cat "$VM_HOST_DEV/devnum")

# systemctl restart: a new process, a new gadget, a new host session.
t0=$(vm__now_cs)
vm_run systemctl restart $u
vm_log "figure: systemctl restart returned after $(vm__cs_to_s $(($(vm__now_cs) - t0))) s"
vm_unit_wait_running $u 5
vm_expect_ne "main pid after restart" "$pid" "$VM_MAIN_PID"
vm_unit_expect $u NRestarts 0
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_expect_ne "host device number after restart (re-enumerated)" "$devnum" \
	"$(cat "$VM_HOST_DEV/devnum")"
vm_unit_wait $u StatusText "configured: profile ecm-only, udc $VM_UDC" 10

# The boot's cost, as systemd counts it.
vm_wait 30 "system running (is-system-running: $(systemctl is-system-running))" \
	sh -c 'systemctl is-system-running | grep -qx running'
vm_log "figure: $(systemd-analyze | head -n 1)"
vm_log "figure: multi-user.target at $(vm_unit_mono multi-user.target ActiveEnterTimestampMonotonic) s"
