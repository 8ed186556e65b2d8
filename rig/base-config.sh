#!/bin/sh
# base-config.sh OUTDIR: write OUTDIR/base.config, rig/config/base.config
# without the options that the unpatched base tree's Kconfig lacks (the
# series' own), and OUTDIR/dropped with those options; for building the
# base kernel with the configuration of the series' kernel.
set -eu
. "$(dirname "$0")/lib.sh"

out=${1:?usage: base-config.sh OUTDIR}
[ -d "$build/base" ] || die "base-config: no base tree; run rig/base.sh"
mkdir -p "$out"
find "$build/base" -name 'Kconfig*' -exec sed -n \
	's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Z0-9_]\{1,\}\).*/\2/p' \
	{} + | sort -u > "$out/base-symbols"
: > "$out/base.config"
: > "$out/dropped"
while IFS= read -r line; do
	sym=$(printf '%s\n' "$line" | sed -n 's/^CONFIG_\([A-Z0-9_]*\)=.*/\1/p')
	if [ -n "$sym" ] && ! grep -qxF "$sym" "$out/base-symbols"; then
		echo "$line" >> "$out/dropped"
	else
		echo "$line" >> "$out/base.config"
	fi
done < "$top/rig/config/base.config"
rm -f "$out/base-symbols"
