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

# The matrix of issue #18: keys x input sizes x hot/polluted caches, with
# the candidate for lib/toeplitz.c.  toeplitz-matrix.c is compiled three
# times: plainly with the tree's code, with -mpopcnt for the POPCNT
# variants of the parity methods only (the kernel gets POPCNT at run time
# through the alternatives of hweight64(), -mpopcnt stands in for them), and
# with the candidate's header; see the top of the file.
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
gcc -O2 -Wall -DMATRIX_PART_CANDIDATE -I"$bench/shim" \
	-DTOEPLITZ_H="\"$bench/toeplitz-candidate.h\"" \
	-Dtoeplitz_table_init=toeplitz_candidate_table_init \
	-c -o "$mx/cand.o" "$bench/toeplitz-matrix.c" &&
gcc -O2 -Wall -I"$bench/shim" \
	-DTOEPLITZ_H="\"$bench/toeplitz-candidate.h\"" \
	-Dtoeplitz_table_init=toeplitz_candidate_table_init \
	-c -o "$mx/cand-lib.o" "$bench/toeplitz-candidate.c" &&
gcc -o "$out/toeplitz-matrix" "$mx/main.o" "$mx/tree.o" "$mx/popcnt.o" \
	"$mx/cand.o" "$mx/cand-lib.o" ||
	die "bench: toeplitz-matrix did not build against build/src"
# BENCH_MATRIX="runs calls" overrides the defaults (7 4096)
"$out/toeplitz-matrix" ${BENCH_MATRIX:-}
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
