#!/bin/sh
# `cmake --install` with DESTDIR lays out exactly SPEC section 4 for the
# build's prefix (by default /usr, what a board uses, so the configuration
# goes to /etc as GNUInstallDirs says): every file the SPEC names, nothing
# else, with the modes a board needs; the unit starts the installed
# binary, which checks the installed profiles.  Run by ctest with
# BUILD_DIR set.
set -u

cd "${SOURCE_DIR:-.}" || exit 1
. tests/cli/lib.sh
cli_begin test-install
build=${BUILD_DIR:?BUILD_DIR must name the build directory}

# The unit's type follows the build option (SPEC: Type=notify; a build
# with GADGETD_SYSTEMD=off cannot notify and says Type=exec).
unit_type=notify
grep -q '^GADGETD_SYSTEMD:[A-Z]*=off$' "$build/CMakeCache.txt" && unit_type="exec"

# layout PREFIX SYSCONFDIR: install the build, compare the file list
layout() {
	root=$tmp/root
	run 0 env DESTDIR="$root" cmake --install "$build"
	(cd "$root" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort) \
		>"$tmp/got"
	{
		echo "$1/sbin/gadgetd"
		echo "$2/gadgetd/gadgetd.conf"
		for p in profiles/*.ini; do
			echo "$2/gadgetd/profiles/${p#profiles/}"
		done
		echo "$1/lib/systemd/system/gadgetd.service"
		echo "$2/init.d/gadgetd"
		echo "$2/network/if-up.d/gadgetd"
		echo "$2/network/if-post-down.d/gadgetd"
		echo "$1/share/man/man8/gadgetd.8"
		echo "$1/share/man/man5/gadgetd.conf.5"
		echo "$1/share/man/man5/gadgetd.profile.5"
	} | sort >"$tmp/want"
	checks=$((checks + 1))
	cmp -s "$tmp/want" "$tmp/got" ||
		fail "prefix $1: installed files differ from SPEC 4: $(diff "$tmp/want" "$tmp/got" | grep '^[<>]' | tr '\n' ' ')"
	for x in "$1/sbin/gadgetd" "$2/init.d/gadgetd" \
		"$2/network/if-up.d/gadgetd" "$2/network/if-post-down.d/gadgetd"; do
		checks=$((checks + 1))
		[ -x "$root$x" ] || fail "$x is not executable"
	done
	expect_contains "$root$1/lib/systemd/system/gadgetd.service" \
		"Type=$unit_type"
	expect_contains "$root$1/lib/systemd/system/gadgetd.service" \
		"ExecStart=$1/sbin/gadgetd daemon"
	run 0 "$root$1/sbin/gadgetd" -c "$root$2/gadgetd/gadgetd.conf" \
		check "$root$2"/gadgetd/profiles/*.ini
}

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
sysconfdir=$(sed -n 's/^CMAKE_INSTALL_SYSCONFDIR:PATH=//p' "$build/CMakeCache.txt")
case "$sysconfdir" in
/*) ;;
*) if [ "$prefix" = /usr ]; then sysconfdir=/$sysconfdir; else sysconfdir=$prefix/$sysconfdir; fi ;;
esac
layout "$prefix" "$sysconfdir"
cli_end
