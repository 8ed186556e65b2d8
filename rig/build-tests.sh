#!/bin/sh
# build-tests.sh SRC OBJ OUT TEST...: install the uapi headers of the
# configured kernel in OBJ and build each kselftest TEST (e.g. net/tun)
# statically into OUT/TEST.
set -eu
. "$(dirname "$0")/lib.sh"

src=$(cd "${1:?usage: build-tests.sh SRC OBJ OUT TEST...}" && pwd)
obj=$(cd "${2:?}" && pwd)
mkdir -p "${3:?}"
out=$(cd "$3" && pwd)
shift 3

hdr="$obj/usr-headers"
make -s -C "$src" O="$obj" headers_install INSTALL_HDR_PATH="$hdr" \
	>/dev/null
log="$out/build.log"
: > "$log"
for t in "$@"; do
	dir=$(dirname "$t")
	mkdir -p "$out/$dir"
	if ! make -C "$src/tools/testing/selftests/$dir" \
		OUTPUT="$out/$dir" KHDR_INCLUDES="-isystem $hdr/include" \
		LDFLAGS=-static CC="ccache gcc" "$out/$t" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "build-tests: selftest $t did not build; log in $log"
	fi
done
progress tests "built: $*"
