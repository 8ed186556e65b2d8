#!/bin/sh
# qemu-apply.sh DIR: make DIR (default build/qemu-src) a git tree of the
# QEMU base commit plus the patches of qemu/patches/, one commit each.
# Does nothing when DIR already holds exactly these patches.
set -eu
. "$(dirname "$0")/lib.sh"

dir=${1:-$build/qemu-src}
"$top/rig/qemu-base.sh"
stamp=$(cat "$top"/qemu/patches/[0-9][0-9][0-9][0-9]-*.patch | sha256sum |
	cut -d' ' -f1)
if [ ! -d "$dir/.git" ]; then
	git clone -q --shared "$build/qemu-base" "$dir"
	git -C "$dir" config user.name "Tun RSS Team"
	git -C "$dir" config user.email "team@tun-rss.invalid"
	git -C "$dir" fetch -q origin 'refs/tags/base:refs/tags/base'
elif [ "$(cat "$dir/.git/rig-series" 2>/dev/null)" = "$stamp" ] &&
     [ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ]; then
	exit 0
fi
rm -f "$dir/.git/rig-series"
git -C "$dir" am --abort >/dev/null 2>&1 || true
git -C "$dir" checkout -q -f -B master base
n=0
for p in "$top"/qemu/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	case $p in */0000-*) continue ;; esac
	git -C "$dir" am -q --committer-date-is-author-date "$p" \
		>/dev/null 2>&1 || {
		git -C "$dir" am --abort >/dev/null 2>&1 || true
		die "qemu-apply: $(basename "$p") does not apply; fix it in" \
		    "build/qemu and export again (qemu/NOTES.md)"
	}
	n=$((n + 1))
done
echo "$stamp" > "$dir/.git/rig-series"
progress qemu "$n patches of qemu/patches/ applied in ${dir#"$top"/}"
