#!/bin/sh
# Fetch the pinned QEMU source: the orig tarball of Debian's qemu source
# package, verified by sha256, cached outside the clone beside the kernel
# base of fetch-base.sh. The QEMU patches in qemu/patches/ apply to it.
# Prints the path of the verified tarball on stdout.
set -eu

SRC=qemu
VER=1:10.0.13+ds-0+deb13u1
FILE=qemu_10.0.13+ds.orig.tar.xz
POOL=pool/main/q/qemu
SHA256=6a0888e806c2ffc0c5f0733e974f9aea55491950d3c47c98669c8b236dde59ae

cache=${TUNRSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tun-rss}
tarball="$cache/$FILE"

verify() {
	[ -f "$1" ] && echo "$SHA256  $1" | sha256sum -c --status -
}

mkdir -p "$cache"
if verify "$tarball"; then
	echo "$tarball"
	exit 0
fi

# Reuse the Debian mirror this machine already uses
mirror=$("$(dirname "$0")/apt-mirror.sh")
url="${mirror%/}/$POOL/$FILE"

# apt's own downloader: it honours the machine's apt proxy settings and
# checks the hash before it keeps the file.
helper=/usr/lib/apt/apt-helper
if [ ! -x "$helper" ]; then
	echo "fetch-qemu: $helper is missing; install the 'apt' package," \
	     "then retry" >&2
	exit 1
fi
tmp="$cache/.download.$$"
rm -f "$tmp"
if ! "$helper" -qq -o APT::Sandbox::User=root \
	download-file "$url" "$tmp" "SHA256:$SHA256" >&2; then
	rm -f "$tmp" "$tmp.FAILED"
	echo "fetch-qemu: could not download $FILE ($SRC $VER) from $url" \
	     "(apt's reason is above); check the mirror, and that $POOL" \
	     "still has this version with sha256 $SHA256 (else pin the" \
	     "current one here)" >&2
	exit 1
fi
if ! verify "$tmp"; then
	echo "fetch-qemu: $FILE has sha256 $(sha256sum "$tmp" | cut -d' ' -f1)," \
	     "expected $SHA256; delete $tmp and retry" >&2
	exit 1
fi
mv "$tmp" "$tarball"
echo "$tarball"
