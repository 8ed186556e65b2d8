#!/bin/sh
# e2e.sh: 'make e2e' (issue #16). A real VMM on the series: L0 boots L1,
# the series' kernel (base.config + e2e.config) under TCG; in L1 the
# patched QEMU of qemu/patches/ runs L2, the same kernel as an unmodified
# guest with virtio-net-pci (4 queue pairs, rss=on, hash=on) on a
# multiqueue tap device. The guest configures RSS with ethtool, L1 sends
# frames into the tap (tools/e2e/e2e-send.c) and the guest checks queue
# and hash of each one (tools/e2e/e2e-guest.c). Two runs in one L1 boot:
# the kernel hashing (peer-hash=on), then QEMU's own RSS (peer-hash=off);
# both must pass, and every frame of phases A and C must land on the same
# queue in both. Exits non-zero on a failed check, a missed frame or a
# kernel splat in L1 or L2.
set -eu
. "$(dirname "$0")/lib.sh"

obj="$build/obj-e2e"
out="$build/e2e"
"$top/rig/kernel.sh" "$obj" "$top/rig/config/base.config" \
	"$top/rig/config/e2e.config"
progress qemu "patched QEMU (rig/build-qemu.sh)"
qemu=$("$top/rig/build-qemu.sh")
bz="$obj/arch/x86/boot/bzImage"

rm -rf "$out"
mkdir -p "$out/l1" "$out/l2"
hdr="$obj/usr-headers"
make -s -C "$build/src" O="$obj" headers_install INSTALL_HDR_PATH="$hdr" \
	>/dev/null
for t in e2e-guest e2e-send; do
	gcc -O2 -Wall -Wextra -static -isystem "$hdr/include" \
		-o "$out/$t" "$top/tools/e2e/$t.c" ||
		die "e2e: tools/e2e/$t.c did not build"
done

# L2: the guest's own tools set RSS up, then e2e-guest checks the frames.
# Config A: key A, table weights 3 1 2 2, UDP/IPv4 hashed on addresses
# only; config B (set while frames flow): key B, weights 1 2 0 1.
keya=6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:\
30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
keyb=3c:91:5e:07:a2:d4:18:6b:f0:29:c5:7e:4b:83:0d:e6:92:51:bf:38:64:0a:\
dd:17:8e:c2:35:79:a6:f1:0b:4d:e8:23:5f:96:71:ca:2e:b8
cp "$out/e2e-guest" "$out/l2/"
cat > "$out/l2/run" <<EOF
#!/bin/sh
set -eu
ip link set eth0 up
ethtool -L eth0 combined 4
ethtool -K eth0 gro off rxhash on
ethtool -N eth0 rx-flow-hash udp4 sd
ethtool -X eth0 hkey $keya weight 3 1 2 2
./e2e-guest eth0 "ethtool -X eth0 hkey $keyb weight 1 2 0 1"
EOF
chmod +x "$out/l2/run"
"$top/rig/initramfs.sh" "$out/l2.gz" "$out/l2"

