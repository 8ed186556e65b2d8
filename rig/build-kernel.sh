#!/bin/sh
# build-kernel.sh SRC OBJ FRAGMENT...: configure (tinyconfig + fragments)
# and build bzImage of SRC in OBJ with ccache; modules, if any, are
# installed in OBJ/modroot.
set -eu
. "$(dirname "$0")/lib.sh"

src=${1:?usage: build-kernel.sh SRC OBJ FRAGMENT...}
obj=${2:?usage: build-kernel.sh SRC OBJ FRAGMENT...}
shift 2
mkdir -p "$obj"
src=$(cd "$src" && pwd)
obj=$(cd "$obj" && pwd)
frags=""
for f in "$@"; do
	frags="$frags $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
done
# shellcheck disable=SC2086
set -- $frags

export CCACHE_BASEDIR="$build"
export CCACHE_NOHASHDIR=1
# depend mode: no preprocessor run on a miss (kbuild passes -MMD)
export CCACHE_DEPEND=1
export KBUILD_BUILD_TIMESTAMP="2026-01-01"
export KBUILD_BUILD_USER=rig KBUILD_BUILD_HOST=rig
kmake() {
	make -s -C "$src" O="$obj" CC="ccache gcc" -j"$(jobs_n)" "$@"
}

# Configure into a scratch file and only replace .config when it changes,
# so that an unchanged configuration does not trigger a rebuild.
cfg="$obj/.config"
[ -f "$cfg" ] && cp "$cfg" "$obj/.config.prev"
kmake tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$cfg" "$@" >/dev/null
kmake olddefconfig >/dev/null

missing=$(cat "$@" | grep -E '^CONFIG_[A-Z0-9_]+=' | while read -r line; do
	grep -qxF "$line" "$cfg" || echo "$line"
done)
if [ -n "$missing" ]; then
	echo "build-kernel: these options did not survive olddefconfig" \
	     "(a dependency is missing from the fragment):" >&2
	echo "$missing" | sed 's/^/  /' >&2
	exit 1
fi
if [ -f "$obj/.config.prev" ] && cmp -s "$cfg" "$obj/.config.prev"; then
	touch -r "$obj/.config.prev" "$cfg"
fi
rm -f "$obj/.config.prev"

progress build "bzImage ($(grep -c '=y' "$cfg") options built in)"
log="$obj/build.log"
if ! kmake bzImage >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "build-kernel: kernel build failed; full log in $log"
fi
# Modules (tun, tap and the series' module in the test config): built and
# installed stripped in OBJ/modroot, which initramfs.sh packs.
rm -rf "$obj/modroot"
if grep -qx 'CONFIG_MODULES=y' "$cfg"; then
	progress build "modules ($(grep -c '=m$' "$cfg") options as modules)"
	if ! kmake modules >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "build-kernel: module build failed; full log in $log"
	fi
	kmake modules_install INSTALL_MOD_PATH="$obj/modroot" \
		INSTALL_MOD_STRIP=1 >>"$log" 2>&1 ||
		die "build-kernel: modules_install failed; full log in $log"
fi
grep -E 'warning:' "$log" | head -n 20 >&2 || true
