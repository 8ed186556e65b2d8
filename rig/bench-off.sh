#!/bin/sh
# bench-off.sh: 'make bench-off': what the series costs a device that does
# not hash. Packets per second of automatic steering (tools/bench/tun-bench.c
# "automq", no ioctl of the series) on the unpatched base kernel and on the
# patched kernel of 'make bench', in alternating boots, BENCH_OFF_BOOTS
# (default 4) of each, as 'make bench' runs its guest (one vCPU, -icount).
# Both are built from rig/config/base.config + bench.config; the base
# tree drops the options it does not have (the series' own), so the two
# configurations differ in those only. Prints every pair and the median of
# the per-pair ratios, patched / base.
set -eu
. "$(dirname "$0")/lib.sh"

pobj="$build/obj-bench"
bobj="$build/obj-off-base"
"$top/rig/kernel.sh" "$pobj" "$top/rig/config/base.config" \
	"$top/rig/config/bench.config"
out="$build/bench-off"
mkdir -p "$out"

"$top/rig/base-config.sh" "$out"
progress config "base kernel: base.config without" \
	"$(sed 's/=.*//' "$out/dropped" | tr '\n' ' ')"
"$top/rig/build-kernel.sh" "$build/base" "$bobj" "$out/base.config" \
	"$top/rig/config/bench.config"

hdr="$pobj/usr-headers"
make -s -C "$build/src" O="$pobj" headers_install \
	INSTALL_HDR_PATH="$hdr" >/dev/null
mkdir -p "$out/payload"
gcc -O2 -Wall -static -isystem "$hdr/include" -o "$out/payload/tun-bench" \
	"$top/tools/bench/tun-bench.c" ||
	die "bench-off: tools/bench/tun-bench.c did not build"
printf '#!/bin/sh\n./tun-bench %s automq\n' "${BENCH_SECS:-0.5}" \
	> "$out/payload/run"
chmod +x "$out/payload/run"
for k in base patched; do
	obj=$pobj
	[ "$k" = base ] && obj=$bobj
	"$top/rig/initramfs.sh" "$out/initramfs-$k.gz" "$out/payload" \
		"$obj/modroot"
done

# One boot of kernel K; prints its automq packets/s
boot() {
	obj=$pobj
	[ "$1" = base ] && obj=$bobj
	dir="$out/boot-$1-$2"
	RIG_SMP=${BENCH_SMP:-1} RIG_ICOUNT=${BENCH_ICOUNT-0} \
		"$top/rig/run-qemu.sh" \
		"$obj/arch/x86/boot/bzImage" "$out/initramfs-$1.gz" "$dir" \
		"${RIG_TIMEOUT:-300}" >&2 ||
		die "bench-off: boot $2 of the $1 kernel failed; logs in $dir"
	"$top/rig/splats.sh" "$dir/console.log" > "$dir/splats.txt" ||
		die "bench-off: kernel splat in $dir/console.log"
	pps=$(tr -d '\r' < "$dir/results.log" | awk '$1 == "automq" { print $2 }')
	[ -n "$pps" ] ||
		die "bench-off: no automq result in $dir/results.log"
	echo "$pps"
}

boots=${BENCH_OFF_BOOTS:-4}
: > "$out/pairs"
i=1
while [ "$i" -le "$boots" ]; do
	# alternate which kernel goes first, so that a drift of the machine
	# during a pair does not favour one of them
	if [ $((i % 2)) -eq 1 ]; then
		b=$(boot base "$i")
		p=$(boot patched "$i")
	else
		p=$(boot patched "$i")
		b=$(boot base "$i")
	fi
	echo "$i $b $p" >> "$out/pairs"
	progress bench "pair $i: base $b patched $p packets/s"
	i=$((i + 1))
done

echo "off vs base: automq packets/s, ${BENCH_SECS:-0.5} s runs, median of 9" \
	"per boot, $boots alternating pairs"
awk '{ r = $3 / $2; printf "pair %-3d base %9.0f  patched %9.0f  ratio %.3f\n",
	$1, $2, $3, r }' "$out/pairs"
awk '{ print $3 / $2 }' "$out/pairs" | sort -g | awk '
	{ r[NR] = $1 }
	END {
		m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
		printf "off vs base: median ratio %.3f (min %.3f, max %.3f)\n",
			m, r[1], r[NR]
	}'
