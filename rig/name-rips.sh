#!/bin/sh
# name-rips.sh MONITOR_LOG SYSTEM_MAP: from the output of QEMU's "info
# registers -a", one line per vCPU: "CPU#n RIP FUNCTION", the function
# from the kernel's System.map ("?" outside the kernel image, for
# example in a module).
set -eu

log=${1:?usage: name-rips.sh MONITOR_LOG SYSTEM_MAP}
map=${2:?usage: name-rips.sh MONITOR_LOG SYSTEM_MAP}
[ -f "$map" ] || { echo "name-rips: $map is missing" >&2; exit 1; }
tr -d '\r' < "$log" | awk '
	/^CPU#[0-9]+/ { cpu = $1 }
	/RIP=/ { r = $0; sub(/.*RIP=/, "", r); sub(/ .*/, "", r)
		 print cpu, r }' |
while read -r cpu rip; do
	# System.map is sorted and its addresses have 16 digits, as RIP:
	# a string comparison orders them
	s=$(awk -v a="$rip" '$2 ~ /^[tTwW]$/ && $1 <= a { s = $3 }
			     $1 > a { exit } END { print s }' "$map")
	end=$(awk '$3 == "_etext" { print $1 }' "$map")
	if [ -n "$end" ] && [ "$(printf '%s\n%s\n' "$rip" "$end" |
		sort | tail -n 1)" = "$rip" ]; then
		s="?"
	fi
	echo "$cpu $rip ${s:-?}"
done
