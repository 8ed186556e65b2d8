#!/bin/sh
# apply.sh DIR: make DIR a git tree holding the base commit plus every
# patch of patches/ as one commit each (git am). Does nothing when DIR
# already holds exactly this series.
set -eu
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: apply.sh DIR}
"$top/rig/base.sh"

series=$(ls "$top"/patches/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null |
	grep -v '/0000-' || true)
stamp=$(cat /dev/null $series | sha256sum | cut -d' ' -f1)

if [ ! -d "$dir/.git" ]; then
	git clone -q --shared "$build/base" "$dir"
	git -C "$dir" config user.name "tun-rss"
	git -C "$dir" config user.email "tun-rss@tun-rss.invalid"
	git -C "$dir" fetch -q origin 'refs/tags/base:refs/tags/base'
elif [ "$(cat "$dir/.git/rig-series" 2>/dev/null)" = "$stamp" ] &&
     [ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ]; then
	exit 0
fi

rm -f "$dir/.git/rig-series"
git -C "$dir" am --abort >/dev/null 2>&1 || true
git -C "$dir" checkout -q -f -B series base
git -C "$dir" clean -q -f -d
n=0
for p in $series; do
	if ! git -C "$dir" am -q --committer-date-is-author-date "$p" \
		>/dev/null 2>&1; then
		git -C "$dir" am --abort >/dev/null 2>&1 || true
		die "apply: $(basename "$p") does not apply on top of the" \
		    "previous patches; fix it in 'make tree' (build/linux)" \
		    "and run 'make export'"
	fi
	n=$((n + 1))
done
echo "$stamp" > "$dir/.git/rig-series"
progress apply "$n patches applied in ${dir#"$top"/}"
