#!/bin/sh
# kcsan-reports.sh CONSOLE_LOG: list the KCSAN reports of a guest console
# and tell whose they are. A report is the series' when one of the
# functions its "BUG: KCSAN: ... in A / B" line names is defined or
# changed by a patch of patches/ (a function definition on a "+" line, or
# the function of a hunk header), selftests and KUnit tests excepted.
# Prints one line per distinct report ("series" or "base", the functions)
# and exits 1 if any is the series'. KCSAN_FUNCS=1: print the functions
# of the series instead.
set -eu
. "$(dirname "$0")/lib.sh"

con=${1:?usage: kcsan-reports.sh CONSOLE_LOG}

funcs=$(series_funcs)

if [ -n "${KCSAN_FUNCS:-}" ]; then
	echo "$funcs"
	exit 0
fi
found=0
tr -d '\r' < "$con" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' |
	sed -n 's/^BUG: KCSAN: [a-z-]* in //p' | sort | uniq -c |
	while read -r n what; do
		owner=base
		for f in $(echo "$what" | tr '/' ' ' | sed 's/+0x[0-9a-f/x]*//g'); do
			if echo "$funcs" | grep -qx "$f"; then
				owner=series
			fi
		done
		echo "$owner: $what ($n)"
	done > "$con.kcsan"
cat "$con.kcsan"
grep -q '^series: ' "$con.kcsan" && found=1
rm -f "$con.kcsan"
exit "$found"
