# The armhf VM test bed (GADGETD_VM_ARCH=armhf): what tests/vm/build-image
# and tests/vm/run do differently from amd64.  Sourced after host-common.sh,
# only for armhf, so the amd64 test bed never reads it.  POSIX sh.
#
# Debian's armmp kernel on qemu's virt machine (Cortex-A15, TCG), the
# userland from Debian's armhf packages (apt-get download + dpkg -x: the
# amd64 busybox-static and iproute2 cannot be installed beside them), and
# gadgetd's libraries from the multiarch :armhf packages the cross build
# (scripts/cross) linked against.
# shellcheck disable=SC2034 # the variables are the sourcing script's

vm_arm_triplet=arm-linux-gnueabihf
# Its own cache directory: its own lock, images and kernel .deb, so that
# neither architecture's pruning ever removes the other's image.
vm_cache="$vm_cache/armhf"
vm_kernel_meta=linux-image-armmp:armhf
vm_kernel_arch=:armhf
vm_qemu_bin=qemu-system-arm
# The armmp kernel has no LPAE: keep virt's devices below 4 GB.  qemu makes
# the device tree for the kernel.
vm_qemu_machine="-M virt,highmem=off -cpu cortex-a15"
vm_console=ttyAMA0

# The guest's userland.  The libraries are iproute2's ip's and the
# loader's; vm_arm_copy_libs names the soname if one is missing here.
vm_arm_packages="busybox-static iproute2 libc6 libgcc-s1 libbpf1 libelf1
zlib1g libmnl0 libbsd0 libmd0 libcap2"

# Where tests/vm/run finds the libraries of the install's binaries: where
# the :armhf -dev packages put them for the cross build.
vm_arm_host_libdirs="/lib/$vm_arm_triplet /usr/lib/$vm_arm_triplet"

# Is $1 a 32-bit ARM ELF file?
vm_arm_is_elf() {
	[ -f "$1" ] || return 1
	readelf -h "$1" 2>/dev/null | grep -q 'Machine: *ARM$'
}

# vm_arm_copy_libs FILE ROOT LIBDIR...: copy into ROOT (as the guest's
# /usr/lib/TRIPLET/SONAME) the loader and the shared libraries FILE needs,
# recursively, from the first LIBDIR that has each.  ldd cannot run an ARM
# binary here, so readelf reads what it needs.
vm_arm_copy_libs() {
	_todo=$1 _root=$2
	shift 2
	_dirs=$*
	while [ -n "$_todo" ]; do
		_next=""
		for _f in $_todo; do
			_interp=$(readelf -lW "$_f" |
				sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
			_sos=$(readelf -dW "$_f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
			for _so in ${_interp:+"$_interp"} $_sos; do
				case "$_so" in
				/*) _dest="$_root$(vm_guest_path "$_so")" ;;
				*) _dest="$_root/usr/lib/$vm_arm_triplet/$_so" ;;
				esac
				[ -e "$_dest" ] && continue
				# libc names the loader it was just copied with.
				[ "$_so" = "${_interp##*/}" ] && continue
				_src=""
				for _d in $_dirs; do
					[ -e "$_d/${_so##*/}" ] && { _src="$_d/${_so##*/}"; break; }
				done
				if [ -z "$_src" ]; then
					vm_say "$_f needs $_so, in none of: $_dirs"
					return 1
				fi
				mkdir -p "$(dirname "$_dest")"
				cp -L "$_src" "$_dest" || return 1
				_next="$_next $_dest"
			done
		done
		_todo=$_next
	done
}
