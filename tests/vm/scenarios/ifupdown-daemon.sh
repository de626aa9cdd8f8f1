# ifupdown = auto through the daemon (issue 5, scenario 3 with ifupdown):
# /etc/network/interfaces has a stanza for usb0, so after bind the daemon
# runs `ifup usb0` (not rtnetlink) and the host in its namespace gets
# carrier and pings the stanza's address.  An admin's `ifdown usb0` drops
# the host's carrier and the installed if-post-down.d hook tells the daemon
# (host_link down); `ifup usb0` brings carrier back (host_link up).
# `gadgetd down` runs `ifdown -f usb0` before unbind, so ifupdown forgets
# usb0 and the `ifup` after `gadgetd up` configures the link again.
# The host can miss f_ecm's NetworkConnection (docs/networking.md): when
# the daemon's link check finds no traffic it re-asserts an ifupdown link
# with ifdown + ifup, counted here by a hook of the scenario's own.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/host.sh"
. "$VM_LIB/net.sh"

vm_need_gadgetd
vm_expect_file "installed if-up.d hook" /etc/network/if-up.d/gadgetd
mkdir -p /etc/network/if-pre-up.d /etc/network/if-up.d \
	/etc/network/if-down.d /etc/network/if-post-down.d
# The stanza's address differs from the profile's 192.168.7.2: the host
# must reach the one ifup set.
cat >/etc/network/interfaces <<'CONF'
auto lo
iface lo inet loopback

iface usb0 inet static
	address 192.168.7.20
	netmask 255.255.255.0
CONF
ifstate() { cat /var/run/ifstate /run/ifstate 2>/dev/null | tr '\n' ' '; }
host_link() { vm_gadgetd status --json | sed -n 's/.*"host_link":"\([a-z]*\)".*/\1/p'; }
no_carrier() { ! vm__host_carrier "$VM_HOST_NETDEV"; }
host_link_is() { [ "$(host_link)" = "$1" ]; }
usb0_forgotten() { ! ifstate | grep -q usb0; }
cat >/etc/network/if-up.d/zz-count <<'HOOK'
#!/bin/sh
[ "$IFACE" = usb0 ] && echo up >>/tmp/ifup-usb0.log
exit 0
HOOK
chmod +x /etc/network/if-up.d/zz-count
ifups() { cat /tmp/ifup-usb0.log 2>/dev/null | wc -l; }
ifups_are() { [ "$(ifups)" -eq "$1" ]; }
ifups_over() { [ "$(ifups)" -gt "$1" ]; }
# settle BEFORE: wait for the link check of this host session to end
# (link_check final: at least 1 s after the last re-assert); after
# re-asserts, for their ifups (more than BEFORE) and the hook's host_link
# up, so that the carrier and ping below see the link as it stays.
settle() {
	vm_daemon_wait_link_checked 15
	if [ "$(vm_json link_check)" = reasserted ]; then
		vm_wait 5 "ifup of usb0 by the re-assert (seen $(ifups), before $1)" \
			ifups_over "$1"
		vm_wait 5 "status host_link up after the re-assert" host_link_is up
		vm_log "re-asserted: $(($(ifups) - $1)) ifup(s) of usb0"
	else
		vm_expect_eq "ifups of usb0, link left alone" "$1" "$(ifups)"
	fi
}

vm_udc
vm_daemon_config
vm_daemon_start
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_daemon_wait_state configured 10
vm_gadget_netdev $VM_GADGETS/gadgetd/functions/ecm.usb0
vm_expect_eq "gadget netdev" usb0 "$VM_GADGET_NETDEV"
vm_wait 10 "ifup usb0 by the daemon (ifstate: $(ifstate))" \
	sh -c '"$0" -4 -o addr show dev usb0 | grep -q "inet 192.168.7.20/24"' "$VM_IP"
vm_run "$VM_IP" -4 -o addr show dev usb0
vm_expect_eq "profile address left to ifupdown" "" \
	"$(printf '%s' "$VM_OUT" | grep '192.168.7.2/')"
vm_wait 5 "status host_link up from the if-up.d hook" host_link_is up

vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
settle 1
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.20

vm_run ifdown usb0
vm_wait 5 "host: $VM_HOST_NETDEV loses carrier after ifdown usb0" no_carrier
vm_log "host: carrier gone $VM_WAITED s after ifdown"
vm_wait 5 "status host_link down from the if-post-down.d hook (saw '$(host_link)')" \
	host_link_is down
vm_run ifup usb0
vm_host_wait_carrier "$VM_HOST_NETDEV" 5
vm_host_netns_ping 192.168.7.20
vm_wait 5 "status host_link up again" host_link_is up

vm_run vm_gadgetd down
vm_wait_host_gone 5
vm_wait 10 "ifdown -f usb0 by the daemon (ifstate: $(ifstate))" \
	usb0_forgotten
vm_run "$VM_IP" netns del "$VM_NETNS"
up_before=$(ifups)
vm_run vm_gadgetd up
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ether
vm_wait 10 "ifup of usb0 after gadgetd up" ifups_are $((up_before + 1))
vm_host_netdev 5
vm_host_netns_add "$VM_HOST_NETDEV" 192.168.7.1/24
settle $((up_before + 1))
vm_host_wait_carrier "$VM_HOST_NETDEV" 10
vm_host_netns_ping 192.168.7.20
vm_daemon_stop
vm_wait 10 "ifdown -f usb0 at daemon exit (ifstate: $(ifstate))" \
	usb0_forgotten
