#!/bin/sh
# bench.sh: 'make bench'.
#  1. natively: the Toeplitz hash of the patched tree (lib/toeplitz.c as it
#     is, with a shim for kernel types) against reference implementations;
#  2. in the guest: packets per second through a multiqueue tap device with
#     each way of choosing queues and hashing (tools/bench/tun-bench.c).
# BENCH_PARTS (default "1 1b 2") picks the parts to run. Part 2 boots a
# kernel of base.config + bench.config (built for speed) with one vCPU
# (BENCH_SMP) under -icount shift=0 (BENCH_ICOUNT; empty: off): the guest's
# clock counts its instructions, so that packets per second measure the
# work per packet, the same in every run, instead of the load of this
# shared machine (wall-clock runs differ by 15-40%). BENCH_SECS: the
# length of a run in the guest's seconds (0.5).
set -eu
. "$(dirname "$0")/lib.sh"

# The kernel of part 2: the test configuration built for speed
obj="$build/obj-bench"
"$top/rig/kernel.sh" "$obj" "$top/rig/config/base.config" \
	"$top/rig/config/bench.config"
out="$build/bench"
mkdir -p "$out"

part1() {
	progress bench "part 1: Toeplitz implementations, natively"
	gcc -O2 -Wall -I"$top/tools/bench/shim" \
		-DTOEPLITZ_H="\"$build/src/include/linux/toeplitz.h\"" \
		-o "$out/toeplitz-bench" "$top/tools/bench/toeplitz-bench.c" \
		"$build/src/lib/toeplitz.c" ||
		die "bench: toeplitz-bench did not build against build/src"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' \
		/proc/cpuinfo | head -n1), $(date -u +%Y-%m-%d)"
	"$out/toeplitz-bench"
}

part1b() {
	# The matrix of issue #18: keys x input sizes x hot/polluted caches.
	# toeplitz-matrix.c is compiled twice: plainly with the tree's code, and
	# with -mpopcnt for the POPCNT variants of the parity methods only (the
	# kernel gets POPCNT at run time through the alternatives of hweight64(),
	# -mpopcnt stands in for them); see the top of the file.
	progress bench "part 1b: Toeplitz methods: keys x sizes x cache states"
	bench="$top/tools/bench"
	mx="$out/matrix"
	mkdir -p "$mx"
	gcc -O2 -Wall -I"$bench/shim" \
		-DTOEPLITZ_H="\"$build/src/include/linux/toeplitz.h\"" \
		-c -o "$mx/main.o" "$bench/toeplitz-matrix.c" &&
	gcc -O2 -Wall -I"$bench/shim" \
		-DTOEPLITZ_H="\"$build/src/include/linux/toeplitz.h\"" \
		-c -o "$mx/tree.o" "$build/src/lib/toeplitz.c" &&
	gcc -O2 -Wall -mpopcnt -DMATRIX_PART_POPCNT -I"$bench/shim" \
		-c -o "$mx/popcnt.o" "$bench/toeplitz-matrix.c" &&
	gcc -o "$out/toeplitz-matrix" "$mx/main.o" "$mx/tree.o" "$mx/popcnt.o" ||
		die "bench: toeplitz-matrix did not build against build/src"
	# BENCH_MATRIX="runs calls" overrides the defaults (15 4096)
	"$out/toeplitz-matrix" ${BENCH_MATRIX:-}
	echo
}

part2() {
	progress bench "part 2: packets per second in the guest (TCG)"
	payload="$out/payload"
	rm -rf "$payload"
	mkdir -p "$payload"
	hdr="$obj/usr-headers"
	make -s -C "$build/src" O="$obj" headers_install \
		INSTALL_HDR_PATH="$hdr" >/dev/null
	gcc -O2 -Wall -static -isystem "$hdr/include" -o "$payload/tun-bench" \
		"$top/tools/bench/tun-bench.c" ||
		die "bench: tools/bench/tun-bench.c did not build"
	printf '#!/bin/sh\n./tun-bench %s\n' "${BENCH_SECS:-0.5}" > "$payload/run"
	chmod +x "$payload/run"
	"$top/rig/initramfs.sh" "$out/initramfs.gz" "$payload" \
		"$obj/modroot"
	boot=0
	RIG_SMP=${BENCH_SMP:-1} RIG_ICOUNT=${BENCH_ICOUNT-0} \
	"$top/rig/run-qemu.sh" "$obj/arch/x86/boot/bzImage" \
		"$out/initramfs.gz" "$out" "${RIG_TIMEOUT:-600}" || boot=$?
	grep -v '^# rig: ' "$out/results.log" | tr -d '\r'
	if ! "$top/rig/splats.sh" "$out/console.log" > "$out/splats.txt"; then
		echo "make bench: kernel splat in build/bench/console.log" >&2
		exit 1
	fi
	rc=$(sed -n 's/^# rig: payload exit //p' "$out/results.log" | tr -d '\r')
	[ "$boot" -eq 0 ] && [ "${rc:-1}" = 0 ] ||
		die "make bench: the guest part failed; logs in build/bench/"
}

for part in ${BENCH_PARTS:-1 1b 2}; do
	case $part in
	1) part1 ;;
	1b) part1b ;;
	2) part2 ;;
	*) die "bench: no part '$part'; BENCH_PARTS takes 1, 1b and 2" ;;
	esac
	echo
done
