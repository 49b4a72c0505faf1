#!/bin/sh
# Builds libvgpusim.so (NVML ABI + simulated sysfs kernel) into $1, where JNA finds it by platform prefix.
set -eu
out="${1:?usage: build.sh <output dir>}"
src="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
# -U_FORTIFY_SOURCE: the library defines open/write itself, which fortify's inline wrappers would clash with.
# -Wl,-Bsymbolic: calls inside the library bind to its own definitions, never to another library's.
${CC:-gcc} -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter -Wno-format-truncation -U_FORTIFY_SOURCE -std=gnu11 \
    -Wl,-Bsymbolic -o "$out/libvgpusim.so" "$src/vgpusim.c" "$src/sysfs.c" "$src/kernel.c" "$src/driver.c" "$src/nvml.c" "$src/vgpu.c" "$src/mig.c" "$src/mig_gi.c" "$src/mig_ci.c" "$src/host.c" -lm -pthread
