SUMMARY = "USB gadget daemon: configfs gadgets from declarative profiles"
DESCRIPTION = "gadgetd builds one configfs USB gadget with libusbgx from an \
INI or libconfig profile, keeps it bound to the UDC across UDC hotplug and \
switches profiles on request. It needs neither udev nor systemd."
SECTION = "connectivity"
LICENSE = "MIT"
# No LICENSE file in the tree yet: the SPDX line every source file starts with.
LIC_FILES_CHKSUM = "file://src/main.c;beginline=1;endline=1;md5=234d7d4edd08962c0144e4604050e0b6"

# This layer lives in the gadgetd source tree (contrib/yocto): build that
# tree.  A product layer would rather fetch a fixed commit:
#   SRC_URI = "git://<server>/gadgetd.git;protocol=https;branch=main"
#   SRCREV = "<commit>"
#   S = "${WORKDIR}/git"
# and drop the two lines below.
inherit externalsrc
EXTERNALSRC ?= "${@os.path.abspath(os.path.join(d.getVar('THISDIR'), '..', '..', '..', '..'))}"

inherit cmake pkgconfig systemd update-rc.d

# libconfig is not optional yet: CMakeLists.txt requires it (profiles in
# libusbgx's gadget-scheme format).  Once it has an option, this becomes
#   PACKAGECONFIG[libconfig] = "-DGADGETD_LIBCONFIG=on,-DGADGETD_LIBCONFIG=off,libconfig"
DEPENDS = "libusbgx libinih libconfig"

# systemd: sd_notify support (the unit is Type=notify with WatchdogSec),
# gadgetd's own code, so no DEPENDS on systemd.  Without it the unit is
# Type=exec.
PACKAGECONFIG ??= "${@bb.utils.filter('DISTRO_FEATURES', 'systemd', d)}"
PACKAGECONFIG[systemd] = "-DGADGETD_SYSTEMD=on,-DGADGETD_SYSTEMD=off"

EXTRA_OECMAKE = "-DBUILD_TESTING=OFF -DGADGETD_SANITIZE=OFF -DGADGETD_FUZZ=OFF -DGADGETD_WERROR=OFF"

SYSTEMD_SERVICE:${PN} = "gadgetd.service"
INITSCRIPT_NAME = "gadgetd"
INITSCRIPT_PARAMS = "defaults 50"

do_install:append() {
    # CMake puts the unit in ${prefix}/lib/systemd/system (SPEC 4); without
    # usrmerge systemd_system_unitdir is /lib/systemd/system.
    unit=${D}${prefix}/lib/systemd/system/gadgetd.service
    if ${@bb.utils.contains('DISTRO_FEATURES', 'systemd', 'true', 'false', d)}; then
        if [ "${prefix}/lib/systemd/system" != "${systemd_system_unitdir}" ]; then
            install -D -m 0644 $unit ${D}${systemd_system_unitdir}/gadgetd.service
            rm -f $unit
        fi
    else
        rm -f $unit
    fi
    # Left empty when the unit moved or went: rmdir takes them in order.
    rmdir ${D}${prefix}/lib/systemd/system ${D}${prefix}/lib/systemd ${D}${prefix}/lib 2>/dev/null || true
    if ! ${@bb.utils.contains('DISTRO_FEATURES', 'sysvinit', 'true', 'false', d)}; then
        rm -rf ${D}${sysconfdir}/init.d
    fi
}

CONFFILES:${PN} = "${sysconfdir}/gadgetd/gadgetd.conf"
