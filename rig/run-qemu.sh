#!/bin/sh
# run-qemu.sh KERNEL INITRD OUTDIR SECONDS [APPEND]: boot the guest under
# TCG with a hard time limit. RIG_ICOUNT=N runs it with -icount shift=N:
# the guest's clock then counts its instructions (2^N ns each), so that
# its timings do not depend on the load of the machine. The kernel console goes to OUTDIR/console.log
# and the payload's output to OUTDIR/results.log. Exits non-zero when the
# guest did not finish in time (it is killed) or did not finish cleanly.
set -eu
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: run-qemu.sh KERNEL INITRD OUTDIR SECONDS [APPEND]}
initrd=${2:?}
out=${3:?}
limit=${4:?}
append=${5:-}
mkdir -p "$out"
: > "$out/console.log"
: > "$out/results.log"

command -v qemu-system-x86_64 >/dev/null ||
	die "run-qemu: qemu-system-x86_64 not found; run 'make deps'"

icount=""
[ -z "${RIG_ICOUNT:-}" ] || icount="-icount shift=$RIG_ICOUNT"
# tsc=nowatchdog: the clocksource watchdog of the base kernel deadlocks
# under TCG about once in 100 boots (README, "the boot hang"): its check
# of a remote CPU's TSC spins with interrupts off until a timeout that
# timekeeping, still on jiffies early in the boot, cannot reach while
# stop_machine() holds the other CPUs. TCG's TSC follows the host clock
# on every vCPU: it needs no watchdog. RIG_CLOCK_WATCHDOG=1 keeps it.
nowd="tsc=nowatchdog"
[ -z "${RIG_CLOCK_WATCHDOG:-}" ] || nowd=""
# An HMP monitor on OUTDIR/mon.in and .out, so that a guest that does not
# exit can be looked at before it is stopped
rm -f "$out/mon.in" "$out/mon.out" "$out/hang" "$out/boot-hang" \
	"$out/exit-delay"
mkfifo "$out/mon.in" "$out/mon.out"
progress boot "QEMU TCG, ${RIG_SMP:-4} vCPUs${icount:+, $icount}," \
	"limit ${limit}s"
rc=0
# shellcheck disable=SC2086
timeout -s KILL "$limit" qemu-system-x86_64 $icount \
	-machine q35 -cpu max -smp "${RIG_SMP:-4}" -m "${RIG_MEM:-2G}" \
	-nographic -no-reboot -monitor "pipe:$out/mon" \
	-kernel "$kernel" -initrd "$initrd" \
	-serial "file:$out/console.log" -serial "file:$out/results.log" \
	-append "console=ttyS0 panic=-1 oops=panic $nowd $append" \
	</dev/null >"$out/qemu.log" 2>&1 &
qpid=$!
cat "$out/mon.out" > "$out/monitor.log" &
mon=$!

# Two kinds of guest are stopped before the time limit, once the monitor
# has printed their vCPUs' registers (OUTDIR/monitor.log, named in
# OUTDIR/rips.txt):
# - a guest whose payload is done but that does not get as far as QEMU
#   exiting (seen once: a hang after "reboot: machine restart"; not seen
#   again in the boots of 'make reboot-loop', see the README), after
#   RIG_GRACE seconds (60); its results stand, and the caller is told by
#   OUTDIR/hang;
# - a guest that is not up (no "# rig: guest up" from the init script)
#   RIG_BOOT_GRACE seconds (600) after QEMU started: a hang during boot,
#   such as the clocksource watchdog deadlock above. OUTDIR/boot-hang
#   tells the caller, and the run fails.
grace=${RIG_GRACE:-60}
boot_grace=${RIG_BOOT_GRACE:-600}
started=$(date +%s)
up=
done_at=
stopped=
# stop_guest FILE SECONDS: dump the vCPUs, mark OUTDIR/FILE, stop QEMU
stop_guest() {
	echo "$2" > "$out/$1"
	for c in "info cpus" "info registers -a"; do
		timeout 10 sh -c "echo '$c' > '$out/mon.in'" ||
			echo "run-qemu: the monitor does not read" >> "$out/$1"
	done
	sleep 3
	kill -TERM "$qpid" 2>/dev/null || true
	stopped=$1
}
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	now=$(date +%s)
	if [ -z "$up" ] && grep -q '^# rig: guest up' "$out/results.log"; then
		up=1
	fi
	if [ -z "$done_at" ] && grep -q '^# rig: done' "$out/results.log"; then
		done_at=$now
	fi
	[ -z "$stopped" ] || continue
	if [ -n "$done_at" ] && [ $((now - done_at)) -ge "$grace" ]; then
		echo "run-qemu: the payload finished but QEMU did not exit" \
		     "within ${grace}s; stopping it" >&2
		stop_guest hang "$grace"
	elif [ -z "$up" ] && [ $((now - started)) -ge "$boot_grace" ]; then
		echo "run-qemu: the guest is not up ${boot_grace}s after QEMU" \
		     "started; stopping it" >&2
		stop_guest boot-hang "$boot_grace"
	fi
done
wait "$qpid" || rc=$?
[ -z "$done_at" ] || echo $(($(date +%s) - done_at)) > "$out/exit-delay"
kill "$mon" 2>/dev/null || true
wait "$mon" 2>/dev/null || true
rm -f "$out/mon.in" "$out/mon.out"
if [ -n "$stopped" ]; then
	# where the vCPUs were, named from the System.map beside the kernel
	"$top/rig/name-rips.sh" "$out/monitor.log" \
		"${kernel%/arch/x86/boot/bzImage}/System.map" \
		> "$out/rips.txt" 2>&1 || true
	echo "run-qemu: the vCPUs of the stopped guest:" >&2
	sed 's/^/  /' "$out/rips.txt" >&2
fi
if [ "$stopped" = boot-hang ]; then
	echo "run-qemu: the guest hung during boot; last console lines:" >&2
	tail -n 25 "$out/console.log" >&2
	exit 1
fi
[ -z "$stopped" ] || rc=0

if [ "$rc" -eq 137 ]; then
	echo "run-qemu: the guest did not finish within ${limit}s and was" \
	     "killed; last console lines:" >&2
	tail -n 25 "$out/console.log" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	cat "$out/qemu.log" >&2
	die "run-qemu: qemu-system-x86_64 exited with $rc"
fi
if ! grep -q '^# rig: done' "$out/results.log"; then
	echo "run-qemu: the guest stopped before its payload finished;" \
	     "last console lines:" >&2
	tail -n 25 "$out/console.log" >&2
	exit 1
fi
progress boot "guest finished"
