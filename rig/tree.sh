#!/bin/sh
# tree.sh: make build/linux the base commit plus one commit per patch of
# patches/, for editing. Refuses to drop work that is not in patches/.
set -eu
. "$(dirname "$0")/lib.sh"

dir="$build/linux"
if [ -d "$dir/.git" ]; then
	[ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ] ||
		die "tree: build/linux has uncommitted changes; commit them" \
		    "and run 'make export', or discard them"
	head=$(git -C "$dir" rev-parse HEAD)
	if [ "$head" != "$(cat "$dir/.git/rig-head" 2>/dev/null)" ] &&
	   [ -z "${FORCE:-}" ]; then
		die "tree: build/linux has commits that are not in patches/;" \
		    "run 'make export' first, or 'make tree FORCE=1' to" \
		    "discard them"
	fi
fi
"$top/rig/apply.sh" "$dir"
git -C "$dir" rev-parse HEAD > "$dir/.git/rig-head"

# The cover letter's subject and blurb live in the branch description,
# which 'git format-patch --cover-from-description' reads back.
cover="$top/patches/0000-cover-letter.patch"
if [ -f "$cover" ]; then
	desc=$(awk '
	/^Subject: / && !subj {
		s = $0; sub(/^Subject: \[[^]]*\] */, "", s); subj = 1; next
	}
	subj && !body && /^$/ { body = 1; next }
	body { lines[n++] = $0 }
	END {
		# the blurb ends before the shortlog "Name (N):"
		for (e = n - 1; e >= 0; e--)
			if (lines[e] ~ /^[^ ].* \([0-9]+\):$/) break
		if (e < 0) e = n
		while (e > 0 && lines[e - 1] == "") e--
		print s
		if (e > 0) print ""
		for (i = 0; i < e; i++) print lines[i]
	}' "$cover")
	git -C "$dir" config branch.series.description "$desc"
fi
n=$(git -C "$dir" rev-list --count base..HEAD)
progress tree "build/linux: $n commits on base; edit, commit, then" \
	"'make export'"
