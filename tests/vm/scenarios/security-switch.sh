# gadgetd.conf(5), socket_group, `switch`: a member of socket_group names profiles from
# profile_dirs only.  A profile path is refused (bob's own profile whose
# report_desc_file is root's secret: the gadget is not touched, configfs
# never gets a hid function; a link to a root-only profile: no byte of it
# in the answer), and a bare name is looked up in profile_dirs, never in a
# current directory: the daemon works in "/".  Positive controls: bob
# switches to a shipped profile by name and the host drives it; root
# switches to a path, absolute or relative to its own directory, and the
# host sees that profile's product string.
# vm: timeout=150
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-runas
vm_need_tool vm-control
vm_udc
vm_daemon_users
vm_daemon_config socket_group=gadget
sock=/run/gadgetd/gadgetd.sock

mkdir -p /root /tmp/start
chmod 0700 /root
printf 'ROOT-SECRET-REPORT-DESCRIPTOR' >/root/secret.desc
chmod 0600 /root/secret.desc
cat >/root/rootonly.ini <<'INI'
[profile]
description = root only
secretkey_do_not_show = 1
INI
chmod 0600 /root/rootonly.ini
# Bob's own profile, as he would write it to read root's file through
# configfs' world-readable report_desc.
vm_run vm-runas bob sh -c 'cat >/home/bob/evil.ini <<INI
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = evil
[config 1]
functions = hid.x
[function hid.x]
protocol = 1
subclass = 1
report_length = 8
report_desc_file = /root/secret.desc
INI
ln -s /root/rootonly.ini /home/bob/w.ini'
# A root profile outside profile_dirs, and a trap in the daemon's start
# directory: a bare name must never load it.
cat >/tmp/start/root-path.ini <<'INI'
[gadget]
vendor_id = 0x1d6b
product_id = 0x0104
product = switched by path
[config 1]
functions = acm.GS0
[function acm.GS0]
INI
cp /tmp/start/root-path.ini /tmp/start/ncm.ini
sed -i 's/switched by path/trap in the daemon cwd/' /tmp/start/ncm.ini

cd /tmp/start
vm_daemon_start
cd /
vm_wait_host_device 0x1d6b 0x0104 10
vm_daemon_wait_state configured 10
vm_expect_eq "daemon's working directory" / "$(readlink /proc/$VM_DAEMON_PID/cwd)"
before=$(vm_configfs_listing)
as_bob() { vm-runas bob gadgetd -c /tmp/gadgetd.conf "$@"; }

vm_run_fails as_bob switch /home/bob/evil.ini
vm_expect_eq "bob switches to a path: exit status" 1 "$VM_RC"
vm_expect_eq "bob switches to a path" \
	"permission denied: switch: a profile path needs root; name a profile from profile_dirs (uid 1001)" \
	"$VM_OUT"
vm_run_fails sh -c "cd /home/bob && vm-runas bob gadgetd -c /tmp/gadgetd.conf switch ./evil.ini"
vm_expect_contains "bob switches to a relative path" "a profile path needs root" "$VM_OUT"
vm_run_fails as_bob switch /home/bob/w.ini
vm_expect_eq "bob switches to a link to a root-only profile" \
	"permission denied: switch: a profile path needs root; name a profile from profile_dirs (uid 1001)" \
	"$VM_OUT"
# A raw request with a relative path: refused the same way, not resolved
# against the daemon's directory.
vm_run_fails vm-runas bob vm-control $sock request switch evil.ini/../evil.ini
vm_expect_contains "bob's raw relative path" "a profile path needs root" "$VM_OUT"
# Bare names: profile_dirs only, never the client's or the daemon's
# directory.
vm_run_fails sh -c "cd /home/bob && vm-runas bob gadgetd -c /tmp/gadgetd.conf switch evil.ini"
vm_expect_contains "bob's bare evil.ini" "evil.ini: no such profile in" "$VM_OUT"
vm_expect_eq "configfs after bob's attempts" "$before" "$(vm_configfs_listing)"
vm_expect_eq "hid functions in configfs" "" \
	"$(ls -d $VM_GADGETS/*/functions/hid.* 2>/dev/null)"
vm_daemon_expect profile ecm-only

# Positive: bob by name; the daemon finds the shipped ncm, not the trap in
# the directory it was started from.
vm_run as_bob switch ncm
vm_wait_host_device 0x1d6b 0x0104 10
vm_wait_host_drivers 10 cdc_ncm
vm_host_expect_attr product "gadgetd Ethernet (NCM)"

# Positive: root by path, absolute and relative to root's own directory.
vm_run vm_gadgetd switch /tmp/start/root-path.ini
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "switched by path"
vm_wait_host_drivers 10 cdc_acm
vm_run vm_gadgetd switch ecm-only
vm_wait_host_device 0x1d6b 0x0104 10
vm_run sh -c "cd /tmp/start && gadgetd $VM_GADGETD_GLOBAL switch ./root-path.ini"
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_expect_attr product "switched by path"
vm_daemon_status_json
vm_expect_contains "status profile path" '"profile":"root-path"' "$VM_STATUS"

vm_daemon_stop
