# What busybox's ifup (1.35, as on many small boards) does not accept,
# though Debian's ifupdown does: an `allow-hotplug` line anywhere makes it
# reject the whole file, and `source-directory` with a relative path is
# resolved against the current directory, not the file's.  gadgetd's
# ifupdown = auto has to live with both; if busybox changes, this fails.
# vm: timeout=60
. "$VM_LIB/vm.sh"

mkdir -p /etc/network/interfaces.d /etc/network/if-pre-up.d \
	/etc/network/if-up.d /etc/network/if-down.d /etc/network/if-post-down.d
vm_run "$VM_IP" link add vmdummy type dummy

printf 'allow-hotplug vmdummy\niface vmdummy inet static\n\taddress 10.9.0.1\n\tnetmask 255.255.255.0\n' \
	>/etc/network/interfaces
vm_run_fails ifup vmdummy
vm_expect_contains "busybox ifup with allow-hotplug" 'misplaced option "allow-hotplug"' "$VM_OUT"

printf 'auto vmdummy\niface vmdummy inet static\n\taddress 10.9.0.1\n\tnetmask 255.255.255.0\n' \
	>/etc/network/interfaces.d/vmdummy
printf 'source-directory interfaces.d\n' >/etc/network/interfaces
cd /
vm_run_fails ifup vmdummy
vm_expect_contains "busybox ifup, relative source-directory, cwd /" "can't open 'interfaces.d'" "$VM_OUT"
cd /etc/network
vm_run ifup vmdummy
vm_log "ok: from /etc/network the same file works"
vm_run ifdown vmdummy
