# Shared by the toolchain-*.cmake files: cross compile against a Debian
# multiarch host, where the target's libraries live in /usr/lib/<triplet>
# (installed as <package>:<arch>) and Debian's <triplet>-gcc already searches
# them, so no sysroot is needed.  Expects GADGETD_CROSS_TRIPLET.
set(CMAKE_C_COMPILER ${GADGETD_CROSS_TRIPLET}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${GADGETD_CROSS_TRIPLET})

# pkg-config must report the target's .pc files, never the build machine's:
# a host libusbgx.pc would link x86-64 libraries into an ARM binary.  Debian
# 12's pkgconf:<arch> (pulled in by libconfig-dev:<arch>) ships
# <triplet>-pkg-config, whose personality searches only the target's dirs.
# Without it, restrict the plain pkg-config to them.
find_program(GADGETD_CROSS_PKG_CONFIG ${GADGETD_CROSS_TRIPLET}-pkg-config)
if(GADGETD_CROSS_PKG_CONFIG)
  set(PKG_CONFIG_EXECUTABLE ${GADGETD_CROSS_PKG_CONFIG} CACHE FILEPATH "pkg-config for the target")
else()
  set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${GADGETD_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
endif()
