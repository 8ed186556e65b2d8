#!/bin/sh
# build-qemu.sh: build qemu-system-x86_64 of the pinned QEMU with the
# series of qemu/patches/ (issue #16) in build/qemu-build, with ccache:
# x86_64-softmmu only, no optional feature but TCG and vhost-net.
# The source is build/qemu-src (rig/qemu-apply.sh: base + qemu/patches/),
# or QEMU_SRC, e.g. build/qemu, the tree the patches are edited in (see
# qemu/NOTES.md). Prints the path of the binary.
set -eu
. "$(dirname "$0")/lib.sh"

"$top/rig/deps.sh" qemu
if [ -n "${QEMU_SRC:-}" ]; then
	src=$(cd "$QEMU_SRC" && pwd)
else
	src="$build/qemu-src"
	"$top/rig/qemu-apply.sh" "$src" >&2
fi
out="$build/qemu-build"
[ -f "$src/configure" ] || die "build-qemu: no QEMU tree in $src"
# a build directory belongs to one source tree
if [ "$(cat "$out/rig-src" 2>/dev/null)" != "$src" ]; then
	rm -rf "$out"
fi
export CCACHE_BASEDIR="$build"
export CCACHE_NOHASHDIR=1
site=$("$top/rig/fetch-pydeps.sh")

# Debian's +ds tarball has no firmware blobs. With bzip2 on the PATH,
# meson unpacks the EDK2 images of pc-bios/ for an x86_64 target whatever
# install_blobs says, and fails on the missing files: configure and build
# with a PATH of everything in /usr/bin but the bzip2 tools.
bin="$build/qemu-path"
if [ ! -d "$bin" ]; then
	mkdir -p "$bin.tmp"
	for f in /usr/bin/*; do
		case ${f##*/} in
		bzip2|bunzip2|bzcat) ;;
		*) ln -s "$f" "$bin.tmp/${f##*/}" ;;
		esac
	done
	mv "$bin.tmp" "$bin"
fi
export PATH="$bin:/usr/sbin:/sbin"
export PYTHONPATH="$site"

mkdir -p "$out"
cd "$out"
if [ ! -f build.ninja ]; then
	progress qemu "configure (x86_64-softmmu, TCG, vhost-net)" >&2
	"$src/configure" --target-list=x86_64-softmmu \
		--without-default-features --enable-tcg \
		--enable-vhost-net --enable-vhost-kernel --disable-docs \
		--disable-werror --disable-install-blobs \
		--cc="ccache gcc" > configure.log 2>&1 ||
		{ tail -n 20 configure.log >&2
		  die "build-qemu: configure failed; log in $out/configure.log"; }
	echo "$src" > rig-src
fi
progress qemu "ninja qemu-system-x86_64 (-j$(jobs_n))" >&2
ninja -j"$(jobs_n)" qemu-system-x86_64 > build.log 2>&1 ||
	{ grep -B2 -A10 -m3 'FAILED\|error:' build.log >&2
	  die "build-qemu: build failed; log in $out/build.log"; }
echo "$out/qemu-system-x86_64"
