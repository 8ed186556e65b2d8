#!/bin/sh
# e2e-l1.sh: the payload of 'make e2e' in L1 (copied to /payload/run by
# rig/e2e.sh). For each mode of /payload/modes, boots L2 under the patched
# QEMU on a 4-queue tap device and sends it the frames of e2e-send:
#   kernel  peer-hash=on: the kernel hashes; then QEMU migrates the guest
#           to a second QEMU on a new tap device (migrate file:), the
#           kernel configuration there is read back with TUNGETVNETHASH
#           and phase M is sent
#   qemu    peer-hash=off: QEMU's own RSS, the kernel feature unused
#   vhost   peer-hash=on, vhost=on: the kernel hashes, vhost-net reports
# Everything L2 and the tools print is copied to stdout with a prefix,
# every 10 s.
set -u
export LD_LIBRARY_PATH=/payload/lib
# the tap device carries only the test's frames
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6

# show: what the files of this mode gained since the last call
show() {
	for f in l2-out:l2 l2-con:l2con send:l1 qemu.log:l1 qemu2.log:l1 \
		 mon.log:l1mon mon2.log:l1mon; do
		file=/tmp/${f%%:*}
		[ -f "$file" ] || continue
		n=$(cat "$file.n" 2>/dev/null || echo 0)
		# complete lines only: the count first, then those lines
		c=$(wc -l < "$file")
		[ "$c" -gt "$n" ] || continue
		tr -d '\r' < "$file" | sed -n "$((n + 1)),${c}p" |
			sed "s/^/${f#*:}[$mode]: /"
		echo "$c" > "$file.n"
	done
}

# qemu LOG [ARG...]: start QEMU with L2 in the background (pid in $qpid).
# L2 boots with noapic: once in 8 boots under nested TCG, the base
# kernel took an interrupt while setup_IO_APIC() was still allocating its
# IRQ and crashed (NULL chip data in io_apic_modify_irq(), before any
# test); virtio-net uses MSI-X, which needs no IO-APIC.
qemu() {
	log=$1
	shift
	timeout 1500 ./qemu-system-x86_64 -L /payload/fw \
		-machine q35 -cpu max -smp 1 -m 512M -nodefaults \
		-no-reboot -display none \
		-kernel /payload/bzImage -initrd /payload/l2.gz \
		-append "console=ttyS0 panic=-1 oops=panic kunit.enable=0 noapic $append" \
		-chardev file,id=con,path=/tmp/l2-con,append=on \
		-chardev file,id=out,path=/tmp/l2-out,append=on \
		-serial chardev:con -serial chardev:out \
		-netdev "tap,id=n0,ifname=tap0,queues=4,script=no,downscript=no,vhost=$vhost" \
		-device "virtio-net-pci,netdev=n0,mq=on,vectors=10,rss=on,hash=on,peer-hash=$peer,mac=52:54:00:12:34:56,romfile=" \
		"$@" > "$log" 2>&1 &
	qpid=$!
}

# tap_up: wait for QEMU's tap device and bring it up
tap_up() {
	n=0
	while [ ! -e /sys/class/net/tap0 ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	ip link set tap0 up || echo "# e2e: $mode: no tap0: QEMU did not start"
}

# guest_said LINE: wait up to 600 s for L2 to print LINE
guest_said() {
	n=0
	until grep -q "^$1" /tmp/l2-out 2>/dev/null; do
		[ $n -lt 3000 ] || return 1
		sleep 0.2
		n=$((n + 1))
	done
}

# monitor NAME: QEMU's arguments for an HMP monitor on the FIFOs
# /tmp/NAME.in and .out; what it prints goes to /tmp/NAME.log
monitor() {
	mkfifo "/tmp/$1.in" "/tmp/$1.out"
	echo "-monitor pipe:/tmp/$1"
}

# hmp NAME COMMAND: one command to the monitor NAME (the FIFO has no
# reader once that QEMU is gone: do not wait for one)
hmp() {
	timeout 10 sh -c "echo '$2' > /tmp/$1.in" ||
		echo "# e2e: $mode: QEMU's monitor $1 does not read"
}

# hmp_wait NAME COMMAND TEXT: repeat COMMAND until the monitor prints TEXT
hmp_wait() {
	n=0
	until grep -q "$3" "/tmp/$1.log"; do
		if [ $n -ge 600 ] || ! kill -0 "$qpid" 2>/dev/null ||
		   grep -q 'Migration status: failed' "/tmp/$1.log"; then
			echo "# e2e: $mode: no '$3' from QEMU's monitor"
			return 1
		fi
		hmp "$1" "$2"
		sleep 1
		n=$((n + 1))
	done
}

# migrate: the source QEMU writes the guest to /tmp/mig and quits
migrate() {
	hmp mon "migrate file:/tmp/mig"
	hmp_wait mon "info migrate" 'Migration status: completed' || return 1
	hmp mon quit
}

rc=0
for mode in $(cat /payload/modes); do
	peer=on
	vhost=off
	append=""
	[ "$mode" != qemu ] || peer=off
	[ "$mode" != vhost ] || vhost=on
	[ "$mode" != kernel ] || append="e2e.migrate"
	rm -f /tmp/l2-con /tmp/l2-out /tmp/send /tmp/qemu.log /tmp/qemu2.log \
	      /tmp/mon.* /tmp/mon2.* /tmp/mig /tmp/*.n
	echo "# e2e: $mode: L2 with peer-hash=$peer, vhost=$vhost"
	t0=$(date +%s)
	if [ "$mode" = kernel ]; then
		# shellcheck disable=SC2046
		qemu /tmp/qemu.log $(monitor mon)
		cat /tmp/mon.out > /tmp/mon.log &
	else
		qemu /tmp/qemu.log -monitor none
	fi
	tap_up
	(while sleep 10; do show; done) &
	mon=$!
	hashing=kernel
	[ "$peer" = on ] || hashing=off
	E2E_QEMU_PID=$qpid ./e2e-send $hashing tap0 /tmp/l2-out \
		> /tmp/send 2>&1
	src=$?
	mrc=0
	if [ "$mode" = kernel ] && [ $src -eq 0 ]; then
		# every frame of phase C received: migrate, then phase M
		if guest_said E2E-C-DONE && migrate; then
			wait $qpid
			echo "# e2e: $mode: migrated, source QEMU exit $?"
			while [ -e /sys/class/net/tap0 ]; do
				sleep 0.1
			done
			# shellcheck disable=SC2046
			qemu /tmp/qemu2.log $(monitor mon2) \
				-incoming file:/tmp/mig
			cat /tmp/mon2.out > /tmp/mon2.log &
			tap_up
			# the guest runs once the state is loaded
			if hmp_wait mon2 "info status" "VM status: running"; then
				E2E_QEMU_PID=$qpid ./e2e-send -m kernel tap0 \
					/tmp/l2-out >> /tmp/send 2>&1 || mrc=$?
			else
				mrc=1
				hmp mon2 quit
			fi
		else
			mrc=1
			hmp mon quit
		fi
	fi
	wait $qpid
	qrc=$?
	t1=$(date +%s)
	kill $mon
	wait $mon 2>/dev/null
	show
	echo "# e2e: $mode: send exit $src, migration $mrc, QEMU exit $qrc," \
	     "$((t1 - t0)) s"
	[ $src -eq 0 ] && [ $mrc -eq 0 ] && [ $qrc -eq 0 ] || rc=1
done
exit $rc
