#!/bin/sh
# check.sh [debug|kcsan]: the whole 'make check' run: deps, base + patches,
# kernel, kselftests, initramfs, one QEMU boot, results. Exits non-zero on
# any failed or missing test and on any kernel splat. With "debug" it is
# 'make check-debug': the same on a kernel with KASAN, lockdep, PROVE_RCU,
# UBSAN, DEBUG_ATOMIC_SLEEP and KFENCE (rig/config/debug.config); with
# "kcsan", 'make check-kcsan' on a KCSAN kernel (rig/config/kcsan.config).
# SERIES=NAME: only the series of the queue up to NAME, and their tests.
set -eu
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = debug ]; then
	name=check-debug
	obj="$build/obj-debug"
	"$top/rig/kernel.sh" "$obj" "$top/rig/config/base.config" \
		"$top/rig/config/debug.config"
elif [ "${1:-}" = kcsan ]; then
	name=check-kcsan
	obj="$build/obj-kcsan"
	"$top/rig/kernel.sh" "$obj" "$top/rig/config/base.config" \
		"$top/rig/config/kcsan.config"
else
	name=check
	obj="$build/obj"
	"$top/rig/kernel.sh" "$obj"
fi
out="$build/$name"

tests=$(grep -v -e '^#' -e '^$' "$top/rig/tests.list")
if [ -n "${SERIES:-}" ]; then
	# the tests of the series up to $SERIES: those whose source exists
	sel="$build/src/tools/testing/selftests"
	tests=$(for t in $tests; do
		if [ -e "$sel/$t.c" ] || [ -e "$sel/$t.sh" ]; then
			echo "$t"
		fi
	done)
	progress tests "series up to $SERIES: $(echo $tests)"
fi
payload="$out/payload"
rm -rf "$payload"
mkdir -p "$payload"
progress tests "building kselftests"
# shellcheck disable=SC2086
"$top/rig/build-tests.sh" "$build/src" "$obj" "$payload/tests" $tests
rm -f "$payload/tests/build.log"
# check-debug: the fault injection tests (tools/fault/), last, and then a
# kmemleak scan; they need the tap support of the series (all of the
# queue, unless SERIES stops before it)
sel="$build/src/tools/testing/selftests"
if [ "$name" = check-debug ] && [ -z "${SERIES:-}" ] &&
   [ ! -e "$sel/net/tun_vnet_hash_macvtap.c" ]; then
	die "check: no tun_vnet_hash_macvtap.c in the queue; the fault" \
	    "injection tests need its tun_vnet_hash.h and tap support"
fi
if [ "$name" = check-debug ] && [ -e "$sel/net/tun_vnet_hash_macvtap.c" ]; then
	mkdir -p "$payload/tests/fault"
	ccache gcc -O2 -Wall -Werror -static \
		-isystem "$obj/usr-headers/include" \
		-I "$sel" -I "$sel/net" \
		-o "$payload/tests/fault/tun_vnet_hash_fault" \
		"$top/tools/fault/tun_vnet_hash_fault.c" ||
		die "check: tools/fault/tun_vnet_hash_fault.c did not build"
	tests="$tests fault/tun_vnet_hash_fault"
	export RIG_KMEMLEAK=1
fi

{
	echo '#!/bin/sh'
	for t in $tests; do
		cat <<EOT
echo "# rig: begin $t"
(cd /payload/tests/$(dirname "$t") && timeout ${RIG_TEST_TIMEOUT:-600} ./$(basename "$t")) 2>&1
echo "# rig: end $t rc=\$?"
EOT
	done
	[ -z "${RIG_KMEMLEAK:-}" ] || cat <<'EOT'
# kmemleak: two scans, the second after the first's suspects have aged
# past its minimum age (5 s); the report goes to the results
k=/sys/kernel/debug/kmemleak
[ -e $k ] || mount -t debugfs debugfs /sys/kernel/debug
echo "# rig: kmemleak begin"
if [ -w $k ]; then
	# a kmemleak that turned itself off refuses the scan
	sleep 6 && echo scan > $k && sleep 6 && echo scan > $k && cat $k &&
		echo "# rig: kmemleak scanned"
fi
echo "# rig: kmemleak end"
EOT
} > "$payload/run"
chmod +x "$payload/run"
"$top/rig/initramfs.sh" "$out/initramfs.gz" "$payload" "$obj/modroot"

boot=0
"$top/rig/run-qemu.sh" "$obj/arch/x86/boot/bzImage" \
	"$out/initramfs.gz" "$out" "${RIG_TIMEOUT:-2400}" || boot=$?
progress results "console: build/$name/console.log"
if [ -e "$out/hang" ]; then
	echo "NOTE: the payload finished but QEMU did not exit within" \
	     "$(cat "$out/hang")s (the reboot hang of the README, 'make" \
	     "reboot-loop'); the vCPUs were at:"
	sed 's/^/  /' "$out/rips.txt"
fi
rc=0
# shellcheck disable=SC2086
[ "$name" != check-kcsan ] || export RIG_KCSAN=1
"$top/rig/parse-results.sh" "$out" $tests || rc=$?
# the modules of the series and its users must have been loaded in the
# guest: tun and tap are modules in the test configuration, as on a
# distribution kernel (others, such as a thermal driver without its
# device, may fail to load)
mods=$(find "$obj/modroot" -name '*.ko' 2>/dev/null |
	sed 's|.*/||; s|\.ko$||' |
	grep -xE 'tun|tap|tun_vnet_hash|tun_vnet_kunit|macvtap|ipvtap|vhost_net' |
	sort)
for m in $mods; do
	tr -d '\r' < "$out/results.log" | grep -qx "# rig: module $m live" || {
		echo "MISSING module $m: not loaded in the guest (see" \
		     "build/$name/results.log)"
		rc=1
	}
done
[ -z "$mods" ] || progress modules "loaded in the guest:" $mods
[ "$boot" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
echo "make $name: FAILED (see the lines above; logs in build/$name/)" >&2
exit 1
