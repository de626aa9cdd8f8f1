################################################################################
#
# gadgetd
#
################################################################################

GADGETD_VERSION = 0.1.0
# This external tree lives in the gadgetd source tree (contrib/buildroot):
# build that tree.  For a release tarball instead, set GADGETD_SITE to its
# URL, drop GADGETD_SITE_METHOD and add a gadgetd.hash.
GADGETD_SITE = $(BR2_EXTERNAL_GADGETD_PATH)/../..
GADGETD_SITE_METHOD = local
GADGETD_LICENSE = MIT
GADGETD_DEPENDENCIES = host-pkgconf libusbgx inih libconfig
# A local site is copied as it is, a developer's build directories
# included: never configure in the source directory.
GADGETD_SUPPORTS_IN_SOURCE_BUILD = NO
# Buildroot already passes -DBUILD_TESTING=OFF.  No -Werror: a newer
# compiler's new warning must not break a board's build.
GADGETD_CONF_OPTS = \
	-DGADGETD_SANITIZE=OFF \
	-DGADGETD_FUZZ=OFF \
	-DGADGETD_WERROR=OFF

# sd_notify is spoken natively: no dependency on systemd's libraries.
ifeq ($(BR2_PACKAGE_GADGETD_SYSTEMD),y)
GADGETD_CONF_OPTS += -DGADGETD_SYSTEMD=on
else
GADGETD_CONF_OPTS += -DGADGETD_SYSTEMD=off
endif

# busybox init and Buildroot's SysV rcS start only /etc/init.d/S??*.
# Installed from the build directory, where CMake configured it, so that
# it does not matter whether this runs before or after the CMake install
# (Buildroot versions differ).
define GADGETD_INSTALL_INIT_SYSV
	$(INSTALL) -D -m 0755 $(GADGETD_BUILDDIR)/init.d/gadgetd \
		$(TARGET_DIR)/etc/init.d/S50gadgetd
endef

# The CMake install put the unit in /usr/lib/systemd/system; enable it
# whatever the other presets say (Buildroot runs preset-all).
define GADGETD_INSTALL_INIT_SYSTEMD
	mkdir -p $(TARGET_DIR)/usr/lib/systemd/system-preset
	echo "enable gadgetd.service" \
		>$(TARGET_DIR)/usr/lib/systemd/system-preset/50-gadgetd.preset
endef

# CMake installs both init files under their plain names: keep only what
# this init system runs.
ifeq ($(BR2_INIT_SYSTEMD),y)
define GADGETD_REMOVE_UNUSED_INIT_FILES
	rm -f $(TARGET_DIR)/etc/init.d/gadgetd
endef
else
define GADGETD_REMOVE_UNUSED_INIT_FILES
	rm -f $(TARGET_DIR)/etc/init.d/gadgetd
	rm -f $(TARGET_DIR)/usr/lib/systemd/system/gadgetd.service
endef
endif
GADGETD_POST_INSTALL_TARGET_HOOKS += GADGETD_REMOVE_UNUSED_INIT_FILES

$(eval $(cmake-package))
