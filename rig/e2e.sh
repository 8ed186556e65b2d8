#!/bin/sh
# e2e.sh: 'make e2e' (issue #16). A real VMM on the series: L0 boots L1,
# the series' kernel (base.config + e2e.config) under TCG; in L1 the
# patched QEMU of qemu/patches/ runs L2, the same kernel as an unmodified
# guest with virtio-net-pci (4 queue pairs, rss=on, hash=on) on a
# multiqueue tap device. The guest configures RSS with ethtool, L1 sends
# frames into the tap (tools/e2e/e2e-send.c) and the guest checks queue
# and hash of each one (tools/e2e/e2e-guest.c). Three runs in one L1 boot
# (rig/e2e-l1.sh): the kernel hashing (peer-hash=on, then a migration to
# a second QEMU), QEMU's own RSS (peer-hash=off), and vhost-net; all must
# pass, and every frame of phases A and C must land on the same queue in
# all. Exits non-zero on a failed check, a missed frame or a kernel splat
# in L1 or L2.
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
migrate=""
! grep -q e2e.migrate /proc/cmdline || migrate=migrate
./e2e-guest eth0 "ethtool -X eth0 hkey $keyb weight 1 2 0 1" \$migrate
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
cp "$top/rig/e2e-l1.sh" "$pl/run"
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
	# the guest cannot know how many phase T frames L1 sent
	ts=$(sed -n "s/^l1\[$mode\]: e2e-send: phase T: \([0-9]*\) .*/\1/p" \
		"$out/results.txt")
	tr=$(sed -n "s/^l2\[$mode\]: e2e-guest: phase A [0-9/]*, T \([0-9]*\) .*/\1/p" \
		"$out/results.txt")
	if [ -z "$ts" ] || [ "$ts" != "$tr" ]; then
		fail="$fail phase-T-$mode"
		echo "e2e: $mode: L1 sent ${ts:-?} frames in phase T, the" \
		     "guest got ${tr:-?}"
	fi
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
