#!/bin/sh
# initramfs.sh OUT PAYLOAD_DIR: pack busybox-static, ethtool with its
# libraries, rig/guest-init as /init and PAYLOAD_DIR (which must hold an
# executable "run") as /payload into the gzip-compressed cpio archive OUT.
set -eu
. "$(dirname "$0")/lib.sh"

out=${1:?usage: initramfs.sh OUT PAYLOAD_DIR}
payload=${2:?usage: initramfs.sh OUT PAYLOAD_DIR}
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

# ethtool and its libraries, for the selftests that read what it shows
et=/usr/sbin/ethtool
[ -x "$et" ] || die "initramfs: $et is missing; run 'make deps'"
mkdir -p "$stage/usr/sbin"
cp "$et" "$stage/usr/sbin/ethtool"
for lib in $(ldd "$et" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			      $1 ~ /^\// { print $1 }'); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 > "$out"
rm -rf "$stage"
progress initramfs "$(du -h "$out" | cut -f1) $(basename "$out")"
