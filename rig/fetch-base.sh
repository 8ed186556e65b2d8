#!/bin/sh
# Fetch the pinned base: Debian's linux-source-7.3 binary package, verified
# by sha256, cached outside the clone so that other clones reuse it.
# Prints the path of the verified .deb on stdout.
set -eu

PKG=linux-source-7.3
VER=7.3.4-1~bpo13+1
SUITE=trixie-backports
SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${TUNRSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tun-rss}
deb="$cache/${PKG}_$(echo "$VER" | sed 's/:/%3a/')_all.deb"

verify() {
	[ -f "$1" ] && echo "$SHA256  $1" | sha256sum -c --status -
}

mkdir -p "$cache"
if verify "$deb"; then
	echo "$deb"
	exit 0
fi

# Reuse the Debian mirror this machine already uses
mirror=$("$(dirname "$0")/apt-mirror.sh")

apt="$top/build/apt"
mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial"
cat > "$apt/sources/base.sources" <<EOT
Types: deb
URIs: $mirror
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT

aptopts="-o Dir::Etc::SourceList=/dev/null
-o Dir::Etc::SourceParts=$apt/sources
-o Dir::State::Lists=$apt/lists
-o Dir::Cache=$apt/cache
-o Debug::NoLocking=1
-o APT::Sandbox::User=root"

# shellcheck disable=SC2086
if ! apt-get -qq $aptopts update >&2; then
	echo "fetch-base: cannot read the $SUITE index from $mirror" >&2
	exit 1
fi
tmp="$cache/.download.$$"
mkdir -p "$tmp"
# shellcheck disable=SC2086
if ! (cd "$tmp" && apt-get -qq $aptopts download "$PKG=$VER" >&2); then
	rm -rf "$tmp"
	echo "fetch-base: could not download $PKG=$VER from $SUITE at" \
	     "$mirror; check the mirror and that the version still exists" >&2
	exit 1
fi
got=$(ls "$tmp"/*.deb)
if ! verify "$got"; then
	echo "fetch-base: $PKG=$VER from $SUITE has sha256" \
	     "$(sha256sum "$got" | cut -d' ' -f1), expected $SHA256" >&2
	rm -rf "$tmp"
	exit 1
fi
mv "$got" "$deb"
rm -rf "$tmp"
echo "$deb"
