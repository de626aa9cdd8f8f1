# The control socket's permissions: 0660 root:socket_group.  A user outside
# the group cannot even connect (exit 3); a member may switch.  With the
# socket opened up by mistake (0666) the daemon's own check still refuses
# `switch` to the outsider while `status` works.  1000 malformed and 200
# oversized requests each get a usage answer, silent clients are dropped,
# and the daemon keeps serving with the fds it started with.
# vm: timeout=120
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"

vm_need_gadgetd
vm_need_tool vm-runas
vm_need_tool vm-control
vm_udc
echo "gadget:x:500:bob" >>/etc/group
echo "alice:x:1000:" >>/etc/group
echo "bob:x:1001:" >>/etc/group
echo "alice:x:1000:1000:alice:/tmp:/bin/sh" >>/etc/passwd
echo "bob:x:1001:1001:bob:/tmp:/bin/sh" >>/etc/passwd
vm_daemon_config socket_group=gadget
vm_daemon_start
vm_daemon_wait_state configured 10
sock=/run/gadgetd/gadgetd.sock
vm_expect_eq "socket mode and owner" "srw-rw---- root gadget" \
	"$(ls -l $sock | awk '{print $1, $3, $4}')"

vm_run_fails vm-runas alice gadgetd -c /tmp/gadgetd.conf status
vm_expect_eq "outsider status exit status" 3 "$VM_RC"
vm_expect_contains "outsider status message" "$sock: Permission denied" "$VM_OUT"
vm_run_fails vm-runas alice gadgetd -c /tmp/gadgetd.conf switch ncm
vm_expect_eq "outsider switch exit status" 3 "$VM_RC"

vm_run vm-runas bob gadgetd -c /tmp/gadgetd.conf status --json
vm_run vm-runas bob gadgetd -c /tmp/gadgetd.conf switch ncm
vm_daemon_wait_state configured 10
vm_daemon_expect profile ncm

# The second line of defence: peer credentials.
chmod 0666 $sock
vm_run vm-runas alice gadgetd -c /tmp/gadgetd.conf status
vm_expect_contains "outsider status through an open socket" "profile:   ncm" "$VM_OUT"
vm_run_fails vm-runas alice gadgetd -c /tmp/gadgetd.conf switch ecm-only
vm_expect_eq "outsider switch exit status" 1 "$VM_RC"
vm_expect_contains "outsider switch refused" \
	"permission denied: 'switch' needs root or group gadget (uid 1000)" "$VM_OUT"
vm_run_fails vm-runas alice gadgetd -c /tmp/gadgetd.conf down
vm_daemon_expect profile ncm
vm_daemon_expect state configured

# The carrier check after "configured" holds a timerfd for 3 s.
vm_daemon_wait_link_checked 15
fds0=$(vm_daemon_fds)
vm_run vm-runas alice vm-control $sock junk 1000
vm_expect_eq "junk requests" "sent 1000 answered 1000 usage 1000 closed 0" "$VM_OUT"
vm_run vm-runas alice vm-control $sock big 200
vm_expect_eq "oversized requests" "sent 200 answered 200 usage 200 closed 0" "$VM_OUT"
vm_run vm-runas alice vm-control $sock noread 200
t0=$(vm__now_cs)
vm_run vm-runas alice vm-control $sock silent 3
vm_expect_eq "silent clients" "sent 0 answered 0 usage 0 closed 3" "$VM_OUT"
vm_log "figure: 3 silent clients dropped after $(vm__cs_to_s $(($(vm__now_cs) - t0))) s (deadline 2 s each)"
vm_run vm_gadgetd status --json
vm_expect_eq "daemon fds after the abuse" "$fds0" "$(vm_daemon_fds)"
vm_log "figure: daemon fds $fds0 before, $(vm_daemon_fds) after 1403 bad clients"
vm_daemon_expect state configured

vm_daemon_stop
vm_expect_eq "gadgets after SIGTERM" "" "$(vm_gadgets)"
vm_expect_no_file "socket removed at exit" $sock
