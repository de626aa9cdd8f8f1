# The bench, run inside the VM test bed by scripts/bench (as a scenario
# of tests/vm/run).  Prints one "BENCH KEY METHOD VALUE" line per sample;
# scripts/bench turns them into medians.  BENCH_RUNS and BENCH_IDLE (the
# idle time watched, seconds) are set by scripts/bench above this file.  Every step checks what it
# measured (the host bound the gadget, the three methods built the same
# tree), so a broken method fails the run instead of giving a figure.
# vm: timeout=1500
# vm: needs=strace
. "$VM_LIB/vm.sh"
. "$VM_LIB/daemon.sh"
. "$VM_LIB/plan.sh"

: "${BENCH_RUNS:=10}"
: "${BENCH_IDLE:=60}"
: "${BENCH_ASLR:=0}"
BENCH_PIDFILE=/run/gadgetd-bench.pid
BENCH_A=1d6b:0104
BENCH_B=1d6b:0105
BENCH_C=1d6b:0106

vm_need_gadgetd
vm_udc
command -v benchtime >/dev/null && command -v floor >/dev/null ||
	vm_fail "benchtime and floor are not in the image (scripts/bench adds them)"
vm_daemon_config
cp /vm/bench/bench.ini /vm/bench/bench-b.ini /vm/bench/bench-c.ini \
	/etc/gadgetd/profiles/ ||
	vm_fail "cannot install the bench profiles"
dd if=/dev/zero of=/tmp/bench-msd.img bs=1M count=1 2>/dev/null
# qemu's TCG keys its translated code on the virtual address: with address
# space randomisation every exec translates every code block it runs
# again (measured: gadgetd --version 38 ms with it, 11 ms without; the
# floor's 26 and 5), a cost real hardware never pays and that grows with
# the amount of code, not with the work done.  Off unless --aslr.
if [ "$BENCH_ASLR" = 0 ]; then
	echo 0 >/proc/sys/kernel/randomize_va_space ||
		vm_fail "cannot turn address space randomisation off"
fi
printf 'BENCH aslr guest %s\n' "$BENCH_ASLR"
# A board has /etc/ld.so.cache; without one the loader tries every library
# directory for each library (14 failed opens for gadgetd's 12), which a
# program with more libraries pays more for.  scripts/bench adds ldconfig.
if command -v ldconfig >/dev/null; then
	ldconfig || vm_fail "ldconfig failed"
	vm_log "ld.so.cache: $(ldconfig -p | head -n 1)"
fi

bench_out() {
	printf 'BENCH %s %s %s\n' "$1" "$2" "$3"
}

# bench_field NAME "cmd=1.2 ready=3.4": the value of NAME.
bench_field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

bench_no_host_device() {
	! ls /sys/bus/usb/devices/1-1 >/dev/null 2>&1
}

bench_host_gone() {
	vm_wait 15 "the host losing the gadget" bench_no_host_device
}

bench_gadget_gone() {
	vm_wait 15 "configfs without gadgets" test -z "$(ls $VM_GADGETS)"
}

# bench_time OUTVAR CMD...: benchtime's line into OUTVAR; fails the run
# when the command or the wait failed.
bench_time() {
	local var=$1 out
	shift
	BENCHTIME_LOG=/tmp/bench-commands.log benchtime "$@" \
		>/tmp/bench.out 2>/tmp/bench.err ||
		vm_fail "benchtime $*: $(cat /tmp/bench.err) $(cat /tmp/bench.out) $(tail -n 3 /tmp/bench-commands.log)"
	out=$(cat /tmp/bench.out)
	eval "$var=\$out"
}

bench_daemon_pid() {
	BENCH_DAEMON_PID=$(cat $BENCH_PIDFILE 2>/dev/null)
	[ -n "$BENCH_DAEMON_PID" ] || vm_fail "gadgetd: no pid in $BENCH_PIDFILE"
}

# ---- apply, host ready, teardown: gadgetd, sh, floor ----

# T: cmd= (the command returned), bound= (the UDC runs the gadget: the
# UDC write returned), ready= (the host bound every interface).
bench_up() {
	case "$1" in
	gadgetd)
		bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_A \
			--deadline 30 gadgetd $VM_GADGETD_GLOBAL daemon \
			--background --pidfile $BENCH_PIDFILE --profile bench ;;
	sh) bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_A \
		--deadline 30 sh /vm/bench/gadget-up.sh "$VM_UDC" ;;
	floor) bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_A \
		--deadline 30 floor up a "$VM_UDC" ;;
	esac
}

