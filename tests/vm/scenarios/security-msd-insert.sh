# gadgetd.conf(5), socket_group, `msd insert`: a member of socket_group exposes to the host only
# a file it can open itself, with the access it has, checked with no window
# (the client passes the file it opened).  Judged where it lands: what the
# host reads from its disk, and the bytes of the files.  A member cannot
# put root's 0600 file in (neither with the client, nor with a raw request
# naming the path, nor through a symlink): the host reads no byte of it
# and the file is unchanged.  Positive controls: a file the member may
# only read goes in read-only (the host reads it, cannot write it); the
# member's own file goes in read-write (a host write lands in it); root
# inserts its own secret file and the host reads it, which shows the
# checks above would have seen it.  --rw never falls back to read-only,
# and --cdrom takes only a file the member may read (root's file refused,
# the member's own one seen by the host as a CD-ROM).
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
lun=$VM_GADGETS/gadgetd/functions/mass_storage.0/lun.0

# A 2 MiB medium whose block 0 starts with TAG.
medium() {
	printf '%-512s' "$2" >"$1" && truncate -s 2M "$1"
}
mkdir -p /var/lib/gadgetd /root
chmod 0700 /root
truncate -s 4M /var/lib/gadgetd/msd.img
medium /root/secret.img ROOT-SECRET-0600
chmod 0600 /root/secret.img
medium /tmp/public.img PUBLIC-READ-ONLY
chmod 0644 /tmp/public.img
vm_run vm-runas bob sh -c 'printf "%-512s" BOB-OWN-FILE >/home/bob/bob.img &&
	truncate -s 2M /home/bob/bob.img && chmod 0600 /home/bob/bob.img &&
	ln -s /root/secret.img /home/bob/link.img'
secret_sum=$(sha256sum </root/secret.img)
public_sum=$(sha256sum </tmp/public.img)

vm_daemon_start --profile ecm+msd
vm_wait_host_device 0x1d6b 0x0104 10
vm_host_block_dev 0 20
b=$VM_HOST_BLOCK

# What the host reads at block 0 now (a new medium shows after an access).
host_block0() {
	dd if=/dev/$b bs=512 count=1 iflag=direct 2>/dev/null | tr -d '\000' |
		cut -c1-32 | sed 's/ *$//'
}
host_reads() {
	VM_WAIT_SAW=$(host_block0)
	[ "$VM_WAIT_SAW" = "$1" ]
}
as_bob() { vm-runas bob gadgetd -c /tmp/gadgetd.conf "$@"; }

# 1. Root's 0600 file, three ways: refused, nothing changed.
vm_run_fails as_bob msd insert 0 /root/secret.img
vm_expect_eq "bob inserts root's file: exit status" 1 "$VM_RC"
vm_expect_eq "bob inserts root's file" \
	"msd insert: /root/secret.img: Permission denied" "$VM_OUT"
vm_run_fails vm-runas bob vm-control $sock request msd insert 0 /root/secret.img
vm_expect_eq "bob names root's file in a raw request" \
	"denied
permission denied: msd insert: a file named by path needs root; pass the opened file (the gadgetd client does) (uid 1001)" \
	"$VM_OUT"
vm_run_fails as_bob msd insert 0 /home/bob/link.img
vm_expect_eq "bob inserts a link to root's file" \
	"msd insert: /home/bob/link.img: Permission denied" "$VM_OUT"
vm_expect_eq "lun.0/file after bob's attempts" /var/lib/gadgetd/msd.img "$(cat $lun/file)"
vm_wait 10 "host reads msd.img's empty block 0" host_reads ""
vm_expect_eq "root's file after bob's attempts" "$secret_sum" "$(sha256sum </root/secret.img)"

# 2. A file bob may only read: in read-only, whatever he asked.
vm_run as_bob msd eject 0
vm_run as_bob msd insert 0 /tmp/public.img
vm_expect_eq "bob inserts a file he may only read" \
	"lun.0: /tmp/public.img (read-only: you may not write it)" "$VM_OUT"
