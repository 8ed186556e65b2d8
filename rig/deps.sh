#!/bin/sh
# Install the Debian packages the rig needs (with "qemu": also those of the
# QEMU build). Idempotent and quiet when everything is already there.
set -eu

pkgs="build-essential bc bison flex libelf-dev libssl-dev dwarves cpio
gzip xz-utils ccache sparse qemu-system-x86 busybox-static python3
python3-yaml python3-jsonschema python3-ply python3-docutils rsync git
kmod codespell ethtool iproute2 ca-certificates debian-archive-keyring"
# 'deps.sh qemu': also what building QEMU (make e2e) needs
[ "${1:-}" != qemu ] || pkgs="$pkgs ninja-build pkg-config libglib2.0-dev
libpixman-1-dev libfdt-dev zlib1g-dev python3-venv"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run 'make deps' as root, or install them with apt-get" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
# shellcheck disable=SC2086
apt-get -qq install -y --no-install-recommends $missing >/dev/null ||
	{ echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
