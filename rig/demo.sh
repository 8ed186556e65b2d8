#!/bin/sh
# demo.sh: boot the kernel of 'make check' and run tools/demo/tun-rss-demo
# in the guest, as a VMM would on a host with the series.
set -eu
. "$(dirname "$0")/lib.sh"

"$top/rig/kernel.sh"

out="$build/demo"
payload="$out/payload"
rm -rf "$payload"
mkdir -p "$payload"
progress demo "building tools/demo/tun-rss-demo"
hdr="$build/obj/usr-headers"
make -s -C "$build/src" O="$build/obj" headers_install \
	INSTALL_HDR_PATH="$hdr" >/dev/null
gcc -O2 -Wall -static -isystem "$hdr/include" \
	-o "$payload/tun-rss-demo" "$top/tools/demo/tun-rss-demo.c" ||
	die "demo: tools/demo/tun-rss-demo.c did not build"
cat > "$payload/run" <<EOT
#!/bin/sh
echo '\$ tun-rss-demo ${DEMO_ARGS:-}'
./tun-rss-demo ${DEMO_ARGS:-}
EOT
chmod +x "$payload/run"
"$top/rig/initramfs.sh" "$out/initramfs.gz" "$payload" \
	"$build/obj/modroot"

boot=0
"$top/rig/run-qemu.sh" "$build/obj/arch/x86/boot/bzImage" \
	"$out/initramfs.gz" "$out" "${RIG_TIMEOUT:-600}" || boot=$?
echo
grep -v '^# rig: ' "$out/results.log" | tr -d '\r'
echo
rc=$(sed -n 's/^# rig: payload exit //p' "$out/results.log" | tr -d '\r')
if ! "$top/rig/splats.sh" "$out/console.log" > "$out/splats.txt"; then
	echo "make demo: kernel splat in build/demo/console.log:" >&2
	head -n 10 "$out/splats.txt" >&2
	exit 1
fi
[ "$boot" -eq 0 ] && [ "${rc:-1}" = 0 ] && exit 0
echo "make demo: FAILED (demo exit ${rc:-none}; logs in build/demo/)" >&2
exit 1
