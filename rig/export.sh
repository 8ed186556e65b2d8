#!/bin/sh
# export.sh: regenerate patches/ from the commits base..HEAD of build/linux
# with git format-patch (cover letter, base-commit, zeroed From hashes, so
# that 'make tree && make export' is a byte-identical round trip).
# V=N sets the series version; it defaults to the current cover letter's.
set -eu
. "$(dirname "$0")/lib.sh"

dir="$build/linux"
[ -d "$dir/.git" ] || die "export: no build/linux; run 'make tree' first"
[ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ] ||
	die "export: build/linux has uncommitted changes; commit them first"

cover="$top/patches/0000-cover-letter.patch"
v=${V:-$(sed -n 's/^Subject: \[PATCH[^]]* v\([0-9]*\) .*/\1/p' "$cover" \
	2>/dev/null | head -n1)}
v=${v:-1}
n=$(git -C "$dir" rev-list --count base..HEAD)
[ "$n" -le 15 ] || die "export: $n patches; a netdev series has at most 15"

desc=$(git -C "$dir" config branch.series.description || true)
if [ -z "$desc" ]; then
	git -C "$dir" config branch.series.description \
		"tun: virtio-net RSS and hash reporting"
fi

tmp="$build/export.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
if [ "$n" -gt 0 ]; then
	# The cover letter takes its date from the committer date: pin it to
	# the newest patch so that it does not change on every export.
	# Abbreviated hashes (the "index" lines) at 12 digits, as kernel
	# practice has them: git's default grows with the repository, so
	# the output would depend on the clone.
	GIT_COMMITTER_DATE=$(git -C "$dir" log -1 --format=%aD HEAD) \
	git -C "$dir" -c core.abbrev=12 format-patch -q -o "$tmp" \
		--cover-letter \
		--cover-from-description=auto --zero-commit --base=base \
		--subject-prefix="PATCH net-next v$v" base..HEAD
fi
rm -f "$top"/patches/*.patch
mkdir -p "$top/patches"
[ "$n" -eq 0 ] || mv "$tmp"/*.patch "$top/patches/"
rm -rf "$tmp"

# build/linux now matches patches/: let 'make tree' and the check tree
# know.
git -C "$dir" rev-parse HEAD > "$dir/.git/rig-head"
progress export "patches/: $n patches + cover letter, v$v"
