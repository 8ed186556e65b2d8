#!/bin/sh
# export.sh: regenerate patches/ from build/linux: one directory
# patches/N-NAME/ per series of the queue (the branches listed in
# build/linux/.git/rig-queue, in submission order), each with the commits
# since the previous series, formatted with git format-patch (cover
# letter from the branch description, base-commit and the patch ids of
# the series before it, zeroed From hashes), so that 'make tree && make
# export' is a byte-identical round trip.
# V=N sets the version of every series; it defaults to each current cover
# letter's.
set -eu
. "$(dirname "$0")/lib.sh"

dir="$build/linux"
[ -d "$dir/.git" ] || die "export: no build/linux; run 'make tree' first"
[ -s "$dir/.git/rig-queue" ] ||
	die "export: no build/linux/.git/rig-queue (the series branches, in" \
	    "order); run 'make tree' first"
[ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ] ||
	die "export: build/linux has uncommitted changes; commit them first"

tmp="$build/export.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
prev=base
i=0
summary=""
for name in $(cat "$dir/.git/rig-queue"); do
	i=$((i + 1))
	git -C "$dir" rev-parse -q --verify "refs/heads/$name" >/dev/null ||
		die "export: no branch $name in build/linux"
	git -C "$dir" merge-base --is-ancestor "$prev" "$name" ||
		die "export: branch $name does not stack on $prev; rebase it" \
		    "(git rebase --update-refs moves the branches with it)"
	n=$(git -C "$dir" rev-list --count "$prev..$name")
	[ "$n" -ge 1 ] || die "export: series $name has no patch"
	[ "$n" -le 15 ] ||
		die "export: series $name has $n patches; at most 15 per series"
	old=$(ls -d "$top"/patches/[0-9]*-"$name" 2>/dev/null | head -n1)
	v=${V:-$(sed -n 's/^Subject: \[PATCH[^]]* v\([0-9]*\) .*/\1/p' \
		"$old/0000-cover-letter.patch" 2>/dev/null | head -n1)}
	v=${v:-1}
	git -C "$dir" config "branch.$name.description" >/dev/null ||
		git -C "$dir" config "branch.$name.description" \
			"$name: virtio-net hashing"
	out="$tmp/$i-$name"
	mkdir -p "$out"
	# The cover letter takes its date from the committer date: pin it to
	# the newest patch so that it does not change on every export.
	# Abbreviated hashes (the "index" lines) at 12 digits, as kernel
	# practice has them: git's default grows with the repository, so
	# the output would depend on the clone. --cover-from-description
	# reads the description of the branch checked out, so check out
	# each series' branch in turn.
	git -C "$dir" checkout -q "$name"
	GIT_COMMITTER_DATE=$(git -C "$dir" log -1 --format=%aD "$name") \
	git -C "$dir" -c core.abbrev=12 format-patch -q -o "$out" \
		--cover-letter --cover-from-description=auto --zero-commit \
		--base=base --subject-prefix="PATCH $name v$v" "$prev..$name"
	summary="$summary $name: $n (v$v);"
	prev=$name
done
git -C "$dir" checkout -q "$prev"

# The prerequisite-patch-id lines of a later series name the patches of
# the series before it. git format-patch computes them from the commits
# with its own diff options, which can differ from the mails (the indent
# heuristic): take them from the mails themselves, as b4 and the
# maintainers' tools do.
ids=""
for d in $(ls -d "$tmp"/*/ | sort -t/ -k1,1); do
	d=${d%/}
	cover="$d/0000-cover-letter.patch"
	if [ -n "$ids" ]; then
		awk -v ids="$ids" '
		/^prerequisite-patch-id: / {
			if (!done) {
				n = split(ids, a, " ")
				for (i = 1; i <= n; i++)
					print "prerequisite-patch-id: " a[i]
				done = 1
			}
			next
		}
		{ print }' "$cover" > "$cover.tmp"
		mv "$cover.tmp" "$cover"
	fi
	for p in $(series_patches "$d"); do
		ids="$ids $(git -C "$dir" patch-id --stable < "$p" | cut -d' ' -f1)"
	done
done
rm -rf "$top/patches"
mv "$tmp" "$top/patches"

# build/linux now matches patches/: let 'make tree' and the check tree
# know.
while read -r b; do
	echo "$b $(git -C "$dir" rev-parse "refs/heads/$b")"
done < "$dir/.git/rig-queue" > "$dir/.git/rig-head"
progress export "patches/:$summary"
