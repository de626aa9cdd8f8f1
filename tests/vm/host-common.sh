# Host-side helpers shared by tests/vm/build-image and tests/vm/run.
# Sourced, not run.  POSIX sh.

vm_top=$(cd "$(dirname "$0")/../.." && pwd)
vm_dir="$vm_top/tests/vm"
vm_cache=${GADGETD_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gadgetd-vm}

vm_say() { printf '%s: %s\n' "$vm_prog" "$*" >&2; }
vm_die() { vm_say "$*"; exit 1; }

# The project installs what it needs itself (scripts/deps); nothing is
# assumed to have been installed by hand.
vm_need_commands() {
	missing=""
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
	done
	[ -z "$missing" ] && return 0
	vm_say "missing:$missing; running scripts/deps"
	"$vm_top/scripts/deps" >&2 || return 1
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || return 1
	done
}

# The guest is merged-/usr like Debian, so /lib/x/y and /usr/lib/x/y are
# the same file there; store everything under usr/ to avoid the two cpio
# archives disagreeing about whether /lib is a directory or a symlink.
vm_guest_path() {
	case "$1" in
	/usr/*) printf '%s\n' "$1" ;;
	/lib/* | /lib64/* | /bin/* | /sbin/*) printf '/usr%s\n' "$1" ;;
	*) printf '%s\n' "$1" ;;
	esac
}

# Copy the shared libraries an ELF binary needs (per ldd, so the loader's
# own search order decides) into the staging root $2.  With $3, that is
# ldd's output for $1 already.
vm_copy_libs() {
	{ if [ $# -ge 3 ]; then printf '%s\n' "$3"; else ldd "$1" 2>/dev/null; fi; } |
	awk '
		$2 == "=>" && $3 ~ /^\// { print $3; next }
		$1 ~ /^\// { print $1 }' |
	while read -r lib; do
		dest="$2$(vm_guest_path "$lib")"
		[ -e "$dest" ] && continue
		mkdir -p "$(dirname "$dest")"
		cp -L "$lib" "$dest" || return 1
	done
}

# Write a newc cpio of the directory $1 to stdout, every file owned by root.
vm_cpio_of() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet)
}
