#!/bin/sh
# tree.sh: make build/linux the base commit plus one commit per patch of
# the queue in patches/, one branch per series, stacked, for editing.
# Refuses to drop work that is not in patches/.
set -eu
. "$(dirname "$0")/lib.sh"

dir="$build/linux"
# rig-head: "BRANCH COMMIT" of every series as patches/ has them
heads() {
	while read -r b; do
		echo "$b $(git -C "$dir" rev-parse -q --verify "refs/heads/$b" ||
			echo none)"
	done < "$dir/.git/rig-queue"
}
if [ -d "$dir/.git" ]; then
	[ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ] ||
		die "tree: build/linux has uncommitted changes; commit them" \
		    "and run 'make export', or discard them"
	if [ -f "$dir/.git/rig-queue" ] &&
	   [ "$(heads)" != "$(cat "$dir/.git/rig-head" 2>/dev/null)" ] &&
	   [ -z "${FORCE:-}" ]; then
		die "tree: build/linux has commits that are not in patches/;" \
		    "run 'make export' first, or 'make tree FORCE=1' to" \
		    "discard them"
	fi
fi
SERIES="" "$top/rig/apply.sh" "$dir"
heads > "$dir/.git/rig-head"

# The cover letter's subject and blurb live in the branch description of
# the series, which 'git format-patch --cover-from-description' reads back.
for d in $(queue_dirs); do
	cover="$d/0000-cover-letter.patch"
	[ -f "$cover" ] || continue
	desc=$(awk '
	/^Subject: / && !subj {
		s = $0; sub(/^Subject: \[[^]]*\] */, "", s); subj = 1; next
	}
	# a long subject is folded onto lines that start with a space
	subj && !body && /^ / { s = s $0; next }
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
	git -C "$dir" config "branch.$(series_name "$d").description" "$desc"
done
progress tree "build/linux: $(git -C "$dir" rev-list --count base..HEAD)" \
	"commits on base, branches $(tr '\n' ' ' < "$dir/.git/rig-queue");" \
	"edit, commit, then 'make export'"
