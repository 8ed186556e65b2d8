#!/bin/sh
# Fetch the Python build tools of QEMU 10.0 that Debian 12 lacks: meson
# >= 1.5 (Debian 12 ships 1.0.1) and pycotap, which configure wants; the
# +ds orig tarball of Debian's QEMU leaves out upstream's python/wheels.
# Takes Debian 13's packages (pure Python, arch all) from the pool of the
# machine's apt mirror, verified by sha256 and cached beside the other
# downloads, and unpacks them into build/pydeps without installing them.
# Prints the directory to put on PYTHONPATH (modules and dist metadata).
set -eu
. "$(dirname "$0")/lib.sh"

# FILE POOL, then its SHA256 on the next line
debs="meson_1.7.0-1_all.deb pool/main/m/meson
e92d04e60e784336883d537755d09b7dcb856809fa318a0931df3898e84ded95
python3-pycotap_1.3.1-2_all.deb pool/main/p/python-pycotap
7e8dbf3ac06434275a461d0de79792e2b80126febc53866c89027adde5192ac9"

cache=${TUNRSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tun-rss}
out="$build/pydeps"
site="$out/usr/lib/python3/dist-packages"
mkdir -p "$cache"

verify() {
	[ -f "$1" ] && echo "$2  $1" | sha256sum -c --status -
}

stamp=$(echo "$debs" | sha256sum | cut -d' ' -f1)
if [ ! -f "$out/.from" ] || [ "$(cat "$out/.from")" != "$stamp" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	echo "$debs" | paste -d' ' - - | while read -r file pool sha; do
		deb="$cache/$file"
		if ! verify "$deb" "$sha"; then
			mirror=$("$top/rig/apt-mirror.sh")
			url="${mirror%/}/$pool/$file"
			tmp="$cache/.download.$$"
			rm -f "$tmp"
			if ! /usr/lib/apt/apt-helper -qq \
				-o APT::Sandbox::User=root \
				download-file "$url" "$tmp" "SHA256:$sha" >&2 ||
			   ! verify "$tmp" "$sha"; then
				rm -f "$tmp" "$tmp.FAILED"
				die "fetch-pydeps: could not download $file" \
				    "with sha256 $sha from $url; check the" \
				    "mirror, or pin the version its pool has now"
			fi
			mv "$tmp" "$deb"
		fi
		dpkg-deb -x "$deb" "$out" ||
			die "fetch-pydeps: cannot unpack $deb; delete it, retry"
	done
	echo "$stamp" > "$out/.from"
fi
for m in mesonbuild pycotap; do
	[ -d "$site/$m" ] || [ -f "$site/$m.py" ] ||
		die "fetch-pydeps: no $m under $site; delete $out and retry"
done
echo "$site"
