#!/bin/sh
# kernel.sh [OBJ FRAGMENT...]: everything up to a bootable kernel of base +
# patches/: packages, base tree, patches applied in build/src, bzImage in
# OBJ (default build/obj) from tinyconfig + the fragments (default
# rig/config/base.config).
set -eu
. "$(dirname "$0")/lib.sh"

progress deps "checking packages"
"$top/rig/deps.sh"
progress fetch "base tree"
"$top/rig/base.sh"
progress apply "patches/ onto the base"
"$top/rig/apply.sh" "$build/src"
obj=${1:-$build/obj}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- "$top/rig/config/base.config"
progress config "tinyconfig + $(for f in "$@"; do printf '%s ' "${f#"$top"/}"; done)"
"$top/rig/build-kernel.sh" "$build/src" "$obj" "$@"
