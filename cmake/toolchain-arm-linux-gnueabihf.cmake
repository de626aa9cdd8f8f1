# Cross build for 32-bit ARM hard-float boards (STM32MP1: Cortex-A7) with
# Debian's cross compiler and multiarch libraries:
#
#   cmake -S . -B build-cross-armhf \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm-linux-gnueabihf.cmake
#
# scripts/cross installs what this needs (gcc-arm-linux-gnueabihf and the
# :armhf -dev packages) and builds with it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(GADGETD_CROSS_TRIPLET arm-linux-gnueabihf)

# Debian's armhf port is already ARMv7-A, VFPv3-D16, Thumb-2, hard-float:
# without flags the binary runs on any armhf board.  The STM32MP157 has a
# Cortex-A7 with NEON-VFPv4, so tune for it; -mfloat-abi=hard restates the
# ABI the :armhf libraries we link against were built with.  Override with
# -DGADGETD_ARM_CPU_FLAGS= (empty) for a generic armhf binary.
set(GADGETD_ARM_CPU_FLAGS "-mcpu=cortex-a7 -mfpu=neon-vfpv4 -mfloat-abi=hard"
    CACHE STRING "CPU tuning flags for the armhf cross build")
set(CMAKE_C_FLAGS_INIT "${GADGETD_ARM_CPU_FLAGS}")

include(${CMAKE_CURRENT_LIST_DIR}/cross-debian-multiarch.cmake)