vm_expect_eq "lun.0/ro" 1 "$(cat $lun/ro)"
vm_expect_eq "lun.0/file" /tmp/public.img "$(cat $lun/file)"
vm_wait 10 "host reads public.img" host_reads PUBLIC-READ-ONLY
vm_expect_eq "host /dev/$b ro" 1 "$(cat /sys/class/block/$b/ro)"
vm_run_fails dd if=/dev/zero of=/dev/$b bs=512 count=1 oflag=direct
vm_expect_eq "public.img after the host's write attempt" "$public_sum" "$(sha256sum </tmp/public.img)"
# --rw wants write access or nothing: no read-only fallback.
vm_run_fails as_bob msd insert 0 /tmp/public.img --rw
vm_expect_eq "bob inserts a file he may only read, --rw" \
	"msd insert: /tmp/public.img: Permission denied" "$VM_OUT"
vm_expect_eq "lun.0/ro after bob's --rw" 1 "$(cat $lun/ro)"

# 3. Bob's own file: read-write, the host's write lands in it.
vm_run as_bob msd eject 0
vm_run as_bob msd insert 0 /home/bob/bob.img
vm_expect_eq "bob inserts his own file" "lun.0: /home/bob/bob.img" "$VM_OUT"
vm_expect_eq "lun.0/ro" 0 "$(cat $lun/ro)"
vm_wait 10 "host reads bob.img" host_reads BOB-OWN-FILE
printf '%-512s' HOST-WROTE-THIS | dd of=/dev/$b bs=512 seek=1 count=1 oflag=direct 2>/dev/null ||
	vm_fail "host: cannot write block 1 of bob.img"
vm_expect_eq "block 1 of bob.img after the host's write" HOST-WROTE-THIS \
	"$(dd if=/home/bob/bob.img bs=512 skip=1 count=1 2>/dev/null | cut -c1-15)"
vm_daemon_status_json
vm_expect_contains "status luns" \
	'"luns":[{"function":"mass_storage.0","lun":0,"file":"/home/bob/bob.img","ro":false}]' "$VM_STATUS"

# 4. Root may insert any file, by the client or by path.
vm_run vm_gadgetd msd eject 0
vm_run vm_gadgetd msd insert 0 /root/secret.img --ro
vm_wait 10 "host reads root's file inserted by root" host_reads ROOT-SECRET-0600
vm_run vm_gadgetd msd eject 0
vm_run vm-control $sock request msd insert 0 /tmp/public.img
vm_expect_eq "root names a path in a raw request" \
	"ok
lun.0: /tmp/public.img" "$VM_OUT"
vm_wait 10 "host reads public.img inserted by root" host_reads PUBLIC-READ-ONLY
vm_expect_eq "root's file after root's inserts" "$secret_sum" "$(sha256sum </root/secret.img)"

# 5. A change of type goes by the same rule: bob cannot make root's file
# a CD-ROM; his own file becomes one, and the host, enumerating again,
# sees a CD-ROM (SCSI type 5) holding it.
vm_run_fails as_bob msd insert 0 /root/secret.img --cdrom
vm_expect_eq "bob inserts root's file as a cdrom" \
	"msd insert: /root/secret.img: Permission denied" "$VM_OUT"
vm_expect_eq "lun.0/cdrom after bob's attempt" 0 "$(cat $lun/cdrom)"
vm_expect_eq "lun.0/file after bob's attempt" /tmp/public.img "$(cat $lun/file)"
vm_run as_bob msd insert 0 /home/bob/bob.img --cdrom
vm_expect_eq "bob inserts his own file as a cdrom" \
	"lun.0: /home/bob/bob.img (cdrom, read-only); the host enumerates the gadget again to see it
dummy_udc.0: unbound and bound again (its soft_connect does not re-enumerate)" \
	"$VM_OUT"
vm_expect_eq "lun.0/cdrom" 1 "$(cat $lun/cdrom)"
host_lun0_type() {
	VM_WAIT_SAW=$(vm_host_scsi_attr 0 type)
	[ "$VM_WAIT_SAW" = "$1" ]
}
vm_wait 20 "host: LUN 0 is a CD-ROM (type 5) after the replug" host_lun0_type 5
vm_expect_eq "root's file at the end" "$secret_sum" "$(sha256sum </root/secret.img)"

vm_daemon_stop
