# Cross build for 64-bit ARM boards (Raspberry Pi Compute Module 4:
# Cortex-A72) with Debian's cross compiler and multiarch libraries:
#
#   cmake -S . -B build-cross-arm64 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
#
# scripts/cross installs what this needs (gcc-aarch64-linux-gnu and the
# :arm64 -dev packages) and builds with it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(GADGETD_CROSS_TRIPLET aarch64-linux-gnu)

# -mtune, not -mcpu: scheduling for the CM4's Cortex-A72 without using any
# instruction a CM3+ (Cortex-A53) or another ARMv8-A board lacks.  gadgetd
# spends its time in syscalls, so this is about not excluding boards, not
# about speed.
set(GADGETD_ARM_CPU_FLAGS "-mtune=cortex-a72"
    CACHE STRING "CPU tuning flags for the arm64 cross build")
set(CMAKE_C_FLAGS_INIT "${GADGETD_ARM_CPU_FLAGS}")

include(${CMAKE_CURRENT_LIST_DIR}/cross-debian-multiarch.cmake)