bench_down() {
	case "$1" in
	gadgetd)
		bench_daemon_pid
		bench_time T term "$BENCH_DAEMON_PID" --deadline 30 ;;
	sh) bench_time T run sh /vm/bench/gadget-down.sh ;;
	floor) bench_time T run floor down ;;
	esac
	bench_gadget_gone
	bench_host_gone
}

# First round, not counted: function modules load at the first mkdir, the
# host's drivers see the device once.  Each method's tree is kept to
# compare.
for m in gadgetd sh floor; do
	bench_up $m
	vm_log "warm-up $m: $T"
	vm_plan_dump $VM_GADGETS/gadgetd >/tmp/tree-$m
	bench_down $m
done
for m in sh floor; do
	diff /tmp/tree-gadgetd /tmp/tree-$m >/tmp/tree-diff ||
		{ sed 's/^/    | /' /tmp/tree-diff; false; } ||
		vm_fail "gadgetd and $m built different trees: $(head -n 6 /tmp/tree-diff | tr '\n' ' ')"
done
vm_log "ok: gadgetd, sh and floor build the same tree ($(wc -l </tmp/tree-floor) entries)"

# BENCH_TRACE=1 (scripts/bench --trace): one apply of gadgetd under
# strace -f -r on the console, to see where its time goes; nothing else.
if [ "${BENCH_TRACE:-0}" = 1 ]; then
	# strace follows the daemon, so it returns when the daemon exits.
	rm -f $BENCH_PIDFILE
	strace -f -r -o /tmp/trace gadgetd $VM_GADGETD_GLOBAL daemon --background \
		--pidfile $BENCH_PIDFILE --profile bench 2>>/tmp/bench-commands.log &
	bench_time T run --ready $BENCH_A --deadline 30 true
	bench_down gadgetd
	wait
	sed 's/^/TRACE /' /tmp/trace
	exit 0
fi

