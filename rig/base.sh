#!/bin/sh
# Make build/base: the pinned 7.3.4 tree as a git repository with exactly
# one commit, tagged "base". The commit is reproducible (fixed identity and
# date), so its hash, which patches/ names as base-commit, is the same on
# every machine.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
base="$top/build/base"

if [ -f "$base/.git/refs/tags/base" ] ||
   git -C "$base" rev-parse -q --verify base >/dev/null 2>&1; then
	exit 0
fi

deb=$("$top/rig/fetch-base.sh")
rm -rf "$base" "$base.tmp"
mkdir -p "$base.tmp"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO ./usr/src/linux-source-7.3.tar.xz |
	tar -xJ -C "$base.tmp" --strip-components=1 ||
	{ echo "base: cannot extract the tree from $deb; delete it and" \
	       "retry to download it again" >&2; exit 1; }

# Debian's packaging .gitignore ends with "/*" and "!/debian/", which
# hides every new top-level file from git. Drop those rules so that git
# behaves as in an upstream tree.
sed -i -e '\#^/\*$#d' -e '\#^!/debian/$#d' "$base.tmp/.gitignore"

cd "$base.tmp"
git init -q -b base-branch .
git config user.name "tun-rss base"
git config user.email "base@tun-rss.invalid"
git config core.autocrlf false
git add -A -f .
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
git commit -q -m "Linux 7.3.4 (Debian linux-source-7.3 7.3.4-1~bpo13+1)" \
	-m "Base tree of the series; .gitignore rules '/*' and '!/debian/'
of the Debian packaging removed."
git tag base
cd "$top"
mv "$base.tmp" "$base"
