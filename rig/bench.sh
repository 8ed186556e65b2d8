#!/bin/sh
# bench.sh: 'make bench'.
#  1. natively: the Toeplitz hash of the patched tree (lib/toeplitz.c as it
#     is, with a shim for kernel types) against reference implementations;
#  2. in the guest: packets per second through a multiqueue tap device with
#     each way of choosing queues and hashing (tools/bench/tun-bench.c).
set -eu
. "$(dirname "$0")/lib.sh"

"$top/rig/kernel.sh"
out="$build/bench"
mkdir -p "$out"

progress bench "part 1: Toeplitz implementations, natively"
gcc -O2 -Wall -I"$top/tools/bench/shim" \
	-DTOEPLITZ_H="\"$build/src/include/linux/toeplitz.h\"" \
	-o "$out/toeplitz-bench" "$top/tools/bench/toeplitz-bench.c" \
	"$build/src/lib/toeplitz.c" ||
	die "bench: toeplitz-bench did not build against build/src"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' \
	/proc/cpuinfo | head -n1), $(date -u +%Y-%m-%d)"
"$out/toeplitz-bench"
echo

progress bench "part 2: packets per second in the guest (TCG)"
payload="$out/payload"
rm -rf "$payload"
mkdir -p "$payload"
hdr="$build/obj/usr-headers"
make -s -C "$build/src" O="$build/obj" headers_install \
	INSTALL_HDR_PATH="$hdr" >/dev/null
gcc -O2 -Wall -static -isystem "$hdr/include" -o "$payload/tun-bench" \
	"$top/tools/bench/tun-bench.c" ||
	die "bench: tools/bench/tun-bench.c did not build"
printf '#!/bin/sh\n./tun-bench %s\n' "${BENCH_SECS:-1}" > "$payload/run"
chmod +x "$payload/run"
"$top/rig/initramfs.sh" "$out/initramfs.gz" "$payload" \
	"$build/obj/modroot"
boot=0
"$top/rig/run-qemu.sh" "$build/obj/arch/x86/boot/bzImage" \
	"$out/initramfs.gz" "$out" "${RIG_TIMEOUT:-600}" || boot=$?
grep -v '^# rig: ' "$out/results.log" | tr -d '\r'
if ! "$top/rig/splats.sh" "$out/console.log" > "$out/splats.txt"; then
	echo "make bench: kernel splat in build/bench/console.log" >&2
	exit 1
fi
rc=$(sed -n 's/^# rig: payload exit //p' "$out/results.log" | tr -d '\r')
[ "$boot" -eq 0 ] && [ "${rc:-1}" = 0 ] ||
	die "make bench: the guest part failed; logs in build/bench/"
