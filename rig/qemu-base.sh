#!/bin/sh
# qemu-base.sh: make build/qemu-base, the pinned QEMU 10.0.13 (the orig
# tarball of Debian's qemu 1:10.0.13+ds-0+deb13u1) as a git repository
# with one reproducible commit tagged "base": its hash is the base-commit
# of qemu/patches/ on every machine.
set -eu
. "$(dirname "$0")/lib.sh"

base="$build/qemu-base"
want=bf3e5ab66fea5c25ff9b628bd8f0dcf52fe3783c
if git -C "$base" rev-parse -q --verify base >/dev/null 2>&1; then
	exit 0
fi

tarball=$("$top/rig/fetch-qemu.sh")
rm -rf "$base" "$base.tmp"
mkdir -p "$base.tmp"
tar -xJf "$tarball" -C "$base.tmp" --strip-components=1 --no-same-owner ||
	die "qemu-base: cannot extract $tarball; delete it and retry"
cd "$base.tmp"
git init -q -b master .
git config user.name "tun-rss base"
git config user.email "base@tun-rss.invalid"
git config core.autocrlf false
git add -A -f .
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
git commit -q \
	-m "QEMU 10.0.13 (Debian qemu 1:10.0.13+ds-0+deb13u1 orig tarball)" \
	-m "Base tree of the QEMU series: the contents of qemu_10.0.13+ds.orig.tar.xz."
git tag base
got=$(git rev-parse base)
[ "$got" = "$want" ] ||
	die "qemu-base: the base commit is $got, not $want: the tarball" \
	    "or git made a different tree; see qemu/NOTES.md"
cd "$top"
mv "$base.tmp" "$base"
progress qemu "base tree build/qemu-base at $want"
