#!/bin/sh
# initramfs.sh OUT PAYLOAD_DIR [MODROOT]: pack busybox-static, ethtool and
# iproute2 with their libraries, rig/guest-init as /init, PAYLOAD_DIR
# (which must hold an executable "run") as /payload and the modules of
# MODROOT (an INSTALL_MOD_PATH, if the kernel has modules), which /init
# loads, into the gzip-compressed cpio archive OUT.
set -eu
. "$(dirname "$0")/lib.sh"

out=${1:?usage: initramfs.sh OUT PAYLOAD_DIR}
payload=${2:?usage: initramfs.sh OUT PAYLOAD_DIR [MODROOT]}
modroot=${3:-}
[ -x "$payload/run" ] || die "initramfs: $payload/run is missing"
bb=/bin/busybox
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
	die "initramfs: busybox-static is not installed; run 'make deps'"

stage="$out.d"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/payload"
cp "$bb" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$top/rig/guest-init" "$stage/init"
chmod +x "$stage/init"
cp -R "$payload/." "$stage/payload/"
if [ -n "$modroot" ] && [ -d "$modroot/lib/modules" ]; then
	mkdir -p "$stage/lib"
	cp -R "$modroot/lib/modules" "$stage/lib/"
fi

# ethtool and iproute2 (ip, tc, bridge) with their libraries, for the
# selftests that read what ethtool shows and set up VLANs, bridges and
# qdiscs the way an administrator does
for tool in /usr/sbin/ethtool /usr/sbin/ip /usr/sbin/tc /usr/sbin/bridge; do
	[ -x "$tool" ] || die "initramfs: $tool is missing; run 'make deps'"
	mkdir -p "$stage$(dirname "$tool")"
	cp "$tool" "$stage$tool"
	for lib in $(ldd "$tool" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				       $1 ~ /^\// { print $1 }'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 > "$out"
rm -rf "$stage"
progress initramfs "$(du -h "$out" | cut -f1) $(basename "$out")"
