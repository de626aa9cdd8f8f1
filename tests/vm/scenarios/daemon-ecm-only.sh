# gadgetd daemon with the shipped default (ecm-only): the host enumerates
# the profile's IDs and strings and binds cdc_ether; `status --json` says
# configured with the network interface; the hooks ran with the states.
# vm: timeout=90
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_udc
vm_daemon_config
mkdir -p /tmp/hooks.d
cat >/tmp/hooks.d/50-record <<'HOOK'
#!/bin/sh
echo "$1 $GADGETD_EVENT $GADGETD_STATE $GADGETD_PROFILE $GADGETD_UDC" >>/tmp/hooks.log
HOOK
chmod 755 /tmp/hooks.d/50-record

# Before the daemon: a client has nobody to talk to.
vm_run_fails vm_gadgetd status
vm_expect_eq "client exit status without a daemon" 3 "$VM_RC"
vm_expect_contains "client message" \
	"cannot reach the daemon at /run/gadgetd/gadgetd.sock" "$VM_OUT"

start=$(vm__now_cs)
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "gadgetd Ethernet (ECM)"
vm_host_expect_attr manufacturer gadgetd
vm_host_expect_attr bcdDevice 0101
vm_wait_host_drivers 10 cdc_ether
vm_daemon_wait_state configured 5
vm_log "figure: daemon start to configured: $(vm__cs_to_s $(($(vm__now_cs) - start))) s"

vm_daemon_status_json
vm_log "status --json: $VM_STATUS"
vm_expect_eq "status profile" ecm-only "$(vm_json profile)"
vm_expect_eq "status udc" "$VM_UDC" "$(vm_json udc)"
vm_expect_eq "status udc_state" configured "$(vm_json udc_state)"
vm_expect_eq "status error" null "$(vm_json error)"
vm_expect_eq "configfs UDC" "$VM_UDC" "$(cat $VM_GADGETS/gadgetd/UDC)"
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ecm.usb0
vm_expect_contains "status functions" \
	"{\"name\":\"ecm.usb0\",\"type\":\"ecm\",\"ifname\":\"$VM_GADGET_NETDEV\"" \
	"$VM_STATUS"
vm_expect_eq "status --json is one line" 1 "$(printf '%s\n' "$VM_STATUS" | wc -l)"

vm_run vm_gadgetd status
vm_expect_contains "status text" "state:     configured" "$VM_OUT"
vm_run vm_gadgetd list
vm_expect_contains "list marks the active profile" "* ecm-only" "$VM_OUT"
vm_expect_contains "list says what a profile is for" \
	"CDC-ECM Ethernet for macOS and Linux hosts" "$VM_OUT"
vm_run vm_gadgetd list --json
vm_expect_contains "list --json" '"name":"ecm-only","path":"'"$(sed -n "s/^profile_dirs = //p" $VM_GADGETD_CONF)"'/ecm-only.ini","active":true,"valid":true,"error":null,"description":"CDC-ECM Ethernet for macOS' "$VM_OUT"

# A verb the active profile cannot serve is refused with the reason.
vm_run_fails vm_gadgetd msd eject 0
vm_expect_eq "msd eject exit status" 1 "$VM_RC"
vm_expect_eq "msd eject answer" \
	"msd eject: profile ecm-only has no mass_storage function" "$VM_OUT"
# What the ifupdown hook says is recorded and shown, not acted on.
vm_run vm_gadgetd link-event down usb0
vm_run vm_gadgetd status
vm_expect_contains "status after link-event down" "(ifupdown: down)" "$VM_OUT"
vm_run vm_gadgetd link-event up usb0
vm_run vm_gadgetd status --json
vm_expect_contains "status --json after link-event up" '"host_link":"up"' "$VM_OUT"
vm_run_fails vm_gadgetd switch
vm_expect_eq "switch without a profile: usage" 2 "$VM_RC"

# down / up: the host sees the device leave and come back.
vm_run vm_gadgetd down
vm_daemon_expect state unbound
vm_wait_host_gone 5
vm_expect_eq "configfs UDC after down" "" "$(cat $VM_GADGETS/gadgetd/UDC)"
vm_run vm_gadgetd up
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 5

vm_wait 10 "hooks saw configured" grep -q "configured ecm-only $VM_UDC" /tmp/hooks.log
vm_log "hooks.log:"
sed 's/^/    | /' /tmp/hooks.log
vm_expect_match "first hook run" "start start [bc]* ecm-only $VM_UDC" "$(head -n 1 /tmp/hooks.log)"
grep -q "^down down unbound ecm-only" /tmp/hooks.log ||
	vm_fail "no hook run for down: $(cat /tmp/hooks.log)"

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
vm_wait_host_gone 5
