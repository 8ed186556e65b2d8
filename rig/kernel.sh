#!/bin/sh
# kernel.sh: everything up to a bootable kernel of base + patches/:
# packages, base tree, patches applied in build/src, bzImage in build/obj.
set -eu
. "$(dirname "$0")/lib.sh"

progress deps "checking packages"
"$top/rig/deps.sh"
progress fetch "base tree"
"$top/rig/base.sh"
progress apply "patches/ onto the base"
"$top/rig/apply.sh" "$build/src"
progress config "tinyconfig + rig/config/base.config"
"$top/rig/build-kernel.sh" "$build/src" "$build/obj" \
	"$top/rig/config/base.config"