# Loading the binary and its libraries, no configfs work.
i=0
while [ $i -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	bench_time T run gadgetd --version
	bench_out startup gadgetd "$(bench_field cmd "$T")"
	bench_time T run floor --version
	bench_out startup floor "$(bench_field cmd "$T")"
done

i=0
while [ $i -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	for m in gadgetd sh floor; do
		bench_up $m
		bench_out apply $m "$(bench_field bound "$T")"
		bench_out apply-cmd $m "$(bench_field cmd "$T")"
		bench_out ready $m "$(bench_field ready "$T")"
		bench_down $m
		bench_out teardown $m "$(bench_field cmd "$T")"
	done
done

# ---- switch: gadgetd switch against floor down + floor up ----

bench_up gadgetd
i=0
while [ $i -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_B \
		--deadline 30 gadgetd $VM_GADGETD_GLOBAL switch bench-b
	bench_out switch gadgetd "$(bench_field ready "$T")"
	bench_out switch-cmd gadgetd "$(bench_field cmd "$T")"
	bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_A \
		--deadline 30 gadgetd $VM_GADGETD_GLOBAL switch bench
	bench_out switch gadgetd "$(bench_field ready "$T")"
	bench_out switch-cmd gadgetd "$(bench_field cmd "$T")"
done
bench_down gadgetd

bench_up floor
i=0
while [ $i -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_B \
		--deadline 30 floor switch b "$VM_UDC"
	bench_out switch floor "$(bench_field ready "$T")"
	bench_out switch-cmd floor "$(bench_field cmd "$T")"
	bench_time T run --bound "$VM_UDC" gadgetd --ready $BENCH_A \
		--deadline 30 floor switch a "$VM_UDC"
	bench_out switch floor "$(bench_field ready "$T")"
	bench_out switch-cmd floor "$(bench_field cmd "$T")"
done
bench_down floor

# ---- reaction: modprobe dummy_hcd until the gadget runs on the UDC ----
# gadgetd: the daemon started without a UDC waits for one.  floor: the
# gadget built, `floor bind-when` waiting on uevents to write the UDC
# attribute as soon as the kernel takes it.  Gadget C (no ECM: Debian's
# 6.1 cannot bind ECM again after a few UDC cycles, docs/daemon.md).  The
# kernel's own bind of a gadget left pending fails here too
# ("failed to start gadgetd: -2"), so it is no floor.

bench_udc_gone() {
	rmmod dummy_hcd || vm_fail "rmmod dummy_hcd failed"
	vm_wait 10 "dummy_udc.0 gone" test ! -e "/sys/class/udc/$VM_UDC"
}

bench_reaction() {
	bench_time T reaction "$VM_UDC" gadgetd --deadline 30 modprobe dummy_hcd
	bench_out reaction-udc $1 "$(bench_field udc "$T")"
	bench_out reaction $1 "$(bench_field bound "$T")"
	bench_out reaction-after-udc $1 "$(awk -v a="$(bench_field udc "$T")" \
		-v b="$(bench_field bound "$T")" 'BEGIN { printf "%.3f", b - a }')"
	bench_time T run --ready $BENCH_C --deadline 30 true
}

i=0
while [ $i -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	bench_udc_gone
	gadgetd $VM_GADGETD_GLOBAL daemon --background \
		--pidfile $BENCH_PIDFILE --profile bench-c 2>>/tmp/bench-commands.log ||
		vm_fail "gadgetd daemon without a UDC did not start"
	bench_reaction gadgetd
	bench_down gadgetd

	bench_udc_gone
	floor build c || vm_fail "floor build failed"
	rm -f /tmp/floor.ready
	floor bind-when "$VM_UDC" >/tmp/floor.ready &
	floor_pid=$!
	vm_wait 10 "floor bind-when listening" test -s /tmp/floor.ready
	bench_reaction floor
	wait $floor_pid || vm_fail "floor bind-when failed"
	bench_down floor
done

# ---- syscalls: gadgetd's up + down against the floor's ----

bench_syscalls() {
	# strace -c's last line: % time, seconds, usecs/call, calls, [errors,] total
	awk '$NF == "total" { print $4 }' "$1"
}

if command -v strace >/dev/null; then
	strace -c -f -o /tmp/strace-gadgetd gadgetd $VM_GADGETD_GLOBAL daemon \
		--pidfile $BENCH_PIDFILE --profile bench 2>>/tmp/bench-commands.log &
	bench_time T run --ready $BENCH_A --deadline 60 true
	bench_down gadgetd
	wait
	strace -c -f -o /tmp/strace-floor sh -c "floor up a $VM_UDC && floor down"
	bench_gadget_gone
	bench_host_gone
	for m in gadgetd floor; do
		vm_log "strace -c, $m (up and down):"
		sed 's/^/    | /' /tmp/strace-$m
		bench_out syscalls $m "$(bench_syscalls /tmp/strace-$m)"
	done
else
	vm_log "no strace in the image: syscalls not counted"
fi

# ---- idle: wakeups, RSS ----

bench_ctxt() {
	awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 } END { print n }' \
		"/proc/$BENCH_DAEMON_PID/status"
}

bench_up gadgetd
bench_daemon_pid
# Let the host finish with the new device before counting.
sleep 5
before=$(bench_ctxt)
sleep "$BENCH_IDLE"
after=$(bench_ctxt)
bench_out idle-wakeups gadgetd $((after - before))
bench_out idle-seconds gadgetd "$BENCH_IDLE"
# smaps_rollup walks the page tables; status's VmRSS comes from counters
# that 6.1 updates lazily (it read 128 kB once).  Rss counts the pages of
# the binary and its libraries too, which in this VM live in the initramfs
# (tmpfs: Pss_Shmem, and dirty); Anonymous is the daemon's own memory.
bench_smaps() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/$BENCH_DAEMON_PID/smaps_rollup
}
sed 's/^/    | /' /proc/$BENCH_DAEMON_PID/smaps_rollup
bench_out rss-kib gadgetd "$(bench_smaps Rss)"
bench_out pss-kib gadgetd "$(bench_smaps Pss)"
bench_out anon-kib gadgetd "$(bench_smaps Anonymous)"
bench_out shmem-kib gadgetd "$(bench_smaps Pss_Shmem)"
bench_out binary-bytes guest "$(wc -c </usr/sbin/gadgetd)"
bench_down gadgetd
vm_log "bench done: $BENCH_RUNS runs"
