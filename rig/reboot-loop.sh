#!/bin/sh
# reboot-loop.sh: 'make reboot-loop' (issue #19). Boot the guest
# REBOOT_BOOTS times (default 40) as 'make check' does and count the
# boots in which QEMU does not exit within REBOOT_GRACE seconds (default
# 60) of the payload's end: the guest that "hangs after reboot: machine
# restart". For each such boot the vCPUs' state is read from QEMU's
# monitor before QEMU is stopped, and their RIPs are named from the
# kernel's System.map.
#   REBOOT_KERNEL=series (default): the kernel of 'make check';
#                 base: the unpatched base tree with the same
#                 configuration (base.config without the series' options)
#   REBOOT_PAYLOAD=check (default, series only): the payload of 'make
#                  check' (run it once first);
#                  tun: the upstream tun selftest;
#                  none: boot, load the modules and reboot
#   REBOOT_BASE_OBJ=DIR: the base kernel's build directory (default
#                  build/obj-base); REBOOT_NOBUILD=1 boots the kernel
#                  already built there as it is (for example the base
#                  kernel of 'make bench-off', build/obj-off-base)
#   REBOOT_GRACE, REBOOT_BOOT_GRACE: seconds after the payload's end
#                  (60), and after QEMU's start without the guest up
#                  (300), before a guest counts as hung (run-qemu.sh's
#                  RIG_GRACE and RIG_BOOT_GRACE); the loop goes on
#   RIG_CLOCK_WATCHDOG=1: boot with the clocksource watchdog that
#                  run-qemu.sh turns off (tsc=nowatchdog), to see its
#                  boot hang again
set -eu
. "$(dirname "$0")/lib.sh"

boots=${REBOOT_BOOTS:-40}
kernel=${REBOOT_KERNEL:-series}
payload=${REBOOT_PAYLOAD:-check}
wd=off
[ -z "${RIG_CLOCK_WATCHDOG:-}" ] || wd=on
out="$build/reboot-loop/$kernel-$payload${RIG_CLOCK_WATCHDOG:+-watchdog}"

case $kernel in
series)
	obj="$build/obj"
	src="$build/src"
	[ -n "${REBOOT_NOBUILD:-}" ] || "$top/rig/kernel.sh" "$obj"
	;;
base)
	obj=${REBOOT_BASE_OBJ:-$build/obj-base}
	src="$build/base"
	if [ -n "${REBOOT_NOBUILD:-}" ]; then
		[ -f "$obj/arch/x86/boot/bzImage" ] ||
			die "reboot-loop: no kernel in $obj; drop REBOOT_NOBUILD"
	else
		"$top/rig/deps.sh"
		"$top/rig/base.sh"
		"$top/rig/base-config.sh" "$obj.cfg"
		progress config "base kernel: base.config without" \
			"$(sed 's/=.*//' "$obj.cfg/dropped" | tr '\n' ' ')"
		"$top/rig/build-kernel.sh" "$src" "$obj" "$obj.cfg/base.config"
	fi
	;;
*)
	die "reboot-loop: REBOOT_KERNEL is series or base, not '$kernel'"
	;;
esac

rm -rf "$out"
mkdir -p "$out"
pay="$out/payload"
case $payload in
check)
	[ "$kernel" = series ] ||
		die "reboot-loop: the check payload needs the series' kernel"
	[ -x "$build/check/payload/run" ] ||
		die "reboot-loop: no build/check/payload; run 'make check' first"
	pay="$build/check/payload"
	;;
tun)
	mkdir -p "$pay"
	"$top/rig/build-tests.sh" "$src" "$obj" "$pay/tests" net/tun
	cat > "$pay/run" <<'EOT'
#!/bin/sh
echo "# rig: begin net/tun"
(cd /payload/tests/net && ./tun) 2>&1
echo "# rig: end net/tun rc=$?"
EOT
	;;
none)
	mkdir -p "$pay"
	printf '#!/bin/sh\ntrue\n' > "$pay/run"
	;;
*)
	die "reboot-loop: REBOOT_PAYLOAD is check, tun or none, not '$payload'"
	;;
esac
chmod +x "$pay/run"
"$top/rig/initramfs.sh" "$out/initramfs.gz" "$pay" "$obj/modroot"

progress loop "$boots boots, kernel $kernel, payload $payload," \
	"grace ${REBOOT_GRACE:-60}s, clocksource watchdog $wd; logs in" \
	"${out#"$top"/}"
# say TEXT: print TEXT and keep it in boots.txt
say() {
	echo "$*" | tee -a "$out/boots.txt"
}

i=1
: > "$out/delays"
: > "$out/boots.txt"
while [ "$i" -le "$boots" ]; do
	dir="$out/boot-$i"
	RIG_GRACE=${REBOOT_GRACE:-60} \
	RIG_BOOT_GRACE=${REBOOT_BOOT_GRACE:-300} \
		"$top/rig/run-qemu.sh" "$obj/arch/x86/boot/bzImage" \
		"$out/initramfs.gz" "$dir" "${RIG_TIMEOUT:-2400}" \
		> "$dir.log" 2>&1 || [ -e "$dir/boot-hang" ] ||
		die "reboot-loop: boot $i failed before its payload's end;" \
		    "see $dir.log and $dir/console.log"
	last=$(tr -d '\r' < "$dir/console.log" | grep -v '^$' | tail -n 1 |
	       sed -E 's/^\[ *[0-9]+\.[0-9]+\] //')
	if ! "$top/rig/splats.sh" "$dir/console.log" > "$dir/splats.txt"; then
		say "boot $i: KERNEL SPLAT, see $dir/splats.txt"
	fi
	if [ -e "$dir/boot-hang" ]; then
		say "boot $i: BOOT HANG: not up ${REBOOT_BOOT_GRACE:-300}s" \
		    "after QEMU started; last console line: $last"
		say "$(sed 's/^/  /' "$dir/rips.txt")"
	elif [ -e "$dir/hang" ]; then
		say "boot $i: HANG: no exit ${REBOOT_GRACE:-60}s after the" \
		    "payload; last console line: $last"
		say "$(sed 's/^/  /' "$dir/rips.txt")"
		say "$(tr -d '\r' < "$dir/monitor.log" |
			grep -i 'halted\|thread_id' | sed 's/^/  /')"
	else
		d=$(cat "$dir/exit-delay" 2>/dev/null || echo "?")
		echo "$d" >> "$out/delays"
		say "boot $i: exit ${d}s after the payload; last console" \
		    "line: $last"
		# a boot that went well keeps only its summary
		rm -f "$dir/console.log" "$dir/results.log"
	fi
	i=$((i + 1))
done

hangs=$(grep -c ': HANG:' "$out/boots.txt" || true)
bhangs=$(grep -c ': BOOT HANG:' "$out/boots.txt" || true)
splats=$(grep -c ': KERNEL SPLAT' "$out/boots.txt" || true)
maxd=$(sort -n "$out/delays" | tail -n 1)
echo "reboot-loop: $kernel kernel, payload $payload, clocksource" \
     "watchdog $wd: $boots boots," \
     "$hangs hangs after the payload, $bhangs during boot, $splats" \
     "with a splat; the others exited at most" \
     "${maxd:-?}s after the payload (polled every 2 s)" |
	tee "$out/summary.txt"
[ "$hangs" -eq 0 ] && [ "$bhangs" -eq 0 ] && [ "$splats" -eq 0 ]