# L1: QEMU with its libraries and firmware, L2's kernel and initramfs
pl="$out/l1"
mkdir -p "$pl/lib" "$pl/fw"
strip -o "$pl/qemu-system-x86_64" "$qemu"
for lib in $(ldd "$qemu" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do
	cp -L "$lib" "$pl/lib/"
done
for f in /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin \
	 /usr/share/qemu/kvmvapic.bin; do
	[ -f "$f" ] || die "e2e: $f is missing; run 'make deps'"
	cp -L "$f" "$pl/fw/"
done
cp "$bz" "$pl/bzImage"
cp "$out/l2.gz" "$out/e2e-send" "$pl/"
# E2E_MODES: kernel (peer-hash=on), qemu (peer-hash=off: QEMU's own RSS),
# vhost (peer-hash=on, vhost=on: the kernel hashes and vhost-net reports)
modes=${E2E_MODES:-kernel qemu vhost}
echo "$modes" > "$pl/modes"
cat > "$pl/run" <<'EOF'
#!/bin/sh
# In L1: boot L2 twice under the patched QEMU, with the kernel's hashing
# and with QEMU's own, and send the same frames each time.
export LD_LIBRARY_PATH=/payload/lib
# the tap device carries only the test's frames
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
rc=0
for mode in $(cat /payload/modes); do
	peer=on
	vhost=off
	[ "$mode" != qemu ] || peer=off
	[ "$mode" != vhost ] || vhost=on
	rm -f /tmp/l2-con /tmp/l2-out /tmp/send
	echo "# e2e: $mode: L2 with peer-hash=$peer, vhost=$vhost"
	t0=$(date +%s)
	timeout 1500 ./qemu-system-x86_64 -L /payload/fw \
		-machine q35 -cpu max -smp 1 -m 512M -nodefaults \
		-no-reboot -display none -monitor none \
		-kernel /payload/bzImage -initrd /payload/l2.gz \
		-append "console=ttyS0 panic=-1 oops=panic kunit.enable=0" \
		-serial file:/tmp/l2-con -serial file:/tmp/l2-out \
		-netdev tap,id=n0,ifname=tap0,queues=4,script=no,downscript=no,vhost=$vhost \
		-device virtio-net-pci,netdev=n0,mq=on,vectors=10,rss=on,hash=on,peer-hash=$peer,mac=52:54:00:12:34:56,romfile= \
		> /tmp/qemu.log 2>&1 &
	qpid=$!
	n=0
	while [ ! -e /sys/class/net/tap0 ] && [ $n -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	ip link set tap0 up || echo "# e2e: no tap0: QEMU did not start"
	# L2's output as it comes, every 10 s
	show() {
		for f in l2-out:l2 l2-con:l2con send:l1 qemu.log:l1; do
			n=$(cat "/tmp/${f%%:*}.n" 2>/dev/null || echo 0)
			[ -f "/tmp/${f%%:*}" ] || continue
			tr -d '\r' < "/tmp/${f%%:*}" | sed -n "$((n + 1)),\$p" |
				sed "s/^/${f#*:}[$mode]: /"
			n=$(($(tr -d '\r' < "/tmp/${f%%:*}" | wc -l)))
			echo "$n" > "/tmp/${f%%:*}.n"
		done
	}
	rm -f /tmp/*.n
	(while sleep 10; do show; done) &
	mon=$!
	./e2e-send tap0 /tmp/l2-out > /tmp/send 2>&1
	src=$?
	wait $qpid
	qrc=$?
	t1=$(date +%s)
	kill $mon
	wait $mon 2>/dev/null
	show
	echo "# e2e: $mode: send exit $src, QEMU exit $qrc, $((t1 - t0)) s"
	[ $src -eq 0 ] && [ $qrc -eq 0 ] || rc=1
done
exit $rc
EOF
chmod +x "$pl/run"
"$top/rig/initramfs.sh" "$out/l1.gz" "$pl" "$obj/modroot"

boot=0
RIG_SMP=${E2E_SMP:-2} RIG_MEM=${E2E_MEM:-3G} \
"$top/rig/run-qemu.sh" "$bz" "$out/l1.gz" "$out" "${RIG_TIMEOUT:-3600}" ||
	boot=$?
res="$out/results.log"
tr -d '\r' < "$res" > "$out/results.txt"
grep -E '^(# e2e|l1\[|l2\[[a-z]+\]: (e2e|E2E))' "$out/results.txt" || true

fail=""
[ "$boot" -eq 0 ] || fail="$fail L1-boot"
grep -q '^# rig: payload exit 0' "$out/results.txt" || fail="$fail payload"
if ! "$top/rig/splats.sh" "$out/console.log" > "$out/splats-l1.txt"; then
	fail="$fail L1-splat"
	head -n 10 "$out/splats-l1.txt" >&2
fi
for mode in $modes; do
	sed -n "s/^l2con\[$mode\]: //p" "$out/results.txt" > "$out/l2-$mode.log"
	if ! "$top/rig/splats.sh" "$out/l2-$mode.log" > "$out/splats-$mode.txt"
	then
		fail="$fail L2-splat-$mode"
		head -n 10 "$out/splats-$mode.txt" >&2
	fi
	grep -q "^l2\[$mode\]: # rig: payload exit 0" "$out/results.txt" ||
		fail="$fail guest-$mode"
done
dk=$(sed -n 's/^l2\[kernel\]: e2e: queue digest \([0-9a-f]*\).*/\1/p' \
	"$out/results.txt")
dq=$(sed -n 's/^l2\[qemu\]: e2e: queue digest \([0-9a-f]*\).*/\1/p' \
	"$out/results.txt")
pk=$(sed -n 's/^l2\[kernel\]: e2e: .* guest \([0-9]*\) packets.*/\1/p' \
	"$out/results.txt")
pq=$(sed -n 's/^l2\[qemu\]: e2e: .* guest \([0-9]*\) packets.*/\1/p' \
	"$out/results.txt")
if [ -z "$dk" ] || [ -z "$dq" ]; then
	# without both runs there is nothing to compare: E2E_MODES is for
	# debugging, 'make e2e' runs both
	case " $modes " in
	*" kernel "*" qemu "*) fail="$fail queue-digest" ;;
	esac
	echo "e2e: no comparison with QEMU's RSS (digests: kernel" \
	     "${dk:-none}, qemu ${dq:-none})"
elif [ "$dk" = "$dq" ]; then
	echo "e2e: same guest queue for every frame of phases A and C with" \
	     "the kernel's RSS and with QEMU's (digest $dk)"
else
	fail="$fail queue-digest"
	echo "e2e: queues differ between the kernel's RSS and QEMU's" \
	     "(digest ${dk:-none} vs ${dq:-none})"
fi
dv=$(sed -n 's/^l2\[vhost\]: e2e: queue digest \([0-9a-f]*\).*/\1/p' \
	"$out/results.txt")
if [ -n "$dv" ] && [ -n "$dk" ] && [ "$dv" != "$dk" ]; then
	fail="$fail queue-digest-vhost"
	echo "e2e: queues differ between vhost and the kernel without vhost"
fi
if [ -n "$pk" ] && [ -n "$pq" ] && [ "$pq" -gt 0 ]; then
	echo "e2e: guest packets/s, kernel hashing vs QEMU's: $pk / $pq =" \
	     "$(echo "scale=2; $pk / $pq" | bc)"
fi
if [ -n "$fail" ]; then
	echo "make e2e: FAILED:$fail (logs in build/e2e/: results.txt," \
	     "console.log, l2-kernel.log, l2-qemu.log)" >&2
	exit 1
fi
progress e2e "passed"
