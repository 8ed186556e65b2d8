#!/bin/sh
# matrix.sh: build the queue in every configuration of the Kconfig matrix
# of the hash code: rig/config/base.config (TUN=m, TAP=m, the KUnit tests
# modules; what 'make check' boots) and each rig/config/matrix/*.config
# on top of it (TUN=y without tap; TUN=n with TAP=m and KUNIT=m), the
# first in build/obj, the objects of 'make check'. Each builds vmlinux and
# the modules, so that a missing export or select
# fails at link or modpost time, then rebuilds the series' objects with
# W=1 C=1 (sparse); any warning in them fails. Cold: one kernel build per
# configuration.
set -eu
. "$(dirname "$0")/lib.sh"

"$top/rig/deps.sh"
"$top/rig/base.sh"
src="$build/src"
SERIES="" "$top/rig/apply.sh" "$src"
objs="drivers/net/tun_vnet_hash.o drivers/net/tun.o drivers/net/tap.o
drivers/net/tun_vnet_kunit.o lib/toeplitz.o lib/tests/toeplitz_kunit.o
drivers/vhost/net.o"
export CCACHE_BASEDIR="$build" CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1
fail=0
for frag in "" "$top"/rig/config/matrix/*.config; do
	name=$(basename "${frag:-base.config}" .config)
	obj="$build/matrix/$name"
	# the base configuration is that of 'make check': reuse its objects
	[ -n "$frag" ] || obj="$build/obj"
	mkdir -p "$obj"
	kmake() {
		make -s -C "$src" O="$obj" CC="ccache gcc" -j"$(jobs_n)" "$@"
	}
	kmake tinyconfig >/dev/null
	# shellcheck disable=SC2086
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"$top/rig/config/base.config" $frag >/dev/null
	kmake olddefconfig >/dev/null
	summary=$(grep -E '^CONFIG_(TUN|TAP|MACVTAP|IPVTAP|VHOST_NET|KUNIT|TUN_VNET_HASH|TUN_VNET_KUNIT_TEST|TOEPLITZ)=' \
		"$obj/.config" | sed 's/^CONFIG_//' | tr '\n' ' ')
	progress matrix "$name: $summary"
	if ! kmake vmlinux modules >"$obj/build.log" 2>&1; then
		tail -n 20 "$obj/build.log"
		echo "matrix: $name does not build; log in $obj/build.log"
		fail=1
		continue
	fi
	# the series' objects that this configuration builds, with W=1 C=1
	these=""
	for o in $objs; do
		grep -q "^CONFIG_$(obj_option "$o")=[ym]" "$obj/.config" &&
			these="$these $o"
	done
	# shellcheck disable=SC2086
	warn=$(kmake W=1 C=1 $these 2>&1 >/dev/null |
		grep -E 'warning|error' || true)
	if [ -n "$warn" ]; then
		echo "$warn" | sed "s/^/matrix: $name: /"
		fail=1
	fi
	progress matrix "$name: vmlinux and $(find "$obj" -path \
		"$obj/modroot" -prune -o -name '*.ko' -print | wc -l) modules" \
		"built; W=1 C=1 clean:$these"
done
[ "$fail" -eq 0 ] || die "make matrix: FAILED (see above)"
progress matrix "every configuration builds, no warning"
