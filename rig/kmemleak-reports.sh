#!/bin/sh
# kmemleak-reports.sh REPORT: tell whose the leaks of a kmemleak report
# (the contents of /sys/kernel/debug/kmemleak) are. A leak is the series'
# when a function of its backtrace is one the series defines or changes
# (series_funcs in lib.sh). Prints one line per leak ("series" or
# "base", the size, the backtrace's functions) and exits 1 if any is the
# series'.
set -eu
. "$(dirname "$0")/lib.sh"

rep=${1:?usage: kmemleak-reports.sh REPORT}
[ -f "$rep" ] || die "kmemleak-reports: $rep is missing"
funcs=$(series_funcs)
[ -n "$funcs" ] || die "kmemleak-reports: no functions found in patches/"

# one line per leak: "SIZE COMM FUNC FUNC ..." (the backtrace, innermost
# first; compiler suffixes such as .constprop.0 dropped)
tr -d '\r' < "$rep" | awk '
/^unreferenced object / {
	if (leak != "") print leak
	size = $0; sub(/.*\(size /, "", size); sub(/\).*/, "", size)
	leak = size; bt = 0; next
}
/^  comm "/ {
	c = $0; sub(/^  comm "/, "", c); sub(/".*/, "", c); gsub(/ /, "_", c)
	leak = leak " " c; next
}
/^  backtrace/ { bt = 1; next }
bt && /^    [A-Za-z_]/ {
	f = $1; sub(/[.+].*/, "", f)
	leak = leak " " f
	next
}
END { if (leak != "") print leak }
' > "$rep.leaks"

found=0
while read -r size comm stack; do
	owner=base
	for f in $stack; do
		if echo "$funcs" | grep -qxF "$f"; then
			owner=series
		fi
	done
	echo "$owner: $size bytes by $comm, allocated in" \
	     "$(echo "${stack:-(no backtrace)}" | sed 's/ / < /g')"
	[ "$owner" = base ] || found=1
done < "$rep.leaks"
rm -f "$rep.leaks"
exit "$found"
