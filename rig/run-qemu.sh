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
# An HMP monitor on OUTDIR/mon.in and .out, so that a guest that does not
# exit can be looked at before it is stopped
rm -f "$out/mon.in" "$out/mon.out" "$out/hang" "$out/exit-delay"
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
	-append "console=ttyS0 panic=-1 oops=panic $append" \
	</dev/null >"$out/qemu.log" 2>&1 &
qpid=$!
cat "$out/mon.out" > "$out/monitor.log" &
mon=$!

# A guest whose payload is done but that does not get as far as QEMU
# exiting (seen once: a hang after "reboot: machine restart"; not seen
# again in the boots of 'make reboot-loop', see the README) is stopped
# after a grace period, once the monitor has printed its vCPUs'
# registers (OUTDIR/monitor.log, named in OUTDIR/rips.txt); its results
# stand, and the caller is told by OUTDIR/hang.
grace=${RIG_GRACE:-60}
done_at=
stopped=
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	if [ -z "$done_at" ] && grep -q '^# rig: done' "$out/results.log"; then
		done_at=$(date +%s)
	fi
	if [ -n "$done_at" ] && [ -z "$stopped" ] &&
	   [ $(($(date +%s) - done_at)) -ge "$grace" ]; then
		echo "run-qemu: the payload finished but QEMU did not exit" \
		     "within ${grace}s; stopping it" >&2
		echo "$grace" > "$out/hang"
		for c in "info cpus" "info registers -a"; do
			timeout 10 sh -c "echo '$c' > '$out/mon.in'" ||
				echo "run-qemu: the monitor does not read" \
				     >> "$out/hang"
		done
		sleep 3
		kill -TERM "$qpid" 2>/dev/null || true
		stopped=1
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
