#!/bin/sh
# apply.sh DIR: make DIR a git tree holding the base commit plus every
# patch of the queue in patches/ (one directory per series, in submission
# order) as one commit each (git am), with one branch per series, stacked:
# the branch of a series points to its last patch. HEAD is on the branch
# of the last series. With SERIES=NAME, only the series up to NAME.
# Does nothing when DIR already holds exactly these patches.
set -eu
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: apply.sh DIR}
"$top/rig/base.sh"

dirs=$(queue_upto) || die "apply: see above"
[ -n "$dirs" ] || die "apply: no series in patches/ (patches/N-NAME/)"
stamp=$(for d in $dirs; do
	series_name "$d"
	cat /dev/null $(series_patches "$d")
done | sha256sum | cut -d' ' -f1)

if [ ! -d "$dir/.git" ]; then
	git clone -q --shared "$build/base" "$dir"
	git -C "$dir" config user.name "Tun RSS Team"
	git -C "$dir" config user.email "team@tun-rss.invalid"
	git -C "$dir" fetch -q origin 'refs/tags/base:refs/tags/base'
elif [ "$(cat "$dir/.git/rig-series" 2>/dev/null)" = "$stamp" ] &&
     [ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ]; then
	exit 0
fi
# a rebase over the whole queue moves the branches of the series in it
git -C "$dir" config rebase.updateRefs true

rm -f "$dir/.git/rig-series" "$dir/.git/rig-queue"
git -C "$dir" am --abort >/dev/null 2>&1 || true
git -C "$dir" checkout -q -f --detach base
git -C "$dir" clean -q -f -d
n=0
for d in $dirs; do
	name=$(series_name "$d")
	for p in $(series_patches "$d"); do
		if ! git -C "$dir" am -q --committer-date-is-author-date "$p" \
			>/dev/null 2>&1; then
			git -C "$dir" am --abort >/dev/null 2>&1 || true
			die "apply: $name/$(basename "$p") does not apply on top" \
			    "of the previous patches; fix it in 'make tree'" \
			    "(build/linux) and run 'make export'"
		fi
		n=$((n + 1))
	done
	git -C "$dir" branch -f "$name" HEAD
	echo "$name" >> "$dir/.git/rig-queue"
done
git -C "$dir" checkout -q "$name"
echo "$stamp" > "$dir/.git/rig-series"
progress apply "$n patches of $(echo "$dirs" | wc -l) series applied in" \
	"${dir#"$top"/}: $(tr '\n' ' ' < "$dir/.git/rig-queue")"
